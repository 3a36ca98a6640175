/* test_stats.c - `privsim stats`: exact figures on a hand-made graph, the sample, the
 * threads, and the audience sizes checked against the engine's own audiences of fof posts
 * and tagged photos on a generated network. */
#include "engine.h"
#include "gen.h"
#include "lang_test.h"
#include "stats.h"

/* a - b, a - c, b - c (a triangle), c - d, d - e; f has no friend */
static const char hand[] =
    "user a b c d e f\n"
    "friends a b c\n"
    "friends b c\n"
    "friends c d\n"
    "friends d e\n";

static void compute_by(ps_model *m, uint32_t sample, int threads, uint64_t seed,
                       ps_stats_method method, ps_stats *st)
{
    ps_stats_opts o = { .sample = sample, .threads = threads, .seed = seed, .method = method };
    cr_assert(eq(int, ps_stats_compute(m, &o, true, st), 0));
    if (method != PS_STATS_AUTO && m->nusers > 0)
        cr_assert(eq(int, st->dense, method == PS_STATS_DENSE));
}

static void compute(ps_model *m, uint32_t sample, int threads, uint64_t seed, ps_stats *st)
{
    compute_by(m, sample, threads, seed, PS_STATS_AUTO, st);
}

static const ps_stats_method methods[] = { PS_STATS_SPARSE, PS_STATS_DENSE };

static void assert_dist(const ps_dist *d, uint64_t n, uint32_t min, uint32_t median,
                        uint32_t p90, uint32_t p99, uint32_t max, uint64_t sum)
{
    cr_assert(eq(u64, d->n, n));
    cr_assert(eq(u32, d->min, min));
    cr_assert(eq(u32, d->median, median));
    cr_assert(eq(u32, d->p90, p90));
    cr_assert(eq(u32, d->p99, p99));
    cr_assert(eq(u32, d->max, max));
    cr_assert(eq(u64, d->sum, sum));
    cr_assert(ieee_ulp_eq(dbl, d->mean, (double)sum / (double)n, 4));
}

Test(stats, hand_made_graph)
{
    ps_model *m = parse_ok(hand);
    for (int k = 0; k < 2; k++) {
        ps_stats st;
        compute_by(m, 0, 1, 1, methods[k], &st);
        cr_assert(eq(u32, st.people, 6));
        cr_assert(eq(u64, st.friendships, 5));
        cr_assert(eq(u32, st.step, 1));
        cr_assert(eq(u32, st.measured, 6));
        /* degrees 2 2 3 2 1 0, sorted 0 1 2 2 2 3 */
        assert_dist(&st.degree, 6, 0, 2, 3, 3, 3, 10);
        cr_assert(eq(u32, st.degree.nbins, 3));
        cr_assert(eq(u64, st.degree.hist[0], 1)); /* f */
        cr_assert(eq(u64, st.degree.hist[1], 1)); /* e */
        cr_assert(eq(u64, st.degree.hist[2], 4)); /* 2 or 3 friends */
        /* friends: 3 3 4 3 2 1 */
        assert_dist(&st.friends, 6, 1, 3, 4, 4, 4, 16);
        /* fof: a {a b c d} 4, b 4, c {a b c d e} 5, d {a b c d e} 5, e {c d e} 3, f 1 */
        assert_dist(&st.fof, 6, 1, 4, 5, 5, 5, 22);
        static const uint32_t friends[] = { 3, 3, 4, 3, 2, 1 }, fof[] = { 4, 4, 5, 5, 3, 1 };
        for (uint32_t u = 0; u < 6; u++) {
            cr_assert(eq(u32, st.sizes[3 * u], friends[u]));
            cr_assert(eq(u32, st.sizes[3 * u + 1], fof[u]), "fof of person %u", u);
        }
        /* tagged: e can only tag d ({c d e}); f tags nobody */
        cr_assert(eq(u32, st.sizes[3 * 4 + 2], 3));
        cr_assert(eq(u32, st.sizes[3 * 5 + 2], 1));
        ps_stats_free(&st);
    }
    ps_model_free(m);
}

/* The tagged audience is the person's friends and the tagged friend's friends: every value
 * that a choice of friend gives appears over seeds, and nothing else. */
Test(stats, tagged_audience_over_seeds)
{
    ps_model *m = parse_ok(hand);
    /* per person, the size for tagging each friend: a tags b 3 or c 4; b tags a 3 or c 4;
     * c tags a 4, b 4 or d 5; d tags c 5 or e 3 */
    static const uint32_t lo[] = { 3, 3, 4, 3 }, hi[] = { 4, 4, 5, 5 };
    bool seen_lo[4] = { false }, seen_hi[4] = { false };
    for (uint64_t seed = 1; seed <= 64; seed++) {
        ps_stats st;
        compute_by(m, 0, 1, seed, methods[seed % 2], &st);
        for (uint32_t u = 0; u < 4; u++) {
            uint32_t t = st.sizes[3 * u + 2];
            cr_assert(t == lo[u] || t == hi[u] || (u == 2 && t == 4),
                      "person %u, seed %llu: %u", u, (unsigned long long)seed, t);
            seen_lo[u] |= t == lo[u];
            seen_hi[u] |= t == hi[u];
            /* the documented choice */
            uint32_t friend = ps_stats_tagged_friend(m, seed, u);
            uint32_t n;
            const uint32_t *fr = ps_model_friends(m, u, &n);
            bool is_friend = false;
            for (uint32_t j = 0; j < n; j++)
                is_friend |= fr[j] == friend;
            cr_assert(is_friend);
        }
        ps_stats_free(&st);
    }
    for (uint32_t u = 0; u < 4; u++)
        cr_assert(seen_lo[u] && seen_hi[u], "person %u: both friends drawn over 64 seeds", u);
    cr_assert(eq(u32, ps_stats_tagged_friend(m, 1, 5), PS_NONE));
    ps_model_free(m);
}

Test(stats, sample_takes_every_kth_person)
{
    ps_model *m = parse_ok(hand);
    ps_stats st;
    compute(m, 3, 1, 1, &st); /* k = ceil(6 / 3) = 2: a, c, e */
    cr_assert(eq(u32, st.step, 2));
    cr_assert(eq(u32, st.measured, 3));
    assert_dist(&st.fof, 3, 3, 4, 5, 5, 5, 12);
    assert_dist(&st.degree, 6, 0, 2, 3, 3, 3, 10); /* the degrees stay exact */
    ps_stats_free(&st);
    compute(m, 4, 1, 1, &st); /* k = 2 again: at most 4 people */
    cr_assert(eq(u32, st.measured, 3));
    ps_stats_free(&st);
    compute(m, 100, 1, 1, &st);
    cr_assert(eq(u32, st.step, 1));
    cr_assert(eq(u32, st.measured, 6));
    ps_stats_free(&st);
    ps_model_free(m);
}

Test(stats, empty_and_friendless)
{
    ps_model *m = parse_ok("# nobody\n");
    ps_stats st;
    compute(m, 0, 0, 1, &st);
    cr_assert(eq(u32, st.people, 0));
    cr_assert(eq(u32, st.measured, 0));
    cr_assert(eq(u64, st.degree.n, 0));
    cr_assert(eq(u64, st.fof.n, 0));
    ps_stats_free(&st);
    ps_model_free(m);
    m = parse_ok("user solo\n");
    compute(m, 0, 0, 1, &st);
    assert_dist(&st.fof, 1, 1, 1, 1, 1, 1, 1);
    assert_dist(&st.degree, 1, 0, 0, 0, 0, 0, 0);
    ps_stats_free(&st);
    ps_model_free(m);
}

Test(stats, histogram_bins)
{
    cr_assert(eq(u32, ps_stats_bin_low(0), 0));
    cr_assert(eq(u32, ps_stats_bin_high(0), 0));
    cr_assert(eq(u32, ps_stats_bin_low(1), 1));
    cr_assert(eq(u32, ps_stats_bin_high(1), 1));
    cr_assert(eq(u32, ps_stats_bin_low(4), 8));
    cr_assert(eq(u32, ps_stats_bin_high(4), 15));
    cr_assert(eq(u32, ps_stats_bin_high(32), UINT32_MAX));
    uint32_t v[] = { 9, 0, 1000, 15, 16, 1 };
    ps_dist d;
    ps_dist_of(&d, v, 6);
    cr_assert(eq(u32, d.nbins, 11)); /* 1000 is in 512-1023, bin 10 */
    cr_assert(eq(u64, d.hist[4], 2)); /* 9, 15 */
    cr_assert(eq(u64, d.hist[5], 1)); /* 16 */
    cr_assert(eq(u32, d.median, 9)); /* nearest rank 3 of 0 1 9 15 16 1000 */
    cr_assert(eq(u32, d.p90, 1000));
    /* values far above their count are sorted another way: the same figures */
    uint32_t w[] = { 3000000, 7, 5, 7 };
    ps_dist_of(&d, w, 4);
    cr_assert(eq(u32, d.min, 5));
    cr_assert(eq(u32, d.median, 7));
    cr_assert(eq(u32, d.max, 3000000));
    cr_assert(eq(u64, d.sum, 3000019));
    cr_assert(eq(u32, w[0], 5));
    cr_assert(eq(u32, w[3], 3000000));
}

/* A generated network, measured with one thread and with several: the same sizes. */
static ps_model *generated(uint32_t people, uint32_t degree)
{
    ps_gen_opts go;
    ps_gen_defaults(&go, people);
    go.degree = degree;
    go.lists = 0;
    go.networks = 0;
    go.items_per_person = 0;
    go.seed = 7;
    ps_model *m = NULL;
    char err[128];
    cr_assert(eq(int, ps_gen(&go, &m, NULL, err, sizeof err), 0));
    return m;
}

Test(stats, threads_agree)
{
    ps_model *m = generated(20000, 12);
    ps_stats one, many;
    compute(m, 0, 1, 3, &one);
    compute(m, 0, 4, 3, &many);
    cr_assert(eq(u32, one.measured, 20000));
    cr_assert(eq(int, memcmp(one.sizes, many.sizes, 3 * sizeof(uint32_t) * one.measured), 0));
    cr_assert(eq(u64, one.fof.sum, many.fof.sum));
    cr_assert(eq(u64, one.degree.sum, 2 * one.friendships));
    ps_stats_free(&one);
    ps_stats_free(&many);
    ps_model_free(m);
}

/* Bitset rows and epoch marks count the same audiences, sampled or not, in threads or not. */
Test(stats, dense_and_sparse_agree)
{
    static const uint32_t people[] = { 64, 65, 3000, 9000 }, degree[] = { 5, 64, 40, 6 };
    for (int g = 0; g < 4; g++) {
        ps_model *m = generated(people[g], degree[g]);
        for (uint32_t sample = 0; sample <= 1000; sample += 1000) {
            ps_stats sparse, dense;
            compute_by(m, sample, 1, 5, PS_STATS_SPARSE, &sparse);
            compute_by(m, sample, 3, 5, PS_STATS_DENSE, &dense);
            cr_assert(eq(u32, sparse.measured, dense.measured));
            cr_assert(eq(int, memcmp(sparse.sizes, dense.sizes,
                                     3 * sizeof(uint32_t) * sparse.measured), 0),
                      "graph %d, sample %u", g, sample);
            ps_stats_free(&sparse);
            ps_stats_free(&dense);
        }
        ps_model_free(m);
    }
    /* the SNAP-like case takes the rows by itself; a large sparse graph does not */
    ps_model *m = generated(3000, 40);
    ps_stats st;
    compute(m, 0, 0, 1, &st);
    cr_assert(st.dense);
    ps_stats_free(&st);
    ps_model_free(m);
    m = generated(100000, 4);
    compute(m, 100, 0, 1, &st);
    cr_assert(st.dense == false);
    ps_stats_free(&st);
    ps_model_free(m);
}

/* The users (not the internet or apps) in the engine's audience of `item`. */
static uint32_t engine_users(ps_engine *e, const ps_model *m, uint32_t item)
{
    cr_assert(eq(int, ps_engine_eval(e, item), 0));
    uint32_t n, users = 0;
    const uint32_t *v = ps_engine_audience(e, &n);
    for (uint32_t i = 0; i < n; i++)
        users += v[i] < m->nusers;
    return users;
}

/* stats' sizes are the audiences the engine computes for a fof post and for a friends
 * photo tagging the drawn friend, under tag-extends = tagged-friends without tag review. */
Test(stats, agrees_with_the_engine)
{
    ps_model *g = generated(600, 8);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    cr_assert(f != NULL);
    cr_assert(eq(int, ps_print_scenario(f, g), 0));
    fprintf(f, "rule tag-extends = tagged-friends\nrule tag-review-default = off\n");
    const uint64_t seed = 11;
    for (uint32_t u = 0; u < g->nusers; u += 7) {
        fprintf(f, "post fof-%u by=u%u audience=fof\n", u, u);
        uint32_t t = ps_stats_tagged_friend(g, seed, u);
        if (t != PS_NONE)
            fprintf(f, "photo tag-%u by=u%u audience=friends tags=u%u\n", u, u, t);
    }
    fclose(f);
    ps_model *m = parse_ok(text);
    free(text);
    ps_stats st;
    compute_by(m, (m->nusers + 6) / 7, 2, seed, methods[seed % 2], &st);
    cr_assert(eq(u32, st.step, 7));
    ps_engine *e = ps_engine_new(m);
    cr_assert(e != NULL);
    for (uint32_t i = 0; i < st.measured; i++) {
        uint32_t u = i * 7;
        char name[32];
        snprintf(name, sizeof name, "fof-%u", u);
        uint32_t item = ps_model_find(m, PS_NS_ITEM, 0, name, strlen(name));
        cr_assert(item != PS_NONE);
        cr_assert(eq(u32, st.sizes[3 * i + 1], engine_users(e, m, item)), "fof of u%u", u);
        snprintf(name, sizeof name, "tag-%u", u);
        item = ps_model_find(m, PS_NS_ITEM, 0, name, strlen(name));
        if (item != PS_NONE)
            cr_assert(eq(u32, st.sizes[3 * i + 2], engine_users(e, m, item)), "tagged of u%u", u);
    }
    ps_engine_free(e);
    ps_stats_free(&st);
    ps_model_free(m);
    ps_model_free(g);
}
