/* SPDX-License-Identifier: MIT */
/*
 * test_sample.c - end-to-end import of the real Linux 6.1 / QEMU 7.2 log
 * (CXLEMU_SAMPLE: traces/real/linux61-qemu72-1ep-region.log.gz, the log of
 * the project's starting samples, committed unchanged).
 * Exit 77 (skip) when the sample is absent.
 *
 * The expectations are computed from the log itself by this test (its own
 * reading of the lines), not copied from the importer's output:
 *  - every '.cache_mem' line is one mmio op of ep0, offset = address minus
 *    the type-3 BAR0 the guest programmed (0xfe800000; the Register Locator
 *    reads 0x144 -> 0x100: component block in BAR0 at offset 0);
 *  - every pci_cfg line of cxl-rp / cxl-type3 is one cfg op;
 *  - the committed traces/real trace (CXLEMU_REAL_TRACE) has the same
 *    devices and ops as a fresh import.
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

#define TYPE3_BAR0 0xfe800000ull

static const char *sample;
static struct run imported;

/* Imports the sample once for all tests. */
static int setup(void **state)
{
	(void)state;
	run_import(&imported, CXL_IMPORT_QEMU_LOG, NULL, NULL, &sample, 1);
	return imported.rc == CXL_OK ? 0 : -1;
}

/* Frees the shared import. */
static int teardown(void **state)
{
	(void)state;
	run_free(&imported);
	return 0;
}

/* Reads the log line by line and checks each line's op. */
static void test_ops_follow_log(void **state)
{
	gzFile gz = gzopen(sample, "rb");
	char line[1024], next[1024], want[300];
	unsigned long n = 0, cache_mem = 0, cfg = 0;
	unsigned last_write_size = 0;

	(void)state;
	assert_non_null(gz);
	while (gzgets(gz, line, sizeof(line))) {
		unsigned long long addr, val;
		unsigned size, off;
		char rw[8], type[32], bdf[16], arrow[4];
		const char *sz;

		n++;
		if (strstr(line, "name '.cache_mem'")) {
			assert_int_equal(sscanf(line, "memory_region_ops_%5s cpu 0 mr %*s addr 0x%llx value 0x%llx size %u",
						rw, &addr, &val, &size), 4);
			snprintf(want, sizeof(want), "  - [mmio-%s, ep0, 0x%llx, %u, 0x%llx, \"@%lu\"]",
				 rw, addr - TYPE3_BAR0, size, val, n);
			if (!has_line(imported.out, want))
				fail_msg("no op for log line %lu: %s", n, want);
			cache_mem++;
		} else if (!strncmp(line, "memory_region_ops_write", 23) &&
			   (sz = strstr(line, " size "))) {
			last_write_size = (unsigned)atoi(sz + 6);
		} else if (sscanf(line, "pci_cfg_%*[a-z] %31s %15s @0x%x %3s 0x%llx",
				  type, bdf, &off, arrow, &val) == 5 &&
			   (!strcmp(type, "cxl-rp") || !strcmp(type, "cxl-type3"))) {
			unsigned long at = n;

			if (arrow[0] == '-') {
				/* the size is on the next line (the config mechanism's read) */
				assert_non_null(gzgets(gz, next, sizeof(next)));
				n++;
				sz = strstr(next, " size ");
				assert_non_null(sz);
				size = (unsigned)atoi(sz + 6);
			} else {
				size = last_write_size;
			}
			snprintf(want, sizeof(want), "  - [cfg-%s, %s, 0x%x, %u, 0x%llx, \"@%lu\"]",
				 arrow[0] == '-' ? "read" : "write",
				 strcmp(type, "cxl-rp") ? "ep0" : "rp0", off, size, val, at);
			if (!has_line(imported.out, want))
				fail_msg("no op for log line %lu: %s", at, want);
			cfg++;
		}
	}
	gzclose(gz);
	assert_int_equal(header_num(imported.out, "lines read:"), n);
	assert_int_equal(count_lines(imported.out, "  - [mmio-"), cache_mem);
	assert_int_equal(count_lines(imported.out, "  - [cfg-"), cfg);
	assert_int_equal(header_num(imported.out, "ops emitted:"), cache_mem + cfg);
	assert_true(cache_mem > 0 && cfg > 0);
	assert_true(header_balanced(imported.out));
}

/* Facts checked by hand in the log. */
static void test_known_lines(void **state)
{
	(void)state;
	/* 88345: memory_region_ops_write ... addr 0xfe801130 value 0x1200 size 4 name '.cache_mem' */
	assert_true(has_line(imported.out, "  - [mmio-write, ep0, 0x1130, 4, 0x1200, \"@88345\"]"));
	/* 88346: the read-back shows Committed (0x1400) */
	assert_true(has_line(imported.out, "  - [mmio-read, ep0, 0x1130, 4, 0x1400, \"@88346\"]"));
	/* 88311: Linux reads Base Low+High as one 8-byte load */
	assert_true(has_line(imported.out, "  - [mmio-read, ep0, 0x1120, 8, 0x0, \"@88311\"]"));
	/* 34468: pci_cfg_write cxl-type3 0d:00.0 @0x10 <- 0xfe800000 (paired via CF8/CFC) */
	assert_true(has_line(imported.out, "  - [cfg-write, ep0, 0x10, 4, 0xfe800000, \"@34468\"]"));
	/* 87506: rp0 reads 0x18 -> 0xd0d0c (Secondary Bus Number 0d: ep0's bus, so rp0 is above
	 * it); 87560/87627: the PCIe capability at 0x48, Link Capabilities 0x54 -> 0x411 (Port
	 * Number, bits 31:24, 0); the host bridge's component registers are never accessed, so
	 * the host bridge of root bus 0c is a node */
	assert_non_null(strstr(imported.out, "  ep0: {model: qemu72-type3, parent: rp0}"));
	assert_non_null(strstr(imported.out, "# 0d:00.0 cxl-type3\n"));
	assert_non_null(strstr(imported.out, "  rp0: {model: qemu72-root-port, parent: hb0, port: 0}"));
	assert_non_null(strstr(imported.out, "# 0c:00.0 cxl-rp\n"));
	assert_non_null(strstr(imported.out, "\ntopology:\n  nodes:\n    hb0: {kind: host-bridge}\ndevices:\n"));
	assert_null(strstr(imported.out, "\n  windows:"));
	assert_non_null(strstr(imported.out, "ep0: BAR0 + 0x0 = 0xfe800000 (Register Locator"));
	assert_true(has_line(imported.out, "source: \"linux61-qemu72-1ep-region.log.gz\""));
	assert_int_equal(header_num(imported.out, "unpaired size (pci_cfg line without its size line):"), 0);
	assert_null(strstr(imported.out, "0x5592"));
}

/* A second import is byte-identical. */
static void test_deterministic(void **state)
{
	struct run again;

	(void)state;
	run_import(&again, CXL_IMPORT_QEMU_LOG, NULL, NULL, &sample, 1);
	assert_int_equal(again.rc, CXL_OK);
	assert_int_equal(again.len, imported.len);
	assert_memory_equal(again.out, imported.out, imported.len);
	run_free(&again);
}

/* The committed trace is a re-import: its devices: and ops: match exactly. */
static void test_committed_trace(void **state)
{
	const char *path = getenv("CXLEMU_REAL_TRACE");
	FILE *f;
	char *text;
	long n;
	const char *a, *b, *ae, *be;

	(void)state;
	if (!path || access(path, R_OK))
		skip();
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	a = strstr(text, "\ndevices:\n");
	b = strstr(imported.out, "\ndevices:\n");
	assert_true(a && b);
	ae = strstr(a, "\nexpect:");
	be = strstr(b, "\nexpect:");
	/* Without expect: the text ends in "\n", which "\nexpect:" would start with. */
	ae = ae ? ae : text + n - (n > 0 && text[n - 1] == '\n');
	be = be ? be : imported.out + imported.len -
		       (imported.len > 0 && imported.out[imported.len - 1] == '\n');
	assert_int_equal(ae - a, be - b);
	assert_memory_equal(a, b, (size_t)(ae - a));
	free(text);
}

/* Exit 77 (skip) without the sample. */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ops_follow_log),
		cmocka_unit_test(test_known_lines),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_committed_trace),
	};

	sample = getenv("CXLEMU_SAMPLE");
	if (!sample || access(sample, R_OK)) {
		fprintf(stderr, "sample log not found (CXLEMU_SAMPLE): skipped\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
