/* SPDX-License-Identifier: MIT */
/*
 * reader.c - the trace reader interface: every cxl_trace_* call dispatches to the reader's
 * kind (yaml_reader.c, builder.c); expectation lists; the "a, b or c" choice lists and
 * "did you mean" hints of error messages; who took standard input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_priv.h"

/* Remembers @code/@err as the reader's failure (repeated by later calls); returns @code. */
static enum cxl_err failed(struct cxl_trace_reader *r, enum cxl_err code, const struct cxl_error *e)
{
	r->failed = true;
	if (e)
		r->fail = *e;
	r->fail.code = code;
	return code;
}

bool cxl_trace_set_name(struct cxl_trace_reader *r, const char *name)
{
	char *p = strdup(name ? name : "");

	if (!p)
		return false;
	free(r->name);
	r->name = p;
	return true;
}

const char *cxl_trace_name_problem(const char *s)
{
	size_t n = strlen(s);

	if (!n)
		return "must not be empty";
	if (n >= CXL_TRACE_NAME_MAX)
		return "is longer than 63 characters";
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '.' || s[i] == '-'))
			return "may only use A-Z a-z 0-9 _ . -";
	return NULL;
}

CXL_EXPORT
const struct cxl_trace_header *cxl_trace_header(const struct cxl_trace_reader *r)
{
	return r ? &r->hdr : NULL;
}

CXL_EXPORT
const char *cxl_trace_name(const struct cxl_trace_reader *r)
{
	return r && r->name ? r->name : "";
}

CXL_EXPORT
enum cxl_err cxl_trace_next(struct cxl_trace_reader *r, struct cxl_op *op, bool *done,
			    struct cxl_error *err)
{
	struct cxl_error e;   /* filled by the kind's next() on an error only (not zeroed: per op) */
	enum cxl_err rc;

	if (!r || !op || !done)
		return cxl_error_set(err, CXL_ERR_USAGE, r ? r->name : NULL, 0, 0,
				     "cxl_trace_next() needs a reader, an op and a done flag");
	if (r->failed) {
		if (err)
			*err = r->fail;
		return r->fail.code;
	}
	rc = r->ops->next(r, op, done, &e);
	if (rc) {
		if (err)
			*err = e;
		return failed(r, rc, &e);
	}
	return CXL_OK;
}

CXL_EXPORT
enum cxl_err cxl_trace_finish(struct cxl_trace_reader *r, bool *has_expect, struct cxl_error *err)
{
	struct cxl_error e = { 0 };
	enum cxl_err rc;

	if (!r)
		return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0, "cxl_trace_finish() needs a reader");
	if (r->failed) {
		if (err)
			*err = r->fail;
		return r->fail.code;
	}
	if (!r->finished) {
		rc = r->ops->finish(r, &e);
		if (rc) {
			if (err)
				*err = e;
			if (rc != CXL_ERR_USAGE)
				failed(r, rc, &e);
			return rc;
		}
		r->finished = true;
	}
	if (has_expect)
		*has_expect = r->expect.present;
	return CXL_OK;
}

CXL_EXPORT
const struct cxl_expect *cxl_trace_expect(const struct cxl_trace_reader *r, unsigned long i)
{
	if (!r || !r->finished || i >= r->expect.n)
		return NULL;
	return &r->expect.v[i];
}

CXL_EXPORT
void cxl_trace_close(struct cxl_trace_reader *r)
{
	if (!r)
		return;
	if (r->ops && r->ops->close)
		r->ops->close(r);
	cxl_expect_list_free(&r->expect);
	free(r->name);
	free(r);
}

CXL_EXPORT
enum cxl_err cxl_expect_push(struct cxl_expect_list *l, const struct cxl_expect *x,
			     struct cxl_error *err)
{
	if (l->n == CXL_TRACE_MAX_EXPECT)
		return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0,
				     "too many expect entries: at most %lu", CXL_TRACE_MAX_EXPECT);
	if (l->n == l->cap) {
		unsigned long cap = l->cap ? l->cap * 2 : 16;
		struct cxl_expect *p;

		if (cap > CXL_TRACE_MAX_EXPECT)
			cap = CXL_TRACE_MAX_EXPECT;
		p = realloc(l->v, cap * sizeof(*p));
		if (!p)
			return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0,
					     "out of memory for expect entries");
		l->v = p;
		l->cap = cap;
	}
	l->v[l->n++] = *x;
	return CXL_OK;
}

CXL_EXPORT
enum cxl_err cxl_expect_check_ops(const struct cxl_expect_list *l, const char *path,
				  unsigned long nops, struct cxl_error *err)
{
	for (unsigned long i = 0; i < l->n; i++)
		if (l->v[i].op >= nops)
			return cxl_error_set(err, CXL_ERR_VALUE, path, l->v[i].line, l->v[i].col,
					     "expect op %lu is past the last op (the trace has %lu op%s)",
					     l->v[i].op, nops, nops == 1 ? "" : "s");
	return CXL_OK;
}

CXL_EXPORT
void cxl_expect_list_free(struct cxl_expect_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

CXL_EXPORT
bool cxl_stdin_take(struct cxl_error *err)
{
	static bool taken;   /* standard input is one stream: it is read once */

	if (taken) {
		cxl_error_set(err, CXL_ERR_USAGE, CXL_STDIN_NAME, 0, 0,
			      "standard input was read already: '-' can be read once per command");
		return false;
	}
	taken = true;
	return true;
}

void cxl_trace_hint(char *buf, size_t len, const char *word, unsigned n,
		    const char *(*name)(unsigned), const char *more)
{
	const char *near = cxl_nearest_name(word, name, n);
	char list[320];

	if (near) {
		snprintf(buf, len, " (did you mean '%s'?)", near);
	} else if (n <= CXL_HINT_LIST_MAX || !more) {
		cxl_trace_choices(list, sizeof(list), n, name);
		snprintf(buf, len, " (expected %s)", list);
	} else {
		snprintf(buf, len, " (%s)", more);
	}
}

void cxl_trace_choices(char *buf, size_t len, unsigned n, const char *(*name)(unsigned))
{
	size_t pos = 0;

	if (!len)
		return;
	buf[0] = '\0';
	for (unsigned i = 0; i < n && pos < len; i++) {
		int w = snprintf(buf + pos, len - pos, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ",
				 name(i));

		if (w < 0)
			break;
		pos += (size_t)w;
	}
}

CXL_EXPORT
void cxl_trace_device_opts(const struct cxl_trace_device *td, struct cxl_device_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->hdm_decoders = td->hdm_decoders;
	o->fw_committed = td->fw_committed;
	o->fw_base = td->fw_base;
	o->fw_size = td->fw_size;
	memcpy(o->host, td->host, sizeof(o->host));
	o->host_config_lock = td->host_config_lock;
	o->host_mem_enable = td->host_mem_enable;
	o->view = td->view;
}
