/* anchor.c - the statement behind an exposure (see anchor.h). */
#include "anchor.h"

#include <string.h>

/* The last step before `limit` of kind `kind` (or of either kind when kind2 is not
 * PS_NSTEPKINDS) by `actor` on `item` (PS_NONE: any), or -1. */
static long last_step(const ps_model *m, uint32_t limit, int kind, int kind2, uint32_t actor,
                      uint32_t item, uint32_t other)
{
    for (uint32_t k = limit < m->nsteps ? limit : m->nsteps; k-- > 0;) {
        const ps_step *s = &m->steps[k];
        if (s->kind != kind && s->kind != kind2)
            continue;
        if (actor != PS_NONE && s->actor != actor)
            continue;
        if (item != PS_NONE && s->item != item)
            continue;
        if (other != PS_NONE && s->other != other)
            continue;
        return (long)k;
    }
    return -1;
}

/* The last tag step before `limit` that tags `user` on `item`, or -1. */
static long last_tag(const ps_model *m, uint32_t limit, uint32_t item, uint32_t user)
{
    for (uint32_t k = limit < m->nsteps ? limit : m->nsteps; k-- > 0;) {
        const ps_step *s = &m->steps[k];
        if (s->kind != PS_STEP_TAG || s->item != item)
            continue;
        for (uint32_t i = 0; i < s->nusers; i++)
            if (s->users[i] == user)
                return (long)k;
    }
    return -1;
}

/* The last `set` step before `limit` by `user` that changes a setting of `kind`, or -1. */
static long last_setting(const ps_model *m, uint32_t limit, uint32_t user, int kind)
{
    for (uint32_t k = limit < m->nsteps ? limit : m->nsteps; k-- > 0;) {
        const ps_step *s = &m->steps[k];
        if (s->kind != PS_STEP_SET || s->actor != user)
            continue;
        for (uint32_t i = 0; i < s->nsettings; i++)
            if (s->settings[i].kind == kind)
                return (long)k;
    }
    return -1;
}

static const char *uname(const ps_model *m, uint32_t u)
{
    return u < m->nusers ? m->users[u].name : "?";
}

/* The statement behind link `l`, or loc.line 0 when it has none of its own. */
static ps_anchor_line link_line(const ps_model *m, const ps_exposure *x, const ps_link *l)
{
    ps_anchor_line a;
    memset(&a, 0, sizeof a);
    const ps_grant *g = &l->grant;
    const ps_item *it = &m->items[x->item];
    uint32_t limit = x->first_step; /* steps 0 .. first_step-1 had been applied */
    long k = -1;
    switch ((ps_via)g->via) {
    case PS_VIA_SHARE:
        if (g->ref < m->nsteps) {
            a.loc = m->steps[g->ref].loc;
            snprintf(a.what, sizeof a.what, "%s shares the item", uname(m, g->through));
        }
        break;
    case PS_VIA_TAG:
        /* the tag is live because its user's tag review is off: that setting, if written */
        k = last_setting(m, limit, g->through, PS_SET_TAG_REVIEW);
        if (k >= 0 && m->steps[k].loc.line) {
            a.loc = m->steps[k].loc;
            snprintf(a.what, sizeof a.what, "%s turns tag review off", uname(m, g->through));
            break;
        }
        if (g->through < m->nusers && m->users[g->through].tag_review == PS_OFF &&
            m->users[g->through].tag_review_loc.line) {
            a.loc = m->users[g->through].tag_review_loc;
            snprintf(a.what, sizeof a.what, "%s's tag review is off", uname(m, g->through));
            break;
        }
        k = last_tag(m, limit, x->item, g->through);
        if (k >= 0) {
            a.loc = m->steps[k].loc;
            snprintf(a.what, sizeof a.what, "the tag of %s", uname(m, g->through));
        }
        break;
    case PS_VIA_INTERACTION:
        k = last_step(m, limit, PS_STEP_COMMENT, PS_STEP_LIKE, g->through, x->item, PS_NONE);
        if (k >= 0) {
            a.loc = m->steps[k].loc;
            snprintf(a.what, sizeof a.what, "%s interacts with the item", uname(m, g->through));
        }
        break;
    case PS_VIA_APP:
        /* what the owner lets through friends' apps, if a set line says it */
        k = last_setting(m, limit, it->owner, PS_SET_APPS_CATS);
        if (g->through != PS_NONE && g->through != it->owner && k >= 0) {
            a.loc = m->steps[k].loc;
            snprintf(a.what, sizeof a.what, "what %s lets through friends' apps",
                     uname(m, it->owner));
            break;
        }
        if (g->through != PS_NONE && g->through != it->owner && m->users[it->owner].apps_loc.line) {
            a.loc = m->users[it->owner].apps_loc;
            snprintf(a.what, sizeof a.what, "what %s lets through friends' apps",
                     uname(m, it->owner));
            break;
        }
        k = -1;
        if (g->through != PS_NONE)
            k = last_step(m, limit, PS_STEP_INSTALL, PS_NSTEPKINDS, g->through, PS_NONE, g->ref);
        if (k >= 0)
            a.loc = m->steps[k].loc;
        else if (g->ref < m->napps)
            a.loc = m->apps[g->ref].loc;
        snprintf(a.what, sizeof a.what, "app %s%s%s", g->ref < m->napps ? m->apps[g->ref].name : "?",
                 g->through != PS_NONE ? ", installed by " : "",
                 g->through != PS_NONE ? uname(m, g->through) : "");
        break;
    case PS_VIA_FORCED:
        a.loc = (m->rules_set >> PS_RULE_FORCED_PUBLIC) & 1 ? m->rule_locs[PS_RULE_FORCED_PUBLIC]
                                                             : m->platform_loc;
        snprintf(a.what, sizeof a.what, "the platform forces the field public");
        break;
    case PS_VIA_FRIENDSHIP:
        if (g->through < m->nusers) {
            char name[512];
            snprintf(name, sizeof name, "%s.friendlist", m->users[g->through].name);
            uint32_t i = ps_model_find(m, PS_NS_ITEM, 0, name, strlen(name));
            if (i != PS_NONE && m->items[i].loc.line)
                a.loc = m->items[i].loc;
        }
        if (!a.loc.line && ((m->rules_set >> PS_RULE_FRIENDSHIP_VISIBILITY) & 1))
            a.loc = m->rule_locs[PS_RULE_FRIENDSHIP_VISIBILITY];
        snprintf(a.what, sizeof a.what, "the friend list of %s", uname(m, g->through));
        break;
    case PS_VIA_AUDIENCE:
    case PS_VIA_GROUP:
        a.loc = it->loc;
        snprintf(a.what, sizeof a.what, "the item's audience");
        break;
    default:
        break;
    }
    return a;
}

void ps_anchor_find(const ps_model *m, const ps_exposure *x, ps_anchor *out)
{
    memset(out, 0, sizeof *out);
    const ps_item *it = &m->items[x->item];
    ps_anchor_line item = { it->loc, "" };
    snprintf(item.what, sizeof item.what, "the item %s", it->name);
    out->related[out->nrelated++] = item;
    ps_anchor_line chosen = { { 0, 0 }, "" };
    for (uint32_t i = 0; i < x->path.nlinks && i < PS_PATH_MAX; i++) {
        ps_anchor_line a = link_line(m, x, &x->path.links[i]);
        if (!a.loc.line)
            continue;
        bool seen = false;
        for (uint32_t r = 0; r < out->nrelated && !seen; r++)
            seen = out->related[r].loc.line == a.loc.line;
        if (!seen && out->nrelated < PS_PATH_MAX + 1)
            out->related[out->nrelated++] = a;
        if (a.loc.line != it->loc.line)
            chosen = a; /* the last link with a line of its own wins */
    }
    if (x->first_step > 0 && x->first_step <= m->nsteps) {
        const ps_step *s = &m->steps[x->first_step - 1];
        out->at.loc = s->loc;
        snprintf(out->at.what, sizeof out->at.what, "step %u, after which the viewer sees it",
                 (unsigned)x->first_step);
    } else if (chosen.loc.line) {
        out->at = chosen;
    } else {
        out->at = item;
    }
    /* the annotated line is not repeated among the related ones */
    uint32_t w = 0;
    for (uint32_t r = 0; r < out->nrelated; r++)
        if (out->related[r].loc.line != out->at.loc.line)
            out->related[w++] = out->related[r];
    out->nrelated = w;
}
