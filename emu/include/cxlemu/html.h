/* SPDX-License-Identifier: MIT */
/*
 * cxlemu/html.h - a replay as one self-contained HTML page (cxlemu show, replay --html).
 *
 * A collector is a replay observer (cxlemu/observe.h): each replay it watches becomes one
 * *run* of the page (a trace under a profile). Per run it keeps every event with the
 * register's value before and after its op, per device the HDM decoders' states
 * (programmed, committed, locked, error-not-committed) and programming as they change,
 * CONFIG_LOCK and the RWO latches, resets, and the trace's marks. cxl_html_write() writes
 * the page: inline CSS, one JSON blob of that data and an inline script that draws the
 * timeline, the event details and the host physical address map; no network access, no
 * external file. The page is a function of the replays alone (no clock, no addresses, no
 * hash order): the same input gives the same bytes.
 */
#ifndef CXLEMU_HTML_H
#define CXLEMU_HTML_H

#include <stdbool.h>
#include <stdio.h>

#include "cxlemu/observe.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Events kept per run; later ones are counted (the page says how many were left out). */
#define CXL_HTML_MAX_EVENTS 50000UL

struct cxl_html;

/* A collector with no run; NULL when out of memory. @title heads the page (NULL: "cxlemu"). */
struct cxl_html *cxl_html_new(const char *title);
/* The observer to pass to cxl_replay_reader_observed(); each replay adds one run. */
const struct cxl_replay_observer *cxl_html_observer(struct cxl_html *h);
/* Completed runs so far (an aborted replay adds none). */
unsigned cxl_html_runs(const struct cxl_html *h);
/*
 * Writes the page of every completed run to @out. False on a write error or when the
 * collector ran out of memory while collecting (the page would be incomplete).
 */
bool cxl_html_write(struct cxl_html *h, FILE *out);
/* Frees @h; NULL is a no-op. */
void cxl_html_free(struct cxl_html *h);

#ifdef __cplusplus
}
#endif

#endif
