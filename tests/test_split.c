/* test_split.c - a run split into parts prints what one run prints.
 *
 * `make MPI=1` splits check by item owners and fuzz by points over processes, then merges
 * the parts on the first one.  These tests do the same split inside one process (each part
 * computed, encoded to bytes, decoded and merged in part order) and compare the printed
 * result byte for byte with the result computed at once: check in text, JSON and SARIF on
 * every example and on a generated network; fuzz in JSON for exhaustive and random searches,
 * whole spaces and slices of them.
 */
#include <criterion/criterion.h>

#include "engine.h"
#include "fuzzer.h"
#include "gen.h"
#include "parse.h"
#include "report_out.h"
#include "report_split.h"
#include "partial.h"
#include "wire.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ps_model *load(const char *path)
{
    ps_diag d;
    ps_diag_init(&d);
    ps_model *m = NULL;
    int rc = ps_parse_file(path, &m, &d);
    ps_diag_free(&d);
    cr_assert(rc == 0 && m, "%s does not read", path);
    return m;
}

typedef enum { OUT_TEXT, OUT_JSON, OUT_SARIF } out_kind;

static char *print_report(const ps_model *m, const ps_report *r, out_kind k)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert(f);
    if (k == OUT_JSON)
        ps_report_print_json(f, m, r);
    else if (k == OUT_SARIF)
        ps_report_print_sarif(f, m, r, NULL);
    else
        ps_report_print_text(f, m, r, 0);
    fclose(f);
    return buf;
}

/* The report of `m` computed as `nparts` parts, merged as the first process merges them. */
static ps_report *check_in_parts(const ps_model *m, bool fixes, uint32_t nparts, int threads)
{
    ps_report *whole = NULL;
    for (uint32_t p = 0; p < nparts; p++) {
        ps_check_opts co = { .fixes = fixes, .threads = threads, .part = p, .nparts = nparts };
        ps_report *r;
        cr_assert(ps_check(m, &co, &r) == 0);
        if (p == 0) {
            whole = r;
            continue;
        }
        uint8_t *buf;
        size_t len;
        cr_assert(ps_report_encode(r, &buf, &len) == 0);
        ps_report_free(r);
        cr_assert(ps_report_absorb(whole, buf, len) == 0);
        free(buf);
    }
    cr_assert(ps_report_seal(whole) == 0);
    return whole;
}

static void same_check(const char *name, const ps_model *m, bool fixes, uint32_t nparts,
                       int threads)
{
    ps_check_opts co = { .fixes = fixes, .threads = threads };
    ps_report *one;
    cr_assert(ps_check(m, &co, &one) == 0);
    ps_report *split = check_in_parts(m, fixes, nparts, threads);
    cr_expect(split->nexposures == one->nexposures && split->nfixes == one->nfixes,
              "%s in %u parts: %u exposures and %u fixes, not %u and %u", name, nparts,
              split->nexposures, split->nfixes, one->nexposures, one->nfixes);
    for (out_kind k = OUT_TEXT; k <= OUT_SARIF; k++) {
        char *a = print_report(m, one, k), *b = print_report(m, split, k);
        cr_expect(strcmp(a, b) == 0, "%s in %u parts: the %s output differs", name, nparts,
                  k == OUT_TEXT ? "text" : k == OUT_JSON ? "JSON" : "SARIF");
        free(a);
        free(b);
    }
    ps_report_free(one);
    ps_report_free(split);
}

Test(split, check_of_every_example_in_parts_prints_the_same)
{
    DIR *d = opendir("corpus/examples");
    cr_assert(d, "corpus/examples not found (run from the repository root)");
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".psim") != 0)
            continue;
        char path[512];
        snprintf(path, sizeof path, "corpus/examples/%s", e->d_name);
        ps_model *m = load(path);
        for (uint32_t parts = 2; parts <= 4; parts++)
            same_check(path, m, true, parts, 1);
        same_check(path, m, true, 7, 2);
        ps_model_free(m);
        n++;
    }
    closedir(d);
    cr_assert(n >= 5, "only %d examples", n);
}

Test(split, check_of_a_generated_network_in_parts_prints_the_same, .timeout = 120)
{
    ps_gen_opts o;
    ps_gen_defaults(&o, 600);
    ps_model *m;
    char err[256];
    cr_assert(ps_gen(&o, &m, NULL, err, sizeof err) == 0, "%s", err);
    same_check("gen 600", m, false, 2, 2);
    same_check("gen 600", m, false, 3, 1);
    ps_report *r;
    ps_check_opts co = { .fixes = false };
    cr_assert(ps_check(m, &co, &r) == 0);
    cr_assert(r->nexposures > 100, "the generated network shows only %u exposures",
              r->nexposures);
    ps_report_free(r);
    ps_model_free(m);
}

Test(split, a_damaged_report_part_is_refused)
{
    ps_model *m = load("corpus/examples/al-the-accountant.psim");
    ps_check_opts co = { .fixes = true, .part = 1, .nparts = 2 };
    ps_report *part, *into;
    cr_assert(ps_check(m, &co, &part) == 0);
    co.part = 0;
    cr_assert(ps_check(m, &co, &into) == 0);
    uint8_t *buf;
    size_t len;
    cr_assert(ps_report_encode(part, &buf, &len) == 0);
    cr_assert(part->nexposures > 0);
    uint32_t nx = into->nexposures;
    cr_expect(ps_report_absorb(into, buf, len - 1) == -2);
    cr_expect(ps_report_absorb(into, buf, 3) == -2);
    cr_expect(into->nexposures == nx, "a refused part added exposures");
    cr_expect(ps_report_absorb(into, buf, len) == 0);
    cr_expect(into->nexposures == nx + part->nexposures);
    free(buf);
    ps_report_free(part);
    ps_report_free(into);
    ps_model_free(m);
}

/* ---------------------------------------------------------------------------------------
 * fuzz
 * ------------------------------------------------------------------------------------- */

static char *print_fuzz(const ps_model *m, const ps_space *s, const ps_fuzz_result *r,
                        const ps_fuzz_opts *fo)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert(f);
    ps_fuzz_summary sum = { .scenario = "x.psim", .strategy = fo->strategy, .seed = fo->seed,
                            .safest = true };
    ps_fuzz_print_json(f, m, s, r, &sum);
    fclose(f);
    return buf;
}

/* The search of `fo` as `nparts` shares, each sent as bytes, merged in order, finished. */
static ps_fuzz_result *fuzz_in_parts(const ps_model *m, const ps_space *s, ps_fuzz_opts fo,
                                     uint32_t nparts)
{
    ps_fuzz_partial *all = NULL;
    char err[256];
    for (uint32_t p = 0; p < nparts; p++) {
        fo.part = p;
        fo.nparts = nparts;
        ps_fuzz_partial *part, *back;
        cr_assert(ps_fuzz_search(m, s, &fo, &part, err, sizeof err) == 0, "%s", err);
        uint8_t *buf;
        size_t len;
        cr_assert(ps_fuzz_partial_encode(part, s->ndims, &buf, &len) == 0);
        ps_fuzz_partial_free(part);
        cr_assert(ps_fuzz_partial_decode(buf, len, s->ndims, &back) == 0);
        free(buf);
        if (!all) {
            all = back;
            continue;
        }
        cr_assert(ps_fuzz_partial_merge(all, back) == 0);
        ps_fuzz_partial_free(back);
    }
    ps_fuzz_result *r;
    fo.part = 0;
    fo.nparts = 1;
    cr_assert(ps_fuzz_finish(m, s, &fo, all, &r, err, sizeof err) == 0, "%s", err);
    ps_fuzz_partial_free(all);
    return r;
}

static void same_fuzz(const char *path, const ps_space_opts *so, ps_strategy strat,
                      uint64_t max_points, uint32_t nparts)
{
    ps_model *m = load(path);
    ps_space *s;
    char err[256];
    cr_assert(ps_space_build(m, so, &s, err, sizeof err) == 0, "%s", err);
    ps_fuzz_opts fo = { .strategy = strat, .seed = 7, .max_points = max_points };
    ps_fuzz_result *one;
    cr_assert(ps_fuzz_run(m, s, &fo, &one, err, sizeof err) == 0, "%s", err);
    ps_fuzz_result *split = fuzz_in_parts(m, s, fo, nparts);
    char *a = print_fuzz(m, s, one, &fo), *b = print_fuzz(m, s, split, &fo);
    cr_expect(strcmp(a, b) == 0, "%s, %s, %llu points, %u parts: the findings differ\n%s\n%s",
              path, ps_strategy_name(strat), (unsigned long long)max_points, nparts, a, b);
    cr_expect(split->points == one->points);
    cr_expect(one->nfindings > 0 || (max_points && max_points < 500), "%s: nothing found, the comparison shows little", path);
    free(a);
    free(b);
    ps_fuzz_result_free(one);
    ps_fuzz_result_free(split);
    ps_space_free(s);
    ps_model_free(m);
}

#define VARY "corpus/examples/vary-space.psim"
#define AL "corpus/examples/al-the-accountant.psim"

Test(split, exhaustive_fuzz_in_parts_finds_the_same)
{
    ps_space_opts so = { .safest = true };
    for (uint32_t parts = 2; parts <= 5; parts++)
        same_fuzz(VARY, &so, PS_STRAT_EXHAUSTIVE, 0, parts);
    /* more parts than points: some shares are empty */
    same_fuzz(VARY, &so, PS_STRAT_EXHAUSTIVE, 3, 5);
    /* a slice of the space, and exactly the space (not complete, as in one run) */
    same_fuzz(VARY, &so, PS_STRAT_EXHAUSTIVE, 100, 3);
    same_fuzz(VARY, &so, PS_STRAT_EXHAUSTIVE, 576, 2);
    same_fuzz(VARY, &so, PS_STRAT_EXHAUSTIVE, 577, 2);
}

Test(split, exhaustive_fuzz_of_a_large_space_in_parts_finds_the_same, .timeout = 120)
{
    const char *user[] = { "al" };
    ps_space_opts so = { .safest = true, .vary_user = user, .nvary_user = 1, .vary_rules = true };
    same_fuzz(AL, &so, PS_STRAT_EXHAUSTIVE, 300000, 3);
}

Test(split, random_fuzz_in_parts_finds_the_same, .timeout = 120)
{
    ps_space_opts so = { .safest = true };
    same_fuzz(VARY, &so, PS_STRAT_RANDOM, 2000, 2);
    same_fuzz(VARY, &so, PS_STRAT_RANDOM, 2001, 3);
    const char *user[] = { "al" };
    ps_space_opts al = { .safest = true, .vary_user = user, .nvary_user = 1,
                         .vary_others = user, .nvary_others = 1 };
    same_fuzz(AL, &al, PS_STRAT_RANDOM, 20000, 4);
}

Test(split, guided_fuzz_in_one_part_finds_the_same)
{
    ps_space_opts so = { .safest = true };
    same_fuzz(VARY, &so, PS_STRAT_GUIDED, 3000, 1);
}

Test(split, guided_fuzz_in_parts_searches_every_point_it_is_given)
{
    ps_model *m = load(VARY);
    ps_space *s;
    char err[256];
    ps_space_opts so = { .safest = true };
    cr_assert(ps_space_build(m, &so, &s, err, sizeof err) == 0, "%s", err);
    ps_fuzz_opts fo = { .strategy = PS_STRAT_GUIDED, .seed = 3, .max_points = 3001 };
    ps_fuzz_result *r = fuzz_in_parts(m, s, fo, 4);
    cr_expect(r->points == 3001, "%llu points", (unsigned long long)r->points);
    cr_expect(r->nfindings > 0);
    for (uint32_t i = 0; i < r->nfindings; i++)
        cr_expect(r->findings[i].verified);
    ps_fuzz_result_free(r);
    ps_space_free(s);
    ps_model_free(m);
}

Test(split, a_damaged_fuzz_part_is_refused)
{
    ps_model *m = load(VARY);
    ps_space *s;
    char err[256];
    ps_space_opts so = { .safest = true };
    cr_assert(ps_space_build(m, &so, &s, err, sizeof err) == 0, "%s", err);
    ps_fuzz_opts fo = { .strategy = PS_STRAT_EXHAUSTIVE, .part = 1, .nparts = 2 };
    ps_fuzz_partial *p, *back;
    cr_assert(ps_fuzz_search(m, s, &fo, &p, err, sizeof err) == 0, "%s", err);
    uint8_t *buf;
    size_t len;
    cr_assert(ps_fuzz_partial_encode(p, s->ndims, &buf, &len) == 0);
    cr_expect(ps_fuzz_partial_decode(buf, len - 1, s->ndims, &back) == -2);
    cr_expect(ps_fuzz_partial_decode(buf, len + 0, s->ndims + 1, &back) == -2);
    cr_expect(ps_fuzz_partial_decode(buf, len, s->ndims, &back) == 0);
    cr_expect(back->ncands == p->ncands && back->points == p->points);
    ps_fuzz_partial_free(back);
    free(buf);
    ps_fuzz_partial_free(p);
    ps_space_free(s);
    ps_model_free(m);
}

Test(split, wire_reads_what_was_written_and_no_further)
{
    ps_wbuf w = {0};
    ps_wbuf_u32(&w, 7);
    ps_wbuf_u64(&w, 1ULL << 40);
    size_t len;
    uint8_t *p = ps_wbuf_take(&w, &len);
    cr_assert(p && len == 12);
    ps_rbuf r = ps_rbuf_of(p, len);
    cr_expect(ps_rbuf_u32(&r) == 7);
    cr_expect(ps_rbuf_u64(&r) == 1ULL << 40);
    cr_expect(!r.err);
    cr_expect(ps_rbuf_u32(&r) == 0 && r.err, "read past the end");
    free(p);
}
