/* SPDX-License-Identifier: MIT */
/*
 * cmd_explain.c - `cxlemu explain RULE`: what a rule checks, where the spec says so, a
 * scenario where it fires and one where software behaves and it holds, and which
 * personalities differ on it.
 *
 * The examples come from the scenarios (default: the bundled conformance suite, whose
 * expect: lists were written from the spec), each replayed on the model under its own
 * profile: the failing example is the first op where RULE fires; the passing example is the
 * first op of another scenario (or of the same one, before the failure) that accesses the
 * same register the same way (a write, or a read) without RULE firing there. The
 * personalities are compared on the failing example: under each profile, does RULE fire at
 * that op, and with which severity.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "cli.h"
#include "cxlemu/catalog.h"
#include "cxlemu/device.h"
#include "cxlemu/event.h"
#include "cxlemu/trace.h"

static const struct cli_option explain_options[] = {
	{ NULL, 0, 0, CLI_V_NONE, NULL, NULL, NULL },
};

const struct cli_command cli_cmd_explain = {
	"explain", "a rule: its spec section, what it checks, a passing and a failing example",
	"RULE [TRACE|DIR]...",
	"Prints RULE's severity, message and spec section (spec/rules.yaml), then an example\n"
	"where it fires and one where it holds, from the scenarios (default: the bundled\n"
	"conformance suite), each replayed on the model under its own profile: the first op\n"
	"where RULE fires, and the first op elsewhere that accesses the same register the\n"
	"same way (a write, or a read) without RULE firing. Last, how each personality treats\n"
	"the failing example: whether RULE fires at that op, and with which severity.\n\n"
	"The rule list: cxlemu spec.",
	explain_options, CLI_V_RULE, "0 explained, 1 no scenario shows RULE firing, 2 bad input or usage",
	cxlemu_cmd_explain,
};

/* What a replay of one scenario saw of the rule. */
struct seen {
	unsigned rule;
	unsigned long op;          /* the op being applied */
	bool fired;                /* RULE fired at this op */
	unsigned severity;
	char reg[96];              /* the register it fired on, "" none */
	char device[32];
};

static void on_event(void *ctx, const struct cxl_event *ev)
{
	struct seen *s = ctx;

	if (ev->rule != s->rule || s->fired)
		return;
	s->fired = true;
	s->severity = ev->severity;
	snprintf(s->reg, sizeof(s->reg), "%s", ev->reg ? ev->reg : "");
	snprintf(s->device, sizeof(s->device), "%s", ev->device ? ev->device : "");
}

/* An op's place and what it touched, for printing. */
struct example {
	bool found;
	char path[512];
	char profile[64];
	unsigned long op, line, col;
	unsigned severity;
	char reg[96];
	char device[32];
	bool write;
	unsigned space;
	uint64_t offset;
	unsigned size;
	char model[64];
};

/*
 * Replays @path under @profile (NULL: its own) until RULE fires: fills @fail with the first
 * op where it did. With @want (a failing example already found) instead looks for the first
 * op that accesses @want's register the way it did without RULE firing there, into @hold.
 * Returns 0, or EXIT_BAD_INPUT after printing the scenario's error.
 */
static int scan(const char *path, const char *profile, unsigned rule, struct example *fail,
		const struct example *want, struct example *hold)
{
	struct cxl_trace_reader *r = NULL;
	struct cxl_device *devs[CXL_TRACE_MAX_DEVICES] = { 0 };
	const struct cxl_trace_header *h;
	struct cxl_error err = { 0 };
	struct seen s = { .rule = rule };
	struct cxl_op op;
	bool done = false;
	int rc = 0;

	if (cxl_trace_open(path, &r, &err))
		return cli_input_error(&err);
	h = cxl_trace_header(r);
	for (unsigned i = 0; i < h->ndevices; i++) {
		const struct cxl_trace_device *td = &h->devices[i];
		struct cxl_device_opts o;
		const char *p = profile ? profile : td->profile[0] ? td->profile :
				h->profile[0] ? h->profile : cxl_default_profile();

		cxl_trace_device_opts(td, &o);
		if (cxl_device_create(td->name, td->model, p, &o, &devs[i], &err)) {
			rc = cli_usage_error("explain", "%s: device '%s': %s", path, td->name, err.msg);
			goto out;
		}
		cxl_device_set_sink(devs[i], on_event, &s);
	}
	for (unsigned long n = 0;; n++) {
		struct cxl_device *d;
		unsigned space = 0;
		bool write = false, access;

		if (cxl_trace_next(r, &op, &done, &err)) {
			rc = cli_input_error(&err);
			goto out;
		}
		if (done)
			break;
		if (op.kind == CXL_OP_MARK || op.dev >= h->ndevices)
			continue;
		d = devs[op.dev];
		s.op = n;
		s.fired = false;
		cxl_device_set_op(d, n, op.line, op.src);
		cxl_device_set_op_flags(d, op.flags);
		access = cxl_op_kind_access(op.kind, &space, &write);
		if (access)
			cxl_device_access(d, space, write, op.offset, op.size, op.value,
					  write || op.has_value, NULL);
		else if (op.kind == CXL_OP_RESET)
			cxl_device_reset(d, op.reset);
		else if (op.kind == CXL_OP_INJECT)
			cxl_device_inject(d, op.inject, op.bit);
		if (!want && s.fired) {
			fail->found = true;
			snprintf(fail->path, sizeof(fail->path), "%s", path);
			snprintf(fail->profile, sizeof(fail->profile), "%s", cxl_device_profile_name(d));
			snprintf(fail->model, sizeof(fail->model), "%s", cxl_device_model_name(d));
			snprintf(fail->reg, sizeof(fail->reg), "%s", s.reg);
			snprintf(fail->device, sizeof(fail->device), "%s", s.device);
			fail->op = n;
			fail->line = op.line;
			fail->col = op.col;
			fail->severity = s.severity;
			fail->write = write;
			fail->space = access ? space : ~0u;
			fail->offset = op.offset;
			fail->size = op.size;
			break;
		}
		if (want && hold && access && !s.fired && write == want->write && space == want->space &&
		    op.offset == want->offset && op.size == want->size &&
		    !strcmp(cxl_device_model_name(d), want->model) &&
		    (strcmp(path, want->path) || n < want->op)) {
			hold->found = true;
			snprintf(hold->path, sizeof(hold->path), "%s", path);
			snprintf(hold->profile, sizeof(hold->profile), "%s", cxl_device_profile_name(d));
			hold->op = n;
			hold->line = op.line;
			hold->col = op.col;
			break;
		}
	}
out:
	for (unsigned i = 0; i < CXL_TRACE_MAX_DEVICES; i++)
		cxl_device_destroy(devs[i]);
	cxl_trace_close(r);
	return rc;
}

/* @path as shown: relative to the working directory when it is below it (@cut unused). */
static const char *shown(const char *path, size_t cut)
{
	static char cwd[4096];
	size_t n;

	(void)cut;
	if (!cwd[0] && !getcwd(cwd, sizeof(cwd) - 1))
		return path;
	n = strlen(cwd);
	return !strncmp(path, cwd, n) && path[n] == '/' ? path + n + 1 : path;
}

int cxlemu_cmd_explain(int argc, char **argv)
{
	struct example fail = { 0 }, hold = { 0 };
	struct cli_parser p;
	char **list = NULL;
	unsigned n = 0;
	size_t cut = 0;
	int c, rule, rc;

	cli_parse_begin(&p, &cli_cmd_explain, argc, argv);
	while ((c = cli_next(&p)) > 0)
		;
	if (c == CLI_STOP)
		return p.status;
	if (!p.nops)
		return cli_usage_error("explain", "no rule given (cxlemu spec lists them)");
	if ((rule = cli_rule("explain", p.ops[0])) < 0)
		return EXIT_BAD_INPUT;
	if ((rc = cli_scenarios("explain", p.ops + 1, p.nops - 1, &list, &n, &cut)))
		return rc;
	for (unsigned i = 0; i < n && !fail.found; i++)
		if ((rc = scan(list[i], NULL, (unsigned)rule, &fail, NULL, NULL)))
			goto out;
	for (unsigned i = 0; i < n && fail.found && fail.space != ~0u && !hold.found; i++)
		if ((rc = scan(list[i], NULL, (unsigned)rule, NULL, &fail, &hold)))
			goto out;
	printf("%s: %s\n  %s\n  spec: %s\n", cxl_rule_id((unsigned)rule),
	       cxl_severity_word(cxl_rule_severity((unsigned)rule)), cxl_rule_message((unsigned)rule),
	       cxl_rule_spec((unsigned)rule));
	if (!fail.found) {
		printf("\nno scenario of the %u raises it\n", n);
		rc = EXIT_CHECK_FAILED;
		goto out;
	}
	printf("\nfails: %s:%lu:%lu: op %lu: %s %s%s%s%s raises it (%s, profile %s)\n",
	       shown(fail.path, cut), fail.line, fail.col, fail.op,
	       fail.space == ~0u ? "a reset or an injection of" : fail.write ? "a write of" : "a read of",
	       fail.device, fail.reg[0] ? " \"" : "", fail.reg, fail.reg[0] ? "\"" : "",
	       cxl_severity_word(fail.severity), fail.profile);
	if (hold.found)
		printf("holds: %s:%lu:%lu: op %lu: a %s of the same register does not raise it "
		       "(profile %s)\n", shown(hold.path, cut), hold.line, hold.col, hold.op,
		       fail.write ? "write" : "read", hold.profile);
	else
		printf("holds: no scenario accesses that register that way without raising it\n");
	printf("\npersonalities on %s, op %lu:\n", shown(fail.path, cut), fail.op);
	for (unsigned k = 0; k < cxl_profile_count(); k++) {
		struct example f = { 0 };

		if ((rc = scan(fail.path, cxl_profile_name(k), (unsigned)rule, &f, NULL, NULL)))
			goto out;
		if (f.found && f.op == fail.op)
			printf("  %-20s raises it (%s)%s\n", cxl_profile_name(k), cxl_severity_word(f.severity),
			       f.severity != fail.severity ? "  <- differs" : "");
		else if (f.found)
			printf("  %-20s raises it first at op %lu  <- differs\n", cxl_profile_name(k), f.op);
		else
			printf("  %-20s does not raise it  <- differs\n", cxl_profile_name(k));
	}
	rc = EXIT_PASS;
out:
	cli_scenarios_free(list, n);
	return rc;
}
