/* SPDX-License-Identifier: MIT */
/*
 * test_vfio.c - the vfio-cxl events of a QEMU log (emu/import/vfio.c): which
 * devices are CXL, the view from the COMP_REGS overlay, setup_locked_hdm's
 * synthesized VMM writes, failed accesses, the host state, --host-decoder,
 * malformed lines.
 *
 * The line shapes are the NVIDIA QEMU trace-events formats
 * (the reference note vfio-cxl-shadow.md §3.2). Expected offsets: §3.2's
 * replay notes (Base Low +0x10, Base High +0x14, Control +0x20 of the HDM
 * block) applied to the type2-accel layout of spec/ (HDM Decoder Capability
 * at CXL.cachemem + 0x110, so 0x1110 from the component block, which is at
 * BAR offset 0): comp-regs-v2 counts from the CXL.cachemem area (§1.3),
 * comp-regs-v3 from the component block (§1.4), comp-regs-v4 from the HDM
 * block (§1.5).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "helpers.h"

#define DEV "0000:01:00.0"

/* QEMU's realize of a v2-era vfio-cxl device whose COMP_REGS sits at BAR offset @overlay. */
static void realize(struct test_log *l, unsigned long long overlay, unsigned long long comp_size)
{
	log_line(l, "vfio_region_setup Device " DEV ", region 0 \"" DEV " BAR 0\", flags: 0x7, offset: 0x0, size: 0x10000");
	log_line(l, "vfio_region_setup Device " DEV ", region 9 \"cxl-dpa\", flags: 0x7, offset: 0x90000000000, size: 0x40000000");
	log_line(l, "vfio_region_setup Device " DEV ", region 10 \"cxl-comp-regs\", flags: 0x3, offset: 0xa0000000000, size: 0x%llx",
	    comp_size);
	log_line(l, "vfio_cxl_setup_params  (" DEV ") hdm_bar=0 hdm_regs_offset=0x%llx hdm_regs_size=0x%llx dpa_size=0x40000000",
	    overlay, comp_size);
	log_line(l, "vfio_cxl_bar_subregion  (" DEV ") BAR0 comp_regs overlay at BAR offset 0x%llx", overlay);
}

/* setup_locked_hdm's trace line (§3.1) for fmws_base 0x1000000000. */
static unsigned locked_hdm(struct test_log *l)
{
	return log_line(l, "vfio_cxl_locked_hdm  (" DEV ") fmws_base=0x1000000000 wrote decoder0 base_lo=0x00000000 base_hi=0x00000010 ctrl=0x00000700");
}

static char line_buf[256];

/* "  - [KIND, vfio0, 0xOFF, SIZE, 0xVAL, "@LINE"<tail>]" */
static const char *op(const char *kind, unsigned off, unsigned size, unsigned long long val,
		      unsigned line, const char *tail)
{
	snprintf(line_buf, sizeof(line_buf), "  - [%s, vfio0, 0x%x, %u, 0x%llx, \"@%u\"%s]",
		 kind, off, size, val, line, tail);
	return line_buf;
}

static void run_log(struct run *r, const struct test_log *l)
{
	run_text(r, CXL_IMPORT_QEMU_LOG, l->buf, NULL);
}

/* ---- tests --------------------------------------------------------------- */

/* The v2 flavour: the device, its host state, setup_locked_hdm's three VMM writes, then the
 * guest's region and config accesses at COMP_REGS offsets. */
static void test_v2_setup(void **state)
{
	struct test_log l = { .len = 0 };
	struct run r;
	unsigned lh, rd, wr, cr, cw;

	(void)state;
	realize(&l, 0x1000, 0x140);
	lh = locked_hdm(&l);
	rd = log_line(&l, "vfio_region_read  (" DEV ":region10+0x130, 4) = 0x700");
	wr = log_line(&l, "vfio_region_write  (" DEV ":region10+0x124, 0x11, 4)");
	cr = log_line(&l, "vfio_pci_read_config  (" DEV ", @0x10c, len=0x2) 0x6");
	cw = log_line(&l, "vfio_pci_write_config  (" DEV ", @0x114, 0x1, len=0x2)");
	log_line(&l, "vfio_cxl_put_device  (" DEV ") removing DPA region from system memory");
	run_log(&r, &l);
	assert_int_equal(r.rc, CXL_OK);
	assert_non_null(strstr(r.out,
		"  vfio0: {model: type2-accel, view: comp-regs-v2, host: {config-lock: false, mem-enable: true, "
		"decoders: [{decoder: 0, base: 0x0, size: 0x40000000, committed: true, locked: true}]}} "
		"# vfio-cxl " DEV ", COMP_REGS region\n"));
	assert_true(has_line(r.out, op("mmio-write", 0x120, 4, 0x0, lh, ", vmm")));
	assert_true(has_line(r.out, op("mmio-write", 0x124, 4, 0x10, lh, ", vmm")));
	assert_true(has_line(r.out, op("mmio-write", 0x130, 4, 0x700, lh, ", vmm")));
	assert_true(has_line(r.out, op("mmio-read", 0x130, 4, 0x700, rd, "")));
	assert_true(has_line(r.out, op("mmio-write", 0x124, 4, 0x11, wr, "")));
	assert_true(has_line(r.out, op("cfg-read", 0x10c, 2, 0x6, cr, "")));
	assert_true(has_line(r.out, op("cfg-write", 0x114, 2, 0x1, cw, "")));
	assert_int_equal(count_lines(r.out, "  - ["), 7);
	/* the VMM writes come first, in setup_locked_hdm's order */
	assert_true(strstr(r.out, ", 0x120, 4, 0x0,") < strstr(r.out, ", 0x124, 4, 0x10,"));
	assert_true(strstr(r.out, ", 0x124, 4, 0x10,") < strstr(r.out, ", 0x130, 4, 0x700,"));
	assert_true(header_balanced(r.out));
	run_free(&r);
}

/* The leftover-lock warning (§3.1): a fourth VMM write, Control less LOCK, at the warning's
 * line, before the three of vfio_cxl_locked_hdm. */
static void test_leftover_lock(void **state)
{
	struct test_log l = { .len = 0 };
	struct run r;
	unsigned warn, lh;

	(void)state;
	realize(&l, 0x1000, 0x140);
	warn = log_line(&l, "qemu-system-x86_64: warning: vfio-cxl: COMMIT_LOCK set in HDM decoder 0 CTRL at machine_done; clearing before programming guest GPA");
	lh = locked_hdm(&l);
	run_log(&r, &l);
	assert_int_equal(r.rc, CXL_OK);
	assert_true(has_line(r.out, op("mmio-write", 0x130, 4, 0x600, warn, ", vmm")));
	assert_true(has_line(r.out, op("mmio-write", 0x130, 4, 0x700, lh, ", vmm")));
	assert_int_equal(count_lines(r.out, "  - ["), 4);
	assert_true(strstr(r.out, "0x600, \"@") < strstr(r.out, ", 0x120, 4, 0x0,"));
	assert_true(header_balanced(r.out));
	run_free(&r);
}

/* The overlay offset picks the view, and the VMM writes' offsets follow it. */
static void test_views(void **state)
{
	static const struct {
		unsigned long long overlay;
		const char *view;
		unsigned base_lo;
		bool known;
	} cases[] = {
		{ 0x1000, "comp-regs-v2", 0x120, true },   /* §1.3: the CXL.cachemem area */
		{ 0x0, "comp-regs-v3", 0x1120, true },     /* §1.4: the component block */
		{ 0x1110, "comp-regs-v4", 0x10, true },    /* §1.5: the HDM decoder block */
		{ 0x2000, "comp-regs-v2", 0x120, false },  /* no view's base: v2, said so */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct test_log l = { .len = 0 };
		struct run r;
		char want[96];
		unsigned lh;

		realize(&l, cases[i].overlay, 0x140);
		lh = locked_hdm(&l);
		run_log(&r, &l);
		assert_int_equal(r.rc, CXL_OK);
		snprintf(want, sizeof(want), "view: %s, host:", cases[i].view);
		assert_non_null(strstr(r.out, want));
		assert_true(has_line(r.out, op("mmio-write", cases[i].base_lo, 4, 0x0, lh, ", vmm")));
		assert_true(has_line(r.out, op("mmio-write", cases[i].base_lo + 0x10, 4, 0x700, lh, ", vmm")));
		assert_int_equal(strstr(r.out, "is no view's base, comp-regs-v2 assumed") != NULL, !cases[i].known);
		run_free(&r);
	}
}

/* The Sep 2024 RFC (§3.3): no COMP_REGS region, BAR accesses at BAR offsets, no host state
 * (no dpa_size logged); the device is CXL because its config space shows the CXL DVSEC. */
static void test_bar_view(void **state)
{
	struct test_log l = { .len = 0 };
	struct run r;
	unsigned hdr, rd, wr;

	(void)state;
	log_line(&l, "vfio_region_setup Device " DEV ", region 0 \"" DEV " BAR 0\", flags: 0x7, offset: 0x0, size: 0x10000");
	log_line(&l, "vfio_region_read  (" DEV ":region0+0x1110, 4) = 0x300");  /* not yet known CXL */
	hdr = log_line(&l, "vfio_pci_read_config  (" DEV ", @0x104, len=0x4) 0x3c21e98");
	rd = log_line(&l, "vfio_region_read  (" DEV ":region0+0x1110, 4) = 0x300");
	wr = log_line(&l, "vfio_region_write  (" DEV ":region0+0x1130, 0x200, 4)");
	log_line(&l, "vfio_region_read  (" DEV ":region2+0x0, 4) = 0x0");       /* another BAR: still bar */
	run_log(&r, &l);
	assert_int_equal(r.rc, CXL_OK);
	assert_non_null(strstr(r.out, "  vfio0: {model: type2-accel, view: bar} # vfio-cxl " DEV ", component BAR\n"));
	assert_true(has_line(r.out, op("cfg-read", 0x104, 4, 0x3c21e98, hdr, "")));
	assert_true(has_line(r.out, op("mmio-read", 0x1110, 4, 0x300, rd, "")));
	assert_true(has_line(r.out, op("mmio-write", 0x1130, 4, 0x200, wr, "")));
	assert_int_equal(header_num(r.out, "non-CXL device:"), 1);
	assert_true(header_balanced(r.out));
	run_free(&r);
}

/* QEMU's error line marks the next access of that kind and address as failed (§3.1: the trace
 * line is emitted anyway, a read with 0xffffffff); other accesses stay unmarked. */
static void test_failed_access(void **state)
{
	struct test_log l = { .len = 0 };
	struct run r;
	unsigned ok1, bad, ok2;

	(void)state;
	realize(&l, 0x1110, 0x30);
	log_line(&l, "qemu-system-x86_64: vfio-cxl: " DEV " COMP_REGS read at 0x30 failed: Invalid argument");
	ok1 = log_line(&l, "vfio_region_read  (" DEV ":region10+0x20, 4) = 0x700");   /* other address */
	bad = log_line(&l, "vfio_region_read  (" DEV ":region10+0x30, 4) = 0xffffffff");
	ok2 = log_line(&l, "vfio_region_read  (" DEV ":region10+0x30, 4) = 0xffffffff"); /* consumed */
	log_line(&l, "qemu-system-x86_64: vfio-cxl: " DEV " COMP_REGS write at 0x34 failed: Invalid argument");
	log_line(&l, "vfio_region_read  (" DEV ":region10+0x34, 4) = 0x0");            /* a read: not it */
	run_log(&r, &l);
	assert_int_equal(r.rc, CXL_OK);
	assert_true(has_line(r.out, op("mmio-read", 0x20, 4, 0x700, ok1, "")));
	assert_true(has_line(r.out, op("mmio-read", 0x30, 4, 0xffffffff, bad, ", failed")));
	assert_true(has_line(r.out, op("mmio-read", 0x30, 4, 0xffffffff, ok2, "")));
	assert_int_equal(count_lines(r.out, "  - ["), 4);
	assert_int_equal(count_lines(r.out, "  - [mmio-read, vfio0, 0x34, 4, 0x0,"), 1);
	assert_true(header_balanced(r.out));
	run_free(&r);
}

/* A vfio NIC is not CXL: its lines are counted, not turned into ops; more of them than the
 * device table holds do not stop the import. */
static void test_non_cxl_devices(void **state)
{
	struct test_log l = { .len = 0 };
	struct run r;

	(void)state;
	for (unsigned i = 0; i < 40; i++) {
		log_line(&l, "vfio_pci_read_config  (0000:%02x:00.0, @0x0, len=0x4) 0x10fb8086", 0x10 + i);
		log_line(&l, "vfio_region_read  (0000:%02x:00.0:region0+0x8, 4) = 0x0", 0x10 + i);
	}
	realize(&l, 0x1000, 0x140);
	log_line(&l, "vfio_region_read  (" DEV ":region10+0x130, 4) = 0x700");
	run_log(&r, &l);
	assert_int_equal(r.rc, CXL_OK);
	assert_int_equal(header_num(r.out, "non-CXL device:"), 80);
	assert_int_equal(count_lines(r.out, "  - ["), 1);
	assert_non_null(strstr(r.out, "  vfio0: {"));
	assert_null(strstr(r.out, "  vfio1: {"));
	assert_true(header_balanced(r.out));
	run_free(&r);
}

/* Seventeen vfio-cxl devices are more than the importer tracks: a located error. */
static void test_too_many_cxl_devices(void **state)
{
	struct test_log l = { .len = 0 };
	struct run r;
	unsigned last = 0;

	(void)state;
	for (unsigned i = 0; i < 17; i++)
		last = log_line(&l, "vfio_cxl_setup_params  (0000:%02x:00.0) hdm_bar=0 hdm_regs_offset=0x1000 hdm_regs_size=0x140 dpa_size=0x40000000",
			   0x10 + i);
	run_log(&r, &l);
	assert_int_equal(r.rc, CXL_ERR_LIMIT);
	assert_int_equal(r.err.line, last);
	assert_non_null(strstr(r.err.msg, "more than 16 vfio-cxl devices"));
	assert_string_equal(r.out, "");
	run_free(&r);
}

/* A device name too long to keep is that error, not a device count one (vfio.c vdev_fail()). */
static void test_long_device_name(void **state)
{
	struct test_log l = { .len = 0 };
	struct run r;
	unsigned line;

	(void)state;
	line = log_line(&l, "vfio_cxl_setup_params  (%s) hdm_bar=0 hdm_regs_offset=0x1000 hdm_regs_size=0x140 dpa_size=0x40000000",
			"0000:00:00.0-with-a-name-far-longer-than-a-bdf-01234567");
	run_log(&r, &l);
	assert_int_equal(r.rc, CXL_ERR_LIMIT);
	assert_int_equal(r.err.line, line);
	assert_non_null(strstr(r.err.msg, "a vfio device name of 55 characters (at most 47)"));
	assert_string_equal(r.out, "");
	run_free(&r);
}

/* Lines with a vfio event name but the wrong shape are counted unparseable, not guessed. */
static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"vfio_region_read  (" DEV ":regionX+0x0, 4) = 0x1",
		"vfio_region_read  (" DEV ":region10, 4) = 0x1",
		"vfio_region_read  (" DEV ":region10+0x0, 4) 0x1",
		"vfio_region_write  (" DEV ":region10+0x0, 4)",
		"vfio_pci_read_config  (" DEV ", 0x10c, len=0x2) 0x6",
		"vfio_pci_write_config  (" DEV ", @0x10c, 0x6, 2)",
		"vfio_cxl_locked_hdm  (" DEV ") fmws_base=0x1000000000 wrote decoder0 base_lo=0x0 base_hi=0x10",
		"vfio_region_setup Device " DEV " region 10",
		"vfio_cxl_setup_params",
		/* each token of the documented shapes (vfio.c's top comment) missing or wrong */
		"vfio_region_read",
		"vfio_region_read  " DEV ":region10+0x0, 4) = 0x1",
		"vfio_region_read  (" DEV ":region10+0x0, 4)",
		"vfio_region_read  (" DEV ":region10+0x0, 4) = ",
		"vfio_region_read  (" DEV ":region10+0x0, 4 = 0x1",
		"vfio_region_read  (" DEV ":region10+0x0, x) = 0x1",
		"vfio_region_read  (" DEV ":region10+0xZZ, 4) = 0x1",
		"vfio_region_read  (" DEV ":reg10+0x0, 4) = 0x1",
		"vfio_region_read  (region10+0x0, 4) = 0x1",
		"vfio_region_read  (" DEV ":region+0x0, 4) = 0x1",
		"vfio_region_write  (" DEV ":region10+0x0, 0x1, 4",
		"vfio_region_write  (" DEV ":region10+0x0, zz, 4)",
		"vfio_region_write  (" DEV ":region10+0x0, 0x1, )",
		"vfio_region_write  (" DEV ":region10+0x0, 0x1,",
		"vfio_pci_read_config",
		"vfio_pci_read_config  (" DEV ", @0x10c)",
		"vfio_pci_read_config  (" DEV ", 0x10c, len=0x2) 0x6",
		"vfio_pci_read_config  (" DEV ", @0x10c, len=0x2)",
		"vfio_pci_read_config  (" DEV ", @0x10c, size=0x2) 0x6",
		"vfio_pci_read_config  (" DEV ", @0xQ, len=0x2) 0x6",
		"vfio_pci_write_config  (" DEV ", @0x10c, 0x6, len=0x2",
		"vfio_pci_write_config  (" DEV ", @0x10c, 0x6,",
		"vfio_pci_write_config  (" DEV ", @0x10c, zz, len=0x2)",
		"vfio_pci_write_config  (" DEV ", @0x10c, 0x6, len=zz)",
		"vfio_region_setup",
		"vfio_region_setup Dev " DEV ", region 10 \"cxl-comp-regs\"",
		"vfio_region_setup Device " DEV " region 10 \"cxl-comp-regs\"",
		"vfio_region_setup Device " DEV ", reg 10 \"cxl-comp-regs\"",
		"vfio_region_setup Device " DEV ", region x \"cxl-comp-regs\"",
		"vfio_cxl_locked_hdm  (" DEV ") base_lo=0x0 base_hi=0x10",
		"vfio_cxl_locked_hdm  (" DEV ") ctrl=0x700",
		"vfio_cxl_locked_hdm  " DEV " base_lo=0x0 base_hi=0x10 ctrl=0x700",
	};
	struct test_log l = { .len = 0 };
	struct run r;

	(void)state;
	realize(&l, 0x1000, 0x140);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		log_line(&l, "%s", bad[i]);
	run_log(&r, &l);
	assert_int_equal(r.rc, CXL_OK);
	assert_int_equal(header_num(r.out, "unparseable (bad fields or binary data):"),
			 sizeof(bad) / sizeof(bad[0]));
	assert_int_equal(count_lines(r.out, "  - ["), 0);
	assert_true(header_balanced(r.out));
	run_free(&r);
}

/* Timestamps (-msg timestamp=on, "TID@SEC.USEC:") change nothing. */
static void test_timestamps(void **state)
{
	struct test_log plain = { .len = 0 };
	struct run a, b;
	char *stamped = calloc(1, sizeof(plain.buf) * 2);
	unsigned usec = 1;

	(void)state;
	assert_non_null(stamped);
	realize(&plain, 0x1000, 0x140);
	log_line(&plain, "qemu-system-x86_64: warning: vfio-cxl: COMMIT_LOCK set in HDM decoder 0 CTRL at machine_done; clearing before programming guest GPA");
	locked_hdm(&plain);
	log_line(&plain, "vfio_region_read  (" DEV ":region10+0x130, 4) = 0x700");
	for (const char *p = plain.buf; *p;) {
		const char *nl = strchr(p, '\n');

		if (strncmp(p, "qemu-system", 11))
			sprintf(stamped + strlen(stamped), "4242@1777316555.%06u:", usec++);
		sprintf(stamped + strlen(stamped), "%.*s\n", (int)(nl - p), p);
		p = nl + 1;
	}
	run_text(&a, CXL_IMPORT_QEMU_LOG, plain.buf, NULL);
	run_text(&b, CXL_IMPORT_QEMU_LOG, stamped, NULL);
	assert_int_equal(a.rc, CXL_OK);
	assert_int_equal(b.rc, CXL_OK);
	assert_string_equal(strstr(a.out, "ops:\n"), strstr(b.out, "ops:\n"));
	assert_int_equal(count_lines(a.out, "  - ["), 5);
	run_free(&a);
	run_free(&b);
	free(stamped);
}

/* --host-decoder: decoder N of every vfio-cxl device; the defaults replaced; bad specs refused. */
static void test_host_decoder_option(void **state)
{
	static const char *const bad[] = {
		"0", "0=", "0=0x480000000", "8=0x0,0x10000000", "0=0x1000,0x10000000",
		"0=0x0,0x1000", "0=0x0,0x0", "0=0x0,0x10000000,sticky", "x=0x0,0x10000000",
		"0=0xf0000000000000000,0x10000000", "0=0xf000000000000000,0x1000000000000000",
	};
	struct cxl_import_opts o;
	struct cxl_error err;
	struct test_log l = { .len = 0 };
	struct run r;
	const char *path;
	FILE *f;

	(void)state;
	cxl_import_opts_init(&o);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(cxl_import_add_host_decoder(&o, bad[i], &err), CXL_ERR_USAGE);
		assert_non_null(strstr(err.msg, "--host-decoder"));
	}
	for (unsigned n = 0; n < CXL_HOST_DECODERS_MAX; n++)
		assert_false(o.vfio_host[n].set);
	assert_int_equal(cxl_import_add_host_decoder(&o, "0=0x480000000,0x40000000", &err), CXL_OK);
	assert_int_equal(cxl_import_add_host_decoder(&o, "1=0x500000000,0x10000000,unlocked", &err), CXL_OK);
	assert_int_equal(cxl_import_add_host_decoder(&o, "2=0x0,0x10000000,uncommitted", &err), CXL_OK);
	assert_true(o.vfio_host[0].committed && o.vfio_host[0].locked);
	assert_true(o.vfio_host[1].committed && !o.vfio_host[1].locked);
	assert_true(!o.vfio_host[2].committed && !o.vfio_host[2].locked);

	realize(&l, 0x1000, 0x140);
	log_line(&l, "vfio_region_read  (" DEV ":region10+0x130, 4) = 0x700");
	path = tmp_text("host.log", l.buf);
	memset(&r, 0, sizeof(r));
	f = open_memstream(&r.out, &r.len);
	assert_int_equal(cxl_import_run(&o, &path, 1, f, &err), CXL_OK);
	fclose(f);
	assert_non_null(strstr(r.out,
		"decoders: [{decoder: 0, base: 0x480000000, size: 0x40000000, committed: true, locked: true}, "
		"{decoder: 1, base: 0x500000000, size: 0x10000000, committed: true, locked: false}, "
		"{decoder: 2, base: 0x0, size: 0x10000000, committed: false, locked: false}]"));
	run_free(&r);
}

/* Runs the tests; removes the scratch files. */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v2_setup),
		cmocka_unit_test(test_leftover_lock),
		cmocka_unit_test(test_views),
		cmocka_unit_test(test_bar_view),
		cmocka_unit_test(test_failed_access),
		cmocka_unit_test(test_non_cxl_devices),
		cmocka_unit_test(test_too_many_cxl_devices),
		cmocka_unit_test(test_long_device_name),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_timestamps),
		cmocka_unit_test(test_host_decoder_option),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	tmp_cleanup();
	return rc;
}
