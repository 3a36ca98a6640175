/* gen.h - synthetic social networks of any size, for `privsim gen`.
 *
 * ps_gen() builds a model of N people with about N*D/2 friendships (exactly floor(N*D/2)),
 * grown with a community-structured preferential-attachment process (gen.c), then friend
 * lists, networks, and the shared populate step (populate.h).  Time and memory are linear in
 * people plus friendships; one seed always gives the same model.
 */
#ifndef PS_GEN_H
#define PS_GEN_H

#include "model.h"
#include "populate.h"

#include <stddef.h>
#include <stdint.h>

#define PS_GEN_DEFAULT_DEGREE 20  /* capped at people - 1 when not given */
#define PS_GEN_DEFAULT_LISTS   2
#define PS_GEN_DEFAULT_ITEMS   1
#define PS_GEN_MAX_LISTS      64
/* Networks when not given: one per this many people (at least one). */
#define PS_GEN_PEOPLE_PER_NETWORK 500

typedef struct {
    uint32_t people;           /* N, at least 1 */
    uint32_t degree;           /* D: mean number of friends, at most N - 1 */
    uint32_t lists;            /* L: friend lists of each person who has friends */
    uint32_t networks;         /* W: networks (0: none) */
    uint32_t items_per_person; /* K, for the populate step */
    uint64_t seed;
} ps_gen_opts;

/* Fills `o` with the defaults for `people` people (degree, lists, networks, items, seed 1). */
void ps_gen_defaults(ps_gen_opts *o, uint32_t people);

/* What ps_gen() made. */
typedef struct {
    uint32_t communities;
    uint64_t friendships;
    uint32_t lists;
    uint32_t networks;
    uint64_t memberships;      /* network memberships */
    ps_populate_stats pop;
} ps_gen_stats;

/* Return values of ps_gen() besides 0. */
#define PS_GEN_EOPTS  (-1)  /* options out of range; the reason is in `err` */
#define PS_GEN_ENOMEM (-2)

/**
 * Generates a scenario (see gen.c for the process).
 *
 * @param o       sizes and seed
 * @param out     [out] the model (platform: the newest preset), the caller's to free with
 *                ps_model_free(); NULL on failure
 * @param stats   [out] what was made (may be NULL)
 * @param err     receives a one-line reason when the options are out of range
 * @param errlen  its size
 * @return 0, PS_GEN_EOPTS or PS_GEN_ENOMEM
 */
int ps_gen(const ps_gen_opts *o, ps_model **out, ps_gen_stats *stats, char *err, size_t errlen);

/* Parses a count as the data commands take it: decimal digits with an optional suffix k
 * (thousand) or M (million), e.g. 1000000, 1000k, 1M.  0 with *out set, or -1 when `s` is
 * not such a count or is above `max`. */
int ps_parse_count(const char *s, uint64_t max, uint64_t *out);

#endif
