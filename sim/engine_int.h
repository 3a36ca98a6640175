/* engine_int.h - the engine's private state, shared by engine.c, fix.c and check.c only. */
#ifndef PS_ENGINE_INT_H
#define PS_ENGINE_INT_H

#include "engine.h"

typedef struct {
    uint32_t item, sharer, step;
    bool active;           /* false once unshared */
    uint32_t next;         /* the next share of the same item, or PS_NONE */
} share_rec;

typedef struct {
    uint32_t item, user, step; /* a comment or a like */
    uint32_t next;         /* the next interaction with the same item, or PS_NONE */
} ix_rec;

/* The records of each item, in the order taken: first and last index per item. */
typedef struct {
    uint32_t *first, *last;
    uint32_t nitems;       /* items the arrays cover */
} per_item;

/* A set of viewers that is cheap to fill and to empty: the viewers marked one by one (a bit
 * each, and a list of them for emptying), and a flag for "every user" (a public or everyone
 * term), so that marking every user costs nothing. */
typedef struct {
    uint64_t *bits;        /* individually marked viewers */
    uint32_t *list; uint32_t n; /* the viewers of `bits`, in the order marked ... */
    bool unlisted;         /* ... unless bits were set word by word: then `list` is stale */
    bool all_users;        /* every user is in the set as well */
    size_t words;          /* of `bits` */
} ps_markset;

struct ps_engine {
    ps_model *m;           /* private copy, mutated by the steps (owned), or shared */
    bool shared;           /* m is the caller's, only read (see ps_engine__new_shared) */
    uint32_t pos;          /* steps applied */
    share_rec *shares; uint32_t nshares, cap_shares;
    ix_rec *ix; uint32_t nix, cap_ix;
    per_item share_of, ix_of; /* shares and interactions by item */
    bool *disabled;        /* steps to skip (fix verification); NULL when no steps */

    /* scratch over viewers */
    uint32_t nviewers;
    /* The effective audience of `item`: the viewers in `seen` (each with its grant), and, when
     * cls_on, every user outside cls_out, who has the grant cls_grant unless in `seen` too
     * (a public or everyone audience held as one class rather than visited user by user). */
    uint64_t *seen;        /* viewers reached one by one */
    ps_grant *grant;       /* valid where seen */
    uint32_t *touched; uint32_t ntouched; /* viewers in `seen`, in order reached */
    bool cls_on;           /* the class of every user outside cls_out sees the item */
    ps_grant cls_grant;    /* how the class got it */
    ps_markset cls_out;    /* users the class leaves out (never all_users) */
    bool lazy;             /* keep the class as such; else every eval lists its users in touched */
    ps_markset hidden;     /* the owner's hide set */
    ps_markset mask;       /* a share's or a friend list's hide set */
    ps_markset intended;   /* intended audience of intent_item: the terms' viewers ... */
    ps_markset intent_hide;  /* ... less these (the owner's hide set) ... */
    ps_markset intent_extra; /* ... and these (owner, tagged users, apps) */
    ps_markset forbid;     /* forbid set of intent_item's persona */
    /* Dense friendship rows, for graphs small and dense enough that whole-word operations
     * beat visiting friends one by one: row u is the bitset of u's friends. */
    uint64_t *rows; size_t row_words;
    uint32_t *row_span;    /* words [span[2u], span[2u+1]) of row u hold all its friends */
    uint64_t rows_version; /* the adjacency build (adj_version) the rows were made from */
    uint32_t fof_terms;    /* friends-of-friends terms met: rows are built after a few */
    uint32_t rows_builds;  /* rebuilt after friendships changed; given up after a few */
    bool rows_off;         /* not worth it for this graph */
    int dense_mode;        /* 0 chosen by size, 1 always, -1 never, -2 no fof class either */
    /* The friends-of-friends class: users in fof_bits who are not listed one by one see the
     * item by a fof term of fof_owner's; owner and friends at fof_grant.depth, the others one
     * link further through their first common friend (in the owner's friend order). */
    bool fof_on;
    uint64_t *fof_bits;    /* the fof set of fof_owner (kept after the eval, see fof_memo) */
    uint32_t *fof_list; uint32_t fof_n; /* its members, when made from the adjacency ... */
    bool fof_listed;       /* ... (else from dense rows, and not listed) */
    bool fof_in_intent;    /* the set is part of the item's intended terms (prefill) ... */
    bool intent_fof;       /* ... and the intent computed last counts it (see intent_has) */
    uint32_t fof_owner;
    uint32_t fof_memo;     /* fof_bits holds the fof set of this user, or PS_NONE, ... */
    uint64_t fof_memo_version; /* ... for this build of the adjacency */
    ps_grant fof_grant;
    bool fof_first;        /* the fof class came before the class of every user */
    ps_grant tmp_grant;    /* what grant_of() returns for a user of the fof class */
    uint32_t *sorted; bool sorted_valid;  /* `touched`, sorted */
    uint32_t item;         /* item last evaluated, or PS_NONE */
    bool internet_owner_side; /* the internet saw it before interactions and shares */
    uint32_t intent_item; bool intent_valid;
    uint32_t prefill_item; /* e->intended holds this item's audience terms (marked by eval) */
    uint32_t *user_friendlist; uint32_t indexed_items; /* friend-list item of each user */
};

/* An engine that reads `m` itself instead of a copy, so that threads can share one model:
 * only for a model with no timeline whose friendships are indexed (m->adj_stale false), which
 * the engine then never changes.  NULL otherwise, or out of memory.  The caller keeps `m`
 * alive and unchanged while the engine lives. */
ps_engine *ps_engine__new_shared(const ps_model *m);

/* Friends-of-friends sets: held as a class made from dense friendship rows when the graph's
 * size and density make them pay, else from the adjacency (mode 0, the default); from rows
 * from the first fof term on whatever the size (1); never from rows (-1); or not held as a
 * class at all, every member visited one by one (-2).  The same audiences and grants in
 * every mode; the tests use it to compare them. */
void ps_engine__set_dense(ps_engine *e, int mode);
/* Calls fn(arg, viewer) for every viewer of the last evaluated item who is outside its
 * intended audience, until fn returns non-zero (which is returned). */
int ps_engine__each_unintended(ps_engine *e, int (*fn)(void *arg, uint32_t viewer), void *arg);

/* Rebuilds the chains of shares and interactions by item from e->shares and e->ix (after
 * they were copied in from another engine).  0, or -1 out of memory. */
int ps_engine__rechain(ps_engine *e);

/* Marks a timeline step as not happening (for fix verification); call before running. */
void ps_engine__disable_step(ps_engine *e, uint32_t step);
void ps_engine__invalidate_intent(ps_engine *e);

#endif
