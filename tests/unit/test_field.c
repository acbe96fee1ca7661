/* SPDX-License-Identifier: MIT */
/*
 * test_field.c - the field-policy engine (emu/core/field.c) attribute by
 * attribute, the access shapes of emu/core/access.c (config space: PCIe r6.0
 * §7.2.2; component registers: CXL r3.1 §8.2.2), read checking
 * (read.mismatch), cxl_device_create() errors and the state hash.
 *
 * Where the expected values come from (not from spec/, issue 15):
 * - reset/power-on values: measured on Debian 12's QEMU 7.2.22 cxl-type3
 *   (tests/unit/data/qemu72-power-on.yaml, cxlemu record --target qemu;
 *   also the reference note qemu72-qtest.md "Initial DVSEC values"):
 *   DVSEC at 0x100 with Header 1 0x03811e98, Capability 0x001e, Control
 *   0x0002, Status2 0x0002, Range 1 Size Low 0x1000004b; Register Block 0
 *   Offset Low 0x100; CXL Capability Header 0x03110001; RAS UE Mask and
 *   Severity 0x1cfff, CE Mask 0x7f, RAS Capability/Control 0 (not the
 *   0x200 a source reading gave, cxl-registers.md D-Q10); HDM Capability
 *   0x310;
 * - what a write does to a field: its attribute in the CXL r3.1 register
 *   definition cited at each case (§8.1.3.x DVSEC for CXL Devices,
 *   §8.2.4.17.x RAS, §8.2.4.20.x HDM) with the attribute semantics of
 *   PCIe r6.0 §7.4 (RO, HwInit, RW, RWS, RW1C, RW1CS, RWO, RsvdP, RsvdZ) and
 *   CXL r3.1 §8.1.3.6 (RWL under CONFIG_LOCK);
 * - which rule and severity fires: the rule's definition (cited per case;
 *   the rule ids are cxlemu's own vocabulary).
 * The device is qemu72-type3 under cxl-3.1 unless a case says otherwise.
 *
 * Two cases cannot be reached through the public API alone (white-box
 * through core_priv.h, see the tests): no structure declares a plain
 * (non-sticky) RW1C field (test_rw1c_nonsticky patches one field's
 * effective attribute), and the only status bits the API can set (RAS, by
 * injection) sit in registers without writable fields, so
 * field.rw1c-clobber needs a planted DVSEC Viral_Status (test_rw1c_clobber).
 */
#include <string.h>

#include "harness.h"
#include "core_priv.h"

#define M "qemu72-type3"

static const char *reg_lock = "DVSEC CXL Lock";

/*
 * RO and HwInit (PCIe r6.0 §7.4; CXL r3.1 §8.1.3.1, §8.1.3.8.2, §8.1.9.1,
 * §8.2.4.1, §8.2.4.20.1): a write never changes the field; field.ro-write
 * (note) is reported once per field whose value the write would change, and
 * nothing when the written value equals the current one.
 */
static void test_ro_hwinit(void **state)
{
	static const struct wcase c[] = {
		{ "RO Capability rewritten with its value", CFG, DV_CAP, 2, 0x001e, NO_RULE, 0, NULL,
		  0, 0, 0x001e },
		{ "RO Capability.HDM_Count 01b -> 11b", CFG, DV_CAP, 2, 0x003e,
		  CXL_RULE_FIELD_RO_WRITE, 1, "HDM_Count", 0, 0, 0x001e },
		{ "HwInit Capability.CXL_Reset_Mem_Clr_Capable", CFG, DV_CAP, 2, 0x081e,
		  CXL_RULE_FIELD_RO_WRITE, 1, "CXL_Reset_Mem_Clr_Capable", 0, 0, 0x001e },
		{ "RO DVSEC Header 1 cleared (vendor, revision, length)", CFG, DV_HDR1, 4, 0,
		  CXL_RULE_FIELD_RO_WRITE, 3, "DVSEC_Vendor_ID", 0, 0, 0x03811e98 },
		{ "RO Range 1 Size Low rewritten with its value", CFG, DV_R1_SIZE_LO, 4, 0x1000004b,
		  NO_RULE, 0, NULL, 0, 0, 0x1000004b },
		{ "RO Range 1 Size Low.Memory_Size_Low 1 -> 2", CFG, DV_R1_SIZE_LO, 4, 0x2000004b,
		  CXL_RULE_FIELD_RO_WRITE, 1, "Memory_Size_Low", 0, 0, 0x1000004b },
		{ "HwInit Register Block 0 Offset Low rewritten", CFG, 0x144, 4, 0x00000100, NO_RULE, 0,
		  NULL, 0, 0, 0x00000100 },
		{ "HwInit Register Block 0 Offset Low changed", CFG, 0x144, 4, 0x00010100,
		  CXL_RULE_FIELD_RO_WRITE, 1, "Register_Block_Offset_Low", 0, 0, 0x00000100 },
		{ "RO HDM Capability.Decoder_Count", CM, HDM_CAP, 4, 0x311, CXL_RULE_FIELD_RO_WRITE, 1,
		  "Decoder_Count", 0, 0, 0x310 },
		{ "RO CXL Capability Header cleared (4 fields)", CM, CM_CAP_HDR, 4, 0,
		  CXL_RULE_FIELD_RO_WRITE, 4, "CXL_Capability_ID", 0, 0, 0x03110001 },
	};
	struct h *h = *state;
	struct cxl_device *d;

	run_wcases(h, M, NULL, c, ARRAY_SIZE(c));
	/* The rule is a note carrying the field's old and new value. */
	d = h_open(h, M, NULL);
	cfg_write(d, DV_CAP, 2, 0x003e);
	assert_int_equal(h->nev, 1);
	assert_int_equal(h->ev[0].severity, CXL_SEV_NOTE);
	assert_string_equal(h->ev[0].reg, "DVSEC CXL Capability");
	assert_int_equal(h->ev[0].old_value, 1);
	assert_int_equal(h->ev[0].new_value, 3);
}

static void prep_ctrl2_set(struct cxl_device *d)
{
	cfg_write(d, DV_CTRL2, 2, 0x0009);
}

/*
 * RW (PCIe r6.0 §7.4): the written value is taken, set and cleared, with no
 * event. Control2.Disable_Caching and CXL_Reset_Mem_Clr_Enable (CXL r3.1
 * §8.1.3.4), HDM Global Control.HDM_Decoder_Enable on a device (§8.2.4.20.2).
 */
static void test_rw(void **state)
{
	static const struct wcase c[] = {
		{ "RW Control2.Disable_Caching set", CFG, DV_CTRL2, 2, 0x0001, NO_RULE, 0, NULL, 0, 0,
		  0x0001 },
		{ "RW Control2.CXL_Reset_Mem_Clr_Enable set", CFG, DV_CTRL2, 2, 0x0008, NO_RULE, 0,
		  NULL, 0, 0, 0x0008 },
		{ "RW Control2 bits cleared", CFG, DV_CTRL2, 2, 0x0000, NO_RULE, 0, NULL, 0, 0, 0x0000,
		  NULL, 0, prep_ctrl2_set },
		{ "RW Control2 one of two bits cleared", CFG, DV_CTRL2, 2, 0x0008, NO_RULE, 0, NULL, 0,
		  0, 0x0008, NULL, 0, prep_ctrl2_set },
		{ "RW HDM Global Control.HDM_Decoder_Enable", CM, HDM_GCTL, 4, 0x2, NO_RULE, 0, NULL, 0,
		  0, 0x2 },
	};

	run_wcases(*state, M, NULL, c, ARRAY_SIZE(c));
}

/*
 * RW in the PCI capabilities (issue 15: the attributes of spec/'s PCI structures were not
 * exercised): MSI Message Control.MSI_Enable (bit 0, PCIe r6.0 §7.7.1.2) at qemu72-usp's MSI
 * capability (0x70, +2) and Bridge Control.Parity_Error_Response_Enable / SERR_Enable (bits 0,
 * 1, PCIe r6.0 §7.5.1.3.13) of qemu72-root-port take the written value, set and cleared.
 */
static void test_rw_pci(void **state)
{
	static const struct wcase rp[] = {
		{ "RW Bridge Control.Parity_Error_Response_Enable", CFG, 0x3e, 2, 0x0001, NO_RULE, 0,
		  NULL, 0x3e, 1, 0x01 },
		{ "RW Bridge Control.SERR_Enable", CFG, 0x3e, 2, 0x0002, NO_RULE, 0, NULL, 0x3e, 1,
		  0x02 },
	};

	struct h *h = *state;
	struct cxl_device *d = h_open(h, "qemu72-usp", NULL);
	uint64_t ctl = cfg_read(d, 0x72, 2);

	/* the RO capability bits written back as read: only MSI_Enable changes */
	cfg_write(d, 0x72, 2, ctl | 0x1);
	expect_val("RW MSI Control.MSI_Enable set", cfg_read(d, 0x72, 2), ctl | 0x1);
	cfg_write(d, 0x72, 2, ctl & ~(uint64_t)0x1);
	expect_val("RW MSI Control.MSI_Enable cleared", cfg_read(d, 0x72, 2), ctl & ~(uint64_t)0x1);
	h_expect(h, NO_RULE, 0, "MSI_Enable writes");
	run_wcases(h, "qemu72-root-port", NULL, rp, ARRAY_SIZE(rp));
}

/*
 * Whole registers with no writable field: HDM Decoder Capability (CXL r3.1 §8.2.4.20.1: every
 * field RO or HwInit, reserved RsvdP) keeps its measured 0x310 under all ones; Revision ID
 * (PCIe r6.0 §7.5.1.1.5: HwInit) of qemu72-root-port keeps its value under 0xff.
 */
static void test_ro_whole_registers(void **state)
{
	struct h *h = *state;
	struct cxl_device *d = h_open(h, M, NULL);
	uint64_t rev;

	mmio_write(d, HDM_CAP, 4, 0xffffffff);
	expect_val("HDM Capability under all ones", mmio_read(d, HDM_CAP, 4), 0x310);
	d = h_open(h, "qemu72-root-port", NULL);
	rev = cfg_read(d, 0x08, 1);
	cfg_write(d, 0x08, 1, ~rev & 0xff);
	expect_val("HwInit Revision ID", cfg_read(d, 0x08, 1), rev);
}

/*
 * RWS (PCIe r6.0 §7.4 sticky; CXL r3.1 §8.2.4.17.2/.5/.6): RAS masks and
 * Poison_Enabled take the written value like RW and keep it across warm,
 * hot, conventional, FLR and CXL resets; a cold reset restores the reset
 * value (PCIe r6.0 §7.4: sticky bits are preserved by every reset but a
 * cold one, i.e. one without auxiliary power; masks power on 0x1cfff / 0x7f and
 * Capability/Control 0, measured: data/qemu72-power-on.yaml).
 */
static void test_rws(void **state)
{
	static const unsigned survive[] = { CXL_RESET_WARM, CXL_RESET_HOT, CXL_RESET_CONVENTIONAL,
					    CXL_RESET_FLR, CXL_RESET_CXL };
	struct h *h = *state;
	struct cxl_device *d = h_open(h, M, NULL);

	/* power-on (model init, QEMU 7.2.22 by qtest): UE mask 0x1cfff, CE mask 0x7f, Cap/Control 0 */
	mmio_write(d, RAS_UE_MASK, 4, 0);
	mmio_write(d, RAS_CE_MASK, 4, 0);
	mmio_write(d, RAS_CAP_CTRL, 4, 0x2000);     /* Poison_Enabled (bit 13) */
	h_expect(h, NO_RULE, 0, "RWS writes");
	for (size_t i = 0; i < ARRAY_SIZE(survive); i++) {
		cxl_device_reset(d, survive[i]);
		expect_val("UE mask after non-cold reset", mmio_read(d, RAS_UE_MASK, 4), 0);
		expect_val("CE mask after non-cold reset", mmio_read(d, RAS_CE_MASK, 4), 0);
		expect_val("Cap/Control after non-cold reset", mmio_read(d, RAS_CAP_CTRL, 4), 0x2000);
	}
	cxl_device_reset(d, CXL_RESET_COLD);
	expect_val("UE mask after cold reset", mmio_read(d, RAS_UE_MASK, 4), 0x1cfff);
	expect_val("CE mask after cold reset", mmio_read(d, RAS_CE_MASK, 4), 0x7f);
	expect_val("Cap/Control after cold reset", mmio_read(d, RAS_CAP_CTRL, 4), 0);
}

/*
 * RW1CS (PCIe r6.0 §7.4; CXL r3.1 §8.2.4.17.1, .4): bits set by hardware
 * (injection) are cleared by writing 1, kept by writing 0; writing 1 to a
 * clear bit does not set it; no event in any case. They survive every
 * non-cold reset and are cleared by cold reset.
 */
static void test_rw1cs(void **state)
{
	struct h *h = *state;
	struct cxl_device *d = h_open(h, M, NULL);

	assert_true(cxl_device_inject(d, CXL_INJECT_RAS_UNCORRECTABLE, 4));  /* Mem_Data_Parity */
	assert_true(cxl_device_inject(d, CXL_INJECT_RAS_UNCORRECTABLE, 7));  /* Mem_Data_ECC */
	assert_true(cxl_device_inject(d, CXL_INJECT_RAS_CORRECTABLE, 1));    /* Mem_Data_ECC */
	expect_val("UE status after injection", mmio_read(d, RAS_UE_STATUS, 4), 0x90);
	expect_val("CE status after injection", mmio_read(d, RAS_CE_STATUS, 4), 0x02);
	h_clear(h);
	mmio_write(d, RAS_UE_STATUS, 4, 0);
	expect_val("UE status: 0s keep", mmio_read(d, RAS_UE_STATUS, 4), 0x90);
	mmio_write(d, RAS_UE_STATUS, 4, 0x10);
	expect_val("UE status: 1 clears bit 4 only", mmio_read(d, RAS_UE_STATUS, 4), 0x80);
	mmio_write(d, RAS_UE_STATUS, 4, 0x1);
	expect_val("UE status: 1 on a clear bit does not set it", mmio_read(d, RAS_UE_STATUS, 4), 0x80);
	h_expect(h, NO_RULE, 0, "RW1CS writes");
	for (unsigned k = 0; k < CXL_RESET__COUNT; k++) {
		if (k == CXL_RESET_COLD)
			continue;
		cxl_device_reset(d, k);
		expect_val("UE status survives non-cold reset", mmio_read(d, RAS_UE_STATUS, 4), 0x80);
		expect_val("CE status survives non-cold reset", mmio_read(d, RAS_CE_STATUS, 4), 0x02);
	}
	mmio_write(d, RAS_CE_STATUS, 4, 0x02);
	expect_val("CE status: 1 clears", mmio_read(d, RAS_CE_STATUS, 4), 0);
	cxl_device_reset(d, CXL_RESET_COLD);
	expect_val("UE status after cold reset", mmio_read(d, RAS_UE_STATUS, 4), 0);
	/* Only RW1C(S) status bits can be injected: bit 12 is RsvdZ (§8.2.4.17.1). */
	assert_false(cxl_device_inject(d, CXL_INJECT_RAS_UNCORRECTABLE, 12));
}

/* The effective field @field of register @reg (white-box: core_priv.h). */
static struct cxl_field_eff *eff(struct cxl_device *d, const char *reg, const char *field)
{
	int ri = cxl_device_find_reg(d, reg);

	if (ri < 0)
		fail_msg("no register '%s'", reg);
	for (uint32_t j = 0; j < d->regs[ri].nfields; j++)
		if (!strcmp(d->fields[d->regs[ri].field0 + j].spec->name, field))
			return &d->fields[d->regs[ri].field0 + j];
	fail_msg("no field '%s' in '%s'", field, reg);
	return NULL;
}

/*
 * RW1C, non-sticky (PCIe r6.0 §7.4). No structure in spec/ declares a plain
 * RW1C field, so this synthesises one: RAS UE Status.Cache_Data_Parity is
 * made RW1C in the device's effective field table. 1 clears, 0 keeps, and
 * unlike its RW1CS neighbours it is cleared by a warm reset.
 */
static void test_rw1c_nonsticky(void **state)
{
	struct h *h = *state;
	struct cxl_device *d = h_open(h, M, NULL);

	eff(d, "RAS Uncorrectable Error Status", "Cache_Data_Parity")->access = CXL_ACC_RW1C;
	cxl_reset_masks(d);   /* the attributes changed after creation */
	assert_true(cxl_device_inject(d, CXL_INJECT_RAS_UNCORRECTABLE, 0));
	assert_true(cxl_device_inject(d, CXL_INJECT_RAS_UNCORRECTABLE, 4));
	mmio_write(d, RAS_UE_STATUS, 4, 0);
	expect_val("RW1C: 0 keeps", mmio_read(d, RAS_UE_STATUS, 4), 0x11);
	cxl_device_reset(d, CXL_RESET_WARM);
	expect_val("warm reset clears RW1C, keeps RW1CS", mmio_read(d, RAS_UE_STATUS, 4), 0x10);
	assert_true(cxl_device_inject(d, CXL_INJECT_RAS_UNCORRECTABLE, 0));
	mmio_write(d, RAS_UE_STATUS, 4, 0x1);
	expect_val("RW1C: 1 clears", mmio_read(d, RAS_UE_STATUS, 4), 0x10);
	h_expect(h, NO_RULE, 0, "RW1C writes");
}

/*
 * RWO (CXL r3.1 §8.1.3.6, CONFIG_LOCK): writing 0 over 0 does not latch; the
 * first write of 1 takes and latches; rewriting 1 is silent; writing 0
 * afterwards is field.rwo-rewrite (error) and the bit stays 1.
 */
static void test_rwo(void **state)
{
	struct h *h = *state;
	struct cxl_device *d = h_open(h, M, NULL);
	const struct h_event *e;

	cfg_write(d, DV_LOCK, 2, 0);
	expect_val("Lock after writing 0", cfg_read(d, DV_LOCK, 2), 0);
	cfg_write(d, DV_LOCK, 2, 1);
	expect_val("Lock after writing 1", cfg_read(d, DV_LOCK, 2), 1);
	cfg_write(d, DV_LOCK, 2, 1);
	h_expect(h, NO_RULE, 0, "Lock 0, 1, 1");
	cfg_write(d, DV_LOCK, 2, 0);
	h_expect(h, CXL_RULE_FIELD_RWO_REWRITE, 1, "Lock <- 0 after latch");
	e = h_find(h, CXL_RULE_FIELD_RWO_REWRITE);
	assert_int_equal(e->severity, CXL_SEV_ERROR);
	assert_string_equal(e->reg, reg_lock);
	assert_string_equal(e->field, "CONFIG_LOCK");
	assert_int_equal(e->old_value, 1);
	assert_int_equal(e->new_value, 0);
	expect_val("Lock stays latched", cfg_read(d, DV_LOCK, 2), 1);
	/* A 1-byte write reaches the same field. */
	h_clear(h);
	cfg_write(d, DV_LOCK, 1, 0);
	h_expect(h, CXL_RULE_FIELD_RWO_REWRITE, 1, "1-byte Lock <- 0 after latch");
	expect_val("Lock stays latched", cfg_read(d, DV_LOCK, 2), 1);
}

/*
 * RWL (CXL r3.1 §8.1.3.8.3, §8.1.3.6): Range 1 Base High is writable while
 * CONFIG_LOCK is 0; once it is 1 a changing write is dropped with
 * field.rwl-locked (error, old/new field values), an unchanged one is silent.
 */
static void test_rwl(void **state)
{
	struct h *h = *state;
	struct cxl_device *d = h_open(h, M, NULL);
	const struct h_event *e;

	cfg_write(d, DV_R1_BASE_HI, 4, 1);
	expect_val("Base High unlocked", cfg_read(d, DV_R1_BASE_HI, 4), 1);
	cfg_write(d, DV_LOCK, 2, 1);
	cfg_write(d, DV_R1_BASE_HI, 4, 1);
	h_expect(h, NO_RULE, 0, "unchanged write under lock");
	cfg_write(d, DV_R1_BASE_HI, 4, 2);
	h_expect(h, CXL_RULE_FIELD_RWL_LOCKED, 1, "Base High under lock");
	e = h_find(h, CXL_RULE_FIELD_RWL_LOCKED);
	assert_int_equal(e->severity, CXL_SEV_ERROR);
	assert_string_equal(e->reg, "DVSEC CXL Range 1 Base High");
	assert_string_equal(e->field, "Memory_Base_High");
	assert_int_equal(e->old_value, 1);
	assert_int_equal(e->new_value, 2);
	expect_val("Base High locked", cfg_read(d, DV_R1_BASE_HI, 4), 1);
}

/*
 * RsvdP (PCIe r6.0 §7.4): the field keeps its value whatever is written;
 * a write that differs from it is field.rsvdp-changed (warning). Control
 * bit 12 is RsvdP because Capability3.Direct_P2P_Mem_Capable is 0/absent
 * (CXL r3.1 §8.1.3.2); Range Base Low 27:0 (§8.1.3.8.4); Lock 15:1
 * (§8.1.3.6); HDM Global Control 31:2 (§8.2.4.20.2).
 */
static void test_rsvdp(void **state)
{
	static const struct wcase c[] = {
		{ "RsvdP Lock[15:1]", CFG, DV_LOCK, 2, 0x0002, CXL_RULE_FIELD_RSVDP_CHANGED, 1,
		  "Reserved", 0, 0, 0 },
		{ "RsvdP Lock[15:1] written as read", CFG, DV_LOCK, 2, 0, NO_RULE, 0, NULL, 0, 0, 0 },
		{ "RsvdP Control.Reserved13", CFG, DV_CTRL, 2, 0x2002, CXL_RULE_FIELD_RSVDP_CHANGED, 1,
		  "Reserved13", 0, 0, 0x0002 },
		{ "RsvdP Control.Reserved15", CFG, DV_CTRL, 2, 0x8002, CXL_RULE_FIELD_RSVDP_CHANGED, 1,
		  "Reserved15", 0, 0, 0x0002 },
		{ "RsvdP Control.Direct_P2P_Mem_Enable (not capable)", CFG, DV_CTRL, 2, 0x1002,
		  CXL_RULE_FIELD_RSVDP_CHANGED, 1, "Direct_P2P_Mem_Enable", 0, 0, 0x0002 },
		{ "RsvdP Range 1 Base Low[27:0]", CFG, DV_R1_BASE_LO, 4, 0x0fffffff,
		  CXL_RULE_FIELD_RSVDP_CHANGED, 1, "Reserved", 0, 0, 0 },
		{ "RsvdP Range 2 Base Low[27:0] beside an RWL write", CFG, DV_R2_BASE_LO, 4, 0x30000001,
		  CXL_RULE_FIELD_RSVDP_CHANGED, 1, "Reserved", 0, 0, 0x30000000 },
		{ "RsvdP HDM Global Control[31:2]", CM, HDM_GCTL, 4, 0x4, CXL_RULE_FIELD_RSVDP_CHANGED,
		  1, "Reserved", 0, 0, 0 },
	};

	run_wcases(*state, M, NULL, c, ARRAY_SIZE(c));
}

/*
 * RsvdZ (PCIe r6.0 §7.4): the field stays 0; a non-zero write is
 * field.rsvdz-nonzero (warning). Status 13:0 and 15 (CXL r3.1 §8.1.3.3),
 * Status2 14:4 (§8.1.3.5), RAS UE Status 13:12 and 31:17 (§8.2.4.17.1).
 */
static void test_rsvdz(void **state)
{
	static const struct wcase c[] = {
		{ "RsvdZ Status[13:0]", CFG, DV_STATUS, 2, 0x0001, CXL_RULE_FIELD_RSVDZ_NONZERO, 1,
		  "Reserved", 0, 0, 0 },
		{ "RsvdZ Status[15]", CFG, DV_STATUS, 2, 0x8000, CXL_RULE_FIELD_RSVDZ_NONZERO, 1,
		  "Reserved15", 0, 0, 0 },
		{ "RsvdZ Status written 0", CFG, DV_STATUS, 2, 0, NO_RULE, 0, NULL, 0, 0, 0 },
		{ "RsvdZ Status2[14:4]", CFG, DV_STATUS2, 2, 0x0012, CXL_RULE_FIELD_RSVDZ_NONZERO, 1,
		  "Reserved", 0, 0, 0x0002 },
		{ "RsvdZ RAS UE Status[13:12]", CM, RAS_UE_STATUS, 4, 0x3000,
		  CXL_RULE_FIELD_RSVDZ_NONZERO, 1, "Reserved12", 0, 0, 0 },
		{ "RsvdZ RAS UE Status[31:17]", CM, RAS_UE_STATUS, 4, 0x00020000,
		  CXL_RULE_FIELD_RSVDZ_NONZERO, 1, "Reserved17", 0, 0, 0 },
	};

	run_wcases(*state, M, NULL, c, ARRAY_SIZE(c));
}

/*
 * Doorbell (CXL r3.1 §8.1.3.4: Initiate Cache Write Back and Invalidation
 * and Initiate CXL Reset "always read 0"): writing 1 stores nothing. On
 * qemu72-type3, which is not CXL Reset capable (Capability bit 7 = 0),
 * Initiate CXL Reset does nothing at all: no event, Status2 unchanged.
 * The actions themselves are in test_dvsec.c.
 */
static void test_doorbell_reads_zero(void **state)
{
	static const struct wcase c[] = {
		{ "Doorbell Initiate_CXL_Reset (not capable)", CFG, DV_CTRL2, 2, 0x0004, NO_RULE, 0,
		  NULL, DV_CTRL2, 4, 0x00020000 },
		{ "Doorbell beside RW bits", CFG, DV_CTRL2, 2, 0x000d, NO_RULE, 0, NULL, DV_CTRL2, 4,
		  0x00020009 },
	};

	run_wcases(*state, M, NULL, c, ARRAY_SIZE(c));
}

/*
 * ROS (PCIe r6.0 §7.4 sticky; CXL r3.1 §8.2.4.17.6): after an unmasked
 * uncorrectable error is injected, First_Error_Pointer holds its bit
 * position; software cannot write it (field.ro-write), it survives warm,
 * hot, conventional, FLR and CXL resets, and cold reset clears it.
 */
static void test_ros_first_error_pointer(void **state)
{
	static const unsigned survive[] = { CXL_RESET_WARM, CXL_RESET_HOT, CXL_RESET_CONVENTIONAL,
					    CXL_RESET_FLR, CXL_RESET_CXL };
	struct h *h = *state;
	struct cxl_device *d = h_open(h, M, NULL);

	mmio_write(d, RAS_UE_MASK, 4, 0x1cfef);              /* unmask Mem_Data_Parity (bit 4) */
	assert_true(cxl_device_inject(d, CXL_INJECT_RAS_UNCORRECTABLE, 4));
	expect_val("FEP = 4 after injection", mmio_read(d, RAS_CAP_CTRL, 4), 0x4);
	h_clear(h);
	mmio_write(d, RAS_CAP_CTRL, 4, 0);
	h_expect(h, CXL_RULE_FIELD_RO_WRITE, 1, "write over ROS First_Error_Pointer");
	assert_string_equal(h->ev[0].field, "First_Error_Pointer");
	expect_val("FEP not writable", mmio_read(d, RAS_CAP_CTRL, 4), 0x4);
	for (size_t i = 0; i < ARRAY_SIZE(survive); i++) {
		cxl_device_reset(d, survive[i]);
		expect_val("FEP survives non-cold reset", mmio_read(d, RAS_CAP_CTRL, 4), 0x4);
	}
	cxl_device_reset(d, CXL_RESET_COLD);
	expect_val("FEP after cold reset", mmio_read(d, RAS_CAP_CTRL, 4), 0);
}

/* Sets DVSEC Status.Viral_Status as hardware would (white-box: no API injects viral). */
static void set_viral(struct cxl_device *d)
{
	int ri = cxl_device_find_reg(d, "DVSEC CXL Status");

	assert_true(ri >= 0);
	cxl_set(d, (unsigned)ri, d->regs[ri].value | 0x4000);   /* as hardware would */
}

/*
 * field.rw1c-clobber (PCIe r6.0 §7.4 RW1C; rules.yaml; field.c: judged per
 * access): a write that clears a pending RW1C/RW1CS bit while changing
 * another writable field in the same access is a warning - the dword
 * read-modify-write of DVSEC Control+Status at 0x10c that acknowledges a
 * pending Viral_Status (CXL r3.1 §8.1.3.2, §8.1.3.3) while setting
 * Mem_Enable. It holds (no event) for a write that only clears the status,
 * one that only changes Control, and one that changes Control while writing
 * 0 to the status. Viral_Status is RW1CS: it survives warm reset, not cold.
 * No API sets Viral_Status and no single modelled register holds both an
 * RW1C(S) field and a writable one, so the pending status is planted
 * through core_priv.h.
 */
static void test_rw1c_clobber(void **state)
{
	struct h *h = *state;
	struct cxl_device *d = h_open(h, M, NULL);
	const struct h_event *e;

	set_viral(d);
	cfg_write(d, DV_CTRL, 4, 0x40000006);                    /* clear + Mem_Enable 0 -> 1 */
	h_expect(h, CXL_RULE_FIELD_RW1C_CLOBBER, 1, "dword RMW clears Viral_Status");
	e = h_find(h, CXL_RULE_FIELD_RW1C_CLOBBER);
	assert_int_equal(e->severity, CXL_SEV_WARNING);
	assert_string_equal(e->reg, "DVSEC CXL Status");
	expect_val("both applied", cfg_read(d, DV_CTRL, 4), 0x00000006);
	h_clear(h);
	set_viral(d);
	cfg_write(d, DV_CTRL, 4, 0x40000006);                    /* clear, Control unchanged */
	h_expect(h, NO_RULE, 0, "clear only");
	expect_val("status cleared", cfg_read(d, DV_STATUS, 2), 0);
	set_viral(d);
	cfg_write(d, DV_CTRL, 2, 0x0007);                        /* Control only */
	cfg_write(d, DV_CTRL, 4, 0x00000003);                    /* Control, status written 0 */
	h_expect(h, NO_RULE, 0, "Control changes without clearing");
	expect_val("status kept", cfg_read(d, DV_CTRL, 4), 0x40000003);
	cxl_device_reset(d, CXL_RESET_WARM);
	expect_val("Viral_Status survives warm reset", cfg_read(d, DV_STATUS, 2), 0x4000);
	cfg_write(d, DV_STATUS, 2, 0x4000);                      /* clear alone */
	h_expect(h, NO_RULE, 0, "status-only clear");
	expect_val("Viral_Status cleared", cfg_read(d, DV_STATUS, 2), 0);
	set_viral(d);
	cxl_device_reset(d, CXL_RESET_COLD);
	expect_val("Viral_Status after cold reset", cfg_read(d, DV_STATUS, 2), 0);
}

/*
 * Config reads of 1, 2 and 4 bytes at natural alignment (PCIe r6.0 §7.2.2)
 * return the little-endian bytes of whatever registers they cover, with no
 * event: a 4-byte read at 0x110 is Control2 | Status2 << 16.
 */
static void test_cfg_read_sizes(void **state)
{
	static const struct { uint32_t off; unsigned size; uint64_t expect; } c[] = {
		{ DV_CAP, 1, 0x1e },
		{ DV_CAP + 1, 1, 0x00 },
		{ DV_CAP, 2, 0x001e },
		{ DV_HDR2, 4, 0x001e0000 },          /* DVSEC ID 0 | Capability << 16 */
		{ DV_CTRL2, 4, 0x00020000 },         /* Control2 0 | Status2 0x0002 << 16 */
		{ DV_CTRL, 4, 0x00000002 },          /* Control | Status << 16 */
		{ DV_ECAP, 4, 0x13810023 },
		{ DV_ECAP + 2, 2, 0x1381 },
		{ DV_ECAP + 3, 1, 0x13 },
		{ DV_R1_SIZE_LO, 4, 0x1000004b },
		{ DV_R1_SIZE_LO + 2, 2, 0x1000 },
		{ DV_R1_SIZE_LO + 3, 1, 0x10 },
	};
	struct h *h = *state;
	struct cxl_device *d = h_open(h, M, NULL);
	char what[64];

	for (size_t i = 0; i < ARRAY_SIZE(c); i++) {
		snprintf(what, sizeof(what), "read 0x%x size %u", c[i].off, c[i].size);
		expect_val(what, cfg_read(d, c[i].off, c[i].size), c[i].expect);
	}
	h_expect(h, NO_RULE, 0, "natural config reads");
}

/*
 * Config writes (PCIe r6.0 §7.2.2, access.c): a 4-byte write at 0x10c is
 * split into Control and Status with byte enables; a 1-byte write touches
 * only its byte's fields; a misaligned access is access.align and an 8-byte
 * one access.width, both with no effect; an unmodelled offset (0x200, past
 * the DOE capability: the PCI header at 0x004 is modelled now) is
 * access.unmodeled (note) and ignored.
 */
static void test_cfg_write_shapes(void **state)
{
	static const struct wcase c[] = {
		{ "1-byte write to the high byte of Control (Viral_Enable)", CFG, DV_CTRL + 1, 1, 0x40,
		  NO_RULE, 0, NULL, DV_CTRL, 2, 0x4002 },
		{ "1-byte write to the low byte of Control", CFG, DV_CTRL, 1, 0x07, NO_RULE, 0, NULL,
		  DV_CTRL, 2, 0x0007 },
		{ "4-byte write spanning Control and Status", CFG, DV_CTRL, 4, 0x00010007,
		  CXL_RULE_FIELD_RSVDZ_NONZERO, 1, "Reserved", DV_CTRL, 4, 0x00000007,
		  "DVSEC CXL Status", 0 },
		{ "4-byte write spanning Control2 and Status2", CFG, DV_CTRL2, 4, 0x00020001, NO_RULE, 0,
		  NULL, DV_CTRL2, 4, 0x00020001, "DVSEC CXL Control2", 0x0001 },
		{ "1-byte write to Range 1 Base Low byte 3", CFG, DV_R1_BASE_LO + 3, 1, 0x50, NO_RULE, 0,
		  NULL, DV_R1_BASE_LO, 4, 0x50000000 },
		{ "1-byte write to Range 1 Base Low byte 0 (RsvdP)", CFG, DV_R1_BASE_LO, 1, 0xff,
		  CXL_RULE_FIELD_RSVDP_CHANGED, 1, "Reserved", DV_R1_BASE_LO, 4, 0 },
		{ "misaligned 2-byte write at 0x10d", CFG, DV_CTRL + 1, 2, 0xffff,
		  CXL_RULE_ACCESS_ALIGN, 1, NULL, DV_CTRL, 4, 0x00000002 },
		{ "misaligned 4-byte write at 0x10e", CFG, DV_STATUS, 4, 0xffffffff,
		  CXL_RULE_ACCESS_ALIGN, 1, NULL, DV_CTRL2, 4, 0x00020000 },
		{ "8-byte config write", CFG, DV_R1_BASE_HI, 8, 0x2000000000000001ULL,
		  CXL_RULE_ACCESS_WIDTH, 1, NULL, DV_R1_BASE_HI, 4, 0, "DVSEC CXL Range 1 Base Low", 0 },
		{ "unmodelled write (past the DOE capability)", CFG, 0x200, 2, 0x0006,
		  CXL_RULE_ACCESS_UNMODELED, 1, NULL, DV_CTRL, 2, 0x0002 },
	};
	struct h *h = *state;

	run_wcases(h, M, NULL, c, ARRAY_SIZE(c));
	/* The shape errors are errors, the unmodelled access a note. */
	assert_int_equal(cxl_rule_severity(CXL_RULE_ACCESS_ALIGN), CXL_SEV_ERROR);
	assert_int_equal(cxl_rule_severity(CXL_RULE_ACCESS_WIDTH), CXL_SEV_ERROR);
	assert_int_equal(cxl_rule_severity(CXL_RULE_ACCESS_UNMODELED), CXL_SEV_NOTE);
}

/*
 * Rejected config reads (PCIe r6.0 §7.2.2): misaligned is access.align,
 * 8 bytes access.width; neither is compared with the recorded value.
 * Inputs outside the 4 KiB config space or of size 3 are refused (false).
 */
static void test_cfg_rejected_reads(void **state)
{
	struct h *h = *state;
	struct cxl_device *d = h_open(h, M, NULL);
	uint64_t r;

	cfg_read_rec(d, DV_CTRL + 1, 2, 0x1234);
	h_expect(h, CXL_RULE_ACCESS_ALIGN, 1, "misaligned 2-byte read");
	h_clear(h);
	cfg_read_rec(d, DV_R1_BASE_HI, 8, 0x1234);
	h_expect(h, CXL_RULE_ACCESS_WIDTH, 1, "8-byte read");
	assert_int_equal(cxl_device_counters(d)->reads_checked, 0);
	assert_int_equal(cxl_device_counters(d)->mismatches, 0);
	assert_false(cxl_device_access(d, CXL_SPACE_CONFIG, false, 0x1000, 4, 0, false, &r));
	assert_false(cxl_device_access(d, CXL_SPACE_CONFIG, false, 0xffe, 4, 0, false, &r));
	assert_false(cxl_device_access(d, CXL_SPACE_CONFIG, false, DV_CTRL, 3, 0, false, &r));
}

/*
 * Unmodelled config offsets (access.c): in qemu72-type3 nothing is placed between the
 * capability list's end and 0x100, nor after the DOE capability (0x190-0x1a7; spec/models/
 * qemu72-type3.yaml): a read returns the recorded value, is counted in counters.unmodeled, is
 * not checked and reports only the note access.unmodeled, never an error. The recorded
 * value at 0xf0 is what Debian 12's QEMU 7.2.22 reads there over qtest (0); at 0x200 any
 * recorded value comes back as is.
 */
static void test_cfg_unmodeled(void **state)
{
	struct h *h = *state;
	struct cxl_device *d = h_open(h, M, NULL);

	expect_val("read past the capabilities", cfg_read_rec(d, 0x0f0, 4, 0x0), 0x0);
	expect_val("read past the DOE capability", cfg_read_rec(d, 0x200, 4, 0x12345678), 0x12345678);
	expect_val("byte read", cfg_read_rec(d, 0x201, 1, 0x00), 0x00);
	cfg_write(d, 0x200, 4, 0xffffffff);
	assert_int_equal(h_count(h, CXL_RULE_ACCESS_UNMODELED), 4);
	assert_int_equal(h_count_sev(h, CXL_SEV_ERROR), 0);
	assert_int_equal(h_count_sev(h, CXL_SEV_WARNING), 0);
	assert_int_equal(cxl_device_counters(d)->unmodeled, 4);
	assert_int_equal(cxl_device_counters(d)->reads_checked, 0);
	expect_val("unmodelled read without a recorded value", cfg_read(d, 0x200, 4), 0);
}

/*
 * Component register access shapes (CXL r3.1 §8.2.2): a 32-bit register is
 * accessed as an aligned 4-byte access; 1/2-byte and 8-byte accesses (the
 * latter spanning HDM Decoder 0 Base Low/High) are access.width, misaligned
 * ones access.align, all with no effect. The 64-bit Link registers take
 * 8-byte accesses (opaque: counted unmodelled), not 4-byte ones. Offsets
 * outside every capability are unmodelled.
 */
static void test_cm_access_shapes(void **state)
{
	static const struct wcase c[] = {
		{ "aligned 4-byte write HDM Decoder 0 Base Low", CM, DEC(0, D_BASE_LO), 4, 0x10000000,
		  NO_RULE, 0, NULL, 0, 0, 0x10000000 },
		{ "2-byte write to the high half of Base Low", CM, DEC(0, D_BASE_LO) + 2, 2, 0x1000,
		  CXL_RULE_ACCESS_WIDTH, 1, NULL, DEC(0, D_BASE_LO), 4, 0 },
		{ "1-byte write HDM Global Control", CM, HDM_GCTL, 1, 0x2, CXL_RULE_ACCESS_WIDTH, 1,
		  NULL, HDM_GCTL, 4, 0 },
		{ "misaligned 4-byte write", CM, DEC(0, D_BASE_LO) + 1, 4, 0x10000000,
		  CXL_RULE_ACCESS_ALIGN, 1, NULL, DEC(0, D_BASE_LO), 4, 0 },
		{ "8-byte write spanning Base Low/High", CM, DEC(0, D_BASE_LO), 8,
		  0x0000000110000000ULL, CXL_RULE_ACCESS_WIDTH, 1, NULL, DEC(0, D_BASE_HI), 4, 0,
		  "HDM Decoder 0 Base Low", 0 },
		{ "misaligned 8-byte write", CM, DEC(0, D_BASE_HI), 8, 0x1000000001ULL,
		  CXL_RULE_ACCESS_ALIGN, 1, NULL, DEC(0, D_BASE_HI), 4, 0 },
		{ "8-byte write to a 64-bit Link register", CM, LINK, 8, 1, CXL_RULE_ACCESS_UNMODELED, 1,
		  NULL, HDM_CAP, 4, 0x310 },
		{ "4-byte write to a 64-bit Link register", CM, LINK, 4, 1, CXL_RULE_ACCESS_WIDTH, 1,
		  NULL, HDM_CAP, 4, 0x310 },
		{ "write outside every capability", CM, 0x2000, 4, 1, CXL_RULE_ACCESS_UNMODELED, 1, NULL,
		  HDM_CAP, 4, 0x310 },
	};
	struct h *h = *state;
	struct cxl_device *d;

	run_wcases(h, M, NULL, c, ARRAY_SIZE(c));
	d = h_open(h, M, NULL);
	expect_val("4-byte read HDM Capability", mmio_read_rec(d, HDM_CAP, 4, 0x310), 0x310);
	h_expect(h, NO_RULE, 0, "4-byte read");
	mmio_read_rec(d, HDM_CAP, 2, 0x310);
	h_expect(h, CXL_RULE_ACCESS_WIDTH, 1, "2-byte read");
	h_clear(h);
	mmio_read_rec(d, HDM_CAP + 2, 4, 0);
	h_expect(h, CXL_RULE_ACCESS_ALIGN, 1, "misaligned read");
	h_clear(h);
	/* cxl-3.1 says nothing about a rejected read's data (rejected-read: unknown): unchecked. */
	mmio_write(d, DEC(0, D_BASE_LO), 4, 0x10000000);
	expect_val("rejected 8-byte read returns the recorded value",
		   mmio_read_rec(d, DEC(0, D_BASE_LO), 8, 0x55), 0x55);
	h_expect(h, CXL_RULE_ACCESS_WIDTH, 1, "8-byte read spanning Base Low/High");
	assert_int_equal(cxl_device_counters(d)->reads_checked, 1);
	assert_int_equal(cxl_device_counters(d)->mismatches, 0);
}

/*
 * read.mismatch (rules.yaml): a recorded read is compared with the model on
 * the bytes it models; equal is silent, different is an error naming the
 * register; every compared read counts in reads_checked, every difference
 * in mismatches; reads without a recorded value are not checked. Link reads
 * are never checked (opaque, link.yaml).
 */
static void test_read_mismatch(void **state)
{
	struct h *h = *state;
	struct cxl_device *d = h_open(h, M, NULL);
	const struct cxl_device_counters *n = cxl_device_counters(d);
	const struct h_event *e;

	cfg_read_rec(d, DV_CAP, 2, 0x001e);
	cfg_read_rec(d, DV_CTRL, 4, 0x00000002);
	mmio_read_rec(d, HDM_CAP, 4, 0x310);
	cfg_read(d, DV_CAP, 2);
	h_expect(h, NO_RULE, 0, "matching reads");
	assert_int_equal(n->reads_checked, 3);
	assert_int_equal(n->mismatches, 0);

	expect_val("model value returned", cfg_read_rec(d, DV_CAP, 2, 0x001f), 0x001e);
	h_expect(h, CXL_RULE_READ_MISMATCH, 1, "Capability recorded 0x001f");
	e = h_find(h, CXL_RULE_READ_MISMATCH);
	assert_int_equal(e->severity, CXL_SEV_ERROR);
	assert_string_equal(e->reg, "DVSEC CXL Capability");
	h_clear(h);
	mmio_read_rec(d, HDM_CAP, 4, 0x311);
	h_expect(h, CXL_RULE_READ_MISMATCH, 1, "HDM Capability recorded 0x311");
	assert_string_equal(h->ev[0].reg, "HDM Decoder Capability");
	assert_int_equal(n->reads_checked, 5);
	assert_int_equal(n->mismatches, 2);
	h_clear(h);
	mmio_read_rec(d, LINK, 8, 0x1234);
	assert_int_equal(h_count(h, CXL_RULE_READ_MISMATCH), 0);
	assert_int_equal(n->reads_checked, 5);
}

/*
 * cxl_device_create() errors (device.h): an unknown model or profile is
 * CXL_ERR_UNKNOWN naming it; an hdm-decoders count the Decoder Count field
 * cannot encode (CXL r3.1 §8.2.4.20.1: 1, 2, 4, 6, 8, ... 32) or outside
 * 1..32 is CXL_ERR_VALUE; *out is left alone on failure.
 */
static void test_create_errors(void **state)
{
	static const struct {
		const char *model, *profile;
		int ndec;
		enum cxl_err code;
		const char *msg1, *msg2;
	} c[] = {
		{ "no-such-model", NULL, 0, CXL_ERR_UNKNOWN, "model", "no-such-model" },
		{ M, "no-such-profile", 0, CXL_ERR_UNKNOWN, "profile", "no-such-profile" },
		{ M, NULL, 3, CXL_ERR_VALUE, "hdm-decoders", "3" },
		{ M, NULL, 5, CXL_ERR_VALUE, "hdm-decoders", "5" },
		{ M, NULL, 33, CXL_ERR_VALUE, "hdm-decoders", "33" },
		{ M, NULL, -1, CXL_ERR_VALUE, "hdm-decoders", "-1" },
		{ "type2-accel", "qemu-7.2", 7, CXL_ERR_VALUE, "hdm-decoders", "7" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(c); i++) {
		struct cxl_device_opts o = { .hdm_decoders = c[i].ndec };
		struct cxl_device *d = NULL;
		struct cxl_error err;
		enum cxl_err rc;

		memset(&err, 0, sizeof(err));
		rc = cxl_device_create("dev0", c[i].model, c[i].profile, &o, &d, &err);
		if (rc != c[i].code || d || !strstr(err.msg, c[i].msg1) || !strstr(err.msg, c[i].msg2)) {
			cxl_device_destroy(d);
			fail_msg("case %zu: rc %s, msg '%s'", i, cxl_err_name(rc), err.msg);
		}
	}
}

/*
 * hdm-decoders option (CXL r3.1 §8.2.4.20.1): 2 decoders on qemu72-type3
 * (Capability 0x310) make Decoder_Count read 1 (the encoding of 2) and add
 * decoder 1 at +0x20; 4 on type2-accel (0x300) read encoding 2; 0 keeps the
 * model's single decoder.
 */
static void test_hdm_decoders_option(void **state)
{
	struct h *h = *state;
	struct cxl_device_opts two = { .hdm_decoders = 2 }, four = { .hdm_decoders = 4 };
	struct cxl_device_opts zero = { .hdm_decoders = 0 };
	struct cxl_device *d;

	d = h_open_opts(h, M, NULL, &two);
	expect_val("Capability with 2 decoders", mmio_read(d, HDM_CAP, 4), 0x311);
	assert_true(cxl_device_find_reg(d, "HDM Decoder 1 Control") >= 0);
	mmio_write(d, DEC(1, D_BASE_LO), 4, 0x20000000);
	expect_val("decoder 1 Base Low", mmio_read(d, DEC(1, D_BASE_LO), 4), 0x20000000);
	h_expect(h, NO_RULE, 0, "decoder 1 access");
	h_close_all(h);
	d = h_open_opts(h, "type2-accel", NULL, &four);
	expect_val("Capability with 4 decoders", mmio_read(d, HDM_CAP, 4), 0x302);
	h_close_all(h);
	d = h_open_opts(h, M, NULL, &zero);
	expect_val("Capability with the model's count", mmio_read(d, HDM_CAP, 4), 0x310);
	assert_true(cxl_device_find_reg(d, "HDM Decoder 1 Control") < 0);
}

static void drive(struct cxl_device *d)
{
	cfg_write(d, DV_CTRL, 2, 0x0007);
	cfg_write(d, DV_R1_BASE_LO, 4, 0x10000000);
	cfg_write(d, DV_LOCK, 2, 1);
	mmio_write(d, RAS_UE_MASK, 4, 0);
	cxl_device_inject(d, CXL_INJECT_RAS_UNCORRECTABLE, 7);
	mmio_write(d, DEC(0, D_SIZE_LO), 4, 0x10000000);
	cxl_device_reset(d, CXL_RESET_HOT);
}

/*
 * Determinism (device.h: FNV-1a over name and register values): two
 * devices built and driven identically hash equal, also with a seed; one
 * different write makes them differ; a fresh device differs from a driven
 * one; the same registers under another device name differ.
 */
static void test_hash_determinism(void **state)
{
	struct h *h = *state;
	struct cxl_device *a = h_open(h, M, NULL), *b = h_open(h, M, NULL), *c = h_open(h, M, NULL);

	assert_int_equal(cxl_device_hash(a, 0), cxl_device_hash(c, 0));
	drive(a);
	drive(b);
	assert_int_equal(cxl_device_hash(a, 0), cxl_device_hash(b, 0));
	assert_int_equal(cxl_device_hash(a, 42), cxl_device_hash(b, 42));
	assert_int_not_equal(cxl_device_hash(a, 0), cxl_device_hash(c, 0));
	cfg_write(b, DV_CTRL2, 2, 0x0001);
	assert_int_not_equal(cxl_device_hash(a, 0), cxl_device_hash(b, 0));
	cfg_write(a, DV_CTRL2, 2, 0x0001);
	assert_int_equal(cxl_device_hash(a, 0), cxl_device_hash(b, 0));
	/* The name is hashed: same registers under another name differ. */
	{
		struct cxl_device *o = NULL;
		struct cxl_error err;

		assert_int_equal(cxl_device_create("dev1", M, NULL, NULL, &o, &err), CXL_OK);
		assert_int_not_equal(cxl_device_hash(o, 0), cxl_device_hash(c, 0));
		cxl_device_destroy(o);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ro_hwinit, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_rw, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_rw_pci, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_ro_whole_registers, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_rws, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_rw1cs, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_rw1c_nonsticky, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_rwo, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_rwl, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_rsvdp, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_rsvdz, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_doorbell_reads_zero, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_ros_first_error_pointer, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_rw1c_clobber, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_cfg_read_sizes, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_cfg_write_shapes, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_cfg_rejected_reads, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_cfg_unmodeled, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_cm_access_shapes, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_read_mismatch, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_create_errors, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_hdm_decoders_option, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_hash_determinism, h_setup, h_teardown),
	};

	return cmocka_run_group_tests_name("field", tests, NULL, NULL);
}
