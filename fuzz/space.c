/* space.c - building the fuzzer's search space and turning its points into scenarios.
 *
 * See space.h for the model.  Building goes in three steps: the optional steps of every
 * source (vary lines, --vary-others) are collected with the place they take in the timeline;
 * they are merged with the scenario's own steps into the full timeline; then every dimension
 * is given its alternatives, their texts, and the items whose audience it may change (the
 * evaluator's cache depends on that list being complete: when in doubt, a dimension lists
 * every item).
 */
#include "space.h"

#include "engine.h"
#include "person.h"
#include "print.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------
 * Small helpers
 * ------------------------------------------------------------------------------------- */

const char *ps_family_name(ps_family f)
{
    static const char *const names[] = { "vary", "user", "others", "rules" };
    return f <= PS_FAM_RULES ? names[f] : "?";
}

/* A string built by printf-style formatting, the caller's to free; NULL out of memory. */
static char *strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *strf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* A memory stream for the printers of print.h. */
typedef struct { FILE *f; char *buf; size_t len; } memout;

static bool mo_open(memout *o)
{
    o->buf = NULL;
    o->len = 0;
    o->f = open_memstream(&o->buf, &o->len);
    return o->f != NULL;
}

/* Closes the stream and returns its text (the caller's), or NULL. */
static char *mo_take(memout *o)
{
    if (fclose(o->f)) {
        free(o->buf);
        return NULL;
    }
    return o->buf;
}

/* Frees the model's vary lines (the full timeline and the findings hold none). */
static void drop_varies(ps_model *m)
{
    for (uint32_t i = 0; i < m->nvaries; i++) {
        ps_vary *v = &m->varies[i];
        for (uint32_t j = 0; j < v->nalts; j++) {
            ps_audience_free(&v->alts[j].audience);
            ps_setting_free(&v->alts[j].setting);
            ps_rules_free(&v->alts[j].rule);
            free(v->alts[j].text);
        }
        free(v->alts);
        ps_step_free(&v->step);
    }
    free(m->varies);
    m->varies = NULL;
    m->nvaries = m->cap_varies = 0;
}

static void dim_free(ps_dim *d)
{
    for (uint32_t a = 0; a < d->nalts; a++) {
        if (d->auds)
            ps_audience_free(&d->auds[a]);
        if (d->rules)
            ps_rules_free(&d->rules[a]);
        if (d->texts)
            free(d->texts[a]);
    }
    free(d->auds);
    free(d->rules);
    free(d->values);
    free(d->steps);
    free(d->texts);
    free(d->items);
}

void ps_space_free(ps_space *s)
{
    if (!s)
        return;
    for (uint32_t i = 0; i < s->ndims; i++)
        dim_free(&s->dims[i]);
    free(s->dims);
    free(s->step_dim);
    ps_model_free(s->full);
    free(s);
}

/* ---------------------------------------------------------------------------------------
 * The builder
 * ------------------------------------------------------------------------------------- */

/* An optional step waiting to be merged into the timeline. */
typedef struct {
    ps_step step;          /* owned until merged */
    uint32_t pos;          /* taken before base step `pos` (nbase: at the end) */
    uint32_t dim, alt;     /* the dimension and alternative that take it */
} pending;

typedef struct {
    const ps_model *m;     /* the scenario as written */
    ps_space *s;
    uint32_t cap_dims;
    pending *pend; uint32_t npend, cap_pend;
    char *err; size_t errlen;
    bool too_big;
} builder;

static ps_dim *new_dim(builder *b, ps_dim_kind kind, ps_family fam, uint32_t nalts)
{
    ps_space *s = b->s;
    if (s->ndims == PS_SPACE_MAX_DIMS || nalts > PS_SPACE_MAX_ALTS) {
        b->too_big = true;
        return NULL;
    }
    if (s->ndims == b->cap_dims) {
        uint32_t c = b->cap_dims ? b->cap_dims * 2 : 16;
        ps_dim *p = realloc(s->dims, (size_t)c * sizeof *p);
        if (!p)
            return NULL;
        s->dims = p;
        b->cap_dims = c;
    }
    ps_dim *d = &s->dims[s->ndims];
    memset(d, 0, sizeof *d);
    d->kind = (uint8_t)kind;
    d->family = (uint8_t)fam;
    d->nalts = nalts;
    d->target = d->about = PS_NONE;
    d->texts = calloc(nalts, sizeof *d->texts);
    if (!d->texts)
        return NULL;
    s->ndims++;
    return d;
}

/* Removes the last dimension (it turned out to have a single alternative). */
static void pop_dim(builder *b)
{
    b->s->ndims--;
    dim_free(&b->s->dims[b->s->ndims]);
}

static int add_pending(builder *b, const ps_step *st, uint32_t pos, uint32_t dim, uint32_t alt,
                       bool copy)
{
    if (b->npend == b->cap_pend) {
        uint32_t c = b->cap_pend ? b->cap_pend * 2 : 16;
        pending *p = realloc(b->pend, (size_t)c * sizeof *p);
        if (!p)
            return -1;
        b->pend = p;
        b->cap_pend = c;
    }
    pending *p = &b->pend[b->npend];
    if (copy) {
        if (ps_step_copy(&p->step, st))
            return -1;
    } else {
        p->step = *st;
    }
    p->pos = pos;
    p->dim = dim;
    p->alt = alt;
    b->npend++;
    return 0;
}

/* The text of a step as `do ...`, the caller's; NULL out of memory. */
static char *step_text(const ps_model *m, const ps_step *st)
{
    memout o;
    if (!mo_open(&o))
        return NULL;
    fputs("do ", o.f);
    ps_print_step(o.f, m, st);
    return mo_take(&o);
}

static char *audience_text(const ps_model *m, uint32_t item, const ps_audience *a, bool dflt)
{
    const ps_item *it = &m->items[item];
    if (dflt)
        return strf("%s: %s audience as the platform's default", m->users[it->owner].name,
                    it->name);
    memout o;
    if (!mo_open(&o))
        return NULL;
    fprintf(o.f, "%s: set %s ", m->users[it->owner].name, it->name);
    ps_print_audience(o.f, m, a);
    return mo_take(&o);
}

static char *categories_text(uint32_t mask)
{
    memout o;
    if (!mo_open(&o))
        return NULL;
    ps_print_categories(o.f, mask, false);
    return mo_take(&o);
}

static char *rule_text(ps_rule_id id, uint32_t cats, const ps_rules *r)
{
    memout o;
    if (!mo_open(&o))
        return NULL;
    fprintf(o.f, "rule %s", ps_rule_name(id));
    unsigned c = 0;
    if (id == PS_RULE_DEFAULT_AUDIENCE && cats) {
        c = (unsigned)__builtin_ctz(cats);
        if (cats != PS_CATS_ALL)
            fprintf(o.f, ".%s", ps_category_name(c));
    }
    fputs(" = ", o.f);
    ps_print_rule_value(o.f, r, id, c);
    return mo_take(&o);
}

/* ---------------------------------------------------------------------------------------
 * Items a dimension may change
 * ------------------------------------------------------------------------------------- */

typedef struct { uint32_t *v; uint32_t n, cap; bool all; } item_set;

static int iset_add(item_set *s, uint32_t item)
{
    for (uint32_t i = 0; i < s->n; i++)
        if (s->v[i] == item)
            return 0;
    if (s->n == s->cap) {
        uint32_t c = s->cap ? s->cap * 2 : 8;
        uint32_t *p = realloc(s->v, (size_t)c * sizeof *p);
        if (!p)
            return -1;
        s->v = p;
        s->cap = c;
    }
    s->v[s->n++] = item;
    return 0;
}

static bool is_friendlist(const ps_item *it)
{
    return it->kind == PS_ITEM_FIELD && it->field == PS_F_FRIENDLIST;
}

/* An item's own audience matters to its item and, for a friend list, to every friend list
 * (friendships show from both ends). */
static int deps_audience(const ps_model *full, uint32_t item, item_set *out)
{
    if (iset_add(out, item))
        return -1;
    if (is_friendlist(&full->items[item]))
        for (uint32_t i = 0; i < full->nitems; i++)
            if (is_friendlist(&full->items[i]) && iset_add(out, i))
                return -1;
    return 0;
}

/* Items on which user u is or may become tagged. */
static int deps_tag_review(const ps_model *full, uint32_t u, item_set *out)
{
    for (uint32_t i = 0; i < full->nitems; i++)
        for (uint32_t k = 0; k < full->items[i].ntags; k++)
            if (full->items[i].tags[k].user == u && iset_add(out, i))
                return -1;
    for (uint32_t k = 0; k < full->nsteps; k++) {
        const ps_step *st = &full->steps[k];
        if (st->kind != PS_STEP_TAG)
            continue;
        for (uint32_t j = 0; j < st->nusers; j++)
            if (st->users[j] == u && iset_add(out, st->item))
                return -1;
    }
    return 0;
}

/* Items of user u in the categories `cats`. */
static int deps_owned(const ps_model *full, uint32_t u, uint32_t cats, item_set *out)
{
    for (uint32_t i = 0; i < full->nitems; i++)
        if (full->items[i].owner == u && ((cats >> ps_item_category(&full->items[i])) & 1) &&
            iset_add(out, i))
            return -1;
    return 0;
}

static int deps_step(const ps_model *full, const ps_step *st, item_set *out)
{
    switch ((ps_step_kind)st->kind) {
    case PS_STEP_BEFRIEND: case PS_STEP_UNFRIEND: case PS_STEP_INSTALL:
        out->all = true;
        return 0;
    case PS_STEP_SET:
        for (uint32_t i = 0; i < st->nsettings; i++) {
            const ps_setting *x = &st->settings[i];
            int r = 0;
            if (x->kind == PS_SET_TAG_REVIEW)
                r = deps_tag_review(full, st->actor, out);
            else if (x->kind == PS_SET_APPS_CATS)
                r = deps_owned(full, st->actor, PS_CATS_ALL, out);
            else if (x->item < full->nitems)
                r = deps_audience(full, x->item, out);
            if (r)
                return -1;
        }
        return 0;
    default:
        return st->item < full->nitems ? iset_add(out, st->item) : 0;
    }
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Fills every dimension's item list (after the full timeline exists). */
static int fill_deps(ps_space *s)
{
    const ps_model *full = s->full;
    for (uint32_t d = 0; d < s->ndims; d++) {
        ps_dim *dim = &s->dims[d];
        item_set set = {0};
        int r = 0;
        switch ((ps_dim_kind)dim->kind) {
        case PS_DIM_AUDIENCE: r = deps_audience(full, dim->target, &set); break;
        case PS_DIM_TAG_REVIEW: r = deps_tag_review(full, dim->target, &set); break;
        case PS_DIM_APPS_MASK: r = deps_owned(full, dim->target, PS_CATS_ALL, &set); break;
        case PS_DIM_APPS_BIT: r = deps_owned(full, dim->target, dim->cats, &set); break;
        case PS_DIM_RULE: set.all = true; break;
        case PS_DIM_LINK_RULE: break;   /* linkage only: no item's audience */
        case PS_DIM_STEP:
            for (uint32_t a = 1; a < dim->nalts && !r; a++)
                r = deps_step(full, &full->steps[dim->steps[a - 1]], &set);
            break;
        }
        if (r) {
            free(set.v);
            return -1;
        }
        if (set.all) {
            set.n = 0;
            for (uint32_t i = 0; i < full->nitems; i++)
                if (iset_add(&set, i)) {
                    free(set.v);
                    return -1;
                }
        }
        if (set.n > 1)
            qsort(set.v, set.n, sizeof *set.v, cmp_u32);
        dim->items = set.v;
        dim->nitems = set.n;
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * Dimensions from vary lines
 * ------------------------------------------------------------------------------------- */

/* Whether dimension kind/target is already in the space (a vary line wins over a family). */
static bool have_dim(const ps_space *s, ps_dim_kind kind, uint32_t target, uint32_t extra)
{
    for (uint32_t i = 0; i < s->ndims; i++) {
        const ps_dim *d = &s->dims[i];
        if (d->kind != kind || d->target != target)
            continue;
        if ((kind == PS_DIM_RULE || kind == PS_DIM_LINK_RULE) && d->rule != extra)
            continue;
        if (kind == PS_DIM_APPS_BIT && d->cats != extra)
            continue;
        return true;
    }
    return false;
}

static bool have_apps_dim(const ps_space *s, uint32_t user, uint32_t cat_bit)
{
    return have_dim(s, PS_DIM_APPS_MASK, user, 0) || have_dim(s, PS_DIM_APPS_BIT, user, cat_bit);
}

/* Where a `vary do` step at `line` stands among the scenario's steps. */
static uint32_t step_pos_for_line(const ps_model *m, uint32_t line)
{
    uint32_t k = 0;
    while (k < m->nsteps && m->steps[k].loc.line <= line)
        k++;
    return k;
}

static int add_vary_dims(builder *b)
{
    const ps_model *m = b->m;
    ps_space *s = b->s;
    for (uint32_t i = 0; i < m->nvaries; i++) {
        const ps_vary *v = &m->varies[i];
        uint32_t nalts = v->kind == PS_VARY_STEP ? 2 : v->nalts;
        if (nalts < 2)
            continue;
        ps_dim_kind kind;
        switch ((ps_vary_kind)v->kind) {
        case PS_VARY_AUDIENCE: kind = PS_DIM_AUDIENCE; break;
        case PS_VARY_SET:
            kind = v->alts[0].setting.kind == PS_SET_TAG_REVIEW ? PS_DIM_TAG_REVIEW
                                                                : PS_DIM_APPS_MASK;
            break;
        case PS_VARY_RULE: kind = PS_DIM_RULE; break;
        default: kind = PS_DIM_STEP; break;
        }
        ps_dim *d = new_dim(b, kind, PS_FAM_VARY, nalts);
        if (!d)
            return -1;
        d->line = v->loc.line;
        d->target = kind == PS_DIM_RULE || kind == PS_DIM_STEP ? PS_NONE : v->target;
        switch (kind) {
        case PS_DIM_AUDIENCE:
            if (!(d->auds = calloc(nalts, sizeof *d->auds)))
                return -1;
            for (uint32_t a = 0; a < nalts; a++) {
                if (ps_audience_copy(&d->auds[a], &v->alts[a].audience))
                    return -1;
                if (!(d->texts[a] = audience_text(m, v->target, &v->alts[a].audience, false)))
                    return -1;
            }
            break;
        case PS_DIM_TAG_REVIEW: case PS_DIM_APPS_MASK:
            if (!(d->values = calloc(nalts, sizeof *d->values)))
                return -1;
            for (uint32_t a = 0; a < nalts; a++) {
                d->values[a] = (int32_t)v->alts[a].setting.value;
                if (kind == PS_DIM_TAG_REVIEW)
                    d->texts[a] = strf("%s: tag-review=%s", m->users[v->target].name,
                                       v->alts[a].setting.value == PS_ON ? "on" : "off");
                else {
                    char *c = categories_text(v->alts[a].setting.value);
                    d->texts[a] = c ? strf("%s: apps-through-friends=%s",
                                           m->users[v->target].name, c) : NULL;
                    free(c);
                }
                if (!d->texts[a])
                    return -1;
            }
            break;
        case PS_DIM_RULE:
            d->rule = v->rule;
            d->cats = v->cats;
            if (!(d->rules = calloc(nalts, sizeof *d->rules)))
                return -1;
            for (uint32_t a = 0; a < nalts; a++) {
                if (ps_rules_copy(&d->rules[a], &m->rules))
                    return -1;
                if (ps_rules_set_one(&d->rules[a], &v->alts[a].rule, (ps_rule_id)v->rule,
                                     v->cats))
                    return -1;
                if (!(d->texts[a] = rule_text((ps_rule_id)v->rule, v->cats, &d->rules[a])))
                    return -1;
            }
            break;
        case PS_DIM_STEP:
            if (!(d->steps = calloc(1, sizeof *d->steps)))
                return -1;
            if (!(d->texts[0] = strf("no '%s' step (line %u)",
                                     ps_step_kind_name((ps_step_kind)v->step.kind),
                                     (unsigned)v->loc.line)) ||
                !(d->texts[1] = step_text(m, &v->step)))
                return -1;
            if (add_pending(b, &v->step, step_pos_for_line(m, v->loc.line), s->ndims - 1, 1,
                            true))
                return -1;
            break;
        default:
            break;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * --vary-user U: every audience choice of U's items, every setting of U
 * ------------------------------------------------------------------------------------- */

static bool audience_equal(const ps_audience *a, const ps_audience *b)
{
    return ps_terms_equal(&a->allow, &b->allow) && ps_terms_equal(&a->hide, &b->hide);
}

/* The audiences a user may pick for an item: the current one first, then public, fof,
 * friends, only-me and each of the owner's lists. */
static int user_audience_dim(builder *b, uint32_t u, uint32_t item)
{
    ps_model *full = b->s->full;
    const ps_item *it = &full->items[item];
    uint32_t nlists = 0;
    for (uint32_t l = 0; l < full->nlists; l++)
        nlists += full->lists[l].owner == u;
    uint32_t cap = 5 + nlists;
    if (cap > PS_SPACE_MAX_ALTS)
        cap = PS_SPACE_MAX_ALTS;
    ps_dim *d = new_dim(b, PS_DIM_AUDIENCE, PS_FAM_USER, cap);
    if (!d)
        return -1;
    d->target = item;
    d->about = u;
    if (!(d->auds = calloc(cap, sizeof *d->auds)))
        return -1;
    ps_audience cur = ps_item_audience(full, it);
    if (ps_audience_copy(&d->auds[0], &cur))
        return -1;
    d->alt0_default = !it->has_audience;
    uint32_t n = 1;
    static const ps_term_kind simple[] = { PS_TERM_PUBLIC, PS_TERM_FOF, PS_TERM_FRIENDS,
                                           PS_TERM_ONLY_ME };
    for (uint32_t k = 0; k < 4 + full->nlists && n < cap; k++) {
        ps_audience a = {0};
        if (k < 4) {
            if (ps_terms_push(&a.allow, simple[k], PS_NONE))
                return -1;
        } else {
            uint32_t l = k - 4;
            if (full->lists[l].owner != u)
                continue;
            if (ps_terms_push(&a.allow, PS_TERM_LIST, l))
                return -1;
        }
        bool dup = false;
        for (uint32_t j = 0; j < n && !dup; j++)
            dup = audience_equal(&d->auds[j], &a);
        if (dup) {
            ps_audience_free(&a);
            continue;
        }
        d->auds[n++] = a;
    }
    for (uint32_t j = 0; j < n; j++)
        if (!(d->texts[j] = audience_text(full, item, &d->auds[j], j == 0 && d->alt0_default)))
            return -1;
    d->nalts = n;
    if (n < 2)
        pop_dim(b);
    return 0;
}

static int add_user_dims(builder *b, uint32_t u, bool safest)
{
    ps_model *full = b->s->full;
    ps_space *s = b->s;
    const char *name = full->users[u].name;
    uint32_t cats = 0;
    for (uint32_t i = 0; i < full->nitems; i++) {
        const ps_item *it = &full->items[i];
        if (it->owner != u || it->group != PS_NONE)
            continue;
        if (it->kind == PS_ITEM_FIELD && !it->has_audience)
            continue;
        cats |= 1u << ps_item_category(it);
        if (!have_dim(s, PS_DIM_AUDIENCE, i, 0) && user_audience_dim(b, u, i))
            return -1;
    }
    if (!have_dim(s, PS_DIM_TAG_REVIEW, u, 0)) {
        ps_dim *d = new_dim(b, PS_DIM_TAG_REVIEW, PS_FAM_USER, 2);
        if (!d || !(d->values = calloc(2, sizeof *d->values)))
            return -1;
        d->target = d->about = u;
        bool on = ps_user_tag_review(full, u);
        d->values[0] = full->users[u].tag_review;
        d->values[1] = on ? PS_OFF : PS_ON;
        d->texts[0] = full->users[u].tag_review == PS_UNSET
                          ? strf("%s: tag-review as the platform's default (%s)", name,
                                 on ? "on" : "off")
                          : strf("%s: tag-review=%s", name, on ? "on" : "off");
        d->texts[1] = strf("%s: tag-review=%s", name, on ? "off" : "on");
        if (!d->texts[0] || !d->texts[1])
            return -1;
        d->origin = safest && !on ? 1 : 0;
    }
    /* apps-through-friends: one dimension per category of U's items, when there are apps */
    bool apps = full->napps > 0;
    for (unsigned c = 0; apps && c < PS_NCATS; c++) {
        if (!((cats >> c) & 1) || have_apps_dim(s, u, 1u << c))
            continue;
        ps_dim *d = new_dim(b, PS_DIM_APPS_BIT, PS_FAM_USER, 2);
        if (!d || !(d->values = calloc(2, sizeof *d->values)))
            return -1;
        d->target = d->about = u;
        d->cats = 1u << c;
        bool set = (ps_user_apps_cats(full, u) >> c) & 1;
        d->values[0] = set;
        d->values[1] = !set;
        for (int a = 0; a < 2; a++) {
            bool on = a ? !set : set;
            d->texts[a] = strf("%s: apps-through-friends %s %s", name,
                               on ? "lets" : "does not let", ps_category_name(c));
            if (!d->texts[a])
                return -1;
        }
        d->origin = safest && set ? 1 : 0;
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * --vary-others U: tags, shares, installs and friend requests that touch U
 * ------------------------------------------------------------------------------------- */

/* A family step dimension: alternative 0 is "no step", each other one takes steps[a]. */
static int others_step_dim(builder *b, uint32_t u, ps_step *steps, uint32_t n)
{
    ps_model *full = b->s->full;
    ps_dim *d = new_dim(b, PS_DIM_STEP, PS_FAM_OTHERS, n + 1);
    int rc = -1;
    if (!d || !(d->steps = calloc(n, sizeof *d->steps)))
        goto out;
    d->about = u;
    if (!(d->texts[0] = strf("no '%s' step by %s", ps_step_kind_name((ps_step_kind)steps[0].kind),
                             full->users[steps[0].actor].name)))
        goto out;
    for (uint32_t a = 1; a <= n; a++)
        if (!(d->texts[a] = step_text(full, &steps[a - 1])))
            goto out;
    uint32_t dim = b->s->ndims - 1;
    for (uint32_t a = 1; a <= n; a++) {
        if (add_pending(b, &steps[a - 1], full->nsteps, dim, a, false))
            goto out;
        memset(&steps[a - 1], 0, sizeof steps[a - 1]); /* now owned by the pending list */
    }
    rc = 0;
out:
    for (uint32_t a = 0; a < n; a++)
        ps_step_free(&steps[a]);
    return rc;
}

static ps_step blank_step(ps_step_kind kind, uint32_t actor)
{
    ps_step st;
    memset(&st, 0, sizeof st);
    st.kind = (uint8_t)kind;
    st.actor = actor;
    st.item = st.other = PS_NONE;
    return st;
}

/* Whether u is tagged on item i as written or by one of the scenario's steps. */
static bool tagged_anywhere(const ps_model *m, uint32_t item, uint32_t u)
{
    const ps_item *it = &m->items[item];
    for (uint32_t k = 0; k < it->ntags; k++)
        if (it->tags[k].user == u)
            return true;
    for (uint32_t k = 0; k < m->nsteps; k++) {
        const ps_step *st = &m->steps[k];
        if (st->kind == PS_STEP_TAG && st->item == item)
            for (uint32_t j = 0; j < st->nusers; j++)
                if (st->users[j] == u)
                    return true;
    }
    return false;
}

static bool installs_anywhere(const ps_model *m, uint32_t app, uint32_t u)
{
    for (uint32_t k = 0; k < m->apps[app].ninstallers; k++)
        if (m->apps[app].installers[k] == u)
            return true;
    for (uint32_t k = 0; k < m->nsteps; k++)
        if (m->steps[k].kind == PS_STEP_INSTALL && m->steps[k].other == app &&
            m->steps[k].actor == u)
            return true;
    return false;
}

static bool befriends_anywhere(ps_model *m, uint32_t a, uint32_t u)
{
    if (ps_model_are_friends(m, a, u))
        return true;
    for (uint32_t k = 0; k < m->nsteps; k++) {
        const ps_step *st = &m->steps[k];
        if (st->kind == PS_STEP_BEFRIEND &&
            ((st->actor == a && st->other == u) || (st->actor == u && st->other == a)))
            return true;
    }
    return false;
}

static int add_others_dims(builder *b, uint32_t u, bool rules_vary)
{
    ps_model *full = b->s->full;
    uint32_t nf;
    const uint32_t *fr0 = ps_model_friends(full, u, &nf);
    if (nf && !fr0)
        return -1;
    /* copy: the adjacency is rebuilt when friendships change */
    uint32_t *fr = malloc((size_t)(nf ? nf : 1) * sizeof *fr);
    if (!fr)
        return -1;
    if (nf)
        memcpy(fr, fr0, (size_t)nf * sizeof *fr);
    int rc = -1;
    /* friends tag U on their posts and photos */
    for (uint32_t i = 0; i < full->nitems; i++) {
        const ps_item *it = &full->items[i];
        if (it->kind == PS_ITEM_FIELD || it->owner == u || tagged_anywhere(full, i, u))
            continue;
        bool friend = false;
        for (uint32_t k = 0; k < nf; k++)
            friend |= fr[k] == it->owner;
        if (!friend)
            continue;
        ps_step st = blank_step(PS_STEP_TAG, it->owner);
        st.item = i;
        if (ps_u32_push(&st.users, &st.nusers, u)) {
            ps_step_free(&st);
            goto out;
        }
        if (others_step_dim(b, u, &st, 1))
            goto out;
    }
    /* friends share U's posts and photos: with their own default audience, or publicly */
    bool shares = full->rules.reshare != PS_RESHARE_NONE || rules_vary;
    for (uint32_t i = 0; shares && i < full->nitems; i++) {
        const ps_item *it = &full->items[i];
        if (it->kind == PS_ITEM_FIELD || it->owner != u)
            continue;
        for (uint32_t k = 0; k < nf; k++) {
            ps_step st[2] = { blank_step(PS_STEP_SHARE, fr[k]), blank_step(PS_STEP_SHARE, fr[k]) };
            st[0].item = st[1].item = i;
            st[1].has_audience = true;
            if (ps_terms_push(&st[1].audience.allow, PS_TERM_PUBLIC, PS_NONE)) {
                ps_step_free(&st[1]);
                goto out;
            }
            if (others_step_dim(b, u, st, 2))
                goto out;
        }
    }
    /* friends install apps */
    for (uint32_t a = 0; a < full->napps; a++)
        for (uint32_t k = 0; k < nf; k++) {
            if (installs_anywhere(full, a, fr[k]))
                continue;
            ps_step st = blank_step(PS_STEP_INSTALL, fr[k]);
            st.other = a;
            if (others_step_dim(b, u, &st, 1))
                goto out;
        }
    /* friend requests that U accepts */
    for (uint32_t x = 0; x < full->nusers; x++) {
        if (x == u || befriends_anywhere(full, x, u))
            continue;
        ps_step st = blank_step(PS_STEP_BEFRIEND, x);
        st.other = u;
        if (others_step_dim(b, u, &st, 1))
            goto out;
    }
    rc = 0;
out:
    free(fr);
    return rc;
}

/* ---------------------------------------------------------------------------------------
 * --vary-rules
 * ------------------------------------------------------------------------------------- */

static int rule_dim(builder *b, ps_rule_id id, const uint32_t *values, uint32_t n)
{
    ps_model *full = b->s->full;
    if (have_dim(b->s, PS_DIM_RULE, PS_NONE, id))
        return 0;
    ps_dim *d = new_dim(b, PS_DIM_RULE, PS_FAM_RULES, n + 1);
    if (!d || !(d->rules = calloc(n + 1, sizeof *d->rules)))
        return -1;
    d->rule = (uint8_t)id;
    uint32_t k = 0;
    for (uint32_t a = 0; a <= n; a++) {
        ps_rules r;
        if (ps_rules_copy(&r, &full->rules))
            return -1;
        uint32_t v = a ? values[a - 1] : 0;
        if (a)
            switch (id) {
            case PS_RULE_TAG_EXTENDS: r.tag_extends = (uint8_t)v; break;
            case PS_RULE_TAG_REVIEW_DEFAULT: r.tag_review_default = v; break;
            case PS_RULE_RESHARE: r.reshare = (uint8_t)v; break;
            case PS_RULE_APPS_THROUGH_FRIENDS: r.apps_through_friends = v; break;
            case PS_RULE_APPS_THROUGH_FRIENDS_DEFAULT: r.apps_default_cats = v; break;
            case PS_RULE_FRIENDSHIP_VISIBILITY: r.friendship_visibility = (uint8_t)v; break;
            case PS_RULE_FORCED_PUBLIC: r.forced_public = v; break;
            case PS_RULE_INTERACTION_EXTENDS: r.interaction_extends = (uint8_t)v; break;
            default: break;
            }
        bool dup = false;
        for (uint32_t j = 0; j < k && !dup; j++)
            dup = ps_rule_equal(&d->rules[j], &r, id, 0);
        if (dup) {
            ps_rules_free(&r);
            continue;
        }
        d->rules[k++] = r;
        if (!(d->texts[k - 1] = rule_text(id, 0, &d->rules[k - 1])))
            return -1;
    }
    d->nalts = k;
    if (k < 2)
        pop_dim(b);
    return 0;
}

static char *link_rule_text(uint32_t rule, int32_t value)
{
    char buf[320];
    return strf("%s", ps_link_rule_text(buf, sizeof buf, rule == PS_LINK_RULE_MUTUAL,
                                        (uint32_t)value));
}

/* A dimension of one rule of linkage: its value in the scenario, then `values`. */
static int link_rule_dim(builder *b, uint32_t rule, const int32_t *values, uint32_t n)
{
    ps_model *full = b->s->full;
    if (have_dim(b->s, PS_DIM_LINK_RULE, PS_NONE, rule))
        return 0;
    ps_dim *d = new_dim(b, PS_DIM_LINK_RULE, PS_FAM_RULES, n + 1);
    if (!d || !(d->values = calloc(n + 1, sizeof *d->values)))
        return -1;
    d->rule = (uint8_t)rule;
    ps_link_rules now = ps_link_rules_of(full);
    uint32_t k = 0;
    for (uint32_t a = 0; a <= n; a++) {
        int32_t v = a ? values[a - 1]
                      : (int32_t)(rule == PS_LINK_RULE_MUTUAL ? now.mutual_friends : now.contacts);
        bool dup = false;
        for (uint32_t j = 0; j < k && !dup; j++)
            dup = d->values[j] == v;
        if (dup)
            continue;
        d->values[k] = v;
        if (!(d->texts[k] = link_rule_text(rule, v)))
            return -1;
        k++;
    }
    d->nalts = k;
    if (k < 2)
        pop_dim(b);
    return 0;
}

static int add_rule_dims(builder *b)
{
    const ps_rules *r = &b->s->full->rules;
    static const uint32_t tag_ext[] = { PS_TAG_NONE, PS_TAG_TAGGED, PS_TAG_TAGGED_FRIENDS };
    static const uint32_t onoff[] = { 0, 1 };
    static const uint32_t reshare[] = { PS_RESHARE_NONE, PS_RESHARE_PUBLIC_ONLY,
                                        PS_RESHARE_VISIBLE };
    static const uint32_t fv[] = { PS_FV_BOTH_ENDS, PS_FV_OWN_SETTING };
    static const uint32_t ix[] = { PS_IX_NONE, PS_IX_COMMENTER_FRIENDS };
    uint32_t cats[] = { 0, PS_CATS_ALL };
    uint32_t forced[] = { 0, r->forced_public | (1u << PS_F_FRIENDLIST) };
    if (rule_dim(b, PS_RULE_TAG_EXTENDS, tag_ext, 3) ||
        rule_dim(b, PS_RULE_TAG_REVIEW_DEFAULT, onoff, 2) ||
        rule_dim(b, PS_RULE_RESHARE, reshare, 3) ||
        rule_dim(b, PS_RULE_APPS_THROUGH_FRIENDS, onoff, 2) ||
        rule_dim(b, PS_RULE_APPS_THROUGH_FRIENDS_DEFAULT, cats, 2) ||
        rule_dim(b, PS_RULE_FRIENDSHIP_VISIBILITY, fv, 2) ||
        rule_dim(b, PS_RULE_FORCED_PUBLIC, forced, 2) ||
        rule_dim(b, PS_RULE_INTERACTION_EXTENDS, ix, 2))
        return -1;
    /* with persons, the rules of linkage: friends in common from one to ten, and contact
     * suggestions from each identifying field */
    const ps_persons *ps = b->s->full->persons;
    static const int32_t mutual[] = { 0, 1, 3, 10 };
    static const int32_t contacts[] = { 0, 1 << PS_F_PHONE, 1 << PS_F_EMAIL,
                                        (1 << PS_F_PHONE) | (1 << PS_F_EMAIL) };
    if (ps && ps->n &&
        (link_rule_dim(b, PS_LINK_RULE_MUTUAL, mutual, 4) ||
         link_rule_dim(b, PS_LINK_RULE_CONTACTS, contacts, 4)))
        return -1;
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * The full timeline
 * ------------------------------------------------------------------------------------- */

/* Merges the pending steps into s->full's timeline and points their dimensions at them. */
static int merge_steps(builder *b)
{
    ps_space *s = b->s;
    ps_model *full = s->full;
    uint32_t nbase = full->nsteps, n = nbase + b->npend;
    s->nbase_steps = nbase;
    s->step_dim = malloc((size_t)(n ? n : 1) * sizeof *s->step_dim);
    ps_step *steps = calloc(n ? n : 1, sizeof *steps);
    if (!s->step_dim || !steps) {
        free(steps);
        return -1;
    }
    /* a stable merge: pending steps (in the order they came) before base step `pos` */
    uint32_t k = 0;
    for (uint32_t pos = 0; pos <= nbase; pos++) {
        for (uint32_t i = 0; i < b->npend; i++) {
            pending *p = &b->pend[i];
            if (p->pos != pos)
                continue;
            steps[k] = p->step;
            memset(&p->step, 0, sizeof p->step);
            s->step_dim[k] = p->dim;
            s->dims[p->dim].steps[p->alt - 1] = k;
            k++;
        }
        if (pos < nbase) {
            steps[k] = full->steps[pos];
            s->step_dim[k] = PS_NONE;
            k++;
        }
    }
    free(full->steps);
    full->steps = steps;
    full->nsteps = full->cap_steps = n;
    b->npend = 0;
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * Entry points
 * ------------------------------------------------------------------------------------- */

static uint32_t find_user(const ps_model *m, const char *name, char *err, size_t errlen)
{
    uint32_t u = ps_model_find(m, PS_NS_USER, 0, name, strlen(name));
    if (u == PS_NONE) {
        const char *sg = ps_model_suggest(m, PS_NS_USER, 0, name, strlen(name));
        snprintf(err, errlen, "no user '%s' in the scenario%s%s%s", name,
                 sg ? " (did you mean '" : "", sg ? sg : "", sg ? "'?)" : "");
    }
    return u;
}

int ps_space_build(const ps_model *m, const ps_space_opts *opts, ps_space **out, char *err,
                   size_t errlen)
{
    static const ps_space_opts none = {0};
    if (!opts)
        opts = &none;
    *out = NULL;
    if (errlen)
        err[0] = 0;
    builder b = { .m = m, .err = err, .errlen = errlen };
    ps_space *s = calloc(1, sizeof *s);
    int rc = -1;
    if (!s)
        return -1;
    b.s = s;
    if (!(s->full = ps_model_clone(m)))
        goto out;
    drop_varies(s->full);
    if (!opts->no_vary_lines && add_vary_dims(&b))
        goto out;
    bool rules_vary = opts->vary_rules;
    for (uint32_t i = 0; i < s->ndims; i++)
        rules_vary |= s->dims[i].kind == PS_DIM_RULE;
    for (uint32_t i = 0; i < opts->nvary_user; i++) {
        uint32_t u = find_user(m, opts->vary_user[i], err, errlen);
        if (u == PS_NONE) {
            rc = -2;
            goto out;
        }
        if (add_user_dims(&b, u, opts->safest))
            goto out;
    }
    for (uint32_t i = 0; i < opts->nvary_others; i++) {
        uint32_t u = find_user(m, opts->vary_others[i], err, errlen);
        if (u == PS_NONE) {
            rc = -2;
            goto out;
        }
        if (add_others_dims(&b, u, rules_vary))
            goto out;
    }
    if (opts->vary_rules && add_rule_dims(&b))
        goto out;
    if (b.too_big) {
        snprintf(err, errlen, "the space has more than %d dimensions (or a dimension more "
                 "than %d alternatives)", PS_SPACE_MAX_DIMS, PS_SPACE_MAX_ALTS);
        rc = -2;
        goto out;
    }
    if (merge_steps(&b) || fill_deps(s))
        goto out;
    s->npoints = 1;
    for (uint32_t i = 0; i < s->ndims; i++)
        s->npoints *= s->dims[i].nalts;
    rc = 0;
out:
    for (uint32_t i = 0; i < b.npend; i++)
        ps_step_free(&b.pend[i].step);
    free(b.pend);
    if (rc && b.too_big && rc == -1) {
        snprintf(err, errlen, "the space has more than %d dimensions", PS_SPACE_MAX_DIMS);
        rc = -2;
    }
    if (rc) {
        ps_space_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

void ps_space_origin(const ps_space *s, uint8_t *point)
{
    for (uint32_t d = 0; d < s->ndims; d++)
        point[d] = (uint8_t)s->dims[d].origin;
}

uint32_t ps_space_distance(const ps_space *s, const uint8_t *point)
{
    uint32_t n = 0;
    for (uint32_t d = 0; d < s->ndims; d++)
        n += point[d] != s->dims[d].origin;
    return n;
}

bool ps_space_step_off(const ps_space *s, const uint8_t *point, uint32_t k)
{
    uint32_t d = s->step_dim[k];
    if (d == PS_NONE)
        return false;
    uint32_t a = point[d];
    return a == 0 || s->dims[d].steps[a - 1] != k;
}

int ps_space_apply(const ps_space *s, ps_model *w, const uint8_t *point, uint32_t d)
{
    const ps_dim *dim = &s->dims[d];
    uint32_t alt = point[d];
    switch ((ps_dim_kind)dim->kind) {
    case PS_DIM_AUDIENCE: {
        ps_item *it = &w->items[dim->target];
        ps_audience a;
        if (ps_audience_copy(&a, &dim->auds[alt]))
            return -1;
        ps_audience_free(&it->audience);
        it->audience = a;
        it->has_audience = !(alt == 0 && dim->alt0_default);
        return 0;
    }
    case PS_DIM_TAG_REVIEW:
        w->users[dim->target].tag_review = (int8_t)dim->values[alt];
        return 0;
    case PS_DIM_APPS_MASK: {
        ps_user *u = &w->users[dim->target];
        if (dim->values[alt] < 0) {
            u->has_apps_cats = false;
            u->apps_cats = 0;
        } else {
            u->has_apps_cats = true;
            u->apps_cats = (uint32_t)dim->values[alt];
        }
        return 0;
    }
    case PS_DIM_APPS_BIT: {
        /* the user's mask is the written one with every bit dimension of the user applied */
        const ps_user *orig = &s->full->users[dim->target];
        uint32_t written = ps_user_apps_cats(s->full, dim->target), mask = written;
        for (uint32_t j = 0; j < s->ndims; j++) {
            const ps_dim *o = &s->dims[j];
            if (o->kind != PS_DIM_APPS_BIT || o->target != dim->target)
                continue;
            mask = o->values[point[j]] ? mask | o->cats : mask & ~o->cats;
        }
        ps_user *u = &w->users[dim->target];
        if (mask == written) {
            u->has_apps_cats = orig->has_apps_cats;
            u->apps_cats = orig->apps_cats;
        } else {
            u->has_apps_cats = true;
            u->apps_cats = mask;
        }
        return 0;
    }
    case PS_DIM_RULE:
        return ps_rules_set_one(&w->rules, &dim->rules[alt], (ps_rule_id)dim->rule, dim->cats);
    case PS_DIM_STEP:
        return 0;
    case PS_DIM_LINK_RULE: {
        ps_persons *ps = ps_persons_get(w);
        if (!ps)
            return -1;
        /* both rules are written, so that the point's scenario reads them back */
        ps_link_rules r = ps_link_rules_of(w);
        if (dim->rule == PS_LINK_RULE_MUTUAL)
            r.mutual_friends = (uint32_t)dim->values[alt];
        else
            r.contacts = (uint32_t)dim->values[alt];
        ps->rules = r;
        ps->mutual_set = ps->contacts_set = true;
        return 0;
    }
    }
    return 0;
}

ps_model *ps_space_point_model(const ps_space *s, const uint8_t *point)
{
    ps_model *m = ps_model_clone(s->full);
    if (!m)
        return NULL;
    for (uint32_t d = 0; d < s->ndims; d++) {
        const ps_dim *dim = &s->dims[d];
        if (!point[d])
            continue;
        if (ps_space_apply(s, m, point, d))
            goto fail;
        if (dim->kind == PS_DIM_RULE) {
            uint32_t cats = dim->rule == PS_RULE_DEFAULT_AUDIENCE ? dim->cats : 0;
            if (ps_rules_set_one(&m->overrides, &dim->rules[point[d]], (ps_rule_id)dim->rule,
                                 cats))
                goto fail;
            m->rules_set |= 1u << dim->rule;
            m->default_audience_set |= cats;
        }
    }
    /* keep only the steps the point takes */
    uint32_t k = 0;
    for (uint32_t i = 0; i < m->nsteps; i++) {
        if (ps_space_step_off(s, point, i)) {
            ps_step_free(&m->steps[i]);
            continue;
        }
        m->steps[k++] = m->steps[i];
    }
    m->nsteps = k;
    return m;
fail:
    ps_model_free(m);
    return NULL;
}

const char *ps_space_alt_text(const ps_space *s, uint32_t d, uint32_t alt)
{
    if (d >= s->ndims || alt >= s->dims[d].nalts || !s->dims[d].texts[alt])
        return "?";
    return s->dims[d].texts[alt];
}
