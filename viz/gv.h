/* gv.h - the one door to Graphviz: graphs built with cgraph, laid out and rendered with gvc.
 *
 * Everything else in privsim builds its diagrams through these calls and never includes a
 * Graphviz header.  The wrapper hides the differences between Graphviz releases (2.42/2.43
 * take `char *` where newer ones take `const char *`; gvRenderData's length is an
 * `unsigned int *` there and a `size_t *` later), owns the one gvc context of the process,
 * and knows how to escape text so that Graphviz shows it as written: a scenario's names and
 * captions are data, and a backslash, an ampersand or an angle bracket in them must never be
 * read as a Graphviz escape (`\N`, `\G`, `\n`, `\l`, ...) or as markup.
 *
 * The handles are cgraph's own types under other names (struct Agraph_s and so on), so a
 * test may include <graphviz/cgraph.h> and read a graph back with agfstnode()/agget().
 *
 * Ownership: a graph returned by ps_gv_open() is the caller's, closed with ps_gv_close(),
 * which frees its subgraphs, nodes and edges.  cgraph copies every name and value it is
 * given.  Buffers returned through `char **out` are the caller's, freed with free().
 */
#ifndef PS_GV_H
#define PS_GV_H

#include <stdbool.h>
#include <stddef.h>

struct Agraph_s;
struct Agnode_s;
struct Agedge_s;
typedef struct Agraph_s ps_gv_graph;
typedef struct Agnode_s ps_gv_node;
typedef struct Agedge_s ps_gv_edge;

/* Output formats that privsim writes. */
typedef enum { PS_GV_SVG, PS_GV_PNG, PS_GV_PDF, PS_GV_DOT, PS_GV_NFORMATS } ps_gv_format;

/* The format named by the ending of `path` (".svg", ".png", ".pdf", ".dot" or ".gv", any
 * case), or -1. */
int ps_gv_format_from_path(const char *path);
/* The format's Graphviz name ("svg", "png", "pdf", "dot"). */
const char *ps_gv_format_name(ps_gv_format f);

/* A new empty graph named `name` (directed or not) with privsim's house style (font, colours,
 * UTF-8).  NULL when out of memory. */
ps_gv_graph *ps_gv_open(const char *name, bool directed);
/* Closes a graph and frees everything in it.  Accepts NULL. */
void ps_gv_close(ps_gv_graph *g);
/* The subgraph `name` of `g`, created if needed (a name starting with "cluster" draws a box
 * around its nodes).  NULL when out of memory. */
ps_gv_graph *ps_gv_subgraph(ps_gv_graph *g, const char *name);
/* The node `name` of `g`, created if needed (in a subgraph: also added to the root graph).
 * Names are internal identifiers; what people read goes into the label. */
ps_gv_node *ps_gv_add_node(ps_gv_graph *g, const char *name);
/* Adds node `n` (of the root graph) to subgraph `sub`; returns it, or NULL. */
ps_gv_node *ps_gv_subgraph_add(ps_gv_graph *sub, ps_gv_node *n);
/* The node `name` if it exists, else NULL. */
ps_gv_node *ps_gv_find_node(ps_gv_graph *g, const char *name);
/* A new edge from `t` to `h` in `g` (several edges between the same nodes are allowed). */
ps_gv_edge *ps_gv_add_edge(ps_gv_graph *g, ps_gv_node *t, ps_gv_node *h);

/* The first edge out of `n`, or NULL. */
ps_gv_edge *ps_gv_first_out(ps_gv_node *n);

/* Sets attribute `attr` of a graph, node or edge to `value`, taken as Graphviz reads it
 * (declaring the attribute with an empty default if needed).  0, or -1. */
int ps_gv_set(void *obj, const char *attr, const char *value);
/* The same with a printf-style value. */
int ps_gv_setf(void *obj, const char *attr, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Sets a text attribute (label, xlabel, tooltip, ...) so that Graphviz shows `text` exactly:
 * backslashes and ampersands are escaped and line breaks become centred line breaks.
 * 0, or -1. */
int ps_gv_set_text(void *obj, const char *attr, const char *text);
/* The same, with every line left-justified (`\l` line ends). */
int ps_gv_set_text_left(void *obj, const char *attr, const char *text);
/* Sets an HTML-like label: `html` is markup whose text parts were escaped with
 * ps_gv_html_text().  0, or -1. */
int ps_gv_set_html(void *obj, const char *attr, const char *html);
/* The value of attribute `attr` (borrowed from the graph), or NULL when it is not declared. */
const char *ps_gv_get(void *obj, const char *attr);
/* True when attribute `attr` of `obj` holds an HTML-like label. */
bool ps_gv_is_html(void *obj, const char *attr);

/* `s` escaped for a plain Graphviz label, newly allocated (NULL out of memory): `\` becomes
 * `\\`, `&` becomes `&amp;`, a line break becomes `\n`, other control characters and invalid
 * UTF-8 become U+FFFD. */
char *ps_gv_label_text(const char *s);
/* `s` escaped as text inside an HTML-like label, newly allocated (NULL out of memory):
 * `& < > " '` become entities, `\` becomes `\\` (Graphviz substitutes `\N` and the like even
 * there), a line break becomes <BR/>, invalid UTF-8 and control characters become U+FFFD. */
char *ps_gv_html_text(const char *s);

/* Lays `g` out with `layout` ("dot", "nop" for positions given in points, ...) and renders it
 * in `fmt`.  On success returns 0 and sets *out (NUL-terminated; the caller frees it) and
 * *len; the layout is freed again, so the graph may be changed and rendered anew.
 * -1 when Graphviz fails or memory runs out. */
int ps_gv_render(ps_gv_graph *g, const char *layout, ps_gv_format fmt, char **out, size_t *len);

/* Frees the process's gvc context (created on first use).  Optional: call it at exit. */
void ps_gv_shutdown(void);

#endif
