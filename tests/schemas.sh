#!/bin/sh
# schemas.sh - every JSON document of every command validates against its schema in
# schemas/ (and every SARIF log against the SARIF subset there).  Run by `make check` with
# PRIVSIM set to the binary; needs python3-jsonschema (installed by `make deps`).
set -u
P=${PRIVSIM:-./build/privsim}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
run() { # run NAME COMMAND...: its standard output becomes a document to validate
    name=$1; shift
    n=$((n + 1))
    "$@" >"$T/$n-$name.json" 2>/dev/null
    case $? in 0|1|2) ;; *) echo "FAIL: $* exited $?"; exit 1 ;; esac
}
AL=corpus/examples/al-the-accountant.psim
for f in corpus/examples/*.psim; do
    b=$(basename "$f" .psim)
    run "check-$b" "$P" check --format json "$f"
    run "sarif-$b" "$P" check --format sarif "$f"
done
run checks "$P" check --format json corpus/examples
run checks-sarif "$P" check --format sarif corpus/examples
run explain "$P" explain --format json "$AL" ph1 dave
run explain-intended "$P" explain --format json "$AL" ph1 frank
run audience "$P" audience --format json "$AL" ph1
run audience-field "$P" audience --format json "$AL" al.birthday
run view-as "$P" view-as --format json "$AL" dave al
run view-as-app "$P" view-as --format json "$AL" app:quiz
run platforms "$P" platforms --format json
run diff "$P" diff --format json "$AL" --from strict --to facebook-2010
run diff-sarif "$P" diff --format sarif "$AL" --from strict --to facebook-2010
run lint "$P" lint --format json corpus/examples "$T/missing.psim"
run demo "$P" demo --format json
run fuzz "$P" fuzz --format json --out - --vary-user al --max-points 40 "$AL"
run fuzz-guided "$P" fuzz --format json --out - --strategy guided --vary-others al --max-points 40 "$AL"
run fuzz-sarif "$P" fuzz --format sarif --out "$T/fz" --vary-user al --max-points 40 "$AL"
run fuzzes "$P" fuzz --format json --out - --vary-rules --max-points 30 corpus/examples
run fuzzes-sarif "$P" fuzz --format sarif --out - --vary-rules --max-points 30 corpus/examples
run baseline "$P" baseline -o - "$AL"
printf 'platform facebook-2011\nrule reshare = visible\nuser al bob cat\nfriends al bob\nfriends bob cat\npost p by=al audience=friends\ndo bob share p audience=friends\naccept cat p "fine"\naccept internet p "gone"\n' >"$T/accept.psim"
run check-accept "$P" check --format json "$T/accept.psim"
"$P" baseline -o "$T/bl.json" "$AL" 2>/dev/null
run check-baseline "$P" check --format json --baseline "$T/bl.json" "$AL"
printf 'user al\nfriends al bob\n' >"$T/bad.psim"
run sarif-bad "$P" check --format sarif "$T/bad.psim"
TWO=corpus/examples/al-two-accounts.psim
run explain-why-not "$P" explain --format json "$AL" g1 carol
run explain-link "$P" explain --format json "$TWO" link al alv dave
run explain-link-none "$P" explain --format json "$TWO" link al alv al
run explain-link-nearest "$P" explain --format json tests/data/linkage/nearest.psim link al alv dave
run diff-linkages "$P" diff --format json "$TWO" --from strict --to facebook-2010
run fuzz-linkages "$P" fuzz --format json --out - --vary-user al,alv --max-points 40 corpus/examples/al-two-accounts-fuzz.psim
run stats "$P" stats --format json "$AL"
run stats-two "$P" stats --format json "$TWO"
run plan "$P" plan --format json "$AL"
run plan-external "$P" plan --format json --severity external "$AL"
run plan-sarif "$P" plan --format sarif "$AL"
run harden "$P" harden --format json "$AL" --user al
run harden-others "$P" harden --format json tests/data/harden/others-must-act.psim --user al
run harden-sarif "$P" harden --format sarif "$AL" --user al
run harden-others-sarif "$P" harden --format sarif tests/data/harden/others-must-act.psim --user al
run history "$P" history --format json "$AL"
run history-two "$P" history --format json "$TWO" --user alv
python3 tests/validate_json.py schemas "$T"/*.json || { echo "schemas: FAILED"; exit 1; }
# and the validator does reject a document that breaks its schema
jq '.exposures[0].severity = "severe"' "$T/1-check-al-the-accountant.json" >"$T/broken"
if python3 tests/validate_json.py schemas "$T/broken" >/dev/null; then
    echo "FAIL: a broken check document passed validation"; exit 1
fi
echo "schemas: $n documents valid"
