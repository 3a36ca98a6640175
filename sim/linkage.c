/* linkage.c - linkage evidence and severity, the report, the paths and words of evidence
 * (see linkage.h; the fixes are in linkage_fix.c).
 *
 * Everything is computed through the engine's public API: one engine over a working copy of
 * the scenario (with the profile fields that linking reads declared, so that the engine
 * evaluates them) steps through the timeline; in each state, ps_engine_eval() of each item
 * that evidence rests on adds its audience to bitsets over the viewers, which remember what
 * each viewer has seen.
 */
#include "linkage.h"

#include "bitset.h"
#include "describe.h"
#include "linkage_int.h"
#include "state_model.h"

#include <stdarg.h>
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

/* A zeroed set of every viewer of the state's model (bitset.h); NULL out of memory. */
#define new_viewer_set(s) ps_bits_new((s)->nv)

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
 * The state of the timeline
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
    s->w = ps_bits_words(s->nv);
    s->rules = ps_link_rules_of(s->em);
}

/* An engine over `m` as the scenario starts.  0, or -1 out of memory. */
static int state_start(state *s, const ps_model *m)
{
    memset(s, 0, sizeof *s);
    s->e = ps_engine_new(m);
    s->refused = calloc((size_t)m->nsteps + 1, sizeof *s->refused);
    if (!s->e || !s->refused) {
        state_free(s);
        return -1;
    }
    ps_engine_set_lazy(s->e, true);   /* audiences are read as sets (ps_engine_audience_bits) */
    state_derive(s);
    return 0;
}

/* Applies the next step, noting whether it was refused: 1, 0 at the end, -1 out of
 * memory. */
static int state_step(state *s)
{
    bool refused = false;
    int k = ps_engine_step(s->e, &refused);
    uint32_t at = ps_engine_position(s->e);
    if (k == 1 && refused && at > 0 && at <= s->em->nsteps)
        s->refused[at - 1] = true;
    return k;
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


/* True when share step k holds in state t (after t steps): taken before t, not refused, and
 * not ended by an unshare of the same sharer and item before t. */
static bool share_holds(const state *s, uint32_t k, uint32_t t)
{
    const ps_step *st = &s->em->steps[k];
    if (t <= k || s->refused[k])
        return false;
    for (uint32_t j = k + 1; j < t && j < s->em->nsteps; j++)
        if (s->em->steps[j].kind == PS_STEP_UNSHARE && s->em->steps[j].actor == st->actor &&
            s->em->steps[j].item == st->item)
            return false;
    return true;
}

/* ---------------------------------------------------------------------------------------
 * Evidence for one pair of accounts, accumulated over the states of the timeline
 * ------------------------------------------------------------------------------------- */

/* One piece of evidence.  It holds for viewer v when v is in `bits` (what is accumulated
 * directly: a friendship seen, an interaction seen, a contact held, a group member) or in
 * every one of `part` (observations made in any states: the two accounts' tags on one item,
 * the fields, the groups or networks fields). */
typedef struct {
    ps_evidence ev;
    uint64_t *bits;        /* owned */
    uint64_t *part[4];     /* owned; nparts of them */
    uint32_t nparts;
    uint64_t *now;         /* viewers for whom it holds in the last state observed (owned) */
} inst;

typedef struct {
    inst *v;
    uint32_t n, cap;
} inst_list;

static void insts_free(inst_list *l)
{
    for (uint32_t i = 0; i < l->n; i++) {
        free(l->v[i].bits);
        free(l->v[i].now);
        for (uint32_t k = 0; k < l->v[i].nparts; k++)
            free(l->v[i].part[k]);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* Appends an instance with `nparts` parts, every set empty; NULL out of memory. */
static inst *inst_add(inst_list *l, const state *s, ps_ev_kind kind, uint32_t nparts)
{
    if (ps_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v))
        return NULL;
    inst *x = &l->v[l->n];
    memset(x, 0, sizeof *x);
    l->n++;
    x->ev.kind = (uint8_t)kind;
    x->ev.item = x->ev.step = x->ev.ref = PS_NONE;
    x->bits = new_viewer_set(s);
    x->now = new_viewer_set(s);
    if (!x->bits || !x->now)
        return NULL;
    for (; x->nparts < nparts; x->nparts++)
        if (!(x->part[x->nparts] = new_viewer_set(s)))
            return NULL;
    return x;
}

static bool inst_holds(const inst *x, uint32_t v)
{
    if (ps_bits_get(x->bits, v))
        return true;
    if (!x->nparts)
        return false;
    for (uint32_t k = 0; k < x->nparts; k++)
        if (!ps_bits_get(x->part[k], v))
            return false;
    return true;
}

static void or_into(uint64_t *dst, const uint64_t *src, size_t w)
{
    for (size_t i = 0; i < w; i++)
        dst[i] |= src[i];
}

bool is_account(const ps_person *p, uint32_t u)
{
    for (uint32_t k = 0; k < p->naccounts; k++)
        if (p->accounts[k] == u)
            return true;
    return false;
}

/* True when the tag of `u` on item `it` is live: present, and approved or not reviewed. */
static bool live_tag(const ps_model *m, const ps_item *it, uint32_t u)
{
    for (uint32_t i = 0; i < it->ntags; i++)
        if (it->tags[i].user == u && !it->tags[i].removed)
            return it->tags[i].approved || !ps_user_tag_review(m, u);
    return false;
}

/* Friends in common: the users who are friends of both accounts in some state (not accounts
 * of the person), and, per candidate, who has seen its friendship with each account. */
typedef struct {
    uint32_t *cand; uint32_t ncand;
    uint64_t **seen_a, **seen_b;   /* per candidate (owned) */
    uint32_t *count;       /* per viewer: friends in common seen so far (owned) */
    uint32_t *now;         /* per viewer: friends in common seen in the last state, counted
                            * in the state at the end only (owned) */
} mutual;

static void mutual_free(mutual *x)
{
    for (uint32_t i = 0; i < x->ncand; i++) {
        free(x->seen_a ? x->seen_a[i] : NULL);
        free(x->seen_b ? x->seen_b[i] : NULL);
    }
    free(x->seen_a);
    free(x->seen_b);
    free(x->cand);
    free(x->count);
    free(x->now);
    memset(x, 0, sizeof *x);
}

/* Marks u's friends in some state into `mark`: the friends as the scenario starts and
 * whoever befriends u along the timeline. */
static void ever_friends(ps_model *m0, uint32_t u, uint8_t *mark, uint8_t bitv)
{
    uint32_t n;
    const uint32_t *fr = ps_model_friends(m0, u, &n);
    for (uint32_t i = 0; i < n; i++)
        mark[fr[i]] |= bitv;
    for (uint32_t k = 0; k < m0->nsteps; k++) {
        const ps_step *st = &m0->steps[k];
        if (st->kind != PS_STEP_BEFRIEND || st->actor >= m0->nusers || st->other >= m0->nusers)
            continue;
        if (st->actor == u)
            mark[st->other] |= bitv;
        else if (st->other == u)
            mark[st->actor] |= bitv;
    }
}

static int mutual_open(state *s, ps_model *m0, const ps_person *p, uint32_t a,
                       uint32_t b, mutual *x)
{
    memset(x, 0, sizeof *x);
    if (!s->rules.mutual_friends)
        return 0;
    uint8_t *mark = calloc((size_t)m0->nusers + 1, 1);
    if (!mark)
        return -1;
    ever_friends(m0, a, mark, 1);
    ever_friends(m0, b, mark, 2);
    uint32_t n = 0;
    for (uint32_t u = 0; u < m0->nusers; u++)
        n += mark[u] == 3 && !is_account(p, u);
    x->cand = malloc(((size_t)n + 1) * sizeof *x->cand);
    x->seen_a = calloc((size_t)n + 1, sizeof *x->seen_a);
    x->seen_b = calloc((size_t)n + 1, sizeof *x->seen_b);
    x->now = calloc((size_t)s->nv + 1, sizeof *x->now);
    x->count = calloc((size_t)s->nv + 1, sizeof *x->count);
    int rc = x->cand && x->seen_a && x->seen_b && x->now && x->count ? 0 : -1;
    for (uint32_t u = 0; u < m0->nusers && !rc; u++) {
        if (mark[u] != 3 || is_account(p, u))
            continue;
        x->cand[x->ncand] = u;
        x->seen_a[x->ncand] = new_viewer_set(s);
        x->seen_b[x->ncand] = new_viewer_set(s);
        x->ncand++;
        if (!x->seen_a[x->ncand - 1] || !x->seen_b[x->ncand - 1])
            rc = -1;
    }
    free(mark);
    return rc;
}

/* Adds one to counts[v] for each viewer v in `bits` (w words). */
static void count_bits(uint32_t *counts, const uint64_t *bits, size_t w)
{
    for (size_t i = 0; i < w; i++)
        for (uint64_t x = bits[i]; x; x &= x - 1)
            counts[i * 64 + (uint32_t)__builtin_ctzll(x)]++;
}

/* One pair of accounts of one person, over the states. */
typedef struct {
    uint32_t person, a, b;
    inst_list l;
    uint32_t *tag_of;      /* per item: 1 + its tag instance in l, or 0 */
    mutual mu;
    uint32_t *first;       /* per viewer: the first state in which it links, or PS_NONE */
} pair_acc;

static void pair_free(pair_acc *x)
{
    insts_free(&x->l);
    free(x->tag_of);
    mutual_free(&x->mu);
    free(x->first);
    memset(x, 0, sizeof *x);
}

static const ps_field single[] = { PS_F_PHONE, PS_F_EMAIL };

/* The pieces of evidence that cannot appear along the timeline (tags are added as they
 * are seen), for the pair (a, b) of person pi, before the first state is observed. */
static int pair_open(state *s, uint32_t pi, uint32_t a, uint32_t b,
                     pair_acc *x)
{
    memset(x, 0, sizeof *x);
    ps_model *m0 = s->em;
    const ps_person *p = &m0->persons->v[pi];
    x->person = pi;
    x->a = a;
    x->b = b;
    x->tag_of = calloc((size_t)m0->nitems + 1, sizeof *x->tag_of);
    x->first = malloc(((size_t)s->nv + 1) * sizeof *x->first);
    if (!x->tag_of || !x->first || mutual_open(s, m0, p, a, b, &x->mu))
        return -1;
    for (uint32_t v = 0; v < s->nv; v++)
        x->first[v] = PS_NONE;
    inst *y;
    if (!inst_add(&x->l, s, PS_EV_FRIENDSHIP, 0))
        return -1;
    for (uint32_t k = 0; k < m0->nsteps; k++) {
        const ps_step *st = &m0->steps[k];
        if (st->kind != PS_STEP_COMMENT && st->kind != PS_STEP_LIKE &&
            st->kind != PS_STEP_SHARE)
            continue;
        if (st->item >= m0->nitems || (st->actor != a && st->actor != b))
            continue;
        uint32_t owner = m0->items[st->item].owner;
        if ((owner != a && owner != b) || owner == st->actor)
            continue;
        if (!(y = inst_add(&x->l, s, PS_EV_INTERACTION, 0)))
            return -1;
        y->ev.item = st->item;
        y->ev.step = k;
    }
    for (unsigned f = 0; f < 2; f++)
        if (ps_field_same(m0, a, b, single[f])) {
            if (!(y = inst_add(&x->l, s, PS_EV_FIELDS, 2)))
                return -1;
            y->ev.ref = single[f];
        }
    if (ps_field_same(m0, a, b, PS_F_BIRTHDAY) && ps_field_same(m0, a, b, PS_F_HOMETOWN)) {
        if (!(y = inst_add(&x->l, s, PS_EV_FIELDS, 4)))
            return -1;
        y->ev.ref = PS_F_BIRTHDAY;
    }
    for (uint32_t g = 0; g < m0->ngroups; g++) {
        const ps_group *G = &m0->groups[g];
        if (!ps_group_has(G, a) || !ps_group_has(G, b))
            continue;
        if (!(y = inst_add(&x->l, s, PS_EV_GROUP, G->kind == PS_GROUP_SECRET ? 0 : 2)))
            return -1;
        y->ev.ref = g;
        for (uint32_t i = 0; i < G->nmembers; i++)
            if (G->members[i] < m0->nusers)
                ps_bits_set(y->bits, G->members[i]);
    }
    for (uint32_t n = 0; n < m0->nnetworks; n++) {
        const ps_network *N = &m0->networks[n];
        if (!ps_network_has(N, a) || !ps_network_has(N, b))
            continue;
        if (!(y = inst_add(&x->l, s, PS_EV_NETWORK, 2)))
            return -1;
        y->ev.ref = n;
    }
    for (unsigned f = 0; f < 2; f++) {
        if (!(s->rules.contacts & (1u << single[f])) || !ps_field_same(m0, a, b, single[f]))
            continue;
        if (!(y = inst_add(&x->l, s, PS_EV_CONTACTS, 0)))
            return -1;
        y->ev.ref = single[f];
    }
    return 0;
}

/* `dst` |= the audience of `item` in the current state (whole friend lists with `whole`). */
static int or_audience(state *s, uint64_t *dst, uint32_t item, bool whole, uint64_t *tmp)
{
    if (audience(s, item, whole, tmp))
        return -1;
    or_into(dst, tmp, s->w);
    return 0;
}

/* part[k] |= the audience of items[k] in the current state, for each part of y; y->now =
 * the viewers of every one of them in this state.  0, or -1 out of memory. */
static int part_observe(state *s, inst *y, const uint32_t *items, uint64_t *tmp)
{
    for (size_t i = 0; i < s->w; i++)
        y->now[i] = ~(uint64_t)0;
    for (uint32_t k = 0; k < y->nparts; k++) {
        if (audience(s, items[k], false, tmp))
            return -1;
        or_into(y->part[k], tmp, s->w);
        for (size_t i = 0; i < s->w; i++)
            y->now[i] &= tmp[i];
    }
    return 0;
}

/* Adds what the viewers see in state t (the engine's current state; `last`: the state at the
 * end) to the pair's evidence.  0, or -1 out of memory. */
static int pair_observe(state *s, pair_acc *x, uint32_t t, bool last)
{
    ps_model *m = s->em;
    uint32_t a = x->a, b = x->b;
    uint64_t *fla = new_viewer_set(s), *flb = new_viewer_set(s);
    uint64_t *tmp = new_viewer_set(s), *flf = new_viewer_set(s);
    int rc = -1;
    if (!fla || !flb || !tmp || !flf)
        goto done;
    if (audience(s, field_item(m, a, PS_F_FRIENDLIST), true, fla) ||
        audience(s, field_item(m, b, PS_F_FRIENDLIST), true, flb))
        goto done;
    for (uint32_t k = 0; k < x->l.n; k++)
        memset(x->l.v[k].now, 0, s->w * sizeof *x->l.v[k].now);
    /* friendships seen: A-B, and A-F, B-F for the friends in common */
    if (ps_model_are_friends(m, a, b)) {
        or_into(x->l.v[0].now, fla, s->w);
        or_into(x->l.v[0].now, flb, s->w);
        or_into(x->l.v[0].bits, x->l.v[0].now, s->w);
    }
    /* the friends in common seen in this state are counted at the end only, and there
     * without a timeline they are those seen so far */
    bool count_now = last && t > 0 && x->mu.ncand;
    if (count_now)
        memset(x->mu.now, 0, (size_t)s->nv * sizeof *x->mu.now);
    for (uint32_t i = 0; i < x->mu.ncand; i++) {
        uint32_t f = x->mu.cand[i];
        bool fa = ps_model_are_friends(m, a, f), fb = ps_model_are_friends(m, b, f);
        if (!fa && !fb)
            continue;
        if (audience(s, field_item(m, f, PS_F_FRIENDLIST), true, flf))
            goto done;
        uint64_t *sa = x->mu.seen_a[i], *sb = x->mu.seen_b[i];
        for (size_t w = 0; w < s->w; w++) {
            uint64_t before = sa[w] & sb[w];
            uint64_t ya = fa ? fla[w] | flf[w] : 0, yb = fb ? flb[w] | flf[w] : 0;
            sa[w] |= ya;
            sb[w] |= yb;
            tmp[w] = (sa[w] & sb[w]) & ~before;   /* seen in common from now on */
            flf[w] = ya & yb;                     /* seen in common in this state */
        }
        count_bits(x->mu.count, tmp, s->w);
        if (count_now)
            count_bits(x->mu.now, flf, s->w);
    }
    if (last && !t && x->mu.ncand)
        memcpy(x->mu.now, x->mu.count, (size_t)s->nv * sizeof *x->mu.now);
    /* tags: an item seen while it tags (or is owned by) each account */
    for (uint32_t i = 0; i < m->nitems; i++) {
        const ps_item *it = &m->items[i];
        if (it->kind == PS_ITEM_FIELD || !it->ntags)
            continue;
        bool ia = it->owner == a || live_tag(m, it, a);
        bool ib = it->owner == b || live_tag(m, it, b);
        if (!ia && !ib)
            continue;
        if (!x->tag_of[i]) {
            inst *y = inst_add(&x->l, s, PS_EV_TAG, 2);
            if (!y)
                goto done;
            y->ev.item = i;
            x->tag_of[i] = x->l.n;
        }
        inst *y = &x->l.v[x->tag_of[i] - 1];
        if (audience(s, i, false, tmp))
            goto done;
        if (ia)
            or_into(y->part[0], tmp, s->w);
        if (ib)
            or_into(y->part[1], tmp, s->w);
        if (ia && ib)
            or_into(y->now, tmp, s->w);
    }
    for (uint32_t k = 0; k < x->l.n; k++) {
        inst *y = &x->l.v[k];
        switch ((ps_ev_kind)y->ev.kind) {
        case PS_EV_INTERACTION: {
            const ps_step *st = &m->steps[y->ev.step];
            bool holds = st->kind == PS_STEP_SHARE ? share_holds(s, y->ev.step, t)
                                                   : t > y->ev.step;
            if (holds && or_audience(s, y->now, y->ev.item, false, tmp))
                goto done;
            or_into(y->bits, y->now, s->w);
            break;
        }
        case PS_EV_FIELDS: {
            ps_field f = (ps_field)y->ev.ref;
            ps_field g = f == PS_F_BIRTHDAY ? PS_F_HOMETOWN : f;
            uint32_t fi[4] = { field_item(m, a, f), field_item(m, b, f),
                               field_item(m, a, g), field_item(m, b, g) };
            if (part_observe(s, y, fi, tmp))
                goto done;
            break;
        }
        case PS_EV_GROUP:
        case PS_EV_NETWORK: {
            ps_field f = y->ev.kind == PS_EV_GROUP ? PS_F_GROUPS : PS_F_NETWORKS;
            uint32_t fi[2] = { field_item(m, a, f), field_item(m, b, f) };
            if (y->nparts && part_observe(s, y, fi, tmp))
                goto done;
            if (y->ev.kind == PS_EV_GROUP)   /* the members, in every state */
                or_into(y->now, y->bits, s->w);
            break;
        }
        case PS_EV_CONTACTS: {
            /* the holders of either account's number or address: users only (the internet
             * and apps upload no contacts) */
            uint32_t acc[2] = { a, b };
            for (unsigned j = 0; j < 2; j++) {
                if (audience(s, field_item(m, acc[j], (ps_field)y->ev.ref), false, tmp))
                    goto done;
                for (uint32_t v = 0; v < m->nusers; v++)
                    if (ps_bits_get(tmp, v))
                        ps_bits_set(y->now, v);
                uint32_t nf;
                const uint32_t *fr = ps_model_friends(m, acc[j], &nf);
                for (uint32_t i = 0; i < nf; i++)
                    ps_bits_set(y->now, fr[i]);
            }
            or_into(y->bits, y->now, s->w);
            break;
        }
        default:
            break;
        }
    }
    /* who links from this state on */
    for (uint32_t v = 0; v < s->nv; v++) {
        if (x->first[v] != PS_NONE)
            continue;
        bool any = x->mu.ncand && x->mu.count[v] >= s->rules.mutual_friends;
        for (uint32_t k = 0; k < x->l.n && !any; k++)
            any = inst_holds(&x->l.v[k], v);
        if (any)
            x->first[v] = t;
    }
    rc = 0;
done:
    free(fla);
    free(flb);
    free(tmp);
    free(flf);
    return rc;
}

static int emit_ev(lbuf *out, const ps_evidence *ev)
{
    if (ps_grow((void **)&out->ev, &out->capev, out->nev + 1, sizeof *out->ev))
        return -1;
    out->ev[out->nev++] = *ev;
    return 0;
}

static int emit_inst(lbuf *out, const inst *y, uint32_t v)
{
    ps_evidence ev = y->ev;
    ev.remembered = !ps_bits_get(y->now, v);
    return emit_ev(out, &ev);
}

/* The friends in common that viewer v has seen, as evidence (none below the threshold). */
static int emit_mutual(state *s, const pair_acc *x, uint32_t v, lbuf *out)
{
    uint32_t c = x->mu.ncand ? x->mu.count[v] : 0;
    if (!c || c < s->rules.mutual_friends)
        return 0;
    ps_evidence ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = PS_EV_MUTUAL_FRIENDS;
    ev.item = ev.step = PS_NONE;
    ev.ref = c;
    ev.remembered = x->mu.now[v] < s->rules.mutual_friends;
    ev.first = out->nfriends;
    for (uint32_t i = 0; i < x->mu.ncand; i++) {
        if (!ps_bits_get(x->mu.seen_a[i], v) || !ps_bits_get(x->mu.seen_b[i], v))
            continue;
        if (ps_grow((void **)&out->friends, &out->capfriends, out->nfriends + 1,
                    sizeof *out->friends))
            return -1;
        out->friends[out->nfriends++] = x->mu.cand[i];
    }
    ev.n = out->nfriends - ev.first;
    return emit_ev(out, &ev);
}

/* Appends the linkages of the pair to `out`, each with its evidence in the order of the
 * kinds (tags by item, interactions by step). */
static int pair_emit(state *s, const pair_acc *x, const uint64_t *forbid, lbuf *out)
{
    const ps_person *p = &s->em->persons->v[x->person];
    uint32_t *tags = malloc(((size_t)x->l.n + 1) * sizeof *tags), ntags = 0;
    if (!tags)
        return -1;
    for (uint32_t i = 0; i < s->em->nitems; i++)
        if (x->tag_of[i])
            tags[ntags++] = x->tag_of[i] - 1;
    int rc = 0;
    for (uint32_t v = 0; v < s->nv && !rc; v++) {
        if (x->first[v] == PS_NONE || (v < s->em->nusers && is_account(p, v)))
            continue;
        if (ps_grow((void **)&out->v, &out->cap, out->n + 1, sizeof *out->v)) {
            rc = -1;
            break;
        }
        ps_linkage *l = &out->v[out->n++];
        memset(l, 0, sizeof *l);
        l->person = x->person;
        l->a = x->a;
        l->b = x->b;
        l->viewer = v;
        l->first_step = x->first[v];
        l->severity = ps_bits_get(forbid, v) ? PS_SEV_FORBIDDEN
                      : v >= s->em->nusers ? PS_SEV_EXTERNAL : PS_SEV_BEYOND_INTENT;
        l->ev_first = out->nev;
        if (out->no_evidence)
            continue;
        if (inst_holds(&x->l.v[0], v))
            rc |= emit_inst(out, &x->l.v[0], v);
        rc |= emit_mutual(s, x, v, out);
        for (uint32_t i = 0; i < ntags; i++)
            if (inst_holds(&x->l.v[tags[i]], v))
                rc |= emit_inst(out, &x->l.v[tags[i]], v);
        static const ps_ev_kind rest[] = { PS_EV_INTERACTION, PS_EV_FIELDS, PS_EV_GROUP,
                                           PS_EV_NETWORK, PS_EV_CONTACTS };
        for (size_t r = 0; r < sizeof rest / sizeof rest[0]; r++)
            for (uint32_t k = 1; k < x->l.n; k++)
                if (x->l.v[k].ev.kind == rest[r] && inst_holds(&x->l.v[k], v))
                    rc |= emit_inst(out, &x->l.v[k], v);
        l->nev = out->nev - l->ev_first;
    }
    free(tags);
    return rc ? -1 : 0;
}

/* Every pair of accounts of person pi (of every person for PS_NONE). */
typedef struct {
    pair_acc *v;
    uint32_t n;
} pair_set;

static void pairs_free(pair_set *x)
{
    for (uint32_t i = 0; i < x->n; i++)
        pair_free(&x->v[i]);
    free(x->v);
    memset(x, 0, sizeof *x);
}

/* Before the first state is observed. */
static int pairs_open(state *s, uint32_t pi, pair_set *x)
{
    memset(x, 0, sizeof *x);
    const ps_persons *ps = s->em->persons;
    uint32_t n = 0;
    for (uint32_t i = 0; i < ps->n; i++)
        if (pi == PS_NONE || pi == i)
            n += ps->v[i].naccounts * (ps->v[i].naccounts - 1) / 2;
    x->v = calloc((size_t)n + 1, sizeof *x->v);
    if (!x->v)
        return -1;
    for (uint32_t i = 0; i < ps->n; i++) {
        if (pi != PS_NONE && pi != i)
            continue;
        const ps_person *p = &ps->v[i];
        for (uint32_t j = 0; j < p->naccounts; j++)
            for (uint32_t k = j + 1; k < p->naccounts; k++)
                if (pair_open(s, i, p->accounts[j], p->accounts[k], &x->v[x->n++]))
                    return -1;
    }
    return 0;
}

static int pairs_observe(state *s, pair_set *x, uint32_t t)
{
    bool last = t >= s->em->nsteps;
    for (uint32_t i = 0; i < x->n; i++)
        if (pair_observe(s, &x->v[i], t, last))
            return -1;
    return 0;
}

/* The linkages of every pair, in the state at the end (for the forbid-link terms). */
static int pairs_emit(state *s, const pair_set *x, lbuf *out)
{
    uint64_t *forbid = new_viewer_set(s);
    if (!forbid)
        return -1;
    int rc = 0;
    uint32_t person = PS_NONE;
    for (uint32_t i = 0; i < x->n && !rc; i++) {
        const ps_person *p = &s->em->persons->v[x->v[i].person];
        if (x->v[i].person != person) {
            person = x->v[i].person;
            memset(forbid, 0, s->w * sizeof *forbid);
            if (p->forbid.n)
                ps_engine_members(s->e, p->accounts[0], &p->forbid, forbid);
        }
        rc = pair_emit(s, &x->v[i], forbid, out);
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

/* Whether the state after step k can show the viewers anything new about the pairs.  A step
 * about one item (a share, a tag, a comment...) changes that item's audience only, which
 * matters when the item is a profile field or is owned by or tags an account. */
static bool step_matters(const state *s, const pair_set *x, uint32_t k)
{
    const ps_step *st = &s->em->steps[k];
    switch ((ps_step_kind)st->kind) {
    case PS_STEP_SHARE: case PS_STEP_UNSHARE: case PS_STEP_TAG: case PS_STEP_UNTAG:
    case PS_STEP_APPROVE_TAG: case PS_STEP_COMMENT: case PS_STEP_LIKE:
        break;
    default:
        return true;
    }
    if (st->item >= s->em->nitems)
        return true;
    const ps_item *it = &s->em->items[st->item];
    if (it->kind == PS_ITEM_FIELD)
        return true;
    for (uint32_t i = 0; i < x->n; i++) {
        uint32_t a = x->v[i].a, b = x->v[i].b;
        if (it->owner == a || it->owner == b)
            return true;
        for (uint32_t j = 0; j < it->ntags; j++)
            if (it->tags[j].user == a || it->tags[j].user == b)
                return true;
    }
    return false;
}

/* Opens the pairs of person `pi` (every person for PS_NONE) on s, an engine at the start of
 * its timeline, and steps through the timeline observing them: the first and last states
 * always, the others when their step can change what the viewers see of the pairs.  0, or
 * -1 out of memory; x is the caller's to free either way. */
static int replay_pairs(state *s, uint32_t pi, pair_set *x)
{
    int rc = pairs_open(s, pi, x);
    for (uint32_t t = 0; !rc; t++) {
        if (t == 0 || t >= s->em->nsteps || step_matters(s, x, t - 1))
            rc = pairs_observe(s, x, t);
        int k = rc ? -1 : state_step(s);
        if (k <= 0)
            return k;
    }
    return rc;
}

/* The linkages of person `pi` (or of every person, for PS_NONE) in model w: what the viewers
 * see in each state of the timeline, accumulated. */
int linkages_of(const ps_model *w, uint32_t pi, lbuf *out, ps_engine **keep)
{
    state s;
    pair_set x = {0};
    if (state_start(&s, w))
        return -1;
    int rc = replay_pairs(&s, pi, &x);
    if (!rc)
        rc = pairs_emit(&s, &x, out);
    pairs_free(&x);
    if (keep && !rc) {
        *keep = s.e;
        s.e = NULL;
    }
    state_free(&s);
    return rc;
}

int linkages_on(ps_engine *e, uint32_t pi, lbuf *out)
{
    state s;
    pair_set x = {0};
    int rc = state_attach(&s, e);
    if (!rc)
        rc = pairs_open(&s, pi, &x);
    if (!rc)
        rc = pairs_observe(&s, &x, 0);
    if (!rc)
        rc = pairs_emit(&s, &x, out);
    pairs_free(&x);
    state_free(&s);
    return rc;
}

/* ---------------------------------------------------------------------------------------
 * What a viewer who does not link the accounts saw of them
 * ------------------------------------------------------------------------------------- */

/* Appends a sentence to texts[*n] unless cap are there already. */
__attribute__((format(printf, 4, 5)))
static void near_add(char (*texts)[512], uint32_t *n, uint32_t cap, const char *fmt, ...)
{
    if (*n >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(texts[(*n)++], 512, fmt, ap);
    va_end(ap);
}

#define NEAR_ADD(...) near_add(texts, &n, cap, __VA_ARGS__)

static int nearest_texts(state *s, const pair_acc *x, uint32_t v, char (*texts)[512],
                         uint32_t cap)
{
    const ps_model *m = s->em;
    const char *a = m->users[x->a].name, *b = m->users[x->b].name;
    char vn[LINK_NAME_MAX + 8], it[512];
    ps_viewer_name(m, v, vn, sizeof vn);
    uint32_t n = 0, k = s->rules.mutual_friends;
    if (x->mu.ncand && x->mu.count[v]) {
        char names[256] = "";
        size_t len = 0;
        for (uint32_t i = 0, shown = 0; i < x->mu.ncand && len < sizeof names; i++)
            if (ps_bits_get(x->mu.seen_a[i], v) && ps_bits_get(x->mu.seen_b[i], v) && shown++ < 4)
                len += (size_t)snprintf(names + len, sizeof names - len, "%s%s",
                                        len ? ", " : "", m->users[x->mu.cand[i]].name);
        NEAR_ADD("%s has seen %u friend%s in common of %s and %s (%s%s); rule "
                 "link-mutual-friends needs %u", vn, (unsigned)x->mu.count[v],
                 x->mu.count[v] == 1 ? "" : "s", a, b, names, x->mu.count[v] > 4 ? ", ..." : "",
                 (unsigned)k);
    }
    for (uint32_t i = 0; i < x->l.n; i++) {
        const inst *y = &x->l.v[i];
        if (y->nparts < 2 || inst_holds(y, v))
            continue;
        bool p0 = ps_bits_get(y->part[0], v);
        bool any = false;
        for (uint32_t q = 0; q < y->nparts; q++)
            any |= ps_bits_get(y->part[q], v);
        if (!any)
            continue;
        switch ((ps_ev_kind)y->ev.kind) {
        case PS_EV_TAG:
            ps_item_text(m, y->ev.item, it, sizeof it);
            if (m->items[y->ev.item].owner == (p0 ? x->a : x->b))
                NEAR_ADD("%s saw %s, never while it tagged %s", vn, it, p0 ? b : a);
            else
                NEAR_ADD("%s saw %s while it tagged %s, never while it tagged %s", vn, it,
                         p0 ? a : b, p0 ? b : a);
            break;
        case PS_EV_FIELDS:
            if (y->nparts == 4) {
                NEAR_ADD("%s has seen some of the birthday and hometown fields of %s and %s "
                         "(they are the same), not all four", vn, a, b);
            } else {
                NEAR_ADD("%s has seen the %s of %s but not that of %s (they are the same)", vn,
                         ps_category_name(y->ev.ref), p0 ? a : b, p0 ? b : a);
            }
            break;
        case PS_EV_GROUP:
        case PS_EV_NETWORK:
            NEAR_ADD("%s and %s are both in %s %s; %s has seen the %s field of %s but not that "
                     "of %s", a, b, y->ev.kind == PS_EV_GROUP ? "group" : "network",
                     y->ev.kind == PS_EV_GROUP ? m->groups[y->ev.ref].name
                                               : m->networks[y->ev.ref].name,
                     vn, y->ev.kind == PS_EV_GROUP ? "groups" : "networks", p0 ? a : b,
                     p0 ? b : a);
            break;
        default:
            break;
        }
    }
    /* friends in some state whose friendship this viewer never saw on a list */
    if (x->mu.ncand || x->l.n) {
        bool friends = ps_model_are_friends(s->em, x->a, x->b);
        for (uint32_t q = 0; !friends && q < m->nsteps; q++)
            friends = m->steps[q].kind == PS_STEP_BEFRIEND &&
                      ((m->steps[q].actor == x->a && m->steps[q].other == x->b) ||
                       (m->steps[q].actor == x->b && m->steps[q].other == x->a));
        if (friends)
            NEAR_ADD("%s and %s are friends, but %s never saw either friend list", a, b, vn);
    }
    return (int)n;
}

int ps_linkage_nearest(ps_linkage_report *r, uint32_t a, uint32_t b, uint32_t viewer,
                       char (*texts)[512], uint32_t cap)
{
    uint32_t pi = ps_person_of(r->m, a);
    if (pi == PS_NONE || pi != ps_person_of(r->m, b) || viewer >= ps_nviewers(r->m))
        return 0;
    state s;
    pair_set x = {0};
    if (state_start(&s, r->m))
        return -1;
    int rc = replay_pairs(&s, pi, &x);
    for (uint32_t i = 0; i < x.n && !rc; i++)
        if ((x.v[i].a == a && x.v[i].b == b) || (x.v[i].a == b && x.v[i].b == a))
            rc = nearest_texts(&s, &x.v[i], viewer, texts, cap);
    pairs_free(&x);
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
    ps_state_model_free(r->states);
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

/* The viewer's path to `item` in the last state of the timeline in which it sees the item
 * (a replay when that is not the end), appended to out[n]; the new count. */
static uint32_t leg(ps_linkage_report *r, uint32_t item, uint32_t viewer, bool whole,
                    ps_path *out, uint32_t n, uint32_t cap)
{
    if (n >= cap || item == PS_NONE || !r->e || eval_item(r->e, item, whole))
        return n;
    if (ps_engine_sees(r->e, viewer))
        return ps_engine_path(r->e, viewer, &out[n]) == 0 ? n + 1 : n;
    if (!r->m->nsteps)
        return n;
    ps_engine *e = ps_engine_new(r->m);
    bool found = false;
    for (int k = e ? 1 : -1; k == 1; k = ps_engine_step(e, NULL)) {
        if (eval_item(e, item, whole))
            break;
        if (ps_engine_sees(e, viewer) && ps_engine_path(e, viewer, &out[n]) == 0)
            found = true;
    }
    ps_engine_free(e);
    return found ? n + 1 : n;
}

static bool has_leg(const ps_path *out, uint32_t n, uint32_t item)
{
    for (uint32_t i = 0; i < n; i++)
        if (out[i].item == item)
            return true;
    return false;
}

const ps_model *ps_linkage_leg_model(ps_linkage_report *r, const ps_path *leg)
{
    if (!r->states)
        r->states = ps_state_model_new(r->m);
    return r->states ? ps_state_model_at(r->states, leg->state) : r->m;
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
        /* each friendship A-F and B-F through A's (B's) list or F's: each list once */
        for (uint32_t i = 0; i < ev->n && n + 2 <= cap; i++) {
            uint32_t f = r->friends[ev->first + i];
            for (unsigned j = 0; j < 2; j++) {
                uint32_t la = field_item(m, acc[j], PS_F_FRIENDLIST);
                uint32_t lf = field_item(m, f, PS_F_FRIENDLIST);
                if (has_leg(out, n, la) || has_leg(out, n, lf))
                    continue;
                uint32_t k = leg(r, la, v, true, out, n, cap);
                n = k > n ? k : leg(r, lf, v, true, out, n, cap);
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
    bool past = ev->remembered;   /* seen in earlier states, not in the end state alone */
    ps_viewer_name(m, l->viewer, vn, sizeof vn);
    switch ((ps_ev_kind)ev->kind) {
    case PS_EV_FRIENDSHIP:
        if (past)
            snprintf(buf, cap, "%s saw the friendship of %s and %s on a friend list", vn, a, b);
        else
            snprintf(buf, cap, "%s and %s are friends, and %s sees the friendship on a friend "
                               "list", a, b, vn);
        break;
    case PS_EV_MUTUAL_FRIENDS: {
        size_t len = (size_t)snprintf(buf, cap, "%s %s %u friend%s on both friend lists (",
                                      vn, past ? "has seen" : "sees", (unsigned)ev->ref,
                                      ev->ref == 1 ? "" : "s");
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
        bool owned = x->owner == l->a || x->owner == l->b;
        const char *other = x->owner == l->a ? b : a;
        if (past && owned)
            snprintf(buf, cap, "%s saw %s while it tagged %s", vn, it, other);
        else if (past)
            snprintf(buf, cap, "%s saw %s while it tagged %s and while it tagged %s", vn, it,
                     a, b);
        else if (owned)
            snprintf(buf, cap, "%s tags %s, and %s sees it", it, other, vn);
        else
            snprintf(buf, cap, "%s tags %s and %s, and %s sees it", it, a, b, vn);
        break;
    }
    case PS_EV_INTERACTION: {
        const ps_step *st = &m->steps[ev->step];
        ps_item_text(m, ev->item, it, sizeof it);
        snprintf(buf, cap, "%s %s %s (step %u, line %u), and %s %s it",
                 m->users[st->actor].name,
                 st->kind == PS_STEP_COMMENT ? "commented on"
                 : st->kind == PS_STEP_LIKE  ? "liked"
                 : past                      ? "shared" : "shares",
                 it, (unsigned)ev->step + 1, (unsigned)st->loc.line, vn,
                 past ? "saw" : "sees");
        break;
    }
    case PS_EV_FIELDS:
        if (ev->ref == PS_F_BIRTHDAY)
            snprintf(buf, cap, "%s %s the same birthday and hometown on %s and %s", vn,
                     past ? "has seen" : "sees", a, b);
        else
            snprintf(buf, cap, "%s %s the same %s on %s and %s", vn, past ? "has seen" : "sees",
                     ps_category_name(ev->ref), a, b);
        break;
    case PS_EV_GROUP:
        snprintf(buf, cap, "%s and %s are both in group %s, and %s %s", a, b,
                 m->groups[ev->ref].name, vn,
                 ps_group_has(&m->groups[ev->ref], l->viewer) ? "is a member too"
                 : past ? "has seen both groups fields" : "sees both groups fields");
        break;
    case PS_EV_NETWORK:
        snprintf(buf, cap, "%s and %s are both in network %s, and %s %s both networks fields",
                 a, b, m->networks[ev->ref].name, vn, past ? "has seen" : "sees");
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
