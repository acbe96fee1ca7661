/* SPDX-License-Identifier: MIT */
/*
 * html_write.c - the HTML page around the collected data: head, style sheet, the data as one
 * JSON blob, the body's fixed elements and the script (cxlemu/html.h). Everything is inline:
 * the page loads nothing, so it works offline and as a mail attachment.
 */
#include <string.h>

#include "html_priv.h"

/* Writes @s HTML-escaped (& < > " as entities). */
static void html_escape(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		default: fputc(*s, out);
		}
	}
}

/* Writes the NULL-terminated line array @lines, one line each. */
static void put_lines(FILE *out, const char *const *lines)
{
	for (unsigned i = 0; lines[i]; i++) {
		fputs(lines[i], out);
		fputc('\n', out);
	}
}

bool cxl_html_page(FILE *out, const char *title, const char *json, size_t len)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"generator\" content=\"cxlemu\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n<title>", out);
	html_escape(out, title);
	fputs("</title>\n<style>\n", out);
	put_lines(out, cxl_html_css);
	fputs("</style>\n</head>\n<body>\n"
	      "<header id=\"head\"></header>\n"
	      "<nav id=\"runs\"></nav>\n"
	      "<section id=\"controls\"></section>\n"
	      "<section id=\"timeline\"></section>\n"
	      "<section id=\"detail\"><p class=\"hint\">Click an event to see its register "
	      "before and after the op.</p></section>\n"
	      "<section id=\"hpa\"></section>\n"
	      "<section id=\"events\"></section>\n"
	      "<noscript><p>This page draws the timeline with JavaScript; the data is in the "
	      "cxlemu-data element of its source.</p></noscript>\n"
	      "<script type=\"application/json\" id=\"cxlemu-data\">", out);
	fwrite(json, 1, len, out);
	fputs("</script>\n<script>\n", out);
	put_lines(out, cxl_html_js);
	fputs("</script>\n</body>\n</html>\n", out);
	return !ferror(out);
}
