/* diag.h - diagnostics of scenario files: gcc-style errors and warnings.
 *
 * A ps_diag collects the errors and warnings found in one or more files and prints them as
 *
 *     FILE:LINE:COL: error: MESSAGE
 *         source line
 *                ^
 *
 * sorted by file position.  While a file is being read, the reader lends the diag its text
 * (ps_diag_set_source); each diagnostic then copies the part of the source line it points
 * into, so the text may be freed before the diagnostics are printed.  Everything that comes
 * from a file (messages, source lines) is escaped when printed: control characters,
 * invalid UTF-8 and bidirectional overrides never reach the terminal raw.
 *
 * Ownership: the caller owns the ps_diag struct (ps_diag_init / ps_diag_free); the diag owns
 * its entries.
 */
#ifndef PS_DIAG_H
#define PS_DIAG_H

#include "model.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Errors kept per ps_diag; reaching it tells the reader to stop (ps_diag_full). */
#define PS_DIAG_MAX_ERRORS   50
/* Warnings kept per ps_diag; further ones are counted, not kept. */
#define PS_DIAG_MAX_WARNINGS 50

#if defined(__GNUC__)
#define PS_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PS_PRINTF(f, a)
#endif

typedef enum { PS_DIAG_ERROR, PS_DIAG_WARNING } ps_diag_level;

/* One diagnostic. */
typedef struct {
    uint8_t level;         /* ps_diag_level */
    ps_loc loc;            /* line 0: about the whole file; col 0: about the whole line */
    uint32_t seq;          /* order of arrival, to keep the sort stable */
    char *path;            /* file name (owned) */
    char *msg;             /* message, raw (owned; escaped when printed) */
    char *src;             /* the source line, or a window of it around the column (owned,
                            * NULL when there is none) */
    uint32_t src_col;      /* the column of `loc` within `src`, 1-based (0: no caret) */
    bool src_cut_left;     /* `src` starts after the beginning of the line */
    bool src_cut_right;    /* `src` ends before the end of the line */
} ps_diag_entry;

typedef struct ps_diag {
    ps_diag_entry *v;      /* kept diagnostics (owned) */
    uint32_t n, cap;
    uint32_t nerrors;      /* errors reported, kept or not */
    uint32_t nwarnings;    /* warnings reported, kept or not */
    uint32_t max_errors;   /* PS_DIAG_MAX_ERRORS unless changed after ps_diag_init */
    char *path;            /* file being read (owned), or NULL */
    const char *src;       /* its text (borrowed, only while it is being read) */
    size_t srclen;
    uint32_t hint_line;    /* a line whose start is known, to find source lines quickly */
    size_t hint_off;
    bool oom;              /* memory ran out (reading a file, or keeping a diagnostic) */
    bool lost;             /* a diagnostic was lost for want of memory */
} ps_diag;

/* Initializes an empty collector. */
void ps_diag_init(ps_diag *d);
/* Frees every diagnostic; `d` may be initialized again.  Accepts NULL. */
void ps_diag_free(ps_diag *d);

/* Names the file that the following diagnostics are about and lends its text (`src`,
 * `len` bytes, may be NULL) until the next call; ps_diag_set_source(d, NULL, NULL, 0) ends
 * the loan.  Returns 0, or -1 out of memory. */
int ps_diag_set_source(ps_diag *d, const char *path, const char *src, size_t len);
/* Tells the collector that line `line` of the current source starts at byte `off`
 * (an optimization: the scanner calls it as it goes, so finding a line is cheap). */
void ps_diag_line_hint(ps_diag *d, uint32_t line, size_t off);

/* Reports an error or a warning at `loc` of the current file (printf-style message). */
void ps_diag_error(ps_diag *d, ps_loc loc, const char *fmt, ...) PS_PRINTF(3, 4);
void ps_diag_warning(ps_diag *d, ps_loc loc, const char *fmt, ...) PS_PRINTF(3, 4);
void ps_diag_vreport(ps_diag *d, ps_diag_level level, ps_loc loc, const char *fmt,
                     va_list ap) PS_PRINTF(4, 0);

/* Errors and warnings reported so far (including those beyond the limits). */
uint32_t ps_diag_nerrors(const ps_diag *d);
uint32_t ps_diag_nwarnings(const ps_diag *d);
/* True when the error limit is reached: the reader should stop. */
bool ps_diag_full(const ps_diag *d);

/* Prints every kept diagnostic, sorted by file and position, then a line for the errors
 * and warnings beyond the limits.  ANSI colours only when `color`. */
void ps_diag_print(const ps_diag *d, FILE *out, bool color);
/* Orders the kept diagnostics by position (file, line, column, then order of arrival), as
 * ps_diag_print() prints them: for writers that walk d->v themselves. */
void ps_diag_sort(ps_diag *d);
/* Prints one diagnostic (used by ps_diag_print and by the JSON writer's callers). */
void ps_diag_print_entry(const ps_diag_entry *e, FILE *out, bool color);

/* Writes `len` bytes of `s` to `out` with everything unsafe for a terminal escaped:
 * C0 controls and DEL as \xNN (tab as \t unless `keep_tab`), C1 controls and the
 * bidirectional controls as \uNNNN, invalid UTF-8 bytes as \xNN.  Returns the number of
 * columns written (a tab counts as 1). */
size_t ps_write_escaped(FILE *out, const char *s, size_t len, bool keep_tab);

/* True when diagnostics on `out` should be coloured: it is a terminal and NO_COLOR is
 * unset or empty. */
bool ps_diag_want_color(FILE *out);

#endif
