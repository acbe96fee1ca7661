/* SPDX-License-Identifier: MIT */
/*
 * device.c - the smallest downstream program: create a model of QEMU 7.2's cxl-type3 under
 * the CXL r3.1 personality and read its CXL DVSEC Control register (config offset 0x10c,
 * 2 bytes). CXL r3.1 §8.1.3.2: IO_Enable (bit 1) is RO and hardwired to 1, and the other
 * enables reset to 0, so the read returns 0x0002.
 * Built by CMakeLists.txt (target cxlemu::cxlemu) and meson.build (pkg-config cxlemu) here.
 * Exit status: 0 when the read returns 0x0002, 1 otherwise, 2 when the device cannot be made.
 */
#include <inttypes.h>
#include <stdio.h>

#include <cxlemu/cxlemu.h>

int main(void)
{
	struct cxl_device *d;
	struct cxl_error err;
	uint64_t control = 0;
	char msg[600];

	if (cxl_device_create("ep0", "qemu72-type3", "cxl-3.1", NULL, &d, &err)) {
		cxl_error_format(&err, msg, sizeof(msg));
		fprintf(stderr, "%s\n", msg);
		return 2;
	}
	if (!cxl_device_read(d, CXL_SPACE_CONFIG, 0x10c, 2, &control)) {
		fprintf(stderr, "device: the read left config space\n");
		cxl_device_destroy(d);
		return 2;
	}
	cxl_device_destroy(d);
	printf("DVSEC Control: 0x%04" PRIx64 "\n", control);
	return control == 0x0002 ? 0 : 1;
}
