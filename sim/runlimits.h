/* runlimits.h - `--max-time` and `--max-memory` for the commands that can run long.
 *
 * --max-memory caps the process's address space (RLIMIT_AS): an allocation past it fails and
 * the command ends as out of memory (exit 3), saying which limit it reached and what it was
 * doing.  --max-time starts a watchdog: when the time is up, the command stops with exit 3,
 * saying what it had done (the phase and the count of its progress line); nothing is written
 * to an output file, since outputs are renamed into place only when complete.  `fuzz` stops
 * its search gracefully instead (its own --max-time). */
#ifndef PS_RUNLIMITS_H
#define PS_RUNLIMITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    double max_time;       /* seconds; 0 = none */
    uint64_t max_memory;   /* bytes; 0 = none */
} ps_limits;

/* The help lines of both options, for a command's usage text. */
#define PS_LIMITS_USAGE_MEMORY                                                              \
    "  --max-memory SIZE   cap the memory (bytes, or with K, M, G); past it: exit 3\n"
#define PS_LIMITS_USAGE                                                                     \
    "  --max-time SECONDS  stop (exit 3) after this long, saying how far the work got\n"     \
    PS_LIMITS_USAGE_MEMORY

/* Takes --max-time and --max-memory (as `--opt V` or `--opt=V`, before a `--`) out of the
 * arguments of command `cmd` (argv[0]) when the command runs long, and puts them in force:
 * both for check, audience, view-as, explain, diff, viz, report, import and gen; only
 * --max-memory for fuzz, whose own --max-time stops its search and keeps its findings.
 * Returns 0 with *argc updated, or PS_EXIT_USAGE / PS_EXIT_INTERNAL after an error. */
int ps_limits_from_args(int *argc, char **argv);

/* Parses the value of --max-time (a positive number of seconds) or --max-memory (a whole
 * number with an optional K, M or G suffix, at least 16M).  0, or -1 after printing a usage
 * error naming `cmd`. */
int ps_limits_parse_time(const char *cmd, const char *value, double *out);
int ps_limits_parse_memory(const char *cmd, const char *value, uint64_t *out);

/* Puts the limits in force for the rest of the process.  0, or -1 after printing an error. */
int ps_limits_start(const char *cmd, const ps_limits *l);

/* Records how far the work has got (ps_progress_update() calls it), for the messages of a
 * limit that stops the command. */
void ps_limits_note(const char *phase, uint64_t done, uint64_t total);

/* Writes "privsim CMD: " and what the limits say about how the run ended into buf (for the
 * out-of-memory message).  Returns buf. */
const char *ps_limits_describe(char *buf, size_t cap);

#endif
