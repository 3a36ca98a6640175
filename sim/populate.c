/* populate.c - the seeded populate step shared by `privsim import` and `privsim gen`.
 *
 * The distribution (also in the README, "Populated items").  For each person U, from U's own
 * stream (seed, person U), in this order:
 *
 *   settings  10% turn tag review on; 10% set apps-through-friends to a subset of
 *             birthday, hometown, city, relationship, likes, posts, photos (each with
 *             probability 1/2; the subset may be empty: `none`).
 *   persona   when U owns at least one friend list, with probability 30%: a persona
 *             `as-A` whose audience is one of U's lists A and whose forbid is another list
 *             B of U's (when U has two or more lists) or else one of U's networks; none when
 *             U has one list and no network.
 *   items     K items, each a photo with probability 30%, else a post, named U-pJ / U-phJ.
 *             When U has a persona, each item is given to it with probability 1/3
 *             (persona=as-A, audience=list:A).  Otherwise its audience is drawn from
 *
 *                 friends 36%   fof 14%   public 12%   everyone 4%   only-me 4%
 *                 list:L 18%    network:N 8%    user:V 4% (one to three of U's friends)
 *
 *             where L is one of U's lists (friends when U has none), N one of U's networks
 *             (fof when U is in none) and V distinct friends of U (friends when U has none).
 *             An item whose audience is friends, fof, public, everyone or a network gets a
 *             hide set with probability 8%: one of U's lists, else one friend (user:F).
 *             Half of the photos tag one to three distinct friends of U (tags are pending
 *             or live by each tagged user's tag review, as the platform says).
 *
 * Then, from the stream (seed, apps): max(1, min(8, people / 1000)) apps, named from a fixed
 * list, each installed by max(1, min(64, people / 250)) distinct people drawn uniformly.
 * Choices among lists, networks and friends are uniform.  All percentages are exact integer
 * draws, so the output is the same everywhere.
 */
#include "populate.h"
#include "parse.h"
#include "rng.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { STREAM_PERSON = 1, STREAM_APPS = 2 };

/* Audience draws, in percent; the order is the order of the cumulative table below. */
typedef enum { A_FRIENDS, A_FOF, A_PUBLIC, A_EVERYONE, A_ONLY_ME, A_LIST, A_NETWORK, A_USERS,
               A_N } audience_pick;
static const uint8_t audience_pct[A_N] = { 36, 14, 12, 4, 4, 18, 8, 4 };

#define PCT_TAG_REVIEW   10  /* users who turn tag review on */
#define PCT_APPS_CATS    10  /* users who set their own apps-through-friends categories */
#define PCT_PERSONA      30  /* users with lists who keep a persona */
#define PCT_PHOTO        30  /* items that are photos */
#define PCT_HIDE          8  /* broad audiences that get a hide set */
#define PCT_PHOTO_TAGS   50  /* photos that tag friends */
#define MAX_PICKS         3  /* most friends tagged on one photo, or named by user: terms */

static const char *const app_names[] = {
    "quiz", "horoscope", "farm", "travel", "music", "birthdays", "polls", "games",
};
#define MAX_APPS ((uint32_t)(sizeof app_names / sizeof app_names[0]))
#define MAX_INSTALLERS 64u

/* Categories a user may let through friends' apps. */
static const unsigned app_cats[] = {
    PS_F_BIRTHDAY, PS_F_HOMETOWN, PS_F_CITY, PS_F_RELATIONSHIP, PS_F_LIKES, PS_CAT_POSTS,
    PS_CAT_PHOTOS,
};

/* Per-user views of lists and networks, as compressed rows. */
typedef struct {
    uint32_t *list_off;    /* lists owned by u: list_idx[list_off[u] .. list_off[u+1]) */
    uint32_t *list_idx;
    uint32_t *net_off;     /* networks u belongs to: net_idx[net_off[u] .. net_off[u+1]) */
    uint32_t *net_idx;
} user_index;

static void index_free(user_index *x)
{
    free(x->list_off);
    free(x->list_idx);
    free(x->net_off);
    free(x->net_idx);
}

static int index_build(const ps_model *m, user_index *x)
{
    uint32_t n = m->nusers;
    uint64_t nmemb = 0;
    for (uint32_t i = 0; i < m->nnetworks; i++)
        nmemb += m->networks[i].nmembers;
    if (nmemb > UINT32_MAX)
        return -1;
    x->list_off = calloc((size_t)n + 1, sizeof *x->list_off);
    x->net_off = calloc((size_t)n + 1, sizeof *x->net_off);
    x->list_idx = malloc(((size_t)m->nlists + 1) * sizeof *x->list_idx);
    x->net_idx = malloc(((size_t)nmemb + 1) * sizeof *x->net_idx);
    if (!x->list_off || !x->net_off || !x->list_idx || !x->net_idx)
        return -1;
    for (uint32_t i = 0; i < m->nlists; i++)
        if (m->lists[i].owner < n)
            x->list_off[m->lists[i].owner + 1]++;
    for (uint32_t i = 0; i < m->nnetworks; i++)
        for (uint32_t k = 0; k < m->networks[i].nmembers; k++)
            if (m->networks[i].members[k] < n)
                x->net_off[m->networks[i].members[k] + 1]++;
    for (uint32_t u = 0; u < n; u++) {
        x->list_off[u + 1] += x->list_off[u];
        x->net_off[u + 1] += x->net_off[u];
    }
    /* fill with a moving cursor per user: the row's own start, advanced as it fills */
    uint32_t *lpos = malloc(((size_t)n + 1) * sizeof *lpos);
    uint32_t *npos = malloc(((size_t)n + 1) * sizeof *npos);
    if (!lpos || !npos) {
        free(lpos);
        free(npos);
        return -1;
    }
    memcpy(lpos, x->list_off, ((size_t)n + 1) * sizeof *lpos);
    memcpy(npos, x->net_off, ((size_t)n + 1) * sizeof *npos);
    for (uint32_t i = 0; i < m->nlists; i++)
        if (m->lists[i].owner < n)
            x->list_idx[lpos[m->lists[i].owner]++] = i;
    for (uint32_t i = 0; i < m->nnetworks; i++)
        for (uint32_t k = 0; k < m->networks[i].nmembers; k++)
            if (m->networks[i].members[k] < n)
                x->net_idx[npos[m->networks[i].members[k]]++] = i;
    free(lpos);
    free(npos);
    return 0;
}

/* Writes up to `k` distinct elements of v[0..n) into out; returns how many (min(k, n)). */
static uint32_t pick_distinct(ps_rng *r, const uint32_t *v, uint32_t n, uint32_t k,
                              uint32_t *out)
{
    if (k > n)
        k = n;
    uint32_t got = 0;
    while (got < k) {
        uint32_t c = v[ps_rng_below(r, n)];
        bool dup = false;
        for (uint32_t i = 0; i < got; i++)
            dup |= out[i] == c;
        if (!dup)
            out[got++] = c;
    }
    return got;
}

/* The state shared by the per-person steps. */
typedef struct {
    ps_model *m;
    const user_index *x;
    uint64_t seed;
    uint32_t k;
    ps_populate_stats st;
} populator;

/* Adds the persona of `u` when the draw says so; returns its index or PS_NONE (with
 * *failed set on error).  *list receives the persona's audience list. */
static uint32_t add_persona(populator *p, ps_rng *r, uint32_t u, uint32_t *list, bool *failed)
{
    ps_model *m = p->m;
    const user_index *x = p->x;
    uint32_t nl = x->list_off[u + 1] - x->list_off[u];
    uint32_t nn = x->net_off[u + 1] - x->net_off[u];
    if (nl == 0 || !ps_rng_chance(r, PCT_PERSONA, 100))
        return PS_NONE;
    if (nl < 2 && nn == 0)
        return PS_NONE;
    uint32_t a = ps_rng_below(r, nl);
    ps_term_kind fkind;
    uint32_t fref;
    if (nl >= 2) {
        uint32_t b = ps_rng_below(r, nl - 1);
        if (b >= a)
            b++;
        fkind = PS_TERM_LIST;
        fref = x->list_idx[x->list_off[u] + b];
    } else {
        fkind = PS_TERM_NETWORK;
        fref = x->net_idx[x->net_off[u] + ps_rng_below(r, nn)];
    }
    *list = x->list_idx[x->list_off[u] + a];
    char name[PS_MAX_NAME + 8];
    int len = snprintf(name, sizeof name, "as-%s", m->lists[*list].name);
    if (len < 0 || (size_t)len >= sizeof name) {
        /* a list name near the length limit: fall back to a numbered name */
        len = snprintf(name, sizeof name, "as-list%u", (unsigned)a);
    }
    uint32_t pi = ps_model_add_persona(m, u, name, (size_t)len);
    if (pi == PS_NONE) {
        *failed = true;
        return PS_NONE;
    }
    ps_persona *pe = &m->personas[pi];
    if (ps_terms_push(&pe->audience, PS_TERM_LIST, *list) ||
        ps_terms_push(&pe->forbid, fkind, fref)) {
        errno = ENOMEM;
        *failed = true;
        return PS_NONE;
    }
    p->st.personas++;
    return pi;
}

/* Draws the audience of one of u's items into `a` (no persona). */
static int draw_audience(populator *p, ps_rng *r, uint32_t u, const uint32_t *fr, uint32_t nf,
                         ps_audience *a)
{
    const user_index *x = p->x;
    uint32_t nl = x->list_off[u + 1] - x->list_off[u];
    uint32_t nn = x->net_off[u + 1] - x->net_off[u];
    uint32_t roll = ps_rng_below(r, 100), pick = 0;
    while (pick + 1 < A_N && roll >= audience_pct[pick])
        roll -= audience_pct[pick++];
    int rc = 0;
    bool broad = true;
    switch ((audience_pick)pick) {
    case A_FRIENDS: rc = ps_terms_push(&a->allow, PS_TERM_FRIENDS, PS_NONE); break;
    case A_FOF: rc = ps_terms_push(&a->allow, PS_TERM_FOF, PS_NONE); break;
    case A_PUBLIC: rc = ps_terms_push(&a->allow, PS_TERM_PUBLIC, PS_NONE); break;
    case A_EVERYONE: rc = ps_terms_push(&a->allow, PS_TERM_EVERYONE, PS_NONE); break;
    case A_ONLY_ME:
        rc = ps_terms_push(&a->allow, PS_TERM_ONLY_ME, PS_NONE);
        broad = false;
        break;
    case A_LIST:
        if (nl) {
            rc = ps_terms_push(&a->allow, PS_TERM_LIST,
                               x->list_idx[x->list_off[u] + ps_rng_below(r, nl)]);
            broad = false;
        } else {
            rc = ps_terms_push(&a->allow, PS_TERM_FRIENDS, PS_NONE);
        }
        break;
    case A_NETWORK:
        if (nn)
            rc = ps_terms_push(&a->allow, PS_TERM_NETWORK,
                               x->net_idx[x->net_off[u] + ps_rng_below(r, nn)]);
        else
            rc = ps_terms_push(&a->allow, PS_TERM_FOF, PS_NONE);
        break;
    case A_USERS:
    default:
        if (nf) {
            uint32_t who[MAX_PICKS];
            uint32_t k = pick_distinct(r, fr, nf, 1 + ps_rng_below(r, MAX_PICKS), who);
            for (uint32_t i = 0; i < k && !rc; i++)
                rc = ps_terms_push(&a->allow, PS_TERM_USER, who[i]);
            broad = false;
        } else {
            rc = ps_terms_push(&a->allow, PS_TERM_FRIENDS, PS_NONE);
        }
        break;
    }
    if (rc || !broad || !ps_rng_chance(r, PCT_HIDE, 100))
        return rc;
    if (nl)
        return ps_terms_push(&a->hide, PS_TERM_LIST,
                             x->list_idx[x->list_off[u] + ps_rng_below(r, nl)]);
    if (nf)
        return ps_terms_push(&a->hide, PS_TERM_USER, fr[ps_rng_below(r, nf)]);
    return 0;
}

/* Everything drawn for person u. */
static int populate_person(populator *p, uint32_t u)
{
    ps_model *m = p->m;
    ps_rng r;
    ps_rng_seed3(&r, p->seed, STREAM_PERSON, u);

    bool own_setting = false;
    if (ps_rng_chance(&r, PCT_TAG_REVIEW, 100)) {
        m->users[u].tag_review = PS_ON;
        own_setting = true;
    }
    if (ps_rng_chance(&r, PCT_APPS_CATS, 100)) {
        uint32_t mask = 0;
        for (size_t i = 0; i < sizeof app_cats / sizeof app_cats[0]; i++)
            if (ps_rng_chance(&r, 1, 2))
                mask |= 1u << app_cats[i];
        m->users[u].has_apps_cats = true;
        m->users[u].apps_cats = mask;
        own_setting = true;
    }
    p->st.settings += own_setting;

    bool failed = false;
    uint32_t plist = PS_NONE;
    uint32_t persona = add_persona(p, &r, u, &plist, &failed);
    if (failed)
        return -1;

    uint32_t nf;
    const uint32_t *fr = ps_model_friends(m, u, &nf);
    if (!fr && m->nusers && nf == 0 && m->adj_stale) {
        errno = ENOMEM;
        return -1;
    }
    char name[PS_MAX_NAME + 32];
    for (uint32_t j = 0; j < p->k; j++) {
        bool photo = ps_rng_chance(&r, PCT_PHOTO, 100);
        int len = snprintf(name, sizeof name, "%s-%s%u", m->users[u].name, photo ? "ph" : "p",
                           (unsigned)j);
        if (len < 0 || (size_t)len >= sizeof name) {
            errno = ENAMETOOLONG;
            return -1;
        }
        uint32_t idx = ps_model_add_item(m, photo ? PS_ITEM_PHOTO : PS_ITEM_POST, name,
                                         (size_t)len, u);
        if (idx == PS_NONE)
            return -1;
        ps_item *it = &m->items[idx];
        it->has_audience = true;
        int rc;
        if (persona != PS_NONE && ps_rng_chance(&r, 1, 3)) {
            it->persona = persona;
            rc = ps_terms_push(&it->audience.allow, PS_TERM_LIST, plist);
        } else {
            rc = draw_audience(p, &r, u, fr, nf, &it->audience);
        }
        if (rc) {
            errno = ENOMEM;
            return -1;
        }
        if (photo) {
            p->st.photos++;
            if (nf && ps_rng_chance(&r, PCT_PHOTO_TAGS, 100)) {
                uint32_t who[MAX_PICKS];
                uint32_t k = pick_distinct(&r, fr, nf, 1 + ps_rng_below(&r, MAX_PICKS), who);
                for (uint32_t i = 0; i < k; i++) {
                    if (ps_item_add_tag(it, who[i])) {
                        errno = ENOMEM;
                        return -1;
                    }
                }
                p->st.tags += k;
            }
        } else {
            p->st.posts++;
        }
    }
    return 0;
}

/* The apps and their installers. */
static int populate_apps(populator *p)
{
    ps_model *m = p->m;
    uint32_t n = m->nusers;
    if (n == 0)
        return 0;
    ps_rng r;
    ps_rng_seed3(&r, p->seed, STREAM_APPS, 0);
    uint32_t napps = n / 1000;
    napps = napps < 1 ? 1 : napps > MAX_APPS ? MAX_APPS : napps;
    uint32_t ninst = n / 250;
    ninst = ninst < 1 ? 1 : ninst > MAX_INSTALLERS ? MAX_INSTALLERS : ninst;
    for (uint32_t a = 0; a < napps; a++) {
        uint32_t idx = ps_model_add_app(m, app_names[a], strlen(app_names[a]));
        if (idx == PS_NONE)
            return -1;
        uint32_t who[MAX_INSTALLERS];
        uint32_t got = 0;
        while (got < ninst) {
            uint32_t c = ps_rng_below(&r, n);
            bool dup = false;
            for (uint32_t i = 0; i < got; i++)
                dup |= who[i] == c;
            if (!dup)
                who[got++] = c;
        }
        for (uint32_t i = 0; i < got; i++)
            if (ps_u32_push(&m->apps[idx].installers, &m->apps[idx].ninstallers, who[i])) {
                errno = ENOMEM;
                return -1;
            }
        p->st.apps++;
        p->st.installs += got;
    }
    return 0;
}

int ps_populate(ps_model *m, const ps_populate_opts *o, ps_populate_stats *stats)
{
    populator p = { .m = m, .seed = o->seed, .k = o->items_per_person };
    if (stats)
        memset(stats, 0, sizeof *stats);
    if (o->items_per_person == 0)
        return 0;
    if ((uint64_t)o->items_per_person * m->nusers + m->nitems > PS_MAX_ITEMS) {
        errno = E2BIG;
        return -1;
    }
    user_index x = {0};
    if (index_build(m, &x)) {
        index_free(&x);
        errno = ENOMEM;
        return -1;
    }
    p.x = &x;
    int rc = 0;
    for (uint32_t u = 0; u < m->nusers && rc == 0; u++)
        rc = populate_person(&p, u);
    if (rc == 0)
        rc = populate_apps(&p);
    index_free(&x);
    if (stats)
        *stats = p.st;
    return rc;
}
