/* cmd_fuzz.c - `privsim fuzz FILE`: search settings and other people's actions for exposures.
 *
 * Builds the space (fuzz/space.h) from the scenario's vary lines and the family flags, runs
 * the search (fuzz/fuzzer.h), writes each finding as a scenario into --out, and prints a
 * summary.  A progress line goes to standard error when it is a terminal.
 */
#include "cli.h"
#include "runlimits.h"
#include "fuzzer.h"
#ifdef PRIVSIM_MPI
#include "mpi_run.h"
#endif
#include "link_search.h"
#include "linkage_out.h"
#include "person.h"
#include "scenarios.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
    "usage: privsim fuzz [options] FILE|DIR...\n"
    "\n"
    "Searches a space of settings and of other people's actions for exposures that the\n"
    "scenario FILE does not show yet. The space is the file's `vary` lines plus the\n"
    "families below. Each finding is minimized (the fewest changes that still show it),\n"
    "deduplicated by the shape of its leak path, re-checked, ranked by severity and by the\n"
    "number of viewers it reaches, and written as a scenario DIR/finding-NNN.psim that\n"
    "`privsim check` turns into the same exposure. With several scenarios (a directory\n"
    "stands for every .psim file under it) each is searched in turn, its findings go to\n"
    "DIR/NAME/ (NAME: the file's name without .psim), the exit status is the worst, and\n"
    "JSON is one privsim.fuzzes/1 document, SARIF one log.\n"
    "When FILE has `person` lines, the search also looks for linkages of each person's\n"
    "accounts that the origin does not show (points nearest the origin first, so each\n"
    "needs the fewest changes), written as DIR/linkage-NNN.psim.\n"
    "\n"
    "the space:\n"
    "  --vary-user U       every audience choice of U's items and every setting of U\n"
    "                      (tag review, what U lets through friends' apps)\n"
    "  --vary-others U     what other people can do that touches U: tag U on their posts\n"
    "                      and photos, share U's posts and photos, install apps as U's\n"
    "                      friends, send friend requests that U accepts\n"
    "  --vary-rules        the platform's rules (for people who design platforms); with\n"
    "                      person lines, the rules of linkage too\n"
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
    "  --base-dir DIR      sarif: file names relative to DIR (default: .)\n"
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

/* Appends `arg` to buf, single-quoted for a POSIX shell when it holds anything else than
 * [A-Za-z0-9_./:=,@+-]. */
static void put_arg(char *buf, size_t cap, const char *arg)
{
    size_t len = strlen(buf);
    bool plain = *arg != 0;
    for (const char *c = arg; *c && plain; c++)
        plain = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
                strchr("_./:=,@+-", *c) != NULL;
    if (len + 1 < cap)
        buf[len++] = ' ';
    if (!plain && len + 1 < cap)
        buf[len++] = '\'';
    for (const char *c = arg; *c && len + 5 < cap; c++) {
        if (*c == '\'' && !plain) {
            memcpy(buf + len, "'\\''", 4);
            len += 4;
        } else {
            buf[len++] = *c;
        }
    }
    if (!plain && len + 1 < cap)
        buf[len++] = '\'';
    buf[len < cap ? len : cap - 1] = 0;
}

/* The command line that reruns this search and finds the same findings: every option that
 * shapes the space or the search. */
static void found_by(char *buf, size_t cap, const char *path, const char *platform,
                     const ps_space_opts *so, const ps_fuzz_opts *fo)
{
    char num[64];
    snprintf(buf, cap, "privsim fuzz");
    if (platform) {
        put_arg(buf, cap, "--platform");
        put_arg(buf, cap, platform);
    }
    for (uint32_t i = 0; i < so->nvary_user; i++) {
        put_arg(buf, cap, "--vary-user");
        put_arg(buf, cap, so->vary_user[i]);
    }
    for (uint32_t i = 0; i < so->nvary_others; i++) {
        put_arg(buf, cap, "--vary-others");
        put_arg(buf, cap, so->vary_others[i]);
    }
    if (so->vary_rules)
        put_arg(buf, cap, "--vary-rules");
    if (so->no_vary_lines)
        put_arg(buf, cap, "--no-vary-lines");
    put_arg(buf, cap, "--baseline");
    put_arg(buf, cap, so->safest ? "safest" : "written");
    put_arg(buf, cap, "--strategy");
    put_arg(buf, cap, ps_strategy_name(fo->strategy));
    put_arg(buf, cap, "--seed");
    snprintf(num, sizeof num, "%llu", (unsigned long long)fo->seed);
    put_arg(buf, cap, num);
    if (fo->max_points) {
        put_arg(buf, cap, "--max-points");
        snprintf(num, sizeof num, "%llu", (unsigned long long)fo->max_points);
        put_arg(buf, cap, num);
    }
    if (fo->max_time > 0) {
        put_arg(buf, cap, "--max-time");
        snprintf(num, sizeof num, "%g", fo->max_time);
        put_arg(buf, cap, num);
    }
    if (fo->no_minimize)
        put_arg(buf, cap, "--no-minimize");
    if (path[0] == '-')
        put_arg(buf, cap, "--");
    put_arg(buf, cap, path);
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

/* What the searches of one command share. */
typedef struct {
    const ps_fuzz_opts *fo;
    const ps_space_opts *so;
    const char *platform, *base_dir;
    ps_format fmt;
    bool bench, many;
    ps_json j;                 /* json of several scenarios */
    ps_sarif sarif;            /* sarif */
} search;

/* Searches one scenario and writes its part of the output.  Returns its exit status. */
static int fuzz_one(search *se, const char *path, const char *out_dir)
{
    ps_fuzz_opts fo = *se->fo;
    const ps_space_opts *so = se->so;
    ps_model *m;
    int rc = ps_cli_load(path, se->platform, &m);
#ifdef PRIVSIM_MPI
    rc = ps_mpi_agree_load("fuzz", rc, &m);
#endif
    if (rc)
        return rc;
    char err[512];
    ps_space *s = NULL;
    ps_fuzz_result *res = NULL;
    ps_link_search *ls = NULL;
    int r = ps_space_build(m, so, &s, err, sizeof err);
#ifdef PRIVSIM_MPI
    r = ps_mpi_agree_space(r, &s);
#endif
    if (r) {
        if (r == -2)
            rc = ps_cli_usage_error("fuzz", "%s", err);
        else {
            fprintf(stderr, "privsim fuzz: out of memory\n");
            rc = PS_EXIT_INTERNAL;
        }
        goto done;
    }
    progress_state ps = {0};
    if (isatty(STDERR_FILENO)) {
        fo.progress = progress;
        fo.payload = &ps;
    }
    if (se->bench)
        fo.no_verify = true;
#ifdef PRIVSIM_MPI
    r = ps_mpi_fuzz(m, s, &fo, &res, err, sizeof err);
    if (ps_mpi_rank() != 0) { /* the first process prints the merged findings */
        rc = r ? PS_EXIT_INTERNAL : PS_EXIT_OK;
        goto done;
    }
#else
    r = ps_fuzz_run(m, s, &fo, &res, err, sizeof err);
#endif
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
    if (se->bench) {
        printf("fuzz-bench scenario=%s strategy=%s dimensions=%u points=%llu seconds=%.3f "
               "points_per_second=%.0f engine_evaluations=%llu findings=%u\n",
               path, ps_strategy_name(fo.strategy), (unsigned)s->ndims,
               (unsigned long long)res->points, res->seconds,
               res->seconds > 0 ? (double)res->points / res->seconds : 0.0,
               (unsigned long long)res->evaluations, (unsigned)res->nfindings);
        goto done;
    }
    char rerun[8192];
    found_by(rerun, sizeof rerun, path, se->platform, so, &fo);
    ps_fuzz_summary sum = { .scenario = path, .out_dir = out_dir, .strategy = fo.strategy,
                            .seed = fo.seed, .safest = so->safest, .found_by = rerun,
                            .base_dir = se->base_dir };
    int wrc = out_dir ? ps_fuzz_write_findings(out_dir, m, s, res, &sum) : 0;
    if (wrc) {
        rc = wrc == -2 ? PS_EXIT_USAGE : PS_EXIT_INTERNAL;
        goto done;
    }
    /* linkages of persons' accounts across the same space */
    if (m->persons && m->persons->n) {
        if (ps_link_search_run(m, s, fo.max_points, &ls)) {
            fprintf(stderr, "privsim fuzz: out of memory\n");
            rc = PS_EXIT_INTERNAL;
            goto done;
        }
        if (out_dir && ((mkdir(out_dir, 0777) && errno != EEXIST) ||
                        ps_link_search_write(out_dir, m, s, ls))) {
            fprintf(stderr, "privsim fuzz: cannot write the linkage findings into %s\n",
                    out_dir);
            rc = PS_EXIT_INTERNAL;
            goto done;
        }
    }
    if (se->fmt == PS_FMT_JSON && se->many) {
        ps_fuzz_json(&se->j, m, s, res, &sum);
    } else if (se->fmt == PS_FMT_JSON && ls) {
        /* one document: the linkage members go in before its closing brace */
        char *doc = NULL;
        size_t doclen = 0;
        FILE *mem = open_memstream(&doc, &doclen);
        if (!mem) {
            rc = PS_EXIT_INTERNAL;
            goto done;
        }
        ps_fuzz_print_json(mem, m, s, res, &sum);
        fclose(mem);
        size_t end = doclen;
        while (end > 0 && doc[end - 1] != '}')
            end--;
        if (end) {
            fwrite(doc, 1, end - 1, stdout);
            fputc(',', stdout);
            ps_link_search_print_json_members(stdout, m, s, ls);
            fputs("}\n", stdout);
        } else {
            fwrite(doc, 1, doclen, stdout);
        }
        free(doc);
    } else if (se->fmt == PS_FMT_JSON) {
        ps_fuzz_print_json(stdout, m, s, res, &sum);
    } else if (se->fmt == PS_FMT_SARIF) {
        ps_fuzz_sarif_results(&se->sarif, m, s, res, &sum);
        if (ls)
            ps_link_search_sarif(&se->sarif, m, s, ls, PS_FUZZ_NRULES - 3);
    } else {
        if (se->many)
            fputc('\n', stdout);
        ps_fuzz_print_text(stdout, m, s, res, &sum);
        if (ls)
            ps_link_search_print_text(stdout, m, s, ls);
    }
    rc = res->nfindings || (ls && ls->n) ? PS_EXIT_FINDINGS : PS_EXIT_OK;
done:
    ps_link_search_free(ls);
    ps_fuzz_result_free(res);
    ps_space_free(s);
    ps_model_free(m);
    return rc;
}

int ps_cmd_fuzz(int argc, char **argv)
{
    enum { O_STRATEGY = 256, O_SEED, O_MAX_TIME, O_MAX_POINTS, O_OUT, O_FORMAT, O_VARY_USER,
           O_VARY_OTHERS, O_VARY_RULES, O_NO_VARY_LINES, O_BASELINE, O_PLATFORM, O_BENCH,
           O_NO_MINIMIZE, O_BASE_DIR };
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
        { "base-dir", required_argument, NULL, O_BASE_DIR },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    ps_fuzz_opts fo = { .strategy = PS_STRAT_EXHAUSTIVE, .seed = 1 };
    ps_space_opts so = { .safest = true };
    const char *out_dir = "fuzz-out", *platform = NULL, *base_dir = NULL;
    ps_format fmt = PS_FMT_TEXT;
    bool bench = false;
    ps_scenarios files = {0};
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
        case O_BASE_DIR: base_dir = optarg; break;
        case 'h':
            fputs(usage, stdout);
            rc = ps_cli_finish(PS_EXIT_OK);
            goto out;
        default:
            ps_cli_usage_error("fuzz", "unknown option (see privsim fuzz --help)");
            goto out;
        }
    }
    if (optind >= argc) {
        ps_cli_usage_error("fuzz", "no scenario file given");
        goto out;
    }
    int xr = ps_scenarios_expand(&files, "fuzz", argc - optind, argv + optind);
    if (xr) {
        rc = xr == -2 ? PS_EXIT_INTERNAL : PS_EXIT_USAGE;
        goto out;
    }
    search se = { .fo = &fo, .so = &so, .platform = platform, .base_dir = base_dir,
                  .fmt = fmt, .bench = bench, .many = files.n > 1 };
    for (int i = optind; i < argc; i++) {
        struct stat sb;
        if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode))
            se.many = true;
    }
    flockfile(stdout);
    if (fmt == PS_FMT_SARIF && ps_sarif_begin(&se.sarif, stdout, ps_fuzz_sarif_rules,
                                              PS_FUZZ_NRULES, base_dir)) {
        funlockfile(stdout);
        goto oom;
    }
    if (fmt == PS_FMT_JSON && se.many) {
        ps_json_init(&se.j, stdout, 3);
        ps_json_object(&se.j);
        ps_json_schema(&se.j, "fuzzes", 1);
        ps_json_karray(&se.j, "scenarios");
    }
    rc = PS_EXIT_OK;
    uint32_t with_findings = 0, errors = 0;
    for (size_t i = 0; i < files.n && rc != PS_EXIT_INTERNAL; i++) {
        char dir[4096], name[512];
        const char *d = out_dir;
        if (out_dir && se.many) {
            snprintf(dir, sizeof dir, "%s/%s", out_dir,
                     ps_scenarios_stem(&files, i, name, sizeof name));
            d = dir;
        }
        int r = fuzz_one(&se, files.paths[i], d);
        with_findings += r == PS_EXIT_FINDINGS;
        errors += r == PS_EXIT_USAGE;
        if (r > rc)
            rc = r;
    }
    if (fmt == PS_FMT_SARIF)
        ps_sarif_end(&se.sarif, errors == 0, NULL, 0);
    if (fmt == PS_FMT_JSON && se.many) {
        ps_json_array_end(&se.j);
        ps_json_kobject(&se.j, "summary");
        ps_json_kuint(&se.j, "scenarios", files.n);
        ps_json_kuint(&se.j, "with-findings", with_findings);
        ps_json_kuint(&se.j, "errors", errors);
        ps_json_object_end(&se.j);
        ps_json_object_end(&se.j);
        ps_json_finish(&se.j);
    }
    if (fmt == PS_FMT_TEXT && se.many && !bench)
        printf("\n%zu scenarios: %u with findings, %u with errors\n", files.n,
               (unsigned)with_findings, (unsigned)errors);
    funlockfile(stdout);
    if (rc != PS_EXIT_INTERNAL)
        rc = ps_cli_finish(rc);
out:
    ps_scenarios_free(&files);
    free(so.vary_user);
    free(so.vary_others);
    return rc;
oom:
    fprintf(stderr, "privsim fuzz: out of memory\n");
    rc = PS_EXIT_INTERNAL;
    goto out;
}
