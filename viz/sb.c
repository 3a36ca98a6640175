/* sb.c - the growable string of the diagram and report writers, and HTML escaping (see sb.h). */
#include "sb.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ps_sb_init(ps_sb *b)
{
    b->s = NULL;
    b->len = b->cap = 0;
    b->oom = false;
}

void ps_sb_free(ps_sb *b)
{
    free(b->s);
    ps_sb_init(b);
}

void ps_sb_clear(ps_sb *b)
{
    b->len = 0;
    if (b->s)
        b->s[0] = 0;
    b->oom = false;
}

/* Makes room for `n` more bytes and the NUL.  False (and oom set) when memory runs out. */
static bool reserve(ps_sb *b, size_t n)
{
    if (b->oom)
        return false;
    if (b->len + n + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1) {
        if (cap > ((size_t)-1) / 2) {
            b->oom = true;
            return false;
        }
        cap *= 2;
    }
    char *p = realloc(b->s, cap);
    if (!p) {
        b->oom = true;
        return false;
    }
    b->s = p;
    b->cap = cap;
    return true;
}

void ps_sb_addn(ps_sb *b, const char *s, size_t n)
{
    if (!reserve(b, n))
        return;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

void ps_sb_add(ps_sb *b, const char *s)
{
    ps_sb_addn(b, s, strlen(s));
}

void ps_sb_addc(ps_sb *b, char c)
{
    ps_sb_addn(b, &c, 1);
}

void ps_sb_addf(ps_sb *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = true;
        return;
    }
    if ((size_t)n < sizeof small) {
        ps_sb_addn(b, small, (size_t)n);
        return;
    }
    if (!reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

const char *ps_sb_str(const ps_sb *b)
{
    return b->s ? b->s : "";
}

char *ps_sb_take(ps_sb *b)
{
    if (b->oom) {
        ps_sb_free(b);
        return NULL;
    }
    char *s = b->s;
    if (!s)
        s = calloc(1, 1);
    ps_sb_init(b);
    return s;
}

size_t ps_utf8_seq(const unsigned char *s, size_t n)
{
    if (n == 0)
        return 0;
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned cp;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

void ps_sb_add_htmln(ps_sb *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        size_t run = i;
        /* copy a run of bytes that need nothing */
        while (run < n && p[run] >= 0x20 && p[run] < 0x7f && p[run] != '&' && p[run] != '<' &&
               p[run] != '>' && p[run] != '"' && p[run] != '\'')
            run++;
        if (run > i) {
            ps_sb_addn(b, s + i, run - i);
            i = run;
            continue;
        }
        c = p[i];
        switch (c) {
        case '&': ps_sb_add(b, "&amp;"); i++; continue;
        case '<': ps_sb_add(b, "&lt;"); i++; continue;
        case '>': ps_sb_add(b, "&gt;"); i++; continue;
        case '"': ps_sb_add(b, "&quot;"); i++; continue;
        case '\'': ps_sb_add(b, "&#39;"); i++; continue;
        case '\t': case '\n': ps_sb_addc(b, (char)c); i++; continue;
        default: break;
        }
        if (c < 0x20 || c == 0x7f) {
            ps_sb_add(b, "\xef\xbf\xbd");
            i++;
            continue;
        }
        size_t len = ps_utf8_seq(p + i, n - i);
        if (len == 0) {
            ps_sb_add(b, "\xef\xbf\xbd");
            i++;
            continue;
        }
        /* C1 controls (U+0080..U+009F) are as unwelcome as C0 ones, and so are the
         * bidirectional overrides (U+202A..U+202E, U+2066..U+2069), which would reorder
         * the text around them */
        bool c1 = len == 2 && c == 0xc2 && p[i + 1] < 0xa0;
        bool bidi = len == 3 && c == 0xe2 &&
                    ((p[i + 1] == 0x80 && p[i + 2] >= 0xaa && p[i + 2] <= 0xae) ||
                     (p[i + 1] == 0x81 && p[i + 2] >= 0xa6 && p[i + 2] <= 0xa9));
        if (c1 || bidi)
            ps_sb_add(b, "\xef\xbf\xbd");
        else
            ps_sb_addn(b, s + i, len);
        i += len;
    }
}

void ps_sb_add_html(ps_sb *b, const char *s)
{
    ps_sb_add_htmln(b, s, strlen(s));
}
