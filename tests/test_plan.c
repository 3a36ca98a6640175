/* test_plan.c - plan: the fewest verified changes that remove every exposure at or above a
 * severity, re-checked as a whole, with what each change removes and costs. */
#include "engine.h"
#include "fix_more.h"
#include "lang_test.h"
#include "plan.h"
#include "populate.h"
#include "snap.h"

#define AL "corpus/examples/al-the-accountant.psim"

static ps_plan *plan_of(ps_model *m, ps_severity min)
{
    ps_check_opts o = { .fixes = true };
    ps_report *r;
    cr_assert(ps_check(m, &o, &r) == 0);
    cr_assert(ps_fix_complete(m, r) == 0);
    ps_plan *p;
    cr_assert(ps_plan_make(m, r, min, &p) == 0);
    ps_report_free(r);
    return p;
}

static uint64_t count_at(const ps_model *m, ps_severity min)
{
    ps_check_opts o = { .fixes = false };
    ps_report *r;
    cr_assert(ps_check(m, &o, &r) == 0);
    uint64_t n = 0;
    for (int s = min; s < PS_NSEV; s++)
        n += r->counts[s];
    ps_report_free(r);
    return n;
}

static bool has_change(const ps_model *m, const ps_plan *p, const char *text)
{
    char buf[512];
    for (uint32_t i = 0; i < p->nchanges; i++)
        if (strcmp(ps_fix_text(m, &p->changes[i].fix, buf, sizeof buf), text) == 0)
            return true;
    return false;
}

Test(plan, al_forbidden_needs_al_alone)
{
    ps_model *m = parse_file_ok(AL);
    ps_plan *p = plan_of(m, PS_SEV_FORBIDDEN);
    cr_assert(eq(u32, p->ntargets, 4));
    cr_assert(eq(u32, p->nchanges, 2), "two changes of al's own cover the four");
    cr_expect(has_change(m, p, "al: tag-review=on"));
    uint32_t removed = 0;
    for (uint32_t i = 0; i < p->nchanges; i++) {
        cr_expect(eq(u8, p->changes[i].cls, PS_PLAN_OWN));
        removed += p->changes[i].nremoves;
    }
    cr_expect(eq(u32, removed, 4), "what the changes remove adds up to the exposures");
    cr_expect(eq(u32, p->nleft, 0));
    cr_expect(eq(u64, count_at(p->planned, PS_SEV_FORBIDDEN), 0));
    ps_plan_free(p);
    ps_model_free(m);
}

Test(plan, every_severity_is_clean_after_the_plan)
{
    ps_model *m = parse_file_ok(AL);
    for (int s = 0; s < PS_NSEV; s++) {
        ps_plan *p = plan_of(m, (ps_severity)s);
        cr_expect(eq(u32, p->nleft, 0), "severity %d", s);
        cr_expect(eq(u64, count_at(p->planned, (ps_severity)s), 0),
                  "the planned scenario of severity %d is checked clean", s);
        /* user settings come before other people's, which come before rules */
        for (uint32_t i = 1; i < p->nchanges; i++)
            if (p->changes[i].round == p->changes[i - 1].round)
                cr_expect(p->changes[i - 1].cls <= p->changes[i].cls);
        ps_plan_free(p);
    }
    ps_model_free(m);
}

Test(plan, a_change_that_costs_reach_says_so)
{
    ps_model *m = parse_ok(
        "platform facebook-2010\n"
        "user ann bob cat dan\n"
        "friends ann bob cat\nfriends cat dan\n"
        "persona ann home audience=user:bob,user:cat forbid=user:dan\n"
        "post p by=ann audience=friends persona=ann.home\n"
        "do cat share p audience=friends\n");
    ps_plan *p = plan_of(m, PS_SEV_FORBIDDEN);
    cr_assert(eq(u32, p->nchanges, 1));
    char buf[256];
    cr_expect(strcmp(ps_fix_text(m, &p->changes[0].fix, buf, sizeof buf), "ann: set p hide=user:cat") == 0,
              "%s", buf);
    cr_assert(eq(u32, p->changes[0].nlost, 1), "hiding p from cat costs cat");
    cr_expect(strcmp(m->users[p->changes[0].lost[0].viewer].name, "cat") == 0);
    cr_expect(eq(u64, p->reach_before - p->reach_after, 1));
    ps_plan_free(p);
    ps_model_free(m);
}

/* The handmade SNAP network, populated as `import snap-ego --combined --items-per-person 10`
 * does, under facebook-2010: every severity's plan leaves a planned scenario with no exposure
 * at that severity, checked again from scratch. */
Test(plan, snap_mini_planned_scenarios_are_clean, .timeout = 120)
{
    ps_snap_opts so = { .dir = "tests/data/snap-mini", .combined = true };
    ps_diag d;
    ps_diag_init(&d);
    ps_model *m = NULL;
    cr_assert(ps_snap_import(&so, &m, NULL, &d) == 0);
    ps_diag_free(&d);
    cr_assert(ps_model_set_platform(m, "facebook-2010") == 0);
    ps_populate_opts po = { .items_per_person = 10, .seed = 1 };
    cr_assert(ps_populate(m, &po, NULL) == 0);
    for (int s = 0; s < PS_NSEV; s++) {
        ps_plan *p = plan_of(m, (ps_severity)s);
        if (s != PS_SEV_FORBIDDEN) /* the populated network has no persona with a forbid set */
            cr_expect(p->ntargets > 0, "severity %d has exposures to plan for", s);
        cr_expect(eq(u32, p->nleft, 0), "severity %d: left %u", s, p->nleft);
        cr_expect(eq(u64, count_at(p->planned, (ps_severity)s), 0), "severity %d", s);
        uint32_t removed = 0;
        for (uint32_t i = 0; i < p->nchanges; i++)
            removed += p->changes[i].round == 1 ? p->changes[i].nremoves : 0;
        cr_expect(eq(u32, removed, p->ntargets), "the first round covers every exposure");
        ps_plan_free(p);
    }
    ps_model_free(m);
}

/* The change a plan would make for one exposure: what `fuzz --format json` gives each finding. */
Test(plan, the_change_for_one_exposure)
{
    ps_model *m = parse_file_ok(AL);
    uint32_t ph1 = ps_model_find(m, PS_NS_ITEM, 0, "ph1", 3);
    uint32_t p1 = ps_model_find(m, PS_NS_ITEM, 0, "p1", 2);
    uint32_t dave = ps_model_find(m, PS_NS_USER, 0, "dave", 4);
    uint32_t erin = ps_model_find(m, PS_NS_USER, 0, "erin", 4);
    char buf[256];
    cr_assert(eq(int, ps_plan_change_for(m, ph1, dave, PS_SEV_FORBIDDEN, buf, sizeof buf), 1));
    cr_expect(strcmp(buf, "al: tag-review=on") == 0, "%s", buf);
    cr_assert(eq(int, ps_plan_change_for(m, p1, dave, PS_SEV_FORBIDDEN, buf, sizeof buf), 1));
    cr_expect(strcmp(buf, "al: set p1 hide=user:erin") == 0, "%s", buf);
    cr_expect(eq(int, ps_plan_change_for(m, p1, erin, PS_SEV_FORBIDDEN, buf, sizeof buf), 0),
              "erin is meant to see p1: no change");
    ps_model_free(m);
}
