/* SPDX-License-Identifier: MIT */
/*
 * qtest.c - `cxlemu export --to qtest`: a trace as a shell script that runs Debian 12's
 * QEMU 7.2 under qtest with no guest (cxlemu/export.h describes the layout).
 *
 * The QEMU side is not known here: the qemu target plans it, dry (emu/target/target_qemu.c,
 * cxl_target_qemu_dry()): the topology and command line it builds for the trace, the
 * bring-up, and for each op the commands it would send or the reason it skips the op. This
 * file only lays that out as a script, with each op's trace line and recorded value as a
 * comment, so the script's replies are what `cxlemu record --target qemu` records.
 *
 * Ending a run: QEMU 7.2 under -qtest stdio does not exit at the end of its input, so each
 * run ends by powering the machine off as a guest would: the ICH9 LPC bridge (00:1f.0)
 * gets its ACPI I/O base (PMBASE, config 0x40) and ACPI_EN (ACPI_CNTL 0x44 bit 7), then
 * PM1 Control (PMBASE + 4) is written with SLP_EN (bit 13) and SLP_TYP 0, which QEMU's ACPI
 * PM1 model takes as soft power off (measured on Debian 12's QEMU 7.2.22: it exits, status
 * 0). The registers are the Intel ICH9 datasheet's (LPC D31:F0 PMBASE, ACPI_CNTL; PM1_CNT).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cxlemu/catalog.h"
#include "cxlemu/export.h"
#include "cxlemu/target.h"
#include "export_priv.h"
#include "target_priv.h"

#define ICH9_PMBASE 0x600u   /* an I/O base no device of the topology uses */

struct qx {
	FILE *out;
	bool in_run;             /* a here-document is open */
	unsigned runs;
	unsigned long commands;  /* sent to QEMU, the power-offs included */
};

/* Writes @w as one shell word: as is when it holds only safe characters, else single-quoted. */
static void shell_word(FILE *f, const char *w)
{
	if (*w && strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789,._=+:/-@%") ==
	    strlen(w)) {
		fputs(w, f);
		return;
	}
	fputc('\'', f);
	for (; *w; w++)
		if (*w == '\'')
			fputs("'\\''", f);
		else
			fputc(*w, f);
	fputc('\'', f);
}

/* Ends the open run (if any): the soft power-off (see the top comment) and the delimiter. */
static void end_run(struct qx *x)
{
	if (!x->in_run)
		return;
	fprintf(x->out, "# end of run %u: ACPI soft power off (ICH9 PMBASE 0x%x, ACPI_EN, PM1_CNT SLP_EN), so QEMU exits\n"
		"outl 0xcf8 0x8000f840\noutl 0xcfc 0x%x\noutl 0xcf8 0x8000f844\noutb 0xcfc 0x80\n"
		"outw 0x%x 0x2000\nEOF\n} | qemu\n", x->runs, ICH9_PMBASE, ICH9_PMBASE | 1, ICH9_PMBASE + 4);
	x->commands += 5;
	x->in_run = false;
}

/*
 * The dry target's sink: a command line of the here-document, (NULL) a new QEMU run, or ("")
 * a pause before the rest of the run (the here-document ends; a new one follows a sleep).
 */
static void sink(void *ctx, const char *cmd)
{
	struct qx *x = ctx;

	if (cmd && *cmd) {
		fprintf(x->out, "%s\n", cmd);
		x->commands++;
		return;
	}
	if (cmd) {
		/* a system reset: QEMU performs it in its main loop once it has run what it read */
		fputs("EOF\n# QEMU performs the system reset after every command it has already read: let it\n"
		      "# settle before the rest arrives (a reply-by-reply client like `cxlemu record` need not)\n"
		      "sleep 1\ngrep -v '^#' <<'EOF'\n", x->out);
		return;
	}
	end_run(x);
	x->runs++;
	fprintf(x->out, "\n# run %u: a fresh QEMU; bring-up as firmware would do it: ECAM (q35 PCIEXBAR), bus\n"
		"# numbers, BAR0 of each device, bridge memory windows, Memory Space Enable\n"
		"{\ngrep -v '^#' <<'EOF'\n", x->runs);
	x->in_run = true;
}

/* The script's header: what it is, how to run it, and the QEMU command line as a function. */
static void header(FILE *f, const char *name, const struct cxl_trace_header *h, char *const *argv,
		   unsigned argc)
{
	fputs("#!/bin/sh\n# A qtest reproducer of ", f);
	cxl_export_text(f, name);
	if (h->description[0]) {
		fputs(" (\"", f);
		cxl_export_text(f, h->description);
		fputs("\")", f);
	}
	fputs(",\n# written by `cxlemu export --to qtest`.\n#\n"
	      "# It starts QEMU (Debian 12's qemu-system-x86_64, QEMU 7.2; set QEMU= for another binary)\n"
	      "# with no guest and sends it the trace's register accesses over qtest, after the bring-up\n"
	      "# firmware would do. QEMU prints one reply per command on standard output (\"OK\", or\n"
	      "# \"OK 0x...\" for a read); the comment before each access gives the trace's op, its line and\n"
	      "# the value the trace recorded. Lines starting with '#' are removed before QEMU reads them.\n"
	      "# Each run is a pipeline into QEMU: `{ grep -v '^#' <<'EOF' ... EOF; } | qemu`.\n"
	      "# Devices (the trace's name, its model):", f);
	for (unsigned i = 0; i < h->ndevices; i++)
		fprintf(f, "%s %s (%s)", i ? "," : "", h->devices[i].name, h->devices[i].model);
	fputs("\nset -e\n\nqemu() {\n\t\"${QEMU:-qemu-system-x86_64}\"", f);
	for (unsigned i = 1; i < argc; i++) {
		fputs(argv[i][0] == '-' ? " \\\n\t\t" : " ", f);
		shell_word(f, argv[i]);
	}
	fputs("\n}\n", f);
}

/* The comment of op @n: "# op N (TRACE:LINE): OP: REGISTER" and the recorded value of a read. */
static void op_comment(FILE *f, const char *name, const struct cxl_trace_header *h,
		       const struct cxl_export_names *nm, unsigned long n, const struct cxl_op *op)
{
	unsigned space;
	bool write;

	fputs("# ", f);
	cxl_export_op_where(f, name, h, nm, n, op);
	if (cxl_op_kind_access(op->kind, &space, &write) && !write) {
		if (op->has_value)
			fprintf(f, ": recorded 0x%" PRIx64, op->value);
		else
			fputs(": not recorded", f);
	}
	fputc('\n', f);
}

CXL_EXPORT
enum cxl_err cxl_export_qtest(struct cxl_trace_reader *r, FILE *out, struct cxl_error *err)
{
	const struct cxl_trace_header *h = cxl_trace_header(r);
	const char *name = cxl_trace_name(r);
	struct cxl_export_names nm;
	struct cxl_target *t = NULL;
	struct cxl_target_reply rep;
	struct cxl_op *op = calloc(1, sizeof(*op));
	struct qx x = { .out = out };
	unsigned long n = 0, skipped = 0, reads = 0;
	char *const *argv;
	unsigned argc;
	bool done = false;
	enum cxl_err rc;

	if (!op)
		return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "out of memory");
	cxl_export_names_open(&nm, h);
	rc = cxl_target_open("qemu", NULL, &t, err);
	if (!rc) {
		/* the header goes first: the command line is known once the topology is laid out */
		FILE *spool = tmpfile();

		if (!spool) {
			rc = cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0, "cannot create a temporary file");
			goto out;
		}
		x.out = spool;
		cxl_target_qemu_dry(t, sink, &x);
		rc = cxl_target_start(t, h, err);
		if (rc) {
			char msg[sizeof(err->msg)];

			snprintf(msg, sizeof(msg), "%s", err->msg);
			rc = cxl_error_set(err, rc, name, h->ndevices ? h->devices[0].line : 1,
					   h->ndevices ? h->devices[0].col : 1,
					   "cannot export for QEMU 7.2: %.400s", msg);
		}
		while (!rc) {
			unsigned space;
			bool write;

			rc = cxl_trace_next(r, op, &done, err);
			if (rc || done)
				break;
			op_comment(spool, name, h, &nm, n, op);
			rc = cxl_target_op(t, op, &rep, err);
			if (rc) {
				char msg[sizeof(err->msg)];

				snprintf(msg, sizeof(msg), "%s", err->msg);
				rc = cxl_error_set(err, rc, name, op->line, op->col, "%.400s", msg);
				break;
			}
			if (rep.skipped) {
				fputs("#   not sent: ", spool);
				cxl_export_text(spool, rep.reason);
				fputc('\n', spool);
				skipped++;
			} else if (cxl_op_kind_access(op->kind, &space, &write) && !write) {
				reads++;
			}
			n++;
		}
		if (!rc)
			rc = cxl_trace_finish(r, NULL, err);
		end_run(&x);
		if (!rc) {
			argc = cxl_target_qemu_argv(t, &argv);
			header(out, name, h, argv, argc);
			if (!cxl_export_copy(spool, out))
				rc = cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0, "cannot write the reproducer");
			fprintf(out, "\n# %lu ops: %lu reads, %lu not sent; %lu qtest commands in %u run%s\n", n,
				reads, skipped, x.commands, x.runs, x.runs == 1 ? "" : "s");
		}
		fclose(spool);
	}
out:
	cxl_target_close(t);
	cxl_export_names_close(&nm);
	free(op);
	return rc;
}
