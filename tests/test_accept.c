/* test_accept.c - `accept VIEWER ITEM "reason"`: read, printed back, matched against the
 * exposures of a check; and baselines: written, read back, matched by fingerprint. */
#include "accept.h"
#include "baseline.h"
#include "lang_test.h"

#include <unistd.h>

static const char scenario[] =
    "platform facebook-2011\n"
    "rule reshare = visible\n"
    "user al bob cat\n"
    "friends al bob\n"
    "friends bob cat\n"
    "post p by=al audience=friends\n"
    "do bob share p audience=friends\n"
    "accept cat p \"bob may show it to his \\\"friends\\\"\"\n"
    "accept internet p \"never happens\"\n";

Test(accept, read_and_printed_back)
{
    ps_model *m = parse_ok(scenario);
    cr_assert(eq(u32, m->naccepts, 2));
    cr_assert(eq(str, m->accepts[0].reason, "bob may show it to his \"friends\""));
    cr_assert(eq(u32, m->accepts[0].loc.line, 8));
    cr_assert(eq(u32, m->accepts[1].viewer_kind, PS_VIEWER_INTERNET));
    char *out = NULL;
    size_t n;
    FILE *f = open_memstream(&out, &n);
    cr_assert(eq(int, ps_print_scenario(f, m), 0));
    fclose(f);
    cr_assert(strstr(out, "\naccept cat      p \"bob may show it to his \\\"friends\\\"\"\n") ||
              strstr(out, "\naccept cat p \"bob may show it to his \\\"friends\\\"\"\n"), "%s", out);
    ps_model *m2 = parse_ok(out);
    char why[256];
    cr_assert(ps_model_equal(m, m2, why, sizeof why), "%s", why);
    ps_model *c = ps_model_clone(m);
    cr_assert(ps_model_equal(m, c, why, sizeof why), "a clone keeps the accept lines: %s", why);
    ps_model_free(c);
    ps_model_free(m2);
    ps_model_free(m);
    free(out);
}

Test(accept, errors_point_at_the_token)
{
    int rc;
    char *d = diag_text("user al\npost p by=al\naccept al p\n", &rc);
    cr_assert(strstr(d, "t.psim:3:12: error: expected the reason, a quoted string") != NULL, "%s", d);
    free(d);
    d = diag_text("user al\npost p by=al\naccept zed p \"x\"\n", &rc);
    cr_assert(strstr(d, "t.psim:3:8: error: unknown user 'zed'") != NULL, "%s", d);
    free(d);
}

Test(accept, matches_exposures_and_finds_the_unused)
{
    ps_model *m = parse_ok(scenario);
    ps_check_opts co = { .fixes = false };
    ps_report *r;
    cr_assert(eq(int, ps_check(m, &co, &r), 0));
    cr_assert(r->nexposures >= 1);
    uint32_t *of = malloc(r->nexposures * sizeof *of);
    bool used[2];
    uint32_t n = ps_accept_match(m, r, of, used);
    cr_assert(eq(u32, n, 1), "cat seeing p is accepted");
    cr_assert(used[0] == true);
    cr_assert(used[1] == false, "the internet never sees p: the line allows nothing");
    for (uint32_t i = 0; i < r->nexposures; i++) {
        char v[64];
        bool is_cat = strcmp(ps_viewer_name(m, r->exposures[i].viewer, v, sizeof v), "cat") == 0;
        cr_assert(eq(u32, of[i], is_cat ? 0u : PS_NONE));
    }
    free(of);
    ps_report_free(r);
    ps_model_free(m);
}

Test(baseline, written_read_and_matched)
{
    ps_model *m = parse_ok(scenario);
    ps_check_opts co = { .fixes = false };
    ps_report *r;
    cr_assert(eq(int, ps_check(m, &co, &r), 0));
    char path[] = "/tmp/psim-baseline-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    ps_json j;
    ps_baseline_json_begin(&j, f);
    ps_baseline_json_add(&j, "./models/t.psim", m, r);
    ps_baseline_json_end(&j);
    fclose(f);
    ps_baseline b;
    cr_assert(eq(int, ps_baseline_load(path, &b), 0));
    cr_assert(eq(sz, b.n, (size_t)r->nexposures));
    cr_assert(eq(str, b.v[0].file, "models/t.psim"), "the leading ./ is dropped");
    bool *known = calloc(r->nexposures, sizeof *known);
    cr_assert(eq(u32, ps_baseline_match(&b, "models/t.psim", m, r, known), r->nexposures));
    ps_baseline_free(&b);
    /* another file of the same name elsewhere is not the same scenario */
    cr_assert(eq(int, ps_baseline_load(path, &b), 0));
    cr_assert(eq(u32, ps_baseline_match(&b, "other/t.psim", m, r, known), 0));
    ps_baseline_free(&b);
    free(known);
    /* not a baseline */
    f = fopen(path, "w");
    fputs("{\"schema\":\"privsim.check/1\",\"exposures\":[]}", f);
    fclose(f);
    cr_assert(eq(int, ps_baseline_load(path, &b), -1));
    f = fopen(path, "w");
    fputs("{\"schema\":\"privsim.baseline/1\",\n\"exposures\":[1,]}", f);
    fclose(f);
    cr_assert(eq(int, ps_baseline_load(path, &b), -1), "a trailing comma is an error");
    unlink(path);
    ps_report_free(r);
    ps_model_free(m);
}

Test(baseline, fingerprints_survive_renaming_unrelated_names_and_moving_lines)
{
    static const char moved[] =
        "user bob cat al\n"
        "user zoe\n"
        "friends bob cat\n"
        "post other by=zoe audience=public\n"
        "friends al bob\n"
        "post p by=al audience=friends\n"
        "rule reshare = visible\n"
        "platform facebook-2011\n"
        "do bob share p audience=friends\n";
    ps_model *a = parse_ok(scenario), *b = parse_ok(moved);
    ps_check_opts co = { .fixes = false };
    ps_report *ra, *rb;
    cr_assert(eq(int, ps_check(a, &co, &ra), 0));
    cr_assert(eq(int, ps_check(b, &co, &rb), 0));
    char fa[1024], fb[1024];
    for (uint32_t i = 0; i < ra->nexposures; i++) {
        ps_exposure_fingerprint(a, &ra->exposures[i], fa, sizeof fa);
        bool found = false;
        for (uint32_t k = 0; k < rb->nexposures && !found; k++)
            found = strcmp(fa, ps_exposure_fingerprint(b, &rb->exposures[k], fb, sizeof fb)) == 0;
        cr_assert(found, "%s is also in the rearranged scenario", fa);
    }
    ps_report_free(ra);
    ps_report_free(rb);
    ps_model_free(a);
    ps_model_free(b);
}
