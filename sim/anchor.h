/* anchor.h - which statement of a scenario caused an exposure: the line that code scanning
 * annotates, and the other lines of its path.
 *
 * The rule (the README documents it under "Where an annotation points"):
 *   1. An exposure that first appears at step k (a `do` or timeline `set` line) points at
 *      that step's line: it is the statement after which the viewer could see the item.
 *   2. One that is there from the start points at the statement behind the path's last link
 *      that has a line of its own: a share step; for a tag, the `set` that turned the tagged
 *      user's review off, else a `do ... tag` step; a comment or like step; for an app, the
 *      owner's apps-through-friends `set`, else the install step or `app` line; a
 *      `field USER.friendlist` line; a `rule` or `platform` line; else the item's line.
 * The related lines are the item's line and the statement of every link of the path.
 */
#ifndef PS_ANCHOR_H
#define PS_ANCHOR_H

#include "engine.h"

typedef struct {
    ps_loc loc;
    char what[160];        /* what the line has to do with the exposure */
} ps_anchor_line;

typedef struct {
    ps_anchor_line at;                       /* the annotated statement */
    ps_anchor_line related[PS_PATH_MAX + 1]; /* the item's line, then the path's lines */
    uint32_t nrelated;
} ps_anchor;

/* Fills `out` for exposure `x` of model `m`. */
void ps_anchor_find(const ps_model *m, const ps_exposure *x, ps_anchor *out);

#endif
