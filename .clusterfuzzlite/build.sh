#!/bin/bash -eu
# .clusterfuzzlite/build.sh - builds every target of fuzz/fuzz.mk with the compiler, flags and
# fuzzing engine that ClusterFuzzLite passes ($CC, $CFLAGS, $LIB_FUZZING_ENGINE), and copies
# each one to $OUT with its dictionary, its options and its seed corpus (plus every regression
# input of that target) as <target>_seed_corpus.zip.
cd "$SRC/privsim"
make -f fuzz/fuzz.mk fuzz FUZZ_BUILD=/tmp/privsim-fuzz LIB_FUZZING_ENGINE="$LIB_FUZZING_ENGINE"
for t in scenario engine settings; do
    cp "/tmp/privsim-fuzz/fuzz_$t" "$OUT/"
    cp "fuzz/fuzz_$t.dict" "$OUT/fuzz_$t.dict"
    cp "fuzz/fuzz_$t.options" "$OUT/fuzz_$t.options"
    rm -f "$OUT/fuzz_${t}_seed_corpus.zip"
    zip -q -j "$OUT/fuzz_${t}_seed_corpus.zip" corpus/fuzz_$t/* \
        $(ls corpus/regressions/$t-* 2>/dev/null || true)
done
