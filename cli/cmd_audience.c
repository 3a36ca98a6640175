/* cmd_audience.c - `privsim audience FILE ITEM`: who sees one item, and why. */
#include "cli.h"
#include "runlimits.h"
#include "describe.h"
#include "engine.h"
#include "bitset.h"
#include "report_out.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: privsim audience [options] FILE ITEM\n"
    "\n"
    "Lists everyone who can see ITEM (a post, a photo, or USER.FIELD) at the end of the\n"
    "scenario's timeline, with the link that lets each one in, marks who is outside the\n"
    "intended audience, and lists who could see it at an earlier step only (information\n"
    "that was seen once has left).\n"
    "\n"
    "options:\n"
    "  --platform P       simulate under platform preset P instead of the file's\n"
    "  --format F         text (default) or json\n"
    "  --max-viewers N    text: list at most N viewers (default 200, 0 = all)\n"
    PS_LIMITS_USAGE
    "  -h, --help         this help\n";

int ps_cmd_audience(int argc, char **argv)
{
    static const struct option opts[] = {
        { "platform", required_argument, NULL, 'p' },
        { "format", required_argument, NULL, 'f' },
        { "max-viewers", required_argument, NULL, 'm' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *platform = NULL;
    ps_format fmt = PS_FMT_TEXT;
    long maxv = 200;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'p': platform = optarg; break;
        case 'f': if (ps_cli_format("audience", optarg, 3, &fmt)) return PS_EXIT_USAGE; break;
        case 'm': {
            char *end;
            errno = 0;
            maxv = strtol(optarg, &end, 10);
            if (end == optarg || *end || maxv < 0 || errno)
                return ps_cli_usage_error("audience", "--max-viewers takes a whole number "
                                                      "(0 = all), not '%s'", optarg);
            break;
        }
        case 'h': fputs(usage, stdout); return ps_cli_finish(PS_EXIT_OK);
        default: return ps_cli_usage_error("audience", "unknown option");
        }
    }
    if (argc - optind != 2)
        return ps_cli_usage_error("audience", "expected a scenario FILE and an ITEM");
    ps_model *m;
    int rc = ps_cli_load(argv[optind], platform, &m);
    if (rc)
        return rc;
    uint32_t item = ps_cli_item("audience", m, argv[optind + 1]);
    if (item == PS_NONE) {
        ps_model_free(m);
        return PS_EXIT_USAGE;
    }
    ps_engine *e = ps_engine_new(m);
    uint64_t *ever = ps_bits_new(ps_nviewers(m));
    uint32_t *first = calloc(ps_nviewers(m), sizeof *first);
    if (!e || !ever || !first) {
        fprintf(stderr, "privsim audience: out of memory\n");
        ps_engine_free(e);
        free(ever);
        free(first);
        ps_model_free(m);
        return PS_EXIT_INTERNAL;
    }
    /* cumulative audience over every state, with the step each viewer first saw it */
    for (uint32_t k = 0;; k++) {
        ps_engine_eval(e, item);
        uint32_t n;
        const uint32_t *aud = ps_engine_audience(e, &n);
        for (uint32_t i = 0; i < n; i++)
            if (!ps_bits_get(ever, aud[i])) {
                ps_bits_set(ever, aud[i]);
                first[aud[i]] = k;
            }
        if (ps_engine_step(e, NULL) <= 0)
            break;
    }
    ps_engine_eval(e, item);
    uint32_t n;
    const uint32_t *aud = ps_engine_audience(e, &n);
    char buf[1024], name[512];
    ps_path p;
    ps_palette pal = ps_cli_palette(stdout);
    /* the audience in force at the end (a late `set` may have changed it), and the paths
     * described in that state; the one the file gave is shown beside it when it differs */
    ps_model *em = ps_engine_model(e);
    const ps_item *it = &em->items[item];
    ps_audience a = ps_item_audience(em, it);
    ps_audience a0 = ps_item_audience(m, &m->items[item]);
    bool changed = !ps_terms_equal(&a.allow, &a0.allow) || !ps_terms_equal(&a.hide, &a0.hide);
    uint32_t outside = 0;
    for (uint32_t i = 0; i < n; i++)
        outside += !ps_engine_intended(e, item, aud[i]);
    if (fmt == PS_FMT_JSON) {
        ps_json j;
        ps_json_init(&j, stdout, 1);
        ps_json_object(&j);
        ps_json_schema(&j, "audience", 1);
        ps_json_kstr(&j, "item", it->name);
        ps_json_kstr(&j, "owner", m->users[it->owner].name);
        ps_json_kstr(&j, "audience", ps_terms_text(m, &a.allow, buf, sizeof buf));
        ps_json_kstr(&j, "hide", ps_terms_text(m, &a.hide, buf, sizeof buf));
        ps_json_kstr(&j, "start-audience", ps_terms_text(m, &a0.allow, buf, sizeof buf));
        ps_json_kstr(&j, "start-hide", ps_terms_text(m, &a0.hide, buf, sizeof buf));
        ps_json_karray(&j, "viewers");
        for (uint32_t i = 0; i < n; i++) {
            bool intended = ps_engine_intended(e, item, aud[i]);
            ps_json_object(&j);
            ps_json_kstr(&j, "viewer", ps_viewer_name(m, aud[i], name, sizeof name));
            ps_json_kbool(&j, "intended", intended);
            if (!intended)
                ps_json_kstr(&j, "severity", ps_severity_name(ps_engine_severity(e, item, aud[i])));
            ps_json_kuint(&j, "first-step", first[aud[i]]);
            ps_json_key(&j, "path");
            if (ps_engine_path(e, aud[i], &p) != 0)
                p.nlinks = 0;
            ps_path_json(&j, em, &p);
            ps_json_object_end(&j);
        }
        ps_json_array_end(&j);
        ps_json_karray(&j, "earlier-only");
        for (uint32_t v = 0; v < ps_nviewers(m); v++)
            if (ps_bits_get(ever, v) && !ps_engine_sees(e, v))
                ps_json_string(&j, ps_viewer_name(m, v, name, sizeof name));
        ps_json_array_end(&j);
        ps_json_object_end(&j);
        ps_json_finish(&j);
    } else {
        printf("%s", pal.bold);
        ps_term_str(stdout, ps_item_text(m, item, buf, sizeof buf));
        printf("%s\n  audience: ", pal.reset);
        ps_term_str(stdout, it->group != PS_NONE ? "(the group decides)"
                                                 : ps_terms_text(m, &a.allow, buf, sizeof buf));
        if (a.hide.n) {
            printf("  hide: ");
            ps_term_str(stdout, ps_terms_text(m, &a.hide, buf, sizeof buf));
        }
        if (changed && it->group == PS_NONE) {
            printf("  (at the end; at the start: ");
            ps_term_str(stdout, ps_terms_text(m, &a0.allow, buf, sizeof buf));
            if (a0.hide.n) {
                printf(" hide: ");
                ps_term_str(stdout, ps_terms_text(m, &a0.hide, buf, sizeof buf));
            }
            printf(")");
        }
        printf("\n  %u viewer%s at the end, %u outside the intended audience\n\n", (unsigned)n,
               n == 1 ? "" : "s", (unsigned)outside);
        for (uint32_t i = 0; i < n && (!maxv || i < (uint32_t)maxv); i++) {
            bool intended = ps_engine_intended(e, item, aud[i]);
            ps_viewer_name(m, aud[i], name, sizeof name);
            const char *mark = intended ? "" : ps_severity_name(ps_engine_severity(e, item, aud[i]));
            printf("  %s%-14s%s ", intended ? "" : pal.red, mark, pal.reset);
            ps_term_str(stdout, name);
            if (ps_engine_path(e, aud[i], &p) == 0) {
                printf("%*s", (int)(strlen(name) < 16 ? 16 - strlen(name) : 1), "");
                printf("%s", pal.dim);
                ps_term_str(stdout, ps_link_text(em, &p, p.nlinks - 1, buf, sizeof buf));
                printf("%s", pal.reset);
            }
            printf("\n");
        }
        if (maxv && n > (uint32_t)maxv)
            printf("  ... and %u more (--max-viewers 0 lists all)\n", (unsigned)(n - (uint32_t)maxv));
        bool any = false;
        for (uint32_t v = 0; v < ps_nviewers(m); v++)
            if (ps_bits_get(ever, v) && !ps_engine_sees(e, v)) {
                printf("%s", any ? ", " : "\n  saw it at an earlier step only: ");
                ps_term_str(stdout, ps_viewer_name(m, v, name, sizeof name));
                printf(" (from step %u)", (unsigned)first[v]);
                any = true;
            }
        if (any)
            printf("\n");
    }
    ps_engine_free(e);
    free(ever);
    free(first);
    ps_model_free(m);
    return ps_cli_finish(PS_EXIT_OK);
}
