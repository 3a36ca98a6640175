#!/bin/sh
# mpi.sh - privsim over MPI prints what one process prints: `mpirun -np 2` of the MPI build
# against the default build, byte for byte, with the same exit status.  check in JSON (and
# text and SARIF) on every example and on a generated network of 5,000 people; fuzz findings
# (the summary and every finding file) of exhaustive and random searches; a guided search
# split over processes; errors that end the run on every process; other commands once.
# Run by `make mpi-check`:  sh tests/mpi.sh ONE_PROCESS_PRIVSIM MPI_PRIVSIM
# With sanitizer builds (`make SAN=1 mpi-check`), every process's report goes to a file (the
# other processes' standard error is closed) and any report fails the run.
set -u
ONE=${1:-./build/privsim}
MPI=${2:-./build-mpi/privsim}
NP=${MPI_NP:-2}
T=$(mktemp -d)
export ASAN_OPTIONS="detect_leaks=1:fast_unwind_on_malloc=0:log_path=$T/san"
export UBSAN_OPTIONS="log_path=$T/san"
export LSAN_OPTIONS="suppressions=$(pwd)/tests/mpi_lsan.supp:print_suppressions=0"
RUN="mpirun --allow-run-as-root --oversubscribe -q -x ASAN_OPTIONS -x UBSAN_OPTIONS -x LSAN_OPTIONS -np $NP"
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

command -v mpirun >/dev/null 2>&1 || { echo "mpi: mpirun not found (make mpi-deps)"; exit 1; }
[ -x "$MPI" ] || { echo "mpi: $MPI not built (make MPI=1)"; exit 1; }

# same DESCRIPTION -- ARGS...: privsim ARGS alone and under mpirun give the same output
# and the same exit status.
same() {
    what=$1; shift 2
    "$ONE" "$@" >"$T/one" 2>"$T/one.err"
    a=$?
    $RUN "$MPI" "$@" >"$T/many" 2>"$T/many.err"
    b=$?
    if [ "$a" != "$b" ]; then
        bad "$what: exit $b under mpirun -np $NP, $a alone"
        sed 's/^/  | /' "$T/many.err" | head -5
    elif ! cmp -s "$T/one" "$T/many"; then
        bad "$what: the output differs under mpirun -np $NP"
        diff "$T/one" "$T/many" | head -5 | sed 's/^/  | /'
    elif [ ! -s "$T/one" ]; then
        bad "$what: no output to compare"
    else
        ok
    fi
}

# ---- check ----------------------------------------------------------------------------
for f in corpus/examples/*.psim; do
    same "check --format json $f" -- check --format json "$f"
done
AL=corpus/examples/al-the-accountant.psim
same "check (text) of the Al story" -- check --max-viewers 0 "$AL"
same "check --format sarif of the Al story" -- check --format sarif "$AL"
same "check --platform facebook-2005 of the Al story" -- check --format json --platform facebook-2005 "$AL"

"$ONE" gen --people 5000 --seed 3 -q -o "$T/g5k.psim" || bad "gen --people 5000"
same "check --format json of gen --people 5000" -- check --format json "$T/g5k.psim"
same "check --no-fixes (text) of gen --people 5000" -- check --no-fixes "$T/g5k.psim"
n=$("$ONE" check --no-fixes --format json "$T/g5k.psim" 2>/dev/null | jq '.exposures | length')
[ "${n:-0}" -gt 1000 ] && ok ||
    bad "gen --people 5000 shows ${n:-no} exposures: too few for the comparison to mean much"

$RUN "$MPI" check --format json -o "$T/out.json" "$AL" >/dev/null 2>&1
"$ONE" check --format json "$AL" >"$T/one.json" 2>/dev/null
cmp -s "$T/out.json" "$T/one.json" && ok || bad "check -o FILE under mpirun writes another file"

# ---- fuzz -----------------------------------------------------------------------------
VARY=corpus/examples/vary-space.psim
# fuzz_same DESCRIPTION -- ARGS...: the summary and every finding file are the same
fuzz_same() {
    what=$1; shift 2
    rm -rf "$T/f1" "$T/f2"
    same "$what" -- fuzz --format json --out "$T/f" "$@"
    "$ONE" fuzz --out "$T/f1" "$@" >/dev/null 2>&1
    $RUN "$MPI" fuzz --out "$T/f2" "$@" >/dev/null 2>&1
    if ! ls "$T/f1"/finding-*.psim >/dev/null 2>&1; then
        bad "$what: no finding files to compare"
    elif diff -r "$T/f1" "$T/f2" >/dev/null; then
        ok
    else
        bad "$what: the finding files differ under mpirun -np $NP"
    fi
}
fuzz_same "fuzz (exhaustive) of the vary example" -- "$VARY"
fuzz_same "fuzz --vary-user al --vary-others al (exhaustive, 9M points)" -- \
    --vary-user al --vary-others al "$AL"
fuzz_same "fuzz --strategy random --seed 5 --max-points 30000" -- \
    --strategy random --seed 5 --max-points 30000 --vary-user al --vary-rules "$AL"
fuzz_same "fuzz --max-points 1000 (a slice of the space)" -- --max-points 1000 "$VARY"
same "fuzz --format sarif" -- fuzz --format sarif --out - "$VARY"

# guided: every process searches its own stream; the budget is the run's, the findings hold
$RUN "$MPI" fuzz --strategy guided --max-points 4001 --format json --out - "$VARY" \
    >"$T/guided.json" 2>/dev/null
[ "$(jq '.search.points' "$T/guided.json" 2>/dev/null)" = 4001 ] && ok ||
    bad "guided fuzz under mpirun does not search --max-points points"
jq -e '.findings | length > 0 and all(.verified)' "$T/guided.json" >/dev/null 2>&1 && ok ||
    bad "guided fuzz under mpirun: no findings, or unverified ones"

# ---- errors and other commands --------------------------------------------------------
$RUN "$MPI" check "$T/no-such-file.psim" >/dev/null 2>"$T/err"
[ $? = 2 ] && ok || bad "check of a missing file under mpirun: exit is not 2"
[ "$(grep -c 'cannot open' "$T/err")" = 1 ] && ok || bad "the error is not said exactly once"
$RUN "$MPI" fuzz --strategy exhaustive --vary-user al --vary-others al --vary-rules \
    --out - "$AL" >/dev/null 2>"$T/err"
[ $? = 2 ] && grep -q 'too many to search' "$T/err" && ok ||
    bad "fuzz of a space too large under mpirun: not refused with exit 2"
same "lint runs once" -- lint corpus/examples/al-the-accountant.psim corpus/examples/vary-space.psim

if ls "$T"/san.* >/dev/null 2>&1; then
    bad "sanitizer reports:"
    cat "$T"/san.* | head -40
else
    ok
fi

echo "mpi: $pass passed, $fail failed (mpirun -np $NP)"
[ "$fail" = 0 ]
