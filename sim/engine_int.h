/* engine_int.h - the engine's private state, shared by engine.c, fix.c and check.c only. */
#ifndef PS_ENGINE_INT_H
#define PS_ENGINE_INT_H

#include "engine.h"

typedef struct {
    uint32_t item, sharer, step;
    bool active;           /* false once unshared */
} share_rec;

typedef struct {
    uint32_t item, user, step; /* a comment or a like */
} ix_rec;

struct ps_engine {
    ps_model *m;           /* private copy, mutated by the steps (owned) */
    uint32_t pos;          /* steps applied */
    share_rec *shares; uint32_t nshares, cap_shares;
    ix_rec *ix; uint32_t nix, cap_ix;
    bool *disabled;        /* steps to skip (fix verification); NULL when no steps */

    /* scratch over viewers */
    uint32_t nviewers;
    uint64_t *seen;        /* effective audience of `item` */
    uint64_t *hidden;      /* the owner's hide set */
    uint64_t *mask;        /* a share's or a friend list's hide set; intent scratch */
    uint64_t *intended;    /* intended audience of intent_item */
    uint64_t *forbid;      /* forbid set of intent_item's persona */
    ps_grant *grant;       /* valid where seen */
    uint32_t *touched; uint32_t ntouched; /* viewers in `seen`, in order reached */
    uint32_t *sorted; bool sorted_valid;  /* `touched`, sorted */
    uint32_t item;         /* item last evaluated, or PS_NONE */
    bool internet_owner_side; /* the internet saw it before interactions and shares */
    uint32_t intent_item; bool intent_valid;
    uint32_t *user_friendlist; uint32_t indexed_items; /* friend-list item of each user */
};

/* Marks a timeline step as not happening (for fix verification); call before running. */
void ps_engine__disable_step(ps_engine *e, uint32_t step);
void ps_engine__invalidate_intent(ps_engine *e);

#endif
