/* SPDX-License-Identifier: MIT */
/*
 * cxlemu/catalog.h - what spec/ defines, by name: models, profiles and the vocabularies.
 *
 * Everything here comes from the tables generated from spec/ at build time; nothing is
 * listed in C. Indexes run from 0 to the count; a name lookup returns -1 when unknown.
 * Strings are static.
 */
#ifndef CXLEMU_CATALOG_H
#define CXLEMU_CATALOG_H

#include <stdbool.h>
#include <stdint.h>

#include "cxlemu/spec_ids.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Device models (spec/models). */
unsigned cxl_model_count(void);
const char *cxl_model_name(unsigned model);
const char *cxl_model_description(unsigned model);
unsigned cxl_model_kind(unsigned model);             /* enum cxl_kind */
bool cxl_model_has_config_space(unsigned model);
int cxl_model_lookup(const char *name);
/* The model whose match: names QEMU type @type (@len bytes), or -1. */
int cxl_model_by_qemu_type(const char *type, unsigned long len);
/* The model whose match: names PCI vendor/device IDs, or -1. */
int cxl_model_by_ids(unsigned vendor, unsigned device);
/* QEMU type name of a model's match:, or NULL. */
const char *cxl_model_qemu_type(unsigned model);
/* The model of a component block known only by its address (spec/vocabulary.yaml). */
unsigned cxl_default_block_model(void);
/* The model of a device a QEMU log shows passed through by vfio-cxl (vocabulary defaults). */
unsigned cxl_default_vfio_model(void);
/* The component offset of @model's HDM Decoder Capability; false without one. */
bool cxl_model_hdm_block(unsigned model, uint64_t *offset);
/*
 * Where offset 0 of view @view (enum cxl_view) is in @model's component block; negative for
 * the bar view. False when the model lacks what the view counts from.
 */
bool cxl_model_view_base(unsigned model, unsigned view, int64_t *base);
/*
 * BAR @bar of @model as its bars: list gives it: true with *@is64 (64-bit memory BAR) and
 * *@size; false when the model does not describe that BAR.
 */
bool cxl_model_bar(unsigned model, unsigned bar, bool *is64, uint64_t *size);
/*
 * Where @model's component registers are, from its Register Locator DVSEC reset values
 * (CXL r3.1 §8.1.9): true with *@bir and *@offset; false without such an entry.
 */
bool cxl_model_component_block(unsigned model, unsigned *bir, uint64_t *offset);
/* How many HDM decoders @model has unless a device asks for another count (0: none). */
unsigned cxl_model_hdm_decoders(unsigned model);

/*
 * Of the @count names name_at(0) .. name_at(@count - 1), the one nearest to @word by edit
 * distance (insertions, deletions, substitutions and swaps of adjacent characters, case
 * ignored) when it is near enough to be what was meant: 1 edit for a word of up to 5 bytes,
 * 2 for a longer one. The first of equally near names wins (table order,
 * so the answer is deterministic). NULL when none is near, @word is a name, or @word or
 * @name_at is NULL. For "did you mean" hints: cxl_nearest_name("qemu72-typ3",
 * cxl_model_name, cxl_model_count()) is "qemu72-type3".
 */
const char *cxl_nearest_name(const char *word, const char *(*name_at)(unsigned), unsigned count);
/* The number of rules (spec/rules.yaml); rule ids are cxl_rule_id(0 .. count - 1). */
unsigned cxl_rule_count(void);

/* Profiles (spec/profiles): personalities. */
unsigned cxl_profile_count(void);
const char *cxl_profile_name(unsigned profile);
const char *cxl_profile_description(unsigned profile);
int cxl_profile_parent(unsigned profile);            /* -1: the root */
int cxl_profile_lookup(const char *name);
/* The profile of traces and calls that name none (spec/vocabulary.yaml defaults). */
const char *cxl_default_profile(void);

/* Vocabularies (spec/vocabulary.yaml); "?" or "invalid" for values out of range. */
const char *cxl_access_word(unsigned access);        /* enum cxl_access: "RW1CS" */
/* Whether attribute @access survives resets whose scope is non-sticky (RWS, RW1CS, ROS). */
bool cxl_access_sticky(unsigned access);
/*
 * What a write does to a field of attribute @access (spec/vocabulary.yaml write:): one of
 * "keep", "take", "one-clears", "take-once", "preserve", "zero", "trigger"; "?" if unknown.
 */
const char *cxl_access_write_word(unsigned access);
const char *cxl_space_word(unsigned space);          /* enum cxl_space: "config" */
uint32_t cxl_space_size(unsigned space);             /* bytes; 0 out of range */
const char *cxl_kind_word(unsigned kind);            /* enum cxl_kind: "root-port" */
const char *cxl_kind_prefix(unsigned kind);          /* importers' name prefix: "rp" */
const char *cxl_op_kind_name(enum cxl_op_kind k);    /* "cfg-read" */
const char *cxl_reset_kind_name(enum cxl_reset_kind k);
const char *cxl_inject_kind_name(enum cxl_inject_kind k);
int cxl_op_kind_parse(const char *name);
int cxl_reset_kind_parse(const char *name);
int cxl_inject_kind_parse(const char *name);
const char *cxl_view_name(unsigned view);          /* enum cxl_view: "comp-regs-v2" */
int cxl_view_parse(const char *name);
/* The space an op kind accesses and whether it writes; false for non-access ops. */
bool cxl_op_kind_access(enum cxl_op_kind k, unsigned *space, bool *write);

#ifdef __cplusplus
}
#endif

#endif
