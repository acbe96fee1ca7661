/* SPDX-License-Identifier: MIT */
/* helpers.c - scratch files and in-process imports for the import tests. */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

static char dir[64];
static char path_buf[8][256];
static unsigned path_next;

/* Creates the scratch directory on first use; returns its path. */
const char *tmp_dir(void)
{
	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/cxlemu-import-test.XXXXXX");
		if (!mkdtemp(dir)) {
			perror("mkdtemp");
			exit(1);
		}
	}
	return dir;
}

/* Removes the scratch directory and the files in it. */
void tmp_cleanup(void)
{
	DIR *d;
	struct dirent *e;
	char p[512];

	if (!dir[0])
		return;
	d = opendir(dir);
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
	dir[0] = '\0';
}

/* Writes a scratch file; the path stays valid for the next 7 calls. */
const char *tmp_file(const char *name, const void *data, size_t len)
{
	char *p = path_buf[path_next++ % 8];
	FILE *f;

	snprintf(p, sizeof(path_buf[0]), "%s/%s", tmp_dir(), name);
	f = fopen(p, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		perror(p);
		exit(1);
	}
	return p;
}

/* tmp_file() of a NUL-terminated string. */
const char *tmp_text(const char *name, const char *text)
{
	return tmp_file(name, text, strlen(text));
}

/* Runs cxl_import_run() into a memory buffer; exits on a bad pin. */
bool allow_truncated;

void run_import(struct run *r, enum cxl_import_format format,
		const char *const *pins, const char *expect,
		const char *const *paths, unsigned n)
{
	struct cxl_import_opts o;
	FILE *f;

	memset(r, 0, sizeof(*r));
	cxl_import_opts_init(&o);
	o.format = format;
	o.expect_path = expect;
	o.allow_truncated = allow_truncated;
	for (; pins && *pins; pins++) {
		if (cxl_import_add_pin(&o, *pins, &r->err)) {
			fprintf(stderr, "bad pin %s: %s\n", *pins, r->err.msg);
			exit(1);
		}
	}
	f = open_memstream(&r->out, &r->len);
	r->rc = cxl_import_run(&o, paths, n, f, &r->err);
	fclose(f);
}

/* Imports @text written to the scratch file input.log. */
void run_text(struct run *r, enum cxl_import_format format, const char *text,
	      const char *const *pins)
{
	const char *p = tmp_text("input.log", text);

	run_import(r, format, pins, NULL, &p, 1);
}

/* Frees the output of a run. */
void run_free(struct run *r)
{
	free(r->out);
	r->out = NULL;
}

/* Appends one line to @l; returns its line number (1-based). */
unsigned log_line(struct test_log *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	l->len += (size_t)vsnprintf(l->buf + l->len, sizeof(l->buf) - l->len, fmt, ap);
	va_end(ap);
	if (l->len >= sizeof(l->buf))
		l->len = sizeof(l->buf) - 1;
	l->len += (size_t)snprintf(l->buf + l->len, sizeof(l->buf) - l->len, "\n");
	if (l->len >= sizeof(l->buf))
		l->len = sizeof(l->buf) - 1;
	return ++l->lines;
}

/* True when a whole line of @out equals @line. */
bool has_line(const char *out, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = out; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len == n && !memcmp(p, line, n))
			return true;
		p = nl ? nl + 1 : NULL;
	}
	return false;
}

/* Counts the lines of @out starting with @prefix. */
unsigned count_lines(const char *out, const char *prefix)
{
	unsigned c = 0;
	size_t n = strlen(prefix);

	for (const char *p = out; p && *p;) {
		const char *nl = strchr(p, '\n');

		if (!strncmp(p, prefix, n))
			c++;
		p = nl ? nl + 1 : NULL;
	}
	return c;
}

/* Number after @label in the leading comment block; -1 if absent. */
unsigned long header_num(const char *out, const char *label)
{
	for (const char *p = out; p && *p == '#';) {
		const char *nl = strchr(p, '\n');
		const char *s = p + 1;

		while (*s == ' ')
			s++;
		if (!strncmp(s, label, strlen(label)))
			return strtoul(s + strlen(label), NULL, 10);
		p = nl ? nl + 1 : NULL;
	}
	return (unsigned long)-1;
}

/* True when the header's counters add up to the lines read. */
bool header_balanced(const char *out)
{
	return header_num(out, "produced ops:") + header_num(out, "skipped:") +
	       header_num(out, "context (size pairing, latches, replies, MAP):") ==
	       header_num(out, "lines read:");
}
