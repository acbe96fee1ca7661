/* SPDX-License-Identifier: MIT */
/*
 * report.c - the four report formats, written to a spool and flushed at the end.
 *
 * text   one line per event: "FILE:LINE: op N: DEV "REGISTER".FIELD: SEVERITY:
 *        RULE: MESSAGE (DETAIL) (SPEC)", then a summary line per trace.
 *        Notes only with --verbose.
 * json   one JSON object per trace per line (JSON Lines).
 * tap    TAP version 13: one test point per trace, events as diagnostics.
 * junit  one <testcase> per trace inside one <testsuite>.
 */
#include <stdlib.h>
#include <string.h>

#include "cxlemu/catalog.h"
#include "cxlemu/decode.h"
#include "cxlemu/report.h"
#include "report_priv.h"

#define CXL_EXPORT __attribute__((visibility("default")))

struct cxl_report {
	enum cxl_report_format fmt;
	bool verbose, quiet;
	unsigned ntraces, index, failures;
	FILE *spool;
	unsigned long nevents;   /* events written for the current trace */
	unsigned long ndropped;  /* events past CXL_REPORT_MAX_EVENTS, counted, not written */
	bool state_open;
	char path[1024];
};

static const char *sev_word(unsigned s)
{
	return cxl_severity_word(s);
}

/*
 * The length of the UTF-8 sequence at @s (1..4) and its code point in *@cp, or 0 when @s
 * does not start a valid one (stray continuation, overlong form, surrogate, past U+10FFFF).
 */
static unsigned utf8_at(const unsigned char *s, unsigned *cp)
{
	unsigned c = s[0], len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 :
		     (c & 0xf8) == 0xf0 ? 4 : 0;

	*cp = len == 1 ? c : len == 2 ? c & 0x1f : len == 3 ? c & 0x0f : c & 0x07;
	for (unsigned k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[k] & 0x3f);
	}
	if ((len == 2 && *cp < 0x80) || (len == 3 && *cp < 0x800) ||
	    (len == 4 && (*cp < 0x10000 || *cp > 0x10ffff)) || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return len;
}

/* JSON string escaping; a byte that is not UTF-8 is written as U+FFFD (JSON is UTF-8). */
CXL_EXPORT
void cxl_json_escape(FILE *out, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	while (*u) {
		unsigned cp, n = utf8_at(u, &cp);

		if (!n)
			fputs("\\ufffd", out), n = 1;
		else if (cp == '"' || cp == '\\')
			fprintf(out, "\\%c", cp);
		else if (cp == '\n')
			fputs("\\n", out);
		else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029)
			fprintf(out, "\\u%04x", cp);
		else
			fwrite(u, 1, n, out);
		u += n;
	}
}

/* XML text escaping for JUnit (report_priv.h). */
void cxl_xml_escape(FILE *out, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	while (*u) {
		unsigned cp, n = utf8_at(u, &cp);

		if (!n) {
			fputc('?', out);   /* not UTF-8: no XML character */
			n = 1;
		} else if (cp == '<') {
			fputs("&lt;", out);
		} else if (cp == '>') {
			fputs("&gt;", out);
		} else if (cp == '&') {
			fputs("&amp;", out);
		} else if (cp == '"') {
			fputs("&quot;", out);
		} else if ((cp >= 0x20 && cp != 0xfffe && cp != 0xffff) || cp == '\n') {
			fwrite(u, 1, n, out);
		}
		u += n;
	}
}

/* Terminal-safe text (report_priv.h). */
void cxl_text_escape(FILE *out, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	while (*u) {
		unsigned cp, n = utf8_at(u, &cp);

		if (!n)
			fprintf(out, "\\x%02x", *u), n = 1;
		else if (cp == '\n')
			fputs("\\n", out);
		else if (cp == '\r')
			fputs("\\r", out);
		else if (cp == '\t')
			fputs("\\t", out);
		else if (cp < 0x20 || cp == 0x7f)
			fprintf(out, "\\x%02x", cp);
		else if ((cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029)
			fprintf(out, "\\u%04x", cp);
		else
			fwrite(u, 1, n, out);
		u += n;
	}
}

CXL_EXPORT
struct cxl_report *cxl_report_new(enum cxl_report_format fmt, bool verbose, bool quiet,
				  unsigned ntraces)
{
	struct cxl_report *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->fmt = fmt;
	r->verbose = verbose;
	r->quiet = quiet;
	r->ntraces = ntraces;
	r->spool = tmpfile();
	if (!r->spool) {
		free(r);
		return NULL;
	}
	return r;
}

CXL_EXPORT
void cxl_report_trace_begin(struct cxl_report *r, const char *path, const char *description,
			    const char *profile)
{
	r->index++;
	snprintf(r->path, sizeof(r->path), "%s", path);
	r->nevents = 0;
	r->ndropped = 0;
	r->state_open = false;
	switch (r->fmt) {
	case CXL_REPORT_JSON:
		fputs("{\"trace\": \"", r->spool);
		cxl_json_escape(r->spool, path);
		fputs("\", \"description\": \"", r->spool);
		cxl_json_escape(r->spool, description ? description : "");
		fputs("\", \"profile\": \"", r->spool);
		cxl_json_escape(r->spool, profile);
		fputs("\", \"events\": [", r->spool);
		break;
	case CXL_REPORT_TAP:
		fprintf(r->spool, "# %s: ", path);
		cxl_text_escape(r->spool, description ? description : "");
		fputc('\n', r->spool);
		break;
	case CXL_REPORT_JUNIT:
		fputs("  <testcase classname=\"cxlemu.replay\" name=\"", r->spool);
		cxl_xml_escape(r->spool, path);
		fputs("\">\n    <system-out>", r->spool);
		break;
	default:
		break;
	}
}

/* The spec section to show: the rule's own, else the register's. */
static const char *spec_of(const struct cxl_event *ev)
{
	const char *s = cxl_rule_spec(ev->rule);

	return strcmp(s, "-") ? s : ev->reg_spec;
}

/* Writes the "OP: DEV "REG".FIELD: SEV: RULE: MESSAGE (DETAIL) (SPEC)" part. */
static void event_line(FILE *f, const struct cxl_event *ev)
{
	const char *spec = spec_of(ev);
	char detail[192];

	fprintf(f, "op %lu", ev->op);
	if (ev->src[0]) {
		fputs(" [", f);
		cxl_text_escape(f, ev->src);
		fputc(']', f);
	}
	fprintf(f, ": %s", ev->device);
	if (ev->reg[0])
		fprintf(f, " \"%s\"", ev->reg);
	if (ev->field[0])
		fprintf(f, ".%s", ev->field);
	cxl_event_detail(ev, detail, sizeof(detail));
	fprintf(f, ": %s: %s: %s", sev_word(ev->severity), cxl_rule_id(ev->rule),
		cxl_rule_message(ev->rule));
	if (detail[0])
		fprintf(f, " (%s)", detail);
	if (spec[0])
		fprintf(f, " (%s)", spec);
}

CXL_EXPORT
void cxl_report_event(struct cxl_report *r, const struct cxl_event *ev)
{
	char detail[192];

	if (ev->severity == CXL_SEV_NOTE && !r->verbose)
		return;
	/* the spool stays proportional to what a reader can use, not to the trace */
	if (r->nevents >= CXL_REPORT_MAX_EVENTS) {
		r->ndropped++;
		return;
	}
	switch (r->fmt) {
	case CXL_REPORT_TEXT:
		if (r->quiet)
			return;
		fprintf(r->spool, "%s:%lu: ", r->path, ev->line);
		event_line(r->spool, ev);
		fputc('\n', r->spool);
		break;
	case CXL_REPORT_JSON:
		fprintf(r->spool, "%s{\"op\": %lu, \"line\": %lu, \"source\": \"", r->nevents ? ", " : "",
			ev->op, ev->line);
		cxl_json_escape(r->spool, ev->src);
		fputs("\", \"device\": \"", r->spool);
		cxl_json_escape(r->spool, ev->device);
		fputs("\", \"register\": \"", r->spool);
		cxl_json_escape(r->spool, ev->reg);
		fputs("\", \"field\": \"", r->spool);
		cxl_json_escape(r->spool, ev->field);
		fprintf(r->spool, "\", \"rule\": \"%s\", \"severity\": \"%s\", \"message\": \"",
			cxl_rule_id(ev->rule), sev_word(ev->severity));
		cxl_json_escape(r->spool, cxl_rule_message(ev->rule));
		fputs("\", \"detail\": \"", r->spool);
		cxl_event_detail(ev, detail, sizeof(detail));
		cxl_json_escape(r->spool, detail);
		fputs("\", \"spec\": \"", r->spool);
		cxl_json_escape(r->spool, spec_of(ev));
		fprintf(r->spool, "\", \"old\": %llu, \"new\": %llu}",
			(unsigned long long)ev->old_value, (unsigned long long)ev->new_value);
		break;
	case CXL_REPORT_TAP:
		fprintf(r->spool, "# line %lu: ", ev->line);
		event_line(r->spool, ev);
		fputc('\n', r->spool);
		break;
	case CXL_REPORT_JUNIT: {
		char buf[1024];
		FILE *m = fmemopen(buf, sizeof(buf), "w");

		if (m) {
			fprintf(m, "line %lu: ", ev->line);
			event_line(m, ev);
			fclose(m);
			buf[sizeof(buf) - 1] = 0;
			cxl_xml_escape(r->spool, buf);
			fputc('\n', r->spool);
		}
		break;
	}
	}
	r->nevents++;
}

CXL_EXPORT
void cxl_report_mark(struct cxl_report *r, unsigned long op, unsigned long line, const char *text)
{
	if (!r->verbose || r->fmt != CXL_REPORT_TEXT || r->quiet)
		return;
	fprintf(r->spool, "%s:%lu: op %lu: mark: ", r->path, line, op);
	cxl_text_escape(r->spool, text);
	fputc('\n', r->spool);
}

/* Prints every register; JSON as an array of objects (no trailing newline). */
static void dump_regs(const struct cxl_device *d, FILE *out, bool json)
{
	for (unsigned i = 0; i < cxl_device_nregs(d); i++) {
		unsigned space, width;
		uint32_t off;
		const char *name;
		uint64_t value;

		cxl_device_reg_info(d, i, &space, &off, &name, &value);
		cxl_device_reg_detail(d, i, &width, NULL, NULL);
		if (json)
			fprintf(out, "%s{\"space\": \"%s\", \"offset\": %u, \"register\": \"%s\", \"value\": %llu}",
				i ? ", " : "", cxl_space_word(space), off, name,
				(unsigned long long)value);
		else
			fprintf(out, "  %-9s 0x%04x  %-48s 0x%0*llx\n", cxl_space_word(space), off, name,
				(int)width / 4, (unsigned long long)value);
	}
}

/*
 * Prints, for every committed decoder, its HPA window and where it routes (CXL r3.1
 * §8.2.4.20, decode flows): a port's target for each way, or the DPA a device maps the
 * window's first byte to (DPA Skip accumulated).
 */
static void dump_decode(const struct cxl_device *d, FILE *out)
{
	struct cxl_decoder_prog p[32];
	bool port;
	unsigned n = cxl_device_decoders(d, p, 32, &port);

	for (unsigned i = 0; i < n; i++) {
		unsigned ways = 0;
		uint64_t gran = 0, dpa;
		uint8_t t;

		if (!p[i].committed)
			continue;
		cxl_iw_ways(p[i].iw, &ways);
		cxl_ig_bytes(p[i].ig, &gran);
		fprintf(out, "  decode: decoder %u HPA [0x%llx, 0x%llx) %u-way, %llu-byte granules", i,
			(unsigned long long)p[i].base, (unsigned long long)(p[i].base + p[i].size),
			ways, (unsigned long long)gran);
		if (!p[i].size) {
			fputs(": size 0, decodes nothing\n", out);
		} else if (port) {
			fputs(": ways -> ports", out);
			for (unsigned w = 0; w < ways && w < 8; w++) {
				uint64_t hpa = p[i].base + (uint64_t)w * gran;

				if (cxl_decode_port(p, n, hpa, &t) == (int)i)
					fprintf(out, " %u", t);
				else
					fputs(" -", out);
			}
			fputc('\n', out);
		} else if (cxl_decode_device(p, n, p[i].base, &dpa) == (int)i) {
			fprintf(out, ": first byte -> DPA 0x%llx\n", (unsigned long long)dpa);
		} else {
			fputs(": not decodable (reserved encoding or overlap)\n", out);
		}
	}
}

CXL_EXPORT
void cxl_report_state(struct cxl_report *r, const struct cxl_device *d)
{
	switch (r->fmt) {
	case CXL_REPORT_JSON:
		fprintf(r->spool, "%s\"", r->state_open ? ", " : "], \"state\": {");
		cxl_json_escape(r->spool, cxl_device_name(d));
		fputs("\": [", r->spool);
		dump_regs(d, r->spool, true);
		fputs("]", r->spool);
		r->state_open = true;
		break;
	case CXL_REPORT_TEXT:
		fprintf(r->spool, "state of %s (%s, profile %s):\n", cxl_device_name(d),
			cxl_device_model_name(d), cxl_device_profile_name(d));
		dump_regs(d, r->spool, false);
		dump_decode(d, r->spool);
		break;
	default:
		break;
	}
}

/* Prints the expectation differences of @s, one per line, with @prefix. */
static void diffs(FILE *f, const char *prefix, const struct cxl_trace_summary *s)
{
	for (unsigned long i = 0; i < s->nmissing && i < CXL_REPORT_MAX_DIFFS; i++)
		fprintf(f, "%sexpected but not seen: op %lu %s\n", prefix, s->missing[i].op,
			s->missing[i].rule_id);
	for (unsigned long i = 0; i < s->nunexpected && i < CXL_REPORT_MAX_DIFFS; i++)
		fprintf(f, "%sseen but not expected: op %lu %s\n", prefix, s->unexpected[i].op,
			s->unexpected[i].rule_id);
}

CXL_EXPORT
void cxl_report_trace_end(struct cxl_report *r, const struct cxl_trace_summary *s)
{
	FILE *f = r->spool;

	if (!s->pass)
		r->failures++;
	if (r->ndropped && r->fmt != CXL_REPORT_JSON)
		fprintf(f, "%s%s: ... and %lu more events not shown (at most %lu per trace; the counts "
			"below include them)\n", r->fmt == CXL_REPORT_TAP ? "# " : "", s->path, r->ndropped,
			CXL_REPORT_MAX_EVENTS);
	switch (r->fmt) {
	case CXL_REPORT_TEXT:
		diffs(f, "", s);
		fprintf(f, "%s: profile %s: %lu ops; %lu errors, %lu warnings, %lu notes; "
			"reads %lu checked, %lu mismatched; %lu unmodelled; state %016llx; ",
			s->path, s->profile, s->ops, s->by_severity[CXL_SEV_ERROR],
			s->by_severity[CXL_SEV_WARNING], s->by_severity[CXL_SEV_NOTE],
			s->reads_checked, s->mismatches, s->unmodeled,
			(unsigned long long)s->state_hash);
		if (s->has_expect)
			fprintf(f, "expected %lu events: %s\n", s->nexpected, s->pass ? "PASS" : "FAIL");
		else
			fprintf(f, "%s\n", s->pass ? "PASS" : "FAIL");
		break;
	case CXL_REPORT_JSON:
		fprintf(f, "%s, \"ops\": %lu, \"errors\": %lu, \"warnings\": %lu, \"notes\": %lu, "
			"\"reads_checked\": %lu, \"mismatches\": %lu, \"unmodeled\": %lu, "
			"\"state_hash\": \"%016llx\", \"events_dropped\": %lu, \"expect\": %s, \"missing\": [",
			r->state_open ? "}" : "]", s->ops, s->by_severity[CXL_SEV_ERROR],
			s->by_severity[CXL_SEV_WARNING], s->by_severity[CXL_SEV_NOTE],
			s->reads_checked, s->mismatches, s->unmodeled,
			(unsigned long long)s->state_hash, r->ndropped, s->has_expect ? "true" : "false");
		for (unsigned long i = 0; i < s->nmissing && i < CXL_REPORT_MAX_DIFFS; i++)
			fprintf(f, "%s{\"op\": %lu, \"rule\": \"%s\"}", i ? ", " : "", s->missing[i].op,
				s->missing[i].rule_id);
		fputs("], \"unexpected\": [", f);
		for (unsigned long i = 0; i < s->nunexpected && i < CXL_REPORT_MAX_DIFFS; i++)
			fprintf(f, "%s{\"op\": %lu, \"rule\": \"%s\"}", i ? ", " : "",
				s->unexpected[i].op, s->unexpected[i].rule_id);
		fprintf(f, "], \"result\": \"%s\"}\n", s->pass ? "pass" : "fail");
		break;
	case CXL_REPORT_TAP:
		diffs(f, "# ", s);
		fprintf(f, "%s %u - %s # %lu ops, %lu errors, %lu warnings, state %016llx\n",
			s->pass ? "ok" : "not ok", r->index, s->path, s->ops,
			s->by_severity[CXL_SEV_ERROR], s->by_severity[CXL_SEV_WARNING],
			(unsigned long long)s->state_hash);
		break;
	case CXL_REPORT_JUNIT:
		fprintf(f, "%lu ops, %lu errors, %lu warnings, state %016llx\n", s->ops,
			s->by_severity[CXL_SEV_ERROR], s->by_severity[CXL_SEV_WARNING],
			(unsigned long long)s->state_hash);
		fputs("</system-out>\n", f);
		if (!s->pass) {
			fputs("    <failure message=\"", f);
			cxl_xml_escape(f, s->has_expect ? "events differ from expect:" : "error events");
			fputs("\">", f);
			for (unsigned long i = 0; i < s->nmissing && i < CXL_REPORT_MAX_DIFFS; i++)
				fprintf(f, "expected but not seen: op %lu %s\n", s->missing[i].op,
					s->missing[i].rule_id);
			for (unsigned long i = 0; i < s->nunexpected && i < CXL_REPORT_MAX_DIFFS; i++)
				fprintf(f, "seen but not expected: op %lu %s\n", s->unexpected[i].op,
					s->unexpected[i].rule_id);
			fputs("</failure>\n", f);
		}
		fputs("  </testcase>\n", f);
		break;
	}
}

CXL_EXPORT
bool cxl_report_flush(struct cxl_report *r, FILE *out)
{
	char buf[65536];
	size_t n;

	if (r->fmt == CXL_REPORT_TAP)
		fprintf(out, "TAP version 13\n1..%u\n", r->ntraces);
	if (r->fmt == CXL_REPORT_JUNIT)
		fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
			"<testsuite name=\"cxlemu\" tests=\"%u\" failures=\"%u\" errors=\"0\">\n",
			r->ntraces, r->failures);
	rewind(r->spool);
	while ((n = fread(buf, 1, sizeof(buf), r->spool)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			return false;
	if (r->fmt == CXL_REPORT_JUNIT)
		fputs("</testsuite>\n</testsuites>\n", out);
	return fflush(out) == 0 && !ferror(out);
}

CXL_EXPORT
void cxl_report_free(struct cxl_report *r)
{
	if (!r)
		return;
	fclose(r->spool);
	free(r);
}
