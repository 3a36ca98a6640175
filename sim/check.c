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
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>
#include "oom.h"

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
    uint32_t first, stride; /* the items this builder reports: first, first + stride, ... */
    struct progress *prog; /* shared by the workers */
    bool reporter;         /* this builder's thread calls the progress callback */
} builder;

/* Work done by every worker, for the progress callback. */
struct progress {
    const ps_check_opts *opts;
    atomic_uint_fast64_t evals, evals_total; /* item evaluations */
    atomic_uint_fast64_t fixes, fixes_total; /* items whose fixes are verified */
    uint64_t last;                           /* done when last reported */
};

/* Counts `n` units of work in `done`; the reporting worker calls the callback every so often. */
static void progress_add(builder *b, atomic_uint_fast64_t *done, uint64_t n, bool fixes)
{
    struct progress *p = b->prog;
    if (!p || !p->opts->progress)
        return;
    uint64_t d = atomic_fetch_add(done, n) + n;
    if (b->reporter && d - p->last >= 256) {
        p->last = d;
        p->opts->progress(p->opts->payload, fixes ? "verifying the fixes of items" : "simulating items", d,
                          atomic_load(fixes ? &p->fixes_total : &p->evals_total));
    }
}

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
    if (ps_grow((void **)&r->exposures, &b->cap_exposures, r->nexposures + 1, sizeof *r->exposures))
        return -1;
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

/* One viewer outside the intended audience of the item being scanned. */
typedef struct {
    builder *b;
    ps_engine *e;
    uint32_t item, step;
} scan_ctx;

static int scan_viewer(void *arg, uint32_t v)
{
    scan_ctx *c = arg;
    builder *b = c->b;
    if (add_exposure(b, c->e, c->item, v, c->step))
        return -1;
    if (b->last && b->indexed) {
        uint64_t key = ((uint64_t)c->item << 32) | v;
        seen_entry *s;
        HASH_FIND(hh, b->index, &key, sizeof key, s);
        b->r->exposures[s->idx].at_end = true;
    }
    return 0;
}

/* Records the exposures of the reportable items (as the scenario declares them: `orig`) in
 * the engine's current state: every item, or only `only` when it is not PS_NONE. */
static int scan_state(builder *b, ps_engine *e, const ps_model *orig, uint32_t step, bool last,
                      uint32_t only)
{
    b->last = last;
    uint32_t first = b->first, stride = b->stride, end = orig->nitems;
    if (only != PS_NONE) {
        if (only < b->first || (only - b->first) % b->stride)
            return 0;
        first = only;
        end = only + 1;
    }
    for (uint32_t i = first; i < end; i += stride) {
        if (!reportable(&orig->items[i]) || !ps_check_wants_item(b->prog->opts, orig, i))
            continue;
        if (ps_engine_eval(e, i))
            return -1;
        progress_add(b, &b->prog->evals, 1, false);
        scan_ctx c = { b, e, i, step };
        if (ps_engine__each_unintended(e, scan_viewer, &c))
            return -1;
    }
    return 0;
}

/* The one item whose audience a step can change, or PS_NONE when it may change any. */
static uint32_t step_scope(const ps_model *m, const ps_step *s)
{
    switch ((ps_step_kind)s->kind) {
    case PS_STEP_SHARE: case PS_STEP_UNSHARE: case PS_STEP_TAG: case PS_STEP_UNTAG:
    case PS_STEP_APPROVE_TAG: case PS_STEP_COMMENT: case PS_STEP_LIKE:
        return s->item < m->nitems ? s->item : PS_NONE;
    default:
        return PS_NONE;
    }
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

static bool same_fix(const ps_fix *a, const ps_fix *b)
{
    return a->kind == b->kind && a->user == b->user && a->item == b->item &&
           a->user2 == b->user2 && a->step == b->step && a->app == b->app && a->cat == b->cat &&
           a->rule == b->rule && a->rule_value == b->rule_value &&
           ps_terms_equal(&a->terms, &b->terms);
}

static int append_fix(ps_report *r, uint32_t *cap, const ps_fix *f)
{
    if (ps_grow((void **)&r->fixes, cap, r->nfixes + 1, sizeof *r->fixes))
        return -1;
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
                if (ps_grow((void **)&all.v, &all.cap, all.n + 1, sizeof *all.v)) {
                    ps_fix_free(&c);
                    goto out;
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

/* Exposures are ordered by small integer keys with stable counting sorts. */
typedef uint32_t (*exposure_key)(const ps_exposure *x);

static uint32_t key_item(const ps_exposure *x) { return x->item; }
static uint32_t key_viewer(const ps_exposure *x) { return x->viewer; }
static uint32_t key_severity_desc(const ps_exposure *x) { return PS_NSEV - 1 - x->severity; }

/* One stable counting-sort pass over the index array `idx` (into `tmp`, then swapped). */
static int sort_pass(const ps_report *r, uint32_t **idx, uint32_t **tmp, exposure_key key,
                     uint32_t nkeys)
{
    uint32_t n = r->nexposures;
    uint32_t *count = calloc((size_t)nkeys + 1, sizeof *count);
    if (!count)
        return -1;
    for (uint32_t i = 0; i < n; i++)
        count[key(&r->exposures[(*idx)[i]]) + 1]++;
    for (uint32_t k = 0; k < nkeys; k++)
        count[k + 1] += count[k];
    for (uint32_t i = 0; i < n; i++)
        (*tmp)[count[key(&r->exposures[(*idx)[i]])]++] = (*idx)[i];
    free(count);
    uint32_t *t = *idx;
    *idx = *tmp;
    *tmp = t;
    return 0;
}

/* Orders the exposures by the keys, the last the most significant (LSD passes over an index
 * array), then moves each exposure once: they are large, a path each. */
static int sort_by_keys(ps_report *r, const exposure_key *keys, const uint32_t *nkeys, int nk)
{
    uint32_t n = r->nexposures;
    if (n < 2)
        return 0;
    uint32_t *idx = malloc((size_t)n * sizeof *idx);
    uint32_t *tmp = malloc((size_t)n * sizeof *tmp);
    ps_exposure *out = NULL;
    int rc = -1;
    if (!idx || !tmp)
        goto done;
    for (uint32_t i = 0; i < n; i++)
        idx[i] = i;
    for (int k = 0; k < nk; k++)
        if (sort_pass(r, &idx, &tmp, keys[k], nkeys[k]))
            goto done;
    out = malloc((size_t)n * sizeof *out);
    if (!out)
        goto done;
    for (uint32_t i = 0; i < n; i++)
        out[i] = r->exposures[idx[i]];
    free(r->exposures);
    r->exposures = out;
    rc = 0;
done:
    free(idx);
    free(tmp);
    return rc;
}

static int sort_by(ps_report *r, exposure_key key, uint32_t nkeys)
{
    return sort_by_keys(r, &key, &nkeys, 1);
}

/* The report's order: severity (worst first), item, viewer. */
static int sort_report(ps_report *r, const ps_model *m)
{
    const exposure_key keys[] = { key_viewer, key_item, key_severity_desc };
    const uint32_t nkeys[] = { ps_nviewers(m), m->nitems, PS_NSEV };
    return sort_by_keys(r, keys, nkeys, 3);
}

static int compute_fixes(builder *b, const ps_model *m, const ps_check_opts *opts,
                         uint32_t id, uint32_t nworkers)
{
    ps_report *r = b->r;
    uint32_t cap = 0, items_done = 0;
    /* without a timeline, fixes are tried on one engine's model and undone (the engine is
     * made when the first item with exposures needs it) */
    ps_engine *fast = NULL;
    int rc = 0;
    if (sort_by(r, key_item, m->nitems))
        return -1;
    uint64_t nitems = 0;
    for (uint32_t i = 0; i < r->nexposures; i++)
        nitems += i == 0 || r->exposures[i].item != r->exposures[i - 1].item;
    atomic_fetch_add(&b->prog->fixes_total, nitems);
    for (uint32_t lo = 0; lo < r->nexposures;) {
        uint32_t hi = lo;
        while (hi < r->nexposures && r->exposures[hi].item == r->exposures[lo].item)
            hi++;
        /* max_fixes_items counts items over every worker: this worker's share of it */
        uint32_t item = r->exposures[lo].item;
        bool wanted = !opts->fix_items || ((opts->fix_items[item >> 6] >> (item & 63)) & 1);
        if (wanted && (!opts->max_fixes_items ||
                       (uint64_t)items_done * nworkers + id < opts->max_fixes_items)) {
            if (!m->nsteps && !fast && !(fast = ps_engine_new(m))) {
                rc = -1;
                break;
            }
            if (fixes_for_item(r, &cap, m, fast, lo, hi)) {
                rc = -1;
                break;
            }
        }
        items_done++;
        progress_add(b, &b->prog->fixes, 1, true);
        lo = hi;
    }
    ps_engine_free(fast);
    return rc;
}

/* One worker replays the whole timeline on its own engine and reports the items i with
 * i % nworkers == id, with their fixes. */
typedef struct {
    const ps_model *m;
    const ps_check_opts *opts;
    uint32_t id, nworkers;
    builder b;
    ps_engine *e;          /* kept after the run: worker 0's serves the expectations */
    const ps_model *shared; /* the model every worker reads, when there is no timeline */
    int rc;
} worker;

static void *worker_run(void *arg)
{
    worker *w = arg;
    const ps_model *m = w->m;
    builder *b = &w->b;
    w->rc = -1;
    b->r = calloc(1, sizeof *b->r);
    /* without a timeline nothing changes the model: every worker reads the same one */
    w->e = w->shared ? ps_engine__new_shared(w->shared) : ps_engine_new(m);
    if (!b->r || !w->e)
        return NULL;
    ps_report *r = b->r;
    b->indexed = m->nsteps > 0;
    b->stride = w->nworkers;
    b->first = w->id;
    ps_engine_set_lazy(w->e, true);
    ps_engine__set_dense(w->e, w->opts->dense_rows);
    if (scan_state(b, w->e, m, 0, m->nsteps == 0, PS_NONE))
        return NULL;
    for (uint32_t k = 1; k <= m->nsteps; k++) {
        bool refused;
        if (ps_engine_step(w->e, &refused) < 0)
            return NULL;
        if (refused && w->id == 0) {
            if (ps_grow((void **)&r->refused, &b->cap_refused, r->nrefused + 1,
                        sizeof *r->refused))
                return NULL;
            r->refused[r->nrefused++] = k - 1;
        }
        /* a step that changes one item's audience needs only that item scanned again; the
         * final state is scanned whole, to mark what is still there at the end */
        bool last = k == m->nsteps;
        if (scan_state(b, w->e, m, k, last, last ? PS_NONE : step_scope(m, &m->steps[k - 1])))
            return NULL;
    }
    if (w->opts->fixes && compute_fixes(b, m, w->opts, w->id, w->nworkers))
        return NULL;
    w->rc = 0;
    return NULL;
}

static void worker_free(worker *w)
{
    seen_entry *s, *tmp;
    HASH_ITER(hh, w->b.index, s, tmp) {
        HASH_DEL(w->b.index, s);
        free(s);
    }
    ps_engine_free(w->e);
    ps_report_free(w->b.r);
}

/* Moves every worker's exposures and fixes into the first worker's report. */
static int merge(worker *w, uint32_t n)
{
    ps_report *r = w[0].b.r;
    uint64_t ne = r->nexposures, nf = r->nfixes;
    for (uint32_t i = 1; i < n; i++) {
        ne += w[i].b.r->nexposures;
        nf += w[i].b.r->nfixes;
    }
    if (ne > UINT32_MAX || nf > UINT32_MAX)
        return -1;
    ps_exposure *x = realloc(r->exposures, (size_t)(ne ? ne : 1) * sizeof *x);
    if (!x)
        return -1;
    r->exposures = x;
    ps_fix *f = realloc(r->fixes, (size_t)(nf ? nf : 1) * sizeof *f);
    if (!f)
        return -1;
    r->fixes = f;
    for (uint32_t i = 1; i < n; i++) {
        ps_report *o = w[i].b.r;
        for (uint32_t k = 0; k < o->nexposures; k++) {
            ps_exposure e = o->exposures[k];
            e.fix_first += r->nfixes;
            r->exposures[r->nexposures++] = e;
        }
        if (o->nfixes) /* a worker without fixes has no array */
            memcpy(r->fixes + r->nfixes, o->fixes, (size_t)o->nfixes * sizeof *o->fixes);
        r->nfixes += o->nfixes;
        o->nfixes = 0; /* the fixes' terms now belong to r */
    }
    return 0;
}

static uint32_t worker_count(const ps_model *m, const ps_check_opts *opts)
{
    long n = opts->threads;
    if (n <= 0) {
        n = sysconf(_SC_NPROCESSORS_ONLN);
        /* small scenarios are not worth a thread */
        uint64_t work = (uint64_t)m->nitems * (m->nsteps + 1) * (m->nusers + 1);
        if (work < 2000000)
            n = 1;
    }
    if (n < 1)
        n = 1;
    if (n > 64)
        n = 64;
    return (uint32_t)n;
}

int ps_check(const ps_model *m, const ps_check_opts *opts, ps_report **out)
{
    ps_check_opts defaults = { .fixes = true };
    if (!opts)
        opts = &defaults;
    *out = NULL;
    uint32_t n = worker_count(m, opts);
    worker *w = calloc(n, sizeof *w);
    if (!w)
        return -1;
    pthread_t *tid = calloc(n, sizeof *tid);
    bool *started = calloc(n, sizeof *started);
    int rc = -1;
    const ps_model *shared = NULL;
    ps_model *copy = NULL;
    if (!tid || !started)
        goto out;
    struct progress prog = { .opts = opts };
    uint64_t reportable_items = 0;
    for (uint32_t i = 0; i < m->nitems; i++)
        reportable_items += reportable(&m->items[i]) && ps_check_wants_item(opts, m, i);
    atomic_init(&prog.evals, 0);
    /* the first and the final state are scanned whole, the others as step_scope() says */
    uint64_t evals_total = reportable_items * (m->nsteps ? 2 : 1);
    for (uint32_t k = 0; k + 1 < m->nsteps; k++) {
        uint32_t only = step_scope(m, &m->steps[k]);
        evals_total += only == PS_NONE ? reportable_items
                                       : reportable(&m->items[only]) &&
                                             ps_check_wants_item(opts, m, only);
    }
    atomic_init(&prog.evals_total, evals_total);
    atomic_init(&prog.fixes, 0);
    atomic_init(&prog.fixes_total, 0);
    /* a model without a timeline is read by every worker as it is, once its friendships are
     * indexed (one copy is made only when they are not) */
    if (!m->nsteps) {
        if (m->adj_stale) {
            uint32_t nf;
            copy = ps_model_clone(m);
            if (!copy || (m->nusers && !ps_model_friends(copy, 0, &nf)))
                goto out;
        }
        shared = copy ? copy : m;
    }
    for (uint32_t i = 0; i < n; i++) {
        w[i].shared = shared;
        w[i].m = m;
        w[i].opts = opts;
        w[i].id = i;
        w[i].nworkers = n;
        w[i].rc = -1;
        w[i].b.prog = &prog;
        w[i].b.reporter = i == 0;
    }
    for (uint32_t i = 1; i < n; i++)
        started[i] = pthread_create(&tid[i], NULL, worker_run, &w[i]) == 0;
    worker_run(&w[0]);
    for (uint32_t i = 1; i < n; i++) {
        if (started[i])
            pthread_join(tid[i], NULL);
        else
            worker_run(&w[i]); /* no thread to be had: do its share here */
    }
    for (uint32_t i = 0; i < n; i++)
        if (w[i].rc)
            goto out;
    ps_report *r = w[0].b.r;
    r->nsteps = m->nsteps;
    if (merge(w, n) || check_expects(r, w[0].e, m) || sort_report(r, m))
        goto out;
    for (uint32_t i = 0; i < r->nexposures; i++)
        r->counts[r->exposures[i].severity]++;
    *out = r;
    w[0].b.r = NULL;
    rc = 0;
out:
    for (uint32_t i = 0; i < n; i++)
        worker_free(&w[i]);
    ps_model_free(copy);
    free(w);
    free(tid);
    free(started);
    return rc;
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
