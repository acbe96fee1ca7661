/* SPDX-License-Identifier: MIT */
/*
 * core_fmt.h - the core's own string formatting (fmt.c); the core includes no <stdio.h>.
 */
#ifndef CXLEMU_CORE_FMT_H
#define CXLEMU_CORE_FMT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A bounded output buffer: @pos counts every byte appended, even past the end. */
struct cxl_sbuf {
	char *buf;
	size_t len, pos;
};

/* Starts @b on @buf (@len bytes, may be 0); the text is kept NUL-terminated. */
void cxl_sbuf_init(struct cxl_sbuf *b, char *buf, size_t len);

/*
 * snprintf-like formatting (a printf subset: flags - 0 + space #, width/precision numbers
 * or '*', length hh h l ll z j t, conversions d i u x X c s p %), output as glibc prints it.
 * Writes at most @len - 1 bytes and a NUL; returns the length the whole text would have.
 */
size_t cxl_vfmt(char *buf, size_t len, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
size_t cxl_fmt(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
