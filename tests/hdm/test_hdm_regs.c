/* SPDX-License-Identifier: MIT */
/*
 * test_hdm_regs.c - component register layout and HDM register attributes:
 * the capability array (CXL r3.1 §8.2.4.1-.2), the HDM Decoder Capability's
 * Decoder Count (§8.2.4.20.1), Global Control (§8.2.4.20.2) and every field
 * of Decoder n Control (§8.2.4.20.7).
 *
 * Expected values come from the spec text as summarised in
 * the reference note cxl-registers.md (§3, §4, §10) and from the QEMU
 * 7.2 measurements in the reference note qemu72-qtest.md and
 * tests/unit/data/qemu72-power-on.yaml (cxlemu record --target qemu on
 * QEMU 7.2.22: HDM Capability 0x310 on cxl-rp and cxl-type3, 0x380 on
 * cxl-upstream); never from the model's own output or spec/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"

/* ------------------------------------------------------------------ */
/* 11. Capability array                                               */
/* ------------------------------------------------------------------ */

/*
 * CXL r3.1 §8.2.4.1-.2, qemu72-qtest.md ("header 0x03110001: RAS v2 @+0x80,
 * Link v2 @+0xd8, HDM v1 @+0x110 (Capability 0x310)") and the real Linux
 * 6.1 guest on QEMU 7.2 (traces/real/1ep.log.gz reads 0x3110001,
 * 0x8020002, 0xd820004, 0x11010005 at +0x1000..+0x100c and 0x310 at +0x1110).
 */
static void test_cap_array_qemu72_type3(void **state)
{
	static const struct { uint32_t off, value; } rows[] = {
		{ 0x1000, 0x03110001 },  /* ID 1, version 1, cache/mem version 1, 3 entries */
		{ 0x1004, 0x08020002 },  /* RAS (ID 2) v2 at +0x080 */
		{ 0x1008, 0x0d820004 },  /* Link (ID 4) v2 at +0x0d8 */
		{ 0x100c, 0x11010005 },  /* HDM (ID 5) v1 at +0x110 */
		{ 0x1110, 0x00000310 },  /* HDM Capability: 1 decoder, A11to8, A14to12 */
	};
	struct cxl_device *d = dev_open("qemu72-type3", "cxl-3.1", 0);

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(rows); i++)
		assert_int_equal(rd32(d, rows[i].off), rows[i].value);
	rec_assert_none();
	dev_close(d);
}

/* The register a capability ID's structure starts with (CXL r3.1 §8.2.4, Table 8-22). */
static const char *first_reg_of(unsigned id)
{
	switch (id) {
	case 2: return "RAS Uncorrectable Error Status";   /* §8.2.4.17.1 at +0x00 */
	case 4: return "CXL Link Register 0";              /* §8.2.4.19 at +0x00 */
	case 5: return "HDM Decoder Capability";           /* §8.2.4.20.1 at +0x00 */
	default: return NULL;                              /* not modelled */
	}
}

static int reg_at(const struct cxl_device *d, uint32_t off, const char **name)
{
	for (unsigned i = 0; i < cxl_device_nregs(d); i++) {
		unsigned space;
		uint32_t o;

		assert_true(cxl_device_reg_info(d, i, &space, &o, name, NULL));
		if (space == CXL_SPACE_COMPONENT && o == off)
			return (int)i;
	}
	*name = NULL;
	return -1;
}

/*
 * CXL r3.1 §8.2.4.1 (Array_Size in bits 31:24) and §8.2.4.2 (Pointer in
 * bits 31:20, relative to +0x1000): on every model, each entry's pointer
 * lands on the first register of the structure its ID names; IDs the
 * emulator does not model (6, 8) land on no modelled register.
 */
static void test_cap_array_pointers_all_models(void **state)
{
	(void)state;
	for (unsigned m = 0; m < cxl_model_count(); m++) {
		struct cxl_device *d = dev_open(cxl_model_name(m), "cxl-3.1", 0);
		uint32_t hdr = rd32(d, 0x1000);
		unsigned n = hdr >> 24;

		assert_int_equal(hdr & 0xffff, 1);               /* CXL_Capability_ID = 1 */
		assert_true(n >= 1);
		for (unsigned i = 1; i <= n; i++) {
			uint32_t e = rd32(d, 0x1000 + 4 * i);
			unsigned id = e & 0xffff;
			uint32_t at = 0x1000 + (e >> 20);
			const char *want = first_reg_of(id), *name;
			int ri = reg_at(d, at, &name);

			if (want) {
				if (ri < 0 || strcmp(name, want))
					print_error("%s: entry %u (ID %u) -> 0x%x is '%s', want '%s'\n",
						    cxl_model_name(m), i, id, at, name ? name : "-", want);
				assert_true(ri >= 0);
				assert_string_equal(name, want);
			} else {
				assert_int_equal(ri, -1);
			}
		}
		dev_close(d);
	}
}

/* ------------------------------------------------------------------ */
/* 7. Decoder Count encodings                                         */
/* ------------------------------------------------------------------ */

/*
 * CXL r3.1 §8.2.4.20.1 Decoder_Count (bits 3:0): encoding 0..Ch for 1, 2,
 * 4, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32 decoders; decoder n's Control at
 * +0x20 + 0x20 * n from the structure (§8.2.4.20.7). The other capability
 * bits keep QEMU's 0x310 (qemu72-qtest.md).
 */
static void test_decoder_count_encodings(void **state)
{
	static const struct { int count; unsigned enc; } rows[] = {
		{ 1, 0x0 }, { 2, 0x1 }, { 4, 0x2 }, { 6, 0x3 }, { 8, 0x4 }, { 10, 0x5 },
		{ 12, 0x6 }, { 14, 0x7 }, { 16, 0x8 }, { 20, 0x9 }, { 24, 0xa }, { 28, 0xb },
		{ 32, 0xc },
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(rows); i++) {
		struct cxl_device *d = dev_open("qemu72-type3", "cxl-3.1", rows[i].count);
		unsigned last = (unsigned)rows[i].count - 1;
		uint32_t cap = rd32(d, HDM_CAP);
		char name[64];
		uint32_t off;
		int ri;

		assert_int_equal(cap & 0xf, rows[i].enc);
		assert_int_equal(cap & ~0xfu, 0x310);
		/* Decoder N-1's Control exists at 0x1110 + 0x10 + 0x20 (N-1) + 0x10 ... */
		assert_int_equal(DEC(last, CTRL), 0x1110 + 0x10 + 0x20 * last + 0x10);
		assert_true(cm_modelled(d, DEC(last, CTRL)));
		snprintf(name, sizeof(name), "HDM Decoder %u Control", last);
		ri = cxl_device_find_reg(d, name);
		assert_true(ri >= 0);
		assert_true(cxl_device_reg_info(d, (unsigned)ri, NULL, &off, NULL, NULL));
		assert_int_equal(off, DEC(last, CTRL));
		/* ... and holds what is written to its IG field (RWL, not committed) ... */
		wr32(d, DEC(last, CTRL), C_IG(2));
		assert_int_equal(rd32(d, DEC(last, CTRL)), C_IG(2));
		/* ... while decoder N's does not exist. */
		assert_false(cm_modelled(d, DEC(last + 1, CTRL)));
		snprintf(name, sizeof(name), "HDM Decoder %u Control", last + 1);
		assert_int_equal(cxl_device_find_reg(d, name), -1);
		rec_assert_none();
		dev_close(d);
	}
}

/* CXL r3.1 §8.2.4.20.1: counts without an encoding (3, 5, 18, 33) are rejected. */
static void test_decoder_count_rejected(void **state)
{
	static const int bad[] = { 3, 5, 7, 18, 33, -1 };

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		struct cxl_device_opts o = { .hdm_decoders = bad[i] };
		struct cxl_device *d = NULL;
		struct cxl_error err;

		memset(&err, 0, sizeof(err));
		assert_int_equal(cxl_device_create("dut", "qemu72-type3", "cxl-3.1", &o, &d, &err),
				 CXL_ERR_VALUE);
		assert_null(d);
		assert_int_equal(err.code, CXL_ERR_VALUE);
		assert_true(err.msg[0] != '\0');
	}
}

/* ------------------------------------------------------------------ */
/* 8. Global Control                                                  */
/* ------------------------------------------------------------------ */

struct gctl_row {
	const char *model, *profile;
	uint32_t write, expect;
	const char *rule;    /* the one event expected, or NULL */
	const char *field;
};

/* Writes each row's value to Global Control and checks the read-back and the one event. */
static void run_gctl_rows(const struct gctl_row *rows, unsigned nrows)
{
	for (unsigned i = 0; i < nrows; i++) {
		struct cxl_device *d = dev_open(rows[i].model, rows[i].profile, 0);

		assert_int_equal(rd32(d, HDM_GCTL), 0);     /* reset value 0 (§4.2) */
		wr32(d, HDM_GCTL, rows[i].write);
		assert_int_equal(rd32(d, HDM_GCTL), rows[i].expect);
		if (rows[i].rule) {
			rec_assert_only(rows[i].rule, -1, 1);
			rec_assert_has(rows[i].rule, -1, "HDM Decoder Global Control", rows[i].field);
		} else {
			rec_assert_none();
		}
		dev_close(d);
	}
}

/*
 * CXL r3.1 §8.2.4.20.2 (cxl-registers.md §4.2): Poison_On_Decode_Error_Enable
 * is RW, RO 0 when Capability bit 10 is 0 (QEMU's 0x310 and 0x380 have it
 * 0); HDM_Decoder_Enable is RW on devices, "not applicable" and reads 0 on
 * HB/USP; bits 31:2 RsvdP. QEMU 7.2 (D-Q4) writes both bits with mask 0x3
 * on every component type.
 */
static void test_global_control(void **state)
{
	static const struct gctl_row rows[] = {
		{ "qemu72-type3", "cxl-3.1", 0x1, 0x0, "field.ro-write", "Poison_On_Decode_Error_Enable" },
		{ "qemu72-type3", "cxl-3.1", 0x2, 0x2, NULL, NULL },
		{ "qemu72-type3", "cxl-3.1", 0x4, 0x0, "field.rsvdp-changed", "Reserved" },
		{ "qemu72-type3", "qemu-7.2", 0x1, 0x1, NULL, NULL },   /* D-Q4 */
		{ "qemu72-type3", "qemu-7.2", 0x3, 0x3, NULL, NULL },   /* D-Q4 */
		{ "qemu72-usp", "cxl-3.1", 0x2, 0x0, "field.ro-write", "HDM_Decoder_Enable" },
		{ "qemu72-usp", "cxl-3.1", 0x1, 0x0, "field.ro-write", "Poison_On_Decode_Error_Enable" },
		{ "qemu72-hb", "cxl-3.1", 0x2, 0x0, "field.ro-write", "HDM_Decoder_Enable" },
		{ "qemu72-root-port", "cxl-3.1", 0x2, 0x0, "field.ro-write", "HDM_Decoder_Enable" },
		{ "type2-accel", "cxl-3.1", 0x2, 0x2, NULL, NULL },
		{ "type2-accel", "linux-vfio-cxl-v2", 0x3, 0x2, "field.ro-write",
		  "Poison_On_Decode_Error_Enable" },                   /* vfio-cxl-shadow.md §1.3 */
	};

	(void)state;
	run_gctl_rows(rows, ARRAY_SIZE(rows));
}

/*
 * QEMU 7.2 (cxl-registers.md D-Q4: "write_msk[...GLOBAL_CONTROL] = 0x3" on
 * every component type): HDM Decoder Enable is writable on the upstream
 * port, host bridge and root port too. The qemu-7.2 profile override names
 * HDM_Decoder_Enable once; it applies to every variant field of that name
 * (this was a specgen bug: only the device variant's field was overridden).
 */
static void test_global_control_qemu72_ports(void **state)
{
	static const struct gctl_row rows[] = {
		{ "qemu72-usp", "qemu-7.2", 0x3, 0x3, NULL, NULL },
		{ "qemu72-hb", "qemu-7.2", 0x3, 0x3, NULL, NULL },
		{ "qemu72-root-port", "qemu-7.2", 0x3, 0x3, NULL, NULL },
	};

	(void)state;
	run_gctl_rows(rows, ARRAY_SIZE(rows));
}

/* ------------------------------------------------------------------ */
/* 1. Decoder n Control, bit by bit                                   */
/* ------------------------------------------------------------------ */

struct attr_row {
	const char *field;
	unsigned access;     /* enum cxl_access */
	const char *lock;    /* the lock's name (spec/structures locks:), "none" */
};

/*
 * CXL r3.1 §8.2.4.20.7 (cxl-registers.md §4.4) with the capability 0x310 of
 * QEMU 7.2's cxl-type3: Supported_Coherency_Models (22:21) = 0, so BI is
 * RsvdP; UIO_Capable (13) = 0, so UIO is hardwired (RO) and UIG/UIW/ISP are
 * RsvdP. The RWL fields are locked by the decoder's Lock On Commit
 * (§8.2.4.20.13). Same on type2-accel (capability 0x300).
 */
static void test_ctrl_attributes(void **state)
{
	static const struct attr_row rows[] = {
		{ "IG", CXL_ACC_RWL, "decoder-control" },
		{ "IW", CXL_ACC_RWL, "decoder-control" },
		{ "Lock_On_Commit", CXL_ACC_RWL, "decoder-control" },
		{ "Commit", CXL_ACC_RWL, "decoder-control" },
		{ "Committed", CXL_ACC_RO, "none" },
		{ "Error_Not_Committed", CXL_ACC_RO, "none" },
		{ "Target_Range_Type", CXL_ACC_RWL, "decoder-control" },
		{ "BI", CXL_ACC_RSVDP, "none" },
		{ "UIO", CXL_ACC_RO, "none" },
		{ "Reserved15", CXL_ACC_RSVDP, "none" },
		{ "UIG", CXL_ACC_RSVDP, "none" },
		{ "UIW", CXL_ACC_RSVDP, "none" },
		{ "ISP", CXL_ACC_RSVDP, "none" },
		{ "Reserved28", CXL_ACC_RSVDP, "none" },
	};
	static const char *const models[] = { "qemu72-type3", "type2-accel" };

	(void)state;
	for (unsigned m = 0; m < ARRAY_SIZE(models); m++) {
		struct cxl_device *d = dev_open(models[m], "cxl-3.1", 2);

		for (unsigned n = 0; n < 2; n++) {
			char rname[64];
			int ri;
			unsigned nf;

			snprintf(rname, sizeof(rname), "HDM Decoder %u Control", n);
			ri = cxl_device_find_reg(d, rname);
			assert_true(ri >= 0);
			nf = cxl_device_reg_nfields(d, (unsigned)ri);
			assert_int_equal(nf, ARRAY_SIZE(rows));
			for (unsigned i = 0; i < ARRAY_SIZE(rows); i++) {
				const char *fname;
				const char *lock;
				unsigned lo, hi, acc;
				uint64_t reset;
				bool found = false;

				for (unsigned j = 0; j < nf; j++) {
					assert_true(cxl_device_field_info(d, (unsigned)ri, j, &fname, &lo, &hi,
									  &acc, &lock, &reset));
					if (strcmp(fname, rows[i].field))
						continue;
					found = true;
					if (acc != rows[i].access || strcmp(lock, rows[i].lock))
						print_error("%s %s.%s: %s/%s\n", models[m], rname, fname,
							    cxl_access_word(acc), lock);
					assert_int_equal(acc, rows[i].access);
					assert_string_equal(lock, rows[i].lock);
					assert_int_equal(reset, 0);     /* every Control field resets to 0 */
				}
				assert_true(found);
			}
		}
		dev_close(d);
	}
}

struct rw_row {
	const char *what;
	uint32_t write, expect;
};

/*
 * CXL r3.1 §8.2.4.20.7: IG (3:0), IW (7:4), Lock On Commit (8) and Target
 * Range Type (12) are RWL and hold what is written while the decoder is
 * not committed (no lock applies), on every decoder n; writing 0 clears
 * them again. No commit is requested, so no check runs and no event fires.
 */
static void test_ctrl_rwl_fields(void **state)
{
	static const struct rw_row rows[] = {
		{ "IG=6 (16 KiB)", C_IG(6), C_IG(6) },
		{ "IG=1 (512 B)", C_IG(1), C_IG(1) },
		{ "IW=3 (8-way)", C_IW(3), C_IW(3) },
		{ "IW=1 (2-way)", C_IW(1), C_IW(1) },
		{ "Lock_On_Commit", C_LOC, C_LOC },
		{ "Target_Range_Type", C_TRT, C_TRT },
		{ "all RWL except Commit", C_IG(6) | C_IW(3) | C_LOC | C_TRT,
		  C_IG(6) | C_IW(3) | C_LOC | C_TRT },
	};
	struct cxl_device *d = dev_open("qemu72-type3", "cxl-3.1", 4);

	(void)state;
	for (unsigned n = 0; n < 4; n++)
		for (unsigned i = 0; i < ARRAY_SIZE(rows); i++) {
			wr32(d, DEC(n, CTRL), rows[i].write);
			assert_int_equal(rd32(d, DEC(n, CTRL)), rows[i].expect);
			wr32(d, DEC(n, CTRL), 0);
			assert_int_equal(rd32(d, DEC(n, CTRL)), 0);
			rec_assert_none();
		}
	dev_close(d);
}

/*
 * CXL r3.1 §8.2.4.20.7/.12 (reference C1, C2, C7): Commit 0->1 on a decoder
 * programmed with size 0 sets Committed (bit 10) and leaves ENC clear;
 * Commit 1->0 on an unlocked decoder de-commits, clearing Committed. The
 * de-commit writes back the value read with Commit cleared (Linux
 * cxl_decoder_reset, reference §7.4), so the RO Committed bit is written
 * with its own value and nothing is reported.
 */
static void test_ctrl_commit_and_uncommit(void **state)
{
	struct cxl_device *d = dev_open("qemu72-type3", "cxl-3.1", 0);

	(void)state;
	wr32(d, DEC(0, CTRL), C_COMMIT);
	assert_int_equal(rd32(d, DEC(0, CTRL)), C_COMMIT | C_COMMITTED);
	wr32(d, DEC(0, CTRL), rd32(d, DEC(0, CTRL)) & ~C_COMMIT);
	assert_int_equal(rd32(d, DEC(0, CTRL)), 0);
	rec_assert_none();
	dev_close(d);
}

/*
 * CXL r3.1 §8.2.4.20.7: Committed (10) and Error Not Committed (11) are RO
 * and UIO (14) is hardwired when UIO_Capable = 0: writes are ignored
 * (field.ro-write note). BI (13, no coherency model advertised), bit 15,
 * UIG/UIW/ISP (no UIO) and bits 31:28 are RsvdP: the value is kept and the
 * changed write is a warning (PCIe r6.0 §7.4 RsvdP).
 */
static void test_ctrl_ro_and_reserved_bits(void **state)
{
	static const struct { uint32_t bits; const char *rule, *field; } rows[] = {
		{ C_COMMITTED, "field.ro-write", "Committed" },
		{ C_ENC, "field.ro-write", "Error_Not_Committed" },
		{ C_UIO, "field.ro-write", "UIO" },
		{ C_BI, "field.rsvdp-changed", "BI" },
		{ 1u << 15, "field.rsvdp-changed", "Reserved15" },
		{ 0xfu << 16, "field.rsvdp-changed", "UIG" },
		{ 0xfu << 20, "field.rsvdp-changed", "UIW" },
		{ 0xfu << 24, "field.rsvdp-changed", "ISP" },
		{ 0xfu << 28, "field.rsvdp-changed", "Reserved28" },
	};
	struct cxl_device *d = dev_open("qemu72-type3", "cxl-3.1", 0);

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(rows); i++) {
		unsigned sev = !strcmp(rows[i].rule, "field.ro-write") ? CXL_SEV_NOTE : CXL_SEV_WARNING;

		rec_clear();
		wr32(d, DEC(0, CTRL), rows[i].bits);
		assert_int_equal(rd32(d, DEC(0, CTRL)), 0);
		rec_assert_only(rows[i].rule, (int)sev, 1);
		rec_assert_has(rows[i].rule, (int)sev, "HDM Decoder 0 Control", rows[i].field);
	}
	dev_close(d);
}

/*
 * CXL r3.1 §8.2.4.20.7: on a committed decoder, Committed stays 1 when a
 * write carries 0 in bit 10 (RO), and writing back the value read is no
 * event at all.
 */
static void test_ctrl_committed_ro_when_set(void **state)
{
	struct cxl_device *d = dev_open("qemu72-type3", "cxl-3.1", 0);

	(void)state;
	wr32(d, DEC(0, CTRL), C_COMMIT);
	rec_clear();
	wr32(d, DEC(0, CTRL), C_COMMIT);           /* Committed written as 0 */
	assert_int_equal(rd32(d, DEC(0, CTRL)), C_COMMIT | C_COMMITTED);
	rec_assert_only("field.ro-write", CXL_SEV_NOTE, 1);
	rec_assert_has("field.ro-write", -1, "HDM Decoder 0 Control", "Committed");
	rec_clear();
	wr32(d, DEC(0, CTRL), C_COMMIT | C_COMMITTED);  /* the value read */
	assert_int_equal(rd32(d, DEC(0, CTRL)), C_COMMIT | C_COMMITTED);
	rec_assert_none();
	dev_close(d);
}

/*
 * CXL r3.1 §8.2.4.20.3/.5/.9: bits 27:0 of Base Low, Size Low and DPA Skip
 * Low are RsvdP, so only multiples of 256 MiB are held (QEMU 7.2 measured:
 * Base Low <- 0x12345678 reads 0x10000000).
 */
static void test_low_registers_reserved_bits(void **state)
{
	static const uint32_t regs[] = { BASE_LO, SIZE_LO, SKIP_LO };
	struct cxl_device *d = dev_open("qemu72-type3", "cxl-3.1", 0);

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(regs); i++) {
		rec_clear();
		wr32(d, DEC(0, regs[i]), 0x12345678);
		assert_int_equal(rd32(d, DEC(0, regs[i])), 0x10000000);
		rec_assert_only("field.rsvdp-changed", CXL_SEV_WARNING, 1);
	}
	/* The High halves are 32-bit RWL fields. */
	wr32(d, DEC(0, BASE_HI), 0xfedcba98);
	assert_int_equal(rd32(d, DEC(0, BASE_HI)), 0xfedcba98);
	dev_close(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_global_control_qemu72_ports),
		cmocka_unit_test(test_cap_array_qemu72_type3),
		cmocka_unit_test(test_cap_array_pointers_all_models),
		cmocka_unit_test(test_decoder_count_encodings),
		cmocka_unit_test(test_decoder_count_rejected),
		cmocka_unit_test(test_global_control),
		cmocka_unit_test(test_ctrl_attributes),
		cmocka_unit_test(test_ctrl_rwl_fields),
		cmocka_unit_test(test_ctrl_commit_and_uncommit),
		cmocka_unit_test(test_ctrl_ro_and_reserved_bits),
		cmocka_unit_test(test_ctrl_committed_ro_when_set),
		cmocka_unit_test(test_low_registers_reserved_bits),
	};

	return cmocka_run_group_tests_name("hdm-regs", tests, NULL, dev_close_all);
}
