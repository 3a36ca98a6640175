/* refeval.h - a plain reference evaluator of privsim's semantics, for the tests.
 *
 * The reference is written from the README's semantics alone, as directly as possible: sets are bool
 * arrays over viewers, fixed points are repeated scans until nothing changes, and the
 * timeline is replayed on a private ps_model_clone.  It shares no code with sim/engine.c (it
 * reads the model only through model.h) so that the property tests can compare the two.
 *
 * Viewers are numbered as in engine.h: users 0..nusers-1, the internet (nusers), then each app
 * (nusers + 1 + app).  A state k is the scenario after its first k timeline steps (state 0 is
 * the scenario as written, state nsteps the end).  Every `bool *out` argument points to an
 * array of ref_nviewers(m) entries that the function overwrites.  Functions returning int
 * give 0, or -1 when out of memory.
 */
#ifndef PS_REFEVAL_H
#define PS_REFEVAL_H

#include "model.h"

#include <stdbool.h>
#include <stdint.h>

/* Severities, in the order of their strength (the same meaning as the engine's). */
typedef enum { REF_SEV_BEYOND_INTENT, REF_SEV_EXTERNAL, REF_SEV_FORBIDDEN } ref_severity;

static inline uint32_t ref_nviewers(const ps_model *m) { return m->nusers + 1 + m->napps; }

/* ---------------------------------------------------------------------------------------
 * A replay of one timeline, one step at a time
 * ------------------------------------------------------------------------------------- */

typedef struct ref_run ref_run;

/* A replay of `m`'s timeline at state 0, over a private copy of `m`.  NULL out of memory. */
ref_run *ref_run_new(const ps_model *m);
void ref_run_free(ref_run *r);
/* The copy of the model in its current state (borrowed). */
ps_model *ref_run_model(ref_run *r);
/* Number of steps applied so far (the current state). */
uint32_t ref_run_position(const ref_run *r);
/* Applies the next step: 1, 0 at the end of the timeline, -1 out of memory. */
int ref_run_step(ref_run *r);
/* Whether step `step` (0-based) was a refused share; only meaningful once it was applied. */
bool ref_run_refused(const ref_run *r, uint32_t step);
/* The effective audience of `item` in the current state. */
int ref_run_audience(ref_run *r, uint32_t item, bool *out);
/* The intended audience of `item` in the current state. */
int ref_run_intended(ref_run *r, uint32_t item, bool *out);
/* The severity of `viewer` seeing `item` in the current state, assuming it is an exposure. */
ref_severity ref_run_severity(ref_run *r, uint32_t item, uint32_t viewer);

/* ---------------------------------------------------------------------------------------
 * Whole-scenario questions (each replays the timeline from the start)
 * ------------------------------------------------------------------------------------- */

/* The effective audience of `item` in state `state` (0..m->nsteps). */
int ref_audience(const ps_model *m, uint32_t item, uint32_t state, bool *out);
/* Everyone who sees `item` in at least one state. */
int ref_cumulative(const ps_model *m, uint32_t item, bool *out);
/* The intended audience of `item` in state `state`. */
int ref_intended(const ps_model *m, uint32_t item, uint32_t state, bool *out);
/* The exposures of `item` in state `state`: effective and not intended. */
int ref_exposed(const ps_model *m, uint32_t item, uint32_t state, bool *out);
/* refused[k] = whether step k was a refused share (an array of m->nsteps entries). */
int ref_refused(const ps_model *m, bool *refused);

/* One exposure, as `check` reports it. */
typedef struct {
    uint32_t item;
    uint32_t viewer;
    ref_severity severity;  /* in the state where it first appears */
    uint32_t first_step;    /* the first state in which it is an exposure */
    bool at_end;            /* an exposure in the final state */
} ref_exposure;

/* Every exposure of every reported item (posts, photos, and fields that the scenario as
 * written gives an audience), sorted by severity (strongest first), item, viewer.  *out is
 * the caller's, freed with free(). */
int ref_exposures(const ps_model *m, ref_exposure **out, uint32_t *n);

#endif

/* ---------------------------------------------------------------------------------------
 * Linkage of a person's accounts (the README's "Two accounts, one person: linkage")
 * ------------------------------------------------------------------------------------- */

/* Evidence kinds, in the order of the README's numbered list (bit k of `kinds`). */
enum { REF_EV_FRIENDSHIP, REF_EV_MUTUAL, REF_EV_TAG, REF_EV_INTERACTION, REF_EV_FIELDS,
       REF_EV_GROUP, REF_EV_NETWORK, REF_EV_CONTACTS, REF_NEV };

typedef struct {
    uint32_t person;
    uint32_t a, b;          /* the pair of accounts, a written before b */
    uint32_t viewer;
    ref_severity severity;
    uint32_t kinds;         /* mask of 1 << REF_EV_* that hold at the end */
    uint32_t first_step;    /* the first state in which the viewer links the two */
} ref_linkage;

/* Every viewer who links two accounts of a person over the timeline (what is seen in any
 * state is remembered), in order of person, pair, viewer.  *out is the caller's, freed with
 * free(). */
int ref_linkages(const ps_model *m, ref_linkage **out, uint32_t *n);
