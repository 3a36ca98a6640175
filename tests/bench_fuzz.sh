#!/bin/sh
# tests/bench_fuzz.sh - the fuzzer's speed: points evaluated per second on one core.
#
#   sh tests/bench_fuzz.sh ./build/privsim
#
# Runs `privsim fuzz --bench` on the Al story's space (every choice of al, and what other
# people can do to al: an exhaustive walk of the whole space), then on larger spaces (with
# the platform's rules varied too) walked at random and guided for a fixed number of points.
# Each line is `fuzz-bench key=value ...`; points_per_second is the number to watch (the goal
# is 1,000,000 for scenarios of up to 64 people).
set -eu
PRIVSIM=${1:-./build/privsim}
AL=corpus/examples/al-the-accountant.psim
if ! "$PRIVSIM" fuzz --help >/dev/null 2>&1; then
    echo "bench_fuzz: $PRIVSIM has no fuzz command" >&2
    exit 1
fi
"$PRIVSIM" fuzz "$AL" --bench --vary-user al --vary-others al --strategy exhaustive
"$PRIVSIM" fuzz "$AL" --bench --vary-user al --vary-others al --vary-rules \
    --strategy random --max-points 200000 --seed 1
"$PRIVSIM" fuzz "$AL" --bench --vary-user al --vary-others al --vary-rules \
    --strategy guided --max-points 200000 --seed 1
for f in corpus/fuzz/*.psim; do
    "$PRIVSIM" fuzz "$f" --bench --strategy exhaustive
done
