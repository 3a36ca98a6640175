/* draw_leak.c - a leak path as a diagram (see viz.h, ps_draw_leak).
 *
 * Left to right: the item, its owner, each user the path goes through, and the viewer.  A
 * link whose `through` user is not already on the path (the friend between in a fof match, the
 * tagged user whose friend sees a photo, the friend whose friend list shows a friendship) gets
 * a node of its own, so every person the information passes is visible.  Edges carry the
 * link's kind ("tag (friend of tagged)") and, below it, the rule or setting that lets it
 * through, in the words of describe.h that the text output uses too.  The viewer and the last
 * edge take the severity's colour.  Fixes hang beside the step they cut (same rank, a dashed
 * edge ending in a bar), and the caption under the drawing carries the title and the legend.
 */
#include "describe.h"
#include "viz_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fixes drawn (in one box per step they cut); the others are counted. */
#define MAX_FIX_NODES 6
/* Characters per line of a fix box: narrow boxes keep the drawing narrow, since a box shares
 * the rank (the column) of the step it cuts. */
#define FIX_WRAP 24

void ps_leak_view_init(ps_leak_view *v, const ps_report *r, const ps_exposure *x)
{
    memset(v, 0, sizeof *v);
    v->path = &x->path;
    v->severity = x->severity;
    if (r && x->nfixes && x->fix_first + x->nfixes <= r->nfixes) {
        v->fixes = r->fixes + x->fix_first;
        v->nfixes = x->nfixes;
    }
    v->platform_only = x->platform_only;
    v->first_step = x->first_step;
    v->at_end = x->at_end;
    v->count = 1;
}

/* ---------------------------------------------------------------------------------------
 * Which step a fix cuts
 * ------------------------------------------------------------------------------------- */

static int find_link(const ps_path *p, ps_via via, uint32_t through)
{
    for (uint32_t i = p->nlinks; i-- > 0;)
        if (p->links[i].grant.via == via &&
            (through == PS_NONE || p->links[i].grant.through == through))
            return (int)i;
    return -1;
}

static ps_via rule_via(ps_rule_id rule)
{
    switch (rule) {
    case PS_RULE_TAG_EXTENDS: case PS_RULE_TAG_REVIEW_DEFAULT: return PS_VIA_TAG;
    case PS_RULE_RESHARE: return PS_VIA_SHARE;
    case PS_RULE_APPS_THROUGH_FRIENDS: case PS_RULE_APPS_THROUGH_FRIENDS_DEFAULT: return PS_VIA_APP;
    case PS_RULE_FRIENDSHIP_VISIBILITY: return PS_VIA_FRIENDSHIP;
    case PS_RULE_FORCED_PUBLIC: case PS_RULE_FORCED_EVERYONE: case PS_RULE_FORCED_EXTERNAL:
    case PS_RULE_SEARCH_LISTING: return PS_VIA_FORCED;
    case PS_RULE_INTERACTION_EXTENDS: return PS_VIA_INTERACTION;
    case PS_RULE_DEFAULT_AUDIENCE: return PS_VIA_AUDIENCE;
    default: return PS_VIA_NONE;
    }
}

uint32_t ps_viz_fix_link(const ps_model *m, const ps_path *p, const ps_fix *f)
{
    (void)m;
    if (p->nlinks == 0)
        return 0;
    uint32_t last = p->nlinks - 1;
    int k = -1;
    switch ((ps_fix_kind)f->kind) {
    case PS_FIX_SET_AUDIENCE:
        /* the owner's first choice: the step right after the owner */
        k = p->nlinks > 1 ? 1 : 0;
        break;
    case PS_FIX_HIDE:
        /* hiding takes a viewer out where they are reached: the link that reaches a user the
         * hide names, else the last one */
        k = (int)last;
        for (uint32_t t = 0; t < f->terms.n; t++)
            for (uint32_t i = 1; i < p->nlinks; i++)
                if (f->terms.v[t].kind == PS_TERM_USER && p->links[i].viewer == f->terms.v[t].ref &&
                    (int)i < k)
                    k = (int)i;
        break;
    case PS_FIX_TAG_REVIEW: k = find_link(p, PS_VIA_TAG, f->user); break;
    case PS_FIX_TAG_FRIENDS: k = find_link(p, PS_VIA_TAG, PS_NONE); break;
    case PS_FIX_UNTAG: k = find_link(p, PS_VIA_TAG, f->user2 != PS_NONE ? f->user2 : f->user); break;
    case PS_FIX_APPS_CATEGORY: k = find_link(p, PS_VIA_APP, PS_NONE); break;
    case PS_FIX_FRIENDLIST: k = find_link(p, PS_VIA_FRIENDSHIP, f->user); break;
    case PS_FIX_UNSHARE: k = find_link(p, PS_VIA_SHARE, f->user); break;
    case PS_FIX_NO_INTERACTION: k = find_link(p, PS_VIA_INTERACTION, f->user); break;
    case PS_FIX_UNINSTALL: k = find_link(p, PS_VIA_APP, f->user); break;
    case PS_FIX_RULE: k = find_link(p, rule_via((ps_rule_id)f->rule), PS_NONE); break;
    default: break;
    }
    if (k < 0) {
        /* a fix about a user whose link carries another kind: match on the user alone */
        for (uint32_t i = p->nlinks; i-- > 1 && k < 0;)
            if (f->user != PS_NONE && p->links[i].grant.through == f->user)
                k = (int)i;
    }
    return k < 0 ? last : (uint32_t)k;
}

/* ---------------------------------------------------------------------------------------
 * Drawing
 * ------------------------------------------------------------------------------------- */

/* The label of the edge into a `through` node that a link adds to the path. */
static const char *through_relation(const ps_grant *g)
{
    switch ((ps_via)g->via) {
    case PS_VIA_AUDIENCE: return "friend of the owner";
    case PS_VIA_TAG: return "tagged in it";
    case PS_VIA_FRIENDSHIP: return "friends with the owner";
    case PS_VIA_INTERACTION: return "commented or liked";
    case PS_VIA_SHARE: return "sees it";
    case PS_VIA_APP: return "installed the app";
    default: return "";
    }
}

/* The node of viewer `v`, created with a neutral look on first use. */
static ps_gv_node *viewer_node(ps_gv_graph *g, const ps_model *m, uint32_t v, int *err)
{
    char name[32];
    snprintf(name, sizeof name, "v%u", (unsigned)v);
    ps_gv_node *n = ps_gv_find_node(g, name);
    if (n)
        return n;
    n = ps_gv_add_node(g, name);
    if (!n || ps_viz_viewer_node(n, m, v, NULL, -2))
        *err = 1;
    return n;
}

/* Builds the text "kind\nrule or setting" of link i, one clause of the basis a line. */
static void link_edge_text(ps_sb *b, const ps_model *m, const ps_path *p, uint32_t i)
{
    char buf[1024];
    ps_sb_add(b, ps_link_label(m, p, i, buf, sizeof buf));
    ps_link_basis(m, p, i, buf, sizeof buf);
    const char *s = buf;
    while (*s) {
        const char *semi = strstr(s, "; ");
        size_t n = semi ? (size_t)(semi - s) : strlen(s);
        ps_sb_add(b, "\n");
        ps_sb_addn(b, s, n);
        s += n;
        if (semi)
            s += 2;
    }
}

/* The caption under the drawing: title, timing and the legend, as an HTML-like label. */
static int caption(ps_gv_graph *g, const ps_model *m, const ps_leak_view *v)
{
    const ps_path *p = v->path;
    ps_sb t, h;
    ps_sb_init(&t);
    ps_sb_init(&h);
    char *esc;

    ps_viz_add_viewer(&t, m, p->viewer);
    ps_sb_add(&t, " sees ");
    ps_viz_add_item(&t, m, p->item);
    ps_sb_add(&h, "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"3\" CELLPADDING=\"2\">");
    esc = ps_gv_html_text(ps_sb_str(&t));
    ps_sb_addf(&h, "<TR><TD ALIGN=\"LEFT\" COLSPAN=\"5\"><FONT POINT-SIZE=\"13\"><B>%s</B>"
                   "</FONT></TD></TR>", esc ? esc : "");
    free(esc);

    ps_sb_clear(&t);
    ps_sb_add(&t, ps_viz_severity_words(v->severity));
    if (v->first_step == 0)
        ps_sb_add(&t, " \xc2\xb7 from the start");
    else if (v->first_step <= m->nsteps)
        ps_sb_addf(&t, " \xc2\xb7 from step %u (line %u)", (unsigned)v->first_step,
                   (unsigned)m->steps[v->first_step - 1].loc.line);
    ps_sb_add(&t, v->at_end ? ", still there at the end" : ", gone by the end");
    if (v->count > 1) {
        char c[32];
        ps_sb_addf(&t, " \xc2\xb7 one of %s exposures of this shape",
                   ps_viz_count(v->count, c, sizeof c));
    }
    if (v->platform_only)
        ps_sb_add(&t, "\nno user setting cuts this path: only a platform rule does");
    esc = ps_gv_html_text(ps_sb_str(&t));
    ps_sb_addf(&h, "<TR><TD ALIGN=\"LEFT\" COLSPAN=\"5\"><FONT COLOR=\"%s\">%s</FONT></TD></TR>",
               ps_viz_severity_color(v->severity), esc ? esc : "");
    free(esc);

    /* the legend: one swatch per colour */
    ps_sb_add(&h, "<TR>");
    static const int sev[] = { PS_SEV_FORBIDDEN, PS_SEV_EXTERNAL, PS_SEV_BEYOND_INTENT, -1 };
    for (size_t i = 0; i < sizeof sev / sizeof sev[0]; i++)
        ps_sb_addf(&h, "<TD BGCOLOR=\"%s\" BORDER=\"1\" COLOR=\"%s\"><FONT POINT-SIZE=\"9\" "
                       "COLOR=\"%s\">%s</FONT></TD>",
                   ps_viz_severity_fill(sev[i]), ps_viz_severity_color(sev[i]),
                   ps_viz_severity_color(sev[i]), ps_viz_severity_words(sev[i]));
    ps_sb_addf(&h, "<TD BGCOLOR=\"#eafaf1\" BORDER=\"1\" COLOR=\"%s\"><FONT POINT-SIZE=\"9\" "
                   "COLOR=\"%s\">&#9986; fix: cuts the step it points at</FONT></TD>",
               PS_VIZ_COLOR_FIX, PS_VIZ_COLOR_FIX);
    ps_sb_add(&h, "</TR></TABLE>");

    int rc = (t.oom || h.oom) ? -1 : ps_gv_set_html(g, "label", ps_sb_str(&h));
    ps_sb_free(&t);
    ps_sb_free(&h);
    return rc;
}

/* Where fix j is drawn: on the edge of link `link` into the viewer, or (`on_through`) on the
 * edge into the user the link passes through. */
typedef struct {
    uint32_t link;
    bool on_through;
} fix_place;

static fix_place place_fix(const ps_model *m, const ps_path *p, const ps_fix *f, bool has_through)
{
    fix_place fp = { ps_viz_fix_link(m, p, f), false };
    const ps_grant *gr = &p->links[fp.link].grant;
    /* what the tagged user or the friend in between can change cuts the edge into them */
    if (has_through && (f->kind == PS_FIX_TAG_REVIEW || f->kind == PS_FIX_UNTAG ||
                        f->kind == PS_FIX_FRIENDLIST) &&
        (f->user == gr->through || f->user2 == gr->through))
        fp.on_through = true;
    return fp;
}

/* Draws one step from `from` to `to`.  When `cut` is not NULL the step is drawn in two halves
 * around a small point node named `cut` (where fixes attach), and *cut_node receives it; the
 * first half carries the label.  Returns the labelled edge, or NULL out of memory. */
static ps_gv_edge *step_edge(ps_gv_graph *g, ps_gv_node *from, ps_gv_node *to, const char *cut,
                             ps_gv_node **cut_node)
{
    if (!cut)
        return ps_gv_add_edge(g, from, to);
    ps_gv_node *c = ps_gv_add_node(g, cut);
    if (!c)
        return NULL;
    ps_gv_edge *a = ps_gv_add_edge(g, from, c);
    ps_gv_edge *b = ps_gv_add_edge(g, c, to);
    if (!a || !b || ps_gv_set(c, "shape", "point") || ps_gv_set(c, "width", "0.09") ||
        ps_gv_set(c, "label", "") || ps_gv_set(a, "arrowhead", "none"))
        return NULL;
    *cut_node = c;
    return a;
}

/* Sets the look of both halves of a step (the edge `e` and, if split, the edge after the
 * cut node). */
static int style_step(ps_gv_edge *e, ps_gv_node *cut, const char *color, const char *fontcolor,
                      const char *width)
{
    int err = 0;
    err |= ps_gv_set(e, "color", color);
    err |= ps_gv_set(e, "fontcolor", fontcolor);
    err |= ps_gv_set(e, "penwidth", width);
    if (cut) {
        err |= ps_gv_set(cut, "color", color);
        ps_gv_edge *b = ps_gv_first_out(cut);
        if (b) {
            err |= ps_gv_set(b, "color", color);
            err |= ps_gv_set(b, "penwidth", width);
        }
    }
    return err;
}

int ps_draw_leak(const ps_model *m, const ps_leak_view *v, ps_diagram *out)
{
    out->g = NULL;
    out->layout = "dot";
    const ps_path *p = v->path;
    if (!p || p->item >= m->nitems || p->nlinks == 0 || p->nlinks > PS_PATH_MAX)
        return -1;
    ps_gv_graph *g = ps_gv_open("leak", true);
    if (!g)
        return -1;
    int err = 0;
    err |= ps_gv_set(g, "rankdir", "LR");
    err |= ps_gv_set(g, "nodesep", "0.3");
    err |= ps_gv_set(g, "ranksep", "0.3");
    err |= ps_gv_set(g, "pad", "0.2");
    err |= ps_gv_set(g, "labelloc", "b");
    err |= ps_gv_set(g, "labeljust", "l");

    /* the item */
    ps_sb b;
    ps_sb_init(&b);
    ps_gv_node *item = ps_gv_add_node(g, "item");
    if (!item) {
        ps_gv_close(g);
        return -1;
    }
    ps_viz_add_item(&b, m, p->item);
    const ps_item *it = &m->items[p->item];
    if (it->persona != PS_NONE && it->persona < m->npersonas) {
        const ps_persona *pe = &m->personas[it->persona];
        ps_sb_add(&b, "\npersona ");
        ps_viz_add_clipped(&b, pe->owner < m->nusers ? m->users[pe->owner].name : "?",
                           PS_VIZ_CLIP);
        ps_sb_add(&b, ".");
        ps_viz_add_clipped(&b, pe->name, PS_VIZ_CLIP);
    }
    err |= ps_gv_set_text(item, "label", ps_sb_str(&b));
    err |= ps_gv_set(item, "shape", "note");
    err |= ps_gv_set(item, "style", "filled");
    err |= ps_gv_set(item, "fillcolor", "#fef9e7");
    err |= ps_gv_set(item, "color", "#b7950b");

    /* which link (and which half of it) each shown fix cuts */
    uint32_t shown = v->nfixes < MAX_FIX_NODES ? v->nfixes : MAX_FIX_NODES;
    fix_place places[MAX_FIX_NODES];
    bool cut_main[PS_PATH_MAX] = { false }, cut_thru[PS_PATH_MAX] = { false };
    uint32_t prev_viewer = PS_NONE;
    for (uint32_t i = 0; i < p->nlinks; i++) {
        const ps_grant *gr = &p->links[i].grant;
        bool has_through = i > 0 && gr->via != PS_VIA_OWNER && gr->through != PS_NONE &&
                           gr->through < m->nusers && gr->through != prev_viewer &&
                           gr->through != p->links[i].viewer;
        for (uint32_t j = 0; j < shown; j++) {
            fix_place fp = place_fix(m, p, &v->fixes[j], has_through);
            if (fp.link != i)
                continue;
            places[j] = fp;
            if (fp.on_through)
                cut_thru[i] = true;
            else
                cut_main[i] = true;
        }
        prev_viewer = p->links[i].viewer;
    }

    /* the path: cuts[i] / tcuts[i] are the points where fixes of link i attach */
    ps_gv_node *cuts[PS_PATH_MAX] = { 0 }, *tcuts[PS_PATH_MAX] = { 0 };
    ps_gv_node *viewer_n = NULL, *owner_n = NULL;
    ps_gv_node *prev = item;
    char cutname[32];
    prev_viewer = PS_NONE;
    for (uint32_t i = 0; i < p->nlinks && !err; i++) {
        const ps_link *l = &p->links[i];
        const ps_grant *gr = &l->grant;
        bool last = i + 1 == p->nlinks;
        if (i > 0 && gr->via != PS_VIA_OWNER && gr->through != PS_NONE &&
            gr->through < m->nusers && gr->through != prev_viewer && gr->through != l->viewer) {
            ps_gv_node *tn = viewer_node(g, m, gr->through, &err);
            snprintf(cutname, sizeof cutname, "tcut%u", (unsigned)i);
            ps_gv_edge *te = tn ? step_edge(g, prev, tn, cut_thru[i] ? cutname : NULL, &tcuts[i])
                                : NULL;
            if (!te) {
                err = 1;
                break;
            }
            err |= ps_gv_set_text(te, "label", through_relation(gr));
            err |= style_step(te, tcuts[i], "#7f8c8d", "#566573", "1.3");
            prev = tn;
        }
        ps_gv_node *vn = viewer_node(g, m, l->viewer, &err);
        snprintf(cutname, sizeof cutname, "cut%u", (unsigned)i);
        ps_gv_edge *e = vn ? step_edge(g, prev, vn, cut_main[i] ? cutname : NULL, &cuts[i]) : NULL;
        if (!e) {
            err = 1;
            break;
        }
        ps_sb_clear(&b);
        if (gr->via == PS_VIA_OWNER && i == 0)
            ps_sb_add(&b, "owner");
        else
            link_edge_text(&b, m, p, i);
        err |= ps_gv_set_text(e, "label", ps_sb_str(&b));
        if (last && gr->via != PS_VIA_OWNER)
            err |= style_step(e, cuts[i], ps_viz_severity_color(v->severity),
                              ps_viz_severity_color(v->severity), "2.2");
        else
            err |= style_step(e, cuts[i], "#566573", "#34495e", "1.3");
        if (i == 0)
            owner_n = vn;
        viewer_n = vn;
        prev = vn;
        prev_viewer = l->viewer;
    }
    if (err) {
        ps_sb_free(&b);
        ps_gv_close(g);
        return -1;
    }

    /* roles: the owner, the viewer */
    const ps_link *first = &p->links[0];
    const ps_link *lastl = &p->links[p->nlinks - 1];
    if (first->grant.via == PS_VIA_OWNER && first->viewer != lastl->viewer) {
        err |= ps_viz_viewer_node(owner_n, m, first->viewer, "owner", -2);
        err |= ps_gv_set(owner_n, "penwidth", "2");
    }
    ps_sb_clear(&b);
    ps_sb_add(&b, "viewer \xc2\xb7 ");
    ps_sb_add(&b, ps_viz_severity_words(v->severity));
    err |= ps_viz_viewer_node(viewer_n, m, lastl->viewer, ps_sb_str(&b), v->severity);

    /* fixes beside the step they cut: one box per cut point, in the point's rank */
    char name[32], text[1024];
    for (uint32_t k = 0; k < p->nlinks && !err; k++)
        for (int half = 0; half < 2 && !err; half++) {
            bool on_through = half == 1;
            ps_gv_node *at = on_through ? tcuts[k] : cuts[k];
            if (!at)
                continue;
            ps_sb_clear(&b);
            uint32_t nf = 0;
            for (uint32_t j = 0; j < shown; j++) {
                if (places[j].link != k || places[j].on_through != on_through)
                    continue;
                ps_sb_add(&b, nf++ ? "\n" : "");
                ps_sb_add(&b, "\xe2\x9c\x82 "); /* scissors */
                ps_viz_add_wrapped(&b, ps_fix_text(m, &v->fixes[j], text, sizeof text),
                                   FIX_WRAP, "   ");
            }
            if (!nf)
                continue;
            snprintf(name, sizeof name, "%sfix%u", on_through ? "t" : "", (unsigned)k);
            ps_gv_node *fn = ps_gv_add_node(g, name);
            snprintf(name, sizeof name, "%srank%u", on_through ? "t" : "", (unsigned)k);
            ps_gv_graph *rank = ps_gv_subgraph(g, name);
            if (!fn || !rank || !ps_gv_subgraph_add(rank, at) || !ps_gv_subgraph_add(rank, fn)) {
                err = 1;
                break;
            }
            err |= ps_gv_set_text_left(fn, "label", ps_sb_str(&b));
            err |= ps_gv_set(fn, "shape", "box");
            err |= ps_gv_set(fn, "style", "rounded,filled,dashed");
            err |= ps_gv_set(fn, "fillcolor", "#eafaf1");
            err |= ps_gv_set(fn, "color", PS_VIZ_COLOR_FIX);
            err |= ps_gv_set(fn, "fontcolor", "#145a32");
            err |= ps_gv_set(fn, "fontsize", "10");
            err |= ps_gv_set(rank, "rank", "same");
            ps_gv_edge *fe = ps_gv_add_edge(g, fn, at);
            if (!fe) {
                err = 1;
                break;
            }
            err |= ps_gv_set(fe, "style", "dashed");
            err |= ps_gv_set(fe, "color", PS_VIZ_COLOR_FIX);
            err |= ps_gv_set(fe, "arrowhead", "tee");
        }
    if (!err && v->nfixes > shown) {
        ps_gv_node *more = ps_gv_add_node(g, "fixmore");
        if (!more) {
            err = 1;
        } else {
            ps_sb_clear(&b);
            ps_sb_addf(&b, "and %u more fixes", (unsigned)(v->nfixes - shown));
            err |= ps_gv_set_text(more, "label", ps_sb_str(&b));
            err |= ps_gv_set(more, "shape", "plaintext");
            err |= ps_gv_set(more, "fontcolor", "#145a32");
            err |= ps_gv_set(more, "fontsize", "10");
        }
    }
    ps_sb_free(&b);
    if (!v->bare)
        err |= caption(g, m, v);
    if (err) {
        ps_gv_close(g);
        return -1;
    }
    out->g = g;
    return 0;
}
