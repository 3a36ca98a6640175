/* lang_test.h - helpers shared by the tests of the scenario language (parse, diagnostics,
 * fmt, limits, lint golden files).  Everything is static: each test file gets its own copy.
 */
#ifndef PS_LANG_TEST_H
#define PS_LANG_TEST_H

#include "diag.h"
#include "model.h"
#include "parse.h"
#include "print.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parses `text` (named t.psim), asserting that it has no errors; the caller frees. */
static inline ps_model *parse_ok(const char *text)
{
    ps_diag d;
    ps_diag_init(&d);
    ps_model *m = NULL;
    int r = ps_parse_buffer("t.psim", text, strlen(text), &m, &d);
    if (r != 0)
        ps_diag_print(&d, stderr, false);
    ps_diag_free(&d);
    cr_assert(eq(int, r, 0), "the scenario should parse");
    cr_assert(m != NULL);
    return m;
}

/* Reads the scenario file `path`, asserting that it has no errors; the caller frees. */
static inline ps_model *parse_file_ok(const char *path)
{
    ps_diag d;
    ps_diag_init(&d);
    ps_model *m = NULL;
    int r = ps_parse_file(path, &m, &d);
    if (r != 0)
        ps_diag_print(&d, stderr, false);
    ps_diag_free(&d);
    cr_assert(r == 0 && m != NULL, "%s should read", path);
    return m;
}

/* Parses `text` of `len` bytes and returns its diagnostics as printed (no colour); *rc gets
 * what ps_parse_buffer returned.  The caller frees the text. */
static inline char *diag_text_n(const char *text, size_t len, int *rc)
{
    ps_diag d;
    ps_diag_init(&d);
    ps_model *m = NULL;
    int r = ps_parse_buffer("t.psim", text, len, &m, &d);
    if (rc)
        *rc = r;
    cr_assert(r == 0 ? m != NULL : m == NULL, "a model exactly when there is no error");
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    cr_assert(f != NULL);
    ps_diag_print(&d, f, false);
    fclose(f);
    ps_diag_free(&d);
    ps_model_free(m);
    return out;
}

static inline char *diag_text(const char *text, int *rc)
{
    return diag_text_n(text, strlen(text), rc);
}

/* The first line of s (a static buffer). */
static inline const char *first_line(const char *s)
{
    static char buf[1024];
    size_t n = strcspn(s, "\n");
    if (n >= sizeof buf)
        n = sizeof buf - 1;
    memcpy(buf, s, n);
    buf[n] = 0;
    return buf;
}

static inline uint32_t user_of(const ps_model *m, const char *name)
{
    uint32_t u = ps_model_find(m, PS_NS_USER, 0, name, strlen(name));
    cr_assert(u != PS_NONE, "user %s exists", name);
    return u;
}

static inline uint32_t item_of(const ps_model *m, const char *name)
{
    uint32_t i = ps_model_find(m, PS_NS_ITEM, 0, name, strlen(name));
    cr_assert(i != PS_NONE, "item %s exists", name);
    return i;
}

/* The terms printed as a scenario writes them ("list:work,friends"), in a static buffer. */
static inline const char *terms_text(const ps_model *m, const ps_terms *t)
{
    static char buf[4096];
    FILE *f = fmemopen(buf, sizeof buf, "w");
    ps_print_terms(f, m, t);
    fclose(f);
    return buf;
}

/* Reads a whole file into a new NUL-terminated buffer (NULL if it cannot). */
static inline char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 65536;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        size_t k = fread(buf + n, 1, cap - n - 1, f);
        n += k;
        if (k == 0)
            break;
    }
    fclose(f);
    buf[n] = 0;
    if (len)
        *len = n;
    return buf;
}

#endif
