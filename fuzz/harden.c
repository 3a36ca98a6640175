/* harden.c - a search of one person's settings, each configuration checked at every point of
 * the space of other people's actions (see harden.h). */
#include "harden.h"
#include "fix_int.h"
#include "fix_more.h"
#include "fuzzer.h"
#include "print.h"
#include "space.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One ladder of U's settings. */
typedef enum { L_TAG_REVIEW, L_APPS_CAT, L_APPS_ALL, L_FRIENDLIST, L_ITEM } ladder_kind;

typedef struct {
    uint8_t kind;          /* ladder_kind */
    uint32_t nrungs;       /* 2 or 3 */
    uint32_t cat;          /* L_APPS_CAT */
    uint32_t item;         /* L_ITEM, L_FRIENDLIST */
} ladder;

typedef struct {
    uint8_t *rung;         /* one per ladder */
    uint64_t reach;        /* intended pairs of U's items seen */
    uint32_t external;     /* external exposures of U's items */
    uint32_t forbidden;    /* forbidden exposures of U's items, in the scenario as written */
    uint32_t changes;
    uint32_t index;
} config;

typedef struct {
    const ps_model *m;
    uint32_t u;
    ladder *l; uint32_t nl;
    const ps_harden_opts *o;
} search;

static bool of_user(const ps_model *m, uint32_t u, uint32_t item)
{
    const ps_item *it = &m->items[item];
    if (it->kind == PS_ITEM_FIELD && !it->has_audience)
        return false;
    return it->owner == u || (it->persona != PS_NONE && m->personas[it->persona].owner == u);
}

/* ---------------------------------------------------------------------------------------
 * Applying a configuration
 * ------------------------------------------------------------------------------------- */

/* Leaves out U's later `set` steps of one setting (kind, and item for audiences). */
static void drop_own_sets(ps_model *m, uint32_t u, ps_setting_kind kind, uint32_t item)
{
    for (uint32_t k = 0; k < m->nsteps; k++) {
        ps_step *s = &m->steps[k];
        if (s->kind != PS_STEP_SET || s->actor != u)
            continue;
        uint32_t w = 0;
        for (uint32_t i = 0; i < s->nsettings; i++) {
            ps_setting *x = &s->settings[i];
            if (x->kind == kind && (kind != PS_SET_AUDIENCE || x->item == item))
                ps_audience_free(&x->audience);
            else
                s->settings[w++] = *x;
        }
        s->nsettings = w;
        if (!w) {
            ps_step_free(s);
            memmove(m->steps + k, m->steps + k + 1, (size_t)(m->nsteps - k - 1) * sizeof *s);
            m->nsteps--;
            k--;
        }
    }
}

static int apply_rung(ps_model *c, uint32_t u, const ladder *l, uint32_t rung)
{
    if (!rung)
        return 0;
    ps_fix f;
    int rc = 0;
    switch ((ladder_kind)l->kind) {
    case L_TAG_REVIEW:
        c->users[u].tag_review = PS_ON;
        drop_own_sets(c, u, PS_SET_TAG_REVIEW, PS_NONE);
        return 0;
    case L_APPS_CAT: case L_APPS_ALL: {
        uint32_t cats = ps_user_apps_cats(c, u);
        c->users[u].has_apps_cats = true;
        c->users[u].apps_cats = l->kind == L_APPS_ALL ? 0 : cats & ~(1u << l->cat);
        drop_own_sets(c, u, PS_SET_APPS_CATS, PS_NONE);
        return 0;
    }
    case L_FRIENDLIST:
        f = ps_fix__new(PS_FIX_FRIENDLIST, u, PS_NONE);
        drop_own_sets(c, u, PS_SET_AUDIENCE, l->item);
        return ps_fix_apply(c, &f);
    case L_ITEM: {
        const ps_item *it = &c->items[l->item];
        drop_own_sets(c, u, PS_SET_AUDIENCE, l->item);
        if (rung == 1 && l->nrungs == 3) {
            f = ps_fix__new(PS_FIX_HIDE, u, l->item);
            if (ps_terms_copy(&f.terms, &c->personas[it->persona].forbid))
                return -1;
        } else {
            f = ps_fix__new(PS_FIX_SET_AUDIENCE, u, l->item);
            if (ps_terms_push(&f.terms, PS_TERM_ONLY_ME, PS_NONE))
                return -1;
        }
        rc = ps_fix_apply(c, &f);
        ps_terms_free(&f.terms);
        return rc;
    }
    }
    return 0;
}

static ps_model *configured(const search *s, const uint8_t *rung)
{
    ps_model *c = ps_model_clone(s->m);
    for (uint32_t i = 0; c && i < s->nl; i++)
        if (apply_rung(c, s->u, &s->l[i], rung[i])) {
            ps_model_free(c);
            return NULL;
        }
    return c;
}

/* ---------------------------------------------------------------------------------------
 * Measuring a configuration in the scenario as written
 * ------------------------------------------------------------------------------------- */

/* The intended pairs of U's items that model `c` shows at the end, judged by the intent of
 * the scenario as written (an engine over it, at its end). */
static int reach_pairs(const search *s, ps_engine *intent, const ps_model *c,
                       ps_harden_pair **out, uint32_t *n)
{
    uint32_t cap = 0;
    *out = NULL;
    *n = 0;
    ps_engine *e = ps_engine_new(c);
    if (!e || ps_engine_run(e) < 0) {
        ps_engine_free(e);
        return -1;
    }
    uint32_t *aud = NULL, acap = 0;
    int rc = 0;
    for (uint32_t i = 0; i < s->m->nitems && !rc; i++) {
        if (!of_user(s->m, s->u, i))
            continue;
        uint32_t na;
        if (ps_engine_eval(e, i)) {
            rc = -1;
            break;
        }
        const uint32_t *a = ps_engine_audience(e, &na);
        if (ps_grow((void **)&aud, &acap, na + 1, sizeof *aud)) {
            rc = -1;
            break;
        }
        memcpy(aud, a, (size_t)na * sizeof *aud);
        for (uint32_t k = 0; k < na; k++) {
            uint32_t v = aud[k];
            if (v >= s->m->nusers || v == s->u || !ps_engine_intended(intent, i, v))
                continue;
            if (ps_grow((void **)out, &cap, *n + 1, sizeof **out)) {
                rc = -1;
                break;
            }
            (*out)[(*n)++] = (ps_harden_pair){ i, v };
        }
    }
    free(aud);
    ps_engine_free(e);
    return rc;
}

static int measure(const search *s, ps_engine *intent, config *cf)
{
    ps_model *c = configured(s, cf->rung);
    ps_report *r = NULL;
    ps_harden_pair *pairs = NULL;
    uint32_t np = 0;
    ps_check_opts co = { .fixes = false };
    int rc = -1;
    if (!c || ps_check(c, &co, &r) || reach_pairs(s, intent, c, &pairs, &np))
        goto out;
    cf->reach = np;
    cf->external = cf->forbidden = 0;
    for (uint32_t i = 0; i < r->nexposures; i++) {
        const ps_exposure *x = &r->exposures[i];
        if (!of_user(s->m, s->u, x->item))
            continue;
        cf->external += x->severity == PS_SEV_EXTERNAL;
        cf->forbidden += x->severity == PS_SEV_FORBIDDEN;
    }
    rc = 0;
out:
    free(pairs);
    ps_report_free(r);
    ps_model_free(c);
    return rc;
}

/* ---------------------------------------------------------------------------------------
 * Checking a configuration over the space
 * ------------------------------------------------------------------------------------- */

static int build_space(const search *s, const ps_model *c, ps_space **out, char *err,
                       size_t errlen)
{
    const char *who[1] = { s->o->user };
    ps_space_opts so = {
        .vary_others = s->o->others ? who : NULL,
        .nvary_others = s->o->others ? 1 : 0,
        .vary_rules = s->o->rules,
        .no_vary_lines = !s->o->vary,
    };
    int rc = ps_space_build(c, &so, out, err, errlen);
    if (rc)
        return rc;
    if ((*out)->npoints > PS_HARDEN_MAX_POINTS) {
        snprintf(err, errlen, "the space has %.0f points; harden checks every point and "
                              "walks at most %.0f (choose fewer families with --against)",
                 (*out)->npoints, PS_HARDEN_MAX_POINTS);
        ps_space_free(*out);
        *out = NULL;
        return -2;
    }
    return 0;
}

/* Walks every point of the space of model `c`: 1 when all are clean, 0 when one is not (its
 * point, with the fewest changes among the failing ones when `fewest`, into *bad, owned by
 * the caller), -1 out of memory, -2 see err. */
static int check_space(const search *s, const ps_model *c, bool fewest, double *points,
                       ps_space **space_out, uint8_t **bad, char *err, size_t errlen)
{
    ps_space *sp = NULL;
    ps_fuzz_eval *ev = NULL;
    uint8_t *pt = NULL;
    uint32_t best = UINT32_MAX;
    int rc = build_space(s, c, &sp, err, errlen);
    *bad = NULL;
    *points = 0;
    if (rc)
        return rc;
    rc = -1;
    pt = calloc(sp->ndims ? sp->ndims : 1, 1);
    if (!pt || ps_fuzz_eval_new(c, sp, 0, &ev))
        goto out;
    int clean = 1;
    for (;;) {
        const ps_fuzz_exposure *x;
        uint32_t n;
        if (ps_fuzz_eval_point(ev, pt, &x, &n))
            goto out;
        *points += 1;
        for (uint32_t i = 0; i < n; i++) {
            if (x[i].severity != PS_SEV_FORBIDDEN || !of_user(s->m, s->u, x[i].item))
                continue;
            clean = 0;
            uint32_t d = ps_space_distance(sp, pt);
            if (d < best) {
                best = d;
                free(*bad);
                if (!(*bad = malloc(sp->ndims ? sp->ndims : 1)))
                    goto out;
                memcpy(*bad, pt, sp->ndims);
            }
            break;
        }
        if (!clean && !fewest)
            break;
        /* the next point, odometer order: neighbours differ in few dimensions */
        uint32_t d = sp->ndims;
        while (d > 0) {
            d--;
            if (++pt[d] < sp->dims[d].nalts)
                break;
            pt[d] = 0;
            if (d == 0) {
                d = UINT32_MAX;
                break;
            }
        }
        if (d == UINT32_MAX || sp->ndims == 0)
            break;
    }
    rc = clean;
out:
    ps_fuzz_eval_free(ev);
    free(pt);
    if (space_out && rc >= 0)
        *space_out = sp;
    else
        ps_space_free(sp);
    return rc;
}

/* ---------------------------------------------------------------------------------------
 * Results
 * ------------------------------------------------------------------------------------- */

static int push_str(char ***v, uint32_t *n, char *s)
{
    if (!s)
        return -1;
    char **w = realloc(*v, (*n + 1) * sizeof *w);
    if (!w) {
        free(s);
        return -1;
    }
    *v = w;
    w[(*n)++] = s;
    return 0;
}

/* The chosen settings as scenario lines. */
static int settings_lines(ps_harden *h, const search *s, const ps_model *c, const uint8_t *rung)
{
    const ps_model *m = s->m;
    const char *un = m->users[s->u].name;
    char *buf = NULL;
    size_t len = 0;
    bool user_line = false;
    for (uint32_t i = 0; i < s->nl; i++)
        user_line |= rung[i] && s->l[i].kind != L_ITEM && s->l[i].kind != L_FRIENDLIST;
    if (user_line) {
        FILE *f = open_memstream(&buf, &len);
        if (!f)
            return -1;
        fprintf(f, "set %s", un);
        for (uint32_t i = 0; i < s->nl; i++)
            if (rung[i] && s->l[i].kind == L_TAG_REVIEW)
                fputs(" tag-review=on", f);
        bool apps = false;
        for (uint32_t i = 0; i < s->nl; i++)
            apps |= rung[i] && (s->l[i].kind == L_APPS_CAT || s->l[i].kind == L_APPS_ALL);
        if (apps) {
            fputs(" apps-through-friends=", f);
            ps_print_categories(f, ps_user_apps_cats(c, s->u), false);
        }
        fclose(f);
        if (push_str(&h->lines, &h->nlines, buf))
            return -1;
    }
    for (uint32_t i = 0; i < s->nl; i++) {
        if (!rung[i] || (s->l[i].kind != L_ITEM && s->l[i].kind != L_FRIENDLIST))
            continue;
        const ps_item *it = &c->items[s->l[i].item];
        FILE *f = open_memstream(&buf, &len);
        if (!f)
            return -1;
        fprintf(f, "set %s %s ", un, it->name);
        ps_print_audience(f, c, &it->audience);
        fclose(f);
        if (push_str(&h->lines, &h->nlines, buf))
            return -1;
    }
    return 0;
}

/* When nothing suffices: the failing point's changes, exposures and other people's fixes. */
static int explain_failure(ps_harden *h, const search *s, const ps_space *sp, const uint8_t *pt)
{
    char buf[1024], x[1024];
    for (uint32_t d = 0; d < sp->ndims; d++)
        if (pt[d] != sp->dims[d].origin &&
            push_str(&h->needs, &h->nneeds, strdup(ps_space_alt_text(sp, d, pt[d]))))
            return -1;
    ps_model *pm = ps_space_point_model(sp, pt);
    ps_report *r = NULL;
    ps_check_opts co = { .fixes = true };
    int rc = -1;
    uint32_t cap = 0;
    if (!pm || ps_check(pm, &co, &r) || ps_fix_complete(pm, r))
        goto out;
    for (uint32_t i = 0; i < r->nexposures; i++) {
        const ps_exposure *e = &r->exposures[i];
        if (e->severity != PS_SEV_FORBIDDEN || !of_user(s->m, s->u, e->item))
            continue;
        if (ps_grow((void **)&h->left, &cap, h->nleft + 1, sizeof *h->left))
            goto out;
        h->left[h->nleft++] = (ps_harden_pair){ e->item, e->viewer };
        for (uint32_t k = 0; k < e->nfixes; k++) {
            const ps_fix *f = &r->fixes[e->fix_first + k];
            if (f->user == s->u)
                continue;
            snprintf(x, sizeof x, "%s sees %s: %s", ps_viewer_name(pm, e->viewer, buf, sizeof buf),
                     pm->items[e->item].name, "");
            size_t l = strlen(x);
            ps_fix_text(pm, f, x + l, sizeof x - l);
            if (push_str(&h->others, &h->nothers, strdup(x)))
                goto out;
        }
    }
    rc = 0;
out:
    ps_report_free(r);
    ps_model_free(pm);
    return rc;
}

void ps_harden_free(ps_harden *h)
{
    if (!h)
        return;
    for (uint32_t i = 0; i < h->nlines; i++)
        free(h->lines[i]);
    for (uint32_t i = 0; i < h->nneeds; i++)
        free(h->needs[i]);
    for (uint32_t i = 0; i < h->nothers; i++)
        free(h->others[i]);
    free(h->lines);
    free(h->needs);
    free(h->others);
    free(h->kept);
    free(h->lost);
    free(h->left);
    ps_model_free(h->hardened);
    free(h);
}

/* ---------------------------------------------------------------------------------------
 * The search
 * ------------------------------------------------------------------------------------- */

static int cmp_config(const void *pa, const void *pb)
{
    const config *a = pa, *b = pb;
    if (a->reach != b->reach)
        return a->reach > b->reach ? -1 : 1;
    if (a->external != b->external)
        return a->external < b->external ? -1 : 1;
    if (a->changes != b->changes)
        return a->changes < b->changes ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* Whether configuration `a` is nowhere narrower than `b`. */
static bool nowhere_narrower(const search *s, const uint8_t *a, const uint8_t *b)
{
    for (uint32_t i = 0; i < s->nl; i++)
        if (a[i] > b[i])
            return false;
    return true;
}

static int add_ladder(ladder **v, uint32_t *n, ladder l)
{
    ladder *w = realloc(*v, (*n + 1) * sizeof *w);
    if (!w)
        return -1;
    *v = w;
    w[(*n)++] = l;
    return 0;
}

static int ladders(search *s, ps_model *scratch)
{
    const ps_model *m = s->m;
    uint32_t u = s->u;
    int8_t tr = m->users[u].tag_review;
    if (!(tr == PS_ON || (tr == PS_UNSET && m->rules.tag_review_default)))
        if (add_ladder(&s->l, &s->nl, (ladder){ L_TAG_REVIEW, 2, 0, PS_NONE }))
            return -1;
    uint32_t cats = ps_user_apps_cats(m, u);
    uint32_t napps = 0;
    for (unsigned c = 0; c < PS_NCATS; c++)
        napps += (cats >> c) & 1;
    if (m->rules.apps_through_friends && napps && napps <= 4) {
        for (unsigned c = 0; c < PS_NCATS; c++)
            if (((cats >> c) & 1) && add_ladder(&s->l, &s->nl, (ladder){ L_APPS_CAT, 2, c, PS_NONE }))
                return -1;
    } else if (m->rules.apps_through_friends && napps) {
        if (add_ladder(&s->l, &s->nl, (ladder){ L_APPS_ALL, 2, 0, PS_NONE }))
            return -1;
    }
    uint32_t fl = ps_model_field_item(scratch, u, PS_F_FRIENDLIST);
    if (fl != PS_NONE && fl < m->nitems) {
        ps_audience a = ps_item_audience(m, &m->items[fl]);
        bool only_me = a.allow.n == 1 && a.allow.v[0].kind == PS_TERM_ONLY_ME;
        if (!only_me && add_ladder(&s->l, &s->nl, (ladder){ L_FRIENDLIST, 2, 0, fl }))
            return -1;
    }
    for (uint32_t i = 0; i < m->nitems; i++) {
        const ps_item *it = &m->items[i];
        if (it->owner != u || it->group != PS_NONE || it->persona == PS_NONE ||
            m->personas[it->persona].owner != u)
            continue;
        uint32_t rungs = m->personas[it->persona].forbid.n ? 3 : 2;
        if (add_ladder(&s->l, &s->nl, (ladder){ L_ITEM, rungs, 0, i }))
            return -1;
    }
    return 0;
}

int ps_harden_run(const ps_model *m, const ps_harden_opts *o, ps_harden **out, char *err,
                  size_t errlen)
{
    *out = NULL;
    search s = { .m = m, .o = o };
    s.u = ps_model_find(m, PS_NS_USER, 0, o->user, strlen(o->user));
    if (s.u == PS_NONE) {
        snprintf(err, errlen, "no user '%s' in the scenario", o->user);
        return -2;
    }
    ps_harden *h = calloc(1, sizeof *h);
    ps_model *scratch = ps_model_clone(m);
    ps_engine *intent = NULL;
    config *cf = NULL;
    uint8_t *rungs = NULL, **unsafe = NULL, *bad = NULL;
    uint32_t nunsafe = 0, ncf = 1;
    ps_space *sp = NULL;
    int rc = -1;
    if (!h || !scratch || ladders(&s, scratch))
        goto out;
    h->user = s.u;
    for (uint32_t i = 0; i < s.nl; i++) {
        ncf *= s.l[i].nrungs;
        if (ncf > PS_HARDEN_MAX_CONFIGS) {
            snprintf(err, errlen, "%s has more than %u combinations of settings to weigh",
                     o->user, PS_HARDEN_MAX_CONFIGS);
            rc = -2;
            goto out;
        }
    }
    intent = ps_engine_new(m);
    cf = calloc(ncf, sizeof *cf);
    rungs = calloc((size_t)ncf * (s.nl ? s.nl : 1), 1);
    unsafe = calloc(ncf, sizeof *unsafe);
    if (!intent || ps_engine_run(intent) < 0 || !cf || !rungs || !unsafe)
        goto out;
    for (uint32_t k = 0; k < ncf; k++) {
        cf[k].rung = rungs + (size_t)k * s.nl;
        cf[k].index = k;
        uint32_t rest = k;
        for (uint32_t i = s.nl; i-- > 0;) {
            cf[k].rung[i] = (uint8_t)(rest % s.l[i].nrungs);
            rest /= s.l[i].nrungs;
            cf[k].changes += cf[k].rung[i] != 0;
        }
        if (measure(&s, intent, &cf[k]))
            goto out;
    }
    h->nconfigs = ncf;
    /* the narrowest configuration first: when it is not safe, nothing is */
    config *top = &cf[ncf - 1];
    ps_model *c = configured(&s, top->rung);
    if (!c)
        goto out;
    int safe = check_space(&s, c, true, &h->points, &sp, &bad, err, errlen);
    h->nchecked++;
    if (safe < 0) {
        ps_model_free(c);
        rc = safe;
        goto out;
    }
    if (!safe) {
        h->suffices = false;
        h->hardened = c;
        h->ndims = sp->ndims;
        if (settings_lines(h, &s, c, top->rung) || explain_failure(h, &s, sp, bad))
            goto out;
        *out = h;
        h = NULL;
        rc = 0;
        goto out;
    }
    ps_model_free(c);
    ps_space_free(sp);
    sp = NULL;
    qsort(cf, ncf, sizeof *cf, cmp_config);
    config *chosen = NULL;
    for (uint32_t k = 0; k < ncf && !chosen; k++) {
        bool pruned = false;
        for (uint32_t j = 0; j < nunsafe && !pruned; j++)
            pruned = nowhere_narrower(&s, cf[k].rung, unsafe[j]);
        if (pruned) {
            h->npruned++;
            continue;
        }
        if (cf[k].forbidden) { /* unsafe in the scenario as written already */
            unsafe[nunsafe++] = cf[k].rung;
            continue;
        }
        bool is_top = true;
        for (uint32_t i = 0; i < s.nl; i++)
            is_top &= cf[k].rung[i] == s.l[i].nrungs - 1;
        if (is_top) {
            chosen = &cf[k];
            break;
        }
        c = configured(&s, cf[k].rung);
        if (!c)
            goto out;
        double pts;
        free(bad);
        bad = NULL;
        safe = check_space(&s, c, false, &pts, NULL, &bad, err, errlen);
        ps_model_free(c);
        h->nchecked++;
        if (safe < 0) {
            rc = safe;
            goto out;
        }
        if (safe) {
            chosen = &cf[k];
            h->points = pts;
        } else {
            unsafe[nunsafe++] = cf[k].rung;
        }
    }
    h->suffices = true;
    h->hardened = configured(&s, chosen->rung);
    if (!h->hardened || build_space(&s, h->hardened, &sp, err, errlen))
        goto out;
    h->ndims = sp->ndims;
    h->nexternal = chosen->external;
    for (uint32_t i = 0; i < s.nl; i++)
        h->nchanges += chosen->rung[i] != 0;
    if (settings_lines(h, &s, h->hardened, chosen->rung))
        goto out;
    /* kept and lost intended pairs */
    ps_harden_pair *before = NULL;
    uint32_t nbefore = 0, cap = 0;
    if (reach_pairs(&s, intent, m, &before, &nbefore) ||
        reach_pairs(&s, intent, h->hardened, &h->kept, &h->nkept)) {
        free(before);
        goto out;
    }
    for (uint32_t i = 0; i < nbefore; i++) {
        bool kept = false;
        for (uint32_t j = 0; j < h->nkept && !kept; j++)
            kept = h->kept[j].item == before[i].item && h->kept[j].viewer == before[i].viewer;
        if (!kept && !ps_grow((void **)&h->lost, &cap, h->nlost + 1, sizeof *h->lost))
            h->lost[h->nlost++] = before[i];
    }
    free(before);
    *out = h;
    h = NULL;
    rc = 0;
out:
    ps_space_free(sp);
    free(bad);
    free(unsafe);
    free(rungs);
    free(cf);
    free(s.l);
    ps_engine_free(intent);
    ps_model_free(scratch);
    ps_harden_free(h);
    return rc;
}
