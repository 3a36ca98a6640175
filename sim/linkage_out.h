/* linkage_out.h - linkages for people (text), programs (JSON) and CI (SARIF).
 *
 * The JSON members ("linkages", "link-minimum-sets", "linkage-counts") are added to the
 * check document ("privsim.check/1") when the scenario has persons; the README documents
 * them.  SARIF results have the rule ids linkage-forbidden, linkage-external and
 * linkage-beyond-intent. */
#ifndef PS_LINKAGE_OUT_H
#define PS_LINKAGE_OUT_H

#include "linkage.h"

#include <stdio.h>

/* A section per person: each linkage (at most `max_viewers` per person; 0 = all) with its
 * evidence and fixes, the smallest set, and a summary line. */
void ps_linkage_print_text(FILE *out, ps_linkage_report *r, uint32_t max_viewers);
/* The JSON members, without braces: "linkages":[...],"link-minimum-sets":[...],... */
void ps_linkage_print_json_members(FILE *out, ps_linkage_report *r);
/* SARIF result objects, comma-separated (`first`: no comma before the first). */
void ps_linkage_print_sarif_results(FILE *out, ps_linkage_report *r, bool first);
/* Writes a check document `doc` (JSON, or SARIF when `sarif`) with the linkages added.
 * 0, or -1 on a write error. */
int ps_linkage_splice(FILE *out, const char *doc, size_t len, ps_linkage_report *r,
                      bool sarif);
/* The members "person", "accounts", "viewer", "severity" of a linkage object. */
void ps_linkage_print_json_who(FILE *out, const ps_model *m, uint32_t person, uint32_t a,
                               uint32_t b, uint32_t viewer, uint8_t severity);
/* Writes a SARIF log `doc` with more results added at the end of its one run's results:
 * `emit` writes them, comma-separated (`first`: no comma before the first). */
void ps_sarif_splice(FILE *out, const char *doc, size_t len,
                     void (*emit)(FILE *out, bool first, void *payload), void *payload);
/* One linkage with the derivation of every piece of evidence, and its fixes. */
void ps_linkage_explain_text(FILE *out, ps_linkage_report *r, const ps_linkage *l);
void ps_linkage_explain_json(FILE *out, ps_linkage_report *r, const ps_linkage *l);

#endif
