/* SPDX-License-Identifier: MIT */
/*
 * fmt.c - string formatting for the core without <stdio.h>.
 *
 * The model does no I/O, so the core carries its own small formatter: a printf subset big
 * enough for its messages (flags '-' and '0', width and precision as numbers or '*', length
 * modifiers hh h l ll z j t, conversions d i u x X c s p %). Output is written like
 * snprintf: at most @len - 1 bytes and a NUL, and the return value is the length the whole
 * text would have had. No allocation, no locale, no global state.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core_fmt.h"

/* Appends byte @c to @b (counting it even when the buffer is full). */
static void put(struct cxl_sbuf *b, char c)
{
	if (b->len && b->pos + 1 < b->len)
		b->buf[b->pos] = c;
	b->pos++;
}

/* Appends @n bytes of @s. */
static void put_n(struct cxl_sbuf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put(b, s[i]);
}

/* NUL-terminates @b at its current length (or at the end of the buffer). */
static void terminate(struct cxl_sbuf *b)
{
	if (b->len)
		b->buf[b->pos < b->len ? b->pos : b->len - 1] = '\0';
}

void cxl_sbuf_init(struct cxl_sbuf *b, char *buf, size_t len)
{
	b->buf = buf;
	b->len = len;
	b->pos = 0;
	terminate(b);
}

void cxl_sbuf_str(struct cxl_sbuf *b, const char *s)
{
	put_n(b, s, strlen(s));
	terminate(b);
}

/* Writes the digits of @v in @base (lower or upper case) into @tmp backwards; returns count. */
static unsigned digits(char *tmp, uint64_t v, unsigned base, bool upper)
{
	const char *d = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	unsigned n = 0;

	do {
		tmp[n++] = d[v % base];
		v /= base;
	} while (v);
	return n;
}

/* Appends @v in @base with at least @min digits (zero padded), then terminates. */
static void put_num(struct cxl_sbuf *b, uint64_t v, unsigned base, unsigned min, bool upper)
{
	char tmp[64];
	unsigned n = digits(tmp, v, base, upper);

	for (unsigned i = n; i < min && i < 64; i++)
		put(b, '0');
	while (n)
		put(b, tmp[--n]);
	terminate(b);
}

void cxl_sbuf_hex(struct cxl_sbuf *b, uint64_t v, unsigned min_digits)
{
	put_n(b, "0x", 2);
	put_num(b, v, 16, min_digits, false);
}

void cxl_sbuf_dec(struct cxl_sbuf *b, uint64_t v)
{
	put_num(b, v, 10, 1, false);
}

/* Appends @s (n bytes) padded to @width on the left, or the right when @left. */
static void pad_field(struct cxl_sbuf *b, const char *s, size_t n, int width, bool left, char padc)
{
	size_t w = width > 0 ? (size_t)width : 0;

	if (!left)
		for (size_t i = n; i < w; i++)
			put(b, padc);
	put_n(b, s, n);
	if (left)
		for (size_t i = n; i < w; i++)
			put(b, ' ');
}

size_t cxl_vfmt(char *buf, size_t len, const char *fmt, va_list ap)
{
	struct cxl_sbuf b;

	cxl_sbuf_init(&b, buf, len);
	for (const char *p = fmt; *p; p++) {
		bool left = false, zero = false;
		int width = 0, prec = -1, lng = 0;
		char tmp[72];
		uint64_t u;
		int64_t sv;
		unsigned n;

		if (*p != '%') {
			put(&b, *p);
			continue;
		}
		p++;
		for (;; p++) {
			if (*p == '-')
				left = true;
			else if (*p == '0')
				zero = true;
			else if (*p != ' ' && *p != '+' && *p != '#')
				break;
		}
		if (*p == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				left = true;
				width = -width;
			}
			p++;
		} else {
			while (*p >= '0' && *p <= '9')
				width = width * 10 + (*p++ - '0');
		}
		if (*p == '.') {
			p++;
			prec = 0;
			if (*p == '*') {
				prec = va_arg(ap, int);
				p++;
			} else {
				while (*p >= '0' && *p <= '9')
					prec = prec * 10 + (*p++ - '0');
			}
		}
		for (;; p++) {
			if (*p == 'h')
				lng = lng > 0 ? lng : lng - 1;
			else if (*p == 'l')
				lng = lng < 0 ? 1 : lng + 1;
			else if (*p == 'z' || *p == 'j' || *p == 't')
				lng = 2;
			else
				break;
		}
		switch (*p) {
		case 'd':
		case 'i':
			sv = lng >= 2 ? va_arg(ap, long long) : lng == 1 ? va_arg(ap, long) :
			     va_arg(ap, int);
			if (lng == -1)
				sv = (short)sv;
			else if (lng <= -2)
				sv = (signed char)sv;
			u = sv < 0 ? (uint64_t)0 - (uint64_t)sv : (uint64_t)sv;
			n = digits(tmp + 1, u, 10, false);
			/* reverse into tmp[1..n] */
			for (unsigned i = 0; i < n / 2; i++) {
				char t = tmp[1 + i];

				tmp[1 + i] = tmp[n - i];
				tmp[n - i] = t;
			}
			if (sv < 0) {
				tmp[0] = '-';
				if (zero && !left) {
					put(&b, '-');
					pad_field(&b, tmp + 1, n, width - 1, false, '0');
				} else {
					pad_field(&b, tmp, n + 1, width, left, ' ');
				}
			} else {
				pad_field(&b, tmp + 1, n, width, left, zero && !left ? '0' : ' ');
			}
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'p':
			if (*p == 'p')
				u = (uint64_t)(uintptr_t)va_arg(ap, void *);
			else
				u = lng >= 2 ? va_arg(ap, unsigned long long) :
				    lng == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
			if (lng == -1)
				u = (unsigned short)u;
			else if (lng <= -2)
				u = (unsigned char)u;
			n = digits(tmp, u, *p == 'u' ? 10 : 16, *p == 'X');
			for (unsigned i = 0; i < n / 2; i++) {
				char t = tmp[i];

				tmp[i] = tmp[n - 1 - i];
				tmp[n - 1 - i] = t;
			}
			if (prec > (int)n && prec < 64) {
				memmove(tmp + (prec - (int)n), tmp, n);
				memset(tmp, '0', (size_t)prec - n);
				n = (unsigned)prec;
			}
			if (*p == 'p') {
				put_n(&b, "0x", 2);
				width -= 2;
			}
			pad_field(&b, tmp, n, width, left, zero && !left ? '0' : ' ');
			break;
		case 'c':
			tmp[0] = (char)va_arg(ap, int);
			pad_field(&b, tmp, 1, width, left, ' ');
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			size_t sl;

			if (!s)
				s = "(null)";
			sl = strlen(s);
			if (prec >= 0 && (size_t)prec < sl)
				sl = (size_t)prec;
			pad_field(&b, s, sl, width, left, ' ');
			break;
		}
		case '%':
			put(&b, '%');
			break;
		case '\0':
			p--;
			break;
		default:
			put(&b, '%');
			put(&b, *p);
			break;
		}
	}
	terminate(&b);
	return b.pos;
}

size_t cxl_fmt(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = cxl_vfmt(buf, len, fmt, ap);
	va_end(ap);
	return n;
}
