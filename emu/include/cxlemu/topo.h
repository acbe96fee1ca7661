/* SPDX-License-Identifier: MIT */
/*
 * cxlemu/topo.h - a QEMU command line's CXL layout: where QEMU places the CXL Fixed Memory
 * Windows (CEDT CFMWS, CXL r3.1 §9.18.1.3), which window each vfio-cxl passthrough device
 * lands in, and which layouts vfio-cxl must refuse (the selection rules of NVIDIA QEMU PR #27,
 * "vfio-cxl: Program HDM decoder 0 with the per-device CFMWS base", and its review).
 *
 * cxl_topo_read_text() reads a command line (shell words: quotes, backslash-newline
 * continuations, one argument per line or all on one; `device_add DRIVER,...` monitor lines
 * are hot-plugs), places the windows as QEMU's cxl_fmws_set_memmap() does (cxl-fmw.N order,
 * consecutive from a machine-dependent start; a window that does not fit gets no base and does
 * not advance the next base) and judges every passthrough device. Malformed input is an error
 * at the offending token (file:line:col); a refused device is not an error: it is reported in
 * struct cxl_topo_dev (status CXL_TOPO_REFUSED, the reason and a message).
 *
 * The writers print the result as text or JSON, and the host-side decoder-0 programming of
 * QEMU's setup_locked_hdm() for every accepted device as one native trace with its topology
 * (traces/README.md), which `cxlemu replay` checks.
 */
#ifndef CXLEMU_TOPO_H
#define CXLEMU_TOPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cxlemu/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CXL_TOPO_MAX_WINDOWS 16   /* cxl-fmw.0 .. cxl-fmw.15 (the trace format's limit) */
#define CXL_TOPO_MAX_TARGETS 16   /* targets of one window: CFMWS interleave ways up to 16 */
#define CXL_TOPO_MAX_DEVS 256     /* -device / device_add entries kept (any driver) */
#define CXL_TOPO_MAX_DPA 64       /* --dpa-size entries */
#define CXL_TOPO_ID_MAX 64        /* ids: QEMU's id syntax, at most 63 characters */

enum cxl_topo_machine { CXL_TOPO_MACHINE_AUTO, CXL_TOPO_MACHINE_Q35, CXL_TOPO_MACHINE_VIRT };

/* What a -device is, for the layout. */
enum cxl_topo_dev_kind {
	CXL_TOPO_DEV_OTHER,        /* any other driver: kept only to resolve bus= names */
	CXL_TOPO_DEV_HOST_BRIDGE,  /* pxb-cxl */
	CXL_TOPO_DEV_ROOT_PORT,    /* cxl-rp */
	CXL_TOPO_DEV_SWITCH_UP,    /* cxl-upstream */
	CXL_TOPO_DEV_SWITCH_DOWN,  /* cxl-downstream */
	CXL_TOPO_DEV_TYPE3,        /* cxl-type3 (emulated memory: QEMU programs nothing for it) */
	CXL_TOPO_DEV_VFIO,         /* vfio-pci, vfio-pci-nohotplug */
};

enum cxl_topo_status {
	CXL_TOPO_NONE,         /* not a passthrough device */
	CXL_TOPO_PLACED,       /* accepted: decoder 0 is programmed at decoder_base */
	CXL_TOPO_REFUSED,      /* refused: reason and msg say why */
	CXL_TOPO_NOT_CXL,      /* vfio device not below a pxb-cxl: plain PCIe passthrough */
};

/* Why vfio-cxl refuses a device (seed 000's list, in the order it is checked). */
enum cxl_topo_refusal {
	CXL_TOPO_OK,
	CXL_TOPO_HOTPLUG,        /* hot-plugged with device_add: refused with an error */
	CXL_TOPO_NO_HOST_BRIDGE, /* a CXL device (named by --dpa-size or cxl-fmws-base) not below a pxb-cxl */
	CXL_TOPO_NO_WINDOW,      /* no window targets its host bridge (even with one window) */
	CXL_TOPO_AMBIGUOUS,      /* its host bridge is a target of more than one window */
	CXL_TOPO_INTERLEAVED,    /* the window has more than one target */
	CXL_TOPO_NO_BASE,        /* the window did not fit the address space: no base */
	CXL_TOPO_TOO_SMALL,      /* the window is smaller than the device memory (--dpa-size) */
	CXL_TOPO_MULTI_ENDPOINT, /* more than one passthrough endpoint below its host bridge */
	CXL_TOPO_BAD_FMWS_BASE,  /* cxl-fmws-base not 256 MiB aligned, or outside the window */
};

struct cxl_topo_window {
	unsigned index;                 /* N of cxl-fmw.N */
	uint64_t size;                  /* bytes, a multiple of 256 MiB */
	unsigned granularity;           /* interleave granularity in bytes (default 256) */
	unsigned ntargets;
	char targets[CXL_TOPO_MAX_TARGETS][CXL_TOPO_ID_MAX]; /* pxb-cxl ids */
	bool placed;                    /* false: it did not fit, no base */
	uint64_t base;                  /* when placed */
	unsigned long line, col;        /* its first key in the file */
};

struct cxl_topo_dev {
	char id[CXL_TOPO_ID_MAX];       /* id=, "" when not given */
	char name[CXL_TOPO_ID_MAX];     /* id, or a name made from host= (vfio) */
	char driver[CXL_TOPO_ID_MAX];
	char bus[CXL_TOPO_ID_MAX];      /* bus=, "pcie.0" by default */
	char host[CXL_TOPO_ID_MAX];     /* vfio host= */
	enum cxl_topo_dev_kind kind;
	int parent;                     /* index of the device bus= names, -1: the root bus */
	int port;                       /* port= of a root or downstream port, -1: none */
	int bus_nr;                     /* pxb-cxl bus_nr=, -1: none */
	bool hotplug;                   /* device_add */
	bool has_fmws_base;             /* vfio: cxl-fmws-base= given (non-zero) */
	uint64_t fmws_base;
	unsigned long line, col;        /* the driver name in the file */
	/* the judgement of a vfio device */
	enum cxl_topo_status status;
	enum cxl_topo_refusal refusal;
	int host_bridge;                /* index of its pxb-cxl, -1: none */
	int window;                     /* index into windows[], -1: none */
	uint64_t dpa_size;              /* --dpa-size, 0: not given */
	uint64_t decoder_base;          /* PLACED: the base decoder 0 gets */
	uint64_t decoder_size;          /* PLACED: dpa_size, or the window's size when not given */
	char msg[512];                  /* REFUSED: the message; PLACED: empty */
};

struct cxl_topo_opts {
	enum cxl_topo_machine machine;  /* AUTO: from -machine */
	bool has_fmw_base;              /* --fmw-base: the first window's start */
	uint64_t fmw_base;
	unsigned phys_bits;             /* 0: -cpu phys-bits=, else the machine's default */
	unsigned ndpa;                  /* --dpa-size ID=SIZE (an id or a host= address) */
	struct { char id[CXL_TOPO_ID_MAX]; uint64_t size; } dpa[CXL_TOPO_MAX_DPA];
};

struct cxl_topo {
	char file[256];                 /* the input's name ("<stdin>" for "-") */
	enum cxl_topo_machine machine;
	char machine_type[CXL_TOPO_ID_MAX]; /* as -machine names it, "" when not given */
	uint64_t fmw_start;             /* where the first window goes */
	uint64_t max_addr;              /* a window must end at or below this */
	unsigned phys_bits;
	char start_why[256];            /* how fmw_start was found */
	unsigned nwindows;
	struct cxl_topo_window windows[CXL_TOPO_MAX_WINDOWS];
	unsigned ndevs;
	struct cxl_topo_dev devs[CXL_TOPO_MAX_DEVS];
	unsigned npassthrough, nplaced, nrefused; /* vfio devices below a pxb-cxl (or named CXL) */
};

/* Initialises @o: machine from the command line, no override, no --dpa-size. */
void cxl_topo_opts_init(struct cxl_topo_opts *o);

/*
 * Parses a size as QEMU does (a decimal or 0x number, optional suffix B K M G T P E, powers
 * of 1024, case ignored): 0 with *@out set, else -1.
 */
int cxl_topo_parse_size(const char *text, uint64_t *out);

/*
 * Reads the command line @text (@len bytes, named @file in errors), places its windows and
 * judges its passthrough devices as @o says. Returns a new layout (cxl_topo_free()) in *@out,
 * or an error: CXL_ERR_SYNTAX / CXL_ERR_VALUE / CXL_ERR_UNKNOWN / CXL_ERR_LIMIT at the
 * offending token, CXL_ERR_USAGE (no location) when an option is wrong (--dpa-size naming no
 * device) or the window start cannot be computed and --fmw-base is needed.
 */
enum cxl_err cxl_topo_read_text(const char *file, const char *text, size_t len,
				const struct cxl_topo_opts *o, struct cxl_topo **out,
				struct cxl_error *err);
/* The same for the file @path ("-": standard input, named <stdin>). */
enum cxl_err cxl_topo_read_file(const char *path, const struct cxl_topo_opts *o,
				struct cxl_topo **out, struct cxl_error *err);
void cxl_topo_free(struct cxl_topo *t);

/* The name of a refusal ("no-window", "ambiguous", ...); "" for CXL_TOPO_OK. */
const char *cxl_topo_refusal_name(enum cxl_topo_refusal r);

/* The layout as text (one line per window, per passthrough device, a summary) / one JSON object. */
void cxl_topo_write_text(const struct cxl_topo *t, FILE *f);
void cxl_topo_write_json(const struct cxl_topo *t, FILE *f);
/*
 * One native trace (traces/README.md, with topology:) of QEMU's setup_locked_hdm() for every
 * PLACED device. CXL_ERR_LIMIT when the devices or nodes exceed the trace format's limits.
 */
enum cxl_err cxl_topo_write_trace(const struct cxl_topo *t, FILE *f, struct cxl_error *err);

#ifdef __cplusplus
}
#endif

#endif
