/* whynot.h - why a viewer does not see an item: the nearest path and the missing link.
 *
 * For a viewer V who never sees item I, ps_whynot_find() tries, one at a time and in a fixed
 * order, the single changes that would widen I's audience (PS_WHYNOT_TRIED), each on a copy
 * of the scenario simulated again.  The first one after which V sees I names the missing
 * link (the rule, setting or relation that stops the path), and V's derivation in that copy
 * is the nearest path: the one that almost reaches V.
 */
#ifndef PS_WHYNOT_H
#define PS_WHYNOT_H

#include "engine.h"

#define PS_WHYNOT_TRIED "the owner's hide set, each tag waiting for review, the rules " \
                        "tag-extends, reshare, interaction-extends and apps-through-friends, " \
                        "the owner's app permissions, a wider audience (fof, everyone, public), and " \
                        "membership of the item's group"

typedef struct {
    bool found;            /* a single change lets the viewer in */
    char missing[512];     /* the missing link in words */
    char change[512];      /* the change that would complete the path */
    ps_path path;          /* the viewer's derivation with it (in `with`) */
    ps_model *with;        /* the scenario with the change (owned) */
} ps_whynot;

/* Looks for the missing link of `viewer` and `item` in `m`.  0 (out->found says whether one
 * was found), or -1 out of memory.  Free with ps_whynot_free(). */
int ps_whynot_find(const ps_model *m, uint32_t item, uint32_t viewer, ps_whynot *out);
void ps_whynot_free(ps_whynot *w);

#endif
