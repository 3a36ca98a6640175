/* cmd_check.c - `privsim check FILE`: every exposure and expectation of a scenario. */
#include "cli.h"
#include "limits.h"
#include "engine.h"
#include "report_out.h"

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
    PS_LIMITS_USAGE
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
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *platform = NULL, *output = NULL, *fail_on = "beyond-intent";
    ps_format fmt = PS_FMT_TEXT;
    bool fixes = true;
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
    ps_model *m;
    int rc = ps_cli_load(argv[optind], platform, &m);
    if (rc)
        return rc;
    ps_progress prog;
    ps_progress_init(&prog, "check");
    ps_check_opts co = { .fixes = fixes, .progress = ps_progress_update, .payload = &prog };
    ps_report *r;
    int crc = ps_check(m, &co, &r);
    ps_progress_end(&prog);
    if (crc) {
        fprintf(stderr, "privsim check: out of memory\n");
        ps_model_free(m);
        return PS_EXIT_INTERNAL;
    }
    ps_output o;
    int orc = ps_output_open(&o, output);
    if (orc) {
        ps_report_free(r);
        ps_model_free(m);
        return orc;
    }
    if (fmt == PS_FMT_JSON)
        ps_report_print_json(o.f, m, r);
    else if (fmt == PS_FMT_SARIF)
        ps_report_print_sarif(o.f, m, r);
    else
        ps_report_print_text(o.f, m, r, (uint32_t)max_viewers);
    rc = PS_EXIT_OK;
    if (threshold >= 0) {
        for (uint32_t i = 0; i < r->nexpects; i++)
            if (!r->expects[i].held)
                rc = PS_EXIT_FINDINGS;
        for (int s = threshold; s < PS_NSEV; s++)
            if (r->counts[s])
                rc = PS_EXIT_FINDINGS;
    }
    ps_report_free(r);
    ps_model_free(m);
    if (ps_output_close(&o, true))
        return PS_EXIT_INTERNAL;
    return ps_cli_finish(rc);
}
