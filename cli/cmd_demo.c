/* cmd_demo.c - `privsim demo`: the Al the Accountant story, told end to end.
 *
 * The story is corpus/examples/al-the-accountant.psim, compiled into the binary.  The demo
 * simulates it and tells what it finds: who Al is and what he meant, then one chapter per
 * mechanism that widened an audience (a tag, an app, a friend list, a reshare, ...), each
 * with the path the engine derived and the fixes it verified.  Nothing in the narration is
 * fixed in advance: every chapter comes from the engine's report.
 */
#include "cli.h"
#include "state_model.h"
#include "describe.h"
#include "engine.h"
#include "fix_more.h"
#include "linkage.h"
#include "parse.h"
#include "report.h"
#include "report_out.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

extern const char ps_al_story[];
extern const size_t ps_al_story_len;
extern const char ps_al_two_story[];
extern const size_t ps_al_two_story_len;


static const char usage[] =
    "usage: privsim demo [options]\n"
    "\n"
    "Tells the story of Al the Accountant, who keeps a work persona and a weekend persona\n"
    "(\"Al-Valanche\" of the bowling league), and of everything that leaks between them\n"
    "under facebook-2010's rules: simulated, explained and fixed.\n"
    "\n"
    "options:\n"
    "  --platform P   tell the story under another platform preset\n"
    "  --format F     text (default: the story) or json (the story's check report)\n"
    "  --scenario     print the story's scenario file and exit\n"
    "  --scenario-two print the second story's (two accounts, one person) and exit\n"
    "  --report DIR   also write the HTML report of the story into DIR\n"
    "  -h, --help     this help\n";

/* One chapter per mechanism, in the order a newcomer meets them. */
static const struct {
    ps_via via;
    const char *title;
    const char *lead;
} chapters[] = {
    { PS_VIA_TAG, "A friend's tag",
      "A photo belongs to whoever posted it, but a tag pulls in the tagged person's\n"
      "friends. Al did not post this and never chose its audience." },
    { PS_VIA_APP, "An app a friend installed",
      "Apps that friends install can read, through them, what those friends can see of\n"
      "Al, in every category Al lets through." },
    { PS_VIA_FRIENDSHIP, "A hidden friend list",
      "Al hid his friend list, but every friendship has two ends: his friends' own friend\n"
      "lists show it." },
    { PS_VIA_SHARE, "A reshare",
      "Whoever can see a post may share it again, with an audience of their own." },
    { PS_VIA_INTERACTION, "A comment",
      "A comment or a like shows the item to the commenter's friends." },
    { PS_VIA_FORCED, "A field the platform forces public",
      "Some profile fields are public whatever the owner chooses." },
    { PS_VIA_GROUP, "A group post", "Posts in a group reach whoever the group reaches." },
};

/* How well exposure x tells a chapter: an item about the story's hero, then severity, then an
 * item not told yet, then a short path. */
static long score(const ps_model *m, const ps_exposure *x, const bool *told_item, uint32_t hero)
{
    const ps_path *p = &x->path;
    const ps_item *it = &m->items[x->item];
    bool about_hero = it->owner == hero ||
                      (it->persona != PS_NONE && m->personas[it->persona].owner == hero);
    return (about_hero ? 500L : 0) +
           100L * x->severity + (told_item[x->item] ? 0 : 50) - (long)p->nlinks;
}

/* The exposure to tell for a chapter: the best one whose last link is of kind `via`. */
static const ps_exposure *pick(const ps_model *m, const ps_report *r, ps_via via,
                               const bool *told_item, uint32_t hero)
{
    const ps_exposure *best = NULL;
    long best_score = 0;
    for (uint32_t i = 0; i < r->nexposures; i++) {
        const ps_exposure *x = &r->exposures[i];
        const ps_path *p = &x->path;
        if (!p->nlinks || p->links[p->nlinks - 1].grant.via != via)
            continue; /* the chapter's mechanism must be what lets the viewer in */
        long sc = score(m, x, told_item, hero);
        if (!best || sc > best_score) {
            best = x;
            best_score = sc;
        }
    }
    return best;
}

static void wrap_print(const char *text, const char *indent)
{
    printf("%s", indent);
    for (const char *c = text; *c; c++) {
        putchar(*c);
        if (*c == '\n')
            printf("%s", indent);
    }
    printf("\n");
}

static void intro(const ps_model *m, const ps_palette *pal)
{
    char t[512], f[512];
    printf("%sprivsim demo: Al the Accountant%s\n\n", pal->bold, pal->reset);
    for (uint32_t i = 0; i < m->npersonas; i++) {
        const ps_persona *p = &m->personas[i];
        const ps_user *u = &m->users[p->owner];
        printf("  %s%s%s has a persona '%s' for %s", pal->bold, u->display ? u->display : u->name,
               pal->reset, p->name, ps_terms_text(m, &p->audience, t, sizeof t));
        if (p->forbid.n)
            printf(", which must never reach %s", ps_terms_text(m, &p->forbid, f, sizeof f));
        printf(".\n");
    }
    ps_model *mm = (ps_model *)m;
    printf("\n  The scenario: %u people, %u friendships, %u items, %u steps by other people,\n"
           "  simulated under the rules of %s.\n",
           (unsigned)m->nusers, (unsigned)ps_model_nfriendships(mm), (unsigned)m->nitems,
           (unsigned)m->nsteps, m->platform);
}

static void chapter(const ps_model *m, const ps_report *r, const ps_exposure *x, int n,
                    const char *title, const char *lead, const ps_palette *pal)
{
    char buf[1024], b2[512];
    printf("\n%s%d. %s%s: ", pal->bold, n, title, pal->reset);
    ps_term_str(stdout, ps_viewer_name(m, x->viewer, buf, sizeof buf));
    printf(" sees ");
    ps_term_str(stdout, ps_item_text(m, x->item, buf, sizeof buf));
    printf("\n");
    wrap_print(lead, "   ");
    printf("   %s%s%s", pal->red, ps_severity_name((ps_severity)x->severity), pal->reset);
    if (x->first_step)
        printf(", from step %u (line %u)", (unsigned)x->first_step,
               (unsigned)m->steps[x->first_step - 1].loc.line);
    printf(":\n");
    /* the path in the state in which it was found */
    ps_state_model *sm = ps_state_model_new(m);
    const ps_model *pm = sm ? ps_state_model_at(sm, x->at_end ? m->nsteps : x->first_step) : m;
    for (uint32_t i = 0; i < x->path.nlinks; i++) {
        printf("     %s", i ? "> " : "");
        ps_term_str(stdout, ps_link_text(pm, &x->path, i, buf, sizeof buf));
        ps_link_basis(pm, &x->path, i, b2, sizeof b2);
        if (*b2) {
            printf("  %s[", pal->dim);
            ps_term_str(stdout, b2);
            printf("]%s", pal->reset);
        }
        printf("\n");
    }
    ps_state_model_free(sm);
    if (x->nfixes) {
        printf("   What would cut it (each fix re-checked by simulating again):\n");
        for (uint32_t k = 0; k < x->nfixes; k++) {
            printf("     %s", pal->green);
            ps_term_str(stdout, ps_fix_text(m, &r->fixes[x->fix_first + k], buf, sizeof buf));
            printf("%s\n", pal->reset);
        }
        if (x->platform_only)
            printf("     No setting of anyone's that privsim tried can: only the platform could.\n");
    } else {
        printf("   None of the changes privsim tried cuts it on its own.\n");
    }
}

/* The last chapter: the second story (corpus/examples/al-two-accounts.psim), in which Al
 * keeps a second account, and who links the two.  Told from ps_linkage_check(). */
static int chapter_two_accounts(int n, const char *platform, const ps_palette *pal)
{
    ps_diag d;
    ps_diag_init(&d);
    ps_model *m = NULL;
    int rc = ps_parse_buffer("al-two-accounts.psim", ps_al_two_story, ps_al_two_story_len, &m,
                             &d);
    ps_diag_free(&d);
    if (rc || !m || (platform && ps_model_set_platform(m, platform))) {
        ps_model_free(m);
        return -1;
    }
    ps_linkage_report *r;
    if (ps_linkage_check(m, NULL, &r)) {
        ps_model_free(m);
        return -1;
    }
    char buf[2048], t[512];
    const ps_person *p = &m->persons->v[0];
    printf("\n%s%d. A second account%s\n", pal->bold, n, pal->reset);
    wrap_print("Personas share one account. So Al tries two: `al` for work and `alv` for the\n"
               "league, each with careful settings. Who can still tell they are one man?", "   ");
    printf("   Al must never be linked by %s (second story: privsim demo --scenario-two).\n",
           ps_terms_text(m, &p->forbid, t, sizeof t));
    uint32_t shown = 0;
    for (uint32_t i = 0; i < r->n; i++) {
        const ps_linkage *l = &r->v[i];
        if (l->severity != PS_SEV_FORBIDDEN)
            continue;
        printf("   %s%s%s: ", pal->red, ps_severity_name((ps_severity)l->severity), pal->reset);
        ps_term_str(stdout, ps_viewer_name(m, l->viewer, buf, sizeof buf));
        printf(" links %s and %s:\n", m->users[l->a].name, m->users[l->b].name);
        for (uint32_t k = 0; k < l->nev; k++) {
            printf("     - ");
            ps_term_str(stdout, ps_evidence_text(r, l, &r->ev[l->ev_first + k], buf, sizeof buf));
            printf("\n");
        }
        shown++;
    }
    if (!shown)
        printf("   Nobody Al forbids links the accounts under these rules.\n");
    printf("   %u linkage%s in all (%llu forbidden, %llu external, %llu beyond-intent).\n",
           (unsigned)r->n, r->n == 1 ? "" : "s", (unsigned long long)r->counts[PS_SEV_FORBIDDEN],
           (unsigned long long)r->counts[PS_SEV_EXTERNAL],
           (unsigned long long)r->counts[PS_SEV_BEYOND_INTENT]);
    for (uint32_t k = 0; k < r->nminsets; k++) {
        const ps_link_minset *ms = &r->minsets[k];
        if (!ms->found)
            continue;
        printf("   The fewest changes that stop every forbidden linkage (re-checked):\n");
        for (uint32_t i = 0; i < ms->nset; i++) {
            printf("     %s", pal->green);
            ps_term_str(stdout, ps_link_fix_text(r, &r->fixes[ms->set[i]], buf, sizeof buf));
            printf("%s\n", pal->reset);
        }
    }
    ps_linkage_report_free(r);
    ps_model_free(m);
    return 0;
}

int ps_cmd_demo(int argc, char **argv)
{
    static const struct option opts[] = {
        { "platform", required_argument, NULL, 'p' },
        { "scenario", no_argument, NULL, 's' },
        { "scenario-two", no_argument, NULL, 't' },
        { "report", required_argument, NULL, 'r' },
        { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *platform = NULL, *report_dir = NULL;
    ps_format fmt = PS_FMT_TEXT;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'p': platform = optarg; break;
        case 's':
            fwrite(ps_al_story, 1, ps_al_story_len, stdout);
            return ps_cli_finish(PS_EXIT_OK);
        case 't':
            fwrite(ps_al_two_story, 1, ps_al_two_story_len, stdout);
            return ps_cli_finish(PS_EXIT_OK);
        case 'r': report_dir = optarg; break;
        case 'f': if (ps_cli_format("demo", optarg, 3, &fmt)) return PS_EXIT_USAGE; break;
        case 'h': fputs(usage, stdout); return ps_cli_finish(PS_EXIT_OK);
        default: return ps_cli_usage_error("demo", "unknown option");
        }
    }
    if (optind != argc)
        return ps_cli_usage_error("demo", "takes no arguments");
    ps_diag d;
    ps_diag_init(&d);
    ps_model *m = NULL;
    int rc = ps_parse_buffer("al-the-accountant.psim", ps_al_story, ps_al_story_len, &m, &d);
    ps_diag_print(&d, stderr, ps_diag_want_color(stderr));
    ps_diag_free(&d);
    if (rc || !m)
        return PS_EXIT_INTERNAL; /* the built-in story always parses */
    if (platform && ps_model_set_platform(m, platform)) {
        ps_model_free(m);
        return ps_cli_usage_error("demo", "unknown platform '%s' (see privsim platforms)", platform);
    }
    ps_report *r;
    ps_check_opts co = { .fixes = true };
    int crc = ps_check(m, &co, &r);
    if (!crc && ps_fix_complete(m, r)) {
        ps_report_free(r);
        crc = -1;
    }
    if (crc) {
        ps_model_free(m);
        fprintf(stderr, "privsim demo: out of memory\n");
        return PS_EXIT_INTERNAL;
    }
    if (fmt == PS_FMT_JSON) {
        ps_report_print_json(stdout, m, r);
        ps_report_free(r);
        ps_model_free(m);
        return ps_cli_finish(PS_EXIT_OK);
    }
    ps_palette pal = ps_cli_palette(stdout);
    intro(m, &pal);
    /* the story's hero: whoever keeps the most personas */
    uint32_t hero = PS_NONE, best = 0;
    for (uint32_t u = 0; u < m->nusers; u++) {
        uint32_t n = 0;
        for (uint32_t i = 0; i < m->npersonas; i++)
            n += m->personas[i].owner == u;
        if (n > best) {
            best = n;
            hero = u;
        }
    }
    bool *told = calloc(m->nitems ? m->nitems : 1, sizeof *told);
    int n = 0;
    for (size_t i = 0; told && i < sizeof chapters / sizeof chapters[0]; i++) {
        const ps_exposure *x = pick(m, r, chapters[i].via, told, hero);
        if (!x)
            continue;
        told[x->item] = true;
        chapter(m, r, x, ++n, chapters[i].title, chapters[i].lead, &pal);
    }
    free(told);
    if (chapter_two_accounts(++n, platform, &pal)) {
        ps_report_free(r);
        ps_model_free(m);
        fprintf(stderr, "privsim demo: out of memory\n");
        return PS_EXIT_INTERNAL;
    }
    uint32_t failed = 0;
    for (uint32_t i = 0; i < r->nexpects; i++)
        failed += !r->expects[i].held;
    printf("\n%sThe personas story, in all%s: %u exposures (%llu forbidden, %llu external, %llu beyond-intent)",
           pal.bold, pal.reset, (unsigned)r->nexposures,
           (unsigned long long)r->counts[PS_SEV_FORBIDDEN],
           (unsigned long long)r->counts[PS_SEV_EXTERNAL],
           (unsigned long long)r->counts[PS_SEV_BEYOND_INTENT]);
    if (r->nexpects)
        printf("; %u of %u of the story's expectations fail", (unsigned)failed,
               (unsigned)r->nexpects);
    printf(".\n\nNext: `privsim demo --scenario > al.psim`, then `privsim check al.psim`,\n"
           "`privsim explain al.psim ITEM VIEWER`, `privsim view-as al.psim dave al`.\n");
    rc = PS_EXIT_OK;
    if (report_dir) {
        char *index = NULL;
        if (ps_report_write(m, "al-the-accountant.psim", NULL, report_dir, &index) == 0) {
            printf("\nThe report: %s\n", index);
            free(index);
        } else {
            rc = PS_EXIT_INTERNAL;
        }
    }
    ps_report_free(r);
    ps_model_free(m);
    return ps_cli_finish(rc);
}
