/* mpi_run.c - privsim over MPI: see mpi_run.h.  Compiled only by `make MPI=1`.
 *
 * One protocol serves both commands: after computing its part, every process but the first
 * sends the first a header (its status, the length of its bytes) and then the bytes, in
 * pieces of at most PIECE bytes (MPI counts are ints); the first receives the parts in rank
 * order, which is the order the merges need.  A process that failed sends its status and no
 * bytes, so the first always hears from every process and no process waits for ever.
 */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "mpi_run.h"

#include "cli.h"
#include "report_split.h"
#include "partial.h"

#include <mpi.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PIECE ((size_t)1 << 30)
#define TAG_HEADER 1
#define TAG_BYTES 2

static int rank, size = 1;

int ps_mpi_rank(void) { return rank; }
int ps_mpi_size(void) { return size; }

int ps_mpi_main(int argc, char **argv, int (*run)(int argc, char **argv))
{
    int provided;
    /* ps_check() runs threads of its own; only the main thread calls MPI */
    if (MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        fprintf(stderr, "privsim: MPI could not start\n");
        return PS_EXIT_INTERNAL;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    bool split = argc >= 2 && (strcmp(argv[1], "check") == 0 || strcmp(argv[1], "fuzz") == 0);
    /* launchers hand the processes a terminal of their own even when the run's output goes
     * to a file: no colour */
    setenv("NO_COLOR", "1", 1);
    if (rank != 0) {
        /* the first process speaks for the run */
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            MPI_Abort(MPI_COMM_WORLD, PS_EXIT_INTERNAL); /* the others must not wait for it */
    }
    int rc = PS_EXIT_OK;
    if (rank == 0 || split)
        rc = run(argc, argv);
    MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
    MPI_Finalize();
    return rc;
}

/* The largest `value` of every process and the lowest rank that has it.  Collective. */
static void worst_of_all(int value, int *worst, int *where)
{
    struct { int value, rank; } in = { value, rank }, out;
    MPI_Allreduce(&in, &out, 1, MPI_2INT, MPI_MAXLOC, MPI_COMM_WORLD);
    *worst = out.value;
    *where = out.rank;
}

int ps_mpi_agree_load(const char *cmd, int rc, ps_model **m)
{
    int worst, where;
    worst_of_all(rc, &worst, &where);
    if (worst == PS_EXIT_OK || rc != PS_EXIT_OK)
        return worst; /* all loaded, or this one said why it did not */
    ps_model_free(*m);
    *m = NULL;
    if (rank == 0)
        fprintf(stderr, "privsim %s: process %d of %d could not load the scenario (exit status "
                        "%d); every process reads it at the same path\n", cmd, where, size,
                worst);
    return worst;
}

int ps_mpi_agree_space(int r, ps_space **s)
{
    int worst, where;
    worst_of_all(r == -1 ? 2 : r == -2 ? 1 : 0, &worst, &where);
    int agreed = worst == 2 ? -1 : worst == 1 ? -2 : 0;
    if (agreed && !r) {
        ps_space_free(*s);
        *s = NULL;
    }
    return agreed;
}

/* Sends this process's part to the first process: its status, then its bytes. */
static void send_part(int status, const uint8_t *buf, size_t len)
{
    uint64_t head[2] = { (uint64_t)(int64_t)status, status ? 0 : len };
    MPI_Send(head, 2, MPI_UINT64_T, 0, TAG_HEADER, MPI_COMM_WORLD);
    for (size_t off = 0; off < head[1]; off += PIECE) {
        size_t n = head[1] - off < PIECE ? head[1] - off : PIECE;
        MPI_Send(buf + off, (int)n, MPI_BYTE, 0, TAG_BYTES, MPI_COMM_WORLD);
    }
}

/* On the first process: receives the part of process `from` into a new buffer (*buf, the
 * caller's to free).  Returns the sender's status; -1 when this process ran out of memory
 * (the run cannot go on: it is aborted, since the sender still waits to send). */
static int recv_part(int from, uint8_t **buf, size_t *len)
{
    uint64_t head[2];
    MPI_Recv(head, 2, MPI_UINT64_T, from, TAG_HEADER, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    *buf = NULL;
    *len = 0;
    int status = (int)(int64_t)head[0];
    if (status)
        return status;
    *buf = malloc(head[1] ? head[1] : 1);
    if (!*buf) {
        fprintf(stderr, "privsim: out of memory receiving the part of process %d\n", from);
        MPI_Abort(MPI_COMM_WORLD, PS_EXIT_INTERNAL);
        return -1;
    }
    for (size_t off = 0; off < head[1]; off += PIECE) {
        size_t n = head[1] - off < PIECE ? head[1] - off : PIECE;
        MPI_Recv(*buf + off, (int)n, MPI_BYTE, from, TAG_BYTES, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
    }
    *len = head[1];
    return 0;
}

/* Threads for ps_check() on this process: the cores it may run on (the launcher's binding),
 * and no more than its node's cores shared among the node's processes. */
static int threads_here(void)
{
    MPI_Comm node;
    int local = 1;
    if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node) ==
        MPI_SUCCESS) {
        MPI_Comm_size(node, &local);
        MPI_Comm_free(&node);
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    long n = cores > 0 ? cores / local : 1;
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) < n)
        n = CPU_COUNT(&set);
    return n > 0 ? (int)n : 1;
}

int ps_mpi_check(const ps_model *m, const ps_check_opts *opts, ps_report **out)
{
    *out = NULL;
    ps_check_opts co = *opts;
    /* no progress line: the launcher's terminal is not the user's, and one process's share
     * is not the run's progress */
    co.progress = NULL;
    if (size == 1)
        return ps_check(m, &co, out);
    co.part = (uint32_t)rank;
    co.nparts = (uint32_t)size;
    if (co.threads <= 0)
        co.threads = threads_here();
    ps_report *r = NULL;
    int rc = ps_check(m, &co, &r) ? -1 : 0;
    if (rank != 0) {
        uint8_t *buf = NULL;
        size_t len = 0;
        if (!rc && ps_report_encode(r, &buf, &len))
            rc = -1;
        send_part(rc, buf, len);
        free(buf);
        ps_report_free(r);
        return rc;
    }
    for (int from = 1; from < size; from++) {
        uint8_t *buf;
        size_t len;
        int st = recv_part(from, &buf, &len);
        if (st)
            rc = -1;
        else if (!rc && ps_report_absorb(r, buf, len))
            rc = -1;
        free(buf);
    }
    if (!rc && ps_report_seal(r))
        rc = -1;
    if (rc) {
        ps_report_free(r);
        return -1;
    }
    *out = r;
    return 0;
}

int ps_mpi_fuzz(const ps_model *m, const ps_space *s, const ps_fuzz_opts *o,
                ps_fuzz_result **out, char *err, size_t errlen)
{
    *out = NULL;
    ps_fuzz_opts fo = *o;
    fo.progress = NULL; /* as in ps_mpi_check() */
    if (size == 1)
        return ps_fuzz_run(m, s, &fo, out, err, errlen);
    fo.part = (uint32_t)rank;
    fo.nparts = (uint32_t)size;
    ps_fuzz_partial *p = NULL;
    int rc = ps_fuzz_search(m, s, &fo, &p, err, errlen);
    if (rank != 0) {
        uint8_t *buf = NULL;
        size_t len = 0;
        if (!rc && ps_fuzz_partial_encode(p, s->ndims, &buf, &len))
            rc = -1;
        send_part(rc, buf, len);
        free(buf);
        ps_fuzz_partial_free(p);
        return rc;
    }
    for (int from = 1; from < size; from++) {
        uint8_t *buf;
        size_t len;
        int st = recv_part(from, &buf, &len);
        ps_fuzz_partial *q = NULL;
        if (st) {
            /* out of memory anywhere outranks an unsearchable space (the same everywhere) */
            if (rc != -1)
                rc = st;
        } else if (!rc && (ps_fuzz_partial_decode(buf, len, s->ndims, &q) ||
                           ps_fuzz_partial_merge(p, q))) {
            rc = -1;
        }
        ps_fuzz_partial_free(q);
        free(buf);
    }
    if (!rc) {
        /* minimize, verify and rank once, as the whole search does */
        fo.part = 0;
        fo.nparts = 1;
        rc = ps_fuzz_finish(m, s, &fo, p, out, err, errlen);
    }
    ps_fuzz_partial_free(p);
    return rc;
}
