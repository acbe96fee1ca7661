/* SPDX-License-Identifier: MIT */
/*
 * cxlemu/trace.h - the trace model: what a trace says happened, and where traces come from.
 *
 * A trace is a header (description, profile, devices) followed by a stream of ops and an
 * optional list of expected events. A trace reader yields it one op at a time, whatever its
 * origin: a native YAML file (cxl_trace_open()), or a trace built in memory by an importer
 * (struct cxl_trace_builder) without writing a trace file. The writer turns any reader back
 * into native YAML. Nothing here knows about register rules. Memory does not grow with the
 * number of ops: builders spool ops to an anonymous temporary file.
 */
#ifndef CXLEMU_TRACE_H
#define CXLEMU_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cxlemu/device.h"
#include "cxlemu/error.h"
#include "cxlemu/spec_ids.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CXL_TRACE_MAX_DEVICES 64
#define CXL_TRACE_NAME_MAX 64
#define CXL_TRACE_TEXT_MAX 512
/* Reader limits (documented in traces/README.md). */
#define CXL_TRACE_MAX_EXPECT 1000000UL  /* expect: entries; more is CXL_ERR_LIMIT */
#define CXL_TRACE_MAX_HDM_DECODERS CXL_REP_HDM_DECODER_MAX /* hdm-decoders: 1..32 (spec/) */
#define CXL_TRACE_MAX_WINDOWS 16        /* topology: windows: */
#define CXL_TRACE_MAX_WINDOW_TARGETS 16 /* targets: of one window (CFMWS: up to 16 ways) */
#define CXL_TRACE_MAX_NODES 64          /* topology: nodes: */
#define CXL_TRACE_MAX_PORT 255          /* port: 0..255 (a Target List entry is 8 bits) */

/* enum cxl_op_kind, cxl_reset_kind, cxl_inject_kind: cxlemu/spec_ids.h (spec/vocabulary.yaml). */

struct cxl_op {
	enum cxl_op_kind kind;
	unsigned dev;             /* index into the trace's device table */
	uint64_t offset;          /* cfg offset, or mmio offset in the component block */
	unsigned size;            /* 1, 2, 4 or 8 as written in the trace */
	uint64_t value;           /* write value, or observed read value */
	bool has_value;           /* reads: false = not checked */
	enum cxl_reset_kind reset;
	enum cxl_inject_kind inject;
	unsigned bit;             /* inject: status bit to set */
	unsigned flags;           /* accesses: CXL_OPF_VMM (the VMM made it), CXL_OPF_FAILED (it failed) */
	unsigned long line;       /* line of the op in the trace (or the log it was imported from) */
	unsigned long col;
	char src[CXL_TRACE_TEXT_MAX]; /* "file:line" of the recorded source, or "" */
	char text[CXL_TRACE_TEXT_MAX]; /* mark text */
};

struct cxl_trace_device {
	char name[CXL_TRACE_NAME_MAX];
	char model[CXL_TRACE_NAME_MAX];
	char profile[CXL_TRACE_NAME_MAX]; /* "" = the trace's profile */
	int hdm_decoders;                 /* 0 = model default */
	bool fw_committed;                /* start with decoder 0 committed and locked */
	uint64_t fw_base, fw_size;
	struct cxl_host_decoder host[CXL_HOST_DECODERS_MAX]; /* host: decoders */
	bool host_config_lock, host_mem_enable;             /* host: config-lock, mem-enable */
	unsigned view;                    /* enum cxl_view (view:) */
	unsigned long line;
	unsigned long col;                /* of the device name */
	char comment[160];                /* written after the device by the YAML writer */
	/*
	 * Topology (traces/README.md "Topology"): the device or node above this device ("" =
	 * not known), and this device's port number as its parent's HDM decoder Target Lists
	 * name it (-1 = not given; only with a parent). Builders that zero a device must set
	 * port to -1 (cxl_trace_builder_device() does).
	 */
	char parent[CXL_TRACE_NAME_MAX];
	int port;
	unsigned long parent_line, parent_col; /* of the parent: value (0 = not from a file) */
};

/*
 * A CXL Fixed Memory Window (CEDT CFMWS, CXL r3.1 §9.18.1.3): a host physical address range
 * the platform interleaves over its target host bridges.
 */
struct cxl_trace_window {
	char name[CXL_TRACE_NAME_MAX];   /* "" = none given */
	bool has_base;                   /* false: the window was not placed (no base) */
	uint64_t base, size;             /* bytes; multiples of 256 MiB */
	unsigned granularity;            /* interleave granularity, bytes: 256 .. 16384 */
	unsigned ntargets;               /* 1..16: the interleave ways */
	char targets[CXL_TRACE_MAX_WINDOW_TARGETS][CXL_TRACE_NAME_MAX]; /* host bridges, in order */
	unsigned long line, col;         /* of the window's mapping */
	unsigned long target_line[CXL_TRACE_MAX_WINDOW_TARGETS], target_col[CXL_TRACE_MAX_WINDOW_TARGETS];
};

/* The kind of a topology node (nodes: kind:). */
enum cxl_topo_kind {
	CXL_TOPO_HOST_BRIDGE,
	CXL_TOPO_ROOT_PORT,
	CXL_TOPO_SWITCH_UP,
	CXL_TOPO_SWITCH_DOWN,
	CXL_TOPO__COUNT
};

/* Its trace name ("host-bridge", ...), or NULL. */
const char *cxl_topo_kind_name(unsigned kind);

/* A topology element without registers in the trace (nodes:). */
struct cxl_trace_node {
	char name[CXL_TRACE_NAME_MAX];
	unsigned kind;                   /* enum cxl_topo_kind */
	char parent[CXL_TRACE_NAME_MAX]; /* "" = none (a host bridge has none) */
	int port;                        /* -1 = not given */
	unsigned long line, col;         /* of the node's name */
	unsigned long parent_line, parent_col;
};

struct cxl_trace_header {
	int version;
	char description[CXL_TRACE_TEXT_MAX];
	char profile[CXL_TRACE_NAME_MAX]; /* "" = none given (replay uses the default profile) */
	char source[CXL_TRACE_TEXT_MAX];  /* the log "@LINE" sources refer to, or "" */
	unsigned ndevices;
	struct cxl_trace_device devices[CXL_TRACE_MAX_DEVICES];
	/* topology: (traces/README.md): windows and register-less nodes; 0 and 0 = none */
	unsigned nwindows;
	struct cxl_trace_window windows[CXL_TRACE_MAX_WINDOWS];
	unsigned nnodes;
	struct cxl_trace_node nodes[CXL_TRACE_MAX_NODES];
};

/*
 * Checks the topology of @h as the YAML reader does once the header is read: names unique
 * across devices and nodes, every parent and window target naming a device or node (a
 * window target a host bridge: a host-bridge node or a device without a parent), no parent
 * cycle, a host-bridge node without a parent, port only with a parent, windows well formed
 * (size > 0, base and size multiples of 256 MiB, base + size within 2^64, granularity a
 * power of two 256..16384, 1..16 distinct targets). CXL_OK, or an error code with @err
 * filled at the offending element's line:col (0:0 when the header was not read from a
 * file) and no file name (the caller adds it).
 */
enum cxl_err cxl_trace_topology_check(const struct cxl_trace_header *h, struct cxl_error *err);

/*
 * Index of the topology element @name in @h: 0..ndevices-1 for a device, ndevices + i for
 * node i; -1 when it names nothing.
 */
int cxl_trace_topo_find(const struct cxl_trace_header *h, const char *name);

struct cxl_expect {
	unsigned long op;
	char rule[CXL_TRACE_NAME_MAX];
	char why[CXL_TRACE_TEXT_MAX];
	unsigned long line;
	unsigned long col;        /* of the entry */
};

/* A growable list of expectations (at most CXL_TRACE_MAX_EXPECT). */
struct cxl_expect_list {
	struct cxl_expect *v;
	unsigned long n, cap;
	bool present;             /* an expect: list was given (it may be empty) */
};

struct cxl_trace_reader;

/*
 * Standard input: the path "-" means it wherever a trace, an expect list or a log is read
 * (cxl_trace_open(), cxl_expect_load(), the importers of cxlemu/import.h, gzip included), and
 * errors name it CXL_STDIN_NAME ("<stdin>:3:5: error: ..."). It can be read once per process:
 * the first reader takes it, a later "-" is refused (CXL_ERR_USAGE) instead of reading an
 * empty input.
 */
#define CXL_STDIN_NAME "<stdin>"

/* Whether @path is "-" (standard input). */
static inline bool cxl_path_is_stdin(const char *path)
{
	return path && path[0] == '-' && !path[1];
}

/* The name errors and reports give @path: CXL_STDIN_NAME for "-", else @path itself. */
static inline const char *cxl_path_display(const char *path)
{
	return cxl_path_is_stdin(path) ? CXL_STDIN_NAME : path;
}

/*
 * Takes standard input for a reader of "-": true the first time in the process, false (with
 * @err set, naming CXL_STDIN_NAME) once it was taken.
 */
bool cxl_stdin_take(struct cxl_error *err);

/*
 * Open the native trace @path and parse the header up to the first op. On failure returns
 * an error code with @err filled (file:line:col) and *@out untouched. Either form is read,
 * YAML or binary (told apart by the binary magic: the first bytes are looked at, also of a
 * pipe or of standard input, "-").
 */
enum cxl_err cxl_trace_open(const char *path, struct cxl_trace_reader **out,
			    struct cxl_error *err);

/*
 * The same for a trace held in memory: @text[0..@len) (not copied: it must outlive the
 * reader), named @name in errors. For fuzzers and for traces built in a buffer.
 */
enum cxl_err cxl_trace_open_memory(const void *text, size_t len, const char *name,
				   struct cxl_trace_reader **out, struct cxl_error *err);

/* The header; valid until cxl_trace_close(). */
const struct cxl_trace_header *cxl_trace_header(const struct cxl_trace_reader *r);

/* What the reader reads: the trace's path, or the log it was imported from. */
const char *cxl_trace_name(const struct cxl_trace_reader *r);

/*
 * Read the next op into @op. Returns CXL_OK with *@done = false for an op, CXL_OK with
 * *@done = true at the end of ops, or an error (then *@op is unspecified, and every later
 * call returns the same error).
 */
enum cxl_err cxl_trace_next(struct cxl_trace_reader *r, struct cxl_op *op,
			    bool *done, struct cxl_error *err);

/*
 * After cxl_trace_next() reported done: read the rest (expect:). *@has_expect tells whether
 * an expect list was present; the entries are then available through cxl_trace_expect().
 */
enum cxl_err cxl_trace_finish(struct cxl_trace_reader *r, bool *has_expect,
			      struct cxl_error *err);

/* Expectation @i (0-based) after cxl_trace_finish(); NULL past the end. */
const struct cxl_expect *cxl_trace_expect(const struct cxl_trace_reader *r,
					  unsigned long i);

/* Frees @r; NULL is a no-op. */
void cxl_trace_close(struct cxl_trace_reader *r);

/*
 * Load the expectations of @path ("-": standard input): a bare YAML sequence of {op, rule, why} entries, or a
 * mapping whose expect: key holds one (a native trace, whose other keys are skipped). The
 * entries are checked as a trace's expect: is (one parser), except that op indexes are not
 * bounded here (cxl_expect_check_ops()). @out is initialised; on error it is left empty.
 */
enum cxl_err cxl_expect_load(const char *path, struct cxl_expect_list *out,
			     struct cxl_error *err);
/* Fails with the location of the first entry whose op is not below @nops (in file @path). */
enum cxl_err cxl_expect_check_ops(const struct cxl_expect_list *l, const char *path,
				  unsigned long nops, struct cxl_error *err);
/* Appends @x to @l (CXL_ERR_LIMIT past CXL_TRACE_MAX_EXPECT or out of memory). */
enum cxl_err cxl_expect_push(struct cxl_expect_list *l, const struct cxl_expect *x,
			     struct cxl_error *err);
void cxl_expect_list_free(struct cxl_expect_list *l);

/*
 * A trace built in memory, e.g. by an importer: fill the header, add devices, ops and
 * expectations, then turn it into a reader. Ops are spooled to an anonymous temporary file.
 */
struct cxl_trace_builder;

enum cxl_err cxl_trace_builder_new(const char *name, struct cxl_trace_builder **out,
				   struct cxl_error *err);
/* The header to fill (description, profile, source); devices via cxl_trace_builder_device(). */
struct cxl_trace_header *cxl_trace_builder_header(struct cxl_trace_builder *b);
/*
 * Index of device @name, added with @model and @comment on first use; -1 when 64 exist or
 * when @name or @model is not a name the YAML reader accepts (1-63 of [A-Za-z0-9_.-]).
 */
int cxl_trace_builder_device(struct cxl_trace_builder *b, const char *name, const char *model,
			     const char *comment);
/* Index of device @name, or -1. */
int cxl_trace_builder_find(const struct cxl_trace_builder *b, const char *name);
/*
 * Appends @op (its dev indexes the builder's devices; a mark needs none). Refuses, with
 * CXL_ERR_VALUE, what a trace cannot hold: a kind, size, offset, value width, reset kind,
 * inject kind or bit the YAML reader would reject.
 */
enum cxl_err cxl_trace_builder_op(struct cxl_trace_builder *b, const struct cxl_op *op,
				  struct cxl_error *err);
unsigned long cxl_trace_builder_nops(const struct cxl_trace_builder *b);
/* Appends the expectations of @l (and marks the trace as having an expect list). */
enum cxl_err cxl_trace_builder_expect(struct cxl_trace_builder *b, const struct cxl_expect_list *l,
				      struct cxl_error *err);
/* Turns @b into a reader of what was built; @b is consumed (freed) either way. */
enum cxl_err cxl_trace_builder_finish(struct cxl_trace_builder *b, struct cxl_trace_reader **out,
				      struct cxl_error *err);
void cxl_trace_builder_free(struct cxl_trace_builder *b);

/* The device options a trace device asks for (everything of cxl_device_opts it carries). */
void cxl_trace_device_opts(const struct cxl_trace_device *td, struct cxl_device_opts *o);

/*
 * A seeded random stress trace for one device of @model (named "dut"): writes of random,
 * zero, all-ones and single-bit values to every modelled register, reads, HDM decoder
 * commits and uncommits, resets of the kinds in @resets, and a final read of every
 * register. Reads carry no value (cxl_record() fills them in). The same options give the
 * same trace on every machine.
 */
struct cxl_generate_opts {
	const char *model;
	uint64_t seed;
	unsigned long ops;       /* 1..100000000, the final read sweep included */
	unsigned resets;         /* bit (1 << enum cxl_reset_kind) per kind to use; 0 = none */
};
enum cxl_err cxl_trace_generate(const struct cxl_generate_opts *o, struct cxl_trace_reader **out,
				struct cxl_error *err);

/*
 * Write everything @r yields as a native YAML trace to @out: @preamble (comment lines, may
 * be NULL) first, then the header, devices, ops and expect:. Sources are written "@LINE"
 * when they refer to the header's source:, "@FILE:LINE" otherwise. Consumes @r (reads it to
 * its end); the caller still closes it. Returns an input error of @r, or CXL_ERR_IO.
 */
enum cxl_err cxl_trace_write_yaml(struct cxl_trace_reader *r, FILE *out, const char *preamble,
				  struct cxl_error *err);

/*
 * Write everything @r yields as a binary trace (.cxlt, emu/trace/binary.c) to @out: the same
 * header, devices, ops (sources, marks, flags, lines) and expect: as the YAML form, the ops as
 * fixed-size records. cxl_trace_open() reads either form (it knows a binary trace by its
 * magic), so replaying a converted trace gives the same report. Consumes @r (reads it to its
 * end); the caller still closes it. Returns an input error of @r, or CXL_ERR_IO.
 */
enum cxl_err cxl_trace_write_binary(struct cxl_trace_reader *r, FILE *out, struct cxl_error *err);

/* Writes @s[0..len) as a YAML double-quoted scalar that any input bytes keep valid. */
void cxl_yaml_quote(FILE *out, const char *s, size_t len);

/*
 * The length of the longest prefix of @s[0..len), cut between characters, whose
 * cxl_yaml_quote() rendering reads back as at most @max bytes: a byte that is not UTF-8
 * reads back as the four characters \xNN, so a text can grow when written. What a trace
 * holds must fit the reader's limits after that growth (the trace builder cuts to them).
 */
size_t cxl_yaml_fit(const char *s, size_t len, size_t max);

#ifdef __cplusplus
}
#endif

#endif
