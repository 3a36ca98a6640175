/* cmd_platforms.c - `privsim platforms`: the built-in presets and the rules of each. */
#include "cli.h"
#include "person.h"

#include <getopt.h>
#include <string.h>

static const char usage[] =
    "usage: privsim platforms [--format text|json] [NAME]\n"
    "\n"
    "Lists the built-in platform presets, in date order, with every rule and default audience\n"
    "(default.CATEGORY), or only preset NAME. A scenario picks one with `platform NAME` and\n"
    "overrides single rules with `rule NAME = VALUE`. doc/platform-sources.md gives the\n"
    "source of every value.\n";

static void print_preset(const char *name, ps_format fmt, bool first, ps_json *j)
{
    ps_rules r;
    if (ps_platform_preset(name, strlen(name), &r))
        return;
    const char *from = ps_platform_date(name);
    char cell[64], val[512];
    unsigned ncells = ps_platform_ncells();
    ps_link_rules lr = {0, 0};
    ps_platform_link_rules(name, &lr);
    char contacts[64];
    ps_categories_text(lr.contacts, PS_NCATS, true, contacts, sizeof contacts);
    if (fmt == PS_FMT_JSON) {
        ps_json_object(j);
        ps_json_kstr(j, "name", name);
        ps_json_key(j, "from");
        if (from)
            ps_json_string(j, from);
        else
            ps_json_null(j);
        bool in_defaults = false;
        for (unsigned c = 0; c < ncells; c++) {
            ps_platform_cell_name(c, cell, sizeof cell);
            ps_platform_cell_text(&r, c, val, sizeof val);
            bool def = strncmp(cell, "default.", 8) == 0;
            if (def && !in_defaults) {
                ps_json_kobject(j, "default-audience");
                in_defaults = true;
            }
            ps_json_kstr(j, def ? cell + 8 : cell, val);
        }
        if (in_defaults)
            ps_json_object_end(j);
        ps_json_kuint(j, "link-mutual-friends", lr.mutual_friends);
        ps_json_kstr(j, "contact-suggestions", contacts);
        ps_json_object_end(j);
    } else {
        printf("%s%s%s%s%s\n", first ? "" : "\n", name, from ? " (from " : "", from ? from : "",
               from ? ")" : "");
        for (unsigned c = 0; c < ncells; c++) {
            ps_platform_cell_name(c, cell, sizeof cell);
            ps_platform_cell_text(&r, c, val, sizeof val);
            printf("  %-29s%s\n", cell, val);
        }
        if (lr.mutual_friends)
            printf("  %-29sat-least-%u\n", "link-mutual-friends", (unsigned)lr.mutual_friends);
        else
            printf("  %-29soff\n", "link-mutual-friends");
        printf("  %-29s%s\n", "contact-suggestions", contacts);
    }
    ps_rules_free(&r);
}

int ps_cmd_platforms(int argc, char **argv)
{
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    ps_format fmt = PS_FMT_TEXT;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'f': if (ps_cli_format("platforms", optarg, 3, &fmt)) return PS_EXIT_USAGE; break;
        case 'h': fputs(usage, stdout); return ps_cli_finish(PS_EXIT_OK);
        default: return ps_cli_usage_error("platforms", "unknown option");
        }
    }
    if (argc - optind > 1)
        return ps_cli_usage_error("platforms", "at most one preset name");
    const char *only = argc - optind == 1 ? argv[optind] : NULL;
    if (only) {
        ps_rules r;
        if (ps_platform_preset(only, strlen(only), &r))
            return ps_cli_usage_error("platforms", "no preset '%s'", only);
        ps_rules_free(&r);
    }
    ps_json j;
    if (fmt == PS_FMT_JSON) {
        ps_json_init(&j, stdout, 1);
        ps_json_object(&j);
        ps_json_schema(&j, "platforms", 1);
        ps_json_kstr(&j, "default", PS_DEFAULT_PLATFORM);
        ps_json_karray(&j, "platforms");
    }
    bool first = true;
    for (const char *const *p = ps_platform_names(); *p; p++)
        if (!only || strcmp(only, *p) == 0) {
            print_preset(*p, fmt, first, &j);
            first = false;
        }
    if (fmt == PS_FMT_JSON) {
        ps_json_array_end(&j);
        ps_json_object_end(&j);
        ps_json_finish(&j);
    }
    return ps_cli_finish(PS_EXIT_OK);
}
