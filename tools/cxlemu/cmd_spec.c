/* SPDX-License-Identifier: MIT */
/*
 * cmd_spec.c - "cxlemu spec": the register map of a device model under a
 * profile, straight from the generated spec tables: every register and
 * field with bits, effective access attribute, lock source, reset value and
 * spec section. Without --device it lists models, profiles and rules.
 */
#include <getopt.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cxlemu/catalog.h"
#include "cxlemu/device.h"
#include "cxlemu/event.h"
#include "cxlemu/report.h"

static const char usage_text[] =
	"usage: cxlemu spec [--device MODEL] [--profile NAME] [--hdm-decoders N]\n"
	"                   [--format text|json]\n"
	"  Without --device: list the models, profiles and rules.\n"
	"  With --device: every register and field of MODEL as PROFILE applies it\n"
	"  (default: the default profile, see the list).\n";

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

int cxlemu_cmd_spec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "profile", required_argument, NULL, 'p' },
		{ "hdm-decoders", required_argument, NULL, 'n' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *model = NULL, *profile = cxl_default_profile();
	struct cxl_device_opts o = { 0 };
	struct cxl_device *d;
	struct cxl_error err = { 0 };
	bool json = false;
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': model = optarg; break;
		case 'p': profile = optarg; break;
		case 'n': {
			char *end;
			long v = strtol(optarg, &end, 0);

			if (*end || v < 1 || v > CXL_REP_HDM_DECODER_MAX)
				return cli_usage_error("spec", "--hdm-decoders takes 1..%u, got '%s'",
						       CXL_REP_HDM_DECODER_MAX, optarg);
			o.hdm_decoders = (int)v;
			break;
		}
		case 'f':
			if (!strcmp(optarg, "json"))
				json = true;
			else if (strcmp(optarg, "text"))
				return cli_usage_error("spec", "unknown format '%s' (text or json)", optarg);
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_PASS;
		default:
			return cli_usage_error("spec", "unknown option '%s' (see cxlemu spec --help)", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("spec", "unexpected argument '%s'", argv[optind]);
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
