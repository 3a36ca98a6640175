/* diag.c - collecting and printing gcc-style diagnostics (see diag.h).
 *
 * A diagnostic copies, when it is reported, the source line it points into (or a window of
 * at most DIAG_WINDOW bytes around the column for long lines), so that printing needs no
 * source.  Lines are found from a hint (a line whose start offset is known) that the scanner
 * keeps current, so reporting costs a few bytes of scanning rather than a pass over the file.
 */
#include "diag.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Lines longer than this are shown as a window around the column. */
#define DIAG_WINDOW 160

#define COL_LOCUS   "\033[1m"
#define COL_ERROR   "\033[1;31m"
#define COL_WARNING "\033[1;35m"
#define COL_NOTE    "\033[1;36m"
#define COL_CARET   "\033[1;32m"
#define COL_RESET   "\033[0m"

void ps_diag_init(ps_diag *d)
{
    memset(d, 0, sizeof *d);
    d->max_errors = PS_DIAG_MAX_ERRORS;
}

void ps_diag_free(ps_diag *d)
{
    if (!d)
        return;
    for (uint32_t i = 0; i < d->n; i++) {
        free(d->v[i].path);
        free(d->v[i].msg);
        free(d->v[i].src);
    }
    free(d->v);
    free(d->path);
    ps_diag_init(d);
}

int ps_diag_set_source(ps_diag *d, const char *path, const char *src, size_t len)
{
    free(d->path);
    d->path = NULL;
    if (path && !(d->path = strdup(path))) {
        d->oom = d->lost = true;
        return -1;
    }
    d->src = src;
    d->srclen = src ? len : 0;
    d->hint_line = 1;
    d->hint_off = 0;
    return 0;
}

void ps_diag_line_hint(ps_diag *d, uint32_t line, size_t off)
{
    d->hint_line = line;
    d->hint_off = off;
}

uint32_t ps_diag_nerrors(const ps_diag *d) { return d->nerrors; }
uint32_t ps_diag_nwarnings(const ps_diag *d) { return d->nwarnings; }
bool ps_diag_full(const ps_diag *d) { return d->nerrors > d->max_errors; }

/* ---------------------------------------------------------------------------------------
 * UTF-8
 * ------------------------------------------------------------------------------------- */

/* Decodes the code point at s (at most `len` bytes).  Returns its length in bytes and writes
 * the code point to *cp, or returns 1 with *cp = -1 for an invalid byte. */
static size_t utf8_decode(const unsigned char *s, size_t len, long *cp)
{
    unsigned c = s[0];
    size_t n;
    long v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        v = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        v = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        v = c & 0x07;
    } else {
        *cp = -1;
        return 1;
    }
    if (len < n) {
        *cp = -1;
        return 1;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            *cp = -1;
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3f);
    }
    /* overlong forms, surrogates and values past U+10FFFF */
    if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10ffff)) ||
        (v >= 0xd800 && v <= 0xdfff)) {
        *cp = -1;
        return 1;
    }
    *cp = v;
    return n;
}

/* True for code points that a terminal may act on. */
static bool cp_unsafe(long cp)
{
    return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
           (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0x200e || cp == 0x200f || cp == 0x061c;
}

/* Writes one code point (`n` bytes at s, decoded as cp), escaped if needed; returns the
 * columns it takes. */
static size_t put_cp(FILE *out, const char *s, size_t n, long cp, bool keep_tab)
{
    if (cp == '\t' && keep_tab) {
        fputc('\t', out);
        return 1;
    }
    if (cp == '\t') {
        fputs("\\t", out);
        return 2;
    }
    if (cp < 0) {
        fprintf(out, "\\x%02x", (unsigned)(unsigned char)s[0]);
        return 4;
    }
    if (cp < 0x20 || cp == 0x7f) {
        fprintf(out, "\\x%02x", (unsigned)cp);
        return 4;
    }
    if (cp_unsafe(cp)) {
        fprintf(out, "\\u%04lx", cp);
        return 6;
    }
    fwrite(s, 1, n, out);
    return 1;
}

size_t ps_write_escaped(FILE *out, const char *s, size_t len, bool keep_tab)
{
    size_t cols = 0;
    for (size_t i = 0; i < len;) {
        long cp;
        size_t n = utf8_decode((const unsigned char *)s + i, len - i, &cp);
        cols += put_cp(out, s + i, n, cp, keep_tab);
        i += n;
    }
    return cols;
}

/* Writes the padding that puts the caret under column `col` (1-based) of `s`: a tab for a
 * tab, else as many spaces as the escaped code point takes. */
static void put_caret_pad(FILE *out, const char *s, size_t len, uint32_t col)
{
    uint32_t c = 1;
    for (size_t i = 0; i < len && c < col; c++) {
        long cp;
        size_t n = utf8_decode((const unsigned char *)s + i, len - i, &cp);
        if (cp == '\t') {
            fputc('\t', out);
        } else {
            size_t w = cp < 0 || cp < 0x20 || cp == 0x7f ? 4 : cp_unsafe(cp) ? 6 : 1;
            for (size_t k = 0; k < w; k++)
                fputc(' ', out);
        }
        i += n;
    }
    for (; c < col; c++) /* a column past the end of the line */
        fputc(' ', out);
}

/* ---------------------------------------------------------------------------------------
 * Source lines
 * ------------------------------------------------------------------------------------- */

/* Finds line `line` of the current source: *start and *len (without the newline).  False
 * when the line is not in the source. */
static bool find_line(ps_diag *d, uint32_t line, size_t *start, size_t *len)
{
    if (!d->src || line == 0)
        return false;
    uint32_t l = d->hint_line;
    size_t off = d->hint_off;
    if (l == 0 || off > d->srclen || line < l) {
        /* walk back from the hint, or restart from the top when the hint is unusable */
        if (l == 0 || off > d->srclen || line * 2 < l) {
            l = 1;
            off = 0;
        } else {
            while (l > line && off > 0) {
                off--; /* now on the newline that ends line l-1 */
                while (off > 0 && d->src[off - 1] != '\n')
                    off--;
                l--;
            }
        }
    }
    while (l < line) {
        const char *nl = memchr(d->src + off, '\n', d->srclen - off);
        if (!nl)
            return false;
        off = (size_t)(nl - d->src) + 1;
        l++;
    }
    const char *nl = memchr(d->src + off, '\n', d->srclen - off);
    size_t end = nl ? (size_t)(nl - d->src) : d->srclen;
    if (end > off && d->src[end - 1] == '\r')
        end--;
    d->hint_line = l;
    d->hint_off = off;
    *start = off;
    *len = end - off;
    return true;
}

/* Byte offset of column `col` (1-based, counted in code points) in s[0..len). */
static size_t col_offset(const char *s, size_t len, uint32_t col)
{
    size_t i = 0;
    for (uint32_t c = 1; c < col && i < len; c++) {
        long cp;
        i += utf8_decode((const unsigned char *)s + i, len - i, &cp);
    }
    return i;
}

/* Moves `i` back to the start of the UTF-8 sequence it is in. */
static size_t cp_start(const char *s, size_t i)
{
    int back = 0;
    while (i > 0 && back < 3 && ((unsigned char)s[i] & 0xc0) == 0x80) {
        i--;
        back++;
    }
    return i;
}

/* Counts the code points in s[0..len). */
static uint32_t count_cps(const char *s, size_t len)
{
    uint32_t c = 0;
    for (size_t i = 0; i < len; c++) {
        long cp;
        i += utf8_decode((const unsigned char *)s + i, len - i, &cp);
    }
    return c;
}

/* Copies the source line of e->loc (or a window of it) into e. */
static void attach_source(ps_diag *d, ps_diag_entry *e)
{
    size_t start, len;
    if (e->loc.col == 0 || !find_line(d, e->loc.line, &start, &len))
        return;
    const char *line = d->src + start;
    size_t from = 0, to = len;
    if (len > DIAG_WINDOW) {
        size_t at = col_offset(line, len, e->loc.col);
        from = at > DIAG_WINDOW / 2 ? cp_start(line, at - DIAG_WINDOW / 2) : 0;
        to = from + DIAG_WINDOW < len ? cp_start(line, from + DIAG_WINDOW) : len;
        if (to < at)
            to = at;
    }
    e->src = malloc(to - from + 1);
    if (!e->src) {
        d->oom = d->lost = true;
        return;
    }
    memcpy(e->src, line + from, to - from);
    e->src[to - from] = 0;
    e->src_col = e->loc.col - count_cps(line, from);
    e->src_cut_left = from > 0;
    e->src_cut_right = to < len;
}

/* ---------------------------------------------------------------------------------------
 * Reporting
 * ------------------------------------------------------------------------------------- */

void ps_diag_vreport(ps_diag *d, ps_diag_level level, ps_loc loc, const char *fmt, va_list ap)
{
    if (level == PS_DIAG_ERROR) {
        if (++d->nerrors > d->max_errors)
            return;
    } else if (++d->nwarnings > PS_DIAG_MAX_WARNINGS) {
        return;
    }
    if (d->n == d->cap) {
        uint32_t ncap = d->cap ? d->cap * 2 : 16;
        ps_diag_entry *v = realloc(d->v, ncap * sizeof *v);
        if (!v) {
            d->oom = d->lost = true;
            return;
        }
        d->v = v;
        d->cap = ncap;
    }
    ps_diag_entry *e = &d->v[d->n];
    memset(e, 0, sizeof *e);
    e->level = (uint8_t)level;
    e->loc = loc;
    e->seq = d->n;
    char buf[512];
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    if (n < 0)
        n = 0;
    e->msg = strdup(buf); /* messages are short; a longer one is cut at sizeof buf */
    e->path = strdup(d->path ? d->path : "<input>");
    if (!e->msg || !e->path) {
        free(e->msg);
        free(e->path);
        d->oom = d->lost = true;
        return;
    }
    attach_source(d, e);
    d->n++;
}

void ps_diag_error(ps_diag *d, ps_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ps_diag_vreport(d, PS_DIAG_ERROR, loc, fmt, ap);
    va_end(ap);
}

void ps_diag_warning(ps_diag *d, ps_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ps_diag_vreport(d, PS_DIAG_WARNING, loc, fmt, ap);
    va_end(ap);
}

/* ---------------------------------------------------------------------------------------
 * Printing
 * ------------------------------------------------------------------------------------- */

static void put_locus(FILE *out, const char *path, ps_loc loc, bool color)
{
    if (color)
        fputs(COL_LOCUS, out);
    ps_write_escaped(out, path, strlen(path), false);
    if (loc.line) {
        fprintf(out, ":%u", (unsigned)loc.line);
        if (loc.col)
            fprintf(out, ":%u", (unsigned)loc.col);
    }
    fputc(':', out);
    if (color)
        fputs(COL_RESET, out);
}

static void put_level(FILE *out, const char *word, const char *col, bool color)
{
    fputc(' ', out);
    if (color)
        fputs(col, out);
    fprintf(out, "%s:", word);
    if (color)
        fputs(COL_RESET, out);
    fputc(' ', out);
}

void ps_diag_print_entry(const ps_diag_entry *e, FILE *out, bool color)
{
    bool err = e->level == PS_DIAG_ERROR;
    put_locus(out, e->path, e->loc, color);
    put_level(out, err ? "error" : "warning", err ? COL_ERROR : COL_WARNING, color);
    ps_write_escaped(out, e->msg, strlen(e->msg), false);
    fputc('\n', out);
    if (!e->src)
        return;
    char num[16];
    int w = snprintf(num, sizeof num, "%u", (unsigned)e->loc.line);
    if (w < 4)
        w = 4;
    fprintf(out, " %*s | ", w, num);
    if (e->src_cut_left)
        fputs("...", out);
    size_t len = strlen(e->src);
    ps_write_escaped(out, e->src, len, true);
    if (e->src_cut_right)
        fputs("...", out);
    fprintf(out, "\n %*s | ", w, "");
    if (e->src_cut_left)
        fputs("   ", out);
    put_caret_pad(out, e->src, len, e->src_col);
    fputs(color ? COL_CARET "^" COL_RESET "\n" : "^\n", out);
}

/* Sort order: file name, line, column, order of arrival. */
static int cmp_entry(const void *pa, const void *pb)
{
    const ps_diag_entry *a = *(const ps_diag_entry *const *)pa;
    const ps_diag_entry *b = *(const ps_diag_entry *const *)pb;
    int pc = strcmp(a->path, b->path);
    if (pc)
        return pc;
    if (a->loc.line != b->loc.line)
        return a->loc.line < b->loc.line ? -1 : 1;
    if (a->loc.col != b->loc.col)
        return a->loc.col < b->loc.col ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int cmp_entry_value(const void *pa, const void *pb)
{
    const ps_diag_entry *a = pa, *b = pb;
    return cmp_entry(&a, &b);
}

void ps_diag_sort(ps_diag *d)
{
    if (d->n > 1)
        qsort(d->v, d->n, sizeof *d->v, cmp_entry_value);
}

void ps_diag_print(const ps_diag *d, FILE *out, bool color)
{
    const ps_diag_entry **order = malloc((d->n ? d->n : 1) * sizeof *order);
    for (uint32_t i = 0; i < d->n; i++) {
        if (order)
            order[i] = &d->v[i];
        else
            ps_diag_print_entry(&d->v[i], out, color); /* unsorted rather than nothing */
    }
    if (order) {
        qsort(order, d->n, sizeof *order, cmp_entry);
        for (uint32_t i = 0; i < d->n; i++)
            ps_diag_print_entry(order[i], out, color);
        free(order);
    }
    const char *path = d->n ? d->v[d->n - 1].path : d->path ? d->path : "<input>";
    ps_loc none = {0, 0};
    if (d->nerrors > d->max_errors) {
        put_locus(out, path, none, color);
        put_level(out, "error", COL_ERROR, color);
        fprintf(out, "too many errors; stopped after %u\n", (unsigned)d->max_errors);
    }
    if (d->nwarnings > PS_DIAG_MAX_WARNINGS) {
        put_locus(out, path, none, color);
        put_level(out, "note", COL_NOTE, color);
        fprintf(out, "%u more warnings not shown\n",
                (unsigned)(d->nwarnings - PS_DIAG_MAX_WARNINGS));
    }
    if (d->lost) {
        put_locus(out, path, none, color);
        put_level(out, "note", COL_NOTE, color);
        fputs("some diagnostics were lost: out of memory\n", out);
    }
}

bool ps_diag_want_color(FILE *out)
{
    const char *nc = getenv("NO_COLOR");
    if (nc && *nc)
        return false;
    int fd = fileno(out);
    return fd >= 0 && isatty(fd);
}
