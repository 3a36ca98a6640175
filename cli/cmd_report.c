/* cmd_report.c - `privsim report FILE -o DIR [--findings DIR]`: the self-contained HTML
 * exposure report (viz/report.h), written as DIR/index.html. */
#include "cli.h"
#include "runlimits.h"
#include "report.h"
#include "viz.h"
#include "sarif.h"
#include "sb.h"
#include "scenarios.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] =
    "usage: privsim report [options] FILE|DIR... -o DIR [--findings DIR]\n"
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
    "With several scenarios (a directory stands for every .psim file under it), each\n"
    "report goes to DIR/NAME/index.html (NAME: the file's name without .psim) and\n"
    "DIR/index.html lists them.\n"
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

/* Writes the report of one scenario into `dir`; prints the page's path.  Exit status. */
static int report_one(const char *platform, const ps_report_opts *ro, const char *dir)
{
    ps_model *m;
    int rc = ps_cli_load(ro->scenario_path, platform, &m);
    if (rc)
        return rc;
    char *index = NULL;
    if (ps_report_write_opts(m, ro, dir, &index) != 0) {
        if (errno == ENOMEM)
            fprintf(stderr, "privsim report: out of memory\n");
        else if (errno == EEXIST) { /* atomic.h: the page would replace an input file */
            ps_model_free(m);
            free(index);
            return ps_cli_usage_error("report", "refusing to write '%s/index.html' over an "
                                                "input file", dir);
        } else if (errno == EPROTO)
            fprintf(stderr, "privsim report: Graphviz could not draw a diagram\n");
        else
            fprintf(stderr, "privsim report: cannot write '%s/index.html': %s\n", dir,
                    strerror(errno));
        rc = PS_EXIT_INTERNAL;
    } else {
        printf("%s\n", index);
    }
    free(index);
    ps_model_free(m);
    return rc;
}

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
    if (argc - optind < 1)
        return ps_cli_usage_error("report", "expected a scenario FILE");
    if (!output)
        return ps_cli_usage_error("report", "-o DIR is required");
    ps_scenarios files = {0};
    int xr = ps_scenarios_expand(&files, "report", argc - optind, argv + optind);
    if (xr) {
        ps_scenarios_free(&files);
        return xr == -2 ? PS_EXIT_INTERNAL : PS_EXIT_USAGE;
    }
    bool many = files.n > 1;
    for (int i = optind; i < argc; i++) {
        struct stat sb;
        if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode))
            many = true;
    }
    int rc = PS_EXIT_OK;
    /* the list page of several reports */
    ps_sb list;
    ps_sb_init(&list);
    ps_sb_add(&list, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                     "<title>privsim reports</title></head>\n<body><h1>privsim reports</h1>\n<ul>\n");
    for (size_t i = 0; i < files.n; i++) {
        char dir[4096], name[512];
        const char *d = output;
        if (many) {
            ps_scenarios_stem(&files, i, name, sizeof name);
            snprintf(dir, sizeof dir, "%s/%s", output, name);
            d = dir;
        }
        ro.scenario_path = files.paths[i];
        int r = report_one(platform, &ro, d);
        if (r == PS_EXIT_OK && many) {
            char href[1600];
            ps_sb_add(&list, "<li><a href=\"");
            ps_sb_add_html(&list, ps_uri_encode(name, href, sizeof href));
            ps_sb_add(&list, "/index.html\">");
            ps_sb_add_html(&list, files.paths[i]);
            ps_sb_add(&list, "</a></li>\n");
        } else if (many) {
            ps_sb_add(&list, "<li>");
            ps_sb_add_html(&list, files.paths[i]);
            ps_sb_add(&list, ": not written (the scenario has errors)</li>\n");
        }
        if (r > rc)
            rc = r;
    }
    ps_sb_add(&list, "</ul>\n</body></html>\n");
    if (many && rc != PS_EXIT_INTERNAL) {
        char path[4096];
        snprintf(path, sizeof path, "%s/index.html", output);
        ps_output o;
        if (list.oom || ps_output_open(&o, path)) {
            rc = PS_EXIT_INTERNAL;
        } else {
            fputs(ps_sb_str(&list), o.f);
            if (ps_output_close(&o, true))
                rc = PS_EXIT_INTERNAL;
            else
                printf("%s\n", path);
        }
    }
    ps_sb_free(&list);
    ps_scenarios_free(&files);
    ps_gv_shutdown();
    return rc == PS_EXIT_OK ? ps_cli_finish(PS_EXIT_OK) : rc;
}
