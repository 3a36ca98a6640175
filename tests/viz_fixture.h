/* viz_fixture.h - small scenarios built through the model API for the diagram and report
 * tests, so that they do not depend on the parser: Al's story in miniature, and a scenario
 * whose names are hostile to HTML and to Graphviz. */
#ifndef PS_VIZ_FIXTURE_H
#define PS_VIZ_FIXTURE_H

#include "model.h"

#include <stdlib.h>
#include <string.h>

static inline uint32_t fx_user(ps_model *m, const char *name, const char *display)
{
    return ps_model_add_user(m, name, strlen(name), display);
}

static inline void fx_terms(ps_terms *t, ps_term_kind kind, uint32_t ref)
{
    if (ps_terms_push(t, kind, ref))
        abort();
}

static inline uint32_t fx_item(ps_model *m, ps_item_kind kind, const char *name, uint32_t owner,
                               const char *caption)
{
    uint32_t i = ps_model_add_item(m, kind, name, strlen(name), owner);
    if (i == PS_NONE)
        abort();
    if (caption)
        m->items[i].caption = strdup(caption);
    return i;
}

/*
 * Al the Accountant, in miniature (platform facebook-2010):
 *
 *   user al "Al the Accountant"; carol dave erin frank gina
 *   friends al carol dave erin frank; friends erin frank; friends frank gina
 *   network acme al carol dave
 *   list al coworkers carol dave; list al bowling erin frank
 *   persona al work    audience=list:coworkers
 *   persona al weekend audience=list:bowling forbid=list:coworkers,network:acme
 *   post  p1  by=al    audience=list:bowling persona=al.weekend "Strike!"
 *   photo ph1 by=frank audience=friends tags=al persona=al.weekend tag-friends=on "Al-Valanche..."
 *   set al tag-review=off
 *   do erin share p1 audience=public
 */
static inline ps_model *fx_al(void)
{
    ps_model *m = ps_model_new();
    if (!m || ps_model_set_platform(m, "facebook-2010"))
        abort();
    uint32_t al = fx_user(m, "al", "Al the Accountant");
    uint32_t carol = fx_user(m, "carol", NULL), dave = fx_user(m, "dave", NULL);
    uint32_t erin = fx_user(m, "erin", NULL), frank = fx_user(m, "frank", NULL);
    uint32_t gina = fx_user(m, "gina", NULL);
    ps_model_add_friendship(m, al, carol);
    ps_model_add_friendship(m, al, dave);
    ps_model_add_friendship(m, al, erin);
    ps_model_add_friendship(m, al, frank);
    ps_model_add_friendship(m, erin, frank);
    ps_model_add_friendship(m, frank, gina);

    uint32_t acme = ps_model_add_network(m, "acme", 4);
    ps_u32_push(&m->networks[acme].members, &m->networks[acme].nmembers, al);
    ps_u32_push(&m->networks[acme].members, &m->networks[acme].nmembers, carol);
    ps_u32_push(&m->networks[acme].members, &m->networks[acme].nmembers, dave);
    uint32_t cw = ps_model_add_list(m, al, "coworkers", 9);
    ps_u32_push(&m->lists[cw].members, &m->lists[cw].nmembers, carol);
    ps_u32_push(&m->lists[cw].members, &m->lists[cw].nmembers, dave);
    uint32_t bw = ps_model_add_list(m, al, "bowling", 7);
    ps_u32_push(&m->lists[bw].members, &m->lists[bw].nmembers, erin);
    ps_u32_push(&m->lists[bw].members, &m->lists[bw].nmembers, frank);

    uint32_t work = ps_model_add_persona(m, al, "work", 4);
    fx_terms(&m->personas[work].audience, PS_TERM_LIST, cw);
    uint32_t wk = ps_model_add_persona(m, al, "weekend", 7);
    fx_terms(&m->personas[wk].audience, PS_TERM_LIST, bw);
    fx_terms(&m->personas[wk].forbid, PS_TERM_LIST, cw);
    fx_terms(&m->personas[wk].forbid, PS_TERM_NETWORK, acme);

    uint32_t p1 = fx_item(m, PS_ITEM_POST, "p1", al, "Strike!");
    m->items[p1].has_audience = true;
    fx_terms(&m->items[p1].audience.allow, PS_TERM_LIST, bw);
    m->items[p1].persona = wk;
    uint32_t ph1 = fx_item(m, PS_ITEM_PHOTO, "ph1", frank, "Al-Valanche at the lanes");
    m->items[ph1].has_audience = true;
    fx_terms(&m->items[ph1].audience.allow, PS_TERM_FRIENDS, PS_NONE);
    m->items[ph1].persona = wk;
    ps_item_add_tag(&m->items[ph1], al);
    m->items[ph1].tag_friends = PS_ON;
    m->users[al].tag_review = PS_OFF;

    ps_step *s = ps_model_add_step(m);
    s->kind = PS_STEP_SHARE;
    s->actor = erin;
    s->item = p1;
    s->has_audience = true;
    fx_terms(&s->audience.allow, PS_TERM_PUBLIC, PS_NONE);
    s->loc.line = 20;
    (void)gina;
    return m;
}

/* The names a scenario may hold that must reach a page or a label as plain text. */
#define FX_EVIL_USER    "<script>alert(1)</script>"
#define FX_EVIL_CAPTION "\"q\" & 'a' \\N \\G \\n \\l \\\\ <b>b</b> \xc3\xa9t\xc3\xa9 \xe2\x9c\x93"

/* A scenario with a user whose display name is markup, and a photo whose caption holds
 * quotes, an ampersand, Graphviz escapes, a backslash, a line break and non-ASCII text:
 *
 *   user owner "Ow\ner"; user evil "<script>alert(1)</script>"
 *   friends owner evil
 *   photo x1 by=owner audience=friends tags=evil tag-friends=on CAPTION
 *   set evil tag-review=off   (platform facebook-2010: tag-extends=owner-choice)
 *   user bob; friends evil bob
 */
static inline ps_model *fx_evil(void)
{
    ps_model *m = ps_model_new();
    if (!m || ps_model_set_platform(m, "facebook-2010"))
        abort();
    uint32_t owner = fx_user(m, "owner", "Ow\\ner\nline");
    uint32_t evil = fx_user(m, "evil", FX_EVIL_USER);
    uint32_t bob = fx_user(m, "bob", NULL);
    ps_model_add_friendship(m, owner, evil);
    ps_model_add_friendship(m, evil, bob);
    uint32_t x1 = fx_item(m, PS_ITEM_PHOTO, "x1", owner, FX_EVIL_CAPTION);
    m->items[x1].has_audience = true;
    fx_terms(&m->items[x1].audience.allow, PS_TERM_FRIENDS, PS_NONE);
    ps_item_add_tag(&m->items[x1], evil);
    m->items[x1].tag_friends = PS_ON;
    m->users[evil].tag_review = PS_OFF;
    return m;
}

#endif
