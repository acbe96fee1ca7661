/* SPDX-License-Identifier: MIT */
/*
 * trace_priv.h - the inside of a trace reader (private to emu/trace).
 *
 * A reader is a struct cxl_trace_reader followed by its kind's own state: yaml_reader.c
 * (native YAML files), yaml_fast.c (its fast path), binary.c (binary traces) and builder.c
 * (traces built in memory) implement the ops below; the
 * public cxl_trace_* calls dispatch to them (reader.c).
 */
#ifndef CXLEMU_TRACE_PRIV_H
#define CXLEMU_TRACE_PRIV_H

#include "cxlemu/catalog.h"
#include "cxlemu/event.h"
#include "cxlemu/trace.h"

#define CXL_EXPORT __attribute__((visibility("default")))

struct cxl_trace_reader_ops {
	/* Next op; *done at the end of ops. */
	enum cxl_err (*next)(struct cxl_trace_reader *r, struct cxl_op *op, bool *done,
			     struct cxl_error *err);
	/* The rest after the ops: fills r->expect. */
	enum cxl_err (*finish)(struct cxl_trace_reader *r, struct cxl_error *err);
	/* Frees the kind's state (the reader itself is freed by the caller). */
	void (*close)(struct cxl_trace_reader *r);
};

struct cxl_trace_reader {
	const struct cxl_trace_reader_ops *ops;
	struct cxl_trace_header hdr;
	char *name;                /* what it reads (allocated; "" never NULL after open) */
	struct cxl_expect_list expect;
	bool finished;           /* finish() succeeded */
	bool failed;             /* an error was returned; it is repeated */
	struct cxl_error fail;
};

/* Sets @r->name to a copy of @name; false when out of memory. */
bool cxl_trace_set_name(struct cxl_trace_reader *r, const char *name);
/*
 * Checks @s as the YAML reader checks a name (device, model, profile, rule): 1 to
 * CXL_TRACE_NAME_MAX - 1 bytes of [A-Za-z0-9_.-]. Returns a message, or NULL when valid.
 */
const char *cxl_trace_name_problem(const char *s);

/* cxl_expect_load() of a text in memory, named @name in messages. */
enum cxl_err cxl_expect_load_memory(const char *text, size_t len, const char *name,
				    struct cxl_expect_list *out, struct cxl_error *err);

/*
 * Opens @path with the YAML reader's fast path (yaml_fast.c) when it can prove the result is
 * the YAML reader's; false (nothing opened, nothing reported) otherwise.
 */
bool cxl_yaml_fast_open(const char *path, struct cxl_trace_reader **out);

/* Whether the file @path starts with the binary trace magic (binary.c); false if unreadable. */
bool cxl_trace_is_binary(const char *path);
/* Whether the first @n bytes of a stream, @head, start with the binary trace magic. */
bool cxl_trace_head_is_binary(const unsigned char *head, size_t n);
/* Opens the binary trace @path (binary.c). */
enum cxl_err cxl_trace_open_binary(const char *path, struct cxl_trace_reader **out,
				   struct cxl_error *err);
/*
 * Opens the binary trace on the stream @f (a pipe, standard input) named @name in errors,
 * whose first @nhead bytes were read already into @head (at most 8). The reader closes @f
 * unless @borrowed (standard input); on failure @f is closed (or left open) the same way.
 */
enum cxl_err cxl_trace_open_binary_stream(const char *name, FILE *f, bool borrowed,
					  const unsigned char *head, size_t nhead,
					  struct cxl_trace_reader **out, struct cxl_error *err);

/*
 * Checks @op as a trace can hold it on the devices of @h (the builder's and the binary
 * reader's one check): CXL_OK, or an error without location.
 */
enum cxl_err cxl_trace_check_op(const struct cxl_trace_header *h, const struct cxl_op *op,
				struct cxl_error *err);

/*
 * One op as a fixed little-endian record (the builder's spool and the binary trace format):
 * kind, size, has_value, reset, inject, bit, dev, flags (1 byte each), offset, value, line,
 * col (8 bytes each), then the source and text lengths (2 bytes each), 4 zero bytes; the
 * source and text bytes follow the record.
 */
#define CXL_OP_REC_SIZE 48
void cxl_op_record_encode(const struct cxl_op *op, size_t sl, size_t tl,
			  unsigned char rec[CXL_OP_REC_SIZE]);
/* Decodes every field but src and text; *@sl and *@tl are their lengths (unchecked). */
void cxl_op_record_decode(const unsigned char rec[CXL_OP_REC_SIZE], struct cxl_op *op,
			  size_t *sl, size_t *tl);

/* Writes "a, b, c or d" of the @n names @name(i) into @buf. */
void cxl_trace_choices(char *buf, size_t len, unsigned n, const char *(*name)(unsigned));

/* Lists of at most this many names are spelt out in full in a hint. */
#define CXL_HINT_LIST_MAX 8
/*
 * The end of an "unknown NAME" message for @word among the @n names @name(i), into @buf:
 * " (did you mean 'X'?)" when one is near (cxl_nearest_name()), else " (expected a, b or c)"
 * when the list is short (CXL_HINT_LIST_MAX) or @more is NULL, else " (@more)" (where the
 * names are listed, e.g. "`cxlemu spec` lists the rules").
 */
void cxl_trace_hint(char *buf, size_t len, const char *word, unsigned n,
		    const char *(*name)(unsigned), const char *more);

#endif
