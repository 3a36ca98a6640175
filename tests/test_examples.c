/* test_examples.c - the examples mean what they say: in corpus/examples/, an `expect` line
 * whose comment starts with "fails" must fail, and every other one must hold. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "parse.h"

/* The text of line `line` (1-based) of buf, into out. */
static void line_of(const char *buf, uint32_t line, char *out, size_t cap)
{
    const char *p = buf;
    for (uint32_t i = 1; i < line && p; i++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    size_t n = 0;
    while (p && p[n] && p[n] != '\n' && n + 1 < cap) {
        out[n] = p[n];
        n++;
    }
    out[n] = 0;
}

Test(examples, expect_lines_hold_unless_marked_fails)
{
    DIR *d = opendir("corpus/examples");
    cr_assert(d, "corpus/examples not found (run from the repository root)");
    struct dirent *de;
    int files = 0, expects = 0, failing = 0;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".psim") != 0)
            continue;
        char path[512];
        snprintf(path, sizeof path, "corpus/examples/%s", de->d_name);
        ps_diag diag;
        ps_diag_init(&diag);
        char *buf;
        size_t blen;
        cr_assert(ps_read_file(path, &buf, &blen, &diag) == 0);
        ps_model *m = NULL;
        cr_assert(ps_parse_buffer(path, buf, blen, &m, &diag) == 0, "%s does not parse", path);
        ps_diag_free(&diag);
        ps_report *r;
        ps_check_opts o = { .fixes = false };
        cr_assert(ps_check(m, &o, &r) == 0);
        for (uint32_t i = 0; i < r->nexpects; i++) {
            const ps_expect *e = &m->expects[r->expects[i].expect];
            char text[1024];
            line_of(buf, e->loc.line, text, sizeof text);
            const char *hash = strchr(text, '#');
            bool marked = hash && strncmp(hash + 1 + strspn(hash + 1, " "), "fails", 5) == 0;
            cr_expect_eq(r->expects[i].held, !marked, "%s:%u: `%s` %s", path,
                         (unsigned)e->loc.line, text, r->expects[i].held ? "holds" : "fails");
            expects++;
            failing += marked;
        }
        ps_report_free(r);
        ps_model_free(m);
        free(buf);
        files++;
    }
    closedir(d);
    cr_assert_geq(files, 7, "at least seven examples");
    cr_assert_gt(expects, 20);
    cr_assert_gt(failing, 0);
}
