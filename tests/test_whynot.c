/* test_whynot.c - why a viewer does not see an item: the nearest path and the missing link. */
#include "describe.h"
#include "engine.h"
#include "lang_test.h"
#include "whynot.h"

static ps_whynot why(ps_model *m, const char *item, const char *viewer)
{
    uint32_t i = ps_model_find(m, PS_NS_ITEM, 0, item, strlen(item));
    uint32_t v = ps_model_find(m, PS_NS_USER, 0, viewer, strlen(viewer));
    cr_assert(i != PS_NONE && v != PS_NONE);
    cr_assert(ps_sees(m, i, v, true) == 0, "%s must not see %s", viewer, item);
    ps_whynot w;
    cr_assert(ps_whynot_find(m, i, v, &w) == 0);
    if (w.found) /* the nearest path really ends at the viewer */
        cr_assert(eq(u32, w.path.links[w.path.nlinks - 1].viewer, v));
    return w;
}

Test(whynot, a_tag_waiting_for_review)
{
    ps_model *m = parse_ok("platform facebook-2010\nrule tag-extends = tagged-friends\n"
                           "user al frank dave\n"
                           "friends al frank dave\n"
                           "set al tag-review=on\n"
                           "photo ph by=frank audience=friends tags=al\n");
    ps_whynot w = why(m, "ph", "dave");
    cr_assert(w.found);
    cr_expect(strstr(w.missing, "al's tag in ph waits for al's review") != NULL, "%s", w.missing);
    cr_expect(strcmp(w.change, "do al approve-tag ph") == 0, "%s", w.change);
    cr_expect(eq(u8, w.path.links[w.path.nlinks - 1].grant.via, PS_VIA_TAG));
    ps_whynot_free(&w);
    ps_model_free(m);
}

Test(whynot, the_owner_hides_it)
{
    ps_model *m = parse_ok("user ann bob cat\nfriends ann bob cat\n"
                           "post p by=ann audience=friends hide=user:bob\n");
    ps_whynot w = why(m, "p", "bob");
    cr_assert(w.found);
    cr_expect(strstr(w.missing, "ann hides p from it (hide=user:bob)") != NULL, "%s", w.missing);
    ps_whynot_free(&w);
    ps_model_free(m);
}

Test(whynot, a_friend_of_a_friend_outside_friends)
{
    ps_model *m = parse_ok("user ann bob cat\nfriends ann bob\nfriends bob cat\n"
                           "post p by=ann audience=friends\n");
    ps_whynot w = why(m, "p", "cat");
    cr_assert(w.found);
    cr_expect(strstr(w.missing, "p's audience (friends) does not include cat") != NULL, "%s",
              w.missing);
    cr_expect(eq(u32, w.path.links[w.path.nlinks - 1].grant.through,
                 ps_model_find(m, PS_NS_USER, 0, "bob", 3)), "the path goes through bob");
    ps_whynot_free(&w);
    ps_model_free(m);
}
