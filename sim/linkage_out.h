/* linkage_out.h - linkages for people (text), programs (JSON) and CI (SARIF).
 *
 * The JSON members ("linkages", "link-minimum-sets", "linkage-counts") are added to the
 * check document ("privsim.check/1") when the scenario has persons; the README documents
 * them.  SARIF results have the rule ids linkage-forbidden, linkage-external and
 * linkage-beyond-intent. */
#ifndef PS_LINKAGE_OUT_H
#define PS_LINKAGE_OUT_H

#include "linkage.h"
#include "json.h"
#include "sarif.h"

#include <stdio.h>

/* A section per person: each linkage (at most `max_viewers` per person; 0 = all) with its
 * evidence and fixes, the smallest set, and a summary line. */
void ps_linkage_print_text(FILE *out, ps_linkage_report *r, uint32_t max_viewers);
/* The JSON members "linkages", "link-minimum-sets" and "linkage-counts", into the object
 * the writer has open. */
void ps_linkage_json_members(ps_json *j, ps_linkage_report *r);
/* A SARIF result per linkage on an open log: rule first_rule for forbidden, then external,
 * then beyond-intent. */
void ps_linkage_sarif_results(ps_sarif *sw, ps_linkage_report *r, size_t first_rule);
/* The members "person", "accounts", "viewer", "severity" of a linkage object. */
void ps_linkage_json_who(ps_json *j, const ps_model *m, uint32_t person, uint32_t a,
                         uint32_t b, uint32_t viewer, uint8_t severity);
/* One linkage with the derivation of every piece of evidence, and its fixes. */
void ps_linkage_explain_text(FILE *out, ps_linkage_report *r, const ps_linkage *l);
void ps_linkage_explain_json(FILE *out, ps_linkage_report *r, const ps_linkage *l);

#endif
