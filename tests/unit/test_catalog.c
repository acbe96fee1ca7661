/* SPDX-License-Identifier: MIT */
/*
 * test_catalog.c - the catalog's "did you mean" (cxl_nearest_name()): names from the spec
 * tables (spec/devices, spec/profiles, spec/rules.yaml) and a fixed word list.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "cxlemu/cxlemu.h"

static const char *const words[] = { "replay", "import", "spec", "record" };

static const char *word_at(unsigned i)
{
	return words[i];
}

/* Misspellings a user makes, from issue 14: a dropped letter, a dot, a swap, case. */
static void test_near(void **state)
{
	(void)state;
	assert_string_equal(cxl_nearest_name("qemu72-typ3", cxl_model_name, cxl_model_count()),
			    "qemu72-type3");
	assert_string_equal(cxl_nearest_name("qemu-72", cxl_profile_name, cxl_profile_count()),
			    "qemu-7.2");
	assert_string_equal(cxl_nearest_name("hdm.locked-wirte", cxl_rule_id, cxl_rule_count()),
			    "hdm.locked-write");
	assert_string_equal(cxl_nearest_name("repaly", word_at, 4), "replay");   /* a swap is 1 */
	assert_string_equal(cxl_nearest_name("REPLAY", word_at, 4), "replay");   /* case ignored */
	assert_string_equal(cxl_nearest_name("spc", word_at, 4), "spec");
}

/* Too far, or nothing to suggest. */
static void test_far(void **state)
{
	(void)state;
	assert_null(cxl_nearest_name("replay", word_at, 4));   /* a name: nothing to suggest */
	assert_null(cxl_nearest_name("sp", word_at, 4));       /* 2 edits of 2 bytes */
	assert_null(cxl_nearest_name("rpely", word_at, 4));    /* 2 edits of 5 bytes */
	assert_null(cxl_nearest_name("zzzzzzzz", word_at, 4));
	assert_null(cxl_nearest_name(NULL, word_at, 4));
	assert_null(cxl_nearest_name("replay", NULL, 4));
	assert_int_equal(cxl_rule_lookup(cxl_rule_id(cxl_rule_count() - 1)), (int)cxl_rule_count() - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_near),
		cmocka_unit_test(test_far),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
