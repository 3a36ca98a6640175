/* report_split.h - one check report from the reports of its parts.
 *
 * ps_check() can compute a part of a report: the items whose owner % nparts == part
 * (ps_check_opts).  A run split over processes computes every part in its own process,
 * sends each part's exposures and fixes as bytes (ps_report_encode) to the first process,
 * which adds them to its own part (ps_report_absorb) and puts the whole in the order of a
 * report computed at once (ps_report_seal).  The printed result is then byte for byte the
 * one a single process prints.
 */
#ifndef PS_REPORT_SPLIT_H
#define PS_REPORT_SPLIT_H

#include "engine.h"

#include <stddef.h>
#include <stdint.h>

/* The exposures and fixes of `r` as bytes, the caller's to free.  0, or -1 out of memory. */
int ps_report_encode(const ps_report *r, uint8_t **out, size_t *len);

/* Appends the exposures and fixes encoded in buf[0..len) to `into` (whose expectations,
 * refused steps and timeline length stand for every part: each part checks them in full).
 * 0; -1 out of memory; -2 the bytes are not an encoded report. */
int ps_report_absorb(ps_report *into, const uint8_t *buf, size_t len);

/* Puts a report made of parts in ps_check()'s order: exposures by severity (worst first),
 * item, viewer; each exposure's fixes stored in that order; the counts per severity
 * recomputed.  0, or -1 out of memory (the report stays valid and whole). */
int ps_report_seal(ps_report *r);

#endif
