/* draw_link.c - how one viewer links two accounts of a person, as a diagram (see viz.h,
 * ps_draw_link).
 *
 * Left to right: the two accounts, one box per piece of evidence, the viewer.  Each account
 * has an edge into each piece of evidence that ties it (the photo that tags it, the field
 * that holds the shared value, the friend list that shows a friendship, ...), and each piece
 * of evidence an edge into the viewer labelled with how the viewer sees it: the shape of the
 * viewer's derivation of the item it rests on.  The viewer takes the severity's colour; the
 * caption holds the title and the re-verified fixes.
 */
#include "describe.h"
#include "viz_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Evidence boxes drawn; the others are counted in the caption. */
#define MAX_EVIDENCE 8
#define LEGS_MAX 8
#define WRAP 34

static int account_node(ps_gv_graph *g, const ps_model *m, const char *id, uint32_t u,
                        ps_gv_node **out)
{
    ps_gv_node *n = ps_gv_add_node(g, id);
    if (!n)
        return -1;
    *out = n;
    return ps_viz_viewer_node(n, m, u, "account", -2);
}

int ps_draw_link(ps_linkage_report *r, const ps_linkage *l, ps_diagram *out)
{
    out->g = NULL;
    out->layout = "dot";
    const ps_model *m = r->m;
    ps_gv_graph *g = ps_gv_open("link", true);
    if (!g)
        return -1;
    int err = 0;
    err |= ps_gv_set(g, "rankdir", "LR");
    err |= ps_gv_set(g, "nodesep", "0.3");
    err |= ps_gv_set(g, "ranksep", "0.5");
    err |= ps_gv_set(g, "pad", "0.2");
    err |= ps_gv_set(g, "labelloc", "b");
    err |= ps_gv_set(g, "labeljust", "l");
    ps_gv_node *na = NULL, *nb = NULL, *nv = ps_gv_add_node(g, "viewer");
    err |= account_node(g, m, "acc_a", l->a, &na);
    err |= account_node(g, m, "acc_b", l->b, &nb);
    if (!nv || err) {
        ps_gv_close(g);
        return -1;
    }
    err |= ps_viz_viewer_node(nv, m, l->viewer, "links them", l->severity);
    ps_sb b;
    ps_sb_init(&b);
    char text[2048], id[32];
    uint32_t shown = l->nev < MAX_EVIDENCE ? l->nev : MAX_EVIDENCE;
    for (uint32_t k = 0; k < shown && !err; k++) {
        const ps_evidence *ev = &r->ev[l->ev_first + k];
        snprintf(id, sizeof id, "ev%u", (unsigned)k);
        ps_gv_node *n = ps_gv_add_node(g, id);
        if (!n) {
            err = -1;
            break;
        }
        ps_sb_clear(&b);
        ps_sb_add(&b, ps_ev_kind_name((ps_ev_kind)ev->kind));
        ps_sb_add(&b, "\n");
        ps_viz_add_wrapped(&b, ps_evidence_text(r, l, ev, text, sizeof text), WRAP, "");
        err |= ps_gv_set_text(n, "label", ps_sb_str(&b));
        err |= ps_gv_set(n, "shape", "box");
        err |= ps_gv_set(n, "style", "rounded,filled");
        err |= ps_gv_set(n, "fillcolor", "#fef9e7");
        err |= ps_gv_set(n, "color", "#b7950b");
        ps_gv_edge *ea = ps_gv_add_edge(g, na, n), *eb = ps_gv_add_edge(g, nb, n);
        ps_gv_edge *ev_v = ps_gv_add_edge(g, n, nv);
        if (!ea || !eb || !ev_v) {
            err = -1;
            break;
        }
        err |= ps_gv_set(ea, "color", PS_VIZ_COLOR_NEUTRAL);
        err |= ps_gv_set(eb, "color", PS_VIZ_COLOR_NEUTRAL);
        err |= ps_gv_set(ev_v, "color", ps_viz_severity_color(l->severity));
        /* how the viewer sees it: the shape of each leg */
        ps_path legs[LEGS_MAX];
        uint32_t nl = ps_linkage_legs(r, l, ev, legs, LEGS_MAX);
        ps_sb_clear(&b);
        for (uint32_t i = 0; i < nl && i < 2; i++) {
            if (i)
                ps_sb_add(&b, "\n");
            ps_sb_add(&b, m->items[legs[i].item].name);
            ps_sb_add(&b, ": ");
            ps_sb_add(&b, ps_path_shape_text(&legs[i], text, sizeof text));
        }
        if (nl > 2) {
            snprintf(text, sizeof text, "\n(%u paths)", (unsigned)nl);
            ps_sb_add(&b, text);
        }
        if (nl)
            err |= ps_gv_set_text(ev_v, "label", ps_sb_str(&b));
    }
    /* the caption: what it shows, and the fixes */
    ps_sb_clear(&b);
    ps_viz_add_viewer(&b, m, l->viewer);
    snprintf(text, sizeof text, " links %s and %s (%s)", m->users[l->a].name,
             m->users[l->b].name, ps_viz_severity_words(l->severity));
    ps_sb_add(&b, text);
    if (l->first_step && l->first_step <= m->nsteps) {
        snprintf(text, sizeof text, ", from step %u (line %u)", (unsigned)l->first_step,
                 (unsigned)m->steps[l->first_step - 1].loc.line);
        ps_sb_add(&b, text);
    }
    if (l->nev > shown) {
        snprintf(text, sizeof text, "; %u more pieces of evidence not drawn",
                 (unsigned)(l->nev - shown));
        ps_sb_add(&b, text);
    }
    for (uint32_t k = 0; k < l->nfixes && k < 6; k++) {
        ps_sb_add(&b, k ? "\n  " : "\nfixes (each re-checked):\n  ");
        ps_sb_add(&b, ps_link_fix_text(r, &r->fixes[r->fix_of[l->fix_first + k]], text,
                                       sizeof text));
    }
    if (!l->nfixes && r->nfixes)
        ps_sb_add(&b, "\nno single change tried removes every piece of evidence");
    err |= ps_gv_set_text_left(g, "label", ps_sb_str(&b));
    ps_sb_free(&b);
    if (err) {
        ps_gv_close(g);
        return -1;
    }
    out->g = g;
    return 0;
}
