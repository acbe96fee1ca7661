/* SPDX-License-Identifier: MIT */
/*
 * event.c - event emission, and the detail text of an event (formatted only on request).
 *
 * The access path fills a struct cxl_event with ids and numbers and hands it to the sink;
 * cxl_event_detail() turns the detail kind and its arguments into the text reports show.
 */
#include <string.h>

#include "core_priv.h"

void cxl_emit(struct cxl_device *d, unsigned rule, int severity, const struct cxl_reg_inst *r,
	      const char *field, uint64_t old_value, uint64_t new_value,
	      const struct cxl_detail_args *det)
{
	struct cxl_event ev;

	d->checks.rule_fired[rule]++;
	if (!d->sink)
		return;
	ev.op = d->op;
	ev.line = d->line;
	ev.src = d->src ? d->src : "";
	ev.device = d->name;
	ev.reg = r ? r->name : "";
	ev.field = field ? field : "";
	ev.reg_spec = r ? r->spec->spec : "";
	ev.rule = rule;
	ev.severity = severity < 0 ? cxl_spec_rules[rule].severity : (unsigned)severity;
	ev.old_value = old_value;
	ev.new_value = new_value;
	ev.detail = det ? det->kind : CXL_DETAIL_NONE;
	for (int i = 0; i < 4; i++)
		ev.arg[i] = det ? det->arg[i] : 0;
	ev.text = det && det->text ? det->text : "";
	d->sink(d->sink_ctx, &ev);
}

/* The suffix of a commit check's detail: what the check did to the commit. */
static const char *check_outcome(uint64_t failed)
{
	return failed ? "; Error Not Committed set" :
	       "; committed anyway (Lock On Commit clear: hardware need not check)";
}

CXL_EXPORT
size_t cxl_event_detail(const struct cxl_event *ev, char *buf, size_t len)
{
	const uint64_t *a = ev->arg;
	unsigned long long a0 = a[0], a1 = a[1], a2 = a[2];

	switch (ev->detail) {
	case CXL_DETAIL_RO_WRITE:
		return cxl_fmt(buf, len, "%s field: 0x%llx written over 0x%llx, ignored", ev->text,
			       a0, a1);
	case CXL_DETAIL_RWO_LATCHED:
		return cxl_fmt(buf, len, "latched at 0x%llx; write of 0x%llx dropped", a0, a1);
	case CXL_DETAIL_LOCKED:
		return cxl_fmt(buf, len, "0x%llx -> 0x%llx dropped (%s)", a0, a1, ev->text);
	case CXL_DETAIL_RSVDP:
		return cxl_fmt(buf, len, "read 0x%llx, wrote 0x%llx", a0, a1);
	case CXL_DETAIL_RSVDZ:
		return cxl_fmt(buf, len, "wrote 0x%llx", a0);
	case CXL_DETAIL_CLOBBER:
		return cxl_fmt(buf, len, "pending status 0x%llx cleared by a write that also changes 0x%llx",
			       a0, a1);
	case CXL_DETAIL_UNMODELED:
		return cxl_fmt(buf, len, "%s %s 0x%llx size %u", a0 ? "write" : "read",
			       cxl_space_word((unsigned)a1), a2, (unsigned)a[3]);
	case CXL_DETAIL_MISMATCH:
		return cxl_fmt(buf, len, "recorded 0x%0*llx, model 0x%0*llx", (int)a2 * 2, a0,
			       (int)a2 * 2, a1);
	case CXL_DETAIL_MISMATCH_REJECTED:
		return cxl_fmt(buf, len, "recorded 0x%llx, model 0 (rejected access)", a0);
	case CXL_DETAIL_CFG_WIDTH:
		return cxl_fmt(buf, len,
			       "8-byte config access at 0x%llx (config space allows 1, 2 or 4 bytes)", a0);
	case CXL_DETAIL_CFG_ALIGN:
		return cxl_fmt(buf, len, "%u-byte config access at 0x%llx", (unsigned)a0, a1);
	case CXL_DETAIL_CM_SHAPE:
		return cxl_fmt(buf, len, "%u-byte %s at 0x%llx; '%s' is a %u-bit register at 0x%x",
			       (unsigned)a0, a1 ? "write" : "read", a2, ev->reg,
			       (unsigned)(a[3] >> 32), (unsigned)a[3]);
	case CXL_DETAIL_RANGE_BASE_IGNORED:
		return cxl_fmt(buf, len, "HDM Decoder Enable is 1; decode uses the HDM decoders");
	case CXL_DETAIL_CXL_RESET:
		return cxl_fmt(buf, len, "CXL Reset performed; CXL Reset Complete set");
	case CXL_DETAIL_CHECK_ENCODING:
		return cxl_fmt(buf, len, "IG %u / IW %u: reserved encoding%s", (unsigned)a0,
			       (unsigned)a1, check_outcome(a[3]));
	case CXL_DETAIL_CHECK_WAYS:
		return cxl_fmt(buf, len,
			       "%u-way interleave is not advertised by the HDM Decoder Capability%s",
			       (unsigned)a0, check_outcome(a[3]));
	case CXL_DETAIL_CHECK_UIO:
		return cxl_fmt(buf, len, "%u UIO decoders, capability allows %u%s", (unsigned)a0,
			       (unsigned)a1, check_outcome(a[3]));
	case CXL_DETAIL_CHECK_ORDER:
		return cxl_fmt(buf, len, "decoder %u is not committed%s", (unsigned)a0,
			       check_outcome(a[3]));
	case CXL_DETAIL_CHECK_OVERLAP:
		return cxl_fmt(buf, len, "base 0x%llx < decoder %u end 0x%llx%s", a0, (unsigned)a1,
			       a2, check_outcome(a[3]));
	case CXL_DETAIL_CHECK_WRAP:
		return cxl_fmt(buf, len, "base 0x%llx + size 0x%llx wraps%s", a0, a1,
			       check_outcome(a[3]));
	case CXL_DETAIL_CHECK_MOD3:
		return cxl_fmt(buf, len, "%u-way, size 0x%llx%s", (unsigned)a0, a1,
			       check_outcome(a[3]));
	case CXL_DETAIL_CHECK_DUP:
		return cxl_fmt(buf, len, "ways %u and %u both target port %llu%s", (unsigned)a0,
			       (unsigned)a1, a2, check_outcome(a[3]));
	case CXL_DETAIL_REPROGRAM:
		return cxl_fmt(buf, len, "0x%llx -> 0x%llx while decoder %u is committed", a0, a1,
			       (unsigned)a2);
	case CXL_DETAIL_REGION:
		return cxl_fmt(buf, len, "%u-byte access at 0x%llx of view %s: %s", (unsigned)a2, a1,
			       a0 < CXL_VIEW__COUNT ? cxl_spec_views[a0].name : "?",
			       a[3] ? "not the access it takes" : "outside the region");
	case CXL_DETAIL_OUTCOME:
		return cxl_fmt(buf, len, "%s", a0 ? "recorded as failed; the model accepts it"
						  : "recorded as done; the model refuses it");
	case CXL_DETAIL_REMAP:
		return cxl_fmt(buf, len, "decoder %u: 0x%llx -> 0x%llx attempted", (unsigned)a0, a1,
			       a2);
	case CXL_DETAIL_RANGE_BASE_TAKEN:
		return cxl_fmt(buf, len, "reads 0x%llx, written at op %llu while HDM Decoder Enable is 1", a0, a1);
	case CXL_DETAIL_HPA:
		return cxl_fmt(buf, len, "decoder %u: read 0x%llx, the host's address bits", (unsigned)a0,
			       a1);
	case CXL_DETAIL_TEXT:
		return cxl_fmt(buf, len, "%s", ev->text ? ev->text : "");
	case CXL_DETAIL_DOE_LENGTH:
		return a1 ? cxl_fmt(buf, len, "%llu dwords written, the header's Length says %llu", a0, a1)
			  : cxl_fmt(buf, len, "%llu dwords written; a request starts with two header dwords", a0);
	case CXL_DETAIL_DOE_UNSUPPORTED:
		switch (a[3]) {
		case CXL_DOE_WHY_INDEX:
			return cxl_fmt(buf, len, "discovery index %llu: the instance has %llu protocols", a2, a1);
		case CXL_DOE_WHY_ENTRY:
			return cxl_fmt(buf, len, "CDAT read of entry handle %llu: the table has %llu entries", a2, a1);
		case CXL_DOE_WHY_REQUEST:
			return cxl_fmt(buf, len, "CDAT request code %llu, table type %llu (only Read Entry of table 0)", a0, a1);
		default:
			return cxl_fmt(buf, len, "vendor 0x%04llx type %llu is not a protocol of this instance", a0, a1);
		}
	case CXL_DETAIL_DOE_NOT_READY:
		return cxl_fmt(buf, len, "%s with no data object to read%s", a0 ? "write" : "read",
			       a0 ? "; DOE Error set" : "; reads 0");
	default:
		return cxl_fmt(buf, len, "%s", "");
	}
}

CXL_EXPORT
bool cxl_rule_self_judged(unsigned rule)
{
	return rule < CXL_RULE__COUNT && cxl_spec_rules[rule].self_judged;
}

CXL_EXPORT
const char *cxl_rule_id(unsigned rule)
{
	return rule < CXL_RULE__COUNT ? cxl_spec_rules[rule].id : "?";
}

CXL_EXPORT
unsigned cxl_rule_severity(unsigned rule)
{
	return rule < CXL_RULE__COUNT ? cxl_spec_rules[rule].severity : CXL_SEV_ERROR;
}

CXL_EXPORT
const char *cxl_rule_message(unsigned rule)
{
	return rule < CXL_RULE__COUNT ? cxl_spec_rules[rule].message : "?";
}

CXL_EXPORT
const char *cxl_rule_spec(unsigned rule)
{
	return rule < CXL_RULE__COUNT ? cxl_spec_rules[rule].spec : "?";
}

CXL_EXPORT
int cxl_rule_lookup(const char *id)
{
	for (unsigned i = 0; id && i < CXL_RULE__COUNT; i++)
		if (!strcmp(cxl_spec_rules[i].id, id))
			return (int)i;
	return -1;
}
