/* fmt_comments.h - the canonical form of a scenario with its comments kept.
 *
 * The rule: the comment block at the top of the file stays at the top as written (up to
 * its last blank line; comment lines right above the first statement go with it); a comment
 * beside a statement stays beside that statement; the comment lines above a statement stay
 * above it, wherever the canonical form moves it; comments after the last statement stay at
 * the end.  When several statements merge into one canonical line (user lines, friendships),
 * their comments gather above or beside that line, in file order.  Formatting the result
 * again changes nothing.
 */
#ifndef PS_FMT_COMMENTS_H
#define PS_FMT_COMMENTS_H

#include "diag.h"

#include <stddef.h>
#include <stdio.h>

/* Writes the canonical form of the scenario in buf (`len` bytes, named `path` in
 * diagnostics) with its comments to `out`.  0; -1 with the errors in `d` (nothing written);
 * -2 out of memory. */
int ps_fmt_with_comments(const char *path, const char *buf, size_t len, FILE *out, ps_diag *d);

#endif
