/* SPDX-License-Identifier: MIT */
/*
 * html_collect.c - the HTML page's collector: a replay observer (cxlemu/observe.h) that
 * turns each replay into one run of JSON data for the page (cxlemu/html.h).
 *
 * Per op it reads the op's device back (cxl_device_snapshot()), so every event carries its
 * register's value before and after the op, and records, only when they change, each HDM
 * decoder's state and programming (cxl_device_decoders() and the Control register's fields,
 * found by their spec/ names), CONFIG_LOCK and the RWO latches. States are kept as bands
 * [from, to) over op numbers: the state after op from .. after op to - 1. Nothing is
 * formatted per op but the changes, so a run costs memory in its changes and events only.
 *
 * RWO latches are not visible through the device API; they are inferred as the model
 * behaves (emu/core/field.c): a write that changes an RWO field latches it, and a reset
 * whose scope covers the field (all fields, or the non-sticky ones for a non-sticky field)
 * releases it. A field that differs from its reset value when the device is created (host
 * firmware's CONFIG_LOCK) starts latched.
 */
#include <stdlib.h>
#include <string.h>

#include "cxlemu/catalog.h"
#include "cxlemu/decode.h"
#include "cxlemu/html.h"
#include "html_priv.h"

#define CXL_EXPORT __attribute__((visibility("default")))
#define MAX_DEC 32
#define MAX_RWO 64

/* Decoder states, as the page names them (html_page.c: STATES). */
enum { DS_IDLE, DS_PROGRAMMED, DS_ERROR, DS_COMMITTED, DS_LOCKED };

/* A yes/no lane (CONFIG_LOCK, an RWO latch): where it is set. */
struct lane {
	unsigned reg;
	uint64_t mask;
	bool sticky;             /* RWO: the field survives non-sticky resets */
	bool on;
	unsigned long from;
	const char *reg_name, *field_name;
	struct html_buf segs;    /* "[from,to]," */
};

struct dec {
	unsigned state;
	unsigned long from;
	struct cxl_decoder_prog prog;
	bool recorded;           /* a programming entry was written */
	struct html_buf segs;    /* "[from,to,state]," of non-idle states */
	struct html_buf progs;   /* "[op,state,base,size,iw,ig,ways,gran,[targets],skip]," */
};

struct dev {
	struct cxl_device *d;
	unsigned nregs;
	uint64_t *cur, *now;     /* registers before the op / after it */
	bool has_lock;
	struct lane lock;        /* CONFIG_LOCK's value */
	struct lane rwo[MAX_RWO];
	unsigned nrwo;
	unsigned ndec;
	bool port;
	int ctrl[MAX_DEC];       /* register index of each decoder's Control, -1 unknown */
	uint64_t loc_mask, err_mask;
	struct dec dec[MAX_DEC];
	struct html_buf resets;  /* "[op,\"kind\"]," resets and injections */
};

/* An event of the current op waiting for its register's value after the op. */
struct pending {
	size_t start, end;       /* its JSON record so far, in run.pend */
	int dev, reg;
};

struct run {
	unsigned long nops;
	unsigned ndev;
	struct dev *dev;         /* [ndev] */
	struct html_buf head;    /* "trace", "profile", ... keys */
	struct html_buf events, marks, pend;
	struct pending *pv;
	size_t npend, cappend;
	unsigned long nevents, dropped;
	char opdesc[160];
};

struct cxl_html {
	struct cxl_replay_observer obs;
	char title[512];
	struct html_buf runs;    /* the completed runs' objects, comma-separated */
	unsigned nruns;
	bool oom;
	struct run *cur;         /* the replay being watched, or NULL */
};

/* Frees run @r (NULL: no-op). */
static void run_free(struct run *r)
{
	if (!r)
		return;
	for (unsigned i = 0; i < r->ndev; i++) {
		struct dev *v = &r->dev[i];

		free(v->cur);
		free(v->now);
		html_buf_free(&v->lock.segs);
		for (unsigned k = 0; k < v->nrwo; k++)
			html_buf_free(&v->rwo[k].segs);
		for (unsigned k = 0; k < MAX_DEC; k++) {
			html_buf_free(&v->dec[k].segs);
			html_buf_free(&v->dec[k].progs);
		}
		html_buf_free(&v->resets);
	}
	free(r->dev);
	html_buf_free(&r->head);
	html_buf_free(&r->events);
	html_buf_free(&r->marks);
	html_buf_free(&r->pend);
	free(r->pv);
	free(r);
}

/* Sets lane @l to @on after op @op (a band ends or starts). */
static void lane_set(struct lane *l, bool on, unsigned long op)
{
	if (on == l->on)
		return;
	if (l->on && op > l->from)
		html_buf_printf(&l->segs, "[%lu,%lu],", l->from, op);
	l->on = on;
	l->from = op;
}

/* The state of decoder @k of @v from its programming @p and the registers in v->now. */
static unsigned dec_state(const struct dev *v, unsigned k, const struct cxl_decoder_prog *p)
{
	uint64_t c = v->ctrl[k] >= 0 ? v->now[v->ctrl[k]] : 0;

	if (p->committed)
		return c & v->loc_mask ? DS_LOCKED : DS_COMMITTED;
	if (c & v->err_mask)
		return DS_ERROR;
	return p->base || p->size ? DS_PROGRAMMED : DS_IDLE;
}

/* Whether two programmings are the same (every field the page shows). */
static bool prog_eq(const struct cxl_decoder_prog *a, const struct cxl_decoder_prog *b)
{
	return a->committed == b->committed && a->base == b->base && a->size == b->size &&
	       a->ig == b->ig && a->iw == b->iw && a->dpa_skip == b->dpa_skip &&
	       !memcmp(a->targets, b->targets, sizeof(a->targets));
}

/* Records @v's decoders after op @op (their states' bands and programming changes). */
static void dev_decoders(struct dev *v, unsigned long op)
{
	struct cxl_decoder_prog p[MAX_DEC];
	unsigned n = cxl_device_decoders(v->d, p, MAX_DEC, NULL);

	for (unsigned k = 0; k < n && k < v->ndec; k++) {
		struct dec *x = &v->dec[k];
		unsigned st = dec_state(v, k, &p[k]);

		if (x->recorded && st == x->state && prog_eq(&p[k], &x->prog))
			continue;
		if (st != x->state || !x->recorded) {
			if (x->recorded && x->state != DS_IDLE && op > x->from)
				html_buf_printf(&x->segs, "[%lu,%lu,%u],", x->from, op, x->state);
			if (!x->recorded || st != x->state)
				x->from = op;
		}
		x->state = st;
		x->prog = p[k];
		x->recorded = true;
		html_buf_printf(&x->progs, "[%lu,%u,", op, st);
		html_buf_hex(&x->progs, p[k].base);
		html_buf_add(&x->progs, ",", 1);
		html_buf_hex(&x->progs, p[k].size);
		{
			unsigned ways = 0;
			uint64_t gran = 0;

			/* 0: a reserved encoding (CXL r3.1 §8.2.4.20.7) */
			cxl_iw_ways(p[k].iw, &ways);
			cxl_ig_bytes(p[k].ig, &gran);
			html_buf_printf(&x->progs, ",%u,%u,%u,%llu,[", p[k].iw, p[k].ig, ways,
					(unsigned long long)gran);
		}
		for (unsigned w = 0; w < 8; w++)
			html_buf_printf(&x->progs, "%s%u", w ? "," : "", p[k].targets[w]);
		html_buf_add(&x->progs, "],", 2);
		html_buf_hex(&x->progs, p[k].dpa_skip);
		html_buf_add(&x->progs, "],", 2);
	}
}

/* Updates @v's CONFIG_LOCK and RWO lanes after op @o (index @op). */
static void dev_lanes(struct dev *v, unsigned long op, const struct cxl_op *o)
{
	bool write = false;
	unsigned space;

	if (v->has_lock)
		lane_set(&v->lock, (v->now[v->lock.reg] & v->lock.mask) != 0, op);
	cxl_op_kind_access(o->kind, &space, &write);
	for (unsigned k = 0; k < v->nrwo; k++) {
		struct lane *l = &v->rwo[k];

		if (o->kind == CXL_OP_RESET && l->on) {
			enum cxl_reset_scope s = cxl_device_reg_reset_scope(v->d, l->reg, o->reset);

			if (s == CXL_RESET_SCOPE_ALL || (s == CXL_RESET_SCOPE_NON_STICKY && !l->sticky))
				lane_set(l, false, op);
		} else if (write && !l->on && ((v->cur[l->reg] ^ v->now[l->reg]) & l->mask)) {
			lane_set(l, true, op);
		}
	}
}

/* Finds @v's HDM decoders, CONFIG_LOCK and RWO fields, and records the creation state. */
static bool dev_init(struct dev *v, struct cxl_device *d)
{
	bool ok = true;

	v->d = d;
	v->nregs = cxl_device_nregs(d);
	v->cur = calloc(v->nregs ? v->nregs : 1, sizeof(uint64_t));
	v->now = calloc(v->nregs ? v->nregs : 1, sizeof(uint64_t));
	if (!v->cur || !v->now)
		return false;
	cxl_device_snapshot(d, v->cur, v->nregs);
	memcpy(v->now, v->cur, v->nregs * sizeof(uint64_t));
	{
		struct cxl_decoder_prog p[MAX_DEC];

		v->ndec = cxl_device_decoders(d, p, MAX_DEC, &v->port);
	}
	for (unsigned k = 0; k < v->ndec; k++) {
		char name[64];

		snprintf(name, sizeof(name), "HDM Decoder %u Control", k);
		v->ctrl[k] = cxl_device_find_reg(d, name);
	}
	for (unsigned i = 0; i < v->nregs; i++) {
		unsigned nf = cxl_device_reg_nfields(d, i);
		const char *rname = "";
		unsigned space;
		uint32_t off;
		uint64_t val;

		cxl_device_reg_info(d, i, &space, &off, &rname, &val);
		for (unsigned j = 0; j < nf; j++) {
			const char *fname, *lock;
			unsigned lo, hi, acc;
			uint64_t reset, mask;

			if (!cxl_device_field_info(d, i, j, &fname, &lo, &hi, &acc, &lock, &reset))
				continue;
			mask = (hi >= 63 ? ~0ULL : (1ULL << (hi + 1)) - 1) & ~((1ULL << lo) - 1);
			if (v->ndec && (int)i == v->ctrl[0]) {
				if (!strcmp(fname, "Lock_On_Commit"))
					v->loc_mask = mask;
				else if (!strcmp(fname, "Error_Not_Committed"))
					v->err_mask = mask;
			}
			if (!v->has_lock && !strcmp(fname, "CONFIG_LOCK")) {
				v->has_lock = true;
				v->lock.reg = i;
				v->lock.mask = mask;
				v->lock.reg_name = rname;
				v->lock.field_name = fname;
				lane_set(&v->lock, (v->cur[i] & mask) != 0, 0);
			}
			if (!strcmp(cxl_access_write_word(acc), "take-once") && v->nrwo < MAX_RWO) {
				struct lane *l = &v->rwo[v->nrwo++];

				l->reg = i;
				l->mask = mask;
				l->sticky = cxl_access_sticky(acc);
				l->reg_name = rname;
				l->field_name = fname;
				lane_set(l, ((v->cur[i] & mask) >> lo) != reset, 0);
			}
		}
	}
	dev_decoders(v, 0);
	return ok;
}

/* The index of the device named @name in @r, or -1. */
static int dev_find(const struct run *r, const char *name)
{
	for (unsigned i = 0; i < r->ndev; i++)
		if (!strcmp(cxl_device_name(r->dev[i].d), name))
			return (int)i;
	return -1;
}

/* Writes @o as the page shows it ("cfg-write 0x10c/2 = 0x6 (vmm)") into @buf. */
static void op_describe(const struct cxl_op *o, char *buf, size_t len)
{
	const char *k = cxl_op_kind_name(o->kind);
	unsigned long long off = (unsigned long long)o->offset, val = (unsigned long long)o->value;
	unsigned space;
	bool write = false;

	if (cxl_op_kind_access(o->kind, &space, &write) && (write || o->has_value))
		snprintf(buf, len, "%s 0x%llx/%u %s 0x%llx", k, off, o->size, write ? "=" : "->", val);
	else if (cxl_op_kind_access(o->kind, &space, &write))
		snprintf(buf, len, "%s 0x%llx/%u", k, off, o->size);
	else if (o->kind == CXL_OP_RESET)
		snprintf(buf, len, "%s %s", k, cxl_reset_kind_name(o->reset));
	else if (o->kind == CXL_OP_INJECT)
		snprintf(buf, len, "%s %s %u", k, cxl_inject_kind_name(o->inject), o->bit);
	else
		snprintf(buf, len, "%s", k);
	if (o->flags & CXL_OPF_VMM)
		strncat(buf, " (vmm)", len - strlen(buf) - 1);
	if (o->flags & CXL_OPF_FAILED)
		strncat(buf, " (failed)", len - strlen(buf) - 1);
}

/* Observer hook: a replay of @path under @profile starts; a run that never ended is dropped. */
static void on_begin(void *ctx, const char *path, const struct cxl_trace_header *h,
		     const char *profile, struct cxl_device *const *devs)
{
	struct cxl_html *x = ctx;
	struct run *r;

	run_free(x->cur);
	x->cur = r = calloc(1, sizeof(*r));
	if (!r || !(r->dev = calloc(h->ndevices ? h->ndevices : 1, sizeof(*r->dev)))) {
		x->oom = true;
		run_free(r);
		x->cur = NULL;
		return;
	}
	r->ndev = h->ndevices;
	for (unsigned i = 0; i < h->ndevices; i++)
		if (!dev_init(&r->dev[i], devs[i]))
			x->oom = true;
	html_buf_puts(&r->head, "\"trace\":");
	html_buf_json(&r->head, path);
	html_buf_puts(&r->head, ",\"description\":");
	html_buf_json(&r->head, h->description);
	html_buf_puts(&r->head, ",\"profile\":");
	html_buf_json(&r->head, profile);
	html_buf_puts(&r->head, ",\"source\":");
	html_buf_json(&r->head, h->source);
	html_buf_puts(&r->head, ",\"windows\":[");
	for (unsigned i = 0; i < h->nwindows; i++) {
		const struct cxl_trace_window *w = &h->windows[i];

		html_buf_puts(&r->head, i ? ",{\"name\":" : "{\"name\":");
		html_buf_json(&r->head, w->name);
		html_buf_printf(&r->head, ",\"placed\":%s,\"base\":", w->has_base ? "true" : "false");
		html_buf_hex(&r->head, w->base);
		html_buf_puts(&r->head, ",\"size\":");
		html_buf_hex(&r->head, w->size);
		html_buf_printf(&r->head, ",\"gran\":%u,\"targets\":[", w->granularity);
		for (unsigned t = 0; t < w->ntargets; t++) {
			if (t)
				html_buf_add(&r->head, ",", 1);
			html_buf_json(&r->head, w->targets[t]);
		}
		html_buf_puts(&r->head, "]}");
	}
	html_buf_puts(&r->head, "]");
}

/* Observer hook: op @idx starts (marks, resets and injections are recorded here). */
static void on_op_begin(void *ctx, unsigned long idx, const struct cxl_op *o)
{
	struct cxl_html *x = ctx;
	struct run *r = x->cur;

	if (!r)
		return;
	r->npend = 0;
	html_buf_clear(&r->pend);
	op_describe(o, r->opdesc, sizeof(r->opdesc));
	if (o->kind == CXL_OP_MARK) {
		html_buf_printf(&r->marks, "[%lu,", idx);
		html_buf_json(&r->marks, o->text);
		html_buf_add(&r->marks, "],", 2);
	} else if ((o->kind == CXL_OP_RESET || o->kind == CXL_OP_INJECT) && o->dev < r->ndev) {
		html_buf_printf(&r->dev[o->dev].resets, "[%lu,", idx);
		html_buf_json(&r->dev[o->dev].resets, r->opdesc);
		html_buf_add(&r->dev[o->dev].resets, "],", 2);
	}
}

/* Observer hook: one event of the current op, kept until the op ends (for its values after). */
static void on_event(void *ctx, const struct cxl_event *ev)
{
	struct cxl_html *x = ctx;
	struct run *r = x->cur;
	struct pending *p;
	char detail[512];
	const char *spec;
	int dev;

	if (!r)
		return;
	if (r->nevents + r->npend >= CXL_HTML_MAX_EVENTS) {
		r->dropped++;
		return;
	}
	if (r->npend == r->cappend) {
		size_t cap = r->cappend ? r->cappend * 2 : 16;
		struct pending *nv = realloc(r->pv, cap * sizeof(*nv));

		if (!nv) {
			x->oom = true;
			return;
		}
		r->pv = nv;
		r->cappend = cap;
	}
	dev = dev_find(r, ev->device);
	p = &r->pv[r->npend++];
	p->dev = dev;
	p->reg = dev >= 0 && ev->reg[0] ? cxl_device_find_reg(r->dev[dev].d, ev->reg) : -1;
	p->start = r->pend.n;
	cxl_event_detail(ev, detail, sizeof(detail));
	spec = cxl_rule_spec(ev->rule);
	if (!strcmp(spec, "-"))
		spec = ev->reg_spec;
	html_buf_printf(&r->pend, "[%lu,%u,", ev->op, ev->severity);
	html_buf_json(&r->pend, cxl_rule_id(ev->rule));
	html_buf_printf(&r->pend, ",%d,", dev);
	html_buf_json(&r->pend, ev->reg);
	html_buf_add(&r->pend, ",", 1);
	html_buf_json(&r->pend, ev->field);
	html_buf_add(&r->pend, ",", 1);
	html_buf_json(&r->pend, spec);
	html_buf_add(&r->pend, ",", 1);
	html_buf_json(&r->pend, cxl_rule_message(ev->rule));
	html_buf_add(&r->pend, ",", 1);
	html_buf_json(&r->pend, detail);
	html_buf_add(&r->pend, ",", 1);
	html_buf_json(&r->pend, ev->src);
	html_buf_printf(&r->pend, ",%lu,", ev->line);
	html_buf_json(&r->pend, r->opdesc);
	p->end = r->pend.n;
}

/* Observer hook: op @idx is done: its events get their values, the op's device its bands. */
static void on_op_end(void *ctx, unsigned long idx, const struct cxl_op *o)
{
	struct cxl_html *x = ctx;
	struct run *r = x->cur;
	struct dev *v = NULL;

	if (!r)
		return;
	r->nops = idx + 1;
	if (o->kind != CXL_OP_MARK && o->dev < r->ndev) {
		v = &r->dev[o->dev];
		cxl_device_snapshot(v->d, v->now, v->nregs);
	}
	for (size_t i = 0; i < r->npend; i++) {
		const struct pending *p = &r->pv[i];

		html_buf_add(&r->events, r->pend.p + p->start, p->end - p->start);
		if (p->reg >= 0 && (unsigned)p->reg < r->dev[p->dev].nregs) {
			const struct dev *e = &r->dev[p->dev];

			html_buf_add(&r->events, ",", 1);
			html_buf_hex(&r->events, e->cur[p->reg]);
			html_buf_add(&r->events, ",", 1);
			html_buf_hex(&r->events, e == v ? e->now[p->reg] : e->cur[p->reg]);
			html_buf_add(&r->events, "],", 2);
		} else {
			html_buf_puts(&r->events, ",null,null],");
		}
		r->nevents++;
	}
	if (r->pend.oom || r->events.oom)
		x->oom = true;
	r->npend = 0;
	if (v) {
		uint64_t *t;

		dev_lanes(v, idx, o);
		dev_decoders(v, idx);
		t = v->cur;
		v->cur = v->now;
		v->now = t;
	}
}

/* Appends "[...]" of the band list @segs (its trailing comma dropped) to @b. */
static void put_list(struct html_buf *b, const struct html_buf *segs)
{
	html_buf_add(b, "[", 1);
	if (segs->n)
		html_buf_add(b, segs->p, segs->n - 1);
	html_buf_add(b, "]", 1);
	if (segs->oom)
		b->oom = true;
}

/* Appends device @v's object to @b, closing its open bands at @nops. */
static void put_device(struct html_buf *b, struct dev *v, unsigned long nops)
{
	bool first = true;

	html_buf_puts(b, "{\"name\":");
	html_buf_json(b, cxl_device_name(v->d));
	html_buf_puts(b, ",\"model\":");
	html_buf_json(b, cxl_device_model_name(v->d));
	html_buf_puts(b, ",\"profile\":");
	html_buf_json(b, cxl_device_profile_name(v->d));
	html_buf_puts(b, ",\"kind\":");
	html_buf_json(b, cxl_kind_word(cxl_device_kind(v->d)));
	html_buf_printf(b, ",\"port\":%s,\"lanes\":[", v->port ? "true" : "false");
	for (unsigned k = 0; k <= v->nrwo; k++) {
		struct lane *l = k == 0 ? &v->lock : &v->rwo[k - 1];
		bool was = l->on;

		if (k == 0 && !v->has_lock)
			continue;
		lane_set(l, false, nops);
		l->on = was;
		if (k > 0 && !l->segs.n)
			continue;   /* an RWO field never latched: no lane */
		html_buf_puts(b, first ? "{\"kind\":" : ",{\"kind\":");
		first = false;
		html_buf_json(b, k == 0 ? "lock" : "rwo");
		html_buf_puts(b, ",\"reg\":");
		html_buf_json(b, l->reg_name);
		html_buf_puts(b, ",\"field\":");
		html_buf_json(b, l->field_name);
		html_buf_puts(b, ",\"segs\":");
		put_list(b, &l->segs);
		html_buf_puts(b, "}");
	}
	html_buf_puts(b, "],\"decoders\":[");
	for (unsigned k = 0; k < v->ndec; k++) {
		struct dec *x = &v->dec[k];

		if (x->state != DS_IDLE && nops > x->from)
			html_buf_printf(&x->segs, "[%lu,%lu,%u],", x->from, nops, x->state);
		html_buf_printf(b, "%s{\"n\":%u,\"segs\":", k ? "," : "", k);
		put_list(b, &x->segs);
		html_buf_puts(b, ",\"progs\":");
		put_list(b, &x->progs);
		html_buf_puts(b, "}");
	}
	html_buf_puts(b, "],\"resets\":");
	put_list(b, &v->resets);
	html_buf_puts(b, "}");
}

/* Observer hook: the replay ended with summary @s; the run is complete. */
static void on_end(void *ctx, const struct cxl_trace_summary *s)
{
	struct cxl_html *x = ctx;
	struct run *r = x->cur;
	struct html_buf *b = &x->runs;

	if (!r)
		return;
	html_buf_puts(b, x->nruns ? ",{" : "{");
	html_buf_cat(b, &r->head);
	html_buf_printf(b, ",\"nops\":%lu,\"summary\":{\"pass\":%s,\"has_expect\":%s,"
			"\"notes\":%lu,\"warnings\":%lu,\"errors\":%lu,\"reads_checked\":%lu,"
			"\"mismatches\":%lu,\"unmodeled\":%lu,\"nexpected\":%lu,\"nmissing\":%lu,"
			"\"nunexpected\":%lu,\"skip\":%s,\"state_hash\":\"%016llx\",\"missing\":[",
			s->ops, s->pass ? "true" : "false", s->has_expect ? "true" : "false",
			s->by_severity[0], s->by_severity[1], s->by_severity[2], s->reads_checked,
			s->mismatches, s->unmodeled, s->nexpected, s->nmissing, s->nunexpected,
			s->device_ops ? "false" : "true", (unsigned long long)s->state_hash);
	for (unsigned long i = 0; i < s->nmissing && i < CXL_REPORT_MAX_DIFFS; i++) {
		html_buf_printf(b, "%s[%lu,", i ? "," : "", s->missing[i].op);
		html_buf_json(b, s->missing[i].rule_id);
		html_buf_printf(b, ",%lu]", s->missing[i].line);
	}
	html_buf_puts(b, "],\"unexpected\":[");
	for (unsigned long i = 0; i < s->nunexpected && i < CXL_REPORT_MAX_DIFFS; i++) {
		html_buf_printf(b, "%s[%lu,", i ? "," : "", s->unexpected[i].op);
		html_buf_json(b, s->unexpected[i].rule_id);
		html_buf_printf(b, ",%lu]", s->unexpected[i].line);
	}
	html_buf_puts(b, "]},\"devices\":[");
	for (unsigned i = 0; i < r->ndev; i++) {
		if (i)
			html_buf_add(b, ",", 1);
		put_device(b, &r->dev[i], s->ops);
	}
	html_buf_puts(b, "],\"marks\":");
	put_list(b, &r->marks);
	html_buf_puts(b, ",\"events\":");
	put_list(b, &r->events);
	html_buf_printf(b, ",\"events_dropped\":%lu}", r->dropped);
	if (b->oom)
		x->oom = true;
	x->nruns++;
	run_free(r);
	x->cur = NULL;
}

CXL_EXPORT
struct cxl_html *cxl_html_new(const char *title)
{
	struct cxl_html *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	snprintf(h->title, sizeof(h->title), "%s", title ? title : "cxlemu");
	h->obs.ctx = h;
	h->obs.begin = on_begin;
	h->obs.op_begin = on_op_begin;
	h->obs.event = on_event;
	h->obs.op_end = on_op_end;
	h->obs.end = on_end;
	return h;
}

CXL_EXPORT
const struct cxl_replay_observer *cxl_html_observer(struct cxl_html *h)
{
	return &h->obs;
}

CXL_EXPORT
unsigned cxl_html_runs(const struct cxl_html *h)
{
	return h->nruns;
}

CXL_EXPORT
bool cxl_html_write(struct cxl_html *h, FILE *out)
{
	struct html_buf data = { 0 };
	bool ok;

	if (h->oom || h->runs.oom)
		return false;
	html_buf_puts(&data, "{\"format\":\"cxlemu-html\",\"version\":1,\"title\":");
	html_buf_json(&data, h->title);
	html_buf_printf(&data, ",\"states\":[\"idle\",\"programmed\",\"error-not-committed\","
			"\"committed\",\"locked\"],\"runs\":[");
	html_buf_cat(&data, &h->runs);
	html_buf_puts(&data, "]}");
	ok = !data.oom && cxl_html_page(out, h->title, data.p, data.n);
	html_buf_free(&data);
	return ok;
}

CXL_EXPORT
void cxl_html_free(struct cxl_html *h)
{
	if (!h)
		return;
	run_free(h->cur);
	html_buf_free(&h->runs);
	free(h);
}
