/* SPDX-License-Identifier: MIT */
/*
 * replay.c - trace ops -> device model -> events -> report, one trace at a time.
 *
 * Any trace reader feeds it: a native YAML file, or an import replayed in memory. Warning
 * and error events are kept as compact (op, rule) records in a spool file, written as
 * explicit little-endian bytes (no struct padding reaches the file), so expectations (which
 * follow the ops) can be compared without holding the trace or its events in memory.
 */
#include <stdlib.h>
#include <string.h>

#include "cxlemu/catalog.h"
#include "cxlemu/device.h"
#include "cxlemu/observe.h"
#include "cxlemu/replay.h"
#include "cxlemu/trace.h"
#include "topology_check.h"

#define CXL_EXPORT __attribute__((visibility("default")))
#define EREC_SIZE 25

/* An (op, rule) pair with where it is in the trace (the op's, or the expect: entry's) and its severity. */
struct erec { unsigned long op; unsigned rule; unsigned long line, col; unsigned severity; };

/* Writes the @n low bytes of @v to @b, little-endian. */
static void le_put(unsigned char *b, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		b[i] = (unsigned char)(v >> (8 * i));
}

/* The @n-byte little-endian number at @b. */
static uint64_t le_get(const unsigned char *b, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

/* Writes @e to @f as 8 bytes of op, 4 of rule, 8 of line, 4 of column and 1 of severity. */
static void erec_put(FILE *f, const struct erec *e)
{
	unsigned char b[EREC_SIZE];

	le_put(b, (uint64_t)e->op, 8);
	le_put(b + 8, e->rule, 4);
	le_put(b + 12, (uint64_t)e->line, 8);
	le_put(b + 20, (uint32_t)e->col, 4);
	b[24] = (unsigned char)e->severity;
	fwrite(b, 1, sizeof(b), f);
}

/* Reads one record from @f; false at the end. */
static bool erec_get(FILE *f, struct erec *e)
{
	unsigned char b[EREC_SIZE];

	if (fread(b, 1, sizeof(b), f) != sizeof(b))
		return false;
	e->op = (unsigned long)le_get(b, 8);
	e->rule = (unsigned)le_get(b + 8, 4);
	e->line = (unsigned long)le_get(b + 12, 8);
	e->col = (unsigned long)le_get(b + 20, 4);
	e->severity = b[24];
	return true;
}

struct ctx {
	struct cxl_report *rep;
	FILE *events;            /* spool of struct erec, op order */
	unsigned long by_sev[3];
	unsigned long op, col;   /* the op being applied and its column in the trace */
	const struct cxl_replay_observer *obs;   /* cxlemu/observe.h, or NULL */
	unsigned long fired[CXL_RULE__COUNT];    /* every event, per rule (coverage) */
};

/* Tells observer @obs (NULL: none) that op @idx begins (@end false) or has ended (@end true). */
static void observe_op(const struct cxl_replay_observer *obs, bool end, unsigned long idx,
		       const struct cxl_op *op)
{
	void (*fn)(void *, unsigned long, const struct cxl_op *) = !obs ? NULL :
		end ? obs->op_end : obs->op_begin;

	if (fn)
		fn(obs->ctx, idx, op);
}

static void on_event(void *p, const struct cxl_event *ev)
{
	struct ctx *c = p;
	unsigned long col = ev->op == c->op ? c->col : 0;
	struct erec e = { ev->op, ev->rule, ev->line, col, ev->severity };

	c->by_sev[ev->severity]++;
	if (ev->rule < CXL_RULE__COUNT)
		c->fired[ev->rule]++;
	cxl_report_event_at(c->rep, ev, col);
	if (c->obs && c->obs->event)
		c->obs->event(c->obs->ctx, ev);
	if (ev->severity != CXL_SEV_NOTE)
		erec_put(c->events, &e);
}

/* Orders (op, rule) pairs; the pair is the key of the expect: comparison. */
static int cmp_erec(const void *a, const void *b)
{
	const struct erec *x = a, *y = b;

	if (x->op != y->op)
		return x->op < y->op ? -1 : 1;
	return (int)x->rule - (int)y->rule;
}

/* As cmp_erec, then the most severe first: the record uniq() keeps is always the same one. */
static int cmp_erec_sev(const void *a, const void *b)
{
	const struct erec *x = a, *y = b;
	int c = cmp_erec(a, b);

	return c ? c : (int)y->severity - (int)x->severity;
}

/* Sorts and dedups @v in place by (op, rule); returns the new length. */
static size_t uniq(struct erec *v, size_t n)
{
	size_t k = 0;

	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_erec_sev);
	for (size_t i = 0; i < n; i++)
		if (!k || cmp_erec(&v[k - 1], &v[i]))
			v[k++] = v[i];
	return k;
}

/* Appends @e to the difference list @d (the first CXL_REPORT_MAX_DIFFS kept, all counted). */
static void add_diff(struct cxl_expect_diff *d, unsigned long *n, const struct erec *e)
{
	if (*n < CXL_REPORT_MAX_DIFFS) {
		d[*n].op = e->op;
		d[*n].rule = e->rule;
		snprintf(d[*n].rule_id, sizeof(d[*n].rule_id), "%s", cxl_rule_id(e->rule));
		d[*n].line = e->line;
		d[*n].col = e->col;
		d[*n].severity = e->severity;
	}
	(*n)++;
}

/*
 * Compares the seen event set (the spool, in op order) with the expected set.
 * Seen events are merged one op-group at a time, so memory is bounded by the
 * events of a single op plus the expectations.
 */
static enum cxl_err compare(struct cxl_trace_reader *tr, FILE *events, struct cxl_trace_summary *s,
			    const char *path, struct cxl_error *err)
{
	/* (Rule ids and severities were checked when the expect: list was read.) */
	struct erec *exp = NULL, grp[256], e;
	size_t nexp = 0, cap = 0, xi = 0, ng = 0;
	const struct cxl_expect *x;
	bool more;

	for (unsigned long i = 0; (x = cxl_trace_expect(tr, i)); i++) {
		int rule = cxl_rule_lookup(x->rule);

		if (rule < 0) {
			free(exp);
			return cxl_error_set(err, CXL_ERR_UNKNOWN, path, x->line, x->col,
					     "unknown rule '%s' in expect", x->rule);
		}
		if (nexp == cap) {
			struct erec *nv;

			cap = cap ? cap * 2 : 64;
			nv = realloc(exp, cap * sizeof(*exp));
			if (!nv) {
				free(exp);
				return cxl_error_set(err, CXL_ERR_LIMIT, path, 0, 0, "out of memory");
			}
			exp = nv;
		}
		exp[nexp].op = x->op;
		exp[nexp].rule = (unsigned)rule;
		exp[nexp].line = x->line;   /* a pair not seen is located at its expect: entry */
		exp[nexp].col = x->col;
		exp[nexp].severity = cxl_rule_severity((unsigned)rule);
		nexp++;
	}
	nexp = uniq(exp, nexp);
	s->nexpected = nexp;
	rewind(events);
	more = erec_get(events, &e);
	while (more || ng) {
		/* Gather the next op group (duplicates beyond the buffer only repeat rules). */
		unsigned long op = more ? e.op : 0;

		ng = 0;
		while (more && e.op == op) {
			if (ng < sizeof(grp) / sizeof(grp[0]))
				grp[ng++] = e;
			more = erec_get(events, &e);
		}
		ng = uniq(grp, ng);
		for (size_t i = 0; i < ng; i++) {
			while (xi < nexp && cmp_erec(&exp[xi], &grp[i]) < 0)
				add_diff(s->missing, &s->nmissing, &exp[xi++]);
			if (xi < nexp && !cmp_erec(&exp[xi], &grp[i]))
				xi++;
			else
				add_diff(s->unexpected, &s->nunexpected, &grp[i]);
		}
		ng = 0;
	}
	while (xi < nexp)
		add_diff(s->missing, &s->nmissing, &exp[xi++]);
	free(exp);
	return CXL_OK;
}

/*
 * Adds the trace's check counts to @to: the devices' held counts and attributes, the topo.*
 * checks' held counts, and @fired, every event of the trace per rule.
 */
static void add_checks(struct cxl_check_counts *to, struct cxl_device *const *devs, unsigned n,
		       const struct cxl_topo_check *topo, const unsigned long *fired)
{
	const unsigned long *th = topo ? cxl_topo_check_held(topo) : NULL;

	for (unsigned i = 0; i < n; i++) {
		const struct cxl_check_counts *k = cxl_device_check_counts(devs[i]);

		for (unsigned r = 0; r < CXL_RULE__COUNT; r++)
			to->rule_held[r] += k->rule_held[r];
		for (unsigned a = 0; a < CXL_ACC__COUNT; a++) {
			to->attr_held[a] += k->attr_held[a];
			to->attr_fired[a] += k->attr_fired[a];
		}
	}
	for (unsigned r = 0; r < CXL_RULE__COUNT; r++) {
		to->rule_held[r] += th ? th[r] : 0;
		to->rule_fired[r] += fired[r];
	}
}

static enum cxl_err do_op(struct cxl_device *d, const struct cxl_op *op, struct cxl_report *rep,
			  const char *path, unsigned long idx, struct cxl_error *err)
{
	bool ok = true;

	switch (op->kind) {
	case CXL_OP_CFG_READ:
	case CXL_OP_CFG_WRITE:
	case CXL_OP_MMIO_READ:
	case CXL_OP_MMIO_WRITE: {
		bool write = false;
		unsigned space = CXL_SPACE_CONFIG;

		cxl_op_kind_access(op->kind, &space, &write);
		ok = cxl_device_access(d, space, write, op->offset, op->size, op->value,
				       write || op->has_value, NULL);
		if (!ok)
			return cxl_error_set(err, CXL_ERR_VALUE, path, op->line, op->col,
					     "offset 0x%llx size %u is outside the %s space",
					     (unsigned long long)op->offset, op->size, cxl_space_word(space));
		break;
	}
	case CXL_OP_RESET:
		cxl_device_reset(d, op->reset);
		break;
	case CXL_OP_INJECT:
		if (!cxl_device_inject(d, op->inject, op->bit))
			return cxl_error_set(err, CXL_ERR_VALUE, path, op->line, op->col,
					     "cannot inject %s bit %u into %s (no RAS capability, or not a status bit)",
					     cxl_inject_kind_name(op->inject), op->bit, cxl_device_name(d));
		break;
	case CXL_OP_MARK:
		cxl_report_mark_at(rep, idx, op->line, op->col, op->text);
		break;
	default:
		break;
	}
	return CXL_OK;
}

CXL_EXPORT
enum cxl_err cxl_replay_reader(struct cxl_trace_reader *tr, const struct cxl_replay_opts *opts,
			       struct cxl_report *rep, bool *pass, struct cxl_error *err)
{
	return cxl_replay_reader_observed(tr, opts, NULL, rep, pass, err);
}

CXL_EXPORT
enum cxl_err cxl_replay_reader_observed(struct cxl_trace_reader *tr, const struct cxl_replay_opts *opts,
					const struct cxl_replay_observer *obs,
					struct cxl_report *rep, bool *pass, struct cxl_error *err)
{
	const char *path = cxl_trace_name(tr);
	const struct cxl_trace_header *h;
	struct cxl_device *devs[CXL_TRACE_MAX_DEVICES] = { 0 };
	struct cxl_trace_summary *s = NULL;
	struct ctx c = { .rep = rep, .obs = obs };
	struct cxl_op *op = NULL;
	struct cxl_topo_check *topo = NULL;   /* the topo.* rules, with a topology */
	const char *profile;
	enum cxl_err rc;
	bool done = false, has_expect = false;
	unsigned long nops = 0, device_ops = 0;

	h = cxl_trace_header(tr);
	profile = opts && opts->profile ? opts->profile :
		  (h->profile[0] ? h->profile : cxl_default_profile());
	s = calloc(1, sizeof(*s));
	op = calloc(1, sizeof(*op));
	c.events = tmpfile();
	if (!s || !op || !c.events) {
		rc = cxl_error_set(err, CXL_ERR_LIMIT, path, 0, 0, "out of memory or no temp file");
		goto out;
	}
	if (cxl_profile_lookup(profile) < 0) {
		rc = cxl_error_set(err, CXL_ERR_UNKNOWN, path, opts && opts->profile ? 0 : 1, 0,
				   "unknown profile '%s'", profile);
		goto out;
	}
	for (unsigned i = 0; i < h->ndevices; i++) {
		const struct cxl_trace_device *td = &h->devices[i];
		struct cxl_device_opts o;
		const char *p = opts && opts->profile ? opts->profile :
				(td->profile[0] ? td->profile : profile);

		cxl_trace_device_opts(td, &o);
		o.count_checks = opts && opts->checks;
		rc = cxl_device_create(td->name, td->model, p, &o, &devs[i], err);
		if (rc) {
			char msg[sizeof(err->msg)];

			memcpy(msg, err->msg, sizeof(msg));
			cxl_error_set(err, rc, path, td->line, td->col, "device '%s': %.400s", td->name, msg);
			goto out;
		}
		cxl_device_set_sink(devs[i], on_event, &c);
	}
	{
		bool oom;

		topo = cxl_topo_check_new(h, devs, &oom);
		if (oom) {
			rc = cxl_error_set(err, CXL_ERR_LIMIT, path, 0, 0, "out of memory");
			goto out;
		}
	}
	cxl_report_trace_begin(rep, path, h->description, profile);
	if (obs && obs->begin)
		obs->begin(obs->ctx, path, h, profile, devs);
	for (;;) {
		rc = cxl_trace_next(tr, op, &done, err);
		if (rc || done)
			break;
		if (op->kind == CXL_OP_MARK) {
			/* a mark names no device (a trace may have none at all) */
			observe_op(obs, false, nops, op);
			cxl_report_mark_at(rep, nops, op->line, op->col, op->text);
			observe_op(obs, true, nops++, op);
			continue;
		}
		if (op->dev >= h->ndevices) {
			rc = cxl_error_set(err, CXL_ERR_VALUE, path, op->line, op->col,
					   "op names device %u of %u", op->dev, h->ndevices);
			break;
		}
		c.op = nops;
		c.col = op->col;
		cxl_device_set_op(devs[op->dev], nops, op->line, op->src);
		cxl_device_set_op_flags(devs[op->dev], op->flags);
		observe_op(obs, false, nops, op);
		rc = do_op(devs[op->dev], op, rep, path, nops, err);
		if (rc)
			break;
		if (topo && op->kind != CXL_OP_CFG_READ && op->kind != CXL_OP_MMIO_READ)
			cxl_topo_check_op(topo, op->dev, nops, op->line, op->src, on_event, &c);
		observe_op(obs, true, nops, op);
		nops++;
		device_ops++;
	}
	if (!rc)
		rc = cxl_trace_finish(tr, &has_expect, err);
	if (rc)
		goto out;
	s->path = path;
	s->profile = profile;
	s->ops = nops;
	s->device_ops = device_ops;
	memcpy(s->by_severity, c.by_sev, sizeof(c.by_sev));
	s->has_expect = has_expect;
	for (unsigned i = 0; i < h->ndevices; i++) {
		const struct cxl_device_counters *k = cxl_device_counters(devs[i]);

		s->reads_checked += k->reads_checked;
		s->mismatches += k->mismatches;
		s->unmodeled += k->unmodeled;
		s->state_hash = cxl_device_hash(devs[i], s->state_hash);
		if (opts && opts->dump_state)
			cxl_report_state(rep, devs[i]);
	}
	if (opts && opts->checks)
		add_checks(opts->checks, devs, h->ndevices, topo, c.fired);
	if (has_expect) {
		rc = compare(tr, c.events, s, path, err);
		if (rc)
			goto out;
		s->pass = !s->nmissing && !s->nunexpected;
	} else {
		s->pass = c.by_sev[CXL_SEV_ERROR] == 0;
	}
	cxl_report_trace_end(rep, s);
	if (obs && obs->end)
		obs->end(obs->ctx, s);
	*pass = s->pass;
out:
	cxl_topo_check_free(topo);
	for (unsigned i = 0; i < CXL_TRACE_MAX_DEVICES; i++)
		cxl_device_destroy(devs[i]);
	if (c.events)
		fclose(c.events);
	free(s);
	free(op);
	return rc;
}

CXL_EXPORT
enum cxl_err cxl_replay_file(const char *path, const struct cxl_replay_opts *opts,
			     struct cxl_report *rep, bool *pass, struct cxl_error *err)
{
	struct cxl_trace_reader *tr = NULL;
	enum cxl_err rc = cxl_trace_open(path, &tr, err);

	if (rc)
		return rc;
	rc = cxl_replay_reader(tr, opts, rep, pass, err);
	cxl_trace_close(tr);
	return rc;
}
