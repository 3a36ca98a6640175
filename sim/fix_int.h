/* fix_int.h - fix candidates, their verification, and trying a fix in place and putting it
 * back; shared by fix.c, check.c and linkage_fix.c only. */
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

/* What a fix changes in a model, saved so that the change can be put back. */
typedef struct {
    uint32_t item;          /* item whose audience and tags were saved, or PS_NONE */
    ps_audience audience;   /* deep copy */
    bool has_audience;
    ps_tag *tags; uint32_t ntags;
    int8_t tag_friends;
    uint32_t user;          /* user whose settings were saved, or PS_NONE */
    ps_user user_saved;
    int8_t *others; uint32_t nothers;  /* tag review by several: the others' settings */
    uint32_t app;           /* app whose installers were saved, or PS_NONE */
    uint32_t *installers; uint32_t ninstallers;
    ps_rules rules;         /* shallow: fixes never touch default audiences */
} ps_fix_undo;

/* Whether fix f can be tried on m and put back: it removes no timeline step of m. */
bool ps_fix__undoable(const ps_model *m, const ps_fix *f);
/* Saves into u what applying f to m will change.  0, or -1 out of memory (then u must still
 * be passed to ps_fix__restore, which frees what was saved). */
int ps_fix__save(ps_model *m, const ps_fix *f, ps_fix_undo *u);
/* Puts back what ps_fix__save saved (after ps_fix_apply(m, f), or not), and frees it. */
void ps_fix__restore(ps_model *m, const ps_fix *f, ps_fix_undo *u);

#endif
