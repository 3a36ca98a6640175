/* main.c - the privsim command: dispatches `privsim COMMAND ...` to its cmd_*.c. */
#include "cli.h"
#include "runlimits.h"
#include "version.h"
#ifdef PRIVSIM_MPI
#include "mpi_run.h"
#endif

#include <stdio.h>
#include <string.h>

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    { "demo", ps_cmd_demo, "the Al the Accountant story, end to end" },
    { "check", ps_cmd_check, "exposures and expectations of scenarios; exit 1 if any" },
    { "baseline", ps_cmd_baseline, "record today's exposures, so that check fails only on new ones" },
    { "audience", ps_cmd_audience, "who sees an item, and why" },
    { "view-as", ps_cmd_view_as, "what a viewer sees (of a user), and why" },
    { "explain", ps_cmd_explain, "the leak path of one viewer and its fixes" },
    { "plan", ps_cmd_plan, "the fewest changes that remove every exposure, verified" },
    { "harden", ps_cmd_harden, "one person's settings, safe whatever others do" },
    { "fuzz", ps_cmd_fuzz, "search settings and other people's actions for exposures" },
    { "diff", ps_cmd_diff, "what changes between two platforms or two files" },
    { "history", ps_cmd_history, "one user's items under every platform preset, in date order" },
    { "viz", ps_cmd_viz, "one diagram: a leak path, an audience, a persona map" },
    { "report", ps_cmd_report, "a self-contained HTML exposure report" },
    { "import", ps_cmd_import, "a scenario from the SNAP ego-Facebook data" },
    { "gen", ps_cmd_gen, "a synthetic network of any size" },
    { "stats", ps_cmd_stats, "degrees and audience sizes of a scenario's network" },
    { "lint", ps_cmd_lint, "check scenario files and summarize each" },
    { "fmt", ps_cmd_fmt, "print a scenario in canonical form" },
    { "platforms", ps_cmd_platforms, "the built-in platform presets and their rules" },
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: privsim COMMAND [options] [arguments]\n"
            "\n"
            "privsim simulates the privacy rules of a social network on a scenario (a .psim\n"
            "file of people, friendships, items and settings) and shows who can really see\n"
            "each item, how, and what would stop it.\n"
            "\n"
            "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\n"
            "`privsim COMMAND --help` describes each command. Every command that simulates\n"
            "takes --platform P and --format json. Exit status: 0 clean, 1 exposures or\n"
            "failed expectations, 2 bad usage or input, 3 internal error. NO_COLOR turns\n"
            "colour off. The commands that can run long take --max-time SECONDS and\n"
            "--max-memory SIZE (fuzz: --max-memory; its own --max-time ends the search).\n");
}

static int run(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return PS_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return ps_cli_finish(PS_EXIT_OK);
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("privsim %s\n", PS_VERSION);
        return ps_cli_finish(PS_EXIT_OK);
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0) {
            int n = argc - 1;
            int rc = ps_limits_from_args(&n, argv + 1); /* --max-time, --max-memory */
            return rc ? rc : commands[i].run(n, argv + 1);
        }
    fprintf(stderr, "privsim: unknown command '");
    ps_term_str(stderr, cmd);
    fprintf(stderr, "'\n\n");
    usage(stderr);
    return PS_EXIT_USAGE;
}

int main(int argc, char **argv)
{
#ifdef PRIVSIM_MPI
    return ps_mpi_main(argc, argv, run);
#else
    return run(argc, argv);
#endif
}
