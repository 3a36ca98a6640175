/* describe.c - leak paths in words (see describe.h). */
#include "describe.h"

#include <stdio.h>
#include <string.h>

static const char *uname(const ps_model *m, uint32_t u)
{
    return u < m->nusers ? m->users[u].name : "?";
}

const char *ps_item_kind_name(ps_item_kind k)
{
    return k == PS_ITEM_POST ? "post" : k == PS_ITEM_PHOTO ? "photo" : "field";
}

const char *ps_item_text(const ps_model *m, uint32_t item, char *buf, size_t cap)
{
    const ps_item *it = &m->items[item];
    char persona[300] = "";
    if (it->persona != PS_NONE && it->persona < m->npersonas)
        snprintf(persona, sizeof persona, " (persona %s.%s)",
                 uname(m, m->personas[it->persona].owner), m->personas[it->persona].name);
    if (it->kind == PS_ITEM_FIELD)
        snprintf(buf, cap, "%s's %s%s", uname(m, it->owner), ps_category_name(it->field), persona);
    else
        snprintf(buf, cap, "%s %s by %s%s", ps_item_kind_name((ps_item_kind)it->kind), it->name,
                 uname(m, it->owner), persona);
    return buf;
}

static const char *term_phrase(const ps_model *m, uint8_t kind, uint32_t ref, char *buf,
                               size_t cap)
{
    ps_term t = { kind, ref };
    ps_terms ts = { &t, 1 };
    return ps_terms_text(m, &ts, buf, cap);
}

const char *ps_link_text(const ps_model *m, const ps_path *p, uint32_t i, char *buf, size_t cap)
{
    const ps_link *l = &p->links[i];
    const ps_grant *g = &l->grant;
    const ps_item *it = &m->items[p->item];
    char v[256], t[256];
    ps_viewer_name(m, l->viewer, v, sizeof v);
    const char *name = it->name;
    switch ((ps_via)g->via) {
    case PS_VIA_OWNER:
        snprintf(buf, cap, "%s owns %s", v, name);
        break;
    case PS_VIA_AUDIENCE:
        if (g->term == PS_TERM_FOF && g->through != PS_NONE)
            snprintf(buf, cap, "%s is a friend of %s, a friend of %s; %s's audience is fof", v,
                     uname(m, g->through), uname(m, it->owner), name);
        else if (g->term == PS_TERM_EXTENDED_CIRCLES && g->through != PS_NONE)
            snprintf(buf, cap, "%s is in a circle of %s, who is in a circle of %s; %s's "
                     "audience is extended-circles", v, uname(m, g->through),
                     uname(m, it->owner), name);
        else
            snprintf(buf, cap, "%s is in %s's audience (%s)", v, name,
                     term_phrase(m, g->term, g->ref, t, sizeof t));
        break;
    case PS_VIA_TAG:
        if (g->term)
            snprintf(buf, cap, "%s is a friend of %s, who is tagged in %s", v,
                     uname(m, g->through), name);
        else
            snprintf(buf, cap, "%s is tagged in %s", v, name);
        break;
    case PS_VIA_INTERACTION:
        snprintf(buf, cap, "%s is a friend of %s, who commented on or liked %s", v,
                 uname(m, g->through), name);
        break;
    case PS_VIA_SHARE:
        snprintf(buf, cap, "%s shared %s (step %u) with %s, which includes %s",
                 uname(m, g->through), name, (unsigned)g->ref + 1,
                 ps_term_kind_name((ps_term_kind)g->term), v);
        break;
    case PS_VIA_GROUP:
        snprintf(buf, cap, "%s was posted in the %s group %s, which %s reaches", name,
                 g->ref < m->ngroups ? (m->groups[g->ref].kind == PS_GROUP_OPEN ? "open"
                                        : m->groups[g->ref].kind == PS_GROUP_CLOSED ? "closed"
                                                                                : "secret")
                                     : "?",
                 g->ref < m->ngroups ? m->groups[g->ref].name : "?", v);
        break;
    case PS_VIA_FORCED:
        if (g->term == PS_FORCED_EVERYONE)
            snprintf(buf, cap, "the platform shows every %s to every user, so %s sees it",
                     ps_category_name(it->field), v);
        else if (g->term == PS_FORCED_EXTERNAL)
            snprintf(buf, cap, "the platform shows every %s outside it, so %s sees it",
                     ps_category_name(it->field), v);
        else if (g->term == PS_FORCED_SEARCH_LISTING)
            snprintf(buf, cap, "%s's %s is in the public search listing, so %s sees it",
                     uname(m, it->owner), ps_category_name(it->field), v);
        else
            snprintf(buf, cap, "the platform makes every %s public, so %s sees it",
                     ps_category_name(it->field), v);
        break;
    case PS_VIA_FRIENDSHIP:
        snprintf(buf, cap, "%s sees %s's friend list (%s), which shows the friendship %s-%s", v,
                 uname(m, g->through), ps_term_kind_name((ps_term_kind)g->term),
                 uname(m, g->through), uname(m, it->owner));
        break;
    case PS_VIA_APP:
        if (g->through == PS_NONE && g->term == PS_APP_PARTNER)
            snprintf(buf, cap, "%s is an instant-personalization partner and reads %s, whose "
                     "audience includes every user", v, name);
        else if (g->through == PS_NONE)
            snprintf(buf, cap, "%s reads what the internet sees", v);
        else if (g->through == it->owner)
            snprintf(buf, cap, "%s was installed by %s and reads %s's own items", v,
                     uname(m, g->through), uname(m, g->through));
        else
            snprintf(buf, cap, "%s, installed by %s, reads what %s sees of %s", v,
                     uname(m, g->through), uname(m, g->through), uname(m, it->owner));
        break;
    default:
        snprintf(buf, cap, "%s sees %s", v, name);
    }
    return buf;
}

const char *ps_link_basis(const ps_model *m, const ps_path *p, uint32_t i, char *buf,
                          size_t cap)
{
    const ps_grant *g = &p->links[i].grant;
    const ps_item *it = &m->items[p->item];
    const ps_rules *r = &m->rules;
    buf[0] = 0;
    switch ((ps_via)g->via) {
    case PS_VIA_AUDIENCE: {
        char t[512];
        ps_audience a = ps_item_audience(m, it);
        if (it->has_audience)
            snprintf(buf, cap, "%s set %s's audience to %s", uname(m, it->owner), it->name,
                     ps_terms_text(m, &a.allow, t, sizeof t));
        else
            snprintf(buf, cap, "%s has the platform's default audience, %s", it->name,
                     ps_terms_text(m, &a.allow, t, sizeof t));
        break;
    }
    case PS_VIA_TAG: {
        const char *ext = r->tag_extends == PS_TAG_OWNER_CHOICE ? "owner-choice"
                          : r->tag_extends == PS_TAG_TAGGED_FRIENDS ? "tagged-friends"
                          : r->tag_extends == PS_TAG_TAGGED ? "tagged" : "none";
        bool approved = false;
        for (uint32_t k = 0; k < it->ntags; k++)
            if (it->tags[k].user == g->through)
                approved = it->tags[k].approved;
        snprintf(buf, cap, "rule tag-extends = %s%s; %s: %s", ext,
                 g->term && it->tag_friends == PS_ON ? "; the owner allows friends of tagged" : "",
                 uname(m, g->through),
                 approved ? "approved the tag"
                 : ps_user_tag_review(m, g->through) ? "tag-review=on" : "tag-review=off");
        break;
    }
    case PS_VIA_INTERACTION:
        snprintf(buf, cap, "rule interaction-extends = commenter-friends");
        break;
    case PS_VIA_SHARE:
        snprintf(buf, cap, "rule reshare = %s%s",
                 r->reshare == PS_RESHARE_VISIBLE ? "visible"
                 : r->reshare == PS_RESHARE_CAPPED ? "capped"
                 : r->reshare == PS_RESHARE_PUBLIC_ONLY ? "public-only" : "none",
                 r->reshare == PS_RESHARE_CAPPED ? "; a link widens" : "");
        break;
    case PS_VIA_GROUP:
        snprintf(buf, cap, "group %s is %s", g->ref < m->ngroups ? m->groups[g->ref].name : "?",
                 g->ref < m->ngroups ? (m->groups[g->ref].kind == PS_GROUP_OPEN ? "open"
                                        : m->groups[g->ref].kind == PS_GROUP_CLOSED ? "closed"
                                                                                : "secret")
                                     : "?");
        break;
    case PS_VIA_FORCED:
        if (g->term == PS_FORCED_SEARCH_LISTING)
            snprintf(buf, cap, "rule search-listing = on; %s: search-listing=on",
                     uname(m, it->owner));
        else
            snprintf(buf, cap, "rule %s includes %s",
                     g->term == PS_FORCED_EVERYONE ? "forced-everyone"
                     : g->term == PS_FORCED_EXTERNAL ? "forced-external" : "forced-public",
                     ps_category_name(it->field));
        break;
    case PS_VIA_FRIENDSHIP:
        snprintf(buf, cap, "rule friendship-visibility = both-ends; %s: friendlist audience",
                 uname(m, g->through));
        break;
    case PS_VIA_APP:
        if (g->through != PS_NONE && g->through != it->owner)
            snprintf(buf, cap, "rule apps-through-friends = on; %s: apps-through-friends includes %s",
                     uname(m, it->owner), ps_category_name(ps_item_category(it)));
        else if (g->through == PS_NONE && g->term == PS_APP_PARTNER)
            snprintf(buf, cap, "rule instant-personalization = on; the app is a partner");
        else if (g->through == PS_NONE)
            snprintf(buf, cap, "apps read public information");
        else
            snprintf(buf, cap, "%s installed the app", uname(m, g->through));
        break;
    default:
        break;
    }
    return buf;
}

const char *ps_link_label(const ps_model *m, const ps_path *p, uint32_t i, char *buf,
                          size_t cap)
{
    const ps_grant *g = &p->links[i].grant;
    char t[256];
    switch ((ps_via)g->via) {
    case PS_VIA_AUDIENCE:
    case PS_VIA_SHARE:
    case PS_VIA_FRIENDSHIP:
        snprintf(buf, cap, "%s (%s)", ps_via_name((ps_via)g->via),
                 g->via == PS_VIA_AUDIENCE ? term_phrase(m, g->term, g->ref, t, sizeof t)
                                           : ps_term_kind_name((ps_term_kind)g->term));
        break;
    case PS_VIA_TAG:
        snprintf(buf, cap, "tag (%s)", g->term ? "friend of tagged" : "tagged");
        break;
    case PS_VIA_FORCED:
        snprintf(buf, cap, "%s", g->term == PS_FORCED_EVERYONE ? "forced-everyone"
                                 : g->term == PS_FORCED_EXTERNAL ? "forced-external"
                                 : g->term == PS_FORCED_SEARCH_LISTING ? "search listing"
                                                                      : "forced-public");
        break;
    default:
        snprintf(buf, cap, "%s", ps_via_name((ps_via)g->via));
    }
    return buf;
}
