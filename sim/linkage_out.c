/* linkage_out.c - writing linkages for people (text), programs (JSON) and CI (SARIF), and
 * one linkage explained link by link (see linkage_out.h). */
#include "linkage_out.h"

#include "term.h"
#include "describe.h"
#include "report_out.h"

#include <stdlib.h>
#include <string.h>

#define LEGS_MAX 16

static void accounts_text(const ps_model *m, const ps_person *p, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = 0;
    for (uint32_t k = 0; k < p->naccounts && len < cap; k++)
        len += (size_t)snprintf(buf + len, cap - len, "%s%s", k ? ", " : "",
                                m->users[p->accounts[k]].name);
}

/* The legs of one piece of evidence, as "> sentence" lines indented by `indent`. */
static void print_legs(FILE *out, ps_linkage_report *r, const ps_linkage *l,
                       const ps_evidence *ev, const char *indent, const ps_palette *pal)
{
    ps_path legs[LEGS_MAX];
    uint32_t n = ps_linkage_legs(r, l, ev, legs, LEGS_MAX);
    char buf[1024];
    for (uint32_t i = 0; i < n; i++) {
        const ps_path *p = &legs[i];
        const ps_model *pm = ps_linkage_leg_model(r, p);
        fprintf(out, "%s%s%s:%s", indent, pal->dim, r->m->items[p->item].name, pal->reset);
        for (uint32_t k = 0; k < p->nlinks; k++) {
            fputs(k ? " > " : " ", out);
            ps_term_str(out, ps_link_text(pm, p, k, buf, sizeof buf));
        }
        fputc('\n', out);
    }
}

static void print_one(FILE *out, ps_linkage_report *r, const ps_linkage *l,
                      const ps_palette *pal, bool legs)
{
    const ps_model *m = r->m;
    char buf[2048], vn[512];
    ps_viewer_name(m, l->viewer, vn, sizeof vn);
    fprintf(out, "%s%s%s ", pal->bold, l->severity == PS_SEV_FORBIDDEN ? pal->red : pal->yellow,
            ps_severity_name((ps_severity)l->severity));
    ps_term_str(out, vn);
    fputs(" links ", out);
    ps_term_str(out, m->users[l->a].name);
    fputs(" and ", out);
    ps_term_str(out, m->users[l->b].name);
    if (l->first_step && l->first_step <= m->nsteps)
        fprintf(out, " from step %u (line %u)", (unsigned)l->first_step,
                (unsigned)m->steps[l->first_step - 1].loc.line);
    fprintf(out, "%s\n", pal->reset);
    for (uint32_t k = 0; k < l->nev; k++) {
        const ps_evidence *ev = &r->ev[l->ev_first + k];
        fprintf(out, "    %-9s ", k ? "" : "evidence");
        fprintf(out, "%s: ", ps_ev_kind_name((ps_ev_kind)ev->kind));
        ps_term_str(out, ps_evidence_text(r, l, ev, buf, sizeof buf));
        fputc('\n', out);
        if (legs)
            print_legs(out, r, l, ev, "                ", pal);
    }
    for (uint32_t k = 0; k < l->nfixes; k++) {
        fprintf(out, "    %-9s %s", k ? "" : "fixes", pal->green);
        ps_term_str(out, ps_link_fix_text(r, &r->fixes[r->fix_of[l->fix_first + k]], buf,
                                          sizeof buf));
        fprintf(out, "%s\n", pal->reset);
    }
    if (!l->nfixes && r->nfixes)
        fputs("    fixes     no single change tried removes every piece of evidence\n", out);
}

static void print_minset(FILE *out, const ps_linkage_report *r, const ps_link_minset *ms,
                         const ps_palette *pal)
{
    char buf[1024];
    if (ms->found) {
        fprintf(out, "  smallest set that removes every forbidden linkage (%u change%s, "
                     "re-checked):\n", (unsigned)ms->nset, ms->nset == 1 ? "" : "s");
        for (uint32_t i = 0; i < ms->nset; i++) {
            fprintf(out, "    %s", pal->green);
            ps_term_str(out, ps_link_fix_text(r, &r->fixes[ms->set[i]], buf, sizeof buf));
            fprintf(out, "%s\n", pal->reset);
        }
    } else if (ms->left_all) {
        fprintf(out, "  even all %u candidate changes together leave %u forbidden linkage%s: "
                     "no set of them removes every one\n", (unsigned)ms->ncandidates,
                (unsigned)ms->left_all, ms->left_all == 1 ? "" : "s");
    } else if (ms->complete) {
        fprintf(out, "  no set of up to %u of the %u candidate changes removes every "
                     "forbidden linkage (%llu sets simulated)\n", (unsigned)ms->max_size,
                (unsigned)ms->ncandidates, (unsigned long long)ms->tried);
    } else {
        fprintf(out, "  no set found that removes every forbidden linkage: the search "
                     "stopped after %llu sets (sets of up to %u of the %u candidate changes "
                     "were not all tried)\n", (unsigned long long)ms->tried,
                (unsigned)ms->max_size, (unsigned)ms->ncandidates);
    }
    if (!ms->hides)
        fprintf(out, "  the owners hiding from each viewer what the evidence rests on were not "
                     "among the candidates: %u forbidden linkages, more than %u\n",
                (unsigned)ms->nforbidden, (unsigned)PS_LINK_HIDE_MAX);
}

void ps_linkage_print_text(FILE *out, ps_linkage_report *r, uint32_t max_viewers)
{
    const ps_model *m = r->m;
    ps_palette pal = ps_term_palette(out);
    const ps_persons *ps = m->persons;
    if (!ps || !ps->n)
        return;
    char buf[2048];
    for (uint32_t pi = 0; pi < ps->n; pi++) {
        const ps_person *p = &ps->v[pi];
        accounts_text(m, p, buf, sizeof buf);
        uint32_t n = 0, shown = 0, unfixed = 0;
        for (uint32_t i = 0; i < r->n; i++)
            n += r->v[i].person == pi;
        fprintf(out, "\n%sLinkages of person ", pal.bold);
        ps_term_str(out, p->name);
        fputs(" (accounts ", out);
        ps_term_str(out, buf);
        fprintf(out, ")%s  line %u\n", pal.reset, (unsigned)p->loc.line);
        if (!n)
            fputs("  no viewer links the accounts\n", out);
        for (uint32_t i = 0; i < r->n; i++) {
            if (r->v[i].person != pi)
                continue;
            if (max_viewers && shown == max_viewers) {
                fprintf(out, "  ... and %u more linkages (--max-viewers 0 shows all)\n",
                        (unsigned)(n - shown));
                break;
            }
            fputs("  ", out);
            print_one(out, r, &r->v[i], &pal, false);
            unfixed += !r->v[i].nfixes;
            shown++;
        }
        if (unfixed && r->nfixes)
            fputs("  changes tried: " PS_LINK_FIX_TRIED "\n", out);
        for (uint32_t k = 0; k < r->nminsets; k++)
            if (r->minsets[k].person == pi)
                print_minset(out, r, &r->minsets[k], &pal);
    }
    fprintf(out, "\n%llu linkage%s (%llu forbidden, %llu external, %llu beyond-intent)\n",
            (unsigned long long)r->n, r->n == 1 ? "" : "s", (unsigned long long)r->counts[PS_SEV_FORBIDDEN],
            (unsigned long long)r->counts[PS_SEV_EXTERNAL],
            (unsigned long long)r->counts[PS_SEV_BEYOND_INTENT]);
}

void ps_linkage_json_who(ps_json *j, const ps_model *m, uint32_t person, uint32_t a,
                         uint32_t b, uint32_t viewer, uint8_t severity)
{
    char buf[512];
    ps_json_kstr(j, "person", m->persons->v[person].name);
    ps_json_karray(j, "accounts");
    ps_json_string(j, m->users[a].name);
    ps_json_string(j, m->users[b].name);
    ps_json_array_end(j);
    ps_json_kstr(j, "viewer", ps_viewer_name(m, viewer, buf, sizeof buf));
    ps_json_kstr(j, "severity", ps_severity_name((ps_severity)severity));
}

static void json_linkage(ps_json *j, ps_linkage_report *r, const ps_linkage *l)
{
    const ps_model *m = r->m;
    char buf[2048];
    ps_json_object(j);
    ps_linkage_json_who(j, m, l->person, l->a, l->b, l->viewer, l->severity);
    ps_json_kuint(j, "first-step", l->first_step);
    ps_json_karray(j, "evidence");
    for (uint32_t k = 0; k < l->nev; k++) {
        const ps_evidence *ev = &r->ev[l->ev_first + k];
        ps_json_object(j);
        ps_json_kstr(j, "kind", ps_ev_kind_name((ps_ev_kind)ev->kind));
        ps_json_kstr(j, "text", ps_evidence_text(r, l, ev, buf, sizeof buf));
        ps_json_kbool(j, "remembered", ev->remembered);
        if (ev->item != PS_NONE)
            ps_json_kstr(j, "item", m->items[ev->item].name);
        if (ev->step != PS_NONE)
            ps_json_kuint(j, "step", (uint64_t)ev->step + 1);
        if (ev->kind == PS_EV_FIELDS || ev->kind == PS_EV_CONTACTS) {
            ps_json_karray(j, "fields");
            ps_json_string(j, ps_category_name(ev->ref));
            if (ev->kind == PS_EV_FIELDS && ev->ref == PS_F_BIRTHDAY)
                ps_json_string(j, "hometown");
            ps_json_array_end(j);
        }
        if (ev->kind == PS_EV_GROUP)
            ps_json_kstr(j, "group", m->groups[ev->ref].name);
        if (ev->kind == PS_EV_NETWORK)
            ps_json_kstr(j, "network", m->networks[ev->ref].name);
        if (ev->kind == PS_EV_MUTUAL_FRIENDS) {
            ps_json_karray(j, "friends");
            for (uint32_t i = 0; i < ev->n; i++)
                ps_json_string(j, m->users[r->friends[ev->first + i]].name);
            ps_json_array_end(j);
        }
        ps_json_karray(j, "paths");
        ps_path legs[LEGS_MAX];
        uint32_t n = ps_linkage_legs(r, l, ev, legs, LEGS_MAX);
        for (uint32_t i = 0; i < n; i++) {
            ps_json_object(j);
            ps_json_kstr(j, "item", m->items[legs[i].item].name);
            ps_json_key(j, "path");
            ps_path_json(j, ps_linkage_leg_model(r, &legs[i]), &legs[i]);
            ps_json_object_end(j);
        }
        ps_json_array_end(j);
        ps_json_object_end(j);
    }
    ps_json_array_end(j);
    ps_json_karray(j, "fixes");
    for (uint32_t k = 0; k < l->nfixes; k++)
        ps_json_string(j, ps_link_fix_text(r, &r->fixes[r->fix_of[l->fix_first + k]], buf,
                                           sizeof buf));
    ps_json_array_end(j);
    ps_json_object_end(j);
}

void ps_linkage_json_members(ps_json *j, ps_linkage_report *r)
{
    char buf[1024];
    ps_json_karray(j, "linkages");
    for (uint32_t i = 0; i < r->n; i++)
        json_linkage(j, r, &r->v[i]);
    ps_json_array_end(j);
    ps_json_karray(j, "link-minimum-sets");
    for (uint32_t k = 0; k < r->nminsets; k++) {
        const ps_link_minset *ms = &r->minsets[k];
        ps_json_object(j);
        ps_json_kstr(j, "person", r->m->persons->v[ms->person].name);
        ps_json_kuint(j, "forbidden", ms->nforbidden);
        ps_json_kbool(j, "found", ms->found);
        ps_json_karray(j, "changes");
        for (uint32_t i = 0; ms->found && i < ms->nset; i++)
            ps_json_string(j, ps_link_fix_text(r, &r->fixes[ms->set[i]], buf, sizeof buf));
        ps_json_array_end(j);
        ps_json_kuint(j, "candidates", ms->ncandidates);
        ps_json_kuint(j, "max-size", ms->max_size);
        ps_json_kuint(j, "sets-simulated", ms->tried);
        ps_json_kbool(j, "complete", ms->complete);
        ps_json_kuint(j, "left-with-all", ms->left_all);
        ps_json_kbool(j, "hides-tried", ms->hides);
        ps_json_object_end(j);
    }
    ps_json_array_end(j);
    ps_json_kobject(j, "linkage-counts");
    ps_json_kuint(j, "forbidden", r->counts[PS_SEV_FORBIDDEN]);
    ps_json_kuint(j, "external", r->counts[PS_SEV_EXTERNAL]);
    ps_json_kuint(j, "beyond-intent", r->counts[PS_SEV_BEYOND_INTENT]);
    ps_json_object_end(j);
}

void ps_linkage_sarif_results(ps_sarif *sw, ps_linkage_report *r, size_t first_rule)
{
    const ps_model *m = r->m;
    char vn[512], txt[4096], f[1024], fp[1024];
    for (uint32_t i = 0; i < r->n; i++) {
        const ps_linkage *l = &r->v[i];
        const ps_person *p = &m->persons->v[l->person];
        ps_viewer_name(m, l->viewer, vn, sizeof vn);
        size_t len = (size_t)snprintf(txt, sizeof txt, "%s links accounts %s and %s of person "
                                                       "%s (%s): ", vn, m->users[l->a].name,
                                      m->users[l->b].name, p->name,
                                      ps_severity_name((ps_severity)l->severity));
        for (uint32_t k = 0; k < l->nev && len < sizeof txt; k++)
            len += (size_t)snprintf(txt + len, sizeof txt - len, "%s%s", k ? ", " : "",
                                    ps_ev_kind_name((ps_ev_kind)r->ev[l->ev_first + k].kind));
        if (l->nfixes && len < sizeof txt)
            snprintf(txt + len, sizeof txt - len, ". Fix: %s",
                     ps_link_fix_text(r, &r->fixes[r->fix_of[l->fix_first]], f, sizeof f));
        snprintf(fp, sizeof fp, "%s|%s|%s|%s", p->name, m->users[l->a].name,
                 m->users[l->b].name, vn);
        ps_sarif_loc at = { m->path ? m->path : "", p->loc.line, p->loc.col, NULL };
        ps_sarif_result_begin(sw, first_rule + (size_t)(PS_SEV_FORBIDDEN - l->severity), txt,
                              &at, NULL, 0, "privsimLinkage/v1", fp);
        ps_json *j = ps_sarif_json(sw);
        ps_json_key(j, "properties");
        json_linkage(j, r, l);
        ps_sarif_result_end(sw);
    }
}

void ps_linkage_explain_text(FILE *out, ps_linkage_report *r, const ps_linkage *l)
{
    ps_palette pal = ps_term_palette(out);
    print_one(out, r, l, &pal, true);
    if (!r->nfixes)
        return;
    if (l->nfixes)
        fputs("  (each fix re-checked: with it, simulating again, the viewer no longer links "
              "the accounts)\n", out);
    else
        fputs("  changes tried: " PS_LINK_FIX_TRIED "\n", out);
    for (uint32_t k = 0; k < r->nminsets; k++)
        if (r->minsets[k].person == l->person && l->severity == PS_SEV_FORBIDDEN)
            print_minset(out, r, &r->minsets[k], &pal);
}

void ps_linkage_explain_json(FILE *out, ps_linkage_report *r, const ps_linkage *l)
{
    ps_json j;
    ps_json_init(&j, out, 0);
    ps_json_object(&j);
    ps_json_schema(&j, "explain-link", 1);
    ps_json_kbool(&j, "linked", true);
    ps_json_key(&j, "linkage");
    json_linkage(&j, r, l);
    ps_json_object_end(&j);
    ps_json_finish(&j);
}
