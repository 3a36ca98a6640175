/* stats.h - the figures of a social graph that researchers cite, for `privsim stats`.
 *
 * ps_stats_compute() measures a model's friendship graph: people, friendships, the degree
 * distribution, and the distributions of three audience sizes over every person (or over an
 * evenly spaced sample of them):
 *   - friends: the person and their friends (a post set to `friends`);
 *   - fof:     the person, their friends and their friends' friends (a post set to `fof`);
 *   - tagged:  the person, their friends, one friend T drawn at random from a seeded stream of
 *              the person's own, and T's friends: a photo set to `friends` that tags T under
 *              `tag-extends = tagged-friends`.  A person without friends has nobody to tag: 1.
 * The work is spread over threads, each with its own epoch-mark array (one uint32 per person,
 * never cleared between persons), over the model's read-only adjacency; on small dense graphs
 * (the SNAP graph) each person's closed neighbourhood is a bitset row instead, and a fof
 * audience is the population count of the OR of the rows of the person and their friends.
 */
#ifndef PS_STATS_H
#define PS_STATS_H

#include "model.h"

#include <stdint.h>

/* Bins of the log-scale histograms: bin 0 holds the value 0, bin k (k >= 1) the values
 * 2^(k-1) .. 2^k - 1. */
#define PS_STATS_BINS 33

/* A distribution of whole numbers.  Percentiles are nearest-rank: the p-th percentile is the
 * smallest value that at least p% of the values do not exceed; the median is the 50th. */
typedef struct {
    uint64_t n;            /* how many values (0: every figure below is 0) */
    uint64_t sum;
    uint32_t min, median, p90, p99, max;
    double mean;
    uint64_t hist[PS_STATS_BINS];
    uint32_t nbins;        /* bins up to the last non-empty one */
} ps_dist;

/* The lower and upper bound of histogram bin `k` (inclusive). */
uint32_t ps_stats_bin_low(uint32_t k);
uint32_t ps_stats_bin_high(uint32_t k);

/* Fills `d` from `n` values (the array is sorted in place). */
void ps_dist_of(ps_dist *d, uint32_t *values, uint64_t n);

/* How the audiences are counted; the answers are the same. */
typedef enum {
    PS_STATS_AUTO,         /* dense where it is cheaper and its rows fit in PS_STATS_DENSE_MAX */
    PS_STATS_SPARSE,       /* epoch marks over the adjacency lists */
    PS_STATS_DENSE         /* a bitset row per person, OR-ed, when the rows fit in
                            * PS_STATS_DENSE_MAX bytes and memory allows (else sparse) */
} ps_stats_method;
#define PS_STATS_DENSE_MAX ((size_t)64 << 20)

typedef struct {
    uint32_t sample;       /* 0: every person; else every k-th person from person 0, with
                            * k = ceil(people / sample), so at most `sample` people */
    int threads;           /* 0: every core */
    uint64_t seed;         /* the stream of the tagged friends */
    uint8_t method;        /* ps_stats_method */
} ps_stats_opts;

typedef struct {
    uint32_t people;
    uint64_t friendships;
    ps_dist degree;        /* over every person */
    uint32_t step;         /* the audiences are measured on persons 0, step, 2*step, ... */
    uint32_t measured;     /* how many */
    ps_dist friends, fof, tagged;
    bool dense;            /* the audiences were counted with bitset rows */
    /* per measured person i (person i*step), when asked for: sizes[3*i + 0/1/2] =
     * friends, fof, tagged (owned by the caller of ps_stats_compute, free()) */
    uint32_t *sizes;
} ps_stats;

/* Measures `m` (not const: the adjacency is built when stale; it is not changed otherwise).
 * When `keep_sizes` is true, st->sizes receives the per-person sizes.  0, or -1 out of
 * memory (*st then holds nothing to free). */
int ps_stats_compute(ps_model *m, const ps_stats_opts *o, bool keep_sizes, ps_stats *st);

/* The friend whom the `tagged` audience of person `u` tags under `seed`: one of u's friends,
 * drawn from a random stream of u's own (the same whatever the threads or the sample), or
 * PS_NONE when u has no friend. */
uint32_t ps_stats_tagged_friend(ps_model *m, uint64_t seed, uint32_t u);

/* Frees st->sizes. */
void ps_stats_free(ps_stats *st);

#endif
