/* SPDX-License-Identifier: MIT */
/*
 * catalog.c - name lookups into the generated spec tables: models, profiles, vocabularies.
 *
 * Everything answered here was written in spec/ and generated; lookups are linear over
 * tables of at most a few dozen entries and never allocate.
 */
#include <ctype.h>
#include <string.h>

#include "core_priv.h"

#define W(n, w) w,
static const char *const sev_words[] = { CXL_SEVERITY_LIST(W) };
#undef W

/* Returns @tab[@i] for @i < @n, else "?". */
static const char *word_at(const char *const *tab, unsigned n, unsigned i)
{
	return i < n && tab[i] ? tab[i] : "?";
}

/* Returns the index of @name in @tab (@n entries), or -1 (also for NULL). */
static int word_find(const char *const *tab, unsigned n, const char *name)
{
	for (unsigned i = 0; name && i < n; i++)
		if (!strcmp(tab[i], name))
			return (int)i;
	return -1;
}

CXL_EXPORT const char *cxl_severity_word(unsigned s)
{
	return word_at(sev_words, CXL_SEV__COUNT, s);
}

CXL_EXPORT const char *cxl_access_word(unsigned a)
{
	return a < CXL_ACC__COUNT ? cxl_spec_attrs[a].name : "?";
}

CXL_EXPORT bool cxl_access_sticky(unsigned a)
{
	return a < CXL_ACC__COUNT && cxl_spec_attrs[a].sticky;
}

CXL_EXPORT const char *cxl_access_write_word(unsigned a)
{
#define CXL_WRITE_WORD(n, w) w,
	static const char *const words[] = { CXL_WRITE_LIST(CXL_WRITE_WORD) };
#undef CXL_WRITE_WORD

	return a < CXL_ACC__COUNT && cxl_spec_attrs[a].write < sizeof(words) / sizeof(words[0]) ?
	       words[cxl_spec_attrs[a].write] : "?";
}

CXL_EXPORT const char *cxl_space_word(unsigned s)
{
	return word_at(cxl_spec_space_names, CXL_SPACE__COUNT, s);
}

CXL_EXPORT uint32_t cxl_space_size(unsigned s)
{
	return s < CXL_SPACE__COUNT ? cxl_spec_space_sizes[s] : 0;
}

CXL_EXPORT const char *cxl_kind_word(unsigned k)
{
	return k < CXL_KIND__COUNT ? cxl_spec_kinds[k].name : "?";
}

CXL_EXPORT const char *cxl_kind_prefix(unsigned k)
{
	return k < CXL_KIND__COUNT ? cxl_spec_kinds[k].prefix : "dev";
}

CXL_EXPORT const char *cxl_op_kind_name(enum cxl_op_kind k)
{
	return (unsigned)k < CXL_OP__COUNT ? cxl_spec_ops[k].name : "invalid";
}

CXL_EXPORT const char *cxl_reset_kind_name(enum cxl_reset_kind k)
{
	return (unsigned)k < CXL_RESET__COUNT ? cxl_spec_reset_names[k] : "invalid";
}

CXL_EXPORT const char *cxl_inject_kind_name(enum cxl_inject_kind k)
{
	return (unsigned)k < CXL_INJECT__COUNT ? cxl_spec_inject_names[k] : "invalid";
}

CXL_EXPORT int cxl_op_kind_parse(const char *name)
{
	for (unsigned i = 0; name && i < CXL_OP__COUNT; i++)
		if (!strcmp(cxl_spec_ops[i].name, name))
			return (int)i;
	return -1;
}

CXL_EXPORT int cxl_reset_kind_parse(const char *name)
{
	return word_find(cxl_spec_reset_names, CXL_RESET__COUNT, name);
}

CXL_EXPORT const char *cxl_view_name(unsigned v)
{
	return v < CXL_VIEW__COUNT ? cxl_spec_views[v].name : "invalid";
}

CXL_EXPORT int cxl_view_parse(const char *name)
{
	for (unsigned i = 0; i < CXL_VIEW__COUNT; i++)
		if (!strcmp(cxl_spec_views[i].name, name))
			return (int)i;
	return -1;
}

CXL_EXPORT int cxl_inject_kind_parse(const char *name)
{
	return word_find(cxl_spec_inject_names, CXL_INJECT__COUNT, name);
}

CXL_EXPORT bool cxl_op_kind_access(enum cxl_op_kind k, unsigned *space, bool *write)
{
	if ((unsigned)k >= CXL_OP__COUNT || cxl_spec_ops[k].space < 0)
		return false;
	if (space)
		*space = (unsigned)cxl_spec_ops[k].space;
	if (write)
		*write = cxl_spec_ops[k].write;
	return true;
}

CXL_EXPORT unsigned cxl_model_count(void)
{
	return cxl_spec_nmodels;
}

CXL_EXPORT const char *cxl_model_name(unsigned m)
{
	return m < cxl_spec_nmodels ? cxl_spec_models[m].name : "?";
}

CXL_EXPORT const char *cxl_model_description(unsigned m)
{
	return m < cxl_spec_nmodels ? cxl_spec_models[m].description : "?";
}

CXL_EXPORT unsigned cxl_model_kind(unsigned m)
{
	return m < cxl_spec_nmodels ? cxl_spec_models[m].kind : 0;
}

CXL_EXPORT bool cxl_model_has_config_space(unsigned m)
{
	return m < cxl_spec_nmodels && cxl_spec_models[m].config_space;
}

CXL_EXPORT int cxl_model_lookup(const char *name)
{
	for (unsigned i = 0; name && i < cxl_spec_nmodels; i++)
		if (!strcmp(cxl_spec_models[i].name, name))
			return (int)i;
	return -1;
}

CXL_EXPORT int cxl_model_by_qemu_type(const char *type, unsigned long len)
{
	for (unsigned i = 0; type && i < cxl_spec_nmodels; i++) {
		const char *t = cxl_spec_models[i].qemu_type;

		if (t && strlen(t) == len && !memcmp(t, type, len))
			return (int)i;
	}
	return -1;
}

CXL_EXPORT int cxl_model_by_ids(unsigned vendor, unsigned device)
{
	for (unsigned i = 0; i < cxl_spec_nmodels; i++)
		if (cxl_spec_models[i].vendor == (int32_t)vendor &&
		    cxl_spec_models[i].device == (int32_t)device)
			return (int)i;
	return -1;
}

CXL_EXPORT const char *cxl_model_qemu_type(unsigned m)
{
	return m < cxl_spec_nmodels ? cxl_spec_models[m].qemu_type : NULL;
}

CXL_EXPORT unsigned cxl_default_vfio_model(void)
{
	return cxl_spec_default_vfio_model;
}

/* The component offset of @m's HDM Decoder Capability; false without one. */
CXL_EXPORT bool cxl_model_hdm_block(unsigned m, uint64_t *offset)
{
	const struct cxl_model_spec *ms;

	if (m >= cxl_spec_nmodels)
		return false;
	ms = &cxl_spec_models[m];
	for (unsigned pi = 0; pi < ms->nplace; pi++) {
		const struct cxl_place_spec *p = &cxl_spec_places[ms->place0 + pi];

		if (cxl_spec_structs[p->structure].rep_hdm) {
			*offset = p->at;
			return true;
		}
	}
	return false;
}

/*
 * Where offset 0 of view @view is in @m's component block (vocabulary views:), negative for
 * the bar view (minus the block's offset in its BAR); false when the model lacks what the
 * view counts from.
 */
CXL_EXPORT bool cxl_model_view_base(unsigned m, unsigned view, int64_t *base)
{
	uint64_t off;
	unsigned bir;

	if (m >= cxl_spec_nmodels || view >= CXL_VIEW__COUNT)
		return false;
	switch (cxl_spec_views[view].base) {
	case CXL_VBASE_CACHEMEM: *base = CXL_RANGE_CACHEMEM_START; return true;
	case CXL_VBASE_HDM:
		if (!cxl_model_hdm_block(m, &off))
			return false;
		*base = (int64_t)off;
		return true;
	case CXL_VBASE_BAR:
		if (!cxl_model_component_block(m, &bir, &off))
			return false;
		*base = -(int64_t)off;
		return true;
	default: *base = 0; return true;
	}
}

CXL_EXPORT unsigned cxl_default_block_model(void)
{
	return cxl_spec_default_block_model;
}

CXL_EXPORT bool cxl_model_bar(unsigned m, unsigned bar, bool *is64, uint64_t *size)
{
	if (m >= cxl_spec_nmodels)
		return false;
	for (unsigned i = 0; i < cxl_spec_models[m].nbars; i++) {
		const struct cxl_bar_spec *b = &cxl_spec_bars[cxl_spec_models[m].bar0 + i];

		if (b->index != bar)
			continue;
		if (is64)
			*is64 = b->type == CXL_BAR_MEM64;
		if (size)
			*size = b->size;
		return true;
	}
	return false;
}

/* The HDM decoder count of @m as its placement declares it (0: no HDM decoders). */
CXL_EXPORT unsigned cxl_model_hdm_decoders(unsigned m)
{
	const struct cxl_model_spec *ms;

	if (m >= cxl_spec_nmodels)
		return 0;
	ms = &cxl_spec_models[m];
	for (unsigned pi = 0; pi < ms->nplace; pi++) {
		const struct cxl_place_spec *p = &cxl_spec_places[ms->place0 + pi];

		if (cxl_spec_structs[p->structure].rep_hdm)
			return p->count > 0 ? (unsigned)p->count : 0;
	}
	return 0;
}

/*
 * The Register Locator entries of @m (CXL r3.1 §8.1.9.1, Register Block Identifier 01h =
 * component registers) as the model's init values give them.
 */
CXL_EXPORT bool cxl_model_component_block(unsigned m, unsigned *bir, uint64_t *offset)
{
	const struct cxl_model_spec *ms;

	if (m >= cxl_spec_nmodels)
		return false;
	ms = &cxl_spec_models[m];
	for (unsigned pi = 0; pi < ms->nplace; pi++) {
		const struct cxl_place_spec *p = &cxl_spec_places[ms->place0 + pi];

		if (p->structure != CXL_S_DVSEC_REGISTER_LOCATOR)
			continue;
		for (unsigned k = 0; k < p->ninit; k++) {
			const struct cxl_init_spec *lo = &cxl_spec_inits[p->init0 + k];
			uint64_t hi = 0, id;

			if (lo->reg != CXL_R_DVSEC_REGISTER_LOCATOR_BLOCK_LO)
				continue;
			id = (lo->value & CXL_F_DVSEC_REGISTER_LOCATOR_BLOCK_LO_REGISTER_BLOCK_IDENTIFIER_MASK) >>
			     CXL_F_DVSEC_REGISTER_LOCATOR_BLOCK_LO_REGISTER_BLOCK_IDENTIFIER_SHIFT;
			if (id != CXL_V_DVSEC_REGISTER_LOCATOR_BLOCK_LO_REGISTER_BLOCK_IDENTIFIER_COMPONENT)
				continue;
			for (unsigned j = 0; j < p->ninit; j++) {
				const struct cxl_init_spec *h = &cxl_spec_inits[p->init0 + j];

				if (h->reg == CXL_R_DVSEC_REGISTER_LOCATOR_BLOCK_HI &&
				    h->instance == lo->instance)
					hi = h->value;
			}
			if (bir)
				*bir = (unsigned)((lo->value & CXL_F_DVSEC_REGISTER_LOCATOR_BLOCK_LO_REGISTER_BIR_MASK) >>
						  CXL_F_DVSEC_REGISTER_LOCATOR_BLOCK_LO_REGISTER_BIR_SHIFT);
			if (offset)
				*offset = hi << 32 |
					  (lo->value & CXL_F_DVSEC_REGISTER_LOCATOR_BLOCK_LO_REGISTER_BLOCK_OFFSET_LOW_MASK);
			return true;
		}
	}
	return false;
}

CXL_EXPORT unsigned cxl_profile_count(void)
{
	return cxl_spec_nprofiles;
}

CXL_EXPORT const char *cxl_profile_name(unsigned p)
{
	return p < cxl_spec_nprofiles ? cxl_spec_profiles[p].name : "?";
}

CXL_EXPORT const char *cxl_profile_description(unsigned p)
{
	return p < cxl_spec_nprofiles ? cxl_spec_profiles[p].description : "?";
}

CXL_EXPORT int cxl_profile_parent(unsigned p)
{
	return p < cxl_spec_nprofiles ? cxl_spec_profiles[p].parent : -1;
}

CXL_EXPORT int cxl_profile_lookup(const char *name)
{
	for (unsigned i = 0; name && i < cxl_spec_nprofiles; i++)
		if (!strcmp(cxl_spec_profiles[i].name, name))
			return (int)i;
	return -1;
}

CXL_EXPORT const char *cxl_default_profile(void)
{
	return cxl_spec_profiles[cxl_spec_default_profile].name;
}

/* Edit distance of @a and @b (optimal string alignment, case ignored), capped: any value
 * above @cap is returned as @cap + 1. Both at most 63 bytes (longer: @cap + 1). */
static unsigned edit_distance(const char *a, const char *b, unsigned cap)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned d[64][64];

	if (la > 63 || lb > 63 || (la > lb ? la - lb : lb - la) > cap)
		return cap + 1;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (unsigned)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			unsigned ca = (unsigned)tolower((unsigned char)a[i - 1]);
			unsigned cb = (unsigned)tolower((unsigned char)b[j - 1]);
			unsigned v = d[i - 1][j - 1] + (ca != cb);

			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && ca == (unsigned)tolower((unsigned char)b[j - 2]) &&
			    cb == (unsigned)tolower((unsigned char)a[i - 2]) && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb] > cap ? cap + 1 : d[la][lb];
}

CXL_EXPORT const char *cxl_nearest_name(const char *word, const char *(*name_at)(unsigned),
					unsigned count)
{
	const char *best = NULL;
	unsigned best_d, cap;
	size_t len;

	if (!word || !name_at)
		return NULL;
	len = strlen(word);
	cap = len > 5 ? 2 : 1;   /* 2 edits, fewer than half of @word: 1 up to 5 bytes */
	best_d = cap + 1;
	for (unsigned i = 0; i < count; i++) {
		const char *n = name_at(i);
		unsigned dist;

		if (!n)
			continue;
		if (!strcmp(n, word))
			return NULL;
		dist = edit_distance(word, n, cap);
		if (dist < best_d) {
			best_d = dist;
			best = n;
		}
	}
	return best;
}

CXL_EXPORT unsigned cxl_rule_count(void)
{
	return CXL_RULE__COUNT;
}
