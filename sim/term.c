/* term.c - colours and escaped names for a terminal (see term.h). */
#include "term.h"
#include "diag.h"

#include <string.h>

ps_palette ps_term_palette(FILE *out)
{
    ps_palette p = { "", "", "", "", "", "", "", "" };
    if (ps_diag_want_color(out)) {
        p.bold = "\033[1m";
        p.dim = "\033[2m";
        p.red = "\033[31m";
        p.yellow = "\033[33m";
        p.magenta = "\033[35m";
        p.cyan = "\033[36m";
        p.green = "\033[32m";
        p.reset = "\033[0m";
    }
    return p;
}

void ps_term_str(FILE *out, const char *s)
{
    ps_write_escaped(out, s, strlen(s), false);
}
