/* json_read.h - a small JSON reader for the files privsim reads back (baselines): the whole
 * text becomes a tree of values.  Strict RFC 8259 (no comments, no trailing commas), nesting
 * at most 64 deep, strings decoded to UTF-8 (\u escapes and surrogate pairs included).
 *
 * Ownership: ps_jv_parse() fills a tree that the caller frees with ps_jv_free(); strings and
 * children belong to the tree.
 */
#ifndef PS_JSON_READ_H
#define PS_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { PS_JV_NULL, PS_JV_BOOL, PS_JV_NUMBER, PS_JV_STRING, PS_JV_ARRAY, PS_JV_OBJECT } ps_jv_type;

typedef struct ps_jv {
    uint8_t type;          /* ps_jv_type */
    bool b;                /* BOOL */
    double num;            /* NUMBER */
    char *str;             /* STRING (NUL-terminated; may hold NULs from \u0000) */
    char *key;             /* the member's key when the value is in an object, else NULL */
    struct ps_jv *v;       /* ARRAY, OBJECT: the elements or members, in order */
    uint32_t n;
} ps_jv;

/* Parses `len` bytes.  0 with *out filled; -1 with a message and the 1-based line and column
 * of the problem in err/line/col; -2 out of memory. */
int ps_jv_parse(const char *text, size_t len, ps_jv *out, char *err, size_t errlen,
                uint32_t *line, uint32_t *col);
void ps_jv_free(ps_jv *v);
/* The member `key` of an object, or NULL. */
const ps_jv *ps_jv_get(const ps_jv *obj, const char *key);
/* The string member `key` of an object, or NULL when it is missing or not a string. */
const char *ps_jv_str(const ps_jv *obj, const char *key);

#endif
