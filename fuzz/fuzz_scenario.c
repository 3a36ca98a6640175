/* fuzz_scenario.c - libFuzzer entry point: the parser, the printer's round trip and the engine's invariants on any text.
 *
 * The body is ps_fuzz_scenario_one() in the library (fuzz/targets.h), so that the standalone
 * replayer and `make test` run exactly the same code over the corpus in corpus/fuzz_scenario/.
 */
#include "targets.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return ps_fuzz_scenario_one(data, size);
}
