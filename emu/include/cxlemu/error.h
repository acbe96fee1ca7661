/* SPDX-License-Identifier: MIT */
/*
 * cxlemu/error.h - one error type for every input cxlemu reads.
 *
 * Modelled on libcyaml's error enum: a closed set of codes, a strerror-style
 * name for each, and a location (file, 1-based line, 1-based column) so that
 * every message can be printed as "file:line:col: error: message".
 * Out-parameters are untouched on success.
 */
#ifndef CXLEMU_ERROR_H
#define CXLEMU_ERROR_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum cxl_err {
	CXL_OK = 0,
	CXL_ERR_IO,          /* file cannot be opened or read */
	CXL_ERR_SYNTAX,      /* not YAML / not the expected line shape */
	CXL_ERR_SCHEMA,      /* valid syntax, wrong structure (unknown key...) */
	CXL_ERR_VALUE,       /* bad number, size, offset out of range */
	CXL_ERR_UNKNOWN,     /* unknown device, model, profile, register */
	CXL_ERR_LIMIT,       /* input exceeds a documented limit */
	CXL_ERR_USAGE,       /* bad command-line usage */
	CXL_ERR__COUNT       /* not a valid code */
};

struct cxl_error {
	enum cxl_err code;
	char file[256];
	unsigned long line;  /* 1-based; 0 = no location */
	unsigned long col;   /* 1-based; 0 = no column */
	char msg[512];
};

/* Name of an error code ("syntax", "schema", ...); never NULL. */
const char *cxl_err_name(enum cxl_err code);

/*
 * Fill @e with a code, location and printf-style message. Returns @code so
 * callers can write "return cxl_error_set(e, ...)". @e may be NULL. The arguments may
 * point into @e itself (re-locating an error: "device x: %s", e->msg).
 */
enum cxl_err cxl_error_set(struct cxl_error *e, enum cxl_err code,
			   const char *file, unsigned long line,
			   unsigned long col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/*
 * Format @e as "file:line:col: error: msg" (parts without a location are
 * omitted) into @buf. Always NUL-terminates when @len > 0.
 */
void cxl_error_format(const struct cxl_error *e, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
