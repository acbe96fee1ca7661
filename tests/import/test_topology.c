/* SPDX-License-Identifier: MIT */
/*
 * test_topology.c - the importers fill in the trace's topology (traces/README.md "Topology")
 * from the config space the guest accessed: parent: from the bridges' Secondary Bus Number
 * (type-1 header 0x19, PCIe r6.0 §7.5.1.3.3), port: from the Link Capabilities Port Number
 * (bits 31:24, PCIe r6.0 §7.5.3.6), a host bridge per root bus (a node when its component
 * registers were never accessed), and nothing where the log does not tell.
 *
 * Each input is a small hand-written QEMU log (pci_cfg_* lines with their ECAM size lines,
 * like tests/import/test_qemu_log.c); the expected places follow from the values written in
 * the log, read back through the trace reader (the written trace, not the importer's state).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cxlemu/trace.h"
#include "helpers.h"

/* ECAM address of @bdf (bus << 8 | dev << 3 | fn) offset @off (PCIe r6.0 §7.2.2). */
#define ECAM(bdf, off) (0xb0000000ull | (uint64_t)(bdf) << 12 | (off))
#define BDF(b, d, f) ((b) << 8 | (d) << 3 | (f))

/* A config read of @type at @bdf: pci_cfg_read, then its ECAM size line. */
static void rd(struct test_log *l, const char *type, unsigned bdf, unsigned off, unsigned size,
	       uint64_t val)
{
	log_line(l, "pci_cfg_read %s %02x:%02x.%x @0x%x -> 0x%llx", type, bdf >> 8, (bdf >> 3) & 31,
		 bdf & 7, off, (unsigned long long)val);
	log_line(l, "memory_region_ops_read cpu 0 mr 0x55 addr 0x%llx value 0x%llx size %u name 'pcie-mmcfg-mmio'",
		 (unsigned long long)ECAM(bdf, off), (unsigned long long)val, size);
}

/* A config write: the ECAM line first, then pci_cfg_write. */
static void wr(struct test_log *l, const char *type, unsigned bdf, unsigned off, unsigned size,
	       uint64_t val)
{
	log_line(l, "memory_region_ops_write cpu 0 mr 0x55 addr 0x%llx value 0x%llx size %u name 'pcie-mmcfg-mmio'",
		 (unsigned long long)ECAM(bdf, off), (unsigned long long)val, size);
	log_line(l, "pci_cfg_write %s %02x:%02x.%x @0x%x <- 0x%llx", type, bdf >> 8, (bdf >> 3) & 31,
		 bdf & 7, off, (unsigned long long)val);
}

/*
 * A bridge's bus numbers as Linux reads them (one dword at 0x18: primary, secondary,
 * subordinate) and its PCIe capability at @cap (Capabilities Pointer 0x34 -> @cap, ID 10h,
 * no next) with Link Capabilities @linkcap at @cap + 0x0C.
 */
static void bridge(struct test_log *l, const char *type, unsigned bdf, unsigned pri, unsigned sec,
		   unsigned sub, unsigned cap, uint32_t linkcap)
{
	rd(l, type, bdf, 0x0, 4, 0x70758086);
	rd(l, type, bdf, 0x18, 4, pri | sec << 8 | sub << 16);
	rd(l, type, bdf, 0x34, 1, cap);
	rd(l, type, bdf, cap, 2, 0x0010);
	rd(l, type, bdf, cap + 0x0c, 4, linkcap);
}

/* Imports @l as a QEMU log into @r, and opens the written trace in *@tr. */
static void import(struct run *r, const struct test_log *l, struct cxl_trace_reader **tr)
{
	struct cxl_error err;

	run_text(r, CXL_IMPORT_QEMU_LOG, l->buf, NULL);
	assert_int_equal(r->rc, CXL_OK);
	assert_int_equal(cxl_trace_open_memory(r->out, r->len, "t.yaml", tr, &err), CXL_OK);
}

/* The device named @name of @h. */
static const struct cxl_trace_device *dev(const struct cxl_trace_header *h, const char *name)
{
	int i = cxl_trace_topo_find(h, name);

	assert_true(i >= 0 && (unsigned)i < h->ndevices);
	return &h->devices[i];
}

/*
 * A root port at 0c:00.0 with Secondary Bus Number 0d and Port Number 3, an endpoint at
 * 0d:00.0: the endpoint's parent is the root port, the root port's parent the host bridge
 * of bus 0c (a node: no component register access) with port 3. No windows.
 */
static void test_root_port_and_endpoint(void **state)
{
	static struct test_log l;
	struct run r;
	struct cxl_trace_reader *tr;
	const struct cxl_trace_header *h;

	(void)state;
	memset(&l, 0, sizeof(l));
	bridge(&l, "cxl-rp", BDF(0x0c, 0, 0), 0x0c, 0x0d, 0x0d, 0x48, 0x03000411);
	rd(&l, "cxl-type3", BDF(0x0d, 0, 0), 0x0, 4, 0x0d938086);
	import(&r, &l, &tr);
	h = cxl_trace_header(tr);
	assert_int_equal(h->ndevices, 2);
	assert_string_equal(dev(h, "ep0")->parent, "rp0");
	assert_int_equal(dev(h, "ep0")->port, -1);     /* a root port has no Target List */
	assert_string_equal(dev(h, "rp0")->parent, "hb0");
	assert_int_equal(dev(h, "rp0")->port, 3);
	assert_int_equal(h->nnodes, 1);
	assert_string_equal(h->nodes[0].name, "hb0");
	assert_int_equal(h->nodes[0].kind, CXL_TOPO_HOST_BRIDGE);
	assert_string_equal(h->nodes[0].parent, "");
	assert_int_equal(h->nwindows, 0);
	assert_true(has_line(r.out, "  rp0: {model: qemu72-root-port, parent: hb0, port: 3} # 0c:00.0 cxl-rp"));
	assert_true(has_line(r.out, "#   rp0: parent hb0 (root port on bus 0c), port 3 (Link Capabilities Port Number)"));
	assert_true(has_line(r.out, "#   ep0: parent rp0 (its Secondary Bus Number is 0d, this bus)"));
	cxl_trace_close(tr);
	run_free(&r);
}

/*
 * The root port's Link Capabilities were never read (its capability list was): its parent
 * (the host bridge of its bus) is known, its port number is not: no port: is written.
 */
static void test_port_unknown(void **state)
{
	static struct test_log l;
	struct run r;
	struct cxl_trace_reader *tr;
	const struct cxl_trace_header *h;

	(void)state;
	memset(&l, 0, sizeof(l));
	rd(&l, "cxl-rp", BDF(0x0c, 0, 0), 0x18, 4, 0x0d0d0c);
	rd(&l, "cxl-rp", BDF(0x0c, 0, 0), 0x34, 1, 0x48);
	rd(&l, "cxl-rp", BDF(0x0c, 0, 0), 0x48, 2, 0x0010);
	rd(&l, "cxl-type3", BDF(0x0d, 0, 0), 0x0, 4, 0x0d938086);
	import(&r, &l, &tr);
	h = cxl_trace_header(tr);
	assert_string_equal(dev(h, "rp0")->parent, "hb0");
	assert_int_equal(dev(h, "rp0")->port, -1);
	assert_string_equal(dev(h, "ep0")->parent, "rp0");
	assert_null(strstr(r.out, "port:"));
	assert_true(has_line(r.out, "#   rp0: parent hb0 (root port on bus 0c), no port (Link Capabilities Port Number not read)"));
	cxl_trace_close(tr);
	run_free(&r);
}

/*
 * No bridge's Secondary Bus Number was ever seen: nothing says which bridge is above the
 * endpoint, so it has no parent: (and the root port, whose Port Number was not read either,
 * no port:).
 */
static void test_bus_unknown(void **state)
{
	static struct test_log l;
	struct run r;
	struct cxl_trace_reader *tr;
	const struct cxl_trace_header *h;

	(void)state;
	memset(&l, 0, sizeof(l));
	rd(&l, "cxl-rp", BDF(0x0c, 0, 0), 0x0, 4, 0x70758086);
	rd(&l, "cxl-type3", BDF(0x0d, 0, 0), 0x0, 4, 0x0d938086);
	import(&r, &l, &tr);
	h = cxl_trace_header(tr);
	assert_string_equal(dev(h, "ep0")->parent, "");
	assert_int_equal(dev(h, "ep0")->port, -1);
	assert_string_equal(dev(h, "rp0")->parent, "hb0");
	assert_int_equal(dev(h, "rp0")->port, -1);
	assert_true(has_line(r.out, "  ep0: {model: qemu72-type3}            # 0d:00.0 cxl-type3"));
	assert_true(has_line(r.out, "#   ep0: no parent (no bridge's Secondary Bus Number is 0d)"));
	cxl_trace_close(tr);
	run_free(&r);
}

/*
 * The bus numbers are RW: the last value written counts, as a read would show it. Linux
 * writes 0xff as Subordinate while it scans, then the real one: 0d.
 */
static void test_bus_from_writes(void **state)
{
	static struct test_log l;
	struct run r;
	struct cxl_trace_reader *tr;

	(void)state;
	memset(&l, 0, sizeof(l));
	rd(&l, "cxl-rp", BDF(0x0c, 0, 0), 0x0, 4, 0x70758086);
	wr(&l, "cxl-rp", BDF(0x0c, 0, 0), 0x18, 1, 0x0c);
	wr(&l, "cxl-rp", BDF(0x0c, 0, 0), 0x19, 1, 0x0e);   /* first secondary 0e ... */
	wr(&l, "cxl-rp", BDF(0x0c, 0, 0), 0x1a, 1, 0xff);
	wr(&l, "cxl-rp", BDF(0x0c, 0, 0), 0x19, 1, 0x0d);   /* ... then 0d */
	wr(&l, "cxl-rp", BDF(0x0c, 0, 0), 0x1a, 1, 0x0d);
	rd(&l, "cxl-type3", BDF(0x0d, 0, 0), 0x0, 4, 0x0d938086);
	import(&r, &l, &tr);
	assert_string_equal(dev(cxl_trace_header(tr), "ep0")->parent, "rp0");
	cxl_trace_close(tr);
	run_free(&r);
}

/*
 * A switch: root port 0c:00.0 (secondary 0d) -> upstream port 0d:00.0 (secondary 0e) ->
 * downstream ports 0e:00.0 (secondary 0f, Port Number 0) and 0e:01.0 (secondary 10, Port
 * Number 1), each with one endpoint. The downstream ports' port: is their Port Number (the
 * upstream port's Target List names them by it); the upstream port gets none.
 */
static void test_switch(void **state)
{
	static struct test_log l;
	struct run r;
	struct cxl_trace_reader *tr;
	const struct cxl_trace_header *h;

	(void)state;
	memset(&l, 0, sizeof(l));
	bridge(&l, "cxl-rp", BDF(0x0c, 0, 0), 0x0c, 0x0d, 0x10, 0x48, 0x00000411);
	bridge(&l, "cxl-upstream", BDF(0x0d, 0, 0), 0x0d, 0x0e, 0x10, 0x90, 0x00000411);
	bridge(&l, "cxl-downstream", BDF(0x0e, 0, 0), 0x0e, 0x0f, 0x0f, 0x90, 0x00000400);
	bridge(&l, "cxl-downstream", BDF(0x0e, 1, 0), 0x0e, 0x10, 0x10, 0x90, 0x01000400);
	rd(&l, "cxl-type3", BDF(0x10, 0, 0), 0x0, 4, 0x0d938086);   /* first seen: ep0 */
	rd(&l, "cxl-type3", BDF(0x0f, 0, 0), 0x0, 4, 0x0d938086);
	import(&r, &l, &tr);
	h = cxl_trace_header(tr);
	assert_string_equal(dev(h, "rp0")->parent, "hb0");
	assert_int_equal(dev(h, "rp0")->port, 0);
	assert_string_equal(dev(h, "usp0")->parent, "rp0");
	assert_int_equal(dev(h, "usp0")->port, -1);
	assert_string_equal(dev(h, "dsp0")->parent, "usp0");
	assert_int_equal(dev(h, "dsp0")->port, 0);
	assert_string_equal(dev(h, "dsp1")->parent, "usp0");
	assert_int_equal(dev(h, "dsp1")->port, 1);
	assert_string_equal(dev(h, "ep0")->parent, "dsp1");   /* 10:00.0 */
	assert_string_equal(dev(h, "ep1")->parent, "dsp0");   /* 0f:00.0 */
	cxl_trace_close(tr);
	run_free(&r);
}

/*
 * What the log leaves open stays open: two bridges claiming one secondary bus; an endpoint
 * directly below an upstream port (no PCIe parent); a device below an unplaced bridge.
 */
static void test_ambiguous(void **state)
{
	static struct test_log l;
	struct run r;
	struct cxl_trace_reader *tr;
	const struct cxl_trace_header *h;

	(void)state;
	memset(&l, 0, sizeof(l));
	bridge(&l, "cxl-rp", BDF(0x0c, 0, 0), 0x0c, 0x0d, 0x0d, 0x48, 0x00000411);
	bridge(&l, "cxl-rp", BDF(0x0c, 1, 0), 0x0c, 0x0d, 0x0d, 0x48, 0x01000411);
	rd(&l, "cxl-type3", BDF(0x0d, 0, 0), 0x0, 4, 0x0d938086);                   /* ep0 */
	bridge(&l, "cxl-rp", BDF(0x0c, 2, 0), 0x0c, 0x20, 0x21, 0x48, 0x02000411);
	bridge(&l, "cxl-upstream", BDF(0x20, 0, 0), 0x20, 0x21, 0x21, 0x90, 0x00000411);
	rd(&l, "cxl-type3", BDF(0x21, 0, 0), 0x0, 4, 0x0d938086);                   /* ep1 */
	bridge(&l, "cxl-downstream", BDF(0x30, 0, 0), 0x30, 0x31, 0x31, 0x90, 0x00000400);
	rd(&l, "cxl-type3", BDF(0x31, 0, 0), 0x0, 4, 0x0d938086);                   /* ep2 */
	import(&r, &l, &tr);
	h = cxl_trace_header(tr);
	assert_string_equal(dev(h, "ep0")->parent, "");
	assert_true(has_line(r.out, "#   ep0: no parent (more than one bridge's Secondary Bus Number is 0d)"));
	assert_string_equal(dev(h, "ep1")->parent, "");
	assert_true(has_line(r.out, "#   ep1: no parent (usp0 above it cannot be its parent)"));
	assert_string_equal(dev(h, "usp0")->parent, "rp2");
	assert_string_equal(dev(h, "dsp0")->parent, "");   /* bus 30: no bridge above it */
	assert_string_equal(dev(h, "ep2")->parent, "");
	assert_true(has_line(r.out, "#   ep2: no parent (dsp0 above it has no place)"));
	cxl_trace_close(tr);
	run_free(&r);
}

/* A host bridge component block access (its CHBS .cache_mem, 64 KiB aligned) */
static void chbs_read(struct test_log *l, uint64_t block)
{
	log_line(l, "memory_region_ops_read cpu 0 mr 0x57 addr 0x%llx value 0x2110001 size 4 name '.cache_mem'",
		 (unsigned long long)(block + 0x1000));
}

/*
 * One host-bridge component block, one root bus, one pxb-cxl function: the block is that
 * bus's host bridge, the root ports' parent (no node). With a second root bus it could be
 * either's: no root port is placed, and then nothing below them.
 */
static void test_host_bridge_block(void **state)
{
	static struct test_log l;
	struct run r;
	struct cxl_trace_reader *tr;
	const struct cxl_trace_header *h;

	(void)state;
	memset(&l, 0, sizeof(l));
	rd(&l, "pxb-cxl", BDF(0, 3, 0), 0x0, 2, 0x1b36);
	bridge(&l, "cxl-rp", BDF(0x0c, 0, 0), 0x0c, 0x0d, 0x0d, 0x48, 0x00000411);
	bridge(&l, "cxl-rp", BDF(0x0c, 1, 0), 0x0c, 0x0e, 0x0e, 0x48, 0x01000411);
	rd(&l, "cxl-type3", BDF(0x0d, 0, 0), 0x0, 4, 0x0d938086);
	chbs_read(&l, 0x200000000ull);
	import(&r, &l, &tr);
	h = cxl_trace_header(tr);
	assert_int_equal(h->nnodes, 0);
	assert_string_equal(dev(h, "rp0")->parent, "hb0");
	assert_int_equal(dev(h, "rp0")->port, 0);
	assert_string_equal(dev(h, "rp1")->parent, "hb0");
	assert_int_equal(dev(h, "rp1")->port, 1);
	assert_string_equal(dev(h, "ep0")->parent, "rp0");
	assert_string_equal(dev(h, "hb0")->parent, "");
	cxl_trace_close(tr);
	run_free(&r);

	/* a root port on a second root bus 0x40: the block's root bus is not known */
	bridge(&l, "cxl-rp", BDF(0x40, 0, 0), 0x40, 0x41, 0x41, 0x48, 0x00000411);
	import(&r, &l, &tr);
	h = cxl_trace_header(tr);
	assert_int_equal(h->nnodes, 0);
	for (unsigned i = 0; i < h->ndevices; i++)
		assert_string_equal(h->devices[i].parent, "");
	assert_true(has_line(r.out, "#   hb0: root bus not known (a host-bridge component block and more than one root bus)"));
	assert_true(has_line(r.out, "#   ep0: no parent (rp0 above it has no place)"));
	cxl_trace_close(tr);
	run_free(&r);
}

/* Two pxb-cxl functions and one block: which host bridge the block is, is not known. */
static void test_two_host_bridge_functions(void **state)
{
	static struct test_log l;
	struct run r;
	struct cxl_trace_reader *tr;
	const struct cxl_trace_header *h;

	(void)state;
	memset(&l, 0, sizeof(l));
	rd(&l, "pxb-cxl", BDF(0, 3, 0), 0x0, 2, 0x1b36);
	rd(&l, "pxb-cxl", BDF(0, 4, 0), 0x0, 2, 0x1b36);
	bridge(&l, "cxl-rp", BDF(0x0c, 0, 0), 0x0c, 0x0d, 0x0d, 0x48, 0x00000411);
	chbs_read(&l, 0x200000000ull);
	import(&r, &l, &tr);
	h = cxl_trace_header(tr);
	assert_string_equal(dev(h, "rp0")->parent, "");
	assert_true(has_line(r.out, "#   rp0: no parent (host bridge of bus 0c not known: a host-bridge component block and more than one host-bridge function)"));
	cxl_trace_close(tr);
	run_free(&r);
}

/* Two root buses without host-bridge blocks: a node each, numbered by bus. */
static void test_two_root_buses(void **state)
{
	static struct test_log l;
	struct run r;
	struct cxl_trace_reader *tr;
	const struct cxl_trace_header *h;

	(void)state;
	memset(&l, 0, sizeof(l));
	bridge(&l, "cxl-rp", BDF(0x40, 0, 0), 0x40, 0x41, 0x41, 0x48, 0x00000411);
	bridge(&l, "cxl-rp", BDF(0x0c, 0, 0), 0x0c, 0x0d, 0x0d, 0x48, 0x00000411);
	import(&r, &l, &tr);
	h = cxl_trace_header(tr);
	assert_int_equal(h->nnodes, 2);
	assert_string_equal(h->nodes[0].name, "hb0");   /* bus 0c */
	assert_string_equal(h->nodes[1].name, "hb1");   /* bus 40 */
	assert_string_equal(dev(h, "rp0")->parent, "hb1");   /* 40:00.0, seen first */
	assert_string_equal(dev(h, "rp1")->parent, "hb0");
	cxl_trace_close(tr);
	run_free(&r);
}

/* Runs the tests; removes the scratch directory. */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root_port_and_endpoint),
		cmocka_unit_test(test_port_unknown),
		cmocka_unit_test(test_bus_unknown),
		cmocka_unit_test(test_bus_from_writes),
		cmocka_unit_test(test_switch),
		cmocka_unit_test(test_ambiguous),
		cmocka_unit_test(test_host_bridge_block),
		cmocka_unit_test(test_two_host_bridge_functions),
		cmocka_unit_test(test_two_root_buses),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	tmp_cleanup();
	return rc;
}
