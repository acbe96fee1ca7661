/* SPDX-License-Identifier: MIT */
/*
 * cxlemu/import.h - turn recorded register traffic into a native trace.
 *
 * Data flows one way: an input log (QEMU log backend, qtest stream, Linux
 * mmiotrace) -> importer -> trace ops (a struct cxl_trace_builder) -> either
 * native `cxl-trace: 1` YAML text (cxl_import_run()) or a trace reader that
 * replays in memory (cxl_import_open()). Importers know the layouts needed
 * to find registers (BARs, Register Locator DVSEC, ECAM; from spec/) and
 * nothing about register rules. Each format is one parser, registered in the
 * format table of import.c.
 *
 * Imports stream their inputs (memory does not grow with the number of
 * lines) and spool the ops in a temporary file; cxl_import_run() writes the
 * finished trace to @out only on success, so a failed import writes nothing.
 */
#ifndef CXLEMU_IMPORT_H
#define CXLEMU_IMPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cxlemu/error.h"
#include "cxlemu/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

enum cxl_import_format {
	CXL_IMPORT_QEMU_LOG,   /* QEMU log backend: pci_cfg_*, memory_region_ops_* */
	CXL_IMPORT_QTEST,      /* qtest command stream or [R +t]/[S +t] log */
	CXL_IMPORT_MMIOTRACE,  /* Linux mmiotrace (R/W/MAP/UNMAP/MARK records) */
	CXL_IMPORT_FUZZ_OPS,   /* fuzz-ops bytes (cxlemu/fuzzops.h): a fuzzer's input or finding */
	CXL_IMPORT__COUNT
};

/* The default ECAM (MMCONFIG) base: QEMU q35 PCIEXBAR as firmware sets it. */
#define CXL_IMPORT_DEFAULT_ECAM 0xb0000000ull

/* A --device pin: names a config-space function or a component block. */
struct cxl_import_pin {
	bool by_bdf;                    /* true: BB:DD.F=..., false: ADDR=... */
	unsigned bdf;                   /* bus << 8 | dev << 3 | fn */
	uint64_t addr;                  /* component block base (by_bdf false) */
	char name[CXL_TRACE_NAME_MAX];
	char model[CXL_TRACE_NAME_MAX]; /* "" = default model of the detected type */
};

struct cxl_import_opts {
	enum cxl_import_format format;
	uint64_t ecam_base;             /* ECAM base until the input programs PCIEXBAR */
	char profile[CXL_TRACE_NAME_MAX]; /* "" = no profile: key */
	const char *expect_path;        /* YAML file whose expect: list is appended ("-": stdin) */
	unsigned npins;
	struct cxl_import_pin pins[CXL_TRACE_MAX_DEVICES];
	/*
	 * The host decoders of vfio-cxl devices, which a QEMU log cannot tell (the kernel hides
	 * or keeps the host address; QEMU logs only what the guest sees). Unset: decoder 0
	 * committed and locked, of the logged dpa_size, at base 0.
	 */
	struct cxl_host_decoder vfio_host[CXL_HOST_DECODERS_MAX];
	/*
	 * A gzip input whose stream ends early (a truncated download) is an input error unless
	 * this is set; then its complete lines are imported and the trace's header comment
	 * counts the truncated inputs.
	 */
	bool allow_truncated;
};

/*
 * Parses "N=BASE,SIZE[,unlocked|,uncommitted]" (--host-decoder) into @o->vfio_host: decoder N
 * of every vfio-cxl device, committed and locked unless told otherwise.
 */
enum cxl_err cxl_import_add_host_decoder(struct cxl_import_opts *o, const char *spec,
					 struct cxl_error *err);

/* Fill @o with the defaults (qemu-log, ECAM 0xb0000000, no pins). */
void cxl_import_opts_init(struct cxl_import_opts *o);

/* "qemu-log" / "qtest" / "mmiotrace" -> format; -1 when unknown (the format table's names). */
int cxl_import_format_parse(const char *name);

/* Format -> its command-line name; never NULL. */
const char *cxl_import_format_name(enum cxl_import_format f);

/*
 * Parse a --device SPEC ("ADDR=NAME:MODEL" or "BB:DD.F=NAME[:MODEL]") and
 * add it to @o. Rejects bad numbers, bad names, a second pin for the same
 * BDF or address, one name with two models, and more than 64 pins; on
 * failure @o is unchanged and @err says why (code CXL_ERR_USAGE).
 */
enum cxl_err cxl_import_add_pin(struct cxl_import_opts *o, const char *spec,
				struct cxl_error *err);

/*
 * Import @npaths files (plain or gzip) of format @o->format into one trace
 * written to @out. A path "-" is standard input (plain or gzip as well, named
 * CXL_STDIN_NAME in errors and in the trace's sources); it can be given once
 * (two "-", or "-" as an input and as @o->expect_path, are CXL_ERR_USAGE naming
 * both). Returns CXL_OK, or an error with @err set to file:line:col; on error
 * nothing has been written to @out.
 */
enum cxl_err cxl_import_run(const struct cxl_import_opts *o,
			    const char *const *paths, unsigned npaths,
			    FILE *out, struct cxl_error *err);

/*
 * Import @npaths files into a trace reader (named after the first file), for a
 * replay without writing a trace file: the ops are spooled to an anonymous
 * temporary file, so memory does not grow with the log. The ops' line is the
 * line of the log they came from. Returns CXL_OK with *@out set, or an error
 * as cxl_import_run().
 */
enum cxl_err cxl_import_open(const struct cxl_import_opts *o,
			     const char *const *paths, unsigned npaths,
			     struct cxl_trace_reader **out, struct cxl_error *err);

#ifdef __cplusplus
}
#endif

#endif
