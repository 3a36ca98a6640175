/* test_platforms.c - the presets against doc/platform-sources.md, and the historical checks
 * that each rest on a source of that table.
 *
 * The table gives, for every cell of every preset, the value, its source and a confidence
 * mark; the first test reads it and holds it equal to what the program uses.  The other tests
 * are the behaviours a user checks against history, each named after its sources.
 */
#include "engine.h"
#include "parse.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SOURCES "doc/platform-sources.md"

/* Splits a markdown table row "| a | b | ... |" into at most `max` trimmed cells (in place);
 * returns the count. */
static int split_row(char *line, char **cell, int max)
{
    int n = 0;
    char *p = line;
    if (*p != '|')
        return 0;
    p++;
    while (*p && n < max) {
        char *end = strchr(p, '|');
        if (!end)
            break;
        *end = 0;
        while (*p == ' ')
            p++;
        char *t = end;
        while (t > p && (t[-1] == ' '))
            *--t = 0;
        cell[n++] = p;
        p = end + 1;
    }
    return n;
}

static int preset_index(const char *name)
{
    const char *const *names = ps_platform_names();
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

Test(platforms, sources_table_matches_every_preset_cell)
{
    FILE *f = fopen(SOURCES, "r");
    cr_assert(f, "cannot open %s", SOURCES);
    const char *const *names = ps_platform_names();
    int npresets = 0;
    while (names[npresets])
        npresets++;
    unsigned ncells = ps_platform_ncells();
    int *seen = calloc((size_t)npresets * ncells, sizeof *seen);
    cr_assert(seen);
    static const char *const marks[] = { "strong", "moderate", "indirect", "conflicting", "weak",
                                         "unsourced", "design" };
    char line[4096];
    int rows = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        char *c[8];
        if (split_row(line, c, 8) != 6)
            continue;
        int pi = preset_index(c[0]);
        if (pi < 0)
            continue; /* the header, the legend */
        unsigned cell = ncells;
        char name[64], val[512], want[600];
        for (unsigned k = 0; k < ncells; k++)
            if (strcmp(ps_platform_cell_name(k, name, sizeof name), c[1]) == 0)
                cell = k;
        cr_assert(cell < ncells, "%s: unknown cell '%s'", c[0], c[1]);
        ps_rules r;
        cr_assert_eq(ps_platform_preset(c[0], strlen(c[0]), &r), 0);
        snprintf(want, sizeof want, "`%s`", ps_platform_cell_text(&r, cell, val, sizeof val));
        ps_rules_free(&r);
        cr_expect_str_eq(c[2], want, "%s %s: the table says %s, the program %s", c[0], c[1],
                  c[2], want);
        bool known = false;
        for (size_t k = 0; k < sizeof marks / sizeof marks[0]; k++)
            known |= strcmp(c[4], marks[k]) == 0;
        cr_expect(known, "%s %s: unknown confidence '%s'", c[0], c[1], c[4]);
        bool needs_source = strcmp(c[4], "unsourced") != 0 && strcmp(c[4], "design") != 0;
        cr_expect(!needs_source || strcmp(c[3], "—") != 0, "%s %s: %s without a source", c[0],
                  c[1], c[4]);
        cr_expect(strlen(c[5]) > 0, "%s %s: no note", c[0], c[1]);
        seen[pi * (int)ncells + (int)cell]++;
        rows++;
    }
    fclose(f);
    for (int p = 0; p < npresets; p++)
        for (unsigned k = 0; k < ncells; k++) {
            char name[64];
            cr_expect_eq(seen[p * (int)ncells + (int)k], 1, "%s %s is in the table %d times",
                      names[p], ps_platform_cell_name(k, name, sizeof name),
                      seen[p * (int)ncells + (int)k]);
        }
    cr_expect_eq(rows, npresets * (int)ncells);
    free(seen);
}

/* The presets are listed in date order, `strict` (no date) last. */
Test(platforms, presets_in_date_order)
{
    const char *const *names = ps_platform_names();
    const char *prev = "";
    int i = 0;
    for (; names[i] && ps_platform_date(names[i]); i++) {
        cr_expect(strcmp(prev, ps_platform_date(names[i])) < 0, "%s is out of order", names[i]);
        prev = ps_platform_date(names[i]);
    }
    cr_expect_str_eq(names[i], "strict");
    cr_expect(names[i + 1] == NULL);
}

/* ---- what history shows, each from a source of the table ------------------------------ */

static ps_model *load(const char *platform, const char *text)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "platform %s\n%s", platform, text);
    ps_diag d;
    ps_diag_init(&d);
    ps_model *m = NULL;
    int rc = ps_parse_buffer("t.psim", buf, strlen(buf), &m, &d);
    if (rc)
        ps_diag_print(&d, stderr, false);
    ps_diag_free(&d);
    cr_assert_eq(rc, 0);
    return m;
}

static uint32_t viewer(const ps_model *m, const char *name)
{
    if (strcmp(name, "internet") == 0)
        return ps_viewer_internet(m);
    if (strncmp(name, "app:", 4) == 0)
        return ps_viewer_app(m, ps_model_find(m, PS_NS_APP, 0, name + 4, strlen(name + 4)));
    return ps_model_find(m, PS_NS_USER, 0, name, strlen(name));
}

static uint32_t item(ps_model *m, const char *name)
{
    const char *dot = strchr(name, '.');
    uint32_t i = ps_model_find(m, PS_NS_ITEM, 0, name, strlen(name));
    if (i == PS_NONE && dot) {
        uint32_t u = ps_model_find(m, PS_NS_USER, 0, name, (size_t)(dot - name));
        int f = ps_category_find(dot + 1, strlen(dot + 1));
        cr_assert(u != PS_NONE && f >= 0 && f < PS_NFIELDS);
        i = ps_model_field_item(m, u, (ps_field)f);
    }
    cr_assert(i != PS_NONE, "no item %s", name);
    return i;
}

/* Whether `who` sees `what` at the end of the timeline. */
static bool sees(ps_model *m, const char *who, const char *what)
{
    uint32_t it = item(m, what);
    int r = ps_sees(m, it, viewer(m, who), false);
    cr_assert(r >= 0);
    return r == 1;
}

/* EFF-1004, SCHRAGE, EPIC10: on 19 April 2010 current city became a public connection. */
Test(history, facebook_2010_friends_only_city_reaches_the_internet)
{
    ps_model *m = load("facebook-2010", "user al bo\nfield al.city audience=friends\n");
    cr_expect(sees(m, "internet", "al.city"));
    cr_expect(sees(m, "bo", "al.city"));
    ps_model_free(m);
    /* reversed on 26 May 2010 (EFF-1005, AP10) */
    m = load("facebook-2010-05", "user al bo\nfield al.city audience=friends\n");
    cr_expect(!sees(m, "internet", "al.city"));
    ps_model_free(m);
}

/* ACLU-IL, EPIC09, ADQ: before December 2009 name and network were mandatory only toward
 * Facebook users; an adult out of the search listing showed nothing to the internet. */
Test(history, facebook_2009_name_to_every_user_not_the_internet)
{
    ps_model *m = load("facebook-2009", "user al bo\nfield al.name audience=only-me\n"
                                        "set al search-listing=off\n");
    cr_expect(sees(m, "bo", "al.name"));
    cr_expect(!sees(m, "internet", "al.name"));
    ps_model_free(m);
    /* PSL07: in the listing (the default), search engines see the name */
    m = load("facebook-2009", "user al bo\nfield al.name audience=only-me\n");
    cr_expect(sees(m, "internet", "al.name"));
    ps_model_free(m);
}

/* SHR: from 2011 a share cannot show a photo outside its original audience. */
Test(history, facebook_2011_share_of_friends_only_photo_reaches_nobody_new)
{
    static const char scen[] =
        "user al bo cy dd\nfriends al bo\nfriends bo cy\n"
        "photo ph by=al audience=friends\n"
        "post ln by=al audience=friends link=on\n"
        "do bo share ph audience=public\n"
        "do bo share ln audience=public\n";
    ps_model *m = load("facebook-2011", scen);
    cr_expect(sees(m, "bo", "ph"));
    cr_expect(!sees(m, "cy", "ph"));
    cr_expect(!sees(m, "dd", "ph"));
    cr_expect(!sees(m, "internet", "ph"));
    /* links excepted */
    cr_expect(sees(m, "cy", "ln"));
    cr_expect(sees(m, "internet", "ln"));
    ps_model_free(m);
    /* under facebook-2010 (reshare = visible) the same share reaches everyone */
    m = load("facebook-2010", scen);
    cr_expect(sees(m, "internet", "ph"));
    ps_model_free(m);
}

/* NU14, GAPI: in 2014 new posts defaulted to friends, but an app a friend installed still
 * read friends' data until 30 April 2015. */
Test(history, facebook_2014_quiz_reads_birthday_through_a_friend)
{
    static const char scen[] =
        "user al frank zed\nfriends al frank\n"
        "field al.birthday audience=friends\n"
        "post p by=al\n"
        "app quiz installed-by=frank\n";
    ps_model *m = load("facebook-2014", scen);
    cr_expect(sees(m, "app:quiz", "al.birthday"));
    cr_expect(sees(m, "frank", "p"));
    cr_expect(!sees(m, "zed", "p"), "new posts are friends-only");
    cr_expect(!sees(m, "internet", "p"));
    ps_model_free(m);
    m = load("facebook-2015", scen);
    cr_expect(!sees(m, "app:quiz", "al.birthday"));
    ps_model_free(m);
}

/* FB0912, ACLU-FL: from 14 December 2009 a friend list hidden on the profile stayed public
 * to logged-out viewers and apps. */
Test(history, facebook_2009_12_hidden_friend_list_still_outside)
{
    ps_model *m = load("facebook-2009-12", "user al bo\nfield al.friendlist audience=only-me\n"
                                           "app quiz\n");
    cr_expect(!sees(m, "bo", "al.friendlist"));
    cr_expect(sees(m, "internet", "al.friendlist"));
    cr_expect(sees(m, "app:quiz", "al.friendlist"));
    ps_model_free(m);
}

/* PHOTO11, FF11: until September 2011 the friends of the tagged saw a photo only when its
 * owner allowed it; from then on, unless the owner said otherwise. */
Test(history, friends_of_tagged_are_the_owners_choice_before_september_2011)
{
    static const char scen[] =
        "user al bo cy\nfriends al bo\nfriends bo cy\n"
        "photo ph by=al audience=friends tags=bo\n"
        "photo ok by=al audience=friends tags=bo tag-friends=on\n"
        "photo no by=al audience=friends tags=bo tag-friends=off\n";
    ps_model *m = load("facebook-2010", scen);
    cr_expect(!sees(m, "cy", "ph"));
    cr_expect(sees(m, "cy", "ok"));
    ps_model_free(m);
    m = load("facebook-2011", scen);
    cr_expect(sees(m, "cy", "ph"));
    cr_expect(!sees(m, "cy", "no"));
    ps_model_free(m);
}

/* EFF-TL: regional networks were removed on 9 December 2009. */
Test(history, regional_networks_end_in_december_2009)
{
    static const char scen[] =
        "user al bo\nnetwork london kind=regional al bo\n"
        "field al.birthday audience=networks\n";
    ps_model *m = load("facebook-2009", scen);
    cr_expect(sees(m, "bo", "al.birthday"));
    ps_model_free(m);
    m = load("facebook-2009-12", scen);
    cr_expect(!sees(m, "bo", "al.birthday"));
    ps_model_free(m);
}

/* IP10, EPIC10: instant-personalization partners read everyone content without an install. */
Test(history, instant_personalization_partner_reads_everyone_content)
{
    static const char scen[] =
        "user al bo\nfriends al bo\napp yelp partner\n"
        "post p by=al audience=everyone\npost q by=al audience=friends\n";
    ps_model *m = load("facebook-2010", scen);
    cr_expect(sees(m, "app:yelp", "p"));
    cr_expect(!sees(m, "app:yelp", "q"));
    ps_model_free(m);
    m = load("facebook-2009-12", scen);
    cr_expect(!sees(m, "app:yelp", "p"));
    ps_model_free(m);
}
