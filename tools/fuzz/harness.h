/* SPDX-License-Identifier: MIT */
/*
 * harness.h - what the fuzz harnesses of tools/fuzz share. Each harness is one file with
 * LLVMFuzzerTestOneInput(); libFuzzer, AFL++ (afl_main.c) and the regression driver
 * (regress_main.c) call it. A finding aborts the process with one line on stderr.
 */
#ifndef CXLEMU_FUZZ_HARNESS_H
#define CXLEMU_FUZZ_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The libFuzzer entry point every harness defines. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Whether an expensive check runs for input @data: always when the environment variable
 * CXLEMU_FUZZ_ROUNDTRIP is set (the regression driver sets it), else for one input in
 * @every (chosen by a hash of the input, so a rerun checks the same inputs).
 */
bool cxl_fuzz_roundtrip_wanted(const uint8_t *data, size_t size, unsigned every);

/* Whether checkers run in full mode (cxl_checker_set_full()): when CXLEMU_FUZZ_ROUNDTRIP is set. */
bool cxl_fuzz_full_checks(void);

/*
 * An in-memory file (memfd) holding @data[0..size), for the readers that take a path: its
 * path ("/proc/self/fd/N") in @path; returns the descriptor to close. Aborts as a setup
 * finding of @harness when the file cannot be made.
 */
int cxl_fuzz_memfile(const char *harness, const void *data, size_t size, char path[64]);

/* Prints "HARNESS: FINDING: WHAT: DETAIL" to stderr and aborts. */
void cxl_fuzz_finding(const char *harness, const char *what, const char *detail)
	__attribute__((noreturn));

#endif
