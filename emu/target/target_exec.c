/* SPDX-License-Identifier: MIT */
/*
 * target_exec.c - any program as a target, over the line protocol (traces/README.md,
 * "exec targets"): one request per line on its stdin, one answer per request on its stdout.
 *
 *   hello 1                             OK [TEXT]            (TEXT: name and version)
 *   device NAME MODEL [OPTION...]       OK | SKIP REASON
 *       OPTIONs as the trace gives them: hdm-decoders=N, fw-committed=BASE,SIZE,
 *       host-decoder=N,BASE,SIZE,committed|uncommitted,locked|unlocked, config-lock,
 *       mem-enable, view=NAME (numbers 0x-hex); a target that cannot build it answers SKIP
 *   start                               OK
 *   cfg-read|mmio-read NAME OFF SIZE [vmm]    OK VALUE | REFUSED VALUE | SKIP R | FAIL R
 *   cfg-write|mmio-write NAME OFF SIZE VALUE [vmm]   OK | REFUSED | SKIP R | FAIL R
 *       vmm: the VMM makes the access, not the guest; REFUSED: the access failed as a
 *       vfio region refuses it (the read's VALUE is what the VMM got)
 *   reset NAME KIND                     OK [NAME...] | SKIP REASON   (NAMEs: others it hit)
 *   inject NAME KIND BIT                OK | SKIP REASON
 *   quit                                (no answer: the program exits)
 * OFF and VALUE are 0x-hex in requests; VALUE in answers is 0x-hex or decimal. ERR REASON
 * is a FAIL. Marks are not sent. The command is split at blanks (no shell).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "child.h"
#include "target_priv.h"

struct ex {
	struct cxl_child child;
	struct cxl_trace_header hdr;
	bool skipped[CXL_TRACE_MAX_DEVICES];
	char skip_reason[CXL_TRACE_MAX_DEVICES][128];
};

/* Sends @req and reads the answer into @ans; errors name the request. */
static enum cxl_err ask(struct ex *x, const char *req, char *ans, size_t len, struct cxl_error *err)
{
	enum cxl_err rc = cxl_child_send(&x->child, req, err);

	if (!rc)
		rc = cxl_child_recv(&x->child, ans, len, err);
	if (rc && err) {
		char msg[sizeof(err->msg)];

		snprintf(msg, sizeof(msg), "%s", err->msg);
		cxl_error_set(err, rc, NULL, 0, 0, "%.300s (after '%.100s')", msg, req);
	}
	return rc;
}

/* True when @ans begins with the word @w (followed by a blank or its end); *@rest after it. */
static bool word(const char *ans, const char *w, const char **rest)
{
	size_t n = strlen(w);

	if (strncmp(ans, w, n) || (ans[n] && ans[n] != ' '))
		return false;
	*rest = ans[n] ? ans + n + 1 : ans + n;
	return true;
}

/* An answer that is neither expected nor SKIP: FAIL/ERR or garbage. */
static enum cxl_err bad_answer(struct ex *x, const char *req, const char *ans, struct cxl_error *err)
{
	const char *rest;

	cxl_child_stop(&x->child);
	if (word(ans, "FAIL", &rest) || word(ans, "ERR", &rest))
		return cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0, "exec target failed '%.100s': %.300s",
				     req, rest);
	return cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0,
			     "exec target answered '%.100s' to '%.100s' (want OK, SKIP, FAIL or ERR)",
			     ans, req);
}

static enum cxl_err ex_start(struct cxl_target *t, const struct cxl_trace_header *h,
			     struct cxl_error *err)
{
	struct ex *x = calloc(1, sizeof(*x));
	char *argv[CXL_TARGET_EXEC_WORDS + 1], copy[sizeof(t->arg)], ans[CXL_CHILD_LINE_MAX], req[1024];
	const char *rest;
	unsigned argc = 0;
	enum cxl_err rc;

	if (!x)
		return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "out of memory");
	t->impl = x;
	x->hdr = *h;
	x->child.in = x->child.out = x->child.errfd = -1;
	snprintf(copy, sizeof(copy), "%s", t->arg);
	for (char *p = strtok(copy, " \t"); p && argc < CXL_TARGET_EXEC_WORDS; p = strtok(NULL, " \t"))
		argv[argc++] = p;
	argv[argc] = NULL;
	if (!argc)
		return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0, "exec target: empty command");
	rc = cxl_child_start(&x->child, argv, "exec target", t->opts.timeout_ms, err);
	if (rc)
		return rc;
	if ((rc = ask(x, "hello 1", ans, sizeof(ans), err)))
		return rc;
	if (!word(ans, "OK", &rest))
		return bad_answer(x, "hello 1", ans, err);
	snprintf(t->provenance, sizeof(t->provenance), "target: exec\ncommand: %s\nhello: %s\n",
		 t->arg, rest);
	for (unsigned i = 0; i < h->ndevices; i++) {
		const struct cxl_trace_device *td = &h->devices[i];
		size_t n = (size_t)snprintf(req, sizeof(req), "device %s %s", td->name, td->model);

		if (td->hdm_decoders > 0)
			n += (size_t)snprintf(req + n, sizeof(req) - n, " hdm-decoders=%d", td->hdm_decoders);
		if (td->fw_committed)
			n += (size_t)snprintf(req + n, sizeof(req) - n, " fw-committed=0x%llx,0x%llx",
					      (unsigned long long)td->fw_base, (unsigned long long)td->fw_size);
		for (unsigned k = 0; k < CXL_HOST_DECODERS_MAX && n < sizeof(req); k++)
			if (td->host[k].set)
				n += (size_t)snprintf(req + n, sizeof(req) - n,
						      " host-decoder=%u,0x%llx,0x%llx,%s,%s", k,
						      (unsigned long long)td->host[k].base,
						      (unsigned long long)td->host[k].size,
						      td->host[k].committed ? "committed" : "uncommitted",
						      td->host[k].locked ? "locked" : "unlocked");
		if (td->host_config_lock && n < sizeof(req))
			n += (size_t)snprintf(req + n, sizeof(req) - n, " config-lock");
		if (td->host_mem_enable && n < sizeof(req))
			n += (size_t)snprintf(req + n, sizeof(req) - n, " mem-enable");
		if (td->view && n < sizeof(req))
			n += (size_t)snprintf(req + n, sizeof(req) - n, " view=%s", cxl_view_name(td->view));
		if (n >= sizeof(req))
			return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "device %s: the request is too long",
					     td->name);
		if ((rc = ask(x, req, ans, sizeof(ans), err)))
			return rc;
		if (word(ans, "SKIP", &rest)) {
			x->skipped[i] = true;
			snprintf(x->skip_reason[i], sizeof(x->skip_reason[i]), "%.*s", (int)sizeof(x->skip_reason[i]) - 1, rest);
		} else if (!word(ans, "OK", &rest)) {
			return bad_answer(x, req, ans, err);
		}
	}
	if ((rc = ask(x, "start", ans, sizeof(ans), err)))
		return rc;
	if (!word(ans, "OK", &rest))
		return bad_answer(x, "start", ans, err);
	return CXL_OK;
}

/* Parses a number of an answer: 0x-hex or decimal, the whole word. */
static bool number(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	/* 0x-hex or decimal; a leading 0 is decimal, not octal */
	*v = s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? strtoull(s + 2, &end, 16) : strtoull(s, &end, 10);
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && end == s + 2)
		return false;
	return !errno && end != s && (!*end || *end == ' ');
}

static enum cxl_err ex_op(struct cxl_target *t, const struct cxl_op *op,
			  struct cxl_target_reply *r, struct cxl_error *err)
{
	struct ex *x = t->impl;
	const char *name = op->dev < x->hdr.ndevices ? x->hdr.devices[op->dev].name : "?";
	char req[256], ans[CXL_CHILD_LINE_MAX];
	const char *rest;
	unsigned space;
	bool write, access = cxl_op_kind_access(op->kind, &space, &write);
	enum cxl_err rc;

	if (op->kind == CXL_OP_MARK)
		return CXL_OK;
	if (op->dev < x->hdr.ndevices && x->skipped[op->dev]) {
		cxl_target_skip(r, "%s", x->skip_reason[op->dev]);
		return CXL_OK;
	}
	if (access && write)
		snprintf(req, sizeof(req), "%s %s 0x%llx %u 0x%llx%s", cxl_op_kind_name(op->kind), name,
			 (unsigned long long)op->offset, op->size, (unsigned long long)op->value,
			 op->flags & CXL_OPF_VMM ? " vmm" : "");
	else if (access)
		snprintf(req, sizeof(req), "%s %s 0x%llx %u%s", cxl_op_kind_name(op->kind), name,
			 (unsigned long long)op->offset, op->size, op->flags & CXL_OPF_VMM ? " vmm" : "");
	else if (op->kind == CXL_OP_RESET)
		snprintf(req, sizeof(req), "reset %s %s", name, cxl_reset_kind_name(op->reset));
	else
		snprintf(req, sizeof(req), "inject %s %s %u", name, cxl_inject_kind_name(op->inject), op->bit);
	if ((rc = ask(x, req, ans, sizeof(ans), err)))
		return rc;
	if (word(ans, "SKIP", &rest)) {
		cxl_target_skip(r, "%s", rest);
		return CXL_OK;
	}
	if (access && word(ans, "REFUSED", &rest))
		r->refused = true;
	else if (!word(ans, "OK", &rest))
		return bad_answer(x, req, ans, err);
	if (access && !write && (!r->refused || *rest)) {
		if (!number(rest, &r->value) || (op->size < 8 && r->value >> (8 * op->size))) {
			cxl_child_stop(&x->child);
			return cxl_error_set(err, CXL_ERR_IO, NULL, 0, 0,
					     "exec target answered '%.100s' to '%.100s' (want OK VALUE or REFUSED VALUE that fits %u bytes)",
					     ans, req, op->size);
		}
		r->has_value = true;
	}
	if (op->kind == CXL_OP_RESET) {
		char names[CXL_CHILD_LINE_MAX];

		snprintf(names, sizeof(names), "%s", rest);
		for (char *p = strtok(names, " "); p; p = strtok(NULL, " "))
			for (unsigned i = 0; i < x->hdr.ndevices; i++)
				if (!strcmp(p, x->hdr.devices[i].name) && i != op->dev)
					r->also_reset |= 1ULL << i;
	}
	return CXL_OK;
}

static void ex_close(struct cxl_target *t)
{
	struct ex *x = t->impl;

	if (!x)
		return;
	if (x->child.pid) {
		cxl_child_send(&x->child, "quit", NULL);
		cxl_child_stop(&x->child);
	}
	free(x);
}

const struct cxl_target_ops cxl_target_exec_ops = { ex_start, ex_op, ex_close };
