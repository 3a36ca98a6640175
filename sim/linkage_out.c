/* linkage_out.c - writing linkages for people (text), programs (JSON) and CI (SARIF), and
 * one linkage explained link by link (see linkage_out.h). */
#include "linkage_out.h"

#include "cli.h"
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
        fprintf(out, "%s%s%s:%s", indent, pal->dim, r->m->items[p->item].name, pal->reset);
        for (uint32_t k = 0; k < p->nlinks; k++) {
            fputs(k ? " > " : " ", out);
            ps_term_str(out, ps_link_text(r->m, p, k, buf, sizeof buf));
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
        fputs("    fixes     no single change removes every piece of evidence\n", out);
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
}

void ps_linkage_print_text(FILE *out, ps_linkage_report *r, uint32_t max_viewers)
{
    const ps_model *m = r->m;
    ps_palette pal = ps_cli_palette(out);
    const ps_persons *ps = m->persons;
    if (!ps || !ps->n)
        return;
    char buf[2048];
    for (uint32_t pi = 0; pi < ps->n; pi++) {
        const ps_person *p = &ps->v[pi];
        accounts_text(m, p, buf, sizeof buf);
        uint32_t n = 0, shown = 0;
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
            shown++;
        }
        for (uint32_t k = 0; k < r->nminsets; k++)
            if (r->minsets[k].person == pi)
                print_minset(out, r, &r->minsets[k], &pal);
    }
    fprintf(out, "\n%llu linkages (%llu forbidden, %llu external, %llu beyond-intent)\n",
            (unsigned long long)r->n, (unsigned long long)r->counts[PS_SEV_FORBIDDEN],
            (unsigned long long)r->counts[PS_SEV_EXTERNAL],
            (unsigned long long)r->counts[PS_SEV_BEYOND_INTENT]);
}

void ps_linkage_print_json_who(FILE *out, const ps_model *m, uint32_t person, uint32_t a,
                               uint32_t b, uint32_t viewer, uint8_t severity)
{
    char buf[512];
    fputs("\"person\":", out);
    ps_json_str(out, m->persons->v[person].name);
    fputs(",\"accounts\":[", out);
    ps_json_str(out, m->users[a].name);
    fputc(',', out);
    ps_json_str(out, m->users[b].name);
    fputs("],\"viewer\":", out);
    ps_json_str(out, ps_viewer_name(m, viewer, buf, sizeof buf));
    fprintf(out, ",\"severity\":\"%s\"", ps_severity_name((ps_severity)severity));
}

static void json_linkage(FILE *out, ps_linkage_report *r, const ps_linkage *l)
{
    const ps_model *m = r->m;
    char buf[2048];
    fputc('{', out);
    ps_linkage_print_json_who(out, m, l->person, l->a, l->b, l->viewer, l->severity);
    fputs(",\"evidence\":[", out);
    for (uint32_t k = 0; k < l->nev; k++) {
        const ps_evidence *ev = &r->ev[l->ev_first + k];
        fprintf(out, "%s{\"kind\":\"%s\",\"text\":", k ? "," : "",
                ps_ev_kind_name((ps_ev_kind)ev->kind));
        ps_json_str(out, ps_evidence_text(r, l, ev, buf, sizeof buf));
        if (ev->item != PS_NONE) {
            fputs(",\"item\":", out);
            ps_json_str(out, m->items[ev->item].name);
        }
        if (ev->step != PS_NONE)
            fprintf(out, ",\"step\":%u", (unsigned)ev->step + 1);
        if (ev->kind == PS_EV_FIELDS || ev->kind == PS_EV_CONTACTS) {
            fputs(",\"fields\":[", out);
            ps_json_str(out, ps_category_name(ev->ref));
            if (ev->kind == PS_EV_FIELDS && ev->ref == PS_F_BIRTHDAY)
                fputs(",\"hometown\"", out);
            fputc(']', out);
        }
        if (ev->kind == PS_EV_GROUP || ev->kind == PS_EV_NETWORK) {
            fprintf(out, ",\"%s\":", ev->kind == PS_EV_GROUP ? "group" : "network");
            ps_json_str(out, ev->kind == PS_EV_GROUP ? m->groups[ev->ref].name
                                                     : m->networks[ev->ref].name);
        }
        if (ev->kind == PS_EV_MUTUAL_FRIENDS) {
            fputs(",\"friends\":[", out);
            for (uint32_t i = 0; i < ev->n; i++) {
                fputs(i ? "," : "", out);
                ps_json_str(out, m->users[r->friends[ev->first + i]].name);
            }
            fputc(']', out);
        }
        fputs(",\"paths\":[", out);
        ps_path legs[LEGS_MAX];
        uint32_t n = ps_linkage_legs(r, l, ev, legs, LEGS_MAX);
        for (uint32_t i = 0; i < n; i++) {
            fprintf(out, "%s{\"item\":", i ? "," : "");
            ps_json_str(out, m->items[legs[i].item].name);
            fputs(",\"path\":[", out);
            ps_path_print_json(out, m, &legs[i]);
            fputs("]}", out);
        }
        fputs("]}", out);
    }
    fputs("],\"fixes\":[", out);
    for (uint32_t k = 0; k < l->nfixes; k++) {
        fputs(k ? "," : "", out);
        ps_json_str(out, ps_link_fix_text(r, &r->fixes[r->fix_of[l->fix_first + k]], buf,
                                          sizeof buf));
    }
    fputs("]}", out);
}

void ps_linkage_print_json_members(FILE *out, ps_linkage_report *r)
{
    char buf[1024];
    fputs("\"linkages\":[", out);
    for (uint32_t i = 0; i < r->n; i++) {
        fputs(i ? ",\n" : "\n", out);
        json_linkage(out, r, &r->v[i]);
    }
    fputs("],\"link-minimum-sets\":[", out);
    for (uint32_t k = 0; k < r->nminsets; k++) {
        const ps_link_minset *ms = &r->minsets[k];
        fprintf(out, "%s{\"person\":", k ? "," : "");
        ps_json_str(out, r->m->persons->v[ms->person].name);
        fprintf(out, ",\"forbidden\":%u,\"found\":%s,\"changes\":[", (unsigned)ms->nforbidden,
                ms->found ? "true" : "false");
        for (uint32_t i = 0; ms->found && i < ms->nset; i++) {
            fputs(i ? "," : "", out);
            ps_json_str(out, ps_link_fix_text(r, &r->fixes[ms->set[i]], buf, sizeof buf));
        }
        fprintf(out, "],\"candidates\":%u,\"max-size\":%u,\"sets-simulated\":%llu,"
                     "\"complete\":%s,\"left-with-all\":%u}", (unsigned)ms->ncandidates,
                (unsigned)ms->max_size, (unsigned long long)ms->tried,
                ms->complete ? "true" : "false", (unsigned)ms->left_all);
    }
    fprintf(out, "],\"linkage-counts\":{\"forbidden\":%llu,\"external\":%llu,"
                 "\"beyond-intent\":%llu}",
            (unsigned long long)r->counts[PS_SEV_FORBIDDEN],
            (unsigned long long)r->counts[PS_SEV_EXTERNAL],
            (unsigned long long)r->counts[PS_SEV_BEYOND_INTENT]);
}

void ps_linkage_print_sarif_results(FILE *out, ps_linkage_report *r, bool first)
{
    const ps_model *m = r->m;
    char vn[512], txt[4096], f[1024];
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
        const char *level = l->severity == PS_SEV_BEYOND_INTENT ? "warning" : "error";
        fprintf(out, "%s\n{\"ruleId\":\"linkage-%s\",\"level\":\"%s\",\"message\":{\"text\":",
                first ? "" : ",", ps_severity_name((ps_severity)l->severity), level);
        ps_json_str(out, txt);
        fputs("},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":", out);
        ps_json_str(out, m->path ? m->path : "");
        fprintf(out, "},\"region\":{\"startLine\":%u,\"startColumn\":%u}}}],"
                     "\"partialFingerprints\":{\"privsimLinkage/v1\":",
                (unsigned)(p->loc.line ? p->loc.line : 1),
                (unsigned)(p->loc.col ? p->loc.col : 1));
        snprintf(txt, sizeof txt, "%s|%s|%s|%s", p->name, m->users[l->a].name,
                 m->users[l->b].name, vn);
        ps_json_str(out, txt);
        fputs("},\"properties\":", out);
        json_linkage(out, r, l);
        fputs("}", out);
        first = false;
    }
}

/* Writes doc (a JSON object ending in '}') with the linkage members added at its end. */
static void splice_json(FILE *out, const char *doc, size_t len, ps_linkage_report *r)
{
    size_t end = len;
    while (end > 0 && doc[end - 1] != '}')
        end--;
    if (!end) {
        fwrite(doc, 1, len, out);
        return;
    }
    fwrite(doc, 1, end - 1, out);
    fputc(',', out);
    ps_linkage_print_json_members(out, r);
    fputs("}\n", out);
}

/* Writes a SARIF log with the linkage results added to its one run's results. */
void ps_sarif_splice(FILE *out, const char *doc, size_t len,
                     void (*emit)(FILE *out, bool first, void *payload), void *payload)
{
    static const char tail[] = "]}]}";
    size_t tl = sizeof tail - 1, at = len;
    while (at >= tl && memcmp(doc + at - tl, tail, tl) != 0)
        at--;
    if (at < tl) {
        fwrite(doc, 1, len, out);
        return;
    }
    at -= tl;
    fwrite(doc, 1, at, out);
    size_t k = at;
    while (k > 0 && (doc[k - 1] == '\n' || doc[k - 1] == ' '))
        k--;
    emit(out, k > 0 && doc[k - 1] == '[', payload);
    fwrite(doc + at, 1, len - at, out);
}

static void emit_linkages(FILE *out, bool first, void *payload)
{
    ps_linkage_print_sarif_results(out, payload, first);
}

int ps_linkage_splice(FILE *out, const char *doc, size_t len, ps_linkage_report *r,
                      bool sarif)
{
    if (sarif)
        ps_sarif_splice(out, doc, len, emit_linkages, r);
    else
        splice_json(out, doc, len, r);
    return ferror(out) ? -1 : 0;
}

void ps_linkage_explain_text(FILE *out, ps_linkage_report *r, const ps_linkage *l)
{
    ps_palette pal = ps_cli_palette(out);
    print_one(out, r, l, &pal, true);
    if (!r->nfixes)
        return;
    if (l->nfixes)
        fputs("  (each fix re-checked: with it, simulating again, the viewer no longer links "
              "the accounts)\n", out);
    for (uint32_t k = 0; k < r->nminsets; k++)
        if (r->minsets[k].person == l->person && l->severity == PS_SEV_FORBIDDEN)
            print_minset(out, r, &r->minsets[k], &pal);
}

void ps_linkage_explain_json(FILE *out, ps_linkage_report *r, const ps_linkage *l)
{
    fputs("{\"schema\":\"privsim.explain-link/1\",\"linked\":true,\"linkage\":", out);
    json_linkage(out, r, l);
    fputs("}\n", out);
}
