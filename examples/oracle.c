/* SPDX-License-Identifier: MIT */
/*
 * oracle.c - libcxlemu-core as the oracle of a test: drive a model of QEMU 7.2's cxl-type3
 * under the strict CXL r3.1 personality through the HDM decoder commit protocol, compare
 * what a device under test "returned" with the model, and print every rule exercised.
 *
 * Build against an installed libcxlemu:
 *   cc oracle.c $(pkg-config --cflags --libs cxlemu-core) -o oracle
 * Output: one line per event, then the model's final state hash. Exit status 0 when the
 * model enforced Lock-On-Commit as CXL r3.1 §8.2.4.20.13 requires.
 */
#include <inttypes.h>
#include <stdio.h>

#include <cxlemu/cxlemu.h>

static unsigned locked_writes;

/* The component-block offset of register @name in @d (the model says where it placed it). */
static uint32_t offset_of(const struct cxl_device *d, const char *name)
{
	uint32_t off = 0;
	int i = cxl_device_find_reg(d, name);

	if (i < 0 || !cxl_device_reg_info(d, (unsigned)i, NULL, &off, NULL, NULL)) {
		fprintf(stderr, "no register '%s'\n", name);
		return 0;
	}
	return off;
}

/* The event sink: print each event with its detail; count dropped locked writes. */
static void on_event(void *ctx, const struct cxl_event *ev)
{
	char detail[192];

	(void)ctx;
	cxl_event_detail(ev, detail, sizeof(detail));
	printf("op %lu: %s: %s \"%s\".%s: %s (%s)\n", ev->op, cxl_severity_word(ev->severity),
	       cxl_rule_id(ev->rule), ev->reg, ev->field, detail, cxl_rule_spec(ev->rule));
	if (ev->rule == CXL_RULE_HDM_LOCKED_WRITE)
		locked_writes++;
}

int main(void)
{
	const uint64_t commit = CXL_F_HDM_DECODER_CONTROL_COMMIT_MASK |
				CXL_F_HDM_DECODER_CONTROL_LOCK_ON_COMMIT_MASK;
	struct cxl_device *d;
	struct cxl_error err;
	uint64_t ctrl = 0;
	uint32_t base_hi, size_lo, control;
	char msg[600];

	if (cxl_device_create("ep0", "qemu72-type3", "cxl-3.1", NULL, &d, &err)) {
		cxl_error_format(&err, msg, sizeof(msg));
		fprintf(stderr, "%s\n", msg);
		return 2;
	}
	base_hi = offset_of(d, "HDM Decoder 0 Base High");
	size_lo = offset_of(d, "HDM Decoder 0 Size Low");
	control = offset_of(d, "HDM Decoder 0 Control");
	cxl_device_set_sink(d, on_event, NULL);
	cxl_device_set_op(d, 0, 0, NULL);
	cxl_device_write(d, CXL_SPACE_COMPONENT, base_hi, 4, 0x1);      /* Base 4 GiB */
	cxl_device_set_op(d, 1, 0, NULL);
	cxl_device_write(d, CXL_SPACE_COMPONENT, size_lo, 4, 0x10000000);   /* 256 MiB */
	cxl_device_set_op(d, 2, 0, NULL);
	cxl_device_write(d, CXL_SPACE_COMPONENT, control, 4, commit);          /* commit + LOC */
	cxl_device_set_op(d, 3, 0, NULL);
	cxl_device_read(d, CXL_SPACE_COMPONENT, control, 4, &ctrl);
	printf("Control reads 0x%" PRIx64 " (Committed %s)\n", ctrl,
	       ctrl & CXL_F_HDM_DECODER_CONTROL_COMMITTED_MASK ? "set" : "clear");
	/* The device under test says it still decodes at 4 GiB after a move: check that. */
	cxl_device_set_op(d, 4, 0, NULL);
	cxl_device_write(d, CXL_SPACE_COMPONENT, base_hi, 4, 0x2);      /* dropped */
	cxl_device_set_op(d, 5, 0, NULL);
	cxl_device_access(d, CXL_SPACE_COMPONENT, false, base_hi, 4, 0x2, true, NULL);
	printf("reads checked %lu, mismatched %lu; state %016" PRIx64 "\n",
	       cxl_device_counters(d)->reads_checked, cxl_device_counters(d)->mismatches,
	       cxl_device_hash(d, 0));
	cxl_device_destroy(d);
	return locked_writes == 1 ? 0 : 1;
}
