/* SPDX-License-Identifier: MIT */
/*
 * topology.c - the checks of a trace's topology (topology:, parent:, port:) that need the
 * whole header: names that refer to other elements, and parent cycles.
 *
 * The YAML reader checks each token where it reads it (numbers, kinds, key names) and calls
 * cxl_trace_topology_check() once the header is complete, before the ops; the trace builder
 * calls it when a built trace is finished. Devices and nodes share one namespace: an
 * element is a device (index 0..ndevices-1) or a node (ndevices + i).
 */
#include <inttypes.h>
#include <string.h>

#include "trace_priv.h"

static const char *const kind_names[CXL_TOPO__COUNT] = {
	[CXL_TOPO_HOST_BRIDGE] = "host-bridge",
	[CXL_TOPO_ROOT_PORT] = "root-port",
	[CXL_TOPO_SWITCH_UP] = "switch-upstream",
	[CXL_TOPO_SWITCH_DOWN] = "switch-downstream",
};

CXL_EXPORT
const char *cxl_topo_kind_name(unsigned kind)
{
	return kind < CXL_TOPO__COUNT ? kind_names[kind] : NULL;
}

CXL_EXPORT
int cxl_trace_topo_find(const struct cxl_trace_header *h, const char *name)
{
	for (unsigned i = 0; i < h->ndevices; i++)
		if (!strcmp(h->devices[i].name, name))
			return (int)i;
	for (unsigned i = 0; i < h->nnodes; i++)
		if (!strcmp(h->nodes[i].name, name))
			return (int)(h->ndevices + i);
	return -1;
}

/* The header whose element names elem_at() hands out (set around cxl_trace_hint() only). */
static _Thread_local const struct cxl_trace_header *names_of;

static const char *elem_at(unsigned i)
{
	return i < names_of->ndevices ? names_of->devices[i].name :
					names_of->nodes[i - names_of->ndevices].name;
}

/* The name, parent and parent position of element @i of @h. */
static const char *elem_name(const struct cxl_trace_header *h, unsigned i)
{
	return i < h->ndevices ? h->devices[i].name : h->nodes[i - h->ndevices].name;
}

static const char *elem_parent(const struct cxl_trace_header *h, unsigned i, unsigned long *line,
			       unsigned long *col)
{
	if (i < h->ndevices) {
		*line = h->devices[i].parent_line;
		*col = h->devices[i].parent_col;
		return h->devices[i].parent;
	}
	*line = h->nodes[i - h->ndevices].parent_line;
	*col = h->nodes[i - h->ndevices].parent_col;
	return h->nodes[i - h->ndevices].parent;
}

/* " (did you mean 'X'?)" or the like for @word among the elements of @h, into @buf. */
static void elem_hint(const struct cxl_trace_header *h, const char *word, char *buf, size_t len)
{
	unsigned n = h->ndevices + h->nnodes;

	if (!n) {
		snprintf(buf, len, " (the trace declares no devices or nodes)");
		return;
	}
	names_of = h;
	cxl_trace_hint(buf, len, word, n, elem_at, "not a device or a node of topology: nodes:");
	names_of = NULL;
}

/* Whether element @i of @h is a host bridge: a host-bridge node, or a device without a parent. */
static bool is_host_bridge(const struct cxl_trace_header *h, unsigned i)
{
	if (i < h->ndevices)
		return !h->devices[i].parent[0];
	return h->nodes[i - h->ndevices].kind == CXL_TOPO_HOST_BRIDGE;
}

CXL_EXPORT
enum cxl_err cxl_trace_topology_check(const struct cxl_trace_header *h, struct cxl_error *err)
{
	unsigned n = h->ndevices + h->nnodes;
	char hint[400];

	if (h->nnodes > CXL_TRACE_MAX_NODES || h->nwindows > CXL_TRACE_MAX_WINDOWS)
		return cxl_error_set(err, CXL_ERR_LIMIT, NULL, 0, 0,
				     "too many topology nodes or windows: at most %d and %d",
				     CXL_TRACE_MAX_NODES, CXL_TRACE_MAX_WINDOWS);
	/* one namespace: a node may not reuse a device's name (reported at the later one) */
	for (unsigned i = 0; i < h->nnodes; i++) {
		const struct cxl_trace_node *x = &h->nodes[i];
		int d = cxl_trace_topo_find(h, x->name);

		if (cxl_trace_name_problem(x->name) || x->kind >= CXL_TOPO__COUNT)
			return cxl_error_set(err, CXL_ERR_VALUE, NULL, x->line, x->col,
					     "node '%s': not a valid name or kind", x->name);
		if (d >= 0 && (unsigned)d < h->ndevices) {
			const struct cxl_trace_device *dv = &h->devices[d];
			bool node_later = x->line > dv->line || (x->line == dv->line && x->col > dv->col);

			return cxl_error_set(err, CXL_ERR_SCHEMA, NULL, node_later ? x->line : dv->line,
					     node_later ? x->col : dv->col,
					     "'%s' is both a device and a topology node (one namespace)",
					     x->name);
		}
		if (d >= 0 && (unsigned)d != h->ndevices + i)
			return cxl_error_set(err, CXL_ERR_SCHEMA, NULL, x->line, x->col,
					     "duplicate node '%s'", x->name);
	}
	/* parents name an element; a host bridge has none; port needs a parent */
	for (unsigned i = 0; i < n; i++) {
		unsigned long pl, pc;
		const char *p = elem_parent(h, i, &pl, &pc);
		int port = i < h->ndevices ? h->devices[i].port : h->nodes[i - h->ndevices].port;

		if (!p[0]) {
			if (i >= h->ndevices && port >= 0)
				return cxl_error_set(err, CXL_ERR_SCHEMA, NULL, h->nodes[i - h->ndevices].line,
						     h->nodes[i - h->ndevices].col,
						     "node '%s' has a port but no parent", elem_name(h, i));
			continue;
		}
		if (port > CXL_TRACE_MAX_PORT)
			return cxl_error_set(err, CXL_ERR_VALUE, NULL, pl, pc,
					     "port %d of '%s' is out of range 0..%d", port, elem_name(h, i),
					     CXL_TRACE_MAX_PORT);
		if (i >= h->ndevices && h->nodes[i - h->ndevices].kind == CXL_TOPO_HOST_BRIDGE)
			return cxl_error_set(err, CXL_ERR_SCHEMA, NULL, pl, pc,
					     "host bridge '%s' has a parent (a host bridge is a root of the topology)",
					     elem_name(h, i));
		if (cxl_trace_topo_find(h, p) < 0) {
			elem_hint(h, p, hint, sizeof(hint));
			return cxl_error_set(err, CXL_ERR_UNKNOWN, NULL, pl, pc,
					     "unknown parent '%s' of '%s'%s", p, elem_name(h, i), hint);
		}
	}
	/* no cycles: walking parents from an element never comes back to it */
	for (unsigned i = 0; i < n; i++) {
		unsigned at = i, steps = 0;
		unsigned long pl, pc;

		for (;;) {
			const char *p = elem_parent(h, at, &pl, &pc);

			if (!p[0])
				break;
			at = (unsigned)cxl_trace_topo_find(h, p);
			if (at != i && ++steps > n)
				break;   /* a cycle above i, reported at one of its own elements */
			if (at == i) {
				char path[400];
				size_t pos = 0;
				unsigned k = i;

				path[0] = '\0';
				for (unsigned s = 0; s <= n && pos < sizeof(path); s++) {
					int w = snprintf(path + pos, sizeof(path) - pos, "%s%s", s ? " -> " : "",
							 elem_name(h, k));

					if (w < 0)
						break;
					pos += (size_t)w;
					if (s && k == i)
						break;
					k = (unsigned)cxl_trace_topo_find(h, elem_parent(h, k, &pl, &pc));
				}
				elem_parent(h, i, &pl, &pc);
				return cxl_error_set(err, CXL_ERR_VALUE, NULL, pl, pc,
						     "parent cycle: %s", path);
			}
		}
	}
	/* windows: targets are host bridges, distinct (CXL r3.1 §9.18.1.3: the Interleave Target List) */
	for (unsigned w = 0; w < h->nwindows; w++) {
		const struct cxl_trace_window *x = &h->windows[w];
		uint64_t g = x->granularity;

		if (!x->size || x->size % 0x10000000ULL || (x->has_base && x->base % 0x10000000ULL) ||
		    (x->has_base && x->base > UINT64_MAX - x->size) || g < 256 || g > 16384 || (g & (g - 1)) ||
		    !x->ntargets || x->ntargets > CXL_TRACE_MAX_WINDOW_TARGETS)
			return cxl_error_set(err, CXL_ERR_VALUE, NULL, x->line, x->col,
					     "window %u: base, size, granularity or targets out of range", w);
		for (unsigned t = 0; t < x->ntargets; t++) {
			int e = cxl_trace_topo_find(h, x->targets[t]);

			if (e < 0) {
				elem_hint(h, x->targets[t], hint, sizeof(hint));
				return cxl_error_set(err, CXL_ERR_UNKNOWN, NULL, x->target_line[t],
						     x->target_col[t], "unknown window target '%s'%s",
						     x->targets[t], hint);
			}
			if (!is_host_bridge(h, (unsigned)e))
				return cxl_error_set(err, CXL_ERR_VALUE, NULL, x->target_line[t],
						     x->target_col[t],
						     "window target '%s' is not a host bridge (%s): a window targets host bridges",
						     x->targets[t], (unsigned)e < h->ndevices ?
						     "a device with a parent" : "a node of another kind");
			for (unsigned u = 0; u < t; u++)
				if (!strcmp(x->targets[u], x->targets[t]))
					return cxl_error_set(err, CXL_ERR_VALUE, NULL, x->target_line[t],
							     x->target_col[t],
							     "window target '%s' is listed twice", x->targets[t]);
		}
	}
	return CXL_OK;
}
