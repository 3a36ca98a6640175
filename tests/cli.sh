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
# after al's late `set p1 ... hide=network:acme`, the audience in force is shown
expect_exit 0 "audience after a late set" -- "$P" audience "$AL" p1
grep -q 'hide: network:acme  (at the end; at the start: list:bowling)' "$T/out" && ok \
    || bad "audience header does not show the audience in force at the end"
expect_exit 0 "audience --format json after a late set" -- "$P" audience --format json "$AL" p1
jq -e '.hide == "network:acme" and ."start-hide" == ""' "$T/out" >/dev/null && ok \
    || bad "audience JSON does not show the hide in force at the end"
expect_exit 0 "view-as" -- "$P" view-as "$AL" dave al
expect_exit 0 "view-as --format json" -- "$P" view-as --format json "$AL" app:quiz al
jq -e '.schema == "privsim.view-as/1"' "$T/out" >/dev/null && ok || bad "view-as JSON"
expect_exit 0 "platforms" -- "$P" platforms
expect_exit 0 "platforms --format json" -- "$P" platforms --format json
jq -e '(.platforms | length) >= 7' "$T/out" >/dev/null && ok || bad "platforms JSON"
expect_exit 1 "diff strict -> facebook-2010 adds exposures" -- "$P" diff "$AL" --from strict --to facebook-2010
expect_exit 0 "diff facebook-2010 -> strict adds none" -- "$P" diff "$AL" --from facebook-2010 --to strict
# history: the Al story under every dated preset (the must-show of the platform history)
expect_exit 0 "history" -- "$P" history "$AL"
grep -q '^al.city .*internet' "$T/out" && ok || bad "history: al.city never reaches the internet"
grep -q 'al.name: 2005 -> 2007, users -> internet: internet by search listing' "$T/out" && ok \
    || bad "history: the 2007 search listing widening is not named"
expect_exit 0 "history --format json" -- "$P" history --format json --user al "$AL"
jq -e '.schema == "privsim.history/1" and (.presets | length) == 10
       and ([.items[] | select(.item == "al.birthday") | .history[]
             | select(.preset == "facebook-2014")][0].class == "apps")
       and ([.items[] | select(.item == "al.birthday") | .history[]
             | select(.preset == "facebook-2015")][0].class == "friends")' "$T/out" >/dev/null \
    && ok || bad "history JSON: the quiz app reads the 2014 birthday, not the 2015 one"
expect_exit 2 "history of an unknown user" -- "$P" history --user zed "$AL"
# Graphviz and fontconfig keep memory they never free: under the sanitizers, the same
# suppressions as the Criterion tests (a no-op for a build without them)
expect_exit 0 "viz history" -- env ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0 \
    LSAN_OPTIONS="suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0" \
    "$P" viz "$AL" history al -o "$T/history.svg"
grep -q '<svg' "$T/history.svg" && ok || bad "viz history wrote no SVG"
expect_exit 0 "the Google+ example" -- "$P" check --fail-on expect corpus/examples/gplus-circles.psim
expect_exit 0 "demo" -- "$P" demo
grep -q 'tag' "$T/out" && ok || bad "demo tells no tag chapter"
grep -q 'A second account' "$T/out" && ok || bad "demo tells no second-account chapter"
grep -q 'alv: do not give the platform the same email' "$T/out" && ok \
    || bad "demo's second-account chapter lacks the smallest set"
expect_exit 0 "demo --scenario-two" -- "$P" demo --scenario-two
cmp -s "$T/out" corpus/examples/al-two-accounts.psim && ok || bad "demo --scenario-two is not the story file"
expect_exit 0 "demo --format json" -- "$P" demo --format json
jq -e '.schema == "privsim.check/1" and .summary.forbidden > 0' "$T/out" >/dev/null && ok \
    || bad "demo JSON is not the story's check report"

# ---- stats, gen --edges-out -----------------------------------------------------------
printf 'user a b c d e f\nfriends a b c\nfriends b c\nfriends c d\nfriends d e\n' > "$T/six.psim"
expect_exit 0 "stats" -- "$P" stats "$T/six.psim"
head -n 1 "$T/out" | grep -q 'six.psim: 6 people, 5 friendships$' && ok || bad "stats text: wrong first line"
grep -Eq '^  fof +1 +4 +3.67 +5 +5 +5$' "$T/out" && ok || bad "stats text: wrong fof row"
cp "$T/six.psim" "$T/q\"x.psim"
expect_exit 0 "stats --format json" -- "$P" stats --format json "$T/q\"x.psim"
jq -e '.schema == "privsim.stats/1" and (.file | endswith("q\"x.psim")) and .people == 6
       and .friendships == 5 and .degree.median == 2 and .degree.sum == 10
       and .audiences.fof.sum == 22 and .audiences.fof.max == 5 and .audiences.friends.min == 1
       and .audiences.every == 1 and ([.degree.histogram[].count] == [1, 1, 4])' "$T/out" >/dev/null \
    && ok || bad "stats JSON figures"
expect_exit 0 "stats --per-person --sample 3" -- "$P" stats --per-person --sample 3 "$T/six.psim"
[ "$(cut -d' ' -f1,3 "$T/out" | tr '\n' ' ')" = "a 4 c 5 e 3 " ] && ok || bad "stats --per-person --sample 3: $(cat "$T/out")"
expect_exit 0 "stats --timing" -- "$P" stats --timing "$T/six.psim"
grep -Eq '^privsim stats: timing: read [0-9.]+ s CPU \([0-9.]+ s wall\), stats [0-9.]+ s CPU' "$T/err" && ok || bad "stats --timing line"
expect_exit 0 "check --timing" -- "$P" check --timing "$T/six.psim"
grep -Eq '^privsim check: timing: read [0-9.]+ s CPU \([0-9.]+ s wall\), check [0-9.]+ s CPU \([0-9.]+ s wall\), write ' "$T/err" && ok || bad "check --timing line"
expect_exit 2 "stats --sample 0" -- "$P" stats --sample 0 "$T/six.psim"
expect_exit 2 "stats --per-person --format json" -- "$P" stats --per-person --format json "$T/six.psim"
expect_exit 2 "stats without a file" -- "$P" stats
printf 'user a\nfriends a zed\n' > "$T/badstats.psim"
expect_exit 2 "stats of a bad file" -- "$P" stats "$T/badstats.psim"
grep -q 'badstats.psim:2:11: error:' "$T/err" && ok || bad "stats: no FILE:LINE:COL error"
[ -s "$T/out" ] && bad "stats of a bad file wrote output" || ok
expect_exit 0 "gen --edges-out" -- "$P" gen --people 2000 --degree 10 -q -o "$T/g.psim" --edges-out "$T/g.edges"
[ "$(wc -l < "$T/g.edges")" = 10000 ] && ok || bad "gen --edges-out: not 10000 lines"
awk 'NF != 2 || $1 >= $2 || $2 >= 2000 { bad = 1 } END { exit bad }' "$T/g.edges" && ok \
    || bad "gen --edges-out: a line is not 'I J' with I < J < people"
sort -u -k1,1n -k2,2n "$T/g.edges" | cmp -s - "$T/g.edges" && ok || bad "gen --edges-out: not sorted or duplicated"
"$P" stats --format json "$T/g.psim" > "$T/g.json" 2>/dev/null
jq -e '.friendships == 10000 and .degree.sum == 20000' "$T/g.json" >/dev/null && ok || bad "stats of gen: wrong counts"
expect_exit 2 "gen --edges-out - to stdout" -- "$P" gen --people 10 --edges-out -
expect_exit 2 "gen --edges-out to the scenario's file" -- "$P" gen --people 10 -o "$T/same" --edges-out "$T/same"
[ -e "$T/same" ] && bad "gen wrote a file after a usage error" || ok

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

# ---- fixes beyond the path's own: the owner's hide, tag review by several -------------
TWO=tests/data/fixes/two-tags-nine-friends.psim
expect_exit 1 "explain of a viewer of two tags" -- "$P" explain "$TWO" party f7
grep -q 'olga: party tag-friends=off' "$T/out" && ok || bad "explain lacks the owner's friends-of-tagged choice"
TWOC=tests/data/fixes/two-commenters-nine-friends.psim
expect_exit 1 "explain of a viewer of two commenters" -- "$P" explain "$TWOC" news f7
grep -q 'olga: set news hide=user:f7' "$T/out" && ok || bad "explain lacks the owner's hide"
grep -q 'only the platform' "$T/out" && bad "explain claims only the platform cuts it" || ok
expect_exit 1 "check of a photo of two tags" -- "$P" check "$TWO"
grep -q 'only the platform' "$T/out" && bad "check claims only the platform cuts it" || ok

# ---- explain: why not --------------------------------------------------------------
expect_exit 0 "explain of a viewer who never sees the item" -- "$P" explain "$AL" ph1 gina
grep -q '^Nearest path' "$T/out" && ok || bad "explain why-not shows no nearest path"
grep -q "^Missing link: ph1's audience (friends) does not include gina" "$T/out" && ok \
    || bad "explain why-not does not name the missing link"
expect_exit 0 "explain why-not --format json" -- "$P" explain --format json "$AL" g1 carol
jq -e '."why-not".found and (."why-not".missing | test("not a member of the closed group lanes"))
       and (."why-not"."nearest-path" | last | .viewer) == "carol"' "$T/out" >/dev/null && ok \
    || bad "explain JSON lacks the why-not of carol and g1"

# ---- plan ---------------------------------------------------------------------------
expect_exit 0 "plan of the Al story" -- "$P" plan -o "$T/planned.psim" "$AL"
grep -q '^What to change' "$T/out" && ok || bad "plan text has no What to change heading"
grep -q 'al: tag-review=on' "$T/out" && ok || bad "plan lacks al: tag-review=on"
grep -q 'remove 4 of 4 exposures at or above forbidden' "$T/out" && ok || bad "plan summary wrong"
expect_exit 0 "check of the planned Al story" -- "$P" check --fail-on never --format json "$T/planned.psim"
jq -e '.summary.forbidden == 0' "$T/out" >/dev/null && ok || bad "the planned Al story has a forbidden exposure"
expect_exit 0 "plan --format json" -- "$P" plan --format json --severity external "$AL"
jq -e '.schema == "privsim.plan/1" and .severity == "external" and (.changes | length) > 0
       and (.left | length) == 0 and ([.changes[].removes | length] | add) == .exposures' \
    "$T/out" >/dev/null && ok || bad "plan JSON is not a privsim.plan/1 document that adds up"
expect_exit 0 "plan --format sarif" -- "$P" plan --format sarif "$AL"
jq -e '.version == "2.1.0" and (.runs[0].results | length) == 2' "$T/out" >/dev/null && ok \
    || bad "plan SARIF has not one result per change"
expect_exit 2 "plan --severity nonsense" -- "$P" plan --severity nonsense "$AL"
expect_exit 1 "fuzz --format json names the plan change of each finding" -- \
    "$P" fuzz --vary-others al --out - --format json "$AL"
jq -e '(.findings | length) > 0 and all(.findings[]; has("plan-change"))
       and ([.findings[] | select(.item == "ph1" and .viewer == "gina")][0]."plan-change"
            == "al: tag-review=on")' "$T/out" >/dev/null && ok \
    || bad "fuzz JSON findings do not say which plan change removes them"

# ---- report: whole finding headers, diagrams as files ---------------------------------
"$P" fuzz "$AL" --vary-user al --vary-others al --out "$T/fz" >/dev/null 2>&1
expect_exit 0 "report with findings" -- "$P" report "$AL" --findings "$T/fz" -o "$T/rep"
grep -q 'Check it: privsim check finding-001.psim' "$T/rep/index.html" && ok \
    || bad "the report cuts a finding's header (its 16th line is missing)"
[ -s "$T/rep/diagram-001.svg" ] && ok || bad "report wrote no diagram-001.svg"

# ---- harden -------------------------------------------------------------------------
expect_exit 0 "harden al" -- "$P" harden "$AL" --user al -o "$T/hardened.psim"
grep -q '^  set al tag-review=on apps-through-friends=photos$' "$T/out" && ok \
    || bad "harden al lacks tag review on and apps without birthday"
grep -q '2592 points of the space (9 dimensions) checked, all clean' "$T/out" && ok \
    || bad "harden al does not print its proof over the 2592 points"
grep -q 'persona  weekend reaches erin, frank' "$T/out" && ok || bad "harden al loses erin or frank"
expect_exit 0 "fuzz of the hardened Al story" -- "$P" fuzz --vary-others al --out - --format json "$T/hardened.psim"
jq -e '[.findings[] | select(.severity == "forbidden")] | length == 0' "$T/out" >/dev/null && ok \
    || bad "the fuzzer finds a forbidden exposure in the hardened Al story"
expect_exit 1 "harden when only others can act" -- "$P" harden tests/data/harden/others-must-act.psim --user al
grep -q 'No setting of al.s suffices' "$T/out" && ok || bad "harden does not say nothing suffices"
grep -q 'frank: set lanes hide=user:carol' "$T/out" && ok || bad "harden does not name frank"
expect_exit 0 "harden --format json" -- "$P" harden --format json "$AL" --user al
jq -e '.schema == "privsim.harden/1" and .suffices and .points == 2592
       and (.personas.weekend | index("erin") != null)' "$T/out" >/dev/null && ok \
    || bad "harden JSON is not a privsim.harden/1 document with its proof"
expect_exit 0 "harden --format sarif" -- "$P" harden --format sarif "$AL" --user al
jq -e '.version == "2.1.0" and (.runs[0].results | length) == 2' "$T/out" >/dev/null && ok \
    || bad "harden SARIF has not one result per setting line"
expect_exit 2 "harden without --user" -- "$P" harden "$AL"
expect_exit 2 "harden --user nobody" -- "$P" harden "$AL" --user nobody
expect_exit 2 "harden --against nonsense" -- "$P" harden "$AL" --user al --against nonsense

# ---- linkage: two accounts, one person ------------------------------------------------
TW=corpus/examples/al-two-accounts.psim
expect_exit 1 "check of the two-accounts story" -- "$P" check "$TW"
grep -q 'forbidden dave links al and alv' "$T/out" && ok || bad "check text lacks dave's linkage"
grep -A3 'smallest set' "$T/out" | grep -q 'alv: do not give the platform the same email' && ok \
    || bad "check text lacks the smallest set"
expect_exit 1 "check --format json with linkages" -- "$P" check --format json "$TW"
jq -e '[.linkages[] | select(.severity == "forbidden") | .viewer] == ["carol", "dave"]
       and (."link-minimum-sets"[0].changes | length) == 3
       and ."linkage-counts".forbidden == 2' "$T/out" >/dev/null && ok \
    || bad "check JSON lacks the forbidden linkages or the smallest set"
expect_exit 1 "check --format sarif with linkages" -- "$P" check --format sarif "$TW"
jq -e '[.runs[0].results[] | select(.ruleId == "linkage-forbidden")] | length == 2' "$T/out" \
    >/dev/null && ok || bad "SARIF lacks the linkage results"
expect_exit 1 "explain link" -- "$P" explain "$TW" link al alv dave
grep -q 'ph2: frank owns ph2 > dave is a friend of al, who is tagged in ph2' "$T/out" && ok \
    || bad "explain link shows no path for the tag"
expect_exit 1 "explain link --format json" -- "$P" explain --format json "$TW" link alv al carol
jq -e '.schema == "privsim.explain-link/1" and .linked and .linkage.viewer == "carol"' "$T/out" \
    >/dev/null && ok || bad "explain link JSON"
expect_exit 0 "explain link: a viewer who cannot link" -- "$P" explain "$TW" link al alv internet
grep -q 'internet cannot link al and alv' "$T/out" && ok || bad "explain link says nothing"
expect_exit 2 "explain link: not one person's accounts" -- "$P" explain "$TW" link al carol dave
expect_exit 0 "check --fail-on never with linkages" -- "$P" check --fail-on never "$TW"
printf 'user al alv\nperson al accounts=al\nperson bo accounts=al,zed\n' > "$T/bad.psim"
expect_exit 2 "lint of bad person lines" -- "$P" lint "$T/bad.psim"
grep -q "bad.psim:2:11: error: a person needs at least two accounts" "$T/err" && ok \
    || bad "person error not reported at 2:11"
grep -q "bad.psim:3:23: error: unknown user 'zed'" "$T/err" && ok || bad "unknown account"
# diagnostics of several passes come out in the order of the file, in JSON too
printf 'user al alv bo\nperson p accounts=al,alv same=phone,phone forbid-link=\nfield al.email audience=friends value="a"\nfield al.email value="b"\nfield alv.phone value="x" value="y"\nperson q accounts=bo,\nrule contact-suggestions = phone,phone\nrule link-mutual-friends = at-least-1000000\n' > "$T/order.psim"
expect_exit 2 "lint --format json of errors found by several passes" -- "$P" lint --format json "$T/order.psim"
jq -e '[.files[0].diagnostics[] | .line] | . == sort and length >= 5' "$T/out" >/dev/null && ok \
    || bad "lint JSON diagnostics are not in the order of the file: $(jq -c '[.files[0].diagnostics[] | .line]' "$T/out")"
expect_exit 0 "import --split" -- "$P" import snap-ego tests/data/snap-mini --ego 10 --split circle0
grep -q '^person u10 accounts=u10,u10-alt forbid-link=friends$' "$T/out" && ok || bad "no person line"
grep -q '^friends u1 u2 u10-alt$' "$T/out" && ok || bad "circle members did not move"
grep -q '2 friends moved to the second account, 0 friends of both, 3 left' "$T/err" && ok \
    || bad "split summary"
expect_exit 2 "import --split of an unknown circle" -- "$P" import snap-ego tests/data/snap-mini --ego 10 --split nope

expect_exit 1 "diff of linkages across platforms" -- "$P" diff --format json "$TW" --from strict --to facebook-2010
jq -e '."linkages-added" == 3 and ([."linkage-changes"[] | select(.change == "added") | .viewer]
       == ["frank", "gina", "hank"])' "$T/out" >/dev/null && ok || bad "diff JSON lacks the linkage changes"
expect_exit 1 "diff text with linkages" -- "$P" diff "$TW" --from strict --to facebook-2010
grep -q '^+ beyond-intent frank links al and alv  tag,contacts$' "$T/out" && ok || bad "diff text linkage line"

expect_exit 0 "viz link" -- "$P" viz "$TW" link al alv dave -o "$T/link.svg"
grep -q 'links them' "$T/link.svg" && grep -q 'photo ph2 by frank tags al and' "$T/link.svg" && ok \
    || bad "viz link draws no evidence"
expect_exit 2 "viz link of a viewer who does not link" -- "$P" viz "$TW" link al alv internet -o "$T/l2.svg"
[ -e "$T/l2.svg" ] && bad "viz link wrote a file for nothing" || ok
expect_exit 0 "report with linkages" -- "$P" report "$TW" -o "$T/rep"
grep -q '<section id="linkages">' "$T/rep/index.html" && grep -q "How carol links al and alv" "$T/rep/index.html" \
    && ok || bad "report has no linkage section with its diagram"

# a linkage that needs two changes at once, one by each account, found by the fuzzer
TF=corpus/examples/al-two-accounts-fuzz.psim
expect_exit 0 "check of the careful two accounts" -- "$P" check "$TF"
expect_exit 1 "fuzz finds the two-account linkage" -- "$P" fuzz --vary-user al,alv --out "$T/fz" --format json "$TF"
jq -e '[."linkage-findings"[] | select(.severity == "forbidden")][0]
       | (.changes | length) == 2 and (.changes[0] | startswith("al: "))
         and (.changes[1] | startswith("alv: ")) and .evidence == ["fields"]' "$T/out" \
    >/dev/null && ok || bad "fuzz JSON lacks the two-change linkage"
[ -f "$T/fz/linkage-001.psim" ] && ok || bad "fuzz wrote no linkage file"
expect_exit 1 "fuzz --format sarif with linkages" -- "$P" fuzz --vary-user al,alv --out - --format sarif "$TF"
jq -e '[.runs[0].results[] | select(.ruleId == "linkage-forbidden")] | length == 1' "$T/out" \
    >/dev/null && ok || bad "fuzz SARIF lacks the linkage finding"
expect_exit 1 "the linkage file reproduces it" -- "$P" check "$T/fz/linkage-001.psim"
grep -q 'forbidden carol links al and alv' "$T/out" && ok || bad "linkage-001.psim does not link"
# linkage over the timeline: what dave saw before is remembered, in every output
TT=tests/data/linkage/timeline.psim
expect_exit 1 "check of a linkage made of what was seen at different steps" -- "$P" check "$TT"
grep -q 'forbidden dave links al and alv from step 1 (line 22)' "$T/out" \
    && grep -q 'dave saw photo ph by frank while it tagged al and while it tagged alv' "$T/out" \
    && grep -q 'dave has seen the same phone on al and alv' "$T/out" && ok \
    || bad "check does not show the linkage from step 1 with its remembered evidence"
expect_exit 1 "check --format json of it" -- "$P" check --format json "$TT"
jq -e '.linkages[] | select(.viewer == "dave") | ."first-step" == 1 and
       ([.evidence[].remembered] == [true, true])' "$T/out" >/dev/null && ok \
    || bad "JSON lacks first-step or remembered"
expect_exit 0 "viz link of it" -- "$P" viz "$TT" link al alv dave -o "$T/tl.svg"
grep -q 'from step 1 (line 22)' "$T/tl.svg" && ok || bad "the linkage diagram does not say from which step"
expect_exit 0 "report of it" -- "$P" report "$TT" -o "$T/tlrep"
grep -q 'from step 1 (line 22)' "$T/tlrep/index.html" && ok || bad "the report does not say from which step"

# a path is described in the state in which it was found, not as the file wrote it
printf 'platform strict\nuser al bo\nfriends al bo\npost p by=al audience=only-me\ndo al set p audience=friends\n' > "$T/basis.psim"
expect_exit 0 "explain of a path that a step opened" -- "$P" explain "$T/basis.psim" p bo
grep -q "al set p's audience to friends" "$T/out" && ok || bad "explain describes the path with the audience as written"
expect_exit 0 "the same in JSON" -- "$P" explain --format json "$T/basis.psim" p bo
jq -e '.path[1].basis == "al set p'"'"'s audience to friends"' "$T/out" >/dev/null && ok \
    || bad "explain JSON describes the path with the audience as written"
"$P" check --format json "$TT" > "$T/tl.json" 2>/dev/null
jq -e '[.linkages[] | select(.viewer == "dave") | .evidence[] | select(.kind == "fields") | .paths[]
        | .path[-1].basis] == ["al set al.phone'"'"'s audience to friends", "alv set alv.phone'"'"'s audience to friends"]' \
    "$T/tl.json" >/dev/null && ok || bad "the legs of remembered evidence are not described in their own state"

# a viewer who does not link the accounts: what he did see of them
expect_exit 0 "explain link for a viewer who links nothing" -- "$P" explain tests/data/linkage/nearest.psim link al alv dave
grep -q 'dave has seen 1 friend in common of al and alv (f1); rule link-mutual-friends needs 3' "$T/out" \
    && grep -q 'dave has seen the phone of al but not that of alv' "$T/out" \
    && grep -q 'dave saw photo ph by frank while it tagged alv, never while it tagged al' "$T/out" && ok \
    || bad "explain link does not say what the viewer did see"

# a linkage the baseline shows already is a finding again when a change makes it worse
expect_exit 1 "fuzz finds a linkage that becomes forbidden" -- "$P" fuzz --vary-others al --format json tests/data/linkage/new-severity.psim
jq -e '."linkage-findings" | length == 1 and .[0].viewer == "x" and .[0].severity == "forbidden"
       and .[0].changes == ["do x befriend al"]' "$T/out" >/dev/null && ok \
    || bad "fuzz does not report the linkage that a friendship makes forbidden"

# --vary-rules varies the rules of linkage too: a threshold of one friend in common
expect_exit 1 "fuzz --vary-rules finds a linkage by the link rules" -- "$P" fuzz --vary-rules --format json --out "$T/fr" "$TW"
jq -e '[."linkage-findings"[] | select(.changes == ["rule link-mutual-friends = at-least-1"])] | length >= 1' "$T/out" \
    >/dev/null && ok || bad "fuzz --vary-rules: no linkage that the rule link-mutual-friends alone makes"
grep -q "^rule link-mutual-friends = at-least-1$" "$T/fr/linkage-001.psim" && ok \
    || bad "the linkage file does not carry the rule of linkage"

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
nex=$(ls corpus/examples/*.psim | wc -l)
grep -q "^$nex scenarios: " "$T/out" && ok || bad "check of a directory has no summary line"
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
grep -q "^$nex of $nex files ok" "$T/out" && ok || bad "lint of a directory has no summary"

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
