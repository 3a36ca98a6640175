/* plan_out.h - writing a plan for people (text), programs (JSON) and CI (SARIF). */
#ifndef PS_PLAN_OUT_H
#define PS_PLAN_OUT_H

#include "plan.h"

#include <stdio.h>

#define PS_JSON_PLAN_SCHEMA "privsim.plan/1"

/* "What to change": each change with what it removes and costs, what is left, the
 * verification and the reach; `written` (or NULL) names the planned scenario's file. */
void ps_plan_print_text(FILE *out, const ps_model *m, const ps_plan *p, const char *written);
/* The plan as one JSON object (schema privsim.plan/1). */
void ps_plan_print_json(FILE *out, const ps_model *m, const ps_plan *p);
/* The plan as a SARIF 2.1.0 log: one result per change. */
void ps_plan_print_sarif(FILE *out, const ps_model *m, const ps_plan *p);

/* Writes the scenario `m` to `path` atomically (the canonical printer).  0, or -1 after
 * printing an error. */
int ps_write_scenario_file(const char *path, const ps_model *m);

#endif
