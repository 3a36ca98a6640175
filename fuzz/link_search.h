/* link_search.h - the fuzzer's search for linkages of a person's accounts.
 *
 * When a scenario has `person` lines, `privsim fuzz` also asks which points of the space let
 * someone link two accounts that no one links at the origin.  Points are visited in order
 * of their distance from the origin (every point that changes one dimension, then every one
 * that changes two, ...), so the first point at which a linkage appears needs the fewest
 * changes: each finding is minimal by construction.  Each point is written out as a plain
 * scenario (ps_space_point_model) and its linkages computed by ps_linkage_check().  A
 * finding is a new (person, pair of accounts, evidence kinds, severity); it keeps the
 * first point that shows it and how many viewers link there.
 */
#ifndef PS_LINK_SEARCH_H
#define PS_LINK_SEARCH_H

#include "space.h"
#include "sarif.h"

#include <stdio.h>

typedef struct {
    uint32_t person, a, b; /* the person and the pair of accounts */
    uint32_t viewer;       /* one viewer who links them (the most severe, then the first) */
    uint8_t severity;      /* ps_severity */
    uint32_t kinds;        /* evidence kinds (mask of 1 << ps_ev_kind) */
    uint32_t new_kinds;    /* those the baseline's linkage by that viewer lacks (all of them
                            * when there is none; a finding is one per person, pair, new kinds
                            * and severity) */
    uint32_t nviewers;     /* viewers with this linkage at the point */
    uint8_t *point;        /* the point (owned) */
    uint32_t *changes;     /* dimensions where it differs from the origin (owned) */
    uint32_t nchanges;
} ps_link_finding;

typedef struct {
    ps_link_finding *v; uint32_t n;
    uint64_t points;       /* points simulated */
    uint32_t max_distance; /* the largest distance reached */
    bool complete;         /* every point of the space was visited */
    uint32_t norigin;      /* linkages at the origin */
} ps_link_search;

/* Searches at most `max_points` points (0: 20000).  0, or -1 out of memory. */
int ps_link_search_run(const ps_model *m, const ps_space *s, uint64_t max_points,
                       ps_link_search **out);
void ps_link_search_free(ps_link_search *r);
/* Text, JSON members ("linkage-findings":[...], "linkage-search":{...}), and finding files
 * DIR/linkage-NNN.psim (old ones removed first; 0, or -1 after printing an error). */
void ps_link_search_print_text(FILE *out, const ps_model *m, const ps_space *s,
                               const ps_link_search *r);
void ps_link_search_print_json_members(FILE *out, const ps_model *m, const ps_space *s,
                                       const ps_link_search *r);
int ps_link_search_write(const char *dir, const ps_model *m, const ps_space *s,
                         const ps_link_search *r);
/* SARIF result objects for the findings (rule ids linkage-forbidden, -external,
 * -beyond-intent), comma-separated (`first`: no comma before the first). */
/* Adds a SARIF result per linkage to an open log: rule first_rule for forbidden, then
 * external, then beyond-intent. */
void ps_link_search_sarif(ps_sarif *sw, const ps_model *m, const ps_space *s,
                          const ps_link_search *r, size_t first_rule);

#endif
