/* sarif.h - the one SARIF 2.1.0 writer, shared by check, diff and fuzz.
 *
 * A log holds one run: the tool with its rules (each with a help text), the results, and an
 * invocation that says whether the run succeeded, with the diagnostics of input that could not
 * be read.  File locations are written as URIs relative to a base directory (the
 * `--base-dir` option; default the current directory) under the base id "SRCROOT", percent-
 * encoded; a file outside the base directory becomes an absolute file:// URI.
 *
 * Usage: ps_sarif_begin(), then for each result ps_sarif_result_begin() (which writes the
 * rule, message, locations and fingerprint), optional members through ps_sarif_json(), and
 * ps_sarif_result_end(); then ps_sarif_end().
 *
 * Ownership: the writer borrows its FILE, its rules and every string; ps_sarif_end() frees
 * what it allocated.
 */
#ifndef PS_SARIF_H
#define PS_SARIF_H

#include "diag.h"
#include "json.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct {
    const char *id;        /* ruleId, e.g. "forbidden" */
    const char *name;      /* PascalCase name */
    const char *level;     /* "error", "warning" or "note" */
    const char *text;      /* one sentence: what was found */
    const char *help;      /* what to do about it */
} ps_sarif_rule;

/* A place in a scenario file, with what it has to do with the result. */
typedef struct {
    const char *path;      /* the file as given on the command line */
    uint32_t line, col;    /* 1-based; 0 = unknown (written as 1) */
    const char *message;   /* or NULL */
} ps_sarif_loc;

typedef struct {
    ps_json j;
    const ps_sarif_rule *rules;
    size_t nrules;
    char *base;            /* absolute base directory, without a trailing slash (owned) */
    uint32_t nresults;
} ps_sarif;

/* Starts the log and its results array.  `base_dir` NULL = the current directory.
 * Returns 0, or -1 out of memory (nothing written). */
int ps_sarif_begin(ps_sarif *s, FILE *out, const ps_sarif_rule *rules, size_t nrules,
                   const char *base_dir);
/* Starts a result of rules[rule] at `at`, with `related` locations and the partial
 * fingerprint `fp_key`: `fp` (both may be NULL).  The result stays open for more members. */
void ps_sarif_result_begin(ps_sarif *s, size_t rule, const char *message, const ps_sarif_loc *at,
                           const ps_sarif_loc *related, size_t nrelated, const char *fp_key,
                           const char *fp);
/* The writer, to add members (such as "properties") to the open result. */
static inline ps_json *ps_sarif_json(ps_sarif *s) { return &s->j; }
void ps_sarif_result_end(ps_sarif *s);
/* Ends the results and the log: an invocation with executionSuccessful = `ok` and the
 * diagnostics of the `nd` collectors `ds` as notifications.  Frees the writer's memory. */
void ps_sarif_end(ps_sarif *s, bool ok, const ps_diag *ds, size_t nd);

/* The URI of `path` relative to the absolute directory `base` (see above) into buf.
 * Returns buf; false in *relative when the file lies outside `base`. */
const char *ps_sarif_uri(const char *base, const char *path, char *buf, size_t cap,
                         bool *relative);

/* `s` percent-encoded as a URI path (RFC 3986: unreserved characters and '/' stay) into
 * buf; returns buf. */
const char *ps_uri_encode(const char *s, char *buf, size_t cap);
/* The same as a plain path (no encoding, no file:// prefix): relative to `base` when the
 * file lies under it, else absolute.  For GitHub workflow commands. */
const char *ps_sarif_relpath(const char *base, const char *path, char *buf, size_t cap,
                             bool *relative);
/* `base_dir` (NULL = the current directory) as an absolute, normalized directory name
 * without a trailing slash, for the two functions above; the caller frees it.  NULL when
 * memory runs out. */
char *ps_sarif_base(const char *base_dir);

#endif
