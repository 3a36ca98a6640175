/* test_harden.c - harden: one person's own settings, safe at every point of the space of
 * other people's actions, keeping the most reach; or who else must act. */
#include "engine.h"
#include "fuzzer.h"
#include "harden.h"
#include "lang_test.h"
#include "space.h"

#define AL "corpus/examples/al-the-accountant.psim"

static bool has_line(const ps_harden *h, const char *needle)
{
    for (uint32_t i = 0; i < h->nlines; i++)
        if (strstr(h->lines[i], needle))
            return true;
    return false;
}

static bool weekend_reaches(const ps_model *m, const ps_harden *h, const char *who)
{
    for (uint32_t i = 0; i < h->nkept; i++) {
        const ps_item *it = &m->items[h->kept[i].item];
        if (it->persona != PS_NONE && strcmp(m->personas[it->persona].name, "weekend") == 0 &&
            strcmp(m->users[h->kept[i].viewer].name, who) == 0)
            return true;
    }
    return false;
}

Test(harden, al_against_everything_others_can_do, .timeout = 120)
{
    ps_model *m = parse_file_ok(AL);
    ps_harden_opts o = { .user = "al", .others = true, .vary = true };
    ps_harden *h;
    char err[256];
    cr_assert(ps_harden_run(m, &o, &h, err, sizeof err) == 0, "%s", err);
    cr_assert(h->suffices);
    cr_expect(has_line(h, "tag-review=on"), "tag review on");
    cr_expect(has_line(h, "apps-through-friends=photos"), "apps without birthday");
    cr_expect(has_line(h, "birthday") == false);
    cr_expect(eq(dbl, h->points, 2592), "every point of --vary-others al");
    cr_expect(weekend_reaches(m, h, "erin"));
    cr_expect(weekend_reaches(m, h, "frank"));

    /* an independent proof: every point of the hardened scenario's space, written out as a
     * scenario of its own and checked, shows no forbidden exposure of al's items */
    const char *who[] = { "al" };
    ps_space_opts so = { .vary_others = who, .nvary_others = 1 };
    ps_space *s;
    cr_assert(ps_space_build(h->hardened, &so, &s, err, sizeof err) == 0);
    cr_assert(eq(dbl, s->npoints, 2592));
    uint8_t *pt = calloc(s->ndims, 1);
    cr_assert(pt != NULL);
    uint32_t al = ps_model_find(m, PS_NS_USER, 0, "al", 2), checked = 0;
    for (;;) {
        ps_model *pm = ps_space_point_model(s, pt);
        cr_assert(pm != NULL);
        ps_check_opts co = { .fixes = false };
        ps_report *r;
        cr_assert(ps_check(pm, &co, &r) == 0);
        for (uint32_t i = 0; i < r->nexposures; i++) {
            const ps_item *it = &pm->items[r->exposures[i].item];
            bool als = it->owner == al ||
                       (it->persona != PS_NONE && pm->personas[it->persona].owner == al);
            cr_expect(als == false || r->exposures[i].severity != PS_SEV_FORBIDDEN,
                      "a forbidden exposure of %s at point %u", it->name, checked);
        }
        ps_report_free(r);
        ps_model_free(pm);
        checked++;
        uint32_t d = s->ndims;
        while (d > 0 && ++pt[d - 1] == s->dims[d - 1].nalts)
            pt[--d] = 0;
        if (d == 0)
            break;
    }
    cr_expect(eq(u32, checked, 2592));
    free(pt);
    ps_space_free(s);
    ps_harden_free(h);
    ps_model_free(m);
}

Test(harden, says_who_else_must_act)
{
    ps_model *m = parse_file_ok("tests/data/harden/others-must-act.psim");
    ps_harden_opts o = { .user = "al", .others = true, .vary = true };
    ps_harden *h;
    char err[256];
    cr_assert(ps_harden_run(m, &o, &h, err, sizeof err) == 0, "%s", err);
    cr_assert(h->suffices == false, "frank's public photo is out of al's hands");
    cr_assert(eq(u32, h->nleft, 1));
    cr_expect(strcmp(m->users[h->left[0].viewer].name, "carol") == 0);
    bool frank = false;
    for (uint32_t i = 0; i < h->nothers; i++)
        frank |= strstr(h->others[i], "frank: ") != NULL;
    cr_expect(frank, "frank is named as who could remove it");
    ps_harden_free(h);
    ps_model_free(m);
}

Test(harden, unknown_user_is_an_error)
{
    ps_model *m = parse_file_ok(AL);
    ps_harden_opts o = { .user = "nobody", .others = true };
    ps_harden *h;
    char err[256];
    cr_expect(eq(int, ps_harden_run(m, &o, &h, err, sizeof err), -2));
    cr_expect(strstr(err, "nobody") != NULL);
    ps_model_free(m);
}
