/* draw_audience.c - an item's audience as rings around its owner (see viz.h, ps_draw_audience).
 *
 * The owner sits at the centre; each ring is a degree of social distance from the owner:
 * friends, friends of friends, members of a network or group the owner belongs to, every
 * other user, and last the internet and the apps.  Everyone who sees the item is placed on
 * the ring of their distance - on the left half when they are in the intended audience, on the
 * right half when they are not, coloured by severity.  A half-ring with more viewers than the
 * cap shows the most severe ones and a counted node for the rest, so an audience of thousands
 * is still a drawing of a few dozen nodes.
 *
 * The positions are computed here (in points) and laid out with Graphviz's `nop` engine,
 * which keeps them; the rings are drawn as large circle nodes created first, so they lie under
 * everything else (Graphviz draws nodes in the order they were made, each edge after its
 * tail).  Edges go to each exposed viewer from the user who passed the item on
 * (their grant's `through`) when that user is drawn, else from the owner.
 */
#include "bitset.h"
#include "viz_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_NODES 8
#define NRINGS 5            /* friends, fof, networks and groups, everyone, internet and apps */
#define RING_GAP 95.0       /* points between rings at least */
#define FIRST_RING 120.0    /* radius of the first ring at least */
#define NODE_H 34.0         /* height of a viewer node, in points (two lines of 11 pt) */
#define ARC_SPAN (140.0 * M_PI / 180.0) /* each half uses 140 degrees, leaving the top and
                                         * the bottom free for the ring's label */

static const char *const ring_names[NRINGS] = {
    "friends", "friends of friends", "networks and groups", "everyone", "internet and apps",
};

/* One viewer to draw. */
typedef struct {
    uint32_t viewer;
    int severity;          /* -1 intended, else ps_severity */
    bool earlier;          /* saw it at an earlier step only */
    uint32_t step;         /* earlier: the step at which it appeared */
} seat;

/* A half-ring: the viewers on it, and those shown one by one. */
typedef struct {
    seat *v;
    uint32_t n, cap;
    uint64_t by_sev[PS_NSEV]; /* exposed viewers by severity */
} half;

static int half_push(half *h, seat s)
{
    if (h->n == h->cap) {
        uint32_t c = h->cap ? h->cap * 2 : 16;
        seat *p = realloc(h->v, (size_t)c * sizeof *p);
        if (!p)
            return -1;
        h->v = p;
        h->cap = c;
    }
    h->v[h->n++] = s;
    if (s.severity >= 0 && s.severity < PS_NSEV)
        h->by_sev[s.severity]++;
    return 0;
}

/* Most severe first, then earlier-only last, then by viewer id. */
static int cmp_seat(const void *a, const void *b)
{
    const seat *x = a, *y = b;
    if (x->severity != y->severity)
        return y->severity - x->severity;
    if (x->earlier != y->earlier)
        return x->earlier - y->earlier;
    return x->viewer < y->viewer ? -1 : x->viewer > y->viewer;
}

/* The ring (0-based) of every user by distance from `owner`: 0 friends, 1 fof, 2 network or
 * group, 3 everyone.  ring[] has nusers entries. */
static int compute_rings(ps_model *m, uint32_t owner, uint8_t *ring)
{
    for (uint32_t u = 0; u < m->nusers; u++)
        ring[u] = 3;
    uint64_t *near = ps_bits_new(m->nusers);
    if (!near)
        return -1;
    for (uint32_t k = 0; k < m->nnetworks; k++)
        if (ps_network_has(&m->networks[k], owner))
            for (uint32_t i = 0; i < m->networks[k].nmembers; i++)
                if (m->networks[k].members[i] < m->nusers)
                    ps_bits_set(near, m->networks[k].members[i]);
    for (uint32_t k = 0; k < m->ngroups; k++)
        if (ps_group_has(&m->groups[k], owner))
            for (uint32_t i = 0; i < m->groups[k].nmembers; i++)
                if (m->groups[k].members[i] < m->nusers)
                    ps_bits_set(near, m->groups[k].members[i]);
    for (uint32_t u = 0; u < m->nusers; u++)
        if (ps_bits_get(near, u))
            ring[u] = 2;
    free(near);
    uint32_t n;
    const uint32_t *fr = ps_model_friends(m, owner, &n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t n2;
        const uint32_t *fr2 = ps_model_friends(m, fr[i], &n2);
        for (uint32_t j = 0; j < n2; j++)
            if (fr2[j] < m->nusers)
                ring[fr2[j]] = 1;
    }
    /* friends of friends were marked through the friends' lists; friends override them */
    fr = ps_model_friends(m, owner, &n);
    for (uint32_t i = 0; i < n; i++)
        if (fr[i] < m->nusers)
            ring[fr[i]] = 0;
    return 0;
}

/* An estimate of a node's width in points for `label` (DejaVu Sans 11 pt). */
static double text_width(const char *label)
{
    double w = 0, line = 0;
    for (const unsigned char *p = (const unsigned char *)label; *p; p++) {
        if (*p == '\n') {
            line = 0;
            continue;
        }
        if ((*p & 0xc0) != 0x80)
            line += 6.8;
        if (line > w)
            w = line;
    }
    return w + 22;
}

typedef struct {
    ps_gv_graph *g;
    ps_model *m;
    ps_engine *e;
    uint32_t item;
    ps_sb b;
    int err;
} ctx;

static void place(ps_gv_node *n, double x, double y, int *err)
{
    *err |= ps_gv_setf(n, "pos", "%.1f,%.1f", x, y);
}

/* The label of a viewer node (as ps_viz_viewer_node writes it), to size it. */
static void viewer_label(ps_sb *b, const ps_model *m, uint32_t v)
{
    ps_sb_clear(b);
    if (v < m->nusers && m->users[v].display && *m->users[v].display) {
        ps_viz_add_clipped(b, m->users[v].display, PS_VIZ_CLIP);
        ps_sb_add(b, "\n");
    }
    ps_viz_add_viewer(b, m, v);
}

/* The second line of a viewer node: the severity and the last step that reached the viewer
 * ("forbidden, share"), written into the node rather than on its edge, so that no label
 * can land on another node or on the item. */
static void role_text(ps_sb *b, ps_engine *e, const seat *s)
{
    ps_sb_clear(b);
    if (s->earlier) {
        ps_sb_addf(b, "%s \xc2\xb7 step %u only", ps_viz_severity_words(s->severity),
                   (unsigned)s->step);
    } else if (s->severity >= 0) {
        ps_sb_add(b, ps_viz_severity_words(s->severity));
        const ps_grant *gr = ps_engine_grant(e, s->viewer);
        if (gr && gr->via != PS_VIA_NONE)
            ps_sb_addf(b, " \xc2\xb7 %s", ps_via_name((ps_via)gr->via));
    }
}

int ps_draw_audience(ps_engine *e, uint32_t item, const ps_report *r, uint32_t max_nodes,
                     ps_diagram *out)
{
    out->g = NULL;
    out->layout = "nop";
    ps_model *m = ps_engine_model(e);
    if (item >= m->nitems || ps_engine_eval(e, item))
        return -1;
    if (!max_nodes)
        max_nodes = DEFAULT_MAX_NODES;
    uint32_t owner = m->items[item].owner;
    uint32_t naud;
    const uint32_t *aud = ps_engine_audience(e, &naud);

    ctx c = { .m = m, .e = e, .item = item };
    ps_sb_init(&c.b);
    half halves[NRINGS][2];
    memset(halves, 0, sizeof halves);
    uint8_t *ring = malloc(m->nusers ? m->nusers : 1);
    uint64_t *drawn = ps_bits_new(ps_nviewers(m));
    if (!ring || !drawn || compute_rings(m, owner, ring)) {
        c.err = 1;
        goto done;
    }

    /* who sits where; the audience array is borrowed from the engine, which intent and
     * severity queries below do not disturb */
    uint64_t nintended = 0, nexposed = 0, by_sev[PS_NSEV] = { 0 };
    for (uint32_t i = 0; i < naud && !c.err; i++) {
        uint32_t v = aud[i];
        if (v == owner)
            continue;
        seat s = { .viewer = v, .severity = -1 };
        if (!ps_engine_intended(e, item, v)) {
            s.severity = (int)ps_engine_severity(e, item, v);
            nexposed++;
            by_sev[s.severity]++;
        } else {
            nintended++;
        }
        int rg = v < m->nusers ? ring[v] : 4;
        c.err |= half_push(&halves[rg][s.severity >= 0], s);
    }
    /* exposures that were there at an earlier step only */
    uint64_t nearlier = 0;
    for (uint32_t i = 0; r && i < r->nexposures && !c.err; i++) {
        const ps_exposure *x = &r->exposures[i];
        if (x->item != item || x->at_end || ps_engine_sees(e, x->viewer))
            continue;
        seat s = { .viewer = x->viewer, .severity = x->severity, .earlier = true,
                   .step = x->first_step };
        int rg = x->viewer < m->nusers ? ring[x->viewer] : 4;
        c.err |= half_push(&halves[rg][1], s);
        nearlier++;
    }
    if (c.err)
        goto done;

    c.g = ps_gv_open("audience", true);
    if (!c.g) {
        c.err = 1;
        goto done;
    }
    ps_gv_graph *g = c.g;
    c.err |= ps_gv_set(g, "splines", "line");
    c.err |= ps_gv_set(g, "pad", "0.3");
    c.err |= ps_gv_set(g, "labelloc", "b");
    c.err |= ps_gv_set(g, "labeljust", "l");

    /* radii: each ring far enough from the last for the widest nodes of both to pass each
     * other on the horizontal axis, and long enough for its own nodes */
    double radius[NRINGS];
    double rprev = 0, wprev = 0;
    int outer = -1;
    for (int rg = 0; rg < NRINGS; rg++) {
        uint32_t k = 0;
        double wmax = 60;
        for (int side = 0; side < 2; side++) {
            half *h = &halves[rg][side];
            if (h->n > 1)
                qsort(h->v, h->n, sizeof *h->v, cmp_seat);
            uint32_t slots = h->n <= max_nodes ? h->n : max_nodes;
            if (slots > k)
                k = slots;
            for (uint32_t i = 0; i < h->n && i < max_nodes; i++) {
                viewer_label(&c.b, m, h->v[i].viewer);
                double w = text_width(ps_sb_str(&c.b));
                if (w > wmax)
                    wmax = w;
                role_text(&c.b, e, &h->v[i]);
                w = text_width(ps_sb_str(&c.b));
                if (w > wmax)
                    wmax = w;
            }
            if (h->n > max_nodes && wmax < 120)
                wmax = 120; /* the counted node */
        }
        if (halves[rg][0].n + halves[rg][1].n == 0 && rg > 0) {
            radius[rg] = -1;
            continue;
        }
        double gap = rg == 0 ? FIRST_RING : RING_GAP;
        double clear = (rg == 0 ? 100 : wprev / 2) + wmax / 2 + 24;
        if (gap < clear)
            gap = clear;
        double need = k * (NODE_H + 14) / ARC_SPAN * 1.15;
        radius[rg] = rprev + gap > need ? rprev + gap : need;
        rprev = radius[rg];
        wprev = wmax;
        outer = rg;
    }

    /* the rings, outermost first so that the inner ones are drawn on top */
    char name[48];
    for (int rg = outer; rg >= 0 && !c.err; rg--) {
        if (radius[rg] < 0)
            continue;
        snprintf(name, sizeof name, "ring%d", rg);
        ps_gv_node *n = ps_gv_add_node(g, name);
        if (!n) {
            c.err = 1;
            break;
        }
        place(n, 0, 0, &c.err);
        c.err |= ps_gv_set(n, "shape", "circle");
        c.err |= ps_gv_set(n, "fixedsize", "true");
        c.err |= ps_gv_setf(n, "width", "%.2f", 2 * radius[rg] / 72.0);
        c.err |= ps_gv_set(n, "label", "");
        c.err |= ps_gv_set(n, "style", "dashed,filled");
        c.err |= ps_gv_set(n, "fillcolor", rg % 2 ? "#fbfcfc" : "#f4f6f7");
        c.err |= ps_gv_set(n, "color", "#aab7b8");
    }
    for (int rg = 0; rg <= outer && !c.err; rg++) {
        if (radius[rg] < 0)
            continue;
        snprintf(name, sizeof name, "ringlabel%d", rg);
        ps_gv_node *n = ps_gv_add_node(g, name);
        if (!n) {
            c.err = 1;
            break;
        }
        char cnt[32];
        ps_sb_clear(&c.b);
        ps_sb_add(&c.b, ring_names[rg]);
        ps_sb_addf(&c.b, " \xc2\xb7 %s",
                   ps_viz_count(halves[rg][0].n + halves[rg][1].n, cnt, sizeof cnt));
        c.err |= ps_gv_set_text(n, "label", ps_sb_str(&c.b));
        c.err |= ps_gv_set(n, "shape", "plaintext");
        c.err |= ps_gv_set(n, "fontsize", "10");
        c.err |= ps_gv_set(n, "fontcolor", "#5d6d7e");
        c.err |= ps_gv_set(n, "height", "0.2");
        place(n, 0, radius[rg] - 9, &c.err);
    }

    /* the owner and the item at the centre */
    ps_gv_node *center = ps_gv_add_node(g, "owner");
    if (!center) {
        c.err = 1;
        goto done;
    }
    ps_sb_clear(&c.b);
    ps_viz_add_item(&c.b, m, item);
    ps_sb_add(&c.b, "\nby ");
    ps_viz_add_viewer(&c.b, m, owner);
    c.err |= ps_gv_set_text(center, "label", ps_sb_str(&c.b));
    c.err |= ps_gv_set(center, "shape", "note");
    c.err |= ps_gv_set(center, "style", "filled");
    c.err |= ps_gv_set(center, "fillcolor", "#fef9e7");
    c.err |= ps_gv_set(center, "color", "#b7950b");
    place(center, 0, 0, &c.err);
    ps_bits_set(drawn, owner);

    /* the viewers, half-ring by half-ring */
    for (int rg = 0; rg <= outer && !c.err; rg++) {
        if (radius[rg] < 0)
            continue;
        for (int side = 0; side < 2 && !c.err; side++) {
            half *h = &halves[rg][side];
            if (!h->n)
                continue;
            uint32_t shown = h->n <= max_nodes ? h->n : max_nodes - 1;
            uint32_t slots = shown + (h->n > shown);
            for (uint32_t i = 0; i < slots && !c.err; i++) {
                /* spread evenly over the half's arc, from the top down */
                double t = ARC_SPAN * (0.5 - (i + 0.5) / slots);
                double a = side ? t : M_PI - t;
                double x = radius[rg] * cos(a), y = radius[rg] * sin(a);
                ps_gv_node *n;
                if (i < shown) {
                    const seat *s = &h->v[i];
                    snprintf(name, sizeof name, "v%u", (unsigned)s->viewer);
                    n = ps_gv_add_node(g, name);
                    if (!n) {
                        c.err = 1;
                        break;
                    }
                    role_text(&c.b, e, s);
                    c.err |= ps_viz_viewer_node(n, m, s->viewer, ps_sb_str(&c.b), s->severity);
                    if (s->earlier)
                        c.err |= ps_gv_set(n, "style", "rounded,filled,dashed");
                    ps_bits_set(drawn, s->viewer);
                } else {
                    snprintf(name, sizeof name, "more%d_%d", rg, side);
                    n = ps_gv_add_node(g, name);
                    if (!n) {
                        c.err = 1;
                        break;
                    }
                    char cnt[32];
                    ps_sb_clear(&c.b);
                    ps_sb_addf(&c.b, "+%s more", ps_viz_count(h->n - shown, cnt, sizeof cnt));
                    int worst = -1;
                    if (side) {
                        /* what the collapsed viewers are, by severity */
                        uint64_t rest[PS_NSEV] = { 0 };
                        for (uint32_t j = shown; j < h->n; j++)
                            if (h->v[j].severity >= 0)
                                rest[h->v[j].severity]++;
                        for (int sv = PS_NSEV - 1; sv >= 0; sv--)
                            if (rest[sv]) {
                                ps_sb_addf(&c.b, "\n%s %s", ps_viz_count(rest[sv], cnt, sizeof cnt),
                                           ps_viz_severity_words(sv));
                                if (worst < 0)
                                    worst = sv;
                            }
                    } else {
                        ps_sb_add(&c.b, "\nintended");
                    }
                    c.err |= ps_gv_set_text(n, "label", ps_sb_str(&c.b));
                    c.err |= ps_gv_set(n, "shape", "box");
                    c.err |= ps_gv_set(n, "style", "rounded,filled,dashed");
                    c.err |= ps_gv_set(n, "color", ps_viz_severity_color(worst));
                    c.err |= ps_gv_set(n, "fillcolor", ps_viz_severity_fill(worst));
                    c.err |= ps_gv_set(n, "fontcolor", ps_viz_severity_color(worst));
                }
                place(n, x, y, &c.err);
            }
        }
    }

    /* an edge into each exposed viewer from whoever passed the item on */
    for (int rg = 0; rg <= outer && !c.err; rg++) {
        half *h = &halves[rg][1];
        uint32_t shown = h->n <= max_nodes ? h->n : max_nodes - 1;
        for (uint32_t i = 0; i < shown && !c.err; i++) {
            const seat *s = &h->v[i];
            if (s->earlier)
                continue;
            const ps_grant *gr = ps_engine_grant(e, s->viewer);
            if (!gr)
                continue;
            uint32_t from = gr->through;
            if (gr->via == PS_VIA_APP && from == PS_NONE)
                from = ps_viewer_internet(m);
            ps_gv_node *t = NULL;
            if (from != PS_NONE && from < ps_nviewers(m) && ps_bits_get(drawn, from) &&
                from != owner) {
                snprintf(name, sizeof name, "v%u", (unsigned)from);
                t = ps_gv_find_node(g, name);
            }
            if (!t)
                t = center;
            snprintf(name, sizeof name, "v%u", (unsigned)s->viewer);
            ps_gv_node *hn = ps_gv_find_node(g, name);
            ps_gv_edge *ed = hn ? ps_gv_add_edge(g, t, hn) : NULL;
            if (!ed) {
                c.err = 1;
                break;
            }
            /* how it got there is written in the viewer's node (role_text), not on the edge */
            c.err |= ps_gv_set(ed, "color", ps_viz_severity_color(s->severity));
            c.err |= ps_gv_set(ed, "penwidth", "1.4");
        }
    }

    /* the two halves' headings, above the outermost ring */
    double top = (outer >= 0 ? radius[outer] : FIRST_RING) + 26;
    double wide = (outer >= 0 ? radius[outer] : FIRST_RING) * 0.75;
    for (int side = 0; side < 2 && !c.err; side++) {
        ps_gv_node *n = ps_gv_add_node(g, side ? "head_exposed" : "head_intended");
        if (!n) {
            c.err = 1;
            break;
        }
        char a[32], bb[32];
        ps_sb_clear(&c.b);
        if (side)
            ps_sb_addf(&c.b, "outside the intent: %s", ps_viz_count(nexposed, a, sizeof a));
        else
            ps_sb_addf(&c.b, "intended, besides the owner: %s",
                       ps_viz_count(nintended, a, sizeof a));
        if (side && nearlier)
            ps_sb_addf(&c.b, " (+%s earlier)", ps_viz_count(nearlier, bb, sizeof bb));
        c.err |= ps_gv_set_text(n, "label", ps_sb_str(&c.b));
        c.err |= ps_gv_set(n, "shape", "plaintext");
        c.err |= ps_gv_set(n, "fontsize", "12");
        c.err |= ps_gv_set(n, "fontcolor", side ? PS_VIZ_COLOR_FORBIDDEN : PS_VIZ_COLOR_INTENDED);
        place(n, side ? wide : -wide, top, &c.err);
    }

    /* the caption: title, counts and the legend */
    if (!c.err) {
        ps_sb h, t;
        ps_sb_init(&h);
        ps_sb_init(&t);
        char a[32];
        ps_sb_add(&t, "Who sees ");
        ps_viz_add_item(&t, m, item);
        char *esc = ps_gv_html_text(ps_sb_str(&t));
        ps_sb_add(&h, "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"3\" CELLPADDING=\"2\">");
        ps_sb_addf(&h, "<TR><TD ALIGN=\"LEFT\" COLSPAN=\"4\"><FONT POINT-SIZE=\"13\"><B>%s</B>"
                       "</FONT></TD></TR>", esc ? esc : "");
        free(esc);
        /* the counts add up: the owner, the intended, the others */
        char a2[32], a3[32];
        ps_sb_addf(&h, "<TR><TD ALIGN=\"LEFT\" COLSPAN=\"4\">%s see it: the owner, %s "
                       "intended, %s outside the intent",
                   ps_viz_count(nintended + nexposed + 1, a, sizeof a),
                   ps_viz_count(nintended, a2, sizeof a2), ps_viz_count(nexposed, a3, sizeof a3));
        for (int sv = PS_NSEV - 1; sv >= 0; sv--)
            if (by_sev[sv])
                ps_sb_addf(&h, " \xc2\xb7 <FONT COLOR=\"%s\">%s %s</FONT>",
                           ps_viz_severity_color(sv), ps_viz_count(by_sev[sv], a, sizeof a),
                           ps_viz_severity_words(sv));
        ps_sb_add(&h, "</TD></TR><TR>");
        static const int sev[] = { PS_SEV_FORBIDDEN, PS_SEV_EXTERNAL, PS_SEV_BEYOND_INTENT, -1 };
        for (size_t i = 0; i < sizeof sev / sizeof sev[0]; i++)
            ps_sb_addf(&h, "<TD BGCOLOR=\"%s\" BORDER=\"1\" COLOR=\"%s\"><FONT POINT-SIZE=\"9\" "
                           "COLOR=\"%s\">%s</FONT></TD>",
                       ps_viz_severity_fill(sev[i]), ps_viz_severity_color(sev[i]),
                       ps_viz_severity_color(sev[i]), ps_viz_severity_words(sev[i]));
        ps_sb_add(&h, "</TR></TABLE>");
        c.err |= (h.oom || t.oom) ? -1 : ps_gv_set_html(g, "label", ps_sb_str(&h));
        ps_sb_free(&h);
        ps_sb_free(&t);
    }

done:
    for (int rg = 0; rg < NRINGS; rg++)
        for (int side = 0; side < 2; side++)
            free(halves[rg][side].v);
    free(ring);
    free(drawn);
    bool oom = c.b.oom;
    ps_sb_free(&c.b);
    if (c.err || oom) {
        ps_gv_close(c.g);
        return -1;
    }
    out->g = c.g;
    return 0;
}
