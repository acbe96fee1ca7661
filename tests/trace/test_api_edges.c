/* SPDX-License-Identifier: MIT */
/*
 * test_api_edges.c - the edges of the public trace API that no trace file reaches: the
 * topology check of a header built in memory (cxl_trace_topology_check(), cxlemu/trace.h),
 * the trace builder's refusals (cxl_trace_builder_device(), cxl_trace_builder_op()), the
 * generator's argument checks and output (cxl_trace_generate()), reader misuse, the error
 * type (cxlemu/error.h) and the catalog's answers for models that lack a structure
 * (cxlemu/catalog.h, with the expected values from the YAML files of spec/models and
 * spec/vocabulary.yaml).
 *
 * Every expected value is what the header comment of the function promises, or what spec/
 * says of the model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cxlemu/catalog.h"
#include "cxlemu/error.h"
#include "cxlemu/trace.h"

/* ---- helpers ----------------------------------------------------------- */

static struct cxl_trace_header hdr;   /* large: static */

/* Resets hdr to an empty version-1 header. */
static void hdr_reset(void)
{
	memset(&hdr, 0, sizeof(hdr));
	hdr.version = 1;
}

/* Adds device @name (parent @parent or "", port @port) at @line:@col; returns its index. */
static unsigned add_dev(const char *name, const char *parent, int port, unsigned long line,
			unsigned long col)
{
	struct cxl_trace_device *d = &hdr.devices[hdr.ndevices];

	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", name);
	snprintf(d->model, sizeof(d->model), "qemu72-type3");
	snprintf(d->parent, sizeof(d->parent), "%s", parent);
	d->port = port;
	d->line = line;
	d->col = col;
	d->parent_line = line;
	d->parent_col = col + 20;
	return hdr.ndevices++;
}

/* Adds node @name of @kind (parent @parent or "", port @port) at @line:@col. */
static void add_node(const char *name, unsigned kind, const char *parent, int port,
		     unsigned long line, unsigned long col)
{
	struct cxl_trace_node *x = &hdr.nodes[hdr.nnodes++];

	memset(x, 0, sizeof(*x));
	snprintf(x->name, sizeof(x->name), "%s", name);
	x->kind = kind;
	snprintf(x->parent, sizeof(x->parent), "%s", parent);
	x->port = port;
	x->line = line;
	x->col = col;
	x->parent_line = line;
	x->parent_col = col + 30;
}

/* Adds a well-formed window of 256 MiB at 0 targeting @target, at @line:@col. */
static struct cxl_trace_window *add_window(const char *target, unsigned long line, unsigned long col)
{
	struct cxl_trace_window *w = &hdr.windows[hdr.nwindows++];

	memset(w, 0, sizeof(*w));
	w->has_base = true;
	w->base = 0;
	w->size = 0x10000000;
	w->granularity = 256;
	w->ntargets = 1;
	snprintf(w->targets[0], sizeof(w->targets[0]), "%s", target);
	w->line = line;
	w->col = col;
	w->target_line[0] = line;
	w->target_col[0] = col + 40;
	return w;
}

/* Asserts that the topology check of hdr fails with @code at @line:@col with @msg in it. */
static void topo_fails(enum cxl_err code, unsigned long line, unsigned long col, const char *msg)
{
	struct cxl_error err;

	memset(&err, 0, sizeof(err));
	assert_int_equal(cxl_trace_topology_check(&hdr, &err), code);
	assert_int_equal(err.code, code);
	if (!strstr(err.msg, msg))
		fail_msg("message '%s' lacks '%s'", err.msg, msg);
	assert_int_equal(err.line, line);
	assert_int_equal(err.col, col);
	assert_string_equal(err.file, "");   /* "no file name (the caller adds it)" */
}

/* A small good topology: host bridge hb, root port rp0 under it (port 0), ep0 under rp0. */
static void good_topology(void)
{
	hdr_reset();
	add_dev("ep0", "rp0", 0, 10, 3);
	add_node("hb", CXL_TOPO_HOST_BRIDGE, "", -1, 4, 5);
	add_node("rp0", CXL_TOPO_ROOT_PORT, "hb", 0, 5, 5);
	add_window("hb", 2, 7);
}

/* ---- cxl_trace_topology_check() ------------------------------------------ */

/* A well-formed topology passes; the name lookup indexes devices, then nodes. */
static void test_topology_good(void **state)
{
	struct cxl_error err;

	(void)state;
	good_topology();
	assert_int_equal(cxl_trace_topology_check(&hdr, &err), CXL_OK);
	assert_int_equal(cxl_trace_topo_find(&hdr, "ep0"), 0);
	assert_int_equal(cxl_trace_topo_find(&hdr, "hb"), 1);
	assert_int_equal(cxl_trace_topo_find(&hdr, "rp0"), 2);
	assert_int_equal(cxl_trace_topo_find(&hdr, "nope"), -1);
	assert_string_equal(cxl_topo_kind_name(CXL_TOPO_SWITCH_DOWN), "switch-downstream");
	assert_null(cxl_topo_kind_name(CXL_TOPO__COUNT));
}

/* Names: valid, of a known kind, unique across devices and nodes. */
static void test_topology_names(void **state)
{
	(void)state;
	hdr_reset();
	hdr.nnodes = CXL_TRACE_MAX_NODES + 1;
	topo_fails(CXL_ERR_LIMIT, 0, 0, "too many topology nodes or windows: at most 64 and 16");

	good_topology();
	snprintf(hdr.nodes[1].name, sizeof(hdr.nodes[1].name), "rp 0");
	topo_fails(CXL_ERR_VALUE, 5, 5, "node 'rp 0': not a valid name or kind");

	good_topology();
	hdr.nodes[1].kind = CXL_TOPO__COUNT;
	topo_fails(CXL_ERR_VALUE, 5, 5, "node 'rp0': not a valid name or kind");

	/* the same name twice among the nodes: at the second */
	good_topology();
	add_node("hb", CXL_TOPO_HOST_BRIDGE, "", -1, 6, 5);
	topo_fails(CXL_ERR_SCHEMA, 6, 5, "duplicate node 'hb'");

	/* a device and a node of one name: reported at the later of the two */
	good_topology();
	add_node("ep0", CXL_TOPO_HOST_BRIDGE, "", -1, 12, 5);   /* after the device (line 10) */
	topo_fails(CXL_ERR_SCHEMA, 12, 5, "'ep0' is both a device and a topology node (one namespace)");
	good_topology();
	add_node("ep0", CXL_TOPO_HOST_BRIDGE, "", -1, 10, 2);   /* same line, before the device */
	topo_fails(CXL_ERR_SCHEMA, 10, 3, "'ep0' is both a device and a topology node");
	good_topology();
	add_node("ep0", CXL_TOPO_HOST_BRIDGE, "", -1, 10, 9);   /* same line, after it */
	topo_fails(CXL_ERR_SCHEMA, 10, 9, "'ep0' is both a device and a topology node");
}

/* Parents and ports. */
static void test_topology_parents(void **state)
{
	(void)state;
	good_topology();
	hdr.nodes[1].parent[0] = '\0';          /* rp0: port 0 but no parent */
	topo_fails(CXL_ERR_SCHEMA, 5, 5, "node 'rp0' has a port but no parent");

	good_topology();
	hdr.devices[0].port = CXL_TRACE_MAX_PORT + 1;
	topo_fails(CXL_ERR_VALUE, 10, 23, "port 256 of 'ep0' is out of range 0..255");

	good_topology();
	snprintf(hdr.nodes[0].parent, sizeof(hdr.nodes[0].parent), "rp0");
	topo_fails(CXL_ERR_SCHEMA, 4, 35, "host bridge 'hb' has a parent (a host bridge is a root");

	good_topology();
	snprintf(hdr.devices[0].parent, sizeof(hdr.devices[0].parent), "rp1");
	topo_fails(CXL_ERR_UNKNOWN, 10, 23, "unknown parent 'rp1' of 'ep0' (did you mean 'rp0'?)");

	/* a cycle rp0 -> sw -> rp0, with ep0 below it: reported at rp0, not at ep0 */
	good_topology();
	add_node("sw", CXL_TOPO_SWITCH_UP, "rp0", 1, 7, 5);
	snprintf(hdr.nodes[1].parent, sizeof(hdr.nodes[1].parent), "sw");
	topo_fails(CXL_ERR_VALUE, 5, 35, "parent cycle: rp0 -> sw -> rp0");

	/* a device that is its own parent */
	good_topology();
	snprintf(hdr.devices[0].parent, sizeof(hdr.devices[0].parent), "ep0");
	topo_fails(CXL_ERR_VALUE, 10, 23, "parent cycle: ep0 -> ep0");
}

/* Windows: well formed, targeting distinct host bridges that exist. */
static void test_topology_windows(void **state)
{
	static const struct { uint64_t base, size; unsigned gran, ntargets; bool has_base; } bad[] = {
		{ 0, 0, 256, 1, true },                          /* size 0 */
		{ 0, 0x1000, 256, 1, true },                     /* size not 256 MiB-aligned */
		{ 0x1000, 0x10000000, 256, 1, true },            /* base not aligned */
		{ 0xfffffffff0000000ull, 0x20000000, 256, 1, true }, /* base + size past 2^64 */
		{ 0, 0x10000000, 128, 1, true },                 /* granularity below 256 */
		{ 0, 0x10000000, 32768, 1, true },               /* above 16384 */
		{ 0, 0x10000000, 768, 1, true },                 /* not a power of two */
		{ 0, 0x10000000, 256, 0, true },                 /* no targets */
		{ 0, 0x10000000, 256, CXL_TRACE_MAX_WINDOW_TARGETS + 1, true }, /* 17 */
	};
	struct cxl_error err;

	(void)state;
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cxl_trace_window *w;

		good_topology();
		w = &hdr.windows[0];
		w->base = bad[i].base;
		w->size = bad[i].size;
		w->granularity = bad[i].gran;
		w->ntargets = bad[i].ntargets;
		w->has_base = bad[i].has_base;
		topo_fails(CXL_ERR_VALUE, 2, 7, "window 0: base, size, granularity or targets out of range");
	}
	/* not placed (no base): the base is not checked */
	good_topology();
	hdr.windows[0].has_base = false;
	hdr.windows[0].base = 0x1000;
	assert_int_equal(cxl_trace_topology_check(&hdr, &err), CXL_OK);

	good_topology();
	snprintf(hdr.windows[0].targets[0], CXL_TRACE_NAME_MAX, "hc");
	topo_fails(CXL_ERR_UNKNOWN, 2, 47, "unknown window target 'hc' (did you mean 'hb'?)");

	hdr_reset();                                      /* no devices or nodes at all */
	add_window("hb", 2, 7);
	topo_fails(CXL_ERR_UNKNOWN, 2, 47, "unknown window target 'hb' (the trace declares no devices or nodes)");

	good_topology();
	snprintf(hdr.windows[0].targets[0], CXL_TRACE_NAME_MAX, "rp0");
	topo_fails(CXL_ERR_VALUE, 2, 47, "window target 'rp0' is not a host bridge (a node of another kind)");

	good_topology();
	snprintf(hdr.windows[0].targets[0], CXL_TRACE_NAME_MAX, "ep0");
	topo_fails(CXL_ERR_VALUE, 2, 47, "window target 'ep0' is not a host bridge (a device with a parent)");

	/* a device without a parent is a host bridge; a target listed twice is refused */
	good_topology();
	add_dev("hb2", "", -1, 11, 3);
	hdr.windows[0].ntargets = 3;
	snprintf(hdr.windows[0].targets[1], CXL_TRACE_NAME_MAX, "hb2");
	snprintf(hdr.windows[0].targets[2], CXL_TRACE_NAME_MAX, "hb");
	hdr.windows[0].target_line[2] = 3;
	hdr.windows[0].target_col[2] = 9;
	topo_fails(CXL_ERR_VALUE, 3, 9, "window target 'hb' is listed twice");
}

/* ---- the trace builder --------------------------------------------------- */

/* Devices: names the YAML reader accepts (1-63 of [A-Za-z0-9_.-]), at most 64, found again. */
static void test_builder_devices(void **state)
{
	struct cxl_trace_builder *b = NULL;
	char name[80];

	(void)state;
	assert_int_equal(cxl_trace_builder_new(NULL, &b, NULL), CXL_OK);
	assert_int_equal(cxl_trace_builder_device(b, "", "qemu72-type3", NULL), -1);
	assert_int_equal(cxl_trace_builder_device(b, "a b", "qemu72-type3", NULL), -1);
	assert_int_equal(cxl_trace_builder_device(b, "ep0", "bad/model", NULL), -1);
	memset(name, 'a', 64);
	name[64] = '\0';                                  /* 64 characters: one too many */
	assert_int_equal(cxl_trace_builder_device(b, name, "qemu72-type3", NULL), -1);
	name[63] = '\0';                                  /* 63 characters: accepted */
	assert_int_equal(cxl_trace_builder_device(b, name, "qemu72-type3", NULL), 0);
	assert_int_equal(cxl_trace_builder_device(b, "x_1.y-Z", "qemu72-type3", "c"), 1);
	assert_int_equal(cxl_trace_builder_device(b, name, "qemu72-hb", NULL), 0);   /* found again */
	assert_int_equal(cxl_trace_builder_find(b, "x_1.y-Z"), 1);
	assert_int_equal(cxl_trace_builder_find(b, "nope"), -1);
	assert_int_equal(cxl_trace_builder_header(b)->devices[1].port, -1);
	assert_string_equal(cxl_trace_builder_header(b)->devices[1].comment, "c");
	for (unsigned i = 2; i < CXL_TRACE_MAX_DEVICES; i++) {
		snprintf(name, sizeof(name), "d%u", i);
		assert_int_equal(cxl_trace_builder_device(b, name, "qemu72-type3", NULL), (int)i);
	}
	assert_int_equal(cxl_trace_builder_device(b, "one-too-many", "qemu72-type3", NULL), -1);
	cxl_trace_builder_free(b);
	cxl_trace_builder_free(NULL);
}

/* Asserts that builder @b refuses @op with @code and @msg in the message. */
static void op_refused(struct cxl_trace_builder *b, const struct cxl_op *op, enum cxl_err code,
		       const char *msg)
{
	struct cxl_error err;

	memset(&err, 0, sizeof(err));
	assert_int_equal(cxl_trace_builder_op(b, op, &err), code);
	if (!strstr(err.msg, msg))
		fail_msg("message '%s' lacks '%s'", err.msg, msg);
}

/* Ops: what the YAML reader would reject is refused, with CXL_ERR_VALUE (a device index, USAGE). */
static void test_builder_ops(void **state)
{
	struct cxl_trace_builder *b = NULL;
	struct cxl_trace_reader *r = NULL;
	struct cxl_op op, base = { .kind = CXL_OP_CFG_READ, .offset = 0x10, .size = 4, .line = 1 };
	struct cxl_error err;
	bool done;

	(void)state;
	assert_int_equal(cxl_trace_builder_new("built", &b, &err), CXL_OK);
	assert_int_equal(cxl_trace_builder_device(b, "ep0", "qemu72-type3", NULL), 0);

	op = base; op.kind = CXL_OP__COUNT;
	op_refused(b, &op, CXL_ERR_VALUE, "is not an op");
	op = base; op.dev = 1;
	op_refused(b, &op, CXL_ERR_USAGE, "op names device 1 of 1");
	op = base; op.size = 3;
	op_refused(b, &op, CXL_ERR_VALUE, "not an op a trace can hold");
	op = base; op.size = 8;                             /* config accesses are at most 4 bytes */
	op_refused(b, &op, CXL_ERR_VALUE, "not an op a trace can hold");
	op = base; op.offset = CXL_SPACE_CONFIG_SIZE;       /* past the 4 KiB config space */
	op_refused(b, &op, CXL_ERR_VALUE, "not an op a trace can hold");
	op = base; op.offset = CXL_SPACE_CONFIG_SIZE - 2;   /* crosses its end */
	op_refused(b, &op, CXL_ERR_VALUE, "not an op a trace can hold");
	op = base; op.has_value = true; op.value = 0x100000000ull;   /* wider than 4 bytes */
	op_refused(b, &op, CXL_ERR_VALUE, "not an op a trace can hold");
	op = base; op.flags = 0x4;
	op_refused(b, &op, CXL_ERR_VALUE, "flags 0x4 are not flags a trace can hold");
	op = base; op.kind = CXL_OP_RESET; op.flags = CXL_OPF_VMM;   /* flags are for accesses */
	op_refused(b, &op, CXL_ERR_VALUE, "flags 0x1 are not flags a trace can hold");
	op = base; op.kind = CXL_OP_RESET; op.reset = CXL_RESET__COUNT;
	op_refused(b, &op, CXL_ERR_VALUE, "kind or bit out of range");
	op = base; op.kind = CXL_OP_INJECT; op.inject = CXL_INJECT__COUNT;
	op_refused(b, &op, CXL_ERR_VALUE, "kind or bit out of range");
	op = base; op.kind = CXL_OP_INJECT; op.bit = 64;
	op_refused(b, &op, CXL_ERR_VALUE, "kind or bit out of range");
	assert_int_equal(cxl_trace_builder_nops(b), 0);

	/* what is taken reads back: a mark needs no device; a write of 8 bytes to the block */
	op = base; op.flags = CXL_OPF_VMM | CXL_OPF_FAILED;
	assert_int_equal(cxl_trace_builder_op(b, &op, &err), CXL_OK);
	memset(&op, 0, sizeof(op));
	op.kind = CXL_OP_MARK;
	op.dev = 7;
	snprintf(op.text, sizeof(op.text), "hello");
	assert_int_equal(cxl_trace_builder_op(b, &op, &err), CXL_OK);
	memset(&op, 0, sizeof(op));
	op.kind = CXL_OP_MMIO_WRITE;
	op.size = 8;
	op.offset = 0x1120;
	op.value = 0xffffffffffffffffull;
	assert_int_equal(cxl_trace_builder_op(b, &op, &err), CXL_OK);
	assert_int_equal(cxl_trace_builder_nops(b), 3);
	assert_int_equal(cxl_trace_builder_finish(b, &r, &err), CXL_OK);
	assert_string_equal(cxl_trace_name(r), "built");
	assert_int_equal(cxl_trace_next(r, &op, &done, &err), CXL_OK);
	assert_false(done);
	assert_int_equal(op.flags, CXL_OPF_VMM | CXL_OPF_FAILED);
	assert_int_equal(cxl_trace_next(r, &op, &done, &err), CXL_OK);
	assert_int_equal(op.kind, CXL_OP_MARK);
	assert_string_equal(op.text, "hello");
	assert_int_equal(cxl_trace_next(r, &op, &done, &err), CXL_OK);
	assert_true(op.value == 0xffffffffffffffffull);
	assert_int_equal(cxl_trace_next(r, &op, &done, &err), CXL_OK);
	assert_true(done);
	assert_int_equal(cxl_trace_next(r, &op, &done, &err), CXL_OK);   /* done stays done */
	assert_true(done);
	cxl_trace_close(r);
}

/* finish() refuses a topology the YAML reader would refuse, and consumes the builder. */
static void test_builder_bad_topology(void **state)
{
	struct cxl_trace_builder *b = NULL;
	struct cxl_trace_reader *r = NULL;
	struct cxl_trace_header *h;
	struct cxl_error err;

	(void)state;
	assert_int_equal(cxl_trace_builder_new("t", &b, &err), CXL_OK);
	assert_int_equal(cxl_trace_builder_device(b, "ep0", "qemu72-type3", NULL), 0);
	h = cxl_trace_builder_header(b);
	snprintf(h->devices[0].parent, sizeof(h->devices[0].parent), "nowhere");
	assert_int_equal(cxl_trace_builder_finish(b, &r, &err), CXL_ERR_UNKNOWN);
	assert_null(r);
	assert_non_null(strstr(err.msg, "unknown parent 'nowhere' of 'ep0'"));
	assert_int_equal(err.line, 0);   /* "0:0 when the header was not read from a file" */
}

/* Expectations: appended in order, the list marked present even when empty; ops bounded. */
static void test_builder_expect(void **state)
{
	struct cxl_expect_list l = { 0 };
	struct cxl_expect x = { .op = 0, .rule = "field.rwl-locked", .line = 3, .col = 5 };
	struct cxl_trace_builder *b = NULL;
	struct cxl_trace_reader *r = NULL;
	struct cxl_op op = { .kind = CXL_OP_CFG_READ, .offset = 0x10, .size = 4, .line = 1 };
	struct cxl_error err;
	bool done, has;

	(void)state;
	for (unsigned long i = 0; i < 40; i++) {       /* past the first allocation */
		x.op = i;
		assert_int_equal(cxl_expect_push(&l, &x, &err), CXL_OK);
	}
	assert_int_equal(l.n, 40);
	assert_int_equal(cxl_expect_check_ops(&l, "f.yaml", 40, &err), CXL_OK);
	assert_int_equal(cxl_expect_check_ops(&l, "f.yaml", 39, &err), CXL_ERR_VALUE);
	assert_string_equal(err.msg, "expect op 39 is past the last op (the trace has 39 ops)");
	assert_string_equal(err.file, "f.yaml");
	assert_int_equal(err.line, 3);
	assert_int_equal(err.col, 5);
	l.present = true;
	assert_int_equal(cxl_trace_builder_new("e", &b, &err), CXL_OK);
	assert_int_equal(cxl_trace_builder_device(b, "ep0", "qemu72-type3", NULL), 0);
	assert_int_equal(cxl_trace_builder_op(b, &op, &err), CXL_OK);
	assert_int_equal(cxl_trace_builder_expect(b, &l, &err), CXL_OK);
	assert_int_equal(cxl_trace_builder_finish(b, &r, &err), CXL_OK);
	assert_int_equal(cxl_trace_next(r, &op, &done, &err), CXL_OK);
	assert_int_equal(cxl_trace_next(r, &op, &done, &err), CXL_OK);
	assert_true(done);
	assert_int_equal(cxl_trace_finish(r, &has, &err), CXL_OK);
	assert_true(has);
	assert_int_equal(cxl_trace_expect(r, 39)->op, 39);
	assert_null(cxl_trace_expect(r, 40));
	assert_int_equal(cxl_trace_finish(r, NULL, &err), CXL_OK);   /* again: the same */
	cxl_trace_close(r);
	cxl_expect_list_free(&l);
	assert_null(l.v);
	assert_int_equal(l.n, 0);
}

/*
 * A binary trace (cxl_trace_write_binary()) read back with cxl_trace_open(): the ops and the
 * expect list come back; finishing before the last op is a usage error that does not fail the
 * reader (cxl_trace_finish(): "after cxl_trace_next() reported done"); at the end, next()
 * keeps reporting done.
 */
static void test_binary_round_trip(void **state)
{
	struct cxl_expect_list l = { 0 };
	struct cxl_expect x = { .op = 1, .rule = "field.rwl-locked", .why = "w" };
	struct cxl_op op = { .kind = CXL_OP_CFG_WRITE, .offset = 0x10c, .size = 2, .value = 6 };
	struct cxl_trace_builder *b = NULL;
	struct cxl_trace_reader *r = NULL, *in = NULL;
	char path[] = "/tmp/cxlemu-api-edges-XXXXXX";
	struct cxl_error err;
	bool done, has;
	FILE *f;
	int fd;

	(void)state;
	assert_int_equal(cxl_trace_builder_new("b", &b, &err), CXL_OK);
	assert_int_equal(cxl_trace_builder_device(b, "ep0", "qemu72-type3", NULL), 0);
	assert_int_equal(cxl_trace_builder_op(b, &op, &err), CXL_OK);
	op.kind = CXL_OP_CFG_READ;
	op.has_value = false;
	op.value = 0;
	assert_int_equal(cxl_trace_builder_op(b, &op, &err), CXL_OK);
	assert_int_equal(cxl_expect_push(&l, &x, &err), CXL_OK);
	l.present = true;
	assert_int_equal(cxl_trace_builder_expect(b, &l, &err), CXL_OK);
	cxl_expect_list_free(&l);
	assert_int_equal(cxl_trace_builder_finish(b, &r, &err), CXL_OK);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	assert_non_null(f);
	assert_int_equal(cxl_trace_write_binary(r, f, &err), CXL_OK);
	assert_int_equal(fclose(f), 0);
	cxl_trace_close(r);

	assert_int_equal(cxl_trace_open(path, &in, &err), CXL_OK);
	assert_int_equal(cxl_trace_finish(in, &has, &err), CXL_ERR_USAGE);
	assert_non_null(strstr(err.msg, "before the last op was read"));
	assert_int_equal(cxl_trace_next(in, &op, &done, &err), CXL_OK);
	assert_false(done);
	assert_int_equal(op.kind, CXL_OP_CFG_WRITE);
	assert_true(op.offset == 0x10c && op.size == 2 && op.value == 6);
	assert_true(op.line > 0);                 /* generated ops get their YAML line */
	assert_int_equal(cxl_trace_next(in, &op, &done, &err), CXL_OK);
	assert_int_equal(op.kind, CXL_OP_CFG_READ);
	assert_false(op.has_value);
	assert_int_equal(cxl_trace_next(in, &op, &done, &err), CXL_OK);
	assert_true(done);
	assert_int_equal(cxl_trace_next(in, &op, &done, &err), CXL_OK);
	assert_true(done);
	assert_int_equal(cxl_trace_finish(in, &has, &err), CXL_OK);
	assert_true(has);
	assert_int_equal(cxl_trace_expect(in, 0)->op, 1);
	assert_string_equal(cxl_trace_expect(in, 0)->rule, "field.rwl-locked");
	assert_string_equal(cxl_trace_expect(in, 0)->why, "w");
	assert_null(cxl_trace_expect(in, 1));
	cxl_trace_close(in);
	assert_int_equal(unlink(path), 0);
}

/*
 * cxl_trace_next(): after an error "every later call returns the same error", and so does
 * cxl_trace_finish(); cxl_trace_open_memory() needs a name and a result pointer.
 */
static void test_reader_repeats_failure(void **state)
{
	static const char text[] = "cxl-trace: 1\ndevices:\n  ep0: {model: qemu72-type3}\nops:\n"
				   "  - [cfg-read, ep0, 0x10c, 2]\n  - [cfg-read, ep9, 0x10c, 2]\n";
	struct cxl_trace_reader *r = NULL;
	struct cxl_error err, again;
	struct cxl_op op;
	bool done;

	(void)state;
	assert_int_equal(cxl_trace_open_memory(text, strlen(text), NULL, &r, &err), CXL_ERR_USAGE);
	assert_int_equal(cxl_trace_open_memory(text, strlen(text), "m", NULL, &err), CXL_ERR_USAGE);
	assert_int_equal(cxl_trace_open_memory(NULL, 3, "m", &r, &err), CXL_ERR_USAGE);
	assert_int_equal(cxl_trace_open_memory(text, strlen(text), "m.yaml", &r, &err), CXL_OK);
	assert_int_equal(cxl_trace_next(r, &op, &done, &err), CXL_OK);
	assert_false(done);
	assert_int_equal(cxl_trace_next(r, &op, &done, &err), CXL_ERR_UNKNOWN);
	assert_int_equal(err.line, 6);                  /* "ep9": line 6, column 16 */
	assert_int_equal(err.col, 16);
	assert_int_equal(cxl_trace_next(r, &op, &done, &again), CXL_ERR_UNKNOWN);
	assert_string_equal(again.msg, err.msg);
	assert_int_equal(again.line, 6);
	assert_int_equal(cxl_trace_finish(r, &done, &again), CXL_ERR_UNKNOWN);
	assert_string_equal(again.msg, err.msg);
	cxl_trace_close(r);
}

/* ---- reader misuse ------------------------------------------------------- */

/* NULL arguments are usage errors; standard input can be taken once per process. */
static void test_reader_misuse(void **state)
{
	struct cxl_error err;
	struct cxl_op op;
	bool done;

	(void)state;
	assert_int_equal(cxl_trace_next(NULL, &op, &done, &err), CXL_ERR_USAGE);
	assert_non_null(strstr(err.msg, "needs a reader, an op and a done flag"));
	assert_int_equal(cxl_trace_finish(NULL, NULL, &err), CXL_ERR_USAGE);
	assert_non_null(strstr(err.msg, "needs a reader"));
	assert_null(cxl_trace_header(NULL));
	assert_string_equal(cxl_trace_name(NULL), "");
	assert_null(cxl_trace_expect(NULL, 0));
	cxl_trace_close(NULL);
	assert_true(cxl_stdin_take(&err));
	memset(&err, 0, sizeof(err));
	assert_false(cxl_stdin_take(&err));
	assert_int_equal(err.code, CXL_ERR_USAGE);
	assert_string_equal(err.file, CXL_STDIN_NAME);
	assert_non_null(strstr(err.msg, "standard input was read already"));
}

/* ---- cxl_trace_generate() ------------------------------------------------ */

/* The argument checks: a known model, 1..100000000 ops. */
static void test_generate_args(void **state)
{
	struct cxl_generate_opts o = { .model = "nope", .seed = 1, .ops = 10 };
	struct cxl_trace_reader *r = NULL;
	struct cxl_error err;

	(void)state;
	assert_int_equal(cxl_trace_generate(&o, &r, &err), CXL_ERR_USAGE);
	assert_string_equal(err.msg, "unknown model 'nope'");
	o.model = "qemu72-type3";
	o.ops = 0;
	assert_int_equal(cxl_trace_generate(&o, &r, &err), CXL_ERR_USAGE);
	assert_string_equal(err.msg, "ops must be 1..100000000");
	o.ops = 100000001UL;
	assert_int_equal(cxl_trace_generate(&o, &r, &err), CXL_ERR_USAGE);
	assert_null(r);
}

/* FNV-1a of the fields of @op that a trace holds. */
static uint64_t fold(uint64_t h, const struct cxl_op *op)
{
	uint64_t v[] = { op->kind, op->dev, op->offset, op->size, op->value, op->has_value,
			 op->reset, op->inject, op->bit, op->flags };

	for (unsigned i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		for (unsigned k = 0; k < 8; k++)
			h = (h ^ ((v[i] >> (8 * k)) & 0xff)) * 0x100000001b3ull;
	return h;
}

/*
 * For every model: exactly @ops ops on one device "dut" of that model, reads without a
 * value, resets only of the asked kinds (none when none are asked), config accesses of at
 * most 4 bytes, and the same trace for the same options.
 */
static void test_generate_every_model(void **state)
{
	(void)state;
	for (unsigned m = 0; m < cxl_model_count(); m++) {
		for (unsigned pass = 0; pass < 3; pass++) {
			struct cxl_generate_opts o = {
				.model = cxl_model_name(m), .seed = 7 + (pass == 2), .ops = 1500,
				.resets = pass ? 1u << 0 : 0,
			};
			struct cxl_trace_reader *r = NULL;
			const struct cxl_trace_header *h;
			uint64_t sum = 0xcbf29ce484222325ull;  /* FNV-1a offset basis */
			unsigned long n = 0, resets = 0;
			struct cxl_error err;
			struct cxl_op op;
			bool done;

			assert_int_equal(cxl_trace_generate(&o, &r, &err), CXL_OK);
			h = cxl_trace_header(r);
			assert_int_equal(h->ndevices, 1);
			assert_string_equal(h->devices[0].name, "dut");
			assert_string_equal(h->devices[0].model, cxl_model_name(m));
			for (;;) {
				unsigned space;
				bool write;

				assert_int_equal(cxl_trace_next(r, &op, &done, &err), CXL_OK);
				if (done)
					break;
				n++;
				sum = fold(sum, &op);
				assert_int_equal(op.dev, 0);
				if (op.kind == CXL_OP_RESET) {
					resets++;
					assert_int_equal(op.reset, 0);
				} else {
					assert_true(cxl_op_kind_access(op.kind, &space, &write));
					if (!write)
						assert_false(op.has_value);
					if (space == CXL_SPACE_CONFIG)
						assert_true(op.size <= 4);
				}
			}
			cxl_trace_close(r);
			assert_int_equal(n, 1500);
			if (!pass)
				assert_int_equal(resets, 0);
		}
		/* the same options twice: the same ops */
		{
			struct cxl_generate_opts o = { .model = cxl_model_name(m), .seed = 99, .ops = 300 };
			uint64_t s[2];

			for (unsigned k = 0; k < 2; k++) {
				struct cxl_trace_reader *r = NULL;
				struct cxl_error err;
				struct cxl_op op;
				bool done = false;

				s[k] = 0;
				assert_int_equal(cxl_trace_generate(&o, &r, &err), CXL_OK);
				while (!cxl_trace_next(r, &op, &done, &err) && !done)
					s[k] = fold(s[k], &op);
				cxl_trace_close(r);
			}
			assert_true(s[0] == s[1]);
		}
	}
}

/* ---- cxlemu/error.h ------------------------------------------------------ */

/* Names of codes, NULL targets, and the location parts that are left out when absent. */
static void test_error_type(void **state)
{
	struct cxl_error e;
	char buf[64];

	(void)state;
	assert_string_equal(cxl_err_name(CXL_ERR_LIMIT), "limit");
	assert_string_equal(cxl_err_name(CXL_ERR__COUNT), "invalid");
	assert_string_equal(cxl_err_name((enum cxl_err)-1), "invalid");
	assert_int_equal(cxl_error_set(NULL, CXL_ERR_VALUE, "f", 1, 2, "x"), CXL_ERR_VALUE);

	cxl_error_set(&e, CXL_ERR_VALUE, "f.yaml", 3, 4, "bad %d", 5);
	cxl_error_format(&e, buf, sizeof(buf));
	assert_string_equal(buf, "f.yaml:3:4: error: bad 5");
	cxl_error_set(&e, CXL_ERR_VALUE, "f.yaml", 3, 0, "bad");
	cxl_error_format(&e, buf, sizeof(buf));
	assert_string_equal(buf, "f.yaml:3: error: bad");
	cxl_error_set(&e, CXL_ERR_VALUE, "f.yaml", 0, 4, "bad");
	cxl_error_format(&e, buf, sizeof(buf));
	assert_string_equal(buf, "f.yaml: error: bad");
	cxl_error_set(&e, CXL_ERR_IO, NULL, 3, 4, "bad");
	cxl_error_format(&e, buf, sizeof(buf));
	assert_string_equal(buf, "error: bad");
	/* the arguments may point into the error itself */
	cxl_error_set(&e, CXL_ERR_VALUE, "g", 1, 1, "inner");
	cxl_error_set(&e, e.code, e.file, 2, 2, "outer: %s", e.msg);
	assert_string_equal(e.msg, "outer: inner");
	assert_string_equal(e.file, "g");
	/* truncation keeps a NUL; a length of 0 writes nothing */
	cxl_error_format(&e, buf, 8);
	assert_string_equal(buf, "g:2:2: ");
	buf[0] = 'Z';
	cxl_error_format(&e, buf, 0);
	assert_int_equal(buf[0], 'Z');
}

/* ---- cxlemu/catalog.h ---------------------------------------------------- */

/* The model's index by name (the test fails when spec/ loses the model). */
static unsigned model(const char *name)
{
	int m = cxl_model_lookup(name);

	assert_true(m >= 0);
	return (unsigned)m;
}

/*
 * Answers for what a model lacks, from spec/models: qemu72-dsp places no hdm-decoder,
 * qemu72-hb has no config space (so no Register Locator, no BARs); qemu72-type3's BARs are
 * 0 (mem64, 64 KiB), 2 (mem64, 4 KiB) and 4 (mem32, 4 KiB), its Register Locator block 0 is
 * 0x00000100 (BIR 0, Register Block Identifier 01h = component registers, offset 0: CXL r3.1
 * §8.1.9.1) and its block 1 is 0x00000302 (identifier 03h, not component registers).
 * Views (spec/vocabulary.yaml): comp-regs-v4 counts from the HDM decoder block, bar from
 * the BAR, comp-regs-v2 from the cache/mem range.
 */
static void test_catalog_lacks(void **state)
{
	unsigned n = cxl_model_count(), dsp = model("qemu72-dsp"), hb = model("qemu72-hb"),
		 t3 = model("qemu72-type3");
	int v4 = cxl_view_parse("comp-regs-v4"), bar = cxl_view_parse("bar"),
	    v2 = cxl_view_parse("comp-regs-v2"), comp = cxl_view_parse("component");
	uint64_t off = 0x1234, size = 0;
	int64_t base = 0x55;
	unsigned bir = 9;
	bool is64 = true;

	(void)state;
	assert_true(v4 >= 0 && bar >= 0 && v2 >= 0 && comp >= 0);
	assert_false(cxl_model_hdm_block(dsp, &off));
	assert_int_equal(off, 0x1234);
	assert_int_equal(cxl_model_hdm_decoders(dsp), 0);
	assert_int_equal(cxl_model_hdm_decoders(hb), 1);
	assert_false(cxl_model_view_base(dsp, (unsigned)v4, &base));
	assert_false(cxl_model_has_config_space(hb));
	assert_false(cxl_model_component_block(hb, &bir, &off));
	assert_false(cxl_model_view_base(hb, (unsigned)bar, &base));
	assert_false(cxl_model_bar(hb, 0, &is64, &size));

	assert_true(cxl_model_component_block(t3, &bir, &off));
	assert_int_equal(bir, 0);
	assert_int_equal(off, 0);
	assert_true(cxl_model_component_block(t3, NULL, NULL));
	assert_true(cxl_model_view_base(t3, (unsigned)bar, &base));
	assert_int_equal(base, 0);
	assert_true(cxl_model_view_base(t3, (unsigned)comp, &base));
	assert_int_equal(base, 0);
	assert_true(cxl_model_view_base(t3, (unsigned)v2, &base));
	assert_int_equal(base, 0x1000);        /* the cache/mem range starts at 4 KiB (§8.2.3) */
	assert_true(cxl_model_bar(t3, 4, &is64, &size));
	assert_false(is64);
	assert_int_equal(size, 0x1000);
	assert_true(cxl_model_bar(t3, 2, NULL, NULL));
	assert_false(cxl_model_bar(t3, 1, &is64, &size));

	/* indexes past the count: nothing ("Indexes run from 0 to the count") */
	assert_false(cxl_model_hdm_block(n, &off));
	assert_false(cxl_model_view_base(n, (unsigned)comp, &base));
	assert_false(cxl_model_view_base(t3, CXL_VIEW__COUNT, &base));
	assert_false(cxl_model_bar(n, 0, &is64, &size));
	assert_false(cxl_model_component_block(n, &bir, &off));
	assert_int_equal(cxl_model_hdm_decoders(n), 0);
	assert_false(cxl_model_has_config_space(n));
	assert_int_equal(cxl_profile_parent(cxl_profile_count()), -1);
	assert_int_equal(cxl_profile_lookup(NULL), -1);
	assert_int_equal(cxl_model_lookup(NULL), -1);
	assert_int_equal(cxl_profile_lookup(cxl_default_profile()) >= 0, 1);
	assert_string_equal(cxl_default_profile(), "cxl-3.1");   /* vocabulary defaults */
	assert_string_equal(cxl_model_name(cxl_default_block_model()), "qemu72-type3");
	assert_string_equal(cxl_model_name(cxl_default_vfio_model()), "type2-accel");
	assert_null(cxl_nearest_name(NULL, cxl_model_name, n));
	assert_null(cxl_nearest_name("x", NULL, n));
}

/* Runs every test; the exit status is the number of failures. */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_topology_good),
		cmocka_unit_test(test_topology_names),
		cmocka_unit_test(test_topology_parents),
		cmocka_unit_test(test_topology_windows),
		cmocka_unit_test(test_builder_devices),
		cmocka_unit_test(test_builder_ops),
		cmocka_unit_test(test_builder_bad_topology),
		cmocka_unit_test(test_builder_expect),
		cmocka_unit_test(test_binary_round_trip),
		cmocka_unit_test(test_reader_repeats_failure),
		cmocka_unit_test(test_reader_misuse),
		cmocka_unit_test(test_generate_args),
		cmocka_unit_test(test_generate_every_model),
		cmocka_unit_test(test_error_type),
		cmocka_unit_test(test_catalog_lacks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
