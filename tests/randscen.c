/* randscen.c - seeded random scenarios for the property tests (see randscen.h).
 *
 * Every choice comes from one splitmix64 stream seeded by the caller, so a seed names a
 * model.  The generator keeps to what a valid scenario file can say (the property test
 * generated_scenarios_are_valid prints each model and parses it back): references exist; a
 * list's members are its owner's friends when it is declared; a list term is a list of the
 * user the terms are relative to; no term is written twice in one set; group posts are
 * posted by a member and have no audience; personas go on posts and photos; shares,
 * comments, likes and tags are about posts and photos; a `set` step changes either one of
 * the actor's own items outside groups or the actor's own settings, each once; and a hide
 * is always written together with an audience.
 *
 * Some choices are biased towards what makes rules interact: the common audience terms
 * (public, fof, friends) come more often; about a third of the scenarios are "focused", a
 * long timeline about one or two items; unshares mostly undo earlier shares; comments go
 * mostly to items whose audience lets interactions widen it; audience changes mostly come
 * after a share of the same item; friend lists are declared with their own audiences.
 */
#include "randscen.h"

#include <stdlib.h>
#include <string.h>

uint64_t randscen_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint32_t randscen_below(uint64_t *state, uint32_t n)
{
    return (uint32_t)(randscen_rand(state) % n);
}

/* True with probability pct/100. */
static bool chance(uint64_t *rs, unsigned pct)
{
    return randscen_below(rs, 100) < pct;
}

randscen_opts randscen_defaults(void)
{
    randscen_opts o = { 2, 12, 6, 16, 35, false };
    return o;
}

/* ---------------------------------------------------------------------------------------
 * Building blocks
 * ------------------------------------------------------------------------------------- */

/* Lists owned by `owner`: their indices into out (at most cap); returns the count. */
static uint32_t lists_of(const ps_model *m, uint32_t owner, uint32_t *out, uint32_t cap)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < m->nlists && n < cap; i++)
        if (m->lists[i].owner == owner)
            out[n++] = i;
    return n;
}

/* One random term relative to `owner`. */
static int push_term(ps_model *m, uint64_t *rs, uint32_t owner, ps_terms *t)
{
    /* the common settings more often: public, fof and friends */
    static const uint8_t kinds[] = {
        PS_TERM_PUBLIC, PS_TERM_PUBLIC, PS_TERM_EVERYONE, PS_TERM_FOF, PS_TERM_FOF,
        PS_TERM_FRIENDS, PS_TERM_FRIENDS, PS_TERM_FRIENDS, PS_TERM_ONLY_ME, PS_TERM_NETWORKS,
        PS_TERM_LIST, PS_TERM_NETWORK, PS_TERM_GROUP, PS_TERM_USER, PS_TERM_CIRCLES,
        PS_TERM_EXTENDED_CIRCLES,
    };
    for (;;) {
        ps_term_kind k = (ps_term_kind)kinds[randscen_below(rs, sizeof kinds)];
        uint32_t ref = PS_NONE;
        if (k == PS_TERM_LIST) {
            uint32_t ls[8];
            uint32_t n = lists_of(m, owner, ls, 8);
            if (!n)
                continue;
            ref = ls[randscen_below(rs, n)];
        } else if (k == PS_TERM_NETWORK) {
            if (!m->nnetworks)
                continue;
            ref = randscen_below(rs, m->nnetworks);
        } else if (k == PS_TERM_GROUP) {
            if (!m->ngroups)
                continue;
            ref = randscen_below(rs, m->ngroups);
        } else if (k == PS_TERM_USER) {
            ref = randscen_below(rs, m->nusers);
        }
        for (uint32_t i = 0; i < t->n; i++)
            if (t->v[i].kind == k && t->v[i].ref == ref)
                return 0; /* a term is written once */
        return ps_terms_push(t, k, ref);
    }
}

/* 1..max random terms relative to `owner`. */
static int random_terms(ps_model *m, uint64_t *rs, uint32_t owner, uint32_t max, ps_terms *t)
{
    uint32_t n = 1 + randscen_below(rs, max);
    for (uint32_t i = 0; i < n; i++)
        if (push_term(m, rs, owner, t))
            return -1;
    return 0;
}

/* 1..2 terms made only of the keywords a preset's default uses (no references). */
static int random_default_terms(uint64_t *rs, ps_terms *t)
{
    static const ps_term_kind kinds[] = { PS_TERM_PUBLIC, PS_TERM_EVERYONE, PS_TERM_FOF,
                                          PS_TERM_FRIENDS, PS_TERM_ONLY_ME, PS_TERM_NETWORKS };
    ps_term_kind a = kinds[randscen_below(rs, 6)], b = kinds[randscen_below(rs, 6)];
    if (ps_terms_push(t, a, PS_NONE))
        return -1;
    if (b != a && chance(rs, 50) && ps_terms_push(t, b, PS_NONE))
        return -1;
    return 0;
}

/* A random audience relative to `owner`: allow terms, and sometimes a hide. */
static int random_audience(ps_model *m, uint64_t *rs, uint32_t owner, bool no_hide,
                           ps_audience *a)
{
    memset(a, 0, sizeof *a);
    if (random_terms(m, rs, owner, 3, &a->allow))
        return -1;
    if (!no_hide && chance(rs, 25) && random_terms(m, rs, owner, 2, &a->hide))
        return -1;
    return 0;
}

static uint32_t random_mask(uint64_t *rs, uint32_t bits)
{
    uint32_t mask = 0;
    switch (randscen_below(rs, 4)) {
    case 0: return 0;
    case 1: return (uint32_t)((1ull << bits) - 1);
    default:
        for (uint32_t b = 0; b < bits; b++)
            if (chance(rs, 40))
                mask |= 1u << b;
        return mask;
    }
}

static int random_rules(ps_model *m, uint64_t *rs)
{
    const char *const *names = ps_platform_names();
    uint32_t npresets = 0;
    while (names[npresets])
        npresets++;
    const char *preset = names[randscen_below(rs, npresets)];
    ps_rules *o = &m->overrides;
    for (unsigned id = 0; id < PS_NRULES; id++) {
        if (!chance(rs, 30))
            continue;
        m->rules_set |= 1u << id;
        switch ((ps_rule_id)id) {
        case PS_RULE_TAG_EXTENDS: o->tag_extends = (uint8_t)randscen_below(rs, 4); break;
        case PS_RULE_TAG_REVIEW_DEFAULT: o->tag_review_default = chance(rs, 50); break;
        case PS_RULE_RESHARE: o->reshare = (uint8_t)randscen_below(rs, 4); break;
        case PS_RULE_FORCED_EVERYONE:
            o->forced_everyone = chance(rs, 50) ? 0 : random_mask(rs, PS_NFIELDS);
            break;
        case PS_RULE_FORCED_EXTERNAL:
            o->forced_external = chance(rs, 50) ? 0 : random_mask(rs, PS_NFIELDS);
            break;
        case PS_RULE_SEARCH_LISTING: o->search_listing = chance(rs, 50); break;
        case PS_RULE_INSTANT_PERSONALIZATION: o->instant_personalization = chance(rs, 50); break;
        case PS_RULE_REGIONAL_NETWORKS: o->regional_networks = chance(rs, 50); break;
        case PS_RULE_APPS_THROUGH_FRIENDS: o->apps_through_friends = chance(rs, 50); break;
        case PS_RULE_APPS_THROUGH_FRIENDS_DEFAULT:
            o->apps_default_cats = random_mask(rs, PS_NCATS);
            break;
        case PS_RULE_FRIENDSHIP_VISIBILITY:
            o->friendship_visibility = (uint8_t)randscen_below(rs, 2);
            break;
        case PS_RULE_FORCED_PUBLIC:
            o->forced_public = chance(rs, 50) ? 0 : random_mask(rs, PS_NFIELDS);
            break;
        case PS_RULE_INTERACTION_EXTENDS:
            o->interaction_extends = (uint8_t)randscen_below(rs, 2);
            break;
        case PS_RULE_DEFAULT_AUDIENCE: {
            uint32_t cats = chance(rs, 30) ? PS_CATS_ALL : 1u << randscen_below(rs, PS_NCATS);
            ps_terms t = {0};
            if (random_default_terms(rs, &t))
                return -1;
            for (unsigned c = 0; c < PS_NCATS; c++)
                if (cats & (1u << c)) {
                    ps_terms_free(&o->default_audience[c]);
                    if (ps_terms_copy(&o->default_audience[c], &t)) {
                        ps_terms_free(&t);
                        return -1;
                    }
                }
            ps_terms_free(&t);
            m->default_audience_set |= cats;
            break;
        }
        default: break;
        }
    }
    return ps_model_set_platform(m, preset);
}

static uint32_t add_named(ps_model *m, int what, const char *prefix, uint32_t i, uint32_t owner,
                          ps_group_kind kind)
{
    char name[32];
    int n = snprintf(name, sizeof name, "%s%u", prefix, (unsigned)i);
    switch (what) {
    case 0: return ps_model_add_user(m, name, (size_t)n, NULL);
    case 1: return ps_model_add_network(m, name, (size_t)n);
    case 2: return ps_model_add_group(m, name, (size_t)n, kind);
    case 3: return ps_model_add_list(m, owner, name, (size_t)n);
    case 4: return ps_model_add_persona(m, owner, name, (size_t)n);
    case 5: return ps_model_add_app(m, name, (size_t)n);
    default: return PS_NONE;
    }
}

/* Items that may carry tags (posts and photos). */
static uint32_t random_taggable(const ps_model *m, uint64_t *rs)
{
    uint32_t cand[64], n = 0;
    for (uint32_t i = 0; i < m->nitems && n < 64; i++)
        if (m->items[i].kind != PS_ITEM_FIELD)
            cand[n++] = i;
    return n ? cand[randscen_below(rs, n)] : PS_NONE;
}

/* A random user other than `not` (which may be PS_NONE); PS_NONE if there is none. */
static uint32_t other_user(const ps_model *m, uint64_t *rs, uint32_t not)
{
    if (m->nusers < 2 && not != PS_NONE)
        return PS_NONE;
    for (;;) {
        uint32_t u = randscen_below(rs, m->nusers);
        if (u != not)
            return u;
    }
}

/* ---------------------------------------------------------------------------------------
 * Timeline
 * ------------------------------------------------------------------------------------- */

static int random_step(ps_model *m, uint64_t *rs, const randscen_opts *o)
{
    ps_step *s = ps_model_add_step(m);
    if (!s)
        return -1;
    uint32_t nusers = m->nusers;
    /* weights of the step kinds, in ps_step_kind order: shares, interactions and `set`
     * more often, since they interact with the most rules */
    static const unsigned weight[PS_NSTEPKINDS] = { 18, 6, 8, 5, 6, 9, 7, 8, 8, 6, 12 };
    unsigned total = 0;
    for (unsigned k = 0; k < PS_NSTEPKINDS; k++)
        total += weight[k];
    for (;;) {
        unsigned wpick = randscen_below(rs, total), kk = 0;
        while (wpick >= weight[kk])
            wpick -= weight[kk++];
        ps_step_kind kind = (ps_step_kind)kk;
        s->kind = (uint8_t)kind;
        s->actor = randscen_below(rs, nusers);
        switch (kind) {
        case PS_STEP_SHARE:
            s->item = random_taggable(m, rs);
            if (s->item == PS_NONE)
                continue;
            if (chance(rs, 55)) {
                s->has_audience = true;
                if (random_audience(m, rs, s->actor, o->no_hide, &s->audience))
                    return -1;
                if (!o->no_hide && !s->audience.hide.n && chance(rs, 25) &&
                    random_terms(m, rs, s->actor, 2, &s->audience.hide))
                    return -1;
            }
            return 0;
        case PS_STEP_UNSHARE: {
            /* mostly undo an earlier share */
            uint32_t cand[64], n = 0;
            for (uint32_t k = 0; k + 1 < m->nsteps && n < 64; k++)
                if (m->steps[k].kind == PS_STEP_SHARE)
                    cand[n++] = k;
            if (n && chance(rs, 80)) {
                const ps_step *sh = &m->steps[cand[randscen_below(rs, n)]];
                s->actor = sh->actor;
                s->item = sh->item;
            } else {
                s->item = random_taggable(m, rs);
                if (s->item == PS_NONE)
                    continue;
            }
            return 0;
        }
        case PS_STEP_TAG: {
            s->item = random_taggable(m, rs);
            if (s->item == PS_NONE)
                continue;
            uint32_t owner = m->items[s->item].owner;
            uint32_t n = 1 + randscen_below(rs, 2);
            for (uint32_t i = 0; i < n; i++) {
                uint32_t u = other_user(m, rs, owner);
                bool dup = false;
                for (uint32_t j = 0; j < s->nusers; j++)
                    dup |= s->users[j] == u;
                if (u != PS_NONE && !dup && ps_u32_push(&s->users, &s->nusers, u))
                    return -1;
            }
            if (!s->nusers)
                continue;
            return 0;
        }
        case PS_STEP_UNTAG:
        case PS_STEP_APPROVE_TAG: {
            /* a user tagged on a taggable item, as written or by an earlier tag step */
            uint32_t it_cand[64], u_cand[64], n = 0;
            for (uint32_t i = 0; i < m->nitems; i++)
                for (uint32_t t = 0; t < m->items[i].ntags && n < 64; t++) {
                    it_cand[n] = i;
                    u_cand[n++] = m->items[i].tags[t].user;
                }
            for (uint32_t k = 0; k + 1 < m->nsteps; k++)
                if (m->steps[k].kind == PS_STEP_TAG)
                    for (uint32_t j = 0; j < m->steps[k].nusers && n < 64; j++) {
                        it_cand[n] = m->steps[k].item;
                        u_cand[n++] = m->steps[k].users[j];
                    }
            if (!n)
                continue;
            uint32_t pick = randscen_below(rs, n);
            s->item = it_cand[pick];
            if (kind == PS_STEP_APPROVE_TAG) {
                s->actor = u_cand[pick];
            } else {
                s->actor = chance(rs, 50) ? u_cand[pick] : m->items[s->item].owner;
                if (ps_u32_push(&s->users, &s->nusers, u_cand[pick]))
                    return -1;
            }
            return 0;
        }
        case PS_STEP_COMMENT:
        case PS_STEP_LIKE: {
            /* mostly an item whose audience lets interactions widen it */
            uint32_t cand[64], n = 0;
            for (uint32_t i = 0; i < m->nitems && n < 64; i++) {
                if (m->items[i].kind == PS_ITEM_FIELD)
                    continue;
                ps_audience a = ps_item_audience(m, &m->items[i]);
                for (uint32_t t = 0; t < a.allow.n; t++)
                    if (a.allow.v[t].kind == PS_TERM_FOF || a.allow.v[t].kind == PS_TERM_EVERYONE ||
                        a.allow.v[t].kind == PS_TERM_PUBLIC) {
                        cand[n++] = i;
                        break;
                    }
            }
            s->item = n && chance(rs, 60) ? cand[randscen_below(rs, n)]
                                          : random_taggable(m, rs);
            if (s->item == PS_NONE)
                continue;
            return 0;
        }
        case PS_STEP_BEFRIEND:
        case PS_STEP_UNFRIEND:
            s->other = other_user(m, rs, s->actor);
            if (s->other == PS_NONE)
                continue;
            if (kind == PS_STEP_UNFRIEND && m->npairs && chance(rs, 70)) {
                uint64_t p = m->pairs[randscen_below(rs, m->npairs)];
                s->actor = (uint32_t)(p >> 32);
                s->other = (uint32_t)p;
            }
            return 0;
        case PS_STEP_INSTALL:
            if (!m->napps)
                continue;
            s->other = randscen_below(rs, m->napps);
            return 0;
        case PS_STEP_SET: {
            /* mostly the owner of an item outside a group, who may change its audience */
            uint32_t own = randscen_below(rs, m->nitems);
            uint32_t shared[64], nsh = 0;
            for (uint32_t k = 0; k + 1 < m->nsteps && nsh < 64; k++)
                if (m->steps[k].kind == PS_STEP_SHARE)
                    shared[nsh++] = m->steps[k].item;
            if (nsh && chance(rs, 50))
                own = shared[randscen_below(rs, nsh)];  /* a change after a share */
            if (m->items[own].group == PS_NONE && chance(rs, 60))
                s->actor = m->items[own].owner;
            /* either one item's audience, or the user's own settings (each at most once) */
            s->settings = calloc(3, sizeof *s->settings);
            if (!s->settings)
                return -1;
            uint32_t cand[64], nc = 0;
            for (uint32_t j = 0; j < m->nitems && nc < 64; j++)
                if (m->items[j].owner == s->actor && m->items[j].group == PS_NONE)
                    cand[nc++] = j;
            if (nc && chance(rs, 50)) {
                ps_setting *st = &s->settings[s->nsettings++];
                st->kind = PS_SET_AUDIENCE;
                st->item = cand[randscen_below(rs, nc)];
                if (nc > 1 && own < m->nitems && m->items[own].owner == s->actor &&
                    m->items[own].group == PS_NONE)
                    st->item = own;
                if (random_audience(m, rs, s->actor, o->no_hide, &st->audience))
                    return -1;
                return 0;
            }
            uint32_t which = 1 + randscen_below(rs, 3); /* 1: review, 2: apps, 3: both */
            if (which & 1) {
                ps_setting *st = &s->settings[s->nsettings++];
                st->kind = PS_SET_TAG_REVIEW;
                st->item = PS_NONE;
                st->value = (uint32_t)randscen_below(rs, 2);
            }
            if (which & 2) {
                ps_setting *st = &s->settings[s->nsettings++];
                st->kind = PS_SET_APPS_CATS;
                st->item = PS_NONE;
                st->value = random_mask(rs, PS_NCATS);
            }
            if (chance(rs, 25)) {
                ps_setting *st = &s->settings[s->nsettings++];
                st->kind = PS_SET_SEARCH_LISTING;
                st->item = PS_NONE;
                st->value = chance(rs, 50) ? PS_ON : PS_OFF;
            }
            return 0;
        }
        default:
            continue;
        }
    }
}

/* ---------------------------------------------------------------------------------------
 * The model
 * ------------------------------------------------------------------------------------- */

static int build(ps_model *m, uint64_t *rs, const randscen_opts *o)
{
    if (random_rules(m, rs))
        return -1;

    uint32_t span = o->max_users > o->min_users ? o->max_users - o->min_users + 1 : 1;
    uint32_t nusers = o->min_users + randscen_below(rs, span);
    for (uint32_t i = 0; i < nusers; i++)
        if (add_named(m, 0, "u", i, 0, 0) == PS_NONE)
            return -1;

    static const unsigned density[] = { 10, 25, 40, 60 };
    unsigned dens = density[randscen_below(rs, 4)];
    for (uint32_t a = 0; a < nusers; a++)
        for (uint32_t b = a + 1; b < nusers; b++)
            if (chance(rs, dens) && ps_model_add_friendship(m, a, b))
                return -1;

    uint32_t nnet = randscen_below(rs, 3);
    for (uint32_t i = 0; i < nnet; i++) {
        uint32_t n = add_named(m, 1, "n", i, 0, 0);
        if (n == PS_NONE)
            return -1;
        for (uint32_t u = 0; u < nusers; u++)
            if (chance(rs, 40) &&
                ps_u32_push(&m->networks[n].members, &m->networks[n].nmembers, u))
                return -1;
        m->networks[n].regional = chance(rs, 30);
    }

    uint32_t ngroups = randscen_below(rs, 3);
    for (uint32_t i = 0; i < ngroups; i++) {
        uint32_t g = add_named(m, 2, "g", i, 0, (ps_group_kind)randscen_below(rs, 3));
        if (g == PS_NONE)
            return -1;
        for (uint32_t u = 0; u < nusers; u++)
            if (chance(rs, 40) && ps_u32_push(&m->groups[g].members, &m->groups[g].nmembers, u))
                return -1;
    }

    for (uint32_t u = 0; u < nusers; u++) {
        uint32_t nl = chance(rs, 35) ? 1 + randscen_below(rs, 2) : 0;
        for (uint32_t i = 0; i < nl; i++) {
            uint32_t l = add_named(m, 3, "l", i, u, 0);
            if (l == PS_NONE)
                return -1;
            uint32_t nf;
            const uint32_t *f = ps_model_friends(m, u, &nf);
            for (uint32_t j = 0; j < nf; j++)
                if (chance(rs, 50) &&
                    ps_u32_push(&m->lists[l].members, &m->lists[l].nmembers, f[j]))
                    return -1;
        }
    }

    uint32_t npersonas = randscen_below(rs, 3);
    for (uint32_t i = 0; i < npersonas; i++) {
        uint32_t owner = randscen_below(rs, nusers);
        uint32_t p = add_named(m, 4, "p", i, owner, 0);
        if (p == PS_NONE)
            return -1;
        ps_persona *per = &m->personas[p];
        if (random_terms(m, rs, owner, 2, &per->audience))
            return -1;
        if (chance(rs, 60) && random_terms(m, rs, owner, 2, &per->forbid))
            return -1;
    }

    /* a focused scenario: few items and a long timeline about them */
    bool focused = chance(rs, o->focused_pct);
    uint32_t max_items = focused ? 2 : o->max_items ? o->max_items : 1;
    uint32_t nitems = 1 + randscen_below(rs, max_items);
    for (uint32_t i = 0; i < nitems; i++) {
        uint32_t owner = randscen_below(rs, nusers);
        uint32_t kind = randscen_below(rs, 100);
        uint32_t idx;
        bool in_group = false;
        if (kind < 30) {
            ps_field f = chance(rs, 35) ? PS_F_FRIENDLIST
                                        : (ps_field)randscen_below(rs, PS_NFIELDS);
            uint32_t before = m->nitems;
            idx = ps_model_field_item(m, owner, f);
            if (idx == PS_NONE)
                return -1;
            if (m->nitems == before)
                continue; /* already declared */
        } else {
            char name[32];
            int n = snprintf(name, sizeof name, "i%u", (unsigned)i);
            idx = ps_model_add_item(m, kind < 75 ? PS_ITEM_POST : PS_ITEM_PHOTO, name,
                                    (size_t)n, owner);
            if (idx == PS_NONE)
                return -1;
            uint32_t g = m->ngroups ? randscen_below(rs, m->ngroups) : PS_NONE;
            if (kind < 75 && g != PS_NONE && m->groups[g].nmembers && chance(rs, 25)) {
                /* posted by a member */
                m->items[idx].group = g;
                in_group = true;
                owner = m->groups[g].members[randscen_below(rs, m->groups[g].nmembers)];
                m->items[idx].owner = owner;
            }
        }
        ps_item *it = &m->items[idx];
        if (!in_group && chance(rs, 75)) {
            it->has_audience = true;
            if (random_audience(m, rs, owner, o->no_hide, &it->audience))
                return -1;
        } else if (!in_group && it->kind != PS_ITEM_FIELD && !o->no_hide && chance(rs, 30)) {
            /* `hide=` alone: the platform's default minus these */
            if (random_terms(m, rs, owner, 2, &it->audience.hide))
                return -1;
        }
        if (it->kind != PS_ITEM_FIELD && chance(rs, 40)) {
            uint32_t nt = 1 + randscen_below(rs, 2);
            for (uint32_t t = 0; t < nt; t++) {
                uint32_t u = other_user(m, rs, owner);
                if (u != PS_NONE && ps_item_add_tag(it, u))
                    return -1;
            }
        }
        if (it->kind != PS_ITEM_FIELD && m->npersonas && chance(rs, 25))
            it->persona = randscen_below(rs, m->npersonas);
        if (it->kind != PS_ITEM_FIELD && chance(rs, 30))
            it->tag_friends = chance(rs, 50) ? PS_ON : PS_OFF;
        if (it->kind == PS_ITEM_POST && chance(rs, 20))
            it->link = true;
    }

    /* friend lists: shown from both ends, so worth declaring with audiences and hides */
    for (uint32_t u = 0; u < nusers; u++) {
        if (!chance(rs, 20))
            continue;
        uint32_t before = m->nitems;
        uint32_t idx = ps_model_field_item(m, u, PS_F_FRIENDLIST);
        if (idx == PS_NONE)
            return -1;
        if (m->nitems == before)
            continue; /* already declared among the items */
        if (random_audience(m, rs, u, o->no_hide, &m->items[idx].audience))
            return -1;
        m->items[idx].has_audience = true;
    }

    for (uint32_t u = 0; u < nusers; u++) {
        if (chance(rs, 30))
            m->users[u].tag_review = (int8_t)(chance(rs, 50) ? PS_ON : PS_OFF);
        if (chance(rs, 30)) {
            m->users[u].has_apps_cats = true;
            m->users[u].apps_cats = random_mask(rs, PS_NCATS);
        }
        if (chance(rs, 20))
            m->users[u].search_listing = (int8_t)(chance(rs, 50) ? PS_ON : PS_OFF);
    }

    uint32_t napps = randscen_below(rs, 3);
    for (uint32_t i = 0; i < napps; i++) {
        uint32_t a = add_named(m, 5, "a", i, 0, 0);
        if (a == PS_NONE)
            return -1;
        uint32_t ni = randscen_below(rs, 3);
        for (uint32_t j = 0; j < ni; j++) {
            uint32_t u = randscen_below(rs, nusers);
            bool dup = false;
            for (uint32_t k = 0; k < m->apps[a].ninstallers; k++)
                dup |= m->apps[a].installers[k] == u;
            if (!dup && ps_u32_push(&m->apps[a].installers, &m->apps[a].ninstallers, u))
                return -1;
        }
        m->apps[a].partner = chance(rs, 30);
    }

    uint32_t half = o->max_steps / 2;
    uint32_t nsteps = focused ? half + randscen_below(rs, o->max_steps - half + 1)
                              : randscen_below(rs, o->max_steps + 1);
    for (uint32_t i = 0; i < nsteps; i++)
        if (random_step(m, rs, o))
            return -1;

    uint32_t nexp = randscen_below(rs, 3);
    for (uint32_t i = 0; i < nexp; i++) {
        ps_expect *e = ps_model_add_expect(m);
        if (!e)
            return -1;
        uint32_t which = randscen_below(rs, 10);
        if (which == 0) {
            e->viewer_kind = PS_VIEWER_INTERNET;
            e->viewer = PS_NONE;
        } else if (which == 1 && m->napps) {
            e->viewer_kind = PS_VIEWER_APP;
            e->viewer = randscen_below(rs, m->napps);
        } else {
            e->viewer_kind = PS_VIEWER_USER;
            e->viewer = randscen_below(rs, nusers);
        }
        e->can_see = chance(rs, 50);
        e->item = randscen_below(rs, m->nitems);
    }
    return 0;
}

int randscen_widen(ps_model *m, ps_reshare reshare)
{
    ps_rules *o = &m->overrides;
    o->reshare = (uint8_t)reshare;
    o->interaction_extends = PS_IX_COMMENTER_FRIENDS;
    o->tag_extends = PS_TAG_TAGGED_FRIENDS;
    o->apps_through_friends = true;
    o->friendship_visibility = PS_FV_BOTH_ENDS;
    m->rules_set |= 1u << PS_RULE_RESHARE | 1u << PS_RULE_INTERACTION_EXTENDS |
                    1u << PS_RULE_TAG_EXTENDS | 1u << PS_RULE_APPS_THROUGH_FRIENDS |
                    1u << PS_RULE_FRIENDSHIP_VISIBILITY;
    char *name = strdup(m->platform ? m->platform : PS_DEFAULT_PLATFORM);
    int rc = name ? ps_model_set_platform(m, name) : -1;
    free(name);
    return rc;
}

ps_model *randscen_new(uint64_t seed, const randscen_opts *opts)
{
    randscen_opts o = opts ? *opts : randscen_defaults();
    if (o.min_users < 2)
        o.min_users = 2;
    if (o.max_users < o.min_users)
        o.max_users = o.min_users;
    uint64_t rs = seed;
    ps_model *m = ps_model_new();
    if (!m)
        return NULL;
    if (build(m, &rs, &o)) {
        ps_model_free(m);
        return NULL;
    }
    return m;
}

/* ---------------------------------------------------------------------------------------
 * Dump
 * ------------------------------------------------------------------------------------- */

static void dump_terms(FILE *f, const ps_model *m, const ps_terms *t)
{
    for (uint32_t i = 0; i < t->n; i++) {
        const ps_term *x = &t->v[i];
        fprintf(f, "%s%s", i ? "," : "", ps_term_kind_name((ps_term_kind)x->kind));
        const char *ref = NULL;
        switch (x->kind) {
        case PS_TERM_LIST: ref = x->ref < m->nlists ? m->lists[x->ref].name : "?"; break;
        case PS_TERM_NETWORK: ref = x->ref < m->nnetworks ? m->networks[x->ref].name : "?"; break;
        case PS_TERM_GROUP: ref = x->ref < m->ngroups ? m->groups[x->ref].name : "?"; break;
        case PS_TERM_USER: ref = x->ref < m->nusers ? m->users[x->ref].name : "?"; break;
        default: break;
        }
        if (ref)
            fprintf(f, ":%s", ref);
    }
}

static void dump_audience(FILE *f, const ps_model *m, const ps_audience *a)
{
    fputs(" audience=", f);
    dump_terms(f, m, &a->allow);
    if (a->hide.n) {
        fputs(" hide=", f);
        dump_terms(f, m, &a->hide);
    }
}

static void dump_cats(FILE *f, uint32_t mask, unsigned ncats)
{
    if (mask == 0) {
        fputs("none", f);
        return;
    }
    bool first = true;
    for (unsigned c = 0; c < ncats; c++)
        if (mask & (1u << c)) {
            fprintf(f, "%s%s", first ? "" : ",", ps_category_name(c));
            first = false;
        }
}

static const char *const tag_extends_names[] = { "none", "tagged", "tagged-friends",
                                                 "owner-choice" };
static const char *const reshare_names[] = { "none", "public-only", "visible", "capped" };
static const char *const fv_names[] = { "both-ends", "own-setting" };
static const char *const ix_names[] = { "none", "commenter-friends" };
static const char *const group_kind_names[] = { "open", "closed", "secret" };

static void dump_rules(FILE *f, const ps_model *m)
{
    const ps_rules *o = &m->overrides;
    for (unsigned id = 0; id < PS_NRULES; id++) {
        if (!(m->rules_set & (1u << id)))
            continue;
        const char *name = ps_rule_name((ps_rule_id)id);
        switch ((ps_rule_id)id) {
        case PS_RULE_TAG_EXTENDS:
            fprintf(f, "rule %s = %s\n", name, tag_extends_names[o->tag_extends % 4]);
            break;
        case PS_RULE_TAG_REVIEW_DEFAULT:
            fprintf(f, "rule %s = %s\n", name, o->tag_review_default ? "on" : "off");
            break;
        case PS_RULE_RESHARE:
            fprintf(f, "rule %s = %s\n", name, reshare_names[o->reshare % 4]);
            break;
        case PS_RULE_APPS_THROUGH_FRIENDS:
            fprintf(f, "rule %s = %s\n", name, o->apps_through_friends ? "on" : "off");
            break;
        case PS_RULE_APPS_THROUGH_FRIENDS_DEFAULT:
            fprintf(f, "rule %s = ", name);
            dump_cats(f, o->apps_default_cats, PS_NCATS);
            fputc('\n', f);
            break;
        case PS_RULE_FRIENDSHIP_VISIBILITY:
            fprintf(f, "rule %s = %s\n", name, fv_names[o->friendship_visibility % 2]);
            break;
        case PS_RULE_FORCED_PUBLIC:
            fprintf(f, "rule %s = ", name);
            dump_cats(f, o->forced_public, PS_NFIELDS);
            fputc('\n', f);
            break;
        case PS_RULE_INTERACTION_EXTENDS:
            fprintf(f, "rule %s = %s\n", name, ix_names[o->interaction_extends % 2]);
            break;
        case PS_RULE_FORCED_EVERYONE:
        case PS_RULE_FORCED_EXTERNAL:
            fprintf(f, "rule %s = ", name);
            dump_cats(f, id == PS_RULE_FORCED_EVERYONE ? o->forced_everyone : o->forced_external,
                      PS_NFIELDS);
            fputc('\n', f);
            break;
        case PS_RULE_SEARCH_LISTING:
            fprintf(f, "rule %s = %s\n", name, o->search_listing ? "on" : "off");
            break;
        case PS_RULE_INSTANT_PERSONALIZATION:
            fprintf(f, "rule %s = %s\n", name, o->instant_personalization ? "on" : "off");
            break;
        case PS_RULE_REGIONAL_NETWORKS:
            fprintf(f, "rule %s = %s\n", name, o->regional_networks ? "on" : "off");
            break;
        case PS_RULE_DEFAULT_AUDIENCE:
            for (unsigned c = 0; c < PS_NCATS; c++)
                if (m->default_audience_set & (1u << c)) {
                    fprintf(f, "rule %s.%s = ", name, ps_category_name(c));
                    dump_terms(f, m, &o->default_audience[c]);
                    fputc('\n', f);
                }
            break;
        default: break;
        }
    }
}

static void dump_members(FILE *f, const ps_model *m, const uint32_t *v, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        fprintf(f, " %s", m->users[v[i]].name);
}

static void dump_users(FILE *f, const ps_model *m, const uint32_t *v, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        fprintf(f, "%s%s", i ? "," : "", m->users[v[i]].name);
}

static void dump_step(FILE *f, const ps_model *m, const ps_step *s)
{
    const char *actor = m->users[s->actor].name;
    switch (s->kind) {
    case PS_STEP_SHARE:
        fprintf(f, "do %s share %s", actor, m->items[s->item].name);
        if (s->has_audience)
            dump_audience(f, m, &s->audience);
        break;
    case PS_STEP_UNSHARE:
    case PS_STEP_APPROVE_TAG:
    case PS_STEP_COMMENT:
    case PS_STEP_LIKE:
        fprintf(f, "do %s %s %s", actor, ps_step_kind_name((ps_step_kind)s->kind),
                m->items[s->item].name);
        break;
    case PS_STEP_TAG:
    case PS_STEP_UNTAG:
        fprintf(f, "do %s %s %s ", actor, ps_step_kind_name((ps_step_kind)s->kind),
                m->items[s->item].name);
        dump_users(f, m, s->users, s->nusers);
        break;
    case PS_STEP_BEFRIEND:
    case PS_STEP_UNFRIEND:
        fprintf(f, "do %s %s %s", actor, ps_step_kind_name((ps_step_kind)s->kind),
                m->users[s->other].name);
        break;
    case PS_STEP_INSTALL:
        fprintf(f, "do %s install %s", actor, m->apps[s->other].name);
        break;
    case PS_STEP_SET:
        for (uint32_t i = 0; i < s->nsettings; i++) {
            const ps_setting *st = &s->settings[i];
            if (i)
                fputc('\n', f);
            if (st->kind == PS_SET_TAG_REVIEW) {
                fprintf(f, "set %s tag-review=%s", actor,
                        (int32_t)st->value == PS_UNSET ? "default"
                                                       : st->value == PS_ON ? "on" : "off");
            } else if (st->kind == PS_SET_APPS_CATS) {
                fprintf(f, "set %s apps-through-friends=", actor);
                dump_cats(f, st->value, PS_NCATS);
            } else if (st->kind == PS_SET_SEARCH_LISTING) {
                fprintf(f, "set %s search-listing=%s", actor, st->value == PS_ON ? "on" : "off");
            } else {
                fprintf(f, "set %s %s", actor, m->items[st->item].name);
                dump_audience(f, m, &st->audience);
            }
        }
        break;
    default:
        fprintf(f, "# step of kind %u", (unsigned)s->kind);
        break;
    }
    fputc('\n', f);
}

void randscen_dump(FILE *f, const ps_model *m)
{
    fprintf(f, "platform %s\n", m->platform ? m->platform : PS_DEFAULT_PLATFORM);
    dump_rules(f, m);
    fputs("user", f);
    for (uint32_t u = 0; u < m->nusers; u++)
        fprintf(f, " %s", m->users[u].name);
    fputc('\n', f);
    for (uint32_t i = 0; i < m->npairs; i++)
        fprintf(f, "friends %s %s\n", m->users[(uint32_t)(m->pairs[i] >> 32)].name,
                m->users[(uint32_t)m->pairs[i]].name);
    for (uint32_t i = 0; i < m->nnetworks; i++) {
        fprintf(f, "network %s%s", m->networks[i].name,
                m->networks[i].regional ? " kind=regional" : "");
        dump_members(f, m, m->networks[i].members, m->networks[i].nmembers);
        fputc('\n', f);
    }
    for (uint32_t i = 0; i < m->ngroups; i++) {
        fprintf(f, "group %s %s", m->groups[i].name, group_kind_names[m->groups[i].kind % 3]);
        dump_members(f, m, m->groups[i].members, m->groups[i].nmembers);
        fputc('\n', f);
    }
    for (uint32_t i = 0; i < m->nlists; i++) {
        fprintf(f, "list %s %s", m->users[m->lists[i].owner].name, m->lists[i].name);
        dump_members(f, m, m->lists[i].members, m->lists[i].nmembers);
        fputc('\n', f);
    }
    for (uint32_t i = 0; i < m->npersonas; i++) {
        const ps_persona *p = &m->personas[i];
        fprintf(f, "persona %s %s audience=", m->users[p->owner].name, p->name);
        dump_terms(f, m, &p->audience);
        if (p->forbid.n) {
            fputs(" forbid=", f);
            dump_terms(f, m, &p->forbid);
        }
        fputc('\n', f);
    }
    for (uint32_t i = 0; i < m->nitems; i++) {
        const ps_item *it = &m->items[i];
        if (it->kind == PS_ITEM_FIELD)
            fprintf(f, "field %s", it->name);
        else
            fprintf(f, "%s %s by=%s", it->kind == PS_ITEM_POST ? "post" : "photo", it->name,
                    m->users[it->owner].name);
        if (it->group != PS_NONE)
            fprintf(f, " group=%s", m->groups[it->group].name);
        if (it->has_audience) {
            dump_audience(f, m, &it->audience);
        } else if (it->audience.hide.n) {
            fputs(" hide=", f);
            dump_terms(f, m, &it->audience.hide);
        }
        bool first = true;
        for (uint32_t t = 0; t < it->ntags; t++) {
            if (it->tags[t].removed)
                continue;
            fprintf(f, "%s%s", first ? " tags=" : ",", m->users[it->tags[t].user].name);
            first = false;
        }
        if (it->persona != PS_NONE)
            fprintf(f, " persona=%s.%s", m->users[m->personas[it->persona].owner].name,
                    m->personas[it->persona].name);
        if (it->tag_friends != PS_UNSET)
            fprintf(f, " tag-friends=%s", it->tag_friends == PS_ON ? "on" : "off");
        if (it->link)
            fputs(" link=on", f);
        fprintf(f, "   # item %u\n", (unsigned)i);
    }
    for (uint32_t u = 0; u < m->nusers; u++) {
        const ps_user *us = &m->users[u];
        if (us->tag_review == PS_UNSET && !us->has_apps_cats && us->search_listing == PS_UNSET)
            continue;
        fprintf(f, "set %s", us->name);
        if (us->tag_review != PS_UNSET)
            fprintf(f, " tag-review=%s", us->tag_review == PS_ON ? "on" : "off");
        if (us->has_apps_cats) {
            fputs(" apps-through-friends=", f);
            dump_cats(f, us->apps_cats, PS_NCATS);
        }
        if (us->search_listing != PS_UNSET)
            fprintf(f, " search-listing=%s", us->search_listing == PS_ON ? "on" : "off");
        fputc('\n', f);
    }
    for (uint32_t a = 0; a < m->napps; a++) {
        fprintf(f, "app %s%s", m->apps[a].name, m->apps[a].partner ? " partner" : "");
        if (m->apps[a].ninstallers) {
            fputs(" installed-by=", f);
            dump_users(f, m, m->apps[a].installers, m->apps[a].ninstallers);
        }
        fputc('\n', f);
    }
    for (uint32_t k = 0; k < m->nsteps; k++) {
        fprintf(f, "# step %u\n", (unsigned)(k + 1));
        dump_step(f, m, &m->steps[k]);
    }
    for (uint32_t i = 0; i < m->nexpects; i++) {
        const ps_expect *e = &m->expects[i];
        if (e->viewer_kind == PS_VIEWER_INTERNET)
            fputs("expect internet", f);
        else if (e->viewer_kind == PS_VIEWER_APP)
            fprintf(f, "expect app:%s", m->apps[e->viewer].name);
        else
            fprintf(f, "expect %s", m->users[e->viewer].name);
        fprintf(f, " %s %s\n", e->can_see ? "can-see" : "cannot-see", m->items[e->item].name);
    }
}

/* ---------------------------------------------------------------------------------------
 * Persons with several accounts (linkage)
 * ------------------------------------------------------------------------------------- */

#include "person.h"

int randscen_add_persons(ps_model *m, uint64_t seed)
{
    uint64_t rs = seed * 0x9e3779b97f4a7c15ull + 7;
    if (m->nusers < 2)
        return 0;
    bool *used = calloc(m->nusers, 1);
    if (!used)
        return -1;
    uint32_t npersons = m->nusers >= 5 ? 1 + randscen_below(&rs, 2) : 1;
    static const char *const pool[] = { "111", "222" };
    static const ps_field idf[] = { PS_F_PHONE, PS_F_EMAIL, PS_F_BIRTHDAY, PS_F_HOMETOWN };
    int rc = 0;
    for (uint32_t pi = 0; pi < npersons && !rc; pi++) {
        uint32_t acc[3], n = 0, want = 2 + (m->nusers >= 6 && randscen_below(&rs, 3) == 0);
        for (uint32_t tries = 0; n < want && tries < 64; tries++) {
            uint32_t u = randscen_below(&rs, m->nusers);
            if (!used[u]) {
                used[u] = true;
                acc[n++] = u;
            }
        }
        if (n < 2)
            break;
        char name[32];
        snprintf(name, sizeof name, "person%u", (unsigned)pi);
        uint32_t p = ps_person_add(m, name, strlen(name), acc, n);
        if (p == PS_NONE) {
            rc = -1;
            break;
        }
        ps_person *x = &m->persons->v[p];
        x->loc.line = 1;
        /* forbid-link: up to two terms relative to the first account */
        uint32_t nt = randscen_below(&rs, 3);
        bool kinds[PS_NTERMS] = { false };
        for (uint32_t t = 0; t < nt && !rc; t++) {
            uint32_t k = randscen_below(&rs, 5);
            if (k == 0 && !kinds[PS_TERM_FRIENDS]) {
                kinds[PS_TERM_FRIENDS] = true;
                rc = ps_terms_push(&x->forbid, PS_TERM_FRIENDS, PS_NONE);
            } else if (k == 1 && !kinds[PS_TERM_FOF]) {
                kinds[PS_TERM_FOF] = true;
                rc = ps_terms_push(&x->forbid, PS_TERM_FOF, PS_NONE);
            } else if (k == 2 && !kinds[PS_TERM_USER]) {
                kinds[PS_TERM_USER] = true;
                rc = ps_terms_push(&x->forbid, PS_TERM_USER, randscen_below(&rs, m->nusers));
            } else if (k == 3 && m->nnetworks && !kinds[PS_TERM_NETWORK]) {
                kinds[PS_TERM_NETWORK] = true;
                rc = ps_terms_push(&x->forbid, PS_TERM_NETWORK,
                                   randscen_below(&rs, m->nnetworks));
            } else if (k == 4 && !kinds[PS_TERM_LIST]) {
                for (uint32_t l = 0; l < m->nlists; l++)
                    if (m->lists[l].owner == acc[0]) {
                        kinds[PS_TERM_LIST] = true;
                        rc = ps_terms_push(&x->forbid, PS_TERM_LIST, l);
                        break;
                    }
            }
        }
        if (randscen_below(&rs, 4) == 0)
            x->same = 1u << idf[randscen_below(&rs, 4)];
        /* values: each identifying field of each account, half the time, from the pool */
        for (uint32_t i = 0; i < n && !rc; i++)
            for (unsigned f = 0; f < 4 && !rc; f++) {
                if (randscen_below(&rs, 2))
                    continue;
                uint32_t it = ps_model_field_item(m, acc[i], idf[f]);
                rc = it == PS_NONE ? -1
                                   : ps_field_value_set(m, it, pool[randscen_below(&rs, 2)]);
            }
    }
    free(used);
    if (!rc && m->persons && randscen_below(&rs, 2)) {
        m->persons->rules.mutual_friends = randscen_below(&rs, 4);
        m->persons->mutual_set = true;
    }
    if (!rc && m->persons && randscen_below(&rs, 2)) {
        m->persons->rules.contacts = randscen_below(&rs, 4) << PS_F_EMAIL; /* email, phone */
        m->persons->contacts_set = true;
    }
    return rc;
}
