/* report_ci.c - a check report for CI systems besides SARIF: GitHub workflow commands
 * (annotations on the lines that caused each exposure) and a Markdown summary for a job's
 * step summary (see report_out.h). */
#include "report_out.h"
#include "anchor.h"
#include "describe.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Writes `s` escaped for a workflow command: % CR LF always, and : , in properties. */
void ps_github_escape(FILE *out, const char *s, bool property)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '%') fputs("%25", out);
        else if (*p == '\r') fputs("%0D", out);
        else if (*p == '\n') fputs("%0A", out);
        else if (property && *p == ':') fputs("%3A", out);
        else if (property && *p == ',') fputs("%2C", out);
        else if (*p < 0x20 || *p == 0x7f) fprintf(out, "%%%02X", *p);
        else fputc(*p, out);
    }
}

void ps_github_command(FILE *out, const char *level, const char *file, uint32_t line,
                       uint32_t col, const char *title, const char *msg)
{
    fprintf(out, "::%s file=", level);
    ps_github_escape(out, file, true);
    fprintf(out, ",line=%u,col=%u,title=", (unsigned)(line ? line : 1), (unsigned)(col ? col : 1));
    ps_github_escape(out, title, true);
    fputs("::", out);
    ps_github_escape(out, msg, false);
    fputc('\n', out);
}

int ps_report_print_github(FILE *out, const ps_model *m, const ps_report *r, const char *base_dir)
{
    char *base = ps_sarif_base(base_dir);
    if (!base)
        return -1;
    char file[PATH_MAX * 2], viewer[512], item[512], msg[4096], title[128];
    bool rel;
    ps_sarif_relpath(base, m->path ? m->path : "scenario.psim", file, sizeof file, &rel);
    for (uint32_t i = 0; i < r->nexposures; i++) {
        const ps_exposure *x = &r->exposures[i];
        ps_anchor an;
        ps_anchor_find(m, x, &an);
        ps_viewer_name(m, x->viewer, viewer, sizeof viewer);
        ps_item_text(m, x->item, item, sizeof item);
        size_t len = (size_t)snprintf(msg, sizeof msg, "%s can see %s (%s; %s)", viewer, item,
                                      ps_severity_name((ps_severity)x->severity), an.at.what);
        if (x->nfixes && len < sizeof msg) {
            char f[512];
            len += (size_t)snprintf(msg + len, sizeof msg - len, ". Fix: %s",
                                    ps_fix_text(m, &r->fixes[x->fix_first], f, sizeof f));
        }
        for (uint32_t k = 0; k < an.nrelated && len < sizeof msg; k++)
            len += (size_t)snprintf(msg + len, sizeof msg - len, "%s line %u: %s",
                                    k ? ";" : ". Also", (unsigned)an.related[k].loc.line,
                                    an.related[k].what);
        snprintf(title, sizeof title, "privsim: %s exposure",
                 ps_severity_name((ps_severity)x->severity));
        ps_github_command(out, x->severity == PS_SEV_BEYOND_INTENT ? "warning" : "error", file,
                   an.at.loc.line, an.at.loc.col, title, msg);
    }
    for (uint32_t i = 0; i < r->nexpects; i++) {
        if (r->expects[i].held)
            continue;
        const ps_expect *e = &m->expects[r->expects[i].expect];
        snprintf(msg, sizeof msg, "expectation failed: %s %s %s",
                 ps_viewer_name(m, ps_expect_viewer(m, e), viewer, sizeof viewer),
                 e->can_see ? "can-see" : "cannot-see", m->items[e->item].name);
        ps_github_command(out, "error", file, e->loc.line, e->loc.col, "privsim: failed expectation", msg);
    }
    free(base);
    return 0;
}

/* Writes `s` for Markdown text: characters with a meaning escaped, HTML's three made
 * entities, line breaks flattened. */
void ps_markdown_escape(FILE *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '<') fputs("&lt;", out);
        else if (*p == '>') fputs("&gt;", out);
        else if (*p == '&') fputs("&amp;", out);
        else if (*p < 0x20 || *p == 0x7f) fputc(' ', out);
        else if (strchr("\\`*_{}[]()#+-.!|~", *p)) {
            fputc('\\', out);
            fputc(*p, out);
        } else fputc(*p, out);
    }
}

void ps_report_print_markdown(FILE *out, const ps_model *m, const ps_report *r)
{
    char buf[1024], item[512];
    uint32_t failed = 0;
    for (uint32_t i = 0; i < r->nexpects; i++)
        failed += !r->expects[i].held;
    fputs("### ", out);
    ps_markdown_escape(out, m->path ? m->path : "scenario");
    fprintf(out, "\n\n%s %u exposure%s (%llu forbidden, %llu external, %llu beyond-intent)",
            r->nexposures || failed ? ":x:" : ":white_check_mark:", (unsigned)r->nexposures,
            r->nexposures == 1 ? "" : "s", (unsigned long long)r->counts[PS_SEV_FORBIDDEN],
            (unsigned long long)r->counts[PS_SEV_EXTERNAL],
            (unsigned long long)r->counts[PS_SEV_BEYOND_INTENT]);
    if (r->nexpects)
        fprintf(out, "; %u of %u expectation%s failed", (unsigned)failed, (unsigned)r->nexpects,
                r->nexpects == 1 ? "" : "s");
    fputs("\n\n", out);
    if (r->nexposures) {
        fputs("| severity | viewer | item | line | fix |\n| --- | --- | --- | --- | --- |\n", out);
        for (uint32_t i = 0; i < r->nexposures; i++) {
            const ps_exposure *x = &r->exposures[i];
            ps_anchor an;
            ps_anchor_find(m, x, &an);
            fprintf(out, "| %s | ", ps_severity_name((ps_severity)x->severity));
            ps_markdown_escape(out, ps_viewer_name(m, x->viewer, buf, sizeof buf));
            fputs(" | ", out);
            ps_markdown_escape(out, ps_item_text(m, x->item, item, sizeof item));
            fprintf(out, " | %u | ", (unsigned)an.at.loc.line);
            if (x->nfixes)
                ps_markdown_escape(out, ps_fix_text(m, &r->fixes[x->fix_first], buf, sizeof buf));
            else
                fputs("no single change", out);
            fputs(" |\n", out);
        }
        fputc('\n', out);
    }
    for (uint32_t i = 0; i < r->nexpects; i++) {
        if (r->expects[i].held)
            continue;
        const ps_expect *e = &m->expects[r->expects[i].expect];
        fprintf(out, "- failed expectation, line %u: ", (unsigned)e->loc.line);
        ps_markdown_escape(out, ps_viewer_name(m, ps_expect_viewer(m, e), buf, sizeof buf));
        fprintf(out, " %s ", e->can_see ? "can\\-see" : "cannot\\-see");
        ps_markdown_escape(out, m->items[e->item].name);
        fputc('\n', out);
    }
    if (failed)
        fputc('\n', out);
}
