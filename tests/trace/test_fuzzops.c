/* SPDX-License-Identifier: MIT */
/*
 * test_fuzzops.c - the fuzz-ops encoding (cxlemu/fuzzops.h) against its documentation.
 *
 * Expected ops are worked out by hand from the encoding the header documents (H = kind | dev
 * << 3, register byte R = the (R mod n)-th register of the space in layout order, shape byte
 * S, little-endian values) and the qemu72-type3 config layout that `cxlemu spec --device
 * qemu72-type3` prints (0x100 DVSEC header, 0x104 header 1, 0x108 header 2, 0x10a
 * Capability, 0x10c Control, ...: the fifth register, index 4, is DVSEC CXL Control).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cxlemu/cxlemu.h"

static struct cxl_fuzzops *topo(unsigned variant)
{
	struct cxl_fuzzops *t = NULL;
	struct cxl_error err;

	assert_int_equal(cxl_fuzzops_new(variant, &t, &err), CXL_OK);
	return t;
}

/* Every variant's header bytes select it again; the profile is byte 0 mod the profile count. */
static void test_variants(void **state)
{
	(void)state;
	assert_true(cxl_fuzzops_variants() >= 32);
	for (unsigned v = 0; v < cxl_fuzzops_variants(); v++) {
		uint8_t hdr[CXL_FUZZOPS_HEADER];

		cxl_fuzzops_header_bytes(v, hdr);
		assert_int_equal(cxl_fuzzops_variant(hdr, sizeof(hdr)), v);
	}
	{
		uint8_t in[2] = { (uint8_t)(cxl_profile_count() + 1), 0 };
		struct cxl_fuzzops *t = topo(cxl_fuzzops_variant(in, 2));
		const struct cxl_trace_header *h = cxl_fuzzops_header(t);

		assert_string_equal(h->profile, cxl_profile_name(1));
		assert_int_equal(h->ndevices, CXL_FUZZOPS_DEVICES);
		assert_string_equal(h->devices[0].name, "ep0");
		assert_string_equal(h->devices[0].model, "qemu72-type3");
		assert_string_equal(h->devices[2].model, "type2-accel");
		assert_string_equal(h->devices[6].name, "dsp0");
		cxl_fuzzops_free(t);
	}
	assert_int_equal(cxl_fuzzops_variant((const uint8_t *)"", 0), 0);   /* short input */
}

/*
 * The register byte that names DVSEC CXL Control (config 0x10c) of a qemu72-type3: its index
 * among the device's config registers in layout order (the documented encoding: register byte
 * R is the (R mod n)-th register of the space), found through the public API so that placing
 * more structures in the model does not change what this test decodes.
 */
static uint8_t control_reg_byte(void)
{
	struct cxl_device *d = NULL;
	struct cxl_error err;
	unsigned k = 0, space;
	uint32_t off;

	assert_int_equal(cxl_device_create("ep0", "qemu72-type3", NULL, NULL, &d, &err), CXL_OK);
	for (unsigned i = 0; i < cxl_device_nregs(d); i++) {
		cxl_device_reg_info(d, i, &space, &off, NULL, NULL);
		if (space != CXL_SPACE_CONFIG)
			continue;
		if (off == 0x10c)
			break;
		k++;
	}
	cxl_device_destroy(d);
	assert_true(k < 256);
	return (uint8_t)k;
}

/* Ops decoded by hand from the documented encoding. */
static void test_decode(void **state)
{
	uint8_t in[] = {
		0, 0,                   /* variant 0 */
		0x01, 4, 0x10, 0x06, 0x00,   /* cfg-write ep0, register R exactly (Control, 2 bytes) = 6 */
		0x00, 4, 0x01,          /* cfg-read ep0, register R, 2 bytes at byte 0, no value */
		0x00, 4, 0x21, 0x02, 0x00,   /* the same read carrying the recorded value 2 */
		0x0c, 0x01,             /* reset (4) of device 1 (ep1): kind 1 = warm */
		0x05, 0x00, 0x44,       /* inject (5) into ep0: kind 0, bit 0x44 mod 64 = 4 */
		0x01, 4,                /* cut short: ends the input */
	};
	struct cxl_fuzzops *t = topo(0);
	struct cxl_op op;
	size_t pos = CXL_FUZZOPS_HEADER;

	(void)state;
	in[3] = in[8] = in[11] = control_reg_byte();
	assert_true(cxl_fuzzops_next(t, in, sizeof(in), &pos, &op));
	assert_int_equal(op.kind, CXL_OP_CFG_WRITE);
	assert_int_equal(op.dev, 0);
	assert_int_equal(op.offset, 0x10c);
	assert_int_equal(op.size, 2);
	assert_int_equal(op.value, 6);
	assert_true(op.has_value);
	assert_int_equal(op.line, 3);               /* byte offset 2, plus 1 */
	assert_true(cxl_fuzzops_next(t, in, sizeof(in), &pos, &op));
	assert_int_equal(op.kind, CXL_OP_CFG_READ);
	assert_int_equal(op.offset, 0x10c);
	assert_int_equal(op.size, 2);
	assert_false(op.has_value);
	assert_true(cxl_fuzzops_next(t, in, sizeof(in), &pos, &op));
	assert_int_equal(op.kind, CXL_OP_CFG_READ);
	assert_true(op.has_value);
	assert_int_equal(op.value, 2);
	assert_true(cxl_fuzzops_next(t, in, sizeof(in), &pos, &op));
	assert_int_equal(op.kind, CXL_OP_RESET);
	assert_int_equal(op.dev, 1);
	assert_int_equal(op.reset, CXL_RESET_WARM);
	assert_true(cxl_fuzzops_next(t, in, sizeof(in), &pos, &op));
	assert_int_equal(op.kind, CXL_OP_INJECT);
	assert_int_equal(op.dev, 0);
	assert_int_equal(op.inject, CXL_INJECT_RAS_UNCORRECTABLE);
	assert_int_equal(op.bit, 4);
	assert_false(cxl_fuzzops_next(t, in, sizeof(in), &pos, &op));
	assert_int_equal(pos, sizeof(in));
	cxl_fuzzops_free(t);
}

/* Encoding what was decoded gives an op that decodes the same (kind, device, offset, size, value). */
static void test_encode_roundtrip(void **state)
{
	struct cxl_fuzzops *t = topo(5);
	uint8_t in[64], buf[CXL_FUZZOPS_OP_MAX];

	(void)state;
	for (unsigned seed = 1; seed < 2000; seed++) {
		struct cxl_op a, b;
		size_t pos = CXL_FUZZOPS_HEADER, n, bpos = 0;
		uint8_t enc[CXL_FUZZOPS_HEADER + CXL_FUZZOPS_OP_MAX];

		for (size_t i = 0; i < sizeof(in); i++)
			in[i] = (uint8_t)((seed * 2654435761u) >> (i % 24));
		cxl_fuzzops_header_bytes(5, in);
		if (!cxl_fuzzops_next(t, in, sizeof(in), &pos, &a))
			continue;
		n = cxl_fuzzops_encode(t, &a, buf);
		if (!n)
			continue;               /* an op the encoding cannot say (none here) */
		cxl_fuzzops_header_bytes(5, enc);
		memcpy(enc + CXL_FUZZOPS_HEADER, buf, n);
		bpos = CXL_FUZZOPS_HEADER;
		assert_true(cxl_fuzzops_next(t, enc, CXL_FUZZOPS_HEADER + n, &bpos, &b));
		assert_int_equal(a.kind, b.kind);
		assert_int_equal(a.dev, b.dev);
		if (a.kind == CXL_OP_RESET) {
			assert_int_equal(a.reset, b.reset);
		} else if (a.kind == CXL_OP_INJECT) {
			assert_int_equal(a.inject, b.inject);
			assert_int_equal(a.bit, b.bit);
		} else {
			assert_int_equal(a.offset, b.offset);
			assert_int_equal(a.size, b.size);
			assert_int_equal(a.has_value, b.has_value);
			assert_int_equal(a.value, b.value);
		}
	}
	cxl_fuzzops_free(t);
}

/* Every input decodes (no input is invalid) and the reader yields what next() does. */
static void test_reader(void **state)
{
	uint8_t in[] = { 0, 0, 0x01, 4, 0x10, 0x06, 0x00, 0xff, 0xff, 0xff, 0xff };
	struct cxl_trace_reader *r;
	struct cxl_error err;
	struct cxl_op op;
	bool done = false;
	unsigned long n = 0;

	(void)state;
	in[3] = control_reg_byte();
	assert_int_equal(cxl_fuzzops_reader(in, sizeof(in), "in.bin", &r, &err), CXL_OK);
	assert_int_equal(cxl_trace_header(r)->ndevices, CXL_FUZZOPS_DEVICES);
	while (!cxl_trace_next(r, &op, &done, &err) && !done) {
		if (n == 0) {
			assert_int_equal(op.kind, CXL_OP_CFG_WRITE);
			assert_int_equal(op.offset, 0x10c);
		}
		n++;
	}
	assert_true(done);
	assert_true(n >= 1);
	cxl_trace_close(r);
	/* more than CXL_FUZZOPS_INPUT_MAX bytes: refused, with a message */
	{
		uint8_t *big = calloc(1, CXL_FUZZOPS_INPUT_MAX + 1);

		assert_non_null(big);
		assert_int_not_equal(cxl_fuzzops_reader(big, CXL_FUZZOPS_INPUT_MAX + 1, "big.bin", &r,
							&err), CXL_OK);
		assert_true(err.msg[0] != '\0');
		free(big);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_variants),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_encode_roundtrip),
		cmocka_unit_test(test_reader),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
