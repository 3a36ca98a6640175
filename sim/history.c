/* history.c - a scenario through the platform presets (see history.h). */
#include "history.h"
#include "describe.h"
#include "engine.h"

#include <stdlib.h>
#include <string.h>

static const char *const class_names[PS_NHC] = {
    "only-me", "friends", "fof/networks", "users", "apps", "internet",
};
static const char *const class_titles[PS_NHC] = {
    "only the person", "friends", "fof or networks", "all users", "apps", "the internet",
};

const char *ps_history_class_name(ps_history_class c)
{
    return c < PS_NHC ? class_names[c] : "?";
}

const char *ps_history_class_title(ps_history_class c)
{
    return c < PS_NHC ? class_titles[c] : "?";
}

void ps_history_free(ps_history *h)
{
    if (!h)
        return;
    ps_model_free(h->m);
    free(h->presets);
    free(h->items);
    free(h->cells);
    free(h);
}

/* The social distance of every user from `user` in the model's current state, as a class:
 * PS_HC_ONLY for the user, FRIENDS, FOF (a friend of a friend, or a member of one of the
 * user's networks that counts), else USERS.  `dist` has m->nusers entries. */
static void distances(ps_model *m, uint32_t user, uint8_t *dist)
{
    memset(dist, PS_HC_USERS, m->nusers);
    for (uint32_t n = 0; n < m->nnetworks; n++)
        if (ps_network_counts(m, n) && ps_network_has(&m->networks[n], user))
            for (uint32_t i = 0; i < m->networks[n].nmembers; i++)
                if (m->networks[n].members[i] < m->nusers)
                    dist[m->networks[n].members[i]] = PS_HC_FOF;
    uint32_t nf;
    const uint32_t *fr = ps_model_friends(m, user, &nf);
    for (uint32_t i = 0; i < nf; i++) {
        uint32_t n2;
        const uint32_t *fr2 = ps_model_friends(m, fr[i], &n2);
        for (uint32_t j = 0; j < n2; j++)
            dist[fr2[j]] = PS_HC_FOF;
    }
    for (uint32_t i = 0; i < nf; i++)
        dist[fr[i]] = PS_HC_FRIENDS;
    dist[user] = PS_HC_ONLY;
}

static ps_history_class classify(const ps_model *m, const uint8_t *dist, uint32_t v)
{
    if (v == ps_viewer_internet(m))
        return PS_HC_INTERNET;
    if (v > m->nusers)
        return PS_HC_APPS;
    return (ps_history_class)dist[v];
}

/* Whether grant g lets in every user (a public or everyone term, a field forced to every
 * user, an open group): its viewer is then counted among "all users" even when the scenario
 * has nobody beyond friends of friends. */
static bool reaches_every_user(const ps_model *m, const ps_grant *g)
{
    switch ((ps_via)g->via) {
    case PS_VIA_AUDIENCE: case PS_VIA_SHARE: case PS_VIA_FRIENDSHIP:
        return g->term == PS_TERM_PUBLIC || g->term == PS_TERM_EVERYONE;
    case PS_VIA_FORCED:
        return g->term == PS_FORCED_PUBLIC || g->term == PS_FORCED_EVERYONE;
    case PS_VIA_GROUP:
        return g->ref < m->ngroups && m->groups[g->ref].kind == PS_GROUP_OPEN;
    default:
        return false;
    }
}

/* Fills the cells of one preset: the scenario run to its end under `preset`. */
static int run_preset(ps_history *h, uint32_t p)
{
    if (ps_model_set_platform(h->m, h->presets[p]))
        return -1;
    ps_engine *e = ps_engine_new(h->m);
    uint8_t *dist = NULL;
    if (!e || ps_engine_run(e) < 0 || !(dist = malloc(h->m->nusers + 1))) {
        ps_engine_free(e);
        return -1;
    }
    ps_model *em = ps_engine_model(e);
    distances(em, h->user, dist);
    for (uint32_t r = 0; r < h->nitems; r++) {
        ps_history_cell *cell = &h->cells[(size_t)r * h->npresets + p];
        if (ps_engine_eval(e, h->items[r])) {
            ps_engine_free(e);
            free(dist);
            return -1;
        }
        uint32_t n, best = PS_NONE;
        const uint32_t *aud = ps_engine_audience(e, &n);
        ps_history_class widest = PS_HC_ONLY;
        for (uint32_t i = 0; i < n; i++) {
            ps_history_class k = classify(em, dist, aud[i]);
            const ps_grant *g = ps_engine_grant(e, aud[i]);
            if (k < PS_HC_USERS && g && reaches_every_user(em, g))
                k = PS_HC_USERS;
            if (best == PS_NONE || k > widest) {
                widest = k;
                best = aud[i];
            }
        }
        cell->cls = (uint8_t)widest;
        if (best == PS_NONE)
            continue;
        ps_viewer_name(em, best, cell->viewer, sizeof cell->viewer);
        ps_path path;
        if (ps_engine_path(e, best, &path) == 0 && path.nlinks) {
            uint32_t last = path.nlinks - 1;
            ps_link_label(em, &path, last, cell->via, sizeof cell->via);
            ps_link_basis(em, &path, last, cell->cause, sizeof cell->cause);
        }
    }
    ps_engine_free(e);
    free(dist);
    return 0;
}

int ps_history_compute(const ps_model *m, uint32_t user, ps_history **out)
{
    *out = NULL;
    ps_history *h = calloc(1, sizeof *h);
    if (!h || !(h->m = ps_model_clone(m)))
        goto fail;
    h->user = user;
    h->m->rules_set = 0;         /* each preset as it was, without the file's rule lines */
    h->m->default_audience_set = 0;
    const char *const *names = ps_platform_names();
    uint32_t np = 0;
    while (names[np])
        np++;
    h->presets = calloc(np + 1, sizeof *h->presets);
    if (!h->presets)
        goto fail;
    for (uint32_t i = 0; i < np; i++)
        if (ps_platform_date(names[i]))
            h->presets[h->npresets++] = names[i];
    /* the rows: the user's posts and photos, then every field (declared here if need be) */
    for (unsigned f = 0; f < PS_NFIELDS; f++)
        if (ps_model_field_item(h->m, user, (ps_field)f) == PS_NONE)
            goto fail;
    h->items = calloc((size_t)h->m->nitems + 1, sizeof *h->items);
    if (!h->items)
        goto fail;
    for (uint32_t i = 0; i < h->m->nitems; i++)
        if (h->m->items[i].owner == user && h->m->items[i].kind != PS_ITEM_FIELD)
            h->items[h->nitems++] = i;
    for (unsigned f = 0; f < PS_NFIELDS; f++)
        h->items[h->nitems++] = ps_model_field_item(h->m, user, (ps_field)f);
    h->cells = calloc((size_t)h->nitems * h->npresets + 1, sizeof *h->cells);
    if (!h->cells)
        goto fail;
    for (uint32_t p = 0; p < h->npresets; p++)
        if (run_preset(h, p))
            goto fail;
    *out = h;
    return 0;
fail:
    ps_history_free(h);
    return -1;
}
