/* cmd_fmt.c - `privsim fmt FILE`: print a scenario in canonical form.
 *
 * The canonical form is ps_print_scenario()'s, with every comment kept where it belongs
 * (fmt_comments.h): the block at the top as written, the others above or beside the
 * statement they stood above or beside.
 */
#include "cli.h"
#include "atomic.h"
#include "cmd_lang.h"
#include "parse.h"
#include "print.h"
#include "fmt_comments.h"
#include "scenarios.h"

#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: privsim fmt [-o OUT] FILE\n"
    "       privsim fmt --check | --write FILE|DIR...\n"
    "\n"
    "Prints the scenario FILE (\"-\" reads standard input) in canonical form: sections in a\n"
    "fixed order (platform, rules, users, friendships, networks, groups, lists, personas,\n"
    "apps, items, fields, settings, steps, expects, varies), names sorted where the order\n"
    "does not matter, columns aligned.  Comments are kept: the block at the top of the file\n"
    "stays at the top; any other comment stays above or beside the statement it stood\n"
    "above or beside (statements that merge into one line gather their comments).  A file\n"
    "with errors is not printed.  A directory stands for every .psim file under it.\n"
    "\n"
    "options:\n"
    "  -o OUT      write to OUT (through a temporary file renamed into place)\n"
    "  --check     print nothing; exit 1 when a file is not in canonical form (each one\n"
    "              is named on standard error)\n"
    "  -w, --write rewrite each file that is not in canonical form, in place (atomically)\n"
    "  -h, --help  show this help\n"
    "\n"
    "Exit status: 0 done (or already canonical), 1 not canonical (--check), 2 errors in\n"
    "FILE or bad usage, 3 internal error.\n";

int ps_fmt_buffer(const char *path, const char *buf, size_t len, FILE *out, ps_diag *d)
{
    return ps_fmt_with_comments(path, buf, len, out, d) == 0 ? 0 : -1;
}

/* Formats into memory: the text (caller frees) or NULL. */
static char *format_to_memory(const char *path, const char *buf, size_t len, size_t *outlen,
                              ps_diag *d)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, outlen);
    if (!f)
        return NULL;
    int r = ps_fmt_buffer(path, buf, len, f, d);
    if (fclose(f) != 0 || r != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* Formats one file: to `outpath` (NULL: stdout), back into the file (`write`), or only
 * compared (`check`).  Returns its exit status. */
static int fmt_one(const char *file, const char *outpath, bool check, bool write)
{
    ps_diag d;
    ps_diag_init(&d);
    char *buf = NULL, *text = NULL;
    size_t len, tlen = 0;
    int rc = PS_EXIT_OK;
    if (ps_read_file(file, &buf, &len, &d) == 0) {
        text = format_to_memory(ps_display_path(file), buf, len, &tlen, &d);
        if (!text && !ps_diag_nerrors(&d))
            ps_diag_error(&d, (ps_loc){0, 0}, "out of memory");
    }
    ps_diag_print(&d, stderr, ps_diag_want_color(stderr));
    bool same = text && tlen == len && memcmp(text, buf, len) == 0;
    if (!text) {
        rc = d.oom ? PS_EXIT_INTERNAL : PS_EXIT_USAGE;
    } else if (check) {
        if (!same) {
            fputs("privsim fmt: ", stderr);
            ps_write_escaped(stderr, ps_display_path(file), strlen(ps_display_path(file)),
                             false);
            fputs(" is not in canonical form\n", stderr);
            rc = PS_EXIT_FINDINGS;
        }
    } else if (!(write && same)) {
        ps_output o;
        /* the text is in memory: writing it over the file it came from is formatting in place */
        ps_input_forget();
        int orc = ps_output_open(&o, write ? file : outpath);
        if (orc != 0) {
            rc = orc == PS_OUTPUT_REFUSED ? PS_EXIT_USAGE : PS_EXIT_INTERNAL;
        } else {
            fwrite(text, 1, tlen, o.f);
            if (ps_output_close(&o, true) != 0)
                rc = PS_EXIT_INTERNAL;
        }
    }
    free(buf);
    free(text);
    ps_diag_free(&d);
    return rc;
}

int ps_cmd_fmt(int argc, char **argv)
{
    const char *cmd = "fmt", *outpath = NULL;
    bool check = false, write = false, opts = true;
    int nfiles = 0;
    char **files = calloc((size_t)argc + 1, sizeof *files);
    if (!files)
        return PS_EXIT_INTERNAL;
    int rc = PS_EXIT_OK;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (opts && strcmp(a, "--") == 0) {
            opts = false;
        } else if (opts && (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
            fputs(usage_text, stdout);
            free(files);
            return ps_cli_finish(PS_EXIT_OK);
        } else if (opts && strcmp(a, "-o") == 0) {
            if (i + 1 >= argc) {
                free(files);
                return ps_cli_usage_error(cmd, "-o needs a file name");
            }
            outpath = argv[++i];
        } else if (opts && strcmp(a, "--check") == 0) {
            check = true;
        } else if (opts && (strcmp(a, "-w") == 0 || strcmp(a, "--write") == 0)) {
            write = true;
        } else if (opts && a[0] == '-' && a[1] != 0) {
            free(files);
            return ps_cli_usage_error(cmd, "unknown option '%s'", a);
        } else {
            files[nfiles++] = argv[i];
        }
    }
    ps_scenarios list = {0};
    if (!nfiles)
        rc = ps_cli_usage_error(cmd, "no scenario file given");
    else if (check && (outpath || write))
        rc = ps_cli_usage_error(cmd, "--check writes nothing; drop %s", write ? "--write" : "-o");
    else if (write && outpath)
        rc = ps_cli_usage_error(cmd, "--write rewrites each file; drop -o");
    else {
        int xr = ps_scenarios_expand(&list, cmd, nfiles, files);
        if (xr)
            rc = xr == -2 ? PS_EXIT_INTERNAL : PS_EXIT_USAGE;
        else if (list.n > 1 && !check && !write)
            rc = ps_cli_usage_error(cmd, "several files: give --check or --write");
    }
    for (size_t i = 0; !rc && i < list.n; i++)
        if (write && strcmp(list.paths[i], "-") == 0)
            rc = ps_cli_usage_error(cmd, "--write cannot rewrite standard input");
    if (!rc)
        for (size_t i = 0; i < list.n; i++) {
            int r = fmt_one(list.paths[i], outpath, check, write);
            if (r > rc)
                rc = r;
        }
    ps_scenarios_free(&list);
    free(files);
    return rc == PS_EXIT_USAGE && !list.n ? rc : ps_cli_finish(rc);
}
