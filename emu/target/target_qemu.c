/* SPDX-License-Identifier: MIT */
/*
 * target_qemu.c - a live qemu-system-x86_64 as the target, driven by qtest with no guest
 * (../shared/reference/qemu72-qtest.md; measured on Debian 12's QEMU 7.2).
 *
 * Topology. Every trace device whose model has a QEMU type (spec/models match:) becomes a
 * QEMU device; what the trace lacks to connect them is added and hidden: each root port
 * hangs off a pxb-cxl host bridge, each switch upstream port off a free root port, downstream
 * ports off the upstream ports, endpoints off a free downstream port, else a free root port,
 * else a hidden root port. A new root port goes on the host bridge with the fewest root ports
 * and a new downstream port on the upstream port with the fewest downstream ports (the first
 * such, so the trace's own are dealt round robin). One bus holds 32 devices (the 5-bit Device
 * Number, PCIe r6.0 §7.2.2; QEMU takes addr=SLOT.FN in hex, slots 0-1f, measured: addr=20.0
 * is refused): when every host bridge (upstream port) has 32 and the trace declares none, a
 * further hidden one is added; when the trace declares its own, the start fails naming the
 * device that has no place. At most 16 host bridges (measured: QEMU 7.2 maps the component
 * blocks of 16 pxb-cxl; a 17th starts but its block reads 0, an 18th is refused with
 * "Insufficient space for pxb cxl host register space"). Bus numbers are handed out depth first
 * from 16 with no gaps: each host bridge's root bus follows the last bus of the previous host
 * bridge's subtree (measured: pxb-cxl bus_nr=16 with buses 17-19 below it and bus_nr=20 next
 * both answer), so no subtree runs into another's range; more than bus 255 fails the start.
 * Every device with a BAR0 gets a 1 MiB slot from 0xc0000000 in the same order, so a bridge's
 * memory window is the run of its subtree's slots. Each host bridge gets its own 4 GiB fixed
 * memory window; QEMU 7.2 takes them only in one -M option (measured: a second -M cxl-fmw.1...
 * is refused "Parameters 'cxl-fmw.*' used inconsistently"). A device with no QEMU counterpart is
 * not started: its ops are skipped. So is a device the trace configures in a way QEMU's cannot
 * be (another HDM decoder count than the model's, which is QEMU's; a firmware-committed decoder).
 *
 * Bring-up (no firmware runs): q35 PCIEXBAR at 0xb0000000 (ECAM, 256 buses), bus numbers,
 * BAR0 (64-bit), windows, Memory Space Enable, then each device must answer (its vendor/device
 * ID is not 0xffffffff) and its capability list is read (the PCI Express and Power
 * Management capabilities sit at different offsets per device type: measured PCIe at 0x48 on
 * cxl-rp, 0x90 on cxl-upstream/-downstream, 0x80 on cxl-type3; none of them has a PM
 * capability). Host bridge component blocks (CHBS) are not behind a BAR: with -m 512M QEMU
 * 7.2 places them at 0x100000000 + 64 KiB * n, in pxb-cxl order (measured: the capability
 * array header reads at +0x1000, for 16 host bridges too).
 *
 * Ops: config accesses go to the function's ECAM address, component accesses to its block.
 * Config writes the target keeps to itself are skipped with the reason: the PCI header
 * (offsets below 0x40: BARs, bus numbers, windows, command, Bridge Control), because the
 * target owns that layout, and the control registers of the PCI Express capability (Device,
 * Link and Slot Control and their "2" siblings) and the PM capability's PMCSR, which reset,
 * power down or reroute what is below (measured: Initiate FLR on a cxl-downstream makes the
 * endpoint below read 0xffffffff; Power Controller Off in a cxl-rp's Slot Control does too).
 * cxlemu models none of them; status and capability registers, the DVSECs and the component
 * registers go through. Resets: cold = a fresh QEMU process; warm = a q35 system reset (Reset
 * Control 0xCF9 <- 6), both followed by the bring-up again and hitting every device; hot and
 * conventional = a secondary bus reset from the parent bridge (Bridge Control bit 6), hitting
 * the parent's whole subtree, which is then brought up again; a root port (on the pxb-cxl
 * root bus) or a host bridge has no parent bridge, so those are skipped. FLR = Initiate FLR
 * where Device Capabilities says FLR Capable: of the QEMU 7.2 CXL devices only cxl-upstream
 * and cxl-downstream do (Device Capabilities 0x10008000; cxl-rp and cxl-type3 read
 * 0x00008000), and an FLR of either resets the port and its whole subtree (measured: bus
 * numbers, BARs, Command and the RAS masks of every device below return to power-on; a
 * sibling downstream port and its endpoint keep theirs), so the subtree is reported in
 * also_reset and brought up again. Skipped: FLR elsewhere, CXL Reset (QEMU 7.2 has none) and
 * injections (qtest cannot make QEMU 7.2 log RAS errors or go viral).
 *
 * Dry (cxl_target_qemu_dry(), for `cxlemu export --to qtest`): the same topology, command
 * line and qtest commands, handed to a sink instead of a QEMU process; nothing runs. What the
 * live target reads from QEMU to decide (the capability list, FLR Capable) it reads from the
 * model of each QEMU device (spec/models/qemu72-*.yaml, the model whose match: names its QEMU
 * type), which holds those measured values; the identity checks are left out.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxlemu/catalog.h"
#include "cxlemu/device.h"
#include "child.h"
#include "target_priv.h"

#define ECAM_BASE 0xb0000000ull     /* q35 PCIEXBAR as programmed below */
#define MMIO_BASE 0xc0000000ull     /* the PCI hole (RAM is 512 MiB) */
#define MMIO_SLOT 0x100000ull       /* 1 MiB per device: bridge window granularity */
#define CHBS_BASE 0x100000000ull    /* measured, -m 512M: first pxb-cxl's component block */
#define CHBS_STRIDE 0x10000ull
#define HB_BUS0 16u                 /* the first host bridge's root bus */
#define BUS_LAST 255u               /* ECAM as programmed decodes buses 0-255 */
#define BUS_DEVICES 32u             /* device numbers on one bus (PCIe r6.0 §7.2.2) */
#define MAX_HB 16u                  /* measured: QEMU 7.2 maps 16 pxb-cxl component blocks */
#define MAX_QDEV 200                /* 64 trace devices with their hidden parents */

/* PCI configuration header offsets (PCIe r6.0 §7.5.1; see spec/structures/pci-type0-header.yaml). */
#define PCI_COMMAND CXL_A_PCI_TYPE0_HEADER_COMMAND
#define PCI_BAR0 CXL_REP_PCI_TYPE0_HEADER_BASE
#define PCI_CAP_PTR CXL_A_PCI_TYPE0_HEADER_CAPABILITIES_POINTER
#define PCI_HEADER_END CXL_SIZE_PCI_TYPE0_HEADER
#define PCI_BUS_NUMBERS 0x18u       /* Type 1: primary, secondary, subordinate (§7.5.1.3.2-4) */
#define PCI_MEM_WINDOW 0x20u        /* Type 1: Memory Base/Limit (§7.5.1.3.8) */
#define PCI_BRIDGE_CONTROL 0x3eu    /* Type 1: Bridge Control, bit 6 SBR (§7.5.1.3.13) */
#define BRIDGE_CONTROL_SBR 0x40u
#define CMD_MEMORY_SPACE CXL_F_PCI_TYPE0_HEADER_COMMAND_MEMORY_SPACE_ENABLE_MASK
#define PM_CAP_ID 0x01u             /* Power Management Capability (PCIe r6.0 §7.5.2) */
#define PM_PMCSR 0x04u              /* PM Control/Status: PowerState (§7.5.2.2) */
#define PCIE_CAP_ID 0x10u           /* PCI Express Capability (PCIe r6.0 §7.5.3) */
#define PCIE_DEVCAP 0x04u
#define PCIE_DEVCTL 0x08u           /* Device Control (§7.5.3.4) */
#define PCIE_LNKCTL 0x10u           /* Link Control (§7.5.3.7) */
#define PCIE_SLTCTL 0x18u           /* Slot Control (§7.5.3.10) */
#define PCIE_DEVCTL2 0x28u          /* Device Control 2 (§7.5.3.16) */
#define PCIE_LNKCTL2 0x30u          /* Link Control 2 (§7.5.3.19) */
#define PCIE_SLTCTL2 0x38u          /* Slot Control 2 (§7.5.3.22) */
#define DEVCAP_FLR (1u << 28)       /* Function Level Reset Capability (§7.5.3.3) */
#define DEVCTL_FLR (1u << 15)       /* Initiate Function Level Reset (§7.5.3.4) */
#define Q35_RESET_CONTROL 0xcf9u    /* Intel ICH9 Reset Control: 6 = full system reset */

enum qtype { Q_HB, Q_RP, Q_USP, Q_DSP, Q_T3 };

static const char *const qtype_names[] = { "pxb-cxl", "cxl-rp", "cxl-upstream", "cxl-downstream",
					   "cxl-type3" };

struct qdev {
	enum qtype type;
	int tdev;               /* trace device index, -1 when hidden */
	int model;              /* model index (identity check), -1 hidden */
	int parent;             /* qdev index of the parent (host bridge for a root port), -1 */
	unsigned bus, devfn;    /* config address (Q_HB: bus is its root bus) */
	unsigned secondary, subordinate;  /* bridges */
	unsigned port;          /* CXL port number (root and downstream ports) */
	uint64_t block;         /* component block address */
	unsigned slot0, slots;  /* BAR slots of the subtree (bridges), own slot first */
	unsigned nchild;        /* qdevs whose parent this is */
	unsigned pcie, pm;      /* PCI Express / PM capability offsets read at bring-up, 0 none */
	char id[16];
};

struct qemu {
	struct cxl_child child;
	cxl_qtest_sink sink;                   /* dry: every command goes here, no QEMU runs */
	void *sink_ctx;
	struct cxl_trace_header hdr;
	struct qdev q[MAX_QDEV];
	unsigned nq;
	bool trace_hbs, trace_usps;            /* the trace declares host bridges / upstream ports */
	int of_trace[CXL_TRACE_MAX_DEVICES];   /* trace device -> qdev, -1 none */
	char skip_reason[CXL_TRACE_MAX_DEVICES][128];
	char *argv[4 * MAX_QDEV + 32];
	unsigned argc;
	char args[32768];                      /* storage of the argv strings */
	size_t args_len;
	bool args_full;                        /* an argv word did not fit */
	const char *binary;
	unsigned long exchanges;
	/* the config writes bring-up made to trace devices, not yet taken (cxl_target_next_setup) */
	struct setup_write { unsigned dev; uint16_t offset; uint8_t size; uint32_t value; } setup[8 * MAX_QDEV];
	unsigned nsetup, setup_taken;
};


/* ---- topology ---- */

/*
 * Appends a qdev of @type for trace device @tdev (-1 hidden) of model @model below qdev
 * @parent (-1 none); returns its index, or -1 with @err set when MAX_QDEV are in use.
 */
static int add(struct qemu *m, enum qtype type, int tdev, int model, int parent, struct cxl_error *err)
{
	struct qdev *d;

	if (m->nq >= MAX_QDEV) {
		cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0,
			      "the topology needs more than %d QEMU devices", MAX_QDEV);
		return -1;
	}
	d = &m->q[m->nq];
	memset(d, 0, sizeof(*d));
	d->type = type;
	d->tdev = tdev;
	d->model = model;
	d->parent = parent;
	if (parent >= 0)
		m->q[parent].nchild++;
	if (tdev >= 0)
		m->of_trace[tdev] = (int)m->nq;
	return (int)m->nq++;
}

/* The QEMU device type of model @mi, or -1. */
static int type_of(int mi)
{
	const char *t = mi >= 0 ? cxl_model_qemu_type((unsigned)mi) : NULL;

	for (unsigned i = 0; t && i < sizeof(qtype_names) / sizeof(qtype_names[0]); i++)
		if (!strcmp(t, qtype_names[i]))
			return (int)i;
	return -1;
}

/* The first qdev of @type with no child, or -1. */
static int free_port(const struct qemu *m, enum qtype type)
{
	for (unsigned i = 0; i < m->nq; i++)
		if (m->q[i].type == type && !m->q[i].nchild)
			return (int)i;
	return -1;
}

/* The first qdev of @type with the fewest children, or -1 when there is none of @type. */
static int least_used(const struct qemu *m, enum qtype type)
{
	int best = -1;

	for (unsigned i = 0; i < m->nq; i++)
		if (m->q[i].type == type && (best < 0 || m->q[i].nchild < m->q[best].nchild))
			best = (int)i;
	return best;
}

/* How many qdevs of @type there are. */
static unsigned count(const struct qemu *m, enum qtype type)
{
	unsigned n = 0;

	for (unsigned i = 0; i < m->nq; i++)
		n += m->q[i].type == type;
	return n;
}

/*
 * The parent for a new qdev of @type Q_RP or Q_DSP (@what names it in messages: "root port
 * rp3", "a root port for ep3"): the least used host bridge or upstream port with fewer than
 * BUS_DEVICES children. When all are full, a hidden one is added if the trace declares none
 * of that type (a host bridge while fewer than MAX_HB, an upstream port on a free or new root
 * port); else -1 with @err saying what has no place.
 */
static int parent_for(struct qemu *m, enum qtype type, const char *what, struct cxl_error *err);

/* A root port for a new child (@for_dev names it): a free one, else a new hidden one. */
static int root_port(struct qemu *m, const char *for_dev, struct cxl_error *err)
{
	int rp = free_port(m, Q_RP), hb;
	char what[96];

	if (rp >= 0)
		return rp;
	snprintf(what, sizeof(what), "a root port for %s", for_dev);
	hb = parent_for(m, Q_RP, what, err);
	return hb < 0 ? -1 : add(m, Q_RP, -1, -1, hb, err);
}

static int parent_for(struct qemu *m, enum qtype type, const char *what, struct cxl_error *err)
{
	enum qtype up = type == Q_RP ? Q_HB : Q_USP;
	bool trace_own = up == Q_HB ? m->trace_hbs : m->trace_usps;
	int p = least_used(m, up);

	if (p >= 0 && m->q[p].nchild < BUS_DEVICES)
		return p;
	if (p >= 0 && trace_own) {
		cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0,
			      "no place for %s: each of the trace's %u %s holds at most %u %s (a bus has "
			      "32 device numbers, PCIe r6.0 §7.2.2)", what, count(m, up),
			      up == Q_HB ? "host bridge(s)" : "upstream port(s)", BUS_DEVICES,
			      up == Q_HB ? "root ports" : "downstream ports");
		return -1;
	}
	if (up == Q_HB) {
		if (count(m, Q_HB) >= MAX_HB) {
			cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0,
				      "no place for %s: %u host bridges of %u root ports are full "
				      "and QEMU 7.2 maps at most %u pxb-cxl host bridges", what, MAX_HB,
				      BUS_DEVICES, MAX_HB);
			return -1;
		}
		return add(m, Q_HB, -1, -1, -1, err);
	}
	p = root_port(m, what, err);
	return p < 0 ? -1 : add(m, Q_USP, -1, -1, p, err);
}

/*
 * Builds the topology from the trace's devices (see the top comment); fails with @err when it
 * cannot be built in QEMU 7.2.
 */
static enum cxl_err build_topology(struct qemu *m, struct cxl_error *err)
{
	const struct cxl_trace_header *h = &m->hdr;
	int type[CXL_TRACE_MAX_DEVICES];
	unsigned nhb = 0;

	for (unsigned i = 0; i < h->ndevices; i++) {
		const struct cxl_trace_device *td = &h->devices[i];
		int mi = cxl_model_lookup(td->model);
		char why[sizeof(m->skip_reason[0])] = "";   /* formatted aside: @td lives in @m too */

		m->of_trace[i] = -1;
		type[i] = type_of(mi);
		if (type[i] < 0) {
			snprintf(why, sizeof(why), "model %s has no QEMU device (spec/models match: qemu-type)",
				 td->model);
		} else if (td->hdm_decoders > 0 &&
			   (unsigned)td->hdm_decoders != cxl_model_hdm_decoders((unsigned)mi)) {
			/* QEMU builds its devices as they are: a device that differs is not run */
			snprintf(why, sizeof(why), "%s asks for %d HDM decoders; QEMU's %s has %u", td->name,
				 td->hdm_decoders, qtype_names[type[i]], cxl_model_hdm_decoders((unsigned)mi));
			type[i] = -1;
		} else if (td->fw_committed) {
			snprintf(why, sizeof(why),
				 "%s starts with a firmware-committed decoder; QEMU starts none committed", td->name);
			type[i] = -1;
		}
		memcpy(m->skip_reason[i], why, sizeof(why));
		nhb += type[i] == Q_HB;
	}
	if (nhb > MAX_HB)
		return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0,
				     "the trace has %u host bridges; QEMU 7.2 maps the component "
				     "registers of at most %u pxb-cxl (measured)", nhb, MAX_HB);
	m->trace_hbs = nhb > 0;
	m->trace_usps = false;
	for (unsigned i = 0; i < h->ndevices; i++)
		m->trace_usps |= type[i] == Q_USP;
	/* host bridges first: the trace's in order, else one hidden (more are added when full) */
	for (unsigned i = 0; i < h->ndevices; i++)
		if (type[i] == Q_HB && add(m, Q_HB, (int)i, cxl_model_lookup(h->devices[i].model), -1, err) < 0)
			return CXL_ERR_LIMIT;
	if (!m->trace_hbs && add(m, Q_HB, -1, -1, -1, err) < 0)
		return CXL_ERR_LIMIT;
	/* trace root ports, each on the least used host bridge: round robin */
	for (unsigned i = 0; i < h->ndevices; i++)
		if (type[i] == Q_RP) {
			char what[96];
			int hb;

			snprintf(what, sizeof(what), "root port %s", h->devices[i].name);
			hb = parent_for(m, Q_RP, what, err);
			if (hb < 0 || add(m, Q_RP, (int)i, cxl_model_lookup(h->devices[i].model), hb, err) < 0)
				return CXL_ERR_LIMIT;
		}
	/* upstream ports below free root ports */
	for (unsigned i = 0; i < h->ndevices; i++)
		if (type[i] == Q_USP) {
			int rp = root_port(m, h->devices[i].name, err);

			if (rp < 0 || add(m, Q_USP, (int)i, cxl_model_lookup(h->devices[i].model), rp, err) < 0)
				return CXL_ERR_LIMIT;
		}
	/* downstream ports on the least used upstream port: round robin (hidden ones if none) */
	for (unsigned i = 0; i < h->ndevices; i++)
		if (type[i] == Q_DSP) {
			char what[96];
			int usp;

			snprintf(what, sizeof(what), "downstream port %s", h->devices[i].name);
			usp = parent_for(m, Q_DSP, what, err);
			if (usp < 0 || add(m, Q_DSP, (int)i, cxl_model_lookup(h->devices[i].model), usp, err) < 0)
				return CXL_ERR_LIMIT;
		}
	/* endpoints: a free downstream port, a free root port, else a hidden root port */
	for (unsigned i = 0; i < h->ndevices; i++)
		if (type[i] == Q_T3) {
			int p = free_port(m, Q_DSP);

			if (p < 0)
				p = root_port(m, h->devices[i].name, err);
			if (p < 0 || add(m, Q_T3, (int)i, cxl_model_lookup(h->devices[i].model), p, err) < 0)
				return CXL_ERR_LIMIT;
		}
	return CXL_OK;
}

/* Appends one argv word (printf-style) to the command line; sets args_full when it does not fit. */
static void __attribute__((format(printf, 2, 3))) arg(struct qemu *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (m->argc + 1 >= sizeof(m->argv) / sizeof(m->argv[0])) {
		m->args_full = true;
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(m->args + m->args_len, sizeof(m->args) - m->args_len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(m->args) - m->args_len) {
		m->args_full = true;
		return;
	}
	m->argv[m->argc++] = m->args + m->args_len;
	m->argv[m->argc] = NULL;
	m->args_len += (size_t)n + 1;
}

/*
 * Numbers buses and BAR slots depth first below qdev @i (a bridge or a host bridge) whose
 * children sit on bus @bus; returns the next free bus number. A host bridge's children are
 * its root ports, an upstream port's its downstream ports: devices 0, 1, ... on that bus;
 * below a root or downstream port the one child is device 0.
 */
static unsigned number(struct qemu *m, unsigned i, unsigned bus, unsigned *slot)
{
	struct qdev *b = &m->q[i];
	unsigned next = bus + 1, ndown = 0;

	if (b->type != Q_HB) {
		b->secondary = bus;
		b->slot0 = *slot;
	}
	for (unsigned j = 0; j < m->nq; j++) {
		struct qdev *c = &m->q[j];

		if (c->parent != (int)i)
			continue;
		c->bus = bus;
		c->devfn = (c->type == Q_DSP || c->type == Q_RP ? ndown : 0) << 3;
		c->port = ndown++;
		c->block = MMIO_BASE + MMIO_SLOT * (*slot)++;
		if (c->type != Q_T3)
			next = number(m, j, next, slot);
	}
	if (b->type != Q_HB) {
		b->subordinate = next - 1;
		b->slots = *slot - b->slot0;
	}
	return next;
}

/*
 * Lays out buses, BARs and the command line. Fails with @err when the buses run past 255 or
 * the command line does not fit.
 */
static enum cxl_err layout(struct qemu *m, struct cxl_error *err)
{
	unsigned slot = 0, hbn = 0, bus = HB_BUS0;
	char fmw[MAX_HB * 64];
	size_t fl = 0;

	for (unsigned i = 0; i < m->nq; i++) {
		struct qdev *d = &m->q[i];

		if (d->type != Q_HB)
			continue;
		/* each root bus right after the previous host bridge's last bus (see the top) */
		d->bus = bus;
		d->block = CHBS_BASE + CHBS_STRIDE * hbn;
		snprintf(d->id, sizeof(d->id), "hb%u", hbn++);
		bus = number(m, i, d->bus, &slot);
	}
	if (bus - 1 > BUS_LAST)
		return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0,
				     "the topology needs buses %u-%u; ECAM decodes buses up to %u",
				     HB_BUS0, bus - 1, BUS_LAST);
	/* ids and the command line */
	m->argc = 0;
	m->args_len = 0;
	m->args_full = false;
	arg(m, "%s", m->binary);
	arg(m, "-machine");
	arg(m, "q35,cxl=on");
	arg(m, "-S");
	arg(m, "-qtest");
	arg(m, "stdio");
	arg(m, "-display");
	arg(m, "none");
	arg(m, "-nodefaults");
	arg(m, "-m");
	arg(m, "512M");
	for (unsigned i = 0, nrp = 0, nusp = 0, ndsp = 0, nep = 0; i < m->nq; i++) {
		struct qdev *d = &m->q[i];

		/* addr=SLOT.FN: QEMU parses SLOT as hex (measured: addr=10.0 is device 0x10) */
		switch (d->type) {
		case Q_HB:
			arg(m, "-device");
			arg(m, "pxb-cxl,bus_nr=%u,bus=pcie.0,id=%s", d->bus, d->id);
			break;
		case Q_RP:
			snprintf(d->id, sizeof(d->id), "rp%u", nrp++);
			arg(m, "-device");
			arg(m, "cxl-rp,port=%u,bus=%s,id=%s,chassis=0,slot=%u,addr=%x.0", d->port,
			    m->q[d->parent].id, d->id, nrp, d->devfn >> 3);
			break;
		case Q_USP:
			snprintf(d->id, sizeof(d->id), "usp%u", nusp++);
			arg(m, "-device");
			arg(m, "cxl-upstream,bus=%s,id=%s,addr=0.0", m->q[d->parent].id, d->id);
			break;
		case Q_DSP:
			snprintf(d->id, sizeof(d->id), "dsp%u", ndsp++);
			arg(m, "-device");
			arg(m, "cxl-downstream,port=%u,bus=%s,id=%s,chassis=1,slot=%u,addr=%x.0", d->port,
			    m->q[d->parent].id, d->id, ndsp, d->devfn >> 3);
			break;
		case Q_T3:
			snprintf(d->id, sizeof(d->id), "ep%u", nep);
			arg(m, "-object");
			arg(m, "memory-backend-ram,id=pmem%u,size=256M", nep);
			arg(m, "-object");
			arg(m, "memory-backend-ram,id=lsa%u,size=256M", nep);
			arg(m, "-device");
			arg(m, "cxl-type3,bus=%s,memdev=pmem%u,lsa=lsa%u,id=%s", m->q[d->parent].id, nep, nep,
			    d->id);
			nep++;
			break;
		}
	}
	/*
	 * One 4 GiB window per host bridge, all in one -M option: QEMU 7.2 refuses a second
	 * -M cxl-fmw.N... with "Parameters 'cxl-fmw.*' used inconsistently" (measured).
	 */
	fmw[0] = '\0';
	for (unsigned i = 0, w = 0; i < m->nq; i++)
		if (m->q[i].type == Q_HB) {
			fl += (size_t)snprintf(fmw + fl, sizeof(fmw) - fl, "%scxl-fmw.%u.targets.0=%s,cxl-fmw.%u.size=4G",
					       w ? "," : "", w, m->q[i].id, w);
			w++;
		}
	arg(m, "-M");
	arg(m, "%s", fmw);
	if (m->args_full)
		return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0,
				     "the QEMU command line for %u devices does not fit", m->nq);
	return CXL_OK;
}

/* ---- qtest ---- */

/* Sends one qtest command and reads its answer (skipping IRQ lines) into @ans. */
static enum cxl_err qt(struct qemu *m, const char *cmd, char *ans, size_t len, struct cxl_error *err)
{
	enum cxl_err rc;

	if (m->sink) {
		/* dry: the command is the output; a read "answers" 0 (its value is not used) */
		m->sink(m->sink_ctx, cmd);
		m->exchanges++;
		snprintf(ans, len, "OK 0x0");
		return CXL_OK;
	}
	rc = cxl_child_send(&m->child, cmd, err);

	while (!rc) {
		rc = cxl_child_recv(&m->child, ans, len, err);
		if (rc || strncmp(ans, "IRQ", 3))
			break;
	}
	m->exchanges++;
	if (!rc && strncmp(ans, "OK", 2)) {
		cxl_child_stop(&m->child);
		return cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0, "qemu answered '%.200s' to '%.100s'",
				     ans, cmd);
	}
	return rc;
}

static const char *const rd[] = { NULL, "readb", "readw", NULL, "readl", NULL, NULL, NULL, "readq" };
static const char *const wr[] = { NULL, "writeb", "writew", NULL, "writel", NULL, NULL, NULL, "writeq" };

/* Reads @size (1, 2, 4, 8) bytes at guest physical @addr into @v; stops QEMU on a bad answer. */
static enum cxl_err mem_read(struct qemu *m, uint64_t addr, unsigned size, uint64_t *v,
			     struct cxl_error *err)
{
	char cmd[64], ans[128];
	enum cxl_err rc;

	snprintf(cmd, sizeof(cmd), "%s 0x%" PRIx64, rd[size], addr);
	rc = qt(m, cmd, ans, sizeof(ans), err);
	if (rc)
		return rc;
	if (sscanf(ans, "OK %" SCNx64, v) != 1) {
		cxl_child_stop(&m->child);
		return cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0, "qemu answered '%.100s' to '%s'", ans, cmd);
	}
	if (size < 8)
		*v &= (1ULL << (8 * size)) - 1;
	return CXL_OK;
}

/* Writes @size (1, 2, 4, 8) bytes of @v at guest physical @addr. */
static enum cxl_err mem_write(struct qemu *m, uint64_t addr, unsigned size, uint64_t v,
			      struct cxl_error *err)
{
	char cmd[80], ans[128];

	snprintf(cmd, sizeof(cmd), "%s 0x%" PRIx64 " 0x%" PRIx64, wr[size], addr, v);
	return qt(m, cmd, ans, sizeof(ans), err);
}

/* The ECAM address of config offset @off of @d (PCIe r6.0 §7.2.2). */
static uint64_t ecam(const struct qdev *d, unsigned off)
{
	return ECAM_BASE + ((uint64_t)d->bus << 20 | (uint64_t)d->devfn << 12 | off);
}

/*
 * Writes config register @off (@size bytes) of @d for bring-up, and notes the write when @d is
 * a trace device, so that whoever runs the trace on the model makes it too.
 */
static enum cxl_err setup_write(struct qemu *m, const struct qdev *d, unsigned off, unsigned size,
				uint64_t v, struct cxl_error *err)
{
	if (d->tdev >= 0 && m->nsetup < sizeof(m->setup) / sizeof(m->setup[0]))
		m->setup[m->nsetup++] = (struct setup_write){ (unsigned)d->tdev, (uint16_t)off,
							      (uint8_t)size, (uint32_t)v };
	return mem_write(m, ecam(d, off), size, v, err);
}

/* Programs the bus numbers, BAR0, window and command of @d and, for a bridge, below it. */
static enum cxl_err bring_up(struct qemu *m, unsigned i, struct cxl_error *err)
{
	struct qdev *d = &m->q[i];
	enum cxl_err rc = CXL_OK;

	if (d->type != Q_HB) {
		bool bridge = d->type != Q_T3;

		if (bridge)
			rc = setup_write(m, d, PCI_BUS_NUMBERS, 4,
				       (uint64_t)d->subordinate << 16 | d->secondary << 8 | d->bus, err);
		if (!rc)
			rc = setup_write(m, d, PCI_BAR0, 4, d->block & 0xffffffffu, err);
		if (!rc)
			rc = setup_write(m, d, PCI_BAR0 + 4, 4, d->block >> 32, err);
		if (!rc && bridge) {
			uint64_t lo = MMIO_BASE + MMIO_SLOT * (d->slot0), hi = lo + MMIO_SLOT * d->slots - 1;
			uint64_t win = d->slots ? (hi >> 16 & 0xfff0) << 16 | (lo >> 16 & 0xfff0) : 0x0000fff0;

			rc = setup_write(m, d, PCI_MEM_WINDOW, 4, win, err);
		}
		if (!rc)
			rc = setup_write(m, d, PCI_COMMAND, 2, CMD_MEMORY_SPACE, err);
	}
	for (unsigned j = 0; !rc && j < m->nq; j++)
		if (m->q[j].parent == (int)i && m->q[j].type != Q_RP)
			rc = bring_up(m, j, err);
	for (unsigned j = 0; !rc && d->type == Q_HB && j < m->nq; j++)
		if (m->q[j].parent == (int)i && m->q[j].type == Q_RP)
			rc = bring_up(m, j, err);
	return rc;
}

/*
 * Walks the capability list of @d (PCIe r6.0 §7.5.1.1.11, Capabilities Pointer at 0x34) and
 * notes where its PCI Express and Power Management capabilities are (0: absent).
 */
/*
 * Reads config register @off (@size bytes) of @d: from QEMU, or, dry, from the power-on state
 * of the model of @d's QEMU type (spec/models: what the live read would answer).
 */
static enum cxl_err cfg_read(struct qemu *m, const struct qdev *d, unsigned off, unsigned size,
			     uint64_t *v, struct cxl_error *err)
{
	struct cxl_device *dev = NULL;
	int mi;

	if (!m->sink)
		return mem_read(m, ecam(d, off), size, v, err);
	*v = 0;
	mi = cxl_model_by_qemu_type(qtype_names[d->type], strlen(qtype_names[d->type]));
	if (mi < 0 || cxl_device_create("dry", cxl_model_name((unsigned)mi), NULL, NULL, &dev, err))
		return cxl_error_set(err, CXL_ERR_VALUE, NULL, 0, 0, "no model of QEMU's %s to plan with",
				     qtype_names[d->type]);
	cxl_device_read(dev, CXL_SPACE_CONFIG, off, size, v);
	cxl_device_destroy(dev);
	return CXL_OK;
}

static enum cxl_err read_caps(struct qemu *m, struct qdev *d, struct cxl_error *err)
{
	uint64_t v;
	unsigned p, steps = 0;
	enum cxl_err rc = cfg_read(m, d, PCI_CAP_PTR, 1, &v, err);

	d->pcie = d->pm = 0;
	/* at most 48 capabilities fit in 0x40-0xff: a longer chain is a loop */
	for (p = (unsigned)v & 0xfc; !rc && p >= PCI_HEADER_END && steps++ < 48;
	     p = (unsigned)(v >> 8) & 0xfc) {
		rc = cfg_read(m, d, p, 2, &v, err);
		if (!rc && (v & 0xff) == PCIE_CAP_ID && !d->pcie)
			d->pcie = p;
		else if (!rc && (v & 0xff) == PM_CAP_ID && !d->pm)
			d->pm = p;
	}
	return rc;
}

/* The whole bring-up: ECAM, every host bridge's tree, identity checks, capability offsets. */
static enum cxl_err bring_up_all(struct qemu *m, struct cxl_error *err)
{
	char ans[128];
	enum cxl_err rc;

	/* q35 PCIEXBAR (00:00.0 0x60) through CF8/CFC: enable, 256 MiB, at ECAM_BASE */
	rc = qt(m, "outl 0xcf8 0x80000060", ans, sizeof(ans), err);
	if (!rc) {
		char cmd[64];

		snprintf(cmd, sizeof(cmd), "outl 0xcfc 0x%llx", ECAM_BASE | 1);
		rc = qt(m, cmd, ans, sizeof(ans), err);
	}
	for (unsigned i = 0; !rc && i < m->nq; i++)
		if (m->q[i].type == Q_HB)
			rc = bring_up(m, i, err);
	for (unsigned i = 0; !rc && i < m->nq; i++) {
		struct qdev *d = &m->q[i];
		uint64_t id;

		if (m->sink) {
			/* dry: no QEMU to ask; the model of its device type answers */
			rc = d->type == Q_HB ? CXL_OK : read_caps(m, d, err);
			continue;
		}
		if (d->type == Q_HB) {
			rc = mem_read(m, d->block + CXL_RANGE_CACHEMEM_START, 4, &id, err);
			if (!rc && (id & 0xffff) != 1)
				return cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0,
						     "qemu: no CXL capability array at 0x%" PRIx64 " for host bridge %s",
						     d->block + CXL_RANGE_CACHEMEM_START, d->id);
			continue;
		}
		rc = mem_read(m, ecam(d, 0), 4, &id, err);
		if (!rc && id == 0xffffffffu)
			return cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0,
					     "qemu: %s (%s) does not answer at %02x:%02x.%x", d->id,
					     qtype_names[d->type], d->bus, d->devfn >> 3, d->devfn & 7);
		if (!rc)
			rc = read_caps(m, d, err);
	}
	return rc;
}

/* Starts QEMU and brings the topology up. */
static enum cxl_err boot(struct qemu *m, unsigned timeout_ms, struct cxl_error *err)
{
	enum cxl_err rc;

	if (m->sink) {
		m->sink(m->sink_ctx, NULL);   /* dry: a fresh QEMU process starts here */
		return bring_up_all(m, err);
	}
	rc = cxl_child_start(&m->child, m->argv, "qemu", timeout_ms, err);

	if (!rc)
		rc = bring_up_all(m, err);
	return rc;
}

/*
 * QEMU's --version line (first line), for provenance, into @buf; within @timeout_ms like
 * every other exchange with the target (a binary that hangs here ends the run).
 */
static enum cxl_err version(const char *binary, unsigned timeout_ms, char *buf, size_t len,
			    struct cxl_error *err)
{
	struct cxl_child c = { .in = -1, .out = -1, .errfd = -1 };
	char *argv[] = { (char *)binary, (char *)"--version", NULL };
	char line[CXL_CHILD_LINE_MAX];
	enum cxl_err rc;

	snprintf(buf, len, "unknown");
	rc = cxl_child_start(&c, argv, "qemu", timeout_ms, err);
	if (!rc)
		rc = cxl_child_recv(&c, line, sizeof(line), err);
	cxl_child_stop(&c);
	if (rc)
		return cxl_error_set(err, rc, NULL, 0, 0, "%s --version: %.400s", binary, err->msg);
	snprintf(buf, len, "%.*s", (int)(len ? len - 1 : 0), line);   /* a long one is cut */
	return CXL_OK;
}

/*
 * Builds and lays out the topology for the devices of @h, records the provenance and boots
 * QEMU; a topology QEMU 7.2 cannot hold fails here with CXL_ERR_LIMIT and the reason.
 */
static enum cxl_err q_start(struct cxl_target *t, const struct cxl_trace_header *h,
			    struct cxl_error *err)
{
	struct qemu *m = calloc(1, sizeof(*m));
	char ver[256];
	enum cxl_err rc;
	size_t n;

	if (!m)
		return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "out of memory");
	t->impl = m;
	m->child.in = m->child.out = m->child.errfd = -1;
	m->hdr = *h;
	m->binary = t->arg[0] ? t->arg : "qemu-system-x86_64";
	m->sink = t->qtest_sink;
	m->sink_ctx = t->qtest_sink_ctx;
	rc = build_topology(m, err);
	if (!rc)
		rc = layout(m, err);
	if (rc)
		return rc;
	if (m->sink) {
		snprintf(t->provenance, sizeof(t->provenance), "target: qemu (dry: not run)\n");
		return boot(m, t->opts.timeout_ms, err);
	}
	rc = version(m->binary, t->opts.timeout_ms, ver, sizeof(ver), err);
	if (rc)
		return rc;
	n = (size_t)snprintf(t->provenance, sizeof(t->provenance), "target: qemu\nversion: %s\ncommand:", ver);
	for (unsigned i = 0; i < m->argc && n < sizeof(t->provenance); i++)
		n += (size_t)snprintf(t->provenance + n, sizeof(t->provenance) - n, " %s", m->argv[i]);
	if (n < sizeof(t->provenance))
		snprintf(t->provenance + n, sizeof(t->provenance) - n, "\n");
	return boot(m, t->opts.timeout_ms, err);
}

/* Marks in @mask every trace device in the subtree below bridge @i (not @i itself). */
static void subtree(const struct qemu *m, unsigned i, uint64_t *mask)
{
	for (unsigned j = 0; j < m->nq; j++)
		if (m->q[j].parent == (int)i) {
			if (m->q[j].tdev >= 0)
				*mask |= 1ULL << m->q[j].tdev;
			subtree(m, j, mask);
		}
}

/*
 * Performs reset @op of @d (see the top comment for what each kind does on QEMU 7.2): fills
 * @r->also_reset with the other trace devices it hit, or skips it with the reason.
 */
static enum cxl_err q_reset(struct cxl_target *t, struct qemu *m, const struct qdev *d,
			    const struct cxl_op *op, struct cxl_target_reply *r, struct cxl_error *err)
{
	enum cxl_err rc = CXL_OK;
	uint64_t v = 0, all = 0;
	char ans[128];

	for (unsigned i = 0; i < m->hdr.ndevices; i++)
		if (m->of_trace[i] >= 0 && (int)i != d->tdev)
			all |= 1ULL << i;
	switch (op->reset) {
	case CXL_RESET_COLD:
		cxl_child_stop(&m->child);
		rc = boot(m, t->opts.timeout_ms, err);
		r->also_reset = all;
		return rc;
	case CXL_RESET_WARM: {
		char cmd[64];

		snprintf(cmd, sizeof(cmd), "outb 0x%x 0x6", Q35_RESET_CONTROL);
		rc = qt(m, cmd, ans, sizeof(ans), err);
		if (!rc && m->sink)
			m->sink(m->sink_ctx, "");   /* dry: the reset happens before what follows */
		if (!rc)
			rc = bring_up_all(m, err);
		r->also_reset = all;
		return rc;
	}
	case CXL_RESET_HOT:
	case CXL_RESET_CONVENTIONAL: {
		const struct qdev *p = d->parent >= 0 ? &m->q[d->parent] : NULL;

		if (!p || p->type == Q_HB) {
			cxl_target_skip(r, "%s has no parent bridge to send a secondary bus reset in QEMU 7.2",
					qtype_names[d->type]);
			return CXL_OK;
		}
		rc = mem_write(m, ecam(p, PCI_BRIDGE_CONTROL), 2, BRIDGE_CONTROL_SBR, err);
		if (!rc)
			rc = mem_write(m, ecam(p, PCI_BRIDGE_CONTROL), 2, 0, err);
		for (unsigned j = 0; !rc && j < m->nq; j++)
			if (m->q[j].parent == d->parent)
				rc = bring_up(m, j, err);
		subtree(m, (unsigned)d->parent, &r->also_reset);
		r->also_reset &= ~(1ULL << d->tdev);
		return rc;
	}
	case CXL_RESET_FLR:
		if (d->type == Q_HB) {
			cxl_target_skip(r, "a host bridge has no FLR");
			return CXL_OK;
		}
		if (d->pcie)
			rc = cfg_read(m, d, d->pcie + PCIE_DEVCAP, 4, &v, err);
		if (rc)
			return rc;
		if (!d->pcie || !(v & DEVCAP_FLR)) {
			cxl_target_skip(r, "QEMU 7.2 %s is not FLR capable (Device Capabilities bit 28 is 0)",
					qtype_names[d->type]);
			return CXL_OK;
		}
		rc = mem_write(m, ecam(d, d->pcie + PCIE_DEVCTL), 2, DEVCTL_FLR, err);
		if (!rc)
			rc = bring_up(m, (unsigned)(d - m->q), err);
		/*
		 * QEMU 7.2 resets a bridge's secondary bus with it: an FLR of a cxl-upstream or
		 * cxl-downstream returns every device below to power-on (measured; a sibling
		 * port's subtree keeps its state). An endpoint has nothing below.
		 */
		subtree(m, (unsigned)(d - m->q), &r->also_reset);
		return rc;
	default:
		cxl_target_skip(r, "QEMU 7.2 has no CXL Reset");
		return CXL_OK;
	}
}

/*
 * The control register a config write of @size bytes at @off of @d lands in, when the target
 * keeps it to itself (see the top comment), as "<name>" with why in @why; NULL when the write
 * may go to QEMU.
 */
static const char *owned_control(const struct qdev *d, uint64_t off, unsigned size, unsigned *at,
				 const char **why)
{
	static const struct {
		unsigned cap_id, off, len;
		const char *name, *why;
	} regs[] = {
		{ PCIE_CAP_ID, PCIE_DEVCTL, 2, "PCI Express Device Control",
		  "Initiate Function Level Reset would reset the function (and, on a QEMU 7.2 switch "
		  "port, all below it) behind the trace's back; a reset op with kind flr does that" },
		{ PCIE_CAP_ID, PCIE_LNKCTL, 2, "PCI Express Link Control",
		  "Link Disable and Retrain Link act on the link itself, which would go down or retrain" },
		{ PCIE_CAP_ID, PCIE_SLTCTL, 2, "PCI Express Slot Control",
		  "Power Controller Control powers the slot off (QEMU 7.2: the device below stops "
		  "answering)" },
		{ PCIE_CAP_ID, PCIE_DEVCTL2, 2, "PCI Express Device Control 2",
		  "ARI Forwarding Enable changes how the bus below is routed" },
		{ PCIE_CAP_ID, PCIE_LNKCTL2, 2, "PCI Express Link Control 2",
		  "Target Link Speed and Enter Compliance act on the link itself" },
		{ PCIE_CAP_ID, PCIE_SLTCTL2, 2, "PCI Express Slot Control 2",
		  "it controls the slot's power interlock" },
		{ PM_CAP_ID, PM_PMCSR, 2, "Power Management Control/Status",
		  "PowerState D3hot stops the function decoding memory" },
	};

	for (unsigned i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		unsigned cap = regs[i].cap_id == PCIE_CAP_ID ? d->pcie : d->pm;

		if (cap && off < cap + regs[i].off + regs[i].len && off + size > cap + regs[i].off) {
			*at = cap;
			*why = regs[i].why;
			return regs[i].name;
		}
	}
	return NULL;
}

/* Performs @op on QEMU: an access, a reset, or a skip with the reason (see the top comment). */
static enum cxl_err q_op(struct cxl_target *t, const struct cxl_op *op,
			 struct cxl_target_reply *r, struct cxl_error *err)
{
	struct qemu *m = t->impl;
	int qi = op->dev < m->hdr.ndevices ? m->of_trace[op->dev] : -1;
	const struct qdev *d;
	const char *reg, *why;
	unsigned space, cap;
	bool write;

	if (op->kind == CXL_OP_MARK)
		return CXL_OK;
	if (qi < 0) {
		cxl_target_skip(r, "%s", op->dev < m->hdr.ndevices ? m->skip_reason[op->dev] : "no such device");
		return CXL_OK;
	}
	d = &m->q[qi];
	if (!m->sink && !m->child.pid)
		return cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0, "qemu is not running");
	if (cxl_op_kind_access(op->kind, &space, &write)) {
		uint64_t addr;

		if (space == CXL_SPACE_CONFIG) {
			if (d->type == Q_HB) {
				cxl_target_skip(r, "a pxb-cxl host bridge's component block has no config space");
				return CXL_OK;
			}
			if (write && op->offset < PCI_HEADER_END) {
				cxl_target_skip(r, "the qemu target programs the PCI header itself (BARs, bus numbers, windows, command)");
				return CXL_OK;
			}
			if (write && (reg = owned_control(d, op->offset, op->size, &cap, &why))) {
				cxl_target_skip(r, "the qemu target does not write %s (capability at 0x%x): %s",
						reg, cap, why);
				return CXL_OK;
			}
			addr = ecam(d, (unsigned)op->offset);
		} else {
			addr = d->block + op->offset;
		}
		if (write)
			return mem_write(m, addr, op->size, op->value, err);
		r->has_value = true;
		return mem_read(m, addr, op->size, &r->value, err);
	}
	if (op->kind == CXL_OP_RESET)
		return q_reset(t, m, d, op, r, err);
	cxl_target_skip(r, "qtest cannot make QEMU 7.2 log a RAS error or go viral (%s)",
			cxl_inject_kind_name(op->inject));
	return CXL_OK;
}

/* Stops QEMU (its whole process group) and frees the target's state. */
static void q_close(struct cxl_target *t)
{
	struct qemu *m = t->impl;

	if (!m)
		return;
	cxl_child_stop(&m->child);
	free(m);
}

/* The next bring-up write not yet taken (struct cxl_target_ops next_setup). */
static bool q_next_setup(struct cxl_target *t, struct cxl_op *op)
{
	struct qemu *m = t->impl;
	const struct setup_write *w;

	if (!m || m->setup_taken >= m->nsetup) {
		if (m)
			m->nsetup = m->setup_taken = 0;
		return false;
	}
	w = &m->setup[m->setup_taken++];
	memset(op, 0, sizeof(*op));
	op->kind = CXL_OP_CFG_WRITE;
	op->dev = w->dev;
	op->offset = w->offset;
	op->size = w->size;
	op->value = w->value;
	op->has_value = true;
	return true;
}

const struct cxl_target_ops cxl_target_qemu_ops = { q_start, q_op, q_close, q_next_setup };

void cxl_target_qemu_dry(struct cxl_target *t, cxl_qtest_sink fn, void *ctx)
{
	t->qtest_sink = fn;
	t->qtest_sink_ctx = ctx;
}

unsigned cxl_target_qemu_argv(const struct cxl_target *t, char *const **argv)
{
	const struct qemu *m = t->ops == &cxl_target_qemu_ops ? t->impl : NULL;

	*argv = m ? m->argv : NULL;
	return m ? m->argc : 0;
}
