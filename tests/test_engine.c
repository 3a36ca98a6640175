/* test_engine.c - hand-worked scenarios for every link kind and every rule value: the exact
 * audience, the exact derivation, the first step and the fixes. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "describe.h"
#include "engine.h"
#include "parse.h"

/* ---- helpers ------------------------------------------------------------------------- */

static ps_model *load(const char *src)
{
    ps_diag d;
    ps_diag_init(&d);
    ps_model *m = NULL;
    int rc = ps_parse_buffer("t.psim", src, strlen(src), &m, &d);
    if (rc) {
        ps_diag_print(&d, stderr, false);
    }
    ps_diag_free(&d);
    cr_assert(rc == 0 && m, "scenario does not parse");
    return m;
}

static uint32_t item_of(ps_model *m, const char *name)
{
    uint32_t i = ps_model_find(m, PS_NS_ITEM, 0, name, strlen(name));
    if (i == PS_NONE) {
        const char *dot = strchr(name, '.');
        cr_assert(dot, "no item %s", name);
        uint32_t u = ps_model_find(m, PS_NS_USER, 0, name, (size_t)(dot - name));
        int f = ps_category_find(dot + 1, strlen(dot + 1));
        cr_assert(u != PS_NONE && f >= 0);
        i = ps_model_field_item(m, u, (ps_field)f);
    }
    return i;
}

static uint32_t viewer_of(const ps_model *m, const char *name)
{
    if (strcmp(name, "internet") == 0)
        return ps_viewer_internet(m);
    if (strncmp(name, "app:", 4) == 0)
        return ps_viewer_app(m, ps_model_find(m, PS_NS_APP, 0, name + 4, strlen(name + 4)));
    uint32_t u = ps_model_find(m, PS_NS_USER, 0, name, strlen(name));
    cr_assert(u != PS_NONE, "no user %s", name);
    return u;
}

/* The audience of `item` at the end of the timeline, as "a,b,internet" (sorted by id). */
static char *audience(ps_model *m, const char *item)
{
    static char buf[4096];
    uint32_t i = item_of(m, item);
    ps_engine *e = ps_engine_new(m);
    cr_assert(e);
    cr_assert(ps_engine_run(e) >= 0);
    cr_assert(ps_engine_eval(e, i) == 0);
    uint32_t n;
    const uint32_t *v = ps_engine_audience(e, &n);
    buf[0] = 0;
    char name[256];
    for (uint32_t k = 0; k < n; k++) {
        if (k)
            strcat(buf, ",");
        strcat(buf, ps_viewer_name(m, v[k], name, sizeof name));
    }
    ps_engine_free(e);
    return buf;
}

/* The derivation of `viewer` for `item` at the end, as the shape text. */
static char *shape(ps_model *m, const char *item, const char *viewer)
{
    static char buf[1024];
    uint32_t i = item_of(m, item);
    ps_engine *e = ps_engine_new(m);
    cr_assert(ps_engine_run(e) >= 0);
    ps_engine_eval(e, i);
    ps_path p;
    if (ps_engine_path(e, viewer_of(m, viewer), &p) != 0)
        snprintf(buf, sizeof buf, "(does not see)");
    else
        ps_path_shape_text(&p, buf, sizeof buf);
    ps_engine_free(e);
    return buf;
}

/* The exposure of (item, viewer) in a full check, or NULL. */
static const ps_exposure *exposure(const ps_report *r, ps_model *m, const char *item,
                                   const char *viewer)
{
    uint32_t i = item_of(m, item), v = viewer_of(m, viewer);
    for (uint32_t k = 0; k < r->nexposures; k++)
        if (r->exposures[k].item == i && r->exposures[k].viewer == v)
            return &r->exposures[k];
    return NULL;
}

static bool has_fix(const ps_report *r, const ps_model *m, const ps_exposure *x, const char *text)
{
    char buf[1024];
    for (uint32_t k = 0; k < x->nfixes; k++)
        if (strcmp(ps_fix_text(m, &r->fixes[x->fix_first + k], buf, sizeof buf), text) == 0)
            return true;
    return false;
}

static ps_report *check(ps_model *m)
{
    ps_report *r;
    ps_check_opts o = { .fixes = true };
    cr_assert(ps_check(m, &o, &r) == 0);
    return r;
}

#define PEOPLE \
    "platform strict\n" \
    "user a b c d e\n" \
    "friends a b c\n" \
    "friends b d\n"

/* ---- audience terms ------------------------------------------------------------------ */

Test(terms, friends_and_fof)
{
    ps_model *m = load(PEOPLE "post p by=a audience=friends\npost q by=a audience=fof\n");
    cr_assert_str_eq(audience(m, "p"), "a,b,c");
    cr_assert_str_eq(audience(m, "q"), "a,b,c,d");
    cr_assert_str_eq(shape(m, "q", "d"), "owner > audience(fof)");
    ps_model_free(m);
}

Test(terms, public_everyone_only_me)
{
    ps_model *m = load(PEOPLE "post p by=a audience=public\npost q by=a audience=everyone\n"
                              "post r by=a audience=only-me\n");
    cr_assert_str_eq(audience(m, "p"), "a,b,c,d,e,internet");
    cr_assert_str_eq(audience(m, "q"), "a,b,c,d,e");
    cr_assert_str_eq(audience(m, "r"), "a");
    ps_model_free(m);
}

Test(terms, list_network_group_user_networks)
{
    ps_model *m = load(PEOPLE "list a close b\nnetwork acme a d\nnetwork other e\n"
                              "group g closed c e\n"
                              "post p1 by=a audience=list:close\n"
                              "post p2 by=a audience=network:acme\n"
                              "post p3 by=a audience=group:g\n"
                              "post p4 by=a audience=user:e\n"
                              "post p5 by=a audience=networks\n");
    cr_assert_str_eq(audience(m, "p1"), "a,b");
    cr_assert_str_eq(audience(m, "p2"), "a,d");
    cr_assert_str_eq(audience(m, "p3"), "a,c,e");
    cr_assert_str_eq(audience(m, "p4"), "a,e");
    cr_assert_str_eq(audience(m, "p5"), "a,d");
    ps_model_free(m);
}

Test(terms, hide_never_removes_owner)
{
    ps_model *m = load(PEOPLE "post p by=a audience=friends hide=user:a,user:b\n");
    cr_assert_str_eq(audience(m, "p"), "a,c");
    ps_model_free(m);
}

/* ---- groups, forced-public ----------------------------------------------------------- */

Test(groups, open_closed_secret)
{
    ps_model *m = load(PEOPLE "group o open a b\ngroup c closed a b\ngroup s secret a d\n"
                              "post p1 by=a group=o\npost p2 by=a group=c\npost p3 by=a group=s\n");
    cr_assert_str_eq(audience(m, "p1"), "a,b,c,d,e,internet");
    cr_assert_str_eq(audience(m, "p2"), "a,b");
    cr_assert_str_eq(audience(m, "p3"), "a,d");
    cr_assert_str_eq(shape(m, "p2", "b"), "owner > group");
    ps_model_free(m);
}

Test(forced, field_public_whatever_the_owner_chose)
{
    ps_model *m = load(PEOPLE "rule forced-public = birthday\n"
                              "field a.birthday audience=only-me\n");
    cr_assert_str_eq(audience(m, "a.birthday"), "a,b,c,d,e,internet");
    ps_report *r = check(m);
    const ps_exposure *x = exposure(r, m, "a.birthday", "internet");
    cr_assert(x);
    cr_assert_eq(x->severity, PS_SEV_EXTERNAL);
    cr_assert(x->platform_only);
    cr_assert(has_fix(r, m, x, "platform: rule forced-public = none"));
    ps_report_free(r);
    ps_model_free(m);
}

/* ---- tags ---------------------------------------------------------------------------- */

Test(tags, tagged_friends_extends_to_friends_of_the_tagged)
{
    ps_model *m = load(PEOPLE "rule tag-extends = tagged-friends\nrule tag-review-default = off\n"
                              "photo ph by=c audience=friends tags=b\n");
    /* c's friends a, b; b is tagged: b's friends a, c, d */
    cr_assert_str_eq(audience(m, "ph"), "a,b,c,d");
    cr_assert_str_eq(shape(m, "ph", "d"), "owner > tag(friend)");
    ps_report *r = check(m);
    const ps_exposure *x = exposure(r, m, "ph", "d");
    cr_assert(x);
    cr_assert_eq(x->severity, PS_SEV_BEYOND_INTENT);
    cr_assert(has_fix(r, m, x, "b: tag-review=on"));
    cr_assert(has_fix(r, m, x, "b: untag ph b"));
    cr_assert(has_fix(r, m, x, "c: set ph hide=user:d"));
    cr_assert(has_fix(r, m, x, "platform: rule tag-extends = tagged"));
    cr_assert_not(x->platform_only);
    ps_report_free(r);
    ps_model_free(m);
}

Test(tags, tagged_only_adds_the_tagged_person)
{
    ps_model *m = load(PEOPLE "rule tag-extends = tagged\nrule tag-review-default = off\n"
                              "photo ph by=a audience=only-me tags=d\n");
    cr_assert_str_eq(audience(m, "ph"), "a,d");
    ps_model_free(m);
}

Test(tags, none_adds_nobody)
{
    ps_model *m = load(PEOPLE "rule tag-extends = none\nphoto ph by=a audience=only-me tags=d\n");
    cr_assert_str_eq(audience(m, "ph"), "a");
    ps_model_free(m);
}

Test(tags, narrow_audience_reaches_only_the_tagged)
{
    ps_model *m = load(PEOPLE "rule tag-extends = tagged-friends\nrule tag-review-default = off\n"
                              "list c few a\nphoto ph by=c audience=list:few tags=b\n");
    cr_assert_str_eq(audience(m, "ph"), "a,b,c");
    ps_model_free(m);
}

Test(tags, review_holds_the_tag_until_approved)
{
    ps_model *m = load(PEOPLE "rule tag-extends = tagged-friends\nrule tag-review-default = on\n"
                              "photo ph by=c audience=friends tags=b\n");
    /* c's only friend is a; b's tag waits for review */
    cr_assert_str_eq(audience(m, "ph"), "a,c");
    ps_model_free(m);
    m = load(PEOPLE "rule tag-extends = tagged-friends\nrule tag-review-default = on\n"
                    "photo ph by=c audience=friends tags=b\ndo b approve-tag ph\n");
    cr_assert_str_eq(audience(m, "ph"), "a,b,c,d");
    ps_model_free(m);
}

/* ---- interactions -------------------------------------------------------------------- */

Test(interaction, commenter_friends_for_fof_or_wider)
{
    ps_model *m = load(PEOPLE "rule interaction-extends = commenter-friends\n"
                              "user f\nfriends d f\n"
                              "post p by=a audience=fof\ndo d comment p\n");
    /* fof of a: a b c d; d comments: d's friends b, f */
    cr_assert_str_eq(audience(m, "p"), "a,b,c,d,f");
    cr_assert_str_eq(shape(m, "p", "f"), "owner > audience(fof) > interaction");
    ps_model_free(m);
    m = load(PEOPLE "rule interaction-extends = none\nuser f\nfriends d f\n"
                    "post p by=a audience=fof\ndo d comment p\n");
    cr_assert_str_eq(audience(m, "p"), "a,b,c,d");
    ps_model_free(m);
}

/* ---- shares -------------------------------------------------------------------------- */

Test(share, visible_lets_any_viewer_reshare)
{
    ps_model *m = load(PEOPLE "rule reshare = visible\n"
                              "post p by=a audience=friends hide=user:e\n"
                              "do b share p audience=friends\n");
    cr_assert_str_eq(audience(m, "p"), "a,b,c,d");
    cr_assert_str_eq(shape(m, "p", "d"), "owner > audience(friends) > share(friends)");
    ps_report *r = check(m);
    const ps_exposure *x = exposure(r, m, "p", "d");
    cr_assert(x);
    cr_assert_eq(x->first_step, 1);
    cr_assert(x->at_end);
    cr_assert(has_fix(r, m, x, "b: do not share p (step 1)"));
    cr_assert(has_fix(r, m, x, "platform: rule reshare = none"));
    ps_report_free(r);
    ps_model_free(m);
}

Test(share, owner_hide_does_not_cut_a_share)
{
    ps_model *m = load(PEOPLE "rule reshare = visible\n"
                              "post p by=a audience=friends hide=user:d\n"
                              "do b share p audience=friends\n");
    cr_assert_str_eq(audience(m, "p"), "a,b,c,d");
    ps_model_free(m);
}

Test(share, public_only_refuses_a_private_post)
{
    ps_model *m = load(PEOPLE "rule reshare = public-only\n"
                              "post p by=a audience=friends\npost q by=a audience=public\n"
                              "do b share p audience=public\ndo b share q audience=friends\n");
    ps_report *r = check(m);
    cr_assert_eq(r->nrefused, 1);
    cr_assert_eq(r->refused[0], 0);
    ps_report_free(r);
    cr_assert_str_eq(audience(m, "p"), "a,b,c");
    ps_model_free(m);
}

Test(share, none_refuses_every_share)
{
    ps_model *m = load(PEOPLE "rule reshare = none\npost p by=a audience=public\n"
                              "do b share p audience=public\n");
    ps_report *r = check(m);
    cr_assert_eq(r->nrefused, 1);
    ps_report_free(r);
    ps_model_free(m);
}

Test(share, holds_only_while_allowed)
{
    ps_model *m = load(PEOPLE "rule reshare = visible\npost p by=a audience=friends\n"
                              "do b share p audience=friends\ndo a unfriend b\n");
    /* after the unfriending b no longer sees p, so the share no longer holds */
    cr_assert_str_eq(audience(m, "p"), "a,c");
    ps_report *r = check(m);
    const ps_exposure *x = exposure(r, m, "p", "d");
    cr_assert(x);
    cr_assert_eq(x->first_step, 1);
    cr_assert_not(x->at_end, "d saw p at step 1 only");
    ps_report_free(r);
    ps_model_free(m);
}

/* ---- friendship ---------------------------------------------------------------------- */

Test(friendship, both_ends_shows_a_hidden_friend_list)
{
    ps_model *m = load(PEOPLE "rule friendship-visibility = both-ends\n"
                              "field a.friendlist audience=only-me\n"
                              "field b.friendlist audience=friends\n");
    /* b's friend list (seen by b's friends a and d) shows the friendship a-b */
    cr_assert_str_eq(audience(m, "a.friendlist"), "a,d");
    cr_assert_str_eq(shape(m, "a.friendlist", "d"), "owner > friendship(friends)");
    ps_report *r = check(m);
    const ps_exposure *x = exposure(r, m, "a.friendlist", "d");
    cr_assert(x);
    cr_assert(has_fix(r, m, x, "b: set b.friendlist audience=only-me"));
    cr_assert(has_fix(r, m, x, "platform: rule friendship-visibility = own-setting"));
    ps_report_free(r);
    ps_model_free(m);
}

Test(friendship, own_setting_keeps_it_hidden)
{
    ps_model *m = load(PEOPLE "rule friendship-visibility = own-setting\n"
                              "field a.friendlist audience=only-me\n"
                              "field b.friendlist audience=friends\n");
    cr_assert_str_eq(audience(m, "a.friendlist"), "a");
    ps_model_free(m);
}

/* ---- apps ---------------------------------------------------------------------------- */

Test(apps, a_friends_app_reads_through_them)
{
    ps_model *m = load(PEOPLE "rule apps-through-friends = on\n"
                              "field a.birthday audience=friends\n"
                              "set a apps-through-friends=birthday\n"
                              "app quiz installed-by=b\n");
    cr_assert_str_eq(audience(m, "a.birthday"), "a,b,c,app:quiz");
    cr_assert_str_eq(shape(m, "a.birthday", "app:quiz"), "owner > audience(friends) > app");
    ps_report *r = check(m);
    const ps_exposure *x = exposure(r, m, "a.birthday", "app:quiz");
    cr_assert(x);
    cr_assert_eq(x->severity, PS_SEV_EXTERNAL);
    cr_assert(has_fix(r, m, x, "a: apps-through-friends without birthday"));
    cr_assert(has_fix(r, m, x, "b: remove app quiz"));
    cr_assert(has_fix(r, m, x, "platform: rule apps-through-friends = off"));
    ps_report_free(r);
    ps_model_free(m);
}

Test(apps, category_not_let_through)
{
    ps_model *m = load(PEOPLE "rule apps-through-friends = on\n"
                              "field a.birthday audience=friends\n"
                              "set a apps-through-friends=photos\n"
                              "app quiz installed-by=b\n");
    cr_assert_str_eq(audience(m, "a.birthday"), "a,b,c");
    ps_model_free(m);
}

Test(apps, own_installer_and_internet)
{
    ps_model *m = load(PEOPLE "rule apps-through-friends = off\n"
                              "post p by=a audience=only-me\npost q by=b audience=public\n"
                              "app quiz installed-by=a\n");
    cr_assert_str_eq(audience(m, "p"), "a,app:quiz");
    cr_assert_str_eq(audience(m, "q"), "a,b,c,d,e,internet,app:quiz");
    ps_model_free(m);
}

/* ---- timeline, intent, expectations --------------------------------------------------- */

Test(timeline, exposure_appears_at_its_step_and_leaves_with_untag)
{
    ps_model *m = load(PEOPLE "rule tag-extends = tagged-friends\nrule tag-review-default = off\n"
                              "photo ph by=c audience=friends\n"
                              "do c tag ph b\ndo c untag ph b\n");
    ps_report *r = check(m);
    const ps_exposure *x = exposure(r, m, "ph", "d");
    cr_assert(x);
    cr_assert_eq(x->first_step, 1);
    cr_assert_not(x->at_end);
    ps_report_free(r);
    ps_model_free(m);
}

Test(intent, persona_forbid_makes_it_forbidden)
{
    ps_model *m = load(PEOPLE "rule tag-extends = tagged-friends\nrule tag-review-default = off\n"
                              "list b pals c\n"
                              "persona b weekend audience=list:pals forbid=user:d\n"
                              "photo ph by=c audience=friends tags=b persona=b.weekend\n");
    ps_report *r = check(m);
    const ps_exposure *x = exposure(r, m, "ph", "d");
    cr_assert(x);
    cr_assert_eq(x->severity, PS_SEV_FORBIDDEN);
    /* a is c's friend but not in b's pals: beyond intent */
    const ps_exposure *y = exposure(r, m, "ph", "a");
    cr_assert(y);
    cr_assert_eq(y->severity, PS_SEV_BEYOND_INTENT);
    ps_report_free(r);
    ps_model_free(m);
}

Test(expect, held_and_failed)
{
    ps_model *m = load(PEOPLE "post p by=a audience=friends\n"
                              "expect b can-see p\nexpect d can-see p\nexpect e cannot-see p\n");
    ps_report *r = check(m);
    cr_assert_eq(r->nexpects, 3);
    cr_assert(r->expects[0].held);
    cr_assert_not(r->expects[1].held);
    cr_assert(r->expects[2].held);
    ps_report_free(r);
    ps_model_free(m);
}

/* ---- the Al story -------------------------------------------------------------------- */

Test(story, al_tag_leak_to_dave_is_forbidden_with_tag_review_fix)
{
    ps_diag d;
    ps_diag_init(&d);
    ps_model *m = NULL;
    cr_assert(ps_parse_file("corpus/examples/al-the-accountant.psim", &m, &d) == 0);
    ps_diag_free(&d);
    ps_report *r = check(m);
    const ps_exposure *x = exposure(r, m, "ph1", "dave");
    cr_assert(x, "dave sees ph1 through al's tag");
    cr_assert_eq(x->severity, PS_SEV_FORBIDDEN);
    char buf[256];
    cr_assert_str_eq(ps_path_shape_text(&x->path, buf, sizeof buf), "owner > tag(friend)");
    cr_assert_eq(x->path.links[x->path.nlinks - 1].grant.through,
                 ps_model_find(m, PS_NS_USER, 0, "al", 2));
    cr_assert(has_fix(r, m, x, "al: tag-review=on"));
    cr_assert_gt(r->counts[PS_SEV_EXTERNAL], 0, "the quiz app reads through frank");
    ps_report_free(r);
    ps_model_free(m);
}
