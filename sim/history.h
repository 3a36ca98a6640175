/* history.h - one scenario under every dated platform preset, in date order: for each of one
 * user's items and profile fields, the widest class of viewer that sees it at the end of the
 * timeline under each preset, and the rule or setting that lets that viewer in.
 *
 * The file's own `platform` and `rule` lines are set aside: each preset is simulated as it
 * was.  Classes, narrowest first: the user only; friends; friends of friends or fellow
 * network members; all users (a user outside those, or any user let in by a public or
 * everyone term, a field forced to every user or an open group); apps (an app sees it, the
 * internet does not); the internet.
 *
 * Ownership: a ps_history returned by ps_history_compute() is the caller's, freed with
 * ps_history_free(); it keeps its own copy of the model (names are read from it).
 */
#ifndef PS_HISTORY_H
#define PS_HISTORY_H

#include "model.h"

typedef enum {
    PS_HC_ONLY,       /* the user only */
    PS_HC_FRIENDS,    /* some friend */
    PS_HC_FOF,        /* a friend of a friend, or a member of one of the user's networks */
    PS_HC_USERS,      /* a user outside those */
    PS_HC_APPS,       /* an app, while the internet does not see it */
    PS_HC_INTERNET,   /* the internet */
    PS_NHC
} ps_history_class;

/* The class's short name ("only-me", "friends", "fof/networks", "users", "apps",
 * "internet") and its name for people ("only al" is written by the caller). */
const char *ps_history_class_name(ps_history_class c);
const char *ps_history_class_title(ps_history_class c);

typedef struct {
    uint8_t cls;           /* ps_history_class */
    char via[48];          /* the link kind that reaches the widest viewer ("forced-public") */
    char cause[240];       /* the rule or setting behind it (ps_link_basis), or "" */
    char viewer[64];       /* the widest viewer, as ps_viewer_name writes it */
} ps_history_cell;

typedef struct {
    ps_model *m;           /* the scenario, with every field of the user declared, without
                            * its rule lines, under the last preset (owned) */
    uint32_t user;
    const char **presets;  /* the dated presets, in date order (static strings) */
    uint32_t npresets;
    uint32_t *items;       /* the rows: the user's posts and photos, then the 15 fields */
    uint32_t nitems;
    ps_history_cell *cells; /* row-major: cells[row * npresets + preset] */
} ps_history;

/* Computes the history of `user` in `m`.  0 with *out set, or -1 out of memory. */
int ps_history_compute(const ps_model *m, uint32_t user, ps_history **out);
void ps_history_free(ps_history *h);
/* The cell of row `row` under preset `p`. */
static inline const ps_history_cell *ps_history_at(const ps_history *h, uint32_t row,
                                                   uint32_t p)
{
    return &h->cells[(size_t)row * h->npresets + p];
}
/* True when the cell under preset p > 0 is wider than the one before it. */
static inline bool ps_history_widens(const ps_history *h, uint32_t row, uint32_t p)
{
    return p > 0 && ps_history_at(h, row, p)->cls > ps_history_at(h, row, p - 1)->cls;
}

#endif
