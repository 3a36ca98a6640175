/* plan_out.c - writing a plan (plan.h) for people (text), programs (JSON) and CI (SARIF). */
#include "plan_out.h"
#include "cli.h"
#include "sarif.h"
#include "describe.h"
#include "print.h"
#include "version.h"

#include <string.h>

/* "ph1 seen by carol, dave; p1 seen by gina" with at most `max` viewers named. */
static void pairs_text(FILE *out, const ps_model *m, const ps_plan_pair *v, uint32_t n,
                       uint32_t max)
{
    char buf[512];
    uint32_t shown = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (shown == max) {
            fprintf(out, " (+%u more)", (unsigned)(n - i));
            return;
        }
        bool new_item = !i || v[i].item != v[i - 1].item;
        if (new_item) {
            fputs(i ? "; " : "", out);
            ps_term_str(out, m->items[v[i].item].name);
            fputs(": ", out);
        } else {
            fputs(", ", out);
        }
        ps_term_str(out, ps_viewer_name(m, v[i].viewer, buf, sizeof buf));
        shown++;
    }
}

void ps_plan_print_text(FILE *out, const ps_model *m, const ps_plan *p, const char *written)
{
    ps_palette pal = ps_cli_palette(out);
    char buf[1024];
    const char *sev = ps_severity_name((ps_severity)p->min);
    fprintf(out, "%sWhat to change%s", pal.bold, pal.reset);
    fprintf(out, " (every exposure at or above %s: %u)\n", sev, (unsigned)p->ntargets);
    if (!p->ntargets)
        fprintf(out, "  nothing: the scenario has no exposure at or above %s\n", sev);
    for (uint32_t i = 0; i < p->nchanges; i++) {
        const ps_plan_change *c = &p->changes[i];
        fprintf(out, "\n  %u. %s", (unsigned)i + 1, pal.green);
        ps_term_str(out, ps_fix_text(m, &c->fix, buf, sizeof buf));
        fprintf(out, "%s  %s(%s", pal.reset, pal.dim, ps_plan_class_name((ps_plan_class)c->cls));
        if (c->round > 1)
            fprintf(out, "; found on re-check %u", (unsigned)c->round - 1);
        fprintf(out, ")%s\n", pal.reset);
        fprintf(out, "     removes  %u exposure%s", (unsigned)c->nremoves, c->nremoves == 1 ? "" : "s");
        if (c->nremoves) {
            fputs(" (", out);
            pairs_text(out, m, c->removes, c->nremoves, 8);
            fputs(")", out);
        }
        fprintf(out, "\n     costs    ");
        if (!c->nlost) {
            fputs("no intended viewer\n", out);
        } else {
            fprintf(out, "%u intended viewer%s (", (unsigned)c->nlost, c->nlost == 1 ? "" : "s");
            pairs_text(out, m, c->lost, c->nlost, 8);
            fputs(")\n", out);
        }
    }
    fputs("\n", out);
    if (p->nleft) {
        fprintf(out, "%sLeft%s: %u exposure%s at or above %s remain in the planned scenario (",
                pal.red, pal.reset, (unsigned)p->nleft, p->nleft == 1 ? "" : "s", sev);
        pairs_text(out, m, p->left, p->nleft, 12);
        fprintf(out, ")%s\n", p->uncovered ? "; some have no verified fix that fits (none at "
                                             "all, or only hides beyond the 64 terms a hide "
                                             "set may hold)" : "");
    }
    fprintf(out, "%u change%s %u of %u exposure%s at or above %s; verified: the planned "
                 "scenario, checked again, has %u (%u check%s)\n",
            (unsigned)p->nchanges, p->nchanges == 1 ? " removes" : "s remove",
            (unsigned)(p->ntargets >= p->nleft ? p->ntargets - p->nleft : 0),
            (unsigned)p->ntargets, p->ntargets == 1 ? "" : "s", sev, (unsigned)p->nleft,
            (unsigned)p->rounds, p->rounds == 1 ? "" : "s");
    fprintf(out, "intended reach: %llu before, %llu after (%llu lost)\n",
            (unsigned long long)p->reach_before, (unsigned long long)p->reach_after,
            (unsigned long long)(p->reach_before > p->reach_after
                                     ? p->reach_before - p->reach_after : 0));
    if (written)
        fprintf(out, "planned scenario written to %s\n", written);
}

static void pairs_json(FILE *out, const ps_model *m, const ps_plan_pair *v, uint32_t n, bool sev)
{
    char buf[512];
    fputc('[', out);
    for (uint32_t i = 0; i < n; i++) {
        fprintf(out, "%s{\"item\":", i ? "," : "");
        ps_json_str(out, m->items[v[i].item].name);
        fputs(",\"viewer\":", out);
        ps_json_str(out, ps_viewer_name(m, v[i].viewer, buf, sizeof buf));
        if (sev)
            fprintf(out, ",\"severity\":\"%s\"", ps_severity_name((ps_severity)v[i].severity));
        fputc('}', out);
    }
    fputc(']', out);
}

void ps_plan_print_json(FILE *out, const ps_model *m, const ps_plan *p)
{
    char buf[1024];
    fprintf(out, "{\"schema\":\"%s\",\"privsim\":\"%s\",\"scenario\":", PS_JSON_PLAN_SCHEMA,
            PS_VERSION);
    ps_json_str(out, m->path ? m->path : "");
    fprintf(out, ",\"severity\":\"%s\",\"exposures\":%u,\"left\":", 
            ps_severity_name((ps_severity)p->min), (unsigned)p->ntargets);
    pairs_json(out, m, p->left, p->nleft, true);
    fprintf(out, ",\"uncovered\":%s", p->uncovered ? "true" : "false");
    fprintf(out, ",\"checks\":%u,\"reach-before\":%llu,\"reach-after\":%llu,\"changes\":[",
            (unsigned)p->rounds, (unsigned long long)p->reach_before,
            (unsigned long long)p->reach_after);
    for (uint32_t i = 0; i < p->nchanges; i++) {
        const ps_plan_change *c = &p->changes[i];
        fprintf(out, "%s\n{\"text\":", i ? "," : "");
        ps_json_str(out, ps_fix_text(m, &c->fix, buf, sizeof buf));
        fputs(",\"by\":", out);
        ps_json_str(out, c->fix.user < m->nusers ? m->users[c->fix.user].name : "platform");
        fprintf(out, ",\"class\":\"%s\",\"round\":%u,\"removes\":",
                ps_plan_class_name((ps_plan_class)c->cls), (unsigned)c->round);
        pairs_json(out, m, c->removes, c->nremoves, true);
        fputs(",\"costs\":", out);
        pairs_json(out, m, c->lost, c->nlost, false);
        fputc('}', out);
    }
    fputs("]}\n", out);
}

/* Where a change is made: its item's line, else its user's, else the platform line. */
static ps_loc change_loc(const ps_model *m, const ps_fix *f)
{
    if (f->item < m->nitems && m->items[f->item].loc.line)
        return m->items[f->item].loc;
    if (f->user < m->nusers && m->users[f->user].loc.line)
        return m->users[f->user].loc;
    return m->platform_loc;
}

int ps_write_scenario_file(const char *path, const ps_model *m)
{
    ps_output o;
    if (ps_output_open(&o, path))
        return -1;
    bool ok = ps_print_scenario(o.f, m) == 0;
    if (!ok)
        fprintf(stderr, "privsim: cannot write %s\n", path);
    return ps_output_close(&o, ok) || !ok ? -1 : 0;
}

static const ps_sarif_rule plan_rules[] = {
    { "PS-PLAN", "PlanChange", "warning", "A change of the plan that removes exposures.",
      "Make the change (privsim plan -o OUT writes the scenario with every change of the plan "
      "made), then run privsim check again." },
};

void ps_plan_print_sarif(FILE *out, const ps_model *m, const ps_plan *p)
{
    char buf[1024], txt[2048];
    ps_sarif sw;
    if (ps_sarif_begin(&sw, out, plan_rules, 1, NULL))
        return;
    for (uint32_t i = 0; i < p->nchanges; i++) {
        const ps_plan_change *c = &p->changes[i];
        snprintf(txt, sizeof txt, "%s: removes %u exposure%s at or above %s, costs %u intended "
                                  "viewer%s",
                 ps_fix_text(m, &c->fix, buf, sizeof buf), (unsigned)c->nremoves,
                 c->nremoves == 1 ? "" : "s", ps_severity_name((ps_severity)p->min),
                 (unsigned)c->nlost, c->nlost == 1 ? "" : "s");
        ps_loc loc = change_loc(m, &c->fix);
        ps_sarif_loc at = { m->path ? m->path : "scenario.psim", loc.line, loc.col, NULL };
        ps_sarif_result_begin(&sw, 0, txt, &at, NULL, 0, "privsimPlanChange/v1", buf);
        ps_sarif_result_end(&sw);
    }
    ps_sarif_end(&sw, true, NULL, 0);
}
