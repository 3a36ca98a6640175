/* targets.h - the bodies of the libFuzzer targets, as library functions.
 *
 * Each fuzz/fuzz_<target>.c entry point only calls one of these, so the same code runs under
 * libFuzzer (clang, sanitizers), under the standalone replayer (fuzz/standalone_main.c, any
 * compiler) and in `make test` (tests/test_regressions.c replays every seed and every crash
 * ever found).  Each function takes any bytes, returns 0, and aborts with a message on
 * standard error when an invariant breaks, so that every driver reports it as a crash.
 * They keep no state between calls and write no files.
 */
#ifndef PS_FUZZ_TARGETS_H
#define PS_FUZZ_TARGETS_H

#include <stddef.h>
#include <stdint.h>

/* Largest input each target reads; longer inputs are ignored. */
#define PS_FUZZ_MAX_INPUT 16384

/* The parser on any text; for a scenario it accepts: the canonical print reads back as an
 * equal model and prints the same again; the engine keeps its invariants in every state (no
 * crash, the owner always sees the item, audiences hold only known viewers, every viewer has
 * a path from the owner); check runs with its fixes on small scenarios. */
int ps_fuzz_scenario_one(const uint8_t *data, size_t size);

/* A small scenario decoded from the bytes (every byte picks among valid choices), run by the
 * engine and by the plain reference evaluator of the tests (tests/refeval.c): the effective
 * and intended audiences of every item in every state, and each exposure's severity, must
 * agree.  Defined in fuzz/target_engine.c, which needs tests/refeval.c at link time. */
int ps_fuzz_engine_one(const uint8_t *data, size_t size);

/* A scenario (the text before the first NUL byte), a space over it (chosen by the first byte
 * after the NUL) and points of that space (the following bytes): the fuzzer's cached,
 * incremental evaluation of each point must equal ps_check() of the point written out as a
 * scenario, and that scenario must print and read back as an equal model.  Some inputs also
 * run a short search, whose findings must all be confirmed by check. */
int ps_fuzz_settings_one(const uint8_t *data, size_t size);

/* Reports a broken invariant and aborts. */
void ps_fuzz_fail(const char *target, const char *what, const char *detail)
    __attribute__((noreturn));

#endif
