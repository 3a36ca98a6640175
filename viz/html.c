/* html.c - the HTML exposure report (see report.h).
 *
 * The page is built in memory in one ps_sb and written once, through a temporary file.  Its
 * parts, in order: the header; the summary (cards by severity, then tables by persona, by the
 * rule of the step that reached the viewer, and by category, each with a stacked bar); the
 * exposures, grouped by path shape and severity, most severe and most numerous first; the
 * expectations; the fuzz findings; audiences and persona maps for the worst cases; the
 * platform's rules and the scenario's text.
 *
 * Paths are described (ps_link_text, ps_link_basis) and drawn in the state of the timeline
 * in which they were found: one engine is stepped forward through the states the shown groups
 * need, in increasing order, and each group's fragment is written when its state is reached,
 * then the fragments are joined in display order.
 *
 * Everything from the scenario (names, captions, file text, diagnostics) goes through
 * ps_sb_add_html; diagrams are Graphviz SVG (which escapes its own text) stripped of their
 * XML prologue.
 */
#include "atomic.h"
#include "describe.h"
#include "diag.h"
#include "fix_more.h"
#include "html_lead.h"
#include "fix_budget.h"
#include "parse.h"
#include "print.h"
#include "report.h"
#include "version.h"
#include "viz_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "oom.h"

#define DEFAULT_MAX_DIAGRAMS 24
#define DEFAULT_MAX_GROUPS 200
#define DEFAULT_MAX_ROWS 100
#define MAX_AUDIENCES 3        /* audience diagrams of the worst items */
#define MAX_PERSONA_MAPS 2
#define MAX_FINDINGS 100
#define MAX_SOURCE_BYTES (64 * 1024)
#define HTML_CLIP 160          /* characters of a caption or a name shown on the page */

static const char *const sev_class[PS_NSEV] = { "beyond", "external", "forbidden" };

/* ---------------------------------------------------------------------------------------
 * The style sheet
 * ------------------------------------------------------------------------------------- */

static const char css[] =
    ":root{--forbidden:" PS_VIZ_COLOR_FORBIDDEN ";--external:" PS_VIZ_COLOR_EXTERNAL
    ";--beyond:" PS_VIZ_COLOR_BEYOND ";--intended:" PS_VIZ_COLOR_INTENDED ";--fix:" PS_VIZ_COLOR_FIX
    ";--ink:#1c2833;--muted:#5d6d7e;--line:#d5dbdb;--bg:#f4f6f7}\n"
    "*{box-sizing:border-box}\n"
    "html{background:var(--bg)}\n"
    "body{margin:0;color:var(--ink);font:15px/1.55 \"DejaVu Sans\",system-ui,-apple-system,"
    "\"Segoe UI\",Roboto,Helvetica,Arial,sans-serif}\n"
    ".wrap{max-width:1160px;margin:0 auto;padding:0 24px}\n"
    "header.top{background:#1c2833;color:#fdfefe;padding:26px 0 18px}\n"
    "header.top h1{margin:0 0 4px;font-size:25px;font-weight:700;letter-spacing:.2px}\n"
    "header.top .sub{color:#d5d8dc;font-size:14px}\n"
    "header.top code{color:#fdfefe;background:#34495e}\n"
    "nav.toc{margin-top:14px;display:flex;flex-wrap:wrap;gap:6px 18px;font-size:14px}\n"
    "nav.toc a{color:#aed6f1;text-decoration:none}\n"
    "nav.toc a:hover{text-decoration:underline}\n"
    "main{padding:8px 0 40px}\n"
    "section{background:#fff;border:1px solid var(--line);border-radius:10px;padding:18px 26px 22px;"
    "margin:22px 0}\n"
    "h2{font-size:20px;margin:4px 0 14px;padding-bottom:6px;border-bottom:2px solid #eaeded}\n"
    "h3{font-size:16.5px;margin:0 0 6px;line-height:1.4}\n"
    "h4{font-size:14px;margin:14px 0 4px;color:var(--muted);text-transform:uppercase;"
    "letter-spacing:.5px}\n"
    "p{margin:6px 0}\n"
    ".muted{color:var(--muted)}\n"
    "td:first-child code,th code{white-space:nowrap}\n"
    "code{font-family:\"DejaVu Sans Mono\",ui-monospace,Menlo,Consolas,monospace;font-size:.9em;"
    "background:#f2f3f4;padding:1px 5px;border-radius:4px}\n"
    ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;"
    "margin:4px 0 18px}\n"
    ".card{border:1px solid var(--line);border-radius:8px;padding:10px 14px;background:#fbfcfc}\n"
    ".card .n{display:block;font-size:28px;font-weight:700;line-height:1.2}\n"
    ".card .l{font-size:13px;color:var(--muted)}\n"
    ".card.forbidden{border-color:var(--forbidden);background:#fdecea}"
    ".card.forbidden .n{color:var(--forbidden)}\n"
    ".card.external{border-color:var(--external);background:#f4ecf7}"
    ".card.external .n{color:var(--external)}\n"
    ".card.beyond{border-color:var(--beyond);background:#fdf2e9}"
    ".card.beyond .n{color:var(--beyond)}\n"
    ".card.ok .n{color:var(--intended)}.card.bad .n{color:var(--forbidden)}\n"
    ".grid3{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:18px;"
    "align-items:start}\n"
    "table{border-collapse:collapse;width:100%;font-size:13.5px}\n"
    "th,td{padding:5px 8px;border-bottom:1px solid #eaeded;text-align:left;vertical-align:top}\n"
    "th{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.4px;"
    "font-weight:600}\n"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "caption{text-align:left;font-weight:700;padding:0 0 6px;font-size:14.5px}\n"
    "td.sev span{display:inline-block;margin-left:.7em;font-weight:600}\n"
    "td.sev .forbidden{color:var(--forbidden)}td.sev .external{color:var(--external)}"
    "td.sev .beyond{color:var(--beyond)}\n"
    ".legend{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:13px;margin:8px 0 4px;"
    "color:var(--muted)}\n"
    ".legend .fixkey{border-left:3px solid var(--fix);background:#eafaf1;padding:0 8px}\n"
    ".bar{display:flex;height:9px;border-radius:5px;overflow:hidden;background:#eaeded;"
    "min-width:90px;margin-top:5px}\n"
    ".bar i{display:block}.bar .forbidden{background:var(--forbidden)}"
    ".bar .external{background:var(--external)}.bar .beyond{background:var(--beyond)}\n"
    ".badge{display:inline-block;padding:1px 9px;border-radius:10px;font-size:12px;font-weight:700;"
    "color:#fff;vertical-align:2px;white-space:nowrap}\n"
    ".badge.forbidden{background:var(--forbidden)}.badge.external{background:var(--external)}"
    ".badge.beyond{background:var(--beyond)}.badge.ok{background:var(--intended)}"
    ".badge.bad{background:var(--forbidden)}.badge.plain{background:#7f8c8d}\n"
    "article.exposure{border-left:5px solid var(--beyond);padding:2px 0 6px 18px;margin:22px 0 30px}\n"
    "article.exposure.forbidden{border-color:var(--forbidden)}"
    "article.exposure.external{border-color:var(--external)}\n"
    ".shape{font-size:13px;color:var(--muted)}\n"
    "figure{margin:10px 0 6px;overflow-x:auto;border:1px solid #eaeded;border-radius:8px;"
    "padding:8px;background:#fff}\n"
    "figure{overflow:auto;max-height:80vh}\n"
    "figure svg{display:block;max-width:none;height:auto;margin:0 auto}\n"
    "a.alone{font-size:12.5px}\n"
    "ol.plan li{margin:6px 0}\n"
    "figcaption{font-size:12.5px;color:var(--muted);margin-top:4px}\n"
    "ol.path{margin:4px 0;padding-left:22px}ol.path li{margin:3px 0}\n"
    ".basis{display:block;color:var(--muted);font-size:12.5px}\n"
    "ul.fixes{margin:4px 0;padding-left:0;list-style:none}\n"
    "ul.fixes li{margin:3px 0;padding:3px 10px;border-left:3px solid var(--fix);"
    "background:#eafaf1;border-radius:0 6px 6px 0;font-size:14px}\n"
    "ul.fixes li.rule{border-color:#7f8c8d;background:#f2f3f4}\n"
    ".two{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:18px}\n"
    "@media (max-width:800px){.two{grid-template-columns:1fr}}\n"
    "details{margin:8px 0}summary{cursor:pointer;color:#1f618d;font-size:14px}\n"
    "pre{background:#f4f6f6;border:1px solid #eaeded;padding:10px 12px;overflow:auto;"
    "font:12.5px/1.45 \"DejaVu Sans Mono\",ui-monospace,Menlo,Consolas,monospace;border-radius:6px;"
    "max-height:520px}\n"
    "ul.diag{font:12.5px/1.45 \"DejaVu Sans Mono\",monospace;padding-left:18px}\n"
    "footer{color:var(--muted);font-size:12.5px;padding:6px 0 30px}\n";

/* ---------------------------------------------------------------------------------------
 * Grouping exposures by shape
 * ------------------------------------------------------------------------------------- */

typedef struct {
    uint64_t key;          /* shape hash mixed with the severity */
    uint64_t shape;
    int severity;
    uint64_t count;        /* exposures in the group */
    uint32_t rep;          /* the first exposure (report order) */
    uint32_t *rows;        /* the first max_rows exposures (owned) */
    uint32_t nrows;
    uint32_t items;        /* distinct items (counted while grouping, approximately: runs) */
    uint32_t last_item;
    UT_hash_handle hh;
} group;

static int cmp_group(const void *a, const void *b)
{
    const group *x = *(const group *const *)a, *y = *(const group *const *)b;
    if (x->severity != y->severity)
        return y->severity - x->severity;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return x->rep < y->rep ? -1 : x->rep > y->rep;
}

/* Builds the groups of `r`, sorted for display, into *out (an array of pointers into the hash
 * table *table).  0, or -1 out of memory. */
static int make_groups(const ps_report *r, uint32_t max_rows, bool prefer_fixed, group **table,
                       group ***out, uint32_t *nout)
{
    *table = NULL;
    *out = NULL;
    *nout = 0;
    uint32_t n = 0;
    for (uint32_t i = 0; i < r->nexposures; i++) {
        const ps_exposure *x = &r->exposures[i];
        uint64_t shape = ps_path_shape(&x->path);
        uint64_t key = shape ^ ((uint64_t)(x->severity + 1) * 0x9e3779b97f4a7c15ULL);
        group *g;
        HASH_FIND(hh, *table, &key, sizeof key, g);
        if (!g) {
            g = calloc(1, sizeof *g);
            if (!g)
                return -1;
            g->key = key;
            g->shape = shape;
            g->severity = x->severity;
            g->rep = i;
            g->last_item = PS_NONE;
            g->rows = malloc((size_t)max_rows * sizeof *g->rows);
            if (!g->rows) {
                free(g);
                return -1;
            }
            HASH_ADD(hh, *table, key, sizeof key, g);
            n++;
        }
        g->count++;
        /* with fixes for some items only, describe the group by an exposure that has them */
        if (prefer_fixed && x->nfixes && !r->exposures[g->rep].nfixes)
            g->rep = i;
        if (g->last_item != x->item) {
            g->items++;
            g->last_item = x->item;
        }
        if (g->nrows < max_rows)
            g->rows[g->nrows++] = i;
    }
    group **v = malloc((size_t)(n ? n : 1) * sizeof *v);
    if (!v)
        return -1;
    uint32_t k = 0;
    for (group *g = *table; g; g = g->hh.next)
        v[k++] = g;
    qsort(v, n, sizeof *v, cmp_group);
    *out = v;
    *nout = n;
    return 0;
}

static void free_groups(group **table, group **v)
{
    group *g, *tmp;
    HASH_ITER(hh, *table, g, tmp) {
        HASH_DEL(*table, g);
        free(g->rows);
        free(g);
    }
    free(v);
}

/* ---------------------------------------------------------------------------------------
 * Small writers
 * ------------------------------------------------------------------------------------- */

static void add_count(ps_sb *b, uint64_t n)
{
    char buf[32];
    ps_sb_add(b, ps_viz_count(n, buf, sizeof buf));
}

/* A viewer as text, escaped. */
static void add_viewer_html(ps_sb *b, const ps_model *m, uint32_t viewer)
{
    ps_sb t;
    ps_sb_init(&t);
    ps_viz_add_viewer_clip(&t, m, viewer, HTML_CLIP);
    ps_sb_add_html(b, ps_sb_str(&t));
    if (t.oom)
        b->oom = true;
    ps_sb_free(&t);
}

static void add_item_html(ps_sb *b, const ps_model *m, uint32_t item)
{
    ps_sb t;
    ps_sb_init(&t);
    ps_viz_add_item_clip(&t, m, item, HTML_CLIP);
    ps_sb_add_html(b, ps_sb_str(&t));
    if (t.oom)
        b->oom = true;
    ps_sb_free(&t);
}

static void add_badge(ps_sb *b, int severity)
{
    ps_sb_addf(b, "<span class=\"badge %s\">%s</span>",
               severity >= 0 && severity < PS_NSEV ? sev_class[severity] : "plain",
               ps_viz_severity_words(severity));
}

/* A stacked bar of counts by severity, scaled to `max`. */
static void add_bar(ps_sb *b, const uint64_t *by_sev, uint64_t max)
{
    ps_sb_add(b, "<div class=\"bar\" aria-hidden=\"true\">");
    for (int s = PS_NSEV - 1; s >= 0; s--)
        if (by_sev[s] && max)
            ps_sb_addf(b, "<i class=\"%s\" style=\"width:%.2f%%\"></i>", sev_class[s],
                       100.0 * (double)by_sev[s] / (double)max);
    ps_sb_add(b, "</div>");
}

/* Inlines an SVG document from Graphviz: drops the XML prologue and the comments before
 * <svg>, and lets CSS scale the drawing down (never up) to the page's width. */
static void add_svg(ps_sb *b, const char *svg, const char *label)
{
    const char *start = strstr(svg, "<svg");
    if (!start)
        return;
    const char *gt = strchr(start, '>');
    if (!gt)
        return;
    double w = 0;
    const char *wa = strstr(start, "width=\"");
    if (wa && wa < gt)
        w = strtod(wa + 7, NULL);
    ps_sb_add(b, "<svg role=\"img\" aria-label=\"");
    ps_sb_add_html(b, label);
    ps_sb_add(b, "\"");
    /* drawn at its natural size (a point is a point); a wide drawing scrolls in its frame */
    if (w > 0)
        ps_sb_addf(b, " style=\"width:%.0fpt\"", w);
    /* keep the attributes other than width and height */
    const char *p = start + 4;
    while (p < gt) {
        while (p < gt && (*p == ' ' || *p == '\n' || *p == '\t'))
            p++;
        const char *name = p;
        while (p < gt && *p != '=' && *p != ' ' && *p != '\n')
            p++;
        size_t nlen = (size_t)(p - name);
        if (p < gt && *p == '=' && p[1] == '"') {
            const char *q = strchr(p + 2, '"');
            if (!q || q > gt)
                break;
            bool skip = (nlen == 5 && memcmp(name, "width", 5) == 0) ||
                        (nlen == 6 && memcmp(name, "height", 6) == 0);
            if (!skip) {
                ps_sb_addc(b, ' ');
                ps_sb_addn(b, name, (size_t)(q + 1 - name));
            }
            p = q + 1;
        } else if (nlen) {
            ps_sb_addc(b, ' ');
            ps_sb_addn(b, name, nlen);
        } else {
            p++;
        }
    }
    ps_sb_add(b, gt);
}

/* Renders a diagram as inline SVG into `b` inside a <figure>.  0, or -1 (errno EPROTO when
 * Graphviz failed, ENOMEM out of memory). */
static int add_diagram(ps_sb *b, ps_diagram *d, const char *label, const char *caption)
{
    char *svg;
    size_t len;
    if (ps_diagram_render(d, PS_GV_SVG, &svg, &len)) {
        if (errno != ENOMEM)
            errno = EPROTO;
        return -1;
    }
    /* the diagram's number in the page, for its own file (see ps_html_write_svgs) */
    uint32_t n = 0;
    for (const char *p = strstr(ps_sb_str(b), "<figure><svg"); p; p = strstr(p + 1, "<figure><svg"))
        n++;
    ps_sb_add(b, "<figure>");
    add_svg(b, svg, label);
    ps_sb_add(b, "<figcaption>");
    if (caption) {
        ps_sb_add_html(b, caption);
        ps_sb_add(b, " ");
    }
    ps_html_add_svg_link(b, n);
    ps_sb_add(b, "</figcaption>");
    ps_sb_add(b, "</figure>\n");
    free(svg);
    return 0;
}

/* The section "Linkages": for each person with several accounts, who links them (at most
 * 100 rows), with the evidence and the re-verified fixes, the smallest set of changes, and a
 * diagram of the most severe linkage.  0, or -1 (errno set). */
static int add_linkages(ps_sb *b, const ps_model *m)
{
    ps_linkage_report *r;
    ps_linkage_opts lo = { .fixes = m->nitems <= PS_REPORT_BIG_ITEMS };
    if (ps_linkage_check(m, &lo, &r)) {
        errno = ENOMEM;
        return -1;
    }
    char buf[2048], vn[512];
    ps_sb_add(b, "<section id=\"linkages\"><h2>Linkages of persons' accounts</h2>\n"
                 "<p>Who can tell that two accounts are one person, from what they see at the "
                 "end of the timeline; each fix is re-checked by simulating again.</p>\n");
    if (!lo.fixes)
        ps_sb_add(b, "<p>The scenario is large: fixes of linkages were not computed.</p>\n");
    const ps_persons *ps = r->m->persons;
    for (uint32_t pi = 0; pi < ps->n; pi++) {
        const ps_person *p = &ps->v[pi];
        ps_sb_add(b, "<h3>Person ");
        ps_sb_add_html(b, p->name);
        ps_sb_add(b, ": accounts ");
        for (uint32_t k = 0; k < p->naccounts; k++) {
            ps_sb_add(b, k ? ", <code>" : "<code>");
            ps_sb_add_html(b, r->m->users[p->accounts[k]].name);
            ps_sb_add(b, "</code>");
        }
        ps_sb_add(b, "</h3>\n");
        const ps_linkage *first = NULL;
        uint32_t rows = 0, total = 0;
        for (uint32_t i = 0; i < r->n; i++) {
            const ps_linkage *l = &r->v[i];
            if (l->person != pi)
                continue;
            total++;
            if (!first)
                first = l;
            if (rows == 100)
                continue;
            if (!rows)
                ps_sb_add(b, "<table><tr><th>severity</th><th>viewer</th><th>links</th>"
                             "<th>evidence</th><th>fixes</th></tr>\n");
            rows++;
            ps_sb_addf(b, "<tr><td><span class=\"badge %s\">%s</span></td><td>",
                       l->severity == PS_SEV_BEYOND_INTENT ? "beyond"
                                                           : ps_severity_name((ps_severity)l->severity),
                       ps_severity_name((ps_severity)l->severity));
            ps_sb_add_html(b, ps_viewer_name(r->m, l->viewer, vn, sizeof vn));
            ps_sb_add(b, "</td><td>");
            ps_sb_add_html(b, r->m->users[l->a].name);
            ps_sb_add(b, " = ");
            ps_sb_add_html(b, r->m->users[l->b].name);
            if (l->first_step && l->first_step <= r->m->nsteps)
                ps_sb_addf(b, "<br><span class=\"muted\">from step %u (line %u)</span>",
                           (unsigned)l->first_step,
                           (unsigned)r->m->steps[l->first_step - 1].loc.line);
            ps_sb_add(b, "</td><td>");
            for (uint32_t k = 0; k < l->nev; k++) {
                ps_sb_add(b, k ? "<br>" : "");
                ps_sb_add_html(b, ps_evidence_text(r, l, &r->ev[l->ev_first + k], buf,
                                                   sizeof buf));
            }
            ps_sb_add(b, "</td><td>");
            for (uint32_t k = 0; k < l->nfixes; k++) {
                ps_sb_add(b, k ? "<br>" : "");
                ps_sb_add_html(b, ps_link_fix_text(r, &r->fixes[r->fix_of[l->fix_first + k]],
                                                   buf, sizeof buf));
            }
            ps_sb_add(b, "</td></tr>\n");
        }
        if (rows)
            ps_sb_add(b, "</table>\n");
        if (!total)
            ps_sb_add(b, "<p>No viewer links the accounts.</p>\n");
        else if (total > rows)
            ps_sb_addf(b, "<p>%u more linkages are not listed.</p>\n", (unsigned)(total - rows));
        for (uint32_t k = 0; k < r->nminsets; k++) {
            const ps_link_minset *ms = &r->minsets[k];
            if (ms->person != pi)
                continue;
            if (ms->found) {
                ps_sb_add(b, "<p>The smallest set of changes that removes every forbidden "
                             "linkage (re-checked):</p><ul>");
                for (uint32_t i = 0; i < ms->nset; i++) {
                    ps_sb_add(b, "<li>");
                    ps_sb_add_html(b, ps_link_fix_text(r, &r->fixes[ms->set[i]], buf,
                                                       sizeof buf));
                    ps_sb_add(b, "</li>");
                }
                ps_sb_add(b, "</ul>\n");
            } else {
                ps_sb_addf(b, "<p>No set of changes among the %u candidates was found that "
                              "removes every forbidden linkage (%llu sets simulated%s).</p>\n",
                           (unsigned)ms->ncandidates, (unsigned long long)ms->tried,
                           ms->complete ? "" : "; the search stopped early");
            }
            if (!ms->hides)
                ps_sb_addf(b, "<p class=\"muted\">The owners hiding from each viewer what the "
                              "evidence rests on were not among the candidates: %u forbidden "
                              "linkages, more than %u.</p>\n",
                           (unsigned)ms->nforbidden, (unsigned)PS_LINK_HIDE_MAX);
        }
        if (first) {
            ps_diagram d = { 0 };
            snprintf(buf, sizeof buf, "How %s links %s and %s",
                     ps_viewer_name(r->m, first->viewer, vn, sizeof vn),
                     r->m->users[first->a].name, r->m->users[first->b].name);
            int drc = ps_draw_link(r, first, &d) ? -1 : add_diagram(b, &d, buf, buf);
            ps_diagram_free(&d);
            if (drc) {
                ps_linkage_report_free(r);
                return -1;
            }
        }
    }
    ps_sb_add(b, "</section>\n");
    ps_linkage_report_free(r);
    return 0;
}

/* The name of the step that reached the viewer, with the rule that governs it. */
static const char *via_rule_words(ps_via via)
{
    switch (via) {
    case PS_VIA_OWNER: return "owner";
    case PS_VIA_AUDIENCE: return "audience (the owner's setting)";
    case PS_VIA_TAG: return "tag (tag-extends)";
    case PS_VIA_INTERACTION: return "interaction (interaction-extends)";
    case PS_VIA_SHARE: return "share (reshare)";
    case PS_VIA_GROUP: return "group (the group's kind)";
    case PS_VIA_FORCED: return "forced-public";
    case PS_VIA_FRIENDSHIP: return "friendship (friendship-visibility)";
    case PS_VIA_APP: return "app (apps-through-friends)";
    default: return "?";
    }
}

/* The value of rule `id` as a rule line writes it. */
static void add_rule_value(ps_sb *b, const ps_model *m, ps_rule_id id)
{
    const ps_rules *r = &m->rules;
    char t[1024];
    switch (id) {
    case PS_RULE_DEFAULT_AUDIENCE: {
        /* categories with the same default are written together */
        bool done[PS_NCATS] = { false };
        bool first = true;
        for (unsigned c = 0; c < PS_NCATS; c++) {
            if (done[c])
                continue;
            ps_sb_add(b, first ? "" : "; ");
            first = false;
            for (unsigned d = c; d < PS_NCATS; d++)
                if (!done[d] && ps_terms_equal(&r->default_audience[c], &r->default_audience[d])) {
                    ps_sb_add(b, d == c ? "" : ",");
                    ps_sb_add(b, ps_category_name(d));
                    done[d] = true;
                }
            ps_sb_add(b, ": ");
            ps_sb_add_html(b, r->default_audience[c].n
                                  ? ps_terms_text(m, &r->default_audience[c], t, sizeof t)
                                  : "only-me");
        }
        break;
    }
    default:
        /* every other rule as `privsim platforms` writes it */
        ps_sb_add_html(b, ps_platform_cell_text(r, id < PS_RULE_DEFAULT_AUDIENCE ? id : id - 1, t,
                                                sizeof t));
    }
}

/* ---------------------------------------------------------------------------------------
 * The summary
 * ------------------------------------------------------------------------------------- */

/* One table of counts by severity per key: the key with a stacked bar, the counts by
 * severity (coloured), the total. */
static void add_count_table(ps_sb *b, const char *title, const char *keyhead, uint32_t nkeys,
                            const uint64_t (*by)[PS_NSEV], const char *const *names,
                            const ps_sb *name_buf, const uint32_t *name_off, uint32_t max_rows)
{
    uint64_t max = 0;
    uint32_t nonzero = 0;
    for (uint32_t k = 0; k < nkeys; k++) {
        uint64_t t = by[k][0] + by[k][1] + by[k][2];
        if (t > max)
            max = t;
        nonzero += t > 0;
    }
    ps_sb_addf(b, "<table class=\"counts\"><caption>%s</caption><thead><tr><th>%s</th>"
                  "<th class=\"num\">by severity</th><th class=\"num\">total</th></tr></thead>"
                  "<tbody>",
               title, keyhead);
    if (!nonzero)
        ps_sb_add(b, "<tr><td colspan=\"3\" class=\"muted\">none</td></tr>");
    /* rows by decreasing total, at most max_rows */
    uint32_t shown = 0;
    bool *used = calloc(nkeys ? nkeys : 1, 1);
    if (!used)
        b->oom = true;
    while (used && shown < max_rows) {
        uint32_t best = PS_NONE;
        uint64_t bt = 0;
        for (uint32_t k = 0; k < nkeys; k++) {
            uint64_t t = by[k][0] + by[k][1] + by[k][2];
            if (!used[k] && t > bt) {
                bt = t;
                best = k;
            }
        }
        if (best == PS_NONE)
            break;
        used[best] = true;
        shown++;
        ps_sb_add(b, "<tr><td>");
        if (names)
            ps_sb_add_html(b, names[best]);
        else
            ps_sb_add_html(b, ps_sb_str(name_buf) + name_off[best]);
        add_bar(b, by[best], max);
        ps_sb_add(b, "</td><td class=\"num sev\">");
        for (int s = PS_NSEV - 1; s >= 0; s--)
            if (by[best][s]) {
                ps_sb_addf(b, "<span class=\"%s\" title=\"%s\">", sev_class[s],
                           ps_viz_severity_words(s));
                add_count(b, by[best][s]);
                ps_sb_add(b, "</span>");
            }
        ps_sb_add(b, "</td><td class=\"num\"><b>");
        add_count(b, bt);
        ps_sb_add(b, "</b></td></tr>");
    }
    if (shown < nonzero) {
        ps_sb_add(b, "<tr><td colspan=\"3\" class=\"muted\">and ");
        add_count(b, nonzero - shown);
        ps_sb_add(b, " more</td></tr>");
    }
    free(used);
    ps_sb_add(b, "</tbody></table>\n");
}

static int add_summary(ps_sb *b, const ps_model *m, const ps_report *r)
{
    uint64_t by_sev[PS_NSEV] = { 0 }, gone = 0;
    uint32_t np = m->npersonas + 1;
    uint64_t (*by_persona)[PS_NSEV] = calloc(np, sizeof *by_persona);
    uint64_t (*by_via)[PS_NSEV] = calloc(PS_NVIA, sizeof *by_via);
    uint64_t (*by_cat)[PS_NSEV] = calloc(PS_NCATS, sizeof *by_cat);
    uint32_t *poff = calloc(np, sizeof *poff);
    ps_sb pnames;
    ps_sb_init(&pnames);
    if (!by_persona || !by_via || !by_cat || !poff) {
        free(by_persona);
        free(by_via);
        free(by_cat);
        free(poff);
        errno = ENOMEM;
        return -1;
    }
    for (uint32_t i = 0; i < r->nexposures; i++) {
        const ps_exposure *x = &r->exposures[i];
        int s = x->severity < PS_NSEV ? x->severity : 0;
        by_sev[s]++;
        gone += !x->at_end;
        const ps_item *it = &m->items[x->item];
        uint32_t p = it->persona < m->npersonas ? it->persona : m->npersonas;
        by_persona[p][s]++;
        const ps_path *pa = &x->path;
        ps_via via = pa->nlinks ? (ps_via)pa->links[pa->nlinks - 1].grant.via : PS_VIA_NONE;
        by_via[via < PS_NVIA ? via : PS_VIA_NONE][s]++;
        by_cat[ps_item_category(it)][s]++;
    }
    /* names of the personas: "al.weekend", and "no persona" last */
    for (uint32_t p = 0; p < np; p++) {
        poff[p] = (uint32_t)pnames.len;
        if (p < m->npersonas) {
            const ps_persona *pe = &m->personas[p];
            ps_sb_add(&pnames, pe->owner < m->nusers ? m->users[pe->owner].name : "?");
            ps_sb_addc(&pnames, '.');
            ps_sb_add(&pnames, pe->name);
        } else {
            ps_sb_add(&pnames, "(no persona)");
        }
        ps_sb_addc(&pnames, 0);
    }
    const char *via_names[PS_NVIA];
    for (int v = 0; v < PS_NVIA; v++)
        via_names[v] = via_rule_words((ps_via)v);
    const char *cat_names[PS_NCATS];
    for (unsigned c = 0; c < PS_NCATS; c++)
        cat_names[c] = ps_category_name(c);

    uint32_t held = 0, failed = 0;
    for (uint32_t i = 0; i < r->nexpects; i++) {
        held += r->expects[i].held;
        failed += !r->expects[i].held;
    }

    ps_sb_add(b, "<section id=\"summary\"><h2>Summary</h2>\n<div class=\"cards\">");
    ps_sb_add(b, "<div class=\"card\"><span class=\"n\">");
    add_count(b, r->nexposures);
    ps_sb_add(b, "</span><span class=\"l\">exposures</span></div>");
    static const char *const card_words[PS_NSEV] = { "beyond intent", "external (internet, apps)",
                                                     "forbidden by a persona" };
    for (int s = PS_NSEV - 1; s >= 0; s--) {
        ps_sb_addf(b, "<div class=\"card %s\"><span class=\"n\">", sev_class[s]);
        add_count(b, by_sev[s]);
        ps_sb_addf(b, "</span><span class=\"l\">%s</span></div>", card_words[s]);
    }
    if (r->nexpects) {
        ps_sb_addf(b, "<div class=\"card %s\"><span class=\"n\">%u/%u</span><span class=\"l\">"
                      "expectations hold</span></div>",
                   failed ? "bad" : "ok", (unsigned)held, (unsigned)r->nexpects);
    }
    ps_sb_add(b, "</div>\n");
    if (r->nexposures) {
        ps_sb_add(b, "<p>");
        add_count(b, r->nexposures - gone);
        ps_sb_add(b, " still there at the end of the timeline");
        if (gone) {
            ps_sb_add(b, "; ");
            add_count(b, gone);
            ps_sb_add(b, " appeared at some step and were gone by the end (but whoever saw "
                         "them saw them)");
        }
        ps_sb_add(b, ".</p>\n");
    } else {
        ps_sb_add(b, "<p>No exposure: everyone who can see each item is in the audience its "
                     "owner intended.</p>\n");
    }
    ps_sb_add(b, "<div class=\"grid3\">");
    add_count_table(b, "By persona", "persona", np, (const uint64_t (*)[PS_NSEV])by_persona, NULL,
                    &pnames, poff, 12);
    add_count_table(b, "By rule", "last step of the path", PS_NVIA,
                    (const uint64_t (*)[PS_NSEV])by_via, via_names, NULL, NULL, PS_NVIA);
    add_count_table(b, "By category", "category", PS_NCATS, (const uint64_t (*)[PS_NSEV])by_cat,
                    cat_names, NULL, NULL, PS_NCATS);
    ps_sb_add(b, "</div></section>\n");
    if (pnames.oom)
        b->oom = true;
    ps_sb_free(&pnames);
    free(by_persona);
    free(by_via);
    free(by_cat);
    free(poff);
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * The exposures
 * ------------------------------------------------------------------------------------- */

/* Writes one group's article; `sm` is the model in the state its representative was found
 * in, `m0` the scenario as written (for the list of the others). */
static int add_group(ps_sb *b, const ps_model *m0, const ps_model *sm, const ps_report *r,
                     const group *gr, uint32_t index, bool draw, const ps_report_opts *o)
{
    const ps_exposure *x = &r->exposures[gr->rep];
    const ps_path *p = &x->path;
    char buf[1024];
    ps_sb_addf(b, "<article class=\"exposure %s\" id=\"g%u\">\n<h3>", sev_class[gr->severity],
               (unsigned)index + 1);
    add_badge(b, gr->severity);
    ps_sb_add(b, " ");
    add_viewer_html(b, sm, x->viewer);
    ps_sb_add(b, " sees ");
    add_item_html(b, sm, x->item);
    ps_sb_add(b, "</h3>\n<p class=\"shape\">path <code>");
    ps_sb_add_html(b, ps_path_shape_text(p, buf, sizeof buf));
    ps_sb_add(b, "</code>");
    if (gr->count > 1) {
        ps_sb_add(b, " \xc2\xb7 ");
        add_count(b, gr->count);
        ps_sb_add(b, " exposures of this shape");
        if (gr->items > 1) {
            ps_sb_add(b, " across ");
            add_count(b, gr->items);
            ps_sb_add(b, " items");
        }
    }
    ps_sb_add(b, " \xc2\xb7 ");
    if (x->first_step == 0)
        ps_sb_add(b, "from the start");
    else
        ps_sb_addf(b, "from step %u (line %u)", (unsigned)x->first_step,
                   x->first_step <= m0->nsteps ? (unsigned)m0->steps[x->first_step - 1].loc.line : 0);
    ps_sb_add(b, x->at_end ? ", still there at the end" : ", gone by the end");
    ps_sb_add(b, "</p>\n");

    if (draw) {
        ps_leak_view v;
        ps_leak_view_init(&v, r, x);
        v.bare = true;
        v.count = gr->count > UINT32_MAX ? UINT32_MAX : (uint32_t)gr->count;
        ps_diagram d;
        if (ps_draw_leak(sm, &v, &d)) {
            errno = ENOMEM;
            return -1;
        }
        ps_sb t;
        ps_sb_init(&t);
        ps_sb_add(&t, "Leak path: ");
        ps_viz_add_viewer(&t, sm, x->viewer);
        ps_sb_add(&t, " sees ");
        ps_viz_add_item(&t, sm, x->item);
        int rc = add_diagram(b, &d, ps_sb_str(&t), NULL);
        ps_sb_free(&t);
        ps_diagram_free(&d);
        if (rc)
            return -1;
    }

    ps_sb_add(b, "<div class=\"two\"><div><h4>The path in words</h4><ol class=\"path\">");
    for (uint32_t i = 0; i < p->nlinks; i++) {
        ps_sb_add(b, "<li>");
        ps_sb_add_html(b, ps_link_text(sm, p, i, buf, sizeof buf));
        ps_link_basis(sm, p, i, buf, sizeof buf);
        if (buf[0]) {
            ps_sb_add(b, "<span class=\"basis\">");
            ps_sb_add_html(b, buf);
            ps_sb_add(b, "</span>");
        }
        ps_sb_add(b, "</li>");
    }
    ps_sb_add(b, "</ol></div><div><h4>Fixes</h4>");
    if (x->nfixes && x->fix_first + x->nfixes <= r->nfixes) {
        ps_sb_add(b, "<ul class=\"fixes\">");
        for (uint32_t j = 0; j < x->nfixes; j++) {
            const ps_fix *f = &r->fixes[x->fix_first + j];
            ps_sb_addf(b, "<li%s>", f->kind == PS_FIX_RULE ? " class=\"rule\"" : "");
            ps_sb_add_html(b, ps_fix_text(sm, f, buf, sizeof buf));
            ps_sb_add(b, "</li>");
        }
        ps_sb_add(b, "</ul>");
        if (ps_fix_unverified(sm, x->item))
            ps_sb_add(b, "<p class=\"muted\">Not verified: budget. The time allowed by "
                         "--max-time ran out before every candidate fix of this item was tried; "
                         "the fixes shown were verified.</p>");
        else if (x->platform_only)
            ps_sb_add(b, "<p class=\"muted\">No user setting tried cuts this path, only a "
                         "platform rule (tried: " PS_FIX_TRIED ").</p>");
        else
            ps_sb_add(b, "<p class=\"muted\">Each fix was applied to a copy of the scenario and "
                         "re-checked over the whole timeline.</p>");
    } else {
        ps_sb_add(b, o->no_fixes ? "<p class=\"muted\">Fixes were not computed.</p>"
                     : ps_fix_unverified(sm, x->item)
                         ? "<p class=\"muted\">Not verified: budget. The time allowed by "
                           "--max-time ran out before the fixes of this item were tried.</p>"
                     : o->fixes_items ? "<p class=\"muted\">Fixes were not computed for this "
                                        "item (large scenario).</p>"
                                      : "<p class=\"muted\">None of the changes tried cuts "
                                        "this path on its own (tried: " PS_FIX_TRIED ").</p>");
    }
    ps_sb_add(b, "</div></div>\n");

    if (gr->count > 1) {
        ps_sb_add(b, "<details><summary>All ");
        add_count(b, gr->count);
        ps_sb_add(b, " exposures of this shape</summary><table><thead><tr><th>item</th>"
                     "<th>viewer</th><th>from</th><th>at the end</th></tr></thead><tbody>");
        for (uint32_t k = 0; k < gr->nrows; k++) {
            const ps_exposure *y = &r->exposures[gr->rows[k]];
            ps_sb_add(b, "<tr><td>");
            add_item_html(b, m0, y->item);
            ps_sb_add(b, "</td><td>");
            add_viewer_html(b, m0, y->viewer);
            ps_sb_add(b, "</td><td>");
            if (y->first_step)
                ps_sb_addf(b, "step %u", (unsigned)y->first_step);
            else
                ps_sb_add(b, "start");
            ps_sb_addf(b, "</td><td>%s</td></tr>", y->at_end ? "yes" : "gone");
        }
        if (gr->count > gr->nrows) {
            ps_sb_add(b, "<tr><td colspan=\"4\" class=\"muted\">and ");
            add_count(b, gr->count - gr->nrows);
            ps_sb_add(b, " more (privsim check --format json lists them all)</td></tr>");
        }
        ps_sb_add(b, "</tbody></table></details>\n");
    }
    ps_sb_add(b, "</article>\n");
    return 0;
}

/* The state (steps applied) in which exposure x's path was found. */
static uint32_t exposure_state(const ps_report *r, const ps_exposure *x)
{
    return x->at_end ? r->nsteps : x->first_step;
}

typedef struct {
    uint32_t group;        /* display index */
    uint32_t state;
} pending;

static int cmp_pending(const void *a, const void *b)
{
    const pending *x = a, *y = b;
    if (x->state != y->state)
        return x->state < y->state ? -1 : 1;
    return x->group < y->group ? -1 : x->group > y->group;
}

static int add_exposures(ps_sb *b, const ps_model *m, const ps_report *r, group **groups,
                         uint32_t ngroups, const ps_report_opts *o)
{
    ps_sb_add(b, "<section id=\"exposures\"><h2>Exposures</h2>\n");
    if (!ngroups) {
        ps_sb_add(b, "<p>None.</p></section>\n");
        return 0;
    }
    uint32_t shown = ngroups < o->max_groups ? ngroups : o->max_groups;
    ps_sb_add(b, "<p>");
    add_count(b, r->nexposures);
    ps_sb_add(b, r->nexposures == 1 ? " exposure in " : " exposures in ");
    add_count(b, ngroups);
    ps_sb_add(b, ngroups == 1 ? " group" : " groups");
    ps_sb_add(b, ": exposures with the same severity and the same shape of leak path "
                 "(the same kinds of steps, whoever takes them) are one group, described once "
                 "by its first exposure.");
    if (shown < ngroups) {
        ps_sb_add(b, " The ");
        add_count(b, shown);
        ps_sb_add(b, " largest and most severe groups are shown.");
    }
    if (o->fixes_items)
        ps_sb_addf(b, " This scenario is large: fixes, each verified by simulating the whole "
                      "timeline again, were computed for the exposures that describe the "
                      "groups (%u items); <code>privsim explain FILE ITEM VIEWER</code> gives "
                      "the fixes of any other exposure.", (unsigned)o->fixes_items);
    ps_sb_add(b, "</p>\n<div class=\"legend\"><span><span class=\"badge forbidden\">forbidden"
                 "</span> the viewer is in the persona's <code>forbid</code> set</span>"
                 "<span><span class=\"badge external\">external</span> the internet or an app"
                 "</span><span><span class=\"badge beyond\">beyond intent</span> anyone else "
                 "outside the intended audience</span><span class=\"fixkey\">fix</span>"
                 "<span>a change that cuts the step it points at (re-checked)</span></div>\n");

    /* write each group's fragment in the state its path was found in */
    ps_sb *frag = calloc(shown, sizeof *frag);
    pending *order = calloc(shown, sizeof *order);
    ps_engine *e = ps_engine_new(m);
    int rc = 0;
    if (!frag || !order || !e) {
        errno = ENOMEM;
        rc = -1;
        goto out;
    }
    for (uint32_t i = 0; i < shown; i++) {
        ps_sb_init(&frag[i]);
        order[i].group = i;
        order[i].state = exposure_state(r, &r->exposures[groups[i]->rep]);
    }
    qsort(order, shown, sizeof *order, cmp_pending);
    for (uint32_t k = 0; k < shown && !rc; k++) {
        while (ps_engine_position(e) < order[k].state) {
            int st = ps_engine_step(e, NULL);
            if (st < 0) {
                errno = ENOMEM;
                rc = -1;
                break;
            }
            if (st == 0)
                break;
        }
        uint32_t gi = order[k].group;
        if (!rc)
            rc = add_group(&frag[gi], m, ps_engine_model(e), r, groups[gi], gi,
                           gi < o->max_diagrams, o);
    }
    for (uint32_t i = 0; i < shown && !rc; i++) {
        if (frag[i].oom) {
            errno = ENOMEM;
            rc = -1;
            break;
        }
        ps_sb_addn(b, ps_sb_str(&frag[i]), frag[i].len);
    }
    if (!rc && shown < ngroups) {
        ps_sb_add(b, "<h3>The other groups</h3><table><thead><tr><th>severity</th><th>path</th>"
                     "<th class=\"num\">exposures</th><th>for example</th></tr></thead><tbody>");
        char buf[1024];
        for (uint32_t i = shown; i < ngroups; i++) {
            const group *g = groups[i];
            const ps_exposure *x = &r->exposures[g->rep];
            ps_sb_add(b, "<tr><td>");
            add_badge(b, g->severity);
            ps_sb_add(b, "</td><td><code>");
            ps_sb_add_html(b, ps_path_shape_text(&x->path, buf, sizeof buf));
            ps_sb_add(b, "</code></td><td class=\"num\">");
            add_count(b, g->count);
            ps_sb_add(b, "</td><td>");
            add_viewer_html(b, m, x->viewer);
            ps_sb_add(b, " sees ");
            add_item_html(b, m, x->item);
            ps_sb_add(b, "</td></tr>");
        }
        ps_sb_add(b, "</tbody></table>");
    }
    ps_sb_add(b, "</section>\n");
out:
    for (uint32_t i = 0; frag && i < shown; i++)
        ps_sb_free(&frag[i]);
    free(frag);
    free(order);
    ps_engine_free(e);
    return rc;
}

/* ---------------------------------------------------------------------------------------
 * Expectations, findings, audiences, personas, the scenario
 * ------------------------------------------------------------------------------------- */

static void add_expectations(ps_sb *b, const ps_model *m, const ps_report *r)
{
    ps_sb_add(b, "<section id=\"expectations\"><h2>Expectations</h2>\n");
    if (!r->nexpects) {
        ps_sb_add(b, "<p class=\"muted\">The scenario has no <code>expect</code> lines.</p>"
                     "</section>\n");
        return;
    }
    ps_sb_add(b, "<table><thead><tr><th>line</th><th>expectation</th><th>result</th></tr></thead>"
                 "<tbody>");
    for (uint32_t i = 0; i < r->nexpects; i++) {
        const ps_expect_result *er = &r->expects[i];
        if (er->expect >= m->nexpects)
            continue;
        const ps_expect *x = &m->expects[er->expect];
        uint32_t v = x->viewer_kind == PS_VIEWER_INTERNET ? ps_viewer_internet(m)
                     : x->viewer_kind == PS_VIEWER_APP    ? ps_viewer_app(m, x->viewer)
                                                          : x->viewer;
        char vb[256];
        ps_sb_addf(b, "<tr><td class=\"num\">%u</td><td><code>expect ", (unsigned)x->loc.line);
        ps_sb_add_html(b, ps_viewer_name(m, v, vb, sizeof vb));
        ps_sb_add(b, x->can_see ? " can-see " : " cannot-see ");
        ps_sb_add_html(b, x->item < m->nitems ? m->items[x->item].name : "?");
        ps_sb_addf(b, "</code></td><td><span class=\"badge %s\">%s</span></td></tr>",
                   er->held ? "ok" : "bad", er->held ? "holds" : "fails");
    }
    ps_sb_add(b, "</tbody></table></section>\n");
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_finding_name(const char *n)
{
    size_t len = strlen(n);
    return strncmp(n, "finding-", 8) == 0 && len > 13 && strcmp(n + len - 5, ".psim") == 0;
}

/* One finding: its comment lines, its diagnostics, its exposures. */
static void add_finding(ps_sb *b, const char *dir, const char *name)
{
    size_t need = strlen(dir) + strlen(name) + 2;
    char *path = malloc(need);
    if (!path) {
        b->oom = true;
        return;
    }
    snprintf(path, need, "%s/%s", dir, name);
    ps_sb_add(b, "<article class=\"finding\"><h3>");
    ps_sb_add_html(b, name);
    ps_sb_add(b, "</h3>");

    /* the fuzzer's own description: the comment lines at the top of the file */
    FILE *f = fopen(path, "r");
    if (f) {
        char line[4096]; /* a "# Found by:" line carries every option of the search */
        bool any = false;
        while (fgets(line, sizeof line, f)) {
            if (line[0] != '#')
                break;
            const char *s = line + 1;
            while (*s == ' ')
                s++;
            size_t l = strlen(s);
            while (l && (s[l - 1] == '\n' || s[l - 1] == '\r'))
                l--;
            if (!l)
                continue;
            ps_sb_add(b, any ? "<br>" : "<p class=\"muted\">");
            ps_sb_add_htmln(b, s, l);
            any = true;
        }
        if (any)
            ps_sb_add(b, "</p>");
        fclose(f);
    }

    ps_diag d;
    ps_diag_init(&d);
    ps_model *fm = NULL;
    int prc = ps_parse_file(path, &fm, &d);
    if (d.n) {
        ps_sb_add(b, "<ul class=\"diag\">");
        for (uint32_t i = 0; i < d.n; i++) {
            const ps_diag_entry *de = &d.v[i];
            ps_sb_addf(b, "<li>line %u, column %u: %s: ", (unsigned)de->loc.line, (unsigned)de->loc.col,
                       de->level == PS_DIAG_ERROR ? "error" : "warning");
            ps_sb_add_html(b, de->msg ? de->msg : "");
            ps_sb_add(b, "</li>");
        }
        ps_sb_add(b, "</ul>");
    }
    if (prc != 0 || !fm) {
        ps_sb_add(b, "<p><span class=\"badge bad\">does not parse</span></p>");
    } else {
        ps_check_opts co = { .fixes = false };
        ps_report *fr = NULL;
        if (ps_check(fm, &co, &fr) == 0) {
            ps_sb_add(b, "<p>");
            if (!fr->nexposures)
                ps_sb_add(b, "no exposure");
            for (int s = PS_NSEV - 1; s >= 0; s--)
                if (fr->counts[s]) {
                    add_badge(b, s);
                    ps_sb_add(b, " ");
                    add_count(b, fr->counts[s]);
                    ps_sb_add(b, " &nbsp;");
                }
            uint32_t failed = 0;
            for (uint32_t i = 0; i < fr->nexpects; i++)
                failed += !fr->expects[i].held;
            if (failed)
                ps_sb_addf(b, " <span class=\"badge bad\">%u expectation%s fail%s</span>",
                           (unsigned)failed, failed == 1 ? "" : "s", failed == 1 ? "s" : "");
            ps_sb_add(b, "</p>");
            if (fr->nexposures) {
                const ps_exposure *x = &fr->exposures[0];
                char buf[1024];
                ps_sb_add(b, "<p>For example: ");
                add_viewer_html(b, fm, x->viewer);
                ps_sb_add(b, " sees ");
                add_item_html(b, fm, x->item);
                ps_sb_add(b, " by <code>");
                ps_sb_add_html(b, ps_path_shape_text(&x->path, buf, sizeof buf));
                ps_sb_add(b, "</code>.</p>");
            }
            ps_report_free(fr);
        } else {
            b->oom = true;
        }
    }
    ps_model_free(fm);
    ps_diag_free(&d);
    ps_sb_add(b, "</article>\n");
    free(path);
}

static void add_findings(ps_sb *b, const char *dir)
{
    ps_sb_add(b, "<section id=\"findings\"><h2>Fuzz findings</h2>\n");
    DIR *dp = opendir(dir);
    if (!dp) {
        ps_sb_add(b, "<p class=\"muted\">The directory ");
        ps_sb_add_html(b, dir);
        ps_sb_add(b, " cannot be read: ");
        ps_sb_add_html(b, strerror(errno));
        ps_sb_add(b, ".</p></section>\n");
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(dp))) {
        if (!is_finding_name(de->d_name))
            continue;
        if (n == cap) {
            size_t c = cap ? cap * 2 : 16;
            char **p = realloc(names, c * sizeof *p);
            if (!p)
                break;
            names = p;
            cap = c;
        }
        names[n] = strdup(de->d_name);
        if (!names[n])
            break;
        n++;
    }
    closedir(dp);
    qsort(names, n, sizeof *names, cmp_str);
    ps_sb_add(b, "<p>");
    add_count(b, n);
    ps_sb_add(b, n == 1 ? " finding in <code>" : " findings in <code>");
    ps_sb_add_html(b, dir);
    ps_sb_add(b, "</code>, each a scenario that reproduces what the fuzzer found; each one was "
                 "read (lint) and checked again for this report.</p>\n");
    for (size_t i = 0; i < n && i < MAX_FINDINGS; i++)
        add_finding(b, dir, names[i]);
    if (n > MAX_FINDINGS) {
        ps_sb_add(b, "<p class=\"muted\">and ");
        add_count(b, n - MAX_FINDINGS);
        ps_sb_add(b, " more.</p>");
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    ps_sb_add(b, "</section>\n");
}

/* Audiences of the items with the worst exposures, and the persona maps of the users whose
 * personas leak. */

/* A section of diagrams, one per id (an item or a user), each titled `title` and the id's
 * name.  `t` is scratch.  0, or -1 with errno set. */
static int add_diagram_section(ps_sb *b, ps_engine *e, const ps_report *r, const char *id,
                               const char *heading, const char *intro,
                               int (*draw)(ps_engine *, uint32_t, const ps_report *, uint32_t,
                                           ps_diagram *),
                               const char *title,
                               void (*add_name)(ps_sb *, const ps_model *, uint32_t),
                               const uint32_t *ids, uint32_t n, ps_sb *t)
{
    int rc = 0;
    ps_sb_addf(b, "<section id=\"%s\"><h2>%s</h2>\n<p>%s</p>\n", id, heading, intro);
    for (uint32_t k = 0; k < n && !rc; k++) {
        ps_diagram d;
        if (draw(e, ids[k], r, 0, &d)) {
            errno = ENOMEM;
            rc = -1;
            break;
        }
        ps_sb_clear(t);
        ps_sb_add(t, title);
        add_name(t, ps_engine_model(e), ids[k]);
        ps_sb_add(b, "<h3>");
        ps_sb_add_html(b, ps_sb_str(t));
        ps_sb_add(b, "</h3>");
        rc = add_diagram(b, &d, ps_sb_str(t), NULL);
        ps_diagram_free(&d);
    }
    ps_sb_add(b, "</section>\n");
    return rc;
}

static int add_views(ps_sb *b, const ps_model *m, const ps_report *r)
{
    uint32_t items[MAX_AUDIENCES], nitems = 0;
    uint32_t users[MAX_PERSONA_MAPS], nusers = 0;
    /* the audiences of the worst items: by worst severity, then exposed viewers */
    nitems = ps_html_worst_items(m, r, items, MAX_AUDIENCES);
    for (uint32_t i = 0; i < r->nexposures; i++) {
        const ps_exposure *x = &r->exposures[i];
        const ps_item *it = &m->items[x->item];
        if (it->persona < m->npersonas) {
            uint32_t u = m->personas[it->persona].owner;
            bool have = false;
            for (uint32_t k = 0; k < nusers; k++)
                have |= users[k] == u;
            if (!have && nusers < MAX_PERSONA_MAPS)
                users[nusers++] = u;
        }
        if (nusers == MAX_PERSONA_MAPS)
            break;
    }
    if (!nitems && !nusers)
        return 0;
    ps_engine *e = ps_engine_new(m);
    if (!e || ps_engine_run(e) < 0) {
        ps_engine_free(e);
        errno = ENOMEM;
        return -1;
    }
    int rc = 0;
    ps_sb t;
    ps_sb_init(&t);
    if (nitems)
        rc = add_diagram_section(b, e, r, "audiences", "Audiences",
                                 "Who sees the items with the worst exposures at the end of the "
                                 "timeline: the owner at the centre, then friends, friends of "
                                 "friends, networks and groups, everyone, and the internet and "
                                 "apps; the intended audience on the left, everyone else on the "
                                 "right.", ps_draw_audience, "Audience of ", ps_viz_add_item,
                                 items, nitems, &t);
    if (nusers && !rc)
        rc = add_diagram_section(b, e, r, "personas", "Personas",
                                 "Each persona's items and audience as a box; an edge is an "
                                 "exposure of an item, drawn into the persona (or outside all of "
                                 "them) where the viewer belongs.", ps_draw_persona,
                                 "Personas of ", ps_viz_add_viewer, users, nusers, &t);
    ps_sb_free(&t);
    ps_engine_free(e);
    return rc;
}

/* The user whose history the report shows: the owner of the first persona that leaks, else
 * the scenario's first user; PS_NONE when the report leaves the section out (no users, or a
 * large scenario: the history simulates it once per preset). */
static uint32_t history_user(const ps_model *m, const ps_report *r)
{
    if (!m->nusers || m->nitems > PS_REPORT_BIG_ITEMS)
        return PS_NONE;
    for (uint32_t i = 0; i < r->nexposures; i++) {
        const ps_item *it = &m->items[r->exposures[i].item];
        if (it->persona < m->npersonas)
            return m->personas[it->persona].owner;
    }
    return 0;
}

/* The section "Through the platforms": the scenario under every dated preset, as a chart. */
static int add_history(ps_sb *b, const ps_model *m, uint32_t user)
{
    ps_history *h;
    if (ps_history_compute(m, user, &h)) {
        errno = ENOMEM;
        return -1;
    }
    ps_diagram d;
    if (ps_draw_history(h, &d)) {
        ps_history_free(h);
        errno = ENOMEM;
        return -1;
    }
    ps_sb_add(b, "<section id=\"history\"><h2>Through the platforms</h2>\n<p>The same scenario "
                 "under every dated platform preset, in date order, with the file's own "
                 "<code>platform</code> and <code>rule</code> lines set aside: for each item and "
                 "profile field of ");
    ps_sb_add_html(b, m->users[user].name);
    ps_sb_add(b, ", the widest class of viewer that sees it at the end of the timeline. A "
                 "numbered cell is seen more widely than under the preset before it; the list "
                 "under the chart names the viewer, the link and the rule or setting that let it "
                 "in. <code>privsim history</code> prints the same as a table.</p>\n");
    ps_sb t;
    ps_sb_init(&t);
    ps_sb_add(&t, "History of ");
    ps_sb_add(&t, m->users[user].name);
    int rc = add_diagram(b, &d, ps_sb_str(&t), NULL);
    ps_sb_free(&t);
    ps_sb_add(b, "</section>\n");
    ps_diagram_free(&d);
    ps_history_free(h);
    return rc;
}

static void add_scenario(ps_sb *b, const ps_model *m, const char *path)
{
    ps_sb_add(b, "<section id=\"scenario\"><h2>Platform and scenario</h2>\n<p>Platform <code>");
    ps_sb_add_html(b, m->platform ? m->platform : PS_DEFAULT_PLATFORM);
    ps_sb_add(b, "</code>");
    if (m->rules_set)
        ps_sb_add(b, ", with the scenario's own <code>rule</code> lines applied");
    ps_sb_add(b, ". ");
    add_count(b, m->nusers);
    ps_sb_add(b, " users, ");
    add_count(b, m->nitems);
    ps_sb_add(b, " items, ");
    add_count(b, m->nsteps);
    ps_sb_add(b, " timeline steps.</p>\n<table><thead><tr><th>rule</th><th>value</th></tr></thead>"
                 "<tbody>");
    for (int id = 0; id < PS_NRULES; id++) {
        ps_sb_add(b, "<tr><td><code>");
        ps_sb_add(b, ps_rule_name((ps_rule_id)id));
        ps_sb_add(b, "</code>");
        if (m->rules_set & (1u << id))
            ps_sb_add(b, " <span class=\"badge plain\">set in the file</span>");
        ps_sb_add(b, "</td><td>");
        add_rule_value(b, m, (ps_rule_id)id);
        ps_sb_add(b, "</td></tr>");
    }
    ps_sb_add(b, "</tbody></table>\n");
    /* the file as written; when there is none to read again (standard input, a story
     * compiled into the program), the scenario as privsim read it, in canonical form */
    FILE *f = path && strcmp(path, "-") ? fopen(path, "rb") : NULL;
    bool canonical = false;
    char *mem = NULL;
    size_t memlen = 0;
    if (!f) {
        FILE *w = open_memstream(&mem, &memlen);
        if (w) {
            int prc = ps_print_scenario(w, m);
            if (fclose(w) == 0 && prc == 0 && mem && memlen) {
                f = fmemopen(mem, memlen, "rb");
                canonical = f != NULL;
            }
        }
    }
    ps_sb_add(b, "<details><summary>The scenario");
    if (path && !canonical) {
        ps_sb_add(b, " <code>");
        ps_sb_add_html(b, path);
        ps_sb_add(b, "</code>");
    } else {
        ps_sb_add(b, " as privsim reads it (canonical form)");
    }
    ps_sb_add(b, "</summary>");
    if (f) {
        char *buf = malloc(MAX_SOURCE_BYTES + 1);
        size_t n = buf ? fread(buf, 1, MAX_SOURCE_BYTES, f) : 0;
        bool more = n == MAX_SOURCE_BYTES && fgetc(f) != EOF;
        if (buf) {
            /* cut at the last whole line */
            if (more)
                while (n && buf[n - 1] != '\n')
                    n--;
            ps_sb_add(b, "<pre>");
            ps_sb_add_htmln(b, buf, n);
            ps_sb_add(b, "</pre>");
            if (more)
                ps_sb_addf(b, "<p class=\"muted\">The first %u KiB are shown.</p>",
                           MAX_SOURCE_BYTES / 1024);
        } else {
            b->oom = true;
        }
        free(buf);
        fclose(f);
    } else {
        ps_sb_add(b, "<p class=\"muted\">(the scenario cannot be shown)</p>");
    }
    free(mem);
    ps_sb_add(b, "</details>\n</section>\n");
}

/* ---------------------------------------------------------------------------------------
 * The page
 * ------------------------------------------------------------------------------------- */

static void fill_defaults(ps_report_opts *o, const ps_report_opts *in)
{
    memset(o, 0, sizeof *o);
    if (in)
        *o = *in;
    if (!o->max_diagrams)
        o->max_diagrams = DEFAULT_MAX_DIAGRAMS;
    if (!o->max_groups)
        o->max_groups = DEFAULT_MAX_GROUPS;
    if (!o->max_rows)
        o->max_rows = DEFAULT_MAX_ROWS;
    if (o->max_diagrams > o->max_groups)
        o->max_diagrams = o->max_groups;
}

int ps_report_html(const ps_model *m, const ps_report *r, const ps_report_opts *opts,
                   char **html_out)
{
    *html_out = NULL;
    ps_report_opts o;
    fill_defaults(&o, opts);
    ps_sb b;
    ps_sb_init(&b);
    group *table = NULL, **groups = NULL;
    uint32_t ngroups = 0;
    int rc = 0;
    if (make_groups(r, o.max_rows, o.fixes_items != 0, &table, &groups, &ngroups)) {
        errno = ENOMEM;
        rc = -1;
        goto out;
    }

    const char *base = o.scenario_path ? strrchr(o.scenario_path, '/') : NULL;
    base = base ? base + 1 : o.scenario_path ? o.scenario_path : "scenario";
    ps_sb_add(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                  "style-src 'unsafe-inline'; img-src data:\">\n"
                  "<meta name=\"generator\" content=\"privsim " PS_VERSION "\">\n<title>");
    ps_sb_add_html(&b, base);
    ps_sb_add(&b, " \xe2\x80\x94 privsim exposure report</title>\n<style>\n");
    ps_sb_add(&b, css);
    ps_sb_add(&b, "</style>\n</head>\n<body>\n<header class=\"top\"><div class=\"wrap\">"
                  "<h1>Exposure report: ");
    ps_sb_add_html(&b, base);
    ps_sb_add(&b, "</h1><div class=\"sub\">Who can really see each item, and how it got there "
                  "\xc2\xb7 platform <code>");
    ps_sb_add_html(&b, m->platform ? m->platform : PS_DEFAULT_PLATFORM);
    ps_sb_add(&b, "</code> \xc2\xb7 ");
    add_count(&b, r->nexposures);
    ps_sb_add(&b, r->nexposures == 1 ? " exposure" : " exposures");
    ps_sb_add(&b, "</div>\n<nav class=\"toc\"><a href=\"#plan\">What to change</a>"
                  "<a href=\"#worst\">Where it leaks most</a><a href=\"#summary\">Summary</a>"
                  "<a href=\"#exposures\">Exposures</a><a href=\"#expectations\">Expectations</a>");
    if (m->persons && m->persons->n)
        ps_sb_add(&b, "<a href=\"#linkages\">Linkages</a>");
    if (o.findings_dir)
        ps_sb_add(&b, "<a href=\"#findings\">Fuzz findings</a>");
    if (r->nexposures)
        ps_sb_add(&b, "<a href=\"#audiences\">Audiences</a>");
    for (uint32_t i = 0; i < r->nexposures; i++)
        if (m->items[r->exposures[i].item].persona < m->npersonas) {
            ps_sb_add(&b, "<a href=\"#personas\">Personas</a>");
            break;
        }
    uint32_t huser = history_user(m, r);
    if (huser != PS_NONE)
        ps_sb_add(&b, "<a href=\"#history\">Through the platforms</a>");
    ps_sb_add(&b, "<a href=\"#scenario\">Platform and scenario</a></nav></div></header>\n"
                  "<main class=\"wrap\">\n");

    if (ps_html_add_plan(&b, m, r, o.fixes_items != 0)) {
        rc = -1;
        goto out;
    }
    ps_html_add_worst(&b, m, r);
    if (add_summary(&b, m, r) || add_exposures(&b, m, r, groups, ngroups, &o)) {
        rc = -1;
        goto out;
    }
    add_expectations(&b, m, r);
    if (m->persons && m->persons->n && add_linkages(&b, m)) {
        rc = -1;
        goto out;
    }
    if (o.findings_dir)
        add_findings(&b, o.findings_dir);
    if (add_views(&b, m, r) || (huser != PS_NONE && add_history(&b, m, huser))) {
        rc = -1;
        goto out;
    }
    add_scenario(&b, m, o.scenario_path);
    ps_sb_add(&b, "</main>\n<footer class=\"wrap\">Written by privsim " PS_VERSION
                  ". This page is self-contained: it loads nothing from the network and runs "
                  "no script.</footer>\n</body>\n</html>\n");
    if (b.oom) {
        errno = ENOMEM;
        rc = -1;
        goto out;
    }
    *html_out = ps_sb_take(&b);
    if (!*html_out) {
        errno = ENOMEM;
        rc = -1;
    }
out:
    free_groups(&table, groups);
    ps_sb_free(&b);
    return rc;
}

/* Marks in `items` the item of the first exposure (report order) of each group of `r`,
 * the exposure that describes the group; returns how many items were marked. */
static uint32_t mark_group_items(const ps_report *r, uint64_t *items)
{
    group *table = NULL, **v = NULL;
    uint32_t n = 0, marked = 0;
    if (make_groups(r, 1, false, &table, &v, &n) == 0)
        for (uint32_t k = 0; k < n; k++) {
            uint32_t it = r->exposures[v[k]->rep].item;
            if (!((items[it >> 6] >> (it & 63)) & 1)) {
                items[it >> 6] |= (uint64_t)1 << (it & 63);
                marked++;
            }
        }
    free_groups(&table, v);
    return marked ? marked : 1;
}

int ps_report_write_opts(const ps_model *m, const ps_report_opts *opts, const char *out_dir,
                         char **index_path_out)
{
    if (index_path_out)
        *index_path_out = NULL;
    ps_report_opts o;
    fill_defaults(&o, opts);
    /* the directory is rebuilt beside itself and swapped in: a run stopped at any moment
     * leaves the old report or the new one, never a mix (atomic.h) */
    ps_atomic_dir stage, *ad = &stage;
    if (ps_make_dirs(out_dir))
        return -1;
    if (ps_atomic_dir_open(&stage, out_dir, ps_html_is_report_file)) {
        if (errno != EISDIR)
            return -1;
        /* a directory with subdirectories of its own cannot be swapped whole: the report's
         * files are then replaced one by one, each through its own temporary file */
        ad = NULL;
    }
    size_t need = strlen(out_dir) + sizeof "/index.html";
    char *path = malloc(need);
    if (!path) {
        if (ad)
            ps_atomic_dir_abort(ad);
        errno = ENOMEM;
        return -1;
    }
    snprintf(path, need, "%s/index.html", out_dir);

    ps_check_opts co = { .fixes = !o.no_fixes };
    ps_report *r = NULL;
    uint64_t *fix_items = NULL;
    /* on big scenarios, fixes are verified only for the items of the exposures that describe
     * each group (each candidate replays the whole timeline): a first run finds them */
    if (co.fixes && m->nitems > PS_REPORT_BIG_ITEMS) {
        ps_check_opts first = { .fixes = false };
        fix_items = calloc((m->nitems + 63) / 64, sizeof *fix_items);
        if (!fix_items || ps_check(m, &first, &r)) {
            free(fix_items);
            free(path);
            if (ad)
                ps_atomic_dir_abort(ad);
            errno = ENOMEM;
            return -1;
        }
        o.fixes_items = mark_group_items(r, fix_items);
        ps_report_free(r);
        r = NULL;
        co.fix_items = fix_items;
    }
    int crc = ps_check(m, &co, &r);
    if (!crc && co.fixes && ps_fix_complete(m, r)) {
        ps_report_free(r);
        crc = -1;
    }
    free(fix_items);
    if (crc) {
        free(path);
        if (ad)
            ps_atomic_dir_abort(ad);
        errno = ENOMEM;
        return -1;
    }
    char *html = NULL;
    errno = 0;
    int rc = ps_report_html(m, r, &o, &html);
    if (rc && !errno)
        errno = ENOMEM;
    ps_report_free(r);
    if (rc == 0)
        rc = ps_html_write_svgs(ad, out_dir, html);
    if (rc == 0)
        rc = ps_html_write_page(ad, out_dir, html);
    free(html);
    if (rc == 0 && ad)
        rc = ps_atomic_dir_commit(ad);
    else if (ad) {
        int err = errno;
        ps_atomic_dir_abort(ad);
        errno = err;
    }
    if (rc) {
        int err = errno;
        free(path);
        errno = err;
        return -1;
    }
    if (index_path_out)
        *index_path_out = path;
    else
        free(path);
    return 0;
}

int ps_report_write(const ps_model *m, const char *scenario_path, const char *findings_dir,
                    const char *out_dir, char **index_path_out)
{
    ps_report_opts o = { .scenario_path = scenario_path, .findings_dir = findings_dir };
    return ps_report_write_opts(m, &o, out_dir, index_path_out);
}
