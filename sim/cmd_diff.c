/* cmd_diff.c - `privsim diff`: the exposures that change between two platforms or files.
 *
 * Exposures are matched by item name and viewer name, so two versions of one scenario can be
 * compared as well as one scenario under two platforms.  Exit status 1 when the second side
 * has exposures that the first does not (a change that widens someone's audience). */
#include "cli.h"
#include "describe.h"
#include "engine.h"
#include "linkage.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: privsim diff [options] FILE --from P --to Q\n"
    "       privsim diff [options] FILE_A FILE_B\n"
    "\n"
    "Compares the exposures of one scenario under platforms P and Q (either may be left\n"
    "out: the file's own platform), or of two scenario files. Lists the exposures that\n"
    "appear on the second side (+) and those that disappear (-), by item and viewer; and,\n"
    "when the scenario has `person` lines, the linkages of its accounts, by accounts and\n"
    "viewer.\n"
    "\n"
    "options:\n"
    "  --from P, --to Q   platform presets to compare\n"
    "  --format F         text (default) or json\n"
    "  -h, --help         this help\n"
    "\n"
    "exit status: 0 nothing new, 1 the second side exposes something new\n";

typedef struct {
    ps_model *m;
    ps_report *r;
    ps_linkage_report *lr; /* linkages, when the scenario has persons */
} side;

static int load_side(side *s, const char *path, const char *platform)
{
    int rc = ps_cli_load(path, platform, &s->m);
    if (rc)
        return rc;
    ps_check_opts co = { .fixes = false };
    ps_linkage_opts lo = { .fixes = false };
    if (ps_check(s->m, &co, &s->r) ||
        (s->m->persons && s->m->persons->n && ps_linkage_check(s->m, &lo, &s->lr))) {
        fprintf(stderr, "privsim diff: out of memory\n");
        return PS_EXIT_INTERNAL;
    }
    return PS_EXIT_OK;
}

/* True when side s has a linkage of the accounts named a and b (either order) by the
 * viewer named v. */
static bool has_link(const side *s, const char *a, const char *b, const char *v)
{
    char buf[512];
    for (uint32_t i = 0; s->lr && i < s->lr->n; i++) {
        const ps_linkage *l = &s->lr->v[i];
        const char *x = s->m->users[l->a].name, *y = s->m->users[l->b].name;
        if (((strcmp(x, a) == 0 && strcmp(y, b) == 0) || (strcmp(x, b) == 0 && strcmp(y, a) == 0)) &&
            strcmp(ps_viewer_name(s->m, l->viewer, buf, sizeof buf), v) == 0)
            return true;
    }
    return false;
}

/* Prints the linkages of `a` missing from `b`; returns how many. */
static uint32_t print_missing_links(const side *a, const side *b, char sign, ps_format fmt,
                                    bool *comma)
{
    char v[512];
    uint32_t n = 0;
    ps_palette pal = ps_cli_palette(stdout);
    for (uint32_t i = 0; a->lr && i < a->lr->n; i++) {
        const ps_linkage *l = &a->lr->v[i];
        const char *x = a->m->users[l->a].name, *y = a->m->users[l->b].name;
        ps_viewer_name(a->m, l->viewer, v, sizeof v);
        if (has_link(b, x, y, v))
            continue;
        n++;
        if (fmt == PS_FMT_JSON) {
            printf("%s\n{\"change\":\"%s\",\"accounts\":[", *comma ? "," : "",
                   sign == '+' ? "added" : "removed");
            ps_json_str(stdout, x);
            printf(",");
            ps_json_str(stdout, y);
            printf("],\"viewer\":");
            ps_json_str(stdout, v);
            printf(",\"severity\":\"%s\",\"evidence\":[", ps_severity_name((ps_severity)l->severity));
            for (uint32_t k = 0; k < l->nev; k++)
                printf("%s\"%s\"", k ? "," : "",
                       ps_ev_kind_name((ps_ev_kind)a->lr->ev[l->ev_first + k].kind));
            printf("]}");
            *comma = true;
        } else {
            printf("%s%c %-13s%s ", sign == '+' ? pal.red : pal.green, sign,
                   ps_severity_name((ps_severity)l->severity), pal.reset);
            ps_term_str(stdout, v);
            printf(" links ");
            ps_term_str(stdout, x);
            printf(" and ");
            ps_term_str(stdout, y);
            printf("  %s", pal.dim);
            for (uint32_t k = 0; k < l->nev; k++)
                printf("%s%s", k ? "," : "",
                       ps_ev_kind_name((ps_ev_kind)a->lr->ev[l->ev_first + k].kind));
            printf("%s\n", pal.reset);
        }
    }
    return n;
}

static bool has(const side *s, const char *item, const char *viewer)
{
    char buf[512];
    for (uint32_t i = 0; i < s->r->nexposures; i++) {
        const ps_exposure *x = &s->r->exposures[i];
        if (strcmp(s->m->items[x->item].name, item) == 0 &&
            strcmp(ps_viewer_name(s->m, x->viewer, buf, sizeof buf), viewer) == 0)
            return true;
    }
    return false;
}

/* Prints the exposures of `a` missing from `b`; returns how many. */
static uint32_t print_missing(const side *a, const side *b, char sign, ps_format fmt, bool *comma)
{
    char v[512], t[1024];
    uint32_t n = 0;
    ps_palette pal = ps_cli_palette(stdout);
    for (uint32_t i = 0; i < a->r->nexposures; i++) {
        const ps_exposure *x = &a->r->exposures[i];
        const char *item = a->m->items[x->item].name;
        ps_viewer_name(a->m, x->viewer, v, sizeof v);
        if (has(b, item, v))
            continue;
        n++;
        if (fmt == PS_FMT_JSON) {
            printf("%s\n{\"change\":\"%s\",\"item\":", *comma ? "," : "",
                   sign == '+' ? "added" : "removed");
            ps_json_str(stdout, item);
            printf(",\"viewer\":");
            ps_json_str(stdout, v);
            printf(",\"severity\":\"%s\",\"shape\":", ps_severity_name((ps_severity)x->severity));
            ps_json_str(stdout, ps_path_shape_text(&x->path, t, sizeof t));
            printf("}");
            *comma = true;
        } else {
            printf("%s%c %-13s%s ", sign == '+' ? pal.red : pal.green, sign,
                   ps_severity_name((ps_severity)x->severity), pal.reset);
            ps_term_str(stdout, v);
            printf(" sees ");
            ps_term_str(stdout, ps_item_text(a->m, x->item, t, sizeof t));
            printf("  %s", pal.dim);
            ps_term_str(stdout, ps_path_shape_text(&x->path, t, sizeof t));
            printf("%s\n", pal.reset);
        }
    }
    return n;
}

int ps_cmd_diff(int argc, char **argv)
{
    static const struct option opts[] = {
        { "from", required_argument, NULL, 'F' },
        { "to", required_argument, NULL, 'T' },
        { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *from = NULL, *to = NULL;
    ps_format fmt = PS_FMT_TEXT;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'F': from = optarg; break;
        case 'T': to = optarg; break;
        case 'f': if (ps_cli_format("diff", optarg, 3, &fmt)) return PS_EXIT_USAGE; break;
        case 'h': fputs(usage, stdout); return ps_cli_finish(PS_EXIT_OK);
        default: return ps_cli_usage_error("diff", "unknown option");
        }
    }
    int nfiles = argc - optind;
    if (nfiles == 1 && !from && !to)
        return ps_cli_usage_error("diff", "give --from and/or --to, or two files");
    if (nfiles < 1 || nfiles > 2)
        return ps_cli_usage_error("diff", "expected one scenario with --from/--to, or two");
    const char *fa = argv[optind], *fb = nfiles == 2 ? argv[optind + 1] : argv[optind];
    side a = {0}, b = {0};
    int rc = load_side(&a, fa, from);
    if (!rc)
        rc = load_side(&b, fb, to);
    if (!rc) {
        bool comma = false;
        if (fmt == PS_FMT_JSON) {
            printf("{\"schema\":\"privsim.diff/1\",\"from\":");
            ps_json_str(stdout, a.m->platform);
            printf(",\"to\":");
            ps_json_str(stdout, b.m->platform);
            printf(",\"changes\":[");
        } else {
            printf("exposures under ");
            ps_term_str(stdout, nfiles == 2 ? fb : b.m->platform);
            printf(" compared with ");
            ps_term_str(stdout, nfiles == 2 ? fa : a.m->platform);
            printf(":\n");
        }
        uint32_t added = print_missing(&b, &a, '+', fmt, &comma);
        uint32_t removed = print_missing(&a, &b, '-', fmt, &comma);
        uint32_t ladded = 0, lremoved = 0;
        bool links = a.lr || b.lr;
        if (fmt == PS_FMT_JSON) {
            printf("],\"added\":%u,\"removed\":%u", (unsigned)added, (unsigned)removed);
            if (links) {
                bool lcomma = false;
                printf(",\"linkage-changes\":[");
                ladded = print_missing_links(&b, &a, '+', fmt, &lcomma);
                lremoved = print_missing_links(&a, &b, '-', fmt, &lcomma);
                printf("],\"linkages-added\":%u,\"linkages-removed\":%u", (unsigned)ladded,
                       (unsigned)lremoved);
            }
            printf("}\n");
        } else {
            printf("%u added, %u removed\n", (unsigned)added, (unsigned)removed);
            if (links) {
                printf("linkages of persons' accounts:\n");
                ladded = print_missing_links(&b, &a, '+', fmt, &comma);
                lremoved = print_missing_links(&a, &b, '-', fmt, &comma);
                printf("%u linkages added, %u removed\n", (unsigned)ladded, (unsigned)lremoved);
            }
        }
        rc = added || ladded ? PS_EXIT_FINDINGS : PS_EXIT_OK;
    }
    ps_linkage_report_free(a.lr);
    ps_linkage_report_free(b.lr);
    ps_report_free(a.r);
    ps_report_free(b.r);
    ps_model_free(a.m);
    ps_model_free(b.m);
    return rc > PS_EXIT_FINDINGS ? rc : ps_cli_finish(rc);
}
