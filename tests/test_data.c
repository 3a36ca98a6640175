/* test_data.c - the data commands: the SNAP ego-Facebook importer (on the handmade network
 * in tests/data/snap-mini and, when present, on the real data set), the synthetic
 * generator, the shared populate step and the two commands' exit statuses.
 *
 * The real data set is read from $PRIVSIM_SNAP_DIR, else from ../shared/data/snap-ego-facebook
 * relative to the repository root (where the tests run); without it those tests are
 * skipped with a message.
 */
#include "cli.h"
#include "gen.h"
#include "parse.h"
#include "populate.h"
#include "print.h"
#include "snap.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MINI "tests/data/snap-mini"

/* ---------------------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------------------- */

/* Imports and returns the model (asserting success); the diag is left for inspection. */
static ps_model *import_ok(const char *dir, bool combined, uint32_t ego, ps_snap_stats *st,
                           ps_diag *d)
{
    ps_snap_opts o = { .dir = dir, .combined = combined, .ego = ego };
    ps_model *m = NULL;
    int rc = ps_snap_import(&o, &m, st, d);
    if (rc)
        ps_diag_print(d, stderr, false);
    cr_assert_eq(rc, 0, "import of %s failed with %d", dir, rc);
    cr_assert_not_null(m);
    return m;
}

/* Imports expecting bad input; returns the number of errors. */
static uint32_t import_bad(const char *dir, uint32_t ego, ps_diag *d)
{
    ps_snap_opts o = { .dir = dir, .ego = ego };
    ps_model *m = NULL;
    int rc = ps_snap_import(&o, &m, NULL, d);
    cr_assert_eq(rc, PS_SNAP_EINPUT, "expected bad input, got %d", rc);
    cr_assert_null(m);
    return ps_diag_nerrors(d);
}

static uint32_t user(const ps_model *m, const char *name)
{
    uint32_t u = ps_model_find(m, PS_NS_USER, 0, name, strlen(name));
    cr_assert_neq(u, PS_NONE, "no user %s", name);
    return u;
}

/* The members of a list/network as "u1 u2" (sorted by user index). */
static const char *members(const ps_model *m, const uint32_t *v, uint32_t n)
{
    static char buf[4096];
    buf[0] = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            strcat(buf, " ");
        strcat(buf, m->users[v[i]].name);
    }
    return buf;
}

static const ps_list *list_of(const ps_model *m, const char *owner, const char *name)
{
    uint32_t l = ps_model_find(m, PS_NS_LIST, user(m, owner), name, strlen(name));
    cr_assert_neq(l, PS_NONE, "no list %s of %s", name, owner);
    return &m->lists[l];
}

static const ps_network *network_of(const ps_model *m, const char *name)
{
    uint32_t n = ps_model_find(m, PS_NS_NETWORK, 0, name, strlen(name));
    cr_assert_neq(n, PS_NONE, "no network %s", name);
    return &m->networks[n];
}

/* The canonical print of a model, in a malloc'd buffer. */
static char *print_model(const ps_model *m, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    cr_assert_not_null(f);
    cr_assert_eq(ps_print_scenario(f, m), 0);
    cr_assert_eq(fclose(f), 0);
    return buf;
}

/* Parses printed text, asserting no errors and no warnings. */
static ps_model *parse_ok(const char *buf, size_t len)
{
    ps_diag d;
    ps_diag_init(&d);
    ps_model *m = NULL;
    int rc = ps_parse_buffer("printed.psim", buf, len, &m, &d);
    if (rc || ps_diag_nwarnings(&d))
        ps_diag_print(&d, stderr, false);
    cr_assert_eq(rc, 0, "the printed scenario does not parse");
    cr_assert_eq(ps_diag_nwarnings(&d), 0, "the printed scenario has warnings");
    ps_diag_free(&d);
    return m;
}

/* Prints, parses back and checks that the two models are the same scenario. */
static void assert_round_trip(const ps_model *m)
{
    size_t len;
    char *buf = print_model(m, &len);
    ps_model *back = parse_ok(buf, len);
    char why[512] = "";
    cr_assert(ps_model_equal(m, back, why, sizeof why), "read back differs: %s", why);
    ps_model_free(back);
    free(buf);
}

/* A fresh temporary directory (removed by rm_dir). */
static char *tmp_dir(void)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/privsim-data-XXXXXX");
    cr_assert_not_null(mkdtemp(path));
    return path;
}

static void rm_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char p[512];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    cr_assert_not_null(f, "cannot write %s", p);
    fputs(text, f);
    fclose(f);
}

/* Copies a file, leaving out every CR when `strip_cr`. */
static void copy_file(const char *from, const char *to, bool strip_cr)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    cr_assert(in && out, "cannot copy %s", from);
    int c;
    while ((c = fgetc(in)) != EOF)
        if (!(strip_cr && c == '\r'))
            fputc(c, out);
    fclose(in);
    fclose(out);
}

/* The minimal valid ego 10 (two friends), for the error tests to spoil one file of. */
static void write_valid_ego(const char *dir)
{
    write_file(dir, "10.edges", "1 2\n2 1\n");
    write_file(dir, "10.feat", "1 0 1\n2 1 1\n");
    write_file(dir, "10.featnames", "0 birthday;anonymized feature 0\n"
                                    "1 work;employer;id;anonymized feature 5\n");
}

/* The first diagnostic whose level is `level`, asserting there is one. */
static const ps_diag_entry *first_diag(const ps_diag *d, ps_diag_level level)
{
    for (uint32_t i = 0; i < d->n; i++)
        if (d->v[i].level == level)
            return &d->v[i];
    cr_assert_fail("no diagnostic of that level");
    return NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* The directory of the real data set, or NULL (and the test is skipped). */
static const char *snap_dir(void)
{
    const char *env = getenv("PRIVSIM_SNAP_DIR");
    const char *dir = env && *env ? env : "../shared/data/snap-ego-facebook";
    char p[1024];
    snprintf(p, sizeof p, "%s/facebook_combined.txt", dir);
    if (access(p, R_OK) != 0) {
        cr_skip_test("SNAP data set not found: %s (set PRIVSIM_SNAP_DIR to its directory)", dir);
        return NULL;
    }
    return dir;
}

/* ---------------------------------------------------------------------------------------
 * The importer on the handmade network
 * ------------------------------------------------------------------------------------- */

Test(data, snap_mini_people_and_friendships)
{
    ps_diag d;
    ps_diag_init(&d);
    ps_snap_stats st;
    ps_model *m = import_ok(MINI, false, 10, &st, &d);
    cr_expect_eq(m->nusers, 6);
    cr_expect_str_eq(members(m, (uint32_t[]){0, 1, 2, 3, 4, 5}, 6), "u1 u2 u3 u4 u5 u10",
                     "users are created in order of id");
    cr_expect_eq(ps_model_nfriendships(m), 8, "3 among the friends + 5 of the ego");
    cr_expect_eq(st.people, 6);
    cr_expect_eq(st.friendships, 8);
    uint32_t ego = user(m, "u10");
    for (uint32_t u = 0; u < m->nusers; u++)
        if (u != ego)
            cr_expect(ps_model_are_friends(m, ego, u), "the ego is a friend of %s",
                      m->users[u].name);
    cr_expect(ps_model_are_friends(m, user(m, "u1"), user(m, "u2")));
    cr_expect(ps_model_are_friends(m, user(m, "u2"), user(m, "u3")));
    cr_expect(ps_model_are_friends(m, user(m, "u3"), user(m, "u4")));
    cr_expect(!ps_model_are_friends(m, user(m, "u1"), user(m, "u3")));
    uint32_t n;
    ps_model_friends(m, user(m, "u5"), &n);
    cr_expect_eq(n, 1, "u5, only in 10.feat, is the ego's friend alone");
    cr_expect_eq(m->nitems, 0, "no items without --items-per-person");
    cr_expect_eq(ps_diag_nerrors(&d), 0);
    ps_model_free(m);
    ps_diag_free(&d);
}

Test(data, snap_mini_circles_keep_friends_only)
{
    ps_diag d;
    ps_diag_init(&d);
    ps_snap_stats st;
    ps_model *m = import_ok(MINI, false, 10, &st, &d);
    cr_expect_eq(m->nlists, 3);
    cr_expect_eq(st.lists, 3);
    const ps_list *l = list_of(m, "u10", "circle0");
    cr_expect_str_eq(members(m, l->members, l->nmembers), "u1 u2");
    l = list_of(m, "u10", "circle1");
    cr_expect_str_eq(members(m, l->members, l->nmembers), "u3", "99 is no friend: left out");
    l = list_of(m, "u10", "circle2");
    cr_expect_str_eq(members(m, l->members, l->nmembers), "u4 u5", "4 named twice, kept once");
    cr_expect_eq(st.dropped, 1);
    cr_expect_eq(ps_diag_nerrors(&d), 0);
    cr_expect_eq(ps_diag_nwarnings(&d), 1);
    const ps_diag_entry *w = first_diag(&d, PS_DIAG_WARNING);
    cr_expect(ends_with(w->path, "10.circles"), "warning about %s", w->path);
    cr_expect_eq(w->loc.line, 2);
    cr_expect_eq(w->loc.col, 11, "the column of '99'");
    cr_expect(strstr(w->msg, "circle1") && strstr(w->msg, "99"), "message: %s", w->msg);
    ps_model_free(m);
    ps_diag_free(&d);
}

Test(data, snap_mini_features_become_networks)
{
    ps_diag d;
    ps_diag_init(&d);
    ps_snap_stats st;
    ps_model *m = import_ok(MINI, false, 10, &st, &d);
    cr_expect_eq(m->nnetworks, 4, "employer-11 has one member and birthday is no network");
    cr_expect_eq(st.networks, 4);
    const ps_network *n = network_of(m, "employer-7");
    cr_expect_str_eq(members(m, n->members, n->nmembers), "u1 u2 u10", "the ego via 10.egofeat");
    n = network_of(m, "school-8");
    cr_expect_str_eq(members(m, n->members, n->nmembers), "u2 u3");
    n = network_of(m, "location-9");
    cr_expect_str_eq(members(m, n->members, n->nmembers), "u1 u5 u10");
    n = network_of(m, "hometown-10");
    cr_expect_str_eq(members(m, n->members, n->nmembers), "u3 u4");
    cr_expect_eq(ps_model_find(m, PS_NS_NETWORK, 0, "employer-11", 11), PS_NONE);
    cr_expect_str_eq(m->networks[0].name, "employer-7", "networks in order of kind and value");
    ps_model_free(m);
    ps_diag_free(&d);
}

Test(data, snap_mini_crlf_reads_as_lf)
{
    char *dir = tmp_dir();
    static const char *const files[] = { "10.edges", "10.feat", "10.egofeat", "10.featnames",
                                         "10.circles" };
    char from[256], to[256];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(from, sizeof from, "%s/%s", MINI, files[i]);
        snprintf(to, sizeof to, "%s/%s", dir, files[i]);
        copy_file(from, to, true);
    }
    ps_diag d1, d2;
    ps_diag_init(&d1);
    ps_diag_init(&d2);
    ps_model *crlf = import_ok(MINI, false, 10, NULL, &d1);
    ps_model *lf = import_ok(dir, false, 10, NULL, &d2);
    char why[512] = "";
    cr_expect(ps_model_equal(crlf, lf, why, sizeof why), "CRLF and LF differ: %s", why);
    ps_model_free(crlf);
    ps_model_free(lf);
    ps_diag_free(&d1);
    ps_diag_free(&d2);
    rm_dir(dir);
}

Test(data, snap_mini_combined_matches_ego)
{
    ps_diag d1, d2;
    ps_diag_init(&d1);
    ps_diag_init(&d2);
    ps_snap_stats st;
    ps_model *ego = import_ok(MINI, false, 10, NULL, &d1);
    ps_model *all = import_ok(MINI, true, 0, &st, &d2);
    cr_expect_eq(st.egos, 1);
    cr_expect_eq(st.people, 6);
    cr_expect_eq(st.friendships, 8);
    char why[512] = "";
    cr_expect(ps_model_equal(ego, all, why, sizeof why), "combined differs: %s", why);
    ps_model_free(ego);
    ps_model_free(all);
    ps_diag_free(&d1);
    ps_diag_free(&d2);
}

Test(data, snap_mini_prints_and_parses_back)
{
    ps_diag d;
    ps_diag_init(&d);
    ps_model *m = import_ok(MINI, false, 10, NULL, &d);
    assert_round_trip(m);
    ps_populate_opts po = { .items_per_person = 4, .seed = 7 };
    cr_assert_eq(ps_populate(m, &po, NULL), 0);
    cr_expect_eq(m->nitems, 24);
    assert_round_trip(m);
    ps_model_free(m);
    ps_diag_free(&d);
}

/* ---------------------------------------------------------------------------------------
 * The importer on broken input
 * ------------------------------------------------------------------------------------- */

Test(data, snap_error_bad_id_has_file_line_col)
{
    char *dir = tmp_dir();
    write_valid_ego(dir);
    write_file(dir, "10.edges", "1 2\r\n1 bob\r\n");
    ps_diag d;
    ps_diag_init(&d);
    cr_expect_eq(import_bad(dir, 10, &d), 1);
    const ps_diag_entry *e = first_diag(&d, PS_DIAG_ERROR);
    cr_expect(ends_with(e->path, "/10.edges"), "error in %s", e->path);
    cr_expect_eq(e->loc.line, 2);
    cr_expect_eq(e->loc.col, 3);
    cr_expect(strstr(e->msg, "person id") && strstr(e->msg, "'bob'"), "message: %s", e->msg);
    ps_diag_free(&d);
    rm_dir(dir);
}

Test(data, snap_error_three_ids_and_one_id)
{
    char *dir = tmp_dir();
    write_valid_ego(dir);
    write_file(dir, "10.edges", "1 2 3\n\n2\n");
    ps_diag d;
    ps_diag_init(&d);
    cr_expect_eq(import_bad(dir, 10, &d), 2, "both lines are reported");
    cr_expect_eq(d.v[0].loc.line, 1);
    cr_expect_eq(d.v[0].loc.col, 5);
    cr_expect_eq(d.v[1].loc.line, 3);
    ps_diag_free(&d);
    rm_dir(dir);
}

Test(data, snap_error_missing_required_file)
{
    char *dir = tmp_dir();
    write_file(dir, "10.edges", "1 2\n");
    ps_diag d;
    ps_diag_init(&d);
    cr_expect_eq(import_bad(dir, 10, &d), 1);
    const ps_diag_entry *e = first_diag(&d, PS_DIAG_ERROR);
    cr_expect(ends_with(e->path, "/10.feat"), "error in %s", e->path);
    cr_expect(strstr(e->msg, "cannot open"), "message: %s", e->msg);
    ps_diag_free(&d);
    rm_dir(dir);
}

Test(data, snap_error_feature_count_and_value)
{
    char *dir = tmp_dir();
    write_valid_ego(dir);
    write_file(dir, "10.feat", "1 0 1\n2 1\n3 1 2\n");
    ps_diag d;
    ps_diag_init(&d);
    cr_expect_eq(import_bad(dir, 10, &d), 2);
    cr_expect_eq(d.v[0].loc.line, 2);
    cr_expect(strstr(d.v[0].msg, "1 feature value,") != NULL, "message: %s", d.v[0].msg);
    cr_expect_eq(d.v[1].loc.line, 3);
    cr_expect_eq(d.v[1].loc.col, 5);
    ps_diag_free(&d);
    rm_dir(dir);
}

Test(data, snap_error_not_a_directory)
{
    ps_diag d;
    ps_diag_init(&d);
    cr_expect_eq(import_bad("tests/data/snap-mini/10.edges", 10, &d), 1);
    ps_diag_free(&d);
    ps_diag_init(&d);
    cr_expect_eq(import_bad("/nonexistent/privsim", 10, &d), 1);
    ps_diag_free(&d);
}

/* ---------------------------------------------------------------------------------------
 * The importer on the real data set
 * ------------------------------------------------------------------------------------- */

Test(data, snap_real_ego0)
{
    const char *dir = snap_dir();
    ps_diag d;
    ps_diag_init(&d);
    ps_snap_stats st;
    ps_model *m = import_ok(dir, false, 0, &st, &d);
    cr_expect_eq(m->nusers, 348, "347 friends and the ego");
    uint32_t ego = user(m, "u0"), n;
    ps_model_friends(m, ego, &n);
    cr_expect_eq(n, 347);
    cr_expect_eq(ps_model_nfriendships(m), 2866, "2,519 among the friends + 347 of the ego");
    cr_expect_eq(m->nlists, 24);
    for (uint32_t l = 0; l < m->nlists; l++) {
        cr_expect_eq(m->lists[l].owner, ego);
        for (uint32_t k = 0; k < m->lists[l].nmembers; k++)
            cr_expect(ps_model_are_friends(m, ego, m->lists[l].members[k]));
    }
    cr_expect_gt(m->nnetworks, 0);
    cr_expect_eq(ps_diag_nerrors(&d), 0);
    cr_expect_eq(ps_diag_nwarnings(&d), 0);
    ps_model_free(m);
    ps_diag_free(&d);
}

Test(data, snap_real_combined)
{
    const char *dir = snap_dir();
    ps_diag d;
    ps_diag_init(&d);
    ps_snap_stats st;
    ps_model *m = import_ok(dir, true, 0, &st, &d);
    cr_expect_eq(m->nusers, 4039);
    cr_expect_eq(ps_model_nfriendships(m), 88234);
    cr_expect_eq(st.egos, 10);
    cr_expect_eq(m->nlists, 193, "every ego's circles");
    cr_expect_eq(ps_diag_nerrors(&d), 0);
    ps_model_free(m);
    ps_diag_free(&d);
}

Test(data, snap_real_populated_round_trip, .timeout = 120)
{
    const char *dir = snap_dir();
    ps_diag d;
    ps_diag_init(&d);
    ps_model *m = import_ok(dir, true, 0, NULL, &d);
    ps_populate_opts po = { .items_per_person = 2, .seed = 3 };
    cr_assert_eq(ps_populate(m, &po, NULL), 0);
    cr_expect_eq(m->nitems, 2 * 4039);
    assert_round_trip(m);
    ps_model_free(m);
    ps_diag_free(&d);
}

/* ---------------------------------------------------------------------------------------
 * The generator
 * ------------------------------------------------------------------------------------- */

static ps_model *gen_ok(uint32_t people, uint32_t degree, uint32_t lists, uint32_t networks,
                        uint32_t items, uint64_t seed, ps_gen_stats *st)
{
    ps_gen_opts o;
    ps_gen_defaults(&o, people);
    o.degree = degree;
    o.lists = lists;
    o.networks = networks;
    o.items_per_person = items;
    o.seed = seed;
    ps_model *m = NULL;
    char err[256] = "";
    int rc = ps_gen(&o, &m, st, err, sizeof err);
    cr_assert_eq(rc, 0, "gen failed: %d %s", rc, err);
    return m;
}

Test(data, gen_same_seed_same_bytes)
{
    ps_model *a = gen_ok(3000, 12, 2, 6, 2, 42, NULL);
    ps_model *b = gen_ok(3000, 12, 2, 6, 2, 42, NULL);
    size_t la, lb;
    char *pa = print_model(a, &la), *pb = print_model(b, &lb);
    cr_expect_eq(la, lb);
    cr_expect(la == lb && memcmp(pa, pb, la) == 0, "same seed, different bytes");
    free(pa);
    free(pb);
    ps_model_free(a);
    ps_model_free(b);
}

Test(data, gen_different_seeds_differ)
{
    ps_model *a = gen_ok(500, 10, 2, 2, 1, 1, NULL);
    ps_model *b = gen_ok(500, 10, 2, 2, 1, 2, NULL);
    size_t la, lb;
    char *pa = print_model(a, &la), *pb = print_model(b, &lb);
    cr_expect(la != lb || memcmp(pa, pb, la) != 0, "seeds 1 and 2 gave the same scenario");
    free(pa);
    free(pb);
    ps_model_free(a);
    ps_model_free(b);
}

Test(data, gen_sizes_are_met)
{
    ps_gen_stats st;
    ps_model *m = gen_ok(3001, 17, 3, 7, 2, 5, &st);
    cr_expect_eq(m->nusers, 3001);
    cr_expect_eq(ps_model_nfriendships(m), 3001u * 17 / 2, "exactly floor(N*D/2)");
    cr_expect_eq(st.friendships, 3001u * 17 / 2);
    cr_expect_eq(m->nnetworks, 7);
    cr_expect_eq(m->nitems, 2 * 3001);
    cr_expect_eq(st.pop.posts + st.pop.photos, 2 * 3001);
    /* every person with friends has 3 lists of friends; network members sorted, unique */
    uint32_t *nl = calloc(m->nusers, sizeof *nl);
    for (uint32_t l = 0; l < m->nlists; l++) {
        const ps_list *x = &m->lists[l];
        nl[x->owner]++;
        cr_expect_gt(x->nmembers, 0);
        for (uint32_t k = 0; k < x->nmembers; k++)
            cr_expect(ps_model_are_friends(m, x->owner, x->members[k]));
    }
    for (uint32_t u = 0; u < m->nusers; u++) {
        uint32_t n;
        ps_model_friends(m, u, &n);
        cr_expect_eq(nl[u], n ? 3 : 0, "%s has %u lists", m->users[u].name, nl[u]);
    }
    free(nl);
    for (uint32_t i = 0; i < m->nnetworks; i++)
        for (uint32_t k = 1; k < m->networks[i].nmembers; k++)
            cr_expect_lt(m->networks[i].members[k - 1], m->networks[i].members[k]);
    ps_model_free(m);
}

Test(data, gen_small_and_dense_graphs)
{
    struct { uint32_t n, d, want; } cases[] = {
        { 1, 0, 0 }, { 2, 1, 1 }, { 5, 4, 10 }, { 50, 49, 1225 }, { 7, 3, 10 }, { 300, 250, 37500 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ps_model *m = gen_ok(cases[i].n, cases[i].d, 1, 1, 1, 9, NULL);
        cr_expect_eq(ps_model_nfriendships(m), cases[i].want, "N=%u D=%u", cases[i].n,
                     cases[i].d);
        ps_model_free(m);
    }
}

Test(data, gen_parses_back)
{
    ps_model *m = gen_ok(2000, 14, 2, 4, 3, 11, NULL);
    assert_round_trip(m);
    ps_model_free(m);
}

Test(data, gen_rejects_bad_options)
{
    ps_gen_opts o;
    ps_model *m = NULL;
    char err[256];
    ps_gen_defaults(&o, 10);
    o.degree = 10;
    cr_expect_eq(ps_gen(&o, &m, NULL, err, sizeof err), PS_GEN_EOPTS, "degree N");
    cr_expect_null(m);
    ps_gen_defaults(&o, 0);
    cr_expect_eq(ps_gen(&o, &m, NULL, err, sizeof err), PS_GEN_EOPTS, "no people");
    ps_gen_defaults(&o, 10);
    o.networks = 11;
    cr_expect_eq(ps_gen(&o, &m, NULL, err, sizeof err), PS_GEN_EOPTS, "networks");
    ps_gen_defaults(&o, 10);
    o.items_per_person = PS_MAX_ITEMS;
    cr_expect_eq(ps_gen(&o, &m, NULL, err, sizeof err), PS_GEN_EOPTS, "items");
    ps_gen_defaults(&o, 5);
    cr_expect_eq(o.degree, 4, "the default degree is capped at N-1");
}

Test(data, parse_count_suffixes)
{
    uint64_t v;
    cr_expect(ps_parse_count("1M", UINT32_MAX, &v) == 0 && v == 1000000);
    cr_expect(ps_parse_count("250k", UINT32_MAX, &v) == 0 && v == 250000);
    cr_expect(ps_parse_count("42", UINT32_MAX, &v) == 0 && v == 42);
    cr_expect_eq(ps_parse_count("", UINT32_MAX, &v), -1);
    cr_expect_eq(ps_parse_count("-1", UINT32_MAX, &v), -1);
    cr_expect_eq(ps_parse_count("1.5M", UINT32_MAX, &v), -1);
    cr_expect_eq(ps_parse_count("5000M", UINT32_MAX, &v), -1);
    cr_expect_eq(ps_parse_count("12x", UINT32_MAX, &v), -1);
}

/* ---------------------------------------------------------------------------------------
 * The populate step
 * ------------------------------------------------------------------------------------- */

Test(data, populate_zero_adds_nothing)
{
    ps_model *m = gen_ok(200, 8, 2, 2, 0, 3, NULL);
    cr_expect_eq(m->nitems, 0);
    cr_expect_eq(m->npersonas, 0);
    cr_expect_eq(m->napps, 0);
    ps_model_free(m);
}

static bool has_term(const ps_terms *t, ps_term_kind kind)
{
    for (uint32_t i = 0; i < t->n; i++)
        if (t->v[i].kind == kind)
            return true;
    return false;
}

Test(data, populate_follows_its_distribution)
{
    ps_gen_stats st;
    ps_model *m = gen_ok(4000, 16, 2, 8, 5, 21, &st);
    uint32_t n = m->nitems, photos = 0, tagged = 0, persona = 0, hidden = 0;
    uint32_t count[PS_NTERMS] = {0};
    for (uint32_t i = 0; i < n; i++) {
        const ps_item *it = &m->items[i];
        cr_assert(it->has_audience && it->audience.allow.n > 0);
        photos += it->kind == PS_ITEM_PHOTO;
        if (it->ntags) {
            tagged++;
            cr_expect_eq(it->kind, PS_ITEM_PHOTO, "only photos are tagged");
            cr_expect_leq(it->ntags, 3);
            for (uint32_t k = 0; k < it->ntags; k++)
                cr_expect(ps_model_are_friends(m, it->owner, it->tags[k].user));
        }
        if (it->persona != PS_NONE) {
            persona++;
            const ps_persona *p = &m->personas[it->persona];
            cr_expect_eq(p->owner, it->owner);
            cr_expect(ps_terms_equal(&p->audience, &it->audience.allow));
            continue;
        }
        if (it->audience.hide.n) {
            hidden++;
            cr_expect(!has_term(&it->audience.allow, PS_TERM_LIST) &&
                      !has_term(&it->audience.allow, PS_TERM_USER) &&
                      !has_term(&it->audience.allow, PS_TERM_ONLY_ME),
                      "hide only on broad audiences");
        }
        for (uint32_t k = 0; k < it->audience.allow.n; k++) {
            const ps_term *t = &it->audience.allow.v[k];
            if (k == 0)
                count[t->kind]++;
            if (t->kind == PS_TERM_LIST)
                cr_expect_eq(m->lists[t->ref].owner, it->owner, "a list of the owner's");
            if (t->kind == PS_TERM_NETWORK)
                cr_expect(ps_network_has(&m->networks[t->ref], it->owner), "owner's network");
            if (t->kind == PS_TERM_USER)
                cr_expect(ps_model_are_friends(m, it->owner, t->ref), "a friend");
        }
    }
    cr_expect_eq(n, 20000);
    /* loose bounds around the documented percentages (several standard deviations) */
    cr_expect(photos > n * 27 / 100 && photos < n * 33 / 100, "photos %u", photos);
    cr_expect(tagged > photos * 45 / 100 && tagged < photos * 55 / 100, "tagged %u", tagged);
    cr_expect(hidden > 0 && persona > 0 && m->npersonas > 0 && m->napps == 4);
    uint32_t rest = n - persona;
    cr_expect(count[PS_TERM_PUBLIC] > rest * 10 / 100 && count[PS_TERM_PUBLIC] < rest * 14 / 100,
              "public %u of %u", count[PS_TERM_PUBLIC], rest);
    cr_expect(count[PS_TERM_LIST] > rest * 15 / 100 && count[PS_TERM_LIST] < rest * 21 / 100,
              "list %u of %u", count[PS_TERM_LIST], rest);
    cr_expect(count[PS_TERM_ONLY_ME] > rest * 2 / 100 && count[PS_TERM_ONLY_ME] < rest * 6 / 100,
              "only-me %u of %u", count[PS_TERM_ONLY_ME], rest);
    for (uint32_t a = 0; a < m->napps; a++)
        cr_expect_eq(m->apps[a].ninstallers, 16, "4000 / 250 installers");
    ps_model_free(m);
}

Test(data, populate_is_deterministic_per_model)
{
    ps_model *a = gen_ok(600, 10, 2, 3, 0, 8, NULL);
    ps_model *b = ps_model_clone(a);
    cr_assert_not_null(b);
    ps_populate_opts po = { .items_per_person = 3, .seed = 99 };
    cr_assert_eq(ps_populate(a, &po, NULL), 0);
    cr_assert_eq(ps_populate(b, &po, NULL), 0);
    char why[512] = "";
    cr_expect(ps_model_equal(a, b, why, sizeof why), "%s", why);
    ps_model_free(a);
    ps_model_free(b);
}

/* ---------------------------------------------------------------------------------------
 * The commands
 * ------------------------------------------------------------------------------------- */

static int run(int (*cmd)(int, char **), const char *const *args)
{
    char *argv[32];
    int argc = 0;
    while (args[argc] && argc < 31) {
        argv[argc] = (char *)args[argc];
        argc++;
    }
    argv[argc] = NULL;
    return cmd(argc, argv);
}

Test(data, cmd_import_exit_statuses)
{
    char *dir = tmp_dir();
    char out[256];
    snprintf(out, sizeof out, "%s/out.psim", dir);
    cr_expect_eq(run(ps_cmd_import, (const char *[]){ "import", "snap-ego", MINI, "--ego", "10",
                                                      "--items-per-person", "2", "-q", "-o",
                                                      out, NULL }), 0);
    ps_diag d;
    ps_diag_init(&d);
    ps_model *m = NULL;
    cr_expect_eq(ps_parse_file(out, &m, &d), 0, "the written scenario parses");
    cr_expect(m && m->nusers == 6 && m->nitems == 12);
    ps_model_free(m);
    ps_diag_free(&d);
    cr_expect_eq(run(ps_cmd_import, (const char *[]){ "import", "snap-ego", "/nonexistent",
                                                      "--ego", "0", NULL }), 2);
    cr_expect_eq(run(ps_cmd_import, (const char *[]){ "import", "snap-ego", MINI, NULL }), 2,
                 "neither --ego nor --combined");
    cr_expect_eq(run(ps_cmd_import, (const char *[]){ "import", "snap-ego", MINI, "--ego", "1",
                                                      "--combined", NULL }), 2);
    cr_expect_eq(run(ps_cmd_import, (const char *[]){ "import", "csv", MINI, "--ego", "10",
                                                      NULL }), 2);
    cr_expect_eq(run(ps_cmd_import, (const char *[]){ "import", "snap-ego", MINI, "--ego", "x",
                                                      NULL }), 2);
    cr_expect_eq(run(ps_cmd_import, (const char *[]){ "import", "snap-ego", MINI, "--ego", "10",
                                                      "--platform", "nope", NULL }), 2);
    cr_expect_eq(run(ps_cmd_import, (const char *[]){ "import", "snap-ego", MINI, "--ego", "7",
                                                      "-o", out, NULL }), 2, "no such ego");
    cr_expect_eq(access(out, F_OK), 0, "a failed import leaves the old output alone");
    rm_dir(dir);
}

Test(data, cmd_gen_exit_statuses)
{
    char *dir = tmp_dir();
    char out[256];
    snprintf(out, sizeof out, "%s/g.psim", dir);
    cr_expect_eq(run(ps_cmd_gen, (const char *[]){ "gen", "--people", "1k", "--degree", "6",
                                                   "--seed", "0x2a", "-q", "-o", out, NULL }), 0);
    ps_diag d;
    ps_diag_init(&d);
    ps_model *m = NULL;
    cr_expect_eq(ps_parse_file(out, &m, &d), 0, "the written scenario parses");
    cr_expect(m && m->nusers == 1000 && ps_model_nfriendships(m) == 3000 && m->nitems == 1000);
    ps_model_free(m);
    ps_diag_free(&d);
    cr_expect_eq(run(ps_cmd_gen, (const char *[]){ "gen", NULL }), 2, "--people is required");
    cr_expect_eq(run(ps_cmd_gen, (const char *[]){ "gen", "--people", "0", NULL }), 2);
    cr_expect_eq(run(ps_cmd_gen, (const char *[]){ "gen", "--people", "10", "--degree", "10",
                                                   NULL }), 2);
    cr_expect_eq(run(ps_cmd_gen, (const char *[]){ "gen", "--people", "ten", NULL }), 2);
    cr_expect_eq(run(ps_cmd_gen, (const char *[]){ "gen", "--people", "10", "extra", NULL }), 2);
    rm_dir(dir);
}

#include "linkage.h"
#include "split.h"

/* The README's table of the ten egos split by their largest circle, for ego 0: how many of
 * the friends left with the first account link the two (forbidden linkages) per preset. */
Test(data, snap_real_split_ego0_figures, .timeout = 120)
{
    const char *dir = snap_dir();
    ps_diag d;
    ps_diag_init(&d);
    ps_snap_stats st;
    ps_model *m = import_ok(dir, false, 0, &st, &d);
    ps_split_stats sp;
    cr_assert_eq(ps_split_account(m, user(m, "u0"), "largest", &sp), 0);
    cr_expect_eq(sp.moved, 111);
    cr_expect_eq(sp.both, 22);
    cr_expect_eq(sp.remaining, 236);
    static const struct { const char *platform; uint64_t forbidden; } want[] = {
        { "facebook-2005", 104 }, { "facebook-2015", 236 }, { "strict", 0 },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        cr_assert_eq(ps_model_set_platform(m, want[i].platform), 0);
        ps_linkage_report *r;
        ps_linkage_opts o = { .fixes = false };
        cr_assert_eq(ps_linkage_check(m, &o, &r), 0);
        cr_expect_eq(r->counts[PS_SEV_FORBIDDEN], want[i].forbidden, "%s: %llu forbidden",
                     want[i].platform, (unsigned long long)r->counts[PS_SEV_FORBIDDEN]);
        ps_linkage_report_free(r);
    }
    ps_model_free(m);
    ps_diag_free(&d);
}
