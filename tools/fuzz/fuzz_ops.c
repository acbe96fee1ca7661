/* SPDX-License-Identifier: MIT */
/*
 * fuzz_ops.c - the model as a fuzz target: fuzz-ops input (cxlemu/fuzzops.h) on the
 * seven-device topology, in memory, with the invariants of cxlemu/invariant.h checked
 * around every op. A finding aborts with what broke:
 *
 *   - an invariant (a locked field, a Lock-On-Commit decoder, an RWO latch, a reserved or
 *     HwInit bit, a sticky bit across a reset, committed decoders out of order);
 *   - determinism (one input in DETERMINISM_EVERY, every one in the regression driver): the
 *     same ops again on the restarted topology give another state or other events; this
 *     also checks cxl_device_restart(), which every input relies on;
 *   - the YAML round trip (one input in ROUNDTRIP_EVERY, every one when CXLEMU_FUZZ_ROUNDTRIP
 *     is set, as the regression driver does): the op stream written as a native trace and
 *     read back gives another state hash.
 *
 * Built for libFuzzer (LLVMFuzzerTestOneInput), AFL++ (afl_main.c) and the regression
 * driver (regress_main.c) from this one file. The topologies are built once per variant
 * and restarted (cxl_device_restart()) for every input: no allocation per input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxlemu/cxlemu.h"
#include "harness.h"

#define INPUT_MAX 4096               /* longer inputs are cut: deep, not long, sequences */
#define ROUNDTRIP_EVERY 65536
#define DETERMINISM_EVERY 8

/*
 * One device with its checker. Variants of one profile share the devices their headers
 * describe alike (five of seven: only ep0's decoder count and acc0's host state vary), so
 * the working set stays small and warm across inputs that pick different variants.
 */
struct slot {
	const char *profile;
	unsigned index;            /* the device's place in the topology */
	struct cxl_device_opts opts;
	struct cxl_device *dev;
	struct cxl_checker *chk;
	bool dirty;                /* an op touched it since its last restart */
};

struct topo {
	struct cxl_fuzzops *t;
	struct slot *s[CXL_FUZZOPS_DEVICES];
};

/* Register values of every device after a run, to compare two runs without hashing. */
#define STATE_MAX 4096
static uint64_t state_a[STATE_MAX], state_b[STATE_MAX];

/* A digest of the events of a run, so two runs can be compared cheaply. */
static uint64_t ev_digest;
static unsigned long ev_count;

static void on_event(void *ctx, const struct cxl_event *e)
{
	uint64_t h = ev_digest ^ (e->op * 0x100000001b3ULL) ^ ((uint64_t)e->rule << 32) ^ e->severity;

	(void)ctx;
	h ^= e->old_value * 0x9e3779b97f4a7c15ULL;
	h ^= e->new_value + (h << 6) + (h >> 2);
	ev_digest = h * 0x100000001b3ULL;
	ev_count++;
}

/* Stops the process on a finding: the fuzzer records the input. */
static void finding(const char *what, const char *detail)
{
	cxl_fuzz_finding("fuzz_ops", what, detail);
}

/* The device @index of @h with options @o, created on first use and then shared. */
static struct slot *slot_of(const struct cxl_trace_header *h, unsigned index,
			    const struct cxl_device_opts *o)
{
	static struct slot **all;
	static size_t n, cap;
	const struct cxl_trace_device *td = &h->devices[index];
	struct cxl_error err;
	struct slot *sl;

	for (size_t i = 0; i < n; i++)
		if (all[i]->index == index && !strcmp(all[i]->profile, h->profile) &&
		    !memcmp(&all[i]->opts, o, sizeof(*o)))
			return all[i];
	if (n == cap) {
		struct slot **m = realloc(all, (cap = cap ? 2 * cap : 64) * sizeof(*all));

		if (!m)
			finding("setup", "out of memory");
		all = m;
	}
	if (!(sl = calloc(1, sizeof(*sl))))
		finding("setup", "out of memory");
	sl->profile = h->profile;   /* the header outlives every slot: topologies are kept */
	sl->index = index;
	sl->opts = *o;
	if (cxl_device_create(td->name, td->model, h->profile, o, &sl->dev, &err) ||
	    cxl_checker_new(sl->dev, &sl->chk, &err))
		finding("setup", err.msg);
	cxl_device_set_sink(sl->dev, on_event, NULL);
	cxl_checker_set_full(sl->chk, cxl_fuzz_full_checks());
	cxl_device_clear_changes(sl->dev);   /* creation's own changes are no op's */
	all[n++] = sl;
	return sl;
}

/* The topology of @variant, built on first use. */
static struct topo *topo_of(unsigned variant)
{
	static struct topo **all;
	struct cxl_error err;
	struct topo *x;

	if (!all && !(all = calloc(cxl_fuzzops_variants(), sizeof(*all))))
		finding("setup", "out of memory");
	if (all[variant])
		return all[variant];
	x = calloc(1, sizeof(*x));
	if (!x || cxl_fuzzops_new(variant, &x->t, &err))
		finding("setup", x ? err.msg : "out of memory");
	for (unsigned i = 0; i < CXL_FUZZOPS_DEVICES; i++) {
		struct cxl_device_opts o;

		cxl_trace_device_opts(&cxl_fuzzops_header(x->t)->devices[i], &o);
		x->s[i] = slot_of(cxl_fuzzops_header(x->t), i, &o);
	}
	all[variant] = x;
	return x;
}

/* Which devices of @x are dirty, as a bit mask. */
static unsigned dirty_mask(const struct topo *x)
{
	unsigned m = 0;

	for (unsigned i = 0; i < CXL_FUZZOPS_DEVICES; i++)
		m |= (unsigned)x->s[i]->dirty << i;
	return m;
}

/* Applies @op to its device, as a replay does. */
static void apply(struct topo *x, const struct cxl_op *op, unsigned long opi)
{
	struct cxl_device *d = x->s[op->dev]->dev;
	unsigned space;
	bool write;
	uint64_t result;

	cxl_device_set_op(d, opi, op->line, "");
	cxl_device_set_op_flags(d, op->flags);
	if (cxl_op_kind_access(op->kind, &space, &write))
		cxl_device_access(d, space, write, op->offset, op->size, op->value, op->has_value, &result);
	else if (op->kind == CXL_OP_RESET)
		cxl_device_reset(d, op->reset);
	else if (op->kind == CXL_OP_INJECT)
		cxl_device_inject(d, op->inject, op->bit);
}

/* The state hash of the whole topology. */
static uint64_t topo_hash(const struct topo *x)
{
	uint64_t h = 0;

	for (unsigned i = 0; i < CXL_FUZZOPS_DEVICES; i++)
		h = cxl_device_hash(x->s[i]->dev, h);
	return h;
}

/* Puts every device an op touched back to its creation state, its checker too. */
static void restart(struct topo *x)
{
	for (unsigned i = 0; i < CXL_FUZZOPS_DEVICES; i++)
		if (x->s[i]->dirty) {
			cxl_device_restart(x->s[i]->dev);
			cxl_checker_restarted(x->s[i]->chk, x->s[i]->dev);
			x->s[i]->dirty = false;
		}
}

/*
 * The state of every touched register of every device, as (device, register, value)
 * triples in @state (STATE_MAX entries): untouched registers hold their creation values,
 * so two runs compare on these. How many entries.
 */
static unsigned snapshot(const struct topo *x, uint64_t *state)
{
	unsigned n = 0;

	for (unsigned i = 0; i < CXL_FUZZOPS_DEVICES; i++) {
		const unsigned *t;
		unsigned nt = x->s[i]->dirty ? cxl_device_touched(x->s[i]->dev, &t) : 0;

		for (unsigned k = 0; k < nt && n + 1 < STATE_MAX; k++) {
			uint64_t v = 0;

			cxl_device_reg_info(x->s[i]->dev, t[k], NULL, NULL, NULL, &v);
			state[n++] = (uint64_t)i << 32 | t[k];
			state[n++] = v;
		}
	}
	return n;
}

/* Runs the ops of @data on @x (restarted first), checking invariants when @check. */
static void run_bytes(struct topo *x, const uint8_t *data, size_t len, bool check)
{
	struct cxl_op op;
	size_t pos = CXL_FUZZOPS_HEADER;
	unsigned long opi = 0;

	restart(x);
	ev_digest = 0;
	ev_count = 0;
	while (cxl_fuzzops_next(x->t, data, len, &pos, &op)) {
		struct cxl_invariant_failure f;

		/* a checker keeps the state it last checked (the creation state after a restart);
		 * devices do not touch each other */
		x->s[op.dev]->dirty = true;
		apply(x, &op, opi);
		if (check && !cxl_checker_after(x->s[op.dev]->chk, x->s[op.dev]->dev, &op, &f)) {
			char msg[512];

			snprintf(msg, sizeof(msg), "op %lu (byte %lu) under %s: %s \"%s\": %s (0x%llx -> "
				 "0x%llx) (%s)", opi, op.line - 1, cxl_fuzzops_header(x->t)->profile,
				 f.device, f.reg, f.detail, (unsigned long long)f.before,
				 (unsigned long long)f.after, cxl_invariant_spec(f.inv));
			finding(cxl_invariant_name(f.inv), msg);
		}
		opi++;
	}
}

/* The op stream as a native YAML trace, read back and run: the same final state. */
static void roundtrip(struct topo *x, const uint8_t *data, size_t len, uint64_t want)
{
	struct cxl_trace_reader *r = NULL, *back = NULL;
	struct cxl_error err;
	struct cxl_op op;
	char *text = NULL;
	size_t tlen = 0;
	unsigned long opi = 0;
	bool done = false;
	FILE *f = open_memstream(&text, &tlen);

	if (!f || cxl_fuzzops_reader_on(x->t, data, len, "input", &r, &err) ||
	    cxl_trace_write_yaml(r, f, NULL, &err))
		finding("roundtrip", "cannot write the op stream as YAML");
	cxl_trace_close(r);
	fclose(f);
	if (cxl_trace_open_memory(text, tlen, "input.yaml", &back, &err))
		finding("roundtrip: the YAML rendering does not read back", err.msg);
	restart(x);
	while (!cxl_trace_next(back, &op, &done, &err) && !done) {
		if (op.dev >= CXL_FUZZOPS_DEVICES)
			finding("roundtrip", "a device index out of range");
		x->s[op.dev]->dirty = true;
		apply(x, &op, opi++);
	}
	if (!done)
		finding("roundtrip: the YAML rendering does not read back", err.msg);
	if (topo_hash(x) != want)
		finding("roundtrip", "the YAML rendering replays to another state");
	cxl_trace_close(back);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct topo *x;
	uint64_t d1;
	unsigned long n1;
	unsigned touched, na, nb;

	if (size > INPUT_MAX)
		size = INPUT_MAX;
	x = topo_of(cxl_fuzzops_variant(data, size));
	run_bytes(x, data, size, true);
	if (!cxl_fuzz_roundtrip_wanted(data, size, DETERMINISM_EVERY))
		return 0;
	na = snapshot(x, state_a);
	d1 = ev_digest;
	n1 = ev_count;
	touched = dirty_mask(x);
	run_bytes(x, data, size, false);
	for (unsigned i = 0; i < CXL_FUZZOPS_DEVICES; i++)   /* compare the same registers */
		x->s[i]->dirty |= (touched >> i) & 1;
	nb = snapshot(x, state_b);
	if (na != nb || memcmp(state_a, state_b, na * sizeof(*state_a)) || d1 != ev_digest ||
	    n1 != ev_count)
		finding("determinism", "the same ops gave another state or other events");
	if (cxl_fuzz_roundtrip_wanted(data, size, ROUNDTRIP_EVERY))
		roundtrip(x, data, size, topo_hash(x));
	return 0;
}
