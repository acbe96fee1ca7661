/* SPDX-License-Identifier: MIT */
/*
 * stub.c - runs a file written by `cxlemu export --to c` against libcxlemu's model: the
 * accessor macros the exported file asks for, implemented with a cxl_device per trace device.
 *
 * The exported trace is traces/conformance/dvsec-config-lock.yaml, whose recorded reads
 * follow CXL r3.1 §8.1.3.6 (CONFIG_LOCK freezes the RWL fields); the model under cxl-3.1 meets
 * them, so every CXL_EXPECT holds. Built with -DCXL_STUB_WRONG the stub's config reads return
 * the model's value with bit 0 flipped, as a broken implementation would: every check must
 * then fail (the exported asserts are not vacuous). Exit 0 when the result is as expected.
 */
#include <stdio.h>
#include <string.h>

#include "cxlemu/cxlemu.h"

static struct cxl_device *devs[8];
static const char *names[8];
static unsigned ndevs;
static unsigned long checks, failed;

/* The device named @name (created on first use is not needed: all are made in main()). */
static struct cxl_device *dev(const char *name)
{
	for (unsigned i = 0; i < ndevs; i++)
		if (!strcmp(names[i], name))
			return devs[i];
	fprintf(stderr, "stub: no device %s\n", name);
	return devs[0];
}

/* A config or component read of the model, spoiled under CXL_STUB_WRONG. */
static uint64_t rd(const char *name, unsigned space, uint64_t off, unsigned size)
{
	uint64_t v = 0;

	cxl_device_read(dev(name), space, off, size, &v);
#ifdef CXL_STUB_WRONG
	v ^= 1;
#endif
	return v;
}

#define CXL_CFG_READ(d, off, size) rd(d, CXL_SPACE_CONFIG, off, size)
#define CXL_CFG_WRITE(d, off, size, val) cxl_device_write(dev(d), CXL_SPACE_CONFIG, off, size, val)
#define CXL_MMIO_READ(d, off, size) rd(d, CXL_SPACE_COMPONENT, off, size)
#define CXL_MMIO_WRITE(d, off, size, val) cxl_device_write(dev(d), CXL_SPACE_COMPONENT, off, size, val)
#define CXL_RESET(d, kind) cxl_device_reset(dev(d), (enum cxl_reset_kind)cxl_reset_kind_parse(kind))
#define CXL_EXPECT(op, d, got, want) (checks++, (got) == (want) ? (void)0 : (void)failed++)

#include "exported.h"

int main(void)
{
#define MAKE(n, m)                                                                      \
	do {                                                                            \
		struct cxl_error err;                                                   \
		names[ndevs] = n;                                                       \
		if (cxl_device_create(n, m, "cxl-3.1", NULL, &devs[ndevs], &err)) {     \
			fprintf(stderr, "stub: %s\n", err.msg);                         \
			return 1;                                                       \
		}                                                                       \
		ndevs++;                                                                \
	} while (0);
	CXL_EXPORT_DEVICES(MAKE)
	cxl_export_run();
	for (unsigned i = 0; i < ndevs; i++)
		cxl_device_destroy(devs[i]);
	printf("%lu checks, %lu failed\n", checks, failed);
#ifdef CXL_STUB_WRONG
	return checks > 0 && failed == checks ? 0 : 1;
#else
	return checks > 0 && failed == 0 ? 0 : 1;
#endif
}
