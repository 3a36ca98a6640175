/* linkage.c - linkage evidence and severity, the report, the paths and words of evidence
 * (see linkage.h; the fixes are in linkage_fix.c).
 *
 * Everything is computed through the engine's public API at the end of the timeline: one
 * engine over a working copy of the scenario (with the profile fields that linking reads
 * declared, so that the engine evaluates them), ps_engine_eval() for each item that evidence
 * rests on, and bitsets over the viewers.
 */
#include "linkage.h"

#include "describe.h"
#include "linkage_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


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

void lbuf_free(lbuf *b)
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
    ps_engine *e;          /* owned unless `borrowed` */
    bool borrowed;
    ps_model *em;          /* the engine's model (borrowed) */
    bool *refused;         /* per step */
    uint32_t nv;           /* viewers */
    size_t w;              /* words of a viewer bitset */
    ps_link_rules rules;
} state;

static void state_free(state *s)
{
    if (!s->borrowed)
        ps_engine_free(s->e);
    free(s->refused);
    memset(s, 0, sizeof *s);
}

static void state_derive(state *s)
{
    s->em = ps_engine_model(s->e);
    s->nv = ps_nviewers(s->em);
    s->w = words(s->nv);
    s->rules = ps_link_rules_of(s->em);
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
    state_derive(s);
    return 0;
}

/* The state of engine e as it stands, over a scenario without a timeline (borrowed). */
static int state_attach(state *s, ps_engine *e)
{
    memset(s, 0, sizeof *s);
    s->e = e;
    s->borrowed = true;
    s->refused = calloc(1, sizeof *s->refused);
    if (!s->refused)
        return -1;
    state_derive(s);
    return 0;
}

/* The item of user u's field f in the engine's model, or PS_NONE when it is not declared. */
uint32_t field_item(const ps_model *m, uint32_t u, ps_field f)
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
    if (item == PS_NONE || item >= s->em->nitems) {
        memset(bits, 0, s->w * sizeof *bits);
        return 0;
    }
    if (eval_item(s->e, item, whole))
        return -1;
    ps_engine_audience_bits(s->e, bits);
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

bool is_account(const ps_person *p, uint32_t u)
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
int linkages_of(const ps_model *w, uint32_t pi, lbuf *out, ps_engine **keep)
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

int linkages_on(ps_engine *e, uint32_t pi, lbuf *out)
{
    state s;
    if (state_attach(&s, e)) {
        state_free(&s);
        return -1;
    }
    int rc = person_linkages(&s, pi, out);
    state_free(&s);
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
