/* SPDX-License-Identifier: MIT */
/*
 * test_doe.c - the DOE mailbox (emu/core/doe.c) on qemu72-type3 (DOE at config 0x190) and
 * qemu72-usp (0x1a8).
 *
 * Expected values: the register layout and the data object formats of PCIe r6.0 §7.9.24 and
 * §6.30 (Control +8: Abort bit 0, Go bit 31; Status +0xc: Error bit 2, Data Object Ready bit
 * 31; Write / Read Data Mailbox +0x10 / +0x14; header dword 1 Vendor ID 15:0 and Type 23:16,
 * dword 2 Length 17:0 in DW with 0 meaning 2^18; discovery Index 7:0) and CXL r3.1 §8.1.11
 * (Read Entry: code 7:0, table type 15:8, Entry Handle 31:16; the response's next handle, 0xffff
 * after the last). The CDAT dwords are those Debian 12's QEMU 7.2.22 returned over qtest for
 * the entries read here (the CDAT header of cxl-type3: Length 0xa0, Revision 2, Checksum 8;
 * the last entry, handle 6, a DSEMTS; the USP's second SSLBIS is its last), written down from
 * that run, not from the model.
 */
#include <string.h>

#include "harness.h"

#define T3 "qemu72-type3"
#define T3_DOE 0x190u
#define USP "qemu72-usp"
#define USP_DOE 0x1a8u

#define CONTROL 0x08u
#define STATUS 0x0cu
#define WMB 0x10u
#define RMB 0x14u
#define ABORT 0x1u
#define GO 0x80000000u
#define ERROR 0x4u
#define READY 0x80000000u

/* Writes the @n dwords of a request to the DOE at @doe and sets Go. */
static void request(struct cxl_device *d, uint32_t doe, const uint32_t *dw, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		cfg_write(d, doe + WMB, 4, dw[i]);
	cfg_write(d, doe + CONTROL, 4, GO);
}

/* Reads @n response dwords into @out (read, then write to advance), as Linux does. */
static void response(struct cxl_device *d, uint32_t doe, uint32_t *out, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		out[i] = (uint32_t)cfg_read(d, doe + RMB, 4);
		cfg_write(d, doe + RMB, 4, 0);
	}
}

/* Discovery walks both protocols; nothing fires; Ready clears after the last dword. */
static void test_discovery(void **state)
{
	struct h *h = *state;
	struct cxl_device *d = h_open(h, T3, NULL);
	uint32_t r[3];

	assert_int_equal(cfg_read(d, T3_DOE, 4), 0x0001002e);   /* ID 0x2e, version 1 */
	assert_int_equal(cfg_read(d, T3_DOE + STATUS, 4), 0);
	request(d, T3_DOE, (const uint32_t[]){ 0x00000001, 3, 0 }, 3);
	assert_int_equal(cfg_read(d, T3_DOE + STATUS, 4), READY);
	response(d, T3_DOE, r, 3);
	assert_int_equal(r[0], 0x00000001);
	assert_int_equal(r[1], 3);
	assert_int_equal(r[2], 0x01000001);    /* vendor 1 type 0, next index 1 */
	assert_int_equal(cfg_read(d, T3_DOE + STATUS, 4), 0);
	request(d, T3_DOE, (const uint32_t[]){ 0x00000001, 3, 1 }, 3);
	response(d, T3_DOE, r, 3);
	assert_int_equal(r[2], 0x00021e98);    /* CDAT table access, next index 0 (the last) */
	h_expect(h, NO_RULE, 0, "discovery");
}

/* CDAT Read Entry: the header (handle 0) and the last entry (handle 6, next 0xffff). */
static void test_cdat(void **state)
{
	struct h *h = *state;
	struct cxl_device *d = h_open(h, T3, "qemu-7.2");
	uint32_t r[9];

	request(d, T3_DOE, (const uint32_t[]){ 0x00021e98, 3, 0x00000000 }, 3);
	response(d, T3_DOE, r, 7);
	assert_int_equal(r[1], 7);
	assert_int_equal(r[2], 0x00010000);    /* next handle 1 */
	assert_int_equal(r[3], 0xa0);          /* CDAT Length */
	assert_int_equal(r[4], 0x802);         /* Revision 2, Checksum 8 */
	request(d, T3_DOE, (const uint32_t[]){ 0x00021e98, 3, 0x00060000 }, 3);
	response(d, T3_DOE, r, 9);
	assert_int_equal(r[1], 9);
	assert_int_equal(r[2], 0xffff0000);    /* the last entry */
	assert_int_equal(r[3], 0x00180004);    /* DSEMTS, 24 bytes */
	assert_int_equal(r[7], 0x10000000);    /* 256 MiB */
	assert_int_equal(cfg_read(d, T3_DOE + STATUS, 4), 0);
	h_expect(h, NO_RULE, 0, "cdat");

	/* the switch upstream port: its own table (two SSLBIS), the last at handle 2 */
	d = h_open(h, USP, "qemu-7.2");
	request(d, USP_DOE, (const uint32_t[]){ 0x00021e98, 3, 0x00020000 }, 3);
	response(d, USP_DOE, r, 3);
	assert_int_equal(r[1], 11);
	assert_int_equal(r[2], 0xffff0000);
}

/* Every way a request is unsupported: no response, no DOE Error, the rule. */
static void test_unsupported(void **state)
{
	struct h *h = *state;
	struct cxl_device *d = h_open(h, T3, NULL);
	static const uint32_t bad[][3] = {
		{ 0x00051234, 3, 0 },           /* no such protocol */
		{ 0x00000001, 3, 2 },           /* discovery index 2 of 2 */
		{ 0x00021e98, 3, 0x00070000 },  /* CDAT entry 7 of 7 */
		{ 0x00021e98, 3, 0x00000001 },  /* request code 1 */
		{ 0x00021e98, 3, 0x00000100 },  /* table type 1 */
	};

	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		h_clear(h);
		request(d, T3_DOE, bad[i], 3);
		h_expect(h, CXL_RULE_DOE_REQUEST_UNSUPPORTED, 1, "unsupported request");
		assert_int_equal(cfg_read(d, T3_DOE + STATUS, 4), 0);
	}
}

/* The dwords written must be the header's Length; 0 means 2^18; an oversized request. */
static void test_malformed(void **state)
{
	struct h *h = *state;
	struct cxl_device *d = h_open(h, T3, NULL);

	request(d, T3_DOE, (const uint32_t[]){ 0x00000001, 4, 0 }, 3);
	h_expect(h, CXL_RULE_DOE_REQUEST_MALFORMED, 1, "Length 4, 3 written");
	h_clear(h);
	request(d, T3_DOE, (const uint32_t[]){ 0x00000001 }, 1);
	h_expect(h, CXL_RULE_DOE_REQUEST_MALFORMED, 1, "one dword");
	h_clear(h);
	request(d, T3_DOE, (const uint32_t[]){ 0x00000001, 0, 0 }, 3);
	h_expect(h, CXL_RULE_DOE_REQUEST_MALFORMED, 1, "Length 0 is 2^18 dwords");
	h_clear(h);
	for (unsigned i = 0; i < 100; i++)   /* longer than the model keeps */
		cfg_write(d, T3_DOE + WMB, 4, i ? 0 : 0x00000001);
	cfg_write(d, T3_DOE + CONTROL, 4, GO);
	h_expect(h, CXL_RULE_DOE_REQUEST_MALFORMED, 1, "100 dwords, Length 0");
	assert_int_equal(cfg_read(d, T3_DOE + STATUS, 4), 0);
	/* Go starts a new request: the next one is answered */
	h_clear(h);
	request(d, T3_DOE, (const uint32_t[]){ 0x00000001, 3, 0 }, 3);
	h_expect(h, NO_RULE, 0, "well formed after malformed");
	assert_int_equal(cfg_read(d, T3_DOE + STATUS, 4), READY);
}

/* Abort mid-response, over-reading, Error until Abort; a reset and a restart idle it. */
static void test_abort_error_reset(void **state)
{
	struct h *h = *state;
	struct cxl_device *d = h_open(h, T3, NULL);
	uint32_t r[3];

	request(d, T3_DOE, (const uint32_t[]){ 0x00000001, 3, 0 }, 3);
	response(d, T3_DOE, r, 1);
	cfg_write(d, T3_DOE + CONTROL, 4, ABORT);
	assert_int_equal(cfg_read(d, T3_DOE + STATUS, 4), 0);
	assert_int_equal(cfg_read(d, T3_DOE + RMB, 4), 0);
	h_expect(h, CXL_RULE_DOE_READ_NOT_READY, 1, "read after Abort");
	h_clear(h);
	cfg_write(d, T3_DOE + RMB, 4, 0);
	h_expect(h, CXL_RULE_DOE_READ_NOT_READY, 1, "advance with nothing to read");
	assert_int_equal(cfg_read(d, T3_DOE + STATUS, 4), ERROR);
	cfg_write(d, T3_DOE + CONTROL, 4, ABORT);
	assert_int_equal(cfg_read(d, T3_DOE + STATUS, 4), 0);
	assert_int_equal(cfg_read(d, T3_DOE + CONTROL, 4), 0);   /* Abort and Go read 0 */

	/* cxl-3.1: a Conventional Reset returns the mailbox to idle (PCIe r6.0 §7.9.24) */
	request(d, T3_DOE, (const uint32_t[]){ 0x00000001, 3, 0 }, 3);
	cxl_device_reset(d, CXL_RESET_CONVENTIONAL);
	assert_int_equal(cfg_read(d, T3_DOE + STATUS, 4), 0);
	request(d, T3_DOE, (const uint32_t[]){ 0x00000001, 3, 0 }, 3);
	cxl_device_restart(d);
	assert_int_equal(cfg_read(d, T3_DOE + STATUS, 4), 0);
	h_clear(h);
	request(d, T3_DOE, (const uint32_t[]){ 0x00000001, 3, 0 }, 3);   /* nothing half-kept */
	h_expect(h, NO_RULE, 0, "after restart");

	/* qemu-7.2: the mailbox survives a Conventional Reset (measured, QEMU 7.2.22) */
	d = h_open(h, T3, "qemu-7.2");
	cfg_write(d, T3_DOE + RMB, 4, 0);
	cxl_device_reset(d, CXL_RESET_CONVENTIONAL);
	assert_int_equal(cfg_read(d, T3_DOE + STATUS, 4), ERROR);
}

/*
 * What Debian 12's QEMU 7.2.22 does (measured over qtest) and the model copies: a Control
 * write setting Abort does only that (Interrupt Enable kept, Go ignored); 1- and 2-byte writes
 * to the mailboxes do nothing.
 */
static void test_abort_write_and_partial(void **state)
{
	struct h *h = *state;
	struct cxl_device *d = h_open(h, T3, "qemu-7.2");

	cfg_write(d, T3_DOE + CONTROL, 4, 0x2);               /* Interrupt Enable */
	cfg_write(d, T3_DOE + CONTROL, 4, 0x1);               /* Abort: IE stays */
	assert_int_equal(cfg_read(d, T3_DOE + CONTROL, 4), 0x2);
	cfg_write(d, T3_DOE + CONTROL, 4, 0x0);
	cfg_write(d, T3_DOE + CONTROL, 4, 0x3);               /* Abort | IE: IE stays 0 */
	assert_int_equal(cfg_read(d, T3_DOE + CONTROL, 4), 0x0);
	for (unsigned i = 0; i < 3; i++)
		cfg_write(d, T3_DOE + WMB, 4, (const uint32_t[]){ 0x00000001, 3, 0 }[i]);
	cfg_write(d, T3_DOE + CONTROL, 4, ABORT | GO);        /* Go ignored */
	assert_int_equal(cfg_read(d, T3_DOE + STATUS, 4), 0);
	h_clear(h);
	cfg_write(d, T3_DOE + WMB, 2, 0x0001);                /* ignored: only two dwords follow */
	cfg_write(d, T3_DOE + WMB, 4, 3);
	cfg_write(d, T3_DOE + WMB, 4, 0);
	cfg_write(d, T3_DOE + CONTROL, 4, GO);
	/* the request is [3, 0]: two dwords whose Length (0) means 2^18 */
	h_expect(h, CXL_RULE_DOE_REQUEST_MALFORMED, 1, "the 2-byte write was not a dword");
	request(d, T3_DOE, (const uint32_t[]){ 0x00000001, 3, 0 }, 3);
	cfg_write(d, T3_DOE + RMB, 2, 0);                     /* no advance */
	assert_int_equal(cfg_read(d, T3_DOE + RMB, 4), 0x00000001);
}

/*
 * DOE Interrupt Status (PCIe r6.0 §6.30.3), as Debian 12's QEMU 7.2.22 sets it (measured over
 * qtest): with Interrupt Enable set before the Go write, a response reads 0x80000002 and 1
 * written clears the bit; an error with it set reads 0x6; a Go write that sets the enable itself
 * raises no status.
 */
static void test_interrupt_status(void **state)
{
	struct h *h = *state;
	struct cxl_device *d = h_open(h, T3, "qemu-7.2");

	cfg_write(d, T3_DOE + WMB, 4, 0x00000001);
	cfg_write(d, T3_DOE + WMB, 4, 3);
	cfg_write(d, T3_DOE + WMB, 4, 0);
	cfg_write(d, T3_DOE + CONTROL, 4, GO | 0x2);            /* enable set by the Go write */
	assert_int_equal(cfg_read(d, T3_DOE + STATUS, 4), READY);
	cfg_write(d, T3_DOE + CONTROL, 4, ABORT);                /* Abort keeps the enable */
	assert_int_equal(cfg_read(d, T3_DOE + CONTROL, 4), 0x2);
	cfg_write(d, T3_DOE + WMB, 4, 0x00000001);
	cfg_write(d, T3_DOE + WMB, 4, 3);
	cfg_write(d, T3_DOE + WMB, 4, 0);
	cfg_write(d, T3_DOE + CONTROL, 4, GO | 0x2);            /* enabled before this write */
	assert_int_equal(cfg_read(d, T3_DOE + STATUS, 4), READY | 0x2);
	cfg_write(d, T3_DOE + STATUS, 4, 0x2);
	assert_int_equal(cfg_read(d, T3_DOE + STATUS, 4), READY);
	cfg_write(d, T3_DOE + CONTROL, 4, ABORT);
	cfg_write(d, T3_DOE + RMB, 4, 0);                         /* nothing to advance */
	assert_int_equal(cfg_read(d, T3_DOE + STATUS, 4), ERROR | 0x2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_discovery, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_cdat, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_unsupported, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_malformed, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_abort_error_reset, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_abort_write_and_partial, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_interrupt_status, h_setup, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
