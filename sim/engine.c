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
 * Lifetime
 * ------------------------------------------------------------------------------------- */

static int alloc_scratch(ps_engine *e)
{
    uint32_t n = ps_nviewers(e->m);
    e->nviewers = n;
    e->seen = ps_bits_new(n);
    e->hidden = ps_bits_new(n);
    e->mask = ps_bits_new(n);
    e->intended = ps_bits_new(n);
    e->forbid = ps_bits_new(n);
    e->grant = calloc(n ? n : 1, sizeof *e->grant);
    e->touched = malloc((size_t)(n ? n : 1) * sizeof *e->touched);
    e->sorted = malloc((size_t)(n ? n : 1) * sizeof *e->sorted);
    e->user_friendlist = malloc((size_t)(e->m->nusers ? e->m->nusers : 1) * sizeof(uint32_t));
    if (!e->seen || !e->hidden || !e->mask || !e->intended || !e->forbid || !e->grant ||
        !e->touched || !e->sorted || !e->user_friendlist)
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

ps_engine *ps_engine_new(const ps_model *m)
{
    ps_engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->m = ps_model_clone(m);
    e->item = PS_NONE;
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

void ps_engine_free(ps_engine *e)
{
    if (!e)
        return;
    ps_model_free(e->m);
    free(e->shares);
    free(e->ix);
    free(e->disabled);
    free(e->seen);
    free(e->hidden);
    free(e->mask);
    free(e->intended);
    free(e->forbid);
    free(e->grant);
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
 * Matching audience terms
 * ------------------------------------------------------------------------------------- */

/* What to do with each viewer a term matches. */
typedef struct {
    enum { ACT_GRANT, ACT_MARK } act;
    uint64_t *bits;        /* ACT_MARK: bitset to set */
    const uint64_t *skip;  /* ACT_GRANT: viewers not to grant (hide), or NULL */
    uint32_t skip_except;  /* a viewer never skipped (the owner) */
    uint32_t exclude;      /* a viewer never granted (friendship: V itself), or PS_NONE */
    ps_grant g;            /* ACT_GRANT: grant template (depth = depth of a direct match) */
    bool keep_ref;         /* keep g.ref (a share's step) instead of the matched term's ref */
    bool added;            /* set when a viewer was newly reached */
} visit;

/* Gives `viewer` grant g unless it already has one at least as short. */
static void give(ps_engine *e, uint32_t viewer, const ps_grant *g, bool *added)
{
    if (!ps_bits_get(e->seen, viewer)) {
        ps_bits_set(e->seen, viewer);
        e->touched[e->ntouched++] = viewer;
        e->grant[viewer] = *g;
        if (added)
            *added = true;
    } else if (g->depth < e->grant[viewer].depth) {
        e->grant[viewer] = *g;
    }
}

static void visit_one(ps_engine *e, visit *v, uint32_t viewer, uint32_t through, uint16_t extra)
{
    if (v->act == ACT_MARK) {
        ps_bits_set(v->bits, viewer);
        return;
    }
    if (viewer == v->exclude)
        return;
    if (v->skip && viewer != v->skip_except && ps_bits_get(v->skip, viewer))
        return;
    ps_grant g = v->g;
    g.depth = (uint16_t)(g.depth + extra);
    if (through != PS_NONE)
        g.through = through;
    give(e, viewer, &g, &v->added);
}

static void visit_all_users(ps_engine *e, visit *v, bool internet)
{
    ps_model *m = e->m;
    for (uint32_t u = 0; u < m->nusers; u++)
        visit_one(e, v, u, PS_NONE, 0);
    if (internet)
        visit_one(e, v, ps_viewer_internet(m), PS_NONE, 0);
}

static void visit_members(ps_engine *e, visit *v, const uint32_t *mem, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        visit_one(e, v, mem[i], PS_NONE, 0);
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
        for (uint32_t i = 0; i < n; i++)
            visit_one(e, v, fr[i], PS_NONE, 0);
        break;
    case PS_TERM_FOF:
        visit_one(e, v, owner, PS_NONE, 0);
        fr = ps_model_friends(m, owner, &n);
        for (uint32_t i = 0; i < n; i++)
            visit_one(e, v, fr[i], PS_NONE, 0);
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

/* Marks the viewers of `ts` (relative to owner) into bits, after zeroing it. */
static void mark_terms(ps_engine *e, uint32_t owner, const ps_terms *ts, uint64_t *bits)
{
    ps_bits_zero(bits, e->nviewers);
    visit v = { .act = ACT_MARK, .bits = bits };
    match_terms(e, owner, ts, &v);
}

void ps_engine_members(ps_engine *e, uint32_t owner, const ps_terms *t, uint64_t *bits)
{
    mark_terms(e, owner, t, bits);
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
    e->sorted_valid = false;
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
            for (uint32_t k = 0; k < e->nix; k++) {
                const ix_rec *x = &e->ix[k];
                if (x->item != item || !ps_bits_get(e->seen, x->user))
                    continue;
                uint32_t n;
                const uint32_t *fr = ps_model_friends(m, x->user, &n);
                ps_grant g = mkgrant(PS_VIA_INTERACTION, (uint16_t)(e->grant[x->user].depth + 1),
                                     x->user, x->step);
                for (uint32_t i = 0; i < n; i++) {
                    if (hidden_used && fr[i] != it->owner && ps_bits_get(e->hidden, fr[i]))
                        continue;
                    give(e, fr[i], &g, &changed);
                }
            }
        if (share_ok)
            for (uint32_t k = 0; k < e->nshares; k++) {
                const share_rec *s = &e->shares[k];
                if (s->item != item || !s->active || !ps_bits_get(e->seen, s->sharer))
                    continue;
                const ps_step *st = &m->steps[s->step];
                ps_audience sa = share_audience(e, st);
                bool masked = sa.hide.n > 0;
                if (masked)
                    mark_terms(e, s->sharer, &sa.hide, e->mask);
                visit v = { .act = ACT_GRANT, .skip = masked ? e->mask : NULL,
                            .skip_except = PS_NONE, .exclude = PS_NONE, .keep_ref = true };
                v.g = mkgrant(PS_VIA_SHARE, (uint16_t)(e->grant[s->sharer].depth + 1), s->sharer,
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
        mark_terms(e, O, &aud.hide, e->hidden);

    /* 2. group or audience */
    visit v = { .act = ACT_GRANT, .skip = hidden_used ? e->hidden : NULL, .skip_except = O,
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
        v.g = mkgrant(PS_VIA_AUDIENCE, 1, PS_NONE, PS_NONE);
        match_terms(e, O, &aud.allow, &v);
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
    bool internet_owner_side = ps_bits_get(e->seen, ps_viewer_internet(m));
    e->internet_owner_side = internet_owner_side;
    if (e->nix || e->nshares)
        spread(e, item, &aud, hidden_used, internet_owner_side);

    /* 8. friendship */
    if (it->kind == PS_ITEM_FIELD && it->field == PS_F_FRIENDLIST &&
        m->rules.friendship_visibility == PS_FV_BOTH_ENDS) {
        uint32_t n;
        const uint32_t *fr = ps_model_friends(m, O, &n);
        uint32_t all = m->nusers + 1;
        for (uint32_t i = 0; i < n && e->ntouched < all; i++) {
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
                mark_terms(e, V, &va.hide, e->mask);
                fv.skip = e->mask;
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
                       ps_bits_get(e->seen, F)) {
                g = mkgrant(PS_VIA_APP, (uint16_t)(e->grant[F].depth + 1), F, a);
                give(e, av, &g, NULL);
            }
        }
        if (ps_bits_get(e->seen, inet)) {
            g = mkgrant(PS_VIA_APP, (uint16_t)(e->grant[inet].depth + 1), PS_NONE, a);
            give(e, av, &g, NULL);
        }
    }
    return 0;
}

bool ps_engine_sees(const ps_engine *e, uint32_t viewer)
{
    return viewer < e->nviewers && ps_bits_get(e->seen, viewer);
}

const ps_grant *ps_engine_grant(const ps_engine *e, uint32_t viewer)
{
    return ps_engine_sees(e, viewer) ? &e->grant[viewer] : NULL;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

const uint32_t *ps_engine_audience(ps_engine *e, uint32_t *n)
{
    if (!e->sorted_valid) {
        memcpy(e->sorted, e->touched, (size_t)e->ntouched * sizeof *e->sorted);
        qsort(e->sorted, e->ntouched, sizeof *e->sorted, cmp_u32);
        e->sorted_valid = true;
    }
    *n = e->ntouched;
    return e->sorted;
}

/* ---------------------------------------------------------------------------------------
 * Intent and severity
 * ------------------------------------------------------------------------------------- */

/* Computes the intended audience of `item` into e->intended and the persona's forbid set into
 * e->forbid (empty when there is none). */
static void compute_intent(ps_engine *e, uint32_t item)
{
    ps_model *m = e->m;
    const ps_item *it = &m->items[item];
    ps_bits_zero(e->forbid, e->nviewers);
    if (it->persona != PS_NONE && it->persona < m->npersonas) {
        const ps_persona *p = &m->personas[it->persona];
        mark_terms(e, p->owner, &p->audience, e->intended);
        ps_bits_set(e->intended, p->owner);
        if (p->forbid.n) {
            visit v = { .act = ACT_MARK, .bits = e->forbid };
            match_terms(e, p->owner, &p->forbid, &v);
        }
    } else if (it->group != PS_NONE && it->group < m->ngroups) {
        const ps_group *g = &m->groups[it->group];
        ps_bits_zero(e->intended, e->nviewers);
        visit v = { .act = ACT_MARK, .bits = e->intended };
        if (g->kind == PS_GROUP_OPEN)
            visit_all_users(e, &v, true);
        else
            visit_members(e, &v, g->members, g->nmembers);
    } else {
        ps_audience aud = ps_item_audience(m, it);
        mark_terms(e, it->owner, &aud.allow, e->intended);
        if (aud.hide.n) {
            mark_terms(e, it->owner, &aud.hide, e->mask);
            for (size_t w = 0; w < ps_bits_words(e->nviewers); w++)
                e->intended[w] &= ~e->mask[w];
        }
        for (uint32_t k = 0; k < it->ntags; k++)
            if (!it->tags[k].removed)
                ps_bits_set(e->intended, it->tags[k].user);
    }
    ps_bits_set(e->intended, it->owner);
    /* whatever the internet is meant to see, every app is meant to see too */
    if (ps_bits_get(e->intended, ps_viewer_internet(m)))
        for (uint32_t a = 0; a < m->napps; a++)
            ps_bits_set(e->intended, ps_viewer_app(m, a));
    e->intent_item = item;
    e->intent_valid = true;
}

void ps_engine__invalidate_intent(ps_engine *e)
{
    e->intent_valid = false;
}

bool ps_engine_intended(ps_engine *e, uint32_t item, uint32_t viewer)
{
    if (!e->intent_valid || e->intent_item != item)
        compute_intent(e, item);
    return ps_bits_get(e->intended, viewer);
}

ps_severity ps_engine_severity(ps_engine *e, uint32_t item, uint32_t viewer)
{
    if (!e->intent_valid || e->intent_item != item)
        compute_intent(e, item);
    if (ps_bits_get(e->forbid, viewer))
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
        const ps_grant *g = &e->grant[cur];
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

static int push_share(ps_engine *e, uint32_t item, uint32_t sharer, uint32_t step)
{
    if (ps_grow((void **)&e->shares, &e->cap_shares, e->nshares + 1, sizeof *e->shares))
        return -1;
    e->shares[e->nshares++] = (share_rec){ item, sharer, step, true };
    return 0;
}

static int push_ix(ps_engine *e, uint32_t item, uint32_t user, uint32_t step)
{
    if (ps_grow((void **)&e->ix, &e->cap_ix, e->nix + 1, sizeof *e->ix))
        return -1;
    e->ix[e->nix++] = (ix_rec){ item, user, step };
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
        if (ps_engine_eval(e, s->item))
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
        for (uint32_t i = 0; i < e->nshares; i++)
            if (e->shares[i].item == s->item && e->shares[i].sharer == s->actor)
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
