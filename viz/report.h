/* report.h - the HTML exposure report: one self-contained page a person opens in a browser.
 *
 * `DIR/index.html` holds everything: the CSS and every diagram (SVG) inline, nothing fetched
 * from the network (a Content-Security-Policy forbids it), no JavaScript.  The page has a
 * summary (exposures by severity, persona, rule and category), then the exposures grouped by
 * the shape of their leak path (ps_path_shape) and severity, each group with a diagram of one
 * exposure, its path in words, its fixes and the list of the others; then the expectations,
 * the fuzzer's findings when a directory of them is given, an item's audience and a persona
 * map for the worst cases, and the platform and the scenario the report came from.  Groups,
 * diagrams and lists are capped, so a report of many thousands of exposures stays a page a
 * person reads and renders in seconds.  On a large scenario (more than PS_REPORT_BIG_ITEMS
 * items) fixes, whose verification replays the timeline once per candidate, are computed for
 * the items of the exposures that describe the groups only, and the page says so.
 *
 * Every name and caption from a scenario is escaped for HTML.  The page is written to a
 * temporary file and renamed into place, so an interrupted run never leaves half a report.
 */
#ifndef PS_REPORT_H
#define PS_REPORT_H

#include "engine.h"

#include <stdbool.h>
#include <stdint.h>

#define PS_REPORT_BIG_ITEMS 2000

/* Options of the report; zero values mean the defaults. */
typedef struct {
    const char *scenario_path;  /* the scenario file, shown and quoted (may be NULL) */
    const char *findings_dir;   /* a directory of the fuzzer's finding-NNN.psim, or NULL */
    uint32_t max_diagrams;      /* leak diagrams drawn (default 24) */
    uint32_t max_groups;        /* exposure groups described (default 200) */
    uint32_t max_rows;          /* exposures listed per group (default 100) */
    bool no_fixes;              /* do not compute fixes (ps_report_write only) */
    uint32_t fixes_items;       /* fixes were computed for this many items only (0: all);
                                 * each group is then described by an exposure that has
                                 * fixes when it has one */
} ps_report_opts;

/**
 * Writes the report of scenario `m` into directory `out_dir` (created, with its parents, when
 * missing) as `out_dir/index.html`.
 *
 * @param m              the scenario, read only
 * @param scenario_path  its file, quoted in the report (may be NULL)
 * @param findings_dir   a directory of fuzz findings to list (may be NULL)
 * @param out_dir        where to write
 * @param index_path_out [out] if not NULL: the path of the page written, the caller's to free()
 * @return 0, or -1 with errno set (ENOMEM, or the error of the file system; EPROTO when
 *         Graphviz failed to draw a diagram)
 */
int ps_report_write(const ps_model *m, const char *scenario_path, const char *findings_dir,
                    const char *out_dir, char **index_path_out);

/* The same with every option. */
int ps_report_write_opts(const ps_model *m, const ps_report_opts *opts, const char *out_dir,
                         char **index_path_out);

/**
 * The report page for scenario `m` and its check result `r` (computed by the caller with
 * ps_check), as a NUL-terminated string the caller frees.
 * @return 0, or -1 with errno set
 */
int ps_report_html(const ps_model *m, const ps_report *r, const ps_report_opts *opts,
                   char **html_out);

#endif
