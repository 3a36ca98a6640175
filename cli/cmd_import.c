/* cmd_import.c - `privsim import snap-ego DIR --ego N | --combined`: a scenario from the
 * SNAP ego-Facebook data set (snap.c), optionally populated with items (populate.c). */
#include "cli.h"
#include "runlimits.h"
#include "gen.h"
#include "populate.h"
#include "snap.h"
#include "split.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: privsim import snap-ego DIR (--ego N | --combined) [options]\n"
    "\n"
    "Builds a scenario from the SNAP ego-Facebook data set in DIR\n"
    "(https://snap.stanford.edu/data/ego-Facebook.html) and prints it as a .psim file.\n"
    "Every person id I becomes the user uI; friendships come from N.edges (the ego N is a\n"
    "friend of everyone in N.feat and N.edges) or from facebook_combined.txt; the ego's\n"
    "circles become the ego's friend lists (members who are not the ego's friends are left\n"
    "out, with a warning); employer, school, location and hometown features become networks\n"
    "of the people who share a value (employer-144, ...).\n"
    "\n"
    "options:\n"
    "  --ego N                 one ego's network: N.edges and N.feat (required), N.circles,\n"
    "                          N.featnames and N.egofeat (when present)\n"
    "  --combined              the whole graph of facebook_combined.txt, with the circles\n"
    "                          and features of every ego found in DIR\n"
    "  --items-per-person K    add K posts and photos per person, with audiences, tags,\n"
    "                          personas, apps and settings drawn as the README describes\n"
    "                          (default 0: the graph alone)\n"
    "  --seed S                seed of those draws (default 1); same seed, same output\n"
    "  --split CIRCLE          give the ego a second account uN-alt whose friends are the\n"
    "                          circle's members (they move to it; members of other circles\n"
    "                          stay friends of both), and a person line uN accounts=uN,uN-alt\n"
    "                          forbid-link=friends; `largest` picks the ego's largest circle,\n"
    "                          and with --combined splits every ego by its largest circle\n"
    "  --platform P            the scenario's platform preset (default: the newest)\n"
    "  -o, --output FILE       write the scenario to FILE (atomically) instead of stdout\n"
    "  -q, --quiet             no summary line on stderr\n"
    PS_LIMITS_USAGE
    "  -h, --help              this help\n"
    "\n"
    "exit status: 0 done, 2 bad usage or bad input files, 3 internal error\n";

int ps_cmd_import(int argc, char **argv)
{
    static const struct option opts[] = {
        { "ego", required_argument, NULL, 'e' },
        { "combined", no_argument, NULL, 'c' },
        { "items-per-person", required_argument, NULL, 'k' },
        { "seed", required_argument, NULL, 's' },
        { "platform", required_argument, NULL, 'p' },
        { "output", required_argument, NULL, 'o' },
        { "quiet", no_argument, NULL, 'q' },
        { "split", required_argument, NULL, 'S' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *cmd = "import", *output = NULL, *platform = NULL, *split = NULL;
    ps_snap_opts so = {0};
    bool have_ego = false, quiet = false;
    ps_populate_opts po = { .items_per_person = 0, .seed = 1 };
    uint64_t v;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "ho:q", opts, NULL)) != -1) {
        switch (c) {
        case 'e':
            if (ps_parse_count(optarg, UINT32_MAX - 1, &v))
                return ps_cli_usage_error(cmd, "--ego takes a person id, not '%s'", optarg);
            so.ego = (uint32_t)v;
            have_ego = true;
            break;
        case 'c': so.combined = true; break;
        case 'k':
            if (ps_parse_count(optarg, UINT32_MAX, &v))
                return ps_cli_usage_error(cmd, "--items-per-person takes a count, not '%s'",
                                          optarg);
            po.items_per_person = (uint32_t)v;
            break;
        case 's':
            if (ps_cli_seed(cmd, optarg, &po.seed))
                return PS_EXIT_USAGE;
            break;
        case 'p': platform = optarg; break;
        case 'o': output = optarg; break;
        case 'q': quiet = true; break;
        case 'S': split = optarg; break;
        case 'h': fputs(usage, stdout); return ps_cli_finish(PS_EXIT_OK);
        default: return ps_cli_usage_error(cmd, "unknown option");
        }
    }
    if (optind >= argc)
        return ps_cli_usage_error(cmd, "no data set given (privsim import snap-ego DIR ...)");
    if (strcmp(argv[optind], "snap-ego") != 0)
        return ps_cli_usage_error(cmd, "unknown data set '%s' (known: snap-ego)", argv[optind]);
    if (optind + 2 != argc)
        return ps_cli_usage_error(cmd, optind + 1 >= argc ? "no directory given"
                                                           : "one directory at a time");
    so.dir = argv[optind + 1];
    if (have_ego == so.combined)
        return ps_cli_usage_error(cmd, "give either --ego N or --combined");
    if (split && so.combined && strcmp(split, "largest") != 0)
        return ps_cli_usage_error(cmd, "--combined splits every ego: --split largest");

    ps_diag d;
    ps_diag_init(&d);
    ps_model *m = NULL;
    ps_snap_stats st;
    int rc = ps_snap_import(&so, &m, &st, &d);
    ps_diag_print(&d, stderr, ps_diag_want_color(stderr));
    ps_diag_free(&d);
    if (rc == PS_SNAP_ENOMEM) {
        fprintf(stderr, "privsim import: out of memory\n");
        return PS_EXIT_INTERNAL;
    }
    if (rc)
        return PS_EXIT_USAGE;
    if (ps_cli_set_platform(cmd, m, platform) != PS_EXIT_OK) {
        ps_model_free(m);
        return PS_EXIT_USAGE;
    }
    ps_split_stats sp = {0, 0, 0};
    uint32_t nsplit = 0;
    if (split) {
        /* the egos: the owners of lists (snap.c makes lists of egos' circles only) */
        uint32_t nusers = m->nusers;
        bool *ego = calloc((size_t)nusers + 1, sizeof *ego);
        int src = ego ? 0 : -1;
        for (uint32_t i = 0; ego && i < m->nlists; i++)
            if (m->lists[i].owner < nusers)
                ego[m->lists[i].owner] = true;
        if (ego && !so.combined) {
            char name[32];
            snprintf(name, sizeof name, "u%u", (unsigned)so.ego);
            uint32_t u = ps_model_find(m, PS_NS_USER, 0, name, strlen(name));
            memset(ego, 0, ((size_t)nusers + 1) * sizeof *ego);
            if (u != PS_NONE)
                ego[u] = true;
        }
        for (uint32_t u = 0; ego && u < nusers && src >= 0; u++) {
            if (!ego[u])
                continue;
            ps_split_stats one;
            src = ps_split_account(m, u, split, &one);
            if (src == 1 && !so.combined) {
                free(ego);
                ps_model_free(m);
                return ps_cli_usage_error(cmd, "u%u has no circle '%s'", (unsigned)so.ego,
                                          split);
            }
            if (src == 0) {
                nsplit++;
                sp.moved += one.moved;
                sp.both += one.both;
                sp.remaining += one.remaining;
            } else if (src == 1) {
                src = 0;
            }
        }
        free(ego);
        if (src < 0) {
            ps_model_free(m);
            fprintf(stderr, "privsim import: cannot split (out of memory, or the name of the "
                            "second account is taken)\n");
            return PS_EXIT_INTERNAL;
        }
    }
    ps_populate_stats ps;
    if (ps_populate(m, &po, &ps)) {
        int e = errno;
        ps_model_free(m);
        if (e == E2BIG)
            return ps_cli_usage_error(cmd, "--items-per-person %u makes more items than a "
                                           "scenario may hold", (unsigned)po.items_per_person);
        fprintf(stderr, "privsim import: out of memory\n");
        return PS_EXIT_INTERNAL;
    }
    int wrc = ps_cli_write_scenario(cmd, output, m);
    if (wrc != PS_EXIT_OK) {
        ps_model_free(m);
        return wrc;
    }
    if (!quiet) {
        fprintf(stderr,
                "privsim import: %u people, %u friendships, %u lists, %u networks",
                (unsigned)st.people, (unsigned)st.friendships, (unsigned)st.lists,
                (unsigned)st.networks);
        if (po.items_per_person)
            fprintf(stderr, ", %llu posts, %llu photos, %u personas, %u apps",
                    (unsigned long long)ps.posts, (unsigned long long)ps.photos,
                    (unsigned)ps.personas, (unsigned)ps.apps);
        if (split)
            fprintf(stderr, "; %u ego%s split: %u friends moved to the second account, %u "
                            "friends of both, %u left with the first",
                    (unsigned)nsplit, nsplit == 1 ? "" : "s", (unsigned)sp.moved,
                    (unsigned)sp.both, (unsigned)sp.remaining);
        fprintf(stderr, "\n");
    }
    ps_model_free(m);
    return ps_cli_finish(PS_EXIT_OK);
}
