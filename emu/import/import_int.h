/* SPDX-License-Identifier: MIT */
/*
 * import_int.h - internals shared by the importers (not installed).
 *
 * lineio.c    bounded line reader over plain or gzip files
 * lex.c       number and token helpers for one line
 * stats.c     what every input line became (one class per line)
 * topology.c  BARs, Register Locator, ECAM, component blocks, device models
 * import.c    the driver: format table, options, files, naming, the trace builder, output
 * qemu_log.c, qtest.c, mmiotrace.c   one parser per input format
 */
#ifndef CXLEMU_IMPORT_INT_H
#define CXLEMU_IMPORT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cxlemu/catalog.h"
#include "cxlemu/error.h"
#include "cxlemu/import.h"
#include "cxlemu/trace.h"

#define CXL_EXPORT __attribute__((visibility("default")))

/* ---- lineio.c ---------------------------------------------------------- */

/* Longest line kept; longer lines are reported as IMP_LF_TOO_LONG. */
#define IMP_LINE_MAX 16384

enum imp_line_flag {
	IMP_LF_TOO_LONG = 1,     /* longer than IMP_LINE_MAX: text cut */
	IMP_LF_UNTERMINATED = 2, /* last line of the file, no newline */
	IMP_LF_BINARY = 4,       /* contains NUL or other control bytes */
};

struct imp_lines;

enum cxl_err imp_lines_open(const char *path, struct imp_lines **out,
			    struct cxl_error *err);
int imp_lines_next(struct imp_lines *r, const char **line, size_t *len,
		   unsigned *flags, struct cxl_error *err);
unsigned long imp_lines_number(const struct imp_lines *r);
bool imp_lines_gz_truncated(const struct imp_lines *r);
enum cxl_err imp_lines_rewind(struct imp_lines *r, struct cxl_error *err);
void imp_lines_close(struct imp_lines *r);

/* ---- lex.c ------------------------------------------------------------- */

struct imp_lex {
	const char *start; /* first byte of the line (for columns) */
	const char *p;     /* cursor */
	const char *end;   /* one past the last byte */
};

void imp_lex_init(struct imp_lex *lx, const char *line, size_t len);
bool imp_lex_word(struct imp_lex *lx, const char **w, size_t *n);
bool imp_lex_num(struct imp_lex *lx, uint64_t *v);
bool imp_lex_at_end(struct imp_lex *lx);
/* True when @w[0..n) equals the NUL-terminated @lit exactly (inline: strlen of a literal folds). */
static inline bool imp_word_is(const char *w, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(w, lit, n) == 0;
}
bool imp_parse_num(const char *s, size_t n, uint64_t *v);
bool imp_parse_hex(const char *s, size_t n, uint64_t *v);

/* ---- stats.c ----------------------------------------------------------- */

/* What one input line became. Every line gets exactly one class. */
enum imp_class {
	IMP_C_OP,            /* produced one or more ops */
	IMP_C_CONTEXT,       /* used to understand other lines */
	IMP_C_IGNORED,       /* a record of the format that carries no access */
	IMP_C_BLANK,         /* empty line or comment */
	IMP_C_NON_CXL,       /* config access of a device that is not CXL */
	IMP_C_UNIDENTIFIED,  /* config access of a function never identified */
	IMP_C_NOT_COMPONENT, /* access outside every component register block */
	IMP_C_NO_DEVICE,     /* config-mechanism access with no device behind it */
	IMP_C_UNPAIRED,      /* pci_cfg line without its size line */
	IMP_C_OUT_OF_RANGE,  /* access that no native op can express */
	IMP_C_FAILED,        /* qtest command answered FAIL/ERR */
	IMP_C_UNSUPPORTED,   /* recognised but not imported (b64write, memset) */
	IMP_C_UNKNOWN,       /* unknown event, command or record */
	IMP_C_UNPARSEABLE,   /* known record with bad fields, or binary data */
	IMP_C_TOO_LONG,      /* longer than IMP_LINE_MAX */
	IMP_C_TRUNCATED,     /* last line without a newline */
	IMP_C__COUNT
};

struct imp_stats {
	unsigned long lines;            /* lines read */
	unsigned long cls[IMP_C__COUNT];
	unsigned long split;            /* accesses split into pieces */
	unsigned long gz_truncated;     /* inputs whose gzip stream ended early */
};

const char *imp_class_desc(enum imp_class c);
bool imp_class_is_skip(enum imp_class c);
unsigned long imp_stats_skipped(const struct imp_stats *st);

/* ---- topology.c -------------------------------------------------------- */

/*
 * Where a device came from. Which model it is comes from spec/ (cxlemu/catalog.h: a
 * model's match: QEMU type or PCI IDs), never from a list here.
 */
enum imp_kind {
	IMP_KIND_CFG,     /* a config-space function whose model the input identified */
	IMP_KIND_HB,      /* host bridge component block (not behind a BAR) */
	IMP_KIND_MAPPED,  /* mmiotrace MAP that looks like a component block */
	IMP_KIND_PINNED,  /* known only from --device */
	IMP_KIND__COUNT
};

/* The model with config space whose match: names QEMU type @s[0..n), or -1. */
int imp_model_for_qemu_type(const char *s, size_t n);
/* The model of a host bridge's component block in a QEMU log, or -1. */
int imp_model_host_bridge(void);

enum imp_base_src {
	IMP_BASE_NONE,      /* no block known (yet) */
	IMP_BASE_LOCATOR,   /* Register Locator DVSEC as read by the guest */
	IMP_BASE_FALLBACK,  /* locator never read: the model's own Register Locator says */
	IMP_BASE_FIXED,     /* --device ADDR, host bridge, mmiotrace MAP */
};

#define IMP_BAR_SET 1      /* an address was programmed or read */
#define IMP_BAR_SIZING 2   /* 0xffffffff written: reads are size masks */
#define IMP_BAR_IS64 4     /* type bits say 64-bit memory BAR */
#define IMP_BAR_IO 8       /* type bits say I/O BAR */
#define IMP_BAR_TYPED 16   /* type bits observed */

struct imp_dev {
	enum imp_kind kind;
	int model;                /* index into the catalog's models, -1 unknown (pinned) */
	int bdf;                  /* config-space function, or -1 */
	int emit;                 /* emitter device index, -1 before first op */
	const struct cxl_import_pin *pin; /* --device naming this device */
	uint64_t fixed_base;      /* IMP_BASE_FIXED blocks */
	unsigned long origin_line; /* line that created a fixed block */
	uint32_t bar[6];
	uint8_t barf[6];
	uint8_t *cfg;             /* 4 KiB shadow of observed config bytes */
	uint8_t *known;           /* bitmap: which shadow bytes were observed */
	unsigned long gen;        /* bumped when shadow or BARs change */
	unsigned long cache_gen;  /* gen of the cached block */
	bool cache_ok;
	uint64_t cache_base;
	enum imp_base_src cache_src;
	unsigned cache_bir;
	uint64_t cache_off;
	enum imp_base_src used_src; /* what the last mmio op used */
	unsigned used_bir;
	uint64_t used_off, used_base;
	bool used;
	/* Type-1 header Primary/Secondary/Subordinate Bus Number (0x18..0x1a, PCIe r6.0
	 * §7.5.1.3.2-4) as last read or written (RW registers: a write is the new value). */
	uint8_t busno[3];
	uint8_t busno_known;      /* bit i: busno[i] observed */
};

struct imp_ecam {
	uint64_t base, size;
	bool on;
	uint8_t xbar[8];          /* q35 PCIEXBAR (00:00.0 config 0x60..0x67) */
	bool programmed;
};

struct imp_topo {
	struct imp_dev dev[CXL_TRACE_MAX_DEVICES];
	unsigned ndev;
	struct imp_ecam ecam;
	int hb_fn;                /* first host-bridge function (pxb-cxl) seen in config space, or -1 */
	bool hb_fns_many;         /* more than one such function was seen */
};

void imp_topo_init(struct imp_topo *t, uint64_t ecam_base);
void imp_topo_free(struct imp_topo *t);
int imp_topo_cfg_dev(struct imp_topo *t, int bdf, enum imp_kind kind, int model,
		     const struct cxl_import_pin *pin);
int imp_topo_block_dev(struct imp_topo *t, enum imp_kind kind, int model, uint64_t base,
		       const struct cxl_import_pin *pin, unsigned long line);
void imp_topo_cfg_access(struct imp_topo *t, int idx, bool write,
			 unsigned off, unsigned size, uint64_t value);
int imp_topo_block_lookup(struct imp_topo *t, uint64_t addr, unsigned size,
			  uint64_t *offset);
bool imp_ecam_decode(const struct imp_ecam *e, uint64_t addr, unsigned size,
		     int *bdf, unsigned *off);
bool imp_ecam_mch_write(struct imp_ecam *e, int bdf, unsigned off,
			unsigned size, uint64_t value);
/* Notes a config access of host-bridge function @bdf (a pxb-cxl: no model with config space). */
void imp_topo_note_hb_fn(struct imp_topo *t, int bdf);

/*
 * Where the devices sit (traces/README.md "Topology"), from the config space the guest
 * accessed: a device's parent is the bridge whose Secondary Bus Number is its bus; a root
 * port's is the host bridge of its bus (one per root bus); a root or downstream port's port
 * number is its Link Capabilities Port Number (PCIe r6.0 §7.5.3.6). A device is placed only
 * when its whole chain up to a host bridge is known.
 */
enum imp_why {
	IMP_WHY_PLACED,       /* parent known */
	IMP_WHY_NONE,         /* nothing to place (not in the trace, a host bridge, no kind) */
	IMP_WHY_NO_BRIDGE,    /* no bridge's Secondary Bus Number is its bus */
	IMP_WHY_TWO_BRIDGES,  /* more than one bridge's Secondary Bus Number is its bus */
	IMP_WHY_WRONG_KIND,   /* the bridge above (.bridge) cannot be its parent */
	IMP_WHY_NO_HB,        /* a root port: the host bridge of its bus is not known (no_hb) */
	IMP_WHY_ABOVE,        /* the device above it (.bridge) is not placed */
};

struct imp_place {
	enum imp_why why;
	int parent;           /* topology device above it, or -1 */
	int hb;               /* a root port: index into imp_layout.hb, or -1 */
	int bridge;           /* IMP_WHY_WRONG_KIND, IMP_WHY_ABOVE: the device above */
	int port;             /* a root or downstream port's Port Number, -1 unknown */
	bool port_unread;     /* a root or downstream port whose Port Number was never read */
	bool host_bridge;     /* a host bridge's component block (IMP_WHY_NONE) */
};

struct imp_hb {
	unsigned bus;         /* the root bus below it */
	int dev;              /* topology device with its component block, or -1: no registers */
};

struct imp_layout {
	struct imp_place place[CXL_TRACE_MAX_DEVICES];  /* by topology device */
	struct imp_hb hb[CXL_TRACE_MAX_NODES];          /* by root bus, ascending */
	unsigned nhb;
	const char *no_hb;    /* why no host bridge is known (NULL: they are) */
	bool any;             /* some device of a kind that has a place */
};

/*
 * Fills @l for the devices of @t; @kind[i] is topology device i's enum cxl_kind in the
 * trace, or -1 when it is not in the trace (or its model is unknown).
 */
void imp_topo_layout(const struct imp_topo *t, const int *kind, struct imp_layout *l);

/* Identities learnt from vendor/device ID reads, for all 65536 BDFs. */
struct imp_ids {
	uint32_t id[65536];      /* device << 16 | vendor, byte-merged */
	uint8_t mask[65536];     /* which of the 4 bytes were observed */
};

void imp_ids_note(struct imp_ids *ids, int bdf, unsigned off, unsigned size,
		  uint64_t value);
int imp_ids_model(const struct imp_ids *ids, int bdf, bool *identified);

/* ---- import.c: the context the parsers work in ------------------------- */

/* What an input's basename may take in a trace, written (sources "BASE:LINE", source:). */
#define IMP_BASE_MAX 400

struct imp_ctx {
	const struct cxl_import_opts *o;
	struct imp_stats st;
	struct cxl_trace_builder *tb; /* the trace being built */
	struct imp_topo *topo;
	struct imp_ids *ids;      /* qtest only: identities from pass 1 */
	bool dry;                 /* qtest pass 1: learn, emit nothing */
	const char *path;         /* current input */
	char base[IMP_BASE_MAX + 1]; /* its basename, cut to IMP_BASE_MAX written bytes */
	unsigned file_idx;        /* 0 = the `source:` file */
	unsigned long records;    /* recognised records in the current input */
	struct cxl_error *err;
	bool failed;              /* err is set: stop */
	struct imp_vfio *vfio;    /* vfio.c: the vfio devices of a qemu-log (NULL until one shows) */
	unsigned long bad_run;    /* binary or over-long lines in a row (the give-up guard) */
	const char **open_as;     /* per input, the path to open (a pipe's spool), or NULL */
	FILE **spools;            /* per input, its spool, or NULL */
	unsigned nspools;
	char (*spool_names)[32];  /* per input, "/dev/fd/N" of its spool */
	struct imp_layout *layout; /* where the devices sit (after the last pass), or NULL */
	char (*hb_names)[CXL_TRACE_NAME_MAX]; /* layout->hb[i]'s name in the trace */
};

/* Binary or over-long lines in a row after which an input with no record is not a log. */
#define IMP_BAD_RUN_MAX 10000

void imp_class(struct imp_ctx *c, enum imp_class cls);
bool imp_class_flagged(struct imp_ctx *c, unsigned flags, unsigned long line);
int imp_dev_for_bdf(struct imp_ctx *c, int bdf, enum imp_kind kind, int model,
		    unsigned long line);
int imp_op_cfg(struct imp_ctx *c, int dev, bool write, unsigned off,
	       unsigned size, uint64_t value, bool has_value,
	       unsigned long line);
int imp_op_mmio(struct imp_ctx *c, int dev, bool write, uint64_t off,
		unsigned size, uint64_t value, bool has_value,
		unsigned long line);
int imp_op_mark(struct imp_ctx *c, const char *text, size_t len,
		unsigned long line);
/* Adds trace device @prefix<N> of @model (the smallest free N); its index, or -1. */
int imp_new_device(struct imp_ctx *c, const char *prefix, const char *model, const char *comment);
/*
 * Emits an access of @kind for trace device @tdev with op @flags (CXL_OPF_*); returns 1, 0
 * when no native op can express it (as imp_op_cfg), -1 on failure.
 */
int imp_emit_op(struct imp_ctx *c, unsigned tdev, enum cxl_op_kind kind, uint64_t off,
		unsigned size, uint64_t value, bool has_value, unsigned flags, unsigned long line);
const struct cxl_import_pin *imp_pin_for_bdf(const struct imp_ctx *c, int bdf);
bool imp_fail(struct imp_ctx *c, enum cxl_err code, unsigned long line,
	      unsigned long col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* ---- vfio.c: vfio events inside a qemu-log ------------------------------ */

/*
 * Handles line @line (event word @w, the rest in @lx) when it is a vfio event or a vfio-cxl
 * message of QEMU's; *@handled says whether it was. False when c->failed.
 */
bool imp_vfio_line(struct imp_ctx *c, const char *w, size_t n, struct imp_lex *lx,
		   const char *line, size_t len, unsigned long lineno, bool *handled);
void imp_vfio_free(struct imp_ctx *c);

/* One input file of each format; return false when c->failed. */
bool imp_qemu_log_file(struct imp_ctx *c, struct imp_lines *in);
bool imp_qtest_file(struct imp_ctx *c, struct imp_lines *in);
bool imp_mmiotrace_file(struct imp_ctx *c, struct imp_lines *in);

#endif
