/* SPDX-License-Identifier: MIT */
/*
 * test_invariant.c - the invariant checker of cxlemu/invariant.h, one passing and one
 * violating case per invariant.
 *
 * The checker judges register values, so a violation needs an implementation that breaks
 * the rule. QEMU 7.2 is one, as measured (spec/profiles/qemu-7.2.yaml, from
 * the reference note qemu72-qtest.md): CONFIG_LOCK is plain RW and locks nothing, decoders
 * neither lock on commit nor check the commit order, the Flex Bus Port Control reserved
 * bits 4:3 take writes on a root port, RAS status does not survive a warm reset. Each case
 * runs the same ops on a cxl-3.1 device (checked: every op passes) and on a qemu-7.2 device;
 * the last op is then shown to a checker of a third, cxl-3.1 device that went through the
 * same ops, as the transition from the spec state to the qemu-7.2 result: a violation, of
 * the invariant the spec section names. Offsets are the qemu72-type3 and qemu72-root-port
 * layouts (`cxlemu spec --device ...`): DVSEC Control 0x10c, Lock 0x114; HDM decoder n at
 * 0x1120 + 0x20 n (Base Low, Base High, Size Low, Size High, Control at +0x10); RAS
 * Uncorrectable Error Status 0x1080; root port Flex Bus Port Control 0x194.
 */
#include <string.h>

#include "harness.h"
#include "cxlemu/invariant.h"

struct trio {
	struct cxl_device *spec, *twin, *broken;   /* cxl-3.1, cxl-3.1, qemu-7.2 */
	struct cxl_checker *c_spec, *c_twin;
};

static void trio_new(struct trio *t, const char *model, int decoders)
{
	struct cxl_device_opts o;
	struct cxl_error err;

	memset(&o, 0, sizeof(o));
	o.hdm_decoders = decoders;
	assert_int_equal(cxl_device_create("a", model, "cxl-3.1", &o, &t->spec, &err), CXL_OK);
	assert_int_equal(cxl_device_create("b", model, "cxl-3.1", &o, &t->twin, &err), CXL_OK);
	assert_int_equal(cxl_device_create("c", model, "qemu-7.2", &o, &t->broken, &err), CXL_OK);
	assert_int_equal(cxl_checker_new(t->spec, &t->c_spec, &err), CXL_OK);
	assert_int_equal(cxl_checker_new(t->twin, &t->c_twin, &err), CXL_OK);
	cxl_checker_before(t->c_spec, t->spec);
	cxl_checker_before(t->c_twin, t->twin);
}

static void trio_free(struct trio *t)
{
	cxl_checker_free(t->c_spec);
	cxl_checker_free(t->c_twin);
	cxl_device_destroy(t->spec);
	cxl_device_destroy(t->twin);
	cxl_device_destroy(t->broken);
}

static struct cxl_op op_access(enum cxl_op_kind kind, uint64_t offset, unsigned size, uint64_t value)
{
	struct cxl_op op;

	memset(&op, 0, sizeof(op));
	op.kind = kind;
	op.offset = offset;
	op.size = size;
	op.value = value;
	op.has_value = true;
	return op;
}

static struct cxl_op op_reset(enum cxl_reset_kind kind)
{
	struct cxl_op op;

	memset(&op, 0, sizeof(op));
	op.kind = CXL_OP_RESET;
	op.reset = kind;
	return op;
}

static struct cxl_op op_inject(enum cxl_inject_kind kind, unsigned bit)
{
	struct cxl_op op;

	memset(&op, 0, sizeof(op));
	op.kind = CXL_OP_INJECT;
	op.inject = kind;
	op.bit = bit;
	return op;
}

static void apply(struct cxl_device *d, const struct cxl_op *op)
{
	unsigned space;
	bool write;

	if (cxl_op_kind_access(op->kind, &space, &write))
		cxl_device_access(d, space, write, op->offset, op->size, op->value, op->has_value, NULL);
	else if (op->kind == CXL_OP_RESET)
		cxl_device_reset(d, op->reset);
	else
		cxl_device_inject(d, op->inject, op->bit);
}

/* An op on all three devices; the spec devices' checkers must pass it. */
static void step(struct trio *t, struct cxl_op op)
{
	struct cxl_invariant_failure f;

	apply(t->spec, &op);
	assert_true(cxl_checker_after(t->c_spec, t->spec, &op, &f));
	apply(t->twin, &op);
	assert_true(cxl_checker_after(t->c_twin, t->twin, &op, &f));
	apply(t->broken, &op);
}

/*
 * The last op: passes on the spec device (the passing case); on the qemu-7.2 device, seen by
 * the twin's checker, it violates @want on register @reg (the violating case).
 */
static void last(struct trio *t, struct cxl_op op, enum cxl_invariant want, const char *reg)
{
	struct cxl_invariant_failure f;

	apply(t->spec, &op);
	assert_true(cxl_checker_after(t->c_spec, t->spec, &op, &f));
	cxl_device_clear_changes(t->broken);   /* only this op's changes are listed */
	apply(t->broken, &op);
	memset(&f, 0, sizeof(f));
	assert_false(cxl_checker_after(t->c_twin, t->broken, &op, &f));
	assert_string_equal(cxl_invariant_name(f.inv), cxl_invariant_name(want));
	assert_string_equal(f.reg, reg);
	assert_true(f.before != f.after);
	assert_true(f.detail[0] != '\0');
}

/* CXL r3.1 §8.1.3.6: CONFIG_LOCK is RWO; once 1, writing 0 leaves it 1. */
static void test_rwo(void **state)
{
	struct trio t;

	(void)state;
	trio_new(&t, "qemu72-type3", 0);
	step(&t, op_access(CXL_OP_CFG_WRITE, 0x114, 2, 0x1));
	last(&t, op_access(CXL_OP_CFG_WRITE, 0x114, 2, 0x0), CXL_INV_RWO, "DVSEC CXL Lock");
	trio_free(&t);
}

/* PCIe r6.0 §7.4 RsvdP: Flex Bus Port Control bits 4:3 (CXL r3.1 §8.1.8.2) ignore writes. */
static void test_reserved(void **state)
{
	struct trio t;

	(void)state;
	trio_new(&t, "qemu72-root-port", 0);
	last(&t, op_access(CXL_OP_CFG_WRITE, 0x194, 2, 0x0002 | 0x18), CXL_INV_RESERVED,
	     "Flex Bus Port Control");
	trio_free(&t);
}

/*
 * PCIe r6.0 §7.4 RW1CS and CXL r3.1 §8.2.4.17: RAS status is sticky; a warm reset keeps it
 * (spec/structures/ras.yaml: warm non-sticky).
 */
static void test_sticky(void **state)
{
	struct trio t;

	(void)state;
	trio_new(&t, "qemu72-type3", 0);
	step(&t, op_inject(CXL_INJECT_RAS_UNCORRECTABLE, 4));
	last(&t, op_reset(CXL_RESET_WARM), CXL_INV_STICKY, "RAS Uncorrectable Error Status");
	trio_free(&t);
}

/* CXL r3.1 §8.1.3.6: with CONFIG_LOCK set, DVSEC Control (RWL) does not change. */
static void test_config_lock(void **state)
{
	struct trio t;

	(void)state;
	trio_new(&t, "qemu72-type3", 0);
	step(&t, op_access(CXL_OP_CFG_WRITE, 0x114, 2, 0x1));
	last(&t, op_access(CXL_OP_CFG_WRITE, 0x10c, 2, 0x0006), CXL_INV_CONFIG_LOCK, "DVSEC CXL Control");
	trio_free(&t);
}

/* CXL r3.1 §8.2.4.20.13: a decoder committed with Lock On Commit is read-only until reset. */
static void test_lock_on_commit(void **state)
{
	struct trio t;

	(void)state;
	trio_new(&t, "qemu72-type3", 0);
	step(&t, op_access(CXL_OP_MMIO_WRITE, 0x1124, 4, 0x1));          /* Base 4 GiB */
	step(&t, op_access(CXL_OP_MMIO_WRITE, 0x1128, 4, 0x10000000));   /* Size 256 MiB */
	step(&t, op_access(CXL_OP_MMIO_WRITE, 0x1130, 4, 0x300));        /* Commit + LOC */
	last(&t, op_access(CXL_OP_MMIO_WRITE, 0x1124, 4, 0x2), CXL_INV_LOCK_ON_COMMIT,
	     "HDM Decoder 0 Base High");
	trio_free(&t);
}

/*
 * CXL r3.1 §8.2.4.20.12: decoder 1 may commit with Lock On Commit only after decoder 0 is
 * committed (and above it); the spec device refuses (Error Not Committed), QEMU 7.2 commits.
 */
static void test_decoder_order(void **state)
{
	struct trio t;

	(void)state;
	trio_new(&t, "qemu72-type3", 2);
	step(&t, op_access(CXL_OP_MMIO_WRITE, 0x1144, 4, 0x1));          /* decoder 1: Base 4 GiB */
	step(&t, op_access(CXL_OP_MMIO_WRITE, 0x1148, 4, 0x10000000));   /* Size 256 MiB */
	last(&t, op_access(CXL_OP_MMIO_WRITE, 0x1150, 4, 0x300), CXL_INV_DECODER_ORDER,
	     "HDM Decoder 1 Control");
	trio_free(&t);
}

/*
 * Full mode: a register whose value changed without the engine listing it is "tracked".
 * The qemu-7.2 device's Lock write is shown with its change list cleared after the write.
 */
static void test_tracked(void **state)
{
	struct trio t;
	struct cxl_invariant_failure f;
	struct cxl_op op = op_access(CXL_OP_CFG_WRITE, 0x10c, 2, 0x0006);

	(void)state;
	trio_new(&t, "qemu72-type3", 0);
	cxl_checker_set_full(t.c_twin, true);
	apply(t.broken, &op);
	cxl_device_clear_changes(t.broken);
	assert_false(cxl_checker_after(t.c_twin, t.broken, &op, &f));
	assert_string_equal(cxl_invariant_name(f.inv), "tracked");
	assert_string_equal(f.reg, "DVSEC CXL Control");
	trio_free(&t);
}

/* Names and sections: every invariant has both, and lookup is the inverse of the name. */
static void test_names(void **state)
{
	(void)state;
	for (int i = 0; i < CXL_INV__COUNT; i++) {
		assert_non_null(cxl_invariant_name((enum cxl_invariant)i));
		assert_non_null(strstr(cxl_invariant_spec((enum cxl_invariant)i), "§") ?
				cxl_invariant_spec((enum cxl_invariant)i) :
				strstr(cxl_invariant_spec((enum cxl_invariant)i), ".h"));
		assert_int_equal(cxl_invariant_lookup(cxl_invariant_name((enum cxl_invariant)i)), i);
	}
	assert_null(cxl_invariant_name(CXL_INV__COUNT));
	assert_int_equal(cxl_invariant_lookup("no-such-invariant"), -1);
	assert_string_equal(cxl_invariant_spec(CXL_INV_LOCK_ON_COMMIT), "CXL r3.1 §8.2.4.20.13");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rwo),
		cmocka_unit_test(test_reserved),
		cmocka_unit_test(test_sticky),
		cmocka_unit_test(test_config_lock),
		cmocka_unit_test(test_lock_on_commit),
		cmocka_unit_test(test_decoder_order),
		cmocka_unit_test(test_tracked),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
