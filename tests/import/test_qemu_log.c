/* SPDX-License-Identifier: MIT */
/*
 * test_qemu_log.c - QEMU log-backend import: line shapes, size pairing,
 * topology reconstruction (BARs + Register Locator, fallback, host bridge),
 * gzip, pins, expect carry-over, inputs that are not logs at all.
 *
 * Inputs are built line by line so the expected "@LINE" sources follow from
 * the input, not from the importer's output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <zlib.h>

#include "helpers.h"

#define ECAM(bus, off) (0xb0000000ull | (uint64_t)(bus) << 20 | (off))

/* ECAM config read of @type at bus @bus dev 0: pci_cfg_read then its mr read. */
static unsigned cfg_read(struct test_log *l, const char *type, unsigned bus,
			 unsigned off, unsigned size, uint64_t val)
{
	unsigned n = log_line(l, "pci_cfg_read %s %02x:00.0 @0x%x -> 0x%llx", type,
			 bus, off, (unsigned long long)val);

	log_line(l, "memory_region_ops_read cpu 0 mr 0x5592bbf74a30 addr 0x%llx value 0x%llx size %u name 'pcie-mmcfg-mmio'",
	    (unsigned long long)ECAM(bus, off), (unsigned long long)val, size);
	return n;
}

/* ECAM config write: the mr write first, then pci_cfg_write. Returns the latter's line. */
static unsigned cfg_write(struct test_log *l, const char *type, unsigned bus,
			  unsigned off, unsigned size, uint64_t val)
{
	log_line(l, "memory_region_ops_write cpu 0 mr 0x5592bbf74a30 addr 0x%llx value 0x%llx size %u name 'pcie-mmcfg-mmio'",
	    (unsigned long long)ECAM(bus, off), (unsigned long long)val, size);
	return log_line(l, "pci_cfg_write %s %02x:00.0 @0x%x <- 0x%llx", type, bus,
		   off, (unsigned long long)val);
}

/* A .cache_mem access line; returns its line number. */
static unsigned cache_mem(struct test_log *l, bool write, uint64_t addr,
			  uint64_t val, unsigned size)
{
	return log_line(l, "memory_region_ops_%s cpu 0 mr 0x5592bcd1e740 addr 0x%llx value 0x%llx size %u name '.cache_mem'",
		   write ? "write" : "read", (unsigned long long)addr,
		   (unsigned long long)val, size);
}

/* Imports the built log as qemu-log. */
static void run_log(struct run *r, const struct test_log *l, const char *const *pins)
{
	run_text(r, CXL_IMPORT_QEMU_LOG, l->buf, pins);
}

static char line_buf[512];

/* "  - [KIND, DEV, 0xOFF, SIZE, 0xVAL, "@LINE"]" */
static const char *op(const char *kind, const char *dev, unsigned off,
		      unsigned size, unsigned long long val, unsigned line)
{
	snprintf(line_buf, sizeof(line_buf), "  - [%s, %s, 0x%x, %u, 0x%llx, \"@%u\"]",
		 kind, dev, off, size, val, line);
	return line_buf;
}

/* ---- line shapes -------------------------------------------------------- */

static const char shapes_plain[] =
	"memory_region_ops_write cpu 0 mr 0x55 addr 0xcf8 value 0x800d0000 size 4 name 'pci-conf-idx'\n"
	"pci_cfg_read cxl-type3 0d:00.0 @0x0 -> 0xd938086\n"
	"memory_region_ops_read cpu 0 mr 0x56 addr 0xcfc value 0xd938086 size 4 name 'pci-conf-data'\n"
	"pci_cfg_read cxl-type3 0d:00.0 @0x2 -> 0xd93\n"
	"memory_region_ops_read cpu 0 mr 0x56 addr 0xcfe value 0xd93 size 2 name 'pci-conf-data'\n"
	"memory_region_ops_write cpu 0 mr 0x56 addr 0xcfc value 0x6 size 2 name 'pci-conf-data'\n"
	"pci_cfg_write cxl-type3 0d:00.0 @0x4 <- 0x6\n";

/* What shapes_plain imports to, whatever its line endings or prefixes. */
static void check_shapes(const struct run *r)
{
	assert_int_equal(r->rc, CXL_OK);
	assert_true(has_line(r->out, "  - [cfg-read, ep0, 0x0, 4, 0xd938086, \"@2\"]"));
	assert_true(has_line(r->out, "  - [cfg-read, ep0, 0x2, 2, 0xd93, \"@4\"]"));
	assert_true(has_line(r->out, "  - [cfg-write, ep0, 0x4, 2, 0x6, \"@7\"]"));
	assert_int_equal(count_lines(r->out, "  - ["), 3);
	assert_non_null(strstr(r->out, "  ep0: {model: qemu72-type3}"));
	assert_non_null(strstr(r->out, "# 0d:00.0 cxl-type3\n"));
	assert_true(has_line(r->out, "cxl-trace: 1"));
	assert_true(has_line(r->out, "source: \"input.log\""));
	assert_true(header_balanced(r->out));
}

/* Lines without prefix: CF8/CFC reads and a write, sizes from pci-conf-data. */
static void test_plain_lines(void **state)
{
	struct run r;

	(void)state;
	run_text(&r, CXL_IMPORT_QEMU_LOG, shapes_plain, NULL);
	check_shapes(&r);
	assert_int_equal(header_num(r.out, "lines read:"), 7);
	assert_int_equal(header_num(r.out, "produced ops:"), 3);
	run_free(&r);
}

/* Adds "PID@SEC.USEC:" to every line of shapes_plain. */
static void test_pid_time_prefix(void **state)
{
	char in[4096] = "";
	const char *p = shapes_plain;
	struct run r;
	unsigned usec = 441188;

	(void)state;
	while (*p) {
		const char *nl = strchr(p, '\n');

		snprintf(in + strlen(in), sizeof(in) - strlen(in),
			 "719585@1608130130.%06u:%.*s\n", usec++, (int)(nl - p), p);
		p = nl + 1;
	}
	run_text(&r, CXL_IMPORT_QEMU_LOG, in, NULL);
	check_shapes(&r);
	run_free(&r);
}

/* CRLF line ends import like LF. */
static void test_crlf(void **state)
{
	char in[4096] = "";
	struct run r;

	(void)state;
	for (const char *p = shapes_plain; *p; p++) {
		size_t n = strlen(in);

		if (*p == '\n')
			in[n++] = '\r';
		in[n++] = *p;
		in[n] = '\0';
	}
	run_text(&r, CXL_IMPORT_QEMU_LOG, in, NULL);
	check_shapes(&r);
	run_free(&r);
}

/* vfio lines of a device never shown to be CXL (two spaces after the name) and
 * unknown events are counted, and do not break a pci_cfg/size pair. */
static void test_vfio_and_unknown_events(void **state)
{
	static const char in[] =
		"pci_cfg_read cxl-rp 0c:00.0 @0x0 -> 0x8086\n"
		"493@1581830832.154442:vfio_region_write  (0000:03:00.0:region2+0x26c960, 0xa5a5a5a5, 4)\n"
		"memory_region_ops_read cpu 0 mr 0x1 addr 0xb0c00000 value 0x8086 size 2 name 'pcie-mmcfg-mmio'\n"
		"kvm_run_exit cpu_index 0, reason 2\n"
		"pci_cfg_read cxl-rp 0000:0c:00.0 @0x2 -> 0x7075\n"
		"memory_region_ops_read cpu 0 mr 0x1 addr 0xb0c00002 value 0x7075 size 2 name 'pcie-mmcfg-mmio'\n"
		"vfio_region_read  (0000:03:00.0:region2+0x0, 4) = 0x1\n";
	struct run r;

	(void)state;
	run_text(&r, CXL_IMPORT_QEMU_LOG, in, NULL);
	assert_int_equal(r.rc, CXL_OK);
	assert_true(has_line(r.out, "  - [cfg-read, rp0, 0x0, 2, 0x8086, \"@1\"]"));
	assert_true(has_line(r.out, "  - [cfg-read, rp0, 0x2, 2, 0x7075, \"@5\"]"));
	assert_int_equal(header_num(r.out, "unknown event or record:"), 1);
	assert_int_equal(header_num(r.out, "non-CXL device:"), 2);
	assert_int_equal(header_num(r.out, "produced ops:"), 2);
	assert_int_equal(header_num(r.out, "context (size pairing, latches, replies, MAP):"), 2);
	assert_true(header_balanced(r.out));
	/* a root port: below the host bridge of its bus (a node), Port Number never read */
	assert_non_null(strstr(r.out, "  rp0: {model: qemu72-root-port, parent: hb0}"));
	run_free(&r);
}

/* A pci_cfg line needs its size line next to it, agreeing on value and offset. */
static void test_missing_size_pairing(void **state)
{
	static const char in[] =
		/* 1: read with no size line (another pci_cfg line follows) */
		"pci_cfg_read cxl-type3 0d:00.0 @0x4 -> 0x7\n"
		/* 2-3: a good pair */
		"pci_cfg_read cxl-type3 0d:00.0 @0x6 -> 0x10\n"
		"memory_region_ops_read cpu 0 mr 0x1 addr 0xb0d00006 value 0x10 size 2 name 'pcie-mmcfg-mmio'\n"
		/* 4: write with no mr write before it */
		"pci_cfg_write cxl-type3 0d:00.0 @0x4 <- 0x6\n"
		/* 5-6: value mismatch: not a pair */
		"pci_cfg_read cxl-type3 0d:00.0 @0x8 -> 0x5021001\n"
		"memory_region_ops_read cpu 0 mr 0x1 addr 0xb0d00008 value 0x1 size 4 name 'pcie-mmcfg-mmio'\n"
		/* 7-8: offset mismatch (ECAM shows 0x0c): not a pair */
		"pci_cfg_read cxl-type3 0d:00.0 @0x8 -> 0x0\n"
		"memory_region_ops_read cpu 0 mr 0x1 addr 0xb0d0000c value 0x0 size 4 name 'pcie-mmcfg-mmio'\n"
		/* 9: a pending read at the end of the file */
		"pci_cfg_read cxl-type3 0d:00.0 @0x0 -> 0x8086\n";
	struct run r;

	(void)state;
	run_text(&r, CXL_IMPORT_QEMU_LOG, in, NULL);
	assert_int_equal(r.rc, CXL_OK);
	assert_int_equal(count_lines(r.out, "  - ["), 1);
	assert_true(has_line(r.out, "  - [cfg-read, ep0, 0x6, 2, 0x10, \"@2\"]"));
	assert_int_equal(header_num(r.out, "unpaired size (pci_cfg line without its size line):"), 5);
	/* the two mr reads that matched nothing: config data with no pci_cfg line */
	assert_int_equal(header_num(r.out, "config access with no device behind it:"), 2);
	assert_true(header_balanced(r.out));
	run_free(&r);
}

/* A last line without newline is counted, not trusted. */
static void test_truncated_last_line(void **state)
{
	static const char in[] =
		"pci_cfg_read cxl-rp 0c:00.0 @0x0 -> 0x8086\n"
		"memory_region_ops_read cpu 0 mr 0x1 addr 0xb0c00000 value 0x8086 size 2 name 'pcie-mmcfg-mmio'\n"
		"memory_region_ops_write cpu 0 mr 0x5 addr 0xfe801130 value 0x12";
	struct run r;

	(void)state;
	run_text(&r, CXL_IMPORT_QEMU_LOG, in, NULL);
	assert_int_equal(r.rc, CXL_OK);
	assert_int_equal(count_lines(r.out, "  - ["), 1);
	assert_int_equal(header_num(r.out, "truncated last line (no newline):"), 1);
	assert_int_equal(header_num(r.out, "lines read:"), 3);
	assert_null(strstr(r.out, "mmio-"));
	assert_true(header_balanced(r.out));
	run_free(&r);
}

/* A 100 KB line is counted and skipped; the next lines import. */
static void test_over_long_line(void **state)
{
	size_t n = 100000;
	char *in = malloc(n + 512);
	struct run r;

	(void)state;
	memcpy(in, "pci_cfg_read cxl-rp 0c:00.0 @0x0 -> 0x", 38);
	memset(in + 38, '1', n - 38);
	strcpy(in + n,
	       "\npci_cfg_read cxl-rp 0c:00.0 @0x0 -> 0x8086\n"
	       "memory_region_ops_read cpu 0 mr 0x1 addr 0xb0c00000 value 0x8086 size 2 name 'pcie-mmcfg-mmio'\n");
	run_text(&r, CXL_IMPORT_QEMU_LOG, in, NULL);
	free(in);
	assert_int_equal(r.rc, CXL_OK);
	assert_int_equal(header_num(r.out, "over-long line:"), 1);
	assert_true(has_line(r.out, "  - [cfg-read, rp0, 0x0, 2, 0x8086, \"@2\"]"));
	assert_true(header_balanced(r.out));
	run_free(&r);
}

/* pci_cfg lines of other devices are counted, never become devices; pxb-cxl
 * config is plain PCI. Non-component regions are counted too. */
static void test_non_cxl_dropped(void **state)
{
	struct test_log l = { 0 };
	struct run r;

	(void)state;
	cfg_read(&l, "e1000e", 0, 0, 4, 0x10d38086);
	cfg_read(&l, "pxb-cxl", 0, 0, 2, 0x1b36);
	cfg_write(&l, "mch", 0, 0x60, 4, 0xb0000001);
	log_line(&l, "memory_region_ops_read cpu 0 mr 0x1 addr 0xfe810000 value 0x1 size 4 name 'mailbox'");
	log_line(&l, "memory_region_ops_read cpu 0 mr 0x1 addr 0xfe811000 value 0x0 size 4 name 'cap-array'");
	log_line(&l, "memory_region_ops_read cpu 0 mr 0x1 addr 0x3cc value 0x67 size 1");
	run_log(&r, &l, NULL);
	assert_int_equal(r.rc, CXL_OK);
	assert_true(has_line(r.out, "devices: {}"));
	assert_true(has_line(r.out, "ops: []"));
	assert_int_equal(header_num(r.out, "non-CXL device:"), 3);
	assert_int_equal(header_num(r.out, "not a component register block:"), 3);
	assert_true(header_balanced(r.out));
	run_free(&r);
}

/* ---- topology ------------------------------------------------------------ */

/*
 * BAR2 sized then programmed as 64-bit 0x1_fe000000; the Register Locator
 * says the component block is in BAR2 at offset 0x20000 (not the QEMU 7.2
 * fallback BAR0 + 0), so .cache_mem at 0x1fe021130 is ep0 offset 0x1130.
 */
static void build_locator_log(struct test_log *l, unsigned *wline, unsigned *rline)
{
	const char *t = "cxl-type3";

	cfg_read(l, t, 0x0d, 0x18, 4, 0x4);            /* BAR2 before sizing */
	cfg_write(l, t, 0x0d, 0x18, 4, 0xffffffff);    /* sizing */
	cfg_read(l, t, 0x0d, 0x18, 4, 0xfffc0004);     /* size mask, 64-bit */
	cfg_write(l, t, 0x0d, 0x18, 4, 0x4);           /* restore */
	cfg_write(l, t, 0x0d, 0x1c, 4, 0xffffffff);
	cfg_read(l, t, 0x0d, 0x1c, 4, 0xffffffff);
	cfg_write(l, t, 0x0d, 0x1c, 4, 0x0);
	cfg_write(l, t, 0x0d, 0x10, 4, 0xfe800000);    /* BAR0: decoy */
	cfg_write(l, t, 0x0d, 0x18, 4, 0xfe000000);    /* BAR2 low */
	cfg_write(l, t, 0x0d, 0x1c, 4, 0x1);           /* BAR2 high */
	/* extended capabilities: DVSEC ID 0 at 0x100, locator at 0x138 */
	cfg_read(l, t, 0x0d, 0x100, 4, 0x13810023);
	cfg_read(l, t, 0x0d, 0x104, 2, 0x1e98);
	cfg_read(l, t, 0x0d, 0x108, 2, 0x0);
	cfg_read(l, t, 0x0d, 0x138, 4, 0x00010023);
	cfg_read(l, t, 0x0d, 0x13c, 4, 0x02c01e98);    /* length 0x2c: 4 entries */
	cfg_read(l, t, 0x0d, 0x140, 2, 0x8);
	cfg_read(l, t, 0x0d, 0x144, 4, 0x00000304);    /* block 3 in BAR4 */
	cfg_read(l, t, 0x0d, 0x148, 4, 0x0);
	cfg_read(l, t, 0x0d, 0x14c, 4, 0x00020102);    /* block 1 in BAR2 @0x20000 */
	cfg_read(l, t, 0x0d, 0x150, 4, 0x0);
	*wline = cache_mem(l, true, 0x1fe021130ull, 0x1200, 4);
	*rline = cache_mem(l, false, 0x1fe021130ull, 0x1400, 4);
	cache_mem(l, false, 0x1fe021000ull, 0x3110001, 4);
}

/* The locator (BAR2 + 0x20000) wins over the BAR0 fallback. */
static void test_bar_and_locator(void **state)
{
	struct test_log l = { 0 };
	unsigned w, rd;
	struct run r;

	(void)state;
	build_locator_log(&l, &w, &rd);
	run_log(&r, &l, NULL);
	assert_int_equal(r.rc, CXL_OK);
	assert_true(has_line(r.out, op("mmio-write", "ep0", 0x1130, 4, 0x1200, w)));
	assert_true(has_line(r.out, op("mmio-read", "ep0", 0x1130, 4, 0x1400, rd)));
	assert_true(has_line(r.out, op("mmio-read", "ep0", 0x1000, 4, 0x3110001, rd + 1)));
	assert_non_null(strstr(r.out, "ep0: BAR2 + 0x20000 = 0x1fe020000 (Register Locator"));
	assert_int_equal(count_lines(r.out, "  - [mmio-"), 3);
	assert_int_equal(count_lines(r.out, "  - [cfg-"), 20);
	assert_null(strstr(r.out, "hb0"));
	assert_true(header_balanced(r.out));
	run_free(&r);
}

/* Same input twice: byte-identical traces. */
static void test_deterministic(void **state)
{
	struct test_log l = { 0 };
	unsigned w, rd;
	struct run a, b;

	(void)state;
	build_locator_log(&l, &w, &rd);
	run_log(&a, &l, NULL);
	run_log(&b, &l, NULL);
	assert_int_equal(a.rc, CXL_OK);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.out, b.out, a.len);
	assert_null(strstr(a.out, "0x5592"));   /* no QEMU pointers */
	run_free(&a);
	run_free(&b);
}

/* No locator read: QEMU 7.2 types fall back to BAR0 + 0 (64-bit BAR0). */
static void test_fallback_bar0(void **state)
{
	struct test_log l = { 0 };
	unsigned w;
	struct run r;

	(void)state;
	cfg_write(&l, "cxl-rp", 0x0c, 0x10, 4, 0xfea90000);
	cfg_write(&l, "cxl-rp", 0x0c, 0x14, 4, 0x2);
	w = cache_mem(&l, true, 0x2fea91130ull, 0x200, 4);
	run_log(&r, &l, NULL);
	assert_int_equal(r.rc, CXL_OK);
	assert_true(has_line(r.out, op("mmio-write", "rp0", 0x1130, 4, 0x200, w)));
	assert_non_null(strstr(r.out, "rp0: BAR0 + 0x0 = 0x2fea90000 (fallback: Register Locator not read; the one of model qemu72-root-port)"));
	run_free(&r);
}

/* A .cache_mem access outside every BAR is a host bridge block, 64 KiB aligned. */
static void test_host_bridge(void **state)
{
	struct test_log l = { 0 };
	unsigned a, b, c;
	struct run r;

	(void)state;
	cfg_write(&l, "cxl-type3", 0x0d, 0x10, 4, 0xfe800000);
	a = cache_mem(&l, false, 0x200001000ull, 0x2110001, 4);
	b = cache_mem(&l, false, 0xfe801000ull, 0x3110001, 4);
	c = cache_mem(&l, true, 0x380011020ull, 0x1, 4);
	run_log(&r, &l, NULL);
	assert_int_equal(r.rc, CXL_OK);
	assert_true(has_line(r.out, op("mmio-read", "hb0", 0x1000, 4, 0x2110001, a)));
	assert_true(has_line(r.out, op("mmio-read", "ep0", 0x1000, 4, 0x3110001, b)));
	assert_true(has_line(r.out, op("mmio-write", "hb1", 0x1020, 4, 0x1, c)));
	assert_non_null(strstr(r.out, "  hb0: {model: qemu72-hb}"));
	assert_non_null(strstr(r.out, "# host bridge component block 0x200000000\n"));
	assert_non_null(strstr(r.out, "# host bridge component block 0x380010000\n"));
	run_free(&r);
}

/* Devices are named per kind in order of first appearance. */
static void test_naming_order(void **state)
{
	static const char in[] =
		"pci_cfg_read cxl-type3 0e:00.0 @0x0 -> 0x8086\n"
		"memory_region_ops_read cpu 0 mr 0x1 addr 0xb0e00000 value 0x8086 size 2 name 'pcie-mmcfg-mmio'\n"
		"pci_cfg_read cxl-downstream 0e:01.0 @0x0 -> 0x19e5\n"
		"memory_region_ops_read cpu 0 mr 0x1 addr 0xb0e08000 value 0x19e5 size 2 name 'pcie-mmcfg-mmio'\n"
		"pci_cfg_read cxl-upstream 0d:00.0 @0x0 -> 0x19e5\n"
		"memory_region_ops_read cpu 0 mr 0x1 addr 0xb0d00000 value 0x19e5 size 2 name 'pcie-mmcfg-mmio'\n"
		"pci_cfg_read cxl-type3 0d:00.0 @0x0 -> 0x8086\n"
		"memory_region_ops_read cpu 0 mr 0x1 addr 0xb0d00000 value 0x8086 size 2 name 'pcie-mmcfg-mmio'\n";
	struct run r;
	const char *ep0, *dsp0, *usp0, *ep1;

	(void)state;
	run_text(&r, CXL_IMPORT_QEMU_LOG, in, NULL);
	assert_int_equal(r.rc, CXL_OK);
	ep0 = strstr(r.out, "  ep0: {model: qemu72-type3}");
	dsp0 = strstr(r.out, "  dsp0: {model: qemu72-dsp}");
	usp0 = strstr(r.out, "  usp0: {model: qemu72-usp}");
	ep1 = strstr(r.out, "  ep1: {model: qemu72-type3}");
	assert_true(ep0 && dsp0 && usp0 && ep1);
	assert_true(ep0 < dsp0 && dsp0 < usp0 && usp0 < ep1);
	assert_non_null(strstr(r.out, "# 0e:00.0 cxl-type3\n"));
	assert_non_null(strstr(r.out, "# 0d:00.0 cxl-type3\n"));
	assert_true(has_line(r.out, "  - [cfg-read, ep1, 0x0, 2, 0x8086, \"@7\"]"));
	run_free(&r);
}

/* --device pins: a BDF gets a name, an address block gets a name and model. */
static void test_pins(void **state)
{
	struct test_log l = { 0 };
	unsigned c, m;
	struct run r;
	const char *pins[] = { "0d:00.0=mem0", "0x300000000=chbs:qemu72-hb", NULL };

	(void)state;
	c = cfg_read(&l, "cxl-type3", 0x0d, 0x0, 2, 0x8086);
	m = cache_mem(&l, false, 0x300001004ull, 0x8020002, 4);
	cache_mem(&l, false, 0x200001000ull, 0x2110001, 4);
	run_log(&r, &l, pins);
	assert_int_equal(r.rc, CXL_OK);
	assert_true(has_line(r.out, op("cfg-read", "mem0", 0x0, 2, 0x8086, c)));
	assert_true(has_line(r.out, op("mmio-read", "chbs", 0x1004, 4, 0x8020002, m)));
	assert_non_null(strstr(r.out, "  mem0: {model: qemu72-type3}"));
	assert_non_null(strstr(r.out, "  chbs: {model: qemu72-hb}"));
	assert_non_null(strstr(r.out, "  hb0: {model: qemu72-hb}"));
	run_free(&r);
}

/* --device specs that are rejected, and what a BDF pin parses to. */
static void test_bad_pins(void **state)
{
	struct cxl_import_opts o;
	struct cxl_error e;

	(void)state;
	cxl_import_opts_init(&o);
	assert_int_equal(cxl_import_add_pin(&o, "0d:00.0", &e), CXL_ERR_USAGE);
	assert_int_equal(cxl_import_add_pin(&o, "0x1000=x", &e), CXL_ERR_USAGE);
	assert_int_equal(cxl_import_add_pin(&o, "zz=x:y", &e), CXL_ERR_USAGE);
	assert_int_equal(cxl_import_add_pin(&o, "0d:00.0=bad name", &e), CXL_ERR_USAGE);
	assert_int_equal(cxl_import_add_pin(&o, "0d:20.0=x", &e), CXL_ERR_USAGE);
	assert_int_equal(cxl_import_add_pin(&o, "0d:00.0=a:m1", &e), CXL_OK);
	assert_int_equal(cxl_import_add_pin(&o, "0d:00.0=b", &e), CXL_ERR_USAGE);
	assert_int_equal(cxl_import_add_pin(&o, "0x10000=a:m2", &e), CXL_ERR_USAGE);
	assert_int_equal(cxl_import_add_pin(&o, "0000:0e:00.1=c", &e), CXL_OK);
	/* a component block is 64 KiB aligned and ends inside the address space (CXL r3.1 §8.2.3) */
	assert_int_equal(cxl_import_add_pin(&o, "0x11000=z:qemu72-type3", &e), CXL_ERR_USAGE);
	assert_non_null(strstr(e.msg, "64 KiB aligned"));
	assert_int_equal(cxl_import_add_pin(&o, "0xffffffffffff0000=z:qemu72-type3", &e), CXL_ERR_USAGE);
	assert_int_equal(o.npins, 2);
	assert_int_equal(cxl_import_add_pin(&o, "0xfffffffffffe0000=z:qemu72-type3", &e), CXL_OK);
	assert_int_equal(o.npins, 3);
	assert_int_equal(o.pins[1].bdf, 0x0e01);
}

/* ---- gzip, expect, not-a-log -------------------------------------------- */

/* gzip input created with zlib imports like the plain text. */
static void test_gzip_input(void **state)
{
	char path[300];
	gzFile gz;
	const char *p;
	struct run r;

	(void)state;
	snprintf(path, sizeof(path), "%s/shapes.log.gz", tmp_dir());
	gz = gzopen(path, "wb9");
	assert_non_null(gz);
	assert_int_equal(gzwrite(gz, shapes_plain, (unsigned)strlen(shapes_plain)),
			 (int)strlen(shapes_plain));
	assert_int_equal(gzclose(gz), Z_OK);
	p = path;
	run_import(&r, CXL_IMPORT_QEMU_LOG, NULL, NULL, &p, 1);
	assert_int_equal(r.rc, CXL_OK);
	assert_true(has_line(r.out, "  - [cfg-read, ep0, 0x0, 4, 0xd938086, \"@2\"]"));
	assert_true(has_line(r.out, "  - [cfg-write, ep0, 0x4, 2, 0x6, \"@7\"]"));
	assert_true(has_line(r.out, "source: \"shapes.log.gz\""));
	run_free(&r);
}

/* A gzip file cut short: an input error; with allow_truncated the complete lines are
 * imported and the cut is noted. */
static void test_gzip_truncated(void **state)
{
	char path[300];
	char big[20000];
	gzFile gz;
	FILE *f;
	long size;
	const char *p;
	struct run r;

	(void)state;
	snprintf(path, sizeof(path), "%s/cut.log.gz", tmp_dir());
	big[0] = '\0';
	for (int i = 0; i < 100; i++)
		strcat(big, "pci_cfg_read cxl-rp 0c:00.0 @0x0 -> 0x8086\n"
		       "memory_region_ops_read cpu 0 mr 0x1 addr 0xb0c00000 value 0x8086 size 2 name 'pcie-mmcfg-mmio'\n");
	gz = gzopen(path, "wb0");   /* stored: cutting keeps a readable prefix */
	gzwrite(gz, big, (unsigned)strlen(big));
	gzclose(gz);
	f = fopen(path, "rb+");
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fclose(f);
	assert_int_equal(truncate(path, size - 5000), 0);
	p = path;
	run_import(&r, CXL_IMPORT_QEMU_LOG, NULL, NULL, &p, 1);
	assert_int_equal(r.rc, CXL_ERR_SYNTAX);       /* a damaged file is bad input ... */
	assert_non_null(strstr(r.err.msg, "the gzip stream ends early"));
	run_free(&r);
	allow_truncated = true;                       /* ... unless the user takes the lines */
	run_import(&r, CXL_IMPORT_QEMU_LOG, NULL, NULL, &p, 1);
	allow_truncated = false;
	assert_int_equal(r.rc, CXL_OK);
	assert_non_null(strstr(r.out, "# inputs whose gzip stream ended early (truncated file): 1"));
	assert_true(count_lines(r.out, "  - [cfg-read, rp0") > 50);
	assert_true(header_balanced(r.out));
	run_free(&r);
}

/* expect: lists are carried over, re-emitted in one style, and checked. */
static void test_expect_carried(void **state)
{
	const char *in = tmp_text("e.log", shapes_plain);
	const char *ex = tmp_text("e.yaml",
		"# hand-written\n"
		"cxl-trace: 1\n"
		"devices: {ep0: {model: qemu72-type3}}\n"
		"ops: [[mark, \"x\"]]\n"
		"expect:\n"
		"  - {op: 2, rule: access.width, why: \"Linux reads \\\"8\\\" bytes \xc2\xa7 8.2.2\"}\n"
		"  - op: 0\n"
		"    rule: read.mismatch\n");
	struct run r;

	(void)state;
	run_import(&r, CXL_IMPORT_QEMU_LOG, NULL, ex, &in, 1);
	assert_int_equal(r.rc, CXL_OK);
	assert_non_null(strstr(r.out,
		"\nexpect:\n"
		"  - {op: 2, rule: access.width, why: \"Linux reads \\\"8\\\" bytes \xc2\xa7 8.2.2\"}\n"
		"  - {op: 0, rule: read.mismatch}\n"));
	run_free(&r);

	/* an expectation past the last op points into the expect file */
	ex = tmp_text("e2.yaml", "expect:\n  - {op: 0, rule: access.width}\n  - {op: 3, rule: read.mismatch}\n");
	run_import(&r, CXL_IMPORT_QEMU_LOG, NULL, ex, &in, 1);
	assert_int_equal(r.rc, CXL_ERR_VALUE);
	assert_int_equal(r.err.line, 3);
	assert_int_equal(r.err.col, 5);
	assert_int_equal(r.len, 0);
	run_free(&r);

	ex = tmp_text("e3.yaml", "expect:\n  - {op: 0, rule: access.width, bogus: 1}\n");
	run_import(&r, CXL_IMPORT_QEMU_LOG, NULL, ex, &in, 1);
	assert_int_equal(r.rc, CXL_ERR_SCHEMA);
	assert_int_equal(r.err.line, 2);
	run_free(&r);

	/*
	 * One expect: parser for replay and import: what replay refuses (an unknown rule, a
	 * note, which never counts) import --expect refuses too, at the rule's position.
	 */
	ex = tmp_text("e4.yaml", "expect:\n  - {op: 0, rule: no.such-rule}\n");
	run_import(&r, CXL_IMPORT_QEMU_LOG, NULL, ex, &in, 1);
	assert_int_equal(r.rc, CXL_ERR_UNKNOWN);
	assert_int_equal(r.err.line, 2);
	assert_int_equal(r.err.col, 19);
	assert_non_null(strstr(r.err.msg, "unknown rule 'no.such-rule'"));
	assert_int_equal(r.len, 0);
	run_free(&r);
	ex = tmp_text("e5.yaml", "- {op: 0, rule: access.unmodeled}\n");
	run_import(&r, CXL_IMPORT_QEMU_LOG, NULL, ex, &in, 1);
	assert_int_equal(r.rc, CXL_ERR_VALUE);
	assert_non_null(strstr(r.err.msg, "is a note"));
	run_free(&r);
}

/* Imports @data and expects "FILE:1:1: error: no qemu-log records found". */
static void expect_no_records(const void *data, size_t len)
{
	const char *p = tmp_file("junk.bin", data, len);
	struct run r;
	char msg[1024], want[600];

	run_import(&r, CXL_IMPORT_QEMU_LOG, NULL, NULL, &p, 1);
	assert_int_equal(r.rc, CXL_ERR_SYNTAX);
	assert_int_equal(r.len, 0);
	cxl_error_format(&r.err, msg, sizeof(msg));
	snprintf(want, sizeof(want), "%s:1:1: error: no qemu-log records found", p);
	assert_string_equal(msg, want);
	run_free(&r);
}

/* Prose and an empty file are not QEMU logs. */
static void test_not_a_log(void **state)
{
	static const char text[] = "Hello,\nthis is a README, not a QEMU log.\n\n";

	(void)state;
	expect_no_records(text, strlen(text));
	expect_no_records("", 0);
}

/* Pseudo-random bytes are not a QEMU log either. */
static void test_binary_garbage(void **state)
{
	unsigned char buf[70000];
	uint32_t x = 12345;

	(void)state;
	for (size_t i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (unsigned char)(x >> 16);
	}
	expect_no_records(buf, sizeof(buf));
}

/*
 * Endless binary input is given up on: 10,000 binary lines in a row before any record is no
 * log (an error at the run's first line); after records they are only counted.
 */
static void test_endless_binary(void **state)
{
	size_t n = 20000 * 10 + 256;
	char *buf = malloc(n), *p;
	struct run r;

	(void)state;
	assert_non_null(buf);
	p = buf;
	for (unsigned i = 0; i < 20000; i++)
		p += sprintf(p, "\x01\x02garbage\n");
	run_text(&r, CXL_IMPORT_QEMU_LOG, buf, NULL);
	assert_int_equal(r.rc, CXL_ERR_SYNTAX);
	assert_int_equal(r.err.line, 1);
	assert_non_null(strstr(r.err.msg, "10000 lines in a row of binary data"));
	assert_string_equal(r.out, "");
	run_free(&r);
	p = buf + sprintf(buf, "pci_cfg_read cxl-rp 0c:00.0 @0x0 -> 0x8086\n"
			  "memory_region_ops_read cpu 0 mr 0x1 addr 0xb0c00000 value 0x8086 size 2 name 'pcie-mmcfg-mmio'\n");
	for (unsigned i = 0; i < 20000; i++)
		p += sprintf(p, "\x01\x02garbage\n");
	run_text(&r, CXL_IMPORT_QEMU_LOG, buf, NULL);
	assert_int_equal(r.rc, CXL_OK);
	assert_int_equal(header_num(r.out, "unparseable (bad fields or binary data):"), 20000);
	run_free(&r);
	free(buf);
}

/* A gzip header followed by junk is a read error at the line reached. */
static void test_corrupt_gzip(void **state)
{
	static const unsigned char junk[] = {
		0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff,
		0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
	};
	const char *p = tmp_file("bad.gz", junk, sizeof(junk));
	struct run r;

	(void)state;
	run_import(&r, CXL_IMPORT_QEMU_LOG, NULL, NULL, &p, 1);
	assert_int_equal(r.rc, CXL_ERR_IO);
	assert_int_equal(r.err.line, 1);
	assert_int_equal(r.len, 0);
	run_free(&r);
}

/* A missing input is an I/O error naming the file. */
static void test_missing_file(void **state)
{
	const char *p = "/nonexistent/cxlemu/x.log";
	struct run r;

	(void)state;
	run_import(&r, CXL_IMPORT_QEMU_LOG, NULL, NULL, &p, 1);
	assert_int_equal(r.rc, CXL_ERR_IO);
	assert_string_equal(r.err.file, p);
	run_free(&r);
}

/* Two inputs: ops of the second cite "@FILE:LINE"; topology carries over. */
static void test_two_inputs(void **state)
{
	const char *paths[2];
	struct run r;

	(void)state;
	paths[0] = tmp_text("a.log",
		"memory_region_ops_write cpu 0 mr 0x1 addr 0xb0d00010 value 0xfe800000 size 4 name 'pcie-mmcfg-mmio'\n"
		"pci_cfg_write cxl-type3 0d:00.0 @0x10 <- 0xfe800000\n");
	paths[1] = tmp_text("b.log",
		"memory_region_ops_read cpu 0 mr 0x1 addr 0xfe801000 value 0x3110001 size 4 name '.cache_mem'\n");
	run_import(&r, CXL_IMPORT_QEMU_LOG, NULL, NULL, paths, 2);
	assert_int_equal(r.rc, CXL_OK);
	assert_true(has_line(r.out, "  - [cfg-write, ep0, 0x10, 4, 0xfe800000, \"@2\"]"));
	assert_true(has_line(r.out, "  - [mmio-read, ep0, 0x1000, 4, 0x3110001, \"@b.log:1\"]"));
	assert_true(has_line(r.out, "source: \"a.log\""));
	run_free(&r);
}

/* Runs the tests; removes the scratch files. */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_lines),
		cmocka_unit_test(test_pid_time_prefix),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_vfio_and_unknown_events),
		cmocka_unit_test(test_missing_size_pairing),
		cmocka_unit_test(test_truncated_last_line),
		cmocka_unit_test(test_over_long_line),
		cmocka_unit_test(test_non_cxl_dropped),
		cmocka_unit_test(test_bar_and_locator),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_fallback_bar0),
		cmocka_unit_test(test_host_bridge),
		cmocka_unit_test(test_naming_order),
		cmocka_unit_test(test_pins),
		cmocka_unit_test(test_bad_pins),
		cmocka_unit_test(test_gzip_input),
		cmocka_unit_test(test_gzip_truncated),
		cmocka_unit_test(test_expect_carried),
		cmocka_unit_test(test_not_a_log),
		cmocka_unit_test(test_binary_garbage),
		cmocka_unit_test(test_endless_binary),
		cmocka_unit_test(test_corrupt_gzip),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_two_inputs),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	tmp_cleanup();
	return rc;
}
