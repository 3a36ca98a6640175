/* wire.h - results as bytes: a growing write buffer and a bounds-checked reader.
 *
 * A run split over processes (mpi_run.c) sends each process's share of a result to the
 * first process as bytes.  Every process runs the same binary, so values are written in the
 * machine's own layout; what differs between processes is only which parts they computed.
 *
 * Ownership: a ps_wbuf owns its bytes until ps_wbuf_take() hands them to the caller (free()).
 * A ps_rbuf borrows the bytes it reads.  Both record the first failure (out of memory, reading
 * past the end) in `err`, so a sequence of calls is checked once at its end.
 */
#ifndef PS_WIRE_H
#define PS_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint8_t *p;
    size_t n, cap;
    bool err;              /* out of memory at some point */
} ps_wbuf;

/* Appends `len` bytes (nothing once err is set). */
void ps_wbuf_put(ps_wbuf *b, const void *src, size_t len);
void ps_wbuf_u32(ps_wbuf *b, uint32_t v);
void ps_wbuf_u64(ps_wbuf *b, uint64_t v);
/* The bytes, now the caller's to free; *len their count.  NULL (and the buffer freed) when an
 * earlier write failed.  The buffer is empty afterwards. */
uint8_t *ps_wbuf_take(ps_wbuf *b, size_t *len);
void ps_wbuf_free(ps_wbuf *b);

typedef struct {
    const uint8_t *p;
    size_t n, off;
    bool err;              /* a read went past the end */
} ps_rbuf;

static inline ps_rbuf ps_rbuf_of(const void *p, size_t n)
{
    return (ps_rbuf){ .p = p, .n = n };
}
/* Copies the next `len` bytes into dst; zeros and sets err when fewer are left. */
void ps_rbuf_get(ps_rbuf *b, void *dst, size_t len);
uint32_t ps_rbuf_u32(ps_rbuf *b);
uint64_t ps_rbuf_u64(ps_rbuf *b);
/* Whether a count of `n` elements of `size` bytes can still be read (guards allocations). */
bool ps_rbuf_fits(const ps_rbuf *b, uint64_t n, size_t size);

#endif
