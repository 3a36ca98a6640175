#!/bin/sh
# bench_peers.sh - privsim side by side with igraph and NetworkX, on the same inputs, in one run.
#
#   sh tests/bench_peers.sh PRIVSIM TOOLDIR      (`make bench` runs it)
#
# TOOLDIR holds bench_igraph (tests/bench/bench_igraph.c: igraph_read_graph_edgelist, then
# igraph_neighborhood_size of order 2) and runstat (tests/bench/runstat.c: CPU time to the
# microsecond, wall time and peak memory of one command).  NetworkX runs as
# tests/bench_networkx.py under /usr/bin/python3.  The workloads:
#
#   W1  load the SNAP combined graph (4,039 people, 88,234 friendships): `privsim lint` of the
#       scenario that `privsim import snap-ego DIR --combined` writes; igraph and NetworkX read
#       facebook_combined.txt, the same graph as an edge list;
#   W2  the friends-of-friends audience of every SNAP person: `privsim check` of that scenario
#       with one `audience=fof` post per person, and `privsim stats`; igraph and NetworkX
#       compute every person's two-hop neighbourhood;
#   W3  (not with BENCH_QUICK=1) a million people and twenty million friendships from
#       `privsim gen --degree 40 --edges-out`: the load (`lint`; igraph reading the edge
#       list), then the fof audience of every 100th person (`check` of a scenario with a fof
#       post by each of them; igraph_neighborhood_size of those vertices);
#   W4  `privsim check --no-fixes` of `privsim gen` scenarios (the default mix) of 10,000,
#       100,000 and (not with BENCH_QUICK=1) 1,000,000 people, the CPU exponent fitted by
#       least squares on log-log, and the peak memory of `check` at a million people against
#       igraph's for loading the same graph.
#
# The answers are checked equal before anything is timed as a result: the fof audience size of
# every person (W2) and of every 100th person (W3) from `privsim stats --per-person`, igraph
# and NetworkX, person by person, and `privsim audience` of the check scenarios' own posts for
# a few of them; the counts of people and friendships that each tool read (W1, W4).
#
# Each round runs every command of a workload once, the tools alternating, so that the
# ratios compare runs made under the same load; the figures are medians over BENCH_RUNS
# rounds (BENCH_LARGE_RUNS for a million people).  Times are CPU times (user + system),
# with the wall time beside them, of whole runs; a "compute part" is the computing phase
# alone as each tool times it (`privsim check --timing` and `stats --timing`; bench_igraph
# and bench_networkx print the same kind of line), since the difference of two whole runs
# is mostly noise when the load dominates.  The table at the end is Markdown, for the README.
#
# Environment: BENCH_RUNS (3), BENCH_LARGE_RUNS (2), BENCH_LIMIT (CPU seconds before one run
# is stopped, 300; and four times as many seconds of wall-clock time), BENCH_QUICK (0), PRIVSIM_SNAP_DIR (else ../shared/data/snap-ego-facebook).
# Exit status 0, or 1 when a command failed or the tools disagree.
set -u

PRIVSIM=${1:-./build/privsim}
TOOLS=${2:-./build/bench}
RUNS=${BENCH_RUNS:-3}
LARGE_RUNS=${BENCH_LARGE_RUNS:-2}
LIMIT=${BENCH_LIMIT:-300}
QUICK=${BENCH_QUICK:-0}
SNAP=${PRIVSIM_SNAP_DIR:-../shared/data/snap-ego-facebook}
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
STATUS=0

for t in "$PRIVSIM" "$TOOLS/bench_igraph" "$TOOLS/runstat"; do
    if [ ! -x "$t" ]; then
        echo "bench: no program at $t (run make bench)" >&2
        exit 2
    fi
done
abspath() { case $1 in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$(pwd)" "$1" ;; esac; }
PRIVSIM=$(abspath "$PRIVSIM")
IGRAPH=$(abspath "$TOOLS/bench_igraph")
RUNSTAT=$(abspath "$TOOLS/runstat")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/privsim-peers.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

NX=""
if [ -x "$PY" ] && "$PY" -c 'import networkx' >/dev/null 2>&1; then
    NX=$("$PY" -c 'import networkx; print(networkx.__version__)')
fi
IGV=$("$IGRAPH" /dev/null --load-only 2>/dev/null | sed -n 's/^igraph \([^:]*\):.*/\1/p')

# ---- measuring ---------------------------------------------------------------------------

SAMPLES=$WORK/samples
DEAD=$WORK/dead
ROWS=$WORK/rows
: > "$SAMPLES"
: > "$DEAD"
: > "$ROWS"

# run KEY COMMAND...: one run under runstat; appends "KEY cpu wall peak-kB" to SAMPLES and
# keeps the output in $WORK/KEY.out.  Exit status 1 (privsim's "exposures found") is a
# success.  A KEY that timed out or failed is not run again.
run() {
    key=$1; shift
    grep -q "^$key " "$DEAD" && return 1
    rm -f "$WORK/rs"
    "$RUNSTAT" "$WORK/rs" "$LIMIT" "$@" > "$WORK/$key.out" 2> "$WORK/$key.err"
    st=failed
    [ -s "$WORK/rs" ] && read -r cpu wall peak st < "$WORK/rs"
    case $st in
        0|1)
            echo "$key $cpu $wall $peak" >> "$SAMPLES"
            # the phases the tool timed itself ("...: timing: read 1.2 s CPU (1.3 s wall), ...")
            sed -n 's/^[^:]*: timing: //p' "$WORK/$key.err" | tr ',' '\n' |
                awk -v k="$key" 'NF >= 6 { gsub(/\(/, "", $5); print k ":" $1, $2, $5, "-" }' >> "$SAMPLES"
            return 0 ;;
        timeout)
            echo "$key timeout" >> "$DEAD"
            echo "bench: $key stopped after $LIMIT s of CPU time (BENCH_LIMIT)" >&2 ;;
        *)
            echo "$key failed" >> "$DEAD"
            echo "bench: $key: '$*' failed ($st):" >&2
            head -n 5 "$WORK/$key.err" >&2
            STATUS=1 ;;
    esac
    return 1
}

# med KEY FIELD: the median of FIELD (cpu, wall or peak) over the runs of KEY, or "-"
med() {
    case $2 in cpu) f=2 ;; wall) f=3 ;; *) f=4 ;; esac
    awk -v k="$1" -v f="$f" '$1 == k { print $f }' "$SAMPLES" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2];
                                  else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# thou N: N with thousands separators (4,039)
thou() { printf '%s' "$1" | sed ':a; s/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/; ta'; }

# rounds_text N: "1 round", "3 rounds"
rounds_text() { if [ "$1" = 1 ]; then echo "1 round"; else echo "$1 rounds"; fi; }

# secs VALUE: "0.123 s"
secs() { awk -v t="$1" 'BEGIN { if (t == "-") print "-"; else if (t < 10) printf "%.3f s", t; else printf "%.1f s", t }'; }
mib() { awk -v k="$1" 'BEGIN { if (k == "-") print "-"; else printf "%.0f MiB", k / 1024 }'; }

# cell KEY: what the table shows for a command: CPU time, wall time, peak memory
cell() {
    why=$(awk -v k="$1" '$1 == k { print $2 }' "$DEAD")
    c=$(med "$1" cpu)
    if [ "$c" = - ]; then
        case $why in
            timeout) printf 'stopped after %s s of CPU time' "$LIMIT" ;;
            failed) printf 'failed' ;;
            *) printf 'not run' ;;
        esac
        return
    fi
    printf '%s CPU (%s wall), %s' "$(secs "$c")" "$(secs "$(med "$1" wall)")" "$(mib "$(med "$1" peak)")"
}

# ratio PRIVSIM PEER: "privsim is X times faster" (or slower), from two values
ratio() {
    awk -v a="$1" -v b="$2" 'function f(x) { return x < 10 ? sprintf("%.1f", x) : sprintf("%.0f", x) }
        BEGIN { if (a == "-" || b == "-" || a <= 0 || b <= 0) { print "-"; exit }
                if (a <= b) print "privsim is " f(b / a) " times faster"
                else print "privsim is " f(a / b) " times slower" }'
}

# goal_faster TIMES PRIVSIM PEER: the verdict on "at least TIMES times faster"
goal_faster() {
    awk -v g="$1" -v a="$2" -v b="$3" 'BEGIN {
        if (a == "-" || b == "-" || a <= 0 || b <= 0) { printf "at least %sx faster: not measured", g; exit }
        s = b / a
        if (s >= g) printf "at least %sx faster: met", g
        else printf "at least %sx faster: missed by a factor of %.1f", g, g / s }'
}

# row WORKLOAD PRIVSIM IGRAPH NETWORKX RESULT GOAL
row() { printf '| %s | %s | %s | %s | %s | %s |\n' "$@" >> "$ROWS"; }

# whole_row WORKLOAD PRIVSIM-KEY IGRAPH-KEY NETWORKX-KEY GOAL-TIMES: a row of whole runs; a
# NETWORKX-KEY of "-" means NetworkX does not take part, a GOAL-TIMES of "-" that there is no goal
whole_row() {
    a=$(med "$2" cpu) b=$(med "$3" cpu)
    res=$(ratio "$a" "$b") nxc="not run (too large)" g=-
    [ "$res" = - ] || res="$res than igraph"
    if [ "$4" != - ] && [ -z "$NX" ]; then
        nxc="not installed"
    elif [ "$4" != - ]; then
        nxc=$(cell "$4")
        r=$(ratio "$a" "$(med "$4" cpu)")
        [ "$r" = - ] || res="$res, ${r#privsim is } than NetworkX"
    fi
    [ "$5" = - ] || g=$(goal_faster "$5" "$a" "$b")
    row "$1" "$(cell "$2")" "$(cell "$3")" "$nxc" "$res" "$g"
}

# part_row WORKLOAD PRIVSIM IGRAPH NETWORKX GOAL-TIMES: a row of compute parts, in seconds
part_row() {
    nxc="not run"
    [ "$4" = - ] || nxc="$(secs "$4") CPU"
    res=$(ratio "$2" "$3")
    [ "$res" = - ] || res="$res than igraph"
    row "$1" "$(secs "$2") CPU" "$(secs "$3") CPU" "$nxc" "$res" "$(goal_faster "$5" "$2" "$3")"
}

# rounds N FUNCTION: calls FUNCTION N times (one round of alternating runs each)
rounds() {
    i=0
    while [ "$i" -lt "$1" ]; do
        "$2"
        i=$((i + 1))
    done
}

# ---- checking the answers ----------------------------------------------------------------

# per_person IN OUT: privsim stats --per-person lines "uI F FOF T" as "I FOF"
per_person() { awk '{ sub(/^u/, "", $1); print $1, $3 }' "$1" > "$2"; }

# agree WHAT FILE-A FILE-B: the "PERSON SIZE" lines of both files are the same
agree() {
    if [ -s "$2" ] && cmp -s "$2" "$3"; then
        return 0
    fi
    echo "bench: $1: the fof audience sizes differ:" >&2
    diff "$2" "$3" 2>&1 | head -n 4 >&2
    STATUS=1
    return 1
}

# engine_agrees SCENARIO SIZES PERSON...: `privsim audience` of the post fof-uI counts the users
# that SIZES gives person I
engine_agrees() {
    scen=$1 sizes=$2; shift 2
    for person in "$@"; do
        want=$(awk -v p="$person" '$1 == p { print $2 }' "$sizes")
        got=$("$PRIVSIM" audience --format json "$scen" "fof-u$person" | grep -c '^{"viewer":"u')
        if [ "$got" != "$want" ]; then
            echo "bench: privsim check's audience of fof-u$person has $got people, igraph counts $want" >&2
            STATUS=1
            return 1
        fi
    done
}

# with_fof_posts SCENARIO STEP COUNT OUT: SCENARIO plus a fof post by u0, uSTEP, ... (COUNT people)
with_fof_posts() {
    cp "$1" "$4" &&
        awk -v s="$2" -v n="$3" 'BEGIN { for (i = 0; i < n; i += s) printf "post fof-u%d by=u%d audience=fof\n", i, i }' >> "$4"
}

echo "privsim side by side: $("$PRIVSIM" --version), igraph ${IGV:-?}, NetworkX ${NX:-not installed}," \
     "$(nproc 2>/dev/null || echo '?') cores, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"

NXH="NetworkX ${NX:-(not installed)}"
row "workload" "privsim" "igraph ${IGV:-?}" "$NXH" "privsim against igraph" "goal"
row "---" "---" "---" "---" "---" "---"

# ---- W1, W2: the SNAP combined graph -----------------------------------------------------

snap_round() {
    run w1.privsim "$PRIVSIM" lint "$WORK/snap.psim"
    run w1.igraph "$IGRAPH" "$EDGES" --load-only
    [ -n "$NX" ] && run w1.networkx "$PY" "$HERE/bench_networkx.py" "$EDGES" --load-only
    run w2.check "$PRIVSIM" check --timing "$WORK/fof.psim"
    run w2.stats "$PRIVSIM" stats --timing "$WORK/snap.psim"
    run w2.igraph "$IGRAPH" "$EDGES" --sizes "$WORK/ig-snap.sizes"
    [ -n "$NX" ] && run w2.networkx "$PY" "$HERE/bench_networkx.py" "$EDGES" --sizes "$WORK/nx-snap.sizes"
    return 0
}

EDGES=$SNAP/facebook_combined.txt
if [ ! -r "$EDGES" ]; then
    echo "W1, W2 skipped: no SNAP data set in $SNAP (set PRIVSIM_SNAP_DIR)"
elif ! "$PRIVSIM" import snap-ego "$SNAP" --combined -q -o "$WORK/snap.psim"; then
    echo "bench: privsim import failed" >&2
    STATUS=1
else
    echo "W1, W2: the SNAP combined graph, $(rounds_text "$RUNS") ..."
    people=$(awk '{ print $1; print $2 }' "$EDGES" | sort -un | wc -l)
    top=$(awk '{ if ($1 > m) m = $1; if ($2 > m) m = $2 } END { print m + 1 }' "$EDGES")
    if [ "$people" != "$top" ]; then
        echo "bench: $EDGES does not number its people 0 .. N-1" >&2
        STATUS=1
    fi
    with_fof_posts "$WORK/snap.psim" 1 "$people" "$WORK/fof.psim"
    rounds "$RUNS" snap_round

    # the answers: the same graph read, the same audiences
    ours=$(sed -n 's/.*ok: \([0-9]*\) users, \([0-9]*\) friendships.*/\1 \2/p' "$WORK/w1.privsim.out")
    theirs=$(sed -n 's/.*: \([0-9]*\) vertices, \([0-9]*\) edges.*/\1 \2/p' "$WORK/w1.igraph.out")
    if [ -z "$ours" ] || [ "$ours" != "$theirs" ]; then
        echo "bench: W1: privsim read '$ours' people and friendships, igraph '$theirs'" >&2
        STATUS=1
    fi
    "$PRIVSIM" stats --per-person "$WORK/snap.psim" > "$WORK/ps-snap.pp" &&
        per_person "$WORK/ps-snap.pp" "$WORK/ps-snap.sizes"
    answers="-"
    if agree "W2 privsim stats / igraph" "$WORK/ps-snap.sizes" "$WORK/ig-snap.sizes" &&
       engine_agrees "$WORK/fof.psim" "$WORK/ig-snap.sizes" 0 $((people / 2)) $((people - 1)); then
        answers="the $(thou "$people") audiences agree"
        if [ -n "$NX" ]; then
            agree "W2 NetworkX / igraph" "$WORK/nx-snap.sizes" "$WORK/ig-snap.sizes" ||
                answers="NetworkX disagrees"
        fi
    fi

    # the rows
    P=$(thou "$people")
    F=$(thou "${theirs#* }")
    whole_row "W1 load SNAP ($P people, $F friendships): privsim lint; igraph, NetworkX read the edge list" \
        w1.privsim w1.igraph w1.networkx -
    whole_row "W2 FoF of all $P SNAP people, whole run: privsim check ($answers)" \
        w2.check w2.igraph w2.networkx -
    part_row "W2 FoF of all $P SNAP people, compute part: privsim check's check phase" \
        "$(med w2.check:check cpu)" "$(med w2.igraph:fof cpu)" "$(med w2.networkx:fof cpu)" 5
    whole_row "W2 FoF of all $P SNAP people, whole run: privsim stats" \
        w2.stats w2.igraph w2.networkx -
    part_row "W2 FoF of all $P SNAP people, compute part: privsim stats's measuring phase" \
        "$(med w2.stats:stats cpu)" "$(med w2.igraph:fof cpu)" "$(med w2.networkx:fof cpu)" 5
fi

# ---- W3: a million people, twenty million friendships ------------------------------------

w3_round() {
    run w3.lint "$PRIVSIM" lint "$WORK/w3fof.psim"
    run w3.igload "$IGRAPH" "$WORK/w3.edges" --load-only
    run w3.check "$PRIVSIM" check --timing "$WORK/w3fof.psim"
    run w3.igfof "$IGRAPH" "$WORK/w3.edges" --every 100 --sizes "$WORK/ig-w3.sizes"
    return 0
}

if [ "$QUICK" = 1 ]; then
    echo "W3 skipped (BENCH_QUICK=1)"
else
    echo "W3: generating 1,000,000 people and 20,000,000 friendships ..."
    if "$PRIVSIM" gen --people 1M --degree 40 --lists 0 --networks 0 --items-per-person 0 \
           --seed 1 -q -o "$WORK/w3.psim" --edges-out "$WORK/w3.edges"; then
        with_fof_posts "$WORK/w3.psim" 100 1000000 "$WORK/w3fof.psim"
        echo "W3: $(rounds_text "$LARGE_RUNS") ..."
        rounds "$LARGE_RUNS" w3_round
        run w3.stats "$PRIVSIM" stats --timing --per-person --sample 10000 "$WORK/w3.psim"
        answers="-"
        if [ -s "$WORK/w3.stats.out" ]; then
            per_person "$WORK/w3.stats.out" "$WORK/ps-w3.sizes"
            agree "W3 privsim stats / igraph" "$WORK/ps-w3.sizes" "$WORK/ig-w3.sizes" &&
                engine_agrees "$WORK/w3fof.psim" "$WORK/ig-w3.sizes" 500000 &&
                answers="the 10,000 audiences agree"
        fi
        rm -f "$WORK/w3.psim"
        whole_row "W3 load 1,000,000 people, 20,000,000 friendships: privsim lint; igraph reads the edge list" \
            w3.lint w3.igload - 3
        part_row "W3 FoF of every 100th person (10,000), compute part: privsim check's check phase ($answers)" \
            "$(med w3.check:check cpu)" "$(med w3.igfof:fof cpu)" - 2
        whole_row "W3 load and FoF of every 100th person, whole run: privsim check" w3.check w3.igfof - -
        whole_row "W3 the same with privsim stats --sample 10000 (one run)" w3.stats w3.igfof - -
        part_row "W3 FoF of every 100th person, compute part: privsim stats's measuring phase (one run)" \
            "$(med w3.stats:stats cpu)" "$(med w3.igfof:fof cpu)" - 2
        rm -f "$WORK/w3.edges" "$WORK/w3fof.psim"
    else
        echo "bench: privsim gen failed" >&2
        STATUS=1
    fi
fi

# ---- W4: check of generated scenarios, 10k to 1M people ----------------------------------

W4_SIZES="10000 100000"
[ "$QUICK" = 1 ] || W4_SIZES="$W4_SIZES 1000000"
FIT=$WORK/fit
: > "$FIT"
for n in $W4_SIZES; do
    extra=""
    [ "$n" = 1000000 ] && extra="--edges-out $WORK/w4.edges"
    echo "W4: check --no-fixes of privsim gen --people $n ..."
    # shellcheck disable=SC2086
    if ! "$PRIVSIM" gen --people "$n" --seed 1 -q -o "$WORK/w4.psim" $extra; then
        echo "bench: privsim gen --people $n failed" >&2
        STATUS=1
        continue
    fi
    if [ "$n" = 1000000 ]; then
        w4_round() {
            run w4.1000000 "$PRIVSIM" check --no-fixes "$WORK/w4.psim"
            run w4.igload "$IGRAPH" "$WORK/w4.edges" --load-only
            return 0
        }
        rounds "$LARGE_RUNS" w4_round
    else
        w4_round() { run "w4.$n" "$PRIVSIM" check --no-fixes "$WORK/w4.psim"; return 0; }
        rounds "$RUNS" w4_round
    fi
    c=$(med "w4.$n" cpu)
    [ "$c" = - ] || echo "$n $c" >> "$FIT"
    label=$(awk -v n="$n" 'BEGIN { if (n >= 1000000) printf "%dM", n / 1000000; else printf "%dk", n / 1000 }')
    row "W4 check --no-fixes of privsim gen --people $label (default mix)" \
        "$(cell "w4.$n")" "-" "-" "-" "-"
    rm -f "$WORK/w4.psim"
done
fit=$(awk '{ x = log($1); y = log($2); n++; sx += x; sy += y; sxx += x * x; sxy += x * y; last = $1 }
           END { if (n < 2) { print "-"; exit }
                 printf "%.2f %d %d\n", (n * sxy - sx * sy) / (n * sxx - sx * sx), n, last }' "$FIT")
if [ "$fit" = - ]; then
    row "W4 CPU exponent" "not measured (fewer than two sizes finished)" "-" "-" "-" "at most 1.15: not measured"
else
    set -- $fit
    span="10k to $(awk -v n="$3" 'BEGIN { if (n >= 1000000) printf "%dM", n / 1000000; else printf "%dk", n / 1000 }') people"
    verdict=$(awk -v e="$1" -v last="$3" 'BEGIN {
        if (last < 1000000) print "at most 1.15 up to 1M: not measured at 1M"
        else if (e <= 1.15) print "at most 1.15: met"
        else printf "at most 1.15: missed by %.2f\n", e - 1.15 }')
    row "W4 CPU exponent of check --no-fixes (least squares on log-log, $span)" \
        "CPU grows as N^$1" "-" "-" "-" "$verdict"
fi
if [ "$QUICK" != 1 ]; then
    pm=$(med w4.1000000 peak)
    im=$(med w4.igload peak)
    mem="-"
    verdict="at most igraph's: not measured"
    if [ "$pm" != - ] && [ "$im" != - ]; then
        mem=$(awk -v a="$pm" -v b="$im" 'BEGIN { printf "privsim uses %.2f times the memory of igraph", a / b }')
        verdict=$(awk -v a="$pm" -v b="$im" 'BEGIN { if (a <= b) print "at most igraph'"'"'s: met";
                  else printf "at most igraph'"'"'s: missed by %.0f MiB\n", (a - b) / 1024 }')
    fi
    row "W4 peak memory at 1M people: privsim check --no-fixes; igraph loads the same graph" \
        "$(mib "$pm")" "$(cell w4.igload)" "-" "$mem" "$verdict"
    rm -f "$WORK/w4.edges"
fi

# ---- the table -------------------------------------------------------------------------------

echo
cat "$ROWS"
echo
large=""
[ "$QUICK" = 1 ] || large=" ($LARGE_RUNS at a million people)"
echo "Times are CPU times (user + system, every thread), medians of $(rounds_text "$RUNS")$large" \
     "in which the tools alternate; a compute part is the time of the computing" \
     "phase alone as the tool measures it (privsim --timing; igraph and NetworkX around" \
     "igraph_neighborhood_size and the loop of single_source_shortest_path_length)."
exit $STATUS
