/* engine_fork.h - a copy of an engine in the middle of its timeline, so that fix
 * verification can replay from the step a fix changes instead of from the start. */
#ifndef PS_ENGINE_FORK_H
#define PS_ENGINE_FORK_H

#include "engine.h"

/* A new engine in the same state as `e`: the same model state, position, shares,
 * interactions and disabled steps.  The caller frees it with ps_engine_free().  NULL out of
 * memory. */
ps_engine *ps_engine__fork(const ps_engine *e);

#endif
