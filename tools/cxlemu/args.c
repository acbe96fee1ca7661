/* SPDX-License-Identifier: MIT */
/*
 * args.c - parse a subcommand's arguments from its description, and print its help, its
 * man page and the bash completion from the same description (args.h has the contract).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "cxlemu/catalog.h"
#include "cxlemu/event.h"

static const struct cli_option help_option = {
	"help", 'h', 'h', CLI_V_NONE, NULL, NULL, "print this help and exit"
};

/* Option @k of @c's table followed by --help; NULL past the end. */
static const struct cli_option *option_at(const struct cli_command *c, unsigned k)
{
	unsigned n = 0;

	while (c->options && c->options[n].name)
		n++;
	if (k < n)
		return &c->options[k];
	return k == n ? &help_option : NULL;
}

static const struct cli_command *nearest_cmd;   /* for long_name_at() */

/* "--name" of option @k of nearest_cmd (cxl_nearest_name's callback; one buffer each). */
static const char *long_name_at(unsigned k)
{
	static char buf[64][72];
	const struct cli_option *o = option_at(nearest_cmd, k);

	if (!o || k >= 64)
		return NULL;
	snprintf(buf[k], sizeof(buf[k]), "--%s", o->name);
	return buf[k];
}

/* How many options @c has, --help included. */
static unsigned option_count(const struct cli_command *c)
{
	unsigned n = 0;

	while (option_at(c, n))
		n++;
	return n;
}

/* Prints "cxlemu CMD: message (see cxlemu help CMD)"; sets the status; CLI_STOP. */
static int fail(struct cli_parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct cli_parser *p, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cli_usage_error(p->cmd->name, "%s (see cxlemu help %s)", msg, p->cmd->name);
	p->status = EXIT_BAD_INPUT;
	return CLI_STOP;
}

int cli_bad_value(struct cli_parser *p, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cli_usage_error(p->cmd->name, "%s", msg);
	p->status = EXIT_BAD_INPUT;
	return CLI_STOP;
}

void cli_parse_begin(struct cli_parser *p, const struct cli_command *cmd, int argc, char **argv)
{
	memset(p, 0, sizeof(*p));
	p->cmd = cmd;
	p->argc = argc;
	p->argv = argv;
	p->i = 1;
	p->ops = argv + 1;   /* operands are moved down over arguments already read */
}

/* What " (text, json, tap or junit)" a value error appends for option @o, or "". */
static void choices_hint(const struct cli_option *o, char *buf, size_t len)
{
	buf[0] = '\0';
	if (o->value == CLI_V_CHOICE && o->choices) {
		size_t n = 0;
		const char *s = o->choices;

		n += (size_t)snprintf(buf + n, len - n, " (");
		while (*s && n < len) {
			const char *e = strchr(s, ' ');
			size_t w = e ? (size_t)(e - s) : strlen(s);

			n += (size_t)snprintf(buf + n, len - n, "%s%.*s", s == o->choices ? "" :
					      e ? ", " : " or ", (int)w, s);
			s += w;
			while (*s == ' ')
				s++;
		}
		if (n < len)
			snprintf(buf + n, len - n, ")");
	} else if (o->arg) {
		snprintf(buf, len, " (%s)", o->arg);
	}
}

/* Takes the option @o just matched, its inline value @inl (after '=' or in a bundle). */
static int take(struct cli_parser *p, const struct cli_option *o, char *inl)
{
	char hint[200];

	if (o->id == 'h' && o == &help_option) {
		cli_help(p->cmd, stdout);
		p->status = EXIT_PASS;
		return CLI_STOP;
	}
	p->arg = NULL;
	if (o->value == CLI_V_NONE) {
		if (inl)
			return fail(p, "option '--%s' takes no argument", o->name);
		return o->id;
	}
	if (inl) {
		p->arg = inl;
	} else if (p->i < p->argc) {
		p->arg = p->argv[p->i++];
	} else {
		choices_hint(o, hint, sizeof(hint));
		return fail(p, "option '%s' requires an argument%s", p->spelled, hint);
	}
	return o->id;
}

/* A long option "--name[=value]" at @a (past the dashes). */
static int long_option(struct cli_parser *p, char *a)
{
	char *eq = strchr(a, '=');
	size_t len = eq ? (size_t)(eq - a) : strlen(a);
	const struct cli_option *hit = NULL, *o;
	char cands[400] = "";
	unsigned nhits = 0;

	for (unsigned k = 0; (o = option_at(p->cmd, k)); k++) {
		if (strncmp(o->name, a, len))
			continue;
		if (strlen(o->name) == len) {     /* exact beats any prefix */
			hit = o;
			nhits = 1;
			break;
		}
		hit = o;
		nhits++;
		snprintf(cands + strlen(cands), sizeof(cands) - strlen(cands), "%s--%s",
			 cands[0] ? ", " : "", o->name);
	}
	if (nhits > 1)
		return fail(p, "option '--%.*s' is ambiguous (%s)", (int)len, a, cands);
	if (!hit) {
		char word[128];
		const char *near;

		snprintf(word, sizeof(word), "--%.*s", (int)len, a);
		nearest_cmd = p->cmd;
		near = cxl_nearest_name(word, long_name_at, option_count(p->cmd));
		if (near)
			return fail(p, "unknown option '%s' (did you mean '%s'?)", word, near);
		return fail(p, "unknown option '%s'", word);
	}
	return take(p, hit, eq ? eq + 1 : NULL);
}

/* The next short option of the bundle p->bundle. */
static int short_option(struct cli_parser *p)
{
	char c = *p->bundle++;
	const struct cli_option *o;
	static char spelled[3] = "-?";

	spelled[1] = c;
	p->spelled = spelled;
	for (unsigned k = 0; (o = option_at(p->cmd, k)); k++) {
		if (o->short_name != c)
			continue;
		if (o->value != CLI_V_NONE && *p->bundle) {   /* -oFILE */
			char *v = p->bundle;

			p->bundle = NULL;
			return take(p, o, v);
		}
		if (!*p->bundle)
			p->bundle = NULL;
		return take(p, o, NULL);
	}
	p->bundle = NULL;
	return fail(p, "unknown option '-%c'", c);
}

int cli_next(struct cli_parser *p)
{
	if (p->bundle)
		return short_option(p);
	while (p->i < p->argc) {
		char *a = p->argv[p->i++];

		if (p->dashdash || a[0] != '-' || !a[1]) {   /* an operand; "-" is one */
			p->ops[p->nops++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			p->dashdash = true;
			continue;
		}
		if (a[1] == '-') {
			p->spelled = a;
			return long_option(p, a + 2);
		}
		p->bundle = a + 1;
		return short_option(p);
	}
	return CLI_END;
}

/* ---- help ---- */

/* "  -o, --output FILE" (or "      --quiet") for @o into @buf. */
static void option_label(const struct cli_option *o, char *buf, size_t len)
{
	if (o->short_name)
		snprintf(buf, len, "  -%c, --%s%s%s", o->short_name, o->name, o->arg ? " " : "",
			 o->arg ? o->arg : "");
	else
		snprintf(buf, len, "      --%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
}

/* Writes @text with "{profiles}", "{models}" and "{formats}" replaced by the current lists. */
static void expand(FILE *f, const char *text)
{
	for (const char *s = text; *s; ) {
		if (!strncmp(s, "{profiles}", 10)) {
			for (unsigned i = 0; i < cxl_profile_count(); i++)
				fprintf(f, "%s%s", i ? ", " : "", cxl_profile_name(i));
			s += 10;
		} else if (!strncmp(s, "{models}", 8)) {
			for (unsigned i = 0; i < cxl_model_count(); i++)
				fprintf(f, "%s%s", i ? ", " : "", cxl_model_name(i));
			s += 8;
		} else if (!strncmp(s, "{formats}", 9)) {
			fputs(cli_format_list(), f);
			s += 9;
		} else {
			fputc(*s++, f);
		}
	}
}

/*
 * An option's help after its label: expanded and filled to 80 columns (continued under
 * column 24) at spaces; the "\n"s of the source text are spaces here (they break lines in
 * the source only).
 */
static void help_text(FILE *f, const char *h)
{
	char *buf = NULL;
	size_t len = 0, col = 24;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return;
	expand(m, h);
	fclose(m);
	for (char *w = buf; *w; ) {
		size_t n = strcspn(w, " \n");

		if (col > 24 && col + 1 + n > 80) {
			fprintf(f, "\n%-24s", "");
			col = 24;
		} else if (col > 24) {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%.*s", (int)n, w);
		col += n;
		w += n;
		if (*w)
			w++;
	}
	free(buf);
}

void cli_help(const struct cli_command *c, FILE *f)
{
	const struct cli_option *o;

	fprintf(f, "usage: cxlemu %s %s\n  ", c->name, c->synopsis);
	for (const char *s = c->description; *s; s++) {
		fputc(*s, f);
		if (*s == '\n' && s[1])
			fputs(s[1] == '\n' ? "" : "  ", f);
	}
	fputs("\n\noptions:\n", f);
	for (unsigned k = 0; (o = option_at(c, k)); k++) {
		char label[128];
		const char *h = o->help;

		option_label(o, label, sizeof(label));
		fprintf(f, "%-24s", label);
		if (strlen(label) >= 24)
			fprintf(f, "\n%-24s", "");
		help_text(f, h);
		fputc('\n', f);
	}
	fprintf(f, "\nexit status: %s\n", c->exit_status);
}

/* ---- man pages ---- */

/* Writes @s escaped for roff (backslashes, leading dots and quotes, hyphens). */
static void roff(FILE *f, const char *s)
{
	bool bol = true;

	for (; *s; s++) {
		if (bol && (*s == '.' || *s == '\''))
			fputs("\\&", f);
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else
			fputc(*s, f);
		bol = *s == '\n';
	}
}

/* roff() of @s after expand(). */
static void roff_expanded(FILE *f, const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return;
	expand(m, s);
	fclose(m);
	roff(f, buf);
	free(buf);
}

/* The parts of cxlemu(1) that belong to no one command: targets, environment, files. */
static const char man_targets[] =
	".SS Targets\n"
	".TP\n"
	".B model[:PROFILE]\n"
	"cxlemu's own model.\n"
	".TP\n"
	".B qemu[=PATH]\n"
	"qemu\\-system\\-x86_64 driven by qtest with no guest; the topology is built from the trace's\n"
	"devices; ops QEMU cannot perform are skipped with the reason.\n"
	".TP\n"
	".B exec:COMMAND\n"
	"Any program speaking the line protocol of traces/README.md (\"exec targets\"). A target that\n"
	"dies, hangs past \\fB\\-\\-timeout\\fR (default 10000 ms) or answers FAIL ends the run with exit 2;\n"
	"no process it started is left running.\n"
	".SH ENVIRONMENT\n"
	".TP\n"
	".B CXLEMU_CONFORMANCE_DIR\n"
	"The bundled conformance suite that conform, diff \\-\\-matrix and explain use without\n"
	"scenario arguments. Default: the source tree's traces/conformance while it exists, else\n"
	"the copy installed beside the binary (BIN/../share/cxlemu/conformance), else the\n"
	"configured install path.\n"
	".TP\n"
	".B CXLEMU_ENGINE_SLOW\n"
	"When set as a device is created, every write goes through the attribute engine's field loop\n"
	"instead of its per\\-register masks: for checking the fast paths (the results are the same).\n"
	".TP\n"
	".B CXLEMU_YAML_SLOW\n"
	"When set, every YAML trace is read by libyaml, without the reader's fast path for plain op\n"
	"lines (the results are the same: a trace the fast path cannot prove it reads alike goes to\n"
	"libyaml anyway).\n"
	".TP\n"
	".B CXLEMU_YAML_FAST_ONLY\n"
	"When set, a YAML trace the fast path declines is an error instead of going to libyaml (for\n"
	"tests that the fast path is taken).\n";
static const char man_files[] =
	".SH FILES\n"
	"The trace format is described in traces/README.md of the source tree; the spec schema in\n"
	"spec/README.md; the fuzz harnesses, their invariants and tools/fuzz/run in\n"
	"tools/fuzz/README.md.\n";

void cli_man(const struct cli_command *c, FILE *f, const char *version)
{
	const struct cli_option *o;

	if (!c) {
		fprintf(f, ".TH CXLEMU 1 \"\" \"cxlemu %s\" \"User Commands\"\n.SH NAME\ncxlemu \\- "
			"a deterministic CXL register emulator and conformance oracle\n.SH SYNOPSIS\n"
			".B cxlemu\n[\\fB\\-\\-version\\fR] [\\fB\\-\\-help\\fR] \\fICOMMAND\\fR "
			"[\\fIARGS\\fR]\n.br\n.B cxlemu help\n\\fICOMMAND\\fR\n.SH DESCRIPTION\n", version);
		roff(f, "cxlemu models the PCIe DVSEC for CXL Devices and the CXL HDM decoder capability "
		     "from a YAML description of the spec, replays recorded register accesses (native "
		     "traces, QEMU trace logs, qtest streams, mmiotrace) and reports every rule an "
		     "access breaks, with the rule id, the spec section, the register and field, the op "
		     "and the line of the trace.\n");
		fputs(".SH COMMANDS\n`cxlemu help COMMAND` and cxlemu\\-COMMAND(1) describe each.\n", f);
		for (unsigned i = 0; cli_commands[i]; i++) {
			fprintf(f, ".TP\n.BR cxlemu\\-%s (1)\n", cli_commands[i]->name);
			roff(f, cli_commands[i]->summary);
			fputc('\n', f);
		}
		fputs(man_targets, f);
		fputs(".SH EXIT STATUS\n0 every trace passes (or the command succeeded); 1 a check failed; "
		      "2 bad input or usage, reported as one line \\fIfile\\fR:\\fIline\\fR:\\fIcol\\fR: "
		      "error: ... on standard error with nothing on standard output (each command's page "
		      "has its own).\n", f);
		fputs(man_files, f);
		fputs(".SH SEE ALSO\n", f);
		for (unsigned i = 0; cli_commands[i]; i++)
			fprintf(f, ".BR cxlemu\\-%s (1),\n", cli_commands[i]->name);
		fputs(".BR libcxlemu (3)\n", f);
		return;
	}
	fprintf(f, ".TH CXLEMU\\-%s 1 \"\" \"cxlemu %s\" \"User Commands\"\n.SH NAME\ncxlemu\\-",
		c->name, version);
	roff(f, c->name);
	fputs(" \\- ", f);
	roff(f, c->summary);
	fprintf(f, "\n.SH SYNOPSIS\n.B cxlemu %s\n", c->name);
	roff(f, c->synopsis);
	fputs("\n.SH DESCRIPTION\n", f);
	for (const char *s = c->description; *s; ) {
		const char *e = strstr(s, "\n\n");
		size_t n = e ? (size_t)(e - s) : strlen(s);
		char *para = strndup(s, n);

		if (para) {
			roff_expanded(f, para);
			free(para);
		}
		fputs(e ? "\n.PP\n" : "\n", f);
		s += n;
		while (*s == '\n')
			s++;
	}
	fputs(".SH OPTIONS\n", f);
	for (unsigned k = 0; (o = option_at(c, k)); k++) {
		fputs(".TP\n", f);
		if (o->short_name)
			fprintf(f, "\\fB\\-%c\\fR, ", o->short_name);
		fputs("\\fB\\-\\-", f);
		roff(f, o->name);
		fputs("\\fR", f);
		if (o->arg) {
			fputs(" \\fI", f);
			roff(f, o->arg);
			fputs("\\fR", f);
		}
		fputc('\n', f);
		roff_expanded(f, o->help);
		fputc('\n', f);
	}
	fputs(".SH EXIT STATUS\n", f);
	roff(f, c->exit_status);
	fputs("\n.SH SEE ALSO\n.BR cxlemu (1)\n", f);
}

/* ---- bash completion ---- */

/* The words completing a value of kind @v (choices for CLI_V_CHOICE), space-separated. */
static void value_words(FILE *f, enum cli_value v, const char *choices)
{
	switch (v) {
	case CLI_V_MODEL:
		for (unsigned i = 0; i < cxl_model_count(); i++)
			fprintf(f, "%s%s", i ? " " : "", cxl_model_name(i));
		break;
	case CLI_V_PROFILE:
		for (unsigned i = 0; i < cxl_profile_count(); i++)
			fprintf(f, "%s%s", i ? " " : "", cxl_profile_name(i));
		break;
	case CLI_V_RULE:
		for (unsigned i = 0; i < cxl_rule_count(); i++)
			fprintf(f, "%s%s", i ? " " : "", cxl_rule_id(i));
		break;
	case CLI_V_CHOICE:
		fputs(choices ? choices : "", f);
		break;
	case CLI_V_TARGET:
		fputs("model qemu exec:", f);
		for (unsigned i = 0; i < cxl_profile_count(); i++)
			fprintf(f, " model:%s", cxl_profile_name(i));
		break;
	default:
		break;
	}
}

void cli_completion_bash(FILE *f)
{
	fputs("# bash completion for cxlemu (generated by `cxlemu help --completion bash`)\n"
	      "_cxlemu()\n{\n"
	      "    local cur prev cmd i\n"
	      "    COMPREPLY=()\n"
	      "    cur=${COMP_WORDS[COMP_CWORD]}\n"
	      "    prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	      "    cmd=\n"
	      "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
	      "        case ${COMP_WORDS[i]} in -*) ;; *) cmd=${COMP_WORDS[i]}; break ;; esac\n"
	      "    done\n"
	      "    if [[ -z $cmd ]]; then\n"
	      "        COMPREPLY=($(compgen -W \"--help --version help", f);
	for (unsigned i = 0; cli_commands[i]; i++)
		fprintf(f, " %s", cli_commands[i]->name);
	fputs("\" -- \"$cur\"))\n        return\n    fi\n    case $cmd in\n", f);
	fputs("    help)\n"
	      "        if [[ $prev == --completion ]]; then COMPREPLY=($(compgen -W bash -- \"$cur\")); return; fi\n"
	      "        if [[ $cur == -* ]]; then\n"
	      "            COMPREPLY=($(compgen -W \"--man --completion --commands\" -- \"$cur\")); return\n"
	      "        fi\n"
	      "        COMPREPLY=($(compgen -W \"", f);
	for (unsigned i = 0; cli_commands[i]; i++)
		fprintf(f, "%s%s", i ? " " : "", cli_commands[i]->name);
	fputs("\" -- \"$cur\"))\n        return ;;\n", f);
	for (unsigned i = 0; cli_commands[i]; i++) {
		const struct cli_command *c = cli_commands[i];
		const struct cli_option *o;

		fprintf(f, "    %s)\n        case $prev in\n", c->name);
		for (unsigned k = 0; (o = option_at(c, k)); k++) {
			if (o->value == CLI_V_NONE)
				continue;
			fprintf(f, "        --%s%s%c)\n", o->name, o->short_name ? "|-" : "",
				o->short_name ? o->short_name : ' ');
			if (o->value == CLI_V_FILE)
				fputs("            COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n", f);
			else if (o->value == CLI_V_TEXT)
				fputs("            return ;;\n", f);
			else {
				fputs("            COMPREPLY=($(compgen -W \"", f);
				value_words(f, o->value, o->choices);
				fputs("\" -- \"$cur\")); return ;;\n", f);
			}
		}
		fputs("        esac\n        if [[ $cur == -* ]]; then\n"
		      "            COMPREPLY=($(compgen -W \"", f);
		for (unsigned k = 0; (o = option_at(c, k)); k++)
			fprintf(f, "%s--%s", k ? " " : "", o->name);
		fputs("\" -- \"$cur\"))\n", f);
		if (c->operands == CLI_V_FILE)
			fputs("        else\n            COMPREPLY=($(compgen -f -- \"$cur\"))\n", f);
		else if (c->operands != CLI_V_NONE && c->operands != CLI_V_TEXT) {
			fputs("        else\n            COMPREPLY=($(compgen -W \"", f);
			value_words(f, c->operands, NULL);
			fputs("\" -- \"$cur\"))\n", f);
		}
		fputs("        fi ;;\n", f);
	}
	fputs("    esac\n}\ncomplete -o filenames -o bashdefault -F _cxlemu cxlemu\n", f);
}

/* ---- value checks ---- */

/* "unknown WHAT 'NAME' (did you mean 'X'?)" or with the list, from @name_at/@count. */
static int unknown(const char *cmd, const char *what, const char *name,
		   const char *(*name_at)(unsigned), unsigned count, const char *see)
{
	const char *near = cxl_nearest_name(name, name_at, count);
	char list[600] = "";

	if (near)
		return cli_usage_error(cmd, "unknown %s '%s' (did you mean '%s'?)", what, name, near), -1;
	if (count <= 12) {
		for (unsigned i = 0; i < count; i++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
				 !i ? "" : i + 1 == count ? " or " : ", ", name_at(i));
		return cli_usage_error(cmd, "unknown %s '%s' (%s)", what, name, list), -1;
	}
	return cli_usage_error(cmd, "unknown %s '%s' (%s)", what, name, see), -1;
}

int cli_model(const char *cmd, const char *name)
{
	int m = cxl_model_lookup(name);

	return m >= 0 ? m : unknown(cmd, "model", name, cxl_model_name, cxl_model_count(),
				    "see cxlemu spec");
}

int cli_profile(const char *cmd, const char *name)
{
	int p = cxl_profile_lookup(name);

	return p >= 0 ? p : unknown(cmd, "profile", name, cxl_profile_name, cxl_profile_count(),
				    "see cxlemu spec");
}

int cli_rule(const char *cmd, const char *name)
{
	int r = cxl_rule_lookup(name);

	return r >= 0 ? r : unknown(cmd, "rule", name, cxl_rule_id, cxl_rule_count(),
				    "see cxlemu spec for the list");
}

static const char *choice_words[32];

static const char *choice_at(unsigned i)
{
	return i < 32 ? choice_words[i] : NULL;
}

int cli_choice(const char *cmd, const char *what, const char *word, const char *choices)
{
	char buf[512];
	unsigned n = 0;
	int hit = -1;

	snprintf(buf, sizeof(buf), "%s", choices);
	for (char *s = strtok(buf, " "); s && n < 32; s = strtok(NULL, " ")) {
		if (!strcmp(s, word))
			hit = (int)n;
		choice_words[n++] = s;
	}
	if (hit >= 0)
		return hit;
	return unknown(cmd, what, word, choice_at, n, "");
}
