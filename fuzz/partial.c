/* partial.c - a fuzz search in shares: see partial.h.
 *
 * Encoding (machine layout, every field by name): u32 ncands, u32 nshapes, u64 feat[2],
 * u64 points, u64 evaluations, f64 seconds, u8 complete, u32 corpus, nbaseline, nwritten;
 * then each candidate (u64 shape, u8 severity, u32 item, viewer, dist, u64 found_at, the
 * point's ndims bytes); then the shapes (u64 each).
 */
#include "partial.h"
#include "wire.h"

#include <stdlib.h>
#include <string.h>

int ps_fuzz_partial_encode(const ps_fuzz_partial *p, uint32_t ndims, uint8_t **out,
                           size_t *len)
{
    ps_wbuf b = {0};
    uint8_t complete = p->complete;
    ps_wbuf_u32(&b, p->ncands);
    ps_wbuf_u32(&b, p->nshapes);
    ps_wbuf_u64(&b, p->feat[0]);
    ps_wbuf_u64(&b, p->feat[1]);
    ps_wbuf_u64(&b, p->points);
    ps_wbuf_u64(&b, p->evaluations);
    ps_wbuf_put(&b, &p->seconds, sizeof p->seconds);
    ps_wbuf_put(&b, &complete, 1);
    ps_wbuf_u32(&b, p->corpus);
    ps_wbuf_u32(&b, p->nbaseline);
    ps_wbuf_u32(&b, p->nwritten);
    for (uint32_t i = 0; i < p->ncands; i++) {
        const ps_fuzz_candidate *c = &p->cands[i];
        ps_wbuf_u64(&b, c->shape);
        ps_wbuf_put(&b, &c->severity, 1);
        ps_wbuf_u32(&b, c->item);
        ps_wbuf_u32(&b, c->viewer);
        ps_wbuf_u32(&b, c->dist);
        ps_wbuf_u64(&b, c->found_at);
        ps_wbuf_put(&b, c->point, ndims);
    }
    for (uint32_t i = 0; i < p->nshapes; i++)
        ps_wbuf_u64(&b, p->shapes[i]);
    *out = ps_wbuf_take(&b, len);
    return *out ? 0 : -1;
}

int ps_fuzz_partial_decode(const uint8_t *buf, size_t len, uint32_t ndims,
                           ps_fuzz_partial **out)
{
    *out = NULL;
    ps_rbuf b = ps_rbuf_of(buf, len);
    ps_fuzz_partial *p = calloc(1, sizeof *p);
    if (!p)
        return -1;
    int rc = -2;
    uint8_t complete = 0;
    uint32_t ncands = ps_rbuf_u32(&b), nshapes = ps_rbuf_u32(&b);
    p->feat[0] = ps_rbuf_u64(&b);
    p->feat[1] = ps_rbuf_u64(&b);
    p->points = ps_rbuf_u64(&b);
    p->evaluations = ps_rbuf_u64(&b);
    ps_rbuf_get(&b, &p->seconds, sizeof p->seconds);
    ps_rbuf_get(&b, &complete, 1);
    p->complete = complete != 0;
    p->corpus = ps_rbuf_u32(&b);
    p->nbaseline = ps_rbuf_u32(&b);
    p->nwritten = ps_rbuf_u32(&b);
    /* a candidate takes 29 + ndims bytes, a shape 8 */
    if (!ps_rbuf_fits(&b, ncands, 29 + (size_t)ndims) || !ps_rbuf_fits(&b, nshapes, 8))
        goto out;
    rc = -1;
    p->cands = calloc(ncands ? ncands : 1, sizeof *p->cands);
    p->shapes = malloc((nshapes ? nshapes : 1) * sizeof *p->shapes);
    if (!p->cands || !p->shapes)
        goto out;
    for (uint32_t i = 0; i < ncands; i++) {
        ps_fuzz_candidate *c = &p->cands[i];
        c->point = malloc(ndims ? ndims : 1);
        if (!c->point)
            goto out;
        p->ncands++;
        c->shape = ps_rbuf_u64(&b);
        ps_rbuf_get(&b, &c->severity, 1);
        c->item = ps_rbuf_u32(&b);
        c->viewer = ps_rbuf_u32(&b);
        c->dist = ps_rbuf_u32(&b);
        c->found_at = ps_rbuf_u64(&b);
        ps_rbuf_get(&b, c->point, ndims);
    }
    for (uint32_t i = 0; i < nshapes; i++)
        p->shapes[i] = ps_rbuf_u64(&b);
    p->nshapes = nshapes;
    rc = b.err || b.off != b.n ? -2 : 0;
out:
    if (rc)
        ps_fuzz_partial_free(p);
    else
        *out = p;
    return rc;
}

/* The union of two ascending arrays of shapes, into a new array. */
static int union_shapes(const ps_fuzz_partial *a, const ps_fuzz_partial *b, uint64_t **out,
                        uint32_t *n)
{
    uint64_t *u = malloc(((size_t)a->nshapes + b->nshapes + 1) * sizeof *u);
    if (!u)
        return -1;
    uint32_t i = 0, j = 0, k = 0;
    while (i < a->nshapes || j < b->nshapes) {
        if (j == b->nshapes || (i < a->nshapes && a->shapes[i] < b->shapes[j]))
            u[k++] = a->shapes[i++];
        else if (i == a->nshapes || b->shapes[j] < a->shapes[i])
            u[k++] = b->shapes[j++];
        else {
            u[k++] = a->shapes[i++];
            j++;
        }
    }
    *out = u;
    *n = k;
    return 0;
}

int ps_fuzz_partial_merge(ps_fuzz_partial *into, ps_fuzz_partial *later)
{
    uint64_t *shapes;
    uint32_t nshapes;
    if (union_shapes(into, later, &shapes, &nshapes))
        return -1;
    ps_fuzz_candidate *c = realloc(into->cands, ((size_t)into->ncands + later->ncands + 1) *
                                                    sizeof *c);
    if (!c) {
        free(shapes);
        return -1;
    }
    into->cands = c;
    free(into->shapes);
    into->shapes = shapes;
    into->nshapes = nshapes;
    uint32_t before = into->ncands;
    for (uint32_t i = 0; i < later->ncands; i++) {
        ps_fuzz_candidate *l = &later->cands[i];
        uint32_t k = 0;
        while (k < before && into->cands[k].shape != l->shape)
            k++;
        if (k == before) {
            /* first seen in this share: after every shape of the earlier ones */
            into->cands[into->ncands++] = *l;
            l->point = NULL;
            continue;
        }
        /* seen earlier: the later point wins only when strictly better, as in one search */
        ps_fuzz_candidate *f = &into->cands[k];
        if (l->severity > f->severity || (l->severity == f->severity && l->dist < f->dist)) {
            uint8_t *t = f->point;
            f->point = l->point;
            l->point = t;
            f->severity = l->severity;
            f->item = l->item;
            f->viewer = l->viewer;
            f->dist = l->dist;
        }
    }
    into->feat[0] |= later->feat[0];
    into->feat[1] |= later->feat[1];
    into->points += later->points;
    into->evaluations += later->evaluations;
    if (later->seconds > into->seconds)
        into->seconds = later->seconds;
    into->complete |= later->complete;
    into->corpus += later->corpus;
    return 0;
}
