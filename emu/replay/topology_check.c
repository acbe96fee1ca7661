/* SPDX-License-Identifier: MIT */
/*
 * topology_check.c - cross-device decode rules: what Linux's region assembly checks of a
 * CXL hierarchy, judged on the HDM decoders the trace committed (spec/rules.yaml topo.*).
 *
 * The trace's topology (parents, nodes, CFMWS windows; traces/README.md) says where each
 * device sits. After every op that changes a device's committed decoders, every rule is
 * judged on the decoders committed now, and each violation is reported once, at the op that
 * made it (it is reported again only after one of its decoders changed). The facts used
 * (behaviour, not code, of Linux drivers/cxl/core/region.c):
 *
 *  - Routing (CXL r3.1 §9.13.1): a level with W ways and granularity G sends HPA h to its
 *    target (h / G) mod W: the window to targets[], a port (host bridge, switch USP) to the
 *    Target List entry of the committed decoder that claims h. For powers of two this is
 *    HPA[IG+8+IW-1:IG+8]; for a 3/6/12-way window the modulo arithmetic of the CFMWS.
 *  - The levels of an endpoint decoder C of device E, top down: the window that contains C
 *    and targets E's host bridge (when the trace has windows), then every ancestor of E with
 *    port HDM decoders, by its committed decoder that contains C. The branch of E at a level
 *    is the index of E's host bridge in the window's targets, or of the port number of the
 *    child of the ancestor on E's path in the Target List. The levels are complete when each
 *    is known (a covering window, a covering committed decoder, the child's port: given).
 *  - Compose (topo.interleave-compose), with the levels complete: the levels with more than
 *    one way, top down, L1..Lm: ways(C) = W1 x ... x Wm, G(L1) = G(C) and G(Li+1) = G(Li) x
 *    W(Li) (the top level uses the lowest HPA bits, each lower one the next bits: Linux sets
 *    a port's granularity to its parent's granularity times the parent's ways, and needs the
 *    region granularity equal to an interleaved window's). With no interleaving level,
 *    ways(C) = 1. A trace without windows has no window level (taken as one way).
 *  - Position (topo.target-position), when it composes: of the chunks base + k x G(C), k =
 *    0 .. ways(C) - 1, those that every level routes to E's branch; none means the device is
 *    at no position of its set. Exactly one is its position.
 *  - Overlap (topo.decoder-overlap): two committed endpoint decoders of different devices
 *    that overlap are one interleave set only with the same base, size, ways (more than one)
 *    and granularity, and positions that are not known to be equal.
 *  - Window (topo.outside-window): with windows in the trace, every committed decoder with a
 *    size lies inside a placed window that targets its device's host bridge.
 *  - Parent (topo.outside-parent): a committed decoder of E with a size, against the nearest
 *    ancestor A with port HDM decoders: it fails when it partly overlaps a committed decoder
 *    of A, or when A commits a decoder after it and still none of A's committed decoders
 *    contains it (Linux commits a region's decoders from the endpoint up, so an ancestor
 *    that has not committed yet is not a violation).
 *
 * Devices without a known place (no parent, and nobody's parent) are not judged; a trace
 * without topology gets no checker at all.
 */
#include <stdlib.h>
#include <string.h>

#include "cxlemu/catalog.h"
#include "cxlemu/decode.h"
#include "topology_check.h"

#define MAXDEC CXL_TRACE_MAX_HDM_DECODERS
#define NELEM (CXL_TRACE_MAX_DEVICES + CXL_TRACE_MAX_NODES)
#define MAXLEVELS (NELEM + 1)

struct tdev {
	unsigned ndec;
	bool port;                          /* port decoders (Target Lists), not an endpoint's */
	bool known;                         /* has a parent, or is somebody's parent */
	struct cxl_decoder_prog dec[MAXDEC];
	unsigned long commit_op[MAXDEC];    /* op of the decoder's last commit */
};

/* One reported violation: rule, decoder (dev, dec) and peer (dev, dec; -1 none). */
struct seen { unsigned rule; int dev, dec, pdev, pdec; };

struct cxl_topo_check {
	const struct cxl_trace_header *h;
	struct cxl_device *const *devs;
	int parent[NELEM];                  /* element index of the parent, -1 none */
	int portno[NELEM];
	struct tdev d[CXL_TRACE_MAX_DEVICES];
	struct seen *seen;
	size_t nseen, capseen;
	char text[512];
	unsigned long held[CXL_RULE__COUNT];  /* checks that held (coverage), per rule */
};

struct level { unsigned ways, gran, branch; bool window; };

static unsigned nelem(const struct cxl_topo_check *t)
{
	return t->h->ndevices + t->h->nnodes;
}

static const char *ename(const struct cxl_topo_check *t, int e)
{
	return (unsigned)e < t->h->ndevices ? t->h->devices[e].name :
					      t->h->nodes[(unsigned)e - t->h->ndevices].name;
}

/* The host bridge of element @e: the root of its parents. */
static int root_of(const struct cxl_topo_check *t, int e)
{
	for (unsigned n = 0; t->parent[e] >= 0 && n < NELEM; n++)
		e = t->parent[e];
	return e;
}

/* Decoder @p's ways, or 0 for a reserved encoding. */
static unsigned ways_of(const struct cxl_decoder_prog *p)
{
	unsigned w = 0;

	return cxl_iw_ways(p->iw, &w) ? w : 0;
}

static unsigned gran_of(const struct cxl_decoder_prog *p)
{
	uint64_t g = 0;

	return cxl_ig_bytes(p->ig, &g) ? (unsigned)g : 0;
}

/* Whether [b, b + s) lies in [B, B + S) (s, S > 0; no overflow). */
static bool inside(uint64_t b, uint64_t s, uint64_t B, uint64_t S)
{
	return b >= B && b - B <= S && s <= S - (b - B);
}

static bool overlap(uint64_t b, uint64_t s, uint64_t B, uint64_t S)
{
	return b < B ? B - b < s : b - B < S;
}

/* Whether decoder @k of device @i is committed with a size (it claims addresses). */
static bool live(const struct cxl_topo_check *t, unsigned i, unsigned k)
{
	return t->d[i].dec[k].committed && t->d[i].dec[k].size;
}

/* The window containing [b, b + s) that targets @root, or -1; *@branch: @root's index in it. */
static int window_for(const struct cxl_topo_check *t, int root, uint64_t b, uint64_t s,
		      unsigned *branch)
{
	const struct cxl_trace_header *h = t->h;

	for (unsigned w = 0; w < h->nwindows; w++) {
		const struct cxl_trace_window *x = &h->windows[w];

		if (!x->has_base || !inside(b, s, x->base, x->size))
			continue;
		for (unsigned k = 0; k < x->ntargets; k++)
			if (!strcmp(x->targets[k], ename(t, root))) {
				*branch = k;
				return (int)w;
			}
	}
	return -1;
}

/* The nearest ancestor of element @e that is a device with port HDM decoders, or -1. */
static int decoder_ancestor(const struct cxl_topo_check *t, int e)
{
	for (unsigned n = 0; (e = t->parent[e]) >= 0 && n < NELEM; n++)
		if ((unsigned)e < t->h->ndevices && t->d[e].port && t->d[e].ndec)
			return e;
	return -1;
}

/* The committed decoder of device @a containing [b, b + s), or -1. */
static int covering(const struct cxl_topo_check *t, int a, uint64_t b, uint64_t s)
{
	for (unsigned k = 0; k < t->d[a].ndec; k++)
		if (live(t, (unsigned)a, k) && inside(b, s, t->d[a].dec[k].base, t->d[a].dec[k].size))
			return (int)k;
	return -1;
}

/*
 * The levels of endpoint decoder @k of device @e, top down, into @lv; returns how many, or
 * -1 when they are not complete (see the file comment).
 */
static int levels(const struct cxl_topo_check *t, unsigned e, unsigned k, struct level *lv)
{
	const struct cxl_decoder_prog *c = &t->d[e].dec[k];
	int chain[NELEM], n = 0, nl = 0, x = (int)e;

	if (t->h->nwindows) {
		unsigned br = 0;
		int w = window_for(t, root_of(t, (int)e), c->base, c->size, &br);

		if (w < 0)
			return -1;
		lv[nl++] = (struct level){ t->h->windows[w].ntargets, t->h->windows[w].granularity, br, true };
	}
	while (n < NELEM && x >= 0) {   /* e, its parent, ..., the root */
		chain[n++] = x;
		x = t->parent[x];
	}
	for (int i = n - 1; i >= 1; i--) {
		int a = chain[i], child = chain[i - 1], dk;
		const struct cxl_decoder_prog *p;
		unsigned w, j;

		if ((unsigned)a >= t->h->ndevices || !t->d[a].port || !t->d[a].ndec)
			continue;   /* no decoders: it forwards what it gets */
		dk = covering(t, a, c->base, c->size);
		if (dk < 0 || t->portno[child] < 0)
			return -1;
		p = &t->d[a].dec[dk];
		w = ways_of(p);
		if (!w || !gran_of(p) || w > 8)
			return -1;   /* hdm.commit-encoding's business */
		for (j = 0; j < w && p->targets[j] != (unsigned)t->portno[child]; j++)
			;
		lv[nl++] = (struct level){ w, gran_of(p), j, false };   /* j == w: not listed */
	}
	return nl;
}

/* Whether the levels @lv[0..n) compose for decoder @c (the rule of the file comment). */
static bool composes(const struct cxl_decoder_prog *c, const struct level *lv, int n)
{
	uint64_t ways = 1, g = gran_of(c), want = 0;

	for (int i = 0; i < n; i++) {
		if (lv[i].ways < 2)
			continue;
		if (want ? lv[i].gran != want : lv[i].gran != g)
			return false;
		want = (uint64_t)lv[i].gran * lv[i].ways;
		ways *= lv[i].ways;
	}
	return ways == ways_of(c);
}

/* How many positions of decoder @c the levels route to the device; *@pos the last one. */
static unsigned positions(const struct cxl_decoder_prog *c, const struct level *lv, int n,
			  unsigned *pos)
{
	unsigned count = 0, w = ways_of(c);
	uint64_t g = gran_of(c);

	for (unsigned k = 0; k < w; k++) {
		uint64_t a = c->base + k * g;
		bool ok = true;

		for (int i = 0; i < n && ok; i++)
			ok = lv[i].branch < lv[i].ways && (a / lv[i].gran) % lv[i].ways == lv[i].branch;
		if (ok) {
			count++;
			*pos = k;
		}
	}
	return count;
}

/* The position of endpoint decoder @k of @e when the levels fix it; -1 otherwise. */
static int position_of(const struct cxl_topo_check *t, unsigned e, unsigned k)
{
	struct level lv[MAXLEVELS];
	int n = levels(t, e, k, lv);
	unsigned pos = 0;

	if (n < 0 || !composes(&t->d[e].dec[k], lv, n) || positions(&t->d[e].dec[k], lv, n, &pos) != 1)
		return -1;
	return (int)pos;
}

/* Whether (rule, dev, dec, pdev, pdec) was reported; else records it and returns false. */
static bool reported(struct cxl_topo_check *t, unsigned rule, int dev, int dec, int pdev, int pdec)
{
	for (size_t i = 0; i < t->nseen; i++) {
		const struct seen *s = &t->seen[i];

		if (s->rule == rule && s->dev == dev && s->dec == dec && s->pdev == pdev && s->pdec == pdec)
			return true;
	}
	if (t->nseen == t->capseen) {
		size_t cap = t->capseen ? t->capseen * 2 : 32;
		struct seen *v = realloc(t->seen, cap * sizeof(*v));

		if (!v)
			return true;   /* out of memory: report nothing more rather than repeat */
		t->seen = v;
		t->capseen = cap;
	}
	t->seen[t->nseen++] = (struct seen){ rule, dev, dec, pdev, pdec };
	return false;
}

/* Forgets the reports that involve decoder @k of device @i (it changed). */
static void forget(struct cxl_topo_check *t, int i, int k)
{
	size_t n = 0;

	for (size_t j = 0; j < t->nseen; j++) {
		const struct seen *s = &t->seen[j];

		if (!((s->dev == i && s->dec == k) || (s->pdev == i && s->pdec == k)))
			t->seen[n++] = *s;
	}
	t->nseen = n;
}

struct emit { cxl_event_fn fn; void *ctx; unsigned long op, line; const char *src; };

/* Sends one event of @rule about device @i; t->text (its detail text) describes it. */
static void emit(struct cxl_topo_check *t, const struct emit *x, unsigned rule, unsigned i)
{
	struct cxl_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.op = x->op;
	ev.line = x->line;
	ev.src = x->src ? x->src : "";
	ev.device = t->h->devices[i].name;
	ev.reg = "";
	ev.field = "";
	ev.reg_spec = "";
	ev.rule = rule;
	ev.severity = cxl_rule_severity(rule);
	ev.detail = CXL_DETAIL_TEXT;
	ev.text = t->text;
	x->fn(x->ctx, &ev);
}

/* "HDM Decoder K [base, +size)" of decoder @k of device @i into @buf. */
static void dec_text(const struct cxl_topo_check *t, unsigned i, unsigned k, char *buf, size_t len)
{
	const struct cxl_decoder_prog *p = &t->d[i].dec[k];

	snprintf(buf, len, "HDM Decoder %u [0x%llx, +0x%llx) %u-way %u B", k,
		 (unsigned long long)p->base, (unsigned long long)p->size, ways_of(p), gran_of(p));
}

/* Judges every rule on the committed decoders; @trig is the device whose op changed them. */
static void judge(struct cxl_topo_check *t, unsigned trig, const struct emit *x)
{
	const struct cxl_trace_header *h = t->h;
	char a[96], b[96];

	for (unsigned i = 0; i < h->ndevices; i++) {
		if (!t->d[i].known)
			continue;
		for (unsigned k = 0; k < t->d[i].ndec; k++) {
			const struct cxl_decoder_prog *c = &t->d[i].dec[k];
			struct level lv[MAXLEVELS];
			unsigned br = 0, pos = 0;
			int anc, n;

			if (!live(t, i, k))
				continue;
			dec_text(t, i, k, a, sizeof(a));
			/* topo.outside-window */
			if (h->nwindows && window_for(t, root_of(t, (int)i), c->base, c->size, &br) >= 0)
				t->held[CXL_RULE_TOPO_OUTSIDE_WINDOW]++;
			else if (h->nwindows && !reported(t, CXL_RULE_TOPO_OUTSIDE_WINDOW, (int)i, (int)k, -1, -1)) {
				snprintf(t->text, sizeof(t->text), "%s: in no window targeting host bridge %s",
					 a, ename(t, root_of(t, (int)i)));
				emit(t, x, CXL_RULE_TOPO_OUTSIDE_WINDOW, i);
			}
			/* topo.outside-parent */
			anc = decoder_ancestor(t, (int)i);
			if (anc >= 0 && covering(t, anc, c->base, c->size) >= 0)
				t->held[CXL_RULE_TOPO_OUTSIDE_PARENT]++;
			else if (anc >= 0) {
				int bad = -1;

				for (unsigned m = 0; m < t->d[anc].ndec && bad < 0; m++)
					if (live(t, (unsigned)anc, m) &&
					    overlap(c->base, c->size, t->d[anc].dec[m].base, t->d[anc].dec[m].size))
						bad = (int)m;
				if (bad < 0 && (unsigned)anc == trig) {
					for (unsigned m = 0; m < t->d[anc].ndec && bad < 0; m++)
						if (live(t, (unsigned)anc, m) && t->d[anc].commit_op[m] == x->op &&
						    t->d[i].commit_op[k] < x->op)
							bad = (int)m;
				}
				if (bad >= 0 && !reported(t, CXL_RULE_TOPO_OUTSIDE_PARENT, (int)i, (int)k, anc, bad)) {
					dec_text(t, (unsigned)anc, (unsigned)bad, b, sizeof(b));
					snprintf(t->text, sizeof(t->text), "%s: not inside %s %s", a, ename(t, anc), b);
					emit(t, x, CXL_RULE_TOPO_OUTSIDE_PARENT, i);
				}
			}
			if (t->d[i].port)
				continue;
			/* topo.interleave-compose, topo.target-position (endpoint decoders) */
			n = levels(t, i, k, lv);
			if (n >= 0 && !composes(c, lv, n)) {
				if (!reported(t, CXL_RULE_TOPO_INTERLEAVE_COMPOSE, (int)i, (int)k, -1, -1)) {
					size_t at = (size_t)snprintf(t->text, sizeof(t->text), "%s: levels", a);

					for (int l = 0; l < n && at < sizeof(t->text); l++)
						at += (size_t)snprintf(t->text + at, sizeof(t->text) - at, " %s %u-way %u B",
								       lv[l].window ? "window" : "port", lv[l].ways,
								       lv[l].gran);
					emit(t, x, CXL_RULE_TOPO_INTERLEAVE_COMPOSE, i);
				}
			} else if (n >= 0) {
				t->held[CXL_RULE_TOPO_INTERLEAVE_COMPOSE]++;
				if (positions(c, lv, n, &pos)) {
					t->held[CXL_RULE_TOPO_TARGET_POSITION]++;
				} else if (!reported(t, CXL_RULE_TOPO_TARGET_POSITION, (int)i, (int)k, -1, -1)) {
					snprintf(t->text, sizeof(t->text), "%s: no position routed to %s", a,
						 ename(t, (int)i));
					emit(t, x, CXL_RULE_TOPO_TARGET_POSITION, i);
				}
			}
			/* topo.decoder-overlap: against the endpoint decoders of the devices before it */
			for (unsigned j = 0; j < i; j++) {
				if (!t->d[j].known || t->d[j].port)
					continue;
				for (unsigned m = 0; m < t->d[j].ndec; m++) {
					const struct cxl_decoder_prog *q = &t->d[j].dec[m];
					int pi, pj;
					bool set;
					unsigned who;

					if (!live(t, j, m))
						continue;
					if (!overlap(c->base, c->size, q->base, q->size)) {
						t->held[CXL_RULE_TOPO_DECODER_OVERLAP]++;
						continue;
					}
					pi = position_of(t, i, k);
					pj = position_of(t, j, m);
					set = c->base == q->base && c->size == q->size && c->iw == q->iw &&
					      c->ig == q->ig && ways_of(c) > 1 && !(pi >= 0 && pi == pj);
					if (set)
						t->held[CXL_RULE_TOPO_DECODER_OVERLAP]++;   /* one interleave set */
					if (set || reported(t, CXL_RULE_TOPO_DECODER_OVERLAP, (int)j, (int)m, (int)i, (int)k))
						continue;
					who = trig == j ? j : i;
					dec_text(t, j, m, b, sizeof(b));
					if (who == i)
						snprintf(t->text, sizeof(t->text), "%s overlaps %s %s", a, h->devices[j].name, b);
					else
						snprintf(t->text, sizeof(t->text), "%s overlaps %s %s", b, h->devices[i].name, a);
					emit(t, x, CXL_RULE_TOPO_DECODER_OVERLAP, who);
				}
			}
		}
	}
}

struct cxl_topo_check *cxl_topo_check_new(const struct cxl_trace_header *h,
					  struct cxl_device *const *devs, bool *oom)
{
	struct cxl_topo_check *t;
	bool any = h->nwindows || h->nnodes;

	*oom = false;
	for (unsigned i = 0; i < h->ndevices; i++)
		any |= h->devices[i].parent[0] != '\0';
	if (!any)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t) {
		*oom = true;
		return NULL;
	}
	t->h = h;
	t->devs = devs;
	for (unsigned e = 0; e < nelem(t); e++) {
		const char *p = e < h->ndevices ? h->devices[e].parent : h->nodes[e - h->ndevices].parent;

		t->parent[e] = p[0] ? cxl_trace_topo_find(h, p) : -1;
		t->portno[e] = e < h->ndevices ? h->devices[e].port : h->nodes[e - h->ndevices].port;
		if (!p[0])
			t->portno[e] = -1;
	}
	for (unsigned e = 0; e < nelem(t); e++) {
		if (t->parent[e] < 0)
			continue;
		if (e < h->ndevices)
			t->d[e].known = true;
		if ((unsigned)t->parent[e] < h->ndevices)
			t->d[t->parent[e]].known = true;
	}
	for (unsigned i = 0; i < h->ndevices; i++) {
		unsigned kind = cxl_device_kind(devs[i]);

		/* CXL r3.1 §8.2.4.20: HDM decoders route at host bridges and switch upstream ports
		 * and decode at devices; a root or downstream port's are not on the path */
		if (kind == CXL_KIND_ROOT_PORT || kind == CXL_KIND_DSP)
			continue;
		t->d[i].ndec = cxl_device_decoders(devs[i], t->d[i].dec, MAXDEC, &t->d[i].port);
		t->d[i].port = kind != CXL_KIND_DEVICE;
	}
	return t;
}

/* Whether two decoder programs decode alike (what the rules look at). */
static bool same_prog(const struct cxl_decoder_prog *a, const struct cxl_decoder_prog *b)
{
	return a->committed == b->committed && a->base == b->base && a->size == b->size &&
	       a->ig == b->ig && a->iw == b->iw && !memcmp(a->targets, b->targets, sizeof(a->targets));
}

void cxl_topo_check_op(struct cxl_topo_check *t, unsigned dev, unsigned long op,
		       unsigned long line, const char *src, cxl_event_fn fn, void *ctx)
{
	struct cxl_decoder_prog now[MAXDEC];
	struct emit x = { fn, ctx, op, line, src };
	bool commit = false, port = false;
	unsigned n;

	if (!t || dev >= t->h->ndevices || !t->d[dev].ndec)
		return;
	n = cxl_device_decoders(t->devs[dev], now, MAXDEC, &port);
	for (unsigned k = 0; k < n && k < t->d[dev].ndec; k++) {
		if (same_prog(&now[k], &t->d[dev].dec[k]))
			continue;
		forget(t, (int)dev, (int)k);
		if (now[k].committed) {
			commit = true;
			t->d[dev].commit_op[k] = op;
		}
		t->d[dev].dec[k] = now[k];
	}
	if (commit)
		judge(t, dev, &x);
}

void cxl_topo_check_free(struct cxl_topo_check *t)
{
	if (!t)
		return;
	free(t->seen);
	free(t);
}

const unsigned long *cxl_topo_check_held(const struct cxl_topo_check *t)
{
	return t->held;
}
