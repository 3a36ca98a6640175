/* test_anchor.c - the statement an annotation points at (anchor.h), on a scenario whose
 * exposures each have a different cause. */
#include "anchor.h"
#include "lang_test.h"

static const char scenario[] =
    "platform facebook-2011\n"                          /* 1 */
    "rule reshare = visible\n"                          /* 2 */
    "user al bob cat dan\n"                             /* 3 */
    "friends al bob cat\n"                              /* 4 */
    "friends bob dan\n"                                 /* 5 */
    "post  p  by=al audience=friends\n"                 /* 6 */
    "photo ph by=bob audience=friends tags=al\n"        /* 7 */
    "set al tag-review=off\n"                           /* 8 */
    "do bob share p audience=friends\n";                /* 9 */

/* The anchor of the exposure of `item` to `viewer`. */
static ps_anchor anchor_of(const ps_model *m, const ps_report *r, const char *item,
                           const char *viewer)
{
    ps_anchor a;
    char v[64];
    for (uint32_t i = 0; i < r->nexposures; i++)
        if (strcmp(m->items[r->exposures[i].item].name, item) == 0 &&
            strcmp(ps_viewer_name(m, r->exposures[i].viewer, v, sizeof v), viewer) == 0) {
            ps_anchor_find(m, &r->exposures[i], &a);
            return a;
        }
    cr_assert(false, "no exposure of %s to %s", item, viewer);
    return a;
}

Test(anchor, each_cause_at_its_statement)
{
    ps_model *m = parse_ok(scenario);
    ps_check_opts co = { .fixes = false };
    ps_report *r;
    cr_assert(eq(int, ps_check(m, &co, &r), 0));
    /* bob's reshare, a step: its line, with the item's line related */
    ps_anchor a = anchor_of(m, r, "p", "dan");
    cr_assert(eq(u32, a.at.loc.line, 9));
    bool item_related = false;
    for (uint32_t k = 0; k < a.nrelated; k++)
        item_related |= a.related[k].loc.line == 6;
    cr_assert(item_related, "the item's line is a related location");
    /* the tag of al, live because al turned tag review off: the set line, at the setting */
    a = anchor_of(m, r, "ph", "cat");
    cr_assert(eq(u32, a.at.loc.line, 8));
    cr_assert(eq(u32, a.at.loc.col, 8));
    ps_report_free(r);
    ps_model_free(m);
}
