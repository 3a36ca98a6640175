/* cmd_viz.c - `privsim viz FILE leak|audience|persona ... -o OUT`: one diagram, drawn with
 * Graphviz (viz/viz.h) in the format that OUT's ending names: svg, png, pdf or dot. */
#include "cli.h"
#include "runlimits.h"
#include "engine.h"
#include "person.h"
#include "report.h"
#include "viz.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: privsim viz [options] FILE leak ITEM VIEWER -o OUT\n"
    "       privsim viz [options] FILE audience ITEM -o OUT\n"
    "       privsim viz [options] FILE persona USER -o OUT\n"
    "       privsim viz FILE history [USER] -o OUT\n"
    "       privsim viz [options] FILE link ACCOUNT ACCOUNT VIEWER -o OUT\n"
    "\n"
    "Draws one diagram of the scenario FILE with Graphviz:\n"
    "  leak ITEM VIEWER  how VIEWER (a user, `internet` or `app:NAME`) gets to see ITEM: the\n"
    "                    item, its owner, every step between and the viewer, each step with\n"
    "                    its kind and the rule or setting behind it, the severity in colour\n"
    "                    and each fix beside the step it cuts\n"
    "  audience ITEM     who sees ITEM at the end of the timeline: the owner at the centre,\n"
    "                    rings of friends, friends of friends, networks and groups, everyone,\n"
    "                    the internet and apps; the intended audience on the left, the\n"
    "                    exposed viewers on the right; big rings become counted groups\n"
    "  persona USER      USER's personas as boxes of items and audience members, with each\n"
    "                    exposure of a persona's item drawn as an edge into the persona (or\n"
    "                    outside all of them) where the viewer belongs\n"
    "  history [USER]    USER's items and fields (default: the file's first user) under\n"
    "                    every dated platform preset, in date order: each cell coloured by\n"
    "                    the widest class of viewer, each widening numbered and explained\n"
    "                    (see `privsim history`; --platform does not apply)\n"
    "  link A B VIEWER   how VIEWER links accounts A and B of one person: the accounts, a\n"
    "                    box per piece of evidence, the viewer, how the viewer sees each\n"
    "                    piece, and the fixes\n"
    "ITEM is a post, a photo or USER.FIELD.  The output format is taken from OUT's ending:\n"
    ".svg, .png, .pdf, or .dot (also .gv: the laid-out graph in Graphviz's own language).\n"
    "OUT is written to a temporary file and renamed, so it is never left half-written.\n"
    "\n"
    "options:\n"
    "  -o, --output OUT   the file to write (required)\n"
    "  --platform P       simulate under platform preset P instead of the file's\n"
    "  --max-nodes N      audience, persona: viewers drawn one by one per group before the\n"
    "                     rest are counted (default 8)\n"
    "  --no-fixes         leak: do not compute fixes (faster on large scenarios)\n"
    PS_LIMITS_USAGE
    "  -h, --help         this help\n"
    "\n"
    "exit status: 0 written, 2 bad usage or bad input, 3 internal error\n";

static int fail_internal(const char *what)
{
    fprintf(stderr, "privsim viz: %s\n", what);
    return PS_EXIT_INTERNAL;
}

/* The leak diagram of (item, viewer): the exposure's path and fixes when it is one, else
 * the viewer's derivation at the end of the timeline. */
static int draw_leak(ps_model *m, uint32_t item, uint32_t viewer, bool fixes, ps_diagram *d,
                     const char *item_arg, const char *viewer_arg)
{
    ps_check_opts co = { .fixes = fixes };
    /* fixes are verified per item, each candidate by replaying the timeline; the engine
     * computes them for all items, which a large scenario cannot afford for one drawing */
    if (fixes && m->nitems > PS_REPORT_BIG_ITEMS) {
        fprintf(stderr, "privsim viz: the scenario has more than %u items: fixes are not "
                        "computed for the diagram\n", PS_REPORT_BIG_ITEMS);
        co.fixes = false;
    }
    ps_report *r = NULL;
    if (ps_check(m, &co, &r))
        return fail_internal("out of memory");
    const ps_exposure *x = NULL;
    for (uint32_t i = 0; i < r->nexposures && !x; i++)
        if (r->exposures[i].item == item && r->exposures[i].viewer == viewer)
            x = &r->exposures[i];
    ps_engine *e = ps_engine_new(m);
    if (!e) {
        ps_report_free(r);
        return fail_internal("out of memory");
    }
    int rc = PS_EXIT_OK;
    ps_leak_view v;
    ps_path p;
    if (x) {
        /* describe the path in the state it was found in */
        ps_leak_view_init(&v, r, x);
        uint32_t state = x->at_end ? r->nsteps : x->first_step;
        while (ps_engine_position(e) < state)
            if (ps_engine_step(e, NULL) <= 0)
                break;
    } else {
        if (ps_engine_run(e) < 0 || ps_engine_eval(e, item) < 0) {
            rc = fail_internal("out of memory");
        } else if (!ps_engine_sees(e, viewer) || ps_engine_path(e, viewer, &p) != 0) {
            fprintf(stderr, "privsim viz: ");
            ps_term_str(stderr, viewer_arg);
            fprintf(stderr, " cannot see ");
            ps_term_str(stderr, item_arg);
            fprintf(stderr, " at any step; there is no path to draw\n");
            rc = PS_EXIT_USAGE;
        } else {
            memset(&v, 0, sizeof v);
            v.path = &p;
            v.severity = -1;
            v.at_end = true;
            v.first_step = 0;
        }
    }
    if (rc == PS_EXIT_OK && ps_draw_leak(ps_engine_model(e), &v, d))
        rc = fail_internal("out of memory");
    ps_engine_free(e);
    ps_report_free(r);
    return rc;
}

/* The history chart of `user` (NULL: the first user). */
static int draw_history(ps_model *m, const char *user, ps_diagram *d)
{
    uint32_t u = user ? ps_cli_find("viz", m, PS_NS_USER, user) : m->nusers ? 0 : PS_NONE;
    if (u == PS_NONE) {
        if (!user)
            fprintf(stderr, "privsim viz: the scenario has no users\n");
        return PS_EXIT_USAGE;
    }
    ps_history *h;
    if (ps_history_compute(m, u, &h))
        return fail_internal("out of memory");
    int rc = ps_draw_history(h, d) ? fail_internal("out of memory") : PS_EXIT_OK;
    ps_history_free(h);
    return rc;
}

/* The linkage diagram of accounts a and b of one person and a viewer. */
static int draw_link(ps_model *m, const char *an, const char *bn, const char *vn,
                     ps_diagram *d)
{
    uint32_t a = ps_cli_find("viz", m, PS_NS_USER, an);
    uint32_t b = a == PS_NONE ? PS_NONE : ps_cli_find("viz", m, PS_NS_USER, bn);
    uint32_t v = b == PS_NONE ? PS_NONE : ps_cli_viewer("viz", m, vn);
    if (v == PS_NONE)
        return PS_EXIT_USAGE;
    uint32_t pa = ps_person_of(m, a);
    if (a == b || pa == PS_NONE || pa != ps_person_of(m, b))
        return ps_cli_usage_error("viz", "'%s' and '%s' are not two accounts of one person",
                                  an, bn);
    ps_linkage_report *r;
    ps_linkage_opts lo = { .fixes = true };
    if (ps_linkage_check(m, &lo, &r))
        return fail_internal("out of memory");
    const ps_linkage *l = ps_linkage_find(r, a, b, v);
    int rc = PS_EXIT_OK;
    if (!l) {
        fprintf(stderr, "privsim viz: ");
        ps_term_str(stderr, vn);
        fprintf(stderr, " does not link ");
        ps_term_str(stderr, an);
        fprintf(stderr, " and ");
        ps_term_str(stderr, bn);
        fprintf(stderr, "; there is nothing to draw\n");
        rc = PS_EXIT_USAGE;
    } else if (ps_draw_link(r, l, d)) {
        rc = fail_internal("out of memory");
    }
    ps_linkage_report_free(r);
    return rc;
}

int ps_cmd_viz(int argc, char **argv)
{
    static const struct option opts[] = {
        { "output", required_argument, NULL, 'o' },
        { "platform", required_argument, NULL, 'p' },
        { "max-nodes", required_argument, NULL, 'n' },
        { "no-fixes", no_argument, NULL, 'F' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *platform = NULL, *output = NULL;
    long max_nodes = 0;
    bool fixes = true;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'p': platform = optarg; break;
        case 'n': {
            char *end;
            errno = 0;
            max_nodes = strtol(optarg, &end, 10);
            if (*end || end == optarg || max_nodes < 1 || max_nodes > 1000 || errno)
                return ps_cli_usage_error("viz", "--max-nodes takes a number from 1 to 1000");
            break;
        }
        case 'F': fixes = false; break;
        case 'h': fputs(usage, stdout); return ps_cli_finish(PS_EXIT_OK);
        default: return ps_cli_usage_error("viz", "unknown option");
        }
    }
    int nargs = argc - optind;
    if (nargs < 2)
        return ps_cli_usage_error("viz", "expected a scenario FILE and what to draw "
                                         "(leak ITEM VIEWER, audience ITEM or persona USER)");
    const char *file = argv[optind], *what = argv[optind + 1];
    int want = strcmp(what, "leak") == 0 ? 4 : strcmp(what, "audience") == 0 ? 3
               : strcmp(what, "persona") == 0 ? 3 : strcmp(what, "history") == 0 ? 3
               : strcmp(what, "link") == 0 ? 5 : 0;
    if (!want)
        return ps_cli_usage_error("viz", "unknown diagram '%s' (choose leak, audience, persona, "
                                         "history or link)", what);
    bool history = strcmp(what, "history") == 0;
    if (history && nargs == 2)
        want = 2;
    if (nargs != want)
        return ps_cli_usage_error("viz", "%s takes %s", what,
                                  want == 5 ? "two ACCOUNTs and a VIEWER"
                                  : want == 4 ? "an ITEM and a VIEWER"
                                  : strcmp(what, "audience") == 0 ? "an ITEM" : "a USER");
    if (!output)
        return ps_cli_usage_error("viz", "-o OUT is required (OUT.svg, .png, .pdf or .dot)");
    int fmt = ps_gv_format_from_path(output);
    if (fmt < 0)
        return ps_cli_usage_error("viz", "cannot tell the format of '%s' from its ending "
                                         "(use .svg, .png, .pdf or .dot)", output);

    ps_model *m;
    int rc = ps_cli_load(file, platform, &m);
    if (rc)
        return rc;
    ps_diagram d = { 0 };
    const char *a1 = nargs > 2 ? argv[optind + 2] : NULL;
    if (history) {
        rc = draw_history(m, a1, &d);
    } else if (strcmp(what, "link") == 0) {
        rc = draw_link(m, a1, argv[optind + 3], argv[optind + 4], &d);
    } else if (strcmp(what, "leak") == 0) {
        uint32_t item = ps_cli_item("viz", m, a1);
        uint32_t viewer = item == PS_NONE ? PS_NONE : ps_cli_viewer("viz", m, argv[optind + 3]);
        if (item == PS_NONE || viewer == PS_NONE)
            rc = PS_EXIT_USAGE;
        else
            rc = draw_leak(m, item, viewer, fixes, &d, a1, argv[optind + 3]);
    } else {
        bool aud = strcmp(what, "audience") == 0;
        uint32_t target = aud ? ps_cli_item("viz", m, a1) : ps_cli_find("viz", m, PS_NS_USER, a1);
        ps_report *r = NULL;
        ps_engine *e = NULL;
        ps_check_opts co = { .fixes = false };
        if (target == PS_NONE) {
            rc = PS_EXIT_USAGE;
        } else if (ps_check(m, &co, &r) || !(e = ps_engine_new(m)) || ps_engine_run(e) < 0) {
            rc = fail_internal("out of memory");
        } else {
            int drc = aud ? ps_draw_audience(e, target, r, (uint32_t)max_nodes, &d)
                          : ps_draw_persona(e, target, r, (uint32_t)max_nodes, &d);
            if (drc)
                rc = fail_internal("out of memory");
        }
        ps_engine_free(e);
        ps_report_free(r);
    }
    if (rc == PS_EXIT_OK && ps_diagram_write(&d, (ps_gv_format)fmt, output) != 0) {
        rc = PS_EXIT_INTERNAL;
        if (errno == EINVAL)
            fprintf(stderr, "privsim viz: Graphviz could not render the diagram as %s\n",
                    ps_gv_format_name((ps_gv_format)fmt));
        else if (errno == ENOMEM)
            fprintf(stderr, "privsim viz: out of memory\n");
        else if (errno == EEXIST) /* atomic.h: the output is an input file */
            rc = ps_cli_usage_error("viz", "refusing to write the diagram over the input "
                                           "file '%s'", output);
        else
            fprintf(stderr, "privsim viz: cannot write '%s': %s\n", output, strerror(errno));
    }
    ps_diagram_free(&d);
    ps_model_free(m);
    ps_gv_shutdown();
    return rc == PS_EXIT_OK ? ps_cli_finish(PS_EXIT_OK) : rc;
}
