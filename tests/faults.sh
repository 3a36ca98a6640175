#!/bin/sh
# faults.sh - what a hostile user tries: an output over an input, stale temporary files of a
# killed run, a directory of results that must survive a failed run, the same report twice,
# odd line ends, long captions, limits on time and memory.  Run by `make check` with PRIVSIM
# set to the binary.
set -u
. tests/testlib.sh
# AddressSanitizer reserves terabytes of address space: limits on it do not apply there
asan=0
grep -q __asan_init "$P" 2>/dev/null && asan=1
AL=corpus/examples/al-the-accountant.psim

# ---- an output is never written over an input ------------------------------------------
cp "$AL" "$T/al.psim"
expect_exit 2 "check -o onto its input" -- "$P" check "$T/al.psim" -o "$T/al.psim"
grep -q "refusing to write the output over the input file" "$T/err" && ok || bad "check -o onto its input: no clear message"
cmp -s "$T/al.psim" "$AL" && ok || bad "check -o onto its input changed the scenario"
ln "$T/al.psim" "$T/hardlink.psim"
expect_exit 2 "check -o onto a hard link of its input" -- "$P" check "$T/al.psim" -o "$T/hardlink.psim"
cmp -s "$T/al.psim" "$AL" && ok || bad "check -o onto a hard link changed the scenario"
expect_exit 2 "check --format json -o onto its input by another path" -- "$P" check --format json "$T/al.psim" -o "$T/./al.psim"
expect_exit 2 "viz -o onto its input" -- "$P" viz "$T/al.psim" audience p1 -o "$T/al.psim"
cmp -s "$T/al.psim" "$AL" && ok || bad "viz -o onto its input changed the scenario"
mkdir "$T/rep"
cp "$AL" "$T/rep/index.html"
expect_exit 2 "report -o onto the directory of its input index.html" -- "$P" report "$T/rep/index.html" -o "$T/rep"
cmp -s "$T/rep/index.html" "$AL" && ok || bad "report -o replaced its input"
mkdir "$T/fin"
cp "$AL" "$T/fin/finding-001.psim"
expect_exit 2 "fuzz --out onto the directory of its input finding" -- "$P" fuzz "$T/fin/finding-001.psim" --vary-user al --out "$T/fin"
cmp -s "$T/fin/finding-001.psim" "$AL" && ok || bad "fuzz --out replaced its input"
expect_exit 0 "fmt -o onto its input formats in place" -- "$P" fmt "$T/al.psim" -o "$T/al.psim"
"$P" fmt --check "$T/al.psim" && ok || bad "fmt -o onto its input did not format it"

# ---- temporary files of a killed run are removed by the next run -----------------------
mkdir "$T/stale"
echo partial > "$T/stale/out.json.tmp.2000000000.AbCdEf"     # a process that is gone
echo partial > "$T/stale/out.json.tmp.$$.AbCdEf"             # this shell: still running
expect_exit 1 "check -o beside stale temporary files" -- "$P" check --format json -o "$T/stale/out.json" "$AL"
[ ! -e "$T/stale/out.json.tmp.2000000000.AbCdEf" ] && ok || bad "check -o kept the temporary file of a dead run"
[ -e "$T/stale/out.json.tmp.$$.AbCdEf" ] && ok || bad "check -o removed the temporary file of a live process"
jq -e '.schema == "privsim.check/1"' "$T/stale/out.json" >/dev/null && ok || bad "check -o wrote no JSON"
mkdir "$T/stale/f.tmp.2000000000.XyZxYz"
echo old > "$T/stale/f.tmp.2000000000.XyZxYz/finding-001.psim"
expect_exit 1 "fuzz --out beside a stale stage" -- "$P" fuzz "$AL" --vary-user al --out "$T/stale/f"
[ ! -e "$T/stale/f.tmp.2000000000.XyZxYz" ] && ok || bad "fuzz --out kept the stage of a dead run"

# ---- fuzz --out: the new set replaces the old one whole, other files stay ---------------
"$P" fuzz "$AL" --vary-user al --vary-others al --vary-rules --strategy random --max-points 20000 --out "$T/fz" >/dev/null
n_big=$(ls "$T/fz" | grep -c '^finding-')
echo "my notes" > "$T/fz/notes.txt"
"$P" fuzz "$AL" --vary-user al --out "$T/fz" >/dev/null
n_small=$(ls "$T/fz" | grep -c '^finding-')
[ "$n_small" -lt "$n_big" ] && ok || bad "fuzz --out: the findings of the earlier run were not replaced ($n_small, $n_big)"
[ "$(cat "$T/fz/notes.txt")" = "my notes" ] && ok || bad "fuzz --out lost a file of the user's"
mkdir "$T/fz/sub"
expect_exit 2 "fuzz --out onto a directory with a subdirectory" -- "$P" fuzz "$AL" --vary-user al --out "$T/fz"
grep -q "subdirectory" "$T/err" && ok || bad "fuzz --out: no reason given for refusing the directory"

# ---- report: the same command twice gives the same bytes --------------------------------
"$P" gen --people 2k --items-per-person 2 -q -o "$T/g.psim"
for f in "$AL" "$T/g.psim"; do
    "$P" report "$f" -o "$T/r1" >/dev/null
    same=1
    for i in 2 3 4 5 6; do
        "$P" report "$f" -o "$T/r$i" >/dev/null
        cmp -s "$T/r1/index.html" "$T/r$i/index.html" || same=0
    done
    [ "$same" = 1 ] && ok || bad "report of $f: six runs gave different pages"
done

# ---- line ends and the byte order mark --------------------------------------------------
printf 'user al bob\rfriends al bob\rpost p by=al audience=only-me "hi"\rexpect bob can-see p\r' > "$T/cr.psim"
expect_exit 1 "check of a file with CR line ends" -- "$P" check --format json "$T/cr.psim"
jq -e '.summary."failed-expectations" == 1' "$T/out" >/dev/null && ok || bad "a file with CR line ends does not read as its statements"
printf '\357\273\277user al bob\nfriends al bob\n' > "$T/bom.psim"
expect_exit 0 "lint of a file that starts with a UTF-8 BOM" -- "$P" lint "$T/bom.psim"
grep -q 'ok: 2 users, 1 friendship' "$T/out" && ok || bad "a file with a BOM does not read as its statements"
[ -s "$T/err" ] && bad "a BOM gives a message: $(cat "$T/err")" || ok

# ---- fmt writes what it reads: no line over 4096 bytes -----------------------------------
awk 'BEGIN { printf "user al bob\nfriends al bob\npost p by=al \\\n\""; for (i = 0; i < 4094; i++) printf "x"; printf "\"\n" }' > "$T/cap.psim"
expect_exit 0 "lint of a caption of 4094 bytes" -- "$P" lint "$T/cap.psim"
"$P" fmt "$T/cap.psim" > "$T/cap.out.psim"
expect_exit 0 "lint of fmt's output of a 4094-byte caption" -- "$P" lint "$T/cap.out.psim"
[ "$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$T/cap.out.psim")" -le 4096 ] && ok || bad "fmt wrote a line over 4096 bytes"

# ---- fix verification: a chain of 800 reshares checks with fixes in about a second of CPU
awk 'BEGIN { print "platform facebook-2010"; for (k = 0; k < 800; k++) print "user c" k;
             for (k = 0; k < 799; k++) print "friends c" k " c" k + 1;
             print "post p by=c0 audience=friends \"hello\"";
             for (k = 1; k < 800; k++) print "do c" k " share p audience=friends" }' > "$T/chain.psim"
/usr/bin/time -f '%U %S' -o "$T/time" "$P" check --format json "$T/chain.psim" > "$T/chain.json"
cpu=$(awk '{ print $1 + $2 }' "$T/time")
awk -v c="$cpu" 'BEGIN { exit !(c < 5.0) }' && ok || bad "check of an 800-reshare chain took $cpu s of CPU (wanted under 5; 78 s before fixes were verified incrementally)"
jq -e '[.exposures[] | select(.viewer == "c799") | .fixes[] | select(.kind == "unshare")] | length == 15' "$T/chain.json" >/dev/null \
    && ok || bad "the chain's last viewer lacks its 15 unshare fixes"

# ---- --max-time, --max-memory, and numbers that must be numbers ------------------------
awk 'BEGIN { print "platform facebook-2010"; for (k = 0; k < 3000; k++) print "user c" k;
             for (k = 0; k < 2999; k++) print "friends c" k " c" k + 1;
             print "post p by=c0 audience=friends \"hello\"";
             for (k = 1; k < 3000; k++) print "do c" k " share p audience=friends" }' > "$T/long.psim"
expect_exit 3 "check --max-time 0.3 of a long chain" -- "$P" check --max-time 0.3 -o "$T/long.json" "$T/long.psim"
grep -q 'stopped by --max-time 0.3 after' "$T/err" && ok || bad "--max-time does not say it stopped the run: $(cat "$T/err")"
grep -q 'nothing was written' "$T/err" && ok || bad "--max-time does not say what became of the output"
[ ! -e "$T/long.json" ] && ok || bad "check stopped by --max-time wrote its output"
[ "$(ls "$T" | grep -c 'long.json.tmp')" = 0 ] || bad "check stopped by --max-time left a temporary file"
expect_exit 1 "check --max-time 60 of the Al story finishes" -- "$P" check --max-time 60 --max-memory 1G "$AL"
if [ $asan = 0 ]; then
    expect_exit 3 "check --max-memory 20M of a big scenario" -- "$P" check --max-memory 20M "$T/g.psim"
    grep -q 'out of memory' "$T/err" && ok || bad "--max-memory: no out-of-memory message"
fi
expect_exit 2 "check --max-memory of a non-size" -- "$P" check --max-memory lots "$AL"
expect_exit 2 "check --max-time of a non-number" -- "$P" check --max-time soon "$AL"
expect_exit 2 "audience --max-viewers of a non-number" -- "$P" audience --max-viewers many "$AL" p1
expect_exit 2 "audience --max-viewers -1" -- "$P" audience --max-viewers -1 "$AL" p1
expect_exit 0 "audience --max-viewers 0" -- "$P" audience --max-viewers 0 "$AL" p1
"$P" fuzz --help | grep -q -- '--max-memory' && ok || bad "fuzz --help does not name --max-memory"
"$P" report --help | grep -q -- '--max-time' && ok || bad "report --help does not name --max-time"

# ---- viz and report under tight memory: out of memory, never a crash in Graphviz ----------
if [ $asan = 0 ] && command -v prlimit >/dev/null 2>&1; then
    for as in 80000000 120000000 160000000 200000000; do
        for what in viz report; do
            if [ $what = viz ]; then
                prlimit --as=$as "$P" viz "$AL" audience p1 -o "$T/tight.svg" >"$T/out" 2>"$T/err"
            else
                prlimit --as=$as "$P" report "$AL" -o "$T/tight" >"$T/out" 2>"$T/err"
            fi
            rc=$?
            if [ $rc = 0 ] || { [ $rc = 3 ] && grep -q 'out of memory' "$T/err"; }; then ok
            else bad "$what under prlimit --as=$as: exit $rc: $(head -c 200 "$T/err")"; fi
        done
    done
fi

echo "faults: $pass passed, $fail failed"
[ "$fail" = 0 ]
