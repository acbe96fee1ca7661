/* SPDX-License-Identifier: MIT */
/*
 * target_qemu.c - a live qemu-system-x86_64 as the target, driven by qtest with no guest
 * (../shared/reference/qemu72-qtest.md; measured on Debian 12's QEMU 7.2).
 *
 * Topology. Every trace device whose model has a QEMU type (spec/models match:) becomes a
 * QEMU device; what the trace lacks to connect them is added and hidden: each root port
 * hangs off a pxb-cxl host bridge (trace host bridges first, else one hidden), each switch
 * upstream port off a root port, downstream ports off the upstream ports, endpoints off a
 * free downstream port, else a free root port, else a hidden one. Host bridges get bus
 * numbers 16, 48, 80 ...; buses below are numbered depth first. Every device with a BAR0
 * gets a 1 MiB slot from 0xc0000000 in the same order, so a bridge's memory window is the
 * run of its subtree's slots. A device with no QEMU counterpart is not started: its ops
 * are skipped. So is a device the trace configures in a way QEMU's cannot be (another HDM
 * decoder count than the model's, which is QEMU's; a firmware-committed decoder).
 *
 * Bring-up (no firmware runs): q35 PCIEXBAR at 0xb0000000 (ECAM, 256 buses), bus numbers,
 * BAR0 (64-bit), windows, Memory Space Enable, then each device's vendor/device ID is
 * checked against its model's. Host bridge component blocks (CHBS) are not behind a BAR:
 * with -m 512M QEMU 7.2 places them at 0x100000000 + 64 KiB * n, in pxb-cxl order
 * (measured: the capability array header reads at +0x1000).
 *
 * Ops: config accesses go to the function's ECAM address, component accesses to its block;
 * config writes into the PCI header (offsets below 0x40: BARs, bus numbers, windows,
 * command) are skipped, because the target owns that layout. Resets: cold = a fresh QEMU
 * process; warm = a q35 system reset (Reset Control 0xCF9 <- 6), both followed by the
 * bring-up again and hitting every device; hot and conventional = a secondary bus reset
 * from the parent bridge (Bridge Control bit 6), hitting the parent's whole subtree, which
 * is then brought up again; a root port (on the pxb-cxl root bus) or a host bridge has no
 * parent bridge, so those are skipped, as are FLR where Device Capabilities does not say
 * FLR Capable, CXL Reset (QEMU 7.2 has none) and injections (qtest cannot make QEMU 7.2
 * log RAS errors or go viral).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "child.h"
#include "target_priv.h"

#define ECAM_BASE 0xb0000000ull     /* q35 PCIEXBAR as programmed below */
#define MMIO_BASE 0xc0000000ull     /* the PCI hole (RAM is 512 MiB) */
#define MMIO_SLOT 0x100000ull       /* 1 MiB per device: bridge window granularity */
#define CHBS_BASE 0x100000000ull    /* measured, -m 512M: first pxb-cxl's component block */
#define CHBS_STRIDE 0x10000ull
#define HB_BUS0 16u
#define HB_BUS_STRIDE 32u
#define MAX_QDEV 96

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
#define PCIE_CAP_ID 0x10u           /* PCI Express Capability (PCIe r6.0 §7.5.3) */
#define PCIE_DEVCAP 0x04u
#define PCIE_DEVCTL 0x08u
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
	unsigned hb;            /* host bridge index (Q_HB: its own) */
	unsigned bus, devfn;    /* config address (not for Q_HB) */
	unsigned secondary, subordinate;  /* bridges */
	unsigned port;          /* CXL port number (root and downstream ports) */
	uint64_t block;         /* component block address */
	unsigned slot0, slots;  /* BAR slots of the subtree (bridges), own slot first */
	bool has_child;
	char id[16];
};

struct qemu {
	struct cxl_child child;
	struct cxl_trace_header hdr;
	struct qdev q[MAX_QDEV];
	unsigned nq;
	int of_trace[CXL_TRACE_MAX_DEVICES];   /* trace device -> qdev, -1 none */
	char skip_reason[CXL_TRACE_MAX_DEVICES][128];
	char *argv[4 * MAX_QDEV + 32];
	unsigned argc;
	char args[16384];                      /* storage of the argv strings */
	size_t args_len;
	const char *binary;
	unsigned long exchanges;
};

/* ---- topology ---- */

static int add(struct qemu *m, enum qtype type, int tdev, int model, int parent)
{
	struct qdev *d;

	if (m->nq >= MAX_QDEV)
		return -1;
	d = &m->q[m->nq];
	memset(d, 0, sizeof(*d));
	d->type = type;
	d->tdev = tdev;
	d->model = model;
	d->parent = parent;
	if (parent >= 0)
		m->q[parent].has_child = true;
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

/* The first qdev of @type with no child (and, for ports, not yet used), or -1. */
static int free_port(struct qemu *m, enum qtype type)
{
	for (unsigned i = 0; i < m->nq; i++)
		if (m->q[i].type == type && !m->q[i].has_child)
			return (int)i;
	return -1;
}

/* A root port for a new child: a free trace root port, else a hidden one on host bridge 0. */
static int root_port(struct qemu *m, unsigned nhb)
{
	int rp = free_port(m, Q_RP);

	if (rp >= 0)
		return rp;
	(void)nhb;
	return add(m, Q_RP, -1, -1, 0);
}

/* Builds the topology from the trace's devices; false when it has too many. */
static bool build_topology(struct qemu *m)
{
	const struct cxl_trace_header *h = &m->hdr;
	int type[CXL_TRACE_MAX_DEVICES];
	unsigned nhb = 0, rps = 0;

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
	}
	/* host bridges first: trace ones in order, else one hidden */
	for (unsigned i = 0; i < h->ndevices; i++)
		if (type[i] == Q_HB && add(m, Q_HB, (int)i, cxl_model_lookup(h->devices[i].model), -1) >= 0)
			nhb++;
	if (!nhb && add(m, Q_HB, -1, -1, -1) >= 0)
		nhb = 1;
	for (unsigned i = 0; i < m->nq; i++)
		m->q[i].hb = i;
	/* trace root ports, round robin over the host bridges */
	for (unsigned i = 0; i < h->ndevices; i++)
		if (type[i] == Q_RP && add(m, Q_RP, (int)i, cxl_model_lookup(h->devices[i].model),
					   (int)(rps++ % nhb)) < 0)
			return false;
	/* upstream ports below root ports */
	for (unsigned i = 0; i < h->ndevices; i++)
		if (type[i] == Q_USP) {
			int rp = root_port(m, nhb);

			if (rp < 0 || add(m, Q_USP, (int)i, cxl_model_lookup(h->devices[i].model), rp) < 0)
				return false;
		}
	/* downstream ports below upstream ports, round robin (a hidden one if the trace has none) */
	for (unsigned i = 0, k = 0; i < h->ndevices; i++)
		if (type[i] == Q_DSP) {
			int usps[MAX_QDEV], n = 0, usp;

			for (unsigned j = 0; j < m->nq; j++)
				if (m->q[j].type == Q_USP)
					usps[n++] = (int)j;
			if (!n) {
				int rp = root_port(m, nhb);

				usps[n++] = rp < 0 ? -1 : add(m, Q_USP, -1, -1, rp);
			}
			usp = usps[k++ % (unsigned)n];
			if (usp < 0 || add(m, Q_DSP, (int)i, cxl_model_lookup(h->devices[i].model), usp) < 0)
				return false;
		}
	/* endpoints: a free downstream port, a free root port, else a hidden root port */
	for (unsigned i = 0; i < h->ndevices; i++)
		if (type[i] == Q_T3) {
			int p = free_port(m, Q_DSP);

			if (p < 0)
				p = root_port(m, nhb);
			if (p < 0 || add(m, Q_T3, (int)i, cxl_model_lookup(h->devices[i].model), p) < 0)
				return false;
		}
	return true;
}

/* Appends one argv word (printf-style) to the command line. */
static void __attribute__((format(printf, 2, 3))) arg(struct qemu *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (m->argc + 1 >= sizeof(m->argv) / sizeof(m->argv[0]))
		return;
	va_start(ap, fmt);
	n = vsnprintf(m->args + m->args_len, sizeof(m->args) - m->args_len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(m->args) - m->args_len)
		return;
	m->argv[m->argc++] = m->args + m->args_len;
	m->argv[m->argc] = NULL;
	m->args_len += (size_t)n + 1;
}

/* Numbers buses and BAR slots depth first below qdev @i (a bridge); returns the next bus. */
static unsigned number(struct qemu *m, unsigned i, unsigned bus, unsigned *slot)
{
	struct qdev *b = &m->q[i];
	unsigned next = bus + 1, ndown = 0;

	b->secondary = bus;
	b->slot0 = *slot;
	for (unsigned j = 0; j < m->nq; j++) {
		struct qdev *c = &m->q[j];

		if (c->parent != (int)i)
			continue;
		c->bus = bus;
		c->devfn = (c->type == Q_DSP ? ndown : 0) << 3;
		c->port = ndown++;
		c->block = MMIO_BASE + MMIO_SLOT * (*slot)++;
		if (c->type != Q_T3)
			next = number(m, j, next, slot);
	}
	b->subordinate = next - 1;
	b->slots = *slot - b->slot0;
	return next;
}

/* Lays out buses, BARs and the command line. */
static void layout(struct qemu *m)
{
	unsigned slot = 0, hbn = 0;

	for (unsigned i = 0; i < m->nq; i++) {
		struct qdev *d = &m->q[i];
		unsigned rp_n = 0, bus;

		if (d->type != Q_HB)
			continue;
		d->bus = HB_BUS0 + HB_BUS_STRIDE * hbn;
		d->block = CHBS_BASE + CHBS_STRIDE * hbn;
		snprintf(d->id, sizeof(d->id), "hb%u", hbn++);
		/* root ports of this host bridge: devices 0, 1, ... on its root bus */
		bus = d->bus + 1;
		for (unsigned j = 0; j < m->nq; j++) {
			struct qdev *r = &m->q[j];

			if (r->type != Q_RP || r->parent != (int)i)
				continue;
			r->bus = d->bus;
			r->devfn = rp_n << 3;
			r->port = rp_n++;
			r->block = MMIO_BASE + MMIO_SLOT * slot++;
			bus = number(m, j, bus, &slot);
		}
	}
	/* ids and the command line */
	m->argc = 0;
	m->args_len = 0;
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

		switch (d->type) {
		case Q_HB:
			arg(m, "-device");
			arg(m, "pxb-cxl,bus_nr=%u,bus=pcie.0,id=%s", d->bus, d->id);
			break;
		case Q_RP:
			snprintf(d->id, sizeof(d->id), "rp%u", nrp++);
			arg(m, "-device");
			arg(m, "cxl-rp,port=%u,bus=%s,id=%s,chassis=0,slot=%u,addr=%u.0", d->port,
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
			arg(m, "cxl-downstream,port=%u,bus=%s,id=%s,chassis=1,slot=%u,addr=%u.0", d->port,
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
	for (unsigned i = 0, w = 0; i < m->nq; i++)
		if (m->q[i].type == Q_HB) {
			arg(m, "-M");
			arg(m, "cxl-fmw.%u.targets.0=%s,cxl-fmw.%u.size=4G", w, m->q[i].id, w);
			w++;
		}
}

/* ---- qtest ---- */

/* Sends one qtest command and reads its answer (skipping IRQ lines) into @ans. */
static enum cxl_err qt(struct qemu *m, const char *cmd, char *ans, size_t len, struct cxl_error *err)
{
	enum cxl_err rc = cxl_child_send(&m->child, cmd, err);

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

static enum cxl_err mem_write(struct qemu *m, uint64_t addr, unsigned size, uint64_t v,
			      struct cxl_error *err)
{
	char cmd[80], ans[128];

	snprintf(cmd, sizeof(cmd), "%s 0x%" PRIx64 " 0x%" PRIx64, wr[size], addr, v);
	return qt(m, cmd, ans, sizeof(ans), err);
}

static uint64_t ecam(const struct qdev *d, unsigned off)
{
	return ECAM_BASE + ((uint64_t)d->bus << 20 | (uint64_t)d->devfn << 12 | off);
}

/* Programs the bus numbers, BAR0, window and command of @d and, for a bridge, below it. */
static enum cxl_err bring_up(struct qemu *m, unsigned i, struct cxl_error *err)
{
	struct qdev *d = &m->q[i];
	enum cxl_err rc = CXL_OK;

	if (d->type != Q_HB) {
		bool bridge = d->type != Q_T3;

		if (bridge)
			rc = mem_write(m, ecam(d, PCI_BUS_NUMBERS), 4,
				       (uint64_t)d->subordinate << 16 | d->secondary << 8 | d->bus, err);
		if (!rc)
			rc = mem_write(m, ecam(d, PCI_BAR0), 4, d->block & 0xffffffffu, err);
		if (!rc)
			rc = mem_write(m, ecam(d, PCI_BAR0 + 4), 4, d->block >> 32, err);
		if (!rc && bridge) {
			uint64_t lo = MMIO_BASE + MMIO_SLOT * (d->slot0), hi = lo + MMIO_SLOT * d->slots - 1;
			uint64_t win = d->slots ? (hi >> 16 & 0xfff0) << 16 | (lo >> 16 & 0xfff0) : 0x0000fff0;

			rc = mem_write(m, ecam(d, PCI_MEM_WINDOW), 4, win, err);
		}
		if (!rc)
			rc = mem_write(m, ecam(d, PCI_COMMAND), 2, CMD_MEMORY_SPACE, err);
	}
	for (unsigned j = 0; !rc && j < m->nq; j++)
		if (m->q[j].parent == (int)i && m->q[j].type != Q_RP)
			rc = bring_up(m, j, err);
	for (unsigned j = 0; !rc && d->type == Q_HB && j < m->nq; j++)
		if (m->q[j].parent == (int)i && m->q[j].type == Q_RP)
			rc = bring_up(m, j, err);
	return rc;
}

/* The whole bring-up: ECAM, every host bridge's tree, identity checks. */
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
		const struct qdev *d = &m->q[i];
		uint64_t id;

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
	}
	return rc;
}

/* Starts QEMU and brings the topology up. */
static enum cxl_err boot(struct qemu *m, unsigned timeout_ms, struct cxl_error *err)
{
	enum cxl_err rc = cxl_child_start(&m->child, m->argv, "qemu", timeout_ms, err);

	if (!rc)
		rc = bring_up_all(m, err);
	return rc;
}

/* QEMU's --version line (first line), for provenance. */
static void version(const char *binary, char *buf, size_t len)
{
	char cmd[1100];
	FILE *p;

	snprintf(buf, len, "unknown");
	snprintf(cmd, sizeof(cmd), "'%s' --version 2>/dev/null", binary);
	if (strchr(binary, '\'') || !(p = popen(cmd, "r")))
		return;
	if (fgets(buf, (int)len, p))
		buf[strcspn(buf, "\n")] = '\0';
	pclose(p);
}

static enum cxl_err q_start(struct cxl_target *t, const struct cxl_trace_header *h,
			    struct cxl_error *err)
{
	struct qemu *m = calloc(1, sizeof(*m));
	char ver[256];
	size_t n;

	if (!m)
		return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "out of memory");
	t->impl = m;
	m->child.in = m->child.out = m->child.errfd = -1;
	m->hdr = *h;
	m->binary = t->arg[0] ? t->arg : "qemu-system-x86_64";
	if (!build_topology(m))
		return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0,
				     "qemu target: the topology needs more than %d devices", MAX_QDEV);
	layout(m);
	version(m->binary, ver, sizeof(ver));
	n = (size_t)snprintf(t->provenance, sizeof(t->provenance), "target: qemu\nversion: %s\ncommand:", ver);
	for (unsigned i = 0; i < m->argc && n < sizeof(t->provenance); i++)
		n += (size_t)snprintf(t->provenance + n, sizeof(t->provenance) - n, " %s", m->argv[i]);
	if (n < sizeof(t->provenance))
		snprintf(t->provenance + n, sizeof(t->provenance) - n, "\n");
	return boot(m, t->opts.timeout_ms, err);
}

/* Reads the PCIe capability of @d: its offset, or 0 when absent. */
static enum cxl_err pcie_cap(struct qemu *m, const struct qdev *d, unsigned *pos, struct cxl_error *err)
{
	uint64_t v;
	unsigned p, steps = 0;
	enum cxl_err rc = mem_read(m, ecam(d, PCI_CAP_PTR), 1, &v, err);

	*pos = 0;
	for (p = (unsigned)v & 0xfc; !rc && p && steps++ < 48; p = (unsigned)(v >> 8) & 0xfc) {
		rc = mem_read(m, ecam(d, p), 2, &v, err);
		if (!rc && (v & 0xff) == PCIE_CAP_ID) {
			*pos = p;
			break;
		}
	}
	return rc;
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

static enum cxl_err q_reset(struct cxl_target *t, struct qemu *m, const struct qdev *d,
			    const struct cxl_op *op, struct cxl_target_reply *r, struct cxl_error *err)
{
	enum cxl_err rc = CXL_OK;
	uint64_t v, all = 0;
	char ans[128];
	unsigned cap;

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
		rc = pcie_cap(m, d, &cap, err);
		if (!rc && cap)
			rc = mem_read(m, ecam(d, cap + PCIE_DEVCAP), 4, &v, err);
		if (rc)
			return rc;
		if (!cap || !(v & DEVCAP_FLR)) {
			cxl_target_skip(r, "QEMU 7.2 %s is not FLR capable (Device Capabilities bit 28 is 0)",
					qtype_names[d->type]);
			return CXL_OK;
		}
		rc = mem_write(m, ecam(d, cap + PCIE_DEVCTL), 2, DEVCTL_FLR, err);
		if (!rc)
			rc = bring_up(m, (unsigned)(d - m->q), err);
		return rc;
	default:
		cxl_target_skip(r, "QEMU 7.2 has no CXL Reset");
		return CXL_OK;
	}
}

static enum cxl_err q_op(struct cxl_target *t, const struct cxl_op *op,
			 struct cxl_target_reply *r, struct cxl_error *err)
{
	struct qemu *m = t->impl;
	int qi = op->dev < m->hdr.ndevices ? m->of_trace[op->dev] : -1;
	const struct qdev *d;
	unsigned space;
	bool write;

	if (op->kind == CXL_OP_MARK)
		return CXL_OK;
	if (qi < 0) {
		cxl_target_skip(r, "%s", op->dev < m->hdr.ndevices ? m->skip_reason[op->dev] : "no such device");
		return CXL_OK;
	}
	d = &m->q[qi];
	if (!m->child.pid)
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

static void q_close(struct cxl_target *t)
{
	struct qemu *m = t->impl;

	if (!m)
		return;
	cxl_child_stop(&m->child);
	free(m);
}

const struct cxl_target_ops cxl_target_qemu_ops = { q_start, q_op, q_close };
