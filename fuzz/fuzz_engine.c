/* fuzz_engine.c - libFuzzer entry point: the engine against the reference evaluator on small scenarios decoded from bytes.
 *
 * The body is ps_fuzz_engine_one() in the library (fuzz/targets.h), so that the standalone
 * replayer and `make test` run exactly the same code over the corpus in corpus/fuzz_engine/.
 */
#include "targets.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return ps_fuzz_engine_one(data, size);
}
