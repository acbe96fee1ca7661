/* SPDX-License-Identifier: MIT */
/*
 * core_priv.h - the inside of a device instance (private to emu/core).
 *
 * Who does what:
 *   device.c     builds a device from the spec tables: registers, blocks, maps; resets, hash
 *   access.c     routes one access to the registers it touches (widths, alignment, byte enables)
 *   field.c      the attribute engine: one register write, field by field, locks included
 *   behaviour.c  the one table of structure behaviours (hooks per register, actions, injects)
 *   dvsec.c, hdm.c, ras.c   those behaviours; each includes only this header
 *   event.c      event emission and detail text
 *   catalog.c    name lookups into the spec tables
 * Modules reach registers through generated constants (spec_tables.h: CXL_S_, CXL_R_;
 * cxlemu/spec_ids.h: CXL_F_..._MASK) and the block API below, never by name.
 */
#ifndef CXLEMU_CORE_PRIV_H
#define CXLEMU_CORE_PRIV_H

#include "cxlemu/decode.h"
#include "cxlemu/catalog.h"
#include "cxlemu/device.h"
#include "core_fmt.h"
#include "spec_tables.h"

#define CXL_MAX_DECODERS CXL_REP_HDM_DECODER_MAX
#define CXL_REG_NAME_MAX 72
#define CXL_DEVICE_NAME_MAX 64

/* Exported from the shared library (everything else is hidden). */
#define CXL_EXPORT __attribute__((visibility("default")))

/* A field as this device applies it: profile overrides and capabilities resolved. */
struct cxl_field_eff {
	const struct cxl_field_spec *spec;
	uint64_t mask;           /* bits in the register */
	uint8_t access;          /* enum cxl_access */
	uint8_t action;          /* enum cxl_action */
	int16_t lock;            /* global lock index (spec_tables.h CXL_L_), -1 none */
};

struct cxl_block;

struct cxl_reg_inst {
	const struct cxl_reg_spec *spec;
	struct cxl_block *blk;   /* the placement it belongs to */
	uint8_t space, bytes;
	bool opaque;
	bool hooked;             /* the block's behaviour watches writes to it */
	int32_t buddy;           /* a register the behaviour pairs with it (set by bind; HDM: the
	                          * decoder's Control), -1 none */
	uint32_t offset;         /* absolute offset in its space */
	uint16_t instance;       /* repeat instance (0 for fixed registers) */
	const char *name;        /* display name, "{n}" replaced (in the device's names) */
	uint64_t value, reset_value;
	uint64_t latched;        /* RWO bits written since the last reset that cleared them */
	uint32_t field0, nfields;
	/*
	 * What a write does, by field attribute, as masks (cxl_write_masks(), at creation):
	 * a write that changes no wm_slow_change bit and sets no wm_slow_set bit, to a register
	 * that is no lock's release register, is decided by these masks alone (field.c).
	 */
	uint64_t wm_take;        /* take the written value (RW, RWS; not lockable) */
	uint64_t wm_w1c;         /* written 1s clear (RW1C, RW1CS) */
	uint64_t wm_trigger;     /* Doorbell: read 0 */
	uint64_t wm_slow_change; /* a change needs the field loop (RO, RsvdP, RWO, > 2 locks) */
	uint64_t wm_locked[2];   /* lockable take fields (RWL) by lock: take unless it holds */
	int16_t wm_lock[2];      /* their global lock indexes, -1 unused */
	uint64_t wm_any_take;    /* every field that takes writes (RW, RWS, RWL) */
	uint64_t wm_slow_set;    /* a 1 needs the field loop (RsvdZ, Doorbell) */
	bool release_reg;        /* a lock's release bits live here */
	uint64_t sizing;         /* a BAR's address bits as the spec lays them out (0: not a BAR):
	                          * a write setting all of them sizes it (no RO/RsvdP events) */
	/* An observation waiting for the next read (host.range-base-write): the value a guest
	 * write would have stored, and the op of that write. */
	bool pending;
	bool noted;              /* listed in the device's changes */
	bool touched;            /* listed in the device's touched registers */
	uint64_t pending_value;
	unsigned long pending_op;
};

struct cxl_behaviour;

/* One placement of a structure in a device, with O(1) register lookup. */
struct cxl_block {
	const struct cxl_struct_spec *st;
	const struct cxl_place_spec *pl;
	const struct cxl_behaviour *beh;  /* NULL: attributes only */
	unsigned sidx;           /* structure index (spec_tables.h CXL_S_) */
	unsigned ninst;          /* repeat instances */
	int32_t *fixed;          /* register index per fixed register, -1 absent */
	int32_t *rep;            /* [instance * st->rep_nregs + k], -1 absent */
};

/*
 * A DOE instance's mailbox state (doe.c): the request written since the last Go or Abort and
 * the response being read. Bounded: a request longer than CXL_DOE_REQ_MAX dwords is counted,
 * not kept (it is malformed for every protocol the model answers).
 */
#define CXL_DOE_REQ_MAX 64
#define CXL_DOE_RESP_MAX 256
struct cxl_doe {
	int block;               /* the DOE placement, -1 none */
	uint32_t req[CXL_DOE_REQ_MAX];
	unsigned nreq;           /* dwords written (may exceed CXL_DOE_REQ_MAX) */
	uint32_t resp[CXL_DOE_RESP_MAX];
	unsigned nresp, pos;     /* the response; pos: the dword the Read Data Mailbox shows */
	bool aborting;           /* the Control write being applied sets DOE Abort */
	uint64_t control_before; /* DOE Control before that write */
};

struct cxl_device {
	char name[CXL_DEVICE_NAME_MAX];
	const struct cxl_model_spec *model;
	const struct cxl_profile_spec *prof;
	unsigned nregs, nfields, nblocks;
	bool fast;               /* the fast paths are on (off: CXLEMU_ENGINE_SLOW set at creation) */
	struct cxl_reg_inst *regs;
	unsigned *changes;       /* registers whose value changed since the list was cleared */
	unsigned nchanges;
	/* registers whose state (value, latch, pending observation) may differ from the reset
	 * state since creation or the last restart: the only ones a reset or a restart needs to
	 * look at; every other register is at its reset value */
	unsigned *touched;
	unsigned ntouched;
	char *names;             /* every register's display name, CXL_REG_NAME_MAX each */
	/* per register and reset kind, the bits a reset of that kind restores (the profile's
	 * scope for the register's structure and the fields' stickiness: computed once) */
	uint64_t *reset_masks;   /* [reg * CXL_RESET__COUNT + kind] */
	struct cxl_field_eff *fields;
	struct cxl_block *blocks;
	int32_t *index;          /* storage of every block's fixed/rep arrays */
	int first_block[CXL_SPEC_NSTRUCTS]; /* first placement of each structure, -1 none */
	int16_t cfg_map[CXL_SPACE_CONFIG_SIZE];
	int16_t cm_map[CXL_SPACE_COMPONENT_SIZE];

	cxl_event_fn sink;
	void *sink_ctx;
	unsigned long op, line;
	const char *src;
	unsigned op_flags;       /* CXL_OPF_* of the current op */
	bool last_refused;       /* the last access was refused by the view's region */
	struct cxl_device_counters counters;
	unsigned long rule_checks[CXL_RULE__COUNT]; /* observation-rule checks made (judge: self) */
	struct cxl_check_counts checks;  /* every rule's (cxl_held(), cxl_emit()) */

	/* The host device (cxl_device_opts host, fw_committed): what a shadow is taken from. */
	bool passthrough;        /* any host state given: the host-safety rules watch the device */
	struct cxl_host_decoder host[CXL_HOST_DECODERS_MAX];
	bool host_config_lock, host_mem_enable;
	unsigned view;           /* enum cxl_view */
	struct cxl_doe doe;
};

/*
 * What one access did across the registers it touched, for rules that look at the whole
 * access (field.rw1c-clobber: a dword read-modify-write of DVSEC Control+Status clears
 * Viral_Status as surely as a same-register one).
 */
struct cxl_write_acc {
	uint64_t cleared_pending;  /* RW1C bits that were 1 and were written 1 */
	uint64_t changed_other;    /* bits of other writable fields that changed */
	int first_reg;             /* register of the first pending-status clear, -1 */
	bool w1c_covered;          /* the access wrote some RW1C bits (field.rw1c-clobber checked) */
};

/* ---- the block API (device.c): registers by generated constant, in O(1) ---- */

/* The first placement of structure @sidx (CXL_S_...), or NULL when the model has none. */
struct cxl_block *cxl_dev_block(struct cxl_device *d, unsigned sidx);
/*
 * Register index of global register @reg (CXL_R_...) in @b, instance @inst; -1 if absent.
 * Inline: the commit checks look registers up on the access path.
 */
static inline int cxl_block_reg(const struct cxl_block *b, unsigned reg, unsigned inst)
{
	const struct cxl_reg_spec *rs = &cxl_spec_regs[reg];

	if (!b || rs->structure != b->sidx)
		return -1;
	if (!rs->repeated)
		return b->fixed[reg - b->st->reg0];
	if (inst >= b->ninst)
		return -1;
	return b->rep[(size_t)inst * b->st->rep_nregs + (reg - b->st->rep_reg0)];
}
/*
 * Sets register @ri's value, listing it among the device's changes (cxl_device_changes())
 * when the value differs. Every change of a register's value after creation goes through
 * here or cxl_set_r(), so a checker can look at what changed instead of at everything.
 */
static inline void cxl_touch(struct cxl_device *d, unsigned ri)
{
	if (!d->regs[ri].touched) {
		d->regs[ri].touched = true;
		d->touched[d->ntouched++] = ri;
	}
}

static inline void cxl_set(struct cxl_device *d, unsigned ri, uint64_t v)
{
	struct cxl_reg_inst *r = &d->regs[ri];

	if (r->value == v)
		return;
	r->value = v;
	cxl_touch(d, ri);
	if (!r->noted) {
		r->noted = true;
		d->changes[d->nchanges++] = ri;
	}
}

/* cxl_set() for a register known by pointer. */
static inline void cxl_set_r(struct cxl_device *d, struct cxl_reg_inst *r, uint64_t v)
{
	cxl_set(d, (unsigned)(r - d->regs), v);
}

/* Value of register index @ri, 0 for -1. */
static inline uint64_t cxl_reg_value(const struct cxl_device *d, int ri)
{
	return ri >= 0 ? d->regs[ri].value : 0;
}
/* Restores registers to their reset values as each structure's scope for @kind says. */
void cxl_reset_structures(struct cxl_device *d, unsigned kind);
/*
 * Fills d->reset_masks: for each register and reset kind, the fields that kind restores:
 * all under a scope of all, the non-sticky ones under non-sticky, none under none. Done at
 * creation; again by anyone who changes field attributes afterwards (white-box tests).
 */
void cxl_reset_masks(struct cxl_device *d);
/* Computes every register's write masks (wm_*, release_reg) from its effective fields. */
void cxl_write_masks(struct cxl_device *d);
/*
 * Block @b as the host device has it after a reset of @kind, for a kernel shadow to take it
 * again: every register at its reset value, except the sticky fields the structure's own
 * reset scope (spec/structures, not the profile's) keeps across @kind: hardware status such
 * as Viral_Status survives a hot reset on the device, so a re-sampled shadow shows it.
 */
void cxl_host_block_after_reset(struct cxl_device *d, struct cxl_block *b, unsigned kind);

/* ---- field.c ---- */

/* Apply a write of @wval on the bytes in @be to register @ri. */
void cxl_reg_write(struct cxl_device *d, int ri, uint64_t be, uint64_t wval,
		   struct cxl_write_acc *acc);
/* Report field.rw1c-clobber for a finished access, if it applies. */
void cxl_write_acc_finish(struct cxl_device *d, const struct cxl_write_acc *acc);
/* True when lock @lock (global index) holds for register @ri under the device's profile. */
bool cxl_lock_held(const struct cxl_device *d, int ri, int lock);

/* ---- event.c ---- */

/* Detail of an event about to be emitted: kind, arguments, text argument. */
struct cxl_detail_args {
	unsigned kind;           /* enum cxl_detail */
	uint64_t arg[4];
	const char *text;
};

/*
 * Delivers an event for register @r (may be NULL) to the sink. @severity < 0 takes the
 * rule's default. No formatting happens here.
 */
void cxl_emit(struct cxl_device *d, unsigned rule, int severity, const struct cxl_reg_inst *r,
	      const char *field, uint64_t old_value, uint64_t new_value,
	      const struct cxl_detail_args *det);

/* ---- behaviour.c: the one table of what structures do beyond their attributes ---- */

/*
 * A structure's behaviour, like QEMU's RegisterAccessInfo but per structure: @bind runs once
 * the device is laid out (fills reset values that depend on the layout, applies @opts, marks
 * the registers whose writes it watches by setting ->hooked); @written runs after a write to
 * a hooked register with its old value, the written value and byte enables; @action runs a
 * Doorbell field's action; @inject sets a hardware event. NULL hooks do nothing.
 */
/* Rule @rule was evaluated on the current access and held (struct cxl_check_counts). */
static inline void cxl_held(struct cxl_device *d, unsigned rule)
{
	d->checks.rule_held[rule]++;
}

struct cxl_behaviour {
	enum cxl_err (*bind)(struct cxl_device *d, struct cxl_block *b,
			     const struct cxl_device_opts *opts, struct cxl_error *err);
	/* A write to a hooked register is about to be applied (before any lock or release). */
	void (*writing)(struct cxl_device *d, int ri, uint64_t be, uint64_t wval);
	void (*written)(struct cxl_device *d, int ri, uint64_t old_value, uint64_t written,
			uint64_t be);
	/*
	 * A hooked register was read: @be the bytes read, @seen the register as the reader saw it
	 * (the recorded bytes where the access has a recorded value, the model's elsewhere). The
	 * observation rules (judge: self) look at @seen: they judge what the guest got.
	 */
	void (*read)(struct cxl_device *d, int ri, uint64_t seen, uint64_t be);
	/*
	 * A kernel shadow takes the structure again from the host device: at creation
	 * (@kind < 0, after every bind) and after each reset of @kind; the behaviour decides from
	 * the profile's shadow: knob whether this kind applies to it.
	 */
	void (*take)(struct cxl_device *d, struct cxl_block *b, int kind);
	void (*action)(struct cxl_device *d, int ri, unsigned action);
	/* A write covered a trigger field with @action and wrote 0 to it: nothing ran (coverage). */
	void (*idle)(struct cxl_device *d, int ri, unsigned action);
	bool (*inject)(struct cxl_device *d, struct cxl_block *b, unsigned kind, unsigned bit);
	/* The registers were reset (@kind) or restarted (@kind < 0): state beyond them follows. */
	void (*reset)(struct cxl_device *d, struct cxl_block *b, int kind);
};

/* The behaviour of structure @sidx, or NULL (attributes only). */
const struct cxl_behaviour *cxl_behaviour_of(unsigned sidx);

/* The behaviours (dvsec.c, hdm.c, ras.c). */
extern const struct cxl_behaviour cxl_dvsec_behaviour, cxl_hdm_behaviour, cxl_ras_behaviour,
	cxl_doe_behaviour;

#endif
