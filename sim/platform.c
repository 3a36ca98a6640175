/* platform.c - the built-in platform presets and the rules they are made of.
 *
 * A preset is a set of rules (SPEC section 3) plus the default audiences of new users'
 * items.  The presets follow Facebook's documented history (sources in the project's
 * research notes, summarised in the README's "Platforms" table); `strict` is what a
 * privacy-minded platform would choose.  Each preset is written as a small table of strings
 * so that a reader can check it against the history at a glance.
 */
#include "model.h"

#include <stdlib.h>
#include <string.h>

static const char *const rule_names[PS_NRULES] = {
    "tag-extends", "tag-review-default", "reshare", "apps-through-friends",
    "apps-through-friends-default", "friendship-visibility", "forced-public",
    "default-audience", "interaction-extends",
};

const char *ps_rule_name(ps_rule_id id)
{
    return id < PS_NRULES ? rule_names[id] : "?";
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
       A_ONLY_ME = 1 << PS_TERM_ONLY_ME, A_NETWORKS = 1 << PS_TERM_NETWORKS };

#define F(x) (1u << PS_F_##x)
#define CONTACT (F(EMAIL) | F(PHONE))

typedef struct {
    const char *name;
    uint8_t tag_extends, reshare, friendship_visibility, interaction_extends;
    bool tag_review_default, apps_through_friends;
    uint32_t apps_default_cats;
    uint32_t forced_public;
    /* default audiences: the value for posts, photos, then per-field exceptions */
    unsigned posts, photos, fields;          /* `fields`: every field not listed below */
    unsigned basic;                          /* name, picture, gender, networks */
    unsigned friendlist, birthday, contact;
} preset;

static const preset presets[] = {
    /* 2005: a college network site; name, picture, gender and network to all users, the rest
     * to the network and friends; no photo-tag extension beyond the tagged, no apps. */
    { "facebook-2005", PS_TAG_TAGGED, PS_RESHARE_NONE, PS_FV_BOTH_ENDS, PS_IX_NONE,
      false, false, 0, F(NAME) | F(NETWORKS),
      A_FRIENDS | A_NETWORKS, A_FRIENDS | A_NETWORKS, A_FRIENDS | A_NETWORKS,
      A_EVERYONE, A_FRIENDS | A_NETWORKS, A_FRIENDS | A_NETWORKS, A_FRIENDS | A_NETWORKS },
    /* Nov 2009, before the transition: "Networks and Friends"; friends' apps read through
     * you (most categories ticked); tags reach the tagged person's friends. */
    { "facebook-2009", PS_TAG_TAGGED_FRIENDS, PS_RESHARE_NONE, PS_FV_BOTH_ENDS, PS_IX_NONE,
      false, true, PS_CATS_ALL & ~CONTACT, F(NAME) | F(NETWORKS),
      A_FRIENDS | A_NETWORKS, A_FRIENDS | A_NETWORKS, A_FRIENDS | A_NETWORKS,
      A_PUBLIC, A_FRIENDS | A_NETWORKS, A_FRIENDS | A_NETWORKS, A_FRIENDS },
    /* Dec 2009: publicly available information (name, picture, gender, city, networks,
     * friend list, pages) forced public; recommended settings make posts public. */
    { "facebook-2009-12", PS_TAG_TAGGED_FRIENDS, PS_RESHARE_PUBLIC_ONLY, PS_FV_BOTH_ENDS,
      PS_IX_NONE, false, true, PS_CATS_ALL & ~CONTACT,
      F(NAME) | F(PICTURE) | F(GENDER) | F(CITY) | F(NETWORKS) | F(FRIENDLIST) | F(LIKES),
      A_PUBLIC, A_PUBLIC, A_PUBLIC, A_PUBLIC, A_PUBLIC, A_FOF, A_FRIENDS },
    /* Apr 2010: public connections and instant personalization; everything public but the
     * birthday (friends of friends) and contact information (friends). */
    { "facebook-2010", PS_TAG_TAGGED_FRIENDS, PS_RESHARE_VISIBLE, PS_FV_BOTH_ENDS,
      PS_IX_COMMENTER_FRIENDS, false, true, PS_CATS_ALL & ~CONTACT,
      F(NAME) | F(PICTURE) | F(GENDER) | F(NETWORKS) | F(FRIENDLIST) | F(LIKES),
      A_PUBLIC, A_PUBLIC, A_PUBLIC, A_PUBLIC, A_PUBLIC, A_FOF, A_FRIENDS },
    /* Aug 2011: inline audience selector, tag review available (off by default), friend list
     * settable again, PAI down to name, picture, gender and networks. */
    { "facebook-2011", PS_TAG_TAGGED_FRIENDS, PS_RESHARE_VISIBLE, PS_FV_BOTH_ENDS,
      PS_IX_COMMENTER_FRIENDS, false, true, PS_CATS_ALL & ~CONTACT,
      F(NAME) | F(PICTURE) | F(GENDER) | F(NETWORKS),
      A_PUBLIC, A_PUBLIC, A_PUBLIC, A_PUBLIC, A_PUBLIC, A_FOF, A_FRIENDS },
    /* 2015: Graph API v2 - apps no longer read friends' data; new posts default to friends;
     * only public posts can be reshared to a wider audience. */
    { "facebook-2015", PS_TAG_TAGGED_FRIENDS, PS_RESHARE_PUBLIC_ONLY, PS_FV_BOTH_ENDS,
      PS_IX_COMMENTER_FRIENDS, false, false, 0, F(NAME) | F(PICTURE) | F(GENDER),
      A_FRIENDS, A_FRIENDS, A_FRIENDS, A_PUBLIC, A_FRIENDS, A_FRIENDS, A_FRIENDS },
    /* strict: what a privacy-minded platform would choose. */
    { "strict", PS_TAG_TAGGED, PS_RESHARE_NONE, PS_FV_OWN_SETTING, PS_IX_NONE,
      true, false, 0, 0,
      A_FRIENDS, A_FRIENDS, A_FRIENDS, A_FRIENDS, A_ONLY_ME, A_ONLY_ME, A_ONLY_ME },
};

#undef F

static const char *const preset_names[] = {
    "facebook-2005", "facebook-2009", "facebook-2009-12", "facebook-2010", "facebook-2011",
    "facebook-2015", "strict", NULL,
};

const char *const *ps_platform_names(void)
{
    return preset_names;
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
    const preset *p = NULL;
    for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++)
        if (strlen(presets[i].name) == len && memcmp(presets[i].name, name, len) == 0)
            p = &presets[i];
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
    for (unsigned c = 0; c < PS_NCATS; c++) {
        unsigned mask = p->fields;
        if (c == PS_CAT_POSTS) mask = p->posts;
        else if (c == PS_CAT_PHOTOS) mask = p->photos;
        else if (c == PS_F_NAME || c == PS_F_PICTURE || c == PS_F_GENDER || c == PS_F_NETWORKS)
            mask = p->basic;
        else if (c == PS_F_FRIENDLIST) mask = p->friendlist;
        else if (c == PS_F_BIRTHDAY) mask = p->birthday;
        else if (c == PS_F_EMAIL || c == PS_F_PHONE) mask = p->contact;
        if (set_default(&out->default_audience[c], mask)) {
            ps_rules_free(out);
            return -1;
        }
    }
    return 0;
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
    { "facebook-2009", 3, 1u << PS_F_EMAIL },
    { "facebook-2009-12", 3, 1u << PS_F_EMAIL },
    { "facebook-2010", 3, 1u << PS_F_EMAIL },
    { "facebook-2011", 3, 1u << PS_F_EMAIL },
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
