/* cli.c - helpers shared by the privsim commands (see cli.h). */
#include "cli.h"
#include "atomic.h"
#include "limits.h"
#include "diag.h"
#include "engine.h"
#include "parse.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

int ps_cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "privsim %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'privsim %s --help'.\n", cmd);
    return PS_EXIT_USAGE;
}

int ps_cli_format(const char *cmd, const char *value, unsigned allowed, ps_format *out)
{
    static const char *const names[] = { "text", "json", "sarif" };
    for (int i = 0; i < 3; i++)
        if ((allowed & (1u << i)) && strcmp(value, names[i]) == 0) {
            *out = (ps_format)i;
            return 0;
        }
    ps_cli_usage_error(cmd, "unknown format '%s' (choose %s%s%s)", value,
                       "text", allowed & 2 ? ", json" : "", allowed & 4 ? ", sarif" : "");
    return -1;
}

int ps_cli_load(const char *path, const char *platform, ps_model **out)
{
    ps_diag d;
    ps_diag_init(&d);
    *out = NULL;
    ps_input_note(path);
    ps_limits_note("reading the scenario", 0, 0);
    int r = ps_parse_file(path, out, &d);
    ps_diag_print(&d, stderr, ps_diag_want_color(stderr));
    bool oom = d.oom;
    ps_diag_free(&d);
    if (r != 0 || !*out)
        return oom ? PS_EXIT_INTERNAL : PS_EXIT_USAGE;
    if (platform && ps_model_set_platform(*out, platform) != 0) {
        fprintf(stderr, "privsim: unknown platform '%s'; the presets are:", platform);
        for (const char *const *p = ps_platform_names(); *p; p++)
            fprintf(stderr, " %s", *p);
        fprintf(stderr, "\n");
        ps_model_free(*out);
        *out = NULL;
        return PS_EXIT_USAGE;
    }
    return PS_EXIT_OK;
}

void ps_json_str(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    putc_unlocked('"', out);
    for (;;) {
        /* write the run of characters that need no escape in one go */
        const unsigned char *run = p;
        while (*p >= 0x20 && *p != '"' && *p != '\\' && *p != 0x7f)
            p++;
        if (p > run)
            fwrite(run, 1, (size_t)(p - run), out);
        if (!*p)
            break;
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default: fprintf(out, "\\u%04x", *p);
        }
        p++;
    }
    putc_unlocked('"', out);
}

void ps_term_str(FILE *out, const char *s)
{
    ps_write_escaped(out, s, strlen(s), false);
}

int ps_cli_finish(int code)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "privsim: error writing the output: %s\n", strerror(errno));
        return PS_EXIT_INTERNAL;
    }
    return code;
}

int ps_output_open(ps_output *o, const char *path)
{
    memset(o, 0, sizeof *o);
    if (!path || strcmp(path, "-") == 0) {
        o->f = stdout;
        return 0;
    }
    ps_atomic_file a;
    if (ps_atomic_open(&a, path) != 0) {
        if (errno == EEXIST) {
            fputs("privsim: refusing to write the output over the input file '", stderr);
            ps_term_str(stderr, path);
            fputs("'; choose another output file\n", stderr);
            return PS_EXIT_USAGE;
        }
        fputs("privsim: cannot write '", stderr);
        ps_term_str(stderr, path);
        fprintf(stderr, "': %s\n", errno == ENOMEM ? "out of memory" : strerror(errno));
        return PS_EXIT_INTERNAL;
    }
    o->f = a.f;
    o->path = a.path;
    o->tmp = a.tmp;
    return 0;
}

int ps_output_close(ps_output *o, bool ok)
{
    if (o->f == stdout || !o->f)
        return 0;
    ps_atomic_file a = { o->f, o->path, o->tmp };
    char *path = strdup(o->path);
    memset(o, 0, sizeof *o);
    if (!ok) {
        ps_atomic_abort(&a);
        free(path);
        return 0;
    }
    int rc = 0;
    if (ps_atomic_commit(&a) != 0) {
        fputs("privsim: cannot write '", stderr);
        ps_term_str(stderr, path ? path : "?");
        fprintf(stderr, "': %s\n", strerror(errno));
        rc = -1;
    }
    free(path);
    return rc;
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

void ps_progress_init(ps_progress *p, const char *cmd)
{
    p->cmd = cmd;
    p->start = now_seconds();
    p->last = 0;
    p->tty = isatty(STDERR_FILENO) != 0;
    p->shown = false;
}

void ps_progress_update(void *payload, const char *phase, uint64_t done, uint64_t total)
{
    ps_progress *p = payload;
    ps_limits_note(phase, done, total); /* what --max-time reports if it stops the run */
    if (!p->tty)
        return;
    double t = now_seconds() - p->start;
    if (t < 0.5 || t - p->last < 0.1) /* from half a second on, ten times a second */
        return;
    p->last = t;
    if (total)
        fprintf(stderr, "\rprivsim %s: %s, %llu of %llu (%u%%), %.1f s\033[K", p->cmd, phase,
                (unsigned long long)done, (unsigned long long)total,
                (unsigned)(done * 100 / total), t);
    else
        fprintf(stderr, "\rprivsim %s: %s, %llu, %.1f s\033[K", p->cmd, phase,
                (unsigned long long)done, t);
    p->shown = true;
}

void ps_progress_end(ps_progress *p)
{
    if (p->shown)
        fputs("\r\033[K", stderr);
    p->shown = false;
}

ps_palette ps_cli_palette(FILE *out)
{
    ps_palette p = { "", "", "", "", "", "", "", "" };
    if (ps_diag_want_color(out)) {
        p.bold = "\033[1m";
        p.dim = "\033[2m";
        p.red = "\033[31m";
        p.yellow = "\033[33m";
        p.magenta = "\033[35m";
        p.cyan = "\033[36m";
        p.green = "\033[32m";
        p.reset = "\033[0m";
    }
    return p;
}

static const char *ns_word(ps_namespace ns)
{
    switch (ns) {
    case PS_NS_USER: return "user";
    case PS_NS_ITEM: return "item";
    case PS_NS_APP: return "app";
    case PS_NS_GROUP: return "group";
    case PS_NS_NETWORK: return "network";
    default: return "name";
    }
}

uint32_t ps_cli_find(const char *cmd, const ps_model *m, ps_namespace ns, const char *name)
{
    uint32_t i = ps_model_find(m, ns, 0, name, strlen(name));
    if (i != PS_NONE)
        return i;
    const char *s = ps_model_suggest(m, ns, 0, name, strlen(name));
    fprintf(stderr, "privsim %s: no %s '", cmd, ns_word(ns));
    ps_term_str(stderr, name);
    fprintf(stderr, "' in the scenario");
    if (s) {
        fprintf(stderr, "; did you mean '");
        ps_term_str(stderr, s);
        fprintf(stderr, "'?");
    }
    fprintf(stderr, "\n");
    return PS_NONE;
}

uint32_t ps_cli_viewer(const char *cmd, const ps_model *m, const char *name)
{
    if (strcmp(name, "internet") == 0)
        return ps_viewer_internet(m);
    if (strncmp(name, "app:", 4) == 0) {
        uint32_t a = ps_cli_find(cmd, m, PS_NS_APP, name + 4);
        return a == PS_NONE ? PS_NONE : ps_viewer_app(m, a);
    }
    return ps_cli_find(cmd, m, PS_NS_USER, name);
}

uint32_t ps_cli_item(const char *cmd, ps_model *m, const char *name)
{
    uint32_t i = ps_model_find(m, PS_NS_ITEM, 0, name, strlen(name));
    if (i != PS_NONE)
        return i;
    const char *dot = strchr(name, '.');
    if (dot) {
        int f = ps_category_find(dot + 1, strlen(dot + 1));
        uint32_t u = ps_model_find(m, PS_NS_USER, 0, name, (size_t)(dot - name));
        if (u != PS_NONE && f >= 0 && f < PS_NFIELDS)
            return ps_model_field_item(m, u, (ps_field)f);
        if (u != PS_NONE) {
            fprintf(stderr, "privsim %s: no profile field '", cmd);
            ps_term_str(stderr, dot + 1);
            fprintf(stderr, "' (fields: birthday hometown city employer school relationship "
                            "email phone friendlist likes groups name picture gender networks)\n");
            return PS_NONE;
        }
    }
    return ps_cli_find(cmd, m, PS_NS_ITEM, name);
}
