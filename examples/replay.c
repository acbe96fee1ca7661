/* SPDX-License-Identifier: MIT */
/*
 * replay.c - libcxlemu: replay native traces against the model, as `cxlemu replay` does,
 * with a JSON Lines report on stdout.
 *
 *   cc replay.c $(pkg-config --cflags --libs cxlemu) -o replay
 *   ./replay traces/conformance/hdm-lock-on-commit.yaml
 * Exit status: 0 every trace passes, 1 one fails, 2 bad input (file:line:col on stderr).
 */
#include <stdio.h>

#include <cxlemu/cxlemu.h>

int main(int argc, char **argv)
{
	struct cxl_replay_opts opts = { .profile = NULL };
	struct cxl_report *rep = cxl_report_new(CXL_REPORT_JSON, false, false, (unsigned)argc - 1);
	bool all = true;

	if (!rep || argc < 2) {
		fprintf(stderr, "usage: replay TRACE...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct cxl_error err;
		bool pass = false;
		char msg[600];

		if (cxl_replay_file(argv[i], &opts, rep, &pass, &err)) {
			cxl_error_format(&err, msg, sizeof(msg));
			fprintf(stderr, "%s\n", msg);
			cxl_report_free(rep);
			return 2;
		}
		all = all && pass;
	}
	cxl_report_flush(rep, stdout);
	cxl_report_free(rep);
	return all ? 0 : 1;
}
