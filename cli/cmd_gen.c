/* cmd_gen.c - `privsim gen --people N ...`: a synthetic network of any size (gen.c). */
#include "cli.h"
#include "runlimits.h"
#include "gen.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: privsim gen --people N [options]\n"
    "\n"
    "Generates a scenario: N people in communities of 20 to 200 with exactly N*D/2\n"
    "friendships (mostly inside communities, the rest by preferential attachment), L friend\n"
    "lists per person, W networks, and K posts and photos per person with audiences, tags,\n"
    "personas, apps and settings drawn as the README describes. Same options and seed, same\n"
    "bytes. Counts take a k or M suffix (1M = 1000000).\n"
    "\n"
    "options:\n"
    "  --people N              number of people (required)\n"
    "  --degree D              mean number of friends (default 20, at most N-1)\n"
    "  --lists L               friend lists of each person who has friends (default 2)\n"
    "  --networks W            number of networks (default N/500, at least 1; 0: none)\n"
    "  --items-per-person K    posts and photos per person (default 1)\n"
    "  --seed S                seed of every draw (default 1)\n"
    "  --platform P            the scenario's platform preset (default: the newest)\n"
    "  -o, --output FILE       write the scenario to FILE (atomically) instead of stdout\n"
    "  --edges-out FILE        also write the friendships to FILE as an edge list, one\n"
    "                          \"I J\" line per friendship of uI and uJ (I < J), for\n"
    "                          graph tools such as igraph and NetworkX\n"
    "  -q, --quiet             no summary line on stderr\n"
    PS_LIMITS_USAGE
    "  -h, --help              this help\n"
    "\n"
    "exit status: 0 done, 2 bad usage, 3 internal error\n";

/* Writes `v` in decimal at `p`; returns the end. */
static char *put_u32(char *p, uint32_t v)
{
    char tmp[10];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

/* Writes the friendships of `m` as an edge list to `path` (atomically): "I J" with I < J,
 * in order of I then J, where uI is user I (as ps_gen names them).  0, or -1 after an
 * error message. */
static int write_edges(const char *path, ps_model *m)
{
    ps_output o;
    if (ps_output_open(&o, path))
        return -1;
    char buf[1 << 16];
    size_t used = 0;
    bool ok = true;
    for (uint32_t u = 0; u < m->nusers && ok; u++) {
        uint32_t n;
        const uint32_t *f = ps_model_friends(m, u, &n);
        if (!f && m->npairs) {
            ok = false;
            break;
        }
        for (uint32_t j = 0; j < n && ok; j++) {
            if (f[j] <= u)
                continue;
            if (used > sizeof buf - 24) {
                ok = fwrite(buf, 1, used, o.f) == used;
                used = 0;
            }
            char *p = put_u32(buf + used, u);
            *p++ = ' ';
            p = put_u32(p, f[j]);
            *p++ = '\n';
            used = (size_t)(p - buf);
        }
    }
    if (ok && used)
        ok = fwrite(buf, 1, used, o.f) == used;
    if (!ok)
        fprintf(stderr, "privsim gen: cannot write the edge list\n");
    return ps_output_close(&o, ok) || !ok ? -1 : 0;
}

int ps_cmd_gen(int argc, char **argv)
{
    static const struct option opts[] = {
        { "people", required_argument, NULL, 'n' },
        { "degree", required_argument, NULL, 'd' },
        { "lists", required_argument, NULL, 'l' },
        { "networks", required_argument, NULL, 'w' },
        { "items-per-person", required_argument, NULL, 'k' },
        { "seed", required_argument, NULL, 's' },
        { "platform", required_argument, NULL, 'p' },
        { "output", required_argument, NULL, 'o' },
        { "edges-out", required_argument, NULL, 'e' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *cmd = "gen", *output = NULL, *platform = NULL, *edges_out = NULL;
    uint64_t people = 0, degree = 0, lists = 0, networks = 0, items = 0, seed = 1;
    bool has_degree = false, has_lists = false, has_networks = false, has_items = false;
    bool has_people = false, quiet = false;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "ho:q", opts, NULL)) != -1) {
        uint64_t *dst = NULL;
        bool *flag = NULL;
        const char *name = NULL;
        switch (c) {
        case 'n': dst = &people; flag = &has_people; name = "--people"; break;
        case 'd': dst = &degree; flag = &has_degree; name = "--degree"; break;
        case 'l': dst = &lists; flag = &has_lists; name = "--lists"; break;
        case 'w': dst = &networks; flag = &has_networks; name = "--networks"; break;
        case 'k': dst = &items; flag = &has_items; name = "--items-per-person"; break;
        case 's':
            if (ps_cli_seed(cmd, optarg, &seed))
                return PS_EXIT_USAGE;
            break;
        case 'p': platform = optarg; break;
        case 'o': output = optarg; break;
        case 'e': edges_out = optarg; break;
        case 'q': quiet = true; break;
        case 'h': fputs(usage, stdout); return ps_cli_finish(PS_EXIT_OK);
        default: return ps_cli_usage_error(cmd, "unknown option");
        }
        if (dst) {
            if (ps_parse_count(optarg, UINT32_MAX, dst))
                return ps_cli_usage_error(cmd, "%s takes a count such as 1000 or 1M, not '%s'",
                                          name, optarg);
            *flag = true;
        }
    }
    if (optind < argc)
        return ps_cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
    if (!has_people)
        return ps_cli_usage_error(cmd, "--people N is required");
    if (edges_out && strcmp(edges_out, output ? output : "-") == 0)
        return ps_cli_usage_error(cmd, "the scenario and the edge list cannot both go to '%s' "
                                  "(give -o and --edges-out different files)", edges_out);
    ps_gen_opts go;
    ps_gen_defaults(&go, (uint32_t)people);
    if (has_degree)
        go.degree = (uint32_t)degree;
    if (has_lists)
        go.lists = (uint32_t)lists;
    if (has_networks)
        go.networks = (uint32_t)networks;
    if (has_items)
        go.items_per_person = (uint32_t)items;
    go.seed = seed;

    ps_model *m = NULL;
    ps_gen_stats st;
    char err[256];
    int rc = ps_gen(&go, &m, &st, err, sizeof err);
    if (rc == PS_GEN_EOPTS)
        return ps_cli_usage_error(cmd, "%s", err);
    if (rc) {
        fprintf(stderr, "privsim gen: out of memory\n");
        return PS_EXIT_INTERNAL;
    }
    int wrc = ps_cli_set_platform(cmd, m, platform);
    if (wrc == PS_EXIT_OK)
        wrc = ps_cli_write_scenario(cmd, output, m);
    if (wrc != PS_EXIT_OK) {
        ps_model_free(m);
        return wrc;
    }
    if (edges_out && write_edges(edges_out, m)) {
        ps_model_free(m);
        return PS_EXIT_INTERNAL;
    }
    if (!quiet)
        fprintf(stderr,
                "privsim gen: %u people in %u communities, %llu friendships, %u lists, "
                "%u networks, %llu posts, %llu photos, %u personas, %u apps\n",
                (unsigned)go.people, (unsigned)st.communities,
                (unsigned long long)st.friendships, (unsigned)st.lists, (unsigned)st.networks,
                (unsigned long long)st.pop.posts, (unsigned long long)st.pop.photos,
                (unsigned)st.pop.personas, (unsigned)st.pop.apps);
    ps_model_free(m);
    return ps_cli_finish(PS_EXIT_OK);
}
