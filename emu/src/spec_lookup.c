/* SPDX-License-Identifier: MIT */
/* spec_lookup.c - name lookups into the generated spec tables and vocabulary words. */
#include <string.h>

#include "spec_tables.h"

#define W(n, w) w,
static const char *const access_words[] = { CXL_ACCESS_LIST(W) };
static const char *const lock_words[] = { CXL_LOCK_LIST(W) };
static const char *const sev_words[] = { CXL_SEVERITY_LIST(W) };
static const char *const kind_words[] = { CXL_KIND_LIST(W) };
static const char *const space_words[] = { CXL_SPACE_LIST(W) };
static const char *const variant_words[] = { CXL_VARIANT_LIST(W) };
#undef W

#define WORD_FN(fn, tab) \
	const char *fn(unsigned i) \
	{ \
		return i < sizeof(tab) / sizeof(tab[0]) ? tab[i] : "?"; \
	}
WORD_FN(cxl_access_word, access_words)
WORD_FN(cxl_lock_word, lock_words)
WORD_FN(cxl_severity_word, sev_words)
WORD_FN(cxl_kind_word, kind_words)
WORD_FN(cxl_space_word, space_words)
WORD_FN(cxl_variant_word, variant_words)

/* Returns the model called @name, or NULL. */
const struct cxl_model_spec *cxl_spec_model(const char *name)
{
	for (unsigned i = 0; i < cxl_spec_nmodels; i++)
		if (!strcmp(cxl_spec_models[i].name, name))
			return &cxl_spec_models[i];
	return NULL;
}

/* Returns the profile called @name, or NULL. */
const struct cxl_profile_spec *cxl_spec_profile(const char *name)
{
	for (unsigned i = 0; i < cxl_spec_nprofiles; i++)
		if (!strcmp(cxl_spec_profiles[i].name, name))
			return &cxl_spec_profiles[i];
	return NULL;
}

/* Returns the rule with id @id ("hdm.locked-write"), or NULL. */
const struct cxl_rule_spec *cxl_spec_rule_by_id(const char *id)
{
	for (unsigned i = 0; i < cxl_spec_nrules; i++)
		if (!strcmp(cxl_spec_rules[i].id, id))
			return &cxl_spec_rules[i];
	return NULL;
}
