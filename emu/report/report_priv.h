/* SPDX-License-Identifier: MIT */
/*
 * report_priv.h - what the report writers of emu/report share (not exported).
 */
#ifndef CXLEMU_REPORT_PRIV_H
#define CXLEMU_REPORT_PRIV_H

#include <stdio.h>

/* Writes @s as XML character data: < > & " escaped, control characters but newline dropped. */
void cxl_xml_escape(FILE *out, const char *s);

#endif
