/* test_report_lead.c - the sections that lead the HTML report (what to change, where it leaks
 * most), diagrams that link to their own SVG files, and the audience chosen by exposure. */
#include "engine.h"
#include "fix_more.h"
#include "html_lead.h"
#include "lang_test.h"
#include "report.h"

#include <unistd.h>

#define AL "corpus/examples/al-the-accountant.psim"

static char *al_html(ps_model **mp)
{
    ps_model *m = parse_file_ok(AL);
    ps_check_opts co = { .fixes = true };
    ps_report *r;
    cr_assert(ps_check(m, &co, &r) == 0);
    cr_assert(ps_fix_complete(m, r) == 0);
    char *html;
    ps_report_opts o = { .scenario_path = AL };
    cr_assert(ps_report_html(m, r, &o, &html) == 0);
    ps_report_free(r);
    *mp = m;
    return html;
}

Test(report_lead, the_plan_comes_first)
{
    ps_model *m;
    char *h = al_html(&m);
    const char *plan = strstr(h, "<section id=\"plan\"><h2>What to change</h2>");
    cr_assert(plan != NULL);
    cr_expect(strstr(h, "<section") == plan, "What to change is the first section");
    cr_expect(strstr(plan, "2 changes remove 4 of 4") != NULL);
    cr_expect(strstr(plan, "al: tag-review=on") != NULL);
    const char *worst = strstr(h, "<section id=\"worst\">");
    cr_assert(worst != NULL && worst > plan && worst < strstr(h, "<section id=\"summary\">"));
    cr_expect(strstr(worst, "Worst items</caption>") != NULL);
    cr_expect(strstr(worst, "Most exposed people</caption>") != NULL);
    /* p1 (2 forbidden, 5 in all) heads the worst items */
    const char *first_row = strstr(strstr(worst, "Worst items</caption>"), "<tbody><tr><td>");
    cr_assert(first_row != NULL);
    cr_expect(strncmp(first_row + strlen("<tbody><tr><td>"), "post p1", 7) == 0);
    free(h);
    ps_model_free(m);
}

Test(report_lead, each_diagram_has_its_own_file)
{
    ps_model *m;
    char *h = al_html(&m);
    uint32_t figures = 0;
    for (const char *p = strstr(h, "<figure><svg"); p; p = strstr(p + 1, "<figure><svg"))
        figures++;
    cr_assert(figures > 3);
    char link[64];
    snprintf(link, sizeof link, "href=\"diagram-%03u.svg\"", figures);
    cr_expect(strstr(h, link) != NULL, "the last diagram links to %s", link);
    char dir[] = "/tmp/privsim-lead-XXXXXX";
    cr_assert(mkdtemp(dir) != NULL);
    ps_atomic_dir ad;
    cr_assert(ps_atomic_dir_open(&ad, dir, ps_html_is_report_file) == 0);
    cr_assert(ps_html_write_svgs(&ad, dir, h) == 0);
    cr_assert(ps_atomic_dir_commit(&ad) == 0);
    char path[128];
    snprintf(path, sizeof path, "%s/diagram-%03u.svg", dir, figures);
    FILE *f = fopen(path, "r");
    cr_assert(f != NULL, "%s is written", path);
    char head[64] = "";
    cr_expect(fgets(head, sizeof head, f) && strncmp(head, "<?xml", 5) == 0);
    fclose(f);
    for (uint32_t i = 1; i <= figures; i++) {
        snprintf(path, sizeof path, "%s/diagram-%03u.svg", dir, i);
        unlink(path);
    }
    rmdir(dir);
    free(h);
    ps_model_free(m);
}
