/* SPDX-License-Identifier: MIT */
/*
 * topology.c - where component register blocks are, learnt from the input.
 *
 * Shared by all importers. For each CXL function it keeps a shadow of the
 * config bytes the guest read and the BARs the guest programmed; the block
 * base is BAR[BIR] + offset from the Register Locator DVSEC (ID 8, vendor
 * 0x1e98; entries at +0x0C + 8i; block id 1 = component registers). Only
 * layouts are known here, never register rules.
 */
#include <stdlib.h>
#include <string.h>

#include "import_int.h"

#define DVSEC_CAP_ID 0x23
#define CXL_DVSEC_VENDOR 0x1e98
#define DVSEC_REG_LOCATOR 8
#define RBI_COMPONENT 1
#define BLOCK_SIZE 0x10000ull
#define BAR_OFF 0x10

static const struct imp_kind_info kinds[IMP_KIND__COUNT] = {
	[IMP_KIND_TYPE3] = { "cxl-type3", "ep", "qemu72-type3", 0x8086, 0x0d93, true },
	[IMP_KIND_RP] = { "cxl-rp", "rp", "qemu72-root-port", 0x8086, 0x7075, true },
	[IMP_KIND_USP] = { "cxl-upstream", "usp", "qemu72-usp", 0x19e5, 0xa128, true },
	[IMP_KIND_DSP] = { "cxl-downstream", "dsp", "qemu72-dsp", 0x19e5, 0xa129, true },
	[IMP_KIND_HB] = { "host bridge", "hb", "qemu72-hb", 0, 0, false },
	[IMP_KIND_MAPPED] = { "mapped block", "ep", "qemu72-type3", 0, 0, false },
	[IMP_KIND_PINNED] = { "--device", "dev", "", 0, 0, false },
};

/* Static description of kind @k; never NULL for a valid kind. */
const struct imp_kind_info *imp_kind_info(enum imp_kind k)
{
	return &kinds[(unsigned)k < IMP_KIND__COUNT ? k : IMP_KIND_PINNED];
}

/* QEMU type name -> CXL kind; -1 for everything else (pxb-cxl included). */
int imp_kind_from_qemu_type(const char *s, size_t n)
{
	for (int k = 0; k <= IMP_KIND_DSP; k++)
		if (imp_word_is(s, n, kinds[k].qemu_type))
			return k;
	return -1;
}

/* Vendor/device ID -> CXL kind; -1 when not one of QEMU 7.2's CXL devices. */
int imp_kind_from_ids(uint16_t vendor, uint16_t device)
{
	for (int k = 0; k <= IMP_KIND_DSP; k++)
		if (kinds[k].vendor == vendor && kinds[k].device == device)
			return k;
	return -1;
}

/* Empty topology; ECAM at @ecam_base, 256 buses, until PCIEXBAR is written. */
void imp_topo_init(struct imp_topo *t, uint64_t ecam_base)
{
	uint64_t xbar = ecam_base | 1;

	memset(t, 0, sizeof(*t));
	t->ecam.base = ecam_base;
	t->ecam.size = 256ull << 20;
	t->ecam.on = true;
	for (int i = 0; i < 8; i++)
		t->ecam.xbar[i] = (uint8_t)(xbar >> (8 * i));
}

/* Frees the config shadows; @t may be reused after imp_topo_init(). */
void imp_topo_free(struct imp_topo *t)
{
	for (unsigned i = 0; i < t->ndev; i++) {
		free(t->dev[i].cfg);
		free(t->dev[i].known);
		t->dev[i].cfg = t->dev[i].known = NULL;
	}
	t->ndev = 0;
}

/* Adds an empty device; -1 when the device table is full or memory is out. */
static int add_dev(struct imp_topo *t, enum imp_kind kind, int bdf,
		   const struct cxl_import_pin *pin)
{
	struct imp_dev *d;

	if (t->ndev >= CXL_TRACE_MAX_DEVICES)
		return -1;
	d = &t->dev[t->ndev];
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	d->bdf = bdf;
	d->emit = -1;
	d->pin = pin;
	d->gen = 1;
	if (bdf >= 0) {
		d->cfg = calloc(1, 4096);
		d->known = calloc(1, 4096 / 8);
		if (!d->cfg || !d->known) {
			free(d->cfg);
			free(d->known);
			return -1;
		}
	}
	return (int)t->ndev++;
}

/*
 * The device for config function @bdf of @kind, created on first use.
 * A BDF seen with a different kind (bus renumbering) is a new device.
 * Returns -1 when 64 devices exist already.
 */
int imp_topo_cfg_dev(struct imp_topo *t, int bdf, enum imp_kind kind,
		     const struct cxl_import_pin *pin)
{
	for (unsigned i = 0; i < t->ndev; i++)
		if (t->dev[i].bdf == bdf && t->dev[i].kind == kind)
			return (int)i;
	return add_dev(t, kind, bdf, pin);
}

/*
 * The device owning a fixed component block at @base (host bridge, --device
 * ADDR, mmiotrace MAP), created on first use. -1 when the table is full.
 */
int imp_topo_block_dev(struct imp_topo *t, enum imp_kind kind, uint64_t base,
		       const struct cxl_import_pin *pin, unsigned long line)
{
	int i;

	for (unsigned j = 0; j < t->ndev; j++)
		if (t->dev[j].bdf < 0 && t->dev[j].fixed_base == base)
			return (int)j;
	i = add_dev(t, kind, -1, pin);
	if (i >= 0) {
		t->dev[i].fixed_base = base;
		t->dev[i].origin_line = line;
	}
	return i;
}

/* Marks shadow bytes [off, off+size) of @d as observed with @value (LE). */
static void shadow_store(struct imp_dev *d, unsigned off, unsigned size,
			 uint64_t value)
{
	for (unsigned i = 0; i < size && off + i < 4096; i++) {
		unsigned o = off + i;
		uint8_t b = (uint8_t)(value >> (8 * i));
		uint8_t bit = (uint8_t)(1u << (o & 7));

		if (!(d->known[o >> 3] & bit) || d->cfg[o] != b) {
			d->cfg[o] = b;
			d->known[o >> 3] |= bit;
			d->gen++;
		}
	}
}

/* Reads @size shadow bytes at @off as LE; false unless all were observed. */
static bool shadow_load(const struct imp_dev *d, unsigned off, unsigned size,
			uint32_t *v)
{
	uint32_t x = 0;

	if (off + size > 4096)
		return false;
	for (unsigned i = 0; i < size; i++) {
		unsigned o = off + i;

		if (!(d->known[o >> 3] & (1u << (o & 7))))
			return false;
		x |= (uint32_t)d->cfg[o] << (8 * i);
	}
	*v = x;
	return true;
}

/* Learns BAR type bits from a value read from or written to a BAR dword. */
static void bar_type(struct imp_dev *d, unsigned i, uint32_t v, bool from_read)
{
	if (v & 1) {
		d->barf[i] |= IMP_BAR_IO | IMP_BAR_TYPED;
		d->barf[i] &= (uint8_t)~IMP_BAR_IS64;
	} else if (((v >> 1) & 3) == 2) {
		d->barf[i] |= IMP_BAR_IS64 | IMP_BAR_TYPED;
		d->barf[i] &= (uint8_t)~IMP_BAR_IO;
	} else if (from_read) {
		/* Type bits are read-only: a read is authoritative. */
		d->barf[i] |= IMP_BAR_TYPED;
		d->barf[i] &= (uint8_t)~(IMP_BAR_IS64 | IMP_BAR_IO);
	}
}

/*
 * Tracks one BAR dword. Writes of all-ones start sizing (the value that
 * follows on a read is a size mask, not an address, so it is ignored);
 * any other write or a read outside sizing is the programmed address.
 */
static void bar_access(struct imp_dev *d, unsigned i, bool write,
		       unsigned lane, unsigned size, uint64_t value)
{
	uint32_t mask = 0, v = 0;

	for (unsigned b = 0; b < size && lane + b < 4; b++) {
		mask |= 0xffu << (8 * (lane + b));
		v |= (uint32_t)((value >> (8 * b)) & 0xff) << (8 * (lane + b));
	}
	if (write) {
		if ((v & mask) == mask) {
			d->barf[i] |= IMP_BAR_SIZING;
			return;
		}
		d->barf[i] &= (uint8_t)~IMP_BAR_SIZING;
		d->bar[i] = (d->bar[i] & ~mask) | v;
		d->barf[i] |= IMP_BAR_SET;
		if (mask & 0xff)
			bar_type(d, i, v, false);
		d->gen++;
		return;
	}
	if (mask & 0xff)
		bar_type(d, i, v, true);
	if (d->barf[i] & IMP_BAR_SIZING)
		return;
	if ((d->bar[i] & mask) != v || !(d->barf[i] & IMP_BAR_SET)) {
		d->bar[i] = (d->bar[i] & ~mask) | v;
		d->barf[i] |= IMP_BAR_SET;
		d->gen++;
	}
}

/*
 * Records a config access of device @idx: reads fill the shadow (observed
 * values), reads and writes of 0x10..0x27 track the BARs.
 */
void imp_topo_cfg_access(struct imp_topo *t, int idx, bool write,
			 unsigned off, unsigned size, uint64_t value)
{
	struct imp_dev *d;

	if (idx < 0 || (unsigned)idx >= t->ndev || !t->dev[idx].cfg)
		return;
	d = &t->dev[idx];
	if (!write)
		shadow_store(d, off, size, value);
	for (unsigned i = 0; i < 6; i++) {
		unsigned lo = BAR_OFF + 4 * i, hi = lo + 4;
		unsigned s = off > lo ? off : lo;
		unsigned e = off + size < hi ? off + size : hi;

		if (s < e)
			bar_access(d, i, write, s - lo, e - s,
				   value >> (8 * (s - off)));
	}
}

enum loc_res { LOC_UNKNOWN, LOC_NONE, LOC_FOUND };

/*
 * Walks the extended capabilities in the shadow (from 0x100) for the
 * Register Locator and its component-register entry. FOUND when the entry
 * was read; NONE when every structure was read and there is no such entry;
 * UNKNOWN when the guest did not read enough to tell.
 */
static enum loc_res locator_walk(const struct imp_dev *d, unsigned *bir,
				 uint64_t *off)
{
	unsigned pos = 0x100;
	bool unsure = false;

	for (int steps = 0; steps < 1024; steps++) {
		uint32_t hdr, vendor, id, len, lo, hi;

		if (!shadow_load(d, pos, 4, &hdr))
			return LOC_UNKNOWN;
		if (hdr == 0 || hdr == 0xffffffff)
			break;
		if ((hdr & 0xffff) == DVSEC_CAP_ID) {
			if (!shadow_load(d, pos + 4, 2, &vendor) ||
			    !shadow_load(d, pos + 8, 2, &id)) {
				unsure = true;
			} else if (vendor == CXL_DVSEC_VENDOR &&
				   id == DVSEC_REG_LOCATOR) {
				if (!shadow_load(d, pos + 6, 2, &len))
					return LOC_UNKNOWN;
				len >>= 4;
				for (unsigned e = 0x0c; e + 8 <= len; e += 8) {
					if (!shadow_load(d, pos + e, 4, &lo)) {
						unsure = true;
						continue;
					}
					if (((lo >> 8) & 0xff) != RBI_COMPONENT)
						continue;
					if (!shadow_load(d, pos + e + 4, 4, &hi))
						return LOC_UNKNOWN;
					*bir = lo & 7;
					*off = (uint64_t)hi << 32 | (lo & 0xffff0000u);
					return LOC_FOUND;
				}
				return unsure ? LOC_UNKNOWN : LOC_NONE;
			}
		}
		if ((hdr >> 20) <= pos || (hdr >> 20) > 0xffc)
			break;
		pos = hdr >> 20;
	}
	return unsure ? LOC_UNKNOWN : LOC_NONE;
}

/* Address programmed in BAR @bir of @d (64-bit pairs joined); false if none. */
static bool bar_addr(const struct imp_dev *d, unsigned bir, uint64_t *addr)
{
	uint8_t f;
	bool is64;
	uint64_t a;

	if (bir > 5)
		return false;
	f = d->barf[bir];
	if (!(f & IMP_BAR_SET) || (f & IMP_BAR_IO))
		return false;
	/* QEMU 7.2's CXL devices all have a 64-bit BAR0. */
	is64 = (f & IMP_BAR_IS64) ||
	       (!(f & IMP_BAR_TYPED) && bir == 0 && imp_kind_info(d->kind)->qemu72);
	a = d->bar[bir] & ~0xfull;
	if (is64 && bir < 5 && (d->barf[bir + 1] & IMP_BAR_SET))
		a |= (uint64_t)d->bar[bir + 1] << 32;
	if (!a)
		return false;
	*addr = a;
	return true;
}

/* Recomputes the cached component block of @d if its state changed. */
static void refresh(struct imp_dev *d)
{
	unsigned bir = 0;
	uint64_t off = 0, a;
	enum loc_res r;

	if (d->cache_gen == d->gen)
		return;
	d->cache_gen = d->gen;
	d->cache_ok = false;
	d->cache_src = IMP_BASE_NONE;
	if (d->bdf < 0) {
		d->cache_ok = true;
		d->cache_base = d->fixed_base;
		d->cache_src = IMP_BASE_FIXED;
		return;
	}
	r = locator_walk(d, &bir, &off);
	if (r == LOC_FOUND) {
		d->cache_src = IMP_BASE_LOCATOR;
	} else if (r == LOC_UNKNOWN && imp_kind_info(d->kind)->qemu72) {
		bir = 0;
		off = 0;
		d->cache_src = IMP_BASE_FALLBACK;
	} else {
		return;
	}
	if (!bar_addr(d, bir, &a))
		return;
	d->cache_bir = bir;
	d->cache_off = off;
	d->cache_base = a + off;
	d->cache_ok = true;
}

/*
 * The device whose component block holds [@addr, @addr+@size), with the
 * block offset in *@offset; -1 when none. Pinned blocks win, then devices
 * in creation order.
 */
int imp_topo_block_lookup(struct imp_topo *t, uint64_t addr, unsigned size,
			  uint64_t *offset)
{
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned i = 0; i < t->ndev; i++) {
			struct imp_dev *d = &t->dev[i];
			bool pinned_block = d->bdf < 0 && d->pin;

			if (pinned_block != (pass == 0))
				continue;
			refresh(d);
			if (!d->cache_ok || addr < d->cache_base ||
			    addr - d->cache_base >= BLOCK_SIZE ||
			    addr - d->cache_base + size > BLOCK_SIZE)
				continue;
			*offset = addr - d->cache_base;
			d->used = true;
			d->used_src = d->cache_src;
			d->used_bir = d->cache_bir;
			d->used_off = d->cache_off;
			d->used_base = d->cache_base;
			return (int)i;
		}
	}
	return -1;
}

/*
 * ECAM: config function and offset of an access at @addr; false outside
 * the window, when it is off, or when the access crosses a 4 KiB function.
 */
bool imp_ecam_decode(const struct imp_ecam *e, uint64_t addr, unsigned size,
		     int *bdf, unsigned *off)
{
	uint64_t rel;

	if (!e->on || addr < e->base || addr - e->base >= e->size)
		return false;
	rel = addr - e->base;
	if ((rel & 0xfff) + size > 0x1000)
		return false;
	*bdf = (int)(rel >> 12);
	*off = (unsigned)(rel & 0xfff);
	return true;
}

/*
 * q35 PCIEXBAR (00:00.0 config 0x60, high dword 0x64): bit 0 enable,
 * bits 2:1 length (0 = 256 MiB, 1 = 128 MiB, 2 = 64 MiB, 3 reserved =
 * off), base = the 64-bit register aligned down to the length. Returns
 * true when the write touched the register.
 */
bool imp_ecam_mch_write(struct imp_ecam *e, int bdf, unsigned off,
			unsigned size, uint64_t value)
{
	uint64_t x = 0, len;
	bool hit = false;

	if (bdf != 0)
		return false;
	for (unsigned i = 0; i < size; i++) {
		if (off + i >= 0x60 && off + i < 0x68) {
			e->xbar[off + i - 0x60] = (uint8_t)(value >> (8 * i));
			hit = true;
		}
	}
	if (!hit)
		return false;
	e->programmed = true;
	for (int i = 7; i >= 0; i--)
		x = x << 8 | e->xbar[i];
	switch ((x >> 1) & 3) {
	case 0: len = 256ull << 20; break;
	case 1: len = 128ull << 20; break;
	case 2: len = 64ull << 20; break;
	default: len = 0; break;
	}
	e->on = (x & 1) && len;
	e->size = len;
	e->base = len ? x & ~(len - 1) : 0;
	return true;
}

/* Merges an observed read of config bytes 0..3 into the identity of @bdf. */
void imp_ids_note(struct imp_ids *ids, int bdf, unsigned off, unsigned size,
		  uint64_t value)
{
	if (bdf < 0 || bdf > 0xffff)
		return;
	for (unsigned i = 0; i < size; i++) {
		unsigned o = off + i;

		if (o >= 4)
			break;
		ids->id[bdf] &= ~(0xffu << (8 * o));
		ids->id[bdf] |= (uint32_t)((value >> (8 * i)) & 0xff) << (8 * o);
		ids->mask[bdf] |= (uint8_t)(1u << o);
	}
}

/*
 * Kind of @bdf from its vendor/device ID; -1 when not CXL or unknown.
 * *@identified is false when the ID was never (completely) read.
 */
int imp_ids_kind(const struct imp_ids *ids, int bdf, bool *identified)
{
	if (bdf < 0 || bdf > 0xffff || ids->mask[bdf] != 0xf) {
		*identified = false;
		return -1;
	}
	*identified = true;
	return imp_kind_from_ids((uint16_t)ids->id[bdf],
				 (uint16_t)(ids->id[bdf] >> 16));
}
