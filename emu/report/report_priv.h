/* SPDX-License-Identifier: MIT */
/*
 * report_priv.h - what the report writers of emu/report share (not exported).
 */
#ifndef CXLEMU_REPORT_PRIV_H
#define CXLEMU_REPORT_PRIV_H

#include <stdio.h>

/*
 * Writes @s as XML 1.0 character data: < > & " escaped; a byte that is not UTF-8 and a
 * character XML 1.0 forbids (C0 controls but tab, newline and CR; U+FFFE, U+FFFF) as U+FFFD;
 * CR as &#13; (a parser would turn a raw one into a newline). The output is well-formed
 * UTF-8 XML whatever @s holds.
 */
void cxl_xml_escape(FILE *out, const char *s);
/* As cxl_xml_escape(), for an attribute value: tab and newline too as &#9; and &#10;. */
void cxl_xml_attr_escape(FILE *out, const char *s);
/*
 * Writes @s for a terminal or a line-based log: newline, CR and tab as \\n \\r \\t, other
 * control characters (C0, DEL, C1) and U+2028/2029 as \\xNN / \\uNNNN, bytes that are not
 * UTF-8 as \\xNN. Text from a trace (marks, descriptions, sources) cannot forge a report
 * line or send an escape sequence.
 */
void cxl_text_escape(FILE *out, const char *s);
/*
 * Writes @s as a TAP test point description: cxl_text_escape()d (one line), then '\\' and
 * '#' escaped as "\\\\" and "\\#" (TAP 13: an unescaped '#' starts a directive).
 */
void cxl_tap_escape(FILE *out, const char *s);
/*
 * Writes @s as a YAML double-quoted scalar, quotes included, for a TAP 13 diagnostics
 * block: cxl_text_escape()d (so one line of printable text), then '\\' and '"' escaped.
 * YAML 1.1/1.2 and TAP::Parser's YAMLish read it back to the text report's spelling.
 */
void cxl_tap_yaml_quote(FILE *out, const char *s);

#endif
