/* SPDX-License-Identifier: MIT */
/*
 * test_qtest.c - qtest import: CF8/CFC and ECAM config cycles, PCIEXBAR,
 * [R +t]/[S +t] logs, replies, read/write ADDR SIZE splitting, device
 * identity from ID reads (anywhere in the stream) or --device.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "helpers.h"

/* Imports @in as qtest. */
static void run_qt(struct run *r, const char *in, const char *const *pins)
{
	run_text(r, CXL_IMPORT_QTEST, in, pins);
}

/* CF8/CFC: bus/dev/fn/register from CF8, byte lane from the port. */
static void test_cf8_cfc(void **state)
{
	static const char in[] =
		"outl 0xcf8 0x800d0000\n"      /* 1 */
		"inl 0xcfc\n"                  /* 2 */
		"OK 0x0d938086\n"              /* 3 */
		"outl 0xcf8 0x800d0004\n"      /* 4 */
		"outw 0xcfe 0x10\n"            /* 5: register 0x04 + lane 2 */
		"OK\n"                         /* 6 */
		"inb 0xcfd\n"                  /* 7 */
		"OK 0x0001\n"                  /* 8 */
		"outl 0xcf8 0x000d0000\n"      /* 9: enable bit clear */
		"inl 0xcfc\n"                  /* 10 */
		"OK 0xffffffff\n";             /* 11 */
	struct run r;

	(void)state;
	run_qt(&r, in, NULL);
	assert_int_equal(r.rc, CXL_OK);
	assert_true(has_line(r.out, "  - [cfg-read, ep0, 0x0, 4, 0xd938086, \"@2\"]"));
	assert_true(has_line(r.out, "  - [cfg-write, ep0, 0x6, 2, 0x10, \"@5\"]"));
	assert_true(has_line(r.out, "  - [cfg-read, ep0, 0x5, 1, 0x1, \"@7\"]"));
	assert_int_equal(count_lines(r.out, "  - ["), 3);
	assert_non_null(strstr(r.out, "  ep0: {model: qemu72-type3}"));
	assert_non_null(strstr(r.out, "# 0d:00.0 cxl-type3\n"));
	assert_int_equal(header_num(r.out, "config access with no device behind it:"), 1);
	assert_true(header_balanced(r.out));
	run_free(&r);
}

/* Numbers parse like strtoul(..., 0): decimal, hex and octal. */
static void test_number_bases(void **state)
{
	static const char in[] =
		"outl 3320 2148335616\n"       /* 0xcf8 0x800d0000 */
		"inl 06374\n"                  /* 0xcfc */
		"OK 0x0d938086\n";
	struct run r;

	(void)state;
	run_qt(&r, in, NULL);
	assert_int_equal(r.rc, CXL_OK);
	assert_true(has_line(r.out, "  - [cfg-read, ep0, 0x0, 4, 0xd938086, \"@2\"]"));
	run_free(&r);
}

/* ECAM at the default base; identity learnt from a read later in the stream. */
static void test_ecam_default(void **state)
{
	static const char in[] =
		"writew 0xb0d00004 0x6\n"               /* 1: before the ID read */
		"readl 0xb0d00000\n"                    /* 2 */
		"OK 0x000000000d938086\n"               /* 3 */
		"readl 0xb0d00100\n"                    /* 4 */
		"OK 0x0000000013810023\n"               /* 5 */
		"readq 0xb0d00000\n"                    /* 6: 8 bytes = two dwords */
		"OK 0x001000070d938086\n"               /* 7 */
		"readl 0xb0e00000\n"                    /* 8: 0e:00.0 is not CXL */
		"OK 0x00000000ffffffff\n"               /* 9 */
		"writel 0xb0f00004 0x6\n"               /* 10: 0f:00.0 never identified */
		"readl 0xb0d0010c\n";                   /* 11: no reply */
	struct run r;

	(void)state;
	run_qt(&r, in, NULL);
	assert_int_equal(r.rc, CXL_OK);
	assert_true(has_line(r.out, "  - [cfg-write, ep0, 0x4, 2, 0x6, \"@1\"]"));
	assert_true(has_line(r.out, "  - [cfg-read, ep0, 0x0, 4, 0xd938086, \"@2\"]"));
	assert_true(has_line(r.out, "  - [cfg-read, ep0, 0x100, 4, 0x13810023, \"@4\"]"));
	assert_true(has_line(r.out, "  - [cfg-read, ep0, 0x0, 4, 0xd938086, \"@6\"]"));
	assert_true(has_line(r.out, "  - [cfg-read, ep0, 0x4, 4, 0x100007, \"@6\"]"));
	assert_true(has_line(r.out, "  - [cfg-read, ep0, 0x10c, 4, ~, \"@11\"]"));
	assert_int_equal(count_lines(r.out, "  - ["), 6);
	assert_int_equal(header_num(r.out, "non-CXL device:"), 1);
	assert_int_equal(header_num(r.out, "device never identified (no vendor/device ID read):"), 1);
	assert_int_equal(header_num(r.out, "accesses split into naturally aligned pieces:"), 1);
	assert_non_null(strstr(r.out, "# ECAM at the end: 0xb0000000, 256 MiB (--ecam)"));
	assert_true(header_balanced(r.out));
	run_free(&r);
}

/* PCIEXBAR written through CF8/CFC moves the window (enable bit 0, length bits 2:1). */
static void test_pciexbar(void **state)
{
	static const char in[] =
		"outl 0xcf8 0x80000060\n"      /* 1 */
		"outl 0xcfc 0xd0000005\n"      /* 2: 0xd0000000, 64 MiB, enabled */
		"outl 0xcf8 0x80000064\n"      /* 3 */
		"outl 0xcfc 0x1\n"             /* 4: base bits 63:32 */
		"readl 0x1d0d00000\n"          /* 5 */
		"OK 0x0000000070758086\n"      /* 6 */
		"readl 0xb0d00000\n"           /* 7: old window: plain memory now */
		"OK 0x00000000ffffffff\n"      /* 8 */
		"readl 0x1d4000000\n"          /* 9: bus 64: beyond 64 MiB */
		"OK 0x00000000ffffffff\n";
	struct run r;

	(void)state;
	run_qt(&r, in, NULL);
	assert_int_equal(r.rc, CXL_OK);
	assert_true(has_line(r.out, "  - [cfg-read, rp0, 0x0, 4, 0x70758086, \"@5\"]"));
	assert_int_equal(count_lines(r.out, "  - ["), 1);
	/* a root port: below the host bridge of its bus (a node), Port Number never read */
	assert_non_null(strstr(r.out, "  rp0: {model: qemu72-root-port, parent: hb0}"));
	assert_non_null(strstr(r.out, "# ECAM at the end: 0x1d0000000, 64 MiB (PCIEXBAR programmed by the input)"));
	assert_int_equal(header_num(r.out, "not a component register block:"), 2);
	run_free(&r);
}

/* --ecam moves the initial window. */
static void test_ecam_option(void **state)
{
	static const char in[] = "readw 0xe0d00002\nOK 0x0000000000000d93\n"
				 "readw 0xe0d00000\nOK 0x0000000000008086\n";
	const char *p = tmp_text("ecam.qtest", in);
	struct cxl_import_opts o;
	struct cxl_error e;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	(void)state;
	cxl_import_opts_init(&o);
	o.format = CXL_IMPORT_QTEST;
	o.ecam_base = 0xe0000000;
	assert_int_equal(cxl_import_run(&o, &p, 1, f, &e), CXL_OK);
	fclose(f);
	assert_true(has_line(out, "  - [cfg-read, ep0, 0x2, 2, 0xd93, \"@1\"]"));
	assert_true(has_line(out, "  - [cfg-read, ep0, 0x0, 2, 0x8086, \"@3\"]"));
	free(out);
}

/* The server's echo log: [R +t] requests, [S +t] replies, bare OK echoes, [I], IRQ. */
static void test_r_s_log(void **state)
{
	static const char in[] =
		"[I 1596728668.114076] OPENED\n"               /* 1 */
		"[R +0.048943] outl 0xcf8 0x800d0000\n"        /* 2 */
		"OK\n"                                         /* 3 */
		"[S +0.048977] OK\n"                           /* 4 */
		"[R +0.048994] inl 0xcfc\n"                    /* 5 */
		"OK 0x0d938086\n"                              /* 6 */
		"[S +0.049000] OK 0x0d938086\n"                /* 7 */
		"IRQ raise 4\n"                                /* 8 */
		"[R +0.05] readl 0xb0d00100\n"                 /* 9 */
		"[S +0.05] OK 0x0000000013810023\n"            /* 10 */
		"[R +0.06] clock_step\n"                       /* 11 */
		"[S +0.06] OK 1000\n"                          /* 12 */
		"[R +0.07] readl 0xb0d00000\n"                 /* 13 */
		"[S +0.07] FAIL something\n"                   /* 14 */
		"[I +0.08] CLOSED\n";                          /* 15 */
	struct run r;

	(void)state;
	run_qt(&r, in, NULL);
	assert_int_equal(r.rc, CXL_OK);
	assert_true(has_line(r.out, "  - [cfg-read, ep0, 0x0, 4, 0xd938086, \"@5\"]"));
	assert_true(has_line(r.out, "  - [cfg-read, ep0, 0x100, 4, 0x13810023, \"@9\"]"));
	assert_int_equal(count_lines(r.out, "  - ["), 2);
	assert_int_equal(header_num(r.out, "command failed (FAIL/ERR reply):"), 1);
	assert_int_equal(header_num(r.out, "lines read:"), 15);
	assert_true(header_balanced(r.out));
	run_free(&r);
}

/*
 * Component block from BAR0 + Register Locator read over ECAM; `write ADDR
 * SIZE DATA` is little-endian bytes; sizes other than 1/2/4/8 split.
 */
static void test_mmio_block(void **state)
{
	static const char in[] =
		"readl 0xb0d00000\nOK 0x000000000d938086\n"           /* 1 */
		"writel 0xb0d00010 0xffffffff\nOK\n"                  /* 3: sizing */
		"readl 0xb0d00010\nOK 0x00000000ffff0004\n"           /* 5 */
		"writel 0xb0d00010 0xc0000000\nOK\n"                  /* 7 */
		"writel 0xb0d00014 0x0\nOK\n"                         /* 9 */
		"readl 0xb0d00100\nOK 0x0000000013810023\n"           /* 11 */
		"readl 0xb0d00138\nOK 0x0000000015c10023\n"           /* 13 */
		"readl 0xb0d0013c\nOK 0x0000000002401e98\n"           /* 15 */
		"readw 0xb0d00140\nOK 0x0000000000000008\n"           /* 17 */
		"readl 0xb0d00104\nOK 0x0000000003811e98\n"           /* 19 */
		"readw 0xb0d00108\nOK 0x0000000000000000\n"           /* 21 */
		"readl 0xb0d00144\nOK 0x0000000000000100\n"           /* 23 */
		"readl 0xb0d00148\nOK 0x0000000000000000\n"           /* 25 */
		"write 0xc0001130 0x4 0x00120000\nOK\n"               /* 27 */
		"write 0xc0001120 3 0x010203\nOK\n"                   /* 29 */
		"read 0xc0001000 4\nOK 0x01001103\n"                  /* 31 */
		"readq 0xc0001120\nOK 0x0000000100000000\n"           /* 33 */
		"writel 0xc0010000 0x1\nOK\n";                        /* 35: past the block */
	struct run r;

	(void)state;
	run_qt(&r, in, NULL);
	assert_int_equal(r.rc, CXL_OK);
	assert_true(has_line(r.out, "  - [mmio-write, ep0, 0x1130, 4, 0x1200, \"@27\"]"));
	assert_true(has_line(r.out, "  - [mmio-write, ep0, 0x1120, 2, 0x201, \"@29\"]"));
	assert_true(has_line(r.out, "  - [mmio-write, ep0, 0x1122, 1, 0x3, \"@29\"]"));
	assert_true(has_line(r.out, "  - [mmio-read, ep0, 0x1000, 4, 0x3110001, \"@31\"]"));
	assert_true(has_line(r.out, "  - [mmio-read, ep0, 0x1120, 8, 0x100000000, \"@33\"]"));
	assert_int_equal(count_lines(r.out, "  - [mmio-"), 5);
	assert_non_null(strstr(r.out, "ep0: BAR0 + 0x0 = 0xc0000000 (Register Locator"));
	assert_int_equal(header_num(r.out, "not a component register block:"), 1);
	assert_true(header_balanced(r.out));
	run_free(&r);
}

/* --device BB:DD.F names a function nobody identified; ADDR pins a block. */
static void test_pins(void **state)
{
	static const char in[] =
		"writel 0xb0f00004 0x6\n"
		"readl 0x380001000\nOK 0x0000000002110001\n";
	const char *pins[] = { "0f:00.0=acc0:type2-accel", "0x380000000=hb:qemu72-hb", NULL };
	struct run r;

	(void)state;
	run_qt(&r, in, pins);
	assert_int_equal(r.rc, CXL_OK);
	assert_true(has_line(r.out, "  - [cfg-write, acc0, 0x4, 4, 0x6, \"@1\"]"));
	assert_true(has_line(r.out, "  - [mmio-read, hb, 0x1000, 4, 0x2110001, \"@2\"]"));
	assert_non_null(strstr(r.out, "  acc0: {model: type2-accel}"));
	run_free(&r);
}

/* Unknown, ignored, unsupported commands and malformed requests are counted. */
static void test_other_commands(void **state)
{
	static const char in[] =
		"# a comment\n"
		"endianness\nOK little\n"
		"frobnicate 1 2\n"
		"b64write 0x1000 4 AAAAAA==\n"
		"memset 0x1000 4 0\n"
		"outl 0xcf8\n"
		"readl 0xzz\n"
		"write 0x1000 2 zz\n"
		"outl 0x10000 1\n"
		"irq_intercept_in ioapic\n"
		"\n";
	struct run r;

	(void)state;
	run_qt(&r, in, NULL);
	assert_int_equal(r.rc, CXL_OK);
	assert_int_equal(header_num(r.out, "unknown event or record:"), 1);
	assert_int_equal(header_num(r.out, "unsupported command:"), 2);
	assert_int_equal(header_num(r.out, "unparseable (bad fields or binary data):"), 4);
	assert_int_equal(header_num(r.out, "blank or comment:"), 2);
	assert_true(has_line(r.out, "ops: []"));
	assert_true(header_balanced(r.out));
	run_free(&r);
}

/*
 * A real stderr log of Debian's QEMU 7.2 (-S -qtest stdio, the bring-up of
 * shared/reference/qemu72-qtest.md: PCIEXBAR, root port bus numbers, BAR0,
 * Register Locator, HDM decoder 0), in data/qemu72-bringup.qtest.log.
 */
static void test_real_qemu72_log(void **state)
{
	const char *dir = getenv("IMPORT_DATA");
	char path[512];
	const char *p = path;
	struct run r;

	(void)state;
	if (!dir)
		skip();
	snprintf(path, sizeof(path), "%s/qemu72-bringup.qtest.log", dir);
	run_import(&r, CXL_IMPORT_QTEST, NULL, NULL, &p, 1);
	assert_int_equal(r.rc, CXL_OK);
	/* line 6-7: readl 0xb0c00000 -> 0x70758086 (bus 12 = cxl-rp) */
	assert_true(has_line(r.out, "  - [cfg-read, rp0, 0x0, 4, 0x70758086, \"@6\"]"));
	assert_true(has_line(r.out, "  - [cfg-write, rp0, 0x18, 4, 0xd0d0c, \"@8\"]"));
	assert_true(has_line(r.out, "  - [cfg-read, ep0, 0x0, 4, 0xd938086, \"@10\"]"));
	/* line 46: write 0xc0001120 4 0x78563412: bytes 78 56 34 12 */
	assert_true(has_line(r.out, "  - [mmio-write, ep0, 0x1120, 4, 0x12345678, \"@46\"]"));
	assert_true(has_line(r.out, "  - [mmio-read, ep0, 0x1120, 4, 0x10000000, \"@48\"]"));
	assert_true(has_line(r.out, "  - [mmio-read, ep0, 0x1130, 4, 0x500, \"@52\"]"));
	assert_true(has_line(r.out, "  - [mmio-read, ep0, 0x1120, 8, 0x0, \"@54\"]"));
	assert_int_equal(count_lines(r.out, "  - [mmio-"), 7);
	assert_int_equal(count_lines(r.out, "  - [cfg-"), 18);
	assert_int_equal(header_num(r.out, "unknown event or record:"), 1);   /* line 57 */
	assert_non_null(strstr(r.out, "ep0: BAR0 + 0x0 = 0xc0000000 (Register Locator"));
	assert_true(header_balanced(r.out));
	run_free(&r);
}

/*
 * qtest is read twice (identities first), so an input that cannot be read twice (a FIFO,
 * `cat log | cxlemu import --from qtest /dev/stdin`) is spooled: the same trace as the file.
 */
static void test_from_fifo(void **state)
{
	const char *dir = getenv("IMPORT_DATA");
	char path[512], fifo[600];
	const char *p = path, *f = fifo;
	struct run a, b;
	pid_t pid;

	(void)state;
	if (!dir)
		skip();
	snprintf(path, sizeof(path), "%s/qemu72-bringup.qtest.log", dir);
	snprintf(fifo, sizeof(fifo), "%s/in.fifo", tmp_dir());
	assert_int_equal(mkfifo(fifo, 0600), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* the writer: the log, through the FIFO, once */
		FILE *in = fopen(path, "rb"), *w = fopen(fifo, "wb");
		char buf[4096];
		size_t n;

		while (in && w && (n = fread(buf, 1, sizeof(buf), in)) > 0)
			fwrite(buf, 1, n, w);
		if (w)
			fclose(w);
		_exit(0);
	}
	run_import(&b, CXL_IMPORT_QTEST, NULL, NULL, &f, 1);
	waitpid(pid, NULL, 0);
	run_import(&a, CXL_IMPORT_QTEST, NULL, NULL, &p, 1);
	assert_int_equal(a.rc, CXL_OK);
	assert_int_equal(b.rc, CXL_OK);
	assert_string_equal(strstr(a.out, "ops:\n"), strstr(b.out, "ops:\n"));
	assert_int_equal(count_lines(b.out, "  - [cfg-"), 18);
	run_free(&a);
	run_free(&b);
	unlink(fifo);
}

/* Replies and text alone are not a qtest stream. */
static void test_not_qtest(void **state)
{
	struct run r;
	char msg[1024];

	(void)state;
	run_qt(&r, "OK\nOK 0x1\nsome text\n", NULL);
	assert_int_equal(r.rc, CXL_ERR_SYNTAX);
	assert_int_equal(r.len, 0);
	cxl_error_format(&r.err, msg, sizeof(msg));
	assert_non_null(strstr(msg, "input.log:1:1: error: no qtest records found"));
	run_free(&r);
}

/* Runs the tests; removes the scratch files. */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cf8_cfc),
		cmocka_unit_test(test_number_bases),
		cmocka_unit_test(test_ecam_default),
		cmocka_unit_test(test_pciexbar),
		cmocka_unit_test(test_ecam_option),
		cmocka_unit_test(test_r_s_log),
		cmocka_unit_test(test_mmio_block),
		cmocka_unit_test(test_pins),
		cmocka_unit_test(test_other_commands),
		cmocka_unit_test(test_real_qemu72_log),
		cmocka_unit_test(test_from_fifo),
		cmocka_unit_test(test_not_qtest),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	tmp_cleanup();
	return rc;
}
