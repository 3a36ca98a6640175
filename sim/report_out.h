/* report_out.h - writing a check report for people (text), programs (JSON) and CI (SARIF).
 *
 * The JSON document is versioned by its "schema" member ("privsim.check/1"); the README
 * documents every member.  Members are only ever added within one version. */
#ifndef PS_REPORT_OUT_H
#define PS_REPORT_OUT_H

#include "baseline.h"
#include "engine.h"
#include "json.h"
#include "sarif.h"

#include <stdio.h>

#define PS_JSON_CHECK_KIND "check"
#define PS_JSON_CHECK_VERSION 1

/* Text for a terminal or a log: exposures grouped by item, severity and path shape (at most
 * `max_viewers` names per group; 0 = all), expectations, a summary line. */
void ps_report_print_text(FILE *out, const ps_model *m, const ps_report *r, uint32_t max_viewers);
/* What a check with a baseline adds to its report (all optional). */
typedef struct {
    uint32_t baselined;            /* exposures left out of the report: in the baseline */
    const ps_baseline *baseline;   /* with `file`: its entries that are gone */
    const char *file;
    const ps_report *full;         /* the report before anything was left out, with: */
    const uint32_t *accept_of;     /* per exposure of `full`: the accept line allowing it, or
                                    * PS_NONE (NULL: no accept lines were matched) */
    const bool *accept_used;       /* per accept line of the model: it allows an exposure */
    struct ps_linkage_report *linkages; /* the linkages of the scenario's persons, or NULL */
} ps_report_extra;

/* The accepted exposures of `x` (text: a section, then one line per accept line that
 * allows nothing any more). */
void ps_report_print_accepted_text(FILE *out, const ps_model *m, const ps_report_extra *x);
void ps_report_print_accepted_markdown(FILE *out, const ps_model *m, const ps_report_extra *x);
/* Warns on `err`, gcc-style, about every accept line that allows no exposure. */
void ps_report_warn_unused_accepts(FILE *err, const ps_model *m, const ps_report_extra *x);

/* The report as one JSON document, or as a value on a writer (in a larger document). */
void ps_report_print_json(FILE *out, const ps_model *m, const ps_report *r);
void ps_report_json(ps_json *j, const ps_model *m, const ps_report *r,
                    const ps_report_extra *extra);
/* The SARIF rules of check: forbidden, external, beyond-intent, expectation, then the
 * linkages' forbidden, external, beyond-intent (from PS_CHECK_LINKAGE_RULE on). */
#define PS_CHECK_NRULES 7
#define PS_CHECK_LINKAGE_RULE 4
extern const ps_sarif_rule ps_check_sarif_rules[PS_CHECK_NRULES];
/* One result per exposure (at the statement that caused it, see anchor.h) and per failed
 * expectation, on an open SARIF log. */
void ps_report_sarif_results(ps_sarif *s, const ps_model *m, const ps_report *r);
/* The report as a whole SARIF 2.1.0 log, URIs relative to `base_dir` (NULL = the current
 * directory).  0, or -1 out of memory. */
int ps_report_print_sarif(FILE *out, const ps_model *m, const ps_report *r, const char *base_dir);
/* GitHub workflow commands (`::error file=F,line=L,...::MESSAGE`), one per exposure at the
 * statement that caused it and one per failed expectation; file names relative to
 * `base_dir` (NULL = the current directory).  0, or -1 out of memory. */
int ps_report_print_github(FILE *out, const ps_model *m, const ps_report *r, const char *base_dir);
/* One workflow command `::LEVEL file=F,line=L,col=C,title=T::MSG`, everything escaped. */
void ps_github_command(FILE *out, const char *level, const char *file, uint32_t line,
                       uint32_t col, const char *title, const char *msg);
/* Writes `s` escaped for a workflow command (`property`: also ':' and ','). */
void ps_github_escape(FILE *out, const char *s, bool property);
/* Writes `s` escaped for Markdown text. */
void ps_markdown_escape(FILE *out, const char *s);
/* A Markdown section for a CI job's step summary: counts and a table of exposures. */
void ps_report_print_markdown(FILE *out, const ps_model *m, const ps_report *r);
/* A path as a JSON array, and a fix as a JSON object, on a writer. */
void ps_path_json(ps_json *j, const ps_model *m, const ps_path *p);
void ps_fix_json(ps_json *j, const ps_model *m, const ps_fix *f);

#endif
