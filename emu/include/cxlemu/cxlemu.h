/* SPDX-License-Identifier: MIT */
/*
 * cxlemu/cxlemu.h - everything libcxlemu offers, in one include.
 *
 * libcxlemu-core (pkg-config cxlemu-core: the model, no dependencies):
 *   cxlemu/error.h    one error type with file:line:col
 *   cxlemu/spec_ids.h generated names: vocabularies, rules, register/field constants
 *   cxlemu/catalog.h  models, profiles, vocabulary words
 *   cxlemu/device.h   a device: create from model + profile, access, reset, inject, hash
 *   cxlemu/event.h    what an access enforced: rule, register, field, values, detail text
 *   cxlemu/decode.h   HDM decoder address decode
 * libcxlemu (pkg-config cxlemu; libyaml and zlib inside):
 *   cxlemu/trace.h    trace readers (YAML, in-memory builder) and the YAML writer
 *   cxlemu/import.h   QEMU trace logs, qtest streams, mmiotrace -> traces
 *   cxlemu/report.h   text, JSON, TAP and JUnit reports
 *   cxlemu/replay.h   trace -> devices -> events -> report
 *   cxlemu/target.h   run ops on the model, a live QEMU (qtest) or any program (exec)
 *   cxlemu/conform.h  record a trace on a target; judge a target against a profile
 *   cxlemu/export.h   reproducers: a trace as a QEMU qtest script or a standalone C file
 *
 * This is not yet a stable ABI: rebuild against each release. Calls on one device (or
 * reader, report) must not run concurrently; separate objects are independent.
 */
#ifndef CXLEMU_CXLEMU_H
#define CXLEMU_CXLEMU_H

#include "cxlemu/error.h"
#include "cxlemu/spec_ids.h"
#include "cxlemu/catalog.h"
#include "cxlemu/event.h"
#include "cxlemu/device.h"
#include "cxlemu/decode.h"
#include "cxlemu/trace.h"
#include "cxlemu/import.h"
#include "cxlemu/report.h"
#include "cxlemu/replay.h"
#include "cxlemu/target.h"
#include "cxlemu/conform.h"
#include "cxlemu/fuzzops.h"
#include "cxlemu/invariant.h"
#include "cxlemu/coverage.h"
#include "cxlemu/export.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif
