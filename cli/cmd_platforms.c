/* cmd_platforms.c - `privsim platforms`: the built-in presets and the rules of each. */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static const char usage[] =
    "usage: privsim platforms [--format text|json] [NAME]\n"
    "\n"
    "Lists the built-in platform presets with every rule and default audience, or only\n"
    "preset NAME. A scenario picks one with `platform NAME` and overrides single rules with\n"
    "`rule NAME = VALUE`.\n";

static const char *onoff(bool b) { return b ? "on" : "off"; }

static void cats_text(uint32_t mask, char *buf, size_t cap, uint32_t all)
{
    size_t len = 0;
    buf[0] = 0;
    if (mask == all) {
        snprintf(buf, cap, "all");
        return;
    }
    for (unsigned c = 0; c < PS_NCATS && len + 1 < cap; c++)
        if (mask & (1u << c)) {
            int w = snprintf(buf + len, cap - len, "%s%s", len ? "," : "", ps_category_name(c));
            if (w > 0)
                len += (size_t)w;
        }
    if (!len)
        snprintf(buf, cap, "none");
}

static void print_preset(const char *name, ps_format fmt, bool first, ps_json *j)
{
    ps_rules r;
    if (ps_platform_preset(name, strlen(name), &r))
        return;
    char cats[512], forced[512], t[256];
    cats_text(r.apps_default_cats, cats, sizeof cats, PS_CATS_ALL);
    cats_text(r.forced_public, forced, sizeof forced, (1u << PS_NFIELDS) - 1);
    const char *tag = r.tag_extends == PS_TAG_NONE ? "none"
                      : r.tag_extends == PS_TAG_TAGGED ? "tagged" : "tagged-friends";
    const char *reshare = r.reshare == PS_RESHARE_NONE ? "none"
                          : r.reshare == PS_RESHARE_PUBLIC_ONLY ? "public-only" : "visible";
    const char *fv = r.friendship_visibility == PS_FV_BOTH_ENDS ? "both-ends" : "own-setting";
    const char *ix = r.interaction_extends == PS_IX_NONE ? "none" : "commenter-friends";
    if (fmt == PS_FMT_JSON) {
        ps_json_object(j);
        ps_json_kstr(j, "name", name);
        ps_json_kstr(j, "tag-extends", tag);
        ps_json_kstr(j, "tag-review-default", onoff(r.tag_review_default));
        ps_json_kstr(j, "reshare", reshare);
        ps_json_kstr(j, "apps-through-friends", onoff(r.apps_through_friends));
        ps_json_kstr(j, "apps-through-friends-default", cats);
        ps_json_kstr(j, "friendship-visibility", fv);
        ps_json_kstr(j, "forced-public", forced);
        ps_json_kstr(j, "interaction-extends", ix);
        ps_json_kobject(j, "default-audience");
        for (unsigned c = 0; c < PS_NCATS; c++) {
            ps_model dummy = {0};
            ps_json_kstr(j, ps_category_name(c), ps_terms_text(&dummy, &r.default_audience[c], t, sizeof t));
        }
        ps_json_object_end(j);
        ps_json_object_end(j);
    } else {
        printf("%s%s\n", first ? "" : "\n", name);
        printf("  tag-extends                  %s\n", tag);
        printf("  tag-review-default           %s\n", onoff(r.tag_review_default));
        printf("  reshare                      %s\n", reshare);
        printf("  apps-through-friends         %s\n", onoff(r.apps_through_friends));
        printf("  apps-through-friends-default %s\n", cats);
        printf("  friendship-visibility        %s\n", fv);
        printf("  forced-public                %s\n", forced);
        printf("  interaction-extends          %s\n", ix);
        printf("  default-audience            ");
        ps_model dummy = {0};
        for (unsigned c = 0; c < PS_NCATS; c++)
            printf(" %s=%s", ps_category_name(c),
                   ps_terms_text(&dummy, &r.default_audience[c], t, sizeof t));
        printf("\n");
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
