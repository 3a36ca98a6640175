/* fix_int.h - fix candidates and their verification, shared by fix.c and check.c only. */
#ifndef PS_FIX_INT_H
#define PS_FIX_INT_H

#include "engine.h"

typedef struct {
    ps_fix *v; uint32_t n, cap;  /* owned, with each fix's terms */
} fix_list;

void ps_fix_free(ps_fix *f);
/* A fix of `kind` by `user` on `item` with every other target PS_NONE and no terms. */
ps_fix ps_fix__new(ps_fix_kind kind, uint32_t user, uint32_t item);
void ps_fix_list_free(fix_list *l);
/* Appends to `out` the candidate fixes for the exposure whose derivation is `p`;
 * `nexposed_of_item` is how many exposures the item has (per-viewer hides only when few). */
int ps_fix__candidates(const ps_model *m, const ps_path *p, uint32_t nexposed_of_item,
                       fix_list *out);
/* The cumulative audience of `item` over the timeline of `m`, into bits (nviewers bits). */
int ps_fix__cumulative(const ps_model *m, uint32_t item, uint64_t *bits);
/* Whether two fixes are the same change. */
bool ps_fix__same(const ps_fix *a, const ps_fix *b);
/* Notes that the exposure of `viewer` to `item` proposed the fixes of `l` (called by
 * ps_fix__candidates; fix_replay.c keeps them per thread until the item's verification). */
void ps_fix__note_proposals(const ps_model *m, uint32_t item, uint32_t viewer,
                            const fix_list *l);
/* The cumulative audience of `item` once fix `f` is applied to a copy of `m`, into bits -
 * exact for the viewers whose exposures proposed `f` through ps_fix__candidates() on this
 * thread (the replay stops once they have all seen the item), and for every viewer when
 * `f` was not proposed that way (fix_replay.c). */
int ps_fix__verify(const ps_model *m, const ps_fix *f, uint32_t item, uint64_t *bits);

/* The same, for a model without timeline steps: the fix is applied to the engine's own
 * model, the item evaluated, and the model put back as it was.  Much faster than a copy. */
int ps_fix__verify_in_place(ps_engine *e, const ps_fix *f, uint32_t item, uint64_t *bits);

#endif
