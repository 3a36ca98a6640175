#!/usr/bin/env python3
"""bench_networkx.py - the friends-of-friends audiences of every person, computed with NetworkX.

The baseline of `make bench` (tests/bench.sh): what a user would otherwise write to learn
who a "friends of friends" post reaches.  Reads an edge list (facebook_combined.txt: one
"a b" friendship a line), builds an undirected graph, and for every person computes the size
of the fof audience as privsim defines it: the person, their friends and their friends'
friends (everyone within two hops).  Prints one summary line; with --sizes, one
"PERSON SIZE" line per person instead.
"""
import sys
import time

import networkx as nx


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print("usage: bench_networkx.py EDGES [--sizes]", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    g = nx.read_edgelist(argv[1], nodetype=int)
    t1 = time.perf_counter()
    sizes = {}
    for person in g:
        sizes[person] = len(nx.single_source_shortest_path_length(g, person, cutoff=2))
    t2 = time.perf_counter()
    if "--sizes" in argv[2:]:
        for person in sorted(sizes):
            print(person, sizes[person])
    else:
        print("networkx %s: %d people, %d friendships, sum of fof audiences %d, "
              "read %.3f s, fof %.3f s"
              % (nx.__version__, g.number_of_nodes(), g.number_of_edges(),
                 sum(sizes.values()), t1 - t0, t2 - t1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
