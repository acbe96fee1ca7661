/* SPDX-License-Identifier: MIT */
/*
 * html_priv.h - what the HTML page writers of emu/report share (not exported): a growable
 * text buffer for the page's JSON data and the page's static parts.
 */
#ifndef CXLEMU_HTML_PRIV_H
#define CXLEMU_HTML_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A growable byte buffer; after a failed allocation it stays as it was and @oom is set. */
struct html_buf {
	char *p;
	size_t n, cap;
	bool oom;
};

/* Appends @len bytes of @s. */
void html_buf_add(struct html_buf *b, const char *s, size_t len);
/* Appends the NUL-terminated @s. */
void html_buf_puts(struct html_buf *b, const char *s);
/* Appends printf-formatted text. */
void html_buf_printf(struct html_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Appends @s as a JSON string, quotes included, safe inside an HTML <script> element:
 * '"' and '\\' escaped, control characters, U+2028/2029, '<', '>' and '&' as \\u00XX, bytes
 * that are not UTF-8 as \\ufffd.
 */
void html_buf_json(struct html_buf *b, const char *s);
/* Appends @v as a JSON string "0x..." (lower-case hex; JavaScript numbers hold 53 bits). */
void html_buf_hex(struct html_buf *b, uint64_t v);
/* Appends the contents of @src. */
void html_buf_cat(struct html_buf *b, const struct html_buf *src);
/* Empties @b, keeping its memory. */
void html_buf_clear(struct html_buf *b);
void html_buf_free(struct html_buf *b);

/* The page's static style sheet and script, as NULL-terminated arrays of lines (html_page.c). */
extern const char *const cxl_html_css[];
extern const char *const cxl_html_js[];

/*
 * Writes the page: @title (HTML-escaped) in the head, the style sheet, the JSON data
 * @json[0 .. @len) in a <script type="application/json" id="cxlemu-data"> element, and the
 * script that draws it (html_write.c). False on a write error.
 */
bool cxl_html_page(FILE *out, const char *title, const char *json, size_t len);

#endif
