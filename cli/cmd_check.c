/* cmd_check.c - `privsim check FILE|DIR...`: every exposure and expectation of one scenario
 * or of many, with baselines, in text, JSON, SARIF, GitHub workflow commands or Markdown.
 *
 * Scenarios are checked one after another (each check spreads over every core) and written
 * as they are done, so the output's order is the order of the arguments, directories sorted.
 * The exit status is the worst of all: 3 internal error, 2 bad input, 1 findings, 0 clean.
 * With -o the document is always written, also when a scenario has errors (SARIF then
 * says executionSuccessful: false and carries the diagnostics).
 */
#include "cli.h"
#include "atomic.h"
#include "runlimits.h"
#ifdef PRIVSIM_MPI
#include "mpi_run.h"
#endif
#include "linkage_out.h"
#include "fix_more.h"
#include "accept.h"
#include "baseline.h"
#include "engine.h"
#include "report_out.h"
#include "scenarios.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] =
    "usage: privsim check [options] FILE|DIR...\n"
    "\n"
    "Simulates each scenario over its whole timeline and lists every exposure: a viewer\n"
    "who can see an item but is outside the audience its owner (or its persona) intended,\n"
    "with the path that lets them in, the step at which it first appears, and the fixes\n"
    "that would cut it (each one re-checked). Also checks every `expect` line. A directory\n"
    "stands for every .psim file under it; with several scenarios, each is reported in turn\n"
    "and a summary line ends the text.\n"
    "\n"
    "options:\n"
    "  --platform P       simulate under platform preset P instead of the file's\n"
    "  --format F         text (default), json, sarif, github (workflow commands that\n"
    "                     annotate the statement behind each exposure) or markdown\n"
    "  -o, --output FILE  write the output to FILE (atomically) instead of stdout; the\n"
    "                     document is written also when a scenario has errors\n"
    "  --base-dir DIR     sarif, github: file names relative to DIR (default: .)\n"
    "  --baseline FILE    leave out the exposures recorded in FILE (privsim baseline),\n"
    "                     fail only on new ones, and list the recorded ones that are gone\n"
    "  --fail-on WHAT     what makes the exit status 1: beyond-intent (default: any\n"
    "                     exposure), external, forbidden (that severity and worse),\n"
    "                     expect (failed expectations only) or never\n"
    "  --no-fixes         do not compute fixes (faster on large scenarios)\n"
    "  --max-viewers N    text: name at most N viewers per group (default 12, 0 = all)\n"
    "  --timing           print the CPU and wall time of reading, checking and writing\n"
    PS_LIMITS_USAGE
    "  -h, --help         this help\n"
    "\n"
    "exit status: the worst over the scenarios: 0 clean, 1 exposures or failed\n"
    "expectations, 2 bad usage or input, 3 internal error\n";

typedef struct {
    ps_format fmt;
    const char *platform, *base_dir;
    bool fixes, timing;
    uint32_t max_viewers;
    int threshold;              /* lowest severity that fails; PS_NSEV: none; -1: nothing */
    ps_baseline *baseline;      /* or NULL */
    bool many;                  /* several scenarios: the multi-scenario document */
    FILE *out;
    ps_json j;                  /* json */
    ps_sarif sarif;             /* sarif */
    ps_diag *failed;            /* diagnostics of the scenarios with errors (sarif) */
    size_t nfailed;
    uint32_t clean, findings, errors;
} run;

static void text_gone(const ps_baseline_entry *e, void *payload)
{
    FILE *out = payload;
    fprintf(out, "  gone since the baseline (its line %u): ", (unsigned)e->line);
    ps_term_str(out, e->fingerprint);
    fputc('\n', out);
}

static void md_gone(const ps_baseline_entry *e, void *payload)
{
    FILE *out = payload;
    fprintf(out, "- gone since the baseline: `");
    for (const char *c = e->fingerprint; *c; c++)
        fputc(*c == '`' || (unsigned char)*c < 0x20 ? ' ' : *c, out);
    fputs("`\n", out);
}

/* The exit status of one checked scenario. */
static int status(const run *ru, const ps_report *r)
{
    if (ru->threshold < 0)
        return PS_EXIT_OK;
    for (uint32_t i = 0; i < r->nexpects; i++)
        if (!r->expects[i].held)
            return PS_EXIT_FINDINGS;
    for (int s = ru->threshold; s < PS_NSEV; s++)
        if (r->counts[s])
            return PS_EXIT_FINDINGS;
    return PS_EXIT_OK;
}

/* The entry of a scenario with errors in a privsim.checks/1 document. */
static void json_errors(ps_json *j, const char *path, ps_diag *d)
{
    ps_diag_sort(d);
    ps_json_object(j);
    ps_json_kstr(j, "scenario", path);
    ps_json_karray(j, "errors");
    for (uint32_t i = 0; i < d->n; i++) {
        ps_json_object(j);
        ps_json_kstr(j, "level", d->v[i].level == PS_DIAG_ERROR ? "error" : "warning");
        ps_json_kuint(j, "line", d->v[i].loc.line);
        ps_json_kuint(j, "column", d->v[i].loc.col);
        ps_json_kstr(j, "message", d->v[i].msg);
        ps_json_object_end(j);
    }
    ps_json_array_end(j);
    ps_json_object_end(j);
}

/* Writes the diagnostics of a scenario that could not be read, in the document's format. */
static void write_errors(run *ru, const char *path, ps_diag *d)
{
    FILE *out = ru->out;
    switch (ru->fmt) {
    case PS_FMT_JSON:
        if (!ru->many) { /* one scenario: the multi-scenario document holds its errors */
            ps_json_object(&ru->j);
            ps_json_schema(&ru->j, "checks", 1);
            ps_json_karray(&ru->j, "scenarios");
        }
        json_errors(&ru->j, path, d);
        if (!ru->many) {
            ps_json_array_end(&ru->j);
            ps_json_kobject(&ru->j, "summary");
            ps_json_kuint(&ru->j, "scenarios", 1);
            ps_json_kuint(&ru->j, "clean", 0);
            ps_json_kuint(&ru->j, "findings", 0);
            ps_json_kuint(&ru->j, "errors", 1);
            ps_json_object_end(&ru->j);
            ps_json_object_end(&ru->j);
            ps_json_finish(&ru->j);
        }
        break;
    case PS_FMT_SARIF: {
        ps_diag *nf = realloc(ru->failed, (ru->nfailed + 1) * sizeof *nf);
        if (nf) {
            ru->failed = nf;
            ru->failed[ru->nfailed++] = *d; /* now owned by the run */
            ps_diag_init(d);
        }
        break;
    }
    case PS_FMT_GITHUB: {
        char file[4096];
        bool rel;
        char *base = ps_sarif_base(ru->base_dir);
        ps_sarif_relpath(base ? base : "/", path, file, sizeof file, &rel);
        free(base);
        for (uint32_t i = 0; i < d->n; i++)
            ps_github_command(out, d->v[i].level == PS_DIAG_ERROR ? "error" : "warning", file,
                              d->v[i].loc.line, d->v[i].loc.col, "privsim: bad scenario",
                              d->v[i].msg);
        break;
    }
    case PS_FMT_MARKDOWN:
        fputs("### ", out);
        for (const char *c = path; *c; c++)
            fputc((unsigned char)*c < 0x20 ? ' ' : *c, out);
        fprintf(out, "\n\n:x: %u error%s: the scenario was not checked (see the job's log)\n\n",
                (unsigned)d->nerrors, d->nerrors == 1 ? "" : "s");
        break;
    default:
        break;
    }
}

/* Checks one scenario and writes its part of the output.  Returns its exit status. */
static int check_one(run *ru, const char *path)
{
    ps_diag d;
    ps_diag_init(&d);
    ps_model *m = NULL;
    ps_timing tm;
    ps_timing_start(&tm, "check", ru->timing);
    int rc = ps_cli_load_diag(path, NULL, ru->platform, &m, &d);
#ifdef PRIVSIM_MPI
    rc = ps_mpi_agree_load("check", rc, &m);
#endif
    if (rc) {
        write_errors(ru, path, &d);
        ps_diag_free(&d);
        ru->errors++;
        return rc;
    }
    ps_diag_free(&d);
    ps_timing_mark(&tm, "read");
    ps_progress prog;
    ps_progress_init(&prog, "check");
    ps_check_opts co = { .fixes = ru->fixes, .progress = ps_progress_update, .payload = &prog };
    ps_report *r;
#ifdef PRIVSIM_MPI
    int crc = ps_mpi_check(m, &co, &r);
    if (ps_mpi_rank() != 0) { /* the first process prints the merged report */
        ps_progress_end(&prog);
        if (!crc)
            ps_report_free(r);
        ps_model_free(m);
        return crc ? PS_EXIT_INTERNAL : PS_EXIT_OK;
    }
#else
    int crc = ps_check(m, &co, &r);
#endif
    /* exposures that no single change cuts: the two-change and owner-hide tries (after the
     * parts of a split run are merged, as one process does it) */
    if (!crc && ru->fixes && ps_fix_complete(m, r)) {
        ps_report_free(r);
        crc = -1;
    }
    /* linkages of persons with several accounts */
    ps_linkage_report *lr = NULL;
    if (!crc && m->persons && m->persons->n) {
        ps_linkage_opts lo = { .fixes = ru->fixes };
        if (ps_linkage_check(m, &lo, &lr)) {
            ps_report_free(r);
            crc = -1;
        }
    }
    ps_progress_end(&prog);
    ps_timing_mark(&tm, "check");
    if (crc) {
        fprintf(stderr, "privsim check: out of memory\n");
        ps_model_free(m);
        return PS_EXIT_INTERNAL;
    }
    /* the view that is reported: without the exposures of the baseline and the accepted */
    ps_report view = *r;
    ps_report_extra extra = { 0, ru->baseline, path, r, NULL, NULL, lr };
    bool *known = calloc((size_t)r->nexposures + 1, sizeof *known);
    ps_exposure *kept = malloc(((size_t)r->nexposures + 1) * sizeof *kept);
    uint32_t *accept_of = malloc(((size_t)r->nexposures + 1) * sizeof *accept_of);
    bool *used = calloc((size_t)m->naccepts + 1, sizeof *used);
    if (!known || !kept || !accept_of || !used) {
        free(known);
        free(kept);
        free(accept_of);
        free(used);
        ps_linkage_report_free(lr);
        ps_report_free(r);
        ps_model_free(m);
        fprintf(stderr, "privsim check: out of memory\n");
        return PS_EXIT_INTERNAL;
    }
    if (ru->baseline)
        extra.baselined = ps_baseline_match(ru->baseline, path, m, r, known);
    if (m->naccepts) {
        ps_accept_match(m, r, accept_of, used);
        extra.accept_of = accept_of;
        extra.accept_used = used;
        ps_report_warn_unused_accepts(stderr, m, &extra);
    }
    view.exposures = kept;
    view.nexposures = 0;
    memset(view.counts, 0, sizeof view.counts);
    for (uint32_t i = 0; i < r->nexposures; i++)
        if (!known[i] && !(m->naccepts && accept_of[i] != PS_NONE)) {
            kept[view.nexposures++] = r->exposures[i];
            view.counts[r->exposures[i].severity]++;
        } else if (known[i] && m->naccepts) {
            accept_of[i] = PS_NONE; /* the baseline left it out already */
        }
    free(known);
    FILE *out = ru->out;
    switch (ru->fmt) {
    case PS_FMT_JSON:
        ps_report_json(&ru->j, m, &view, &extra);
        break;
    case PS_FMT_SARIF:
        ps_report_sarif_results(&ru->sarif, m, &view);
        if (lr)
            ps_linkage_sarif_results(&ru->sarif, lr, PS_CHECK_LINKAGE_RULE);
        break;
    case PS_FMT_GITHUB:
        ps_report_print_github(out, m, &view, ru->base_dir);
        for (uint32_t k = 0; extra.accept_used && k < m->naccepts; k++)
            if (!used[k]) {
                char file[4096];
                bool rel;
                char *base = ps_sarif_base(ru->base_dir);
                ps_sarif_relpath(base ? base : "/", path, file, sizeof file, &rel);
                free(base);
                ps_github_command(out, "warning", file, m->accepts[k].loc.line,
                                  m->accepts[k].loc.col, "privsim: accept line unused",
                                  "the accepted exposure no longer occurs; the accept line can go");
            }
        break;
    case PS_FMT_MARKDOWN:
        ps_report_print_markdown(out, m, &view);
        ps_report_print_accepted_markdown(out, m, &extra);
        if (ru->baseline) {
            if (extra.baselined)
                fprintf(out, "%u exposure%s in the baseline not shown.\n\n",
                        (unsigned)extra.baselined, extra.baselined == 1 ? "" : "s");
            ps_baseline_gone(ru->baseline, path, md_gone, out);
        }
        break;
    default:
        if (ru->many) {
            ps_palette pal = ps_term_palette(out);
            fprintf(out, "%s== ", pal.bold);
            ps_term_str(out, path);
            fprintf(out, " ==%s\n", pal.reset);
        }
        ps_report_print_text(out, m, &view, ru->max_viewers);
        if (lr)
            ps_linkage_print_text(out, lr, ru->max_viewers);
        ps_report_print_accepted_text(out, m, &extra);
        if (ru->baseline) {
            fprintf(out, "%u exposure%s in the baseline not shown\n", (unsigned)extra.baselined,
                    extra.baselined == 1 ? "" : "s");
            ps_baseline_gone(ru->baseline, path, text_gone, out);
        }
        if (ru->many)
            fputc('\n', out);
        break;
    }
    rc = status(ru, &view);
    for (int sv = ru->threshold; lr && sv >= 0 && sv < PS_NSEV; sv++)
        if (lr->counts[sv])
            rc = PS_EXIT_FINDINGS;
    ps_timing_mark(&tm, "write");
    ps_timing_print(&tm);
    if (rc)
        ru->findings++;
    else
        ru->clean++;
    free(kept);
    free(accept_of);
    free(used);
    ps_linkage_report_free(lr);
    ps_report_free(r);
    ps_model_free(m);
    return rc;
}

static int parse_fail_on(const char *fail_on)
{
    if (strcmp(fail_on, "beyond-intent") == 0) return PS_SEV_BEYOND_INTENT;
    if (strcmp(fail_on, "external") == 0) return PS_SEV_EXTERNAL;
    if (strcmp(fail_on, "forbidden") == 0) return PS_SEV_FORBIDDEN;
    if (strcmp(fail_on, "expect") == 0) return PS_NSEV;
    if (strcmp(fail_on, "never") == 0) return -1;
    return -2;
}

int ps_cmd_check(int argc, char **argv)
{
    static const struct option opts[] = {
        { "platform", required_argument, NULL, 'p' },
        { "format", required_argument, NULL, 'f' },
        { "output", required_argument, NULL, 'o' },
        { "fail-on", required_argument, NULL, 'F' },
        { "no-fixes", no_argument, NULL, 'n' },
        { "max-viewers", required_argument, NULL, 'm' },
        { "base-dir", required_argument, NULL, 'b' },
        { "baseline", required_argument, NULL, 'B' },
        { "timing", no_argument, NULL, 'T' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *output = NULL, *fail_on = "beyond-intent", *baseline = NULL;
    run ru;
    memset(&ru, 0, sizeof ru);
    ru.fmt = PS_FMT_TEXT;
    ru.fixes = true;
    long max_viewers = 12;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'p': ru.platform = optarg; break;
        case 'f':
            if (ps_cli_format("check", optarg, PS_FMTS_ALL, &ru.fmt))
                return PS_EXIT_USAGE;
            break;
        case 'o': output = optarg; break;
        case 'F': fail_on = optarg; break;
        case 'n': ru.fixes = false; break;
        case 'T': ru.timing = true; break;
        case 'b': ru.base_dir = optarg; break;
        case 'B': baseline = optarg; break;
        case 'm': {
            char *end;
            max_viewers = strtol(optarg, &end, 10);
            if (*end || max_viewers < 0)
                return ps_cli_usage_error("check", "--max-viewers takes a whole number");
            break;
        }
        case 'h': fputs(usage, stdout); return ps_cli_finish(PS_EXIT_OK);
        default: return ps_cli_usage_error("check", "unknown option");
        }
    }
    ru.max_viewers = (uint32_t)max_viewers;
    ru.threshold = parse_fail_on(fail_on);
    if (ru.threshold == -2)
        return ps_cli_usage_error("check", "--fail-on takes beyond-intent, external, forbidden, "
                                           "expect or never, not '%s'", fail_on);
    if (optind >= argc)
        return ps_cli_usage_error("check", "no scenario file given");
    ps_scenarios files = {0};
    int xr = ps_scenarios_expand(&files, "check", argc - optind, argv + optind);
    if (xr) {
        ps_scenarios_free(&files);
        return xr == -2 ? PS_EXIT_INTERNAL : PS_EXIT_USAGE;
    }
    ps_baseline bl = {0};
    if (baseline) {
        int br = ps_baseline_load(baseline, &bl);
        if (br) {
            ps_scenarios_free(&files);
            return br == -2 ? PS_EXIT_INTERNAL : PS_EXIT_USAGE;
        }
        ru.baseline = &bl;
    }
    ru.many = files.n > 1;
    for (int i = optind; i < argc; i++) {
        struct stat sb;
        if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode))
            ru.many = true;
    }
    /* the output never replaces one of the scenarios it reports on */
    for (size_t i = 0; i < files.n; i++)
        ps_input_note(files.paths[i]);
#ifdef PRIVSIM_MPI
    if (ps_mpi_rank() != 0) /* only the first process writes: the others' output goes nowhere */
        output = NULL;
#endif
    ps_output o;
    int orc = ps_output_open(&o, output);
    if (orc) {
        ps_baseline_free(&bl);
        ps_scenarios_free(&files);
        return ps_cli_output_status(orc);
    }
    ru.out = o.f;
    flockfile(ru.out);
    int rc = PS_EXIT_OK;
    if (ru.fmt == PS_FMT_SARIF) {
        if (ps_sarif_begin(&ru.sarif, ru.out, ps_check_sarif_rules, PS_CHECK_NRULES, ru.base_dir))
            rc = PS_EXIT_INTERNAL;
    } else if (ru.fmt == PS_FMT_JSON && ru.many) {
        ps_json_init(&ru.j, ru.out, 0);
        ps_json_object(&ru.j);
        ps_json_schema(&ru.j, "checks", 1);
        ps_json_karray(&ru.j, "scenarios");
    } else if (ru.fmt == PS_FMT_JSON) {
        ps_json_init(&ru.j, ru.out, 1);
    } else if (ru.fmt == PS_FMT_MARKDOWN) {
        fputs("## privsim check\n\n", ru.out);
    }
    for (size_t i = 0; i < files.n && rc != PS_EXIT_INTERNAL; i++) {
        int r = check_one(&ru, files.paths[i]);
        if (r > rc)
            rc = r;
    }
    if (ru.fmt == PS_FMT_SARIF && rc != PS_EXIT_INTERNAL) {
        ps_sarif_end(&ru.sarif, ru.errors == 0, ru.failed, ru.nfailed);
    } else if (ru.fmt == PS_FMT_JSON && ru.many) {
        ps_json_array_end(&ru.j);
        ps_json_kobject(&ru.j, "summary");
        ps_json_kuint(&ru.j, "scenarios", files.n);
        ps_json_kuint(&ru.j, "clean", ru.clean);
        ps_json_kuint(&ru.j, "findings", ru.findings);
        ps_json_kuint(&ru.j, "errors", ru.errors);
        ps_json_object_end(&ru.j);
        ps_json_object_end(&ru.j);
        ps_json_finish(&ru.j);
    } else if (ru.fmt == PS_FMT_JSON && !ru.errors) {
        ps_json_finish(&ru.j);
    } else if (ru.many && (ru.fmt == PS_FMT_TEXT || ru.fmt == PS_FMT_MARKDOWN)) {
        fprintf(ru.out, "%zu scenarios: %u clean, %u with findings, %u with errors\n", files.n,
                (unsigned)ru.clean, (unsigned)ru.findings, (unsigned)ru.errors);
    }
    funlockfile(ru.out);
    for (size_t i = 0; i < ru.nfailed; i++)
        ps_diag_free(&ru.failed[i]);
    free(ru.failed);
    ps_baseline_free(&bl);
    ps_scenarios_free(&files);
    /* the document is kept whenever it is whole: findings and bad input alike */
    if (ps_output_close(&o, rc != PS_EXIT_INTERNAL))
        return PS_EXIT_INTERNAL;
    return rc == PS_EXIT_INTERNAL ? rc : ps_cli_finish(rc);
}
