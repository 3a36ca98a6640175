/* json.c - the streaming JSON writer (see json.h). */
#include "json.h"
#include "version.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 if it is not one:
 * no overlong forms, no surrogates, nothing above U+10FFFF. */
static size_t utf8_valid(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) { len = 2; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { len = 3; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { len = 4; min = 0x10000; }
    else return 0;
    if (n < len)
        return 0;
    unsigned cp = c & (len == 2 ? 0x1f : len == 3 ? 0x0f : 0x07);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

/* Writes the quoted, escaped string; the caller holds the lock of `out`. */
static void put_string(FILE *out, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)(str ? str : "");
    if (!str)
        n = 0;
    putc_unlocked('"', out);
    size_t i = 0;
    while (i < n) {
        /* the run of bytes that need no escape goes out in one write */
        size_t run = i;
        while (i < n && s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"' && s[i] != '\\')
            i++;
        if (i > run)
            fwrite(s + run, 1, i - run, out);
        if (i >= n)
            break;
        unsigned char c = s[i];
        if (c >= 0x80) {
            size_t len = utf8_valid(s + i, n - i);
            if (len) {
                fwrite(s + i, 1, len, out);
                i += len;
            } else {
                fputs("\\ufffd", out); /* not UTF-8: the replacement character */
                i++;
            }
            continue;
        }
        switch (c) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default: fprintf(out, "\\u%04x", c); break;
        }
        i++;
    }
    putc_unlocked('"', out);
}

void ps_json_str_n(FILE *out, const char *s, size_t n)
{
    flockfile(out);
    put_string(out, s, n);
    funlockfile(out);
}

void ps_json_str(FILE *out, const char *s)
{
    ps_json_str_n(out, s, s ? strlen(s) : 0);
}

void ps_json_init(ps_json *j, FILE *out, uint32_t lines_at)
{
    memset(j, 0, sizeof *j);
    j->out = out;
    j->lines_at = lines_at;
    flockfile(out); /* one lock for the whole document, not one a character */
}

void ps_json_finish(ps_json *j)
{
    putc_unlocked('\n', j->out);
    funlockfile(j->out);
}

void ps_json_finish_value(ps_json *j)
{
    funlockfile(j->out);
}

/* Separates a value from the one before it in its container. */
static void before_value(ps_json *j)
{
    if (j->after_key) {
        j->after_key = false;
        return;
    }
    if (j->depth == 0)
        return;
    uint32_t d = j->depth < PS_JSON_MAX_DEPTH ? j->depth : PS_JSON_MAX_DEPTH - 1;
    if (!j->first[d])
        putc_unlocked(',', j->out);
    j->first[d] = false;
    if (j->lines_at && j->depth == j->lines_at + 1)
        putc_unlocked('\n', j->out);
}

static void container_open(ps_json *j, char c)
{
    before_value(j);
    putc_unlocked(c, j->out);
    j->depth++;
    if (j->depth < PS_JSON_MAX_DEPTH)
        j->first[j->depth] = true;
}

static void container_close(ps_json *j, char c)
{
    if (j->depth)
        j->depth--;
    putc_unlocked(c, j->out);
}

void ps_json_object(ps_json *j) { container_open(j, '{'); }
void ps_json_object_end(ps_json *j) { container_close(j, '}'); }
void ps_json_array(ps_json *j) { container_open(j, '['); }
void ps_json_array_end(ps_json *j) { container_close(j, ']'); }

void ps_json_key(ps_json *j, const char *key)
{
    uint32_t d = j->depth < PS_JSON_MAX_DEPTH ? j->depth : PS_JSON_MAX_DEPTH - 1;
    if (!j->first[d])
        putc_unlocked(',', j->out);
    j->first[d] = false;
    put_string(j->out, key, strlen(key));
    putc_unlocked(':', j->out);
    j->after_key = true;
}

void ps_json_string(ps_json *j, const char *s)
{
    if (!s) {
        ps_json_null(j);
        return;
    }
    before_value(j);
    put_string(j->out, s, strlen(s));
}

void ps_json_string_n(ps_json *j, const char *s, size_t n)
{
    before_value(j);
    put_string(j->out, s, n);
}

/* Writes v in decimal (faster than printf, which large documents notice). */
static void put_u64(FILE *out, uint64_t v, bool negative)
{
    char buf[24];
    size_t i = sizeof buf;
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (negative)
        buf[--i] = '-';
    fwrite(buf + i, 1, sizeof buf - i, out);
}

void ps_json_uint(ps_json *j, uint64_t v)
{
    before_value(j);
    put_u64(j->out, v, false);
}

void ps_json_int(ps_json *j, int64_t v)
{
    before_value(j);
    put_u64(j->out, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, v < 0);
}

void ps_json_double(ps_json *j, double v)
{
    if (!isfinite(v)) {
        ps_json_null(j);
        return;
    }
    before_value(j);
    if (v == floor(v) && fabs(v) < 9007199254740992.0) {
        fprintf(j->out, "%.0f", v);
        return;
    }
    /* the shortest of 15, 16, 17 digits that reads back as the same double */
    char buf[32];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    fputs(buf, j->out);
}

void ps_json_bool(ps_json *j, bool v)
{
    before_value(j);
    fputs(v ? "true" : "false", j->out);
}

void ps_json_null(ps_json *j)
{
    before_value(j);
    fputs("null", j->out);
}

void ps_json_kstr(ps_json *j, const char *key, const char *s)
{
    ps_json_key(j, key);
    ps_json_string(j, s);
}

void ps_json_kuint(ps_json *j, const char *key, uint64_t v)
{
    ps_json_key(j, key);
    ps_json_uint(j, v);
}

void ps_json_kbool(ps_json *j, const char *key, bool v)
{
    ps_json_key(j, key);
    ps_json_bool(j, v);
}

void ps_json_kobject(ps_json *j, const char *key)
{
    ps_json_key(j, key);
    ps_json_object(j);
}

void ps_json_karray(ps_json *j, const char *key)
{
    ps_json_key(j, key);
    ps_json_array(j);
}

void ps_json_schema(ps_json *j, const char *kind, unsigned version)
{
    char buf[96];
    snprintf(buf, sizeof buf, "privsim.%s/%u", kind, version);
    ps_json_kstr(j, "schema", buf);
    ps_json_kstr(j, "privsim", PS_VERSION);
}
