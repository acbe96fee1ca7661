/* SPDX-License-Identifier: MIT */
/*
 * cxlemu/invariant.h - spec invariants of a device's state, checked around each op.
 *
 * A checker looks only at register values and at the attributes the device reports for its
 * fields (cxl_device_field_info(), cxl_device_reg_reset_scope()), never at how the engine
 * decided, so it catches an engine that breaks a rule it says it enforces: the fuzzers
 * (tools/fuzz) abort on a violation, `cxlemu minimize --invariant` shrinks a trace that
 * shows one. Call cxl_checker_before() before an op and cxl_checker_after() after it.
 * The checker owns the device's list of changes (cxl_device_changes()) while it runs.
 *
 * Under every personality (the attributes it gives the fields):
 *   rwo        an RWO field that was 1 is changed by a write            (CXL r3.1 §8.1.3.6)
 *   reserved   a RsvdP, RsvdZ or HwInit field of a written register changes (PCIe r6.0 §7.4)
 *   sticky     a sticky field changes across a reset whose scope keeps sticky fields (the
 *              scopes and attributes are those the device had at cxl_checker_new())
 * Under the spec personality (the default profile, cxl-3.1) only, as others differ on purpose:
 *   config-lock     a field locked by CONFIG_LOCK changes by a config write while it is set
 *                   (§8.1.3.6)
 *   lock-on-commit  a register of a decoder committed with Lock On Commit changes by an mmio
 *                   write (§8.2.4.20.13)
 *   decoder-order   a decoder m > 0 commits with Lock On Commit set while m-1 is not
 *                   committed, or with Base[m] < Base[m-1] + Size[m-1] (§8.2.4.20.12: the
 *                   checks a commit with Lock On Commit must pass)
 */
#ifndef CXLEMU_INVARIANT_H
#define CXLEMU_INVARIANT_H

#include <stdbool.h>
#include <stdint.h>

#include "cxlemu/device.h"
#include "cxlemu/error.h"
#include "cxlemu/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

enum cxl_invariant {
	CXL_INV_RWO,
	CXL_INV_RESERVED,
	CXL_INV_STICKY,
	CXL_INV_CONFIG_LOCK,
	CXL_INV_LOCK_ON_COMMIT,
	CXL_INV_DECODER_ORDER,
	CXL_INV_TRACKED,         /* full mode: the engine changed a register without listing it */
	CXL_INV__COUNT
};

struct cxl_invariant_failure {
	enum cxl_invariant inv;
	const char *device, *reg, *field;   /* device-owned names; field "" for a register */
	uint64_t before, after;             /* the register's values around the op */
	char detail[200];                   /* what broke, in words */
};

struct cxl_checker;

/* "rwo", "reserved", ...; NULL past the end. */
const char *cxl_invariant_name(enum cxl_invariant inv);
/* The spec section it stands for. */
const char *cxl_invariant_spec(enum cxl_invariant inv);
/* By name; -1 if none. */
int cxl_invariant_lookup(const char *name);

/*
 * A checker for @d (its layout and attributes are read once here). Create it on a device in
 * its creation state (fresh or restarted): cxl_checker_restarted() returns to that state.
 */
enum cxl_err cxl_checker_new(const struct cxl_device *d, struct cxl_checker **out,
			     struct cxl_error *err);
void cxl_checker_free(struct cxl_checker *c);
/* Records @d's state before an op (and clears its list of changes). */
void cxl_checker_before(struct cxl_checker *c, struct cxl_device *d);
/* After cxl_device_restart(@d): the creation state, recorded faster than cxl_checker_before(). */
void cxl_checker_restarted(struct cxl_checker *c, struct cxl_device *d);
/*
 * Checks @d after op @op (applied to it). Returns true when every invariant holds; else
 * false with the first violation in @f. The state it checked becomes the recorded one: ops
 * in a row on a device need cxl_checker_before() only before the first (and after anything
 * else changed the device, such as cxl_device_restart()).
 */
bool cxl_checker_after(struct cxl_checker *c, struct cxl_device *d, const struct cxl_op *op,
		       struct cxl_invariant_failure *f);
/*
 * By default a checker looks only at the registers the device lists as changed
 * (cxl_device_changes(), cleared by each check): cheap enough to run on every op of a
 * fuzzer. Full mode compares every register and also checks that list against the values
 * (invariant "tracked"): the regression driver's mode.
 */
void cxl_checker_set_full(struct cxl_checker *c, bool full);

#ifdef __cplusplus
}
#endif

#endif
