/* test_viz.c - the diagrams: the Graphviz wrapper and its escaping, and the graphs built for
 * a leak path, an audience and a persona map, read back node by node through cgraph
 * (agfstnode/agnxtnode/agget) and rendered. */
#include <criterion/criterion.h>
#include <graphviz/cgraph.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "viz.h"
#include "viz_fixture.h"

/* ---- utilities ----------------------------------------------------------------------- */

static const char *attr(void *obj, const char *name)
{
    const char *v = agget(obj, (char *)name);
    return v ? v : "";
}

static Agnode_t *node(Agraph_t *g, const char *name)
{
    return agnode(g, (char *)name, 0);
}

static Agnode_t *user_node(Agraph_t *g, const ps_model *m, const char *user)
{
    char name[32];
    uint32_t u = ps_model_find(m, PS_NS_USER, 0, user, strlen(user));
    cr_assert(u != PS_NONE, "no user %s", user);
    snprintf(name, sizeof name, "v%u", (unsigned)u);
    return node(g, name);
}

static int count_nodes(Agraph_t *g)
{
    int n = 0;
    for (Agnode_t *v = agfstnode(g); v; v = agnxtnode(g, v))
        n++;
    return n;
}

/* The edge from t to h, or NULL. */
static Agedge_t *edge_between(Agraph_t *g, Agnode_t *t, Agnode_t *h)
{
    for (Agedge_t *e = agfstout(g, t); e; e = agnxtout(g, e))
        if (aghead(e) == h)
            return e;
    return NULL;
}

/* The labelled edge of a step into `h`: the edge itself, or the first half when the step is
 * split around a cut point. */
static Agedge_t *step_into(Agraph_t *g, Agnode_t *h)
{
    for (Agnode_t *v = agfstnode(g); v; v = agnxtnode(g, v))
        for (Agedge_t *e = agfstout(g, v); e; e = agnxtout(g, e)) {
            if (aghead(e) != h)
                continue;
            Agnode_t *t = agtail(e);
            if (strcmp(attr(t, "shape"), "point") == 0)
                for (Agnode_t *w = agfstnode(g); w; w = agnxtnode(g, w)) {
                    Agedge_t *f = edge_between(g, w, t);
                    if (f)
                        return f;
                }
            if (strncmp(agnameof(t), "fix", 3) != 0 && strncmp(agnameof(t), "tfix", 4) != 0)
                return e;
        }
    return NULL;
}

static char *render(ps_diagram *d, ps_gv_format fmt, size_t *len)
{
    char *out = NULL;
    size_t n = 0;
    cr_assert_eq(ps_diagram_render(d, fmt, &out, &n), 0, "render failed");
    cr_assert(out && n > 0);
    if (len)
        *len = n;
    return out;
}

static ps_report *check(const ps_model *m, bool fixes)
{
    ps_check_opts o = { .fixes = fixes };
    ps_report *r = NULL;
    cr_assert_eq(ps_check(m, &o, &r), 0);
    return r;
}

static const ps_exposure *find_exposure(const ps_model *m, const ps_report *r, const char *item,
                                        const char *viewer)
{
    uint32_t i = ps_model_find(m, PS_NS_ITEM, 0, item, strlen(item));
    uint32_t v = strcmp(viewer, "internet") == 0 ? ps_viewer_internet(m)
                                                  : ps_model_find(m, PS_NS_USER, 0, viewer,
                                                                  strlen(viewer));
    for (uint32_t k = 0; k < r->nexposures; k++)
        if (r->exposures[k].item == i && r->exposures[k].viewer == v)
            return &r->exposures[k];
    cr_assert_fail("no exposure of %s to %s", item, viewer);
    return NULL;
}

/* ---- the wrapper -------------------------------------------------------------------- */

Test(viz_gv, format_from_the_file_ending)
{
    cr_expect_eq(ps_gv_format_from_path("a.svg"), PS_GV_SVG);
    cr_expect_eq(ps_gv_format_from_path("out/leak.PNG"), PS_GV_PNG);
    cr_expect_eq(ps_gv_format_from_path("x.pdf"), PS_GV_PDF);
    cr_expect_eq(ps_gv_format_from_path("x.dot"), PS_GV_DOT);
    cr_expect_eq(ps_gv_format_from_path("x.gv"), PS_GV_DOT);
    cr_expect_eq(ps_gv_format_from_path("x.jpg"), -1);
    cr_expect_eq(ps_gv_format_from_path("svg"), -1);
    cr_expect_eq(ps_gv_format_from_path("dir.svg/file"), -1);
    cr_expect_eq(ps_gv_format_from_path(".svg"), -1);
    cr_expect_str_eq(ps_gv_format_name(PS_GV_PDF), "pdf");
}

Test(viz_gv, plain_labels_escape_backslashes_ampersands_and_line_breaks)
{
    char *s = ps_gv_label_text("a\\Nb \\G \\n & <script> \"q\"\nz");
    cr_assert_str_eq(s, "a\\\\Nb \\\\G \\\\n &amp; <script> \"q\"\\nz");
    free(s);
    /* control characters and invalid UTF-8 become U+FFFD; valid UTF-8 stays */
    s = ps_gv_label_text("\x01t\xff\xc3\xa9\xe2\x80\xae");
    cr_assert_str_eq(s, "\xef\xbf\xbdt\xef\xbf\xbd\xc3\xa9\xef\xbf\xbd");
    free(s);
}

Test(viz_gv, html_labels_escape_markup_and_backslashes)
{
    char *s = ps_gv_html_text("<script>alert('x')</script> & \"q\" \\N\nz");
    cr_assert_str_eq(s, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot; "
                        "\\\\N<BR/>z");
    free(s);
}

/* A label set through the wrapper reads back escaped, and Graphviz draws it as written:
 * \N is not replaced by the node's name, markup is text. */
Test(viz_gv, labels_survive_graphviz)
{
    ps_gv_graph *g = ps_gv_open("t", true);
    cr_assert(g);
    ps_gv_node *n = ps_gv_add_node(g, "n1");
    ps_gv_node *h = ps_gv_add_node(g, "n2");
    cr_assert_eq(ps_gv_set_text(n, "label", "x\\Ny <script> &amp; \xc3\xa9"), 0);
    cr_assert_eq(ps_gv_set_html(h, "label", "<B>bold</B> &lt;i&gt;"), 0);
    cr_assert(ps_gv_add_edge(g, n, h));
    cr_expect_str_eq(attr(n, "label"), "x\\\\Ny <script> &amp;amp; \xc3\xa9");
    cr_expect(ps_gv_is_html(h, "label"));
    cr_expect(!ps_gv_is_html(n, "label"));
    char *svg;
    size_t len;
    cr_assert_eq(ps_gv_render(g, "dot", PS_GV_SVG, &svg, &len), 0);
    cr_expect(strstr(svg, "x\\Ny &lt;script&gt; &amp;amp; \xc3\xa9"), "label drawn as written");
    cr_expect(!strstr(svg, "xn1y"), "\\N was substituted");
    cr_expect(!strstr(svg, "<script"));
    cr_expect(strstr(svg, "font-weight=\"bold\""));
    free(svg);
    ps_gv_close(g);
}

Test(viz_gv, renders_every_format)
{
    ps_gv_graph *g = ps_gv_open("t", true);
    ps_gv_node *a = ps_gv_add_node(g, "a"), *b = ps_gv_add_node(g, "b");
    ps_gv_add_edge(g, a, b);
    char *out;
    size_t len;
    cr_assert_eq(ps_gv_render(g, "dot", PS_GV_SVG, &out, &len), 0);
    cr_expect(strstr(out, "<svg"));
    free(out);
    cr_assert_eq(ps_gv_render(g, "dot", PS_GV_PNG, &out, &len), 0);
    cr_expect(len > 8 && memcmp(out, "\x89PNG", 4) == 0);
    free(out);
    cr_assert_eq(ps_gv_render(g, "dot", PS_GV_PDF, &out, &len), 0);
    cr_expect(len > 4 && memcmp(out, "%PDF", 4) == 0);
    free(out);
    cr_assert_eq(ps_gv_render(g, "dot", PS_GV_DOT, &out, &len), 0);
    cr_expect(strstr(out, "digraph t"));
    free(out);
    ps_gv_close(g);
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    cr_assert(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.' || (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."));
    closedir(d);
    return n;
}

Test(viz_gv, files_are_written_through_a_temporary_name)
{
    char dir[] = "/tmp/privsim-viz-XXXXXX";
    cr_assert(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/out.svg", dir);
    cr_assert_eq(ps_viz_write_file(path, "hello", 5), 0);
    FILE *f = fopen(path, "r");
    char buf[16] = { 0 };
    cr_assert(f);
    cr_expect_eq(fread(buf, 1, sizeof buf, f), 5);
    fclose(f);
    cr_expect_str_eq(buf, "hello");
    cr_expect_eq(count_entries(dir), 1, "a temporary file was left behind");
    /* a rename that fails (the target is a non-empty directory) leaves nothing behind */
    char sub[256], inner[300];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    snprintf(inner, sizeof inner, "%s/x", sub);
    cr_assert_eq(mkdir(sub, 0700), 0);
    cr_assert_eq(ps_viz_write_file(inner, "x", 1), 0);
    cr_expect_eq(ps_viz_write_file(sub, "data", 4), -1);
    cr_expect_eq(count_entries(dir), 2);
    /* a missing directory is an error with errno set */
    snprintf(path, sizeof path, "%s/missing/out.svg", dir);
    errno = 0;
    cr_expect_eq(ps_viz_write_file(path, "x", 1), -1);
    cr_expect_eq(errno, ENOENT);
    unlink(inner);
    rmdir(sub);
    snprintf(path, sizeof path, "%s/out.svg", dir);
    unlink(path);
    rmdir(dir);
}

/* ---- the leak diagram --------------------------------------------------------------- */

/* A path built by hand: frank owns ph1; carol is a friend of al, who is tagged in it. */
Test(viz_leak, hand_built_path_nodes_edges_and_fixes)
{
    ps_model *m = fx_al();
    uint32_t frank = ps_model_find(m, PS_NS_USER, 0, "frank", 5);
    uint32_t al = ps_model_find(m, PS_NS_USER, 0, "al", 2);
    uint32_t carol = ps_model_find(m, PS_NS_USER, 0, "carol", 5);
    ps_path p = { .item = ps_model_find(m, PS_NS_ITEM, 0, "ph1", 3), .viewer = carol, .nlinks = 2 };
    p.links[0].grant = (ps_grant){ .via = PS_VIA_OWNER, .through = PS_NONE, .ref = PS_NONE };
    p.links[0].viewer = frank;
    p.links[1].grant = (ps_grant){ .via = PS_VIA_TAG, .term = 1, .depth = 2, .through = al,
                                   .ref = al };
    p.links[1].viewer = carol;
    ps_fix fixes[3] = {
        { .kind = PS_FIX_TAG_REVIEW, .user = al, .item = PS_NONE, .user2 = PS_NONE },
        { .kind = PS_FIX_RULE, .user = PS_NONE, .item = PS_NONE, .rule = PS_RULE_TAG_EXTENDS,
          .rule_value = PS_TAG_TAGGED },
        { .kind = PS_FIX_HIDE, .user = frank, .item = p.item },
    };
    ps_terms_push(&fixes[2].terms, PS_TERM_USER, carol);
    ps_leak_view v = { .path = &p, .severity = PS_SEV_FORBIDDEN, .fixes = fixes, .nfixes = 3,
                       .at_end = true };
    ps_diagram d;
    cr_assert_eq(ps_draw_leak(m, &v, &d), 0);
    Agraph_t *g = d.g;
    cr_expect_str_eq(d.layout, "dot");
    cr_expect_str_eq(attr(g, "rankdir"), "LR");

    /* the item, the owner, the tagged user between, the viewer */
    Agnode_t *item = node(g, "item");
    cr_assert(item);
    cr_expect(strstr(attr(item, "label"), "photo ph1"));
    cr_expect(strstr(attr(item, "label"), "Al-Valanche at the lanes"));
    cr_expect(strstr(attr(item, "label"), "persona al.weekend"));
    Agnode_t *fn = user_node(g, m, "frank"), *an = user_node(g, m, "al"),
             *cn = user_node(g, m, "carol");
    cr_assert(fn && an && cn);
    cr_expect(strstr(attr(fn, "label"), "owner"));
    cr_expect(strstr(attr(an, "label"), "Al the Accountant"));
    cr_expect(strstr(attr(cn, "label"), "viewer"));
    cr_expect(strstr(attr(cn, "label"), "forbidden"));
    cr_expect_str_eq(attr(cn, "color"), PS_VIZ_COLOR_FORBIDDEN);
    cr_expect_str_eq(attr(fn, "color"), PS_VIZ_COLOR_NEUTRAL);

    /* the edges: item -> frank (owner), frank -> al (tagged), al -> carol (the tag step) */
    Agedge_t *e0 = edge_between(g, item, fn);
    cr_assert(e0);
    cr_expect_str_eq(attr(e0, "label"), "owner");
    Agedge_t *e1 = step_into(g, an);
    cr_assert(e1);
    cr_expect_str_eq(attr(e1, "label"), "tagged in it");
    Agedge_t *e2 = step_into(g, cn);
    cr_assert(e2);
    cr_expect(strstr(attr(e2, "label"), "tag (friend of tagged)"), "kind: %s", attr(e2, "label"));
    cr_expect(strstr(attr(e2, "label"), "rule tag-extends = owner-choice"));
    cr_expect(strstr(attr(e2, "label"), "al: tag-review=off"));
    cr_expect_str_eq(attr(e2, "color"), PS_VIZ_COLOR_FORBIDDEN);

    /* al's tag review cuts the edge into al; the rule and frank's hide cut the tag step;
     * each fix box shares the rank of its cut point */
    Agnode_t *tfix = node(g, "tfix1"), *fix = node(g, "fix1");
    cr_assert(tfix && fix);
    cr_expect(strstr(attr(tfix, "label"), "al: tag-review=on"));
    cr_expect(strstr(attr(fix, "label"), "platform: rule"));
    cr_expect(strstr(attr(fix, "label"), "frank: set ph1"));
    Agnode_t *tcut = node(g, "tcut1"), *cut = node(g, "cut1");
    cr_assert(tcut && cut);
    Agedge_t *fe = edge_between(g, tfix, tcut);
    cr_assert(fe);
    cr_expect_str_eq(attr(fe, "arrowhead"), "tee");
    cr_expect_str_eq(attr(fe, "style"), "dashed");
    Agraph_t *rank = agsubg(g, "trank1", 0);
    cr_assert(rank);
    cr_expect_str_eq(attr(rank, "rank"), "same");
    cr_expect(agsubnode(rank, tfix, 0) && agsubnode(rank, tcut, 0));

    /* the caption: title and legend */
    cr_expect(aghtmlstr(agget(g, "label")));
    cr_expect(strstr(attr(g, "label"), "carol sees photo ph1"));
    cr_expect(strstr(attr(g, "label"), "beyond intent"));

    char *svg = render(&d, PS_GV_SVG, NULL);
    cr_expect(strstr(svg, "al: tag&#45;review=on"));
    free(svg);
    ps_diagram_free(&d);
    ps_terms_free(&fixes[2].terms);
    ps_model_free(m);
}

Test(viz_leak, fixes_go_to_the_step_they_cut)
{
    ps_model *m = fx_al();
    uint32_t al = 0, erin = 3;
    ps_path p = { .item = 0, .viewer = 1, .nlinks = 3 };
    p.links[0].grant = (ps_grant){ .via = PS_VIA_OWNER, .through = PS_NONE };
    p.links[0].viewer = al;
    p.links[1].grant = (ps_grant){ .via = PS_VIA_AUDIENCE, .term = PS_TERM_LIST, .through = PS_NONE };
    p.links[1].viewer = erin;
    p.links[2].grant = (ps_grant){ .via = PS_VIA_SHARE, .term = PS_TERM_PUBLIC, .through = erin,
                                   .ref = 0 };
    p.links[2].viewer = 1;
    ps_fix unshare = { .kind = PS_FIX_UNSHARE, .user = erin, .step = 0, .item = 0 };
    ps_fix rule = { .kind = PS_FIX_RULE, .user = PS_NONE, .rule = PS_RULE_RESHARE };
    ps_fix aud = { .kind = PS_FIX_SET_AUDIENCE, .user = al, .item = 0 };
    ps_fix hide = { .kind = PS_FIX_HIDE, .user = al, .item = 0 };
    ps_fix friendlist = { .kind = PS_FIX_FRIENDLIST, .user = 5 };
    ps_fix hide_erin = { .kind = PS_FIX_HIDE, .user = al, .item = 0 };
    ps_terms_push(&hide_erin.terms, PS_TERM_USER, erin);
    cr_expect_eq(ps_viz_fix_link(m, &p, &unshare), 2);
    cr_expect_eq(ps_viz_fix_link(m, &p, &rule), 2);
    cr_expect_eq(ps_viz_fix_link(m, &p, &aud), 1);
    cr_expect_eq(ps_viz_fix_link(m, &p, &hide), 2);
    cr_expect_eq(ps_viz_fix_link(m, &p, &friendlist), 2, "no such step: the last one");
    cr_expect_eq(ps_viz_fix_link(m, &p, &hide_erin), 1, "hiding erin cuts the step into erin");
    ps_terms_free(&hide_erin.terms);
    ps_model_free(m);
}

/* Every exposure of the story draws and renders; the viewer is coloured by severity. */
Test(viz_leak, every_exposure_of_the_story_renders)
{
    ps_model *m = fx_al();
    ps_report *r = check(m, true);
    cr_assert(r->nexposures >= 4);
    for (uint32_t i = 0; i < r->nexposures; i++) {
        const ps_exposure *x = &r->exposures[i];
        ps_leak_view v;
        ps_leak_view_init(&v, r, x);
        ps_diagram d;
        cr_assert_eq(ps_draw_leak(m, &v, &d), 0);
        char name[32];
        snprintf(name, sizeof name, "v%u", (unsigned)x->viewer);
        Agnode_t *vn = node(d.g, name);
        cr_assert(vn, "no node for the viewer");
        cr_expect_str_eq(attr(vn, "color"), ps_viz_severity_color(x->severity));
        char *svg = render(&d, PS_GV_SVG, NULL);
        cr_expect(strstr(svg, "viewer \xc2\xb7 "));
        free(svg);
        ps_diagram_free(&d);
    }
    /* the shared p1 reaches carol through erin's share, with erin's fix beside it */
    const ps_exposure *x = find_exposure(m, r, "p1", "carol");
    ps_leak_view v;
    ps_leak_view_init(&v, r, x);
    ps_diagram d;
    cr_assert_eq(ps_draw_leak(m, &v, &d), 0);
    Agedge_t *e = step_into(d.g, user_node(d.g, m, "carol"));
    cr_assert(e);
    cr_expect(strstr(attr(e, "label"), "share (public)"));
    cr_expect(strstr(attr(e, "label"), "rule reshare = visible"));
    bool found = false;
    for (Agnode_t *n = agfstnode(d.g); n; n = agnxtnode(d.g, n))
        found |= strstr(attr(n, "label"), "erin: do not share p1") != NULL;
    cr_expect(found, "the unshare fix is drawn");
    ps_diagram_free(&d);
    ps_report_free(r);
    ps_model_free(m);
}

/* Names from the scenario reach the labels escaped and the drawing as written. */
Test(viz_leak, hostile_names_are_escaped)
{
    ps_model *m = fx_evil();
    ps_report *r = check(m, true);
    const ps_exposure *x = find_exposure(m, r, "x1", "bob");
    ps_leak_view v;
    ps_leak_view_init(&v, r, x);
    ps_diagram d;
    cr_assert_eq(ps_draw_leak(m, &v, &d), 0);
    Agnode_t *item = node(d.g, "item");
    cr_expect(strstr(attr(item, "label"), "\\\\N \\\\G \\\\n \\\\l \\\\\\\\"), "%s",
              attr(item, "label"));
    cr_expect(strstr(attr(item, "label"), "&amp; 'a'"));
    Agnode_t *owner = user_node(d.g, m, "owner");
    cr_expect(strstr(attr(owner, "label"), "Ow\\\\ner\\nline"), "%s", attr(owner, "label"));
    cr_expect(strstr(attr(d.g, "label"), "&lt;b&gt;b&lt;/b&gt;"));
    char *svg = render(&d, PS_GV_SVG, NULL);
    cr_expect(strstr(svg, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    cr_expect(!strstr(svg, "<script"));
    cr_expect(!strstr(svg, "<b>"));
    cr_expect(strstr(svg, "\\N \\G \\n \\l \\\\"), "Graphviz escapes were interpreted");
    cr_expect(strstr(svg, "\xc3\xa9t\xc3\xa9 \xe2\x9c\x93"));
    cr_expect(strstr(svg, ">Ow\\ner</text>"), "the backslash and the line break");
    free(svg);
    /* the other formats work on the same graph */
    size_t len;
    char *png = render(&d, PS_GV_PNG, &len);
    cr_expect(memcmp(png, "\x89PNG", 4) == 0);
    free(png);
    ps_diagram_free(&d);
    ps_report_free(r);
    ps_model_free(m);
}

/* ---- the audience diagram ----------------------------------------------------------- */

Test(viz_audience, rings_sides_and_severities)
{
    ps_model *m = fx_al();
    ps_report *r = check(m, false);
    ps_engine *e = ps_engine_new(m);
    cr_assert(e && ps_engine_run(e) >= 0);
    uint32_t p1 = ps_model_find(m, PS_NS_ITEM, 0, "p1", 2);
    ps_diagram d;
    cr_assert_eq(ps_draw_audience(e, p1, r, 0, &d), 0);
    Agraph_t *g = d.g;
    cr_expect_str_eq(d.layout, "nop");
    Agnode_t *center = node(g, "owner");
    cr_assert(center);
    cr_expect(strstr(attr(center, "label"), "post p1"));
    cr_expect(strstr(attr(center, "label"), "Al the Accountant (al)"));
    cr_expect_str_eq(attr(center, "pos"), "0.0,0.0");
    /* rings: friends, friends of friends (gina), internet and apps */
    cr_expect(node(g, "ring0") && node(g, "ring1") && node(g, "ring4"));
    cr_expect(!node(g, "ring2"), "an empty ring is not drawn");
    cr_expect(strstr(attr(node(g, "ringlabel0"), "label"), "friends"));
    /* erin and frank are intended (left half), carol and dave forbidden (right half) */
    Agnode_t *erin = user_node(g, m, "erin"), *carol = user_node(g, m, "carol");
    Agnode_t *gina = user_node(g, m, "gina");
    cr_assert(erin && carol && gina);
    cr_expect_str_eq(attr(erin, "color"), PS_VIZ_COLOR_INTENDED);
    cr_expect_str_eq(attr(carol, "color"), PS_VIZ_COLOR_FORBIDDEN);
    cr_expect_str_eq(attr(gina, "color"), PS_VIZ_COLOR_BEYOND);
    cr_expect(atof(attr(erin, "pos")) < 0, "intended on the left: %s", attr(erin, "pos"));
    cr_expect(atof(attr(carol, "pos")) > 0, "exposed on the right: %s", attr(carol, "pos"));
    /* carol got it from erin's share: an edge from erin, and the way in carol's own node (a
     * label on the edge could land on another node) */
    Agedge_t *ed = edge_between(g, erin, carol);
    cr_assert(ed);
    cr_expect(strstr(attr(carol, "label"), "share"), "%s", attr(carol, "label"));
    char buf[32];
    snprintf(buf, sizeof buf, "v%u", (unsigned)ps_viewer_internet(m));
    Agnode_t *inet = node(g, buf);
    cr_assert(inet);
    cr_expect_str_eq(attr(inet, "color"), PS_VIZ_COLOR_EXTERNAL);
    char *svg = render(&d, PS_GV_SVG, NULL);
    cr_expect(strstr(svg, "intended, besides the owner: 2"));
    /* the counts add up for a lay reader: the owner, the intended, the others */
    const char *see = strstr(svg, " see it: the owner, ");
    cr_assert(see, "the caption counts who sees it");
    while (see > svg && see[-1] >= '0' && see[-1] <= '9')
        see--;
    unsigned all = 0, in = 0, out = 0;
    cr_assert(sscanf(see, "%u see it: the owner, %u intended, %u outside the intent", &all, &in,
                     &out) == 3);
    cr_expect_eq(in, 2);
    cr_expect_eq(all, 1 + in + out, "%u see it, but 1 + %u + %u", all, in, out);
    free(svg);
    ps_diagram_free(&d);
    ps_engine_free(e);
    ps_report_free(r);
    ps_model_free(m);
}

/* 400 friends see a post meant for a list of two: the right half collapses into a count. */
Test(viz_audience, big_rings_are_counted_not_drawn)
{
    ps_model *m = ps_model_new();
    cr_assert(m && ps_model_set_platform(m, "facebook-2010") == 0);
    uint32_t owner = fx_user(m, "owner", NULL);
    char name[32];
    for (int i = 0; i < 400; i++) {
        snprintf(name, sizeof name, "f%d", i);
        uint32_t u = fx_user(m, name, NULL);
        ps_model_add_friendship(m, owner, u);
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

    ps_engine *e = ps_engine_new(m);
    cr_assert(e && ps_engine_run(e) >= 0);
    ps_diagram d;
    cr_assert_eq(ps_draw_audience(e, it, NULL, 5, &d), 0);
    cr_expect(count_nodes(d.g) < 20, "%d nodes", count_nodes(d.g));
    Agnode_t *more = node(d.g, "more0_1");
    cr_assert(more, "no counted node");
    cr_expect(strstr(attr(more, "label"), "+394 more"), "%s", attr(more, "label"));
    cr_expect(strstr(attr(more, "label"), "394 beyond intent"));
    cr_expect(!node(d.g, "more0_0"), "the two intended friends are drawn one by one");
    char *svg = render(&d, PS_GV_SVG, NULL);
    cr_expect(strstr(svg, "outside the intent: 398"));
    free(svg);
    ps_diagram_free(&d);
    ps_engine_free(e);
    ps_model_free(m);
}

/* ---- the persona map ---------------------------------------------------------------- */

Test(viz_persona, clusters_and_crossing_leaks)
{
    ps_model *m = fx_al();
    ps_report *r = check(m, false);
    ps_engine *e = ps_engine_new(m);
    cr_assert(e && ps_engine_run(e) >= 0);
    ps_diagram d;
    cr_assert_eq(ps_draw_persona(e, 0, r, 0, &d), 0);
    Agraph_t *g = d.g;
    Agraph_t *work = agsubg(g, "cluster_p0", 0), *weekend = agsubg(g, "cluster_p1", 0);
    cr_assert(work && weekend);
    cr_expect(strstr(attr(work, "label"), "persona al.work"));
    cr_expect(strstr(attr(weekend, "label"), "forbids list:coworkers,network:acme"));
    /* the weekend items live in the weekend cluster */
    char name[32];
    uint32_t ph1 = ps_model_find(m, PS_NS_ITEM, 0, "ph1", 3);
    snprintf(name, sizeof name, "i%u", (unsigned)ph1);
    Agnode_t *item = node(g, name);
    cr_assert(item);
    cr_expect(agsubnode(weekend, item, 0));
    /* ph1 reaches carol, who belongs to the work persona: a red edge into that cluster */
    uint32_t carol = ps_model_find(m, PS_NS_USER, 0, "carol", 5);
    snprintf(name, sizeof name, "p0_v%u", (unsigned)carol);
    Agnode_t *cn = node(g, name);
    cr_assert(cn, "carol is not drawn in the work persona");
    cr_expect(agsubnode(work, cn, 0));
    Agedge_t *ed = edge_between(g, item, cn);
    cr_assert(ed);
    cr_expect_str_eq(attr(ed, "color"), PS_VIZ_COLOR_FORBIDDEN);
    cr_expect_str_eq(attr(ed, "label"), "tag");
    /* gina is in no persona's audience */
    uint32_t gina = ps_model_find(m, PS_NS_USER, 0, "gina", 4);
    snprintf(name, sizeof name, "o_v%u", (unsigned)gina);
    Agraph_t *outside = agsubg(g, "cluster_outside", 0);
    cr_assert(outside && node(g, name));
    cr_expect(agsubnode(outside, node(g, name), 0));
    char *svg = render(&d, PS_GV_SVG, NULL);
    cr_expect(strstr(svg, "outside every persona"));
    free(svg);
    ps_diagram_free(&d);

    /* a user without personas gets a diagram that says so */
    cr_assert_eq(ps_draw_persona(e, carol, r, 0, &d), 0);
    cr_expect(strstr(attr(node(d.g, "none"), "label"), "has no personas"));
    ps_diagram_free(&d);
    ps_engine_free(e);
    ps_report_free(r);
    ps_model_free(m);
}
