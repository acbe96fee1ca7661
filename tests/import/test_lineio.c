/* SPDX-License-Identifier: MIT */
/*
 * test_lineio.c - the bounded line reader and number parsing the importers
 * share: CRLF, NUL bytes, over-long and unterminated lines, gzip, numbers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "helpers.h"
#include "import_int.h"

struct got {
	char text[64];
	size_t len;
	unsigned flags;
};

/* Reads every line of @path into @g (at most @max); returns the count. */
static int read_all(const char *path, struct got *g, int max)
{
	struct imp_lines *r;
	struct cxl_error e;
	const char *s;
	size_t len;
	unsigned flags;
	int n = 0, rc;

	assert_int_equal(imp_lines_open(path, &r, &e), CXL_OK);
	while ((rc = imp_lines_next(r, &s, &len, &flags, &e)) > 0) {
		assert_true(n < max);
		assert_int_equal(imp_lines_number(r), n + 1);
		snprintf(g[n].text, sizeof(g[n].text), "%.*s", (int)len, s);
		g[n].len = len;
		g[n].flags = flags;
		n++;
	}
	assert_int_equal(rc, 0);
	imp_lines_close(r);
	return n;
}

/* CRLF stripped, empty line kept, control bytes flagged, last line unterminated. */
static void test_line_shapes(void **state)
{
	static const char in[] = "a\r\nb\n\n\x01x\nlast";
	struct got g[8];
	const char *p = tmp_file("shapes.txt", in, sizeof(in) - 1);

	(void)state;
	assert_int_equal(read_all(p, g, 8), 5);
	assert_string_equal(g[0].text, "a");
	assert_int_equal(g[0].flags, 0);
	assert_string_equal(g[1].text, "b");
	assert_int_equal(g[2].len, 0);
	assert_int_equal(g[3].flags, IMP_LF_BINARY);
	assert_string_equal(g[4].text, "last");
	assert_int_equal(g[4].flags, IMP_LF_UNTERMINATED);
}

/* An over-long line is cut and flagged; the next lines are intact; NUL is binary. */
static void test_nul_and_long(void **state)
{
	size_t n = IMP_LINE_MAX * 3 + 7;
	char *in = malloc(n + 16);
	struct got g[4];
	const char *p;

	(void)state;
	memset(in, 'x', n);
	memcpy(in + n, "\nok\nz\0z\n", 8);
	p = tmp_file("long.txt", in, n + 8);
	free(in);
	assert_int_equal(read_all(p, g, 4), 3);
	assert_int_equal(g[0].flags, IMP_LF_TOO_LONG);
	assert_int_equal(g[0].len, IMP_LINE_MAX);
	assert_string_equal(g[1].text, "ok");
	assert_int_equal(g[1].flags, 0);
	assert_int_equal(g[2].len, 3);
	assert_int_equal(g[2].flags, IMP_LF_BINARY);
}

/* gzip input reads like plain text; rewind restarts at line 1. */
static void test_gzip_and_rewind(void **state)
{
	char path[300];
	gzFile gz;
	struct imp_lines *r;
	struct cxl_error e;
	const char *s;
	size_t len;
	unsigned flags;

	(void)state;
	snprintf(path, sizeof(path), "%s/x.gz", tmp_dir());
	gz = gzopen(path, "wb");
	gzputs(gz, "one\ntwo\n");
	gzclose(gz);
	assert_int_equal(imp_lines_open(path, &r, &e), CXL_OK);
	assert_int_equal(imp_lines_next(r, &s, &len, &flags, &e), 1);
	assert_int_equal(imp_lines_next(r, &s, &len, &flags, &e), 1);
	assert_string_equal(s, "two");
	assert_int_equal(imp_lines_next(r, &s, &len, &flags, &e), 0);
	assert_false(imp_lines_gz_truncated(r));
	assert_int_equal(imp_lines_rewind(r, &e), CXL_OK);
	assert_int_equal(imp_lines_next(r, &s, &len, &flags, &e), 1);
	assert_string_equal(s, "one");
	assert_int_equal(imp_lines_number(r), 1);
	imp_lines_close(r);
}

/* strtoul(..., 0)-like parsing, but exact: no junk, sign or overflow. */
static void test_numbers(void **state)
{
	uint64_t v;

	(void)state;
	assert_true(imp_parse_num("0x1F", 4, &v) && v == 0x1f);
	assert_true(imp_parse_num("17", 2, &v) && v == 17);
	assert_true(imp_parse_num("017", 3, &v) && v == 15);
	assert_true(imp_parse_num("0", 1, &v) && v == 0);
	assert_true(imp_parse_num("0xffffffffffffffff", 18, &v) && v == UINT64_MAX);
	assert_false(imp_parse_num("0x10000000000000000", 19, &v));
	assert_false(imp_parse_num("18446744073709551616", 20, &v));
	assert_false(imp_parse_num("0x", 2, &v));
	assert_false(imp_parse_num("08", 2, &v));
	assert_false(imp_parse_num("-1", 2, &v));
	assert_false(imp_parse_num("12z", 3, &v));
	assert_false(imp_parse_num("", 0, &v));
	assert_true(imp_parse_hex("fe80", 4, &v) && v == 0xfe80);
	assert_true(imp_parse_hex("0xfe80", 6, &v) && v == 0xfe80);
}

/* Runs the tests; removes the scratch files. */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_shapes),
		cmocka_unit_test(test_nul_and_long),
		cmocka_unit_test(test_gzip_and_rewind),
		cmocka_unit_test(test_numbers),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	tmp_cleanup();
	return rc;
}
