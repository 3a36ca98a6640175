/* engine_fork.c - copying an engine mid-timeline (see engine_fork.h).  Kept apart from
 * engine.c: it only reads the engine's state as engine_int.h declares it. */
#include "engine_fork.h"
#include "engine_int.h"

#include <stdlib.h>
#include <string.h>

/* A copy of `n` elements of `size` bytes (NULL for none).  *ok is cleared out of memory. */
static void *copy_of(const void *v, uint32_t n, size_t size, bool *ok)
{
    if (!n)
        return NULL;
    void *p = malloc((size_t)n * size);
    if (!p)
        *ok = false;
    else
        memcpy(p, v, (size_t)n * size);
    return p;
}

ps_engine *ps_engine__fork(const ps_engine *e)
{
    /* the engine's model is the state reached so far, steps included */
    ps_engine *c = ps_engine_new(e->m);
    if (!c)
        return NULL;
    bool ok = true;
    c->pos = e->pos;
    free(c->shares);
    c->shares = copy_of(e->shares, e->nshares, sizeof *e->shares, &ok);
    c->nshares = c->cap_shares = c->shares ? e->nshares : 0;
    free(c->ix);
    c->ix = copy_of(e->ix, e->nix, sizeof *e->ix, &ok);
    c->nix = c->cap_ix = c->ix ? e->nix : 0;
    if (c->disabled && e->disabled)
        memcpy(c->disabled, e->disabled, (size_t)c->m->nsteps * sizeof *c->disabled);
    if (ok && ps_engine__rechain(c))
        ok = false;
    if (!ok) {
        ps_engine_free(c);
        return NULL;
    }
    return c;
}
