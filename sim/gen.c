/* gen.c - the synthetic network generator behind `privsim gen` (see gen.h).
 *
 * The graph.  People 0..N-1 are cut into communities: consecutive blocks whose sizes are
 * drawn uniformly from 20..200 (the last block takes what is left), standing for a circle of
 * colleagues, a class, a neighbourhood.  People then arrive in order, and person v befriends
 * q_v people who arrived before: q_v is v's share of E = floor(N*D/2) (floor((v+1)E/N) -
 * floor(vE/N)), plus whatever the first arrivals could not take because too few people came
 * before them, so that the total is exactly E.  Each new friend of v is drawn as
 *
 *   60%  a friend of one of v's new friends, within v's community (triadic closure, as in
 *        the Holme-Kim model: it gives the triangles, the clustering, of real networks);
 *   30%  an earlier member of v's community, uniformly;
 *   10%  someone from anywhere before v: two times in three an end of an earlier
 *        friendship, which favours people who already have many friends (preferential
 *        attachment, as in the Barabasi-Albert model: heavy-tailed degrees, and bridges
 *        between communities), else uniformly.
 *
 * A rule that cannot apply (v has no new friend yet; v is the first of its community) gives
 * way to the next; a candidate that is already v's friend, or a friend's friend outside the
 * community, is drawn again.  A person's friends are distinct and
 * earlier, so no friendship is drawn twice and none has to be removed.  For N = 20,000 and
 * D = 20 the result has an average clustering of about 0.2, degrees from 10 to about 150, and
 * friends-of-friends audiences of about 300 people.  The cost is O(1) expected work per
 * friendship and 4 bytes of scratch memory per friendship (the earlier end of each); when a
 * person needs more than half of everyone before them (dense graphs), they are chosen by
 * selection sampling instead of drawing and rejecting.
 *
 * Friend lists: each person with friends gets L lists (close, family, work, school, ...), of
 * one to twelve distinct friends drawn uniformly.  Networks: W networks named
 * employer-I / school-I / city-I / hometown-I by I mod 4; each community has a home network
 * that each member joins with probability 60%, and each person joins one more network
 * drawn uniformly with probability 10%.  Then the populate step (populate.c).
 *
 * Random streams: (seed, 10) for the graph, (seed, 11, person) for that person's lists,
 * (seed, 12) for networks; the populate step uses its own.
 */
#include "gen.h"
#include "parse.h"
#include "rng.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { STREAM_GRAPH = 10, STREAM_LISTS = 11, STREAM_NETWORKS = 12 };

#define COMMUNITY_MIN 20
#define COMMUNITY_MAX 200
#define PCT_TRIAD 60       /* a new friend is a friend of another new friend */
#define PCT_COMMUNITY 30   /* ... else a member of one's community; else anyone before */
#define LIST_MAX_MEMBERS 12
#define PCT_HOME_NETWORK 60
#define PCT_EXTRA_NETWORK 10
/* Rejection draws before a linear search takes over (only in nearly complete graphs). */
#define MAX_TRIES 64

static const char *const list_names[] = {
    "close", "family", "work", "school", "team", "neighbours", "club", "travel",
};
#define NLIST_NAMES (sizeof list_names / sizeof list_names[0])

static const char *const network_kinds[] = { "employer", "school", "city", "hometown" };

void ps_gen_defaults(ps_gen_opts *o, uint32_t people)
{
    memset(o, 0, sizeof *o);
    o->people = people;
    o->degree = people > PS_GEN_DEFAULT_DEGREE ? PS_GEN_DEFAULT_DEGREE
                                               : (people ? people - 1 : 0);
    o->lists = PS_GEN_DEFAULT_LISTS;
    o->networks = people / PS_GEN_PEOPLE_PER_NETWORK ? people / PS_GEN_PEOPLE_PER_NETWORK : 1;
    o->items_per_person = PS_GEN_DEFAULT_ITEMS;
    o->seed = 1;
}

/* Scratch state of the graph process. */
typedef struct {
    ps_rng r;
    uint32_t n;            /* people */
    uint32_t *mark;        /* mark[u] == stamp: u already chosen for the current person */
    uint32_t stamp;
    uint32_t *tgt;         /* tgt[e]: the earlier end of friendship e */
    uint32_t *eoff;        /* friendships of arrival v: e in eoff[v] .. eoff[v+1] */
    uint32_t ne;
} grower;

/* The later end (the arrival) of friendship e: the v with eoff[v] <= e < eoff[v+1]. */
static uint32_t source_of(const grower *g, uint32_t e, uint32_t nv)
{
    uint32_t lo = 0, hi = nv; /* arrivals 0..nv-1 have their friendships recorded */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (g->eoff[mid] <= e)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static int befriend(ps_model *m, grower *g, uint32_t v, uint32_t t)
{
    g->mark[t] = g->stamp;
    g->tgt[g->ne++] = t;
    return ps_model_add_friendship(m, v, t);
}

/* Chooses k distinct unmarked people in lo..hi-1 (at least k of them are unmarked), by
 * selection sampling (Knuth's algorithm S): for dense graphs, where drawing and rejecting
 * would take long. */
static int choose_range(ps_model *m, grower *g, uint32_t v, uint32_t lo, uint32_t hi,
                        uint32_t k)
{
    uint32_t avail = 0;
    for (uint32_t t = lo; t < hi; t++)
        avail += g->mark[t] != g->stamp;
    for (uint32_t t = lo; t < hi && k; t++) {
        if (g->mark[t] == g->stamp)
            continue;
        if (ps_rng_below(&g->r, avail) < k) {
            if (befriend(m, g, v, t))
                return -1;
            k--;
        }
        avail--;
    }
    return 0;
}

/* One candidate friend of arrival v (community start..v-1), or PS_NONE when the draw led
 * nowhere.  `first`: v's own friendships are tgt[first .. ne). */
static uint32_t candidate(grower *g, uint32_t v, uint32_t start, uint32_t first)
{
    uint32_t roll = ps_rng_below(&g->r, 100);
    if (roll < PCT_TRIAD && g->ne > first) {
        /* a friend of one of v's new friends: closes a triangle */
        uint32_t via = g->tgt[first + ps_rng_below(&g->r, g->ne - first)];
        uint32_t nout = g->eoff[via + 1] - g->eoff[via];
        uint32_t x = nout ? g->tgt[g->eoff[via] + ps_rng_below(&g->r, nout)] : PS_NONE;
        /* within the community only: out-lists point back in time, and following them
         * across communities would funnel everyone towards the first arrivals */
        return x != PS_NONE && x >= start ? x : PS_NONE;
    }
    if (roll < PCT_TRIAD + PCT_COMMUNITY && v > start)
        return start + ps_rng_below(&g->r, v - start);
    if (g->eoff[v] > 0 && ps_rng_below(&g->r, 3) < 2) {
        /* an end of an earlier friendship: preferential attachment */
        uint32_t e = ps_rng_below(&g->r, g->eoff[v]);
        return ps_rng_chance(&g->r, 1, 2) ? g->tgt[e] : source_of(g, e, v);
    }
    return ps_rng_below(&g->r, v);
}

/* Chooses the k friends of arrival v among 0..v-1 (k <= v); v's community is start..v-1. */
static int choose_friends(ps_model *m, grower *g, uint32_t v, uint32_t start, uint32_t k)
{
    if ((uint64_t)k * 2 > v)
        return choose_range(m, g, v, 0, v, k);
    uint32_t first = g->ne;
    while (k) {
        uint32_t t = PS_NONE;
        for (int tries = 0; tries < MAX_TRIES && t == PS_NONE; tries++) {
            uint32_t c = candidate(g, v, start, first);
            if (c != PS_NONE && g->mark[c] != g->stamp)
                t = c;
        }
        if (t == PS_NONE) {
            /* almost everyone before is taken: scan from a random place */
            uint32_t c = ps_rng_below(&g->r, v);
            while (g->mark[c] == g->stamp)
                c = c + 1 == v ? 0 : c + 1;
            t = c;
        }
        if (befriend(m, g, v, t))
            return -1;
        k--;
    }
    return 0;
}

/* Reserves room for `n` friendships in the model, so that its pair array is allocated once
 * at its final size rather than grown by doubling. */
static int reserve_pairs(ps_model *m, uint64_t n)
{
    if (n == 0)
        n = 1; /* an allocated array even without friendships */
    if (n <= m->cap_pairs)
        return 0;
    uint64_t *p = realloc(m->pairs, (size_t)n * sizeof *p);
    if (!p)
        return -1;
    m->pairs = p;
    m->cap_pairs = (uint32_t)n;
    return 0;
}

/* Grows the friendships; bounds[c] .. bounds[c+1]-1 are the people of community c
 * (bounds has room for n / COMMUNITY_MIN + 2 entries). */
static int grow_graph(ps_model *m, const ps_gen_opts *o, uint64_t E, uint32_t *bounds,
                      ps_gen_stats *st)
{
    uint32_t n = o->people;
    grower g = { .n = n };
    ps_rng_seed3(&g.r, o->seed, STREAM_GRAPH, 0);
    g.mark = calloc(n, sizeof *g.mark);
    g.tgt = malloc((size_t)(E ? E : 1) * sizeof *g.tgt);
    g.eoff = malloc(((size_t)n + 1) * sizeof *g.eoff);
    int rc = -1;
    if (!g.mark || !g.tgt || !g.eoff || reserve_pairs(m, E))
        goto done;
    uint32_t start = 0, end = 0; /* v's community: start .. end-1 */
    uint64_t carry = 0;
    for (uint32_t v = 0; v < n; v++) {
        if (v == end) {
            start = end;
            uint32_t size = COMMUNITY_MIN + ps_rng_below(&g.r, COMMUNITY_MAX - COMMUNITY_MIN + 1);
            end = n - start < size ? n : start + size;
            bounds[st->communities++] = start;
        }
        g.eoff[v] = g.ne;
        g.stamp = v + 1;
        uint64_t q = ((uint64_t)(v + 1) * E) / n - ((uint64_t)v * E) / n + carry;
        uint32_t t = q < v ? (uint32_t)q : v;
        carry = q - t;
        if (choose_friends(m, &g, v, start, t))
            goto done;
    }
    g.eoff[n] = g.ne;
    bounds[st->communities] = n;
    st->friendships = g.ne;
    rc = 0;
done:
    free(g.mark);
    free(g.tgt);
    free(g.eoff);
    return rc;
}

/* Friend lists of person u, from u's own stream. */
static int make_lists(ps_model *m, const ps_gen_opts *o, uint32_t u, uint32_t *mark,
                      uint32_t *stamp, ps_gen_stats *st)
{
    uint32_t nf;
    const uint32_t *fr = ps_model_friends(m, u, &nf);
    if (!fr)
        return -1;
    if (nf == 0)
        return 0;
    ps_rng r;
    ps_rng_seed3(&r, o->seed, STREAM_LISTS, u);
    for (uint32_t l = 0; l < o->lists; l++) {
        char name[32];
        int len = l < NLIST_NAMES ? snprintf(name, sizeof name, "%s", list_names[l])
                                  : snprintf(name, sizeof name, "list%u", (unsigned)l);
        uint32_t li = ps_model_add_list(m, u, name, (size_t)len);
        if (li == PS_NONE)
            return -1;
        uint32_t cap = nf < LIST_MAX_MEMBERS ? nf : LIST_MAX_MEMBERS;
        uint32_t size = 1 + ps_rng_below(&r, cap);
        uint32_t *mem = malloc((size_t)size * sizeof *mem);
        if (!mem)
            return -1;
        ++*stamp;
        for (uint32_t k = 0; k < size;) {
            uint32_t f = fr[ps_rng_below(&r, nf)];
            if (mark[f] == *stamp)
                continue;
            mark[f] = *stamp;
            mem[k++] = f;
        }
        /* sorted members, as a file would list them */
        for (uint32_t i = 1; i < size; i++) {
            uint32_t x = mem[i], j = i;
            for (; j > 0 && mem[j - 1] > x; j--)
                mem[j] = mem[j - 1];
            mem[j] = x;
        }
        m->lists[li].members = mem;
        m->lists[li].nmembers = size;
        st->lists++;
    }
    return 0;
}

static int make_networks(ps_model *m, const ps_gen_opts *o, const uint32_t *bounds,
                         ps_gen_stats *st)
{
    uint32_t n = o->people, w = o->networks;
    if (w == 0)
        return 0;
    ps_rng r;
    ps_rng_seed3(&r, o->seed, STREAM_NETWORKS, 0);
    uint32_t *count = calloc(w, sizeof *count);
    uint64_t *pairs = NULL;
    size_t npairs = 0, cap = 0;
    int rc = -1;
    if (!count)
        goto done;
    uint32_t c = 0, home = 0;
    for (uint32_t u = 0; u < n; u++) {
        if (u == bounds[c]) {
            home = ps_rng_below(&r, w);
            c++;
        }
        uint32_t joined[2], nj = 0;
        if (ps_rng_chance(&r, PCT_HOME_NETWORK, 100))
            joined[nj++] = home;
        if (ps_rng_chance(&r, PCT_EXTRA_NETWORK, 100)) {
            uint32_t x = ps_rng_below(&r, w);
            if (nj == 0 || x != joined[0])
                joined[nj++] = x;
        }
        for (uint32_t k = 0; k < nj; k++) {
            if (npairs == cap) {
                size_t ncap = cap ? cap * 2 : 1024;
                uint64_t *p = realloc(pairs, ncap * sizeof *p);
                if (!p)
                    goto done;
                pairs = p;
                cap = ncap;
            }
            pairs[npairs++] = ((uint64_t)joined[k] << 32) | u;
            count[joined[k]]++;
        }
    }
    char name[64];
    for (uint32_t i = 0; i < w; i++) {
        int len = snprintf(name, sizeof name, "%s-%u", network_kinds[i % 4], (unsigned)i);
        uint32_t ni = ps_model_add_network(m, name, (size_t)len);
        if (ni == PS_NONE || ni != i)
            goto done;
        if (count[i] && !(m->networks[i].members = malloc((size_t)count[i] * sizeof(uint32_t))))
            goto done;
    }
    /* people were visited in order, so each network's members arrive sorted */
    for (size_t k = 0; k < npairs; k++) {
        ps_network *net = &m->networks[(uint32_t)(pairs[k] >> 32)];
        net->members[net->nmembers++] = (uint32_t)pairs[k];
    }
    st->networks = w;
    st->memberships = npairs;
    rc = 0;
done:
    free(count);
    free(pairs);
    return rc;
}

int ps_parse_count(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    size_t i = 0;
    for (; s[i] >= '0' && s[i] <= '9'; i++) {
        if (v > (UINT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (i == 0)
        return -1;
    uint64_t mul = 1;
    if (s[i] == 'k' || s[i] == 'K')
        mul = 1000, i++;
    else if (s[i] == 'M')
        mul = 1000000, i++;
    if (s[i] || v > max / mul)
        return -1;
    *out = v * mul;
    return 0;
}

int ps_gen(const ps_gen_opts *o, ps_model **out, ps_gen_stats *stats, char *err, size_t errlen)
{
    ps_gen_stats st;
    memset(&st, 0, sizeof st);
    *out = NULL;
    if (stats)
        *stats = st;
    uint32_t n = o->people;
    if (n == 0 || n > PS_MAX_USERS) {
        snprintf(err, errlen, "the number of people must be 1 to %u", (unsigned)PS_MAX_USERS);
        return PS_GEN_EOPTS;
    }
    if (o->degree > n - 1) {
        snprintf(err, errlen, "a mean degree of %u needs at least %llu people (with %u, "
                 "the most is %u)", (unsigned)o->degree, (unsigned long long)o->degree + 1,
                 (unsigned)n, (unsigned)(n - 1));
        return PS_GEN_EOPTS;
    }
    uint64_t E = (uint64_t)n * o->degree / 2;
    if (E > INT32_MAX) {
        snprintf(err, errlen, "%llu friendships is more than a scenario may hold (%d)",
                 (unsigned long long)E, INT32_MAX);
        return PS_GEN_EOPTS;
    }
    if (o->lists > PS_GEN_MAX_LISTS) {
        snprintf(err, errlen, "at most %u lists per person", PS_GEN_MAX_LISTS);
        return PS_GEN_EOPTS;
    }
    if (o->networks > n) {
        snprintf(err, errlen, "at most one network per person (%u)", (unsigned)n);
        return PS_GEN_EOPTS;
    }
    if ((uint64_t)o->items_per_person * n > PS_MAX_ITEMS) {
        snprintf(err, errlen, "%llu items is more than a scenario may hold (%u)",
                 (unsigned long long)o->items_per_person * n, (unsigned)PS_MAX_ITEMS);
        return PS_GEN_EOPTS;
    }
    ps_model *m = ps_model_new();
    uint32_t *mark = NULL;
    uint32_t *bounds = malloc(((size_t)n / COMMUNITY_MIN + 2) * sizeof *bounds);
    if (!m || !bounds)
        goto nomem;
    char name[16];
    for (uint32_t u = 0; u < n; u++) {
        int len = snprintf(name, sizeof name, "u%u", (unsigned)u);
        if (ps_model_add_user(m, name, (size_t)len, NULL) == PS_NONE)
            goto nomem;
    }
    if (grow_graph(m, o, E, bounds, &st))
        goto nomem;
    if (o->lists) {
        mark = calloc(n, sizeof *mark);
        if (!mark)
            goto nomem;
        uint32_t stamp = 0;
        for (uint32_t u = 0; u < n; u++)
            if (make_lists(m, o, u, mark, &stamp, &st))
                goto nomem;
        free(mark);
        mark = NULL;
    }
    if (make_networks(m, o, bounds, &st))
        goto nomem;
    free(bounds);
    bounds = NULL;
    ps_populate_opts po = { .items_per_person = o->items_per_person, .seed = o->seed };
    if (ps_populate(m, &po, &st.pop))
        goto nomem;
    if (stats)
        *stats = st;
    *out = m;
    return 0;
nomem:
    free(mark);
    free(bounds);
    ps_model_free(m);
    return PS_GEN_ENOMEM;
}
