/* cmd_fuzz.c - `privsim fuzz FILE`: search settings and other people's actions for exposures.
 *
 * Builds the space (fuzz/space.h) from the scenario's vary lines and the family flags, runs
 * the search (fuzz/fuzzer.h), writes each finding as a scenario into --out, and prints a
 * summary.  A progress line goes to standard error when it is a terminal.
 */
#include "cli.h"
#include "limits.h"
#include "fuzzer.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: privsim fuzz [options] FILE\n"
    "\n"
    "Searches a space of settings and of other people's actions for exposures that the\n"
    "scenario FILE does not show yet. The space is the file's `vary` lines plus the\n"
    "families below. Each finding is minimized (the fewest changes that still show it),\n"
    "deduplicated by the shape of its leak path, re-checked, ranked by severity and by the\n"
    "number of viewers it reaches, and written as a scenario DIR/finding-NNN.psim that\n"
    "`privsim check` turns into the same exposure.\n"
    "\n"
    "the space:\n"
    "  --vary-user U       every audience choice of U's items and every setting of U\n"
    "                      (tag review, what U lets through friends' apps)\n"
    "  --vary-others U     what other people can do that touches U: tag U on their posts\n"
    "                      and photos, share U's posts and photos, install apps as U's\n"
    "                      friends, send friend requests that U accepts\n"
    "  --vary-rules        the platform's rules (for people who design platforms)\n"
    "  --no-vary-lines     ignore the file's own vary lines\n"
    "  --baseline B        safest (default): --vary-user users start at their safest\n"
    "                      settings, so each finding names the settings it needs;\n"
    "                      written: the search starts at the scenario as written\n"
    "\n"
    "the search:\n"
    "  --strategy S        exhaustive (default), random or guided\n"
    "  --seed N            seed of random and guided (default 1)\n"
    "  --max-points N      points to evaluate (default: all for exhaustive, 200000 else)\n"
    "  --max-time SECONDS  stop after this long (the findings then depend on the machine;\n"
    "                      use --max-points for repeatable runs)\n"
    "  --no-minimize       keep each finding at the point where it was first found\n"
    "\n"
    "output:\n"
    "  --out DIR           where finding-NNN.psim go (default fuzz-out; '-' for none)\n"
    "  --format F          text (default), json or sarif, on standard output\n"
    "  --platform P        simulate under platform preset P instead of the file's\n"
    "  --bench             measure: print points per second instead of findings\n"
    PS_LIMITS_USAGE_MEMORY
    "  -h, --help          this help\n"
    "\n"
    "exit status: 0 no findings, 1 findings, 2 bad usage or input, 3 internal error\n";

static int parse_u64(const char *opt, const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (!*s || *end || errno || *s == '-')
        return ps_cli_usage_error("fuzz", "%s takes a whole number, not '%s'", opt, s);
    *out = v;
    return 0;
}

/* Appends every comma-separated name of `arg` to a list of borrowed strings. */
static int add_names(char *arg, const char ***list, uint32_t *n)
{
    for (char *tok = strtok(arg, ","); tok; tok = strtok(NULL, ",")) {
        const char **p = realloc(*list, (*n + 1) * sizeof *p);
        if (!p)
            return -1;
        *list = p;
        p[(*n)++] = tok;
    }
    return 0;
}

typedef struct {
    bool shown;
} progress_state;

static void progress(const ps_fuzz_progress *p, void *payload)
{
    progress_state *st = payload;
    double rate = p->seconds > 0 ? (double)p->points / p->seconds : 0;
    fprintf(stderr, "\r\033[Kfuzz: %llu points, %.0f/s, %u finding%s, rules %u/%u, shapes %u",
            (unsigned long long)p->points, rate, (unsigned)p->findings,
            p->findings == 1 ? "" : "s", (unsigned)p->rules, (unsigned)p->rules_possible,
            (unsigned)p->shapes);
    st->shown = true;
}

int ps_cmd_fuzz(int argc, char **argv)
{
    enum { O_STRATEGY = 256, O_SEED, O_MAX_TIME, O_MAX_POINTS, O_OUT, O_FORMAT, O_VARY_USER,
           O_VARY_OTHERS, O_VARY_RULES, O_NO_VARY_LINES, O_BASELINE, O_PLATFORM, O_BENCH,
           O_NO_MINIMIZE };
    static const struct option opts[] = {
        { "strategy", required_argument, NULL, O_STRATEGY },
        { "seed", required_argument, NULL, O_SEED },
        { "max-time", required_argument, NULL, O_MAX_TIME },
        { "max-points", required_argument, NULL, O_MAX_POINTS },
        { "out", required_argument, NULL, O_OUT },
        { "format", required_argument, NULL, O_FORMAT },
        { "vary-user", required_argument, NULL, O_VARY_USER },
        { "vary-others", required_argument, NULL, O_VARY_OTHERS },
        { "vary-rules", no_argument, NULL, O_VARY_RULES },
        { "no-vary-lines", no_argument, NULL, O_NO_VARY_LINES },
        { "baseline", required_argument, NULL, O_BASELINE },
        { "platform", required_argument, NULL, O_PLATFORM },
        { "bench", no_argument, NULL, O_BENCH },
        { "no-minimize", no_argument, NULL, O_NO_MINIMIZE },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    ps_fuzz_opts fo = { .strategy = PS_STRAT_EXHAUSTIVE, .seed = 1 };
    ps_space_opts so = { .safest = true };
    const char *out_dir = "fuzz-out", *platform = NULL;
    ps_format fmt = PS_FMT_TEXT;
    bool bench = false;
    int rc = PS_EXIT_USAGE, c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case O_STRATEGY:
            if (strcmp(optarg, "exhaustive") == 0) fo.strategy = PS_STRAT_EXHAUSTIVE;
            else if (strcmp(optarg, "random") == 0) fo.strategy = PS_STRAT_RANDOM;
            else if (strcmp(optarg, "guided") == 0) fo.strategy = PS_STRAT_GUIDED;
            else {
                ps_cli_usage_error("fuzz", "--strategy takes exhaustive, random or guided, "
                                           "not '%s'", optarg);
                goto out;
            }
            break;
        case O_SEED:
            if (parse_u64("--seed", optarg, &fo.seed))
                goto out;
            break;
        case O_MAX_POINTS:
            if (parse_u64("--max-points", optarg, &fo.max_points))
                goto out;
            break;
        case O_MAX_TIME: {
            char *end;
            fo.max_time = strtod(optarg, &end);
            if (*end || !(fo.max_time > 0) || !isfinite(fo.max_time)) {
                ps_cli_usage_error("fuzz", "--max-time takes a number of seconds, not '%s'",
                                   optarg);
                goto out;
            }
            break;
        }
        case O_OUT: out_dir = strcmp(optarg, "-") == 0 ? NULL : optarg; break;
        case O_FORMAT:
            if (ps_cli_format("fuzz", optarg, 7, &fmt))
                goto out;
            break;
        case O_VARY_USER:
            if (add_names(optarg, &so.vary_user, &so.nvary_user))
                goto oom;
            break;
        case O_VARY_OTHERS:
            if (add_names(optarg, &so.vary_others, &so.nvary_others))
                goto oom;
            break;
        case O_VARY_RULES: so.vary_rules = true; break;
        case O_NO_VARY_LINES: so.no_vary_lines = true; break;
        case O_BASELINE:
            if (strcmp(optarg, "safest") == 0) so.safest = true;
            else if (strcmp(optarg, "written") == 0) so.safest = false;
            else {
                ps_cli_usage_error("fuzz", "--baseline takes safest or written, not '%s'",
                                   optarg);
                goto out;
            }
            break;
        case O_PLATFORM: platform = optarg; break;
        case O_BENCH: bench = true; break;
        case O_NO_MINIMIZE: fo.no_minimize = true; break;
        case 'h':
            fputs(usage, stdout);
            rc = ps_cli_finish(PS_EXIT_OK);
            goto out;
        default:
            ps_cli_usage_error("fuzz", "unknown option (see privsim fuzz --help)");
            goto out;
        }
    }
    if (optind + 1 != argc) {
        ps_cli_usage_error("fuzz", optind >= argc ? "no scenario file given"
                                                  : "one scenario file at a time");
        goto out;
    }
    const char *path = argv[optind];
    ps_model *m;
    rc = ps_cli_load(path, platform, &m);
    if (rc)
        goto out;
    char err[512];
    ps_space *s = NULL;
    int r = ps_space_build(m, &so, &s, err, sizeof err);
    if (r) {
        if (r == -2)
            rc = ps_cli_usage_error("fuzz", "%s", err);
        else {
            fprintf(stderr, "privsim fuzz: out of memory\n");
            rc = PS_EXIT_INTERNAL;
        }
        ps_model_free(m);
        goto out;
    }
    progress_state ps = {0};
    if (isatty(STDERR_FILENO)) {
        fo.progress = progress;
        fo.payload = &ps;
    }
    if (bench)
        fo.no_verify = true;
    ps_fuzz_result *res = NULL;
    r = ps_fuzz_run(m, s, &fo, &res, err, sizeof err);
    if (ps.shown)
        fprintf(stderr, "\r\033[K");
    if (r) {
        if (r == -2)
            rc = ps_cli_usage_error("fuzz", "%s", err);
        else {
            fprintf(stderr, "privsim fuzz: %s\n", r == -3 ? err : "out of memory");
            rc = PS_EXIT_INTERNAL;
        }
        goto done;
    }
    if (isatty(STDERR_FILENO))
        fprintf(stderr, "fuzz: %llu points in %.2f s (%.0f points/s), %llu engine "
                        "evaluations\n", (unsigned long long)res->points, res->seconds,
                res->seconds > 0 ? (double)res->points / res->seconds : 0.0,
                (unsigned long long)res->evaluations);
    if (bench) {
        printf("fuzz-bench scenario=%s strategy=%s dimensions=%u points=%llu seconds=%.3f "
               "points_per_second=%.0f engine_evaluations=%llu findings=%u\n",
               path, ps_strategy_name(fo.strategy), (unsigned)s->ndims,
               (unsigned long long)res->points, res->seconds,
               res->seconds > 0 ? (double)res->points / res->seconds : 0.0,
               (unsigned long long)res->evaluations, (unsigned)res->nfindings);
        rc = ps_cli_finish(PS_EXIT_OK);
        goto done;
    }
    ps_fuzz_summary sum = { .scenario = path, .out_dir = out_dir, .strategy = fo.strategy,
                            .seed = fo.seed, .safest = so.safest };
    int wrc = out_dir ? ps_fuzz_write_findings(out_dir, m, s, res, &sum) : 0;
    if (wrc) {
        rc = wrc == -2 ? PS_EXIT_USAGE : PS_EXIT_INTERNAL;
        goto done;
    }
    if (fmt == PS_FMT_JSON)
        ps_fuzz_print_json(stdout, m, s, res, &sum);
    else if (fmt == PS_FMT_SARIF)
        ps_fuzz_print_sarif(stdout, m, s, res, &sum);
    else
        ps_fuzz_print_text(stdout, m, s, res, &sum);
    rc = ps_cli_finish(res->nfindings ? PS_EXIT_FINDINGS : PS_EXIT_OK);
done:
    ps_fuzz_result_free(res);
    ps_space_free(s);
    ps_model_free(m);
out:
    free(so.vary_user);
    free(so.vary_others);
    return rc;
oom:
    fprintf(stderr, "privsim fuzz: out of memory\n");
    rc = PS_EXIT_INTERNAL;
    goto out;
}
