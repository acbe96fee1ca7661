/* SPDX-License-Identifier: MIT */
/*
 * doe.c - behaviour of the DOE Extended Capability (PCIe r6.0 §7.9.24) beyond its field
 * attributes: the Data Object Exchange mailbox protocol (PCIe r6.0 §6.30).
 *
 * Software writes a request one dword at a time into the Write Data Mailbox, then sets DOE
 * Go. The model answers within that write (it has no clock: DOE Busy never reads 1): it looks
 * the request's protocol (Data Object Header 1: Vendor ID, Data Object Type) up in the
 * model's doe: protocols (spec/models, data only) and builds the response; Data Object Ready
 * is set and the Read Data Mailbox shows the response's first dword. Each write to the Read
 * Data Mailbox moves to the next dword; after the last, Data Object Ready clears and the
 * mailbox reads 0. DOE Abort discards the request and the response and clears DOE Error.
 *
 * The protocols (words of spec/models doe: serves:):
 * - discovery (PCIe r6.0 §6.30.1.1): request dword 2 bits 7:0 Index; the response's dword 2 is
 *   the indexed protocol's Vendor ID (15:0), Data Object Protocol (23:16) and the next index
 *   (31:24, 0 after the last).
 * - cdat (CXL r3.1 §8.1.11, Table Access): request dword 2 is Request Code (7:0, 0 = Read
 *   Entry), Table Type (15:8, 0 = CDAT) and Entry Handle (31:16); the response's dword 2 is
 *   Response Code 0, Table Type 0 and the next Entry Handle (0xffff after the last), followed
 *   by the entry's dwords (the model's cdat:, entry 0 the CDAT header).
 *
 * Rules (spec/rules.yaml): doe.request-malformed (the dwords written are fewer than the two
 * header dwords, or not the header's Length; Length 0 means 2^18 dwords), doe.request-
 * unsupported (no such protocol, discovery index or entry; an unknown request code or table
 * type). Either way there is no response and no DOE Error: what Debian 12's QEMU 7.2.22 does
 * for an unknown protocol and a wrong Length (measured over qtest; for an out-of-range
 * discovery index it answers a garbage dword and for an out-of-range CDAT handle it crashes,
 * which no model should copy). doe.read-not-ready: the Read Data Mailbox read or written
 * while Data Object Ready is clear; a read returns 0 and a write sets DOE Error, as QEMU 7.2.22
 * does (measured; PCIe r6.0 §7.9.24.6 leaves it to the implementation).
 *
 * The mailboxes take dword writes: a 1- or 2-byte write neither adds to the request nor
 * advances the response (QEMU 7.2.22, measured). Not modelled: QEMU 7.2.22 also reads 0 for a
 * 1- or 2-byte read of the Read Data Mailbox, where the model returns those bytes of the dword
 * (Linux reads dwords). DOE Go and Abort act on a write of any size covering their bit, as in
 * QEMU.
 *
 * DOE interrupts (PCIe r6.0 §6.30.3): with DOE Interrupt Enable set, Data Object Ready or DOE
 * Error becoming set also sets DOE Interrupt Status (RW1C); the model sends no MSI. The enable
 * that counts is the one in effect before the Go write (measured, QEMU 7.2.22: a Go that also
 * sets Interrupt Enable raises no status, one that also clears it does). One DOE instance per
 * device (bind refuses a second).
 */
#include <string.h>

#include "core_priv.h"

#define F(reg, field) CXL_F_DOE_##reg##_##field##_MASK

/* The register @id of the device's DOE instance, or -1. */
static int doe_reg(struct cxl_device *d, unsigned id)
{
	return d->doe.block < 0 ? -1 : cxl_block_reg(&d->blocks[d->doe.block], id, 0);
}

/* Sets the bits @set and clears @clear of DOE Status. */
static void doe_status(struct cxl_device *d, uint64_t set, uint64_t clear)
{
	int si = doe_reg(d, CXL_R_DOE_STATUS);

	if (si >= 0)
		cxl_set(d, (unsigned)si, (d->regs[si].value & ~clear) | set);
}

/* Shows response dword @pos in the Read Data Mailbox (0 past the end). */
static void doe_show(struct cxl_device *d)
{
	int ri = doe_reg(d, CXL_R_DOE_READ_MAILBOX);

	if (ri >= 0)
		cxl_set(d, (unsigned)ri, d->doe.pos < d->doe.nresp ? d->doe.resp[d->doe.pos] : 0);
}

/* Sets DOE Interrupt Status when @control (DOE Control) has DOE Interrupt Enable set. */
static void doe_interrupt(struct cxl_device *d, uint64_t control)
{
	if (control & F(CONTROL, DOE_INTERRUPT_ENABLE))
		doe_status(d, F(STATUS, DOE_INTERRUPT_STATUS), 0);
}

/* Forgets the request and the response: Data Object Ready clear, the mailbox reads 0. */
static void doe_idle(struct cxl_device *d)
{
	d->doe.nreq = d->doe.nresp = d->doe.pos = 0;
	doe_status(d, 0, F(STATUS, DATA_OBJECT_READY));
	doe_show(d);
}

/* Watches both mailboxes; the model's protocols are its doe: data. */
static enum cxl_err doe_bind(struct cxl_device *d, struct cxl_block *b,
			     const struct cxl_device_opts *opts, struct cxl_error *err)
{
	int ri;

	(void)opts;
	if (d->doe.block >= 0)
		return cxl_error_set(err, CXL_ERR_VALUE, NULL, 0, 0,
				     "model %s places a second DOE instance; the model answers one",
				     d->model->name);
	if (!d->model->nprotos)
		return cxl_error_set(err, CXL_ERR_VALUE, NULL, 0, 0,
				     "model %s places a DOE instance but gives no doe: protocols",
				     d->model->name);
	d->doe.block = (int)(b - d->blocks);
	if ((ri = cxl_block_reg(b, CXL_R_DOE_CONTROL, 0)) >= 0)
		d->regs[ri].hooked = true;
	if ((ri = cxl_block_reg(b, CXL_R_DOE_WRITE_MAILBOX, 0)) >= 0)
		d->regs[ri].hooked = true;
	if ((ri = cxl_block_reg(b, CXL_R_DOE_READ_MAILBOX, 0)) >= 0)
		d->regs[ri].hooked = true;
	return CXL_OK;
}

/* Emits @rule about register @ri with detail @kind and its arguments. */
static void doe_event(struct cxl_device *d, unsigned rule, int ri, unsigned kind, uint64_t a0,
		      uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct cxl_detail_args det = { kind, { a0, a1, a2, a3 }, NULL };

	cxl_emit(d, rule, -1, ri >= 0 ? &d->regs[ri] : NULL, "", 0, 0, &det);
}

/*
 * Builds the response to the request (DOE Go on register @ri, DOE Control); true when there
 * is one. The rules are evaluated here.
 */
static bool doe_answer(struct cxl_device *d, int ri)
{
	struct cxl_doe *x = &d->doe;
	const struct cxl_doe_proto_spec *protos = &cxl_spec_doe_protos[d->model->proto0];
	unsigned np = d->model->nprotos, length, vendor, type, p;
	uint32_t dw2;

	length = x->nreq >= 2 ? x->req[1] & 0x3ffffu : 0;   /* PCIe r6.0 §6.30.1: DW, 0 = 2^18 */
	if (x->nreq >= 2 && !length)
		length = 1u << 18;
	if (x->nreq < 2 || length != x->nreq) {
		doe_event(d, CXL_RULE_DOE_REQUEST_MALFORMED, ri, CXL_DETAIL_DOE_LENGTH, x->nreq,
			  x->nreq >= 2 ? length : 0, 0, 0);
		return false;
	}
	cxl_held(d, CXL_RULE_DOE_REQUEST_MALFORMED);
	vendor = x->req[0] & 0xffffu;
	type = (x->req[0] >> 16) & 0xffu;
	for (p = 0; p < np && (protos[p].vendor != vendor || protos[p].type != type); p++)
		;
	dw2 = x->nreq >= 3 ? x->req[2] : 0;
	if (p == np) {
		doe_event(d, CXL_RULE_DOE_REQUEST_UNSUPPORTED, ri, CXL_DETAIL_DOE_UNSUPPORTED, vendor,
			  type, 0, CXL_DOE_WHY_PROTOCOL);
		return false;
	}
	x->resp[0] = x->req[0] & 0x00ffffffu;   /* the same Vendor ID and Data Object Type */
	switch (protos[p].serves) {
	case CXL_DOE_SERVES_DISCOVERY: {
		unsigned index = dw2 & 0xffu;

		if (index >= np) {
			doe_event(d, CXL_RULE_DOE_REQUEST_UNSUPPORTED, ri, CXL_DETAIL_DOE_UNSUPPORTED,
				  vendor, np, index, CXL_DOE_WHY_INDEX);
			return false;
		}
		x->resp[2] = protos[index].vendor | (uint32_t)protos[index].type << 16 |
			     (uint32_t)(index + 1 < np ? index + 1 : 0) << 24;
		x->nresp = 3;
		break;
	}
	case CXL_DOE_SERVES_CDAT: {
		unsigned code = dw2 & 0xffu, table = (dw2 >> 8) & 0xffu, handle = dw2 >> 16;
		const struct cxl_cdat_spec *e;

		if (code || table) {
			doe_event(d, CXL_RULE_DOE_REQUEST_UNSUPPORTED, ri, CXL_DETAIL_DOE_UNSUPPORTED,
				  code, table, 0, CXL_DOE_WHY_REQUEST);
			return false;
		}
		if (handle >= d->model->ncdat) {
			doe_event(d, CXL_RULE_DOE_REQUEST_UNSUPPORTED, ri, CXL_DETAIL_DOE_UNSUPPORTED,
				  vendor, d->model->ncdat, handle, CXL_DOE_WHY_ENTRY);
			return false;
		}
		e = &cxl_spec_cdat[d->model->cdat0 + handle];
		x->resp[2] = (uint32_t)(handle + 1 < d->model->ncdat ? handle + 1 : 0xffffu) << 16;
		memcpy(&x->resp[3], &cxl_spec_cdat_dwords[e->dw0], e->ndw * sizeof(uint32_t));
		x->nresp = 3u + e->ndw;   /* specgen keeps an entry within CXL_DOE_RESP_MAX - 3 */
		break;
	}
	default:
		return false;
	}
	cxl_held(d, CXL_RULE_DOE_REQUEST_UNSUPPORTED);
	x->resp[1] = x->nresp;
	return true;
}

/* A DOE Control write is about to be applied: note whether it aborts, and what it replaces. */
static void doe_writing(struct cxl_device *d, int ri, uint64_t be, uint64_t wval)
{
	if (ri != doe_reg(d, CXL_R_DOE_CONTROL))
		return;
	d->doe.aborting = (wval & be & F(CONTROL, DOE_ABORT)) != 0;
	d->doe.control_before = d->regs[ri].value;
}

/*
 * DOE Abort and DOE Go (Doorbell fields of DOE Control). A write setting Abort does only
 * that: Interrupt Enable keeps its value and Go is ignored (measured, QEMU 7.2.22).
 */
static void doe_action(struct cxl_device *d, int ri, unsigned action)
{
	switch (action) {
	case CXL_ACTION_DOE_ABORT:
		doe_idle(d);
		doe_status(d, 0, F(STATUS, DOE_ERROR));
		cxl_set(d, (unsigned)ri, d->doe.control_before);
		break;
	case CXL_ACTION_DOE_GO: {
		bool answered;

		if (d->doe.aborting)
			break;
		answered = doe_answer(d, ri);

		d->doe.nreq = 0;
		d->doe.pos = 0;
		if (!answered) {
			d->doe.nresp = 0;
			doe_status(d, 0, F(STATUS, DATA_OBJECT_READY));
		} else {
			doe_status(d, F(STATUS, DATA_OBJECT_READY), 0);
			doe_interrupt(d, d->doe.control_before);
		}
		doe_show(d);
		break;
	}
	default:
		break;
	}
}

/* A mailbox write: the Write Data Mailbox takes a request dword, the Read one advances. */
static void doe_written(struct cxl_device *d, int ri, uint64_t old_value, uint64_t written,
			uint64_t be)
{
	struct cxl_doe *x = &d->doe;

	(void)old_value;
	if (ri == doe_reg(d, CXL_R_DOE_CONTROL))
		return;   /* its Doorbells run as actions */
	if ((be & 0xffffffffu) != 0xffffffffu) {
		/* a mailbox takes dword writes only: a smaller one does nothing (measured, QEMU 7.2.22) */
		if (ri == doe_reg(d, CXL_R_DOE_WRITE_MAILBOX))
			cxl_set(d, (unsigned)ri, 0);
		else
			doe_show(d);
		return;
	}
	if (ri == doe_reg(d, CXL_R_DOE_WRITE_MAILBOX)) {
		if (x->nreq < CXL_DOE_REQ_MAX)
			x->req[x->nreq] = (uint32_t)written;
		if (x->nreq < UINT32_MAX)
			x->nreq++;
		cxl_set(d, (unsigned)ri, 0);   /* reads 0 (measured, QEMU 7.2.22) */
		return;
	}
	if (x->pos >= x->nresp) {
		doe_event(d, CXL_RULE_DOE_READ_NOT_READY, ri, CXL_DETAIL_DOE_NOT_READY, 1, 0, 0, 0);
		doe_status(d, F(STATUS, DOE_ERROR), 0);
		if (doe_reg(d, CXL_R_DOE_CONTROL) >= 0)
			doe_interrupt(d, d->regs[doe_reg(d, CXL_R_DOE_CONTROL)].value);
		doe_show(d);
		return;
	}
	cxl_held(d, CXL_RULE_DOE_READ_NOT_READY);
	if (++x->pos >= x->nresp)
		doe_idle(d);
	else
		doe_show(d);
}

/* A Read Data Mailbox read: there must be a data object to read. */
static void doe_read(struct cxl_device *d, int ri, uint64_t seen, uint64_t be)
{
	(void)seen;
	(void)be;
	if (ri != doe_reg(d, CXL_R_DOE_READ_MAILBOX))
		return;
	if (d->doe.pos >= d->doe.nresp)
		doe_event(d, CXL_RULE_DOE_READ_NOT_READY, ri, CXL_DETAIL_DOE_NOT_READY, 0, 0, 0, 0);
	else
		cxl_held(d, CXL_RULE_DOE_READ_NOT_READY);
}

/* A reset or restart returned the registers to idle: so is the mailbox. */
static void doe_reset(struct cxl_device *d, struct cxl_block *b, int kind)
{
	if (kind < 0 || d->prof->resets[b->sidx][kind] != CXL_SCOPE_NONE)
		d->doe.nreq = d->doe.nresp = d->doe.pos = 0;
}

const struct cxl_behaviour cxl_doe_behaviour = {
	.bind = doe_bind,
	.writing = doe_writing,
	.written = doe_written,
	.read = doe_read,
	.action = doe_action,
	.reset = doe_reset,
};
