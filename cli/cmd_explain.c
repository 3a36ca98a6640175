/* cmd_explain.c - `privsim explain FILE ITEM VIEWER`: one leak path and its fixes. */
#include "cli.h"
#include "fix_budget.h"
#include "runlimits.h"
#include "state_model.h"
#include "describe.h"
#include "engine.h"
#include "fix_more.h"
#include "whynot.h"
#include "linkage_out.h"
#include "report_out.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: privsim explain [options] FILE ITEM VIEWER\n"
    "       privsim explain [options] FILE link ACCOUNT ACCOUNT VIEWER\n"
    "\n"
    "Explains how VIEWER (a user, `internet` or `app:NAME`) gets to see ITEM: the path\n"
    "link by link, with the rule or setting behind each link, and, when VIEWER is outside\n"
    "the intended audience, the fixes that cut the path (each re-checked by simulating\n"
    "the scenario again with the fix applied).\n"
    "\n"
    "With `link`, explains how VIEWER links two accounts of one person over the timeline\n"
    "(what VIEWER saw in any state counts): each piece of evidence with the path that lets\n"
    "VIEWER see it, and the fixes that remove the linkage; when VIEWER does not link them,\n"
    "what VIEWER did see of them.\n"
    "\n"
    "options:\n"
    "  --platform P   simulate under platform preset P instead of the file's\n"
    "  --format F     text (default) or json\n"
    PS_LIMITS_USAGE
    "  -h, --help     this help\n"
    "\n"
    "exit status: 0 VIEWER does not see ITEM or is meant to, 1 it is an exposure\n";

/* `explain FILE link A B VIEWER`: args[0] FILE, args[2], args[3] the accounts, args[4]. */
static int explain_link(char **args, const char *platform, ps_format fmt)
{
    ps_model *m;
    int rc = ps_cli_load(args[0], platform, &m);
    if (rc)
        return rc;
    uint32_t a = ps_cli_find("explain", m, PS_NS_USER, args[2]);
    uint32_t b = a == PS_NONE ? PS_NONE : ps_cli_find("explain", m, PS_NS_USER, args[3]);
    uint32_t v = b == PS_NONE ? PS_NONE : ps_cli_viewer("explain", m, args[4]);
    if (v == PS_NONE) {
        ps_model_free(m);
        return PS_EXIT_USAGE;
    }
    uint32_t pa = ps_person_of(m, a);
    if (a == b || pa == PS_NONE || pa != ps_person_of(m, b)) {
        ps_model_free(m);
        return ps_cli_usage_error("explain", "'%s' and '%s' are not two accounts of one "
                                             "person (see `person` lines)", args[2], args[3]);
    }
    ps_linkage_report *r;
    ps_linkage_opts lo = { .fixes = true };
    if (ps_linkage_check(m, &lo, &r)) {
        ps_model_free(m);
        fprintf(stderr, "privsim explain: out of memory\n");
        return PS_EXIT_INTERNAL;
    }
    const ps_linkage *l = ps_linkage_find(r, a, b, v);
    /* for a viewer who does not link them: what it did see of them */
    char near[8][512];
    int nnear = l || (v < m->nusers && ps_person_of(m, v) == pa)
                    ? 0 : ps_linkage_nearest(r, a, b, v, near, 8);
    if (nnear < 0) {
        ps_linkage_report_free(r);
        ps_model_free(m);
        fprintf(stderr, "privsim explain: out of memory\n");
        return PS_EXIT_INTERNAL;
    }
    if (l && fmt == PS_FMT_JSON) {
        ps_linkage_explain_json(stdout, r, l);
    } else if (l) {
        ps_linkage_explain_text(stdout, r, l);
    } else if (fmt == PS_FMT_JSON) {
        ps_json j;
        ps_json_init(&j, stdout, 0);
        ps_json_object(&j);
        ps_json_schema(&j, "explain-link", 1);
        ps_json_kbool(&j, "linked", false);
        ps_json_karray(&j, "nearest");
        for (int i = 0; i < nnear; i++)
            ps_json_string(&j, near[i]);
        ps_json_array_end(&j);
        ps_json_object_end(&j);
        ps_json_finish(&j);
    } else if (v < m->nusers && ps_person_of(m, v) == pa) {
        ps_term_str(stdout, args[4]);
        printf(" is an account of the person: not a viewer who could link them.\n");
    } else {
        ps_term_str(stdout, args[4]);
        printf(" cannot link ");
        ps_term_str(stdout, args[2]);
        printf(" and ");
        ps_term_str(stdout, args[3]);
        printf(": no evidence holds, in any state of the timeline.\n");
        if (nnear)
            printf("What it did see of them:\n");
        for (int i = 0; i < nnear; i++) {
            printf("  - ");
            ps_term_str(stdout, near[i]);
            printf("\n");
        }
    }
    rc = l ? PS_EXIT_FINDINGS : PS_EXIT_OK;
    ps_linkage_report_free(r);
    ps_model_free(m);
    return ps_cli_finish(rc);
}

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
    if (argc - optind == 5 && strcmp(argv[optind + 1], "link") == 0)
        return explain_link(argv + optind, platform, fmt);
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
    if (!crc && ps_fix_complete(m, r)) {
        ps_report_free(r);
        crc = -1;
    }
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
    /* the path is described in the state in which it was found: an exposure's at its first
     * step unless it is still there at the end; another path at the end */
    ps_state_model *sm = ps_state_model_new(m);
    const ps_model *pm = !sm ? m
                         : ps_state_model_at(sm, x && !x->at_end ? x->first_step : m->nsteps);
    /* why not: the nearest path and the missing link */
    ps_whynot wn = { 0 };
    if (!x && !sees && ps_whynot_find(m, item, viewer, &wn)) {
        ps_state_model_free(sm);
        ps_engine_free(e);
        ps_report_free(r);
        ps_model_free(m);
        fprintf(stderr, "privsim explain: out of memory\n");
        return PS_EXIT_INTERNAL;
    }
    char buf[1024], vname[512], b2[512];
    ps_viewer_name(m, viewer, vname, sizeof vname);
    ps_palette pal = ps_cli_palette(stdout);
    if (fmt == PS_FMT_JSON) {
        ps_json j;
        ps_json_init(&j, stdout, 0);
        ps_json_object(&j);
        ps_json_schema(&j, "explain", 2);
        ps_json_kstr(&j, "item", m->items[item].name);
        ps_json_kstr(&j, "viewer", vname);
        ps_json_kbool(&j, "sees-at-end", sees);
        ps_json_kbool(&j, "exposure", x != NULL);
        if (x) {
            ps_json_kstr(&j, "severity", ps_severity_name((ps_severity)x->severity));
            ps_json_kuint(&j, "first-step", x->first_step);
            ps_json_kbool(&j, "at-end", x->at_end);
        }
        ps_json_key(&j, "path");
        if (!x && !sees)
            p.nlinks = 0;
        ps_path_json(&j, pm, &p);
        ps_json_karray(&j, "fixes");
        for (uint32_t k = 0; x && k < x->nfixes; k++)
            ps_fix_json(&j, m, &r->fixes[x->fix_first + k]);
        ps_json_array_end(&j);
        if (!x && !sees) {
            ps_json_kobject(&j, "why-not");
            ps_json_kbool(&j, "found", wn.found);
            if (wn.found) {
                ps_json_kstr(&j, "missing", wn.missing);
                ps_json_kstr(&j, "change", wn.change);
                ps_json_key(&j, "nearest-path");
                ps_path_json(&j, wn.with, &wn.path);
            }
            ps_json_object_end(&j);
        }
        ps_json_object_end(&j);
        ps_json_finish(&j);
    } else if (!x && !sees) {
        ps_term_str(stdout, vname);
        printf(" cannot see ");
        ps_term_str(stdout, ps_item_text(m, item, buf, sizeof buf));
        printf(" at any step.\n");
        if (wn.found) {
            printf("\n%sNearest path%s (it would reach ", pal.bold, pal.reset);
            ps_term_str(stdout, vname);
            printf(" with one change)\n");
            for (uint32_t i = 0; i < wn.path.nlinks; i++) {
                printf("  %u. ", (unsigned)i + 1);
                ps_term_str(stdout, ps_link_text(wn.with, &wn.path, i, buf, sizeof buf));
                printf("\n");
            }
            printf("\n%sMissing link%s: ", pal.bold, pal.reset);
            ps_term_str(stdout, wn.missing);
            printf("\n  the change that completes it: %s", pal.yellow);
            ps_term_str(stdout, wn.change);
            printf("%s\n", pal.reset);
        } else {
            printf("No single change tried lets it in (tried: %s).\n", PS_WHYNOT_TRIED);
        }
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
            ps_term_str(stdout, ps_link_text(pm, &p, i, buf, sizeof buf));
            ps_link_basis(pm, &p, i, b2, sizeof b2);
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
                printf("  none of the changes tried cuts this path on its own (tried: %s)\n",
                       PS_FIX_TRIED);
            else if (x->platform_only)
                printf("  no user setting tried cuts this path, only the platform rule above "
                       "(tried: %s)\n", PS_FIX_TRIED);
        }
    }
    rc = x ? PS_EXIT_FINDINGS : PS_EXIT_OK;
    ps_whynot_free(&wn);
    ps_state_model_free(sm);
    ps_engine_free(e);
    ps_report_free(r);
    ps_model_free(m);
    return ps_cli_finish(rc);
}
