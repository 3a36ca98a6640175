/* cmd_diff.c - `privsim diff`: the exposures that change between two platforms or files.
 *
 * Exposures are matched by item name and viewer name, so two versions of one scenario can be
 * compared as well as one scenario under two platforms.  Exit status 1 when the second side
 * has exposures that the first does not (a change that widens someone's audience). */
#include "cli.h"
#include "runlimits.h"
#include "linkage.h"
#include "describe.h"
#include "baseline.h"
#include "engine.h"
#include "report_out.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char usage[] =
    "usage: privsim diff [options] FILE --from P --to Q\n"
    "       privsim diff [options] FILE_A FILE_B\n"
    "       privsim diff [options] --git REV FILE\n"
    "\n"
    "Compares the exposures of one scenario under platforms P and Q (either may be left\n"
    "out: the file's own platform), of two scenario files, or of FILE with its version\n"
    "at git revision REV (`git show REV:./FILE`, run in the current directory). Lists the\n"
    "exposures that appear on the second side (+) and those that disappear (-), by item\n"
    "and viewer.\n"
    "\n"
    "options:\n"
    "  --from P, --to Q   platform presets to compare\n"
    "  --git REV          compare FILE as it is with FILE at revision REV\n"
    "  --format F         text (default), json, sarif (the new exposures, each at the\n"
    "                     statement that caused it), github or markdown\n"
    "  --base-dir DIR     sarif, github: file names relative to DIR (default: .)\n"
    "  -o, --output FILE  write the output to FILE (atomically) instead of stdout\n"
    PS_LIMITS_USAGE
    "  -h, --help         this help\n"
    "\n"
    "exit status: 0 nothing new, 1 the second side exposes something new, 2 bad usage or\n"
    "input (with -o, the document is written all the same), 3 internal error\n";

typedef struct {
    ps_model *m;
    ps_report *r;
    ps_linkage_report *lr; /* linkages, when the scenario has persons */
    ps_diag d;            /* the diagnostics of reading it */
    const char *name;     /* as shown */
} side;

static int load_side(side *s, const char *path, const char *shown, const char *platform)
{
    s->name = shown;
    int rc = ps_cli_load_diag(path, shown, platform, &s->m, &s->d);
    if (rc)
        return rc;
    ps_check_opts co = { .fixes = false };
    ps_linkage_opts lo = { .fixes = false };
    if (ps_check(s->m, &co, &s->r) ||
        (s->m->persons && s->m->persons->n && ps_linkage_check(s->m, &lo, &s->lr))) {
        fprintf(stderr, "privsim diff: out of memory\n");
        return PS_EXIT_INTERNAL;
    }
    return PS_EXIT_OK;
}

/* True when side s has a linkage of the accounts named a and b (either order) by the
 * viewer named v. */
static bool has_link(const side *s, const char *a, const char *b, const char *v)
{
    char buf[512];
    for (uint32_t i = 0; s->lr && i < s->lr->n; i++) {
        const ps_linkage *l = &s->lr->v[i];
        const char *x = s->m->users[l->a].name, *y = s->m->users[l->b].name;
        if (((strcmp(x, a) == 0 && strcmp(y, b) == 0) || (strcmp(x, b) == 0 && strcmp(y, a) == 0)) &&
            strcmp(ps_viewer_name(s->m, l->viewer, buf, sizeof buf), v) == 0)
            return true;
    }
    return false;
}

/* Writes the linkages of `a` missing from `b` (as text on `out`, or into the JSON writer
 * `j` when it is not NULL); returns how many. */
static uint32_t missing_links(FILE *out, ps_json *j, const side *a, const side *b, char sign)
{
    char v[512];
    uint32_t n = 0;
    ps_palette pal = ps_term_palette(out);
    for (uint32_t i = 0; a->lr && i < a->lr->n; i++) {
        const ps_linkage *l = &a->lr->v[i];
        const char *x = a->m->users[l->a].name, *y = a->m->users[l->b].name;
        ps_viewer_name(a->m, l->viewer, v, sizeof v);
        if (has_link(b, x, y, v))
            continue;
        n++;
        if (j) {
            ps_json_object(j);
            ps_json_kstr(j, "change", sign == '+' ? "added" : "removed");
            ps_json_karray(j, "accounts");
            ps_json_string(j, x);
            ps_json_string(j, y);
            ps_json_array_end(j);
            ps_json_kstr(j, "viewer", v);
            ps_json_kstr(j, "severity", ps_severity_name((ps_severity)l->severity));
            ps_json_karray(j, "evidence");
            for (uint32_t k = 0; k < l->nev; k++)
                ps_json_string(j, ps_ev_kind_name((ps_ev_kind)a->lr->ev[l->ev_first + k].kind));
            ps_json_array_end(j);
            ps_json_object_end(j);
        } else {
            fprintf(out, "%s%c %-13s%s ", sign == '+' ? pal.red : pal.green, sign,
                    ps_severity_name((ps_severity)l->severity), pal.reset);
            ps_term_str(out, v);
            fprintf(out, " links ");
            ps_term_str(out, x);
            fprintf(out, " and ");
            ps_term_str(out, y);
            fprintf(out, "  %s", pal.dim);
            for (uint32_t k = 0; k < l->nev; k++)
                fprintf(out, "%s%s", k ? "," : "",
                        ps_ev_kind_name((ps_ev_kind)a->lr->ev[l->ev_first + k].kind));
            fprintf(out, "%s\n", pal.reset);
        }
    }
    return n;
}

static bool has(const side *s, const char *item, const char *viewer)
{
    char buf[512];
    for (uint32_t i = 0; i < s->r->nexposures; i++) {
        const ps_exposure *x = &s->r->exposures[i];
        if (strcmp(s->m->items[x->item].name, item) == 0 &&
            strcmp(ps_viewer_name(s->m, x->viewer, buf, sizeof buf), viewer) == 0)
            return true;
    }
    return false;
}

/* Marks in `out` the exposures of `a` missing from `b`; returns how many. */
static uint32_t missing(const side *a, const side *b, bool *out)
{
    char v[512];
    uint32_t n = 0;
    for (uint32_t i = 0; i < a->r->nexposures; i++) {
        const ps_exposure *x = &a->r->exposures[i];
        ps_viewer_name(a->m, x->viewer, v, sizeof v);
        out[i] = !has(b, a->m->items[x->item].name, v);
        n += out[i];
    }
    return n;
}

static void print_text(FILE *out, const side *a, const bool *mark, char sign)
{
    char v[512], t[1024];
    ps_palette pal = ps_cli_palette(out);
    for (uint32_t i = 0; i < a->r->nexposures; i++) {
        if (!mark[i])
            continue;
        const ps_exposure *x = &a->r->exposures[i];
        ps_viewer_name(a->m, x->viewer, v, sizeof v);
        fprintf(out, "%s%c %-13s%s ", sign == '+' ? pal.red : pal.green, sign,
                ps_severity_name((ps_severity)x->severity), pal.reset);
        ps_term_str(out, v);
        fprintf(out, " sees ");
        ps_term_str(out, ps_item_text(a->m, x->item, t, sizeof t));
        fprintf(out, "  %s", pal.dim);
        ps_term_str(out, ps_path_shape_text(&x->path, t, sizeof t));
        fprintf(out, "%s\n", pal.reset);
    }
}

static void print_json(ps_json *j, const side *a, const bool *mark, bool added)
{
    char v[512], t[1024];
    for (uint32_t i = 0; i < a->r->nexposures; i++) {
        if (!mark[i])
            continue;
        const ps_exposure *x = &a->r->exposures[i];
        ps_json_object(j);
        ps_json_kstr(j, "change", added ? "added" : "removed");
        ps_json_kstr(j, "item", a->m->items[x->item].name);
        ps_json_kstr(j, "viewer", ps_viewer_name(a->m, x->viewer, v, sizeof v));
        ps_json_kstr(j, "severity", ps_severity_name((ps_severity)x->severity));
        ps_json_kstr(j, "shape", ps_path_shape_text(&x->path, t, sizeof t));
        ps_json_kstr(j, "fingerprint", ps_exposure_fingerprint(a->m, x, t, sizeof t));
        ps_json_object_end(j);
    }
}

/* A view of the new side's report holding only the marked exposures (no expectations);
 * returns the array it points to (the caller frees it; the rest is borrowed). */
static ps_exposure *new_only(const side *b, const bool *mark, uint32_t n, ps_report *only)
{
    *only = *b->r;
    ps_exposure *keep = malloc(((size_t)n + 1) * sizeof *keep);
    uint32_t k = 0;
    for (uint32_t i = 0; keep && i < b->r->nexposures; i++)
        if (mark[i])
            keep[k++] = b->r->exposures[i];
    only->exposures = keep;
    only->nexposures = k;
    only->nexpects = 0;
    memset(only->counts, 0, sizeof only->counts);
    for (uint32_t i = 0; i < k; i++)
        only->counts[keep[i].severity]++;
    return keep;
}

/* Writes `git show REV:./FILE` into a new temporary file; returns its path (the caller
 * unlinks and frees it), or NULL after printing an error. */
static char *git_show(const char *rev, const char *file)
{
    if (file[0] == '/') {
        ps_cli_usage_error("diff", "--git takes FILE relative to the current directory");
        return NULL;
    }
    size_t n = strlen(rev) + strlen(file) + 4;
    char *spec = malloc(n);
    const char *tmpdir = getenv("TMPDIR");
    size_t tn = (tmpdir && *tmpdir ? strlen(tmpdir) : 4) + 32;
    char *tmp = malloc(tn);
    if (!spec || !tmp) {
        free(spec);
        free(tmp);
        fprintf(stderr, "privsim diff: out of memory\n");
        return NULL;
    }
    snprintf(spec, n, "%s:./%s", rev, file);
    snprintf(tmp, tn, "%s/privsim-git-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    int fd = mkstemp(tmp);
    if (fd < 0) {
        fprintf(stderr, "privsim diff: cannot create a temporary file: %s\n", strerror(errno));
        free(spec);
        free(tmp);
        return NULL;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd, 1);
        execlp("git", "git", "show", spec, (char *)NULL);
        fprintf(stderr, "privsim diff: cannot run git: %s\n", strerror(errno));
        _exit(127);
    }
    close(fd);
    int st = 0;
    bool ok = pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
    if (!ok) {
        fprintf(stderr, "privsim diff: git show ");
        ps_term_str(stderr, spec);
        fprintf(stderr, " failed\n");
        unlink(tmp);
        free(tmp);
        tmp = NULL;
    }
    free(spec);
    return tmp;
}

int ps_cmd_diff(int argc, char **argv)
{
    static const struct option opts[] = {
        { "from", required_argument, NULL, 'F' },
        { "to", required_argument, NULL, 'T' },
        { "git", required_argument, NULL, 'g' },
        { "format", required_argument, NULL, 'f' },
        { "base-dir", required_argument, NULL, 'b' },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *from = NULL, *to = NULL, *rev = NULL, *base_dir = NULL, *output = NULL;
    ps_format fmt = PS_FMT_TEXT;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'F': from = optarg; break;
        case 'T': to = optarg; break;
        case 'g': rev = optarg; break;
        case 'b': base_dir = optarg; break;
        case 'o': output = optarg; break;
        case 'f': if (ps_cli_format("diff", optarg, PS_FMTS_ALL, &fmt)) return PS_EXIT_USAGE; break;
        case 'h': fputs(usage, stdout); return ps_cli_finish(PS_EXIT_OK);
        default: return ps_cli_usage_error("diff", "unknown option");
        }
    }
    int nfiles = argc - optind;
    if (rev && nfiles != 1)
        return ps_cli_usage_error("diff", "--git REV takes one scenario file");
    if (nfiles == 1 && !from && !to && !rev)
        return ps_cli_usage_error("diff", "give --from and/or --to, --git REV, or two files");
    if (nfiles < 1 || nfiles > 2)
        return ps_cli_usage_error("diff", "expected one scenario with --from/--to, or two");
    const char *fa = argv[optind], *fb = nfiles == 2 ? argv[optind + 1] : argv[optind];
    char *git_tmp = NULL, *git_name = NULL;
    if (rev) {
        if (!(git_tmp = git_show(rev, fb)))
            return PS_EXIT_USAGE;
        size_t n = strlen(rev) + strlen(fb) + 2;
        git_name = malloc(n);
        if (!git_name) {
            unlink(git_tmp);
            free(git_tmp);
            return PS_EXIT_INTERNAL;
        }
        snprintf(git_name, n, "%s:%s", rev, fb);
        fa = git_tmp;
    }
    side a = {0}, b = {0};
    ps_diag_init(&a.d);
    ps_diag_init(&b.d);
    int rc = load_side(&a, fa, git_name ? git_name : fa, from);
    if (!rc)
        rc = load_side(&b, fb, fb, to);
    if (git_tmp)
        unlink(git_tmp);
    bool *ma = NULL, *mb = NULL;
    uint32_t added = 0, removed = 0, ladded = 0;
    if (!rc) {
        ma = calloc((size_t)a.r->nexposures + 1, sizeof *ma);
        mb = calloc((size_t)b.r->nexposures + 1, sizeof *mb);
        if (!ma || !mb)
            rc = PS_EXIT_INTERNAL;
        else {
            added = missing(&b, &a, mb);
            removed = missing(&a, &b, ma);
        }
    }
    ps_output o;
    bool doc = !rc || (rc == PS_EXIT_USAGE && output && fmt == PS_FMT_SARIF);
    if (doc && ps_output_open(&o, output) == 0) {
        const side *bad = rc ? (a.m ? &b : &a) : NULL;
        const char *left = nfiles == 2 || rev ? a.name : a.m ? a.m->platform : fa;
        const char *right = nfiles == 2 || rev ? b.name : b.m ? b.m->platform : fb;
        if (fmt == PS_FMT_SARIF) {
            ps_sarif s;
            if (ps_sarif_begin(&s, o.f, ps_check_sarif_rules, PS_CHECK_NRULES, base_dir) == 0) {
                if (!rc) {
                    /* only the new exposures, at the statements of the new side */
                    ps_report only;
                    ps_exposure *keep = new_only(&b, mb, added, &only);
                    ps_report_sarif_results(&s, b.m, &only);
                    free(keep);
                }
                ps_sarif_end(&s, !rc, bad ? &bad->d : NULL, bad ? 1 : 0);
            }
        } else if (fmt == PS_FMT_JSON) {
            ps_json j;
            ps_json_init(&j, o.f, 1);
            ps_json_object(&j);
            ps_json_schema(&j, "diff", 1);
            ps_json_kstr(&j, "from", left);
            ps_json_kstr(&j, "to", right);
            ps_json_karray(&j, "changes");
            print_json(&j, &b, mb, true);
            print_json(&j, &a, ma, false);
            ps_json_array_end(&j);
            ps_json_kuint(&j, "added", added);
            ps_json_kuint(&j, "removed", removed);
            if (!rc && (a.lr || b.lr)) {
                ps_json_karray(&j, "linkage-changes");
                ladded = missing_links(o.f, &j, &b, &a, '+');
                uint32_t lremoved = missing_links(o.f, &j, &a, &b, '-');
                ps_json_array_end(&j);
                ps_json_kuint(&j, "linkages-added", ladded);
                ps_json_kuint(&j, "linkages-removed", lremoved);
            }
            ps_json_object_end(&j);
            ps_json_finish(&j);
        } else if (fmt == PS_FMT_GITHUB || fmt == PS_FMT_MARKDOWN) {
            ps_report only;
            ps_exposure *keep = new_only(&b, mb, added, &only);
            if (fmt == PS_FMT_GITHUB)
                ps_report_print_github(o.f, b.m, &only, base_dir);
            else
                ps_report_print_markdown(o.f, b.m, &only);
            free(keep);
        } else {
            fprintf(o.f, "exposures under ");
            ps_term_str(o.f, right);
            fprintf(o.f, " compared with ");
            ps_term_str(o.f, left);
            fprintf(o.f, ":\n");
            print_text(o.f, &b, mb, '+');
            print_text(o.f, &a, ma, '-');
            fprintf(o.f, "%u added, %u removed\n", (unsigned)added, (unsigned)removed);
            if (a.lr || b.lr) {
                fprintf(o.f, "linkages of persons' accounts:\n");
                ladded = missing_links(o.f, NULL, &b, &a, '+');
                uint32_t lremoved = missing_links(o.f, NULL, &a, &b, '-');
                fprintf(o.f, "%u linkages added, %u removed\n", (unsigned)ladded,
                        (unsigned)lremoved);
            }
        }
        if (ps_output_close(&o, true) && !rc)
            rc = PS_EXIT_INTERNAL;
    }
    if (!rc)
        rc = added || ladded ? PS_EXIT_FINDINGS : PS_EXIT_OK;
    free(ma);
    free(mb);
    free(git_tmp);
    free(git_name);
    ps_report_free(a.r);
    ps_report_free(b.r);
    ps_linkage_report_free(a.lr);
    ps_linkage_report_free(b.lr);
    ps_model_free(a.m);
    ps_model_free(b.m);
    ps_diag_free(&a.d);
    ps_diag_free(&b.d);
    return rc > PS_EXIT_FINDINGS ? rc : ps_cli_finish(rc);
}
