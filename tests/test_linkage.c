/* test_linkage.c - hand-worked scenarios for every kind of linkage evidence: the exact
 * viewers who link a person's two accounts, the evidence and its paths, the fixes (each
 * re-verified by the module), the smallest set, and a scenario where nothing links. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "describe.h"
#include "lang_test.h"
#include "linkage.h"
#include "linkage_out.h"

/* Every linkage as "VIEWER SEVERITY kind,kind | fix; fix", one a line, in report order.
 * The caller frees. */
static char *summary(const char *src)
{
    ps_model *m = parse_ok(src);
    ps_linkage_report *r;
    ps_linkage_opts o = { .fixes = true };
    cr_assert(eq(int, ps_linkage_check(m, &o, &r), 0));
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    char buf[1024];
    for (uint32_t i = 0; i < r->n; i++) {
        const ps_linkage *l = &r->v[i];
        fprintf(f, "%s %s ", ps_viewer_name(r->m, l->viewer, buf, sizeof buf),
                ps_severity_name((ps_severity)l->severity));
        for (uint32_t k = 0; k < l->nev; k++)
            fprintf(f, "%s%s", k ? "," : "",
                    ps_ev_kind_name((ps_ev_kind)r->ev[l->ev_first + k].kind));
        fputs(" |", f);
        for (uint32_t k = 0; k < l->nfixes; k++)
            fprintf(f, "%s %s", k ? ";" : "",
                    ps_link_fix_text(r, &r->fixes[r->fix_of[l->fix_first + k]], buf,
                                     sizeof buf));
        fputc('\n', f);
    }
    for (uint32_t k = 0; k < r->nminsets; k++) {
        const ps_link_minset *ms = &r->minsets[k];
        fprintf(f, "minset %s:", ms->found ? "found" : "none");
        for (uint32_t i = 0; i < ms->nset; i++)
            fprintf(f, "%s %s", i ? ";" : "",
                    ps_link_fix_text(r, &r->fixes[ms->set[i]], buf, sizeof buf));
        fputc('\n', f);
    }
    fclose(f);
    ps_linkage_report_free(r);
    ps_model_free(m);
    return out;
}

#define EXPECT_LINKS(src, want)                                                          \
    do {                                                                                 \
        char *got_ = summary(src);                                                       \
        cr_assert(eq(str, got_, (char *)(want)));                                        \
        free(got_);                                                                      \
    } while (0)

/* Accounts that nothing ties together: no linkage for anyone. */
Test(linkage, no_evidence)
{
    EXPECT_LINKS("platform strict\n"
                 "user al alv carol dave\n"
                 "friends al carol\n"
                 "friends alv dave\n"
                 "person al accounts=al,alv forbid-link=user:carol\n"
                 "field al.phone value=\"555\"\n"
                 "field alv.phone value=\"556\"\n"
                 "photo ph by=carol audience=friends tags=al\n",
                 "");
}

/* The friendship of the two accounts, seen on al's friend list by al's friends. */
Test(linkage, friendship)
{
    EXPECT_LINKS("platform strict\n"
                 "rule link-mutual-friends = off\n"
                 "user al alv carol dave\n"
                 "friends al alv carol\n"
                 "friends carol dave\n"
                 "person al accounts=al,alv forbid-link=user:carol\n"
                 "field al.friendlist audience=friends\n",
                 "carol forbidden friendship | al: set al.friendlist hide=user:carol; "
                 "al: unfriend alv; al: set al.friendlist audience=only-me\n"
                 "minset found: al: set al.friendlist hide=user:carol\n");
}

/* Three friends in common, seen on both friend lists: linked by each of them (k = 2). */
Test(linkage, mutual_friends)
{
    EXPECT_LINKS("platform strict\n"
                 "rule link-mutual-friends = at-least-2\n"
                 "user al alv carol dave erin frank\n"
                 "friends al carol dave erin frank\n"
                 "friends alv carol dave erin\n"
                 "person al accounts=al,alv\n"
                 "field al.friendlist audience=friends\n"
                 "field alv.friendlist audience=friends\n",
                 "carol beyond-intent mutual-friends | al: set al.friendlist audience=only-me; "
                 "alv: set alv.friendlist audience=only-me\n"
                 "dave beyond-intent mutual-friends | al: set al.friendlist audience=only-me; "
                 "alv: set alv.friendlist audience=only-me\n"
                 "erin beyond-intent mutual-friends | al: set al.friendlist audience=only-me; "
                 "alv: set alv.friendlist audience=only-me\n");
}

/* Below the threshold nothing links; the count is what each viewer sees. */
Test(linkage, mutual_friends_threshold)
{
    EXPECT_LINKS("platform strict\n"
                 "rule link-mutual-friends = at-least-4\n"
                 "user al alv carol dave erin\n"
                 "friends al carol dave erin\n"
                 "friends alv carol dave erin\n"
                 "person al accounts=al,alv\n"
                 "field al.friendlist audience=friends\n"
                 "field alv.friendlist audience=friends\n",
                 "");
}

/* One photo tags both accounts: its owner sees it, and so does everyone it reaches. */
Test(linkage, tag_both)
{
    EXPECT_LINKS("platform facebook-2011\n"
                 "rule tag-extends = tagged\n"
                 "user al alv frank gina\n"
                 "friends frank gina\n"
                 "person al accounts=al,alv forbid-link=user:gina\n"
                 "photo ph by=frank audience=friends tags=al,alv\n",
                 "gina forbidden tag | al: untag ph al; al: tag-review=on; alv: untag ph alv; "
                 "alv: tag-review=on; frank: set ph hide=user:gina\n"
                 "frank beyond-intent tag | al: untag ph al; al: tag-review=on; "
                 "alv: untag ph alv; alv: tag-review=on\n"
                 "minset found: al: untag ph al\n");
}

/* One account tagged in the other's photo; a pending tag (review on) does not count. */
Test(linkage, tag_in_own_photo)
{
    EXPECT_LINKS("platform facebook-2011\n"
                 "rule tag-extends = tagged\n"
                 "user al alv carol\n"
                 "friends alv carol\n"
                 "person al accounts=al,alv\n"
                 "photo ph by=alv audience=friends tags=al\n",
                 "carol beyond-intent tag | al: untag ph al; al: tag-review=on\n");
    EXPECT_LINKS("platform facebook-2011\n"
                 "rule tag-extends = tagged\n"
                 "user al alv carol\n"
                 "friends alv carol\n"
                 "person al accounts=al,alv\n"
                 "set al tag-review=on\n"
                 "photo ph by=alv audience=friends tags=al\n",
                 "");
}

/* alv likes al's post: al's friends see the post and the like. */
Test(linkage, interaction)
{
    EXPECT_LINKS("platform facebook-2005\n"
                 "user al alv carol dave\n"
                 "friends al carol\n"
                 "friends alv dave\n"
                 "person al accounts=al,alv\n"
                 "post p by=al audience=friends\n"
                 "do alv like p\n",
                 "carol beyond-intent interaction | alv: do not comment on or like p\n");
}

/* A share that the rules refuse is no evidence. */
Test(linkage, refused_share)
{
    EXPECT_LINKS("platform strict\n"
                 "user al alv carol\n"
                 "friends al carol\n"
                 "person al accounts=al,alv\n"
                 "post p by=al audience=friends\n"
                 "do alv share p audience=public\n",
                 "");
}

/* The same phone number on both profiles, public on both: everyone links them. */
Test(linkage, same_phone)
{
    EXPECT_LINKS("platform strict\n"
                 "user al alv carol\n"
                 "person al accounts=al,alv\n"
                 "field al.phone audience=public value=\"+1 555 0100\"\n"
                 "field alv.phone audience=public value=\"+1 555 0100\"\n",
                 "internet external fields | al: set al.phone audience=only-me; "
                 "alv: set alv.phone audience=only-me\n"
                 "carol beyond-intent fields | al: set al.phone audience=only-me; "
                 "alv: set alv.phone audience=only-me\n");
}

/* Birthday and hometown link only together, and only where both are seen on both. */
Test(linkage, birthday_and_hometown)
{
    const char *base = "platform strict\n"
                       "user al alv carol dave\n"
                       "friends al carol dave\n"
                       "friends alv carol\n"
                       "person al accounts=al,alv same=birthday,hometown\n"
                       "field al.birthday audience=friends\n"
                       "field al.hometown audience=friends\n"
                       "field alv.birthday audience=friends\n"
                       "field alv.hometown audience=friends\n";
    EXPECT_LINKS(base, "carol beyond-intent fields | al: set al.birthday audience=only-me; "
                       "al: set al.hometown audience=only-me; alv: set alv.birthday "
                       "audience=only-me; alv: set alv.hometown audience=only-me\n");
    char src[1024];
    snprintf(src, sizeof src, "%s", base);
    char *at = strstr(src, "same=birthday,hometown");
    memcpy(at, "same=birthday         ", strlen("same=birthday,hometown"));
    EXPECT_LINKS(src, "");
}

/* Both in a closed group: its members link them. */
Test(linkage, group)
{
    EXPECT_LINKS("platform strict\n"
                 "user al alv erin carol\n"
                 "group lanes closed al alv erin\n"
                 "person al accounts=al,alv\n",
                 "erin beyond-intent group | al: leave group lanes; alv: leave group lanes\n");
}

/* Both in one network, whose membership both profiles show. */
Test(linkage, network)
{
    EXPECT_LINKS("platform strict\n"
                 "user al alv carol\n"
                 "network acme al alv\n"
                 "person al accounts=al,alv forbid-link=network:acme\n"
                 "field al.networks audience=everyone\n"
                 "field alv.networks audience=everyone\n",
                 "carol beyond-intent network | al: leave network acme; al: set al.networks "
                 "audience=only-me; alv: leave network acme; alv: set alv.networks "
                 "audience=only-me\n");
}

/* The platform suggests each account to the people who hold the shared number. */
Test(linkage, contact_suggestions)
{
    EXPECT_LINKS("platform strict\n"
                 "rule contact-suggestions = phone\n"
                 "user al alv carol erin\n"
                 "friends al carol\n"
                 "friends alv erin\n"
                 "person al accounts=al,alv forbid-link=user:carol\n"
                 "field al.phone value=\"555\"\n"
                 "field alv.phone value=\"555\"\n",
                 "carol forbidden contacts | alv: do not give the platform the same phone; "
                 "platform: rule contact-suggestions = none\n"
                 "erin beyond-intent contacts | alv: do not give the platform the same phone; "
                 "platform: rule contact-suggestions = none\n"
                 "minset found: alv: do not give the platform the same phone\n");
}

/* A forbidden viewer with two pieces of evidence, cut by different changes: no single fix,
 * and a smallest set of two (the owner's own changes are tried first). */
Test(linkage, two_changes)
{
    EXPECT_LINKS("platform facebook-2011\n"
                 "rule tag-extends = tagged\n"
                 "rule link-mutual-friends = off\n"
                 "user al alv dave\n"
                 "friends al dave\n"
                 "person al accounts=al,alv forbid-link=user:dave\n"
                 "photo ph by=dave audience=only-me tags=al,alv\n"
                 "post p by=al audience=friends\n"
                 "do alv comment p\n",
                 "dave forbidden tag,interaction |\n"
                 "minset found: al: untag ph al; al: set p hide=user:dave\n");
}

/* The path of a piece of evidence is the viewer's derivation of the item. */
Test(linkage, legs)
{
    ps_model *m = parse_ok("platform facebook-2011\n"
                           "user al alv frank gina\n"
                           "friends frank gina al\n"
                           "person al accounts=al,alv\n"
                           "photo ph by=frank audience=user:gina tags=al,alv\n");
    ps_linkage_report *r;
    cr_assert(eq(int, ps_linkage_check(m, NULL, &r), 0));
    uint32_t gina = ps_model_find(m, PS_NS_USER, 0, "gina", 4);
    const ps_linkage *l = ps_linkage_find(r, 1, 0, gina);
    cr_assert(l != NULL);
    cr_assert(eq(u32, l->nev, 1));
    ps_path legs[4];
    uint32_t n = ps_linkage_legs(r, l, &r->ev[l->ev_first], legs, 4);
    cr_assert(eq(u32, n, 1));
    char buf[512];
    cr_assert(eq(u32, legs[0].nlinks, 2));
    cr_assert(eq(str, (char *)ps_link_text(r->m, &legs[0], 1, buf, sizeof buf),
                 "gina is in ph's audience (user:gina)"));
    ps_linkage_report_free(r);
    ps_model_free(m);
}

#include "split.h"

/* The split: circle members move to the second account, members of another circle stay
 * friends of both, the circle's list is emptied, and a person line forbids the rest. */
Test(linkage, split_account)
{
    ps_model *m = parse_ok("user ego a b c d\n"
                           "friends ego a b c d\n"
                           "list ego league a b\n"
                           "list ego work b c\n");
    uint32_t ego = ps_model_find(m, PS_NS_USER, 0, "ego", 3);
    ps_split_stats st;
    cr_assert(eq(int, ps_split_account(m, ego, "league", &st), 0));
    cr_assert(eq(u32, st.moved, 1));
    cr_assert(eq(u32, st.both, 1));
    cr_assert(eq(u32, st.remaining, 3));
    uint32_t alt = ps_model_find(m, PS_NS_USER, 0, "ego-alt", 7);
    uint32_t a = ps_model_find(m, PS_NS_USER, 0, "a", 1), b = ps_model_find(m, PS_NS_USER, 0, "b", 1);
    cr_assert(alt != PS_NONE);
    cr_assert(ps_model_are_friends(m, alt, a) && !ps_model_are_friends(m, ego, a));
    cr_assert(ps_model_are_friends(m, alt, b) && ps_model_are_friends(m, ego, b));
    cr_assert(eq(u32, ps_person_of(m, ego), ps_person_of(m, alt)));
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    ps_print_scenario(f, m);
    fclose(f);
    cr_assert(strstr(out, "person ego accounts=ego,ego-alt forbid-link=friends\n") != NULL, "%s", out);
    free(out);
    cr_assert(eq(int, ps_split_account(m, a, "largest", NULL), 1), "a has no list");
    ps_model_free(m);
}

/* A friend who moves to the second account finds it in their own lists where the ego was,
 * so that the split scenario reads back without a warning; a friend of both keeps the ego. */
Test(linkage, split_retargets_the_lists_of_those_who_move)
{
    ps_model *m = parse_ok("user ego a b c\n"
                           "friends ego a b c\n"
                           "friends a b\n"
                           "list ego league a b\n"
                           "list ego work b\n"
                           "list a bowling ego b\n"
                           "list b office ego\n");
    uint32_t ego = ps_model_find(m, PS_NS_USER, 0, "ego", 3);
    cr_assert(eq(int, ps_split_account(m, ego, "league", NULL), 0));
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    ps_print_scenario(f, m);
    fclose(f);
    uint32_t alt = ps_model_find(m, PS_NS_USER, 0, "ego-alt", 7);
    for (uint32_t i = 0; i < m->nlists; i++) {
        const ps_list *l = &m->lists[i];
        if (!strcmp(l->name, "bowling"))
            cr_assert(ps_list_has(l, alt) && ps_list_has(l, ego) == false, "%s", out);
        if (!strcmp(l->name, "office"))
            cr_assert(ps_list_has(l, ego) && ps_list_has(l, alt) == false, "%s", out);
    }
    ps_diag d;
    ps_diag_init(&d);
    ps_model *back = NULL;
    cr_assert(eq(int, ps_parse_buffer("split.psim", out, n, &back, &d), 0));
    cr_assert(eq(u32, d.nwarnings, 0), "the split scenario reads back with warnings:\n%s", out);
    ps_diag_free(&d);
    ps_model_free(back);
    free(out);
    ps_model_free(m);
}

/* The legs of each kind: the items a piece of evidence rests on, as the viewer's paths. */
static const char *legs_text(ps_linkage_report *r, const ps_linkage *l, ps_ev_kind kind,
                             char *buf, size_t cap)
{
    buf[0] = 0;
    size_t len = 0;
    for (uint32_t k = 0; k < l->nev; k++) {
        const ps_evidence *ev = &r->ev[l->ev_first + k];
        if (ev->kind != kind)
            continue;
        ps_path legs[8];
        uint32_t n = ps_linkage_legs(r, l, ev, legs, 8);
        for (uint32_t i = 0; i < n && len < cap; i++) {
            char s[256];
            len += (size_t)snprintf(buf + len, cap - len, "%s%s: %s", i ? "; " : "",
                                    r->m->items[legs[i].item].name,
                                    ps_path_shape_text(&legs[i], s, sizeof s));
        }
    }
    return buf;
}

Test(linkage, legs_of_each_kind)
{
    ps_model *m = parse_ok("platform strict\n"
                           "rule link-mutual-friends = at-least-1\n"
                           "user al alv carol\n"
                           "friends al alv carol\n"
                           "friends alv carol\n"
                           "group lanes closed al alv carol\n"
                           "person al accounts=al,alv\n"
                           "field al.friendlist audience=friends\n"
                           "field alv.friendlist audience=only-me\n"
                           "field al.phone audience=friends value=\"5\"\n"
                           "field alv.phone audience=friends value=\"5\"\n");
    ps_linkage_report *r;
    cr_assert(eq(int, ps_linkage_check(m, NULL, &r), 0));
    uint32_t carol = ps_model_find(m, PS_NS_USER, 0, "carol", 5);
    const ps_linkage *l = ps_linkage_find(r, 0, 1, carol);
    cr_assert(l != NULL);
    char buf[1024];
    cr_assert(eq(str, (char *)legs_text(r, l, PS_EV_FRIENDSHIP, buf, sizeof buf),
                 "al.friendlist: owner > audience(friends)"));
    /* carol sees al-carol on al's list, and alv-carol on her own list */
    cr_assert(eq(str, (char *)legs_text(r, l, PS_EV_MUTUAL_FRIENDS, buf, sizeof buf),
                 "al.friendlist: owner > audience(friends); carol.friendlist: owner"));
    cr_assert(eq(str, (char *)legs_text(r, l, PS_EV_FIELDS, buf, sizeof buf),
                 "al.phone: owner > audience(friends); alv.phone: owner > audience(friends)"));
    cr_assert(eq(str, (char *)legs_text(r, l, PS_EV_GROUP, buf, sizeof buf), ""),
              "a member of the group needs no path");
    ps_linkage_report_free(r);
    ps_model_free(m);
}

/* Errors of the language of persons, each at its position. */
Test(linkage, errors)
{
    int rc;
    char *d = diag_text("user al alv bo\n"
                        "person al accounts=al,alv\n"
                        "person al accounts=bo,zed\n"
                        "person x accounts=alv,bo\n"
                        "person y accounts=bo,bo forbid-link=list:nope\n"
                        "person z accounts=bo forbid-link=friends foo=1\n"
                        "person w forbid-link=friends\n"
                        "rule link-mutual-friends = at-least-0\n"
                        "rule contact-suggestions = phone,phone\n"
                        "field al.email value=\"\"\n", &rc);
    cr_assert(eq(int, rc, -1));
    cr_assert(strstr(d, "t.psim:3:8: error: duplicate person 'al' (first declared at line 2)") != NULL,
              "%s", d);
    cr_assert(strstr(d, "t.psim:3:23: error: unknown user 'zed'") != NULL, "%s", d);
    cr_assert(strstr(d, "t.psim:4:19: error: 'alv' is already an account of person 'al' (line 2)") != NULL,
              "%s", d);
    cr_assert(strstr(d, "t.psim:5:22: error: 'bo' is named twice") != NULL, "%s", d);
    cr_assert(strstr(d, "t.psim:6:46: error: unexpected character '1'") != NULL, "%s", d);
    cr_assert(strstr(d, "t.psim:7:8: error: person 'w' needs accounts=") != NULL, "%s", d);
    cr_assert(strstr(d, "t.psim:8:28: error: at-least-0 would link every pair of accounts") != NULL,
              "%s", d);
    cr_assert(strstr(d, "t.psim:9:34: error: 'phone' is named twice") != NULL, "%s", d);
    cr_assert(strstr(d, "t.psim:10:16: error: empty value") != NULL, "%s", d);
    free(d);
}

Test(linkage, limits)
{
    /* 17 accounts: the 17th is the error */
    char src[4096];
    size_t n = (size_t)snprintf(src, sizeof src, "user");
    for (int i = 0; i < 17; i++)
        n += (size_t)snprintf(src + n, sizeof src - n, " u%d", i);
    n += (size_t)snprintf(src + n, sizeof src - n, "\nperson p accounts=u0");
    for (int i = 1; i < 17; i++)
        n += (size_t)snprintf(src + n, sizeof src - n, ",u%d", i);
    snprintf(src + n, sizeof src - n, "\n");
    int rc;
    char *d = diag_text(src, &rc);
    cr_assert(strstr(d, "error: too many accounts (the limit is 16)") != NULL, "%s", d);
    free(d);
    /* 4097 persons of two accounts each */
    size_t cap = 4097 * 64 + 64, len = 0;
    char *big = malloc(cap);
    cr_assert(big != NULL);
    for (int i = 0; i < 4097; i++)
        len += (size_t)snprintf(big + len, cap - len, "user a%d b%d\nperson p%d accounts=a%d,b%d\n",
                                i, i, i, i, i);
    d = diag_text(big, &rc);
    cr_assert(strstr(d, "t.psim:8194:8: error: too many persons (the limit is 4096)") != NULL,
              "%.300s", d);
    free(d);
    free(big);
}

/* Per-viewer hides are candidates for a person with at most 8 forbidden linkages; beyond, the
 * report says that they were not tried. */
static ps_linkage_report *friends_who_link(uint32_t nfriends)
{
    char src[2048];
    size_t len = (size_t)snprintf(src, sizeof src, "user al alv");
    for (uint32_t i = 0; i < nfriends; i++)
        len += (size_t)snprintf(src + len, sizeof src - len, " f%u", (unsigned)i);
    len += (size_t)snprintf(src + len, sizeof src - len, "\nfriends al alv");
    for (uint32_t i = 0; i < nfriends; i++)
        len += (size_t)snprintf(src + len, sizeof src - len, " f%u", (unsigned)i);
    snprintf(src + len, sizeof src - len,
             "\nfield al.friendlist audience=friends\n"
             "person al accounts=al,alv forbid-link=friends\n");
    ps_model *m = parse_ok(src);
    ps_linkage_report *r;
    ps_linkage_opts o = { .fixes = true };
    cr_assert(eq(int, ps_linkage_check(m, &o, &r), 0));
    ps_model_free(m);
    return r;
}

Test(linkage, hides_beyond_eight_forbidden_are_said_not_tried)
{
    ps_linkage_report *r = friends_who_link(8);
    cr_assert(eq(u64, r->counts[PS_SEV_FORBIDDEN], 8));
    cr_assert(eq(u32, r->nminsets, 1));
    cr_assert(r->minsets[0].hides);
    char buf[256];
    bool hide = false;
    for (uint32_t i = 0; i < r->nfixes; i++)
        hide |= strstr(ps_link_fix_text(r, &r->fixes[i], buf, sizeof buf), "hide=user:") != NULL;
    cr_assert(hide, "a hide from one viewer is among the fixes");
    ps_linkage_report_free(r);

    r = friends_who_link(9);
    cr_assert(eq(u64, r->counts[PS_SEV_FORBIDDEN], 9));
    cr_assert(eq(u32, r->nminsets, 1));
    cr_assert(r->minsets[0].hides == false);
    for (uint32_t i = 0; i < r->nfixes; i++)
        cr_assert(strstr(ps_link_fix_text(r, &r->fixes[i], buf, sizeof buf), "hide=user:") == NULL,
                  "%s", buf);
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    ps_linkage_print_text(f, r, 0);
    fclose(f);
    cr_assert(strstr(out, "were not among the candidates: 9 forbidden linkages, more than 8") != NULL,
              "%s", out);
    free(out);
    ps_linkage_report_free(r);
}

/* What a viewer saw in one state still counts later: a photo that tagged al, then alv (and
 * no longer al), and a phone number shown on al before alv's was shown. */
Test(linkage, what_was_seen_along_the_timeline_counts)
{
    ps_model *m = parse_ok("platform facebook-2015\n"
                           "rule contact-suggestions = none\n"
                           "user al alv dave frank\n"
                           "friends frank al alv dave\n"
                           "friends dave al alv\n"
                           "person al accounts=al,alv forbid-link=user:dave\n"
                           "photo ph by=frank audience=friends tags=al \"Bowling night\"\n"
                           "field al.phone  audience=friends value=\"555-0100\"\n"
                           "field alv.phone audience=only-me value=\"555-0100\"\n"
                           "do frank tag ph alv\n"
                           "do frank untag ph al\n"
                           "do al set al.phone audience=only-me\n"
                           "do alv set alv.phone audience=friends\n");
    ps_linkage_report *r;
    ps_linkage_opts o = { .fixes = true };
    cr_assert(eq(int, ps_linkage_check(m, &o, &r), 0));
    cr_assert(eq(u32, r->n, 2));
    char buf[1024];
    const ps_linkage *d = &r->v[0], *f = &r->v[1];
    cr_assert(eq(str, (char *)ps_viewer_name(r->m, d->viewer, buf, sizeof buf), "dave"));
    cr_assert(eq(int, d->severity, PS_SEV_FORBIDDEN));
    cr_assert(eq(u32, d->first_step, 1), "the photo tags both after step 1");
    cr_assert(eq(str, (char *)ps_viewer_name(r->m, f->viewer, buf, sizeof buf), "frank"));
    cr_assert(eq(u32, f->first_step, 1));
    cr_assert(eq(u32, d->nev, 2));
    const ps_evidence *tag = &r->ev[d->ev_first], *phone = &r->ev[d->ev_first + 1];
    cr_assert(eq(int, tag->kind, PS_EV_TAG));
    cr_assert(tag->remembered, "at the end the photo tags alv alone");
    cr_assert(eq(str, (char *)ps_evidence_text(r, d, tag, buf, sizeof buf),
                 "dave saw photo ph by frank while it tagged al and while it tagged alv"));
    cr_assert(eq(int, phone->kind, PS_EV_FIELDS));
    cr_assert(phone->remembered, "at the end al's phone is only-me");
    cr_assert(eq(str, (char *)ps_evidence_text(r, d, phone, buf, sizeof buf),
                 "dave has seen the same phone on al and alv"));
    /* the path of the phone leg is the one of the last state in which dave saw al.phone */
    ps_path legs[4];
    uint32_t n = ps_linkage_legs(r, d, phone, legs, 4);
    cr_assert(eq(u32, n, 2));
    cr_assert(eq(str, r->m->items[legs[0].item].name, "al.phone"));
    cr_assert(eq(str, r->m->items[legs[1].item].name, "alv.phone"));
    /* no one change removes both; the smallest set does, re-checked over the timeline */
    cr_assert(eq(u32, d->nfixes, 0));
    cr_assert(eq(u32, r->nminsets, 1));
    cr_assert(r->minsets[0].found);
    cr_assert(eq(u32, r->minsets[0].nset, 2));
    cr_assert(eq(str, (char *)ps_link_fix_text(r, &r->fixes[r->minsets[0].set[0]], buf, sizeof buf),
                 "al: untag ph al"));
    cr_assert(eq(str, (char *)ps_link_fix_text(r, &r->fixes[r->minsets[0].set[1]], buf, sizeof buf),
                 "al: set al.phone hide=user:dave"));
    char *out = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&out, &len);
    ps_linkage_print_text(fp, r, 0);
    fclose(fp);
    cr_assert(strstr(out, "forbidden dave links al and alv from step 1 (line 10)\n") != NULL, "%s",
              out);
    free(out);
    ps_linkage_report_free(r);
    ps_model_free(m);
}

/* A friendship seen on friend lists that are later hidden is still known. */
Test(linkage, a_friendship_seen_before_the_lists_were_hidden)
{
    ps_model *m = parse_ok("platform facebook-2015\n"
                           "rule contact-suggestions = none\n"
                           "user al alv dave\n"
                           "friends al alv dave\n"
                           "friends alv dave\n"
                           "person al accounts=al,alv forbid-link=user:dave\n"
                           "field al.friendlist audience=friends\n"
                           "field alv.friendlist audience=friends\n"
                           "do al set al.friendlist audience=only-me\n"
                           "do alv set alv.friendlist audience=only-me\n");
    ps_linkage_report *r;
    ps_linkage_opts o = { .fixes = true };
    cr_assert(eq(int, ps_linkage_check(m, &o, &r), 0));
    cr_assert(eq(u32, r->n, 1));
    const ps_linkage *d = &r->v[0];
    char buf[512];
    cr_assert(eq(u32, d->first_step, 0));
    cr_assert(eq(u32, d->nev, 1));
    cr_assert(eq(str, (char *)ps_evidence_text(r, d, &r->ev[d->ev_first], buf, sizeof buf),
                 "dave saw the friendship of al and alv on a friend list"));
    /* the fix is in the past: hiding the lists from the start, or not being friends */
    bool unfriend = false;
    for (uint32_t k = 0; k < d->nfixes; k++)
        unfriend |= strcmp(ps_link_fix_text(r, &r->fixes[r->fix_of[d->fix_first + k]], buf,
                                            sizeof buf), "al: unfriend alv") == 0;
    cr_assert(unfriend);
    ps_linkage_report_free(r);
    ps_model_free(m);
}

/* forbid-link=public matches the internet: its linkage is forbidden, not external. */
Test(linkage, forbid_public_makes_the_internet_forbidden)
{
    EXPECT_LINKS("platform strict\n"
                 "rule contact-suggestions = none\n"
                 "user al alv fr\n"
                 "friends al fr\n"
                 "person al accounts=al,alv forbid-link=public\n"
                 "field al.email audience=public value=\"al@example.com\"\n"
                 "field alv.email audience=public value=\"al@example.com\"\n",
                 "fr forbidden fields | al: set al.email hide=user:fr; alv: set alv.email "
                 "hide=user:fr; al: set al.email audience=only-me; alv: set alv.email "
                 "audience=only-me\n"
                 "internet forbidden fields | al: set al.email audience=only-me; alv: set "
                 "alv.email audience=only-me\n"
                 "minset found: al: set al.email audience=only-me\n");
}

/* Contact suggestions from a field the viewer saw: the owner's hide from the viewer and the
 * field only-me are candidates, and cut it. */
Test(linkage, contacts_through_a_seen_field)
{
    EXPECT_LINKS("platform strict\n"
                 "rule contact-suggestions = email\n"
                 "user al alv s\n"
                 "person al accounts=al,alv forbid-link=user:s\n"
                 "field al.email audience=public value=\"a@x\"\n"
                 "field alv.email audience=only-me value=\"a@x\"\n"
                 "do al set al.email audience=only-me\n",
                 "s forbidden contacts | al: set al.email hide=user:s; al: set al.email "
                 "audience=only-me; alv: do not give the platform the same email; platform: "
                 "rule contact-suggestions = none\n"
                 "minset found: al: set al.email hide=user:s\n");
}

/* A viewer who links nothing: what he did see, one sentence each; a stranger sees only the
 * public friend list of f1. */
Test(linkage, nearest_evidence_of_a_viewer_who_does_not_link)
{
    ps_model *m = parse_ok("platform facebook-2015\n"
                           "rule contact-suggestions = none\n"
                           "user al alv dave frank f1 f2 f3 zed\n"
                           "friends al f1 f2 f3 dave\n"
                           "friends alv f1 f2 frank\n"
                           "friends dave frank\n"
                           "person al accounts=al,alv forbid-link=user:dave\n"
                           "field al.friendlist audience=friends\n"
                           "field alv.friendlist audience=only-me\n"
                           "field f1.friendlist audience=public\n"
                           "field f2.friendlist audience=only-me\n"
                           "field f3.friendlist audience=only-me\n"
                           "photo ph by=frank audience=friends tags=alv \"Bowling\"\n"
                           "field al.phone audience=friends value=\"555\"\n"
                           "field alv.phone audience=only-me value=\"555\"\n");
    ps_linkage_report *r;
    ps_linkage_opts o = { .fixes = false };
    cr_assert(eq(int, ps_linkage_check(m, &o, &r), 0));
    uint32_t al = ps_model_find(r->m, PS_NS_USER, 0, "al", 2);
    uint32_t alv = ps_model_find(r->m, PS_NS_USER, 0, "alv", 3);
    uint32_t dave = ps_model_find(r->m, PS_NS_USER, 0, "dave", 4);
    uint32_t zed = ps_model_find(r->m, PS_NS_USER, 0, "zed", 3);
    cr_assert(ps_linkage_find(r, al, alv, dave) == NULL);
    char near[8][512];
    int n = ps_linkage_nearest(r, alv, al, dave, near, 8);
    cr_assert(eq(int, n, 3));
    cr_expect(eq(str, near[0], "dave has seen 1 friend in common of al and alv (f1); rule "
                               "link-mutual-friends needs 3"));
    cr_expect(eq(str, near[1], "dave has seen the phone of al but not that of alv (they are "
                               "the same)"));
    cr_expect(eq(str, near[2], "dave saw photo ph by frank while it tagged alv, never while it "
                               "tagged al"));
    cr_expect(eq(int, ps_linkage_nearest(r, al, alv, zed, near, 8), 1));
    cr_expect(eq(str, near[0], "zed has seen 1 friend in common of al and alv (f1); rule "
                               "link-mutual-friends needs 3"));
    ps_linkage_report_free(r);
    ps_model_free(m);
}
