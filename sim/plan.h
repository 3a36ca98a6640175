/* plan.h - from fixes to a plan: the fewest changes that remove every exposure at or above a
 * severity, verified as a whole.
 *
 * ps_plan_make() takes the verified fixes of a check report (each one cuts the exposures in
 * whose fix lists it stands) and covers the exposures at or above the severity with as few
 * of them as it can: the settings of the person whose intent is broken first (the persona's
 * owner, else the item's owner), then other people's, then platform rules; within a class
 * the change that cuts the most exposures not yet cut, then the one ranked first among the
 * fixes.  The changes are applied together to a copy of the scenario, which is checked
 * again: fixes interact, so the set is re-checked, never assumed.  Exposures that are left
 * (or that the changes bring) start another round, up to PS_PLAN_MAX_ROUNDS.
 *
 * Each change reports the exposures it cuts and the intended reach it costs on its own: the
 * intended viewers (users other than the owner, inside the intended audience of the scenario
 * as written) who could see an item before and no longer can with that change alone.
 *
 * Ownership: a ps_plan owns its changes and its planned model; free it with ps_plan_free().
 */
#ifndef PS_PLAN_H
#define PS_PLAN_H

#include "engine.h"

#define PS_PLAN_MAX_ROUNDS 4

/* An (item, viewer) pair. */
typedef struct {
    uint32_t item, viewer;
    uint8_t severity;      /* ps_severity (exposures only) */
} ps_plan_pair;

typedef enum { PS_PLAN_OWN, PS_PLAN_OTHERS, PS_PLAN_RULE } ps_plan_class;
/* "own setting", "another person", "platform rule". */
const char *ps_plan_class_name(ps_plan_class c);

typedef struct {
    ps_fix fix;            /* the change (owns its terms) */
    uint8_t cls;           /* ps_plan_class */
    uint32_t round;        /* 1: from the scenario's own fixes; k: after k - 1 re-checks */
    ps_plan_pair *removes; uint32_t nremoves; /* exposures at or above the severity it cuts */
    ps_plan_pair *lost; uint32_t nlost;       /* intended viewers it costs on its own */
} ps_plan_change;

typedef struct {
    uint8_t min;           /* ps_severity: the plan covers this and worse */
    ps_plan_change *changes; uint32_t nchanges;
    uint32_t ntargets;     /* exposures at or above the severity before the plan */
    ps_plan_pair *left; uint32_t nleft; /* at or above it in the planned scenario */
    bool uncovered;        /* some exposure had no verified fix that fits (none at all, or
                            * only hides beyond the PS_MAX_TERMS terms of a hide set) */
    uint32_t rounds;       /* checks of a planned scenario */
    uint64_t reach_before; /* intended (item, viewer) pairs seen in the scenario */
    uint64_t reach_after;  /* ... in the planned scenario */
    ps_model *planned;     /* the scenario with every change applied (owned) */
    bool costs;            /* reach and each change's cost were computed */
} ps_plan;

/**
 * Plans the changes that remove every exposure of `r` at or above `min`.
 *
 * @param m   the scenario
 * @param r   ps_check() of `m` with fixes (completed with ps_fix_complete())
 * @param out [out] the plan, the caller's to free with ps_plan_free()
 * @return 0, or -1 out of memory
 */
int ps_plan_make(const ps_model *m, const ps_report *r, ps_severity min, ps_plan **out);
/* The same; without `costs`, the reach and what each change costs are not computed (they
 * take two simulations of every item and one of each changed item per change); at most
 * `max_checks` checks of a planned scenario (0: PS_PLAN_MAX_ROUNDS; 1: the report's fixes
 * only, checked once). */
int ps_plan_make_opts(const ps_model *m, const ps_report *r, ps_severity min, bool costs,
                      uint32_t max_checks, ps_plan **out);
void ps_plan_free(ps_plan *p);

/**
 * The change a plan would make to remove exposure (`item`, `viewer`) of `m`: the set cover
 * above over the exposures of `item` at or above `min` (fixes verified for that item only;
 * the whole plan is not re-checked).  Writes the change's text into `buf`.
 * @return 1 found, 0 when no verified fix cuts it (or it is not an exposure), -1 out of memory
 */
int ps_plan_change_for(const ps_model *m, uint32_t item, uint32_t viewer, ps_severity min,
                       char *buf, size_t cap);

/* The intended reach of the reported items of `m` (items and declared fields): the pairs of
 * an item and a user other than its owner, inside its intended audience, who can see it at
 * some step.  `intent` (NULL: `m` itself) says who is intended.  -1 out of memory. */
int64_t ps_plan_reach(const ps_model *m, const ps_model *intent);

#endif
