/* SPDX-License-Identifier: MIT */
/*
 * qemu_cmdline.c - a QEMU command line's CXL layout (cxlemu/topo.h): window placement and the
 * vfio-cxl window selection rules, from what is documented about QEMU (no QEMU code here).
 *
 * Sources of the rules (../shared/reference/qemu-cfmws-placement.md has them with citations):
 * - QEMU hw/cxl/cxl-host.c: cxl-fmw.N windows are sorted by N; cxl_fmws_set_memmap(base, max)
 *   gives each window in that order `base` when base + size <= max and then advances base by
 *   the size; a window that does not fit gets no base and does not advance it. Sizes must be
 *   multiples of 256 MiB, granularity defaults to 256 bytes.
 * - q35 (hw/i386/pc.c): the windows start at ROUND_UP(cxl_base + 1 MiB, 256 MiB), cxl_base the
 *   end of RAM above 4 GiB (pc_above_4g_end()) without device memory; max = 2^phys-bits - 1.
 * - arm virt (hw/arm/virt.c): the windows start at ROUND_UP(highest_gpa + 1, 256 MiB), above
 *   the highmem regions (Redistributor 64 MiB, ECAM 256 MiB, PCIe MMIO of highmem-mmio-size,
 *   default 512 GiB), each at ROUND_UP(base, its size) from 256 GiB when RAM ends below it;
 *   max = 2^pa-bits. With highmem-mmio-size=4T the MMIO is [4 TiB, 8 TiB) and the first window
 *   0x80000000000, as NVIDIA QEMU PR #27 (seed 000) reports from the guest.
 * - vfio-cxl window selection (seed 000 and its review): match the device's root pxb-cxl
 *   against each window's target names; exactly one window, single-target, placed, not smaller
 *   than the device memory; one passthrough endpoint per pxb-cxl; a hot-plug refused with an
 *   error. Seed 003: decoder 0 Base Low keeps address bits 31:28.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cxlemu/catalog.h"
#include "cxlemu/device.h"
#include "cxlemu/topo.h"

#define CXL_EXPORT __attribute__((visibility("default")))

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define TiB (1ULL << 40)
#define FMW_ALIGN (256 * MiB)          /* window sizes and bases (cxl-host.c) */
#define MAX_INPUT (16UL << 20)         /* a command line file larger than this is refused */

/* ------------------------------------------------------------------------------------------ */
/* Words: the command line split as a POSIX shell splits it, each byte with its position.     */

struct word {
	char *s;                  /* NUL-terminated */
	size_t len;
	unsigned long *line, *col; /* position of each byte in the file (len + 1 entries) */
	bool bol;                 /* first word of a logical line (after an unescaped newline) */
};

struct ctx {
	const char *file;
	struct word *w;
	size_t nw, cap;
	struct cxl_error *err;
	struct cxl_topo *t;
	/* what -machine, -m and -cpu said */
	bool cxl_on, cxl_given;
	unsigned long cxl_line, cxl_col;
	bool highmem_off;             /* highmem*=off: the virt layout is not the default one */
	char highmem_off_key[64];
	bool has_mmio_size;
	uint64_t mmio_size;
	unsigned long mmio_line, mmio_col;
	uint64_t ram, maxmem;
	bool has_maxmem;
	unsigned phys_bits;           /* -cpu phys-bits=, 0: not given */
	bool host_phys_bits;
	struct fmw {
		bool seen, has_size, has_gran;
		uint64_t size;
		unsigned gran;
		unsigned long line, col;         /* its first key */
		unsigned long sline, scol;       /* the size value */
		bool tseen[CXL_TOPO_MAX_TARGETS];
		char target[CXL_TOPO_MAX_TARGETS][CXL_TOPO_ID_MAX];
		unsigned long tline[CXL_TOPO_MAX_TARGETS], tcol[CXL_TOPO_MAX_TARGETS];
	} fmw[CXL_TOPO_MAX_WINDOWS];
	unsigned long first_fmw_line, first_fmw_col;
};

/* Records an error at byte @i of word @w. Returns the code. */
static enum cxl_err werr(struct ctx *c, const struct word *w, size_t i, enum cxl_err code,
			 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static enum cxl_err werr(struct ctx *c, const struct word *w, size_t i, enum cxl_err code,
			 const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (i > w->len)
		i = w->len;
	return cxl_error_set(c->err, code, c->file, w->line[i], w->col[i], "%s", msg);
}

/* An error at @line:@col of the file. */
static enum cxl_err perr(struct ctx *c, unsigned long line, unsigned long col, enum cxl_err code,
			 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static enum cxl_err perr(struct ctx *c, unsigned long line, unsigned long col, enum cxl_err code,
			 const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cxl_error_set(c->err, code, c->file, line, col, "%s", msg);
}

/* Appends byte @ch at @line:@col to word @w (growing it). False when out of memory. */
static bool wpush(struct word *w, size_t *cap, char ch, unsigned long line, unsigned long col)
{
	if (w->len + 2 > *cap) {
		size_t n = *cap ? *cap * 2 : 32;
		char *s = realloc(w->s, n);
		unsigned long *l, *k;

		if (!s)
			return false;
		w->s = s;
		if (!(l = realloc(w->line, n * sizeof(*l))))
			return false;
		w->line = l;
		if (!(k = realloc(w->col, n * sizeof(*k))))
			return false;
		w->col = k;
		*cap = n;
	}
	w->s[w->len] = ch;
	w->line[w->len] = line;
	w->col[w->len] = col;
	w->len++;
	w->s[w->len] = 0;
	return true;
}

/*
 * Splits @text into c->w as a POSIX shell does: blanks and newlines separate words; '...'
 * keeps everything; "..." keeps everything but \$ \` \" \\ and backslash-newline; outside
 * quotes a backslash keeps the next byte and backslash-newline joins lines; a '#' starting a
 * word comments out the rest of the line. An unterminated quote is an error at the quote.
 */
static enum cxl_err lex(struct ctx *c, const char *text, size_t len)
{
	unsigned long line = 1, col = 1;
	bool nl = true;
	size_t i = 0;

#define ADV() do { if (text[i] == '\n') { line++; col = 1; } else col++; i++; } while (0)
	while (i < len) {
		char ch = text[i];
		struct word w = { 0 };
		size_t cap = 0;

		if (ch == '\n') {
			nl = true;
			ADV();
			continue;
		}
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v') {
			ADV();
			continue;
		}
		if (ch == '\\' && i + 1 < len && text[i + 1] == '\n') {
			ADV();
			ADV();
			continue;
		}
		if (ch == '#') {
			while (i < len && text[i] != '\n')
				ADV();
			continue;
		}
		if (ch == 0)
			return cxl_error_set(c->err, CXL_ERR_SYNTAX, c->file, line, col,
					     "a NUL byte: not a command line (text)");
		w.bol = nl;
		nl = false;
		while (i < len) {
			ch = text[i];
			if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v')
				break;
			if (ch == 0)
				return cxl_error_set(c->err, CXL_ERR_SYNTAX, c->file, line, col,
						     "a NUL byte: not a command line (text)");
			if (ch == '\\') {
				ADV();
				if (i >= len)
					break;
				if (text[i] == '\n') {
					ADV();
					continue;
				}
				if (!wpush(&w, &cap, text[i], line, col))
					goto oom;
				ADV();
				continue;
			}
			if (ch == '\'' || ch == '"') {
				unsigned long ql = line, qc = col;
				char q = ch;

				ADV();
				for (;;) {
					if (i >= len) {
						free(w.s);
						free(w.line);
						free(w.col);
						return cxl_error_set(c->err, CXL_ERR_SYNTAX, c->file, ql, qc,
								     "unterminated %s quote",
								     q == '"' ? "double" : "single");
					}
					if (text[i] == q) {
						ADV();
						break;
					}
					if (text[i] == 0)
						return cxl_error_set(c->err, CXL_ERR_SYNTAX, c->file, line,
								     col, "a NUL byte: not a command line (text)");
					if (q == '"' && text[i] == '\\' && i + 1 < len &&
					    strchr("$`\"\\\n", text[i + 1])) {
						ADV();
						if (text[i] == '\n') {
							ADV();
							continue;
						}
					}
					if (!wpush(&w, &cap, text[i], line, col))
						goto oom;
					ADV();
				}
				continue;
			}
			if (!wpush(&w, &cap, ch, line, col))
				goto oom;
			ADV();
		}
		if (!w.s) {
			/* an empty word ('' or ""): allocated all the same */
			if (!wpush(&w, &cap, 0, line, col))
				goto oom;
			w.len = 0;
		}
		/* the position one past the end (wpush keeps room): where "missing value" points */
		w.line[w.len] = line;
		w.col[w.len] = col;
		w.s[w.len] = 0;
		if (c->nw == c->cap) {
			size_t n = c->cap ? c->cap * 2 : 64;
			struct word *nw = realloc(c->w, n * sizeof(*nw));

			if (!nw)
				goto oom;
			c->w = nw;
			c->cap = n;
		}
		c->w[c->nw++] = w;
		continue;
oom:
		free(w.s);
		free(w.line);
		free(w.col);
		return cxl_error_set(c->err, CXL_ERR_LIMIT, c->file, line, col, "out of memory");
	}
#undef ADV
	return CXL_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* QEMU option strings: "driver,key=value,..." with ",," for a comma.                          */

struct item {
	char *key, *val;          /* val NULL: no '=' */
	size_t kpos, vpos;        /* byte index of key / value in the word */
};

/* Splits word @w into *@items (*@n of them; free with items_free()). False: out of memory. */
static bool split_items(const struct word *w, struct item **items, size_t *n)
{
	size_t cap = 0, i = 0;

	*items = NULL;
	*n = 0;
	if (!w->len)
		return true;
	while (i <= w->len) {
		char *buf = malloc(w->len + 1);
		size_t blen = 0, start = i, eq = (size_t)-1;
		struct item it = { 0 };

		if (!buf)
			return false;
		while (i < w->len) {
			if (w->s[i] == ',') {
				if (i + 1 < w->len && w->s[i + 1] == ',') {
					buf[blen++] = ',';
					i += 2;
					continue;
				}
				break;
			}
			if (w->s[i] == '=' && eq == (size_t)-1) {
				eq = blen;
				it.vpos = i + 1;
			}
			buf[blen++] = w->s[i++];
		}
		buf[blen] = 0;
		it.kpos = start;
		if (eq != (size_t)-1) {
			buf[eq] = 0;
			it.val = strdup(buf + eq + 1);
			if (!it.val) {
				free(buf);
				return false;
			}
		}
		it.key = buf;
		if (*n == cap) {
			struct item *ni;

			cap = cap ? cap * 2 : 8;
			if (!(ni = realloc(*items, cap * sizeof(*ni)))) {
				free(it.key);
				free(it.val);
				return false;
			}
			*items = ni;
		}
		(*items)[(*n)++] = it;
		i++;   /* past the ',' (or the end) */
	}
	return true;
}

static void items_free(struct item *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(items[i].key);
		free(items[i].val);
	}
	free(items);
}

/* ------------------------------------------------------------------------------------------ */
/* Values.                                                                                      */

/* A number as QEMU's integer properties take it: decimal, 0x hex or 0 octal. 0 or -1. */
static int parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	unsigned base = 10;

	if (!*s)
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!*s)
			return -1;
	} else if (s[0] == '0' && s[1]) {
		base = 8;
		s++;
	}
	for (; *s; s++) {
		unsigned d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && isxdigit((unsigned char)*s))
			d = (unsigned)(tolower((unsigned char)*s) - 'a' + 10);
		else
			return -1;
		if (d >= base || v > (UINT64_MAX - d) / base)
			return -1;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

/* A size as QEMU's qemu_strtosz() takes it (integers only): N[BKMGTPE], 1024-based. */
CXL_EXPORT int cxl_topo_parse_size(const char *text, uint64_t *out)
{
	static const char units[] = "BKMGTPE";
	size_t n = strlen(text);
	char num[64];
	unsigned shift = 0;
	const char *u;
	uint64_t v;

	if (!n || n >= sizeof(num))
		return -1;
	memcpy(num, text, n + 1);
	if (!isdigit((unsigned char)num[n - 1]) &&
	    !(n > 2 && num[0] == '0' && (num[1] == 'x' || num[1] == 'X'))) {
		if (!(u = strchr(units, toupper((unsigned char)num[n - 1]))))
			return -1;
		shift = (unsigned)(u - units) * 10;
		num[--n] = 0;
	}
	if (parse_u64(num, &v))
		return -1;
	if (shift && v > (UINT64_MAX >> shift))
		return -1;
	*out = v << shift;
	return 0;
}

/* QEMU's boolean words: 1, 0 or -1. */
static int parse_bool(const char *s)
{
	if (!s || !strcmp(s, "on") || !strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "y"))
		return 1;
	if (!strcmp(s, "off") || !strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "n"))
		return 0;
	return -1;
}

/* QEMU's id syntax (id_wellformed()): a letter, then letters, digits, '-', '.', '_'. */
static bool id_ok(const char *s)
{
	if (!isalpha((unsigned char)*s) || strlen(s) >= CXL_TOPO_ID_MAX)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-._", *s))
			return false;
	return true;
}

/* "256 GiB"-style text of @v when it is a whole number of a unit, else "N bytes". */
static void human(char *buf, size_t len, uint64_t v)
{
	static const char *const unit[] = { "bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned u = 0;

	while (u < 6 && v && !(v & 1023)) {
		v >>= 10;
		u++;
	}
	snprintf(buf, len, "%llu %s", (unsigned long long)v, unit[u]);
}

/* For cxl_nearest_name(): the candidate list being searched (one search at a time). */
static const char *const *near_names;
static const char *near_at(unsigned i)
{
	return near_names[i];
}

/* The nearest of @names (@n) to @word, or NULL. */
static const char *nearest(const char *word, const char *const *names, unsigned n)
{
	near_names = names;
	return n ? cxl_nearest_name(word, near_at, n) : NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* -machine / -M.                                                                               */

/* One cxl-fmw.N.* key of -machine. */
static enum cxl_err machine_fmw(struct ctx *c, const struct word *w, const struct item *it)
{
	static const char *const sub[] = { "size", "interleave-granularity", "targets" };
	const char *p = it->key + strlen("cxl-fmw.");
	char *end;
	unsigned long n, m;
	struct fmw *f;
	uint64_t v;

	if (!isdigit((unsigned char)*p))
		return werr(c, w, it->kpos, CXL_ERR_VALUE,
			    "bad window index in '%s' (cxl-fmw.N.size, cxl-fmw.N.targets.M, "
			    "cxl-fmw.N.interleave-granularity)", it->key);
	errno = 0;
	n = strtoul(p, &end, 10);
	if (errno || *end != '.' || (p[0] == '0' && end - p > 1))
		return werr(c, w, it->kpos, CXL_ERR_VALUE, "bad window index in '%s'", it->key);
	if (n >= CXL_TOPO_MAX_WINDOWS)
		return werr(c, w, it->kpos, CXL_ERR_LIMIT,
			    "window cxl-fmw.%lu: at most %u windows (cxl-fmw.0 .. cxl-fmw.%u)", n,
			    CXL_TOPO_MAX_WINDOWS, CXL_TOPO_MAX_WINDOWS - 1);
	f = &c->fmw[n];
	if (!f->seen) {
		f->seen = true;
		f->line = w->line[it->kpos];
		f->col = w->col[it->kpos];
	}
	if (!c->first_fmw_line) {
		c->first_fmw_line = w->line[it->kpos];
		c->first_fmw_col = w->col[it->kpos];
	}
	p = end + 1;
	if (!it->val)
		return werr(c, w, it->kpos + strlen(it->key), CXL_ERR_VALUE, "'%s' needs a value",
			    it->key);
	if (!strcmp(p, "size")) {
		if (cxl_topo_parse_size(it->val, &v))
			return werr(c, w, it->vpos, CXL_ERR_VALUE,
				    "bad size '%s' for %s (a number with an optional K, M, G, T, P or E suffix)",
				    it->val, it->key);
		if (!v || v % FMW_ALIGN)
			return werr(c, w, it->vpos, CXL_ERR_VALUE,
				    "%s %s is not a multiple of 256 MiB (QEMU requires window sizes in "
				    "256 MiB units)", it->key, it->val);
		f->has_size = true;
		f->size = v;
		f->sline = w->line[it->vpos];
		f->scol = w->col[it->vpos];
		return CXL_OK;
	}
	if (!strcmp(p, "interleave-granularity")) {
		if (cxl_topo_parse_size(it->val, &v))
			return werr(c, w, it->vpos, CXL_ERR_VALUE, "bad size '%s' for %s", it->val, it->key);
		/* CXL r3.1 §9.18.1.3 (CFMWS Host Bridge Interleave Granularity): 256 B .. 16 KiB */
		if (v < 256 || v > 16384 || (v & (v - 1)))
			return werr(c, w, it->vpos, CXL_ERR_VALUE,
				    "%s %s is not an interleave granularity (256, 512, 1k, 2k, 4k, 8k or "
				    "16k bytes, CXL r3.1 §9.18.1.3)", it->key, it->val);
		f->has_gran = true;
		f->gran = (unsigned)v;
		return CXL_OK;
	}
	if (!strncmp(p, "targets.", 8) && isdigit((unsigned char)p[8])) {
		const char *q = p + 8;

		errno = 0;
		m = strtoul(q, &end, 10);
		if (errno || *end || (q[0] == '0' && q[1]))
			return werr(c, w, it->kpos, CXL_ERR_VALUE, "bad target index in '%s'", it->key);
		if (m >= CXL_TOPO_MAX_TARGETS)
			return werr(c, w, it->kpos, CXL_ERR_LIMIT,
				    "%s: a window has at most %u targets", it->key, CXL_TOPO_MAX_TARGETS);
		if (!id_ok(it->val))
			return werr(c, w, it->vpos, CXL_ERR_VALUE,
				    "%s: '%s' is not a device id (a letter, then letters, digits, '-', "
				    "'.', '_')", it->key, it->val);
		f->tseen[m] = true;
		snprintf(f->target[m], sizeof(f->target[m]), "%s", it->val);
		f->tline[m] = w->line[it->vpos];
		f->tcol[m] = w->col[it->vpos];
		return CXL_OK;
	}
	{
		const char *near = nearest(p, sub, 3);
		char n2[64];

		snprintf(n2, sizeof(n2), "cxl-fmw.%lu.%s%s", n, near ? near : "",
			 near && !strcmp(near, "targets") ? ".0" : "");
		if (near)
			return werr(c, w, it->kpos, CXL_ERR_UNKNOWN,
				    "unknown window property '%s' (did you mean '%s'?)", it->key, n2);
		return werr(c, w, it->kpos, CXL_ERR_UNKNOWN,
			    "unknown window property '%s' (expected cxl-fmw.N.size, cxl-fmw.N.targets.M "
			    "or cxl-fmw.N.interleave-granularity)", it->key);
	}
}

/* -machine TYPE,key=value,...: the type, cxl=, cxl-fmw.*, the virt highmem options. */
static enum cxl_err parse_machine(struct ctx *c, const struct word *w)
{
	struct item *it;
	size_t n;
	enum cxl_err rc = CXL_OK;

	if (!split_items(w, &it, &n))
		return werr(c, w, 0, CXL_ERR_LIMIT, "out of memory");
	for (size_t i = 0; i < n && !rc; i++) {
		const char *k = it[i].key;

		if (!it[i].val && i == 0) {
			if (strcmp(k, "help") && strcmp(k, "?"))
				snprintf(c->t->machine_type, sizeof(c->t->machine_type), "%s", k);
			continue;
		}
		if (!strcmp(k, "type") && it[i].val) {
			snprintf(c->t->machine_type, sizeof(c->t->machine_type), "%s", it[i].val);
		} else if (!strcmp(k, "cxl")) {
			int b = parse_bool(it[i].val);

			if (b < 0)
				rc = werr(c, w, it[i].vpos, CXL_ERR_VALUE,
					  "bad value '%s' for cxl (on or off)", it[i].val);
			c->cxl_on = b == 1;
			c->cxl_given = true;
			c->cxl_line = w->line[it[i].kpos];
			c->cxl_col = w->col[it[i].kpos];
		} else if (!strncmp(k, "cxl-fmw.", 8)) {
			rc = machine_fmw(c, w, &it[i]);
		} else if (!strcmp(k, "highmem-mmio-size")) {
			uint64_t v;

			if (!it[i].val || cxl_topo_parse_size(it[i].val, &v))
				rc = werr(c, w, it[i].val ? it[i].vpos : it[i].kpos, CXL_ERR_VALUE,
					  "bad size '%s' for highmem-mmio-size", it[i].val ? it[i].val : "");
			else if (v < 512 * GiB || (v & (v - 1)))
				rc = werr(c, w, it[i].vpos, CXL_ERR_VALUE,
					  "highmem-mmio-size %s is not a power of 2 of at least 512G",
					  it[i].val);
			else {
				c->has_mmio_size = true;
				c->mmio_size = v;
				c->mmio_line = w->line[it[i].vpos];
				c->mmio_col = w->col[it[i].vpos];
			}
		} else if (!strcmp(k, "highmem") || !strcmp(k, "highmem-ecam") ||
			   !strcmp(k, "highmem-redists") || !strcmp(k, "highmem-mmio") ||
			   !strcmp(k, "highmem-compact")) {
			int b = parse_bool(it[i].val);

			if (b < 0)
				rc = werr(c, w, it[i].vpos, CXL_ERR_VALUE,
					  "bad value '%s' for %s (on or off)", it[i].val, k);
			/* off: a region is left out, which this tool does not model (with
			 * highmem-compact, the default, the others do not move when all fit) */
			if (b == 0 && strcmp(k, "highmem-compact")) {
				c->highmem_off = true;
				snprintf(c->highmem_off_key, sizeof(c->highmem_off_key), "%s", k);
			}
		}
	}
	items_free(it, n);
	return rc;
}

/* -m [size=]N[,slots=N,maxmem=N]: a size without a suffix is in MiB (QEMU's legacy form). */
static enum cxl_err parse_mem(struct ctx *c, const struct word *w)
{
	struct item *it;
	size_t n;
	enum cxl_err rc = CXL_OK;

	if (!split_items(w, &it, &n))
		return werr(c, w, 0, CXL_ERR_LIMIT, "out of memory");
	for (size_t i = 0; i < n && !rc; i++) {
		const char *v = it[i].val, *k = it[i].key;
		size_t pos = it[i].vpos;
		uint64_t x;

		if (i == 0 && !v) {
			v = k;
			k = "size";
			pos = it[i].kpos;
		}
		if (!strcmp(k, "size") || !strcmp(k, "maxmem")) {
			if (!v || cxl_topo_parse_size(v, &x) ||
			    (!strcmp(k, "size") && isdigit((unsigned char)v[strlen(v) - 1]) &&
			     x > (UINT64_MAX >> 20))) {
				rc = werr(c, w, pos, CXL_ERR_VALUE, "bad size '%s' for -m %s", v ? v : "", k);
				break;
			}
			if (!strcmp(k, "size")) {
				if (isdigit((unsigned char)v[strlen(v) - 1]))
					x <<= 20;
				c->ram = x;
			} else {
				c->maxmem = x;
				c->has_maxmem = true;
			}
		}
	}
	items_free(it, n);
	return rc;
}

/* -cpu MODEL,phys-bits=N,host-phys-bits=on|off. */
static enum cxl_err parse_cpu(struct ctx *c, const struct word *w)
{
	struct item *it;
	size_t n;
	enum cxl_err rc = CXL_OK;

	if (!split_items(w, &it, &n))
		return werr(c, w, 0, CXL_ERR_LIMIT, "out of memory");
	for (size_t i = 1; i < n && !rc; i++) {
		uint64_t v;

		if (!strcmp(it[i].key, "phys-bits")) {
			if (!it[i].val || parse_u64(it[i].val, &v) || v < 32 || v > 64)
				rc = werr(c, w, it[i].val ? it[i].vpos : it[i].kpos, CXL_ERR_VALUE,
					  "bad phys-bits '%s' (32..64)", it[i].val ? it[i].val : "");
			else
				c->phys_bits = (unsigned)v;
		} else if (!strcmp(it[i].key, "host-phys-bits")) {
			c->host_phys_bits = parse_bool(it[i].val) == 1;
		}
	}
	items_free(it, n);
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* -device / device_add.                                                                        */

static const struct { const char *driver; enum cxl_topo_dev_kind kind; } drivers[] = {
	{ "pxb-cxl", CXL_TOPO_DEV_HOST_BRIDGE },
	{ "cxl-rp", CXL_TOPO_DEV_ROOT_PORT },
	{ "cxl-upstream", CXL_TOPO_DEV_SWITCH_UP },
	{ "cxl-downstream", CXL_TOPO_DEV_SWITCH_DOWN },
	{ "cxl-type3", CXL_TOPO_DEV_TYPE3 },
	{ "vfio-pci", CXL_TOPO_DEV_VFIO },
	{ "vfio-pci-nohotplug", CXL_TOPO_DEV_VFIO },
};

/* The index of the device with id @id among the first @n, or -1. */
static int find_id(const struct cxl_topo *t, const char *id, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (t->devs[i].id[0] && !strcmp(t->devs[i].id, id))
			return (int)i;
	return -1;
}

/* An "unknown bus" error at @pos of @w with the nearest known bus. */
static enum cxl_err unknown_bus(struct ctx *c, const struct word *w, size_t pos, const char *bus)
{
	const char *names[CXL_TOPO_MAX_DEVS + 1];
	unsigned n = 0;
	const char *near;

	names[n++] = "pcie.0";
	for (unsigned i = 0; i < c->t->ndevs; i++)
		if (c->t->devs[i].id[0])
			names[n++] = c->t->devs[i].id;
	near = nearest(bus, names, n);
	if (near)
		return werr(c, w, pos, CXL_ERR_UNKNOWN, "unknown bus '%s' (did you mean '%s'?)", bus, near);
	return werr(c, w, pos, CXL_ERR_UNKNOWN,
		    "unknown bus '%s' (no earlier -device has that id, and it is not pcie.0)", bus);
}

/* -device DRIVER,key=value,... (or device_add: @hotplug). */
static enum cxl_err parse_device(struct ctx *c, const struct word *w, bool hotplug,
				 const char *what)
{
	struct cxl_topo *t = c->t;
	struct cxl_topo_dev *d;
	struct item *it;
	size_t n, dpos = 0, bpos = 0;
	enum cxl_err rc = CXL_OK;
	const char *driver = NULL;
	bool has_bus = false;

	if (w->len && w->s[0] == '{')
		return werr(c, w, 0, CXL_ERR_VALUE,
			    "%s in JSON form is not read (write DRIVER,KEY=VALUE,...)", what);
	if (!split_items(w, &it, &n))
		return werr(c, w, 0, CXL_ERR_LIMIT, "out of memory");
	if (n && !it[0].val && it[0].key[0]) {
		driver = it[0].key;
		dpos = it[0].kpos;
	}
	for (size_t i = 0; i < n; i++)
		if (!strcmp(it[i].key, "driver") && it[i].val && it[i].val[0]) {
			driver = it[i].val;
			dpos = it[i].vpos;
		}
	if (!driver) {
		rc = werr(c, w, 0, CXL_ERR_VALUE, "%s without a driver (%s DRIVER,KEY=VALUE,...)",
			  what, what);
		goto out;
	}
	if (!strcmp(driver, "help") || !strcmp(driver, "?"))
		goto out;
	if (t->ndevs == CXL_TOPO_MAX_DEVS) {
		rc = werr(c, w, dpos, CXL_ERR_LIMIT, "more than %u devices", CXL_TOPO_MAX_DEVS);
		goto out;
	}
	d = &t->devs[t->ndevs];
	memset(d, 0, sizeof(*d));
	snprintf(d->driver, sizeof(d->driver), "%s", driver);
	snprintf(d->bus, sizeof(d->bus), "pcie.0");
	d->kind = CXL_TOPO_DEV_OTHER;
	for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++)
		if (!strcmp(driver, drivers[i].driver))
			d->kind = drivers[i].kind;
	d->parent = -1;
	d->port = -1;
	d->bus_nr = -1;
	d->host_bridge = -1;
	d->window = -1;
	d->hotplug = hotplug;
	d->line = w->line[dpos];
	d->col = w->col[dpos];
	for (size_t i = 0; i < n && !rc; i++) {
		const char *k = it[i].key, *v = it[i].val;
		uint64_t x;

		if (!v)
			continue;
		if (!strcmp(k, "id")) {
			int prev;

			if (!id_ok(v)) {
				rc = werr(c, w, it[i].vpos, CXL_ERR_VALUE,
					  "bad id '%s' (a letter, then letters, digits, '-', '.', '_'; at "
					  "most 63)", v);
				break;
			}
			if ((prev = find_id(t, v, t->ndevs)) >= 0) {
				rc = werr(c, w, it[i].vpos, CXL_ERR_VALUE,
					  "duplicate id '%s' (first given at %lu:%lu)", v,
					  t->devs[prev].line, t->devs[prev].col);
				break;
			}
			snprintf(d->id, sizeof(d->id), "%s", v);
		} else if (!strcmp(k, "bus")) {
			if (strlen(v) >= sizeof(d->bus)) {
				rc = werr(c, w, it[i].vpos, CXL_ERR_LIMIT, "bus name too long");
				break;
			}
			snprintf(d->bus, sizeof(d->bus), "%s", v);
			has_bus = true;
			bpos = it[i].vpos;
		} else if (d->kind == CXL_TOPO_DEV_OTHER) {
			continue;
		} else if (!strcmp(k, "port") || !strcmp(k, "bus_nr") ||
			   (!strcmp(k, "cxl-fmws-base") && d->kind == CXL_TOPO_DEV_VFIO)) {
			if (parse_u64(v, &x) || (strcmp(k, "cxl-fmws-base") && x > 255)) {
				rc = werr(c, w, it[i].vpos, CXL_ERR_VALUE, "bad number '%s' for %s%s", v, k,
					  strcmp(k, "cxl-fmws-base") ? " (0..255)" : "");
				break;
			}
			if (!strcmp(k, "port"))
				d->port = (int)x;
			else if (!strcmp(k, "bus_nr"))
				d->bus_nr = (int)x;
			else if (x) {
				d->has_fmws_base = true;
				d->fmws_base = x;
			}
		} else if (!strcmp(k, "host") && d->kind == CXL_TOPO_DEV_VFIO) {
			snprintf(d->host, sizeof(d->host), "%s", v);
		}
	}
	if (rc)
		goto out;
	if (has_bus && strcmp(d->bus, "pcie.0")) {
		d->parent = find_id(t, d->bus, t->ndevs);
		if (d->parent < 0 && d->kind != CXL_TOPO_DEV_OTHER) {
			rc = unknown_bus(c, w, bpos, d->bus);
			goto out;
		}
	}
	if (d->kind == CXL_TOPO_DEV_HOST_BRIDGE) {
		if (!d->id[0]) {
			rc = werr(c, w, dpos, CXL_ERR_VALUE,
				  "pxb-cxl without an id (windows name their host bridges by id)");
			goto out;
		}
		if (d->parent >= 0) {
			rc = werr(c, w, bpos, CXL_ERR_VALUE,
				  "pxb-cxl '%s' on bus '%s': a CXL host bridge sits on the root bus pcie.0",
				  d->id, d->bus);
			goto out;
		}
	}
	if (d->id[0]) {
		memcpy(d->name, d->id, sizeof(d->name));
	} else if (d->kind == CXL_TOPO_DEV_VFIO && d->host[0]) {
		/* a trace name ([A-Za-z0-9_.-]) made from the host address */
		char name[CXL_TOPO_ID_MAX + 8];

		snprintf(name, sizeof(name), "vfio-%s", d->host);
		for (char *p = name; *p; p++)
			if (!isalnum((unsigned char)*p) && !strchr("-._", *p))
				*p = '-';
		name[CXL_TOPO_ID_MAX - 1] = 0;
		memcpy(d->name, name, sizeof(d->name));
	} else {
		char name[CXL_TOPO_ID_MAX + 16];

		snprintf(name, sizeof(name), "%s-%u", driver, t->ndevs);
		name[CXL_TOPO_ID_MAX - 1] = 0;
		memcpy(d->name, name, sizeof(d->name));
	}
	t->ndevs++;
out:
	items_free(it, n);
	return rc;
}

/* Walks the words: the options this reader knows, device_add lines; everything else is skipped. */
static enum cxl_err parse_words(struct ctx *c)
{
	enum cxl_err rc;

	for (size_t i = 0; i < c->nw; i++) {
		struct word *w = &c->w[i];
		const char *o = w->s;

		if (w->bol && !strcmp(o, "(qemu)") && i + 1 < c->nw && !c->w[i + 1].bol) {
			c->w[i + 1].bol = true;   /* a monitor prompt before the command */
			continue;
		}
		if (w->bol && !strcmp(o, "device_add")) {
			if (i + 1 >= c->nw || c->w[i + 1].bol)
				return werr(c, w, w->len, CXL_ERR_VALUE,
					    "device_add without a driver (device_add DRIVER,KEY=VALUE,...)");
			if ((rc = parse_device(c, &c->w[++i], true, "device_add")))
				return rc;
			continue;
		}
		if (o[0] == '-' && o[1] == '-' && o[2])
			o++;
		if (!strcmp(o, "-machine") || !strcmp(o, "-M") || !strcmp(o, "-device") ||
		    !strcmp(o, "-m") || !strcmp(o, "-cpu")) {
			if (i + 1 >= c->nw)
				return werr(c, w, 0, CXL_ERR_VALUE, "'%s' needs an argument%s", w->s,
					    !strcmp(o, "-device") ? " (a driver and its properties)" : "");
			i++;
			if (!strcmp(o, "-device"))
				rc = parse_device(c, &c->w[i], false, "-device");
			else if (!strcmp(o, "-m"))
				rc = parse_mem(c, &c->w[i]);
			else if (!strcmp(o, "-cpu"))
				rc = parse_cpu(c, &c->w[i]);
			else
				rc = parse_machine(c, &c->w[i]);
			if (rc)
				return rc;
		}
	}
	return CXL_OK;
}

/* The windows from c->fmw: no gaps, a size and targets each, targets naming pxb-cxl ids. */
static enum cxl_err build_windows(struct ctx *c)
{
	struct cxl_topo *t = c->t;
	unsigned last = 0;
	bool any = false;

	for (unsigned i = 0; i < CXL_TOPO_MAX_WINDOWS; i++)
		if (c->fmw[i].seen) {
			last = i;
			any = true;
		}
	if (!any)
		return CXL_OK;
	for (unsigned i = 0; i <= last; i++) {
		struct fmw *f = &c->fmw[i];
		struct cxl_topo_window *win = &t->windows[i];
		unsigned nt = 0, tl = 0;

		if (!f->seen) {
			unsigned j = i + 1;

			while (!c->fmw[j].seen)
				j++;
			return perr(c, c->fmw[j].line, c->fmw[j].col, CXL_ERR_VALUE,
				    "cxl-fmw.%u is given but cxl-fmw.%u is not: windows are numbered from 0 "
				    "without gaps", j, i);
		}
		for (unsigned k = 0; k < CXL_TOPO_MAX_TARGETS; k++)
			if (f->tseen[k])
				tl = k + 1;
		for (unsigned k = 0; k < tl; k++)
			if (!f->tseen[k]) {
				unsigned j = k + 1;

				while (!f->tseen[j])
					j++;
				return perr(c, f->tline[j], f->tcol[j], CXL_ERR_VALUE,
					    "cxl-fmw.%u.targets.%u is given but cxl-fmw.%u.targets.%u is not: "
					    "targets are numbered from 0 without gaps", i, j, i, k);
			}
		nt = tl;
		if (!nt)
			return perr(c, f->line, f->col, CXL_ERR_VALUE,
				    "window cxl-fmw.%u has no targets (cxl-fmw.%u.targets.0=HOST-BRIDGE-ID)",
				    i, i);
		if (!f->has_size)
			return perr(c, f->line, f->col, CXL_ERR_VALUE,
				    "window cxl-fmw.%u has no size (cxl-fmw.%u.size=SIZE)", i, i);
		/* CXL r3.1 §9.18.1.3 Encoded Number of Interleave Ways: 1, 2, 4, 8, 16, 3, 6, 12 */
		if (nt != 1 && nt != 2 && nt != 3 && nt != 4 && nt != 6 && nt != 8 && nt != 12 && nt != 16)
			return perr(c, f->line, f->col, CXL_ERR_VALUE,
				    "window cxl-fmw.%u has %u targets: not an interleave ways count (1, 2, "
				    "3, 4, 6, 8, 12 or 16, CXL r3.1 §9.18.1.3)", i, nt);
		win->index = i;
		win->size = f->size;
		win->granularity = f->has_gran ? f->gran : 256;
		win->ntargets = nt;
		win->line = f->line;
		win->col = f->col;
		for (unsigned k = 0; k < nt; k++) {
			int d = find_id(t, f->target[k], t->ndevs);

			if (d < 0 || t->devs[d].kind != CXL_TOPO_DEV_HOST_BRIDGE || t->devs[d].hotplug) {
				const char *names[CXL_TOPO_MAX_DEVS];
				unsigned nn = 0;
				const char *near;

				for (unsigned j = 0; j < t->ndevs; j++)
					if (t->devs[j].kind == CXL_TOPO_DEV_HOST_BRIDGE)
						names[nn++] = t->devs[j].id;
				near = nearest(f->target[k], names, nn);
				if (near)
					return perr(c, f->tline[k], f->tcol[k], CXL_ERR_UNKNOWN,
						    "cxl-fmw.%u.targets.%u: no pxb-cxl host bridge '%s' (did "
						    "you mean '%s'?)", i, k, f->target[k], near);
				return perr(c, f->tline[k], f->tcol[k], CXL_ERR_UNKNOWN,
					    "cxl-fmw.%u.targets.%u: no pxb-cxl host bridge '%s'%s", i, k,
					    f->target[k], d >= 0 ? " (that id is not a pxb-cxl)" : "");
			}
			snprintf(win->targets[k], sizeof(win->targets[k]), "%s", f->target[k]);
		}
	}
	t->nwindows = last + 1;
	return CXL_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Placement.                                                                                   */

/*
 * Where QEMU starts the windows (t->fmw_start) and the address they must end below
 * (t->max_addr), from the machine type, -m, -cpu and the highmem options, or --fmw-base.
 * CXL_ERR_USAGE when it cannot be computed: the message says why and asks for --fmw-base.
 */
static enum cxl_err window_start(struct ctx *c, const struct cxl_topo_opts *o)
{
	struct cxl_topo *t = c->t;
	const char *mt = t->machine_type;
	uint64_t ram = c->ram ? c->ram : 128 * MiB;   /* QEMU's default -m for both machines */
	uint64_t maxmem = c->has_maxmem ? c->maxmem : ram;
	char h[32];

	t->machine = o->machine;
	if (t->machine == CXL_TOPO_MACHINE_AUTO) {
		if (!strcmp(mt, "q35") || !strncmp(mt, "pc-q35-", 7))
			t->machine = CXL_TOPO_MACHINE_Q35;
		else if (!strcmp(mt, "virt") || !strncmp(mt, "virt-", 5))
			t->machine = CXL_TOPO_MACHINE_VIRT;
		else if (mt[0])
			return cxl_error_set(c->err, CXL_ERR_USAGE, c->file, 0, 0,
					     "machine '%s' is neither q35 nor virt: give --machine q35 or virt",
					     mt);
		else
			return cxl_error_set(c->err, CXL_ERR_USAGE, c->file, 0, 0,
					     "the command line names no machine type (-machine TYPE): give "
					     "--machine q35 or virt");
	}
	if (o->phys_bits)
		t->phys_bits = o->phys_bits;
	else if (c->phys_bits)
		t->phys_bits = c->phys_bits;
	else if (c->host_phys_bits)
		return cxl_error_set(c->err, CXL_ERR_USAGE, c->file, 0, 0,
				     "-cpu host-phys-bits=on: the host's address width decides which "
				     "windows fit; give --phys-bits N");
	else
		/* q35: QEMU's x86 default phys-bits (40); virt: a 48-bit IPA (the KVM hosts the
		 * seeds use). Neither is verified for every accelerator: --phys-bits overrides. */
		t->phys_bits = t->machine == CXL_TOPO_MACHINE_Q35 ? 40 : 48;
	/* q35 passes maxphysaddr = 2^phys-bits - 1; virt passes BIT_ULL(pa_bits) */
	t->max_addr = t->phys_bits >= 64 ? UINT64_MAX :
		      (1ULL << t->phys_bits) - (t->machine == CXL_TOPO_MACHINE_Q35 ? 1 : 0);
	if (o->has_fmw_base) {
		t->fmw_start = o->fmw_base;
		snprintf(t->start_why, sizeof(t->start_why), "--fmw-base");
		return CXL_OK;
	}
	if (maxmem > ram)
		return cxl_error_set(c->err, CXL_ERR_USAGE, c->file, 0, 0,
				     "-m maxmem above size puts the windows after device memory, whose "
				     "end this tool does not compute: give --fmw-base ADDR");
	if (t->machine == CXL_TOPO_MACHINE_Q35) {
		/* hw/i386/pc.c: RAM below 4 GiB up to 0x80000000 when there is at least
		 * 0xb0000000 of it, else up to 0xb0000000; the rest above 4 GiB. The windows
		 * start at ROUND_UP(end of RAM above 4 GiB + 1 MiB (the CXL host register
		 * region), 256 MiB). */
		uint64_t lowmem = ram >= 0xb0000000ULL ? 0x80000000ULL : 0xb0000000ULL;
		uint64_t above = ram > lowmem ? ram - lowmem : 0, end = 4 * GiB + above;

		t->fmw_start = (end + MiB + FMW_ALIGN - 1) & ~(FMW_ALIGN - 1);
		human(h, sizeof(h), ram);
		snprintf(t->start_why, sizeof(t->start_why),
			 "q35 -m %s: RAM above 4 GiB ends at 0x%llx; + 1 MiB CXL host registers, "
			 "rounded up to 256 MiB", h, (unsigned long long)end);
		return CXL_OK;
	}
	/* virt */
	if (c->highmem_off)
		return cxl_error_set(c->err, CXL_ERR_USAGE, c->file, 0, 0,
				     "%s=off changes the virt highmem layout, which this tool does not "
				     "compute: give --fmw-base ADDR", c->highmem_off_key);
	if (GiB + ram > 256 * GiB)
		return cxl_error_set(c->err, CXL_ERR_USAGE, c->file, 0, 0,
				     "virt RAM ends above 256 GiB, where this tool stops computing the "
				     "highmem layout: give --fmw-base ADDR");
	{
		/* hw/arm/virt.c: RAM at 1 GiB ends below 256 GiB, so the highmem regions float
		 * from 256 GiB, each at ROUND_UP(base, its size): Redistributor 64 MiB at 256 GiB,
		 * ECAM 256 MiB at 256 GiB + 256 MiB, then the PCIe MMIO of highmem-mmio-size S
		 * (>= 512 GiB, a power of 2) at ROUND_UP(256.5 GiB, S) = S; it ends at 2 S, and
		 * the windows start at ROUND_UP(2 S, 256 MiB) = 2 S. */
		uint64_t s = c->has_mmio_size ? c->mmio_size : 512 * GiB;

		if (s > UINT64_MAX / 2 || 2 * s > t->max_addr)
			return cxl_error_set(c->err, CXL_ERR_USAGE, c->file, 0, 0,
					     "the virt high PCIe MMIO region does not fit %u address bits, "
					     "which changes the layout: give --fmw-base ADDR or --phys-bits N",
					     t->phys_bits);
		t->fmw_start = 2 * s;
		human(h, sizeof(h), s);
		snprintf(t->start_why, sizeof(t->start_why),
			 "virt highmem-mmio-size %s%s: the high PCIe MMIO region is [0x%llx, 0x%llx)", h,
			 c->has_mmio_size ? "" : " (the default)", (unsigned long long)s,
			 (unsigned long long)(2 * s));
	}
	return CXL_OK;
}

/* cxl_fmws_set_memmap(): in cxl-fmw.N order, a window that fits gets the base and advances it. */
static void place(struct cxl_topo *t)
{
	uint64_t base = t->fmw_start;

	for (unsigned i = 0; i < t->nwindows; i++) {
		struct cxl_topo_window *w = &t->windows[i];

		w->placed = false;
		if (base <= t->max_addr && w->size <= t->max_addr - base) {
			w->base = base;
			w->placed = true;
			base += w->size;
		}
	}
}

/* ------------------------------------------------------------------------------------------ */
/* Judging the passthrough devices.                                                             */

/* Whether window @w targets host bridge @hb. */
static bool targets(const struct cxl_topo_window *w, const char *hb)
{
	for (unsigned k = 0; k < w->ntargets; k++)
		if (!strcmp(w->targets[k], hb))
			return true;
	return false;
}

/* Appends ", NAME" (or "NAME" first) to @buf. */
static void list_add(char *buf, size_t len, const char *name)
{
	size_t n = strlen(buf);

	snprintf(buf + n, len - n, "%s%s", n ? ", " : "", name);
}

/* Refuses device @d for @r with the message @fmt. */
static void refuse(struct cxl_topo_dev *d, enum cxl_topo_refusal r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void refuse(struct cxl_topo_dev *d, enum cxl_topo_refusal r, const char *fmt, ...)
{
	va_list ap;

	d->status = CXL_TOPO_REFUSED;
	d->refusal = r;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
}

/* The vfio-cxl selection rules (seed 000), for device @i. */
static void judge_one(struct cxl_topo *t, unsigned i)
{
	struct cxl_topo_dev *d = &t->devs[i];
	const struct cxl_topo_window *w;
	char list[256] = "", a[32], b[32];
	unsigned matches = 0, peers = 0;
	const char *hb;

	if (d->hotplug) {
		refuse(d, CXL_TOPO_HOTPLUG,
		       "hot-plugged with device_add: vfio-cxl programs decoder 0 when the machine is "
		       "created, which has passed; device_add must fail with an error and the VM "
		       "keep running");
		return;
	}
	if (d->host_bridge < 0) {
		refuse(d, CXL_TOPO_NO_HOST_BRIDGE,
		       "not below a pxb-cxl host bridge (bus %s), so no CXL window can target it", d->bus);
		return;
	}
	hb = t->devs[d->host_bridge].id;
	for (unsigned k = 0; k < t->nwindows; k++)
		if (targets(&t->windows[k], hb)) {
			char n[32];

			snprintf(n, sizeof(n), "cxl-fmw.%u", k);
			list_add(list, sizeof(list), n);
			if (!matches++)
				d->window = (int)k;
		}
	if (!matches) {
		if (t->nwindows == 1) {
			for (unsigned k = 0; k < t->windows[0].ntargets; k++)
				list_add(list, sizeof(list), t->windows[0].targets[k]);
			refuse(d, CXL_TOPO_NO_WINDOW,
			       "no CXL window targets its host bridge %s (the only window, cxl-fmw.0, "
			       "targets %s)", hb, list);
		}
		else
			refuse(d, CXL_TOPO_NO_WINDOW, "no CXL window targets its host bridge %s%s", hb,
			       t->nwindows ? "" : " (the machine has no cxl-fmw windows)");
		return;
	}
	if (matches > 1) {
		d->window = -1;
		refuse(d, CXL_TOPO_AMBIGUOUS,
		       "its host bridge %s is a target of %u windows (%s): which one is ambiguous",
		       hb, matches, list);
		return;
	}
	w = &t->windows[d->window];
	if (w->ntargets > 1) {
		list[0] = 0;
		for (unsigned k = 0; k < w->ntargets; k++)
			list_add(list, sizeof(list), w->targets[k]);
		refuse(d, CXL_TOPO_INTERLEAVED,
		       "window cxl-fmw.%u interleaves %u host bridges (%s): the flat 1:1 DPA mapping "
		       "cannot honour interleave ways and granularity", w->index, w->ntargets, list);
		return;
	}
	if (!w->placed) {
		human(a, sizeof(a), w->size);
		refuse(d, CXL_TOPO_NO_BASE,
		       "window cxl-fmw.%u has no base: its %s did not fit below 0x%llx (%u address bits)",
		       w->index, a, (unsigned long long)t->max_addr + (t->machine == CXL_TOPO_MACHINE_Q35),
		       t->phys_bits);
		return;
	}
	if (d->dpa_size && w->size < d->dpa_size) {
		human(a, sizeof(a), w->size);
		human(b, sizeof(b), d->dpa_size);
		refuse(d, CXL_TOPO_TOO_SMALL,
		       "window cxl-fmw.%u (%s) is smaller than its memory (%s): the guest would reach "
		       "device memory outside the window CEDT describes", w->index, a, b);
		return;
	}
	list[0] = 0;
	for (unsigned k = 0; k < t->ndevs; k++) {
		const struct cxl_topo_dev *e = &t->devs[k];

		if (e->kind == CXL_TOPO_DEV_VFIO && !e->hotplug && e->host_bridge == d->host_bridge &&
		    e->status != CXL_TOPO_NOT_CXL) {
			list_add(list, sizeof(list), e->name);
			peers++;
		}
	}
	if (peers > 1) {
		refuse(d, CXL_TOPO_MULTI_ENDPOINT,
		       "more than one passthrough endpoint below host bridge %s (%s): one vfio-cxl "
		       "endpoint per pxb-cxl", hb, list);
		return;
	}
	d->decoder_base = w->base;
	d->decoder_size = d->dpa_size ? d->dpa_size : w->size;
	if (d->has_fmws_base) {
		/* seed 003: setup_locked_hdm() uses the cxl-fmws-base property when it is set */
		if (d->fmws_base % FMW_ALIGN) {
			refuse(d, CXL_TOPO_BAD_FMWS_BASE,
			       "cxl-fmws-base 0x%llx is not 256 MiB aligned: Base Low keeps address bits "
			       "31:28 only, so decoder 0 would decode from 0x%llx",
			       (unsigned long long)d->fmws_base,
			       (unsigned long long)(d->fmws_base & ~(FMW_ALIGN - 1)));
			return;
		}
		if (!d->dpa_size)
			d->decoder_size = d->fmws_base >= w->base && d->fmws_base < w->base + w->size ?
					  w->base + w->size - d->fmws_base : FMW_ALIGN;
		if (d->fmws_base < w->base || d->fmws_base - w->base > w->size ||
		    d->decoder_size > w->size - (d->fmws_base - w->base)) {
			refuse(d, CXL_TOPO_BAD_FMWS_BASE,
			       "cxl-fmws-base 0x%llx puts decoder 0 outside window cxl-fmw.%u "
			       "[0x%llx, 0x%llx)", (unsigned long long)d->fmws_base, w->index,
			       (unsigned long long)w->base, (unsigned long long)(w->base + w->size));
			return;
		}
		d->decoder_base = d->fmws_base;
	}
	d->status = CXL_TOPO_PLACED;
}

/* Finds each vfio device's host bridge and --dpa-size, then judges them. */
static enum cxl_err judge(struct ctx *c, const struct cxl_topo_opts *o)
{
	struct cxl_topo *t = c->t;

	for (unsigned k = 0; k < o->ndpa; k++) {
		bool found = false;

		for (unsigned i = 0; i < t->ndevs; i++) {
			struct cxl_topo_dev *d = &t->devs[i];

			if (d->kind == CXL_TOPO_DEV_VFIO &&
			    (!strcmp(d->name, o->dpa[k].id) || (d->host[0] && !strcmp(d->host, o->dpa[k].id)))) {
				d->dpa_size = o->dpa[k].size;
				found = true;
			}
		}
		if (!found) {
			const char *names[CXL_TOPO_MAX_DEVS];
			unsigned nn = 0;
			const char *near;

			for (unsigned i = 0; i < t->ndevs; i++)
				if (t->devs[i].kind == CXL_TOPO_DEV_VFIO)
					names[nn++] = t->devs[i].name;
			near = nearest(o->dpa[k].id, names, nn);
			return cxl_error_set(c->err, CXL_ERR_USAGE, NULL, 0, 0,
					     "--dpa-size %s: no vfio-pci device has that id or host address%s%s%s",
					     o->dpa[k].id, near ? " (did you mean '" : "", near ? near : "",
					     near ? "'?)" : "");
		}
	}
	for (unsigned i = 0; i < t->ndevs; i++) {
		struct cxl_topo_dev *d = &t->devs[i];
		int p;

		if (d->kind != CXL_TOPO_DEV_VFIO)
			continue;
		for (p = d->parent; p >= 0; p = t->devs[p].parent)
			if (t->devs[p].kind == CXL_TOPO_DEV_HOST_BRIDGE) {
				d->host_bridge = p;
				break;
			}
		if (d->host_bridge < 0 && !d->dpa_size && !d->has_fmws_base)
			d->status = CXL_TOPO_NOT_CXL;
	}
	for (unsigned i = 0; i < t->ndevs; i++) {
		struct cxl_topo_dev *d = &t->devs[i];

		if (d->kind != CXL_TOPO_DEV_VFIO || d->status == CXL_TOPO_NOT_CXL)
			continue;
		judge_one(t, i);
		t->npassthrough++;
		if (d->status == CXL_TOPO_PLACED)
			t->nplaced++;
		else
			t->nrefused++;
	}
	return CXL_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Entry points.                                                                                */

CXL_EXPORT void cxl_topo_opts_init(struct cxl_topo_opts *o)
{
	memset(o, 0, sizeof(*o));
}

CXL_EXPORT void cxl_topo_free(struct cxl_topo *t)
{
	free(t);
}

CXL_EXPORT enum cxl_err cxl_topo_read_text(const char *file, const char *text, size_t len,
					   const struct cxl_topo_opts *o, struct cxl_topo **out,
					   struct cxl_error *err)
{
	struct ctx *c = calloc(1, sizeof(*c));
	struct cxl_topo *t = calloc(1, sizeof(*t));
	enum cxl_err rc;

	if (!c || !t) {
		free(c);
		free(t);
		return cxl_error_set(err, CXL_ERR_LIMIT, file, 0, 0, "out of memory");
	}
	snprintf(t->file, sizeof(t->file), "%s", file);
	c->file = t->file;
	c->err = err;
	c->t = t;
	rc = lex(c, text, len);
	if (!rc)
		rc = parse_words(c);
	if (!rc)
		rc = build_windows(c);
	if (!rc && !c->cxl_on) {
		/* cxl-host.c: "CXL host bridges present, but cxl=off" is fatal */
		for (unsigned i = 0; i < t->ndevs && !rc; i++)
			if (t->devs[i].kind == CXL_TOPO_DEV_HOST_BRIDGE)
				rc = perr(c, t->devs[i].line, t->devs[i].col, CXL_ERR_VALUE,
					  "pxb-cxl '%s' needs -machine cxl=on%s", t->devs[i].id,
					  c->cxl_given ? " (it is off)" : "");
		if (!rc && t->nwindows)
			rc = perr(c, c->first_fmw_line, c->first_fmw_col, CXL_ERR_VALUE,
				  "cxl-fmw windows need -machine cxl=on%s", c->cxl_given ? " (it is off)" : "");
	}
	if (!rc && o->has_fmw_base && o->fmw_base % FMW_ALIGN)
		rc = cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0,
				   "--fmw-base 0x%llx is not 256 MiB aligned", (unsigned long long)o->fmw_base);
	if (!rc)
		rc = window_start(c, o);
	if (!rc) {
		place(t);
		rc = judge(c, o);
	}
	for (size_t i = 0; i < c->nw; i++) {
		free(c->w[i].s);
		free(c->w[i].line);
		free(c->w[i].col);
	}
	free(c->w);
	free(c);
	if (rc) {
		free(t);
		return rc;
	}
	*out = t;
	return CXL_OK;
}

CXL_EXPORT enum cxl_err cxl_topo_read_file(const char *path, const struct cxl_topo_opts *o,
					   struct cxl_topo **out, struct cxl_error *err)
{
	bool in = !strcmp(path, "-");
	const char *name = in ? "<stdin>" : path;
	FILE *f = in ? stdin : fopen(path, "rb");
	size_t len = 0, cap = 0;
	char *buf = NULL;
	enum cxl_err rc;

	if (!f)
		return cxl_error_set(err, CXL_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
	for (;;) {
		size_t n;

		if (len == cap) {
			char *nb;

			if (cap >= MAX_INPUT) {
				free(buf);
				if (!in)
					fclose(f);
				return cxl_error_set(err, CXL_ERR_LIMIT, name, 0, 0,
						     "larger than 16 MiB: not a command line");
			}
			cap = cap ? cap * 2 : 65536;
			if (!(nb = realloc(buf, cap))) {
				free(buf);
				if (!in)
					fclose(f);
				return cxl_error_set(err, CXL_ERR_LIMIT, name, 0, 0, "out of memory");
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		if (!in)
			fclose(f);
		return cxl_error_set(err, CXL_ERR_IO, name, 0, 0, "read error");
	}
	if (!in)
		fclose(f);
	rc = cxl_topo_read_text(name, buf ? buf : "", len, o, out, err);
	free(buf);
	return rc;
}

CXL_EXPORT const char *cxl_topo_refusal_name(enum cxl_topo_refusal r)
{
	static const char *const names[] = {
		[CXL_TOPO_OK] = "",
		[CXL_TOPO_HOTPLUG] = "hotplug",
		[CXL_TOPO_NO_HOST_BRIDGE] = "no-host-bridge",
		[CXL_TOPO_NO_WINDOW] = "no-window",
		[CXL_TOPO_AMBIGUOUS] = "ambiguous",
		[CXL_TOPO_INTERLEAVED] = "interleaved",
		[CXL_TOPO_NO_BASE] = "no-base",
		[CXL_TOPO_TOO_SMALL] = "too-small",
		[CXL_TOPO_MULTI_ENDPOINT] = "multi-endpoint",
		[CXL_TOPO_BAD_FMWS_BASE] = "bad-fmws-base",
	};

	return (unsigned)r < sizeof(names) / sizeof(names[0]) ? names[r] : "";
}

/* ------------------------------------------------------------------------------------------ */
/* Writers.                                                                                     */

static const char *machine_name(enum cxl_topo_machine m)
{
	return m == CXL_TOPO_MACHINE_Q35 ? "q35" : m == CXL_TOPO_MACHINE_VIRT ? "virt" : "unknown";
}

CXL_EXPORT void cxl_topo_write_text(const struct cxl_topo *t, FILE *f)
{
	char h[32];

	fprintf(f, "machine %s: windows from 0x%llx (%s), below 2^%u (%u physical address bits)\n",
		machine_name(t->machine), (unsigned long long)t->fmw_start, t->start_why,
		t->phys_bits, t->phys_bits);
	for (unsigned i = 0; i < t->nwindows; i++) {
		const struct cxl_topo_window *w = &t->windows[i];

		human(h, sizeof(h), w->size);
		fprintf(f, "window cxl-fmw.%u: ", w->index);
		if (w->placed)
			fprintf(f, "base 0x%llx", (unsigned long long)w->base);
		else
			fprintf(f, "no base (does not fit)");
		fprintf(f, ", size 0x%llx (%s), granularity %u, targets ", (unsigned long long)w->size,
			h, w->granularity);
		for (unsigned k = 0; k < w->ntargets; k++)
			fprintf(f, "%s%s", k ? " " : "", w->targets[k]);
		fputc('\n', f);
	}
	for (unsigned i = 0; i < t->ndevs; i++) {
		const struct cxl_topo_dev *d = &t->devs[i];

		if (d->kind != CXL_TOPO_DEV_VFIO)
			continue;
		fprintf(f, "device %s (%s%s%s%s): ", d->name, d->driver, d->host[0] ? ", host " : "",
			d->host, d->hotplug ? ", device_add" : "");
		if (d->status == CXL_TOPO_NOT_CXL) {
			fprintf(f, "not below a pxb-cxl host bridge: plain PCIe passthrough, not judged\n");
			continue;
		}
		if (d->status == CXL_TOPO_REFUSED) {
			fprintf(f, "refused [%s]: %s\n", cxl_topo_refusal_name(d->refusal), d->msg);
			continue;
		}
		fprintf(f, "host bridge %s, window cxl-fmw.%u, decoder 0 base 0x%llx size 0x%llx\n",
			t->devs[d->host_bridge].id, t->windows[d->window].index,
			(unsigned long long)d->decoder_base, (unsigned long long)d->decoder_size);
	}
	fprintf(f, "%u passthrough device%s: %u placed, %u refused\n", t->npassthrough,
		t->npassthrough == 1 ? "" : "s", t->nplaced, t->nrefused);
}

/* @s as a JSON string. */
static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

CXL_EXPORT void cxl_topo_write_json(const struct cxl_topo *t, FILE *f)
{
	bool first = true;

	fprintf(f, "{\"file\":");
	json_str(f, t->file);
	fprintf(f, ",\"machine\":\"%s\",\"machine_type\":", machine_name(t->machine));
	json_str(f, t->machine_type);
	fprintf(f, ",\"fmw_start\":%llu,\"fmw_start_from\":", (unsigned long long)t->fmw_start);
	json_str(f, t->start_why);
	fprintf(f, ",\"phys_bits\":%u,\"windows\":[", t->phys_bits);
	for (unsigned i = 0; i < t->nwindows; i++) {
		const struct cxl_topo_window *w = &t->windows[i];

		fprintf(f, "%s{\"name\":\"cxl-fmw.%u\",\"index\":%u,\"base\":", i ? "," : "", w->index,
			w->index);
		if (w->placed)
			fprintf(f, "%llu", (unsigned long long)w->base);
		else
			fprintf(f, "null");
		fprintf(f, ",\"size\":%llu,\"granularity\":%u,\"targets\":[", (unsigned long long)w->size,
			w->granularity);
		for (unsigned k = 0; k < w->ntargets; k++) {
			if (k)
				fputc(',', f);
			json_str(f, w->targets[k]);
		}
		fprintf(f, "]}");
	}
	fprintf(f, "],\"devices\":[");
	for (unsigned i = 0; i < t->ndevs; i++) {
		const struct cxl_topo_dev *d = &t->devs[i];
		bool placed = d->status == CXL_TOPO_PLACED;

		if (d->kind != CXL_TOPO_DEV_VFIO)
			continue;
		fprintf(f, "%s{\"name\":", first ? "" : ",");
		first = false;
		json_str(f, d->name);
		fprintf(f, ",\"id\":");
		json_str(f, d->id);
		fprintf(f, ",\"driver\":");
		json_str(f, d->driver);
		fprintf(f, ",\"host\":");
		json_str(f, d->host);
		fprintf(f, ",\"bus\":");
		json_str(f, d->bus);
		fprintf(f, ",\"hotplugged\":%s,\"host_bridge\":", d->hotplug ? "true" : "false");
		if (d->host_bridge >= 0)
			json_str(f, t->devs[d->host_bridge].id);
		else
			fprintf(f, "null");
		if (d->window >= 0)
			fprintf(f, ",\"window\":\"cxl-fmw.%u\"", t->windows[d->window].index);
		else
			fprintf(f, ",\"window\":null");
		if (d->dpa_size)
			fprintf(f, ",\"dpa_size\":%llu", (unsigned long long)d->dpa_size);
		else
			fprintf(f, ",\"dpa_size\":null");
		fprintf(f, ",\"status\":\"%s\"", placed ? "placed" : d->status == CXL_TOPO_REFUSED ?
			"refused" : "not-cxl");
		if (d->status == CXL_TOPO_REFUSED) {
			fprintf(f, ",\"refusal\":\"%s\",\"message\":", cxl_topo_refusal_name(d->refusal));
			json_str(f, d->msg);
		} else
			fprintf(f, ",\"refusal\":null,\"message\":null");
		if (placed)
			fprintf(f, ",\"decoder0_base\":%llu,\"decoder0_size\":%llu}",
				(unsigned long long)d->decoder_base, (unsigned long long)d->decoder_size);
		else
			fprintf(f, ",\"decoder0_base\":null,\"decoder0_size\":null}");
	}
	fprintf(f, "],\"passthrough\":%u,\"placed\":%u,\"refused\":%u}\n", t->npassthrough,
		t->nplaced, t->nrefused);
}

/* The nearest ancestor of device @i that is a CXL port or host bridge, or -1. */
static int cxl_parent(const struct cxl_topo *t, unsigned i)
{
	for (int p = t->devs[i].parent; p >= 0; p = t->devs[p].parent) {
		enum cxl_topo_dev_kind k = t->devs[p].kind;

		if (k == CXL_TOPO_DEV_HOST_BRIDGE || k == CXL_TOPO_DEV_ROOT_PORT || k == CXL_TOPO_DEV_SWITCH_UP ||
		    k == CXL_TOPO_DEV_SWITCH_DOWN)
			return p;
	}
	return -1;
}

/* A comment line: printable ASCII of @s only (the trace format keeps comments so). */
static void comment_text(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s >= 0x20 && *s < 0x7f ? *s : '?', f);
}

/* The device model and view of an emitted passthrough device (spec/models, vocabulary views). */
#define EMIT_MODEL "type2-accel"
#define EMIT_VIEW "comp-regs-v2"

/* Decoder 0 of EMIT_MODEL as EMIT_VIEW counts its offsets, and the bits written, from spec/. */
struct dec0 {
	uint32_t base_lo, base_hi, size_lo, size_hi, ctrl;   /* offsets in the view */
	uint64_t base_lo_mask, size_lo_mask;                 /* Memory_Base_Low, Memory_Size_Low */
	uint64_t commit, lock, committed;                    /* Control: Commit, Lock_On_Commit, Committed */
};

/* The bits of field @field of register @ri of @d; 0 when it has none of that name. */
static uint64_t field_mask(const struct cxl_device *d, int ri, const char *field)
{
	for (unsigned j = 0; ri >= 0 && j < cxl_device_reg_nfields(d, (unsigned)ri); j++) {
		const char *name, *lock;
		unsigned lo, hi, access;
		uint64_t reset;

		if (cxl_device_field_info(d, (unsigned)ri, j, &name, &lo, &hi, &access, &lock, &reset) &&
		    !strcmp(name, field))
			return (hi >= 63 ? ~0ULL : (1ULL << (hi + 1)) - 1) & ~((1ULL << lo) - 1);
	}
	return 0;
}

/*
 * Resolves decoder 0's registers and bits by name in the model (CXL r3.1 §8.2.4.20.5-7; the
 * layout of spec/models/type2-accel.yaml and the view's base of spec/vocabulary.yaml), so no
 * register fact is written here. Fails only if spec/ no longer has them.
 */
static enum cxl_err resolve_dec0(struct dec0 *r, const char *file, struct cxl_error *err)
{
	static const char *const regs[5] = {
		"HDM Decoder 0 Base Low", "HDM Decoder 0 Base High", "HDM Decoder 0 Size Low",
		"HDM Decoder 0 Size High", "HDM Decoder 0 Control",
	};
	uint32_t *offs[5] = { &r->base_lo, &r->base_hi, &r->size_lo, &r->size_hi, &r->ctrl };
	int model = cxl_model_lookup(EMIT_MODEL), view = cxl_view_parse(EMIT_VIEW), ri[5];
	struct cxl_device *d = NULL;
	int64_t base = 0;
	enum cxl_err e = CXL_OK;

	if (model < 0 || view < 0 || !cxl_model_view_base((unsigned)model, (unsigned)view, &base) ||
	    cxl_device_create("emit", EMIT_MODEL, NULL, NULL, &d, err))
		return cxl_error_set(err, CXL_ERR_UNKNOWN, file, 0, 0, "the model " EMIT_MODEL
				     " or its view " EMIT_VIEW " is missing from spec/");
	for (unsigned k = 0; k < 5 && !e; k++) {
		unsigned space;
		uint32_t off;
		const char *name;
		uint64_t value;

		ri[k] = cxl_device_find_reg(d, regs[k]);
		if (ri[k] < 0 || !cxl_device_reg_info(d, (unsigned)ri[k], &space, &off, &name, &value) ||
		    (int64_t)off < base)
			e = cxl_error_set(err, CXL_ERR_UNKNOWN, file, 0, 0, "%s has no '%s' in its view "
					  EMIT_VIEW, EMIT_MODEL, regs[k]);
		else
			*offs[k] = (uint32_t)((int64_t)off - base);
	}
	if (!e) {
		r->base_lo_mask = field_mask(d, ri[0], "Memory_Base_Low");
		r->size_lo_mask = field_mask(d, ri[2], "Memory_Size_Low");
		r->commit = field_mask(d, ri[4], "Commit");
		r->lock = field_mask(d, ri[4], "Lock_On_Commit");
		r->committed = field_mask(d, ri[4], "Committed");
		if (!r->base_lo_mask || !r->size_lo_mask || !r->commit || !r->lock || !r->committed)
			e = cxl_error_set(err, CXL_ERR_UNKNOWN, file, 0, 0, "%s's decoder 0 fields are "
					  "missing from spec/", EMIT_MODEL);
	}
	cxl_device_destroy(d);
	return e;
}

CXL_EXPORT enum cxl_err cxl_topo_write_trace(const struct cxl_topo *t, FILE *f,
					     struct cxl_error *err)
{
	bool node[CXL_TOPO_MAX_DEVS] = { false };
	unsigned nnodes = 0, ndev = 0;
	struct dec0 r;
	enum cxl_err e;

	if ((e = resolve_dec0(&r, t->file, err)))
		return e;

	for (unsigned i = 0; i < t->ndevs; i++) {
		if (t->devs[i].status != CXL_TOPO_PLACED)
			continue;
		ndev++;
		for (int p = cxl_parent(t, i); p >= 0; p = cxl_parent(t, (unsigned)p))
			node[p] = true;
	}
	for (unsigned w = 0; w < t->nwindows; w++)
		for (unsigned k = 0; k < t->windows[w].ntargets; k++) {
			int d = find_id(t, t->windows[w].targets[k], t->ndevs);

			if (d >= 0)
				node[d] = true;
		}
	for (unsigned i = 0; i < t->ndevs; i++)
		nnodes += node[i];
	if (ndev > 64 || nnodes > 64)
		return cxl_error_set(err, CXL_ERR_LIMIT, t->file, 0, 0,
				     "%u devices and %u topology nodes: a trace holds at most 64 of each",
				     ndev, nnodes);

	fprintf(f, "cxl-trace: 1\n");
	fprintf(f, "description: \"cxlemu topo: QEMU setup_locked_hdm() of %u passthrough device%s "
		"(machine %s), each in its own CXL window\"\n", ndev, ndev == 1 ? "" : "s",
		machine_name(t->machine));
	fprintf(f, "# Written by `cxlemu topo --emit-trace` from ");
	comment_text(f, t->file);
	fprintf(f, ": windows placed from 0x%llx (", (unsigned long long)t->fmw_start);
	comment_text(f, t->start_why);
	fprintf(f, ").\n");
	fprintf(f,
		"# Each accepted vfio-cxl device gets the host-side decoder 0 programming of QEMU's\n"
		"# setup_locked_hdm() (NVIDIA QEMU, seed 003), at the base of the window that targets\n"
		"# its own pxb-cxl (PR #27, seed 000): read Control, write Base Low (base & 0xF0000000)\n"
		"# and Base High (base >> 32), the Size, then Control | Commit | Lock On Commit, and\n"
		"# read Committed back. The ops are the VMM's (flag vmm). The device is " EMIT_MODEL " in\n"
		"# view " EMIT_VIEW " (decoder 0's registers and bits as spec/ lays them out; CXL r3.1\n"
		"# §8.2.4.20.5-7); its decoder starts uncommitted, so the size (the --dpa-size, else the\n"
		"# window's) is written too.\n");
	fprintf(f, "profile: cxl-3.1\n");
	fprintf(f, "topology:\n  windows:\n");
	for (unsigned w = 0; w < t->nwindows; w++) {
		const struct cxl_topo_window *win = &t->windows[w];

		fprintf(f, "    - {name: cxl-fmw.%u", win->index);
		if (win->placed)
			fprintf(f, ", base: 0x%llx", (unsigned long long)win->base);
		fprintf(f, ", size: 0x%llx, granularity: %u, targets: [", (unsigned long long)win->size,
			win->granularity);
		for (unsigned k = 0; k < win->ntargets; k++)
			fprintf(f, "%s%s", k ? ", " : "", win->targets[k]);
		fprintf(f, "]}%s\n", win->placed ? "" : "   # no base: it did not fit");
	}
	if (!t->nwindows)
		fprintf(f, "    []\n");
	fprintf(f, "  nodes:%s\n", nnodes ? "" : " {}");
	for (unsigned i = 0; i < t->ndevs; i++) {
		const struct cxl_topo_dev *d = &t->devs[i];
		int p = cxl_parent(t, i);
		static const char *const kind[] = {
			[CXL_TOPO_DEV_HOST_BRIDGE] = "host-bridge", [CXL_TOPO_DEV_ROOT_PORT] = "root-port",
			[CXL_TOPO_DEV_SWITCH_UP] = "switch-upstream", [CXL_TOPO_DEV_SWITCH_DOWN] = "switch-downstream",
		};

		if (!node[i])
			continue;
		fprintf(f, "    %s: {kind: %s", d->name, kind[d->kind]);
		if (p >= 0 && d->kind != CXL_TOPO_DEV_HOST_BRIDGE)
			fprintf(f, ", parent: %s", t->devs[p].name);
		if (d->port >= 0 && (d->kind == CXL_TOPO_DEV_ROOT_PORT || d->kind == CXL_TOPO_DEV_SWITCH_DOWN))
			fprintf(f, ", port: %d", d->port);
		fprintf(f, "}\n");
	}
	fprintf(f, "devices:%s\n", ndev ? "" : " {}");
	for (unsigned i = 0; i < t->ndevs; i++) {
		const struct cxl_topo_dev *d = &t->devs[i];

		if (d->status != CXL_TOPO_PLACED)
			continue;
		fprintf(f, "  %s: {model: " EMIT_MODEL ", view: " EMIT_VIEW ", parent: %s}\n", d->name,
			t->devs[cxl_parent(t, i)].name);
	}
	fprintf(f, "ops:%s\n", ndev ? "" : " []");
	for (unsigned i = 0; i < t->ndevs; i++) {
		const struct cxl_topo_dev *d = &t->devs[i];
		unsigned long long b = d->decoder_base, s = d->decoder_size;
		const char *n = d->name;

		if (d->status != CXL_TOPO_PLACED)
			continue;
		fprintf(f, "  - [mark, \"%s: setup_locked_hdm(), window cxl-fmw.%u of host bridge %s, "
			"decoder 0 base 0x%llx\"]\n", n, t->windows[d->window].index,
			t->devs[d->host_bridge].id, b);
		fprintf(f, "  - [mmio-read,  %s, 0x%03x, 4, ~, vmm]           # read_region(CTRL)\n", n,
			r.ctrl);
		fprintf(f, "  - [mmio-write, %s, 0x%03x, 4, 0x%08llx, vmm]   # Base Low = base & Memory_Base_Low\n",
			n, r.base_lo, b & r.base_lo_mask);
		fprintf(f, "  - [mmio-write, %s, 0x%03x, 4, 0x%08llx, vmm]   # Base High = base >> 32\n",
			n, r.base_hi, b >> 32);
		fprintf(f, "  - [mmio-write, %s, 0x%03x, 4, 0x%08llx, vmm]   # Size Low\n", n,
			r.size_lo, s & r.size_lo_mask);
		fprintf(f, "  - [mmio-write, %s, 0x%03x, 4, 0x%08llx, vmm]   # Size High\n", n,
			r.size_hi, s >> 32);
		fprintf(f, "  - [mmio-write, %s, 0x%03x, 4, 0x%08llx, vmm]   # Control | Commit | Lock On Commit\n",
			n, r.ctrl, (unsigned long long)(r.commit | r.lock));
		fprintf(f, "  - [mmio-read,  %s, 0x%03x, 4, 0x%08llx, vmm]   # Committed\n", n, r.ctrl,
			(unsigned long long)(r.commit | r.lock | r.committed));
		fprintf(f, "  - [mmio-read,  %s, 0x%03x, 4, 0x%08llx, vmm]   # the base took\n", n,
			r.base_lo, b & r.base_lo_mask);
		fprintf(f, "  - [mmio-read,  %s, 0x%03x, 4, 0x%08llx, vmm]\n", n, r.base_hi, b >> 32);
	}
	return ferror(f) ? cxl_error_set(err, CXL_ERR_IO, t->file, 0, 0, "write error") : CXL_OK;
}
