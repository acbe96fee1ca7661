/* SPDX-License-Identifier: MIT */
/*
 * afl_main.c - AFL++ driver for a harness's LLVMFuzzerTestOneInput(): persistent mode
 * (__AFL_LOOP, the test case in shared memory) when built with afl-clang-fast, else one
 * input from stdin (afl-fuzz's classic mode, or a plain run to reproduce a crash).
 */
#include <stdio.h>
#include <unistd.h>

#include "harness.h"

#ifdef __AFL_FUZZ_TESTCASE_LEN
__AFL_FUZZ_INIT();
#endif

int main(void)
{
#ifdef __AFL_FUZZ_TESTCASE_LEN
	unsigned char *buf;

	__AFL_INIT();
	buf = __AFL_FUZZ_TESTCASE_BUF;
	while (__AFL_LOOP(100000))
		LLVMFuzzerTestOneInput(buf, (size_t)__AFL_FUZZ_TESTCASE_LEN);
#else
	static unsigned char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof(buf), stdin);

	LLVMFuzzerTestOneInput(buf, n);
#endif
	return 0;
}
