/* plan.c - the fewest verified changes that remove every exposure at or above a severity
 * (see plan.h): a greedy set cover over the fixes of a check, re-checked as a whole. */
#include "plan.h"
#include "bitset.h"
#include "fix_int.h"
#include "fix_more.h"
#include "parse.h"

#include <stdlib.h>
#include <string.h>
#include <uthash.h>

const char *ps_plan_class_name(ps_plan_class c)
{
    switch (c) {
    case PS_PLAN_OWN: return "own setting";
    case PS_PLAN_OTHERS: return "another person";
    case PS_PLAN_RULE: return "platform rule";
    default: return "?";
    }
}

static bool reported(const ps_item *it)
{
    return it->kind != PS_ITEM_FIELD || it->has_audience;
}

/* The person whose intent an exposure of `item` breaks. */
static uint32_t subject_of(const ps_model *m, uint32_t item)
{
    const ps_item *it = &m->items[item];
    return it->persona != PS_NONE ? m->personas[it->persona].owner : it->owner;
}

static int push_pair(ps_plan_pair **v, uint32_t *n, uint32_t *cap, uint32_t item, uint32_t viewer,
                     uint8_t sev)
{
    if (ps_grow((void **)v, cap, *n + 1, sizeof **v))
        return -1;
    (*v)[(*n)++] = (ps_plan_pair){ item, viewer, sev };
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * Reach
 * ------------------------------------------------------------------------------------- */

/* Into `bits`: who sees `item` at the end of the timeline of engine `e` (run to its end). */
static int seen(ps_engine *e, uint32_t item, uint64_t *bits, uint32_t nv)
{
    ps_bits_zero(bits, nv);
    if (ps_engine_eval(e, item))
        return -1;
    uint32_t n;
    const uint32_t *a = ps_engine_audience(e, &n);
    for (uint32_t i = 0; i < n; i++)
        ps_bits_set(bits, a[i]);
    return 0;
}

static ps_engine *engine_at_end(const ps_model *m)
{
    ps_engine *e = ps_engine_new(m);
    if (e && ps_engine_run(e) < 0) {
        ps_engine_free(e);
        return NULL;
    }
    return e;
}

int64_t ps_plan_reach(const ps_model *m, const ps_model *intent)
{
    if (!intent)
        intent = m;
    ps_engine *e = engine_at_end(m);
    ps_engine *ie = intent == m ? e : engine_at_end(intent);
    int64_t reach = 0;
    uint32_t *aud = NULL, cap = 0;
    if (!e || !ie) {
        reach = -1;
        goto out;
    }
    for (uint32_t i = 0; i < intent->nitems && i < m->nitems; i++) {
        if (!reported(&intent->items[i]))
            continue;
        if (ps_engine_eval(e, i)) {
            reach = -1;
            goto out;
        }
        uint32_t n;
        const uint32_t *a = ps_engine_audience(e, &n);
        /* the audience is borrowed until the next eval: copied before intent is asked */
        if (ps_grow((void **)&aud, &cap, n + 1, sizeof *aud)) {
            reach = -1;
            goto out;
        }
        memcpy(aud, a, (size_t)n * sizeof *aud);
        uint32_t owner = intent->items[i].owner;
        for (uint32_t k = 0; k < n; k++)
            if (aud[k] < intent->nusers && aud[k] != owner)
                reach += ps_engine_intended(ie, i, aud[k]);
    }
out:
    free(aud);
    if (ie != e)
        ps_engine_free(ie);
    ps_engine_free(e);
    return reach;
}

/* The reported items whose audience fix `f` may change. */
static int affected_items(const ps_model *m, const ps_fix *f, uint32_t **out, uint32_t *n)
{
    uint32_t cap = 0;
    *out = NULL;
    *n = 0;
    for (uint32_t i = 0; i < m->nitems; i++) {
        const ps_item *it = &m->items[i];
        if (!reported(it))
            continue;
        bool hit = false;
        switch ((ps_fix_kind)f->kind) {
        case PS_FIX_SET_AUDIENCE: case PS_FIX_HIDE: case PS_FIX_UNTAG: case PS_FIX_UNSHARE:
        case PS_FIX_NO_INTERACTION:
            hit = i == f->item;
            break;
        case PS_FIX_TAG_REVIEW:
            for (uint32_t k = 0; k < it->ntags && !hit; k++) {
                hit = it->tags[k].user == f->user;
                for (uint32_t t = 0; t < f->terms.n && !hit; t++)
                    hit = it->tags[k].user == f->terms.v[t].ref;
            }
            for (uint32_t s = 0; s < m->nsteps && !hit; s++)
                hit = m->steps[s].kind == PS_STEP_TAG && m->steps[s].item == i;
            break;
        case PS_FIX_APPS_CATEGORY:
            hit = it->owner == f->user && ps_item_category(it) == f->cat;
            break;
        case PS_FIX_FRIENDLIST:
            hit = it->kind == PS_ITEM_FIELD && it->field == PS_F_FRIENDLIST;
            break;
        case PS_FIX_UNINSTALL:
            hit = false; /* apps are never intended viewers, and pass nothing on */
            break;
        default:
            hit = true;
        }
        if (hit) {
            if (ps_grow((void **)out, &cap, *n + 1, sizeof **out))
                return -1;
            (*out)[(*n)++] = i;
        }
    }
    return 0;
}

/* The intended viewers that fix `f` alone costs, appended to c->lost.  `base` is an engine
 * over `m` at the end of its timeline; without steps, the fix is tried in place on `fast`. */
static int change_cost(const ps_model *m, ps_engine *base, ps_engine *fast, ps_plan_change *c)
{
    uint32_t nv = ps_nviewers(m);
    uint32_t *items, n, cap = 0;
    if (affected_items(m, &c->fix, &items, &n))
        return -1;
    uint64_t *before = ps_bits_new(nv), *after = ps_bits_new(nv);
    ps_model *copy = NULL;
    ps_engine *ce = NULL;
    int rc = -1;
    if (!before || !after)
        goto out;
    if (n && !fast) {
        copy = ps_model_clone(m);
        if (!copy || ps_fix_apply(copy, &c->fix) || !(ce = engine_at_end(copy)))
            goto out;
    }
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = items[k];
        if (seen(base, i, before, nv))
            goto out;
        if (fast ? ps_fix__verify_in_place(fast, &c->fix, i, after) : seen(ce, i, after, nv))
            goto out;
        for (uint32_t v = 0; v < m->nusers; v++)
            if (ps_bits_get(before, v) && !ps_bits_get(after, v) && v != m->items[i].owner &&
                ps_engine_intended(base, i, v) &&
                push_pair(&c->lost, &c->nlost, &cap, i, v, 0))
                goto out;
    }
    rc = 0;
out:
    ps_engine_free(ce);
    ps_model_free(copy);
    free(before);
    free(after);
    free(items);
    return rc;
}

/* ---------------------------------------------------------------------------------------
 * The set cover
 * ------------------------------------------------------------------------------------- */

typedef struct {
    char *key;             /* ps_fix_text (owned) */
    const ps_fix *fix;     /* borrowed from the report */
    uint8_t cls;
    uint32_t rank;         /* best position of the fix in an exposure's list */
    uint32_t order;        /* first appearance */
    uint32_t *targets; uint32_t ntargets, cap;
    uint32_t gain;         /* targets not yet covered, as last computed */
    UT_hash_handle hh;
} cand;

static bool better(const cand *a, const cand *b)
{
    if (a->cls != b->cls)
        return a->cls < b->cls;
    if (a->gain != b->gain)
        return a->gain > b->gain;
    if (a->rank != b->rank)
        return a->rank < b->rank;
    return a->order < b->order;
}

static void heap_down(cand **h, uint32_t n, uint32_t i)
{
    for (;;) {
        uint32_t l = 2 * i + 1, r = l + 1, b = i;
        if (l < n && better(h[l], h[b]))
            b = l;
        if (r < n && better(h[r], h[b]))
            b = r;
        if (b == i)
            return;
        cand *t = h[i];
        h[i] = h[b];
        h[b] = t;
        i = b;
    }
}

static void heap_up(cand **h, uint32_t i)
{
    while (i && better(h[i], h[(i - 1) / 2])) {
        cand *t = h[i];
        h[i] = h[(i - 1) / 2];
        h[(i - 1) / 2] = t;
        i = (i - 1) / 2;
    }
}

static int add_change(ps_plan *p, uint32_t *cap, const cand *c, uint32_t round,
                      const ps_report *r, const uint32_t *targets, const uint64_t *covered)
{
    if (ps_grow((void **)&p->changes, cap, p->nchanges + 1, sizeof *p->changes))
        return -1;
    ps_plan_change *ch = &p->changes[p->nchanges];
    memset(ch, 0, sizeof *ch);
    ch->fix = *c->fix;
    if (ps_terms_copy(&ch->fix.terms, &c->fix->terms))
        return -1;
    p->nchanges++;
    ch->cls = c->cls;
    ch->round = round;
    uint32_t rcap = 0;
    for (uint32_t k = 0; k < c->ntargets; k++) {
        uint32_t t = c->targets[k];
        if (ps_bits_get(covered, t))
            continue;
        const ps_exposure *x = &r->exposures[targets[t]];
        if (push_pair(&ch->removes, &ch->nremoves, &rcap, x->item, x->viewer, x->severity))
            return -1;
    }
    return 0;
}

/* Covers the exposures of `r` at or above p->min with its fixes; appends the changes. */
static int cover(ps_plan *p, uint32_t *cap, const ps_model *m, const ps_report *r, uint32_t round,
                 bool *uncovered)
{
    uint32_t *targets = malloc((r->nexposures ? r->nexposures : 1) * sizeof *targets);
    uint32_t nt = 0;
    cand *table = NULL, **heap = NULL;
    uint64_t *covered = NULL;
    uint32_t *hides = NULL;
    uint32_t ncand = 0, order = 0;
    char buf[1024];
    int rc = -1;
    if (!targets)
        return -1;
    for (uint32_t i = 0; i < r->nexposures; i++)
        if (r->exposures[i].severity >= p->min)
            targets[nt++] = i;
    for (uint32_t t = 0; t < nt; t++) {
        const ps_exposure *x = &r->exposures[targets[t]];
        if (!x->nfixes)
            *uncovered = true;
        uint32_t subject = subject_of(m, x->item);
        for (uint32_t k = 0; k < x->nfixes; k++) {
            const ps_fix *f = &r->fixes[x->fix_first + k];
            ps_fix_text(m, f, buf, sizeof buf);
            cand *c;
            HASH_FIND_STR(table, buf, c);
            if (!c) {
                c = calloc(1, sizeof *c);
                if (!c || !(c->key = strdup(buf))) {
                    free(c);
                    goto out;
                }
                c->fix = f;
                c->cls = PS_PLAN_RULE + 1;
                c->rank = UINT32_MAX;
                c->order = order++;
                HASH_ADD_KEYPTR(hh, table, c->key, strlen(c->key), c);
                ncand++;
            }
            uint8_t cls = f->kind == PS_FIX_RULE ? PS_PLAN_RULE
                          : f->user == subject   ? PS_PLAN_OWN
                                                 : PS_PLAN_OTHERS;
            if (cls < c->cls)
                c->cls = cls;
            if (k < c->rank)
                c->rank = k;
            if (ps_grow((void **)&c->targets, &c->cap, c->ntargets + 1, sizeof *c->targets))
                goto out;
            c->targets[c->ntargets++] = t;
        }
    }
    heap = malloc((ncand ? ncand : 1) * sizeof *heap);
    covered = ps_bits_new(nt ? nt : 1);
    /* a hide set holds at most PS_MAX_TERMS terms (the language's limit): hides beyond that
     * are not taken, so that the planned scenario can be written and read again */
    hides = calloc(m->nitems ? m->nitems : 1, sizeof *hides);
    if (!heap || !covered || !hides)
        goto out;
    for (uint32_t i = 0; i < m->nitems; i++)
        hides[i] = m->items[i].has_audience ? m->items[i].audience.hide.n : 0;
    uint32_t nh = 0;
    for (cand *c = table; c; c = c->hh.next) {
        c->gain = c->ntargets;
        heap[nh] = c;
        heap_up(heap, nh++);
    }
    /* lazy greedy: a candidate's gain only falls as others are chosen */
    while (nh) {
        cand *c = heap[0];
        uint32_t g = 0;
        for (uint32_t k = 0; k < c->ntargets; k++)
            g += !ps_bits_get(covered, c->targets[k]);
        bool full = c->fix->kind == PS_FIX_HIDE && c->fix->item < m->nitems &&
                    hides[c->fix->item] + c->fix->terms.n > PS_MAX_TERMS;
        if (!g || full) {
            heap[0] = heap[--nh];
            heap_down(heap, nh, 0);
            continue;
        }
        if (g != c->gain) {
            c->gain = g;
            heap_down(heap, nh, 0);
            continue;
        }
        if (add_change(p, cap, c, round, r, targets, covered))
            goto out;
        for (uint32_t k = 0; k < c->ntargets; k++)
            ps_bits_set(covered, c->targets[k]);
        if (c->fix->kind == PS_FIX_HIDE && c->fix->item < m->nitems)
            hides[c->fix->item] += c->fix->terms.n;
        heap[0] = heap[--nh];
        heap_down(heap, nh, 0);
    }
    for (uint32_t t = 0; t < nt; t++)
        if (!ps_bits_get(covered, t))
            *uncovered = true;
    rc = 0;
out:
    {
        cand *c, *tmp;
        HASH_ITER(hh, table, c, tmp) {
            HASH_DEL(table, c);
            free(c->key);
            free(c->targets);
            free(c);
        }
    }
    free(heap);
    free(covered);
    free(hides);
    free(targets);
    return rc;
}

/* ---------------------------------------------------------------------------------------
 * The plan
 * ------------------------------------------------------------------------------------- */

void ps_plan_free(ps_plan *p)
{
    if (!p)
        return;
    for (uint32_t i = 0; i < p->nchanges; i++) {
        ps_terms_free(&p->changes[i].fix.terms);
        free(p->changes[i].removes);
        free(p->changes[i].lost);
    }
    free(p->changes);
    free(p->left);
    ps_model_free(p->planned);
    free(p);
}

/* Applies a change to the planned model; a rule is also recorded as a `rule` line would be,
 * so that the planned scenario, written out, holds it. */
static int apply_change(ps_model *m, const ps_fix *f)
{
    if (ps_fix_apply(m, f))
        return -1;
    if (f->kind != PS_FIX_RULE)
        return 0;
    switch ((ps_rule_id)f->rule) {
    case PS_RULE_TAG_EXTENDS: m->overrides.tag_extends = m->rules.tag_extends; break;
    case PS_RULE_RESHARE: m->overrides.reshare = m->rules.reshare; break;
    case PS_RULE_APPS_THROUGH_FRIENDS:
        m->overrides.apps_through_friends = m->rules.apps_through_friends;
        break;
    case PS_RULE_FRIENDSHIP_VISIBILITY:
        m->overrides.friendship_visibility = m->rules.friendship_visibility;
        break;
    case PS_RULE_INTERACTION_EXTENDS:
        m->overrides.interaction_extends = m->rules.interaction_extends;
        break;
    case PS_RULE_FORCED_PUBLIC: m->overrides.forced_public = m->rules.forced_public; break;
    default: return 0;
    }
    m->rules_set |= 1u << f->rule;
    return 0;
}

/* The items of the exposures of `r` at or above `min`, as a bitset for ps_check_opts. */
static uint64_t *items_at(const ps_model *m, const ps_report *r, uint8_t min)
{
    uint64_t *b = calloc(ps_bits_words(m->nitems ? m->nitems : 1), sizeof *b);
    for (uint32_t i = 0; b && i < r->nexposures; i++)
        if (r->exposures[i].severity >= min)
            ps_bits_set(b, r->exposures[i].item);
    return b;
}

int ps_plan_change_for(const ps_model *m, uint32_t item, uint32_t viewer, ps_severity min,
                       char *buf, size_t cap)
{
    uint64_t *only = calloc(ps_bits_words(m->nitems ? m->nitems : 1), sizeof *only);
    ps_report *r = NULL;
    ps_plan p = { .min = (uint8_t)min };
    uint32_t ccap = 0;
    int rc = -1;
    if (!only)
        return -1;
    ps_bits_set(only, item);
    ps_check_opts co = { .fixes = true, .fix_items = only, .threads = 1 };
    if (ps_check(m, &co, &r) || ps_fix_complete(m, r))
        goto out;
    /* the exposures of the item only: the others have no fixes */
    uint32_t w = 0;
    for (uint32_t i = 0; i < r->nexposures; i++)
        if (r->exposures[i].item == item)
            r->exposures[w++] = r->exposures[i];
    r->nexposures = w;
    if (cover(&p, &ccap, m, r, 1, &p.uncovered))
        goto out;
    rc = 0;
    for (uint32_t i = 0; i < p.nchanges && !rc; i++)
        for (uint32_t k = 0; k < p.changes[i].nremoves && !rc; k++)
            if (p.changes[i].removes[k].viewer == viewer) {
                ps_fix_text(m, &p.changes[i].fix, buf, cap);
                rc = 1;
            }
out:
    for (uint32_t i = 0; i < p.nchanges; i++) {
        ps_terms_free(&p.changes[i].fix.terms);
        free(p.changes[i].removes);
    }
    free(p.changes);
    ps_report_free(r);
    free(only);
    return rc;
}

int ps_plan_make(const ps_model *m, const ps_report *r, ps_severity min, ps_plan **out)
{
    return ps_plan_make_opts(m, r, min, true, 0, out);
}

int ps_plan_make_opts(const ps_model *m, const ps_report *r, ps_severity min, bool costs,
                      uint32_t max_checks, ps_plan **out)
{
    if (!max_checks || max_checks > PS_PLAN_MAX_ROUNDS)
        max_checks = PS_PLAN_MAX_ROUNDS;
    ps_plan *p = calloc(1, sizeof *p);
    uint32_t cap = 0;
    ps_report *again = NULL;
    ps_engine *base = NULL, *fast = NULL;
    *out = NULL;
    if (!p)
        return -1;
    p->min = (uint8_t)min;
    for (uint32_t i = 0; i < r->nexposures; i++)
        p->ntargets += r->exposures[i].severity >= min;
    if (!(p->planned = ps_model_clone(m)))
        goto oom;
    const ps_report *cur = r;
    for (uint32_t round = 1; round <= max_checks; round++) {
        uint32_t first = p->nchanges;
        if (cover(p, &cap, p->planned, cur, round, &p->uncovered))
            goto oom;
        for (uint32_t i = first; i < p->nchanges; i++)
            if (apply_change(p->planned, &p->changes[i].fix))
                goto oom;
        ps_report_free(again);
        again = NULL;
        ps_check_opts co = { .fixes = false };
        if (ps_check(p->planned, &co, &again))
            goto oom;
        p->rounds = round;
        bool left = false;
        for (uint32_t i = 0; i < again->nexposures && !left; i++)
            left = again->exposures[i].severity >= min;
        if (!left || p->nchanges == first || round == max_checks)
            break;
        /* the exposures left (or brought by the changes): their fixes, on the planned model */
        uint64_t *items = items_at(p->planned, again, (uint8_t)min);
        ps_report_free(again);
        again = NULL;
        co = (ps_check_opts){ .fixes = true, .fix_items = items };
        int crc = items ? ps_check(p->planned, &co, &again) : -1;
        free(items);
        if (crc || ps_fix_complete(p->planned, again))
            goto oom;
        cur = again;
    }
    uint32_t lcap = 0;
    for (uint32_t i = 0; i < again->nexposures; i++) {
        const ps_exposure *x = &again->exposures[i];
        if (x->severity >= min &&
            push_pair(&p->left, &p->nleft, &lcap, x->item, x->viewer, x->severity))
            goto oom;
    }
    p->costs = costs;
    if (costs) {
        int64_t rb = ps_plan_reach(m, m), ra = p->nchanges ? ps_plan_reach(p->planned, m) : rb;
        if (rb < 0 || ra < 0)
            goto oom;
        p->reach_before = (uint64_t)rb;
        p->reach_after = (uint64_t)ra;
        if (!(base = engine_at_end(m)))
            goto oom;
        if (!m->nsteps && !(fast = ps_engine_new(m)))
            goto oom;
        for (uint32_t i = 0; i < p->nchanges; i++)
            if (change_cost(m, base, fast, &p->changes[i]))
                goto oom;
    }
    ps_engine_free(base);
    ps_engine_free(fast);
    ps_report_free(again);
    *out = p;
    return 0;
oom:
    ps_engine_free(base);
    ps_engine_free(fast);
    ps_report_free(again);
    ps_plan_free(p);
    return -1;
}
