/* target_engine.c - the engine fuzz target: the engine against the reference evaluator.
 *
 * The bytes are decoded into a small scenario: each byte picks one of the choices that are
 * valid at that point (how many users, who is friends with whom, which terms an audience
 * has, which steps happen), so nearly every input is a scenario the parser accepts.  The
 * scenario is written as text and read by the real parser, so the model is exactly one the
 * language can express.  Then the engine (sim/engine.c) and the plain reference evaluator of
 * the tests (tests/refeval.c) replay its timeline side by side; in every state, every item's
 * effective and intended audiences, and the severity of each exposure, must agree.
 *
 * This file needs tests/refeval.c at link time; nothing in the privsim program refers to it,
 * so a static link leaves it out there.
 */
#include "targets.h"

#include "../tests/refeval.h"
#include "engine.h"
#include "engine_int.h"
#include "parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------
 * Decoding bytes into a scenario
 * ------------------------------------------------------------------------------------- */

typedef struct {
    const uint8_t *p; size_t n, i;
} reader;

/* The next byte, or 0 when the input is used up. */
static unsigned rd(reader *r) { return r->i < r->n ? r->p[r->i++] : 0; }
/* A choice among n (n > 0). */
static unsigned pick(reader *r, unsigned n) { return rd(r) % n; }

#define MAXU 7

typedef struct {
    FILE *f;
    reader *r;
    unsigned nu;                   /* users u0 .. */
    unsigned nnet, ngroup, napps;
    unsigned nlists[MAXU];         /* lists per user: u<i>l<k> */
    unsigned npersonas[MAXU];      /* personas per user: p<k> */
    unsigned nposts;               /* items i<k> (posts or photos), by owner */
    unsigned post_owner[8];
    bool post_group[8];
} gen;

/* Writes an audience union relative to `owner`. */
static void terms(gen *g, unsigned owner, bool allow_user)
{
    unsigned n = 1 + pick(g->r, 2);
    for (unsigned k = 0; k < n; k++) {
        if (k)
            fputc(',', g->f);
        unsigned c = pick(g->r, allow_user ? 9 : 8);
        switch (c) {
        case 0: fputs("public", g->f); break;
        case 1: fputs("everyone", g->f); break;
        case 2: fputs("fof", g->f); break;
        case 3: fputs("friends", g->f); break;
        case 4: fputs("only-me", g->f); break;
        case 5:
            if (g->nlists[owner]) {
                fprintf(g->f, "list:l%u", pick(g->r, g->nlists[owner]));
                break;
            }
            /* fall through */
        case 6:
            if (g->nnet) {
                fprintf(g->f, "network:n%u", pick(g->r, g->nnet));
                break;
            }
            /* fall through */
        case 7:
            if (g->ngroup) {
                fprintf(g->f, "group:g%u", pick(g->r, g->ngroup));
                break;
            }
            /* fall through */
        default: fprintf(g->f, "user:u%u", pick(g->r, g->nu)); break;
        }
    }
}

/* A non-empty set of users, as "u1 u3" (sep ' ') or "u1,u3" (sep ','). */
static void members(gen *g, char sep, int except)
{
    unsigned mask = rd(g->r) | 1u << pick(g->r, g->nu);
    bool first = true;
    for (unsigned u = 0; u < g->nu; u++)
        if ((mask >> u) & 1 && (int)u != except) {
            fprintf(g->f, "%s u%u", first ? "" : (sep == ',' ? "," : ""), u);
            first = false;
        }
    if (first)
        fprintf(g->f, " u%u", except == 0 ? 1u : 0u);
}

static const char *const fields[] = { "birthday", "hometown", "email", "friendlist", "likes",
                                      "employer" };

static void gen_scenario(gen *g)
{
    reader *r = g->r;
    FILE *f = g->f;
    static const char *const presets[] = { "facebook-2005", "facebook-2009", "facebook-2009-12",
                                           "facebook-2010", "facebook-2011", "facebook-2015",
                                           "strict" };
    fprintf(f, "platform %s\n", presets[pick(r, 7)]);
    unsigned rules = rd(r);
    static const char *const te[] = { "none", "tagged", "tagged-friends" };
    static const char *const rs[] = { "none", "public-only", "visible" };
    static const char *const fp[] = { "none", "friendlist", "birthday,friendlist", "name" };
    static const char *const cats[] = { "none", "all", "birthday,photos", "posts",
                                        "friendlist,posts" };
    if (rules & 1) fprintf(f, "rule tag-extends = %s\n", te[pick(r, 3)]);
    if (rules & 2) fprintf(f, "rule reshare = %s\n", rs[pick(r, 3)]);
    if (rules & 4) fprintf(f, "rule interaction-extends = %s\n",
                           pick(r, 2) ? "commenter-friends" : "none");
    if (rules & 8) fprintf(f, "rule friendship-visibility = %s\n",
                           pick(r, 2) ? "both-ends" : "own-setting");
    if (rules & 16) fprintf(f, "rule apps-through-friends = %s\n", pick(r, 2) ? "on" : "off");
    if (rules & 32) fprintf(f, "rule tag-review-default = %s\n", pick(r, 2) ? "on" : "off");
    if (rules & 64) fprintf(f, "rule forced-public = %s\n", fp[pick(r, 4)]);
    if (rules & 128) fprintf(f, "rule apps-through-friends-default = %s\n", cats[pick(r, 5)]);

    g->nu = 2 + pick(r, MAXU - 3);
    fputs("user", f);
    for (unsigned u = 0; u < g->nu; u++)
        fprintf(f, " u%u", u);
    fputc('\n', f);
    /* friendships: one bit per pair */
    for (unsigned a = 0; a < g->nu; a++) {
        unsigned bits = rd(r);
        for (unsigned b = a + 1; b < g->nu; b++)
            if ((bits >> (b - a - 1)) & 1)
                fprintf(f, "friends u%u u%u\n", a, b);
    }
    g->nnet = pick(r, 3);
    for (unsigned k = 0; k < g->nnet; k++) {
        fprintf(f, "network n%u", k);
        members(g, ' ', -1);
        fputc('\n', f);
    }
    g->ngroup = pick(r, 3);
    static const char *const gk[] = { "open", "closed", "secret" };
    for (unsigned k = 0; k < g->ngroup; k++) {
        fprintf(f, "group g%u %s", k, gk[pick(r, 3)]);
        members(g, ' ', -1);
        fputc('\n', f);
    }
    for (unsigned u = 0; u < g->nu; u++) {
        g->nlists[u] = pick(r, 4) == 0 ? 1 + pick(r, 2) : 0;
        for (unsigned k = 0; k < g->nlists[u]; k++) {
            fprintf(f, "list u%u l%u", u, k);
            members(g, ' ', (int)u);
            fputc('\n', f);
        }
    }
    for (unsigned u = 0; u < g->nu; u++) {
        g->npersonas[u] = pick(r, 4) == 0 ? 1 : 0;
        for (unsigned k = 0; k < g->npersonas[u]; k++) {
            fprintf(f, "persona u%u p%u audience=", u, k);
            terms(g, u, true);
            if (pick(r, 2)) {
                fputs(" forbid=", f);
                terms(g, u, true);
            }
            fputc('\n', f);
        }
    }
    g->nposts = 1 + pick(r, 3);
    for (unsigned k = 0; k < g->nposts; k++) {
        unsigned o = pick(r, g->nu);
        g->post_owner[k] = o;
        g->post_group[k] = g->ngroup && pick(r, 5) == 0;
        fprintf(f, "%s i%u by=u%u", pick(r, 2) ? "post" : "photo", k, o);
        if (g->post_group[k]) {
            fprintf(f, " group=g%u", pick(r, g->ngroup));
        } else {
            fputs(" audience=", f);
            terms(g, o, true);
            if (pick(r, 4) == 0) {
                fputs(" hide=", f);
                terms(g, o, true);
            }
        }
        unsigned tags = pick(r, 3);
        if (tags) {
            fputs(" tags=", f);
            for (unsigned t = 0; t < tags; t++)
                fprintf(f, "%su%u", t ? "," : "", (o + 1 + t) % g->nu);
        }
        if (g->npersonas[o] && pick(r, 2))
            fprintf(f, " persona=u%u.p0", o);
        fputc('\n', f);
    }
    unsigned nfields = pick(r, 3);
    uint64_t used = 0; /* one bit per user and field: MAXU * 6 < 64 */
    for (unsigned k = 0; k < nfields; k++) {
        unsigned u = pick(r, g->nu), fi = pick(r, 6);
        if ((used >> (u * 6 + fi)) & 1)
            continue;
        used |= (uint64_t)1 << (u * 6 + fi);
        fprintf(f, "field u%u.%s audience=", u, fields[fi]);
        terms(g, u, true);
        fputc('\n', f);
    }
    for (unsigned u = 0; u < g->nu; u++) {
        unsigned c = pick(r, 6);
        if (c == 1)
            fprintf(f, "set u%u tag-review=%s\n", u, pick(r, 2) ? "on" : "off");
        else if (c == 2)
            fprintf(f, "set u%u apps-through-friends=%s\n", u, cats[pick(r, 5)]);
    }
    g->napps = pick(r, 3);
    for (unsigned k = 0; k < g->napps; k++) {
        fprintf(f, "app a%u installed-by=", k);
        members(g, ',', -1);
        fputc('\n', f);
    }
    /* the timeline */
    unsigned nsteps = pick(r, 5);
    for (unsigned k = 0; k < nsteps; k++) {
        unsigned actor = pick(r, g->nu), it = pick(r, g->nposts), other = pick(r, g->nu);
        switch (pick(r, 11)) {
        case 0:
            fprintf(f, "do u%u share i%u", actor, it);
            if (pick(r, 2)) {
                fputs(" audience=", f);
                terms(g, actor, true);
            }
            break;
        case 1: fprintf(f, "do u%u unshare i%u", actor, it); break;
        case 2:
            if (g->post_owner[it] == other)
                other = (other + 1) % g->nu;
            fprintf(f, "do u%u tag i%u u%u", g->post_owner[it], it, other);
            break;
        case 3: fprintf(f, "do u%u untag i%u u%u", g->post_owner[it], it, other); break;
        case 4: fprintf(f, "do u%u approve-tag i%u", actor, it); break;
        case 5: fprintf(f, "do u%u comment i%u", actor, it); break;
        case 6: fprintf(f, "do u%u like i%u", actor, it); break;
        case 7:
            if (other == actor)
                other = (other + 1) % g->nu;
            fprintf(f, "do u%u %s u%u", actor, pick(r, 2) ? "befriend" : "unfriend", other);
            break;
        case 8:
            if (!g->napps)
                continue;
            fprintf(f, "do u%u install a%u", actor, pick(r, g->napps));
            break;
        case 9: fprintf(f, "do u%u set tag-review=%s", actor, pick(r, 2) ? "on" : "off"); break;
        default:
            if (g->post_group[it])
                continue;
            fprintf(f, "do u%u set i%u audience=", g->post_owner[it], it);
            terms(g, g->post_owner[it], true);
            break;
        }
        fputc('\n', f);
    }
}

/* ---------------------------------------------------------------------------------------
 * The comparison
 * ------------------------------------------------------------------------------------- */

static void mismatch(const char *text, const ps_model *m, uint32_t state, uint32_t item,
                     uint32_t viewer, const char *what)
{
    char buf[128];
    fprintf(stderr, "--- scenario:\n%s--- state %u, item %s, viewer %s: %s\n", text,
            (unsigned)state, m->items[item].name, ps_viewer_name(m, viewer, buf, sizeof buf),
            what);
    ps_fuzz_fail("fuzz_engine", "the engine and the reference evaluator disagree", NULL);
}

static int count_unintended(void *arg, uint32_t viewer)
{
    (void)viewer;
    (*(uint32_t *)arg)++;
    return 0;
}

/* Compares the engine, held in one of its modes (`mode`: whether a public audience stays one
 * class, and how fof sets are held), with the reference evaluator. */
static void compare(const ps_model *m, const char *text, unsigned mode)
{
    static const int dense[] = { -2, -1, 0, 1 };
    ps_engine *e = ps_engine_new(m);
    if (e) {
        ps_engine_set_lazy(e, mode & 1);
        ps_engine__set_dense(e, dense[(mode >> 1) % 4]);
    }
    ref_run *rr = ref_run_new(m);
    uint32_t nv = ps_nviewers(m);
    bool *aud = calloc(nv, sizeof *aud), *intended = calloc(nv, sizeof *intended);
    if (!e || !rr || !aud || !intended)
        goto out;
    for (uint32_t state = 0;; state++) {
        ps_model *em = ps_engine_model(e);
        for (uint32_t i = 0; i < em->nitems; i++) {
            if (ps_engine_eval(e, i) || ref_run_audience(rr, i, aud) ||
                ref_run_intended(rr, i, intended))
                goto out;
            uint32_t want = 0, got = 0;
            for (uint32_t v = 0; v < nv; v++)
                want += aud[v] && !intended[v];
            if (ps_engine__each_unintended(e, count_unintended, &got) == 0 && got != want)
                mismatch(text, em, state, i, 0, "the exposure scan counts other viewers");
            for (uint32_t v = 0; v < nv; v++) {
                bool sees = ps_engine_sees(e, v);
                if (sees != aud[v])
                    mismatch(text, em, state, i, v, sees ? "only the engine lets it see"
                                                         : "only the reference lets it see");
                if (ps_engine_intended(e, i, v) != intended[v])
                    mismatch(text, em, state, i, v, "intended audiences differ");
                if (sees && !intended[v] &&
                    (int)ps_engine_severity(e, i, v) != (int)ref_run_severity(rr, i, v))
                    mismatch(text, em, state, i, v, "severities differ");
            }
        }
        int a = ps_engine_step(e, NULL), b = ref_run_step(rr);
        if (a < 0 || b < 0)
            goto out;
        if (a != b)
            ps_fuzz_fail("fuzz_engine", "the timelines have different lengths", text);
        if (a == 0)
            break;
    }
out:
    free(aud);
    free(intended);
    ref_run_free(rr);
    ps_engine_free(e);
}

int ps_fuzz_engine_one(const uint8_t *data, size_t size)
{
    if (size > PS_FUZZ_MAX_INPUT)
        return 0;
    reader r = { data, size, 0 };
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return 0;
    gen g;
    memset(&g, 0, sizeof g);
    g.f = f;
    g.r = &r;
    gen_scenario(&g);
    if (fclose(f)) {
        free(text);
        return 0;
    }
    ps_diag d;
    ps_diag_init(&d);
    ps_model *m = NULL;
    if (ps_parse_buffer("engine.psim", text, len, &m, &d) == 0) {
        compare(m, text, size ? data[size - 1] : 0);
        ps_model_free(m);
    }
    ps_diag_free(&d);
    free(text);
    return 0;
}
