/* SPDX-License-Identifier: MIT */
/*
 * expect.c - carry a hand-written expect: list over into an imported trace.
 *
 * The file is YAML: either a mapping with an `expect:` key (for example the
 * previous import of the same log; its other keys are skipped) or a bare
 * sequence. Each item is {op: N, rule: ID, why: TEXT} with why optional.
 * Items are re-emitted in file order, in one canonical flow style.
 */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "import_int.h"

struct xp {
	yaml_parser_t parser;
	yaml_event_t ev;
	bool have;
	const char *path;
	struct cxl_error *err;
};

/* Reads the next event into x->ev (freeing the previous one). */
static enum cxl_err next(struct xp *x)
{
	if (x->have)
		yaml_event_delete(&x->ev);
	x->have = false;
	if (!yaml_parser_parse(&x->parser, &x->ev))
		return cxl_error_set(x->err, CXL_ERR_SYNTAX, x->path,
				     x->parser.problem_mark.line + 1,
				     x->parser.problem_mark.column + 1, "%s",
				     x->parser.problem ? x->parser.problem :
				     "invalid YAML");
	x->have = true;
	return CXL_OK;
}

/* Error at the current event. */
static enum cxl_err at(struct xp *x, enum cxl_err code, const char *msg)
{
	return cxl_error_set(x->err, code, x->path, x->ev.start_mark.line + 1,
			     x->ev.start_mark.column + 1, "%s", msg);
}

/* Skips the node starting at the current event (scalars and collections). */
static enum cxl_err skip_node(struct xp *x)
{
	int depth = 0;

	do {
		switch (x->ev.type) {
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			depth++;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		default:
			break;
		}
		if (depth > 0 && next(x))
			return x->err->code;
	} while (depth > 0);
	return CXL_OK;
}

/* Scalar text of the current event; NULL if it is not a scalar. */
static const char *scalar(struct xp *x, size_t *len)
{
	if (x->ev.type != YAML_SCALAR_EVENT)
		return NULL;
	*len = x->ev.data.scalar.length;
	return (const char *)x->ev.data.scalar.value;
}

/* True when @s[0..n) is a rule id: [A-Za-z0-9_.-]{1,63}. */
static bool rule_ok(const char *s, size_t n)
{
	if (!n || n >= CXL_TRACE_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_.-", s[i]) || !s[i])
			return false;
	return true;
}

/* Parses one {op, rule, why} mapping (current event: its start). */
static enum cxl_err item(struct xp *x, struct imp_expect *ex)
{
	struct imp_expect_item it = { 0 };
	bool has_op = false, has_rule = false;
	const char *s;
	size_t n;

	if (x->ev.type != YAML_MAPPING_START_EVENT)
		return at(x, CXL_ERR_SCHEMA,
			  "expect item must be a mapping {op: N, rule: ID, why: TEXT}");
	it.line = x->ev.start_mark.line + 1;
	it.col = x->ev.start_mark.column + 1;
	for (;;) {
		char key[8];

		if (next(x))
			goto fail;
		if (x->ev.type == YAML_MAPPING_END_EVENT)
			break;
		s = scalar(x, &n);
		if (!s || n >= sizeof(key)) {
			at(x, CXL_ERR_SCHEMA, "unknown key in expect item (op, rule, why)");
			goto fail;
		}
		memcpy(key, s, n);
		key[n] = '\0';
		if (strcmp(key, "op") && strcmp(key, "rule") && strcmp(key, "why")) {
			at(x, CXL_ERR_SCHEMA, "unknown key in expect item (op, rule, why)");
			goto fail;
		}
		if (next(x))
			goto fail;
		s = scalar(x, &n);
		if (!s) {
			at(x, CXL_ERR_SCHEMA, "expect item values are scalars");
			goto fail;
		}
		if (!strcmp(key, "op")) {
			uint64_t v;

			if (!imp_parse_num(s, n, &v)) {
				at(x, CXL_ERR_VALUE, "op must be an op index (a number)");
				goto fail;
			}
			it.op = (unsigned long)v;
			has_op = true;
		} else if (!strcmp(key, "rule")) {
			if (!rule_ok(s, n)) {
				at(x, CXL_ERR_VALUE, "rule must match [A-Za-z0-9_.-]{1,63}");
				goto fail;
			}
			memcpy(it.rule, s, n);
			it.rule[n] = '\0';
			has_rule = true;
		} else {
			free(it.why);
			it.why = malloc(n + 1);
			if (!it.why) {
				at(x, CXL_ERR_IO, "out of memory");
				goto fail;
			}
			memcpy(it.why, s, n);
			it.why[n] = '\0';
		}
	}
	if (!has_op || !has_rule) {
		cxl_error_set(x->err, CXL_ERR_SCHEMA, x->path, it.line, it.col,
			      "expect item needs op: and rule:");
		goto fail;
	}
	if (ex->n == ex->cap) {
		size_t cap = ex->cap ? ex->cap * 2 : 16;
		struct imp_expect_item *p = realloc(ex->items, cap * sizeof(*p));

		if (!p) {
			at(x, CXL_ERR_IO, "out of memory");
			goto fail;
		}
		ex->items = p;
		ex->cap = cap;
	}
	ex->items[ex->n++] = it;
	return CXL_OK;
fail:
	free(it.why);
	return x->err->code;
}

/* Parses the sequence starting at the current event into @ex. */
static enum cxl_err list(struct xp *x, struct imp_expect *ex)
{
	size_t n;

	ex->present = true;
	if (x->ev.type == YAML_SCALAR_EVENT && scalar(x, &n) &&
	    (n == 0 || (n == 1 && x->ev.data.scalar.value[0] == '~')))
		return CXL_OK;
	if (x->ev.type != YAML_SEQUENCE_START_EVENT)
		return at(x, CXL_ERR_SCHEMA, "expect: must be a sequence");
	for (;;) {
		if (next(x))
			return x->err->code;
		if (x->ev.type == YAML_SEQUENCE_END_EVENT)
			return CXL_OK;
		if (item(x, ex))
			return x->err->code;
	}
}

/* Walks the document: a root sequence, or the expect: key of a root mapping. */
static enum cxl_err document(struct xp *x, struct imp_expect *ex)
{
	const char *s;
	size_t n;

	do {
		if (next(x))
			return x->err->code;
	} while (x->ev.type == YAML_STREAM_START_EVENT ||
		 x->ev.type == YAML_DOCUMENT_START_EVENT);
	if (x->ev.type == YAML_SEQUENCE_START_EVENT)
		return list(x, ex);
	if (x->ev.type != YAML_MAPPING_START_EVENT)
		return at(x, CXL_ERR_SCHEMA,
			  "expect file must be a sequence or a mapping with expect:");
	for (;;) {
		bool want;

		if (next(x))
			return x->err->code;
		if (x->ev.type == YAML_MAPPING_END_EVENT)
			return CXL_OK;
		s = scalar(x, &n);
		want = s && imp_word_is(s, n, "expect");
		if (next(x))
			return x->err->code;
		if (want) {
			if (list(x, ex))
				return x->err->code;
		} else if (skip_node(x)) {
			return x->err->code;
		}
	}
}

/*
 * Loads the expect: list of @path into @ex (zeroed first). On error @ex is
 * left empty and @err points into the file.
 */
enum cxl_err imp_expect_load(const char *path, struct imp_expect *ex,
			     struct cxl_error *err)
{
	struct xp x = { .path = path, .err = err };
	FILE *f;
	enum cxl_err rc;

	memset(ex, 0, sizeof(*ex));
	f = fopen(path, "rb");
	if (!f)
		return cxl_error_set(err, CXL_ERR_IO, path, 0, 0,
				     "cannot open expect file");
	if (!yaml_parser_initialize(&x.parser)) {
		fclose(f);
		return cxl_error_set(err, CXL_ERR_IO, path, 0, 0, "out of memory");
	}
	yaml_parser_set_input_file(&x.parser, f);
	rc = document(&x, ex);
	if (x.have)
		yaml_event_delete(&x.ev);
	yaml_parser_delete(&x.parser);
	fclose(f);
	if (rc)
		imp_expect_free(ex);
	return rc;
}

/* Fails on the first item whose op index is not below @nops. */
enum cxl_err imp_expect_check(const struct imp_expect *ex, const char *path,
			      unsigned long nops, struct cxl_error *err)
{
	for (size_t i = 0; i < ex->n; i++)
		if (ex->items[i].op >= nops)
			return cxl_error_set(err, CXL_ERR_VALUE, path,
					     ex->items[i].line, ex->items[i].col,
					     "expect op %lu is past the last op (the import has %lu ops)",
					     ex->items[i].op, nops);
	return CXL_OK;
}

/* Writes the list as `expect:` with one flow mapping per item. */
void imp_expect_write(const struct imp_expect *ex, FILE *out)
{
	if (!ex->present)
		return;
	fputs(ex->n ? "expect:\n" : "expect: []\n", out);
	for (size_t i = 0; i < ex->n; i++) {
		fprintf(out, "  - {op: %lu, rule: %s", ex->items[i].op,
			ex->items[i].rule);
		if (ex->items[i].why) {
			fputs(", why: ", out);
			imp_yaml_quote(out, ex->items[i].why,
				       strlen(ex->items[i].why));
		}
		fputs("}\n", out);
	}
}

/* Frees the items; @ex is empty afterwards. */
void imp_expect_free(struct imp_expect *ex)
{
	for (size_t i = 0; i < ex->n; i++)
		free(ex->items[i].why);
	free(ex->items);
	memset(ex, 0, sizeof(*ex));
}
