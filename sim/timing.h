/* timing.h - CPU time of the phases of a run, for benchmarks.
 *
 * With PRIVSIM_TIMINGS set in the environment, reading a scenario and simulating it each
 * print one line on stderr: "privsim: timing: PHASE CPU-SECONDS" (CPU time of every thread of
 * the process), so that a benchmark can tell loading from computing within one run.
 */
#ifndef PS_TIMING_H
#define PS_TIMING_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* CPU seconds used by the process so far (every thread). */
static inline double ps_cpu_seconds(void)
{
    struct timespec t;
    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t))
        return 0;
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Prints the CPU time since `start` for `phase`, when PRIVSIM_TIMINGS is set. */
static inline void ps_timing_report(const char *phase, double start)
{
    const char *t = getenv("PRIVSIM_TIMINGS");
    if (t && *t)
        fprintf(stderr, "privsim: timing: %s %.6f\n", phase, ps_cpu_seconds() - start);
}

#endif
