/* cmd_report.c - `privsim report FILE -o DIR [--findings DIR]`: the self-contained HTML
 * exposure report (viz/report.h), written as DIR/index.html. */
#include "cli.h"
#include "limits.h"
#include "report.h"
#include "viz.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: privsim report [options] FILE -o DIR [--findings DIR]\n"
    "\n"
    "Simulates the scenario FILE and writes DIR/index.html: one self-contained page (CSS\n"
    "and diagrams inline, nothing loaded from the network, no JavaScript) with\n"
    "  - a summary: exposures by severity, by persona, by rule and by category;\n"
    "  - the exposures, grouped by the shape of their leak path, each group with a\n"
    "    diagram, the path in words, its fixes and the list of its exposures;\n"
    "  - the expectations (`expect` lines) and whether they hold;\n"
    "  - the fuzz findings of --findings DIR (finding-NNN.psim), each read and checked;\n"
    "  - the audience of the worst items and the persona maps of their owners;\n"
    "  - the platform's rules and the scenario's text.\n"
    "The page is written to a temporary file and renamed, so an interrupted run never\n"
    "leaves half a report.  The path of the page is printed on success.\n"
    "\n"
    "options:\n"
    "  -o, --output DIR    the directory to write (created if missing; required)\n"
    "  --findings DIR      a directory of fuzz findings to list\n"
    "  --platform P        simulate under platform preset P instead of the file's\n"
    "  --max-diagrams N    leak diagrams drawn (default 24)\n"
    "  --no-fixes          do not compute fixes (faster on large scenarios)\n"
    PS_LIMITS_USAGE
    "  -h, --help          this help\n"
    "\n"
    "exit status: 0 written, 2 bad usage or bad input, 3 internal error\n";

int ps_cmd_report(int argc, char **argv)
{
    static const struct option opts[] = {
        { "output", required_argument, NULL, 'o' },
        { "findings", required_argument, NULL, 'f' },
        { "platform", required_argument, NULL, 'p' },
        { "max-diagrams", required_argument, NULL, 'd' },
        { "no-fixes", no_argument, NULL, 'F' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    ps_report_opts ro = { 0 };
    const char *platform = NULL, *output = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'f': ro.findings_dir = optarg; break;
        case 'p': platform = optarg; break;
        case 'd': {
            char *end;
            errno = 0;
            long n = strtol(optarg, &end, 10);
            if (*end || end == optarg || n < 1 || n > 10000 || errno)
                return ps_cli_usage_error("report", "--max-diagrams takes a number from 1 to "
                                                    "10000");
            ro.max_diagrams = (uint32_t)n;
            break;
        }
        case 'F': ro.no_fixes = true; break;
        case 'h': fputs(usage, stdout); return ps_cli_finish(PS_EXIT_OK);
        default: return ps_cli_usage_error("report", "unknown option");
        }
    }
    if (argc - optind != 1)
        return ps_cli_usage_error("report", "expected one scenario FILE");
    if (!output)
        return ps_cli_usage_error("report", "-o DIR is required");
    ro.scenario_path = argv[optind];
    ps_model *m;
    int rc = ps_cli_load(ro.scenario_path, platform, &m);
    if (rc)
        return rc;
    char *index = NULL;
    if (ps_report_write_opts(m, &ro, output, &index) != 0) {
        rc = PS_EXIT_INTERNAL;
        if (errno == ENOMEM)
            fprintf(stderr, "privsim report: out of memory\n");
        else if (errno == EEXIST) /* atomic.h: the page would replace an input file */
            rc = ps_cli_usage_error("report", "refusing to write '%s/index.html' over an "
                                              "input file", output);
        else if (errno == EPROTO)
            fprintf(stderr, "privsim report: Graphviz could not draw a diagram\n");
        else
            fprintf(stderr, "privsim report: cannot write '%s/index.html': %s\n", output,
                    strerror(errno));
    } else {
        printf("%s\n", index);
    }
    free(index);
    ps_model_free(m);
    ps_gv_shutdown();
    return rc == PS_EXIT_OK ? ps_cli_finish(PS_EXIT_OK) : rc;
}
