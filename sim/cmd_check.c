/* cmd_check.c - `privsim check FILE`: every exposure and expectation of a scenario. */
#include "cli.h"
#include "engine.h"
#include "fix_more.h"
#include "linkage_out.h"
#include "report_out.h"
#ifdef PRIVSIM_MPI
#include "mpi_run.h"
#endif

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: privsim check [options] FILE\n"
    "\n"
    "Simulates the scenario FILE over its whole timeline and lists every exposure: a viewer\n"
    "who can see an item but is outside the audience its owner (or its persona) intended,\n"
    "with the path that lets them in, the step at which it first appears, and the fixes\n"
    "that would cut it (each one re-checked). Also checks every `expect` line.\n"
    "\n"
    "options:\n"
    "  --platform P       simulate under platform preset P instead of the file's\n"
    "  --format F         text (default), json or sarif\n"
    "  -o, --output FILE  write the output to FILE (atomically) instead of stdout\n"
    "  --fail-on WHAT     what makes the exit status 1: beyond-intent (default: any\n"
    "                     exposure), external, forbidden (that severity and worse),\n"
    "                     expect (failed expectations only) or never\n"
    "  --no-fixes         do not compute fixes (faster on large scenarios)\n"
    "  --max-viewers N    text: name at most N viewers per group (default 12, 0 = all)\n"
    "  --timing           print the CPU and wall time of reading, checking and writing\n"
    "                     on standard error\n"
    "  -h, --help         this help\n"
    "\n"
    "exit status: 0 clean, 1 exposures or failed expectations, 2 bad usage or input,\n"
    "3 internal error\n";

int ps_cmd_check(int argc, char **argv)
{
    static const struct option opts[] = {
        { "platform", required_argument, NULL, 'p' },
        { "format", required_argument, NULL, 'f' },
        { "output", required_argument, NULL, 'o' },
        { "fail-on", required_argument, NULL, 'F' },
        { "no-fixes", no_argument, NULL, 'n' },
        { "max-viewers", required_argument, NULL, 'm' },
        { "timing", no_argument, NULL, 'T' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *platform = NULL, *output = NULL, *fail_on = "beyond-intent";
    ps_format fmt = PS_FMT_TEXT;
    bool fixes = true, timing = false;
    long max_viewers = 12;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'p': platform = optarg; break;
        case 'f':
            if (ps_cli_format("check", optarg, 7, &fmt))
                return PS_EXIT_USAGE;
            break;
        case 'o': output = optarg; break;
        case 'F': fail_on = optarg; break;
        case 'n': fixes = false; break;
        case 'T': timing = true; break;
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
    int threshold; /* lowest severity that fails; PS_NSEV: none; -1: only expectations */
    if (strcmp(fail_on, "beyond-intent") == 0) threshold = PS_SEV_BEYOND_INTENT;
    else if (strcmp(fail_on, "external") == 0) threshold = PS_SEV_EXTERNAL;
    else if (strcmp(fail_on, "forbidden") == 0) threshold = PS_SEV_FORBIDDEN;
    else if (strcmp(fail_on, "expect") == 0) threshold = PS_NSEV;
    else if (strcmp(fail_on, "never") == 0) threshold = -1;
    else
        return ps_cli_usage_error("check", "--fail-on takes beyond-intent, external, forbidden, "
                                           "expect or never, not '%s'", fail_on);
    if (optind + 1 != argc)
        return ps_cli_usage_error("check", optind >= argc ? "no scenario file given"
                                                          : "one scenario file at a time");
    ps_timing tm;
    ps_timing_start(&tm, "check", timing);
    ps_model *m;
    int rc = ps_cli_load(argv[optind], platform, &m);
#ifdef PRIVSIM_MPI
    rc = ps_mpi_agree_load("check", rc, &m);
#endif
    if (rc)
        return rc;
    ps_timing_mark(&tm, "read");
    ps_progress prog;
    ps_progress_init(&prog, "check");
    ps_check_opts co = { .fixes = fixes, .progress = ps_progress_update, .payload = &prog };
    ps_report *r;
#ifdef PRIVSIM_MPI
    int crc = ps_mpi_check(m, &co, &r);
    if (ps_mpi_rank() != 0) { /* the first process prints the merged report */
        ps_model_free(m);
        return crc ? PS_EXIT_INTERNAL : PS_EXIT_OK;
    }
#else
    int crc = ps_check(m, &co, &r);
#endif
    /* exposures that no single change cuts: the two-change and owner-hide tries (after the
     * parts of a split run are merged, as one process does it) */
    if (!crc && fixes && ps_fix_complete(m, r)) {
        ps_report_free(r);
        crc = -1;
    }
    ps_progress_end(&prog);
    ps_timing_mark(&tm, "check");
    if (crc) {
        fprintf(stderr, "privsim check: out of memory\n");
        ps_model_free(m);
        return PS_EXIT_INTERNAL;
    }
    /* linkages of persons with several accounts */
    ps_linkage_report *lr = NULL;
    if (m->persons && m->persons->n) {
        ps_linkage_opts lo = { .fixes = fixes };
        if (ps_linkage_check(m, &lo, &lr)) {
            fprintf(stderr, "privsim check: out of memory\n");
            ps_report_free(r);
            ps_model_free(m);
            return PS_EXIT_INTERNAL;
        }
    }
    ps_output o;
    if (ps_output_open(&o, output)) {
        ps_linkage_report_free(lr);
        ps_report_free(r);
        ps_model_free(m);
        return PS_EXIT_INTERNAL;
    }
    char *doc = NULL;
    size_t doclen = 0;
    FILE *mem = lr && fmt != PS_FMT_TEXT ? open_memstream(&doc, &doclen) : NULL;
    FILE *to = mem ? mem : o.f;
    if (fmt == PS_FMT_JSON)
        ps_report_print_json(to, m, r);
    else if (fmt == PS_FMT_SARIF)
        ps_report_print_sarif(to, m, r);
    else
        ps_report_print_text(to, m, r, (uint32_t)max_viewers);
    if (mem) {
        fclose(mem);
        ps_linkage_splice(o.f, doc, doclen, lr, fmt == PS_FMT_SARIF);
        free(doc);
    } else if (lr) {
        ps_linkage_print_text(o.f, lr, (uint32_t)max_viewers);
    }
    ps_timing_mark(&tm, "write");
    rc = PS_EXIT_OK;
    if (threshold >= 0) {
        for (uint32_t i = 0; i < r->nexpects; i++)
            if (!r->expects[i].held)
                rc = PS_EXIT_FINDINGS;
        for (int s = threshold; s < PS_NSEV; s++)
            if (r->counts[s] || (lr && lr->counts[s]))
                rc = PS_EXIT_FINDINGS;
    }
    ps_linkage_report_free(lr);
    ps_report_free(r);
    ps_model_free(m);
    if (ps_output_close(&o, true))
        return PS_EXIT_INTERNAL;
    rc = ps_cli_finish(rc);
    ps_timing_print(&tm);
    return rc;
}
