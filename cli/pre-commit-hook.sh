#!/bin/sh
# pre-commit-hook.sh - the hooks of .pre-commit-hooks.yaml: builds privsim from this
# repository when needed, then `privsim lint FILE...` or `privsim fmt --check FILE...`.
# usage: cli/pre-commit-hook.sh lint|fmt FILE...
here=$(cd "$(dirname "$0")/.." && pwd)
make -s -C "$here" all >/dev/null || exit 3
what=$1
shift
case $what in
    lint) exec "$here/build/privsim" lint "$@" ;;
    fmt) exec "$here/build/privsim" fmt --check "$@" ;;
    *) echo "usage: $0 lint|fmt FILE..." >&2; exit 2 ;;
esac
