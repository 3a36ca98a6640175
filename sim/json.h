/* json.h - a small streaming JSON writer: every JSON document privsim writes goes through it.
 *
 * The writer keeps only a stack of "is this the first member?" flags, so a document of any
 * size streams straight to its FILE.  Commas, colons and the quoting of keys are its job;
 * the caller says what comes next (ps_json_key() before each member of an object).  Strings
 * are written as valid JSON whatever their bytes: control characters become \uXXXX and bytes
 * that are not valid UTF-8 become U+FFFD, so a name from a scenario can never break a document.
 *
 * Every document carries "schema": "privsim.<kind>/<version>" (ps_json_schema()); the
 * schemas live in schemas/ and the README documents them.
 *
 * Ownership: the writer borrows its FILE and every string it is given; it allocates nothing.
 */
#ifndef PS_JSON_H
#define PS_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PS_JSON_MAX_DEPTH 64

typedef struct {
    FILE *out;
    uint32_t depth;                  /* open containers */
    uint32_t lines_at;               /* arrays at this depth put each element on a line */
    bool after_key;                  /* a key was written: the value needs no comma */
    bool first[PS_JSON_MAX_DEPTH];   /* no member written yet at this depth */
} ps_json;

/* Starts a document on `out`, whose lock the writer holds until ps_json_finish() (so that it
 * can write a character at a time cheaply).  Elements of arrays at depth `lines_at` (1 = the top level's
 * members' arrays, 0 = never) each start on a new line, which keeps long documents readable
 * line by line; everything else is compact. */
void ps_json_init(ps_json *j, FILE *out, uint32_t lines_at);
/* Ends the document with a newline (every container must be closed) and releases the
 * stream's lock. */
void ps_json_finish(ps_json *j);
/* The same without the newline: for a value spliced into a document written around it. */
void ps_json_finish_value(ps_json *j);

void ps_json_object(ps_json *j);
void ps_json_object_end(ps_json *j);
void ps_json_array(ps_json *j);
void ps_json_array_end(ps_json *j);
/* The key of the next member of the current object. */
void ps_json_key(ps_json *j, const char *key);

/* Values.  ps_json_string(NULL) writes null. */
void ps_json_string(ps_json *j, const char *s);
void ps_json_string_n(ps_json *j, const char *s, size_t n);
void ps_json_uint(ps_json *j, uint64_t v);
void ps_json_int(ps_json *j, int64_t v);
/* A finite number, printed exactly enough to read back; NaN and infinities write null. */
void ps_json_double(ps_json *j, double v);
void ps_json_bool(ps_json *j, bool v);
void ps_json_null(ps_json *j);

/* Members: a key and its value in one call. */
void ps_json_kstr(ps_json *j, const char *key, const char *s);
void ps_json_kuint(ps_json *j, const char *key, uint64_t v);
void ps_json_kbool(ps_json *j, const char *key, bool v);
void ps_json_kobject(ps_json *j, const char *key);
void ps_json_karray(ps_json *j, const char *key);

/* The "schema" member ("privsim.KIND/VERSION") and the "privsim" member (the version of
 * the program that wrote it); call first in a document's top-level object. */
void ps_json_schema(ps_json *j, const char *kind, unsigned version);

/* Writes `s` (NUL-terminated; NULL = "") as a quoted JSON string on `out`, escaped as
 * above.  For writers that are not documents (a JSON string inside HTML, say). */
void ps_json_str(FILE *out, const char *s);
/* The same for `n` bytes that may hold NULs (written as \u0000). */
void ps_json_str_n(FILE *out, const char *s, size_t n);

#endif
