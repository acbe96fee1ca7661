/* SPDX-License-Identifier: MIT */
/*
 * report_priv.h - what the report writers of emu/report share (not exported).
 */
#ifndef CXLEMU_REPORT_PRIV_H
#define CXLEMU_REPORT_PRIV_H

#include <stdio.h>

/* Writes @s as XML character data: < > & " escaped, control characters but newline dropped. */
void cxl_xml_escape(FILE *out, const char *s);
/*
 * Writes @s for a terminal or a line-based log: newline, CR and tab as \\n \\r \\t, other
 * control characters (C0, DEL, C1) and U+2028/2029 as \\xNN / \\uNNNN, bytes that are not
 * UTF-8 as \\xNN. Text from a trace (marks, descriptions, sources) cannot forge a report
 * line or send an escape sequence.
 */
void cxl_text_escape(FILE *out, const char *s);

#endif
