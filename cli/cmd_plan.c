/* cmd_plan.c - `privsim plan FILE`: the fewest verified changes that remove every exposure
 * at or above a severity, and the changed scenario. */
#include "cli.h"
#include "engine.h"
#include "fix_more.h"
#include "plan_out.h"

#include <getopt.h>
#include <string.h>

static const char usage[] =
    "usage: privsim plan [options] FILE\n"
    "\n"
    "The smallest set of changes that removes every exposure at or above a severity: the\n"
    "settings of the person whose intent is broken first, then other people's actions,\n"
    "then platform rules, chosen among the verified fixes of `privsim check` by a set cover,\n"
    "then applied together and checked again (fixes interact).  Each change is shown with\n"
    "the exposures it removes and the intended viewers it costs.\n"
    "\n"
    "options:\n"
    "  --severity S       forbidden (default), external or beyond-intent: that and worse\n"
    "  -o, --output FILE  write the planned scenario (.psim) to FILE\n"
    "  --platform P       simulate under platform preset P instead of the file's\n"
    "  --format F         text (default), json or sarif\n"
    "  -h, --help         this help\n"
    "\n"
    "exit status: 0 the planned scenario has no exposure at or above the severity, 1 some\n"
    "are left, 2 bad usage or input, 3 internal error\n";

/* Parses a severity name; -1 when unknown. */
static int severity_of(const char *s)
{
    for (int i = 0; i < PS_NSEV; i++)
        if (strcmp(s, ps_severity_name((ps_severity)i)) == 0)
            return i;
    return -1;
}

int ps_cmd_plan(int argc, char **argv)
{
    static const struct option opts[] = {
        { "severity", required_argument, NULL, 's' },
        { "output", required_argument, NULL, 'o' },
        { "platform", required_argument, NULL, 'p' },
        { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *platform = NULL, *output = NULL;
    int min = PS_SEV_FORBIDDEN;
    ps_format fmt = PS_FMT_TEXT;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            if ((min = severity_of(optarg)) < 0)
                return ps_cli_usage_error("plan", "--severity takes forbidden, external or "
                                                  "beyond-intent, not '%s'", optarg);
            break;
        case 'o': output = optarg; break;
        case 'p': platform = optarg; break;
        case 'f': if (ps_cli_format("plan", optarg, 7, &fmt)) return PS_EXIT_USAGE; break;
        case 'h': fputs(usage, stdout); return ps_cli_finish(PS_EXIT_OK);
        default: return ps_cli_usage_error("plan", "unknown option");
        }
    }
    if (optind + 1 != argc)
        return ps_cli_usage_error("plan", optind >= argc ? "no scenario file given"
                                                         : "one scenario file at a time");
    ps_model *m;
    int rc = ps_cli_load(argv[optind], platform, &m);
    if (rc)
        return rc;
    ps_progress prog;
    ps_progress_init(&prog, "plan");
    ps_check_opts co = { .fixes = true, .progress = ps_progress_update, .payload = &prog };
    ps_report *r = NULL;
    ps_plan *p = NULL;
    int crc = ps_check(m, &co, &r);
    if (!crc)
        crc = ps_fix_complete(m, r);
    if (!crc)
        crc = ps_plan_make(m, r, (ps_severity)min, &p);
    ps_progress_end(&prog);
    ps_report_free(r);
    if (crc) {
        fprintf(stderr, "privsim plan: out of memory\n");
        ps_model_free(m);
        return PS_EXIT_INTERNAL;
    }
    rc = p->nleft ? PS_EXIT_FINDINGS : PS_EXIT_OK;
    if (output && ps_write_scenario_file(output, p->planned))
        rc = PS_EXIT_INTERNAL;
    if (rc != PS_EXIT_INTERNAL) {
        if (fmt == PS_FMT_JSON)
            ps_plan_print_json(stdout, m, p);
        else if (fmt == PS_FMT_SARIF)
            ps_plan_print_sarif(stdout, m, p);
        else
            ps_plan_print_text(stdout, m, p, output);
    }
    ps_plan_free(p);
    ps_model_free(m);
    return ps_cli_finish(rc);
}
