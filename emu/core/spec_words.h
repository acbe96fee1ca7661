/* SPDX-License-Identifier: MIT */
/*
 * spec_words.h - the closed words of the spec/ YAML schema that name C behaviour (private).
 *
 * Shared by tools/specgen (which maps YAML words to these enums) and the engine (which
 * switches on them). Only words live here, never a register fact. CXL_SEVERITY_LIST's enum
 * is public: specgen writes it into cxlemu/spec_ids.h.
 */
#ifndef CXLEMU_SPEC_WORDS_H
#define CXLEMU_SPEC_WORDS_H

/* Rule severities (spec/rules.yaml); enum cxl_severity is generated into cxlemu/spec_ids.h. */
#define CXL_SEVERITY_LIST(X) X(NOTE, "note") X(WARNING, "warning") X(ERROR, "error")

/* What a write does to a field of an attribute (spec/vocabulary.yaml access-attributes). */
#define CXL_WRITE_LIST(X) \
	X(KEEP, "keep") X(TAKE, "take") X(ONE_CLEARS, "one-clears") X(TAKE_ONCE, "take-once") \
	X(PRESERVE, "preserve") X(ZERO, "zero") X(TRIGGER, "trigger")

/* What writing 1 to a Doorbell field does (the structure's behaviour implements it). */
#define CXL_ACTION_LIST(X) \
	X(NONE, "none") X(CXL_RESET, "cxl-reset") X(CACHE_WBI, "cache-wbi") \
	X(DOE_ABORT, "doe-abort") X(DOE_GO, "doe-go")

/* How much of a structure a reset kind restores. */
#define CXL_SCOPE_LIST(X) X(ALL, "all") X(NON_STICKY, "non-sticky") X(NONE, "none")

/* Structure variants: registers and fields may exist in one only. */
#define CXL_VARIANT_LIST(X) X(DEVICE, "device") X(PORT, "port")

/* When a failed commit check fails the commit (profile hdm.commit-checks). */
#define CXL_FAILS_LIST(X) X(ALWAYS, "always") X(WITH_LOC, "with-loc")

/* What a read rejected by access.width/access.align returns (profile access.rejected-read). */
#define CXL_REJECTED_READ_LIST(X) X(UNKNOWN, "unknown") X(ZERO, "zero")

/* Where a view's offset 0 is, where it ends, what accesses it takes (vocabulary views:). */
#define CXL_VIEW_BASE_LIST(X) X(BLOCK, "block") X(CACHEMEM, "cachemem") X(HDM, "hdm") X(BAR, "bar")
#define CXL_VIEW_END_LIST(X) X(SPACE, "space") X(HDM_END, "hdm-end")
#define CXL_VIEW_ACCESS_LIST(X) X(ANY, "any") X(ONE_DWORD, "one-dword") X(DWORDS, "dwords")

/* What a kernel shadow does to a committed decoder when it takes a snapshot (profile shadow:). */
#define CXL_HIDE_LIST(X) X(NONE, "none") X(LOCKED, "locked")

/* BAR types of a model's bars: list. */
#define CXL_BAR_LIST(X) X(MEM32, "mem32") X(MEM64, "mem64") X(IO, "io")

/*
 * What sizes an address field (field sized-by:): none, a BAR of the model's bars: (the repeat
 * instance is the BAR number), the Expansion ROM BAR (PCIe r6.0 §7.5.1.2.1, §7.5.1.2.4).
 */
#define CXL_SIZED_LIST(X) X(NONE, "none") X(BAR, "bar") X(ROM, "rom")

/* What a DOE protocol of a model's doe: answers (emu/core/doe.c): PCIe r6.0 §6.30.1.1
 * discovery, CXL r3.1 §8.1.11 CDAT table access (the model's cdat: entries). */
#define CXL_DOE_SERVES_LIST(X) X(DISCOVERY, "discovery") X(CDAT, "cdat")

#define CXL_ENUM_WRITE(n, w) CXL_WRITE_##n,
#define CXL_ENUM_ACTION(n, w) CXL_ACTION_##n,
#define CXL_ENUM_SCOPE(n, w) CXL_SCOPE_##n,
#define CXL_ENUM_VARIANT(n, w) CXL_VARIANT_##n,
#define CXL_ENUM_FAILS(n, w) CXL_FAILS_##n,
#define CXL_ENUM_RR(n, w) CXL_RREAD_##n,
#define CXL_ENUM_BAR(n, w) CXL_BAR_##n,
#define CXL_ENUM_VBASE(n, w) CXL_VBASE_##n,
#define CXL_ENUM_VEND(n, w) CXL_VEND_##n,
#define CXL_ENUM_VACC(n, w) CXL_VACC_##n,
#define CXL_ENUM_HIDE(n, w) CXL_HIDE_##n,
#define CXL_ENUM_SIZED(n, w) CXL_SIZED_##n,
#define CXL_ENUM_SERVES(n, w) CXL_DOE_SERVES_##n,

enum cxl_write_kind { CXL_WRITE_LIST(CXL_ENUM_WRITE) CXL_WRITE__COUNT };
enum cxl_action { CXL_ACTION_LIST(CXL_ENUM_ACTION) CXL_ACTION__COUNT };
enum cxl_scope { CXL_SCOPE_LIST(CXL_ENUM_SCOPE) CXL_SCOPE__COUNT };
enum cxl_variant { CXL_VARIANT_LIST(CXL_ENUM_VARIANT) CXL_VARIANT__COUNT };
enum cxl_fails { CXL_FAILS_LIST(CXL_ENUM_FAILS) CXL_FAILS__COUNT };
enum cxl_rejected_read { CXL_REJECTED_READ_LIST(CXL_ENUM_RR) CXL_RREAD__COUNT };
enum cxl_bar_type { CXL_BAR_LIST(CXL_ENUM_BAR) CXL_BAR__COUNT };
enum cxl_view_base { CXL_VIEW_BASE_LIST(CXL_ENUM_VBASE) CXL_VBASE__COUNT };
enum cxl_view_end { CXL_VIEW_END_LIST(CXL_ENUM_VEND) CXL_VEND__COUNT };
enum cxl_view_access { CXL_VIEW_ACCESS_LIST(CXL_ENUM_VACC) CXL_VACC__COUNT };
enum cxl_hide { CXL_HIDE_LIST(CXL_ENUM_HIDE) CXL_HIDE__COUNT };
enum cxl_sized { CXL_SIZED_LIST(CXL_ENUM_SIZED) CXL_SIZED__COUNT };
enum cxl_doe_serves { CXL_DOE_SERVES_LIST(CXL_ENUM_SERVES) CXL_DOE_SERVES__COUNT };

#endif
