/* fix_replay.c - verifying fixes without replaying the whole timeline for each candidate.
 *
 * check.c proposes the candidate fixes of every exposure of an item (ps_fix__candidates),
 * then verifies each candidate (ps_fix__verify): the item's cumulative audience once the
 * fix is applied.  Replaying the whole timeline for every candidate costs candidates x
 * steps evaluations - over a million on a chain of 800 reshares.  A session, one per thread
 * and per item, shares the work between the candidates:
 *
 *   - it keeps the viewers that proposed each candidate.  A candidate's result is read only
 *     for them, so its replay stops as soon as all of them have seen the item: the fix then
 *     cuts none of them;
 *   - it replays the timeline as written once: the first state in which each viewer sees the
 *     item, and copies of the engine (checkpoints) along the way, within a memory budget.
 *
 * A fix that only removes steps (not sharing, not commenting or liking) changes nothing
 * before its first removed step; hiding the item from users changes nothing before the
 * first state in which one of them sees it (when no `set` step comes earlier).  Those fixes
 * are replayed from a copy of the engine at that step, the viewers of the earlier states
 * taken from the replay as written.  Other fixes are replayed from the start.  In every
 * replay, a share of the item by someone who does not see it (the engine would refuse it)
 * and, for a post or photo, steps about other items are passed over without evaluating
 * anything.
 */
#include "bitset.h"
#include "engine_fork.h"
#include "fix_budget.h"
#include "engine_int.h"
#include "fix_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Memory for the checkpoints of all sessions (threads) together, and of one session. */
#define CKPT_TOTAL ((size_t)256 << 20)
#define CKPT_BUDGET ((size_t)64 << 20)
/* Candidates and proposing viewers kept per item; beyond, replays do not stop early. */
#define MAX_PROPOSALS 4096u
#define MAX_PROPOSERS (1u << 20)

typedef struct {
    ps_fix fix;                            /* a copy (owned terms) */
    uint32_t *viewers; uint32_t nviewers;  /* who proposed it */
} proposal;

typedef struct {
    /* the item and the model it is about (recognised by these fields) */
    const ps_model *m;
    uint32_t item;
    const ps_step *steps; const ps_item *items;
    uint32_t nsteps, nusers, nitems;
    bool verifying;        /* a verification has run since the last proposal */
    proposal *props; uint32_t nprops, cap_props;
    uint32_t nproposers;
    bool overflow;         /* some proposals were not kept: never stop early */
    /* the timeline as written */
    bool replayed;
    uint32_t *first_seen;  /* per viewer: first state that shows it the item, or PS_NONE */
    ps_engine **ckpt; uint32_t nckpt, stride; /* ckpt[c]: the engine after c * stride steps */
    size_t ckpt_bytes;     /* reserved from ckpt_reserved */
} session;

static atomic_size_t ckpt_reserved; /* checkpoint memory of every thread's session */

static void session_clear(session *s)
{
    for (uint32_t i = 0; i < s->nprops; i++) {
        ps_fix_free(&s->props[i].fix);
        free(s->props[i].viewers);
    }
    free(s->props);
    free(s->first_seen);
    for (uint32_t c = 0; c < s->nckpt; c++)
        ps_engine_free(s->ckpt[c]);
    free(s->ckpt);
    atomic_fetch_sub(&ckpt_reserved, s->ckpt_bytes);
    memset(s, 0, sizeof *s);
}

static pthread_key_t session_key;
static pthread_once_t session_once = PTHREAD_ONCE_INIT;

static void session_destroy(void *p)
{
    session_clear(p);
    free(p);
}

static void make_key(void)
{
    pthread_key_create(&session_key, session_destroy);
}

/* This thread's session, or NULL out of memory. */
static session *current(void)
{
    pthread_once(&session_once, make_key);
    session *s = pthread_getspecific(session_key);
    if (!s) {
        s = calloc(1, sizeof *s);
        if (s && pthread_setspecific(session_key, s) != 0) {
            free(s);
            s = NULL;
        }
    }
    return s;
}

static bool is_for(const session *s, const ps_model *m, uint32_t item)
{
    return s->m == m && s->item == item && s->steps == m->steps && s->items == m->items &&
           s->nsteps == m->nsteps && s->nusers == m->nusers && s->nitems == m->nitems;
}

static void session_start(session *s, const ps_model *m, uint32_t item)
{
    session_clear(s);
    s->m = m;
    s->item = item;
    s->steps = m->steps;
    s->items = m->items;
    s->nsteps = m->nsteps;
    s->nusers = m->nusers;
    s->nitems = m->nitems;
}

static proposal *find_proposal(session *s, const ps_fix *f)
{
    for (uint32_t i = 0; i < s->nprops; i++)
        if (ps_fix__same(&s->props[i].fix, f))
            return &s->props[i];
    return NULL;
}

void ps_fix__note_proposals(const ps_model *m, uint32_t item, uint32_t viewer,
                            const fix_list *l)
{
    session *s = current();
    if (!s)
        return; /* nothing kept: replays then never stop early */
    if (s->verifying || !is_for(s, m, item))
        session_start(s, m, item);
    for (uint32_t k = 0; k < l->n && !s->overflow; k++) {
        proposal *p = find_proposal(s, &l->v[k]);
        if (!p) {
            ps_fix c = l->v[k];
            if (s->nprops == MAX_PROPOSALS || ps_terms_copy(&c.terms, &l->v[k].terms)) {
                s->overflow = true;
                break;
            }
            if (ps_grow((void **)&s->props, &s->cap_props, s->nprops + 1, sizeof *s->props)) {
                ps_fix_free(&c);
                s->overflow = true;
                break;
            }
            p = &s->props[s->nprops++];
            memset(p, 0, sizeof *p);
            p->fix = c;
        }
        if (s->nproposers == MAX_PROPOSERS || ps_u32_push(&p->viewers, &p->nviewers, viewer))
            s->overflow = true;
        else
            s->nproposers++;
    }
}

/* ---------------------------------------------------------------------------------------
 * The budget (fix_budget.h)
 * ------------------------------------------------------------------------------------- */

static _Atomic double budget_end;            /* CLOCK_MONOTONIC seconds; 0: none */
static pthread_mutex_t unverified_lock = PTHREAD_MUTEX_INITIALIZER;
static const ps_model *unverified_model;     /* the model unverified_items is about */
static uint64_t *unverified_items;           /* a bit per item (owned) */
static uint32_t unverified_n;
static atomic_bool any_unverified;

static double monotonic(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

void ps_fix_budget_set(double seconds)
{
    pthread_mutex_lock(&unverified_lock);
    free(unverified_items); /* a new budget: no item is marked yet */
    unverified_items = NULL;
    unverified_model = NULL;
    unverified_n = 0;
    atomic_store(&any_unverified, false);
    atomic_store(&budget_end, seconds > 0 ? monotonic() + seconds : 0.0);
    pthread_mutex_unlock(&unverified_lock);
}

static bool budget_spent(void)
{
    double end = atomic_load(&budget_end);
    return end > 0 && monotonic() > end;
}

/* Marks the fixes of `item` as cut short by the budget.  -1 out of memory. */
static int mark_unverified(const ps_model *m, uint32_t item)
{
    int rc = 0;
    pthread_mutex_lock(&unverified_lock);
    if (unverified_model != m || unverified_n != m->nitems) {
        free(unverified_items);
        unverified_items = ps_bits_new(m->nitems ? m->nitems : 1);
        unverified_model = unverified_items ? m : NULL;
        unverified_n = unverified_items ? m->nitems : 0;
    }
    if (unverified_items && item < unverified_n)
        ps_bits_set(unverified_items, item);
    else
        rc = -1;
    atomic_store(&any_unverified, rc == 0);
    pthread_mutex_unlock(&unverified_lock);
    return rc;
}

bool ps_fix_unverified(const ps_model *m, uint32_t item)
{
    if (!atomic_load(&any_unverified))
        return false;
    pthread_mutex_lock(&unverified_lock);
    bool r = unverified_model == m && item < unverified_n && ps_bits_get(unverified_items, item);
    pthread_mutex_unlock(&unverified_lock);
    return r;
}

/* ---------------------------------------------------------------------------------------
 * Replaying
 * ------------------------------------------------------------------------------------- */

/* Whether a step can change what `item` shows: for a post or a photo, a step about another
 * item cannot (its shares, comments, likes and tags count for that item only). */
static bool step_concerns(const ps_model *m, const ps_step *st, uint32_t item)
{
    if (m->items[item].kind == PS_ITEM_FIELD)
        return true;
    switch ((ps_step_kind)st->kind) {
    case PS_STEP_SHARE: case PS_STEP_UNSHARE: case PS_STEP_TAG: case PS_STEP_UNTAG:
    case PS_STEP_APPROVE_TAG: case PS_STEP_COMMENT: case PS_STEP_LIKE:
        return st->item == item;
    default:
        return true;
    }
}

/* Applies the next step to `e`, passing over a share that cannot matter for `item` (of
 * another item, or - when `sees` is given - by someone `sees` does not hold: the engine
 * would refuse it).  Returns 1 if the state may have changed for `item`, 0 if not, -1 out
 * of memory. */
static int advance(ps_engine *e, uint32_t item, const uint64_t *sees)
{
    ps_model *m = ps_engine_model(e);
    uint32_t k = ps_engine_position(e);
    const ps_step *st = &m->steps[k];
    bool concerns = step_concerns(m, st, item);
    if (st->kind == PS_STEP_SHARE &&
        (!concerns || (sees && st->actor < m->nusers && !ps_bits_get(sees, st->actor))))
        ps_engine__disable_step(e, k); /* nothing happens, and nothing is evaluated */
    bool skipped = e->disabled && e->disabled[k];
    if (ps_engine_step(e, NULL) < 0)
        return -1;
    return concerns && !skipped;
}

typedef struct {
    bool budgeted;           /* stop (out_of_budget) once the budget is spent */
    bool out_of_budget;
    uint64_t *bits;          /* the cumulative audience so far */
    uint64_t *now;           /* scratch: the audience in the current state */
    uint32_t *first;         /* if not NULL: first state of each viewer, filled in */
    const uint32_t *stop; uint32_t nstop; /* stop once all of these are in bits */
    session *ckpt;           /* if not NULL: take its checkpoints on the way */
} replay_job;

static bool all_seen(const replay_job *j)
{
    if (!j->stop)
        return false;
    for (uint32_t i = 0; i < j->nstop; i++)
        if (!ps_bits_get(j->bits, j->stop[i]))
            return false;
    return true;
}

/* Runs `e` to the end of its timeline (or until the job's viewers have all seen the item),
 * evaluating `item` in every state that may differ from the one before.  0, or -1 out of
 * memory. */
static int replay(ps_engine *e, uint32_t item, replay_job *j)
{
    ps_model *m = ps_engine_model(e);
    uint32_t nv = ps_nviewers(m);
    bool dirty = true;
    for (;;) {
        uint32_t pos = ps_engine_position(e);
        session *s = j->ckpt;
        if (s && s->stride && pos % s->stride == 0 && pos / s->stride < s->nckpt &&
            !s->ckpt[pos / s->stride]) {
            s->ckpt[pos / s->stride] = ps_engine__fork(e);
            if (!s->ckpt[pos / s->stride])
                return -1;
        }
        if (dirty) {
            if (ps_engine_eval(e, item))
                return -1;
            /* the viewers in the order reached: no need to sort them */
            uint32_t n = e->ntouched;
            const uint32_t *aud = e->touched;
            ps_bits_zero(j->now, nv);
            for (uint32_t i = 0; i < n; i++) {
                ps_bits_set(j->now, aud[i]);
                ps_bits_set(j->bits, aud[i]);
                if (j->first && j->first[aud[i]] == PS_NONE)
                    j->first[aud[i]] = pos;
            }
            dirty = false;
            if (all_seen(j))
                return 0;
        }
        if (pos >= m->nsteps)
            return 0;
        if (j->budgeted && pos % 64 == 63 && budget_spent()) {
            j->out_of_budget = true;
            return 0;
        }
        int r = advance(e, item, j->now);
        if (r < 0)
            return -1;
        dirty = r > 0;
    }
}

/* A rough size of an engine over `m`, for the checkpoint budget. */
static size_t engine_bytes(const ps_model *m)
{
    return 4096 + (size_t)m->nusers * 96 + (size_t)m->nitems * 128 +
           (size_t)m->npairs * 16 + (size_t)m->nsteps * 96 + (size_t)ps_nviewers(m) * 24;
}

/* The replay of the timeline as written, once per session. */
static int replay_written(session *s, const ps_model *m, uint32_t item)
{
    uint32_t nv = ps_nviewers(m);
    /* this session's share of the checkpoint memory: at most CKPT_BUDGET, and what the
     * other threads have left of CKPT_TOTAL */
    size_t want = CKPT_BUDGET, have = atomic_load(&ckpt_reserved);
    do {
        want = have >= CKPT_TOTAL ? 0 : CKPT_TOTAL - have < CKPT_BUDGET ? CKPT_TOTAL - have
                                                                          : CKPT_BUDGET;
    } while (!atomic_compare_exchange_weak(&ckpt_reserved, &have, have + want));
    s->ckpt_bytes = want;
    size_t fit = want / engine_bytes(m);
    uint32_t states = m->nsteps + 1;
    s->nckpt = fit >= states ? states : (uint32_t)fit;
    s->stride = s->nckpt ? (states + s->nckpt - 1) / s->nckpt : 0;
    if (s->nckpt) {
        s->nckpt = (states + s->stride - 1) / s->stride;
        s->ckpt = calloc(s->nckpt, sizeof *s->ckpt);
    }
    s->first_seen = malloc((size_t)nv * sizeof *s->first_seen);
    uint64_t *bits = ps_bits_new(nv), *now = ps_bits_new(nv);
    ps_engine *e = ps_engine_new(m);
    int rc = -1;
    if (s->first_seen && bits && now && e && (s->ckpt || !s->nckpt)) {
        for (uint32_t v = 0; v < nv; v++)
            s->first_seen[v] = PS_NONE;
        replay_job j = { .bits = bits, .now = now, .first = s->first_seen, .ckpt = s };
        rc = replay(e, item, &j);
    }
    ps_engine_free(e);
    free(bits);
    free(now);
    if (rc == 0)
        s->replayed = true;
    return rc;
}

/* An engine over the timeline as written after `k` steps.  NULL out of memory. */
static ps_engine *engine_at(session *s, const ps_model *m, uint32_t item, uint32_t k)
{
    ps_engine *e = NULL;
    if (s->nckpt) {
        uint32_t c = k / s->stride < s->nckpt ? k / s->stride : s->nckpt - 1;
        while (c > 0 && !s->ckpt[c])
            c--;
        e = s->ckpt[c] ? ps_engine__fork(s->ckpt[c]) : ps_engine_new(m);
    } else {
        e = ps_engine_new(m);
    }
    while (e && ps_engine_position(e) < k)
        if (advance(e, item, NULL) < 0) {
            ps_engine_free(e);
            return NULL;
        }
    return e;
}

/* Whether the fix removes step `st` (the way ps_fix_apply() deletes steps). */
static bool removes(const ps_fix *f, const ps_step *st)
{
    if (st->actor != f->user || st->item != f->item)
        return false;
    if (f->kind == PS_FIX_UNSHARE)
        return st->kind == PS_STEP_SHARE;
    return st->kind == PS_STEP_COMMENT || st->kind == PS_STEP_LIKE;
}

/* The first state the fix may change, for fixes replayed from a copy; PS_NONE for the
 * others. */
static uint32_t first_changed(const session *s, const ps_model *m, const ps_fix *f)
{
    uint32_t k = m->nsteps;
    switch ((ps_fix_kind)f->kind) {
    case PS_FIX_UNSHARE: case PS_FIX_NO_INTERACTION:
        for (uint32_t i = 0; i < m->nsteps; i++)
            if (removes(f, &m->steps[i]))
                return i;
        return k;
    case PS_FIX_HIDE:
        if (f->item != s->item || f->terms.n == 0)
            return PS_NONE;
        for (uint32_t i = 0; i < f->terms.n; i++) {
            if (f->terms.v[i].kind != PS_TERM_USER || f->terms.v[i].ref >= m->nusers)
                return PS_NONE;
            uint32_t at = s->first_seen[f->terms.v[i].ref];
            if (at < k)
                k = at;
        }
        /* a `set` step could change the item's audience: the hide must be in place before */
        for (uint32_t i = 0; i < k; i++)
            if (m->steps[i].kind == PS_STEP_SET)
                return i;
        return k;
    default:
        return PS_NONE;
    }
}

/* Verification from the start: the fix applied to a copy of the scenario. */
static int verify_from_start(const ps_model *m, const ps_fix *f, uint32_t item,
                             replay_job *j)
{
    ps_model *c = ps_model_clone(m);
    if (!c)
        return -1;
    int rc = ps_fix_apply(c, f);
    ps_engine *e = rc ? NULL : ps_engine_new(c);
    rc = e ? replay(e, item, j) : -1;
    ps_engine_free(e);
    ps_model_free(c);
    return rc;
}

static int verify(const ps_model *m, const ps_fix *f, uint32_t item, uint64_t *bits,
                  replay_job *j);

int ps_fix__verify(const ps_model *m, const ps_fix *f, uint32_t item, uint64_t *bits)
{
    uint32_t nv = ps_nviewers(m);
    uint64_t *now = ps_bits_new(nv);
    if (!now)
        return -1;
    replay_job j = { .budgeted = true, .bits = bits, .now = now };
    int rc = budget_spent() ? 0 : verify(m, f, item, bits, &j);
    free(now);
    if (rc == 0 && (budget_spent() || j.out_of_budget)) {
        /* not verified: the candidate is not kept, and its item says so */
        for (uint32_t v = 0; v < nv; v++)
            ps_bits_set(bits, v);
        rc = mark_unverified(m, item);
    }
    return rc;
}

static int verify(const ps_model *m, const ps_fix *f, uint32_t item, uint64_t *bits,
                  replay_job *j)
{
    uint32_t nv = ps_nviewers(m);
    ps_bits_zero(bits, nv);
    session *s = current();
    if (!s || !is_for(s, m, item) || !s->nprops) /* not proposed on this thread: plainly */
        return verify_from_start(m, f, item, j);
    s->verifying = true;
    proposal *p = s->overflow ? NULL : find_proposal(s, f);
    if (p) {
        j->stop = p->viewers;
        j->nstop = p->nviewers;
    }
    if (!s->replayed && replay_written(s, m, item))
        return -1;
    uint32_t k = first_changed(s, m, f);
    if (k == PS_NONE || k == 0)
        return verify_from_start(m, f, item, j);
    /* the states before k are those of the timeline as written */
    for (uint32_t v = 0; v < nv; v++)
        if (s->first_seen[v] < k)
            ps_bits_set(bits, v);
    if (all_seen(j))
        return 0;
    ps_engine *e = engine_at(s, m, item, k);
    if (!e)
        return -1;
    ps_model *em = ps_engine_model(e);
    int rc = 0;
    if (f->kind == PS_FIX_HIDE) {
        rc = ps_fix_apply(em, f);
        ps_engine__invalidate_intent(e);
    } else {
        for (uint32_t i = k; i < em->nsteps; i++)
            if (removes(f, &em->steps[i]))
                ps_engine__disable_step(e, i);
    }
    if (rc == 0)
        rc = replay(e, item, j);
    ps_engine_free(e);
    return rc;
}
