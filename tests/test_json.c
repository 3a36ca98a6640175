/* test_json.c - the JSON writer: structure, escaping of any bytes, numbers; and the SARIF
 * writer's URIs. */
#include "json.h"
#include "sarif.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

/* Runs `fn` on a writer over a memory stream; returns what it wrote (the caller frees). */
static char *write_json(void (*fn)(ps_json *j), uint32_t lines_at)
{
    char *out = NULL;
    size_t n;
    FILE *f = open_memstream(&out, &n);
    ps_json j;
    ps_json_init(&j, f, lines_at);
    fn(&j);
    fclose(f);
    return out;
}

static void nested(ps_json *j)
{
    ps_json_object(j);
    ps_json_schema(j, "test", 3);
    ps_json_karray(j, "a");
    ps_json_uint(j, 1);
    ps_json_int(j, -2);
    ps_json_object(j);
    ps_json_object_end(j);
    ps_json_array(j);
    ps_json_array_end(j);
    ps_json_null(j);
    ps_json_array_end(j);
    ps_json_kbool(j, "b", false);
    ps_json_key(j, "d");
    ps_json_double(j, 0.5);
    ps_json_key(j, "big");
    ps_json_double(j, 1e300 * 1e300);
    ps_json_kstr(j, "n", NULL);
    ps_json_object_end(j);
    ps_json_finish(j);
}

Test(json, commas_keys_and_nesting)
{
    char *s = write_json(nested, 0);
    cr_assert(eq(str, s, "{\"schema\":\"privsim.test/3\",\"privsim\":\"0.1.0\",\"a\":[1,-2,{},[],"
                         "null],\"b\":false,\"d\":0.5,\"big\":null,\"n\":null}\n"));
    free(s);
}

Test(json, one_line_per_element_when_asked)
{
    char *s = write_json(nested, 1);
    cr_assert(strstr(s, "\"a\":[\n1,\n-2,\n{},\n[],\nnull]") != NULL, "%s", s);
    free(s);
}

static void awkward(ps_json *j)
{
    static const char bytes[] = "q\"b\\n\n\t\x01\x7f" "caf\xc3\xa9" "\xff" "\xc3" "(" "\xed\xa0\x80"
                                "\xf0\x9f\x98\x80" "\xe2\x80\xae";
    ps_json_array(j);
    ps_json_string(j, bytes);
    ps_json_string_n(j, "a\0b", 3);
    ps_json_array_end(j);
}

Test(json, escapes_controls_and_replaces_invalid_utf8)
{
    char *s = write_json(awkward, 0);
    cr_assert(eq(str, s, "[\"q\\\"b\\\\n\\n\\t\\u0001\\u007fcaf\xc3\xa9\\ufffd\\ufffd(\\ufffd\\ufffd"
                         "\\ufffd\xf0\x9f\x98\x80\xe2\x80\xae\",\"a\\u0000b\"]"));
    free(s);
}

Test(sarif, uris_relative_to_the_base_and_encoded)
{
    char buf[512];
    bool rel;
    cr_assert(eq(str, (char *)ps_sarif_uri("/repo", "/repo/models/a b#1.psim", buf, sizeof buf, &rel),
                 "models/a%20b%231.psim"));
    cr_assert(rel == true);
    cr_assert(eq(str, (char *)ps_sarif_uri("/repo", "/elsewhere/x.psim", buf, sizeof buf, &rel),
                 "file:///elsewhere/x.psim"));
    cr_assert(not(rel));
    cr_assert(eq(str, (char *)ps_sarif_uri("/repo", "/repo/sub/../y%.psim", buf, sizeof buf, &rel),
                 "y%25.psim"));
    cr_assert(eq(str, (char *)ps_sarif_uri("/repo", "/repository/z.psim", buf, sizeof buf, &rel),
                 "file:///repository/z.psim"), "a sibling with the same prefix is outside");
    cr_assert(eq(str, (char *)ps_sarif_relpath("/repo", "/repo/a b.psim", buf, sizeof buf, &rel),
                 "a b.psim"));
}
