/* SPDX-License-Identifier: MIT */
/*
 * cmd_topo.c - `cxlemu topo`: a QEMU command line's CXL windows, where each passthrough
 * vfio-cxl device lands, the layouts vfio-cxl must refuse, and (--emit-trace) the host-side
 * decoder-0 programming as a trace with its topology. The work is in the library
 * (cxlemu/topo.h, emu/topo/qemu_cmdline.c); this file is options and output files.
 */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "cxlemu/topo.h"

enum { O_FORMAT = 'f', O_MACHINE = 'M', O_FMW_BASE = 'B', O_DPA = 'D', O_EMIT = 'e',
       O_PHYS = 'P' };

static int cxlemu_cmd_topo(int argc, char **argv);

static const struct cli_option topo_options[] = {
	{ "format", 0, O_FORMAT, CLI_V_CHOICE, "FORMAT", "text json",
	  "text (default) or json (one object)" },
	{ "machine", 0, O_MACHINE, CLI_V_CHOICE, "TYPE", "q35 virt",
	  "the machine type when -machine does not say q35 or virt (pc-q35-X.Y and\n"
	  "virt-X.Y are recognised)" },
	{ "fmw-base", 0, O_FMW_BASE, CLI_V_TEXT, "ADDR", NULL,
	  "the first window's base (256 MiB aligned) instead of the machine's start" },
	{ "phys-bits", 0, O_PHYS, CLI_V_TEXT, "N", NULL,
	  "guest physical address bits: windows must end below 2^N (default: -cpu\n"
	  "phys-bits=, else 40 on q35 and 48 on virt)" },
	{ "dpa-size", 0, O_DPA, CLI_V_TEXT, "ID=SIZE", NULL,
	  "the device memory of passthrough device ID (its id= or host= address);\n"
	  "a window smaller than it is refused (repeatable)" },
	{ "emit-trace", 0, O_EMIT, CLI_V_FILE, "OUT", NULL,
	  "write the decoder-0 programming of every accepted device as one native\n"
	  "trace with the topology, atomically; \"-\": on standard output, instead of\n"
	  "the report" },
	{ NULL, 0, 0, CLI_V_NONE, NULL, NULL, NULL },
};

const struct cli_command cli_cmd_topo = {
	"topo", "where QEMU puts CXL windows and passthrough devices, and what vfio-cxl refuses",
	"[--format text|json] [--machine q35|virt] [--fmw-base ADDR] [--dpa-size ID=SIZE]...\n"
	"[--emit-trace OUT] FILE|-",
	"Reads a QEMU command line (FILE, or \"-\" for standard input: one string or one\n"
	"argument per line, shell quoting and backslash continuations; `device_add ...` lines\n"
	"are hot-plugs) and prints its CXL Fixed Memory Windows (-machine cxl-fmw.N) with the\n"
	"base QEMU gives each (in cxl-fmw.N order, consecutive from the machine's start; a\n"
	"window that does not fit gets none), and for each vfio-pci device below a pxb-cxl the\n"
	"window that targets its host bridge and the decoder-0 base it gets, or why vfio-cxl\n"
	"refuses it: no window targets the host bridge, more than one does, the window\n"
	"interleaves, has no base or is smaller than --dpa-size, more than one passthrough\n"
	"endpoint below the host bridge, or hot-plugged with device_add.\n\n"
	"The first window starts, on virt, at twice highmem-mmio-size (default 512G: the high\n"
	"PCIe MMIO region ends there); on q35 at the end of RAM above 4 GiB plus 1 MiB, rounded\n"
	"up to 256 MiB. Where this cannot be computed (maxmem above -m, highmem options off)\n"
	"--fmw-base is needed, and the error says so.\n\n"
	"A malformed command line prints file:line:col: error: ... on standard error and\n"
	"nothing on standard output.",
	topo_options, CLI_V_FILE,
	"0 every passthrough device is accepted, 1 a device is refused, 2 bad input or usage",
	cxlemu_cmd_topo,
};

/* --dpa-size ID=SIZE into @o; else a usage error. */
static int add_dpa(struct cxl_topo_opts *o, const char *arg)
{
	const char *eq = strchr(arg, '=');
	size_t n = eq ? (size_t)(eq - arg) : 0;

	if (!eq || !n || n >= sizeof(o->dpa[0].id))
		return cli_usage_error("topo", "--dpa-size takes ID=SIZE, not '%s'", arg);
	if (o->ndpa == CXL_TOPO_MAX_DPA)
		return cli_usage_error("topo", "at most %u --dpa-size options", CXL_TOPO_MAX_DPA);
	if (cxl_topo_parse_size(eq + 1, &o->dpa[o->ndpa].size) || !o->dpa[o->ndpa].size)
		return cli_usage_error("topo", "--dpa-size %s: bad size '%s' (a number with an "
				       "optional K, M, G or T suffix)", arg, eq + 1);
	memcpy(o->dpa[o->ndpa].id, arg, n);
	o->dpa[o->ndpa].id[n] = 0;
	o->ndpa++;
	return EXIT_PASS;
}

/* `cxlemu topo`: exit 0 every passthrough device accepted, 1 one refused, 2 bad input. */
static int cxlemu_cmd_topo(int argc, char **argv)
{
	struct cxl_topo_opts o;
	struct cxl_error err = { 0 };
	struct cxl_topo *t = NULL;
	struct cli_out out = { 0 };
	const char *emit = NULL, *path;
	struct cli_parser p;
	bool json = false;
	int c, rc, status;
	uint64_t v;

	cxl_topo_opts_init(&o);
	cli_parse_begin(&p, &cli_cmd_topo, argc, argv);
	while ((c = cli_next(&p)) > 0) {
		switch (c) {
		case O_FORMAT:
			if ((rc = cli_choice("topo", "format", p.arg, "text json")) < 0)
				return EXIT_BAD_INPUT;
			json = rc == 1;
			break;
		case O_MACHINE:
			if ((rc = cli_choice("topo", "machine", p.arg, "q35 virt")) < 0)
				return EXIT_BAD_INPUT;
			o.machine = rc ? CXL_TOPO_MACHINE_VIRT : CXL_TOPO_MACHINE_Q35;
			break;
		case O_FMW_BASE:
			if (cxl_topo_parse_size(p.arg, &v))
				return cli_usage_error("topo", "--fmw-base: bad address '%s'", p.arg);
			o.has_fmw_base = true;
			o.fmw_base = v;
			break;
		case O_PHYS:
			if (cxl_topo_parse_size(p.arg, &v) || v < 32 || v > 64)
				return cli_usage_error("topo", "--phys-bits: '%s' is not 32..64", p.arg);
			o.phys_bits = (unsigned)v;
			break;
		case O_DPA:
			if ((rc = add_dpa(&o, p.arg)))
				return rc;
			break;
		case O_EMIT: emit = p.arg; break;
		}
	}
	if (c == CLI_STOP)
		return p.status;
	if (p.nops != 1)
		return cli_usage_error("topo", "give one FILE (a QEMU command line; see cxlemu help topo)");
	path = p.ops[0];
	if (cxl_topo_read_file(path, &o, &t, &err)) {
		if (err.code == CXL_ERR_USAGE) {
			if (err.file[0])
				return cli_usage_error("topo", "%s: %s", err.file, err.msg);
			return cli_usage_error("topo", "%s", err.msg);
		}
		return cli_input_error(&err);
	}
	status = t->nrefused ? EXIT_CHECK_FAILED : EXIT_PASS;
	if (emit) {
		if ((rc = cli_out_open(&out, emit, &path, 1))) {
			cxl_topo_free(t);
			return rc;
		}
		if (cxl_topo_write_trace(t, out.f, &err)) {
			cli_out_abort(&out);
			cxl_topo_free(t);
			return cli_input_error(&err);
		}
		if ((rc = cli_out_commit(&out))) {
			cxl_topo_free(t);
			return rc;
		}
		if (!strcmp(emit, "-")) {
			cxl_topo_free(t);
			return status;
		}
	}
	if (json)
		cxl_topo_write_json(t, stdout);
	else
		cxl_topo_write_text(t, stdout);
	cxl_topo_free(t);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "cxlemu topo: cannot write the standard output\n");
		return EXIT_BAD_INPUT;
	}
	return status;
}
