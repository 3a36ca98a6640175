/* test_history.c - `privsim history`: a scenario through every dated preset, its classes,
 * its widenings and their causes, and the chart drawn from it. */
#include <criterion/criterion.h>
#include <graphviz/cgraph.h>
#include <stdio.h>
#include <string.h>

#include "history.h"
#include "parse.h"
#include "viz.h"

static ps_model *load_file(const char *path)
{
    ps_diag d;
    ps_diag_init(&d);
    ps_model *m = NULL;
    int rc = ps_parse_file(path, &m, &d);
    ps_diag_free(&d);
    cr_assert_eq(rc, 0, "%s does not parse", path);
    return m;
}

static int preset_col(const ps_history *h, const char *name)
{
    for (uint32_t p = 0; p < h->npresets; p++)
        if (strcmp(h->presets[p], name) == 0)
            return (int)p;
    cr_assert_fail("no preset %s in the history", name);
    return -1;
}

static int row_of(const ps_history *h, const char *item)
{
    for (uint32_t r = 0; r < h->nitems; r++)
        if (strcmp(h->m->items[h->items[r]].name, item) == 0)
            return (int)r;
    cr_assert_fail("no row %s", item);
    return -1;
}

static const ps_history_cell *cell(const ps_history *h, const char *item, const char *preset)
{
    return ps_history_at(h, (uint32_t)row_of(h, item), (uint32_t)preset_col(h, preset));
}

Test(history_cmd, al_through_the_presets)
{
    ps_model *m = load_file("corpus/examples/al-the-accountant.psim");
    ps_history *h;
    cr_assert_eq(ps_history_compute(m, 0, &h), 0);
    /* every dated preset, in date order; strict has no date and no column */
    cr_assert_eq(h->npresets, 10);
    cr_expect_str_eq(h->presets[0], "facebook-2005");
    cr_expect_str_eq(h->presets[h->npresets - 1], "facebook-2015");
    /* his posts, then his 15 fields */
    cr_assert_eq(h->nitems, 1 + PS_NFIELDS);
    cr_expect_str_eq(h->m->items[h->items[0]].name, "p1");
    /* the file's `rule forced-public` line is set aside: April 2010 forces the city public */
    const ps_history_cell *c = cell(h, "al.city", "facebook-2010");
    cr_expect_eq(c->cls, PS_HC_INTERNET);
    /* 2005: name shown to every user but not to the internet; 2007: the search listing */
    cr_expect_eq(cell(h, "al.name", "facebook-2005")->cls, PS_HC_USERS);
    c = cell(h, "al.name", "facebook-2007");
    cr_expect_eq(c->cls, PS_HC_INTERNET);
    cr_expect(ps_history_widens(h, (uint32_t)row_of(h, "al.name"),
                                (uint32_t)preset_col(h, "facebook-2007")));
    cr_expect_str_eq(c->via, "search listing");
    cr_expect(strstr(c->cause, "rule search-listing = on"), "cause: %s", c->cause);
    /* the quiz app reads the birthday through frank from 2007 to 2014, not in 2005 or 2015 */
    cr_expect_eq(cell(h, "al.birthday", "facebook-2005")->cls, PS_HC_FRIENDS);
    cr_expect_eq(cell(h, "al.birthday", "facebook-2014")->cls, PS_HC_APPS);
    cr_expect_str_eq(cell(h, "al.birthday", "facebook-2014")->viewer, "app:quiz");
    cr_expect_eq(cell(h, "al.birthday", "facebook-2015")->cls, PS_HC_FRIENDS);
    /* erin's public reshare of p1 reaches the internet only where a share may widen */
    cr_expect_eq(cell(h, "p1", "facebook-2010")->cls, PS_HC_INTERNET);
    cr_expect(strstr(cell(h, "p1", "facebook-2010")->cause, "rule reshare = visible"));
    cr_expect_eq(cell(h, "p1", "facebook-2011")->cls, PS_HC_FRIENDS);
    ps_history_free(h);
    ps_model_free(m);
}

Test(history_cmd, chart_has_a_cell_per_item_and_preset)
{
    ps_model *m = load_file("corpus/examples/al-the-accountant.psim");
    ps_history *h;
    cr_assert_eq(ps_history_compute(m, 0, &h), 0);
    ps_diagram d;
    cr_assert_eq(ps_draw_history(h, &d), 0);
    cr_expect_str_eq(d.layout, "nop");
    Agraph_t *g = d.g;
    int cells = 0, numbered = 0;
    for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n))
        if (agnameof(n)[0] == 'c' && agnameof(n)[1] != 'o') {
            cells++;
            numbered += strstr(agget(n, "label"), "  (") != NULL;
        }
    cr_expect_eq(cells, (int)(h->nitems * h->npresets));
    int widenings = 0;
    for (uint32_t r = 0; r < h->nitems; r++)
        for (uint32_t p = 0; p < h->npresets; p++)
            widenings += ps_history_widens(h, r, p);
    cr_expect_eq(numbered, widenings);
    Agnode_t *notes = agnode(g, "notes", 0);
    cr_assert(notes);
    cr_expect(strstr(agget(notes, "label"), "(1) p1, facebook-2010"), "%s",
              agget(notes, "label"));
    char *svg;
    size_t len;
    cr_assert_eq(ps_diagram_render(&d, PS_GV_SVG, &svg, &len), 0);
    cr_expect(strstr(svg, "facebook&#45;2009&#45;12"));  /* SVG escapes the hyphen */
    free(svg);
    ps_diagram_free(&d);
    ps_history_free(h);
    ps_model_free(m);
}
