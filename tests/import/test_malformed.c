/* SPDX-License-Identifier: MIT */
/*
 * test_malformed.c - records the importers cannot use, one class each: every malformed field
 * of a QEMU log (pci_cfg_* and memory_region_ops_* lines as QEMU 7.2's trace-events print
 * them, hw/pci/trace-events and softmmu/trace-events), of a qtest stream (the protocol of
 * QEMU's docs/devel/qtest.rst: "[R +T] CMD" requests, "[S +T] OK|FAIL|ERR" replies, in/out,
 * read/write, readX/writeX, clock_*, irq_*, b64*) and of an mmiotrace (Linux
 * Documentation/trace/mmiotrace.rst: MAP, UNMAP, R, W, MARK, VERSION, PCIDEV records) is
 * counted in the class the importer documents for it (cxlemu/import.h, emu/import/import.c and stats.c:
 * "unparseable (bad fields or binary data)", "unknown event or record", ...), the lines
 * read still balance, and the usable records around them still become ops. Also the option
 * parsers of cxlemu/import.h (--host-decoder, --device, format names) against their header
 * comments, and two inputs "-".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "helpers.h"

#define UNPARSEABLE "unparseable (bad fields or binary data):"
#define UNKNOWN "unknown event or record:"
#define CONTEXT "context (size pairing, latches, replies, MAP):"
#define IGNORED "records without a register access:"
#define NO_DEVICE "config access with no device behind it:"
#define NOT_COMPONENT "not a component register block:"
#define OUT_OF_RANGE "out of range (offset, size or value):"
#define BLANK "blank or comment:"
#define FAILED "command failed (FAIL/ERR reply):"
#define UNSUPPORTED "unsupported command:"
#define TRUNCATED "truncated last line (no newline):"

/* ---- QEMU log ------------------------------------------------------------ */

static const char qlog[] =
	/* a good ECAM config read of a type 3 device: the one op */
	"pci_cfg_read cxl-type3 0d:00.0 @0x0 -> 0xd938086\n"                                     /* 1 */
	"memory_region_ops_read cpu 0 mr 0x1 addr 0xb0d00000 value 0xd938086 size 4 name 'pcie-mmcfg-mmio'\n"
	/* pci_cfg_*: each field malformed once */
	"pci_cfg_read\n"                                                 /* 3: no device type */
	"pci_cfg_read cxl-type3\n"                                       /* 4: no BDF */
	"pci_cfg_read cxl-type3 0001:0d:00.0 @0x0 -> 0x1\n"              /* 5: domain 1 */
	"pci_cfg_read cxl-type3 zz:0d:00.0 @0x0 -> 0x1\n"                /* 6: domain not hex */
	"pci_cfg_read cxl-type3 zz:00.0 @0x0 -> 0x1\n"                   /* 7: bus not hex */
	"pci_cfg_read cxl-type3 0d:zz.0 @0x0 -> 0x1\n"                   /* 8: device not hex */
	"pci_cfg_read cxl-type3 0d:00.z @0x0 -> 0x1\n"                   /* 9: function not hex */
	"pci_cfg_read cxl-type3 0d:zz @0x0 -> 0x1\n"                     /* 10: BB:DD, DD not hex */
	"pci_cfg_read cxl-type3 0d:00.8 @0x0 -> 0x1\n"                   /* 11: function 8 */
	"pci_cfg_read cxl-type3 0d:20.0 @0x0 -> 0x1\n"                   /* 12: device 0x20 */
	"pci_cfg_read cxl-type3 100:00.0 @0x0 -> 0x1\n"                  /* 13: bus 0x100 */
	"pci_cfg_read cxl-type3 0d00 @0x0 -> 0x1\n"                      /* 14: no colon */
	"pci_cfg_read cxl-type3 0d:00.0 0x0 -> 0x1\n"                    /* 15: no @ */
	"pci_cfg_read cxl-type3 0d:00.0 @ -> 0x1\n"                      /* 16: @ alone */
	"pci_cfg_read cxl-type3 0d:00.0 @0x1000 -> 0x1\n"                /* 17: past 4 KiB */
	"pci_cfg_read cxl-type3 0d:00.0 @0x0 <- 0x1\n"                   /* 18: a write's arrow */
	"pci_cfg_read cxl-type3 0d:00.0 @0x0\n"                          /* 19: no arrow */
	"pci_cfg_read cxl-type3 0d:00.0 @0x0 -> zz\n"                    /* 20: value not a number */
	"pci_cfg_read cxl-type3 0d:00.0 @0x0 -> 0x1 extra\n"             /* 21: a field too many */
	/* memory_region_ops_*: each field malformed once */
	"memory_region_ops_read cpu x\n"                                 /* 22: cpu not a number */
	"memory_region_ops_read cpu 0 mr 0x1 addr 0x1000 size 4\n"       /* 23: no value */
	"memory_region_ops_read cpu 0 mr 0x1 value 0x1 size 4\n"         /* 24: no addr */
	"memory_region_ops_read cpu 0 mr 0x1 addr 0x1000 value 0x1\n"    /* 25: no size */
	"memory_region_ops_read cpu 0 mr 0x1 addr 0x1000 value 0x1 size 0\n"   /* 26 */
	"memory_region_ops_read cpu 0 mr 0x1 addr 0x1000 value 0x1 size 9\n"   /* 27 */
	"memory_region_ops_read cpu 0 mr 0x1 addr 0x1000 value 0x1 size 4 name noquote\n"  /* 28 */
	"memory_region_ops_read cpu 0 mr 0x1 addr 0x1000 value 0x1 size 4 name '\n"        /* 29 */
	/* unnamed regions are told by their address; named ones by name */
	"memory_region_ops_write cpu 0 mr 0x1 addr 0xcf8 value 0x80000000 size 4\n"  /* 30: CF8 */
	"memory_region_ops_read cpu 0 mr 0x1 addr 0xcfd value 0x1 size 1\n"  /* 31: CFC..CFF, no read */
	"memory_region_ops_read cpu 0 mr 0x1 addr 0xb0e00000 value 0x1 size 4\n" /* 32: ECAM, no read */
	"memory_region_ops_read cpu 0 mr 0x1 addr 0x1000 value 0x1 size 4\n"  /* 33: elsewhere */
	"memory_region_ops_write cpu 0 mr 0x1 addr 0xcf8 value 0x0 size 4 name 'pci-conf-idx'\n" /* 34 */
	"memory_region_ops_read cpu 0 mr 0x1 addr 0xcfc value 0x1 size 4 name 'pci-conf-data'\n" /* 35 */
	"memory_region_ops_read cpu 0 mr 0x1 addr 0x1000 value 0x1 size 4 name  'ram'  \n"   /* 36 */
	/* PID@TIME: prefixes that are not one: the word is an unknown event */
	"12@1.5\n"                                                       /* 37: no ':' */
	"12@1.5x:pci_cfg_read\n"                                         /* 38: time not a number */
	"@1.5:pci_cfg_read\n"                                            /* 39: no PID */
	"12\n"                                                           /* 40: digits only */
	"\n";                                                            /* 41 */

/* Every malformed pci_cfg_* and memory_region_ops_* line is unparseable; the rest classified. */
static void test_qemu_log_fields(void **state)
{
	struct run r;

	(void)state;
	run_text(&r, CXL_IMPORT_QEMU_LOG, qlog, NULL);
	assert_int_equal(r.rc, CXL_OK);
	assert_true(has_line(r.out, "  - [cfg-read, ep0, 0x0, 4, 0xd938086, \"@1\"]"));
	assert_int_equal(count_lines(r.out, "  - ["), 1);
	assert_int_equal(header_num(r.out, "lines read:"), 41);
	assert_int_equal(header_num(r.out, UNPARSEABLE), 27);    /* lines 3-29 */
	assert_int_equal(header_num(r.out, CONTEXT), 3);         /* 2 (the size line), 30, 34 */
	assert_int_equal(header_num(r.out, NO_DEVICE), 3);       /* 31, 32, 35 */
	assert_int_equal(header_num(r.out, NOT_COMPONENT), 2);   /* 33, 36 */
	assert_int_equal(header_num(r.out, UNKNOWN), 4);         /* 37-40 */
	assert_int_equal(header_num(r.out, BLANK), 1);           /* 41 */
	assert_true(header_balanced(r.out));
	run_free(&r);
}

/* ---- qtest ---------------------------------------------------------------- */

static const char qt[] =
	"# a comment\n"                               /* 1: blank or comment */
	"\n"                                          /* 2 */
	"[X +0.1] readl 0x0\n"                        /* 3: not R, S or I: unknown */
	"[R +0.1 readl 0x0\n"                         /* 4: no ']': unknown */
	"[I +0.1] irq 4\n"                            /* 5: ignored */
	"[R +0.1]\n"                                  /* 6: nothing after the tag: ignored */
	"[S +0.1] hello\n"                            /* 7: not a reply: ignored */
	"IRQ raise 4\n"                               /* 8: ignored */
	"OK\n"                                        /* 9: a reply to nothing: ignored */
	"clock_step 100\n"                            /* 10: ignored */
	"b64read 0x0 4\n"                             /* 11: unsupported */
	"outl 0xcf8\n"                                /* 12: no value */
	"inl 0x10000\n"                               /* 13: not a port */
	"outl 0x10000 0x1\n"                          /* 14: not a port */
	"inl 0xcfc extra\n"                           /* 15: a field too many */
	"writel 0x1000\n"                             /* 16: no value */
	"readl\n"                                     /* 17: no address */
	"read 0x1000 0\n"                             /* 18: size 0 */
	"write 0x1000 2\n"                            /* 19: no data */
	"write 0x1000 2 zz\n"                         /* 20: data not 0x... */
	"write 0x1000 2 0xzz\n"                       /* 21: data not hex */
	"read 0x1000 8193\n"                          /* 22: more than a line holds: out of range */
	"frob 1\n"                                    /* 23: unknown */
	"outb 0x80 0x1\n"                             /* 24: another port: not a component */
	"inl 0xcfc\n"                                 /* 25: CF8 enable bit clear: no device */
	"OK 0x1\n"                                    /* 26: reply: context */
	"outl 0xcf8 0x800d0000\n"                     /* 27: CF8: context */
	"inl 0xcfc\n"                                 /* 28 */
	"FAIL\n"                                      /* 29: context; 28 failed */
	"inl 0xcfd\n"                                 /* 30: lane 1 + 4 bytes: out of range */
	"OK 0x1\n"                                    /* 31: context */
	"readl 0xb0d00000\n"                          /* 32 */
	"OK zz\n"                                     /* 33: reply not a number: unparseable */
	"read 0xb0d00000 4\n"                         /* 34 */
	"OK 0x12\n"                                   /* 35: 1 byte for 4: unparseable */
	"read 0xb0d00000 2\n"                         /* 36 */
	"OK 0xzz86\n"                                 /* 37: not hex: unparseable */
	"readl 0xb0d00000\n"                          /* 38 */
	"OK\n"                                        /* 39: no value: ignored */
	"OK 0x1\n"                                    /* 40: second reply: ignored */
	"readl 0xb0d00000\n"                          /* 41 */
	"[S +0.2] OK 0x0d938086\n"                    /* 42: reply: context */
	"inw 0xcfe"; /* 43: no newline: truncated */

/* Each malformed or unusable qtest line is counted in its class; reads become ops. */
static void test_qtest_lines(void **state)
{
	struct run r;

	(void)state;
	run_text(&r, CXL_IMPORT_QTEST, qt, NULL);
	assert_int_equal(r.rc, CXL_OK);
	/* reads 32-38 had no value: ops without one; 41 got its reply at 42 */
	assert_true(has_line(r.out, "  - [cfg-read, ep0, 0x0, 4, 0xd938086, \"@41\"]"));
	assert_int_equal(header_num(r.out, "lines read:"), 43);
	assert_int_equal(header_num(r.out, BLANK), 2);           /* 1, 2 */
	assert_int_equal(header_num(r.out, UNKNOWN), 3);         /* 3, 4, 23 */
	assert_int_equal(header_num(r.out, IGNORED), 8);         /* 5-10, 39, 40 */
	assert_int_equal(header_num(r.out, UNSUPPORTED), 1);     /* 11 */
	assert_int_equal(header_num(r.out, UNPARSEABLE), 13);    /* 12-21 (10), 33, 35, 37 */
	assert_int_equal(header_num(r.out, OUT_OF_RANGE), 2);    /* 22, 30 */
	assert_int_equal(header_num(r.out, NOT_COMPONENT), 1);   /* 24 */
	assert_int_equal(header_num(r.out, NO_DEVICE), 1);       /* 25 */
	assert_int_equal(header_num(r.out, FAILED), 1);          /* 28 */
	assert_int_equal(header_num(r.out, TRUNCATED), 1);       /* 43 */
	assert_true(header_balanced(r.out));
	run_free(&r);
}

/*
 * Access shapes (docs/devel/qtest.rst): readq is one 8-byte access (at ECAM: two 4-byte config
 * reads, config accesses being at most 4 bytes), "read ADDR SIZE" replies with the bytes in
 * memory order and splits into naturally aligned pieces, 0X is a hex prefix like 0x, and
 * in/out take b, w and l only (a port access has no 8-byte form); CF8 latches on 4-byte
 * accesses only.
 */
static void test_qtest_shapes(void **state)
{
	static const char in[] =
		"readq 0xb0d00000\n"                   /* 1: vendor/device + command/status */
		"OK 0x001000000d938086\n"              /* 2 */
		"read 0xb0d00010 6\n"                  /* 3: 4 + 2 bytes */
		"OK 0x010203040506\n"                  /* 4 */
		"write 0xb0d00004 2 0X0600\n"          /* 5 */
		"read 0xb0d00000 4\n"                  /* 6 */
		"OK 0X8680930d\n"                      /* 7 */
		"outb 0xcf8 0x1\n"                     /* 8: not the CF8 latch: another port */
		"outq 0xcf8 0x1\n"                     /* 9: no 8-byte port access: unknown */
		"inq 0xcfc\n"                          /* 10: unknown */
		"inx 0xcfc\n"                          /* 11: unknown */
		"[\n";                                 /* 12: unknown */
	struct run r;

	(void)state;
	run_text(&r, CXL_IMPORT_QTEST, in, NULL);
	assert_int_equal(r.rc, CXL_OK);
	assert_true(has_line(r.out, "  - [cfg-read, ep0, 0x0, 4, 0xd938086, \"@1\"]"));
	assert_true(has_line(r.out, "  - [cfg-read, ep0, 0x4, 4, 0x100000, \"@1\"]"));
	assert_true(has_line(r.out, "  - [cfg-read, ep0, 0x10, 4, 0x4030201, \"@3\"]"));
	assert_true(has_line(r.out, "  - [cfg-read, ep0, 0x14, 2, 0x605, \"@3\"]"));
	assert_true(has_line(r.out, "  - [cfg-write, ep0, 0x4, 2, 0x6, \"@5\"]"));
	assert_true(has_line(r.out, "  - [cfg-read, ep0, 0x0, 4, 0xd938086, \"@6\"]"));
	assert_int_equal(count_lines(r.out, "  - ["), 6);
	assert_int_equal(header_num(r.out, NOT_COMPONENT), 1);   /* 8 */
	assert_int_equal(header_num(r.out, UNKNOWN), 4);         /* 9-12 */
	assert_true(header_balanced(r.out));
	run_free(&r);
}

/* ---- mmiotrace ------------------------------------------------------------ */

static const char mmio[] =
	"VERSION 20070824\n"                                              /* 1: ignored */
	"\n"                                                              /* 2: blank */
	"MAP 1.0 1 0xfe800000\n"                                          /* 3: fields missing */
	"MAP 1.0 x 0xfe800000 0xffffc90000080000 0x10000 0x0 0\n"         /* 4: id not a number */
	"MAP 1.0 1 0xzz 0xffffc90000080000 0x10000 0x0 0\n"               /* 5: phys not hex */
	"MAP 1.0 1 0xfe800000 0xzz 0x10000 0x0 0\n"                       /* 6: virt not hex */
	"MAP 1.0 1 0xfe800000 0xffffc90000080000 0xzz 0x0 0\n"            /* 7: len not hex */
	"MARK\n"                                                          /* 8: no timestamp */
	"R 4 1.0 1 0xfe801000\n"                                          /* 9: no value */
	"R x 1.0 1 0xfe801000 0x1 0x0 0\n"                                /* 10: width not a number */
	"R 4 1.0 x 0xfe801000 0x1 0x0 0\n"                                /* 11: map id */
	"R 4 1.0 1 0xzz 0x1 0x0 0\n"                                      /* 12: address */
	"R 4 1.0 1 0xfe801000 0xzz 0x0 0\n"                               /* 13: value */
	"W 16 1.0 1 0xfe801000 0x1 0x0 0\n"                               /* 14: width 16 */
	"R \x01\x02\n"                                                    /* 15: binary data */
	"MAP 1.0 1 0xfe800000 0xffffc90000080000 0x10000 0x0 0\n"         /* 16: context */
	"R 4 1.0 1 0xfe801000 0x3110001 0x0 0\n"                          /* 17: op */
	"MAP 1.0 2 0 0xffffc90000080000 0x10000 0x0 0\n"                  /* 18: phys 0: context */
	"MAP 1.0 3 0xfe900800 0xffffc90000080000 0x10000 0x0 0\n"         /* 19: unaligned */
	"R 8 1.0 1 0xfe900800 0x1 0x0 0\n"                                /* 20: no block there */
	"LSPCI 0d:00.0\n"                                                 /* 21: ignored */
	"FOO 1\n"                                                         /* 22: unknown */
	"R 4 1.0 1 0xfe801000 0x3110001 0x0 0";                           /* 23: no newline */

/* Malformed MAP, MARK, R and W records are unparseable; the good ones still become ops. */
static void test_mmiotrace_records(void **state)
{
	struct run r;

	(void)state;
	run_text(&r, CXL_IMPORT_MMIOTRACE, mmio, NULL);
	assert_int_equal(r.rc, CXL_OK);
	assert_true(has_line(r.out, "  - [mmio-read, ep0, 0x1000, 4, 0x3110001, \"@17\"]"));
	assert_int_equal(count_lines(r.out, "  - ["), 1);
	assert_int_equal(header_num(r.out, "lines read:"), 23);
	assert_int_equal(header_num(r.out, IGNORED), 2);         /* 1, 21 */
	assert_int_equal(header_num(r.out, BLANK), 1);           /* 2 */
	assert_int_equal(header_num(r.out, UNPARSEABLE), 13);    /* 3-15 */
	assert_int_equal(header_num(r.out, CONTEXT), 3);         /* 16, 18, 19 */
	assert_int_equal(header_num(r.out, NOT_COMPONENT), 1);   /* 20 */
	assert_int_equal(header_num(r.out, UNKNOWN), 1);         /* 22 */
	assert_int_equal(header_num(r.out, TRUNCATED), 1);       /* 23 */
	assert_true(header_balanced(r.out));
	run_free(&r);
}

/*
 * A trace holds at most CXL_TRACE_MAX_DEVICES (64, cxlemu/trace.h) devices: the MAP of a 65th
 * component block fails the import at that MAP's line, column 1, with no output.
 */
static void test_mmiotrace_too_many_blocks(void **state)
{
	static struct test_log l;
	unsigned last = 0;
	struct run r;

	(void)state;
	memset(&l, 0, sizeof(l));
	for (unsigned i = 0; i <= CXL_TRACE_MAX_DEVICES; i++)
		last = log_line(&l, "MAP 1.0 %u 0x%llx 0xffffc90000080000 0x10000 0x0 0", i + 1,
				0xf0000000ull + 0x10000ull * i);
	run_text(&r, CXL_IMPORT_MMIOTRACE, l.buf, NULL);
	assert_int_equal(r.rc, CXL_ERR_LIMIT);
	assert_int_equal(r.err.line, last);
	assert_int_equal(r.err.col, 1);
	assert_string_equal(r.err.msg, "more than 64 devices");
	assert_int_equal(r.len, 0);
	run_free(&r);
}

/* Standard input is one stream: two inputs "-" are a usage error before anything is read. */
static void test_stdin_twice(void **state)
{
	const char *const two[] = { "-", "-" };
	struct run r;

	(void)state;
	run_import(&r, CXL_IMPORT_QTEST, NULL, NULL, two, 2);
	assert_int_equal(r.rc, CXL_ERR_USAGE);
	assert_string_equal(r.err.msg, "inputs 1 and 2 are both '-': standard input is read once");
	assert_int_equal(r.len, 0);
	run_free(&r);
}

/* cxl_import_run(): no input, or a profile name the trace could not hold, is a usage error. */
static void test_run_arguments(void **state)
{
	struct cxl_import_opts o;
	struct cxl_error e;
	const char *in = tmp_text("one.log", "readl 0xb0d00000\nOK 0x0d938086\n");
	FILE *f = tmpfile();

	(void)state;
	assert_non_null(f);
	cxl_import_opts_init(&o);
	o.format = CXL_IMPORT_QTEST;
	assert_int_equal(cxl_import_run(&o, &in, 0, f, &e), CXL_ERR_USAGE);
	assert_string_equal(e.msg, "no input file");
	snprintf(o.profile, sizeof(o.profile), "bad name");
	assert_int_equal(cxl_import_run(&o, &in, 1, f, &e), CXL_ERR_USAGE);
	assert_string_equal(e.msg, "bad profile name 'bad name'");
	assert_int_equal(ftell(f), 0);                  /* nothing written */
	fclose(f);
}

/*
 * At most 64 devices (CXL_TRACE_MAX_DEVICES): a qtest stream that identifies a CXL Type 3
 * device (vendor 0x8086, device 0x0d93: QEMU 7.2's cxl-type3, spec/models/qemu72-type3.yaml)
 * on 65 buses fails at the 65th device's read, column 1.
 */
static void test_qtest_too_many_devices(void **state)
{
	static struct test_log l;
	unsigned last = 0;
	struct run r;

	(void)state;
	memset(&l, 0, sizeof(l));
	for (unsigned bus = 1; bus <= CXL_TRACE_MAX_DEVICES + 1; bus++) {
		last = log_line(&l, "readl 0x%llx", 0xb0000000ull + ((unsigned long long)bus << 20));
		log_line(&l, "OK 0x0d938086");
	}
	run_text(&r, CXL_IMPORT_QTEST, l.buf, NULL);
	assert_int_equal(r.rc, CXL_ERR_LIMIT);
	assert_int_equal(r.err.line, last);
	assert_int_equal(r.err.col, 1);
	assert_string_equal(r.err.msg, "more than 64 CXL devices");
	assert_int_equal(r.len, 0);
	run_free(&r);
}

/* A BDF pin without :MODEL takes the detected type's model; with no ID read there is none. */
static void test_pin_needs_model(void **state)
{
	const char *pins[] = { "0d:00.0=mine", NULL };
	struct run r;

	(void)state;
	run_text(&r, CXL_IMPORT_QTEST, "writel 0xb0d00004 0x6\n", pins);
	assert_int_equal(r.rc, CXL_ERR_USAGE);
	assert_int_equal(r.err.line, 1);
	assert_non_null(strstr(r.err.msg, "--device for mine needs :MODEL (device type unknown)"));
	run_free(&r);
	run_text(&r, CXL_IMPORT_QTEST, "writel 0xb0d00004 0x6\nreadl 0xb0d00000\nOK 0x0d938086\n", pins);
	assert_int_equal(r.rc, CXL_OK);
	assert_true(has_line(r.out, "  - [cfg-write, mine, 0x4, 4, 0x6, \"@1\"]"));
	assert_non_null(strstr(r.out, "  mine: {model: qemu72-type3}"));
	run_free(&r);
}

/* ---- option parsers (cxlemu/import.h) ------------------------------------ */

/*
 * --host-decoder N=BASE,SIZE[,unlocked|,uncommitted]: decoder N (0..7, CXL_HOST_DECODERS_MAX)
 * committed and locked unless told otherwise; BASE and SIZE multiples of 256 MiB (CXL r3.1
 * §8.2.4.20.5/6), SIZE not 0, the window inside the address space.
 */
static void test_host_decoder_option(void **state)
{
	static const char *const bad[] = {
		"0", "0x0,0x10000000", "8=0x0,0x10000000", "x=0x0,0x10000000", "0=0x1000,0x10000000",
		"0=0x0,0x1000", "0=0x0,0", "0=0x0", "0=", "0=0x0,0x10000000,sideways",
		"0=0xfffffffff0000000,0x20000000",
	};
	struct cxl_import_opts o;
	struct cxl_error e;
	char spec[200];

	(void)state;
	cxl_import_opts_init(&o);
	assert_int_equal(cxl_import_add_host_decoder(&o, "0=0x0,0x10000000", &e), CXL_OK);
	assert_true(o.vfio_host[0].set && o.vfio_host[0].committed && o.vfio_host[0].locked);
	assert_true(o.vfio_host[0].base == 0 && o.vfio_host[0].size == 0x10000000);
	assert_int_equal(cxl_import_add_host_decoder(&o, "1=0x10000000,0x20000000,unlocked", &e), CXL_OK);
	assert_true(o.vfio_host[1].committed && !o.vfio_host[1].locked);
	assert_true(o.vfio_host[1].base == 0x10000000 && o.vfio_host[1].size == 0x20000000);
	assert_int_equal(cxl_import_add_host_decoder(&o, "7=0x0,0x10000000,uncommitted", &e), CXL_OK);
	assert_true(o.vfio_host[7].set && !o.vfio_host[7].committed && !o.vfio_host[7].locked);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&e, 0, sizeof(e));
		assert_int_equal(cxl_import_add_host_decoder(&o, bad[i], &e), CXL_ERR_USAGE);
		if (!strstr(e.msg, "want N=BASE,SIZE[,unlocked|,uncommitted]"))
			fail_msg("%s: %s", bad[i], e.msg);
	}
	memset(spec, '1', sizeof(spec) - 1);
	spec[sizeof(spec) - 1] = '\0';
	assert_int_equal(cxl_import_add_host_decoder(&o, spec, &e), CXL_ERR_USAGE);
	assert_non_null(strstr(e.msg, "is too long"));
}

/* --device: the refusals import.h lists, each with @o unchanged. */
static void test_device_option(void **state)
{
	static const struct { const char *spec, *msg; } bad[] = {
		{ "0001:00:03.0=ep2", "is neither a BB:DD.F nor a non-zero address" },  /* domain 1 */
		{ "0=blk:qemu72-hb", "is neither a BB:DD.F nor a non-zero address" },
		{ "00:04.0=-bad", "bad device name" },                    /* not alnum or _ first */
		{ "00:04.0=.bad", "bad device name" },
		{ "00:04.0=", "bad device name" },
		{ "00:05.0=ep5:-m", "bad model name" },
		{ "0x10000=blk", "an address pin needs :MODEL" },
		{ "00:01.0=again", "pinned twice" },
		{ "0x20000=other:qemu72-hb", "pinned twice" },
		{ "00:07.0=ep6:qemu72-type3", "ep6 already has model qemu72-hb" },
	};
	struct cxl_import_opts o;
	struct cxl_error e;
	char spec[64];

	(void)state;
	cxl_import_opts_init(&o);
	assert_int_equal(o.format, CXL_IMPORT_QEMU_LOG);
	assert_true(o.ecam_base == CXL_IMPORT_DEFAULT_ECAM);
	assert_int_equal(cxl_import_add_pin(&o, "00:01.0=ep0", &e), CXL_OK);
	assert_int_equal(cxl_import_add_pin(&o, "0x20000=blk:qemu72-type3", &e), CXL_OK);
	assert_int_equal(cxl_import_add_pin(&o, "00:06.0=ep6:qemu72-hb", &e), CXL_OK);
	assert_int_equal(cxl_import_add_pin(&o, "00:08.0=ep6", &e), CXL_OK);  /* no model: no clash */
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&e, 0, sizeof(e));
		assert_int_equal(cxl_import_add_pin(&o, bad[i].spec, &e), CXL_ERR_USAGE);
		if (!strstr(e.msg, bad[i].msg))
			fail_msg("%s: '%s' lacks '%s'", bad[i].spec, e.msg, bad[i].msg);
		assert_int_equal(o.npins, 4);
	}
	for (unsigned i = 4; i < CXL_TRACE_MAX_DEVICES; i++) {
		snprintf(spec, sizeof(spec), "01:%02x.%u=d%u", (i / 8) & 0x1f, i % 8, i);
		assert_int_equal(cxl_import_add_pin(&o, spec, &e), CXL_OK);
	}
	assert_int_equal(cxl_import_add_pin(&o, "02:00.0=one-more", &e), CXL_ERR_USAGE);
	assert_non_null(strstr(e.msg, "more than 64 --device options"));
	assert_int_equal(o.npins, 64);
}

/* Format names: the --from words of `cxlemu import --help`; "?" for no format. */
static void test_format_names(void **state)
{
	(void)state;
	assert_int_equal(cxl_import_format_parse("qemu-log"), CXL_IMPORT_QEMU_LOG);
	assert_int_equal(cxl_import_format_parse("qtest"), CXL_IMPORT_QTEST);
	assert_int_equal(cxl_import_format_parse("mmiotrace"), CXL_IMPORT_MMIOTRACE);
	assert_int_equal(cxl_import_format_parse("fuzz-ops"), CXL_IMPORT_FUZZ_OPS);
	assert_int_equal(cxl_import_format_parse("QTEST"), -1);
	assert_string_equal(cxl_import_format_name(CXL_IMPORT_MMIOTRACE), "mmiotrace");
	assert_string_equal(cxl_import_format_name(CXL_IMPORT__COUNT), "?");
}

/* Runs the tests; removes the scratch files. */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_log_fields),
		cmocka_unit_test(test_qtest_lines),
		cmocka_unit_test(test_qtest_shapes),
		cmocka_unit_test(test_mmiotrace_records),
		cmocka_unit_test(test_mmiotrace_too_many_blocks),
		cmocka_unit_test(test_stdin_twice),
		cmocka_unit_test(test_run_arguments),
		cmocka_unit_test(test_qtest_too_many_devices),
		cmocka_unit_test(test_pin_needs_model),
		cmocka_unit_test(test_host_decoder_option),
		cmocka_unit_test(test_device_option),
		cmocka_unit_test(test_format_names),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	tmp_cleanup();
	return rc;
}
