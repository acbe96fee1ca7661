/* SPDX-License-Identifier: MIT */
/*
 * test_access_edge.c - access routing (emu/core/access.c) beyond the field tests, through
 * the public device API (cxlemu/device.h, cxl_device_access() its contract):
 * - a config access to a model without config space (qemu72-hb: the pxb-cxl host bridge's
 *   component block, CHBS, has none) is unmodelled: access.unmodeled (spec/rules.yaml: "read
 *   returns the recorded value, write ignored");
 * - a recorded read the comp-regs-v2 view refuses (vfio-cxl-shadow.md §1.3: exactly one
 *   aligned dword; spec/vocabulary.yaml views:) reads all ones (§3.1: QEMU reads a failed
 *   pread as all ones), so a recorded value other than all ones is a read.mismatch, and a
 *   recording that says it succeeded is an access.outcome-mismatch (spec/rules.yaml).
 */
#include "harness.h"

/* qemu72-hb has no config space: every config access is unmodelled, reads give the recorded
 * bytes (0 without a recording), writes change nothing. */
static void test_config_without_config_space(void **state)
{
	struct h *h = *state;
	struct cxl_device *d = h_open(h, "qemu72-hb", NULL);
	uint64_t v = 1;

	h_clear(h);
	expect_val("recorded config read", cfg_read_rec(d, 0x0, 4, 0x12345678), 0x12345678);
	h_expect(h, CXL_RULE_ACCESS_UNMODELED, 1, "config read on a block without config space");
	h_clear(h);
	assert_true(cxl_device_access(d, CXL_SPACE_CONFIG, false, 0x100, 2, 0, false, &v));
	expect_val("unrecorded config read", v, 0);
	h_expect(h, CXL_RULE_ACCESS_UNMODELED, 1, "unrecorded config read");
	h_clear(h);
	cfg_write(d, 0x4, 2, 0x6);
	h_expect(h, CXL_RULE_ACCESS_UNMODELED, 1, "config write");
	expect_val("still the recorded bytes", cfg_read_rec(d, 0x4, 2, 0xabcd), 0xabcd);
}

/* comp-regs-v2 takes exactly one aligned dword: a recorded 2-byte read is refused and reads
 * 0xffff; a recorded 0x1234 is a mismatch, a recorded 0xffff is not; both recordings say the
 * read succeeded, which the refusing model disputes. */
static void test_view_refused_recorded_read(void **state)
{
	struct h *h = *state;
	struct cxl_device_opts o = { 0 };
	struct cxl_device *d;
	int v2 = cxl_view_parse("comp-regs-v2");

	assert_true(v2 > 0);
	o.view = (unsigned)v2;
	d = h_open_opts(h, "type2-accel", NULL, &o);
	h_clear(h);
	expect_val("refused read", mmio_read_rec(d, 0x0, 2, 0x1234), 0xffff);
	assert_true(cxl_device_last_refused(d));
	assert_int_equal(h_count(h, CXL_RULE_ACCESS_REGION_REJECTED), 1);
	assert_int_equal(h_count(h, CXL_RULE_READ_MISMATCH), 1);
	assert_int_equal(h_count(h, CXL_RULE_ACCESS_OUTCOME_MISMATCH), 1);
	h_clear(h);
	expect_val("refused read, all ones recorded", mmio_read_rec(d, 0x0, 2, 0xffff), 0xffff);
	assert_int_equal(h_count(h, CXL_RULE_ACCESS_REGION_REJECTED), 1);
	assert_int_equal(h_count(h, CXL_RULE_READ_MISMATCH), 0);
	/* the recording says it failed: the model agrees */
	h_clear(h);
	cxl_device_set_op_flags(d, CXL_OPF_FAILED);
	expect_val("refused read, recorded failed", mmio_read_rec(d, 0x2, 2, 0xffff), 0xffff);
	assert_int_equal(h_count(h, CXL_RULE_ACCESS_OUTCOME_MISMATCH), 0);
	assert_int_equal(h_count(h, CXL_RULE_ACCESS_REGION_REJECTED), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_config_without_config_space, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_view_refused_recorded_read, h_setup, h_teardown),
	};

	return cmocka_run_group_tests_name("access-edge", tests, NULL, NULL);
}
