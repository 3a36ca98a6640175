/* fix_budget.h - a time budget for fix verification, and which items it left unverified.
 *
 * With a budget, ps_check() stops verifying candidate fixes once the budget is spent: the
 * candidates not verified by then are not reported, and the items they belong to are marked,
 * so that every output says "not verified: budget" for their exposures instead of claiming
 * that no change cuts them.  `--max-time T` gives fix verification a budget of 3T/4, so that a
 * check finishes and reports before the limit stops it. */
#ifndef PS_FIX_BUDGET_H
#define PS_FIX_BUDGET_H

#include "model.h"

#include <stdbool.h>

/* Fix verification may go on for `seconds` from now (0: no budget); forgets the items that
 * an earlier budget marked. */
void ps_fix_budget_set(double seconds);
/* Whether the budget cut the verification of the fixes of `item` of model `m`. */
bool ps_fix_unverified(const ps_model *m, uint32_t item);

#endif
