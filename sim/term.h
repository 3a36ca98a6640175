/* term.h - text for a terminal: colours (off in a pipe and under NO_COLOR) and names
 * escaped so that a scenario's bytes can never drive the terminal.  Used by the commands,
 * the fuzzer's summaries and the reports alike. */
#ifndef PS_TERM_H
#define PS_TERM_H

#include <stdio.h>

/* ANSI colour sequences, empty when colour is off for `out`. */
typedef struct {
    const char *bold, *dim, *red, *yellow, *magenta, *cyan, *green, *reset;
} ps_palette;
ps_palette ps_term_palette(FILE *out);

/* Writes `s` for a terminal: control characters and invalid UTF-8 escaped. */
void ps_term_str(FILE *out, const char *s);

#endif
