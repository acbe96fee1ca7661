/* SPDX-License-Identifier: MIT */
/*
 * scenarios.c - the scenario list of conform and diff --matrix: files as given, directories as
 * their *.yaml in name order, and without arguments the bundled conformance suite.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define MAX_SCENARIOS 4096

/*
 * The bundled suite: $CXLEMU_CONFORMANCE_DIR; the source tree's while it exists; the copy
 * installed beside this binary (BIN/../share/cxlemu/conformance, so an install moved or made
 * with --destdir finds its own); the configured install path.
 */
static const char *suite_dir(void)
{
	static char beside[4200];
	char exe[4096];
	ssize_t n;
	static const char *const dirs[] = {
#ifdef CXLEMU_SOURCE_CONFORMANCE
		CXLEMU_SOURCE_CONFORMANCE,
#endif
#ifdef CXLEMU_INSTALLED_CONFORMANCE
		CXLEMU_INSTALLED_CONFORMANCE,
#endif
	};
	const char *env = getenv("CXLEMU_CONFORMANCE_DIR");
	struct stat st;

	if (env && *env)
		return env;
#ifdef CXLEMU_SOURCE_CONFORMANCE
	if (!stat(dirs[0], &st) && S_ISDIR(st.st_mode))
		return dirs[0];
#endif
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
		char *slash;

		exe[n] = '\0';
		if ((slash = strrchr(exe, '/'))) {
			*slash = '\0';
			snprintf(beside, sizeof(beside), "%s/../share/cxlemu/conformance", exe);
			if (!stat(beside, &st) && S_ISDIR(st.st_mode))
				return beside;
		}
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (!stat(dirs[i], &st) && S_ISDIR(st.st_mode))
			return dirs[i];
	return NULL;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Appends @arg to @list: a file as it is, a directory as its *.yaml files in name order.
 * Returns an exit status (EXIT_BAD_INPUT with a message on failure).
 */
static int add_scenarios(const char *cmd, const char *arg, char **list, unsigned *n)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	unsigned first = *n;

	if (stat(arg, &st) || !S_ISDIR(st.st_mode)) {
		if (*n == MAX_SCENARIOS)
			return cli_usage_error(cmd, "more than %d scenarios", MAX_SCENARIOS);
		list[(*n)++] = strdup(arg);
		return list[*n - 1] ? EXIT_PASS : cli_usage_error(cmd, "out of memory");
	}
	d = opendir(arg);
	if (!d)
		return cli_usage_error(cmd, "%s: cannot read the directory", arg);
	while ((e = readdir(d))) {
		size_t k = strlen(e->d_name);
		char *p;

		if (k < 6 || strcmp(e->d_name + k - 5, ".yaml") || e->d_name[0] == '.')
			continue;
		if (*n == MAX_SCENARIOS) {
			closedir(d);
			return cli_usage_error(cmd, "more than %d scenarios", MAX_SCENARIOS);
		}
		p = malloc(strlen(arg) + k + 2);
		if (!p) {
			closedir(d);
			return cli_usage_error(cmd, "out of memory");
		}
		sprintf(p, "%s/%s", arg, e->d_name);
		list[(*n)++] = p;
	}
	closedir(d);
	qsort(list + first, *n - first, sizeof(*list), by_name);
	if (*n == first)
		return cli_usage_error(cmd, "%s: no .yaml scenarios in the directory", arg);
	return EXIT_PASS;
}

int cli_scenarios(const char *cmd, char **args, int nargs, char ***list, unsigned *n, size_t *shown)
{
	int rc;

	*n = 0;
	*shown = 0;
	*list = calloc(MAX_SCENARIOS, sizeof(**list));
	if (!*list)
		return cli_usage_error(cmd, "out of memory");
	if (!nargs) {
		const char *dir = suite_dir();
		struct stat st;

		if (!dir)
			return cli_usage_error(cmd, "the bundled conformance suite is not installed; "
					       "name scenarios or set CXLEMU_CONFORMANCE_DIR");
		if (stat(dir, &st) || !S_ISDIR(st.st_mode))
			return cli_usage_error(cmd, "%s: the conformance suite must be a directory "
					       "(CXLEMU_CONFORMANCE_DIR)", dir);
		if ((rc = add_scenarios(cmd, dir, *list, n)))
			return rc;
		*shown = strlen(dir) + 1;   /* report "conformance/NAME.yaml", not this machine's path */
	}
	for (int i = 0; i < nargs; i++)
		if ((rc = add_scenarios(cmd, args[i], *list, n)))
			return rc;
	return EXIT_PASS;
}

void cli_scenarios_free(char **list, unsigned n)
{
	for (unsigned i = 0; list && i < n; i++)
		free(list[i]);
	free(list);
}
