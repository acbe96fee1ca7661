/* SPDX-License-Identifier: MIT */
/*
 * output.c - writing an output file so that no input, and nothing else, is ever truncated
 * or replaced, and a failed run leaves nothing half-written.
 *
 * The text goes to a new file created with O_EXCL (mkstemp) beside the target, in the same
 * directory; only when it is complete and synced is it renamed over the target. Refused up
 * front: a target that exists and is not a regular file (a device, a directory; a symlink is
 * refused rather than followed), and a target that is one of the inputs (same device and
 * inode), so `import x.log -o x.log` cannot replace the user's log. "-" is standard output,
 * spooled the same way: written only once complete.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

int cli_out_open(struct cli_out *o, const char *path, const char *const *inputs, unsigned ninputs)
{
	struct stat st, in;
	const char *slash = strrchr(path, '/');
	int fd;

	memset(o, 0, sizeof(*o));
	o->path = path;
	if (!strcmp(path, "-")) {
		/* standard output: spooled, copied out by cli_out_commit() when complete */
		if (!(o->f = tmpfile())) {
			fprintf(stderr, "cxlemu: error: cannot create a temporary file: %s\n", strerror(errno));
			return EXIT_BAD_INPUT;
		}
		return EXIT_PASS;
	}
	if (lstat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			fprintf(stderr, "%s: error: not a regular file; refusing to replace it\n", path);
			return EXIT_BAD_INPUT;
		}
		for (unsigned i = 0; i < ninputs; i++)
			if (stat(inputs[i], &in) == 0 && in.st_dev == st.st_dev && in.st_ino == st.st_ino) {
				fprintf(stderr, "%s: error: the output is also an input (%s); refusing to replace it\n",
					path, inputs[i]);
				return EXIT_BAD_INPUT;
			}
	} else if (errno != ENOENT) {
		fprintf(stderr, "%s: error: %s\n", path, strerror(errno));
		return EXIT_BAD_INPUT;
	}
	if (snprintf(o->tmp, sizeof(o->tmp), "%.*s.%s.XXXXXX", slash ? (int)(slash - path + 1) : 0,
		     path, slash ? slash + 1 : path) >= (int)sizeof(o->tmp)) {
		fprintf(stderr, "%s: error: path too long\n", path);
		return EXIT_BAD_INPUT;
	}
	fd = mkstemp(o->tmp);
	if (fd >= 0) {
		/* mkstemp makes it 0600; an output file gets the usual 0666 less the umask */
		mode_t um = umask(0);

		umask(um);
		if (fchmod(fd, 0666 & ~um)) {
			int e = errno;

			close(fd);
			unlink(o->tmp);
			fprintf(stderr, "%s: error: cannot set the mode of %s: %s\n", path, o->tmp,
				strerror(e));
			return EXIT_BAD_INPUT;
		}
	}
	if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
		fprintf(stderr, "%s: error: cannot create a file beside it: %s\n", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(o->tmp);
		}
		return EXIT_BAD_INPUT;
	}
	return EXIT_PASS;
}

int cli_out_commit(struct cli_out *o)
{
	int rc = EXIT_PASS;

	if (!o->tmp[0]) {   /* "-": the spool to standard output */
		rc = cli_copy_out(o->f, stdout) ? EXIT_PASS : EXIT_BAD_INPUT;
		if (rc)
			fprintf(stderr, "cxlemu: error: cannot write to standard output: %s\n",
				strerror(errno ? errno : EIO));
		fclose(o->f);
		o->f = NULL;
		return rc;
	}
	if (fflush(o->f) || fsync(fileno(o->f)) || ferror(o->f)) {
		fprintf(stderr, "%s: error: cannot write: %s\n", o->path, strerror(errno));
		rc = EXIT_BAD_INPUT;
	}
	if (fclose(o->f) && !rc) {
		fprintf(stderr, "%s: error: cannot write: %s\n", o->path, strerror(errno));
		rc = EXIT_BAD_INPUT;
	}
	o->f = NULL;
	if (!rc && rename(o->tmp, o->path)) {
		fprintf(stderr, "%s: error: cannot rename %s over it: %s\n", o->path, o->tmp, strerror(errno));
		rc = EXIT_BAD_INPUT;
	}
	if (rc)
		unlink(o->tmp);
	return rc;
}

void cli_out_abort(struct cli_out *o)
{
	if (o->f) {
		fclose(o->f);
		o->f = NULL;
		if (o->tmp[0])
			unlink(o->tmp);
	}
}

bool cli_copy_out(FILE *spool, FILE *to)
{
	char buf[8192];
	size_t n;

	if (fflush(spool) || fseek(spool, 0, SEEK_SET))
		return false;
	while ((n = fread(buf, 1, sizeof(buf), spool)) > 0)
		if (fwrite(buf, 1, n, to) != n)
			return false;
	return !ferror(spool) && fflush(to) == 0;
}

int cli_report_out(const char *cmd, struct cxl_report *rep, const char *path,
		   const char *const *inputs, unsigned ninputs)
{
	struct cli_out out;
	int rc;

	if (!path || !strcmp(path, "-")) {
		if (!cxl_report_flush(rep, stdout))
			return cli_usage_error(cmd, "cannot write the report");
		return EXIT_PASS;
	}
	if ((rc = cli_out_open(&out, path, inputs, ninputs)))
		return rc;
	if (!cxl_report_flush(rep, out.f)) {
		cli_out_abort(&out);
		return cli_usage_error(cmd, "cannot write the report to %s", path);
	}
	return cli_out_commit(&out);
}

int cli_single_stdin(const char *cmd, char *const *args, int nargs)
{
	int first = -1;

	for (int i = 0; i < nargs; i++) {
		if (strcmp(args[i], "-"))
			continue;
		if (first >= 0)
			return cli_usage_error(cmd, "standard input ('-') is given twice (arguments %d "
					       "and %d): it can be read once", first + 1, i + 1);
		first = i;
	}
	return EXIT_PASS;
}
