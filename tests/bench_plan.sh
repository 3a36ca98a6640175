#!/bin/sh
# bench_plan.sh - `privsim plan` on the SNAP combined graph (4,039 people, 88,234 friendships)
# with ten items per person under facebook-2010, as `privsim import snap-ego DIR --combined
# --items-per-person 10 --platform facebook-2010` writes it.
#
#   sh tests/bench_plan.sh [PRIVSIM]        (`make bench` runs it with ./build/privsim)
#
# For each severity in BENCH_PLAN_SEVERITIES (default: forbidden external beyond-intent) it
# runs `plan --severity S -o PLANNED` once and reports the number of changes, the exposures
# at or above S before the plan and removed by it, the intended reach lost, the wall time and
# the CPU time (user + system).  Then it checks the planned scenario again with
# `check --no-fixes` and fails (exit 1) when it still has an exposure at or above S: the
# test that a planned scenario is clean.
#
# Environment: PRIVSIM_SNAP_DIR (else ../shared/data/snap-ego-facebook; skipped with a message
# without it), BENCH_LIMIT (seconds per plan before giving up, 600), BENCH_PLAN_SEVERITIES.
set -u

PRIVSIM=${1:-./build/privsim}
SNAP=${PRIVSIM_SNAP_DIR:-../shared/data/snap-ego-facebook}
LIMIT=${BENCH_LIMIT:-600}
SEVERITIES=${BENCH_PLAN_SEVERITIES:-forbidden external beyond-intent}
STATUS=0

if [ ! -x "$PRIVSIM" ]; then
    echo "bench_plan: no privsim binary at $PRIVSIM (run make first)" >&2
    exit 2
fi
if [ ! -r "$SNAP/facebook_combined.txt" ]; then
    echo "bench_plan: SNAP data set not found in $SNAP (set PRIVSIM_SNAP_DIR); skipped"
    exit 0
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/privsim-bench-plan.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

now_ns() { date +%s%N; }

if ! "$PRIVSIM" import snap-ego "$SNAP" --combined --items-per-person 10 \
        --platform facebook-2010 -o "$WORK/snap.psim" 2>"$WORK/import.err"; then
    echo "bench_plan: import failed:" >&2
    head -n 5 "$WORK/import.err" >&2
    exit 1
fi
echo "plan of the SNAP combined graph, ten items per person, facebook-2010" \
     "($(nproc 2>/dev/null || echo '?') cores, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'))"
printf '%-14s %8s %10s %10s %11s %10s %10s  %s\n' severity changes exposures removed "reach lost" \
       wall cpu "planned scenario"
for sev in $SEVERITIES; do
    t0=$(now_ns)
    /usr/bin/time -f '%U %S' -o "$WORK/time" timeout "$LIMIT" \
        "$PRIVSIM" plan --severity "$sev" --format json -o "$WORK/planned.psim" "$WORK/snap.psim" \
        >"$WORK/plan.json" 2>"$WORK/plan.err"
    rc=$?
    t1=$(now_ns)
    if [ $rc -gt 1 ]; then
        echo "bench_plan: plan --severity $sev failed (exit $rc):" >&2
        grep -v '^Command' "$WORK/plan.err" | head -n 5 >&2
        STATUS=1
        continue
    fi
    wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f s", (b - a) / 1e9 }')
    cpu=$(awk '{ printf "%.2f s", $1 + $2 }' "$WORK/time" 2>/dev/null | tail -n 1)
    changes=$(jq '.changes | length' "$WORK/plan.json")
    before=$(jq '.exposures' "$WORK/plan.json")
    left=$(jq '.left | length' "$WORK/plan.json")
    lost=$(jq '."reach-before" - ."reach-after"' "$WORK/plan.json")
    # the planned scenario, checked again from its file
    "$PRIVSIM" check --no-fixes --fail-on never --format json "$WORK/planned.psim" \
        >"$WORK/check.json" 2>/dev/null
    case $sev in
        forbidden) q='.summary.forbidden' ;;
        external) q='.summary.forbidden + .summary.external' ;;
        *) q='.summary.exposures' ;;
    esac
    after=$(jq "$q" "$WORK/check.json" 2>/dev/null || echo '?')
    if [ "$after" = 0 ]; then
        verdict="clean at $sev"
    else
        verdict="FAILED: $after exposures at or above $sev"
        STATUS=1
    fi
    printf '%-14s %8s %10s %10s %11s %10s %10s  %s\n' "$sev" "$changes" "$before" \
           "$((before - left))" "$lost" "$wall" "$cpu" "$verdict"
done
exit $STATUS
