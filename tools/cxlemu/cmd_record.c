/* SPDX-License-Identifier: MIT */
/*
 * cmd_record.c - "cxlemu record --target T TRACE -o OUT": run a trace's ops on a target and
 * write the trace it produced, with the values it answered and where it came from.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "cxlemu/conform.h"
#include "cxlemu/target.h"
#include "cxlemu/trace.h"

/*
 * Appends @n bytes of @s to @p (at *@at, @cap bytes) so that they stay inside one YAML
 * comment line: valid UTF-8 only, every control character (C0, DEL, C1 such as NEL) and
 * the Unicode line and paragraph separators and BOM, which YAML reads as breaks or marks,
 * become '?'. A target's version text or a path cannot end the comment early.
 */
static void comment_text(char *p, size_t cap, size_t *at, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < n && *at + 5 < cap;) {
		unsigned c = u[i], len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 :
			     (c & 0xf8) == 0xf0 ? 4 : 0;
		unsigned cp = len == 1 ? c : len == 2 ? c & 0x1f : len == 3 ? c & 0x0f : c & 0x07;
		bool ok = len && i + len <= n;

		for (unsigned k = 1; ok && k < len; k++) {
			ok = (u[i + k] & 0xc0) == 0x80;
			cp = cp << 6 | (u[i + k] & 0x3f);
		}
		/* overlong forms, surrogates, past U+10FFFF: not UTF-8 */
		ok = ok && !(len == 2 && cp < 0x80) && !(len == 3 && cp < 0x800) &&
		     !(len == 4 && (cp < 0x10000 || cp > 0x10ffff)) && !(cp >= 0xd800 && cp <= 0xdfff);
		if (!ok || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 ||
		    cp == 0x2029 || cp == 0xfeff) {
			p[(*at)++] = '?';
			i += ok ? len : 1;
			continue;
		}
		memcpy(p + *at, s + i, len);
		*at += len;
		i += len;
	}
	p[*at] = '\0';
}

/* The provenance comment: "# " before each line of @prov, plus the command. */
static char *preamble(const char *trace, const char *spec, const char *prov)
{
	size_t cap = strlen(prov) * 2 + strlen(trace) + strlen(spec) + 256, n = 0;
	char *p = malloc(cap);

	if (!p)
		return NULL;
	comment_text(p, cap, &n, "# Recorded by `cxlemu record --target ", strlen("# Recorded by `cxlemu record --target "));
	comment_text(p, cap, &n, spec, strlen(spec));
	comment_text(p, cap, &n, "` from ", strlen("` from "));
	comment_text(p, cap, &n, trace, strlen(trace));
	n += (size_t)snprintf(p + n, cap - n, ".\n");
	for (const char *s = prov; *s && n < cap - 8;) {
		const char *e = strchr(s, '\n');
		size_t k = e ? (size_t)(e - s) : strlen(s);

		comment_text(p, cap - 2, &n, "# ", 2);
		comment_text(p, cap - 2, &n, s, k);
		p[n++] = '\n';
		p[n] = '\0';
		s += k + (e ? 1 : 0);
	}
	return p;
}

static const struct cli_option record_options[] = {
	{ "target", 0, 't', CLI_V_TARGET, "TARGET", NULL,
	  "model[:PROFILE], qemu[=PATH] or exec:COMMAND (required; see cxlemu(1))" },
	{ "timeout", 0, 'T', CLI_V_TEXT, "MS", NULL,
	  "how long a process target may take to answer (default 10000)" },
	{ "output", 'o', 'o', CLI_V_FILE, "OUT", NULL,
	  "write OUT atomically instead of standard output" },
	{ NULL, 0, 0, CLI_V_NONE, NULL, NULL, NULL },
};

const struct cli_command cli_cmd_record = {
	"record", "run a trace on a target (model, QEMU, a program) and write what it did",
	"--target TARGET [--timeout MS] [-o OUT] TRACE",
	"Runs TRACE's ops on TARGET and writes the trace it produced (YAML): reads carry the\n"
	"values TARGET answered, a reset that hit other devices too is written for each, and\n"
	"an op TARGET cannot perform becomes a mark saying why. A comment header records the\n"
	"target, its version and its command line.",
	record_options, CLI_V_FILE,
	"0 recorded, 2 bad input, a target that failed, died or timed out",
	cxlemu_cmd_record,
};

int cxlemu_cmd_record(int argc, char **argv)
{
	struct cli_parser p;
	struct cxl_target_opts to = { 0 };
	const char *spec = NULL, *out_path = NULL;
	struct cxl_trace_reader *r = NULL, *rec = NULL;
	struct cxl_trace_builder *b = NULL;
	struct cxl_target *t = NULL;
	struct cxl_error err = { 0 };
	struct cli_out out = { 0 };
	char *pre = NULL;
	int c, rc = EXIT_BAD_INPUT;

	cli_parse_begin(&p, &cli_cmd_record, argc, argv);
	while ((c = cli_next(&p)) > 0) {
		switch (c) {
		case 't': spec = p.arg; break;
		case 'T':
			if (cli_timeout("record", p.arg, &to.timeout_ms))
				return EXIT_BAD_INPUT;
			break;
		case 'o': out_path = p.arg; break;
		}
	}
	if (c == CLI_STOP)
		return p.status;
	if (!spec)
		return cli_usage_error("record", "--target is required (see cxlemu record --help)");
	if (p.nops != 1)
		return cli_usage_error("record", "give exactly one TRACE (see cxlemu record --help)");
	if (cxl_target_open(spec, &to, &t, &err))
		return cli_usage_error("record", "%s", err.msg);
	if (cxl_trace_open(p.ops[0], &r, &err) || cxl_trace_builder_new(p.ops[0], &b, &err)) {
		rc = cli_input_error(&err);
		goto out;
	}
	*cxl_trace_builder_header(b) = *cxl_trace_header(r);
	cxl_trace_builder_header(b)->ndevices = 0;
	if (cxl_record(r, t, b, &err)) {
		rc = cli_input_error(&err);
		goto out;
	}
	snprintf(cxl_trace_builder_header(b)->description, CXL_TRACE_TEXT_MAX, "%.400s, recorded on %s",
		 cxl_trace_header(r)->description[0] ? cxl_trace_header(r)->description : p.ops[0],
		 cxl_target_kind(t));
	pre = preamble(p.ops[0], spec, cxl_target_provenance(t));
	if (cxl_trace_builder_finish(b, &rec, &err)) {
		b = NULL;
		rc = cli_input_error(&err);
		goto out;
	}
	b = NULL;
	if (out_path) {
		const char *in[1] = { p.ops[0] };

		if ((rc = cli_out_open(&out, out_path, in, 1)))
			goto out;
	}
	if (cxl_trace_write_yaml(rec, out_path ? out.f : stdout, pre, &err)) {
		cli_out_abort(&out);
		rc = cli_input_error(&err);
		goto out;
	}
	rc = out_path ? cli_out_commit(&out) : (fflush(stdout) ? EXIT_BAD_INPUT : EXIT_PASS);
out:
	free(pre);
	cxl_trace_builder_free(b);
	cxl_trace_close(rec);
	cxl_trace_close(r);
	cxl_target_close(t);
	return rc;
}
