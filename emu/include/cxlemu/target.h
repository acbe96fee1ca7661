/* SPDX-License-Identifier: MIT */
/*
 * cxlemu/target.h - where a trace's ops run: the model, a live QEMU, or any program.
 *
 * One interface for every implementation under test. A target is opened from a spec
 * string, told the trace's devices, then given the ops one at a time; a read returns the
 * value the implementation answered. An op the target cannot perform (an injection, a reset
 * kind it lacks, a device model it has no counterpart for) is answered "skipped" with the
 * reason, never guessed. Targets that are processes (qemu, exec) run in their own process
 * group, answer within a timeout, and are killed with everything they started when the
 * target is closed or fails: no process outlives it.
 *
 *   model[:PROFILE]   the register model (default profile: the trace's)
 *   qemu[=PATH]       qemu-system-x86_64 (or PATH) driven by qtest, no guest
 *   exec:COMMAND      a program speaking the line protocol of traces/README.md "exec targets"
 *                     (COMMAND is split at blanks; no shell)
 */
#ifndef CXLEMU_TARGET_H
#define CXLEMU_TARGET_H

#include <stdbool.h>
#include <stdint.h>

#include "cxlemu/error.h"
#include "cxlemu/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cxl_target;

struct cxl_target_opts {
	unsigned timeout_ms;     /* per answer of a process target; 0 = 10000 */
};

struct cxl_target_reply {
	bool skipped;            /* the target cannot perform the op; see @reason */
	bool refused;            /* the access failed (a vfio region refused it); a read's value is what it returned */
	bool has_value;          /* a read's observed value is in @value */
	uint64_t value;
	uint64_t also_reset;     /* reset: other trace devices it hit too (bit per device index) */
	char reason[256];
};

/*
 * Opens the target @spec (see above). Checks only the spec; programs start in
 * cxl_target_start(). Returns CXL_ERR_USAGE for a malformed spec.
 */
enum cxl_err cxl_target_open(const char *spec, const struct cxl_target_opts *opts,
			     struct cxl_target **out, struct cxl_error *err);

/*
 * Starts the target for the devices of @h (a QEMU topology is built from them, an exec
 * target is told them). A device the target has no counterpart for is not an error: its
 * ops are skipped. Starting a started target ends its previous run first (processes are
 * killed, devices dropped), so one target can run trace after trace from a clean start.
 */
enum cxl_err cxl_target_start(struct cxl_target *t, const struct cxl_trace_header *h,
			      struct cxl_error *err);

/*
 * Performs @op. Fills @reply; returns an error (CXL_ERR_IO for a target that died, timed
 * out or answered FAIL/ERR, with the op's location added by the caller) only when the run
 * cannot go on.
 */
enum cxl_err cxl_target_op(struct cxl_target *t, const struct cxl_op *op,
			   struct cxl_target_reply *reply, struct cxl_error *err);

/*
 * The config writes the target made to the trace's devices on its own since the last call:
 * a qemu target's bring-up after cxl_target_start() and after a reset op (BAR0, bus numbers,
 * memory window, Memory Space Enable; the values QEMU then reads back). One per call into
 * @op (a cfg-write with its value); false when there is none left. Whoever compares the
 * target with the model (cxlemu record, cxl_conform()) makes the same writes on the model,
 * so both start from the same header state.
 */
bool cxl_target_next_setup(struct cxl_target *t, struct cxl_op *op);

/* "model", "qemu" or "exec". */
const char *cxl_target_kind(const struct cxl_target *t);
/*
 * What the target is, for provenance: one line per fact ("target: qemu", "version: QEMU
 * emulator version 7.2.22 ...", "command: qemu-system-x86_64 -machine ..."). Valid after a
 * successful start, until close.
 */
const char *cxl_target_provenance(const struct cxl_target *t);

/* Stops and frees @t (killing its process group); NULL is a no-op. */
void cxl_target_close(struct cxl_target *t);

/* Kills every running target process group; async-signal-safe (for SIGINT/SIGTERM handlers). */
void cxl_target_kill_all(void);

#ifdef __cplusplus
}
#endif

#endif
