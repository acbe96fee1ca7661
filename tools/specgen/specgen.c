/* SPDX-License-Identifier: MIT */
/* specgen.c - placeholder: writes empty tables. */
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv)
{
	const char *c = NULL, *h = NULL;
	for (int i = 1; i + 1 < argc; i++) {
		if (!strcmp(argv[i], "-o")) c = argv[i + 1];
		if (!strcmp(argv[i], "-H")) h = argv[i + 1];
	}
	FILE *f = fopen(c, "w"); fputs("/* generated */\n#include \"spec_tables.h\"\n", f); fclose(f);
	f = fopen(h, "w"); fputs("/* generated */\n#pragma once\n", f); fclose(f);
	return 0;
}
