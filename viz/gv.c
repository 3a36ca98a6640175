/* gv.c - the thin wrapper over Graphviz cgraph and gvc (see gv.h).
 *
 * The only file of privsim that includes Graphviz.  cgraph's 2.42/2.43 API takes `char *`
 * for names and values it only reads; the casts that drop `const` live here and nowhere
 * else.  One gvc context serves the whole process; it is created on first use, because
 * loading Graphviz's plugins costs a few milliseconds that a command drawing nothing should
 * not pay.
 *
 * Escaping, found by reading Graphviz 2.43 and checked by tests/test_viz.c: a plain label
 * goes through three interpretations in turn - the object escapes (\N \G \E \H \T \L), HTML
 * entities (`&amp;` shows as `&`), then the line escapes (\n \l \r, and `\x` for any other x
 * shows x).  Doubling every backslash and writing `&` as `&amp;` survives all three.  An
 * HTML-like label is parsed as XML first and then also goes through the object escapes, so
 * there too a backslash is doubled.
 */
#include "gv.h"
#include "sb.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The font of every diagram: DejaVu Sans is on every Debian system and in Chromium's
 * fallbacks, so the text measured at layout time is the text the browser draws. */
#define PS_GV_FONT "DejaVu Sans"

static GVC_t *gvc_ctx;

static GVC_t *context(void)
{
    if (!gvc_ctx) {
        /* warnings (a font substitution, a node too big for a pinned position) are not the
         * user's concern; errors still reach stderr */
        agseterr(AGERR);
        gvc_ctx = gvContext();
    }
    return gvc_ctx;
}

void ps_gv_shutdown(void)
{
    if (gvc_ctx) {
        gvFreeContext(gvc_ctx);
        gvc_ctx = NULL;
    }
}

/* ---------------------------------------------------------------------------------------
 * Formats
 * ------------------------------------------------------------------------------------- */

static const char *const format_names[PS_GV_NFORMATS] = { "svg", "png", "pdf", "dot" };

const char *ps_gv_format_name(ps_gv_format f)
{
    return f < PS_GV_NFORMATS ? format_names[f] : "?";
}

int ps_gv_format_from_path(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash) || dot == path || dot[-1] == '/')
        return -1;
    char ext[8];
    size_t n = strlen(dot + 1);
    if (n == 0 || n >= sizeof ext)
        return -1;
    for (size_t i = 0; i <= n; i++) {
        char c = dot[1 + i];
        ext[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    if (strcmp(ext, "gv") == 0)
        return PS_GV_DOT;
    for (int f = 0; f < PS_GV_NFORMATS; f++)
        if (strcmp(ext, format_names[f]) == 0)
            return f;
    return -1;
}

/* ---------------------------------------------------------------------------------------
 * Graphs, nodes, edges, attributes
 * ------------------------------------------------------------------------------------- */

/* cgraph reads but does not modify these strings; its 2.4x prototypes lack the const. */
static char *unconst(const char *s)
{
    return (char *)(uintptr_t)s;
}

ps_gv_graph *ps_gv_open(const char *name, bool directed)
{
    context();
    Agraph_t *g = agopen(unconst(name), directed ? Agdirected : Agundirected, NULL);
    if (!g)
        return NULL;
    /* defaults for the whole graph: declared on the root, they hold for every object */
    agattr(g, AGRAPH, "fontname", PS_GV_FONT);
    agattr(g, AGRAPH, "fontsize", "13");
    agattr(g, AGRAPH, "charset", "UTF-8");
    agattr(g, AGRAPH, "bgcolor", "transparent");
    agattr(g, AGRAPH, "label", "");
    agattr(g, AGNODE, "fontname", PS_GV_FONT);
    agattr(g, AGNODE, "fontsize", "12");
    agattr(g, AGNODE, "label", "\\N");
    agattr(g, AGEDGE, "fontname", PS_GV_FONT);
    agattr(g, AGEDGE, "fontsize", "10");
    agattr(g, AGEDGE, "label", "");
    return g;
}

void ps_gv_close(ps_gv_graph *g)
{
    if (g)
        agclose(g);
}

ps_gv_graph *ps_gv_subgraph(ps_gv_graph *g, const char *name)
{
    return agsubg(g, unconst(name), 1);
}

ps_gv_node *ps_gv_add_node(ps_gv_graph *g, const char *name)
{
    return agnode(g, unconst(name), 1);
}

ps_gv_node *ps_gv_subgraph_add(ps_gv_graph *sub, ps_gv_node *n)
{
    return agsubnode(sub, n, 1);
}

ps_gv_node *ps_gv_find_node(ps_gv_graph *g, const char *name)
{
    return agnode(g, unconst(name), 0);
}

ps_gv_edge *ps_gv_add_edge(ps_gv_graph *g, ps_gv_node *t, ps_gv_node *h)
{
    return agedge(g, t, h, NULL, 1);
}

ps_gv_edge *ps_gv_first_out(ps_gv_node *n)
{
    return agfstout(agroot(n), n);
}

int ps_gv_set(void *obj, const char *attr, const char *value)
{
    return agsafeset(obj, unconst(attr), unconst(value), "") == 0 ? 0 : -1;
}

int ps_gv_setf(void *obj, const char *attr, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof buf)
        return -1;
    return ps_gv_set(obj, attr, buf);
}

const char *ps_gv_get(void *obj, const char *attr)
{
    return agget(obj, unconst(attr));
}

bool ps_gv_is_html(void *obj, const char *attr)
{
    char *v = agget(obj, unconst(attr));
    return v && aghtmlstr(v);
}

/* Appends the replacement character for a byte or a sequence that must not pass. */
static void add_replacement(ps_sb *b)
{
    ps_sb_add(b, "\xef\xbf\xbd");
}

/* Escapes `s` for Graphviz: html selects HTML-like label text, else a plain label. */
static char *escape(const char *s, bool html, bool left)
{
    ps_sb b;
    ps_sb_init(&b);
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0;
    while (i < n) {
        unsigned c = p[i];
        if (c == '\\') {
            ps_sb_add(&b, "\\\\");
            i++;
        } else if (c == '&') {
            ps_sb_add(&b, "&amp;");
            i++;
        } else if (c == '\n') {
            ps_sb_add(&b, html ? "<BR/>" : left ? "\\l" : "\\n");
            i++;
        } else if (c == '\t') {
            ps_sb_addc(&b, ' ');
            i++;
        } else if (html && (c == '<' || c == '>' || c == '"' || c == '\'')) {
            ps_sb_add(&b, c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '"' ? "&quot;" : "&#39;");
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            add_replacement(&b);
            i++;
        } else if (c < 0x80) {
            ps_sb_addc(&b, (char)c);
            i++;
        } else {
            size_t len = ps_utf8_seq(p + i, n - i);
            bool c1 = len == 2 && c == 0xc2 && p[i + 1] < 0xa0;
            bool bidi = len == 3 && c == 0xe2 &&
                        ((p[i + 1] == 0x80 && p[i + 2] >= 0xaa && p[i + 2] <= 0xae) ||
                         (p[i + 1] == 0x81 && p[i + 2] >= 0xa6 && p[i + 2] <= 0xa9));
            if (len == 0 || c1 || bidi) {
                add_replacement(&b);
                i += len ? len : 1;
            } else {
                ps_sb_addn(&b, s + i, len);
                i += len;
            }
        }
    }
    if (left)
        ps_sb_add(&b, "\\l");
    return ps_sb_take(&b);
}

char *ps_gv_label_text(const char *s)
{
    return escape(s, false, false);
}

char *ps_gv_html_text(const char *s)
{
    return escape(s, true, false);
}

static int set_text(void *obj, const char *attr, const char *text, bool left)
{
    char *esc = escape(text, false, left);
    if (!esc)
        return -1;
    int rc = ps_gv_set(obj, attr, esc);
    free(esc);
    return rc;
}

int ps_gv_set_text(void *obj, const char *attr, const char *text)
{
    return set_text(obj, attr, text, false);
}

int ps_gv_set_text_left(void *obj, const char *attr, const char *text)
{
    return set_text(obj, attr, text, true);
}

int ps_gv_set_html(void *obj, const char *attr, const char *html)
{
    Agraph_t *root = agroot(obj);
    char *h = agstrdup_html(root, unconst(html));
    if (!h)
        return -1;
    int rc = agsafeset(obj, unconst(attr), h, "") == 0 ? 0 : -1;
    agstrfree(root, h);
    return rc;
}

/* ---------------------------------------------------------------------------------------
 * Layout and rendering
 * ------------------------------------------------------------------------------------- */

int ps_gv_render(ps_gv_graph *g, const char *layout, ps_gv_format fmt, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    GVC_t *gvc = context();
    if (!gvc || fmt >= PS_GV_NFORMATS)
        return -1;
    if (gvLayout(gvc, g, layout) != 0)
        return -1;
    char *data = NULL;
    unsigned int n = 0; /* 2.4x: unsigned int; size_t in later releases */
    int rc = gvRenderData(gvc, g, format_names[fmt], &data, &n);
    if (rc == 0 && data) {
        *out = malloc((size_t)n + 1);
        if (*out) {
            memcpy(*out, data, n);
            (*out)[n] = 0;
            *len = n;
        } else {
            rc = -1;
        }
    } else {
        rc = -1;
    }
    if (data)
        gvFreeRenderData(data);
    gvFreeLayout(gvc, g);
    return rc;
}
