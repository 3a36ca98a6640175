/* fuzzer.h - the policy fuzzer: searching a space of settings and actions for exposures.
 *
 * ps_fuzz_run() walks the points of a ps_space (space.h) with one of three strategies,
 * evaluates each one (every reported item, in every state of the timeline, exactly as
 * `privsim check` does), and collects *findings*:
 *
 *   - an exposure of a point is new when its item, viewer and leak-path shape are not an
 *     exposure of the space's origin (the scenario as written; under the `safest` baseline,
 *     with each --vary-user user's protective settings at their safest);
 *   - new exposures are grouped by the shape of their leak path (ps_path_shape); each group
 *     is one finding, kept with the most severe exposure seen and the point that needs the
 *     fewest changes from the origin;
 *   - each finding is then minimized (the fewest changes that still show an exposure of that
 *     shape and severity), re-checked with ps_check() on the point written out as a scenario,
 *     and ranked by severity, then by the number of viewers its path reaches.
 *
 * Evaluation is incremental: the result of each item (its exposures with their shapes and
 * the derivation rules used) is cached under the alternatives of the dimensions that can
 * change it, so a point that differs from the previous one in one dimension re-evaluates only
 * the items that dimension touches, and only when that combination was never seen.
 *
 * The same model, space, strategy, seed and --max-points give the same findings.
 */
#ifndef PS_FUZZER_H
#define PS_FUZZER_H

#include "engine.h"
#include "json.h"
#include "sarif.h"
#include "space.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum { PS_STRAT_EXHAUSTIVE, PS_STRAT_RANDOM, PS_STRAT_GUIDED } ps_strategy;

/* "exhaustive", "random", "guided". */
const char *ps_strategy_name(ps_strategy s);

/* What the progress callback is told, a few times a second. */
typedef struct {
    uint64_t points;       /* evaluated so far */
    double seconds;        /* since the search began */
    uint32_t findings;     /* distinct new leak shapes so far */
    uint32_t rules;        /* derivation rules reached */
    uint32_t rules_possible;
    uint32_t shapes;       /* leak shapes reached (new or not) */
} ps_fuzz_progress;

typedef struct {
    ps_strategy strategy;
    uint64_t seed;
    uint64_t max_points;   /* 0: the whole space (exhaustive), else 200000 */
    double max_time;       /* seconds; 0 = no limit */
    bool no_minimize;      /* keep each finding at the point where it was found */
    bool no_verify;        /* skip the ps_check() of every finding */
    size_t cache_bytes;    /* memory for the evaluation cache; 0 = 256 MiB */
    void (*progress)(const ps_fuzz_progress *p, void *payload);
    void *payload;
    /* if nparts > 1: search only share `part` of the points (ps_fuzz_search): exhaustive and
     * random walk the part-th of nparts consecutive slices of the points the whole search
     * would walk; guided runs a search of its own (seed stream `part`, its slice of
     * --max-points) */
    uint32_t part, nparts;
} ps_fuzz_opts;

/* One finding. */
typedef struct {
    uint64_t shape;        /* ps_path_shape of its leak path */
    char shape_text[256];  /* ps_path_shape_text */
    uint8_t severity;      /* ps_severity, the strongest at its point */
    uint32_t item, viewer; /* the exposure shown (most severe; then lowest item, viewer) */
    uint32_t nviewers;     /* viewers that this shape of path reaches at the point */
    uint32_t nitems;       /* items it reaches them on */
    uint8_t *point;        /* the point (space->ndims bytes, owned) */
    uint32_t *changes;     /* dimensions where the point differs from the origin (owned) */
    uint32_t nchanges;
    bool as_written;       /* `check` of the scenario as written shows this exposure too */
    bool verified;         /* `check` of the point's scenario shows it (see no_verify) */
    uint64_t found_at;     /* how many points had been evaluated when it was first seen */
} ps_finding;

typedef struct {
    ps_finding *findings;  /* ranked (owned) */
    uint32_t nfindings;
    uint64_t points;       /* points evaluated by the search (minimization not counted) */
    uint64_t evaluations;  /* items evaluated by the engine (cache misses) */
    double seconds;        /* the search's time */
    bool complete;         /* the whole space was searched */
    uint32_t nbaseline;    /* exposures of the origin */
    uint32_t nwritten;     /* exposures of the scenario as written */
    uint32_t rules, rules_possible; /* derivation rules reached, of those the space allows */
    uint32_t features;     /* (rule, term) pairs reached */
    uint32_t shapes;       /* distinct leak-path shapes reached, new or not */
    uint32_t corpus;       /* guided: points kept for reaching something new */
} ps_fuzz_result;

/**
 * Searches the space `s` of scenario `m`.
 *
 * @param m    the scenario the space was built from (borrowed)
 * @param s    the space
 * @param o    options (NULL: exhaustive, seed 1)
 * @param out  [out] the result, the caller's to free with ps_fuzz_result_free()
 * @param err  a message when the options do not fit the space (an exhaustive search of a
 *             space that is too large)
 * @return 0; -1 out of memory; -2 see err; -3 a finding that check did not confirm
 */
int ps_fuzz_run(const ps_model *m, const ps_space *s, const ps_fuzz_opts *o,
                ps_fuzz_result **out, char *err, size_t errlen);
void ps_fuzz_result_free(ps_fuzz_result *r);

/* ---------------------------------------------------------------------------------------
 * A search in parts (for runs split over processes: sim/mpi_run.c)
 *
 * ps_fuzz_run() is ps_fuzz_search() followed by ps_fuzz_finish().  A split run searches each
 * share of the points with ps_fuzz_search() (ps_fuzz_opts.part of nparts), merges the
 * partial results in part order (fuzz/split.h), and finishes the merged one: minimization,
 * verification and ranking happen once, on the merged candidates.
 * ------------------------------------------------------------------------------------- */

/* A finding before minimization: for one leak shape, the first point of the search (in its
 * order) with the most severe new exposure of that shape, and among those the fewest
 * changes from the origin. */
typedef struct {
    uint64_t shape;
    uint8_t severity;
    uint32_t item, viewer; /* the exposure at that point */
    uint32_t dist;         /* changes from the origin */
    uint64_t found_at;     /* number (from 1) of the point where the shape was first seen */
    uint8_t *point;        /* ndims bytes (owned) */
} ps_fuzz_candidate;

/* What a search, or one share of it, found before its findings were finished. */
typedef struct {
    ps_fuzz_candidate *cands; uint32_t ncands; /* in the order they were first seen (owned) */
    uint64_t *shapes; uint32_t nshapes;        /* every leak shape reached, ascending (owned) */
    uint64_t feat[2];      /* (rule, term) pairs reached */
    uint64_t points, evaluations;
    double seconds;
    bool complete;
    uint32_t corpus;
    uint32_t nbaseline, nwritten;
} ps_fuzz_partial;

/* Searches the share of `s` that o->part of o->nparts names, without finishing the findings.
 * Returns as ps_fuzz_run(), with *out the caller's to free with ps_fuzz_partial_free(). */
int ps_fuzz_search(const ps_model *m, const ps_space *s, const ps_fuzz_opts *o,
                   ps_fuzz_partial **out, char *err, size_t errlen);
/* Minimizes, verifies and ranks the candidates of `p` (the merged shares of one search with
 * options `o`).  Returns as ps_fuzz_run(). */
int ps_fuzz_finish(const ps_model *m, const ps_space *s, const ps_fuzz_opts *o,
                   const ps_fuzz_partial *p, ps_fuzz_result **out, char *err, size_t errlen);
void ps_fuzz_partial_free(ps_fuzz_partial *p);

/* ---------------------------------------------------------------------------------------
 * One point at a time (for the tests and the fuzz_settings target)
 * ------------------------------------------------------------------------------------- */

/* One exposure of a point. */
typedef struct {
    uint32_t item, viewer;
    uint64_t shape;        /* ps_path_shape of its path when it first appears */
    uint8_t severity;      /* ps_severity */
    bool novel;            /* not an exposure of the origin */
} ps_fuzz_exposure;

typedef struct ps_fuzz_eval ps_fuzz_eval;

/* An evaluator of the points of `s` with the search's own cache (`cache_bytes` of memory, 0 =
 * the default); m and s must outlive it.  0, or -1 out of memory. */
int ps_fuzz_eval_new(const ps_model *m, const ps_space *s, size_t cache_bytes,
                     ps_fuzz_eval **out);
void ps_fuzz_eval_free(ps_fuzz_eval *ev);
/* The exposures of `point` (ndims bytes, each below its dimension's nalts), sorted by item,
 * then viewer; borrowed until the next call.  0, or -1 out of memory. */
int ps_fuzz_eval_point(ps_fuzz_eval *ev, const uint8_t *point, const ps_fuzz_exposure **out,
                       uint32_t *n);

/* Largest space an exhaustive search walks without --max-points. */
#define PS_FUZZ_EXHAUSTIVE_MAX 100000000.0

/* ---------------------------------------------------------------------------------------
 * Output (output.c)
 * ------------------------------------------------------------------------------------- */

/* Options of the summaries. */
typedef struct {
    const char *scenario;  /* the scenario's path as given */
    const char *out_dir;   /* where the finding files are (NULL: not written) */
    ps_strategy strategy;
    uint64_t seed;
    bool safest;           /* the baseline */
    const char *found_by;  /* the command line that reruns the search, or NULL (then one is
                            * made from the fields above) */
    const char *base_dir;  /* SARIF: URIs relative to it (NULL = the current directory) */
} ps_fuzz_summary;

/* The command line that reruns the search of `sum`, into buf. */
const char *ps_fuzz_found_by(const ps_fuzz_summary *sum, char *buf, size_t cap);

/* Writes finding `i` as a scenario with a leading comment saying what it shows and which
 * changes it needs.  0, or -1 out of memory / write error. */
int ps_fuzz_write_finding(FILE *out, const ps_model *m, const ps_space *s,
                          const ps_fuzz_result *r, uint32_t i, const ps_fuzz_summary *sum);
/* Writes DIR/finding-NNN.psim for every finding: the new set (with DIR's other files) is
 * built beside DIR and swapped in whole (atomic.h), replacing older finding files.  0, or
 * after printing an error -2 (DIR cannot be replaced: it is not a directory, holds a
 * subdirectory, or an input file would be replaced) or -1 (out of memory, I/O). */
int ps_fuzz_write_findings(const char *dir, const ps_model *m, const ps_space *s,
                           const ps_fuzz_result *r, const ps_fuzz_summary *sum);
/* Summaries of the search and its findings: text, JSON (schema privsim.fuzz/1), SARIF. */
void ps_fuzz_print_text(FILE *out, const ps_model *m, const ps_space *s,
                        const ps_fuzz_result *r, const ps_fuzz_summary *sum);
void ps_fuzz_print_json(FILE *out, const ps_model *m, const ps_space *s,
                        const ps_fuzz_result *r, const ps_fuzz_summary *sum);
void ps_fuzz_print_sarif(FILE *out, const ps_model *m, const ps_space *s,
                         const ps_fuzz_result *r, const ps_fuzz_summary *sum);
/* The same pieces for a document of several searches: the privsim.fuzz/1 object on a
 * writer, and the results (with ps_fuzz_sarif_rules) on an open SARIF log. */
void ps_fuzz_json(ps_json *j, const ps_model *m, const ps_space *s, const ps_fuzz_result *r,
                  const ps_fuzz_summary *sum);
#define PS_FUZZ_NRULES 6 /* findings by severity, then linkages by severity */
extern const ps_sarif_rule ps_fuzz_sarif_rules[PS_FUZZ_NRULES];
void ps_fuzz_sarif_results(ps_sarif *sw, const ps_model *m, const ps_space *s,
                           const ps_fuzz_result *r, const ps_fuzz_summary *sum);
/* The file name of finding i ("finding-001.psim"), into buf. */
const char *ps_fuzz_finding_name(uint32_t i, char *buf, size_t cap);

#define PS_JSON_FUZZ_KIND "fuzz"
#define PS_JSON_FUZZ_VERSION 1

#endif
