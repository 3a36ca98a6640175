/* check.c - a scenario's full verdict: exposures at every step, expectations, verified fixes.
 *
 * ps_check() replays the timeline once.  In each state it evaluates every reportable item
 * (posts, photos, and fields given an audience by a `field` line) and records each viewer
 * outside the intended audience as an exposure, the first time it appears, with its path and
 * severity; an exposure still present at the end is marked so.  Expectations are checked in
 * the final state.  Fixes are then proposed per item from the paths of its exposures, each
 * candidate verified once per item by re-running the timeline with it applied.
 */
#include "engine.h"
#include "bitset.h"
#include "engine_int.h"
#include "fix_int.h"

#include <stdlib.h>
#include <string.h>
#include <uthash.h>

typedef struct {
    uint64_t key;          /* item << 32 | viewer */
    uint32_t idx;          /* in exposures */
    UT_hash_handle hh;
} seen_entry;

typedef struct {
    ps_report *r;
    uint32_t cap_exposures;
    seen_entry *index;
    uint32_t cap_refused;
    bool indexed;          /* the timeline has steps: exposures are indexed by (item, viewer) */
    bool last;             /* scanning the final state */
} builder;

static bool reportable(const ps_item *it)
{
    return it->kind != PS_ITEM_FIELD || it->has_audience;
}

static int add_exposure(builder *b, ps_engine *e, uint32_t item, uint32_t viewer, uint32_t step)
{
    uint64_t key = ((uint64_t)item << 32) | viewer;
    seen_entry *s = NULL;
    /* without a timeline each (item, viewer) is met once: no index needed */
    if (b->indexed) {
        HASH_FIND(hh, b->index, &key, sizeof key, s);
        if (s)
            return 0;
    }
    ps_report *r = b->r;
    if (r->nexposures == b->cap_exposures) {
        uint32_t c = b->cap_exposures ? b->cap_exposures * 2 : 64;
        ps_exposure *p = realloc(r->exposures, (size_t)c * sizeof *p);
        if (!p)
            return -1;
        r->exposures = p;
        b->cap_exposures = c;
    }
    ps_exposure *x = &r->exposures[r->nexposures];
    memset(x, 0, sizeof *x);
    x->item = item;
    x->viewer = viewer;
    x->first_step = step;
    x->severity = (uint8_t)ps_engine_severity(e, item, viewer);
    ps_engine_path(e, viewer, &x->path);
    x->at_end = b->last;
    if (b->indexed) {
        if (!(s = malloc(sizeof *s)))
            return -1;
        s->key = key;
        s->idx = r->nexposures;
        HASH_ADD(hh, b->index, key, sizeof s->key, s);
    }
    r->nexposures++;
    return 0;
}

/* Records the exposures of every reportable item (as the scenario declares them: `orig`) in
 * the engine's current state. */
static int scan_state(builder *b, ps_engine *e, const ps_model *orig, uint32_t step, bool last)
{
    b->last = last;
    for (uint32_t i = 0; i < orig->nitems; i++) {
        if (!reportable(&orig->items[i]))
            continue;
        if (ps_engine_eval(e, i))
            return -1;
        for (uint32_t k = 0; k < e->ntouched; k++) {
            uint32_t v = e->touched[k];
            if (ps_engine_intended(e, i, v))
                continue;
            if (add_exposure(b, e, i, v, step))
                return -1;
            if (last && b->indexed) {
                uint64_t key = ((uint64_t)i << 32) | v;
                seen_entry *s;
                HASH_FIND(hh, b->index, &key, sizeof key, s);
                b->r->exposures[s->idx].at_end = true;
            }
        }
    }
    return 0;
}

uint32_t ps_expect_viewer(const ps_model *m, const ps_expect *x)
{
    switch (x->viewer_kind) {
    case PS_VIEWER_INTERNET: return ps_viewer_internet(m);
    case PS_VIEWER_APP: return ps_viewer_app(m, x->viewer);
    default: return x->viewer;
    }
}

static int check_expects(ps_report *r, ps_engine *e, const ps_model *m)
{
    if (!m->nexpects)
        return 0;
    r->expects = calloc(m->nexpects, sizeof *r->expects);
    if (!r->expects)
        return -1;
    r->nexpects = m->nexpects;
    for (uint32_t i = 0; i < m->nexpects; i++) {
        const ps_expect *x = &m->expects[i];
        if (ps_engine_eval(e, x->item))
            return -1;
        bool sees = ps_engine_sees(e, ps_expect_viewer(m, x));
        r->expects[i].expect = i;
        r->expects[i].held = sees == x->can_see;
    }
    return 0;
}

static const ps_exposure *g_sorting; /* qsort has no payload argument in C11 */

static int cmp_exposure(const void *a, const void *b)
{
    const ps_exposure *x = &g_sorting[*(const uint32_t *)a], *y = &g_sorting[*(const uint32_t *)b];
    if (x->severity != y->severity)
        return x->severity > y->severity ? -1 : 1;
    if (x->item != y->item)
        return x->item < y->item ? -1 : 1;
    return x->viewer < y->viewer ? -1 : x->viewer > y->viewer;
}

static bool same_fix(const ps_fix *a, const ps_fix *b)
{
    return a->kind == b->kind && a->user == b->user && a->item == b->item &&
           a->user2 == b->user2 && a->step == b->step && a->app == b->app && a->cat == b->cat &&
           a->rule == b->rule && a->rule_value == b->rule_value &&
           ps_terms_equal(&a->terms, &b->terms);
}

static int append_fix(ps_report *r, uint32_t *cap, const ps_fix *f)
{
    if (r->nfixes == *cap) {
        uint32_t c = *cap ? *cap * 2 : 64;
        ps_fix *p = realloc(r->fixes, (size_t)c * sizeof *p);
        if (!p)
            return -1;
        r->fixes = p;
        *cap = c;
    }
    ps_fix *d = &r->fixes[r->nfixes];
    *d = *f;
    if (ps_terms_copy(&d->terms, &f->terms))
        return -1;
    r->nfixes++;
    return 0;
}

/* Proposes and verifies the fixes of the exposures [lo, hi) of one item. */
static int fixes_for_item(ps_report *r, uint32_t *cap, const ps_model *m, ps_engine *fast,
                          uint32_t lo, uint32_t hi)
{
    uint32_t item = r->exposures[lo].item;
    uint32_t nv = ps_nviewers(m);
    fix_list all = {0};
    fix_list *own = calloc(hi - lo, sizeof *own);
    uint64_t **cut = NULL;
    int rc = -1;
    if (!own)
        return -1;
    for (uint32_t i = lo; i < hi; i++) {
        if (ps_fix__candidates(m, &r->exposures[i].path, hi - lo, &own[i - lo]))
            goto out;
        for (uint32_t k = 0; k < own[i - lo].n; k++) {
            const ps_fix *f = &own[i - lo].v[k];
            bool have = false;
            for (uint32_t j = 0; j < all.n && !have; j++)
                have = same_fix(&all.v[j], f);
            if (!have) {
                ps_fix c = *f;
                if (ps_terms_copy(&c.terms, &f->terms))
                    goto out;
                if (all.n == all.cap) {
                    uint32_t nc = all.cap ? all.cap * 2 : 8;
                    ps_fix *p = realloc(all.v, (size_t)nc * sizeof *p);
                    if (!p) {
                        ps_fix_free(&c);
                        goto out;
                    }
                    all.v = p;
                    all.cap = nc;
                }
                all.v[all.n++] = c;
            }
        }
    }
    cut = calloc(all.n ? all.n : 1, sizeof *cut);
    if (!cut)
        goto out;
    for (uint32_t j = 0; j < all.n; j++) {
        cut[j] = ps_bits_new(nv);
        if (!cut[j] || (fast ? ps_fix__verify_in_place(fast, &all.v[j], item, cut[j])
                             : ps_fix__verify(m, &all.v[j], item, cut[j])))
            goto out;
    }
    for (uint32_t i = lo; i < hi; i++) {
        ps_exposure *x = &r->exposures[i];
        x->fix_first = r->nfixes;
        bool user_fix = false, any = false;
        /* the fixes of the person whose intent is broken first (the persona's owner, else
         * the item's owner), then other people's, then platform rules */
        const ps_item *it = &m->items[item];
        uint32_t subject = it->persona != PS_NONE ? m->personas[it->persona].owner : it->owner;
        for (int pass = 0; pass < 3; pass++)
            for (uint32_t k = 0; k < own[i - lo].n; k++) {
                const ps_fix *f = &own[i - lo].v[k];
                int want = f->kind == PS_FIX_RULE ? 2 : f->user == subject ? 0 : 1;
                if (want != pass)
                    continue;
                uint32_t j = 0;
                while (j < all.n && !same_fix(&all.v[j], f))
                    j++;
                if (j == all.n || ps_bits_get(cut[j], x->viewer))
                    continue;
                if (append_fix(r, cap, f))
                    goto out;
                any = true;
                user_fix |= f->kind != PS_FIX_RULE;
            }
        x->nfixes = r->nfixes - x->fix_first;
        x->platform_only = any && !user_fix;
    }
    rc = 0;
out:
    for (uint32_t i = lo; i < hi; i++)
        ps_fix_list_free(&own[i - lo]);
    free(own);
    for (uint32_t j = 0; cut && j < all.n; j++)
        free(cut[j]);
    free(cut);
    ps_fix_list_free(&all);
    return rc;
}

/* Sorts the exposures by sorting their indices, then moving each exposure once (they are
 * large: a path each). */
static int sort_exposures(ps_report *r, int (*cmp)(const void *, const void *))
{
    uint32_t n = r->nexposures;
    if (n < 2)
        return 0;
    uint32_t *idx = malloc((size_t)n * sizeof *idx);
    ps_exposure *out = malloc((size_t)n * sizeof *out);
    if (!idx || !out) {
        free(idx);
        free(out);
        return -1;
    }
    for (uint32_t i = 0; i < n; i++)
        idx[i] = i;
    g_sorting = r->exposures;
    qsort(idx, n, sizeof *idx, cmp);
    g_sorting = NULL;
    for (uint32_t i = 0; i < n; i++)
        out[i] = r->exposures[idx[i]];
    free(r->exposures);
    r->exposures = out;
    free(idx);
    return 0;
}

/* Fix computation walks exposures grouped by item: sort by item, then restore the order. */
static int cmp_by_item(const void *a, const void *b)
{
    const ps_exposure *x = &g_sorting[*(const uint32_t *)a], *y = &g_sorting[*(const uint32_t *)b];
    if (x->item != y->item)
        return x->item < y->item ? -1 : 1;
    return x->viewer < y->viewer ? -1 : x->viewer > y->viewer;
}

static int compute_fixes(ps_report *r, const ps_model *m, const ps_check_opts *opts)
{
    uint32_t cap = 0, items_done = 0;
    /* without a timeline, fixes are tried on one engine's model and undone */
    ps_engine *fast = m->nsteps ? NULL : ps_engine_new(m);
    if (!m->nsteps && !fast)
        return -1;
    int rc = 0;
    if (sort_exposures(r, cmp_by_item))
        return -1;
    for (uint32_t lo = 0; lo < r->nexposures;) {
        uint32_t hi = lo;
        while (hi < r->nexposures && r->exposures[hi].item == r->exposures[lo].item)
            hi++;
        if (!opts->max_fixes_items || items_done < opts->max_fixes_items)
            if (fixes_for_item(r, &cap, m, fast, lo, hi)) {
                rc = -1;
                break;
            }
        items_done++;
        lo = hi;
    }
    ps_engine_free(fast);
    return rc;
}

int ps_check(const ps_model *m, const ps_check_opts *opts, ps_report **out)
{
    ps_check_opts defaults = { .fixes = true };
    if (!opts)
        opts = &defaults;
    *out = NULL;
    builder b = {0};
    b.r = calloc(1, sizeof *b.r);
    ps_engine *e = ps_engine_new(m);
    int rc = -1;
    if (!b.r || !e)
        goto out;
    ps_report *r = b.r;
    r->nsteps = m->nsteps;
    b.indexed = m->nsteps > 0;
    if (scan_state(&b, e, m, 0, m->nsteps == 0))
        goto out;
    for (uint32_t k = 1; k <= m->nsteps; k++) {
        bool refused;
        if (ps_engine_step(e, &refused) < 0)
            goto out;
        if (refused) {
            if (r->nrefused == b.cap_refused) {
                uint32_t c = b.cap_refused ? b.cap_refused * 2 : 8;
                uint32_t *p = realloc(r->refused, (size_t)c * sizeof *p);
                if (!p)
                    goto out;
                r->refused = p;
                b.cap_refused = c;
            }
            r->refused[r->nrefused++] = k - 1;
        }
        if (scan_state(&b, e, m, k, k == m->nsteps))
            goto out;
    }
    if (check_expects(r, e, m))
        goto out;
    if (opts->fixes && compute_fixes(r, m, opts))
        goto out;
    if (sort_exposures(r, cmp_exposure))
        goto out;
    for (uint32_t i = 0; i < r->nexposures; i++)
        r->counts[r->exposures[i].severity]++;
    rc = 0;
out:
    {
        seen_entry *s, *tmp;
        HASH_ITER(hh, b.index, s, tmp) {
            HASH_DEL(b.index, s);
            free(s);
        }
    }
    ps_engine_free(e);
    if (rc) {
        ps_report_free(b.r);
        return -1;
    }
    *out = b.r;
    return 0;
}

void ps_report_free(ps_report *r)
{
    if (!r)
        return;
    for (uint32_t i = 0; i < r->nfixes; i++)
        ps_fix_free(&r->fixes[i]);
    free(r->fixes);
    free(r->exposures);
    free(r->expects);
    free(r->refused);
    free(r);
}
