/* wire.c - results as bytes: see wire.h. */
#include "wire.h"

#include <stdlib.h>
#include <string.h>

void ps_wbuf_put(ps_wbuf *b, const void *src, size_t len)
{
    if (b->err || !len)
        return;
    if (b->n + len > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + len)
            cap *= 2;
        uint8_t *p = realloc(b->p, cap);
        if (!p) {
            b->err = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, src, len);
    b->n += len;
}

void ps_wbuf_u32(ps_wbuf *b, uint32_t v) { ps_wbuf_put(b, &v, sizeof v); }
void ps_wbuf_u64(ps_wbuf *b, uint64_t v) { ps_wbuf_put(b, &v, sizeof v); }

uint8_t *ps_wbuf_take(ps_wbuf *b, size_t *len)
{
    uint8_t *p = b->err ? NULL : b->p;
    *len = b->err ? 0 : b->n;
    if (b->err)
        free(b->p);
    else if (!p)
        p = malloc(1); /* an empty result is still a result */
    *b = (ps_wbuf){0};
    return p;
}

void ps_wbuf_free(ps_wbuf *b)
{
    free(b->p);
    *b = (ps_wbuf){0};
}

void ps_rbuf_get(ps_rbuf *b, void *dst, size_t len)
{
    if (b->err || len > b->n - b->off) {
        b->err = true;
        memset(dst, 0, len);
        return;
    }
    memcpy(dst, b->p + b->off, len);
    b->off += len;
}

uint32_t ps_rbuf_u32(ps_rbuf *b)
{
    uint32_t v;
    ps_rbuf_get(b, &v, sizeof v);
    return v;
}

uint64_t ps_rbuf_u64(ps_rbuf *b)
{
    uint64_t v;
    ps_rbuf_get(b, &v, sizeof v);
    return v;
}

bool ps_rbuf_fits(const ps_rbuf *b, uint64_t n, size_t size)
{
    return !b->err && (!size || n <= (b->n - b->off) / size);
}
