#!/bin/sh
# cli.sh - the command line as a user runs it: --help everywhere, exit codes, JSON and SARIF
# documents, golden outputs of every example, colour and NO_COLOR, atomic output files,
# `make install`.  Run by `make check` with PRIVSIM set to the binary; UPDATE_GOLDEN=1
# rewrites the golden files instead of comparing.
set -u
P=${PRIVSIM:-./build/privsim}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect_exit CODE DESCRIPTION -- COMMAND...
expect_exit() {
    want=$1; what=$2; shift 3
    "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" = "$want" ]; then ok; else bad "$what: exit $got, expected $want"; sed 's/^/  | /' "$T/err" | head -5; fi
}

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

# ---- accept lines and baselines ------------------------------------------------------------
printf 'platform facebook-2011\nrule reshare = visible\nuser al bob cat\nfriends al bob\nfriends bob cat\npost p by=al audience=friends\ndo bob share p audience=friends\n' >"$T/acc.psim"
expect_exit 1 "check of a reshare to bob's friends" -- "$P" check "$T/acc.psim"
printf 'accept cat p "bob may show it to his friends"\n' >>"$T/acc.psim"
expect_exit 0 "check with that exposure accepted" -- "$P" check "$T/acc.psim"
grep -q 'bob may show it to his friends' "$T/out" && ok || bad "the accepted exposure and its reason are not shown"
printf 'accept internet p "never"\n' >>"$T/acc.psim"
expect_exit 0 "check with an accept line that allows nothing" -- "$P" check "$T/acc.psim"
grep -q 'acc.psim:9:1: warning: the accepted exposure of p to internet no longer occurs' "$T/err" && ok \
    || bad "no warning for an accepted exposure that no longer occurs"
expect_exit 0 "baseline -o" -- "$P" baseline -o "$T/base.json" "$AL"
expect_exit 1 "check without the baseline fails" -- "$P" check --fail-on beyond-intent "$AL"
expect_exit 1 "check --baseline: the Al story's failed expectations still fail" -- "$P" check --baseline "$T/base.json" "$AL"
grep -q '^0 exposures' "$T/out" && ok || bad "check --baseline still lists baselined exposures"
expect_exit 0 "check --baseline --fail-on external (expectations aside)" -- "$P" check --baseline "$T/base.json" --fail-on never "$AL"
jq '.exposures |= map(select(.item != "ph1"))' "$T/base.json" >"$T/base2.json"
expect_exit 1 "check --baseline with ph1's exposures not in it" -- "$P" check --baseline "$T/base2.json" --format json "$AL"
jq -e '[.exposures[].item] | unique == ["ph1"]' "$T/out" >/dev/null && ok || bad "check --baseline reports other than the new exposures"
printf '{"schema":"privsim.baseline/1","exposures":[{"file":"%s","fingerprint":"p1|nobody|forbidden|x"}]}\n' "$AL" >"$T/base3.json"
expect_exit 1 "check --baseline with an entry that is gone" -- "$P" check --baseline "$T/base3.json" "$AL"
grep -q 'gone since the baseline (its line 1): p1|nobody|forbidden|x' "$T/out" && ok || bad "a gone baseline entry is not listed"
printf '{"schema":"privsim.baseline/1",\n "exposures": [}\n' >"$T/base4.json"
expect_exit 2 "check --baseline of a broken file" -- "$P" check --baseline "$T/base4.json" "$AL"
grep -q 'base4.json:2:16: error: ' "$T/err" && ok || bad "a broken baseline is not reported as FILE:LINE:COL: error:"

# ---- many scenarios, formats for CI -------------------------------------------------------
expect_exit 1 "check of a directory" -- "$P" check corpus/examples
grep -q '^10 scenarios: ' "$T/out" && ok || bad "check of a directory has no summary line"
printf 'user al\nfriends al bob\n' >"$T/bad2.psim"
expect_exit 2 "check of good and bad scenarios: the worst status" -- "$P" check corpus/examples "$T/bad2.psim"
expect_exit 2 "check -o of a bad scenario writes the document all the same" -- "$P" check --format sarif -o "$T/bad.sarif" "$T/bad2.psim"
jq -e '.runs[0].invocations[0].executionSuccessful == false' "$T/bad.sarif" >/dev/null && ok \
    || bad "the SARIF log of a bad scenario does not say the run failed"
mkdir -p "$T/dir with space#1"
cp "$AL" "$T/dir with space#1/a b.psim"
expect_exit 1 "check --format sarif --base-dir" -- "$P" check --format sarif --base-dir "$T" "$T/dir with space#1"
jq -e '[.runs[0].results[].locations[0].physicalLocation.artifactLocation.uri] | unique == ["dir%20with%20space%231/a%20b.psim"]' \
    "$T/out" >/dev/null && ok || bad "SARIF URIs are not relative and percent-encoded"
expect_exit 1 "check --format github" -- "$P" check --format github "$AL"
grep -q "^::error file=$AL,line=[0-9]*,col=[0-9]*,title=privsim%3A forbidden exposure::" "$T/out" && ok \
    || bad "check --format github writes no workflow command"
expect_exit 1 "check --format markdown" -- "$P" check --format markdown "$AL"
grep -q '^| severity | viewer | item | line | fix |' "$T/out" && ok || bad "check --format markdown has no table"
mkdir -p "$T/fin"
cp corpus/examples/vary-space.psim corpus/examples/apps-quiz.psim "$T/fin/"
expect_exit 1 "fuzz of a directory" -- "$P" fuzz --max-points 200 --out "$T/fzd" "$T/fin"
[ -f "$T/fzd/vary-space/finding-001.psim" ] && [ -d "$T/fzd/apps-quiz" ] && ok || bad "fuzz of a directory: no findings in OUT/NAME/"
grep -q '^2 scenarios: 1 with findings, 0 with errors' "$T/out" && ok || bad "fuzz of a directory has no summary line"
mkdir -p "$T/rin/a b#1"
cp corpus/examples/apps-quiz.psim "$T/rin/a b#1/x y.psim"
cp corpus/examples/reshare-chain.psim "$T/rin/"
expect_exit 0 "report of a directory" -- "$P" report "$T/rin" -o "$T/rout"
[ -f "$T/rout/x y/index.html" ] && [ -f "$T/rout/reshare-chain/index.html" ] && ok || bad "report of a directory: missing pages"
grep -q 'href="x%20y/index.html"' "$T/rout/index.html" && ok || bad "report of a directory: the list page does not link each report"
expect_exit 0 "lint of a directory" -- "$P" lint corpus/examples
grep -q '^10 of 10 files ok' "$T/out" && ok || bad "lint of a directory has no summary"

# ---- fmt keeps comments; the shipped examples are canonical ------------------------------
expect_exit 0 "fmt --check of every example" -- "$P" fmt --check corpus/examples/*.psim
expect_exit 0 "fmt --check of the examples directory" -- "$P" fmt --check corpus/examples
for f in corpus/examples/*.psim; do
    # every comment of the file is in its formatted text, as often as in the file
    "$P" fmt "$f" >"$T/fmt.psim" 2>/dev/null
    grep -o '#.*' "$f" | sed 's/[[:space:]]*$//' | sort >"$T/c1"
    grep -o '#.*' "$T/fmt.psim" | sed 's/[[:space:]]*$//' | sort >"$T/c2"
    cmp -s "$T/c1" "$T/c2" && ok || bad "fmt $f loses or adds comments"
done
cp corpus/examples/apps-quiz.psim "$T/messy.psim"
printf 'user zed   # a late user\nfriends zed sam\n' >>"$T/messy.psim"
expect_exit 1 "fmt --check of a file out of canonical form" -- "$P" fmt --check "$T/messy.psim"
expect_exit 0 "fmt --write" -- "$P" fmt --write "$T/messy.psim"
expect_exit 0 "fmt --check after fmt --write" -- "$P" fmt --check "$T/messy.psim"
grep -q '# a late user' "$T/messy.psim" && ok || bad "fmt --write dropped a comment"
expect_exit 2 "fmt of several files without --check or --write" -- "$P" fmt corpus/examples

# ---- a fuzz finding's "# Found by:" line reruns the search and finds it again ---------------
(cd "$T" && "$OLDPWD/$P" fuzz --vary-user al --vary-others carol --baseline written \
    --strategy random --seed 7 --max-points 300 --out run1 --format json \
    "$OLDPWD/$AL" >run1.json 2>/dev/null)
line=$(sed -n 's/^# Found by: //p' "$T/run1/finding-001.psim")
case "$line" in
    *--vary-user*--vary-others*--baseline\ written*--strategy\ random*--seed\ 7*--max-points\ 300*) ok ;;
    *) bad "Found by line lacks flags: $line" ;;
esac
# run it as written, with privsim being the binary under test and its own output directory
(cd "$T" && eval "\"$OLDPWD/$P\" ${line#privsim } --out run2 --format json" >run2.json 2>/dev/null)
cmp -s "$T/run1/finding-001.psim" "$T/run2/finding-001.psim" && ok \
    || bad "rerunning the Found by line does not give finding-001 again"
jq -e --slurpfile a "$T/run1.json" '[.findings[] | del(.file)] == [$a[0].findings[] | del(.file)]' "$T/run2.json" >/dev/null && ok \
    || bad "rerunning the Found by line gives other findings"

# the report of a scenario with its findings shows each finding's whole Found by line
expect_exit 0 "report --findings" -- "$P" report "$AL" -o "$T/rep-f" --findings "$T/run1"
grep -q -- "Found by: privsim fuzz --vary-user al --vary-others carol --baseline written --strategy random --seed 7 --max-points 300 " \
    "$T/rep-f/index.html" && ok || bad "the report does not show the finding's whole Found by line"

# ---- install --------------------------------------------------------------------------
if make -s install PREFIX=/usr DESTDIR="$T/root" PRIVSIM="$P" >/dev/null 2>&1 \
   && [ -x "$T/root/usr/bin/privsim" ] && [ -f "$T/root/usr/share/privsim/examples/al-the-accountant.psim" ]; then
    ok
else
    bad "make install PREFIX=/usr DESTDIR=... did not install privsim and the examples"
fi

# ---- packaging: --version, make install with the man page and completions --------------------
expect_exit 0 "privsim --version" -- "$P" --version
grep -q '^privsim [0-9][0-9.]*$' "$T/out" && ok || bad "--version prints no version"
v=$(sed 's/^privsim //' "$T/out")
grep -q "^.TH PRIVSIM 1 .*\"privsim $v\"" doc/privsim.1 && ok || bad "the man page is not of version $v"
for cmd in $("$P" --help | awk '/^commands:/{on=1; next} on && /^  [a-z]/{print $1} on && /^$/{on=0}'); do
    grep -q "^\.B $(printf '%s' "$cmd" | sed 's/-/\\\\-/g')\b" doc/privsim.1 && ok || bad "the man page lacks the command $cmd"
done
if make -s install PREFIX="$T/x" PRIVSIM="$P" >/dev/null 2>&1 && "$T/x/bin/privsim" --version >/dev/null \
   && MANPAGER=cat MANWIDTH=80 man -M "$T/x/share/man" privsim >"$T/man.txt" 2>/dev/null \
   && grep -q 'privacy-settings simulator' "$T/man.txt" \
   && [ -f "$T/x/share/bash-completion/completions/privsim" ] && [ -f "$T/x/share/zsh/site-functions/_privsim" ] \
   && [ -f "$T/x/share/privsim/schemas/check-1.schema.json" ]; then
    ok
else
    bad "make install PREFIX=... && privsim --version && man -M PREFIX/share/man privsim"
fi
if command -v bash >/dev/null; then
    got=$(PATH="$T/x/bin:$PATH" bash -c '. doc/completion.bash; COMP_WORDS=(privsim check --basel); COMP_CWORD=2; _privsim; echo "${COMPREPLY[*]}"')
    [ "$got" = "--baseline" ] && ok || bad "bash completion of 'privsim check --basel' gives '$got'"
fi

echo "cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
