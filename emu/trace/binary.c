/* SPDX-License-Identifier: MIT */
/*
 * binary.c - the binary trace format (.cxlt): what a native YAML trace holds, with the ops as
 * fixed-size records, for replays that the YAML parser would slow down. Lossless both ways
 * (`cxlemu convert`); cxl_trace_open() recognises it by its magic.
 *
 *   magic      8 bytes  "CXLT" 0x01 0x00 0x00 0x00 (format version 1)
 *   header     u32 length, then a native YAML trace text with `ops: []` (description,
 *              profile, source, devices), read by the YAML reader: the same checks
 *   ops        op records (CXL_OP_REC_SIZE bytes, trace_priv.h), each followed by its source
 *              and mark text; a record of kind 0xff ends them
 *   expect     u32 length, then the expect list as a YAML sequence of {op, rule, why} entries
 *              ("[]": an empty expect:; length 0: the trace has no expect:), read by the one
 *              expect parser
 *
 * Numbers are little endian. The reader trusts nothing: every length is bounded before
 * anything is allocated or read, every op is checked as the trace builder checks it, and
 * an error names the byte offset (file:1:OFFSET+1).
 */
#define _GNU_SOURCE           /* memrchr */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "trace_priv.h"

static const unsigned char magic[8] = { 'C', 'X', 'L', 'T', 1, 0, 0, 0 };

#define TEXT_MAX (16u << 20)   /* header and expect texts: at most 16 MiB each */
#define END_KIND 0xff

struct bin {
	struct cxl_trace_reader base;  /* must be first */
	FILE *f;
	bool borrowed;                 /* f is standard input: not closed */
	unsigned long long at;         /* bytes read */
	unsigned long nops;
	bool ended;                    /* the end record was read */
	size_t pos, end;               /* the unread bytes of buf */
	unsigned char buf[1 << 18];    /* read ahead in large blocks: records are small */
};

bool cxl_trace_head_is_binary(const unsigned char *head, size_t n)
{
	return n >= 4 && !memcmp(head, magic, 4);
}

bool cxl_trace_is_binary(const char *path)
{
	unsigned char head[sizeof(magic)];
	struct stat st;
	FILE *f;
	bool yes;

	/* a regular file is looked into and opened again; a pipe (standard input, <(...)) is
	 * opened once and its first bytes kept (cxl_trace_open_binary_stream()) */
	if (stat(path, &st) || !S_ISREG(st.st_mode) || !(f = fopen(path, "rb")))
		return false;
	yes = fread(head, 1, sizeof(head), f) == sizeof(head) && !memcmp(head, magic, 4);
	fclose(f);
	return yes;
}

/* An error at byte @at: file:1:@at+1, the offset repeated in the message. */
static enum cxl_err bin_fail(struct bin *b, struct cxl_error *err, enum cxl_err code,
			     unsigned long long at, const char *msg)
{
	return cxl_error_set(err, code, b->base.name, 1, (unsigned long)(at + 1), "%s (byte offset %llu)",
			     msg, at);
}

/* Reads exactly @n bytes; false at the end of the file or on an error. */
static bool get(struct bin *b, void *p, size_t n)
{
	unsigned char *to = p;

	while (n) {
		size_t k;

		if (b->pos == b->end) {
			b->pos = 0;
			b->end = fread(b->buf, 1, sizeof(b->buf), b->f);
			if (!b->end)
				return false;
		}
		k = b->end - b->pos < n ? b->end - b->pos : n;
		memcpy(to, b->buf + b->pos, k);
		b->pos += k;
		b->at += k;
		to += k;
		n -= k;
	}
	return true;
}

static bool get32(struct bin *b, uint32_t *v)
{
	unsigned char x[4];

	if (!get(b, x, 4))
		return false;
	*v = (uint32_t)x[0] | (uint32_t)x[1] << 8 | (uint32_t)x[2] << 16 | (uint32_t)x[3] << 24;
	return true;
}

/* Reads a u32-length text section into a new buffer (*@text, NUL-terminated). */
static enum cxl_err get_text(struct bin *b, const char *what, char **text, size_t *len,
			     struct cxl_error *err)
{
	unsigned long long at = b->at;
	uint32_t n;

	*text = NULL;
	if (!get32(b, &n))
		return bin_fail(b, err, CXL_ERR_SYNTAX, at, what[0] == 'h' ?
				"truncated: the file ends before the header" :
				"truncated: the file ends before the expect list");
	if (n > TEXT_MAX)
		return bin_fail(b, err, CXL_ERR_LIMIT, at, "a text section is longer than 16 MiB");
	if (!(*text = malloc((size_t)n + 1)))
		return cxl_error_set(err, CXL_ERR_LIMIT, b->base.name, 0, 0, "out of memory");
	if (!get(b, *text, n)) {
		free(*text);
		*text = NULL;
		return bin_fail(b, err, CXL_ERR_SYNTAX, at, "truncated: the file ends inside a text section");
	}
	(*text)[n] = '\0';
	*len = n;
	return CXL_OK;
}

/*
 * Whether source @s (@n bytes) is what the YAML form can hold: empty, or FILE:LINE with LINE
 * a decimal number from 1, one line (no control character, NEL, LS or PS), and at most 510
 * bytes once written ("@" and the text, cxl_yaml_fit()).
 */
static bool source_ok(const char *s, size_t n)
{
	const char *colon;
	size_t i;

	if (!n)
		return true;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f || (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] == 0x85) ||
		    (c == 0xe2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
		     ((unsigned char)s[i + 2] == 0xa8 || (unsigned char)s[i + 2] == 0xa9)))
			return false;
	}
	colon = memrchr(s, ':', n);
	if (!colon || colon == s || colon + 1 == s + n || colon[1] == '0')
		return false;
	for (const char *p = colon + 1; p < s + n; p++)
		if (*p < '0' || *p > '9')
			return false;
	return s + n - (colon + 1) <= 19 && cxl_yaml_fit(s, n, 510) == n;
}

static enum cxl_err bin_next(struct cxl_trace_reader *base, struct cxl_op *op, bool *done,
			     struct cxl_error *err)
{
	struct bin *b = (struct bin *)base;
	unsigned char rec[CXL_OP_REC_SIZE];
	unsigned long long at = b->at;
	size_t sl, tl;
	enum cxl_err e;

	if (b->ended) {
		*done = true;
		return CXL_OK;
	}
	if (!get(b, rec, sizeof(rec)))
		return bin_fail(b, err, CXL_ERR_SYNTAX, at, "truncated: the file ends inside the ops");
	if (rec[0] == END_KIND) {
		b->ended = true;
		*done = true;
		return CXL_OK;
	}
	cxl_op_record_decode(rec, op, &sl, &tl);
	if (sl >= sizeof(op->src) || tl >= sizeof(op->text))
		return bin_fail(b, err, CXL_ERR_LIMIT, at, "an op's source or text is longer than 511 bytes");
	if (!get(b, op->src, sl) || !get(b, op->text, tl))
		return bin_fail(b, err, CXL_ERR_SYNTAX, at, "truncated: the file ends inside an op");
	op->src[sl] = op->text[tl] = '\0';
	if (memchr(op->src, 0, sl) || memchr(op->text, 0, tl))
		return bin_fail(b, err, CXL_ERR_VALUE, at, "an op's source or text holds a NUL");
	if (!op->line)
		return bin_fail(b, err, CXL_ERR_VALUE, at, "an op's line is 0 (lines count from 1)");
	if (tl && op->kind != CXL_OP_MARK)
		return bin_fail(b, err, CXL_ERR_VALUE, at, "an op that is not a mark has a text");
	if (!source_ok(op->src, sl))
		return bin_fail(b, err, CXL_ERR_VALUE, at,
				"an op's source is not FILE:LINE on one line, or grows past 510 bytes when written");
	if (cxl_yaml_fit(op->text, tl, sizeof(op->text) - 1) != tl)
		return bin_fail(b, err, CXL_ERR_LIMIT, at, "a mark text grows past 511 bytes when written");
	if ((e = cxl_trace_check_op(&b->base.hdr, op, err))) {
		char msg[sizeof(err->msg)];

		snprintf(msg, sizeof(msg), "%.400s", err->msg);
		return cxl_error_set(err, e, b->base.name, 1, (unsigned long)(at + 1),
				     "op %lu: %s (byte offset %llu)", b->nops, msg, at);
	}
	b->nops++;
	*done = false;
	return CXL_OK;
}

static enum cxl_err bin_finish(struct cxl_trace_reader *base, struct cxl_error *err)
{
	struct bin *b = (struct bin *)base;
	char *text, extra;
	size_t len, lead = 0;
	unsigned long long start;
	enum cxl_err e;

	if (!b->ended)
		return cxl_error_set(err, CXL_ERR_USAGE, b->base.name, 0, 0,
				     "cxl_trace_finish() before the last op was read");
	start = b->at + 4;
	if ((e = get_text(b, "expect list", &text, &len, err)))
		return e;
	while (lead < len && (text[lead] == ' ' || text[lead] == '\n'))
		lead++;
	if (len && lead < len && text[lead] != '-' && text[lead] != '[') {
		e = bin_fail(b, err, CXL_ERR_SCHEMA, start + lead,
			     "the expect text is not a sequence of {op, rule, why} entries");
	} else if (len) {
		struct cxl_error pe = { 0 };

		e = cxl_expect_load_memory(text, len, b->base.name, &b->base.expect, &pe);
		if (!e)
			e = cxl_expect_check_ops(&b->base.expect, b->base.name, b->nops, &pe);
		if (e) {
			/* the position in the file: the entry's line of the expect text, as a byte offset */
			unsigned long long at = start;
			char msg[sizeof(pe.msg)];

			for (size_t i = 0, line = 1; i < len && line < pe.line; i++)
				if (text[i] == '\n') {
					line++;
					at = start + i + 1;
				}
			snprintf(msg, sizeof(msg), "in the expect text, line %lu: %.400s", pe.line, pe.msg);
			e = bin_fail(b, err, e, at, msg);
		}
		b->base.expect.present = true;
	}
	free(text);
	if (!e && get(b, &extra, 1))
		e = bin_fail(b, err, CXL_ERR_SYNTAX, b->at, "bytes after the expect list");
	return e;
}

static void bin_close(struct cxl_trace_reader *base)
{
	struct bin *b = (struct bin *)base;

	if (b->f && !b->borrowed)
		fclose(b->f);
	b->f = NULL;
}

static const struct cxl_trace_reader_ops binary_ops = {
	.next = bin_next,
	.finish = bin_finish,
	.close = bin_close,
};

/*
 * Opens a binary trace named @path on @f (NULL: fopen(@path)) whose first @nhead bytes were
 * read already into @head; see cxl_trace_open_binary_stream().
 */
static enum cxl_err open_binary(const char *path, FILE *f, bool borrowed, const unsigned char *pre,
				size_t npre, struct cxl_trace_reader **out, struct cxl_error *err)
{
	struct bin *b = calloc(1, sizeof(*b));
	unsigned char head[sizeof(magic)];
	struct cxl_trace_reader *h = NULL;
	char *text = NULL;
	size_t len;
	enum cxl_err e;

	if (!b) {
		if (f && !borrowed)
			fclose(f);
		return cxl_error_set(err, CXL_ERR_LIMIT, path, 0, 0, "out of memory");
	}
	b->base.ops = &binary_ops;
	b->f = f;
	b->borrowed = borrowed;
	if (!cxl_trace_set_name(&b->base, path)) {
		e = cxl_error_set(err, CXL_ERR_LIMIT, path, 0, 0, "out of memory");
		goto fail;
	}
	if (!b->f && !(b->f = fopen(path, "rb"))) {
		e = cxl_error_set(err, CXL_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
		goto fail;
	}
	if (npre > sizeof(head))
		npre = sizeof(head);
	if (npre)
		memcpy(b->buf, pre, npre);   /* the bytes looked at come first */
	b->end = npre;
	if (!get(b, head, sizeof(head)) || memcmp(head, magic, 4)) {
		e = bin_fail(b, err, CXL_ERR_SYNTAX, 0, "not a binary trace (no CXLT magic)");
		goto fail;
	}
	if (memcmp(head, magic, sizeof(magic))) {
		e = bin_fail(b, err, CXL_ERR_SYNTAX, 4, "binary trace format version is not 1");
		goto fail;
	}
	if ((e = get_text(b, "header", &text, &len, err)))
		goto fail;
	/* the header text is a native trace without ops: the YAML reader checks all of it */
	{
		struct cxl_error he = { 0 };
		struct cxl_op *none = malloc(sizeof(*none));
		bool done = false, has_expect = false;

		if (!none) {
			e = cxl_error_set(err, CXL_ERR_LIMIT, path, 0, 0, "out of memory");
			goto fail;
		}
		e = cxl_trace_open_memory(text, len, path, &h, &he);
		if (!e && !(e = cxl_trace_next(h, none, &done, &he)) && !done)
			e = cxl_error_set(&he, CXL_ERR_SCHEMA, path, none->line, none->col,
					  "the header holds an op (ops go in records)");
		if (!e && !(e = cxl_trace_finish(h, &has_expect, &he)) && has_expect)
			e = cxl_error_set(&he, CXL_ERR_SCHEMA, path, he.line, he.col,
					  "the header holds an expect: list (it goes after the ops)");
		free(none);
		if (e) {
			char msg[sizeof(he.msg)];

			snprintf(msg, sizeof(msg), "in the header text, line %lu: %.400s", he.line, he.msg);
			e = cxl_error_set(err, e, path, 1, 13, "%s", msg);
			cxl_trace_close(h);
			goto fail;
		}
	}
	b->base.hdr = *cxl_trace_header(h);
	cxl_trace_close(h);
	free(text);
	*out = &b->base;
	return CXL_OK;
fail:
	free(text);
	bin_close(&b->base);
	free(b->base.name);
	free(b);
	return e;
}

enum cxl_err cxl_trace_open_binary(const char *path, struct cxl_trace_reader **out,
				   struct cxl_error *err)
{
	return open_binary(path, NULL, false, NULL, 0, out, err);
}

enum cxl_err cxl_trace_open_binary_stream(const char *name, FILE *f, bool borrowed,
					  const unsigned char *head, size_t nhead,
					  struct cxl_trace_reader **out, struct cxl_error *err)
{
	return open_binary(name, f, borrowed, head, nhead, out, err);
}

/* Writes @n as 4 little-endian bytes. */
static void put32(FILE *out, uint32_t n)
{
	unsigned char x[4] = { (unsigned char)n, (unsigned char)(n >> 8), (unsigned char)(n >> 16),
			       (unsigned char)(n >> 24) };

	fwrite(x, 1, 4, out);
}

/*
 * The YAML text of a trace with @h's header, no ops and (when @with_expect) @r's expect list,
 * in a new buffer (*@text, *@len).
 */
static enum cxl_err yaml_text(const struct cxl_trace_header *h, const struct cxl_trace_reader *r,
			      bool with_expect, char **text, size_t *len, struct cxl_error *err)
{
	struct cxl_trace_builder *tb = NULL;
	struct cxl_trace_reader *tr = NULL;
	enum cxl_err e;
	FILE *f;

	*text = NULL;
	*len = 0;
	if ((e = cxl_trace_builder_new("", &tb, err)))
		return e;
	*cxl_trace_builder_header(tb) = *h;
	if (with_expect && (e = cxl_trace_builder_expect(tb, &r->expect, err))) {
		cxl_trace_builder_free(tb);
		return e;
	}
	if ((e = cxl_trace_builder_finish(tb, &tr, err)))
		return e;
	if (!(f = open_memstream(text, len))) {
		cxl_trace_close(tr);
		return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "out of memory");
	}
	e = cxl_trace_write_yaml(tr, f, NULL, err);
	cxl_trace_close(tr);
	if (fclose(f) && !e)
		e = cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "out of memory");
	return e;
}

CXL_EXPORT
enum cxl_err cxl_trace_write_binary(struct cxl_trace_reader *r, FILE *out, struct cxl_error *err)
{
	unsigned char rec[CXL_OP_REC_SIZE];
	struct cxl_op *op = malloc(sizeof(*op));
	char *text = NULL;
	size_t len;
	unsigned long first_line = 0;
	bool done = false;
	enum cxl_err e;

	if (!op)
		return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "out of memory");
	fwrite(magic, 1, sizeof(magic), out);
	if ((e = yaml_text(cxl_trace_header(r), r, false, &text, &len, err)))
		goto out;
	if (len > TEXT_MAX) {
		e = cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "the header is longer than 16 MiB");
		goto out;
	}
	put32(out, (uint32_t)len);
	fwrite(text, 1, len, out);
	for (size_t i = 0; i < len; i++)
		first_line += text[i] == '\n';   /* "ops: []" is the header's last line */
	free(text);
	text = NULL;
	for (unsigned long i = 0; !(e = cxl_trace_next(r, op, &done, err)) && !done; i++) {
		size_t sl = strnlen(op->src, sizeof(op->src) - 1), tl = strnlen(op->text, sizeof(op->text) - 1);

		if (!op->line) {   /* an op with no line (generated): its line in the YAML rendering */
			op->line = first_line + 1 + i;
			op->col = 5;
		}

		cxl_op_record_encode(op, sl, tl, rec);
		fwrite(rec, 1, sizeof(rec), out);
		fwrite(op->src, 1, sl, out);
		fwrite(op->text, 1, tl, out);
	}
	if (e || (e = cxl_trace_finish(r, NULL, err)))
		goto out;
	memset(rec, 0, sizeof(rec));
	rec[0] = END_KIND;
	fwrite(rec, 1, sizeof(rec), out);
	if (r->expect.present) {
		const char *list;

		if ((e = yaml_text(cxl_trace_header(r), r, true, &text, &len, err)))
			goto out;
		/* the entries only: the writer puts them after "expect:" ("[]" when there are none) */
		list = strstr(text, "\nexpect:");
		list = list ? list + strlen("\nexpect:") : "";
		while (*list == ' ')
			list++;
		len = strlen(list);
		if (len > TEXT_MAX) {
			e = cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "the expect list is longer than "
					  "the binary form takes (16 MiB written); keep the trace in YAML");
			goto out;
		}
		put32(out, (uint32_t)len);
		fwrite(list, 1, len, out);
	} else {
		put32(out, 0);
	}
	if (ferror(out))
		e = cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0, "cannot write the binary trace");
out:
	free(text);
	free(op);
	return e;
}
