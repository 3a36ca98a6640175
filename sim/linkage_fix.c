/* linkage_fix.c - fixes of linkages: candidate changes along the evidence, each verified by
 * computing the person's linkages again with it, and the smallest set of changes that
 * removes every forbidden linkage (see linkage.h). */
#include "linkage_int.h"

#include "bitset.h"
#include "fix_int.h"
#include "print.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------
 * Fixes
 * ------------------------------------------------------------------------------------- */

static bool same_fix(const ps_link_fix *x, const ps_link_fix *y)
{
    if (x->kind != y->kind || x->person != y->person || x->user != y->user ||
        x->other != y->other)
        return false;
    if (x->kind != PS_LFIX_ENGINE)
        return true;
    const ps_fix *f = &x->fix, *g = &y->fix;
    return f->kind == g->kind && f->user == g->user && f->item == g->item &&
           f->user2 == g->user2 && f->step == g->step && f->rule == g->rule &&
           f->rule_value == g->rule_value && ps_terms_equal(&f->terms, &g->terms);
}

void link_fix_free(ps_link_fix *f)
{
    ps_terms_free(&f->fix.terms);
}

/* Adds a candidate unless it is there already (then frees it).  0, or -1. */
static int add_fix(fix_vec *l, ps_link_fix f)
{
    for (uint32_t i = 0; i < l->n; i++)
        if (same_fix(&l->v[i], &f)) {
            link_fix_free(&f);
            return 0;
        }
    if (ps_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v)) {
        link_fix_free(&f);
        return -1;
    }
    l->v[l->n++] = f;
    return 0;
}

static ps_link_fix lfix(ps_lfix_kind kind, uint32_t person, uint32_t user, uint32_t other)
{
    ps_link_fix f;
    memset(&f, 0, sizeof f);
    f.kind = (uint8_t)kind;
    f.person = person;
    f.user = user;
    f.other = other;
    f.fix.user = f.fix.item = f.fix.user2 = f.fix.step = f.fix.app = PS_NONE;
    return f;
}

static ps_link_fix efix(uint32_t person, ps_fix_kind kind, uint32_t user, uint32_t item)
{
    ps_link_fix f = lfix(PS_LFIX_ENGINE, person, user, PS_NONE);
    f.fix.kind = (uint8_t)kind;
    f.fix.user = user;
    f.fix.item = item;
    return f;
}

/* The owner of field item `item` sets it to only-me. */
static int only_me(fix_vec *l, const ps_model *m, uint32_t person, uint32_t item)
{
    if (item == PS_NONE)
        return 0;
    ps_link_fix f = efix(person, PS_FIX_SET_AUDIENCE, m->items[item].owner, item);
    if (ps_terms_push(&f.fix.terms, PS_TERM_ONLY_ME, PS_NONE)) {
        link_fix_free(&f);
        return -1;
    }
    return add_fix(l, f);
}

/* The owner of `item` hides it from user v (hide=user:V). */
static int hide_from(fix_vec *l, const ps_model *m, uint32_t person, uint32_t item, uint32_t v)
{
    if (item == PS_NONE || v >= m->nusers || m->items[item].owner == v ||
        m->items[item].group != PS_NONE)
        return 0;
    ps_link_fix f = efix(person, PS_FIX_HIDE, m->items[item].owner, item);
    if (ps_terms_push(&f.fix.terms, PS_TERM_USER, v)) {
        link_fix_free(&f);
        return -1;
    }
    return add_fix(l, f);
}

/* With `per_viewer`, hiding from the viewer each item the evidence rests on. */
static int hide_candidates(fix_vec *l, const ps_model *m, const ps_linkage *x,
                           const ps_evidence *ev)
{
    uint32_t pi = x->person, v = x->viewer, acc[2] = { x->a, x->b };
    int rc = 0;
    for (unsigned j = 0; j < 2; j++)
        switch ((ps_ev_kind)ev->kind) {
        case PS_EV_FRIENDSHIP:
        case PS_EV_MUTUAL_FRIENDS:
            rc |= hide_from(l, m, pi, field_item(m, acc[j], PS_F_FRIENDLIST), v);
            break;
        case PS_EV_TAG:
        case PS_EV_INTERACTION:
            if (!j)
                rc |= hide_from(l, m, pi, ev->item, v);
            break;
        case PS_EV_FIELDS:
            rc |= hide_from(l, m, pi, field_item(m, acc[j], (ps_field)ev->ref), v);
            if (ev->ref == PS_F_BIRTHDAY)
                rc |= hide_from(l, m, pi, field_item(m, acc[j], PS_F_HOMETOWN), v);
            break;
        case PS_EV_GROUP:
            rc |= hide_from(l, m, pi, field_item(m, acc[j], PS_F_GROUPS), v);
            break;
        case PS_EV_NETWORK:
            rc |= hide_from(l, m, pi, field_item(m, acc[j], PS_F_NETWORKS), v);
            break;
        case PS_EV_CONTACTS:
            rc |= hide_from(l, m, pi, field_item(m, acc[j], (ps_field)ev->ref), v);
            break;
        default:
            break;
        }
    return rc ? -1 : 0;
}

/* The candidate changes along one piece of evidence; with `per_viewer`, the hides from the
 * viewer too. */
static int candidates(fix_vec *l, const ps_model *m, const ps_link_rules *rules,
                      const ps_linkage *x, const ps_evidence *ev, bool per_viewer)
{
    uint32_t pi = x->person, acc[2] = { x->a, x->b };
    int rc = 0;
    if (per_viewer && hide_candidates(l, m, x, ev))
        return -1;
    switch ((ps_ev_kind)ev->kind) {
    case PS_EV_FRIENDSHIP:
        rc |= add_fix(l, lfix(PS_LFIX_UNFRIEND, pi, x->a, x->b));
        __attribute__((fallthrough)); /* hiding friend lists hides the friendship too */
    case PS_EV_MUTUAL_FRIENDS:
        for (unsigned j = 0; j < 2; j++)
            rc |= add_fix(l, efix(pi, PS_FIX_FRIENDLIST, acc[j], PS_NONE));
        if (m->rules.friendship_visibility == PS_FV_BOTH_ENDS) {
            ps_link_fix f = efix(pi, PS_FIX_RULE, PS_NONE, PS_NONE);
            f.fix.rule = PS_RULE_FRIENDSHIP_VISIBILITY;
            f.fix.rule_value = PS_FV_OWN_SETTING;
            rc |= add_fix(l, f);
        }
        break;
    case PS_EV_TAG:
        for (unsigned j = 0; j < 2; j++) {
            const ps_item *it = &m->items[ev->item];
            if (it->owner == acc[j])
                continue;
            ps_link_fix f = efix(pi, PS_FIX_UNTAG, acc[j], ev->item);
            f.fix.user2 = acc[j];
            rc |= add_fix(l, f);
            if (!ps_user_tag_review(m, acc[j]))
                rc |= add_fix(l, efix(pi, PS_FIX_TAG_REVIEW, acc[j], PS_NONE));
        }
        break;
    case PS_EV_INTERACTION: {
        const ps_step *st = &m->steps[ev->step];
        ps_link_fix f = efix(pi, st->kind == PS_STEP_SHARE ? PS_FIX_UNSHARE
                                                           : PS_FIX_NO_INTERACTION,
                             st->actor, ev->item);
        f.fix.step = ev->step;
        rc |= add_fix(l, f);
        break;
    }
    case PS_EV_FIELDS:
        for (unsigned j = 0; j < 2; j++) {
            rc |= only_me(l, m, pi, field_item(m, acc[j], (ps_field)ev->ref));
            if (ev->ref == PS_F_BIRTHDAY)
                rc |= only_me(l, m, pi, field_item(m, acc[j], PS_F_HOMETOWN));
        }
        break;
    case PS_EV_GROUP:
        for (unsigned j = 0; j < 2; j++) {
            rc |= add_fix(l, lfix(PS_LFIX_LEAVE_GROUP, pi, acc[j], ev->ref));
            if (m->groups[ev->ref].kind != PS_GROUP_SECRET)
                rc |= only_me(l, m, pi, field_item(m, acc[j], PS_F_GROUPS));
        }
        break;
    case PS_EV_NETWORK:
        for (unsigned j = 0; j < 2; j++) {
            rc |= add_fix(l, lfix(PS_LFIX_LEAVE_NETWORK, pi, acc[j], ev->ref));
            rc |= only_me(l, m, pi, field_item(m, acc[j], PS_F_NETWORKS));
        }
        break;
    case PS_EV_CONTACTS:
        for (unsigned j = 0; j < 2; j++)   /* a holder who is not a friend saw the field */
            rc |= only_me(l, m, pi, field_item(m, acc[j], (ps_field)ev->ref));
        rc |= add_fix(l, lfix(PS_LFIX_NO_VALUE, pi, x->b, ev->ref));
        if (rules->contacts & (1u << ev->ref))
            rc |= add_fix(l, lfix(PS_LFIX_NO_CONTACTS, pi, PS_NONE, ev->ref));
        break;
    default:
        break;
    }
    return rc ? -1 : 0;
}

static void remove_member(uint32_t *v, uint32_t *n, uint32_t u)
{
    uint32_t w = 0;
    for (uint32_t i = 0; i < *n; i++)
        if (v[i] != u)
            v[w++] = v[i];
    *n = w;
}

/* Applies a fix to model w (a copy the caller owns).  0, or -1 out of memory. */
static int apply_fix(ps_model *w, const ps_link_fix *f)
{
    switch ((ps_lfix_kind)f->kind) {
    case PS_LFIX_ENGINE:
        return ps_fix_apply(w, &f->fix);
    case PS_LFIX_UNFRIEND:
        ps_model_remove_friendship(w, f->user, f->other);
        for (uint32_t k = 0; k < w->nsteps; k++) {
            ps_step *st = &w->steps[k];
            if (st->kind == PS_STEP_BEFRIEND &&
                ((st->actor == f->user && st->other == f->other) ||
                 (st->actor == f->other && st->other == f->user))) {
                ps_step_free(st);
                memmove(st, st + 1, (size_t)(w->nsteps - k - 1) * sizeof *st);
                w->nsteps--;
                k--;
            }
        }
        return 0;
    case PS_LFIX_LEAVE_GROUP:
        remove_member(w->groups[f->other].members, &w->groups[f->other].nmembers, f->user);
        return 0;
    case PS_LFIX_LEAVE_NETWORK:
        remove_member(w->networks[f->other].members, &w->networks[f->other].nmembers,
                      f->user);
        return 0;
    case PS_LFIX_NO_VALUE: {
        uint32_t it = field_item(w, f->user, (ps_field)f->other);
        if (it != PS_NONE)
            ps_field_value_clear(w, it);
        uint32_t pi = ps_person_of(w, f->user);
        if (pi != PS_NONE)
            w->persons->v[pi].same &= ~(1u << f->other);
        return 0;
    }
    case PS_LFIX_NO_CONTACTS: {
        ps_persons *ps = ps_persons_get(w);
        if (!ps)
            return -1;
        ps_link_rules r = ps_link_rules_of(w);
        ps->rules.contacts = r.contacts & ~(1u << f->other);
        ps->contacts_set = true;
        ps->rules.mutual_friends = r.mutual_friends;
        ps->mutual_set = true;
        return 0;
    }
    }
    return 0;
}

/* Order of fixes: the person's own accounts first, then other people, then the platform. */
static int fix_class(const ps_link_fix *f, const ps_model *m)
{
    if (f->kind == PS_LFIX_NO_CONTACTS || (f->kind == PS_LFIX_ENGINE && f->fix.kind == PS_FIX_RULE))
        return 2;
    return is_account(&m->persons->v[f->person], f->user) ? 0 : 1;
}

/* What one change tried in place touched, saved so that it can be put back. */
typedef struct {
    ps_fix_undo fx;            /* an engine fix */
    uint32_t *members;         /* leave a group or network: the members before (owned) */
    uint32_t nmembers;
    ps_value_entry value;      /* no value: the field's value, taken out */
    uint32_t person;           /* no value: the person whose same= fields were saved */
    uint32_t same;
} link_undo;

/* True for the changes that can be tried on a model and put back: all but an unfriending
 * (which changes the friendship graph the engine indexes) and the removal of a step. */
static bool undoable(const ps_model *w, const ps_link_fix *f)
{
    switch ((ps_lfix_kind)f->kind) {
    case PS_LFIX_ENGINE:
        return ps_fix__undoable(w, &f->fix);
    case PS_LFIX_UNFRIEND:
        return false;
    default:
        return true;
    }
}

static uint32_t **members_of(ps_model *w, const ps_link_fix *f, uint32_t **n)
{
    if (f->kind == PS_LFIX_LEAVE_GROUP) {
        *n = &w->groups[f->other].nmembers;
        return &w->groups[f->other].members;
    }
    *n = &w->networks[f->other].nmembers;
    return &w->networks[f->other].members;
}

/* Applies an undoable change to w, saving into u what it changes.  0, or -1 out of memory
 * (then w is as it was). */
static int apply_saved(ps_model *w, const ps_link_fix *f, link_undo *u)
{
    memset(u, 0, sizeof *u);
    u->person = PS_NONE;
    u->value.item = PS_NONE;
    switch ((ps_lfix_kind)f->kind) {
    case PS_LFIX_ENGINE:
        if (ps_fix__save(w, &f->fix, &u->fx) || ps_fix_apply(w, &f->fix)) {
            ps_fix__restore(w, &f->fix, &u->fx);
            return -1;
        }
        return 0;
    case PS_LFIX_LEAVE_GROUP:
    case PS_LFIX_LEAVE_NETWORK: {
        uint32_t *n, *v = *members_of(w, f, &n);
        u->members = malloc(((size_t)*n + 1) * sizeof *u->members);
        if (!u->members)
            return -1;
        memcpy(u->members, v, (size_t)*n * sizeof *v);
        u->nmembers = *n;
        return apply_fix(w, f);
    }
    case PS_LFIX_NO_VALUE: {
        uint32_t it = field_item(w, f->user, (ps_field)f->other);
        if (it != PS_NONE)
            u->value = ps_field_value_take(w, it);
        u->person = ps_person_of(w, f->user);
        if (u->person != PS_NONE) {
            u->same = w->persons->v[u->person].same;
            w->persons->v[u->person].same &= ~(1u << f->other);
        }
        return 0;
    }
    default: /* the link rules: saved by the caller */
        return apply_fix(w, f);
    }
}

static void put_back(ps_model *w, const ps_link_fix *f, link_undo *u)
{
    switch ((ps_lfix_kind)f->kind) {
    case PS_LFIX_ENGINE:
        ps_fix__restore(w, &f->fix, &u->fx);
        break;
    case PS_LFIX_LEAVE_GROUP:
    case PS_LFIX_LEAVE_NETWORK: {
        uint32_t *n, *v = *members_of(w, f, &n);
        memcpy(v, u->members, (size_t)u->nmembers * sizeof *v);
        *n = u->nmembers;
        free(u->members);
        break;
    }
    case PS_LFIX_NO_VALUE:
        ps_field_value_put(w, u->value);
        if (u->person != PS_NONE)
            w->persons->v[u->person].same = u->same;
        break;
    default:
        break;
    }
}

/* Applies the undoable changes `set` to model w, calls `fn`, and puts w back as it was;
 * `e`, when not NULL, is the engine whose model w is, told of each change. */
static int tried_in_place(ps_model *w, ps_engine *e, const ps_link_fix *const *set,
                          uint32_t n, int (*fn)(void *arg), void *arg)
{
    link_undo u[4];
    ps_persons link = *w->persons;   /* the link rules: scalars only */
    int rc = 0;
    uint32_t k = 0;
    while (k < n && !(rc = apply_saved(w, set[k], &u[k])))
        k++;
    if (e)
        ps_engine_model_changed(e);
    if (!rc)
        rc = fn(arg);
    while (k-- > 0)
        put_back(w, set[k], &u[k]);
    w->persons->rules = link.rules;
    w->persons->mutual_set = link.mutual_set;
    w->persons->contacts_set = link.contacts_set;
    if (e)
        ps_engine_model_changed(e);
    return rc;
}

typedef struct {
    ps_linkage_report *r;
    const ps_model *w;     /* linkages_of: the model */
    uint32_t pi;
    lbuf *out;
} sim_call;

static int on_model(void *arg)
{
    sim_call *c = arg;
    return linkages_of(c->w, c->pi, c->out, NULL);
}

static int on_engine(void *arg)
{
    sim_call *c = arg;
    return linkages_on(c->r->e, c->pi, c->out);
}

/* The linkages of person pi once the changes `set` are made.  Without a timeline, the
 * changes are tried on the report's engine itself and put back; with one, on the report's
 * model before a replay; a change that cannot be put back, on a copy. */
static int simulate(ps_linkage_report *r, uint32_t pi, const ps_link_fix *const *set,
                    uint32_t n, lbuf *out, bool by_copy)
{
    bool light = n <= 4 && !by_copy;
    for (uint32_t i = 0; i < n && light; i++)
        light = undoable(r->m, set[i]);
    sim_call c = { r, r->m, pi, out };
    if (light && r->e && !r->m->nsteps)
        return tried_in_place(ps_engine_model(r->e), r->e, set, n, on_engine, &c);
    if (light)
        return tried_in_place(r->m, NULL, set, n, on_model, &c);
    ps_model *copy = ps_model_clone(r->m);
    if (!copy)
        return -1;
    int rc = 0;
    for (uint32_t i = 0; i < n && !rc; i++)
        rc = apply_fix(copy, set[i]);
    c.w = copy;
    if (!rc)
        rc = on_model(&c);
    ps_model_free(copy);
    return rc;
}

/* The linkages of b as a set: per pair of accounts, a bitset over the viewers. */
typedef struct {
    uint32_t a[16], b[16];
    uint64_t *bits[16];
    uint32_t n;
    bool overflow;         /* more pairs than kept: look them up in the list */
    const lbuf *list;
} link_set;

static void link_set_free(link_set *x)
{
    for (uint32_t i = 0; i < x->n; i++)
        free(x->bits[i]);
}

static int link_set_of(link_set *x, const lbuf *b, uint32_t nv)
{
    memset(x, 0, sizeof *x);
    x->list = b;
    for (uint32_t i = 0; i < b->n; i++) {
        const ps_linkage *l = &b->v[i];
        uint32_t k = 0;
        while (k < x->n && (x->a[k] != l->a || x->b[k] != l->b))
            k++;
        if (k == x->n) {
            if (x->n == 16) {
                x->overflow = true;
                continue;
            }
            x->bits[k] = ps_bits_new(nv);
            if (!x->bits[k])
                return -1;
            x->a[k] = l->a;
            x->b[k] = l->b;
            x->n++;
        }
        ps_bits_set(x->bits[k], l->viewer);
    }
    return 0;
}

static bool still_links(const link_set *x, const ps_linkage *l)
{
    for (uint32_t k = 0; k < x->n; k++)
        if (x->a[k] == l->a && x->b[k] == l->b)
            return ps_bits_get(x->bits[k], l->viewer);
    for (uint32_t i = 0; x->overflow && i < x->list->n; i++)
        if (x->list->v[i].a == l->a && x->list->v[i].b == l->b &&
            x->list->v[i].viewer == l->viewer)
            return true;
    return false;
}

static uint32_t count_forbidden(const lbuf *b)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < b->n; i++)
        n += b->v[i].severity == PS_SEV_FORBIDDEN;
    return n;
}

/* The smallest set of candidates (of the forbidden linkages' evidence) that leaves person
 * pi without a forbidden linkage: every set of size 1, 2, ... up to max_set, within
 * max_tries simulations. */
static int search_minset(ps_linkage_report *r, uint32_t pi, const fix_vec *cand,
                         const uint32_t *idx, const bool *alone, uint32_t nidx,
                         const ps_linkage_opts *o, ps_link_minset *ms)
{
    uint32_t c[4];
    ms->ncandidates = nidx;
    ms->complete = true;
    /* every candidate at once first: a change only ever removes evidence, so when all of
     * them together leave a forbidden linkage, no smaller set removes it */
    if (nidx > 1) {
        const ps_link_fix **every = malloc((size_t)nidx * sizeof *every);
        if (!every)
            return -1;
        for (uint32_t i = 0; i < nidx; i++)
            every[i] = &cand->v[idx[i]];
        lbuf b = { .no_evidence = true };
        int rc = simulate(r, pi, every, nidx, &b, o->verify_by_copy);
        ms->left_all = count_forbidden(&b);
        lbuf_free(&b);
        free(every);
        if (rc)
            return -1;
        ms->tried++;
        if (ms->left_all)
            return 0;
    }
    for (uint32_t size = 1; size <= o->max_set && size <= nidx; size++) {
        ms->max_size = size;
        for (uint32_t i = 0; i < size; i++)
            c[i] = i;
        for (;;) {
            if (ms->tried >= o->max_tries) {
                ms->complete = false;
                return 0;
            }
            const ps_link_fix *set[4];
            for (uint32_t i = 0; i < size; i++)
                set[i] = &cand->v[idx[c[i]]];
            uint32_t left;
            if (size == 1) {
                left = !alone[c[0]]; /* known from the verification of single fixes */
            } else {
                lbuf b = { .no_evidence = true };
                int rc = simulate(r, pi, set, size, &b, o->verify_by_copy);
                left = count_forbidden(&b);
                lbuf_free(&b);
                if (rc)
                    return -1;
            }
            ms->tried++;
            if (!left) {
                ms->found = true;
                ms->nset = size;
                for (uint32_t i = 0; i < size; i++)
                    ms->set[i] = idx[c[i]];
                return 0;
            }
            /* next combination in lexicographic order */
            int k = (int)size - 1;
            while (k >= 0 && c[k] == nidx - size + (uint32_t)k)
                k--;
            if (k < 0)
                break;
            c[k]++;
            for (uint32_t i = (uint32_t)k + 1; i < size; i++)
                c[i] = c[i - 1] + 1;
        }
    }
    return 0;
}

/* Fixes of every linkage of person pi (verified), and the smallest set. */
int person_fixes(ps_linkage_report *r, uint32_t pi, const ps_linkage_opts *o,
                        fix_vec *all)
{
    ps_model *w = r->m;
    ps_link_rules rules = ps_link_rules_of(w);
    fix_vec cand = {0};
    int rc = 0;
    uint32_t nforbidden = 0;
    for (uint32_t i = 0; i < r->n; i++)
        nforbidden += r->v[i].person == pi && r->v[i].severity == PS_SEV_FORBIDDEN;
    bool hides = nforbidden <= PS_LINK_HIDE_MAX;
    for (uint32_t i = 0; i < r->n && !rc; i++)
        if (r->v[i].person == pi)
            for (uint32_t k = 0; k < r->v[i].nev && !rc; k++)
                rc = candidates(&cand, w, &rules, &r->v[i], &r->ev[r->v[i].ev_first + k],
                                hides && r->v[i].severity == PS_SEV_FORBIDDEN);
    /* stable order: own accounts, others, platform */
    uint32_t *order = malloc(((size_t)cand.n + 1) * sizeof *order);
    bool **fixes = calloc((size_t)cand.n + 1, sizeof *fixes);
    if (rc || !order || !fixes)
        goto fail;
    uint32_t no = 0;
    for (int cls = 0; cls < 3; cls++)
        for (uint32_t i = 0; i < cand.n; i++)
            if (fix_class(&cand.v[i], w) == cls)
                order[no++] = i;
    /* verify each candidate once: which linkages of the person it removes */
    for (uint32_t k = 0; k < cand.n; k++) {
        const ps_link_fix *one = &cand.v[order[k]];
        fixes[k] = calloc((size_t)r->n + 1, sizeof *fixes[k]);
        if (!fixes[k])
            goto fail;
        lbuf b = { .no_evidence = true };
        link_set left = {0};
        if (simulate(r, pi, &one, 1, &b, o->verify_by_copy) ||
            link_set_of(&left, &b, ps_nviewers(w))) {
            link_set_free(&left);
            lbuf_free(&b);
            goto fail;
        }
        for (uint32_t i = 0; i < r->n; i++)
            if (r->v[i].person == pi && !still_links(&left, &r->v[i]))
                fixes[k][i] = true;
        link_set_free(&left);
        lbuf_free(&b);
    }
    /* move the candidates into the report, and point each linkage at its fixes */
    uint32_t base = all->n;
    for (uint32_t k = 0; k < cand.n; k++) {
        if (ps_grow((void **)&all->v, &all->cap, all->n + 1, sizeof *all->v))
            goto fail;
        all->v[all->n++] = cand.v[order[k]];
        memset(&cand.v[order[k]].fix.terms, 0, sizeof cand.v[order[k]].fix.terms);
    }
    for (uint32_t i = 0; i < r->n; i++) {
        if (r->v[i].person != pi)
            continue;
        r->v[i].fix_first = r->nfix_of;
        for (uint32_t k = 0; k < cand.n; k++) {
            if (!fixes[k][i])
                continue;
            uint32_t cap = r->nfix_of; /* grown one at a time */
            uint32_t *nv = realloc(r->fix_of, ((size_t)cap + 1) * sizeof *nv);
            if (!nv)
                goto fail;
            r->fix_of = nv;
            r->fix_of[r->nfix_of++] = base + k;
        }
        r->v[i].nfixes = r->nfix_of - r->v[i].fix_first;
    }
    /* the smallest set, over the candidates of the forbidden linkages */
    if (nforbidden) {
        fix_vec fc = {0};
        for (uint32_t i = 0; i < r->n && !rc; i++)
            if (r->v[i].person == pi && r->v[i].severity == PS_SEV_FORBIDDEN)
                for (uint32_t k = 0; k < r->v[i].nev && !rc; k++)
                    rc = candidates(&fc, w, &rules, &r->v[i], &r->ev[r->v[i].ev_first + k],
                                    hides);
        uint32_t *idx = malloc(((size_t)fc.n + 1) * sizeof *idx), nidx = 0;
        bool *alone = malloc(((size_t)fc.n + 1) * sizeof *alone);
        for (uint32_t k = 0; idx && alone && k < cand.n; k++)
            for (uint32_t j = 0; j < fc.n; j++)
                if (same_fix(&all->v[base + k], &fc.v[j])) {
                    alone[nidx] = true;
                    for (uint32_t i = 0; i < r->n; i++)
                        if (r->v[i].person == pi && r->v[i].severity == PS_SEV_FORBIDDEN &&
                            !fixes[k][i])
                            alone[nidx] = false;
                    idx[nidx++] = base + k;
                    break;
                }
        for (uint32_t j = 0; j < fc.n; j++)
            link_fix_free(&fc.v[j]);
        free(fc.v);
        ps_link_minset ms;
        memset(&ms, 0, sizeof ms);
        ms.person = pi;
        ms.nforbidden = nforbidden;
        ms.hides = hides;
        if (rc || !idx || !alone ||
            ps_grow((void **)&r->minsets, &(uint32_t){r->nminsets}, r->nminsets + 1,
                    sizeof *r->minsets) ||
            search_minset(r, pi, all, idx, alone, nidx, o, &ms)) {
            free(idx);
            free(alone);
            goto fail;
        }
        free(idx);
        free(alone);
        r->minsets[r->nminsets++] = ms;
    }
    rc = 0;
    goto done;
fail:
    rc = -1;
done:
    for (uint32_t k = 0; fixes && k < cand.n; k++)
        free(fixes[k]);
    free(fixes);
    free(order);
    for (uint32_t k = 0; k < cand.n; k++)
        link_fix_free(&cand.v[k]);
    free(cand.v);
    return rc;
}

const char *ps_link_fix_text(const ps_linkage_report *r, const ps_link_fix *f, char *buf,
                             size_t cap)
{
    const ps_model *m = r->m;
    const char *who = f->user < m->nusers ? m->users[f->user].name : "platform";
    switch ((ps_lfix_kind)f->kind) {
    case PS_LFIX_ENGINE:
        return ps_fix_text(m, &f->fix, buf, cap);
    case PS_LFIX_UNFRIEND:
        snprintf(buf, cap, "%s: unfriend %s", who, m->users[f->other].name);
        break;
    case PS_LFIX_LEAVE_GROUP:
        snprintf(buf, cap, "%s: leave group %s", who, m->groups[f->other].name);
        break;
    case PS_LFIX_LEAVE_NETWORK:
        snprintf(buf, cap, "%s: leave network %s", who, m->networks[f->other].name);
        break;
    case PS_LFIX_NO_VALUE:
        snprintf(buf, cap, "%s: do not give the platform the same %s", who,
                 ps_category_name(f->other));
        break;
    case PS_LFIX_NO_CONTACTS: {
        char rule[320];
        ps_link_rule_text(rule, sizeof rule, false,
                          ps_link_rules_of(m).contacts & ~(1u << f->other));
        snprintf(buf, cap, "platform: %s", rule);
        break;
    }
    default:
        snprintf(buf, cap, "?");
    }
    return buf;
}
