/* cmd_baseline.c - `privsim baseline FILE|DIR... -o F`: records today's exposures of some
 * scenarios in a baseline file, so that `privsim check --baseline F` fails only on new ones. */
#include "cli.h"
#include "atomic.h"
#include "baseline.h"
#include "engine.h"
#include "scenarios.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: privsim baseline [options] FILE|DIR...\n"
    "\n"
    "Checks each scenario (a directory stands for every .psim file under it) and records\n"
    "every exposure it has today in a baseline: a privsim.baseline/1 JSON document with one\n"
    "entry per exposure, the scenario's file name as given and a fingerprint made of the\n"
    "item, the viewer, the severity and the shape of the leak path. The fingerprint does\n"
    "not change when lines move, are reformatted or when names the exposure does not\n"
    "mention change. `privsim check --baseline FILE` then fails only on exposures that\n"
    "are not in it. Nothing is written when a scenario has errors.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE  write the baseline to FILE (atomically; default: stdout);\n"
    "                     .privsim-baseline.json is the customary name\n"
    "  --platform P       simulate under platform preset P instead of each file's\n"
    "  -h, --help         this help\n"
    "\n"
    "exit status: 0 written, 2 bad usage or input, 3 internal error\n";

int ps_cmd_baseline(int argc, char **argv)
{
    static const struct option opts[] = {
        { "output", required_argument, NULL, 'o' },
        { "platform", required_argument, NULL, 'p' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *output = NULL, *platform = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'p': platform = optarg; break;
        case 'h': fputs(usage, stdout); return ps_cli_finish(PS_EXIT_OK);
        default: return ps_cli_usage_error("baseline", "unknown option");
        }
    }
    if (optind >= argc)
        return ps_cli_usage_error("baseline", "no scenario file given");
    ps_scenarios files = {0};
    int xr = ps_scenarios_expand(&files, "baseline", argc - optind, argv + optind);
    if (xr) {
        ps_scenarios_free(&files);
        return xr == -2 ? PS_EXIT_INTERNAL : PS_EXIT_USAGE;
    }
    /* the output never replaces one of the scenarios it reports on */
    for (size_t i = 0; i < files.n; i++)
        ps_input_note(files.paths[i]);
    ps_output o;
    int orc = ps_output_open(&o, output);
    if (orc) {
        ps_scenarios_free(&files);
        return ps_cli_output_status(orc);
    }
    ps_json j;
    ps_baseline_json_begin(&j, o.f);
    int rc = PS_EXIT_OK;
    uint32_t total = 0;
    for (size_t i = 0; i < files.n && !rc; i++) {
        ps_model *m;
        rc = ps_cli_load(files.paths[i], platform, &m);
        if (rc)
            break;
        ps_check_opts co = { .fixes = false };
        ps_report *r;
        if (ps_check(m, &co, &r)) {
            fprintf(stderr, "privsim baseline: out of memory\n");
            rc = PS_EXIT_INTERNAL;
        } else {
            ps_baseline_json_add(&j, files.paths[i], m, r);
            total += r->nexposures;
            ps_report_free(r);
        }
        ps_model_free(m);
    }
    ps_baseline_json_end(&j);
    if (ps_output_close(&o, rc == PS_EXIT_OK) && !rc)
        rc = PS_EXIT_INTERNAL;
    if (!rc && output)
        fprintf(stderr, "privsim baseline: %u exposure%s of %zu scenario%s recorded in %s\n",
                (unsigned)total, total == 1 ? "" : "s", files.n, files.n == 1 ? "" : "s", output);
    ps_scenarios_free(&files);
    return rc ? rc : ps_cli_finish(rc);
}
