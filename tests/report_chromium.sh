#!/bin/sh
# report_chromium.sh - opens the Al the Accountant report in headless Chromium, checks what
# the page shows once rendered (the plan that leads it, the worst-items table, the summary,
# the tag leak, its fixes, the diagrams, the size of the leak diagrams' labels at 100% zoom)
# and saves a screenshot.  Exits non-zero when a check fails; prints each check.
#
#   PRIVSIM=./build/privsim sh tests/report_chromium.sh [SCREENSHOT.png]
#
# The browser runs with a fresh profile and without background networking; the page itself
# forbids every fetch (Content-Security-Policy), and host resolution is disabled on top.
set -u

PRIVSIM=${PRIVSIM:-./build/privsim}
STORY=${STORY:-corpus/examples/al-the-accountant.psim}
SHOT=${1:-${SHOT:-build/report-al.png}}

fail=0
say() { printf '%s\n' "$*"; }
pass() { say "ok   - $*"; }
bad() { say "FAIL - $*"; fail=1; }

CHROMIUM=""
for c in chromium chromium-browser google-chrome; do
    if command -v "$c" >/dev/null 2>&1; then CHROMIUM=$c; break; fi
done
if [ -z "$CHROMIUM" ]; then
    say "FAIL - no chromium on PATH (Debian: apt-get install chromium)"
    exit 1
fi
[ -x "$PRIVSIM" ] || { say "FAIL - $PRIVSIM is not built"; exit 1; }
[ -r "$STORY" ] || { say "FAIL - $STORY is missing"; exit 1; }

tmp=$(mktemp -d) || exit 1
profile=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp" "$profile"' EXIT INT TERM

# 1. the report
if index=$("$PRIVSIM" report "$STORY" -o "$tmp/report") && [ -s "$index" ]; then
    pass "privsim report wrote $index"
else
    bad "privsim report failed"
    exit 1
fi

run_chromium() {
    timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking --disable-component-update \
        --disable-sync --host-resolver-rules='MAP * ~NOTFOUND' \
        --user-data-dir="$profile" --window-size=1280,2000 "$@" "file://$index" 2>/dev/null
}

# 2. the rendered page, as the browser built it
dom="$tmp/dom.html"
if run_chromium --dump-dom > "$dom" && [ -s "$dom" ]; then
    pass "chromium rendered the page ($(wc -c < "$dom") bytes of DOM)"
else
    bad "chromium could not render the page"
    exit 1
fi

check() { # check DESCRIPTION FIXED-STRING
    if grep -qF -- "$2" "$dom"; then pass "$1"; else bad "$1 (missing: $2)"; fi
}
check "the report leads with the plan" '<section id="plan"><h2>What to change</h2>'
check "the plan's first change" 'al: set p1 hide=user:erin'
check "the worst-items table" 'Worst items</caption>'
check "the most-exposed-people table" 'Most exposed people</caption>'
first=$(grep -o '<section id="[a-z]*"' "$dom" | head -n 1)
if [ "$first" = '<section id="plan"' ]; then pass "What to change is the first section"
else bad "the first section is $first, not the plan"; fi
check "each diagram links to its own SVG file" 'href="diagram-001.svg"'
if [ -s "$tmp/report/diagram-001.svg" ]; then pass "the diagrams are written as files"
else bad "no diagram-001.svg beside the page"; fi
check "the summary is shown" '<h2>Summary</h2>'
check "exposures are counted by severity" 'forbidden by a persona'
check "by persona, by rule, by category" 'By category</caption>'
check "the tag leak is shown" 'carol sees photo ph1'
check "its path in words" 'who is tagged in ph1'
check "the rule behind it" 'rule tag-extends = owner-choice'
check "its fix" 'al: tag-review=on'
check "the expectations" '<h2>Expectations</h2>'
check "the platform" 'facebook-2010'
check "the history section" '<h2>Through the platforms</h2>'
check "the history chart has a column per preset" 'facebook-2014'
check "each widening names its rule" '(1) p1, facebook-2010: the internet, internet by share (public): rule reshare = visible'
n=$(grep -o '<svg' "$dom" | wc -l)
if [ "$n" -ge 5 ]; then pass "$n diagrams are inline SVG"; else bad "only $n diagrams"; fi
if grep -qiE '<script|<link|<iframe' "$dom"; then
    bad "the page holds a script, a link or a frame"
else
    pass "no script, link or frame"
fi

# 3. the leak diagrams' labels at 100% zoom: a copy of the page with a script (the report
# itself runs none) measures every text of every diagram in the exposures section as drawn
measure="$tmp/report/measure.html"
js='var m=1e9,n=0;document.querySelectorAll("#exposures figure svg text").forEach(function(t){var px=parseFloat(getComputedStyle(t).fontSize)*t.getScreenCTM().a;n++;if(px<m)m=px;});document.body.setAttribute("data-labels",n);document.body.setAttribute("data-min-label-px",m.toFixed(2));'
awk -v js="$js" '/Content-Security-Policy/ { next } { sub("</body>", "<script>" js "</script></body>"); print }' \
    "$index" > "$measure"
if timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
       --disable-background-networking --host-resolver-rules='MAP * ~NOTFOUND' \
       --force-device-scale-factor=1 --user-data-dir="$profile" --window-size=1280,2000 \
       --dump-dom "file://$measure" 2>/dev/null > "$tmp/measure.dom"; then
    labels=$(sed -n 's/.*data-labels="\([0-9]*\)".*/\1/p' "$tmp/measure.dom" | head -n 1)
    px=$(sed -n 's/.*data-min-label-px="\([0-9.]*\)".*/\1/p' "$tmp/measure.dom" | head -n 1)
    if [ -n "$px" ] && [ "${labels:-0}" -gt 0 ] && awk -v p="$px" 'BEGIN { exit !(p >= 11) }'; then
        pass "the smallest of $labels leak-diagram labels renders at $px px (11 px or more)"
    else
        bad "leak-diagram labels render at ${px:-?} px (of ${labels:-0} labels), under 11 px"
    fi
else
    bad "chromium could not measure the labels"
fi

# 4. the screenshot
mkdir -p "$(dirname "$SHOT")"
rm -f "$SHOT"
if run_chromium --screenshot="$SHOT" >/dev/null && [ -s "$SHOT" ] &&
   [ "$(head -c 4 "$SHOT" | od -An -c | tr -d ' \n')" = '211PNG' ]; then
    pass "screenshot saved to $SHOT ($(wc -c < "$SHOT") bytes)"
else
    bad "no screenshot"
fi

if [ "$fail" = 0 ]; then say "report_chromium: all checks passed"; else say "report_chromium: FAILED"; fi
exit "$fail"
