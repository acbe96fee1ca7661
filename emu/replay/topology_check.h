/* SPDX-License-Identifier: MIT */
/*
 * topology_check.h - the cross-device decode rules of replay (topo.* in spec/rules.yaml),
 * private to emu/replay.
 */
#ifndef CXLEMU_TOPOLOGY_CHECK_H
#define CXLEMU_TOPOLOGY_CHECK_H

#include "cxlemu/device.h"
#include "cxlemu/event.h"
#include "cxlemu/trace.h"

struct cxl_topo_check;

/*
 * A checker of the devices @devs (one per device of @h, built) of a trace whose header @h
 * gives a topology (a parent, a node or a window); NULL without one (then there is nothing
 * to check), or when out of memory (*@oom set). It keeps a pointer to @h and @devs.
 */
struct cxl_topo_check *cxl_topo_check_new(const struct cxl_trace_header *h,
					  struct cxl_device *const *devs, bool *oom);

/*
 * After op @op (index, trace @line, recorded source @src) was applied to device @dev: when
 * it changed the committed HDM decoders of @dev, judges every topo.* rule on the decoders
 * committed now and sends each violation not reported yet to @fn(@ctx) as an event at @op.
 */
void cxl_topo_check_op(struct cxl_topo_check *t, unsigned dev, unsigned long op,
		       unsigned long line, const char *src, cxl_event_fn fn, void *ctx);

/* Per rule id, how often a topo.* check was evaluated and held (coverage). */
const unsigned long *cxl_topo_check_held(const struct cxl_topo_check *t);

void cxl_topo_check_free(struct cxl_topo_check *t);

#endif
