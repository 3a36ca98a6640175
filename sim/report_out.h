/* report_out.h - writing a check report for people (text), programs (JSON) and CI (SARIF).
 *
 * The JSON document is versioned by its "schema" member ("privsim.check/1"); the README
 * documents every member.  Members are only ever added within one version. */
#ifndef PS_REPORT_OUT_H
#define PS_REPORT_OUT_H

#include "engine.h"

#include <stdio.h>

#define PS_JSON_CHECK_SCHEMA "privsim.check/1"

/* Text for a terminal or a log: exposures grouped by item, severity and path shape (at most
 * `max_viewers` names per group; 0 = all), expectations, a summary line. */
void ps_report_print_text(FILE *out, const ps_model *m, const ps_report *r, uint32_t max_viewers);
/* The report as one JSON object. */
void ps_report_print_json(FILE *out, const ps_model *m, const ps_report *r);
/* The report as a SARIF 2.1.0 log: one result per exposure and per failed expectation. */
void ps_report_print_sarif(FILE *out, const ps_model *m, const ps_report *r);
/* Writes the path of an exposure as JSON array members (used by other JSON writers). */
void ps_path_print_json(FILE *out, const ps_model *m, const ps_path *p);

#endif
