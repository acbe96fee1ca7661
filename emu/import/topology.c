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

/* Layout facts, all from spec/ (cxlemu/spec_ids.h). */
#define DVSEC_CAP_ID CXL_F_CXL_DVSEC_HEADER_ECAP_HDR_CAPABILITY_ID_RESET   /* PCIe r6.0 §7.9.6 */
#define CXL_DVSEC_VENDOR CXL_F_CXL_DVSEC_HEADER_HDR1_DVSEC_VENDOR_ID_RESET /* 1E98h */
#define DVSEC_REG_LOCATOR CXL_DVSEC_ID_DVSEC_REGISTER_LOCATOR              /* CXL r3.1 §8.1.9 */
#define RBI_COMPONENT CXL_V_DVSEC_REGISTER_LOCATOR_BLOCK_LO_REGISTER_BLOCK_IDENTIFIER_COMPONENT
#define BLOCK_SIZE ((uint64_t)CXL_SPACE_COMPONENT_SIZE)                 /* CXL r3.1 §8.2.3 */
#define CFG_SIZE CXL_SPACE_CONFIG_SIZE                                   /* PCIe r6.0 §7.2.2 */
#define BAR_OFF CXL_REP_PCI_TYPE0_HEADER_BASE                            /* PCIe r6.0 §7.5.1.2.1 */
#define BAR_STRIDE CXL_REP_PCI_TYPE0_HEADER_STRIDE
#define NBARS CXL_REP_PCI_TYPE0_HEADER_MAX
#define BAR_IO CXL_F_PCI_TYPE0_HEADER_BAR_MEMORY_SPACE_INDICATOR_MASK
#define BAR_TYPE CXL_F_PCI_TYPE0_HEADER_BAR_MEMORY_TYPE_MASK
#define BAR_TYPE_64 ((uint32_t)CXL_V_PCI_TYPE0_HEADER_BAR_MEMORY_TYPE_MEM64 << \
		     CXL_F_PCI_TYPE0_HEADER_BAR_MEMORY_TYPE_SHIFT)
#define ECAP_NEXT_SHIFT CXL_F_CXL_DVSEC_HEADER_ECAP_HDR_NEXT_CAPABILITY_OFFSET_SHIFT
#define DVSEC_LEN_SHIFT CXL_F_CXL_DVSEC_HEADER_HDR1_DVSEC_LENGTH_SHIFT
#define LOC_ENTRY0 CXL_REP_DVSEC_REGISTER_LOCATOR_BASE                   /* entries at +0x0C */
#define LOC_STRIDE CXL_REP_DVSEC_REGISTER_LOCATOR_STRIDE
#define LOC_RBI_MASK CXL_F_DVSEC_REGISTER_LOCATOR_BLOCK_LO_REGISTER_BLOCK_IDENTIFIER_MASK
#define LOC_RBI_SHIFT CXL_F_DVSEC_REGISTER_LOCATOR_BLOCK_LO_REGISTER_BLOCK_IDENTIFIER_SHIFT
#define LOC_BIR_MASK CXL_F_DVSEC_REGISTER_LOCATOR_BLOCK_LO_REGISTER_BIR_MASK
#define LOC_OFF_MASK CXL_F_DVSEC_REGISTER_LOCATOR_BLOCK_LO_REGISTER_BLOCK_OFFSET_LOW_MASK
/* PCIe r6.0 §7.6: the extended capability list starts at 100h of config space. */
#define EXT_CAP_START 0x100u
/* PCIe r6.0 §7.5.1.3.2-4: type-1 header Primary, Secondary, Subordinate Bus Number. */
#define BUSNO_OFF 0x18u
#define BUS_SECONDARY 1
#define BUS_SUBORDINATE 2
/* PCIe r6.0 §7.5.1.1.11: Capabilities Pointer (bits 1:0 reserved); §7.5.1.1: capabilities
 * live above the 64-byte header. §7.5.3: PCI Express Capability, ID 10h; §7.5.3.6: Link
 * Capabilities at +0Ch, Port Number in bits 31:24 (its byte +0Fh). */
#define CAP_PTR CXL_A_PCI_TYPE0_HEADER_CAPABILITIES_POINTER
#define CAP_MIN 0x40u
#define PCIE_CAP_ID 0x10u
#define LINK_CAP_PORT_BYTE (0x0cu + 3u)

int imp_model_for_qemu_type(const char *s, size_t n)
{
	int m = cxl_model_by_qemu_type(s, n);

	return m >= 0 && cxl_model_has_config_space((unsigned)m) ? m : -1;
}

int imp_model_host_bridge(void)
{
	for (unsigned m = 0; m < cxl_model_count(); m++)
		if (cxl_model_kind(m) == CXL_KIND_HOST_BRIDGE && cxl_model_qemu_type(m) &&
		    !cxl_model_has_config_space(m))
			return (int)m;
	return -1;
}

/* Empty topology; ECAM at @ecam_base, 256 buses, until PCIEXBAR is written. */
void imp_topo_init(struct imp_topo *t, uint64_t ecam_base)
{
	uint64_t xbar = ecam_base | 1;

	memset(t, 0, sizeof(*t));
	t->hb_fn = -1;
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
static int add_dev(struct imp_topo *t, enum imp_kind kind, int model, int bdf,
		   const struct cxl_import_pin *pin)
{
	struct imp_dev *d;

	if (t->ndev >= CXL_TRACE_MAX_DEVICES)
		return -1;
	d = &t->dev[t->ndev];
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	d->model = model;
	d->bdf = bdf;
	d->emit = -1;
	d->pin = pin;
	d->gen = 1;
	if (bdf >= 0) {
		d->cfg = calloc(1, CFG_SIZE);
		d->known = calloc(1, CFG_SIZE / 8);
		if (!d->cfg || !d->known) {
			free(d->cfg);
			free(d->known);
			return -1;
		}
	}
	return (int)t->ndev++;
}

/*
 * The device for config function @bdf of @kind and @model, created on first use.
 * A BDF seen as another model (bus renumbering) is a new device.
 * Returns -1 when 64 devices exist already.
 */
int imp_topo_cfg_dev(struct imp_topo *t, int bdf, enum imp_kind kind, int model,
		     const struct cxl_import_pin *pin)
{
	for (unsigned i = 0; i < t->ndev; i++)
		if (t->dev[i].bdf == bdf && t->dev[i].kind == kind && t->dev[i].model == model)
			return (int)i;
	return add_dev(t, kind, model, bdf, pin);
}

/*
 * The device owning a fixed component block at @base (host bridge, --device
 * ADDR, mmiotrace MAP), created on first use. -1 when the table is full.
 */
int imp_topo_block_dev(struct imp_topo *t, enum imp_kind kind, int model, uint64_t base,
		       const struct cxl_import_pin *pin, unsigned long line)
{
	int i;

	for (unsigned j = 0; j < t->ndev; j++)
		if (t->dev[j].bdf < 0 && t->dev[j].fixed_base == base)
			return (int)j;
	i = add_dev(t, kind, model, -1, pin);
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
	for (unsigned i = 0; i < size && off + i < CFG_SIZE; i++) {
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

	if (off + size > CFG_SIZE)
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
	if (v & BAR_IO) {
		d->barf[i] |= IMP_BAR_IO | IMP_BAR_TYPED;
		d->barf[i] &= (uint8_t)~IMP_BAR_IS64;
	} else if ((v & BAR_TYPE) == BAR_TYPE_64) {
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
	for (unsigned i = 0; i < size; i++) {
		unsigned o = off + i;

		if (o >= BUSNO_OFF && o < BUSNO_OFF + 3) {
			d->busno[o - BUSNO_OFF] = (uint8_t)(value >> (8 * i));
			d->busno_known |= (uint8_t)(1u << (o - BUSNO_OFF));
		}
	}
	for (unsigned i = 0; i < NBARS; i++) {
		unsigned lo = BAR_OFF + BAR_STRIDE * i, hi = lo + 4;
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
	unsigned pos = EXT_CAP_START;
	bool unsure = false;

	for (int steps = 0; steps < 1024; steps++) {
		uint32_t hdr, vendor, id, len, lo, hi;

		if (!shadow_load(d, pos, 4, &hdr))
			return LOC_UNKNOWN;
		if (hdr == 0 || hdr == 0xffffffff)
			break;
		if ((hdr & CXL_F_CXL_DVSEC_HEADER_ECAP_HDR_CAPABILITY_ID_MASK) == DVSEC_CAP_ID) {
			if (!shadow_load(d, pos + CXL_A_CXL_DVSEC_HEADER_HDR1, 2, &vendor) ||
			    !shadow_load(d, pos + CXL_A_CXL_DVSEC_HEADER_HDR2, 2, &id)) {
				unsure = true;
			} else if (vendor == CXL_DVSEC_VENDOR &&
				   id == DVSEC_REG_LOCATOR) {
				if (!shadow_load(d, pos + CXL_A_CXL_DVSEC_HEADER_HDR1 + 2, 2, &len))
					return LOC_UNKNOWN;
				len >>= DVSEC_LEN_SHIFT - 16;
				for (unsigned e = LOC_ENTRY0; e + LOC_STRIDE <= len; e += LOC_STRIDE) {
					if (!shadow_load(d, pos + e, 4, &lo)) {
						unsure = true;
						continue;
					}
					if (((lo & LOC_RBI_MASK) >> LOC_RBI_SHIFT) != RBI_COMPONENT)
						continue;
					if (!shadow_load(d, pos + e + CXL_A_DVSEC_REGISTER_LOCATOR_BLOCK_HI, 4, &hi))
						return LOC_UNKNOWN;
					*bir = (unsigned)(lo & LOC_BIR_MASK);
					*off = (uint64_t)hi << 32 | (lo & LOC_OFF_MASK);
					return LOC_FOUND;
				}
				return unsure ? LOC_UNKNOWN : LOC_NONE;
			}
		}
		if ((hdr >> ECAP_NEXT_SHIFT) <= pos || (hdr >> ECAP_NEXT_SHIFT) > CFG_SIZE - 4)
			break;
		pos = hdr >> ECAP_NEXT_SHIFT;
	}
	return unsure ? LOC_UNKNOWN : LOC_NONE;
}

/* Address programmed in BAR @bir of @d (64-bit pairs joined); false if none. */
static bool bar_addr(const struct imp_dev *d, unsigned bir, uint64_t *addr)
{
	uint8_t f;
	bool is64;
	uint64_t a;

	bool model64 = false;

	if (bir >= NBARS)
		return false;
	f = d->barf[bir];
	if (!(f & IMP_BAR_SET) || (f & IMP_BAR_IO))
		return false;
	/* Type bits never observed: the model's bars: says (spec/models). */
	if (!(f & IMP_BAR_TYPED) && d->model >= 0)
		cxl_model_bar((unsigned)d->model, bir, &model64, NULL);
	is64 = (f & IMP_BAR_IS64) || (!(f & IMP_BAR_TYPED) && model64);
	a = d->bar[bir] & CXL_F_PCI_TYPE0_HEADER_BAR_BASE_ADDRESS_MASK;
	if (is64 && bir + 1 < NBARS && (d->barf[bir + 1] & IMP_BAR_SET))
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
	} else if (r == LOC_UNKNOWN && d->model >= 0 &&
		   cxl_model_component_block((unsigned)d->model, &bir, &off)) {
		/* The guest did not read the locator: the model's own says where the block is. */
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
	if ((rel & (CFG_SIZE - 1)) + size > CFG_SIZE)
		return false;
	*bdf = (int)(rel >> 12);            /* PCIe r6.0 §7.2.2: bus << 20 | dev << 15 | fn << 12 */
	*off = (unsigned)(rel & (CFG_SIZE - 1));
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

		if (o >= CXL_A_PCI_TYPE0_HEADER_DEVICE_ID + 2)   /* vendor and device ID only */
			break;
		ids->id[bdf] &= ~(0xffu << (8 * o));
		ids->id[bdf] |= (uint32_t)((value >> (8 * i)) & 0xff) << (8 * o);
		ids->mask[bdf] |= (uint8_t)(1u << o);
	}
}

/*
 * Model of @bdf from its vendor/device ID (spec/models match:); -1 when no model has it.
 * *@identified is false when the ID was never (completely) read.
 */
int imp_ids_model(const struct imp_ids *ids, int bdf, bool *identified)
{
	int m;

	if (bdf < 0 || bdf > 0xffff || ids->mask[bdf] != 0xf) {
		*identified = false;
		return -1;
	}
	*identified = true;
	m = cxl_model_by_ids((ids->id[bdf] >> (8 * CXL_A_PCI_TYPE0_HEADER_VENDOR_ID)) & 0xffff,
			     (ids->id[bdf] >> (8 * CXL_A_PCI_TYPE0_HEADER_DEVICE_ID)) & 0xffff);
	return m >= 0 && cxl_model_has_config_space((unsigned)m) ? m : -1;
}

/* Notes host-bridge function @bdf; a second distinct one sets hb_fns_many. */
void imp_topo_note_hb_fn(struct imp_topo *t, int bdf)
{
	if (t->hb_fn < 0)
		t->hb_fn = bdf;
	else if (t->hb_fn != bdf)
		t->hb_fns_many = true;
}

/*
 * The Port Number of @d from its Link Capabilities, found by walking the capability list
 * in the shadow from the Capabilities Pointer; false when the guest did not read enough.
 */
static bool port_number(const struct imp_dev *d, int *port)
{
	uint32_t p, hdr, v;

	if (!d->cfg || !shadow_load(d, CAP_PTR, 1, &p))
		return false;
	p &= 0xfcu;
	for (int steps = 0; p >= CAP_MIN && p < 0x100u && steps < 48; steps++) {
		if (!shadow_load(d, p, 2, &hdr))
			return false;
		if ((hdr & 0xffu) == PCIE_CAP_ID) {
			if (!shadow_load(d, p + LINK_CAP_PORT_BYTE, 1, &v))
				return false;
			*port = (int)v;
			return true;
		}
		p = (hdr >> 8) & 0xfcu;
	}
	return false;
}

/* True for the kinds with a type-1 header (bridges: a Secondary Bus Number). */
static bool is_bridge(int kind)
{
	return kind == CXL_KIND_ROOT_PORT || kind == CXL_KIND_USP || kind == CXL_KIND_DSP;
}

/* Whether a @parent kind can be directly above a @child kind (PCIe r6.0 §1.3). */
static bool can_parent(int parent, int child)
{
	switch (child) {
	case CXL_KIND_DEVICE:
	case CXL_KIND_USP:
		return parent == CXL_KIND_ROOT_PORT || parent == CXL_KIND_DSP;
	case CXL_KIND_DSP:
		return parent == CXL_KIND_USP;
	default:
		return false;
	}
}

/*
 * The host bridges: one per bus that has root ports (a PCI bus belongs to one host bridge).
 * A host-bridge component block in the log (a pxb-cxl's CHBS) is the host bridge of a root
 * bus only when nothing else could be: one such block, one root bus, at most one host-bridge
 * function seen. A block that cannot be matched leaves every host bridge unknown: standing
 * in a node for a host bridge that has registers in the trace would hide its decoders.
 */
static void host_bridges(const struct imp_topo *t, const int *kind, struct imp_layout *l)
{
	bool bus[256] = { false };
	int hbdev = -1;
	unsigned nhbdev = 0;

	for (unsigned i = 0; i < t->ndev; i++) {
		if (kind[i] == CXL_KIND_ROOT_PORT && t->dev[i].bdf >= 0)
			bus[(unsigned)t->dev[i].bdf >> 8] = true;
		if (kind[i] == CXL_KIND_HOST_BRIDGE) {
			hbdev = (int)i;
			nhbdev++;
		}
	}
	for (unsigned b = 0; b < 256 && l->nhb < CXL_TRACE_MAX_NODES; b++)
		if (bus[b])
			l->hb[l->nhb++] = (struct imp_hb){ b, -1 };
	if (!nhbdev || !l->nhb)
		return;
	if (nhbdev > 1)
		l->no_hb = "more than one host-bridge component block";
	else if (l->nhb > 1)
		l->no_hb = "a host-bridge component block and more than one root bus";
	else if (t->hb_fns_many)
		l->no_hb = "a host-bridge component block and more than one host-bridge function";
	if (l->no_hb)
		l->nhb = 0;
	else
		l->hb[0].dev = hbdev;
}

/*
 * Places every device of @t whose @kind has a place (import_int.h): host bridges first,
 * then each device's bridge above it by bus number, then only whole chains are kept.
 */
void imp_topo_layout(const struct imp_topo *t, const int *kind, struct imp_layout *l)
{
	bool ok[CXL_TRACE_MAX_DEVICES];

	memset(l, 0, sizeof(*l));
	host_bridges(t, kind, l);
	for (unsigned i = 0; i < t->ndev; i++) {
		struct imp_place *p = &l->place[i];
		const struct imp_dev *d = &t->dev[i];
		unsigned bus;
		int found = -1, nfound = 0;

		*p = (struct imp_place){ IMP_WHY_NONE, -1, -1, -1, -1, false,
					 kind[i] == CXL_KIND_HOST_BRIDGE };
		if (kind[i] < 0 || kind[i] == CXL_KIND_HOST_BRIDGE || d->bdf < 0)
			continue;
		l->any = true;
		bus = (unsigned)d->bdf >> 8;
		if (kind[i] == CXL_KIND_ROOT_PORT || kind[i] == CXL_KIND_DSP)
			p->port_unread = !port_number(d, &p->port);
		if (kind[i] == CXL_KIND_ROOT_PORT) {
			p->why = IMP_WHY_NO_HB;
			for (unsigned h = 0; h < l->nhb; h++)
				if (l->hb[h].bus == bus) {
					p->hb = (int)h;
					p->why = IMP_WHY_PLACED;
				}
			continue;
		}
		for (unsigned j = 0; j < t->ndev; j++) {
			const struct imp_dev *x = &t->dev[j];

			if (j == i || !is_bridge(kind[j]) || x->bdf < 0 ||
			    !(x->busno_known & (1u << BUS_SECONDARY)) || !x->busno[BUS_SECONDARY] ||
			    x->busno[BUS_SECONDARY] != bus)
				continue;
			if ((x->busno_known & (1u << BUS_SUBORDINATE)) &&
			    x->busno[BUS_SUBORDINATE] < x->busno[BUS_SECONDARY])
				continue;   /* not a configured bridge (bus scan in progress) */
			found = (int)j;
			nfound++;
		}
		if (!nfound) {
			p->why = IMP_WHY_NO_BRIDGE;
		} else if (nfound > 1) {
			p->why = IMP_WHY_TWO_BRIDGES;
		} else if (!can_parent(kind[found], kind[i])) {
			p->why = IMP_WHY_WRONG_KIND;
			p->bridge = found;
		} else {
			p->why = IMP_WHY_PLACED;
			p->parent = found;
		}
	}
	/* placed only with the whole chain: up to a root port that has its host bridge */
	for (unsigned i = 0; i < t->ndev; i++) {
		int x = (int)i;

		ok[i] = false;
		for (unsigned n = 0; n <= CXL_TRACE_MAX_DEVICES && x >= 0; n++) {
			if (l->place[x].why != IMP_WHY_PLACED)
				break;
			if (kind[x] == CXL_KIND_ROOT_PORT) {
				ok[i] = true;
				break;
			}
			x = l->place[x].parent;
		}
	}
	for (unsigned i = 0; i < t->ndev; i++) {
		struct imp_place *p = &l->place[i];

		if (p->why == IMP_WHY_PLACED && !ok[i]) {
			p->why = IMP_WHY_ABOVE;
			p->bridge = p->parent;
			p->parent = -1;
		}
	}
}
