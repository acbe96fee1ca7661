/* SPDX-License-Identifier: MIT */
/*
 * test_fmt.c - the core's formatter (emu/core/fmt.c) prints what the C library's snprintf
 * prints (C11 §7.21.6.1, glibc on Debian 12 as the reference implementation) for every
 * flag, width, precision, length modifier and conversion it claims, and truncates like it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core_fmt.h"

/* Formats the same arguments with both, into buffers of @len bytes, and compares. */
#define SAME(len, ...)                                                                   \
	do {                                                                             \
		char mine_[256], libc_[256];                                             \
		size_t n_mine_ = cxl_fmt(mine_, (len), __VA_ARGS__);                     \
		int n_libc_ = snprintf(libc_, (len), __VA_ARGS__);                       \
		if ((len) == 0)                                                          \
			mine_[0] = libc_[0] = '\0';                                      \
		if (strcmp(mine_, libc_) || n_mine_ != (size_t)n_libc_)                  \
			fail_msg("%s: cxl_fmt \"%s\" (%zu), snprintf \"%s\" (%d)", #__VA_ARGS__, \
				 mine_, n_mine_, libc_, n_libc_);                        \
	} while (0)

/* Signed decimal: sign flags, zero padding, precision (which disables '0'), widths. */
static void test_signed(void **state)
{
	(void)state;
	static const int vals[] = { 0, 1, -1, 42, -42, 2147483647, -2147483647 - 1 };

	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		int v = vals[i];

		SAME(256, "%d|%i|%5d|%-5d|%05d|%+d|% d|%+05d|% 05d", v, v, v, v, v, v, v, v, v);
		SAME(256, "%.0d|%.3d|%8.3d|%-8.3d|%08.3d|%+.0d|% .0d|%3.0d", v, v, v, v, v, v, v, v);
		SAME(256, "%*d|%-*d|%*d|%.*d|%.*d", 6, v, 6, v, -6, v, 4, v, -1, v);
		SAME(256, "%hd|%hhd|%ld|%lld|%zd|%jd|%td", (short)v, (signed char)v, (long)v,
		     (long long)v, (ptrdiff_t)v, (intmax_t)v, (ptrdiff_t)v);
	}
	SAME(256, "%lld|%+lld", -9223372036854775807LL - 1, 9223372036854775807LL);
	SAME(256, "%hd|%hhd", 70000, 300);	/* converted to short / signed char first */
}

/* Unsigned and hex: '#' (no prefix for zero), precision 0 of zero prints nothing. */
static void test_unsigned(void **state)
{
	(void)state;
	static const unsigned vals[] = { 0, 1, 0xff, 0xdeadbeefu, 4294967295u };

	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		unsigned v = vals[i];

		SAME(256, "%u|%x|%X|%#x|%#X|%08x|%#010x|%-#10x|%10x", v, v, v, v, v, v, v, v, v);
		SAME(256, "%.0x|%.0u|%#.0x|%.8x|%#.8x|%012.8x|%-12.8X|%5.0x", v, v, v, v, v, v, v, v);
		SAME(256, "%+u|% u|%+x", v, v, v);	/* sign flags mean nothing here */
	}
	SAME(256, "%llx|%#llX|%lu|%zx|%hx|%hhx", 0xfedcba9876543210ULL, 0x1ULL << 63,
	     4294967296UL, (size_t)12345, 0x12345u, 0x1ffu);
}

/* Strings, characters, pointers (glibc's "(nil)"), "%%" and a trailing lone '%'. */
static void test_other(void **state)
{
	(void)state;
	const char *null = NULL;
	int x;

	SAME(256, "%s|%8s|%-8s|%.2s|%8.2s|%.0s|%.*s", "hello", "hi", "hi", "hello", "hello",
	     "gone", 3, "hello");
	SAME(256, "%c|%3c|%-3c|%%|100%%", 'a', 'b', 'c');
	SAME(256, "%p|%20p|%-20p|", (void *)&x, (void *)&x, (void *)&x);
	SAME(256, "%p|%10p|%-10p|", (void *)0, (void *)0, (void *)0);
	SAME(256, "%s|%.3s", null, "abcdef");
}

/* Truncation: at most len - 1 bytes and a NUL; the return value is the whole length. */
static void test_truncation(void **state)
{
	(void)state;
	char guard[8];

	SAME(0, "%s=%08x", "value", 0x1234u);
	SAME(1, "%s=%08x", "value", 0x1234u);
	SAME(5, "%s=%08x", "value", 0x1234u);
	SAME(6, "%-10d|", -3);
	memset(guard, 'G', sizeof(guard));
	assert_int_equal(cxl_fmt(guard, 4, "%d", 123456), 6);
	assert_memory_equal(guard, "123\0GGGG", 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signed),
		cmocka_unit_test(test_unsigned),
		cmocka_unit_test(test_other),
		cmocka_unit_test(test_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
