/* output.c - the fuzzer's findings as scenario files, and its summaries in text, JSON and
 * SARIF (see fuzzer.h).
 *
 * Everything written here depends only on the model, the space and the result, never on the
 * clock, so the same search writes the same bytes.  Timings go to the progress line.
 */
#include "fuzzer.h"

#include "atomic.h"
#include "diag.h"
#include "json.h"
#include "outfile.h"
#include "term.h"
#include "describe.h"
#include "plan.h"
#include "print.h"
#include "sarif.h"
#include "version.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *ps_fuzz_finding_name(uint32_t i, char *buf, size_t cap)
{
    snprintf(buf, cap, "finding-%03u.psim", (unsigned)i + 1);
    return buf;
}

static const char *upper(const char *s, char *buf, size_t cap)
{
    size_t i = 0;
    for (; s[i] && i + 1 < cap; i++)
        buf[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i]);
    buf[i] = 0;
    return buf;
}

/* Writes `s` after "# " prefixes, escaping what a comment cannot hold (line breaks). */
static void comment_str(FILE *out, const char *s)
{
    for (; *s; s++)
        fputc(*s == '\n' || *s == '\r' ? ' ' : *s, out);
}

static const char *baseline_phrase(const ps_space *s, bool safest, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = 0;
    if (safest)
        for (uint32_t d = 0; d < s->ndims && len + 1 < cap; d++) {
            const ps_dim *dim = &s->dims[d];
            if (dim->origin == 0)
                continue;
            const char *name = s->full->users[dim->about].name;
            if (strstr(buf, name))
                continue;
            int w = snprintf(buf + len, cap - len, "%s%s", len ? ", " : "", name);
            if (w > 0)
                len += (size_t)w;
        }
    if (!len) {
        snprintf(buf, cap, "the scenario as written");
        return buf;
    }
    char who[512];
    snprintf(who, sizeof who, "%s", buf);
    snprintf(buf, cap, "the scenario as written, with %s at their safest", who);
    return buf;
}

const char *ps_fuzz_found_by(const ps_fuzz_summary *sum, char *buf, size_t cap)
{
    if (sum && sum->found_by)
        snprintf(buf, cap, "%s", sum->found_by);
    else
        snprintf(buf, cap, "privsim fuzz --strategy %s --seed %llu %s",
                 ps_strategy_name(sum ? sum->strategy : PS_STRAT_EXHAUSTIVE),
                 (unsigned long long)(sum ? sum->seed : 1),
                 sum && sum->scenario ? sum->scenario : "");
    return buf;
}

/* ---------------------------------------------------------------------------------------
 * Finding files
 * ------------------------------------------------------------------------------------- */

int ps_fuzz_write_finding(FILE *out, const ps_model *m, const ps_space *s,
                          const ps_fuzz_result *r, uint32_t i, const ps_fuzz_summary *sum)
{
    const ps_finding *f = &r->findings[i];
    char buf[1024], sev[32], name[64];
    ps_model *pm = ps_space_point_model(s, f->point);
    if (!pm)
        return -1;
    fprintf(out, "# privsim fuzz: finding %u of %u (%s)\n", (unsigned)i + 1,
            (unsigned)r->nfindings, upper(ps_severity_name((ps_severity)f->severity), sev,
                                           sizeof sev));
    fprintf(out, "#\n# Shows: ");
    comment_str(out, ps_viewer_name(m, f->viewer, buf, sizeof buf));
    fprintf(out, " can see ");
    comment_str(out, ps_item_text(m, f->item, buf, sizeof buf));
    fprintf(out, " (%s).\n", ps_severity_name((ps_severity)f->severity));
    if (f->nviewers > 1 || f->nitems > 1)
        fprintf(out, "# The same path reaches %u viewer%s on %u item%s.\n", (unsigned)f->nviewers,
                f->nviewers == 1 ? "" : "s", (unsigned)f->nitems, f->nitems == 1 ? "" : "s");
    fprintf(out, "# Path shape: ");
    comment_str(out, f->shape_text);
    char rerun[8192];
    fprintf(out, "\n# Found by: ");
    comment_str(out, ps_fuzz_found_by(sum, rerun, sizeof rerun));
    fputc('\n', out);
    fprintf(out, "#\n# The changes it needs, from %s:\n",
            baseline_phrase(s, sum && sum->safest, buf, sizeof buf));
    if (!f->nchanges)
        fprintf(out, "#   none\n");
    for (uint32_t k = 0; k < f->nchanges; k++) {
        uint32_t d = f->changes[k];
        fprintf(out, "#   ");
        comment_str(out, ps_space_alt_text(s, d, f->point[d]));
        if (f->point[d] == 0)
            fprintf(out, "   (as the scenario is written)");
        fputc('\n', out);
    }
    uint32_t nw = 0;
    for (uint32_t d = 0; d < s->ndims; d++)
        nw += f->point[d] != 0;
    fprintf(out, "# Differences from the scenario as written: ");
    if (!nw)
        fprintf(out, "none.\n");
    else {
        fprintf(out, "%u.\n", (unsigned)nw);
        for (uint32_t d = 0; d < s->ndims; d++)
            if (f->point[d]) {
                fprintf(out, "#   ");
                comment_str(out, ps_space_alt_text(s, d, f->point[d]));
                fputc('\n', out);
            }
    }
    fprintf(out, "# %s\n", f->as_written ? "The scenario as written shows this exposure too."
                                         : "The scenario as written does not show this exposure.");
    fprintf(out, "#\n# Check it: privsim check %s   (exits 1)\n\n",
            ps_fuzz_finding_name(i, name, sizeof name));
    int rc = ps_print_scenario(out, pm);
    ps_model_free(pm);
    return rc;
}

/* DIR/finding-*.psim: the files of an earlier run, replaced by the new set. */
static bool is_finding(const char *name)
{
    size_t n = strlen(name);
    return n > 13 && strncmp(name, "finding-", 8) == 0 && strcmp(name + n - 5, ".psim") == 0;
}

int ps_fuzz_write_findings(const char *dir, const ps_model *m, const ps_space *s,
                           const ps_fuzz_result *r, const ps_fuzz_summary *sum)
{
    /* the new set is built beside DIR (with DIR's other files) and swapped in whole, so
     * that a run stopped at any moment leaves the old findings or the new ones */
    ps_atomic_dir ad;
    if (ps_atomic_dir_open(&ad, dir, is_finding)) {
        fputs("privsim fuzz: ", stderr);
        if (errno == EEXIST)
            fputs("refusing to replace an input file in '", stderr);
        else
            fputs("cannot write '", stderr);
        ps_write_escaped(stderr, dir, strlen(dir), false);
        fprintf(stderr, "'%s%s\n", errno == EEXIST ? "" : ": ",
                errno == EEXIST ? "; choose another --out directory"
                : errno == EISDIR ? "it holds a subdirectory (--out replaces the directory "
                                    "as a whole)"
                : errno == ENOMEM ? "out of memory" : strerror(errno));
        return errno == EEXIST || errno == EISDIR || errno == ENOTDIR ? -2 : -1;
    }
    for (uint32_t i = 0; i < r->nfindings; i++) {
        char name[64];
        ps_fuzz_finding_name(i, name, sizeof name);
        FILE *f = ps_atomic_dir_create(&ad, name);
        int err = f ? 0 : errno;
        if (f && ps_fuzz_write_finding(f, m, s, r, i, sum) != 0)
            err = ferror(f) ? EIO : ENOMEM; /* it fails on a write error or out of memory */
        if (f && ps_atomic_dir_close_file(f) != 0 && !err)
            err = errno;
        if (err) {
            fprintf(stderr, "privsim fuzz: cannot write '%s/%s': %s\n", dir, name,
                    err == ENOMEM ? "out of memory" : strerror(err));
            ps_atomic_dir_abort(&ad);
            return -1;
        }
    }
    if (ps_atomic_dir_commit(&ad)) {
        fprintf(stderr, "privsim fuzz: cannot write '%s': %s\n", dir, strerror(errno));
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * Text
 * ------------------------------------------------------------------------------------- */

static void count_families(const ps_space *s, uint32_t n[4])
{
    memset(n, 0, 4 * sizeof *n);
    for (uint32_t d = 0; d < s->ndims; d++)
        n[s->dims[d].family & 3]++;
}

static void print_points(FILE *out, double n)
{
    if (n < 1e15)
        fprintf(out, "%.0f", n);
    else
        fprintf(out, "%.3g", n);
}

void ps_fuzz_print_text(FILE *out, const ps_model *m, const ps_space *s,
                        const ps_fuzz_result *r, const ps_fuzz_summary *sum)
{
    ps_palette pal = ps_term_palette(out);
    char buf[1024], sev[32], name[64];
    uint32_t fam[4];
    count_families(s, fam);
    fprintf(out, "%sprivsim fuzz%s ", pal.bold, pal.reset);
    ps_term_str(out, sum->scenario ? sum->scenario : "");
    fprintf(out, "\n  %-10s %u dimension%s (vary lines %u, users' own choices %u, other "
                 "people's actions %u, rules %u), ",
            "space", (unsigned)s->ndims, s->ndims == 1 ? "" : "s", (unsigned)fam[PS_FAM_VARY],
            (unsigned)fam[PS_FAM_USER], (unsigned)fam[PS_FAM_OTHERS], (unsigned)fam[PS_FAM_RULES]);
    print_points(out, s->npoints);
    fprintf(out, " point%s\n", s->npoints == 1 ? "" : "s");
    fprintf(out, "  %-10s %s, seed %llu: %llu point%s%s\n", "search",
            ps_strategy_name(sum->strategy), (unsigned long long)sum->seed,
            (unsigned long long)r->points, r->points == 1 ? "" : "s",
            r->complete ? ", the whole space" : "");
    fprintf(out, "  %-10s %s: %u exposure%s (the scenario as written: %u)\n", "baseline",
            baseline_phrase(s, sum->safest, buf, sizeof buf), (unsigned)r->nbaseline,
            r->nbaseline == 1 ? "" : "s", (unsigned)r->nwritten);
    fprintf(out, "  %-10s derivation rules %u of %u, rule terms %u, leak shapes %u", "coverage",
            (unsigned)r->rules, (unsigned)r->rules_possible, (unsigned)r->features,
            (unsigned)r->shapes);
    if (sum->strategy == PS_STRAT_GUIDED)
        fprintf(out, ", corpus %u", (unsigned)r->corpus);
    fputc('\n', out);
    uint32_t counts[PS_NSEV] = {0};
    for (uint32_t i = 0; i < r->nfindings; i++)
        counts[r->findings[i].severity]++;
    fprintf(out, "  %-10s %s%u%s (%u forbidden, %u external, %u beyond-intent)\n", "findings",
            r->nfindings ? pal.bold : pal.green, (unsigned)r->nfindings, pal.reset,
            (unsigned)counts[PS_SEV_FORBIDDEN], (unsigned)counts[PS_SEV_EXTERNAL],
            (unsigned)counts[PS_SEV_BEYOND_INTENT]);
    for (uint32_t i = 0; i < r->nfindings; i++) {
        const ps_finding *f = &r->findings[i];
        const char *col = f->severity == PS_SEV_FORBIDDEN  ? pal.red
                          : f->severity == PS_SEV_EXTERNAL ? pal.magenta
                                                           : pal.yellow;
        fprintf(out, "\n%s%3u  %s%-13s%s ", pal.bold, (unsigned)i + 1, col,
                upper(ps_severity_name((ps_severity)f->severity), sev, sizeof sev), pal.reset);
        ps_term_str(out, ps_viewer_name(m, f->viewer, buf, sizeof buf));
        fprintf(out, " sees ");
        ps_term_str(out, ps_item_text(m, f->item, buf, sizeof buf));
        fputc('\n', out);
        fprintf(out, "     %-13s ", "path shape");
        ps_term_str(out, f->shape_text);
        fprintf(out, "\n     %-13s %u viewer%s on %u item%s\n", "reaches", (unsigned)f->nviewers,
                f->nviewers == 1 ? "" : "s", (unsigned)f->nitems, f->nitems == 1 ? "" : "s");
        for (uint32_t k = 0; k < f->nchanges || k == 0; k++) {
            fprintf(out, "     %-13s ", k ? "" : "needs");
            if (!f->nchanges) {
                fprintf(out, "no change\n");
                break;
            }
            uint32_t d = f->changes[k];
            ps_term_str(out, ps_space_alt_text(s, d, f->point[d]));
            fprintf(out, "%s\n", f->point[d] == 0 ? "  (as written)" : "");
        }
        if (f->as_written)
            fprintf(out, "     %-13s %sthe scenario as written shows it too%s\n", "", pal.dim,
                    pal.reset);
        if (sum->out_dir) {
            fprintf(out, "     %-13s ", "scenario");
            ps_term_str(out, sum->out_dir);
            fprintf(out, "/%s\n", ps_fuzz_finding_name(i, name, sizeof name));
        }
    }
}

/* ---------------------------------------------------------------------------------------
 * JSON
 * ------------------------------------------------------------------------------------- */

static const char *dim_kind_name(ps_dim_kind k)
{
    static const char *const names[] = { "audience", "tag-review", "apps-through-friends",
                                         "apps-category", "rule", "step", "link-rule" };
    return k <= PS_DIM_LINK_RULE ? names[k] : "?";
}

void ps_fuzz_print_json(FILE *out, const ps_model *m, const ps_space *s,
                        const ps_fuzz_result *r, const ps_fuzz_summary *sum)
{
    ps_json j;
    ps_json_init(&j, out, 2);
    ps_fuzz_json(&j, m, s, r, sum);
    ps_json_finish(&j);
}

void ps_fuzz_json(ps_json *j, const ps_model *m, const ps_space *s, const ps_fuzz_result *r,
                  const ps_fuzz_summary *sum)
{
    char buf[1024], name[64];
    uint32_t lines_at = j->lines_at;
    ps_json_object(j);
    ps_json_schema(j, PS_JSON_FUZZ_KIND, PS_JSON_FUZZ_VERSION);
    ps_json_kstr(j, "scenario", sum->scenario ? sum->scenario : "");
    ps_json_kstr(j, "platform", m->platform ? m->platform : "");
    ps_json_kstr(j, "strategy", ps_strategy_name(sum->strategy));
    ps_json_kuint(j, "seed", sum->seed);
    ps_json_kstr(j, "baseline", sum->safest ? "safest" : "written");
    ps_json_kstr(j, "found-by", ps_fuzz_found_by(sum, buf, sizeof buf));
    ps_json_kobject(j, "space");
    ps_json_key(j, "points");
    ps_json_double(j, s->npoints);
    ps_json_karray(j, "dimensions");
    for (uint32_t d = 0; d < s->ndims; d++) {
        const ps_dim *dim = &s->dims[d];
        ps_json_object(j);
        ps_json_kstr(j, "family", ps_family_name((ps_family)dim->family));
        ps_json_kstr(j, "kind", dim_kind_name((ps_dim_kind)dim->kind));
        if (dim->about != PS_NONE)
            ps_json_kstr(j, "about", s->full->users[dim->about].name);
        if (dim->line)
            ps_json_kuint(j, "line", dim->line);
        ps_json_kuint(j, "origin", dim->origin);
        ps_json_karray(j, "alternatives");
        for (uint32_t a = 0; a < dim->nalts; a++)
            ps_json_string(j, ps_space_alt_text(s, d, a));
        ps_json_array_end(j);
        ps_json_object_end(j);
    }
    ps_json_array_end(j);
    ps_json_object_end(j);
    ps_json_kobject(j, "search");
    ps_json_kuint(j, "points", r->points);
    ps_json_kbool(j, "complete", r->complete);
    if (sum->strategy == PS_STRAT_GUIDED)
        ps_json_kuint(j, "corpus", r->corpus);
    ps_json_object_end(j);
    ps_json_kuint(j, "baseline-exposures", r->nbaseline);
    ps_json_kuint(j, "written-exposures", r->nwritten);
    ps_json_kobject(j, "coverage");
    ps_json_kuint(j, "rules", r->rules);
    ps_json_kuint(j, "rules-possible", r->rules_possible);
    ps_json_kuint(j, "rule-terms", r->features);
    ps_json_kuint(j, "shapes", r->shapes);
    ps_json_object_end(j);
    j->lines_at = lines_at ? lines_at - 1 : 0; /* each finding on a line of its own */
    ps_json_karray(j, "findings");
    for (uint32_t i = 0; i < r->nfindings; i++) {
        const ps_finding *f = &r->findings[i];
        const ps_item *it = &m->items[f->item];
        ps_json_object(j);
        ps_json_kuint(j, "rank", i + 1);
        if (sum->out_dir) {
            snprintf(buf, sizeof buf, "%s/%s", sum->out_dir,
                     ps_fuzz_finding_name(i, name, sizeof name));
            ps_json_kstr(j, "file", buf);
        } else {
            ps_json_kstr(j, "file", NULL);
        }
        ps_json_kstr(j, "severity", ps_severity_name((ps_severity)f->severity));
        ps_json_kstr(j, "item", it->name);
        ps_json_kstr(j, "owner", m->users[it->owner].name);
        ps_json_kuint(j, "line", it->loc.line);
        ps_json_kstr(j, "viewer", ps_viewer_name(m, f->viewer, buf, sizeof buf));
        ps_json_kuint(j, "viewers", f->nviewers);
        ps_json_kuint(j, "items", f->nitems);
        ps_json_kstr(j, "shape", f->shape_text);
        ps_json_kbool(j, "as-written", f->as_written);
        ps_json_kbool(j, "verified", f->verified);
        ps_json_kuint(j, "found-at", f->found_at);
        ps_json_karray(j, "changes");
        for (uint32_t k = 0; k < f->nchanges; k++) {
            uint32_t d = f->changes[k];
            ps_json_object(j);
            ps_json_kuint(j, "dimension", d);
            ps_json_kuint(j, "alternative", f->point[d]);
            ps_json_kbool(j, "as-written", f->point[d] == 0);
            ps_json_kstr(j, "text", ps_space_alt_text(s, d, f->point[d]));
            ps_json_object_end(j);
        }
        ps_json_array_end(j);
        /* the change a plan of the finding's own scenario would make to remove it */
        ps_model *pm = ps_space_point_model(s, f->point);
        int pc = pm ? ps_plan_change_for(pm, f->item, f->viewer, (ps_severity)f->severity, buf,
                                         sizeof buf) : -1;
        ps_json_kstr(j, "plan-change", pc > 0 ? buf : NULL);
        ps_model_free(pm);
        ps_json_object_end(j);
    }
    ps_json_array_end(j);
    ps_json_object_end(j);
    j->lines_at = lines_at;
}

/* ---------------------------------------------------------------------------------------
 * SARIF 2.1.0
 * ------------------------------------------------------------------------------------- */

const ps_sarif_rule ps_fuzz_sarif_rules[PS_FUZZ_NRULES] = {
    { "fuzz-forbidden", "FuzzForbiddenViewer", "error",
      "Some settings or actions in the fuzzed space let a forbidden viewer see the item.",
      "Open the finding's scenario file, run privsim check on it, and apply one of the fixes; "
      "the finding's '# Found by:' line reruns the search." },
    { "fuzz-external", "FuzzExternalViewer", "error",
      "Some settings or actions in the fuzzed space let an app or the internet see the item.",
      "Open the finding's scenario file, run privsim check on it, and apply one of the fixes; "
      "the finding's '# Found by:' line reruns the search." },
    { "fuzz-beyond-intent", "FuzzBeyondIntent", "warning",
      "Some settings or actions in the fuzzed space let someone outside the intended "
      "audience see the item.",
      "Decide whether the settings the finding needs are ones users may choose; if so, apply "
      "a fix from privsim check on the finding's scenario file." },
    { "linkage-forbidden", "LinkageForbidden", "error",
      "Some settings or actions in the fuzzed space let a viewer who must never do so link two "
      "accounts of one person.",
      "Open the linkage's scenario file and run privsim check on it: its linkage section lists "
      "the evidence and the changes that remove it." },
    { "linkage-external", "LinkageExternal", "error",
      "Some settings or actions in the fuzzed space let an app or the internet link two "
      "accounts of one person.",
      "Open the linkage's scenario file and run privsim check on it: its linkage section lists "
      "the evidence and the changes that remove it." },
    { "linkage-beyond-intent", "LinkageBeyondIntent", "warning",
      "Some settings or actions in the fuzzed space let someone link two accounts of one "
      "person.",
      "Decide whether the person minds; if so, run privsim check on the linkage's scenario "
      "file and apply the changes it lists." },
};

void ps_fuzz_print_sarif(FILE *out, const ps_model *m, const ps_space *s,
                         const ps_fuzz_result *r, const ps_fuzz_summary *sum)
{
    ps_sarif sw;
    if (ps_sarif_begin(&sw, out, ps_fuzz_sarif_rules, PS_FUZZ_NRULES, sum->base_dir))
        return;
    ps_fuzz_sarif_results(&sw, m, s, r, sum);
    ps_sarif_end(&sw, true, NULL, 0);
}

void ps_fuzz_sarif_results(ps_sarif *sw, const ps_model *m, const ps_space *s,
                           const ps_fuzz_result *r, const ps_fuzz_summary *sum)
{
    const char *uri = sum->scenario ? sum->scenario : "scenario.psim";
    char buf[1024], item[512], txt[4096], name[64], fp[2048];
    for (uint32_t i = 0; i < r->nfindings; i++) {
        const ps_finding *f = &r->findings[i];
        size_t ri = f->severity == PS_SEV_FORBIDDEN ? 0 : f->severity == PS_SEV_EXTERNAL ? 1 : 2;
        ps_viewer_name(m, f->viewer, buf, sizeof buf);
        ps_item_text(m, f->item, item, sizeof item);
        size_t len = (size_t)snprintf(txt, sizeof txt, "%s can see %s (%s) when: ", buf, item,
                                      ps_severity_name((ps_severity)f->severity));
        for (uint32_t k = 0; k < f->nchanges && len < sizeof txt; k++) {
            int w = snprintf(txt + len, sizeof txt - len, "%s%s", k ? "; " : "",
                             ps_space_alt_text(s, f->changes[k], f->point[f->changes[k]]));
            if (w > 0)
                len += (size_t)w;
        }
        if (!f->nchanges && len < sizeof txt)
            snprintf(txt + len, sizeof txt - len, "as written");
        /* the first change that stands on a line of the scenario, else the item's line */
        ps_loc loc = m->items[f->item].loc;
        for (uint32_t k = 0; k < f->nchanges; k++) {
            uint32_t line = s->dims[f->changes[k]].line;
            if (line) {
                loc.line = line;
                loc.col = 1;
                break;
            }
        }
        ps_sarif_loc at = { uri, loc.line, loc.col, NULL };
        char rel_path[4096];
        ps_sarif_loc rel[2];
        size_t nrel = 0;
        if (loc.line != m->items[f->item].loc.line)
            rel[nrel++] = (ps_sarif_loc){ uri, m->items[f->item].loc.line,
                                          m->items[f->item].loc.col, "the item" };
        if (sum->out_dir) {
            snprintf(rel_path, sizeof rel_path, "%s/%s", sum->out_dir,
                     ps_fuzz_finding_name(i, name, sizeof name));
            rel[nrel++] = (ps_sarif_loc){ rel_path, 1, 1, "a scenario that shows it" };
        }
        snprintf(fp, sizeof fp, "%s|%s|%s|%s", m->items[f->item].name, buf,
                 ps_severity_name((ps_severity)f->severity), f->shape_text);
        ps_sarif_result_begin(sw, ri, txt, &at, rel, nrel, "privsimFuzzFinding/v2", fp);
        ps_json *j = ps_sarif_json(sw);
        ps_json_kobject(j, "properties");
        ps_json_kstr(j, "item", m->items[f->item].name);
        ps_json_kstr(j, "viewer", buf);
        ps_json_kstr(j, "shape", f->shape_text);
        ps_json_kuint(j, "viewers", f->nviewers);
        ps_json_kbool(j, "asWritten", f->as_written);
        ps_json_kstr(j, "foundBy", ps_fuzz_found_by(sum, txt, sizeof txt));
        ps_json_object_end(j);
        ps_sarif_result_end(sw);
    }
}
