/* SPDX-License-Identifier: MIT */
/*
 * harness.c - event recorder and register accessors for the tests/hdm tests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"

struct recorder rec;

/* Devices not yet closed: a failed assertion longjmps past dev_close(). */
static struct cxl_device *open_devs[16];

static void record(void *ctx, const struct cxl_event *ev)
{
	struct recorder *r = ctx;
	struct rec_event *e;

	if (r->n >= REC_MAX) {
		r->lost++;
		return;
	}
	e = &r->ev[r->n++];
	snprintf(e->rule, sizeof(e->rule), "%s", cxl_rule_id(ev->rule));
	e->severity = ev->severity;
	snprintf(e->reg, sizeof(e->reg), "%s", ev->reg);
	snprintf(e->field, sizeof(e->field), "%s", ev->field);
	e->old_value = ev->old_value;
	e->new_value = ev->new_value;
}

struct cxl_device *dev_open(const char *model, const char *profile, int ndec)
{
	struct cxl_device_opts o = { .hdm_decoders = ndec };
	struct cxl_device *d = NULL;
	struct cxl_error err;
	enum cxl_err rc;

	memset(&err, 0, sizeof(err));
	rc = cxl_device_create("dut", model, profile, &o, &d, &err);
	if (rc != CXL_OK)
		print_error("%s/%s/%d: %s\n", model, profile, ndec, err.msg);
	assert_int_equal(rc, CXL_OK);
	assert_non_null(d);
	cxl_device_set_sink(d, record, &rec);
	rec_clear();
	for (unsigned i = 0; i < ARRAY_SIZE(open_devs); i++)
		if (!open_devs[i]) {
			open_devs[i] = d;
			return d;
		}
	fail_msg("more than %zu devices open", ARRAY_SIZE(open_devs));
	return d;
}

void dev_close(struct cxl_device *d)
{
	for (unsigned i = 0; i < ARRAY_SIZE(open_devs); i++)
		if (open_devs[i] == d)
			open_devs[i] = NULL;
	cxl_device_destroy(d);
}

int dev_close_all(void **state)
{
	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(open_devs); i++) {
		cxl_device_destroy(open_devs[i]);
		open_devs[i] = NULL;
	}
	return 0;
}

uint32_t rd32(struct cxl_device *d, uint32_t off)
{
	uint64_t v = ~0ULL;

	assert_true(cxl_device_access(d, CXL_SPACE_COMPONENT, false, off, 4, 0, false, &v));
	return (uint32_t)v;
}

void wr32(struct cxl_device *d, uint32_t off, uint32_t v)
{
	assert_true(cxl_device_access(d, CXL_SPACE_COMPONENT, true, off, 4, v, false, NULL));
}

bool cm_modelled(struct cxl_device *d, uint32_t off)
{
	unsigned long before = cxl_device_counters(d)->unmodeled;
	unsigned n = rec.n;
	bool ev = false;

	(void)rd32(d, off);
	for (unsigned i = n; i < rec.n; i++)
		ev |= !strcmp(rec.ev[i].rule, "access.unmodeled");
	/* The counter and the event must agree. */
	assert_int_equal(ev, cxl_device_counters(d)->unmodeled != before);
	rec.n = n;
	return !ev;
}

void dec_program(struct cxl_device *d, unsigned n, uint64_t base, uint64_t size)
{
	wr32(d, DEC(n, BASE_LO), (uint32_t)base);
	wr32(d, DEC(n, BASE_HI), (uint32_t)(base >> 32));
	wr32(d, DEC(n, SIZE_LO), (uint32_t)size);
	wr32(d, DEC(n, SIZE_HI), (uint32_t)(size >> 32));
}

void rec_clear(void)
{
	rec.n = 0;
	rec.lost = 0;
}

unsigned rec_count(const char *id, int sev)
{
	unsigned k = 0;

	for (unsigned i = 0; i < rec.n; i++)
		if (!strcmp(rec.ev[i].rule, id) && (sev < 0 || rec.ev[i].severity == (unsigned)sev))
			k++;
	return k;
}

void rec_dump(void)
{
	for (unsigned i = 0; i < rec.n; i++)
		print_message("  event %u: %s (%s) %s.%s 0x%llx -> 0x%llx\n", i, rec.ev[i].rule,
			      cxl_severity_word(rec.ev[i].severity), rec.ev[i].reg, rec.ev[i].field,
			      (unsigned long long)rec.ev[i].old_value,
			      (unsigned long long)rec.ev[i].new_value);
}

void rec_assert_none(void)
{
	if (rec.n)
		rec_dump();
	assert_int_equal(rec.n, 0);
	assert_int_equal(rec.lost, 0);
}

void rec_assert_only(const char *id, int sev, unsigned n)
{
	if (rec.n != n || rec_count(id, sev) != n) {
		print_message("expected %u x %s\n", n, id);
		rec_dump();
	}
	assert_int_equal(rec.lost, 0);
	assert_int_equal(rec.n, n);
	assert_int_equal(rec_count(id, sev), n);
}

void rec_assert_has(const char *id, int sev, const char *reg, const char *field)
{
	for (unsigned i = 0; i < rec.n; i++)
		if (!strcmp(rec.ev[i].rule, id) && (sev < 0 || rec.ev[i].severity == (unsigned)sev) &&
		    (!reg || !strcmp(rec.ev[i].reg, reg)) && (!field || !strcmp(rec.ev[i].field, field)))
			return;
	print_message("no %s event on '%s' field '%s'\n", id, reg ? reg : "*", field ? field : "*");
	rec_dump();
	fail();
}
