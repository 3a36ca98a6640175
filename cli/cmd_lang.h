/* cmd_lang.h - the scenario-language commands, `privsim lint` and `privsim fmt`.
 *
 * The entry points ps_cmd_lint() and ps_cmd_fmt() are declared in cli.h with the other
 * commands; this header gives the testable cores they are built on, which write to the
 * streams they are given instead of stdout and stderr.
 */
#ifndef PS_CMD_LANG_H
#define PS_CMD_LANG_H

#include "diag.h"
#include "json.h"
#include "model.h"

#include <stdbool.h>
#include <stdio.h>

/* Writes the one-line summary of a good scenario, as `privsim lint` prints it:
 *   PATH: ok: 6 users, 9 friendships, 1 network, 1 group, 2 lists, 2 personas, 4 items,
 *   2 fields, 1 app, 3 steps, 2 expects, 0 varies, platform facebook-2010
 * ("ok (2 warnings):" when there were warnings).  Counts the friendships, hence not const. */
void ps_lint_summary(FILE *out, const char *path, ps_model *m, uint32_t nwarnings);

/* Lints one file as `privsim lint` does in text mode: diagnostics to `err` (coloured when
 * `color`), then the summary to `out` when the file is good.  Returns 0 for a good file,
 * 2 for a file with errors, 3 when memory ran out. */
int ps_lint_file(const char *path, FILE *out, FILE *err, bool color);

/* Writes the JSON object that `privsim lint --format json` lists for one file, on `j`.
 * Same return values as ps_lint_file. */
int ps_lint_file_json(const char *path, ps_json *j);

/* Formats a scenario: the comment block at the top of `buf` (kept as it is), then the
 * canonical form of the model.  0, or -1 with the errors in `d` (nothing written). */
int ps_fmt_buffer(const char *path, const char *buf, size_t len, FILE *out, ps_diag *d);

#endif
