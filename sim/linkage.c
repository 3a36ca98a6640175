/* linkage.c - linkage evidence, severity, re-verified fixes and smallest sets (see
 * linkage.h).
 *
 * Everything is computed through the engine's public API at the end of the timeline: one
 * engine over a working copy of the scenario (with the profile fields that linking reads
 * declared, so that the engine evaluates them), ps_engine_eval() for each item that evidence
 * rests on, and bitsets over the viewers.  A fix is verified by applying it to another copy
 * and computing the person's linkages again.
 */
#include "linkage.h"

#include "describe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for "USER.FIELD" and viewer names. */
#define LINK_NAME_MAX 512

const char *ps_ev_kind_name(ps_ev_kind k)
{
    static const char *const names[PS_NEV] = {
        "friendship", "mutual-friends", "tag", "interaction", "fields", "group", "network",
        "contacts",
    };
    return k < PS_NEV ? names[k] : "?";
}

/* ---------------------------------------------------------------------------------------
 * Bitsets over viewers
 * ------------------------------------------------------------------------------------- */

static size_t words(uint32_t n) { return ((size_t)n + 63) / 64; }
static bool bit(const uint64_t *b, uint32_t i) { return (b[i >> 6] >> (i & 63)) & 1; }
static void bset(uint64_t *b, uint32_t i) { b[i >> 6] |= (uint64_t)1 << (i & 63); }

/* ---------------------------------------------------------------------------------------
 * Growable output
 * ------------------------------------------------------------------------------------- */

typedef struct {
    ps_linkage *v; uint32_t n, cap;
    ps_evidence *ev; uint32_t nev, capev;
    uint32_t *friends; uint32_t nfriends, capfriends;
} lbuf;

static void lbuf_free(lbuf *b)
{
    free(b->v);
    free(b->ev);
    free(b->friends);
    memset(b, 0, sizeof *b);
}

/* ---------------------------------------------------------------------------------------
 * The state at the end of the timeline
 * ------------------------------------------------------------------------------------- */

typedef struct {
    ps_engine *e;
    ps_model *em;          /* the engine's model (borrowed) */
    bool *refused;         /* per step */
    uint32_t nv;           /* viewers */
    size_t w;              /* words of a viewer bitset */
    ps_link_rules rules;
} state;

static void state_free(state *s)
{
    ps_engine_free(s->e);
    free(s->refused);
    memset(s, 0, sizeof *s);
}

/* Runs the whole timeline of `m`, noting the refused steps.  0, or -1 out of memory. */
static int state_open(state *s, const ps_model *m)
{
    memset(s, 0, sizeof *s);
    s->e = ps_engine_new(m);
    s->refused = calloc((size_t)m->nsteps + 1, sizeof *s->refused);
    if (!s->e || !s->refused) {
        state_free(s);
        return -1;
    }
    for (;;) {
        bool refused = false;
        int k = ps_engine_step(s->e, &refused);
        if (k < 0) {
            state_free(s);
            return -1;
        }
        if (k == 0)
            break;
        uint32_t at = ps_engine_position(s->e);
        if (refused && at > 0 && at <= m->nsteps)
            s->refused[at - 1] = true;
    }
    s->em = ps_engine_model(s->e);
    s->nv = ps_nviewers(s->em);
    s->w = words(s->nv);
    s->rules = ps_link_rules_of(s->em);
    return 0;
}

/* The item of user u's field f in the engine's model, or PS_NONE when it is not declared. */
static uint32_t field_item(const ps_model *m, uint32_t u, ps_field f)
{
    char name[LINK_NAME_MAX];
    int n = snprintf(name, sizeof name, "%s.%s", m->users[u].name, ps_category_name(f));
    if (n < 0 || (size_t)n >= sizeof name)
        return PS_NONE;
    return ps_model_find(m, PS_NS_ITEM, 0, name, (size_t)n);
}

/* Evaluates `item` on engine e; with `whole`, without rule 8 (friendship): the engine's
 * model is evaluated under friendship-visibility = own-setting and put back, so that the
 * audience is those who see the whole friend list, not one friendship of it. */
static int eval_item(ps_engine *e, uint32_t item, bool whole)
{
    ps_model *em = ps_engine_model(e);
    uint8_t fv = em->rules.friendship_visibility;
    if (whole)
        em->rules.friendship_visibility = PS_FV_OWN_SETTING;
    int rc = ps_engine_eval(e, item);
    em->rules.friendship_visibility = fv;
    return rc;
}

/* Marks into `bits` (zeroed first) every viewer of `item` (with `whole`: who sees the whole
 * friend list, see eval_item).  0, or -1 out of memory. */
static int audience(state *s, uint32_t item, bool whole, uint64_t *bits)
{
    memset(bits, 0, s->w * sizeof *bits);
    if (item == PS_NONE || item >= s->em->nitems)
        return 0;
    if (eval_item(s->e, item, whole))
        return -1;
    uint32_t n;
    const uint32_t *v = ps_engine_audience(s->e, &n);
    for (uint32_t i = 0; i < n; i++)
        bset(bits, v[i]);
    return 0;
}

/* True when the tag of `u` on item `it` is live: present, and approved or not reviewed. */
static bool live_tag(const ps_model *m, const ps_item *it, uint32_t u)
{
    for (uint32_t i = 0; i < it->ntags; i++)
        if (it->tags[i].user == u && !it->tags[i].removed)
            return it->tags[i].approved || !ps_user_tag_review(m, u);
    return false;
}

/* True when share step k still holds at the end: taken, and not ended by a later unshare. */
static bool share_holds(const state *s, uint32_t k)
{
    const ps_step *st = &s->em->steps[k];
    if (s->refused[k])
        return false;
    for (uint32_t j = k + 1; j < s->em->nsteps; j++)
        if (s->em->steps[j].kind == PS_STEP_UNSHARE && s->em->steps[j].actor == st->actor &&
            s->em->steps[j].item == st->item)
            return false;
    return true;
}

/* ---------------------------------------------------------------------------------------
 * Evidence for one pair of accounts
 * ------------------------------------------------------------------------------------- */

typedef struct {
    ps_evidence ev;
    uint64_t *bits;        /* viewers for whom it holds (owned) */
} inst;

typedef struct {
    inst *v;
    uint32_t n, cap;
} inst_list;

static void insts_free(inst_list *l)
{
    for (uint32_t i = 0; i < l->n; i++)
        free(l->v[i].bits);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* Appends an instance with a new zeroed bitset; NULL out of memory. */
static inst *inst_add(inst_list *l, const state *s, ps_ev_kind kind)
{
    if (ps_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v))
        return NULL;
    inst *x = &l->v[l->n];
    memset(x, 0, sizeof *x);
    x->bits = calloc(s->w + 1, sizeof *x->bits);
    if (!x->bits)
        return NULL;
    x->ev.kind = (uint8_t)kind;
    x->ev.item = x->ev.step = x->ev.ref = PS_NONE;
    l->n++;
    return x;
}

/* `dst` &= the audience of `item` (whole friend lists with `whole`). */
static int and_audience(state *s, uint64_t *dst, uint32_t item, bool whole, uint64_t *tmp)
{
    if (audience(s, item, whole, tmp))
        return -1;
    for (size_t i = 0; i < s->w; i++)
        dst[i] &= tmp[i];
    return 0;
}

static bool is_account(const ps_person *p, uint32_t u)
{
    for (uint32_t k = 0; k < p->naccounts; k++)
        if (p->accounts[k] == u)
            return true;
    return false;
}

static bool sorted_has(const uint32_t *v, uint32_t n, uint32_t x)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (v[mid] == x)
            return true;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

typedef struct {
    uint32_t *common;      /* friends of both accounts (not accounts themselves) */
    uint32_t ncommon;
    uint64_t *both;        /* viewers who see both whole friend lists */
    uint64_t **fl;         /* per common friend: viewers who see that friend's whole list */
    uint32_t *count;       /* per viewer: friends in common seen on both lists */
} mutual;

static void mutual_free(mutual *x)
{
    for (uint32_t i = 0; x->fl && i < x->ncommon; i++)
        free(x->fl[i]);
    free(x->fl);
    free(x->common);
    free(x->both);
    free(x->count);
    memset(x, 0, sizeof *x);
}

/* Friends in common, and how many each viewer sees on both lists. */
static int mutual_compute(state *s, const ps_person *p, uint32_t a, uint32_t b,
                          const uint64_t *fla, const uint64_t *flb, mutual *x)
{
    memset(x, 0, sizeof *x);
    uint32_t k = s->rules.mutual_friends;
    if (!k)
        return 0;
    uint32_t na, nb;
    const uint32_t *fa = ps_model_friends(s->em, a, &na);
    uint32_t *copy = malloc(((size_t)na + 1) * sizeof *copy);
    if (!copy)
        return -1;
    if (na)
        memcpy(copy, fa, (size_t)na * sizeof *copy);
    const uint32_t *fb = ps_model_friends(s->em, b, &nb);
    x->common = malloc(((size_t)(na < nb ? na : nb) + 1) * sizeof *x->common);
    if (!x->common) {
        free(copy);
        return -1;
    }
    for (uint32_t i = 0; i < na; i++)
        if (!is_account(p, copy[i]) && sorted_has(fb, nb, copy[i]))
            x->common[x->ncommon++] = copy[i];
    free(copy);
    if (x->ncommon < k)
        return 0;
    x->both = malloc((s->w + 1) * sizeof *x->both);
    x->fl = calloc(x->ncommon, sizeof *x->fl);
    x->count = calloc((size_t)s->nv + 1, sizeof *x->count);
    if (!x->both || !x->fl || !x->count)
        return -1;
    for (size_t i = 0; i < s->w; i++)
        x->both[i] = fla[i] & flb[i];
    for (uint32_t i = 0; i < x->ncommon; i++) {
        x->fl[i] = malloc((s->w + 1) * sizeof *x->fl[i]);
        if (!x->fl[i] ||
            audience(s, field_item(s->em, x->common[i], PS_F_FRIENDLIST), true, x->fl[i]))
            return -1;
    }
    for (uint32_t v = 0; v < s->nv; v++) {
        if (bit(x->both, v)) {
            x->count[v] = x->ncommon;
            continue;
        }
        for (uint32_t i = 0; i < x->ncommon; i++)
            x->count[v] += bit(x->fl[i], v);
    }
    return 0;
}

/* Every instance of evidence for the pair (a, b) of person p. */
static int pair_evidence(state *s, const ps_person *p, uint32_t a, uint32_t b,
                         inst_list *out, mutual *mu)
{
    ps_model *m = s->em;
    uint64_t *fla = calloc(s->w + 1, sizeof *fla), *flb = calloc(s->w + 1, sizeof *flb);
    uint64_t *tmp = calloc(s->w + 1, sizeof *tmp);
    int rc = -1;
    if (!fla || !flb || !tmp)
        goto done;
    if (audience(s, field_item(m, a, PS_F_FRIENDLIST), true, fla) ||
        audience(s, field_item(m, b, PS_F_FRIENDLIST), true, flb))
        goto done;
    inst *x;
    /* friendship */
    if (ps_model_are_friends(m, a, b)) {
        if (!(x = inst_add(out, s, PS_EV_FRIENDSHIP)))
            goto done;
        for (size_t i = 0; i < s->w; i++)
            x->bits[i] = fla[i] | flb[i];
    }
    /* friends in common: counted per viewer, an instance marks where it is placed */
    if (mutual_compute(s, p, a, b, fla, flb, mu))
        goto done;
    if (mu->count && !inst_add(out, s, PS_EV_MUTUAL_FRIENDS))
        goto done;
    /* tags */
    for (uint32_t i = 0; i < m->nitems; i++) {
        const ps_item *it = &m->items[i];
        if (it->kind == PS_ITEM_FIELD || !it->ntags)
            continue;
        bool ia = it->owner == a || live_tag(m, it, a);
        bool ib = it->owner == b || live_tag(m, it, b);
        if (!ia || !ib)
            continue;
        if (!(x = inst_add(out, s, PS_EV_TAG)) || audience(s, i, false, x->bits))
            goto done;
        x->ev.item = i;
    }
    /* interactions */
    for (uint32_t k = 0; k < m->nsteps; k++) {
        const ps_step *st = &m->steps[k];
        if (st->kind != PS_STEP_COMMENT && st->kind != PS_STEP_LIKE &&
            st->kind != PS_STEP_SHARE)
            continue;
        if (st->item >= m->nitems || (st->actor != a && st->actor != b))
            continue;
        uint32_t owner = m->items[st->item].owner;
        if ((owner != a && owner != b) || owner == st->actor)
            continue;
        if (st->kind == PS_STEP_SHARE && !share_holds(s, k))
            continue;
        if (!(x = inst_add(out, s, PS_EV_INTERACTION)) || audience(s, st->item, false, x->bits))
            goto done;
        x->ev.item = st->item;
        x->ev.step = k;
    }
    /* equal identifying fields */
    static const ps_field single[] = { PS_F_PHONE, PS_F_EMAIL };
    for (unsigned f = 0; f < 2; f++) {
        if (!ps_field_same(m, a, b, single[f]))
            continue;
        if (!(x = inst_add(out, s, PS_EV_FIELDS)) ||
            audience(s, field_item(m, a, single[f]), false, x->bits) ||
            and_audience(s, x->bits, field_item(m, b, single[f]), false, tmp))
            goto done;
        x->ev.ref = single[f];
    }
    if (ps_field_same(m, a, b, PS_F_BIRTHDAY) && ps_field_same(m, a, b, PS_F_HOMETOWN)) {
        if (!(x = inst_add(out, s, PS_EV_FIELDS)) ||
            audience(s, field_item(m, a, PS_F_BIRTHDAY), false, x->bits) ||
            and_audience(s, x->bits, field_item(m, b, PS_F_BIRTHDAY), false, tmp) ||
            and_audience(s, x->bits, field_item(m, a, PS_F_HOMETOWN), false, tmp) ||
            and_audience(s, x->bits, field_item(m, b, PS_F_HOMETOWN), false, tmp))
            goto done;
        x->ev.ref = PS_F_BIRTHDAY;
    }
    /* groups */
    for (uint32_t g = 0; g < m->ngroups; g++) {
        const ps_group *G = &m->groups[g];
        if (!ps_group_has(G, a) || !ps_group_has(G, b))
            continue;
        if (!(x = inst_add(out, s, PS_EV_GROUP)))
            goto done;
        x->ev.ref = g;
        if (G->kind != PS_GROUP_SECRET &&
            (audience(s, field_item(m, a, PS_F_GROUPS), false, x->bits) ||
             and_audience(s, x->bits, field_item(m, b, PS_F_GROUPS), false, tmp)))
            goto done;
        for (uint32_t i = 0; i < G->nmembers; i++)
            if (G->members[i] < m->nusers)
                bset(x->bits, G->members[i]);
    }
    /* networks */
    for (uint32_t n = 0; n < m->nnetworks; n++) {
        const ps_network *N = &m->networks[n];
        if (!ps_network_has(N, a) || !ps_network_has(N, b))
            continue;
        if (!(x = inst_add(out, s, PS_EV_NETWORK)) ||
            audience(s, field_item(m, a, PS_F_NETWORKS), false, x->bits) ||
            and_audience(s, x->bits, field_item(m, b, PS_F_NETWORKS), false, tmp))
            goto done;
        x->ev.ref = n;
    }
    /* contact suggestions: the holders of either account's number or address */
    for (unsigned f = 0; f < 2; f++) {
        if (!(s->rules.contacts & (1u << single[f])) || !ps_field_same(m, a, b, single[f]))
            continue;
        if (!(x = inst_add(out, s, PS_EV_CONTACTS)))
            goto done;
        x->ev.ref = single[f];
        uint32_t acc[2] = { a, b };
        for (unsigned j = 0; j < 2; j++) {
            if (audience(s, field_item(m, acc[j], single[f]), false, tmp))
                goto done;
            for (size_t i = 0; i < s->w; i++)
                x->bits[i] |= tmp[i];
            uint32_t nf;
            const uint32_t *fr = ps_model_friends(m, acc[j], &nf);
            for (uint32_t i = 0; i < nf; i++)
                bset(x->bits, fr[i]);
        }
        /* users only: the internet and apps upload no contacts */
        for (uint32_t v = m->nusers; v < s->nv; v++)
            x->bits[v >> 6] &= ~((uint64_t)1 << (v & 63));
    }
    rc = 0;
done:
    free(fla);
    free(flb);
    free(tmp);
    return rc;
}

/* The linkages of person `pi` (every pair of its accounts) into `out`; with `only` not
 * NULL, only linkages whose severity is forbidden.  0, or -1 out of memory. */
static int person_linkages(state *s, uint32_t pi, lbuf *out)
{
    const ps_person *p = &s->em->persons->v[pi];
    uint64_t *forbid = calloc(s->w + 1, sizeof *forbid);
    if (!forbid)
        return -1;
    if (p->forbid.n)
        ps_engine_members(s->e, p->accounts[0], &p->forbid, forbid);
    int rc = 0;
    for (uint32_t i = 0; i < p->naccounts && !rc; i++)
        for (uint32_t j = i + 1; j < p->naccounts && !rc; j++) {
            uint32_t a = p->accounts[i], b = p->accounts[j];
            inst_list l = {0};
            mutual mu;
            memset(&mu, 0, sizeof mu);
            rc = pair_evidence(s, p, a, b, &l, &mu);
            for (uint32_t v = 0; v < s->nv && !rc; v++) {
                if (v < s->em->nusers && is_account(p, v))
                    continue;
                bool any = false;
                for (uint32_t k = 0; k < l.n && !any; k++)
                    any = l.v[k].ev.kind == PS_EV_MUTUAL_FRIENDS
                              ? mu.count[v] >= s->rules.mutual_friends
                              : bit(l.v[k].bits, v);
                if (!any)
                    continue;
                if (ps_grow((void **)&out->v, &out->cap, out->n + 1, sizeof *out->v)) {
                    rc = -1;
                    break;
                }
                ps_linkage *x = &out->v[out->n++];
                memset(x, 0, sizeof *x);
                x->person = pi;
                x->a = a;
                x->b = b;
                x->viewer = v;
                x->severity = v >= s->em->nusers ? PS_SEV_EXTERNAL
                              : bit(forbid, v) ? PS_SEV_FORBIDDEN : PS_SEV_BEYOND_INTENT;
                x->ev_first = out->nev;
                for (uint32_t k = 0; k < l.n && !rc; k++) {
                    ps_evidence ev = l.v[k].ev;
                    if (ev.kind == PS_EV_MUTUAL_FRIENDS) {
                        if (mu.count[v] < s->rules.mutual_friends)
                            continue;
                        ev.ref = mu.count[v];
                        ev.first = out->nfriends;
                        for (uint32_t f = 0; f < mu.ncommon; f++) {
                            if (!bit(mu.both, v) && !bit(mu.fl[f], v))
                                continue;
                            if (ps_grow((void **)&out->friends, &out->capfriends,
                                        out->nfriends + 1, sizeof *out->friends)) {
                                rc = -1;
                                break;
                            }
                            out->friends[out->nfriends++] = mu.common[f];
                        }
                        ev.n = out->nfriends - ev.first;
                    } else if (!bit(l.v[k].bits, v)) {
                        continue;
                    }
                    if (rc || ps_grow((void **)&out->ev, &out->capev, out->nev + 1,
                                      sizeof *out->ev)) {
                        rc = -1;
                        break;
                    }
                    out->ev[out->nev++] = ev;
                }
                x->nev = out->nev - x->ev_first;
            }
            insts_free(&l);
            mutual_free(&mu);
        }
    free(forbid);
    return rc;
}

/* ---------------------------------------------------------------------------------------
 * The working model
 * ------------------------------------------------------------------------------------- */

static int declare(ps_model *w, uint32_t u, ps_field f)
{
    return ps_model_field_item(w, u, f) == PS_NONE ? -1 : 0;
}

/* A copy of `m` in which every field that linking reads exists: the accounts' friend list,
 * identifying fields, groups and networks, and the friend lists of everyone who is or
 * becomes a friend of an account.  NULL out of memory. */
static ps_model *working_model(const ps_model *m)
{
    ps_model *w = ps_model_clone(m);
    if (!w)
        return NULL;
    const ps_persons *ps = w->persons;
    static const ps_field fields[] = { PS_F_FRIENDLIST, PS_F_PHONE, PS_F_EMAIL,
                                       PS_F_BIRTHDAY, PS_F_HOMETOWN, PS_F_GROUPS,
                                       PS_F_NETWORKS };
    for (uint32_t i = 0; ps && i < ps->n; i++)
        for (uint32_t k = 0; k < ps->v[i].naccounts; k++) {
            uint32_t u = ps->v[i].accounts[k];
            for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++)
                if (declare(w, u, fields[f]))
                    goto oom;
            uint32_t nf;
            const uint32_t *fr = ps_model_friends(w, u, &nf);
            uint32_t *copy = malloc(((size_t)nf + 1) * sizeof *copy);
            if (!copy)
                goto oom;
            if (nf)
                memcpy(copy, fr, (size_t)nf * sizeof *copy);
            for (uint32_t j = 0; j < nf; j++)
                if (declare(w, copy[j], PS_F_FRIENDLIST)) {
                    free(copy);
                    goto oom;
                }
            free(copy);
        }
    for (uint32_t k = 0; ps && k < w->nsteps; k++) {
        const ps_step *st = &w->steps[k];
        if (st->kind != PS_STEP_BEFRIEND || st->other >= w->nusers || st->actor >= w->nusers)
            continue;
        if (declare(w, st->actor, PS_F_FRIENDLIST) || declare(w, st->other, PS_F_FRIENDLIST))
            goto oom;
    }
    return w;
oom:
    ps_model_free(w);
    return NULL;
}

/* The linkages of person `pi` (or of every person, for PS_NONE) in model w. */
static int linkages_of(const ps_model *w, uint32_t pi, lbuf *out, ps_engine **keep)
{
    state s;
    if (state_open(&s, w))
        return -1;
    int rc = 0;
    for (uint32_t i = 0; i < w->persons->n && !rc; i++)
        if (pi == PS_NONE || pi == i)
            rc = person_linkages(&s, i, out);
    if (keep) {
        *keep = s.e;
        s.e = NULL;
    }
    state_free(&s);
    return rc;
}

/* ---------------------------------------------------------------------------------------
 * Fixes
 * ------------------------------------------------------------------------------------- */

typedef struct {
    ps_link_fix *v;
    uint32_t n, cap;
} fix_vec;

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

static void link_fix_free(ps_link_fix *f)
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
        default:
            break;
        }
    return rc ? -1 : 0;
}

/* Per-viewer hides are proposed for the forbidden linkages of a person who has at most this
 * many (each is a candidate of its own, and every candidate is simulated). */
#define HIDE_MAX_FORBIDDEN 8

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

/* Linkages of person `pi` after applying `n` fixes; -1 out of memory. */
/* What a change that can be undone touched: an item's audience, a user's tag review, the
 * platform's rules, the link rules. */
typedef struct {
    uint32_t item;         /* PS_NONE: none */
    ps_audience audience;  /* the item's audience before (owned) */
    bool has_audience;
    uint32_t user;         /* tag review: the user, or PS_NONE */
    int8_t tag_review;
} undo_rec;

/* True for the changes that touch only what undo_rec keeps (no step, no friendship, no
 * membership, no value): those are tried on the working model itself and undone. */
static bool undoable(const ps_link_fix *f)
{
    if (f->kind == PS_LFIX_NO_CONTACTS)
        return true;
    if (f->kind != PS_LFIX_ENGINE)
        return false;
    switch ((ps_fix_kind)f->fix.kind) {
    case PS_FIX_SET_AUDIENCE: case PS_FIX_HIDE: case PS_FIX_FRIENDLIST: case PS_FIX_TAG_REVIEW:
    case PS_FIX_RULE:
        return true;
    default:
        return false;
    }
}

/* Applies the undoable changes `set` to w itself, builds the person's linkages (the engine
 * takes its own copy of w), and puts w back as it was. */
static int simulate_in_place(ps_model *w, uint32_t pi, const ps_link_fix *const *set,
                             uint32_t n, lbuf *out)
{
    undo_rec u[4];
    ps_rules rules = w->rules;           /* scalars only: a rule fix changes no terms */
    ps_persons link = *w->persons;        /* the link rules: scalars only */
    int rc = 0;
    uint32_t k = 0;
    for (; k < n && !rc; k++) {
        const ps_fix *f = &set[k]->fix;
        memset(&u[k], 0, sizeof u[k]);
        u[k].item = u[k].user = PS_NONE;
        if (set[k]->kind == PS_LFIX_ENGINE && f->kind == PS_FIX_TAG_REVIEW && f->user < w->nusers) {
            u[k].user = f->user;
            u[k].tag_review = w->users[f->user].tag_review;
        }
        uint32_t it = PS_NONE;
        if (set[k]->kind == PS_LFIX_ENGINE && f->kind == PS_FIX_FRIENDLIST && f->user < w->nusers)
            it = field_item(w, f->user, PS_F_FRIENDLIST);
        else if (set[k]->kind == PS_LFIX_ENGINE &&
                 (f->kind == PS_FIX_SET_AUDIENCE || f->kind == PS_FIX_HIDE))
            it = f->item < w->nitems ? f->item : PS_NONE;
        if (it != PS_NONE) {
            if (ps_audience_copy(&u[k].audience, &w->items[it].audience)) {
                rc = -1;
                break;
            }
            u[k].item = it;
            u[k].has_audience = w->items[it].has_audience;
        }
        rc = apply_fix(w, set[k]);
    }
    if (!rc)
        rc = linkages_of(w, pi, out, NULL);
    while (k-- > 0) {
        if (u[k].item != PS_NONE) {
            ps_item *x = &w->items[u[k].item];
            ps_audience_free(&x->audience);
            x->audience = u[k].audience;
            x->has_audience = u[k].has_audience;
        }
        if (u[k].user != PS_NONE)
            w->users[u[k].user].tag_review = u[k].tag_review;
    }
    w->rules = rules;
    w->persons->rules = link.rules;
    w->persons->mutual_set = link.mutual_set;
    w->persons->contacts_set = link.contacts_set;
    return rc;
}

static int simulate(ps_model *w, uint32_t pi, const ps_link_fix *const *set, uint32_t n,
                    lbuf *out)
{
    bool light = n <= 4;
    for (uint32_t i = 0; i < n && light; i++)
        light = undoable(set[i]);
    if (light)
        return simulate_in_place(w, pi, set, n, out);
    ps_model *c = ps_model_clone(w);
    if (!c)
        return -1;
    int rc = 0;
    for (uint32_t i = 0; i < n && !rc; i++)
        rc = apply_fix(c, set[i]);
    if (!rc)
        rc = linkages_of(c, pi, out, NULL);
    ps_model_free(c);
    return rc;
}

static bool still_links(const lbuf *b, const ps_linkage *x)
{
    for (uint32_t i = 0; i < b->n; i++)
        if (b->v[i].a == x->a && b->v[i].b == x->b && b->v[i].viewer == x->viewer)
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
static int search_minset(ps_model *w, uint32_t pi, const fix_vec *cand,
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
        lbuf b = {0};
        int rc = simulate(w, pi, every, nidx, &b);
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
                lbuf b = {0};
                int rc = simulate(w, pi, set, size, &b);
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
static int person_fixes(ps_linkage_report *r, uint32_t pi, const ps_linkage_opts *o,
                        fix_vec *all)
{
    ps_model *w = r->m;
    ps_link_rules rules = ps_link_rules_of(w);
    fix_vec cand = {0};
    int rc = 0;
    uint32_t nforbidden = 0;
    for (uint32_t i = 0; i < r->n; i++)
        nforbidden += r->v[i].person == pi && r->v[i].severity == PS_SEV_FORBIDDEN;
    bool hides = nforbidden <= HIDE_MAX_FORBIDDEN;
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
        lbuf b = {0};
        if (simulate(w, pi, &one, 1, &b)) {
            lbuf_free(&b);
            goto fail;
        }
        for (uint32_t i = 0; i < r->n; i++)
            if (r->v[i].person == pi && !still_links(&b, &r->v[i]))
                fixes[k][i] = true;
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
        if (rc || !idx || !alone ||
            ps_grow((void **)&r->minsets, &(uint32_t){r->nminsets}, r->nminsets + 1,
                    sizeof *r->minsets) ||
            search_minset(w, pi, all, idx, alone, nidx, o, &ms)) {
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

/* ---------------------------------------------------------------------------------------
 * The report
 * ------------------------------------------------------------------------------------- */

static int cmp_linkage(const void *x, const void *y)
{
    const ps_linkage *a = x, *b = y;
    if (a->severity != b->severity)
        return a->severity > b->severity ? -1 : 1;
    if (a->person != b->person)
        return a->person < b->person ? -1 : 1;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    if (a->b != b->b)
        return a->b < b->b ? -1 : 1;
    return a->viewer < b->viewer ? -1 : a->viewer > b->viewer;
}

void ps_linkage_report_free(ps_linkage_report *r)
{
    if (!r)
        return;
    ps_engine_free(r->e);
    ps_model_free(r->m);
    free(r->v);
    free(r->ev);
    free(r->friends);
    for (uint32_t i = 0; i < r->nfixes; i++)
        link_fix_free(&r->fixes[i]);
    free(r->fixes);
    free(r->fix_of);
    free(r->minsets);
    free(r);
}

int ps_linkage_check(const ps_model *m, const ps_linkage_opts *o, ps_linkage_report **out)
{
    *out = NULL;
    ps_linkage_opts opts = { .fixes = true, .max_set = 3, .max_tries = 2000 };
    if (o)
        opts = *o;
    if (!opts.max_set)
        opts.max_set = 3;
    if (opts.max_set > 4)
        opts.max_set = 4;
    if (!opts.max_tries)
        opts.max_tries = 2000;
    ps_linkage_report *r = calloc(1, sizeof *r);
    if (!r)
        return -1;
    r->m = working_model(m);
    if (!r->m)
        goto fail;
    if (!r->m->persons || !r->m->persons->n) {
        *out = r;
        return 0;
    }
    lbuf b = {0};
    if (linkages_of(r->m, PS_NONE, &b, &r->e)) {
        lbuf_free(&b);
        goto fail;
    }
    r->v = b.v;
    r->n = b.n;
    r->ev = b.ev;
    r->nev = b.nev;
    r->friends = b.friends;
    r->nfriends = b.nfriends;
    if (opts.fixes) {
        fix_vec all = {0};
        for (uint32_t pi = 0; pi < r->m->persons->n; pi++) {
            bool any = false;
            for (uint32_t i = 0; i < r->n && !any; i++)
                any = r->v[i].person == pi;
            if (any && person_fixes(r, pi, &opts, &all)) {
                r->fixes = all.v;
                r->nfixes = all.n;
                goto fail;
            }
        }
        r->fixes = all.v;
        r->nfixes = all.n;
    }
    if (r->n)
        qsort(r->v, r->n, sizeof *r->v, cmp_linkage);
    for (uint32_t i = 0; i < r->n; i++)
        r->counts[r->v[i].severity]++;
    *out = r;
    return 0;
fail:
    ps_linkage_report_free(r);
    return -1;
}

const ps_linkage *ps_linkage_find(const ps_linkage_report *r, uint32_t a, uint32_t b,
                                  uint32_t viewer)
{
    for (uint32_t i = 0; i < r->n; i++) {
        const ps_linkage *x = &r->v[i];
        if (x->viewer == viewer && ((x->a == a && x->b == b) || (x->a == b && x->b == a)))
            return x;
    }
    return NULL;
}

/* ---------------------------------------------------------------------------------------
 * Words and paths
 * ------------------------------------------------------------------------------------- */

static uint32_t leg(ps_linkage_report *r, uint32_t item, uint32_t viewer, bool whole,
                    ps_path *out, uint32_t n, uint32_t cap)
{
    if (n >= cap || item == PS_NONE || !r->e || eval_item(r->e, item, whole))
        return n;
    if (!ps_engine_sees(r->e, viewer))
        return n;
    return ps_engine_path(r->e, viewer, &out[n]) == 0 ? n + 1 : n;
}

uint32_t ps_linkage_legs(ps_linkage_report *r, const ps_linkage *l, const ps_evidence *ev,
                         ps_path *out, uint32_t cap)
{
    const ps_model *m = ps_engine_model(r->e);
    uint32_t v = l->viewer, n = 0;
    uint32_t acc[2] = { l->a, l->b };
    switch ((ps_ev_kind)ev->kind) {
    case PS_EV_FRIENDSHIP: {
        uint32_t k = leg(r, field_item(m, l->a, PS_F_FRIENDLIST), v, true, out, n, cap);
        n = k > n ? k : leg(r, field_item(m, l->b, PS_F_FRIENDLIST), v, true, out, n, cap);
        break;
    }
    case PS_EV_MUTUAL_FRIENDS:
        for (uint32_t i = 0; i < ev->n && n + 2 <= cap; i++) {
            uint32_t f = r->friends[ev->first + i];
            for (unsigned j = 0; j < 2; j++) {
                uint32_t k = leg(r, field_item(m, acc[j], PS_F_FRIENDLIST), v, true, out, n, cap);
                n = k > n ? k : leg(r, field_item(m, f, PS_F_FRIENDLIST), v, true, out, n, cap);
            }
        }
        break;
    case PS_EV_TAG:
    case PS_EV_INTERACTION:
        n = leg(r, ev->item, v, false, out, n, cap);
        break;
    case PS_EV_FIELDS:
        for (unsigned j = 0; j < 2; j++) {
            n = leg(r, field_item(m, acc[j], (ps_field)ev->ref), v, false, out, n, cap);
            if (ev->ref == PS_F_BIRTHDAY)
                n = leg(r, field_item(m, acc[j], PS_F_HOMETOWN), v, false, out, n, cap);
        }
        break;
    case PS_EV_GROUP:
        if (!ps_group_has(&m->groups[ev->ref], v))
            for (unsigned j = 0; j < 2; j++)
                n = leg(r, field_item(m, acc[j], PS_F_GROUPS), v, false, out, n, cap);
        break;
    case PS_EV_NETWORK:
        for (unsigned j = 0; j < 2; j++)
            n = leg(r, field_item(m, acc[j], PS_F_NETWORKS), v, false, out, n, cap);
        break;
    case PS_EV_CONTACTS:
        for (unsigned j = 0; j < 2; j++)
            n = leg(r, field_item(m, acc[j], (ps_field)ev->ref), v, false, out, n, cap);
        break;
    default:
        break;
    }
    return n;
}

const char *ps_evidence_text(const ps_linkage_report *r, const ps_linkage *l,
                             const ps_evidence *ev, char *buf, size_t cap)
{
    const ps_model *m = r->m;
    const char *a = m->users[l->a].name, *b = m->users[l->b].name;
    char vn[LINK_NAME_MAX + 8], it[512];
    ps_viewer_name(m, l->viewer, vn, sizeof vn);
    switch ((ps_ev_kind)ev->kind) {
    case PS_EV_FRIENDSHIP:
        snprintf(buf, cap, "%s and %s are friends, and %s sees the friendship on a friend list",
                 a, b, vn);
        break;
    case PS_EV_MUTUAL_FRIENDS: {
        size_t len = (size_t)snprintf(buf, cap, "%s sees %u friends on both friend lists (",
                                      vn, (unsigned)ev->ref);
        for (uint32_t i = 0; i < ev->n && len < cap; i++) {
            if (i == 8) {
                len += (size_t)snprintf(buf + len, cap - len, ", and %u more",
                                        (unsigned)(ev->n - 8));
                break;
            }
            len += (size_t)snprintf(buf + len, cap - len, "%s%s", i ? ", " : "",
                                    m->users[r->friends[ev->first + i]].name);
        }
        if (len < cap)
            snprintf(buf + len, cap - len, "); rule link-mutual-friends = at-least-%u",
                     (unsigned)ps_link_rules_of(m).mutual_friends);
        break;
    }
    case PS_EV_TAG: {
        const ps_item *x = &m->items[ev->item];
        ps_item_text(m, ev->item, it, sizeof it);
        if (x->owner == l->a || x->owner == l->b)
            snprintf(buf, cap, "%s tags %s, and %s sees it", it,
                     x->owner == l->a ? b : a, vn);
        else
            snprintf(buf, cap, "%s tags %s and %s, and %s sees it", it, a, b, vn);
        break;
    }
    case PS_EV_INTERACTION: {
        const ps_step *st = &m->steps[ev->step];
        ps_item_text(m, ev->item, it, sizeof it);
        snprintf(buf, cap, "%s %s %s (step %u, line %u), and %s sees it",
                 m->users[st->actor].name,
                 st->kind == PS_STEP_COMMENT ? "commented on" : st->kind == PS_STEP_LIKE
                                                                    ? "liked" : "shares",
                 it, (unsigned)ev->step + 1, (unsigned)st->loc.line, vn);
        break;
    }
    case PS_EV_FIELDS:
        if (ev->ref == PS_F_BIRTHDAY)
            snprintf(buf, cap, "%s sees the same birthday and hometown on %s and %s", vn, a, b);
        else
            snprintf(buf, cap, "%s sees the same %s on %s and %s", vn,
                     ps_category_name(ev->ref), a, b);
        break;
    case PS_EV_GROUP:
        snprintf(buf, cap, "%s and %s are both in group %s, and %s %s", a, b,
                 m->groups[ev->ref].name, vn,
                 ps_group_has(&m->groups[ev->ref], l->viewer) ? "is a member too"
                                                              : "sees both groups fields");
        break;
    case PS_EV_NETWORK:
        snprintf(buf, cap, "%s and %s are both in network %s, and %s sees both networks fields",
                 a, b, m->networks[ev->ref].name, vn);
        break;
    case PS_EV_CONTACTS:
        snprintf(buf, cap, "%s holds the %s that %s and %s share, and the platform suggests "
                           "one account from the other's contact (rule contact-suggestions)",
                 vn, ps_category_name(ev->ref), a, b);
        break;
    default:
        snprintf(buf, cap, "?");
    }
    return buf;
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
        ps_link_rules rl = ps_link_rules_of(m);
        char c[128];
        uint32_t left = rl.contacts & ~(1u << f->other);
        snprintf(c, sizeof c, "%s", left ? ps_category_name(__builtin_ctz(left)) : "none");
        snprintf(buf, cap, "platform: rule contact-suggestions = %s", c);
        break;
    }
    default:
        snprintf(buf, cap, "?");
    }
    return buf;
}
