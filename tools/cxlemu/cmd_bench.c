/* SPDX-License-Identifier: MIT */
/*
 * cmd_bench.c - `cxlemu bench`: how fast each path runs the same deterministic workload, side
 * by side in one run, so ratios compare like with like.
 *
 * The workload: two qemu72-type3 endpoints (registers and bits found by name in the model, so no
 * register fact is written here), a 16-op cycle per device (DVSEC Control and Status
 * read/write, HDM decoder 0 programmed, committed, read back, uncommitted the way software does
 * it, Global Control and Capability read), devices alternating, with no event (every write
 * legal); the "1 in 10 raises" mix turns every tenth op into a write of a HwInit field
 * (DVSEC CXL Capability), which the engine reports (field.ro-write). Paths:
 *
 *   bare loop     the least work an access needs, in this file: byte map -> descriptor, the
 *                 writable and RW1C masks, store or load (the bound the engine is held to);
 *   engine        cxl_device_access() on the devices, in memory (and with its fast paths off,
 *                 CXLEMU_ENGINE_SLOW: what they gain);
 *   binary file   the workload as a binary trace (.cxlt) in a temporary file, cxl_replay_file();
 *   YAML file     the same as a native YAML trace (and read by libyaml alone, CXLEMU_YAML_SLOW:
 *                 what the reader's fast path gains);
 *   QEMU 7.2      (--against-qemu) the same ops through the qemu target (qtest), fewer of them.
 *
 * Each path runs in a child process (its peak RSS is the child's), --runs times; the figure is
 * the median. Timings are wall clock (CLOCK_MONOTONIC): a benchmark prints measurements, they
 * are not deterministic and not a test.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cxlemu/cxlemu.h"
#include "args.h"
#include "cli.h"

#define BENCH_PATHS "bare engine engine-events engine-slow binary yaml yaml-slow qemu"

static const struct cli_option bench_options[] = {
	{ "ops", 0, 'n', CLI_V_TEXT, "N", NULL, "ops per path (default 4000000)" },
	{ "runs", 0, 'r', CLI_V_TEXT, "R", NULL, "runs per path, the median shown (1 to 15, default 3)" },
	{ "profile", 0, 'p', CLI_V_PROFILE, "NAME", NULL, "the model's personality (default cxl-3.1)" },
	{ "against-qemu", 0, 'Q', CLI_V_NONE, NULL, NULL,
	  "also run the ops through QEMU 7.2 (qemu-system-x86_64, qtest)" },
	{ "qemu-ops", 0, 'q', CLI_V_TEXT, "N", NULL, "ops for QEMU (default 20000: it is slow)" },
	{ "only", 0, 'O', CLI_V_CHOICE, "PATH", BENCH_PATHS, "run one path" },
	{ NULL, 0, 0, CLI_V_NONE, NULL, NULL, NULL },
};

int cxlemu_cmd_bench(int argc, char **argv);

const struct cli_command cli_cmd_bench = {
	"bench", "measure each path (bare loop, engine, YAML file, QEMU) on one workload",
	"[--ops N] [--runs R] [--profile NAME] [--against-qemu [--qemu-ops N]] [--only PATH]",
	"Runs one deterministic workload (2 qemu72-type3 devices, a 16-op DVSEC + HDM\n"
	"commit/uncommit cycle) through each path and prints ops/s, ns/op, events and peak RSS,\n"
	"the median of R runs (default 3), with the ratios between paths. Timings are wall\n"
	"clock: a benchmark's figures, not deterministic output.",
	bench_options, CLI_V_NONE, "0 measured, 2 usage or a path that cannot run",
	cxlemu_cmd_bench,
};

#define DEVICES 2
#define CYCLE 16

struct bop {
	uint8_t dev, space, write, size;
	uint32_t offset;
	uint64_t value;
};

/*
 * The cycle, by register and field name: the offsets, widths and bits come from the model
 * (spec/), resolved once by resolve_workload(). Values: 0 or 1 per field (@ones: fields set
 * to their lowest 1), so "Mem_Enable|IO_Enable" is the DVSEC Control write software makes.
 */
static const struct { bool write; const char *reg, *ones; } cycle_spec[CYCLE] = {
	{ false, "DVSEC CXL Control", NULL },
	{ true, "DVSEC CXL Control", "Mem_Enable|IO_Enable" },
	{ false, "DVSEC CXL Status", NULL },
	{ true, "DVSEC CXL Status", "" },                          /* RW1C: no status to clear */
	{ true, "HDM Decoder 0 Base Low", "" },
	{ true, "HDM Decoder 0 Base High", "Memory_Base_High" },    /* 4 GiB */
	{ true, "HDM Decoder 0 Size Low", "Memory_Size_Low" },      /* 256 MiB */
	{ true, "HDM Decoder 0 Size High", "" },
	{ true, "HDM Decoder 0 Control", "Commit" },
	{ false, "HDM Decoder 0 Control", NULL },                   /* Committed */
	{ true, "HDM Decoder 0 Control", "Committed" },             /* uncommit: Committed as read */
	{ false, "HDM Decoder 0 Control", NULL },
	{ false, "HDM Decoder Global Control", NULL },
	{ false, "HDM Decoder Capability", NULL },
	{ false, "HDM Decoder 0 Base High", NULL },
	{ false, "DVSEC CXL Lock", NULL },
};
/* The event mix's op: a write of 0 over DVSEC CXL Capability (HwInit), field.ro-write. */
static const char *const event_reg = "DVSEC CXL Capability";

static struct bop cycle[CYCLE], event_op;

/* The lowest bit of field @field of register @ri of @d; 0 when there is no such field. */
static uint64_t field_one(const struct cxl_device *d, int ri, const char *field, size_t len)
{
	for (unsigned j = 0; j < cxl_device_reg_nfields(d, (unsigned)ri); j++) {
		const char *name, *lock;
		unsigned lo, hi, acc;

		cxl_device_field_info(d, (unsigned)ri, j, &name, &lo, &hi, &acc, &lock, NULL);
		if (strlen(name) == len && !memcmp(name, field, len))
			return 1ULL << lo;
	}
	return 0;
}

/* Resolves one op of register @reg with fields @ones ("a|b", "" for 0, NULL for a read). */
static bool resolve_op(const struct cxl_device *d, const char *reg, bool write, const char *ones,
		       struct bop *out, char *error)
{
	int ri = cxl_device_find_reg(d, reg);
	unsigned space, width;
	uint32_t off;

	if (ri < 0) {
		snprintf(error, 640, "qemu72-type3 has no register '%s'", reg);
		return false;
	}
	cxl_device_reg_info(d, (unsigned)ri, &space, &off, NULL, NULL);
	cxl_device_reg_detail(d, (unsigned)ri, &width, NULL, NULL);
	out->space = (uint8_t)space;
	out->offset = off;
	out->size = (uint8_t)(width / 8);
	out->write = write;
	out->value = 0;
	for (const char *f = ones; f && *f;) {
		size_t n = strcspn(f, "|");
		uint64_t bit = field_one(d, ri, f, n);

		if (!bit) {
			snprintf(error, 640, "'%s' has no field '%.*s'", reg, (int)n, f);
			return false;
		}
		out->value |= bit;
		f += n + (f[n] == '|');
	}
	return true;
}

/* Fills cycle[] and event_op from the qemu72-type3 model under @profile. */
static bool resolve_workload(const char *profile, char *error)
{
	struct cxl_device *d;
	struct cxl_error err;
	bool ok = true;

	if (cxl_device_create("ep0", "qemu72-type3", profile, NULL, &d, &err)) {
		snprintf(error, 640, "%s", err.msg);
		return false;
	}
	for (unsigned c = 0; ok && c < CYCLE; c++)
		ok = resolve_op(d, cycle_spec[c].reg, cycle_spec[c].write, cycle_spec[c].ones, &cycle[c],
				error);
	if (ok)
		ok = resolve_op(d, event_reg, true, "", &event_op, error);
	cxl_device_destroy(d);
	return ok;
}

/* The workload's @i-th op (deterministic); @events: every tenth op raises an event. */
static struct bop workload_op(unsigned long i, bool events)
{
	struct bop b = events && i % 10 == 9 ? event_op : cycle[i % CYCLE];

	b.dev = (uint8_t)(i / CYCLE % DEVICES);
	return b;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long event_count;

static void count_event(void *ctx, const struct cxl_event *e)
{
	(void)ctx;
	(void)e;
	event_count++;
}

struct result {
	double seconds;
	unsigned long ops, events;
	uint64_t check;       /* a value the run depends on, so nothing is optimised away */
	char error[640];      /* room for a struct cxl_error message */
};

struct opts {
	unsigned long ops, qemu_ops;
	unsigned runs;
	const char *profile;
	bool qemu;
};

static bool make_devices(const char *profile, struct cxl_device **dev, char *error)
{
	struct cxl_error err;

	for (unsigned i = 0; i < DEVICES; i++) {
		char name[8];

		snprintf(name, sizeof(name), "ep%u", i);
		if (cxl_device_create(name, "qemu72-type3", profile, NULL, &dev[i], &err)) {
			snprintf(error, 640, "%s", err.msg);
			return false;
		}
		cxl_device_set_sink(dev[i], count_event, NULL);
	}
	return true;
}

/* ---- the bare loop: the least an access needs ---- */

struct bare_reg {
	uint64_t value, writable, w1c;
	uint32_t offset;
	uint8_t bytes;
};

struct bare_dev {
	int16_t map[CXL_SPACE__COUNT][65536];
	struct bare_reg *regs;
};

/* A bare device with @d's registers, masks from its fields' write behaviour. */
static bool bare_from(const struct cxl_device *d, struct bare_dev *b)
{
	unsigned n = cxl_device_nregs(d);

	memset(b->map, 0xff, sizeof(b->map));
	if (!(b->regs = calloc(n ? n : 1, sizeof(*b->regs))))
		return false;
	for (unsigned i = 0; i < n; i++) {
		unsigned space, width;
		uint32_t off;
		uint64_t v;

		cxl_device_reg_info(d, i, &space, &off, NULL, &v);
		cxl_device_reg_detail(d, i, &width, NULL, NULL);
		b->regs[i].value = v;
		b->regs[i].offset = off;
		b->regs[i].bytes = (uint8_t)(width / 8);
		for (unsigned j = 0; j < cxl_device_reg_nfields(d, i); j++) {
			const char *fname, *lock, *w;
			unsigned lo, hi, acc;
			uint64_t m;

			cxl_device_field_info(d, i, j, &fname, &lo, &hi, &acc, &lock, NULL);
			m = (hi - lo + 1 >= 64 ? ~0ULL : ((1ULL << (hi - lo + 1)) - 1)) << lo;
			w = cxl_access_write_word(acc);
			if (!strcmp(w, "take") || !strcmp(w, "take-once"))
				b->regs[i].writable |= m;
			else if (!strcmp(w, "one-clears"))
				b->regs[i].w1c |= m;
		}
		if (space < CXL_SPACE__COUNT)
			for (unsigned k = 0; k < width / 8 && off + k < 65536; k++)
				b->map[space][off + k] = (int16_t)i;
	}
	return true;
}

static void run_bare(const struct opts *o, bool events, struct result *res)
{
	static struct bare_dev bare[DEVICES];
	struct cxl_device *dev[DEVICES];
	uint64_t sum = 0;
	double t0;

	if (!make_devices(o->profile, dev, res->error))
		return;
	for (unsigned i = 0; i < DEVICES; i++)
		if (!bare_from(dev[i], &bare[i])) {
			snprintf(res->error, sizeof(res->error), "out of memory");
			return;
		}
	for (int pass = 0; pass < 2; pass++) {   /* a warm-up pass of up to 100,000 ops, then the timed one */
		unsigned long n = pass ? o->ops : (o->ops < 100000 ? o->ops : 100000);

		t0 = now();
		for (unsigned long i = 0; i < n; i++) {
			struct bop b = workload_op(i, events);
			int ri = bare[b.dev].map[b.space][b.offset];
			struct bare_reg *r;

			if (ri < 0)
				continue;
			r = &bare[b.dev].regs[ri];
			if (b.write) {
				uint64_t w = b.value << (8 * (b.offset - r->offset));

				r->value = ((r->value & ~r->writable) | (w & r->writable)) & ~(w & r->w1c);
			} else {
				sum += r->value >> (8 * (b.offset - r->offset));
			}
		}
	}
	res->seconds = now() - t0;
	res->ops = o->ops;
	res->check = sum;
}

/* ---- the engine, in memory ---- */

static void run_engine(const struct opts *o, bool events, struct result *res)
{
	struct cxl_device *dev[DEVICES];
	uint64_t sum = 0;
	double t0;

	if (!make_devices(o->profile, dev, res->error))
		return;
	for (int pass = 0; pass < 2; pass++) {   /* a warm-up pass of up to 100,000 ops, then the timed one */
		unsigned long n = pass ? o->ops : (o->ops < 100000 ? o->ops : 100000);

		event_count = 0;
		t0 = now();
		for (unsigned long i = 0; i < n; i++) {
			struct bop b = workload_op(i, events);
			uint64_t v = 0;

			cxl_device_access(dev[b.dev], b.space, b.write, b.offset, b.size, b.value, b.write, &v);
			sum += v;
		}
	}
	res->seconds = now() - t0;
	res->ops = o->ops;
	res->events = event_count;
	res->check = sum ^ cxl_device_hash(dev[0], cxl_device_hash(dev[1], 0));
}

/* The engine with its fast paths off (CXLEMU_ENGINE_SLOW): every write through the field loop. */
static void run_engine_slow(const struct opts *o, bool events, struct result *res)
{
	setenv("CXLEMU_ENGINE_SLOW", "1", 1);   /* in the measuring child only */
	run_engine(o, events, res);
}

/* ---- the YAML file ---- */

static void run_file(const struct opts *o, bool events, bool binary, struct result *res)
{
	char dir[] = "/tmp/cxlemu-bench-XXXXXX", path[64];
	struct cxl_replay_opts ro = { .profile = o->profile };
	struct cxl_report *rep;
	struct cxl_error err;
	bool pass = false;
	FILE *f;
	double t0;

	if (!mkdtemp(dir)) {
		snprintf(res->error, sizeof(res->error), "cannot make a temporary directory: %s",
			 strerror(errno));
		return;
	}
	snprintf(path, sizeof(path), "%s/bench.yaml", dir);
	if (!(f = fopen(path, "w"))) {
		snprintf(res->error, sizeof(res->error), "%s: %s", path, strerror(errno));
		rmdir(dir);
		return;
	}
	fprintf(f, "cxl-trace: 1\ndevices:\n  ep0: {model: qemu72-type3}\n  ep1: {model: qemu72-type3}\nops:\n");
	for (unsigned long i = 0; i < o->ops; i++) {
		struct bop b = workload_op(i, events);
		const char *kind = b.space == CXL_SPACE_CONFIG ? (b.write ? "cfg-write" : "cfg-read") :
				   (b.write ? "mmio-write" : "mmio-read");

		if (b.write)
			fprintf(f, "  - [%s, ep%u, 0x%x, %u, 0x%llx]\n", kind, b.dev, b.offset, b.size,
				(unsigned long long)b.value);
		else
			fprintf(f, "  - [%s, ep%u, 0x%x, %u]\n", kind, b.dev, b.offset, b.size);
	}
	if (fclose(f)) {
		snprintf(res->error, sizeof(res->error), "%s: %s", path, strerror(errno));
		goto out;
	}
	if (binary) {   /* the same trace in the binary form, converted before the clock starts */
		char bpath[64];
		struct cxl_trace_reader *in = NULL;
		FILE *bf;

		snprintf(bpath, sizeof(bpath), "%s/bench.cxlt", dir);
		bf = fopen(bpath, "wb");
		if (!bf || cxl_trace_open(path, &in, &err) || cxl_trace_write_binary(in, bf, &err)) {
			snprintf(res->error, sizeof(res->error), "cannot write %s", bpath);
			if (bf)
				fclose(bf);
			cxl_trace_close(in);
			unlink(bpath);
			goto out;
		}
		cxl_trace_close(in);
		fclose(bf);
		unlink(path);
		snprintf(path, sizeof(path), "%s", bpath);
	}
	rep = cxl_report_new(CXL_REPORT_TEXT, false, true, 1);
	t0 = now();
	if (!rep || cxl_replay_file(path, &ro, rep, &pass, &err))
		snprintf(res->error, sizeof(res->error), "%s", rep ? err.msg : "out of memory");
	res->seconds = now() - t0;
	res->ops = o->ops;
	cxl_report_free(rep);
out:
	unlink(path);
	rmdir(dir);
}

static void run_yaml(const struct opts *o, bool events, struct result *res)
{
	run_file(o, events, false, res);
}

/* The YAML file read by libyaml alone (CXLEMU_YAML_SLOW): what the reader's fast path gains. */
static void run_yaml_slow(const struct opts *o, bool events, struct result *res)
{
	setenv("CXLEMU_YAML_SLOW", "1", 1);   /* in the measuring child only */
	run_file(o, events, false, res);
}

static void run_binary(const struct opts *o, bool events, struct result *res)
{
	run_file(o, events, true, res);
}

/* ---- QEMU 7.2 ---- */

static void run_qemu(const struct opts *o, bool events, struct result *res)
{
	struct cxl_trace_header *h = calloc(1, sizeof(*h));
	struct cxl_target *t = NULL;
	struct cxl_target_opts to = { 0 };
	struct cxl_error err;
	struct cxl_op *op = calloc(1, sizeof(*op));
	unsigned long skipped = 0;
	double t0;

	if (!h || !op) {
		snprintf(res->error, sizeof(res->error), "out of memory");
		goto out;
	}
	h->version = 1;
	h->ndevices = DEVICES;
	for (unsigned i = 0; i < DEVICES; i++) {
		snprintf(h->devices[i].name, sizeof(h->devices[i].name), "ep%u", i);
		snprintf(h->devices[i].model, sizeof(h->devices[i].model), "qemu72-type3");
	}
	if (cxl_target_open("qemu", &to, &t, &err) || cxl_target_start(t, h, &err)) {
		snprintf(res->error, sizeof(res->error), "%s", err.msg);
		goto out;
	}
	t0 = now();
	for (unsigned long i = 0; i < o->qemu_ops; i++) {
		struct bop b = workload_op(i, events);
		struct cxl_target_reply reply;

		op->kind = b.space == CXL_SPACE_CONFIG ? (b.write ? CXL_OP_CFG_WRITE : CXL_OP_CFG_READ) :
			   (b.write ? CXL_OP_MMIO_WRITE : CXL_OP_MMIO_READ);
		op->dev = b.dev;
		op->offset = b.offset;
		op->size = b.size;
		op->value = b.value;
		op->has_value = b.write;
		if (cxl_target_op(t, op, &reply, &err)) {
			snprintf(res->error, sizeof(res->error), "%s", err.msg);
			goto out;
		}
		skipped += reply.skipped;
		res->check += reply.value;
	}
	res->seconds = now() - t0;
	res->ops = o->qemu_ops;
	res->events = skipped;    /* for QEMU the column counts skipped ops */
out:
	cxl_target_close(t);
	free(h);
	free(op);
}

typedef void (*path_fn)(const struct opts *, bool, struct result *);

/* Runs @fn in a child; its result and peak RSS (KiB) come back. False when it failed. */
static bool in_child(path_fn fn, const struct opts *o, bool events, struct result *res, long *rss_kb)
{
	int fds[2];
	pid_t pid;
	int status;
	struct rusage ru;
	ssize_t got;

	memset(res, 0, sizeof(*res));
	if (pipe(fds))
		return false;
	fflush(NULL);
	if ((pid = fork()) < 0)
		return false;
	if (pid == 0) {
		struct result r;

		memset(&r, 0, sizeof(r));
		close(fds[0]);
		fn(o, events, &r);
		if (write(fds[1], &r, sizeof(r)) != (ssize_t)sizeof(r))
			_exit(3);
		_exit(0);
	}
	close(fds[1]);
	got = read(fds[0], res, sizeof(*res));
	close(fds[0]);
	if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) ||
	    got != (ssize_t)sizeof(*res)) {
		if (!res->error[0])
			snprintf(res->error, sizeof(res->error), "the measuring process failed");
		return false;
	}
	*rss_kb = ru.ru_maxrss;
	return !res->error[0];
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct row {
	const char *name, *key;
	path_fn fn;
	bool events;
	double ops_s;
	unsigned long events_seen;
	long rss_kb;
	bool done;
};

/* Measures @rw (o->runs times, the median); false with a message when it cannot run. */
static bool measure(struct row *rw, const struct opts *o)
{
	double rates[16];
	unsigned n = o->runs;

	rw->rss_kb = 0;
	for (unsigned k = 0; k < n; k++) {
		struct result res;
		long rss = 0;

		if (!in_child(rw->fn, o, rw->events, &res, &rss)) {
			fprintf(stderr, "cxlemu bench: %s: %s\n", rw->name, res.error);
			return false;
		}
		rates[k] = res.seconds > 0 ? res.ops / res.seconds : 0;
		rw->events_seen = res.events;
		if (rss > rw->rss_kb)
			rw->rss_kb = rss;
	}
	qsort(rates, n, sizeof(*rates), by_value);
	rw->ops_s = rates[n / 2];
	rw->done = true;
	return true;
}

static void print_rate(double r)
{
	if (r >= 1e6)
		printf("%9.1f M", r / 1e6);
	else
		printf("%9.1f k", r / 1e3);
}

int cxlemu_cmd_bench(int argc, char **argv)
{
	struct opts o = { 4000000, 20000, 3, "cxl-3.1", false };
	struct cli_parser p;
	int c;
	struct row rows[] = {
		{ "bare loop (the bound)", "bare", run_bare, false, 0, 0, 0, false },
		{ "engine, no events", "engine", run_engine, false, 0, 0, 0, false },
		{ "engine, 1 in 10 raises", "engine-events", run_engine, true, 0, 0, 0, false },
		{ "engine, field loop only", "engine-slow", run_engine_slow, false, 0, 0, 0, false },
		{ "binary file replay", "binary", run_binary, false, 0, 0, 0, false },
		{ "YAML file replay", "yaml", run_yaml, false, 0, 0, 0, false },
		{ "YAML file, libyaml only", "yaml-slow", run_yaml_slow, false, 0, 0, 0, false },
		{ "QEMU 7.2 (qtest)", "qemu", run_qemu, false, 0, 0, 0, false },
	};
	unsigned nrows = sizeof(rows) / sizeof(rows[0]);
	const char *only = NULL;

	cli_parse_begin(&p, &cli_cmd_bench, argc, argv);
	while ((c = cli_next(&p)) > 0) {
		char *end;
		unsigned long v;

		switch (c) {
		case 'Q': o.qemu = true; break;
		case 'n': case 'q': case 'r':
			errno = 0;
			v = strtoul(p.arg, &end, 10);
			if (errno || *end || !v || p.arg[0] == '-' || (c == 'r' && v > 15) ||
			    v > 1000000000UL)
				return cli_bad_value(&p, "%s wants a number from 1%s, got '%s'", p.spelled,
						     c == 'r' ? " to 15" : " to 1000000000", p.arg), p.status;
			if (c == 'n')
				o.ops = v;
			else if (c == 'q')
				o.qemu_ops = v;
			else
				o.runs = (unsigned)v;
			break;
		case 'O': only = p.arg; break;
		case 'p':
			if (cli_profile("bench", p.arg) < 0)
				return EXIT_BAD_INPUT;
			o.profile = p.arg;
			break;
		}
	}
	if (c == CLI_STOP)
		return p.status;
	if (p.nops)
		return cli_usage_error("bench", "unexpected argument '%s' (see cxlemu help bench)", p.ops[0]);
	{
		char error[640];

		if (!resolve_workload(o.profile, error)) {
			fprintf(stderr, "cxlemu bench: %s\n", error);
			return EXIT_BAD_INPUT;
		}
	}
	if (only) {
		unsigned k = 0;

		while (k < nrows && strcmp(rows[k].key, only))
			k++;
		if (k == nrows)
			return cli_choice("bench", "path", only, BENCH_PATHS) < 0 ? EXIT_BAD_INPUT : EXIT_BAD_INPUT;
		rows[0] = rows[k];
		nrows = 1;
	} else if (!o.qemu) {
		nrows--;
	}
	printf("cxlemu bench: %lu ops per path", o.ops);
	if (o.qemu)
		printf(" (QEMU: %lu)", o.qemu_ops);
	printf(", 2 qemu72-type3 devices, a %d-op DVSEC and HDM cycle, profile %s; median of %u runs, "
	       "one core; a %s build\n", CYCLE, o.profile, o.runs, CXLEMU_BUILDTYPE);
	for (unsigned i = 0; i < nrows; i++)
		if (!measure(&rows[i], &o))
			return EXIT_BAD_INPUT;
	printf("%-26s %11s %9s %9s %10s  %s\n", "path", "ops/s", "ns/op", "events", "peak RSS", "ratio");
	for (unsigned i = 0; i < nrows; i++) {
		struct row *r = &rows[i];

		printf("%-26s ", r->name);
		print_rate(r->ops_s);
		printf(" %9.2f %9lu %6.1f MiB  ", r->ops_s > 0 ? 1e9 / r->ops_s : 0, r->events_seen,
		       r->rss_kb / 1024.0);
		if (i == 0 || only)
			printf("-");
		else if (r->fn == run_qemu)
			printf("the engine is %.0fx QEMU (%lu ops skipped)", rows[1].ops_s / r->ops_s,
			       r->events_seen);
		else
			printf("%.1fx the bare loop's time", rows[0].ops_s / r->ops_s);
		printf("\n");
	}
	return EXIT_PASS;
}
