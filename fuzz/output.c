/* output.c - the fuzzer's findings as scenario files, and its summaries in text, JSON and
 * SARIF (see fuzzer.h).
 *
 * Everything written here depends only on the model, the space and the result, never on the
 * clock, so the same search writes the same bytes.  Timings go to the progress line.
 */
#include "fuzzer.h"

#include "atomic.h"
#include "cli.h"
#include "diag.h"
#include "describe.h"
#include "print.h"
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
    fprintf(out, "\n# Found by: privsim fuzz %s --strategy %s --seed %llu\n",
            sum && sum->scenario ? sum->scenario : "", ps_strategy_name(sum ? sum->strategy
                                                                            : PS_STRAT_EXHAUSTIVE),
            (unsigned long long)(sum ? sum->seed : 1));
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
    ps_palette pal = ps_cli_palette(out);
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
                                         "apps-category", "rule", "step" };
    return k <= PS_DIM_STEP ? names[k] : "?";
}

void ps_fuzz_print_json(FILE *out, const ps_model *m, const ps_space *s,
                        const ps_fuzz_result *r, const ps_fuzz_summary *sum)
{
    char buf[1024], name[64];
    fprintf(out, "{\"schema\":\"%s\",\"privsim\":\"%s\",\"scenario\":", PS_JSON_FUZZ_SCHEMA,
            PS_VERSION);
    ps_json_str(out, sum->scenario ? sum->scenario : "");
    fprintf(out, ",\"platform\":");
    ps_json_str(out, m->platform ? m->platform : "");
    fprintf(out, ",\"strategy\":\"%s\",\"seed\":%llu,\"baseline\":\"%s\"",
            ps_strategy_name(sum->strategy), (unsigned long long)sum->seed,
            sum->safest ? "safest" : "written");
    fprintf(out, ",\"space\":{\"points\":");
    if (s->npoints < 9007199254740992.0)
        fprintf(out, "%.0f", s->npoints);
    else
        fprintf(out, "%.17g", s->npoints);
    fprintf(out, ",\"dimensions\":[");
    for (uint32_t d = 0; d < s->ndims; d++) {
        const ps_dim *dim = &s->dims[d];
        fprintf(out, "%s\n{\"family\":\"%s\",\"kind\":\"%s\"", d ? "," : "",
                ps_family_name((ps_family)dim->family), dim_kind_name((ps_dim_kind)dim->kind));
        if (dim->about != PS_NONE) {
            fprintf(out, ",\"about\":");
            ps_json_str(out, s->full->users[dim->about].name);
        }
        if (dim->line)
            fprintf(out, ",\"line\":%u", (unsigned)dim->line);
        fprintf(out, ",\"origin\":%u,\"alternatives\":[", (unsigned)dim->origin);
        for (uint32_t a = 0; a < dim->nalts; a++) {
            fprintf(out, "%s", a ? "," : "");
            ps_json_str(out, ps_space_alt_text(s, d, a));
        }
        fprintf(out, "]}");
    }
    fprintf(out, "]},\"search\":{\"points\":%llu,\"complete\":%s", (unsigned long long)r->points,
            r->complete ? "true" : "false");
    if (sum->strategy == PS_STRAT_GUIDED)
        fprintf(out, ",\"corpus\":%u", (unsigned)r->corpus);
    fprintf(out, "},\"baseline-exposures\":%u,\"written-exposures\":%u", (unsigned)r->nbaseline,
            (unsigned)r->nwritten);
    fprintf(out, ",\"coverage\":{\"rules\":%u,\"rules-possible\":%u,\"rule-terms\":%u,"
                 "\"shapes\":%u}", (unsigned)r->rules, (unsigned)r->rules_possible,
            (unsigned)r->features, (unsigned)r->shapes);
    fprintf(out, ",\"findings\":[");
    for (uint32_t i = 0; i < r->nfindings; i++) {
        const ps_finding *f = &r->findings[i];
        const ps_item *it = &m->items[f->item];
        fprintf(out, "%s\n{\"rank\":%u,\"file\":", i ? "," : "", (unsigned)i + 1);
        if (sum->out_dir) {
            snprintf(buf, sizeof buf, "%s/%s", sum->out_dir,
                     ps_fuzz_finding_name(i, name, sizeof name));
            ps_json_str(out, buf);
        } else {
            fprintf(out, "null");
        }
        fprintf(out, ",\"severity\":\"%s\",\"item\":", ps_severity_name((ps_severity)f->severity));
        ps_json_str(out, it->name);
        fprintf(out, ",\"owner\":");
        ps_json_str(out, m->users[it->owner].name);
        fprintf(out, ",\"line\":%u,\"viewer\":", (unsigned)it->loc.line);
        ps_json_str(out, ps_viewer_name(m, f->viewer, buf, sizeof buf));
        fprintf(out, ",\"viewers\":%u,\"items\":%u,\"shape\":", (unsigned)f->nviewers,
                (unsigned)f->nitems);
        ps_json_str(out, f->shape_text);
        fprintf(out, ",\"as-written\":%s,\"verified\":%s,\"found-at\":%llu,\"changes\":[",
                f->as_written ? "true" : "false", f->verified ? "true" : "false",
                (unsigned long long)f->found_at);
        for (uint32_t k = 0; k < f->nchanges; k++) {
            uint32_t d = f->changes[k];
            fprintf(out, "%s{\"dimension\":%u,\"alternative\":%u,\"as-written\":%s,\"text\":",
                    k ? "," : "", (unsigned)d, (unsigned)f->point[d],
                    f->point[d] == 0 ? "true" : "false");
            ps_json_str(out, ps_space_alt_text(s, d, f->point[d]));
            fprintf(out, "}");
        }
        fprintf(out, "]}");
    }
    fprintf(out, "]}\n");
}

/* ---------------------------------------------------------------------------------------
 * SARIF 2.1.0
 * ------------------------------------------------------------------------------------- */

void ps_fuzz_print_sarif(FILE *out, const ps_model *m, const ps_space *s,
                         const ps_fuzz_result *r, const ps_fuzz_summary *sum)
{
    static const struct { const char *id, *name, *level, *text; } rules[] = {
        { "fuzz-forbidden", "FuzzForbiddenViewer", "error",
          "Some settings or actions in the fuzzed space let a forbidden viewer see the item." },
        { "fuzz-external", "FuzzExternalViewer", "error",
          "Some settings or actions in the fuzzed space let an app or the internet see the item." },
        { "fuzz-beyond-intent", "FuzzBeyondIntent", "warning",
          "Some settings or actions in the fuzzed space let someone outside the intended "
          "audience see the item." },
    };
    const char *uri = sum->scenario ? sum->scenario : "scenario.psim";
    char buf[1024], item[512], txt[4096], name[64];
    fprintf(out, "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
                 "\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"privsim\","
                 "\"version\":\"%s\",\"rules\":[", PS_VERSION);
    for (int i = 0; i < 3; i++)
        fprintf(out, "%s{\"id\":\"%s\",\"name\":\"%s\",\"shortDescription\":{\"text\":\"%s\"},"
                     "\"defaultConfiguration\":{\"level\":\"%s\"}}",
                i ? "," : "", rules[i].id, rules[i].name, rules[i].text, rules[i].level);
    fprintf(out, "]}},\"artifacts\":[{\"location\":{\"uri\":");
    ps_json_str(out, uri);
    fprintf(out, "}}],\"results\":[");
    for (uint32_t i = 0; i < r->nfindings; i++) {
        const ps_finding *f = &r->findings[i];
        int ri = f->severity == PS_SEV_FORBIDDEN ? 0 : f->severity == PS_SEV_EXTERNAL ? 1 : 2;
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
        const ps_loc loc = m->items[f->item].loc;
        fprintf(out, "%s\n{\"ruleId\":\"%s\",\"ruleIndex\":%d,\"level\":\"%s\",\"message\":"
                     "{\"text\":", i ? "," : "", rules[ri].id, ri, rules[ri].level);
        ps_json_str(out, txt);
        fprintf(out, "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
        ps_json_str(out, uri);
        fprintf(out, ",\"index\":0},\"region\":{\"startLine\":%u,\"startColumn\":%u}}}]",
                (unsigned)(loc.line ? loc.line : 1), (unsigned)(loc.col ? loc.col : 1));
        if (sum->out_dir) {
            snprintf(txt, sizeof txt, "%s/%s", sum->out_dir,
                     ps_fuzz_finding_name(i, name, sizeof name));
            fprintf(out, ",\"relatedLocations\":[{\"id\":1,\"message\":{\"text\":\"a scenario "
                         "that shows it\"},\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
            ps_json_str(out, txt);
            fprintf(out, "}}}]");
        }
        fprintf(out, ",\"partialFingerprints\":{\"privsimFuzzFinding/v1\":");
        snprintf(txt, sizeof txt, "%s|%s|%s", m->items[f->item].name, buf, f->shape_text);
        ps_json_str(out, txt);
        fprintf(out, "},\"properties\":{\"item\":");
        ps_json_str(out, m->items[f->item].name);
        fprintf(out, ",\"viewer\":");
        ps_json_str(out, buf);
        fprintf(out, ",\"shape\":");
        ps_json_str(out, f->shape_text);
        fprintf(out, ",\"viewers\":%u,\"asWritten\":%s}}", (unsigned)f->nviewers,
                f->as_written ? "true" : "false");
    }
    fprintf(out, "]}]}\n");
}
