/* test_limits.c - the documented limits of the language turn into errors, and hostile or
 * broken input (random bytes, mutated scenarios, very large files) never crashes the parser
 * or makes it use memory out of proportion. */
#include "lang_test.h"

/* A small seeded generator, so that every run sees the same input. */
static uint64_t rng_state;

static void rng_seed(uint64_t s)
{
    rng_state = s ? s : 1;
}

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* A growable text buffer. */
typedef struct {
    char *p;
    size_t n, cap;
} text;

static void add(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(text *t, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(t->p ? t->p + t->n : NULL, t->p ? t->cap - t->n : 0, fmt, ap);
        va_end(ap);
        if (t->p && (size_t)k < t->cap - t->n) {
            t->n += (size_t)k;
            return;
        }
        t->cap = (t->cap + (size_t)k + 1) * 2;
        t->p = realloc(t->p, t->cap);
        cr_assert(t->p != NULL);
    }
}

/* Parses t; returns ps_parse_buffer's result, and the diagnostics' first line in *first. */
static int parse_text(const char *buf, size_t len, char *first, size_t cap)
{
    int rc;
    char *out = diag_text_n(buf, len, &rc);
    if (first) {
        const char *fl = first_line(out);
        size_t n = strlen(fl) < cap ? strlen(fl) : cap - 1;
        memcpy(first, fl, n);
        first[n] = 0;
    }
    free(out);
    return rc;
}

/* ---- limits ---------------------------------------------------------------------------- */

Test(limits, line_length)
{
    text t = {0};
    add(&t, "user");
    for (int i = 0; t.n < PS_MAX_LINE - 6; i++)
        add(&t, " u%d", i);
    while (t.n < PS_MAX_LINE)
        add(&t, "x");
    cr_assert(eq(sz, t.n, PS_MAX_LINE));
    add(&t, "\n");
    cr_assert(eq(int, parse_text(t.p, t.n, NULL, 0), 0), "a line of exactly the limit");
    t.n--; /* drop the newline, make the line one byte longer */
    add(&t, "y\n");
    char first[1024];
    cr_assert(eq(int, parse_text(t.p, t.n, first, sizeof first), -1));
    cr_assert(eq(str, first, "t.psim:1:4097: error: line is longer than 4096 bytes"));
    free(t.p);
}

Test(limits, name_length)
{
    text t = {0};
    add(&t, "user ");
    for (int i = 0; i < PS_MAX_NAME; i++)
        add(&t, "n");
    add(&t, "\n");
    cr_assert(eq(int, parse_text(t.p, t.n, NULL, 0), 0));
    t.n--;
    add(&t, "n\n");
    char first[256];
    cr_assert(eq(int, parse_text(t.p, t.n, first, sizeof first), -1));
    cr_assert(eq(str, first, "t.psim:1:6: error: name is longer than 128 bytes"));
    free(t.p);
}

Test(limits, terms_in_one_audience)
{
    text t = {0};
    add(&t, "user a\npost p by=a audience=");
    for (int i = 0; i < PS_MAX_TERMS; i++) {
        add(&t, "%suser:u%d", i ? "," : "", i);
        if (i % 8 == 7) /* keep the lines short: continue them */
            add(&t, "\\\n");
    }
    add(&t, "\nuser");
    for (int i = 0; i <= PS_MAX_TERMS; i++)
        add(&t, " u%d", i);
    add(&t, "\n");
    cr_assert(eq(int, parse_text(t.p, t.n, NULL, 0), 0), "%d terms", PS_MAX_TERMS);
    /* one more */
    char *nl = strstr(t.p, "\nuser u0");
    text u = {0};
    add(&u, "%.*s,user:u%d%s", (int)(nl - t.p), t.p, PS_MAX_TERMS, nl);
    char first[256];
    cr_assert(eq(int, parse_text(u.p, u.n, first, sizeof first), -1));
    cr_assert(eq(str, first, "t.psim:10:2: error: too many terms in one audience "
                             "(the limit is 64)"));
    free(t.p);
    free(u.p);
}

Test(limits, tags_on_one_item)
{
    text t = {0};
    add(&t, "user a\nuser");
    for (int i = 0; i <= PS_MAX_TAGS; i++)
        add(&t, "%s u%d", i % 100 == 99 ? " \\\n" : "", i);
    add(&t, "\nphoto p by=a tags=u0");
    for (int i = 1; i < PS_MAX_TAGS; i++)
        add(&t, ",%su%d", i % 100 == 99 ? "\\\n" : "", i);
    size_t keep = t.n;
    add(&t, "\n");
    cr_assert(eq(int, parse_text(t.p, t.n, NULL, 0), 0), "%d tags", PS_MAX_TAGS);
    t.n = keep;
    add(&t, ",u%d\n", PS_MAX_TAGS);
    char first[256];
    cr_assert(eq(int, parse_text(t.p, t.n, first, sizeof first), -1));
    cr_assert(strstr(first, "error: too many tags on one item (the limit is 1024)") != NULL,
              "%s", first);
    free(t.p);
}

Test(limits, alternatives_and_vary_lines)
{
    text t = {0};
    add(&t, "user a\npost p by=a\nvary p audience=user:a0");
    for (int i = 1; i <= PS_MAX_ALTS; i++)
        add(&t, " |%s user:a%d", i % 10 == 0 ? " \\\n" : "", i);
    add(&t, "\nuser");
    for (int i = 0; i <= PS_MAX_ALTS; i++)
        add(&t, " a%d", i);
    add(&t, "\n");
    char first[256];
    cr_assert(eq(int, parse_text(t.p, t.n, first, sizeof first), -1));
    cr_assert(strstr(first, "error: too many alternatives (the limit is 64)") != NULL, "%s",
              first);
    free(t.p);

    text v = {0};
    add(&v, "user a b\npost p by=a\n");
    for (int i = 0; i <= PS_MAX_VARIES; i++)
        add(&v, "vary do b like p\n");
    cr_assert(eq(int, parse_text(v.p, v.n, first, sizeof first), -1));
    cr_assert(eq(str, first, "t.psim:1027:1: error: too many vary lines (the limit is 1024)"));
    free(v.p);
}

Test(limits, file_size)
{
    /* the size is refused before a byte is read, so a short buffer stands for a large one */
    char first[256];
    cr_assert(eq(int, parse_text("user a\n", PS_MAX_FILE + 1, first, sizeof first), -1));
    cr_assert(eq(str, first, "t.psim: error: file is larger than 1073741824 bytes (1 GiB)"));
}

/* ---- hostile and broken input ---------------------------------------------------------- */

Test(limits, a_megabyte_of_random_bytes)
{
    size_t n = 1 << 20;
    char *buf = malloc(n);
    rng_seed(20240229);
    for (size_t i = 0; i < n; i++)
        buf[i] = (char)rng();
    char first[256];
    cr_assert(eq(int, parse_text(buf, n, first, sizeof first), -1));
    cr_assert(strstr(first, "error: file is not valid UTF-8") != NULL, "%s", first);
    /* the same bytes made ASCII: lexically valid UTF-8, a flood of errors */
    for (size_t i = 0; i < n; i++)
        buf[i] &= 0x7f;
    int rc;
    char *out = diag_text_n(buf, n, &rc);
    cr_assert(eq(int, rc, -1));
    cr_assert(strstr(out, "too many errors; stopped after 50") != NULL);
    free(out);
    free(buf);
}

Test(limits, a_megabyte_of_random_words)
{
    static const char *const words[] = {
        "user", "friends", "network", "group", "list", "persona", "post", "photo", "field",
        "set", "app", "do", "expect", "vary", "rule", "platform", "by", "audience", "hide",
        "tags", "persona", "group", "forbid", "installed-by", "share", "tag", "friends",
        "public", "fof", "list", "user", "a", "b", "p", "a.birthday", "open", "closed",
        "tag-review", "on", "off", "can-see", "cannot-see", "internet", "app", "strict",
        "=", ",", "|", ":", "\n", "\n", " ", " ", "\"x\"", "\\\n", "#", "\"",
    };
    size_t nw = sizeof words / sizeof words[0];
    text t = {0};
    rng_seed(7);
    while (t.n < (1 << 20))
        add(&t, "%s ", words[rng() % nw]);
    int rc;
    char *out = diag_text_n(t.p, t.n, &rc);
    cr_assert(eq(int, rc, -1));
    free(out);
    free(t.p);
}

Test(limits, mutated_examples_never_crash_and_round_trip_when_good)
{
    static const char *const files[] = {
        "corpus/examples/al-the-accountant.psim", "corpus/examples/vary-space.psim",
        "corpus/examples/timeline-unfriend.psim", "corpus/examples/custom-platform.psim",
    };
    rng_seed(99);
    int good = 0;
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        size_t len;
        char *src = slurp(files[f], &len);
        cr_assert(src != NULL);
        for (int round = 0; round < 150; round++) {
            char *buf = malloc(len + 8);
            memcpy(buf, src, len);
            size_t n = len;
            for (int k = 0; k < 1 + (int)(rng() % 4); k++) {
                size_t at = rng() % n;
                switch (rng() % 3) {
                case 0: buf[at] = " \n=,|:#\"\\ax.1"[rng() % 13]; break;
                case 1: memmove(buf + at, buf + at + 1, n - at - 1); n--; break;
                default: memmove(buf + at + 1, buf + at, n - at); buf[at] = buf[rng() % n]; n++;
                }
            }
            ps_diag d;
            ps_diag_init(&d);
            ps_model *m = NULL;
            if (ps_parse_buffer("m.psim", buf, n, &m, &d) == 0) {
                good++;
                char *out = NULL;
                size_t on;
                FILE *o = open_memstream(&out, &on);
                ps_print_scenario(o, m);
                fclose(o);
                ps_model *back = NULL;
                ps_diag d2;
                ps_diag_init(&d2);
                cr_assert(eq(int, ps_parse_buffer("m.psim", out, on, &back, &d2), 0),
                          "the print of a good mutant reads back:\n%s", out);
                char why[256];
                cr_assert(ps_model_equal(m, back, why, sizeof why), "%s\n%s", why, out);
                ps_model_free(back);
                ps_diag_free(&d2);
                free(out);
            }
            ps_model_free(m);
            ps_diag_free(&d);
            free(buf);
        }
        free(src);
    }
    cr_assert(gt(int, good, 0), "some mutants are still good scenarios");
}

Test(limits, a_hundred_thousand_friendships)
{
    text t = {0};
    int users = 10000;
    for (int i = 0; i < users; i++)
        add(&t, "user u%d\n", i);
    for (int i = 0; i < users; i++)
        for (int k = 1; k <= 10; k++)
            add(&t, "friends u%d u%d\n", i, (i + k) % users);
    ps_diag d;
    ps_diag_init(&d);
    ps_model *m = NULL;
    cr_assert(eq(int, ps_parse_buffer("big.psim", t.p, t.n, &m, &d), 0));
    cr_assert(eq(u32, ps_diag_nwarnings(&d), 0));
    cr_assert(eq(u32, ps_model_nfriendships(m), 100000));
    ps_model_free(m);
    ps_diag_free(&d);
    free(t.p);
}

Test(limits, one_statement_continued_over_many_lines)
{
    text t = {0};
    int members = 100000;
    for (int i = 0; i < members; i++)
        add(&t, "user m%d\n", i);
    add(&t, "network everyone-here");
    for (int i = 0; i < members; i++)
        add(&t, "%s m%d", i % 50 == 49 ? " \\\n" : "", i);
    add(&t, "\n");
    ps_model *m = parse_ok(t.p);
    cr_assert(eq(u32, m->networks[0].nmembers, (uint32_t)members));
    ps_model_free(m);
    free(t.p);
}
