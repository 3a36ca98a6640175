/* fix.c - the changes that would cut a leak path: proposing, describing, applying, verifying.
 *
 * Candidates come from the links of an exposure's path (a tag suggests tag review and untag,
 * a share suggests not sharing, an app suggests the owner's app permissions and uninstalling,
 * a friendship suggests the friend's friend-list setting, ...) plus the owner's own audience
 * and hide settings, and the platform rule behind each link.  Every candidate is verified
 * (fix_replay.c) by running the timeline with the fix applied: a fix is kept only if the
 * viewer then sees the item in no state at all.
 */
#include "engine.h"
#include "bitset.h"
#include "engine_int.h"
#include "fix_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ps_fix_free(ps_fix *f)
{
    ps_terms_free(&f->terms);
}

static ps_fix fix_new(ps_fix_kind kind, uint32_t user, uint32_t item)
{
    ps_fix f;
    memset(&f, 0, sizeof f);
    f.kind = (uint8_t)kind;
    f.user = user;
    f.item = item;
    f.user2 = f.step = f.app = PS_NONE;
    return f;
}

ps_fix ps_fix__new(ps_fix_kind kind, uint32_t user, uint32_t item)
{
    return fix_new(kind, user, item);
}

/* ---------------------------------------------------------------------------------------
 * Text
 * ------------------------------------------------------------------------------------- */

static const char *rule_value_text(const ps_fix *f, const ps_model *m, char *buf, size_t cap)
{
    switch ((ps_rule_id)f->rule) {
    case PS_RULE_TAG_EXTENDS:
        return f->rule_value == PS_TAG_NONE ? "none" : f->rule_value == PS_TAG_TAGGED ? "tagged"
                                                                              : "tagged-friends";
    case PS_RULE_RESHARE:
        return f->rule_value == PS_RESHARE_NONE ? "none"
               : f->rule_value == PS_RESHARE_PUBLIC_ONLY ? "public-only"
               : f->rule_value == PS_RESHARE_CAPPED ? "capped" : "visible";
    case PS_RULE_APPS_THROUGH_FRIENDS: return f->rule_value ? "on" : "off";
    case PS_RULE_FRIENDSHIP_VISIBILITY:
        return f->rule_value == PS_FV_BOTH_ENDS ? "both-ends" : "own-setting";
    case PS_RULE_INTERACTION_EXTENDS:
        return f->rule_value == PS_IX_NONE ? "none" : "commenter-friends";
    case PS_RULE_SEARCH_LISTING: return f->rule_value ? "on" : "off";
    case PS_RULE_FORCED_PUBLIC: case PS_RULE_FORCED_EVERYONE: case PS_RULE_FORCED_EXTERNAL: {
        /* the forced fields without the one named by rule_value */
        size_t len = 0;
        buf[0] = 0;
        uint32_t mask = *ps_rule_fields((ps_rules *)&m->rules, (ps_rule_id)f->rule) &
                        ~(1u << f->rule_value);
        for (unsigned c = 0; c < PS_NFIELDS && len + 1 < cap; c++)
            if (mask & (1u << c)) {
                int w = snprintf(buf + len, cap - len, "%s%s", len ? "," : "",
                                 ps_category_name(c));
                if (w > 0)
                    len += (size_t)w;
            }
        if (!len)
            snprintf(buf, cap, "none");
        return buf;
    }
    default: return "?";
    }
}

const char *ps_fix_text(const ps_model *m, const ps_fix *f, char *buf, size_t cap)
{
    char t[512], v[512];
    const char *who = f->user < m->nusers ? m->users[f->user].name : "platform";
    const char *item = f->item < m->nitems ? m->items[f->item].name : "?";
    switch ((ps_fix_kind)f->kind) {
    case PS_FIX_SET_AUDIENCE:
        snprintf(buf, cap, "%s: set %s audience=%s", who, item, ps_terms_text(m, &f->terms, t, sizeof t));
        break;
    case PS_FIX_HIDE:
        snprintf(buf, cap, "%s: set %s hide=%s", who, item, ps_terms_text(m, &f->terms, t, sizeof t));
        break;
    case PS_FIX_TAG_FRIENDS:
        snprintf(buf, cap, "%s: %s tag-friends=off", who, item);
        break;
    case PS_FIX_TAG_REVIEW: {
        /* several people at once: the users in `terms` turn it on too */
        size_t len = (size_t)snprintf(buf, cap, "%s", who);
        for (uint32_t i = 0; i < f->terms.n && len < cap; i++) {
            uint32_t u = f->terms.v[i].ref;
            len += (size_t)snprintf(buf + len, cap - len, "%s%s",
                                    i + 1 == f->terms.n ? " and " : ", ",
                                    u < m->nusers ? m->users[u].name : "?");
        }
        if (len < cap)
            snprintf(buf + len, cap - len, ": tag-review=on");
        break;
    }
    case PS_FIX_UNTAG:
        snprintf(buf, cap, "%s: untag %s %s", who, item,
                 f->user2 < m->nusers ? m->users[f->user2].name : "?");
        break;
    case PS_FIX_APPS_CATEGORY:
        snprintf(buf, cap, "%s: apps-through-friends without %s", who,
                 ps_category_name(f->cat) ? ps_category_name(f->cat) : "?");
        break;
    case PS_FIX_FRIENDLIST:
        snprintf(buf, cap, "%s: set %s.friendlist audience=only-me", who, who);
        break;
    case PS_FIX_UNSHARE:
        snprintf(buf, cap, "%s: do not share %s (step %u)", who, item, (unsigned)f->step + 1);
        break;
    case PS_FIX_NO_INTERACTION:
        snprintf(buf, cap, "%s: do not comment on or like %s", who, item);
        break;
    case PS_FIX_UNINSTALL:
        snprintf(buf, cap, "%s: remove app %s", who,
                 f->app < m->napps ? m->apps[f->app].name : "?");
        break;
    case PS_FIX_RULE:
        snprintf(buf, cap, "platform: rule %s = %s", ps_rule_name((ps_rule_id)f->rule),
                 rule_value_text(f, m, v, sizeof v));
        break;
    default:
        snprintf(buf, cap, "?");
    }
    return buf;
}

/* ---------------------------------------------------------------------------------------
 * Applying
 * ------------------------------------------------------------------------------------- */

static void delete_step(ps_model *m, uint32_t k)
{
    ps_step_free(&m->steps[k]);
    memmove(m->steps + k, m->steps + k + 1, (size_t)(m->nsteps - k - 1) * sizeof *m->steps);
    m->nsteps--;
}

/* Gives the item its own audience (a copy of the default) so that it can be changed. */
static int own_audience(ps_model *m, ps_item *it)
{
    if (it->has_audience)
        return 0;
    ps_audience def = ps_item_audience(m, it);
    ps_terms t;
    if (ps_terms_copy(&t, &def.allow))
        return -1;
    ps_terms_free(&it->audience.allow);  /* a `hide=` given alone is kept */
    it->audience.allow = t;
    it->has_audience = true;
    return 0;
}

int ps_fix_apply(ps_model *m, const ps_fix *f)
{
    ps_item *it = f->item < m->nitems ? &m->items[f->item] : NULL;
    switch ((ps_fix_kind)f->kind) {
    case PS_FIX_SET_AUDIENCE: {
        if (!it)
            return 0;
        ps_terms t;
        if (ps_terms_copy(&t, &f->terms))
            return -1;
        ps_terms_free(&it->audience.allow);
        it->audience.allow = t;
        it->has_audience = true;
        return 0;
    }
    case PS_FIX_HIDE:
        if (!it)
            return 0;
        if (own_audience(m, it))
            return -1;
        for (uint32_t i = 0; i < f->terms.n; i++)
            if (ps_terms_push(&it->audience.hide, (ps_term_kind)f->terms.v[i].kind,
                              f->terms.v[i].ref))
                return -1;
        return 0;
    case PS_FIX_TAG_FRIENDS:
        if (it)
            it->tag_friends = PS_OFF;
        return 0;
    case PS_FIX_TAG_REVIEW:
        if (f->user < m->nusers)
            m->users[f->user].tag_review = PS_ON;
        for (uint32_t i = 0; i < f->terms.n; i++)
            if (f->terms.v[i].kind == PS_TERM_USER && f->terms.v[i].ref < m->nusers)
                m->users[f->terms.v[i].ref].tag_review = PS_ON;
        return 0;
    case PS_FIX_UNTAG:
        if (!it)
            return 0;
        for (uint32_t j = 0; j < it->ntags; j++)
            if (it->tags[j].user == f->user2)
                it->tags[j].removed = true;
        for (uint32_t k = 0; k < m->nsteps; k++) {
            ps_step *s = &m->steps[k];
            if (s->kind != PS_STEP_TAG || s->item != f->item)
                continue;
            uint32_t w = 0;
            for (uint32_t i = 0; i < s->nusers; i++)
                if (s->users[i] != f->user2)
                    s->users[w++] = s->users[i];
            s->nusers = w;
            if (!w)
                delete_step(m, k--);
        }
        return 0;
    case PS_FIX_APPS_CATEGORY:
        if (f->user < m->nusers) {
            uint32_t cats = ps_user_apps_cats(m, f->user);
            m->users[f->user].has_apps_cats = true;
            m->users[f->user].apps_cats = cats & ~(1u << f->cat);
        }
        return 0;
    case PS_FIX_FRIENDLIST: {
        if (f->user >= m->nusers)
            return 0;
        uint32_t fl = ps_model_field_item(m, f->user, PS_F_FRIENDLIST);
        if (fl == PS_NONE)
            return -1;
        ps_item *x = &m->items[fl];
        ps_audience_free(&x->audience);
        if (ps_terms_push(&x->audience.allow, PS_TERM_ONLY_ME, PS_NONE))
            return -1;
        x->has_audience = true;
        return 0;
    }
    case PS_FIX_UNSHARE:
        for (uint32_t k = 0; k < m->nsteps; k++)
            if (m->steps[k].kind == PS_STEP_SHARE && m->steps[k].actor == f->user &&
                m->steps[k].item == f->item)
                delete_step(m, k--);
        return 0;
    case PS_FIX_NO_INTERACTION:
        for (uint32_t k = 0; k < m->nsteps; k++)
            if ((m->steps[k].kind == PS_STEP_COMMENT || m->steps[k].kind == PS_STEP_LIKE) &&
                m->steps[k].actor == f->user && m->steps[k].item == f->item)
                delete_step(m, k--);
        return 0;
    case PS_FIX_UNINSTALL:
        if (f->app < m->napps) {
            ps_app *a = &m->apps[f->app];
            uint32_t w = 0;
            for (uint32_t i = 0; i < a->ninstallers; i++)
                if (a->installers[i] != f->user)
                    a->installers[w++] = a->installers[i];
            a->ninstallers = w;
            for (uint32_t k = 0; k < m->nsteps; k++)
                if (m->steps[k].kind == PS_STEP_INSTALL && m->steps[k].actor == f->user &&
                    m->steps[k].other == f->app)
                    delete_step(m, k--);
        }
        return 0;
    case PS_FIX_RULE:
        switch ((ps_rule_id)f->rule) {
        case PS_RULE_TAG_EXTENDS: m->rules.tag_extends = f->rule_value; break;
        case PS_RULE_RESHARE: m->rules.reshare = f->rule_value; break;
        case PS_RULE_APPS_THROUGH_FRIENDS: m->rules.apps_through_friends = f->rule_value; break;
        case PS_RULE_FRIENDSHIP_VISIBILITY: m->rules.friendship_visibility = f->rule_value; break;
        case PS_RULE_INTERACTION_EXTENDS: m->rules.interaction_extends = f->rule_value; break;
        case PS_RULE_FORCED_PUBLIC: case PS_RULE_FORCED_EVERYONE: case PS_RULE_FORCED_EXTERNAL:
            *ps_rule_fields(&m->rules, (ps_rule_id)f->rule) &= ~(1u << f->rule_value);
            break;
        case PS_RULE_SEARCH_LISTING: m->rules.search_listing = f->rule_value; break;
        default: break;
        }
        return 0;
    default:
        return 0;
    }
}

/* ---------------------------------------------------------------------------------------
 * Candidates
 * ------------------------------------------------------------------------------------- */

bool ps_fix__same(const ps_fix *g, const ps_fix *f)
{
    return g->kind == f->kind && g->user == f->user && g->item == f->item &&
           g->user2 == f->user2 && g->step == f->step && g->app == f->app && g->cat == f->cat &&
           g->rule == f->rule && g->rule_value == f->rule_value &&
           ps_terms_equal(&g->terms, &f->terms);
}

static int push_fix(fix_list *l, ps_fix f)
{
    /* one candidate of each kind and target */
    for (uint32_t i = 0; i < l->n; i++)
        if (ps_fix__same(&l->v[i], &f)) {
            ps_fix_free(&f);
            return 0;
        }
    if (ps_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v)) {
        ps_fix_free(&f);
        return -1;
    }
    l->v[l->n++] = f;
    return 0;
}

void ps_fix_list_free(fix_list *l)
{
    for (uint32_t i = 0; i < l->n; i++)
        ps_fix_free(&l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

static int rule_fix(fix_list *l, ps_rule_id rule, uint8_t value)
{
    ps_fix f = fix_new(PS_FIX_RULE, PS_NONE, PS_NONE);
    f.rule = (uint8_t)rule;
    f.rule_value = value;
    return push_fix(l, f);
}

/* The owner hides the item from user u (so that u cannot pass it on). */
static int hide_from(fix_list *out, const ps_item *it, uint32_t item, uint32_t u)
{
    if (it->group != PS_NONE || u == it->owner)
        return 0;
    ps_fix h = fix_new(PS_FIX_HIDE, it->owner, item);
    if (ps_terms_push(&h.terms, PS_TERM_USER, u))
        return -1;
    return push_fix(out, h);
}

int ps_fix__candidates(const ps_model *m, const ps_path *p, uint32_t nexposed_of_item,
                       fix_list *out)
{
    const ps_item *it = &m->items[p->item];
    uint32_t O = it->owner;
    int r = 0;

    /* the owner's own settings */
    if (it->group == PS_NONE) {
        if (it->persona != PS_NONE && m->personas[it->persona].owner == O) {
            const ps_persona *pe = &m->personas[it->persona];
            ps_fix f = fix_new(PS_FIX_SET_AUDIENCE, O, p->item);
            if (ps_terms_copy(&f.terms, &pe->audience))
                return -1;
            ps_audience cur = ps_item_audience(m, it);
            if (!ps_terms_equal(&cur.allow, &pe->audience))
                r |= push_fix(out, f);
            else
                ps_fix_free(&f);
            if (pe->forbid.n) {
                ps_fix h = fix_new(PS_FIX_HIDE, O, p->item);
                if (ps_terms_copy(&h.terms, &pe->forbid))
                    return -1;
                r |= push_fix(out, h);
            }
        }
        if (p->viewer < m->nusers && nexposed_of_item <= 8) {
            ps_fix h = fix_new(PS_FIX_HIDE, O, p->item);
            if (ps_terms_push(&h.terms, PS_TERM_USER, p->viewer))
                return -1;
            r |= push_fix(out, h);
        }
    }

    for (uint32_t i = 0; i < p->nlinks; i++) {
        const ps_grant *g = &p->links[i].grant;
        ps_fix f;
        switch ((ps_via)g->via) {
        case PS_VIA_TAG: {
            uint32_t T = g->through;
            bool approved = false;
            for (uint32_t k = 0; k < it->ntags; k++)
                if (it->tags[k].user == T)
                    approved = it->tags[k].approved;
            if (!approved) {
                r |= push_fix(out, fix_new(PS_FIX_TAG_REVIEW, T, PS_NONE));
            }
            f = fix_new(PS_FIX_UNTAG, T, p->item);
            f.user2 = T;
            r |= push_fix(out, f);
            if (g->term && it->group == PS_NONE)  /* the owner no longer lets friends of T in */
                r |= push_fix(out, fix_new(PS_FIX_TAG_FRIENDS, O, p->item));
            r |= rule_fix(out, PS_RULE_TAG_EXTENDS, g->term ? PS_TAG_TAGGED : PS_TAG_NONE);
            break;
        }
        case PS_VIA_INTERACTION:
            r |= hide_from(out, it, p->item, g->through);
            f = fix_new(PS_FIX_NO_INTERACTION, g->through, p->item);
            f.step = g->ref;
            r |= push_fix(out, f);
            r |= rule_fix(out, PS_RULE_INTERACTION_EXTENDS, PS_IX_NONE);
            break;
        case PS_VIA_SHARE:
            r |= hide_from(out, it, p->item, g->through);
            f = fix_new(PS_FIX_UNSHARE, g->through, p->item);
            f.step = g->ref;
            r |= push_fix(out, f);
            r |= rule_fix(out, PS_RULE_RESHARE, PS_RESHARE_NONE);
            break;
        case PS_VIA_APP:
            if (g->through != PS_NONE && g->through != O) {
                f = fix_new(PS_FIX_APPS_CATEGORY, O, PS_NONE);
                f.cat = (uint8_t)ps_item_category(it);
                r |= push_fix(out, f);
            }
            if (g->through != PS_NONE) {
                f = fix_new(PS_FIX_UNINSTALL, g->through, PS_NONE);
                f.app = g->ref;
                r |= push_fix(out, f);
            }
            if (g->through != O)
                r |= rule_fix(out, PS_RULE_APPS_THROUGH_FRIENDS, 0);
            break;
        case PS_VIA_FORCED:
            if (g->term == PS_FORCED_SEARCH_LISTING)
                r |= rule_fix(out, PS_RULE_SEARCH_LISTING, 0);
            else
                r |= rule_fix(out, g->term == PS_FORCED_EVERYONE ? PS_RULE_FORCED_EVERYONE
                                   : g->term == PS_FORCED_EXTERNAL ? PS_RULE_FORCED_EXTERNAL
                                                                   : PS_RULE_FORCED_PUBLIC,
                              it->field);
            break;
        case PS_VIA_FRIENDSHIP:
            r |= push_fix(out, fix_new(PS_FIX_FRIENDLIST, g->through, PS_NONE));
            r |= rule_fix(out, PS_RULE_FRIENDSHIP_VISIBILITY, PS_FV_OWN_SETTING);
            break;
        default:
            break;
        }
    }
    if (!r) /* whose result each candidate is read for (fix_replay.c) */
        ps_fix__note_proposals(m, p->item, p->viewer, out);
    return r ? -1 : 0;
}

/* ---------------------------------------------------------------------------------------
 * Verification
 * ------------------------------------------------------------------------------------- */

int ps_fix__cumulative(const ps_model *m, uint32_t item, uint64_t *bits)
{
    ps_engine *e = ps_engine_new(m);
    if (!e)
        return -1;
    ps_bits_zero(bits, ps_nviewers(m));
    int rc = 0;
    for (;;) {
        if (ps_engine_eval(e, item)) {
            rc = -1;
            break;
        }
        for (uint32_t i = 0; i < e->ntouched; i++)
            ps_bits_set(bits, e->touched[i]);
        int r = ps_engine_step(e, NULL);
        if (r <= 0) {
            rc = r;
            break;
        }
    }
    ps_engine_free(e);
    return rc;
}

static int save_item(ps_model *m, ps_fix_undo *u, uint32_t item)
{
    ps_item *it = &m->items[item];
    u->item = item;
    u->has_audience = it->has_audience;
    u->tag_friends = it->tag_friends;
    u->ntags = it->ntags;
    u->tags = NULL;
    if (ps_audience_copy(&u->audience, &it->audience))
        return -1;
    if (it->ntags) {
        u->tags = malloc((size_t)it->ntags * sizeof *u->tags);
        if (!u->tags)
            return -1;
        memcpy(u->tags, it->tags, (size_t)it->ntags * sizeof *u->tags);
    }
    return 0;
}

bool ps_fix__undoable(const ps_model *m, const ps_fix *f)
{
    /* these remove timeline steps, which are not saved */
    bool steps = f->kind == PS_FIX_UNSHARE || f->kind == PS_FIX_NO_INTERACTION ||
                 f->kind == PS_FIX_UNTAG;
    return !steps || !m->nsteps;
}

int ps_fix__save(ps_model *m, const ps_fix *f, ps_fix_undo *u)
{
    memset(u, 0, sizeof *u);
    u->item = u->user = u->app = PS_NONE;
    u->rules = m->rules;
    switch ((ps_fix_kind)f->kind) {
    case PS_FIX_SET_AUDIENCE: case PS_FIX_HIDE: case PS_FIX_UNTAG: case PS_FIX_TAG_FRIENDS:
        return f->item < m->nitems ? save_item(m, u, f->item) : 0;
    case PS_FIX_FRIENDLIST: {
        if (f->user >= m->nusers)
            return 0;
        uint32_t fl = ps_model_field_item(m, f->user, PS_F_FRIENDLIST);
        return fl == PS_NONE ? -1 : save_item(m, u, fl);
    }
    case PS_FIX_TAG_REVIEW:
        /* a tag review by several people: the others' settings too */
        if (f->terms.n) {
            u->others = malloc(f->terms.n * sizeof *u->others);
            if (!u->others)
                return -1;
            u->nothers = f->terms.n;
            for (uint32_t i = 0; i < f->terms.n; i++)
                u->others[i] = f->terms.v[i].ref < m->nusers
                                   ? m->users[f->terms.v[i].ref].tag_review : 0;
        }
        __attribute__((fallthrough));
    case PS_FIX_APPS_CATEGORY:
        if (f->user < m->nusers) {
            u->user = f->user;
            u->user_saved = m->users[f->user];
        }
        return 0;
    case PS_FIX_UNINSTALL:
        if (f->app < m->napps) {
            u->app = f->app;
            u->ninstallers = m->apps[f->app].ninstallers;
            if (u->ninstallers) {
                u->installers = malloc((size_t)u->ninstallers * sizeof *u->installers);
                if (!u->installers)
                    return -1;
                memcpy(u->installers, m->apps[f->app].installers,
                       (size_t)u->ninstallers * sizeof *u->installers);
            }
        }
        return 0;
    default:
        return 0;
    }
}

void ps_fix__restore(ps_model *m, const ps_fix *f, ps_fix_undo *u)
{
    if (u->item != PS_NONE) {
        ps_item *it = &m->items[u->item];
        ps_audience_free(&it->audience);
        it->audience = u->audience;
        it->has_audience = u->has_audience;
        it->tag_friends = u->tag_friends;
        free(it->tags);
        it->tags = u->tags;
        it->ntags = u->ntags;
    }
    for (uint32_t i = 0; i < u->nothers; i++)
        if (f->terms.v[i].ref < m->nusers)
            m->users[f->terms.v[i].ref].tag_review = u->others[i];
    free(u->others);
    if (u->user != PS_NONE)
        m->users[u->user] = u->user_saved;
    if (u->app != PS_NONE) {
        ps_app *a = &m->apps[u->app];
        memcpy(a->installers, u->installers, (size_t)u->ninstallers * sizeof *u->installers);
        a->ninstallers = u->ninstallers;
        free(u->installers);
    }
    m->rules = u->rules;
    memset(u, 0, sizeof *u);
    u->item = u->user = u->app = PS_NONE;
}

int ps_fix__verify_in_place(ps_engine *e, const ps_fix *f, uint32_t item, uint64_t *bits)
{
    ps_model *m = e->m;
    ps_fix_undo u;
    if (m->nsteps || e->pos || !ps_fix__undoable(m, f))
        return -1; /* only a model without a timeline can be changed in place */
    int rc = ps_fix__save(m, f, &u);
    if (!rc)
        rc = ps_fix_apply(m, f);
    if (!rc) {
        ps_engine_model_changed(e);
        rc = ps_engine_eval(e, item);
        ps_bits_zero(bits, e->nviewers);
        for (uint32_t i = 0; !rc && i < e->ntouched; i++)
            ps_bits_set(bits, e->touched[i]);
    }
    ps_fix__restore(m, f, &u);
    ps_engine_model_changed(e);
    return rc;
}
