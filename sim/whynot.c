/* whynot.c - the nearest path to a viewer who does not see an item, and its missing link
 * (see whynot.h). */
#include "whynot.h"
#include "fix_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool review_on(const ps_model *m, uint32_t u)
{
    int8_t t = m->users[u].tag_review;
    return t == PS_ON || (t == PS_UNSET && m->rules.tag_review_default);
}

static bool has_step(const ps_model *m, uint32_t item, ps_step_kind a, ps_step_kind b)
{
    for (uint32_t k = 0; k < m->nsteps; k++)
        if ((m->steps[k].kind == a || m->steps[k].kind == b) && m->steps[k].item == item)
            return true;
    return false;
}

/* The viewer's derivation at the first state where it sees the item.  0 or -1. */
static int first_path(const ps_model *c, uint32_t item, uint32_t viewer, ps_path *out)
{
    ps_engine *e = ps_engine_new(c);
    int rc = -1;
    if (!e)
        return -1;
    for (;;) {
        if (ps_engine_eval(e, item))
            break;
        if (ps_engine_sees(e, viewer)) {
            rc = ps_engine_path(e, viewer, out);
            break;
        }
        if (ps_engine_step(e, NULL) <= 0)
            break;
    }
    ps_engine_free(e);
    return rc;
}

/* Candidate k, applied to `c` with its words; 0 not applicable, 1 applied, -1 OOM, 2 past
 * the last candidate.  `sub` walks the candidates that come in several (tags, terms). */
static int candidate(ps_model *c, uint32_t item, uint32_t viewer, uint32_t k, uint32_t sub,
                     ps_whynot *w)
{
    ps_item *it = &c->items[item];
    const char *on = it->name, *own = c->users[it->owner].name;
    char t[256], vn[256];
    ps_viewer_name(c, viewer, vn, sizeof vn);
    switch (k) {
    case 0: { /* the owner's hide set */
        ps_audience a = ps_item_audience(c, it);
        if (sub || !a.hide.n || it->group != PS_NONE)
            return 0;
        snprintf(w->missing, sizeof w->missing, "%s hides %s from it (hide=%s)", own, on,
                 ps_terms_text(c, &a.hide, t, sizeof t));
        snprintf(w->change, sizeof w->change, "%s: set %s without hide=%s", own, on, t);
        if (!it->has_audience) {
            ps_fix f = ps_fix__new(PS_FIX_HIDE, it->owner, item);
            if (ps_fix_apply(c, &f)) /* gives the item its own copy of the audience */
                return -1;
        }
        ps_terms_free(&it->audience.hide);
        return 1;
    }
    case 1: { /* a tag waiting for review */
        if (sub >= it->ntags)
            return 0;
        ps_tag *g = &it->tags[sub];
        if (g->removed || g->approved || !review_on(c, g->user))
            return 0;
        const char *tn = c->users[g->user].name;
        snprintf(w->missing, sizeof w->missing, "%s's tag in %s waits for %s's review (tag "
                 "review on, not approved)", tn, on, tn);
        snprintf(w->change, sizeof w->change, "do %s approve-tag %s", tn, on);
        g->approved = true;
        return 1;
    }
    case 2:
        if (sub || !(it->ntags || has_step(c, item, PS_STEP_TAG, PS_STEP_TAG)) ||
            c->rules.tag_extends == PS_TAG_TAGGED_FRIENDS)
            return 0;
        snprintf(w->missing, sizeof w->missing, "the rule tag-extends = %s keeps the tag from "
                 "reaching the tagged person's friends",
                 c->rules.tag_extends == PS_TAG_NONE ? "none" : "tagged");
        snprintf(w->change, sizeof w->change, "rule tag-extends = tagged-friends");
        c->rules.tag_extends = PS_TAG_TAGGED_FRIENDS;
        return 1;
    case 3:
        if (sub || !has_step(c, item, PS_STEP_SHARE, PS_STEP_SHARE) ||
            c->rules.reshare == PS_RESHARE_VISIBLE)
            return 0;
        snprintf(w->missing, sizeof w->missing, "the rule reshare = %s refuses the share of %s",
                 c->rules.reshare == PS_RESHARE_NONE ? "none" : "public-only", on);
        snprintf(w->change, sizeof w->change, "rule reshare = visible");
        c->rules.reshare = PS_RESHARE_VISIBLE;
        return 1;
    case 4:
        if (sub || !has_step(c, item, PS_STEP_COMMENT, PS_STEP_LIKE) ||
            c->rules.interaction_extends == PS_IX_COMMENTER_FRIENDS)
            return 0;
        snprintf(w->missing, sizeof w->missing, "the rule interaction-extends = none keeps a "
                 "comment or like from showing %s to the commenter's friends", on);
        snprintf(w->change, sizeof w->change, "rule interaction-extends = commenter-friends");
        c->rules.interaction_extends = PS_IX_COMMENTER_FRIENDS;
        return 1;
    case 5:
        if (sub || viewer <= c->nusers || c->rules.apps_through_friends)
            return 0;
        snprintf(w->missing, sizeof w->missing, "the rule apps-through-friends = off keeps "
                 "friends' apps from reading %s", on);
        snprintf(w->change, sizeof w->change, "rule apps-through-friends = on");
        c->rules.apps_through_friends = true;
        return 1;
    case 6: {
        unsigned cat = ps_item_category(it);
        uint32_t cats = ps_user_apps_cats(c, it->owner);
        if (sub || viewer <= c->nusers || ((cats >> cat) & 1))
            return 0;
        snprintf(w->missing, sizeof w->missing, "%s does not let %s through friends' apps", own,
                 ps_category_name(cat));
        snprintf(w->change, sizeof w->change, "%s: apps-through-friends with %s", own,
                 ps_category_name(cat));
        c->users[it->owner].has_apps_cats = true;
        c->users[it->owner].apps_cats = cats | (1u << cat);
        return 1;
    }
    case 7: { /* a wider audience: fof, everyone, public */
        static const ps_term_kind wider[] = { PS_TERM_FOF, PS_TERM_EVERYONE, PS_TERM_PUBLIC };
        if (sub >= 3 || it->group != PS_NONE)
            return 0;
        ps_audience a = ps_item_audience(c, it);
        for (uint32_t i = 0; i < a.allow.n; i++)
            if (a.allow.v[i].kind == wider[sub])
                return 0;
        ps_fix f = ps_fix__new(PS_FIX_SET_AUDIENCE, it->owner, item);
        if (ps_terms_copy(&f.terms, &a.allow) || ps_terms_push(&f.terms, wider[sub], PS_NONE)) {
            ps_terms_free(&f.terms);
            return -1;
        }
        snprintf(w->missing, sizeof w->missing, "%s's audience (%s) does not include %s", on,
                 ps_terms_text(c, &a.allow, t, sizeof t), vn);
        snprintf(w->change, sizeof w->change, "%s: set %s audience=%s", own, on,
                 ps_terms_text(c, &f.terms, t, sizeof t));
        int rc = ps_fix_apply(c, &f);
        ps_terms_free(&f.terms);
        return rc ? -1 : 1;
    }
    case 8: { /* the group of a group post */
        if (sub || it->group == PS_NONE || viewer >= c->nusers)
            return 0;
        ps_group *g = &c->groups[it->group];
        uint32_t *v = realloc(g->members, (g->nmembers + 1) * sizeof *v);
        if (!v)
            return -1;
        g->members = v;
        v[g->nmembers++] = viewer;
        snprintf(w->missing, sizeof w->missing, "%s is not a member of the %s group %s", vn,
                 g->kind == PS_GROUP_CLOSED ? "closed" : "secret", g->name);
        snprintf(w->change, sizeof w->change, "%s joins group %s", vn, g->name);
        return 1;
    }
    default:
        return 2;
    }
}

int ps_whynot_find(const ps_model *m, uint32_t item, uint32_t viewer, ps_whynot *out)
{
    memset(out, 0, sizeof *out);
    for (uint32_t k = 0;; k++) {
        for (uint32_t sub = 0; sub < 64; sub++) {
            ps_model *c = ps_model_clone(m);
            if (!c)
                return -1;
            int r = candidate(c, item, viewer, k, sub, out);
            if (r == 2) {
                ps_model_free(c);
                out->missing[0] = out->change[0] = 0;
                return 0;
            }
            if (r < 0) {
                ps_model_free(c);
                return -1;
            }
            int sees = r ? ps_sees(c, item, viewer, true) : 0;
            if (sees < 0) {
                ps_model_free(c);
                return -1;
            }
            if (sees) {
                out->found = true;
                out->with = c;
                return first_path(c, item, viewer, &out->path);
            }
            ps_model_free(c);
            /* tags (k = 1) and wider terms (k = 7) come in several; the others in one */
            bool more = (k == 1 && sub + 1 < m->items[item].ntags) || (k == 7 && sub < 2);
            if (!more)
                break;
        }
    }
}

void ps_whynot_free(ps_whynot *w)
{
    ps_model_free(w->with);
    w->with = NULL;
}
