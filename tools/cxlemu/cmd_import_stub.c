/* SPDX-License-Identifier: MIT */
/* cmd_import_stub.c - temporary stand-in until the importers land. */
#include "cli.h"

int cxlemu_cmd_import(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error("import", "not built");
}
