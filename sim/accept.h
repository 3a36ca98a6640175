/* accept.h - `accept VIEWER ITEM "reason"` lines against a check report: which exposure each
 * one allows, and which ones allow nothing any more (an exposure that was accepted and no
 * longer occurs is worth a warning: the line can go).
 *
 * Ownership: the caller owns the arrays it passes.
 */
#ifndef PS_ACCEPT_H
#define PS_ACCEPT_H

#include "engine.h"

#include <stdbool.h>

/* The viewer id (ps_viewer_internet() and friends) that an accept line names. */
uint32_t ps_accept_viewer(const ps_model *m, const ps_accept *a);
/* For every exposure of `r`, the index of the accept line that allows it, or PS_NONE, into
 * accept_of (r->nexposures entries); used[k] (m->naccepts entries) is set when line k allows
 * one.  Returns the number of accepted exposures. */
uint32_t ps_accept_match(const ps_model *m, const ps_report *r, uint32_t *accept_of, bool *used);

#endif
