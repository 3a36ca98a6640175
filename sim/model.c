/* model.c - building, copying and querying the in-memory scenario model (see model.h).
 *
 * Names live in one uthash table keyed by "<namespace><owner>:<name>" so that lists and
 * personas, whose names are per owner, share the mechanism with the global namespaces.
 * Friendships are kept as a growable array of packed pairs (low id in the high half); the CSR
 * adjacency is built from them on demand by sorting and deduplicating.
 */
#include "model.h"
#include "person.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oom.h"

struct ps_names {
    UT_hash_handle hh;
    uint32_t idx;
    uint32_t klen;
    char key[];            /* namespace byte, owner (4 bytes), the name, a NUL */
};

#define KEY_HEAD 5         /* bytes before the name in a key */

static const char *const category_names[PS_NCATS] = {
    "birthday", "hometown", "city", "employer", "school", "relationship", "email", "phone",
    "friendlist", "likes", "groups", "name", "picture", "gender", "networks", "posts", "photos",
};

const char *ps_category_name(unsigned cat)
{
    return cat < PS_NCATS ? category_names[cat] : NULL;
}

int ps_category_find(const char *name, size_t len)
{
    for (unsigned i = 0; i < PS_NCATS; i++)
        if (strlen(category_names[i]) == len && memcmp(category_names[i], name, len) == 0)
            return (int)i;
    return -1;
}

static const char *const term_names[PS_NTERMS] = {
    "public", "everyone", "fof", "friends", "only-me", "networks", "list", "network", "group",
    "user", "circles", "extended-circles",
};

const char *ps_term_kind_name(ps_term_kind kind)
{
    return kind < PS_NTERMS ? term_names[kind] : "?";
}

static const char *const step_names[PS_NSTEPKINDS] = {
    "share", "unshare", "tag", "untag", "approve-tag", "comment", "like", "befriend",
    "unfriend", "install", "set",
};

const char *ps_step_kind_name(ps_step_kind kind)
{
    return kind < PS_NSTEPKINDS ? step_names[kind] : "?";
}

/* ---------------------------------------------------------------------------------------
 * Small containers
 * ------------------------------------------------------------------------------------- */

int ps_grow(void **arr, uint32_t *cap, uint32_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    uint64_t ncap = *cap ? (uint64_t)*cap * 2 : 8;
    while (ncap < need)
        ncap *= 2;
    if (ncap > UINT32_MAX)
        ncap = UINT32_MAX;
    void *p = realloc(*arr, (size_t)ncap * size);
    if (!p) {
        errno = ENOMEM;
        return -1;
    }
    memset((char *)p + (size_t)*cap * size, 0, (size_t)(ncap - *cap) * size);
    *arr = p;
    *cap = (uint32_t)ncap;
    return 0;
}

int ps_u32_push(uint32_t **arr, uint32_t *n, uint32_t v)
{
    /* capacity is the next power of two at or above n */
    uint32_t cap = 0;
    if (*n) {
        cap = 1;
        while (cap < *n)
            cap <<= 1;
    }
    if (*n == cap) {
        uint32_t ncap = cap ? cap * 2 : 4;
        uint32_t *p = realloc(*arr, (size_t)ncap * sizeof *p);
        if (!p)
            return -1;
        *arr = p;
    }
    (*arr)[(*n)++] = v;
    return 0;
}

int ps_terms_push(ps_terms *t, ps_term_kind kind, uint32_t ref)
{
    ps_term *p = realloc(t->v, (size_t)(t->n + 1) * sizeof *p);
    if (!p)
        return -1;
    t->v = p;
    t->v[t->n].kind = (uint8_t)kind;
    t->v[t->n].ref = ref;
    t->n++;
    return 0;
}

void ps_terms_free(ps_terms *t)
{
    free(t->v);
    t->v = NULL;
    t->n = 0;
}

int ps_terms_copy(ps_terms *dst, const ps_terms *src)
{
    dst->v = NULL;
    dst->n = 0;
    if (!src->n)
        return 0;
    dst->v = malloc((size_t)src->n * sizeof *dst->v);
    if (!dst->v)
        return -1;
    memcpy(dst->v, src->v, (size_t)src->n * sizeof *dst->v);
    dst->n = src->n;
    return 0;
}

const char *ps_terms_text(const ps_model *m, const ps_terms *t, char *buf, size_t cap)
{
    size_t len = 0;
    if (cap)
        buf[0] = 0;
    for (uint32_t i = 0; i < t->n && len + 1 < cap; i++) {
        const ps_term *x = &t->v[i];
        const char *ref = NULL;
        switch ((ps_term_kind)x->kind) {
        case PS_TERM_LIST: ref = x->ref < m->nlists ? m->lists[x->ref].name : "?"; break;
        case PS_TERM_NETWORK: ref = x->ref < m->nnetworks ? m->networks[x->ref].name : "?"; break;
        case PS_TERM_GROUP: ref = x->ref < m->ngroups ? m->groups[x->ref].name : "?"; break;
        case PS_TERM_USER: ref = x->ref < m->nusers ? m->users[x->ref].name : "?"; break;
        default: break;
        }
        int w = snprintf(buf + len, cap - len, "%s%s%s%s", i ? "," : "",
                         ps_term_kind_name((ps_term_kind)x->kind), ref ? ":" : "",
                         ref ? ref : "");
        if (w < 0)
            break;
        len += (size_t)w;
    }
    return buf;
}

bool ps_terms_equal(const ps_terms *a, const ps_terms *b)
{
    if (a->n != b->n)
        return false;
    for (uint32_t i = 0; i < a->n; i++)
        if (a->v[i].kind != b->v[i].kind || a->v[i].ref != b->v[i].ref)
            return false;
    return true;
}

void ps_audience_free(ps_audience *a)
{
    ps_terms_free(&a->allow);
    ps_terms_free(&a->hide);
}

int ps_audience_copy(ps_audience *dst, const ps_audience *src)
{
    memset(dst, 0, sizeof *dst);
    if (ps_terms_copy(&dst->allow, &src->allow) || ps_terms_copy(&dst->hide, &src->hide)) {
        ps_audience_free(dst);
        return -1;
    }
    return 0;
}

static char *dupn(const char *s, size_t len)
{
    char *p = malloc(len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = 0;
    }
    return p;
}

static char *dup0(const char *s)
{
    return s ? dupn(s, strlen(s)) : NULL;
}

static uint32_t *dup_u32(const uint32_t *v, uint32_t n)
{
    if (!n)
        return NULL;
    /* room up to the next power of two: ps_u32_push() assumes that capacity */
    size_t cap = 1;
    while (cap < n)
        cap <<= 1;
    uint32_t *p = malloc(cap * sizeof *p);
    if (p)
        memcpy(p, v, (size_t)n * sizeof *p);
    return p;
}

/* ---------------------------------------------------------------------------------------
 * Names
 * ------------------------------------------------------------------------------------- */

/* Writes the table key for (ns, owner, name) into buf: the namespace, the owner for the
 * per-owner namespaces (else 0), then the name.  Returns its length, or 0 if too long. */
static size_t name_key(char *buf, size_t cap, ps_namespace ns, uint32_t owner, const char *name,
                       size_t len)
{
    if (len + KEY_HEAD > cap)
        return 0;
    if (ns != PS_NS_LIST && ns != PS_NS_PERSONA)
        owner = 0;
    buf[0] = (char)ns;
    memcpy(buf + 1, &owner, 4);
    memcpy(buf + KEY_HEAD, name, len);
    return len + KEY_HEAD;
}

uint32_t ps_model_find(const ps_model *m, ps_namespace ns, uint32_t owner, const char *name,
                       size_t len)
{
    char stack[160];
    char *buf = stack;
    size_t cap = sizeof stack;
    if (len + KEY_HEAD > cap) {
        cap = len + KEY_HEAD;
        buf = malloc(cap);
        if (!buf)
            return PS_NONE;
    }
    size_t klen = name_key(buf, cap, ns, owner, name, len);
    struct ps_names *e = NULL;
    if (klen)
        HASH_FIND(hh, m->names, buf, klen, e);
    if (buf != stack)
        free(buf);
    return e ? e->idx : PS_NONE;
}

/* Adds (ns, owner, name) -> idx.  0, 1 if already there, -1 out of memory. */
static int name_add(ps_model *m, ps_namespace ns, uint32_t owner, const char *name, size_t len,
                    uint32_t idx)
{
    if (len > UINT32_MAX - KEY_HEAD - 1)
        return -1;
    /* one allocation: the entry with its key; built first, so that it serves the lookup */
    struct ps_names *e = malloc(sizeof *e + len + KEY_HEAD + 1);
    if (!e) {
        errno = ENOMEM;
        return -1;
    }
    size_t klen = name_key(e->key, len + KEY_HEAD + 1, ns, owner, name, len);
    e->key[klen] = 0;
    struct ps_names *old;
    unsigned hv; /* hashed once for both the lookup and the insertion */
    HASH_VALUE(e->key, klen, hv);
    HASH_FIND_BYHASHVALUE(hh, m->names, e->key, klen, hv, old);
    if (old) {
        free(e);
        return 1;
    }
    e->klen = (uint32_t)klen;
    e->idx = idx;
    HASH_ADD_BYHASHVALUE(hh, m->names, key, klen, hv, e);
    /* the table, just made, grows at once to the size it was told to expect: no rehashing
     * of what is added later, and short chains (uthash's own way of growing, one doubling
     * at a time, stays for anything beyond) */
    if (m->names_hint) {
        int oomed = 0;
        while (!oomed && m->names->hh.tbl->num_buckets < m->names_hint &&
               m->names->hh.tbl->num_buckets < (1u << 26))
            HASH_EXPAND_BUCKETS(hh, m->names->hh.tbl, oomed);
        m->names_hint = 0;
    }
    return 0;
}

void ps_model_expect_names(ps_model *m, uint32_t n)
{
    if (!m->names)
        m->names_hint = n;
}

/* Levenshtein distance capped at limit+1. */
static unsigned edit_distance(const char *a, size_t la, const char *b, size_t lb, unsigned limit)
{
    if (la > 64 || lb > 64)
        return limit + 1;
    unsigned row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++) {
        unsigned prev = row[0], best;
        row[0] = (unsigned)i;
        best = row[0];
        for (size_t j = 1; j <= lb; j++) {
            unsigned cur = row[j];
            unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
            unsigned v = prev + cost;
            if (row[j] + 1 < v)
                v = row[j] + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            row[j] = v;
            prev = cur;
            if (v < best)
                best = v;
        }
        if (best > limit)
            return limit + 1;
    }
    return row[lb];
}

const char *ps_model_suggest(const ps_model *m, ps_namespace ns, uint32_t owner,
                             const char *name, size_t len)
{
    char prefix[KEY_HEAD];
    name_key(prefix, sizeof prefix, ns, owner, "", 0);
    const unsigned maxd = len <= 3 ? 1 : 2;
    const char *best = NULL;
    unsigned best_d = maxd + 1;
    for (struct ps_names *e = m->names; e; e = e->hh.next) {
        if (memcmp(e->key, prefix, KEY_HEAD) != 0)
            continue;
        const char *cand = e->key + KEY_HEAD;
        size_t clen = e->klen - KEY_HEAD;
        unsigned d = edit_distance(name, len, cand, clen, maxd);
        /* the smallest distance wins; among equals, the alphabetically first name */
        if (d <= maxd && (d < best_d || (d == best_d && strcmp(cand, best) < 0))) {
            best = cand;
            best_d = d;
        }
    }
    return best;
}

/* ---------------------------------------------------------------------------------------
 * Model lifetime
 * ------------------------------------------------------------------------------------- */

ps_model *ps_model_new(void)
{
    ps_model *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->platform = dup0(PS_DEFAULT_PLATFORM);
    if (!m->platform || ps_platform_preset(PS_DEFAULT_PLATFORM, strlen(PS_DEFAULT_PLATFORM),
                                           &m->rules) != 0) {
        ps_model_free(m);
        return NULL;
    }
    m->adj_stale = true;
    return m;
}

void ps_setting_free(ps_setting *s)
{
    ps_audience_free(&s->audience);
}

void ps_step_free(ps_step *s)
{
    free(s->users);
    ps_audience_free(&s->audience);
    for (uint32_t i = 0; i < s->nsettings; i++)
        ps_setting_free(&s->settings[i]);
    free(s->settings);
    memset(s, 0, sizeof *s);
}

static void vary_free(ps_vary *v)
{
    for (uint32_t i = 0; i < v->nalts; i++) {
        ps_audience_free(&v->alts[i].audience);
        ps_setting_free(&v->alts[i].setting);
        ps_rules_free(&v->alts[i].rule);
        free(v->alts[i].text);
    }
    free(v->alts);
    ps_step_free(&v->step);
}

void ps_model_free(ps_model *m)
{
    if (!m)
        return;
    for (uint32_t i = 0; i < m->nusers; i++) {
        free(m->users[i].name);
        free(m->users[i].display);
    }
    for (uint32_t i = 0; i < m->nlists; i++) {
        free(m->lists[i].name);
        free(m->lists[i].members);
    }
    for (uint32_t i = 0; i < m->nnetworks; i++) {
        free(m->networks[i].name);
        free(m->networks[i].members);
    }
    for (uint32_t i = 0; i < m->ngroups; i++) {
        free(m->groups[i].name);
        free(m->groups[i].members);
    }
    for (uint32_t i = 0; i < m->npersonas; i++) {
        free(m->personas[i].name);
        ps_terms_free(&m->personas[i].audience);
        ps_terms_free(&m->personas[i].forbid);
    }
    for (uint32_t i = 0; i < m->nitems; i++) {
        free(m->items[i].name);
        ps_audience_free(&m->items[i].audience);
        free(m->items[i].tags);
        free(m->items[i].caption);
    }
    for (uint32_t i = 0; i < m->napps; i++) {
        free(m->apps[i].name);
        free(m->apps[i].installers);
    }
    for (uint32_t i = 0; i < m->nsteps; i++)
        ps_step_free(&m->steps[i]);
    for (uint32_t i = 0; i < m->nvaries; i++)
        vary_free(&m->varies[i]);
    ps_persons_free(m->persons);
    free(m->users);
    free(m->lists);
    free(m->networks);
    free(m->groups);
    free(m->personas);
    free(m->items);
    free(m->apps);
    free(m->steps);
    free(m->expects);
    for (uint32_t i = 0; i < m->naccepts; i++)
        free(m->accepts[i].reason);
    free(m->accepts);
    free(m->varies);
    free(m->pairs);
    free(m->adj_off);
    free(m->adj);
    free(m->path);
    free(m->platform);
    ps_rules_free(&m->rules);
    ps_rules_free(&m->overrides);
    struct ps_names *e, *tmp;
    HASH_ITER(hh, m->names, e, tmp) {
        HASH_DEL(m->names, e);
        free(e);
    }
    free(m);
}

/* ---------------------------------------------------------------------------------------
 * Builders
 * ------------------------------------------------------------------------------------- */

/* Common prologue of the builders: claims the name, grows the array. */
#define ADD_NAMED(m, ns, owner, arr, n, cap, name, len)                                   \
    do {                                                                                   \
        if (ps_grow((void **)&(m)->arr, &(m)->cap, (m)->n + 1, sizeof *(m)->arr))             \
            return PS_NONE;                                                                \
        int r_ = name_add((m), (ns), (owner), (name), (len), (m)->n);                      \
        if (r_ != 0) {                                                                     \
            if (r_ > 0)                                                                    \
                errno = EEXIST;                                                            \
            return PS_NONE;                                                                \
        }                                                                                  \
    } while (0)

uint32_t ps_model_add_user(ps_model *m, const char *name, size_t len, const char *display)
{
    if (m->nusers >= UINT32_MAX - 2)
        return PS_NONE;
    ADD_NAMED(m, PS_NS_USER, 0, users, nusers, cap_users, name, len);
    ps_user *u = &m->users[m->nusers];
    memset(u, 0, sizeof *u);
    u->name = dupn(name, len);
    u->display = dup0(display);
    u->tag_review = PS_UNSET;
    u->search_listing = PS_UNSET;
    if (!u->name || (display && !u->display)) {
        free(u->name);
        free(u->display);
        return PS_NONE; /* the name stays claimed; the model is unusable after ENOMEM */
    }
    m->adj_stale = true;
    return m->nusers++;
}

uint32_t ps_model_add_list(ps_model *m, uint32_t owner, const char *name, size_t len)
{
    ADD_NAMED(m, PS_NS_LIST, owner, lists, nlists, cap_lists, name, len);
    ps_list *l = &m->lists[m->nlists];
    memset(l, 0, sizeof *l);
    l->owner = owner;
    if (!(l->name = dupn(name, len)))
        return PS_NONE;
    return m->nlists++;
}

uint32_t ps_model_add_network(ps_model *m, const char *name, size_t len)
{
    ADD_NAMED(m, PS_NS_NETWORK, 0, networks, nnetworks, cap_networks, name, len);
    ps_network *n = &m->networks[m->nnetworks];
    memset(n, 0, sizeof *n);
    if (!(n->name = dupn(name, len)))
        return PS_NONE;
    return m->nnetworks++;
}

uint32_t ps_model_add_group(ps_model *m, const char *name, size_t len, ps_group_kind kind)
{
    ADD_NAMED(m, PS_NS_GROUP, 0, groups, ngroups, cap_groups, name, len);
    ps_group *g = &m->groups[m->ngroups];
    memset(g, 0, sizeof *g);
    g->kind = (uint8_t)kind;
    if (!(g->name = dupn(name, len)))
        return PS_NONE;
    return m->ngroups++;
}

uint32_t ps_model_add_persona(ps_model *m, uint32_t owner, const char *name, size_t len)
{
    ADD_NAMED(m, PS_NS_PERSONA, owner, personas, npersonas, cap_personas, name, len);
    ps_persona *p = &m->personas[m->npersonas];
    memset(p, 0, sizeof *p);
    p->owner = owner;
    if (!(p->name = dupn(name, len)))
        return PS_NONE;
    return m->npersonas++;
}

uint32_t ps_model_add_item(ps_model *m, ps_item_kind kind, const char *name, size_t len,
                           uint32_t owner)
{
    ADD_NAMED(m, PS_NS_ITEM, 0, items, nitems, cap_items, name, len);
    ps_item *it = &m->items[m->nitems];
    memset(it, 0, sizeof *it);
    it->kind = (uint8_t)kind;
    it->owner = owner;
    it->group = PS_NONE;
    it->persona = PS_NONE;
    it->tag_friends = PS_UNSET;
    if (!(it->name = dupn(name, len)))
        return PS_NONE;
    if (kind == PS_ITEM_FIELD) {
        const char *dot = memchr(name, '.', len);
        int f = dot ? ps_category_find(dot + 1, len - (size_t)(dot + 1 - name)) : -1;
        it->field = (uint8_t)(f >= 0 && f < PS_NFIELDS ? f : 0);
    }
    return m->nitems++;
}

uint32_t ps_model_add_app(ps_model *m, const char *name, size_t len)
{
    ADD_NAMED(m, PS_NS_APP, 0, apps, napps, cap_apps, name, len);
    ps_app *a = &m->apps[m->napps];
    memset(a, 0, sizeof *a);
    if (!(a->name = dupn(name, len)))
        return PS_NONE;
    return m->napps++;
}

uint32_t ps_model_field_item(ps_model *m, uint32_t user, ps_field field)
{
    char buf[256];
    int n = snprintf(buf, sizeof buf, "%s.%s", m->users[user].name, category_names[field]);
    char *name = buf;
    if (n < 0)
        return PS_NONE;
    if ((size_t)n >= sizeof buf) {
        name = malloc((size_t)n + 1);
        if (!name)
            return PS_NONE;
        snprintf(name, (size_t)n + 1, "%s.%s", m->users[user].name, category_names[field]);
    }
    uint32_t idx = ps_model_find(m, PS_NS_ITEM, 0, name, (size_t)n);
    if (idx == PS_NONE)
        idx = ps_model_add_item(m, PS_ITEM_FIELD, name, (size_t)n, user);
    if (name != buf)
        free(name);
    if (idx != PS_NONE)
        m->items[idx].field = (uint8_t)field;
    return idx;
}

ps_step *ps_model_add_step(ps_model *m)
{
    if (ps_grow((void **)&m->steps, &m->cap_steps, m->nsteps + 1, sizeof *m->steps))
        return NULL;
    ps_step *s = &m->steps[m->nsteps++];
    memset(s, 0, sizeof *s);
    s->item = s->other = PS_NONE;
    return s;
}

ps_accept *ps_model_add_accept(ps_model *m)
{
    if (ps_grow((void **)&m->accepts, &m->cap_accepts, m->naccepts + 1, sizeof *m->accepts))
        return NULL;
    ps_accept *a = &m->accepts[m->naccepts++];
    memset(a, 0, sizeof *a);
    return a;
}

ps_expect *ps_model_add_expect(ps_model *m)
{
    if (ps_grow((void **)&m->expects, &m->cap_expects, m->nexpects + 1, sizeof *m->expects))
        return NULL;
    ps_expect *e = &m->expects[m->nexpects++];
    memset(e, 0, sizeof *e);
    return e;
}

ps_vary *ps_model_add_vary(ps_model *m)
{
    if (ps_grow((void **)&m->varies, &m->cap_varies, m->nvaries + 1, sizeof *m->varies))
        return NULL;
    ps_vary *v = &m->varies[m->nvaries++];
    memset(v, 0, sizeof *v);
    v->target = PS_NONE;
    v->step.item = v->step.other = PS_NONE;
    return v;
}

int ps_item_add_tag(ps_item *item, uint32_t user)
{
    for (uint32_t i = 0; i < item->ntags; i++)
        if (item->tags[i].user == user) {
            item->tags[i].removed = false;
            return 0;
        }
    ps_tag *p = realloc(item->tags, (size_t)(item->ntags + 1) * sizeof *p);
    if (!p)
        return -1;
    item->tags = p;
    item->tags[item->ntags].user = user;
    item->tags[item->ntags].approved = false;
    item->tags[item->ntags].removed = false;
    item->ntags++;
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * Friendships
 * ------------------------------------------------------------------------------------- */

static uint64_t pair_key(uint32_t a, uint32_t b)
{
    if (a > b) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    return ((uint64_t)a << 32) | b;
}

int ps_model_add_friendship(ps_model *m, uint32_t a, uint32_t b)
{
    if (a == b)
        return 0;
    if (ps_grow((void **)&m->pairs, &m->cap_pairs, m->npairs + 1, sizeof *m->pairs))
        return -1;
    m->pairs[m->npairs++] = pair_key(a, b);
    m->adj_stale = true;
    return 0;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorts a short run in place (adjacency lists are mostly short). */
static void sort_run(uint32_t *v, uint32_t n)
{
    if (n > 32) {
        qsort(v, n, sizeof *v, cmp_u32);
        return;
    }
    for (uint32_t i = 1; i < n; i++) {
        uint32_t x = v[i], j = i;
        while (j > 0 && v[j - 1] > x) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

/* Builds the CSR adjacency from the pairs in O(E log d): count degrees, place both ends of
 * every pair, sort each list, then drop repeated friendships while compacting. */
static int build_adjacency(ps_model *m)
{
    uint32_t n = m->nusers;
    uint32_t *off = calloc((size_t)n + 1, sizeof *off);
    uint32_t *adj = malloc(((size_t)m->npairs * 2 + 1) * sizeof *adj);
    uint32_t *pos = malloc(((size_t)n + 1) * sizeof *pos);
    if (!off || !adj || !pos) {
        free(off);
        free(adj);
        free(pos);
        return -1;
    }
    for (uint32_t i = 0; i < m->npairs; i++) {
        off[(uint32_t)(m->pairs[i] >> 32) + 1]++;
        off[(uint32_t)m->pairs[i] + 1]++;
    }
    for (uint32_t u = 0; u < n; u++)
        off[u + 1] += off[u];
    memcpy(pos, off, (size_t)n * sizeof *pos);
    for (uint32_t i = 0; i < m->npairs; i++) {
        uint32_t a = (uint32_t)(m->pairs[i] >> 32), b = (uint32_t)m->pairs[i];
        adj[pos[a]++] = b;
        adj[pos[b]++] = a;
    }
    /* sort each list and compact away repeats; w is the write position */
    uint32_t w = 0;
    for (uint32_t u = 0; u < n; u++) {
        uint32_t lo = off[u], hi = off[u + 1];
        sort_run(adj + lo, hi - lo);
        off[u] = w;
        for (uint32_t k = lo; k < hi; k++)
            if (k == lo || adj[k] != adj[k - 1])
                adj[w++] = adj[k];
    }
    off[n] = w;
    free(pos);
    free(m->adj_off);
    free(m->adj);
    m->adj_off = off;
    m->adj = adj;
    m->adj_stale = false;
    m->adj_version++;
    return 0;
}

const uint32_t *ps_model_friends(ps_model *m, uint32_t u, uint32_t *n)
{
    *n = 0;
    if (m->adj_stale && build_adjacency(m))
        return NULL;
    if (u >= m->nusers)
        return NULL;
    *n = m->adj_off[u + 1] - m->adj_off[u];
    return m->adj + m->adj_off[u];
}

bool ps_model_are_friends(ps_model *m, uint32_t a, uint32_t b)
{
    uint32_t n;
    if (a == b)
        return false;
    /* search the shorter list */
    const uint32_t *fa = ps_model_friends(m, a, &n);
    uint32_t nb;
    const uint32_t *fb = ps_model_friends(m, b, &nb);
    if (fb && nb < n) {
        fa = fb;
        n = nb;
        b = a;
    }
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (fa[mid] < b)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && fa[lo] == b;
}

bool ps_model_remove_friendship(ps_model *m, uint32_t a, uint32_t b)
{
    if (!ps_model_are_friends(m, a, b))
        return false;
    uint64_t k = pair_key(a, b);
    /* drop every copy of the pair (a file may name a friendship twice) */
    uint32_t w = 0;
    for (uint32_t i = 0; i < m->npairs; i++)
        if (m->pairs[i] != k)
            m->pairs[w++] = m->pairs[i];
    m->npairs = w;
    m->adj_stale = true;
    return true;
}

uint32_t ps_model_nfriendships(ps_model *m)
{
    if (m->adj_stale && build_adjacency(m))
        return m->npairs;
    return m->adj_off[m->nusers] / 2;
}

/* ---------------------------------------------------------------------------------------
 * Queries
 * ------------------------------------------------------------------------------------- */

bool ps_user_tag_review(const ps_model *m, uint32_t u)
{
    int8_t t = m->users[u].tag_review;
    return t == PS_UNSET ? m->rules.tag_review_default : t == PS_ON;
}

bool ps_user_search_listing(const ps_model *m, uint32_t u)
{
    return m->rules.search_listing && m->users[u].search_listing != PS_OFF;
}

bool ps_item_tag_friends(const ps_model *m, const ps_item *it)
{
    switch (m->rules.tag_extends) {
    case PS_TAG_TAGGED_FRIENDS: return it->tag_friends != PS_OFF;
    case PS_TAG_OWNER_CHOICE: return it->tag_friends == PS_ON;
    default: return false;
    }
}

bool ps_network_counts(const ps_model *m, uint32_t n)
{
    return n < m->nnetworks && (!m->networks[n].regional || m->rules.regional_networks);
}

uint32_t ps_user_apps_cats(const ps_model *m, uint32_t u)
{
    return m->users[u].has_apps_cats ? m->users[u].apps_cats : m->rules.apps_default_cats;
}

unsigned ps_item_category(const ps_item *it)
{
    switch (it->kind) {
    case PS_ITEM_POST: return PS_CAT_POSTS;
    case PS_ITEM_PHOTO: return PS_CAT_PHOTOS;
    default: return it->field;
    }
}

ps_audience ps_item_audience(const ps_model *m, const ps_item *it)
{
    if (it->has_audience)
        return it->audience;
    ps_audience a = {0};
    a.allow = m->rules.default_audience[ps_item_category(it)];
    a.hide = it->audience.hide;  /* `hide=` alone: the default audience minus these */
    return a;
}

static bool sorted_or_linear_has(const uint32_t *v, uint32_t n, uint32_t u)
{
    for (uint32_t i = 0; i < n; i++)
        if (v[i] == u)
            return true;
    return false;
}

bool ps_list_has(const ps_list *l, uint32_t u) { return sorted_or_linear_has(l->members, l->nmembers, u); }
bool ps_network_has(const ps_network *n, uint32_t u) { return sorted_or_linear_has(n->members, n->nmembers, u); }
bool ps_group_has(const ps_group *g, uint32_t u) { return sorted_or_linear_has(g->members, g->nmembers, u); }

/* ---------------------------------------------------------------------------------------
 * Deep copy
 * ------------------------------------------------------------------------------------- */

int ps_step_copy(ps_step *dst, const ps_step *src)
{
    *dst = *src;
    dst->users = NULL;
    dst->settings = NULL;
    dst->nsettings = 0;
    memset(&dst->audience, 0, sizeof dst->audience);
    if (src->nusers && !(dst->users = dup_u32(src->users, src->nusers)))
        goto fail;
    if (ps_audience_copy(&dst->audience, &src->audience))
        goto fail;
    if (src->nsettings) {
        dst->settings = calloc(src->nsettings, sizeof *dst->settings);
        if (!dst->settings)
            goto fail;
        for (uint32_t i = 0; i < src->nsettings; i++) {
            /* counted before the copy, so that a failure frees exactly what was made */
            dst->settings[i] = src->settings[i];
            memset(&dst->settings[i].audience, 0, sizeof dst->settings[i].audience);
            dst->nsettings = i + 1;
            if (ps_audience_copy(&dst->settings[i].audience, &src->settings[i].audience))
                goto fail;
        }
    }
    return 0;
fail:
    ps_step_free(dst);
    return -1;
}

/* Copies an array of `n` structs of `size` bytes, then lets the caller deep-copy members. */
static void *dup_array(const void *src, uint32_t n, size_t size)
{
    if (!n)
        return NULL;
    void *p = malloc((size_t)n * size);
    if (p)
        memcpy(p, src, (size_t)n * size);
    return p;
}

ps_model *ps_model_clone(const ps_model *src)
{
    ps_model *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    bool ok = true;
    /* a copy that could not be made is `ok = false`, never a NULL read later */
#define DUP_OK(dst, from) (ok &= !(from) || (dst) != NULL)
    m->path = dup0(src->path);
    m->platform = dup0(src->platform);
    DUP_OK(m->path, src->path);
    DUP_OK(m->platform, src->platform);
    m->platform_loc = src->platform_loc;
    ok &= ps_rules_copy(&m->rules, &src->rules) == 0;
    ok &= ps_rules_copy(&m->overrides, &src->overrides) == 0;
    m->rules_set = src->rules_set;
    m->default_audience_set = src->default_audience_set;
    memcpy(m->rule_locs, src->rule_locs, sizeof m->rule_locs);
    m->persons = ps_persons_clone(src->persons, &ok);

#define COPY_ARR(f, n, cap)                                                                \
    do {                                                                                   \
        m->f = dup_array(src->f, src->n, sizeof *src->f);                                  \
        if (src->n && !m->f) { ok = false; }                                               \
        else { m->n = src->n; m->cap = src->n; }                                           \
    } while (0)
    COPY_ARR(users, nusers, cap_users);
    COPY_ARR(lists, nlists, cap_lists);
    COPY_ARR(networks, nnetworks, cap_networks);
    COPY_ARR(groups, ngroups, cap_groups);
    COPY_ARR(personas, npersonas, cap_personas);
    COPY_ARR(items, nitems, cap_items);
    COPY_ARR(apps, napps, cap_apps);
    COPY_ARR(expects, nexpects, cap_expects);
    COPY_ARR(accepts, naccepts, cap_accepts);
    COPY_ARR(pairs, npairs, cap_pairs);
#undef COPY_ARR
    if (!ok) {
        /* nothing deep was shared yet except through arrays that were not copied */
        m->nusers = m->nlists = m->nnetworks = m->ngroups = m->npersonas = 0;
        m->nitems = m->napps = m->naccepts = 0;
        ps_model_free(m);
        return NULL;
    }
    for (uint32_t i = 0; i < m->naccepts; i++) {
        m->accepts[i].reason = dup0(src->accepts[i].reason);
        ok &= m->accepts[i].reason != NULL || src->accepts[i].reason == NULL;
    }
    for (uint32_t i = 0; i < m->nusers; i++) {
        m->users[i].name = dup0(src->users[i].name);
        m->users[i].display = dup0(src->users[i].display);
        ok &= m->users[i].name != NULL;
        DUP_OK(m->users[i].display, src->users[i].display);
    }
    for (uint32_t i = 0; i < m->nlists; i++) {
        m->lists[i].name = dup0(src->lists[i].name);
        m->lists[i].members = dup_u32(src->lists[i].members, src->lists[i].nmembers);
        DUP_OK(m->lists[i].name, src->lists[i].name);
        DUP_OK(m->lists[i].members, src->lists[i].nmembers);
    }
    for (uint32_t i = 0; i < m->nnetworks; i++) {
        m->networks[i].name = dup0(src->networks[i].name);
        m->networks[i].members = dup_u32(src->networks[i].members, src->networks[i].nmembers);
        DUP_OK(m->networks[i].name, src->networks[i].name);
        DUP_OK(m->networks[i].members, src->networks[i].nmembers);
    }
    for (uint32_t i = 0; i < m->ngroups; i++) {
        m->groups[i].name = dup0(src->groups[i].name);
        m->groups[i].members = dup_u32(src->groups[i].members, src->groups[i].nmembers);
        DUP_OK(m->groups[i].name, src->groups[i].name);
        DUP_OK(m->groups[i].members, src->groups[i].nmembers);
    }
    for (uint32_t i = 0; i < m->npersonas; i++) {
        m->personas[i].name = dup0(src->personas[i].name);
        DUP_OK(m->personas[i].name, src->personas[i].name);
        ok &= ps_terms_copy(&m->personas[i].audience, &src->personas[i].audience) == 0;
        ok &= ps_terms_copy(&m->personas[i].forbid, &src->personas[i].forbid) == 0;
    }
    for (uint32_t i = 0; i < m->nitems; i++) {
        ps_item *it = &m->items[i];
        const ps_item *si = &src->items[i];
        it->name = dup0(si->name);
        it->caption = dup0(si->caption);
        DUP_OK(it->name, si->name);
        DUP_OK(it->caption, si->caption);
        ok &= ps_audience_copy(&it->audience, &si->audience) == 0;
        it->tags = dup_array(si->tags, si->ntags, sizeof *si->tags);
        ok &= !si->ntags || it->tags;
    }
    for (uint32_t i = 0; i < m->napps; i++) {
        m->apps[i].name = dup0(src->apps[i].name);
        m->apps[i].installers = dup_u32(src->apps[i].installers, src->apps[i].ninstallers);
        DUP_OK(m->apps[i].name, src->apps[i].name);
        DUP_OK(m->apps[i].installers, src->apps[i].ninstallers);
    }
    if (src->nsteps) {
        m->steps = calloc(src->nsteps, sizeof *m->steps);
        ok &= m->steps != NULL;
        for (uint32_t i = 0; m->steps && i < src->nsteps; i++) {
            ok &= ps_step_copy(&m->steps[i], &src->steps[i]) == 0;
            m->nsteps = m->cap_steps = i + 1;
        }
    }
    if (src->nvaries) {
        m->varies = calloc(src->nvaries, sizeof *m->varies);
        ok &= m->varies != NULL;
        for (uint32_t i = 0; m->varies && i < src->nvaries; i++) {
            const ps_vary *sv = &src->varies[i];
            ps_vary *v = &m->varies[i];
            *v = *sv;
            v->alts = NULL;
            v->nalts = 0;
            ok &= ps_step_copy(&v->step, &sv->step) == 0;
            m->nvaries = m->cap_varies = i + 1;
            v->alts = calloc(sv->nalts ? sv->nalts : 1, sizeof *v->alts);
            if (!v->alts) {
                ok = false;
                break;
            }
            v->nalts = sv->nalts;
            for (uint32_t j = 0; j < sv->nalts; j++) {
                const ps_alt *sa = &sv->alts[j];
                ps_alt *a = &v->alts[j];
                ok &= ps_audience_copy(&a->audience, &sa->audience) == 0;
                a->setting = sa->setting;
                ok &= ps_audience_copy(&a->setting.audience, &sa->setting.audience) == 0;
                ok &= ps_rules_copy(&a->rule, &sa->rule) == 0;
                a->text = dup0(sa->text);
                DUP_OK(a->text, sa->text);
            }
        }
    }
#undef DUP_OK
    /* names */
    for (struct ps_names *e = src->names; e; e = e->hh.next) {
        struct ps_names *c = malloc(sizeof *c + e->klen + 1);
        if (!c) {
            ok = false;
            break;
        }
        memcpy(c->key, e->key, (size_t)e->klen + 1);
        c->klen = e->klen;
        c->idx = e->idx;
        HASH_ADD(hh, m->names, key, c->klen, c);
    }
    m->adj_stale = true;
    if (!ok) {
        ps_model_free(m);
        return NULL;
    }
    return m;
}
