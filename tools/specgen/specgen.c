/* SPDX-License-Identifier: MIT */
/*
 * specgen - turn spec/ YAML files into C: the tables (spec_tables.c), their private index
 * constants (spec_tables.h) and the public generated header (cxlemu/spec_ids.h).
 *
 * Usage: specgen -o spec_tables.c -H spec_tables.h -P spec_ids.h FILE.yaml...
 *
 * Each input is one of: the vocabulary ("vocabulary"), the rule list (a sequence), a register
 * fragment ("fragment"), a structure ("structure"), a device model ("model") or a profile
 * ("profile"); they are processed in that order whatever the command line says. The schema is
 * documented in spec/README.md. Every problem is reported as "file:line:col: error: message"
 * and the build fails (exit 2); the outputs are only written when every input is valid.
 *
 * Generated names follow QEMU's registerfields.h: for structure "hdm-decoder", register
 * "control", field "Commit" the public header has CXL_A_HDM_DECODER_CONTROL (offset in the
 * structure or repeat instance) and CXL_F_HDM_DECODER_CONTROL_COMMIT_{SHIFT,LENGTH,MASK,RESET};
 * the private header has CXL_S_HDM_DECODER (structure index), CXL_R_HDM_DECODER_CONTROL (global
 * register index) and CXL_L_HDM_DECODER_DECODER (lock index). A misspelled name in C is a
 * build error.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "spec_words.h"

#define MAX_FIELDS 8192
#define MAX_REGS 2048
#define MAX_STRUCTS 64
#define MAX_FRAGS 8
#define MAX_LOCKS 64
#define MAX_INITS 1024
#define MAX_PLACES 256
#define MAX_MODELS 64
#define MAX_BARS 256
#define MAX_OVR 1024
#define MAX_PROFILES 32
#define MAX_CHECKS 256
#define MAX_RULES 128
#define MAX_VALUES 1024
#define MAX_WORDS 64
#define MAX_PARAMS 8
#define CXL_RESET_MAX 16

/* ------------------------------------------------------------------ */
/* generated tables, as parsed */

struct gattr { char *name; unsigned write; bool sticky, lockable; };
struct gspace { char *name; uint64_t size; };
struct gop { char *name; int space; bool write; };
struct gkind { char *name, *prefix; };
struct gvalue { unsigned field; char *name; uint64_t v; };
struct gdecode { unsigned field; uint32_t table[256]; };
struct gfield {
	char *name;
	unsigned lo, hi, access, else_access, action, variants;
	int lock, cap_reg, param;
	unsigned cap_lo, cap_hi, sized;
	uint64_t reset;
};
struct greg {
	char *id, *name, *spec;
	unsigned structure, offset, width, variants, field0, nfields;
	bool repeated;
};
struct glock {
	char *name;
	unsigned structure, reg;
	yaml_node_t *node;                 /* for errors */
	uint64_t all, any, release;
	bool never;
	unsigned rule;
	char *reason;
};
struct gfrag {
	char *id, *file;
	unsigned reg0, nregs;              /* template registers (in regs[], not in any structure) */
	char *params[MAX_PARAMS];
	unsigned nparams;
};
struct gstruct {
	char *id, *name, *spec, *file;
	unsigned space, size, resets[CXL_RESET_MAX];
	bool opaque, has_variants, rep_hdm;
	unsigned reg0, nregs, rep_reg0, rep_nregs, rep_base, rep_stride, rep_max;
	int rep_count;
	unsigned lock0, nlocks;
	bool has_dvsec;
	uint64_t dvsec[MAX_PARAMS];        /* the dvsec-header parameter values, by fragment param */
	bool cap_array;                    /* the CXL capability array: generated per model */
	int cap_id, cap_version;           /* cxl-capability: its entry in the array, -1 none */
};
struct ginit { unsigned reg, instance; uint64_t value; };
struct gplace { unsigned structure, at, size, variant, init0, ninit; int count; };
struct gbar { unsigned index, type; uint64_t size; };
struct gmodel {
	char *name, *desc, *qemu_type;
	unsigned kind, place0, nplace, bar0, nbars, proto0, nprotos, cdat0, ncdat;
	int vendor, device;
	bool config_space;
};
struct govr { unsigned reg; int field; int access; bool drop_if_capable; unsigned kinds; int lock; };
struct gcheck { unsigned rule, fails; };
struct gprofile {
	char *name, *desc, *parent_name;
	yaml_node_t *root;
	const char *file;
	yaml_document_t *doc;
	int parent;
	bool resolved, resolving;
	unsigned ovr0, novr, check0, ncheck, rread;
	bool recommit;
	uint64_t on_commit_clear, on_uncommit_clear;
	struct glock locks[MAX_LOCKS];     /* resolved lock predicates, one per locks[] */
	unsigned resets[MAX_STRUCTS][CXL_RESET_MAX]; /* resolved reset scopes, per structure */
	unsigned hdm_take, dvsec_take, hdm_hide;     /* shadow: */
};
struct grule { char *id, *message, *spec; unsigned severity; bool self_judged; };

static struct gattr attrs[MAX_WORDS];
static struct gspace spaces[MAX_WORDS];
static char *reset_names[MAX_WORDS];
static struct gop ops[MAX_WORDS];
static char *inject_names[MAX_WORDS];
static struct gkind kinds[MAX_WORDS];
static unsigned nattrs, nspaces, nresets, nops, ninjects, nkinds;
static char *default_profile, *default_block_model, *default_vfio_model;
struct grange { char *name; unsigned space; uint64_t start, end; };
static struct grange ranges[MAX_WORDS];
static unsigned nranges;
struct gview { char *name, *spec; unsigned base, end, access; };
static struct gview views[MAX_WORDS];
static unsigned nviews;
static yaml_node_t *default_profile_node, *default_block_node, *default_vfio_node;
static const char *vocab_file;
static yaml_document_t *vocab_doc;

static struct gfield fields[MAX_FIELDS];
static struct greg regs[MAX_REGS];
static struct glock locks[MAX_LOCKS];
static struct gfrag frags[MAX_FRAGS];
static struct gstruct structs[MAX_STRUCTS];
static struct ginit inits[MAX_INITS];
static struct gplace places[MAX_PLACES];
static struct gbar bars[MAX_BARS];
#define MAX_PROTOS 64
#define MAX_CDAT 256
#define MAX_CDAT_DWORDS 8192
static struct { unsigned vendor, type, serves; } protos[MAX_PROTOS];
static struct { unsigned dw0, ndw; } cdat[MAX_CDAT];
static uint32_t cdat_dwords[MAX_CDAT_DWORDS];
static unsigned nprotos, ncdat, ncdat_dwords;
static struct gmodel models[MAX_MODELS];
static struct govr ovrs[MAX_OVR];
static struct gcheck checks[MAX_CHECKS];
static struct gprofile profiles[MAX_PROFILES];
static struct grule rules[MAX_RULES];
static struct gvalue values[MAX_VALUES];
static struct gdecode decodes[16];
static unsigned ndecodes;
static unsigned nfields, nregs, nlocks, nfrags, nstructs, ninits, nplaces, nbars, nmodels;
static unsigned novrs, nchecks, nprofiles, nrules, nvalues;

#define W(n, w) w,
static const char *const write_words[] = { CXL_WRITE_LIST(W) NULL };
static const char *const action_words[] = { CXL_ACTION_LIST(W) NULL };
static const char *const scope_words[] = { CXL_SCOPE_LIST(W) NULL };
static const char *const variant_words[] = { CXL_VARIANT_LIST(W) NULL };
static const char *const fails_words[] = { CXL_FAILS_LIST(W) NULL };
static const char *const rr_words[] = { CXL_REJECTED_READ_LIST(W) NULL };
static const char *const sev_words[] = { CXL_SEVERITY_LIST(W) NULL };
static const char *const bar_words[] = { CXL_BAR_LIST(W) NULL };
static const char *const sized_words[] = { CXL_SIZED_LIST(W) NULL };
static const char *const serves_words[] = { CXL_DOE_SERVES_LIST(W) NULL };
static const char *const vbase_words[] = { CXL_VIEW_BASE_LIST(W) NULL };
static const char *const vend_words[] = { CXL_VIEW_END_LIST(W) NULL };
static const char *const vacc_words[] = { CXL_VIEW_ACCESS_LIST(W) NULL };
static const char *const hide_words[] = { CXL_HIDE_LIST(W) NULL };
#undef W
static const char *const access_rw_words[] = { "read", "write", NULL };
/* Word lists built from the vocabulary (NULL-terminated). */
static const char *attr_words[MAX_WORDS + 1], *space_words[MAX_WORDS + 1];
static const char *reset_words[MAX_WORDS + 1], *kind_words[MAX_WORDS + 1];
static const char *rule_words[MAX_RULES + 1];

/* The document being processed: for error locations. */
static const char *cur_file;
static yaml_document_t *cur_doc;

/* ------------------------------------------------------------------ */
/* errors and YAML helpers */

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

/* Parses "true" or "false". */
static bool boolean(yaml_node_t *n, const char *what)
{
	const char *s = scalar(n, what);

	if (!strcmp(s, "true"))
		return true;
	if (strcmp(s, "false"))
		fail(n, "%s must be true or false, got '%s'", what, s);
	return false;
}

/* Maps a word to its index in @words; fails listing the choices. */
static unsigned word(yaml_node_t *n, const char *const *words, const char *what)
{
	const char *s = scalar(n, what);
	char choices[1024] = "";

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

static size_t map_len(yaml_node_t *m)
{
	if (!m || m->type != YAML_MAPPING_NODE)
		fail(m, "expected a mapping");
	return (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
}

static yaml_node_t *map_key(yaml_node_t *m, size_t i)
{
	return node(m->data.mapping.pairs.start[i].key);
}

static yaml_node_t *map_value(yaml_node_t *m, size_t i)
{
	return node(m->data.mapping.pairs.start[i].value);
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

/* True when @s is a valid name for the vocabularies: [a-z0-9-], letter first. */
static bool lower_name(const char *s)
{
	if (!(*s >= 'a' && *s <= 'z'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
	return true;
}

/* ------------------------------------------------------------------ */
/* vocabulary */

/* Parses a list of {name: ..., KEYS} entries into names; returns the count. */
static unsigned name_list(yaml_node_t *seq, const char *what, const char *const *keys,
			  const char **names, unsigned max)
{
	size_t n = seq_len(seq);

	if (!n || n > max)
		fail(seq, "%s: 1..%u entries", what, max);
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *e = seq_at(seq, i);

		only_keys(e, keys);
		names[i] = xstrdup(scalar(need(e, "name"), "name"));
		for (size_t j = 0; j < i; j++)
			if (!strcmp(names[i], names[j]))
				fail(need(e, "name"), "%s '%s' listed twice", what, names[i]);
	}
	names[n] = NULL;
	return (unsigned)n;
}

static void parse_vocabulary(yaml_node_t *root)
{
	static const char *const keys[] = { "vocabulary", "access-attributes", "spaces", "resets",
		"ops", "injects", "kinds", "defaults", "ranges", "views", NULL };
	static const char *const vkeys[] = { "name", "base", "end", "access", "spec", NULL };
	static const char *const gkeys[] = { "name", "space", "start", "end", "spec", NULL };
	static const char *const akeys[] = { "name", "write", "sticky", "lockable", NULL };
	static const char *const skeys[] = { "name", "size", "spec", NULL };
	static const char *const rkeys[] = { "name", "spec", NULL };
	static const char *const okeys[] = { "name", "space", "access", NULL };
	static const char *const kkeys[] = { "name", "prefix", NULL };
	static const char *const dkeys[] = { "profile", "block-model", "vfio-model", NULL };
	const char *tmp[MAX_WORDS + 1];
	yaml_node_t *s, *d;

	if (vocab_file)
		fail(root, "a second vocabulary (the first is %s)", vocab_file);
	vocab_file = cur_file;
	vocab_doc = cur_doc;
	only_keys(root, keys);
	s = need(root, "access-attributes");
	nattrs = name_list(s, "access attribute", akeys, attr_words, MAX_WORDS);
	for (unsigned i = 0; i < nattrs; i++) {
		yaml_node_t *e = seq_at(s, i);

		attrs[i].name = (char *)attr_words[i];
		attrs[i].write = word(need(e, "write"), write_words, "write behaviour");
		attrs[i].sticky = get(e, "sticky") && boolean(get(e, "sticky"), "sticky");
		attrs[i].lockable = get(e, "lockable") && boolean(get(e, "lockable"), "lockable");
	}
	s = need(root, "spaces");
	nspaces = name_list(s, "space", skeys, space_words, MAX_WORDS);
	for (unsigned i = 0; i < nspaces; i++) {
		spaces[i].name = (char *)space_words[i];
		spaces[i].size = number(need(seq_at(s, i), "size"), "size");
		if (!spaces[i].size || spaces[i].size > 0x10000)
			fail(need(seq_at(s, i), "size"), "a space is 1..64 KiB");
		need(seq_at(s, i), "spec");
	}
	if ((s = get(root, "ranges"))) {
		nranges = name_list(s, "range", gkeys, tmp, MAX_WORDS);
		for (unsigned i = 0; i < nranges; i++) {
			yaml_node_t *e = seq_at(s, i);

			ranges[i].name = (char *)tmp[i];
			ranges[i].space = word(need(e, "space"), space_words, "space");
			ranges[i].start = number(need(e, "start"), "start");
			ranges[i].end = number(need(e, "end"), "end");
			need(e, "spec");
			if (ranges[i].start >= ranges[i].end || ranges[i].end > spaces[ranges[i].space].size)
				fail(e, "range must be start < end <= the space's size");
		}
	}
	s = need(root, "views");
	nviews = name_list(s, "view", vkeys, tmp, MAX_WORDS);
	for (unsigned i = 0; i < nviews; i++) {
		yaml_node_t *e = seq_at(s, i);

		views[i].name = (char *)tmp[i];
		views[i].base = word(need(e, "base"), vbase_words, "view base");
		views[i].end = word(need(e, "end"), vend_words, "view end");
		views[i].access = word(need(e, "access"), vacc_words, "view access");
		views[i].spec = xstrdup(scalar(need(e, "spec"), "spec"));
		if (!lower_name(views[i].name))
			fail(e, "view name '%s': use [a-z0-9-], a letter first", views[i].name);
	}
	if (nviews == 0 || strcmp(views[0].name, "component") || views[0].base != CXL_VBASE_BLOCK ||
	    views[0].end != CXL_VEND_SPACE || views[0].access != CXL_VACC_ANY)
		fail(s, "the first view is the device itself: {name: component, base: block, end: space, access: any}");
	nresets = name_list(need(root, "resets"), "reset", rkeys, reset_words, MAX_WORDS);
	for (unsigned i = 0; i < nresets; i++)
		reset_names[i] = (char *)reset_words[i];
	if (nresets > CXL_RESET_MAX)
		fail(need(root, "resets"), "at most %d reset kinds", CXL_RESET_MAX);
	s = need(root, "ops");
	nops = name_list(s, "op", okeys, tmp, MAX_WORDS);
	for (unsigned i = 0; i < nops; i++) {
		yaml_node_t *e = seq_at(s, i);

		ops[i].name = (char *)tmp[i];
		ops[i].space = -1;
		if (get(e, "space") || get(e, "access")) {
			ops[i].space = (int)word(need(e, "space"), space_words, "space");
			ops[i].write = word(need(e, "access"), access_rw_words, "access") == 1;
		}
	}
	ninjects = name_list(need(root, "injects"), "inject", rkeys, tmp, MAX_WORDS);
	for (unsigned i = 0; i < ninjects; i++)
		inject_names[i] = (char *)tmp[i];
	s = need(root, "kinds");
	nkinds = name_list(s, "kind", kkeys, kind_words, MAX_WORDS);
	for (unsigned i = 0; i < nkinds; i++) {
		kinds[i].name = (char *)kind_words[i];
		kinds[i].prefix = xstrdup(scalar(need(seq_at(s, i), "prefix"), "prefix"));
	}
	{
		const char *const *lists[] = { space_words, reset_words, kind_words };

		for (unsigned l = 0; l < 3; l++)
			for (unsigned i = 0; lists[l][i]; i++)
				if (!lower_name(lists[l][i]))
					fail(root, "vocabulary name '%s': use [a-z0-9-], a letter first",
					     lists[l][i]);
		for (unsigned i = 0; i < nops; i++)
			if (!lower_name(ops[i].name))
				fail(root, "op name '%s': use [a-z0-9-]", ops[i].name);
		for (unsigned i = 0; i < ninjects; i++)
			if (!lower_name(inject_names[i]))
				fail(root, "inject name '%s': use [a-z0-9-]", inject_names[i]);
	}
	d = need(root, "defaults");
	only_keys(d, dkeys);
	default_profile_node = need(d, "profile");
	default_profile = xstrdup(scalar(default_profile_node, "profile"));
	default_block_node = need(d, "block-model");
	default_block_model = xstrdup(scalar(default_block_node, "block-model"));
	default_vfio_node = need(d, "vfio-model");
	default_vfio_model = xstrdup(scalar(default_vfio_node, "vfio-model"));
}

/* ------------------------------------------------------------------ */
/* rules */

static void parse_rules(yaml_node_t *root)
{
	static const char *const keys[] = { "id", "severity", "message", "spec", "judge", NULL };
	static const char *const judge_words[] = { "spec", "self", NULL };

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
		r->self_judged = get(rn, "judge") && word(get(rn, "judge"), judge_words, "judge") == 1;
		rule_words[nrules] = r->id;
		nrules++;
		rule_words[nrules] = NULL;
	}
}

/* ------------------------------------------------------------------ */
/* registers (structures and fragments) */

static unsigned word_index_ro(void);

/* Registers pending an if-capable resolution: (field, node, "reg.field"). */
struct pending_cap { unsigned field; yaml_node_t *n; char *ref; };
static struct pending_cap pend[MAX_FIELDS];
static unsigned npend;
/* Field lock names pending resolution against the structure's locks. */
struct pending_lock { unsigned field; yaml_node_t *n; };
static struct pending_lock plock[MAX_FIELDS];
static unsigned nplock;

/*
 * Parses one register mapping into regs[]; returns its index. @st is the structure (NULL for
 * a fragment template, whose fields may carry param:, resolved against @fr).
 */
static unsigned parse_reg(yaml_node_t *rn, struct gstruct *st, struct gfrag *fr, bool repeated)
{
	static const char *const keys[] = { "id", "name", "offset", "width", "spec",
		"only", "fields", NULL };
	static const char *const fkeys[] = { "name", "bits", "access", "reset", "lock",
		"action", "if-capable", "else", "only", "values", "param", "decode", "sized-by", NULL };
	bool has_variants = st && st->has_variants;
	struct greg *r;
	yaml_node_t *fl;
	unsigned idx;

	if (nregs >= MAX_REGS)
		fail(rn, "too many registers");
	only_keys(rn, keys);
	idx = nregs++;
	r = &regs[idx];
	memset(r, 0, sizeof(*r));
	r->id = xstrdup(scalar(need(rn, "id"), "id"));
	if (!lower_name(r->id))
		fail(need(rn, "id"), "register id '%s': use [a-z0-9-], a letter first", r->id);
	r->name = xstrdup(scalar(need(rn, "name"), "name"));
	r->spec = xstrdup(scalar(need(rn, "spec"), "spec"));
	r->offset = (unsigned)number(need(rn, "offset"), "offset");
	r->width = (unsigned)number(need(rn, "width"), "width");
	r->repeated = repeated;
	r->structure = st ? (unsigned)(st - structs) : 0;
	if (r->width != 8 && r->width != 16 && r->width != 32 && r->width != 64)
		fail(need(rn, "width"), "width must be 8, 16, 32 or 64");
	if (r->offset % (r->width / 8))
		fail(need(rn, "offset"), "offset 0x%x is not aligned to the %u-bit width",
		     r->offset, r->width);
	r->variants = variants_of(get(rn, "only"));
	if (r->variants && !has_variants)
		fail(get(rn, "only"), "'only' in a structure without variants");
	fl = need(rn, "fields");
	r->field0 = nfields;
	for (size_t i = 0; i < seq_len(fl); i++) {
		yaml_node_t *fn = seq_at(fl, i), *n;
		struct gfield *f;

		if (nfields >= MAX_FIELDS)
			fail(fn, "too many fields");
		only_keys(fn, fkeys);
		f = &fields[nfields];
		memset(f, 0, sizeof(*f));
		f->name = xstrdup(scalar(need(fn, "name"), "name"));
		for (const char *c = f->name; *c; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			      (*c >= '0' && *c <= '9') || *c == '_'))
				fail(need(fn, "name"), "field name '%s': use [A-Za-z0-9_]", f->name);
		bits(need(fn, "bits"), r->width, &f->lo, &f->hi);
		f->access = word(need(fn, "access"), attr_words, "access");
		f->else_access = (unsigned)(word_index_ro());
		f->cap_reg = -1;
		f->lock = -1;
		f->param = -1;
		f->variants = variants_of(get(fn, "only"));
		if (f->variants && !has_variants)
			fail(get(fn, "only"), "'only' in a structure without variants");
		if ((n = get(fn, "reset"))) {
			f->reset = number(n, "reset");
			if (f->reset & ~(field_mask(f->lo, f->hi) >> f->lo))
				fail(n, "reset value does not fit in bits %u:%u", f->hi, f->lo);
		}
		if ((n = get(fn, "param"))) {
			if (!fr)
				fail(n, "'param' is only meaningful in a fragment");
			if (get(fn, "reset"))
				fail(n, "a param field takes its reset value from the parameter");
			if (fr->nparams >= MAX_PARAMS)
				fail(n, "too many parameters");
			fr->params[fr->nparams] = xstrdup(scalar(n, "param"));
			f->param = (int)fr->nparams++;
		}
		if ((n = get(fn, "lock"))) {
			if (!attrs[f->access].lockable)
				fail(n, "'lock' is only meaningful for a lockable attribute (%s is not)",
				     attrs[f->access].name);
			if (!st)
				fail(n, "fragment fields cannot be locked");
			plock[nplock].field = nfields;
			plock[nplock].n = n;
			nplock++;
		} else if (attrs[f->access].lockable) {
			fail(fn, "a %s field needs a lock: naming one of the structure's locks",
			     attrs[f->access].name);
		}
		if ((n = get(fn, "sized-by"))) {
			f->sized = word(n, sized_words, "sized-by");
			if (attrs[f->access].write != CXL_WRITE_TAKE || attrs[f->access].lockable)
				fail(n, "'sized-by' is only meaningful for a plain writable (take) field");
			if (f->sized == CXL_SIZED_BAR && !repeated)
				fail(n, "'sized-by: bar' belongs to a repeated register (the instance is the BAR number)");
			if (r->width != 32)
				fail(n, "'sized-by' belongs to a 32-bit register");
		}
		if (attrs[f->access].write == CXL_WRITE_TRIGGER)
			f->action = word(need(fn, "action"), action_words, "action");
		else if (get(fn, "action"))
			fail(get(fn, "action"), "'action' is only meaningful for a trigger (Doorbell) field");
		if ((n = get(fn, "if-capable"))) {
			pend[npend].field = nfields;
			pend[npend].n = n;
			pend[npend].ref = xstrdup(scalar(n, "if-capable"));
			npend++;
			if (get(fn, "else"))
				f->else_access = word(get(fn, "else"), attr_words, "else");
		} else if (get(fn, "else")) {
			fail(get(fn, "else"), "'else' needs 'if-capable'");
		}
		if ((n = get(fn, "values"))) {
			for (size_t k = 0; k < map_len(n); k++) {
				const char *vn = scalar(map_key(n, k), "value name");
				uint64_t v = number(map_value(n, k), "value");

				if (!lower_name(vn))
					fail(map_key(n, k), "value name '%s': use [a-z0-9-]", vn);
				if (v & ~(field_mask(f->lo, f->hi) >> f->lo))
					fail(map_value(n, k), "value does not fit in bits %u:%u", f->hi, f->lo);
				if (nvalues >= MAX_VALUES)
					fail(n, "too many values");
				values[nvalues++] = (struct gvalue){ nfields, xstrdup(vn), v };
			}
		}
		if ((n = get(fn, "decode"))) {
			struct gdecode *g;

			if (f->hi - f->lo + 1 > 8)
				fail(n, "decode: is for fields of at most 8 bits");
			if (ndecodes >= sizeof(decodes) / sizeof(decodes[0]))
				fail(n, "too many decode tables");
			g = &decodes[ndecodes++];
			memset(g, 0, sizeof(*g));
			g->field = nfields;
			for (size_t k = 0; k < map_len(n); k++) {
				uint64_t e = number(map_key(n, k), "encoding"), v = number(map_value(n, k), "value");

				if (e >> (f->hi - f->lo + 1))
					fail(map_key(n, k), "encoding does not fit in bits %u:%u", f->hi, f->lo);
				if (!v || v > 0xffffffffu)
					fail(map_value(n, k), "a decoded value is 1..0xffffffff (0 means reserved)");
				if (g->table[e])
					fail(map_key(n, k), "encoding listed twice");
				g->table[e] = (uint32_t)v;
			}
		}
		for (unsigned j = r->field0; j < nfields; j++) {
			bool vdis = fields[j].variants && f->variants && !(fields[j].variants & f->variants);

			if (!strcmp(fields[j].name, f->name) &&
			    (!vdis || fields[j].lo != f->lo || fields[j].hi != f->hi))
				fail(need(fn, "name"), "register '%s': field name '%s' used twice%s", r->id,
				     f->name, vdis ? " with different bits" : "");
		}
		nfields++;
	}
	r->nfields = nfields - r->field0;
	if (!r->nfields)
		fail(fl, "a register needs at least one field");
	/* Per variant, the fields must tile the register exactly once. */
	for (unsigned v = 0; v < CXL_VARIANT__COUNT; v++) {
		uint64_t seen = 0, all = r->width == 64 ? ~0ULL : ((1ULL << r->width) - 1);

		if (!has_variants && v > 0)
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

/* Index of the attribute named "RO" (the default of else:); it must exist. */
static unsigned ro_attr = ~0u;
static unsigned word_index_ro(void)
{
	if (ro_attr == ~0u) {
		for (unsigned i = 0; i < nattrs; i++)
			if (!strcmp(attrs[i].name, "RO"))
				ro_attr = i;
		if (ro_attr == ~0u) {
			cur_file = vocab_file;
			fail(NULL, "the vocabulary needs an RO access attribute (the default of else:)");
		}
	}
	return ro_attr;
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

/* Mask of the fields of register @ri named in list @n (names must exist). */
static uint64_t field_list_mask(yaml_node_t *n, unsigned ri)
{
	uint64_t m = 0;

	for (size_t i = 0; i < seq_len(n); i++) {
		const char *fname = scalar(seq_at(n, i), "field");
		bool found = false;

		for (unsigned j = regs[ri].field0; j < regs[ri].field0 + regs[ri].nfields; j++)
			if (!strcmp(fields[j].name, fname)) {
				m |= field_mask(fields[j].lo, fields[j].hi);
				found = true;
			}
		if (!found)
			fail(seq_at(n, i), "no field '%s' in register '%s'", fname, regs[ri].id);
	}
	return m;
}

/* Applies a lock predicate mapping (when-all/when-any/never/release/rule/reason) to @lk. */
static void lock_predicate(yaml_node_t *ln, struct glock *lk)
{
	yaml_node_t *n;

	if (get(ln, "when-all") || get(ln, "when-any")) {
		lk->all = get(ln, "when-all") ? field_list_mask(get(ln, "when-all"), lk->reg) : 0;
		lk->any = get(ln, "when-any") ? field_list_mask(get(ln, "when-any"), lk->reg) : 0;
		lk->never = false;
	}
	if ((n = get(ln, "never")))
		lk->never = boolean(n, "never");
	if ((n = get(ln, "release")))
		lk->release = field_list_mask(n, lk->reg);
	if ((n = get(ln, "rule")))
		lk->rule = word(n, rule_words, "rule");
	if ((n = get(ln, "reason")))
		lk->reason = xstrdup(scalar(n, "reason"));
	if (!lk->never && !lk->all && !lk->any)
		fail(ln, "lock '%s' needs when-all:, when-any: or never: true", lk->name);
}

/* Parses the locks: list of structure @s. */
static void parse_locks(yaml_node_t *ln, struct gstruct *s)
{
	static const char *const keys[] = { "name", "register", "when-all", "when-any",
		"never", "release", "rule", "reason", NULL };

	s->lock0 = nlocks;
	for (size_t i = 0; ln && i < seq_len(ln); i++) {
		yaml_node_t *e = seq_at(ln, i);
		struct glock *lk = &locks[nlocks];
		bool rep;
		int ri;

		if (nlocks >= MAX_LOCKS)
			fail(e, "too many locks");
		only_keys(e, keys);
		memset(lk, 0, sizeof(*lk));
		lk->name = xstrdup(scalar(need(e, "name"), "name"));
		if (!lower_name(lk->name))
			fail(need(e, "name"), "lock name '%s': use [a-z0-9-]", lk->name);
		for (unsigned j = s->lock0; j < nlocks; j++)
			if (!strcmp(locks[j].name, lk->name))
				fail(need(e, "name"), "lock '%s' defined twice", lk->name);
		lk->structure = (unsigned)(s - structs);
		lk->node = e;
		ri = find_reg(s, scalar(need(e, "register"), "register"), &rep);
		if (ri < 0)
			fail(need(e, "register"), "no register '%s' in %s",
			     scalar(need(e, "register"), "register"), s->id);
		lk->reg = (unsigned)ri;
		need(e, "rule");
		need(e, "reason");
		lock_predicate(e, lk);
		nlocks++;
	}
	s->nlocks = nlocks - s->lock0;
}

/* Returns the fragment called @id, or NULL. */
static struct gfrag *find_frag(const char *id)
{
	for (unsigned i = 0; i < nfrags; i++)
		if (!strcmp(frags[i].id, id))
			return &frags[i];
	return NULL;
}

/* Parses a fragment file: a register list structures include. */
static void parse_fragment(yaml_node_t *root)
{
	static const char *const keys[] = { "fragment", "registers", NULL };
	struct gfrag *fr;
	yaml_node_t *rs;

	only_keys(root, keys);
	if (nfrags >= MAX_FRAGS)
		fail(root, "too many fragments");
	fr = &frags[nfrags];
	memset(fr, 0, sizeof(*fr));
	fr->id = xstrdup(scalar(need(root, "fragment"), "fragment"));
	if (!lower_name(fr->id))
		fail(need(root, "fragment"), "fragment id '%s': use [a-z0-9-]", fr->id);
	if (find_frag(fr->id))
		fail(need(root, "fragment"), "fragment '%s' defined twice", fr->id);
	fr->file = xstrdup(cur_file);
	fr->reg0 = nregs;
	rs = need(root, "registers");
	for (size_t i = 0; i < seq_len(rs); i++)
		parse_reg(seq_at(rs, i), NULL, fr, false);
	fr->nregs = nregs - fr->reg0;
	nfrags++;
}

/*
 * Copies the registers of fragment @fr into structure @s, with the parameters of @h
 * ({name: value}) as the reset values of the param: fields.
 */
static void include_fragment(yaml_node_t *h, struct gstruct *s, struct gfrag *fr)
{
	uint64_t pv[MAX_PARAMS];

	only_keys(h, (const char *const *)fr->params);
	for (unsigned p = 0; p < fr->nparams; p++)
		pv[p] = number(need(h, fr->params[p]), fr->params[p]);
	s->has_dvsec = true;
	memcpy(s->dvsec, pv, sizeof(pv));
	for (unsigned k = 0; k < fr->nregs; k++) {
		const struct greg *t = &regs[fr->reg0 + k];
		struct greg *r;

		if (nregs >= MAX_REGS)
			fail(h, "too many registers");
		r = &regs[nregs++];
		*r = *t;
		r->structure = (unsigned)(s - structs);
		r->field0 = nfields;
		for (unsigned j = 0; j < t->nfields; j++) {
			struct gfield *f = &fields[nfields++];

			*f = fields[t->field0 + j];
			if (f->param >= 0) {
				f->reset = pv[f->param];
				if (f->reset & ~(field_mask(f->lo, f->hi) >> f->lo))
					fail(need(h, fr->params[f->param]),
					     "%s does not fit in bits %u:%u", fr->params[f->param],
					     f->hi, f->lo);
			}
		}
	}
}

static void parse_structure(yaml_node_t *root)
{
	static const char *const keys[] = { "structure", "name", "space", "size", "spec",
		"resets", "registers", "repeat", "variants", "dvsec-header", "opaque",
		"locks", "cxl-capability", "capability-array", NULL };
	static const char *const ckeys[] = { "id", "version", NULL };
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
	if (!lower_name(s->id))
		fail(need(root, "structure"), "structure id '%s': use [a-z0-9-]", s->id);
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
	s->cap_id = s->cap_version = -1;
	if ((n = get(root, "cxl-capability"))) {
		only_keys(n, ckeys);
		s->cap_id = (int)number(need(n, "id"), "id");
		s->cap_version = (int)number(need(n, "version"), "version");
		if (s->cap_id > 0xffff || s->cap_version > 0xf)
			fail(n, "a CXL capability id is 16 bits, its version 4");
	}
	if ((n = get(root, "capability-array")))
		s->cap_array = boolean(n, "capability-array");
	if ((n = get(root, "opaque")))
		s->opaque = boolean(n, "opaque");
	if (s->opaque && strcmp(space_words[s->space], "component"))
		fail(n, "only component-space structures can be opaque (config accesses always take writes)");
	if ((n = get(root, "variants"))) {
		if (variants_of(n) != (1u << CXL_VARIANT__COUNT) - 1)
			fail(n, "variants must list every variant");
		s->has_variants = true;
	}
	n = need(root, "resets");
	only_keys(n, reset_words);
	for (unsigned k = 0; k < nresets; k++)
		s->resets[k] = word(need(n, reset_words[k]), scope_words, "reset scope");
	s->reg0 = nregs;
	if ((n = get(root, "dvsec-header"))) {
		struct gfrag *fr = find_frag("cxl-dvsec-header");

		if (!fr)
			fail(n, "dvsec-header: needs the fragment cxl-dvsec-header");
		include_fragment(n, s, fr);
	}
	if ((rs = get(root, "registers")))
		for (size_t i = 0; i < seq_len(rs); i++)
			parse_reg(seq_at(rs, i), s, NULL, false);
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
		}
		s->rep_max = (unsigned)number(need(n, "max"), "max");
		s->rep_base = (unsigned)number(need(n, "base"), "base");
		s->rep_stride = (unsigned)number(need(n, "stride"), "stride");
		if (s->rep_count > (int)s->rep_max)
			fail(c, "count exceeds max");
		s->rep_reg0 = nregs;
		rs = need(n, "registers");
		for (size_t i = 0; i < seq_len(rs); i++) {
			unsigned r = parse_reg(seq_at(rs, i), s, NULL, true);

			if (regs[r].offset + regs[r].width / 8 > s->rep_stride)
				fail(seq_at(rs, i), "register '%s' extends past the stride",
				     regs[r].id);
		}
		s->rep_nregs = nregs - s->rep_reg0;
	}
	for (unsigned i = s->reg0; i < s->reg0 + s->nregs + s->rep_nregs; i++) {
		unsigned gi = i < s->reg0 + s->nregs ? i : s->rep_reg0 + (i - s->reg0 - s->nregs);

		for (unsigned j = s->reg0; j < s->reg0 + s->nregs + s->rep_nregs; j++) {
			unsigned gj = j < s->reg0 + s->nregs ? j : s->rep_reg0 + (j - s->reg0 - s->nregs);

			if (gj < gi && !strcmp(regs[gi].id, regs[gj].id))
				fail(root, "register id '%s' used twice", regs[gi].id);
		}
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
	parse_locks(get(root, "locks"), s);
	/* Resolve field lock: names against this structure's locks. */
	for (unsigned p = 0; p < nplock; p++) {
		const char *name = scalar(plock[p].n, "lock");
		int found = -1;

		for (unsigned j = s->lock0; j < s->lock0 + s->nlocks; j++)
			if (!strcmp(locks[j].name, name))
				found = (int)j;
		if (found < 0)
			fail(plock[p].n, "no lock '%s' in %s (its locks: list)", name, s->id);
		fields[plock[p].field].lock = found;
	}
	nplock = 0;
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

/* ------------------------------------------------------------------ */
/* models */

/* The reset value of register @ri with field @fname set to @v (fields by name: no numbers). */
static uint64_t with_field(uint64_t base, unsigned ri, const char *fname, uint64_t v, yaml_node_t *n)
{
	for (unsigned j = regs[ri].field0; j < regs[ri].field0 + regs[ri].nfields; j++) {
		uint64_t m = field_mask(fields[j].lo, fields[j].hi);

		if (strcmp(fields[j].name, fname))
			continue;
		if (v & ~(m >> fields[j].lo))
			fail(n, "%s 0x%" PRIx64 " does not fit in %s.%s", fname, v, regs[ri].id, fname);
		return (base & ~m) | (v << fields[j].lo);
	}
	fail(n, "register '%s' has no field '%s'", regs[ri].id, fname);
}

/* Field @fname of register @ri in value @v. */
static uint64_t field_of(uint64_t v, unsigned ri, const char *fname)
{
	for (unsigned j = regs[ri].field0; j < regs[ri].field0 + regs[ri].nfields; j++)
		if (!strcmp(fields[j].name, fname))
			return (v & field_mask(fields[j].lo, fields[j].hi)) >> fields[j].lo;
	fail(NULL, "register '%s' has no field '%s'", regs[ri].id, fname);
}

/* The reset value register @ri has from its fields. */
static uint64_t reg_reset(unsigned ri)
{
	uint64_t v = 0;

	for (unsigned j = regs[ri].field0; j < regs[ri].field0 + regs[ri].nfields; j++)
		v |= fields[j].reset << fields[j].lo;
	return v;
}

static void add_init(yaml_node_t *n, unsigned ri, unsigned inst, uint64_t v)
{
	if (ninits >= MAX_INITS)
		fail(n, "too many init values");
	inits[ninits++] = (struct ginit){ ri, inst, v };
}

/*
 * The type bits of each of the model's BARs in a placed structure with a `sized-by: bar`
 * field (PCIe r6.0 §7.5.1.2.1): in that repeated register, every field with a value named
 * after the BAR's type (mem32, mem64, io) takes that value; the rest of the register powers on
 * as its fields say. An explicit init: of the instance wins. @m's bars are bars[m->bar0..].
 */
static void bar_inits(yaml_node_t *pn, const struct gplace *p, const struct gstruct *s,
		      const struct gmodel *m)
{
	for (unsigned ri = s->rep_reg0; ri < s->rep_reg0 + s->rep_nregs; ri++) {
		bool sized = false;

		for (unsigned j = regs[ri].field0; j < regs[ri].field0 + regs[ri].nfields; j++)
			sized |= fields[j].sized == CXL_SIZED_BAR;
		if (!sized)
			continue;
		for (unsigned b = m->bar0; b < nbars; b++) {
			uint64_t v = reg_reset(ri);
			bool given = false;

			if (p->count >= 0 && bars[b].index >= (unsigned)p->count)
				fail(pn, "BAR %u is beyond the %d BARs of %s", bars[b].index, p->count, s->id);
			for (unsigned k = p->init0; k < ninits; k++)
				given |= inits[k].reg == ri && inits[k].instance == bars[b].index;
			if (given)
				continue;
			for (unsigned q = 0; q < nvalues; q++) {
				const struct gfield *f = &fields[values[q].field];

				if (values[q].field < regs[ri].field0 ||
				    values[q].field >= regs[ri].field0 + regs[ri].nfields ||
				    strcmp(values[q].name, bar_words[bars[b].type]))
					continue;
				v = (v & ~field_mask(f->lo, f->hi)) | (values[q].v << f->lo);
			}
			add_init(pn, ri, bars[b].index, v);
		}
	}
}

/*
 * Init values generated for placement @p (@pn) of @s, from the placement itself: a DVSEC
 * header's Next Capability Offset (next:), DVSEC Revision (dvsec-revision:, else the
 * structure's) and DVSEC Length (the placement's @end bytes); the capability array's
 * Array_Size and entries (@caps).
 */
static void generated_inits(yaml_node_t *pn, const struct gplace *p, const struct gstruct *s,
			    const void *capsv, unsigned ncaps, unsigned end)
{
	const struct { unsigned at, id, version; } *caps = capsv;
	yaml_node_t *n;

	if (s->has_dvsec) {
		unsigned ecap = s->reg0, hdr1 = s->reg0 + 1;
		uint64_t next = (n = get(pn, "next")) ? number(n, "next") : 0;
		uint64_t rev = (n = get(pn, "dvsec-revision")) ? number(n, "dvsec-revision") :
			       field_of(reg_reset(hdr1), hdr1, "DVSEC_Revision");
		uint64_t v;

		if (next && (next % 4 || next <= p->at || next >= spaces[s->space].size))
			fail(get(pn, "next"), "next 0x%" PRIx64 " must be a dword offset after this one", next);
		v = with_field(reg_reset(ecap), ecap, "Next_Capability_Offset", next, pn);
		add_init(pn, ecap, 0, v);
		v = with_field(reg_reset(hdr1), hdr1, "DVSEC_Revision", rev, pn);
		v = with_field(v, hdr1, "DVSEC_Length", end, pn);
		add_init(pn, hdr1, 0, v);
	}
	if (s->cap_array) {
		unsigned hreg = s->reg0, ereg = s->rep_reg0;
		uint64_t v = with_field(reg_reset(hreg), hreg, "Array_Size", ncaps, pn);

		add_init(pn, hreg, 0, v);
		for (unsigned i = 0; i < ncaps; i++) {
			if (caps[i].at < p->at || caps[i].at - p->at > 0xfff)
				fail(pn, "capability %u at 0x%x is not within 4 KiB after the array", caps[i].id,
				     caps[i].at);
			v = with_field(0, ereg, "Capability_ID", caps[i].id, pn);
			v = with_field(v, ereg, "Capability_Version", caps[i].version, pn);
			v = with_field(v, ereg, "Pointer", caps[i].at - p->at, pn);
			add_init(pn, ereg, i, v);
		}
	}
}

/*
 * A model's doe: (the data its DOE instance answers, emu/core/doe.c): protocols: in discovery
 * index order, each {vendor, type, serves: discovery|cdat}; cdat: the CDAT entries in entry
 * handle order, each a list of dwords as a table access response carries them (CXL r3.1
 * §8.1.11). Checked: discovery comes first (PCIe r6.0 §6.30.1.1: index 0), cdat: goes with a
 * cdat protocol; entry 0 is the CDAT header whose Length is the table's bytes and whose
 * Checksum makes the table's bytes sum to 0 (CDAT r1.03 §2); every other entry's Length
 * (bytes 2-3) is its own size.
 */
static void parse_doe(yaml_node_t *n, struct gmodel *m)
{
	static const char *const keys[] = { "protocols", "cdat", NULL };
	static const char *const pkeys[] = { "vendor", "type", "serves", NULL };
	yaml_node_t *pl, *cl;
	bool has_cdat = false;
	uint32_t total = 0;
	uint8_t sum = 0;

	m->proto0 = nprotos;
	m->cdat0 = ncdat;
	if (!n)
		return;
	only_keys(n, keys);
	pl = need(n, "protocols");
	for (size_t i = 0; i < seq_len(pl); i++) {
		yaml_node_t *p = seq_at(pl, i);

		only_keys(p, pkeys);
		if (nprotos >= MAX_PROTOS)
			fail(p, "too many DOE protocols");
		protos[nprotos].vendor = (unsigned)number(need(p, "vendor"), "vendor");
		protos[nprotos].type = (unsigned)number(need(p, "type"), "type");
		protos[nprotos].serves = word(need(p, "serves"), serves_words, "serves");
		if (protos[nprotos].vendor > 0xffff || protos[nprotos].type > 0xff)
			fail(p, "a DOE protocol is a 16-bit vendor ID and an 8-bit type");
		if ((i == 0) != (protos[nprotos].serves == CXL_DOE_SERVES_DISCOVERY))
			fail(p, "discovery is DOE protocol 0, and only 0 (PCIe r6.0 §6.30.1.1)");
		has_cdat |= protos[nprotos].serves == CXL_DOE_SERVES_CDAT;
		nprotos++;
	}
	m->nprotos = nprotos - m->proto0;
	if (!(cl = get(n, "cdat"))) {
		if (has_cdat)
			fail(pl, "a cdat protocol needs cdat: entries");
		return;
	}
	if (!has_cdat)
		fail(cl, "cdat: entries need a cdat protocol");
	for (size_t i = 0; i < seq_len(cl); i++) {
		yaml_node_t *e = seq_at(cl, i);

		if (ncdat >= MAX_CDAT)
			fail(e, "too many CDAT entries");
		if (e->type != YAML_SEQUENCE_NODE || !seq_len(e))
			fail(e, "a CDAT entry is a list of dwords");
		if (seq_len(e) > 250)
			fail(e, "a CDAT entry is at most 250 dwords here");
		cdat[ncdat].dw0 = ncdat_dwords;
		cdat[ncdat].ndw = (unsigned)seq_len(e);
		for (size_t k = 0; k < seq_len(e); k++) {
			uint64_t v = number(seq_at(e, k), "dword");

			if (v > 0xffffffffu)
				fail(seq_at(e, k), "a dword is 32 bits");
			if (ncdat_dwords >= MAX_CDAT_DWORDS)
				fail(e, "too many CDAT dwords");
			cdat_dwords[ncdat_dwords++] = (uint32_t)v;
			for (unsigned b = 0; b < 4; b++)
				sum = (uint8_t)(sum + (v >> (8 * b)));
		}
		total += 4u * cdat[ncdat].ndw;
		if (i && (cdat_dwords[cdat[ncdat].dw0] >> 16) != 4u * cdat[ncdat].ndw)
			fail(e, "CDAT entry %zu: Length 0x%x but %u bytes given", i,
			     cdat_dwords[cdat[ncdat].dw0] >> 16, 4u * cdat[ncdat].ndw);
		ncdat++;
	}
	m->ncdat = ncdat - m->cdat0;
	if (cdat[m->cdat0].ndw != 4)
		fail(seq_at(cl, 0), "CDAT entry 0 is the 16-byte CDAT header");
	if (cdat_dwords[cdat[m->cdat0].dw0] != total)
		fail(seq_at(cl, 0), "the CDAT header's Length 0x%x is not the table's 0x%x bytes",
		     cdat_dwords[cdat[m->cdat0].dw0], total);
	if (sum)
		fail(seq_at(cl, 0), "the CDAT table's bytes sum to 0x%02x, not 0 (Checksum)", sum);
}

static void parse_model(yaml_node_t *root)
{
	static const char *const keys[] = { "model", "description", "kind", "config-space",
		"place", "match", "bars", "extra-capabilities", "doe", NULL };
	static const char *const pkeys[] = { "structure", "at", "size", "variant", "count",
		"init", "next", "dvsec-revision", "cap-version", NULL };
	static const char *const mkeys[] = { "qemu-type", "vendor", "device", NULL };
	static const char *const bkeys[] = { "index", "type", "size", NULL };
	static const char *const xkeys[] = { "id", "version", "at", NULL };
	struct gmodel *m;
	yaml_node_t *pl, *n;
	struct { unsigned at, id, version; } caps[64];
	unsigned ncaps = 0;

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
	m->config_space = boolean(need(root, "config-space"), "config-space");
	m->vendor = m->device = -1;
	if ((n = get(root, "match"))) {
		only_keys(n, mkeys);
		if (get(n, "qemu-type"))
			m->qemu_type = xstrdup(scalar(get(n, "qemu-type"), "qemu-type"));
		if (get(n, "vendor") || get(n, "device")) {
			uint64_t v = number(need(n, "vendor"), "vendor"), d = number(need(n, "device"), "device");

			if (v > 0xffff || d > 0xffff)
				fail(n, "PCI IDs are 16-bit");
			m->vendor = (int)v;
			m->device = (int)d;
			if (!m->config_space)
				fail(n, "PCI IDs on a model without config space");
		}
		for (unsigned i = 0; i < nmodels; i++) {
			if (m->qemu_type && models[i].qemu_type && !strcmp(m->qemu_type, models[i].qemu_type))
				fail(n, "qemu-type '%s' also matches model %s", m->qemu_type, models[i].name);
			if (m->vendor >= 0 && models[i].vendor == m->vendor && models[i].device == m->device)
				fail(n, "PCI IDs also match model %s", models[i].name);
		}
	}
	m->bar0 = nbars;
	if ((n = get(root, "bars"))) {
		for (size_t i = 0; i < seq_len(n); i++) {
			yaml_node_t *b = seq_at(n, i);

			only_keys(b, bkeys);
			if (nbars >= MAX_BARS)
				fail(b, "too many BARs");
			bars[nbars].index = (unsigned)number(need(b, "index"), "index");
			bars[nbars].type = word(need(b, "type"), bar_words, "BAR type");
			bars[nbars].size = number(need(b, "size"), "size");
			if (bars[nbars].index > 5)
				fail(b, "BAR index 0..5");
			if (!bars[nbars].size || (bars[nbars].size & (bars[nbars].size - 1)))
				fail(b, "a BAR size is a power of two");
			/* PCIe r6.0 §7.5.1.2.1: memory BARs are at least 16 bytes, I/O BARs 4; a 64-bit
			 * BAR takes the next BAR as its upper dword (sizes of 4 GiB and up: not modelled) */
			if (bars[nbars].size < (bars[nbars].type == CXL_BAR_IO ? 4u : 16u) ||
			    bars[nbars].size > 0x80000000u)
				fail(need(b, "size"), "a BAR size is 16 bytes (I/O: 4) to 2 GiB");
			for (unsigned k = m->bar0; k < nbars; k++)
				if (bars[k].index == bars[nbars].index ||
				    (bars[k].type == CXL_BAR_MEM64 && bars[k].index + 1 == bars[nbars].index) ||
				    (bars[nbars].type == CXL_BAR_MEM64 && bars[nbars].index + 1 == bars[k].index))
					fail(b, "BAR %u overlaps BAR %u (a 64-bit BAR also takes the next)",
					     bars[nbars].index, bars[k].index);
			if (bars[nbars].type == CXL_BAR_MEM64 && bars[nbars].index == 5)
				fail(b, "a 64-bit BAR cannot be BAR 5");
			nbars++;
		}
	}
	m->nbars = nbars - m->bar0;
	parse_doe(get(root, "doe"), m);
	pl = need(root, "place");
	/*
	 * The CXL capability array (CXL r3.1 §8.2.4.1-2) is generated: one entry per placed
	 * structure with a cxl-capability (version: its own or the placement's cap-version:),
	 * plus the model's extra-capabilities (capabilities it has but the model does not),
	 * sorted by offset; the pointer is the offset from the array (the CXL.cache/mem start).
	 */
	for (size_t i = 0; i < seq_len(pl); i++) {
		yaml_node_t *pn = seq_at(pl, i);
		int si = find_struct(scalar(need(pn, "structure"), "structure"));

		if (si < 0 || structs[si].cap_id < 0)
			continue;
		if (ncaps >= 64)
			fail(pn, "too many capabilities");
		caps[ncaps].at = (unsigned)number(need(pn, "at"), "at");
		caps[ncaps].id = (unsigned)structs[si].cap_id;
		caps[ncaps].version = get(pn, "cap-version") ?
			(unsigned)number(get(pn, "cap-version"), "cap-version") : (unsigned)structs[si].cap_version;
		ncaps++;
	}
	if ((n = get(root, "extra-capabilities")))
		for (size_t i = 0; i < seq_len(n); i++) {
			yaml_node_t *x = seq_at(n, i);

			only_keys(x, xkeys);
			if (ncaps >= 64)
				fail(x, "too many capabilities");
			caps[ncaps].id = (unsigned)number(need(x, "id"), "id");
			caps[ncaps].version = (unsigned)number(need(x, "version"), "version");
			caps[ncaps].at = (unsigned)number(need(x, "at"), "at");
			ncaps++;
		}
	for (unsigned i = 1; i < ncaps; i++)
		for (unsigned j = i; j > 0 && caps[j].at < caps[j - 1].at; j--) {
			typeof(caps[0]) t = caps[j];

			caps[j] = caps[j - 1];
			caps[j - 1] = t;
		}
	m->place0 = nplaces;
	for (size_t i = 0; i < seq_len(pl); i++) {
		yaml_node_t *pn = seq_at(pl, i);
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
		if (!strcmp(space_words[s->space], "config") && !m->config_space)
			fail(pn, "config-space structure in a model without config space");
		if (p->at % 4)
			fail(need(pn, "at"), "placement must be 4-byte aligned");
		p->count = s->rep_count;
		if ((n = get(pn, "count"))) {
			if (!s->rep_nregs)
				fail(n, "structure '%s' has no repeat", s->id);
			if (s->cap_array)
				fail(n, "the capability array's count is the model's capabilities");
			p->count = (int)number(n, "count");
			if (p->count < 0 || p->count > (int)s->rep_max)
				fail(n, "count %d is outside 0..%u", p->count, s->rep_max);
		}
		if (s->cap_array) {
			p->count = (int)ncaps;
			if (p->count > (int)s->rep_max)
				fail(pn, "%u capabilities, the array holds %u", ncaps, s->rep_max);
		}
		if ((n = get(pn, "next")) && !s->has_dvsec)
			fail(n, "'next' is for structures with a dvsec-header");
		if ((n = get(pn, "dvsec-revision")) && !s->has_dvsec)
			fail(n, "'dvsec-revision' is for structures with a dvsec-header");
		if ((n = get(pn, "cap-version")) && s->cap_id < 0)
			fail(n, "'cap-version' is for structures with a cxl-capability");
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
		if (p->at + end > spaces[s->space].size)
			fail(pn, "structure does not fit in %s space", space_words[s->space]);
		p->init0 = ninits;
		if ((n = get(pn, "init"))) {
			if (n->type != YAML_MAPPING_NODE)
				fail(n, "init must be a mapping");
			for (size_t q = 0; q < map_len(n); q++) {
				yaml_node_t *k = map_key(n, q);
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
				{
					char back[160];

					if (rep)
						snprintf(back, sizeof(back), "%s.%u", id, inst);
					else
						snprintf(back, sizeof(back), "%s", id);
					if (strcmp(back, scalar(k, "register")))
						fail(k, "bad register reference '%s' (REGISTER or REGISTER.N)",
						     scalar(k, "register"));
				}
				for (size_t q2 = 0; q2 < q; q2++)
					if (!strcmp(scalar(map_key(n, q2), "register"), scalar(k, "register")))
						fail(k, "'%s' given twice", scalar(k, "register"));
				if (s->cap_array || (s->has_dvsec && !rep && ri < (int)s->reg0 + 3))
					fail(k, "%s is generated from the placements (next:, dvsec-revision:, size:, cap-version:); it cannot be init:",
					     regs[ri].id);
				if (rep && (p->count < 0 || inst >= (unsigned)p->count))
					fail(k, "instance %u out of range", inst);
				v = number(map_value(n, q), "init value");
				wmask = regs[ri].width == 64 ? ~0ULL : (1ULL << regs[ri].width) - 1;
				if (v & ~wmask)
					fail(map_value(n, q), "value does not fit in %u bits", regs[ri].width);
				inits[ninits++] = (struct ginit){ (unsigned)ri, inst, v };
			}
		}
		generated_inits(pn, p, s, caps, ncaps, end);
		bar_inits(pn, p, s, m);
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

/* ------------------------------------------------------------------ */
/* profiles */

/* Records a profile file; it is resolved (inheritance) once every profile is known. */
static void parse_profile(yaml_node_t *root)
{
	static const char *const keys[] = { "profile", "inherits", "description", "locks", "hdm",
		"access", "fields", "resets", "shadow", NULL };
	struct gprofile *p;

	only_keys(root, keys);
	if (nprofiles >= MAX_PROFILES)
		fail(root, "too many profiles");
	p = &profiles[nprofiles];
	memset(p, 0, sizeof(*p));
	p->name = xstrdup(scalar(need(root, "profile"), "profile"));
	if (!lower_name(p->name) && !strchr(p->name, '.'))
		fail(need(root, "profile"), "profile name '%s': use [a-z0-9.-]", p->name);
	for (unsigned i = 0; i < nprofiles; i++)
		if (!strcmp(profiles[i].name, p->name))
			fail(need(root, "profile"), "profile '%s' defined twice (also in %s)", p->name,
			     profiles[i].file);
	p->desc = xstrdup(scalar(need(root, "description"), "description"));
	p->root = root;
	p->file = cur_file;
	p->doc = cur_doc;
	p->parent = -1;
	if (get(root, "inherits"))
		p->parent_name = xstrdup(scalar(get(root, "inherits"), "inherits"));
	nprofiles++;
}

/* A list of reset kinds as a bit mask (bit per enum cxl_reset_kind); duplicates refused. */
static unsigned reset_list(yaml_node_t *n)
{
	unsigned m = 0;

	if (n->type != YAML_SEQUENCE_NODE)
		fail(n, "give a list of reset kinds");
	for (size_t k = 0; k < seq_len(n); k++) {
		unsigned r = word(seq_at(n, k), reset_words, "reset kind");

		if (m & (1u << r))
			fail(seq_at(n, k), "reset kind '%s' listed twice", reset_words[r]);
		m |= 1u << r;
	}
	return m;
}

/* Field list of hdm-decoder's Control register (names resolved to a mask). */
static uint64_t hdm_control_mask(yaml_node_t *n)
{
	int si = find_struct("hdm-decoder"), ri;
	bool rep;

	if (si < 0)
		fail(n, "hdm: knobs need the hdm-decoder structure");
	ri = find_reg(&structs[si], "control", &rep);
	if (ri < 0)
		fail(n, "hdm-decoder has no control register");
	return field_list_mask(n, (unsigned)ri);
}

/* Resolves profile @i: its parent first, then its own keys over the parent's values. */
static void resolve_profile(unsigned i)
{
	static const char *const lkeys[] = { "structure", "lock", "when-all", "when-any", "never",
		"release", "rule", "reason", NULL };
	static const char *const hkeys[] = { "commit-checks", "recommit", "on-commit-clear",
		"on-uncommit-clear", NULL };
	static const char *const akeys[] = { "rejected-read", NULL };
	static const char *const okeys[] = { "structure", "register", "field", "access",
		"if-capable", "kinds", "lock", NULL };
	static const char *const shkeys[] = { "hdm", "dvsec", NULL };
	static const char *const shhkeys[] = { "take", "hide", NULL };
	static const char *const shdkeys[] = { "take", NULL };
	struct gprofile *p = &profiles[i];
	yaml_node_t *root = p->root, *n, *fl;
	size_t own0;

	if (p->resolved)
		return;
	cur_file = p->file;
	cur_doc = p->doc;
	if (p->resolving)
		fail(get(root, "inherits"), "profile '%s' inherits from itself", p->name);
	p->resolving = true;
	if (p->parent_name) {
		for (unsigned j = 0; j < nprofiles; j++)
			if (!strcmp(profiles[j].name, p->parent_name))
				p->parent = (int)j;
		if (p->parent < 0)
			fail(get(root, "inherits"), "unknown profile '%s'", p->parent_name);
		resolve_profile((unsigned)p->parent);
		cur_file = p->file;
		cur_doc = p->doc;
	}
	if (p->parent >= 0) {
		struct gprofile *q = &profiles[p->parent];

		memcpy(p->locks, q->locks, sizeof(p->locks));
		p->check0 = q->check0;
		p->ncheck = q->ncheck;
		p->recommit = q->recommit;
		p->on_commit_clear = q->on_commit_clear;
		p->on_uncommit_clear = q->on_uncommit_clear;
		p->rread = q->rread;
		memcpy(p->resets, q->resets, sizeof(p->resets));
		p->hdm_take = q->hdm_take;
		p->dvsec_take = q->dvsec_take;
		p->hdm_hide = q->hdm_hide;
	} else {
		/* The root: every knob must be set; reset scopes start as the structures say. */
		memcpy(p->locks, locks, sizeof(p->locks));
		for (unsigned si = 0; si < nstructs; si++)
			for (unsigned k = 0; k < nresets; k++)
				p->resets[si][k] = structs[si].resets[k];
		n = need(root, "hdm");
		for (unsigned k = 0; hkeys[k]; k++)
			need(n, hkeys[k]);
		n = need(root, "access");
		for (unsigned k = 0; akeys[k]; k++)
			need(n, akeys[k]);
		need(root, "locks");
		need(root, "fields");
		n = need(root, "shadow");
		need(need(n, "hdm"), "take");
		need(need(n, "hdm"), "hide");
		need(need(n, "dvsec"), "take");
	}
	/* shadow: {hdm: {take: [KIND...], hide: none|locked}, dvsec: {take: [KIND...]}} */
	if ((n = get(root, "shadow"))) {
		yaml_node_t *h;

		only_keys(n, shkeys);
		if ((h = get(n, "hdm"))) {
			only_keys(h, shhkeys);
			if (get(h, "take"))
				p->hdm_take = reset_list(get(h, "take"));
			if (get(h, "hide"))
				p->hdm_hide = word(get(h, "hide"), hide_words, "hide mode");
		}
		if ((h = get(n, "dvsec"))) {
			only_keys(h, shdkeys);
			if (get(h, "take"))
				p->dvsec_take = reset_list(get(h, "take"));
		}
	}
	if ((n = get(root, "locks"))) {
		for (size_t k = 0; k < seq_len(n); k++) {
			yaml_node_t *e = seq_at(n, k);
			const char *sname, *lname;
			int si, li = -1;

			only_keys(e, lkeys);
			sname = scalar(need(e, "structure"), "structure");
			lname = scalar(need(e, "lock"), "lock");
			si = find_struct(sname);
			if (si < 0)
				fail(need(e, "structure"), "unknown structure '%s'", sname);
			for (unsigned j = structs[si].lock0; j < structs[si].lock0 + structs[si].nlocks; j++)
				if (!strcmp(locks[j].name, lname))
					li = (int)j;
			if (li < 0)
				fail(need(e, "lock"), "no lock '%s' in %s", lname, sname);
			for (size_t k2 = 0; k2 < k; k2++)
				if (!strcmp(scalar(get(seq_at(n, k2), "structure"), "structure"), sname) &&
				    !strcmp(scalar(get(seq_at(n, k2), "lock"), "lock"), lname))
					fail(need(e, "lock"), "lock %s/%s is listed twice", sname, lname);
			/* what a profile says of a lock replaces the inherited lock whole: it starts
			 * from the structure's own (rule, reason) and takes only this entry's keys */
			p->locks[li] = locks[li];
			p->locks[li].release = 0;
			lock_predicate(e, &p->locks[li]);
		}
	}
	if ((n = get(root, "hdm"))) {
		yaml_node_t *v;

		only_keys(n, hkeys);
		if ((v = get(n, "commit-checks"))) {
			p->check0 = nchecks;
			for (size_t k = 0; k < map_len(v); k++) {
				unsigned rule = word(map_key(v, k), rule_words, "rule");

				for (unsigned c = p->check0; c < nchecks; c++)
					if (checks[c].rule == rule)
						fail(map_key(v, k), "commit check '%s' listed twice", rules[rule].id);
				if (nchecks >= MAX_CHECKS)
					fail(v, "too many checks");
				if (strncmp(rules[rule].id, "hdm.commit-", 11))
					fail(map_key(v, k), "'%s' is not a commit check (hdm.commit-*)",
					     rules[rule].id);
				checks[nchecks].rule = rule;
				checks[nchecks].fails = word(map_value(v, k), fails_words, "fails mode");
				nchecks++;
			}
			p->ncheck = nchecks - p->check0;
		}
		if ((v = get(n, "recommit")))
			p->recommit = boolean(v, "recommit");
		if ((v = get(n, "on-commit-clear")))
			p->on_commit_clear = hdm_control_mask(v);
		if ((v = get(n, "on-uncommit-clear")))
			p->on_uncommit_clear = hdm_control_mask(v);
	}
	/* resets: {STRUCTURE: {KIND: SCOPE, ...}}: what a reset kind restores, per structure */
	if ((n = get(root, "resets"))) {
		if (n->type != YAML_MAPPING_NODE)
			fail(n, "resets: is a mapping of structure to {reset kind: scope}");
		for (size_t k = 0; k < map_len(n); k++) {
			const char *sname = scalar(map_key(n, k), "structure");
			yaml_node_t *v = map_value(n, k);
			int si = find_struct(sname);

			if (si < 0)
				fail(map_key(n, k), "unknown structure '%s'", sname);
			for (size_t k2 = 0; k2 < k; k2++)
				if (!strcmp(scalar(map_key(n, k2), "structure"), sname))
					fail(map_key(n, k), "structure '%s' is listed twice", sname);
			if (v->type != YAML_MAPPING_NODE || !map_len(v))
				fail(v, "%s: give {reset kind: scope, ...}", sname);
			for (size_t j = 0; j < map_len(v); j++) {
				unsigned kind = word(map_key(v, j), reset_words, "reset kind");

				for (size_t j2 = 0; j2 < j; j2++)
					if (word(map_key(v, j2), reset_words, "reset kind") == kind)
						fail(map_key(v, j), "%s: reset kind '%s' given twice", sname,
						     reset_words[kind]);
				p->resets[si][kind] = word(map_value(v, j), scope_words, "reset scope");
			}
		}
	}
	if ((n = get(root, "access"))) {
		only_keys(n, akeys);
		if (get(n, "rejected-read"))
			p->rread = word(get(n, "rejected-read"), rr_words, "rejected-read mode");
	}
	/* Field overrides: the parent's first, then this profile's. */
	p->ovr0 = novrs;
	if (p->parent >= 0) {
		struct gprofile *q = &profiles[p->parent];

		if (novrs + q->novr > MAX_OVR)
			fail(root, "too many overrides");
		memmove(&ovrs[novrs], &ovrs[q->ovr0], q->novr * sizeof(ovrs[0]));
		novrs += q->novr;
	}
	own0 = novrs;
	fl = get(root, "fields");
	for (size_t k = 0; fl && k < seq_len(fl); k++) {
		yaml_node_t *on = seq_at(fl, k);
		struct govr o = { 0 };
		const char *fname;
		bool rep, found = false;
		int si, ri;

		only_keys(on, okeys);
		si = find_struct(scalar(need(on, "structure"), "structure"));
		if (si < 0)
			fail(need(on, "structure"), "unknown structure");
		ri = find_reg(&structs[si], scalar(need(on, "register"), "register"), &rep);
		if (ri < 0)
			fail(need(on, "register"), "no register '%s' in %s",
			     scalar(need(on, "register"), "register"), structs[si].id);
		o.reg = (unsigned)ri;
		fname = scalar(need(on, "field"), "field");
		o.field = -1;
		o.access = get(on, "access") ? (int)word(get(on, "access"), attr_words, "access") : -1;
		o.lock = -1;
		if ((n = get(on, "lock"))) {
			const char *lname = scalar(n, "lock");

			for (unsigned j = structs[si].lock0; j < structs[si].lock0 + structs[si].nlocks; j++)
				if (!strcmp(locks[j].name, lname))
					o.lock = (int)j;
			if (o.lock < 0)
				fail(n, "no lock '%s' in %s", lname, structs[si].id);
			if (o.access < 0 || !attrs[o.access].lockable)
				fail(n, "lock: goes with a lockable access (RWL)");
		}
		if (o.access >= 0 && ((attrs[o.access].lockable && o.lock < 0) ||
				      attrs[o.access].write == CXL_WRITE_TRIGGER))
			fail(get(on, "access"), "an override cannot introduce a trigger attribute, or a lockable one without lock:");
		if ((n = get(on, "if-capable"))) {
			if (strcmp(scalar(n, "if-capable"), "none"))
				fail(n, "an override can only say 'if-capable: none'");
			o.drop_if_capable = true;
		}
		/* kinds: [KIND, ...]: only devices of these kinds take the override */
		if ((n = get(on, "kinds"))) {
			if (n->type != YAML_SEQUENCE_NODE || !seq_len(n))
				fail(n, "kinds: is a list of device kinds");
			for (size_t j = 0; j < seq_len(n); j++) {
				unsigned kind = word(seq_at(n, j), kind_words, "device kind");

				if (o.kinds & (1u << kind))
					fail(seq_at(n, j), "device kind '%s' listed twice", kind_words[kind]);
				o.kinds |= 1u << kind;
			}
		}
		if (o.access < 0 && !o.drop_if_capable)
			fail(on, "this override changes nothing: give access: or if-capable: none");
		/* one override per field and device kind in a profile (the parent's are replaced) */
		for (size_t q = own0; q < novrs; q++)
			if (ovrs[q].reg == o.reg && (!ovrs[q].kinds || !o.kinds || (ovrs[q].kinds & o.kinds)) &&
			    (!strcmp(fname, "*") || ovrs[q].field < 0 ||
			     !strcmp(fields[regs[ri].field0 + (unsigned)ovrs[q].field].name, fname)))
				fail(on, "%s.%s is overridden twice in this profile (for the same device kinds)",
				     regs[ri].id, fname);
		if (!strcmp(fname, "*")) {
			if (novrs >= MAX_OVR)
				fail(on, "too many overrides");
			ovrs[novrs++] = o;
			continue;
		}
		/* A name can stand for several fields (one per variant): override each. */
		for (unsigned j = 0; j < regs[ri].nfields; j++) {
			if (strcmp(fields[regs[ri].field0 + j].name, fname))
				continue;
			if (novrs >= MAX_OVR)
				fail(on, "too many overrides");
			ovrs[novrs] = o;
			ovrs[novrs].field = (int)j;
			novrs++;
			found = true;
		}
		if (!found)
			fail(need(on, "field"), "no field '%s' in '%s'", fname, regs[ri].id);
	}
	p->novr = novrs - p->ovr0;
	p->resolving = false;
	p->resolved = true;
}

/* ------------------------------------------------------------------ */
/* output */

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

/* Writes @s as a C identifier part: letters upper-cased, everything else '_'. */
static void ident(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc((*s >= 'a' && *s <= 'z') ? *s - 32 :
		      ((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')) ? *s : '_', f);
}

/* "#define CXL_<a>_<b>..." helpers. */
static void def_begin(FILE *f, const char *prefix, const char *a, const char *b, const char *c)
{
	fprintf(f, "#define CXL_%s", prefix);
	ident(f, a);
	if (b) {
		fputc('_', f);
		ident(f, b);
	}
	if (c) {
		fputc('_', f);
		ident(f, c);
	}
}

/* The structure (or fragment) a register belongs to, for naming. */
static const char *reg_owner(unsigned ri)
{
	for (unsigned i = 0; i < nfrags; i++)
		if (ri >= frags[i].reg0 && ri < frags[i].reg0 + frags[i].nregs)
			return frags[i].id;
	return structs[regs[ri].structure].id;
}

/* Field constants of register @ri: _SHIFT, _LENGTH, _MASK, _RESET (once per name). */
static void emit_reg_constants(FILE *f, unsigned ri)
{
	const struct greg *r = &regs[ri];
	const char *owner = reg_owner(ri);

	def_begin(f, "A_", owner, r->id, NULL);
	fprintf(f, " 0x%xu\n", r->offset);
	for (unsigned j = r->field0; j < r->field0 + r->nfields; j++) {
		const struct gfield *x = &fields[j];
		bool dup = false;

		for (unsigned k = r->field0; k < j; k++)
			dup |= !strcmp(fields[k].name, x->name);
		if (dup)
			continue;
		def_begin(f, "F_", owner, r->id, x->name);
		fprintf(f, "_SHIFT %u\n", x->lo);
		def_begin(f, "F_", owner, r->id, x->name);
		fprintf(f, "_LENGTH %u\n", x->hi - x->lo + 1);
		def_begin(f, "F_", owner, r->id, x->name);
		fprintf(f, "_MASK UINT64_C(0x%" PRIx64 ")\n", field_mask(x->lo, x->hi));
		def_begin(f, "F_", owner, r->id, x->name);
		fprintf(f, "_RESET UINT64_C(0x%" PRIx64 ")\n", x->reset);
		def_begin(f, "F_", owner, r->id, x->name);
		fputs("_NAME ", f);
		cstr(f, x->name);
		fputc('\n', f);
	}
	for (unsigned v = 0; v < nvalues; v++) {
		const struct gfield *x = &fields[values[v].field];

		if (values[v].field < r->field0 || values[v].field >= r->field0 + r->nfields)
			continue;
		def_begin(f, "V_", owner, r->id, x->name);
		fputc('_', f);
		ident(f, values[v].name);
		fprintf(f, " 0x%" PRIx64 "u\n", values[v].v);
	}
}

/* Writes an enum of the vocabulary list @names as CXL_<prefix><NAME>. */
static void emit_enum(FILE *f, const char *type, const char *prefix, char *const *names,
		      unsigned n, const char *comment)
{
	fprintf(f, "/* %s */\nenum %s {\n", comment, type);
	for (unsigned i = 0; i < n; i++) {
		fprintf(f, "\tCXL_%s", prefix);
		ident(f, names[i]);
		fprintf(f, " = %u,\n", i);
	}
	fprintf(f, "\tCXL_%s_COUNT\n};\n\n", prefix);
}

static void emit_public(FILE *f)
{
	char *names[MAX_RULES];

	fputs("/* SPDX-License-Identifier: MIT */\n"
	      "/* Generated by tools/specgen from spec/ YAML files. Do not edit. */\n"
	      "/*\n * cxlemu/spec_ids.h - names from spec/ for C: the vocabularies, the rule ids,\n"
	      " * and per register and field its offset, shift, length, mask and reset value\n"
	      " * (CXL_A_<STRUCTURE>_<REGISTER>, CXL_F_<STRUCTURE>_<REGISTER>_<FIELD>_MASK ...).\n"
	      " * Enum values are valid for this build of the library; use names across builds.\n */\n"
	      "#ifndef CXLEMU_SPEC_IDS_H\n#define CXLEMU_SPEC_IDS_H\n\n#include <stdint.h>\n\n", f);
	for (unsigned i = 0; i < nattrs; i++)
		names[i] = attrs[i].name;
	emit_enum(f, "cxl_access", "ACC_", names, nattrs,
		  "Access attributes (spec/vocabulary.yaml access-attributes).");
	for (unsigned i = 0; i < nspaces; i++)
		names[i] = spaces[i].name;
	emit_enum(f, "cxl_space", "SPACE_", names, nspaces, "Address spaces of a device.");
	for (unsigned i = 0; i < nspaces; i++) {
		def_begin(f, "SPACE_", spaces[i].name, "size", NULL);
		fprintf(f, " 0x%" PRIx64 "u\n", spaces[i].size);
	}
	for (unsigned i = 0; i < nranges; i++) {
		def_begin(f, "RANGE_", ranges[i].name, "start", NULL);
		fprintf(f, " 0x%" PRIx64 "u\n", ranges[i].start);
		def_begin(f, "RANGE_", ranges[i].name, "end", NULL);
		fprintf(f, " 0x%" PRIx64 "u\n", ranges[i].end);
	}
	fputc('\n', f);
	emit_enum(f, "cxl_reset_kind", "RESET_", reset_names, nresets, "Reset kinds.");
	for (unsigned i = 0; i < nops; i++)
		names[i] = ops[i].name;
	emit_enum(f, "cxl_op_kind", "OP_", names, nops, "Trace ops.");
	emit_enum(f, "cxl_inject_kind", "INJECT_", inject_names, ninjects, "Injected hardware events.");
	for (unsigned i = 0; i < nkinds; i++)
		names[i] = kinds[i].name;
	emit_enum(f, "cxl_kind", "KIND_", names, nkinds, "Device kinds of the models.");
	for (unsigned i = 0; i < nviews; i++)
		names[i] = views[i].name;
	emit_enum(f, "cxl_view", "VIEW_", names, nviews, "How a trace counts a device's mmio offsets.");
	fputs("/* Rule severities. */\nenum cxl_severity {\n", f);
#define SEVW(n, w) fputs("\tCXL_SEV_" #n ",\n", f);
	CXL_SEVERITY_LIST(SEVW)
#undef SEVW
	fputs("\tCXL_SEV__COUNT\n};\n\n", f);
	fputs("/* Rules (spec/rules.yaml): CXL_RULE_<ID> for id \"a.b-c\" is CXL_RULE_A_B_C. */\nenum cxl_rule {\n", f);
	for (unsigned i = 0; i < nrules; i++) {
		fputs("\tCXL_RULE_", f);
		ident(f, rules[i].id);
		fprintf(f, " = %u,\n", i);
	}
	fputs("\tCXL_RULE__COUNT\n};\n\n", f);
	fputs("/* Registers and fields. */\n", f);
	for (unsigned i = 0; i < nfrags; i++)
		for (unsigned k = frags[i].reg0; k < frags[i].reg0 + frags[i].nregs; k++)
			emit_reg_constants(f, k);
	for (unsigned i = 0; i < nstructs; i++) {
		const struct gstruct *s = &structs[i];

		fprintf(f, "\n/* %s (%s) */\n", s->id, s->spec);
		if (s->has_dvsec) {
			struct gfrag *fr = find_frag("cxl-dvsec-header");

			for (unsigned p = 0; p < fr->nparams; p++) {
				def_begin(f, "DVSEC_", fr->params[p], s->id, NULL);
				fprintf(f, " 0x%" PRIx64 "u\n", s->dvsec[p]);
			}
		}
		def_begin(f, "SIZE_", s->id, NULL, NULL);
		fprintf(f, " 0x%xu\n", s->size);
		if (s->rep_nregs) {
			def_begin(f, "REP_", s->id, "base", NULL);
			fprintf(f, " 0x%xu\n", s->rep_base);
			def_begin(f, "REP_", s->id, "stride", NULL);
			fprintf(f, " 0x%xu\n", s->rep_stride);
			def_begin(f, "REP_", s->id, "max", NULL);
			fprintf(f, " %uu\n", s->rep_max);
		}
		for (unsigned k = s->reg0; k < s->reg0 + s->nregs; k++)
			emit_reg_constants(f, k);
		for (unsigned k = s->rep_reg0; k < s->rep_reg0 + s->rep_nregs; k++)
			emit_reg_constants(f, k);
	}
	fputs("\n#endif\n", f);
}

static void emit_private(FILE *f)
{
	fputs("/* Generated by tools/specgen from spec/ YAML files. Do not edit. */\n"
	      "/* spec_tables.h - table indexes of structures, registers and locks (private). */\n"
	      "#ifndef CXLEMU_SPEC_TABLES_H\n#define CXLEMU_SPEC_TABLES_H\n"
	      "#include \"spec_types.h\"\n\n", f);
	for (unsigned i = 0; i < nstructs; i++) {
		const struct gstruct *s = &structs[i];

		def_begin(f, "S_", s->id, NULL, NULL);
		fprintf(f, " %uu\n", i);
		for (unsigned k = s->reg0; k < s->reg0 + s->nregs; k++) {
			def_begin(f, "R_", s->id, regs[k].id, NULL);
			fprintf(f, " %uu\n", k);
		}
		for (unsigned k = s->rep_reg0; k < s->rep_reg0 + s->rep_nregs; k++) {
			def_begin(f, "R_", s->id, regs[k].id, NULL);
			fprintf(f, " %uu\n", k);
		}
		for (unsigned k = s->lock0; k < s->lock0 + s->nlocks; k++) {
			def_begin(f, "L_", s->id, locks[k].name, NULL);
			fprintf(f, " %uu\n", k);
		}
	}
	for (unsigned i = 0; i < ndecodes; i++) {
		const struct gfield *x = &fields[decodes[i].field];
		unsigned ri = 0;

		while (!(decodes[i].field >= regs[ri].field0 &&
			 decodes[i].field < regs[ri].field0 + regs[ri].nfields))
			ri++;
		fputs("/* decode: of the field: encoding -> value, 0 = reserved */\nextern const uint32_t CXL_DECODE_", f);
		ident(f, reg_owner(ri));
		fputc('_', f);
		ident(f, regs[ri].id);
		fputc('_', f);
		ident(f, x->name);
		fprintf(f, "[%u];\n", 1u << (x->hi - x->lo + 1));
	}
	fprintf(f, "#define CXL_SPEC_NSTRUCTS %u\n\n#endif\n", nstructs);
}

static void emit_lock_eff(FILE *f, const struct glock *lk)
{
	fprintf(f, "\t{ 0x%" PRIx64 "ULL, 0x%" PRIx64 "ULL, 0x%" PRIx64 "ULL, %s, %u, ", lk->all,
		lk->any, lk->release, lk->never ? "true" : "false", lk->rule);
	cstr(f, lk->reason ? lk->reason : "");
	fputs(" },\n", f);
}

static void emit_tables(FILE *f)
{
	fputs("/* Generated by tools/specgen from spec/ YAML files. Do not edit. */\n"
	      "#include <stddef.h>\n#include \"spec_tables.h\"\n\n", f);
	fputs("const struct cxl_attr_spec cxl_spec_attrs[CXL_ACC__COUNT] = {\n", f);
	for (unsigned i = 0; i < nattrs; i++) {
		fputs("\t{ ", f);
		cstr(f, attrs[i].name);
		fprintf(f, ", %u, %s, %s },\n", attrs[i].write, attrs[i].sticky ? "true" : "false",
			attrs[i].lockable ? "true" : "false");
	}
	fputs("};\n\nconst char *const cxl_spec_space_names[CXL_SPACE__COUNT] = {", f);
	for (unsigned i = 0; i < nspaces; i++)
		fputs(i ? ", " : " ", f), cstr(f, spaces[i].name);
	fputs(" };\nconst uint32_t cxl_spec_space_sizes[CXL_SPACE__COUNT] = {", f);
	for (unsigned i = 0; i < nspaces; i++)
		fprintf(f, "%s0x%" PRIx64, i ? ", " : " ", spaces[i].size);
	fputs(" };\nconst char *const cxl_spec_reset_names[CXL_RESET__COUNT] = {", f);
	for (unsigned i = 0; i < nresets; i++)
		fputs(i ? ", " : " ", f), cstr(f, reset_names[i]);
	fputs(" };\nconst struct cxl_op_spec cxl_spec_ops[CXL_OP__COUNT] = {\n", f);
	for (unsigned i = 0; i < nops; i++) {
		fputs("\t{ ", f);
		cstr(f, ops[i].name);
		fprintf(f, ", %d, %s },\n", ops[i].space, ops[i].write ? "true" : "false");
	}
	fputs("};\nconst char *const cxl_spec_inject_names[CXL_INJECT__COUNT] = {", f);
	for (unsigned i = 0; i < ninjects; i++)
		fputs(i ? ", " : " ", f), cstr(f, inject_names[i]);
	fputs(" };\nconst struct cxl_kind_spec cxl_spec_kinds[CXL_KIND__COUNT] = {\n", f);
	for (unsigned i = 0; i < nkinds; i++) {
		fputs("\t{ ", f);
		cstr(f, kinds[i].name);
		fputs(", ", f);
		cstr(f, kinds[i].prefix);
		fputs(" },\n", f);
	}
	fputs("};\n\nconst struct cxl_view_spec cxl_spec_views[CXL_VIEW__COUNT] = {\n", f);
	for (unsigned i = 0; i < nviews; i++) {
		fputs("\t{ ", f);
		cstr(f, views[i].name);
		fprintf(f, ", %u, %u, %u, ", views[i].base, views[i].end, views[i].access);
		cstr(f, views[i].spec);
		fputs(" },\n", f);
	}
	fputs("};\n\n", f);
	for (unsigned i = 0; i < ndecodes; i++) {
		const struct gfield *x = &fields[decodes[i].field];
		unsigned n = 1u << (x->hi - x->lo + 1);
		unsigned ri = 0;

		while (!(decodes[i].field >= regs[ri].field0 &&
			 decodes[i].field < regs[ri].field0 + regs[ri].nfields))
			ri++;
		fputs("const uint32_t CXL_DECODE_", f);
		ident(f, reg_owner(ri));
		fputc('_', f);
		ident(f, regs[ri].id);
		fputc('_', f);
		ident(f, x->name);
		fprintf(f, "[%u] = {", n);
		for (unsigned j = 0; j < n; j++)
			fprintf(f, "%s%u", j ? ", " : " ", decodes[i].table[j]);
		fputs(" };\n", f);
	}
	fputs("\nconst struct cxl_field_spec cxl_spec_fields[] = {\n", f);
	for (unsigned i = 0; i < nfields; i++) {
		struct gfield *x = &fields[i];

		fputs("\t{ ", f);
		cstr(f, x->name);
		fprintf(f, ", %u, %u, %u, %u, %u, 0x%x, %d, %d, %u, %u, %u, 0x%" PRIx64 "ULL },\n",
			x->lo, x->hi, x->access, x->else_access, x->action, x->variants, x->lock,
			x->cap_reg, x->cap_lo, x->cap_hi, x->sized, x->reset);
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
		fprintf(f, ", %u, 0x%x, %u, 0x%x, %s, %u, %u },\n", r->structure, r->offset, r->width,
			r->variants, r->repeated ? "true" : "false", r->field0, r->nfields);
	}
	fputs("};\n\nconst struct cxl_lock_spec cxl_spec_locks[] = {\n", f);
	for (unsigned i = 0; i < nlocks; i++) {
		fputs("\t{ ", f);
		cstr(f, locks[i].name);
		fprintf(f, ", %u, %u },\n", locks[i].structure, locks[i].reg);
	}
	if (!nlocks)
		fputs("\t{ \"\", 0, 0 },\n", f);
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
		for (unsigned k = 0; k < nresets; k++)
			fprintf(f, "%s%u", k ? ", " : " ", s->resets[k]);
		fprintf(f, " }, %u, %u, %u, %u, 0x%x, 0x%x, %u, %d, %s, %u, %u },\n", s->reg0, s->nregs,
			s->rep_reg0, s->rep_nregs, s->rep_base, s->rep_stride, s->rep_max,
			s->rep_count, s->rep_hdm ? "true" : "false", s->lock0, s->nlocks);
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
	fputs("};\n\nconst struct cxl_bar_spec cxl_spec_bars[] = {\n", f);
	for (unsigned i = 0; i < nbars; i++)
		fprintf(f, "\t{ %u, %u, 0x%" PRIx64 "ULL },\n", bars[i].index, bars[i].type,
			bars[i].size);
	if (!nbars)
		fputs("\t{ 0, 0, 0 },\n", f);
	fputs("};\n\nconst struct cxl_doe_proto_spec cxl_spec_doe_protos[] = {\n", f);
	for (unsigned i = 0; i < nprotos; i++)
		fprintf(f, "\t{ 0x%04x, %u, %u },\n", protos[i].vendor, protos[i].type, protos[i].serves);
	if (!nprotos)
		fputs("\t{ 0, 0, 0 },\n", f);
	fputs("};\n\nconst struct cxl_cdat_spec cxl_spec_cdat[] = {\n", f);
	for (unsigned i = 0; i < ncdat; i++)
		fprintf(f, "\t{ %u, %u },\n", cdat[i].dw0, cdat[i].ndw);
	if (!ncdat)
		fputs("\t{ 0, 0 },\n", f);
	fputs("};\n\nconst uint32_t cxl_spec_cdat_dwords[] = {\n", f);
	for (unsigned i = 0; i < ncdat_dwords; i++)
		fprintf(f, "%s0x%08x,%s", i % 6 ? " " : "\t", cdat_dwords[i], i % 6 == 5 ? "\n" : "");
	fputs(ncdat_dwords ? "\n" : "\t0\n", f);
	fputs("};\n\nconst struct cxl_model_spec cxl_spec_models[] = {\n", f);
	for (unsigned i = 0; i < nmodels; i++) {
		fputs("\t{ ", f);
		cstr(f, models[i].name);
		fputs(", ", f);
		cstr(f, models[i].desc);
		fprintf(f, ", %u, %s, %u, %u, ", models[i].kind,
			models[i].config_space ? "true" : "false", models[i].place0,
			models[i].nplace);
		if (models[i].qemu_type)
			cstr(f, models[i].qemu_type);
		else
			fputs("NULL", f);
		fprintf(f, ", %d, %d, %u, %u, %u, %u, %u, %u },\n", models[i].vendor, models[i].device,
			models[i].bar0, models[i].nbars, models[i].proto0, models[i].nprotos,
			models[i].cdat0, models[i].ncdat);
	}
	fputs("};\n\nconst struct cxl_override_spec cxl_spec_overrides[] = {\n", f);
	for (unsigned i = 0; i < novrs; i++)
		fprintf(f, "\t{ %u, %d, %d, %d, %s, 0x%x },\n", ovrs[i].reg, ovrs[i].field, ovrs[i].access,
			ovrs[i].lock, ovrs[i].drop_if_capable ? "true" : "false", ovrs[i].kinds);
	if (!novrs)
		fputs("\t{ 0, -1, -1, -1, false, 0 },\n", f);
	fputs("};\n\nconst struct cxl_check_spec cxl_spec_checks[] = {\n", f);
	for (unsigned i = 0; i < nchecks; i++)
		fprintf(f, "\t{ %u, %u },\n", checks[i].rule, checks[i].fails);
	if (!nchecks)
		fputs("\t{ 0, 0 },\n", f);
	fputs("};\n\n", f);
	for (unsigned i = 0; i < nprofiles; i++) {
		fprintf(f, "static const struct cxl_lock_eff locks_%u[] = {\n", i);
		for (unsigned k = 0; k < nlocks; k++)
			emit_lock_eff(f, &profiles[i].locks[k]);
		if (!nlocks)
			fputs("\t{ 0, 0, 0, true, 0, \"\" },\n", f);
		fputs("};\n", f);
		fprintf(f, "static const uint8_t resets_%u[][CXL_RESET__COUNT] = {\n", i);
		for (unsigned si = 0; si < nstructs; si++) {
			fputs("\t{", f);
			for (unsigned k = 0; k < nresets; k++)
				fprintf(f, "%s%u", k ? ", " : " ", profiles[i].resets[si][k]);
			fputs(" },\n", f);
		}
		fputs("};\n", f);
	}
	fputs("\nconst struct cxl_profile_spec cxl_spec_profiles[] = {\n", f);
	for (unsigned i = 0; i < nprofiles; i++) {
		struct gprofile *p = &profiles[i];

		fputs("\t{ ", f);
		cstr(f, p->name);
		fputs(", ", f);
		cstr(f, p->desc);
		fprintf(f, ", %d, %u, %u, locks_%u, %u, %u, %s, 0x%" PRIx64 "ULL, 0x%" PRIx64 "ULL, %u, resets_%u, "
			"0x%x, 0x%x, %u },\n",
			p->parent, p->ovr0, p->novr, i, p->check0, p->ncheck,
			p->recommit ? "true" : "false", p->on_commit_clear, p->on_uncommit_clear,
			p->rread, i, p->hdm_take, p->dvsec_take, p->hdm_hide);
	}
	fputs("};\n\nconst struct cxl_rule_spec cxl_spec_rules[CXL_RULE__COUNT] = {\n", f);
	for (unsigned i = 0; i < nrules; i++) {
		fputs("\t{ ", f);
		cstr(f, rules[i].id);
		fprintf(f, ", %u, ", rules[i].severity);
		cstr(f, rules[i].message);
		fputs(", ", f);
		cstr(f, rules[i].spec);
		fprintf(f, ", %s },\n", rules[i].self_judged ? "true" : "false");
	}
	fprintf(f, "};\n\nconst unsigned cxl_spec_nstructs = %u, cxl_spec_nmodels = %u, "
		"cxl_spec_nprofiles = %u, cxl_spec_nlocks = %u;\n", nstructs, nmodels,
		nprofiles, nlocks);
	for (unsigned i = 0; i < nprofiles; i++)
		if (!strcmp(profiles[i].name, default_profile))
			fprintf(f, "const unsigned cxl_spec_default_profile = %u;\n", i);
	for (unsigned i = 0; i < nmodels; i++)
		if (!strcmp(models[i].name, default_block_model))
			fprintf(f, "const unsigned cxl_spec_default_block_model = %u;\n", i);
	for (unsigned i = 0; i < nmodels; i++)
		if (!strcmp(models[i].name, default_vfio_model))
			fprintf(f, "const unsigned cxl_spec_default_vfio_model = %u;\n", i);
}

/* ------------------------------------------------------------------ */
/* driver */

enum file_kind { FK_VOCABULARY, FK_RULES, FK_FRAGMENT, FK_STRUCTURE, FK_MODEL, FK_PROFILE };

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
	else if (root->type == YAML_MAPPING_NODE && get(root, "vocabulary"))
		in->kind = FK_VOCABULARY;
	else if (root->type == YAML_MAPPING_NODE && get(root, "fragment"))
		in->kind = FK_FRAGMENT;
	else if (root->type == YAML_MAPPING_NODE && get(root, "structure"))
		in->kind = FK_STRUCTURE;
	else if (root->type == YAML_MAPPING_NODE && get(root, "model"))
		in->kind = FK_MODEL;
	else if (root->type == YAML_MAPPING_NODE && get(root, "profile"))
		in->kind = FK_PROFILE;
	else
		fail(root, "not a vocabulary, rule list, fragment, structure, model or profile");
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

/* Cross-file checks once everything is parsed. */
static void check_all(void)
{
	bool found = false;

	cur_file = "spec";
	if (!vocab_file)
		fail(NULL, "no vocabulary file (spec/vocabulary.yaml)");
	if (!nrules || !nmodels || !nprofiles)
		fail(NULL, "need at least one rule list, model and profile");
	for (unsigned i = 0; i < nprofiles; i++)
		resolve_profile(i);
	cur_file = vocab_file;
	cur_doc = vocab_doc;
	for (unsigned i = 0; i < nprofiles; i++)
		found |= !strcmp(profiles[i].name, default_profile);
	if (!found)
		fail(default_profile_node, "defaults: unknown profile '%s'", default_profile);
	found = false;
	for (unsigned i = 0; i < nmodels; i++)
		found |= !strcmp(models[i].name, default_block_model);
	if (!found)
		fail(default_block_node, "defaults: unknown model '%s'", default_block_model);
	found = false;
	for (unsigned i = 0; i < nmodels; i++)
		found |= !strcmp(models[i].name, default_vfio_model);
	if (!found)
		fail(default_vfio_node, "defaults: unknown model '%s'", default_vfio_model);
}

int main(int argc, char **argv)
{
	const char *out_c = NULL, *out_h = NULL, *out_p = NULL;
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
		else if (!strcmp(argv[i], "-P") && i + 1 < argc)
			out_p = argv[++i];
		else if (argv[i][0] == '-') {
			fprintf(stderr, "usage: specgen -o OUT.c -H OUT.h -P PUBLIC.h FILE.yaml...\n");
			return 2;
		} else
			in[n++].path = argv[i];
	}
	if (!out_c || !out_h || !out_p || !n) {
		fprintf(stderr, "usage: specgen -o OUT.c -H OUT.h -P PUBLIC.h FILE.yaml...\n");
		return 2;
	}
	for (int i = 0; i < n; i++)
		load(&in[i]);
	qsort(in, (size_t)n, sizeof(*in), cmp_input);
	for (int i = 0; i < n; i++) {
		yaml_node_t *root = yaml_document_get_root_node(&in[i].doc);

		cur_file = in[i].path;
		cur_doc = &in[i].doc;
		if (in[i].kind != FK_VOCABULARY && !vocab_file)
			fail(NULL, "the vocabulary (spec/vocabulary.yaml) must be among the inputs");
		switch (in[i].kind) {
		case FK_VOCABULARY: parse_vocabulary(root); break;
		case FK_RULES: parse_rules(root); break;
		case FK_FRAGMENT: parse_fragment(root); break;
		case FK_STRUCTURE: parse_structure(root); break;
		case FK_MODEL: parse_model(root); break;
		case FK_PROFILE: parse_profile(root); break;
		}
	}
	check_all();
	write_atomic(out_p, emit_public);
	write_atomic(out_h, emit_private);
	write_atomic(out_c, emit_tables);
	for (int i = 0; i < n; i++)
		yaml_document_delete(&in[i].doc);
	free(in);
	return 0;
}
