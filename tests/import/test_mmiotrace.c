/* SPDX-License-Identifier: MIT */
/*
 * test_mmiotrace.c - mmiotrace import: R/W records, MAP heuristic for the
 * component block, --device PHYS pins, MARK -> mark op, ignored records.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "helpers.h"

static const char trace[] =
	"VERSION 20070824\n"                                                  /* 1 */
	"PCIDEV 0d00 80860d93 0 fe800004 0 fe810004 0 fe811000 0 0 0 cxl_pci\n" /* 2 */
	"MAP 1.000000 1 0xfe800000 0xffffc90000080000 0x10000 0x0 0\n"        /* 3 */
	"R 4 1.000100 1 0xfe801000 0x3110001 0x0 0\n"                          /* 4 */
	"W 4 1.000200 1 0xfe801130 0x1200 0x0 0\n"                             /* 5 */
	"MARK 1.000300 cxl create-region \"done\"\n"                           /* 6 */
	"MAP 1.000400 2 0xfe801110 0xffffc900000a0000 0x100 0x0 0\n"           /* 7 */
	"R 4 1.000500 2 0xfe801110 0x310 0x0 0\n"                              /* 8 */
	"R 4 1.000600 3 0xfe900000 0x1 0x0 0\n"                                /* 9 */
	"MAP 1.000700 4 0xfea00000 0xffffc900000c0000 0x1000 0x0 0\n"          /* 10: too short */
	"R 4 1.000800 4 0xfea00000 0x1 0x0 0\n"                                /* 11 */
	"UNMAP 1.000900 1 0x0 0\n"                                             /* 12 */
	"R 3 1.001000 1 0xfe801000 0x1 0x0 0\n";                               /* 13: bad width */

/* MAP of a whole 64 KiB block defines ep0; R/W/MARK become ops. */
static void test_map_heuristic(void **state)
{
	struct run r;

	(void)state;
	run_text(&r, CXL_IMPORT_MMIOTRACE, trace, NULL);
	assert_int_equal(r.rc, CXL_OK);
	assert_true(has_line(r.out, "  - [mmio-read, ep0, 0x1000, 4, 0x3110001, \"@4\"]"));
	assert_true(has_line(r.out, "  - [mmio-write, ep0, 0x1130, 4, 0x1200, \"@5\"]"));
	assert_true(has_line(r.out, "  - [mark, \"cxl create-region \\\"done\\\"\", \"@6\"]"));
	assert_true(has_line(r.out, "  - [mmio-read, ep0, 0x1110, 4, 0x310, \"@8\"]"));
	assert_int_equal(count_lines(r.out, "  - ["), 4);
	assert_non_null(strstr(r.out, "  ep0: {model: qemu72-type3}"));
	assert_non_null(strstr(r.out, "# component block 0xfe800000 (guessed from MAP at line 3)\n"));
	assert_int_equal(header_num(r.out, "not a component register block:"), 2);
	assert_int_equal(header_num(r.out, "records without a register access:"), 2);
	assert_int_equal(header_num(r.out, "unparseable (bad fields or binary data):"), 1);
	assert_true(header_balanced(r.out));
	assert_null(strstr(r.out, "1.000"));    /* timestamps dropped */
	run_free(&r);
}

/* With an address pinned, MAP records no longer define blocks. */
static void test_device_pin(void **state)
{
	const char *pins[] = { "0xfe800000=mem0:qemu72-type3", NULL };
	struct run r;

	(void)state;
	run_text(&r, CXL_IMPORT_MMIOTRACE, trace, pins);
	assert_int_equal(r.rc, CXL_OK);
	assert_true(has_line(r.out, "  - [mmio-read, mem0, 0x1000, 4, 0x3110001, \"@4\"]"));
	assert_true(has_line(r.out, "  - [mmio-write, mem0, 0x1130, 4, 0x1200, \"@5\"]"));
	assert_non_null(strstr(r.out, "  mem0: {model: qemu72-type3}"));
	assert_null(strstr(r.out, "ep0"));
	run_free(&r);

	pins[0] = "0xfea00000=blk:qemu72-hb";
	run_text(&r, CXL_IMPORT_MMIOTRACE, trace, pins);
	assert_int_equal(r.rc, CXL_OK);
	assert_true(has_line(r.out, "  - [mmio-read, blk, 0x0, 4, 0x1, \"@11\"]"));
	assert_int_equal(count_lines(r.out, "  - [mmio-"), 1);
	run_free(&r);
}

/* Mark text with control and non-UTF-8 bytes stays a valid YAML scalar. */
static void test_mark_escaping(void **state)
{
	struct run r;

	(void)state;
	run_text(&r, CXL_IMPORT_MMIOTRACE,
		 "MARK 2.5 tab\there \xff back\\slash \xc3\xa9t\xc3\xa9\n", NULL);
	assert_int_equal(r.rc, CXL_OK);
	/* 0xff is no UTF-8: written as the text \xff (YAML's \xff would be U+00FF, another text) */
	assert_true(has_line(r.out,
		"  - [mark, \"tab\\x09here \\\\xff back\\\\slash \xc3\xa9t\xc3\xa9\", \"@1\"]"));
	/* whatever import writes, the reader takes back, with the text it meant */
	{
		const char *p = tmp_text("mark.yaml", r.out);
		struct cxl_trace_reader *tr = NULL;
		struct cxl_error err;
		struct cxl_op op;
		bool done = false;

		assert_int_equal(cxl_trace_open(p, &tr, &err), CXL_OK);
		assert_int_equal(cxl_trace_next(tr, &op, &done, &err), CXL_OK);
		assert_false(done);
		assert_string_equal(op.text, "tab\there \\xff back\\slash \xc3\xa9t\xc3\xa9");
		cxl_trace_close(tr);
	}
	run_free(&r);
}

/* A QEMU log is not an mmiotrace: error at 1:1, no output. */
static void test_not_mmiotrace(void **state)
{
	struct run r;

	(void)state;
	run_text(&r, CXL_IMPORT_MMIOTRACE,
		 "pci_cfg_read cxl-rp 0c:00.0 @0x0 -> 0x8086\nR x\n", NULL);
	assert_int_equal(r.rc, CXL_ERR_SYNTAX);
	assert_int_equal(r.err.line, 1);
	assert_int_equal(r.len, 0);
	assert_string_equal(r.err.msg, "no mmiotrace records found");
	run_free(&r);
}

/* Runs the tests; removes the scratch files. */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_heuristic),
		cmocka_unit_test(test_device_pin),
		cmocka_unit_test(test_mark_escaping),
		cmocka_unit_test(test_not_mmiotrace),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	tmp_cleanup();
	return rc;
}
