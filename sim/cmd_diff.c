/* cmd_diff.c - `privsim diff`: the exposures that change between two platforms or files.
 *
 * Exposures are matched by item name and viewer name, so two versions of one scenario can be
 * compared as well as one scenario under two platforms.  Exit status 1 when the second side
 * has exposures that the first does not (a change that widens someone's audience). */
#include "cli.h"
#include "limits.h"
#include "describe.h"
#include "engine.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: privsim diff [options] FILE --from P --to Q\n"
    "       privsim diff [options] FILE_A FILE_B\n"
    "\n"
    "Compares the exposures of one scenario under platforms P and Q (either may be left\n"
    "out: the file's own platform), or of two scenario files. Lists the exposures that\n"
    "appear on the second side (+) and those that disappear (-), by item and viewer.\n"
    "\n"
    "options:\n"
    "  --from P, --to Q   platform presets to compare\n"
    "  --format F         text (default) or json\n"
    PS_LIMITS_USAGE
    "  -h, --help         this help\n"
    "\n"
    "exit status: 0 nothing new, 1 the second side exposes something new\n";

typedef struct {
    ps_model *m;
    ps_report *r;
} side;

static int load_side(side *s, const char *path, const char *platform)
{
    int rc = ps_cli_load(path, platform, &s->m);
    if (rc)
        return rc;
    ps_check_opts co = { .fixes = false };
    if (ps_check(s->m, &co, &s->r)) {
        fprintf(stderr, "privsim diff: out of memory\n");
        return PS_EXIT_INTERNAL;
    }
    return PS_EXIT_OK;
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
        if (fmt == PS_FMT_JSON)
            printf("],\"added\":%u,\"removed\":%u}\n", (unsigned)added, (unsigned)removed);
        else
            printf("%u added, %u removed\n", (unsigned)added, (unsigned)removed);
        rc = added ? PS_EXIT_FINDINGS : PS_EXIT_OK;
    }
    ps_report_free(a.r);
    ps_report_free(b.r);
    ps_model_free(a.m);
    ps_model_free(b.m);
    return rc > PS_EXIT_FINDINGS ? rc : ps_cli_finish(rc);
}
