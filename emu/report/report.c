/* SPDX-License-Identifier: MIT */
/*
 * report.c - the four report formats of cxlemu replay, written to a spool and flushed at the
 * end (the format descriptions are in cxlemu/report.h, the JSON keys in doc/report.schema.json,
 * the JUnit shape in doc/junit.xsd).
 *
 * Each trace's output goes to a per-trace spool first and is appended to the report's spool
 * by cxl_report_trace_end() (JUnit needs the verdict before the events; an input error
 * discards a trace's partial output). Output is deterministic: no clock, no addresses.
 */
#include <stdlib.h>
#include <string.h>

#include "cxlemu/catalog.h"
#include "cxlemu/decode.h"
#include "cxlemu/report.h"
#include "report_priv.h"

#define CXL_EXPORT __attribute__((visibility("default")))

/* One reason a trace failed, for the TAP diagnostics and the JUnit failure. */
struct problem {
	char kind;                    /* 'e' error event (no expect:), 'm' not seen, 'u' not expected */
	unsigned long op, line, col;
	unsigned rule, severity;
};

struct cxl_report {
	enum cxl_report_format fmt;
	bool verbose, quiet;
	unsigned ntraces, index;
	struct cxl_report_counts counts;
	FILE *spool;             /* the whole report, but the TAP plan and the JUnit suite tags */
	FILE *body;              /* the current trace's lines (events, marks, state) */
	bool in_trace;
	bool bailed;             /* TAP: Bail out! was written; nothing more is */
	unsigned long nevents;   /* events written for the current trace */
	unsigned long ndropped;  /* events past CXL_REPORT_MAX_EVENTS, counted, not written */
	bool state_open;
	struct problem errs[CXL_REPORT_MAX_DIFFS]; /* the current trace's first error events */
	unsigned long nerrs;
	char path[1024], profile[64], description[512];
};

static const char *sev_word(unsigned s)
{
	return cxl_severity_word(s);
}

/* "1 error", "2 errors": @n with @word, plural with an s unless @n is 1. */
static void count_words(FILE *f, unsigned long n, const char *word)
{
	fprintf(f, "%lu %s%s", n, word, n == 1 ? "" : "s");
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

/* XML 1.0 escaping; @attr also escapes tab and newline (attribute value normalisation). */
static void xml_escape(FILE *out, const char *s, bool attr)
{
	const unsigned char *u = (const unsigned char *)s;

	while (*u) {
		unsigned cp, n = utf8_at(u, &cp);

		if (!n) {
			fputs("\xef\xbf\xbd", out);   /* not UTF-8: U+FFFD */
			n = 1;
		} else if (cp == '<') {
			fputs("&lt;", out);
		} else if (cp == '>') {
			fputs("&gt;", out);
		} else if (cp == '&') {
			fputs("&amp;", out);
		} else if (cp == '"') {
			fputs("&quot;", out);
		} else if (cp == '\r' || (attr && (cp == '\n' || cp == '\t'))) {
			fprintf(out, "&#%u;", cp);
		} else if (cp < 0x20 && cp != '\n' && cp != '\t') {
			fputs("\xef\xbf\xbd", out);   /* XML 1.0 §2.2 Char: no other C0 control */
		} else if (cp == 0xfffe || cp == 0xffff) {
			fputs("\xef\xbf\xbd", out);
		} else {
			fwrite(u, 1, n, out);
		}
		u += n;
	}
}

/* XML character data (report_priv.h). */
void cxl_xml_escape(FILE *out, const char *s)
{
	xml_escape(out, s, false);
}

/* XML attribute value (report_priv.h). */
void cxl_xml_attr_escape(FILE *out, const char *s)
{
	xml_escape(out, s, true);
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

/* cxl_text_escape()s @s into a buffer (NULL when out of memory); the caller frees it. */
static char *text_escaped(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return NULL;
	cxl_text_escape(m, s);
	if (fclose(m)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Writes cxl_text_escape(@s) with each character of @special escaped by a backslash. */
static void escape_more(FILE *out, const char *s, const char *special)
{
	char *t = text_escaped(s);

	for (const char *p = t ? t : "?"; *p; p++) {
		if (strchr(special, *p))
			fputc('\\', out);
		fputc(*p, out);
	}
	free(t);
}

/* TAP description (report_priv.h). */
void cxl_tap_escape(FILE *out, const char *s)
{
	escape_more(out, s, "\\#");
}

/* YAML double-quoted scalar (report_priv.h). */
void cxl_tap_yaml_quote(FILE *out, const char *s)
{
	fputc('"', out);
	escape_more(out, s, "\\\"");
	fputc('"', out);
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
	r->body = tmpfile();
	if (!r->spool || !r->body) {
		if (r->spool)
			fclose(r->spool);
		if (r->body)
			fclose(r->body);
		free(r);
		return NULL;
	}
	return r;
}

/* Appends the current trace's spooled lines (the body up to its write position) to @out. */
static void body_copy(struct cxl_report *r, FILE *out)
{
	long len = ftell(r->body);
	char buf[65536];

	rewind(r->body);
	while (len > 0) {
		size_t n = fread(buf, 1, len < (long)sizeof(buf) ? (size_t)len : sizeof(buf), r->body);

		if (!n)
			break;
		fwrite(buf, 1, n, out);
		len -= (long)n;
	}
	rewind(r->body);
}

CXL_EXPORT
void cxl_report_trace_begin(struct cxl_report *r, const char *path, const char *description,
			    const char *profile)
{
	if (r->bailed)
		return;
	snprintf(r->path, sizeof(r->path), "%s", path);
	snprintf(r->profile, sizeof(r->profile), "%s", profile ? profile : "");
	snprintf(r->description, sizeof(r->description), "%s", description ? description : "");
	r->nevents = 0;
	r->ndropped = 0;
	r->nerrs = 0;
	r->state_open = false;
	r->in_trace = true;
	rewind(r->body);   /* what an abandoned trace left is overwritten, never copied */
	if (r->fmt == CXL_REPORT_JSON) {
		fprintf(r->body, "{\"schema_version\": %d, \"trace\": \"", CXL_REPORT_SCHEMA_VERSION);
		cxl_json_escape(r->body, path);
		fputs("\", \"description\": \"", r->body);
		cxl_json_escape(r->body, r->description);
		fputs("\", \"profile\": \"", r->body);
		cxl_json_escape(r->body, r->profile);
		fputs("\", \"events\": [", r->body);
	}
}

/* The spec section to show: the rule's own, else the register's. */
static const char *spec_of(const struct cxl_event *ev)
{
	const char *s = cxl_rule_spec(ev->rule);

	return strcmp(s, "-") ? s : ev->reg_spec;
}

/* Writes "PATH:LINE:COL" (":LINE" when @line, ":COL" when @col), the path terminal-safe. */
static void where(FILE *f, const char *path, unsigned long line, unsigned long col)
{
	cxl_text_escape(f, path);
	if (line)
		fprintf(f, ":%lu", line);
	if (line && col)
		fprintf(f, ":%lu", col);
}

/*
 * Whether the recorded source @src ("FILE:LINE") is the position PATH:@line itself (an
 * import replayed in memory: the trace is the log), so a "recorded here" note would repeat it.
 */
static bool same_place(const char *path, unsigned long line, const char *src)
{
	const char *base = strrchr(path, '/');
	size_t n;
	char *end;

	base = base ? base + 1 : path;
	n = strlen(base);
	return !strncmp(src, base, n) && src[n] == ':' && strtoul(src + n + 1, &end, 10) == line &&
	       !*end;
}

/*
 * Writes event @ev of trace @path as gcc-style lines, each starting with @prefix:
 * "PATH:LINE:COL: SEVERITY: op N: DEV "REG".FIELD: MESSAGE (DETAIL) (SPEC) [RULE]", then,
 * for an op imported from a log, "FILE:LINE: note: op N was recorded here".
 */
static void event_text(FILE *f, const char *prefix, const char *path, const struct cxl_event *ev,
		       unsigned long col)
{
	const char *spec = spec_of(ev);
	char detail[192];

	fputs(prefix, f);
	where(f, path, ev->line, col);
	fprintf(f, ": %s: op %lu: %s", sev_word(ev->severity), ev->op, ev->device);
	if (ev->reg[0])
		fprintf(f, " \"%s\"", ev->reg);
	if (ev->field[0])
		fprintf(f, ".%s", ev->field);
	cxl_event_detail(ev, detail, sizeof(detail));
	fprintf(f, ": %s", cxl_rule_message(ev->rule));
	if (detail[0])
		fprintf(f, " (%s)", detail);
	if (spec && spec[0])
		fprintf(f, " (%s)", spec);
	fprintf(f, " [%s]\n", cxl_rule_id(ev->rule));
	if (ev->src && ev->src[0] && !same_place(path, ev->line, ev->src)) {
		const char *slash = strrchr(path, '/');

		fputs(prefix, f);
		/* a relative source is the log beside the trace (importers name it so): the
		 * note gives the path from here, which an editor can open */
		if (ev->src[0] != '/' && slash) {
			char dir[4096];

			snprintf(dir, sizeof(dir), "%.*s/", (int)(slash - path), path);
			cxl_text_escape(f, dir);
		}
		cxl_text_escape(f, ev->src);
		fprintf(f, ": note: op %lu was recorded here\n", ev->op);
	}
}

/* Writes event @ev as XML character data into @out (its text lines, through a bounded buffer). */
static void event_xml(FILE *out, const char *path, const struct cxl_event *ev, unsigned long col)
{
	char buf[8192];
	FILE *m = fmemopen(buf, sizeof(buf), "w");

	if (!m)
		return;
	event_text(m, "", path, ev, col);
	fclose(m);
	buf[sizeof(buf) - 1] = 0;
	cxl_xml_escape(out, buf);
}

CXL_EXPORT
void cxl_report_event(struct cxl_report *r, const struct cxl_event *ev)
{
	cxl_report_event_at(r, ev, 0);
}

CXL_EXPORT
void cxl_report_event_at(struct cxl_report *r, const struct cxl_event *ev, unsigned long col)
{
	char detail[192];
	FILE *f = r->body;

	if (r->bailed)
		return;
	if (ev->severity == CXL_SEV_ERROR) {
		if (r->nerrs < CXL_REPORT_MAX_DIFFS)
			r->errs[r->nerrs] = (struct problem){ 'e', ev->op, ev->line, col, ev->rule,
							      ev->severity };
		r->nerrs++;
	}
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
		event_text(f, "", r->path, ev, col);
		break;
	case CXL_REPORT_JSON:
		fprintf(f, "%s{\"op\": %lu, \"line\": %lu, \"column\": %lu, \"source\": \"",
			r->nevents ? ", " : "", ev->op, ev->line, col);
		cxl_json_escape(f, ev->src ? ev->src : "");
		fputs("\", \"device\": \"", f);
		cxl_json_escape(f, ev->device);
		fputs("\", \"register\": \"", f);
		cxl_json_escape(f, ev->reg);
		fputs("\", \"field\": \"", f);
		cxl_json_escape(f, ev->field);
		fprintf(f, "\", \"rule\": \"%s\", \"severity\": \"%s\", \"message\": \"",
			cxl_rule_id(ev->rule), sev_word(ev->severity));
		cxl_json_escape(f, cxl_rule_message(ev->rule));
		fputs("\", \"detail\": \"", f);
		cxl_event_detail(ev, detail, sizeof(detail));
		cxl_json_escape(f, detail);
		fputs("\", \"spec\": \"", f);
		cxl_json_escape(f, spec_of(ev));
		fprintf(f, "\", \"old\": %llu, \"new\": %llu}",
			(unsigned long long)ev->old_value, (unsigned long long)ev->new_value);
		break;
	case CXL_REPORT_TAP:
		event_text(f, "# ", r->path, ev, col);
		break;
	case CXL_REPORT_JUNIT:
		event_xml(f, r->path, ev, col);
		break;
	}
	r->nevents++;
}

CXL_EXPORT
void cxl_report_mark(struct cxl_report *r, unsigned long op, unsigned long line, const char *text)
{
	cxl_report_mark_at(r, op, line, 0, text);
}

CXL_EXPORT
void cxl_report_mark_at(struct cxl_report *r, unsigned long op, unsigned long line,
			unsigned long col, const char *text)
{
	if (r->bailed || !r->verbose || r->fmt != CXL_REPORT_TEXT || r->quiet)
		return;
	where(r->body, r->path, line, col);
	fprintf(r->body, ": note: op %lu: mark: ", op);
	cxl_text_escape(r->body, text);
	fputc('\n', r->body);
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
	if (r->bailed)
		return;
	switch (r->fmt) {
	case CXL_REPORT_JSON:
		fprintf(r->body, "%s\"", r->state_open ? ", " : "], \"state\": {");
		cxl_json_escape(r->body, cxl_device_name(d));
		fputs("\": [", r->body);
		dump_regs(d, r->body, true);
		fputs("]", r->body);
		r->state_open = true;
		break;
	case CXL_REPORT_TEXT:
		cxl_text_escape(r->body, r->path);
		fprintf(r->body, ": state of %s (%s, profile %s):\n", cxl_device_name(d),
			cxl_device_model_name(d), cxl_device_profile_name(d));
		dump_regs(d, r->body, false);
		dump_decode(d, r->body);
		break;
	default:
		break;
	}
}

/* Whether @s had nothing to check: it passed and no op reached a device. */
static bool nothing_checked(const struct cxl_trace_summary *s)
{
	return s->pass && !s->device_ops;
}

/* The verdict of @s in words into @buf: "PASS: ...", "FAIL: ..." or "SKIP: ...". */
static void verdict(const struct cxl_trace_summary *s, char *buf, size_t len)
{
	unsigned long e = s->by_severity[CXL_SEV_ERROR], n = s->nexpected;
	char miss[96] = "", unexp[96] = "";

	if (nothing_checked(s)) {
		snprintf(buf, len, "SKIP: nothing to check (no op reached a device)");
	} else if (!s->has_expect) {
		snprintf(buf, len, "%s: %lu error event%s (there is no expect: list, so errors decide)",
			 s->pass ? "PASS" : "FAIL", e, e == 1 ? "" : "s");
	} else if (s->pass) {
		if (!n)
			snprintf(buf, len, "PASS: no warning or error, as the empty expect: list says");
		else if (n == 1)
			snprintf(buf, len, "PASS: the 1 expected (op, rule) pair was seen, none unexpected");
		else
			snprintf(buf, len, "PASS: the %lu expected (op, rule) pairs were all seen, none "
				 "unexpected", n);
	} else {
		if (s->nmissing)
			snprintf(miss, sizeof(miss), "%lu of the %lu expected (op, rule) pair%s not seen",
				 s->nmissing, n, n == 1 ? "" : "s");
		if (s->nunexpected)
			snprintf(unexp, sizeof(unexp), "%lu (op, rule) pair%s seen but not expected",
				 s->nunexpected, s->nunexpected == 1 ? "" : "s");
		snprintf(buf, len, "FAIL: %s%s%s", miss, miss[0] && unexp[0] ? "; " : "", unexp);
	}
}

/* The problems that failed @s: the expect: differences, or the error events. */
static unsigned long problems(const struct cxl_report *r, const struct cxl_trace_summary *s,
			      struct problem *p, unsigned long *total)
{
	unsigned long n = 0;

	if (s->pass) {
		*total = 0;
		return 0;
	}
	if (!s->has_expect) {
		for (unsigned long i = 0; i < r->nerrs && i < CXL_REPORT_MAX_DIFFS; i++)
			p[n++] = r->errs[i];
		*total = r->nerrs;
		return n;
	}
	for (unsigned long i = 0; i < s->nmissing && i < CXL_REPORT_MAX_DIFFS; i++)
		p[n++] = (struct problem){ 'm', s->missing[i].op, s->missing[i].line, s->missing[i].col,
					   s->missing[i].rule, s->missing[i].severity };
	for (unsigned long i = 0; i < s->nunexpected && i < CXL_REPORT_MAX_DIFFS; i++)
		p[n++] = (struct problem){ 'u', s->unexpected[i].op, s->unexpected[i].line,
					   s->unexpected[i].col, s->unexpected[i].rule,
					   s->unexpected[i].severity };
	*total = s->nmissing + s->nunexpected;
	return n;
}

/* What a problem is, in words. */
static const char *problem_word(char kind)
{
	return kind == 'm' ? "expected but not seen" : kind == 'u' ? "seen but not expected" :
	       "error event";
}

/* Writes problem @p of trace @path as one gcc-style error line. */
static void problem_line(FILE *f, const char *path, const struct problem *p)
{
	where(f, path, p->line, p->col);
	if (p->kind == 'e')
		fprintf(f, ": error: op %lu: %s [%s]\n", p->op, cxl_rule_message(p->rule),
			cxl_rule_id(p->rule));
	else
		fprintf(f, ": error: %s: op %lu %s\n", problem_word(p->kind), p->op, cxl_rule_id(p->rule));
}

/*
 * The text lines that end trace @s (NULL when out of memory; the caller frees it): the
 * dropped-events line, the expect: differences and the summary line ending in @verd.
 */
static char *trailer(const struct cxl_report *r, const struct cxl_trace_summary *s,
		     const struct problem *p, unsigned long np, unsigned long total, const char *verd)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (r->ndropped) {
		cxl_text_escape(f, s->path);
		fprintf(f, ": ... and %lu more events not shown (at most %lu per trace; the counts "
			"below include them)\n", r->ndropped, CXL_REPORT_MAX_EVENTS);
	}
	if (s->has_expect) {
		for (unsigned long i = 0; i < np; i++)
			problem_line(f, s->path, &p[i]);
		if (total > np) {
			cxl_text_escape(f, s->path);
			fprintf(f, ": ... and %lu more (op, rule) differences not listed\n", total - np);
		}
	}
	cxl_text_escape(f, s->path);
	fprintf(f, ": profile %s: ", s->profile);
	count_words(f, s->ops, "op");
	fputs("; ", f);
	count_words(f, s->by_severity[CXL_SEV_ERROR], "error");
	fputs(", ", f);
	count_words(f, s->by_severity[CXL_SEV_WARNING], "warning");
	fputs(", ", f);
	count_words(f, s->by_severity[CXL_SEV_NOTE], "note");
	fprintf(f, "; reads %lu checked, %lu mismatched; %lu unmodeled access%s; state %016llx; %s\n",
		s->reads_checked, s->mismatches, s->unmodeled, s->unmodeled == 1 ? "" : "es",
		(unsigned long long)s->state_hash, verd);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Writes the lines of @text to @out, each after @prefix. */
static void put_lines(FILE *out, const char *prefix, const char *text)
{
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);

		fputs(prefix, out);
		fwrite(p, 1, n, out);
		p += n;
	}
}

/* The JSON list of expect: differences @d (at most CXL_REPORT_MAX_DIFFS of @n). */
static void json_diffs(FILE *f, const struct cxl_expect_diff *d, unsigned long n)
{
	for (unsigned long i = 0; i < n && i < CXL_REPORT_MAX_DIFFS; i++)
		fprintf(f, "%s{\"op\": %lu, \"rule\": \"%s\", \"severity\": \"%s\", \"line\": %lu, "
			"\"column\": %lu}", i ? ", " : "", d[i].op, d[i].rule_id, sev_word(d[i].severity),
			d[i].line, d[i].col);
}

/* The TAP 13 YAML diagnostics block of a failed trace. */
static void tap_yaml(FILE *f, const struct cxl_trace_summary *s, const char *verd,
		     const struct problem *p, unsigned long np, unsigned long total)
{
	fputs("  ---\n  message: ", f);
	cxl_tap_yaml_quote(f, verd);
	fputs("\n  severity: fail\n  file: ", f);
	cxl_tap_yaml_quote(f, s->path);
	fputs("\n  profile: ", f);
	cxl_tap_yaml_quote(f, s->profile);
	fputs("\n  problems:\n", f);
	for (unsigned long i = 0; i < np; i++) {
		const char *spec = cxl_rule_spec(p[i].rule);

		fputs("    - problem: ", f);
		cxl_tap_yaml_quote(f, problem_word(p[i].kind));
		fprintf(f, "\n      rule: \"%s\"\n      severity: \"%s\"\n      spec: ",
			cxl_rule_id(p[i].rule), sev_word(p[i].severity));
		cxl_tap_yaml_quote(f, strcmp(spec, "-") ? spec : "");
		fprintf(f, "\n      op: %lu\n      line: %lu\n      column: %lu\n      message: ",
			p[i].op, p[i].line, p[i].col);
		cxl_tap_yaml_quote(f, cxl_rule_message(p[i].rule));
		fputc('\n', f);
	}
	if (total > np)
		fprintf(f, "  problems_not_listed: %lu\n", total - np);
	fputs("  ...\n", f);
}

/*
 * A JUnit classname for @path: directories as dots, a .yaml/.yml/.cxlt suffix and leading
 * "./" or "/" dropped ("traces/conformance/x.yaml" -> "traces.conformance.x").
 */
static void junit_class(FILE *f, const char *path)
{
	char buf[1024];
	size_t n;

	while (path[0] == '.' && path[1] == '/')
		path += 2;
	while (path[0] == '/')
		path++;
	snprintf(buf, sizeof(buf), "%s", path[0] ? path : "trace");
	n = strlen(buf);
	for (const char *const *x = (const char *const[]){ ".yaml", ".yml", ".cxlt", NULL }; *x; x++) {
		size_t k = strlen(*x);

		if (n > k && !strcmp(buf + n - k, *x)) {
			buf[n - k] = 0;
			break;
		}
	}
	for (char *c = buf; *c; c++)
		if (*c == '/')
			*c = '.';
	cxl_xml_attr_escape(f, buf);
}

/* The opening of a JUnit testcase named @name for trace @path. */
static void junit_case(FILE *f, const char *path, const char *profile)
{
	fputs("    <testcase name=\"", f);
	cxl_xml_attr_escape(f, path);
	if (profile) {
		fputs(" [", f);
		cxl_xml_attr_escape(f, profile);
		fputc(']', f);
	}
	fputs("\" classname=\"", f);
	junit_class(f, path);
	fputs("\" file=\"", f);
	cxl_xml_attr_escape(f, path);
	fputs("\" time=\"0\">\n", f);
}

CXL_EXPORT
void cxl_report_trace_end(struct cxl_report *r, const struct cxl_trace_summary *s)
{
	FILE *f = r->spool;
	struct problem p[2 * CXL_REPORT_MAX_DIFFS];
	unsigned long total, np;
	bool skip = nothing_checked(s);
	char verd[256], *tail;

	if (r->bailed)
		return;
	r->in_trace = false;
	r->counts.traces++;
	if (!s->pass)
		r->counts.failed++;
	else if (skip)
		r->counts.skipped++;
	else
		r->counts.passed++;
	verdict(s, verd, sizeof(verd));
	np = problems(r, s, p, &total);
	tail = trailer(r, s, p, np, total, verd);
	switch (r->fmt) {
	case CXL_REPORT_TEXT:
		body_copy(r, f);
		fputs(tail ? tail : "", f);
		break;
	case CXL_REPORT_JSON:
		body_copy(r, f);
		fprintf(f, "%s, \"ops\": %lu, \"device_ops\": %lu, \"errors\": %lu, \"warnings\": %lu, "
			"\"notes\": %lu, \"reads_checked\": %lu, \"mismatches\": %lu, \"unmodeled\": %lu, "
			"\"state_hash\": \"%016llx\", \"events_dropped\": %lu, \"expect\": %s, "
			"\"expected\": %lu, \"missing\": [",
			r->state_open ? "}" : "]", s->ops, s->device_ops, s->by_severity[CXL_SEV_ERROR],
			s->by_severity[CXL_SEV_WARNING], s->by_severity[CXL_SEV_NOTE],
			s->reads_checked, s->mismatches, s->unmodeled,
			(unsigned long long)s->state_hash, r->ndropped, s->has_expect ? "true" : "false",
			s->nexpected);
		json_diffs(f, s->missing, s->nmissing);
		fprintf(f, "], \"missing_total\": %lu, \"unexpected\": [", s->nmissing);
		json_diffs(f, s->unexpected, s->nunexpected);
		fprintf(f, "], \"unexpected_total\": %lu, \"result\": \"%s\", \"verdict\": \"",
			s->nunexpected, !s->pass ? "fail" : skip ? "skip" : "pass");
		cxl_json_escape(f, verd);
		fputs("\"}\n", f);
		break;
	case CXL_REPORT_TAP:
		fputs("# ", f);
		cxl_text_escape(f, s->path);
		fputs(": ", f);
		cxl_text_escape(f, r->description);
		fputc('\n', f);
		body_copy(r, f);
		put_lines(f, "# ", tail ? tail : "");
		fprintf(f, "%s %u - ", s->pass ? "ok" : "not ok", r->counts.traces);
		cxl_tap_escape(f, s->path);
		fputs(" [", f);
		cxl_tap_escape(f, s->profile);
		fputc(']', f);
		if (skip)
			fputs(" # SKIP nothing to check (no op reached a device)", f);
		fputc('\n', f);
		if (!s->pass)
			tap_yaml(f, s, verd, p, np, total);
		break;
	case CXL_REPORT_JUNIT:
		junit_case(f, s->path, s->profile);
		if (skip) {
			fputs("      <skipped message=\"nothing to check (no op reached a device)\"/>\n", f);
		} else if (!s->pass) {
			fputs("      <failure message=\"", f);
			cxl_xml_attr_escape(f, verd);
			fprintf(f, "\" type=\"%s\">", s->has_expect ? "expect" : "errors");
			for (unsigned long i = 0; i < np; i++) {
				char buf[2048];
				FILE *m = fmemopen(buf, sizeof(buf), "w");

				if (!m)
					continue;
				problem_line(m, s->path, &p[i]);
				fclose(m);
				buf[sizeof(buf) - 1] = 0;
				cxl_xml_escape(f, buf);
			}
			if (total > np)
				fprintf(f, "... and %lu more\n", total - np);
			fputs("</failure>\n", f);
		}
		fputs("      <system-out>", f);
		body_copy(r, f);
		cxl_xml_escape(f, tail ? tail : "");
		fputs("</system-out>\n    </testcase>\n", f);
		break;
	}
	free(tail);
}

CXL_EXPORT
void cxl_report_input_error(struct cxl_report *r, const char *path, const struct cxl_error *err)
{
	char msg[1024];
	FILE *f = r->spool;

	if (r->bailed)
		return;
	cxl_error_format(err, msg, sizeof(msg));
	r->in_trace = false;   /* the trace's partial body is never copied */
	r->counts.errors++;
	switch (r->fmt) {
	case CXL_REPORT_TEXT:
		cxl_text_escape(f, msg);
		fputc('\n', f);
		break;
	case CXL_REPORT_JSON:
		fprintf(f, "{\"schema_version\": %d, \"trace\": \"", CXL_REPORT_SCHEMA_VERSION);
		cxl_json_escape(f, path);
		fprintf(f, "\", \"result\": \"error\", \"error\": {\"code\": \"%s\", \"file\": \"",
			cxl_err_name(err->code));
		cxl_json_escape(f, err->file);
		fprintf(f, "\", \"line\": %lu, \"column\": %lu, \"message\": \"", err->line, err->col);
		cxl_json_escape(f, err->msg);
		fputs("\", \"text\": \"", f);
		cxl_json_escape(f, msg);
		fputs("\"}}\n", f);
		break;
	case CXL_REPORT_TAP:
		fputs("Bail out! ", f);
		cxl_text_escape(f, msg);
		fputc('\n', f);
		r->bailed = true;
		break;
	case CXL_REPORT_JUNIT:
		junit_case(f, path, NULL);
		fputs("      <error message=\"", f);
		cxl_xml_attr_escape(f, msg);
		fprintf(f, "\" type=\"%s\"/>\n    </testcase>\n", cxl_err_name(err->code));
		break;
	}
}

CXL_EXPORT
void cxl_report_get_counts(const struct cxl_report *r, struct cxl_report_counts *c)
{
	*c = r->counts;
}

CXL_EXPORT
bool cxl_report_flush(struct cxl_report *r, FILE *out)
{
	const struct cxl_report_counts *k = &r->counts;
	char buf[65536];
	size_t n;

	/* the plan: the test points written (all traces, or those before a Bail out!) */
	if (r->fmt == CXL_REPORT_TAP)
		fprintf(out, "TAP version 13\n1..%u\n", k->traces);
	if (r->fmt == CXL_REPORT_JUNIT)
		fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			"<!-- cxlemu replay: one testcase per (trace, profile); time is always 0: the "
			"output is deterministic, no clock is read (doc/junit.xsd) -->\n"
			"<testsuites name=\"cxlemu.replay\" tests=\"%u\" failures=\"%u\" errors=\"%u\" "
			"skipped=\"%u\" time=\"0\">\n"
			"  <testsuite name=\"cxlemu.replay\" tests=\"%u\" failures=\"%u\" errors=\"%u\" "
			"skipped=\"%u\" time=\"0\">\n",
			k->traces + k->errors, k->failed, k->errors, k->skipped,
			k->traces + k->errors, k->failed, k->errors, k->skipped);
	rewind(r->spool);
	while ((n = fread(buf, 1, sizeof(buf), r->spool)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			return false;
	if (r->fmt == CXL_REPORT_JUNIT)
		fputs("  </testsuite>\n</testsuites>\n", out);
	return fflush(out) == 0 && !ferror(out);
}

CXL_EXPORT
void cxl_report_free(struct cxl_report *r)
{
	if (!r)
		return;
	fclose(r->spool);
	fclose(r->body);
	free(r);
}
