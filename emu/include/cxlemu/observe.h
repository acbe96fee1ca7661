/* SPDX-License-Identifier: MIT */
/*
 * cxlemu/observe.h - watch a replay op by op (for viewers such as cxlemu/html.h).
 *
 * An observer sees what the report sees (every event, notes included) plus the replay's
 * devices and op boundaries, so it can read register values before and after an op and the
 * decoders' state after each one. It never changes the replay: the report, the verdict and
 * the events are the same with or without one.
 */
#ifndef CXLEMU_OBSERVE_H
#define CXLEMU_OBSERVE_H

#include "cxlemu/device.h"
#include "cxlemu/event.h"
#include "cxlemu/replay.h"
#include "cxlemu/report.h"
#include "cxlemu/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Hooks of one replay; any may be NULL. Order per trace: begin, then per op (marks
 * included, index @idx as the report numbers ops) op_begin, the op's events (event), op_end;
 * then end. @devs[0 .. h->ndevices) are the replay's devices, valid from begin until end
 * returns (read them, do not access or reset them). A trace that hits an input error stops
 * without end: the observer must treat a begin without its end as an aborted trace.
 */
struct cxl_replay_observer {
	void *ctx;
	void (*begin)(void *ctx, const char *path, const struct cxl_trace_header *h,
		      const char *profile, struct cxl_device *const *devs);
	void (*op_begin)(void *ctx, unsigned long idx, const struct cxl_op *op);
	void (*event)(void *ctx, const struct cxl_event *ev);
	void (*op_end)(void *ctx, unsigned long idx, const struct cxl_op *op);
	void (*end)(void *ctx, const struct cxl_trace_summary *s);
};

/* cxl_replay_reader() with observer @obs (NULL: none) watching it. */
enum cxl_err cxl_replay_reader_observed(struct cxl_trace_reader *r, const struct cxl_replay_opts *opts,
					const struct cxl_replay_observer *obs,
					struct cxl_report *rep, bool *pass, struct cxl_error *err);

#ifdef __cplusplus
}
#endif

#endif
