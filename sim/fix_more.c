/* fix_more.c - the owner's hide and the several-people tag review, for exposures that
 * ps_check() leaves without a fix by a person (see fix_more.h). */
#include "fix_more.h"
#include "bitset.h"
#include "fix_int.h"

#include <stdlib.h>
#include <string.h>

static bool review_on(const ps_model *m, uint32_t u)
{
    int8_t t = m->users[u].tag_review;
    return t == PS_ON || (t == PS_UNSET && m->rules.tag_review_default);
}

static bool has_user(const ps_terms *t, uint32_t u)
{
    for (uint32_t i = 0; i < t->n; i++)
        if (t->v[i].ref == u)
            return true;
    return false;
}

/* Every person tagged in `item` (at the start or by a step) whose tag review is off and who
 * did not approve the tag, as one tag-review fix; kind PS_NFIXKINDS when fewer than two. */
static int tag_review_all(const ps_model *m, uint32_t item, ps_fix *out)
{
    memset(out, 0, sizeof *out);
    out->kind = PS_NFIXKINDS;
    out->user = out->item = out->user2 = out->step = out->app = PS_NONE;
    const ps_item *it = &m->items[item];
    ps_terms users = { 0 };
    for (uint32_t k = 0; k < it->ntags; k++) {
        uint32_t u = it->tags[k].user;
        if (!it->tags[k].approved && !it->tags[k].removed && !review_on(m, u) &&
            !has_user(&users, u) && ps_terms_push(&users, PS_TERM_USER, u))
            goto oom;
    }
    for (uint32_t s = 0; s < m->nsteps; s++) {
        const ps_step *st = &m->steps[s];
        if (st->kind != PS_STEP_TAG || st->item != item)
            continue;
        for (uint32_t k = 0; k < st->nusers; k++)
            if (!review_on(m, st->users[k]) && !has_user(&users, st->users[k]) &&
                ps_terms_push(&users, PS_TERM_USER, st->users[k]))
                goto oom;
    }
    if (users.n < 2) {
        ps_terms_free(&users);
        return 0;
    }
    out->kind = PS_FIX_TAG_REVIEW;
    out->user = users.v[0].ref;
    memmove(users.v, users.v + 1, (users.n - 1) * sizeof *users.v);
    users.n--;
    out->terms = users;
    return 0;
oom:
    ps_terms_free(&users);
    return -1;
}

/* Whether fix `f` keeps `viewer` from ever seeing `item`. */
static int cuts(const ps_model *m, ps_engine **fast, const ps_fix *f, uint32_t item,
                uint32_t viewer, uint64_t *bits)
{
    /* without a timeline, fixes are tried on one engine's model and undone: the engine is
     * made when the first candidate needs it */
    if (!m->nsteps && !*fast && !(*fast = ps_engine_new(m)))
        return -1;
    if (*fast ? ps_fix__verify_in_place(*fast, f, item, bits) : ps_fix__verify(m, f, item, bits))
        return -1;
    return !ps_bits_get(bits, viewer);
}

static bool person_fix(const ps_report *r, const ps_exposure *x)
{
    for (uint32_t k = 0; k < x->nfixes; k++)
        if (r->fixes[x->fix_first + k].kind != PS_FIX_RULE)
            return true;
    return false;
}

int ps_fix_complete(const ps_model *m, ps_report *r)
{
    uint32_t ne = r->nexposures;
    fix_list *add = calloc(ne ? ne : 1, sizeof *add);
    uint64_t *bits = ps_bits_new(ps_nviewers(m));
    uint64_t *tag_cut = ps_bits_new(ps_nviewers(m));
    ps_engine *fast = NULL;
    ps_fix tags = { .kind = PS_NFIXKINDS };
    uint32_t tags_item = PS_NONE;
    uint32_t nadd = 0;
    int rc = -1;
    if (!add || !bits || !tag_cut)
        goto out;
    for (uint32_t i = 0; i < ne; i++) {
        const ps_exposure *x = &r->exposures[i];
        if (person_fix(r, x))
            continue;
        const ps_item *it = &m->items[x->item];
        fix_list *l = &add[i];
        if (x->viewer < m->nusers && it->group == PS_NONE && x->viewer != it->owner) {
            ps_fix h = ps_fix__new(PS_FIX_HIDE, it->owner, x->item);
            if (ps_terms_push(&h.terms, PS_TERM_USER, x->viewer))
                goto out;
            int c = cuts(m, &fast, &h, x->item, x->viewer, bits);
            if (c > 0 && !ps_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v)) {
                l->v[l->n++] = h;
            } else {
                ps_fix_free(&h);
                if (c != 0)
                    goto out;
            }
        }
        if (tags_item != x->item) {
            /* one verification of the several-people tag review per item */
            ps_fix_free(&tags);
            tags_item = x->item;
            if (tag_review_all(m, x->item, &tags))
                goto out;
            if (tags.kind == PS_FIX_TAG_REVIEW &&
                cuts(m, &fast, &tags, x->item, x->viewer, tag_cut) < 0)
                goto out;
        }
        if (tags.kind == PS_FIX_TAG_REVIEW && !ps_bits_get(tag_cut, x->viewer)) {
            ps_fix c = tags;
            if (ps_terms_copy(&c.terms, &tags.terms))
                goto out;
            if (ps_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v)) {
                ps_fix_free(&c);
                goto out;
            }
            l->v[l->n++] = c;
        }
        nadd += l->n;
    }
    if (nadd) {
        /* each exposure's new fixes go before its own ones (the platform rules come last) */
        ps_fix *v = malloc((size_t)(r->nfixes + nadd) * sizeof *v);
        uint64_t *used = ps_bits_new(r->nfixes ? r->nfixes : 1);
        if (!v || !used) {
            free(v);
            free(used);
            goto out;
        }
        for (uint32_t i = 0; i < ne; i++)
            for (uint32_t k = 0; k < r->exposures[i].nfixes; k++)
                ps_bits_set(used, r->exposures[i].fix_first + k);
        for (uint32_t j = 0; j < r->nfixes; j++)
            if (!ps_bits_get(used, j))
                ps_fix_free(&r->fixes[j]); /* referred to by no exposure */
        free(used);
        uint32_t n = 0;
        for (uint32_t i = 0; i < ne; i++) {
            ps_exposure *x = &r->exposures[i];
            uint32_t first = n;
            for (uint32_t k = 0; k < add[i].n; k++)
                v[n++] = add[i].v[k];
            memcpy(v + n, r->fixes + x->fix_first, (size_t)x->nfixes * sizeof *v);
            n += x->nfixes;
            x->fix_first = first;
            x->nfixes += add[i].n;
            if (add[i].n)
                x->platform_only = false;
            add[i].n = 0; /* the terms now belong to the report */
        }
        free(r->fixes);
        r->fixes = v;
        r->nfixes = n;
    }
    rc = 0;
out:
    for (uint32_t i = 0; add && i < ne; i++)
        ps_fix_list_free(&add[i]);
    free(add);
    ps_fix_free(&tags);
    free(bits);
    free(tag_cut);
    ps_engine_free(fast);
    return rc;
}
