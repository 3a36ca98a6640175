/* report_split.c - one check report from the reports of its parts: see report_split.h.
 *
 * The encoding writes every field by name (no struct padding goes over the wire):
 *   u32 nexposures, u32 nfixes, then each exposure, then each fix.
 */
#include "report_split.h"
#include "wire.h"

#include <stdlib.h>
#include <string.h>

static void put_grant(ps_wbuf *b, const ps_grant *g)
{
    ps_wbuf_put(b, &g->via, 1);
    ps_wbuf_put(b, &g->term, 1);
    ps_wbuf_put(b, &g->depth, sizeof g->depth);
    ps_wbuf_u32(b, g->through);
    ps_wbuf_u32(b, g->ref);
}

static void get_grant(ps_rbuf *b, ps_grant *g)
{
    ps_rbuf_get(b, &g->via, 1);
    ps_rbuf_get(b, &g->term, 1);
    ps_rbuf_get(b, &g->depth, sizeof g->depth);
    g->through = ps_rbuf_u32(b);
    g->ref = ps_rbuf_u32(b);
}

static void put_exposure(ps_wbuf *b, const ps_exposure *x)
{
    uint8_t flags = (uint8_t)(x->at_end | x->platform_only << 1);
    ps_wbuf_u32(b, x->item);
    ps_wbuf_u32(b, x->viewer);
    ps_wbuf_put(b, &x->severity, 1);
    ps_wbuf_put(b, &flags, 1);
    ps_wbuf_u32(b, x->first_step);
    ps_wbuf_u32(b, x->fix_first);
    ps_wbuf_u32(b, x->nfixes);
    ps_wbuf_u32(b, x->path.item);
    ps_wbuf_u32(b, x->path.viewer);
    ps_wbuf_u32(b, x->path.nlinks);
    for (uint32_t k = 0; k < x->path.nlinks && k < PS_PATH_MAX; k++) {
        put_grant(b, &x->path.links[k].grant);
        ps_wbuf_u32(b, x->path.links[k].viewer);
    }
}

static int get_exposure(ps_rbuf *b, ps_exposure *x)
{
    uint8_t flags = 0;
    memset(x, 0, sizeof *x);
    x->item = ps_rbuf_u32(b);
    x->viewer = ps_rbuf_u32(b);
    ps_rbuf_get(b, &x->severity, 1);
    ps_rbuf_get(b, &flags, 1);
    x->at_end = flags & 1;
    x->platform_only = (flags >> 1) & 1;
    x->first_step = ps_rbuf_u32(b);
    x->fix_first = ps_rbuf_u32(b);
    x->nfixes = ps_rbuf_u32(b);
    x->path.item = ps_rbuf_u32(b);
    x->path.viewer = ps_rbuf_u32(b);
    x->path.nlinks = ps_rbuf_u32(b);
    if (x->path.nlinks > PS_PATH_MAX || x->severity >= PS_NSEV)
        return -1;
    for (uint32_t k = 0; k < x->path.nlinks; k++) {
        get_grant(b, &x->path.links[k].grant);
        x->path.links[k].viewer = ps_rbuf_u32(b);
    }
    return b->err ? -1 : 0;
}

static void put_fix(ps_wbuf *b, const ps_fix *f)
{
    ps_wbuf_put(b, &f->kind, 1);
    ps_wbuf_put(b, &f->cat, 1);
    ps_wbuf_put(b, &f->rule, 1);
    ps_wbuf_put(b, &f->rule_value, 1);
    ps_wbuf_u32(b, f->user);
    ps_wbuf_u32(b, f->item);
    ps_wbuf_u32(b, f->user2);
    ps_wbuf_u32(b, f->step);
    ps_wbuf_u32(b, f->app);
    ps_wbuf_u32(b, f->terms.n);
    for (uint32_t k = 0; k < f->terms.n; k++) {
        ps_wbuf_put(b, &f->terms.v[k].kind, 1);
        ps_wbuf_u32(b, f->terms.v[k].ref);
    }
}

/* 0; -1 out of memory; -2 malformed.  On success f->terms is owned by f. */
static int get_fix(ps_rbuf *b, ps_fix *f)
{
    memset(f, 0, sizeof *f);
    ps_rbuf_get(b, &f->kind, 1);
    ps_rbuf_get(b, &f->cat, 1);
    ps_rbuf_get(b, &f->rule, 1);
    ps_rbuf_get(b, &f->rule_value, 1);
    f->user = ps_rbuf_u32(b);
    f->item = ps_rbuf_u32(b);
    f->user2 = ps_rbuf_u32(b);
    f->step = ps_rbuf_u32(b);
    f->app = ps_rbuf_u32(b);
    uint32_t n = ps_rbuf_u32(b);
    if (!ps_rbuf_fits(b, n, 5) || f->kind >= PS_NFIXKINDS)
        return -2;
    if (n) {
        f->terms.v = malloc((size_t)n * sizeof *f->terms.v);
        if (!f->terms.v)
            return -1;
        f->terms.n = n;
        for (uint32_t k = 0; k < n; k++) {
            ps_rbuf_get(b, &f->terms.v[k].kind, 1);
            f->terms.v[k].ref = ps_rbuf_u32(b);
        }
    }
    if (b->err) {
        ps_terms_free(&f->terms);
        return -2;
    }
    return 0;
}

int ps_report_encode(const ps_report *r, uint8_t **out, size_t *len)
{
    ps_wbuf b = {0};
    ps_wbuf_u32(&b, r->nexposures);
    ps_wbuf_u32(&b, r->nfixes);
    for (uint32_t i = 0; i < r->nexposures; i++)
        put_exposure(&b, &r->exposures[i]);
    for (uint32_t i = 0; i < r->nfixes; i++)
        put_fix(&b, &r->fixes[i]);
    *out = ps_wbuf_take(&b, len);
    return *out ? 0 : -1;
}

int ps_report_absorb(ps_report *into, const uint8_t *buf, size_t len)
{
    ps_rbuf b = ps_rbuf_of(buf, len);
    uint32_t nx = ps_rbuf_u32(&b), nf = ps_rbuf_u32(&b);
    /* an exposure takes at least 42 bytes, a fix 28 */
    if (b.err || !ps_rbuf_fits(&b, nx, 42) || !ps_rbuf_fits(&b, nf, 28))
        return -2;
    if ((uint64_t)into->nexposures + nx > UINT32_MAX || (uint64_t)into->nfixes + nf > UINT32_MAX)
        return -1;
    uint32_t x0 = into->nexposures, f0 = into->nfixes;
    size_t cx = (size_t)x0 + nx, cf = (size_t)f0 + nf;
    ps_exposure *xs = realloc(into->exposures, (cx ? cx : 1) * sizeof *xs);
    if (!xs)
        return -1;
    into->exposures = xs;
    ps_fix *fs = realloc(into->fixes, (cf ? cf : 1) * sizeof *fs);
    if (!fs)
        return -1;
    into->fixes = fs;
    for (uint32_t i = 0; i < nx; i++) {
        ps_exposure *x = &xs[x0 + i];
        if (get_exposure(&b, x) || (uint64_t)x->fix_first + x->nfixes > nf)
            return -2;
        x->fix_first += f0;
    }
    /* the exposures count once their fixes are in */
    for (uint32_t i = 0; i < nf; i++) {
        int rc = get_fix(&b, &fs[f0 + i]);
        if (rc)
            return rc;
        into->nfixes++;
    }
    if (b.off != b.n)
        return -2;
    into->nexposures += nx;
    return 0;
}

static int cmp_exposure(const void *a, const void *b)
{
    const ps_exposure *p = a, *q = b;
    if (p->severity != q->severity)
        return p->severity > q->severity ? -1 : 1;
    if (p->item != q->item)
        return p->item < q->item ? -1 : 1;
    return p->viewer < q->viewer ? -1 : p->viewer > q->viewer;
}

int ps_report_seal(ps_report *r)
{
    ps_fix *fixes = malloc((r->nfixes ? r->nfixes : 1) * sizeof *fixes);
    if (!fixes)
        return -1;
    qsort(r->exposures, r->nexposures, sizeof *r->exposures, cmp_exposure);
    uint32_t n = 0;
    for (uint32_t i = 0; i < r->nexposures; i++) {
        ps_exposure *x = &r->exposures[i];
        for (uint32_t k = 0; k < x->nfixes; k++) {
            fixes[n] = r->fixes[x->fix_first + k];
            if (ps_terms_copy(&fixes[n].terms, &r->fixes[x->fix_first + k].terms)) {
                while (n)
                    ps_terms_free(&fixes[--n].terms);
                free(fixes);
                return -1;
            }
            n++;
        }
    }
    uint32_t k = 0;
    for (uint32_t i = 0; i < r->nexposures; i++) {
        r->exposures[i].fix_first = k;
        k += r->exposures[i].nfixes;
    }
    for (uint32_t i = 0; i < r->nfixes; i++)
        ps_terms_free(&r->fixes[i].terms);
    free(r->fixes);
    r->fixes = fixes;
    r->nfixes = n;
    memset(r->counts, 0, sizeof r->counts);
    for (uint32_t i = 0; i < r->nexposures; i++)
        r->counts[r->exposures[i].severity]++;
    return 0;
}
