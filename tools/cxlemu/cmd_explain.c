/* SPDX-License-Identifier: MIT */
/*
 * cmd_explain.c - `cxlemu explain RULE` (being written).
 */
#include "cli.h"

int cxlemu_cmd_explain(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error("explain", "not written yet");
}
