/* test_fix_replay.c - the shared, incremental fix verification (sim/fix_replay.c) keeps
 * exactly the fixes that a full replay per candidate keeps.
 *
 * For random scenarios with timelines (tests/randscen.c, as written and with the rules that
 * interact most turned on), every exposure's candidates are proposed again and each one is
 * verified the slow way: applied to a copy of the model and the whole timeline replayed
 * (ps_fix__cumulative).  The fixes ps_check() reports for the exposure must be exactly the
 * candidates that leave its viewer out of every state.  PRIVSIM_PROPS_N sets the number of
 * scenarios (default 300; 60 under the sanitizers).
 */
#include "bitset.h"
#include "engine.h"
#include "fix_budget.h"
#include "fix_int.h"
#include "parse.h"
#include "randscen.h"
#include "report_out.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__SANITIZE_ADDRESS__)
#define REPLAY_N_DEFAULT 60
#else
#define REPLAY_N_DEFAULT 300
#endif

static uint32_t replay_n(void)
{
    const char *s = getenv("PRIVSIM_PROPS_N");
    long n = s ? strtol(s, NULL, 10) : REPLAY_N_DEFAULT;
    return n > 0 ? (uint32_t)n : REPLAY_N_DEFAULT;
}

/* Whether fix `f` is among the fixes the report lists for exposure `x`. */
static bool reported(const ps_report *r, const ps_exposure *x, const ps_fix *f)
{
    for (uint32_t i = x->fix_first; i < x->fix_first + x->nfixes; i++)
        if (ps_fix__same(&r->fixes[i], f))
            return true;
    return false;
}

/* Compares the report's fixes of every exposure with the slow verification.  Returns the
 * number of differences (printed). */
static unsigned compare(const ps_model *m, const ps_report *r, uint64_t seed, const char *how)
{
    unsigned bad = 0;
    uint32_t nv = ps_nviewers(m);
    uint64_t *bits = ps_bits_new(nv);
    cr_assert(bits != NULL);
    for (uint32_t i = 0; i < r->nexposures; i++) {
        const ps_exposure *x = &r->exposures[i];
        uint32_t same_item = 0;
        for (uint32_t k = 0; k < r->nexposures; k++)
            same_item += r->exposures[k].item == x->item;
        fix_list l = {0};
        cr_assert(ps_fix__candidates(m, &x->path, same_item, &l) == 0);
        uint32_t kept = 0;
        for (uint32_t k = 0; k < l.n; k++) {
            ps_model *c = ps_model_clone(m);
            cr_assert(c != NULL);
            cr_assert(ps_fix_apply(c, &l.v[k]) == 0);
            cr_assert(ps_fix__cumulative(c, x->item, bits) == 0);
            ps_model_free(c);
            bool cuts = !ps_bits_get(bits, x->viewer);
            kept += cuts;
            if (cuts != reported(r, x, &l.v[k])) {
                char text[256];
                if (bad++ < 3)
                    fprintf(stderr, "fix_replay: seed %llu (%s): fix \"%s\" of %s seeing item %u "
                            "%s by a full replay but %s by ps_check\n",
                            (unsigned long long)seed, how, ps_fix_text(m, &l.v[k], text, sizeof text),
                            x->viewer < m->nusers ? m->users[x->viewer].name : "a viewer",
                            (unsigned)x->item, cuts ? "cuts it" : "does not cut it",
                            cuts ? "not kept" : "kept");
            }
        }
        if (kept != x->nfixes && bad++ < 3)
            fprintf(stderr, "fix_replay: seed %llu (%s): %u fixes kept by full replays, %u "
                    "reported\n", (unsigned long long)seed, how, kept, (unsigned)x->nfixes);
        ps_fix_list_free(&l);
    }
    free(bits);
    return bad;
}

Test(fix_replay, keeps_what_full_replays_keep)
{
    randscen_opts o = randscen_defaults();
    o.focused_pct = 70; /* long timelines about one or two items */
    uint32_t n = replay_n();
    unsigned failed = 0;
    uint64_t first = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t seed = 0x5eed0000u + i;
        for (int widen = 0; widen < 2; widen++) {
            ps_model *m = randscen_new(seed, &o);
            cr_assert(m != NULL);
            if (widen)
                cr_assert(randscen_widen(m, PS_RESHARE_VISIBLE) == 0);
            ps_check_opts co = { .fixes = true, .threads = 1 };
            ps_report *r = NULL;
            cr_assert(ps_check(m, &co, &r) == 0);
            unsigned bad = compare(m, r, seed, widen ? "widened" : "as generated");
            if (bad && !failed++)
                first = seed;
            ps_report_free(r);
            ps_model_free(m);
        }
    }
    cr_assert(failed == 0, "%u scenarios differ; first seed %llu", failed,
              (unsigned long long)first);
}

/* A chain of 40 reshares: both incremental starts (not sharing: from the share; a hide:
 * from when the hidden user first sees the post) against full replays, and the fixes a
 * reader expects for the last viewer. */
Test(fix_replay, reshare_chain)
{
    enum { N = 40 };
    char text[64 * 3 * N];
    size_t len = 0;
    len += (size_t)snprintf(text + len, sizeof text - len, "platform facebook-2010\n");
    for (int k = 0; k < N; k++)
        len += (size_t)snprintf(text + len, sizeof text - len, "user c%d\n", k);
    for (int k = 0; k + 1 < N; k++)
        len += (size_t)snprintf(text + len, sizeof text - len, "friends c%d c%d\n", k, k + 1);
    len += (size_t)snprintf(text + len, sizeof text - len,
                            "post p by=c0 audience=friends \"hello\"\n");
    for (int k = 1; k < N; k++)
        len += (size_t)snprintf(text + len, sizeof text - len,
                                "do c%d share p audience=friends\n", k);
    cr_assert(len < sizeof text);
    ps_diag d;
    ps_diag_init(&d);
    ps_model *m = NULL;
    cr_assert(ps_parse_buffer("chain.psim", text, len, &m, &d) == 0 && m);
    ps_diag_free(&d);
    ps_check_opts co = { .fixes = true, .threads = 1 };
    ps_report *r = NULL;
    cr_assert(ps_check(m, &co, &r) == 0);
    cr_assert(r->nexposures == N - 2, "%u exposures", (unsigned)r->nexposures);
    cr_assert(compare(m, r, 0, "chain") == 0);
    /* c39 sees p through the last 16 links: each of c23..c38 can stop sharing */
    const ps_exposure *last = NULL;
    for (uint32_t i = 0; i < r->nexposures; i++)
        if (strcmp(m->users[r->exposures[i].viewer].name, "c39") == 0)
            last = &r->exposures[i];
    cr_assert(last != NULL);
    unsigned unshares = 0;
    for (uint32_t i = last->fix_first; i < last->fix_first + last->nfixes; i++)
        unshares += r->fixes[i].kind == PS_FIX_UNSHARE;
    cr_assert(unshares == 15, "%u unshare fixes for c39", unshares);
    ps_report_free(r);
    ps_model_free(m);
}

/* A spent budget: no candidate is verified, none is reported, and every output says so
 * instead of claiming that no change cuts the exposure. */
Test(fix_replay, spent_budget_is_marked)
{
    ps_diag d;
    ps_diag_init(&d);
    ps_model *m = NULL;
    cr_assert(ps_parse_file("corpus/examples/al-the-accountant.psim", &m, &d) == 0 && m);
    ps_diag_free(&d);
    ps_fix_budget_set(1e-9);
    struct timespec pause = { 0, 1000000 };
    nanosleep(&pause, NULL);
    ps_check_opts co = { .fixes = true, .threads = 1 };
    ps_report *r = NULL;
    cr_assert(ps_check(m, &co, &r) == 0);
    cr_assert(r->nexposures > 0);
    for (uint32_t i = 0; i < r->nexposures; i++) {
        cr_assert(ps_fix_unverified(m, r->exposures[i].item));
        cr_assert(r->exposures[i].nfixes == 0);
    }
    char *text = NULL, *json = NULL;
    size_t tlen, jlen;
    FILE *f = open_memstream(&text, &tlen);
    ps_report_print_text(f, m, r, 12);
    fclose(f);
    f = open_memstream(&json, &jlen);
    ps_report_print_json(f, m, r);
    fclose(f);
    cr_assert(strstr(text, "not verified: budget") != NULL);
    cr_assert(strstr(text, "no single change cuts it") == NULL);
    cr_assert(strstr(json, "\"fixes-not-verified\":\"budget\"") != NULL);
    free(text);
    free(json);
    ps_report_free(r);
    /* without a budget, the same check verifies its fixes and marks nothing */
    ps_fix_budget_set(0);
    cr_assert(ps_check(m, &co, &r) == 0);
    uint32_t with_fixes = 0;
    for (uint32_t i = 0; i < r->nexposures; i++) {
        cr_assert(!ps_fix_unverified(m, r->exposures[i].item));
        with_fixes += r->exposures[i].nfixes > 0;
    }
    cr_assert(with_fixes > 0);
    ps_report_free(r);
    ps_model_free(m);
}
