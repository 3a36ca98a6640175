/* targets.c - the scenario and settings fuzz targets (see targets.h).
 *
 * Both read a scenario with the real parser.  Scenarios that are larger than a fuzz target
 * should spend its time on (many users, items or steps) are skipped after the parser and
 * printer have seen them, so every execution stays in the milliseconds.
 */
#include "targets.h"

#include "describe.h"
#include "linkage.h"

#include "engine.h"
#include "fuzzer.h"
#include "parse.h"
#include "print.h"
#include "scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ps_fuzz_fail(const char *target, const char *what, const char *detail)
{
    fprintf(stderr, "privsim fuzz target %s: %s\n", target, what);
    if (detail)
        fprintf(stderr, "%s\n", detail);
    fflush(stderr);
    abort();
}

/* Reads a scenario from `len` bytes; NULL when it has errors. */
static ps_model *parse(const char *text, size_t len)
{
    ps_diag d;
    ps_diag_init(&d);
    ps_model *m = NULL;
    if (ps_parse_buffer("fuzz.psim", text, len, &m, &d))
        m = NULL;
    ps_diag_free(&d);
    return m;
}

/* The canonical text of a model (the caller frees it); NULL out of memory. */
static char *print_model(const ps_model *m, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f)
        return NULL;
    int rc = ps_print_scenario(f, m);
    if (fclose(f) || rc) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* Prints m, reads it back, compares; prints again and compares the texts. */
static void round_trip(const char *target, const ps_model *m)
{
    size_t len;
    char *text = print_model(m, &len);
    if (!text)
        return; /* out of memory: not a finding */
    /* no line longer than the reader accepts (a long caption is continued on its own line) */
    for (const char *l = text; l < text + len;) {
        const char *nl = memchr(l, '\n', (size_t)(text + len - l));
        size_t ll = (size_t)((nl ? nl : text + len) - l);
        if (ll > PS_MAX_LINE) {
            fprintf(stderr, "--- printed scenario:\n%s", text);
            ps_fuzz_fail(target, "a printed line is longer than the input limit", NULL);
        }
        l += ll + 1;
    }
    ps_diag d;
    ps_diag_init(&d);
    ps_model *m2 = NULL;
    if (ps_parse_buffer("printed.psim", text, len, &m2, &d)) {
        char *errs = NULL;
        size_t elen;
        FILE *f = open_memstream(&errs, &elen);
        if (f) {
            ps_diag_print(&d, f, false);
            fprintf(f, "--- printed scenario:\n%s", text);
            fclose(f);
        }
        ps_fuzz_fail(target, "the printed scenario does not read back", errs);
    }
    ps_diag_free(&d);
    char why[512];
    if (!ps_model_equal(m, m2, why, sizeof why)) {
        fprintf(stderr, "--- printed scenario:\n%s", text);
        ps_fuzz_fail(target, "the printed scenario reads back as a different model", why);
    }
    size_t len2;
    char *text2 = print_model(m2, &len2);
    if (text2 && (len2 != len || memcmp(text, text2, len))) {
        fprintf(stderr, "--- first print:\n%s--- second print:\n%s", text, text2);
        ps_fuzz_fail(target, "printing is not a fixed point", NULL);
    }
    free(text2);
    ps_model_free(m2);
    free(text);
}

/* Small enough for the engine part of a target. */
static bool small(const ps_model *m, uint32_t limit)
{
    return m->nusers <= limit && m->nitems <= limit && m->nsteps <= limit &&
           m->napps <= limit && m->nvaries <= limit;
}

/* ---------------------------------------------------------------------------------------
 * fuzz_scenario
 * ------------------------------------------------------------------------------------- */

static void engine_invariants(const ps_model *m)
{
    ps_engine *e = ps_engine_new(m);
    if (!e)
        return;
    uint32_t nv = ps_nviewers(m);
    for (;;) {
        ps_model *em = ps_engine_model(e);
        for (uint32_t i = 0; i < em->nitems; i++) {
            if (ps_engine_eval(e, i))
                ps_fuzz_fail("fuzz_scenario", "ps_engine_eval failed on a valid item", NULL);
            if (!ps_engine_sees(e, em->items[i].owner))
                ps_fuzz_fail("fuzz_scenario", "an owner does not see their own item",
                             em->items[i].name);
            uint32_t n;
            const uint32_t *aud = ps_engine_audience(e, &n);
            for (uint32_t k = 0; k < n; k++) {
                if (aud[k] >= nv)
                    ps_fuzz_fail("fuzz_scenario", "an audience holds an unknown viewer",
                                 em->items[i].name);
                if (k && aud[k] <= aud[k - 1])
                    ps_fuzz_fail("fuzz_scenario", "an audience is not sorted", NULL);
                ps_path p;
                if (ps_engine_path(e, aud[k], &p))
                    ps_fuzz_fail("fuzz_scenario", "a viewer in the audience has no path", NULL);
                if (!p.nlinks || p.links[0].viewer != em->items[i].owner ||
                    p.links[p.nlinks - 1].viewer != aud[k])
                    ps_fuzz_fail("fuzz_scenario", "a path does not lead from the owner to "
                                                  "the viewer", em->items[i].name);
            }
        }
        int r = ps_engine_step(e, NULL);
        if (r <= 0)
            break;
    }
    ps_engine_free(e);
}

int ps_fuzz_scenario_one(const uint8_t *data, size_t size)
{
    if (size > PS_FUZZ_MAX_INPUT)
        return 0;
    ps_model *m = parse((const char *)data, size);
    if (!m)
        return 0;
    round_trip("fuzz_scenario", m);
    if (small(m, 16))
        engine_invariants(m);
    if (small(m, 6)) {
        ps_check_opts co = { .fixes = true };
        ps_report *r;
        if (ps_check(m, &co, &r) == 0) {
            for (uint32_t i = 0; i < r->nexposures; i++)
                if (r->exposures[i].item >= m->nitems ||
                    r->exposures[i].viewer >= ps_nviewers(m) ||
                    r->exposures[i].viewer == m->items[r->exposures[i].item].owner)
                    ps_fuzz_fail("fuzz_scenario", "check reports an impossible exposure", NULL);
            ps_report_free(r);
        }
        /* linkages: never by an account of the person, always with evidence, from a step
         * of the timeline; the words and legs of the first few evidence (paths described in
         * their own states) */
        ps_linkage_report *lr;
        if (m->persons && m->persons->n && ps_linkage_check(m, NULL, &lr) == 0) {
            for (uint32_t i = 0; i < lr->n; i++) {
                const ps_linkage *l = &lr->v[i];
                if ((l->viewer < m->nusers && ps_person_of(m, l->viewer) == l->person) ||
                    !l->nev || l->viewer >= ps_nviewers(m) || l->first_step > m->nsteps)
                    ps_fuzz_fail("fuzz_scenario", "an impossible linkage", NULL);
                for (uint32_t k = 0; i < 4 && k < l->nev; k++) {
                    char buf[2048];
                    ps_path legs[8];
                    ps_evidence_text(lr, l, &lr->ev[l->ev_first + k], buf, sizeof buf);
                    uint32_t nl = ps_linkage_legs(lr, l, &lr->ev[l->ev_first + k], legs, 8);
                    for (uint32_t j = 0; j < nl; j++) {
                        const ps_model *pm = ps_linkage_leg_model(lr, &legs[j]);
                        for (uint32_t q = 0; q < legs[j].nlinks; q++)
                            ps_link_basis(pm, &legs[j], q, buf, sizeof buf);
                        if (legs[j].state > m->nsteps)
                            ps_fuzz_fail("fuzz_scenario", "a leg from no state", NULL);
                    }
                }
            }
            ps_linkage_report_free(lr);
        }
    }
    ps_model_free(m);
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * fuzz_settings
 * ------------------------------------------------------------------------------------- */

static int cmp_exposure(const void *a, const void *b)
{
    const ps_fuzz_exposure *x = a, *y = b;
    if (x->item != y->item)
        return x->item < y->item ? -1 : 1;
    if (x->viewer != y->viewer)
        return x->viewer < y->viewer ? -1 : 1;
    return x->shape < y->shape ? -1 : x->shape > y->shape;
}

/* Compares the fuzzer's exposures of a point with check's on the point's scenario. */
static void compare_point(const ps_space *s, const uint8_t *point, const ps_fuzz_exposure *got,
                          uint32_t ngot)
{
    ps_model *pm = ps_space_point_model(s, point);
    if (!pm)
        return;
    round_trip("fuzz_settings", pm);
    ps_check_opts co = { .fixes = false };
    ps_report *r;
    if (ps_check(pm, &co, &r)) {
        ps_model_free(pm);
        return;
    }
    ps_fuzz_exposure *want = calloc(r->nexposures ? r->nexposures : 1, sizeof *want);
    if (!want) {
        ps_report_free(r);
        ps_model_free(pm);
        return;
    }
    for (uint32_t i = 0; i < r->nexposures; i++) {
        const ps_exposure *x = &r->exposures[i];
        want[i] = (ps_fuzz_exposure){ x->item, x->viewer, ps_path_shape(&x->path), x->severity,
                                      false };
    }
    if (r->nexposures > 1)
        qsort(want, r->nexposures, sizeof *want, cmp_exposure);
    bool same = ngot == r->nexposures;
    for (uint32_t i = 0; same && i < ngot; i++)
        same = got[i].item == want[i].item && got[i].viewer == want[i].viewer &&
               got[i].shape == want[i].shape && got[i].severity == want[i].severity;
    if (!same) {
        char *text = print_model(pm, &(size_t){0});
        fprintf(stderr, "--- point scenario:\n%s", text ? text : "");
        free(text);
        fprintf(stderr, "fuzzer (%u):", (unsigned)ngot);
        for (uint32_t i = 0; i < ngot; i++)
            fprintf(stderr, " %u/%u/%u", (unsigned)got[i].item, (unsigned)got[i].viewer,
                    (unsigned)got[i].severity);
        fprintf(stderr, "\ncheck (%u):", (unsigned)r->nexposures);
        for (uint32_t i = 0; i < r->nexposures; i++)
            fprintf(stderr, " %u/%u/%u", (unsigned)want[i].item, (unsigned)want[i].viewer,
                    (unsigned)want[i].severity);
        fputc('\n', stderr);
        ps_fuzz_fail("fuzz_settings", "the fuzzer's evaluation of a point differs from check",
                     NULL);
    }
    free(want);
    ps_report_free(r);
    ps_model_free(pm);
}

int ps_fuzz_settings_one(const uint8_t *data, size_t size)
{
    if (size > PS_FUZZ_MAX_INPUT)
        return 0;
    const uint8_t *nul = memchr(data, 0, size);
    size_t tlen = nul ? (size_t)(nul - data) : size;
    const uint8_t *pb = nul ? nul + 1 : data + size;
    size_t np = nul ? size - tlen - 1 : 0;
    ps_model *m = parse((const char *)data, tlen);
    if (!m)
        return 0;
    if (!small(m, 12) || m->nusers == 0) {
        ps_model_free(m);
        return 0;
    }
    /* the space: the vary lines, and families chosen by the first byte */
    uint8_t flags = np ? pb[0] : 0;
    const char *user = m->users[(np > 1 ? pb[1] : 0) % m->nusers].name;
    ps_space_opts so = { .safest = (flags & 8) != 0, .vary_rules = (flags & 4) != 0 };
    if (flags & 1) {
        so.vary_user = &user;
        so.nvary_user = 1;
    }
    if (flags & 2) {
        so.vary_others = &user;
        so.nvary_others = 1;
    }
    size_t skip = np > 2 ? 2 : np;
    pb += skip;
    np -= skip;
    ps_space *s = NULL;
    char err[256];
    if (ps_space_build(m, &so, &s, err, sizeof err) || s->ndims > 64) {
        ps_space_free(s);
        ps_model_free(m);
        return 0;
    }
    /* points: ndims bytes each, at most four, through one evaluator with a small cache so
     * that incremental moves and cache flushes are exercised */
    ps_fuzz_eval *ev = NULL;
    uint8_t *point = calloc(s->ndims ? s->ndims : 1, 1);
    if (point && ps_fuzz_eval_new(m, s, (size_t)64 << 10, &ev) == 0) {
        size_t used = 0;
        for (int k = 0; k < 4; k++) {
            for (uint32_t d = 0; d < s->ndims; d++)
                point[d] = (uint8_t)((used < np ? pb[used++] : 0) % s->dims[d].nalts);
            const ps_fuzz_exposure *got;
            uint32_t ngot;
            if (ps_fuzz_eval_point(ev, point, &got, &ngot))
                break;
            ps_fuzz_exposure *sorted = malloc((ngot ? ngot : 1) * sizeof *sorted);
            if (!sorted)
                break;
            if (ngot)
                memcpy(sorted, got, ngot * sizeof *got);
            if (ngot > 1)
                qsort(sorted, ngot, sizeof *sorted, cmp_exposure);
            compare_point(s, point, sorted, ngot);
            free(sorted);
            if (used >= np)
                break;
        }
    }
    ps_fuzz_eval_free(ev);
    free(point);
    /* a short search: every finding it reports must be confirmed by check */
    if (flags & 16) {
        ps_fuzz_opts fo = { .strategy = (ps_strategy)((flags >> 5) % 3), .seed = flags,
                            .max_points = 48, .cache_bytes = (size_t)64 << 10 };
        ps_fuzz_result *r = NULL;
        int rc = ps_fuzz_run(m, s, &fo, &r, err, sizeof err);
        if (rc == -3)
            ps_fuzz_fail("fuzz_settings", "a finding is not confirmed by check", err);
        ps_fuzz_result_free(r);
    }
    ps_space_free(s);
    ps_model_free(m);
    return 0;
}
