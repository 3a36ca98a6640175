#!/bin/sh
# bench.sh - privsim's benchmarks, side by side with what a user would otherwise run.
#
#   sh tests/bench.sh [PRIVSIM]        (`make bench` runs it with ./build/privsim)
#
#   (a) parse speed: `privsim lint` on a generated scenario of 100,000 people and 1,000,000
#       friendships, in MB/s of input (goal: 100 MB/s or more on one core); then the same
#       network with friend lists, networks, personas and an item per person;
#   (b) `privsim check` on the SNAP combined graph (4,039 people, 88,234 friendships) with
#       ten items per person (goal: under one second), the same with --format json (every
#       exposure with its path and fixes: a large document) and with --no-fixes.
#
# The side-by-side workloads against igraph and NetworkX (W1-W4, a million people included)
# are tests/bench_peers.sh, which `make bench` runs first.
#
# Each command runs once as a warm-up (with a time limit), then BENCH_RUNS times (default 3)
# under hyperfine when it is installed; the table shows the median wall time and the mean
# CPU time (user + system) per run.  Part (b) needs the SNAP data set in $PRIVSIM_SNAP_DIR or
# ../shared/data/snap-ego-facebook and is skipped with a message without it.
#
# Environment: BENCH_RUNS (3), BENCH_LIMIT (seconds per run before giving up, 120),
# PRIVSIM_SNAP_DIR.  Exit status: 0, or 1 when a command failed.
set -u

PRIVSIM=${1:-./build/privsim}
RUNS=${BENCH_RUNS:-3}
LIMIT=${BENCH_LIMIT:-120}
SNAP=${PRIVSIM_SNAP_DIR:-../shared/data/snap-ego-facebook}
STATUS=0

if [ ! -x "$PRIVSIM" ]; then
    echo "bench: no privsim binary at $PRIVSIM (run make first)" >&2
    exit 2
fi
case $PRIVSIM in /*) ;; *) PRIVSIM=$(pwd)/$PRIVSIM ;; esac
WORK=$(mktemp -d "${TMPDIR:-/tmp}/privsim-bench.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

HYPERFINE=$(command -v hyperfine 2>/dev/null || true)

# ---- measuring ---------------------------------------------------------------------------

# quote ARG: ARG in single quotes, for hyperfine's command line
quote() {
    printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

now_ns() { date +%s%N; }

# measure CMD ARGS...: sets WALL (median seconds), CPU (mean user+system seconds, or "-")
# and OK (yes, timeout or failed).  Exit status 1 of a command (findings) counts as success.
measure() {
    WALL=-
    CPU=-
    t0=$(now_ns)
    timeout "$LIMIT" "$@" >/dev/null 2>"$WORK/stderr"
    rc=$?
    t1=$(now_ns)
    if [ $rc -eq 124 ]; then
        OK=timeout
        return 1
    fi
    if [ $rc -gt 1 ]; then
        OK=failed
        echo "bench: '$*' failed with exit status $rc:" >&2
        head -n 5 "$WORK/stderr" >&2
        STATUS=1
        return 1
    fi
    OK=yes
    probe=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')
    # a slow command is measured once: its warm-up run is the measurement
    if awk -v t="$probe" -v l="$LIMIT" 'BEGIN { exit !(t * 4 > l) }'; then
        WALL=$probe
        return 0
    fi
    if [ -n "$HYPERFINE" ]; then
        cmd=""
        for a in "$@"; do cmd="$cmd $(quote "$a")"; done
        if "$HYPERFINE" -N -i --style none --runs "$RUNS" --export-json "$WORK/h.json" \
               -- "$cmd" >/dev/null 2>&1; then
            WALL=$(jnum median)
            CPU=$(awk -v u="$(jnum user)" -v s="$(jnum system)" 'BEGIN { printf "%.4f", u + s }')
            return 0
        fi
    fi
    : > "$WORK/times"
    i=0
    while [ $i -lt "$RUNS" ]; do
        t0=$(now_ns)
        "$@" >/dev/null 2>&1
        t1=$(now_ns)
        awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", (b - a) / 1e9 }' >> "$WORK/times"
        i=$((i + 1))
    done
    WALL=$(sort -n "$WORK/times" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
}

# jnum KEY: the first number after "KEY": in hyperfine's JSON export
jnum() {
    sed -n "s/.*\"$1\": *\([0-9.eE+-]*\).*/\1/p" "$WORK/h.json" | head -n 1
}

# secs VALUE: VALUE seconds for the table ("-" stays "-")
secs() {
    case $1 in -) printf -- '-' ;; *) awk -v t="$1" 'BEGIN { printf "%.3f s", t }' ;; esac
}

# what a measurement gives for the table: "0.123 s" or "timed out (> N s)"
result() {
    case $OK in
        yes) secs "$WALL" ;;
        timeout) printf 'timed out (> %s s)' "$LIMIT" ;;
        *) printf 'failed' ;;
    esac
}

ROWS="$WORK/rows"
: > "$ROWS"
# row NAME INPUT TIME CPU EXTRA VERDICT
row() {
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" >> "$ROWS"
}

snap_ok() {
    [ -r "$SNAP/facebook_combined.txt" ]
}

timer="no hyperfine"
[ -n "$HYPERFINE" ] && timer=$("$HYPERFINE" --version 2>/dev/null)
echo "privsim benchmarks: $("$PRIVSIM" --version 2>/dev/null), $(nproc 2>/dev/null || echo '?')" \
     "cores, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'), $RUNS runs, $timer"
echo

# ---- (a) parse speed ---------------------------------------------------------------------

# parse_bench LABEL DESCRIPTION LAYOUT GEN-OPTIONS...: lint of a generated scenario, in MB/s;
# LAYOUT `pairs` rewrites its friendships one pair a line (an edge list), `canonical` keeps
# `privsim fmt`'s layout (`friends a b c ...`, long lines continued)
parse_bench() {
    label=$1; what=$2; layout=$3; shift 3
    if ! "$PRIVSIM" gen --people 100k --degree 20 --seed 1 -q "$@" -o "$WORK/parse.psim"; then
        echo "bench: privsim gen failed" >&2
        STATUS=1
        return
    fi
    if [ "$layout" = pairs ]; then
        awk '{ if (sub(/\\$/, "")) { buf = buf $0; next }
               line = buf $0; buf = ""; n = split(line, f, /[ \t]+/)
               if (f[1] == "friends") { for (i = 3; i <= n; i++) if (f[i] != "") print "friends " f[2] " " f[i] }
               else print line }' "$WORK/parse.psim" > "$WORK/pairs.psim" &&
            mv "$WORK/pairs.psim" "$WORK/parse.psim"
    fi
    bytes=$(wc -c < "$WORK/parse.psim")
    mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
    measure "$PRIVSIM" lint "$WORK/parse.psim"
    rate=-
    verdict=-
    if [ "$OK" = yes ]; then
        rate=$(awk -v b="$bytes" -v t="$WALL" 'BEGIN { printf "%.0f", b / 1e6 / t }')
        verdict=$(awk -v r="$rate" 'BEGIN { print (r >= 100 ? "goal met (>= 100 MB/s)" : "goal: >= 100 MB/s") }')
        if [ "$CPU" != - ]; then
            crate=$(awk -v b="$bytes" -v t="$CPU" 'BEGIN { printf "%.0f", b / 1e6 / t }')
            rate="$rate MB/s ($crate MB/s of CPU time)"
        else
            rate="$rate MB/s"
        fi
    fi
    row "$label" "$mb MB, $what" "$(result)" "$(secs "$CPU")" "$rate" "$verdict"
    rm -f "$WORK/parse.psim"
}

echo "(a) generating scenarios of 1,000,000 friendships ..."
parse_bench "(a) lint" "100,000 people, 1,000,000 friendships, one a line" pairs \
    --lists 0 --networks 0 --items-per-person 0
parse_bench "(a) lint, fmt layout" "the same as privsim fmt writes it" canonical \
    --lists 0 --networks 0 --items-per-person 0
parse_bench "(a) lint, full" "the same with 200,000 lists, 100,000 items, personas" canonical

# ---- (b) check on the SNAP combined graph ------------------------------------------------

if snap_ok; then
    echo "(b) importing the SNAP combined graph with ten items per person ..."
    if "$PRIVSIM" import snap-ego "$SNAP" --combined --items-per-person 10 -q \
           -o "$WORK/snap10.psim"; then
        input="SNAP combined, 4,039 people, 40,390 items"
        nexp=$("$PRIVSIM" check --no-fixes --format json "$WORK/snap10.psim" 2>/dev/null \
               | awk -F'"exposures":' 'NR == 1 { split($2, a, ","); print a[1] }')
        measure "$PRIVSIM" check "$WORK/snap10.psim"
        verdict=$(awk -v t="$WALL" -v ok="$OK" 'BEGIN { print (ok == "yes" && t < 1 ? "goal met (< 1 s)" : "goal: < 1 s") }')
        row "(b) check" "$input" "$(result)" "$(secs "$CPU")" "${nexp:-?} exposures, with fixes" "$verdict"
        measure "$PRIVSIM" check --format json "$WORK/snap10.psim"
        row "(b) check --format json" "$input" "$(result)" "$(secs "$CPU")" "every exposure, path and fix" "-"
        measure "$PRIVSIM" check --no-fixes "$WORK/snap10.psim"
        row "(b) check --no-fixes" "$input" "$(result)" "$(secs "$CPU")" "-" "-"
    else
        echo "bench: privsim import failed" >&2
        STATUS=1
    fi
else
    echo "(b) skipped: SNAP data set not found in $SNAP (set PRIVSIM_SNAP_DIR)"
fi

# ---- the table -------------------------------------------------------------------------------

echo
awk -F '\t' '
    BEGIN { w[1] = 9; w[2] = 5; w[3] = 8; w[4] = 3; w[5] = 0 }
    { for (i = 1; i <= 6; i++) { c[NR, i] = $i; if (i <= 5 && length($i) > w[i]) w[i] = length($i) } }
    END {
        fmt = "%-" w[1] "s  %-" w[2] "s  %" w[3] "s  %" w[4] "s  %-" w[5] "s  %s\n"
        printf fmt, "benchmark", "input", "time", "cpu", "result", "goal"
        for (r = 1; r <= NR; r++)
            printf fmt, c[r, 1], c[r, 2], c[r, 3], c[r, 4], c[r, 5], c[r, 6]
    }' "$ROWS"
echo
echo "time: median wall-clock time of $RUNS runs after a warm-up (a run slower than" \
     "$LIMIT/4 s is measured once); cpu: mean user + system time per run."
exit $STATUS
