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
#include "oom.h"
#include "sb.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

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

/* Object ids in the order names are first used.  cgraph's own discipline makes a name's id
 * the address of its string, and keeps subgraphs (clusters) in id order, so the order in
 * which clusters are drawn followed the heap's addresses and changed from run to run.  Here
 * the k-th new name gets the id 2k (named ids are even, anonymous ones odd, as in cgraph),
 * so the same graph built twice is drawn the same way. */
typedef struct {
    char **names;       /* names[k - 1] has the id 2k (owned) */
    uint32_t n, cap;
    uint32_t *slots;    /* open addressing: 1 + index into names, 0 = empty */
    uint32_t nslots;    /* a power of two, at least twice n */
    IDTYPE anon;        /* the next anonymous id */
} id_state;

static uint32_t name_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void *id_open(Agraph_t *g, Agdisc_t *disc)
{
    id_state *st = calloc(1, sizeof *st);
    if (!st)
        ps_oom_exit(); /* cgraph cannot recover from a discipline that fails */
    st->anon = 1;
    return st;
}

static int id_grow(id_state *st)
{
    uint32_t ns = st->nslots ? st->nslots * 2 : 64;
    uint32_t *slots = calloc(ns, sizeof *slots);
    if (!slots)
        return -1;
    for (uint32_t k = 0; k < st->n; k++) {
        uint32_t h = name_hash(st->names[k]) & (ns - 1);
        while (slots[h])
            h = (h + 1) & (ns - 1);
        slots[h] = k + 1;
    }
    free(st->slots);
    st->slots = slots;
    st->nslots = ns;
    return 0;
}

static long id_map(void *state, int objtype, char *str, IDTYPE *id, int createflag)
{
    id_state *st = state;
    if (!str) {
        *id = st->anon;
        st->anon += 2;
        return 1;
    }
    if (st->nslots) {
        uint32_t h = name_hash(str) & (st->nslots - 1);
        for (; st->slots[h]; h = (h + 1) & (st->nslots - 1))
            if (strcmp(st->names[st->slots[h] - 1], str) == 0) {
                *id = (IDTYPE)st->slots[h] * 2;
                return 1;
            }
    }
    if (!createflag) {
        *id = 0; /* no object has this id: the lookup finds nothing */
        return 1;
    }
    /* cgraph does not recover from a failed map: running out of memory here ends the run */
    if ((st->n + 1) * 2 > st->nslots && id_grow(st))
        ps_oom_exit();
    if (st->n == st->cap) {
        uint32_t c = st->cap ? st->cap * 2 : 32;
        char **v = realloc(st->names, c * sizeof *v);
        if (!v)
            ps_oom_exit();
        st->names = v;
        st->cap = c;
    }
    char *copy = strdup(str);
    if (!copy)
        ps_oom_exit();
    st->names[st->n++] = copy;
    uint32_t h = name_hash(str) & (st->nslots - 1);
    while (st->slots[h])
        h = (h + 1) & (st->nslots - 1);
    st->slots[h] = st->n;
    *id = (IDTYPE)st->n * 2;
    return 1;
}

static long id_alloc(void *state, int objtype, IDTYPE id)
{
    return 0; /* objects are never asked for by id */
}

static void id_free(void *state, int objtype, IDTYPE id)
{
    /* names live until the graph is closed */
}

static char *id_print(void *state, int objtype, IDTYPE id)
{
    id_state *st = state;
    if (id % 2 || id == 0 || id / 2 > st->n)
        return NULL;
    return st->names[id / 2 - 1];
}

static void id_close(void *state)
{
    id_state *st = state;
    if (!st)
        return;
    for (uint32_t k = 0; k < st->n; k++)
        free(st->names[k]);
    free(st->names);
    free(st->slots);
    free(st);
}

static void id_register(void *state, int objtype, void *obj)
{
}

static Agiddisc_t ordered_ids = { id_open, id_map, id_alloc, id_free, id_print, id_close,
                                  id_register };

ps_gv_graph *ps_gv_open(const char *name, bool directed)
{
    context();
    static Agdisc_t disc;
    disc.mem = AgDefaultDisc.mem;
    disc.id = &ordered_ids;
    disc.io = AgDefaultDisc.io;
    Agraph_t *g = agopen(unconst(name), directed ? Agdirected : Agundirected, &disc);
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

/* Address space the first drawing of a process needs (measured on Debian 12: Graphviz
 * loads its plugins, Pango, Cairo and fontconfig, and Pango starts threads, 140 MB at peak
 * for one diagram and 220 MB for a report), and what each later drawing needs. */
#define FIRST_DRAWING_BYTES ((size_t)256 << 20)
#define LATER_DRAWING_BYTES ((size_t)128 << 20)

/* Whether the drawing about to start has the memory it needs: Graphviz and the libraries
 * under it abort or crash when an allocation fails, so the room is checked first, by
 * reserving it (untouched, then released).  The graph's own size is added at 4 KiB a node. */
static bool room_to_draw(Agraph_t *g)
{
    static bool drawn_before;
    size_t need = (drawn_before ? LATER_DRAWING_BYTES : FIRST_DRAWING_BYTES) +
                  (size_t)agnnodes(g) * 4096;
    void *p = mmap(NULL, need, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return false;
    munmap(p, need);
    drawn_before = true;
    return true;
}

int ps_gv_render(ps_gv_graph *g, const char *layout, ps_gv_format fmt, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (!room_to_draw(g)) {
        errno = ENOMEM;
        return -1;
    }
    GVC_t *gvc = context();
    if (!gvc || fmt >= PS_GV_NFORMATS)
        return -1;
    if (gvLayout(gvc, g, layout) != 0) {
        errno = EPROTO;
        return -1;
    }
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
    int err = *out ? 0 : rc && data ? ENOMEM : EPROTO;
    if (data)
        gvFreeRenderData(data);
    gvFreeLayout(gvc, g);
    if (rc)
        errno = err;
    return rc;
}
