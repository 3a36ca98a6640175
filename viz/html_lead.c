/* html_lead.c - the sections that lead the HTML report and the diagrams as SVG files of
 * their own (see html_lead.h). */
#include "html_lead.h"
#include "plan.h"
#include "viz.h"
#include "viz_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Names are clipped in tables as in the rest of the page. */
#define LEAD_CLIP 60

static const char *const sev_css[PS_NSEV] = { "beyond", "external", "forbidden" };

static void add_clipped(ps_sb *b, const ps_model *m, uint32_t id, bool item)
{
    ps_sb t;
    ps_sb_init(&t);
    if (item)
        ps_viz_add_item_clip(&t, m, id, LEAD_CLIP);
    else
        ps_viz_add_viewer_clip(&t, m, id, LEAD_CLIP);
    ps_sb_add_html(b, ps_sb_str(&t));
    if (t.oom)
        b->oom = true;
    ps_sb_free(&t);
}

/* "ph1: carol, dave; p1: gina" with at most `max` viewers named. */
static void add_pairs(ps_sb *b, const ps_model *m, const ps_plan_pair *v, uint32_t n,
                      uint32_t max)
{
    char buf[32];
    for (uint32_t i = 0; i < n; i++) {
        if (i == max) {
            ps_sb_addf(b, " and %s more", ps_viz_count(n - i, buf, sizeof buf));
            return;
        }
        if (!i || v[i].item != v[i - 1].item) {
            ps_sb_add(b, i ? "; <b>" : "<b>");
            ps_sb_add_html(b, m->items[v[i].item].name);
            ps_sb_add(b, "</b>: ");
        } else {
            ps_sb_add(b, ", ");
        }
        add_clipped(b, m, v[i].viewer, false);
    }
}

int ps_html_add_plan(ps_sb *b, const ps_model *m, const ps_report *r, bool partial)
{
    char buf[1024], n1[32], n2[32];
    ps_sb_add(b, "<section id=\"plan\"><h2>What to change</h2>\n");
    int worst = -1;
    for (uint32_t i = 0; i < r->nexposures; i++)
        if ((int)r->exposures[i].severity > worst)
            worst = r->exposures[i].severity;
    if (worst < 0) {
        ps_sb_add(b, "<p>Nothing: the scenario has no exposure.</p></section>\n");
        return 0;
    }
    ps_plan *p;
    /* on a large scenario the reach and the costs (two simulations of every item, one of each
     * changed item per change) are left to `privsim plan` */
    if (ps_plan_make_opts(m, r, (ps_severity)worst, !partial, partial ? 1 : 0, &p))
        return -1;
    ps_sb_addf(b, "<p>The fewest changes found for the exposures that are %s "
                  "(<code>privsim plan --severity %s</code>): ",
               ps_viz_severity_words(worst), ps_severity_name((ps_severity)worst));
    ps_sb_addf(b, "<b>%s change%s remove%s %s of %s</b>. The changes were applied together "
                  "and the scenario checked again: ",
               ps_viz_count(p->nchanges, n1, sizeof n1), p->nchanges == 1 ? "" : "s",
               p->nchanges == 1 ? "s" : "", ps_viz_count(p->ntargets - p->nleft, n2, sizeof n2),
               ps_viz_count(p->ntargets, buf, sizeof buf));
    ps_sb_addf(b, "%s left.", ps_viz_count(p->nleft, n1, sizeof n1));
    if (p->costs)
        ps_sb_addf(b, " Intended reach (an item and an intended viewer who sees it): %s before, "
                      "%s after.", ps_viz_count(p->reach_before, n1, sizeof n1),
                   ps_viz_count(p->reach_after, n2, sizeof n2));
    else
        ps_sb_add(b, " On this large scenario fixes were verified for the items that describe "
                     "each group only, so the plan covers their exposures and the rest are "
                     "left, and the intended reach each change costs is not computed here: "
                     "<code>privsim plan</code> verifies every fix and computes both.");
    ps_sb_add(b, "</p>\n<ol class=\"plan\">");
    uint32_t shown = 0;
    for (uint32_t i = 0; i < p->nchanges && shown < 50; i++, shown++) {
        const ps_plan_change *c = &p->changes[i];
        ps_sb_add(b, "<li><b class=\"fix\">");
        ps_sb_add_html(b, ps_fix_text(m, &c->fix, buf, sizeof buf));
        ps_sb_addf(b, "</b> <span class=\"muted\">(%s)</span><br>removes %s: ",
                   ps_plan_class_name((ps_plan_class)c->cls),
                   ps_viz_count(c->nremoves, n1, sizeof n1));
        add_pairs(b, m, c->removes, c->nremoves, 12);
        if (p->costs) {
            ps_sb_add(b, "<br>costs: ");
            if (!c->nlost)
                ps_sb_add(b, "no intended viewer");
            else
                add_pairs(b, m, c->lost, c->nlost, 12);
        }
        ps_sb_add(b, "</li>");
    }
    ps_sb_add(b, "</ol>\n");
    if (shown < p->nchanges)
        ps_sb_addf(b, "<p class=\"muted\">and %s more changes: <code>privsim plan</code> lists "
                      "them all.</p>\n", ps_viz_count(p->nchanges - shown, n1, sizeof n1));
    if (p->nleft) {
        ps_sb_add(b, "<p>Left after the plan: ");
        add_pairs(b, m, p->left, p->nleft, 12);
        ps_sb_add(b, "</p>\n");
    }
    ps_sb_add(b, "</section>\n");
    ps_plan_free(p);
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * Where it leaks most
 * ------------------------------------------------------------------------------------- */

typedef struct {
    uint32_t key;          /* item or user */
    uint64_t by[PS_NSEV];  /* exposures by severity */
} tally;

static int cmp_tally(const void *pa, const void *pb)
{
    const tally *a = pa, *b = pb;
    for (int s = PS_NSEV - 1; s >= 0; s--)
        if (a->by[s] != b->by[s])
            return a->by[s] > b->by[s] ? -1 : 1;
    return a->key < b->key ? -1 : a->key > b->key;
}

/* Exposures by severity per item (`items`) or per person whose intent they break; the
 * caller frees.  NULL out of memory. */
static tally *tallies(const ps_model *m, const ps_report *r, bool items)
{
    uint32_t n = items ? m->nitems : m->nusers;
    tally *t = calloc(n ? n : 1, sizeof *t);
    if (!t)
        return NULL;
    for (uint32_t i = 0; i < n; i++)
        t[i].key = i;
    for (uint32_t i = 0; i < r->nexposures; i++) {
        const ps_exposure *x = &r->exposures[i];
        const ps_item *it = &m->items[x->item];
        uint32_t subject = it->persona != PS_NONE ? m->personas[it->persona].owner : it->owner;
        t[items ? x->item : subject].by[x->severity]++;
    }
    return t;
}

/* Keeps the keys with exposures, ranked; returns how many. */
static uint32_t rank(tally *t, uint32_t n)
{
    uint32_t used = 0;
    for (uint32_t i = 0; i < n; i++)
        if (t[i].by[0] + t[i].by[1] + t[i].by[2])
            t[used++] = t[i];
    qsort(t, used, sizeof *t, cmp_tally);
    return used;
}

uint32_t ps_html_worst_items(const ps_model *m, const ps_report *r, uint32_t *out, uint32_t max)
{
    tally *t = tallies(m, r, true);
    if (!t)
        return 0;
    uint32_t used = rank(t, m->nitems), n = 0;
    for (; n < used && n < max; n++)
        out[n] = t[n].key;
    free(t);
    return n;
}

static void add_tally_table(ps_sb *b, const ps_model *m, const char *caption, const char *head,
                            tally *t, uint32_t n, bool items)
{
    char buf[32];
    uint32_t used = rank(t, n);
    ps_sb_addf(b, "<table class=\"counts worst\"><caption>%s</caption><thead><tr><th>%s</th>"
                  "<th>worst</th><th class=\"num\">forbidden</th><th class=\"num\">external</th>"
                  "<th class=\"num\">beyond intent</th><th class=\"num\">total</th></tr></thead>"
                  "<tbody>", caption, head);
    if (!used)
        ps_sb_add(b, "<tr><td colspan=\"6\" class=\"muted\">none</td></tr>");
    for (uint32_t i = 0; i < used && i < PS_HTML_WORST_ROWS; i++) {
        ps_sb_add(b, "<tr><td>");
        add_clipped(b, m, t[i].key, items);
        int worst = t[i].by[2] ? 2 : t[i].by[1] ? 1 : 0;
        ps_sb_addf(b, "</td><td><span class=\"badge %s\">%s</span></td>", sev_css[worst],
                   ps_viz_severity_words(worst));
        for (int s = PS_NSEV - 1; s >= 0; s--)
            ps_sb_addf(b, "<td class=\"num\">%s</td>", ps_viz_count(t[i].by[s], buf, sizeof buf));
        ps_sb_addf(b, "<td class=\"num\"><b>%s</b></td></tr>",
                   ps_viz_count(t[i].by[0] + t[i].by[1] + t[i].by[2], buf, sizeof buf));
    }
    if (used > PS_HTML_WORST_ROWS)
        ps_sb_addf(b, "<tr><td colspan=\"6\" class=\"muted\">and %s more</td></tr>",
                   ps_viz_count(used - PS_HTML_WORST_ROWS, buf, sizeof buf));
    ps_sb_add(b, "</tbody></table>\n");
}

void ps_html_add_worst(ps_sb *b, const ps_model *m, const ps_report *r)
{
    tally *items = tallies(m, r, true), *people = tallies(m, r, false);
    if (!items || !people) {
        free(items);
        free(people);
        b->oom = true;
        return;
    }
    ps_sb_add(b, "<section id=\"worst\"><h2>Where it leaks most</h2>\n<p>Items ranked by their "
                 "worst exposure, then by how many viewers see them outside their intended "
                 "audience; people ranked the same way by the exposures of their items (the "
                 "persona's owner, else the item's owner).</p>\n");
    add_tally_table(b, m, "Worst items", "item", items, m->nitems, true);
    add_tally_table(b, m, "Most exposed people", "person", people, m->nusers, false);
    ps_sb_add(b, "</section>\n");
    free(items);
    free(people);
}

/* ---------------------------------------------------------------------------------------
 * Diagrams as files
 * ------------------------------------------------------------------------------------- */

void ps_html_add_svg_link(ps_sb *b, uint32_t n)
{
    ps_sb_addf(b, "<a class=\"alone\" href=\"diagram-%03u.svg\">open this diagram "
                  "alone</a>", (unsigned)n + 1);
}

/* Writes `name` with `len` bytes of `data` into the stage `ad`, or, without one, into
 * DIR/name through its own temporary file. */
static int write_report_file(ps_atomic_dir *ad, const char *dir, const char *name,
                             const char *data, size_t len)
{
    if (!ad) {
        size_t n = strlen(dir) + strlen(name) + 2;
        char *path = malloc(n);
        if (!path) {
            errno = ENOMEM;
            return -1;
        }
        snprintf(path, n, "%s/%s", dir, name);
        int rc = ps_viz_write_file(path, data, len);
        free(path);
        return rc;
    }
    FILE *f = ps_atomic_dir_create(ad, name);
    if (!f)
        return -1;
    fwrite(data, 1, len, f);
    int werr = ferror(f) ? EIO : 0;
    if (ps_atomic_dir_close_file(f) != 0)
        return -1;
    if (werr) {
        errno = werr;
        return -1;
    }
    return 0;
}

int ps_html_write_svgs(ps_atomic_dir *ad, const char *dir, const char *html)
{
    static const char open[] = "<figure><svg";
    uint32_t n = 0;
    int rc = 0;
    for (const char *p = strstr(html, open); p && !rc; p = strstr(p, open)) {
        const char *s = p + strlen("<figure>");
        const char *e = strstr(s, "</svg>");
        if (!e)
            break;
        e += strlen("</svg>");
        ps_sb f;
        ps_sb_init(&f);
        ps_sb_add(&f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        ps_sb_addn(&f, s, (size_t)(e - s));
        ps_sb_add(&f, "\n");
        char name[64];
        snprintf(name, sizeof name, "diagram-%03u.svg", (unsigned)++n);
        if (f.oom) {
            errno = ENOMEM;
            rc = -1;
        } else {
            rc = write_report_file(ad, dir, name, ps_sb_str(&f), strlen(ps_sb_str(&f)));
        }
        ps_sb_free(&f);
        p = e;
    }
    return rc;
}

int ps_html_write_page(ps_atomic_dir *ad, const char *dir, const char *html)
{
    return write_report_file(ad, dir, "index.html", html, strlen(html));
}

bool ps_html_is_report_file(const char *name)
{
    size_t n = strlen(name);
    return strcmp(name, "index.html") == 0 ||
           (strncmp(name, "diagram-", 8) == 0 && n > 12 && strcmp(name + n - 4, ".svg") == 0);
}
