/* test_fixmore.c - the fixes that ps_check()'s per-path candidates leave out: the owner's
 * hide when many viewers are exposed, and tag review by several tagged people at once. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "engine.h"
#include "fix_more.h"
#include "lang_test.h"

static bool has_fix(const ps_model *m, const ps_report *r, const ps_exposure *x, const char *text)
{
    char buf[512];
    for (uint32_t k = 0; k < x->nfixes; k++)
        if (strcmp(ps_fix_text(m, &r->fixes[x->fix_first + k], buf, sizeof buf), text) == 0)
            return true;
    return false;
}

Test(fixmore, nine_friends_of_two_tagged)
{
    ps_model *m = parse_file_ok("tests/data/fixes/two-tags-nine-friends.psim");
    ps_check_opts o = { .fixes = true };
    ps_report *r;
    cr_assert(ps_check(m, &o, &r) == 0);
    cr_assert_eq(r->nexposures, 9, "the nine friends of the tagged see the photo");
    cr_assert(ps_fix_complete(m, r) == 0);
    /* the owner has a change of her own: the photo's friends-of-tagged choice; since one
     * change cuts every path, no two-change fix is needed, and nothing says that only the
     * platform can cut it */
    for (uint32_t i = 0; i < r->exposures[0].nfixes; i++) {
        char buf[256];
        ps_fix_text(m, &r->fixes[r->exposures[0].fix_first + i], buf, sizeof buf);
        cr_log_info("fix: %s", buf);
    }
    for (uint32_t i = 0; i < r->nexposures; i++) {
        const ps_exposure *x = &r->exposures[i];
        cr_expect(has_fix(m, r, x, "olga: party tag-friends=off"),
                  "the owner's friends-of-tagged choice is offered for %s",
                  m->users[x->viewer].name);
        cr_expect(has_fix(m, r, x, "tina: tag-review=on") == false, "tina alone does not cut it");
        cr_expect(x->platform_only == false, "no sentence may claim that only the platform cuts it");
    }
    /* each offered fix really cuts its exposure */
    for (uint32_t k = 0; k < r->exposures[0].nfixes; k++) {
        ps_model *c = ps_model_clone(m);
        cr_assert(c != NULL);
        cr_assert(ps_fix_apply(c, &r->fixes[r->exposures[0].fix_first + k]) == 0);
        cr_expect(ps_sees(c, r->exposures[0].item, r->exposures[0].viewer, true) == 0);
        ps_model_free(c);
    }
    ps_report_free(r);
    ps_model_free(m);
}

Test(fixmore, nine_friends_of_two_commenters)
{
    /* more than eight viewers, and no single change by a person but the owner's hide of each
     * viewer: that hide is offered, and nothing says that only the platform can cut it */
    ps_model *m = parse_file_ok("tests/data/fixes/two-commenters-nine-friends.psim");
    ps_check_opts o = { .fixes = true };
    ps_report *r;
    cr_assert(ps_check(m, &o, &r) == 0);
    cr_assert_eq(r->nexposures, 9, "the nine friends of the commenters see the post");
    cr_assert(ps_fix_complete(m, r) == 0);
    for (uint32_t i = 0; i < r->nexposures; i++) {
        const ps_exposure *x = &r->exposures[i];
        char want[64];
        snprintf(want, sizeof want, "olga: set news hide=user:%s", m->users[x->viewer].name);
        cr_expect(has_fix(m, r, x, want), "the owner's hide is offered for %s",
                  m->users[x->viewer].name);
        cr_expect(has_fix(m, r, x, "tina: do not comment on or like news") == false,
                  "tina alone does not cut it");
        cr_expect(x->platform_only == false, "no sentence may claim that only the platform cuts it");
    }
    for (uint32_t k = 0; k < r->exposures[0].nfixes; k++) {
        ps_model *c = ps_model_clone(m);
        cr_assert(c != NULL);
        cr_assert(ps_fix_apply(c, &r->fixes[r->exposures[0].fix_first + k]) == 0);
        cr_expect(ps_sees(c, r->exposures[0].item, r->exposures[0].viewer, true) == 0);
        ps_model_free(c);
    }
    ps_report_free(r);
    ps_model_free(m);
}
