/* SPDX-License-Identifier: MIT */
/*
 * harness.c - fixture, event recorder and accessors of the tests/unit tests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static void record(void *ctx, const struct cxl_event *ev)
{
	struct h *h = ctx;
	struct h_event *e;

	if (h->nev >= H_MAX_EVENTS) {
		h->lost++;
		return;
	}
	e = &h->ev[h->nev++];
	e->rule = ev->rule;
	e->severity = ev->severity;
	snprintf(e->reg, sizeof(e->reg), "%s", ev->reg ? ev->reg : "");
	snprintf(e->field, sizeof(e->field), "%s", ev->field ? ev->field : "");
	cxl_event_detail(ev, e->detail, sizeof(e->detail));
	e->old_value = ev->old_value;
	e->new_value = ev->new_value;
}

int h_setup(void **state)
{
	struct h *h = calloc(1, sizeof(*h));

	if (!h)
		return -1;
	*state = h;
	return 0;
}

void h_close_all(struct h *h)
{
	for (unsigned i = 0; i < h->ndevs; i++)
		cxl_device_destroy(h->devs[i]);
	h->ndevs = 0;
	h->d = NULL;
}

int h_teardown(void **state)
{
	struct h *h = *state;

	if (h) {
		h_close_all(h);
		free(h);
	}
	*state = NULL;
	return 0;
}

struct cxl_device *h_open_opts(struct h *h, const char *model, const char *profile,
			       const struct cxl_device_opts *opts)
{
	struct cxl_device *d = NULL;
	struct cxl_error err;
	enum cxl_err rc;

	if (h->ndevs >= H_MAX_DEVS)
		fail_msg("harness: more than %d devices in one test", H_MAX_DEVS);
	memset(&err, 0, sizeof(err));
	rc = cxl_device_create("dev0", model, profile, opts, &d, &err);
	if (rc != CXL_OK || !d)
		fail_msg("cxl_device_create(%s, %s): %s: %s", model, profile ? profile : "(default)",
			 cxl_err_name(rc), err.msg);
	cxl_device_set_sink(d, record, h);
	h->devs[h->ndevs++] = d;
	h->d = d;
	h_clear(h);
	return d;
}

struct cxl_device *h_open(struct h *h, const char *model, const char *profile)
{
	return h_open_opts(h, model, profile, NULL);
}

void h_clear(struct h *h)
{
	h->nev = 0;
	h->lost = 0;
}

unsigned h_count(const struct h *h, unsigned rule)
{
	unsigned n = 0;

	for (unsigned i = 0; i < h->nev; i++)
		n += h->ev[i].rule == rule;
	return n;
}

unsigned h_count_sev(const struct h *h, unsigned severity)
{
	unsigned n = 0;

	for (unsigned i = 0; i < h->nev; i++)
		n += h->ev[i].severity == severity;
	return n;
}

const struct h_event *h_find(const struct h *h, unsigned rule)
{
	for (unsigned i = 0; i < h->nev; i++)
		if (h->ev[i].rule == rule)
			return &h->ev[i];
	return NULL;
}

void h_dump(const struct h *h, const char *what)
{
	print_message("%s: %u event(s)%s\n", what, h->nev, h->lost ? " (some lost)" : "");
	for (unsigned i = 0; i < h->nev; i++) {
		const struct h_event *e = &h->ev[i];

		print_message("  %s %s reg='%s' field='%s' %s\n", cxl_rule_id(e->rule),
			      cxl_severity_word(e->severity), e->reg, e->field, e->detail);
	}
}

void h_expect(const struct h *h, int rule, unsigned n, const char *what)
{
	unsigned want = rule == NO_RULE ? 0 : n, got = rule == NO_RULE ? 0 : h_count(h, (unsigned)rule);

	if (h->lost || h->nev != want || got != want) {
		h_dump(h, what);
		fail_msg("%s: want %u event(s) of %s, got %u event(s)", what, want,
			 rule == NO_RULE ? "(none)" : cxl_rule_id(rule), h->nev);
	}
}

static uint64_t do_access(struct cxl_device *d, unsigned space, bool write, uint32_t off,
		       unsigned size, uint64_t value, bool has_value)
{
	uint64_t result = 0xdeadbeefdeadbeefULL;

	if (!cxl_device_access(d, space, write, off, size, value, has_value, &result))
		fail_msg("%s %s 0x%x size %u refused as caller input", write ? "write" : "read",
			 space == CXL_SPACE_CONFIG ? "config" : "component", off, size);
	return result;
}

uint64_t cfg_read(struct cxl_device *d, uint32_t off, unsigned size)
{
	return do_access(d, CXL_SPACE_CONFIG, false, off, size, 0, false);
}

uint64_t cfg_read_rec(struct cxl_device *d, uint32_t off, unsigned size, uint64_t recorded)
{
	return do_access(d, CXL_SPACE_CONFIG, false, off, size, recorded, true);
}

void cfg_write(struct cxl_device *d, uint32_t off, unsigned size, uint64_t value)
{
	do_access(d, CXL_SPACE_CONFIG, true, off, size, value, true);
}

uint64_t mmio_read(struct cxl_device *d, uint32_t off, unsigned size)
{
	return do_access(d, CXL_SPACE_COMPONENT, false, off, size, 0, false);
}

uint64_t mmio_read_rec(struct cxl_device *d, uint32_t off, unsigned size, uint64_t recorded)
{
	return do_access(d, CXL_SPACE_COMPONENT, false, off, size, recorded, true);
}

void mmio_write(struct cxl_device *d, uint32_t off, unsigned size, uint64_t value)
{
	do_access(d, CXL_SPACE_COMPONENT, true, off, size, value, true);
}

uint64_t reg_value(const struct cxl_device *d, const char *name)
{
	int i = cxl_device_find_reg(d, name);
	uint64_t v = 0;

	if (i < 0)
		fail_msg("register '%s' not found", name);
	cxl_device_reg_info(d, (unsigned)i, NULL, NULL, NULL, &v);
	return v;
}

void run_wcases(struct h *h, const char *model, const char *profile, const struct wcase *c,
		size_t n)
{
	for (size_t i = 0; i < n; i++, c++) {
		struct cxl_device *d;
		uint32_t roff = c->rsize ? c->roff : c->off;
		unsigned rsize = c->rsize ? c->rsize : c->size;
		uint64_t got;
		char what[160];

		snprintf(what, sizeof(what), "%s/%s: %s", model, profile ? profile : "cxl-3.1", c->what);
		h_close_all(h);
		d = h_open(h, model, profile);
		if (c->prep)
			c->prep(d);
		h_clear(h);
		if (c->space == CXL_SPACE_CONFIG)
			cfg_write(d, c->off, c->size, c->wval);
		else
			mmio_write(d, c->off, c->size, c->wval);
		h_expect(h, c->rule, c->n, what);
		if (c->field && c->rule != NO_RULE && strcmp(h->ev[0].field, c->field)) {
			h_dump(h, what);
			fail_msg("%s: first event names field '%s', want '%s'", what, h->ev[0].field,
				 c->field);
		}
		if (c->space == CXL_SPACE_CONFIG)
			got = cfg_read(d, roff, rsize);
		else
			got = mmio_read(d, roff, rsize);
		expect_val(what, got, c->expect);
		if (c->chk_reg)
			expect_val(what, reg_value(d, c->chk_reg), c->chk_val);
	}
	h_close_all(h);
}
