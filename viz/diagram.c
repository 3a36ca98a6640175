/* diagram.c - what every diagram shares: colours, viewer nodes, clipped names, rendering and
 * writing files through a temporary name (see viz.h and viz_int.h). */
#include "viz_int.h"
#include "atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---------------------------------------------------------------------------------------
 * Colours and words
 * ------------------------------------------------------------------------------------- */

const char *ps_viz_severity_color(int severity)
{
    switch (severity) {
    case PS_SEV_FORBIDDEN: return PS_VIZ_COLOR_FORBIDDEN;
    case PS_SEV_EXTERNAL: return PS_VIZ_COLOR_EXTERNAL;
    case PS_SEV_BEYOND_INTENT: return PS_VIZ_COLOR_BEYOND;
    case -1: return PS_VIZ_COLOR_INTENDED;
    default: return PS_VIZ_COLOR_NEUTRAL;
    }
}

const char *ps_viz_severity_fill(int severity)
{
    switch (severity) {
    case PS_SEV_FORBIDDEN: return "#fdecea";
    case PS_SEV_EXTERNAL: return "#f4ecf7";
    case PS_SEV_BEYOND_INTENT: return "#fdf2e9";
    case -1: return "#e9f5ea";
    default: return "#ffffff";
    }
}

const char *ps_viz_severity_words(int severity)
{
    switch (severity) {
    case PS_SEV_FORBIDDEN: return "forbidden";
    case PS_SEV_EXTERNAL: return "external";
    case PS_SEV_BEYOND_INTENT: return "beyond intent";
    case -1: return "intended";
    default: return "";
    }
}

const char *ps_viz_count(uint64_t n, char *buf, size_t cap)
{
    char raw[32];
    int len = snprintf(raw, sizeof raw, "%llu", (unsigned long long)n);
    size_t o = 0;
    for (int i = 0; i < len && o + 1 < cap; i++) {
        if (i && (len - i) % 3 == 0 && o + 2 < cap)
            buf[o++] = ',';
        buf[o++] = raw[i];
    }
    buf[o] = 0;
    return buf;
}

/* ---------------------------------------------------------------------------------------
 * Names
 * ------------------------------------------------------------------------------------- */

void ps_viz_add_clipped(ps_sb *b, const char *s, size_t max)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0, chars = 0;
    while (i < n && chars < max) {
        size_t len = ps_utf8_seq(p + i, n - i);
        i += len ? len : 1;
        chars++;
    }
    ps_sb_addn(b, s, i);
    if (i < n)
        ps_sb_add(b, "\xe2\x80\xa6"); /* … */
}

/* The number of code points in s[0..n). */
static size_t count_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xc0) != 0x80;
    return c;
}

void ps_viz_add_wrapped(ps_sb *b, const char *s, size_t width, const char *indent)
{
    size_t col = 0;
    bool first = true;
    while (*s) {
        while (*s == ' ')
            s++;
        size_t n = strcspn(s, " ");
        if (!n)
            break;
        size_t w = count_chars(s, n);
        if (!first && col + 1 + w > width) {
            ps_sb_add(b, "\n");
            ps_sb_add(b, indent);
            col = count_chars(indent, strlen(indent));
        } else if (!first) {
            ps_sb_addc(b, ' ');
            col++;
        }
        ps_sb_addn(b, s, n);
        col += w;
        first = false;
        s += n;
    }
}

void ps_viz_add_viewer(ps_sb *b, const ps_model *m, uint32_t viewer)
{
    ps_viz_add_viewer_clip(b, m, viewer, PS_VIZ_CLIP);
}

void ps_viz_add_viewer_clip(ps_sb *b, const ps_model *m, uint32_t viewer, size_t clip)
{
    if (viewer < m->nusers) {
        const ps_user *u = &m->users[viewer];
        if (u->display && *u->display) {
            ps_viz_add_clipped(b, u->display, clip);
            ps_sb_add(b, " (");
            ps_viz_add_clipped(b, u->name, clip);
            ps_sb_add(b, ")");
        } else {
            ps_viz_add_clipped(b, u->name, clip);
        }
    } else if (viewer == ps_viewer_internet(m)) {
        ps_sb_add(b, "the internet");
    } else if (viewer - m->nusers - 1 < m->napps) {
        ps_sb_add(b, "app ");
        ps_viz_add_clipped(b, m->apps[viewer - m->nusers - 1].name, clip);
    } else {
        ps_sb_add(b, "?");
    }
}

void ps_viz_add_item(ps_sb *b, const ps_model *m, uint32_t item)
{
    ps_viz_add_item_clip(b, m, item, PS_VIZ_CLIP);
}

void ps_viz_add_item_clip(ps_sb *b, const ps_model *m, uint32_t item, size_t clip)
{
    if (item >= m->nitems) {
        ps_sb_add(b, "?");
        return;
    }
    const ps_item *it = &m->items[item];
    if (it->kind == PS_ITEM_FIELD) {
        const char *owner = it->owner < m->nusers ? m->users[it->owner].name : "?";
        ps_viz_add_clipped(b, owner, clip);
        ps_sb_add(b, "'s ");
        ps_sb_add(b, ps_category_name(it->field) ? ps_category_name(it->field) : "field");
        return;
    }
    ps_sb_add(b, it->kind == PS_ITEM_PHOTO ? "photo " : "post ");
    ps_viz_add_clipped(b, it->name, clip);
    if (it->caption && *it->caption) {
        ps_sb_add(b, " \xe2\x80\x9c"); /* “ */
        ps_viz_add_clipped(b, it->caption, clip);
        ps_sb_add(b, "\xe2\x80\x9d"); /* ” */
    }
}

/* ---------------------------------------------------------------------------------------
 * Viewer nodes
 * ------------------------------------------------------------------------------------- */

int ps_viz_viewer_node(ps_gv_node *n, const ps_model *m, uint32_t viewer, const char *role,
                       int severity)
{
    ps_sb b;
    ps_sb_init(&b);
    const char *shape = "box";
    const char *style = "rounded,filled";
    if (viewer < m->nusers) {
        const ps_user *u = &m->users[viewer];
        if (u->display && *u->display) {
            ps_viz_add_clipped(&b, u->display, PS_VIZ_CLIP);
            ps_sb_add(&b, "\n");
        }
        ps_viz_add_clipped(&b, u->name, PS_VIZ_CLIP);
    } else if (viewer == ps_viewer_internet(m)) {
        ps_sb_add(&b, "the internet");
        shape = "ellipse";
        style = "filled";
    } else {
        ps_viz_add_viewer(&b, m, viewer);
        shape = "component";
        style = "filled";
    }
    if (role && *role) {
        ps_sb_add(&b, "\n");
        ps_sb_add(&b, role);
    }
    int rc = 0;
    const char *text = ps_sb_str(&b);
    rc |= b.oom ? -1 : ps_gv_set_text(n, "label", text);
    rc |= ps_gv_set(n, "shape", shape);
    rc |= ps_gv_set(n, "style", style);
    rc |= ps_gv_set(n, "color", ps_viz_severity_color(severity));
    rc |= ps_gv_set(n, "fillcolor", ps_viz_severity_fill(severity));
    rc |= ps_gv_set(n, "penwidth", severity >= 0 ? "2" : "1.2");
    if (severity >= 0)
        rc |= ps_gv_set(n, "fontcolor", ps_viz_severity_color(severity));
    ps_sb_free(&b);
    return rc ? -1 : 0;
}

/* ---------------------------------------------------------------------------------------
 * Rendering and files
 * ------------------------------------------------------------------------------------- */

void ps_diagram_free(ps_diagram *d)
{
    if (!d)
        return;
    ps_gv_close(d->g);
    d->g = NULL;
}

int ps_diagram_render(ps_diagram *d, ps_gv_format fmt, char **out, size_t *len)
{
    return ps_gv_render(d->g, d->layout, fmt, out, len);
}

int ps_diagram_write(ps_diagram *d, ps_gv_format fmt, const char *path)
{
    char *data;
    size_t len;
    if (ps_diagram_render(d, fmt, &data, &len)) {
        if (errno != ENOMEM)
            errno = EINVAL;
        return -1;
    }
    int rc = ps_viz_write_file(path, data, len);
    free(data);
    return rc;
}

int ps_viz_write_file(const char *path, const void *data, size_t len)
{
    /* beside the target, synced, renamed into place (atomic.h); a device or a FIFO is
     * written directly */
    return ps_atomic_write(path, data, len);
}
