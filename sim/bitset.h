/* bitset.h - fixed-size bitsets over viewer ids, as plain uint64_t arrays. */
#ifndef PS_BITSET_H
#define PS_BITSET_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static inline size_t ps_bits_words(uint32_t n) { return ((size_t)n + 63) / 64; }

/* A zeroed bitset of n bits; NULL out of memory.  Free with free(). */
static inline uint64_t *ps_bits_new(uint32_t n)
{
    return calloc(ps_bits_words(n) ? ps_bits_words(n) : 1, sizeof(uint64_t));
}

static inline bool ps_bits_get(const uint64_t *b, uint32_t i) { return (b[i >> 6] >> (i & 63)) & 1; }
static inline void ps_bits_set(uint64_t *b, uint32_t i) { b[i >> 6] |= (uint64_t)1 << (i & 63); }
static inline void ps_bits_clear(uint64_t *b, uint32_t i) { b[i >> 6] &= ~((uint64_t)1 << (i & 63)); }
static inline void ps_bits_zero(uint64_t *b, uint32_t n) { memset(b, 0, ps_bits_words(n) * 8); }

#endif
