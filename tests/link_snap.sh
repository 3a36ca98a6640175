#!/bin/sh
# link_snap.sh - the SNAP split figures of the README: for each of the ten egos, give the
# ego a second account for its largest circle (privsim import snap-ego --split largest) and
# count, under each preset, how many of the friends left with the first account link the two
# accounts (forbidden linkages: the person line says forbid-link=friends).
#
#   sh tests/link_snap.sh [DIR]      (default DIR: ../shared/data/snap-ego-facebook)
#
# Prints a Markdown table; needs jq.
set -eu
PRIVSIM=${PRIVSIM:-./build/privsim}
DIR=${1:-../shared/data/snap-ego-facebook}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PRESETS="facebook-2005 facebook-2009 facebook-2009-12 facebook-2010 facebook-2011 facebook-2015 strict"
printf '| ego | circle moved | friends of both | friends left |'
for p in $PRESETS; do printf ' %s |' "$p"; done
printf '\n| --- | --- | --- | --- |'
for p in $PRESETS; do printf ' --- |'; done
printf '\n'
for f in "$DIR"/*.edges; do
    n=$(basename "$f" .edges)
    "$PRIVSIM" import snap-ego "$DIR" --ego "$n" --split largest -o "$TMP/e.psim" 2> "$TMP/err"
    moved=$(sed -n 's/.*split: \([0-9]*\) friends moved.*/\1/p' "$TMP/err")
    both=$(sed -n 's/.*moved to the second account, \([0-9]*\) friends of both.*/\1/p' "$TMP/err")
    left=$(sed -n 's/.* \([0-9]*\) left with the first.*/\1/p' "$TMP/err")
    printf '| %s | %s | %s | %s |' "$n" "$moved" "$both" "$left"
    for p in $PRESETS; do
        "$PRIVSIM" check --no-fixes --format json --fail-on never --platform "$p" "$TMP/e.psim" \
            > "$TMP/out.json" 2>/dev/null
        jq -r '."linkage-counts".forbidden' "$TMP/out.json" | tr -d '\n' > "$TMP/c"
        printf ' %s |' "$(cat "$TMP/c")"
    done
    printf '\n'
done
