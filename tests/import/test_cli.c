/* SPDX-License-Identifier: MIT */
/*
 * test_cli.c - `cxlemu import` as a user runs it: exit codes, usage errors,
 * error format on stderr with nothing on stdout, atomic -o OUT.
 * argv[1] is the cxlemu binary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "helpers.h"

extern char **environ;

static const char *cxlemu;
static char *out_text, *err_text;

/* Reads a whole file into a new string ("" when absent). */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;

	if (!f)
		return strdup("");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = calloc(1, (size_t)n + 1);
	if (fread(s, 1, (size_t)n, f) != (size_t)n)
		s[0] = '\0';
	fclose(f);
	return s;
}

/* Runs cxlemu import ARGS... (NULL-terminated); returns the exit status. */
static int cli(const char *first, ...)
{
	const char *argv[32] = { cxlemu, "import" };
	int argc = 2, status;
	va_list ap;
	char outp[300], errp[300];
	posix_spawn_file_actions_t fa;
	pid_t pid;

	va_start(ap, first);
	for (const char *a = first; a && argc < 31; a = va_arg(ap, const char *))
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	snprintf(outp, sizeof(outp), "%s/cli.out", tmp_dir());
	snprintf(errp, sizeof(errp), "%s/cli.err", tmp_dir());
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, outp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, 2, errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (posix_spawn(&pid, cxlemu, &fa, NULL, (char *const *)argv, environ))
		fail_msg("cannot run %s", cxlemu);
	posix_spawn_file_actions_destroy(&fa);
	waitpid(pid, &status, 0);
	free(out_text);
	free(err_text);
	out_text = slurp(outp);
	err_text = slurp(errp);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static const char good[] =
	"pci_cfg_read cxl-rp 0c:00.0 @0x0 -> 0x8086\n"
	"memory_region_ops_read cpu 0 mr 0x1 addr 0xb0c00000 value 0x8086 size 2 name 'pcie-mmcfg-mmio'\n";

/* --help and -h print the usage on stdout and exit 0. */
static void test_help(void **state)
{
	(void)state;
	assert_int_equal(cli("--help", NULL), 0);
	assert_non_null(strstr(out_text, "usage: cxlemu import --from FORMAT [OPTION]... FILE..."));
	assert_non_null(strstr(out_text, "--from FORMAT"));
	assert_non_null(strstr(out_text, "fuzz-ops"));
	assert_string_equal(err_text, "");
	assert_int_equal(cli("-h", NULL), 0);
}

/* Bad options and missing arguments: exit 2, message, empty stdout. */
static void test_usage_errors(void **state)
{
	const char *in = tmp_text("good.log", good);

	(void)state;
	assert_int_equal(cli("--bogus", "--from", "qemu-log", in, NULL), 2);
	assert_non_null(strstr(err_text, "unknown option '--bogus'"));
	assert_string_equal(out_text, "");
	assert_int_equal(cli(in, NULL), 2);                        /* no --from */
	assert_non_null(strstr(err_text, "--from"));
	assert_int_equal(cli("--from", "pcap", in, NULL), 2);
	assert_non_null(strstr(err_text, "unknown format 'pcap'"));
	assert_int_equal(cli("--from", "qemu-log", NULL), 2);      /* no FILE */
	assert_int_equal(cli("--from", NULL), 2);                  /* no value */
	assert_int_equal(cli("--from", "qemu-log", "--ecam", "0x123", in, NULL), 2);
	assert_int_equal(cli("--from", "qemu-log", "--device", "nonsense", in, NULL), 2);
	assert_int_equal(cli("--from", "qemu-log", "--profile", "a b", in, NULL), 2);
	assert_string_equal(out_text, "");
}

/* Options in both spellings; the trace goes to stdout. */
static void test_stdout_and_options(void **state)
{
	const char *in = tmp_text("good.log", good);

	(void)state;
	assert_int_equal(cli("--from=qemu-log", "--profile", "qemu-7.2", "--device",
			     "0c:00.0=port:qemu72-root-port", "--ecam", "0xb0000000", in, NULL), 0);
	assert_true(has_line(out_text, "profile: qemu-7.2"));
	assert_true(has_line(out_text, "  - [cfg-read, port, 0x0, 2, 0x8086, \"@1\"]"));
	assert_string_equal(err_text, "");
}

/* Bad input: file:line:col on stderr, nothing on stdout, exit 2. */
static void test_error_format(void **state)
{
	const char *in = tmp_text("junk.txt", "just some text\n");
	char want[400];

	(void)state;
	assert_int_equal(cli("--from", "qemu-log", in, NULL), 2);
	assert_string_equal(out_text, "");
	snprintf(want, sizeof(want), "%s:1:1: error: no qemu-log records found\n", in);
	assert_string_equal(err_text, want);
}

/* -o OUT: written only on success; a failed import leaves OUT as it was. */
static void test_atomic_output(void **state)
{
	const char *in = tmp_text("good.log", good);
	const char *bad = tmp_text("bad.log", "\x01\x02garbage\n");
	const char *out = tmp_text("trace.yaml", "old contents\n");
	char tmp[300];
	char *s;

	(void)state;
	snprintf(tmp, sizeof(tmp), "%s.tmp", out);
	assert_int_equal(cli("--from", "qemu-log", "-o", out, bad, NULL), 2);
	assert_string_equal(out_text, "");
	s = slurp(out);
	assert_string_equal(s, "old contents\n");
	free(s);
	assert_int_equal(access(tmp, F_OK), -1);

	assert_int_equal(cli("--from", "qemu-log", "-o", out, in, NULL), 0);
	assert_string_equal(out_text, "");
	s = slurp(out);
	assert_true(has_line(s, "  - [cfg-read, rp0, 0x0, 2, 0x8086, \"@1\"]"));
	free(s);
	assert_int_equal(access(tmp, F_OK), -1);

	assert_int_equal(cli("--from", "qemu-log", "--output", "/nonexistent-dir/x.yaml", in, NULL), 2);
}

/* An expect entry past the last op is an error in the expect file. */
static void test_expect_error(void **state)
{
	const char *in = tmp_text("good.log", good);
	const char *ex = tmp_text("ex.yaml", "- {op: 1, rule: access.width}\n");
	char want[400];

	(void)state;
	assert_int_equal(cli("--from", "qemu-log", "--expect", ex, in, NULL), 2);
	snprintf(want, sizeof(want), "%s:1:3: error: expect op 1 is past the last op (the trace has 1 op)\n", ex);
	assert_string_equal(err_text, want);
	assert_string_equal(out_text, "");
}

/* argv[1]: the cxlemu binary to run. */
int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_stdout_and_options),
		cmocka_unit_test(test_error_format),
		cmocka_unit_test(test_atomic_output),
		cmocka_unit_test(test_expect_error),
	};
	int rc;

	if (argc < 2) {
		fprintf(stderr, "usage: %s CXLEMU\n", argv[0]);
		return 2;
	}
	cxlemu = argv[1];
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(out_text);
	free(err_text);
	tmp_cleanup();
	return rc;
}
