/* cmd_stats.c - `privsim stats FILE`: the size of a scenario's social graph, its degree
 * distribution and the audience sizes of friends, friends-of-friends and tagged posts
 * (computed by stats.c), as text or JSON. */
#include "cli.h"
#include "gen.h"
#include "stats.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: privsim stats [options] FILE\n"
    "\n"
    "Measures the friendship graph of a scenario (\"-\" reads standard input) as it is\n"
    "declared, before any timeline step: people, friendships, the degree distribution\n"
    "with a histogram in power-of-two bins, and the distributions of three audience sizes,\n"
    "each counting the person themselves:\n"
    "  friends  the person and their friends (a post set to friends)\n"
    "  fof      the person, their friends and their friends' friends (a post set to fof)\n"
    "  tagged   a photo set to friends that tags one friend T, drawn at random, under\n"
    "           tag-extends = tagged-friends: the person, their friends, T's friends\n"
    "Percentiles are nearest-rank. The audiences are exact over every person unless\n"
    "--sample is given.\n"
    "\n"
    "options:\n"
    "  --format text|json  text (the default), or one JSON object (schema privsim.stats/1)\n"
    "  --sample N          measure the audiences of at most N people: every k-th person\n"
    "                      from the first, k = ceil(people / N)\n"
    "  --seed S            the seed of the tagged friends (default 1)\n"
    "  --threads N         worker threads (default: one per core)\n"
    "  --per-person        print \"USER FRIENDS FOF TAGGED\" for each person measured\n"
    "                      instead of the summary\n"
    "  --timing            print the CPU and wall time of reading and measuring on\n"
    "                      standard error\n"
    "  -h, --help          this help\n"
    "\n"
    "exit status: 0 done, 2 bad usage or input, 3 internal error\n";

static const char *const dist_names[] = { "friends", "fof", "tagged" };

static void json_dist(ps_json *j, const ps_dist *d)
{
    ps_json_object(j);
    ps_json_kuint(j, "n", d->n);
    ps_json_kuint(j, "min", d->min);
    ps_json_kuint(j, "median", d->median);
    /* the mean to 3 decimals, as the README documents it */
    ps_json_key(j, "mean");
    ps_json_double(j, (double)llround(d->mean * 1000) / 1000);
    ps_json_kuint(j, "p90", d->p90);
    ps_json_kuint(j, "p99", d->p99);
    ps_json_kuint(j, "max", d->max);
    ps_json_kuint(j, "sum", d->sum);
    ps_json_karray(j, "histogram");
    for (uint32_t k = 0; k < d->nbins; k++) {
        ps_json_object(j);
        ps_json_kuint(j, "from", ps_stats_bin_low(k));
        ps_json_kuint(j, "to", ps_stats_bin_high(k));
        ps_json_kuint(j, "count", d->hist[k]);
        ps_json_object_end(j);
    }
    ps_json_array_end(j);
    ps_json_object_end(j);
}

static void print_json(FILE *out, const char *path, const ps_stats *st, uint64_t seed)
{
    ps_json j;
    ps_json_init(&j, out, 0);
    ps_json_object(&j);
    ps_json_schema(&j, "stats", 1);
    ps_json_kstr(&j, "file", path);
    ps_json_kuint(&j, "people", st->people);
    ps_json_kuint(&j, "friendships", st->friendships);
    ps_json_key(&j, "degree");
    json_dist(&j, &st->degree);
    ps_json_kobject(&j, "audiences");
    ps_json_kuint(&j, "measured", st->measured);
    ps_json_kuint(&j, "every", st->step);
    ps_json_kuint(&j, "seed", seed);
    const ps_dist *d[3] = { &st->friends, &st->fof, &st->tagged };
    for (int k = 0; k < 3; k++) {
        ps_json_key(&j, dist_names[k]);
        json_dist(&j, d[k]);
    }
    ps_json_object_end(&j);
    ps_json_object_end(&j);
    ps_json_finish(&j);
}

static void text_row(FILE *out, const char *name, const ps_dist *d)
{
    fprintf(out, "  %-8s %10u %10u %12.2f %10u %10u %10u\n", name, (unsigned)d->min,
            (unsigned)d->median, d->mean, (unsigned)d->p90, (unsigned)d->p99, (unsigned)d->max);
}

static void print_text(FILE *out, const char *path, const ps_stats *st)
{
    ps_term_str(out, path);
    fprintf(out, ": %u %s, %llu %s\n\n", (unsigned)st->people,
            st->people == 1 ? "person" : "people", (unsigned long long)st->friendships,
            st->friendships == 1 ? "friendship" : "friendships");
    fprintf(out, "  %-8s %10s %10s %12s %10s %10s %10s\n", "", "min", "median", "mean", "p90",
            "p99", "max");
    text_row(out, "degree", &st->degree);
    const ps_dist *d[3] = { &st->friends, &st->fof, &st->tagged };
    for (int k = 0; k < 3; k++)
        text_row(out, dist_names[k], d[k]);
    if (st->step == 1)
        fprintf(out, "\naudiences (friends, fof, tagged) over every person\n");
    else
        fprintf(out, "\naudiences (friends, fof, tagged) over %u people: one in every %u\n",
                (unsigned)st->measured, (unsigned)st->step);
    if (st->degree.n == 0)
        return;
    fprintf(out, "\ndegree histogram (people by number of friends)\n");
    uint64_t top = 1;
    for (uint32_t k = 0; k < st->degree.nbins; k++)
        if (st->degree.hist[k] > top)
            top = st->degree.hist[k];
    for (uint32_t k = 0; k < st->degree.nbins; k++) {
        char range[32];
        uint32_t lo = ps_stats_bin_low(k), hi = ps_stats_bin_high(k);
        if (lo == hi)
            snprintf(range, sizeof range, "%u", (unsigned)lo);
        else
            snprintf(range, sizeof range, "%u-%u", (unsigned)lo, (unsigned)hi);
        uint64_t c = st->degree.hist[k];
        int bar = (int)((c * 50 + top - 1) / top);
        fprintf(out, "  %15s %10llu%s%.*s\n", range, (unsigned long long)c, bar ? " " : "", bar,
                "##################################################");
    }
}

static void print_per_person(FILE *out, const ps_model *m, const ps_stats *st)
{
    for (uint32_t i = 0; i < st->measured; i++) {
        ps_term_str(out, m->users[(size_t)i * st->step].name);
        const uint32_t *s = st->sizes + 3 * (size_t)i;
        fprintf(out, " %u %u %u\n", (unsigned)s[0], (unsigned)s[1], (unsigned)s[2]);
    }
}

int ps_cmd_stats(int argc, char **argv)
{
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' },
        { "sample", required_argument, NULL, 'n' },
        { "seed", required_argument, NULL, 's' },
        { "threads", required_argument, NULL, 't' },
        { "per-person", no_argument, NULL, 'p' },
        { "timing", no_argument, NULL, 'T' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *cmd = "stats";
    ps_format fmt = PS_FMT_TEXT;
    ps_stats_opts so = { .sample = 0, .threads = 0, .seed = 1 };
    bool per_person = false, timing = false;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        uint64_t v;
        switch (c) {
        case 'f':
            if (ps_cli_format(cmd, optarg, 1u << PS_FMT_TEXT | 1u << PS_FMT_JSON, &fmt))
                return PS_EXIT_USAGE;
            break;
        case 'n':
            if (ps_parse_count(optarg, UINT32_MAX, &v) || v == 0)
                return ps_cli_usage_error(cmd, "--sample takes a count of at least 1 such as "
                                          "1000 or 10k, not '%s'", optarg);
            so.sample = (uint32_t)v;
            break;
        case 's':
            if (ps_cli_seed(cmd, optarg, &so.seed))
                return PS_EXIT_USAGE;
            break;
        case 't':
            if (ps_parse_count(optarg, 1024, &v) || v == 0)
                return ps_cli_usage_error(cmd, "--threads takes a number from 1 to 1024, "
                                          "not '%s'", optarg);
            so.threads = (int)v;
            break;
        case 'p': per_person = true; break;
        case 'T': timing = true; break;
        case 'h': fputs(usage, stdout); return ps_cli_finish(PS_EXIT_OK);
        default: return ps_cli_usage_error(cmd, "unknown option");
        }
    }
    if (optind >= argc)
        return ps_cli_usage_error(cmd, "a scenario file is required");
    if (argc - optind > 1)
        return ps_cli_usage_error(cmd, "unexpected argument '%s'", argv[optind + 1]);
    if (per_person && fmt != PS_FMT_TEXT)
        return ps_cli_usage_error(cmd, "--per-person writes text only");
    const char *path = argv[optind];
    ps_timing tm;
    ps_timing_start(&tm, cmd, timing);
    ps_model *m;
    int rc = ps_cli_load(path, NULL, &m);
    if (rc != PS_EXIT_OK)
        return rc;
    ps_timing_mark(&tm, "read");
    ps_stats st;
    int src = ps_stats_compute(m, &so, per_person, &st);
    ps_timing_mark(&tm, "stats");
    if (src) {
        ps_model_free(m);
        fprintf(stderr, "privsim stats: out of memory\n");
        return PS_EXIT_INTERNAL;
    }
    if (per_person)
        print_per_person(stdout, m, &st);
    else if (fmt == PS_FMT_JSON)
        print_json(stdout, path, &st, so.seed);
    else
        print_text(stdout, path, &st);
    ps_stats_free(&st);
    ps_model_free(m);
    rc = ps_cli_finish(PS_EXIT_OK);
    ps_timing_print(&tm);
    return rc;
}
