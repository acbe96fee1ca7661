/* SPDX-License-Identifier: MIT */
/*
 * child.c - the line channel to a target process (child.h).
 *
 * fork + execvp with the child in a new process group; a close-on-exec pipe tells the
 * parent whether exec worked. Reads poll() with a deadline. Stopping sends SIGKILL to the
 * whole group and reaps the child, so a target that forks helpers leaves nothing behind.
 * SIGPIPE from a dead child's stdin is ignored while writing (the write fails instead).
 */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "child.h"

/* Process groups of running children, for cxl_child_kill_all() (single-threaded use). */
static volatile pid_t live_groups[16];

static void track(pid_t pgid, bool on)
{
	for (unsigned i = 0; i < sizeof(live_groups) / sizeof(live_groups[0]); i++)
		if (on ? !live_groups[i] : live_groups[i] == pgid) {
			live_groups[i] = on ? pgid : 0;
			return;
		}
}

void cxl_child_kill_all(void)
{
	for (unsigned i = 0; i < sizeof(live_groups) / sizeof(live_groups[0]); i++)
		if (live_groups[i] > 0)
			kill(-live_groups[i], SIGKILL);
}

/* Milliseconds of a monotonic clock (for deadlines only; never in any output). */
static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* An anonymous temporary file for the child's stderr, or -1. */
static int anon_file(void)
{
	FILE *f = tmpfile();
	int fd;

	if (!f)
		return -1;
	fd = dup(fileno(f));
	fclose(f);
	return fd;
}

enum cxl_err cxl_child_start(struct cxl_child *c, char *const argv[], const char *what,
			     unsigned timeout_ms, struct cxl_error *err)
{
	int to_child[2], from_child[2], report[2];
	int e = 0;
	ssize_t n;

	memset(c, 0, sizeof(*c));
	c->in = c->out = c->errfd = -1;
	c->status = -1;
	c->timeout_ms = timeout_ms ? timeout_ms : 10000;
	snprintf(c->what, sizeof(c->what), "%s", what);
	if (pipe(to_child))
		return cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0, "cannot create a pipe: %s", strerror(errno));
	if (pipe(from_child)) {
		close(to_child[0]);
		close(to_child[1]);
		return cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0, "cannot create a pipe: %s", strerror(errno));
	}
	if (pipe2(report, O_CLOEXEC)) {
		close(to_child[0]), close(to_child[1]), close(from_child[0]), close(from_child[1]);
		return cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0, "cannot create a pipe: %s", strerror(errno));
	}
	c->errfd = anon_file();
	c->pid = fork();
	if (c->pid < 0) {
		e = errno;
		close(to_child[0]), close(to_child[1]), close(from_child[0]), close(from_child[1]);
		close(report[0]), close(report[1]);
		if (c->errfd >= 0)
			close(c->errfd);
		c->pid = 0;
		return cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0, "cannot start %s: %s", what, strerror(e));
	}
	if (c->pid == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);   /* dies with cxlemu, whatever kills it */
		dup2(to_child[0], 0);
		dup2(from_child[1], 1);
		if (c->errfd >= 0)
			dup2(c->errfd, 2);
		close(to_child[0]), close(to_child[1]), close(from_child[0]), close(from_child[1]);
		close(report[0]);
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[0], argv);
		e = errno;
		if (write(report[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	setpgid(c->pid, c->pid);
	c->pgid = c->pid;
	track(c->pgid, true);
	close(to_child[0]);
	close(from_child[1]);
	close(report[1]);
	c->in = to_child[1];
	c->out = from_child[0];
	fcntl(c->in, F_SETFD, FD_CLOEXEC);
	fcntl(c->out, F_SETFD, FD_CLOEXEC);
	/* non-blocking: a child that never reads its input must not hang cxl_child_send() */
	fcntl(c->in, F_SETFL, fcntl(c->in, F_GETFL) | O_NONBLOCK);
	if (c->errfd >= 0)
		fcntl(c->errfd, F_SETFD, FD_CLOEXEC);
	do
		n = read(report[0], &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(report[0]);
	if (n == (ssize_t)sizeof(e)) {
		cxl_child_stop(c);
		return cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0, "cannot run '%s': %s", argv[0],
				     strerror(e));
	}
	return CXL_OK;
}

static enum cxl_err gone(struct cxl_child *c, struct cxl_error *err);

enum cxl_err cxl_child_send(struct cxl_child *c, const char *s, struct cxl_error *err)
{
	size_t n = strlen(s), done = 0;
	struct sigaction ign = { 0 }, old;
	long long deadline = now_ms() + c->timeout_ms;

	if (!c->pid)
		return cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0, "%s is not running", c->what);
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old);
	while (done <= n) {
		const char *p = done < n ? s + done : "\n";
		size_t k = done < n ? n - done : 1;
		ssize_t w = write(c->in, p, k);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			/* its input is full: it is not reading; wait within the timeout */
			struct pollfd pf = { c->in, POLLOUT, 0 };
			long long left = deadline - now_ms();
			int st;

			if (left <= 0) {
				sigaction(SIGPIPE, &old, NULL);
				cxl_child_stop(c);
				return cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0,
						     "%s did not read its input within %u ms", c->what,
						     c->timeout_ms);
			}
			if (poll(&pf, 1, (int)(left < 50 ? left : 50)) == 0 && c->pid &&
			    waitpid(c->pid, &st, WNOHANG) == c->pid) {
				c->status = st;
				c->pid = 0;
				sigaction(SIGPIPE, &old, NULL);
				return gone(c, err);
			}
			continue;
		}
		if (w <= 0) {
			/* the pipe is closed: the child ended; say how, as a read would */
			sigaction(SIGPIPE, &old, NULL);
			return gone(c, err);
		}
		done += (size_t)w;
		if (done == n + 1)
			break;
	}
	sigaction(SIGPIPE, &old, NULL);
	return CXL_OK;
}

void cxl_child_stderr_tail(struct cxl_child *c, char *buf, size_t len)
{
	char tmp[4096];
	off_t size;
	ssize_t n;
	char *s, *e;

	if (!len)
		return;
	buf[0] = '\0';
	if (c->errfd < 0 || (size = lseek(c->errfd, 0, SEEK_END)) <= 0)
		return;
	n = pread(c->errfd, tmp, sizeof(tmp) - 1, size > (off_t)sizeof(tmp) - 1 ? size - (off_t)sizeof(tmp) + 1 : 0);
	if (n <= 0)
		return;
	tmp[n] = '\0';
	e = tmp + n;
	while (e > tmp && (e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	s = strrchr(tmp, '\n');
	s = s ? s + 1 : tmp;
	for (char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = '?';
	snprintf(buf, len, "%s", s);
}

/* Describes how the child ended into @buf, reaping it when it has exited. */
static void ended(struct cxl_child *c, char *buf, size_t len)
{
	int st;

	if (c->pid && waitpid(c->pid, &st, WNOHANG) == c->pid) {
		c->status = st;
		c->pid = 0;
	}
	if (c->status < 0)
		snprintf(buf, len, "closed its output");
	else if (WIFEXITED(c->status))
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(c->status));
	else if (WIFSIGNALED(c->status))
		snprintf(buf, len, "was killed by signal %d", WTERMSIG(c->status));
	else
		snprintf(buf, len, "ended");
}

/*
 * The error of a child that ended: how (given a moment to exit, so its status can be told),
 * and the last line of its stderr; stops the channel.
 */
static enum cxl_err gone(struct cxl_child *c, struct cxl_error *err)
{
	char how[64], tail[200];

	for (int i = 0; i < 50 && c->pid && waitpid(c->pid, &c->status, WNOHANG) == 0; i++)
		usleep(2000);
	if (c->pid && c->status >= 0 && (WIFEXITED(c->status) || WIFSIGNALED(c->status)))
		c->pid = 0;

	ended(c, how, sizeof(how));
	cxl_child_stderr_tail(c, tail, sizeof(tail));
	cxl_child_stop(c);
	return cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0, "%s %s%s%s", c->what, how,
			     tail[0] ? ": " : "", tail);
}

enum cxl_err cxl_child_recv(struct cxl_child *c, char *line, size_t len, struct cxl_error *err)
{
	long long deadline = now_ms() + c->timeout_ms;

	for (;;) {
		char *nl = memchr(c->buf, '\n', c->len);
		struct pollfd p;
		long long left;
		ssize_t n;
		int r;

		if (nl) {
			size_t k = (size_t)(nl - c->buf);

			if (k && c->buf[k - 1] == '\r')
				k--;
			/* too long for the caller however it arrived (one read or several) */
			if (k >= len || k >= CXL_CHILD_LINE_MAX) {
				cxl_child_stop(c);
				return cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0,
						     "%s wrote a line longer than %d bytes", c->what,
						     (int)(len < CXL_CHILD_LINE_MAX ? len : CXL_CHILD_LINE_MAX) - 1);
			}
			memcpy(line, c->buf, k);
			line[k] = '\0';
			c->len -= (size_t)(nl + 1 - c->buf);
			memmove(c->buf, nl + 1, c->len);
			return CXL_OK;
		}
		if (c->len >= CXL_CHILD_LINE_MAX) {
			cxl_child_stop(c);
			return cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0,
					     "%s wrote a line longer than %d bytes", c->what,
					     CXL_CHILD_LINE_MAX - 1);
		}
		if (c->out < 0)
			return cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0, "%s is not running", c->what);
		left = deadline - now_ms();
		if (left <= 0) {
			cxl_child_stop(c);
			return cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0,
					     "%s did not answer within %u ms", c->what, c->timeout_ms);
		}
		p.fd = c->out;
		p.events = POLLIN;
		/* in slices: a child that died while something it started holds the pipe open
		 * gives no end of file, so its exit is looked for between slices */
		r = poll(&p, 1, (int)(left < 50 ? left : 50));
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0) {
			int st;

			if (c->pid && waitpid(c->pid, &st, WNOHANG) == c->pid) {
				c->status = st;
				c->pid = 0;
				return gone(c, err);
			}
			continue;
		}
		n = read(c->out, c->buf + c->len, sizeof(c->buf) - c->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return gone(c, err);
		c->len += (size_t)n;
	}
}

void cxl_child_stop(struct cxl_child *c)
{
	if (c->pgid > 0) {
		kill(-c->pgid, SIGKILL);   /* the whole group: helpers the target started too */
		track(c->pgid, false);
	}
	if (c->pid > 0) {
		kill(c->pid, SIGKILL);
		while (waitpid(c->pid, &c->status, 0) < 0 && errno == EINTR)
			;
	}
	c->pid = 0;
	c->pgid = 0;
	if (c->in >= 0)
		close(c->in);
	if (c->out >= 0)
		close(c->out);
	if (c->errfd >= 0)
		close(c->errfd);
	c->in = c->out = c->errfd = -1;
}
