/* runlimits.c - --max-time and --max-memory (see runlimits.h). */
#include "runlimits.h"
#include "atomic.h"
#include "fix_budget.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static const char *limit_cmd = "privsim";
static double limit_time;
static uint64_t limit_memory;
static struct timespec started;

/* The progress so far: written by the thread that works, read by the watchdog. */
static _Atomic(const char *) note_phase;
static atomic_uint_fast64_t note_done, note_total;

void ps_limits_note(const char *phase, uint64_t done, uint64_t total)
{
    atomic_store(&note_phase, phase);
    atomic_store(&note_done, done);
    atomic_store(&note_total, total);
}

int ps_limits_parse_time(const char *cmd, const char *value, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(value, &end);
    if (end == value || *end || errno || !(v > 0) || !isfinite(v) || v > 1e9) {
        fprintf(stderr, "privsim %s: --max-time takes a positive number of seconds, not '%s'\n"
                        "Try 'privsim %s --help'.\n", cmd, value, cmd);
        return -1;
    }
    *out = v;
    return 0;
}

int ps_limits_parse_memory(const char *cmd, const char *value, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = value[0] >= '0' && value[0] <= '9' ? strtoull(value, &end, 10) : 0;
    int shift = -1;
    if (v && !errno) {
        if (!*end)
            shift = 0;
        else if (!end[1] && (*end == 'K' || *end == 'k'))
            shift = 10;
        else if (!end[1] && (*end == 'M' || *end == 'm'))
            shift = 20;
        else if (!end[1] && (*end == 'G' || *end == 'g'))
            shift = 30;
    }
    if (shift < 0 || v > (UINT64_MAX >> shift) || (v << shift) < ((uint64_t)16 << 20)) {
        fprintf(stderr, "privsim %s: --max-memory takes a size of at least 16M (bytes, or a "
                        "number with K, M or G), not '%s'\nTry 'privsim %s --help'.\n",
                cmd, value, cmd);
        return -1;
    }
    *out = (uint64_t)v << shift;
    return 0;
}

/* Commands that take the options: 2 both, 1 only --max-memory. */
static int takes_limits(const char *cmd)
{
    static const char *const both[] = { "check", "audience", "view-as", "explain", "diff",
                                        "viz", "report", "import", "gen", NULL };
    for (const char *const *c = both; *c; c++)
        if (strcmp(cmd, *c) == 0)
            return 2;
    return strcmp(cmd, "fuzz") == 0 ? 1 : 0;
}

int ps_limits_from_args(int *argc, char **argv)
{
    const char *cmd = argv[0];
    int which = takes_limits(cmd);
    if (!which)
        return 0;
    ps_limits l = { 0, 0 };
    bool any = false;
    int w = 1;
    for (int i = 1; i < *argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            while (i < *argc)
                argv[w++] = argv[i++];
            break;
        }
        bool time_opt = which == 2 && strncmp(a, "--max-time", 10) == 0 &&
                        (a[10] == 0 || a[10] == '=');
        bool mem_opt = strncmp(a, "--max-memory", 12) == 0 && (a[12] == 0 || a[12] == '=');
        if (!time_opt && !mem_opt) {
            argv[w++] = argv[i];
            continue;
        }
        const char *v = strchr(a, '=');
        if (v)
            v++;
        else if (i + 1 < *argc)
            v = argv[++i];
        else {
            fprintf(stderr, "privsim %s: %s needs a value\nTry 'privsim %s --help'.\n", cmd,
                    time_opt ? "--max-time" : "--max-memory", cmd);
            return 2;
        }
        if (time_opt ? ps_limits_parse_time(cmd, v, &l.max_time)
                     : ps_limits_parse_memory(cmd, v, &l.max_memory))
            return 2;
        any = true;
    }
    argv[w] = NULL;
    *argc = w;
    return any && ps_limits_start(cmd, &l) ? 3 : 0;
}

static double elapsed(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - started.tv_sec) + (double)(t.tv_nsec - started.tv_nsec) * 1e-9;
}

/* ", while PHASE (D of T done)" or "" into buf. */
static void how_far(char *buf, size_t cap)
{
    const char *phase = atomic_load(&note_phase);
    uint64_t done = atomic_load(&note_done), total = atomic_load(&note_total);
    if (!phase)
        snprintf(buf, cap, "; no progress was reported before");
    else if (!done && !total)
        snprintf(buf, cap, ", while %s", phase);
    else if (total)
        snprintf(buf, cap, ", while %s: %llu of %llu done", phase, (unsigned long long)done,
                 (unsigned long long)total);
    else
        snprintf(buf, cap, ", while %s: %llu done", phase, (unsigned long long)done);
}

const char *ps_limits_describe(char *buf, size_t cap)
{
    char far[256];
    how_far(far, sizeof far);
    if (limit_memory)
        snprintf(buf, cap, "privsim %s: out of memory (--max-memory %llu bytes) after %.1f s%s; "
                           "nothing was written\n", limit_cmd,
                 (unsigned long long)limit_memory, elapsed(), far);
    else
        snprintf(buf, cap, "privsim: out of memory\n");
    return buf;
}

static void *watchdog(void *arg)
{
    struct timespec t = { (time_t)limit_time,
                          (long)((limit_time - floor(limit_time)) * 1e9) };
    while (nanosleep(&t, &t) != 0 && errno == EINTR)
        ;
    char far[256], msg[512];
    how_far(far, sizeof far);
    int n = snprintf(msg, sizeof msg, "privsim %s: stopped by --max-time %g after %.1f s%s; "
                                      "nothing was written\n", limit_cmd, limit_time, elapsed(),
                     far);
    if (n > 0 && write(STDERR_FILENO, msg, (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1))
        {
        }
    ps_atomic_discard_pending();
    _exit(3);
    return arg;
}

int ps_limits_start(const char *cmd, const ps_limits *l)
{
    limit_cmd = cmd;
    clock_gettime(CLOCK_MONOTONIC, &started);
    if (l->max_memory) {
        struct rlimit r = { (rlim_t)l->max_memory, (rlim_t)l->max_memory };
        struct rlimit cur;
        if (getrlimit(RLIMIT_AS, &cur) == 0 && cur.rlim_max != RLIM_INFINITY &&
            r.rlim_max > cur.rlim_max)
            r.rlim_cur = r.rlim_max = cur.rlim_max;
        if (setrlimit(RLIMIT_AS, &r) != 0) {
            fprintf(stderr, "privsim %s: cannot limit the memory: %s\n", cmd, strerror(errno));
            return -1;
        }
        limit_memory = l->max_memory;
    }
    if (l->max_time > 0) {
        limit_time = l->max_time;
        ps_fix_budget_set(l->max_time * 0.75); /* so that a check ends with its report */
        pthread_t t;
        pthread_attr_t a;
        pthread_attr_init(&a);
        pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
        pthread_attr_setstacksize(&a, 64 * 1024);
        int rc = pthread_create(&t, &a, watchdog, NULL);
        pthread_attr_destroy(&a);
        if (rc != 0) {
            fprintf(stderr, "privsim %s: cannot watch the time: %s\n", cmd, strerror(rc));
            return -1;
        }
    }
    return 0;
}
