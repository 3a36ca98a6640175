/* test_engine_modes.c - the engine's fast paths give what its plain path gives.
 *
 * The engine chooses how to hold an audience: viewers one by one, a public or everyone
 * audience as one class of users (`lazy`), and a friends-of-friends set as a class of its
 * own, made from the adjacency or from dense friendship rows.  Here every combination must
 * give what the plain path (every viewer visited one by one) gives: the same
 * audiences and the same grant for every viewer, item and state, and ps_check() the same
 * report, on random scenarios small and large, with one thread and with several.
 *
 * PRIVSIM_PROPS_N scales the number of scenarios as in test_props.c.
 */
#include "engine.h"
#include "engine_int.h"
#include "randscen.h"

#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static uint32_t scenarios(uint32_t dflt)
{
    const char *s = getenv("PRIVSIM_PROPS_N");
    long n = s ? strtol(s, NULL, 10) / 4 : (long)dflt;
    return n > 0 ? (uint32_t)n : 1;
}

static bool grant_eq(const ps_grant *a, const ps_grant *b)
{
    return a->via == b->via && a->term == b->term && a->depth == b->depth &&
           a->through == b->through && a->ref == b->ref;
}

/* The engine `e` (in some mode) and `plain` agree on item i in their current state. */
static void same_eval(ps_engine *plain, ps_engine *e, const ps_model *m, uint32_t i,
                      uint64_t seed, uint32_t state, const char *mode)
{
    cr_assert_eq(ps_engine_eval(plain, i), 0);
    cr_assert_eq(ps_engine_eval(e, i), 0);
    for (uint32_t v = 0; v < ps_nviewers(m); v++) {
        bool a = ps_engine_sees(plain, v), b = ps_engine_sees(e, v);
        cr_assert_eq(a, b, "seed %" PRIu64 " state %u item %u viewer %u: plain %d, %s %d",
                     seed, state, i, v, a, mode, b);
        if (a)
            cr_assert(grant_eq(ps_engine_grant(plain, v), ps_engine_grant(e, v)),
                      "seed %" PRIu64 " state %u item %u viewer %u: grants differ (%s)", seed,
                      state, i, v, mode);
        cr_assert_eq(ps_engine_intended(plain, i, v), ps_engine_intended(e, i, v),
                     "seed %" PRIu64 " state %u item %u viewer %u: intent differs (%s)", seed,
                     state, i, v, mode);
    }
}

static int count_one(void *arg, uint32_t viewer)
{
    (void)viewer;
    (*(uint32_t *)arg)++;
    return 0;
}

/* Every mode against the plain engine, item by item and state by state. */
static void modes_agree(const ps_model *m, uint64_t seed)
{
    static const struct { bool lazy; int dense; const char *name; } modes[] = {
        { false, -1, "fof class" }, { true, -1, "both classes" }, { false, 1, "dense rows" },
        { true, 1, "class and dense rows" }, { true, 0, "chosen by size" },
    };
    for (size_t k = 0; k < sizeof modes / sizeof modes[0]; k++) {
        ps_engine *plain = ps_engine_new(m), *e = ps_engine_new(m);
        cr_assert(plain && e);
        ps_engine__set_dense(plain, -2);
        ps_engine_set_lazy(e, modes[k].lazy);
        ps_engine__set_dense(e, modes[k].dense);
        for (uint32_t state = 0;; state++) {
            for (uint32_t i = 0; i < m->nitems; i++) {
                same_eval(plain, e, m, i, seed, state, modes[k].name);
                /* the exposure scan: as many unintended viewers as the plain audience has */
                uint32_t n = 0, want = 0, got = 0;
                cr_assert_eq(ps_engine_eval(plain, i), 0);
                const uint32_t *aud = ps_engine_audience(plain, &n);
                for (uint32_t j = 0; j < n; j++)
                    want += !ps_engine_intended(plain, i, aud[j]);
                cr_assert_eq(ps_engine_eval(e, i), 0);
                cr_assert_eq(ps_engine__each_unintended(e, count_one, &got), 0);
                cr_assert_eq(got, want, "seed %" PRIu64 " state %u item %u: %u unintended "
                             "viewers, plain %u (%s)", seed, state, i, got, want,
                             modes[k].name);
            }
            int a = ps_engine_step(plain, NULL), b = ps_engine_step(e, NULL);
            cr_assert_eq(a, b);
            if (a <= 0)
                break;
        }
        ps_engine_free(plain);
        ps_engine_free(e);
    }
}

static void same_report(const ps_report *a, const ps_report *b, uint64_t seed, const char *what)
{
    cr_assert_eq(a->nexposures, b->nexposures, "seed %" PRIu64 ": %s: %u exposures, not %u",
                 seed, what, b->nexposures, a->nexposures);
    cr_assert_eq(a->nfixes, b->nfixes, "seed %" PRIu64 ": %s: fixes", seed, what);
    for (uint32_t i = 0; i < a->nexposures; i++) {
        const ps_exposure *x = &a->exposures[i], *y = &b->exposures[i];
        cr_assert(x->item == y->item && x->viewer == y->viewer && x->severity == y->severity &&
                      x->first_step == y->first_step && x->at_end == y->at_end &&
                      x->nfixes == y->nfixes && x->path.nlinks == y->path.nlinks,
                  "seed %" PRIu64 ": %s: exposure %u differs", seed, what, i);
        for (uint32_t l = 0; l < x->path.nlinks; l++)
            cr_assert(x->path.links[l].viewer == y->path.links[l].viewer &&
                          grant_eq(&x->path.links[l].grant, &y->path.links[l].grant),
                      "seed %" PRIu64 ": %s: exposure %u's path differs", seed, what, i);
    }
    for (uint32_t i = 0; i < a->nexpects; i++)
        cr_assert_eq(a->expects[i].held, b->expects[i].held, "seed %" PRIu64 ": %s: expectation %u: %d %d n %u %u", seed, what, i, a->expects[i].held, b->expects[i].held, a->nexpects, b->nexpects);
}

/* ps_check() in every mode and with several threads gives the plain report. */
static void reports_agree(const ps_model *m, uint64_t seed, bool fixes)
{
    ps_check_opts plain = { .fixes = fixes, .threads = 1, .dense_rows = -2 };
    ps_check_opts sparse = { .fixes = fixes, .threads = 1, .dense_rows = -1 };
    ps_check_opts dense = { .fixes = fixes, .threads = 1, .dense_rows = 1 };
    ps_check_opts many = { .fixes = fixes, .threads = 3, .dense_rows = 1 };
    ps_check_opts chosen = { .fixes = fixes, .threads = 2 };
    ps_report *r0 = NULL, *r1 = NULL, *r2 = NULL, *r3 = NULL, *r4 = NULL;
    cr_assert_eq(ps_check(m, &plain, &r0), 0);
    cr_assert_eq(ps_check(m, &sparse, &r4), 0);
    same_report(r0, r4, seed, "fof class from the adjacency");
    ps_report_free(r4);
    cr_assert_eq(ps_check(m, &dense, &r1), 0);
    cr_assert_eq(ps_check(m, &many, &r2), 0);
    cr_assert_eq(ps_check(m, &chosen, &r3), 0);
    same_report(r0, r1, seed, "dense rows");
    same_report(r0, r2, seed, "dense rows, 3 threads");
    same_report(r0, r3, seed, "rows chosen by size, 2 threads");
    ps_report_free(r0);
    ps_report_free(r1);
    ps_report_free(r2);
    ps_report_free(r3);
}

Test(engine_modes, small_scenarios)
{
    uint32_t n = scenarios(200);
    for (uint32_t i = 0; i < n; i++) {
        uint64_t seed = 0x6d6f6465ull + i;
        ps_model *m = randscen_new(seed, NULL);
        cr_assert(m);
        modes_agree(m, seed);
        reports_agree(m, seed, true);
        cr_assert_eq(randscen_widen(m, PS_RESHARE_VISIBLE), 0);
        modes_agree(m, seed);
        reports_agree(m, seed, false);
        ps_model_free(m);
    }
}

Test(engine_modes, large_scenarios)
{
    /* enough people that a public audience is a real class and fof sets span many words,
     * with more items and steps than the small ones */
    randscen_opts o = randscen_defaults();
    o.min_users = 60;
    o.max_users = 200;
    o.max_items = 24;
    o.max_steps = 40;
    uint32_t n = scenarios(12);
    for (uint32_t i = 0; i < n; i++) {
        uint64_t seed = 0x4c41524745ull + i;
        ps_model *m = randscen_new(seed, &o);
        cr_assert(m);
        cr_assert_eq(randscen_widen(m, i % 2 ? PS_RESHARE_VISIBLE : PS_RESHARE_PUBLIC_ONLY), 0);
        modes_agree(m, seed);
        reports_agree(m, seed, i % 4 == 0);
        ps_model_free(m);
    }
}
