/* equal.c - whether two models describe the same scenario (ps_model_equal, see print.h).
 *
 * Objects are matched by name, so that a model and its canonical print read back (where
 * users, items and members are sorted) compare equal.  Every index of the first model is
 * translated into the second through per-namespace maps before comparing.
 */
#include "person.h"
#include "print.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const ps_model *a, *b;
    uint32_t *users, *lists, *networks, *groups, *personas, *items, *apps; /* a -> b */
    char *why;
    size_t whylen;
} eq;

static bool differ(eq *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool differ(eq *e, const char *fmt, ...)
{
    if (e->why && e->whylen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->why, e->whylen, fmt, ap);
        va_end(ap);
    }
    return false;
}

static uint32_t map(const uint32_t *v, uint32_t n, uint32_t i)
{
    return i < n ? v[i] : PS_NONE;
}

#define MAPU(e, i) map((e)->users, (e)->a->nusers, (i))
#define MAPI(e, i) map((e)->items, (e)->a->nitems, (i))
#define MAPA(e, i) map((e)->apps, (e)->a->napps, (i))

static bool str_eq(const char *x, const char *y)
{
    return (!x && !y) || (x && y && strcmp(x, y) == 0);
}

/* True for the items a scenario shows: posts, photos and declared fields.  An undeclared
 * field exists only because something refers to it, and that reference is compared. */
static bool item_shown(const ps_item *it)
{
    return it->kind != PS_ITEM_FIELD || it->has_audience || it->loc.line != 0;
}

/* Builds the maps; false when a name of one model is missing in the other. */
static bool build_maps(eq *e)
{
    const ps_model *a = e->a, *b = e->b;
    if (a->nusers != b->nusers)
        return differ(e, "%u users against %u", a->nusers, b->nusers);
    e->users = malloc(((size_t)a->nusers + 1) * sizeof *e->users);
    e->lists = malloc(((size_t)a->nlists + 1) * sizeof *e->lists);
    e->networks = malloc(((size_t)a->nnetworks + 1) * sizeof *e->networks);
    e->groups = malloc(((size_t)a->ngroups + 1) * sizeof *e->groups);
    e->personas = malloc(((size_t)a->npersonas + 1) * sizeof *e->personas);
    e->items = malloc(((size_t)a->nitems + 1) * sizeof *e->items);
    e->apps = malloc(((size_t)a->napps + 1) * sizeof *e->apps);
    if (!e->users || !e->lists || !e->networks || !e->groups || !e->personas || !e->items ||
        !e->apps)
        return differ(e, "out of memory");
    for (uint32_t i = 0; i < a->nusers; i++) {
        const char *n = a->users[i].name;
        if ((e->users[i] = ps_model_find(b, PS_NS_USER, 0, n, strlen(n))) == PS_NONE)
            return differ(e, "user '%s' is missing", n);
    }
#define MAP_GLOBAL(arr, cnt, ns, what)                                                     \
    do {                                                                                   \
        if (a->cnt != b->cnt)                                                              \
            return differ(e, "%u %s against %u", a->cnt, what, b->cnt);                    \
        for (uint32_t i = 0; i < a->cnt; i++) {                                            \
            const char *n = a->arr[i].name;                                                \
            if ((e->arr[i] = ps_model_find(b, ns, 0, n, strlen(n))) == PS_NONE)            \
                return differ(e, "%s '%s' is missing", what, n);                           \
        }                                                                                  \
    } while (0)
    MAP_GLOBAL(networks, nnetworks, PS_NS_NETWORK, "networks");
    MAP_GLOBAL(groups, ngroups, PS_NS_GROUP, "groups");
    MAP_GLOBAL(apps, napps, PS_NS_APP, "apps");
#undef MAP_GLOBAL
#define MAP_OWNED(arr, cnt, ns, what)                                                      \
    do {                                                                                   \
        if (a->cnt != b->cnt)                                                              \
            return differ(e, "%u %s against %u", a->cnt, what, b->cnt);                    \
        for (uint32_t i = 0; i < a->cnt; i++) {                                            \
            const char *n = a->arr[i].name;                                                \
            uint32_t o = MAPU(e, a->arr[i].owner);                                         \
            if ((e->arr[i] = ps_model_find(b, ns, o, n, strlen(n))) == PS_NONE)            \
                return differ(e, "%s '%s' is missing", what, n);                           \
        }                                                                                  \
    } while (0)
    MAP_OWNED(lists, nlists, PS_NS_LIST, "lists");
    MAP_OWNED(personas, npersonas, PS_NS_PERSONA, "personas");
#undef MAP_OWNED
    for (uint32_t i = 0; i < a->nitems; i++) {
        const char *n = a->items[i].name;
        e->items[i] = ps_model_find(b, PS_NS_ITEM, 0, n, strlen(n));
        if (e->items[i] == PS_NONE && item_shown(&a->items[i]))
            return differ(e, "item '%s' is missing", n);
    }
    for (uint32_t i = 0; i < b->nitems; i++) {
        const char *n = b->items[i].name;
        if (item_shown(&b->items[i]) &&
            ps_model_find(a, PS_NS_ITEM, 0, n, strlen(n)) == PS_NONE)
            return differ(e, "item '%s' is extra", n);
    }
    return true;
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t p = *(const uint32_t *)x, q = *(const uint32_t *)y;
    return p < q ? -1 : p > q;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t p = *(const uint64_t *)x, q = *(const uint64_t *)y;
    return p < q ? -1 : p > q;
}

/* Sorts and deduplicates v[0..n); returns the new count. */
static uint32_t sort_unique(uint32_t *v, uint32_t n)
{
    qsort(v, n, sizeof *v, cmp_u32);
    uint32_t w = 0;
    for (uint32_t i = 0; i < n; i++)
        if (w == 0 || v[w - 1] != v[i])
            v[w++] = v[i];
    return w;
}

/* Compares member sets: a's members (translated) against b's. */
static bool same_users(eq *e, const uint32_t *va, uint32_t na, const uint32_t *vb, uint32_t nb)
{
    uint32_t *x = malloc(((size_t)na + 1) * sizeof *x), *y = malloc(((size_t)nb + 1) * sizeof *y);
    bool same = false;
    if (x && y) {
        for (uint32_t i = 0; i < na; i++)
            x[i] = MAPU(e, va[i]);
        if (nb)
            memcpy(y, vb, (size_t)nb * sizeof *y);
        uint32_t nx = sort_unique(x, na), ny = sort_unique(y, nb);
        same = nx == ny && memcmp(x, y, (size_t)nx * sizeof *x) == 0;
    }
    free(x);
    free(y);
    return same;
}

/* Compares a term's reference through the maps. */
static bool same_term(eq *e, const ps_term *x, const ps_term *y)
{
    if (x->kind != y->kind)
        return false;
    const ps_model *a = e->a;
    switch (x->kind) {
    case PS_TERM_LIST: return map(e->lists, a->nlists, x->ref) == y->ref;
    case PS_TERM_NETWORK: return map(e->networks, a->nnetworks, x->ref) == y->ref;
    case PS_TERM_GROUP: return map(e->groups, a->ngroups, x->ref) == y->ref;
    case PS_TERM_USER: return MAPU(e, x->ref) == y->ref;
    default: return true;
    }
}

static bool same_terms(eq *e, const ps_terms *x, const ps_terms *y)
{
    if (x->n != y->n)
        return false;
    for (uint32_t i = 0; i < x->n; i++)
        if (!same_term(e, &x->v[i], &y->v[i]))
            return false;
    return true;
}

static bool same_audience(eq *e, const ps_audience *x, const ps_audience *y)
{
    return same_terms(e, &x->allow, &y->allow) && same_terms(e, &x->hide, &y->hide);
}

static bool same_rules(const ps_rules *x, const ps_rules *y, uint32_t ids, uint32_t cats)
{
    for (unsigned id = 0; id < PS_NRULES; id++)
        if ((ids & (1u << id)) && !ps_rule_equal(x, y, (ps_rule_id)id, cats))
            return false;
    return true;
}

static bool compare_rules(eq *e)
{
    const ps_model *a = e->a, *b = e->b;
    if (!str_eq(a->platform, b->platform))
        return differ(e, "platform %s against %s", a->platform ? a->platform : "(none)",
                      b->platform ? b->platform : "(none)");
    if (a->rules_set != b->rules_set || a->default_audience_set != b->default_audience_set)
        return differ(e, "different rule lines");
    if (!same_rules(&a->overrides, &b->overrides, a->rules_set, a->default_audience_set))
        return differ(e, "different values on rule lines");
    if (!same_rules(&a->rules, &b->rules, (1u << PS_NRULES) - 1, PS_CATS_ALL))
        return differ(e, "different effective rules");
    return true;
}

static bool compare_users(eq *e)
{
    const ps_model *a = e->a, *b = e->b;
    for (uint32_t i = 0; i < a->nusers; i++) {
        const ps_user *x = &a->users[i], *y = &b->users[e->users[i]];
        if (!str_eq(x->display, y->display))
            return differ(e, "user '%s': display names differ", x->name);
        if (x->tag_review != y->tag_review || x->has_apps_cats != y->has_apps_cats ||
            x->search_listing != y->search_listing ||
            (x->has_apps_cats && x->apps_cats != y->apps_cats))
            return differ(e, "user '%s': settings differ", x->name);
    }
    return true;
}

/* Friendships of `m` as sorted unique pairs, users translated by `mp` (NULL: as is). */
static uint64_t *pair_set(eq *e, const ps_model *m, bool translate, uint32_t *n)
{
    uint64_t *v = malloc(((size_t)m->npairs + 1) * sizeof *v);
    *n = 0;
    if (!v)
        return NULL;
    for (uint32_t i = 0; i < m->npairs; i++) {
        uint32_t x = (uint32_t)(m->pairs[i] >> 32), y = (uint32_t)m->pairs[i];
        if (translate) {
            x = MAPU(e, x);
            y = MAPU(e, y);
        }
        if (x == y)
            continue;
        v[(*n)++] = x < y ? ((uint64_t)x << 32) | y : ((uint64_t)y << 32) | x;
    }
    qsort(v, *n, sizeof *v, cmp_u64);
    uint32_t w = 0;
    for (uint32_t i = 0; i < *n; i++)
        if (w == 0 || v[w - 1] != v[i])
            v[w++] = v[i];
    *n = w;
    return v;
}

static bool compare_friends(eq *e)
{
    uint32_t na, nb;
    uint64_t *pa = pair_set(e, e->a, true, &na), *pb = pair_set(e, e->b, false, &nb);
    bool same = pa && pb && na == nb && memcmp(pa, pb, (size_t)na * sizeof *pa) == 0;
    free(pa);
    free(pb);
    return same ? true : differ(e, "friendships differ (%u against %u)", na, nb);
}

static bool compare_sets(eq *e)
{
    const ps_model *a = e->a, *b = e->b;
    for (uint32_t i = 0; i < a->nnetworks; i++) {
        const ps_network *x = &a->networks[i], *y = &b->networks[e->networks[i]];
        if (!same_users(e, x->members, x->nmembers, y->members, y->nmembers) ||
            x->regional != y->regional)
            return differ(e, "network '%s': members or kind differ", x->name);
    }
    for (uint32_t i = 0; i < a->ngroups; i++) {
        const ps_group *x = &a->groups[i], *y = &b->groups[e->groups[i]];
        if (x->kind != y->kind || !same_users(e, x->members, x->nmembers, y->members,
                                              y->nmembers))
            return differ(e, "group '%s' differs", x->name);
    }
    for (uint32_t i = 0; i < a->nlists; i++) {
        const ps_list *x = &a->lists[i], *y = &b->lists[e->lists[i]];
        if (!same_users(e, x->members, x->nmembers, y->members, y->nmembers))
            return differ(e, "list '%s': members differ", x->name);
    }
    for (uint32_t i = 0; i < a->npersonas; i++) {
        const ps_persona *x = &a->personas[i], *y = &b->personas[e->personas[i]];
        if (!same_terms(e, &x->audience, &y->audience) || !same_terms(e, &x->forbid, &y->forbid))
            return differ(e, "persona '%s' differs", x->name);
    }
    for (uint32_t i = 0; i < a->napps; i++) {
        const ps_app *x = &a->apps[i], *y = &b->apps[e->apps[i]];
        if (!same_users(e, x->installers, x->ninstallers, y->installers, y->ninstallers) ||
            x->partner != y->partner)
            return differ(e, "app '%s': installers or partner differ", x->name);
    }
    return true;
}

/* Tags as a set of (user, approved, removed), translated for model a. */
static bool same_tags(eq *e, const ps_item *x, const ps_item *y)
{
    if (x->ntags != y->ntags)
        return false;
    for (uint32_t i = 0; i < x->ntags; i++) {
        uint32_t u = MAPU(e, x->tags[i].user);
        bool found = false;
        for (uint32_t j = 0; j < y->ntags && !found; j++)
            found = y->tags[j].user == u && y->tags[j].approved == x->tags[i].approved &&
                    y->tags[j].removed == x->tags[i].removed;
        if (!found)
            return false;
    }
    return true;
}

static bool compare_items(eq *e)
{
    const ps_model *a = e->a, *b = e->b;
    for (uint32_t i = 0; i < a->nitems; i++) {
        if (e->items[i] == PS_NONE)
            continue;
        const ps_item *x = &a->items[i], *y = &b->items[e->items[i]];
        if (x->kind != y->kind || (x->kind == PS_ITEM_FIELD && x->field != y->field) ||
            MAPU(e, x->owner) != y->owner)
            return differ(e, "item '%s': kind or owner differs", x->name);
        if (item_shown(x) != item_shown(y))
            return differ(e, "item '%s': declared in one only", x->name);
        if (x->has_audience != y->has_audience || !same_audience(e, &x->audience, &y->audience))
            return differ(e, "item '%s': audience differs", x->name);
        uint32_t g = x->group == PS_NONE ? PS_NONE : map(e->groups, a->ngroups, x->group);
        uint32_t p = x->persona == PS_NONE ? PS_NONE
                                            : map(e->personas, a->npersonas, x->persona);
        if (g != y->group || p != y->persona)
            return differ(e, "item '%s': group or persona differs", x->name);
        if (!same_tags(e, x, y))
            return differ(e, "item '%s': tags differ", x->name);
        if (!str_eq(x->caption, y->caption))
            return differ(e, "item '%s': caption differs", x->name);
        if (x->tag_friends != y->tag_friends || x->link != y->link)
            return differ(e, "item '%s': tag-friends= or link= differs", x->name);
    }
    return true;
}

static bool same_setting(eq *e, const ps_setting *x, const ps_setting *y)
{
    if (x->kind != y->kind)
        return false;
    if (x->kind == PS_SET_AUDIENCE)
        return MAPI(e, x->item) == y->item && same_audience(e, &x->audience, &y->audience);
    return x->value == y->value;
}

/* The viewer of an expect or accept line of `a` is the one of `b`. */
static bool same_viewer(eq *e, uint8_t xkind, uint32_t x, uint8_t ykind, uint32_t y)
{
    uint32_t v = xkind == PS_VIEWER_USER ? MAPU(e, x) : xkind == PS_VIEWER_APP ? MAPA(e, x) : x;
    return xkind == ykind && (xkind == PS_VIEWER_INTERNET || v == y);
}

static bool same_step(eq *e, const ps_step *x, const ps_step *y)
{
    if (x->kind != y->kind || MAPU(e, x->actor) != y->actor)
        return false;
    switch (x->kind) {
    case PS_STEP_BEFRIEND: case PS_STEP_UNFRIEND:
        return MAPU(e, x->other) == y->other;
    case PS_STEP_INSTALL:
        return MAPA(e, x->other) == y->other;
    case PS_STEP_SET:
        if (x->nsettings != y->nsettings)
            return false;
        for (uint32_t i = 0; i < x->nsettings; i++)
            if (!same_setting(e, &x->settings[i], &y->settings[i]))
                return false;
        return true;
    default:
        break;
    }
    if (MAPI(e, x->item) != y->item || x->nusers != y->nusers)
        return false;
    for (uint32_t i = 0; i < x->nusers; i++)
        if (MAPU(e, x->users[i]) != y->users[i])
            return false;
    if (x->kind == PS_STEP_SHARE)
        return x->has_audience == y->has_audience &&
               same_audience(e, &x->audience, &y->audience);
    return true;
}

static bool compare_timeline(eq *e)
{
    const ps_model *a = e->a, *b = e->b;
    if (a->nsteps != b->nsteps)
        return differ(e, "%u steps against %u", a->nsteps, b->nsteps);
    for (uint32_t i = 0; i < a->nsteps; i++)
        if (!same_step(e, &a->steps[i], &b->steps[i]))
            return differ(e, "step %u differs", i + 1);
    if (a->nexpects != b->nexpects)
        return differ(e, "%u expects against %u", a->nexpects, b->nexpects);
    for (uint32_t i = 0; i < a->nexpects; i++) {
        const ps_expect *x = &a->expects[i], *y = &b->expects[i];
        if (!same_viewer(e, x->viewer_kind, x->viewer, y->viewer_kind, y->viewer) ||
            x->can_see != y->can_see || MAPI(e, x->item) != y->item)
            return differ(e, "expect %u differs", i + 1);
    }
    if (a->naccepts != b->naccepts)
        return differ(e, "%u accepts against %u", a->naccepts, b->naccepts);
    for (uint32_t i = 0; i < a->naccepts; i++) {
        const ps_accept *x = &a->accepts[i], *y = &b->accepts[i];
        if (!same_viewer(e, x->viewer_kind, x->viewer, y->viewer_kind, y->viewer) ||
            MAPI(e, x->item) != y->item || strcmp(x->reason ? x->reason : "",
                                                  y->reason ? y->reason : "") != 0)
            return differ(e, "accept %u differs", i + 1);
    }
    return true;
}

static bool same_alt(eq *e, const ps_vary *v, const ps_alt *x, const ps_alt *y)
{
    switch (v->kind) {
    case PS_VARY_AUDIENCE: return same_audience(e, &x->audience, &y->audience);
    case PS_VARY_SET: return same_setting(e, &x->setting, &y->setting);
    case PS_VARY_RULE:
        return ps_rule_equal(&x->rule, &y->rule, (ps_rule_id)v->rule, v->cats);
    default: return true;
    }
}

static bool compare_varies(eq *e)
{
    const ps_model *a = e->a, *b = e->b;
    if (a->nvaries != b->nvaries)
        return differ(e, "%u vary lines against %u", a->nvaries, b->nvaries);
    for (uint32_t i = 0; i < a->nvaries; i++) {
        const ps_vary *x = &a->varies[i], *y = &b->varies[i];
        uint32_t t = x->kind == PS_VARY_AUDIENCE ? MAPI(e, x->target)
                     : x->kind == PS_VARY_SET    ? MAPU(e, x->target)
                                                 : x->target;
        bool same = x->kind == y->kind && t == y->target && x->nalts == y->nalts &&
                    (x->kind != PS_VARY_RULE || (x->rule == y->rule && x->cats == y->cats));
        for (uint32_t k = 0; same && k < x->nalts; k++)
            same = same_alt(e, x, &x->alts[k], &y->alts[k]);
        if (same && x->kind == PS_VARY_STEP)
            same = same_step(e, &x->step, &y->step);
        if (!same)
            return differ(e, "vary line %u differs", i + 1);
    }
    return true;
}

bool ps_model_equal(const ps_model *a, const ps_model *b, char *why, size_t whylen)
{
    eq e;
    memset(&e, 0, sizeof e);
    e.a = a;
    e.b = b;
    e.why = why;
    e.whylen = whylen;
    if (why && whylen)
        why[0] = 0;
    bool same = compare_rules(&e) && build_maps(&e) && compare_users(&e) &&
                compare_friends(&e) && compare_sets(&e) && compare_items(&e) &&
                compare_timeline(&e) && compare_varies(&e) &&
                (ps_persons_equal(a, b, e.users, e.items) ||
                 differ(&e, "persons, field values or link rules differ"));
    free(e.users);
    free(e.lists);
    free(e.networks);
    free(e.groups);
    free(e.personas);
    free(e.items);
    free(e.apps);
    return same;
}
