/* partial.h - a fuzz search in shares: a share's partial result as bytes, and the merge.
 *
 * A search split over processes runs ps_fuzz_search() for each share (fuzzer.h), sends the
 * partial results to the first process as bytes, merges them there in share order and
 * finishes the merged result once.  Merging in share order keeps, for every leak shape, the
 * candidate a single search would keep: the first point of the most severe exposure of that
 * shape and, among those, the fewest changes (shares are consecutive slices of the points).
 */
#ifndef PS_FUZZ_PARTIAL_H
#define PS_FUZZ_PARTIAL_H

#include "fuzzer.h"

#include <stddef.h>
#include <stdint.h>

/* `p` as bytes (its candidates' points are ndims bytes each), the caller's to free.
 * 0, or -1 out of memory. */
int ps_fuzz_partial_encode(const ps_fuzz_partial *p, uint32_t ndims, uint8_t **out,
                           size_t *len);

/* Decodes a partial result into a new one (*out, the caller's to free with
 * ps_fuzz_partial_free()).  0; -1 out of memory; -2 the bytes are not an encoded partial. */
int ps_fuzz_partial_decode(const uint8_t *buf, size_t len, uint32_t ndims,
                           ps_fuzz_partial **out);

/* Merges the partial result of a later share into `into`, taking what it needs from `later`
 * (whose candidates' points may move; free it afterwards as usual).  0, or -1 out of memory
 * (`into` is then still a valid partial). */
int ps_fuzz_partial_merge(ps_fuzz_partial *into, ps_fuzz_partial *later);

#endif
