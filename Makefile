# privsim - build, test, fuzz, benchmark and install.
#
#   make            build ./build/privsim
#   make demo       install missing Debian packages, build, run the Al the Accountant story
#   make test       install missing Debian packages, build, run every test
#   make SAN=1 ...  the same with AddressSanitizer and UndefinedBehaviorSanitizer
#   make fuzz       libFuzzer targets (clang);  make fuzz-smoke  runs each for FUZZ_SECONDS;
#                   make fuzz-long  each for a CPU-hour
#   make bench      benchmarks side by side with the tools a user would otherwise pick
#   make MPI=1      ./build-mpi/privsim, whose check and fuzz split their work over the
#                   processes of mpirun or srun (mpicc; `make mpi-deps` installs OpenMPI)
#   make mpi-check  install OpenMPI, build both, compare mpirun -np 2 with one process
#   make install    PREFIX=/usr/local DESTDIR=

.SUFFIXES:

CC      ?= cc
CFLAGS  ?= -O2 -g
PREFIX  ?= /usr/local
DESTDIR ?=
FUZZ_SECONDS ?= 60

# Debian packages, by what needs them: `make deps` installs BUILD and TEST (what `make test`
# runs); `make demo` only BUILD; `make fuzz` FUZZ; the browser check of the report REPORT.
DEPS_BUILD  = gcc make pkg-config uthash-dev libgraphviz-dev graphviz
DEPS_TEST   = libcriterion-dev jq bsdutils python3 python3-jsonschema git man-db
DEPS_FUZZ   = clang libclang-rt-14-dev
DEPS_REPORT = chromium fonts-liberation
DEPS_EXTRA  = valgrind
DEPS_PKGS   = $(DEPS_BUILD) $(DEPS_TEST)

GV_CFLAGS := $(shell pkg-config --cflags libcgraph libgvc 2>/dev/null)
GV_LIBS   := $(shell pkg-config --libs libcgraph libgvc 2>/dev/null || echo -lgvc -lcgraph -lcdt)

WARN    = -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes -Wpointer-arith \
          -Wno-unused-parameter
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) -Isim $(LAYER) $(CFLAGS)
# The layers, enforced by what each directory can include: sim/ (model, language, engine,
# fixes, output formats) only itself; fuzz/ and viz/ also themselves (viz/ alone sees
# Graphviz); cli/ and the tests everything.  So the library never includes command code and
# neither fuzz/ nor viz/ includes the command line.
LAYER =
LDLIBS  = $(GV_LIBS) -lm -lpthread

# kill -9 moments per command and the size of the runs killed (tests/kill.sh: each run takes
# about a second), and allocations made to fail per command (tests/oom.sh); under the
# sanitizers every run is ten or more times slower, so fewer and smaller there (the full
# counts run in the plain build's `make check`)
ifeq ($(SAN),1)
KILL_RUNS ?= 4
KILL_SCALE ?= 10
OOM_SAMPLES ?= 40
OOM_SCALE ?= 10
else
KILL_RUNS ?= 20
KILL_SCALE ?= 1
OOM_SAMPLES ?= 150
OOM_SCALE ?= 1
endif

ifeq ($(SAN),1)
BUILD = build-san
ALL_CFLAGS += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
else
BUILD = build
endif
ONE_BUILD := $(BUILD)

# MPI=1: the same program over MPI, in its own build directory (mpi/ is compiled only here)
MPI_PKGS = openmpi-bin libopenmpi-dev
ifeq ($(MPI),1)
ifeq ($(shell command -v mpicc 2>/dev/null),)
ifeq ($(filter mpi-deps mpi-check clean,$(MAKECMDGOALS)),)
$(error mpicc not found: `make mpi-deps` installs OpenMPI (openmpi-bin libopenmpi-dev))
endif
endif
CC = mpicc
BUILD := $(BUILD)-mpi
ALL_CFLAGS += -DPRIVSIM_MPI
MPI_SRC = $(wildcard mpi/*.c)
endif

# what each layer can include (see ALL_CFLAGS)
$(BUILD)/fuzz/%.o: LAYER = -Ifuzz
$(BUILD)/viz/%.o: LAYER = -Iviz $(GV_CFLAGS)
$(BUILD)/cli/%.o: LAYER = -Ifuzz -Iviz -Icli -Impi $(GV_CFLAGS)
$(BUILD)/mpi/%.o: LAYER = -Ifuzz -Iviz -Icli -Impi $(GV_CFLAGS)
$(BUILD)/tests/%.o: LAYER = -Ifuzz -Iviz -Icli $(GV_CFLAGS)

LIB_SRC  = $(wildcard sim/*.c)
CLI_SRC  = $(filter-out cli/main.c,$(wildcard cli/*.c)) $(MPI_SRC)
VIZ_SRC  = $(wildcard viz/*.c)
FUZZ_LIB_SRC = $(filter-out fuzz/fuzz_%.c fuzz/standalone_main.c,$(wildcard fuzz/*.c))
TEST_SRC = $(wildcard tests/*.c)
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o) $(FUZZ_LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/al_story.o
VIZ_OBJ  = $(VIZ_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ = $(TEST_SRC:%.c=$(BUILD)/%.o)
HDR      = $(wildcard sim/*.h viz/*.h fuzz/*.h cli/*.h tests/*.h mpi/*.h)

PRIVSIM  = $(BUILD)/privsim
TESTBIN  = $(BUILD)/tests/run

all: $(PRIVSIM)

$(BUILD)/%.o: %.c $(HDR)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

# the Al the Accountant story, compiled into the binary for `privsim demo`
$(BUILD)/gen/al_story.c: corpus/examples/al-the-accountant.psim sim/embed.sh
	@mkdir -p $(dir $@)
	sh sim/embed.sh ps_al_story corpus/examples/al-the-accountant.psim > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/al_story.o: $(BUILD)/gen/al_story.c
	$(CC) $(ALL_CFLAGS) -c $< -o $@

# the second story (two accounts, one person), told by the demo's last chapter
LIB_OBJ += $(BUILD)/gen/al_two_story.o
$(BUILD)/gen/al_two_story.c: corpus/examples/al-two-accounts.psim sim/embed.sh
	@mkdir -p $(dir $@)
	sh sim/embed.sh ps_al_two_story corpus/examples/al-two-accounts.psim > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/al_two_story.o: $(BUILD)/gen/al_two_story.c
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libprivsim.a: $(LIB_OBJ) $(VIZ_OBJ)
	@rm -f $@
	ar rcs $@ $(LIB_OBJ) $(VIZ_OBJ)

$(BUILD)/libprivsim-cli.a: $(CLI_OBJ)
	@rm -f $@
	ar rcs $@ $(CLI_OBJ)

$(PRIVSIM): $(BUILD)/cli/main.o $(BUILD)/libprivsim-cli.a $(BUILD)/libprivsim.a
	$(CC) $(LDFLAGS) -o $@ $(BUILD)/cli/main.o $(BUILD)/libprivsim-cli.a $(BUILD)/libprivsim.a $(LDLIBS)

# privsim with an allocator that fails on request (tests/failalloc/failalloc.c): every
# malloc, calloc, realloc, strdup and strndup of privsim's own code goes through it
FAILALLOC = $(BUILD)/privsim-failalloc
WRAP_ALLOC = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup

$(FAILALLOC): $(BUILD)/cli/main.o $(BUILD)/libprivsim-cli.a $(BUILD)/libprivsim.a $(BUILD)/tests/failalloc/failalloc.o
	$(CC) $(LDFLAGS) $(WRAP_ALLOC) -o $@ $(BUILD)/cli/main.o $(BUILD)/tests/failalloc/failalloc.o \
	  $(BUILD)/libprivsim-cli.a $(BUILD)/libprivsim.a $(LDLIBS)

$(TESTBIN): $(TEST_OBJ) $(BUILD)/libprivsim-cli.a $(BUILD)/libprivsim.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(TEST_OBJ) $(BUILD)/libprivsim-cli.a $(BUILD)/libprivsim.a -lcriterion $(LDLIBS)

# ---- set-up on a fresh Debian machine --------------------------------------------------
deps:
	@sh tests/deps.sh $(DEPS_PKGS)

deps-build:
	@sh tests/deps.sh $(DEPS_BUILD)

deps-fuzz:
	@sh tests/deps.sh $(DEPS_BUILD) $(DEPS_FUZZ)

deps-all:
	@sh tests/deps.sh $(DEPS_BUILD) $(DEPS_TEST) $(DEPS_FUZZ) $(DEPS_REPORT) $(DEPS_EXTRA)

# ---- the story and the tests ------------------------------------------------------------
demo: deps-build
	@$(MAKE) --no-print-directory all
	./$(PRIVSIM) demo --report $(BUILD)/demo-report

test: deps
	@$(MAKE) --no-print-directory check

# check: build and run everything without the package step (what `test` runs after deps)
# the sanitizers' options for every run of privsim in the tests (leaks inside Graphviz and
# fontconfig are suppressed by tests/lsan.supp, which needs the full stacks of the slow
# unwinder); inert in a build without them
SAN_ENV = ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0 \
          LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
# the Criterion suite: the fast unwinder (many times faster), Graphviz matched by library
# (tests/lsan-fast.supp); Criterion does not fail a test whose process leaks, so a leak report
# in its output fails the run
UNIT_SAN_ENV = ASAN_OPTIONS=detect_leaks=1 \
               LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan-fast.supp:print_suppressions=0
# the kill test checks outputs, not leaks (the other runs do), and its killed runs never exit
KILL_SAN_ENV = ASAN_OPTIONS=detect_leaks=0

check: $(PRIVSIM) $(TESTBIN) $(FAILALLOC)
	@log=$(BUILD)/tests/unit.log; set -x; \
	{ PRIVSIM=./$(PRIVSIM) $(UNIT_SAN_ENV) ./$(TESTBIN) --jobs 2; echo $$? > $$log.rc; } 2>&1 | \
	  tee $$log; { set +x; } 2>/dev/null; \
	if grep -q 'ERROR: LeakSanitizer' $$log; then echo "check: the unit tests leak memory (above)"; exit 1; fi; \
	exit $$(cat $$log.rc)
	PRIVSIM=./$(PRIVSIM) $(SAN_ENV) sh tests/cli.sh
	PRIVSIM=./$(PRIVSIM) $(SAN_ENV) sh tests/schemas.sh
	PRIVSIM=./$(PRIVSIM) $(SAN_ENV) sh tests/action.sh
	PRIVSIM=./$(PRIVSIM) $(SAN_ENV) sh tests/faults.sh
	PRIVSIM=./$(PRIVSIM) $(KILL_SAN_ENV) KILL_RUNS=$(KILL_RUNS) KILL_SCALE=$(KILL_SCALE) sh tests/kill.sh
	PRIVSIM=./$(FAILALLOC) OOM_SAMPLES=$(OOM_SAMPLES) OOM_SCALE=$(OOM_SCALE) \
	  ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0:exitcode=86 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0:exitcode=87 \
	  sh tests/oom.sh

# the report in a real browser (headless Chromium): its own packages, not part of `make test`
check-report: $(PRIVSIM)
	@sh tests/deps.sh $(DEPS_REPORT)
	PRIVSIM=./$(PRIVSIM) sh tests/report_chromium.sh

# ---- over MPI -------------------------------------------------------------------------
mpi-deps:
	@sh tests/deps.sh $(MPI_PKGS)

# mpi-check: mpirun -np 2 of the MPI build against the default build, byte for byte
mpi-check: mpi-deps
	@$(MAKE) --no-print-directory MPI= all
	@$(MAKE) --no-print-directory MPI=1 all
	sh tests/mpi.sh ./$(ONE_BUILD)/privsim ./$(ONE_BUILD)-mpi/privsim

# ---- fuzzing ----------------------------------------------------------------------------
fuzz: deps-fuzz
	@$(MAKE) --no-print-directory -f fuzz/fuzz.mk fuzz

fuzz-smoke: deps-fuzz
	@$(MAKE) --no-print-directory -f fuzz/fuzz.mk fuzz-smoke FUZZ_SECONDS=$(FUZZ_SECONDS)

# each target for a CPU-hour on every core (FUZZ_LONG_CPU_SECONDS, FUZZ_JOBS, PRIVSIM_FUZZ_CORPUS)
fuzz-long:
	@$(MAKE) --no-print-directory -f fuzz/fuzz.mk fuzz-long

# ---- benchmarks -------------------------------------------------------------------------
# The peers' side (tests/bench/): Debian's igraph and NetworkX, installed here only (never by
# `make deps` or `make test`), and a small program of ours over igraph's C API.
BENCH_PKGS  = libigraph-dev python3-networkx pkg-config
BENCH_TOOLS = $(BUILD)/bench/bench_igraph $(BUILD)/bench/runstat

$(BUILD)/bench/bench_igraph: tests/bench/bench_igraph.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) -O2 $$(pkg-config --cflags igraph) $< \
	  -o $@ $$(pkg-config --libs igraph)

$(BUILD)/bench/runstat: tests/bench/runstat.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) -O2 $< -o $@

# BENCH_QUICK=1 leaves out the parts of a million people
bench: $(PRIVSIM)
	@sh tests/deps.sh $(BENCH_PKGS)
	@$(MAKE) --no-print-directory $(BENCH_TOOLS)
	sh tests/bench_peers.sh ./$(PRIVSIM) $(BUILD)/bench
	sh tests/bench.sh ./$(PRIVSIM)
	sh tests/bench_fuzz.sh ./$(PRIVSIM)
	sh tests/bench_plan.sh ./$(PRIVSIM)
	sh tests/bench_link.sh ./$(PRIVSIM) $(BUILD)/bench/runstat

# ---- install ----------------------------------------------------------------------------
install: $(PRIVSIM)
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/privsim/examples \
	  $(DESTDIR)$(PREFIX)/share/privsim/schemas $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	  $(DESTDIR)$(PREFIX)/share/zsh/site-functions $(DESTDIR)$(PREFIX)/share/doc/privsim
	cp $(PRIVSIM) $(DESTDIR)$(PREFIX)/bin/privsim
	chmod 755 $(DESTDIR)$(PREFIX)/bin/privsim
	cp corpus/examples/*.psim $(DESTDIR)$(PREFIX)/share/privsim/examples/
	cp schemas/*.schema.json $(DESTDIR)$(PREFIX)/share/privsim/schemas/
	cp doc/privsim.1 $(DESTDIR)$(PREFIX)/share/man/man1/privsim.1
	cp doc/completion.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/privsim
	cp doc/completion.zsh $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_privsim
	cp README.md LICENSE doc/platform-sources.md $(DESTDIR)$(PREFIX)/share/doc/privsim/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/privsim $(DESTDIR)$(PREFIX)/share/man/man1/privsim.1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions/privsim \
	  $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_privsim
	rm -rf $(DESTDIR)$(PREFIX)/share/privsim $(DESTDIR)$(PREFIX)/share/doc/privsim

clean:
	rm -rf build build-san build-fuzz build-mpi build-san-mpi

.PHONY: all deps deps-build deps-fuzz deps-all check-report demo test check fuzz fuzz-smoke fuzz-long bench install uninstall clean mpi-deps mpi-check
