/* SPDX-License-Identifier: MIT */
/*
 * test_hdm_lock.c - Decoder Protection (Lock On Commit, CXL r3.1
 * §8.2.4.20.13), decoder state across resets, and the profiles that
 * diverge from the spec: qemu-7.2 (measured, qemu72-qtest.md) and
 * linux-vfio-cxl-v2 (vfio-cxl-shadow.md §1.3).
 *
 * Reference: the reference note cxl-registers.md §5.2 ("LOC=1 and
 * Committed=1: all RWL fields of Decoder n ... are read-only until reset").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"

#define B0 UINT64_C(0x100000000)        /* 4 GiB */

/* Decoder n's registers +0x00..+0x18 (+0x1c is reserved): Base, Size, Control, Skip or TL. */
static const uint32_t dec_regs[] = { BASE_LO, BASE_HI, SIZE_LO, SIZE_HI, CTRL, 0x14, 0x18 };

static void snapshot(struct cxl_device *d, unsigned n, uint32_t *v)
{
	for (unsigned i = 0; i < ARRAY_SIZE(dec_regs); i++)
		v[i] = rd32(d, DEC(n, dec_regs[i]));
}

static void assert_snapshot(struct cxl_device *d, unsigned n, const uint32_t *v)
{
	for (unsigned i = 0; i < ARRAY_SIZE(dec_regs); i++)
		assert_int_equal(rd32(d, DEC(n, dec_regs[i])), v[i]);
}

/* Decoder @n at @base, 256 MiB, committed with Lock On Commit. */
static void lock_decoder(struct cxl_device *d, unsigned n, uint64_t base)
{
	dec_program(d, n, base, SZ_256M);
	wr32(d, DEC(n, CTRL), C_LOC | C_COMMIT);
	assert_int_equal(rd32(d, DEC(n, CTRL)), C_LOC | C_COMMIT | C_COMMITTED);
}

/* ------------------------------------------------------------------ */
/* 3. Lock On Commit on every register of a decoder                   */
/* ------------------------------------------------------------------ */

struct lock_row {
	const char *model;
	uint32_t reg, value;
	const char *regname, *field;
};

/*
 * CXL r3.1 §8.2.4.20.13 (reference §5.2): with Lock On Commit and Committed
 * set, every RWL field of the decoder is read-only until reset: Base
 * Low/High, Size Low/High, Control (clearing Commit, clearing LOC, IG, IW,
 * TRT), DPA Skip Low/High (devices, §8.2.4.20.9-.10) or Target List
 * Low/High (ports, §8.2.4.20.8). Each dropped change is an
 * hdm.locked-write error; writing the value held is no event.
 */
static void test_loc_every_register(void **state)
{
	static const struct lock_row rows[] = {
		{ "qemu72-type3", BASE_LO, 0x20000000, "HDM Decoder 0 Base Low", "Memory_Base_Low" },
		{ "qemu72-type3", BASE_HI, 0x2, "HDM Decoder 0 Base High", "Memory_Base_High" },
		{ "qemu72-type3", SIZE_LO, 0x20000000, "HDM Decoder 0 Size Low", "Memory_Size_Low" },
		{ "qemu72-type3", SIZE_HI, 0x1, "HDM Decoder 0 Size High", "Memory_Size_High" },
		{ "qemu72-type3", SKIP_LO, 0x10000000, "HDM Decoder 0 DPA Skip Low", "DPA_Skip_Low" },
		{ "qemu72-type3", SKIP_HI, 0x1, "HDM Decoder 0 DPA Skip High", "DPA_Skip_High" },
		{ "qemu72-type3", CTRL, C_LOC | C_COMMITTED, "HDM Decoder 0 Control", "Commit" },
		{ "qemu72-type3", CTRL, C_COMMIT | C_COMMITTED, "HDM Decoder 0 Control", "Lock_On_Commit" },
		{ "qemu72-type3", CTRL, C_IG(1) | C_LOC | C_COMMIT | C_COMMITTED, "HDM Decoder 0 Control", "IG" },
		{ "qemu72-type3", CTRL, C_IW(1) | C_LOC | C_COMMIT | C_COMMITTED, "HDM Decoder 0 Control", "IW" },
		{ "qemu72-type3", CTRL, C_TRT | C_LOC | C_COMMIT | C_COMMITTED, "HDM Decoder 0 Control",
		  "Target_Range_Type" },
		{ "type2-accel", SKIP_LO, 0x10000000, "HDM Decoder 0 DPA Skip Low", "DPA_Skip_Low" },
		{ "type2-accel", CTRL, C_LOC | C_COMMITTED, "HDM Decoder 0 Control", "Commit" },
		{ "qemu72-usp", BASE_LO, 0x20000000, "HDM Decoder 0 Base Low", "Memory_Base_Low" },
		{ "qemu72-usp", SIZE_HI, 0x1, "HDM Decoder 0 Size High", "Memory_Size_High" },
		{ "qemu72-usp", TL_LO, 0x00000100, "HDM Decoder 0 Target List Low",
		  "Target_Port_Identifier_Way1" },
		{ "qemu72-usp", TL_HI, 0x07000000, "HDM Decoder 0 Target List High",
		  "Target_Port_Identifier_Way7" },
		{ "qemu72-usp", CTRL, C_COMMIT | C_COMMITTED, "HDM Decoder 0 Control", "Lock_On_Commit" },
		{ "qemu72-hb", TL_LO, 0x00000100, "HDM Decoder 0 Target List Low",
		  "Target_Port_Identifier_Way1" },
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(rows); i++) {
		struct cxl_device *d = dev_open(rows[i].model, "cxl-3.1", 0);
		uint32_t snap[ARRAY_SIZE(dec_regs)];

		lock_decoder(d, 0, B0);
		snapshot(d, 0, snap);
		rec_clear();
		wr32(d, DEC(0, rows[i].reg), rows[i].value);
		assert_snapshot(d, 0, snap);
		rec_assert_only("hdm.locked-write", CXL_SEV_ERROR, 1);
		rec_assert_has("hdm.locked-write", CXL_SEV_ERROR, rows[i].regname, rows[i].field);
		/* Writing back what the register holds is not an event. */
		rec_clear();
		for (unsigned k = 0; k < ARRAY_SIZE(dec_regs); k++)
			wr32(d, DEC(0, dec_regs[k]), snap[k]);
		rec_assert_none();
		dev_close(d);
	}
}

/*
 * CXL r3.1 §8.2.4.20.13: Control <- 0 on a locked decoder drops both the
 * Commit and the LOC change (two hdm.locked-write errors); the Committed 0
 * lands on an RO field (field.ro-write note). The decoder stays committed.
 */
static void test_loc_control_zero(void **state)
{
	struct cxl_device *d = dev_open("qemu72-type3", "cxl-3.1", 0);

	(void)state;
	lock_decoder(d, 0, B0);
	rec_clear();
	wr32(d, DEC(0, CTRL), 0);
	assert_int_equal(rd32(d, DEC(0, CTRL)), C_LOC | C_COMMIT | C_COMMITTED);
	assert_int_equal(rec.n, 3);
	assert_int_equal(rec_count("hdm.locked-write", CXL_SEV_ERROR), 2);
	rec_assert_has("hdm.locked-write", -1, "HDM Decoder 0 Control", "Commit");
	rec_assert_has("hdm.locked-write", -1, "HDM Decoder 0 Control", "Lock_On_Commit");
	assert_int_equal(rec_count("field.ro-write", CXL_SEV_NOTE), 1);
	dev_close(d);
}

/*
 * CXL r3.1 §8.2.4.20.13: the lock needs Committed. Lock On Commit set with
 * a failed commit (ENC) or with no commit yet does not lock: every register
 * of the decoder stays writable, without events.
 */
static void test_loc_without_committed_does_not_lock(void **state)
{
	static const uint32_t writes[][2] = {
		{ BASE_LO, 0x30000000 }, { BASE_HI, 0x3 }, { SIZE_LO, 0x30000000 },
		{ SIZE_HI, 0x3 }, { SKIP_LO, 0x30000000 }, { SKIP_HI, 0x3 },
	};
	struct cxl_device *d = dev_open("qemu72-type3", "cxl-3.1", 2);

	(void)state;
	/* Decoder 1: Lock On Commit, commit fails (decoder 0 not committed: C4e). */
	dec_program(d, 1, B0, SZ_256M);
	wr32(d, DEC(1, CTRL), C_LOC | C_COMMIT);
	assert_int_equal(rd32(d, DEC(1, CTRL)), C_LOC | C_COMMIT | C_ENC);
	/* Decoder 0: Lock On Commit, never committed. */
	wr32(d, DEC(0, CTRL), C_LOC);
	rec_clear();
	for (unsigned n = 0; n < 2; n++) {
		for (unsigned i = 0; i < ARRAY_SIZE(writes); i++) {
			wr32(d, DEC(n, writes[i][0]), writes[i][1]);
			assert_int_equal(rd32(d, DEC(n, writes[i][0])), writes[i][1]);
		}
	}
	wr32(d, DEC(1, CTRL), C_IG(3) | C_LOC | C_COMMIT | C_ENC);
	assert_int_equal(rd32(d, DEC(1, CTRL)), C_IG(3) | C_LOC | C_COMMIT | C_ENC);
	wr32(d, DEC(0, CTRL), C_IG(3));                 /* LOC can be cleared again */
	assert_int_equal(rd32(d, DEC(0, CTRL)), C_IG(3));
	rec_assert_none();
	dev_close(d);
}

/*
 * CXL r3.1 §8.2.4.20.13 locks "Decoder n" only: with decoder 0 locked,
 * decoders 1..3 are programmed, committed (in order, §8.2.4.20.12) and
 * de-committed freely.
 */
static void test_loc_other_decoders_writable(void **state)
{
	struct cxl_device *d = dev_open("qemu72-type3", "cxl-3.1", 4);

	(void)state;
	lock_decoder(d, 0, B0);
	rec_clear();
	for (unsigned n = 1; n < 4; n++) {
		dec_program(d, n, B0 + n * SZ_256M, SZ_256M);
		wr32(d, DEC(n, SKIP_LO), 0x10000000);
		assert_int_equal(rd32(d, DEC(n, SKIP_LO)), 0x10000000);
		wr32(d, DEC(n, CTRL), C_COMMIT);
		assert_int_equal(rd32(d, DEC(n, CTRL)), C_COMMIT | C_COMMITTED);
	}
	for (unsigned n = 3; n >= 1; n--) {
		wr32(d, DEC(n, CTRL), rd32(d, DEC(n, CTRL)) & ~C_COMMIT);
		assert_int_equal(rd32(d, DEC(n, CTRL)), 0);
		dec_program(d, n, 0, 0);
		assert_int_equal(rd32(d, DEC(n, BASE_HI)), 0);
	}
	rec_assert_none();
	assert_int_equal(rd32(d, DEC(0, CTRL)), C_LOC | C_COMMIT | C_COMMITTED);
	dev_close(d);
}

/* ------------------------------------------------------------------ */
/* 6. Resets and Lock On Commit                                       */
/* ------------------------------------------------------------------ */

/*
 * Which resets clear a committed, locked decoder: §8.2.4.20.13 says the
 * fields stay read-only "until reset"; spec/structures/hdm-decoder.yaml
 * documents the choice for the reset kinds the spec leaves open
 * (cxl-registers.md §5.2, §11.3): every Conventional Reset (cold, warm,
 * hot) and CXL Reset (§9.7: CXL.mem state, decoders included) return the
 * registers to their reset values (0; Capability keeps its HwInit value);
 * FLR leaves CXL.mem state alone (§9.5).
 */
static void test_resets_vs_loc(void **state)
{
	static const struct { unsigned kind; const char *name; bool clears; } rows[] = {
		{ CXL_RESET_CONVENTIONAL, "conventional", true },
		{ CXL_RESET_COLD, "cold", true },
		{ CXL_RESET_WARM, "warm", true },
		{ CXL_RESET_HOT, "hot", true },
		{ CXL_RESET_FLR, "flr", false },
		{ CXL_RESET_CXL, "cxl", true },
	};
	static const char *const models[] = { "qemu72-type3", "qemu72-usp" };

	(void)state;
	for (unsigned m = 0; m < ARRAY_SIZE(models); m++)
		for (unsigned i = 0; i < ARRAY_SIZE(rows); i++) {
			struct cxl_device *d = dev_open(models[m], "cxl-3.1", 2);
			bool port = !strcmp(models[m], "qemu72-usp");
			uint32_t snap[ARRAY_SIZE(dec_regs)], cap = rd32(d, HDM_CAP), gctl;

			/* 2 decoders: Decoder_Count encoding 1 (§8.2.4.20.1). */
			assert_int_equal(cap, port ? 0x381 : 0x311);
			wr32(d, HDM_GCTL, 0x2);
			gctl = rd32(d, HDM_GCTL);
			assert_int_equal(gctl, port ? 0 : 0x2);     /* §8.2.4.20.2 */
			dec_program(d, 0, B0, SZ_256M);
			wr32(d, DEC(0, 0x14), port ? 0x00000001 : 0x10000000);
			wr32(d, DEC(0, 0x18), 0x1);
			wr32(d, DEC(0, CTRL), C_IG(1) | C_TRT | C_LOC | C_COMMIT);
			assert_int_equal(rd32(d, DEC(0, CTRL)),
					 C_IG(1) | C_TRT | C_LOC | C_COMMIT | C_COMMITTED);
			snapshot(d, 0, snap);
			rec_clear();
			cxl_device_reset(d, rows[i].kind);
			rec_assert_none();
			assert_int_equal(rd32(d, HDM_CAP), cap);
			if (rows[i].clears) {
				for (unsigned k = 0; k < ARRAY_SIZE(dec_regs); k++)
					assert_int_equal(rd32(d, DEC(0, dec_regs[k])), 0);
				assert_int_equal(rd32(d, HDM_GCTL), 0);
				/* Unlocked again: a write lands without an event. */
				wr32(d, DEC(0, BASE_LO), 0x20000000);
				assert_int_equal(rd32(d, DEC(0, BASE_LO)), 0x20000000);
				rec_assert_none();
			} else {
				assert_snapshot(d, 0, snap);
				assert_int_equal(rd32(d, HDM_GCTL), gctl);
				/* Still locked. */
				wr32(d, DEC(0, BASE_LO), 0x20000000);
				assert_int_equal(rd32(d, DEC(0, BASE_LO)), snap[0]);
				rec_assert_only("hdm.locked-write", CXL_SEV_ERROR, 1);
			}
			dev_close(d);
		}
}

/* ------------------------------------------------------------------ */
/* 10. Profiles                                                       */
/* ------------------------------------------------------------------ */

/*
 * QEMU 7.2 cxl-type3 measured through qtest (qemu72-qtest.md, "Behaviour
 * observed"), reproduced exactly under the qemu-7.2 profile:
 *   Base Low <- 0x12345678            reads 0x10000000
 *   Base High <- 1, Size 0, Control <- 0x300 (Commit, LOC)
 *                                     Control reads 0x500 (Committed, LOC)
 *   then Base Low <- 0                reads 0 (the write landed: D-Q2)
 *   then Control <- 0                 reads 0x400 (Committed stays, LOC cleared)
 * No locked-write and no commit check (D-Q1, D-Q2).
 */
static void test_qemu72_qtest_rows(void **state)
{
	struct cxl_device *d = dev_open("qemu72-type3", "qemu-7.2", 0);

	(void)state;
	wr32(d, DEC(0, BASE_LO), 0x12345678);
	assert_int_equal(rd32(d, DEC(0, BASE_LO)), 0x10000000);
	wr32(d, DEC(0, BASE_HI), 1);
	wr32(d, DEC(0, SIZE_LO), 0);
	wr32(d, DEC(0, SIZE_HI), 0);
	wr32(d, DEC(0, CTRL), 0x300);
	assert_int_equal(rd32(d, DEC(0, CTRL)), 0x500);
	wr32(d, DEC(0, BASE_LO), 0);
	assert_int_equal(rd32(d, DEC(0, BASE_LO)), 0);
	wr32(d, DEC(0, CTRL), 0);
	assert_int_equal(rd32(d, DEC(0, CTRL)), 0x400);
	assert_int_equal(rec_count("hdm.locked-write", -1), 0);
	assert_int_equal(rec_count("field.rwl-locked", -1), 0);
	for (unsigned i = 0; i < rec.n; i++)
		assert_int_not_equal(rec.ev[i].severity, CXL_SEV_ERROR);
	dev_close(d);
}

/*
 * The Linux 6.1 guest on QEMU 7.2 (traces/real/1ep.log.gz, endpoint
 * decoder 0): Control <- 0x1000 reads 0x1000; Base/Size programmed;
 * Control <- 0x1200 (Commit, TRT) reads 0x1400 (Committed, TRT).
 */
static void test_qemu72_linux_commit(void **state)
{
	struct cxl_device *d = dev_open("qemu72-type3", "qemu-7.2", 0);

	(void)state;
	assert_int_equal(rd32(d, DEC(0, CTRL)), 0);
	wr32(d, DEC(0, CTRL), 0x1000);
	assert_int_equal(rd32(d, DEC(0, CTRL)), 0x1000);
	wr32(d, DEC(0, BASE_HI), 0x2);
	wr32(d, DEC(0, BASE_LO), 0x10000000);
	wr32(d, DEC(0, SIZE_HI), 0);
	wr32(d, DEC(0, SIZE_LO), 0x10000000);
	wr32(d, DEC(0, SKIP_HI), 0);
	wr32(d, DEC(0, SKIP_LO), 0);
	wr32(d, DEC(0, CTRL), 0x1200);
	assert_int_equal(rd32(d, DEC(0, CTRL)), 0x1400);
	rec_assert_none();
	dev_close(d);
}

/*
 * QEMU 7.2 (cxl-registers.md D-Q1, D-Q2, D-Q3): no commit checks (decoder
 * 1 out of order, overlapping, reserved IG, with LOC: committed, ENC never
 * set), LOC not enforced (every register still writable after), and every
 * Control write with Commit = 1 commits again.
 */
static void test_qemu72_no_checks_no_lock(void **state)
{
	struct cxl_device *d = dev_open("qemu72-type3", "qemu-7.2", 2);

	(void)state;
	dec_program(d, 0, B0, SZ_256M);
	dec_program(d, 1, B0, SZ_256M);
	wr32(d, DEC(1, CTRL), C_IG(7) | C_LOC | C_COMMIT);
	assert_int_equal(rd32(d, DEC(1, CTRL)), C_IG(7) | C_LOC | C_COMMITTED);
	rec_assert_none();
	for (unsigned i = 0; i < ARRAY_SIZE(dec_regs); i++) {
		uint32_t v = dec_regs[i] == CTRL ? C_IG(2) | C_LOC | C_COMMITTED : 0x70000000;

		wr32(d, DEC(1, dec_regs[i]), v);
		assert_int_equal(rd32(d, DEC(1, dec_regs[i])), v);
	}
	assert_int_equal(rec_count("hdm.locked-write", -1), 0);
	/* Re-commit (D-Q3): Commit = 1 again on a committed decoder. */
	rec_clear();
	wr32(d, DEC(1, CTRL), C_IG(2) | C_LOC | C_COMMIT | C_COMMITTED);
	assert_int_equal(rd32(d, DEC(1, CTRL)), C_IG(2) | C_LOC | C_COMMITTED);
	rec_assert_none();
	dev_close(d);
}

/*
 * linux-vfio-cxl-v2 shadow (vfio-cxl-shadow.md §1.3, hdm_decoder_n_ctrl_write
 * and the per-register table): LOCK (bit 8) freezes Base/Size/Control as
 * soon as it is set, committed or not; a Control write with LOCK = 1 while
 * locked is ignored entirely.
 */
static void test_vfio_loc_bit_freezes(void **state)
{
	static const uint32_t regs[] = { BASE_LO, BASE_HI, SIZE_LO, SIZE_HI };
	struct cxl_device *d = dev_open("type2-accel", "linux-vfio-cxl-v2", 0);

	(void)state;
	dec_program(d, 0, B0, SZ_256M);
	wr32(d, DEC(0, CTRL), C_IG(2) | C_LOC);
	assert_int_equal(rd32(d, DEC(0, CTRL)), C_IG(2) | C_LOC);
	rec_clear();
	for (unsigned i = 0; i < ARRAY_SIZE(regs); i++) {
		uint32_t before = rd32(d, DEC(0, regs[i]));

		wr32(d, DEC(0, regs[i]), before ^ 0x30000000);
		assert_int_equal(rd32(d, DEC(0, regs[i])), before);
	}
	assert_int_equal(rec_count("hdm.locked-write", CXL_SEV_ERROR), ARRAY_SIZE(regs));
	wr32(d, DEC(0, CTRL), C_IG(5) | C_IW(1) | C_LOC | C_COMMIT);
	assert_int_equal(rd32(d, DEC(0, CTRL)), C_IG(2) | C_LOC);
	dev_close(d);
}

/*
 * linux-vfio-cxl-v2 (§1.3, "the LOCK->0 reprogram path"): a Control write with
 * bit 8 = 0 on a locked decoder clears LOCK and ignores every other bit it
 * carries, here after Commit + LOCK in one write (Commit and Committed
 * stay); the decoder is writable again afterwards.
 */
static void test_vfio_lock_clear_path(void **state)
{
	struct cxl_device *d = dev_open("type2-accel", "linux-vfio-cxl-v2", 0);

	(void)state;
	dec_program(d, 0, B0, SZ_256M);
	wr32(d, DEC(0, CTRL), C_IG(2) | C_LOC | C_COMMIT);
	assert_int_equal(rd32(d, DEC(0, CTRL)), C_IG(2) | C_LOC | C_COMMIT | C_COMMITTED);
	wr32(d, DEC(0, CTRL), C_IG(5) | C_IW(1));       /* LOCK 0, Commit 0, other bits */
	assert_int_equal(rd32(d, DEC(0, CTRL)), C_IG(2) | C_COMMIT | C_COMMITTED);
	wr32(d, DEC(0, BASE_HI), 0x7);
	assert_int_equal(rd32(d, DEC(0, BASE_HI)), 0x7);
	assert_int_equal(rec_count("hdm.locked-write", -1), 0);
	dev_close(d);
}

/*
 * linux-vfio-cxl-v2 (§1.3): COMMIT mirrors into COMMITTED in the same write
 * with no checks (decoder 1 first, overlapping decoder 0, LOCK set) and
 * ERR_NOT_COMMITTED is never set; clearing COMMIT on an unlocked decoder
 * clears COMMITTED.
 */
static void test_vfio_commit_mirrors(void **state)
{
	struct cxl_device *d = dev_open("type2-accel", "linux-vfio-cxl-v2", 2);

	(void)state;
	dec_program(d, 0, B0, SZ_256M);
	dec_program(d, 1, B0, SZ_256M);
	wr32(d, DEC(1, CTRL), C_LOC | C_COMMIT);
	assert_int_equal(rd32(d, DEC(1, CTRL)), C_LOC | C_COMMIT | C_COMMITTED);
	wr32(d, DEC(0, CTRL), C_COMMIT);
	assert_int_equal(rd32(d, DEC(0, CTRL)), C_COMMIT | C_COMMITTED);
	wr32(d, DEC(0, CTRL), rd32(d, DEC(0, CTRL)) & ~C_COMMIT);
	assert_int_equal(rd32(d, DEC(0, CTRL)), 0);
	rec_assert_none();
	dev_close(d);
}

/*
 * linux-vfio-cxl-v2 (§1.3): DPA Skip (device) and Target List (port) writes
 * are dropped; Target Range Type (bit 12) is read-only on devices; Global
 * Control bit 0 is forced 0 without capability bit 10, bit 1 writable.
 */
static void test_vfio_dropped_registers(void **state)
{
	struct cxl_device *d = dev_open("type2-accel", "linux-vfio-cxl-v2", 0);
	struct cxl_device *p = dev_open("qemu72-usp", "linux-vfio-cxl-v2", 0);

	(void)state;
	wr32(d, DEC(0, SKIP_LO), 0x10000000);
	wr32(d, DEC(0, SKIP_HI), 0x1);
	assert_int_equal(rd32(d, DEC(0, SKIP_LO)), 0);
	assert_int_equal(rd32(d, DEC(0, SKIP_HI)), 0);
	wr32(d, DEC(0, CTRL), C_TRT);
	assert_int_equal(rd32(d, DEC(0, CTRL)), 0);
	wr32(d, HDM_GCTL, 0x3);
	assert_int_equal(rd32(d, HDM_GCTL), 0x2);
	wr32(p, DEC(0, TL_LO), 0x00000100);
	wr32(p, DEC(0, TL_HI), 0x07060504);
	assert_int_equal(rd32(p, DEC(0, TL_LO)), 0);
	assert_int_equal(rd32(p, DEC(0, TL_HI)), 0);
	assert_int_equal(rec_count("hdm.locked-write", -1), 0);
	dev_close(p);
	dev_close(d);
}

/*
 * linux-vfio-cxl-v3 (vfio-cxl-shadow.md §1.4, cxl_passthrough_hdm_rw): "CTRL: if (cur &
 * COMMITTED) only COMMIT toggle honoured", next = (cur & ~COMMIT) | (val & COMMIT); before
 * that the write is stored with COMMITTED following COMMIT. So a committed decoder keeps its
 * Interleave Granularity/Ways whatever is written with Commit still 1.
 */
static void test_vfio_v3_committed_control_frozen(void **state)
{
	struct cxl_device *d = dev_open("type2-accel", "linux-vfio-cxl-v3", 0);

	(void)state;
	dec_program(d, 0, B0, SZ_256M);
	wr32(d, DEC(0, CTRL), C_COMMIT);
	assert_int_equal(rd32(d, DEC(0, CTRL)), C_COMMIT | C_COMMITTED);
	rec_clear();
	wr32(d, DEC(0, CTRL), C_COMMIT | C_IW(1) | C_IG(1));
	assert_int_equal(rd32(d, DEC(0, CTRL)), C_COMMIT | C_COMMITTED);
	dev_close(d);
}

/*
 * linux-vfio-cxl-v3 (vfio-cxl-shadow.md §1.4): "BASE/SIZE: if (ctrl & (COMMITTED |
 * LOCK_ON_COMMIT)) return; shadow = val": stored raw (reserved bits included: "no
 * reserved-bit clearing") while the decoder is not committed, dropped once it is.
 */
static void test_vfio_v3_size_raw_until_commit(void **state)
{
	struct cxl_device *d = dev_open("type2-accel", "linux-vfio-cxl-v3", 0);

	(void)state;
	wr32(d, DEC(0, SIZE_LO), 0x10000001);
	assert_int_equal(rd32(d, DEC(0, SIZE_LO)), 0x10000001);
	wr32(d, DEC(0, CTRL), C_COMMIT);
	wr32(d, DEC(0, SIZE_LO), 0x20000002);
	assert_int_equal(rd32(d, DEC(0, SIZE_LO)), 0x10000001);
	dev_close(d);
}

/*
 * linux-vfio-cxl-v4 (vfio-cxl-shadow.md §1.5: "absorb writes without forwarding them to
 * hardware ... reads return the live registers"): every HDM decoder register write is dropped;
 * the registers keep their power-on 0.
 */
static void test_vfio_v4_hdm_absorbed(void **state)
{
	static const uint32_t regs[] = { HDM_GCTL, DEC(0, BASE_LO), DEC(0, BASE_HI),
					 DEC(0, SIZE_LO), DEC(0, SIZE_HI), DEC(0, CTRL),
					 DEC(0, SKIP_LO), DEC(0, SKIP_HI) };
	struct cxl_device *d = dev_open("type2-accel", "linux-vfio-cxl-v4", 0);

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(regs); i++) {
		wr32(d, regs[i], 0x10000001);
		assert_int_equal(rd32(d, regs[i]), 0);
	}
	dev_close(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loc_every_register),
		cmocka_unit_test(test_loc_control_zero),
		cmocka_unit_test(test_loc_without_committed_does_not_lock),
		cmocka_unit_test(test_loc_other_decoders_writable),
		cmocka_unit_test(test_resets_vs_loc),
		cmocka_unit_test(test_qemu72_qtest_rows),
		cmocka_unit_test(test_qemu72_linux_commit),
		cmocka_unit_test(test_qemu72_no_checks_no_lock),
		cmocka_unit_test(test_vfio_loc_bit_freezes),
		cmocka_unit_test(test_vfio_lock_clear_path),
		cmocka_unit_test(test_vfio_commit_mirrors),
		cmocka_unit_test(test_vfio_dropped_registers),
		cmocka_unit_test(test_vfio_v3_committed_control_frozen),
		cmocka_unit_test(test_vfio_v3_size_raw_until_commit),
		cmocka_unit_test(test_vfio_v4_hdm_absorbed),
	};

	return cmocka_run_group_tests_name("hdm-lock", tests, NULL, dev_close_all);
}
