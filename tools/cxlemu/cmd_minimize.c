/* SPDX-License-Identifier: MIT */
/*
 * cmd_minimize.c - "cxlemu minimize": shrink a trace to the fewest ops that still show a
 * chosen finding (delta debugging, Zeller's ddmin, then single-op removal to a 1-minimal
 * trace), for traces/regress.
 *
 * A finding is a rule raised at any op (--rule RULE, e.g. read.mismatch), or an invariant of
 * cxlemu/invariant.h violated (--invariant NAME, or any). Each candidate runs on the trace's
 * devices, created once and restarted (cxl_device_restart()) per run, so thousands of runs
 * are cheap. The ops are held in memory: at most OPS_MAX.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "cxlemu/cxlemu.h"

#define OPS_MAX 200000UL

struct run {
	const struct cxl_trace_header *h;
	struct cxl_device *dev[CXL_TRACE_MAX_DEVICES];
	struct cxl_checker *chk[CXL_TRACE_MAX_DEVICES];
	int rule;                  /* the rule to keep, or -1 */
	int inv;                   /* the invariant, -2 = any, -1 = none */
	bool hit;                  /* the current run shows it */
	int hit_inv;               /* which invariant it was */
	char detail[300];
};

static void on_event(void *ctx, const struct cxl_event *e)
{
	struct run *r = ctx;

	if (r->rule >= 0 && e->rule == (unsigned)r->rule)
		r->hit = true;
}

/* Whether ops @ops[keep[0..n)] show the finding. */
static bool shows(struct run *r, const struct cxl_op *ops, const unsigned long *keep, unsigned long n)
{
	r->hit = false;
	for (unsigned i = 0; i < r->h->ndevices; i++)
		cxl_device_restart(r->dev[i]);
	for (unsigned long k = 0; k < n && !r->hit; k++) {
		const struct cxl_op *op = &ops[keep[k]];
		struct cxl_device *d;
		struct cxl_invariant_failure f;
		unsigned space;
		bool write;
		uint64_t result;

		if (op->kind == CXL_OP_MARK || op->dev >= r->h->ndevices)
			continue;
		d = r->dev[op->dev];
		if (r->inv != -1)
			cxl_checker_before(r->chk[op->dev], d);
		cxl_device_set_op(d, k, op->line, op->src);
		cxl_device_set_op_flags(d, op->flags);
		if (cxl_op_kind_access(op->kind, &space, &write))
			cxl_device_access(d, space, write, op->offset, op->size, op->value, op->has_value,
					  &result);
		else if (op->kind == CXL_OP_RESET)
			cxl_device_reset(d, op->reset);
		else if (op->kind == CXL_OP_INJECT)
			cxl_device_inject(d, op->inject, op->bit);
		if (r->inv != -1 && !cxl_checker_after(r->chk[op->dev], d, op, &f) &&
		    (r->inv == -2 || (int)f.inv == r->inv)) {
			r->hit = true;
			r->hit_inv = (int)f.inv;
			snprintf(r->detail, sizeof(r->detail), "%s \"%s\": %s", f.device, f.reg, f.detail);
		}
	}
	return r->hit;
}

/*
 * ddmin over @keep[0..*n): the smallest subsequence found that shows the finding, then
 * single ops removed while it still does. @tmp has room for *n indexes.
 */
static void ddmin(struct run *r, const struct cxl_op *ops, unsigned long *keep, unsigned long *n,
		  unsigned long *tmp)
{
	unsigned long parts = 2;

	while (*n >= 2) {
		unsigned long chunk = (*n + parts - 1) / parts;
		bool reduced = false;

		/* a chunk alone, then everything but a chunk */
		for (unsigned long s = 0; s < *n && !reduced; s += chunk) {
			unsigned long e = s + chunk < *n ? s + chunk : *n, m = e - s;

			if (shows(r, ops, keep + s, m)) {
				memmove(keep, keep + s, m * sizeof(*keep));
				*n = m;
				parts = 2;
				reduced = true;
			}
		}
		for (unsigned long s = 0; s < *n && !reduced && parts > 2; s += chunk) {
			unsigned long e = s + chunk < *n ? s + chunk : *n, m = 0;

			for (unsigned long k = 0; k < *n; k++)
				if (k < s || k >= e)
					tmp[m++] = keep[k];
			if (m && shows(r, ops, tmp, m)) {
				memcpy(keep, tmp, m * sizeof(*keep));
				*n = m;
				parts = parts > 3 ? parts - 1 : 2;
				reduced = true;
			}
		}
		if (reduced)
			continue;
		if (parts >= *n)
			break;
		parts = parts * 2 < *n ? parts * 2 : *n;
	}
	/* 1-minimal: no single op can go */
	for (unsigned long k = 0; *n > 1 && k < *n;) {
		unsigned long m = 0;

		for (unsigned long j = 0; j < *n; j++)
			if (j != k)
				tmp[m++] = keep[j];
		if (shows(r, ops, tmp, m)) {
			memcpy(keep, tmp, m * sizeof(*keep));
			*n = m;
		} else {
			k++;
		}
	}
}

static const struct cli_option minimize_options[] = {
	{ "rule", 0, 'r', CLI_V_RULE, "RULE", NULL,
	  "keep the ops that still raise RULE at some op" },
	{ "invariant", 0, 'i', CLI_V_CHOICE, "NAME", "rwo reserved sticky config-lock lock-on-commit decoder-order any",
	  "or that still violate invariant NAME (any: whichever the trace violates\n"
	  "first)" },
	{ "profile", 0, 'p', CLI_V_PROFILE, "NAME", NULL,
	  "run under NAME instead of the trace's profiles" },
	{ "from", 0, 'F', CLI_V_CHOICE, "FORMAT", "qemu-log qtest mmiotrace fuzz-ops",
	  "TRACE is a log or fuzz-ops input to import first (cxlemu import)" },
	{ "drop-read-values", 0, 'd', CLI_V_NONE, NULL, NULL,
	  "write reads without their recorded values (no read.mismatch)" },
	{ "output", 'o', 'o', CLI_V_FILE, "OUT", NULL,
	  "write OUT atomically instead of standard output" },
	{ NULL, 0, 0, CLI_V_NONE, NULL, NULL, NULL },
};

const struct cli_command cli_cmd_minimize = {
	"minimize", "shrink a trace to the fewest ops that still show a rule or an invariant failure",
	"(--rule RULE | --invariant NAME|any) [OPTION]... TRACE",
	"Writes the smallest subsequence of TRACE's ops (order kept) that still raises RULE at\n"
	"some op, or still violates the invariant NAME. Each op keeps its source, so the result\n"
	"points into the original input; devices no kept op names are left out.",
	minimize_options, CLI_V_FILE,
	"0 written, 1 TRACE does not show the finding, 2 bad input or usage",
	cxlemu_cmd_minimize,
};

int cxlemu_cmd_minimize(int argc, char **argv)
{
	struct cli_parser p;
	struct run r = { .rule = -1, .inv = -1 };
	struct cxl_trace_reader *in = NULL, *outr = NULL;
	struct cxl_trace_builder *b = NULL;
	int new_index[CXL_TRACE_MAX_DEVICES];   /* a kept device's index in the result */
	struct cxl_error err = { 0 };
	struct cli_out out = { 0 };
	struct cxl_op *ops = NULL;
	unsigned long *keep = NULL, *tmp = NULL, n = 0, cap = 0;
	const char *profile = NULL, *out_path = NULL, *path;
	bool drop = false, done = false;
	int from = -1, c, rc = EXIT_BAD_INPUT;
	char pre[1400], what[96];

	cli_parse_begin(&p, &cli_cmd_minimize, argc, argv);
	while ((c = cli_next(&p)) > 0) {
		switch (c) {
		case 'r':
			r.rule = cli_rule("minimize", p.arg);
			if (r.rule < 0)
				return EXIT_BAD_INPUT;
			break;
		case 'i':
			r.inv = !strcmp(p.arg, "any") ? -2 : cxl_invariant_lookup(p.arg);
			if (r.inv == -1)
				return cli_usage_error("minimize", "unknown invariant '%s' (rwo, reserved, sticky, "
						       "config-lock, lock-on-commit, decoder-order, any)", p.arg);
			break;
		case 'p':
			if (cli_profile("minimize", p.arg) < 0)
				return EXIT_BAD_INPUT;
			profile = p.arg;
			break;
		case 'F':
			if (cli_import_format("minimize", p.arg, &from))
				return EXIT_BAD_INPUT;
			break;
		case 'd': drop = true; break;
		case 'o': out_path = p.arg; break;
		}
	}
	if (c == CLI_STOP)
		return p.status;
	if ((r.rule < 0) == (r.inv == -1))
		return cli_usage_error("minimize", "give one of --rule RULE and --invariant NAME");
	if (p.nops != 1)
		return cli_usage_error("minimize", "give one TRACE (see cxlemu minimize --help)");
	path = p.ops[0];
	if ((rc = cli_open_trace(from, path, &in)))
		return rc;
	r.h = cxl_trace_header(in);
	/* the ops, in memory */
	for (;;) {
		if (n == cap) {
			struct cxl_op *m;

			if (cap == OPS_MAX) {
				cxl_error_set(&err, CXL_ERR_LIMIT, path, 0, 0, "more than %lu ops to minimize",
					      OPS_MAX);
				goto input_error;
			}
			cap = cap ? (cap * 2 < OPS_MAX ? cap * 2 : OPS_MAX) : 1024;
			m = realloc(ops, cap * sizeof(*ops));
			if (!m) {
				cxl_error_set(&err, CXL_ERR_LIMIT, path, 0, 0, "out of memory");
				goto input_error;
			}
			ops = m;
		}
		if (cxl_trace_next(in, &ops[n], &done, &err))
			goto input_error;
		if (done)
			break;
		n++;
	}
	keep = calloc(n ? n : 1, sizeof(*keep));
	tmp = calloc(n ? n : 1, sizeof(*tmp));
	if (!keep || !tmp) {
		rc = cli_usage_error("minimize", "out of memory");
		goto out;
	}
	for (unsigned i = 0; i < r.h->ndevices; i++) {
		const struct cxl_trace_device *td = &r.h->devices[i];
		const char *prof = profile ? profile : td->profile[0] ? td->profile :
				r.h->profile[0] ? r.h->profile : NULL;
		struct cxl_device_opts o;

		cxl_trace_device_opts(td, &o);
		if (cxl_device_create(td->name, td->model, prof, &o, &r.dev[i], &err) ||
		    cxl_checker_new(r.dev[i], &r.chk[i], &err)) {
			cxl_error_set(&err, err.code, path, td->line, td->col, "device '%s': %.400s", td->name,
				      err.msg);
			goto input_error;
		}
		cxl_device_set_sink(r.dev[i], on_event, &r);
		cxl_checker_set_full(r.chk[i], true);
	}
	for (unsigned long k = 0; k < n; k++)
		keep[k] = k;
	if (!shows(&r, ops, keep, n)) {
		fprintf(stderr, "cxlemu minimize: %s does not show the finding\n", path);
		rc = EXIT_CHECK_FAILED;
		goto out;
	}
	ddmin(&r, ops, keep, &n, tmp);
	shows(&r, ops, keep, n);   /* for the detail of the kept finding */
	/*
	 * The minimised trace: the header, only the devices a kept op names (devices do not
	 * touch each other, so the others cannot matter), the kept ops.
	 */
	if (cxl_trace_builder_new(path, &b, &err))
		goto input_error;
	{
		struct cxl_trace_header *nh = cxl_trace_builder_header(b);

		*nh = *r.h;
		nh->ndevices = 0;
		for (unsigned i = 0; i < r.h->ndevices; i++) {
			bool used = false;

			for (unsigned long k = 0; k < n && !used; k++)
				used = ops[keep[k]].kind != CXL_OP_MARK && ops[keep[k]].dev == i;
			new_index[i] = used ? (int)nh->ndevices : -1;
			if (used)
				nh->devices[nh->ndevices++] = r.h->devices[i];
		}
		if (profile)
			snprintf(nh->profile, sizeof(nh->profile), "%s", profile);
	}
	for (unsigned long k = 0; k < n; k++) {
		struct cxl_op op = ops[keep[k]];
		unsigned space;
		bool write;

		if (op.kind != CXL_OP_MARK)
			op.dev = (unsigned)new_index[op.dev];
		if (drop && cxl_op_kind_access(op.kind, &space, &write) && !write)
			op.has_value = false;
		if (cxl_trace_builder_op(b, &op, &err))
			goto input_error;
	}
	if (cxl_trace_builder_finish(b, &outr, &err)) {
		b = NULL;
		goto input_error;
	}
	b = NULL;
	if (r.rule >= 0)
		snprintf(what, sizeof(what), "--rule %s", cxl_rule_id((unsigned)r.rule));
	else
		snprintf(what, sizeof(what), "--invariant %s", cxl_invariant_name((enum cxl_invariant)r.hit_inv));
	snprintf(pre, sizeof(pre), "# Minimized by `cxlemu minimize %s` from %s (%lu %s kept).\n%s%s%s",
		 what, cxl_path_display(path), n, n == 1 ? "op" : "ops", r.inv != -1 ? "# It shows: " : "", r.inv != -1 ? r.detail : "",
		 r.inv != -1 ? "\n" : "");
	if (out_path && (rc = cli_out_open(&out, out_path, &path, 1)))
		goto out;
	if (cxl_trace_write_yaml(outr, out_path ? out.f : stdout, pre, &err)) {
		if (out_path)
			cli_out_abort(&out);
		goto input_error;
	}
	rc = out_path ? cli_out_commit(&out) : EXIT_PASS;
	fprintf(stderr, "cxlemu minimize: %lu %s kept\n", n, n == 1 ? "op" : "ops");
	goto out;
input_error:
	rc = cli_input_error(&err);
out:
	for (unsigned i = 0; r.h && i < r.h->ndevices; i++) {
		cxl_checker_free(r.chk[i]);
		cxl_device_destroy(r.dev[i]);
	}
	cxl_trace_builder_free(b);
	cxl_trace_close(outr);
	cxl_trace_close(in);
	free(ops);
	free(keep);
	free(tmp);
	return rc;
}
