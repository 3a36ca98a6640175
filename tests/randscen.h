/* randscen.h - seeded random scenarios for the property tests.
 *
 * randscen_new() builds a small, valid model directly through the model.h builders: 2-12
 * users, friendships, networks, groups, friend lists (members are the owner's friends),
 * personas, posts, photos and profile fields with random audiences, hides, tags and personas,
 * group posts (no audience of their own), apps and their installers, per-user settings,
 * random platform rules (a preset plus `rule` overrides), a timeline with every kind of step,
 * and a few expectations.  The same seed always gives the same model.
 *
 * randscen_dump() writes a model in the scenario language, so that a failing seed can be
 * read and replayed by hand.
 */
#ifndef PS_RANDSCEN_H
#define PS_RANDSCEN_H

#include "model.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct {
    uint32_t min_users, max_users; /* 2..12 by default */
    uint32_t max_items;            /* items (posts, photos, fields); 6 by default */
    uint32_t max_steps;            /* timeline steps; 16 by default */
    unsigned focused_pct;          /* % of scenarios with 1-2 items and max_steps/2 to
                                    * max_steps steps about them; 35 by default */
    bool no_hide;                  /* no hide= anywhere (items, shares, set steps) */
} randscen_opts;

/* The default options. */
randscen_opts randscen_defaults(void);

/* A random model for `seed` (opts NULL = the defaults).  NULL out of memory.  The caller
 * frees it with ps_model_free(). */
ps_model *randscen_new(uint64_t seed, const randscen_opts *opts);

/* Turns on, as `rule` lines, the rules that make the most interplay: tag-extends =
 * tagged-friends, reshare = `reshare`, interaction-extends = commenter-friends,
 * apps-through-friends = on, friendship-visibility = both-ends.  0, or -1 out of memory. */
int randscen_widen(ps_model *m, ps_reshare reshare);

/* A small seeded generator, for tests that pick random things of their own. */
uint64_t randscen_rand(uint64_t *state);
/* A number in 0..n-1 (n > 0). */
uint32_t randscen_below(uint64_t *state, uint32_t n);

/* Writes `m` in the scenario language to `f` (the rules as preset + overrides, then the
 * objects, the settings, the timeline and the expectations). */
void randscen_dump(FILE *f, const ps_model *m);

#endif

/* Adds one or two persons with two or three accounts each (random forbid-link terms, same=
 * fields), identifying field values drawn from a small pool (so that some are equal), and
 * sometimes link rules.  0, or -1 out of memory (or fewer than two users: nothing added). */
int randscen_add_persons(ps_model *m, uint64_t seed);
