/* populate.h - filling a social graph with the things people publish and the settings
 * they choose, for `privsim import` and `privsim gen`.
 *
 * Given a model with users, friendships, friend lists and networks, ps_populate() adds, for
 * every person, K posts and photos with audiences drawn from a fixed distribution (described
 * in populate.c and in the README's "Populated items"), tags on photos, personas, a few
 * third-party apps and some users' app and tag-review settings.  Every draw comes from a
 * seeded generator (rng.h), one stream per person, so the same model and the same options
 * always give the same scenario.
 */
#ifndef PS_POPULATE_H
#define PS_POPULATE_H

#include "model.h"

#include <stdint.h>

typedef struct {
    uint32_t items_per_person; /* K: posts and photos per person; 0 adds nothing at all */
    uint64_t seed;             /* the seed of every draw */
} ps_populate_opts;

/* What ps_populate() added (for a summary line). */
typedef struct {
    uint64_t posts, photos;    /* items */
    uint64_t tags;             /* users tagged on photos */
    uint32_t personas;
    uint32_t apps;
    uint64_t installs;         /* installers over all apps */
    uint32_t settings;         /* users given their own tag-review or apps setting */
} ps_populate_stats;

/**
 * Adds items, personas, apps and settings to `m` (see the file comment).
 *
 * Items are named USER-pJ (posts) and USER-phJ (photos), J counting from 0 per person;
 * personas as-LIST; apps from a fixed list of names (quiz, horoscope, ...).  The model must
 * not already hold items, personas or apps with those names.
 *
 * @param m      the model; its friendships, lists and networks are read, not changed (some
 *               users get settings of their own)
 * @param o      K and the seed
 * @param stats  [out] what was added (may be NULL)
 * @return 0; -1 when the scenario would hold more than PS_MAX_ITEMS items (parse.h; errno
 *         E2BIG), a name is already taken (EEXIST) or memory ran out (ENOMEM).  On failure the
 *         model holds part of what was added and should be freed.
 */
int ps_populate(ps_model *m, const ps_populate_opts *o, ps_populate_stats *stats);

#endif
