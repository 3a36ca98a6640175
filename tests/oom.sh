#!/bin/sh
# oom.sh - out of memory is an answer: `check`, `fuzz` and `report` of the Al story run under
# an allocator that fails at the K-th allocation (build/privsim-failalloc, see
# tests/failalloc/failalloc.c), and each run must end with a normal result (the same output
# as without the failure) or with exit status 3 and `privsim: out of memory`: never a crash,
# another status, a silently different answer or (under `make SAN=1`) a leak.
#
# Each command makes a few thousand allocations; OOM_SAMPLES (default 150) of them, evenly
# spread from a random start, are made to fail per command, so `make check` stays quick and
# successive runs cover different allocations.  OOM_SAMPLES=all sweeps every one.  OOM_SCALE
# (default 1) divides the size of the fuzz run that fails while writing, for slower builds.
set -u
. tests/testlib.sh
SAMPLES=${OOM_SAMPLES:-150}
SEED=${OOM_SEED:-$$}
AL=corpus/examples/al-the-accountant.psim

# sweep NAME COMMAND...: runs COMMAND with each chosen allocation failing
sweep() {
    name=$1; shift
    PRIVSIM_ALLOC_COUNT=1 "$@" >"$T/ref" 2>"$T/referr"
    refrc=$?
    n=$(sed -n 's/^privsim-allocations: //p' "$T/referr")
    [ -n "$n" ] && [ "$n" -gt 0 ] || { bad "$name: the allocations were not counted"; return; }
    if [ "$SAMPLES" = all ] || [ "$SAMPLES" -ge "$n" ]; then
        ks=$(seq 1 "$n")
    else
        ks=$(awk -v n="$n" -v s="$SAMPLES" -v seed="$SEED$name" 'BEGIN { srand(seed);
             off = int(rand() * n); for (i = 0; i < s; i++) print 1 + (int(i * n / s) + off) % n }')
    fi
    runs=0; ooms=0; normal=0
    for k in $ks; do
        runs=$((runs + 1))
        rm -rf "$T/outdir"
        PRIVSIM_FAIL_ALLOC_AT=$k "$@" >"$T/got" 2>"$T/goterr"
        rc=$?
        if grep -q 'Sanitizer' "$T/goterr"; then
            bad "$name: allocation $k failing: a sanitizer report"; sed 's/^/  | /' "$T/goterr" | head -20
        elif [ "$rc" = 3 ] && grep -q 'out of memory' "$T/goterr"; then
            ooms=$((ooms + 1)); ok
        elif [ "$rc" = "$refrc" ] && cmp -s "$T/got" "$T/ref"; then
            normal=$((normal + 1)); ok
        else
            bad "$name: allocation $k failing: exit $rc (normally $refrc)"; sed 's/^/  | /' "$T/goterr" | head -5
        fi
    done
    echo "oom: $name: $n allocations, $runs made to fail: $ooms out of memory, $normal normal results"
}

sweep check "$P" check "$AL"
sweep check-json "$P" check --format json "$AL"
sweep fuzz "$P" fuzz "$AL" --vary-user al --out "$T/outdir"
sweep report "$P" report "$AL" -o "$T/outdir"
sweep lint "$P" lint "$AL"

# a fuzz run that runs out of memory while it writes its findings leaves the old set whole
NEW="--vary-user al --vary-others al --vary-rules --strategy random --max-points $((20000 / ${OOM_SCALE:-1}))"
"$P" fuzz "$AL" --vary-user al --out "$T/fold" >/dev/null 2>&1
# shellcheck disable=SC2086
PRIVSIM_ALLOC_COUNT=1 "$P" fuzz "$AL" $NEW --out "$T/fnew" >/dev/null 2>"$T/referr"
n=$(sed -n 's/^privsim-allocations: //p' "$T/referr")
if [ -z "$n" ] || [ "$(ls "$T/fold" | wc -l)" = "$(ls "$T/fnew" | wc -l)" ]; then
    bad "fuzz --out: no two different sets of findings to compare"
else
    for k in $(awk -v n="$n" 'BEGIN { for (i = 0; i < 30; i++) print n - int(n * 0.15 * i / 30) }'); do
        rm -rf "$T/f"
        cp -r "$T/fold" "$T/f"
        # shellcheck disable=SC2086
        PRIVSIM_FAIL_ALLOC_AT=$k "$P" fuzz "$AL" $NEW --out "$T/f" >/dev/null 2>&1
        if diff -r "$T/f" "$T/fold" >/dev/null || diff -r "$T/f" "$T/fnew" >/dev/null; then ok
        else bad "fuzz --out with allocation $k failing: the directory is a mix of two runs"; fi
    done
fi

echo "oom: $pass passed, $fail failed"
[ "$fail" = 0 ]
