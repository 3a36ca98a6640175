# privsim - build, test, fuzz, benchmark and install.
#
#   make            build ./build/privsim
#   make demo       install missing Debian packages, build, run the Al the Accountant story
#   make test       install missing Debian packages, build, run every test
#   make SAN=1 ...  the same with AddressSanitizer and UndefinedBehaviorSanitizer
#   make fuzz       libFuzzer targets (clang);  make fuzz-smoke  runs each for FUZZ_SECONDS;
#                   make fuzz-long  each for a CPU-hour
#   make bench      benchmarks side by side with the tools a user would otherwise pick
#   make install    PREFIX=/usr/local DESTDIR=

.SUFFIXES:

CC      ?= cc
CFLAGS  ?= -O2 -g
PREFIX  ?= /usr/local
DESTDIR ?=
FUZZ_SECONDS ?= 60

# Debian packages the build, the tests and the report check need.
DEPS_PKGS = gcc make clang pkg-config uthash-dev libcriterion-dev libgraphviz-dev graphviz \
            libclang-rt-14-dev chromium fonts-liberation valgrind jq bsdutils

GV_CFLAGS := $(shell pkg-config --cflags libcgraph libgvc 2>/dev/null)
GV_LIBS   := $(shell pkg-config --libs libcgraph libgvc 2>/dev/null || echo -lgvc -lcgraph -lcdt)

WARN    = -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes -Wpointer-arith \
          -Wno-unused-parameter
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) -Isim -Iviz -Ifuzz \
             $(GV_CFLAGS) $(CFLAGS)
LDLIBS  = $(GV_LIBS) -lm -lpthread

ifeq ($(SAN),1)
BUILD = build-san
ALL_CFLAGS += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
else
BUILD = build
endif

LIB_SRC  = $(filter-out sim/main.c,$(wildcard sim/*.c))
VIZ_SRC  = $(wildcard viz/*.c)
FUZZ_LIB_SRC = $(filter-out fuzz/fuzz_%.c fuzz/standalone_main.c,$(wildcard fuzz/*.c))
TEST_SRC = $(wildcard tests/*.c)
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o) $(FUZZ_LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/al_story.o
VIZ_OBJ  = $(VIZ_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ = $(TEST_SRC:%.c=$(BUILD)/%.o)
HDR      = $(wildcard sim/*.h viz/*.h fuzz/*.h tests/*.h)

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

$(BUILD)/libprivsim.a: $(LIB_OBJ) $(VIZ_OBJ)
	@rm -f $@
	ar rcs $@ $(LIB_OBJ) $(VIZ_OBJ)

$(PRIVSIM): $(BUILD)/sim/main.o $(BUILD)/libprivsim.a
	$(CC) $(LDFLAGS) -o $@ $(BUILD)/sim/main.o $(BUILD)/libprivsim.a $(LDLIBS)

# privsim with an allocator that fails on request (tests/failalloc/failalloc.c): every
# malloc, calloc, realloc, strdup and strndup of privsim's own code goes through it
FAILALLOC = $(BUILD)/privsim-failalloc
WRAP_ALLOC = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup

$(FAILALLOC): $(BUILD)/sim/main.o $(BUILD)/libprivsim.a $(BUILD)/tests/failalloc/failalloc.o
	$(CC) $(LDFLAGS) $(WRAP_ALLOC) -o $@ $(BUILD)/sim/main.o $(BUILD)/tests/failalloc/failalloc.o \
	  $(BUILD)/libprivsim.a $(LDLIBS)

$(TESTBIN): $(TEST_OBJ) $(BUILD)/libprivsim.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(TEST_OBJ) $(BUILD)/libprivsim.a -lcriterion $(LDLIBS)

# ---- set-up on a fresh Debian machine --------------------------------------------------
deps:
	@sh tests/deps.sh $(DEPS_PKGS)

# ---- the story and the tests ------------------------------------------------------------
demo: deps
	@$(MAKE) --no-print-directory all
	./$(PRIVSIM) demo --report $(BUILD)/demo-report

test: deps
	@$(MAKE) --no-print-directory check

# check: build and run everything without the package step (what `test` runs after deps)
check: $(PRIVSIM) $(TESTBIN) $(FAILALLOC)
	PRIVSIM=./$(PRIVSIM) ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	  ./$(TESTBIN) --jobs 2
	PRIVSIM=./$(PRIVSIM) sh tests/cli.sh
	PRIVSIM=./$(PRIVSIM) ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 sh tests/faults.sh
	PRIVSIM=./$(PRIVSIM) ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 sh tests/kill.sh
	PRIVSIM=./$(FAILALLOC) ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0:exitcode=86 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0:exitcode=87 \
	  sh tests/oom.sh

# ---- fuzzing ----------------------------------------------------------------------------
fuzz:
	@$(MAKE) --no-print-directory -f fuzz/fuzz.mk fuzz

fuzz-smoke:
	@$(MAKE) --no-print-directory -f fuzz/fuzz.mk fuzz-smoke FUZZ_SECONDS=$(FUZZ_SECONDS)

# each target for a CPU-hour on every core (FUZZ_LONG_CPU_SECONDS, FUZZ_JOBS, PRIVSIM_FUZZ_CORPUS)
fuzz-long:
	@$(MAKE) --no-print-directory -f fuzz/fuzz.mk fuzz-long

# ---- benchmarks -------------------------------------------------------------------------
bench: $(PRIVSIM)
	sh tests/bench.sh ./$(PRIVSIM)
	sh tests/bench_fuzz.sh ./$(PRIVSIM)

# ---- install ----------------------------------------------------------------------------
install: $(PRIVSIM)
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/privsim/examples
	cp $(PRIVSIM) $(DESTDIR)$(PREFIX)/bin/privsim
	chmod 755 $(DESTDIR)$(PREFIX)/bin/privsim
	cp corpus/examples/*.psim $(DESTDIR)$(PREFIX)/share/privsim/examples/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/privsim
	rm -rf $(DESTDIR)$(PREFIX)/share/privsim

clean:
	rm -rf build build-san build-fuzz

.PHONY: all deps demo test check fuzz fuzz-smoke fuzz-long bench install uninstall clean
