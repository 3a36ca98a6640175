/* rng.h - the seeded pseudo-random numbers of `privsim gen` and of the populate step.
 *
 * xoshiro256** (Blackman and Vigna) seeded through splitmix64, with Lemire's unbiased
 * bounded draw.  Everything is integer arithmetic on fixed-width types, so one seed gives
 * the same numbers, and so the same scenario bytes, on every machine and compiler.
 *
 * Independent streams are derived from (seed, stream, index) with ps_rng_seed3(), so that
 * what is drawn for one person never depends on the order in which people are visited.
 */
#ifndef PS_RNG_H
#define PS_RNG_H

#include <stdint.h>

typedef struct {
    uint64_t s[4];         /* xoshiro256** state; never all zero */
} ps_rng;

/* One step of splitmix64: advances *x and returns the next output. */
static inline uint64_t ps_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* Seeds `r` from one 64-bit value. */
static inline void ps_rng_seed(ps_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = ps_splitmix64(&x);
    if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3]))
        r->s[0] = 1; /* splitmix64 never gives four zeros in a row, but be sure */
}

/* Seeds `r` with the stream `stream` of entity `index` under `seed`. */
static inline void ps_rng_seed3(ps_rng *r, uint64_t seed, uint64_t stream, uint64_t index)
{
    uint64_t x = seed;
    uint64_t a = ps_splitmix64(&x) ^ (stream * UINT64_C(0xd6e8feb86659fd93));
    x = a;
    uint64_t b = ps_splitmix64(&x) ^ (index * UINT64_C(0xa0761d6478bd642f));
    ps_rng_seed(r, b);
}

static inline uint64_t ps_rng_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* The next 64 random bits. */
static inline uint64_t ps_rng_next(ps_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = ps_rng_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = ps_rng_rotl(s[3], 45);
    return result;
}

/* A uniform draw from 0 .. n-1 (n > 0), without modulo bias (Lemire 2019). */
static inline uint32_t ps_rng_below(ps_rng *r, uint32_t n)
{
    uint64_t m = (uint64_t)(uint32_t)(ps_rng_next(r) >> 32) * n;
    uint32_t low = (uint32_t)m;
    if (low < n) {
        uint32_t threshold = (uint32_t)-n % n;
        while (low < threshold) {
            m = (uint64_t)(uint32_t)(ps_rng_next(r) >> 32) * n;
            low = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

/* True with probability num/den (den > 0). */
static inline int ps_rng_chance(ps_rng *r, uint32_t num, uint32_t den)
{
    return ps_rng_below(r, den) < num;
}

#endif
