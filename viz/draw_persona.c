/* draw_persona.c - a user's personas and the leaks between them (see viz.h, ps_draw_persona).
 *
 * One cluster per persona of the user: its items (those whose persona it is, whoever posted
 * them) and its audience, the people the persona is for.  Each exposure of those items
 * becomes an edge from the item to the viewer, drawn where the viewer belongs: inside
 * another persona's cluster when the viewer is in that persona's audience (the weekend photo
 * that reaches the work persona's coworkers), else in a cluster "outside every persona".
 * A viewer who appears in several clusters gets one node per cluster (node names carry the
 * cluster), since a Graphviz node lives in one cluster only.
 *
 * Big audiences and many exposures are capped: a cluster shows its first members and the
 * members that leaks reach, and counts the rest; at most MAX_LEAK_EDGES leak edges are drawn
 * and the others are counted in the caption.
 */
#include "bitset.h"
#include "viz_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_NODES 8
#define MAX_ITEMS 8          /* items shown per persona */
#define MAX_LEAK_EDGES 40
#define MEMBER_COLS 3        /* columns of the table of a persona's audience */


/* One persona of the user. */
typedef struct {
    uint32_t persona;      /* index in m->personas */
    uint64_t *members;     /* its audience, over viewers (owned) */
    uint64_t nmembers;     /* users in it, the user excepted */
    ps_gv_graph *cluster;
    ps_gv_node *anchor;    /* the first node of the cluster, to place the members beside */
} pcluster;

/* The severity of the worst leak reaching each node, to colour it once all edges are known. */
typedef struct {
    ps_gv_node *n;
    uint32_t viewer;
    int severity;
} target;

int ps_draw_persona(ps_engine *e, uint32_t user, const ps_report *r, uint32_t max_nodes,
                    ps_diagram *out)
{
    out->g = NULL;
    out->layout = "dot";
    ps_model *m = ps_engine_model(e);
    if (user >= m->nusers)
        return -1;
    if (!max_nodes)
        max_nodes = DEFAULT_MAX_NODES;
    uint32_t nv = ps_nviewers(m);
    int err = 0;
    ps_sb b;
    ps_sb_init(&b);
    char name[64], cnt[32];

    uint32_t np = 0;
    for (uint32_t i = 0; i < m->npersonas; i++)
        np += m->personas[i].owner == user;
    pcluster *pc = calloc(np ? np : 1, sizeof *pc);
    target *tg = calloc(MAX_LEAK_EDGES * 2 + 1, sizeof *tg);
    uint32_t ntg = 0;
    ps_gv_graph *outside = NULL;
    uint64_t nleaks = 0, nleaks_drawn = 0;
    ps_gv_graph *g = ps_gv_open("personas", true);
    if (!pc || !tg || !g) {
        err = 1;
        goto done;
    }
    err |= ps_gv_set(g, "rankdir", "LR");
    err |= ps_gv_set(g, "nodesep", "0.15");
    err |= ps_gv_set(g, "ranksep", "1.2");
    err |= ps_gv_set(g, "pad", "0.2");
    err |= ps_gv_set(g, "labelloc", "b");
    err |= ps_gv_set(g, "labeljust", "l");
    err |= ps_gv_set(g, "newrank", "true");

    np = 0;
    for (uint32_t i = 0; i < m->npersonas && !err; i++) {
        if (m->personas[i].owner != user)
            continue;
        pcluster *p = &pc[np++];
        p->persona = i;
        p->members = ps_bits_new(nv);
        if (!p->members) {
            err = 1;
            break;
        }
        ps_engine_members(e, user, &m->personas[i].audience, p->members);
        for (uint32_t u = 0; u < m->nusers; u++)
            if (u != user && ps_bits_get(p->members, u))
                p->nmembers++;
    }
    if (err)
        goto done;

    if (np == 0) {
        ps_gv_node *n = ps_gv_add_node(g, "none");
        ps_sb_add(&b, m->users[user].name);
        ps_sb_add(&b, " has no personas");
        err |= !n || ps_gv_set_text(n, "label", ps_sb_str(&b));
        err |= ps_gv_set(n, "shape", "plaintext");
        goto caption;
    }

    /* the clusters, with their items */
    for (uint32_t k = 0; k < np && !err; k++) {
        pcluster *p = &pc[k];
        const ps_persona *pe = &m->personas[p->persona];
        snprintf(name, sizeof name, "cluster_p%u", (unsigned)k);
        p->cluster = ps_gv_subgraph(g, name);
        if (!p->cluster) {
            err = 1;
            break;
        }
        char t[512];
        ps_sb_clear(&b);
        ps_sb_add(&b, "persona ");
        ps_viz_add_clipped(&b, m->users[user].name, PS_VIZ_CLIP);
        ps_sb_add(&b, ".");
        ps_viz_add_clipped(&b, pe->name, PS_VIZ_CLIP);
        ps_sb_add(&b, "\naudience ");
        ps_viz_add_clipped(&b, ps_terms_text(m, &pe->audience, t, sizeof t), 60);
        if (pe->forbid.n) {
            ps_sb_add(&b, "\nforbids ");
            ps_viz_add_clipped(&b, ps_terms_text(m, &pe->forbid, t, sizeof t), 60);
        }
        err |= ps_gv_set_text(p->cluster, "label", ps_sb_str(&b));
        err |= ps_gv_set(p->cluster, "style", "rounded,filled");
        err |= ps_gv_set(p->cluster, "fillcolor", k % 2 ? "#f4f6f7" : "#eef5fb");
        err |= ps_gv_set(p->cluster, "color", "#85929e");
        err |= ps_gv_set(p->cluster, "labeljust", "l");
        err |= ps_gv_set(p->cluster, "labelloc", "t");
        err |= ps_gv_set(p->cluster, "fontsize", "11");

        uint32_t shown = 0, more = 0;
        for (uint32_t i = 0; i < m->nitems && !err; i++) {
            if (m->items[i].persona != p->persona)
                continue;
            if (shown == MAX_ITEMS) {
                more++;
                continue;
            }
            snprintf(name, sizeof name, "i%u", (unsigned)i);
            ps_gv_node *n = ps_gv_add_node(p->cluster, name);
            if (!n) {
                err = 1;
                break;
            }
            ps_sb_clear(&b);
            ps_viz_add_item(&b, m, i);
            if (m->items[i].owner != user) {
                ps_sb_add(&b, "\nby ");
                ps_viz_add_clipped(&b, m->users[m->items[i].owner].name, PS_VIZ_CLIP);
            }
            err |= ps_gv_set_text(n, "label", ps_sb_str(&b));
            err |= ps_gv_set(n, "shape", "note");
            err |= ps_gv_set(n, "style", "filled");
            err |= ps_gv_set(n, "fillcolor", "#fef9e7");
            err |= ps_gv_set(n, "color", "#b7950b");
            if (!p->anchor)
                p->anchor = n;
            shown++;
        }
        if (more) {
            snprintf(name, sizeof name, "imore%u", (unsigned)k);
            ps_gv_node *n = ps_gv_add_node(p->cluster, name);
            ps_sb_clear(&b);
            ps_sb_addf(&b, "+%s more items", ps_viz_count(more, cnt, sizeof cnt));
            err |= !n || ps_gv_set_text(n, "label", ps_sb_str(&b));
            err |= ps_gv_set(n, "shape", "plaintext");
        }
        if (!shown && !more) {
            snprintf(name, sizeof name, "inone%u", (unsigned)k);
            ps_gv_node *n = ps_gv_add_node(p->cluster, name);
            p->anchor = n;
            err |= !n || ps_gv_set_text(n, "label", "no items");
            err |= ps_gv_set(n, "shape", "plaintext");
            err |= ps_gv_set(n, "fontcolor", "#808b96");
        }
    }

    /* the leaks: an edge from the item to the viewer, in the cluster where the viewer
     * belongs */
    for (uint32_t i = 0; r && i < r->nexposures && !err; i++) {
        const ps_exposure *x = &r->exposures[i];
        const ps_item *it = &m->items[x->item];
        if (it->persona == PS_NONE || it->persona >= m->npersonas ||
            m->personas[it->persona].owner != user)
            continue;
        nleaks++;
        snprintf(name, sizeof name, "i%u", (unsigned)x->item);
        ps_gv_node *from = ps_gv_find_node(g, name);
        if (!from || nleaks_drawn == MAX_LEAK_EDGES)
            continue;
        int where = -1;
        for (uint32_t k = 0; k < np; k++)
            if (pc[k].persona != it->persona && ps_bits_get(pc[k].members, x->viewer)) {
                where = (int)k;
                break;
            }
        ps_gv_graph *sub;
        if (where >= 0) {
            sub = pc[where].cluster;
            snprintf(name, sizeof name, "p%d_v%u", where, (unsigned)x->viewer);
        } else {
            if (!outside) {
                outside = ps_gv_subgraph(g, "cluster_outside");
                if (!outside) {
                    err = 1;
                    break;
                }
                err |= ps_gv_set_text(outside, "label", "outside every persona");
                err |= ps_gv_set(outside, "style", "rounded,dashed");
                err |= ps_gv_set(outside, "color", "#aab7b8");
                err |= ps_gv_set(outside, "labeljust", "l");
                err |= ps_gv_set(outside, "labelloc", "t");
                err |= ps_gv_set(outside, "fontsize", "11");
            }
            sub = outside;
            snprintf(name, sizeof name, "o_v%u", (unsigned)x->viewer);
        }
        ps_gv_node *to = ps_gv_find_node(g, name);
        if (!to) {
            to = ps_gv_add_node(sub, name);
            if (!to || ntg == MAX_LEAK_EDGES * 2) {
                err = 1;
                break;
            }
            tg[ntg++] = (target){ to, x->viewer, x->severity };
        }
        for (uint32_t t = 0; t < ntg; t++)
            if (tg[t].n == to && x->severity > tg[t].severity)
                tg[t].severity = x->severity;
        ps_gv_edge *ed = ps_gv_add_edge(g, from, to);
        if (!ed) {
            err = 1;
            break;
        }
        const ps_path *pa = &x->path;
        const ps_grant *last = pa->nlinks ? &pa->links[pa->nlinks - 1].grant : NULL;
        ps_sb_clear(&b);
        ps_sb_add(&b, last ? ps_via_name((ps_via)last->via) : "?");
        if (!x->at_end)
            ps_sb_add(&b, " (earlier)");
        err |= ps_gv_set_text(ed, "label", ps_sb_str(&b));
        err |= ps_gv_set(ed, "color", ps_viz_severity_color(x->severity));
        err |= ps_gv_set(ed, "fontcolor", ps_viz_severity_color(x->severity));
        err |= ps_gv_set(ed, "penwidth", x->severity == PS_SEV_FORBIDDEN ? "2" : "1.4");
        if (!x->at_end)
            err |= ps_gv_set(ed, "style", "dashed");
        nleaks_drawn++;
    }
    for (uint32_t t = 0; t < ntg && !err; t++)
        err |= ps_viz_viewer_node(tg[t].n, m, tg[t].viewer,
                                  ps_viz_severity_words(tg[t].severity), tg[t].severity);

    /* the rest of each persona's audience: one table of the first members not reached by a
     * leak and a count of the others, to the right of the persona's items */
    for (uint32_t k = 0; k < np && !err; k++) {
        pcluster *p = &pc[k];
        uint64_t reached = 0, listed = 0;
        for (uint32_t t = 0; t < ntg; t++) {
            snprintf(name, sizeof name, "p%u_v%u", (unsigned)k, (unsigned)tg[t].viewer);
            if (ps_gv_find_node(g, name) && tg[t].viewer < m->nusers)
                reached++;
        }
        ps_sb h;
        ps_sb_init(&h);
        ps_sb_addf(&h, "<TABLE BORDER=\"1\" COLOR=\"%s\" BGCOLOR=\"%s\" STYLE=\"rounded\" "
                       "CELLBORDER=\"0\" CELLSPACING=\"1\" CELLPADDING=\"3\">"
                       "<TR><TD COLSPAN=\"%d\"><FONT POINT-SIZE=\"10\" COLOR=\"%s\">"
                       "audience: %s</FONT></TD></TR>",
                   PS_VIZ_COLOR_INTENDED, ps_viz_severity_fill(-1), MEMBER_COLS,
                   PS_VIZ_COLOR_INTENDED, ps_viz_count(p->nmembers, cnt, sizeof cnt));
        for (uint32_t u = 0; u < m->nusers && listed < max_nodes; u++) {
            if (u == user || !ps_bits_get(p->members, u))
                continue;
            snprintf(name, sizeof name, "p%u_v%u", (unsigned)k, (unsigned)u);
            if (ps_gv_find_node(g, name))
                continue;
            ps_sb_clear(&b);
            ps_viz_add_clipped(&b, m->users[u].name, 20);
            char *esc = ps_gv_html_text(ps_sb_str(&b));
            if (!esc) {
                err = 1;
                break;
            }
            ps_sb_addf(&h, "%s<TD>%s</TD>%s", listed % MEMBER_COLS ? "" : "<TR>", esc,
                       listed % MEMBER_COLS == MEMBER_COLS - 1 ? "</TR>" : "");
            free(esc);
            listed++;
        }
        if (listed % MEMBER_COLS)
            ps_sb_add(&h, "</TR>");
        if (p->nmembers > reached + listed)
            ps_sb_addf(&h, "<TR><TD COLSPAN=\"%d\"><FONT COLOR=\"%s\">+%s more</FONT></TD></TR>",
                       MEMBER_COLS, PS_VIZ_COLOR_INTENDED,
                       ps_viz_count(p->nmembers - reached - listed, cnt, sizeof cnt));
        ps_sb_add(&h, "</TABLE>");
        if (listed || p->nmembers > reached) {
            snprintf(name, sizeof name, "members%u", (unsigned)k);
            ps_gv_node *n = ps_gv_add_node(p->cluster, name);
            err |= !n || h.oom || ps_gv_set_html(n, "label", ps_sb_str(&h));
            err |= ps_gv_set(n, "shape", "plaintext");
            err |= ps_gv_set(n, "margin", "0");
            if (n && p->anchor) {
                ps_gv_edge *ie = ps_gv_add_edge(g, p->anchor, n);
                err |= !ie || ps_gv_set(ie, "style", "invis");
            }
        }
        ps_sb_free(&h);
    }

caption:
    if (!err) {
        ps_sb h, t;
        ps_sb_init(&h);
        ps_sb_init(&t);
        ps_sb_add(&t, "Personas of ");
        ps_viz_add_viewer(&t, m, user);
        char *esc = ps_gv_html_text(ps_sb_str(&t));
        ps_sb_add(&h, "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"3\" CELLPADDING=\"2\">");
        ps_sb_addf(&h, "<TR><TD ALIGN=\"LEFT\" COLSPAN=\"4\"><FONT POINT-SIZE=\"13\"><B>%s</B>"
                       "</FONT></TD></TR>", esc ? esc : "");
        free(esc);
        ps_sb_add(&h, "<TR><TD ALIGN=\"LEFT\" COLSPAN=\"4\">");
        if (!r)
            ps_sb_add(&h, "exposures not computed");
        else if (nleaks == 0)
            ps_sb_add(&h, "no exposure of a persona's item");
        else if (nleaks_drawn < nleaks)
            ps_sb_addf(&h, "%llu exposures of persona items; the first %llu drawn",
                       (unsigned long long)nleaks, (unsigned long long)nleaks_drawn);
        else
            ps_sb_addf(&h, "%llu exposure%s of persona items, each an edge from the item to "
                           "the viewer", (unsigned long long)nleaks, nleaks == 1 ? "" : "s");
        ps_sb_add(&h, "</TD></TR><TR>");
        static const int sev[] = { PS_SEV_FORBIDDEN, PS_SEV_EXTERNAL, PS_SEV_BEYOND_INTENT, -1 };
        for (size_t i = 0; i < sizeof sev / sizeof sev[0]; i++)
            ps_sb_addf(&h, "<TD BGCOLOR=\"%s\" BORDER=\"1\" COLOR=\"%s\"><FONT POINT-SIZE=\"9\" "
                           "COLOR=\"%s\">%s</FONT></TD>",
                       ps_viz_severity_fill(sev[i]), ps_viz_severity_color(sev[i]),
                       ps_viz_severity_color(sev[i]), ps_viz_severity_words(sev[i]));
        ps_sb_add(&h, "</TR></TABLE>");
        err |= (h.oom || t.oom) ? -1 : ps_gv_set_html(g, "label", ps_sb_str(&h));
        ps_sb_free(&h);
        ps_sb_free(&t);
    }

done:
    for (uint32_t k = 0; pc && k < np; k++)
        free(pc[k].members);
    free(pc);
    free(tg);
    if (b.oom)
        err = 1;
    ps_sb_free(&b);
    if (err) {
        ps_gv_close(g);
        return -1;
    }
    out->g = g;
    return 0;
}
