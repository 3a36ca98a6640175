/* html_lead.h - the sections that lead the HTML report (what to change, where it leaks most)
 * and the diagrams of a report page written as SVG files of their own. */
#ifndef PS_HTML_LEAD_H
#define PS_HTML_LEAD_H

#include "atomic.h"

#include "engine.h"
#include "sb.h"

/* Rows of the worst-items and most-exposed-people tables. */
#define PS_HTML_WORST_ROWS 10

/* The "What to change" section: the plan (plan.h) for the worst severity the report shows,
 * each change with the exposures it removes and the reach it costs.  `partial` says that the
 * fixes were verified for some items only.  0, or -1 out of memory. */
int ps_html_add_plan(ps_sb *b, const ps_model *m, const ps_report *r, bool partial);

/* The "Where it leaks most" section: the worst items (by worst severity, then exposed
 * viewers) and the most exposed people (the persona's owner, else the item's owner: by
 * forbidden, external, then beyond-intent exposures of their items). */
void ps_html_add_worst(ps_sb *b, const ps_model *m, const ps_report *r);

/* The items ranked as in the worst-items table, at most `max`, into `out`; returns how many. */
uint32_t ps_html_worst_items(const ps_model *m, const ps_report *r, uint32_t *out, uint32_t max);

/* The link under diagram number `n` (0-based, in page order) to its own SVG file. */
void ps_html_add_svg_link(ps_sb *b, uint32_t n);

/* Writes every inline diagram of `html` (each `<figure><svg ...>...</svg>`, in page order)
 * as diagram-NNN.svg, the files ps_html_add_svg_link() points to, and the page itself as
 * index.html: into the stage `ad` of the report directory being rebuilt, or, when `ad` is
 * NULL, into `dir` one file at a time.  0, or -1 with errno set. */
int ps_html_write_svgs(ps_atomic_dir *ad, const char *dir, const char *html);
int ps_html_write_page(ps_atomic_dir *ad, const char *dir, const char *html);
/* Whether `name` is a file that a report writes into its directory (index.html, the
 * diagram-NNN.svg files): what a new report replaces there. */
bool ps_html_is_report_file(const char *name);

#endif
