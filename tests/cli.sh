#!/bin/sh
# cli.sh - the command line as a user runs it: --help everywhere, exit codes, JSON and SARIF
# documents, golden outputs of every example, colour and NO_COLOR, atomic output files,
# `make install`.  Run by `make check` with PRIVSIM set to the binary; UPDATE_GOLDEN=1
# rewrites the golden files instead of comparing.
set -u
. tests/testlib.sh

AL=corpus/examples/al-the-accountant.psim

# ---- help and usage -------------------------------------------------------------------
expect_exit 0 "privsim --help" -- "$P" --help
expect_exit 2 "privsim with no command" -- "$P"
expect_exit 2 "unknown command" -- "$P" frobnicate
for cmd in $("$P" --help | awk '/^commands:/{on=1; next} on && /^  [a-z]/{print $1} on && /^$/{on=0}'); do
    expect_exit 0 "$cmd --help" -- "$P" "$cmd" --help
    grep -q '^usage: privsim' "$T/out" && ok || bad "$cmd --help prints no usage line"
    expect_exit 2 "$cmd --no-such-option" -- "$P" "$cmd" --no-such-option
done

# ---- check: exit codes, formats -------------------------------------------------------
expect_exit 1 "check of the Al story finds exposures" -- "$P" check "$AL"
grep -q 'FORBIDDEN' "$T/out" && ok || bad "check text shows no FORBIDDEN exposure"
grep -q 'al: tag-review=on' "$T/out" && ok || bad "check text lacks the fix al: tag-review=on"
expect_exit 0 "check --fail-on never" -- "$P" check --fail-on never "$AL"
expect_exit 2 "check --fail-on nonsense" -- "$P" check --fail-on nonsense "$AL"
expect_exit 2 "check of a missing file" -- "$P" check "$T/missing.psim"
expect_exit 2 "check --platform unknown" -- "$P" check --platform facebook-1999 "$AL"
grep -q 'unknown platform' "$T/err" && ok || bad "unknown platform not named"

expect_exit 1 "check --format json" -- "$P" check --format json "$AL"
jq -e '.schema == "privsim.check/1" and (.exposures | length) > 0' "$T/out" >/dev/null && ok \
    || bad "check JSON is not a privsim.check/1 document with exposures"
jq -e '[.exposures[] | select(.item == "ph1" and .viewer == "dave" and .severity == "forbidden")
        | .fixes[].text] | index("al: tag-review=on") != null' "$T/out" >/dev/null && ok \
    || bad "check JSON lacks the ph1/dave tag leak with its fix"

expect_exit 1 "check --format sarif -o" -- "$P" check --format sarif -o "$T/out.sarif" "$AL"
[ -s "$T/out.sarif" ] && ok || bad "check -o wrote nothing"
ls "$T" | grep -q '\.tmp\.' && bad "check -o left a temporary file" || ok
# the SARIF 2.1.0 schema's required members: version, runs, tool.driver.name, each
# result's message.text; and what code-scanning needs: ruleId, a located region
jq -e '.version == "2.1.0" and (.runs | length) == 1
       and .runs[0].tool.driver.name == "privsim"
       and ([.runs[0].results[] | select((.message.text | type) != "string")] | length) == 0
       and ([.runs[0].results[] | select(.ruleId == null
             or .locations[0].physicalLocation.region.startLine < 1)] | length) == 0
       and ([.runs[0].tool.driver.rules[].id] | index("forbidden") != null)' \
    "$T/out.sarif" >/dev/null && ok || bad "SARIF document lacks required members"

# ---- bad input ---------------------------------------------------------------------------
printf 'user al\nfriends al bob\n' >"$T/bad.psim"
expect_exit 2 "check of a scenario with errors" -- "$P" check "$T/bad.psim"
grep -q "bad.psim:2:[0-9]*: error: " "$T/err" && ok || bad "error is not FILE:LINE:COL: error:"

# ---- the other commands ---------------------------------------------------------------
expect_exit 1 "explain an exposure" -- "$P" explain "$AL" ph1 dave
grep -q 'tag-review=on' "$T/out" && ok || bad "explain lacks the fix"
expect_exit 0 "audience" -- "$P" audience "$AL" ph1
expect_exit 0 "audience --format json" -- "$P" audience --format json "$AL" al.birthday
jq -e '.schema == "privsim.audience/1"' "$T/out" >/dev/null && ok || bad "audience JSON"
expect_exit 2 "audience of an unknown item" -- "$P" audience "$AL" ph9
expect_exit 0 "view-as" -- "$P" view-as "$AL" dave al
expect_exit 0 "view-as --format json" -- "$P" view-as --format json "$AL" app:quiz al
jq -e '.schema == "privsim.view-as/1"' "$T/out" >/dev/null && ok || bad "view-as JSON"
expect_exit 0 "platforms" -- "$P" platforms
expect_exit 0 "platforms --format json" -- "$P" platforms --format json
jq -e '(.platforms | length) >= 7' "$T/out" >/dev/null && ok || bad "platforms JSON"
expect_exit 1 "diff strict -> facebook-2010 adds exposures" -- "$P" diff "$AL" --from strict --to facebook-2010
expect_exit 0 "diff facebook-2010 -> strict adds none" -- "$P" diff "$AL" --from facebook-2010 --to strict
expect_exit 0 "demo" -- "$P" demo
grep -q 'tag' "$T/out" && ok || bad "demo tells no tag chapter"
expect_exit 0 "demo --format json" -- "$P" demo --format json
jq -e '.schema == "privsim.check/1" and .summary.forbidden > 0' "$T/out" >/dev/null && ok \
    || bad "demo JSON is not the story's check report"

# ---- colour ---------------------------------------------------------------------------
esc=$(printf '\033')
script -qec "$P check $AL" /dev/null >"$T/tty" 2>&1
grep -q "$esc\[" "$T/tty" && ok || bad "no colour on a terminal"
NO_COLOR=1 script -qec "$P check $AL" /dev/null >"$T/tty" 2>&1
grep -q "$esc\[" "$T/tty" && bad "colour despite NO_COLOR" || ok
"$P" check "$AL" >"$T/pipe" 2>&1
grep -q "$esc\[" "$T/pipe" && bad "colour into a pipe" || ok

# ---- golden outputs of every example --------------------------------------------------
for f in corpus/examples/*.psim; do
    name=$(basename "$f" .psim)
    for fmt in text json; do
        g=tests/golden/check/$name.$fmt
        NO_COLOR=1 "$P" check --format "$fmt" --fail-on never "$f" >"$T/golden" 2>&1
        if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
            mkdir -p tests/golden/check
            cp "$T/golden" "$g"
            ok
        elif [ ! -f "$g" ]; then
            bad "no golden file $g (run UPDATE_GOLDEN=1 make check)"
        elif cmp -s "$T/golden" "$g"; then
            ok
        else
            bad "check --format $fmt $f differs from $g"
            diff "$g" "$T/golden" | head -10 | sed 's/^/  | /'
        fi
    done
done

# ---- install --------------------------------------------------------------------------
if make -s install PREFIX=/usr DESTDIR="$T/root" PRIVSIM="$P" >/dev/null 2>&1 \
   && [ -x "$T/root/usr/bin/privsim" ] && [ -f "$T/root/usr/share/privsim/examples/al-the-accountant.psim" ]; then
    ok
else
    bad "make install PREFIX=/usr DESTDIR=... did not install privsim and the examples"
fi

echo "cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
