/* SPDX-License-Identifier: MIT */
/* error.c - the shared error record and its file:line:col formatting (no <stdio.h>). */
#include <string.h>

#include "core_priv.h"

static const char *const err_names[CXL_ERR__COUNT] = {
	[CXL_OK] = "ok",
	[CXL_ERR_IO] = "io",
	[CXL_ERR_SYNTAX] = "syntax",
	[CXL_ERR_SCHEMA] = "schema",
	[CXL_ERR_VALUE] = "value",
	[CXL_ERR_UNKNOWN] = "unknown",
	[CXL_ERR_LIMIT] = "limit",
	[CXL_ERR_USAGE] = "usage",
};

/* Returns a static name for @code, "invalid" for out-of-range codes. */
CXL_EXPORT
const char *cxl_err_name(enum cxl_err code)
{
	if ((unsigned)code >= CXL_ERR__COUNT)
		return "invalid";
	return err_names[code];
}

/* Records code, location and message; returns @code unchanged. */
CXL_EXPORT
enum cxl_err cxl_error_set(struct cxl_error *e, enum cxl_err code,
			   const char *file, unsigned long line,
			   unsigned long col, const char *fmt, ...)
{
	char msg[sizeof(e->msg)], where[sizeof(e->file)];
	va_list ap;

	if (!e)
		return code;
	/* formatted aside first: the arguments may be @e's own msg or file */
	va_start(ap, fmt);
	cxl_vfmt(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cxl_fmt(where, sizeof(where), "%s", file ? file : "");
	e->code = code;
	e->line = line;
	e->col = col;
	memcpy(e->msg, msg, sizeof(msg));
	memcpy(e->file, where, sizeof(where));
	return code;
}

/* Writes "file:line:col: error: msg", leaving out absent location parts. */
CXL_EXPORT
void cxl_error_format(const struct cxl_error *e, char *buf, size_t len)
{
	char loc[300] = "";

	if (!len)
		return;
	if (e->file[0] && e->line && e->col)
		cxl_fmt(loc, sizeof(loc), "%s:%lu:%lu: ", e->file, e->line,
			 e->col);
	else if (e->file[0] && e->line)
		cxl_fmt(loc, sizeof(loc), "%s:%lu: ", e->file, e->line);
	else if (e->file[0])
		cxl_fmt(loc, sizeof(loc), "%s: ", e->file);
	cxl_fmt(buf, len, "%serror: %s", loc, e->msg);
}
