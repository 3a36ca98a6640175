/* cmd_history.c - `privsim history FILE [--user U]`: one user's items and fields under every
 * dated platform preset, in date order, as a table (text or JSON). */
#include "cli.h"
#include "history.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: privsim history [options] FILE\n"
    "\n"
    "Simulates the scenario under every dated platform preset, in date order (the file's own\n"
    "platform and rule lines are set aside), and shows, for each of one user's posts, photos\n"
    "and profile fields, the widest class of viewer that sees it at the end of the timeline:\n"
    "only-me, friends, fof/networks (friends of friends or fellow network members), users\n"
    "(a user beyond those, or every user by a public or everyone audience, a field forced to\n"
    "every user, an open group), apps (an app, while the internet does not), internet. Each\n"
    "widening\n"
    "from one preset to the next names the rule or setting that let the widest viewer in.\n"
    "\n"
    "options:\n"
    "  --user U           the user (default: the first user of the file)\n"
    "  --format F         text (default) or json\n"
    "  -h, --help         this help\n";

/* The column heading of a preset: its name without "facebook-". */
static const char *short_name(const char *preset)
{
    return strncmp(preset, "facebook-", 9) == 0 ? preset + 9 : preset;
}

static void print_text(const ps_history *h, const char *path)
{
    const ps_model *m = h->m;
    ps_palette pal = ps_cli_palette(stdout);
    printf("%shistory of ", pal.bold);
    ps_term_str(stdout, m->users[h->user].name);
    printf("%s: ", pal.reset);
    ps_term_str(stdout, path);
    printf(" under %u presets, at the end of the timeline\n\n", (unsigned)h->npresets);
    int w = 6;
    for (uint32_t r = 0; r < h->nitems; r++) {
        int l = (int)strlen(m->items[h->items[r]].name);
        if (l > w)
            w = l;
    }
    if (w > 40)
        w = 40;
    printf("%-*s", w + 2, "item");
    for (uint32_t p = 0; p < h->npresets; p++)
        printf(p + 1 < h->npresets ? " %-12s" : " %s", short_name(h->presets[p]));
    printf("\n");
    for (uint32_t r = 0; r < h->nitems; r++) {
        const char *name = m->items[h->items[r]].name;
        ps_term_str(stdout, name);
        int l = (int)strlen(name);
        printf("%*s", l < w + 2 ? w + 2 - l : 1, "");
        for (uint32_t p = 0; p < h->npresets; p++) {
            const ps_history_cell *c = ps_history_at(h, r, p);
            const char *col = c->cls >= PS_HC_APPS ? pal.magenta
                              : c->cls == PS_HC_USERS ? pal.red : "";
            printf(p + 1 < h->npresets ? " %s%-12s%s" : " %s%s%s", col,
                   ps_history_class_name((ps_history_class)c->cls), *col ? pal.reset : "");
        }
        printf("\n");
    }
    printf("\n%swidenings%s (the widest viewer, the link that reaches it, and its rule or "
           "setting)\n", pal.bold, pal.reset);
    uint32_t n = 0;
    for (uint32_t r = 0; r < h->nitems; r++)
        for (uint32_t p = 1; p < h->npresets; p++) {
            if (!ps_history_widens(h, r, p))
                continue;
            const ps_history_cell *a = ps_history_at(h, r, p - 1), *b = ps_history_at(h, r, p);
            printf("  ");
            ps_term_str(stdout, m->items[h->items[r]].name);
            printf(": %s -> %s, %s -> %s: ", short_name(h->presets[p - 1]),
                   short_name(h->presets[p]), ps_history_class_name((ps_history_class)a->cls),
                   ps_history_class_name((ps_history_class)b->cls));
            ps_term_str(stdout, b->viewer);
            printf(" by ");
            ps_term_str(stdout, b->via);
            if (*b->cause) {
                printf(" (");
                ps_term_str(stdout, b->cause);
                printf(")");
            }
            printf("\n");
            n++;
        }
    if (!n)
        printf("  none: no item of this user is seen more widely under a later preset\n");
}

static void print_json(const ps_history *h, const char *path)
{
    const ps_model *m = h->m;
    ps_json j;
    ps_json_init(&j, stdout, 1);
    ps_json_object(&j);
    ps_json_schema(&j, "history", 1);
    ps_json_kstr(&j, "scenario", path);
    ps_json_kstr(&j, "user", m->users[h->user].name);
    ps_json_karray(&j, "classes");
    for (unsigned c = 0; c < PS_NHC; c++)
        ps_json_string(&j, ps_history_class_name((ps_history_class)c));
    ps_json_array_end(&j);
    ps_json_karray(&j, "presets");
    for (uint32_t p = 0; p < h->npresets; p++) {
        ps_json_object(&j);
        ps_json_kstr(&j, "name", h->presets[p]);
        ps_json_kstr(&j, "from", ps_platform_date(h->presets[p]));
        ps_json_object_end(&j);
    }
    ps_json_array_end(&j);
    ps_json_karray(&j, "items");
    for (uint32_t r = 0; r < h->nitems; r++) {
        const ps_item *it = &m->items[h->items[r]];
        ps_json_object(&j);
        ps_json_kstr(&j, "item", it->name);
        ps_json_kstr(&j, "kind", it->kind == PS_ITEM_POST ? "post"
                                 : it->kind == PS_ITEM_PHOTO ? "photo" : "field");
        ps_json_kstr(&j, "category", ps_category_name(ps_item_category(it)));
        ps_json_karray(&j, "history");
        for (uint32_t p = 0; p < h->npresets; p++) {
            const ps_history_cell *c = ps_history_at(h, r, p);
            ps_json_object(&j);
            ps_json_kstr(&j, "preset", h->presets[p]);
            ps_json_kstr(&j, "class", ps_history_class_name((ps_history_class)c->cls));
            ps_json_kbool(&j, "widens", ps_history_widens(h, r, p));
            ps_json_kstr(&j, "viewer", c->viewer);
            ps_json_kstr(&j, "via", c->via);
            ps_json_kstr(&j, "basis", c->cause);
            ps_json_object_end(&j);
        }
        ps_json_array_end(&j);
        ps_json_object_end(&j);
    }
    ps_json_array_end(&j);
    ps_json_object_end(&j);
    ps_json_finish(&j);
}

int ps_cmd_history(int argc, char **argv)
{
    static const struct option opts[] = {
        { "user", required_argument, NULL, 'u' },
        { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *user = NULL;
    ps_format fmt = PS_FMT_TEXT;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'u': user = optarg; break;
        case 'f': if (ps_cli_format("history", optarg, 3, &fmt)) return PS_EXIT_USAGE; break;
        case 'h': fputs(usage, stdout); return ps_cli_finish(PS_EXIT_OK);
        default: return ps_cli_usage_error("history", "unknown option");
        }
    }
    if (argc - optind != 1)
        return ps_cli_usage_error("history", "expected one scenario FILE");
    ps_model *m;
    int rc = ps_cli_load(argv[optind], NULL, &m);
    if (rc)
        return rc;
    uint32_t u = 0;
    if (user)
        u = ps_cli_find("history", m, PS_NS_USER, user);
    else if (!m->nusers)
        u = PS_NONE, fprintf(stderr, "privsim history: the scenario has no users\n");
    if (u == PS_NONE) {
        ps_model_free(m);
        return PS_EXIT_USAGE;
    }
    ps_history *h;
    if (ps_history_compute(m, u, &h)) {
        ps_model_free(m);
        fprintf(stderr, "privsim history: out of memory\n");
        return PS_EXIT_INTERNAL;
    }
    if (fmt == PS_FMT_JSON)
        print_json(h, argv[optind]);
    else
        print_text(h, argv[optind]);
    ps_history_free(h);
    ps_model_free(m);
    return ps_cli_finish(PS_EXIT_OK);
}
