/* refeval.c - the plain reference evaluator of the tests (see refeval.h and the README's
 * "How privsim computes who sees what").
 *
 * Deliberately simple: every set is a bool array over viewers, every relation is asked
 * through model.h (ps_model_are_friends, ps_list_has, ...), and every fixed point is a loop
 * that scans everything again until a pass adds nothing.  Nothing here is tuned; the
 * numbered comments follow the numbered list of the README so that a reader can check
 * each rule against its sentence.
 *
 * Readings of the README where its words leave room, chosen here:
 *  - A share is refused when, in the state just before its step, the sharer is not in the
 *    item's effective audience (all of rules 1-9) or the reshare rule forbids it then.
 *  - The intended audience of a group post (no persona) is what the group gives, with the
 *    owner (an owner outside a closed group is not exposed to their own post).
 *  - A field is reported when the scenario as written gives it an audience (a `field` line);
 *    a later `set` of its audience does not make it reported.
 */
#include "refeval.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    uint32_t step;         /* the share step (its audience lives in the model's steps) */
    uint32_t sharer;
    uint32_t item;
    bool ended;            /* unshared later */
} ref_share;

typedef struct {
    uint32_t user;
    uint32_t item;
} ref_interaction;

struct ref_run {
    ps_model *m;           /* private copy, changed by the steps */
    uint32_t pos;          /* steps applied */
    bool *refused;         /* per step */
    ref_share *shares; uint32_t nshares;
    ref_interaction *ixs; uint32_t nixs;
    /* scratch sets over viewers, allocated once (the number of viewers never changes) */
    bool *hidden, *tmp, *cut, *aud, *side;
};

/* ---------------------------------------------------------------------------------------
 * Terms
 * ------------------------------------------------------------------------------------- */

static void add_all_users(const ps_model *m, bool *set)
{
    for (uint32_t u = 0; u < m->nusers; u++)
        set[u] = true;
}

static bool is_friend(ps_model *m, uint32_t a, uint32_t b)
{
    return a != b && ps_model_are_friends(m, a, b);
}

/* Adds the friends of `u` to `set`. */
static void add_friends(ps_model *m, uint32_t u, bool *set)
{
    for (uint32_t v = 0; v < m->nusers; v++)
        if (is_friend(m, u, v))
            set[v] = true;
}

/* Adds every viewer matched by one term, relative to `owner`. */
static void match_term(ps_model *m, uint32_t owner, const ps_term *t, bool *set)
{
    uint32_t inet = m->nusers;
    switch (t->kind) {
    case PS_TERM_PUBLIC:
        add_all_users(m, set);
        set[inet] = true;
        break;
    case PS_TERM_EVERYONE:
        add_all_users(m, set);
        break;
    case PS_TERM_FOF:
        set[owner] = true;
        for (uint32_t f = 0; f < m->nusers; f++)
            if (is_friend(m, owner, f)) {
                set[f] = true;
                add_friends(m, f, set);
            }
        break;
    case PS_TERM_FRIENDS:
        set[owner] = true;
        add_friends(m, owner, set);
        break;
    case PS_TERM_ONLY_ME:
        set[owner] = true;
        break;
    case PS_TERM_NETWORKS:
        for (uint32_t n = 0; n < m->nnetworks; n++)
            if (ps_network_counts(m, n) && ps_network_has(&m->networks[n], owner))
                for (uint32_t u = 0; u < m->nusers; u++)
                    if (ps_network_has(&m->networks[n], u))
                        set[u] = true;
        break;
    case PS_TERM_LIST:
        set[owner] = true;
        if (t->ref < m->nlists)
            for (uint32_t u = 0; u < m->nusers; u++)
                if (ps_list_has(&m->lists[t->ref], u))
                    set[u] = true;
        break;
    case PS_TERM_NETWORK:
        if (ps_network_counts(m, t->ref))
            for (uint32_t u = 0; u < m->nusers; u++)
                if (ps_network_has(&m->networks[t->ref], u))
                    set[u] = true;
        break;
    case PS_TERM_GROUP:
        if (t->ref < m->ngroups)
            for (uint32_t u = 0; u < m->nusers; u++)
                if (ps_group_has(&m->groups[t->ref], u))
                    set[u] = true;
        break;
    case PS_TERM_USER:
        if (t->ref < m->nusers)
            set[t->ref] = true;
        break;
    case PS_TERM_CIRCLES:
    case PS_TERM_EXTENDED_CIRCLES:
        /* the owner, everyone in the owner's circles (lists), and for extended-circles the
         * people in the circles of each of them */
        set[owner] = true;
        for (uint32_t l = 0; l < m->nlists; l++)
            for (uint32_t u = 0; m->lists[l].owner == owner && u < m->nusers; u++) {
                if (!ps_list_has(&m->lists[l], u))
                    continue;
                set[u] = true;
                if (t->kind != PS_TERM_EXTENDED_CIRCLES)
                    continue;
                for (uint32_t l2 = 0; l2 < m->nlists; l2++)
                    for (uint32_t w = 0; m->lists[l2].owner == u && w < m->nusers; w++)
                        if (ps_list_has(&m->lists[l2], w))
                            set[w] = true;
            }
        break;
    default:
        break;
    }
}

static void match_terms(ps_model *m, uint32_t owner, const ps_terms *terms, bool *set)
{
    for (uint32_t i = 0; i < terms->n; i++)
        match_term(m, owner, &terms->v[i], set);
}

static bool terms_have(const ps_terms *terms, ps_term_kind kind)
{
    for (uint32_t i = 0; i < terms->n; i++)
        if (terms->v[i].kind == kind)
            return true;
    return false;
}

/* Every term is friends, fof, everyone, public, networks or network:N. */
static bool terms_broad(const ps_terms *terms)
{
    for (uint32_t i = 0; i < terms->n; i++) {
        uint8_t k = terms->v[i].kind;
        if (k != PS_TERM_FRIENDS && k != PS_TERM_FOF && k != PS_TERM_EVERYONE &&
            k != PS_TERM_PUBLIC && k != PS_TERM_NETWORKS && k != PS_TERM_NETWORK)
            return false;
    }
    return true;
}

/* ---------------------------------------------------------------------------------------
 * The replay
 * ------------------------------------------------------------------------------------- */

ref_run *ref_run_new(const ps_model *m)
{
    ref_run *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->m = ps_model_clone(m);
    r->refused = calloc(m->nsteps ? m->nsteps : 1, sizeof *r->refused);
    r->shares = calloc(m->nsteps ? m->nsteps : 1, sizeof *r->shares);
    r->ixs = calloc(m->nsteps ? m->nsteps : 1, sizeof *r->ixs);
    uint32_t nv = ref_nviewers(m);
    r->hidden = calloc((size_t)nv * 5, sizeof *r->hidden);
    if (r->hidden) {
        r->tmp = r->hidden + nv;
        r->cut = r->tmp + nv;
        r->aud = r->cut + nv;
        r->side = r->aud + nv;
    }
    if (!r->m || !r->refused || !r->shares || !r->ixs || !r->hidden) {
        ref_run_free(r);
        return NULL;
    }
    return r;
}

void ref_run_free(ref_run *r)
{
    if (!r)
        return;
    ps_model_free(r->m);
    free(r->refused);
    free(r->shares);
    free(r->ixs);
    free(r->hidden);
    free(r);
}

ps_model *ref_run_model(ref_run *r)
{
    return r->m;
}

uint32_t ref_run_position(const ref_run *r)
{
    return r->pos;
}

bool ref_run_refused(const ref_run *r, uint32_t step)
{
    return step < r->pos && r->refused[step];
}

static void owner_side(ps_model *m, const ps_item *it, bool *out, bool *hidden, bool *given);

/* Whether the reshare rule allows sharing `item` in the current state: `visible`, or
 * `public-only` and the internet sees it through rules 1-5.  Uses r->side, r->hidden and
 * r->tmp. */
static bool reshare_allowed(ref_run *r, uint32_t item)
{
    ps_model *m = r->m;
    if (m->rules.reshare == PS_RESHARE_VISIBLE || m->rules.reshare == PS_RESHARE_CAPPED)
        return true;
    if (m->rules.reshare != PS_RESHARE_PUBLIC_ONLY)
        return false;
    owner_side(m, &m->items[item], r->side, r->hidden, r->tmp);
    return r->side[m->nusers];
}

int ref_run_step(ref_run *r)
{
    ps_model *m = r->m;
    if (r->pos >= m->nsteps)
        return 0;
    uint32_t k = r->pos;
    const ps_step *s = &m->steps[k];
    switch (s->kind) {
    case PS_STEP_SHARE: {
        if (ref_run_audience(r, s->item, r->aud))
            return -1;
        bool sees = r->aud[s->actor];
        if (!sees || !reshare_allowed(r, s->item)) {
            r->refused[k] = true;
        } else {
            ref_share *sh = &r->shares[r->nshares++];
            sh->step = k;
            sh->sharer = s->actor;
            sh->item = s->item;
            sh->ended = false;
        }
        break;
    }
    case PS_STEP_UNSHARE:
        for (uint32_t i = 0; i < r->nshares; i++)
            if (r->shares[i].sharer == s->actor && r->shares[i].item == s->item)
                r->shares[i].ended = true;
        break;
    case PS_STEP_TAG:
        for (uint32_t i = 0; i < s->nusers; i++)
            if (ps_item_add_tag(&m->items[s->item], s->users[i]))
                return -1;
        break;
    case PS_STEP_UNTAG: {
        ps_item *it = &m->items[s->item];
        for (uint32_t i = 0; i < s->nusers; i++)
            for (uint32_t t = 0; t < it->ntags; t++)
                if (it->tags[t].user == s->users[i])
                    it->tags[t].removed = true;
        break;
    }
    case PS_STEP_APPROVE_TAG: {
        ps_item *it = &m->items[s->item];
        for (uint32_t t = 0; t < it->ntags; t++)
            if (it->tags[t].user == s->actor)
                it->tags[t].approved = true;
        break;
    }
    case PS_STEP_COMMENT:
    case PS_STEP_LIKE:
        r->ixs[r->nixs].user = s->actor;
        r->ixs[r->nixs].item = s->item;
        r->nixs++;
        break;
    case PS_STEP_BEFRIEND:
        if (ps_model_add_friendship(m, s->actor, s->other))
            return -1;
        break;
    case PS_STEP_UNFRIEND:
        ps_model_remove_friendship(m, s->actor, s->other);
        break;
    case PS_STEP_INSTALL: {
        ps_app *a = &m->apps[s->other];
        bool have = false;
        for (uint32_t i = 0; i < a->ninstallers; i++)
            have |= a->installers[i] == s->actor;
        if (!have && ps_u32_push(&a->installers, &a->ninstallers, s->actor))
            return -1;
        break;
    }
    case PS_STEP_SET:
        for (uint32_t i = 0; i < s->nsettings; i++) {
            const ps_setting *st = &s->settings[i];
            ps_user *u = &m->users[s->actor];
            if (st->kind == PS_SET_TAG_REVIEW) {
                u->tag_review = (int8_t)(int32_t)st->value;
            } else if (st->kind == PS_SET_APPS_CATS) {
                u->has_apps_cats = true;
                u->apps_cats = st->value;
            } else if (st->kind == PS_SET_SEARCH_LISTING) {
                u->search_listing = (int8_t)(int32_t)st->value;
            } else if (st->kind == PS_SET_AUDIENCE) {
                ps_item *it = &m->items[st->item];
                ps_audience copy;
                if (ps_audience_copy(&copy, &st->audience))
                    return -1;
                ps_audience_free(&it->audience);
                it->audience = copy;
                it->has_audience = true;
            }
        }
        break;
    default:
        break;
    }
    r->pos++;
    return 1;
}

/* ---------------------------------------------------------------------------------------
 * The effective audience (the README's semantics, "The effective audience of item I")
 * ------------------------------------------------------------------------------------- */

/* The viewers that the owner side gives the item (1-5): owner, group or audience, forced
 * public, tags, minus the owner's hide.  Fills `hidden` with the owner's hide set. */
static void owner_side(ps_model *m, const ps_item *it, bool *out, bool *hidden, bool *given)
{
    uint32_t nv = ref_nviewers(m), inet = m->nusers, O = it->owner;
    ps_audience aud = ps_item_audience(m, it);
    bool in_group = it->group != PS_NONE;
    memset(out, 0, nv * sizeof *out);
    memset(hidden, 0, nv * sizeof *hidden);
    memset(given, 0, nv * sizeof *given);   /* what 2 and 4 give */

    /* 1. owner */
    out[O] = true;

    /* 2. group, else audience */
    if (in_group) {
        const ps_group *g = &m->groups[it->group];
        if (g->kind == PS_GROUP_OPEN) {
            add_all_users(m, given);
            given[inet] = true;
        } else {
            for (uint32_t u = 0; u < m->nusers; u++)
                if (ps_group_has(g, u))
                    given[u] = true;
        }
    } else {
        match_terms(m, O, &aud.allow, given);
    }

    /* 4. tag */
    bool broad = in_group ? m->groups[it->group].kind == PS_GROUP_OPEN : terms_broad(&aud.allow);
    for (uint32_t t = 0; t < it->ntags; t++) {
        const ps_tag *tag = &it->tags[t];
        bool live = !tag->removed && (!ps_user_tag_review(m, tag->user) || tag->approved);
        if (!live)
            continue;
        if (m->rules.tag_extends != PS_TAG_NONE)
            given[tag->user] = true;
        /* T's friends: tagged-friends unless the owner said tag-friends=off; owner-choice
         * only when the owner said tag-friends=on */
        bool ext = (m->rules.tag_extends == PS_TAG_TAGGED_FRIENDS && it->tag_friends != PS_OFF) ||
                   (m->rules.tag_extends == PS_TAG_OWNER_CHOICE && it->tag_friends == PS_ON);
        if (ext && broad)
            add_friends(m, tag->user, given);
    }

    /* 5. hide: taken from what 2 and 4 gave, never from the owner */
    match_terms(m, O, &aud.hide, hidden);
    hidden[O] = false;
    for (uint32_t v = 0; v < nv; v++)
        if (given[v] && !hidden[v])
            out[v] = true;

    /* 3. forced-public, forced-everyone, forced-external, search listing (never hidden) */
    if (it->kind == PS_ITEM_FIELD && (m->rules.forced_public & (1u << it->field))) {
        add_all_users(m, out);
        out[inet] = true;
    }
    if (it->kind == PS_ITEM_FIELD && (m->rules.forced_everyone & (1u << it->field)))
        add_all_users(m, out);
    if (it->kind == PS_ITEM_FIELD && (m->rules.forced_external & (1u << it->field)))
        out[inet] = true;
    if (it->kind == PS_ITEM_FIELD && (it->field == PS_F_NAME || it->field == PS_F_PICTURE) &&
        m->rules.search_listing && m->users[O].search_listing != PS_OFF)
        out[inet] = true;
}

int ref_run_audience(ref_run *r, uint32_t item, bool *out)
{
    ps_model *m = r->m;
    const ps_item *it = &m->items[item];
    uint32_t nv = ref_nviewers(m), inet = m->nusers, O = it->owner;
    bool *hidden = r->hidden;  /* the owner's hide set */
    bool *tmp = r->tmp, *cut = r->cut;

    /* 1-5 */
    owner_side(m, it, out, hidden, tmp);
    bool internet_1_5 = out[inet];

    /* 6 and 7, repeated until nothing new is added */
    ps_audience aud = ps_item_audience(m, it);
    bool interactions = m->rules.interaction_extends == PS_IX_COMMENTER_FRIENDS &&
                        it->group == PS_NONE &&
                        (terms_have(&aud.allow, PS_TERM_FOF) ||
                         terms_have(&aud.allow, PS_TERM_EVERYONE) ||
                         terms_have(&aud.allow, PS_TERM_PUBLIC));
    /* under `capped` a share holds but shows the item to nobody new, unless it is a link */
    bool sharing = m->rules.reshare == PS_RESHARE_VISIBLE ||
                   (m->rules.reshare == PS_RESHARE_CAPPED && it->link) ||
                   (m->rules.reshare == PS_RESHARE_PUBLIC_ONLY && internet_1_5);
    bool changed = true;
    while (changed) {
        changed = false;
        /* 6. interaction */
        if (interactions)
            for (uint32_t i = 0; i < r->nixs; i++) {
                uint32_t c = r->ixs[i].user;
                if (r->ixs[i].item != item || !out[c])
                    continue;
                for (uint32_t v = 0; v < m->nusers; v++)
                    if (is_friend(m, c, v) && !hidden[v] && !out[v]) {
                        out[v] = true;
                        changed = true;
                    }
            }
        /* 7. share */
        if (sharing)
            for (uint32_t i = 0; i < r->nshares; i++) {
                const ref_share *sh = &r->shares[i];
                if (sh->item != item || sh->ended || !out[sh->sharer])
                    continue;
                const ps_step *s = &m->steps[sh->step];
                memset(tmp, 0, nv * sizeof *tmp);
                memset(cut, 0, nv * sizeof *cut);
                if (s->has_audience)
                    match_terms(m, sh->sharer, &s->audience.allow, tmp);
                else
                    match_terms(m, sh->sharer, &m->rules.default_audience[PS_CAT_POSTS], tmp);
                match_terms(m, sh->sharer, &s->audience.hide, cut);
                for (uint32_t v = 0; v < nv; v++)
                    if (tmp[v] && !cut[v] && !out[v]) {
                        out[v] = true;
                        changed = true;
                    }
            }
    }

    /* 8. friendship */
    if (it->kind == PS_ITEM_FIELD && it->field == PS_F_FRIENDLIST &&
        m->rules.friendship_visibility == PS_FV_BOTH_ENDS) {
        for (uint32_t V = 0; V < m->nusers; V++) {
            if (!is_friend(m, O, V))
                continue;
            memset(tmp, 0, nv * sizeof *tmp);
            memset(cut, 0, nv * sizeof *cut);
            if (m->rules.forced_public & (1u << PS_F_FRIENDLIST)) {
                add_all_users(m, tmp);
                tmp[inet] = true;
            } else {
                const ps_item *fl = NULL;
                for (uint32_t i = 0; i < m->nitems; i++)
                    if (m->items[i].owner == V && m->items[i].kind == PS_ITEM_FIELD &&
                        m->items[i].field == PS_F_FRIENDLIST)
                        fl = &m->items[i];
                if (fl) {
                    ps_audience fa = ps_item_audience(m, fl);
                    match_terms(m, V, &fa.allow, tmp);
                    match_terms(m, V, &fa.hide, cut);
                } else {
                    match_terms(m, V, &m->rules.default_audience[PS_F_FRIENDLIST], tmp);
                }
            }
            tmp[V] = false;
            for (uint32_t v = 0; v < nv; v++)
                if (tmp[v] && !cut[v])
                    out[v] = true;
        }
    }

    /* 9. app; a partner (instant personalization) reads an item whose own audience has
     * public or everyone (not a group post), or a field forced public or to every user */
    uint32_t cat = ps_item_category(it);
    bool lets = (ps_user_apps_cats(m, O) >> cat) & 1u;
    bool open = it->group == PS_NONE && (terms_have(&aud.allow, PS_TERM_PUBLIC) ||
                                         terms_have(&aud.allow, PS_TERM_EVERYONE));
    if (it->kind == PS_ITEM_FIELD &&
        (((m->rules.forced_public | m->rules.forced_everyone) >> it->field) & 1u))
        open = true;
    for (uint32_t a = 0; a < m->napps; a++) {
        const ps_app *app = &m->apps[a];
        bool sees = out[inet] ||
                    (m->rules.instant_personalization && app->partner && open);
        for (uint32_t i = 0; i < app->ninstallers; i++) {
            uint32_t f = app->installers[i];
            if (f == O)
                sees = true;
            else if (m->rules.apps_through_friends && out[f] && lets)
                sees = true;
        }
        out[inet + 1 + a] = sees;
    }

    return 0;
}

/* ---------------------------------------------------------------------------------------
 * Intent and severity
 * ------------------------------------------------------------------------------------- */

/* Whatever the internet is meant to see, every app is meant to see too. */
static int apps_follow_internet(const ps_model *m, bool *out)
{
    if (out[m->nusers])
        for (uint32_t a = 0; a < m->napps; a++)
            out[m->nusers + 1 + a] = true;
    return 0;
}

int ref_run_intended(ref_run *r, uint32_t item, bool *out)
{
    ps_model *m = r->m;
    const ps_item *it = &m->items[item];
    uint32_t nv = ref_nviewers(m);
    memset(out, 0, nv * sizeof *out);
    if (it->persona != PS_NONE) {
        const ps_persona *p = &m->personas[it->persona];
        match_terms(m, p->owner, &p->audience, out);
        out[p->owner] = true;
        out[it->owner] = true;
        return apps_follow_internet(m, out);
    }
    if (it->group != PS_NONE) {
        const ps_group *g = &m->groups[it->group];
        if (g->kind == PS_GROUP_OPEN) {
            add_all_users(m, out);
            out[m->nusers] = true;
        } else {
            for (uint32_t u = 0; u < m->nusers; u++)
                if (ps_group_has(g, u))
                    out[u] = true;
        }
        out[it->owner] = true;
        return apps_follow_internet(m, out);
    }
    ps_audience aud = ps_item_audience(m, it);
    bool *cut = r->cut;
    memset(cut, 0, nv * sizeof *cut);
    match_terms(m, it->owner, &aud.allow, out);
    match_terms(m, it->owner, &aud.hide, cut);
    for (uint32_t v = 0; v < nv; v++)
        if (cut[v])
            out[v] = false;
    out[it->owner] = true;
    for (uint32_t t = 0; t < it->ntags; t++)
        if (!it->tags[t].removed)
            out[it->tags[t].user] = true;
    return apps_follow_internet(m, out);
}

ref_severity ref_run_severity(ref_run *r, uint32_t item, uint32_t viewer)
{
    ps_model *m = r->m;
    const ps_item *it = &m->items[item];
    if (it->persona != PS_NONE) {
        const ps_persona *p = &m->personas[it->persona];
        bool *forbid = r->tmp;
        memset(forbid, 0, ref_nviewers(m) * sizeof *forbid);
        match_terms(m, p->owner, &p->forbid, forbid);
        if (forbid[viewer])
            return REF_SEV_FORBIDDEN;
    }
    return viewer >= m->nusers ? REF_SEV_EXTERNAL : REF_SEV_BEYOND_INTENT;
}

/* ---------------------------------------------------------------------------------------
 * Whole-scenario questions
 * ------------------------------------------------------------------------------------- */

/* A replay advanced to `state` (clamped to the end). */
static ref_run *run_to(const ps_model *m, uint32_t state)
{
    ref_run *r = ref_run_new(m);
    if (!r)
        return NULL;
    while (r->pos < state) {
        int s = ref_run_step(r);
        if (s < 0) {
            ref_run_free(r);
            return NULL;
        }
        if (s == 0)
            break;
    }
    return r;
}

int ref_audience(const ps_model *m, uint32_t item, uint32_t state, bool *out)
{
    ref_run *r = run_to(m, state);
    if (!r)
        return -1;
    int rc = ref_run_audience(r, item, out);
    ref_run_free(r);
    return rc;
}

int ref_intended(const ps_model *m, uint32_t item, uint32_t state, bool *out)
{
    ref_run *r = run_to(m, state);
    if (!r)
        return -1;
    int rc = ref_run_intended(r, item, out);
    ref_run_free(r);
    return rc;
}

int ref_exposed(const ps_model *m, uint32_t item, uint32_t state, bool *out)
{
    uint32_t nv = ref_nviewers(m);
    bool *intended = calloc(nv, sizeof *intended);
    ref_run *r = intended ? run_to(m, state) : NULL;
    int rc = -1;
    if (r && ref_run_audience(r, item, out) == 0 && ref_run_intended(r, item, intended) == 0) {
        for (uint32_t v = 0; v < nv; v++)
            out[v] = out[v] && !intended[v];
        rc = 0;
    }
    ref_run_free(r);
    free(intended);
    return rc;
}

int ref_cumulative(const ps_model *m, uint32_t item, bool *out)
{
    uint32_t nv = ref_nviewers(m);
    bool *now = calloc(nv, sizeof *now);
    ref_run *r = now ? ref_run_new(m) : NULL;
    if (!r) {
        free(now);
        return -1;
    }
    memset(out, 0, nv * sizeof *out);
    int rc = 0;
    for (;;) {
        if (ref_run_audience(r, item, now)) {
            rc = -1;
            break;
        }
        for (uint32_t v = 0; v < nv; v++)
            out[v] = out[v] || now[v];
        int s = ref_run_step(r);
        if (s <= 0) {
            rc = s;
            break;
        }
    }
    ref_run_free(r);
    free(now);
    return rc;
}

int ref_refused(const ps_model *m, bool *refused)
{
    ref_run *r = run_to(m, m->nsteps);
    if (!r)
        return -1;
    for (uint32_t k = 0; k < m->nsteps; k++)
        refused[k] = ref_run_refused(r, k);
    ref_run_free(r);
    return 0;
}

static int cmp_exposure(const void *pa, const void *pb)
{
    const ref_exposure *a = pa, *b = pb;
    if (a->severity != b->severity)
        return a->severity > b->severity ? -1 : 1;
    if (a->item != b->item)
        return a->item < b->item ? -1 : 1;
    if (a->viewer != b->viewer)
        return a->viewer < b->viewer ? -1 : 1;
    return 0;
}

int ref_exposures(const ps_model *m, ref_exposure **out, uint32_t *n)
{
    uint32_t nv = ref_nviewers(m), ni = m->nitems;
    *out = NULL;
    *n = 0;
    /* found[item * nv + viewer] = index + 1 of its exposure in list */
    uint32_t *found = calloc((size_t)ni * nv + 1, sizeof *found);
    ref_exposure *list = calloc((size_t)ni * nv + 1, sizeof *list);
    bool *aud = calloc(nv, sizeof *aud), *intended = calloc(nv, sizeof *intended);
    ref_run *r = ref_run_new(m);
    uint32_t count = 0;
    int rc = -1;
    if (!found || !list || !aud || !intended || !r)
        goto done;
    for (;;) {
        bool last = r->pos == m->nsteps;
        for (uint32_t i = 0; i < ni; i++) {
            /* posts, photos, and fields that a `field` line gives an audience */
            if (m->items[i].kind == PS_ITEM_FIELD && !m->items[i].has_audience)
                continue;
            if (ref_run_audience(r, i, aud) || ref_run_intended(r, i, intended))
                goto done;
            for (uint32_t v = 0; v < nv; v++) {
                bool exposed = aud[v] && !intended[v];
                uint32_t *slot = &found[(size_t)i * nv + v];
                if (exposed && !*slot) {
                    ref_exposure *e = &list[count++];
                    e->item = i;
                    e->viewer = v;
                    e->severity = ref_run_severity(r, i, v);
                    e->first_step = r->pos;
                    *slot = count;
                }
                if (last && *slot)
                    list[*slot - 1].at_end = exposed;
            }
        }
        if (last)
            break;
        if (ref_run_step(r) < 0)
            goto done;
    }
    qsort(list, count, sizeof *list, cmp_exposure);
    *out = list;
    *n = count;
    list = NULL;
    rc = 0;
done:
    free(found);
    free(list);
    free(aud);
    free(intended);
    ref_run_free(r);
    return rc;
}

/* ---------------------------------------------------------------------------------------
 * Linkage, from the README's "Two accounts, one person: linkage", rule by rule
 * ------------------------------------------------------------------------------------- */

#include "person.h"

static uint32_t ref_field(ps_model *m, uint32_t u, ps_field f)
{
    return ps_model_field_item(m, u, f);
}

/* The value of user u's field f as written (`value=`), or NULL. */
static const char *ref_value(const ps_model *m, uint32_t u, ps_field f)
{
    const ps_persons *ps = m->persons;
    for (uint32_t i = 0; ps && i < ps->nvalues; i++) {
        const ps_item *it = &m->items[ps->values[i].item];
        if (it->owner == u && it->field == f)
            return ps->values[i].value;
    }
    return NULL;
}

/* "Two accounts have the same value of a field when both give it and the strings are
 * equal, or when a person with both accounts declares the field same=." */
static bool ref_same(const ps_model *m, uint32_t a, uint32_t b, ps_field f)
{
    const ps_persons *ps = m->persons;
    for (uint32_t i = 0; ps && i < ps->n; i++) {
        bool ha = false, hb = false;
        for (uint32_t k = 0; k < ps->v[i].naccounts; k++) {
            ha |= ps->v[i].accounts[k] == a;
            hb |= ps->v[i].accounts[k] == b;
        }
        if (ha && hb && (ps->v[i].same & (1u << f)))
            return true;
    }
    const char *x = ref_value(m, a, f), *y = ref_value(m, b, f);
    return x && y && strcmp(x, y) == 0;
}

static bool ref_account(const ps_person *p, uint32_t u)
{
    for (uint32_t k = 0; k < p->naccounts; k++)
        if (p->accounts[k] == u)
            return true;
    return false;
}

/* A live tag: not removed, and approved or the tagged user's tag review off. */
static bool ref_live_tag(const ps_model *m, const ps_item *it, uint32_t u)
{
    for (uint32_t i = 0; i < it->ntags; i++)
        if (it->tags[i].user == u && !it->tags[i].removed &&
            (it->tags[i].approved || !ps_user_tag_review(m, u)))
            return true;
    return false;
}

/* Two runs in step: as written, and without rule 8 (own-setting), for whole friend lists. */
typedef struct {
    ref_run *r;
    ref_run *rw;
    ps_model *m;           /* r's model (the current state) */
    uint32_t nv;
} ref_state;

/* out = the audience of `item` in the current state (of the whole friend list, `whole`). */
static int ref_aud(ref_state *e, uint32_t item, bool whole, bool *out)
{
    return ref_run_audience(whole ? e->rw : e->r, item, out);
}

/* What viewers have seen of one pair of accounts, up to the current state ("V remembers"). */
typedef struct {
    uint32_t a, b;
    bool *fr;              /* [v]: has seen the friendship A-B */
    bool *saf, *sbf;       /* [f * nv + v]: has seen the friendship A-F, B-F */
    bool *ta, *tb;         /* [i * nv + v]: saw item i while A (B) owned it or had a live tag */
    bool *ix;              /* [v]: an interaction seen */
    bool *fld;             /* [(q * PS_NFIELDS + f) * nv + v]: has seen account q's field f */
    bool *friend_ever;     /* [v]: a friend of A or of B in some state */
    uint32_t *first;       /* [v]: first state in which V links, or PS_NONE */
} ref_acc;

static void ref_acc_free(ref_acc *x)
{
    free(x->fr);
    free(x->saf);
    free(x->sbf);
    free(x->ta);
    free(x->tb);
    free(x->ix);
    free(x->fld);
    free(x->friend_ever);
    free(x->first);
}

static int ref_acc_init(ref_acc *x, uint32_t a, uint32_t b, uint32_t nusers, uint32_t nitems,
                        uint32_t nv)
{
    memset(x, 0, sizeof *x);
    x->a = a;
    x->b = b;
    x->fr = calloc(nv, 1);
    x->saf = calloc((size_t)nusers * nv, 1);
    x->sbf = calloc((size_t)nusers * nv, 1);
    x->ta = calloc((size_t)nitems * nv + 1, 1);
    x->tb = calloc((size_t)nitems * nv + 1, 1);
    x->ix = calloc(nv, 1);
    x->fld = calloc((size_t)2 * PS_NFIELDS * nv, 1);
    x->friend_ever = calloc(nv, 1);
    x->first = malloc(nv * sizeof *x->first);
    if (!x->fr || !x->saf || !x->sbf || !x->ta || !x->tb || !x->ix || !x->fld ||
        !x->friend_ever || !x->first)
        return -1;
    for (uint32_t v = 0; v < nv; v++)
        x->first[v] = PS_NONE;
    return 0;
}

/* Adds what each viewer sees in state t (the runs' current state) of the pair. */
static int ref_observe(ref_state *e, ref_acc *x, uint32_t t)
{
    ps_model *m = e->m;
    uint32_t nv = e->nv, a = x->a, b = x->b;
    bool *wa = calloc(nv, 1), *wb = calloc(nv, 1), *wf = calloc(nv, 1), *y = calloc(nv, 1);
    int rc = -1;
    if (!wa || !wb || !wf || !y)
        goto done;
    if (ref_aud(e, ref_field(m, a, PS_F_FRIENDLIST), true, wa) ||
        ref_aud(e, ref_field(m, b, PS_F_FRIENDLIST), true, wb))
        goto done;
    /* "V has seen the friendship U-F when, in some state t, U and F are friends and
     * whole_t(V, U) or whole_t(V, F)" */
    if (is_friend(m, a, b))
        for (uint32_t v = 0; v < nv; v++)
            x->fr[v] |= wa[v] || wb[v];
    for (uint32_t f = 0; f < m->nusers; f++) {
        bool fa = f != a && is_friend(m, a, f), fb = f != b && is_friend(m, b, f);
        if (!fa && !fb)
            continue;
        if (ref_aud(e, ref_field(m, f, PS_F_FRIENDLIST), true, wf))
            goto done;
        for (uint32_t v = 0; v < nv; v++) {
            if (fa)
                x->saf[(size_t)f * nv + v] |= wa[v] || wf[v];
            if (fb)
                x->sbf[(size_t)f * nv + v] |= wb[v] || wf[v];
        }
    }
    /* tags: the item seen while A (B) owns it or has a live tag on it */
    for (uint32_t i = 0; i < m->nitems; i++) {
        const ps_item *it = &m->items[i];
        if (it->kind == PS_ITEM_FIELD)
            continue;
        bool ia = it->owner == a || ref_live_tag(m, it, a);
        bool ib = it->owner == b || ref_live_tag(m, it, b);
        if (!ia && !ib)
            continue;
        if (ref_aud(e, i, false, y))
            goto done;
        for (uint32_t v = 0; v < nv; v++) {
            if (ia)
                x->ta[(size_t)i * nv + v] |= y[v];
            if (ib)
                x->tb[(size_t)i * nv + v] |= y[v];
        }
    }
    /* interactions: seen in a state after the step (a share: and before a later unshare) */
    for (uint32_t k = 0; k < m->nsteps && k < t; k++) {
        const ps_step *st = &m->steps[k];
        if (st->kind != PS_STEP_COMMENT && st->kind != PS_STEP_LIKE && st->kind != PS_STEP_SHARE)
            continue;
        if (st->item >= m->nitems || m->items[st->item].kind == PS_ITEM_FIELD)
            continue;
        uint32_t owner = m->items[st->item].owner;
        if (!((st->actor == a && owner == b) || (st->actor == b && owner == a)))
            continue;
        if (st->kind == PS_STEP_SHARE) {
            bool ended = ref_run_refused(e->r, k);
            for (uint32_t j = k + 1; j < t; j++)
                ended |= m->steps[j].kind == PS_STEP_UNSHARE && m->steps[j].actor == st->actor &&
                         m->steps[j].item == st->item;
            if (ended)
                continue;
        }
        if (ref_aud(e, st->item, false, y))
            goto done;
        for (uint32_t v = 0; v < nv; v++)
            x->ix[v] |= y[v];
    }
    /* fields of both accounts, and who is a friend of either */
    uint32_t acc[2] = { a, b };
    for (int q = 0; q < 2; q++) {
        for (unsigned f = 0; f < PS_NFIELDS; f++) {
            if (ref_aud(e, ref_field(m, acc[q], (ps_field)f), false, y))
                goto done;
            for (uint32_t v = 0; v < nv; v++)
                x->fld[((size_t)q * PS_NFIELDS + f) * nv + v] |= y[v];
        }
        for (uint32_t v = 0; v < m->nusers; v++)
            x->friend_ever[v] |= is_friend(m, acc[q], v);
    }
    rc = 0;
done:
    free(wa);
    free(wb);
    free(wf);
    free(y);
    return rc;
}

/* The evidence that holds for each viewer with what it has seen so far (kinds[v]). */
static void ref_kinds(ref_state *e, const ps_person *p, const ref_acc *x, uint32_t k,
                      uint32_t contacts, uint32_t *kinds)
{
    ps_model *m = e->m;
    uint32_t nv = e->nv, a = x->a, b = x->b;
#define SEEN_FIELD(q, f, v) x->fld[((size_t)(q) * PS_NFIELDS + (f)) * nv + (v)]
    const ps_field single[2] = { PS_F_PHONE, PS_F_EMAIL };
    for (uint32_t v = 0; v < nv; v++) {
        uint32_t kd = 0;
        /* 1. friendship */
        if (x->fr[v])
            kd |= 1u << REF_EV_FRIENDSHIP;
        /* 2. mutual-friends */
        if (k) {
            uint32_t c = 0;
            for (uint32_t f = 0; f < m->nusers; f++)
                c += !ref_account(p, f) && x->saf[(size_t)f * nv + v] &&
                     x->sbf[(size_t)f * nv + v];
            if (c >= k)
                kd |= 1u << REF_EV_MUTUAL;
        }
        /* 3. tag */
        for (uint32_t i = 0; i < m->nitems; i++)
            if (x->ta[(size_t)i * nv + v] && x->tb[(size_t)i * nv + v])
                kd |= 1u << REF_EV_TAG;
        /* 4. interaction */
        if (x->ix[v])
            kd |= 1u << REF_EV_INTERACTION;
        /* 5. fields */
        for (int i = 0; i < 2; i++)
            if (ref_same(m, a, b, single[i]) && SEEN_FIELD(0, single[i], v) &&
                SEEN_FIELD(1, single[i], v))
                kd |= 1u << REF_EV_FIELDS;
        if (ref_same(m, a, b, PS_F_BIRTHDAY) && ref_same(m, a, b, PS_F_HOMETOWN) &&
            SEEN_FIELD(0, PS_F_BIRTHDAY, v) && SEEN_FIELD(1, PS_F_BIRTHDAY, v) &&
            SEEN_FIELD(0, PS_F_HOMETOWN, v) && SEEN_FIELD(1, PS_F_HOMETOWN, v))
            kd |= 1u << REF_EV_FIELDS;
        /* 6. group */
        for (uint32_t g = 0; g < m->ngroups; g++) {
            const ps_group *G = &m->groups[g];
            if (ps_group_has(G, a) && ps_group_has(G, b) &&
                ((v < m->nusers && ps_group_has(G, v)) ||
                 (G->kind != PS_GROUP_SECRET && SEEN_FIELD(0, PS_F_GROUPS, v) &&
                  SEEN_FIELD(1, PS_F_GROUPS, v))))
                kd |= 1u << REF_EV_GROUP;
        }
        /* 7. network */
        for (uint32_t q = 0; q < m->nnetworks; q++)
            if (ps_network_has(&m->networks[q], a) && ps_network_has(&m->networks[q], b) &&
                SEEN_FIELD(0, PS_F_NETWORKS, v) && SEEN_FIELD(1, PS_F_NETWORKS, v))
                kd |= 1u << REF_EV_NETWORK;
        /* 8. contacts: users only */
        for (int i = 0; i < 2 && v < m->nusers; i++)
            if ((contacts & (1u << single[i])) && ref_same(m, a, b, single[i]) &&
                (x->friend_ever[v] || SEEN_FIELD(0, single[i], v) ||
                 SEEN_FIELD(1, single[i], v)))
                kd |= 1u << REF_EV_CONTACTS;
        kinds[v] = kd;
    }
#undef SEEN_FIELD
}

int ref_linkages(const ps_model *m0, ref_linkage **out, uint32_t *n)
{
    *out = NULL;
    *n = 0;
    if (!m0->persons || !m0->persons->n)
        return 0;
    /* the rules of linkage: the preset's, then the file's rule lines */
    ps_link_rules rl = {0, 0};
    ps_platform_link_rules(m0->platform, &rl);
    if (m0->persons->mutual_set)
        rl.mutual_friends = m0->persons->rules.mutual_friends;
    if (m0->persons->contacts_set)
        rl.contacts = m0->persons->rules.contacts;
    /* every field exists (a field nobody declared has the platform's default audience) */
    ps_model *m = ps_model_clone(m0);
    ps_model *mw = NULL;
    ref_state e = {0};
    ref_acc *acc = NULL;
    uint32_t nacc = 0, cap = 0;
    bool *forbid = NULL;
    uint32_t *kinds = NULL;
    int rc = -1;
    if (!m)
        goto done;
    for (uint32_t u = 0; u < m->nusers; u++)
        for (unsigned f = 0; f < PS_NFIELDS; f++)
            if (ref_field(m, u, (ps_field)f) == PS_NONE)
                goto done;
    mw = ps_model_clone(m);
    if (!mw)
        goto done;
    mw->rules.friendship_visibility = PS_FV_OWN_SETTING;
    e.r = ref_run_new(m);
    e.rw = ref_run_new(mw);
    if (!e.r || !e.rw)
        goto done;
    e.m = ref_run_model(e.r);
    e.nv = ref_nviewers(e.m);
    const ps_persons *ps = m->persons;
    uint32_t npairs = 0;
    for (uint32_t pi = 0; pi < ps->n; pi++)
        npairs += ps->v[pi].naccounts * (ps->v[pi].naccounts - 1) / 2;
    acc = calloc(npairs + 1, sizeof *acc);
    uint32_t *pair_person = calloc(npairs + 1, sizeof *pair_person);
    forbid = calloc(e.nv, 1);
    kinds = calloc(e.nv, sizeof *kinds);
    if (!acc || !pair_person || !forbid || !kinds) {
        free(pair_person);
        goto done;
    }
    for (uint32_t pi = 0; pi < ps->n; pi++)
        for (uint32_t i = 0; i < ps->v[pi].naccounts; i++)
            for (uint32_t j = i + 1; j < ps->v[pi].naccounts; j++) {
                pair_person[nacc] = pi;
                if (ref_acc_init(&acc[nacc++], ps->v[pi].accounts[i], ps->v[pi].accounts[j],
                                 m->nusers, m->nitems, e.nv)) {
                    free(pair_person);
                    goto done;
                }
            }
    /* every state: what is seen is remembered; a linkage starts in the first state in which
     * its evidence holds */
    for (uint32_t t = 0;; t++) {
        e.m = ref_run_model(e.r);
        for (uint32_t q = 0; q < nacc; q++) {
            if (ref_observe(&e, &acc[q], t)) {
                free(pair_person);
                goto done;
            }
            ref_kinds(&e, &e.m->persons->v[pair_person[q]], &acc[q], rl.mutual_friends,
                      rl.contacts, kinds);
            for (uint32_t v = 0; v < e.nv; v++)
                if (kinds[v] && acc[q].first[v] == PS_NONE)
                    acc[q].first[v] = t;
        }
        int k = ref_run_step(e.r), kw = ref_run_step(e.rw);
        if (k < 0 || kw < 0) {
            free(pair_person);
            goto done;
        }
        if (!k)
            break;
    }
    e.m = ref_run_model(e.r);
    for (uint32_t q = 0; q < nacc; q++) {
        const ps_person *p = &e.m->persons->v[pair_person[q]];
        memset(forbid, 0, e.nv);
        match_terms(e.m, p->accounts[0], &p->forbid, forbid);
        ref_kinds(&e, p, &acc[q], rl.mutual_friends, rl.contacts, kinds);
        for (uint32_t v = 0; v < e.nv; v++) {
            if ((v < e.m->nusers && ref_account(p, v)) || !kinds[v])
                continue;
            if (*n == cap) {
                cap = cap ? cap * 2 : 16;
                ref_linkage *nl = realloc(*out, cap * sizeof *nl);
                if (!nl) {
                    free(pair_person);
                    goto done;
                }
                *out = nl;
            }
            ref_linkage *l = &(*out)[(*n)++];
            l->person = pair_person[q];
            l->a = acc[q].a;
            l->b = acc[q].b;
            l->viewer = v;
            l->kinds = kinds[v];
            l->first_step = acc[q].first[v];
            /* "forbidden when V is matched by the forbid-link terms, external for the
             * internet and apps, beyond-intent for anyone else" (in that order) */
            l->severity = forbid[v]           ? REF_SEV_FORBIDDEN
                          : v >= e.m->nusers ? REF_SEV_EXTERNAL
                                             : REF_SEV_BEYOND_INTENT;
        }
    }
    free(pair_person);
    rc = 0;
done:
    for (uint32_t q = 0; q < nacc; q++)
        ref_acc_free(&acc[q]);
    free(acc);
    ref_run_free(e.r);
    ref_run_free(e.rw);
    ps_model_free(m);
    ps_model_free(mw);
    free(forbid);
    free(kinds);
    if (rc) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}
