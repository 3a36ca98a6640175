/* cli.h - what every privsim command shares: exit codes, loading a scenario with
 * --platform, output formats, JSON strings, and the command entry points. */
#ifndef PS_CLI_H
#define PS_CLI_H

#include "diag.h"
#include "json.h"
#include "model.h"
#include "outfile.h"
#include "term.h"

#include <stdbool.h>
#include <stdio.h>

/* Exit codes of every command (SPEC section 6). */
enum {
    PS_EXIT_OK = 0,        /* clean */
    PS_EXIT_FINDINGS = 1,  /* exposures or failed expectations */
    PS_EXIT_USAGE = 2,     /* bad usage or bad input */
    PS_EXIT_INTERNAL = 3   /* internal error (out of memory, I/O) */
};

typedef enum { PS_FMT_TEXT, PS_FMT_JSON, PS_FMT_SARIF, PS_FMT_GITHUB, PS_FMT_MARKDOWN } ps_format;
/* Every format, as an `allowed` mask of ps_cli_format(). */
#define PS_FMTS_ALL 31u

/* Parses a --format value; `allowed` is a mask of (1 << ps_format).  0, or -1 after
 * printing an error naming the command. */
int ps_cli_format(const char *cmd, const char *value, unsigned allowed, ps_format *out);

/* The exit status of a failed ps_output_open(): 2 when the output would replace an input
 * of the command, else 3. */
static inline int ps_cli_output_status(int orc)
{
    return orc == PS_OUTPUT_REFUSED ? PS_EXIT_USAGE : PS_EXIT_INTERNAL;
}

/* Parses a --seed value (a whole number, decimal or 0x hex).  0, or the usage error's exit
 * status PS_EXIT_USAGE after printing it. */
int ps_cli_seed(const char *cmd, const char *value, uint64_t *out);

/* Replaces m's platform with preset `platform` (NULL: keeps it).  PS_EXIT_OK, or
 * PS_EXIT_USAGE after saying that there is no such preset and listing them (`cmd` names the
 * command in the message; NULL for none). */
int ps_cli_set_platform(const char *cmd, ps_model *m, const char *platform);

/* Writes m as a scenario to `output` (NULL or "-": standard output; a file is replaced
 * whole or not at all).  PS_EXIT_OK, or the exit status after saying what failed. */
int ps_cli_write_scenario(const char *cmd, const char *output, const ps_model *m);

/* Reads and checks a scenario, printing its diagnostics to stderr, and replaces its platform
 * with `platform` when not NULL.  Returns PS_EXIT_OK with *out set, PS_EXIT_USAGE for bad
 * input, or PS_EXIT_INTERNAL. */
int ps_cli_load(const char *path, const char *platform, ps_model **out);
/* The same, naming the file `shown` in diagnostics and in the model, and keeping the
 * diagnostics in `d` (initialized by the caller, who frees it). */
int ps_cli_load_diag(const char *path, const char *shown, const char *platform, ps_model **out,
                     ps_diag *d);

/* Prints "privsim CMD: MESSAGE" to stderr and returns PS_EXIT_USAGE. */
int ps_cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));


/* Finishes standard output: flushes and reports a write error.  Returns `code`, or
 * PS_EXIT_INTERNAL when the output could not be written. */
int ps_cli_finish(int code);


/* A progress line on standard error for long runs: shown only on a terminal, and only once a
 * run has taken half a second; ps_progress_end() erases it. */
typedef struct {
    const char *cmd;
    double start;          /* seconds, monotonic */
    double last;           /* when the line was last written */
    bool tty;
    bool shown;
} ps_progress;
void ps_progress_init(ps_progress *p, const char *cmd);
/* A ps_check_opts.progress callback; `payload` is a ps_progress. */
void ps_progress_update(void *payload, const char *phase, uint64_t done, uint64_t total);
void ps_progress_end(ps_progress *p);

/* `--timing`: the CPU time (of the whole process, every thread) and the wall time of each
 * phase of a command, printed on standard error as one line:
 *   privsim CMD: timing: read 3.012 s CPU (4.100 s wall), check 5.791 s CPU (3.010 s wall)
 * Everything is a no-op when `on` was false. */
#define PS_TIMING_PHASES 4
typedef struct {
    const char *cmd;
    bool on;
    double cpu, wall;      /* at the last mark */
    const char *name[PS_TIMING_PHASES];
    double dcpu[PS_TIMING_PHASES], dwall[PS_TIMING_PHASES];
    int n;
} ps_timing;
void ps_timing_start(ps_timing *t, const char *cmd, bool on);
/* Ends the phase `name` (a string that outlives `t`) here. */
void ps_timing_mark(ps_timing *t, const char *name);
void ps_timing_print(const ps_timing *t);

/* The terminal palette for `out` (see term.h). */
static inline ps_palette ps_cli_palette(FILE *out) { return ps_term_palette(out); }

/* Looks up a user, item or app by name for a command argument; prints an error with a
 * suggestion and returns PS_NONE when there is none. */
uint32_t ps_cli_find(const char *cmd, const ps_model *m, ps_namespace ns, const char *name);
/* Resolves a viewer argument: a user, "internet" or "app:NAME".  PS_NONE after an error. */
uint32_t ps_cli_viewer(const char *cmd, const ps_model *m, const char *name);
/* Resolves an item argument: a post or photo name, or USER.FIELD (created if needed, so
 * the model is not const).  PS_NONE after an error. */
uint32_t ps_cli_item(const char *cmd, ps_model *m, const char *name);

/* Command entry points: argv[0] is the command's name. */
int ps_cmd_check(int argc, char **argv);
int ps_cmd_baseline(int argc, char **argv);
int ps_cmd_audience(int argc, char **argv);
int ps_cmd_view_as(int argc, char **argv);
int ps_cmd_explain(int argc, char **argv);
int ps_cmd_demo(int argc, char **argv);
int ps_cmd_lint(int argc, char **argv);
int ps_cmd_fmt(int argc, char **argv);
int ps_cmd_diff(int argc, char **argv);
int ps_cmd_platforms(int argc, char **argv);
int ps_cmd_fuzz(int argc, char **argv);
int ps_cmd_viz(int argc, char **argv);
int ps_cmd_report(int argc, char **argv);
int ps_cmd_import(int argc, char **argv);
int ps_cmd_gen(int argc, char **argv);
int ps_cmd_stats(int argc, char **argv);
int ps_cmd_plan(int argc, char **argv);
int ps_cmd_harden(int argc, char **argv);
int ps_cmd_history(int argc, char **argv);

#endif
