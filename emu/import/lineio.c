/* SPDX-License-Identifier: MIT */
/*
 * lineio.c - bounded line reader over plain or gzip files, or standard input ("-").
 *
 * zlib's gzread() reads gzip and plain files alike, a pipe too. Lines are split here
 * (not with gzgets) so that NUL bytes, CRLF endings, a missing final
 * newline and arbitrarily long lines are all handled with fixed memory.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "import_int.h"

#define READ_CHUNK 65536

struct imp_lines {
	gzFile gz;
	const char *path;
	unsigned char buf[READ_CHUNK];
	size_t pos, end;
	bool eof;
	bool gz_truncated;
	unsigned long lineno;
	char line[IMP_LINE_MAX + 1];
};

/*
 * Opens @path ("-": standard input, named CXL_STDIN_NAME in errors; plain or gzip either
 * way); on failure *@out is untouched and @err names the file.
 */
enum cxl_err imp_lines_open(const char *path, struct imp_lines **out,
			    struct cxl_error *err)
{
	bool in = cxl_path_is_stdin(path);
	struct imp_lines *r;
	int fd = -1;

	if (in && !cxl_stdin_take(err))
		return CXL_ERR_USAGE;
	path = cxl_path_display(path);
	r = calloc(1, sizeof(*r));
	if (!r)
		return cxl_error_set(err, CXL_ERR_IO, path, 0, 0,
				     "out of memory");
	errno = 0;
	/* standard input: a copy of its descriptor, for gzclose() to close */
	if (in && (fd = dup(STDIN_FILENO)) < 0) {
		int e = errno;

		free(r);
		return cxl_error_set(err, CXL_ERR_IO, path, 0, 0, "cannot read: %s", strerror(e));
	}
	r->gz = in ? gzdopen(fd, "rb") : gzopen(path, "rb");
	if (!r->gz) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		free(r);
		return cxl_error_set(err, CXL_ERR_IO, path, 0, 0,
				     "cannot open: %s",
				     e ? strerror(e) : "out of memory");
	}
	gzbuffer(r->gz, 1u << 17);
	r->path = path;
	*out = r;
	return CXL_OK;
}

/*
 * Refills the buffer. Returns 0 at end of input, a positive count, or -1
 * with @err set on a read or gzip data error. A gzip stream that simply
 * stops (truncated file) counts as the end of input and is remembered.
 */
static int refill(struct imp_lines *r, struct cxl_error *err)
{
	int n, zerr;
	const char *msg;

	if (r->eof)
		return 0;
	errno = 0;
	n = gzread(r->gz, r->buf, sizeof(r->buf));
	if (n > 0) {
		r->pos = 0;
		r->end = (size_t)n;
		return n;
	}
	r->eof = true;
	msg = gzerror(r->gz, &zerr);
	if (zerr == Z_OK)
		return 0;
	if (zerr == Z_BUF_ERROR) {
		r->gz_truncated = true;
		return 0;
	}
	cxl_error_set(err, CXL_ERR_IO, r->path, r->lineno + 1, 1, "%s: %s",
		      zerr == Z_ERRNO ? "read error" : "gzip data error",
		      zerr == Z_ERRNO ? strerror(errno) : msg);
	return -1;
}

/* True when @s[0..n) holds a byte no text line has. */
static bool is_binary(const char *s, size_t n)
{
	unsigned bad = 0;

	/* no early exit: the loop vectorises, and lines are short */
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		bad |= ((ch < 0x20) & (ch != '\t')) | (ch == 0x7f);
	}
	return bad != 0;
}

/*
 * Reads the next line. Returns 1 with *@line (NUL-terminated, without the
 * newline or a trailing CR, at most IMP_LINE_MAX bytes), 0 at end of
 * input, or -1 with @err set. *@flags reports IMP_LF_* conditions.
 */
int imp_lines_next(struct imp_lines *r, const char **line, size_t *len,
		   unsigned *flags, struct cxl_error *err)
{
	size_t n = 0;
	bool any = false;

	*flags = 0;
	if (r->pos < r->end) {
		/* the common line, whole in the buffer: handed out in place, no copy */
		unsigned char *at = r->buf + r->pos;
		unsigned char *nl = memchr(at, '\n', r->end - r->pos);

		if (nl && (size_t)(nl - at) <= IMP_LINE_MAX) {
			n = (size_t)(nl - at);
			r->pos += n + 1;
			r->lineno++;
			if (n && at[n - 1] == '\r')
				n--;
			at[n] = '\0';
			if (is_binary((const char *)at, n))
				*flags |= IMP_LF_BINARY;
			*line = (const char *)at;
			*len = n;
			return 1;
		}
	}
	for (;;) {
		unsigned char *nl;
		size_t avail, take;

		if (r->pos == r->end) {
			int got = refill(r, err);

			if (got < 0)
				return -1;
			if (got == 0) {
				if (!any)
					return 0;
				*flags |= IMP_LF_UNTERMINATED;
				break;
			}
		}
		any = true;
		avail = r->end - r->pos;
		nl = memchr(r->buf + r->pos, '\n', avail);
		take = nl ? (size_t)(nl - (r->buf + r->pos)) : avail;
		if (n + take > IMP_LINE_MAX) {
			size_t room = IMP_LINE_MAX - n;

			memcpy(r->line + n, r->buf + r->pos, room);
			n = IMP_LINE_MAX;
			*flags |= IMP_LF_TOO_LONG;
		} else if (!(*flags & IMP_LF_TOO_LONG)) {
			memcpy(r->line + n, r->buf + r->pos, take);
			n += take;
		}
		r->pos += take;
		if (nl) {
			r->pos++;
			break;
		}
	}
	r->lineno++;
	if (n && r->line[n - 1] == '\r')
		n--;
	r->line[n] = '\0';
	if (is_binary(r->line, n))
		*flags |= IMP_LF_BINARY;
	*line = r->line;
	*len = n;
	return 1;
}

/* Number of the line last returned (1-based; 0 before the first). */
unsigned long imp_lines_number(const struct imp_lines *r)
{
	return r->lineno;
}

/* True once the input ended inside a gzip stream. */
bool imp_lines_gz_truncated(const struct imp_lines *r)
{
	return r->gz_truncated;
}

/* Restarts at line 1; used by importers that read their input twice. */
enum cxl_err imp_lines_rewind(struct imp_lines *r, struct cxl_error *err)
{
	if (gzrewind(r->gz) != 0)
		return cxl_error_set(err, CXL_ERR_IO, r->path, 0, 0,
				     "cannot rewind");
	r->pos = r->end = 0;
	r->eof = false;
	r->gz_truncated = false;
	r->lineno = 0;
	return CXL_OK;
}

/* Closes the file and frees @r; NULL is ignored. */
void imp_lines_close(struct imp_lines *r)
{
	if (!r)
		return;
	gzclose(r->gz);
	free(r);
}
