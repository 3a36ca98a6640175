/* cli.c - helpers shared by the privsim commands (see cli.h). */
#include "cli.h"
#include "atomic.h"
#include "print.h"
#include "runlimits.h"
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
    static const char *const names[] = { "text", "json", "sarif", "github", "markdown" };
    enum { N = sizeof names / sizeof names[0] };
    for (int i = 0; i < N; i++)
        if ((allowed & (1u << i)) && strcmp(value, names[i]) == 0) {
            *out = (ps_format)i;
            return 0;
        }
    char list[128] = "";
    size_t len = 0;
    for (int i = 0; i < N; i++)
        if (allowed & (1u << i)) {
            int w = snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "", names[i]);
            if (w > 0 && (size_t)w < sizeof list - len)
                len += (size_t)w;
        }
    ps_cli_usage_error(cmd, "unknown format '%s' (choose %s)", value, list);
    return -1;
}

int ps_cli_seed(const char *cmd, const char *value, uint64_t *out)
{
    char *end;
    errno = 0;
    *out = strtoull(value, &end, 0);
    if (!*value || *end || errno || value[0] == '-')
        return ps_cli_usage_error(cmd, "--seed takes a whole number, not '%s'", value);
    return 0;
}

int ps_cli_load_diag(const char *path, const char *shown, const char *platform, ps_model **out,
                     ps_diag *d)
{
    *out = NULL;
    ps_input_note(path);
    ps_limits_note("reading the scenario", 0, 0);
    char *buf = NULL;
    size_t len = 0;
    int r;
    if (shown && strcmp(shown, path) != 0) {
        r = ps_read_file(path, &buf, &len, d);
        if (r == 0)
            r = ps_parse_buffer(shown, buf, len, out, d);
        free(buf);
    } else {
        r = ps_parse_file(path, out, d);
    }
    ps_diag_print(d, stderr, ps_diag_want_color(stderr));
    if (r != 0 || !*out) {
        ps_model_free(*out);
        *out = NULL;
        return d->oom ? PS_EXIT_INTERNAL : PS_EXIT_USAGE;
    }
    if (ps_cli_set_platform(NULL, *out, platform) != PS_EXIT_OK) {
        ps_model_free(*out);
        *out = NULL;
        return PS_EXIT_USAGE;
    }
    return PS_EXIT_OK;
}

int ps_cli_set_platform(const char *cmd, ps_model *m, const char *platform)
{
    if (!platform || ps_model_set_platform(m, platform) == 0)
        return PS_EXIT_OK;
    fprintf(stderr, "privsim%s%s: unknown platform '%s'; the presets are:", cmd ? " " : "",
            cmd ? cmd : "", platform);
    for (const char *const *p = ps_platform_names(); *p; p++)
        fprintf(stderr, " %s", *p);
    fprintf(stderr, "\n");
    return PS_EXIT_USAGE;
}

int ps_cli_write_scenario(const char *cmd, const char *output, const ps_model *m)
{
    ps_output o;
    int orc = ps_output_open(&o, output);
    if (orc)
        return ps_cli_output_status(orc);
    bool ok = ps_print_scenario(o.f, m) == 0;
    if (!ok)
        fprintf(stderr, "privsim %s: cannot write the scenario\n", cmd);
    if (ps_output_close(&o, ok) || !ok)
        return PS_EXIT_INTERNAL;
    return PS_EXIT_OK;
}

int ps_cli_load(const char *path, const char *platform, ps_model **out)
{
    ps_diag d;
    ps_diag_init(&d);
    int rc = ps_cli_load_diag(path, NULL, platform, out, &d);
    ps_diag_free(&d);
    return rc;
}

int ps_cli_finish(int code)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "privsim: error writing the output: %s\n", strerror(errno));
        return PS_EXIT_INTERNAL;
    }
    return code;
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

void ps_timing_start(ps_timing *t, const char *cmd, bool on)
{
    memset(t, 0, sizeof *t);
    t->cmd = cmd;
    t->on = on;
    if (on) {
        t->cpu = cpu_seconds();
        t->wall = now_seconds();
    }
}

void ps_timing_mark(ps_timing *t, const char *name)
{
    if (!t->on || t->n == PS_TIMING_PHASES)
        return;
    double cpu = cpu_seconds(), wall = now_seconds();
    t->name[t->n] = name;
    t->dcpu[t->n] = cpu - t->cpu;
    t->dwall[t->n] = wall - t->wall;
    t->n++;
    t->cpu = cpu;
    t->wall = wall;
}

void ps_timing_print(const ps_timing *t)
{
    if (!t->on)
        return;
    fprintf(stderr, "privsim %s: timing:", t->cmd);
    for (int i = 0; i < t->n; i++)
        fprintf(stderr, "%s %s %.4f s CPU (%.4f s wall)", i ? "," : "", t->name[i], t->dcpu[i],
                t->dwall[i]);
    fputc('\n', stderr);
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
