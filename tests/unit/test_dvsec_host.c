/* SPDX-License-Identifier: MIT */
/*
 * test_dvsec_host.c - the DVSEC behaviour (emu/core/dvsec.c, its top comment the contract)
 * beyond test_dvsec.c: the host state firmware left (cxl_device_opts host_config_lock: CONFIG_LOCK
 * set and latched as a write would, CXL r3.1 §8.1.3.6) and Status2 injection (the device
 * sets one of the defined bits of DVSEC CXL Status2, §8.1.3.5: 0 Cache_Invalid,
 * 1 CXL_Reset_Complete, 2 CXL_Reset_Error, 3 Volatile_HDM_Preservation_Error, 15 Power
 * Management Initialization Complete; 14:4 reserved), through the public device API.
 */
#include "harness.h"

/*
 * Firmware set CONFIG_LOCK (host_config_lock): the device starts with DVSEC Lock bit 0 set;
 * the lock cannot be cleared (RWO) and the RWL fields of Control are read-only (§8.1.3.6:
 * "all register fields ... with RWL attribute become read only").
 */
static void test_host_config_lock(void **state)
{
	struct h *h = *state;
	struct cxl_device_opts o = { 0 };
	struct cxl_device *d;

	o.host_config_lock = true;
	d = h_open_opts(h, "qemu72-type3", NULL, &o);
	expect_val("DVSEC Lock as firmware left it", cfg_read(d, DV_LOCK, 2) & 1, 1);
	expect_val("Control: Mem_Enable not set by firmware", cfg_read(d, DV_CTRL, 2) & 0x4, 0);
	h_clear(h);
	cfg_write(d, DV_LOCK, 2, 0x0000);
	expect_val("CONFIG_LOCK stays set (RWO)", cfg_read(d, DV_LOCK, 2) & 1, 1);
	h_clear(h);
	cfg_write(d, DV_CTRL, 2, 0x0006);   /* Mem_Enable (RWL), IO_Enable kept (RO, reset 1) */
	h_expect(h, CXL_RULE_FIELD_RWL_LOCKED, 1, "Mem_Enable under the firmware's lock");
	expect_val("Mem_Enable dropped", cfg_read(d, DV_CTRL, 2) & 0x4, 0);
}

/* Both host bits: CONFIG_LOCK and Mem_Enable set at creation. */
static void test_host_lock_and_mem_enable(void **state)
{
	struct h *h = *state;
	struct cxl_device_opts o = { 0 };
	struct cxl_device *d;

	o.host_config_lock = true;
	o.host_mem_enable = true;
	d = h_open_opts(h, "type2-accel", NULL, &o);
	expect_val("CONFIG_LOCK", cfg_read(d, DV_LOCK, 2) & 1, 1);
	expect_val("Mem_Enable", cfg_read(d, DV_CTRL, 2) & 0x4, 0x4);
	h_clear(h);
	cfg_write(d, DV_CTRL, 2, 0x0002);   /* IO_Enable kept (RO, reset 1) */
	h_expect(h, CXL_RULE_FIELD_RWL_LOCKED, 1, "clearing Mem_Enable under the lock");
	expect_val("Mem_Enable kept", cfg_read(d, DV_CTRL, 2) & 0x4, 0x4);
}

/* Status2 injection sets exactly the defined bit asked for; reserved bits and bits past the
 * 16-bit register are refused and change nothing. */
static void test_inject_status2(void **state)
{
	struct h *h = *state;
	struct cxl_device *d = h_open(h, "type2-accel", NULL);

	expect_val("Status2 at reset (Cache_Invalid, reset complete/error clear)",
		   cfg_read(d, DV_STATUS2, 2) & 0x000e, 0);
	assert_true(cxl_device_inject(d, CXL_INJECT_STATUS2, 3));
	expect_val("Volatile_HDM_Preservation_Error set", cfg_read(d, DV_STATUS2, 2) & 0x8, 0x8);
	assert_false(cxl_device_inject(d, CXL_INJECT_STATUS2, 4));   /* reserved (14:4) */
	assert_false(cxl_device_inject(d, CXL_INJECT_STATUS2, 14));  /* reserved */
	assert_false(cxl_device_inject(d, CXL_INJECT_STATUS2, 16));  /* past the register */
	expect_val("reserved bits still 0", cfg_read(d, DV_STATUS2, 2) & 0x7ff0, 0);
	assert_true(cxl_device_inject(d, CXL_INJECT_STATUS2, 2));
	expect_val("CXL_Reset_Error set", cfg_read(d, DV_STATUS2, 2) & 0x4, 0x4);
	/* Volatile_HDM_Preservation_Error is RW1CS: writing 1 clears it, the RO bit stays */
	cfg_write(d, DV_STATUS2, 2, 0x0008);
	expect_val("RW1CS bit cleared, RO bit kept", cfg_read(d, DV_STATUS2, 2) & 0xc, 0x4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_host_config_lock, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_host_lock_and_mem_enable, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_inject_status2, h_setup, h_teardown),
	};

	return cmocka_run_group_tests_name("dvsec-host", tests, NULL, NULL);
}
