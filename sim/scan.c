/* scan.c - the hand-written tokenizer of .psim files (see scan.h).
 *
 * Every physical line is measured once with memchr when the scanner enters it: that gives
 * the line-length check and a bound for the inner loops.  Tokens point into the buffer; the
 * scanner never allocates.
 */
#include "scan.h"

#include <string.h>

/* Character classes. */
enum { C_OTHER, C_SPACE, C_IDSTART, C_IDCONT };

static unsigned char char_class(unsigned char c)
{
    if (c == ' ' || c == '\t' || c == '\r')
        return C_SPACE;
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_')
        return C_IDSTART;
    if ((c >= '0' && c <= '9') || c == '.' || c == '-')
        return C_IDCONT;
    return C_OTHER;
}

static unsigned char classes[256];
static bool classes_ready;

static void init_classes(void)
{
    if (classes_ready)
        return;
    for (int c = 0; c < 256; c++)
        classes[c] = char_class((unsigned char)c);
    classes_ready = true; /* idempotent: racing initializers write the same bytes */
}

/* Sets up the line that starts at s->pos. */
static void enter_line(ps_scanner *s)
{
    const char *nl = memchr(s->buf + s->pos, '\n', s->len - s->pos);
    s->line_start = s->pos;
    s->line_end = nl ? (size_t)(nl - s->buf) : s->len;
    s->long_line = s->line_end - s->pos > PS_MAX_LINE;
    if (s->d)
        ps_diag_line_hint(s->d, s->line, s->pos);
}

void ps_scan_init(ps_scanner *s, const char *buf, size_t len, ps_diag *d)
{
    init_classes();
    s->buf = buf;
    s->len = len;
    s->pos = 0;
    s->line = 1;
    s->col = 1;
    s->d = d;
    enter_line(s);
}

void ps_scan_seek(ps_scanner *s, size_t off, uint32_t line, uint32_t col)
{
    size_t start = off;
    while (start > 0 && s->buf[start - 1] != '\n')
        start--;
    s->pos = start;
    s->line = line;
    enter_line(s);
    s->pos = off;
    s->col = col;
}

/* Consumes the newline at s->pos and enters the next line. */
static void next_line(ps_scanner *s)
{
    s->pos++;
    s->line++;
    s->col = 1;
    enter_line(s);
}

static void make(ps_scanner *s, ps_token *t, ps_tok_kind kind, size_t start, uint32_t col)
{
    t->kind = (uint8_t)kind;
    t->p = s->buf + start;
    t->len = (uint32_t)(s->pos - start);
    t->off = start;
    t->loc.line = s->line;
    t->loc.col = col;
}

/* A backslash at s->pos: true (and the next line entered) when only blanks follow it on
 * its line. */
static bool continuation(ps_scanner *s)
{
    size_t i = s->pos + 1;
    while (i < s->line_end && classes[(unsigned char)s->buf[i]] == C_SPACE)
        i++;
    if (i != s->line_end || i >= s->len)
        return false;
    s->pos = i;
    next_line(s);
    return true;
}

/* A string starting at the quote at s->pos. */
static void scan_string(ps_scanner *s, ps_token *t)
{
    size_t start = s->pos;
    uint32_t col = s->col;
    ps_loc qloc = {s->line, col};
    bool bad = false;
    s->pos++;
    s->col++;
    while (s->pos < s->line_end) {
        unsigned char c = (unsigned char)s->buf[s->pos];
        if (c == '"') {
            s->pos++;
            s->col++;
            make(s, t, bad ? PS_TOK_ERROR : PS_TOK_STRING, start, col);
            if (!bad) {
                t->p++;
                t->len -= 2;
            }
            return;
        }
        ps_loc here = {s->line, s->col};
        if (c == '\\') {
            char e = s->pos + 1 < s->line_end ? s->buf[s->pos + 1] : 0;
            if (e == '"' || e == '\\') {
                s->pos += 2;
                s->col += 2;
                continue;
            }
            if (!bad && s->d)
                ps_diag_error(s->d, here,
                              "unknown escape in string; only \\\" and \\\\ are allowed");
            bad = true;
        } else if ((c < 0x20 && c != '\t') || c == 0x7f) {
            if (!bad && s->d)
                ps_diag_error(s->d, here, "control character 0x%02x in string", c);
            bad = true;
        } else if (c == 0xc2 && s->pos + 1 < s->line_end &&
                   (unsigned char)s->buf[s->pos + 1] < 0xa0) {
            /* U+0080..U+009F, the C1 controls (0xc2 0x80..0x9f in UTF-8) */
            if (!bad && s->d)
                ps_diag_error(s->d, here, "control character U+%04X in string",
                              (unsigned char)s->buf[s->pos + 1]);
            bad = true;
        }
        s->pos++;
        if ((c & 0xc0) != 0x80)
            s->col++;
    }
    if (s->d)
        ps_diag_error(s->d, qloc, "unterminated string");
    make(s, t, PS_TOK_ERROR, start, col);
}

/* An unexpected character at s->pos. */
static void scan_unexpected(ps_scanner *s, ps_token *t)
{
    size_t start = s->pos;
    unsigned char c = (unsigned char)s->buf[s->pos];
    size_t n = 1;
    while (start + n < s->line_end && ((unsigned char)s->buf[start + n] & 0xc0) == 0x80 &&
           n < 4)
        n++;
    ps_loc loc = {s->line, s->col};
    if (s->d) {
        if (c < 0x20 || c == 0x7f)
            ps_diag_error(s->d, loc, "unexpected control character 0x%02x", (unsigned)c);
        else if (c == '\\')
            ps_diag_error(s->d, loc, "unexpected '\\' (a backslash continues a statement "
                                     "only at the end of a line)");
        else
            ps_diag_error(s->d, loc, "unexpected character '%.*s'", (int)n, s->buf + start);
    }
    s->pos += n;
    s->col++;
    make(s, t, PS_TOK_ERROR, start, loc.col);
}

void ps_scan_next(ps_scanner *s, ps_token *t)
{
    for (;;) {
        if (s->long_line) {
            /* report once, at the first byte past the limit, and drop the line */
            size_t start = s->pos;
            if (s->d) {
                ps_loc loc = {s->line, ps_utf8_column(s->buf + s->line_start, PS_MAX_LINE)};
                ps_diag_error(s->d, loc, "line is longer than %d bytes", PS_MAX_LINE);
            }
            s->long_line = false;
            s->pos = s->line_end;
            make(s, t, PS_TOK_ERROR, start, s->col);
            return;
        }
        if (s->pos >= s->len) {
            make(s, t, PS_TOK_EOF, s->pos, s->col);
            return;
        }
        unsigned char c = (unsigned char)s->buf[s->pos];
        switch (classes[c]) {
        case C_SPACE:
            s->pos++;
            s->col++;
            continue;
        case C_IDSTART: {
            size_t start = s->pos;
            size_t i = s->pos + 1;
            while (i < s->line_end && classes[(unsigned char)s->buf[i]] >= C_IDSTART)
                i++;
            uint32_t col = s->col;
            s->col += (uint32_t)(i - start);
            s->pos = i;
            if (i - start > PS_MAX_NAME) {
                ps_loc loc = {s->line, col};
                if (s->d)
                    ps_diag_error(s->d, loc, "name is longer than %d bytes", PS_MAX_NAME);
                make(s, t, PS_TOK_ERROR, start, col);
            } else {
                make(s, t, PS_TOK_IDENT, start, col);
            }
            return;
        }
        default:
            break;
        }
        size_t start = s->pos;
        uint32_t col = s->col;
        switch (c) {
        case '\n':
            make(s, t, PS_TOK_END, start, col);
            t->len = 0;
            next_line(s);
            return;
        case '#':
            s->pos = s->line_end;
            continue;
        case '"':
            scan_string(s, t);
            return;
        case '\\':
            if (continuation(s))
                continue;
            scan_unexpected(s, t);
            return;
        case '=': case ',': case '|': case ':':
            s->pos++;
            s->col++;
            make(s, t, c == '=' ? PS_TOK_EQ : c == ',' ? PS_TOK_COMMA
                       : c == '|' ? PS_TOK_BAR : PS_TOK_COLON, start, col);
            return;
        default:
            scan_unexpected(s, t);
            return;
        }
    }
}

size_t ps_scan_unescape(const ps_token *t, char *out)
{
    size_t n = 0;
    for (uint32_t i = 0; i < t->len; i++) {
        if (t->p[i] == '\\' && i + 1 < t->len)
            i++;
        out[n++] = t->p[i];
    }
    out[n] = 0;
    return n;
}

/* ---------------------------------------------------------------------------------------
 * UTF-8
 * ------------------------------------------------------------------------------------- */

size_t ps_utf8_invalid(const char *buf, size_t len)
{
    const unsigned char *s = (const unsigned char *)buf;
    size_t i = 0;
    while (i < len) {
        /* fast path: eight ASCII bytes at a time */
        if (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!(w & 0x8080808080808080ull)) {
                i += 8;
                continue;
            }
        }
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned lo = 0x80, hi = 0xbf; /* allowed range of the second byte */
        if (c >= 0xc2 && c <= 0xdf) {
            n = 2;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 3;
            if (c == 0xe0)
                lo = 0xa0;   /* overlong */
            else if (c == 0xed)
                hi = 0x9f;   /* surrogates */
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 4;
            if (c == 0xf0)
                lo = 0x90;
            else if (c == 0xf4)
                hi = 0x8f;   /* past U+10FFFF */
        } else {
            return i;
        }
        if (i + n > len)
            return i;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return i;
        for (size_t k = 2; k < n; k++)
            if ((s[i + k] & 0xc0) != 0x80)
                return i;
        i += n;
    }
    return len;
}

uint32_t ps_utf8_column(const char *line, size_t off)
{
    uint32_t col = 1;
    for (size_t i = 0; i < off; i++)
        if (((unsigned char)line[i] & 0xc0) != 0x80)
            col++;
    return col;
}
