/* test_props.c - property tests of the engine over random scenarios.
 *
 * Each test builds PRIVSIM_PROPS_N random models (default 1000; 100 in a sanitizer build)
 * with tests/randscen.c and checks one property on each, against the plain evaluator of
 * tests/refeval.c where the property is about what the README's semantics says:
 *   engine_matches_reference  in every state, every item's audience and intended audience and
 *                             every refused step; the end audience after ps_engine_run();
 *                             ps_sees() at the end and cumulatively; ps_check()'s exposures
 *                             (item, viewer, severity, first step, still at the end), refused
 *                             steps and expectations: all equal the reference's.  Each model
 *                             is checked as generated and again with the rules that interact
 *                             most turned on (randscen_widen), once per reshare value;
 *   owner_always_sees         the owner is in the audience of each item in every state,
 *                             by derivation `owner`;
 *   hide_never_removes_owner  the same with hide sets that match the owner in every way;
 *   befriending_never_shrinks adding one friendship never takes anyone out of a friends or
 *                             fof audience, in any state (precondition below);
 *   fixes_cut_exposures       every fix that ps_check() proposes, applied to a copy with
 *                             ps_fix_apply(), leaves the viewer outside the item's audience in
 *                             every state (checked by the reference and by the engine);
 *   check_is_deterministic    ps_check() gives identical reports on every run, whatever the
 *                             number of threads;
 *   generated_scenarios_are_valid  every generated model, printed, parses back to itself;
 *   linkage_matches_reference  with persons added (randscen_add_persons), every linkage of
 *                             ps_linkage_check() (pair, viewer, severity, evidence kinds,
 *                             first step) equals the reference's ref_linkages(), as generated
 *                             and widened;
 *   linkage_fixes_in_place_match_copies  the linkage report with its fixes and smallest sets,
 *                             each change tried in place and put back, equals the report
 *                             with each change tried on a copy of the scenario.
 *
 * On a failure the test prints the seed, the first difference and the scenario as a .psim
 * file; PRIVSIM_PROPS_SEED=<seed> PRIVSIM_PROPS_N=1 runs just that scenario.
 */
#include "engine.h"
#include "linkage.h"
#include "parse.h"
#include "print.h"
#include "randscen.h"
#include "refeval.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------
 * Running many scenarios and reporting failures
 * ------------------------------------------------------------------------------------- */

enum { PROPS_DUMPS = 3 };  /* scenarios printed in full per test */

typedef struct {
    const char *name;      /* test name, for messages */
    uint64_t seed;         /* current scenario */
    const ps_model *m;     /* current scenario's model */
    const char *variant;   /* how the model was changed from the seed's, or NULL */
    bool bad;              /* the current scenario failed */
    uint32_t nbad;         /* failed scenarios */
    uint64_t first_seed;   /* first failed seed */
} props;

static props *current;     /* the running test's state, for MUST */

/* Prints a failing scenario as a file that `privsim check` reads. */
static void dump(const ps_model *m, uint64_t seed)
{
    fprintf(stderr, "---- scenario (seed %" PRIu64 ") ----\n", seed);
    if (ps_print_scenario(stderr, m) != 0)
        randscen_dump(stderr, m);
    fprintf(stderr, "----\n");
}

/* A call that must succeed (memory, builders, the engine's and the reference's API): when it
 * does not, the test stops with the seed and the scenario.  Unlike cr_assert, a passing check
 * costs nothing (a passing cr_assert is a message to the runner, and these run millions of
 * times). */
#define MUST(cond)                                                                         \
    do {                                                                                   \
        if (!(cond))                                                                       \
            must_failed(__FILE__, __LINE__, #cond);                                        \
    } while (0)

static void must_failed(const char *file, int line, const char *what)
{
    uint64_t seed = current ? current->seed : 0;
    if (current && current->m) {
        fprintf(stderr, "props/%s: seed %" PRIu64 ": %s:%d: %s failed\n", current->name, seed,
                file, line, what);
        dump(current->m, seed);
    }
    cr_fatal("%s:%d: %s failed (seed %" PRIu64 ")", file, line, what, seed);
}

/* Scenarios per test: 1000, or 100 in a sanitizer build, where every allocation records a
 * stack (ASAN_OPTIONS=fast_unwind_on_malloc=0 in `make check`) and a scenario costs about a
 * hundred times more; PRIVSIM_PROPS_N overrides both. */
#define PROPS_N_DEFAULT 1000
#if defined(__SANITIZE_ADDRESS__)
#undef PROPS_N_DEFAULT
#define PROPS_N_DEFAULT 100
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#undef PROPS_N_DEFAULT
#define PROPS_N_DEFAULT 100
#endif
#endif

static uint32_t props_n(void)
{
    const char *s = getenv("PRIVSIM_PROPS_N");
    long n = s ? strtol(s, NULL, 10) : PROPS_N_DEFAULT;
    return n > 0 ? (uint32_t)n : PROPS_N_DEFAULT;
}

/* The seed of scenario i of test number `salt`: distinct scenarios per test, unless
 * PRIVSIM_PROPS_SEED fixes the first one. */
static uint64_t props_seed(unsigned salt, uint32_t i)
{
    const char *s = getenv("PRIVSIM_PROPS_SEED");
    if (s)
        return strtoull(s, NULL, 0) + i;
    return ((uint64_t)salt << 32) + 1 + i;
}

/* Starts scenario i of a test: its seed, and a new model from it. */
static ps_model *props_begin(props *p, unsigned salt, uint32_t i, const randscen_opts *o)
{
    current = p;
    p->seed = props_seed(salt, i);
    p->bad = false;
    p->variant = NULL;
    p->m = NULL;
    ps_model *m = randscen_new(p->seed, o);
    MUST(m != NULL);
    p->m = m;
    return m;
}

/* Records a failure of the current scenario: the first one of a scenario is printed, with
 * the scenario itself for the first few failing scenarios. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void fail(props *p, const char *fmt, ...)
{
    if (p->bad)
        return;
    p->bad = true;
    if (!p->nbad++)
        p->first_seed = p->seed;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "props/%s: seed %" PRIu64 "%s%s: ", p->name, p->seed,
            p->variant ? ", " : "", p->variant ? p->variant : "");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    if (p->nbad <= PROPS_DUMPS)
        dump(p->m, p->seed);
}

static void props_done(props *p, uint32_t n)
{
    current = NULL;
    p->m = NULL;
    cr_assert(eq(u32, p->nbad, 0),
              "%u of %u scenarios failed; first: PRIVSIM_PROPS_SEED=%" PRIu64
              " PRIVSIM_PROPS_N=1 ./build/tests/run --filter 'props/%s'",
              p->nbad, n, p->first_seed, p->name);
}

static const char *viewer_name(const ps_model *m, uint32_t v, char *buf, size_t cap)
{
    if (v < m->nusers)
        snprintf(buf, cap, "%s", m->users[v].name);
    else if (v == m->nusers)
        snprintf(buf, cap, "internet");
    else if (v - m->nusers - 1 < m->napps)
        snprintf(buf, cap, "app:%s", m->apps[v - m->nusers - 1].name);
    else
        snprintf(buf, cap, "viewer#%u", (unsigned)v);
    return buf;
}

#define VNAME(m, v) viewer_name((m), (v), (char[64]){0}, 64)
#define INAME(m, i) ((m)->items[(i)].name)

static const char *const sev_names[] = { "beyond-intent", "external", "forbidden" };

static const char *sev_name(unsigned s)
{
    return s < 3 ? sev_names[s] : "?";
}

/* The engine's severity for a reference severity. */
static unsigned sev_of_ref(ref_severity s)
{
    switch (s) {
    case REF_SEV_FORBIDDEN: return PS_SEV_FORBIDDEN;
    case REF_SEV_EXTERNAL: return PS_SEV_EXTERNAL;
    default: return PS_SEV_BEYOND_INTENT;
    }
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    MUST(p != NULL);
    return p;
}

/* ---------------------------------------------------------------------------------------
 * (1) the engine equals the reference
 * ------------------------------------------------------------------------------------- */

/* Compares ps_check()'s exposures, refused steps and expectations with the reference. */
static void compare_report(props *p, ps_model *m, const bool *end_aud /* [item][viewer] */,
                           const bool *ref_refused_steps)
{
    ps_check_opts opts = { .fixes = false, .max_fixes_items = 0, .threads = 1 };
    ps_report *rep = NULL;
    MUST(ps_check(m, &opts, &rep) == 0);
    ref_exposure *ex = NULL;
    uint32_t nex = 0;
    MUST(ref_exposures(m, &ex, &nex) == 0);

    uint32_t nv = ps_nviewers(m);
    /* index both lists by (item, viewer) */
    uint32_t *eng = xcalloc((size_t)m->nitems * nv, sizeof *eng);
    uint32_t *ref = xcalloc((size_t)m->nitems * nv, sizeof *ref);
    for (uint32_t i = 0; i < rep->nexposures; i++) {
        const ps_exposure *e = &rep->exposures[i];
        if (e->item >= m->nitems || e->viewer >= nv) {
            fail(p, "ps_check: exposure %u names item %u viewer %u out of range", i,
                 (unsigned)e->item, (unsigned)e->viewer);
            goto done;
        }
        if (eng[(size_t)e->item * nv + e->viewer]) {
            fail(p, "ps_check: exposure of %s to %s reported twice", INAME(m, e->item),
                 VNAME(m, e->viewer));
            goto done;
        }
        eng[(size_t)e->item * nv + e->viewer] = i + 1;
    }
    for (uint32_t i = 0; i < nex; i++)
        ref[(size_t)ex[i].item * nv + ex[i].viewer] = i + 1;
    for (uint32_t it = 0; it < m->nitems; it++)
        for (uint32_t v = 0; v < nv; v++) {
            uint32_t a = eng[(size_t)it * nv + v], b = ref[(size_t)it * nv + v];
            if (!a && !b)
                continue;
            if (!a) {
                const ref_exposure *r = &ex[b - 1];
                fail(p, "exposure of %s to %s (%s, first at state %u%s) missing from "
                        "ps_check", INAME(m, it), VNAME(m, v), sev_name(sev_of_ref(r->severity)),
                     (unsigned)r->first_step, r->at_end ? ", at end" : "");
                continue;
            }
            const ps_exposure *e = &rep->exposures[a - 1];
            if (!b) {
                fail(p, "ps_check reports an exposure of %s to %s (%s, first at state %u%s) "
                        "that the reference does not", INAME(m, it), VNAME(m, v),
                     sev_name(e->severity), (unsigned)e->first_step, e->at_end ? ", at end" : "");
                continue;
            }
            const ref_exposure *r = &ex[b - 1];
            if (e->severity != sev_of_ref(r->severity) || e->first_step != r->first_step ||
                e->at_end != r->at_end)
                fail(p, "exposure of %s to %s: engine %s, first at state %u, at end %d; "
                        "reference %s, first at state %u, at end %d", INAME(m, it), VNAME(m, v),
                     sev_name(e->severity), (unsigned)e->first_step, e->at_end,
                     sev_name(sev_of_ref(r->severity)), (unsigned)r->first_step, r->at_end);
        }
    /* the documented order: severity desc, item, viewer */
    for (uint32_t i = 1; i < rep->nexposures; i++) {
        const ps_exposure *a = &rep->exposures[i - 1], *b = &rep->exposures[i];
        bool ordered = a->severity != b->severity ? a->severity > b->severity
                     : a->item != b->item ? a->item < b->item : a->viewer < b->viewer;
        if (!ordered)
            fail(p, "ps_check: exposures %u and %u out of order", i - 1, i);
    }
    /* refused steps */
    uint32_t nref = 0;
    for (uint32_t k = 0; k < m->nsteps; k++)
        nref += ref_refused_steps[k];
    if (rep->nrefused != nref) {
        fail(p, "ps_check: %u refused steps, reference %u", (unsigned)rep->nrefused,
             (unsigned)nref);
    } else {
        for (uint32_t i = 0; i < rep->nrefused; i++)
            if (rep->refused[i] >= m->nsteps || !ref_refused_steps[rep->refused[i]])
                fail(p, "ps_check: step index %u reported refused; the reference refuses "
                        "other steps", (unsigned)rep->refused[i]);
    }
    if (rep->nsteps != m->nsteps)
        fail(p, "ps_check: nsteps %u, model %u", (unsigned)rep->nsteps, (unsigned)m->nsteps);
    /* expectations */
    if (rep->nexpects != m->nexpects)
        fail(p, "ps_check: %u expectation results for %u expectations",
             (unsigned)rep->nexpects, (unsigned)m->nexpects);
    for (uint32_t i = 0; i < rep->nexpects && i < m->nexpects; i++) {
        const ps_expect_result *er = &rep->expects[i];
        if (er->expect >= m->nexpects) {
            fail(p, "ps_check: expectation index %u out of range", (unsigned)er->expect);
            continue;
        }
        const ps_expect *x = &m->expects[er->expect];
        uint32_t v = x->viewer_kind == PS_VIEWER_USER ? x->viewer
                   : x->viewer_kind == PS_VIEWER_INTERNET ? ps_viewer_internet(m)
                   : ps_viewer_app(m, x->viewer);
        bool held = end_aud[(size_t)x->item * nv + v] == x->can_see;
        if (er->held != held)
            fail(p, "expect %s %s %s: engine %s, reference %s", VNAME(m, v),
                 x->can_see ? "can-see" : "cannot-see", INAME(m, x->item),
                 er->held ? "holds" : "fails", held ? "holds" : "fails");
    }
done:
    free(eng);
    free(ref);
    free(ex);
    ps_report_free(rep);
}

static void engine_matches_reference(props *p, ps_model *m)
{
    uint32_t nv = ps_nviewers(m), ni = m->nitems;
    MUST(nv == ref_nviewers(m));
    ps_engine *e = ps_engine_new(m);
    ref_run *r = ref_run_new(m);
    MUST(e != NULL && r != NULL);
    bool *aud = xcalloc(nv, sizeof *aud), *intended = xcalloc(nv, sizeof *intended);
    bool *cum = xcalloc((size_t)ni * nv, sizeof *cum), *end = xcalloc((size_t)ni * nv, 1);
    bool *refused = xcalloc(m->nsteps, sizeof *refused);

    for (uint32_t k = 0; k <= m->nsteps && !p->bad; k++) {
        if (k > 0) {
            bool eng_refused = false;
            int rc = ps_engine_step(e, &eng_refused);
            MUST(ref_run_step(r) == 1);
            refused[k - 1] = ref_run_refused(r, k - 1);
            if (rc != 1) {
                fail(p, "ps_engine_step returned %d at step %u", rc, (unsigned)k);
                break;
            }
            if (eng_refused != refused[k - 1])
                fail(p, "step %u (%s): engine %s, reference %s", (unsigned)k,
                     ps_step_kind_name((ps_step_kind)m->steps[k - 1].kind),
                     eng_refused ? "refused" : "took it", refused[k - 1] ? "refused" : "took it");
        }
        if (ps_engine_position(e) != k)
            fail(p, "ps_engine_position %u at state %u", (unsigned)ps_engine_position(e),
                 (unsigned)k);
        for (uint32_t it = 0; it < ni; it++) {
            MUST(ps_engine_eval(e, it) == 0);
            MUST(ref_run_audience(r, it, aud) == 0);
            MUST(ref_run_intended(r, it, intended) == 0);
            uint32_t n = 0;
            const uint32_t *list = ps_engine_audience(e, &n);
            uint32_t seen = 0;
            for (uint32_t v = 0; v < nv; v++) {
                bool sees = ps_engine_sees(e, v);
                if (sees != aud[v])
                    fail(p, "state %u: %s %s %s (engine), reference says %s", (unsigned)k,
                         VNAME(m, v), sees ? "sees" : "does not see", INAME(m, it),
                         aud[v] ? "sees" : "does not see");
                if (sees && (seen >= n || list[seen++] != v))
                    fail(p, "state %u item %s: ps_engine_audience disagrees with "
                            "ps_engine_sees at %s", (unsigned)k, INAME(m, it), VNAME(m, v));
                bool in = ps_engine_intended(e, it, v);
                if (in != intended[v])
                    fail(p, "state %u: %s %s the intended audience of %s (engine), reference "
                            "says %s", (unsigned)k, VNAME(m, v), in ? "is in" : "is not in",
                         INAME(m, it), intended[v] ? "is in" : "is not in");
                cum[(size_t)it * nv + v] |= aud[v];
                if (k == m->nsteps)
                    end[(size_t)it * nv + v] = aud[v];
            }
            if (seen != n)
                fail(p, "state %u item %s: ps_engine_audience lists %u viewers, %u see it",
                     (unsigned)k, INAME(m, it), (unsigned)n, (unsigned)seen);
        }
    }
    if (!p->bad && ps_engine_step(e, NULL) != 0)
        fail(p, "ps_engine_step goes past the end of the timeline");

    /* a new engine run to the end in one call sees the same */
    ps_engine *run = ps_engine_new(m);
    MUST(run != NULL);
    MUST(ps_engine_run(run) == 0);
    if (ps_engine_position(run) != m->nsteps)
        fail(p, "ps_engine_run stops at step %u of %u", (unsigned)ps_engine_position(run),
             (unsigned)m->nsteps);
    for (uint32_t it = 0; it < ni && !p->bad; it++) {
        MUST(ps_engine_eval(run, it) == 0);
        for (uint32_t v = 0; v < nv; v++)
            if (ps_engine_sees(run, v) != end[(size_t)it * nv + v])
                fail(p, "after ps_engine_run, %s %s %s; the reference says the opposite",
                     VNAME(m, v), ps_engine_sees(run, v) ? "sees" : "does not see",
                     INAME(m, it));
    }
    ps_engine_free(run);

    /* ps_sees, end of timeline and cumulative: one item per scenario (each call replays the
     * whole timeline on a new engine) */
    for (uint32_t it = (uint32_t)(p->seed % ni); it < ni && !p->bad; it += ni)
        for (uint32_t v = 0; v < nv; v++) {
            int at_end = ps_sees(m, it, v, false), any = ps_sees(m, it, v, true);
            if (at_end != end[(size_t)it * nv + v])
                fail(p, "ps_sees(%s, %s, end) = %d, reference %d", INAME(m, it), VNAME(m, v),
                     at_end, end[(size_t)it * nv + v]);
            if (any != cum[(size_t)it * nv + v])
                fail(p, "ps_sees(%s, %s, cumulative) = %d, reference %d", INAME(m, it),
                     VNAME(m, v), any, cum[(size_t)it * nv + v]);
        }
    if (!p->bad)
        compare_report(p, m, end, refused);

    ps_engine_free(e);
    ref_run_free(r);
    free(aud);
    free(intended);
    free(cum);
    free(end);
    free(refused);
}

Test(props, engine_matches_reference)
{
    props p = { .name = "engine_matches_reference" };
    uint32_t n = props_n();
    for (uint32_t i = 0; i < n; i++) {
        ps_model *m = props_begin(&p, 1, i, NULL);
        engine_matches_reference(&p, m);
        /* and again with the rules that interact the most turned on, for each kind of
         * reshare that lets shares through */
        if (!p.bad) {
            MUST(randscen_widen(m, PS_RESHARE_VISIBLE) == 0);
            p.variant = "randscen_widen(m, PS_RESHARE_VISIBLE)";
            engine_matches_reference(&p, m);
        }
        if (!p.bad) {
            MUST(randscen_widen(m, PS_RESHARE_PUBLIC_ONLY) == 0);
            p.variant = "randscen_widen(m, PS_RESHARE_PUBLIC_ONLY)";
            engine_matches_reference(&p, m);
        }
        ps_model_free(m);
    }
    props_done(&p, n);
}

/* ---------------------------------------------------------------------------------------
 * (2, 3) the owner always sees the item; hide never removes the owner
 * ------------------------------------------------------------------------------------- */

static void owner_sees_everywhere(props *p, ps_model *m)
{
    ps_engine *e = ps_engine_new(m);
    ref_run *r = ref_run_new(m);
    MUST(e != NULL && r != NULL);
    bool *aud = xcalloc(ps_nviewers(m), sizeof *aud);
    for (uint32_t k = 0; k <= m->nsteps; k++) {
        if (k > 0) {
            MUST(ps_engine_step(e, NULL) == 1);
            MUST(ref_run_step(r) == 1);
        }
        for (uint32_t it = 0; it < m->nitems; it++) {
            uint32_t owner = m->items[it].owner;
            MUST(ps_engine_eval(e, it) == 0);
            MUST(ref_run_audience(r, it, aud) == 0);
            if (!aud[owner])
                fail(p, "state %u: the reference says the owner %s does not see %s",
                     (unsigned)k, VNAME(m, owner), INAME(m, it));
            if (!ps_engine_sees(e, owner)) {
                fail(p, "state %u: the engine says the owner %s does not see %s", (unsigned)k,
                     VNAME(m, owner), INAME(m, it));
                continue;
            }
            const ps_grant *g = ps_engine_grant(e, owner);
            if (!g || g->via != PS_VIA_OWNER || g->depth != 0)
                fail(p, "state %u: the owner %s sees %s by %s at depth %u, not by `owner`",
                     (unsigned)k, VNAME(m, owner), INAME(m, it),
                     g ? ps_via_name((ps_via)g->via) : "(no grant)", g ? (unsigned)g->depth : 0);
        }
    }
    ps_engine_free(e);
    ref_run_free(r);
    free(aud);
}

Test(props, owner_always_sees)
{
    props p = { .name = "owner_always_sees" };
    uint32_t n = props_n();
    for (uint32_t i = 0; i < n; i++) {
        ps_model *m = props_begin(&p, 2, i, NULL);
        owner_sees_everywhere(&p, m);
        ps_model_free(m);
    }
    props_done(&p, n);
}

/* Adds to `hide` terms that all match the owner: only-me, user:OWNER, friends, fof, and
 * sometimes everyone and public. */
static void hide_owner(uint64_t *rs, ps_terms *hide, uint32_t owner)
{
    MUST(ps_terms_push(hide, PS_TERM_ONLY_ME, PS_NONE) == 0);
    MUST(ps_terms_push(hide, PS_TERM_USER, owner) == 0);
    MUST(ps_terms_push(hide, PS_TERM_FRIENDS, PS_NONE) == 0);
    MUST(ps_terms_push(hide, PS_TERM_FOF, PS_NONE) == 0);
    if (randscen_below(rs, 2))
        MUST(ps_terms_push(hide, PS_TERM_EVERYONE, PS_NONE) == 0);
    if (randscen_below(rs, 2))
        MUST(ps_terms_push(hide, PS_TERM_PUBLIC, PS_NONE) == 0);
}

Test(props, hide_never_removes_owner)
{
    props p = { .name = "hide_never_removes_owner" };
    uint32_t n = props_n();
    for (uint32_t i = 0; i < n; i++) {
        ps_model *m = props_begin(&p, 3, i, NULL);
        uint64_t rs = p.seed ^ 0x5eedu;
        /* every item outside a group hides its owner, as written and in later `set`s */
        for (uint32_t it = 0; it < m->nitems; it++) {
            ps_item *item = &m->items[it];
            if (item->group != PS_NONE)
                continue;
            if (!item->has_audience) {
                ps_audience a = ps_item_audience(m, item);
                MUST(ps_terms_copy(&item->audience.allow, &a.allow) == 0);
                item->has_audience = true;
            }
            hide_owner(&rs, &item->audience.hide, item->owner);
        }
        for (uint32_t k = 0; k < m->nsteps; k++)
            for (uint32_t s = 0; s < m->steps[k].nsettings; s++) {
                ps_setting *st = &m->steps[k].settings[s];
                if (st->kind == PS_SET_AUDIENCE)
                    hide_owner(&rs, &st->audience.hide, m->items[st->item].owner);
            }
        owner_sees_everywhere(&p, m);
        ps_model_free(m);
    }
    props_done(&p, n);
}

/* ---------------------------------------------------------------------------------------
 * (4) adding a friendship never shrinks a friends or fof audience
 *
 * Precondition: the scenario has no hide anywhere (items, `set` audiences, shares).  Then
 * every rule of the README's semantics only ever adds viewers as friendships grow: each term matches
 * more (friends, fof) or the same; tags reach more friends; commenters and sharers in the
 * audience stay in it and reach more; a share refused because its sharer could not see the
 * item may be taken, never the other way; friend lists show more friendships; apps read
 * through more installers; the reshare rule and broadness do not depend on friendships.
 * The extra friendship lasts until an `unfriend` step removes it, after which both
 * timelines have the same friendships.  A hide breaks this: `hide=friends` (of the owner,
 * or of a sharer) takes away more people when there are more friends.
 * ------------------------------------------------------------------------------------- */

/* True when every viewer of a is in b; else *missing is one that is not. */
static bool contained(const bool *a, const bool *b, uint32_t nv, uint32_t *missing)
{
    for (uint32_t v = 0; v < nv; v++)
        if (a[v] && !b[v]) {
            *missing = v;
            return false;
        }
    return true;
}

/* The audiences of `it` in every state of `m`: ref[k * nv + v] by the reference, eng[...] by
 * the engine. */
static void audiences(ps_model *m, uint32_t it, bool *ref, bool *eng)
{
    uint32_t nv = ps_nviewers(m);
    ps_engine *e = ps_engine_new(m);
    ref_run *r = ref_run_new(m);
    MUST(e && r);
    for (uint32_t k = 0; k <= m->nsteps; k++) {
        if (k > 0) {
            MUST(ps_engine_step(e, NULL) == 1);
            MUST(ref_run_step(r) == 1);
        }
        MUST(ref_run_audience(r, it, ref + (size_t)k * nv) == 0);
        MUST(ps_engine_eval(e, it) == 0);
        for (uint32_t v = 0; v < nv; v++)
            eng[(size_t)k * nv + v] = ps_engine_sees(e, v);
    }
    ps_engine_free(e);
    ref_run_free(r);
}

/* Compares, state by state, the audiences of `it` with and without a friendship a-b. */
static void befriending_check(props *p, ps_model *m, uint32_t it, const bool *ref1,
                              const bool *eng1, uint32_t a, uint32_t b)
{
    uint32_t nv = ps_nviewers(m), ns = m->nsteps + 1;
    bool *ref2 = xcalloc((size_t)ns * nv, 1), *eng2 = xcalloc((size_t)ns * nv, 1);
    MUST(ps_model_add_friendship(m, a, b) == 0);
    audiences(m, it, ref2, eng2);
    MUST(ps_model_remove_friendship(m, a, b));
    for (uint32_t k = 0; k < ns; k++) {
        uint32_t v;
        if (!contained(ref1 + (size_t)k * nv, ref2 + (size_t)k * nv, nv, &v))
            fail(p, "reference: befriending %s and %s takes %s out of the audience of %s "
                    "at state %u", VNAME(m, a), VNAME(m, b), VNAME(m, v), INAME(m, it),
                 (unsigned)k);
        if (!contained(eng1 + (size_t)k * nv, eng2 + (size_t)k * nv, nv, &v))
            fail(p, "engine: befriending %s and %s takes %s out of the audience of %s at "
                    "state %u", VNAME(m, a), VNAME(m, b), VNAME(m, v), INAME(m, it),
                 (unsigned)k);
    }
    free(ref2);
    free(eng2);
}

Test(props, befriending_never_shrinks)
{
    props p = { .name = "befriending_never_shrinks" };
    uint32_t n = props_n();
    randscen_opts o = randscen_defaults();
    o.no_hide = true;
    for (uint32_t i = 0; i < n; i++) {
        ps_model *m = props_begin(&p, 4, i, &o);
        uint64_t rs = p.seed ^ 0xf00du;
        /* one item outside a group gets exactly `friends` or `fof` */
        uint32_t cand[64], nc = 0;
        for (uint32_t j = 0; j < m->nitems && nc < 64; j++)
            if (m->items[j].group == PS_NONE)
                cand[nc++] = j;
        if (!nc) {
            ps_model_free(m);
            continue;
        }
        uint32_t it = cand[randscen_below(&rs, nc)];
        ps_item *item = &m->items[it];
        ps_audience_free(&item->audience);
        item->has_audience = true;
        MUST(ps_terms_push(&item->audience.allow,
                           randscen_below(&rs, 2) ? PS_TERM_FRIENDS : PS_TERM_FOF, PS_NONE) == 0);
        uint32_t nv = ps_nviewers(m), ns = m->nsteps + 1;
        bool *ref1 = xcalloc((size_t)ns * nv, 1), *eng1 = xcalloc((size_t)ns * nv, 1);
        audiences(m, it, ref1, eng1);
        /* friendships that do not exist at the start: one of the owner's, one other */
        for (uint32_t t = 0; t < 2 && !p.bad; t++) {
            uint32_t a = t == 0 ? item->owner : randscen_below(&rs, m->nusers);
            uint32_t b = randscen_below(&rs, m->nusers);
            if (a != b && !ps_model_are_friends(m, a, b))
                befriending_check(&p, m, it, ref1, eng1, a, b);
        }
        free(ref1);
        free(eng1);
        ps_model_free(m);
    }
    props_done(&p, n);
}

/* ---------------------------------------------------------------------------------------
 * (5) every proposed fix cuts its exposure
 * ------------------------------------------------------------------------------------- */

Test(props, fixes_cut_exposures)
{
    props p = { .name = "fixes_cut_exposures" };
    uint32_t n = props_n();
    ps_check_opts opts = { .fixes = true, .max_fixes_items = 0, .threads = 1 };
    for (uint32_t i = 0; i < n; i++) {
        ps_model *m = props_begin(&p, 5, i, NULL);
        ps_report *rep = NULL;
        MUST(ps_check(m, &opts, &rep) == 0);
        for (uint32_t x = 0; x < rep->nexposures; x++) {
            const ps_exposure *e = &rep->exposures[x];
            /* no single change may cut it (a public item read by its owner's own app):
             * an exposure without fixes is allowed; the fixes it has must work */
            if (e->fix_first > rep->nfixes || e->nfixes > rep->nfixes - e->fix_first) {
                fail(&p, "the exposure of %s to %s names fixes %u..%u of %u", INAME(m, e->item),
                     VNAME(m, e->viewer), (unsigned)e->fix_first,
                     (unsigned)(e->fix_first + e->nfixes), (unsigned)rep->nfixes);
                continue;
            }
            for (uint32_t f = e->fix_first; f < e->fix_first + e->nfixes; f++) {
                const ps_fix *fix = &rep->fixes[f];
                ps_model *c = ps_model_clone(m);
                MUST(c != NULL);
                MUST(ps_fix_apply(c, fix) == 0);
                bool *cum = xcalloc(ref_nviewers(c), 1);
                MUST(ref_cumulative(c, e->item, cum) == 0);
                int eng = ps_sees(c, e->item, e->viewer, true);
                if (cum[e->viewer] || eng != 0) {
                    char text[256];
                    ps_fix_text(m, fix, text, sizeof text);
                    fail(&p, "fix \"%s\" leaves %s seeing %s at some state (reference %d, "
                             "engine %d)", text, VNAME(m, e->viewer), INAME(m, e->item),
                         cum[e->viewer], eng);
                }
                free(cum);
                ps_model_free(c);
            }
        }
        ps_report_free(rep);
        ps_model_free(m);
    }
    props_done(&p, n);
}

/* ---------------------------------------------------------------------------------------
 * (6) the same report on every run
 * ------------------------------------------------------------------------------------- */

static bool grant_eq(const ps_grant *a, const ps_grant *b)
{
    return a->via == b->via && a->term == b->term && a->depth == b->depth &&
           a->through == b->through && a->ref == b->ref;
}

static bool path_eq(const ps_path *a, const ps_path *b)
{
    if (a->item != b->item || a->viewer != b->viewer || a->nlinks != b->nlinks ||
        a->nlinks > PS_PATH_MAX)
        return false;
    for (uint32_t i = 0; i < a->nlinks; i++)
        if (a->links[i].viewer != b->links[i].viewer ||
            !grant_eq(&a->links[i].grant, &b->links[i].grant))
            return false;
    return true;
}

static bool fix_eq(const ps_fix *a, const ps_fix *b)
{
    return a->kind == b->kind && a->user == b->user && a->item == b->item &&
           a->user2 == b->user2 && a->step == b->step && a->app == b->app && a->cat == b->cat &&
           a->rule == b->rule && a->rule_value == b->rule_value &&
           ps_terms_equal(&a->terms, &b->terms);
}

/* NULL when equal, else what differs. */
static const char *report_diff(const ps_report *a, const ps_report *b)
{
    if (a->nexposures != b->nexposures)
        return "number of exposures";
    if (a->nfixes != b->nfixes)
        return "number of fixes";
    if (a->nexpects != b->nexpects)
        return "number of expectation results";
    if (a->nsteps != b->nsteps)
        return "nsteps";
    if (a->nrefused != b->nrefused)
        return "number of refused steps";
    if (memcmp(a->counts, b->counts, sizeof a->counts) != 0)
        return "counts";
    for (uint32_t i = 0; i < a->nexposures; i++) {
        const ps_exposure *x = &a->exposures[i], *y = &b->exposures[i];
        if (x->item != y->item || x->viewer != y->viewer || x->severity != y->severity ||
            x->first_step != y->first_step || x->at_end != y->at_end)
            return "an exposure";
        if (!path_eq(&x->path, &y->path))
            return "an exposure's path";
        if (x->fix_first != y->fix_first || x->nfixes != y->nfixes ||
            x->platform_only != y->platform_only)
            return "an exposure's fixes";
    }
    for (uint32_t i = 0; i < a->nfixes; i++)
        if (!fix_eq(&a->fixes[i], &b->fixes[i]))
            return "a fix";
    for (uint32_t i = 0; i < a->nexpects; i++)
        if (a->expects[i].expect != b->expects[i].expect ||
            a->expects[i].held != b->expects[i].held)
            return "an expectation result";
    for (uint32_t i = 0; i < a->nrefused; i++)
        if (a->refused[i] != b->refused[i])
            return "a refused step";
    return NULL;
}

Test(props, check_is_deterministic)
{
    props p = { .name = "check_is_deterministic" };
    uint32_t n = props_n();
    ps_check_opts all = { .fixes = true, .max_fixes_items = 0, .threads = 0 };
    ps_check_opts one = { .fixes = true, .max_fixes_items = 0, .threads = 1 };
    for (uint32_t i = 0; i < n; i++) {
        ps_model *m = props_begin(&p, 6, i, NULL);
        ps_report *r1 = NULL, *r2 = NULL, *r3 = NULL;
        MUST(ps_check(m, &all, &r1) == 0);
        MUST(ps_check(m, &all, &r2) == 0);
        MUST(ps_check(m, &one, &r3) == 0);
        const char *d = report_diff(r1, r2);
        if (d)
            fail(&p, "two runs of ps_check differ in %s", d);
        d = report_diff(r1, r3);
        if (d)
            fail(&p, "ps_check with every core and with one thread differ in %s", d);
        ps_report_free(r1);
        ps_report_free(r2);
        ps_report_free(r3);
        ps_model_free(m);
    }
    props_done(&p, n);
}

/* ---------------------------------------------------------------------------------------
 * The generator itself: every scenario it builds is one a file can say
 * ------------------------------------------------------------------------------------- */

Test(props, generated_scenarios_are_valid)
{
    props p = { .name = "generated_scenarios_are_valid" };
    uint32_t n = props_n();
    for (uint32_t i = 0; i < n; i++) {
        ps_model *m = props_begin(&p, 7, i, NULL);
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        MUST(f != NULL);
        int rc = ps_print_scenario(f, m);
        MUST(fclose(f) == 0);
        MUST(rc == 0);
        ps_diag d;
        ps_diag_init(&d);
        ps_model *back = NULL;
        if (ps_parse_buffer("generated.psim", text, len, &back, &d) != 0) {
            fail(&p, "the printed scenario does not parse:");
            ps_diag_print(&d, stderr, false);
        } else {
            char why[256] = "";
            if (!ps_model_equal(m, back, why, sizeof why))
                fail(&p, "the printed scenario reads back as a different model: %s", why);
        }
        ps_model_free(back);
        ps_diag_free(&d);
        free(text);
        ps_model_free(m);
    }
    props_done(&p, n);
}

/* ---------------------------------------------------------------------------------------
 * Linkage against the reference
 * ------------------------------------------------------------------------------------- */

static void linkage_check_one(props *p, ps_model *m)
{
    ps_linkage_report *r;
    ps_linkage_opts o = { .fixes = false };
    MUST(ps_linkage_check(m, &o, &r) == 0);
    ref_linkage *ref;
    uint32_t nref;
    MUST(ref_linkages(m, &ref, &nref) == 0);
    char vb[256];
    bool *matched = calloc(nref + 1, 1);
    MUST(matched != NULL);
    for (uint32_t i = 0; i < r->n && !p->bad; i++) {
        const ps_linkage *l = &r->v[i];
        uint32_t kinds = 0;
        for (uint32_t k = 0; k < l->nev; k++)
            kinds |= 1u << r->ev[l->ev_first + k].kind;
        const ref_linkage *x = NULL;
        for (uint32_t j = 0; j < nref && !x; j++)
            if (ref[j].person == l->person && ref[j].a == l->a && ref[j].b == l->b &&
                ref[j].viewer == l->viewer) {
                x = &ref[j];
                matched[j] = true;
            }
        if (!x)
            fail(p, "engine: %s links %s and %s; the reference: no linkage",
                 viewer_name(m, l->viewer, vb, sizeof vb), m->users[l->a].name,
                 m->users[l->b].name);
        else if (x->kinds != kinds || sev_of_ref(x->severity) != l->severity ||
                 x->first_step != l->first_step)
            fail(p, "%s linking %s and %s: engine kinds 0x%x severity %s from step %u, "
                    "reference 0x%x %s from step %u",
                 viewer_name(m, l->viewer, vb, sizeof vb), m->users[l->a].name,
                 m->users[l->b].name, kinds, sev_name(l->severity), (unsigned)l->first_step,
                 x->kinds, sev_name(sev_of_ref(x->severity)), (unsigned)x->first_step);
    }
    for (uint32_t j = 0; j < nref && !p->bad; j++)
        if (!matched[j])
            fail(p, "reference: %s links %s and %s (kinds 0x%x); the engine: no linkage",
                 viewer_name(m, ref[j].viewer, vb, sizeof vb), m->users[ref[j].a].name,
                 m->users[ref[j].b].name, ref[j].kinds);
    if (p->bad)
        ps_print_scenario(stderr, m);
    free(matched);
    free(ref);
    ps_linkage_report_free(r);
}

Test(props, linkage_matches_reference)
{
    props p = { .name = "linkage_matches_reference" };
    uint32_t n = props_n();
    uint64_t kinds_seen = 0, later = 0;
    for (uint32_t i = 0; i < n; i++) {
        ps_model *m = props_begin(&p, 11, i, NULL);
        MUST(randscen_add_persons(m, p.seed) == 0);
        linkage_check_one(&p, m);
        p.variant = "widened";
        MUST(randscen_widen(m, PS_RESHARE_VISIBLE) == 0);
        linkage_check_one(&p, m);
        ps_linkage_report *r;
        ps_linkage_opts o = { .fixes = false };
        if (ps_linkage_check(m, &o, &r) == 0) {
            for (uint32_t k = 0; k < r->nev; k++)
                kinds_seen |= 1u << r->ev[k].kind;
            for (uint32_t k = 0; k < r->n; k++)
                later += r->v[k].first_step > 0;
            ps_linkage_report_free(r);
        }
        ps_model_free(m);
    }
    props_done(&p, n);
    /* the random scenarios reach every kind of evidence (when there are enough of them) */
    if (n >= 100)
        cr_expect(eq(u64, kinds_seen, (1u << PS_NEV) - 1), "evidence kinds reached: 0x%llx",
                  (unsigned long long)kinds_seen);
    /* and linkages that start along the timeline */
    if (n >= 100)
        cr_expect(gt(u64, later, 0), "no linkage starts after a step");
}

/* ---------------------------------------------------------------------------------------
 * Linkage fixes tried in place against fixes tried on copies
 * ------------------------------------------------------------------------------------- */

static void same_linkage_reports(props *p, const ps_linkage_report *x, const ps_linkage_report *y)
{
    char a[512], b[512];
    if (x->n != y->n || x->nfixes != y->nfixes || x->nminsets != y->nminsets) {
        fail(p, "in place: %u linkages, %u fixes, %u sets; on copies: %u, %u, %u", x->n,
             x->nfixes, x->nminsets, y->n, y->nfixes, y->nminsets);
        return;
    }
    for (uint32_t i = 0; i < x->n && !p->bad; i++) {
        const ps_linkage *l = &x->v[i], *k = &y->v[i];
        if (l->viewer != k->viewer || l->a != k->a || l->b != k->b || l->nfixes != k->nfixes) {
            fail(p, "linkage %u: in place %u fixes, on copies %u", i, l->nfixes, k->nfixes);
            break;
        }
        for (uint32_t j = 0; j < l->nfixes; j++) {
            ps_link_fix_text(x, &x->fixes[x->fix_of[l->fix_first + j]], a, sizeof a);
            ps_link_fix_text(y, &y->fixes[y->fix_of[k->fix_first + j]], b, sizeof b);
            if (strcmp(a, b)) {
                fail(p, "linkage %u, fix %u: in place \"%s\", on copies \"%s\"", i, j, a, b);
                break;
            }
        }
    }
    for (uint32_t i = 0; i < x->nminsets && !p->bad; i++) {
        const ps_link_minset *s = &x->minsets[i], *t = &y->minsets[i];
        if (s->found != t->found || s->nset != t->nset || s->tried != t->tried ||
            s->complete != t->complete || s->left_all != t->left_all ||
            memcmp(s->set, t->set, s->nset * sizeof *s->set))
            fail(p, "smallest set of person %u: in place found %d size %u after %llu tries, "
                    "on copies found %d size %u after %llu", s->person, s->found, s->nset,
                 (unsigned long long)s->tried, t->found, t->nset, (unsigned long long)t->tried);
    }
}

/* Trying each linkage fix in place (on the report's engine, without a timeline; on the
 * report's model, with one) and putting it back gives the report that trying it on a copy
 * of the scenario gives. */
Test(props, linkage_fixes_in_place_match_copies)
{
    props p = { .name = "linkage_fixes_in_place_match_copies" };
    uint32_t n = props_n() / 2;
    uint32_t with_fixes = 0;
    for (uint32_t i = 0; i < n; i++) {
        randscen_opts o = randscen_defaults();
        if (i % 3)
            o.max_steps = 0;   /* two in three without a timeline: fixes on the engine */
        ps_model *m = props_begin(&p, 12, i, &o);
        MUST(randscen_add_persons(m, p.seed) == 0);
        if (i % 2)
            MUST(randscen_widen(m, PS_RESHARE_VISIBLE) == 0);
        ps_linkage_report *x, *y;
        ps_linkage_opts in_place = { .fixes = true }, copies = { .fixes = true,
                                                                 .verify_by_copy = true };
        MUST(ps_linkage_check(m, &in_place, &x) == 0);
        MUST(ps_linkage_check(m, &copies, &y) == 0);
        same_linkage_reports(&p, x, y);
        with_fixes += x->nfixes > 0;
        if (p.bad)
            ps_print_scenario(stderr, m);
        ps_linkage_report_free(x);
        ps_linkage_report_free(y);
        ps_model_free(m);
    }
    props_done(&p, n);
    /* the scenarios do exercise the fixes */
    cr_expect(gt(u32, with_fixes, n / 4), "%u of %u scenarios had linkage fixes", with_fixes, n);
}
