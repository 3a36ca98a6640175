/* bench_igraph.c - the igraph side of `make bench` (tests/bench_peers.sh).
 *
 * What a researcher would write with igraph to learn the friends-of-friends audiences of a
 * graph: read an edge list ("I J" a line, vertex ids from 0) with igraph_read_graph_edgelist
 * as an undirected graph, then igraph_neighborhood_size of order 2 (the person, their friends
 * and their friends' friends, as privsim's `fof`) of every vertex, or of every K-th.
 *
 *   bench_igraph EDGES [--load-only] [--every K] [--sizes FILE]
 *
 * Prints one summary line (vertices, edges, people measured, the sum of their fof sizes);
 * --sizes FILE also writes one "ID SIZE" line per person measured to FILE.  On standard error,
 * the time of each phase as `privsim CMD --timing` writes it:
 *   bench_igraph: timing: read 4.206 s CPU (4.300 s wall), fof 0.291 s CPU (0.295 s wall)
 * Built and run by `make bench` only; never part of privsim or of the test runner.
 */
#include <igraph.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double clock_of(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_now(void) { return clock_of(CLOCK_PROCESS_CPUTIME_ID); }
static double wall_now(void) { return clock_of(CLOCK_MONOTONIC); }

static int usage(void)
{
    fprintf(stderr, "usage: bench_igraph EDGES [--load-only] [--every K] [--sizes FILE]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *path = NULL, *sizes_path = NULL;
    int load_only = 0;
    long every = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--load-only") == 0)
            load_only = 1;
        else if (strcmp(argv[i], "--sizes") == 0 && i + 1 < argc)
            sizes_path = argv[++i];
        else if (strcmp(argv[i], "--every") == 0 && i + 1 < argc) {
            char *end;
            every = strtol(argv[++i], &end, 10);
            if (*end || every < 1)
                return usage();
        } else if (argv[i][0] == '-' || path)
            return usage();
        else
            path = argv[i];
    }
    if (!path)
        return usage();
    igraph_set_error_handler(igraph_error_handler_printignore);

    double t0 = cpu_now(), w0 = wall_now();
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return 2;
    }
    igraph_t g;
    igraph_error_t rc = igraph_read_graph_edgelist(&g, f, 0, IGRAPH_UNDIRECTED);
    fclose(f);
    if (rc != IGRAPH_SUCCESS) {
        fprintf(stderr, "bench_igraph: cannot read %s as an edge list\n", path);
        return 2;
    }
    double t1 = cpu_now(), w1 = wall_now();
    igraph_integer_t n = igraph_vcount(&g), m = igraph_ecount(&g);
    if (load_only) {
        printf("igraph %s: %lld vertices, %lld edges\n", IGRAPH_VERSION, (long long)n,
               (long long)m);
        fprintf(stderr, "bench_igraph: timing: read %.3f s CPU (%.3f s wall)\n", t1 - t0,
                w1 - w0);
        igraph_destroy(&g);
        return 0;
    }

    igraph_vector_int_t ids, res;
    igraph_integer_t measured = (n + every - 1) / every;
    if (igraph_vector_int_init(&ids, measured) || igraph_vector_int_init(&res, 0)) {
        fprintf(stderr, "bench_igraph: out of memory\n");
        return 3;
    }
    for (igraph_integer_t i = 0; i < measured; i++)
        VECTOR(ids)[i] = i * every;
    rc = igraph_neighborhood_size(&g, &res, igraph_vss_vector(&ids), 2, IGRAPH_ALL, 0);
    double t2 = cpu_now(), w2 = wall_now();
    if (rc != IGRAPH_SUCCESS) {
        fprintf(stderr, "bench_igraph: igraph_neighborhood_size failed\n");
        return 3;
    }
    FILE *sizes = sizes_path ? fopen(sizes_path, "w") : NULL;
    if (sizes_path && !sizes) {
        perror(sizes_path);
        return 2;
    }
    long long sum = 0;
    for (igraph_integer_t i = 0; i < measured; i++) {
        sum += VECTOR(res)[i];
        if (sizes)
            fprintf(sizes, "%lld %lld\n", (long long)VECTOR(ids)[i], (long long)VECTOR(res)[i]);
    }
    if (sizes && fclose(sizes) != 0) {
        perror(sizes_path);
        return 2;
    }
    printf("igraph %s: %lld vertices, %lld edges, %lld people measured, "
           "sum of fof audiences %lld\n",
           IGRAPH_VERSION, (long long)n, (long long)m, (long long)measured, sum);
    fprintf(stderr, "bench_igraph: timing: read %.3f s CPU (%.3f s wall), fof %.3f s CPU "
            "(%.3f s wall)\n", t1 - t0, w1 - w0, t2 - t1, w2 - w1);
    igraph_vector_int_destroy(&ids);
    igraph_vector_int_destroy(&res);
    igraph_destroy(&g);
    return 0;
}
