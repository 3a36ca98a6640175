/* baseline.h - fingerprints of exposures, and baselines: the exposures a team has seen and
 * accepted for now, recorded in a JSON file (`privsim baseline`, schema privsim.baseline/1),
 * so that `check --baseline` fails only on new ones and lists the recorded ones that are gone.
 *
 * A fingerprint is "ITEM|VIEWER|SEVERITY|SHAPE": the item's and viewer's names, the severity
 * and the path's shape (its kinds of links, no names and no line numbers), so it survives
 * reformatting, moving lines and renaming anything the exposure does not name.  A baseline
 * entry is a scenario file (as named on the command line, without a leading "./") and a
 * fingerprint.
 *
 * Ownership: a ps_baseline owns its entries; ps_baseline_free() releases them.
 */
#ifndef PS_BASELINE_H
#define PS_BASELINE_H

#include "engine.h"
#include "json.h"

#include <stdbool.h>

/* Writes the fingerprint of `x` into buf and returns buf. */
const char *ps_exposure_fingerprint(const ps_model *m, const ps_exposure *x, char *buf, size_t cap);

typedef struct {
    char *file;            /* normalized scenario path */
    char *fingerprint;
    uint32_t line;         /* where the entry stands in the baseline file */
    bool matched;          /* seen by ps_baseline_match() */
} ps_baseline_entry;

typedef struct {
    ps_baseline_entry *v;  /* sorted by file, then fingerprint */
    size_t n;
} ps_baseline;

#define PS_JSON_BASELINE_KIND "baseline"
#define PS_JSON_BASELINE_VERSION 1

/* Reads a baseline file.  0; -1 after printing "FILE:LINE:COL: error: ..." to stderr;
 * -2 out of memory. */
int ps_baseline_load(const char *path, ps_baseline *out);
void ps_baseline_free(ps_baseline *b);
/* Sets known[i] for every exposure of `r` (of scenario `file`) that the baseline holds, and
 * marks those entries matched.  Returns how many exposures it knew. */
uint32_t ps_baseline_match(ps_baseline *b, const char *file, const ps_model *m,
                           const ps_report *r, bool *known);
/* The entries of `file` that no exposure matched, in order; calls fn for each. */
void ps_baseline_gone(const ps_baseline *b, const char *file,
                      void (*fn)(const ps_baseline_entry *e, void *payload), void *payload);
/* `path` without leading "./" (borrowed from path). */
const char *ps_baseline_file_name(const char *path);

/* Writing one: ps_baseline_json_begin() opens the document, ps_baseline_json_add() adds the
 * exposures of one scenario, ps_baseline_json_end() closes it. */
void ps_baseline_json_begin(ps_json *j, FILE *out);
void ps_baseline_json_add(ps_json *j, const char *file, const ps_model *m, const ps_report *r);
void ps_baseline_json_end(ps_json *j);

#endif
