/* test_fmt.c - the canonical form: `privsim fmt` over every example reads back as the same
 * scenario and is stable, and the printer's layout is the documented one. */
#include "cmd_lang.h"
#include "lang_test.h"

#include <dirent.h>

/* Formats `text` with ps_fmt_buffer; the result is the caller's. */
static char *fmt_text(const char *path, const char *text, size_t len)
{
    ps_diag d;
    ps_diag_init(&d);
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    int r = ps_fmt_buffer(path, text, len, f, &d);
    fclose(f);
    if (r != 0)
        ps_diag_print(&d, stderr, false);
    ps_diag_free(&d);
    cr_assert(eq(int, r, 0), "%s formats", path);
    return out;
}

static ps_model *parse_named(const char *path, const char *text)
{
    ps_diag d;
    ps_diag_init(&d);
    ps_model *m = NULL;
    int r = ps_parse_buffer(path, text, strlen(text), &m, &d);
    if (r != 0)
        ps_diag_print(&d, stderr, false);
    ps_diag_free(&d);
    cr_assert(eq(int, r, 0), "%s parses", path);
    return m;
}

/* The example files, sorted (the caller frees the list and the names). */
static char **example_files(size_t *n)
{
    DIR *dir = opendir("corpus/examples");
    cr_assert(dir != NULL, "run the tests from the repository root");
    char **v = NULL;
    *n = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".psim") != 0)
            continue;
        v = realloc(v, (*n + 1) * sizeof *v);
        v[*n] = malloc(len + 20);
        snprintf(v[*n], len + 20, "corpus/examples/%s", e->d_name);
        (*n)++;
    }
    closedir(dir);
    for (size_t i = 1; i < *n; i++)
        for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
            char *t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return v;
}

Test(fmt, every_example_round_trips)
{
    size_t n;
    char **files = example_files(&n);
    cr_assert(n >= 7, "the examples are there");
    for (size_t i = 0; i < n; i++) {
        size_t len;
        char *src = slurp(files[i], &len);
        cr_assert(src != NULL);
        ps_model *m1 = parse_named(files[i], src);
        char *once = fmt_text(files[i], src, len);
        ps_model *m2 = parse_named(files[i], once);
        char why[256];
        cr_expect(ps_model_equal(m1, m2, why, sizeof why), "%s: %s", files[i], why);
        cr_expect(ps_model_equal(m2, m1, why, sizeof why), "%s (reversed): %s", files[i], why);
        char *twice = fmt_text(files[i], once, strlen(once));
        cr_expect(eq(str, twice, once), "%s: fmt of fmt output is unchanged", files[i]);
        /* the comment that says what the example shows is kept */
        cr_expect(eq(int, once[0], '#'), "%s keeps its header comment", files[i]);
        ps_model_free(m1);
        ps_model_free(m2);
        free(src);
        free(once);
        free(twice);
        free(files[i]);
    }
    free(files);
}

Test(fmt, canonical_layout)
{
    const char *src =
        "# header kept\n"
        "\n"
        "expect carol cannot-see p10    # a comment beside its statement stays beside it\n"
        "set al tag-review=off                # before the first do: the initial state\n"
        "do erin share p2 audience=public\n"
        "post p10 by=al audience=friends\n"
        "photo p2 by=erin tags=al,carol \"A \\\"quoted\\\" \\\\ caption\"\n"
        "field al.birthday audience=only-me\n"
        "app quiz installed-by=erin\n"
        "list al work dave carol\n"
        "persona al weekend audience=friends forbid=list:work\n"
        "group lanes closed erin al\n"
        "network acme dave al carol\n"
        "friends erin al\n"
        "friends al carol dave\n"
        "user erin dave carol\n"
        "user al \"Al\"\n"
        "rule reshare = visible\n"
        "rule default-audience = friends\n"
        "rule default-audience.photos = fof\n"
        "platform facebook-2010\n"
        "vary p10 audience=friends | public\n";
    char *out = fmt_text("t.psim", src, strlen(src));
    cr_assert(eq(str, out,
        "# header kept\n"
        "\n"
        "platform facebook-2010\n"
        "\n"
        "rule reshare                 = visible\n"
        "rule default-audience        = friends\n"
        "rule default-audience.photos = fof\n"
        "\n"
        "user al \"Al\"\n"
        "user carol dave erin\n"
        "\n"
        "friends al carol dave erin\n"
        "\n"
        "network acme al carol dave\n"
        "\n"
        "group lanes closed al erin\n"
        "\n"
        "list al work carol dave\n"
        "\n"
        "persona al weekend audience=friends forbid=list:work\n"
        "\n"
        "app quiz installed-by=erin\n"
        "\n"
        "photo p2  by=erin tags=al,carol \"A \\\"quoted\\\" \\\\ caption\"\n"
        "post  p10 by=al   audience=friends\n"
        "\n"
        "field al.birthday audience=only-me\n"
        "\n"
        "set al tag-review=off  # before the first do: the initial state\n"
        "\n"
        "do erin share p2 audience=public\n"
        "\n"
        "expect carol cannot-see p10  # a comment beside its statement stays beside it\n"
        "\n"
        "vary p10 audience=friends | public\n"));
    free(out);
}

Test(fmt, comments_follow_their_statements)
{
    const char *src =
        "# header\n"
        "# more header\n"
        "\n"
        "# about the first statement, erin's share\n"
        "do erin share p audience=public   # beside the share\n"
        "expect dave cannot-see p\n"
        "\n"
        "# about the post\n"
        "# (two lines)\n"
        "post p by=al audience=friends\n"
        "user erin dave # the others\n"
        "user al        # the owner\n"
        "friends al \\\n"
        "  dave erin    # beside a continued line\n"
        "# a \"string\" # in a comment\n"
        "set al tag-review=off\n"
        "\n"
        "# the end\n";
    char *out = fmt_text("t.psim", src, strlen(src));
    cr_assert(eq(str, out,
        "# header\n"
        "# more header\n"
        "\n"
        "platform facebook-2015\n"
        "\n"
        "# the owner\n"
        "user al dave erin  # the others\n"
        "\n"
        "friends al dave erin  # beside a continued line\n"
        "\n"
        "# about the post\n"
        "# (two lines)\n"
        "post  p by=al audience=friends\n"
        "\n"
        "# about the first statement, erin's share\n"
        "do erin share p audience=public  # beside the share\n"
        "# a \"string\" # in a comment\n"
        "do al set tag-review=off\n"
        "\n"
        "expect dave cannot-see p\n"
        "\n"
        "# the end\n"), "%s", out);
    char *twice = fmt_text("t.psim", out, strlen(out));
    cr_assert(eq(str, twice, out), "formatting again changes nothing");
    free(twice);
    free(out);
}

Test(fmt, long_statements_are_continued_and_read_back)
{
    /* 600 members and 64 terms: far past the line limit on one line */
    size_t cap = 1 << 16;
    char *src = malloc(cap);
    size_t k = (size_t)snprintf(src, cap, "user owner\n");
    for (int i = 0; i < 600; i++)
        k += (size_t)snprintf(src + k, cap - k, "user member-with-a-long-name-%03d\n", i);
    k += (size_t)snprintf(src + k, cap - k, "network big");
    for (int i = 0; i < 600; i++)
        k += (size_t)snprintf(src + k, cap - k, " \\\n member-with-a-long-name-%03d", i);
    k += (size_t)snprintf(src + k, cap - k, "\npost p by=owner audience=user:owner");
    for (int i = 0; i < PS_MAX_TERMS - 1; i++)
        k += (size_t)snprintf(src + k, cap - k, ",\\\n user:member-with-a-long-name-%03d", i);
    k += (size_t)snprintf(src + k, cap - k, "\n");
    ps_model *m1 = parse_named("t.psim", src);
    char *out = fmt_text("t.psim", src, k);
    ps_model *m2 = parse_named("t.psim", out);
    char why[256];
    cr_assert(ps_model_equal(m1, m2, why, sizeof why), "%s", why);
    for (const char *line = out; *line;) {
        size_t len = strcspn(line, "\n");
        cr_assert(le(sz, len, 100 + 2), "printed lines stay short: %.*s", (int)len, line);
        line += len + (line[len] == '\n');
    }
    ps_model_free(m1);
    ps_model_free(m2);
    free(out);
    free(src);
}

Test(fmt, natural_order_of_names)
{
    char *out = fmt_text("t.psim", "user u10 u9 u1 U2 u01\n", 22);
    cr_assert(eq(str, out, "platform " PS_DEFAULT_PLATFORM "\n\nuser U2 u01 u1 u9 u10\n"),
              "the platform is always written out");
    free(out);
}

Test(fmt, a_model_built_in_memory_prints_as_a_valid_scenario)
{
    /* the fuzzer writes its findings from models it changed itself */
    ps_model *m = parse_ok("user al\npost p by=al\n");
    uint32_t p = item_of(m, "p");
    m->items[p].caption = strdup("bell \a and\nnewline");
    m->items[p].has_audience = true;
    ps_terms_push(&m->items[p].audience.allow, PS_TERM_FOF, PS_NONE);
    ps_step *s = ps_model_add_step(m);
    s->kind = PS_STEP_LIKE;
    s->actor = user_of(m, "al");
    s->item = p;
    char *out = NULL;
    size_t n;
    FILE *f = open_memstream(&out, &n);
    cr_assert(eq(int, ps_print_scenario(f, m), 0));
    fclose(f);
    cr_assert(strstr(out, "\"bell \xef\xbf\xbd and\xef\xbf\xbdnewline\"") != NULL);
    ps_model *back = parse_named("t.psim", out);
    cr_assert(eq(u32, back->nsteps, 1));
    cr_assert(back->items[item_of(back, "p")].has_audience);
    ps_model_free(back);
    ps_model_free(m);
    free(out);
}

Test(fmt, equality_sees_each_kind_of_difference)
{
    static const char base[] =
        "user a b c\nfriends a b\nlist a l b\npost p by=a audience=list:l\n"
        "do b like p\nexpect c cannot-see p\n";
    static const char *const changed[] = {
        "user a b c\nfriends a c\nlist a l b\npost p by=a audience=list:l\n"
        "do b like p\nexpect c cannot-see p\n",
        "user a b c\nfriends a b\nlist a l b c\npost p by=a audience=list:l\n"
        "do b like p\nexpect c cannot-see p\n",
        "user a b c\nfriends a b\nlist a l b\npost p by=a audience=friends\n"
        "do b like p\nexpect c cannot-see p\n",
        "user a b c\nfriends a b\nlist a l b\npost p by=a audience=list:l\n"
        "do b comment p\nexpect c cannot-see p\n",
        "user a b c\nfriends a b\nlist a l b\npost p by=a audience=list:l\n"
        "do b like p\nexpect c can-see p\n",
        "platform strict\nuser a b c\nfriends a b\nlist a l b\npost p by=a audience=list:l\n"
        "do b like p\nexpect c cannot-see p\n",
        "user a b c \"C\"\nfriends a b\nlist a l b\npost p by=a audience=list:l\n"
        "do b like p\nexpect c cannot-see p\n",
    };
    ps_model *m = parse_ok(base);
    for (size_t i = 0; i < sizeof changed / sizeof changed[0]; i++) {
        ps_model *o = parse_ok(changed[i]);
        char why[256];
        cr_expect(not(ps_model_equal(m, o, why, sizeof why)), "change %zu is seen", i);
        cr_expect(ne(str, why, ""), "change %zu is described", i);
        ps_model_free(o);
    }
    /* the same scenario written in another order is equal */
    ps_model *same = parse_ok("expect c cannot-see p\ndo b like p\npost p by=a audience=list:l\n"
                              "list a l b\nfriends b a\nuser c b a\n");
    cr_assert(ps_model_equal(m, same, NULL, 0));
    ps_model_free(same);
    ps_model_free(m);
}

Test(fmt, printer_helpers)
{
    ps_model *m = parse_ok("user al bo\nlist al l bo\nnetwork n al\ngroup g open al\napp quiz\n"
                           "post p by=al audience=list:l,network:n hide=group:g,user:bo\n"
                           "do bo share p audience=friends hide=user:al\n"
                           "do bo tag p al\ndo al install quiz\ndo al set p audience=only-me\n");
    char *out = NULL;
    size_t n;
    FILE *f = open_memstream(&out, &n);
    ps_print_audience(f, m, &m->items[item_of(m, "p")].audience);
    fputc('|', f);
    for (uint32_t i = 0; i < m->nsteps; i++) {
        ps_print_step(f, m, &m->steps[i]);
        fputc('|', f);
    }
    ps_print_rule_value(f, &m->rules, PS_RULE_TAG_EXTENDS, 0);
    fputc('|', f);
    ps_print_categories(f, (1u << PS_F_EMAIL) | (1u << PS_CAT_POSTS), false);
    fputc('|', f);
    ps_print_string(f, "say \"hi\"");
    fclose(f);
    cr_assert(eq(str, out,
                 "audience=list:l,network:n hide=group:g,user:bo|"
                 "bo share p audience=friends hide=user:al|bo tag p al|al install quiz|"
                 "al set p audience=only-me|tagged-friends|email,posts|\"say \\\"hi\\\"\""));
    free(out);
    ps_model_free(m);
}
