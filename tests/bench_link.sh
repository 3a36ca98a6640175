#!/bin/sh
# bench_link.sh - what linkage costs `check` on real data: the SNAP combined graph (4,039
# people, 88,234 friendships) with K items per person, as imported (no person), against the
# same graph with every ego split by its largest circle (ten persons with two accounts each,
# and their linkages, evidence, verified fixes and smallest sets).
#
#   sh tests/bench_link.sh [PRIVSIM [RUNSTAT]]   (`make bench` runs it)
#
# For each K in BENCH_LINK_ITEMS (default "2 10") it runs `check` on the two scenarios in
# turn, BENCH_RUNS times each (default 5), with and without fixes, under runstat
# (tests/bench/runstat.c: CPU time of the whole process), and prints the median CPU times
# and their ratio: the goal is at most 2x.  Skipped with a message without the SNAP data
# ($PRIVSIM_SNAP_DIR or ../shared/data/snap-ego-facebook).
# Exit status: 0, 1 when a command failed, 2 on bad usage.
set -u
PRIVSIM=${1:-./build/privsim}
RUNSTAT=${2:-./build/bench/runstat}
RUNS=${BENCH_RUNS:-5}
ITEMS=${BENCH_LINK_ITEMS:-2 10}
SNAP=${PRIVSIM_SNAP_DIR:-../shared/data/snap-ego-facebook}

for t in "$PRIVSIM" "$RUNSTAT"; do
    if [ ! -x "$t" ]; then
        echo "bench_link: no $t (run make bench)" >&2
        exit 2
    fi
done
if [ ! -f "$SNAP/facebook_combined.txt" ]; then
    echo "bench_link: skipped: no SNAP data in $SNAP (set PRIVSIM_SNAP_DIR; the data set is at https://snap.stanford.edu/data/ego-Facebook.html)"
    exit 0
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/privsim-bench-link.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

# median of the numbers on standard input
median() {
    sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
                                        else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "## linkage in check: SNAP combined, every ego split, against no person"
echo
echo "CPU seconds of the whole process (read, check, write), median of $RUNS runs each, the two"
echo "scenarios alternating; goal: the split scenario within 2x."
echo
echo "| items per person | check | no person | every ego split | ratio |"
echo "| --- | --- | --- | --- | --- |"
status=0
for k in $ITEMS; do
    "$PRIVSIM" import snap-ego "$SNAP" --combined --items-per-person "$k" -q -o "$WORK/plain.psim" &&
    "$PRIVSIM" import snap-ego "$SNAP" --combined --split largest --items-per-person "$k" -q \
        -o "$WORK/split.psim" || { status=1; continue; }
    for mode in fixes no-fixes; do
        flag=
        [ "$mode" = no-fixes ] && flag=--no-fixes
        : > "$WORK/plain.cpu"
        : > "$WORK/split.cpu"
        i=0
        while [ "$i" -lt "$RUNS" ]; do
            for s in plain split; do
                # shellcheck disable=SC2086
                "$RUNSTAT" "$WORK/line" 600 "$PRIVSIM" check $flag --fail-on never \
                    "$WORK/$s.psim" > /dev/null 2>&1
                read -r cpu _wall _peak st < "$WORK/line"
                if [ "$st" != 0 ]; then
                    echo "bench_link: check $flag $s.psim ended with $st" >&2
                    status=1
                fi
                echo "$cpu" >> "$WORK/$s.cpu"
            done
            i=$((i + 1))
        done
        p=$(median < "$WORK/plain.cpu")
        q=$(median < "$WORK/split.cpu")
        r=$(awk -v p="$p" -v q="$q" 'BEGIN { printf "%.2fx", (p > 0 ? q / p : 0) }')
        case $mode in fixes) what="with fixes" ;; *) what="--no-fixes" ;; esac
        printf '| %s | %s | %.3f | %.3f | %s |\n' "$k" "$what" "$p" "$q" "$r"
    done
done
exit $status
