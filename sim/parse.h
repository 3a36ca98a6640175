/* parse.h - reading a .psim scenario into a ps_model.
 *
 * The whole language of SPEC section 1 (and its extensions documented in the README's
 * language reference): statements in any order, names resolved after every declaration has
 * been seen, every error reported with its position, nothing returned from a file with
 * errors.  The limits below turn hostile or broken input into errors, never into crashes or
 * unbounded memory.
 */
#ifndef PS_PARSE_H
#define PS_PARSE_H

#include "diag.h"
#include "model.h"
#include "scan.h"   /* PS_MAX_LINE, PS_MAX_NAME */

#include <stddef.h>

/* Largest scenario file, in bytes (1 GiB). */
#define PS_MAX_FILE     ((size_t)1 << 30)
/* Most users in one scenario. */
#define PS_MAX_USERS    (1u << 24)
/* Most items (posts, photos and profile fields) in one scenario. */
#define PS_MAX_ITEMS    (1u << 24)
/* Most lists, networks, groups, personas or apps (each) in one scenario. */
#define PS_MAX_OBJECTS  (1u << 24)
/* Most timeline steps. */
#define PS_MAX_STEPS    (1u << 24)
/* Most expect lines. */
#define PS_MAX_EXPECTS  (1u << 24)
/* Most terms in one audience (audience=, hide=, forbid=, a default audience). */
#define PS_MAX_TERMS    64
/* Most users tagged on one item. */
#define PS_MAX_TAGS     1024
/* Most vary lines, and most alternatives on one vary line. */
#define PS_MAX_VARIES   1024
#define PS_MAX_ALTS     64

/**
 * Reads a scenario from memory.
 *
 * @param path  the file name used in diagnostics and stored in the model (may be NULL)
 * @param buf   the text; it need not be NUL-terminated and is not kept
 * @param len   its length in bytes
 * @param out   [out] the model, the caller's to free with ps_model_free(); NULL on error
 * @param d     where errors and warnings go
 * @return 0 (warnings alone do not fail), or -1 when the text has errors or memory ran out
 */
int ps_parse_buffer(const char *path, const char *buf, size_t len, ps_model **out, ps_diag *d);

/**
 * Reads a scenario file (or standard input when `path` is "-"), as ps_parse_buffer.  A file
 * that cannot be read becomes a diagnostic `FILE: error: ...`.
 */
int ps_parse_file(const char *path, ps_model **out, ps_diag *d);

/**
 * Reads a whole file (standard input for "-") into a new buffer, up to PS_MAX_FILE bytes.
 *
 * @param out    [out] the bytes, NUL-terminated, the caller's to free(); NULL on error
 * @param outlen [out] their number
 * @return 0, or -1 after reporting the problem to `d`
 */
int ps_read_file(const char *path, char **out, size_t *outlen, ps_diag *d);

/* The name of a file in diagnostics: `path`, or "<stdin>" for "-". */
const char *ps_display_path(const char *path);

#endif
