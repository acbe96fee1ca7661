/* SPDX-License-Identifier: MIT */
/*
 * yaml_reader.c - the streaming reader of native traces (cxl-trace: 1).
 *
 * Built on libyaml's event API: the reader holds exactly one event at a
 * time, so its memory does not depend on the number of ops. Only expect:
 * entries are kept, in an array capped at CXL_TRACE_MAX_EXPECT.
 *
 * cxl_trace_open() parses the header up to the start of the ops sequence,
 * cxl_trace_next() one op per call, cxl_trace_finish() the optional expect:
 * and the end of the stream. The first error puts the reader in a failed
 * state; every later call returns that same error again.
 *
 * Locations are 1-based (libyaml marks are 0-based) and are those of the
 * offending token; an unknown name (key, op, kind, view, device, model,
 * profile, rule) is answered with the nearest valid one or the valid ones
 * (cxl_trace_hint()). Nothing is printed, nothing global is kept, and no
 * output depends on pointers or hashing.
 *
 * cxl_trace_open() dispatches: "-" (standard input) and other streams are
 * opened once and their first bytes looked at for the binary magic; a
 * regular file goes to the binary reader, the fast path (yaml_fast.c) or
 * this reader.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "trace_priv.h"

#define ECHO_MAX 48			/* bytes of a scalar quoted in a message */
#define ECHO_BUF (ECHO_MAX + 4)		/* ... plus "..." and the NUL */
#define CTX_BUF 128			/* " in device 'NAME'" and the like */

enum rd_state {
	RD_OPS,		/* inside ops:, cxl_trace_next() may be called */
	RD_OPS_DONE,	/* end of ops seen, cxl_trace_finish() may be called */
	RD_FINISHED,	/* the whole stream was parsed */
	RD_FAILED,	/* r->fail holds the error to repeat */
};

enum top_key {
	TK_VERSION, TK_DESCRIPTION, TK_PROFILE, TK_SOURCE, TK_TOPOLOGY, TK_DEVICES,
	TK_OPS, TK_EXPECT, TK__COUNT
};

static const char *const top_keys[TK__COUNT] = {
	[TK_VERSION] = "cxl-trace",
	[TK_DESCRIPTION] = "description",
	[TK_PROFILE] = "profile",
	[TK_SOURCE] = "source",
	[TK_TOPOLOGY] = "topology",
	[TK_DEVICES] = "devices",
	[TK_OPS] = "ops",
	[TK_EXPECT] = "expect",
};

enum dev_key { DK_MODEL, DK_PROFILE, DK_HDM, DK_FW, DK_HOST, DK_VIEW, DK_PARENT, DK_PORT, DK__COUNT };

static const char *const dev_keys[DK__COUNT] = {
	[DK_MODEL] = "model",
	[DK_PROFILE] = "profile",
	[DK_HDM] = "hdm-decoders",
	[DK_FW] = "fw-committed",
	[DK_HOST] = "host",
	[DK_VIEW] = "view",
	[DK_PARENT] = "parent",
	[DK_PORT] = "port",
};

/* topology: {windows: [...], nodes: {...}} (traces/README.md "Topology") */
enum topo_key { TOK_WINDOWS, TOK_NODES, TOK__COUNT };

static const char *const topo_keys[TOK__COUNT] = {
	[TOK_WINDOWS] = "windows",
	[TOK_NODES] = "nodes",
};

enum win_key { WK_NAME, WK_BASE, WK_SIZE, WK_GRAN, WK_TARGETS, WK__COUNT };

static const char *const win_keys[WK__COUNT] = {
	[WK_NAME] = "name",
	[WK_BASE] = "base",
	[WK_SIZE] = "size",
	[WK_GRAN] = "granularity",
	[WK_TARGETS] = "targets",
};

enum node_key { NK_KIND, NK_PARENT, NK_PORT, NK__COUNT };

static const char *const node_keys[NK__COUNT] = {
	[NK_KIND] = "kind",
	[NK_PARENT] = "parent",
	[NK_PORT] = "port",
};

enum host_key { HK_DECODERS, HK_LOCK, HK_MEM, HK__COUNT };

static const char *const host_keys[HK__COUNT] = {
	[HK_DECODERS] = "decoders",
	[HK_LOCK] = "config-lock",
	[HK_MEM] = "mem-enable",
};

enum hdec_key { HD_DECODER, HD_BASE, HD_SIZE, HD_COMMITTED, HD_LOCKED, HD__COUNT };

static const char *const hdec_keys[HD__COUNT] = {
	[HD_DECODER] = "decoder",
	[HD_BASE] = "base",
	[HD_SIZE] = "size",
	[HD_COMMITTED] = "committed",
	[HD_LOCKED] = "locked",
};

/* Op flags: plain words after an access's value or source (traces/README.md). */
static const struct { const char *word; unsigned flag; } op_flag_words[] = {
	{ "vmm", CXL_OPF_VMM },
	{ "failed", CXL_OPF_FAILED },
};

enum fw_key { FK_BASE, FK_SIZE, FK__COUNT };

static const char *const fw_keys[FK__COUNT] = {
	[FK_BASE] = "base",
	[FK_SIZE] = "size",
};

enum exp_key { EK_OP, EK_RULE, EK_WHY, EK__COUNT };

static const char *const exp_keys[EK__COUNT] = {
	[EK_OP] = "op",
	[EK_RULE] = "rule",
	[EK_WHY] = "why",
};

/* The key tables by index, for "did you mean" hints (cxl_trace_hint()). */
static const char *top_key_at(unsigned i) { return top_keys[i]; }
static const char *dev_key_at(unsigned i) { return dev_keys[i]; }
static const char *host_key_at(unsigned i) { return host_keys[i]; }
static const char *hdec_key_at(unsigned i) { return hdec_keys[i]; }
static const char *fw_key_at(unsigned i) { return fw_keys[i]; }
static const char *exp_key_at(unsigned i) { return exp_keys[i]; }
static const char *topo_key_at(unsigned i) { return topo_keys[i]; }
static const char *win_key_at(unsigned i) { return win_keys[i]; }
static const char *node_key_at(unsigned i) { return node_keys[i]; }
static const char *topo_kind_at(unsigned i) { return cxl_topo_kind_name(i); }

/* The elements an op may carry after its name, in trace order. */
enum elem {
	EL_DEV, EL_OFFSET, EL_SIZE, EL_RVALUE, EL_WVALUE, EL_RESET, EL_INJECT,
	EL_BIT, EL_TEXT, EL_SRC
};

#define OP_MAX_ELEMS 5

struct op_shape {
	unsigned min, max;		/* element count after the name */
	enum elem el[OP_MAX_ELEMS];
	const char *usage;
};

static const struct op_shape op_shapes[CXL_OP__COUNT] = {
	[CXL_OP_CFG_READ] = { 3, 5,
		{ EL_DEV, EL_OFFSET, EL_SIZE, EL_RVALUE, EL_SRC },
		"[cfg-read, dev, offset, size(, value(, \"@source\"))(, vmm)(, failed)]" },
	[CXL_OP_CFG_WRITE] = { 4, 5,
		{ EL_DEV, EL_OFFSET, EL_SIZE, EL_WVALUE, EL_SRC },
		"[cfg-write, dev, offset, size, value(, \"@source\")(, vmm)(, failed)]" },
	[CXL_OP_MMIO_READ] = { 3, 5,
		{ EL_DEV, EL_OFFSET, EL_SIZE, EL_RVALUE, EL_SRC },
		"[mmio-read, dev, offset, size(, value(, \"@source\"))(, vmm)(, failed)]" },
	[CXL_OP_MMIO_WRITE] = { 4, 5,
		{ EL_DEV, EL_OFFSET, EL_SIZE, EL_WVALUE, EL_SRC },
		"[mmio-write, dev, offset, size, value(, \"@source\")(, vmm)(, failed)]" },
	[CXL_OP_RESET] = { 2, 3,
		{ EL_DEV, EL_RESET, EL_SRC },
		"[reset, dev, kind(, \"@source\")]" },
	[CXL_OP_INJECT] = { 3, 4,
		{ EL_DEV, EL_INJECT, EL_BIT, EL_SRC },
		"[inject, dev, kind, bit(, \"@source\")]" },
	[CXL_OP_MARK] = { 1, 2,
		{ EL_TEXT, EL_SRC },
		"[mark, text(, \"@source\")]" },
};

struct yrd {
	struct cxl_trace_reader base;	/* must be first */
	FILE *fp;
	yaml_parser_t parser;
	bool parser_ok;			/* parser initialised */
	yaml_event_t ev;		/* the current event while have_ev */
	bool have_ev;
	enum rd_state state;
	const char *where;		/* section named by "truncated" errors */
	unsigned top_seen;		/* bit per enum top_key */
	unsigned long nops;
	/* input accounting, to tell a truncated file from other errors */
	unsigned long long nchars;	/* UTF-8 characters handed to libyaml */
	unsigned long in_line, in_col;	/* 0-based position after them */
	unsigned char in_prev;		/* the last byte, for "\r\n" */
	bool eof;
	int read_errno;
	unsigned long long since_event;	/* bytes read since the last event (the token guard) */
	bool started;			/* the first bytes were read (a UTF-8 BOM dropped) */
	size_t bom;			/* 3 when the file starts with a UTF-8 byte order mark */
	unsigned long tok_line, tok_col;	/* where the last event ended (1-based) */
	bool tok_tripped;
	struct cxl_error fail;		/* the first error, repeated later */
	bool check_ops;			/* expect ops must be below nops (a trace, not a list file) */
	/* a stream read once (a pipe, standard input): not re-read for positions, see win */
	bool stream;
	bool borrowed;			/* fp is standard input: not closed */
	unsigned char pre[8];		/* bytes read to look at the magic, handed out first */
	size_t npre, pre_pos;
	unsigned char *win;		/* a stream's last bytes handed to libyaml (WIN_CAP) */
	size_t win_len, last_start;	/* bytes in win; where the last chunk starts in it */
	unsigned long long win_off;	/* input offset of win[0] (after a byte order mark) */
	unsigned long long nbytes;	/* bytes handed to libyaml */
	unsigned long win_line, win_col, last_line, last_col;	/* 0-based, at win[0] / last */
	unsigned char win_prev, last_prev;	/* the byte before them, for "\r\n" */
	char path[sizeof(((struct cxl_error *)0)->file)];
	char arg[sizeof(((struct cxl_error *)0)->file)];	/* as a command line names it ("-") */
};

/* ------------------------------------------------------------------ */
/* errors */

/* Records the reader's error, copies it to @err (may be NULL), returns @code. */
__attribute__((format(printf, 6, 0)))
static enum cxl_err vfail(struct yrd *r, struct cxl_error *err,
			  enum cxl_err code, unsigned long line,
			  unsigned long col, const char *fmt, va_list ap)
{
	char msg[sizeof(r->fail.msg)];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	cxl_error_set(&r->fail, code, r->path, line, col, "%s", msg);
	r->state = RD_FAILED;
	if (err)
		*err = r->fail;
	return code;
}

/* Fails the reader at 1-based @line:@col (0 = unknown); returns @code. */
__attribute__((format(printf, 6, 7)))
static enum cxl_err fail_loc(struct yrd *r, struct cxl_error *err,
			     enum cxl_err code, unsigned long line,
			     unsigned long col, const char *fmt, ...)
{
	va_list ap;
	enum cxl_err e;

	va_start(ap, fmt);
	e = vfail(r, err, code, line, col, fmt, ap);
	va_end(ap);
	return e;
}

/* Fails the reader at libyaml mark @m (0-based); returns @code. */
__attribute__((format(printf, 5, 6)))
static enum cxl_err fail_at(struct yrd *r, struct cxl_error *err,
			    enum cxl_err code, yaml_mark_t m,
			    const char *fmt, ...)
{
	va_list ap;
	enum cxl_err e;

	va_start(ap, fmt);
	e = vfail(r, err, code, (unsigned long)m.line + 1,
		  (unsigned long)m.column + 1, fmt, ap);
	va_end(ap);
	return e;
}

/* Copies the remembered error of a failed reader to @err; returns its code. */
static enum cxl_err repeat_fail(const struct yrd *r,
				struct cxl_error *err)
{
	if (err)
		*err = r->fail;
	return r->fail.code;
}

/*
 * Writes a printable excerpt of @s (@len bytes) into @buf (ECHO_BUF bytes):
 * control bytes become '?', and text beyond ECHO_MAX bytes is cut at a
 * UTF-8 character boundary and ends in "...". Returns @buf.
 */
static const char *echo(char *buf, const char *s, size_t len)
{
	size_t n = len, i;

	if (n > ECHO_MAX) {
		n = ECHO_MAX;
		while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		buf[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	if (n < len)
		memcpy(buf + n, "...", 3), n += 3;
	buf[n] = '\0';
	return buf;
}

/* Copies strerror(@e) with a lower-case first letter into @buf; returns @buf. */
static const char *errno_text(int e, char *buf, size_t len)
{
	snprintf(buf, len, "%s", strerror(e));
	if (buf[0] >= 'A' && buf[0] <= 'Z')
		buf[0] = (char)(buf[0] - 'A' + 'a');
	return buf;
}

/* ------------------------------------------------------------------ */
/* input and events */

/*
 * libyaml read handler: counts the characters, lines and columns handed
 * over (so that an error at the end of the file can be told apart and
 * placed exactly) and remembers EOF and errno.
 */
/*
 * The token guard. libyaml holds a whole token (a scalar, also a comment it skips) in memory
 * before it hands the reader an event, so the read handler counts the bytes libyaml pulls
 * between two events: more than TOKEN_MAX plus libyaml's own read-ahead means a token longer
 * than any trace needs (text is at most 511 bytes), and the input stops there.
 */
#define TOKEN_MAX 65536
#define TOKEN_SLACK (4 * 16384)   /* libyaml's raw and decoded input buffers, with room */
/*
 * A stream cannot be read again to place an error at a byte offset, so its last bytes are
 * kept: libyaml reports a bad byte of the raw input it has not decoded yet, which is in the
 * last chunk it read or the one before (its raw buffer is 16 KiB).
 */
#define WIN_CAP (1u << 17)

/* fread() of the input, the bytes looked at before (r->pre) first. */
static size_t input_read(struct yrd *r, unsigned char *buf, size_t size)
{
	size_t n = 0;

	if (r->pre_pos < r->npre) {
		n = r->npre - r->pre_pos < size ? r->npre - r->pre_pos : size;
		memcpy(buf, r->pre + r->pre_pos, n);
		r->pre_pos += n;
		if (n == size)
			return n;
	}
	return n + fread(buf + n, 1, size - n, r->fp);
}

/* Keeps @n bytes handed to libyaml in a stream's window (r->win); r->in_* is where they start. */
static void window_add(struct yrd *r, const unsigned char *buf, size_t n)
{
	if (r->win_len + n > WIN_CAP) {
		/* drop all but the last chunk */
		size_t keep = r->win_len - r->last_start;

		if (keep + n > WIN_CAP)
			keep = 0;
		memmove(r->win, r->win + r->win_len - keep, keep);
		r->win_off += r->win_len - keep;
		if (keep) {
			r->win_line = r->last_line;
			r->win_col = r->last_col;
			r->win_prev = r->last_prev;
		} else {
			r->win_line = r->in_line;
			r->win_col = r->in_col;
			r->win_prev = r->in_prev;
		}
		r->win_len = keep;
	}
	if (n > WIN_CAP)
		return;
	r->last_start = r->win_len;
	r->last_line = r->in_line;
	r->last_col = r->in_col;
	r->last_prev = r->in_prev;
	memcpy(r->win + r->win_len, buf, n);
	r->win_len += n;
}

static int read_input(void *data, unsigned char *buf, size_t size,
		      size_t *size_read)
{
	struct yrd *r = data;
	size_t n, i;

	errno = 0;
	n = input_read(r, buf, size);
	/* a UTF-8 byte order mark is allowed (YAML 1.2 §5.2); libyaml, told the encoding,
	 * would take it for content, so it is dropped here */
	if (!r->started && n) {
		r->started = true;
		while (n < 3 && !feof(r->fp) && !ferror(r->fp)) {
			size_t k = input_read(r, buf + n, size - n);

			if (!k)
				break;
			n += k;
		}
		if (n >= 3 && buf[0] == 0xef && buf[1] == 0xbb && buf[2] == 0xbf) {
			memmove(buf, buf + 3, n - 3);
			n -= 3;
			r->bom = 3;
			if (!n)
				n = input_read(r, buf, size);
		}
	}
	if (!n && ferror(r->fp)) {
		r->read_errno = errno ? errno : EIO;
		return 0;
	}
	if (!n)
		r->eof = true;
	if (r->win)
		window_add(r, buf, n);
	r->nbytes += n;
	for (i = 0; i < n; i++) {
		unsigned char c = buf[i];

		if (c == '\r' || (c == '\n' && r->in_prev != '\r')) {
			r->in_line++;
			r->in_col = 0;
		} else if (c != '\n' && (c & 0xc0) != 0x80) {
			r->in_col++;
		}
		if ((c & 0xc0) != 0x80)
			r->nchars++;
		r->in_prev = c;
	}
	r->since_event += n;
	if (r->since_event > TOKEN_MAX + TOKEN_SLACK) {
		r->tok_tripped = true;   /* reported by parse_error() */
		return 0;
	}
	*size_read = n;
	return 1;
}

/*
 * Computes the 1-based line and column of byte @offset by reading the file
 * again from its start (only done once, on an error), or for a stream from
 * the bytes it keeps (r->win). Leaves *@line and *@col alone when neither
 * holds the offset.
 */
static void offset_position(struct yrd *r, size_t offset,
			    unsigned long *line, unsigned long *col)
{
	unsigned long l = 1, c = 1;
	int ch, prev = 0;
	size_t i;

	if (r->stream) {
		if (!r->win || offset < r->win_off || offset > r->win_off + r->win_len)
			return;
		l = r->win_line + 1;
		c = r->win_col + 1;
		prev = r->win_prev;
		for (i = 0; i < offset - r->win_off; i++) {
			ch = r->win[i];
			if (ch == '\r' || (ch == '\n' && prev != '\r')) {
				l++;
				c = 1;
			} else if (ch != '\n' && (ch & 0xc0) != 0x80) {
				c++;
			}
			prev = ch;
		}
		*line = l;
		*col = c;
		return;
	}
	clearerr(r->fp);
	if (fseeko(r->fp, (off_t)r->bom, SEEK_SET))
		return;
	for (i = 0; i < offset && (ch = getc(r->fp)) != EOF; i++) {
		if (ch == '\r' || (ch == '\n' && prev != '\r')) {
			l++;
			c = 1;
		} else if (ch != '\n' && (ch & 0xc0) != 0x80) {
			c++;
		}
		prev = ch;
	}
	*line = l;
	*col = c;
}

/* Turns libyaml's failure into the reader's error; returns its code. */
static enum cxl_err parse_error(struct yrd *r,
				struct cxl_error *err)
{
	const yaml_parser_t *p = &r->parser;
	const char *problem = p->problem ? p->problem : "malformed yaml";
	unsigned long line = 0, col = 0;
	char buf[128];

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		return fail_loc(r, err, CXL_ERR_LIMIT, 0, 0,
				"out of memory while parsing yaml");
	case YAML_READER_ERROR:
		if (r->tok_tripped)
			return fail_loc(r, err, CXL_ERR_LIMIT, r->tok_line, r->tok_col,
					"a token (scalar or comment) longer than %d bytes follows here (no "
					"trace needs one)", TOKEN_MAX);
		if (r->read_errno)
			return fail_loc(r, err, CXL_ERR_IO, 0, 0,
					"read error: %s",
					errno_text(r->read_errno, buf,
						   sizeof(buf)));
		offset_position(r, p->problem_offset, &line, &col);
		/* RFC 1952 §2.3.1: a gzip member starts with 0x1f 0x8b */
		if (p->problem_offset + r->bom == 0 && p->problem_value == 0x1f)
			return fail_loc(r, err, CXL_ERR_SYNTAX, 1, 1,
					"the file is gzip-compressed, not a trace: a compressed log is "
					"replayed with `cxlemu replay --from qemu-log %.200s` (or --from "
					"qtest, mmiotrace); a compressed trace, with `zcat%s%.200s | cxlemu "
					"replay -`", r->arg, cxl_path_is_stdin(r->arg) ? "" : " ",
					cxl_path_is_stdin(r->arg) ? "" : r->arg);
		if (p->problem_value != -1)
			return fail_loc(r, err, CXL_ERR_SYNTAX, line, col,
					"not a text file: %s (0x%02x at byte offset %zu)",
					problem, (unsigned)p->problem_value,
					p->problem_offset + r->bom);
		return fail_loc(r, err, CXL_ERR_SYNTAX, line, col,
				"not a text file: %s (at byte offset %zu)",
				problem, p->problem_offset + r->bom);
	default:
		break;
	}
	/* libyaml adds a line break at the end; report the real end */
	if (r->eof && p->problem_mark.index >= r->nchars)
		return fail_loc(r, err, CXL_ERR_SYNTAX, r->in_line + 1,
				r->in_col + 1,
				"truncated: end of file inside %s (%s)",
				r->where, problem);
	/* libyaml stops at the character it cannot take; a tab is the common one (YAML 1.2
	 * §6.1: indentation is spaces only) */
	if (p->error == YAML_SCANNER_ERROR && p->buffer.pointer &&
	    p->buffer.pointer < p->buffer.last && *p->buffer.pointer == '\t' &&
	    p->mark.index == p->problem_mark.index)
		return fail_at(r, err, CXL_ERR_SYNTAX, p->problem_mark,
			       "a tab character: YAML indents with spaces, not tabs");
	if (p->context)
		return fail_at(r, err, CXL_ERR_SYNTAX, p->problem_mark,
			       "%s (%s)", problem, p->context);
	return fail_at(r, err, CXL_ERR_SYNTAX, p->problem_mark, "%s", problem);
}

/* Rejects aliases, anchors, tags and NUL bytes in the current event. */
static enum cxl_err check_event(struct yrd *r,
				struct cxl_error *err)
{
	const yaml_event_t *ev = &r->ev;
	const yaml_char_t *anchor = NULL, *tag = NULL;
	char buf[ECHO_BUF];

	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		return fail_at(r, err, CXL_ERR_SCHEMA, ev->start_mark,
			       "aliases are not supported in traces");
	case YAML_SCALAR_EVENT:
		anchor = ev->data.scalar.anchor;
		tag = ev->data.scalar.tag;
		if (strlen((const char *)ev->data.scalar.value) !=
		    ev->data.scalar.length)
			return fail_at(r, err, CXL_ERR_VALUE, ev->start_mark,
				       "strings must not contain nul characters");
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = ev->data.sequence_start.anchor;
		tag = ev->data.sequence_start.tag;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = ev->data.mapping_start.anchor;
		tag = ev->data.mapping_start.tag;
		break;
	default:
		break;
	}
	if (anchor)
		return fail_at(r, err, CXL_ERR_SCHEMA, ev->start_mark,
			       "anchor '&%s': aliases are not supported in traces",
			       echo(buf, (const char *)anchor,
				    strlen((const char *)anchor)));
	if (tag)
		return fail_at(r, err, CXL_ERR_SCHEMA, ev->start_mark,
			       "tag '%s' is not supported in traces",
			       echo(buf, (const char *)tag,
				    strlen((const char *)tag)));
	return CXL_OK;
}

/*
 * Replaces the current event with the next one from libyaml, checked by
 * check_event(). On error the reader is failed and holds no event.
 */
static enum cxl_err advance(struct yrd *r, struct cxl_error *err)
{
	if (r->have_ev) {
		yaml_event_delete(&r->ev);
		r->have_ev = false;
	}
	if (!yaml_parser_parse(&r->parser, &r->ev))
		return parse_error(r, err);
	r->have_ev = true;
	/* the next token starts after this event */
	r->since_event = 0;
	r->tok_line = r->ev.end_mark.line + 1;
	r->tok_col = r->ev.end_mark.column + 1;
	return check_event(r, err);
}

/* ------------------------------------------------------------------ */
/* the current event */

/* The current event's type. */
static yaml_event_type_t ev_type(const struct yrd *r)
{
	return r->ev.type;
}

/* Where the current event starts (0-based libyaml mark). */
static yaml_mark_t ev_mark(const struct yrd *r)
{
	return r->ev.start_mark;
}

/* The current scalar's text; only valid for a scalar event. */
static const char *ev_str(const struct yrd *r)
{
	return (const char *)r->ev.data.scalar.value;
}

/* The current scalar's length in bytes; only valid for a scalar event. */
static size_t ev_len(const struct yrd *r)
{
	return r->ev.data.scalar.length;
}

/* True when the current scalar is unquoted; only valid for a scalar event. */
static bool ev_plain(const struct yrd *r)
{
	return r->ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

/* Echoes the current scalar into @buf (ECHO_BUF bytes); returns @buf. */
static const char *ev_echo(const struct yrd *r, char *buf)
{
	return echo(buf, ev_str(r), ev_len(r));
}

/* Describes the current event for "got ..." messages into @buf (ECHO_BUF + 16). */
static const char *ev_describe(const struct yrd *r, char *buf,
			       size_t len)
{
	char e[ECHO_BUF];

	switch (ev_type(r)) {
	case YAML_SCALAR_EVENT:
		if (ev_plain(r) && !ev_len(r))
			snprintf(buf, len, "an empty value");
		else
			snprintf(buf, len, "'%s'", ev_echo(r, e));
		break;
	case YAML_SEQUENCE_START_EVENT:
		snprintf(buf, len, "a sequence");
		break;
	case YAML_MAPPING_START_EVENT:
		snprintf(buf, len, "a mapping");
		break;
	case YAML_SEQUENCE_END_EVENT:
		snprintf(buf, len, "the end of a sequence");
		break;
	case YAML_MAPPING_END_EVENT:
		snprintf(buf, len, "the end of a mapping");
		break;
	default:
		snprintf(buf, len, "the end of the document");
		break;
	}
	return buf;
}

/* True for a plain empty, "~" or "null" scalar (YAML's null). */
static bool ev_is_null(const struct yrd *r)
{
	const char *s = ev_str(r);

	if (ev_type(r) != YAML_SCALAR_EVENT || !ev_plain(r))
		return false;
	return !ev_len(r) || !strcmp(s, "~") || !strcmp(s, "null") ||
	       !strcmp(s, "Null") || !strcmp(s, "NULL");
}

/* Returns the index of the current scalar in @keys (@n entries), or -1. */
static int key_index(const struct yrd *r,
		     const char *const *keys, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (!strcmp(keys[i], ev_str(r)))
			return (int)i;
	return -1;
}

/* ------------------------------------------------------------------ */
/* scalars */

/* Fails unless the current event is a scalar; @what names the expected thing. */
static enum cxl_err want_scalar(struct yrd *r, const char *what,
				struct cxl_error *err)
{
	char buf[ECHO_BUF + 16];

	if (ev_type(r) == YAML_SCALAR_EVENT)
		return CXL_OK;
	return fail_at(r, err, CXL_ERR_SCHEMA, ev_mark(r),
		       "expected %s, got %s", what,
		       ev_describe(r, buf, sizeof(buf)));
}

/* True when @c may appear in a name ([A-Za-z0-9_.-]). */
static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

/*
 * Parses the current scalar as a decimal or 0x-hex 64-bit unsigned number
 * into *@out. Rejects quoting, empty values, signs, leading zeros in
 * decimal, junk and overflow; @what prefixes the message.
 */
static enum cxl_err scalar_u64(struct yrd *r, const char *what,
			       uint64_t *out, struct cxl_error *err)
{
	const char *s;
	size_t len, i, start = 0;
	char buf[ECHO_BUF + 16];
	uint64_t v = 0;
	bool hex;

	if (ev_type(r) != YAML_SCALAR_EVENT)
		return fail_at(r, err, CXL_ERR_SCHEMA, ev_mark(r),
			       "%s: expected a number, got %s", what,
			       ev_describe(r, buf, sizeof(buf)));
	s = ev_str(r);
	len = ev_len(r);
	if (!ev_plain(r))
		return fail_at(r, err, CXL_ERR_VALUE, ev_mark(r),
			       "%s: expected a number, got quoted '%s'", what,
			       ev_echo(r, buf));
	if (!len)
		return fail_at(r, err, CXL_ERR_VALUE, ev_mark(r),
			       "%s: expected a number, got an empty value",
			       what);
	if (s[0] == '-')
		return fail_at(r, err, CXL_ERR_VALUE, ev_mark(r),
			       "%s: negative number '%s' is not allowed", what,
			       ev_echo(r, buf));
	hex = len > 2 && s[0] == '0' && s[1] == 'x';
	if (hex)
		start = 2;
	for (i = start; i < len; i++) {
		char c = s[i];
		bool ok = (c >= '0' && c <= '9') ||
			  (hex && ((c >= 'a' && c <= 'f') ||
				   (c >= 'A' && c <= 'F')));

		if (!ok)
			return fail_at(r, err, CXL_ERR_VALUE, ev_mark(r),
				       "%s: expected a number, got '%s'", what,
				       ev_echo(r, buf));
	}
	if (!hex && len > 1 && s[0] == '0')
		return fail_at(r, err, CXL_ERR_VALUE, ev_mark(r),
			       "%s: expected a number, got '%s' (leading zeros are not allowed; use 0x for hex)",
			       what, ev_echo(r, buf));
	for (i = start; i < len; i++) {
		char c = s[i];
		unsigned d = c <= '9' ? (unsigned)(c - '0') :
			     c <= 'F' ? (unsigned)(c - 'A' + 10) :
					(unsigned)(c - 'a' + 10);
		unsigned base = hex ? 16 : 10;

		if (v > (UINT64_MAX - d) / base)
			return fail_at(r, err, CXL_ERR_VALUE, ev_mark(r),
				       "%s: number '%s' does not fit in 64 bits",
				       what, ev_echo(r, buf));
		v = v * base + d;
	}
	*out = v;
	return CXL_OK;
}

/*
 * Copies the current scalar into @dst (@cap bytes with the NUL). Fails with
 * CXL_ERR_LIMIT when it does not fit (never truncates) and, when
 * @one_line, with CXL_ERR_VALUE for a line break; @what names the field.
 * (NUL bytes never get here: check_event() rejects them.)
 */
static enum cxl_err scalar_text(struct yrd *r, const char *what,
				char *dst, size_t cap, bool one_line,
				struct cxl_error *err)
{
	char buf[ECHO_BUF];
	size_t len, i;
	enum cxl_err e;

	e = want_scalar(r, "a string", err);
	if (e)
		return e;
	len = ev_len(r);
	if (len >= cap)
		return fail_at(r, err, CXL_ERR_LIMIT, ev_mark(r),
			       "%s '%s' is longer than %zu bytes", what,
			       ev_echo(r, buf), cap - 1);
	for (i = 0; one_line && i < len; i++) {
		const unsigned char *u = (const unsigned char *)ev_str(r) + i;

		/* line breaks: LF, CR, and NEL, LS, PS (U+0085, U+2028, U+2029) */
		if (u[0] == '\n' || u[0] == '\r' || (u[0] == 0xc2 && i + 1 < len && u[1] == 0x85) ||
		    (u[0] == 0xe2 && i + 2 < len && u[1] == 0x80 && (u[2] == 0xa8 || u[2] == 0xa9)))
			return fail_at(r, err, CXL_ERR_VALUE, ev_mark(r),
				       "%s must be one line", what);
	}
	memcpy(dst, ev_str(r), len);
	dst[len] = '\0';
	return CXL_OK;
}

/*
 * Copies the current scalar into @dst (CXL_TRACE_NAME_MAX bytes) after
 * checking it is a name: 1 to CXL_TRACE_NAME_MAX - 1 of [A-Za-z0-9_.-].
 */
static enum cxl_err scalar_name(struct yrd *r, const char *what,
				char *dst, struct cxl_error *err)
{
	char buf[ECHO_BUF];
	size_t len, i;
	enum cxl_err e;

	e = want_scalar(r, "a name", err);
	if (e)
		return e;
	len = ev_len(r);
	if (!len)
		return fail_at(r, err, CXL_ERR_VALUE, ev_mark(r),
			       "%s must not be empty", what);
	if (len >= CXL_TRACE_NAME_MAX)
		return fail_at(r, err, CXL_ERR_LIMIT, ev_mark(r),
			       "%s '%s' is longer than %d characters", what,
			       ev_echo(r, buf), CXL_TRACE_NAME_MAX - 1);
	for (i = 0; i < len; i++)
		if (!name_char(ev_str(r)[i]))
			return fail_at(r, err, CXL_ERR_VALUE, ev_mark(r),
				       "%s '%s' may only use A-Z a-z 0-9 _ . -",
				       what, ev_echo(r, buf));
	memcpy(dst, ev_str(r), len);
	dst[len] = '\0';
	return CXL_OK;
}

/*
 * Copies the current scalar, a name of spec/ (a model, profile or rule: one of the @count
 * names @name_at(i), found by @lookup), into @dst (CXL_TRACE_NAME_MAX bytes). An unknown
 * name fails with CXL_ERR_UNKNOWN at the scalar, naming the nearest, or the names when they
 * are few, else @more (where they are listed); @what names the field ("model").
 */
static enum cxl_err scalar_catalog(struct yrd *r, const char *what, char *dst,
				   int (*lookup)(const char *), const char *(*name_at)(unsigned),
				   unsigned count, const char *more, struct cxl_error *err)
{
	char buf[ECHO_BUF], hint[400];
	enum cxl_err e;

	e = scalar_name(r, what, dst, err);
	if (e || lookup(dst) >= 0)
		return e;
	cxl_trace_hint(hint, sizeof(hint), dst, count, name_at, more);
	return fail_at(r, err, CXL_ERR_UNKNOWN, ev_mark(r), "unknown %s '%s'%s", what,
		       ev_echo(r, buf), hint);
}

/* A device's or the trace's profile: a profile of spec/profiles. */
static enum cxl_err scalar_profile(struct yrd *r, char *dst, struct cxl_error *err)
{
	return scalar_catalog(r, "profile", dst, cxl_profile_lookup, cxl_profile_name,
			      cxl_profile_count(), "`cxlemu spec` lists the profiles", err);
}

/* ------------------------------------------------------------------ */
/* mappings */

/*
 * Advances to the next key of a mapping. Sets *@end at the mapping's end;
 * otherwise the current event is a key scalar. @what names the mapping.
 */
static enum cxl_err next_key(struct yrd *r, const char *what,
			     bool *end, struct cxl_error *err)
{
	char buf[ECHO_BUF + 16];
	enum cxl_err e;

	e = advance(r, err);
	if (e)
		return e;
	*end = ev_type(r) == YAML_MAPPING_END_EVENT;
	if (*end || ev_type(r) == YAML_SCALAR_EVENT)
		return CXL_OK;
	return fail_at(r, err, CXL_ERR_SCHEMA, ev_mark(r),
		       "expected a key in %s, got %s", what,
		       ev_describe(r, buf, sizeof(buf)));
}

/*
 * Looks the current key up in @keys (@key_at(i) is @keys[i]) and records it
 * in *@seen. Fails for an unknown key (naming the nearest or the keys there
 * are) or a repeated one; @ctx ("" or " in device 'x'") follows the key in
 * the message. Stores the key's index in *@k.
 */
static enum cxl_err take_key(struct yrd *r,
			     const char *const *keys, const char *(*key_at)(unsigned),
			     unsigned n, unsigned *seen, const char *ctx, int *k,
			     struct cxl_error *err)
{
	char buf[ECHO_BUF], hint[400];

	*k = key_index(r, keys, n);
	if (*k < 0) {
		cxl_trace_hint(hint, sizeof(hint), ev_str(r), n, key_at, NULL);
		return fail_at(r, err, CXL_ERR_SCHEMA, ev_mark(r),
			       "unknown key '%s'%s%s", ev_echo(r, buf), ctx, hint);
	}
	if (*seen & (1u << *k))
		return fail_at(r, err, CXL_ERR_SCHEMA, ev_mark(r),
			       "duplicate key '%s'%s", ev_echo(r, buf), ctx);
	*seen |= 1u << *k;
	return CXL_OK;
}

/* Fails unless the current event starts a mapping; @what names it. */
static enum cxl_err want_mapping(struct yrd *r, const char *what,
				 struct cxl_error *err)
{
	char buf[ECHO_BUF + 16];

	if (ev_type(r) == YAML_MAPPING_START_EVENT)
		return CXL_OK;
	return fail_at(r, err, CXL_ERR_SCHEMA, ev_mark(r),
		       "%s must be a mapping, got %s", what,
		       ev_describe(r, buf, sizeof(buf)));
}

/* Fails unless the current event starts a sequence; @what names it. */
static enum cxl_err want_sequence(struct yrd *r, const char *what,
				  struct cxl_error *err)
{
	char buf[ECHO_BUF + 16];

	if (ev_type(r) == YAML_SEQUENCE_START_EVENT)
		return CXL_OK;
	return fail_at(r, err, CXL_ERR_SCHEMA, ev_mark(r),
		       "%s must be a sequence, got %s", what,
		       ev_describe(r, buf, sizeof(buf)));
}

/* ------------------------------------------------------------------ */
/* header */

/* Parses fw-committed: {base: N, size: N} (the current event) into @dev. */
static enum cxl_err parse_fw(struct yrd *r,
			     struct cxl_trace_device *dev,
			     struct cxl_error *err)
{
	yaml_mark_t start = ev_mark(r);
	char ctx[CTX_BUF];
	unsigned seen = 0;
	uint64_t v[FK__COUNT] = { 0 };
	enum cxl_err e;
	bool end;
	int k;

	e = want_mapping(r, "fw-committed", err);
	if (e)
		return e;
	snprintf(ctx, sizeof(ctx), " in fw-committed of device '%s'",
		 dev->name);
	for (;;) {
		e = next_key(r, "fw-committed", &end, err);
		if (e || end)
			break;
		e = take_key(r, fw_keys, fw_key_at, FK__COUNT, &seen, ctx, &k, err);
		if (!e)
			e = advance(r, err);
		if (!e)
			e = scalar_u64(r, fw_keys[k], &v[k], err);
		if (e)
			return e;
	}
	if (e)
		return e;
	for (k = 0; k < FK__COUNT; k++)
		if (!(seen & (1u << k)))
			return fail_at(r, err, CXL_ERR_SCHEMA, start,
				       "fw-committed of device '%s' has no '%s'",
				       dev->name, fw_keys[k]);
	if (!v[FK_SIZE])
		return fail_at(r, err, CXL_ERR_VALUE, start,
			       "fw-committed size of device '%s' must not be 0",
			       dev->name);
	if (v[FK_BASE] > UINT64_MAX - v[FK_SIZE])
		return fail_at(r, err, CXL_ERR_VALUE, start,
			       "fw-committed base + size of device '%s' does not fit in 64 bits",
			       dev->name);
	dev->fw_committed = true;
	dev->fw_base = v[FK_BASE];
	dev->fw_size = v[FK_SIZE];
	return CXL_OK;
}

/* Parses the current scalar as true or false into *@out; @what prefixes the message. */
static enum cxl_err scalar_bool(struct yrd *r, const char *what, bool *out,
				struct cxl_error *err)
{
	char buf[ECHO_BUF + 16];

	if (ev_type(r) == YAML_SCALAR_EVENT && ev_plain(r)) {
		if (!strcmp(ev_str(r), "true")) {
			*out = true;
			return CXL_OK;
		}
		if (!strcmp(ev_str(r), "false")) {
			*out = false;
			return CXL_OK;
		}
	}
	return fail_at(r, err, CXL_ERR_VALUE, ev_mark(r), "%s: expected true or false, got %s",
		       what, ev_describe(r, buf, sizeof(buf)));
}

/* Parses one host decoder {decoder: N, base, size, committed, locked} into @dev. */
static enum cxl_err parse_host_decoder(struct yrd *r, struct cxl_trace_device *dev,
				       struct cxl_error *err)
{
	const uint64_t granule = 0x10000000ULL;   /* CXL r3.1 §8.2.4.20.3-.6: bits 31:28 */
	yaml_mark_t start = ev_mark(r), at[HD__COUNT];
	struct cxl_host_decoder h = { true, false, false, 0, 0 };
	char ctx[CTX_BUF];
	unsigned seen = 0;
	uint64_t n = 0;
	enum cxl_err e;
	bool end;
	int k;

	e = want_mapping(r, "a host decoder", err);
	if (e)
		return e;
	snprintf(ctx, sizeof(ctx), " in a host decoder of device '%s'", dev->name);
	for (;;) {
		e = next_key(r, "a host decoder", &end, err);
		if (e || end)
			break;
		e = take_key(r, hdec_keys, hdec_key_at, HD__COUNT, &seen, ctx, &k, err);
		if (!e)
			e = advance(r, err);
		if (e)
			return e;
		at[k] = ev_mark(r);
		switch (k) {
		case HD_DECODER: e = scalar_u64(r, "decoder", &n, err); break;
		case HD_BASE: e = scalar_u64(r, "base", &h.base, err); break;
		case HD_SIZE: e = scalar_u64(r, "size", &h.size, err); break;
		case HD_COMMITTED: e = scalar_bool(r, "committed", &h.committed, err); break;
		default: e = scalar_bool(r, "locked", &h.locked, err); break;
		}
		if (e)
			return e;
	}
	if (e)
		return e;
	if (!(seen & (1u << HD_DECODER)))
		return fail_at(r, err, CXL_ERR_SCHEMA, start, "a host decoder of device '%s' has no 'decoder'",
			       dev->name);
	if (n >= CXL_HOST_DECODERS_MAX)
		return fail_at(r, err, CXL_ERR_VALUE, at[HD_DECODER],
			       "host decoder %" PRIu64 " is out of range 0..%d", n, CXL_HOST_DECODERS_MAX - 1);
	if (dev->host[n].set || (n == 0 && dev->fw_committed))
		return fail_at(r, err, CXL_ERR_VALUE, at[HD_DECODER],
			       "host decoder %" PRIu64 " of device '%s' is given twice%s", n, dev->name,
			       n == 0 && dev->fw_committed ? " (fw-committed is decoder 0)" : "");
	if ((seen & (1u << HD_BASE)) && h.base % granule)
		return fail_at(r, err, CXL_ERR_VALUE, at[HD_BASE],
			       "base 0x%" PRIx64 " is not a multiple of 256 MiB", h.base);
	if ((seen & (1u << HD_SIZE)) && h.size % granule)
		return fail_at(r, err, CXL_ERR_VALUE, at[HD_SIZE],
			       "size 0x%" PRIx64 " is not a multiple of 256 MiB", h.size);
	if (h.base + h.size < h.base)
		return fail_at(r, err, CXL_ERR_VALUE, at[HD_SIZE],
			       "base 0x%" PRIx64 " + size 0x%" PRIx64 " passes the end of the address space",
			       h.base, h.size);
	if (h.locked && !h.committed)
		return fail_at(r, err, CXL_ERR_VALUE, at[HD_LOCKED],
			       "a locked host decoder must be committed (committed: true)");
	dev->host[n] = h;
	return CXL_OK;
}

/* Parses host: {decoders: [...], config-lock: B, mem-enable: B} (the current event) into @dev. */
static enum cxl_err parse_host(struct yrd *r, struct cxl_trace_device *dev,
			       struct cxl_error *err)
{
	char ctx[CTX_BUF];
	unsigned seen = 0;
	enum cxl_err e;
	bool end;
	int k;

	e = want_mapping(r, "host", err);
	if (e)
		return e;
	snprintf(ctx, sizeof(ctx), " in host of device '%s'", dev->name);
	for (;;) {
		e = next_key(r, "host", &end, err);
		if (e || end)
			break;
		e = take_key(r, host_keys, host_key_at, HK__COUNT, &seen, ctx, &k, err);
		if (!e)
			e = advance(r, err);
		if (e)
			return e;
		if (k == HK_LOCK) {
			e = scalar_bool(r, "config-lock", &dev->host_config_lock, err);
		} else if (k == HK_MEM) {
			e = scalar_bool(r, "mem-enable", &dev->host_mem_enable, err);
		} else {
			e = want_sequence(r, "decoders", err);
			for (bool done = false; !e && !done;) {
				e = advance(r, err);
				if (!e && ev_type(r) == YAML_SEQUENCE_END_EVENT)
					done = true;
				else if (!e)
					e = parse_host_decoder(r, dev, err);
			}
		}
		if (e)
			return e;
	}
	return e;
}

static enum cxl_err scalar_port(struct yrd *r, int *port, struct cxl_error *err);

/* Parses one device mapping (the current event) into @dev. */
static enum cxl_err parse_device(struct yrd *r,
				 struct cxl_trace_device *dev,
				 struct cxl_error *err)
{
	yaml_mark_t start = ev_mark(r), port_at = start;
	char ctx[CTX_BUF], what[CTX_BUF];
	unsigned seen = 0;
	enum cxl_err e;
	uint64_t n;
	bool end;
	int k;

	snprintf(what, sizeof(what), "device '%s'", dev->name);
	e = want_mapping(r, what, err);
	if (e)
		return e;
	snprintf(ctx, sizeof(ctx), " in device '%s'", dev->name);
	for (;;) {
		e = next_key(r, what, &end, err);
		if (e)
			return e;
		if (end)
			break;
		e = take_key(r, dev_keys, dev_key_at, DK__COUNT, &seen, ctx, &k, err);
		if (!e)
			e = advance(r, err);
		if (e)
			return e;
		switch (k) {
		case DK_MODEL:
			e = scalar_catalog(r, "model", dev->model, cxl_model_lookup, cxl_model_name,
					   cxl_model_count(), "`cxlemu spec` lists the models", err);
			break;
		case DK_PROFILE:
			e = scalar_profile(r, dev->profile, err);
			break;
		case DK_HDM:
			e = scalar_u64(r, "hdm-decoders", &n, err);
			if (!e && (n < 1 || n > CXL_TRACE_MAX_HDM_DECODERS))
				e = fail_at(r, err, CXL_ERR_VALUE, ev_mark(r),
					    "hdm-decoders %" PRIu64 " is out of range 1..%d",
					    n, CXL_TRACE_MAX_HDM_DECODERS);
			if (!e)
				dev->hdm_decoders = (int)n;
			break;
		case DK_VIEW: {
			char name[CXL_TRACE_NAME_MAX], hint[400], buf[ECHO_BUF];
			int v;

			e = scalar_name(r, "view", name, err);
			if (e)
				break;
			v = cxl_view_parse(name);
			if (v < 0) {
				cxl_trace_hint(hint, sizeof(hint), name, CXL_VIEW__COUNT, cxl_view_name, NULL);
				e = fail_at(r, err, CXL_ERR_VALUE, ev_mark(r), "unknown view '%s'%s",
					    ev_echo(r, buf), hint);
				break;
			}
			dev->view = (unsigned)v;
			break;
		}
		case DK_HOST:
			e = parse_host(r, dev, err);
			break;
		case DK_PARENT:
			e = scalar_name(r, "parent", dev->parent, err);
			dev->parent_line = (unsigned long)ev_mark(r).line + 1;
			dev->parent_col = (unsigned long)ev_mark(r).column + 1;
			break;
		case DK_PORT:
			port_at = ev_mark(r);
			e = scalar_port(r, &dev->port, err);
			break;
		default:
			if (dev->host[0].set)
				e = fail_at(r, err, CXL_ERR_VALUE, ev_mark(r),
					    "fw-committed of device '%s' is host decoder 0, given already",
					    dev->name);
			else
				e = parse_fw(r, dev, err);
			break;
		}
		if (e)
			return e;
	}
	if (!(seen & (1u << DK_MODEL)))
		return fail_at(r, err, CXL_ERR_SCHEMA, start,
			       "device '%s' has no 'model'", dev->name);
	if ((seen & (1u << DK_PORT)) && !(seen & (1u << DK_PARENT)))
		return fail_at(r, err, CXL_ERR_SCHEMA, port_at,
			       "port of device '%s' without a parent (a port is a place in its parent's target lists)",
			       dev->name);
	return CXL_OK;
}

/* Returns the index of device @name in the header, or -1. */
static int find_device(const struct cxl_trace_header *h, const char *name)
{
	unsigned i;

	for (i = 0; i < h->ndevices; i++)
		if (!strcmp(h->devices[i].name, name))
			return (int)i;
	return -1;
}

/* Parses the devices: mapping (the current event) into the header. */
static enum cxl_err parse_devices(struct yrd *r,
				  struct cxl_error *err)
{
	struct cxl_trace_header *h = &r->base.hdr;
	char name[CXL_TRACE_NAME_MAX];
	struct cxl_trace_device *dev;
	enum cxl_err e;
	bool end;
	int dup;

	e = want_mapping(r, "'devices'", err);
	if (e)
		return e;
	r->where = "devices";
	for (;;) {
		e = next_key(r, "devices", &end, err);
		if (e)
			return e;
		if (end)
			break;
		e = scalar_name(r, "device name", name, err);
		if (e)
			return e;
		dup = find_device(h, name);
		if (dup >= 0)
			return fail_at(r, err, CXL_ERR_SCHEMA, ev_mark(r),
				       "duplicate device '%s' (first at line %lu)",
				       name, h->devices[dup].line);
		if (h->ndevices == CXL_TRACE_MAX_DEVICES)
			return fail_at(r, err, CXL_ERR_LIMIT, ev_mark(r),
				       "too many devices: at most %d",
				       CXL_TRACE_MAX_DEVICES);
		dev = &h->devices[h->ndevices];
		memset(dev, 0, sizeof(*dev));
		memcpy(dev->name, name, sizeof(dev->name));
		dev->port = -1;
		dev->line = (unsigned long)ev_mark(r).line + 1;
		dev->col = (unsigned long)ev_mark(r).column + 1;
		e = advance(r, err);
		if (!e)
			e = parse_device(r, dev, err);
		if (e)
			return e;
		h->ndevices++;
	}
	r->where = "the header";
	return CXL_OK;
}

/* ------------------------------------------------------------------ */
/* topology (traces/README.md "Topology") */

/* Parses the current scalar as a port number 0..CXL_TRACE_MAX_PORT into *@port. */
static enum cxl_err scalar_port(struct yrd *r, int *port, struct cxl_error *err)
{
	uint64_t v;
	enum cxl_err e = scalar_u64(r, "port", &v, err);

	if (e)
		return e;
	if (v > CXL_TRACE_MAX_PORT)
		return fail_at(r, err, CXL_ERR_VALUE, ev_mark(r), "port %" PRIu64 " is out of range 0..%d",
			       v, CXL_TRACE_MAX_PORT);
	*port = (int)v;
	return CXL_OK;
}

/* Parses a window's targets: [NAME, ...] (the current event) into @w. */
static enum cxl_err parse_window_targets(struct yrd *r, struct cxl_trace_window *w,
					 struct cxl_error *err)
{
	yaml_mark_t start = ev_mark(r);
	enum cxl_err e = want_sequence(r, "targets", err);

	while (!e) {
		e = advance(r, err);
		if (e || ev_type(r) == YAML_SEQUENCE_END_EVENT)
			break;
		if (w->ntargets == CXL_TRACE_MAX_WINDOW_TARGETS)
			return fail_at(r, err, CXL_ERR_LIMIT, ev_mark(r),
				       "too many window targets: at most %d (CXL r3.1 §9.18.1.3: 16 ways)",
				       CXL_TRACE_MAX_WINDOW_TARGETS);
		e = scalar_name(r, "window target", w->targets[w->ntargets], err);
		if (e)
			return e;
		for (unsigned t = 0; t < w->ntargets; t++)
			if (!strcmp(w->targets[t], w->targets[w->ntargets]))
				return fail_at(r, err, CXL_ERR_VALUE, ev_mark(r),
					       "window target '%s' is listed twice", w->targets[t]);
		w->target_line[w->ntargets] = (unsigned long)ev_mark(r).line + 1;
		w->target_col[w->ntargets] = (unsigned long)ev_mark(r).column + 1;
		w->ntargets++;
	}
	if (!e && !w->ntargets)
		return fail_at(r, err, CXL_ERR_VALUE, start, "a window needs 1 to %d targets, got none",
			       CXL_TRACE_MAX_WINDOW_TARGETS);
	return e;
}

/* Parses one window {name, base, size, granularity, targets} (the current event) into @w. */
static enum cxl_err parse_window(struct yrd *r, struct cxl_trace_window *w, struct cxl_error *err)
{
	const uint64_t granule = 0x10000000ULL;   /* CXL r3.1 §9.18.1.3: 256 MiB multiples */
	yaml_mark_t start = ev_mark(r), at[WK__COUNT];
	unsigned seen = 0;
	uint64_t g = 256;
	enum cxl_err e;
	bool end;
	int k;

	e = want_mapping(r, "a window", err);
	if (e)
		return e;
	w->granularity = 256;
	w->line = (unsigned long)start.line + 1;
	w->col = (unsigned long)start.column + 1;
	for (;;) {
		e = next_key(r, "a window", &end, err);
		if (e || end)
			break;
		e = take_key(r, win_keys, win_key_at, WK__COUNT, &seen, " in a window", &k, err);
		if (!e)
			e = advance(r, err);
		if (e)
			return e;
		at[k] = ev_mark(r);
		switch (k) {
		case WK_NAME: e = scalar_name(r, "window name", w->name, err); break;
		case WK_BASE: e = scalar_u64(r, "base", &w->base, err); break;
		case WK_SIZE: e = scalar_u64(r, "size", &w->size, err); break;
		case WK_GRAN: e = scalar_u64(r, "granularity", &g, err); break;
		default: e = parse_window_targets(r, w, err); break;
		}
		if (e)
			return e;
	}
	if (e)
		return e;
	if (!(seen & (1u << WK_SIZE)))
		return fail_at(r, err, CXL_ERR_SCHEMA, start, "a window has no 'size'");
	if (!(seen & (1u << WK_TARGETS)))
		return fail_at(r, err, CXL_ERR_SCHEMA, start, "a window has no 'targets'");
	w->has_base = seen & (1u << WK_BASE);
	if (w->has_base && w->base % granule)
		return fail_at(r, err, CXL_ERR_VALUE, at[WK_BASE],
			       "window base 0x%" PRIx64 " is not a multiple of 256 MiB", w->base);
	if (!w->size || w->size % granule)
		return fail_at(r, err, CXL_ERR_VALUE, at[WK_SIZE],
			       "window size 0x%" PRIx64 " is not a non-zero multiple of 256 MiB", w->size);
	if (w->has_base && w->base > UINT64_MAX - w->size)
		return fail_at(r, err, CXL_ERR_VALUE, at[WK_SIZE],
			       "window base 0x%" PRIx64 " + size 0x%" PRIx64 " passes the end of the address space",
			       w->base, w->size);
	if (g < 256 || g > 16384 || (g & (g - 1)))
		return fail_at(r, err, CXL_ERR_VALUE, at[WK_GRAN],
			       "granularity %" PRIu64 " is not one of 256, 512, 1024, 2048, 4096, 8192, 16384",
			       g);
	w->granularity = (unsigned)g;
	return CXL_OK;
}

/* Parses one node {kind, parent, port} (the current event) into @x (its name set). */
static enum cxl_err parse_node(struct yrd *r, struct cxl_trace_node *x, struct cxl_error *err)
{
	yaml_mark_t start = ev_mark(r), port_at = start;
	char ctx[CTX_BUF], what[CTX_BUF], kind[CXL_TRACE_NAME_MAX], hint[400], buf[ECHO_BUF];
	unsigned seen = 0;
	enum cxl_err e;
	bool end;
	int k;

	snprintf(what, sizeof(what), "node '%s'", x->name);
	snprintf(ctx, sizeof(ctx), " in node '%s'", x->name);
	e = want_mapping(r, what, err);
	if (e)
		return e;
	for (;;) {
		e = next_key(r, what, &end, err);
		if (e || end)
			break;
		e = take_key(r, node_keys, node_key_at, NK__COUNT, &seen, ctx, &k, err);
		if (!e)
			e = advance(r, err);
		if (e)
			return e;
		if (k == NK_KIND) {
			unsigned i;

			e = scalar_name(r, "kind", kind, err);
			if (e)
				return e;
			for (i = 0; i < CXL_TOPO__COUNT && strcmp(kind, cxl_topo_kind_name(i)); i++)
				;
			if (i == CXL_TOPO__COUNT) {
				cxl_trace_hint(hint, sizeof(hint), kind, CXL_TOPO__COUNT, topo_kind_at, NULL);
				return fail_at(r, err, CXL_ERR_VALUE, ev_mark(r), "unknown node kind '%s'%s",
					       ev_echo(r, buf), hint);
			}
			x->kind = i;
		} else if (k == NK_PARENT) {
			e = scalar_name(r, "parent", x->parent, err);
			x->parent_line = (unsigned long)ev_mark(r).line + 1;
			x->parent_col = (unsigned long)ev_mark(r).column + 1;
		} else {
			port_at = ev_mark(r);
			e = scalar_port(r, &x->port, err);
		}
		if (e)
			return e;
	}
	if (e)
		return e;
	if (!(seen & (1u << NK_KIND)))
		return fail_at(r, err, CXL_ERR_SCHEMA, start, "node '%s' has no 'kind'", x->name);
	if ((seen & (1u << NK_PORT)) && !(seen & (1u << NK_PARENT)))
		return fail_at(r, err, CXL_ERR_SCHEMA, port_at,
			       "port of node '%s' without a parent (a port is a place in its parent's target lists)",
			       x->name);
	return CXL_OK;
}

/* Parses nodes: {NAME: {...}, ...} (the current event) into the header. */
static enum cxl_err parse_nodes(struct yrd *r, struct cxl_error *err)
{
	struct cxl_trace_header *h = &r->base.hdr;
	char name[CXL_TRACE_NAME_MAX];
	struct cxl_trace_node *x;
	enum cxl_err e;
	bool end;

	e = want_mapping(r, "nodes", err);
	if (e)
		return e;
	for (;;) {
		e = next_key(r, "nodes", &end, err);
		if (e || end)
			return e;
		e = scalar_name(r, "node name", name, err);
		if (e)
			return e;
		for (unsigned i = 0; i < h->nnodes; i++)
			if (!strcmp(h->nodes[i].name, name))
				return fail_at(r, err, CXL_ERR_SCHEMA, ev_mark(r),
					       "duplicate node '%s' (first at line %lu)", name,
					       h->nodes[i].line);
		if (h->nnodes == CXL_TRACE_MAX_NODES)
			return fail_at(r, err, CXL_ERR_LIMIT, ev_mark(r), "too many topology nodes: at most %d",
				       CXL_TRACE_MAX_NODES);
		x = &h->nodes[h->nnodes];
		memset(x, 0, sizeof(*x));
		memcpy(x->name, name, sizeof(x->name));
		x->port = -1;
		x->line = (unsigned long)ev_mark(r).line + 1;
		x->col = (unsigned long)ev_mark(r).column + 1;
		e = advance(r, err);
		if (!e)
			e = parse_node(r, x, err);
		if (e)
			return e;
		h->nnodes++;
	}
}

/* Parses topology: {windows: [...], nodes: {...}} (the current event) into the header. */
static enum cxl_err parse_topology(struct yrd *r, struct cxl_error *err)
{
	struct cxl_trace_header *h = &r->base.hdr;
	unsigned seen = 0;
	enum cxl_err e;
	bool end;
	int k;

	e = want_mapping(r, "'topology'", err);
	if (e)
		return e;
	r->where = "topology";
	for (;;) {
		e = next_key(r, "topology", &end, err);
		if (e || end)
			break;
		e = take_key(r, topo_keys, topo_key_at, TOK__COUNT, &seen, " in topology", &k, err);
		if (!e)
			e = advance(r, err);
		if (e)
			return e;
		if (k == TOK_NODES) {
			e = parse_nodes(r, err);
			if (e)
				return e;
			continue;
		}
		e = want_sequence(r, "windows", err);
		while (!e) {
			e = advance(r, err);
			if (e || ev_type(r) == YAML_SEQUENCE_END_EVENT)
				break;
			if (h->nwindows == CXL_TRACE_MAX_WINDOWS)
				return fail_at(r, err, CXL_ERR_LIMIT, ev_mark(r), "too many windows: at most %d",
					       CXL_TRACE_MAX_WINDOWS);
			memset(&h->windows[h->nwindows], 0, sizeof(h->windows[0]));
			e = parse_window(r, &h->windows[h->nwindows], err);
			if (!e)
				h->nwindows++;
		}
		if (e)
			return e;
	}
	r->where = "the header";
	return e;
}

/* The checks of the whole header's topology (cxl_trace_topology_check()), at their elements. */
static enum cxl_err check_topology(struct yrd *r, struct cxl_error *err)
{
	struct cxl_error te;
	enum cxl_err e = cxl_trace_topology_check(&r->base.hdr, &te);

	if (!e)
		return CXL_OK;
	return fail_loc(r, err, e, te.line, te.col, "%s", te.msg);
}

/*
 * Parses the value of top-level key @k (the key is the current event)
 * before ops:. For ops: stops after the start of the sequence.
 */
static enum cxl_err parse_top_value(struct yrd *r, int k,
				    struct cxl_error *err)
{
	struct cxl_trace_header *h = &r->base.hdr;
	enum cxl_err e;
	uint64_t v;

	if (k == TK_EXPECT)
		return fail_at(r, err, CXL_ERR_SCHEMA, ev_mark(r),
			       "'expect' must come after 'ops'");
	if (k == TK_OPS && !(r->top_seen & (1u << TK_DEVICES)))
		return fail_at(r, err, CXL_ERR_SCHEMA, ev_mark(r),
			       "'devices' must come before 'ops'");
	e = advance(r, err);
	if (e)
		return e;
	switch (k) {
	case TK_VERSION:
		e = scalar_u64(r, "cxl-trace", &v, err);
		if (!e && v != 1)
			e = fail_at(r, err, CXL_ERR_VALUE, ev_mark(r),
				    "unsupported trace version %" PRIu64 ": only 1 exists",
				    v);
		h->version = 1;
		return e;
	case TK_DESCRIPTION:
		return scalar_text(r, "description", h->description,
				   sizeof(h->description), true, err);
	case TK_PROFILE:
		return scalar_profile(r, h->profile, err);
	case TK_SOURCE:
		e = scalar_text(r, "source", h->source, sizeof(h->source),
				true, err);
		if (!e && !h->source[0])
			e = fail_at(r, err, CXL_ERR_VALUE, ev_mark(r),
				    "source must not be empty");
		return e;
	case TK_DEVICES:
		return parse_devices(r, err);
	case TK_TOPOLOGY:
		return parse_topology(r, err);
	default:
		e = want_sequence(r, "'ops'", err);
		return e ? e : check_topology(r, err);
	}
}

/* Parses from the start of the stream to the start of the ops sequence. */
static enum cxl_err parse_header(struct yrd *r,
				 struct cxl_error *err)
{
	char buf[ECHO_BUF + 16];
	enum cxl_err e;
	bool end;
	int k;

	e = advance(r, err);		/* stream start */
	if (!e)
		e = advance(r, err);
	if (e)
		return e;
	if (ev_type(r) == YAML_STREAM_END_EVENT)
		return fail_at(r, err, CXL_ERR_SCHEMA, ev_mark(r),
			       "empty file: no yaml document");
	e = advance(r, err);		/* after the document start */
	if (e)
		return e;
	if (ev_type(r) != YAML_MAPPING_START_EVENT)
		return fail_at(r, err, CXL_ERR_SCHEMA, ev_mark(r),
			       "expected a mapping at the top level, got %s",
			       ev_describe(r, buf, sizeof(buf)));
	for (;;) {
		e = next_key(r, "the top level", &end, err);
		if (e)
			return e;
		if (end)
			return fail_at(r, err, CXL_ERR_SCHEMA, ev_mark(r),
				       "missing required key '%s'",
				       r->top_seen ? (r->top_seen & (1u << TK_DEVICES) ?
						      "ops" : "devices") : "cxl-trace");
		if (!r->top_seen && strcmp(ev_str(r), top_keys[TK_VERSION]))
			return fail_at(r, err, CXL_ERR_SCHEMA, ev_mark(r),
				       "the first key must be 'cxl-trace', got '%s'%s",
				       ev_echo(r, buf), strchr(ev_str(r), ' ') ?
				       " (a log? replay --from qemu-log, qtest or mmiotrace)" : "");
		e = take_key(r, top_keys, top_key_at, TK__COUNT, &r->top_seen, "", &k, err);
		if (!e)
			e = parse_top_value(r, k, err);
		if (e || k == TK_OPS)
			return e;
	}
}

/* ------------------------------------------------------------------ */
/* ops */

/* Stores the current scalar, "@LINE" or "@FILE:LINE", in @op->src as FILE:LINE. */
static enum cxl_err parse_src(struct yrd *r, struct cxl_op *op,
			      struct cxl_error *err)
{
	const char *s = ev_str(r), *file, *line;
	size_t len = ev_len(r), flen, llen, i;
	char buf[ECHO_BUF];

	if (!len || s[0] != '@')
		return fail_at(r, err, CXL_ERR_VALUE, ev_mark(r),
			       "a source must be a string like \"@LINE\" or \"@FILE:LINE\", got '%s'",
			       ev_echo(r, buf));
	for (i = len; i > 1 && s[i - 1] != ':'; i--)
		;
	line = s + i;
	llen = len - i;
	for (i = 0; i < len; i++)
		if (s[i] == '\n' || s[i] == '\r')
			return fail_at(r, err, CXL_ERR_VALUE, ev_mark(r),
				       "source '%s' must be one line",
				       ev_echo(r, buf));
	for (i = 0; i < llen; i++)
		if (line[i] < '0' || line[i] > '9')
			break;
	if (!llen || i < llen || line[0] == '0' || llen > 19)
		return fail_at(r, err, CXL_ERR_VALUE, ev_mark(r),
			       "source '%s': the line must be a decimal number from 1",
			       ev_echo(r, buf));
	if (line > s + 1) {
		file = s + 1;
		flen = (size_t)(line - 1 - file);
		if (!flen)
			return fail_at(r, err, CXL_ERR_VALUE, ev_mark(r),
				       "source '%s' has an empty file name",
				       ev_echo(r, buf));
	} else {
		if (!r->base.hdr.source[0])
			return fail_at(r, err, CXL_ERR_SCHEMA, ev_mark(r),
				       "source '%s' needs a 'source:' key in the header",
				       ev_echo(r, buf));
		file = r->base.hdr.source;
		flen = strlen(file);
	}
	if (flen + 1 + llen >= sizeof(op->src))
		return fail_at(r, err, CXL_ERR_LIMIT, ev_mark(r),
			       "source '%s' is longer than %zu bytes",
			       ev_echo(r, buf), sizeof(op->src) - 1);
	memcpy(op->src, file, flen);
	op->src[flen] = ':';
	memcpy(op->src + flen + 1, line, llen);
	op->src[flen + 1 + llen] = '\0';
	return CXL_OK;
}

/* Vocabulary names by index, for "expected ..." lists. */
static const char *reset_word(unsigned i)
{
	return cxl_reset_kind_name((enum cxl_reset_kind)i);
}

static const char *inject_word(unsigned i)
{
	return cxl_inject_kind_name((enum cxl_inject_kind)i);
}

static const char *op_word(unsigned i)
{
	return cxl_op_kind_name((enum cxl_op_kind)i);
}

static const char *flag_word(unsigned i)
{
	return op_flag_words[i].word;
}

/* The header whose device names device_at() hands out (set by device_hint() only). */
static _Thread_local const struct cxl_trace_header *hint_hdr;

static const char *device_at(unsigned i)
{
	return hint_hdr->devices[i].name;
}

/*
 * The end of "unknown device 'NAME'" into @buf: the nearest device of @h, else the devices
 * it declares (or that it declares none).
 */
static void device_hint(const struct cxl_trace_header *h, const char *word, char *buf,
			size_t len)
{
	if (!h->ndevices) {
		snprintf(buf, len, " (the trace declares no devices)");
		return;
	}
	hint_hdr = h;
	cxl_trace_hint(buf, len, word, h->ndevices, device_at,
		       "not declared under devices:");
	hint_hdr = NULL;
}

/* Fails unless @v fits in @size bytes. */
static enum cxl_err check_fit(struct yrd *r, uint64_t v,
			      unsigned size, struct cxl_error *err)
{
	if (size >= 8 || !(v >> (size * 8)))
		return CXL_OK;
	return fail_at(r, err, CXL_ERR_VALUE, ev_mark(r),
		       "value 0x%" PRIx64 " does not fit in %u byte%s", v, size,
		       size == 1 ? "" : "s");
}

/*
 * Parses element @el (the current scalar) of @op. @off_mark remembers the
 * offset's location so that an offset + size overflow points at it.
 */
static enum cxl_err parse_elem(struct yrd *r, struct cxl_op *op,
			       enum elem el, yaml_mark_t *off_mark,
			       struct cxl_error *err)
{
	unsigned sp = CXL_SPACE_CONFIG;
	bool cfg, wr;
	uint32_t space;
	const char *sname;
	char buf[ECHO_BUF], choices[400];
	enum cxl_err e;
	uint64_t v;
	int i;

	cxl_op_kind_access(op->kind, &sp, &wr);
	cfg = sp == CXL_SPACE_CONFIG;
	space = cxl_space_size(sp);
	sname = cfg ? "cfg" : "mmio";
	switch (el) {
	case EL_DEV:
		i = find_device(&r->base.hdr, ev_str(r));
		if (i < 0) {
			char hint[400];

			device_hint(&r->base.hdr, ev_str(r), hint, sizeof(hint));
			return fail_at(r, err, CXL_ERR_UNKNOWN, ev_mark(r),
				       "unknown device '%s'%s", ev_echo(r, buf), hint);
		}
		op->dev = (unsigned)i;
		return CXL_OK;
	case EL_OFFSET:
		e = scalar_u64(r, "offset", &op->offset, err);
		if (!e && op->offset >= space)
			e = fail_at(r, err, CXL_ERR_VALUE, ev_mark(r),
				    "%s offset 0x%" PRIx64 " is out of range 0..0x%x",
				    sname, op->offset, space - 1);
		*off_mark = ev_mark(r);
		return e;
	case EL_SIZE:
		e = scalar_u64(r, "size", &v, err);
		if (e)
			return e;
		if (v != 1 && v != 2 && v != 4 && v != 8)
			return fail_at(r, err, CXL_ERR_VALUE, ev_mark(r),
				       "size %" PRIu64 " is not 1, 2, 4 or 8", v);
		if (cfg && v == 8)
			return fail_at(r, err, CXL_ERR_VALUE, ev_mark(r),
				       "cfg size 8 is not 1, 2 or 4");
		op->size = (unsigned)v;
		if (op->offset + op->size > space)
			return fail_at(r, err, CXL_ERR_VALUE, *off_mark,
				       "%s offset 0x%" PRIx64 " + size %u is past the end at 0x%x",
				       sname, op->offset, op->size, space);
		return CXL_OK;
	case EL_RVALUE:
		if (ev_is_null(r))
			return CXL_OK;
		if (!ev_plain(r) && ev_str(r)[0] == '@')
			return fail_at(r, err, CXL_ERR_VALUE, ev_mark(r),
				       "value: expected a number, got the source '%s' (write ~ as the value when none was recorded)",
				       ev_echo(r, buf));
		/* fall through */
	case EL_WVALUE:
		e = scalar_u64(r, "value", &op->value, err);
		if (!e)
			e = check_fit(r, op->value, op->size, err);
		op->has_value = !e;
		return e;
	case EL_RESET:
		i = cxl_reset_kind_parse(ev_str(r));
		if (i < 0) {
			cxl_trace_hint(choices, sizeof(choices), ev_str(r), CXL_RESET__COUNT, reset_word,
				       NULL);
			return fail_at(r, err, CXL_ERR_VALUE, ev_mark(r),
				       "unknown reset kind '%s'%s", ev_echo(r, buf), choices);
		}
		op->reset = (enum cxl_reset_kind)i;
		return CXL_OK;
	case EL_INJECT:
		i = cxl_inject_kind_parse(ev_str(r));
		if (i < 0) {
			cxl_trace_hint(choices, sizeof(choices), ev_str(r), CXL_INJECT__COUNT,
				       inject_word, NULL);
			return fail_at(r, err, CXL_ERR_VALUE, ev_mark(r),
				       "unknown inject kind '%s'%s", ev_echo(r, buf), choices);
		}
		op->inject = (enum cxl_inject_kind)i;
		return CXL_OK;
	case EL_BIT:
		e = scalar_u64(r, "bit", &v, err);
		if (!e && v > 63)
			e = fail_at(r, err, CXL_ERR_VALUE, ev_mark(r),
				    "bit %" PRIu64 " is out of range 0..63", v);
		op->bit = (unsigned)v;
		return e;
	case EL_TEXT:
		return scalar_text(r, "mark text", op->text, sizeof(op->text),
				   false, err);
	default:
		return parse_src(r, op, err);
	}
}

/* Parses one op; the current event is the start of its sequence. */
static enum cxl_err parse_op(struct yrd *r, struct cxl_op *op,
			     struct cxl_error *err)
{
	yaml_mark_t start = ev_mark(r), off_mark = start;
	const struct op_shape *shape;
	char buf[ECHO_BUF];
	enum cxl_err e;
	unsigned n;
	int kind;

	memset(op, 0, sizeof(*op));
	op->line = (unsigned long)start.line + 1;
	op->col = (unsigned long)start.column + 1;
	e = advance(r, err);
	if (e)
		return e;
	if (ev_type(r) == YAML_SEQUENCE_END_EVENT)
		return fail_at(r, err, CXL_ERR_SCHEMA, start,
			       "empty op: expected [name, ...]");
	e = want_scalar(r, "an op name", err);
	if (e)
		return e;
	kind = cxl_op_kind_parse(ev_str(r));
	if (kind < 0) {
		char hint[400];

		cxl_trace_hint(hint, sizeof(hint), ev_str(r), CXL_OP__COUNT, op_word, NULL);
		return fail_at(r, err, CXL_ERR_SCHEMA, ev_mark(r), "unknown op '%s'%s",
			       ev_echo(r, buf), hint);
	}
	op->kind = (enum cxl_op_kind)kind;
	shape = &op_shapes[kind];
	for (n = 0;; n++) {
		e = advance(r, err);
		if (e)
			return e;
		if (ev_type(r) == YAML_SEQUENCE_END_EVENT)
			break;
		/* an access's flags: plain words after its value (traces/README.md) */
		if (n >= (cxl_op_kind_access(op->kind, NULL, NULL) ? 3u : 1u) &&
		    ev_type(r) == YAML_SCALAR_EVENT && ev_plain(r)) {
			bool access = cxl_op_kind_access(op->kind, NULL, NULL);
			unsigned f = 0;

			for (unsigned w = 0; w < sizeof(op_flag_words) / sizeof(op_flag_words[0]); w++)
				if (!strcmp(ev_str(r), op_flag_words[w].word))
					f = op_flag_words[w].flag;
			if (f && !access)
				return fail_at(r, err, CXL_ERR_SCHEMA, ev_mark(r),
					       "flag '%s' is for accesses only, not '%s'", ev_str(r),
					       cxl_op_kind_name(op->kind));
			/* a plain word where only a source ("@...", quoted) or a flag may stand */
			if (!f && access && n >= 4 && ev_len(r) && ev_str(r)[0] != '@') {
				const char *near = cxl_nearest_name(ev_str(r), flag_word,
								    (unsigned)(sizeof(op_flag_words) /
									       sizeof(op_flag_words[0])));

				if (near)
					return fail_at(r, err, CXL_ERR_SCHEMA, ev_mark(r),
						       "unknown flag '%s' (did you mean '%s'?)",
						       ev_echo(r, buf), near);
				return fail_at(r, err, CXL_ERR_SCHEMA, ev_mark(r),
					       "unknown flag '%s' (an access's flags are vmm and failed; a source is a quoted \"@LINE\")",
					       ev_echo(r, buf));
			}
			if (!access)
				f = 0;
			if (f && (op->flags & f))
				return fail_at(r, err, CXL_ERR_SCHEMA, ev_mark(r), "flag '%s' given twice",
					       ev_str(r));
			if (f) {
				op->flags |= f;
				n--;
				continue;
			}
		}
		if (op->flags && n < shape->max)
			return fail_at(r, err, CXL_ERR_SCHEMA, ev_mark(r),
				       "flags (vmm, failed) come last in '%s': expected %s",
				       cxl_op_kind_name(op->kind), shape->usage);
		if (n == shape->max)
			return fail_at(r, err, CXL_ERR_SCHEMA, ev_mark(r),
				       "too many elements for '%s': expected %s",
				       cxl_op_kind_name(op->kind),
				       shape->usage);
		e = want_scalar(r, "a scalar op element", err);
		if (!e)
			e = parse_elem(r, op, shape->el[n], &off_mark, err);
		if (e)
			return e;
	}
	if (n < shape->min)
		return fail_at(r, err, CXL_ERR_SCHEMA, start,
			       "too few elements for '%s': expected %s",
			       cxl_op_kind_name(op->kind), shape->usage);
	return CXL_OK;
}

/* ------------------------------------------------------------------ */
/* expect */

/* Appends @x to the expectations (capped at CXL_TRACE_MAX_EXPECT). */
static enum cxl_err push_expect(struct yrd *r, const struct cxl_expect *x, yaml_mark_t m,
				struct cxl_error *err)
{
	struct cxl_error e;

	if (!cxl_expect_push(&r->base.expect, x, &e))
		return CXL_OK;
	return fail_at(r, err, e.code, m, "%s", e.msg);
}

/* Parses one {op: N, rule: ID, why: TEXT} entry; the current event starts it. */
static enum cxl_err parse_expect_entry(struct yrd *r,
				       struct cxl_error *err)
{
	yaml_mark_t start = ev_mark(r);
	struct cxl_expect x;
	unsigned seen = 0;
	enum cxl_err e;
	uint64_t v;
	bool end;
	int k;

	memset(&x, 0, sizeof(x));
	x.line = (unsigned long)start.line + 1;
	x.col = (unsigned long)start.column + 1;
	for (;;) {
		e = next_key(r, "an expect entry", &end, err);
		if (e)
			return e;
		if (end)
			break;
		e = take_key(r, exp_keys, exp_key_at, EK__COUNT, &seen, " in expect entry",
			     &k, err);
		if (!e)
			e = advance(r, err);
		if (e)
			return e;
		switch (k) {
		case EK_OP:
			e = scalar_u64(r, "op", &v, err);
			if (!e && r->check_ops && v >= r->nops)
				e = fail_at(r, err, CXL_ERR_VALUE, ev_mark(r),
					    "op %" PRIu64 " is past the last op (the trace has %lu op%s)",
					    v, r->nops, r->nops == 1 ? "" : "s");
			x.op = (unsigned long)v;
			break;
		case EK_RULE:
			e = scalar_catalog(r, "rule", x.rule, cxl_rule_lookup, cxl_rule_id,
					   cxl_rule_count(), "`cxlemu spec` lists the rules", err);
			if (!e && cxl_rule_severity((unsigned)cxl_rule_lookup(x.rule)) == CXL_SEV_NOTE)
				e = fail_at(r, err, CXL_ERR_VALUE, ev_mark(r),
					    "rule '%s' is a note; notes never count in expect",
					    x.rule);
			break;
		default:
			e = scalar_text(r, "why", x.why, sizeof(x.why), false,
					err);
			break;
		}
		if (e)
			return e;
	}
	for (k = EK_OP; k <= EK_RULE; k++)
		if (!(seen & (1u << k)))
			return fail_at(r, err, CXL_ERR_SCHEMA, start,
				       "expect entry has no '%s'", exp_keys[k]);
	return push_expect(r, &x, start, err);
}

/* Parses the expect: sequence (the current event). */
static enum cxl_err parse_expect(struct yrd *r,
				 struct cxl_error *err)
{
	enum cxl_err e;

	e = want_sequence(r, "'expect'", err);
	if (e)
		return e;
	r->where = "expect";
	r->base.expect.present = true;
	for (;;) {
		e = advance(r, err);
		if (e)
			return e;
		if (ev_type(r) == YAML_SEQUENCE_END_EVENT)
			break;
		e = want_mapping(r, "an expect entry", err);
		if (!e)
			e = parse_expect_entry(r, err);
		if (e)
			return e;
	}
	r->where = "the trace";
	return CXL_OK;
}

/* Parses the top-level keys after ops: up to the end of the stream. */
static enum cxl_err parse_tail(struct yrd *r,
			       struct cxl_error *err)
{
	enum cxl_err e;
	bool end;
	int k;

	for (;;) {
		e = next_key(r, "the top level", &end, err);
		if (e)
			return e;
		if (end)
			break;
		e = take_key(r, top_keys, top_key_at, TK__COUNT, &r->top_seen, "", &k, err);
		if (e)
			return e;
		if (k != TK_EXPECT)
			return fail_at(r, err, CXL_ERR_SCHEMA, ev_mark(r),
				       "'%s' must come before 'ops'",
				       top_keys[k]);
		e = advance(r, err);
		if (!e)
			e = parse_expect(r, err);
		if (e)
			return e;
	}
	e = advance(r, err);		/* document end */
	if (!e)
		e = advance(r, err);
	if (e)
		return e;
	if (ev_type(r) != YAML_STREAM_END_EVENT)
		return fail_at(r, err, CXL_ERR_SCHEMA, ev_mark(r),
			       "a trace is a single yaml document, but a second one starts here");
	return CXL_OK;
}

/* ------------------------------------------------------------------ */
/* the reader kind */

/* How a YAML reader gets its input (yrd_new_from()). */
struct yrd_input {
	const void *mem;		/* the text @mem[0..len), or NULL */
	size_t len;
	FILE *stream;			/* or a stream opened already (a pipe, standard input) */
	bool borrowed;			/* the stream is standard input: not closed */
	const unsigned char *head;	/* its first bytes, read already (at most 8) */
	size_t nhead;
	const char *arg;		/* how a command line names it ("-"); NULL: @path */
};

/*
 * Allocates a reader of @path with its file open and libyaml ready; *@out on success. With
 * @in->mem the text is @in->mem[0..@in->len) and @path only names it; with @in->stream the
 * input is that stream (closed by the reader, or on failure, unless borrowed). @in NULL: the
 * file @path.
 */
static enum cxl_err yrd_new_from(const char *path, const struct yrd_input *in, struct yrd **out,
				 struct cxl_error *err)
{
	static const struct yrd_input file = { 0 };
	struct yrd *r;
	char buf[128];
	enum cxl_err e;

	if (!in)
		in = &file;
	r = calloc(1, sizeof(*r));
	if (!r || (in->stream && !(r->win = malloc(WIN_CAP)))) {
		if (in->stream && !in->borrowed)
			fclose(in->stream);
		if (r)
			free(r);
		return cxl_error_set(err, CXL_ERR_LIMIT, path, 0, 0, "out of memory");
	}
	snprintf(r->path, sizeof(r->path), "%s", path);
	snprintf(r->arg, sizeof(r->arg), "%s", in->arg ? in->arg : path);
	if (!cxl_trace_set_name(&r->base, path)) {
		if (in->stream && !in->borrowed)
			fclose(in->stream);
		free(r->win);
		free(r);
		return cxl_error_set(err, CXL_ERR_LIMIT, path, 0, 0, "out of memory");
	}
	r->where = "the header";
	if (in->stream) {
		r->fp = in->stream;
		r->stream = true;
		r->borrowed = in->borrowed;
		r->npre = in->nhead < sizeof(r->pre) ? in->nhead : sizeof(r->pre);
		if (r->npre)
			memcpy(r->pre, in->head, r->npre);
	} else {
		/* an empty text still needs a stream (fmemopen refuses a size of 0) */
		r->fp = in->mem ? (in->len ? fmemopen((void *)in->mem, in->len, "rb") :
				   fopen("/dev/null", "rb")) : fopen(path, "rb");
	}
	if (!r->fp) {
		e = cxl_error_set(err, CXL_ERR_IO, path, 0, 0, "cannot open: %s",
				  errno_text(errno, buf, sizeof(buf)));
		free(r->base.name);
		free(r->win);
		free(r);
		return e;
	}
	if (!yaml_parser_initialize(&r->parser)) {
		if (!r->borrowed)
			fclose(r->fp);
		free(r->base.name);
		free(r->win);
		free(r);
		return cxl_error_set(err, CXL_ERR_LIMIT, path, 0, 0, "out of memory");
	}
	r->parser_ok = true;
	yaml_parser_set_input(&r->parser, read_input, r);
	yaml_parser_set_encoding(&r->parser, YAML_UTF8_ENCODING);
	*out = r;
	return CXL_OK;
}

/* Frees what the YAML reader owns and closes its file. */
static void yrd_close(struct cxl_trace_reader *base)
{
	struct yrd *r = (struct yrd *)base;

	if (r->have_ev)
		yaml_event_delete(&r->ev);
	if (r->parser_ok)
		yaml_parser_delete(&r->parser);
	if (r->fp && !r->borrowed)
		fclose(r->fp);
	free(r->win);
	r->win = NULL;
	r->have_ev = r->parser_ok = false;
	r->fp = NULL;
}

/* Reads one op; *@done at the end of ops. */
static enum cxl_err yrd_next(struct cxl_trace_reader *base, struct cxl_op *op, bool *done,
			     struct cxl_error *err)
{
	struct yrd *r = (struct yrd *)base;
	char buf[ECHO_BUF + 16];
	enum cxl_err e;

	if (r->state == RD_FAILED)
		return repeat_fail(r, err);
	if (r->state != RD_OPS) {
		*done = true;
		return CXL_OK;
	}
	e = advance(r, err);
	if (e)
		return e;
	if (ev_type(r) == YAML_SEQUENCE_END_EVENT) {
		r->state = RD_OPS_DONE;
		r->where = "the trace";
		*done = true;
		return CXL_OK;
	}
	if (ev_type(r) != YAML_SEQUENCE_START_EVENT)
		return fail_at(r, err, CXL_ERR_SCHEMA, ev_mark(r),
			       "expected an op like [cfg-read, dev, offset, size], got %s",
			       ev_describe(r, buf, sizeof(buf)));
	e = parse_op(r, op, err);
	if (e)
		return e;
	r->nops++;
	*done = false;
	return CXL_OK;
}

/* Parses expect: and the end of the stream; only after the end of ops. */
static enum cxl_err yrd_finish(struct cxl_trace_reader *base, struct cxl_error *err)
{
	struct yrd *r = (struct yrd *)base;
	enum cxl_err e;

	if (r->state == RD_FAILED)
		return repeat_fail(r, err);
	if (r->state == RD_OPS)
		return cxl_error_set(err, CXL_ERR_USAGE, r->path, 0, 0,
				     "cxl_trace_finish() called before the end of ops");
	if (r->state == RD_OPS_DONE) {
		e = parse_tail(r, err);
		if (e)
			return e;
		r->state = RD_FINISHED;
		if (r->have_ev) {
			yaml_event_delete(&r->ev);
			r->have_ev = false;
		}
	}
	return CXL_OK;
}

static const struct cxl_trace_reader_ops yaml_ops = {
	.next = yrd_next,
	.finish = yrd_finish,
	.close = yrd_close,
};

/*
 * Opens a trace reader on @path (or the input @in, see yrd_new_from()) and reads up to the
 * first op; *@out is set only on success.
 */
static enum cxl_err open_trace(const char *path, const struct yrd_input *in,
			       struct cxl_trace_reader **out, struct cxl_error *err)
{
	struct yrd *r;
	enum cxl_err e;

	e = yrd_new_from(path, in, &r, err);
	if (e)
		return e;
	r->base.ops = &yaml_ops;
	r->check_ops = true;
	e = parse_header(r, err);
	if (e) {
		cxl_trace_close(&r->base);
		return e;
	}
	r->where = "ops";
	r->state = RD_OPS;
	*out = &r->base;
	return CXL_OK;
}


CXL_EXPORT
enum cxl_err cxl_trace_open_memory(const void *text, size_t len, const char *name,
				   struct cxl_trace_reader **out, struct cxl_error *err)
{
	if (!name || !out || (!text && len))
		return cxl_error_set(err, CXL_ERR_USAGE, name, 0, 0,
				     "cxl_trace_open_memory() needs a text, a name and a result pointer");
	struct yrd_input in = { .mem = text ? text : "", .len = len };

	return open_trace(name, &in, out, err);
}

/* Skips the node that starts at the current event (scalar, sequence or mapping). */
static enum cxl_err skip_node(struct yrd *r, struct cxl_error *err)
{
	unsigned long depth = 0;
	enum cxl_err e;

	for (;;) {
		switch (ev_type(r)) {
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			depth++;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		default:
			break;
		}
		if (!depth)
			return CXL_OK;
		e = advance(r, err);
		if (e)
			return e;
	}
}

/* Parses an expect-list file: a bare sequence, or a mapping with an expect: key. */
static enum cxl_err parse_expect_file(struct yrd *r, struct cxl_error *err)
{
	char buf[ECHO_BUF + 16];
	enum cxl_err e;
	bool end;

	r->where = "the file";
	do {
		e = advance(r, err);
		if (e)
			return e;
	} while (ev_type(r) == YAML_STREAM_START_EVENT || ev_type(r) == YAML_DOCUMENT_START_EVENT);
	if (ev_type(r) == YAML_SEQUENCE_START_EVENT) {
		e = parse_expect(r, err);
	} else if (ev_type(r) != YAML_MAPPING_START_EVENT) {
		return fail_at(r, err, CXL_ERR_SCHEMA, ev_mark(r),
			       "an expect file is a sequence of {op, rule, why} or a mapping with expect:, got %s",
			       ev_describe(r, buf, sizeof(buf)));
	} else {
		yaml_mark_t start = ev_mark(r);
		bool seen = false;

		for (;;) {
			bool want;

			e = next_key(r, "the top level", &end, err);
			if (e || end)
				break;
			want = !strcmp(ev_str(r), "expect");
			if (want && seen)
				return fail_at(r, err, CXL_ERR_SCHEMA, ev_mark(r), "duplicate key 'expect'");
			seen |= want;
			e = advance(r, err);
			if (!e)
				e = want ? parse_expect(r, err) : skip_node(r, err);
			if (e)
				return e;
		}
		if (!e && !seen)
			return fail_at(r, err, CXL_ERR_SCHEMA, start,
				       "the mapping has no 'expect' key: nothing to carry over");
	}
	if (e)
		return e;
	e = advance(r, err);		/* document end */
	if (!e)
		e = advance(r, err);
	if (!e && ev_type(r) != YAML_STREAM_END_EVENT)
		return fail_at(r, err, CXL_ERR_SCHEMA, ev_mark(r),
			       "an expect file is a single yaml document, but a second one starts here");
	return e;
}

/* cxl_expect_load() of @path, or of the input @in named @path (see yrd_new_from()). */
static enum cxl_err expect_load(const char *path, const struct yrd_input *in,
				struct cxl_expect_list *out, struct cxl_error *err)
{
	struct yrd *r;
	enum cxl_err e;

	memset(out, 0, sizeof(*out));
	e = yrd_new_from(path, in, &r, err);
	if (e)
		return e;
	e = parse_expect_file(r, err);
	if (!e) {
		*out = r->base.expect;
		memset(&r->base.expect, 0, sizeof(r->base.expect));
	}
	yrd_close(&r->base);
	cxl_expect_list_free(&r->base.expect);
	free(r->base.name);
	free(r);
	return e;
}

CXL_EXPORT
enum cxl_err cxl_expect_load(const char *path, struct cxl_expect_list *out,
			     struct cxl_error *err)
{
	struct yrd_input in = { .stream = stdin, .borrowed = true, .arg = "-" };

	if (!cxl_path_is_stdin(path))
		return expect_load(path, NULL, out, err);
	memset(out, 0, sizeof(*out));
	if (!cxl_stdin_take(err))
		return CXL_ERR_USAGE;
	return expect_load(CXL_STDIN_NAME, &in, out, err);
}

enum cxl_err cxl_expect_load_memory(const char *text, size_t len, const char *name,
				    struct cxl_expect_list *out, struct cxl_error *err)
{
	struct yrd_input in = { .mem = text ? text : "", .len = len };

	return expect_load(name, &in, out, err);
}

/*
 * Opens the trace on the stream @f, named @name in errors and @arg on a command line: reads
 * its first bytes to tell a binary trace from YAML, and hands them with @f to that reader.
 */
static enum cxl_err open_stream(const char *name, const char *arg, FILE *f, bool borrowed,
				struct cxl_trace_reader **out, struct cxl_error *err)
{
	struct yrd_input in = { .stream = f, .borrowed = borrowed, .arg = arg };
	unsigned char head[8];
	size_t n = 0, k;

	/* a pipe hands out what was written so far: read until 8 bytes or the end */
	while (n < sizeof(head) && (k = fread(head + n, 1, sizeof(head) - n, f)) > 0)
		n += k;
	clearerr(f);   /* an error or the end is met again by the reader, in its place */
	if (cxl_trace_head_is_binary(head, n))
		return cxl_trace_open_binary_stream(name, f, borrowed, head, n, out, err);
	in.head = head;
	in.nhead = n;
	return open_trace(name, &in, out, err);
}

CXL_EXPORT
enum cxl_err cxl_trace_open(const char *path, struct cxl_trace_reader **out,
			    struct cxl_error *err)
{
	struct stat st;

	if (!path || !out)
		return cxl_error_set(err, CXL_ERR_USAGE, path, 0, 0,
				     "cxl_trace_open() needs a path and a result pointer");
	if (cxl_path_is_stdin(path)) {
		if (!cxl_stdin_take(err))
			return CXL_ERR_USAGE;
		return open_stream(CXL_STDIN_NAME, path, stdin, true, out, err);
	}
	/* a pipe or a device (<(...), /dev/stdin) is opened once: its first bytes are kept */
	if (!stat(path, &st) && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		FILE *f = fopen(path, "rb");

		if (f)
			return open_stream(path, path, f, false, out, err);
	}
	if (cxl_trace_is_binary(path))
		return cxl_trace_open_binary(path, out, err);
	if (cxl_yaml_fast_open(path, out))
		return CXL_OK;
	if (getenv("CXLEMU_YAML_FAST_ONLY"))   /* a testing aid: show that the fast path declined */
		return cxl_error_set(err, CXL_ERR_USAGE, path, 0, 0,
				     "the YAML fast path declined this trace (CXLEMU_YAML_FAST_ONLY is set)");
	return open_trace(path, NULL, out, err);
}
