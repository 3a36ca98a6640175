/* json_read.c - the JSON reader (see json_read.h). */
#include "json_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *s;
    size_t len, pos;
    char *err;
    size_t errlen;
    int depth;
    bool oom;
} reader;

static int fail(reader *r, const char *msg)
{
    if (r->err && !r->err[0])
        snprintf(r->err, r->errlen, "%s", msg);
    return -1;
}

static void skip_ws(reader *r)
{
    while (r->pos < r->len && strchr(" \t\r\n", r->s[r->pos]) && r->s[r->pos])
        r->pos++;
}

static int parse_value(reader *r, ps_jv *v);

static int hex4(reader *r, unsigned *out)
{
    if (r->len - r->pos < 4)
        return fail(r, "a \\u escape needs four hex digits");
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = r->s[r->pos++];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return fail(r, "a \\u escape needs four hex digits");
    }
    *out = v;
    return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xc0 | cp >> 6); o[1] = (char)(0x80 | (cp & 63)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xe0 | cp >> 12); o[1] = (char)(0x80 | (cp >> 6 & 63));
        o[2] = (char)(0x80 | (cp & 63)); return 3;
    }
    o[0] = (char)(0xf0 | cp >> 18); o[1] = (char)(0x80 | (cp >> 12 & 63));
    o[2] = (char)(0x80 | (cp >> 6 & 63)); o[3] = (char)(0x80 | (cp & 63)); return 4;
}

/* Reads a string (the opening quote already seen) into a new buffer. */
static int parse_string(reader *r, char **out)
{
    size_t cap = 16, n = 0;
    char *b = malloc(cap);
    if (!b) {
        r->oom = true;
        return -1;
    }
    for (;;) {
        if (r->pos >= r->len) {
            free(b);
            return fail(r, "unterminated string");
        }
        if (n + 8 > cap) {
            char *nb = realloc(b, cap *= 2);
            if (!nb) {
                free(b);
                r->oom = true;
                return -1;
            }
            b = nb;
        }
        unsigned char c = (unsigned char)r->s[r->pos++];
        if (c == '"')
            break;
        if (c < 0x20) {
            free(b);
            return fail(r, "a control character in a string");
        }
        if (c != '\\') {
            b[n++] = (char)c;
            continue;
        }
        if (r->pos >= r->len) {
            free(b);
            return fail(r, "unterminated string");
        }
        char e = r->s[r->pos++];
        const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
        const char *k = e ? strchr(from, e) : NULL;
        if (k) {
            b[n++] = to[k - from];
            continue;
        }
        unsigned cp;
        if (e != 'u' || hex4(r, &cp)) {
            free(b);
            return fail(r, "an unknown escape in a string");
        }
        if (cp >= 0xd800 && cp < 0xdc00 && r->len - r->pos >= 6 && r->s[r->pos] == '\\' &&
            r->s[r->pos + 1] == 'u') {
            size_t save = r->pos;
            unsigned lo;
            r->pos += 2;
            if (hex4(r, &lo) == 0 && lo >= 0xdc00 && lo < 0xe000)
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            else
                r->pos = save;
        }
        if (cp >= 0xd800 && cp < 0xe000)
            cp = 0xfffd; /* a lone surrogate */
        n += put_utf8(b + n, cp);
    }
    b[n] = 0;
    *out = b;
    return 0;
}

static int add_child(reader *r, ps_jv *v, ps_jv *child)
{
    if ((v->n & (v->n - 1)) == 0) { /* grow at powers of two */
        ps_jv *nv = realloc(v->v, (v->n ? v->n * 2 : 1) * sizeof *nv);
        if (!nv) {
            r->oom = true;
            return -1;
        }
        v->v = nv;
    }
    v->v[v->n++] = *child;
    return 0;
}

static int parse_container(reader *r, ps_jv *v, bool object)
{
    char close = object ? '}' : ']';
    v->type = object ? PS_JV_OBJECT : PS_JV_ARRAY;
    if (++r->depth > 64)
        return fail(r, "nested too deep");
    skip_ws(r);
    if (r->pos < r->len && r->s[r->pos] == close) {
        r->pos++;
        r->depth--;
        return 0;
    }
    for (;;) {
        ps_jv child;
        memset(&child, 0, sizeof child);
        char *key = NULL;
        skip_ws(r);
        if (object) {
            if (r->pos >= r->len || r->s[r->pos] != '"')
                return fail(r, "expected a member name");
            r->pos++;
            if (parse_string(r, &key))
                return -1;
            skip_ws(r);
            if (r->pos >= r->len || r->s[r->pos] != ':') {
                free(key);
                return fail(r, "expected ':'");
            }
            r->pos++;
        }
        if (parse_value(r, &child)) {
            free(key);
            ps_jv_free(&child);
            return -1;
        }
        child.key = key;
        if (add_child(r, v, &child)) {
            ps_jv_free(&child);
            return -1;
        }
        skip_ws(r);
        if (r->pos < r->len && r->s[r->pos] == ',') {
            r->pos++;
            continue;
        }
        if (r->pos < r->len && r->s[r->pos] == close) {
            r->pos++;
            r->depth--;
            return 0;
        }
        return fail(r, object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static int parse_value(reader *r, ps_jv *v)
{
    skip_ws(r);
    if (r->pos >= r->len)
        return fail(r, "expected a value");
    char c = r->s[r->pos];
    const char *rest = r->s + r->pos;
    size_t left = r->len - r->pos;
    if (c == '{' || c == '[') {
        r->pos++;
        return parse_container(r, v, c == '{');
    }
    if (c == '"') {
        r->pos++;
        v->type = PS_JV_STRING;
        return parse_string(r, &v->str);
    }
    if (left >= 4 && strncmp(rest, "true", 4) == 0) { v->type = PS_JV_BOOL; v->b = true; r->pos += 4; return 0; }
    if (left >= 5 && strncmp(rest, "false", 5) == 0) { v->type = PS_JV_BOOL; r->pos += 5; return 0; }
    if (left >= 4 && strncmp(rest, "null", 4) == 0) { v->type = PS_JV_NULL; r->pos += 4; return 0; }
    if (c == '-' || (c >= '0' && c <= '9')) {
        size_t k = 0;
        char num[64];
        while (k < left && k + 1 < sizeof num && strchr("+-0123456789.eE", rest[k]) && rest[k])
            num[k] = rest[k], k++;
        num[k] = 0;
        char *end;
        v->type = PS_JV_NUMBER;
        v->num = strtod(num, &end);
        if (end == num || (size_t)(end - num) != k)
            return fail(r, "a malformed number");
        r->pos += k;
        return 0;
    }
    return fail(r, "expected a value");
}

int ps_jv_parse(const char *text, size_t len, ps_jv *out, char *err, size_t errlen,
                uint32_t *line, uint32_t *col)
{
    reader r = { text, len, 0, err, errlen, 0, false };
    if (err && errlen)
        err[0] = 0;
    memset(out, 0, sizeof *out);
    int rc = parse_value(&r, out);
    if (rc == 0) {
        skip_ws(&r);
        if (r.pos < r.len)
            rc = fail(&r, "text after the document");
    }
    if (rc) {
        ps_jv_free(out);
        memset(out, 0, sizeof *out);
        uint32_t l = 1, c = 1;
        for (size_t i = 0; i < r.pos && i < len; i++, c++)
            if (text[i] == '\n')
                l++, c = 0;
        if (line)
            *line = l;
        if (col)
            *col = c;
        return r.oom ? -2 : -1;
    }
    return 0;
}

void ps_jv_free(ps_jv *v)
{
    if (!v)
        return;
    for (uint32_t i = 0; i < v->n; i++)
        ps_jv_free(&v->v[i]);
    free(v->v);
    free(v->str);
    free(v->key);
    v->v = NULL;
    v->str = v->key = NULL;
    v->n = 0;
}

const ps_jv *ps_jv_get(const ps_jv *obj, const char *key)
{
    if (!obj || obj->type != PS_JV_OBJECT)
        return NULL;
    for (uint32_t i = 0; i < obj->n; i++)
        if (obj->v[i].key && strcmp(obj->v[i].key, key) == 0)
            return &obj->v[i];
    return NULL;
}

const char *ps_jv_str(const ps_jv *obj, const char *key)
{
    const ps_jv *v = ps_jv_get(obj, key);
    return v && v->type == PS_JV_STRING ? v->str : NULL;
}
