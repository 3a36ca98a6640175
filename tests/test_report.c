/* test_report.c - the HTML report: its content (summary, groups, paths in words, fixes,
 * expectations, findings, scenario), its escaping of hostile names, its self-containment,
 * its size on many exposures, and how it is written to disk. */
#include <criterion/criterion.h>
#include "html_lead.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "gen.h"
#include "report.h"
#include "viz_fixture.h"

/* ---- utilities ----------------------------------------------------------------------- */

static char *html_of(const ps_model *m, const ps_report_opts *o)
{
    ps_check_opts co = { .fixes = true };
    ps_report *r = NULL;
    cr_assert_eq(ps_check(m, &co, &r), 0);
    char *html = NULL;
    cr_assert_eq(ps_report_html(m, r, o, &html), 0);
    cr_assert(html);
    ps_report_free(r);
    return html;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static char *make_dir(void)
{
    char *dir = strdup("/tmp/privsim-report-XXXXXX");
    cr_assert(dir && mkdtemp(dir));
    return dir;
}

static void write_text(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    cr_assert(s && fread(s, 1, (size_t)n, f) == (size_t)n);
    s[n] = 0;
    fclose(f);
    return s;
}

/* rm -r for the few files a test writes */
static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char path[1024];
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(path);
        else
            unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

/* ---- content ------------------------------------------------------------------------- */

Test(report_html, summary_groups_paths_and_fixes)
{
    ps_model *m = fx_al();
    char *h = html_of(m, NULL);
    cr_expect(strstr(h, "<h2>Summary</h2>"));
    cr_expect(strstr(h, "By persona") && strstr(h, "By rule") && strstr(h, "By category"));
    cr_expect(strstr(h, "al.weekend"));
    cr_expect(strstr(h, "tag (tag-extends)"));
    cr_expect(strstr(h, "share (reshare)"));
    cr_expect(strstr(h, "<td>photos"));
    /* the forbidden tag leak, with its path in words and its fixes */
    cr_expect(strstr(h, "carol sees photo ph1 \xe2\x80\x9c" "Al-Valanche at the lanes"));
    cr_expect(strstr(h, "owner &gt; tag(friend)"));
    cr_expect(strstr(h, "carol is a friend of al, who is tagged in ph1"));
    cr_expect(strstr(h, "rule tag-extends = owner-choice; the owner allows friends of tagged; "
                        "al: tag-review=off"));
    cr_expect(strstr(h, "al: tag-review=on"));
    cr_expect(strstr(h, "platform: rule tag-extends = tagged"));
    /* dave sees ph1 the same way: one group of two */
    cr_expect(strstr(h, "2 exposures of this shape"));
    /* the diagrams are inline SVG, the audiences and the personas too */
    cr_expect(count(h, "<svg") >= 5, "%zu diagrams", count(h, "<svg"));
    cr_expect(strstr(h, "id=\"audiences\""));
    cr_expect(strstr(h, "Personas of Al the Accountant (al)"));
    cr_expect(strstr(h, "<code>facebook-2010</code>"));
    free(h);
    ps_model_free(m);
}

/* Nothing is fetched: no scripts, no links, no external resources, and a CSP that forbids
 * them anyway. */
Test(report_html, self_contained)
{
    ps_model *m = fx_al();
    char *h = html_of(m, NULL);
    cr_expect(strstr(h, "Content-Security-Policy"));
    cr_expect(strstr(h, "default-src 'none'"));
    cr_expect(!strstr(h, "<script"));
    cr_expect(!strstr(h, "<link"));
    cr_expect(!strstr(h, " src="));
    cr_expect(!strstr(h, "url("));
    cr_expect(!strstr(h, "@import"));
    cr_expect(!strstr(h, "href=\"http"));
    cr_expect(!strstr(h, "xlink:href"));
    cr_expect(!strstr(h, "<?xml"), "the SVG prologue is stripped");
    cr_expect(!strstr(h, "<!DOCTYPE svg"));
    free(h);
    ps_model_free(m);
}

Test(report_html, hostile_names_are_escaped)
{
    ps_model *m = fx_evil();
    char *h = html_of(m, NULL);
    cr_expect(!strstr(h, "<script"), "markup from a name reached the page");
    cr_expect(!strstr(h, "<b>b</b>"));
    cr_expect(strstr(h, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    cr_expect(strstr(h, "&quot;q&quot; &amp; &#39;a&#39; \\N \\G \\n \\l \\\\ &lt;b&gt;b&lt;/b&gt; "
                        "\xc3\xa9t\xc3\xa9 \xe2\x9c\x93"));
    /* the owner's display name holds a backslash and a line break: drawn as written in the
     * audience diagram */
    cr_expect(strstr(h, ">by Ow\\ner</text>"));
    free(h);
    ps_model_free(m);
}

Test(report_html, expectations_are_listed)
{
    ps_model *m = fx_al();
    ps_expect *x = ps_model_add_expect(m);
    x->viewer_kind = PS_VIEWER_USER;
    x->viewer = ps_model_find(m, PS_NS_USER, 0, "carol", 5);
    x->can_see = false;
    x->item = ps_model_find(m, PS_NS_ITEM, 0, "p1", 2);
    x->loc.line = 42;
    x = ps_model_add_expect(m);
    x->viewer_kind = PS_VIEWER_USER;
    x->viewer = ps_model_find(m, PS_NS_USER, 0, "erin", 4);
    x->can_see = true;
    x->item = x[-1].item;
    x->loc.line = 43;
    char *h = html_of(m, NULL);
    cr_expect(strstr(h, "expect carol cannot-see p1</code></td><td><span class=\"badge bad\">fails"));
    cr_expect(strstr(h, "expect erin can-see p1</code></td><td><span class=\"badge ok\">holds"));
    cr_expect(strstr(h, "1/2</span>"));
    free(h);
    ps_model_free(m);
}

Test(report_html, scenario_text_is_quoted_escaped)
{
    char *dir = make_dir();
    write_text(dir, "s.psim", "# a <b>scenario</b> & more\nuser al\n");
    char path[512];
    snprintf(path, sizeof path, "%s/s.psim", dir);
    ps_model *m = fx_al();
    ps_report_opts o = { .scenario_path = path };
    char *h = html_of(m, &o);
    cr_expect(strstr(h, "Exposure report: s.psim"));
    cr_expect(strstr(h, "<pre># a &lt;b&gt;scenario&lt;/b&gt; &amp; more\nuser al\n</pre>"));
    cr_expect(strstr(h, "<code>tag-extends</code>"));
    free(h);
    ps_model_free(m);
    remove_tree(dir);
    free(dir);
}

/* Without a file to quote (standard input, the story compiled into privsim), the page shows
 * the scenario as privsim read it. */
Test(report_html, scenario_without_a_file_is_printed_canonically)
{
    ps_model *m = fx_al();
    char *h = html_of(m, NULL);
    cr_expect(strstr(h, "as privsim reads it (canonical form)"));
    cr_expect(strstr(h, "user al &quot;Al the Accountant&quot;\n"));
    cr_expect(strstr(h, "do erin share p1 audience=public\n"));
    free(h);
    ps_model_free(m);
}

/* The fuzzer's findings are read (lint) and checked, one by one. */
Test(report_html, fuzz_findings_are_linted_and_checked)
{
    char *dir = make_dir();
    write_text(dir, "finding-001.psim",
               "# tag leak: frank tags al, <al's> friends see it\n"
               "platform facebook-2010\n"
               "user al frank carol\n"
               "friends al frank carol\n"
               "photo ph1 by=frank audience=friends tags=al tag-friends=on \"lanes\"\n"
               "set al tag-review=off\n");
    write_text(dir, "finding-002.psim", "user al\nfriends al <nobody>\n");
    write_text(dir, "notes.txt", "not a finding\n");
    ps_model *m = fx_al();
    ps_report_opts o = { .findings_dir = dir };
    char *h = html_of(m, &o);
    cr_expect(strstr(h, "id=\"findings\""));
    cr_expect(strstr(h, "2 findings in"));
    cr_expect(strstr(h, "finding-001.psim"));
    cr_expect(strstr(h, "tag leak: frank tags al, &lt;al&#39;s&gt; friends see it"));
    cr_expect(strstr(h, "photo ph1 \xe2\x80\x9clanes\xe2\x80\x9d by <code>owner &gt; tag(friend)"),
              "finding 1 was not checked");
    cr_expect(strstr(h, "finding-002.psim"));
    cr_expect(strstr(h, "does not parse"));
    cr_expect(strstr(h, "line 2, column"));
    cr_expect(!strstr(h, "notes.txt"));
    cr_expect(!strstr(h, "<nobody>"));
    free(h);
    ps_model_free(m);
    remove_tree(dir);
    free(dir);
}

/* 10,000 friends see a post meant for two: one group, a page a person reads. */
Test(report_html, ten_thousand_exposures_stay_a_readable_page, .timeout = 60)
{
    ps_model *m = ps_model_new();
    cr_assert(m && ps_model_set_platform(m, "facebook-2010") == 0);
    uint32_t owner = fx_user(m, "owner", NULL);
    char name[32];
    for (int i = 0; i < 10000; i++) {
        snprintf(name, sizeof name, "f%d", i);
        ps_model_add_friendship(m, owner, fx_user(m, name, NULL));
    }
    uint32_t l = ps_model_add_list(m, owner, "close", 5);
    ps_u32_push(&m->lists[l].members, &m->lists[l].nmembers, 1);
    ps_u32_push(&m->lists[l].members, &m->lists[l].nmembers, 2);
    uint32_t pe = ps_model_add_persona(m, owner, "close", 5);
    fx_terms(&m->personas[pe].audience, PS_TERM_LIST, l);
    uint32_t it = fx_item(m, PS_ITEM_POST, "p", owner, "hello");
    m->items[it].has_audience = true;
    fx_terms(&m->items[it].audience.allow, PS_TERM_FRIENDS, PS_NONE);
    m->items[it].persona = pe;

    ps_check_opts co = { .fixes = false };
    ps_report *r = NULL;
    cr_assert_eq(ps_check(m, &co, &r), 0);
    cr_assert_eq(r->nexposures, 9998);
    ps_report_opts o = { .max_rows = 50 };
    char *h = NULL;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    cr_assert_eq(ps_report_html(m, r, &o, &h), 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    cr_expect(secs < 10, "the page took %.1f s", secs);
    cr_expect(strstr(h, "9,998 exposures in 1 group:"));
    cr_expect(strstr(h, "9,998 exposures of this shape"));
    cr_expect(strstr(h, "and 9,948 more"));
    cr_expect(strlen(h) < 400 * 1024, "the page is %zu bytes", strlen(h));
    cr_expect(count(h, "<svg") <= 4); /* leak, audience, persona map, history chart */
    free(h);
    ps_report_free(r);
    ps_model_free(m);
}

/* ---- writing ------------------------------------------------------------------------- */

Test(report_html, written_atomically_into_a_new_directory)
{
    char *dir = make_dir();
    char out[512];
    snprintf(out, sizeof out, "%s/a/b", dir);
    ps_model *m = fx_al();
    char *index = NULL;
    cr_assert_eq(ps_report_write(m, NULL, NULL, out, &index), 0, "%s", strerror(errno));
    char want[600];
    snprintf(want, sizeof want, "%s/index.html", out);
    cr_expect_str_eq(index, want);
    char *h = read_text(index);
    cr_expect(strncmp(h, "<!DOCTYPE html>", 15) == 0);
    cr_expect(strstr(h, "</html>\n"));
    free(h);
    /* only index.html and the diagrams' own files: no temporary file left */
    DIR *d = opendir(out);
    cr_assert(d);
    struct dirent *e;
    int files = 0, pages = 0;
    while ((e = readdir(d))) {
        bool dot = e->d_name[0] == '.' && strlen(e->d_name) <= 2;
        cr_expect(dot || ps_html_is_report_file(e->d_name), "unexpected %s", e->d_name);
        files += !dot;
        pages += strcmp(e->d_name, "index.html") == 0;
    }
    closedir(d);
    cr_expect_eq(pages, 1);
    cr_expect(files > 1, "the page and its diagrams' own files");
    free(index);

    /* a directory that cannot be made is an error, and nothing is written */
    write_text(dir, "plain", "x");
    snprintf(out, sizeof out, "%s/plain/sub", dir);
    errno = 0;
    cr_expect_eq(ps_report_write(m, NULL, NULL, out, &index), -1);
    cr_expect_eq(errno, ENOTDIR);
    cr_expect_null(index);
    ps_model_free(m);
    remove_tree(dir);
    free(dir);
}

/* On a large scenario fixes are verified only for the exposures that describe the groups:
 * each described group still shows its fixes, and the page says how they were chosen. */
Test(report_html, large_scenario_groups_keep_their_fixes, .timeout = 120)
{
    ps_gen_opts go;
    ps_gen_defaults(&go, 400);
    go.items_per_person = 6; /* 2,400 items: over PS_REPORT_BIG_ITEMS */
    go.seed = 7;
    ps_model *m = NULL;
    char err[256];
    cr_assert_eq(ps_gen(&go, &m, NULL, err, sizeof err), 0, "%s", err);
    cr_assert_gt(m->nitems, PS_REPORT_BIG_ITEMS);
    char *dir = make_dir();
    char *index = NULL;
    cr_assert_eq(ps_report_write(m, NULL, NULL, dir, &index), 0, "%s", strerror(errno));
    char *h = read_text(index);
    cr_expect(strstr(h, "were computed for the exposures that describe the groups"));
    cr_expect_eq(count(h, "Fixes were not computed for this item"), 0,
                 "a described group lacks its fixes");
    free(h);
    free(index);
    ps_model_free(m);
    remove_tree(dir);
    free(dir);
}
