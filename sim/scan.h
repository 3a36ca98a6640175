/* scan.h - the tokenizer of the .psim scenario language.
 *
 * Tokens: identifiers [A-Za-z_][A-Za-z0-9_.-]*, quoted strings ("..." on one line, with \"
 * and \\ as the only escapes), the punctuation = , | : and the end of a statement.  Spaces,
 * tabs and carriage returns separate tokens; `#` starts a comment that runs to the end of the
 * line; a backslash at the end of a line (spaces after it allowed) joins the next line to the
 * statement.  Each token carries its line and column (1-based; columns count UTF-8 code
 * points) and points into the caller's buffer: the scanner allocates nothing.
 *
 * The scanner expects valid UTF-8 (check it with ps_utf8_invalid first).  Errors (an
 * unexpected character, an unterminated string, a name or a line over its limit) are
 * reported to the ps_diag given to ps_scan_init, and returned as PS_TOK_ERROR tokens.
 */
#ifndef PS_SCAN_H
#define PS_SCAN_H

#include "diag.h"

#include <stddef.h>
#include <stdint.h>

/* Longest physical line, in bytes, without its newline. */
#define PS_MAX_LINE 4096
/* Longest name (identifier), in bytes. */
#define PS_MAX_NAME 128

typedef enum {
    PS_TOK_EOF,      /* end of the buffer */
    PS_TOK_END,      /* end of a statement: a newline that is not escaped */
    PS_TOK_IDENT,
    PS_TOK_STRING,   /* p/len: the text between the quotes, escapes not yet decoded */
    PS_TOK_EQ,       /* = */
    PS_TOK_COMMA,    /* , */
    PS_TOK_BAR,      /* | */
    PS_TOK_COLON,    /* : */
    PS_TOK_ERROR     /* already reported */
} ps_tok_kind;

typedef struct {
    uint8_t kind;    /* ps_tok_kind */
    const char *p;   /* the token's text in the buffer (borrowed) */
    uint32_t len;
    size_t off;      /* byte offset of the token's first character (a string's quote) */
    ps_loc loc;      /* its line and column */
} ps_token;

typedef struct {
    const char *buf;   /* the text (borrowed) */
    size_t len;
    size_t pos;        /* next byte to read */
    size_t line_start; /* offset of the current line's first byte */
    size_t line_end;   /* offset of the newline ending the current line, or len */
    uint32_t line;     /* current line, 1-based */
    uint32_t col;      /* column of buf[pos], 1-based */
    ps_diag *d;        /* where errors go; NULL to stay quiet */
    bool long_line;    /* the current line is over PS_MAX_LINE: return an error for it */
} ps_scanner;

/* Starts scanning `len` bytes of `buf` at its first line; errors go to `d` (may be NULL). */
void ps_scan_init(ps_scanner *s, const char *buf, size_t len, ps_diag *d);
/* Moves to byte `off`, which is at line `line`, column `col` (a position that a token
 * previously reported), so that a statement can be read again. */
void ps_scan_seek(ps_scanner *s, size_t off, uint32_t line, uint32_t col);
/* Reads the next token into *t. */
void ps_scan_next(ps_scanner *s, ps_token *t);

/* Decodes the escapes of a string token into `out`, which has room for t->len + 1 bytes;
 * returns the decoded length (the result is NUL-terminated). */
size_t ps_scan_unescape(const ps_token *t, char *out);

/* The offset of the first byte of buf[0..len) that is not part of valid UTF-8, or `len`. */
size_t ps_utf8_invalid(const char *buf, size_t len);
/* The column (1-based, in code points) of byte `off` of a line starting at `line`. */
uint32_t ps_utf8_column(const char *line, size_t off);

#endif
