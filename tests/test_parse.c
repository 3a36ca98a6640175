/* test_parse.c - every statement and every audience term of the .psim language, read into
 * the model that the engine sees. */
#include "lang_test.h"

/* ---- platform and rules ---------------------------------------------------------------- */

Test(parse, platform_sets_the_preset_rules)
{
    ps_model *m = parse_ok("platform facebook-2009\n");
    ps_rules want;
    cr_assert(eq(int, ps_platform_preset("facebook-2009", 13, &want), 0));
    cr_assert(eq(str, m->platform, "facebook-2009"));
    cr_assert(eq(u32, m->platform_loc.line, 1));
    cr_assert(eq(u32, m->platform_loc.col, 10));
    for (unsigned id = 0; id < PS_NRULES; id++)
        cr_assert(ps_rule_equal(&m->rules, &want, (ps_rule_id)id, PS_CATS_ALL),
                  "rule %s comes from the preset", ps_rule_name((ps_rule_id)id));
    cr_assert(eq(u32, m->rules_set, 0));
    ps_rules_free(&want);
    ps_model_free(m);
}

Test(parse, no_platform_means_the_newest_preset)
{
    ps_model *m = parse_ok("user a\n");
    cr_assert(eq(str, m->platform, PS_DEFAULT_PLATFORM));
    cr_assert(eq(u32, m->platform_loc.line, 0));
    ps_model_free(m);
}

Test(parse, every_rule_line_overrides_its_rule)
{
    ps_model *m = parse_ok(
        "platform strict\n"
        "rule tag-extends = tagged-friends\n"
        "rule tag-review-default = off\n"
        "rule reshare = public-only\n"
        "rule apps-through-friends = on\n"
        "rule apps-through-friends-default = posts,birthday\n"
        "rule friendship-visibility = both-ends\n"
        "rule forced-public = name,email\n"
        "rule default-audience = fof\n"
        "rule default-audience.photos = friends,networks\n"
        "rule interaction-extends = commenter-friends\n"
        "rule forced-everyone = name,networks\n"
        "rule forced-external = friendlist\n"
        "rule search-listing = on\n"
        "rule instant-personalization = on\n"
        "rule regional-networks = off\n");
    const ps_rules *r = &m->rules;
    cr_assert(eq(int, r->tag_extends, PS_TAG_TAGGED_FRIENDS));
    cr_assert(eq(int, r->tag_review_default, false));
    cr_assert(eq(int, r->reshare, PS_RESHARE_PUBLIC_ONLY));
    cr_assert(eq(int, r->apps_through_friends, true));
    cr_assert(eq(u32, r->apps_default_cats, (1u << PS_CAT_POSTS) | (1u << PS_F_BIRTHDAY)));
    cr_assert(eq(int, r->friendship_visibility, PS_FV_BOTH_ENDS));
    cr_assert(eq(u32, r->forced_public, (1u << PS_F_NAME) | (1u << PS_F_EMAIL)));
    cr_assert(eq(int, r->interaction_extends, PS_IX_COMMENTER_FRIENDS));
    cr_assert(eq(u32, r->forced_everyone, (1u << PS_F_NAME) | (1u << PS_F_NETWORKS)));
    cr_assert(eq(u32, r->forced_external, 1u << PS_F_FRIENDLIST));
    cr_assert(r->search_listing && r->instant_personalization && !r->regional_networks);
    cr_assert(eq(str, (char *)terms_text(m, &r->default_audience[PS_CAT_POSTS]), "fof"));
    cr_assert(eq(str, (char *)terms_text(m, &r->default_audience[PS_F_PHONE]), "fof"));
    cr_assert(eq(str, (char *)terms_text(m, &r->default_audience[PS_CAT_PHOTOS]),
                 "friends,networks"));
    cr_assert(eq(u32, m->rules_set, (1u << PS_NRULES) - 1));
    cr_assert(eq(u32, m->default_audience_set, PS_CATS_ALL));
    cr_assert(eq(u32, m->rule_locs[PS_RULE_RESHARE].line, 4));
    /* the platform keeps its own rules under the overrides */
    cr_assert(eq(str, m->platform, "strict"));
    ps_model_free(m);
}

Test(parse, default_audience_of_one_category)
{
    ps_model *m = parse_ok("rule default-audience.birthday = only-me\n");
    cr_assert(eq(u32, m->default_audience_set, 1u << PS_F_BIRTHDAY));
    cr_assert(eq(str, (char *)terms_text(m, &m->rules.default_audience[PS_F_BIRTHDAY]),
                 "only-me"));
    ps_rules want;
    ps_platform_preset(PS_DEFAULT_PLATFORM, strlen(PS_DEFAULT_PLATFORM), &want);
    cr_assert(ps_terms_equal(&m->rules.default_audience[PS_CAT_POSTS],
                             &want.default_audience[PS_CAT_POSTS]), "other categories keep "
                             "the preset's default");
    ps_rules_free(&want);
    ps_model_free(m);
}

Test(parse, category_sets_all_and_none)
{
    ps_model *m = parse_ok("rule apps-through-friends-default = all\n"
                           "rule forced-public = none\n");
    cr_assert(eq(u32, m->rules.apps_default_cats, PS_CATS_ALL));
    cr_assert(eq(u32, m->rules.forced_public, 0));
    ps_model_free(m);
}

/* ---- people and their connections ------------------------------------------------------ */

Test(parse, users_with_display_names)
{
    ps_model *m = parse_ok("user al \"Al \\\"the\\\" \\\\ Accountant\" carol\n"
                           "user dave \"Dave\"\n");
    cr_assert(eq(u32, m->nusers, 3));
    const ps_user *al = &m->users[user_of(m, "al")];
    cr_assert(eq(str, al->display, "Al \"the\" \\ Accountant"));
    cr_assert(eq(u32, al->loc.line, 1));
    cr_assert(eq(u32, al->loc.col, 6));
    cr_assert(m->users[user_of(m, "carol")].display == NULL);
    cr_assert(eq(str, m->users[user_of(m, "dave")].display, "Dave"));
    cr_assert(eq(int, m->users[user_of(m, "carol")].tag_review, PS_UNSET));
    ps_model_free(m);
}

Test(parse, friends_are_mutual_with_each_name)
{
    ps_model *m = parse_ok("user a b c d\nfriends a b c\nfriends d c\n");
    uint32_t a = user_of(m, "a"), b = user_of(m, "b"), c = user_of(m, "c"),
             d = user_of(m, "d");
    cr_assert(ps_model_are_friends(m, a, b));
    cr_assert(ps_model_are_friends(m, b, a));
    cr_assert(ps_model_are_friends(m, a, c));
    cr_assert(ps_model_are_friends(m, c, d));
    cr_assert(not(ps_model_are_friends(m, b, c)));
    cr_assert(eq(u32, ps_model_nfriendships(m), 3));
    ps_model_free(m);
}

Test(parse, networks_groups_and_lists)
{
    ps_model *m = parse_ok("user al carol dave erin\n"
                           "friends al carol dave\n"
                           "network acme al carol\n"
                           "network empty\n"
                           "group g1 open al\n"
                           "group g2 closed carol dave\n"
                           "group g3 secret erin\n"
                           "list al work carol dave\n");
    uint32_t al = user_of(m, "al"), carol = user_of(m, "carol"), dave = user_of(m, "dave");
    uint32_t acme = ps_model_find(m, PS_NS_NETWORK, 0, "acme", 4);
    cr_assert(acme != PS_NONE);
    cr_assert(eq(u32, m->networks[acme].nmembers, 2));
    cr_assert(ps_network_has(&m->networks[acme], al));
    cr_assert(ps_network_has(&m->networks[acme], carol));
    cr_assert(eq(u32, m->networks[ps_model_find(m, PS_NS_NETWORK, 0, "empty", 5)].nmembers, 0));
    static const char *const names[] = {"g1", "g2", "g3"};
    for (int k = 0; k < 3; k++) {
        uint32_t g = ps_model_find(m, PS_NS_GROUP, 0, names[k], 2);
        cr_assert(g != PS_NONE);
        cr_assert(eq(int, m->groups[g].kind, k), "%s has kind %d", names[k], k);
    }
    cr_assert(eq(u32, m->groups[ps_model_find(m, PS_NS_GROUP, 0, "g2", 2)].nmembers, 2));
    uint32_t work = ps_model_find(m, PS_NS_LIST, al, "work", 4);
    cr_assert(work != PS_NONE);
    cr_assert(eq(u32, m->lists[work].owner, al));
    cr_assert(ps_list_has(&m->lists[work], carol));
    cr_assert(ps_list_has(&m->lists[work], dave));
    cr_assert(eq(u32, m->lists[work].loc.col, 9));
    ps_model_free(m);
}

/* ---- audience terms -------------------------------------------------------------------- */

Test(parse, every_audience_term)
{
    ps_model *m = parse_ok(
        "user al carol\nfriends al carol\nnetwork acme al\ngroup lanes open al\n"
        "list al work carol\n"
        "post p1 by=al audience=public,everyone,fof,friends,only-me,networks,"
        "list:work,network:acme,group:lanes,user:carol,circles,extended-circles\n");
    const ps_item *it = &m->items[item_of(m, "p1")];
    cr_assert(it->has_audience);
    const ps_terms *t = &it->audience.allow;
    cr_assert(eq(u32, t->n, PS_NTERMS));
    for (uint32_t k = 0; k < t->n; k++)
        cr_assert(eq(int, t->v[k].kind, (int)k), "term %u in order", k);
    cr_assert(eq(u32, t->v[PS_TERM_PUBLIC].ref, PS_NONE));
    cr_assert(eq(u32, t->v[PS_TERM_LIST].ref, ps_model_find(m, PS_NS_LIST, user_of(m, "al"),
                                                            "work", 4)));
    cr_assert(eq(u32, t->v[PS_TERM_NETWORK].ref, ps_model_find(m, PS_NS_NETWORK, 0, "acme", 4)));
    cr_assert(eq(u32, t->v[PS_TERM_GROUP].ref, ps_model_find(m, PS_NS_GROUP, 0, "lanes", 5)));
    cr_assert(eq(u32, t->v[PS_TERM_USER].ref, user_of(m, "carol")));
    cr_assert(eq(str, (char *)terms_text(m, t),
                 "public,everyone,fof,friends,only-me,networks,list:work,network:acme,"
                 "group:lanes,user:carol,circles,extended-circles"));
    ps_model_free(m);
}

Test(parse, lists_are_relative_to_the_audience_owner)
{
    /* both own a list called close; each item's term names its owner's */
    ps_model *m = parse_ok("user a b\nfriends a b\nlist a close b\nlist b close a\n"
                           "post pa by=a audience=list:close\npost pb by=b audience=list:close\n"
                           "do b share pa audience=list:close\n");
    uint32_t la = ps_model_find(m, PS_NS_LIST, user_of(m, "a"), "close", 5);
    uint32_t lb = ps_model_find(m, PS_NS_LIST, user_of(m, "b"), "close", 5);
    cr_assert(la != lb);
    cr_assert(eq(u32, m->items[item_of(m, "pa")].audience.allow.v[0].ref, la));
    cr_assert(eq(u32, m->items[item_of(m, "pb")].audience.allow.v[0].ref, lb));
    cr_assert(eq(u32, m->steps[0].audience.allow.v[0].ref, lb), "a share uses the sharer's");
    ps_model_free(m);
}

Test(parse, spaces_around_punctuation)
{
    ps_model *m = parse_ok("user a\nlist a l\npost p by = a  audience = list : l , friends\n");
    cr_assert(eq(str, (char *)terms_text(m, &m->items[item_of(m, "p")].audience.allow),
                 "list:l,friends"));
    ps_model_free(m);
}

/* ---- personas, items, fields ----------------------------------------------------------- */

Test(parse, personas)
{
    ps_model *m = parse_ok("user al\nnetwork acme al\nlist al bowling\nlist al work\n"
                           "persona al work audience=list:work\n"
                           "persona al weekend audience=list:bowling "
                           "forbid=list:work,network:acme\n");
    uint32_t al = user_of(m, "al");
    uint32_t w = ps_model_find(m, PS_NS_PERSONA, al, "weekend", 7);
    cr_assert(w != PS_NONE);
    cr_assert(eq(u32, m->personas[w].owner, al));
    cr_assert(eq(str, (char *)terms_text(m, &m->personas[w].audience), "list:bowling"));
    cr_assert(eq(str, (char *)terms_text(m, &m->personas[w].forbid), "list:work,network:acme"));
    uint32_t k = ps_model_find(m, PS_NS_PERSONA, al, "work", 4);
    cr_assert(eq(u32, m->personas[k].forbid.n, 0));
    ps_model_free(m);
}

Test(parse, posts_and_photos_with_every_option)
{
    ps_model *m = parse_ok(
        "user al frank erin\nfriends al frank erin\ngroup lanes closed al erin\n"
        "list al bowling frank\npersona al weekend audience=list:bowling\n"
        "photo ph1 by=frank audience=friends hide=user:erin tags=al,erin "
        "persona=al.weekend \"Al-Valanche\"\n"
        "post p1 \"Strike!\" by=al audience=list:bowling\n"
        "post g1 by=erin group=lanes\n"
        "post plain by=al\n");
    const ps_item *ph = &m->items[item_of(m, "ph1")];
    cr_assert(eq(int, ph->kind, PS_ITEM_PHOTO));
    cr_assert(eq(u32, ph->owner, user_of(m, "frank")));
    cr_assert(eq(str, (char *)terms_text(m, &ph->audience.allow), "friends"));
    cr_assert(eq(str, (char *)terms_text(m, &ph->audience.hide), "user:erin"));
    cr_assert(eq(u32, ph->ntags, 2));
    cr_assert(eq(u32, ph->tags[0].user, user_of(m, "al")));
    cr_assert(not(ph->tags[0].approved));
    cr_assert(eq(u32, ph->persona, ps_model_find(m, PS_NS_PERSONA, user_of(m, "al"),
                                                 "weekend", 7)));
    cr_assert(eq(str, ph->caption, "Al-Valanche"));
    cr_assert(eq(u32, ph->group, PS_NONE));
    const ps_item *p1 = &m->items[item_of(m, "p1")];
    cr_assert(eq(int, p1->kind, PS_ITEM_POST));
    cr_assert(eq(str, p1->caption, "Strike!"), "the caption may come first");
    const ps_item *g1 = &m->items[item_of(m, "g1")];
    cr_assert(eq(u32, g1->group, ps_model_find(m, PS_NS_GROUP, 0, "lanes", 5)));
    cr_assert(not(g1->has_audience));
    const ps_item *plain = &m->items[item_of(m, "plain")];
    cr_assert(not(plain->has_audience), "no audience= means the platform default");
    cr_assert(plain->caption == NULL);
    cr_assert(eq(u32, plain->persona, PS_NONE));
    ps_model_free(m);
}

Test(parse, fields)
{
    ps_model *m = parse_ok("user al\nfield al.birthday audience=friends hide=user:al\n"
                           "field al.phone\n");
    const ps_item *b = &m->items[item_of(m, "al.birthday")];
    cr_assert(eq(int, b->kind, PS_ITEM_FIELD));
    cr_assert(eq(int, b->field, PS_F_BIRTHDAY));
    cr_assert(eq(u32, b->owner, user_of(m, "al")));
    cr_assert(b->has_audience);
    cr_assert(eq(str, (char *)terms_text(m, &b->audience.hide), "user:al"));
    const ps_item *ph = &m->items[item_of(m, "al.phone")];
    cr_assert(eq(int, ph->field, PS_F_PHONE));
    cr_assert(not(ph->has_audience));
    cr_assert(eq(u32, ph->loc.line, 3), "a declared field has a position");
    ps_model_free(m);
}

Test(parse, users_with_dots_in_their_names_have_fields)
{
    ps_model *m = parse_ok("user j.doe\nfield j.doe.city audience=only-me\n"
                           "expect internet cannot-see j.doe.city\n");
    const ps_item *c = &m->items[item_of(m, "j.doe.city")];
    cr_assert(eq(u32, c->owner, user_of(m, "j.doe")));
    cr_assert(eq(int, c->field, PS_F_CITY));
    ps_model_free(m);
}

/* ---- settings, apps, steps ------------------------------------------------------------- */

Test(parse, initial_settings)
{
    ps_model *m = parse_ok("user al bo cy\npost p by=al\n"
                           "set al tag-review=off apps-through-friends=birthday,photos\n"
                           "set bo apps-through-friends=all tag-review=on\n"
                           "set cy apps-through-friends=none\n"
                           "set al p audience=friends hide=user:bo\n");
    const ps_user *al = &m->users[user_of(m, "al")], *bo = &m->users[user_of(m, "bo")],
                  *cy = &m->users[user_of(m, "cy")];
    cr_assert(eq(int, al->tag_review, PS_OFF));
    cr_assert(al->has_apps_cats);
    cr_assert(eq(u32, al->apps_cats, (1u << PS_F_BIRTHDAY) | (1u << PS_CAT_PHOTOS)));
    cr_assert(eq(int, bo->tag_review, PS_ON));
    cr_assert(eq(u32, bo->apps_cats, PS_CATS_ALL));
    cr_assert(eq(int, cy->tag_review, PS_UNSET));
    cr_assert(cy->has_apps_cats);
    cr_assert(eq(u32, cy->apps_cats, 0));
    cr_assert(eq(u32, m->nsteps, 0), "sets before any do are not steps");
    cr_assert(m->items[item_of(m, "p")].has_audience);
    ps_model_free(m);
}

Test(parse, set_of_an_item_audience_before_the_timeline)
{
    ps_model *m = parse_ok("user al bo\npost p by=al\nset al p audience=friends hide=user:bo\n"
                           "set al al.city audience=only-me\n");
    const ps_item *p = &m->items[item_of(m, "p")];
    cr_assert(p->has_audience);
    cr_assert(eq(str, (char *)terms_text(m, &p->audience.allow), "friends"));
    cr_assert(eq(str, (char *)terms_text(m, &p->audience.hide), "user:bo"));
    const ps_item *c = &m->items[item_of(m, "al.city")];
    cr_assert(c->has_audience);
    ps_model_free(m);
}

Test(parse, apps)
{
    ps_model *m = parse_ok("user a b\napp quiz installed-by=a,b\napp idle\n");
    uint32_t q = ps_model_find(m, PS_NS_APP, 0, "quiz", 4);
    cr_assert(eq(u32, m->apps[q].ninstallers, 2));
    cr_assert(eq(u32, m->apps[ps_model_find(m, PS_NS_APP, 0, "idle", 4)].ninstallers, 0));
    ps_model_free(m);
}

Test(parse, every_step)
{
    ps_model *m = parse_ok(
        "user al bo cy\nfriends al bo\npost p by=al\napp quiz\n"
        "do bo share p audience=fof hide=user:cy\n"
        "do bo unshare p\n"
        "do bo tag p al,cy\n"
        "do bo untag p cy\n"
        "do al approve-tag p\n"
        "do cy comment p\n"
        "do cy like p\n"
        "do al befriend cy\n"
        "do al unfriend bo\n"
        "do cy install quiz\n"
        "do al set tag-review=on apps-through-friends=none\n"
        "do cy share p\n"
        "set al p audience=only-me\n");
    cr_assert(eq(u32, m->nsteps, 13));
    uint32_t al = user_of(m, "al"), bo = user_of(m, "bo"), cy = user_of(m, "cy"),
             p = item_of(m, "p");
    const ps_step *s = m->steps;
    for (uint32_t k = 0; k < 11; k++)
        cr_assert(eq(int, s[k].kind, (int)k), "step %u has kind %s", k,
                  ps_step_kind_name((ps_step_kind)k));
    cr_assert(eq(u32, s[0].actor, bo));
    cr_assert(eq(u32, s[0].item, p));
    cr_assert(s[0].has_audience);
    cr_assert(eq(str, (char *)terms_text(m, &s[0].audience.allow), "fof"));
    cr_assert(eq(str, (char *)terms_text(m, &s[0].audience.hide), "user:cy"));
    cr_assert(eq(u32, s[0].loc.line, 5));
    cr_assert(eq(u32, s[2].nusers, 2));
    cr_assert(eq(u32, s[2].users[0], al));
    cr_assert(eq(u32, s[2].users[1], cy));
    cr_assert(eq(u32, s[3].nusers, 1));
    cr_assert(eq(u32, s[7].other, cy));
    cr_assert(eq(u32, s[8].other, bo));
    cr_assert(eq(u32, s[9].other, ps_model_find(m, PS_NS_APP, 0, "quiz", 4)));
    cr_assert(eq(u32, s[10].nsettings, 2));
    cr_assert(eq(int, s[10].settings[0].kind, PS_SET_TAG_REVIEW));
    cr_assert(eq(u32, s[10].settings[0].value, PS_ON));
    cr_assert(eq(int, s[10].settings[1].kind, PS_SET_APPS_CATS));
    cr_assert(not(s[11].has_audience), "a share without audience= uses the sharer's default");
    /* a set line after the first do is a step, in file order */
    cr_assert(eq(int, s[12].kind, PS_STEP_SET));
    cr_assert(eq(u32, s[12].actor, al));
    cr_assert(eq(int, s[12].settings[0].kind, PS_SET_AUDIENCE));
    cr_assert(eq(u32, s[12].settings[0].item, p));
    cr_assert(not(m->items[p].has_audience), "the step does not change the initial state");
    ps_model_free(m);
}

Test(parse, expectations)
{
    ps_model *m = parse_ok("user al carol\npost p by=al\napp quiz\n"
                           "expect carol can-see p\n"
                           "expect internet cannot-see al.birthday\n"
                           "expect app:quiz can-see p\n");
    cr_assert(eq(u32, m->nexpects, 3));
    const ps_expect *e = m->expects;
    cr_assert(eq(int, e[0].viewer_kind, PS_VIEWER_USER));
    cr_assert(eq(u32, e[0].viewer, user_of(m, "carol")));
    cr_assert(e[0].can_see);
    cr_assert(eq(int, e[1].viewer_kind, PS_VIEWER_INTERNET));
    cr_assert(not(e[1].can_see));
    uint32_t bday = item_of(m, "al.birthday");
    cr_assert(eq(u32, e[1].item, bday), "an undeclared field is created");
    cr_assert(not(m->items[bday].has_audience));
    cr_assert(eq(int, e[2].viewer_kind, PS_VIEWER_APP));
    cr_assert(eq(u32, e[2].viewer, ps_model_find(m, PS_NS_APP, 0, "quiz", 4)));
    cr_assert(eq(u32, e[2].loc.line, 6));
    ps_model_free(m);
}

/* ---- vary lines ------------------------------------------------------------------------ */

Test(parse, vary_lines)
{
    ps_model *m = parse_ok(
        "user al max\nfriends al max\nlist al close max\n"
        "photo ph by=al\n"
        "vary ph audience=list:close | friends | fof hide=user:max\n"
        "vary set al tag-review=off | on\n"
        "vary set al apps-through-friends=none | all | birthday,photos\n"
        "vary rule tag-extends = tagged-friends | tagged\n"
        "vary rule default-audience.posts = friends | public,fof\n"
        "vary do max tag ph al\n");
    cr_assert(eq(u32, m->nvaries, 6));
    cr_assert(eq(u32, m->nsteps, 0), "vary do is not in the timeline");
    const ps_vary *v = m->varies;
    uint32_t ph = item_of(m, "ph"), al = user_of(m, "al");
    cr_assert(eq(int, v[0].kind, PS_VARY_AUDIENCE));
    cr_assert(eq(u32, v[0].target, ph));
    cr_assert(eq(u32, v[0].nalts, 3));
    cr_assert(eq(str, (char *)terms_text(m, &v[0].alts[2].audience.hide), "user:max"));
    cr_assert(eq(str, v[0].alts[2].text, "fof hide=user:max"));
    /* the first alternative is what the scenario does: the photo gets it */
    cr_assert(m->items[ph].has_audience);
    cr_assert(eq(str, (char *)terms_text(m, &m->items[ph].audience.allow), "list:close"));
    cr_assert(eq(int, v[1].kind, PS_VARY_SET));
    cr_assert(eq(u32, v[1].target, al));
    cr_assert(eq(int, v[1].alts[1].setting.kind, PS_SET_TAG_REVIEW));
    cr_assert(eq(u32, v[1].alts[1].setting.value, PS_ON));
    cr_assert(eq(int, m->users[al].tag_review, PS_OFF));
    cr_assert(eq(u32, v[2].alts[1].setting.value, PS_CATS_ALL));
    cr_assert(eq(int, v[3].kind, PS_VARY_RULE));
    cr_assert(eq(int, v[3].rule, PS_RULE_TAG_EXTENDS));
    cr_assert(eq(int, v[3].alts[1].rule.tag_extends, PS_TAG_TAGGED));
    cr_assert(m->rules_set & (1u << PS_RULE_TAG_EXTENDS), "the first value is written down");
    cr_assert(eq(u32, v[4].cats, 1u << PS_CAT_POSTS));
    cr_assert(eq(str, (char *)terms_text(m, &v[4].alts[1].rule.default_audience[PS_CAT_POSTS]),
                 "public,fof"));
    cr_assert(eq(int, v[5].kind, PS_VARY_STEP));
    cr_assert(eq(int, v[5].step.kind, PS_STEP_TAG));
    cr_assert(eq(u32, v[5].step.actor, user_of(m, "max")));
    cr_assert(eq(u32, v[5].step.users[0], al));
    ps_model_free(m);
}

Test(parse, vary_agrees_with_what_is_written)
{
    ps_model *m = parse_ok("rule reshare = none\nuser al\npost p by=al audience=friends\n"
                           "set al tag-review=on\n"
                           "vary p audience=friends | public\n"
                           "vary set al tag-review=on | off\n"
                           "vary rule reshare = none | visible\n");
    cr_assert(eq(u32, m->nvaries, 3));
    ps_model_free(m);
}

/* ---- the file as a whole --------------------------------------------------------------- */

Test(parse, statements_in_any_order)
{
    ps_model *m = parse_ok("expect carol can-see p1\n"
                           "post p1 by=al audience=list:work\n"
                           "list al work carol\n"
                           "friends al carol\n"
                           "user al carol\n"
                           "platform facebook-2011\n");
    cr_assert(eq(str, m->platform, "facebook-2011"));
    cr_assert(eq(u32, m->expects[0].item, item_of(m, "p1")));
    ps_model_free(m);
}

Test(parse, comments_blank_lines_crlf_and_continuations)
{
    ps_model *m = parse_ok("# a scenario\r\n\r\n  user a b   # two people\r\n"
                           "friends a \\\r\n   b\r\n"
                           "post p by=a \\  \n audience=friends,\\\n fof \"x # not a comment\"");
    cr_assert(eq(u32, m->nusers, 2));
    cr_assert(eq(u32, ps_model_nfriendships(m), 1));
    const ps_item *p = &m->items[item_of(m, "p")];
    cr_assert(eq(str, (char *)terms_text(m, &p->audience.allow), "friends,fof"));
    cr_assert(eq(str, p->caption, "x # not a comment"));
    ps_model_free(m);
}

Test(parse, empty_file)
{
    ps_model *m = parse_ok("");
    cr_assert(eq(u32, m->nusers, 0));
    ps_model_free(m);
}

Test(parse, warnings_alone_do_not_fail)
{
    int rc;
    char *out = diag_text("user a b\nlist a l b\n", &rc);
    cr_assert(eq(int, rc, 0));
    cr_assert(eq(str, (char *)first_line(out),
                 "t.psim:2:10: warning: 'b' is in a's list 'l' but is not a's friend"));
    free(out);
}

Test(parse, reads_a_file_and_names_it)
{
    ps_diag d;
    ps_diag_init(&d);
    ps_model *m;
    cr_assert(eq(int, ps_parse_file("corpus/examples/al-the-accountant.psim", &m, &d), 0));
    cr_assert(eq(str, m->path, "corpus/examples/al-the-accountant.psim"));
    cr_assert(eq(str, m->platform, "facebook-2010"));
    cr_assert(eq(str, m->users[user_of(m, "al")].display, "Al the Accountant"));
    ps_model_free(m);
    ps_diag_free(&d);
}
