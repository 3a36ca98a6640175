/* scenarios.h - the scenario files named on a command line: files as given, and every
 * `.psim` file under a directory (recursively, sorted by path, hidden entries skipped), so
 * that `privsim check models/` checks a whole tree in a stable order.
 *
 * Ownership: a ps_scenarios owns its paths; ps_scenarios_free() releases them.
 */
#ifndef PS_SCENARIOS_H
#define PS_SCENARIOS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char **paths;
    size_t n, cap;
} ps_scenarios;

/* Adds `argv[0..argc)` expanded.  A name that is neither a file nor a directory is kept as
 * given (reading it then reports the error).  A directory with no .psim file under it is an
 * error printed as "privsim CMD: ...".  Returns 0, -1 after such an error, -2 out of memory. */
int ps_scenarios_expand(ps_scenarios *s, const char *cmd, int argc, char **argv);
void ps_scenarios_free(ps_scenarios *s);
/* A name for scenario i among all of `s`, for a directory of its own: its file name without
 * .psim, with "-N" (N = i + 1) appended when an earlier scenario has the same name.
 * Returns buf. */
const char *ps_scenarios_stem(const ps_scenarios *s, size_t i, char *buf, size_t cap);

#endif
