/* baseline.h - fingerprints of exposures, and baselines: the exposures a team has seen and
 * accepted for now, recorded in a JSON file (`privsim baseline`), so that `check --baseline`
 * fails only on new ones.
 *
 * A fingerprint is "ITEM|VIEWER|SEVERITY|SHAPE": the item's and viewer's names, the severity
 * and the path's shape (its kinds of links, no names and no line numbers), so it survives
 * reformatting, moving lines and renaming anything the exposure does not name.
 */
#ifndef PS_BASELINE_H
#define PS_BASELINE_H

#include "engine.h"

/* Writes the fingerprint of `x` into buf and returns buf. */
const char *ps_exposure_fingerprint(const ps_model *m, const ps_exposure *x, char *buf, size_t cap);

#endif
