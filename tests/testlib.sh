# testlib.sh - what the shell tests share: a scratch directory removed at exit, pass and
# fail counters, and expect_exit.  Sourced after `set -u`; P is the binary under test.
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
