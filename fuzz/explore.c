/* explore.c - the fuzzer's search: evaluating points, the strategies, findings, minimization.
 *
 * The explorer keeps one current point and, per item, the result of that item at that point:
 * its exposures (viewer, severity, leak-path shape, whether the origin has it too) and the
 * derivation rules its audience used.  Results are cached per item under the alternatives of
 * the dimensions that can change the item (space.c computes that list), hashed with a Zobrist
 * key that is updated as dimensions change.  Moving to a new point changes the key of the
 * items the changed dimensions touch; only those are looked up again, and only the ones never
 * seen with those alternatives are evaluated, by the engine itself (ps_engine_*) over the
 * whole timeline, exactly as ps_check() scans it.  So the fuzzer's findings are check's
 * exposures, and a point costs a few hash lookups when its combinations were seen before.
 *
 * Strategies: exhaustive walks the space in reflected mixed-radix Gray order (one dimension
 * changes per point, Knuth's Algorithm 7.2.1.1H), starting at the origin; random draws points
 * at a random distance from the origin; guided mutates points of a corpus and keeps the
 * mutants that reach a derivation rule (with its term) or a leak shape not reached before.
 */
#include "fuzzer.h"

#include "bitset.h"
#include "engine_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *ps_strategy_name(ps_strategy s)
{
    static const char *const names[] = { "exhaustive", "random", "guided" };
    return s <= PS_STRAT_GUIDED ? names[s] : "?";
}

/* ---------------------------------------------------------------------------------------
 * Small containers
 * ------------------------------------------------------------------------------------- */

#define SPLITMIX_STEP 0x9e3779b97f4a7c15ULL

static uint64_t splitmix(uint64_t *state)
{
    uint64_t z = (*state += SPLITMIX_STEP);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint32_t below(uint64_t *rng, uint32_t n)
{
    return n ? (uint32_t)(splitmix(rng) % n) : 0;
}

static int grow(void **arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    void *p = realloc(*arr, c * size);
    if (!p)
        return -1;
    *arr = p;
    *cap = c;
    return 0;
}

/* A set of (item, viewer, shape) triples: the exposures of one point. */
typedef struct {
    uint32_t item, viewer;
    uint64_t shape;
    bool used;
} tslot;

typedef struct { tslot *v; size_t cap, n; } tset;

static uint64_t thash(uint32_t item, uint32_t viewer, uint64_t shape)
{
    uint64_t h = ((uint64_t)item << 32 | viewer) * 0x9e3779b97f4a7c15ULL;
    return (h ^ (h >> 29)) + shape * 0xbf58476d1ce4e5b9ULL;
}

static bool tset_has(const tset *s, uint32_t item, uint32_t viewer, uint64_t shape)
{
    if (!s->cap)
        return false;
    for (size_t i = thash(item, viewer, shape) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
        const tslot *t = &s->v[i];
        if (!t->used)
            return false;
        if (t->item == item && t->viewer == viewer && t->shape == shape)
            return true;
    }
}

static int tset_add(tset *s, uint32_t item, uint32_t viewer, uint64_t shape)
{
    if (tset_has(s, item, viewer, shape))
        return 0;
    if ((s->n + 1) * 4 > s->cap * 3) {
        size_t nc = s->cap ? s->cap * 2 : 64;
        tslot *nv = calloc(nc, sizeof *nv);
        if (!nv)
            return -1;
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->v[i].used)
                continue;
            size_t j = thash(s->v[i].item, s->v[i].viewer, s->v[i].shape) & (nc - 1);
            while (nv[j].used)
                j = (j + 1) & (nc - 1);
            nv[j] = s->v[i];
        }
        free(s->v);
        s->v = nv;
        s->cap = nc;
    }
    size_t i = thash(item, viewer, shape) & (s->cap - 1);
    while (s->v[i].used)
        i = (i + 1) & (s->cap - 1);
    s->v[i] = (tslot){ item, viewer, shape, true };
    s->n++;
    return 0;
}

/* A set of 64-bit values (leak shapes), with the index each was given. */
typedef struct { uint64_t *key; uint32_t *val; size_t cap, n; } u64map;

static uint64_t mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    return h ^ (h >> 33);
}

/* The value of `key`, or UINT32_MAX. */
static uint32_t map_get(const u64map *m, uint64_t key)
{
    if (!m->cap)
        return UINT32_MAX;
    for (size_t i = mix64(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (m->val[i] == UINT32_MAX)
            return UINT32_MAX;
        if (m->key[i] == key)
            return m->val[i];
    }
}

static int map_put(u64map *m, uint64_t key, uint32_t val)
{
    if ((m->n + 1) * 4 > m->cap * 3) {
        size_t nc = m->cap ? m->cap * 2 : 64;
        uint64_t *nk = malloc(nc * sizeof *nk);
        uint32_t *nv = malloc(nc * sizeof *nv);
        if (!nk || !nv) {
            free(nk);
            free(nv);
            return -1;
        }
        memset(nv, 0xff, nc * sizeof *nv);
        for (size_t i = 0; i < m->cap; i++) {
            if (m->val[i] == UINT32_MAX)
                continue;
            size_t j = mix64(m->key[i]) & (nc - 1);
            while (nv[j] != UINT32_MAX)
                j = (j + 1) & (nc - 1);
            nk[j] = m->key[i];
            nv[j] = m->val[i];
        }
        free(m->key);
        free(m->val);
        m->key = nk;
        m->val = nv;
        m->cap = nc;
    }
    size_t i = mix64(key) & (m->cap - 1);
    while (m->val[i] != UINT32_MAX && m->key[i] != key)
        i = (i + 1) & (m->cap - 1);
    if (m->val[i] == UINT32_MAX)
        m->n++;
    m->key[i] = key;
    m->val[i] = val;
    return 0;
}

static void map_free(u64map *m)
{
    free(m->key);
    free(m->val);
}

/* Empties the map; a table much bigger than its last use is given back. */
static void map_clear(u64map *m)
{
    if (m->cap > 1024 && m->n * 8 < m->cap) {
        map_free(m);
        memset(m, 0, sizeof *m);
        return;
    }
    if (m->cap)
        memset(m->val, 0xff, m->cap * sizeof *m->val);
    m->n = 0;
}

/* ---------------------------------------------------------------------------------------
 * The explorer's state
 * ------------------------------------------------------------------------------------- */

/* The largest items x viewers bit table kept to record a pass's exposures (else a set). */
#define SEEN_DENSE_MAX ((size_t)16 << 20)

/* One exposure of an item at a point. */
typedef struct {
    uint64_t shape;
    uint32_t viewer;
    uint8_t sev;
    uint8_t novel;         /* not an exposure of the origin */
} xentry;

/* The result of one item at one combination of its dimensions. */
typedef struct {
    uint32_t off, n;       /* exposures: xs[off .. off + n), the novel ones first */
    uint32_t nnovel;
    bool covered;          /* its rules and shapes were added to the coverage */
    uint64_t feat[2];      /* (rule, term) pairs its derivations used */
} iresult;

/* A cache slot: the hash of an item's alternatives, where they are stored, the result. */
typedef struct {
    uint64_t hash;
    uint32_t proj;         /* offset of the alternatives in pj */
    uint32_t res;          /* UINT32_MAX: empty slot */
} cslot;

typedef struct {
    uint32_t *deps; uint32_t ndeps;  /* dimensions that can change the item (owned) */
    cslot *tab; size_t cap, n;       /* the cache (owned) */
    uint64_t h;            /* Zobrist key of the current point's alternatives of deps */
    uint32_t cur;          /* result at the current point */
    bool dirty;            /* key changed since cur was found */
    bool live;             /* may be reported at some point (else its result is empty) */
} icache;

/* A finding while the search runs. */
typedef struct {
    uint64_t shape;
    uint8_t sev;
    uint32_t item, viewer;
    uint32_t dist;         /* changes from the origin of `point` */
    uint8_t *point;        /* owned */
    uint64_t found_at;
} ffind;

/* Per-item scratch of one engine pass. */
typedef struct {
    xentry *v; size_t n, cap;
    uint64_t feat[2];
} iscratch;

typedef struct {
    const ps_model *m;
    const ps_space *s;
    ps_fuzz_opts o;
    uint32_t ndims, nitems, nviewers;

    ps_model *w;           /* working model: s->full with the point `wv` applied (owned) */
    uint8_t *wv;
    uint8_t *cur;          /* current point */
    uint8_t *origin;
    uint32_t dist;         /* changes of cur from the origin */

    uint64_t *zv;          /* Zobrist values: dimension d, alternative a at zv[zoff[d] + a] */
    uint32_t *zoff;
    icache *ic;
    uint32_t *dirty; uint32_t ndirty;
    bool *need;            /* items a pass of the engine must evaluate */

    xentry *xs; size_t nxs, capxs;
    iresult *rs; size_t nrs, caprs;
    uint8_t *pj; size_t npj, cappj;
    size_t budget;

    iscratch *sc;          /* per item */
    /* the exposures this pass has recorded: a bit per item and viewer when that table is
     * small (SEEN_DENSE_MAX), else a set of (item << 32 | viewer) as big as what the pass
     * finds, never items x viewers on a big scenario */
    uint64_t *seen_dense;
    size_t seen_words;
    u64map seen;

    tset base;             /* exposures of the origin */
    tset written;          /* exposures of the scenario as written */
    bool have_base;

    ffind *finds; size_t nfinds, capfinds;
    u64map find_ix;        /* shape -> finding */
    bool new_finding;      /* the last point created a finding */

    uint64_t feat[2];      /* coverage */
    u64map shapes;         /* every leak shape reached */
    uint32_t rules_possible;

    uint64_t points, evaluations;
    uint64_t first;        /* points of the search before this part's first (found_at) */
    double t0, last_report;
    bool stop;
    int err;               /* -1 once out of memory */
} explorer;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---------------------------------------------------------------------------------------
 * One pass of the engine
 * ------------------------------------------------------------------------------------- */

static bool reportable(const ps_item *it)
{
    return it->kind != PS_ITEM_FIELD || it->has_audience;
}

static unsigned feature(const ps_grant *g)
{
    unsigned term = 0;
    if (g->via == PS_VIA_AUDIENCE || g->via == PS_VIA_SHARE || g->via == PS_VIA_FRIENDSHIP ||
        g->via == PS_VIA_TAG)
        term = g->term % 10;
    return (unsigned)(g->via % PS_NVIA) * 10 + term;
}

static int push_x(iscratch *sc, const xentry *e)
{
    if (grow((void **)&sc->v, &sc->cap, sc->n + 1, sizeof *sc->v))
        return -1;
    sc->v[sc->n++] = *e;
    return 0;
}

/* Evaluates the items with need[] set in the engine's current state. */
static int scan_state(explorer *x, ps_engine *e)
{
    ps_model *em = ps_engine_model(e);
    for (uint32_t i = 0; i < x->nitems; i++) {
        if (!x->need[i] || !reportable(&em->items[i]))
            continue;
        if (ps_engine_eval(e, i))
            return -1;
        x->evaluations++;
        iscratch *sc = &x->sc[i];
        for (uint32_t k = 0; k < e->ntouched; k++) {
            uint32_t v = e->touched[k];
            unsigned f = feature(&e->grant[v]);
            sc->feat[f >> 6] |= (uint64_t)1 << (f & 63);
            uint64_t *dense = x->seen_dense ? x->seen_dense + (size_t)i * x->seen_words : NULL;
            uint64_t key = (uint64_t)i << 32 | v;
            if ((dense ? ps_bits_get(dense, v) : map_get(&x->seen, key) != UINT32_MAX) ||
                ps_engine_intended(e, i, v))
                continue;
            if (dense)
                ps_bits_set(dense, v);
            else if (map_put(&x->seen, key, 0))
                return -1;
            ps_path p;
            if (ps_engine_path(e, v, &p))
                continue;
            xentry xe = { .shape = ps_path_shape(&p), .viewer = v,
                          .sev = (uint8_t)ps_engine_severity(e, i, v) };
            if (push_x(sc, &xe))
                return -1;
        }
    }
    return 0;
}

/* Brings the working model to `point` (all but the steps). */
static int sync_model(explorer *x, const uint8_t *point)
{
    for (uint32_t d = 0; d < x->ndims; d++) {
        if (x->wv[d] == point[d])
            continue;
        if (ps_space_apply(x->s, x->w, point, d))
            return -1;
        x->wv[d] = point[d];
    }
    return 0;
}

/* Runs the timeline of `point` once and fills x->sc for the items with need[] set. */
static int engine_pass(explorer *x, const uint8_t *point)
{
    if (sync_model(x, point))
        return -1;
    for (uint32_t i = 0; i < x->nitems; i++)
        if (x->need[i]) {
            x->sc[i].n = 0;
            x->sc[i].feat[0] = x->sc[i].feat[1] = 0;
            if (x->seen_dense)
                memset(x->seen_dense + (size_t)i * x->seen_words, 0, x->seen_words * 8);
        }
    map_clear(&x->seen);
    ps_engine *e = ps_engine_new(x->w);
    if (!e)
        return -1;
    uint32_t nsteps = x->w->nsteps;
    for (uint32_t k = 0; k < nsteps; k++)
        if (ps_space_step_off(x->s, point, k))
            ps_engine__disable_step(e, k);
    int rc = scan_state(x, e);
    for (uint32_t k = 0; k < nsteps && !rc; k++) {
        if (ps_engine_step(e, NULL) < 0)
            rc = -1;
        else if (!ps_space_step_off(x->s, point, k))
            rc = scan_state(x, e);
    }
    ps_engine_free(e);
    return rc;
}

/* ---------------------------------------------------------------------------------------
 * The cache
 * ------------------------------------------------------------------------------------- */

static size_t cache_bytes(const explorer *x)
{
    size_t b = x->capxs * sizeof *x->xs + x->caprs * sizeof *x->rs + x->cappj;
    for (uint32_t i = 0; i < x->nitems; i++)
        b += x->ic[i].cap * sizeof(cslot);
    return b;
}

/* Empties every cache (result 0, the empty result, stays). */
static void cache_flush(explorer *x)
{
    for (uint32_t i = 0; i < x->nitems; i++) {
        icache *c = &x->ic[i];
        if (c->cap)
            memset(c->tab, 0xff, c->cap * sizeof *c->tab);
        c->n = 0;
        if (c->live) {
            c->cur = UINT32_MAX;
            if (!c->dirty) {
                c->dirty = true;
                x->dirty[x->ndirty++] = i;
            }
        }
    }
    x->nxs = 0;
    x->nrs = 1;
    x->npj = 0;
}

static bool proj_equal(const explorer *x, const icache *c, uint32_t off)
{
    const uint8_t *p = x->pj + off;
    for (uint32_t k = 0; k < c->ndeps; k++)
        if (p[k] != x->cur[c->deps[k]])
            return false;
    return true;
}

static uint32_t cache_find(const explorer *x, const icache *c)
{
    if (!c->cap)
        return UINT32_MAX;
    for (size_t i = c->h & (c->cap - 1);; i = (i + 1) & (c->cap - 1)) {
        const cslot *t = &c->tab[i];
        if (t->res == UINT32_MAX)
            return UINT32_MAX;
        if (t->hash == c->h && proj_equal(x, c, t->proj))
            return t->res;
    }
}

static int cache_insert(explorer *x, icache *c, uint32_t res)
{
    if ((c->n + 1) * 10 > c->cap * 7) {
        size_t nc = c->cap ? c->cap * 2 : 64;
        cslot *nt = malloc(nc * sizeof *nt);
        if (!nt)
            return -1;
        memset(nt, 0xff, nc * sizeof *nt);
        for (size_t i = 0; i < c->cap; i++) {
            if (c->tab[i].res == UINT32_MAX)
                continue;
            size_t j = c->tab[i].hash & (nc - 1);
            while (nt[j].res != UINT32_MAX)
                j = (j + 1) & (nc - 1);
            nt[j] = c->tab[i];
        }
        free(c->tab);
        c->tab = nt;
        c->cap = nc;
    }
    if (grow((void **)&x->pj, &x->cappj, x->npj + c->ndeps + 1, 1))
        return -1;
    uint32_t off = (uint32_t)x->npj;
    for (uint32_t k = 0; k < c->ndeps; k++)
        x->pj[x->npj++] = x->cur[c->deps[k]];
    size_t i = c->h & (c->cap - 1);
    while (c->tab[i].res != UINT32_MAX)
        i = (i + 1) & (c->cap - 1);
    c->tab[i] = (cslot){ c->h, off, res };
    c->n++;
    return 0;
}

static int cmp_xentry(const void *a, const void *b)
{
    const xentry *p = a, *q = b;
    if (p->novel != q->novel)
        return p->novel ? -1 : 1;
    if (p->viewer != q->viewer)
        return p->viewer < q->viewer ? -1 : 1;
    return p->shape < q->shape ? -1 : p->shape > q->shape;
}

/* Stores the scratch result of item i as a new result; returns its index or UINT32_MAX. */
static uint32_t store_result(explorer *x, uint32_t i)
{
    iscratch *sc = &x->sc[i];
    for (size_t k = 0; k < sc->n; k++)
        sc->v[k].novel = !tset_has(&x->base, i, sc->v[k].viewer, sc->v[k].shape);
    if (sc->n > 1)
        qsort(sc->v, sc->n, sizeof *sc->v, cmp_xentry);
    if (grow((void **)&x->xs, &x->capxs, x->nxs + sc->n, sizeof *x->xs) ||
        grow((void **)&x->rs, &x->caprs, x->nrs + 1, sizeof *x->rs))
        return UINT32_MAX;
    iresult *r = &x->rs[x->nrs];
    r->off = (uint32_t)x->nxs;
    r->n = (uint32_t)sc->n;
    r->nnovel = 0;
    for (size_t k = 0; k < sc->n; k++)
        r->nnovel += sc->v[k].novel;
    r->covered = false;
    r->feat[0] = sc->feat[0];
    r->feat[1] = sc->feat[1];
    if (sc->n)
        memcpy(x->xs + x->nxs, sc->v, sc->n * sizeof *sc->v);
    x->nxs += sc->n;
    return (uint32_t)x->nrs++;
}

/* Finds the result of every dirty item at the current point, running the engine for the
 * ones the cache does not have. */
static int settle(explorer *x)
{
    if (cache_bytes(x) > x->budget)
        cache_flush(x);
    bool any = false;
    for (uint32_t k = 0; k < x->ndirty; k++) {
        uint32_t i = x->dirty[k];
        icache *c = &x->ic[i];
        uint32_t r = cache_find(x, c);
        if (r != UINT32_MAX) {
            c->cur = r;
            c->dirty = false;
        } else {
            x->need[i] = true;
            any = true;
        }
    }
    if (any) {
        if (engine_pass(x, x->cur))
            return -1;
        for (uint32_t k = 0; k < x->ndirty; k++) {
            uint32_t i = x->dirty[k];
            icache *c = &x->ic[i];
            if (!x->need[i])
                continue;
            x->need[i] = false;
            uint32_t r = store_result(x, i);
            if (r == UINT32_MAX || cache_insert(x, c, r))
                return -1;
            c->cur = r;
            c->dirty = false;
        }
    }
    x->ndirty = 0;
    return 0;
}

/* Sets dimension d of the current point to alternative a (settle() afterwards). */
static void change_dim(explorer *x, uint32_t d, uint32_t a)
{
    uint32_t old = x->cur[d];
    if (old == a)
        return;
    const ps_dim *dim = &x->s->dims[d];
    uint64_t delta = x->zv[x->zoff[d] + a] - x->zv[x->zoff[d] + old];
    for (uint32_t k = 0; k < dim->nitems; k++) {
        icache *c = &x->ic[dim->items[k]];
        if (!c->live)
            continue;
        c->h += delta;
        if (!c->dirty) {
            c->dirty = true;
            x->dirty[x->ndirty++] = dim->items[k];
        }
    }
    x->dist += (a != dim->origin) - (old != dim->origin);
    x->cur[d] = (uint8_t)a;
}

static int goto_point(explorer *x, const uint8_t *p)
{
    for (uint32_t d = 0; d < x->ndims; d++)
        if (p[d] != x->cur[d])
            change_dim(x, d, p[d]);
    return settle(x);
}

/* ---------------------------------------------------------------------------------------
 * Setting up
 * ------------------------------------------------------------------------------------- */

/* Whether item i may be reported at some point of the space. */
static bool item_live(const ps_space *s, uint32_t i)
{
    const ps_model *f = s->full;
    if (reportable(&f->items[i]))
        return true;
    for (uint32_t d = 0; d < s->ndims; d++)
        if (s->dims[d].kind == PS_DIM_AUDIENCE && s->dims[d].target == i)
            return true;
    for (uint32_t k = 0; k < f->nsteps; k++)
        for (uint32_t j = 0; j < f->steps[k].nsettings; j++)
            if (f->steps[k].settings[j].kind == PS_SET_AUDIENCE &&
                f->steps[k].settings[j].item == i)
                return true;
    return false;
}

/* The derivation rules that the space could reach. */
static uint32_t rules_possible(const ps_space *s)
{
    const ps_model *f = s->full;
    bool vary[PS_NRULES] = {0};
    for (uint32_t d = 0; d < s->ndims; d++)
        if (s->dims[d].kind == PS_DIM_RULE)
            vary[s->dims[d].rule] = true;
    bool tags = false, shares = false, ix = false, groups = false, fields = false, fl = false;
    for (uint32_t i = 0; i < f->nitems; i++) {
        tags |= f->items[i].ntags > 0;
        groups |= f->items[i].group != PS_NONE;
        if (f->items[i].kind == PS_ITEM_FIELD && item_live(s, i)) {
            fields = true;
            fl |= f->items[i].field == PS_F_FRIENDLIST;
        }
    }
    for (uint32_t k = 0; k < f->nsteps; k++) {
        tags |= f->steps[k].kind == PS_STEP_TAG;
        shares |= f->steps[k].kind == PS_STEP_SHARE;
        ix |= f->steps[k].kind == PS_STEP_COMMENT || f->steps[k].kind == PS_STEP_LIKE;
    }
    uint32_t n = 2; /* owner, audience */
    n += groups;
    n += fields && (f->rules.forced_public || vary[PS_RULE_FORCED_PUBLIC]);
    n += tags && (f->rules.tag_extends != PS_TAG_NONE || vary[PS_RULE_TAG_EXTENDS]);
    n += ix && (f->rules.interaction_extends != PS_IX_NONE || vary[PS_RULE_INTERACTION_EXTENDS]);
    n += shares && (f->rules.reshare != PS_RESHARE_NONE || vary[PS_RULE_RESHARE]);
    n += fl && (f->rules.friendship_visibility == PS_FV_BOTH_ENDS ||
                vary[PS_RULE_FRIENDSHIP_VISIBILITY]);
    n += f->napps > 0;
    return n;
}

static void explorer_free(explorer *x)
{
    ps_model_free(x->w);
    free(x->wv);
    free(x->cur);
    free(x->origin);
    free(x->zv);
    free(x->zoff);
    for (uint32_t i = 0; x->ic && i < x->nitems; i++) {
        free(x->ic[i].deps);
        free(x->ic[i].tab);
    }
    free(x->ic);
    free(x->dirty);
    free(x->need);
    free(x->xs);
    free(x->rs);
    free(x->pj);
    for (uint32_t i = 0; x->sc && i < x->nitems; i++)
        free(x->sc[i].v);
    free(x->sc);
    free(x->seen_dense);
    map_free(&x->seen);
    free(x->base.v);
    free(x->written.v);
    for (size_t i = 0; i < x->nfinds; i++)
        free(x->finds[i].point);
    free(x->finds);
    map_free(&x->find_ix);
    map_free(&x->shapes);
}

static int explorer_init(explorer *x, const ps_model *m, const ps_space *s,
                         const ps_fuzz_opts *o)
{
    memset(x, 0, sizeof *x);
    x->m = m;
    x->s = s;
    x->o = *o;
    x->ndims = s->ndims;
    x->nitems = s->full->nitems;
    x->nviewers = ps_nviewers(s->full);
    x->budget = o->cache_bytes ? o->cache_bytes : (size_t)256 << 20;
    size_t nd = x->ndims ? x->ndims : 1, ni = x->nitems ? x->nitems : 1;
    x->w = ps_model_clone(s->full);
    x->wv = calloc(nd, 1);
    x->cur = calloc(nd, 1);
    x->origin = calloc(nd, 1);
    x->zoff = calloc(nd, sizeof *x->zoff);
    x->ic = calloc(ni, sizeof *x->ic);
    x->dirty = calloc(ni, sizeof *x->dirty);
    x->need = calloc(ni, sizeof *x->need);
    x->sc = calloc(ni, sizeof *x->sc);
    x->seen_words = ps_bits_words(x->nviewers);
    if (ni * x->seen_words * 8 <= SEEN_DENSE_MAX)
        x->seen_dense = calloc(ni * (x->seen_words ? x->seen_words : 1), 8);
    if (!x->w || !x->wv || !x->cur || !x->origin || !x->zoff || !x->ic || !x->dirty ||
        !x->need || !x->sc || (ni * x->seen_words * 8 <= SEEN_DENSE_MAX && !x->seen_dense))
        return -1;
    /* Zobrist values, from a fixed seed so that runs are repeatable */
    size_t nz = 0;
    for (uint32_t d = 0; d < x->ndims; d++) {
        x->zoff[d] = (uint32_t)nz;
        nz += s->dims[d].nalts;
    }
    x->zv = malloc((nz ? nz : 1) * sizeof *x->zv);
    if (!x->zv)
        return -1;
    uint64_t zs = 0x5eed5eed5eed5eedULL;
    for (size_t k = 0; k < nz; k++)
        x->zv[k] = splitmix(&zs);
    /* each live item's dimensions */
    for (uint32_t i = 0; i < x->nitems; i++)
        x->ic[i].live = item_live(s, i);
    for (uint32_t d = 0; d < x->ndims; d++)
        for (uint32_t k = 0; k < s->dims[d].nitems; k++) {
            icache *c = &x->ic[s->dims[d].items[k]];
            if (!c->live)
                continue;
            uint32_t *p = realloc(c->deps, (c->ndeps + 1) * sizeof *p);
            if (!p)
                return -1;
            c->deps = p;
            c->deps[c->ndeps++] = d;
        }
    /* result 0: nothing (items that are never reported) */
    if (grow((void **)&x->rs, &x->caprs, 1, sizeof *x->rs))
        return -1;
    memset(&x->rs[0], 0, sizeof x->rs[0]);
    x->rs[0].covered = true;
    x->nrs = 1;
    for (uint32_t i = 0; i < x->nitems; i++) {
        icache *c = &x->ic[i];
        c->cur = 0;
        if (!c->live)
            continue;
        for (uint32_t k = 0; k < c->ndeps; k++)
            c->h += x->zv[x->zoff[c->deps[k]]];
        c->dirty = true;
        c->cur = UINT32_MAX;
        x->dirty[x->ndirty++] = i;
    }
    ps_space_origin(s, x->origin);
    x->rules_possible = rules_possible(s);
    return 0;
}

/* Collects the exposures of `point` into `set` (without caching). */
static int collect(explorer *x, const uint8_t *point, tset *set, uint32_t *count)
{
    for (uint32_t i = 0; i < x->nitems; i++)
        x->need[i] = x->ic[i].live;
    int rc = engine_pass(x, point);
    for (uint32_t i = 0; i < x->nitems; i++) {
        if (!x->need[i])
            continue;
        x->need[i] = false;
        for (size_t k = 0; !rc && k < x->sc[i].n; k++)
            rc = tset_add(set, i, x->sc[i].v[k].viewer, x->sc[i].v[k].shape);
    }
    *count = (uint32_t)set->n;
    return rc;
}

/* ---------------------------------------------------------------------------------------
 * Findings and coverage at the current point
 * ------------------------------------------------------------------------------------- */

static int offer(explorer *x, uint64_t shape, uint8_t sev, uint32_t item, uint32_t viewer)
{
    uint32_t k = map_get(&x->find_ix, shape);
    if (k == UINT32_MAX) {
        if (grow((void **)&x->finds, &x->capfinds, x->nfinds + 1, sizeof *x->finds))
            return -1;
        ffind *f = &x->finds[x->nfinds];
        f->point = malloc(x->ndims ? x->ndims : 1);
        if (!f->point || map_put(&x->find_ix, shape, (uint32_t)x->nfinds)) {
            free(f->point);
            return -1;
        }
        memcpy(f->point, x->cur, x->ndims);
        f->shape = shape;
        f->sev = sev;
        f->item = item;
        f->viewer = viewer;
        f->dist = x->dist;
        f->found_at = x->first + x->points;
        x->nfinds++;
        x->new_finding = true;
        return 0;
    }
    ffind *f = &x->finds[k];
    if (sev > f->sev || (sev == f->sev && x->dist < f->dist)) {
        memcpy(f->point, x->cur, x->ndims);
        f->sev = sev;
        f->item = item;
        f->viewer = viewer;
        f->dist = x->dist;
    }
    return 0;
}

/* Records the current point: its findings and its coverage.  Returns 1 when it reached a
 * rule, a shape or a finding not seen before, 0 otherwise, -1 out of memory. */
static int visit(explorer *x)
{
    x->points++;
    x->new_finding = false;
    bool grew = false;
    for (uint32_t i = 0; i < x->nitems; i++) {
        const icache *c = &x->ic[i];
        if (!c->live)
            continue;
        iresult *r = &x->rs[c->cur];
        if (!r->covered) {
            r->covered = true;
            uint64_t f0 = x->feat[0] | r->feat[0], f1 = x->feat[1] | r->feat[1];
            grew |= f0 != x->feat[0] || f1 != x->feat[1];
            x->feat[0] = f0;
            x->feat[1] = f1;
            for (uint32_t k = 0; k < r->n; k++) {
                uint64_t sh = x->xs[r->off + k].shape;
                if (map_get(&x->shapes, sh) == UINT32_MAX) {
                    if (map_put(&x->shapes, sh, 0))
                        return -1;
                    grew = true;
                }
            }
        }
        for (uint32_t k = 0; k < r->nnovel; k++) {
            const xentry *e = &x->xs[r->off + k];
            if (offer(x, e->shape, e->sev, i, e->viewer))
                return -1;
        }
    }
    return grew || x->new_finding;
}

static uint32_t rules_reached(const uint64_t feat[2])
{
    uint32_t n = 0;
    for (unsigned via = 1; via < PS_NVIA; via++) {
        bool any = false;
        for (unsigned t = 0; t < 10; t++) {
            unsigned f = via * 10 + t;
            any |= (feat[f >> 6] >> (f & 63)) & 1;
        }
        n += any;
    }
    return n;
}

/* Every 256 points: the time limit and the progress line. */
static void tick(explorer *x)
{
    if (x->points & 255)
        return;
    double t = now();
    if (x->o.max_time > 0 && t - x->t0 >= x->o.max_time)
        x->stop = true;
    if (x->o.progress && t - x->last_report >= 0.25) {
        x->last_report = t;
        ps_fuzz_progress p = { .points = x->points, .seconds = t - x->t0,
                               .findings = (uint32_t)x->nfinds,
                               .rules = rules_reached(x->feat),
                               .rules_possible = x->rules_possible,
                               .shapes = (uint32_t)x->shapes.n };
        x->o.progress(&p, x->o.payload);
    }
}

/* ---------------------------------------------------------------------------------------
 * Strategies
 * ------------------------------------------------------------------------------------- */

/* Walks the points of the Gray order from number lo (0 is the origin) until number `end`
 * (lo < end), or the end of the space, which sets *complete. */
static int run_exhaustive(explorer *x, uint64_t lo, uint64_t end, bool *complete)
{
    uint32_t n = x->ndims;
    int32_t *a = calloc(n + 1, sizeof *a), *dir = calloc(n + 1, sizeof *dir);
    uint32_t *f = calloc(n + 1, sizeof *f);
    int rc = -1;
    if (!a || !dir || !f)
        goto out;
    for (uint32_t j = 0; j <= n; j++) {
        f[j] = j;
        dir[j] = 1;
    }
    *complete = false;
    /* the Gray code's state at point lo, by running it without visiting */
    for (uint64_t k = 0; k < lo; k++) {
        uint32_t j = f[0];
        f[0] = 0;
        if (j == n)
            break;
        a[j] += dir[j];
        if (a[j] == 0 || a[j] == (int32_t)x->s->dims[j].nalts - 1) {
            dir[j] = -dir[j];
            f[j] = f[j + 1];
            f[j + 1] = j + 1;
        }
    }
    if (lo) {
        uint8_t *p = malloc(n ? n : 1);
        if (!p)
            goto out;
        for (uint32_t d = 0; d < n; d++)
            p[d] = (uint8_t)((x->s->dims[d].origin + (uint32_t)a[d]) % x->s->dims[d].nalts);
        int r = goto_point(x, p);
        free(p);
        if (r)
            goto out;
    } else if (goto_point(x, x->origin)) {
        goto out;
    }
    x->first = lo;
    if (visit(x) < 0)
        goto out;
    while (!x->stop && x->first + x->points < end) {
        uint32_t j = f[0];
        f[0] = 0;
        if (j == n) {
            *complete = true;
            break;
        }
        a[j] += dir[j];
        const ps_dim *dim = &x->s->dims[j];
        change_dim(x, j, (dim->origin + (uint32_t)a[j]) % dim->nalts);
        if (a[j] == 0 || a[j] == (int32_t)dim->nalts - 1) {
            dir[j] = -dir[j];
            f[j] = f[j + 1];
            f[j + 1] = j + 1;
        }
        if (settle(x) || visit(x) < 0)
            goto out;
        tick(x);
    }
    if (n == 0)
        *complete = true;
    rc = 0;
out:
    free(a);
    free(dir);
    free(f);
    return rc;
}

/* Draws the points numbered [lo, hi) of the random sequence (0 is the origin).  Every point
 * after the origin takes 1 + ndims numbers of the generator, and the generator's state after
 * k numbers is its start plus k times its increment: so a part starts where the whole search
 * would be at its first point. */
static int run_random(explorer *x, uint64_t lo, uint64_t hi, uint64_t *rng)
{
    if (lo >= hi)
        return 0;
    uint8_t *p = malloc(x->ndims ? x->ndims : 1);
    if (!p)
        return -1;
    int rc = -1;
    x->first = lo;
    if (lo == 0) {
        if (goto_point(x, x->origin) || visit(x) < 0)
            goto out;
    } else {
        *rng += (lo - 1) * (1 + (uint64_t)x->ndims) * SPLITMIX_STEP;
    }
    /* levels of change probability: 1, 1/2, 1/4, ... down to about one dimension */
    uint32_t levels = 1;
    while (levels < 32 && (1u << (levels - 1)) < x->ndims)
        levels++;
    while (!x->stop && x->first + x->points < hi) {
        uint32_t lvl = below(rng, levels);
        for (uint32_t d = 0; d < x->ndims; d++) {
            uint64_t r = splitmix(rng);
            bool change = (r & ((1ULL << lvl) - 1)) == 0;
            p[d] = change ? (uint8_t)((r >> 32) % x->s->dims[d].nalts) : x->origin[d];
        }
        if (goto_point(x, p) || visit(x) < 0)
            goto out;
        tick(x);
    }
    rc = 0;
out:
    free(p);
    return rc;
}

static int run_guided(explorer *x, uint64_t max, uint64_t *rng, uint32_t *kept)
{
    size_t nd = x->ndims ? x->ndims : 1;
    uint8_t *corpus = NULL, *p = malloc(nd);
    size_t ncorpus = 0, cap = 0;
    int rc = -1;
    if (!p || grow((void **)&corpus, &cap, nd, 1))
        goto out;
    memcpy(corpus, x->origin, x->ndims);
    ncorpus = 1;
    if (goto_point(x, x->origin) || visit(x) < 0)
        goto out;
    while (!x->stop && x->points < max) {
        /* favour the newest entries: half the time one of the last eight */
        size_t pick = (splitmix(rng) & 1) && ncorpus > 8 ? ncorpus - 1 - below(rng, 8)
                                                          : below(rng, (uint32_t)ncorpus);
        memcpy(p, corpus + pick * nd, x->ndims);
        if (x->ndims) {
            uint32_t nmut = 1;
            while (nmut < 8 && (splitmix(rng) & 1))
                nmut++;
            for (uint32_t k = 0; k < nmut; k++) {
                uint32_t d = below(rng, x->ndims);
                uint32_t na = x->s->dims[d].nalts;
                uint32_t a = below(rng, na - 1);
                p[d] = (uint8_t)(a >= p[d] ? a + 1 : a);
            }
            if (ncorpus > 1 && below(rng, 8) == 0) {
                const uint8_t *o = corpus + below(rng, (uint32_t)ncorpus) * nd;
                for (uint32_t d = 0; d < x->ndims; d++)
                    if (splitmix(rng) & 1)
                        p[d] = o[d];
            }
        }
        if (goto_point(x, p))
            goto out;
        int r = visit(x);
        if (r < 0)
            goto out;
        if (r) {
            if (grow((void **)&corpus, &cap, (ncorpus + 1) * nd, 1))
                goto out;
            memcpy(corpus + ncorpus * nd, p, x->ndims);
            ncorpus++;
        }
        tick(x);
    }
    *kept = (uint32_t)ncorpus;
    rc = 0;
out:
    free(corpus);
    free(p);
    return rc;
}

/* ---------------------------------------------------------------------------------------
 * Minimization
 * ------------------------------------------------------------------------------------- */

/* Whether the current point shows a new exposure of `shape` at least as severe as `sev`. */
static bool shows(const explorer *x, uint64_t shape, uint8_t sev)
{
    for (uint32_t i = 0; i < x->nitems; i++) {
        const iresult *r = &x->rs[x->ic[i].cur];
        for (uint32_t k = 0; k < r->nnovel; k++) {
            const xentry *e = &x->xs[r->off + k];
            if (e->shape == shape && e->sev >= sev)
                return true;
        }
    }
    return false;
}

/* Tests the origin with the dimensions sub[0..n) set as in `target`: 1 shows, 0 not, -1 OOM. */
static int try_subset(explorer *x, const ffind *f, const uint32_t *sub, uint32_t n, uint8_t *p)
{
    memcpy(p, x->origin, x->ndims);
    for (uint32_t k = 0; k < n; k++)
        p[sub[k]] = f->point[sub[k]];
    if (goto_point(x, p))
        return -1;
    return shows(x, f->shape, f->sev);
}

/* The smallest subset of changes[0..n) that still shows the finding, by size then in
 * lexicographic order; writes it into best and returns its size (n when none is smaller). */
static int smallest_subset(explorer *x, const ffind *f, const uint32_t *changes, uint32_t n,
                           uint32_t *best, uint8_t *p)
{
    uint32_t idx[16], sub[16];
    for (uint32_t k = 1; k < n; k++) {
        for (uint32_t j = 0; j < k; j++)
            idx[j] = j;
        for (;;) {
            for (uint32_t j = 0; j < k; j++)
                sub[j] = changes[idx[j]];
            int r = try_subset(x, f, sub, k, p);
            if (r < 0)
                return -1;
            if (r) {
                memcpy(best, sub, k * sizeof *sub);
                return (int)k;
            }
            int j = (int)k - 1;
            while (j >= 0 && idx[j] == n - k + (uint32_t)j)
                j--;
            if (j < 0)
                break;
            idx[j]++;
            for (uint32_t t = (uint32_t)j + 1; t < k; t++)
                idx[t] = idx[t - 1] + 1;
        }
    }
    memcpy(best, changes, n * sizeof *changes);
    return (int)n;
}

/* Delta debugging (ddmin) over the changes: a 1-minimal subset, in place; returns its size. */
static int ddmin(explorer *x, const ffind *f, uint32_t *c, uint32_t n, uint8_t *p)
{
    uint32_t *tmp = malloc((n ? n : 1) * sizeof *tmp);
    if (!tmp)
        return -1;
    uint32_t parts = 2;
    while (n >= 2) {
        bool reduced = false;
        uint32_t chunk = (n + parts - 1) / parts;
        for (uint32_t s = 0; s < n && !reduced; s += chunk) {
            uint32_t e = s + chunk < n ? s + chunk : n;
            /* the chunk alone */
            int r = try_subset(x, f, c + s, e - s, p);
            if (r < 0)
                goto oom;
            if (r) {
                memmove(c, c + s, (e - s) * sizeof *c);
                n = e - s;
                parts = 2;
                reduced = true;
                break;
            }
            /* everything but the chunk */
            uint32_t m = 0;
            for (uint32_t k = 0; k < n; k++)
                if (k < s || k >= e)
                    tmp[m++] = c[k];
            r = try_subset(x, f, tmp, m, p);
            if (r < 0)
                goto oom;
            if (r) {
                memcpy(c, tmp, m * sizeof *c);
                n = m;
                parts = parts > 2 ? parts - 1 : 2;
                reduced = true;
            }
        }
        if (!reduced) {
            if (parts >= n)
                break;
            parts = parts * 2 < n ? parts * 2 : n;
        }
    }
    free(tmp);
    return (int)n;
oom:
    free(tmp);
    return -1;
}

static int minimize(explorer *x, ffind *f)
{
    uint32_t *c = malloc((x->ndims ? x->ndims : 1) * sizeof *c);
    uint32_t *best = malloc((x->ndims ? x->ndims : 1) * sizeof *best);
    uint8_t *p = malloc(x->ndims ? x->ndims : 1);
    int rc = -1;
    if (!c || !best || !p)
        goto out;
    uint32_t n = 0;
    for (uint32_t d = 0; d < x->ndims; d++)
        if (f->point[d] != x->origin[d])
            c[n++] = d;
    if (n > 12) {
        int r = ddmin(x, f, c, n, p);
        if (r < 0)
            goto out;
        n = (uint32_t)r;
    }
    if (n <= 12) {
        int r = smallest_subset(x, f, c, n, best, p);
        if (r < 0)
            goto out;
        n = (uint32_t)r;
    } else {
        memcpy(best, c, n * sizeof *c);
    }
    memcpy(p, x->origin, x->ndims);
    for (uint32_t k = 0; k < n; k++)
        p[best[k]] = f->point[best[k]];
    memcpy(f->point, p, x->ndims);
    f->dist = n;
    rc = 0;
out:
    free(c);
    free(best);
    free(p);
    return rc;
}

/* ---------------------------------------------------------------------------------------
 * Results
 * ------------------------------------------------------------------------------------- */

/* Fills a finding from the explorer's current point (which must be the finding's point). */
static int describe_finding(explorer *x, const ffind *f, ps_finding *out)
{
    memset(out, 0, sizeof *out);
    out->shape = f->shape;
    out->found_at = f->found_at;
    out->point = malloc(x->ndims ? x->ndims : 1);
    out->changes = malloc((x->ndims ? x->ndims : 1) * sizeof *out->changes);
    uint64_t *vs = ps_bits_new(x->nviewers);
    if (!out->point || !out->changes || !vs) {
        free(vs);
        return -1;
    }
    memcpy(out->point, x->cur, x->ndims);
    for (uint32_t d = 0; d < x->ndims; d++)
        if (x->cur[d] != x->origin[d])
            out->changes[out->nchanges++] = d;
    bool have = false;
    for (uint32_t i = 0; i < x->nitems; i++) {
        const iresult *r = &x->rs[x->ic[i].cur];
        bool on_item = false;
        for (uint32_t k = 0; k < r->nnovel; k++) {
            const xentry *e = &x->xs[r->off + k];
            if (e->shape != f->shape)
                continue;
            on_item = true;
            if (!ps_bits_get(vs, e->viewer)) {
                ps_bits_set(vs, e->viewer);
                out->nviewers++;
            }
            if (!have || e->sev > out->severity) {
                have = true;
                out->severity = e->sev;
                out->item = i;
                out->viewer = e->viewer;
            }
        }
        out->nitems += on_item;
    }
    free(vs);
    if (!have) {
        /* cannot happen: the point was chosen for showing it */
        out->severity = f->sev;
        out->item = f->item;
        out->viewer = f->viewer;
    }
    out->as_written = tset_has(&x->written, out->item, out->viewer, f->shape);
    /* the shape as text, from the engine's own path */
    out->shape_text[0] = 0;
    return 0;
}

/* Checks a finding with ps_check() on its point written out as a scenario; also fills its
 * shape text.  1 confirmed, 0 not, -1 out of memory. */
static int verify(const ps_space *s, ps_finding *f)
{
    ps_model *pm = ps_space_point_model(s, f->point);
    if (!pm)
        return -1;
    ps_check_opts co = { .fixes = false };
    ps_report *r;
    if (ps_check(pm, &co, &r)) {
        ps_model_free(pm);
        return -1;
    }
    int ok = 0;
    for (uint32_t i = 0; i < r->nexposures && !ok; i++) {
        const ps_exposure *e = &r->exposures[i];
        if (e->item == f->item && e->viewer == f->viewer && ps_path_shape(&e->path) == f->shape) {
            ps_path_shape_text(&e->path, f->shape_text, sizeof f->shape_text);
            ok = 1;
        }
    }
    ps_report_free(r);
    ps_model_free(pm);
    return ok;
}

/* The shape's text without check: from the engine at the finding's point. */
static int shape_text_of(explorer *x, ps_finding *f)
{
    ps_model *pm = ps_space_point_model(x->s, f->point);
    if (!pm)
        return -1;
    ps_engine *e = ps_engine_new(pm);
    int rc = -1;
    if (!e)
        goto out;
    for (;;) {
        if (ps_engine_eval(e, f->item))
            goto out;
        ps_path p;
        if (ps_engine_sees(e, f->viewer) && !ps_engine_intended(e, f->item, f->viewer) &&
            !ps_engine_path(e, f->viewer, &p) && ps_path_shape(&p) == f->shape) {
            ps_path_shape_text(&p, f->shape_text, sizeof f->shape_text);
            break;
        }
        int r = ps_engine_step(e, NULL);
        if (r < 0)
            goto out;
        if (r == 0)
            break;
    }
    rc = 0;
out:
    ps_engine_free(e);
    ps_model_free(pm);
    return rc;
}

static int cmp_finding(const void *a, const void *b)
{
    const ps_finding *p = a, *q = b;
    if (p->severity != q->severity)
        return p->severity > q->severity ? -1 : 1;
    if (p->nviewers != q->nviewers)
        return p->nviewers > q->nviewers ? -1 : 1;
    if (p->nchanges != q->nchanges)
        return p->nchanges < q->nchanges ? -1 : 1;
    int c = strcmp(p->shape_text, q->shape_text);
    if (c)
        return c;
    if (p->item != q->item)
        return p->item < q->item ? -1 : 1;
    return p->found_at < q->found_at ? -1 : p->found_at > q->found_at;
}

void ps_fuzz_result_free(ps_fuzz_result *r)
{
    if (!r)
        return;
    for (uint32_t i = 0; i < r->nfindings; i++) {
        free(r->findings[i].point);
        free(r->findings[i].changes);
    }
    free(r->findings);
    free(r);
}

/* The options of a call (NULL: exhaustive, seed 1), with its error message emptied. */
static const ps_fuzz_opts *entry(const ps_fuzz_opts *o, char *err, size_t errlen)
{
    static const ps_fuzz_opts defaults = { .strategy = PS_STRAT_EXHAUSTIVE, .seed = 1 };
    if (errlen)
        err[0] = 0;
    return o ? o : &defaults;
}

/* The point budget of the search that `o` describes: *max as the strategies count it, *total
 * the points that a split divides (for exhaustive, no more than the space has). */
static int search_limits(const ps_space *s, const ps_fuzz_opts *o, uint64_t *max,
                         uint64_t *total, char *err, size_t errlen)
{
    uint64_t mx = o->max_points;
    if (o->strategy == PS_STRAT_EXHAUSTIVE && !mx) {
        if (s->npoints > PS_FUZZ_EXHAUSTIVE_MAX) {
            snprintf(err, errlen, "the space has %.3g points, too many to search them all; "
                     "use --strategy random or guided, or --max-points", s->npoints);
            return -2;
        }
        mx = UINT64_MAX;
    } else if (!mx) {
        mx = 200000;
    }
    *max = *total = mx;
    if (o->strategy == PS_STRAT_EXHAUSTIVE && s->npoints < (double)mx)
        *total = (uint64_t)s->npoints;
    return 0;
}

/* Share `part` of `nparts` of the points numbered [0, total): [*lo, *hi). */
static void share_of(uint64_t total, uint32_t part, uint32_t nparts, uint64_t *lo, uint64_t *hi)
{
    if (nparts <= 1) {
        *lo = 0;
        *hi = total;
        return;
    }
    uint64_t q = total / nparts, r = total % nparts;
    *lo = q * part + r * part / nparts;
    *hi = q * (part + 1) + r * (part + 1) / nparts;
}

/* Sets up the explorer and the exposures of the origin and of the scenario as written. */
static int start(explorer *x, const ps_model *m, const ps_space *s, const ps_fuzz_opts *o,
                 ps_fuzz_partial *p)
{
    if (explorer_init(x, m, s, o))
        return -1;
    uint8_t *zeros = calloc(x->ndims ? x->ndims : 1, 1);
    if (!zeros)
        return -1;
    int rc = collect(x, x->origin, &x->base, &p->nbaseline) ||
             collect(x, zeros, &x->written, &p->nwritten) ? -1 : 0;
    free(zeros);
    return rc;
}

/* Searches o's share of the space: the candidates in x->finds, the statistics in p. */
static int search(explorer *x, const ps_model *m, const ps_space *s, const ps_fuzz_opts *o,
                  ps_fuzz_partial *p, char *err, size_t errlen)
{
    uint64_t max, total, lo, hi;
    int rc = search_limits(s, o, &max, &total, err, errlen);
    if (rc)
        return rc;
    if (start(x, m, s, o, p))
        return -1;
    share_of(total, o->part, o->nparts, &lo, &hi);
    uint64_t rng = o->seed ^ 0x7f4a7c159e3779b9ULL;
    x->t0 = now();
    x->last_report = x->t0;
    int sr = 0;
    switch (o->strategy) {
    case PS_STRAT_RANDOM: sr = run_random(x, lo, hi, &rng); break;
    case PS_STRAT_GUIDED:
        /* a corpus grows from everything seen before: each share is a search of its own,
         * on its own stream of the generator (share 0 on the whole search's) */
        rng += (uint64_t)o->part * 0xd1b54a32d192ed03ULL;
        x->first = lo;
        if (lo < hi)
            sr = run_guided(x, hi - lo, &rng, &p->corpus);
        break;
    default:
        /* the share that ends the points runs on to the search's limit, so that it sees the
         * end of the space as the whole search does */
        if (lo < hi)
            sr = run_exhaustive(x, lo, hi == total ? max : hi, &p->complete);
        break;
    }
    if (sr)
        return -1;
    p->seconds = now() - x->t0;
    p->points = x->points;
    p->feat[0] = x->feat[0];
    p->feat[1] = x->feat[1];
    p->nshapes = (uint32_t)x->shapes.n;
    return 0;
}

/* Minimizes, describes, verifies and ranks the candidates in x->finds into *out; the
 * search's statistics come from p. */
static int finish(explorer *x, const ps_fuzz_opts *o, const ps_fuzz_partial *p,
                  ps_fuzz_result **out, char *err, size_t errlen)
{
    ps_fuzz_result *r = calloc(1, sizeof *r);
    if (!r)
        return -1;
    int rc = -1;
    r->seconds = p->seconds;
    r->points = p->points;
    r->complete = p->complete;
    r->corpus = p->corpus;
    r->nbaseline = p->nbaseline;
    r->nwritten = p->nwritten;
    r->rules = rules_reached(p->feat);
    r->rules_possible = x->rules_possible;
    r->features = (uint32_t)(__builtin_popcountll(p->feat[0]) + __builtin_popcountll(p->feat[1]));
    r->shapes = p->nshapes;
    if (x->nfinds) {
        r->findings = calloc(x->nfinds, sizeof *r->findings);
        if (!r->findings)
            goto out;
    }
    for (size_t k = 0; k < x->nfinds; k++) {
        ffind *f = &x->finds[k];
        if (!o->no_minimize && minimize(x, f))
            goto out;
        if (goto_point(x, f->point))
            goto out;
        ps_finding *pf = &r->findings[r->nfindings++];
        if (describe_finding(x, f, pf))
            goto out;
        if (o->no_verify) {
            if (shape_text_of(x, pf))
                goto out;
        } else {
            int v = verify(x->s, pf);
            if (v < 0)
                goto out;
            pf->verified = v == 1;
            if (!pf->verified) {
                snprintf(err, errlen, "internal error: finding %u (item %u, viewer %u) is not "
                         "confirmed by check", (unsigned)k + 1, (unsigned)pf->item,
                         (unsigned)pf->viewer);
                rc = -3;
                goto out;
            }
        }
    }
    r->evaluations = p->evaluations + x->evaluations;
    if (r->nfindings > 1)
        qsort(r->findings, r->nfindings, sizeof *r->findings, cmp_finding);
    rc = 0;
out:
    if (rc)
        ps_fuzz_result_free(r);
    else
        *out = r;
    return rc;
}

int ps_fuzz_run(const ps_model *m, const ps_space *s, const ps_fuzz_opts *o,
                ps_fuzz_result **out, char *err, size_t errlen)
{
    o = entry(o, err, errlen);
    *out = NULL;
    explorer x = {0};
    ps_fuzz_partial p = {0};
    int rc = search(&x, m, s, o, &p, err, errlen);
    if (!rc)
        rc = finish(&x, o, &p, out, err, errlen);
    explorer_free(&x);
    return rc;
}

void ps_fuzz_partial_free(ps_fuzz_partial *p)
{
    if (!p)
        return;
    for (uint32_t i = 0; i < p->ncands; i++)
        free(p->cands[i].point);
    free(p->cands);
    free(p->shapes);
    free(p);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t p = *(const uint64_t *)a, q = *(const uint64_t *)b;
    return p < q ? -1 : p > q;
}

int ps_fuzz_search(const ps_model *m, const ps_space *s, const ps_fuzz_opts *o,
                   ps_fuzz_partial **out, char *err, size_t errlen)
{
    o = entry(o, err, errlen);
    *out = NULL;
    explorer x = {0};
    ps_fuzz_partial *p = calloc(1, sizeof *p);
    int rc = p ? search(&x, m, s, o, p, err, errlen) : -1;
    if (rc)
        goto out;
    rc = -1;
    p->evaluations = x.evaluations;
    p->cands = calloc(x.nfinds ? x.nfinds : 1, sizeof *p->cands);
    p->shapes = malloc((x.shapes.n ? x.shapes.n : 1) * sizeof *p->shapes);
    if (!p->cands || !p->shapes)
        goto out;
    for (size_t k = 0; k < x.nfinds; k++) {
        const ffind *f = &x.finds[k];
        p->cands[p->ncands++] = (ps_fuzz_candidate){ f->shape, f->sev, f->item, f->viewer,
                                                     f->dist, f->found_at, f->point };
        x.finds[k].point = NULL; /* now the partial's */
    }
    p->nshapes = 0;
    for (size_t i = 0; i < x.shapes.cap; i++)
        if (x.shapes.val[i] != UINT32_MAX)
            p->shapes[p->nshapes++] = x.shapes.key[i];
    qsort(p->shapes, p->nshapes, sizeof *p->shapes, cmp_u64);
    rc = 0;
out:
    explorer_free(&x);
    if (rc)
        ps_fuzz_partial_free(p);
    else
        *out = p;
    return rc;
}

int ps_fuzz_finish(const ps_model *m, const ps_space *s, const ps_fuzz_opts *o,
                   const ps_fuzz_partial *p, ps_fuzz_result **out, char *err, size_t errlen)
{
    o = entry(o, err, errlen);
    *out = NULL;
    explorer x = {0};
    ps_fuzz_partial mine = {0};
    int rc = -1;
    if (start(&x, m, s, o, &mine))
        goto out;
    if (p->ncands) {
        x.finds = calloc(p->ncands, sizeof *x.finds);
        if (!x.finds)
            goto out;
        x.capfinds = p->ncands;
    }
    for (uint32_t k = 0; k < p->ncands; k++) {
        const ps_fuzz_candidate *c = &p->cands[k];
        ffind *f = &x.finds[k];
        f->point = malloc(x.ndims ? x.ndims : 1);
        if (!f->point)
            goto out;
        memcpy(f->point, c->point, x.ndims);
        f->shape = c->shape;
        f->sev = c->severity;
        f->item = c->item;
        f->viewer = c->viewer;
        f->dist = c->dist;
        f->found_at = c->found_at;
        x.nfinds++;
    }
    rc = finish(&x, o, p, out, err, errlen);
out:
    explorer_free(&x);
    return rc;
}

/* ---------------------------------------------------------------------------------------
 * One point at a time
 * ------------------------------------------------------------------------------------- */

struct ps_fuzz_eval {
    explorer x;
    ps_fuzz_exposure *v; size_t n, cap;
};

int ps_fuzz_eval_new(const ps_model *m, const ps_space *s, size_t cache_bytes,
                     ps_fuzz_eval **out)
{
    *out = NULL;
    ps_fuzz_eval *ev = calloc(1, sizeof *ev);
    if (!ev)
        return -1;
    ps_fuzz_opts o = { .cache_bytes = cache_bytes };
    uint32_t n;
    if (explorer_init(&ev->x, m, s, &o) || collect(&ev->x, ev->x.origin, &ev->x.base, &n)) {
        ps_fuzz_eval_free(ev);
        return -1;
    }
    *out = ev;
    return 0;
}

void ps_fuzz_eval_free(ps_fuzz_eval *ev)
{
    if (!ev)
        return;
    explorer_free(&ev->x);
    free(ev->v);
    free(ev);
}

int ps_fuzz_eval_point(ps_fuzz_eval *ev, const uint8_t *point, const ps_fuzz_exposure **out,
                       uint32_t *n)
{
    explorer *x = &ev->x;
    *out = NULL;
    *n = 0;
    if (goto_point(x, point))
        return -1;
    ev->n = 0;
    for (uint32_t i = 0; i < x->nitems; i++) {
        const iresult *r = &x->rs[x->ic[i].cur];
        size_t first = ev->n;
        for (uint32_t k = 0; k < r->n; k++) {
            const xentry *e = &x->xs[r->off + k];
            if (grow((void **)&ev->v, &ev->cap, ev->n + 1, sizeof *ev->v))
                return -1;
            ev->v[ev->n++] = (ps_fuzz_exposure){ i, e->viewer, e->shape, e->sev, e->novel };
        }
        /* novel entries come first in a result: put the item's exposures in viewer order */
        for (size_t a = first + 1; a < ev->n; a++)
            for (size_t b = a; b > first && ev->v[b - 1].viewer > ev->v[b].viewer; b--) {
                ps_fuzz_exposure t = ev->v[b];
                ev->v[b] = ev->v[b - 1];
                ev->v[b - 1] = t;
            }
    }
    *out = ev->v;
    *n = (uint32_t)ev->n;
    return 0;
}
