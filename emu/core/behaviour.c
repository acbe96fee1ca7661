/* SPDX-License-Identifier: MIT */
/*
 * behaviour.c - the one table of what structures do beyond their field attributes.
 *
 * Like QEMU's per-register RegisterAccessInfo, but per structure: the engine looks a block's
 * behaviour up here once, at device creation, and calls its hooks (core_priv.h struct
 * cxl_behaviour). Adding behaviour to a structure is one row here and one file.
 */
#include "core_priv.h"

static const struct {
	unsigned structure;              /* spec_tables.h CXL_S_ */
	const struct cxl_behaviour *beh;
} behaviours[] = {
	{ CXL_S_DVSEC_CXL_DEVICE, &cxl_dvsec_behaviour },  /* CXL r3.1 §8.1.3 (dvsec.c) */
	{ CXL_S_HDM_DECODER, &cxl_hdm_behaviour },         /* CXL r3.1 §8.2.4.20 (hdm.c) */
	{ CXL_S_RAS, &cxl_ras_behaviour },                 /* CXL r3.1 §8.2.4.17 (ras.c) */
	{ CXL_S_DOE, &cxl_doe_behaviour },                 /* PCIe r6.0 §7.9.24 (doe.c) */
};

const struct cxl_behaviour *cxl_behaviour_of(unsigned sidx)
{
	for (unsigned i = 0; i < sizeof(behaviours) / sizeof(behaviours[0]); i++)
		if (behaviours[i].structure == sidx)
			return behaviours[i].beh;
	return NULL;
}
