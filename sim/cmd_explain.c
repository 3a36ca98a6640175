/* cmd_explain.c - `privsim explain FILE ITEM VIEWER`: one leak path and its fixes. */
#include "cli.h"
#include "fix_budget.h"
#include "limits.h"
#include "describe.h"
#include "engine.h"
#include "report_out.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: privsim explain [options] FILE ITEM VIEWER\n"
    "\n"
    "Explains how VIEWER (a user, `internet` or `app:NAME`) gets to see ITEM: the path\n"
    "link by link, with the rule or setting behind each link, and, when VIEWER is outside\n"
    "the intended audience, the fixes that cut the path (each re-checked by simulating\n"
    "the scenario again with the fix applied).\n"
    "\n"
    "options:\n"
    "  --platform P   simulate under platform preset P instead of the file's\n"
    "  --format F     text (default) or json\n"
    PS_LIMITS_USAGE
    "  -h, --help     this help\n"
    "\n"
    "exit status: 0 VIEWER does not see ITEM or is meant to, 1 it is an exposure\n";

int ps_cmd_explain(int argc, char **argv)
{
    static const struct option opts[] = {
        { "platform", required_argument, NULL, 'p' },
        { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *platform = NULL;
    ps_format fmt = PS_FMT_TEXT;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'p': platform = optarg; break;
        case 'f': if (ps_cli_format("explain", optarg, 3, &fmt)) return PS_EXIT_USAGE; break;
        case 'h': fputs(usage, stdout); return ps_cli_finish(PS_EXIT_OK);
        default: return ps_cli_usage_error("explain", "unknown option");
        }
    }
    if (argc - optind != 3)
        return ps_cli_usage_error("explain", "expected a scenario FILE, an ITEM and a VIEWER");
    ps_model *m;
    int rc = ps_cli_load(argv[optind], platform, &m);
    if (rc)
        return rc;
    uint32_t item = ps_cli_item("explain", m, argv[optind + 1]);
    uint32_t viewer = item == PS_NONE ? PS_NONE : ps_cli_viewer("explain", m, argv[optind + 2]);
    if (item == PS_NONE || viewer == PS_NONE) {
        ps_model_free(m);
        return PS_EXIT_USAGE;
    }
    /* an explained field is reported even if the file gave it no audience */
    if (m->items[item].kind == PS_ITEM_FIELD && !m->items[item].has_audience) {
        ps_audience d = ps_item_audience(m, &m->items[item]);
        ps_audience_copy(&m->items[item].audience, &d);
        m->items[item].has_audience = true;
    }
    ps_report *r = NULL;
    ps_progress prog;
    ps_progress_init(&prog, "explain");
    ps_check_opts co = { .fixes = true, .progress = ps_progress_update, .payload = &prog };
    int crc = ps_check(m, &co, &r);
    ps_progress_end(&prog);
    if (crc) {
        ps_model_free(m);
        fprintf(stderr, "privsim explain: out of memory\n");
        return PS_EXIT_INTERNAL;
    }
    const ps_exposure *x = NULL;
    for (uint32_t i = 0; i < r->nexposures; i++)
        if (r->exposures[i].item == item && r->exposures[i].viewer == viewer)
            x = &r->exposures[i];
    /* the path at the end, when it is not an exposure */
    ps_path p;
    bool sees = false;
    ps_engine *e = ps_engine_new(m);
    if (e && ps_engine_run(e) >= 0) {
        ps_engine_eval(e, item);
        sees = ps_engine_sees(e, viewer) && ps_engine_path(e, viewer, &p) == 0;
    }
    if (x)
        p = x->path;
    char buf[1024], vname[512], b2[512];
    ps_viewer_name(m, viewer, vname, sizeof vname);
    ps_palette pal = ps_cli_palette(stdout);
    if (fmt == PS_FMT_JSON) {
        printf("{\"schema\":\"privsim.explain/1\",\"item\":");
        ps_json_str(stdout, m->items[item].name);
        printf(",\"viewer\":");
        ps_json_str(stdout, vname);
        printf(",\"sees-at-end\":%s,\"exposure\":%s", sees ? "true" : "false", x ? "true" : "false");
        if (x)
            printf(",\"severity\":\"%s\",\"first-step\":%u,\"at-end\":%s",
                   ps_severity_name((ps_severity)x->severity), (unsigned)x->first_step,
                   x->at_end ? "true" : "false");
        printf(",\"path\":[");
        if (x || sees)
            ps_path_print_json(stdout, m, &p);
        printf("],\"fixes\":[");
        for (uint32_t k = 0; x && k < x->nfixes; k++) {
            printf("%s", k ? "," : "");
            ps_json_str(stdout, ps_fix_text(m, &r->fixes[x->fix_first + k], buf, sizeof buf));
        }
        printf("]}\n");
    } else if (!x && !sees) {
        ps_term_str(stdout, vname);
        printf(" cannot see ");
        ps_term_str(stdout, ps_item_text(m, item, buf, sizeof buf));
        printf(" at any step.\n");
    } else {
        printf("%s", pal.bold);
        ps_term_str(stdout, vname);
        printf(" can see ");
        ps_term_str(stdout, ps_item_text(m, item, buf, sizeof buf));
        printf("%s\n", pal.reset);
        if (x) {
            printf("  %s%s%s: outside the intended audience", pal.red,
                   ps_severity_name((ps_severity)x->severity), pal.reset);
            if (x->first_step)
                printf(", from step %u (line %u)", (unsigned)x->first_step,
                       (unsigned)m->steps[x->first_step - 1].loc.line);
            printf("%s\n", x->at_end ? "" : "; no longer at the end, but it was seen");
        } else {
            printf("  %sintended%s: the owner meant this viewer to see it\n", pal.green, pal.reset);
        }
        printf("\n");
        for (uint32_t i = 0; i < p.nlinks; i++) {
            printf("  %u. ", (unsigned)i + 1);
            ps_term_str(stdout, ps_link_text(m, &p, i, buf, sizeof buf));
            ps_link_basis(m, &p, i, b2, sizeof b2);
            if (*b2) {
                printf("\n     %s", pal.dim);
                ps_term_str(stdout, b2);
                printf("%s", pal.reset);
            }
            printf("\n");
        }
        if (x) {
            printf("\n%sFixes%s%s\n", pal.bold, pal.reset,
                   x->nfixes ? " (each re-checked: with it, the viewer never sees the item)" : "");
            for (uint32_t k = 0; k < x->nfixes; k++) {
                printf("  %s", pal.green);
                ps_term_str(stdout, ps_fix_text(m, &r->fixes[x->fix_first + k], buf, sizeof buf));
                printf("%s\n", pal.reset);
            }
            if (ps_fix_unverified(m, x->item))
                printf("  not verified: budget (--max-time ran out before every candidate "
                       "fix was tried)\n");
            else if (!x->nfixes)
                printf("  no single setting change cuts this path\n");
            else if (x->platform_only)
                printf("  no user setting can cut this path: only the platform rule above does\n");
        }
    }
    rc = x ? PS_EXIT_FINDINGS : PS_EXIT_OK;
    ps_engine_free(e);
    ps_report_free(r);
    ps_model_free(m);
    return ps_cli_finish(rc);
}
