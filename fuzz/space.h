/* space.h - the fuzzer's search space: what may change in a scenario, and how a point of it
 * becomes a scenario of its own.
 *
 * A space is a list of dimensions.  Each dimension is one thing that may change, with a small
 * number of alternatives: the audience of one item, one setting of one user, one platform
 * rule, or an optional step of the timeline (absent, or one of a few ways of taking it).
 * Alternative 0 is always what the scenario as written does; the *origin* of a dimension is
 * the alternative the search starts from (alternative 0, except for a user's own protective
 * settings under the `safest` baseline).  A point is one alternative per dimension, stored as
 * one byte per dimension.
 *
 * Dimensions come from the scenario's `vary` lines and from families that the caller asks for:
 * every choice of one user (`--vary-user`), what other people can do to one user
 * (`--vary-others`), and the platform's rules (`--vary-rules`).
 *
 * Optional steps live in one *full timeline*: the scenario's own steps with every optional
 * step inserted at its place (a `vary do` line at its place in the file among the `do` lines;
 * the families' steps after the scenario's own).  A point enables some of them; the others are
 * skipped.  ps_space_point_model() writes the point out as a plain scenario that holds only the
 * steps the point takes.
 *
 * Ownership: a ps_space owns its dimensions and its working copy of the model; it keeps no
 * pointer into the model it was built from.
 */
#ifndef PS_FUZZ_SPACE_H
#define PS_FUZZ_SPACE_H

#include "model.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Most alternatives of one dimension (a point stores one byte per dimension). */
#define PS_SPACE_MAX_ALTS 250
/* Most dimensions of one space. */
#define PS_SPACE_MAX_DIMS 4096

typedef enum {
    PS_DIM_AUDIENCE,   /* an item's audience (and hide set) */
    PS_DIM_TAG_REVIEW, /* a user's tag review */
    PS_DIM_APPS_MASK,  /* a user's apps-through-friends categories, as a whole */
    PS_DIM_APPS_BIT,   /* whether a user lets one category through friends' apps */
    PS_DIM_RULE,       /* one platform rule */
    PS_DIM_STEP,       /* an optional step: alternative k > 0 takes full-timeline step step[k-1] */
    PS_DIM_LINK_RULE   /* a rule of linkage (person.h): `rule` is PS_LINK_RULE_* and
                        * values[] its value per alternative; no item's audience changes */
} ps_dim_kind;

/* The rules of linkage that --vary-rules varies when the scenario has persons. */
enum { PS_LINK_RULE_MUTUAL, PS_LINK_RULE_CONTACTS };

/* Where a dimension comes from. */
typedef enum {
    PS_FAM_VARY,       /* a `vary` line */
    PS_FAM_USER,       /* --vary-user U */
    PS_FAM_OTHERS,     /* --vary-others U */
    PS_FAM_RULES       /* --vary-rules */
} ps_family;

typedef struct {
    uint8_t kind;          /* ps_dim_kind */
    uint8_t family;        /* ps_family */
    uint32_t nalts;        /* 2..PS_SPACE_MAX_ALTS */
    uint32_t origin;       /* the alternative the search starts from */
    uint32_t line;         /* the vary line (PS_FAM_VARY), else 0 */
    uint32_t target;       /* item (audience), user (settings), PS_NONE otherwise */
    uint32_t about;        /* the user of the family (--vary-user/--vary-others), or PS_NONE */
    uint8_t rule;          /* PS_DIM_RULE: ps_rule_id; PS_DIM_LINK_RULE: PS_LINK_RULE_* */
    uint32_t cats;         /* PS_DIM_RULE default-audience: categories; PS_DIM_APPS_BIT: 1<<cat */
    ps_audience *auds;     /* PS_DIM_AUDIENCE: per alternative (owned) */
    bool alt0_default;     /* PS_DIM_AUDIENCE: alternative 0 is the platform's default */
    int32_t *values;       /* TAG_REVIEW: tristate; APPS_MASK: mask (alt 0 may be PS_UNSET = -1
                            * meaning "not set"); APPS_BIT: 0/1 = bit clear/set; LINK_RULE:
                            * k of link-mutual-friends (0 off), or the contact fields (owned) */
    ps_rules *rules;       /* PS_DIM_RULE: per alternative, only `rule` counts (owned) */
    uint32_t *steps;       /* PS_DIM_STEP: nalts - 1 full-timeline step indices (owned) */
    char **texts;          /* per alternative: how it reads, e.g. "al: tag-review=on" (owned) */
    uint32_t *items;       /* items whose audience this dimension may change (owned, sorted) */
    uint32_t nitems;
} ps_dim;

typedef struct {
    const char **vary_user;   /* users whose own choices vary (names; borrowed) */
    uint32_t nvary_user;
    const char **vary_others; /* users whom other people's actions may touch (borrowed) */
    uint32_t nvary_others;
    bool vary_rules;          /* the platform's rules vary */
    bool no_vary_lines;       /* ignore the scenario's own vary lines */
    bool safest;              /* --vary-user dimensions start at the user's safest choice */
} ps_space_opts;

typedef struct ps_space {
    ps_model *full;        /* the scenario with every optional step in its timeline and no
                            * vary lines (owned); every dimension at alternative 0 */
    ps_dim *dims; uint32_t ndims;
    uint32_t *step_dim;    /* per full-timeline step: its dimension, or PS_NONE (owned) */
    uint32_t nbase_steps;  /* steps of the scenario as written */
    double npoints;        /* the number of points (a double: it may be astronomic) */
} ps_space;

/**
 * Builds the space of `m` for `opts`.
 *
 * @param m    a checked scenario (not kept)
 * @param opts families to add (NULL = the vary lines only)
 * @param out  [out] the space, the caller's to free with ps_space_free()
 * @param err  a message for the user when the options are wrong (unknown user, too many
 *             dimensions)
 * @return 0; -1 out of memory; -2 bad options (see err)
 */
int ps_space_build(const ps_model *m, const ps_space_opts *opts, ps_space **out, char *err,
                   size_t errlen);
void ps_space_free(ps_space *s);

/* The point whose every dimension is at its origin, into `point` (ndims bytes). */
void ps_space_origin(const ps_space *s, uint8_t *point);
/* The number of dimensions where `point` differs from the origin. */
uint32_t ps_space_distance(const ps_space *s, const uint8_t *point);

/* Sets dimension `d` of the model `w` (a copy of s->full that the caller owns) to its
 * alternative in `point` (a user's app categories read every bit dimension of that user in
 * `point`).  Step dimensions are not applied here (see ps_space_step_off).  0, or -1 out of
 * memory. */
int ps_space_apply(const ps_space *s, ps_model *w, const uint8_t *point, uint32_t d);
/* Whether full-timeline step `k` is skipped at `point`. */
bool ps_space_step_off(const ps_space *s, const uint8_t *point, uint32_t k);

/* The point as a plain scenario: a copy of the scenario with every dimension set, only the
 * steps the point takes, rule lines for varied rules, and no vary lines.  The caller frees
 * it with ps_model_free().  NULL out of memory. */
ps_model *ps_space_point_model(const ps_space *s, const uint8_t *point);

/* How alternative `alt` of dimension `d` reads ("al: tag-review=off"); borrowed. */
const char *ps_space_alt_text(const ps_space *s, uint32_t d, uint32_t alt);
/* The family's name: "vary", "user", "others", "rules". */
const char *ps_family_name(ps_family f);

#endif
