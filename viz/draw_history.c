/* draw_history.c - a scenario's exposure through the platform presets, as a chart (see viz.h,
 * ps_draw_history).
 *
 * In the manner of the well-known "evolution of privacy on Facebook" chart, but for one
 * scenario: a grid with a column per dated preset (left to right in date order) and a row per
 * item or profile field of the user, each cell filled with the colour of the widest class of
 * viewer that sees it (pale: only the person; dark: the internet).  A cell where the item is
 * seen more widely than under the preset before is outlined and numbered, and the numbered
 * list under the grid names, for each widening, the viewer, the link and the rule or setting
 * that let it in.  Positions are computed here (in points) and laid out with `nop`.
 */
#include "viz_int.h"

#include <stdio.h>
#include <string.h>

#define CELL_W 96.0
#define CELL_H 22.0
#define GAP 4.0
#define LABEL_W 150.0
#define MAX_ROWS 40          /* rows drawn; the others are counted in the caption */
#define MAX_NOTES 60         /* widenings listed; the others are counted */

static const char *const fills[PS_NHC] = {
    "#f1f8e9", "#c5e1a5", "#fff59d", "#ffb74d", "#e57373", "#6a1b9a",
};

static void place(ps_gv_node *n, double x, double y, int *err)
{
    *err |= ps_gv_setf(n, "pos", "%.1f,%.1f", x, y);
}

/* A fixed-size box at (x, y) (its centre), `w` by `h` points. */
static ps_gv_node *box(ps_gv_graph *g, const char *name, double x, double y, double w,
                       double h, int *err)
{
    ps_gv_node *n = ps_gv_add_node(g, name);
    if (!n) {
        *err = 1;
        return NULL;
    }
    place(n, x, y, err);
    *err |= ps_gv_set(n, "shape", "box");
    *err |= ps_gv_set(n, "fixedsize", "true");
    *err |= ps_gv_setf(n, "width", "%.3f", w / 72.0);
    *err |= ps_gv_setf(n, "height", "%.3f", h / 72.0);
    *err |= ps_gv_set(n, "fontsize", "10");
    return n;
}

int ps_draw_history(const ps_history *h, ps_diagram *out)
{
    out->g = NULL;
    out->layout = "nop";
    const ps_model *m = h->m;
    int err = 0;
    ps_sb b;
    ps_sb_init(&b);
    char name[64];
    ps_gv_graph *g = ps_gv_open("history", true);
    if (!g)
        return -1;
    err |= ps_gv_set(g, "splines", "line");
    err |= ps_gv_set(g, "pad", "0.3");
    err |= ps_gv_set(g, "labelloc", "t");
    err |= ps_gv_set(g, "labeljust", "l");
    ps_sb_add(&b, "Who sees ");
    ps_viz_add_viewer(&b, m, h->user);
    ps_sb_add(&b, "'s items under each platform preset (the widest class of viewer, at the end "
                  "of the timeline)");
    uint32_t rows = h->nitems < MAX_ROWS ? h->nitems : MAX_ROWS;
    if (rows < h->nitems)
        ps_sb_addf(&b, "; %u more items not drawn", (unsigned)(h->nitems - rows));
    err |= ps_gv_set_text(g, "label", ps_sb_str(&b));

    /* the header: one column per preset, with the month it begins */
    for (uint32_t p = 0; p < h->npresets; p++) {
        snprintf(name, sizeof name, "head%u", (unsigned)p);
        ps_gv_node *n = box(g, name, LABEL_W + p * (CELL_W + GAP) + CELL_W / 2, 0, CELL_W,
                            2 * CELL_H, &err);
        if (!n)
            break;
        err |= ps_gv_set(n, "shape", "plaintext");
        ps_sb_clear(&b);
        ps_sb_addf(&b, "%s\n%s", h->presets[p], ps_platform_date(h->presets[p]));
        err |= ps_gv_set_text(n, "label", ps_sb_str(&b));
    }
    /* the rows */
    uint32_t note = 0, more = 0;
    ps_sb notes;
    ps_sb_init(&notes);
    for (uint32_t r = 0; r < rows && !err; r++) {
        double y = -(CELL_H * 1.5 + r * (CELL_H + GAP));
        snprintf(name, sizeof name, "row%u", (unsigned)r);
        ps_gv_node *ln = box(g, name, LABEL_W / 2 - GAP, y, LABEL_W - 2 * GAP, CELL_H, &err);
        if (!ln)
            break;
        err |= ps_gv_set(ln, "shape", "plaintext");
        ps_sb_clear(&b);
        ps_viz_add_clipped(&b, m->items[h->items[r]].name, 24);
        err |= ps_gv_set_text(ln, "label", ps_sb_str(&b));
        for (uint32_t p = 0; p < h->npresets && !err; p++) {
            const ps_history_cell *c = ps_history_at(h, r, p);
            snprintf(name, sizeof name, "c%u_%u", (unsigned)r, (unsigned)p);
            ps_gv_node *n = box(g, name, LABEL_W + p * (CELL_W + GAP) + CELL_W / 2, y, CELL_W,
                                CELL_H, &err);
            if (!n)
                break;
            err |= ps_gv_set(n, "style", "filled");
            err |= ps_gv_set(n, "fillcolor", fills[c->cls % PS_NHC]);
            err |= ps_gv_set(n, "fontcolor", c->cls == PS_HC_INTERNET ? "white" : "black");
            ps_sb_clear(&b);
            ps_sb_add(&b, ps_history_class_name((ps_history_class)c->cls));
            bool widens = ps_history_widens(h, r, p);
            if (widens && note < MAX_NOTES) {
                note++;
                ps_sb_addf(&b, "  (%u)", (unsigned)note);
                err |= ps_gv_set(n, "color", "#c0392b");
                err |= ps_gv_set(n, "penwidth", "2.5");
                ps_sb_addf(&notes, "(%u) ", (unsigned)note);
                ps_viz_add_clipped(&notes, m->items[h->items[r]].name, 40);
                ps_sb_addf(&notes, ", %s: %s, ", h->presets[p],
                           ps_history_class_title((ps_history_class)c->cls));
                ps_viz_add_clipped(&notes, c->viewer, 40);
                ps_sb_add(&notes, " by ");
                ps_sb_add(&notes, c->via);
                if (*c->cause) {
                    ps_sb_add(&notes, ": ");
                    ps_viz_add_clipped(&notes, c->cause, 110);
                }
                ps_sb_add(&notes, "\n");
            } else if (widens) {
                more++;
                err |= ps_gv_set(n, "color", "#c0392b");
                err |= ps_gv_set(n, "penwidth", "2.5");
            } else {
                err |= ps_gv_set(n, "color", "#90a4ae");
            }
            err |= ps_gv_set_text(n, "label", ps_sb_str(&b));
            ps_sb_clear(&b);
            ps_sb_add(&b, m->items[h->items[r]].name);
            ps_sb_addf(&b, " under %s: %s", h->presets[p],
                       ps_history_class_title((ps_history_class)c->cls));
            if (*c->viewer) {
                ps_sb_addf(&b, " (%s by %s", c->viewer, c->via);
                if (*c->cause)
                    ps_sb_addf(&b, "; %s", c->cause);
                ps_sb_add(&b, ")");
            }
            err |= ps_gv_set_text(n, "tooltip", ps_sb_str(&b));
        }
    }
    /* the key of the colours, then the numbered widenings */
    double y = -(CELL_H * 1.5 + rows * (CELL_H + GAP)) - CELL_H;
    for (unsigned k = 0; k < PS_NHC && !err; k++) {
        snprintf(name, sizeof name, "key%u", k);
        ps_gv_node *n = box(g, name, LABEL_W + k * (CELL_W + GAP) + CELL_W / 2, y, CELL_W, CELL_H,
                            &err);
        if (!n)
            break;
        err |= ps_gv_set(n, "style", "filled");
        err |= ps_gv_set(n, "fillcolor", fills[k]);
        err |= ps_gv_set(n, "color", "#90a4ae");
        err |= ps_gv_set(n, "fontcolor", k == PS_HC_INTERNET ? "white" : "black");
        err |= ps_gv_set_text(n, "label", ps_history_class_title((ps_history_class)k));
    }
    if (!err) {
        snprintf(name, sizeof name, "keylabel");
        ps_gv_node *n = box(g, name, LABEL_W / 2 - GAP, y, LABEL_W - 2 * GAP, CELL_H, &err);
        if (n) {
            err |= ps_gv_set(n, "shape", "plaintext");
            err |= ps_gv_set_text(n, "label", "widest viewer:");
        }
    }
    if (!note)
        ps_sb_add(&notes, "No item is seen more widely under a later preset than under the one "
                          "before.\n");
    else if (more)
        ps_sb_addf(&notes, "... and %u more widenings (privsim history lists them all)\n",
                   (unsigned)more);
    if (!err) {
        uint32_t lines = note + 1 + (more ? 1 : 0);
        double w = LABEL_W + h->npresets * (CELL_W + GAP);
        double lh = lines * 14.0 + 10;
        ps_gv_node *n = box(g, "notes", w / 2, y - CELL_H - lh / 2, w, lh, &err);
        if (n) {
            err |= ps_gv_set(n, "shape", "plaintext");
            ps_sb_clear(&b);
            ps_sb_add(&b, note ? "Widenings (the viewer, the link and the rule or setting "
                                 "that let it in):\n"
                               : "");
            ps_sb_add(&b, ps_sb_str(&notes));
            err |= ps_gv_set_text_left(n, "label", ps_sb_str(&b));
        }
    }
    if (b.oom || notes.oom)
        err = 1;
    ps_sb_free(&notes);
    ps_sb_free(&b);
    if (err) {
        ps_gv_close(g);
        return -1;
    }
    out->g = g;
    return 0;
}
