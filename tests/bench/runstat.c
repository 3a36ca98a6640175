/* runstat.c - runs one command of `make bench` and records what it cost.
 *
 *   runstat OUT LIMIT COMMAND [ARGS...]
 *
 * Runs COMMAND (standard streams inherited) in a process group of its own, stops it when it
 * has used LIMIT seconds of CPU time (RLIMIT_CPU: on a loaded machine a wall-clock limit
 * would stop commands that merely waited for a core) or, as a safety net, when it has run
 * 4 * LIMIT seconds of wall-clock time, and writes one line to the file OUT:
 *   "CPU WALL PEAK STATUS"
 * CPU = user + system seconds of the command and every process it waited for (microseconds,
 * from wait4), WALL = elapsed seconds, PEAK = the largest resident set in kB, STATUS = the
 * exit status, or "timeout", or "signal N".  /usr/bin/time rounds CPU time to 10 ms, too
 * coarse for the small workloads.  An interrupt (SIGINT, SIGTERM, SIGHUP) stops the command's
 * group too.  Exit status: 0 when the line was written, 128 + the signal when interrupted,
 * 2 otherwise.
 * Built and run by `make bench` only.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static volatile sig_atomic_t expired, interrupted;

static void on_alarm(int sig)
{
    (void)sig;
    expired = 1;
}

/* Ctrl-C or a kill reaches runstat, not the command's own process group: pass it on. */
static void on_interrupt(int sig)
{
    interrupted = sig;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: runstat OUT LIMIT COMMAND [ARGS...]\n");
        return 2;
    }
    char *end;
    long limit = strtol(argv[2], &end, 10);
    if (*end || limit < 1) {
        fprintf(stderr, "runstat: LIMIT must be a whole number of seconds\n");
        return 2;
    }
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0) {
        perror("runstat: fork");
        return 2;
    }
    if (pid == 0) {
        setpgid(0, 0);
        struct rlimit rl = { (rlim_t)limit, (rlim_t)limit + 5 };
        setrlimit(RLIMIT_CPU, &rl);
        execvp(argv[3], argv + 3);
        fprintf(stderr, "runstat: cannot run %s: %s\n", argv[3], strerror(errno));
        _exit(127);
    }
    setpgid(pid, pid);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    sa.sa_handler = on_interrupt;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    alarm((unsigned)(4 * limit));

    int status = 0;
    struct rusage ru;
    again:
    if (wait4(pid, &status, 0, &ru) < 0) {
        if (errno == EINTR) {
            if (expired || interrupted)
                kill(-pid, SIGKILL);
            goto again;
        }
        perror("runstat: wait4");
        return 2;
    }
    double wall = now() - t0;
    kill(-pid, SIGKILL); /* whatever the command left running in its group */
    if (interrupted)
        return 128 + interrupted;
    FILE *out = fopen(argv[1], "w");
    if (!out) {
        perror(argv[1]);
        return 2;
    }
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    fprintf(out, "%.6f %.6f %ld ", cpu, wall, (long)ru.ru_maxrss);
    if (expired || (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU))
        fprintf(out, "timeout\n");
    else if (WIFSIGNALED(status))
        fprintf(out, "signal %d\n", WTERMSIG(status));
    else
        fprintf(out, "%d\n", WEXITSTATUS(status));
    return fclose(out) == 0 ? 0 : 2;
}
