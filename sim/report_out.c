/* report_out.c - a check report as text, JSON and SARIF (see report_out.h). */
#include "report_out.h"
#include "cli.h"
#include "describe.h"
#include "fix_budget.h"
#include "version.h"

#include <stdlib.h>
#include <string.h>

static const char *loc_step_text(const ps_model *m, uint32_t step, char *buf, size_t cap)
{
    if (step == 0)
        snprintf(buf, cap, "from the start");
    else if (step <= m->nsteps)
        snprintf(buf, cap, "from step %u (line %u)", (unsigned)step,
                 (unsigned)m->steps[step - 1].loc.line);
    else
        snprintf(buf, cap, "from step %u", (unsigned)step);
    return buf;
}

/* ---------------------------------------------------------------------------------------
 * Text
 * ------------------------------------------------------------------------------------- */

typedef struct {
    const ps_report *r;
    uint64_t *shape;       /* per exposure */
} group_ctx;

static group_ctx *g_ctx; /* qsort has no payload argument in C11 */

static int cmp_group(const void *a, const void *b)
{
    uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
    const ps_exposure *x = &g_ctx->r->exposures[i], *y = &g_ctx->r->exposures[j];
    if (x->severity != y->severity)
        return x->severity > y->severity ? -1 : 1;
    if (x->item != y->item)
        return x->item < y->item ? -1 : 1;
    if (g_ctx->shape[i] != g_ctx->shape[j])
        return g_ctx->shape[i] < g_ctx->shape[j] ? -1 : 1;
    if (x->first_step != y->first_step)
        return x->first_step < y->first_step ? -1 : 1;
    if (x->at_end != y->at_end)
        return x->at_end ? -1 : 1;
    return i < j ? -1 : i > j;
}

static bool same_group(const ps_report *r, const uint64_t *shape, uint32_t i, uint32_t j)
{
    const ps_exposure *x = &r->exposures[i], *y = &r->exposures[j];
    return x->severity == y->severity && x->item == y->item && shape[i] == shape[j] &&
           x->first_step == y->first_step && x->at_end == y->at_end;
}

static const char *sev_color(const ps_palette *p, uint8_t sev)
{
    return sev == PS_SEV_FORBIDDEN ? p->red : sev == PS_SEV_EXTERNAL ? p->magenta : p->yellow;
}

static void print_path_text(FILE *out, const ps_model *m, const ps_path *p, const ps_palette *pal)
{
    char t[768], b[512];
    for (uint32_t i = 0; i < p->nlinks; i++) {
        fprintf(out, "  %-8s %s", i ? "" : "path", i ? "> " : "");
        ps_term_str(out, ps_link_text(m, p, i, t, sizeof t));
        ps_link_basis(m, p, i, b, sizeof b);
        if (*b) {
            fprintf(out, "  %s[", pal->dim);
            ps_term_str(out, b);
            fprintf(out, "]%s", pal->reset);
        }
        fputc('\n', out);
    }
}

void ps_report_print_text(FILE *out, const ps_model *m, const ps_report *r, uint32_t max_viewers)
{
    ps_palette pal = ps_cli_palette(out);
    char buf[1024];
    uint32_t n = r->nexposures;
    uint32_t *order = malloc((size_t)(n ? n : 1) * sizeof *order);
    uint64_t *shape = malloc((size_t)(n ? n : 1) * sizeof *shape);
    if (!order || !shape) {
        free(order);
        free(shape);
        fputs("out of memory\n", out);
        return;
    }
    for (uint32_t i = 0; i < n; i++) {
        order[i] = i;
        shape[i] = ps_path_shape(&r->exposures[i].path);
    }
    group_ctx ctx = { r, shape };
    g_ctx = &ctx;
    qsort(order, n, sizeof *order, cmp_group);
    g_ctx = NULL;

    uint32_t ngroups = 0;
    for (uint32_t lo = 0; lo < n;) {
        uint32_t hi = lo + 1;
        while (hi < n && same_group(r, shape, order[lo], order[hi]))
            hi++;
        const ps_exposure *x = &r->exposures[order[lo]];
        ngroups++;
        char sev[32];
        snprintf(sev, sizeof sev, "%s", ps_severity_name((ps_severity)x->severity));
        for (char *c = sev; *c; c++)
            *c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
        fprintf(out, "\n%s%s%-13s%s %s", pal.bold, sev_color(&pal, x->severity), sev, pal.reset,
                pal.bold);
        ps_term_str(out, ps_item_text(m, x->item, buf, sizeof buf));
        fprintf(out, "%s  %sline %u%s\n", pal.reset, pal.dim, (unsigned)m->items[x->item].loc.line,
                pal.reset);
        fprintf(out, "  %-8s ", "seen by");
        uint32_t shown = 0;
        for (uint32_t k = lo; k < hi; k++) {
            if (max_viewers && shown == max_viewers) {
                fprintf(out, " (+%u more)", (unsigned)(hi - k));
                break;
            }
            fprintf(out, "%s", shown ? ", " : "");
            ps_term_str(out, ps_viewer_name(m, r->exposures[order[k]].viewer, buf, sizeof buf));
            shown++;
        }
        fprintf(out, "  %s%s%s%s\n", pal.dim, loc_step_text(m, x->first_step, buf, sizeof buf),
                x->at_end ? "" : ", gone by the end", pal.reset);
        print_path_text(out, m, &x->path, &pal);
        /* the fixes that cut every exposure of the group; per-viewer ones are counted */
        uint32_t shown_fixes = 0, per_viewer = 0;
        for (uint32_t k = 0; k < x->nfixes; k++) {
            const ps_fix *f = &r->fixes[x->fix_first + k];
            ps_fix_text(m, f, buf, sizeof buf);
            bool everywhere = true;
            for (uint32_t g = lo + 1; g < hi && everywhere; g++) {
                const ps_exposure *y = &r->exposures[order[g]];
                bool found = false;
                char other[1024];
                for (uint32_t q = 0; q < y->nfixes && !found; q++)
                    found = strcmp(ps_fix_text(m, &r->fixes[y->fix_first + q], other,
                                               sizeof other), buf) == 0;
                everywhere = found;
            }
            if (!everywhere) {
                per_viewer++;
                continue;
            }
            fprintf(out, "  %-8s %s", shown_fixes ? "" : "fixes", pal.green);
            ps_term_str(out, buf);
            fprintf(out, "%s\n", pal.reset);
            shown_fixes++;
        }
        if (per_viewer)
            fprintf(out, "  %-8s %s(and %u that cut it for single viewers: privsim explain)%s\n",
                    shown_fixes ? "" : "fixes", pal.dim, (unsigned)per_viewer, pal.reset);
        if (ps_fix_unverified(m, x->item))
            fprintf(out, "  %-8s %snot verified: budget (the fixes of this item were not all "
                         "tried before the time\n  %-8s allowed by --max-time ran out; those "
                         "shown were verified)%s\n", shown_fixes || per_viewer ? "" : "fixes",
                    pal.yellow, "", pal.reset);
        else if (x->platform_only)
            fprintf(out, "  %-8s no user setting cuts this path; only the platform rule above does\n", "");
        else if (!x->nfixes && r->nfixes)
            fprintf(out, "  %-8s no single change cuts it (more than one path reaches the viewer)\n",
                    "fixes");
        lo = hi;
    }
    free(order);
    free(shape);

    if (r->nexpects) {
        fprintf(out, "\n%sExpectations%s\n", pal.bold, pal.reset);
        for (uint32_t i = 0; i < r->nexpects; i++) {
            const ps_expect *e = &m->expects[r->expects[i].expect];
            uint32_t v = ps_expect_viewer(m, e);
            fprintf(out, "  %s%-6s%s line %-4u expect ", r->expects[i].held ? pal.green : pal.red,
                    r->expects[i].held ? "ok" : "FAILED", pal.reset, (unsigned)e->loc.line);
            ps_term_str(out, ps_viewer_name(m, v, buf, sizeof buf));
            fprintf(out, " %s ", e->can_see ? "can-see" : "cannot-see");
            ps_term_str(out, m->items[e->item].name);
            fputc('\n', out);
        }
    }
    if (r->nrefused) {
        fprintf(out, "\n%sRefused steps%s (the platform's rules did not allow them)\n", pal.bold,
                pal.reset);
        for (uint32_t i = 0; i < r->nrefused; i++) {
            const ps_step *s = &m->steps[r->refused[i]];
            fprintf(out, "  step %u, line %u: ", (unsigned)r->refused[i] + 1, (unsigned)s->loc.line);
            ps_term_str(out, m->users[s->actor].name);
            fprintf(out, " %s ", ps_step_kind_name((ps_step_kind)s->kind));
            ps_term_str(out, s->item < m->nitems ? m->items[s->item].name : "?");
            fputc('\n', out);
        }
    }
    uint32_t failed = 0;
    for (uint32_t i = 0; i < r->nexpects; i++)
        failed += !r->expects[i].held;
    fprintf(out, "\n%s%u exposure%s%s (%llu forbidden, %llu external, %llu beyond-intent)",
            n ? pal.bold : pal.green, (unsigned)n, n == 1 ? "" : "s", pal.reset,
            (unsigned long long)r->counts[PS_SEV_FORBIDDEN],
            (unsigned long long)r->counts[PS_SEV_EXTERNAL],
            (unsigned long long)r->counts[PS_SEV_BEYOND_INTENT]);
    if (ngroups != n)
        fprintf(out, " in %u groups", (unsigned)ngroups);
    if (r->nexpects)
        fprintf(out, "; %u of %u expectation%s failed", (unsigned)failed, (unsigned)r->nexpects,
                r->nexpects == 1 ? "" : "s");
    fputs("\n", out);
}

/* ---------------------------------------------------------------------------------------
 * JSON
 * ------------------------------------------------------------------------------------- */

static const char *fix_kind_name(ps_fix_kind k)
{
    static const char *const names[PS_NFIXKINDS] = {
        "set-audience", "hide", "tag-review", "untag", "apps-category", "friendlist",
        "unshare", "no-interaction", "uninstall", "rule",
    };
    return k < PS_NFIXKINDS ? names[k] : "?";
}

void ps_path_print_json(FILE *out, const ps_model *m, const ps_path *p)
{
    char buf[1024];
    for (uint32_t i = 0; i < p->nlinks; i++) {
        const ps_link *l = &p->links[i];
        fprintf(out, "%s{\"via\":", i ? "," : "");
        ps_json_str(out, ps_via_name((ps_via)l->grant.via));
        fputs(",\"viewer\":", out);
        ps_json_str(out, ps_viewer_name(m, l->viewer, buf, sizeof buf));
        if (l->grant.through != PS_NONE && l->grant.through < m->nusers) {
            fputs(",\"through\":", out);
            ps_json_str(out, m->users[l->grant.through].name);
        }
        fputs(",\"label\":", out);
        ps_json_str(out, ps_link_label(m, p, i, buf, sizeof buf));
        fputs(",\"text\":", out);
        ps_json_str(out, ps_link_text(m, p, i, buf, sizeof buf));
        fputs(",\"basis\":", out);
        ps_json_str(out, ps_link_basis(m, p, i, buf, sizeof buf));
        fputs("}", out);
    }
}

static void print_fix_json(FILE *out, const ps_model *m, const ps_fix *f)
{
    char buf[1024];
    fputs("{\"kind\":", out);
    ps_json_str(out, fix_kind_name((ps_fix_kind)f->kind));
    fputs(",\"by\":", out);
    ps_json_str(out, f->user < m->nusers ? m->users[f->user].name : "platform");
    fputs(",\"text\":", out);
    ps_json_str(out, ps_fix_text(m, f, buf, sizeof buf));
    fputs("}", out);
}

void ps_report_print_json(FILE *out, const ps_model *m, const ps_report *r)
{
    flockfile(out); /* one lock for the whole document, not one a call */
    char buf[1024];
    uint32_t failed = 0;
    for (uint32_t i = 0; i < r->nexpects; i++)
        failed += !r->expects[i].held;
    fprintf(out, "{\"schema\":\"%s\",\"privsim\":\"%s\",\"scenario\":", PS_JSON_CHECK_SCHEMA,
            PS_VERSION);
    ps_json_str(out, m->path ? m->path : "");
    fputs(",\"platform\":", out);
    ps_json_str(out, m->platform);
    fprintf(out, ",\"steps\":%u", (unsigned)r->nsteps);
    fprintf(out, ",\"summary\":{\"exposures\":%u,\"forbidden\":%llu,\"external\":%llu,"
                 "\"beyond-intent\":%llu,\"expectations\":%u,\"failed-expectations\":%u}",
            (unsigned)r->nexposures, (unsigned long long)r->counts[PS_SEV_FORBIDDEN],
            (unsigned long long)r->counts[PS_SEV_EXTERNAL],
            (unsigned long long)r->counts[PS_SEV_BEYOND_INTENT], (unsigned)r->nexpects,
            (unsigned)failed);
    fputs(",\"exposures\":[", out);
    for (uint32_t i = 0; i < r->nexposures; i++) {
        const ps_exposure *x = &r->exposures[i];
        const ps_item *it = &m->items[x->item];
        fprintf(out, "%s\n{\"item\":", i ? "," : "");
        ps_json_str(out, it->name);
        fputs(",\"kind\":", out);
        ps_json_str(out, ps_item_kind_name((ps_item_kind)it->kind));
        fputs(",\"owner\":", out);
        ps_json_str(out, m->users[it->owner].name);
        fprintf(out, ",\"line\":%u", (unsigned)it->loc.line);
        fputs(",\"category\":", out);
        ps_json_str(out, ps_category_name(ps_item_category(it)));
        fputs(",\"persona\":", out);
        if (it->persona != PS_NONE) {
            snprintf(buf, sizeof buf, "%s.%s", m->users[m->personas[it->persona].owner].name,
                     m->personas[it->persona].name);
            ps_json_str(out, buf);
        } else {
            fputs("null", out);
        }
        fputs(",\"viewer\":", out);
        ps_json_str(out, ps_viewer_name(m, x->viewer, buf, sizeof buf));
        fprintf(out, ",\"viewer-kind\":\"%s\"",
                x->viewer < m->nusers ? "user" : x->viewer == m->nusers ? "internet" : "app");
        fprintf(out, ",\"severity\":\"%s\"", ps_severity_name((ps_severity)x->severity));
        fprintf(out, ",\"first-step\":%u,\"at-end\":%s", (unsigned)x->first_step,
                x->at_end ? "true" : "false");
        fputs(",\"shape\":", out);
        ps_json_str(out, ps_path_shape_text(&x->path, buf, sizeof buf));
        fputs(",\"path\":[", out);
        ps_path_print_json(out, m, &x->path);
        fputs("],\"fixes\":[", out);
        for (uint32_t k = 0; k < x->nfixes; k++) {
            fprintf(out, "%s", k ? "," : "");
            print_fix_json(out, m, &r->fixes[x->fix_first + k]);
        }
        fprintf(out, "],\"platform-only\":%s", x->platform_only ? "true" : "false");
        if (ps_fix_unverified(m, x->item))
            fputs(",\"fixes-not-verified\":\"budget\"", out);
        fputc('}', out);
    }
    fputs("],\"expectations\":[", out);
    for (uint32_t i = 0; i < r->nexpects; i++) {
        const ps_expect *e = &m->expects[r->expects[i].expect];
        uint32_t v = ps_expect_viewer(m, e);
        fprintf(out, "%s\n{\"line\":%u,\"viewer\":", i ? "," : "", (unsigned)e->loc.line);
        ps_json_str(out, ps_viewer_name(m, v, buf, sizeof buf));
        fprintf(out, ",\"expect\":\"%s\",\"item\":", e->can_see ? "can-see" : "cannot-see");
        ps_json_str(out, m->items[e->item].name);
        fprintf(out, ",\"held\":%s}", r->expects[i].held ? "true" : "false");
    }
    fputs("],\"refused-steps\":[", out);
    for (uint32_t i = 0; i < r->nrefused; i++)
        fprintf(out, "%s{\"step\":%u,\"line\":%u}", i ? "," : "", (unsigned)r->refused[i] + 1,
                (unsigned)m->steps[r->refused[i]].loc.line);
    fputs("]}\n", out);
    funlockfile(out);
}

/* ---------------------------------------------------------------------------------------
 * SARIF 2.1.0
 * ------------------------------------------------------------------------------------- */

static const struct {
    const char *id, *name, *level, *text;
} sarif_rules[] = {
    { "forbidden", "ForbiddenViewer", "error",
      "A viewer that the item's persona forbids can see the item." },
    { "external", "ExternalViewer", "error",
      "An app or the internet can see an item that its owner did not make public." },
    { "beyond-intent", "BeyondIntent", "warning",
      "Someone outside the audience the owner chose can see the item." },
    { "expectation", "FailedExpectation", "error", "An expect line of the scenario does not hold." },
};

static int sarif_rule_index(uint8_t sev)
{
    return sev == PS_SEV_FORBIDDEN ? 0 : sev == PS_SEV_EXTERNAL ? 1 : 2;
}

static void sarif_location(FILE *out, const ps_model *m, ps_loc loc)
{
    fputs("\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":", out);
    ps_json_str(out, m->path ? m->path : "scenario.psim");
    fprintf(out, ",\"index\":0},\"region\":{\"startLine\":%u,\"startColumn\":%u}}}]",
            (unsigned)(loc.line ? loc.line : 1), (unsigned)(loc.col ? loc.col : 1));
}

void ps_report_print_sarif(FILE *out, const ps_model *m, const ps_report *r)
{
    flockfile(out); /* one lock for the whole document, not one a call */
    char buf[1024], txt[2048];
    fprintf(out, "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
                 "\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"privsim\","
                 "\"version\":\"%s\",\"rules\":[", PS_VERSION);
    for (size_t i = 0; i < sizeof sarif_rules / sizeof sarif_rules[0]; i++) {
        fprintf(out, "%s{\"id\":\"%s\",\"name\":\"%s\",\"shortDescription\":{\"text\":\"%s\"},"
                     "\"defaultConfiguration\":{\"level\":\"%s\"}}",
                i ? "," : "", sarif_rules[i].id, sarif_rules[i].name, sarif_rules[i].text,
                sarif_rules[i].level);
    }
    fputs("]}},\"artifacts\":[{\"location\":{\"uri\":", out);
    ps_json_str(out, m->path ? m->path : "scenario.psim");
    fputs("}}],\"results\":[", out);
    bool first = true;
    for (uint32_t i = 0; i < r->nexposures; i++) {
        const ps_exposure *x = &r->exposures[i];
        int ri = sarif_rule_index(x->severity);
        ps_viewer_name(m, x->viewer, buf, sizeof buf);
        char item[512];
        ps_item_text(m, x->item, item, sizeof item);
        size_t len = (size_t)snprintf(txt, sizeof txt, "%s can see %s (%s)", buf, item,
                                      ps_severity_name((ps_severity)x->severity));
        if (x->nfixes && len < sizeof txt) {
            char f[512];
            snprintf(txt + len, sizeof txt - len, ". Fix: %s",
                     ps_fix_text(m, &r->fixes[x->fix_first], f, sizeof f));
        }
        fprintf(out, "%s\n{\"ruleId\":\"%s\",\"ruleIndex\":%d,\"level\":\"%s\",\"message\":{\"text\":",
                first ? "" : ",", sarif_rules[ri].id, ri, sarif_rules[ri].level);
        ps_json_str(out, txt);
        fputs("},", out);
        sarif_location(out, m, m->items[x->item].loc);
        fputs(",\"partialFingerprints\":{\"privsimExposure/v1\":", out);
        snprintf(txt, sizeof txt, "%s|%s|%s", m->items[x->item].name, buf,
                 ps_path_shape_text(&x->path, item, sizeof item));
        ps_json_str(out, txt);
        fputs("},\"properties\":{\"item\":", out);
        ps_json_str(out, m->items[x->item].name);
        fputs(",\"viewer\":", out);
        ps_json_str(out, buf);
        fprintf(out, ",\"firstStep\":%u,\"path\":[", (unsigned)x->first_step);
        ps_path_print_json(out, m, &x->path);
        fputs("],\"fixes\":[", out);
        for (uint32_t k = 0; k < x->nfixes; k++) {
            fprintf(out, "%s", k ? "," : "");
            ps_json_str(out, ps_fix_text(m, &r->fixes[x->fix_first + k], txt, sizeof txt));
        }
        fputs("]}}", out);
        first = false;
    }
    for (uint32_t i = 0; i < r->nexpects; i++) {
        if (r->expects[i].held)
            continue;
        const ps_expect *e = &m->expects[r->expects[i].expect];
        uint32_t v = ps_expect_viewer(m, e);
        snprintf(txt, sizeof txt, "expectation failed: %s %s %s",
                 ps_viewer_name(m, v, buf, sizeof buf), e->can_see ? "can-see" : "cannot-see",
                 m->items[e->item].name);
        fprintf(out, "%s\n{\"ruleId\":\"expectation\",\"ruleIndex\":3,\"level\":\"error\","
                     "\"message\":{\"text\":", first ? "" : ",");
        ps_json_str(out, txt);
        fputs("},", out);
        sarif_location(out, m, e->loc);
        fputs("}", out);
        first = false;
    }
    fputs("]}]}\n", out);
    funlockfile(out);
}
