/* test_diag.c - every error class: its exact message and position, the source line and the
 * caret, as a user sees them on the terminal. */
#include "lang_test.h"

#include <unistd.h>

/* One scenario with one mistake, and everything privsim prints about it.  The positions
 * follow the rule of the spec: the offending name or token; for a duplicate, the second
 * declaration; for an unterminated string, its quote. */
typedef struct {
    const char *name, *input, *expected;
} diag_case;

static const diag_case cases[] = {
    {"bad_category",
        "rule apps-through-friends-default = birthdays\n",
        "t.psim:1:37: error: unknown category 'birthdays'; did you mean 'birthday'?\n"
        "    1 | rule apps-through-friends-default = birthdays\n"
        "      |                                     ^\n"},
    {"bad_escape",
        "user a \"A\\nl\"\n",
        "t.psim:1:10: error: unknown escape in string; only \\\" and \\\\ are allowed\n"
        "    1 | user a \"A\\nl\"\n"
        "      |          ^\n"},
    {"bad_rule_value",
        "rule tag-extends = everyone\n",
        "t.psim:1:20: error: invalid value 'everyone' for tag-extends; expected none,"
        " tagged, tagged-friends or owner-choice\n"
        "    1 | rule tag-extends = everyone\n"
        "      |                    ^\n"},
    {"bad_rule_value_sugg",
        "rule reshare = visble\n",
        "t.psim:1:16: error: invalid value 'visble' for reshare; did you mean 'visibl"
        "e'?\n"
        "    1 | rule reshare = visble\n"
        "      |                ^\n"},
    {"befriend_self",
        "user al\n"
        "do al befriend al\n",
        "t.psim:2:16: error: 'al' cannot befriend themselves\n"
        "    2 | do al befriend al\n"
        "      |                ^\n"},
    {"belongs",
        "user al bo\n"
        "post p by=al\n"
        "set bo p audience=friends\n",
        "t.psim:3:8: error: 'p' belongs to al, not to bo\n"
        "    3 | set bo p audience=friends\n"
        "      |        ^\n"},
    {"ctl_in_string",
        "user a \"A\033[31m\"\n",
        "t.psim:1:10: error: control character 0x1b in string\n"
        "    1 | user a \"A\\x1b[31m\"\n"
        "      |          ^\n"},
    {"display_empty",
        "user a \"\"\n",
        "t.psim:1:8: error: empty display name\n"
        "    1 | user a \"\"\n"
        "      |        ^\n"},
    {"dup_app",
        "app q\n"
        "app q\n",
        "t.psim:2:5: error: duplicate app 'q' (first declared at line 1)\n"
        "    2 | app q\n"
        "      |     ^\n"},
    {"dup_field",
        "user a\n"
        "field a.city\n"
        "field a.city audience=fof\n",
        "t.psim:3:7: error: duplicate field 'a.city' (first declared at line 2)\n"
        "    3 | field a.city audience=fof\n"
        "      |       ^\n"},
    {"dup_friendship",
        "user a b\n"
        "friends a b\n"
        "friends b a\n",
        "t.psim:3:11: warning: duplicate friendship of 'b' and 'a' (first at line 2)\n"
        "    3 | friends b a\n"
        "      |           ^\n"},
    {"dup_group",
        "user a\n"
        "group g open a\n"
        "group g closed\n",
        "t.psim:3:7: error: duplicate group 'g' (first declared at line 2)\n"
        "    3 | group g closed\n"
        "      |       ^\n"},
    {"dup_item",
        "user a\n"
        "post p by=a\n"
        "photo p by=a\n",
        "t.psim:3:7: error: duplicate item 'p' (first declared at line 2)\n"
        "    3 | photo p by=a\n"
        "      |       ^\n"},
    {"dup_list",
        "user a\n"
        "list a l\n"
        "list a l\n",
        "t.psim:3:8: error: duplicate list 'l' of a (first declared at line 2)\n"
        "    3 | list a l\n"
        "      |        ^\n"},
    {"dup_network",
        "user a\n"
        "network acme a\n"
        "network acme\n",
        "t.psim:3:9: error: duplicate network 'acme' (first declared at line 2)\n"
        "    3 | network acme\n"
        "      |         ^\n"},
    {"dup_persona",
        "user a\n"
        "persona a p audience=friends\n"
        "persona a p audience=fof\n",
        "t.psim:3:11: error: duplicate persona 'p' of a (first declared at line 2)\n"
        "    3 | persona a p audience=fof\n"
        "      |           ^\n"},
    {"dup_platform",
        "platform strict\n"
        "platform facebook-2010\n",
        "t.psim:2:10: error: the platform is already given at line 1\n"
        "    2 | platform facebook-2010\n"
        "      |          ^\n"},
    {"dup_rule",
        "rule reshare = none\n"
        "rule reshare = visible\n",
        "t.psim:2:6: error: rule 'reshare' is already set at line 1\n"
        "    2 | rule reshare = visible\n"
        "      |      ^\n"},
    {"dup_term",
        "user a\n"
        "post p by=a audience=friends,fof,friends\n",
        "t.psim:2:34: error: duplicate audience term 'friends'\n"
        "    2 | post p by=a audience=friends,fof,friends\n"
        "      |                                  ^\n"},
    {"dup_user",
        "user al\n"
        "user bo al\n",
        "t.psim:2:9: error: duplicate user 'al' (first declared at line 1)\n"
        "    2 | user bo al\n"
        "      |         ^\n"},
    {"expect_verb",
        "user al\n"
        "post p by=al\n"
        "expect al sees p\n",
        "t.psim:3:11: error: expected can-see or cannot-see, found 'sees'\n"
        "    3 | expect al sees p\n"
        "      |           ^\n"},
    {"extra_arg",
        "user a\n"
        "platform strict extra\n",
        "t.psim:2:17: error: extra argument 'extra'\n"
        "    2 | platform strict extra\n"
        "      |                 ^\n"},
    {"field_named_post",
        "user al\n"
        "post al.birthday by=al\n",
        "t.psim:2:6: error: 'al.birthday' names a profile field; choose another name "
        "for the post\n"
        "    2 | post al.birthday by=al\n"
        "      |      ^\n"},
    {"field_not_shareable",
        "user al\n"
        "do al share al.city\n",
        "t.psim:2:13: error: 'al.city' is a profile field, not a post or a photo\n"
        "    2 | do al share al.city\n"
        "      |             ^\n"},
    {"group_kind",
        "user a\n"
        "group g public a\n",
        "t.psim:2:9: error: invalid value 'public' for the group's kind; expected ope"
        "n, closed or secret\n"
        "    2 | group g public a\n"
        "      |         ^\n"},
    {"group_no_kind",
        "group g\n",
        "t.psim:1:8: error: expected the group's kind (open, closed or secret), found"
        " end of line\n"
        "    1 | group g\n"
        "      |        ^\n"},
    {"group_not_member",
        "user a b\n"
        "group g open a\n"
        "post p by=b group=g\n",
        "t.psim:3:19: error: 'b' is not a member of group 'g'\n"
        "    3 | post p by=b group=g\n"
        "      |                   ^\n"},
    {"group_post_audience",
        "user a\n"
        "group g open a\n"
        "post p by=a group=g audience=friends\n",
        "t.psim:3:21: error: a post in a group takes no audience= (the group decides)"
        "\n"
        "    3 | post p by=a group=g audience=friends\n"
        "      |                     ^\n"},
    {"list_not_friend",
        "user al gina\n"
        "list al bowling gina\n",
        "t.psim:2:17: warning: 'gina' is in al's list 'bowling' but is not al's frien"
        "d\n"
        "    2 | list al bowling gina\n"
        "      |                 ^\n"},
    {"circle_not_friend_is_fine",
        "user al gina\n"
        "circle al climbing gina\n",
        ""},
    {"approve_without_tag",
        "user al bo\n"
        "photo ph by=al\n"
        "do bo approve-tag ph\n"
        "do al tag ph bo\n"
        "do bo approve-tag ph\n",
        "t.psim:3:1: warning: bo is not tagged in 'ph' at this step, so the approval does "
        "nothing (it is not kept for a later tag)\n"
        "    3 | do bo approve-tag ph\n"
        "      | ^\n"},
    {"network_kind",
        "user al\n"
        "network n kind=county al\n",
        "t.psim:2:16: error: invalid value 'county' for the network's kind; expected regional"
        " or other\n"
        "    2 | network n kind=county al\n"
        "      |                ^\n"},
    {"missing_arg",
        "friends\n",
        "t.psim:1:8: error: expected a user name, found end of line\n"
        "    1 | friends\n"
        "      |        ^\n"},
    {"missing_friend",
        "user a\n"
        "friends a\n",
        "t.psim:2:10: error: expected the name of a friend, found end of line\n"
        "    2 | friends a\n"
        "      |          ^\n"},
    {"needs_by",
        "post p audience=friends\n",
        "t.psim:1:6: error: post 'p' needs by=USER\n"
        "    1 | post p audience=friends\n"
        "      |      ^\n"},
    {"not_a_field",
        "rule forced-public = posts\n",
        "t.psim:1:22: error: 'posts' is not a profile field\n"
        "    1 | rule forced-public = posts\n"
        "      |                      ^\n"},
    {"not_a_statement",
        "= a\n",
        "t.psim:1:1: error: expected a statement, found '='\n"
        "    1 | = a\n"
        "      | ^\n"},
    {"option_twice",
        "user a\n"
        "post p by=a by=a\n",
        "t.psim:2:13: error: 'by=' is given twice\n"
        "    2 | post p by=a by=a\n"
        "      |             ^\n"},
    {"value_twice",
        "user a\n"
        "field a.phone audience=friends value=\"1\" value=\"2\"\n",
        "t.psim:2:42: error: 'value=' is given twice\n"
        "    2 | field a.phone audience=friends value=\"1\" value=\"2\"\n"
        "      |                                          ^\n"},
    {"persona_no_audience",
        "user al\n"
        "persona al p forbid=fof\n",
        "t.psim:2:12: error: persona 'p' needs audience=\n"
        "    2 | persona al p forbid=fof\n"
        "      |            ^\n"},
    {"reserved",
        "user internet\n",
        "t.psim:1:6: error: 'internet' is reserved for the viewers outside the platfo"
        "rm\n"
        "    1 | user internet\n"
        "      |      ^\n"},
    {"rule_ref",
        "rule default-audience = list:x\n",
        "t.psim:1:25: error: 'list:' cannot be used in a platform default; use public"
        ", everyone, networks, fof, friends, only-me, circles or extended-circles\n"
        "    1 | rule default-audience = list:x\n"
        "      |                         ^\n"},
    {"self_friend",
        "user al\n"
        "friends al al\n",
        "t.psim:2:12: error: 'al' cannot be friends with themselves\n"
        "    2 | friends al al\n"
        "      |            ^\n"},
    {"set_twice",
        "user al\n"
        "set al tag-review=on\n"
        "set al tag-review=off\n",
        "t.psim:3:8: error: tag-review of al is already set at line 2\n"
        "    3 | set al tag-review=off\n"
        "      |        ^\n"},
    {"sort_order",
        "expect zed can-see p\n"
        "user al\n"
        "post p by=al\n"
        "friends al bob\n",
        "t.psim:1:8: error: unknown user 'zed'\n"
        "    1 | expect zed can-see p\n"
        "      |        ^\n"
        "t.psim:4:12: error: unknown user 'bob'\n"
        "    4 | friends al bob\n"
        "      |            ^\n"},
    {"stray_backslash",
        "user a \\ b\n",
        "t.psim:1:8: error: unexpected '\\' (a backslash continues a statement only at"
        " the end of a line)\n"
        "    1 | user a \\ b\n"
        "      |        ^\n"},
    {"tagged_twice",
        "user a b\n"
        "photo p by=a tags=b,b\n",
        "t.psim:2:21: error: 'b' is tagged twice\n"
        "    2 | photo p by=a tags=b,b\n"
        "      |                     ^\n"},
    {"term_needs_name",
        "user a\n"
        "post p by=a audience=list\n",
        "t.psim:2:26: error: expected ':' after 'list' (list:NAME), found end of line"
        "\n"
        "    2 | post p by=a audience=list\n"
        "      |                          ^\n"},
    {"term_takes_no_name",
        "user a\n"
        "post p by=a audience=friends:x\n",
        "t.psim:2:29: error: 'friends' takes no name\n"
        "    2 | post p by=a audience=friends:x\n"
        "      |                             ^\n"},
    {"unexpected_char",
        "user a @b\n",
        "t.psim:1:8: error: unexpected character '@'\n"
        "    1 | user a @b\n"
        "      |        ^\n"},
    {"unexpected_ctl",
        "user a\001\n",
        "t.psim:1:7: error: unexpected control character 0x01\n"
        "    1 | user a\\x01\n"
        "      |       ^\n"},
    {"unknown_field",
        "user al\n"
        "field al.birthdy\n",
        "t.psim:2:10: error: unknown profile field 'birthdy'; did you mean 'birthday'"
        "?\n"
        "    2 | field al.birthdy\n"
        "      |          ^\n"},
    {"unknown_item",
        "user al\n"
        "post p1 by=al\n"
        "expect al can-see p2\n",
        "t.psim:3:19: error: unknown item 'p2'; did you mean 'p1'?\n"
        "    3 | expect al can-see p2\n"
        "      |                   ^\n"},
    {"unknown_list",
        "user al\n"
        "list al work\n"
        "persona al p audience=list:wrok\n",
        "t.psim:3:28: error: al has no list 'wrok'; did you mean 'work'?\n"
        "    3 | persona al p audience=list:wrok\n"
        "      |                            ^\n"},
    {"unknown_option",
        "user a\n"
        "post p by=a audiance=friends\n",
        "t.psim:2:13: error: unknown option 'audiance' for post; did you mean 'audien"
        "ce='?\n"
        "    2 | post p by=a audiance=friends\n"
        "      |             ^\n"},
    {"unknown_persona",
        "user al\n"
        "persona al work audience=friends\n"
        "post p by=al persona=al.wrok\n",
        "t.psim:3:25: error: al has no persona 'wrok'; did you mean 'work'?\n"
        "    3 | post p by=al persona=al.wrok\n"
        "      |                         ^\n"},
    {"unknown_platform",
        "platform myspace\n",
        "t.psim:1:10: error: unknown platform 'myspace'; the platforms are facebook-2005, "
        "facebook-2007, facebook-2009, facebook-2009-12, facebook-2010, facebook-2010-05, "
        "gplus-2011, facebook-2011, facebook-2014, facebook-2015 or strict\n"
        "    1 | platform myspace\n"
        "      |          ^\n"},
    {"unknown_rule",
        "rule reshares = none\n",
        "t.psim:1:6: error: unknown rule 'reshares'; did you mean 'reshare'?\n"
        "    1 | rule reshares = none\n"
        "      |      ^\n"},
    {"unknown_setting",
        "user al\n"
        "set al tag-reveiw=on\n",
        "t.psim:2:8: error: unknown setting 'tag-reveiw'; did you mean 'tag-review'?\n"
        "    2 | set al tag-reveiw=on\n"
        "      |        ^\n"},
    {"unknown_statement",
        "usr a\n",
        "t.psim:1:1: error: unknown statement 'usr'; did you mean 'user'?\n"
        "    1 | usr a\n"
        "      | ^\n"},
    {"unknown_step",
        "user al\n"
        "do al shar p\n",
        "t.psim:2:7: error: unknown step 'shar'; did you mean 'share'?\n"
        "    2 | do al shar p\n"
        "      |       ^\n"},
    {"unknown_term",
        "user a\n"
        "post p by=a audience=freinds\n",
        "t.psim:2:22: error: unknown audience term 'freinds'; did you mean 'friends'?"
        "\n"
        "    2 | post p by=a audience=freinds\n"
        "      |                      ^\n"},
    {"unknown_user",
        "user al carol\n"
        "friends al carlo\n",
        "t.psim:2:12: error: unknown user 'carlo'; did you mean 'carol'?\n"
        "    2 | friends al carlo\n"
        "      |            ^\n"},
    {"unknown_user_nosugg",
        "user al\n"
        "friends al zzzzzz\n",
        "t.psim:2:12: error: unknown user 'zzzzzz'\n"
        "    2 | friends al zzzzzz\n"
        "      |            ^\n"},
    {"unterminated",
        "user a \"Al\n",
        "t.psim:1:8: error: unterminated string\n"
        "    1 | user a \"Al\n"
        "      |        ^\n"},
    {"vary_dup_alt",
        "user al\n"
        "post p by=al\n"
        "vary p audience=fof | friends | fof\n",
        "t.psim:3:33: error: alternative 3 repeats alternative 1\n"
        "    3 | vary p audience=fof | friends | fof\n"
        "      |                                 ^\n"},
    {"vary_first",
        "user al\n"
        "post p by=al audience=friends\n"
        "vary p audience=fof | friends\n",
        "t.psim:3:17: error: the first alternative must be what the scenario says: au"
        "dience=friends\n"
        "    3 | vary p audience=fof | friends\n"
        "      |                 ^\n"},
    {"vary_group",
        "user a\n"
        "group g open a\n"
        "post p by=a group=g\n"
        "vary p audience=fof | friends\n",
        "t.psim:4:6: error: 'p' was posted in a group; its audience cannot vary\n"
        "    4 | vary p audience=fof | friends\n"
        "      |      ^\n"},
    {"vary_one_alt",
        "user al\n"
        "post p by=al\n"
        "vary p audience=friends\n",
        "t.psim:3:24: error: a vary line needs at least two alternatives separated by"
        " '|'\n"
        "    3 | vary p audience=friends\n"
        "      |                        ^\n"},
    {"vary_twice",
        "user al\n"
        "post p by=al\n"
        "vary p audience=fof | friends\n"
        "vary p audience=public | fof\n",
        "t.psim:4:6: error: the audience of 'p' already varies at line 3\n"
        "    4 | vary p audience=public | fof\n"
        "      |      ^\n"},
};

Test(diag, each_error_class_has_its_message_and_position)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc;
        char *out = diag_text(cases[i].input, &rc);
        cr_expect(eq(str, out, (char *)cases[i].expected), "case %s", cases[i].name);
        bool warning_only = strstr(cases[i].expected, ": error: ") == NULL;
        cr_expect(eq(int, rc, warning_only ? 0 : -1), "case %s: result", cases[i].name);
        free(out);
    }
}

Test(diag, invalid_utf8_points_at_the_first_bad_byte)
{
    int rc;
    char *out = diag_text("user a\nuser b\n# caf\xe9 \xff\n", &rc);
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(str, out,
                 "t.psim:3:6: error: file is not valid UTF-8 (byte 0xe9)\n"
                 "    3 | # caf\\xe9 \\xff\n"
                 "      |      ^\n"));
    free(out);
    /* after valid multi-byte characters the column counts characters */
    out = diag_text("# été \xc3\n", &rc);
    cr_assert(eq(str, (char *)first_line(out),
                 "t.psim:1:7: error: file is not valid UTF-8 (byte 0xc3)"));
    free(out);
}

Test(diag, a_file_that_cannot_be_read)
{
    ps_diag d;
    ps_diag_init(&d);
    ps_model *m = (ps_model *)1;
    cr_assert(eq(int, ps_parse_file("no/such/file.psim", &m, &d), -1));
    cr_assert(m == NULL);
    char *out = NULL;
    size_t n;
    FILE *f = open_memstream(&out, &n);
    ps_diag_print(&d, f, false);
    fclose(f);
    cr_assert(eq(str, out, "no/such/file.psim: error: cannot open file: "
                           "No such file or directory\n"));
    free(out);
    ps_diag_free(&d);

    ps_diag_init(&d);
    cr_assert(eq(int, ps_parse_file("corpus", &m, &d), -1));
    f = open_memstream(&out, &n);
    ps_diag_print(&d, f, false);
    fclose(f);
    cr_assert(eq(str, out, "corpus: error: cannot read file: Is a directory\n"));
    free(out);
    ps_diag_free(&d);
}

Test(diag, every_error_of_a_file_in_file_order)
{
    /* found in different passes (declarations, then contents, then steps), printed by
     * position */
    int rc;
    char *out = diag_text("do al tag p bob\n"
                          "user al\n"
                          "post p by=al audience=list:nope\n"
                          "friends al al\n"
                          "user al\n", &rc);
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(str, out,
                 "t.psim:1:13: error: unknown user 'bob'\n"
                 "    1 | do al tag p bob\n"
                 "      |             ^\n"
                 "t.psim:3:28: error: al has no list 'nope'\n"
                 "    3 | post p by=al audience=list:nope\n"
                 "      |                            ^\n"
                 "t.psim:4:12: error: 'al' cannot be friends with themselves\n"
                 "    4 | friends al al\n"
                 "      |            ^\n"
                 "t.psim:5:6: error: duplicate user 'al' (first declared at line 2)\n"
                 "    5 | user al\n"
                 "      |      ^\n"));
    free(out);
}

Test(diag, every_unknown_name_of_a_line)
{
    int rc;
    char *out = diag_text("user al\nnetwork n al bo cy\n", &rc);
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(str, out,
                 "t.psim:2:14: error: unknown user 'bo'\n"
                 "    2 | network n al bo cy\n"
                 "      |              ^\n"
                 "t.psim:2:17: error: unknown user 'cy'\n"
                 "    2 | network n al bo cy\n"
                 "      |                 ^\n"));
    free(out);
}

Test(diag, a_broken_declaration_is_reported_once)
{
    /* p1's line is broken; the lines that refer to p1 are not reported again */
    int rc;
    char *out = diag_text("user al\npost p1 by=al \"unterminated\nexpect al can-see p1\n"
                          "post p2 audience=friends\ndo al like p2\n", &rc);
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(str, out,
                 "t.psim:2:15: error: unterminated string\n"
                 "    2 | post p1 by=al \"unterminated\n"
                 "      |               ^\n"
                 "t.psim:4:6: error: post 'p2' needs by=USER\n"
                 "    4 | post p2 audience=friends\n"
                 "      |      ^\n"));
    free(out);
}

Test(diag, too_many_errors)
{
    char text[4096] = "";
    for (int i = 0; i < PS_DIAG_MAX_ERRORS + 10; i++)
        strcat(text, "frobnicate\n");
    int rc;
    char *out = diag_text(text, &rc);
    cr_assert(eq(int, rc, -1));
    size_t errors = 0;
    for (const char *p = out; (p = strstr(p, ": error: unknown statement")); p++)
        errors++;
    cr_assert(eq(sz, errors, PS_DIAG_MAX_ERRORS));
    cr_assert(strstr(out, "\nt.psim: error: too many errors; stopped after 50\n") != NULL);
    free(out);
}

Test(diag, warnings_beyond_the_limit_are_counted)
{
    char text[8192] = "user a\n";
    for (int i = 0; i < PS_DIAG_MAX_WARNINGS + 3; i++) {
        char line[64];
        snprintf(line, sizeof line, "user u%d\nlist a l%d u%d\n", i, i, i);
        strcat(text, line);
    }
    int rc;
    char *out = diag_text(text, &rc);
    cr_assert(eq(int, rc, 0), "warnings do not fail");
    cr_assert(strstr(out, "t.psim: note: 3 more warnings not shown\n") != NULL);
    free(out);
}

Test(diag, control_characters_never_reach_the_terminal)
{
    /* an escape sequence in a string, a C1 control and a right-to-left override */
    int rc;
    char *out = diag_text("user a \"\033]0;owned\007\"\nuser b \"\xc2\x9b" "31m\"\n"
                          "user c\xe2\x80\xae\n", &rc);
    cr_assert(eq(int, rc, -1));
    for (const char *p = out; *p; p++) {
        unsigned char c = (unsigned char)*p;
        cr_assert(c >= 0x20 || c == '\n', "no control byte 0x%02x in the output", c);
    }
    cr_assert(strstr(out, "user a \"\\x1b]0;owned\\x07\"") != NULL);
    cr_assert(strstr(out, "t.psim:2:9: error: control character U+009B in string\n"
                          "    2 | user b \"\\u009b31m\"\n") != NULL);
    cr_assert(strstr(out, "t.psim:3:7: error: unexpected character '\\u202e'") != NULL);
    free(out);
}

Test(diag, the_caret_follows_tabs_and_wide_escapes)
{
    int rc;
    char *out = diag_text("user\tal\nfriends\tal\tcarlo\n", &rc);
    cr_assert(eq(str, out,
                 "t.psim:2:12: error: unknown user 'carlo'\n"
                 "    2 | friends\tal\tcarlo\n"
                 "      |        \t  \t^\n"));
    free(out);
    out = diag_text("user a \"\001\" bob b\n", &rc);
    cr_assert(eq(str, out,
                 "t.psim:1:9: error: control character 0x01 in string\n"
                 "    1 | user a \"\\x01\" bob b\n"
                 "      |         ^\n"));
    free(out);
}

Test(diag, colour_only_when_asked)
{
    ps_diag d;
    ps_diag_init(&d);
    ps_model *m;
    ps_parse_buffer("t.psim", "usr a\n", 6, &m, &d);
    char *out = NULL;
    size_t n;
    FILE *f = open_memstream(&out, &n);
    ps_diag_print(&d, f, true);
    fclose(f);
    cr_assert(eq(str, out,
                 "\033[1mt.psim:1:1:\033[0m \033[1;31merror:\033[0m unknown statement 'usr'; "
                 "did you mean 'user'?\n"
                 "    1 | usr a\n"
                 "      | \033[1;32m^\033[0m\n"));
    free(out);
    ps_diag_free(&d);
    /* a memory stream is no terminal */
    f = open_memstream(&out, &n);
    cr_assert(not(ps_diag_want_color(f)));
    fclose(f);
    free(out);
    setenv("NO_COLOR", "1", 1);
    cr_assert(not(ps_diag_want_color(stderr)));
    unsetenv("NO_COLOR");
}

Test(diag, errors_about_the_whole_file_have_no_position)
{
    ps_diag d;
    ps_diag_init(&d);
    ps_diag_set_source(&d, "x.psim", NULL, 0);
    ps_diag_error(&d, (ps_loc){0, 0}, "something about the file");
    ps_diag_warning(&d, (ps_loc){7, 0}, "something about line %d", 7);
    char *out = NULL;
    size_t n;
    FILE *f = open_memstream(&out, &n);
    ps_diag_print(&d, f, false);
    fclose(f);
    cr_assert(eq(str, out, "x.psim: error: something about the file\n"
                           "x.psim:7: warning: something about line 7\n"));
    cr_assert(eq(u32, ps_diag_nerrors(&d), 1));
    cr_assert(eq(u32, ps_diag_nwarnings(&d), 1));
    free(out);
    ps_diag_free(&d);
}
