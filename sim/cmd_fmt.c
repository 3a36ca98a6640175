/* cmd_fmt.c - `privsim fmt FILE`: print a scenario in canonical form.
 *
 * The canonical form is ps_print_scenario()'s.  The comment block at the top of the file
 * (the `#` lines before the first statement, which by convention say what the scenario
 * shows) is kept as written; every other comment is dropped, because the statements move
 * to their canonical places and a comment would no longer sit beside what it describes.
 */
#include "cli.h"
#include "cmd_lang.h"
#include "parse.h"
#include "print.h"

#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: privsim fmt [-o OUT] [--check] FILE\n"
    "\n"
    "Prints the scenario FILE (\"-\" reads standard input) in canonical form: sections in a\n"
    "fixed order (platform, rules, users, friendships, networks, groups, lists, personas,\n"
    "apps, items, fields, settings, steps, expects, varies), names sorted where the order\n"
    "does not matter, columns aligned.  The comment block at the top of the file is kept;\n"
    "other comments are dropped.  A file with errors is not printed.\n"
    "\n"
    "options:\n"
    "  -o OUT      write to OUT (through a temporary file renamed into place)\n"
    "  --check     print nothing; exit 1 when FILE is not in canonical form\n"
    "  -h, --help  show this help\n"
    "\n"
    "Exit status: 0 done (or already canonical), 1 not canonical (--check), 2 errors in\n"
    "FILE or bad usage, 3 internal error.\n";

/* The length of the comment block at the top of buf: every line up to the first one that
 * holds a statement, without the blank lines that end the block. */
static size_t header_length(const char *buf, size_t len)
{
    size_t at = 0, end = 0;
    while (at < len) {
        size_t i = at;
        while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r'))
            i++;
        const char *nl = memchr(buf + at, '\n', len - at);
        size_t next = nl ? (size_t)(nl - buf) + 1 : len;
        if (i < len && buf[i] == '#')
            end = next;
        else if (i < len && buf[i] != '\n')
            break;
        at = next;
    }
    return end;
}

int ps_fmt_buffer(const char *path, const char *buf, size_t len, FILE *out, ps_diag *d)
{
    ps_model *m;
    if (ps_parse_buffer(path, buf, len, &m, d))
        return -1;
    size_t h = header_length(buf, len);
    if (h) {
        fwrite(buf, 1, h, out);
        if (buf[h - 1] != '\n')
            fputc('\n', out);
        fputc('\n', out);
    }
    int r = ps_print_scenario(out, m);
    ps_model_free(m);
    return r;
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

int ps_cmd_fmt(int argc, char **argv)
{
    const char *cmd = "fmt", *outpath = NULL, *file = NULL;
    bool check = false, opts = true;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (opts && strcmp(a, "--") == 0) {
            opts = false;
        } else if (opts && (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
            fputs(usage_text, stdout);
            return ps_cli_finish(PS_EXIT_OK);
        } else if (opts && strcmp(a, "-o") == 0) {
            if (i + 1 >= argc)
                return ps_cli_usage_error(cmd, "-o needs a file name");
            outpath = argv[++i];
        } else if (opts && strcmp(a, "--check") == 0) {
            check = true;
        } else if (opts && a[0] == '-' && a[1] != 0) {
            return ps_cli_usage_error(cmd, "unknown option '%s'", a);
        } else if (file) {
            return ps_cli_usage_error(cmd, "one scenario file at a time");
        } else {
            file = a;
        }
    }
    if (!file)
        return ps_cli_usage_error(cmd, "no scenario file given");
    if (check && outpath)
        return ps_cli_usage_error(cmd, "--check writes nothing; drop -o");

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
    if (!text) {
        rc = d.oom ? PS_EXIT_INTERNAL : PS_EXIT_USAGE;
    } else if (check) {
        if (tlen != len || memcmp(text, buf, len) != 0) {
            fputs("privsim fmt: ", stderr);
            ps_write_escaped(stderr, ps_display_path(file), strlen(ps_display_path(file)),
                             false);
            fputs(" is not in canonical form\n", stderr);
            rc = PS_EXIT_FINDINGS;
        }
    } else {
        ps_output o;
        int orc = ps_output_open(&o, outpath);
        if (orc != 0) {
            rc = orc;
        } else {
            fwrite(text, 1, tlen, o.f);
            if (ps_output_close(&o, true) != 0)
                rc = PS_EXIT_INTERNAL;
        }
    }
    free(buf);
    free(text);
    ps_diag_free(&d);
    return ps_cli_finish(rc);
}
