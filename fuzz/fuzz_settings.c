/* fuzz_settings.c - libFuzzer entry point: the fuzzer's incremental evaluation of a point against check, on any scenario and space.
 *
 * The body is ps_fuzz_settings_one() in the library (fuzz/targets.h), so that the standalone
 * replayer and `make test` run exactly the same code over the corpus in corpus/fuzz_settings/.
 */
#include "targets.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return ps_fuzz_settings_one(data, size);
}
