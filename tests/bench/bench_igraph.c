/* bench_igraph.c - the igraph side of `make bench` (tests/bench_peers.sh).
 *
 * What a researcher would write with igraph to learn the friends-of-friends audiences of a
 * graph: read an edge list ("I J" a line, vertex ids from 0) with igraph_read_graph_edgelist
 * as an undirected graph, then igraph_neighborhood_size of order 2 (the person, their friends
 * and their friends' friends, as privsim's `fof`) of every vertex, or of every K-th.
 *
 *   bench_igraph EDGES [--load-only] [--every K] [--sizes]
 *
 * Prints one summary line (vertices, edges, people measured, the sum of their fof sizes and
 * the CPU time of each phase), or with --sizes one "ID SIZE" line per person measured.
 * Built and run by `make bench` only; never part of privsim or of the test runner.
 */
#include <igraph.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_igraph EDGES [--load-only] [--every K] [--sizes]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    int load_only = 0, sizes = 0;
    long every = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--load-only") == 0)
            load_only = 1;
        else if (strcmp(argv[i], "--sizes") == 0)
            sizes = 1;
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

    double t0 = cpu_now();
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
    double t1 = cpu_now();
    igraph_integer_t n = igraph_vcount(&g), m = igraph_ecount(&g);
    if (load_only) {
        printf("igraph %s: %lld vertices, %lld edges, read %.3f s\n", IGRAPH_VERSION,
               (long long)n, (long long)m, t1 - t0);
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
    double t2 = cpu_now();
    if (rc != IGRAPH_SUCCESS) {
        fprintf(stderr, "bench_igraph: igraph_neighborhood_size failed\n");
        return 3;
    }
    long long sum = 0;
    for (igraph_integer_t i = 0; i < measured; i++) {
        sum += VECTOR(res)[i];
        if (sizes)
            printf("%lld %lld\n", (long long)VECTOR(ids)[i], (long long)VECTOR(res)[i]);
    }
    if (!sizes)
        printf("igraph %s: %lld vertices, %lld edges, %lld people measured, "
               "sum of fof audiences %lld, read %.3f s, fof %.3f s\n",
               IGRAPH_VERSION, (long long)n, (long long)m, (long long)measured, sum, t1 - t0,
               t2 - t1);
    igraph_vector_int_destroy(&ids);
    igraph_vector_int_destroy(&res);
    igraph_destroy(&g);
    return 0;
}
