/* SPDX-License-Identifier: MIT */
/*
 * specgen - turn spec/ YAML files into C tables (spec_tables.c, spec_tables.h).
 *
 * Usage: specgen -o spec_tables.c -H spec_tables.h FILE.yaml...
 *
 * Each input is one of: a structure (top-level key "structure"), a device
 * model ("model"), a profile ("profile") or the rule list (a sequence).
 * The schema is documented in spec/README.md. Every problem is reported as
 * "file:line:col: error: message" and the build fails (exit 2); the outputs
 * are only written when every input is valid.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "cxlemu/spec.h"

#define MAX_FIELDS 8192
#define MAX_REGS 2048
#define MAX_STRUCTS 64
#define MAX_INITS 1024
#define MAX_PLACES 256
#define MAX_MODELS 64
#define MAX_OVR 512
#define MAX_PROFILES 32
#define MAX_RULES 128
#define MAX_ENC 32

struct gfield {
	char *name;
	unsigned lo, hi, access, else_access, lock, action, variants;
	int cap_reg;
	unsigned cap_lo, cap_hi;
	uint64_t reset;
};
struct greg {
	char *id, *name, *spec;
	unsigned offset, width, role, variants, field0, nfields;
	bool repeated;
};
struct gstruct {
	char *id, *name, *spec, *file;
	unsigned space, size, resets[CXL_NRESETS];
	bool opaque, has_variants, rep_hdm;
	unsigned reg0, nregs, rep_reg0, rep_nregs, rep_base, rep_stride, rep_max;
	int rep_count;
	unsigned nenc;
	unsigned enc[MAX_ENC];
};
struct ginit { unsigned reg, instance; uint64_t value; };
struct gplace { unsigned structure, at, size, variant, init0, ninit; int count; };
struct gmodel { char *name, *desc; unsigned kind, place0, nplace; bool config_space; };
struct govr { unsigned reg; int field; int access; bool drop_if_capable; };
struct gprofile {
	char *name, *desc;
	unsigned config_lock, decoder_lock, checks, commit, rread, ovr0, novr;
	bool uncommit, loc_clear, auto_clear;
};
struct grule { char *id, *message, *spec; unsigned severity; };

static struct gfield fields[MAX_FIELDS];
static struct greg regs[MAX_REGS];
static struct gstruct structs[MAX_STRUCTS];
static struct ginit inits[MAX_INITS];
static struct gplace places[MAX_PLACES];
static struct gmodel models[MAX_MODELS];
static struct govr ovrs[MAX_OVR];
static struct gprofile profiles[MAX_PROFILES];
static struct grule rules[MAX_RULES];
static unsigned nfields, nregs, nstructs, ninits, nplaces, nmodels, novrs, nprofiles, nrules;

#define W(n, w) w,
static const char *const access_words[] = { CXL_ACCESS_LIST(W) NULL };
static const char *const lock_words[] = { CXL_LOCK_LIST(W) NULL };
static const char *const action_words[] = { CXL_ACTION_LIST(W) NULL };
static const char *const role_words[] = { CXL_ROLE_LIST(W) NULL };
static const char *const scope_words[] = { CXL_SCOPE_LIST(W) NULL };
static const char *const space_words[] = { CXL_SPACE_LIST(W) NULL };
static const char *const kind_words[] = { CXL_KIND_LIST(W) NULL };
static const char *const variant_words[] = { CXL_VARIANT_LIST(W) NULL };
static const char *const clm_words[] = { CXL_CONFIG_LOCK_MODE_LIST(W) NULL };
static const char *const dlm_words[] = { CXL_DECODER_LOCK_MODE_LIST(W) NULL };
static const char *const chk_words[] = { CXL_CHECKS_MODE_LIST(W) NULL };
static const char *const cmt_words[] = { CXL_COMMIT_MODE_LIST(W) NULL };
static const char *const rr_words[] = { CXL_REJECTED_READ_LIST(W) NULL };
static const char *const sev_words[] = { CXL_SEVERITY_LIST(W) NULL };
static const char *const reset_words[] = { CXL_RESET_WORDS, NULL };
#undef W

/* The document being processed: for error locations. */
static const char *cur_file;
static yaml_document_t *cur_doc;

/* Prints "file:line:col: error: ..." for @n (or the file) and exits 2. */
static void __attribute__((noreturn, format(printf, 2, 3)))
fail(yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	if (n)
		fprintf(stderr, "%s:%zu:%zu: error: ", cur_file,
			n->start_mark.line + 1, n->start_mark.column + 1);
	else
		fprintf(stderr, "%s: error: ", cur_file);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* Returns a heap copy of @s; exits on allocation failure. */
static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p) {
		fprintf(stderr, "specgen: out of memory\n");
		exit(2);
	}
	return p;
}

static yaml_node_t *node(int id)
{
	return yaml_document_get_node(cur_doc, id);
}

/* Returns the scalar text of @n, failing unless @n is a scalar. */
static const char *scalar(yaml_node_t *n, const char *what)
{
	if (!n || n->type != YAML_SCALAR_NODE)
		fail(n, "%s must be a scalar", what);
	return (const char *)n->data.scalar.value;
}

/* Parses an unsigned decimal or 0x-hex 64-bit number; fails otherwise. */
static uint64_t number(yaml_node_t *n, const char *what)
{
	const char *s = scalar(n, what);
	char *end;
	uint64_t v;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		fail(n, "%s: expected a number, got '%s'", what, s);
	errno = 0;
	v = strtoull(s, &end, (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 10);
	if (errno || *end)
		fail(n, "%s: expected a number, got '%s'", what, s);
	return v;
}

/* Maps a word to its index in @words; fails listing the choices. */
static unsigned word(yaml_node_t *n, const char *const *words, const char *what)
{
	const char *s = scalar(n, what);
	char choices[512] = "";

	for (unsigned i = 0; words[i]; i++)
		if (!strcmp(s, words[i]))
			return i;
	for (unsigned i = 0; words[i]; i++) {
		strncat(choices, words[i], sizeof(choices) - strlen(choices) - 3);
		if (words[i + 1])
			strncat(choices, ", ", sizeof(choices) - strlen(choices) - 1);
	}
	fail(n, "unknown %s '%s' (one of: %s)", what, s, choices);
}

/* Looks @key up in mapping @m; NULL when absent. Fails if @m is not a mapping. */
static yaml_node_t *get(yaml_node_t *m, const char *key)
{
	yaml_node_pair_t *p;

	if (!m || m->type != YAML_MAPPING_NODE)
		fail(m, "expected a mapping");
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node(p->key);

		if (k->type == YAML_SCALAR_NODE && !strcmp((char *)k->data.scalar.value, key))
			return node(p->value);
	}
	return NULL;
}

/* Like get() but the key is required. */
static yaml_node_t *need(yaml_node_t *m, const char *key)
{
	yaml_node_t *v = get(m, key);

	if (!v)
		fail(m, "missing required key '%s'", key);
	return v;
}

/* Fails on any key of mapping @m not in the NULL-terminated @allowed, or on duplicates. */
static void only_keys(yaml_node_t *m, const char *const *allowed)
{
	yaml_node_pair_t *p, *q;

	if (!m || m->type != YAML_MAPPING_NODE)
		fail(m, "expected a mapping");
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node(p->key);
		const char *ks = scalar(k, "key");
		bool ok = false;

		for (unsigned i = 0; allowed[i]; i++)
			ok |= !strcmp(ks, allowed[i]);
		if (!ok)
			fail(k, "unknown key '%s'", ks);
		for (q = m->data.mapping.pairs.start; q < p; q++)
			if (!strcmp(scalar(node(q->key), "key"), ks))
				fail(k, "duplicate key '%s'", ks);
	}
}

static size_t seq_len(yaml_node_t *s)
{
	if (!s || s->type != YAML_SEQUENCE_NODE)
		fail(s, "expected a sequence");
	return (size_t)(s->data.sequence.items.top - s->data.sequence.items.start);
}

static yaml_node_t *seq_at(yaml_node_t *s, size_t i)
{
	return node(s->data.sequence.items.start[i]);
}

/* Parses "hi:lo" or "bit" into @lo/@hi, checking hi >= lo and hi < @width. */
static void bits(yaml_node_t *n, unsigned width, unsigned *lo, unsigned *hi)
{
	const char *s = scalar(n, "bits");
	unsigned a, b;
	char tail;

	if (sscanf(s, "%u:%u%c", &a, &b, &tail) == 2) {
		*hi = a;
		*lo = b;
	} else if (sscanf(s, "%u%c", &a, &tail) == 1) {
		*hi = *lo = a;
	} else {
		fail(n, "bits must be 'N' or 'HI:LO', got '%s'", s);
	}
	if (*hi < *lo)
		fail(n, "bits '%s': high bit below low bit", s);
	if (*hi >= width)
		fail(n, "bits '%s' exceed the %u-bit register", s, width);
}

static uint64_t field_mask(unsigned lo, unsigned hi)
{
	unsigned n = hi - lo + 1;

	return (n >= 64 ? ~0ULL : ((1ULL << n) - 1)) << lo;
}

/* Parses a variant list (only: device | [device, port]) into a bitmask. */
static unsigned variants_of(yaml_node_t *n)
{
	unsigned m = 0;

	if (!n)
		return 0;
	if (n->type == YAML_SEQUENCE_NODE) {
		for (size_t i = 0; i < seq_len(n); i++)
			m |= 1u << word(seq_at(n, i), variant_words, "variant");
		return m;
	}
	return 1u << word(n, variant_words, "variant");
}

/* Registers pending an if-capable resolution: (field, node, "reg.field"). */
struct pending_cap { unsigned field; yaml_node_t *n; char *ref; };
static struct pending_cap pend[MAX_FIELDS];
static unsigned npend;

/* Parses one register mapping of structure @st; returns its index. */
static unsigned parse_reg(yaml_node_t *rn, struct gstruct *st, bool repeated)
{
	static const char *const keys[] = { "id", "name", "offset", "width", "spec",
		"role", "only", "fields", NULL };
	static const char *const fkeys[] = { "name", "bits", "access", "reset", "lock",
		"action", "if-capable", "else", "only", NULL };
	struct greg *r;
	yaml_node_t *fl;
	unsigned idx;

	if (nregs >= MAX_REGS)
		fail(rn, "too many registers");
	only_keys(rn, keys);
	idx = nregs++;
	r = &regs[idx];
	r->id = xstrdup(scalar(need(rn, "id"), "id"));
	r->name = xstrdup(scalar(need(rn, "name"), "name"));
	r->spec = xstrdup(scalar(need(rn, "spec"), "spec"));
	r->offset = (unsigned)number(need(rn, "offset"), "offset");
	r->width = (unsigned)number(need(rn, "width"), "width");
	r->repeated = repeated;
	if (r->width != 8 && r->width != 16 && r->width != 32 && r->width != 64)
		fail(need(rn, "width"), "width must be 8, 16, 32 or 64");
	if (r->offset % (r->width / 8))
		fail(need(rn, "offset"), "offset 0x%x is not aligned to the %u-bit width",
		     r->offset, r->width);
	r->role = get(rn, "role") ? word(get(rn, "role"), role_words, "role") : CXL_ROLE_NONE;
	r->variants = variants_of(get(rn, "only"));
	if (r->variants && !st->has_variants)
		fail(get(rn, "only"), "'only' in a structure without variants");
	fl = need(rn, "fields");
	r->field0 = nfields;
	for (size_t i = 0; i < seq_len(fl); i++) {
		yaml_node_t *fn = seq_at(fl, i);
		struct gfield *f;

		if (nfields >= MAX_FIELDS)
			fail(fn, "too many fields");
		only_keys(fn, fkeys);
		f = &fields[nfields];
		memset(f, 0, sizeof(*f));
		f->name = xstrdup(scalar(need(fn, "name"), "name"));
		bits(need(fn, "bits"), r->width, &f->lo, &f->hi);
		f->access = word(need(fn, "access"), access_words, "access");
		f->else_access = CXL_ACC_RO;
		f->cap_reg = -1;
		f->variants = variants_of(get(fn, "only"));
		if (f->variants && !st->has_variants)
			fail(get(fn, "only"), "'only' in a structure without variants");
		if (get(fn, "reset")) {
			f->reset = number(get(fn, "reset"), "reset");
			if (f->reset & ~(field_mask(f->lo, f->hi) >> f->lo))
				fail(get(fn, "reset"), "reset value does not fit in bits %u:%u",
				     f->hi, f->lo);
		}
		if (f->access == CXL_ACC_RWL) {
			f->lock = word(need(fn, "lock"), lock_words, "lock");
			if (f->lock == CXL_LOCK_NONE)
				fail(get(fn, "lock"), "an RWL field needs a lock source");
		} else if (get(fn, "lock")) {
			fail(get(fn, "lock"), "'lock' is only meaningful for RWL fields");
		}
		if (f->access == CXL_ACC_DOORBELL)
			f->action = word(need(fn, "action"), action_words, "action");
		else if (get(fn, "action"))
			fail(get(fn, "action"), "'action' is only meaningful for Doorbell fields");
		if (get(fn, "if-capable")) {
			pend[npend].field = nfields;
			pend[npend].n = get(fn, "if-capable");
			pend[npend].ref = xstrdup(scalar(get(fn, "if-capable"), "if-capable"));
			npend++;
			if (get(fn, "else"))
				f->else_access = word(get(fn, "else"), access_words, "else");
		} else if (get(fn, "else")) {
			fail(get(fn, "else"), "'else' needs 'if-capable'");
		}
		nfields++;
	}
	r->nfields = nfields - r->field0;
	if (!r->nfields)
		fail(fl, "a register needs at least one field");
	/* Per variant, the fields must tile the register exactly once. */
	for (unsigned v = 0; v < CXL_VARIANT__COUNT; v++) {
		uint64_t seen = 0, all = r->width == 64 ? ~0ULL : ((1ULL << r->width) - 1);

		if (!st->has_variants && v > 0)
			break;
		if (r->variants && !(r->variants & (1u << v)))
			continue;
		for (unsigned j = r->field0; j < nfields; j++) {
			uint64_t m = field_mask(fields[j].lo, fields[j].hi);

			if (fields[j].variants && !(fields[j].variants & (1u << v)))
				continue;
			if (seen & m)
				fail(fl, "register '%s': field '%s' overlaps another field",
				     r->id, fields[j].name);
			seen |= m;
		}
		if (seen != all)
			fail(fl, "register '%s': fields leave bits 0x%" PRIx64 " undescribed",
			     r->id, all & ~seen);
	}
	return idx;
}

/* Returns the global index of register @id in structure @s (fixed part first), or -1. */
static int find_reg(const struct gstruct *s, const char *id, bool *repeated)
{
	for (unsigned i = s->reg0; i < s->reg0 + s->nregs; i++)
		if (!strcmp(regs[i].id, id)) {
			*repeated = false;
			return (int)i;
		}
	for (unsigned i = s->rep_reg0; i < s->rep_reg0 + s->rep_nregs; i++)
		if (!strcmp(regs[i].id, id)) {
			*repeated = true;
			return (int)i;
		}
	return -1;
}

/* Adds the three PCIe DVSEC header registers (PCIe r6.0 §7.9.6) for a dvsec-header: key. */
static void add_dvsec_header(yaml_node_t *h, struct gstruct *s)
{
	static const char *const keys[] = { "id", "revision", "length", NULL };
	uint64_t id, rev, len;
	struct { const char *id, *name, *spec; unsigned off, width, nf; } hr[3] = {
		{ "ecap-hdr", "DVSEC Extended Capability Header", "PCIe r6.0 §7.9.6.1", 0, 32, 3 },
		{ "hdr1", "DVSEC Header 1", "PCIe r6.0 §7.9.6.2", 4, 32, 3 },
		{ "hdr2", "DVSEC Header 2", "PCIe r6.0 §7.9.6.3", 8, 16, 1 },
	};
	struct { const char *name; unsigned lo, hi; uint64_t reset; } hf[7];

	only_keys(h, keys);
	id = number(need(h, "id"), "id");
	rev = number(need(h, "revision"), "revision");
	len = number(need(h, "length"), "length");
	hf[0] = (typeof(hf[0])){ "Capability_ID", 0, 15, 0x23 };
	hf[1] = (typeof(hf[0])){ "Capability_Version", 16, 19, 1 };
	hf[2] = (typeof(hf[0])){ "Next_Capability_Offset", 20, 31, 0 };
	hf[3] = (typeof(hf[0])){ "DVSEC_Vendor_ID", 0, 15, 0x1e98 };
	hf[4] = (typeof(hf[0])){ "DVSEC_Revision", 16, 19, rev };
	hf[5] = (typeof(hf[0])){ "DVSEC_Length", 20, 31, len };
	hf[6] = (typeof(hf[0])){ "DVSEC_ID", 0, 15, id };
	for (unsigned i = 0, k = 0; i < 3; i++) {
		struct greg *r = &regs[nregs++];

		memset(r, 0, sizeof(*r));
		r->id = xstrdup(hr[i].id);
		r->name = xstrdup(hr[i].name);
		r->spec = xstrdup(hr[i].spec);
		r->offset = hr[i].off;
		r->width = hr[i].width;
		r->field0 = nfields;
		r->nfields = hr[i].nf;
		for (unsigned j = 0; j < hr[i].nf; j++, k++) {
			struct gfield *f = &fields[nfields++];

			memset(f, 0, sizeof(*f));
			f->name = xstrdup(hf[k].name);
			f->lo = hf[k].lo;
			f->hi = hf[k].hi;
			f->access = CXL_ACC_RO;
			f->cap_reg = -1;
			f->reset = hf[k].reset;
		}
	}
	(void)s;
}

/* Parses a structure file. */
static void parse_structure(yaml_node_t *root)
{
	static const char *const keys[] = { "structure", "name", "space", "size", "spec",
		"resets", "registers", "repeat", "variants", "dvsec-header", "opaque",
		"decoder-count-encoding", NULL };
	static const char *const rkeys[] = { "name", "count", "max", "base", "stride",
		"registers", NULL };
	struct gstruct *s;
	yaml_node_t *n, *rs;

	only_keys(root, keys);
	if (nstructs >= MAX_STRUCTS)
		fail(root, "too many structures");
	s = &structs[nstructs];
	memset(s, 0, sizeof(*s));
	s->id = xstrdup(scalar(need(root, "structure"), "structure"));
	for (unsigned i = 0; i < nstructs; i++)
		if (!strcmp(structs[i].id, s->id))
			fail(need(root, "structure"), "structure '%s' defined twice (also in %s)",
			     s->id, structs[i].file);
	s->file = xstrdup(cur_file);
	s->name = xstrdup(scalar(need(root, "name"), "name"));
	s->spec = xstrdup(scalar(need(root, "spec"), "spec"));
	s->space = word(need(root, "space"), space_words, "space");
	s->size = (unsigned)number(need(root, "size"), "size");
	s->rep_count = -1;
	if ((n = get(root, "opaque")))
		s->opaque = !strcmp(scalar(n, "opaque"), "true");
	if ((n = get(root, "variants"))) {
		if (variants_of(n) != (1u << CXL_VARIANT__COUNT) - 1)
			fail(n, "variants must list every variant");
		s->has_variants = true;
	}
	n = need(root, "resets");
	only_keys(n, reset_words);
	for (unsigned k = 0; k < CXL_NRESETS; k++)
		s->resets[k] = word(need(n, reset_words[k]), scope_words, "reset scope");
	if ((n = get(root, "decoder-count-encoding"))) {
		s->nenc = (unsigned)seq_len(n);
		if (s->nenc > MAX_ENC)
			fail(n, "too many encodings");
		for (unsigned i = 0; i < s->nenc; i++)
			s->enc[i] = (unsigned)number(seq_at(n, i), "decoder count");
	}
	s->reg0 = nregs;
	if ((n = get(root, "dvsec-header")))
		add_dvsec_header(n, s);
	if ((rs = get(root, "registers")))
		for (size_t i = 0; i < seq_len(rs); i++)
			parse_reg(seq_at(rs, i), s, false);
	s->nregs = nregs - s->reg0;
	if ((n = get(root, "repeat"))) {
		yaml_node_t *c;

		only_keys(n, rkeys);
		c = need(n, "count");
		if (c->type == YAML_SCALAR_NODE && ((char *)c->data.scalar.value)[0] >= '0' &&
		    ((char *)c->data.scalar.value)[0] <= '9') {
			s->rep_count = (int)number(c, "count");
		} else {
			s->rep_hdm = !strcmp(scalar(c, "count"), "hdm-decoders");
			if (s->rep_hdm && !s->nenc)
				fail(c, "hdm-decoders count needs decoder-count-encoding");
		}
		s->rep_max = (unsigned)number(need(n, "max"), "max");
		s->rep_base = (unsigned)number(need(n, "base"), "base");
		s->rep_stride = (unsigned)number(need(n, "stride"), "stride");
		if (s->rep_count > (int)s->rep_max)
			fail(c, "count exceeds max");
		s->rep_reg0 = nregs;
		rs = need(n, "registers");
		for (size_t i = 0; i < seq_len(rs); i++) {
			unsigned r = parse_reg(seq_at(rs, i), s, true);

			if (regs[r].offset + regs[r].width / 8 > s->rep_stride)
				fail(seq_at(rs, i), "register '%s' extends past the stride",
				     regs[r].id);
		}
		s->rep_nregs = nregs - s->rep_reg0;
	}
	for (unsigned i = s->reg0; i < s->reg0 + s->nregs; i++) {
		if (regs[i].offset + regs[i].width / 8 > s->size)
			fail(root, "register '%s' lies beyond size 0x%x", regs[i].id, s->size);
		for (unsigned j = s->reg0; j < i; j++) {
			bool vdis = regs[i].variants && regs[j].variants &&
				    !(regs[i].variants & regs[j].variants);

			if (!vdis && regs[i].offset < regs[j].offset + regs[j].width / 8 &&
			    regs[j].offset < regs[i].offset + regs[i].width / 8)
				fail(root, "registers '%s' and '%s' overlap", regs[j].id, regs[i].id);
		}
	}
	/* Resolve if-capable references to fixed registers of this structure. */
	for (unsigned p = 0; p < npend; p++) {
		char reg[128], fld[128];
		bool rep;
		int ri;
		unsigned j;

		if (sscanf(pend[p].ref, "%127[^.].%127s", reg, fld) != 2)
			fail(pend[p].n, "if-capable must be 'register.field'");
		ri = find_reg(s, reg, &rep);
		if (ri < 0 || rep)
			fail(pend[p].n, "if-capable: no fixed register '%s' in %s", reg, s->id);
		for (j = regs[ri].field0; j < regs[ri].field0 + regs[ri].nfields; j++)
			if (!strcmp(fields[j].name, fld))
				break;
		if (j == regs[ri].field0 + regs[ri].nfields)
			fail(pend[p].n, "if-capable: no field '%s' in '%s'", fld, reg);
		fields[pend[p].field].cap_reg = ri - (int)s->reg0;
		fields[pend[p].field].cap_lo = fields[j].lo;
		fields[pend[p].field].cap_hi = fields[j].hi;
		free(pend[p].ref);
	}
	npend = 0;
	nstructs++;
}

static int find_struct(const char *id)
{
	for (unsigned i = 0; i < nstructs; i++)
		if (!strcmp(structs[i].id, id))
			return (int)i;
	return -1;
}

/* Parses a device model file. */
static void parse_model(yaml_node_t *root)
{
	static const char *const keys[] = { "model", "description", "kind", "config-space",
		"place", NULL };
	static const char *const pkeys[] = { "structure", "at", "size", "variant", "count",
		"init", NULL };
	struct gmodel *m;
	yaml_node_t *pl;

	only_keys(root, keys);
	if (nmodels >= MAX_MODELS)
		fail(root, "too many models");
	m = &models[nmodels];
	m->name = xstrdup(scalar(need(root, "model"), "model"));
	for (unsigned i = 0; i < nmodels; i++)
		if (!strcmp(models[i].name, m->name))
			fail(need(root, "model"), "model '%s' defined twice", m->name);
	m->desc = xstrdup(scalar(need(root, "description"), "description"));
	m->kind = word(need(root, "kind"), kind_words, "kind");
	m->config_space = !strcmp(scalar(need(root, "config-space"), "config-space"), "true");
	pl = need(root, "place");
	m->place0 = nplaces;
	for (size_t i = 0; i < seq_len(pl); i++) {
		yaml_node_t *pn = seq_at(pl, i), *n;
		struct gplace *p = &places[nplaces];
		struct gstruct *s;
		int si;
		unsigned end;

		if (nplaces >= MAX_PLACES)
			fail(pn, "too many placements");
		only_keys(pn, pkeys);
		memset(p, 0, sizeof(*p));
		si = find_struct(scalar(need(pn, "structure"), "structure"));
		if (si < 0)
			fail(need(pn, "structure"), "unknown structure '%s'",
			     scalar(need(pn, "structure"), "structure"));
		s = &structs[si];
		p->structure = (unsigned)si;
		p->at = (unsigned)number(need(pn, "at"), "at");
		if (s->space == CXL_SPACE_CONFIG && !m->config_space)
			fail(pn, "config-space structure in a model without config space");
		if (p->at % 4)
			fail(need(pn, "at"), "placement must be 4-byte aligned");
		p->count = s->rep_count;
		if ((n = get(pn, "count"))) {
			if (!s->rep_nregs)
				fail(n, "structure '%s' has no repeat", s->id);
			p->count = (int)number(n, "count");
			if (p->count < 0 || p->count > (int)s->rep_max)
				fail(n, "count %d is outside 0..%u", p->count, s->rep_max);
		}
		if (s->rep_nregs && p->count < 0)
			fail(pn, "structure '%s' needs a count", s->id);
		if (s->has_variants)
			p->variant = word(need(pn, "variant"), variant_words, "variant");
		else if (get(pn, "variant"))
			fail(get(pn, "variant"), "structure '%s' has no variants", s->id);
		end = s->rep_nregs ? s->rep_base + (unsigned)p->count * s->rep_stride : s->size;
		if (end < s->size)
			end = s->size;
		if ((n = get(pn, "size"))) {
			p->size = (unsigned)number(n, "size");
			if (!p->size || p->size > end)
				fail(n, "size must be 1..0x%x", end);
			end = p->size;
		}
		if (p->at + end > (s->space == CXL_SPACE_CONFIG ? 0x1000u : 0x10000u))
			fail(pn, "structure does not fit in %s space", space_words[s->space]);
		p->init0 = ninits;
		if ((n = get(pn, "init"))) {
			yaml_node_pair_t *q;

			if (n->type != YAML_MAPPING_NODE)
				fail(n, "init must be a mapping");
			for (q = n->data.mapping.pairs.start; q < n->data.mapping.pairs.top; q++) {
				yaml_node_t *k = node(q->key);
				char id[128];
				unsigned inst = 0;
				bool rep;
				int ri;
				uint64_t v, wmask;

				if (ninits >= MAX_INITS)
					fail(k, "too many init values");
				if (sscanf(scalar(k, "register"), "%127[^.].%u", id, &inst) < 1)
					fail(k, "bad register reference");
				ri = find_reg(s, id, &rep);
				if (ri < 0)
					fail(k, "no register '%s' in %s", id, s->id);
				if (!rep && strchr(scalar(k, "register"), '.'))
					fail(k, "register '%s' is not repeated", id);
				if (rep && (p->count < 0 || inst >= (unsigned)p->count))
					fail(k, "instance %u out of range", inst);
				v = number(node(q->value), "init value");
				wmask = regs[ri].width == 64 ? ~0ULL : (1ULL << regs[ri].width) - 1;
				if (v & ~wmask)
					fail(node(q->value), "value does not fit in %u bits", regs[ri].width);
				inits[ninits++] = (struct ginit){ (unsigned)ri, inst, v };
			}
		}
		p->ninit = ninits - p->init0;
		/* Placements must not overlap within one space. */
		for (unsigned j = m->place0; j < nplaces; j++) {
			struct gplace *o = &places[j];
			struct gstruct *os = &structs[o->structure];
			unsigned oend = o->size ? o->size :
				(os->rep_nregs ? os->rep_base + (unsigned)o->count * os->rep_stride : os->size);

			if (oend < os->size && !o->size)
				oend = os->size;
			if (os->space == s->space && p->at < o->at + oend && o->at < p->at + end)
				fail(pn, "placement overlaps %s at 0x%x", os->id, o->at);
		}
		nplaces++;
	}
	m->nplace = nplaces - m->place0;
	nmodels++;
}

/* Parses a profile file. */
static void parse_profile(yaml_node_t *root)
{
	static const char *const keys[] = { "profile", "description", "locks", "hdm", "access",
		"fields", NULL };
	static const char *const lkeys[] = { "config-lock", "decoder", NULL };
	static const char *const hkeys[] = { "commit-checks", "commit", "uncommit",
		"loc-clear-path", "auto-clear-commit", NULL };
	static const char *const akeys[] = { "rejected-read", NULL };
	static const char *const okeys[] = { "structure", "register", "field", "access",
		"if-capable", NULL };
	struct gprofile *p;
	yaml_node_t *n, *fl;

	only_keys(root, keys);
	if (nprofiles >= MAX_PROFILES)
		fail(root, "too many profiles");
	p = &profiles[nprofiles];
	p->name = xstrdup(scalar(need(root, "profile"), "profile"));
	for (unsigned i = 0; i < nprofiles; i++)
		if (!strcmp(profiles[i].name, p->name))
			fail(need(root, "profile"), "profile '%s' defined twice", p->name);
	p->desc = xstrdup(scalar(need(root, "description"), "description"));
	n = need(root, "locks");
	only_keys(n, lkeys);
	p->config_lock = word(need(n, "config-lock"), clm_words, "config-lock mode");
	p->decoder_lock = word(need(n, "decoder"), dlm_words, "decoder lock mode");
	n = need(root, "hdm");
	only_keys(n, hkeys);
	p->checks = word(need(n, "commit-checks"), chk_words, "commit-checks mode");
	p->commit = word(need(n, "commit"), cmt_words, "commit mode");
	p->uncommit = !strcmp(scalar(need(n, "uncommit"), "uncommit"), "true");
	p->loc_clear = !strcmp(scalar(need(n, "loc-clear-path"), "loc-clear-path"), "true");
	p->auto_clear = !strcmp(scalar(need(n, "auto-clear-commit"), "auto-clear-commit"), "true");
	n = need(root, "access");
	only_keys(n, akeys);
	p->rread = word(need(n, "rejected-read"), rr_words, "rejected-read mode");
	fl = need(root, "fields");
	p->ovr0 = novrs;
	for (size_t i = 0; i < seq_len(fl); i++) {
		yaml_node_t *on = seq_at(fl, i);
		struct govr *o = &ovrs[novrs];
		const char *fname;
		bool rep;
		int si, ri;

		if (novrs >= MAX_OVR)
			fail(on, "too many overrides");
		only_keys(on, okeys);
		si = find_struct(scalar(need(on, "structure"), "structure"));
		if (si < 0)
			fail(need(on, "structure"), "unknown structure");
		ri = find_reg(&structs[si], scalar(need(on, "register"), "register"), &rep);
		if (ri < 0)
			fail(need(on, "register"), "no register '%s' in %s",
			     scalar(need(on, "register"), "register"), structs[si].id);
		o->reg = (unsigned)ri;
		fname = scalar(need(on, "field"), "field");
		o->field = -1;
		o->access = get(on, "access") ?
			(int)word(get(on, "access"), access_words, "access") : -1;
		if (o->access == CXL_ACC_RWL || o->access == CXL_ACC_DOORBELL)
			fail(get(on, "access"), "an override cannot introduce RWL or Doorbell");
		if ((n = get(on, "if-capable"))) {
			if (strcmp(scalar(n, "if-capable"), "none"))
				fail(n, "an override can only say 'if-capable: none'");
			o->drop_if_capable = true;
		}
		if (!strcmp(fname, "*")) {
			novrs++;
			continue;
		}
		/* A name can stand for several fields (one per variant): override each. */
		{
			struct govr tmpl = *o;
			bool found = false;

			for (unsigned j = 0; j < regs[ri].nfields; j++) {
				if (strcmp(fields[regs[ri].field0 + j].name, fname))
					continue;
				if (novrs >= MAX_OVR)
					fail(on, "too many overrides");
				ovrs[novrs] = tmpl;
				ovrs[novrs].field = (int)j;
				novrs++;
				found = true;
			}
			if (!found)
				fail(need(on, "field"), "no field '%s' in '%s'", fname, regs[ri].id);
		}
	}
	p->novr = novrs - p->ovr0;
	nprofiles++;
}

/* Parses the rule list. */
static void parse_rules(yaml_node_t *root)
{
	static const char *const keys[] = { "id", "severity", "message", "spec", NULL };

	for (size_t i = 0; i < seq_len(root); i++) {
		yaml_node_t *rn = seq_at(root, i);
		struct grule *r = &rules[nrules];

		if (nrules >= MAX_RULES)
			fail(rn, "too many rules");
		only_keys(rn, keys);
		r->id = xstrdup(scalar(need(rn, "id"), "id"));
		for (const char *c = r->id; *c; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '.' ||
			      *c == '-'))
				fail(need(rn, "id"), "rule id '%s': use [a-z0-9.-]", r->id);
		for (unsigned j = 0; j < nrules; j++)
			if (!strcmp(rules[j].id, r->id))
				fail(need(rn, "id"), "rule '%s' defined twice", r->id);
		r->severity = word(need(rn, "severity"), sev_words, "severity");
		r->message = xstrdup(scalar(need(rn, "message"), "message"));
		r->spec = xstrdup(scalar(need(rn, "spec"), "spec"));
		nrules++;
	}
}

/* Writes @s as a C string literal. */
static void cstr(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\%03o", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

/* Writes the rule id as an enum name: field.ro-write -> CXL_RULE_FIELD_RO_WRITE. */
static void rule_enum(FILE *f, const char *id)
{
	fputs("CXL_RULE_", f);
	for (; *id; id++)
		fputc(*id == '.' || *id == '-' ? '_' : (*id >= 'a' && *id <= 'z') ? *id - 32 : *id, f);
}

static void emit_header(FILE *f)
{
	fputs("/* Generated by tools/specgen from spec/ YAML files. Do not edit. */\n"
	      "#ifndef CXLEMU_SPEC_TABLES_H\n#define CXLEMU_SPEC_TABLES_H\n"
	      "#include \"cxlemu/spec.h\"\n\nenum cxl_rule {\n", f);
	for (unsigned i = 0; i < nrules; i++) {
		fputs("\t", f);
		rule_enum(f, rules[i].id);
		fprintf(f, " = %u,\n", i);
	}
	fputs("\tCXL_RULE__COUNT\n};\n\n#endif\n", f);
}

static void emit_tables(FILE *f)
{
	fputs("/* Generated by tools/specgen from spec/ YAML files. Do not edit. */\n"
	      "#include <stddef.h>\n#include \"spec_tables.h\"\n\n", f);
	for (unsigned i = 0; i < nstructs; i++) {
		if (!structs[i].nenc)
			continue;
		fprintf(f, "static const uint8_t count_enc_%u[] = {", i);
		for (unsigned j = 0; j < structs[i].nenc; j++)
			fprintf(f, "%s%u", j ? ", " : " ", structs[i].enc[j]);
		fputs(" };\n", f);
	}
	fputs("\nconst struct cxl_field_spec cxl_spec_fields[] = {\n", f);
	for (unsigned i = 0; i < nfields; i++) {
		struct gfield *x = &fields[i];

		fputs("\t{ ", f);
		cstr(f, x->name);
		fprintf(f, ", %u, %u, %u, %u, %u, %u, 0x%x, %d, %u, %u, 0x%" PRIx64 "ULL },\n",
			x->lo, x->hi, x->access, x->else_access, x->lock, x->action, x->variants,
			x->cap_reg, x->cap_lo, x->cap_hi, x->reset);
	}
	fputs("};\n\nconst struct cxl_reg_spec cxl_spec_regs[] = {\n", f);
	for (unsigned i = 0; i < nregs; i++) {
		struct greg *r = &regs[i];

		fputs("\t{ ", f);
		cstr(f, r->id);
		fputs(", ", f);
		cstr(f, r->name);
		fputs(", ", f);
		cstr(f, r->spec);
		fprintf(f, ", 0x%x, %u, %u, 0x%x, %u, %u },\n", r->offset, r->width, r->role,
			r->variants, r->field0, r->nfields);
	}
	fputs("};\n\nconst struct cxl_struct_spec cxl_spec_structs[] = {\n", f);
	for (unsigned i = 0; i < nstructs; i++) {
		struct gstruct *s = &structs[i];

		fputs("\t{ ", f);
		cstr(f, s->id);
		fputs(", ", f);
		cstr(f, s->name);
		fputs(", ", f);
		cstr(f, s->spec);
		fprintf(f, ", %u, %s, 0x%x, {", s->space, s->opaque ? "true" : "false", s->size);
		for (unsigned k = 0; k < CXL_NRESETS; k++)
			fprintf(f, "%s%u", k ? ", " : " ", s->resets[k]);
		fprintf(f, " }, %u, %u, %u, %u, 0x%x, 0x%x, %u, %d, %s, %u, ", s->reg0, s->nregs,
			s->rep_reg0, s->rep_nregs, s->rep_base, s->rep_stride, s->rep_max,
			s->rep_count, s->rep_hdm ? "true" : "false", s->nenc);
		if (s->nenc)
			fprintf(f, "count_enc_%u },\n", i);
		else
			fputs("NULL },\n", f);
	}
	fputs("};\n\nconst struct cxl_init_spec cxl_spec_inits[] = {\n", f);
	for (unsigned i = 0; i < ninits; i++)
		fprintf(f, "\t{ %u, %u, 0x%" PRIx64 "ULL },\n", inits[i].reg, inits[i].instance,
			inits[i].value);
	if (!ninits)
		fputs("\t{ 0, 0, 0 },\n", f);
	fputs("};\n\nconst struct cxl_place_spec cxl_spec_places[] = {\n", f);
	for (unsigned i = 0; i < nplaces; i++)
		fprintf(f, "\t{ %u, 0x%x, 0x%x, %u, %d, %u, %u },\n", places[i].structure,
			places[i].at, places[i].size, places[i].variant, places[i].count,
			places[i].init0, places[i].ninit);
	if (!nplaces)
		fputs("\t{ 0, 0, 0, 0, 0, 0, 0 },\n", f);
	fputs("};\n\nconst struct cxl_model_spec cxl_spec_models[] = {\n", f);
	for (unsigned i = 0; i < nmodels; i++) {
		fputs("\t{ ", f);
		cstr(f, models[i].name);
		fputs(", ", f);
		cstr(f, models[i].desc);
		fprintf(f, ", %u, %s, %u, %u },\n", models[i].kind,
			models[i].config_space ? "true" : "false", models[i].place0,
			models[i].nplace);
	}
	if (!nmodels)
		fputs("\t{ \"\", \"\", 0, false, 0, 0 },\n", f);
	fputs("};\n\nconst struct cxl_override_spec cxl_spec_overrides[] = {\n", f);
	for (unsigned i = 0; i < novrs; i++)
		fprintf(f, "\t{ %u, %d, %d, %s },\n", ovrs[i].reg, ovrs[i].field, ovrs[i].access,
			ovrs[i].drop_if_capable ? "true" : "false");
	if (!novrs)
		fputs("\t{ 0, -1, -1, false },\n", f);
	fputs("};\n\nconst struct cxl_profile_spec cxl_spec_profiles[] = {\n", f);
	for (unsigned i = 0; i < nprofiles; i++) {
		struct gprofile *p = &profiles[i];

		fputs("\t{ ", f);
		cstr(f, p->name);
		fputs(", ", f);
		cstr(f, p->desc);
		fprintf(f, ", %u, %u, %u, %u, %s, %s, %s, %u, %u, %u },\n", p->config_lock,
			p->decoder_lock, p->checks, p->commit, p->uncommit ? "true" : "false",
			p->loc_clear ? "true" : "false", p->auto_clear ? "true" : "false", p->rread,
			p->ovr0, p->novr);
	}
	if (!nprofiles)
		fputs("\t{ \"\", \"\", 0, 0, 0, 0, false, false, false, 0, 0, 0 },\n", f);
	fputs("};\n\nconst struct cxl_rule_spec cxl_spec_rules[] = {\n", f);
	for (unsigned i = 0; i < nrules; i++) {
		fputs("\t{ ", f);
		cstr(f, rules[i].id);
		fprintf(f, ", %u, ", rules[i].severity);
		cstr(f, rules[i].message);
		fputs(", ", f);
		cstr(f, rules[i].spec);
		fputs(" },\n", f);
	}
	fprintf(f, "};\n\nconst unsigned cxl_spec_nstructs = %u, cxl_spec_nmodels = %u, "
		"cxl_spec_nprofiles = %u, cxl_spec_nrules = %u;\n", nstructs, nmodels,
		nprofiles, nrules);
}

enum file_kind { FK_STRUCTURE, FK_RULES, FK_MODEL, FK_PROFILE };

struct input { const char *path; yaml_document_t doc; enum file_kind kind; };

/* Loads @in->path into a document; fails with libyaml's problem location. */
static void load(struct input *in)
{
	yaml_parser_t p;
	FILE *f = fopen(in->path, "rb");
	yaml_node_t *root;

	cur_file = in->path;
	if (!f) {
		fprintf(stderr, "%s: error: cannot open: %s\n", in->path, strerror(errno));
		exit(2);
	}
	yaml_parser_initialize(&p);
	yaml_parser_set_input_file(&p, f);
	if (!yaml_parser_load(&p, &in->doc)) {
		fprintf(stderr, "%s:%zu:%zu: error: %s\n", in->path, p.problem_mark.line + 1,
			p.problem_mark.column + 1, p.problem ? p.problem : "invalid YAML");
		exit(2);
	}
	yaml_parser_delete(&p);
	fclose(f);
	root = yaml_document_get_root_node(&in->doc);
	if (!root) {
		fprintf(stderr, "%s:1:1: error: empty document\n", in->path);
		exit(2);
	}
	cur_doc = &in->doc;
	if (root->type == YAML_SEQUENCE_NODE)
		in->kind = FK_RULES;
	else if (root->type == YAML_MAPPING_NODE && get(root, "structure"))
		in->kind = FK_STRUCTURE;
	else if (root->type == YAML_MAPPING_NODE && get(root, "model"))
		in->kind = FK_MODEL;
	else if (root->type == YAML_MAPPING_NODE && get(root, "profile"))
		in->kind = FK_PROFILE;
	else
		fail(root, "not a structure, model, profile or rule list");
}

static int cmp_input(const void *a, const void *b)
{
	const struct input *x = a, *y = b;

	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	return strcmp(x->path, y->path);
}

/* Writes @fn via a temporary file so a failed run never leaves half a table. */
static void write_atomic(const char *path, void (*fn)(FILE *))
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "%s: error: cannot write: %s\n", tmp, strerror(errno));
		exit(2);
	}
	fn(f);
	if (fclose(f) || rename(tmp, path)) {
		fprintf(stderr, "%s: error: cannot write: %s\n", path, strerror(errno));
		exit(2);
	}
}

int main(int argc, char **argv)
{
	const char *out_c = NULL, *out_h = NULL;
	struct input *in;
	int n = 0;

	in = calloc((size_t)argc, sizeof(*in));
	if (!in)
		return 2;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out_c = argv[++i];
		else if (!strcmp(argv[i], "-H") && i + 1 < argc)
			out_h = argv[++i];
		else if (argv[i][0] == '-') {
			fprintf(stderr, "usage: specgen -o OUT.c -H OUT.h FILE.yaml...\n");
			return 2;
		} else
			in[n++].path = argv[i];
	}
	if (!out_c || !out_h || !n) {
		fprintf(stderr, "usage: specgen -o OUT.c -H OUT.h FILE.yaml...\n");
		return 2;
	}
	for (int i = 0; i < n; i++)
		load(&in[i]);
	qsort(in, (size_t)n, sizeof(*in), cmp_input);
	for (int i = 0; i < n; i++) {
		yaml_node_t *root = yaml_document_get_root_node(&in[i].doc);

		cur_file = in[i].path;
		cur_doc = &in[i].doc;
		switch (in[i].kind) {
		case FK_STRUCTURE: parse_structure(root); break;
		case FK_RULES: parse_rules(root); break;
		case FK_MODEL: parse_model(root); break;
		case FK_PROFILE: parse_profile(root); break;
		}
	}
	cur_file = "spec";
	if (!nrules || !nmodels || !nprofiles) {
		fprintf(stderr, "spec: error: need at least one rule list, model and profile\n");
		return 2;
	}
	write_atomic(out_h, emit_header);
	write_atomic(out_c, emit_tables);
	for (int i = 0; i < n; i++)
		yaml_document_delete(&in[i].doc);
	free(in);
	return 0;
}
