/* SPDX-License-Identifier: MIT */
/*
 * test_device_api.c - cxl_device_create()'s refusals and the register accessors past their
 * ranges (cxlemu/device.h). Expected results are the header's contract: accessors answer
 * false (reg_reset_scope: NONE) past the end, snapshot copies at most the device's registers;
 * create refuses a missing argument (usage), a view that does not exist or whose base the
 * model lacks (traces/README.md "views": comp-regs-v4 counts from the HDM decoders, bar from
 * the Register Locator), and host decoders off the 256 MiB granule (CXL r3.1 §8.2.4.20.5) or
 * locked without being committed (Lock On Commit locks a committed decoder, §8.2.4.20.7).
 * The models: qemu72-dsp places no HDM decoders and qemu72-hb has no config space, so no
 * Register Locator (spec/models).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cxlemu/cxlemu.h"

/* Creates @model with @o; asserts it fails with @code and a message containing @want. */
static void refused(const char *model, const struct cxl_device_opts *o, enum cxl_err code,
		    const char *want)
{
	struct cxl_device *d = NULL;
	struct cxl_error err;

	memset(&err, 0, sizeof(err));
	assert_int_equal(cxl_device_create("d", model, NULL, o, &d, &err), code);
	assert_null(d);
	if (!strstr(err.msg, want))
		fail_msg("'%s' does not say '%s'", err.msg, want);
}

static void test_create_refusals(void **state)
{
	struct cxl_device_opts o;
	struct cxl_device *d = NULL;
	struct cxl_error err;

	(void)state;
	assert_int_equal(cxl_device_create(NULL, "qemu72-type3", NULL, NULL, &d, &err), CXL_ERR_USAGE);
	memset(&o, 0, sizeof(o));
	o.view = CXL_VIEW__COUNT + 3;
	refused("qemu72-type3", &o, CXL_ERR_VALUE, "does not exist");
	o.view = CXL_VIEW_COMP_REGS_V4;
	refused("qemu72-dsp", &o, CXL_ERR_VALUE, "counts from the HDM decoders; model qemu72-dsp has none");
	o.view = CXL_VIEW_BAR;
	refused("qemu72-hb", &o, CXL_ERR_VALUE, "needs a Register Locator entry for the component block; model qemu72-hb has none");
	memset(&o, 0, sizeof(o));
	o.host[0] = (struct cxl_host_decoder){ .set = true, .committed = true, .base = 0x10000000 + 0x1000,
					       .size = 0x10000000 };
	refused("type2-accel", &o, CXL_ERR_VALUE, "must be multiples of 256 MiB");
	o.host[0] = (struct cxl_host_decoder){ .set = true, .locked = true, .base = 0x10000000, .size = 0x10000000 };
	refused("type2-accel", &o, CXL_ERR_VALUE, "locked but not committed");
}

static void test_accessors_past_the_end(void **state)
{
	struct cxl_device *d = NULL;
	struct cxl_error err;
	uint64_t snap[4096];
	unsigned n;

	(void)state;
	assert_int_equal(cxl_device_create("d", "qemu72-type3", NULL, NULL, &d, &err), CXL_OK);
	n = cxl_device_nregs(d);
	assert_true(n > 0 && n < 4096);
	assert_false(cxl_device_reg_info(d, n, NULL, NULL, NULL, NULL));
	assert_false(cxl_device_reg_detail(d, n, NULL, NULL, NULL));
	assert_false(cxl_device_field_info(d, 0, cxl_device_reg_nfields(d, 0), NULL, NULL, NULL, NULL, NULL, NULL));
	assert_int_equal(cxl_device_reg_reset_scope(d, n, CXL_RESET_COLD), CXL_RESET_SCOPE_NONE);
	assert_int_equal(cxl_device_reg_reset_scope(d, 0, CXL_RESET__COUNT), CXL_RESET_SCOPE_NONE);
	assert_int_equal(cxl_device_snapshot(d, snap, 4096), n);
	assert_false(cxl_device_inject(d, CXL_INJECT__COUNT, 0));
	cxl_device_destroy(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_refusals),
		cmocka_unit_test(test_accessors_past_the_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
