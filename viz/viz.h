/* viz.h - privsim's diagrams: a leak path, an item's audience, a user's persona map.
 *
 * Each diagram is a Graphviz graph built node by node through gv.h (never DOT text pasted
 * together) and laid out by the engine that suits it: `dot` for a leak path and a persona map,
 * `nop` (positions computed here, in points) for an audience's concentric rings.  Every name
 * and caption from a scenario reaches a label through ps_gv_set_text() or ps_gv_html_text(),
 * so it is shown exactly as written.  Node names are internal ids ("u12", "item", "fix0"):
 * they appear in SVG comments and titles and never carry text from the scenario.
 *
 * Big audiences are drawn as counted groups ("3,912 others who see it"), with the exposed
 * viewers shown one by one up to a cap, so no diagram ever asks Graphviz to lay out thousands
 * of nodes.
 *
 * Ownership: a ps_diagram owns its graph; ps_diagram_free() releases it.  The model, engine
 * and report passed in are only read during the call.
 */
#ifndef PS_VIZ_H
#define PS_VIZ_H

#include "engine.h"
#include "gv.h"
#include "history.h"

/* Colours, shared with the HTML report so that the page and its diagrams agree. */
#define PS_VIZ_COLOR_FORBIDDEN  "#c0392b"
#define PS_VIZ_COLOR_EXTERNAL   "#7d3c98"
#define PS_VIZ_COLOR_BEYOND     "#d35400"
#define PS_VIZ_COLOR_INTENDED   "#2e7d32"
#define PS_VIZ_COLOR_NEUTRAL    "#455a64"
#define PS_VIZ_COLOR_FIX        "#1e8449"

/* The stroke and the fill colour of a severity (ps_severity), or of an intended viewer for
 * -1. */
const char *ps_viz_severity_color(int severity);
const char *ps_viz_severity_fill(int severity);

/* A diagram ready to render. */
typedef struct {
    ps_gv_graph *g;        /* the graph (owned) */
    const char *layout;    /* the Graphviz layout engine it is made for (static string) */
} ps_diagram;

void ps_diagram_free(ps_diagram *d);
/* Lays the diagram out and renders it (see ps_gv_render).  0, or -1. */
int ps_diagram_render(ps_diagram *d, ps_gv_format fmt, char **out, size_t *len);
/* Renders into file `path` through a temporary file renamed into place.  0, or -1 with
 * errno set. */
int ps_diagram_write(ps_diagram *d, ps_gv_format fmt, const char *path);

/* ---------------------------------------------------------------------------------------
 * (a) A leak path
 * ------------------------------------------------------------------------------------- */

/* What a leak diagram shows. */
typedef struct {
    const ps_path *path;   /* the derivation: links[0] is the owner, the last the viewer */
    int severity;          /* ps_severity, or -1 when the viewer is in the intended audience */
    const ps_fix *fixes;   /* the fixes that cut it (may be NULL) */
    uint32_t nfixes;
    bool platform_only;    /* only a platform rule cuts it */
    uint32_t first_step;   /* the step at which it first appears (0: from the start) */
    bool at_end;           /* still there at the end of the timeline */
    uint32_t count;        /* exposures of the same shape that this one stands for (0 or 1:
                            * just this one) */
    bool bare;             /* no caption (title, timing, legend): the page around says it */
} ps_leak_view;

/* Fills `v` from exposure `x` of report `r`. */
void ps_leak_view_init(ps_leak_view *v, const ps_report *r, const ps_exposure *x);

/* Draws a leak path: the item, its owner, each step between and the viewer, left to right;
 * each edge labelled with its step kind and the rule or setting behind it; the viewer in its
 * severity's colour; each fix beside the step it cuts; a legend.  `m` should be the model in
 * the state the path was found in (names, tags and settings are read from it).
 * 0, or -1 out of memory. */
int ps_draw_leak(const ps_model *m, const ps_leak_view *v, ps_diagram *out);

/* The index of the link of `p` that fix `f` cuts (the step whose rule or setting it changes),
 * always a valid link index when p->nlinks > 0. */
uint32_t ps_viz_fix_link(const ps_model *m, const ps_path *p, const ps_fix *f);

/* ---------------------------------------------------------------------------------------
 * (b) An item's audience
 * ------------------------------------------------------------------------------------- */

/* Draws `item`'s audience in the engine's current state (the caller has run it to the state it
 * wants, normally the end): the owner at the centre and rings outward - friends, friends of
 * friends, networks and groups, everyone, the internet and apps - with the intended audience
 * on the left half, everyone else who sees it on the right, exposed viewers in their
 * severity's colour.  Rings with many viewers are collapsed into counted nodes, keeping at most
 * `max_nodes` individual viewers per half-ring (0: a default of 8).  When `r` is given, viewers
 * who saw the item at an earlier step only are shown too, dashed.  0, or -1 out of memory. */
int ps_draw_audience(ps_engine *e, uint32_t item, const ps_report *r, uint32_t max_nodes,
                     ps_diagram *out);

/* ---------------------------------------------------------------------------------------
 * (c) A persona map
 * ------------------------------------------------------------------------------------- */

/* Draws the personas of `user`: one cluster per persona with its items and its audience
 * (members shown one by one up to `max_nodes`, 0: a default of 8, the rest counted), and the
 * exposures of those items (from `r`, which may be NULL) as red, orange or purple edges that
 * cross into another persona's cluster or into "outside every persona".  The engine's model
 * is read for names and memberships.  0, or -1 out of memory; a user without personas gives
 * a diagram that says so. */
int ps_draw_persona(ps_engine *e, uint32_t user, const ps_report *r, uint32_t max_nodes,
                    ps_diagram *out);

/* ---------------------------------------------------------------------------------------
 * (d) A scenario through the platform presets
 * ------------------------------------------------------------------------------------- */

/* Draws `h` as a chart: a column per preset in date order, a row per item or field, each cell
 * in the colour of the widest class of viewer that sees it; each widening outlined, numbered
 * and explained under the grid (viewer, link, rule or setting).  0, or -1 out of memory. */
int ps_draw_history(const ps_history *h, ps_diagram *out);

/* ---------------------------------------------------------------------------------------
 * (e) A linkage of two accounts of one person
 * ------------------------------------------------------------------------------------- */

#include "linkage.h"

/* Draws how the viewer of linkage `l` links its two accounts: the accounts on the left, one
 * box per piece of evidence (at most 8 drawn), the viewer on the right in its severity's
 * colour; each edge into the viewer carries the shape of the viewer's derivation of the item
 * the evidence rests on; the caption holds the title and the fixes.  0, or -1 out of memory. */
int ps_draw_link(ps_linkage_report *r, const ps_linkage *l, ps_diagram *out);

/* ---------------------------------------------------------------------------------------
 * Files
 * ------------------------------------------------------------------------------------- */

/* Writes `len` bytes to `path` through a temporary file in the same directory, renamed into
 * place, so that an interrupted run never leaves a half-written file.  0, or -1 with errno
 * set (the temporary file is removed). */
int ps_viz_write_file(const char *path, const void *data, size_t len);

#endif
