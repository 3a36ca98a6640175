/* report_out.c - a check report as text, JSON and SARIF (see report_out.h). */
#include "report_out.h"
#include "accept.h"
#include "anchor.h"
#include "baseline.h"
#include "fix_more.h"
#include "linkage_out.h"
#include "term.h"
#include "describe.h"
#include "state_model.h"
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

/* The model of the state in which the path of x was found (the end when x is still there,
 * else its first step), to describe it in; m when there is no state model. */
static const ps_model *path_model(ps_state_model *sm, const ps_model *m, const ps_exposure *x)
{
    return sm ? ps_state_model_at(sm, x->at_end ? m->nsteps : x->first_step) : m;
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
    ps_palette pal = ps_term_palette(out);
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
    ps_state_model *sm = ps_state_model_new(m);
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
        print_path_text(out, path_model(sm, m, x), &x->path, &pal);
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
            fprintf(out, "  %-8s no user setting tried cuts this path, only the platform rule above\n"
                         "  %-8s (tried: %s)\n", "", "", PS_FIX_TRIED);
        else if (!x->nfixes && r->nfixes)
            fprintf(out, "  %-8s none of the changes tried cuts it on its own\n"
                         "  %-8s (tried: %s)\n", "fixes", "", PS_FIX_TRIED);
        lo = hi;
    }
    ps_state_model_free(sm);
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
        "unshare", "no-interaction", "uninstall", "rule", "tag-friends",
    };
    return k < PS_NFIXKINDS ? names[k] : "?";
}

void ps_path_json(ps_json *j, const ps_model *m, const ps_path *p)
{
    char buf[1024];
    ps_json_array(j);
    for (uint32_t i = 0; i < p->nlinks; i++) {
        const ps_link *l = &p->links[i];
        ps_json_object(j);
        ps_json_kstr(j, "via", ps_via_name((ps_via)l->grant.via));
        ps_json_kstr(j, "viewer", ps_viewer_name(m, l->viewer, buf, sizeof buf));
        if (l->grant.through != PS_NONE && l->grant.through < m->nusers)
            ps_json_kstr(j, "through", m->users[l->grant.through].name);
        ps_json_kstr(j, "label", ps_link_label(m, p, i, buf, sizeof buf));
        ps_json_kstr(j, "text", ps_link_text(m, p, i, buf, sizeof buf));
        ps_json_kstr(j, "basis", ps_link_basis(m, p, i, buf, sizeof buf));
        ps_json_object_end(j);
    }
    ps_json_array_end(j);
}

void ps_fix_json(ps_json *j, const ps_model *m, const ps_fix *f)
{
    char buf[1024];
    ps_json_object(j);
    ps_json_kstr(j, "kind", fix_kind_name((ps_fix_kind)f->kind));
    ps_json_kstr(j, "by", f->user < m->nusers ? m->users[f->user].name : "platform");
    ps_json_kstr(j, "text", ps_fix_text(m, f, buf, sizeof buf));
    ps_json_object_end(j);
}

/* The "path" and "fixes" members of an exposure (the path in its state, from sm). */
static void path_and_fixes_json(ps_json *j, const ps_model *m, const ps_report *r,
                                const ps_exposure *x, ps_state_model *sm)
{
    ps_json_key(j, "path");
    ps_path_json(j, path_model(sm, m, x), &x->path);
    ps_json_karray(j, "fixes");
    for (uint32_t k = 0; k < x->nfixes; k++)
        ps_fix_json(j, m, &r->fixes[x->fix_first + k]);
    ps_json_array_end(j);
}

static void loc_json(ps_json *j, const char *key, const ps_anchor_line *a)
{
    ps_json_kobject(j, key);
    ps_json_kuint(j, "line", a->loc.line);
    ps_json_kuint(j, "column", a->loc.col);
    ps_json_kstr(j, "what", a->what);
    ps_json_object_end(j);
}

static void gone_json(const ps_baseline_entry *e, void *payload)
{
    ps_json *j = payload;
    ps_json_object(j);
    ps_json_kstr(j, "fingerprint", e->fingerprint);
    ps_json_kuint(j, "line", e->line);
    ps_json_object_end(j);
}

void ps_report_json(ps_json *j, const ps_model *m, const ps_report *r,
                    const ps_report_extra *extra)
{
    char buf[1024];
    uint32_t failed = 0;
    for (uint32_t i = 0; i < r->nexpects; i++)
        failed += !r->expects[i].held;
    ps_json_object(j);
    ps_json_schema(j, PS_JSON_CHECK_KIND, PS_JSON_CHECK_VERSION);
    ps_json_kstr(j, "scenario", m->path ? m->path : "");
    ps_json_kstr(j, "platform", m->platform);
    ps_json_kuint(j, "steps", r->nsteps);
    ps_json_kobject(j, "summary");
    ps_json_kuint(j, "exposures", r->nexposures);
    ps_json_kuint(j, "forbidden", r->counts[PS_SEV_FORBIDDEN]);
    ps_json_kuint(j, "external", r->counts[PS_SEV_EXTERNAL]);
    ps_json_kuint(j, "beyond-intent", r->counts[PS_SEV_BEYOND_INTENT]);
    ps_json_kuint(j, "expectations", r->nexpects);
    ps_json_kuint(j, "failed-expectations", failed);
    if (extra && extra->baseline)
        ps_json_kuint(j, "baselined", extra->baselined);
    if (extra && extra->accept_of && extra->full)
        ps_json_kuint(j, "accepted", extra->full->nexposures - r->nexposures - extra->baselined);
    ps_json_object_end(j);
    ps_json_karray(j, "exposures");
    ps_state_model *sm = ps_state_model_new(m);
    for (uint32_t i = 0; i < r->nexposures; i++) {
        const ps_exposure *x = &r->exposures[i];
        const ps_item *it = &m->items[x->item];
        ps_json_object(j);
        ps_json_kstr(j, "item", it->name);
        ps_json_kstr(j, "kind", ps_item_kind_name((ps_item_kind)it->kind));
        ps_json_kstr(j, "owner", m->users[it->owner].name);
        ps_json_kuint(j, "line", it->loc.line);
        ps_json_kstr(j, "category", ps_category_name(ps_item_category(it)));
        if (it->persona != PS_NONE) {
            snprintf(buf, sizeof buf, "%s.%s", m->users[m->personas[it->persona].owner].name,
                     m->personas[it->persona].name);
            ps_json_kstr(j, "persona", buf);
        } else {
            ps_json_kstr(j, "persona", NULL);
        }
        ps_json_kstr(j, "viewer", ps_viewer_name(m, x->viewer, buf, sizeof buf));
        ps_json_kstr(j, "viewer-kind", x->viewer < m->nusers        ? "user"
                                       : x->viewer == m->nusers     ? "internet"
                                                                    : "app");
        ps_json_kstr(j, "severity", ps_severity_name((ps_severity)x->severity));
        ps_json_kuint(j, "first-step", x->first_step);
        ps_json_kbool(j, "at-end", x->at_end);
        ps_json_kstr(j, "shape", ps_path_shape_text(&x->path, buf, sizeof buf));
        ps_json_kstr(j, "fingerprint", ps_exposure_fingerprint(m, x, buf, sizeof buf));
        ps_anchor an;
        ps_anchor_find(m, x, &an);
        loc_json(j, "cause", &an.at);
        path_and_fixes_json(j, m, r, x, sm);
        ps_json_kbool(j, "platform-only", x->platform_only);
        if (ps_fix_unverified(m, x->item))
            ps_json_kstr(j, "fixes-not-verified", "budget");
        ps_json_object_end(j);
    }
    ps_state_model_free(sm);
    ps_json_array_end(j);
    ps_json_karray(j, "expectations");
    for (uint32_t i = 0; i < r->nexpects; i++) {
        const ps_expect *e = &m->expects[r->expects[i].expect];
        uint32_t v = ps_expect_viewer(m, e);
        ps_json_object(j);
        ps_json_kuint(j, "line", e->loc.line);
        ps_json_kstr(j, "viewer", ps_viewer_name(m, v, buf, sizeof buf));
        ps_json_kstr(j, "expect", e->can_see ? "can-see" : "cannot-see");
        ps_json_kstr(j, "item", m->items[e->item].name);
        ps_json_kbool(j, "held", r->expects[i].held);
        ps_json_object_end(j);
    }
    ps_json_array_end(j);
    ps_json_karray(j, "refused-steps");
    for (uint32_t i = 0; i < r->nrefused; i++) {
        ps_json_object(j);
        ps_json_kuint(j, "step", r->refused[i] + 1);
        ps_json_kuint(j, "line", m->steps[r->refused[i]].loc.line);
        ps_json_object_end(j);
    }
    ps_json_array_end(j);
    if (extra && extra->baseline && extra->file) {
        ps_json_karray(j, "gone");
        ps_baseline_gone(extra->baseline, extra->file, gone_json, j);
        ps_json_array_end(j);
    }
    if (extra && extra->accept_of && extra->full) {
        ps_json_karray(j, "accepted");
        for (uint32_t i = 0; i < extra->full->nexposures; i++) {
            uint32_t k = extra->accept_of[i];
            if (k == PS_NONE)
                continue;
            const ps_exposure *x = &extra->full->exposures[i];
            ps_json_object(j);
            ps_json_kstr(j, "item", m->items[x->item].name);
            ps_json_kstr(j, "viewer", ps_viewer_name(m, x->viewer, buf, sizeof buf));
            ps_json_kstr(j, "severity", ps_severity_name((ps_severity)x->severity));
            ps_json_kstr(j, "reason", m->accepts[k].reason);
            ps_json_kuint(j, "line", m->accepts[k].loc.line);
            ps_json_object_end(j);
        }
        ps_json_array_end(j);
        ps_json_karray(j, "accepts-gone");
        for (uint32_t k = 0; k < m->naccepts; k++) {
            if (extra->accept_used[k])
                continue;
            ps_json_object(j);
            ps_json_kuint(j, "line", m->accepts[k].loc.line);
            ps_json_kstr(j, "item", m->items[m->accepts[k].item].name);
            ps_json_kstr(j, "viewer", ps_viewer_name(m, ps_accept_viewer(m, &m->accepts[k]),
                                                     buf, sizeof buf));
            ps_json_object_end(j);
        }
        ps_json_array_end(j);
    }
    if (extra && extra->linkages)
        ps_linkage_json_members(j, extra->linkages);
    ps_json_object_end(j);
}

void ps_report_print_json(FILE *out, const ps_model *m, const ps_report *r)
{
    flockfile(out); /* one lock for the whole document, not one a call */
    ps_json j;
    ps_json_init(&j, out, 1);
    ps_report_json(&j, m, r, NULL);
    ps_json_finish(&j);
    funlockfile(out);
}

/* ---------------------------------------------------------------------------------------
 * SARIF 2.1.0
 * ------------------------------------------------------------------------------------- */

const ps_sarif_rule ps_check_sarif_rules[PS_CHECK_NRULES] = {
    { "forbidden", "ForbiddenViewer", "error",
      "A viewer that the item's persona forbids can see the item.",
      "Cut the path: apply one of the fixes listed in the message (privsim explain FILE ITEM "
      "VIEWER shows them all), or, if the exposure is intended, write an accept line for it." },
    { "external", "ExternalViewer", "error",
      "An app or the internet can see an item that its owner did not make public.",
      "Stop the app or the share that carries the item outside, or narrow the item's "
      "audience; privsim explain FILE ITEM VIEWER lists every fix." },
    { "beyond-intent", "BeyondIntent", "warning",
      "Someone outside the audience the owner chose can see the item.",
      "Apply a listed fix, or accept the exposure with `accept VIEWER ITEM \"reason\"` when "
      "it is intended, or record it in a baseline (privsim baseline)." },
    { "expectation", "FailedExpectation", "error", "An expect line of the scenario does not hold.",
      "Change the scenario so that the expectation holds, or correct the expect line." },
    { "linkage-forbidden", "LinkageForbidden", "error",
      "A viewer who must never do so can tell that two accounts belong to one person.",
      "Remove the evidence: apply the changes of the linkage's fixes, or the smallest set "
      "privsim check lists for the person." },
    { "linkage-external", "LinkageExternal", "error",
      "An app or the internet can tell that two accounts belong to one person.",
      "Remove the evidence: apply the changes of the linkage's fixes." },
    { "linkage-beyond-intent", "LinkageBeyondIntent", "warning",
      "Someone can tell that two accounts belong to one person.",
      "Decide whether the person minds; if so, apply the changes of the linkage's fixes." },
};

static size_t sarif_rule_index(uint8_t sev)
{
    return sev == PS_SEV_FORBIDDEN ? 0 : sev == PS_SEV_EXTERNAL ? 1 : 2;
}

void ps_report_sarif_results(ps_sarif *s, const ps_model *m, const ps_report *r)
{
    char buf[1024], txt[2048], item[2048];
    const char *path = m->path ? m->path : "scenario.psim";
    ps_state_model *sm = ps_state_model_new(m);
    for (uint32_t i = 0; i < r->nexposures; i++) {
        const ps_exposure *x = &r->exposures[i];
        ps_viewer_name(m, x->viewer, buf, sizeof buf);
        ps_item_text(m, x->item, item, sizeof item);
        size_t len = (size_t)snprintf(txt, sizeof txt, "%s can see %s (%s)", buf, item,
                                      ps_severity_name((ps_severity)x->severity));
        if (x->nfixes && len < sizeof txt) {
            char f[512];
            snprintf(txt + len, sizeof txt - len, ". Fix: %s",
                     ps_fix_text(m, &r->fixes[x->fix_first], f, sizeof f));
        }
        ps_anchor an;
        ps_anchor_find(m, x, &an);
        ps_sarif_loc at = { path, an.at.loc.line, an.at.loc.col, an.at.what };
        ps_sarif_loc rel[PS_PATH_MAX + 1];
        for (uint32_t k = 0; k < an.nrelated; k++)
            rel[k] = (ps_sarif_loc){ path, an.related[k].loc.line, an.related[k].loc.col,
                                     an.related[k].what };
        char fp[1024];
        ps_sarif_result_begin(s, sarif_rule_index(x->severity), txt, &at, rel, an.nrelated,
                              "privsimExposure/v2", ps_exposure_fingerprint(m, x, fp, sizeof fp));
        ps_json *j = ps_sarif_json(s);
        ps_json_kobject(j, "properties");
        ps_json_kstr(j, "item", m->items[x->item].name);
        ps_json_kstr(j, "viewer", buf);
        ps_json_kstr(j, "severity", ps_severity_name((ps_severity)x->severity));
        ps_json_kuint(j, "firstStep", x->first_step);
        path_and_fixes_json(j, m, r, x, sm);
        ps_json_object_end(j);
        ps_sarif_result_end(s);
    }
    ps_state_model_free(sm);
    for (uint32_t i = 0; i < r->nexpects; i++) {
        if (r->expects[i].held)
            continue;
        const ps_expect *e = &m->expects[r->expects[i].expect];
        uint32_t v = ps_expect_viewer(m, e);
        snprintf(txt, sizeof txt, "expectation failed: %s %s %s",
                 ps_viewer_name(m, v, buf, sizeof buf), e->can_see ? "can-see" : "cannot-see",
                 m->items[e->item].name);
        ps_sarif_loc at = { path, e->loc.line, e->loc.col, NULL };
        snprintf(item, sizeof item, "%s|%s|%s", buf, e->can_see ? "can-see" : "cannot-see",
                 m->items[e->item].name);
        ps_sarif_result_begin(s, 3, txt, &at, NULL, 0, "privsimExpectation/v1", item);
        ps_sarif_result_end(s);
    }
}

int ps_report_print_sarif(FILE *out, const ps_model *m, const ps_report *r, const char *base_dir)
{
    ps_sarif s;
    if (ps_sarif_begin(&s, out, ps_check_sarif_rules, PS_CHECK_NRULES, base_dir))
        return -1;
    ps_report_sarif_results(&s, m, r);
    ps_sarif_end(&s, true, NULL, 0);
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * Accepted exposures
 * ------------------------------------------------------------------------------------- */

void ps_report_print_accepted_text(FILE *out, const ps_model *m, const ps_report_extra *x)
{
    if (!x || !x->accept_of || !x->full)
        return;
    ps_palette pal = ps_term_palette(out);
    char buf[1024];
    bool any = false;
    for (uint32_t i = 0; i < x->full->nexposures; i++) {
        uint32_t k = x->accept_of[i];
        if (k == PS_NONE)
            continue;
        const ps_exposure *e = &x->full->exposures[i];
        if (!any)
            fprintf(out, "\n%sAccepted exposures%s (accept lines: intended, not counted)\n",
                    pal.bold, pal.reset);
        any = true;
        fprintf(out, "  %-13s ", ps_severity_name((ps_severity)e->severity));
        ps_term_str(out, ps_viewer_name(m, e->viewer, buf, sizeof buf));
        fputs(" sees ", out);
        ps_term_str(out, ps_item_text(m, e->item, buf, sizeof buf));
        fprintf(out, "  %sline %u: ", pal.dim, (unsigned)m->accepts[k].loc.line);
        ps_term_str(out, m->accepts[k].reason ? m->accepts[k].reason : "");
        fprintf(out, "%s\n", pal.reset);
    }
    for (uint32_t k = 0; k < m->naccepts; k++)
        if (!x->accept_used[k]) {
            fprintf(out, "  %sno longer occurs%s: line %u accepts ", pal.yellow, pal.reset,
                    (unsigned)m->accepts[k].loc.line);
            ps_term_str(out, ps_viewer_name(m, ps_accept_viewer(m, &m->accepts[k]), buf,
                                            sizeof buf));
            fputs(" seeing ", out);
            ps_term_str(out, m->items[m->accepts[k].item].name);
            fputc('\n', out);
        }
}

void ps_report_print_accepted_markdown(FILE *out, const ps_model *m, const ps_report_extra *x)
{
    if (!x || !x->accept_of || !x->full)
        return;
    char buf[1024];
    for (uint32_t i = 0; i < x->full->nexposures; i++) {
        uint32_t k = x->accept_of[i];
        if (k == PS_NONE)
            continue;
        const ps_exposure *e = &x->full->exposures[i];
        fprintf(out, "- accepted (line %u): ", (unsigned)m->accepts[k].loc.line);
        ps_markdown_escape(out, ps_viewer_name(m, e->viewer, buf, sizeof buf));
        fputs(" sees ", out);
        ps_markdown_escape(out, m->items[e->item].name);
        fputs(": ", out);
        ps_markdown_escape(out, m->accepts[k].reason ? m->accepts[k].reason : "");
        fputc('\n', out);
    }
    for (uint32_t k = 0; k < m->naccepts; k++)
        if (!x->accept_used[k])
            fprintf(out, "- :warning: the accept line %u allows an exposure that no longer "
                         "occurs\n", (unsigned)m->accepts[k].loc.line);
    fputc('\n', out);
}

void ps_report_warn_unused_accepts(FILE *err, const ps_model *m, const ps_report_extra *x)
{
    if (!x || !x->accept_used)
        return;
    char buf[1024];
    for (uint32_t k = 0; k < m->naccepts; k++) {
        if (x->accept_used[k])
            continue;
        const ps_accept *a = &m->accepts[k];
        ps_term_str(err, m->path ? m->path : "scenario");
        fprintf(err, ":%u:%u: warning: the accepted exposure of ", (unsigned)a->loc.line,
                (unsigned)a->loc.col);
        ps_term_str(err, m->items[a->item].name);
        fputs(" to ", err);
        ps_term_str(err, ps_viewer_name(m, ps_accept_viewer(m, a), buf, sizeof buf));
        fputs(" no longer occurs; the accept line can go\n", err);
    }
}
