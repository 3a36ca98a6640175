/* platform.c - the built-in platform presets and the rules they are made of.
 *
 * A preset is a set of rules (SPEC section 3) plus the default audiences of new users'
 * items.  The presets follow the documented history of Facebook and Google+ (every cell
 * with its source and a confidence mark in doc/platform-sources.md); `strict` is what a
 * privacy-minded platform would choose.  Each preset is written as a small table of strings
 * so that a reader can check it against the history at a glance.
 */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const rule_names[PS_NRULES] = {
    "tag-extends", "tag-review-default", "reshare", "apps-through-friends",
    "apps-through-friends-default", "friendship-visibility", "forced-public",
    "default-audience", "interaction-extends", "forced-everyone", "forced-external",
    "search-listing", "instant-personalization", "regional-networks",
};

const char *ps_rule_name(ps_rule_id id)
{
    return id < PS_NRULES ? rule_names[id] : "?";
}

uint32_t *ps_rule_fields(ps_rules *r, ps_rule_id id)
{
    switch (id) {
    case PS_RULE_FORCED_PUBLIC: return &r->forced_public;
    case PS_RULE_FORCED_EVERYONE: return &r->forced_everyone;
    case PS_RULE_FORCED_EXTERNAL: return &r->forced_external;
    default: return NULL;
    }
}

void ps_rules_free(ps_rules *r)
{
    for (unsigned c = 0; c < PS_NCATS; c++)
        ps_terms_free(&r->default_audience[c]);
}

int ps_rules_copy(ps_rules *dst, const ps_rules *src)
{
    *dst = *src;
    for (unsigned c = 0; c < PS_NCATS; c++)
        memset(&dst->default_audience[c], 0, sizeof dst->default_audience[c]);
    for (unsigned c = 0; c < PS_NCATS; c++)
        if (ps_terms_copy(&dst->default_audience[c], &src->default_audience[c])) {
            ps_rules_free(dst);
            return -1;
        }
    return 0;
}

int ps_rules_set_one(ps_rules *dst, const ps_rules *src, ps_rule_id id, uint32_t cats)
{
    switch (id) {
    case PS_RULE_TAG_EXTENDS: dst->tag_extends = src->tag_extends; break;
    case PS_RULE_TAG_REVIEW_DEFAULT: dst->tag_review_default = src->tag_review_default; break;
    case PS_RULE_RESHARE: dst->reshare = src->reshare; break;
    case PS_RULE_APPS_THROUGH_FRIENDS: dst->apps_through_friends = src->apps_through_friends; break;
    case PS_RULE_APPS_THROUGH_FRIENDS_DEFAULT: dst->apps_default_cats = src->apps_default_cats; break;
    case PS_RULE_FRIENDSHIP_VISIBILITY:
        dst->friendship_visibility = src->friendship_visibility;
        break;
    case PS_RULE_FORCED_PUBLIC: dst->forced_public = src->forced_public; break;
    case PS_RULE_INTERACTION_EXTENDS: dst->interaction_extends = src->interaction_extends; break;
    case PS_RULE_FORCED_EVERYONE: dst->forced_everyone = src->forced_everyone; break;
    case PS_RULE_FORCED_EXTERNAL: dst->forced_external = src->forced_external; break;
    case PS_RULE_SEARCH_LISTING: dst->search_listing = src->search_listing; break;
    case PS_RULE_INSTANT_PERSONALIZATION:
        dst->instant_personalization = src->instant_personalization;
        break;
    case PS_RULE_REGIONAL_NETWORKS: dst->regional_networks = src->regional_networks; break;
    case PS_RULE_DEFAULT_AUDIENCE:
        for (unsigned c = 0; c < PS_NCATS; c++) {
            if (!(cats & (1u << c)))
                continue;
            ps_terms t;
            if (ps_terms_copy(&t, &src->default_audience[c]))
                return -1;
            ps_terms_free(&dst->default_audience[c]);
            dst->default_audience[c] = t;
        }
        break;
    default: return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * Presets
 * ------------------------------------------------------------------------------------- */

/* A default audience as a small union of broad terms. */
enum { A_PUBLIC = 1 << PS_TERM_PUBLIC, A_EVERYONE = 1 << PS_TERM_EVERYONE,
       A_FOF = 1 << PS_TERM_FOF, A_FRIENDS = 1 << PS_TERM_FRIENDS,
       A_ONLY_ME = 1 << PS_TERM_ONLY_ME, A_NETWORKS = 1 << PS_TERM_NETWORKS,
       A_CIRCLES = 1 << PS_TERM_CIRCLES };

#define F(x) (1u << PS_F_##x)
#define CONTACT (F(EMAIL) | F(PHONE))
#define FN (A_FRIENDS | A_NETWORKS)
#define PUB A_PUBLIC
#define EVR A_EVERYONE
#define FR A_FRIENDS
#define ME A_ONLY_ME
/* The default audience of every category, in the order of ps_field, then posts, photos. */
#define CATS(birthday, hometown, city, employer, school, relationship, email, phone, friendlist, \
             likes, groups, name, picture, gender, networks, posts, photos)                     \
    { birthday, hometown, city, employer, school, relationship, email, phone, friendlist,      \
      likes, groups, name, picture, gender, networks, posts, photos }

typedef struct {
    const char *name;
    const char *from;                        /* when it begins (YYYY-MM), or NULL */
    uint8_t tag_extends, reshare, friendship_visibility, interaction_extends;
    bool tag_review_default, apps_through_friends, search_listing,
         instant_personalization, regional_networks;
    uint32_t apps_default_cats;
    uint32_t forced_public, forced_everyone, forced_external;
    unsigned def[PS_NCATS];                  /* default audiences, per category */
} preset;

/* Every cell is sourced in doc/platform-sources.md (tests/test_platforms.c holds the two
 * equal).  In date order; `strict` last. */
static const preset presets[] = {
    /* 2005: a college network site; name and network shown to every user (not to the
     * internet: search engines saw nothing until 2007); the rest to networks and friends. */
    { .name = "facebook-2005", .from = "2005", .tag_extends = PS_TAG_TAGGED,
      .reshare = PS_RESHARE_NONE, .friendship_visibility = PS_FV_BOTH_ENDS,
      .interaction_extends = PS_IX_NONE, .regional_networks = true,
      .forced_everyone = F(NAME) | F(NETWORKS),
      .def = CATS(FN, FN, FN, FN, FN, FN, FN, FN, FN, ME, FN, EVR, EVR, EVR, EVR, FN, FN) },
    /* Sep 2007: the apps platform (friends' apps read through you), the public search
     * listing (name and picture to search engines, opt-out), open regional networks. */
    { .name = "facebook-2007", .from = "2007-09", .tag_extends = PS_TAG_TAGGED,
      .reshare = PS_RESHARE_NONE, .friendship_visibility = PS_FV_BOTH_ENDS,
      .interaction_extends = PS_IX_NONE, .apps_through_friends = true,
      .apps_default_cats = PS_CATS_ALL & ~CONTACT, .search_listing = true,
      .regional_networks = true, .forced_everyone = F(NAME) | F(NETWORKS),
      .def = CATS(FN, FN, FN, FN, FN, FN, FR, FR, FN, FN, FN, EVR, EVR, EVR, EVR, FN, FN) },
    /* Nov 2009, before the transition: "Networks and Friends"; friends' apps read through
     * you; a photo reaches the tagged person's friends only when its owner allows it. */
    { .name = "facebook-2009", .from = "2009-11", .tag_extends = PS_TAG_OWNER_CHOICE,
      .reshare = PS_RESHARE_NONE, .friendship_visibility = PS_FV_BOTH_ENDS,
      .interaction_extends = PS_IX_NONE, .apps_through_friends = true,
      .apps_default_cats = PS_CATS_ALL & ~CONTACT, .search_listing = true,
      .regional_networks = true, .forced_everyone = F(NAME) | F(NETWORKS),
      .def = CATS(FN, FN, FN, FN, FN, FR, FR, FR, PUB, FN, FN, EVR, EVR, EVR, EVR, FN, FN) },
    /* Dec 2009: publicly available information (name, picture, gender, city, networks,
     * pages) forced public; the friend list hidden from users if its owner wishes, but
     * public to the internet and apps; regional networks removed; recommended settings
     * make posts public. */
    { .name = "facebook-2009-12", .from = "2009-12", .tag_extends = PS_TAG_OWNER_CHOICE,
      .reshare = PS_RESHARE_PUBLIC_ONLY, .friendship_visibility = PS_FV_BOTH_ENDS,
      .interaction_extends = PS_IX_COMMENTER_FRIENDS, .apps_through_friends = true,
      .apps_default_cats = PS_CATS_ALL & ~CONTACT,
      .forced_public = F(NAME) | F(PICTURE) | F(GENDER) | F(CITY) | F(NETWORKS) | F(LIKES),
      .forced_external = F(FRIENDLIST),
      .def = CATS(A_FOF, A_FOF, PUB, PUB, PUB, PUB, FR, FR, PUB, PUB, PUB, PUB, PUB, PUB, PUB,
                  PUB, PUB) },
    /* Apr 2010: connections (city, hometown, education, work, likes) forced public;
     * instant personalization; everything public but birthday and contact details. */
    { .name = "facebook-2010", .from = "2010-04", .tag_extends = PS_TAG_OWNER_CHOICE,
      .reshare = PS_RESHARE_VISIBLE, .friendship_visibility = PS_FV_BOTH_ENDS,
      .interaction_extends = PS_IX_COMMENTER_FRIENDS, .apps_through_friends = true,
      .apps_default_cats = PS_CATS_ALL & ~CONTACT, .instant_personalization = true,
      .forced_public = F(NAME) | F(PICTURE) | F(GENDER) | F(NETWORKS) | F(FRIENDLIST) |
                       F(LIKES) | F(CITY) | F(HOMETOWN) | F(EMPLOYER) | F(SCHOOL),
      .def = CATS(A_FOF, PUB, PUB, PUB, PUB, PUB, FR, FR, PUB, PUB, PUB, PUB, PUB, PUB, PUB,
                  PUB, PUB) },
    /* 26 May 2010: connections settable again (basic directory information defaults to
     * everyone); only name, picture, gender and networks forced public. */
    { .name = "facebook-2010-05", .from = "2010-05", .tag_extends = PS_TAG_OWNER_CHOICE,
      .reshare = PS_RESHARE_VISIBLE, .friendship_visibility = PS_FV_BOTH_ENDS,
      .interaction_extends = PS_IX_NONE, .apps_through_friends = true,
      .apps_default_cats = PS_CATS_ALL & ~CONTACT, .instant_personalization = true,
      .forced_public = F(NAME) | F(PICTURE) | F(GENDER) | F(NETWORKS),
      .def = CATS(A_FOF, PUB, PUB, PUB, PUB, PUB, FR, FR, PUB, PUB, PUB, PUB, PUB, PUB, PUB,
                  PUB, PUB) },
    /* Jun 2011: Google+ - one-way circles, extended circles, resharing by whoever sees a
     * post; name, picture and gender public. */
    { .name = "gplus-2011", .from = "2011-06", .tag_extends = PS_TAG_TAGGED,
      .reshare = PS_RESHARE_VISIBLE, .friendship_visibility = PS_FV_BOTH_ENDS,
      .interaction_extends = PS_IX_NONE, .regional_networks = true,
      .forced_public = F(NAME) | F(PICTURE) | F(GENDER),
      .def = CATS(A_CIRCLES, PUB, PUB, PUB, PUB, A_CIRCLES, ME, ME, PUB, A_CIRCLES, A_CIRCLES,
                  PUB, PUB, PUB, A_CIRCLES, A_CIRCLES, A_CIRCLES) },
    /* Sep 2011: the inline audience selector, tag review (off by default), tags reach the
     * friends of the tagged; a share cannot widen a photo or status beyond its audience. */
    { .name = "facebook-2011", .from = "2011-09", .tag_extends = PS_TAG_TAGGED_FRIENDS,
      .reshare = PS_RESHARE_CAPPED, .friendship_visibility = PS_FV_BOTH_ENDS,
      .interaction_extends = PS_IX_NONE, .apps_through_friends = true,
      .apps_default_cats = PS_CATS_ALL & ~CONTACT,
      .instant_personalization = true,
      .forced_public = F(NAME) | F(PICTURE) | F(GENDER) | F(NETWORKS),
      .def = CATS(A_FOF, PUB, PUB, PUB, PUB, PUB, FR, FR, PUB, PUB, PUB, PUB, PUB, PUB, PUB,
                  PUB, PUB) },
    /* May 2014: new posts default to friends, but apps still read friends' data (Graph API
     * v1.0, until 30 Apr 2015). */
    { .name = "facebook-2014", .from = "2014-05", .tag_extends = PS_TAG_TAGGED_FRIENDS,
      .reshare = PS_RESHARE_CAPPED, .friendship_visibility = PS_FV_BOTH_ENDS,
      .interaction_extends = PS_IX_NONE, .apps_through_friends = true,
      .apps_default_cats = PS_CATS_ALL & ~CONTACT,
      .forced_public = F(NAME) | F(PICTURE) | F(GENDER) | F(NETWORKS),
      .def = CATS(FR, PUB, PUB, FR, FR, FR, FR, FR, PUB, FR, FR, PUB, PUB, PUB, PUB, FR, FR) },
    /* Apr 2015: Graph API v2 - apps no longer read friends' data. */
    { .name = "facebook-2015", .from = "2015-04", .tag_extends = PS_TAG_TAGGED_FRIENDS,
      .reshare = PS_RESHARE_CAPPED, .friendship_visibility = PS_FV_BOTH_ENDS,
      .interaction_extends = PS_IX_NONE,
      .forced_public = F(NAME) | F(PICTURE) | F(GENDER) | F(NETWORKS),
      .def = CATS(FR, PUB, PUB, FR, FR, FR, FR, FR, PUB, FR, FR, PUB, PUB, PUB, PUB, FR, FR) },
    /* strict: what a privacy-minded platform would choose. */
    { .name = "strict", .from = NULL, .tag_extends = PS_TAG_TAGGED, .reshare = PS_RESHARE_NONE,
      .friendship_visibility = PS_FV_OWN_SETTING, .interaction_extends = PS_IX_NONE,
      .tag_review_default = true, .regional_networks = true,
      .def = CATS(ME, FR, FR, FR, FR, FR, ME, ME, ME, FR, FR, FR, FR, FR, FR, FR, FR) },
};

#undef F
#undef FN
#undef PUB
#undef EVR
#undef FR
#undef ME
#undef CATS

#define NPRESETS (sizeof presets / sizeof presets[0])

static const char *const preset_names[NPRESETS + 1] = {
    "facebook-2005", "facebook-2007", "facebook-2009", "facebook-2009-12", "facebook-2010",
    "facebook-2010-05", "gplus-2011", "facebook-2011", "facebook-2014", "facebook-2015",
    "strict", NULL,
};

const char *const *ps_platform_names(void)
{
    return preset_names;
}

static const preset *find_preset(const char *name, size_t len)
{
    for (size_t i = 0; i < NPRESETS; i++)
        if (strlen(presets[i].name) == len && memcmp(presets[i].name, name, len) == 0)
            return &presets[i];
    return NULL;
}

const char *ps_platform_date(const char *name)
{
    const preset *p = find_preset(name, strlen(name));
    return p ? p->from : NULL;
}

static int set_default(ps_terms *t, unsigned mask)
{
    for (unsigned k = 0; k < PS_NTERMS; k++)
        if ((mask & (1u << k)) && ps_terms_push(t, (ps_term_kind)k, PS_NONE))
            return -1;
    return 0;
}

int ps_platform_preset(const char *name, size_t len, ps_rules *out)
{
    const preset *p = find_preset(name, len);
    if (!p)
        return -1;
    memset(out, 0, sizeof *out);
    out->tag_extends = p->tag_extends;
    out->tag_review_default = p->tag_review_default;
    out->reshare = p->reshare;
    out->apps_through_friends = p->apps_through_friends;
    out->apps_default_cats = p->apps_default_cats;
    out->friendship_visibility = p->friendship_visibility;
    out->forced_public = p->forced_public;
    out->interaction_extends = p->interaction_extends;
    out->forced_everyone = p->forced_everyone;
    out->forced_external = p->forced_external;
    out->search_listing = p->search_listing;
    out->instant_personalization = p->instant_personalization;
    out->regional_networks = p->regional_networks;
    for (unsigned c = 0; c < PS_NCATS; c++)
        if (set_default(&out->default_audience[c], p->def[c])) {
            ps_rules_free(out);
            return -1;
        }
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * Cells: one rule, or the default audience of one category, as text
 * ------------------------------------------------------------------------------------- */

static const char *const tag_extends_text[] = {"none", "tagged", "tagged-friends", "owner-choice"};
static const char *const reshare_text[] = {"none", "public-only", "visible", "capped"};
static const char *const fv_text[] = {"both-ends", "own-setting"};
static const char *const ix_text[] = {"none", "commenter-friends"};

void ps_categories_text(uint32_t mask, unsigned ncats, bool all, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = 0;
    if (all && mask == PS_CATS_ALL) {
        snprintf(buf, cap, "all");
        return;
    }
    for (unsigned c = 0; c < ncats && len + 1 < cap; c++)
        if (mask & (1u << c)) {
            int w = snprintf(buf + len, cap - len, "%s%s", len ? "," : "", ps_category_name(c));
            if (w > 0)
                len += (size_t)w;
        }
    if (!len)
        snprintf(buf, cap, "none");
}

unsigned ps_platform_ncells(void)
{
    return (PS_NRULES - 1) + PS_NCATS;
}

const char *ps_platform_cell_name(unsigned cell, char *buf, size_t cap)
{
    if (cell < PS_NRULES - 1) {
        unsigned id = cell < PS_RULE_DEFAULT_AUDIENCE ? cell : cell + 1;
        snprintf(buf, cap, "%s", ps_rule_name((ps_rule_id)id));
    } else if (cell < ps_platform_ncells()) {
        snprintf(buf, cap, "default.%s", ps_category_name(cell - (PS_NRULES - 1)));
    } else {
        snprintf(buf, cap, "?");
    }
    return buf;
}

const char *ps_platform_cell_text(const ps_rules *r, unsigned cell, char *buf, size_t cap)
{
    const char *s = "?";
    if (cell >= PS_NRULES - 1) {
        unsigned c = cell - (PS_NRULES - 1);
        ps_model dummy;
        memset(&dummy, 0, sizeof dummy);
        return c < PS_NCATS ? ps_terms_text(&dummy, &r->default_audience[c], buf, cap) : "?";
    }
    unsigned id = cell < PS_RULE_DEFAULT_AUDIENCE ? cell : cell + 1;
    switch ((ps_rule_id)id) {
    case PS_RULE_TAG_EXTENDS: s = tag_extends_text[r->tag_extends % 4]; break;
    case PS_RULE_TAG_REVIEW_DEFAULT: s = r->tag_review_default ? "on" : "off"; break;
    case PS_RULE_RESHARE: s = reshare_text[r->reshare % 4]; break;
    case PS_RULE_APPS_THROUGH_FRIENDS: s = r->apps_through_friends ? "on" : "off"; break;
    case PS_RULE_APPS_THROUGH_FRIENDS_DEFAULT:
        ps_categories_text(r->apps_default_cats, PS_NCATS, true, buf, cap);
        return buf;
    case PS_RULE_FRIENDSHIP_VISIBILITY: s = fv_text[r->friendship_visibility % 2]; break;
    case PS_RULE_FORCED_PUBLIC: ps_categories_text(r->forced_public, PS_NFIELDS, false, buf, cap); return buf;
    case PS_RULE_INTERACTION_EXTENDS: s = ix_text[r->interaction_extends % 2]; break;
    case PS_RULE_FORCED_EVERYONE:
        ps_categories_text(r->forced_everyone, PS_NFIELDS, false, buf, cap);
        return buf;
    case PS_RULE_FORCED_EXTERNAL:
        ps_categories_text(r->forced_external, PS_NFIELDS, false, buf, cap);
        return buf;
    case PS_RULE_SEARCH_LISTING: s = r->search_listing ? "on" : "off"; break;
    case PS_RULE_INSTANT_PERSONALIZATION: s = r->instant_personalization ? "on" : "off"; break;
    case PS_RULE_REGIONAL_NETWORKS: s = r->regional_networks ? "on" : "off"; break;
    default: break;
    }
    snprintf(buf, cap, "%s", s);
    return buf;
}

int ps_model_set_platform(ps_model *m, const char *name)
{
    ps_rules r;
    if (ps_platform_preset(name, strlen(name), &r))
        return -1;
    for (unsigned id = 0; id < PS_NRULES; id++)
        if (m->rules_set & (1u << id))
            if (ps_rules_set_one(&r, &m->overrides, (ps_rule_id)id,
                                 m->default_audience_set)) {
                ps_rules_free(&r);
                return -1;
            }
    char *copy = strdup(name);
    if (!copy) {
        ps_rules_free(&r);
        return -1;
    }
    ps_rules_free(&m->rules);
    m->rules = r;
    free(m->platform);
    m->platform = copy;
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * Link rules of the presets (person.h)
 * ------------------------------------------------------------------------------------- */

#include "person.h"

/* link-mutual-friends is how many friends in common a viewer needs to see to link two
 * accounts: 3 in every preset (an inference threshold, not a platform setting).
 * contact-suggestions: People You May Know (May 2008) used the e-mail contacts imported
 * through Friend Finder from 2008; phone contacts uploaded by the mobile apps are assumed
 * for facebook-2015; strict suggests nothing from contacts. */
static const struct { const char *name; uint32_t mutual, contacts; } link_presets[] = {
    { "facebook-2005", 3, 0 },
    { "facebook-2007", 3, 0 },            /* People You May Know came in May 2008 */
    { "facebook-2009", 3, 1u << PS_F_EMAIL },
    { "facebook-2009-12", 3, 1u << PS_F_EMAIL },
    { "facebook-2010", 3, 1u << PS_F_EMAIL },
    { "facebook-2010-05", 3, 1u << PS_F_EMAIL },
    { "gplus-2011", 3, 1u << PS_F_EMAIL }, /* suggestions from the Gmail contacts */
    { "facebook-2011", 3, 1u << PS_F_EMAIL },
    { "facebook-2014", 3, (1u << PS_F_EMAIL) | (1u << PS_F_PHONE) },
    { "facebook-2015", 3, (1u << PS_F_EMAIL) | (1u << PS_F_PHONE) },
    { "strict", 3, 0 },
};

bool ps_platform_link_rules(const char *name, ps_link_rules *out)
{
    for (size_t i = 0; name && i < sizeof link_presets / sizeof link_presets[0]; i++)
        if (strcmp(link_presets[i].name, name) == 0) {
            out->mutual_friends = link_presets[i].mutual;
            out->contacts = link_presets[i].contacts;
            return true;
        }
    return false;
}
