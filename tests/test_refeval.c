/* test_refeval.c - the reference evaluator against audiences worked out by hand.
 *
 * The property tests trust tests/refeval.c as the second opinion on the engine, so the
 * reference itself is checked here on tiny models, one or more per rule of the README's semantics:
 * the owner, each audience term, groups, forced-public fields, tags (each tag-extends value,
 * tag review and approval), interactions, hide, shares (each reshare value, refusal, holding
 * only while allowed, unshare), friendships shown from both ends, apps, intent and exposures.
 * Each expected audience is written as the viewers' names in viewer order.
 */
#include "refeval.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------
 * Building tiny models
 * ------------------------------------------------------------------------------------- */

/* A model of `platform` with the space-separated users of `names`. */
static ps_model *scen(const char *platform, const char *names)
{
    ps_model *m = ps_model_new();
    cr_assert(m != NULL);
    cr_assert(eq(int, ps_model_set_platform(m, platform), 0));
    const char *p = names;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (n)
            cr_assert(ps_model_add_user(m, p, n, NULL) != PS_NONE);
        p += n;
    }
    return m;
}

static uint32_t user(ps_model *m, const char *name)
{
    uint32_t u = ps_model_find(m, PS_NS_USER, 0, name, strlen(name));
    cr_assert(u != PS_NONE, "no user %s", name);
    return u;
}

/* `a` becomes friends with each of the space-separated users of `others`. */
static void befriend(ps_model *m, const char *a, const char *others)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", others);
    for (char *t = strtok(buf, " "); t; t = strtok(NULL, " "))
        cr_assert(eq(int, ps_model_add_friendship(m, user(m, a), user(m, t)), 0));
}

/* Members of a list, network or group, from space-separated names. */
static void members(ps_model *m, uint32_t **arr, uint32_t *n, const char *names)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", names);
    for (char *t = strtok(buf, " "); t; t = strtok(NULL, " "))
        cr_assert(eq(int, ps_u32_push(arr, n, user(m, t)), 0));
}

static uint32_t list(ps_model *m, const char *owner, const char *name, const char *names)
{
    uint32_t l = ps_model_add_list(m, user(m, owner), name, strlen(name));
    cr_assert(l != PS_NONE);
    members(m, &m->lists[l].members, &m->lists[l].nmembers, names);
    return l;
}

static uint32_t network(ps_model *m, const char *name, const char *names)
{
    uint32_t n = ps_model_add_network(m, name, strlen(name));
    cr_assert(n != PS_NONE);
    members(m, &m->networks[n].members, &m->networks[n].nmembers, names);
    return n;
}

static uint32_t group(ps_model *m, const char *name, ps_group_kind kind, const char *names)
{
    uint32_t g = ps_model_add_group(m, name, strlen(name), kind);
    cr_assert(g != PS_NONE);
    members(m, &m->groups[g].members, &m->groups[g].nmembers, names);
    return g;
}

/* Parses "friends,list:close,user:bo" (relative to `owner`) into *t. */
static void terms(ps_model *m, uint32_t owner, const char *spec, ps_terms *t)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", spec);
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        char *colon = strchr(tok, ':');
        uint32_t ref = PS_NONE;
        if (colon)
            *colon = 0;
        int kind = -1;
        for (int k = 0; k < PS_NTERMS; k++)
            if (strcmp(tok, ps_term_kind_name((ps_term_kind)k)) == 0)
                kind = k;
        cr_assert(kind >= 0, "bad term %s", tok);
        if (colon) {
            const char *r = colon + 1;
            ps_namespace ns = kind == PS_TERM_LIST ? PS_NS_LIST
                            : kind == PS_TERM_NETWORK ? PS_NS_NETWORK
                            : kind == PS_TERM_GROUP ? PS_NS_GROUP : PS_NS_USER;
            ref = ps_model_find(m, ns, owner, r, strlen(r));
            cr_assert(ref != PS_NONE, "bad reference %s", r);
        }
        cr_assert(eq(int, ps_terms_push(t, (ps_term_kind)kind, ref), 0));
    }
}

/* Sets an audience (allow, and hide if not NULL) relative to `owner`. */
static void audience(ps_model *m, uint32_t owner, ps_audience *a, const char *allow,
                     const char *hide)
{
    ps_audience_free(a);
    terms(m, owner, allow, &a->allow);
    if (hide)
        terms(m, owner, hide, &a->hide);
}

/* A post or photo; `allow` NULL = the platform's default. */
static uint32_t item(ps_model *m, ps_item_kind kind, const char *name, const char *owner,
                     const char *allow, const char *hide)
{
    uint32_t i = ps_model_add_item(m, kind, name, strlen(name), user(m, owner));
    cr_assert(i != PS_NONE);
    if (allow) {
        m->items[i].has_audience = true;
        audience(m, user(m, owner), &m->items[i].audience, allow, hide);
    }
    return i;
}

static uint32_t field(ps_model *m, const char *owner, ps_field f, const char *allow)
{
    uint32_t i = ps_model_field_item(m, user(m, owner), f);
    cr_assert(i != PS_NONE);
    if (allow) {
        m->items[i].has_audience = true;
        audience(m, user(m, owner), &m->items[i].audience, allow, NULL);
    }
    return i;
}

static void tag(ps_model *m, uint32_t it, const char *who)
{
    cr_assert(eq(int, ps_item_add_tag(&m->items[it], user(m, who)), 0));
}

static uint32_t app(ps_model *m, const char *name, const char *installers)
{
    uint32_t a = ps_model_add_app(m, name, strlen(name));
    cr_assert(a != PS_NONE);
    members(m, &m->apps[a].installers, &m->apps[a].ninstallers, installers);
    return a;
}

static ps_step *step(ps_model *m, ps_step_kind kind, const char *actor, uint32_t it)
{
    ps_step *s = ps_model_add_step(m);
    cr_assert(s != NULL);
    s->kind = (uint8_t)kind;
    s->actor = user(m, actor);
    s->item = it;
    return s;
}

/* `do ACTOR share ITEM [audience=ALLOW [hide=HIDE]]` */
static void share(ps_model *m, const char *actor, uint32_t it, const char *allow,
                  const char *hide)
{
    ps_step *s = step(m, PS_STEP_SHARE, actor, it);
    if (allow) {
        s->has_audience = true;
        audience(m, user(m, actor), &s->audience, allow, hide);
    }
}

/* `set OWNER ITEM audience=ALLOW [hide=HIDE]` as a step. */
static void set_audience(ps_model *m, uint32_t it, const char *allow, const char *hide)
{
    ps_step *s = ps_model_add_step(m);
    cr_assert(s != NULL);
    s->kind = PS_STEP_SET;
    s->actor = m->items[it].owner;
    s->settings = calloc(1, sizeof *s->settings);
    cr_assert(s->settings != NULL);
    s->nsettings = 1;
    s->settings[0].kind = PS_SET_AUDIENCE;
    s->settings[0].item = it;
    audience(m, s->actor, &s->settings[0].audience, allow, hide);
}

/* ---------------------------------------------------------------------------------------
 * Reading results
 * ------------------------------------------------------------------------------------- */

/* The viewers of `set` as "al bo internet app:quiz" (a static buffer). */
static const char *names_of(const ps_model *m, const bool *set)
{
    static char buf[1024];
    size_t w = 0;
    buf[0] = 0;
    for (uint32_t v = 0; v < ref_nviewers(m); v++) {
        if (!set[v])
            continue;
        const char *sep = w ? " " : "";
        int n;
        if (v < m->nusers)
            n = snprintf(buf + w, sizeof buf - w, "%s%s", sep, m->users[v].name);
        else if (v == m->nusers)
            n = snprintf(buf + w, sizeof buf - w, "%sinternet", sep);
        else
            n = snprintf(buf + w, sizeof buf - w, "%sapp:%s", sep,
                         m->apps[v - m->nusers - 1].name);
        w += (size_t)n;
    }
    return buf;
}

/* The audience of `it` in `state`, as names. */
static const char *seen(const ps_model *m, uint32_t it, uint32_t state)
{
    bool *set = calloc(ref_nviewers(m), sizeof *set);
    cr_assert(set != NULL);
    cr_assert(eq(int, ref_audience(m, it, state, set), 0));
    const char *s = names_of(m, set);
    free(set);
    return s;
}

static const char *intended(const ps_model *m, uint32_t it, uint32_t state)
{
    bool *set = calloc(ref_nviewers(m), sizeof *set);
    cr_assert(set != NULL);
    cr_assert(eq(int, ref_intended(m, it, state, set), 0));
    const char *s = names_of(m, set);
    free(set);
    return s;
}

static const char *cumulative(const ps_model *m, uint32_t it)
{
    bool *set = calloc(ref_nviewers(m), sizeof *set);
    cr_assert(set != NULL);
    cr_assert(eq(int, ref_cumulative(m, it, set), 0));
    const char *s = names_of(m, set);
    free(set);
    return s;
}

#define SEES(m, it, state, expected) cr_assert(eq(str, (char *)seen(m, it, state), expected))

/* ---------------------------------------------------------------------------------------
 * 1-2. owner and audience terms
 * ------------------------------------------------------------------------------------- */

Test(refeval, owner_always_sees)
{
    ps_model *m = scen("strict", "al bo");
    befriend(m, "al", "bo");
    uint32_t p = item(m, PS_ITEM_POST, "p", "al", "only-me", NULL);
    uint32_t q = item(m, PS_ITEM_POST, "q", "al", "user:bo", "friends,user:al");
    uint32_t r = item(m, PS_ITEM_POST, "r", "bo", "public", "public");
    SEES(m, p, 0, "al");
    SEES(m, q, 0, "al");
    SEES(m, r, 0, "bo");
    ps_model_free(m);
}

Test(refeval, audience_terms)
{
    ps_model *m = scen("strict", "al bo cy dd ee");
    befriend(m, "al", "bo");
    befriend(m, "bo", "cy");
    befriend(m, "cy", "dd");
    network(m, "n", "al ee");
    network(m, "w", "dd");
    group(m, "g", PS_GROUP_SECRET, "cy");
    list(m, "al", "l", "bo");
    SEES(m, item(m, PS_ITEM_POST, "p1", "al", "public", NULL), 0, "al bo cy dd ee internet");
    SEES(m, item(m, PS_ITEM_POST, "p2", "al", "everyone", NULL), 0, "al bo cy dd ee");
    SEES(m, item(m, PS_ITEM_POST, "p3", "al", "fof", NULL), 0, "al bo cy");
    SEES(m, item(m, PS_ITEM_POST, "p4", "al", "friends", NULL), 0, "al bo");
    SEES(m, item(m, PS_ITEM_POST, "p5", "al", "only-me", NULL), 0, "al");
    SEES(m, item(m, PS_ITEM_POST, "p6", "al", "networks", NULL), 0, "al ee");
    SEES(m, item(m, PS_ITEM_POST, "p7", "dd", "networks", NULL), 0, "dd");
    SEES(m, item(m, PS_ITEM_POST, "p8", "bo", "networks", NULL), 0, "bo");
    SEES(m, item(m, PS_ITEM_POST, "p9", "al", "list:l", NULL), 0, "al bo");
    SEES(m, item(m, PS_ITEM_POST, "p10", "al", "network:w", NULL), 0, "al dd");
    SEES(m, item(m, PS_ITEM_POST, "p11", "al", "group:g", NULL), 0, "al cy");
    SEES(m, item(m, PS_ITEM_POST, "p12", "al", "user:ee", NULL), 0, "al ee");
    SEES(m, item(m, PS_ITEM_POST, "p13", "al", "user:ee,list:l", NULL), 0, "al bo ee");
    /* the default audience of the category when the item sets none (strict: friends) */
    SEES(m, item(m, PS_ITEM_POST, "p14", "cy", NULL, NULL), 0, "bo cy dd");
    ps_model_free(m);
}

/* ---------------------------------------------------------------------------------------
 * 2-3. groups and forced-public fields
 * ------------------------------------------------------------------------------------- */

Test(refeval, groups)
{
    ps_model *m = scen("strict", "al bo cy");
    uint32_t go = group(m, "go", PS_GROUP_OPEN, "al bo");
    uint32_t gc = group(m, "gc", PS_GROUP_CLOSED, "al bo");
    uint32_t gs = group(m, "gs", PS_GROUP_SECRET, "al");
    uint32_t p1 = item(m, PS_ITEM_POST, "p1", "al", NULL, NULL);
    uint32_t p2 = item(m, PS_ITEM_POST, "p2", "al", NULL, NULL);
    uint32_t p3 = item(m, PS_ITEM_POST, "p3", "al", NULL, NULL);
    uint32_t p4 = item(m, PS_ITEM_POST, "p4", "cy", NULL, NULL);
    m->items[p1].group = go;
    m->items[p2].group = gc;
    m->items[p3].group = gs;
    m->items[p4].group = gs;
    SEES(m, p1, 0, "al bo cy internet");
    SEES(m, p2, 0, "al bo");
    SEES(m, p3, 0, "al");
    SEES(m, p4, 0, "al cy"); /* the poster is not a member: owner + members */
    ps_model_free(m);
}

Test(refeval, forced_public)
{
    ps_model *m = scen("strict", "al bo");
    uint32_t b = field(m, "al", PS_F_BIRTHDAY, "only-me");
    uint32_t c = field(m, "al", PS_F_CITY, "only-me");
    m->rules.forced_public = 1u << PS_F_BIRTHDAY;
    SEES(m, b, 0, "al bo internet");
    SEES(m, c, 0, "al");
    ps_model_free(m);
}

/* ---------------------------------------------------------------------------------------
 * 4. tags
 * ------------------------------------------------------------------------------------- */

Test(refeval, tag_extends_values)
{
    ps_model *m = scen("strict", "al bo cy dd");
    befriend(m, "al", "bo");
    befriend(m, "cy", "dd");
    uint32_t ph = item(m, PS_ITEM_PHOTO, "ph", "al", "friends", NULL);
    uint32_t narrow = item(m, PS_ITEM_PHOTO, "narrow", "al", "user:bo", NULL);
    uint32_t net = item(m, PS_ITEM_PHOTO, "net", "al", "friends,networks", NULL);
    tag(m, ph, "cy");
    tag(m, narrow, "cy");
    tag(m, net, "cy");
    m->rules.tag_review_default = false;
    m->rules.tag_extends = PS_TAG_NONE;
    SEES(m, ph, 0, "al bo");
    m->rules.tag_extends = PS_TAG_TAGGED;
    SEES(m, ph, 0, "al bo cy");
    m->rules.tag_extends = PS_TAG_TAGGED_FRIENDS;
    SEES(m, ph, 0, "al bo cy dd");     /* friends is broad: the tagged user's friends too */
    SEES(m, narrow, 0, "al bo cy");    /* user:bo is not broad: the tagged user alone */
    SEES(m, net, 0, "al bo cy dd");    /* networks is broad */
    ps_model_free(m);
}

Test(refeval, tag_in_groups)
{
    ps_model *m = scen("strict", "al cy dd");
    befriend(m, "cy", "dd");
    uint32_t go = group(m, "go", PS_GROUP_OPEN, "al");
    uint32_t gc = group(m, "gc", PS_GROUP_CLOSED, "al");
    uint32_t p1 = item(m, PS_ITEM_POST, "p1", "al", NULL, NULL);
    uint32_t p2 = item(m, PS_ITEM_POST, "p2", "al", NULL, NULL);
    m->items[p1].group = go;
    m->items[p2].group = gc;
    tag(m, p1, "cy");
    tag(m, p2, "cy");
    m->rules.tag_review_default = false;
    m->rules.tag_extends = PS_TAG_TAGGED_FRIENDS;
    SEES(m, p1, 0, "al cy dd internet");
    SEES(m, p2, 0, "al cy"); /* a closed group is not broad */
    ps_model_free(m);
}

Test(refeval, tag_review_and_approval)
{
    ps_model *m = scen("strict", "al bo cy dd");
    befriend(m, "al", "bo");
    befriend(m, "cy", "dd");
    uint32_t ph = item(m, PS_ITEM_PHOTO, "ph", "al", "friends", NULL);
    uint32_t p2 = item(m, PS_ITEM_PHOTO, "p2", "al", "friends", NULL);
    tag(m, ph, "cy");
    m->rules.tag_extends = PS_TAG_TAGGED_FRIENDS;
    m->rules.tag_review_default = false;
    m->users[user(m, "cy")].tag_review = PS_ON;
    step(m, PS_STEP_APPROVE_TAG, "bo", ph);  /* 1: bo has no tag there: nothing */
    step(m, PS_STEP_APPROVE_TAG, "cy", ph);  /* 2: cy approves */
    ps_step *s = step(m, PS_STEP_TAG, "bo", p2); /* 3: a pending tag (review on) */
    cr_assert(eq(int, ps_u32_push(&s->users, &s->nusers, user(m, "cy")), 0));
    s = step(m, PS_STEP_UNTAG, "cy", ph);    /* 4: cy removes the tag */
    cr_assert(eq(int, ps_u32_push(&s->users, &s->nusers, user(m, "cy")), 0));
    SEES(m, ph, 0, "al bo");
    SEES(m, ph, 1, "al bo");
    SEES(m, ph, 2, "al bo cy dd");
    SEES(m, p2, 2, "al bo");
    SEES(m, p2, 3, "al bo");
    SEES(m, ph, 4, "al bo");
    /* the platform default applies to users who did not set review themselves */
    m->users[user(m, "cy")].tag_review = PS_UNSET;
    SEES(m, ph, 0, "al bo cy dd");
    SEES(m, p2, 3, "al bo cy dd");
    m->rules.tag_review_default = true;
    SEES(m, ph, 0, "al bo");
    ps_model_free(m);
}

/* ---------------------------------------------------------------------------------------
 * 5. interactions
 * ------------------------------------------------------------------------------------- */

Test(refeval, interaction)
{
    ps_model *m = scen("strict", "al bo cy dd ee");
    befriend(m, "al", "bo");
    befriend(m, "bo", "cy");
    befriend(m, "cy", "dd");
    befriend(m, "dd", "ee");
    uint32_t p = item(m, PS_ITEM_POST, "p", "al", "fof", NULL);
    uint32_t f = item(m, PS_ITEM_POST, "f", "al", "friends", NULL);
    step(m, PS_STEP_LIKE, "ee", p);     /* 1: ee does not see p: nothing */
    step(m, PS_STEP_COMMENT, "dd", p);  /* 2: dd does not see p yet */
    step(m, PS_STEP_LIKE, "cy", p);     /* 3: cy's friend dd sees, and dd commented: ee */
    step(m, PS_STEP_COMMENT, "bo", f);  /* 4: friends is not fof or wider: nothing */
    m->rules.interaction_extends = PS_IX_COMMENTER_FRIENDS;
    SEES(m, p, 0, "al bo cy");
    SEES(m, p, 1, "al bo cy");
    SEES(m, p, 2, "al bo cy");
    SEES(m, p, 3, "al bo cy dd ee");
    SEES(m, f, 4, "al bo");
    m->rules.interaction_extends = PS_IX_NONE;
    SEES(m, p, 3, "al bo cy");
    ps_model_free(m);
}

/* ---------------------------------------------------------------------------------------
 * 6. hide
 * ------------------------------------------------------------------------------------- */

Test(refeval, hide)
{
    ps_model *m = scen("strict", "al bo cy dd ee");
    befriend(m, "al", "bo cy");
    befriend(m, "cy", "dd");
    befriend(m, "dd", "ee");
    m->rules.tag_extends = PS_TAG_TAGGED_FRIENDS;
    m->rules.tag_review_default = false;
    m->rules.reshare = PS_RESHARE_VISIBLE;
    m->rules.interaction_extends = PS_IX_COMMENTER_FRIENDS;
    SEES(m, item(m, PS_ITEM_POST, "p1", "al", "friends", "user:bo"), 0, "al cy");
    SEES(m, item(m, PS_ITEM_POST, "p2", "al", "friends", "friends"), 0, "al");
    /* hide applies after the tag widened the audience */
    uint32_t ph = item(m, PS_ITEM_PHOTO, "ph", "al", "friends", "user:dd");
    tag(m, ph, "cy");
    SEES(m, ph, 0, "al bo cy");
    /* hide cuts what an interaction adds ... */
    uint32_t p3 = item(m, PS_ITEM_POST, "p3", "al", "fof", "user:dd");
    step(m, PS_STEP_COMMENT, "cy", p3);  /* 1 */
    SEES(m, p3, 1, "al bo cy");
    /* ... but not what a share adds: cy shares to cy's friends, dd among them */
    share(m, "cy", ph, "friends", NULL); /* 2 */
    SEES(m, ph, 2, "al bo cy dd");
    ps_model_free(m);
}

Test(refeval, hide_and_commenters)
{
    /* Interactions come after the hide: a hidden commenter is not in the audience and
     * widens nothing, and a visible commenter's friends in the hide set stay out. */
    ps_model *m = scen("strict", "al bo cy dd ee");
    befriend(m, "al", "bo");
    befriend(m, "bo", "cy ee");
    befriend(m, "cy", "dd");
    m->rules.interaction_extends = PS_IX_COMMENTER_FRIENDS;
    uint32_t p = item(m, PS_ITEM_POST, "p", "al", "fof", "user:cy");
    uint32_t q = item(m, PS_ITEM_POST, "q", "al", "friends,everyone", "user:ee");
    step(m, PS_STEP_COMMENT, "cy", p);  /* 1: cy is hidden */
    step(m, PS_STEP_LIKE, "bo", q);     /* 2: bo's friends, but not ee */
    SEES(m, p, 0, "al bo ee");
    SEES(m, p, 1, "al bo ee");
    SEES(m, q, 2, "al bo cy dd");
    ps_model_free(m);
}

Test(refeval, hide_forced_public)
{
    /* owner and forced-public links are never hidden; `public` in a hide hides the internet */
    ps_model *m = scen("strict", "al bo");
    befriend(m, "al", "bo");
    uint32_t b = field(m, "al", PS_F_BIRTHDAY, NULL);
    m->items[b].has_audience = true;
    audience(m, user(m, "al"), &m->items[b].audience, "public", "user:bo,public");
    uint32_t c = field(m, "al", PS_F_CITY, NULL);
    m->items[c].has_audience = true;
    audience(m, user(m, "al"), &m->items[c].audience, "public", "user:bo,public");
    m->rules.forced_public = 1u << PS_F_BIRTHDAY;
    SEES(m, b, 0, "al bo internet");
    SEES(m, c, 0, "al");
    ps_model_free(m);
}

/* ---------------------------------------------------------------------------------------
 * 7. shares
 * ------------------------------------------------------------------------------------- */

Test(refeval, share_visible_chain_and_unshare)
{
    ps_model *m = scen("strict", "al bo cy dd");
    befriend(m, "al", "bo");
    befriend(m, "bo", "cy");
    befriend(m, "cy", "dd");
    m->rules.reshare = PS_RESHARE_VISIBLE;
    uint32_t p = item(m, PS_ITEM_POST, "p", "al", "friends", NULL);
    share(m, "bo", p, "friends", NULL);                    /* 1 */
    share(m, "cy", p, "user:dd", NULL);                    /* 2 */
    step(m, PS_STEP_UNSHARE, "bo", p);                     /* 3: cy's share no longer holds */
    set_audience(m, p, "fof", NULL);                       /* 4: cy sees again: it holds */
    SEES(m, p, 0, "al bo");
    SEES(m, p, 1, "al bo cy");
    SEES(m, p, 2, "al bo cy dd");
    SEES(m, p, 3, "al bo");
    SEES(m, p, 4, "al bo cy dd");
    cr_assert(eq(str, (char *)cumulative(m, p), "al bo cy dd"));
    bool refused[4];
    cr_assert(eq(int, ref_refused(m, refused), 0));
    for (int k = 0; k < 4; k++)
        cr_assert(eq(int, refused[k], 0), "step %d refused", k + 1);
    ps_model_free(m);
}

Test(refeval, share_default_audience_and_hide)
{
    ps_model *m = scen("strict", "al bo cy dd");
    befriend(m, "al", "bo");
    befriend(m, "bo", "cy dd");
    m->rules.reshare = PS_RESHARE_VISIBLE;
    uint32_t p = item(m, PS_ITEM_POST, "p", "al", "friends", NULL);
    uint32_t q = item(m, PS_ITEM_POST, "q", "al", "friends", NULL);
    share(m, "bo", p, NULL, NULL);             /* 1: bo's default for posts (friends) */
    share(m, "bo", q, "friends", "user:dd");   /* 2: minus the share's own hide */
    SEES(m, p, 1, "al bo cy dd");
    SEES(m, q, 2, "al bo cy");
    ps_model_free(m);
}

Test(refeval, share_refused_never_takes_effect)
{
    ps_model *m = scen("strict", "al bo cy");
    befriend(m, "al", "bo");
    befriend(m, "bo", "cy");
    m->rules.reshare = PS_RESHARE_VISIBLE;
    uint32_t p = item(m, PS_ITEM_POST, "p", "al", "friends", NULL);
    share(m, "cy", p, "public", NULL);     /* 1: cy cannot see p: refused */
    set_audience(m, p, "fof", NULL);       /* 2: cy sees p now; the share stays refused */
    share(m, "cy", p, "user:al", NULL);    /* 3: taken, adds nobody new */
    SEES(m, p, 1, "al bo");
    SEES(m, p, 2, "al bo cy");
    SEES(m, p, 3, "al bo cy");
    bool refused[3];
    cr_assert(eq(int, ref_refused(m, refused), 0));
    cr_assert(refused[0]);
    cr_assert(eq(int, refused[1], 0));
    cr_assert(eq(int, refused[2], 0));
    ps_model_free(m);
}

Test(refeval, share_public_only)
{
    ps_model *m = scen("strict", "al bo cy");
    befriend(m, "al", "bo");
    befriend(m, "bo", "cy");
    m->rules.reshare = PS_RESHARE_PUBLIC_ONLY;
    uint32_t p = item(m, PS_ITEM_POST, "p", "al", "public", "user:cy");
    uint32_t f = item(m, PS_ITEM_POST, "f", "al", "friends", NULL);
    share(m, "bo", p, "friends", NULL);          /* 1: allowed: p is public */
    share(m, "bo", f, "public", NULL);           /* 2: refused: f is not public */
    set_audience(m, p, "friends", NULL);         /* 3: no longer public: the share stops */
    set_audience(m, p, "public", "user:cy");     /* 4: public again: the share holds */
    SEES(m, p, 0, "al bo internet");
    SEES(m, p, 1, "al bo cy internet");          /* the owner's hide does not cut a share */
    SEES(m, f, 2, "al bo");
    SEES(m, p, 3, "al bo");
    SEES(m, p, 4, "al bo cy internet");
    bool refused[4];
    cr_assert(eq(int, ref_refused(m, refused), 0));
    cr_assert(eq(int, refused[0], 0));
    cr_assert(refused[1]);
    ps_model_free(m);
}

Test(refeval, share_public_only_internet_after_hide)
{
    /* public-only asks whether the internet sees the item through rules 1-5 */
    ps_model *m = scen("strict", "al bo cy");
    befriend(m, "al", "bo");
    befriend(m, "bo", "cy");
    m->rules.reshare = PS_RESHARE_PUBLIC_ONLY;
    uint32_t f = field(m, "al", PS_F_CITY, "friends");
    uint32_t p = item(m, PS_ITEM_POST, "p", "al", "public,friends", "public");
    share(m, "bo", f, "friends", NULL);  /* 1: city is forced public: allowed */
    share(m, "al", p, "friends", NULL);  /* 2: the hide takes the internet away: refused,
                                          * though the owner sees it */
    m->rules.forced_public = 1u << PS_F_CITY;
    bool refused[2];
    cr_assert(eq(int, ref_refused(m, refused), 0));
    cr_assert(eq(int, refused[0], 0));
    cr_assert(refused[1]);
    SEES(m, p, 2, "al");
    ps_model_free(m);
}

Test(refeval, share_public_only_groups_and_none)
{
    ps_model *m = scen("strict", "al bo");
    uint32_t go = group(m, "go", PS_GROUP_OPEN, "al bo");
    uint32_t gc = group(m, "gc", PS_GROUP_CLOSED, "al bo");
    uint32_t p1 = item(m, PS_ITEM_POST, "p1", "al", NULL, NULL);
    uint32_t p2 = item(m, PS_ITEM_POST, "p2", "al", NULL, NULL);
    m->items[p1].group = go;
    m->items[p2].group = gc;
    share(m, "bo", p1, "friends", NULL);
    share(m, "bo", p2, "friends", NULL);
    bool refused[2];
    m->rules.reshare = PS_RESHARE_PUBLIC_ONLY;
    cr_assert(eq(int, ref_refused(m, refused), 0));
    cr_assert(eq(int, refused[0], 0)); /* an open group counts as public */
    cr_assert(refused[1]);
    m->rules.reshare = PS_RESHARE_NONE;
    cr_assert(eq(int, ref_refused(m, refused), 0));
    cr_assert(refused[0]);
    cr_assert(refused[1]);
    ps_model_free(m);
}

Test(refeval, share_none)
{
    ps_model *m = scen("strict", "al bo cy");
    befriend(m, "al", "bo");
    befriend(m, "bo", "cy");
    m->rules.reshare = PS_RESHARE_NONE;
    uint32_t p = item(m, PS_ITEM_POST, "p", "al", "friends", NULL);
    share(m, "bo", p, "public", NULL);
    SEES(m, p, 1, "al bo");
    ps_model_free(m);
}

/* ---------------------------------------------------------------------------------------
 * 8. friendships seen from the other end
 * ------------------------------------------------------------------------------------- */

Test(refeval, friendship_both_ends)
{
    ps_model *m = scen("strict", "al bo cy dd");
    befriend(m, "al", "bo");
    befriend(m, "bo", "cy");
    uint32_t fl = field(m, "al", PS_F_FRIENDLIST, "only-me");
    ps_terms_free(&m->rules.default_audience[PS_F_FRIENDLIST]);
    terms(m, 0, "friends", &m->rules.default_audience[PS_F_FRIENDLIST]);
    m->rules.friendship_visibility = PS_FV_BOTH_ENDS;
    /* bo's friend list (undeclared: the default, friends) shows al to bo's friends, but
     * bo learns nothing from it */
    SEES(m, fl, 0, "al cy");
    m->rules.friendship_visibility = PS_FV_OWN_SETTING;
    SEES(m, fl, 0, "al");
    m->rules.friendship_visibility = PS_FV_BOTH_ENDS;
    uint32_t bfl = field(m, "bo", PS_F_FRIENDLIST, "public");
    SEES(m, fl, 0, "al cy dd internet");
    /* minus the hide set of bo's friend list */
    audience(m, user(m, "bo"), &m->items[bfl].audience, "public", "user:dd");
    SEES(m, fl, 0, "al cy internet");
    ps_model_free(m);
}

Test(refeval, friendship_forced_public_and_unfriend)
{
    ps_model *m = scen("strict", "al bo cy");
    befriend(m, "al", "bo");
    uint32_t fl = field(m, "al", PS_F_FRIENDLIST, "only-me");
    field(m, "bo", PS_F_FRIENDLIST, "everyone");
    step(m, PS_STEP_UNFRIEND, "bo", PS_NONE)->other = user(m, "al"); /* 1 */
    m->rules.friendship_visibility = PS_FV_BOTH_ENDS;
    SEES(m, fl, 0, "al cy");
    SEES(m, fl, 1, "al");   /* no friendship left to show */
    m->rules.forced_public = 1u << PS_F_FRIENDLIST;
    SEES(m, fl, 1, "al bo cy internet");
    ps_model_free(m);
}

/* ---------------------------------------------------------------------------------------
 * 9. apps
 * ------------------------------------------------------------------------------------- */

Test(refeval, apps)
{
    ps_model *m = scen("strict", "al bo cy");
    befriend(m, "al", "bo");
    uint32_t p = item(m, PS_ITEM_POST, "p", "al", "friends", NULL);
    uint32_t pub = item(m, PS_ITEM_POST, "pub", "al", "public", NULL);
    uint32_t mine = item(m, PS_ITEM_POST, "mine", "al", "only-me", NULL);
    app(m, "quiz", "bo");
    app(m, "own", "al");
    app(m, "lone", "");
    step(m, PS_STEP_INSTALL, "cy", PS_NONE)->other = 2; /* 1: cy does not see p */
    step(m, PS_STEP_INSTALL, "bo", PS_NONE)->other = 2; /* 2: bo does */
    m->rules.apps_through_friends = true;
    m->users[user(m, "al")].has_apps_cats = true;
    m->users[user(m, "al")].apps_cats = 1u << PS_CAT_POSTS;
    SEES(m, p, 0, "al bo app:quiz app:own");
    SEES(m, p, 1, "al bo app:quiz app:own");
    SEES(m, p, 2, "al bo app:quiz app:own app:lone");
    SEES(m, mine, 0, "al app:own");         /* the installer's own items, whatever the rule */
    SEES(m, pub, 0, "al bo cy internet app:quiz app:own app:lone"); /* what the internet sees */
    m->users[user(m, "al")].apps_cats = 1u << PS_CAT_PHOTOS;
    SEES(m, p, 0, "al bo app:own");
    m->users[user(m, "al")].has_apps_cats = false;
    m->rules.apps_default_cats = 1u << PS_CAT_POSTS;
    SEES(m, p, 0, "al bo app:quiz app:own");
    m->rules.apps_through_friends = false;
    SEES(m, p, 0, "al bo app:own");
    SEES(m, pub, 0, "al bo cy internet app:quiz app:own app:lone");
    ps_model_free(m);
}

/* ---------------------------------------------------------------------------------------
 * Intent, exposures, severity, first step, cumulative audience
 * ------------------------------------------------------------------------------------- */

Test(refeval, intent)
{
    ps_model *m = scen("strict", "al bo cy dd");
    befriend(m, "al", "bo cy");
    uint32_t per = ps_model_add_persona(m, user(m, "dd"), "work", 4);
    terms(m, user(m, "dd"), "user:cy", &m->personas[per].audience);
    uint32_t ph = item(m, PS_ITEM_PHOTO, "ph", "al", "friends,public", "user:bo");
    tag(m, ph, "dd");
    uint32_t q = item(m, PS_ITEM_POST, "q", "al", "public", NULL);
    m->items[q].persona = per;
    cr_assert(eq(str, (char *)intended(m, ph, 0), "al cy dd internet"));
    cr_assert(eq(str, (char *)intended(m, q, 0), "al cy dd")); /* persona, its user, owner */
    /* a group post: what the group gives, and the owner */
    uint32_t gc = group(m, "gc", PS_GROUP_CLOSED, "bo cy");
    uint32_t go = group(m, "go", PS_GROUP_OPEN, "bo");
    uint32_t g1 = item(m, PS_ITEM_POST, "g1", "al", NULL, NULL);
    uint32_t g2 = item(m, PS_ITEM_POST, "g2", "dd", NULL, NULL);
    m->items[g1].group = gc;
    m->items[g2].group = go;
    tag(m, g1, "dd");
    cr_assert(eq(str, (char *)intended(m, g1, 0), "al bo cy"));
    cr_assert(eq(str, (char *)intended(m, g2, 0), "al bo cy dd internet"));
    ps_model_free(m);
}

Test(refeval, exposures)
{
    ps_model *m = scen("strict", "al bo cy");
    befriend(m, "al", "bo");
    befriend(m, "bo", "cy");
    m->rules.reshare = PS_RESHARE_VISIBLE;
    uint32_t per = ps_model_add_persona(m, user(m, "al"), "work", 4);
    terms(m, user(m, "al"), "friends", &m->personas[per].audience);
    terms(m, user(m, "al"), "user:cy", &m->personas[per].forbid);
    uint32_t p = item(m, PS_ITEM_POST, "p", "al", "friends", NULL);
    m->items[p].persona = per;
    uint32_t b = field(m, "al", PS_F_BIRTHDAY, "friends");
    m->rules.forced_public = 1u << PS_F_BIRTHDAY;
    share(m, "bo", p, "friends", NULL);  /* 1: cy sees p: forbidden */
    step(m, PS_STEP_UNSHARE, "bo", p);   /* 2 */
    cr_assert(eq(str, (char *)cumulative(m, p), "al bo cy"));
    SEES(m, p, 2, "al bo");
    ref_exposure *e;
    uint32_t n;
    cr_assert(eq(int, ref_exposures(m, &e, &n), 0));
    cr_assert(eq(u32, n, 3));
    /* sorted: severity (strongest first), item, viewer */
    cr_assert(e[0].item == p && e[0].viewer == user(m, "cy"));
    cr_assert(e[0].severity == REF_SEV_FORBIDDEN && e[0].first_step == 1 && !e[0].at_end);
    cr_assert(e[1].item == b && e[1].viewer == m->nusers);
    cr_assert(e[1].severity == REF_SEV_EXTERNAL && e[1].first_step == 0 && e[1].at_end);
    cr_assert(e[2].item == b && e[2].viewer == user(m, "cy"));
    cr_assert(e[2].severity == REF_SEV_BEYOND_INTENT && e[2].first_step == 0 && e[2].at_end);
    free(e);
    bool *x = calloc(ref_nviewers(m), sizeof *x);
    cr_assert(eq(int, ref_exposed(m, p, 1, x), 0));
    cr_assert(eq(str, (char *)names_of(m, x), "cy"));
    free(x);
    ps_model_free(m);
}
