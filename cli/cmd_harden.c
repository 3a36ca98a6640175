/* cmd_harden.c - `privsim harden FILE --user U`: U's own settings that keep every forbidden
 * exposure of U's items away whatever other people do, with the proof or with who else must
 * act. */
#include "cli.h"
#include "sarif.h"
#include "fix_more.h"
#include "harden.h"
#include "plan_out.h"
#include "version.h"

#include <getopt.h>
#include <string.h>

static const char usage[] =
    "usage: privsim harden [options] FILE --user U\n"
    "\n"
    "Searches U's own settings (tag review, the categories U lets through friends' apps,\n"
    "U's friend list, the audience and hide set of each of U's items with a persona) for\n"
    "those with no forbidden exposure of U's items, in the scenario and at every point of\n"
    "the space of what others may do, keeping the most intended reach, then the fewest\n"
    "external exposures, then the fewest changes.  Prints the settings as scenario lines,\n"
    "the reach kept and lost, and the number of points checked; or, when no setting of U's\n"
    "suffices, the exposures left and the other people or rules that could remove them.\n"
    "\n"
    "options:\n"
    "  --user U           the person to harden (required)\n"
    "  --against F,...    the space: others (what other people can do to U: tags, shares,\n"
    "                     installs, friend requests), vary (the scenario's vary lines),\n"
    "                     rules (the platform's rules); default others,vary\n"
    "  -o, --output FILE  write the scenario with the settings found (or, when none\n"
    "                     suffices, the narrowest) to FILE\n"
    "  --platform P       simulate under platform preset P instead of the file's\n"
    "  --format F         text (default), json or sarif\n"
    "  -h, --help         this help\n"
    "\n"
    "exit status: 0 settings found, 1 no setting of U's suffices, 2 bad usage or input,\n"
    "3 internal error\n";

static void pairs_text(FILE *out, const ps_model *m, const ps_harden_pair *v, uint32_t n)
{
    if (!n) {
        fputs("none", out);
        return;
    }
    for (uint32_t i = 0; i < n; i++) {
        if (!i || v[i].item != v[i - 1].item) {
            fputs(i ? "; " : "", out);
            ps_term_str(out, m->items[v[i].item].name);
            fputs(": ", out);
        } else {
            fputs(", ", out);
        }
        ps_term_str(out, m->users[v[i].viewer].name);
    }
}

/* The persona's reach: every user who still sees an item of the persona. */
static void persona_reach(FILE *out, const ps_model *m, const ps_harden *h, bool json)
{
    bool first_persona = true;
    for (uint32_t p = 0; p < m->npersonas; p++) {
        if (m->personas[p].owner != h->user)
            continue;
        fputs(json ? (first_persona ? "" : ",") : "  persona  ", out);
        if (json) {
            ps_json_str(out, m->personas[p].name);
            fputs(":[", out);
        } else {
            ps_term_str(out, m->personas[p].name);
            fputs(" reaches ", out);
        }
        first_persona = false;
        bool any = false;
        for (uint32_t u = 0; u < m->nusers; u++) {
            bool sees = false;
            for (uint32_t i = 0; i < h->nkept && !sees; i++)
                sees = h->kept[i].viewer == u && m->items[h->kept[i].item].persona == p;
            if (!sees)
                continue;
            fputs(any ? ", " : "", out);
            if (json)
                ps_json_str(out, m->users[u].name);
            else
                ps_term_str(out, m->users[u].name);
            any = true;
        }
        fputs(json ? "]" : any ? "\n" : "no one\n", out);
    }
}

static const char *against_text(const ps_harden_opts *o, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s%s%s%s%s", o->others ? "others" : "",
             o->others && (o->vary || o->rules) ? "," : "", o->vary ? "vary" : "",
             o->vary && o->rules ? "," : "", o->rules ? "rules" : "");
    return buf;
}

static void print_text(const ps_model *m, const ps_harden *h, const ps_harden_opts *o)
{
    ps_palette pal = ps_cli_palette(stdout);
    char buf[256];
    const char *un = m->users[h->user].name;
    printf("%sharden ", pal.bold);
    ps_term_str(stdout, un);
    printf("%s  (against: %s)\n", pal.reset, against_text(o, buf, sizeof buf));
    if (h->suffices) {
        printf("\n%sSettings%s (%u change%s)\n", pal.bold, pal.reset, (unsigned)h->nchanges,
               h->nchanges == 1 ? "" : "s");
        if (!h->nlines)
            printf("  none needed: the settings as written are safe\n");
        for (uint32_t i = 0; i < h->nlines; i++) {
            printf("  %s", pal.green);
            ps_term_str(stdout, h->lines[i]);
            printf("%s\n", pal.reset);
        }
        printf("\n%sReach%s (intended viewers of %s's items who see them, in the scenario)\n",
               pal.bold, pal.reset, un);
        printf("  kept     %u  ", (unsigned)h->nkept);
        pairs_text(stdout, m, h->kept, h->nkept);
        printf("\n  lost     %u  ", (unsigned)h->nlost);
        pairs_text(stdout, m, h->lost, h->nlost);
        printf("\n");
        persona_reach(stdout, m, h, false);
        printf("  external exposures of %s's items left in the scenario: %u\n", un,
               (unsigned)h->nexternal);
        printf("\n%sProof%s  %.0f point%s of the space (%u dimension%s) checked, all clean: no "
               "forbidden exposure of %s's items at any step\n",
               pal.bold, pal.reset, h->points, h->points == 1 ? "" : "s", (unsigned)h->ndims,
               h->ndims == 1 ? "" : "s", un);
    } else {
        printf("\n%sNo setting of %s's suffices%s: even the narrowest (below) leaves a forbidden "
               "exposure\n", pal.red, un, pal.reset);
        for (uint32_t i = 0; i < h->nlines; i++) {
            printf("  ");
            ps_term_str(stdout, h->lines[i]);
            printf("\n");
        }
        printf("\n%sCheapest exposures left%s, at a point of the space that needs %u change%s",
               pal.bold, pal.reset, (unsigned)h->nneeds, h->nneeds == 1 ? "" : "s");
        printf("%s\n", h->nneeds ? ":" : " (the scenario as written)");
        for (uint32_t i = 0; i < h->nneeds; i++) {
            printf("  ");
            ps_term_str(stdout, h->needs[i]);
            printf("\n");
        }
        printf("  forbidden  ");
        pairs_text(stdout, m, h->left, h->nleft);
        printf("\n\n%sWho else must act%s\n", pal.bold, pal.reset);
        if (!h->nothers)
            printf("  no fix tried by another person or rule cuts them (tried: %s)\n",
                   PS_FIX_TRIED);
        for (uint32_t i = 0; i < h->nothers; i++) {
            printf("  ");
            ps_term_str(stdout, h->others[i]);
            printf("\n");
        }
        printf("\n%.0f point%s of the space (%u dimension%s) checked under the narrowest settings\n",
               h->points, h->points == 1 ? "" : "s", (unsigned)h->ndims, h->ndims == 1 ? "" : "s");
    }
    printf("search   %u combination%s of %s's settings weighed, %u checked over the space, %u "
           "known unsafe by monotonicity\n", (unsigned)h->nconfigs, h->nconfigs == 1 ? "" : "s",
           un, (unsigned)h->nchecked, (unsigned)h->npruned);
}

static void strs_json(const char *const *v, uint32_t n)
{
    putchar('[');
    for (uint32_t i = 0; i < n; i++) {
        fputs(i ? "," : "", stdout);
        ps_json_str(stdout, v[i]);
    }
    putchar(']');
}

static void pairs_json(const ps_model *m, const ps_harden_pair *v, uint32_t n)
{
    putchar('[');
    for (uint32_t i = 0; i < n; i++) {
        fputs(i ? ",{\"item\":" : "{\"item\":", stdout);
        ps_json_str(stdout, m->items[v[i].item].name);
        fputs(",\"viewer\":", stdout);
        ps_json_str(stdout, m->users[v[i].viewer].name);
        putchar('}');
    }
    putchar(']');
}

static void print_json(const ps_model *m, const ps_harden *h, const ps_harden_opts *o)
{
    char buf[256];
    printf("{\"schema\":\"privsim.harden/1\",\"privsim\":\"%s\",\"scenario\":", PS_VERSION);
    ps_json_str(stdout, m->path ? m->path : "");
    fputs(",\"user\":", stdout);
    ps_json_str(stdout, m->users[h->user].name);
    printf(",\"against\":\"%s\",\"suffices\":%s,\"settings\":", against_text(o, buf, sizeof buf),
           h->suffices ? "true" : "false");
    strs_json((const char *const *)h->lines, h->nlines);
    printf(",\"changes\":%u,\"points\":%.0f,\"dimensions\":%u,\"clean\":%s", (unsigned)h->nchanges,
           h->points, (unsigned)h->ndims, h->suffices ? "true" : "false");
    fputs(",\"kept\":", stdout);
    pairs_json(m, h->kept, h->nkept);
    fputs(",\"lost\":", stdout);
    pairs_json(m, h->lost, h->nlost);
    fputs(",\"personas\":{", stdout);
    persona_reach(stdout, m, h, true);
    printf("},\"external\":%u,\"needs\":", (unsigned)h->nexternal);
    strs_json((const char *const *)h->needs, h->nneeds);
    fputs(",\"left\":", stdout);
    pairs_json(m, h->left, h->nleft);
    fputs(",\"others\":", stdout);
    strs_json((const char *const *)h->others, h->nothers);
    printf(",\"search\":{\"combinations\":%u,\"checked\":%u,\"pruned\":%u}}\n",
           (unsigned)h->nconfigs, (unsigned)h->nchecked, (unsigned)h->npruned);
}

static const ps_sarif_rule harden_rules[] = {
    { "PS-HARDEN-SET", "HardenSetting", "warning",
      "A setting that keeps forbidden exposures away whatever others do.",
      "Add the set line to the scenario (privsim harden -o OUT writes it), or make the setting "
      "on the platform." },
    { "PS-HARDEN-LEFT", "HardenNotEnough", "error",
      "A forbidden exposure that no setting of the person's removes.",
      "Someone else must act: the output names the person or the platform rule that could "
      "remove it." },
};

static void print_sarif(const ps_model *m, const ps_harden *h)
{
    char txt[1024];
    ps_sarif sw;
    if (ps_sarif_begin(&sw, stdout, harden_rules, 2, NULL))
        return;
    const char *path = m->path ? m->path : "scenario.psim";
    for (uint32_t i = 0; h->suffices && i < h->nlines; i++) {
        ps_sarif_loc at = { path, m->users[h->user].loc.line, m->users[h->user].loc.col, NULL };
        ps_sarif_result_begin(&sw, 0, h->lines[i], &at, NULL, 0, "privsimHarden/v1",
                              h->lines[i]);
        ps_sarif_result_end(&sw);
    }
    for (uint32_t i = 0; !h->suffices && i < h->nleft; i++) {
        const ps_item *it = &m->items[h->left[i].item];
        snprintf(txt, sizeof txt, "%s sees %s (forbidden) whatever %s sets",
                 m->users[h->left[i].viewer].name, it->name, m->users[h->user].name);
        ps_sarif_loc at = { path, it->loc.line, it->loc.col, NULL };
        ps_sarif_result_begin(&sw, 1, txt, &at, NULL, 0, "privsimHarden/v1", txt);
        ps_sarif_result_end(&sw);
    }
    ps_sarif_end(&sw, true, NULL, 0);
}

int ps_cmd_harden(int argc, char **argv)
{
    static const struct option opts[] = {
        { "user", required_argument, NULL, 'u' },
        { "against", required_argument, NULL, 'a' },
        { "output", required_argument, NULL, 'o' },
        { "platform", required_argument, NULL, 'p' },
        { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *platform = NULL, *against = "others,vary", *output = NULL;
    ps_harden_opts ho = { 0 };
    ps_format fmt = PS_FMT_TEXT;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'u': ho.user = optarg; break;
        case 'a': against = optarg; break;
        case 'o': output = optarg; break;
        case 'p': platform = optarg; break;
        case 'f': if (ps_cli_format("harden", optarg, 7, &fmt)) return PS_EXIT_USAGE; break;
        case 'h': fputs(usage, stdout); return ps_cli_finish(PS_EXIT_OK);
        default: return ps_cli_usage_error("harden", "unknown option");
        }
    }
    if (optind + 1 != argc)
        return ps_cli_usage_error("harden", optind >= argc ? "no scenario file given"
                                                           : "one scenario file at a time");
    if (!ho.user)
        return ps_cli_usage_error("harden", "--user U is required");
    for (const char *a = against; *a;) {
        size_t n = strcspn(a, ",");
        if (n == 6 && strncmp(a, "others", 6) == 0) ho.others = true;
        else if (n == 4 && strncmp(a, "vary", 4) == 0) ho.vary = true;
        else if (n == 5 && strncmp(a, "rules", 5) == 0) ho.rules = true;
        else
            return ps_cli_usage_error("harden", "--against takes others, vary and rules, "
                                                "comma-separated, not '%.*s'", (int)n, a);
        a += n + (a[n] == ',');
    }
    ps_model *m;
    int rc = ps_cli_load(argv[optind], platform, &m);
    if (rc)
        return rc;
    char err[512] = "";
    ps_harden *h = NULL;
    int hrc = ps_harden_run(m, &ho, &h, err, sizeof err);
    if (hrc) {
        ps_model_free(m);
        if (hrc == -2)
            return ps_cli_usage_error("harden", "%s", err);
        fprintf(stderr, "privsim harden: out of memory\n");
        return PS_EXIT_INTERNAL;
    }
    if (fmt == PS_FMT_JSON)
        print_json(m, h, &ho);
    else if (fmt == PS_FMT_SARIF)
        print_sarif(m, h);
    else
        print_text(m, h, &ho);
    rc = h->suffices ? PS_EXIT_OK : PS_EXIT_FINDINGS;
    if (output && ps_write_scenario_file(output, h->hardened))
        rc = PS_EXIT_INTERNAL;
    ps_harden_free(h);
    ps_model_free(m);
    return ps_cli_finish(rc);
}
