#!/bin/sh
# action.sh - privsim as a CI gate, end to end, on a test repository built here: two commits
# of a scenario, the README's workflow copied into it, and the shell steps of action.yml run
# as GitHub would run them (with the inputs the README's workflow gives).  What must hold:
#   - the SARIF results of the exposures the second commit adds point at its changed line;
#   - the baseline recorded at the first commit makes the old exposures pass;
#   - `privsim diff --git HEAD~1` exits 1 on the change; the job summary gets its Markdown.
# Run by `make check` with PRIVSIM set to the binary; needs git, bash and jq.
set -u
P=${PRIVSIM:-./build/privsim}
case $P in /*) ;; *) P=$(pwd)/$P ;; esac
ACTION=$(pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# ---- the README's workflow and the inputs it gives the action -----------------------------
awk '/<!-- workflow:begin -->/{on=1; next} /<!-- workflow:end -->/{on=0} on' README.md |
    sed '/^```/d' >"$T/workflow.yml"
[ -s "$T/workflow.yml" ] && ok || bad "no workflow between the README's workflow markers"
input() { # the value of `NAME:` under the privsim step's `with:`
    awk -v k="$1" '/uses: .*privsim/{on=1} on && $1 == k":" {sub(/^[^:]*:[ ]*/, ""); print; exit}' \
        "$T/workflow.yml"
}
PATHS=$(input paths)
BASELINE=$(input baseline)
[ -n "$PATHS" ] && [ -n "$BASELINE" ] && ok || bad "the README's workflow gives no paths or baseline"
grep -q 'security-events: write' "$T/workflow.yml" && ok || bad "the workflow lacks security-events: write"
grep -q 'if: always()' action.yml && ok || bad "the SARIF upload does not run when the check fails"

# ---- the action's shell steps, as files ----------------------------------------------------
awk '
    /^ *run: \|$/ { n++; match($0, /^ */); ind = RLENGTH; file = sprintf("%s/step-%d.sh", dir, n); next }
    file != "" {
        match($0, /^ */)
        if ($0 != "" && RLENGTH <= ind) { file = ""; next }
        print substr($0, ind + 3) > file
    }' dir="$T" action.yml
[ -f "$T/step-1.sh" ] && [ -f "$T/step-2.sh" ] && [ -f "$T/step-3.sh" ] && ok \
    || bad "action.yml does not have its three shell steps"

# run_action DIR: runs the steps in the repository DIR; sets $status, $T/summary.md, $T/out.log
run_action() {
    : >"$T/summary.md"
    : >"$T/output"
    ( cd "$1" &&
      export GITHUB_ACTION_PATH="$ACTION" GITHUB_WORKSPACE="$1" GITHUB_STEP_SUMMARY="$T/summary.md" \
             GITHUB_OUTPUT="$T/output" PRIVSIM_BIN="$P" PRIVSIM_PATHS="$PATHS" \
             PRIVSIM_BASELINE="$BASELINE" PRIVSIM_FAIL_ON=beyond-intent PRIVSIM_SARIF=privsim.sarif &&
      bash -e "$T/step-1.sh" && bash -e "$T/step-2.sh" ) >"$T/out.log" 2>&1
    code=$(sed -n 's/^exit-code=//p' "$T/output")
    ( PRIVSIM_STATUS=$code bash -e "$T/step-3.sh" ) >>"$T/out.log" 2>&1
    status=$?
}

# ---- the repository: commit 1 has an exposure that the team accepts, in a baseline ----------
R=$T/repo
mkdir -p "$R/$PATHS" "$R/.github/workflows"
cp "$T/workflow.yml" "$R/.github/workflows/privsim.yml"
cat >"$R/$PATHS/shop.psim" <<'PSIM'
# The shop's sharing rules.

platform facebook-2011
rule reshare = visible  # a share may widen what it shares

user ann bob cat dan eve

friends ann bob eve
friends bob cat
friends cat dan

post  p1 by=ann audience=friends "Moving to Lisbon"
photo ph by=bob audience=friends tags=ann "Farewell party"

set ann tag-review=off  # ann accepts that eve sees the party photo
PSIM
git -C "$R" init -q
git -C "$R" config user.email ci@example.invalid
git -C "$R" config user.name ci
(cd "$R" && "$P" baseline -o "$BASELINE" "$PATHS" 2>/dev/null) && ok || bad "privsim baseline failed"
git -C "$R" add -A && git -C "$R" commit -qm "shop rules and their baseline"

run_action "$R"
[ "$status" = 0 ] && ok || { bad "commit 1 with its baseline: exit $status, expected 0"; sed 's/^/  | /' "$T/out.log" | head; }
jq -e '.runs[0].results | length == 0' "$R/privsim.sarif" >/dev/null && ok \
    || bad "commit 1: the baseline leaves SARIF results"
jq -e '.runs[0].invocations[0].executionSuccessful' "$R/privsim.sarif" >/dev/null && ok \
    || bad "commit 1: the SARIF log says the run failed"

# without the baseline the old exposure fails the check
(cd "$R" && "$P" check "$PATHS" >/dev/null 2>&1); [ $? = 1 ] && ok || bad "without the baseline the old exposure passes"

# ---- commit 2: bob reshares p1 to the public ----------------------------------------------
printf '\ndo bob share p1 audience=public\n' >>"$R/$PATHS/shop.psim"
line=$(grep -n 'do bob share' "$R/$PATHS/shop.psim" | cut -d: -f1)
git -C "$R" commit -qam "bob reshares"
(cd "$R" && "$P" diff --git HEAD~1 "$PATHS/shop.psim" >"$T/diff.txt" 2>&1); d=$?
[ "$d" = 1 ] && ok || bad "diff --git HEAD~1 exits $d, expected 1"
grep -q '^+ external' "$T/diff.txt" && ok || bad "diff --git does not list the new external exposure"

run_action "$R"
[ "$status" = 1 ] && ok || { bad "commit 2: exit $status, expected 1"; sed 's/^/  | /' "$T/out.log" | head; }
jq -e --arg uri "$PATHS/shop.psim" --argjson line "$line" '
    (.runs[0].results | length) > 0 and
    ([.runs[0].results[] | .locations[0].physicalLocation
      | select(.artifactLocation.uri != $uri or .artifactLocation.uriBaseId != "SRCROOT"
               or .region.startLine != $line)] | length == 0)' "$R/privsim.sarif" >/dev/null && ok \
    || bad "commit 2: SARIF results do not all point at line $line of $PATHS/shop.psim"
jq -e '[.runs[0].results[] | .properties.item] | index("ph") == null' "$R/privsim.sarif" >/dev/null \
    && ok || bad "commit 2: the baselined exposure of ph is reported"
iline=$(grep -n '^post  p1' "$R/$PATHS/shop.psim" | cut -d: -f1)
jq -e --argjson l "$iline" '[.runs[0].results[].relatedLocations[]?.physicalLocation.region.startLine] | index($l) != null' \
    "$R/privsim.sarif" >/dev/null && ok || bad "commit 2: the item's line is not a related location"
grep -q "^::error file=$PATHS/shop.psim,line=$line," "$T/out.log" && ok \
    || bad "commit 2: no workflow-command annotation at line $line"
grep -q '^## privsim check' "$T/summary.md" && grep -q 'internet' "$T/summary.md" && ok \
    || bad "commit 2: the job summary lacks the Markdown report"
python3 tests/validate_json.py schemas "$R/privsim.sarif" && ok || bad "commit 2: the SARIF log is not valid"

# ---- a scenario with errors still gives a SARIF log that says so ----------------------------
printf 'friends ann nobody\n' >>"$R/$PATHS/shop.psim"
run_action "$R"
[ "$status" = 2 ] && ok || bad "a scenario with errors: exit $status, expected 2"
jq -e '.runs[0].invocations[0].executionSuccessful == false and
       (.runs[0].invocations[0].toolExecutionNotifications[0].message.text | test("nobody"))' \
    "$R/privsim.sarif" >/dev/null && ok || bad "a scenario with errors: the SARIF log does not carry the error"

echo "action: $pass passed, $fail failed"
[ "$fail" = 0 ]
