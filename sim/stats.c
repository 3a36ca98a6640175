/* stats.c - the figures of a social graph for `privsim stats` (see stats.h).
 *
 * The audiences of the persons measured are computed by worker threads that take chunks of
 * persons from a shared counter.  Sparse counting: each worker owns an array of marks, one
 * uint32 per person, and a counter (the epoch): a person is in the current audience when its
 * mark equals the epoch, so moving on to the next person costs one increment instead of a
 * clearing.  The adjacency is the model's CSR arrays, built before the threads start and only
 * read by them.  Dense counting, for graphs small enough: row u is the bitset of u and u's
 * friends, built once and shared; a worker ORs the rows of a person's closed neighbourhood
 * into a row of its own and counts the bits.  That is (2F + N) * N / 64 word operations in
 * sequence against the sum of the squared degrees in scattered marks for the sparse way, and
 * the cheaper one is taken.
 */
#include "stats.h"
#include "rng.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Persons a worker takes from the shared counter at a time. */
#define CHUNK 256
/* The random stream of the tagged friend (any constant; documented with the seed). */
#define TAG_STREAM 0x746167u
/* No more threads than this, and no thread for fewer than this many persons. */
#define MAX_THREADS 64
#define PERSONS_PER_THREAD 2048
/* How many friends ahead the sparse count asks for an adjacency list. */
#define PREFETCH 4

uint32_t ps_stats_bin_low(uint32_t k)
{
    return k == 0 ? 0 : (uint32_t)1 << (k - 1);
}

uint32_t ps_stats_bin_high(uint32_t k)
{
    return k == 0 ? 0 : k >= 32 ? UINT32_MAX : ((uint32_t)1 << k) - 1;
}

static uint32_t bin_of(uint32_t v)
{
    uint32_t k = 0;
    while (v) {
        k++;
        v >>= 1;
    }
    return k;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* The nearest-rank p-th percentile of the sorted values v[0..n) (n > 0). */
static uint32_t percentile(const uint32_t *v, uint64_t n, unsigned p)
{
    uint64_t rank = (p * n + 99) / 100;
    return v[rank ? rank - 1 : 0];
}

/* Sorts v[0..n): by counting when the values are small against n (degrees, audience
 * sizes), else with qsort. */
static void sort_values(uint32_t *v, uint64_t n)
{
    uint32_t max = 0;
    for (uint64_t i = 0; i < n; i++)
        if (v[i] > max)
            max = v[i];
    uint64_t *count = (uint64_t)max <= 4 * n + 1024 ? calloc((size_t)max + 1, sizeof *count) : NULL;
    if (!count) {
        qsort(v, n, sizeof *v, cmp_u32);
        return;
    }
    for (uint64_t i = 0; i < n; i++)
        count[v[i]]++;
    uint64_t k = 0;
    for (uint64_t x = 0; x <= max; x++)
        for (uint64_t c = count[x]; c > 0; c--)
            v[k++] = (uint32_t)x;
    free(count);
}

void ps_dist_of(ps_dist *d, uint32_t *values, uint64_t n)
{
    memset(d, 0, sizeof *d);
    if (n == 0)
        return;
    sort_values(values, n);
    d->n = n;
    for (uint64_t i = 0; i < n; i++) {
        d->sum += values[i];
        uint32_t k = bin_of(values[i]);
        d->hist[k]++;
        if (k + 1 > d->nbins)
            d->nbins = k + 1;
    }
    d->min = values[0];
    d->max = values[n - 1];
    d->median = percentile(values, n, 50);
    d->p90 = percentile(values, n, 90);
    d->p99 = percentile(values, n, 99);
    d->mean = (double)d->sum / (double)n;
}

uint32_t ps_stats_tagged_friend(ps_model *m, uint64_t seed, uint32_t u)
{
    uint32_t deg;
    const uint32_t *fr = ps_model_friends(m, u, &deg);
    if (deg == 0)
        return PS_NONE;
    ps_rng r;
    ps_rng_seed3(&r, seed, TAG_STREAM, u);
    return fr[ps_rng_below(&r, deg)];
}

/* ---- the audiences, in threads ---------------------------------------------------------- */

typedef struct {
    ps_model *m;           /* adjacency built; only read */
    uint32_t step, measured;
    uint64_t seed;
    const uint64_t *rows;  /* dense: nusers rows of `words` words, or NULL */
    const uint32_t *span;  /* dense: row u's non-zero words lie in span[2u] .. span[2u+1]-1 */
    size_t words;
    uint32_t *sizes;       /* 3 per measured person, each slot written by one worker */
    atomic_uint_fast32_t next; /* the next chunk's first measured index */
} shared_work;

typedef struct {
    shared_work *w;
    uint32_t *marks;       /* sparse: one per person, owned by this worker */
    uint32_t epoch;
    uint64_t *acc;         /* dense: one row, owned by this worker */
} worker;

static uint32_t popcount_row(const uint64_t *r, size_t words)
{
    uint32_t n = 0;
    for (size_t i = 0; i < words; i++)
        n += (uint32_t)__builtin_popcountll(r[i]);
    return n;
}

/* ORs row v (its non-zero span) into acc. */
static void or_row(const shared_work *w, uint64_t *acc, uint32_t v)
{
    const uint64_t *r = w->rows + (size_t)v * w->words;
    for (uint32_t x = w->span[2 * (size_t)v]; x < w->span[2 * (size_t)v + 1]; x++)
        acc[x] |= r[x];
}

static void measure_person_dense(worker *k, uint32_t i)
{
    shared_work *w = k->w;
    uint32_t u = i * w->step, deg;
    const uint32_t *fr = ps_model_friends(w->m, u, &deg);
    uint64_t *acc = k->acc;
    /* the words that any row of u's closed neighbourhood touches */
    uint32_t lo = w->span[2 * (size_t)u], hi = w->span[2 * (size_t)u + 1];
    for (uint32_t j = 0; j < deg; j++) {
        if (w->span[2 * (size_t)fr[j]] < lo)
            lo = w->span[2 * (size_t)fr[j]];
        if (w->span[2 * (size_t)fr[j] + 1] > hi)
            hi = w->span[2 * (size_t)fr[j] + 1];
    }
    uint32_t tagged = deg + 1;
    memset(acc + lo, 0, (hi - lo) * sizeof *acc);
    or_row(w, acc, u);
    if (deg > 0) {
        or_row(w, acc, ps_stats_tagged_friend(w->m, w->seed, u));
        tagged = popcount_row(acc + lo, hi - lo);
    }
    for (uint32_t j = 0; j < deg; j++)
        or_row(w, acc, fr[j]);
    uint32_t *out = w->sizes + 3 * (size_t)i;
    out[0] = deg + 1;
    out[1] = popcount_row(acc + lo, hi - lo);
    out[2] = tagged;
}

static void measure_person(worker *k, uint32_t i)
{
    ps_model *m = k->w->m;
    uint32_t u = i * k->w->step;
    if (++k->epoch == 0) { /* wrapped: old marks could match again */
        memset(k->marks, 0, (size_t)m->nusers * sizeof *k->marks);
        k->epoch = 1;
    }
    uint32_t e = k->epoch, *mark = k->marks, deg;
    const uint32_t *fr = ps_model_friends(m, u, &deg);
    mark[u] = e;
    for (uint32_t j = 0; j < deg; j++)
        mark[fr[j]] = e;
    uint32_t friends = deg + 1, tagged = friends, fof = friends;
    if (deg > 0) {
        uint32_t nt;
        const uint32_t *ft = ps_model_friends(m, ps_stats_tagged_friend(m, k->w->seed, u), &nt);
        for (uint32_t j = 0; j < nt; j++)
            tagged += mark[ft[j]] != e;
    }
    for (uint32_t j = 0; j < deg; j++) {
        uint32_t nf;
        if (j + PREFETCH < deg) /* the list visited a few friends later, on its way to cache */
            __builtin_prefetch(ps_model_friends(m, fr[j + PREFETCH], &nf));
        const uint32_t *ff = ps_model_friends(m, fr[j], &nf);
        for (uint32_t x = 0; x < nf; x++)
            if (mark[ff[x]] != e) {
                mark[ff[x]] = e;
                fof++;
            }
    }
    uint32_t *out = k->w->sizes + 3 * (size_t)i;
    out[0] = friends;
    out[1] = fof;
    out[2] = tagged;
}

static void *worker_run(void *arg)
{
    worker *k = arg;
    shared_work *w = k->w;
    for (;;) {
        uint_fast32_t first = atomic_fetch_add(&w->next, CHUNK);
        if (first >= w->measured)
            break;
        uint32_t end = w->measured - first < CHUNK ? w->measured : (uint32_t)first + CHUNK;
        for (uint32_t i = (uint32_t)first; i < end; i++) {
            if (w->rows)
                measure_person_dense(k, i);
            else
                measure_person(k, i);
        }
    }
    return NULL;
}

static long thread_count(int asked, uint32_t measured)
{
    long n = asked > 0 ? asked : sysconf(_SC_NPROCESSORS_ONLN);
    long useful = (long)(measured / PERSONS_PER_THREAD) + 1;
    if (n > useful)
        n = useful;
    if (n > MAX_THREADS)
        n = MAX_THREADS;
    return n < 1 ? 1 : n;
}

/* Computes the three sizes of every measured person into w->sizes.  0, or -1 OOM. */
static int measure_all(shared_work *w, int threads)
{
    long n = thread_count(threads, w->measured);
    worker *ks = calloc((size_t)n, sizeof *ks);
    pthread_t *tid = calloc((size_t)n, sizeof *tid);
    bool *started = calloc((size_t)n, sizeof *started);
    int rc = ks && tid && started ? 0 : -1;
    for (long i = 0; rc == 0 && i < n; i++) {
        ks[i].w = w;
        if (w->rows)
            ks[i].acc = malloc((w->words ? w->words : 1) * sizeof *ks[i].acc);
        else
            ks[i].marks = calloc(w->m->nusers ? w->m->nusers : 1, sizeof *ks[i].marks);
        if (!ks[i].marks && !ks[i].acc)
            rc = -1;
    }
    if (rc == 0) {
        for (long i = 1; i < n; i++)
            started[i] = pthread_create(&tid[i], NULL, worker_run, &ks[i]) == 0;
        worker_run(&ks[0]); /* the calling thread works too, and takes what others leave */
        for (long i = 1; i < n; i++)
            if (started[i])
                pthread_join(tid[i], NULL);
    }
    for (long i = 0; ks && i < n; i++) {
        free(ks[i].marks);
        free(ks[i].acc);
    }
    free(ks);
    free(tid);
    free(started);
    return rc;
}

/* Whether to count densely: asked for, or cheaper by the estimate above; and the rows fit. */
static bool want_dense(ps_model *m, const ps_stats_opts *o, size_t words)
{
    uint64_t n = m->nusers;
    if (o->method == PS_STATS_SPARSE || n == 0 || words > PS_STATS_DENSE_MAX / 8 / n)
        return false;
    if (o->method == PS_STATS_DENSE)
        return true;
    uint64_t deg_sum = 0, sq_sum = 0;
    for (uint32_t u = 0; u < n; u++) {
        uint32_t d;
        ps_model_friends(m, u, &d);
        deg_sum += d;
        sq_sum += (uint64_t)d * d;
    }
    return (deg_sum + n) * words < sq_sum;
}

/* The dense rows: row u holds u and u's friends, and *span their non-zero words.  NULL out
 * of memory. */
static uint64_t *build_rows(ps_model *m, size_t words, uint32_t **span)
{
    uint64_t *rows = calloc((size_t)m->nusers * words, sizeof *rows);
    *span = malloc(2 * (size_t)m->nusers * sizeof **span);
    if (!rows || !*span) {
        free(rows);
        free(*span);
        *span = NULL;
        return NULL;
    }
    for (uint32_t u = 0; u < m->nusers; u++) {
        uint64_t *r = rows + (size_t)u * words;
        uint32_t d;
        const uint32_t *fr = ps_model_friends(m, u, &d); /* sorted */
        r[u >> 6] |= (uint64_t)1 << (u & 63);
        for (uint32_t j = 0; j < d; j++)
            r[fr[j] >> 6] |= (uint64_t)1 << (fr[j] & 63);
        uint32_t first = d && fr[0] < u ? fr[0] : u, last = d && fr[d - 1] > u ? fr[d - 1] : u;
        (*span)[2 * (size_t)u] = first >> 6;
        (*span)[2 * (size_t)u + 1] = (last >> 6) + 1;
    }
    return rows;
}

/* ---- the figures -------------------------------------------------------------------------- */

int ps_stats_compute(ps_model *m, const ps_stats_opts *o, bool keep_sizes, ps_stats *st)
{
    memset(st, 0, sizeof *st);
    uint32_t n = m->nusers, nf;
    if (n > 0 && !ps_model_friends(m, 0, &nf))
        return -1; /* the adjacency could not be built */
    st->people = n;
    st->friendships = ps_model_nfriendships(m);
    st->step = 1;
    if (o->sample > 0 && o->sample < n)
        st->step = (uint32_t)(((uint64_t)n + o->sample - 1) / o->sample);
    st->measured = n ? (uint32_t)(((uint64_t)n + st->step - 1) / st->step) : 0;

    size_t scratch_n = n > st->measured ? n : st->measured;
    uint32_t *scratch = malloc((scratch_n ? scratch_n : 1) * sizeof *scratch);
    shared_work w = { .m = m, .step = st->step, .measured = st->measured, .seed = o->seed };
    atomic_init(&w.next, 0);
    w.words = ((size_t)n + 63) / 64;
    uint64_t *rows = NULL;
    uint32_t *span = NULL;
    /* without the memory for the rows, the sparse way still works */
    if (want_dense(m, o, w.words) && (rows = build_rows(m, w.words, &span)) != NULL) {
        w.rows = rows;
        w.span = span;
        st->dense = true;
    }
    w.sizes = malloc((st->measured ? 3 * (size_t)st->measured : 1) * sizeof *w.sizes);
    int rc = !scratch || !w.sizes ? -1 : measure_all(&w, o->threads);
    free(rows);
    free(span);
    if (rc) {
        free(scratch);
        free(w.sizes);
        memset(st, 0, sizeof *st);
        return -1;
    }
    for (uint32_t u = 0; u < n; u++)
        ps_model_friends(m, u, &scratch[u]);
    ps_dist_of(&st->degree, scratch, n);
    ps_dist *dists[3] = { &st->friends, &st->fof, &st->tagged };
    for (int k = 0; k < 3; k++) {
        for (uint32_t i = 0; i < st->measured; i++)
            scratch[i] = w.sizes[3 * (size_t)i + k];
        ps_dist_of(dists[k], scratch, st->measured);
    }
    free(scratch);
    if (keep_sizes)
        st->sizes = w.sizes;
    else
        free(w.sizes);
    return 0;
}

void ps_stats_free(ps_stats *st)
{
    free(st->sizes);
    st->sizes = NULL;
}
