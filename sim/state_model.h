/* state_model.h - the model of a scenario in any state of its timeline, so that a path is
 * described (its sentences, the settings behind its links) in the state in which it was
 * found, not as the file wrote it.
 *
 * A ps_state_model replays the scenario on an engine, forward only, restarting when asked
 * for an earlier state; the models of the states asked for are kept (a few of them) so that
 * going back and forth among them costs nothing.  A scenario without a timeline has one
 * state: the model itself.
 *
 * Ownership: the caller owns the ps_state_model and frees it with ps_state_model_free(); it
 * borrows `m`, which must outlive it.
 */
#ifndef PS_STATE_MODEL_H
#define PS_STATE_MODEL_H

#include "model.h"

typedef struct ps_state_model ps_state_model;

/* NULL out of memory. */
ps_state_model *ps_state_model_new(const ps_model *m);
void ps_state_model_free(ps_state_model *s);

/* The model in state t (0 as the scenario starts, k after the k-th step; past the end, the
 * end).  Borrowed until the next call; when memory runs out, the scenario as written (so
 * that a description is never lost, only less exact). */
const ps_model *ps_state_model_at(ps_state_model *s, uint32_t t);

#endif
