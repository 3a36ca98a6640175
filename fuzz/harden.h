/* harden.h - one person's own settings that keep every forbidden exposure of their items away,
 * in the scenario and at every point of the space of other people's actions.
 *
 * The settings of U that harden considers, each a ladder from what U has now to narrower:
 * tag review (off, on), each category U lets through friends' apps (kept, dropped), U's
 * friend list (as set, only-me), and each item of U's that has a persona of U (as set, with
 * the persona's forbid set hidden, only-me).  U chooses them from the start: U's own later
 * `set` steps of a changed setting are left out.  A *configuration* is one rung per ladder.
 *
 * A configuration is safe when no exposure of U's items (U's own, or with a persona of U) is
 * forbidden at any point of the space (fuzz/space.h) of the chosen families: other people's
 * actions (--vary-others U), the scenario's vary lines, the platform's rules.  The points
 * are walked exhaustively with the fuzzer's evaluator.  Among safe configurations harden
 * picks the one that keeps the most intended reach of U's items in the scenario as written,
 * then the fewest external exposures of U's items there, then the fewest changes.
 *
 * Pruning: every rung narrows (a narrower audience, a larger hide set, tag review on, a
 * category withheld from apps, a hidden friend list never adds a viewer to any item, and the
 * intent of a persona's item is the persona's, which the rungs do not change), so when a
 * configuration is unsafe, every configuration that is nowhere narrower is unsafe too and is
 * not checked.  This holds for forbidden exposures only; reach and external exposures are
 * measured for every configuration.
 *
 * Ownership: a ps_harden owns everything in it; free it with ps_harden_free().
 */
#ifndef PS_HARDEN_H
#define PS_HARDEN_H

#include "engine.h"

/* Most configurations harden considers, and most points of the space it walks. */
#define PS_HARDEN_MAX_CONFIGS 4096
#define PS_HARDEN_MAX_POINTS 20000000.0

typedef struct {
    const char *user;      /* U's name */
    bool others;           /* --vary-others U */
    bool vary;             /* the scenario's vary lines */
    bool rules;            /* the platform's rules vary */
} ps_harden_opts;

typedef struct {
    uint32_t item, viewer;
} ps_harden_pair;

typedef struct {
    bool suffices;         /* a safe configuration was found */
    uint32_t user;
    char **lines;          /* the chosen settings as scenario lines (owned); nlines */
    uint32_t nlines;
    uint32_t nchanges;     /* rungs above the first */
    ps_harden_pair *kept; uint32_t nkept; /* intended pairs of U's items still seen (viewers
                                           * other than U; an item's owner counts) */
    ps_harden_pair *lost; uint32_t nlost; /* intended pairs no longer seen */
    uint32_t nexternal;    /* external exposures of U's items left in the scenario */
    double points;         /* points of the space, each checked (when suffices) */
    uint32_t ndims;        /* dimensions of the space */
    uint32_t nconfigs;     /* configurations considered */
    uint32_t nchecked;     /* checked over the space */
    uint32_t npruned;      /* known unsafe by monotonicity */
    /* when nothing suffices: the point of the narrowest configuration with the fewest
     * changes that still shows a forbidden exposure, what it changes, its exposures and
     * the fixes by other people or rules that cut them */
    char **needs; uint32_t nneeds;        /* the point's changes, as the fuzzer words them */
    ps_harden_pair *left; uint32_t nleft; /* forbidden exposures of U's items there */
    char **others; uint32_t nothers;      /* "EXPOSURE: FIX" lines, by other people or rules */
    ps_model *hardened;    /* the scenario with the chosen settings (or the narrowest) */
} ps_harden;

/**
 * Searches U's settings.
 *
 * @param m    the scenario
 * @param o    U and the families of the space
 * @param out  [out] the result, the caller's to free with ps_harden_free()
 * @param err  a message for the user (unknown user, a space too large)
 * @return 0; -1 out of memory; -2 see err
 */
int ps_harden_run(const ps_model *m, const ps_harden_opts *o, ps_harden **out, char *err,
                  size_t errlen);
void ps_harden_free(ps_harden *h);

#endif
