/* SPDX-License-Identifier: MIT */
/*
 * test_trace_reader.c - cmocka tests of the streaming native trace reader.
 *
 * Expected values come from the YAML written in this file and from the
 * format in traces/README.md, never from running the reader. The bad
 * inputs are files under tests/bad-input/trace (directory passed in
 * CXLEMU_BAD_TRACE_DIR); binary inputs are written from here.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <cmocka.h>

#ifdef HAVE_MALLINFO2
#include <malloc.h>
#endif
#ifdef HAVE_VALGRIND_H
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

/* AddressSanitizer's quarantine keeps freed memory resident */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

#include "cxlemu/catalog.h"
#include "cxlemu/event.h"
#include "cxlemu/trace.h"

#define STREAM_OPS 2000000UL		/* ops in the streaming test */
#define STREAM_OPS_VALGRIND 20000UL	/* ... when running under valgrind */
#define STREAM_RSS_MAX_KIB (16 * 1024)	/* max RSS growth while reading */
#define STREAM_HEAP_MAX (256 * 1024)	/* max heap growth while reading */
#define MIN_BAD_INPUTS 29		/* classes required by the brief */

struct tmpfile {
	char path[4096];
};

/* Creates a temporary file holding @len bytes of @data; aborts the test on failure. */
static void tmp_write(struct tmpfile *t, const void *data, size_t len)
{
	const char *dir = getenv("TMPDIR");
	const char *p = data;
	ssize_t n;
	int fd;

	snprintf(t->path, sizeof(t->path), "%s/cxlemu-trace-XXXXXX",
		 dir && *dir ? dir : "/tmp");
	fd = mkstemp(t->path);
	assert_true(fd >= 0);
	while (len) {
		n = write(fd, p, len);
		assert_true(n > 0);
		p += n;
		len -= (size_t)n;
	}
	assert_int_equal(close(fd), 0);
}

/* Creates a temporary file holding the string @s. */
static void tmp_puts(struct tmpfile *t, const char *s)
{
	tmp_write(t, s, strlen(s));
}

/* Deletes the temporary file. */
static void tmp_remove(struct tmpfile *t)
{
	unlink(t->path);
}

/*
 * Reads the whole trace at @path (open, every op, finish). Returns the
 * first error (with @err filled) or CXL_OK; *@nops counts the ops read.
 */
static enum cxl_err read_all(const char *path, struct cxl_error *err,
			     unsigned long *nops)
{
	struct cxl_trace_reader *r = NULL;
	struct cxl_error again;
	struct cxl_op op;
	enum cxl_err e;
	bool done = false, has_expect;

	*nops = 0;
	e = cxl_trace_open(path, &r, err);
	if (e) {
		assert_null(r);
		return e;
	}
	for (;;) {
		e = cxl_trace_next(r, &op, &done, err);
		if (e || done)
			break;
		(*nops)++;
	}
	if (!e)
		e = cxl_trace_finish(r, &has_expect, err);
	if (e) {
		/* a failed reader repeats its error */
		memset(&again, 0, sizeof(again));
		assert_int_equal(cxl_trace_next(r, &op, &done, &again), e);
		assert_int_equal(again.line, err->line);
		assert_int_equal(again.col, err->col);
		assert_string_equal(again.msg, err->msg);
		assert_int_equal(cxl_trace_finish(r, &has_expect, &again), e);
	}
	cxl_trace_close(r);
	return e;
}

/* ------------------------------------------------------------------ */

/*
 * The @i-th (cyclically) rule that may appear in expect: (a warning or an error: the
 * expect parser refuses unknown rules and notes, as replay always has).
 */
static const char *counting_rule(unsigned i)
{
	unsigned n = 0;

	for (unsigned r = 0; r < CXL_RULE__COUNT; r++)
		n += cxl_rule_severity(r) != CXL_SEV_NOTE;
	i %= n;
	for (unsigned r = 0; r < CXL_RULE__COUNT; r++)
		if (cxl_rule_severity(r) != CXL_SEV_NOTE && !i--)
			return cxl_rule_id(r);
	return "";
}

/* Names round-trip through the tables, exactly as in traces/README.md. */
static void test_names(void **state)
{
	static const char *const ops[] = {
		"cfg-read", "cfg-write", "mmio-read", "mmio-write", "reset",
		"inject", "mark",
	};
	static const char *const resets[] = {
		"conventional", "warm", "hot", "cold", "flr", "cxl", "reopen",
	};
	static const char *const injects[] = {
		"ras-uncorrectable", "ras-correctable", "viral", "status2",
	};
	unsigned i;

	(void)state;
	assert_int_equal(CXL_OP__COUNT, 7);
	assert_int_equal(CXL_RESET__COUNT, 7);
	assert_int_equal(CXL_INJECT__COUNT, 4);
	for (i = 0; i < CXL_OP__COUNT; i++) {
		assert_string_equal(cxl_op_kind_name((enum cxl_op_kind)i), ops[i]);
		assert_int_equal(cxl_op_kind_parse(ops[i]), (int)i);
	}
	for (i = 0; i < CXL_RESET__COUNT; i++) {
		assert_string_equal(cxl_reset_kind_name((enum cxl_reset_kind)i),
				    resets[i]);
		assert_int_equal(cxl_reset_kind_parse(resets[i]), (int)i);
	}
	for (i = 0; i < CXL_INJECT__COUNT; i++) {
		assert_string_equal(cxl_inject_kind_name((enum cxl_inject_kind)i),
				    injects[i]);
		assert_int_equal(cxl_inject_kind_parse(injects[i]), (int)i);
	}
	assert_int_equal(cxl_op_kind_parse("CFG-READ"), -1);
	assert_int_equal(cxl_op_kind_parse(""), -1);
	assert_int_equal(cxl_op_kind_parse(NULL), -1);
	assert_int_equal(cxl_reset_kind_parse("reset"), -1);
	assert_int_equal(cxl_inject_kind_parse("ras"), -1);
	assert_string_equal(cxl_op_kind_name(CXL_OP__COUNT), "invalid");
	assert_string_equal(cxl_reset_kind_name(CXL_RESET__COUNT), "invalid");
	assert_string_equal(cxl_inject_kind_name(CXL_INJECT__COUNT), "invalid");
}

/* ------------------------------------------------------------------ */

/* Every op kind and every option; line numbers are in the comments. */
static const char good_trace[] =
	"cxl-trace: 1\n"						/* 1 */
	"description: \"every op kind, every option\"\n"		/* 2 */
	"profile: cxl-3.1\n"						/* 3 */
	"source: rec.log\n"						/* 4 */
	"devices:\n"							/* 5 */
	"  ep0: {model: qemu72-type3}\n"				/* 6 */
	"  ep1: {model: qemu72-type3, hdm-decoders: 2, profile: qemu-7.2}\n" /* 7 */
	"  acc0:\n"							/* 8 */
	"    model: type2-accel\n"					/* 9 */
	"    fw-committed: {base: 0x100000000, size: 0x10000000}\n"	/* 10 */
	"ops:\n"							/* 11 */
	"  - [cfg-read, ep0, 0x10c, 2, 0x0002]\n"			/* 12 */
	"  - [cfg-read, ep0, 0x10c, 2]\n"				/* 13 */
	"  - [cfg-read, ep1, 0xffc, 4, ~, \"@7\"]\n"			/* 14 */
	"  - [cfg-write, ep0, 0x114, 2, 0x0001]\n"			/* 15 */
	"  - [cfg-write, ep1, 255, 1, 255, \"@other.log:12\"]\n"	/* 16 */
	"  - [mmio-read, ep0, 0x1130, 4, 0x1400, \"@88346\"]\n"		/* 17 */
	"  - [mmio-read, ep0, 0x1130, 4, null]\n"			/* 18 */
	"  - [mmio-read, acc0, 0xfff8, 8, 0xFFFFFFFFFFFFFFFF]\n"	/* 19 */
	"  - [mmio-write, ep0, 0x1130, 4, 0x1200]\n"			/* 20 */
	"  - [mmio-write, acc0, 0, 8, 18446744073709551615, \"@9\"]\n"	/* 21 */
	"  - [reset, ep0, conventional]\n"				/* 22 */
	"  - [reset, ep0, warm]\n"					/* 23 */
	"  - [reset, ep0, hot]\n"					/* 24 */
	"  - [reset, ep0, cold]\n"					/* 25 */
	"  - [reset, ep1, flr, \"@100\"]\n"				/* 26 */
	"  - [reset, acc0, cxl]\n"					/* 27 */
	"  - [inject, ep0, ras-uncorrectable, 4]\n"			/* 28 */
	"  - [inject, ep1, ras-correctable, 63, \"@a.log:1\"]\n"	/* 29 */
	"  - [mark, \"guest: cxl create-region\"]\n"			/* 30 */
	"  - [mark, plain text, \"@dir/x:y.log:5\"]\n"			/* 31 */
	"  -   - mmio-read    # a block-style op\n"			/* 32 */
	"      - acc0\n"						/* 33 */
	"      - 0xfff\n"						/* 34 */
	"      - 1\n"							/* 35 */
	"      - ~\n"							/* 36 */
	"expect:\n"							/* 37 */
	"  - {op: 2, rule: field.rwl-locked}\n"				/* 38 */
	"  - op: 20\n"							/* 39 */
	"    rule: access.width\n"					/* 40 */
	"    why: \"Linux 6.1 reads Base Low+High as one 8-byte load\"\n"; /* 41 */

struct want_op {
	enum cxl_op_kind kind;
	unsigned dev;
	uint64_t offset;
	unsigned size;
	uint64_t value;
	bool has_value;
	int reset;		/* -1 = not a reset */
	int inject;		/* -1 = not an inject */
	unsigned bit;
	unsigned long line, col;
	const char *src;
	const char *text;
};

#define RD(dev, off, size, val, has, line, src) \
	{ CXL_OP_CFG_READ, dev, off, size, val, has, -1, -1, 0, line, 5, src, "" }
#define CW(dev, off, size, val, line, src) \
	{ CXL_OP_CFG_WRITE, dev, off, size, val, true, -1, -1, 0, line, 5, src, "" }
#define MR(dev, off, size, val, has, line, src) \
	{ CXL_OP_MMIO_READ, dev, off, size, val, has, -1, -1, 0, line, 5, src, "" }
#define MW(dev, off, size, val, line, src) \
	{ CXL_OP_MMIO_WRITE, dev, off, size, val, true, -1, -1, 0, line, 5, src, "" }
#define RS(dev, kind, line, src) \
	{ CXL_OP_RESET, dev, 0, 0, 0, false, kind, -1, 0, line, 5, src, "" }
#define IN(dev, kind, bit, line, src) \
	{ CXL_OP_INJECT, dev, 0, 0, 0, false, -1, kind, bit, line, 5, src, "" }
#define MK(text, line, src) \
	{ CXL_OP_MARK, 0, 0, 0, 0, false, -1, -1, 0, line, 5, src, text }

static const struct want_op good_ops[] = {
	RD(0, 0x10c, 2, 2, true, 12, ""),
	RD(0, 0x10c, 2, 0, false, 13, ""),
	RD(1, 0xffc, 4, 0, false, 14, "rec.log:7"),
	CW(0, 0x114, 2, 1, 15, ""),
	CW(1, 255, 1, 255, 16, "other.log:12"),
	MR(0, 0x1130, 4, 0x1400, true, 17, "rec.log:88346"),
	MR(0, 0x1130, 4, 0, false, 18, ""),
	MR(2, 0xfff8, 8, UINT64_MAX, true, 19, ""),
	MW(0, 0x1130, 4, 0x1200, 20, ""),
	MW(2, 0, 8, UINT64_MAX, 21, "rec.log:9"),
	RS(0, CXL_RESET_CONVENTIONAL, 22, ""),
	RS(0, CXL_RESET_WARM, 23, ""),
	RS(0, CXL_RESET_HOT, 24, ""),
	RS(0, CXL_RESET_COLD, 25, ""),
	RS(1, CXL_RESET_FLR, 26, "rec.log:100"),
	RS(2, CXL_RESET_CXL, 27, ""),
	IN(0, CXL_INJECT_RAS_UNCORRECTABLE, 4, 28, ""),
	IN(1, CXL_INJECT_RAS_CORRECTABLE, 63, 29, "a.log:1"),
	MK("guest: cxl create-region", 30, ""),
	MK("plain text", 31, "dir/x:y.log:5"),
	/* the block-style op: its sequence starts at the second '-' */
	{ CXL_OP_MMIO_READ, 2, 0xfff, 1, 0, false, -1, -1, 0, 32, 7, "", "" },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Checks one parsed op against its expectation (index @i for messages). */
static void check_op(const struct cxl_op *op, const struct want_op *w,
		     unsigned i)
{
	print_message("op %u at line %lu\n", i, w->line);
	assert_int_equal(op->kind, w->kind);
	assert_int_equal(op->line, w->line);
	assert_int_equal(op->col, w->col);
	assert_string_equal(op->src, w->src);
	assert_string_equal(op->text, w->text);
	if (w->kind != CXL_OP_MARK)
		assert_int_equal(op->dev, w->dev);
	if (w->reset >= 0)
		assert_int_equal(op->reset, w->reset);
	if (w->inject >= 0) {
		assert_int_equal(op->inject, w->inject);
		assert_int_equal(op->bit, w->bit);
	}
	if (w->kind <= CXL_OP_MMIO_WRITE) {
		assert_int_equal(op->offset, w->offset);
		assert_int_equal(op->size, w->size);
		assert_int_equal(op->has_value, w->has_value);
		if (w->has_value)
			assert_true(op->value == w->value);
	}
}

/* Every header field, op field and expectation of good_trace. */
static void test_good_trace(void **state)
{
	const struct cxl_trace_header *h;
	const struct cxl_trace_device *d;
	const struct cxl_expect *x;
	struct cxl_trace_reader *r = NULL;
	struct cxl_error err;
	struct tmpfile t;
	struct cxl_op op;
	bool done = false, has_expect = false;
	unsigned i;

	(void)state;
	tmp_puts(&t, good_trace);
	assert_int_equal(cxl_trace_open(t.path, &r, &err), CXL_OK);
	assert_non_null(r);

	h = cxl_trace_header(r);
	assert_int_equal(h->version, 1);
	assert_string_equal(h->description, "every op kind, every option");
	assert_string_equal(h->profile, "cxl-3.1");
	assert_string_equal(h->source, "rec.log");
	assert_int_equal(h->ndevices, 3);

	d = &h->devices[0];
	assert_string_equal(d->name, "ep0");
	assert_string_equal(d->model, "qemu72-type3");
	assert_string_equal(d->profile, "");
	assert_int_equal(d->hdm_decoders, 0);
	assert_false(d->fw_committed);
	assert_int_equal(d->line, 6);
	assert_int_equal(d->col, 3);

	d = &h->devices[1];
	assert_string_equal(d->name, "ep1");
	assert_string_equal(d->model, "qemu72-type3");
	assert_string_equal(d->profile, "qemu-7.2");
	assert_int_equal(d->hdm_decoders, 2);
	assert_false(d->fw_committed);
	assert_int_equal(d->line, 7);
	assert_int_equal(d->col, 3);

	d = &h->devices[2];
	assert_string_equal(d->name, "acc0");
	assert_string_equal(d->model, "type2-accel");
	assert_string_equal(d->profile, "");
	assert_int_equal(d->hdm_decoders, 0);
	assert_true(d->fw_committed);
	assert_true(d->fw_base == 0x100000000ull);
	assert_true(d->fw_size == 0x10000000ull);
	assert_int_equal(d->line, 8);
	assert_int_equal(d->col, 3);

	/* expectations are not readable before finish */
	assert_null(cxl_trace_expect(r, 0));
	for (i = 0; i < ARRAY_SIZE(good_ops); i++) {
		assert_int_equal(cxl_trace_next(r, &op, &done, &err), CXL_OK);
		assert_false(done);
		check_op(&op, &good_ops[i], i);
	}
	assert_int_equal(cxl_trace_next(r, &op, &done, &err), CXL_OK);
	assert_true(done);
	/* done is sticky */
	done = false;
	assert_int_equal(cxl_trace_next(r, &op, &done, &err), CXL_OK);
	assert_true(done);

	assert_int_equal(cxl_trace_finish(r, &has_expect, &err), CXL_OK);
	assert_true(has_expect);
	x = cxl_trace_expect(r, 0);
	assert_non_null(x);
	assert_int_equal(x->op, 2);
	assert_string_equal(x->rule, "field.rwl-locked");
	assert_string_equal(x->why, "");
	assert_int_equal(x->line, 38);
	assert_int_equal(x->col, 5);
	x = cxl_trace_expect(r, 1);
	assert_non_null(x);
	assert_int_equal(x->op, 20);
	assert_string_equal(x->rule, "access.width");
	assert_string_equal(x->why,
			    "Linux 6.1 reads Base Low+High as one 8-byte load");
	assert_int_equal(x->line, 39);
	assert_int_equal(x->col, 5);
	assert_null(cxl_trace_expect(r, 2));

	/* finishing twice is harmless */
	has_expect = false;
	assert_int_equal(cxl_trace_finish(r, &has_expect, &err), CXL_OK);
	assert_true(has_expect);
	cxl_trace_close(r);
	tmp_remove(&t);
}

/* The smallest traces: no devices, no ops, no expect; and all-flow style. */
static void test_minimal_traces(void **state)
{
	struct cxl_trace_reader *r = NULL;
	struct cxl_error err;
	struct tmpfile t;
	struct cxl_op op;
	bool done = false, has_expect = true;

	(void)state;
	tmp_puts(&t, "cxl-trace: 1\ndevices: {}\nops: []\n");
	assert_int_equal(cxl_trace_open(t.path, &r, &err), CXL_OK);
	assert_int_equal(cxl_trace_header(r)->ndevices, 0);
	/* The reader reports what the trace says; replay applies the default profile. */
	assert_string_equal(cxl_trace_header(r)->profile, "");
	assert_string_equal(cxl_trace_header(r)->description, "");
	assert_string_equal(cxl_trace_header(r)->source, "");
	assert_int_equal(cxl_trace_next(r, &op, &done, &err), CXL_OK);
	assert_true(done);
	assert_int_equal(cxl_trace_finish(r, &has_expect, &err), CXL_OK);
	assert_false(has_expect);
	assert_null(cxl_trace_expect(r, 0));
	cxl_trace_close(r);
	tmp_remove(&t);

	tmp_puts(&t, "{cxl-trace: 1, profile: qemu-7.2, devices: {d: {model: qemu72-hb}},"
		     " ops: [[mark, x], [reset, d, hot]], expect: []}");
	r = NULL;
	assert_int_equal(cxl_trace_open(t.path, &r, &err), CXL_OK);
	assert_string_equal(cxl_trace_header(r)->profile, "qemu-7.2");
	assert_int_equal(cxl_trace_next(r, &op, &done, &err), CXL_OK);
	assert_false(done);
	assert_int_equal(op.kind, CXL_OP_MARK);
	assert_string_equal(op.text, "x");
	assert_int_equal(op.line, 1);
	assert_int_equal(op.col, 75);
	assert_int_equal(cxl_trace_next(r, &op, &done, &err), CXL_OK);
	assert_int_equal(op.kind, CXL_OP_RESET);
	assert_int_equal(op.reset, CXL_RESET_HOT);
	assert_int_equal(cxl_trace_next(r, &op, &done, &err), CXL_OK);
	assert_true(done);
	assert_int_equal(cxl_trace_finish(r, &has_expect, &err), CXL_OK);
	assert_true(has_expect);
	assert_null(cxl_trace_expect(r, 0));
	cxl_trace_close(r);
	tmp_remove(&t);
}

/* CRLF line ends count as one line break each. */
static void test_crlf(void **state)
{
	struct cxl_trace_reader *r = NULL;
	struct cxl_error err;
	struct tmpfile t;
	struct cxl_op op;
	bool done;

	(void)state;
	tmp_puts(&t, "cxl-trace: 1\r\ndevices:\r\n  d: {model: qemu72-hb}\r\nops:\r\n"
		     "  - [cfg-read, d, 0, 4]\r\n  - [cfg-read, x, 0, 4]\r\n");
	assert_int_equal(cxl_trace_open(t.path, &r, &err), CXL_OK);
	assert_int_equal(cxl_trace_next(r, &op, &done, &err), CXL_OK);
	assert_int_equal(op.line, 5);
	assert_int_equal(op.col, 5);
	assert_int_equal(cxl_trace_next(r, &op, &done, &err), CXL_ERR_UNKNOWN);
	assert_int_equal(err.line, 6);
	assert_int_equal(err.col, 16);
	cxl_trace_close(r);
	tmp_remove(&t);
}

/* Mark text and why keep escaped control characters (not NUL) byte-exact. */
static void test_text_escapes(void **state)
{
	struct cxl_trace_reader *r = NULL;
	struct cxl_error err;
	struct tmpfile t;
	struct cxl_op op;
	bool done, has_expect;

	(void)state;
	tmp_puts(&t, "cxl-trace: 1\ndevices: {}\nops:\n"
		     "  - [mark, \"tab\\there\\x01 \\u00e9\\r\"]\n"
		     "expect:\n  - {op: 0, rule: access.width, why: \"a\\tb\"}\n");
	assert_int_equal(cxl_trace_open(t.path, &r, &err), CXL_OK);
	assert_int_equal(cxl_trace_next(r, &op, &done, &err), CXL_OK);
	assert_string_equal(op.text, "tab\there\x01 \xc3\xa9\r");
	assert_int_equal(cxl_trace_next(r, &op, &done, &err), CXL_OK);
	assert_true(done);
	assert_int_equal(cxl_trace_finish(r, &has_expect, &err), CXL_OK);
	assert_string_equal(cxl_trace_expect(r, 0)->why, "a\tb");
	cxl_trace_close(r);
	tmp_remove(&t);
}

/* ------------------------------------------------------------------ */

struct bad_case {
	unsigned long line, col;
	char code[32];
	char sub[512];
};

/* Parses the two header comment lines of a bad-input file. */
static bool read_bad_header(const char *path, struct bad_case *c)
{
	char l1[1024], l2[256];
	bool ok;
	FILE *f;

	f = fopen(path, "r");
	if (!f)
		return false;
	ok = fgets(l1, sizeof(l1), f) && fgets(l2, sizeof(l2), f);
	fclose(f);
	if (!ok)
		return false;
	l1[strcspn(l1, "\n")] = '\0';
	return sscanf(l1, "# expect-error: %lu:%lu: %511[^\n]", &c->line,
		      &c->col, c->sub) == 3 &&
	       sscanf(l2, "# expect-code: %31s", c->code) == 1;
}

/* True for directory entries named *.yaml. */
static int is_yaml(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && !strcmp(d->d_name + n - 5, ".yaml");
}

/* Checks one bad input; returns false (after printing why) on a mismatch. */
static bool check_bad_file(const char *path, const char *name)
{
	struct cxl_error err;
	struct bad_case c;
	unsigned long nops;
	enum cxl_err e;
	char buf[1200];

	memset(&err, 0, sizeof(err));
	if (!read_bad_header(path, &c)) {
		print_error("%s: no '# expect-error: L:C: TEXT' + '# expect-code: NAME' header\n",
			    name);
		return false;
	}
	e = read_all(path, &err, &nops);
	cxl_error_format(&err, buf, sizeof(buf));
	if (e == CXL_OK) {
		print_error("%s: accepted (%lu ops), expected %s\n", name, nops,
			    c.sub);
		return false;
	}
	if (strcmp(cxl_err_name(e), c.code) || err.code != e ||
	    err.line != c.line || err.col != c.col ||
	    !strstr(err.msg, c.sub) || strcmp(err.file, path) ||
	    strchr(err.msg, '\n')) {
		print_error("%s: expected [%s] %lu:%lu: ...%s...\n"
			    "%*s  got [%s] %s\n", name, c.code, c.line,
			    c.col, c.sub, (int)strlen(name), "",
			    cxl_err_name(e), buf);
		return false;
	}
	return true;
}

/* Every file in CXLEMU_BAD_TRACE_DIR fails with its code, location and text. */
static void test_bad_inputs(void **state)
{
	const char *dir = getenv("CXLEMU_BAD_TRACE_DIR");
	struct dirent **list = NULL;
	unsigned bad = 0;
	char path[4096];
	int n, i;

	(void)state;
	assert_non_null(dir);
	n = scandir(dir, &list, is_yaml, alphasort);
	assert_true(n >= MIN_BAD_INPUTS);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
		if (!check_bad_file(path, list[i]->d_name))
			bad++;
		free(list[i]);
	}
	free(list);
	if (bad)
		fail_msg("%u of %d bad inputs did not fail as expected", bad, n);
}

/* Writes @len bytes, reads them as a trace and checks the error. */
static void check_bytes(const void *data, size_t len, enum cxl_err code,
			unsigned long line, unsigned long col, const char *sub)
{
	struct cxl_error err;
	unsigned long nops;
	struct tmpfile t;

	memset(&err, 0, sizeof(err));
	tmp_write(&t, data, len);
	assert_int_equal(read_all(t.path, &err, &nops), code);
	print_message("%s:%lu:%lu: %s\n", t.path, err.line, err.col, err.msg);
	assert_int_equal(err.line, line);
	assert_int_equal(err.col, col);
	assert_non_null(strstr(err.msg, sub));
	assert_null(strchr(err.msg, '\n'));
	tmp_remove(&t);
}

/* Empty and binary files fail cleanly with a location. */
static void test_binary_and_empty(void **state)
{
	static const char nuls[] = "cxl-trace: 1\n\0\0\0\0garbage";
	static const char bad_utf8[] = "cxl-trace: 1\ndescription: \xff\xfe\n";
	static const char cut_utf8[] = "cxl-trace: 1\ndescription: x\xc3";
	static const char utf16[] = "\xff\xfe" "c\0x\0l\0";
	static const char elf[] = "\x7f" "ELF\x02\x01\x01\0\0\0";
	unsigned char noise[4096];
	unsigned long nops;
	struct cxl_error err;
	struct tmpfile t;
	uint32_t x = 12345;
	size_t i;

	(void)state;
	check_bytes("", 0, CXL_ERR_SCHEMA, 1, 1, "empty file");
	check_bytes(nuls, sizeof(nuls) - 1, CXL_ERR_SYNTAX, 2, 1,
		    "control characters are not allowed");
	check_bytes(bad_utf8, sizeof(bad_utf8) - 1, CXL_ERR_SYNTAX, 2, 14,
		    "invalid leading UTF-8 octet");
	check_bytes(cut_utf8, sizeof(cut_utf8) - 1, CXL_ERR_SYNTAX, 2, 15,
		    "incomplete UTF-8 octet sequence");
	check_bytes(utf16, sizeof(utf16) - 1, CXL_ERR_SYNTAX, 1, 1,
		    "invalid leading UTF-8 octet");
	check_bytes(elf, sizeof(elf) - 1, CXL_ERR_SYNTAX, 1, 1,
		    "control characters are not allowed");

	/* deterministic noise: must fail cleanly, with a location */
	for (i = 0; i < sizeof(noise); i++) {
		x = x * 1103515245u + 12345u;
		noise[i] = (unsigned char)(x >> 16);
	}
	tmp_write(&t, noise, sizeof(noise));
	memset(&err, 0, sizeof(err));
	assert_int_equal(read_all(t.path, &err, &nops), CXL_ERR_SYNTAX);
	assert_true(err.line >= 1);
	assert_true(err.msg[0] != '\0');
	tmp_remove(&t);
}

/*
 * A UTF-8 byte order mark is allowed (YAML 1.2 §5.2) and changes no position; a token longer
 * than 64 KiB (a scalar quoted or plain over many lines, or a comment) is refused where it
 * starts, before libyaml holds it in memory.
 */
static void test_bom_and_long_tokens(void **state)
{
	static const char bom[] = "\xef\xbb\xbf" "cxl-trace: 1\ndevices:\n  ep0: {model: qemu72-hb}\nops: []\n";
	static const char bom_bad[] = "\xef\xbb\xbf" "cxl-trace: 1\ndescription: \xff\n";
	size_t big = 200000;
	char *buf = malloc(big + 256);
	unsigned long nops;
	struct cxl_error err;
	struct tmpfile t;
	size_t n;

	(void)state;
	assert_non_null(buf);
	if (!buf)
		return;   /* not reached; tells the compiler buf holds big + 256 bytes */
	tmp_write(&t, bom, sizeof(bom) - 1);
	assert_int_equal(read_all(t.path, &err, &nops), CXL_OK);
	tmp_remove(&t);
	/* positions count from after the mark; the byte offset from the file's start */
	check_bytes(bom_bad, sizeof(bom_bad) - 1, CXL_ERR_SYNTAX, 2, 14, "0xff at byte offset 29");
	/* a quoted description of 200 KB */
	n = (size_t)sprintf(buf, "cxl-trace: 1\ndescription: \"");
	memset(buf + n, 'a', big);
	n += big;
	n += (size_t)sprintf(buf + n, "\"\ndevices: {}\nops: []\n");
	check_bytes(buf, n, CXL_ERR_LIMIT, 2, 12, "longer than 65536 bytes");
	/* a plain scalar continued over 20,000 lines */
	n = (size_t)sprintf(buf, "cxl-trace: 1\ndescription: a\n");
	for (unsigned i = 0; i < 20000; i++)
		n += (size_t)sprintf(buf + n, "  b,c:d\n");
	check_bytes(buf, n, CXL_ERR_LIMIT, 2, 12, "longer than 65536 bytes");
	/* a comment of 200 KB after the last op */
	n = (size_t)sprintf(buf, "cxl-trace: 1\ndevices: {}\nops: []\n# ");
	memset(buf + n, 'c', big);
	n += big;
	buf[n++] = '\n';
	check_bytes(buf, n, CXL_ERR_LIMIT, 3, 8, "longer than 65536 bytes");
	free(buf);
}

/* Every prefix of the good trace is read without crashing or leaking. */
static void test_every_prefix(void **state)
{
	size_t len = sizeof(good_trace) - 1, cut;
	struct cxl_error err;
	unsigned long nops;
	struct tmpfile t;
	enum cxl_err e;
	unsigned ok = 0;

	(void)state;
	for (cut = 0; cut <= len; cut++) {
		memset(&err, 0, sizeof(err));
		tmp_write(&t, good_trace, cut);
		e = read_all(t.path, &err, &nops);
		tmp_remove(&t);
		if (e == CXL_OK) {
			ok++;
			continue;
		}
		assert_true(e > CXL_OK && e < CXL_ERR__COUNT);
		assert_true(err.line >= 1 && err.col >= 1);
		assert_true(err.msg[0] != '\0');
		assert_null(strchr(err.msg, '\n'));
	}
	/* at least the whole file is good */
	assert_true(ok >= 1);
}

/* Bad arguments, unopenable paths, finish too early, sticky errors. */
static void test_api_misuse(void **state)
{
	struct cxl_trace_reader *r = (struct cxl_trace_reader *)&r;
	struct cxl_error err;
	struct tmpfile t;
	struct cxl_op op;
	bool done, has_expect;
	char dir[4096];

	(void)state;
	memset(&err, 0, sizeof(err));
	assert_int_equal(cxl_trace_open("/nonexistent/cxlemu/x.yaml", &r, &err),
			 CXL_ERR_IO);
	assert_ptr_equal(r, (struct cxl_trace_reader *)&r);	/* untouched */
	assert_string_equal(err.file, "/nonexistent/cxlemu/x.yaml");
	assert_non_null(strstr(err.msg, "cannot open"));

	snprintf(dir, sizeof(dir), "%s", getenv("CXLEMU_BAD_TRACE_DIR"));
	assert_int_equal(cxl_trace_open(dir, &r, &err), CXL_ERR_IO);
	assert_non_null(strstr(err.msg, "read error"));

	assert_int_equal(cxl_trace_open(NULL, &r, &err), CXL_ERR_USAGE);
	assert_int_equal(cxl_trace_next(NULL, &op, &done, &err), CXL_ERR_USAGE);
	assert_int_equal(cxl_trace_finish(NULL, &has_expect, &err),
			 CXL_ERR_USAGE);
	assert_null(cxl_trace_header(NULL));
	assert_null(cxl_trace_expect(NULL, 0));
	cxl_trace_close(NULL);

	/* finish before the end of ops is a usage error, not a failure */
	tmp_puts(&t, "cxl-trace: 1\ndevices: {d: {model: qemu72-hb}}\nops:\n"
		     "  - [mark, a]\n  - [reset, d, nope]\n");
	assert_int_equal(cxl_trace_open(t.path, &r, &err), CXL_OK);
	assert_int_equal(cxl_trace_finish(r, &has_expect, &err), CXL_ERR_USAGE);
	assert_int_equal(cxl_trace_next(r, &op, &done, &err), CXL_OK);
	assert_false(done);
	assert_int_equal(cxl_trace_next(r, &op, &done, &err), CXL_ERR_VALUE);
	assert_int_equal(err.line, 5);
	assert_int_equal(err.col, 16);
	/* the error sticks */
	memset(&err, 0, sizeof(err));
	assert_int_equal(cxl_trace_next(r, &op, &done, &err), CXL_ERR_VALUE);
	assert_int_equal(err.line, 5);
	assert_non_null(strstr(err.msg, "unknown reset kind 'nope'"));
	cxl_trace_close(r);
	tmp_remove(&t);
}

/* Many expect entries grow the array; all are kept in order. */
static void test_many_expects(void **state)
{
	const unsigned n = 5000;
	struct cxl_trace_reader *r = NULL;
	const struct cxl_expect *x;
	struct cxl_error err;
	struct tmpfile t;
	struct cxl_op op;
	bool done, has_expect;
	size_t cap = 64 + (size_t)n * 48, len;
	char *buf = malloc(cap);
	unsigned i;

	(void)state;
	assert_non_null(buf);
	len = (size_t)snprintf(buf, cap, "cxl-trace: 1\ndevices: {}\n"
			       "ops: [[mark, a], [mark, b], [mark, c]]\n"
			       "expect:\n");
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, cap - len,
					"  - {op: %u, rule: %s}\n", i % 3, counting_rule(i));
	tmp_write(&t, buf, len);
	free(buf);
	assert_int_equal(cxl_trace_open(t.path, &r, &err), CXL_OK);
	do
		assert_int_equal(cxl_trace_next(r, &op, &done, &err), CXL_OK);
	while (!done);
	assert_int_equal(cxl_trace_finish(r, &has_expect, &err), CXL_OK);
	assert_true(has_expect);
	for (i = 0; i < n; i++) {
		x = cxl_trace_expect(r, i);
		assert_non_null(x);
		assert_int_equal(x->op, i % 3);
		assert_string_equal(x->rule, counting_rule(i));
		assert_int_equal(x->line, 5 + i);
	}
	assert_null(cxl_trace_expect(r, n));
	cxl_trace_close(r);
	tmp_remove(&t);
}

/* ------------------------------------------------------------------ */

/* Folds the fields of @op into the running hash @h (FNV-1a over bytes). */
static uint64_t fold_op(uint64_t h, const struct cxl_op *op)
{
	uint64_t v[9] = {
		op->kind, op->dev, op->offset, op->size,
		op->has_value ? op->value : 0, op->has_value,
		op->kind == CXL_OP_RESET ? op->reset : 0,
		op->kind == CXL_OP_INJECT ? op->inject : 0,
		op->kind == CXL_OP_INJECT ? op->bit : 0,
	};
	const unsigned char *p = (const unsigned char *)v;
	size_t i;

	for (i = 0; i < sizeof(v); i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	for (p = (const unsigned char *)op->src; *p; p++)
		h = (h ^ *p) * 0x100000001b3ull;
	for (p = (const unsigned char *)op->text; *p; p++)
		h = (h ^ *p) * 0x100000001b3ull;
	return h;
}

/* Builds the @i-th op of the streaming trace into @op and prints it to @f. */
static void stream_op(FILE *f, unsigned long i, struct cxl_op *op)
{
	memset(op, 0, sizeof(*op));
	op->dev = (unsigned)(i % 3);
	switch (i % 8) {
	case 0:
		op->kind = CXL_OP_CFG_READ;
		op->offset = (i * 4) & 0xffc;
		op->size = 4;
		op->value = i & 0xffffffff;
		op->has_value = true;
		fprintf(f, "  - [cfg-read, d%u, 0x%" PRIx64 ", 4, 0x%" PRIx64 "]\n",
			op->dev, op->offset, op->value);
		break;
	case 1:
		op->kind = CXL_OP_CFG_WRITE;
		op->offset = (i * 2) & 0xffe;
		op->size = 2;
		op->value = i & 0xffff;
		op->has_value = true;
		fprintf(f, "  - [cfg-write, d%u, %" PRIu64 ", 2, %" PRIu64 "]\n",
			op->dev, op->offset, op->value);
		break;
	case 2:
		op->kind = CXL_OP_MMIO_READ;
		op->offset = (i * 8) & 0xfff8;
		op->size = 8;
		fprintf(f, "  - [mmio-read, d%u, 0x%" PRIx64 ", 8, ~]\n",
			op->dev, op->offset);
		break;
	case 3:
		op->kind = CXL_OP_MMIO_WRITE;
		op->offset = (i * 8) & 0xfff8;
		op->size = 8;
		op->value = i * 0x9e3779b97f4a7c15ull;
		op->has_value = true;
		snprintf(op->src, sizeof(op->src), "s.log:%lu", i + 1);
		fprintf(f, "  - [mmio-write, d%u, 0x%" PRIx64 ", 8, 0x%" PRIx64 ", \"@%lu\"]\n",
			op->dev, op->offset, op->value, i + 1);
		break;
	case 4:
		op->kind = CXL_OP_RESET;
		op->reset = (enum cxl_reset_kind)(i % CXL_RESET__COUNT);
		fprintf(f, "  - [reset, d%u, %s]\n", op->dev,
			cxl_reset_kind_name(op->reset));
		break;
	case 5:
		op->kind = CXL_OP_INJECT;
		op->inject = (enum cxl_inject_kind)(i % CXL_INJECT__COUNT);
		op->bit = (unsigned)(i % 64);
		fprintf(f, "  - [inject, d%u, %s, %u]\n", op->dev,
			cxl_inject_kind_name(op->inject), op->bit);
		break;
	case 6:
		op->kind = CXL_OP_MARK;
		op->dev = 0;
		snprintf(op->text, sizeof(op->text), "m%lu", i);
		fprintf(f, "  - [mark, \"m%lu\"]\n", i);
		break;
	default:
		op->kind = CXL_OP_MMIO_READ;
		op->offset = i & 0xffff;
		op->size = 1;
		op->value = i & 0xff;
		op->has_value = true;
		fprintf(f, "  - [mmio-read, d%u, %" PRIu64 ", 1, %" PRIu64 "]\n",
			op->dev, op->offset, op->value);
		break;
	}
}

/* Returns the process's peak RSS in KiB. */
static long max_rss_kib(void)
{
	struct rusage ru;

	assert_int_equal(getrusage(RUSAGE_SELF, &ru), 0);
	return ru.ru_maxrss;
}

/*
 * Returns the current RSS in KiB from /proc/self/statm, or -1. (ru_maxrss
 * alone is not enough: Linux carries it over exec, so under meson test it
 * starts at the test runner's own peak.)
 */
static long rss_now_kib(void)
{
	unsigned long size, resident;
	FILE *f = fopen("/proc/self/statm", "r");
	int n;

	if (!f)
		return -1;
	n = fscanf(f, "%lu %lu", &size, &resident);
	fclose(f);
	if (n != 2)
		return -1;
	return (long)(resident * (unsigned long)sysconf(_SC_PAGESIZE) / 1024);
}

/* Returns the bytes of heap in use, or 0 when that cannot be measured. */
static size_t heap_in_use(void)
{
#ifdef HAVE_MALLINFO2
	return mallinfo2().uordblks;
#else
	return 0;
#endif
}

/*
 * Millions of ops stream through in constant memory: the heap in use after
 * the first 1000 ops equals the heap in use at the end (within a margin),
 * and neither the RSS sampled every 65536 ops nor the peak RSS grows by
 * STREAM_RSS_MAX_KIB or more while reading.
 */
static void test_streaming(void **state)
{
	unsigned long n = RUNNING_ON_VALGRIND ? STREAM_OPS_VALGRIND : STREAM_OPS;
	struct cxl_trace_reader *r = NULL;
	size_t heap_early = 0, heap_late;
	uint64_t want = 0xcbf29ce484222325ull, got = want;
	unsigned long i, count = 0;
	long rss_before, rss_after, rss_start, rss_max, rss;
	struct cxl_error err;
	struct tmpfile t;
	struct cxl_op op;
	bool done, has_expect;
	FILE *f;

	(void)state;
	tmp_puts(&t, "");
	f = fopen(t.path, "w");
	assert_non_null(f);
	fputs("cxl-trace: 1\nsource: s.log\ndevices:\n  d0: {model: qemu72-hb}\n"
	      "  d1: {model: qemu72-hb}\n  d2: {model: qemu72-hb}\nops:\n", f);
	for (i = 0; i < n; i++) {
		stream_op(f, i, &op);
		want = fold_op(want, &op);
	}
	fprintf(f, "expect:\n  - {op: %lu, rule: read.mismatch}\n", n - 1);
	assert_int_equal(fclose(f), 0);

	rss_before = max_rss_kib();
	rss_start = rss_max = rss_now_kib();
	assert_int_equal(cxl_trace_open(t.path, &r, &err), CXL_OK);
	for (;;) {
		assert_int_equal(cxl_trace_next(r, &op, &done, &err), CXL_OK);
		if (done)
			break;
		got = fold_op(got, &op);
		if (++count == 1000)
			heap_early = heap_in_use();
		if (!(count & 0xffff) && (rss = rss_now_kib()) > rss_max)
			rss_max = rss;
	}
	heap_late = heap_in_use();
	assert_int_equal(cxl_trace_finish(r, &has_expect, &err), CXL_OK);
	assert_true(has_expect);
	assert_int_equal(cxl_trace_expect(r, 0)->op, n - 1);
	cxl_trace_close(r);
	rss_after = max_rss_kib();
	tmp_remove(&t);

	assert_int_equal(count, n);
	assert_true(got == want);
	print_message("%lu ops: rss %ld -> max %ld KiB, peak rss %ld -> %ld KiB, heap %zu -> %zu bytes\n",
		      n, rss_start, rss_max, rss_before, rss_after, heap_early,
		      heap_late);
	if (RUNNING_ON_VALGRIND || UNDER_ASAN)
		return;		/* their own allocators skew these */
	assert_true(rss_max - rss_start < STREAM_RSS_MAX_KIB);
	assert_true(rss_after - rss_before < STREAM_RSS_MAX_KIB);
	assert_true(heap_late < heap_early + STREAM_HEAP_MAX);
}

/* Runs every test; the exit status is the number of failures. */
/*
 * cxl_yaml_fit(): how much of a text fits a reader limit once written. Expected lengths
 * follow the writer's documented rendering (cxlemu/trace.h): a byte that is not UTF-8 reads
 * back as the 4 characters \\xNN, a UTF-8 character as its own bytes, and a cut never splits a
 * character.
 */
static void test_yaml_fit(void **state)
{
	(void)state;
	assert_int_equal(cxl_yaml_fit("abc", 3, 3), 3);
	assert_int_equal(cxl_yaml_fit("abc", 3, 2), 2);
	assert_int_equal(cxl_yaml_fit("\xff\xff", 2, 4), 1);     /* 4 read-back bytes each */
	assert_int_equal(cxl_yaml_fit("\xff\xff", 2, 7), 1);
	assert_int_equal(cxl_yaml_fit("\xff\xff", 2, 8), 2);
	assert_int_equal(cxl_yaml_fit("\xc3\xa9x", 3, 1), 0);   /* U+00E9 is not split */
	assert_int_equal(cxl_yaml_fit("\xc3\xa9x", 3, 2), 2);
	assert_int_equal(cxl_yaml_fit("\xc3x", 2, 4), 1);        /* a lone lead byte is not UTF-8 */
	assert_int_equal(cxl_yaml_fit("\xc3x", 2, 5), 2);
	assert_int_equal(cxl_yaml_fit("\x01\n", 2, 2), 2);      /* control characters: one byte */
	assert_int_equal(cxl_yaml_fit("", 0, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* first, so that the RSS high-water mark is not already high */
		cmocka_unit_test(test_streaming),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_good_trace),
		cmocka_unit_test(test_minimal_traces),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_text_escapes),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_binary_and_empty),
		cmocka_unit_test(test_bom_and_long_tokens),
		cmocka_unit_test(test_every_prefix),
		cmocka_unit_test(test_api_misuse),
		cmocka_unit_test(test_many_expects),
		cmocka_unit_test(test_yaml_fit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
