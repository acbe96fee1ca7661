/* SPDX-License-Identifier: MIT */
/*
 * fmt.c - string formatting for the core without <stdio.h>.
 *
 * The model does no I/O, so the core carries its own small formatter: a printf subset big
 * enough for its messages (flags - 0 + space #, width and precision as numbers or '*',
 * length modifiers hh h l ll z j t, conversions d i u x X c s p %), printing what glibc's
 * snprintf prints for the same arguments (tests/unit/test_fmt.c compares them). Output is
 * written like snprintf: at most @len - 1 bytes and a NUL, and the return value is the
 * length the whole text would have had. Widths and precisions are capped at 100000 so that
 * a hostile format cannot ask for gigabytes. No allocation, no locale, no global state.
 */
#include <stdarg.h>
#include <limits.h>
#include <stdbool.h>
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

/* Appends @s (n bytes) padded with spaces to @width on the left, or the right when @left. */
static void pad_field(struct cxl_sbuf *b, const char *s, size_t n, int width, bool left)
{
	size_t w = width > 0 ? (size_t)width : 0;

	if (!left)
		for (size_t i = n; i < w; i++)
			put(b, ' ');
	put_n(b, s, n);
	if (left)
		for (size_t i = n; i < w; i++)
			put(b, ' ');
}

/* The parsed flags, width and precision of one conversion. */
struct conv_spec {
	bool left, zero, plus, space, alt;
	int width, prec;		/* prec < 0: none given */
};

/*
 * Appends one integer conversion as C11 §7.21.6.1 describes it: @mag in @base, at least
 * @cs->prec digits (none at all for a zero value with precision 0), after the prefix
 * @prefix ("-", "+", " ", "0x", ...); the '0' flag pads between prefix and digits, and is
 * ignored when a precision is given or with '-'.
 */
static void put_int(struct cxl_sbuf *b, const struct conv_spec *cs, uint64_t mag, unsigned base,
		    bool upper, const char *prefix)
{
	char tmp[64];
	unsigned n = (cs->prec == 0 && mag == 0) ? 0 : digits(tmp, mag, base, upper);
	size_t pre = strlen(prefix);
	size_t zeros = cs->prec > (int)n ? (size_t)cs->prec - n : 0;
	size_t body = pre + zeros + n;
	size_t w = cs->width > 0 ? (size_t)cs->width : 0;

	if (cs->zero && !cs->left && cs->prec < 0 && w > body) {
		zeros += w - body;
		body = w;
	}
	if (!cs->left)
		for (size_t i = body; i < w; i++)
			put(b, ' ');
	put_n(b, prefix, pre);
	for (size_t i = 0; i < zeros; i++)
		put(b, '0');
	while (n)
		put(b, tmp[--n]);
	if (cs->left)
		for (size_t i = body; i < w; i++)
			put(b, ' ');
}

size_t cxl_vfmt(char *buf, size_t len, const char *fmt, va_list ap)
{
	struct cxl_sbuf b;

	cxl_sbuf_init(&b, buf, len);
	for (const char *p = fmt; *p; p++) {
		struct conv_spec cs = { .prec = -1 };
		int lng = 0;
		uint64_t u;
		int64_t sv;

		if (*p != '%') {
			put(&b, *p);
			continue;
		}
		p++;
		for (;; p++) {
			if (*p == '-')
				cs.left = true;
			else if (*p == '0')
				cs.zero = true;
			else if (*p == '+')
				cs.plus = true;
			else if (*p == ' ')
				cs.space = true;
			else if (*p == '#')
				cs.alt = true;
			else
				break;
		}
		if (*p == '*') {
			cs.width = va_arg(ap, int);
			if (cs.width < 0) {
				cs.left = true;
				cs.width = cs.width == INT_MIN ? INT_MAX : -cs.width;
			}
			p++;
		} else {
			while (*p >= '0' && *p <= '9' && cs.width < 100000)
				cs.width = cs.width * 10 + (*p++ - '0');
			while (*p >= '0' && *p <= '9')
				p++;
		}
		if (*p == '.') {
			p++;
			cs.prec = 0;
			if (*p == '*') {
				cs.prec = va_arg(ap, int);	/* negative: as if omitted */
				if (cs.prec < 0)
					cs.prec = -1;
				p++;
			} else {
				while (*p >= '0' && *p <= '9' && cs.prec < 100000)
					cs.prec = cs.prec * 10 + (*p++ - '0');
				while (*p >= '0' && *p <= '9')
					p++;
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
			put_int(&b, &cs, u, 10, false,
				sv < 0 ? "-" : cs.plus ? "+" : cs.space ? " " : "");
			break;
		case 'u':
		case 'x':
		case 'X':
			u = lng >= 2 ? va_arg(ap, unsigned long long) :
			    lng == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
			if (lng == -1)
				u = (unsigned short)u;
			else if (lng <= -2)
				u = (unsigned char)u;
			put_int(&b, &cs, u, *p == 'u' ? 10 : 16, *p == 'X',
				*p == 'u' || !cs.alt || !u ? "" : *p == 'X' ? "0X" : "0x");
			break;
		case 'p':
			/* as glibc prints it: 0x and lower-case hex, or "(nil)" for NULL */
			u = (uint64_t)(uintptr_t)va_arg(ap, void *);
			if (u) {
				cs.alt = true;
				cs.prec = -1;
				put_int(&b, &cs, u, 16, false, "0x");
			} else {
				pad_field(&b, "(nil)", 5, cs.width, cs.left);
			}
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);

			pad_field(&b, &c, 1, cs.width, cs.left);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			size_t sl;

			if (!s)
				s = "(null)";
			sl = cs.prec >= 0 ? strnlen(s, (size_t)cs.prec) : strlen(s);
			pad_field(&b, s, sl, cs.width, cs.left);
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
