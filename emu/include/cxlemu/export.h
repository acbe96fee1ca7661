/* SPDX-License-Identifier: MIT */
/*
 * cxlemu/export.h - reproducers others can run without cxlemu: a trace's accesses as a
 * QEMU qtest script or as a standalone C file.
 *
 * Both are formatters of trace ops: they read a trace to its end and write text, nothing
 * else (no QEMU runs, no model is consulted for values). The output is deterministic: the
 * same trace gives the same bytes (no time, no paths but the trace's name as given).
 *
 * qtest (cxl_export_qtest()): a POSIX shell script that starts Debian 12's QEMU 7.2
 * (`qemu-system-x86_64 -machine q35,cxl=on -S -qtest stdio`, no guest; $QEMU overrides the
 * binary) with the topology `cxlemu record --target qemu` builds for the trace, and feeds it
 * a here-document of qtest commands: the same bring-up (ECAM, bus numbers, BARs, windows)
 * and, per op, the same commands that target sends, so every reply is what `record` records.
 * Lines starting with '#' in the here-document are comments (removed by grep before QEMU
 * reads them): each op's index, trace line, device, register name and, for a read, the
 * recorded value ("recorded 0x..."; "not recorded" without one); an op the qemu target
 * cannot perform is a comment saying why. A cold reset ends one QEMU run and starts the
 * next: one pipeline `{ grep -v '^#' <<'EOF' ... EOF; } | qemu` per run. A warm reset (a q35
 * system reset, which QEMU performs in its main loop after the commands it has already read)
 * ends the here-document and the next starts after `sleep 1`. QEMU answers one line per
 * command on standard output.
 *
 * C (cxl_export_c()): one C99 function, cxl_export_run(), doing the accesses in order
 * through macros the user defines before including or compiling the file:
 *   CXL_CFG_READ(dev, off, size)         -> uint64_t   (dev: the trace's device name, a string)
 *   CXL_CFG_WRITE(dev, off, size, val)
 *   CXL_MMIO_READ(dev, off, size)        -> uint64_t   (off: in the trace's view of the device)
 *   CXL_MMIO_WRITE(dev, off, size, val)
 *   CXL_RESET(dev, kind)                 (kind: "flr", "hot", ...; only if the trace resets)
 *   CXL_INJECT(dev, kind, bit)           (only if the trace injects)
 *   CXL_EXPECT(op, dev, got, want)       (default: assert((got) == (want)))
 * A read with a recorded value is checked with CXL_EXPECT (the value masked to the size);
 * one without is only performed. An accessor left undefined stops the compilation with an
 * #error naming it. The devices are listed in a comment and as CXL_EXPORT_DEVICES(X),
 * X(name, model) per device.
 */
#ifndef CXLEMU_EXPORT_H
#define CXLEMU_EXPORT_H

#include <stdio.h>

#include "cxlemu/error.h"
#include "cxlemu/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Writes the qtest reproducer of @r (read to its end) to @out. Returns CXL_OK, an input
 * error of @r (file:line:col in @err), or CXL_ERR_LIMIT when the trace's topology cannot be
 * built in QEMU 7.2 (the message says why, as `record --target qemu` would). On an error,
 * what was written to @out is incomplete: the caller discards it.
 */
enum cxl_err cxl_export_qtest(struct cxl_trace_reader *r, FILE *out, struct cxl_error *err);

/*
 * Writes the C reproducer of @r (read to its end) to @out. Returns CXL_OK or an input error
 * of @r; on an error the caller discards what was written.
 */
enum cxl_err cxl_export_c(struct cxl_trace_reader *r, FILE *out, struct cxl_error *err);

#ifdef __cplusplus
}
#endif

#endif
