/* test_gaps.c - small corners of the language: `hide=` without `audience=`, an approval with
 * no tag to approve. */
#include <criterion/criterion.h>
#include <string.h>

#include "engine.h"
#include "parse.h"

static ps_model *load(const char *text, uint32_t *warnings)
{
    ps_diag d;
    ps_diag_init(&d);
    ps_model *m = NULL;
    int rc = ps_parse_buffer("t.psim", text, strlen(text), &m, &d);
    if (rc)
        ps_diag_print(&d, stderr, false);
    if (warnings)
        *warnings = ps_diag_nwarnings(&d);
    ps_diag_free(&d);
    cr_assert_eq(rc, 0);
    return m;
}

static bool sees(const ps_model *m, const char *who, const char *item)
{
    uint32_t it = ps_model_find(m, PS_NS_ITEM, 0, item, strlen(item));
    uint32_t v = strcmp(who, "internet") == 0 ? ps_viewer_internet(m)
                                               : ps_model_find(m, PS_NS_USER, 0, who, strlen(who));
    cr_assert(it != PS_NONE && v != PS_NONE);
    return ps_sees(m, it, v, false) == 1;
}

/* `hide=` alone takes the platform's default audience and removes the hidden from it. */
Test(gaps, hide_alone_takes_the_default_audience)
{
    static const char scen[] = "user al bo cy\nfriends al bo cy\npost p by=al hide=user:bo\n";
    ps_model *m = load(scen, NULL);
    cr_expect(!m->items[0].has_audience);
    cr_expect(sees(m, "cy", "p"));       /* facebook-2015: friends by default */
    cr_expect(!sees(m, "bo", "p"));
    cr_expect(!sees(m, "internet", "p"));
    cr_assert_eq(ps_model_set_platform(m, "facebook-2010"), 0);
    cr_expect(sees(m, "internet", "p"));  /* facebook-2010: public by default */
    cr_expect(!sees(m, "bo", "p"));
    /* bo is outside the intended audience only if he sees it: nobody is exposed */
    ps_check_opts o = { .fixes = false };
    ps_report *r;
    cr_assert_eq(ps_check(m, &o, &r), 0);
    for (uint32_t i = 0; i < r->nexposures; i++)
        cr_expect(r->exposures[i].viewer != 1, "bo is exposed");
    ps_report_free(r);
    ps_model_free(m);
}

/* An approval before the tag exists is a warning and does nothing; one after it holds. */
Test(gaps, approval_before_the_tag_warns_and_does_nothing)
{
    uint32_t w;
    ps_model *m = load("user al bo cy\nfriends al bo\nset bo tag-review=on\n"
                       "photo ph by=al audience=only-me\n"
                       "do bo approve-tag ph\ndo al tag ph bo\n", &w);
    cr_expect_eq(w, 1);
    cr_expect(!sees(m, "bo", "ph"), "the early approval was kept for the later tag");
    ps_model_free(m);
    m = load("user al bo cy\nfriends al bo\nset bo tag-review=on\n"
             "photo ph by=al audience=only-me\n"
             "do al tag ph bo\ndo bo approve-tag ph\n", &w);
    cr_expect_eq(w, 0);
    cr_expect(sees(m, "bo", "ph"));
    ps_model_free(m);
}
