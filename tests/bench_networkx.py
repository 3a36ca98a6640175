#!/usr/bin/env python3
"""bench_networkx.py - the friends-of-friends audiences of every person, computed with NetworkX.

The NetworkX side of `make bench` (tests/bench_peers.sh): what a user would otherwise write to
learn who a "friends of friends" post reaches.  Reads an edge list (facebook_combined.txt:
one "a b" friendship a line), builds an undirected graph, and for every person computes the
size of the fof audience as privsim defines it: the person, their friends and their friends'
friends (everyone within two hops, single_source_shortest_path_length with cutoff 2).

    bench_networkx.py EDGES [--load-only] [--sizes FILE]

Prints one summary line; --load-only stops after reading the graph; --sizes FILE also writes
one "PERSON SIZE" line per person to FILE, in increasing order of person.  On standard error,
the time of each phase as `privsim CMD --timing` writes it:
    bench_networkx: timing: read 0.190 s CPU (0.195 s wall), fof 2.531 s CPU (2.600 s wall)
"""
import sys
import time

import networkx as nx


def main(argv):
    args = argv[1:]
    load_only = "--load-only" in args
    sizes_path = None
    if "--sizes" in args:
        i = args.index("--sizes")
        if i + 1 >= len(args):
            args = []
        else:
            sizes_path = args[i + 1]
            del args[i:i + 2]
    args = [a for a in args if a != "--load-only"]
    if len(args) != 1 or args[0].startswith("-"):
        print("usage: bench_networkx.py EDGES [--load-only] [--sizes FILE]", file=sys.stderr)
        return 2
    t0, w0 = time.process_time(), time.perf_counter()
    g = nx.read_edgelist(args[0], nodetype=int)
    t1, w1 = time.process_time(), time.perf_counter()
    if load_only:
        print("networkx %s: %d people, %d friendships"
              % (nx.__version__, g.number_of_nodes(), g.number_of_edges()))
        print("bench_networkx: timing: read %.3f s CPU (%.3f s wall)" % (t1 - t0, w1 - w0),
              file=sys.stderr)
        return 0
    sizes = {}
    for person in g:
        sizes[person] = len(nx.single_source_shortest_path_length(g, person, cutoff=2))
    t2, w2 = time.process_time(), time.perf_counter()
    if sizes_path:
        with open(sizes_path, "w") as f:
            for person in sorted(sizes):
                f.write("%d %d\n" % (person, sizes[person]))
    print("networkx %s: %d people, %d friendships, sum of fof audiences %d"
          % (nx.__version__, g.number_of_nodes(), g.number_of_edges(), sum(sizes.values())))
    print("bench_networkx: timing: read %.3f s CPU (%.3f s wall), fof %.3f s CPU (%.3f s wall)"
          % (t1 - t0, w1 - w0, t2 - t1, w2 - w1), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
