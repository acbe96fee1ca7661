/* SPDX-License-Identifier: MIT */
/*
 * cxlemu/replay.h - replay a trace against the device models.
 *
 * Streams the trace (constant memory in the number of ops) from any trace
 * reader (a native YAML file, or an import in memory), builds every device
 * from the spec tables, applies each op, sends events to the report and
 * decides the verdict: with expect:, pass iff the set of (op, rule) of
 * warning and error events equals the expected set; without, pass iff there
 * was no error event.
 */
#ifndef CXLEMU_REPLAY_H
#define CXLEMU_REPLAY_H

#include <stdbool.h>

#include "cxlemu/device.h"
#include "cxlemu/error.h"
#include "cxlemu/report.h"
#include "cxlemu/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cxl_replay_opts {
	const char *profile;     /* overrides the trace's profiles when non-NULL */
	bool dump_state;
	/*
	 * Non-NULL: every device counts its rules' checks (cxl_device_opts.count_checks) and the
	 * replay adds the trace's counts here, the topo.* checks included (cxlemu/coverage.h).
	 */
	struct cxl_check_counts *checks;
};

/*
 * Replays what @r yields into @rep (reading it to its end; the caller closes
 * it). Returns CXL_OK with *@pass set, or an input error (file:line:col in
 * @err); on error the report may hold partial output for this trace, which
 * the caller must not flush.
 */
enum cxl_err cxl_replay_reader(struct cxl_trace_reader *r, const struct cxl_replay_opts *opts,
			       struct cxl_report *rep, bool *pass, struct cxl_error *err);

/* Opens the native trace @path and replays it as cxl_replay_reader() does. */
enum cxl_err cxl_replay_file(const char *path, const struct cxl_replay_opts *opts,
			     struct cxl_report *rep, bool *pass, struct cxl_error *err);

#ifdef __cplusplus
}
#endif

#endif
