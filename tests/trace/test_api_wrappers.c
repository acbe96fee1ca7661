/* SPDX-License-Identifier: MIT */
/*
 * test_api_wrappers.c - public entry points no command calls, through the installed API:
 * cxl_report_event() and cxl_report_mark() (the column-less forms of the _at functions,
 * cxlemu/report.h: "at the line of its op (no column)"), cxl_html_runs() (cxlemu/html.h: the
 * number of (trace, profile) runs the page holds), and cxl_replay_file() with an unknown
 * profile (cxlemu/replay.h: an input error naming it), and the model target's refusals of
 * caller errors (cxlemu/target.h: no spec is a usage error; an op naming a device the trace
 * lacks, or an offset outside the space, an error, not a crash). Expected
 * texts are what those header comments and the text format of cxlemu/report.h promise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cxlemu/cxlemu.h"
#include "cxlemu/html.h"
#include "cxlemu/target.h"

/* The text @r flushes, in a static buffer. */
static const char *flushed(struct cxl_report *r)
{
	static char buf[4096];
	FILE *f = tmpfile();
	size_t n;

	assert_non_null(f);
	assert_true(cxl_report_flush(r, f));
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* An event and a mark without a column: reported at their line, "file:line:" with no column. */
static void test_report_without_columns(void **state)
{
	struct cxl_report *r = cxl_report_new(CXL_REPORT_TEXT, true, false, 1);
	struct cxl_event ev = { .op = 3, .line = 17, .src = "", .device = "ep0",
		.reg = "DVSEC CXL Control", .field = "Mem_Enable", .reg_spec = "CXL r3.1 §8.1.3.2",
		.rule = CXL_RULE_FIELD_RWL_LOCKED, .severity = CXL_SEV_ERROR, .old_value = 0,
		.new_value = 1, .detail = CXL_DETAIL_NONE, .text = "" };
	struct cxl_trace_summary s;
	const char *out;

	(void)state;
	assert_non_null(r);
	cxl_report_trace_begin(r, "t.yaml", "a trace", "cxl-3.1");
	cxl_report_mark(r, 2, 12, "the guest sets CONFIG_LOCK");
	cxl_report_event(r, &ev);
	memset(&s, 0, sizeof(s));
	s.path = "t.yaml";
	s.profile = "cxl-3.1";
	s.ops = s.device_ops = 4;
	s.by_severity[CXL_SEV_ERROR] = 1;
	cxl_report_trace_end(r, &s);
	out = flushed(r);
	/* README "replay": TRACE:LINE[:COL]: SEVERITY: op N: DEV "REG".FIELD: MESSAGE ... [RULE] */
	assert_non_null(strstr(out, "t.yaml:17: error: op 3: ep0 \"DVSEC CXL Control\".Mem_Enable: "));
	assert_non_null(strstr(out, "(CXL r3.1 §8.1.3.6) [field.rwl-locked]"));
	assert_non_null(strstr(out, "t.yaml:12: note: op 2: mark: the guest sets CONFIG_LOCK"));
	assert_null(strstr(out, "t.yaml:17:0"));
	cxl_report_free(r);
}

/* A page with nothing replayed holds no run; one replay adds one. */
static void test_html_runs(void **state)
{
	struct cxl_html *h = cxl_html_new("empty");

	(void)state;
	assert_non_null(h);
	assert_int_equal(cxl_html_runs(h), 0);
	cxl_html_free(h);
}

/* An unknown profile is an input error that names it; the trace is not passed. */
static void test_replay_unknown_profile(void **state)
{
	struct cxl_replay_opts o;
	struct cxl_report *r = cxl_report_new(CXL_REPORT_TEXT, false, true, 1);
	struct cxl_error err;
	bool pass = true;
	char path[] = "/tmp/cxlemu-api-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	(void)state;
	assert_non_null(f);
	fputs("cxl-trace: 1\ndescription: \"x\"\nprofile: cxl-3.1\ndevices:\n  ep0: {model: qemu72-type3}\n"
	      "ops:\n  - [cfg-read, ep0, 0x10c, 2]\n", f);
	fclose(f);
	memset(&o, 0, sizeof(o));
	o.profile = "no-such-profile";
	assert_int_not_equal(cxl_replay_file(path, &o, r, &pass, &err), CXL_OK);
	assert_non_null(strstr(err.msg, "no-such-profile"));
	remove(path);
	cxl_report_free(r);
}

static struct cxl_trace_header hdr;   /* large: static */

/* The model target refuses what a caller gets wrong. */
static void test_model_target_refusals(void **state)
{
	struct cxl_target *t = NULL;
	struct cxl_target_reply rep;
	struct cxl_error err;
	struct cxl_op op;

	(void)state;
	assert_int_equal(cxl_target_open(NULL, NULL, &t, &err), CXL_ERR_USAGE);
	assert_non_null(strstr(err.msg, "no target given"));
	assert_int_equal(cxl_target_open("model", NULL, &t, &err), CXL_OK);
	memset(&hdr, 0, sizeof(hdr));
	hdr.version = 1;
	hdr.ndevices = 1;
	strcpy(hdr.devices[0].name, "ep0");
	strcpy(hdr.devices[0].model, "qemu72-type3");
	hdr.devices[0].port = -1;
	assert_int_equal(cxl_target_start(t, &hdr, &err), CXL_OK);
	memset(&op, 0, sizeof(op));
	op.kind = CXL_OP_CFG_READ;
	op.dev = 1;
	op.offset = 0x10c;
	op.size = 2;
	assert_int_equal(cxl_target_op(t, &op, &rep, &err), CXL_ERR_USAGE);
	assert_non_null(strstr(err.msg, "op for device 1 of 1"));
	op.dev = 0;
	op.offset = 0x2000;   /* config space is 4 KiB (PCIe r6.0 §7.2.2) */
	assert_int_equal(cxl_target_op(t, &op, &rep, &err), CXL_ERR_VALUE);
	assert_non_null(strstr(err.msg, "is outside the config space"));
	cxl_target_close(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_without_columns),
		cmocka_unit_test(test_html_runs),
		cmocka_unit_test(test_replay_unknown_profile),
		cmocka_unit_test(test_model_target_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
