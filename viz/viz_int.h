/* viz_int.h - functions shared by the diagram writers and the report (viz/ only). */
#ifndef PS_VIZ_INT_H
#define PS_VIZ_INT_H

#include "sb.h"
#include "viz.h"

/* The most characters of a caption or a name shown in a diagram before it is cut with "…". */
#define PS_VIZ_CLIP 40

/* Appends at most `max` characters (code points) of `s` to `b`, then "…" if it was longer. */
void ps_viz_add_clipped(ps_sb *b, const char *s, size_t max);
/* Appends `s` broken into lines of at most `width` characters at spaces (a longer word
 * stays whole); each line after the first starts with `indent`. */
void ps_viz_add_wrapped(ps_sb *b, const char *s, size_t width, const char *indent);
/* Appends a viewer as people read it: "Al the Accountant (al)", "the internet", "app quiz". */
void ps_viz_add_viewer(ps_sb *b, const ps_model *m, uint32_t viewer);
void ps_viz_add_viewer_clip(ps_sb *b, const ps_model *m, uint32_t viewer, size_t clip);
/* Appends the item as a title: "photo ph1 “Al-Valanche at the lanes”", "al's birthday". */
void ps_viz_add_item(ps_sb *b, const ps_model *m, uint32_t item);
/* The same, cutting names and captions at `clip` characters instead of PS_VIZ_CLIP. */
void ps_viz_add_item_clip(ps_sb *b, const ps_model *m, uint32_t item, size_t clip);
/* The severity's words: "forbidden", "external", "beyond intent"; "intended" for -1. */
const char *ps_viz_severity_words(int severity);
/* Formats n with thousands separators ("4,039") into buf. */
const char *ps_viz_count(uint64_t n, char *buf, size_t cap);

/* Sets a node's look for a viewer (shape by kind, label with the display name and `role`),
 * coloured for `severity` (-2: neutral, -1: intended, else ps_severity).  0, or -1. */
int ps_viz_viewer_node(ps_gv_node *n, const ps_model *m, uint32_t viewer, const char *role,
                       int severity);

#endif
