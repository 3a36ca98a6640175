/* sb.h - a growable string for the diagram and report writers, and the escapes they share.
 *
 * A ps_sb collects text; when memory runs out it stops growing and remembers it (`oom`), so
 * a writer can append freely and check once at the end.  The escapes make text from a
 * scenario safe for HTML: invalid UTF-8 and control characters never reach the page raw.
 *
 * Ownership: the ps_sb owns its buffer until ps_sb_take() hands it to the caller.
 */
#ifndef PS_SB_H
#define PS_SB_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *s;               /* NUL-terminated text (owned), or NULL while empty */
    size_t len;            /* bytes in s, without the NUL */
    size_t cap;            /* bytes allocated */
    bool oom;              /* an append failed: the text is incomplete */
} ps_sb;

#if defined(__GNUC__)
#define PS_SB_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PS_SB_PRINTF(f, a)
#endif

void ps_sb_init(ps_sb *b);
void ps_sb_free(ps_sb *b);
/* Empties the text, keeping the buffer. */
void ps_sb_clear(ps_sb *b);
void ps_sb_add(ps_sb *b, const char *s);
void ps_sb_addn(ps_sb *b, const char *s, size_t n);
void ps_sb_addc(ps_sb *b, char c);
void ps_sb_addf(ps_sb *b, const char *fmt, ...) PS_SB_PRINTF(2, 3);
/* The text, never NULL ("" while empty); borrowed until the next change. */
const char *ps_sb_str(const ps_sb *b);
/* Hands the text to the caller (free() it) and empties `b`; NULL when memory ran out. */
char *ps_sb_take(ps_sb *b);

/* Appends `s` escaped for HTML text and attribute values: & < > " ' become entities,
 * control characters other than tab and line break, bidirectional overrides and invalid
 * UTF-8 become U+FFFD. */
void ps_sb_add_html(ps_sb *b, const char *s);
void ps_sb_add_htmln(ps_sb *b, const char *s, size_t n);

/* The length of the valid UTF-8 sequence at s[0..n), or 0 when it is not one (overlong forms,
 * surrogates and code points above U+10FFFF are invalid). */
size_t ps_utf8_seq(const unsigned char *s, size_t n);

#endif
