/* cli.h - what every privsim command shares: exit codes, loading a scenario with
 * --platform, output formats, JSON strings, and the command entry points. */
#ifndef PS_CLI_H
#define PS_CLI_H

#include "model.h"

#include <stdbool.h>
#include <stdio.h>

/* Exit codes of every command (SPEC section 6). */
enum {
    PS_EXIT_OK = 0,        /* clean */
    PS_EXIT_FINDINGS = 1,  /* exposures or failed expectations */
    PS_EXIT_USAGE = 2,     /* bad usage or bad input */
    PS_EXIT_INTERNAL = 3   /* internal error (out of memory, I/O) */
};

typedef enum { PS_FMT_TEXT, PS_FMT_JSON, PS_FMT_SARIF } ps_format;

/* Parses a --format value; `allowed` is a mask of (1 << ps_format).  0, or -1 after
 * printing an error naming the command. */
int ps_cli_format(const char *cmd, const char *value, unsigned allowed, ps_format *out);

/* Reads and checks a scenario, printing its diagnostics to stderr, and replaces its platform
 * with `platform` when not NULL.  Returns PS_EXIT_OK with *out set, PS_EXIT_USAGE for bad
 * input, or PS_EXIT_INTERNAL. */
int ps_cli_load(const char *path, const char *platform, ps_model **out);

/* Prints "privsim CMD: MESSAGE" to stderr and returns PS_EXIT_USAGE. */
int ps_cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Writes `s` as a JSON string (with quotes). */
void ps_json_str(FILE *out, const char *s);
/* Writes `s` for a terminal: control characters and invalid UTF-8 escaped. */
void ps_term_str(FILE *out, const char *s);

/* Finishes standard output: flushes and reports a write error.  Returns `code`, or
 * PS_EXIT_INTERNAL when the output could not be written. */
int ps_cli_finish(int code);

/* Output to a file written atomically (atomic.h): ps_output_open() returns stdout for NULL
 * or "-", else a temporary file beside `path`; ps_output_close() syncs it and renames it into
 * place when `ok` (else removes it).  ps_output_open() returns 0, or after printing an error
 * PS_EXIT_USAGE (`path` is an input file of the command) or PS_EXIT_INTERNAL;
 * ps_output_close() returns 0, or -1 after printing an error. */
typedef struct { FILE *f; char *path; char *tmp; } ps_output;
int ps_output_open(ps_output *o, const char *path);
int ps_output_close(ps_output *o, bool ok);

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

/* ANSI colour sequences, empty when colour is off for stdout. */
typedef struct {
    const char *bold, *dim, *red, *yellow, *magenta, *cyan, *green, *reset;
} ps_palette;
ps_palette ps_cli_palette(FILE *out);

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

#endif
