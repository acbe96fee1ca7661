/* SPDX-License-Identifier: MIT */
/*
 * html_buf.c - the growable text buffer the HTML collector builds its JSON data in, with
 * JSON string escaping that is also safe inside an HTML <script> element.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "html_priv.h"

/* Makes room for @extra more bytes (and a NUL); false (and @oom set) when out of memory. */
static bool reserve(struct html_buf *b, size_t extra)
{
	size_t need, cap;
	char *np;

	if (b->oom)
		return false;
	need = b->n + extra + 1;
	if (need <= b->cap)
		return true;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	np = realloc(b->p, cap);
	if (!np) {
		b->oom = true;
		return false;
	}
	b->p = np;
	b->cap = cap;
	return true;
}

void html_buf_add(struct html_buf *b, const char *s, size_t len)
{
	if (!reserve(b, len))
		return;
	memcpy(b->p + b->n, s, len);
	b->n += len;
	b->p[b->n] = 0;
}

void html_buf_puts(struct html_buf *b, const char *s)
{
	html_buf_add(b, s, strlen(s));
}

void html_buf_printf(struct html_buf *b, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0 || !reserve(b, (size_t)len))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->n, (size_t)len + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)len;
}

/*
 * The length of the UTF-8 sequence at @s (1..4) and its code point in *@cp, or 0 when @s
 * does not start a valid one (stray continuation, overlong form, surrogate, past U+10FFFF).
 */
static unsigned utf8_len(const unsigned char *s, unsigned *cp)
{
	unsigned n, c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, c = s[0] & 0x1f, min = 0x80;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, c = s[0] & 0x0f, min = 0x800;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, c = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	for (unsigned i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

void html_buf_json(struct html_buf *b, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	html_buf_add(b, "\"", 1);
	while (*u) {
		unsigned cp, n = utf8_len(u, &cp);

		if (!n) {
			html_buf_puts(b, "\\ufffd");
			n = 1;
		} else if (cp == '"' || cp == '\\') {
			char e[2] = { '\\', (char)cp };

			html_buf_add(b, e, 2);
		} else if (cp == '\n') {
			html_buf_puts(b, "\\n");
		} else if (cp < 0x20 || cp == 0x7f || cp == '<' || cp == '>' || cp == '&' ||
			   cp == 0x2028 || cp == 0x2029) {
			html_buf_printf(b, "\\u%04x", cp);
		} else {
			html_buf_add(b, (const char *)u, n);
		}
		u += n;
	}
	html_buf_add(b, "\"", 1);
}

void html_buf_hex(struct html_buf *b, uint64_t v)
{
	html_buf_printf(b, "\"0x%llx\"", (unsigned long long)v);
}

void html_buf_cat(struct html_buf *b, const struct html_buf *src)
{
	if (src->oom)
		b->oom = true;
	else if (src->n)
		html_buf_add(b, src->p, src->n);
}

void html_buf_clear(struct html_buf *b)
{
	b->n = 0;
	if (b->p)
		b->p[0] = 0;
	b->oom = false;
}

void html_buf_free(struct html_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
	b->oom = false;
}
