/* fix_more.h - the fixes that ps_check()'s per-path candidates leave out, for the exposures
 * that have no fix by a person.
 *
 * ps_check() proposes, for each exposure, the settings behind the links of its path and the
 * owner's audience; it tries the owner hiding the item from one viewer only when few viewers
 * of the item are exposed (that costs one simulation per viewer).  ps_fix_complete() goes
 * back to the exposures that are left with no fix by a person (none at all, or only a
 * platform rule) and tries, for each, the owner's `hide=user:V`, and, on an item with
 * several live tags, every tagged person turning tag review on at once (a two-change fix when
 * no single change cuts the path).  Each one is verified like ps_check()'s fixes: applied to
 * the scenario and simulated again over the whole timeline.
 */
#ifndef PS_FIX_MORE_H
#define PS_FIX_MORE_H

#include "engine.h"

/* What a fix search tries, for sentences that say that no user setting cuts a path. */
#define PS_FIX_TRIED "the settings behind each link, the owner's audience and hide, " \
                     "and tag review by every tagged person at once"

/* Adds the fixes above to the exposures of `r` (a ps_check() report of `m`, with fixes) that
 * have no fix by a person, and clears their platform_only flag when one cuts the path.  The
 * fix list of every exposure stays contiguous in r->fixes (the array is rebuilt).  0, or -1
 * out of memory (the report is then unchanged). */
int ps_fix_complete(const ps_model *m, ps_report *r);

#endif
