/* SPDX-License-Identifier: MIT */
/*
 * target.c - the target interface (cxlemu/target.h) and the model target.
 *
 * The model target runs the ops on the register model itself, each device under the
 * profile the spec names ("model:PROFILE") or, without one, the trace's profiles as replay
 * uses them; reads answer the model's value. It is what the process targets are measured
 * against, and a reference for their protocol.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "child.h"
#include "cxlemu/device.h"
#include "target_priv.h"

void cxl_target_skip(struct cxl_target_reply *r, const char *fmt, ...)
{
	va_list ap;

	r->skipped = true;
	r->has_value = false;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
}

CXL_EXPORT
enum cxl_err cxl_target_open(const char *spec, const struct cxl_target_opts *opts,
			     struct cxl_target **out, struct cxl_error *err)
{
	/* each kind with its one separator: model:PROFILE, qemu=PATH, exec:COMMAND */
	static const struct { const char *prefix; const char *kind; const struct cxl_target_ops *ops; bool need_arg; char sep; } kinds[] = {
		{ "model", "model", &cxl_target_model_ops, false, ':' },
		{ "qemu", "qemu", &cxl_target_qemu_ops, false, '=' },
		{ "exec", "exec", &cxl_target_exec_ops, true, ':' },
	};
	struct cxl_target *t;

	if (!spec || !out)
		return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0, "no target given");
	for (unsigned i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t n = strlen(kinds[i].prefix);
		const char *arg;

		if (strncmp(spec, kinds[i].prefix, n) || (spec[n] && spec[n] != kinds[i].sep))
			continue;
		arg = spec[n] ? spec + n + 1 : "";
		if (kinds[i].need_arg) {
			unsigned words = 0;

			for (const char *p = arg; *p;) {
				while (*p == ' ' || *p == '\t')
					p++;
				if (*p)
					words++;
				while (*p && *p != ' ' && *p != '\t')
					p++;
			}
			if (!words)
				return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0,
						     "target '%s' needs a command: exec:COMMAND", spec);
			if (words > CXL_TARGET_EXEC_WORDS)
				return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0,
						     "target '%.40s...': more than %d words in the command",
						     spec, CXL_TARGET_EXEC_WORDS);
		}
		if (strlen(arg) >= sizeof(t->arg))
			return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0, "target '%.40s...' is too long", spec);
		if (!strcmp(kinds[i].kind, "model") && *arg && cxl_profile_lookup(arg) < 0)
			return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0,
					     "target '%s': unknown profile '%s'", spec, arg);
		t = calloc(1, sizeof(*t));
		if (!t)
			return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "out of memory");
		t->ops = kinds[i].ops;
		t->kind = kinds[i].kind;
		if (opts)
			t->opts = *opts;
		if (!t->opts.timeout_ms)
			t->opts.timeout_ms = 10000;
		snprintf(t->arg, sizeof(t->arg), "%s", arg);
		*out = t;
		return CXL_OK;
	}
	return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0,
			     "unknown target '%s' (model[:PROFILE], qemu[=PATH] or exec:COMMAND)", spec);
}

CXL_EXPORT
enum cxl_err cxl_target_start(struct cxl_target *t, const struct cxl_trace_header *h,
			      struct cxl_error *err)
{
	/* a second start ends the previous run first: a fresh process, fresh devices */
	if (t->impl && t->ops->close)
		t->ops->close(t);
	t->impl = NULL;
	t->provenance[0] = '\0';
	return t->ops->start(t, h, err);
}

CXL_EXPORT
enum cxl_err cxl_target_op(struct cxl_target *t, const struct cxl_op *op,
			   struct cxl_target_reply *reply, struct cxl_error *err)
{
	memset(reply, 0, sizeof(*reply));
	return t->ops->op(t, op, reply, err);
}

CXL_EXPORT
bool cxl_target_next_setup(struct cxl_target *t, struct cxl_op *op)
{
	return t && t->impl && t->ops->next_setup && t->ops->next_setup(t, op);
}

CXL_EXPORT
const char *cxl_target_kind(const struct cxl_target *t)
{
	return t->kind;
}

CXL_EXPORT
const char *cxl_target_provenance(const struct cxl_target *t)
{
	return t->provenance;
}

CXL_EXPORT
void cxl_target_close(struct cxl_target *t)
{
	if (!t)
		return;
	if (t->ops->close)
		t->ops->close(t);
	free(t);
}

CXL_EXPORT
void cxl_target_kill_all(void)
{
	cxl_child_kill_all();
}

/* ---- the model target ---- */

struct model {
	unsigned n;
	struct cxl_device *dev[CXL_TRACE_MAX_DEVICES];
};

static enum cxl_err model_start(struct cxl_target *t, const struct cxl_trace_header *h,
				struct cxl_error *err)
{
	struct model *m = calloc(1, sizeof(*m));
	const char *tp = h->profile[0] ? h->profile : cxl_default_profile();

	if (!m)
		return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0, "out of memory");
	t->impl = m;
	for (unsigned i = 0; i < h->ndevices; i++) {
		const struct cxl_trace_device *td = &h->devices[i];
		struct cxl_device_opts o;
		const char *p = t->arg[0] ? t->arg : td->profile[0] ? td->profile : tp;
		enum cxl_err rc;

		cxl_trace_device_opts(td, &o);
		rc = cxl_device_create(td->name, td->model, p, &o, &m->dev[i], err);
		if (rc)
			return rc;
		m->n = i + 1;
	}
	snprintf(t->provenance, sizeof(t->provenance), "target: model\nprofile: %s\n",
		 t->arg[0] ? t->arg : tp);
	return CXL_OK;
}

static enum cxl_err model_op(struct cxl_target *t, const struct cxl_op *op,
			     struct cxl_target_reply *r, struct cxl_error *err)
{
	struct model *m = t->impl;
	struct cxl_device *d = op->dev < m->n ? m->dev[op->dev] : NULL;
	unsigned space;
	bool write;

	if (op->kind == CXL_OP_MARK)
		return CXL_OK;
	if (!d)
		return cxl_error_set(err, CXL_ERR_USAGE, NULL, 0, 0, "op for device %u of %u", op->dev, m->n);
	cxl_device_set_op_flags(d, op->flags);
	if (cxl_op_kind_access(op->kind, &space, &write)) {
		uint64_t v = 0;

		if (!cxl_device_access(d, space, write, op->offset, op->size, op->value, write, &v))
			return cxl_error_set(err, CXL_ERR_VALUE, NULL, 0, 0,
					     "offset 0x%llx size %u is outside the %s space",
					     (unsigned long long)op->offset, op->size, cxl_space_word(space));
		r->has_value = !write;
		r->value = v;
		r->refused = cxl_device_last_refused(d);
	} else if (op->kind == CXL_OP_RESET) {
		cxl_device_reset(d, op->reset);
	} else if (op->kind == CXL_OP_INJECT) {
		if (!cxl_device_inject(d, op->inject, op->bit))
			cxl_target_skip(r, "the model of %s cannot inject %s bit %u", cxl_device_model_name(d),
					cxl_inject_kind_name(op->inject), op->bit);
	}
	return CXL_OK;
}

static void model_close(struct cxl_target *t)
{
	struct model *m = t->impl;

	if (!m)
		return;
	for (unsigned i = 0; i < m->n; i++)
		cxl_device_destroy(m->dev[i]);
	free(m);
}

const struct cxl_target_ops cxl_target_model_ops = { model_start, model_op, model_close };
