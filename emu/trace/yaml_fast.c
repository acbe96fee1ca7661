/* SPDX-License-Identifier: MIT */
/*
 * yaml_fast.c - the fast path of the native YAML reader: a trace whose ops are all plain
 * one-line flow sequences is read without libyaml for the ops, with the same results.
 *
 * It takes a trace only when it can prove the YAML reader would read it the same way, and
 * otherwise declines before yielding anything, so every error still comes from the YAML
 * reader (yaml_reader.c), with the same file:line:col:
 *
 *   - a regular file (it is read twice), no byte order mark, no CR or NEL in its header (the
 *     YAML reader counts either as a line break), no CRLF, tab or NUL in its ops;
 *   - the header: everything before a line that is exactly "ops:" (at most 1 MiB), read by
 *     the YAML reader with "ops: []" on that line, to its end;
 *   - the ops: lines "INDENT- [kind, dev, offset, size(, value|~)(, \"@LINE\")]" (accesses),
 *     "INDENT- [reset, dev, kind(, \"@LINE\")]", "INDENT- [inject, dev, kind, bit(, ...)]",
 *     one indent for all, printable ASCII, optional "  # comment"; blank and comment lines;
 *     every value checked as the YAML reader checks it (numbers: decimal without leading
 *     zeros or 0x hex, at most 2^64 - 1; devices declared; offsets, sizes and values in
 *     range; "@LINE" needs source:);
 *   - after the ops, nothing or one "expect:" key (at most 16 MiB), read by the one expect
 *     parser and checked against the number of ops.
 *
 * A first pass checks all of it; the second yields the ops (op line and column as the YAML
 * reader gives them: the line, and the column of '['). CXLEMU_YAML_SLOW set turns it off.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "trace_priv.h"

#define LINE_CAP 4096                 /* longer lines: declined */
#define HEADER_MAX (1u << 20)
#define EXPECT_MAX (16u << 20)

struct fast {
	struct cxl_trace_reader base;  /* must be first */
	FILE *f;
	long ops_at;                   /* file offset after the "ops:" line */
	unsigned long ops_line;        /* its line number */
	unsigned long lineno;          /* lines read in the pass */
	size_t indent;                 /* spaces before "- [" (that of the first op) */
	unsigned long nops, yielded;
	bool ended;
	char line[LINE_CAP + 2];
	size_t pos, end;               /* the unread bytes of buf */
	size_t kind_len[CXL_OP__COUNT], dev_len[CXL_TRACE_MAX_DEVICES];
	char buf[1 << 18];
};

/*
 * Reads one line of @x->f into x->line without its newline: 1, 0 at the end, -1 for a line
 * too long or holding a NUL or CR. @len gets its length.
 */
static int read_line(struct fast *x, size_t *len)
{
	size_t n = 0;
	bool any = false;

	for (;;) {
		const char *at, *nl;
		size_t take;

		if (x->pos == x->end) {
			x->pos = 0;
			x->end = fread(x->buf, 1, sizeof(x->buf), x->f);
			if (!x->end) {
				if (!any)
					return 0;
				break;
			}
		}
		any = true;
		at = x->buf + x->pos;
		nl = memchr(at, '\n', x->end - x->pos);
		take = nl ? (size_t)(nl - at) : x->end - x->pos;
		if (n + take > LINE_CAP || memchr(at, '\0', take) || memchr(at, '\r', take))
			return -1;
		memcpy(x->line + n, at, take);
		n += take;
		x->pos += take + (nl ? 1 : 0);
		if (nl)
			break;
	}
	x->line[n] = '\0';
	x->lineno++;
	*len = n;
	return 1;
}

/* Where the reader is in the file: the offset of the next unread byte. */
static long tell(const struct fast *x)
{
	long at = ftell(x->f);

	return at < 0 ? at : at - (long)(x->end - x->pos);
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '-';
}

/* A plain number as the YAML reader takes it; false otherwise. */
static bool number(const char *s, size_t n, uint64_t *v)
{
	bool hex = n > 2 && s[0] == '0' && s[1] == 'x';
	size_t i = hex ? 2 : 0;
	uint64_t x = 0;

	if (!n || (!hex && n > 1 && s[0] == '0'))
		return false;
	for (; i < n; i++) {
		char c = s[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (hex && c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (hex && c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return false;
		if (__builtin_mul_overflow(x, hex ? 16u : 10u, &x) || __builtin_add_overflow(x, d, &x))
			return false;
	}
	*v = x;
	return true;
}

/* Whether @l[0..len) is printable ASCII (0x20..0x7e), 8 bytes at a time. */
static bool printable(const char *l, size_t len)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t bad = 0;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t w;

		memcpy(&w, l + i, 8);
		/* a byte below 0x20, or above 0x7e (0x7f plus 1 sets its high bit; so do bytes >= 0x80) */
		bad |= ((w - ones * 0x20) & ~w) | ((w + ones) | w);
	}
	for (; i < len; i++)
		if ((unsigned char)((unsigned char)l[i] - 0x20u) > 0x5eu)
			return false;
	return !(bad & highs);
}

/* The elements of a flow sequence line: pointers into the line (not terminated). */
struct elems {
	const char *s[8];
	size_t n[8];
	unsigned count;
};

/*
 * Splits "INDENT- [a, b, c]  # comment" into elements; false when the line is not of that
 * plain form. *@col gets the column of '[' (1-based).
 */
static bool split(struct fast *x, const char *l, size_t len, struct elems *e, unsigned long *col)
{
	size_t i = 0, ind;

	while (i < len && l[i] == ' ')
		i++;
	ind = i;
	if (!ind || i + 3 > len || l[i] != '-' || l[i + 1] != ' ')
		return false;
	if (x->nops == 0 && !x->indent)
		x->indent = ind;
	if (ind != x->indent)
		return false;
	for (i += 1; i < len && l[i] == ' '; i++)
		;
	if (i == len || l[i] != '[')
		return false;
	*col = i + 1;
	i++;
	e->count = 0;
	for (;;) {
		size_t a, b;

		while (i < len && l[i] == ' ')
			i++;
		a = i;
		if (i < len && l[i] == '"') {            /* only "@DIGITS" */
			for (i++; i < len && l[i] != '"'; i++)
				if (l[i] == '\\')
					return false;
			if (i == len)
				return false;
			i++;
		} else {
			while (i < len && l[i] != ',' && l[i] != ']' && l[i] != ' ')
				i++;
		}
		b = i;
		while (i < len && l[i] == ' ')
			i++;
		if (b == a || e->count == 8 || i == len)
			return false;
		e->s[e->count] = l + a;
		e->n[e->count++] = b - a;
		if (l[i] == ']')
			break;
		if (l[i] != ',')
			return false;
		i++;
	}
	for (i++; i < len && l[i] == ' '; i++)
		;
	if (i < len && (l[i] != '#' || l[i - 1] != ' '))
		return false;
	return true;            /* the whole line is printable ASCII: parse_op() checked */
}

static bool word_is(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && !memcmp(s, w, n);
}

/* The next byte through the buffer, or EOF. */
static int next_byte(struct fast *x)
{
	if (x->pos == x->end) {
		x->pos = 0;
		x->end = fread(x->buf, 1, sizeof(x->buf), x->f);
		if (!x->end)
			return EOF;
	}
	return (unsigned char)x->buf[x->pos++];
}

/* A vocabulary word of an element, by a catalog parser; -1 when none. */
static int parse_word(const char *s, size_t n, int (*parse)(const char *))
{
	char buf[64];

	if (n >= sizeof(buf))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!name_char(s[i]))
			return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return parse(buf);
}

/* The source element "@DIGITS" as the op's "SOURCE:DIGITS"; false when it is not that. */
static bool source(const struct cxl_trace_header *h, const char *s, size_t n, struct cxl_op *op)
{
	size_t fl = strlen(h->source);

	if (n < 4 || s[0] != '"' || s[1] != '@' || s[n - 1] != '"' || s[2] == '0' || n - 3 > 19 || !fl)
		return false;
	for (size_t i = 2; i < n - 1; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	if (fl + 1 + (n - 3) >= sizeof(op->src))
		return false;
	memcpy(op->src, h->source, fl);
	op->src[fl] = ':';
	memcpy(op->src + fl + 1, s + 2, n - 3);
	op->src[fl + 1 + (n - 3)] = '\0';
	return true;
}

/* Parses a plain op line into @op; false when the line is not one the fast path takes. */
static bool parse_op(struct fast *x, const char *l, size_t len, struct cxl_op *op)
{
	const struct cxl_trace_header *h = &x->base.hdr;
	struct elems e;
	unsigned long col;
	unsigned space = 0, dev;
	bool write, access;
	int kind = -1, k;
	unsigned nel;

	if (!printable(l, len) || !split(x, l, len, &e, &col) || e.count < 3)
		return false;
	for (k = 0; k < CXL_OP__COUNT && kind < 0; k++)
		if (x->kind_len[k] == e.n[0] && !memcmp(e.s[0], cxl_op_kind_name((unsigned)k), e.n[0]))
			kind = k;
	if (kind < 0 || kind == CXL_OP_MARK)
		return false;
	for (dev = 0; dev < h->ndevices && (x->dev_len[dev] != e.n[1] ||
					    memcmp(e.s[1], h->devices[dev].name, e.n[1])); dev++)
		;
	if (dev == h->ndevices)
		return false;
	op->kind = (enum cxl_op_kind)kind;
	op->dev = dev;
	op->offset = op->value = 0;
	op->size = 0;
	op->has_value = false;
	op->reset = 0;
	op->inject = 0;
	op->bit = 0;
	op->flags = 0;
	op->line = x->lineno;
	op->col = col;
	op->src[0] = op->text[0] = '\0';
	access = cxl_op_kind_access(op->kind, &space, &write);
	nel = e.count - 1;                             /* after the kind */
	if (access) {
		uint64_t size, lim = cxl_space_size(space);

		if (nel < 3 || nel > 5 || (write && nel < 4))
			return false;
		if (!number(e.s[2], e.n[2], &op->offset) || op->offset >= lim ||
		    !number(e.s[3], e.n[3], &size) ||
		    (size != 1 && size != 2 && size != 4 && size != 8) ||
		    (space == CXL_SPACE_CONFIG && size == 8) || op->offset + size > lim)
			return false;
		op->size = (unsigned)size;
		if (nel >= 4) {
			if (!write && word_is(e.s[4], e.n[4], "~")) {
				op->has_value = false;
			} else {
				if (!number(e.s[4], e.n[4], &op->value) ||
				    (size < 8 && op->value >> (8 * size)))
					return false;
				op->has_value = true;
			}
		}
		return nel < 5 || source(h, e.s[5], e.n[5], op);
	}
	if (op->kind == CXL_OP_RESET) {
		if (nel < 2 || nel > 3 || (k = parse_word(e.s[2], e.n[2], cxl_reset_kind_parse)) < 0)
			return false;
		op->reset = (enum cxl_reset_kind)k;
		return nel < 3 || source(h, e.s[3], e.n[3], op);
	}
	if (op->kind == CXL_OP_INJECT) {
		uint64_t bit;

		if (nel < 3 || nel > 4 || (k = parse_word(e.s[2], e.n[2], cxl_inject_kind_parse)) < 0 ||
		    !number(e.s[3], e.n[3], &bit) || bit > 63)
			return false;
		op->inject = (enum cxl_inject_kind)k;
		op->bit = (unsigned)bit;
		return nel < 4 || source(h, e.s[4], e.n[4], op);
	}
	return false;
}

/* A blank or comment-only line. */
static bool blank(const char *l, size_t len)
{
	size_t i = 0;

	while (i < len && l[i] == ' ')
		i++;
	if (i == len)
		return true;
	if (l[i] != '#')
		return false;
	for (; i < len; i++)
		if ((unsigned char)l[i] < 0x20 || (unsigned char)l[i] > 0x7e)
			return false;
	return true;
}

static enum cxl_err fast_next(struct cxl_trace_reader *base, struct cxl_op *op, bool *done,
			      struct cxl_error *err)
{
	struct fast *x = (struct fast *)base;
	size_t len;
	int got;

	while (!x->ended && (got = read_line(x, &len)) == 1) {
		if (blank(x->line, len))
			continue;
		if (x->line[0] != ' ')
			break;                           /* expect: (checked by the first pass) */
		if (!parse_op(x, x->line, len, op))
			return cxl_error_set(err, CXL_ERR_IO, x->base.name, x->lineno, 1,
					     "the file changed while it was read");
		x->yielded++;
		*done = false;
		return CXL_OK;
	}
	x->ended = true;
	if (x->yielded != x->nops)
		return cxl_error_set(err, CXL_ERR_IO, x->base.name, x->lineno, 1,
				     "the file changed while it was read");
	*done = true;
	return CXL_OK;
}

static enum cxl_err fast_finish(struct cxl_trace_reader *base, struct cxl_error *err)
{
	struct fast *x = (struct fast *)base;

	if (!x->ended)
		return cxl_error_set(err, CXL_ERR_USAGE, x->base.name, 0, 0,
				     "cxl_trace_finish() before the last op was read");
	return CXL_OK;
}

static void fast_close(struct cxl_trace_reader *base)
{
	struct fast *x = (struct fast *)base;

	if (x->f)
		fclose(x->f);
	x->f = NULL;
}

static const struct cxl_trace_reader_ops fast_ops = {
	.next = fast_next,
	.finish = fast_finish,
	.close = fast_close,
};

/* The header: the lines before "ops:", read by the YAML reader; false to decline. */
static bool read_header(struct fast *x, const char *path)
{
	char *text = malloc(HEADER_MAX + 16);
	size_t n = 0, len;
	struct cxl_trace_reader *h = NULL;
	struct cxl_error e = { 0 };
	struct cxl_op *none;
	bool ok = false, done = false, has_expect = false;
	int c = 0;

	if (!text)
		return false;
	/* raw lines (any bytes: the YAML reader checks them) until one that is exactly "ops:" */
	for (;;) {
		size_t start = n;

		while (n < HEADER_MAX && (c = next_byte(x)) != EOF && c != '\n' && c != '\r')
			text[n++] = (char)c;
		/* a CR is a line break to the YAML reader (YAML 1.1 §5.4), not here: decline */
		if (n >= HEADER_MAX || c == EOF || c == '\r')
			goto out;
		x->lineno++;
		len = n - start;
		if (len >= 3 && !memcmp(text + start, "ops", 3) && (len == 3 || text[start + 3] == ':' ||
								     text[start + 3] == ' ')) {
			if (len != 4 || text[start + 3] != ':')
				goto out;           /* "ops: [...]" and the like: the YAML reader */
			n = start;
			break;
		}
		text[n++] = '\n';
	}
	if (n >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		goto out;
	/* NEL (U+0085) is a line break to the YAML reader too (YAML 1.1 §5.4): decline */
	for (size_t i = 0; i + 1 < n; i++)
		if ((unsigned char)text[i] == 0xc2 && (unsigned char)text[i + 1] == 0x85)
			goto out;
	memcpy(text + n, "ops: []\n", 8);
	n += 8;
	x->ops_line = x->lineno;
	if ((x->ops_at = tell(x)) < 0 || !(none = malloc(sizeof(*none))))
		goto out;
	if (!cxl_trace_open_memory(text, n, path, &h, &e) && !cxl_trace_next(h, none, &done, &e) &&
	    done && !cxl_trace_finish(h, &has_expect, &e) && !has_expect) {
		x->base.hdr = *cxl_trace_header(h);
		for (unsigned k = 0; k < CXL_OP__COUNT; k++)
			x->kind_len[k] = strlen(cxl_op_kind_name(k));
		for (unsigned d = 0; d < x->base.hdr.ndevices; d++)
			x->dev_len[d] = strlen(x->base.hdr.devices[d].name);
		ok = true;
	}
	free(none);
	cxl_trace_close(h);
out:
	free(text);
	return ok;
}

/* The first pass: every op line plain and valid, then nothing or one expect: key. */
static bool check_rest(struct fast *x, const char *path)
{
	struct cxl_op *op = malloc(sizeof(*op));
	size_t len;
	int got;
	bool ok = false;

	if (!op)
		return false;
	while ((got = read_line(x, &len)) == 1) {
		if (blank(x->line, len))
			continue;
		if (x->line[0] != ' ')
			break;
		if (!parse_op(x, x->line, len, op))
			goto out;
		x->nops++;
	}
	if (got < 0 || !x->nops)
		goto out;              /* "ops:" with no entries is null to YAML: the reader says so */
	if (got == 1) {
		/* the rest: "expect:" and its list, nothing else at column 0 */
		char *text = malloc(EXPECT_MAX + 1);
		size_t n = 0;
		struct cxl_error e = { 0 };
		unsigned long at = x->lineno;   /* the expect: line */
		int c;

		if (!text)
			goto out;
		if (strncmp(x->line, "expect:", 7)) {
			free(text);
			goto out;
		}
		memcpy(text, x->line, len);
		n = len;
		text[n++] = '\n';
		while (n < EXPECT_MAX && (c = next_byte(x)) != EOF)
			text[n++] = (char)c;
		/* another key at column 0 after expect: (or a document marker) is the YAML reader's */
		for (size_t i = 1; i < n; i++)
			if (text[i - 1] == '\n' && text[i] != ' ' && text[i] != '\n' && text[i] != '#' &&
			    text[i] != '-') {
				free(text);
				goto out;
			}
		if (n >= EXPECT_MAX ||
		    cxl_expect_load_memory(text, n, path, &x->base.expect, &e) ||
		    cxl_expect_check_ops(&x->base.expect, path, x->nops, &e)) {
			cxl_expect_list_free(&x->base.expect);
			free(text);
			goto out;
		}
		/* the entries' lines count from the expect: line; make them the trace's */
		for (unsigned long i = 0; i < x->base.expect.n; i++)
			x->base.expect.v[i].line += at - 1;
		x->base.expect.present = true;
		free(text);
	}
	ok = true;
out:
	free(op);
	return ok;
}

bool cxl_yaml_fast_open(const char *path, struct cxl_trace_reader **out)
{
	struct fast *x;
	struct stat st;

	if (getenv("CXLEMU_YAML_SLOW") || stat(path, &st) || !S_ISREG(st.st_mode))
		return false;
	if (!(x = calloc(1, sizeof(*x))))
		return false;
	x->base.ops = &fast_ops;
	if (!cxl_trace_set_name(&x->base, path) || !(x->f = fopen(path, "rb")))
		goto decline;
	if (!read_header(x, path) || !check_rest(x, path) || fseek(x->f, x->ops_at, SEEK_SET))
		goto decline;
	x->pos = x->end = 0;           /* the second pass reads from the first op line */
	x->lineno = x->ops_line;       /* the indent stays the first pass's: every op line has it */
	*out = &x->base;
	return true;
decline:
	cxl_expect_list_free(&x->base.expect);
	fast_close(&x->base);
	free(x->base.name);
	free(x);
	return false;
}
