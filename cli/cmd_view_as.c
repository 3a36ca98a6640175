/* cmd_view_as.c - `privsim view-as FILE VIEWER [USER]`: what one viewer sees, and why. */
#include "cli.h"
#include "runlimits.h"
#include "describe.h"
#include "engine.h"
#include "report_out.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: privsim view-as [options] FILE VIEWER [USER]\n"
    "\n"
    "Shows what VIEWER (a user, `internet` or `app:NAME`) can see at the end of the\n"
    "timeline: every item by or about USER (posts and photos USER owns or is tagged in,\n"
    "items of USER's personas, and all of USER's profile fields), or every item when USER\n"
    "is not given; each with the link that lets VIEWER in.\n"
    "\n"
    "options:\n"
    "  --platform P   simulate under platform preset P instead of the file's\n"
    "  --format F     text (default) or json\n"
    "  --all          also list what VIEWER cannot see\n"
    PS_LIMITS_USAGE
    "  -h, --help     this help\n";

static bool about(const ps_model *m, const ps_item *it, uint32_t user)
{
    if (user == PS_NONE || it->owner == user)
        return true;
    for (uint32_t k = 0; k < it->ntags; k++)
        if (it->tags[k].user == user && !it->tags[k].removed)
            return true;
    return it->persona != PS_NONE && m->personas[it->persona].owner == user;
}

int ps_cmd_view_as(int argc, char **argv)
{
    static const struct option opts[] = {
        { "platform", required_argument, NULL, 'p' },
        { "format", required_argument, NULL, 'f' },
        { "all", no_argument, NULL, 'a' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *platform = NULL;
    ps_format fmt = PS_FMT_TEXT;
    bool all = false;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'p': platform = optarg; break;
        case 'f': if (ps_cli_format("view-as", optarg, 3, &fmt)) return PS_EXIT_USAGE; break;
        case 'a': all = true; break;
        case 'h': fputs(usage, stdout); return ps_cli_finish(PS_EXIT_OK);
        default: return ps_cli_usage_error("view-as", "unknown option");
        }
    }
    if (argc - optind < 2 || argc - optind > 3)
        return ps_cli_usage_error("view-as", "expected a scenario FILE, a VIEWER and maybe a USER");
    ps_model *m;
    int rc = ps_cli_load(argv[optind], platform, &m);
    if (rc)
        return rc;
    uint32_t viewer = ps_cli_viewer("view-as", m, argv[optind + 1]);
    uint32_t user = PS_NONE;
    if (viewer != PS_NONE && argc - optind == 3)
        user = ps_cli_find("view-as", m, PS_NS_USER, argv[optind + 2]);
    if (viewer == PS_NONE || (argc - optind == 3 && user == PS_NONE)) {
        ps_model_free(m);
        return PS_EXIT_USAGE;
    }
    /* View As shows a whole profile: every field of USER exists */
    if (user != PS_NONE)
        for (unsigned f = 0; f < PS_NFIELDS; f++)
            if (ps_model_field_item(m, user, (ps_field)f) == PS_NONE) {
                ps_model_free(m);
                return PS_EXIT_INTERNAL;
            }
    ps_engine *e = ps_engine_new(m);
    if (!e || ps_engine_run(e) < 0) {
        ps_engine_free(e);
        ps_model_free(m);
        fprintf(stderr, "privsim view-as: out of memory\n");
        return PS_EXIT_INTERNAL;
    }
    ps_palette pal = ps_cli_palette(stdout);
    char buf[1024], vname[512];
    ps_viewer_name(m, viewer, vname, sizeof vname);
    ps_path p;
    uint32_t shown = 0, seen = 0;
    ps_json j;
    if (fmt == PS_FMT_JSON) {
        ps_json_init(&j, stdout, 1);
        ps_json_object(&j);
        ps_json_schema(&j, "view-as", 1);
        ps_json_kstr(&j, "viewer", vname);
        ps_json_kstr(&j, "user", user != PS_NONE ? m->users[user].name : NULL);
        ps_json_karray(&j, "items");
    } else {
        printf("%sWhat ", pal.bold);
        ps_term_str(stdout, vname);
        printf(" sees");
        if (user != PS_NONE) {
            printf(" of ");
            ps_term_str(stdout, m->users[user].name);
        }
        printf("%s\n", pal.reset);
    }
    for (uint32_t i = 0; i < m->nitems; i++) {
        const ps_item *it = &m->items[i];
        if (!about(m, it, user))
            continue;
        ps_engine_eval(e, i);
        bool sees = ps_engine_sees(e, viewer);
        seen += sees;
        if (!sees && !all)
            continue;
        bool intended = sees && ps_engine_intended(e, i, viewer);
        if (fmt == PS_FMT_JSON) {
            ps_json_object(&j);
            ps_json_kstr(&j, "item", it->name);
            ps_json_kbool(&j, "sees", sees);
            if (sees) {
                ps_json_kbool(&j, "intended", intended);
                ps_json_key(&j, "path");
                if (ps_engine_path(e, viewer, &p) != 0)
                    p.nlinks = 0;
                ps_path_json(&j, ps_engine_model(e), &p);
            }
            ps_json_object_end(&j);
        } else {
            printf("  %s%-6s%s ", sees ? (intended ? pal.green : pal.red) : pal.dim,
                   sees ? (intended ? "sees" : "LEAK") : "no", pal.reset);
            ps_term_str(stdout, ps_item_text(m, i, buf, sizeof buf));
            if (sees && ps_engine_path(e, viewer, &p) == 0) {
                printf("\n         %s", pal.dim);
                ps_term_str(stdout, ps_link_text(ps_engine_model(e), &p, p.nlinks - 1, buf,
                                                 sizeof buf));
                printf("%s", pal.reset);
            }
            printf("\n");
        }
        shown++;
    }
    if (fmt == PS_FMT_JSON) {
        ps_json_array_end(&j);
        ps_json_object_end(&j);
        ps_json_finish(&j);
    }
    else
        printf("%u item%s visible\n", (unsigned)seen, seen == 1 ? "" : "s");
    ps_engine_free(e);
    ps_model_free(m);
    return ps_cli_finish(PS_EXIT_OK);
}
