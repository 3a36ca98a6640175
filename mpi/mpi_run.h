/* mpi_run.h - privsim over MPI: `check` and `fuzz` split across the processes of one run.
 *
 * In mpi/, built only by `make MPI=1` (which defines PRIVSIM_MPI); the default build has no MPI.
 * Every process (an MPI rank, started by mpirun, srun or any launcher) runs the same command
 * line.  `check` evaluates, on each process, the items whose owner % processes == rank;
 * `fuzz` searches each process's share of the points (fuzzer.h: ps_fuzz_opts.part).  Each
 * process sends its part to the first one as bytes (report_split.h, fuzz/split.h), which
 * merges the parts in rank order and prints: byte for byte what one process prints (for
 * fuzz: with the exhaustive and random strategies; see README.md).  Every other command
 * runs on the first process only.  Only the first process writes to standard output and
 * standard error, and every process exits with its status.
 *
 * Every process reads the scenario itself: it must be at the same path on every node.
 */
#ifndef PS_MPI_RUN_H
#define PS_MPI_RUN_H

#include "engine.h"
#include "fuzzer.h"

/* Runs the command line `argv` under MPI with `run` (main's dispatcher) and returns the
 * first process's exit status, on every process. */
int ps_mpi_main(int argc, char **argv, int (*run)(int argc, char **argv));

/* This process's rank and the number of processes (0 and 1 before ps_mpi_main()). */
int ps_mpi_rank(void);
int ps_mpi_size(void);

/* Agrees on the outcome of loading the scenario: every process passes its own status
 * (PS_EXIT_*) and receives the worst of all.  A process that loaded *m but must give up
 * because another did not frees it (and sets *m to NULL); the first process then says which
 * process failed.  Collective: every process must call it. */
int ps_mpi_agree_load(const char *cmd, int rc, ps_model **m);

/* The same for building the fuzzer's space: every process passes ps_space_build()'s result
 * (0, -1, -2) and receives the worst (-1 before -2); *s is freed where it was built but the
 * run gives up. */
int ps_mpi_agree_space(int r, ps_space **s);

/* ps_check() of this process's part of the items.  On the first process *out is the merged
 * report of every part, the caller's to free; on the others NULL.  0, or -1 when this
 * process (on the first: any process) ran out of memory.  Collective. */
int ps_mpi_check(const ps_model *m, const ps_check_opts *opts, ps_report **out);

/* ps_fuzz_run() of this process's share of the points.  On the first process *out is the
 * result of the whole search, the caller's to free; on the others NULL.  Returns as
 * ps_fuzz_run() (on the first process: for the whole run).  Collective. */
int ps_mpi_fuzz(const ps_model *m, const ps_space *s, const ps_fuzz_opts *o,
                ps_fuzz_result **out, char *err, size_t errlen);

#endif
