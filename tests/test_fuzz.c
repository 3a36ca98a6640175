/* test_fuzz.c - the policy fuzzer: it finds the leaks planted in corpus/fuzz/, with every
 * strategy; it finds the tag and app leaks of the Al story in few changes; its findings are
 * scenarios that check turns into the same exposure; the same seed gives the same bytes.
 *
 * Each scenario of corpus/fuzz/ states what the fuzzer must find in comment lines:
 *
 *     # expect-finding: ITEM VIEWER "SHAPE" changes=N
 *
 * a finding whose leak path has shape SHAPE, minimized to exactly N changes, whose point
 * (written out as a scenario) makes check report VIEWER seeing ITEM by a path of that shape.
 */
#include <criterion/criterion.h>

#include "engine.h"
#include "fuzzer.h"
#include "parse.h"
#include "print.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define AL "corpus/examples/al-the-accountant.psim"

static ps_model *load(const char *path)
{
    ps_diag d;
    ps_diag_init(&d);
    ps_model *m = NULL;
    int rc = ps_parse_file(path, &m, &d);
    if (rc)
        ps_diag_print(&d, stderr, false);
    ps_diag_free(&d);
    cr_assert(rc == 0 && m, "%s does not read", path);
    return m;
}

typedef struct {
    ps_model *m;
    ps_space *s;
    ps_fuzz_result *r;
} run;

static run fuzz(const char *path, const ps_space_opts *so, ps_strategy strat, uint64_t seed,
                uint64_t max_points)
{
    run x = { load(path), NULL, NULL };
    char err[256];
    cr_assert(ps_space_build(x.m, so, &x.s, err, sizeof err) == 0, "%s: %s", path, err);
    ps_fuzz_opts fo = { .strategy = strat, .seed = seed, .max_points = max_points };
    int rc = ps_fuzz_run(x.m, x.s, &fo, &x.r, err, sizeof err);
    cr_assert(rc == 0, "%s: ps_fuzz_run: %d %s", path, rc, err);
    return x;
}

static void run_free(run *x)
{
    ps_fuzz_result_free(x->r);
    ps_space_free(x->s);
    ps_model_free(x->m);
}

static const ps_finding *by_shape(const run *x, const char *shape)
{
    for (uint32_t i = 0; i < x->r->nfindings; i++)
        if (strcmp(x->r->findings[i].shape_text, shape) == 0)
            return &x->r->findings[i];
    return NULL;
}

/* Whether check of the finding's point shows `viewer` seeing `item` by a path of `shape`. */
static bool check_shows(const run *x, const ps_finding *f, const char *item, const char *viewer,
                        const char *shape)
{
    ps_model *pm = ps_space_point_model(x->s, f->point);
    cr_assert(pm);
    ps_check_opts co = { .fixes = false };
    ps_report *r;
    cr_assert(ps_check(pm, &co, &r) == 0);
    bool found = false;
    char buf[128], sh[256];
    for (uint32_t i = 0; i < r->nexposures && !found; i++) {
        const ps_exposure *e = &r->exposures[i];
        found = strcmp(pm->items[e->item].name, item) == 0 &&
                strcmp(ps_viewer_name(pm, e->viewer, buf, sizeof buf), viewer) == 0 &&
                strcmp(ps_path_shape_text(&e->path, sh, sizeof sh), shape) == 0;
    }
    ps_report_free(r);
    ps_model_free(pm);
    return found;
}

/* ---------------------------------------------------------------------------------------
 * The planted leaks of corpus/fuzz/
 * ------------------------------------------------------------------------------------- */

typedef struct {
    char item[64], viewer[64], shape[256];
    unsigned changes;
} expectation;

static unsigned read_expectations(const char *path, expectation *out, unsigned cap)
{
    FILE *f = fopen(path, "r");
    cr_assert(f, "cannot open %s", path);
    char line[1024];
    unsigned n = 0;
    while (fgets(line, sizeof line, f) && n < cap) {
        const char *p = strstr(line, "# expect-finding:");
        if (!p)
            continue;
        expectation *e = &out[n];
        int got = sscanf(p, "# expect-finding: %63s %63s \"%255[^\"]\" changes=%u", e->item,
                         e->viewer, e->shape, &e->changes);
        cr_assert(got == 4, "%s: bad expect-finding line: %s", path, line);
        n++;
    }
    fclose(f);
    return n;
}

static void planted(ps_strategy strat)
{
    DIR *d = opendir("corpus/fuzz");
    cr_assert(d, "corpus/fuzz is missing");
    struct dirent *de;
    unsigned scenarios = 0, two = 0;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".psim"))
            continue;
        char path[512];
        snprintf(path, sizeof path, "corpus/fuzz/%s", de->d_name);
        expectation ex[8];
        unsigned n = read_expectations(path, ex, 8);
        cr_assert(n > 0, "%s says nothing about what the fuzzer must find", path);
        ps_space_opts so = { .safest = true };
        run x = fuzz(path, &so, strat, 7, 0);
        for (unsigned k = 0; k < n; k++) {
            const ps_finding *f = by_shape(&x, ex[k].shape);
            cr_expect(f, "%s (%s): no finding of shape %s", path, ps_strategy_name(strat),
                      ex[k].shape);
            if (!f)
                continue;
            cr_expect(f->nchanges == ex[k].changes, "%s: %s needs %u changes, not %u", path,
                      ex[k].shape, (unsigned)f->nchanges, ex[k].changes);
            cr_expect(!f->as_written, "%s: %s is already in the scenario as written", path,
                      ex[k].shape);
            cr_expect(f->verified);
            cr_expect(check_shows(&x, f, ex[k].item, ex[k].viewer, ex[k].shape),
                      "%s: check of the finding does not show %s seeing %s by %s", path,
                      ex[k].viewer, ex[k].item, ex[k].shape);
            two += ex[k].changes >= 2;
        }
        run_free(&x);
        scenarios++;
    }
    closedir(d);
    cr_assert(scenarios >= 5, "corpus/fuzz holds %u scenarios, fewer than five", scenarios);
    cr_assert(two >= 1, "no planted leak needs two changes at once");
}

Test(fuzz, finds_planted_leaks_exhaustive) { planted(PS_STRAT_EXHAUSTIVE); }
Test(fuzz, finds_planted_leaks_random) { planted(PS_STRAT_RANDOM); }
Test(fuzz, finds_planted_leaks_guided) { planted(PS_STRAT_GUIDED); }

/* ---------------------------------------------------------------------------------------
 * The Al story
 * ------------------------------------------------------------------------------------- */

static const char *al_users[] = { "al" };

static run al_exhaustive(bool safest)
{
    ps_space_opts so = { .vary_user = al_users, .nvary_user = 1, .vary_others = al_users,
                         .nvary_others = 1, .safest = safest };
    return fuzz(AL, &so, PS_STRAT_EXHAUSTIVE, 1, 0);
}

Test(fuzz, al_story_tag_and_app_leaks, .timeout = 120)
{
    run x = al_exhaustive(true);
    cr_expect(x.r->complete, "the exhaustive search did not cover the space");

    const ps_finding *tag = by_shape(&x, "owner > tag(friend)");
    cr_assert(tag, "no tag leak");
    cr_expect(strcmp(x.m->items[tag->item].name, "ph1") == 0);
    cr_expect(tag->nchanges >= 1 && tag->nchanges <= 2, "the tag leak needs %u changes",
              (unsigned)tag->nchanges);
    cr_expect(tag->severity == PS_SEV_FORBIDDEN);
    /* the change it names is Al's own tag review */
    bool review = false;
    for (uint32_t k = 0; k < tag->nchanges; k++)
        review |= x.s->dims[tag->changes[k]].kind == PS_DIM_TAG_REVIEW;
    cr_expect(review, "the tag leak does not name al's tag review");

    const ps_finding *app = by_shape(&x, "owner > audience(friends) > app");
    cr_assert(app, "no app leak");
    cr_expect(strcmp(x.m->items[app->item].name, "al.birthday") == 0);
    cr_expect(app->nchanges >= 1 && app->nchanges <= 2, "the app leak needs %u changes",
              (unsigned)app->nchanges);
    char buf[64];
    cr_expect(strcmp(ps_viewer_name(x.m, app->viewer, buf, sizeof buf), "app:quiz") == 0);
    run_free(&x);
}

Test(fuzz, written_baseline_findings_are_new, .timeout = 120)
{
    run x = al_exhaustive(false);
    cr_assert(x.r->nfindings > 0);
    for (uint32_t i = 0; i < x.r->nfindings; i++)
        cr_expect(!x.r->findings[i].as_written, "finding %u is in the scenario as written",
                  (unsigned)i + 1);
    run_free(&x);
}

/* Every finding file reads back and check shows its exposure. */
Test(fuzz, finding_files_reproduce, .timeout = 120)
{
    run x = al_exhaustive(true);
    ps_fuzz_summary sum = { .scenario = AL, .strategy = PS_STRAT_EXHAUSTIVE, .seed = 1,
                            .safest = true };
    for (uint32_t i = 0; i < x.r->nfindings; i++) {
        const ps_finding *f = &x.r->findings[i];
        char *text = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&text, &len);
        cr_assert(out);
        cr_assert(ps_fuzz_write_finding(out, x.m, x.s, x.r, i, &sum) == 0);
        fclose(out);
        cr_expect(strncmp(text, "# privsim fuzz: finding", 23) == 0);
        ps_diag d;
        ps_diag_init(&d);
        ps_model *fm = NULL;
        cr_assert(ps_parse_buffer("finding.psim", text, len, &fm, &d) == 0,
                  "finding %u does not read back", (unsigned)i + 1);
        ps_diag_free(&d);
        ps_check_opts co = { .fixes = false };
        ps_report *r;
        cr_assert(ps_check(fm, &co, &r) == 0);
        bool found = false;
        for (uint32_t k = 0; k < r->nexposures && !found; k++)
            found = strcmp(fm->items[r->exposures[k].item].name, x.m->items[f->item].name) == 0 &&
                    r->exposures[k].viewer == f->viewer &&
                    ps_path_shape(&r->exposures[k].path) == f->shape;
        cr_expect(found, "check of finding %u does not show its exposure", (unsigned)i + 1);
        ps_report_free(r);
        ps_model_free(fm);
        free(text);
    }
    run_free(&x);
}

/* ---------------------------------------------------------------------------------------
 * Determinism
 * ------------------------------------------------------------------------------------- */

static char *everything(ps_strategy strat, uint64_t seed)
{
    ps_space_opts so = { .vary_user = al_users, .nvary_user = 1, .vary_others = al_users,
                         .nvary_others = 1, .vary_rules = true, .safest = true };
    run x = fuzz(AL, &so, strat, seed, 20000);
    ps_fuzz_summary sum = { .scenario = AL, .out_dir = "out", .strategy = strat, .seed = seed,
                            .safest = true };
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    cr_assert(out);
    ps_fuzz_print_json(out, x.m, x.s, x.r, &sum);
    for (uint32_t i = 0; i < x.r->nfindings; i++)
        cr_assert(ps_fuzz_write_finding(out, x.m, x.s, x.r, i, &sum) == 0);
    fclose(out);
    run_free(&x);
    return text;
}

Test(fuzz, same_seed_same_bytes, .timeout = 120)
{
    for (int s = PS_STRAT_RANDOM; s <= PS_STRAT_GUIDED; s++) {
        char *a = everything((ps_strategy)s, 42), *b = everything((ps_strategy)s, 42);
        cr_expect(strcmp(a, b) == 0, "%s: two runs with seed 42 differ",
                  ps_strategy_name((ps_strategy)s));
        free(a);
        free(b);
    }
}

/* The evaluator agrees with check on random points of a space with every family. */
Test(fuzz, incremental_evaluation_matches_check, .timeout = 120)
{
    ps_model *m = load(AL);
    ps_space_opts so = { .vary_user = al_users, .nvary_user = 1, .vary_others = al_users,
                         .nvary_others = 1, .vary_rules = true };
    ps_space *s;
    char err[256];
    cr_assert(ps_space_build(m, &so, &s, err, sizeof err) == 0);
    ps_fuzz_eval *ev;
    cr_assert(ps_fuzz_eval_new(m, s, (size_t)256 << 10, &ev) == 0);
    uint8_t *p = calloc(s->ndims, 1);
    uint64_t rng = 12345;
    for (int n = 0; n < 60; n++) {
        for (uint32_t d = 0; d < s->ndims; d++) {
            rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
            /* mostly small moves from the last point, sometimes a jump */
            if (n % 10 == 0 || (rng >> 60) == 0)
                p[d] = (uint8_t)((rng >> 33) % s->dims[d].nalts);
        }
        const ps_fuzz_exposure *got;
        uint32_t ngot;
        cr_assert(ps_fuzz_eval_point(ev, p, &got, &ngot) == 0);
        ps_model *pm = ps_space_point_model(s, p);
        ps_check_opts co = { .fixes = false };
        ps_report *r;
        cr_assert(ps_check(pm, &co, &r) == 0);
        cr_expect(ngot == r->nexposures, "point %d: %u exposures, check finds %u", n,
                  (unsigned)ngot, (unsigned)r->nexposures);
        for (uint32_t i = 0; i < r->nexposures; i++) {
            const ps_exposure *e = &r->exposures[i];
            bool found = false;
            for (uint32_t k = 0; k < ngot && !found; k++)
                found = got[k].item == e->item && got[k].viewer == e->viewer &&
                        got[k].shape == ps_path_shape(&e->path) && got[k].severity == e->severity;
            cr_expect(found, "point %d: check's exposure %u is not the fuzzer's", n, (unsigned)i);
        }
        ps_report_free(r);
        ps_model_free(pm);
    }
    free(p);
    ps_fuzz_eval_free(ev);
    ps_space_free(s);
    ps_model_free(m);
}

Test(fuzz, exhaustive_refuses_huge_space)
{
    ps_model *m = load(AL);
    ps_space_opts so = { .vary_user = al_users, .nvary_user = 1, .vary_others = al_users,
                         .nvary_others = 1, .vary_rules = true };
    ps_space *s;
    char err[256];
    cr_assert(ps_space_build(m, &so, &s, err, sizeof err) == 0);
    if (s->npoints > PS_FUZZ_EXHAUSTIVE_MAX) {
        ps_fuzz_result *r = NULL;
        cr_expect(ps_fuzz_run(m, s, NULL, &r, err, sizeof err) == -2);
        cr_expect(strstr(err, "random") != NULL);
    }
    const char *nobody[] = { "nobody" };
    ps_space_opts bad = { .vary_user = nobody, .nvary_user = 1 };
    ps_space *s2 = NULL;
    cr_expect(ps_space_build(m, &bad, &s2, err, sizeof err) == -2);
    cr_expect(strstr(err, "nobody") != NULL);
    ps_space_free(s);
    ps_model_free(m);
}
