#!/bin/sh
# kill.sh - outputs are whole or absent: `check -o FILE`, `report -o DIR` and `fuzz --out DIR`
# are killed with SIGKILL at random moments (KILL_RUNS times each, default 20) on inputs that
# take about a second, and after every kill the output must be exactly the old result or
# exactly the new one, never a mix or a partial file; the next run removes what the killed
# one left.  Run by `make check` with PRIVSIM set to the binary; KILL_SEED picks the moments;
# KILL_SCALE (default 1) divides the size of the inputs, for slower builds (the sanitizers').
set -u
. tests/testlib.sh
RUNS=${KILL_RUNS:-20}
SEED=${KILL_SEED:-$$}
SCALE=${KILL_SCALE:-1}
AL=corpus/examples/al-the-accountant.psim

now() { date +%s.%N; }
# moments NAME SECONDS: RUNS random moments, one a line: half of them in [0, 1.1 * SECONDS),
# the others in the last part of the run, where the output is written
moments() {
    awk -v n="$RUNS" -v t="$2" -v s="$SEED$1" 'BEGIN { srand(s); for (i = 0; i < n; i++)
        printf "%.3f\n", i % 2 ? t * (0.6 + rand() * 0.5) : rand() * t * 1.1 }'
}
# run_killed DELAY COMMAND...: runs COMMAND, kills it with SIGKILL after DELAY seconds
run_killed() {
    d=$1; shift
    "$@" >/dev/null 2>&1 &
    pid=$!
    sleep "$d"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
}
# temps DIR: the temporary files and stages privsim left in DIR
temps() { ls -a "$1" | grep -c '\.tmp\.'; }

"$P" gen --people $((15000 / SCALE)) --items-per-person 2 -q -o "$T/big.psim" ||
    { echo "kill: gen failed"; exit 1; }

# ---- check -o FILE ----------------------------------------------------------------------
"$P" check --no-fixes --format text -o "$T/old.txt" "$T/big.psim"
t0=$(now)
"$P" check --format json -o "$T/new.json" "$T/big.psim"
secs=$(echo "$t0 $(now)" | awk '{ print $2 - $1 }')
mkdir "$T/c"
cp "$T/old.txt" "$T/c/out"
for d in $(moments check "$secs"); do
    run_killed "$d" "$P" check --format json -o "$T/c/out" "$T/big.psim"
    if cmp -s "$T/c/out" "$T/old.txt" || cmp -s "$T/c/out" "$T/new.json"; then ok
    else bad "check -o killed after $d s: the output is neither the old nor the new one"; fi
    [ "$(temps "$T/c")" -le 1 ] && ok || bad "check -o: temporary files of earlier killed runs were not removed"
done
"$P" check --format json -o "$T/c/out" "$T/big.psim"
cmp -s "$T/c/out" "$T/new.json" && ok || bad "check -o after the kills: wrong output"
[ "$(temps "$T/c")" = 0 ] && ok || bad "check -o left temporary files: $(ls "$T/c")"

# ---- report -o DIR ----------------------------------------------------------------------
"$P" report -o "$T/rold" "$AL" >/dev/null
t0=$(now)
"$P" report -o "$T/rnew" "$T/big.psim" >/dev/null
secs=$(echo "$t0 $(now)" | awk '{ print $2 - $1 }')
cp -r "$T/rold" "$T/r"
for d in $(moments report "$secs"); do
    run_killed "$d" "$P" report -o "$T/r" "$T/big.psim"
    if diff -r "$T/r" "$T/rold" >/dev/null || diff -r "$T/r" "$T/rnew" >/dev/null; then ok
    else bad "report -o killed after $d s: the directory is neither the old report nor the new one"; fi
    [ "$(temps "$T/r")" -le 1 ] && ok || bad "report -o: temporary files of earlier killed runs were not removed"
done
"$P" report -o "$T/r" "$T/big.psim" >/dev/null
diff -r "$T/r" "$T/rnew" >/dev/null && ok || bad "report -o after the kills: wrong report"
[ "$(temps "$T/r")" = 0 ] && ok || bad "report -o left temporary files"

# ---- fuzz --out DIR ---------------------------------------------------------------------
FUZZ="--vary-user al --vary-others al --vary-rules --strategy random --max-points $((400000 / SCALE))"
"$P" fuzz "$AL" --vary-user al --out "$T/fold" >/dev/null
echo "kept" > "$T/fold/notes.txt"
t0=$(now)
# shellcheck disable=SC2086
"$P" fuzz "$AL" $FUZZ --out "$T/fnew" >/dev/null
secs=$(echo "$t0 $(now)" | awk '{ print $2 - $1 }')
cp "$T/fold/notes.txt" "$T/fnew/"
[ "$(ls "$T/fold" | wc -l)" != "$(ls "$T/fnew" | wc -l)" ] && ok || bad "fuzz: the old and new sets should differ"
cp -r "$T/fold" "$T/f"
for d in $(moments fuzz "$secs"); do
    # shellcheck disable=SC2086
    run_killed "$d" "$P" fuzz "$AL" $FUZZ --out "$T/f"
    if diff -r "$T/f" "$T/fold" >/dev/null || diff -r "$T/f" "$T/fnew" >/dev/null; then ok
    else bad "fuzz --out killed after $d s: the directory is a mix: $(ls "$T/f" | tr '\n' ' ')"; fi
    [ "$(temps "$T")" -le 1 ] && ok || bad "fuzz --out: stages of earlier killed runs were not removed"
done
# shellcheck disable=SC2086
"$P" fuzz "$AL" $FUZZ --out "$T/f" >/dev/null
diff -r "$T/f" "$T/fnew" >/dev/null && ok || bad "fuzz --out after the kills: wrong findings"
[ "$(ls -a "$T" | grep -c '^f\.tmp\.')" = 0 ] && ok || bad "fuzz --out left a stage behind"

echo "kill: $pass passed, $fail failed (seed $SEED, $RUNS kills of each command)"
[ "$fail" = 0 ]
