# fuzz/fuzz.mk - libFuzzer targets (clang, AddressSanitizer, UndefinedBehaviorSanitizer).
#
#   make fuzz                 build build-fuzz/fuzz_<target> for every target
#   make fuzz-smoke           replay every crash ever found, then fuzz each target for
#                             FUZZ_SECONDS (default 60) over its corpus; fails on a crash, a
#                             leak or a timeout, and prints executions per second
#   make -f fuzz/fuzz.mk fuzz-replay   the same corpora through fuzz/standalone_main.c,
#                             built with gcc and the sanitizers (no libFuzzer needed)
#   make -f fuzz/fuzz.mk run-<target> FUZZ_SECONDS=600   a longer run of one target
#   make fuzz-long            each target for FUZZ_LONG_CPU_SECONDS (default 3600: a CPU-hour)
#                             spread over FUZZ_JOBS cores (default: all) in libFuzzer's fork
#                             mode; the corpus grows in FUZZ_LONG_CORPUS/<target> (default
#                             $PRIVSIM_FUZZ_CORPUS, else build-fuzz/long-corpus), never in the
#                             repository
#
# Targets link only the objects of sim/ (the commands are in cli/), fuzz/ and tests/refeval.c,
# never viz/ or Graphviz: nothing here passes -lgvc, so a target that pulled in a viz symbol
# would fail to link.

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_BUILD   ?= build-fuzz
FUZZ_TARGETS  = scenario engine settings

FUZZ_WARN   = -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
              -Wpointer-arith -Wno-unused-parameter
FUZZ_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(FUZZ_WARN) -Isim -Ifuzz \
              -O1 -g -fno-omit-frame-pointer -fno-sanitize-recover=undefined \
              -fsanitize=fuzzer-no-link,address,undefined
FUZZ_LDFLAGS = -fsanitize=fuzzer,address,undefined

# CFLAGS/LDFLAGS/CC given by ClusterFuzzLite's build.sh replace the defaults above
ifdef LIB_FUZZING_ENGINE
FUZZ_CC      = $(CC)
FUZZ_CFLAGS  = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Isim -Ifuzz $(CFLAGS)
FUZZ_LDFLAGS = $(CFLAGS) $(LIB_FUZZING_ENGINE)
endif

FUZZ_SIM_SRC = $(wildcard sim/*.c)
FUZZ_LIB_SRC = $(filter-out fuzz/fuzz_%.c fuzz/standalone_main.c,$(wildcard fuzz/*.c)) \
               tests/refeval.c
FUZZ_HDR     = $(wildcard sim/*.h fuzz/*.h tests/refeval.h)
FUZZ_OBJ     = $(patsubst %.c,$(FUZZ_BUILD)/obj/%.o,$(FUZZ_SIM_SRC) $(FUZZ_LIB_SRC))
FUZZ_BINS    = $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)

# the gcc replayers
REPLAY_CC     ?= gcc
REPLAY_CFLAGS  = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(FUZZ_WARN) -Isim -Ifuzz \
                 -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
                 -fno-sanitize-recover=undefined
REPLAY_OBJ     = $(patsubst %.c,$(FUZZ_BUILD)/gcc/obj/%.o,$(FUZZ_SIM_SRC) $(FUZZ_LIB_SRC) \
                 fuzz/standalone_main.c)
REPLAY_BINS    = $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/gcc/fuzz_%)

fuzz: $(FUZZ_BINS)

$(FUZZ_BUILD)/obj/%.o: %.c $(FUZZ_HDR)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_BUILD)/libfuzzps.a: $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $(FUZZ_OBJ)

$(FUZZ_BUILD)/fuzz_%: $(FUZZ_BUILD)/obj/fuzz/fuzz_%.o $(FUZZ_BUILD)/libfuzzps.a
	$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $< $(FUZZ_BUILD)/libfuzzps.a -lm

# ---- smoke run ----------------------------------------------------------------------------
# Each target: first every file of corpus/regressions/<target>-* once, then FUZZ_SECONDS of
# fuzzing that starts from corpus/<target>/ (new inputs go to build-fuzz/work/, never into
# the repository).  Crash inputs land in build-fuzz/artifacts/<target>/.
fuzz-smoke: $(FUZZ_BINS)
	@set -e; for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_BUILD)/work/$$t $(FUZZ_BUILD)/artifacts/$$t; \
	  regs=$$(ls corpus/regressions/$$t-* 2>/dev/null || true); \
	  if [ -n "$$regs" ]; then \
	    echo "== fuzz_$$t: replaying $$(echo $$regs | wc -w) regression input(s)"; \
	    $(FUZZ_BUILD)/fuzz_$$t -runs=1 $$regs >$(FUZZ_BUILD)/work/$$t.replay.log 2>&1 || \
	      { tail -50 $(FUZZ_BUILD)/work/$$t.replay.log; echo "fuzz_$$t: a regression input fails"; exit 1; }; \
	  fi; \
	  echo "== fuzz_$$t: $(FUZZ_SECONDS) s"; \
	  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
	  $(FUZZ_BUILD)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	    -max_len=$$(sed -n 's/^max_len = //p' fuzz/fuzz_$$t.options) -dict=fuzz/fuzz_$$t.dict \
	    -artifact_prefix=$(FUZZ_BUILD)/artifacts/$$t/ -print_final_stats=1 \
	    $(FUZZ_BUILD)/work/$$t corpus/fuzz_$$t >$(FUZZ_BUILD)/work/$$t.log 2>&1 || \
	    { tail -60 $(FUZZ_BUILD)/work/$$t.log; \
	      echo "fuzz_$$t failed; the input is in $(FUZZ_BUILD)/artifacts/$$t/ (keep it in corpus/regressions/$$t-NAME)"; \
	      exit 1; }; \
	  runs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $(FUZZ_BUILD)/work/$$t.log); \
	  eps=$$(sed -n 's/^stat::average_exec_per_sec: *//p' $(FUZZ_BUILD)/work/$$t.log); \
	  cov=$$(grep -o 'cov: [0-9]*' $(FUZZ_BUILD)/work/$$t.log | tail -1); \
	  echo "   fuzz_$$t: $$runs executions, $$eps per second, $$cov"; \
	done

run-%: $(FUZZ_BUILD)/fuzz_%
	@mkdir -p $(FUZZ_BUILD)/work/$* $(FUZZ_BUILD)/artifacts/$*
	$(FUZZ_BUILD)/fuzz_$* -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	  -max_len=$$(sed -n 's/^max_len = //p' fuzz/fuzz_$*.options) -dict=fuzz/fuzz_$*.dict \
	  -artifact_prefix=$(FUZZ_BUILD)/artifacts/$*/ $(FUZZ_BUILD)/work/$* corpus/fuzz_$*

# ---- long run -------------------------------------------------------------------------------
# A CPU-hour per target: FUZZ_JOBS workers for FUZZ_LONG_CPU_SECONDS / FUZZ_JOBS seconds each,
# over the seeds and the corpus of earlier long runs (kept outside the repository, so that
# each run goes on from where the last one stopped).  A crash input lands in
# build-fuzz/artifacts/<target>/; keep it as corpus/regressions/<target>-NAME once fixed.
FUZZ_LONG_CPU_SECONDS ?= 3600
FUZZ_JOBS ?= $(shell nproc 2>/dev/null || echo 1)
FUZZ_LONG_CORPUS ?= $(or $(PRIVSIM_FUZZ_CORPUS),$(FUZZ_BUILD)/long-corpus)

fuzz-long: $(FUZZ_BINS)
	@set -e; secs=$$(( $(FUZZ_LONG_CPU_SECONDS) / $(FUZZ_JOBS) )); [ $$secs -gt 0 ] || secs=1; \
	for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_LONG_CORPUS)/$$t $(FUZZ_BUILD)/artifacts/$$t $(FUZZ_BUILD)/work; \
	  echo "== fuzz_$$t: $(FUZZ_JOBS) job(s) for $$secs s ($(FUZZ_LONG_CPU_SECONDS) CPU-seconds), corpus $(FUZZ_LONG_CORPUS)/$$t"; \
	  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
	  $(FUZZ_BUILD)/fuzz_$$t -fork=$(FUZZ_JOBS) -ignore_crashes=0 -max_total_time=$$secs \
	    -timeout=10 -rss_limit_mb=2048 \
	    -max_len=$$(sed -n 's/^max_len = //p' fuzz/fuzz_$$t.options) -dict=fuzz/fuzz_$$t.dict \
	    -artifact_prefix=$(FUZZ_BUILD)/artifacts/$$t/ \
	    $(FUZZ_LONG_CORPUS)/$$t corpus/fuzz_$$t >$(FUZZ_BUILD)/work/$$t.long.log 2>&1 || \
	    { tail -60 $(FUZZ_BUILD)/work/$$t.long.log; \
	      echo "fuzz_$$t failed; the input is in $(FUZZ_BUILD)/artifacts/$$t/ (keep it in corpus/regressions/$$t-NAME)"; \
	      exit 1; }; \
	  last=$$(grep -E '^#[0-9]+' $(FUZZ_BUILD)/work/$$t.long.log | tail -1); \
	  echo "   fuzz_$$t: $$last; corpus $$(ls $(FUZZ_LONG_CORPUS)/$$t | wc -l) inputs"; \
	done

# ---- replay under gcc ------------------------------------------------------------------------
$(FUZZ_BUILD)/gcc/obj/%.o: %.c $(FUZZ_HDR)
	@mkdir -p $(dir $@)
	$(REPLAY_CC) $(REPLAY_CFLAGS) -c $< -o $@

$(FUZZ_BUILD)/gcc/libfuzzps.a: $(filter-out %/standalone_main.o,$(REPLAY_OBJ))
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_BUILD)/gcc/fuzz_%: $(FUZZ_BUILD)/gcc/obj/fuzz/fuzz_%.o \
                          $(FUZZ_BUILD)/gcc/obj/fuzz/standalone_main.o $(FUZZ_BUILD)/gcc/libfuzzps.a
	$(REPLAY_CC) -fsanitize=address,undefined -o $@ $^ -lm

fuzz-replay: $(REPLAY_BINS)
	@set -e; for t in $(FUZZ_TARGETS); do \
	  regs=$$(ls corpus/regressions/$$t-* 2>/dev/null || true); \
	  $(FUZZ_BUILD)/gcc/fuzz_$$t corpus/fuzz_$$t $$regs; \
	done

.PHONY: fuzz fuzz-smoke fuzz-long fuzz-replay
.SECONDARY:
