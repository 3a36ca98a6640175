/* cmd_lint.c - `privsim lint FILE...`: check scenario files and summarize each.
 *
 * Diagnostics go to standard error in gcc style; each good file gets one summary line on
 * standard output, in a format kept stable for scripts (see ps_lint_summary).  With
 * `--format json` the output is one privsim.lint/1 document listing an object per file,
 * diagnostics included, and nothing is written to standard error.
 */
#include "cli.h"
#include "cmd_lang.h"
#include "parse.h"
#include "scenarios.h"

#include <string.h>

static const char usage_text[] =
    "usage: privsim lint [--format text|json] FILE|DIR...\n"
    "\n"
    "Checks each scenario file (\"-\" reads standard input; a directory stands for every\n"
    ".psim file under it) and prints one line per good file:\n"
    "  FILE: ok: N users, N friendships, N networks, N groups, N lists, N personas,\n"
    "  N items, N fields, N apps, N steps, N expects, N varies, platform NAME\n"
    "(\"ok (N warnings):\" when there were warnings).  Errors and warnings go to standard\n"
    "error as FILE:LINE:COL: error: MESSAGE, coloured when standard error is a terminal\n"
    "and NO_COLOR is not set.\n"
    "\n"
    "options:\n"
    "  --format text|json  text (the default; with several files, a last line \"N of M\n"
    "                      files ok\"), or one privsim.lint/1 JSON document: {\"schema\",\n"
    "                      \"files\": [{\"file\", \"ok\", \"errors\", \"warnings\", \"platform\",\n"
    "                      \"counts\", \"diagnostics\": [{\"level\", \"line\", \"column\",\n"
    "                      \"message\"}]}], \"summary\"}\n"
    "  -h, --help          show this help\n"
    "\n"
    "Exit status: 0 when every file is good (warnings allowed), 2 when a file has errors\n"
    "or the usage is wrong, 3 when memory runs out.\n";

/* The counts of a summary, in print order. */
typedef struct {
    const char *one, *many;
    uint32_t n;
} count;

/* Declared profile fields (those with a `field` line or an audience). */
static uint32_t declared_fields(const ps_model *m)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < m->nitems; i++)
        n += m->items[i].kind == PS_ITEM_FIELD &&
             (m->items[i].has_audience || m->items[i].loc.line != 0);
    return n;
}

static size_t counts(ps_model *m, count *c)
{
    uint32_t fields = declared_fields(m), items = 0;
    for (uint32_t i = 0; i < m->nitems; i++)
        items += m->items[i].kind != PS_ITEM_FIELD; /* posts and photos */
    const count v[] = {
        {"user", "users", m->nusers},
        {"friendship", "friendships", m->npairs ? ps_model_nfriendships(m) : 0},
        {"network", "networks", m->nnetworks},
        {"group", "groups", m->ngroups},
        {"list", "lists", m->nlists},
        {"persona", "personas", m->npersonas},
        {"item", "items", items},
        {"field", "fields", fields},
        {"app", "apps", m->napps},
        {"step", "steps", m->nsteps},
        {"expect", "expects", m->nexpects},
        {"vary", "varies", m->nvaries},
    };
    size_t n = sizeof v / sizeof v[0];
    memcpy(c, v, sizeof v);
    return n;
}

void ps_lint_summary(FILE *out, const char *path, ps_model *m, uint32_t nwarnings)
{
    count c[16];
    size_t n = counts(m, c);
    ps_write_escaped(out, path, strlen(path), false);
    if (nwarnings)
        fprintf(out, ": ok (%u warning%s):", (unsigned)nwarnings, nwarnings == 1 ? "" : "s");
    else
        fputs(": ok:", out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, " %u %s,", (unsigned)c[i].n, c[i].n == 1 ? c[i].one : c[i].many);
    fprintf(out, " platform %s\n", m->platform ? m->platform : PS_DEFAULT_PLATFORM);
}

int ps_lint_file(const char *path, FILE *out, FILE *err, bool color)
{
    ps_diag d;
    ps_model *m = NULL;
    ps_diag_init(&d);
    int r = ps_parse_file(path, &m, &d);
    ps_diag_print(&d, err, color);
    int rc = d.oom ? PS_EXIT_INTERNAL : r ? PS_EXIT_USAGE : PS_EXIT_OK;
    if (r == 0)
        ps_lint_summary(out, ps_display_path(path), m, ps_diag_nwarnings(&d));
    ps_model_free(m);
    ps_diag_free(&d);
    return rc;
}

static void json_diagnostic(ps_json *j, const ps_diag_entry *e)
{
    ps_json_object(j);
    ps_json_kstr(j, "level", e->level == PS_DIAG_ERROR ? "error" : "warning");
    ps_json_kuint(j, "line", e->loc.line);
    ps_json_kuint(j, "column", e->loc.col);
    ps_json_kstr(j, "message", e->msg);
    ps_json_object_end(j);
}

int ps_lint_file_json(const char *path, ps_json *j)
{
    ps_diag d;
    ps_model *m = NULL;
    ps_diag_init(&d);
    int r = ps_parse_file(path, &m, &d);
    int rc = d.oom ? PS_EXIT_INTERNAL : r ? PS_EXIT_USAGE : PS_EXIT_OK;
    ps_json_object(j);
    ps_json_kstr(j, "file", ps_display_path(path));
    ps_json_kbool(j, "ok", r == 0);
    ps_json_kuint(j, "errors", ps_diag_nerrors(&d));
    ps_json_kuint(j, "warnings", ps_diag_nwarnings(&d));
    if (r == 0) {
        ps_json_kstr(j, "platform", m->platform ? m->platform : PS_DEFAULT_PLATFORM);
        ps_json_kobject(j, "counts");
        count c[16];
        size_t n = counts(m, c);
        for (size_t i = 0; i < n; i++)
            ps_json_kuint(j, c[i].many, c[i].n);
        ps_json_object_end(j);
    } else {
        ps_json_kstr(j, "platform", NULL);
        ps_json_key(j, "counts");
        ps_json_null(j);
    }
    ps_json_karray(j, "diagnostics");
    ps_diag_sort(&d);
    for (uint32_t i = 0; i < d.n; i++)
        json_diagnostic(j, &d.v[i]);
    ps_json_array_end(j);
    ps_json_object_end(j);
    ps_model_free(m);
    ps_diag_free(&d);
    return rc;
}

int ps_cmd_lint(int argc, char **argv)
{
    const char *cmd = "lint";
    ps_format fmt = PS_FMT_TEXT;
    int first = argc, i;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage_text, stdout);
            return ps_cli_finish(PS_EXIT_OK);
        }
        if (strcmp(a, "--format") == 0 || strncmp(a, "--format=", 9) == 0) {
            const char *v = a[8] == '=' ? a + 9 : i + 1 < argc ? argv[++i] : NULL;
            if (!v)
                return ps_cli_usage_error(cmd, "--format needs a value");
            if (ps_cli_format(cmd, v, 3, &fmt))
                return PS_EXIT_USAGE;
            continue;
        }
        if (a[0] == '-' && a[1] != 0)
            return ps_cli_usage_error(cmd, "unknown option '%s'", a);
        break;
    }
    first = i;
    if (first >= argc)
        return ps_cli_usage_error(cmd, "no scenario file given");
    ps_scenarios files = {0};
    int xr = ps_scenarios_expand(&files, cmd, argc - first, argv + first);
    if (xr) {
        ps_scenarios_free(&files);
        if (xr == -2)
            fprintf(stderr, "privsim lint: out of memory\n");
        return xr == -2 ? PS_EXIT_INTERNAL : PS_EXIT_USAGE;
    }
    int rc = PS_EXIT_OK;
    bool color = ps_diag_want_color(stderr);
    uint32_t good = 0;
    ps_json j;
    if (fmt == PS_FMT_JSON) {
        ps_json_init(&j, stdout, 1);
        ps_json_object(&j);
        ps_json_schema(&j, "lint", 1);
        ps_json_karray(&j, "files");
    }
    for (size_t k = 0; k < files.n; k++) {
        int r;
        if (fmt == PS_FMT_JSON) {
            r = ps_lint_file_json(files.paths[k], &j);
        } else {
            r = ps_lint_file(files.paths[k], stdout, stderr, color);
            fflush(stdout);
        }
        good += r == PS_EXIT_OK;
        if (r > rc)
            rc = r;
    }
    if (fmt == PS_FMT_JSON) {
        ps_json_array_end(&j);
        ps_json_kobject(&j, "summary");
        ps_json_kuint(&j, "files", files.n);
        ps_json_kuint(&j, "ok", good);
        ps_json_kuint(&j, "failed", files.n - good);
        ps_json_object_end(&j);
        ps_json_object_end(&j);
        ps_json_finish(&j);
    } else if (files.n > 1) {
        printf("%u of %zu file%s ok\n", (unsigned)good, files.n, files.n == 1 ? "" : "s");
    }
    ps_scenarios_free(&files);
    return ps_cli_finish(rc);
}
