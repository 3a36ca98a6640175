/* engine.c - effective audiences and their derivations, over a timeline of steps.
 *
 * The engine owns a copy of the model and replays its `do` steps on it one at a time.  In any
 * state, ps_engine_eval() computes one item's effective audience following the numbered rules
 * of the README's "How privsim computes who sees what": owner, group or audience terms,
 * forced-public, tags, the owner's hide set, then interactions and shares to a fixed point,
 * then friendships (for friend lists) and apps.  Each viewer reached gets a grant (the last
 * link of its shortest derivation); when a viewer is reached again by a shorter chain, its
 * grant is replaced.  Depths along a chain strictly decrease towards the owner, so following
 * grants back always ends at the owner.
 *
 * Scratch state (bitsets and grant arrays over all viewers) is allocated once per engine and
 * reset per item by walking the list of viewers touched, so an item with a small audience costs
 * little even in a network of millions.
 */
#include "engine.h"
#include "bitset.h"
#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------
 * Names
 * ------------------------------------------------------------------------------------- */

static const char *const via_names[PS_NVIA] = {
    "none", "owner", "audience", "tag", "interaction", "share", "group", "forced-public",
    "friendship", "app",
};

const char *ps_via_name(ps_via via)
{
    return via < PS_NVIA ? via_names[via] : "?";
}

static const char *const severity_names[PS_NSEV] = { "beyond-intent", "external", "forbidden" };

const char *ps_severity_name(ps_severity s)
{
    return s < PS_NSEV ? severity_names[s] : "?";
}

const char *ps_viewer_name(const ps_model *m, uint32_t viewer, char *buf, size_t cap)
{
    if (viewer < m->nusers)
        snprintf(buf, cap, "%s", m->users[viewer].name);
    else if (viewer == m->nusers)
        snprintf(buf, cap, "internet");
    else if (viewer - m->nusers - 1 < m->napps)
        snprintf(buf, cap, "app:%s", m->apps[viewer - m->nusers - 1].name);
    else
        snprintf(buf, cap, "?");
    return buf;
}

/* ---------------------------------------------------------------------------------------
 * Marked sets of viewers
 * ------------------------------------------------------------------------------------- */

static int ms_alloc(ps_markset *s, uint32_t n)
{
    s->bits = ps_bits_new(n);
    s->list = malloc((size_t)(n ? n : 1) * sizeof *s->list);
    s->n = 0;
    s->unlisted = false;
    s->all_users = false;
    s->words = ps_bits_words(n);
    return s->bits && s->list ? 0 : -1;
}

static void ms_free(ps_markset *s)
{
    free(s->bits);
    free(s->list);
}

/* Empties the set in the time it took to fill it. */
static void ms_clear(ps_markset *s)
{
    if (s->unlisted)
        memset(s->bits, 0, s->words * sizeof *s->bits);
    else
        for (uint32_t i = 0; i < s->n; i++)
            ps_bits_clear(s->bits, s->list[i]);
    s->n = 0;
    s->unlisted = false;
    s->all_users = false;
}

static inline void ms_add(ps_markset *s, uint32_t v)
{
    if (!ps_bits_get(s->bits, v)) {
        ps_bits_set(s->bits, v);
        if (!s->unlisted)
            s->list[s->n++] = v;
    }
}

/* Makes s->list the set's viewers again after bits were set word by word. */
static void ms_list(ps_markset *s)
{
    if (!s->unlisted)
        return;
    s->n = 0;
    for (size_t w = 0; w < s->words; w++)
        for (uint64_t b = s->bits[w]; b; b &= b - 1)
            s->list[s->n++] = (uint32_t)(w * 64 + (unsigned)__builtin_ctzll(b));
    s->unlisted = false;
}

static inline bool ms_has(const ps_markset *s, uint32_t v, uint32_t nusers)
{
    return (s->all_users && v < nusers) || ps_bits_get(s->bits, v);
}

/* ---------------------------------------------------------------------------------------
 * Lifetime
 * ------------------------------------------------------------------------------------- */

static int alloc_scratch(ps_engine *e)
{
    uint32_t n = ps_nviewers(e->m);
    e->nviewers = n;
    e->seen = ps_bits_new(n);
    e->grant = calloc(n ? n : 1, sizeof *e->grant);
    e->touched = malloc((size_t)(n ? n : 1) * sizeof *e->touched);
    e->sorted = malloc((size_t)(n ? n : 1) * sizeof *e->sorted);
    e->user_friendlist = malloc((size_t)(e->m->nusers ? e->m->nusers : 1) * sizeof(uint32_t));
    ps_markset *sets[] = { &e->cls_out, &e->hidden, &e->mask, &e->intended, &e->intent_hide,
                           &e->intent_extra, &e->forbid };
    int rc = 0;
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++)
        rc |= ms_alloc(sets[i], n);
    e->row_words = ps_bits_words(e->m->nusers);
    e->fof_bits = calloc(e->row_words ? e->row_words : 1, sizeof *e->fof_bits);
    e->fof_list = malloc((size_t)(e->m->nusers ? e->m->nusers : 1) * sizeof *e->fof_list);
    e->fof_memo = PS_NONE;
    if (rc || !e->fof_bits || !e->fof_list || !e->seen || !e->grant || !e->touched || !e->sorted || !e->user_friendlist)
        return -1;
    return 0;
}

/* Maps each user to the item of their friend list, if the model has one. */
static void index_friendlists(ps_engine *e)
{
    ps_model *m = e->m;
    for (uint32_t u = 0; u < m->nusers; u++)
        e->user_friendlist[u] = PS_NONE;
    for (uint32_t i = 0; i < m->nitems; i++) {
        const ps_item *it = &m->items[i];
        if (it->kind == PS_ITEM_FIELD && it->field == PS_F_FRIENDLIST && it->owner < m->nusers)
            e->user_friendlist[it->owner] = i;
    }
    e->indexed_items = m->nitems;
}

/* An engine over `m` itself when `shared`, else over a copy of it. */
static ps_engine *engine_new(const ps_model *m, bool shared)
{
    ps_engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    /* a shared model is only read: its friendships are indexed and it has no timeline */
    e->m = shared ? (ps_model *)m : ps_model_clone(m);
    e->shared = shared;
    e->item = PS_NONE;
    e->prefill_item = PS_NONE;
    if (!e->m || alloc_scratch(e)) {
        ps_engine_free(e);
        return NULL;
    }
    if (m->nsteps) {
        e->disabled = calloc(m->nsteps, sizeof *e->disabled);
        if (!e->disabled) {
            ps_engine_free(e);
            return NULL;
        }
    }
    index_friendlists(e);
    return e;
}

ps_engine *ps_engine_new(const ps_model *m)
{
    return engine_new(m, false);
}

ps_engine *ps_engine__new_shared(const ps_model *m)
{
    if (m->nsteps || m->adj_stale)
        return NULL;
    return engine_new(m, true);
}

void ps_engine_free(ps_engine *e)
{
    if (!e)
        return;
    if (!e->shared)
        ps_model_free(e->m);
    free(e->shares);
    free(e->ix);
    free(e->share_of.first);
    free(e->share_of.last);
    free(e->ix_of.first);
    free(e->ix_of.last);
    free(e->disabled);
    free(e->seen);
    free(e->grant);
    ps_markset *sets[] = { &e->cls_out, &e->hidden, &e->mask, &e->intended, &e->intent_hide,
                           &e->intent_extra, &e->forbid };
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++)
        ms_free(sets[i]);
    free(e->rows);
    free(e->row_span);
    free(e->fof_bits);
    free(e->fof_list);
    free(e->touched);
    free(e->sorted);
    free(e->user_friendlist);
    free(e);
}

ps_model *ps_engine_model(ps_engine *e) { return e->m; }
uint32_t ps_engine_position(const ps_engine *e) { return e->pos; }

void ps_engine__disable_step(ps_engine *e, uint32_t step)
{
    if (e->disabled && step < e->m->nsteps)
        e->disabled[step] = true;
}

/* ---------------------------------------------------------------------------------------
 * The effective audience being built: viewers one by one, and the class of every user
 * ------------------------------------------------------------------------------------- */

static inline bool class_covers(const ps_engine *e, uint32_t v)
{
    return e->cls_on && v < e->m->nusers && !ps_bits_get(e->cls_out.bits, v);
}

static inline bool fof_covers(const ps_engine *e, uint32_t v)
{
    return e->fof_on && v < e->m->nusers && ps_bits_get(e->fof_bits, v);
}

/* Whether v sees the item without being listed one by one. */
static inline bool implicit_covers(const ps_engine *e, uint32_t v)
{
    return class_covers(e, v) || fof_covers(e, v);
}

static inline bool sees(const ps_engine *e, uint32_t v)
{
    return ps_bits_get(e->seen, v) || implicit_covers(e, v);
}

/* The grant of user v in the fof class (v in fof_bits). */
static ps_grant fof_grant_of(const ps_engine *e, uint32_t v)
{
    ps_grant g = e->fof_grant;
    ps_model *m = e->m;
    const uint32_t O = e->fof_owner;
    if (v == O || (e->fof_listed ? ps_model_are_friends(m, O, v)
                                 : ps_bits_get(e->rows + (size_t)O * e->row_words, v)))
        return g;
    uint32_t n;
    const uint32_t *fr = ps_model_friends(m, O, &n);
    for (uint32_t i = 0; i < n; i++)
        if (e->fof_listed ? ps_model_are_friends(m, fr[i], v)
                          : ps_bits_get(e->rows + (size_t)fr[i] * e->row_words, v)) {
            g.depth = (uint16_t)(g.depth + 1);
            g.through = fr[i];
            break;
        }
    return g;
}

/* The grant of v, who is covered implicitly: the shorter of the two classes' grants, and at
 * equal length the one that came first. */
static const ps_grant *implicit_grant(ps_engine *e, uint32_t v)
{
    bool c = class_covers(e, v), f = fof_covers(e, v);
    if (!f)
        return &e->cls_grant;
    e->tmp_grant = fof_grant_of(e, v);
    if (c && (e->cls_grant.depth < e->tmp_grant.depth ||
              (e->cls_grant.depth == e->tmp_grant.depth && !e->fof_first)))
        return &e->cls_grant;
    return &e->tmp_grant;
}

static inline const ps_grant *grant_of(const ps_engine *e, uint32_t v)
{
    return ps_bits_get(e->seen, v) ? &e->grant[v] : implicit_grant((ps_engine *)e, v);
}

/* Lists `viewer` one by one with grant g. */
static inline void reach(ps_engine *e, uint32_t viewer, const ps_grant *g)
{
    ps_bits_set(e->seen, viewer);
    e->touched[e->ntouched++] = viewer;
    e->grant[viewer] = *g;
}

/* Gives `viewer` grant g unless it already has one at least as short.  *added is set when
 * the viewer did not see the item before. */
static inline void give(ps_engine *e, uint32_t viewer, const ps_grant *g, bool *added)
{
    if (ps_bits_get(e->seen, viewer)) {
        if (g->depth < e->grant[viewer].depth)
            e->grant[viewer] = *g;
    } else if (implicit_covers(e, viewer)) {
        if (g->depth < implicit_grant(e, viewer)->depth)
            reach(e, viewer, g);
    } else {
        reach(e, viewer, g);
        if (added)
            *added = true;
    }
}

/* What to do with each viewer a term matches. */
typedef struct {
    enum { ACT_GRANT, ACT_MARK } act;
    ps_markset *set;       /* ACT_MARK: the set to add to */
    ps_markset *skip;      /* ACT_GRANT: viewers not to grant (hide), or NULL */
    ps_markset *also;      /* ACT_GRANT: a set to mark every matched viewer in too, or NULL */
    uint32_t skip_except;  /* a viewer never skipped (the owner) */
    uint32_t exclude;      /* a viewer never granted (friendship: V itself), or PS_NONE */
    ps_grant g;            /* ACT_GRANT: grant template (depth = depth of a direct match) */
    bool keep_ref;         /* keep g.ref (a share's step) instead of the matched term's ref */
    bool added;            /* set when a viewer was newly reached */
} visit;

static inline bool visit_skips(const ps_engine *e, const visit *v, uint32_t viewer)
{
    return viewer == v->exclude ||
           (v->skip && viewer != v->skip_except && ms_has(v->skip, viewer, e->m->nusers));
}

static inline void visit_one(ps_engine *e, visit *v, uint32_t viewer, uint32_t through,
                             uint16_t extra)
{
    if (v->act == ACT_MARK) {
        ms_add(v->set, viewer);
        return;
    }
    if (v->also)
        ms_add(v->also, viewer);
    if (visit_skips(e, v, viewer))
        return;
    ps_grant g = v->g;
    g.depth = (uint16_t)(g.depth + extra);
    if (through != PS_NONE)
        g.through = through;
    give(e, viewer, &g, &v->added);
}

/* Whether every user sees the item already, each by a grant no longer than `depth`. */
static bool all_users_reached(const ps_engine *e, uint16_t depth)
{
    if (!e->cls_on || e->cls_grant.depth > depth)
        return false;
    for (uint32_t i = 0; i < e->cls_out.n; i++) {
        uint32_t u = e->cls_out.list[i];
        if (!sees(e, u) || grant_of(e, u)->depth > depth)
            return false;
    }
    return true;
}

/* Gives every user that v does not skip the grant v->g: the same as visiting each in turn,
 * but in time proportional to the viewers listed one by one and those the visit skips. */
/* Users of the fof class who are not listed one by one and not in `out` (NULL: none). */
static uint32_t fof_unlisted_count(const ps_engine *e, const ps_markset *out)
{
    uint32_t n = 0;
    if (!e->fof_on)
        return 0;
    if (e->fof_listed) {
        for (uint32_t i = 0; i < e->fof_n; i++) {
            uint32_t u = e->fof_list[i];
            n += !ps_bits_get(e->seen, u) && !(out && ps_bits_get(out->bits, u));
        }
        return n;
    }
    for (size_t w = 0; w < e->row_words; w++)
        n += (uint32_t)__builtin_popcountll(e->fof_bits[w] & ~e->seen[w] &
                                            ~(out ? out->bits[w] : 0));
    return n;
}

static void grant_all_users(ps_engine *e, visit *v)
{
    const uint32_t nusers = e->m->nusers;
    const ps_grant g = v->g;
    if (v->skip && v->skip->all_users) {
        /* every user is skipped but one */
        if (v->skip_except < nusers && v->skip_except != v->exclude)
            give(e, v->skip_except, &g, &v->added);
        return;
    }
    if (!nusers || all_users_reached(e, g.depth))
        return;
    if (v->skip)
        ms_list(v->skip);
    /* viewers listed one by one whom the visit covers keep the shorter grant */
    for (uint32_t i = 0; i < e->ntouched; i++) {
        uint32_t u = e->touched[i];
        if (u < nusers && g.depth < e->grant[u].depth && !visit_skips(e, v, u))
            e->grant[u] = g;
    }
    if (e->cls_on && g.depth >= e->cls_grant.depth) {
        /* the class stays: the users it leaves out and this visit covers get g */
        for (uint32_t i = 0; i < e->cls_out.n; i++) {
            uint32_t u = e->cls_out.list[i];
            if (!visit_skips(e, v, u))
                give(e, u, &g, &v->added);
        }
        return;
    }
    /* this visit becomes the class; users that only the old class covered keep their grant */
    if (e->cls_on) {
        if (v->skip)
            for (uint32_t i = 0; i < v->skip->n; i++) {
                uint32_t u = v->skip->list[i];
                if (u < nusers && u != v->skip_except && class_covers(e, u) &&
                    !ps_bits_get(e->seen, u))
                    reach(e, u, implicit_grant(e, u));
            }
        if (v->exclude < nusers && class_covers(e, v->exclude) &&
            !ps_bits_get(e->seen, v->exclude))
            reach(e, v->exclude, implicit_grant(e, v->exclude));
    }
    /* with an old class, only users it left out can be newly reached */
    bool was_on = e->cls_on;
    if (was_on)
        for (uint32_t i = 0; i < e->cls_out.n && !v->added; i++) {
            uint32_t u = e->cls_out.list[i];
            v->added = !ps_bits_get(e->seen, u) && !fof_covers(e, u) && !visit_skips(e, v, u);
        }
    ms_clear(&e->cls_out);
    if (v->skip)
        for (uint32_t i = 0; i < v->skip->n; i++) {
            uint32_t u = v->skip->list[i];
            if (u < nusers && u != v->skip_except)
                ms_add(&e->cls_out, u);
        }
    if (v->exclude < nusers)
        ms_add(&e->cls_out, v->exclude);
    if (!was_on && !v->added) {
        /* newly reached: covered now, and neither listed nor in the fof class before */
        uint32_t before = 0;
        for (uint32_t i = 0; i < e->ntouched; i++)
            before += e->touched[i] < nusers && !ps_bits_get(e->cls_out.bits, e->touched[i]);
        before += fof_unlisted_count(e, &e->cls_out);
        v->added = nusers - e->cls_out.n > before;
    }
    e->cls_on = true;
    e->cls_grant = g;
    e->fof_first = e->fof_on;
}

/* Whether every user and the internet see the item (apps are not reached yet when asked). */
static bool everyone_sees(const ps_engine *e)
{
    const uint32_t nusers = e->m->nusers;
    if (e->cls_on)
        return sees(e, ps_viewer_internet(e->m)) && all_users_reached(e, UINT16_MAX);
    /* touched holds users and perhaps the internet (apps come later) */
    uint32_t inet = ps_viewer_internet(e->m);
    bool inet_listed = ps_bits_get(e->seen, inet);
    return inet_listed && e->ntouched - 1 + fof_unlisted_count(e, NULL) >= nusers;
}

static void visit_all_users(ps_engine *e, visit *v, bool internet)
{
    if (v->act == ACT_MARK) {
        v->set->all_users = true;
    } else {
        if (v->also)
            v->also->all_users = true;
        grant_all_users(e, v);
    }
    if (internet)
        visit_one(e, v, ps_viewer_internet(e->m), PS_NONE, 0);
}

static void visit_members(ps_engine *e, visit *v, const uint32_t *mem, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        visit_one(e, v, mem[i], PS_NONE, 0);
}

/* Dense rows pay when the graph is small (each row a few cache lines) and friend lists long
 * compared with a row: a fof set is then degree row-ORs instead of degree^2 visits. */
#define DENSE_MAX_USERS 16384
#define DENSE_AFTER_TERMS 32   /* fof terms an engine meets before it builds rows */
#define DENSE_MAX_BUILDS 8     /* rebuilds after friendships change before giving up */

/* Whether the engine has (or now builds) dense friendship rows for its current friendships. */
static bool dense_rows(ps_engine *e)
{
    ps_model *m = e->m;
    if (e->rows && !m->adj_stale && e->rows_version == m->adj_version)
        return true;
    if (e->rows_off || e->dense_mode < 0)
        return false;
    if (!e->rows && ++e->fof_terms < DENSE_AFTER_TERMS && !e->dense_mode)
        return false;
    uint32_t n;
    if (m->nusers)
        ps_model_friends(m, 0, &n); /* brings the adjacency up to date */
    if (e->rows && e->rows_version == m->adj_version)
        return true;
    uint64_t pairs = ps_model_nfriendships(m);
    bool worth = m->nusers <= DENSE_MAX_USERS && pairs * 2 * 512 >= (uint64_t)m->nusers * m->nusers;
    if (!m->nusers || (!worth && !e->dense_mode) || e->rows_builds >= DENSE_MAX_BUILDS) {
        free(e->rows);
        e->rows = NULL;
        e->rows_off = true;
        return false;
    }
    size_t bytes = (size_t)m->nusers * e->row_words * sizeof *e->rows;
    if (!e->rows) {
        e->rows = malloc(bytes);
        e->row_span = malloc((size_t)m->nusers * 2 * sizeof *e->row_span);
        if (!e->rows || !e->row_span) {
            free(e->rows);
            free(e->row_span);
            e->rows = NULL;
            e->row_span = NULL;
            e->rows_off = true;
            return false;
        }
    }
    memset(e->rows, 0, bytes);
    for (uint32_t u = 0; u < m->nusers; u++) {
        const uint32_t *fr = ps_model_friends(m, u, &n);
        uint64_t *row = e->rows + (size_t)u * e->row_words;
        for (uint32_t i = 0; i < n; i++)
            ps_bits_set(row, fr[i]);
        /* friends are sorted: the words from the first one's to the last one's */
        e->row_span[2 * u] = n ? fr[0] / 64 : 0;
        e->row_span[2 * u + 1] = n ? fr[n - 1] / 64 + 1 : 0;
    }
    e->rows_version = m->adj_version;
    e->rows_builds++;
    e->fof_memo = PS_NONE;
    return true;
}

/* dst |= src over n words: the inner loop of a fof set, written for the vectorizer. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
__attribute__((target_clones("avx2", "default")))
#endif
static void or_words(uint64_t *restrict dst, const uint64_t *restrict src, size_t n)
{
    for (size_t w = 0; w < n; w++)
        dst[w] |= src[w];
}

/* Whether fof_bits (and fof_list) hold the fof set of `owner` for the current friendships. */
static bool fof_memo_holds(ps_engine *e, uint32_t owner)
{
    uint32_t n;
    if (e->m->nusers)
        ps_model_friends(e->m, 0, &n); /* brings the adjacency up to date */
    return e->fof_memo == owner && e->fof_memo_version == e->m->adj_version;
}

/* ORs the fof set of `owner` (owner, friends, their friends) into dst (row_words words). */
static void fof_or(ps_engine *e, uint32_t owner, uint64_t *dst)
{
    const size_t W = e->row_words;
    if (!e->fof_listed && dst != e->fof_bits && fof_memo_holds(e, owner)) {
        or_words(dst, e->fof_bits, W);
        return;
    }
    uint32_t n;
    const uint32_t *fr = ps_model_friends(e->m, owner, &n);
    or_words(dst, e->rows + (size_t)owner * W, W);
    /* each row only over the words where it has friends */
    for (uint32_t i = 0; i < n; i++) {
        uint32_t f = fr[i], lo = e->row_span[2 * f], hi = e->row_span[2 * f + 1];
        or_words(dst + lo, e->rows + (size_t)f * W + lo, hi - lo);
    }
    ps_bits_set(dst, owner);
}

/* Makes fof_bits (and, without rows, fof_list) the fof set of `owner`. */
static void fof_build(ps_engine *e, uint32_t owner, bool dense)
{
    if (e->fof_listed)
        for (uint32_t i = 0; i < e->fof_n; i++)
            ps_bits_clear(e->fof_bits, e->fof_list[i]);
    else
        memset(e->fof_bits, 0, e->row_words * sizeof *e->fof_bits);
    e->fof_n = 0;
    e->fof_listed = !dense;
    e->fof_memo = owner;
    e->fof_memo_version = e->m->adj_version;
    if (dense) {
        fof_or(e, owner, e->fof_bits);
        return;
    }
    uint32_t n, n2;
    const uint32_t *fr = ps_model_friends(e->m, owner, &n);
#define FOF_ADD(u)                                                                         \
    do {                                                                                   \
        uint32_t u_ = (u);                                                                 \
        if (!ps_bits_get(e->fof_bits, u_)) {                                               \
            ps_bits_set(e->fof_bits, u_);                                                  \
            e->fof_list[e->fof_n++] = u_;                                                  \
        }                                                                                  \
    } while (0)
    FOF_ADD(owner);
    for (uint32_t i = 0; i < n; i++)
        FOF_ADD(fr[i]);
    for (uint32_t i = 0; i < n; i++) {
        const uint32_t *fr2 = ps_model_friends(e->m, fr[i], &n2);
        for (uint32_t j = 0; j < n2; j++)
            FOF_ADD(fr2[j]);
    }
#undef FOF_ADD
}

/* A fof term granted as the fof class: its whole set, each member with the grant it would
 * get from visits in the plain order (owner and friends at the term's depth, the others one
 * further through their first common friend), found when asked.  The set comes from dense
 * rows or from the adjacency.  False when the class does not serve this visit (one is on
 * already, or the visit skips someone): then the caller visits everyone one by one. */
static bool grant_fof_class(ps_engine *e, uint32_t owner, visit *v)
{
    if (e->fof_on || v->skip || v->exclude != PS_NONE || owner >= e->m->nusers ||
        e->dense_mode < -1)
        return false;
    bool dense = dense_rows(e);
    fof_build(e, owner, dense);
    if (v->also == &e->intended) {
        /* the intended audience takes the set as it is (see intent_has) */
        e->fof_in_intent = true;
    } else if (v->also) {
        if (dense) {
            or_words(v->also->bits, e->fof_bits, e->row_words);
            v->also->unlisted = true;
        } else {
            for (uint32_t i = 0; i < e->fof_n; i++)
                ms_add(v->also, e->fof_list[i]);
        }
    }
    e->fof_owner = owner;
    e->fof_grant = v->g;
    /* newly reached: in the set, neither listed nor in the class of every user */
    if (e->fof_listed) {
        for (uint32_t i = 0; i < e->fof_n && !v->added; i++) {
            uint32_t u = e->fof_list[i];
            v->added = !ps_bits_get(e->seen, u) && !class_covers(e, u);
        }
    } else {
        for (size_t w = 0; w < e->row_words && !v->added; w++)
            for (uint64_t x = e->fof_bits[w] & ~e->seen[w]; x && !v->added; x &= x - 1)
                v->added = !class_covers(e, (uint32_t)(w * 64 + (unsigned)__builtin_ctzll(x)));
    }
    e->fof_on = true;
    e->fof_first = !e->cls_on;
    /* viewers listed one by one keep the shorter grant (as a visit would give it) */
    for (uint32_t i = 0; i < e->ntouched; i++) {
        uint32_t u = e->touched[i];
        if (u < e->m->nusers && e->grant[u].depth > e->fof_grant.depth &&
            ps_bits_get(e->fof_bits, u)) {
            ps_grant g = fof_grant_of(e, u);
            if (g.depth < e->grant[u].depth)
                e->grant[u] = g;
        }
    }
    return true;
}

/* Visits the owner and everyone in the owner's circles (lists); with `extended`, also the
 * people in the circles of each of those, through them (as fof goes through a friend). */
static void visit_circles(ps_engine *e, visit *v, uint32_t owner, bool extended)
{
    ps_model *m = e->m;
    visit_one(e, v, owner, PS_NONE, 0);
    for (uint32_t l = 0; l < m->nlists; l++)
        if (m->lists[l].owner == owner)
            visit_members(e, v, m->lists[l].members, m->lists[l].nmembers);
    if (!extended)
        return;
    for (uint32_t l = 0; l < m->nlists; l++) {
        if (m->lists[l].owner != owner)
            continue;
        for (uint32_t i = 0; i < m->lists[l].nmembers; i++) {
            uint32_t x = m->lists[l].members[i];
            for (uint32_t l2 = 0; l2 < m->nlists; l2++)
                if (m->lists[l2].owner == x)
                    for (uint32_t j = 0; j < m->lists[l2].nmembers; j++)
                        visit_one(e, v, m->lists[l2].members[j], x, 1);
        }
    }
}

/* Visits every viewer that term t (relative to `owner`) matches. */
static void match_term(ps_engine *e, uint32_t owner, const ps_term *t, visit *v)
{
    ps_model *m = e->m;
    uint32_t n;
    const uint32_t *fr;
    if (v->act == ACT_GRANT) {
        v->g.term = t->kind;
        if (!v->keep_ref)
            v->g.ref = t->ref;
    }
    switch ((ps_term_kind)t->kind) {
    case PS_TERM_PUBLIC: visit_all_users(e, v, true); break;
    case PS_TERM_EVERYONE: visit_all_users(e, v, false); break;
    case PS_TERM_ONLY_ME: visit_one(e, v, owner, PS_NONE, 0); break;
    case PS_TERM_FRIENDS:
        visit_one(e, v, owner, PS_NONE, 0);
        fr = ps_model_friends(m, owner, &n);
        visit_members(e, v, fr, n);
        break;
    case PS_TERM_FOF:
        if (v->act == ACT_MARK && owner < m->nusers && dense_rows(e)) {
            fof_or(e, owner, v->set->bits);
            v->set->unlisted = true;
            break;
        }
        if (v->act == ACT_MARK && e->fof_listed && fof_memo_holds(e, owner)) {
            for (uint32_t i = 0; i < e->fof_n; i++)
                ms_add(v->set, e->fof_list[i]);
            break;
        }
        if (v->act == ACT_GRANT && grant_fof_class(e, owner, v))
            break;
        visit_one(e, v, owner, PS_NONE, 0);
        fr = ps_model_friends(m, owner, &n);
        visit_members(e, v, fr, n);
        for (uint32_t i = 0; i < n; i++) {
            uint32_t f = fr[i], n2;
            const uint32_t *fr2 = ps_model_friends(m, f, &n2);
            for (uint32_t j = 0; j < n2; j++)
                visit_one(e, v, fr2[j], f, 1);
        }
        break;
    case PS_TERM_NETWORKS:
        for (uint32_t k = 0; k < m->nnetworks; k++)
            if (ps_network_counts(m, k) && ps_network_has(&m->networks[k], owner))
                visit_members(e, v, m->networks[k].members, m->networks[k].nmembers);
        break;
    case PS_TERM_LIST:
        visit_one(e, v, owner, PS_NONE, 0);
        if (t->ref < m->nlists)
            visit_members(e, v, m->lists[t->ref].members, m->lists[t->ref].nmembers);
        break;
    case PS_TERM_NETWORK:
        if (ps_network_counts(m, t->ref))
            visit_members(e, v, m->networks[t->ref].members, m->networks[t->ref].nmembers);
        break;
    case PS_TERM_GROUP:
        if (t->ref < m->ngroups)
            visit_members(e, v, m->groups[t->ref].members, m->groups[t->ref].nmembers);
        break;
    case PS_TERM_USER:
        if (t->ref < m->nusers)
            visit_one(e, v, t->ref, PS_NONE, 0);
        break;
    case PS_TERM_CIRCLES: case PS_TERM_EXTENDED_CIRCLES:
        visit_circles(e, v, owner, t->kind == PS_TERM_EXTENDED_CIRCLES);
        break;
    default: break;
    }
}

static void match_terms(ps_engine *e, uint32_t owner, const ps_terms *ts, visit *v)
{
    for (uint32_t i = 0; i < ts->n; i++)
        match_term(e, owner, &ts->v[i], v);
}

/* Empties `set`, then marks the viewers of `ts` (relative to owner) in it. */
static void mark_terms(ps_engine *e, uint32_t owner, const ps_terms *ts, ps_markset *set)
{
    ms_clear(set);
    visit v = { .act = ACT_MARK, .set = set };
    match_terms(e, owner, ts, &v);
}

void ps_engine_members(ps_engine *e, uint32_t owner, const ps_terms *t, uint64_t *bits)
{
    mark_terms(e, owner, t, &e->mask);
    ps_bits_zero(bits, e->nviewers);
    if (e->mask.all_users)
        for (uint32_t u = 0; u < e->m->nusers; u++)
            ps_bits_set(bits, u);
    ms_list(&e->mask);
    for (uint32_t i = 0; i < e->mask.n; i++)
        ps_bits_set(bits, e->mask.list[i]);
}

static bool terms_broad(const ps_terms *ts)
{
    if (!ts->n)
        return false;
    for (uint32_t i = 0; i < ts->n; i++)
        switch (ts->v[i].kind) {
        case PS_TERM_FRIENDS: case PS_TERM_FOF: case PS_TERM_EVERYONE: case PS_TERM_PUBLIC:
        case PS_TERM_NETWORKS: case PS_TERM_NETWORK:
            break;
        default:
            return false;
        }
    return true;
}

static bool terms_have(const ps_terms *ts, ps_term_kind k)
{
    for (uint32_t i = 0; i < ts->n; i++)
        if (ts->v[i].kind == k)
            return true;
    return false;
}

/* The friend-list item of user u, if the model has one (fields may be added by fixes). */
static uint32_t friendlist_item(ps_engine *e, uint32_t u)
{
    if (e->indexed_items != e->m->nitems)
        index_friendlists(e);
    return e->user_friendlist[u];
}

/* ---------------------------------------------------------------------------------------
 * Evaluating one item
 * ------------------------------------------------------------------------------------- */

static void reset_eval(ps_engine *e)
{
    for (uint32_t i = 0; i < e->ntouched; i++)
        ps_bits_clear(e->seen, e->touched[i]);
    e->ntouched = 0;
    e->prefill_item = PS_NONE;
    e->cls_on = false;
    e->fof_on = false;
    e->fof_in_intent = false;
    if (e->intent_fof) { /* a cached intent that counted the fof set about to change */
        e->intent_fof = false;
        e->intent_valid = false;
    }
    ms_clear(&e->cls_out);
    e->sorted_valid = false;
}

/* Lists every user of the classes one by one, as if each had been visited. */
static void materialize_class(ps_engine *e)
{
    if (!e->cls_on && !e->fof_on)
        return;
    for (uint32_t u = 0; u < e->m->nusers; u++)
        if (!ps_bits_get(e->seen, u) && implicit_covers(e, u))
            reach(e, u, implicit_grant(e, u));
    e->cls_on = false;
    e->fof_on = false;
    ms_clear(&e->cls_out);
}

void ps_engine_set_lazy(ps_engine *e, bool lazy)
{
    e->lazy = lazy;
}

void ps_engine__set_dense(ps_engine *e, int mode)
{
    e->dense_mode = mode;
    e->rows_off = false;
    e->rows_builds = 0;
}

static ps_grant mkgrant(ps_via via, uint16_t depth, uint32_t through, uint32_t ref)
{
    ps_grant g = { .via = (uint8_t)via, .term = 0, .depth = depth, .through = through,
                   .ref = ref };
    return g;
}

/* Whether share `s` of the item holds now, given that the owner side reached the internet. */
static bool share_allowed(const ps_engine *e, bool internet_owner_side)
{
    switch (e->m->rules.reshare) {
    case PS_RESHARE_VISIBLE: case PS_RESHARE_CAPPED: return true;
    case PS_RESHARE_PUBLIC_ONLY: return internet_owner_side;
    default: return false;
    }
}

/* The audience of a share step: its own, else the sharer's default for posts. */
static ps_audience share_audience(const ps_engine *e, const ps_step *s)
{
    if (s->has_audience)
        return s->audience;
    ps_audience a = {0};
    a.allow = e->m->rules.default_audience[PS_CAT_POSTS];
    return a;
}

/* The first record of `item` in chain c, or PS_NONE. */
static uint32_t first_of(const per_item *c, uint32_t item)
{
    return item < c->nitems ? c->first[item] : PS_NONE;
}

/* Whether `reshare = capped` keeps every share of `it` within the audience it already has
 * (a post marked link=on is not capped). */
static bool share_capped(const ps_model *m, const ps_item *it)
{
    return m->rules.reshare == PS_RESHARE_CAPPED && !it->link;
}

/* Rule 3 beyond forced-public: fields forced to every user (forced-everyone), to the
 * internet (forced-external), and the owner's name and picture in the public search
 * listing.  None of them is ever hidden. */
static void forced_split(ps_engine *e, const ps_item *it)
{
    ps_model *m = e->m;
    if (it->kind != PS_ITEM_FIELD)
        return;
    uint32_t bit = 1u << it->field;
    visit f = { .act = ACT_GRANT, .exclude = PS_NONE };
    f.g = mkgrant(PS_VIA_FORCED, 1, PS_NONE, it->field);
    if (m->rules.forced_everyone & bit) {
        f.g.term = PS_FORCED_EVERYONE;
        visit_all_users(e, &f, false);
    }
    if (m->rules.forced_external & bit) {
        f.g.term = PS_FORCED_EXTERNAL;
        visit_one(e, &f, ps_viewer_internet(m), PS_NONE, 0);
    }
    if ((it->field == PS_F_NAME || it->field == PS_F_PICTURE) &&
        ps_user_search_listing(m, it->owner)) {
        f.g.term = PS_FORCED_SEARCH_LISTING;
        visit_one(e, &f, ps_viewer_internet(m), PS_NONE, 0);
    }
}

/* Rule 9 for instant-personalization partners: a partner app reads an item whose audience
 * has `public` or `everyone`, or a field forced to every user, without an install. */
static void partner_apps(ps_engine *e, const ps_item *it, const ps_audience *aud)
{
    ps_model *m = e->m;
    if (!m->rules.instant_personalization)
        return;
    bool open = it->group == PS_NONE && (terms_have(&aud->allow, PS_TERM_PUBLIC) ||
                                         terms_have(&aud->allow, PS_TERM_EVERYONE));
    if (it->kind == PS_ITEM_FIELD)
        open = open || ((m->rules.forced_public | m->rules.forced_everyone) >> it->field) & 1;
    if (!open)
        return;
    for (uint32_t a = 0; a < m->napps; a++)
        if (m->apps[a].partner) {
            ps_grant g = mkgrant(PS_VIA_APP, 1, PS_NONE, a);
            g.term = PS_APP_PARTNER;
            give(e, ps_viewer_app(m, a), &g, NULL);
        }
}

/* Rules 6 and 7: interactions and shares, repeated until nothing new is added. */
static void spread(ps_engine *e, uint32_t item, const ps_audience *aud, bool hidden_used,
                   bool internet_owner_side)
{
    ps_model *m = e->m;
    const ps_item *it = &m->items[item];
    bool ix_on = m->rules.interaction_extends == PS_IX_COMMENTER_FRIENDS &&
                 it->group == PS_NONE &&
                 (terms_have(&aud->allow, PS_TERM_FOF) || terms_have(&aud->allow, PS_TERM_EVERYONE) ||
                  terms_have(&aud->allow, PS_TERM_PUBLIC));
    bool share_ok = share_allowed(e, internet_owner_side) && !share_capped(m, it);
    bool changed = true;
    while (changed) {
        changed = false;
        if (ix_on)
            for (uint32_t k = first_of(&e->ix_of, item); k != PS_NONE; k = e->ix[k].next) {
                const ix_rec *x = &e->ix[k];
                if (!sees(e, x->user))
                    continue;
                uint32_t n;
                const uint32_t *fr = ps_model_friends(m, x->user, &n);
                ps_grant g = mkgrant(PS_VIA_INTERACTION, (uint16_t)(grant_of(e, x->user)->depth + 1),
                                     x->user, x->step);
                for (uint32_t i = 0; i < n; i++) {
                    if (hidden_used && fr[i] != it->owner && ms_has(&e->hidden, fr[i], m->nusers))
                        continue;
                    give(e, fr[i], &g, &changed);
                }
            }
        if (share_ok)
            for (uint32_t k = first_of(&e->share_of, item); k != PS_NONE; k = e->shares[k].next) {
                const share_rec *s = &e->shares[k];
                if (!s->active || !sees(e, s->sharer))
                    continue;
                const ps_step *st = &m->steps[s->step];
                ps_audience sa = share_audience(e, st);
                bool masked = sa.hide.n > 0;
                if (masked)
                    mark_terms(e, s->sharer, &sa.hide, &e->mask);
                visit v = { .act = ACT_GRANT, .skip = masked ? &e->mask : NULL,
                            .skip_except = PS_NONE, .exclude = PS_NONE, .keep_ref = true };
                v.g = mkgrant(PS_VIA_SHARE, (uint16_t)(grant_of(e, s->sharer)->depth + 1), s->sharer,
                              s->step);
                match_terms(e, s->sharer, &sa.allow, &v);
                if (v.added)
                    changed = true;
            }
    }
}

int ps_engine_eval(ps_engine *e, uint32_t item)
{
    ps_model *m = e->m;
    reset_eval(e);
    e->item = item;
    if (item >= m->nitems)
        return -1;
    const ps_item *it = &m->items[item];
    uint32_t O = it->owner;
    ps_audience aud = ps_item_audience(m, it);
    ps_grant g;

    /* 1. owner */
    g = mkgrant(PS_VIA_OWNER, 0, PS_NONE, PS_NONE);
    give(e, O, &g, NULL);

    /* 5 (prepared first): the owner's hide set */
    bool hidden_used = aud.hide.n > 0;
    if (hidden_used)
        mark_terms(e, O, &aud.hide, &e->hidden);

    /* 2. group or audience */
    visit v = { .act = ACT_GRANT, .skip = hidden_used ? &e->hidden : NULL, .skip_except = O,
                .exclude = PS_NONE };
    bool broad;
    if (it->group != PS_NONE && it->group < m->ngroups) {
        const ps_group *gr = &m->groups[it->group];
        v.g = mkgrant(PS_VIA_GROUP, 1, PS_NONE, it->group);
        if (gr->kind == PS_GROUP_OPEN)
            visit_all_users(e, &v, true);
        else
            visit_members(e, &v, gr->members, gr->nmembers);
        broad = gr->kind == PS_GROUP_OPEN;
    } else {
        /* without a persona the intended audience starts from these same terms: marked in
         * the same visits (compute_intent() then only adds the rest) */
        bool prefill = it->persona == PS_NONE || it->persona >= m->npersonas;
        if (prefill) {
            ms_clear(&e->intended);
            e->intent_valid = false;
            v.also = &e->intended;
        }
        v.g = mkgrant(PS_VIA_AUDIENCE, 1, PS_NONE, PS_NONE);
        match_terms(e, O, &aud.allow, &v);
        v.also = NULL;
        if (prefill)
            e->prefill_item = item;
        broad = terms_broad(&aud.allow);
    }

    /* 3. forced-public */
    if (it->kind == PS_ITEM_FIELD && (m->rules.forced_public & (1u << it->field))) {
        visit f = { .act = ACT_GRANT, .exclude = PS_NONE };
        f.g = mkgrant(PS_VIA_FORCED, 1, PS_NONE, it->field);
        visit_all_users(e, &f, true);
    }
    forced_split(e, it);

    /* 4. tags */
    if (m->rules.tag_extends != PS_TAG_NONE)
        for (uint32_t k = 0; k < it->ntags; k++) {
            const ps_tag *t = &it->tags[k];
            if (t->removed || (ps_user_tag_review(m, t->user) && !t->approved))
                continue;
            visit tv = v;
            tv.g = mkgrant(PS_VIA_TAG, 1, t->user, t->user);
            tv.g.term = 0;
            visit_one(e, &tv, t->user, PS_NONE, 0);
            if (broad && ps_item_tag_friends(m, it)) {
                uint32_t n;
                const uint32_t *fr = ps_model_friends(m, t->user, &n);
                tv.g = mkgrant(PS_VIA_TAG, 2, t->user, t->user);
                tv.g.term = 1;
                for (uint32_t i = 0; i < n; i++)
                    visit_one(e, &tv, fr[i], PS_NONE, 0);
            }
        }

    /* 6, 7. interactions and shares */
    bool internet_owner_side = sees(e, ps_viewer_internet(m));
    e->internet_owner_side = internet_owner_side;
    if (e->nix || e->nshares)
        spread(e, item, &aud, hidden_used, internet_owner_side);

    /* 8. friendship */
    if (it->kind == PS_ITEM_FIELD && it->field == PS_F_FRIENDLIST &&
        m->rules.friendship_visibility == PS_FV_BOTH_ENDS) {
        uint32_t n;
        const uint32_t *fr = ps_model_friends(m, O, &n);
        for (uint32_t i = 0; i < n && !everyone_sees(e); i++) {
            uint32_t V = fr[i];
            visit fv = { .act = ACT_GRANT, .exclude = V };
            fv.g = mkgrant(PS_VIA_FRIENDSHIP, 2, V, PS_NONE);
            if (m->rules.forced_public & (1u << PS_F_FRIENDLIST)) {
                fv.g.term = PS_TERM_PUBLIC;
                visit_all_users(e, &fv, true);
                continue;
            }
            uint32_t fl = friendlist_item(e, V);
            ps_audience va;
            if (fl != PS_NONE) {
                va = ps_item_audience(m, &m->items[fl]);
            } else {
                memset(&va, 0, sizeof va);
                va.allow = m->rules.default_audience[PS_F_FRIENDLIST];
            }
            if (va.hide.n) {
                mark_terms(e, V, &va.hide, &e->mask);
                fv.skip = &e->mask;
                fv.skip_except = PS_NONE;
            }
            for (uint32_t k = 0; k < va.allow.n; k++) {
                match_term(e, V, &va.allow.v[k], &fv);
            }
        }
        /* FRIENDSHIP grants carry the friend in `through`; the matched term's ref is kept */
    }

    /* 9. apps */
    partner_apps(e, it, &aud);
    uint32_t inet = ps_viewer_internet(m);
    unsigned cat = ps_item_category(it);
    bool cat_ok = (ps_user_apps_cats(m, O) >> cat) & 1;
    for (uint32_t a = 0; a < m->napps; a++) {
        const ps_app *app = &m->apps[a];
        uint32_t av = ps_viewer_app(m, a);
        for (uint32_t k = 0; k < app->ninstallers; k++) {
            uint32_t F = app->installers[k];
            if (F == O) {
                g = mkgrant(PS_VIA_APP, 1, O, a);
                give(e, av, &g, NULL);
            } else if (m->rules.apps_through_friends && cat_ok && F < m->nusers &&
                       sees(e, F)) {
                g = mkgrant(PS_VIA_APP, (uint16_t)(grant_of(e, F)->depth + 1), F, a);
                give(e, av, &g, NULL);
            }
        }
        if (sees(e, inet)) {
            g = mkgrant(PS_VIA_APP, (uint16_t)(grant_of(e, inet)->depth + 1), PS_NONE, a);
            give(e, av, &g, NULL);
        }
    }
    if (!e->lazy)
        materialize_class(e);
    return 0;
}

bool ps_engine_sees(const ps_engine *e, uint32_t viewer)
{
    return viewer < e->nviewers && sees(e, viewer);
}

const ps_grant *ps_engine_grant(const ps_engine *e, uint32_t viewer)
{
    return ps_engine_sees(e, viewer) ? grant_of(e, viewer) : NULL;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

const uint32_t *ps_engine_audience(ps_engine *e, uint32_t *n)
{
    if (!e->sorted_valid) {
        materialize_class(e);
        memcpy(e->sorted, e->touched, (size_t)e->ntouched * sizeof *e->sorted);
        qsort(e->sorted, e->ntouched, sizeof *e->sorted, cmp_u32);
        e->sorted_valid = true;
    }
    *n = e->ntouched;
    return e->sorted;
}

void ps_engine_audience_bits(const ps_engine *e, uint64_t *bits)
{
    size_t w = ps_bits_words(e->nviewers);
    uint32_t nu = e->m->nusers;
    memcpy(bits, e->seen, w * sizeof *bits);
    if (!e->cls_on && !e->fof_on)
        return;
    /* the users held as a class or a fof set, a word at a time */
    for (size_t i = 0; i < w && (uint64_t)i * 64 < nu; i++) {
        uint64_t users = nu - (uint64_t)i * 64 >= 64 ? ~(uint64_t)0
                                                     : ((uint64_t)1 << (nu % 64)) - 1;
        uint64_t held = 0;
        if (e->cls_on)
            held |= ~e->cls_out.bits[i];
        if (e->fof_on)
            held |= e->fof_bits[i];
        bits[i] |= held & users;
    }
}

/* ---------------------------------------------------------------------------------------
 * Intent and severity
 * ------------------------------------------------------------------------------------- */

/* Computes the intended audience of `item` into e->intended and the persona's forbid set into
 * e->forbid (empty when there is none). */
/* Whether `viewer` is in the intended audience computed last. */
static inline bool intent_has(const ps_engine *e, uint32_t viewer)
{
    uint32_t nu = e->m->nusers;
    bool terms = ms_has(&e->intended, viewer, nu) ||
                 (e->intent_fof && viewer < nu && ps_bits_get(e->fof_bits, viewer));
    return (terms && !ms_has(&e->intent_hide, viewer, nu)) ||
           ps_bits_get(e->intent_extra.bits, viewer);
}

/* Computes the intended audience of `item` (e->intended less e->intent_hide, and
 * e->intent_extra) and the persona's forbid set into e->forbid (empty when there is none). */
static void compute_intent(ps_engine *e, uint32_t item)
{
    ps_model *m = e->m;
    const ps_item *it = &m->items[item];
    /* e->intended is rewritten below unless it holds this item's terms already; the fof set
     * the eval made counts as part of it then */
    if (e->prefill_item != item)
        e->prefill_item = PS_NONE;
    e->intent_fof = e->prefill_item == item && e->fof_in_intent;
    ms_clear(&e->forbid);
    ms_clear(&e->intent_hide);
    ms_clear(&e->intent_extra);
    if (it->persona != PS_NONE && it->persona < m->npersonas) {
        const ps_persona *p = &m->personas[it->persona];
        mark_terms(e, p->owner, &p->audience, &e->intended);
        ms_add(&e->intent_extra, p->owner);
        if (p->forbid.n)
            mark_terms(e, p->owner, &p->forbid, &e->forbid);
    } else if (it->group != PS_NONE && it->group < m->ngroups) {
        const ps_group *g = &m->groups[it->group];
        ms_clear(&e->intended);
        visit v = { .act = ACT_MARK, .set = &e->intended };
        if (g->kind == PS_GROUP_OPEN)
            visit_all_users(e, &v, true);
        else
            visit_members(e, &v, g->members, g->nmembers);
    } else {
        ps_audience aud = ps_item_audience(m, it);
        if (e->prefill_item != item)
            mark_terms(e, it->owner, &aud.allow, &e->intended);
        if (aud.hide.n)
            mark_terms(e, it->owner, &aud.hide, &e->intent_hide);
        for (uint32_t k = 0; k < it->ntags; k++)
            if (!it->tags[k].removed)
                ms_add(&e->intent_extra, it->tags[k].user);
    }
    ms_add(&e->intent_extra, it->owner);
    /* whatever the internet is meant to see, every app is meant to see too */
    if (intent_has(e, ps_viewer_internet(m)))
        for (uint32_t a = 0; a < m->napps; a++)
            ms_add(&e->intent_extra, ps_viewer_app(m, a));
    e->intent_item = item;
    e->intent_valid = true;
}

void ps_engine__invalidate_intent(ps_engine *e)
{
    e->intent_valid = false;
}

void ps_engine_model_changed(ps_engine *e)
{
    ps_engine__invalidate_intent(e);
    e->item = PS_NONE;
}

bool ps_engine_intended(ps_engine *e, uint32_t item, uint32_t viewer)
{
    if (!e->intent_valid || e->intent_item != item)
        compute_intent(e, item);
    return intent_has(e, viewer);
}

int ps_engine__each_unintended(ps_engine *e, int (*fn)(void *arg, uint32_t viewer), void *arg)
{
    if (e->item == PS_NONE)
        return 0;
    if (!e->intent_valid || e->intent_item != e->item)
        compute_intent(e, e->item);
    int rc;
    for (uint32_t k = 0; k < e->ntouched; k++)
        if (!intent_has(e, e->touched[k]) && (rc = fn(arg, e->touched[k])))
            return rc;
    const uint32_t nusers = e->m->nusers;
    /* the fof class, a word at a time: its users neither listed, nor in the class of every
     * user (counted below), nor intended */
    bool hide_empty = !e->intent_hide.all_users && !e->intent_hide.n && !e->intent_hide.unlisted;
    if (e->fof_on && e->fof_in_intent && e->prefill_item == e->item && hide_empty) {
        /* the fof set went into the intended audience as it was built: nobody in it is
         * unintended */
    } else if (e->fof_on && e->fof_listed) {
        for (uint32_t i = 0; i < e->fof_n; i++) {
            uint32_t u = e->fof_list[i];
            if (!ps_bits_get(e->seen, u) && !class_covers(e, u) && !intent_has(e, u) &&
                (rc = fn(arg, u)))
                return rc;
        }
    } else if (e->fof_on)
        for (size_t w = 0; w < e->row_words; w++) {
            uint64_t meant = e->intended.all_users ? ~(uint64_t)0 : e->intended.bits[w];
            if (e->intent_fof)
                meant |= e->fof_bits[w];
            meant &= e->intent_hide.all_users ? 0 : ~e->intent_hide.bits[w];
            meant |= e->intent_extra.bits[w];
            for (uint64_t x = e->fof_bits[w] & ~e->seen[w] & ~meant; x; x &= x - 1) {
                uint32_t u = (uint32_t)(w * 64 + (unsigned)__builtin_ctzll(x));
                if (u < nusers && !class_covers(e, u) && (rc = fn(arg, u)))
                    return rc;
            }
        }
    if (!e->cls_on)
        return 0;
    /* the class: when every user is meant to see the item, only those hidden can be
     * unintended */
    if (e->intended.all_users && !e->intent_hide.all_users) {
        ms_list(&e->intent_hide);
        for (uint32_t i = 0; i < e->intent_hide.n; i++) {
            uint32_t u = e->intent_hide.list[i];
            if (class_covers(e, u) && !ps_bits_get(e->seen, u) && !intent_has(e, u) &&
                (rc = fn(arg, u)))
                return rc;
        }
        return 0;
    }
    for (uint32_t u = 0; u < nusers; u++)
        if (class_covers(e, u) && !ps_bits_get(e->seen, u) && !intent_has(e, u) &&
            (rc = fn(arg, u)))
            return rc;
    return 0;
}

ps_severity ps_engine_severity(ps_engine *e, uint32_t item, uint32_t viewer)
{
    if (!e->intent_valid || e->intent_item != item)
        compute_intent(e, item);
    if (ms_has(&e->forbid, viewer, e->m->nusers))
        return PS_SEV_FORBIDDEN;
    if (viewer >= e->m->nusers)
        return PS_SEV_EXTERNAL;
    return PS_SEV_BEYOND_INTENT;
}

/* ---------------------------------------------------------------------------------------
 * Paths
 * ------------------------------------------------------------------------------------- */

int ps_engine_path(ps_engine *e, uint32_t viewer, ps_path *out)
{
    if (!ps_engine_sees(e, viewer) || e->item == PS_NONE)
        return -1;
    ps_model *m = e->m;
    ps_link rev[PS_PATH_MAX];
    uint32_t n = 0;
    uint32_t cur = viewer;
    uint32_t owner = m->items[e->item].owner;
    while (n < PS_PATH_MAX - 1) {
        const ps_grant *g = grant_of(e, cur);
        rev[n].grant = *g;
        rev[n].viewer = cur;
        n++;
        uint32_t next = PS_NONE;
        switch ((ps_via)g->via) {
        case PS_VIA_SHARE: case PS_VIA_INTERACTION:
            next = g->through;
            break;
        case PS_VIA_APP:
            if (g->term != PS_APP_PARTNER)
                next = g->through == PS_NONE ? ps_viewer_internet(m) : g->through;
            break;
        default:
            break;
        }
        if (g->via == PS_VIA_OWNER)
            break;
        if (next == PS_NONE || !ps_engine_sees(e, next) || next == cur) {
            /* chain ends at a direct link: add the owner in front */
            rev[n].grant = mkgrant(PS_VIA_OWNER, 0, PS_NONE, PS_NONE);
            rev[n].viewer = owner;
            n++;
            break;
        }
        cur = next;
    }
    out->item = e->item;
    out->viewer = viewer;
    out->state = e->pos;
    out->nlinks = n;
    for (uint32_t i = 0; i < n; i++)
        out->links[i] = rev[n - 1 - i];
    return 0;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdULL;
}

uint64_t ps_path_shape(const ps_path *p)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (uint32_t i = 0; i < p->nlinks; i++) {
        const ps_grant *g = &p->links[i].grant;
        uint64_t term = g->via == PS_VIA_AUDIENCE || g->via == PS_VIA_SHARE ||
                        g->via == PS_VIA_TAG || g->via == PS_VIA_FRIENDSHIP ? g->term : 0;
        h = mix(h, ((uint64_t)g->via << 8) | term);
    }
    return h;
}

const char *ps_path_shape_text(const ps_path *p, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = 0;
    for (uint32_t i = 0; i < p->nlinks && len < cap; i++) {
        const ps_grant *g = &p->links[i].grant;
        const char *detail = "";
        if (g->via == PS_VIA_AUDIENCE || g->via == PS_VIA_SHARE || g->via == PS_VIA_FRIENDSHIP)
            detail = ps_term_kind_name((ps_term_kind)g->term);
        else if (g->via == PS_VIA_TAG)
            detail = g->term ? "friend" : "tagged";
        int w = snprintf(buf + len, cap - len, "%s%s%s%s%s", i ? " > " : "",
                         ps_via_name((ps_via)g->via), *detail ? "(" : "", detail,
                         *detail ? ")" : "");
        if (w < 0)
            break;
        len += (size_t)w;
    }
    return buf;
}

/* ---------------------------------------------------------------------------------------
 * The timeline
 * ------------------------------------------------------------------------------------- */

/* Appends record `rec` of `item` to the item's chain; *next_of_last is the `next` field of
 * the chain's last record.  0, or -1 out of memory. */
static int chain(per_item *c, uint32_t item, uint32_t rec, uint32_t *(*next_of)(ps_engine *, uint32_t),
                 ps_engine *e)
{
    if (item >= c->nitems) {
        uint32_t n = item + 1 > c->nitems * 2 ? item + 1 : c->nitems * 2;
        uint32_t *f = realloc(c->first, (size_t)n * sizeof *f);
        if (!f)
            return -1;
        c->first = f;
        uint32_t *l = realloc(c->last, (size_t)n * sizeof *l);
        if (!l)
            return -1;
        c->last = l;
        for (uint32_t i = c->nitems; i < n; i++)
            c->first[i] = c->last[i] = PS_NONE;
        c->nitems = n;
    }
    if (c->last[item] == PS_NONE)
        c->first[item] = rec;
    else
        *next_of(e, c->last[item]) = rec;
    c->last[item] = rec;
    return 0;
}

static uint32_t *share_next(ps_engine *e, uint32_t k) { return &e->shares[k].next; }
static uint32_t *ix_next(ps_engine *e, uint32_t k) { return &e->ix[k].next; }

int ps_engine__rechain(ps_engine *e)
{
    per_item *cs[] = { &e->share_of, &e->ix_of };
    for (size_t i = 0; i < 2; i++) {
        free(cs[i]->first);
        free(cs[i]->last);
        memset(cs[i], 0, sizeof *cs[i]);
    }
    for (uint32_t k = 0; k < e->nshares; k++) {
        e->shares[k].next = PS_NONE;
        if (chain(&e->share_of, e->shares[k].item, k, share_next, e))
            return -1;
    }
    for (uint32_t k = 0; k < e->nix; k++) {
        e->ix[k].next = PS_NONE;
        if (chain(&e->ix_of, e->ix[k].item, k, ix_next, e))
            return -1;
    }
    return 0;
}

static int push_share(ps_engine *e, uint32_t item, uint32_t sharer, uint32_t step)
{
    if (ps_grow((void **)&e->shares, &e->cap_shares, e->nshares + 1, sizeof *e->shares))
        return -1;
    e->shares[e->nshares] = (share_rec){ item, sharer, step, true, PS_NONE };
    if (chain(&e->share_of, item, e->nshares, share_next, e))
        return -1;
    e->nshares++;
    return 0;
}

static int push_ix(ps_engine *e, uint32_t item, uint32_t user, uint32_t step)
{
    if (ps_grow((void **)&e->ix, &e->cap_ix, e->nix + 1, sizeof *e->ix))
        return -1;
    e->ix[e->nix] = (ix_rec){ item, user, step, PS_NONE };
    if (chain(&e->ix_of, item, e->nix, ix_next, e))
        return -1;
    e->nix++;
    return 0;
}

/* Applies the settings of a `set` step to the model. */
static int apply_settings(ps_model *m, uint32_t user, const ps_setting *s, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        switch ((ps_setting_kind)s[i].kind) {
        case PS_SET_TAG_REVIEW:
            m->users[user].tag_review = (int8_t)s[i].value;
            break;
        case PS_SET_APPS_CATS:
            m->users[user].has_apps_cats = true;
            m->users[user].apps_cats = s[i].value;
            break;
        case PS_SET_SEARCH_LISTING:
            m->users[user].search_listing = (int8_t)s[i].value;
            break;
        case PS_SET_AUDIENCE: {
            if (s[i].item >= m->nitems)
                break;
            ps_audience a;
            if (ps_audience_copy(&a, &s[i].audience))
                return -1;
            ps_item *it = &m->items[s[i].item];
            ps_audience_free(&it->audience);
            it->audience = a;
            it->has_audience = true;
            break;
        }
        default:
            break;
        }
    }
    return 0;
}

int ps_engine_step(ps_engine *e, bool *refused)
{
    ps_model *m = e->m;
    if (refused)
        *refused = false;
    if (e->pos >= m->nsteps)
        return 0;
    uint32_t k = e->pos++;
    const ps_step *s = &m->steps[k];
    e->intent_valid = false;
    e->item = PS_NONE;
    reset_eval(e);
    if (e->disabled && e->disabled[k])
        return 1;
    ps_item *it = s->item < m->nitems ? &m->items[s->item] : NULL;
    switch ((ps_step_kind)s->kind) {
    case PS_STEP_SHARE: {
        if (!it)
            break;
        bool lazy = e->lazy;
        e->lazy = true; /* only two viewers are asked about */
        int rc = ps_engine_eval(e, s->item);
        e->lazy = lazy;
        if (rc)
            return -1;
        bool ok = ps_engine_sees(e, s->actor) && share_allowed(e, e->internet_owner_side);
        reset_eval(e);
        e->item = PS_NONE;
        if (!ok) {
            if (refused)
                *refused = true;
            break;
        }
        if (push_share(e, s->item, s->actor, k))
            return -1;
        break;
    }
    case PS_STEP_UNSHARE:
        for (uint32_t i = first_of(&e->share_of, s->item); i != PS_NONE; i = e->shares[i].next)
            if (e->shares[i].sharer == s->actor)
                e->shares[i].active = false;
        break;
    case PS_STEP_TAG:
        for (uint32_t i = 0; it && i < s->nusers; i++)
            if (ps_item_add_tag(it, s->users[i]))
                return -1;
        break;
    case PS_STEP_UNTAG:
        for (uint32_t i = 0; it && i < s->nusers; i++)
            for (uint32_t j = 0; j < it->ntags; j++)
                if (it->tags[j].user == s->users[i])
                    it->tags[j].removed = true;
        break;
    case PS_STEP_APPROVE_TAG:
        for (uint32_t j = 0; it && j < it->ntags; j++)
            if (it->tags[j].user == s->actor)
                it->tags[j].approved = true;
        break;
    case PS_STEP_COMMENT: case PS_STEP_LIKE:
        if (it && push_ix(e, s->item, s->actor, k))
            return -1;
        break;
    case PS_STEP_BEFRIEND:
        if (s->other < m->nusers && !ps_model_are_friends(m, s->actor, s->other))
            if (ps_model_add_friendship(m, s->actor, s->other))
                return -1;
        break;
    case PS_STEP_UNFRIEND:
        if (s->other < m->nusers)
            ps_model_remove_friendship(m, s->actor, s->other);
        break;
    case PS_STEP_INSTALL:
        if (s->other < m->napps) {
            ps_app *a = &m->apps[s->other];
            bool have = false;
            for (uint32_t i = 0; i < a->ninstallers; i++)
                have |= a->installers[i] == s->actor;
            if (!have && ps_u32_push(&a->installers, &a->ninstallers, s->actor))
                return -1;
        }
        break;
    case PS_STEP_SET:
        if (apply_settings(m, s->actor, s->settings, s->nsettings))
            return -1;
        break;
    default:
        break;
    }
    return 1;
}

int ps_engine_run(ps_engine *e)
{
    int r;
    while ((r = ps_engine_step(e, NULL)) > 0)
        ;
    return r;
}

int ps_sees(const ps_model *m, uint32_t item, uint32_t viewer, bool cumulative)
{
    ps_engine *e = ps_engine_new(m);
    if (!e)
        return -1;
    int seen = 0;
    for (;;) {
        if (cumulative || e->pos == e->m->nsteps) {
            if (ps_engine_eval(e, item)) {
                seen = -1;
                break;
            }
            if (ps_engine_sees(e, viewer)) {
                seen = 1;
                if (cumulative)
                    break;
            }
        }
        int r = ps_engine_step(e, NULL);
        if (r < 0) {
            seen = -1;
            break;
        }
        if (r == 0)
            break;
    }
    ps_engine_free(e);
    return seen;
}
