/* SPDX-License-Identifier: MIT */
/*
 * cmd_spec.c - "cxlemu spec": the register map of a device model under a
 * profile, straight from the generated spec tables: every register and
 * field with bits, effective access attribute, lock source, reset value and
 * spec section. Without --device it lists models, profiles and rules.
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "cxlemu/catalog.h"
#include "cxlemu/device.h"
#include "cxlemu/event.h"
#include "cxlemu/report.h"

static void list(bool json)
{
	if (json) {
		fputs("{\"models\": [", stdout);
		for (unsigned i = 0; i < cxl_model_count(); i++) {
			printf("%s{\"name\": \"%s\", \"kind\": \"%s\", \"description\": \"", i ? ", " : "",
			       cxl_model_name(i), cxl_kind_word(cxl_model_kind(i)));
			cxl_json_escape(stdout, cxl_model_description(i));
			fputs("\"}", stdout);
		}
		fputs("], \"profiles\": [", stdout);
		for (unsigned i = 0; i < cxl_profile_count(); i++) {
			printf("%s{\"name\": \"%s\", \"description\": \"", i ? ", " : "",
			       cxl_profile_name(i));
			cxl_json_escape(stdout, cxl_profile_description(i));
			fputs("\"}", stdout);
		}
		fputs("], \"rules\": [", stdout);
		for (unsigned i = 0; i < CXL_RULE__COUNT; i++)
		{
			printf("%s{\"id\": \"%s\", \"severity\": \"%s\", \"spec\": \"", i ? ", " : "",
			       cxl_rule_id(i), cxl_severity_word(cxl_rule_severity(i)));
			cxl_json_escape(stdout, cxl_rule_spec(i));
			fputs("\"}", stdout);
		}
		fputs("]}\n", stdout);
		return;
	}
	puts("models:");
	for (unsigned i = 0; i < cxl_model_count(); i++)
		printf("  %-18s %-12s %s\n", cxl_model_name(i), cxl_kind_word(cxl_model_kind(i)),
		       cxl_model_description(i));
	puts("profiles:");
	for (unsigned i = 0; i < cxl_profile_count(); i++)
		printf("  %-18s %s\n", cxl_profile_name(i), cxl_profile_description(i));
	puts("rules:");
	for (unsigned i = 0; i < CXL_RULE__COUNT; i++)
		printf("  %-26s %-8s %s (%s)\n", cxl_rule_id(i), cxl_severity_word(cxl_rule_severity(i)),
		       cxl_rule_message(i), cxl_rule_spec(i));
}

static void map(const struct cxl_device *d, bool json)
{
	unsigned n = cxl_device_nregs(d);

	if (json)
		printf("{\"model\": \"%s\", \"profile\": \"%s\", \"registers\": [",
		       cxl_device_model_name(d), cxl_device_profile_name(d));
	else
		printf("model %s (%s), profile %s\n", cxl_device_model_name(d),
		       cxl_model_description((unsigned)cxl_model_lookup(cxl_device_model_name(d))),
		       cxl_device_profile_name(d));
	for (unsigned i = 0; i < n; i++) {
		unsigned space, width;
		uint32_t off;
		const char *name, *spec;
		uint64_t value, reset;

		cxl_device_reg_info(d, i, &space, &off, &name, &value);
		cxl_device_reg_detail(d, i, &width, &reset, &spec);
		if (json)
			printf("%s{\"space\": \"%s\", \"offset\": %u, \"name\": \"%s\", \"width\": %u, "
			       "\"reset\": %llu, \"spec\": \"%s\", \"fields\": [", i ? ", " : "",
			       cxl_space_word(space), off, name, width, (unsigned long long)reset, spec);
		else
			printf("\n%-9s 0x%04x %-44s %2u-bit reset 0x%0*llx  %s\n", cxl_space_word(space), off,
			       name, width, (int)width / 4, (unsigned long long)reset, spec);
		for (unsigned j = 0; j < cxl_device_reg_nfields(d, i); j++) {
			const char *fname, *lock;
			unsigned lo, hi, access;
			uint64_t freset;
			char bits[16];

			cxl_device_field_info(d, i, j, &fname, &lo, &hi, &access, &lock, &freset);
			if (lo == hi)
				snprintf(bits, sizeof(bits), "%u", lo);
			else
				snprintf(bits, sizeof(bits), "%u:%u", hi, lo);
			if (json)
				printf("%s{\"name\": \"%s\", \"bits\": \"%s\", \"access\": \"%s\", "
				       "\"lock\": \"%s\", \"reset\": %llu}", j ? ", " : "", fname, bits,
				       cxl_access_word(access), lock, (unsigned long long)freset);
			else
				printf("    %-7s %-44s %-8s%-13s reset 0x%llx\n", bits, fname,
				       cxl_access_word(access),
				       strcmp(lock, "none") ? lock : "", (unsigned long long)freset);
		}
		if (json)
			fputs("]}", stdout);
	}
	if (json)
		fputs("]}\n", stdout);
}

static const struct cli_option spec_options[] = {
	{ "device", 0, 'd', CLI_V_MODEL, "MODEL", NULL,
	  "print the register map of MODEL ({models})" },
	{ "profile", 0, 'p', CLI_V_PROFILE, "NAME", NULL,
	  "as personality NAME applies it (default: the default profile)" },
	{ "hdm-decoders", 0, 'n', CLI_V_TEXT, "N", NULL,
	  "with --device: a device with N HDM decoders (1..32)" },
	{ "format", 0, 'f', CLI_V_CHOICE, "FORMAT", "text json",
	  "text (default) or json" },
	{ NULL, 0, 0, CLI_V_NONE, NULL, NULL, NULL },
};

const struct cli_command cli_cmd_spec = {
	"spec", "print the register map of a device model under a profile",
	"[--device MODEL] [--profile NAME] [--hdm-decoders N] [--format text|json]",
	"Without --device: lists the device models, the profiles (personalities) and the rules.\n"
	"With --device: every register and field of MODEL as PROFILE applies it, with bits,\n"
	"effective access attribute, lock, reset value and spec section.",
	spec_options, CLI_V_NONE,
	"0 printed, 2 usage",
	cxlemu_cmd_spec,
};

int cxlemu_cmd_spec(int argc, char **argv)
{
	struct cli_parser p;
	const char *model = NULL, *profile = cxl_default_profile();
	struct cxl_device_opts o = { 0 };
	struct cxl_device *d;
	struct cxl_error err = { 0 };
	bool json = false;
	int c;

	cli_parse_begin(&p, &cli_cmd_spec, argc, argv);
	while ((c = cli_next(&p)) > 0) {
		switch (c) {
		case 'd':
			if (cli_model("spec", p.arg) < 0)
				return EXIT_BAD_INPUT;
			model = p.arg;
			break;
		case 'p':
			if (cli_profile("spec", p.arg) < 0)
				return EXIT_BAD_INPUT;
			profile = p.arg;
			break;
		case 'n': {
			char *end;
			long v = strtol(p.arg, &end, 0);

			if (*end || v < 1 || v > CXL_REP_HDM_DECODER_MAX)
				return cli_usage_error("spec", "--hdm-decoders takes 1..%u, got '%s'",
						       CXL_REP_HDM_DECODER_MAX, p.arg);
			o.hdm_decoders = (int)v;
			break;
		}
		case 'f':
			if (!strcmp(p.arg, "json"))
				json = true;
			else if (strcmp(p.arg, "text"))
				return cli_usage_error("spec", "unknown format '%s' (text or json)", p.arg);
			break;
		}
	}
	if (c == CLI_STOP)
		return p.status;
	if (p.nops > 0)
		return cli_usage_error("spec", "unexpected argument '%s'", p.ops[0]);
	if (!model) {
		list(json);
		return EXIT_PASS;
	}
	if (cxl_device_create(model, model, profile, &o, &d, &err))
		return cli_usage_error("spec", "%s", err.msg);
	map(d, json);
	cxl_device_destroy(d);
	return EXIT_PASS;
}
