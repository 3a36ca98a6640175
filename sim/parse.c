/* parse.c - the .psim parser: from text to a ps_model (see parse.h).
 *
 * Statements may come in any order, so the file is read in passes:
 *
 *   0. scan every statement once: lexical errors and the statement's keyword.  `user`
 *      lines (which depend on nothing) are read right away, and so are `friends` lines
 *      whose users are all declared already (the usual layout, and the bulk of a large
 *      file); the other statements are recorded as (offset, line, column, kind), sorted
 *      into the lists of the passes below, and read again by them;
 *   1. `platform`, `rule`, then `vary rule` lines; the platform's rules are applied;
 *   2. the other `friends` lines, `network`, `group`, `app` (they refer to users only);
 *      when the model shows that a friendship was given twice, the friends lines are read
 *      once more to say where;
 *   3. `list` (members, and the warning for members who are not the owner's friends), and
 *      the declarations of `persona`, `post`, `photo` and `field`;
 *   4. in file order: the contents of personas, posts, photos and fields, `set` lines after
 *      the first `do` (they are steps), `do`, `expect`;
 *   5. `set` lines before the first `do` (the initial settings);
 *   6. `vary` lines on items, settings and steps.
 *
 * A statement with an error in one pass is not read again, so an error is reported once.
 * Syntax errors end the statement; unknown names do not, so that every unknown name of a
 * line is reported.  Nothing is allocated per token: tokens point into the text, strings
 * are decoded into one buffer, users are found through the parser's own compact index
 * and the other names through the model's tables.
 */
#include "parse.h"

#include "person.h"
#include "print.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "oom.h"

/* ---------------------------------------------------------------------------------------
 * Statements
 * ------------------------------------------------------------------------------------- */

typedef enum {
    ST_PLATFORM, ST_RULE, ST_USER, ST_FRIENDS, ST_NETWORK, ST_GROUP, ST_LIST, ST_PERSONA,
    ST_POST, ST_PHOTO, ST_FIELD, ST_SET, ST_APP, ST_DO, ST_EXPECT, ST_PERSON, ST_ACCEPT,
    ST_VARY_ITEM,          /* `vary` itself; the three below are told apart by the next word */
    ST_VARY_SET, ST_VARY_RULE, ST_VARY_DO,
    ST_NKINDS
} st_kind;

/* Statement keywords, indexed by st_kind (up to `vary`). */
static const char *const keywords[] = {
    "platform", "rule", "user", "friends", "network", "group", "list", "persona", "post",
    "photo", "field", "set", "app", "do", "expect", "person", "accept", "vary",
};
#define NKEYWORDS (sizeof keywords / sizeof keywords[0])

typedef struct {
    uint32_t off;          /* offset of the keyword (files are at most 1 GiB) */
    uint32_t line;
    uint16_t col;
    uint8_t kind;          /* st_kind */
    uint8_t bad;           /* an error was reported: later passes skip it */
    uint32_t obj;          /* what its declaration created, or PS_NONE */
} stmt;

/* The passes, in the order they run (see the top of the file). */
typedef enum {
    P_RULES,               /* platform, rule */
    P_VARY_RULES,          /* vary rule */
    P_SOCIAL,              /* friends (those pass 0 could not read), network, group, app */
    P_DECLARE,             /* list; declarations of persona, post, photo, field */
    P_CONTENTS,            /* persona, post, photo, field, set as a step, do, expect */
    P_INITIAL,             /* set before the first do */
    P_VARY,                /* vary ITEM, vary set, vary do */
    NPASSES
} pass_id;

/* The `mode` argument that each pass gives the handlers. */
static const bool pass_mode[NPASSES] = {
    [P_DECLARE] = true, [P_INITIAL] = true,
};

/* ---------------------------------------------------------------------------------------
 * Parser state
 * ------------------------------------------------------------------------------------- */

/* A name whose declaration failed: later references to it are not reported again. */
typedef struct {
    UT_hash_handle hh;
    char name[];
} failed_name;

typedef struct {
    ps_model *m;
    ps_diag *d;
    const char *buf;
    size_t len;
    ps_scanner sc;
    ps_token tok;          /* the current token */
    size_t prev_end;       /* offset just past the previous token */

    stmt *st;              /* recorded statements, in file order */
    uint32_t nst, capst;
    uint32_t *plist;       /* statement indices by pass, each pass in file order */
    uint32_t pstart[NPASSES + 1]; /* pass k: plist[pstart[k] .. pstart[k+1]) */
    uint32_t *fbuf;        /* users of a friends line read by pass 0 */
    uint32_t nfbuf, capfbuf;
    uint32_t first_do;     /* index of the first `do` statement, or UINT32_MAX */
    uint32_t errors_before; /* errors in the diag before this file */
    stmt *cur;             /* the statement being read */
    bool failed;           /* the current statement has a syntax error: stop reading it */
    bool stop;             /* error limit reached or out of memory */

    ps_token platform;     /* the `platform` line's name (len 0: none) */
    ps_loc da_loc[PS_NCATS];  /* `rule default-audience.CAT` lines */
    ps_loc da_all_loc;        /* the `rule default-audience` line */
    ps_terms da_all;          /* its value (owned) */

    uint32_t *stamp;       /* per user: the mark of the last member list that named it */
    uint32_t stamp_cur;

    uint64_t *utab;        /* users by name, open addressing: (hash tag << 32) | arena
                            * offset + 1; 0 is an empty slot */
    size_t ucap;           /* a power of two */
    char *uarena;          /* each user's name: a length byte, the bytes, the index */
    size_t ualen, uacap;

    uint64_t nfriends;     /* friendships added, repeats included */
    uint64_t *fkeys;       /* friendships seen (open addressing; key = pair + 1), built only
                            * when the file repeats a friendship, to say where */
    uint32_t *flines;      /* the line of each */
    size_t fcap, fcount;

    failed_name *failed_items;
    uint32_t *tr_line;     /* per user: line of the initial tag-review setting */
    uint32_t *apps_line;   /* per user: line of the initial apps-through-friends setting */
    uint32_t *sl_line;     /* per user: line of the initial search-listing setting */
    uint32_t *aud_line;    /* per item: line where its audience was given */
    uint32_t aud_cap;

    char str[PS_MAX_LINE + 1]; /* the decoded string token */
} parser;

#define TOKF(t) (int)(t).len, (t).p

static void oom(parser *p)
{
    if (!p->stop) {
        ps_loc loc = {p->cur ? p->cur->line : 0, 0};
        ps_diag_error(p->d, loc, "out of memory");
    }
    p->d->oom = true; /* exit status 3, not 2 */
    p->stop = true;
}

static void verr(parser *p, ps_diag_level level, ps_loc loc, const char *fmt, va_list ap)
    PS_PRINTF(4, 0);
static void verr(parser *p, ps_diag_level level, ps_loc loc, const char *fmt, va_list ap)
{
    ps_diag_vreport(p->d, level, loc, fmt, ap);
    if (ps_diag_full(p->d))
        p->stop = true;
}

static void err(parser *p, ps_loc loc, const char *fmt, ...) PS_PRINTF(3, 4);
static void err(parser *p, ps_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verr(p, PS_DIAG_ERROR, loc, fmt, ap);
    va_end(ap);
}

static void warn(parser *p, ps_loc loc, const char *fmt, ...) PS_PRINTF(3, 4);
static void warn(parser *p, ps_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verr(p, PS_DIAG_WARNING, loc, fmt, ap);
    va_end(ap);
}

/* ---------------------------------------------------------------------------------------
 * Suggestions
 * ------------------------------------------------------------------------------------- */

/* Levenshtein distance of two short words (longer than 64 bytes: far). */
static unsigned distance(const char *a, size_t la, const char *b, size_t lb)
{
    if (la > 64 || lb > 64)
        return 99;
    unsigned row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++) {
        unsigned prev = row[0];
        row[0] = (unsigned)i;
        for (size_t j = 1; j <= lb; j++) {
            unsigned cur = row[j];
            unsigned v = prev + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < v)
                v = row[j] + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            row[j] = v;
            prev = cur;
        }
    }
    return row[lb];
}

/* The word of `words` (n of them) closest to name, within 1 edit for names of up to three
 * bytes and 2 for longer ones, or NULL. */
static const char *suggest(const char *const *words, size_t n, const char *name, size_t len)
{
    unsigned limit = len <= 3 ? 1 : 2, best_d = limit + 1;
    const char *best = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!words[i])
            continue;
        unsigned dd = distance(name, len, words[i], strlen(words[i]));
        if (dd < best_d) {
            best = words[i];
            best_d = dd;
        }
    }
    return best;
}

/* "; did you mean 'x'?" or "". */
static const char *dym(char *buf, size_t cap, const char *s)
{
    if (!s)
        return "";
    snprintf(buf, cap, "; did you mean '%s'?", s);
    return buf;
}

/* Writes "a, b or c" into buf. */
static const char *join_or(char *buf, size_t cap, const char *const *words)
{
    size_t n = 0, at = 0;
    while (words[n])
        n++;
    buf[0] = 0;
    for (size_t i = 0; i < n && at < cap; i++) {
        const char *sep = i == 0 ? "" : i + 1 == n ? " or " : ", ";
        int w = snprintf(buf + at, cap - at, "%s%s", sep, words[i]);
        if (w < 0)
            break;
        at += (size_t)w;
    }
    return buf;
}

/* ---------------------------------------------------------------------------------------
 * Tokens
 * ------------------------------------------------------------------------------------- */

static void next(parser *p)
{
    const ps_token *t = &p->tok;
    p->prev_end = t->kind == PS_TOK_STRING ? (size_t)(t->p - p->buf) + t->len + 1
                                           : t->off + t->len;
    ps_scan_next(&p->sc, &p->tok);
}

static bool at_end(const parser *p)
{
    return p->tok.kind == PS_TOK_END || p->tok.kind == PS_TOK_EOF;
}

static bool is(const parser *p, ps_tok_kind kind)
{
    return p->tok.kind == kind;
}

static bool tok_eq(const ps_token *t, const char *word)
{
    size_t n = strlen(word);
    return t->kind == PS_TOK_IDENT && t->len == n && memcmp(t->p, word, n) == 0;
}

/* How a token is named in messages. */
static const char *describe(const ps_token *t, char *buf, size_t cap)
{
    switch (t->kind) {
    case PS_TOK_EOF:
    case PS_TOK_END: return "end of line";
    case PS_TOK_STRING: return "a string";
    case PS_TOK_EQ: return "'='";
    case PS_TOK_COMMA: return "','";
    case PS_TOK_BAR: return "'|'";
    case PS_TOK_COLON: return "':'";
    default: snprintf(buf, cap, "'%.*s'", TOKF(*t)); return buf;
    }
}

/* A syntax error at the current token: "expected WHAT, found ...".  The statement ends. */
static void syntax(parser *p, const char *what)
{
    if (!p->failed && p->tok.kind != PS_TOK_ERROR) { /* an ERROR token was reported already */
        char b[PS_MAX_NAME + 8];
        err(p, p->tok.loc, "expected %s, found %s", what, describe(&p->tok, b, sizeof b));
    }
    p->failed = true;
}

static bool want(parser *p, ps_tok_kind kind, const char *what)
{
    if (is(p, kind))
        return true;
    syntax(p, what);
    return false;
}

/* Expects `key` followed by '='. */
static bool want_key(parser *p, const char *key, const char *what)
{
    if (!tok_eq(&p->tok, key)) {
        syntax(p, what);
        return false;
    }
    next(p);
    if (!want(p, PS_TOK_EQ, "'='"))
        return false;
    next(p);
    return true;
}

/* Reports anything left on the line. */
static void finish(parser *p)
{
    if (p->failed || at_end(p))
        return;
    char b[PS_MAX_NAME + 8];
    if (p->tok.kind == PS_TOK_IDENT || p->tok.kind == PS_TOK_STRING)
        err(p, p->tok.loc, "extra argument %s", describe(&p->tok, b, sizeof b));
    else if (p->tok.kind != PS_TOK_ERROR)
        err(p, p->tok.loc, "unexpected %s", describe(&p->tok, b, sizeof b));
    p->failed = true;
}

/* Decodes the current string token into p->str. */
static const char *decode(parser *p)
{
    ps_scan_unescape(&p->tok, p->str);
    return p->str;
}

/* Copies source text [from, to) with every run of blanks and line continuations turned
 * into one space.  NULL out of memory. */
static char *slice_text(parser *p, size_t from, size_t to)
{
    char *s = malloc(to - from + 1);
    if (!s)
        return NULL;
    size_t n = 0;
    bool space = false;
    for (size_t i = from; i < to; i++) {
        char c = p->buf[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\\') {
            space = true;
            continue;
        }
        if (space && n)
            s[n++] = ' ';
        space = false;
        s[n++] = c;
    }
    s[n] = 0;
    return s;
}

/* A fresh mark for finding repeated names in one member list. */
static uint32_t new_stamp(parser *p)
{
    if (++p->stamp_cur == 0) {
        memset(p->stamp, 0, (size_t)p->m->nusers * sizeof *p->stamp);
        p->stamp_cur = 1;
    }
    return p->stamp_cur;
}

/* True (and marks it) when user u was not marked with `mark` yet. */
static bool first_mention(parser *p, uint32_t u, uint32_t mark)
{
    if (!p->stamp || u >= p->m->nusers)
        return true;
    if (p->stamp[u] == mark)
        return false;
    p->stamp[u] = mark;
    return true;
}

/* ---------------------------------------------------------------------------------------
 * Names
 * ------------------------------------------------------------------------------------- */

/* The users' names are looked up once or twice per friendship, so the parser keeps its
 * own index of them beside the model's general name tables: an open-addressing table whose
 * slots hold a tag of the name's hash and where the name sits in a compact arena.  A
 * lookup reads one slot and, when the tag matches, one arena entry; it never follows the
 * model's pointers, whose cache misses dominate a file of a million friendships. */
static uint64_t name_hash(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a, then a final mix */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    h ^= h >> 32;
    h *= 0x9e3779b97f4a7c15ull;
    return h ^ (h >> 29);
}

/* The user whose arena entry at `off` is named name[0..len), or PS_NONE.  An entry is a
 * length byte, the name, and the user's index (4 bytes, unaligned). */
static uint32_t arena_match(const parser *p, uint32_t off, const char *name, size_t len)
{
    const unsigned char *e = (const unsigned char *)p->uarena + off;
    if (e[0] != len || memcmp(e + 1, name, len) != 0)
        return PS_NONE;
    uint32_t u;
    memcpy(&u, e + 1 + len, sizeof u);
    return u;
}

/* The user named name[0..len) whose name_hash() is h, or PS_NONE. */
static uint32_t lookup_user_hashed(const parser *p, const char *name, size_t len, uint64_t h)
{
    if (!p->ucap || len > PS_MAX_NAME)
        return PS_NONE;
    uint32_t tag = (uint32_t)(h >> 32);
    size_t mask = p->ucap - 1;
    for (size_t i = (size_t)h & mask; p->utab[i]; i = (i + 1) & mask) {
        if ((uint32_t)(p->utab[i] >> 32) != tag)
            continue;
        uint32_t u = arena_match(p, (uint32_t)p->utab[i] - 1, name, len);
        if (u != PS_NONE)
            return u;
    }
    return PS_NONE;
}

/* The user named name[0..len), or PS_NONE. */
static uint32_t lookup_user(const parser *p, const char *name, size_t len)
{
    return lookup_user_hashed(p, name, len, name_hash(name, len));
}

/* Starts loading the arena entry that the (cached) table slot of hash h points at. */
static inline void prefetch_user_entry(const parser *p, uint64_t h)
{
#if defined(__GNUC__)
    if (!p->ucap)
        return;
    uint64_t slot = p->utab[(size_t)h & (p->ucap - 1)];
    if (slot && (uint32_t)(slot >> 32) == (uint32_t)(h >> 32))
        __builtin_prefetch(p->uarena + (uint32_t)slot - 1);
#else
    (void)p;
    (void)h;
#endif
}

/* Starts loading the table slot of hash h (and what follows) into the cache. */
static inline void prefetch_user(const parser *p, uint64_t h)
{
#if defined(__GNUC__)
    if (p->ucap)
        __builtin_prefetch(&p->utab[(size_t)h & (p->ucap - 1)]);
#else
    (void)p;
    (void)h;
#endif
}

static void utab_put(uint64_t *tab, size_t cap, uint64_t h, uint32_t off)
{
    size_t i = (size_t)h & (cap - 1);
    while (tab[i])
        i = (i + 1) & (cap - 1);
    tab[i] = (h & 0xffffffff00000000ull) | ((uint64_t)off + 1);
}

/* Adds user u (just added to the model) to the index; false out of memory. */
static bool index_user(parser *p, uint32_t u)
{
    const char *name = p->m->users[u].name;
    size_t len = strlen(name); /* at most PS_MAX_NAME: fits the length byte */
    if (p->ualen + len + 5 > p->uacap) {
        size_t ncap = p->uacap ? p->uacap * 2 : 1 << 16;
        char *a = realloc(p->uarena, ncap);
        if (!a)
            return false;
        p->uarena = a;
        p->uacap = ncap;
    }
    uint32_t off = (uint32_t)p->ualen;
    p->uarena[off] = (char)len;
    memcpy(p->uarena + off + 1, name, len);
    memcpy(p->uarena + off + 1 + len, &u, sizeof u);
    p->ualen += len + 5;
    if ((size_t)(u + 1) * 2 > p->ucap) {
        size_t ncap = p->ucap ? p->ucap * 2 : 1024;
        uint64_t *t = calloc(ncap, sizeof *t);
        if (!t)
            return false;
        for (size_t i = 0; i < p->ucap; i++)
            if (p->utab[i]) {
                uint32_t o = (uint32_t)p->utab[i] - 1;
                size_t n = (unsigned char)p->uarena[o];
                utab_put(t, ncap, name_hash(p->uarena + o + 1, n), o);
            }
        free(p->utab);
        p->utab = t;
        p->ucap = ncap;
    }
    utab_put(p->utab, p->ucap, name_hash(name, len), off);
    return true;
}

static void unknown(parser *p, const ps_token *t, ps_namespace ns, const char *what)
{
    char b[PS_MAX_NAME + 32];
    const char *s = ps_model_suggest(p->m, ns, 0, t->p, t->len);
    err(p, t->loc, "unknown %s '%.*s'%s", what, TOKF(*t), dym(b, sizeof b, s));
}

static uint32_t find_user(parser *p, const ps_token *t)
{
    uint32_t u = lookup_user(p, t->p, t->len);
    if (u == PS_NONE)
        unknown(p, t, PS_NS_USER, "user");
    return u;
}

/* Reads a user name at the current token (and moves past it); PS_NONE when unknown. */
static uint32_t read_user(parser *p, const char *what, bool *ok)
{
    *ok = want(p, PS_TOK_IDENT, what);
    if (!*ok)
        return PS_NONE;
    ps_token t = p->tok;
    next(p);
    return find_user(p, &t);
}

static uint32_t find_named(parser *p, const ps_token *t, ps_namespace ns, const char *what)
{
    uint32_t i = ps_model_find(p->m, ns, 0, t->p, t->len);
    if (i == PS_NONE)
        unknown(p, t, ns, what);
    return i;
}

/* A list or persona of `owner`. */
static uint32_t find_owned(parser *p, const ps_token *t, ps_namespace ns, uint32_t owner)
{
    uint32_t i = ps_model_find(p->m, ns, owner, t->p, t->len);
    if (i == PS_NONE) {
        char b[PS_MAX_NAME + 32];
        const char *s = ps_model_suggest(p->m, ns, owner, t->p, t->len);
        err(p, t->loc, "%s has no %s '%.*s'%s", p->m->users[owner].name,
            ns == PS_NS_LIST ? "list" : "persona", TOKF(*t), dym(b, sizeof b, s));
    }
    return i;
}

static void remember_failed_item(parser *p, const ps_token *t)
{
    failed_name *f;
    HASH_FIND(hh, p->failed_items, t->p, t->len, f);
    if (f)
        return;
    f = malloc(sizeof *f + t->len + 1);
    if (!f) {
        oom(p);
        return;
    }
    memcpy(f->name, t->p, t->len);
    f->name[t->len] = 0;
    HASH_ADD(hh, p->failed_items, name[0], t->len, f);
}

static bool is_failed_item(parser *p, const ps_token *t)
{
    failed_name *f;
    HASH_FIND(hh, p->failed_items, t->p, t->len, f);
    return f != NULL;
}

/* The profile field named name[0..len) (not posts or photos), or -1. */
static int find_field(const char *name, size_t len)
{
    int c = ps_category_find(name, len);
    return c >= 0 && c < PS_NFIELDS ? c : -1;
}

static const char *field_suggestion(const char *name, size_t len)
{
    const char *words[PS_NFIELDS];
    for (unsigned f = 0; f < PS_NFIELDS; f++)
        words[f] = ps_category_name(f);
    return suggest(words, PS_NFIELDS, name, len);
}

/* Splits "USER.FIELD" at its last dot: the user (PS_NONE if unknown) and the field (-1 if
 * the part after the dot is no profile field).  False when there is no dot. */
static bool split_field(parser *p, const ps_token *t, uint32_t *user, int *field)
{
    const char *dot = NULL;
    for (uint32_t i = t->len; i-- > 0;)
        if (t->p[i] == '.') {
            dot = t->p + i;
            break;
        }
    if (!dot || dot == t->p)
        return false;
    size_t ulen = (size_t)(dot - t->p);
    *user = lookup_user(p, t->p, ulen);
    *field = find_field(dot + 1, t->len - ulen - 1);
    return true;
}

/* The item named by token t: a post, a photo, or (when `fields`) a USER.FIELD, which is
 * created if it was not declared.  PS_NONE (reported) when there is no such item. */
static uint32_t find_item(parser *p, const ps_token *t, bool fields)
{
    ps_model *m = p->m;
    uint32_t it = ps_model_find(m, PS_NS_ITEM, 0, t->p, t->len);
    uint32_t u;
    int f;
    bool dotted = split_field(p, t, &u, &f);
    if (it == PS_NONE && dotted && f >= 0) {
        if (u == PS_NONE) {
            ps_token ut = *t;
            for (uint32_t i = t->len; i-- > 0;)
                if (t->p[i] == '.') {
                    ut.len = i;
                    break;
                }
            unknown(p, &ut, PS_NS_USER, "user");
            return PS_NONE;
        }
        if (fields) {
            if (m->nitems >= PS_MAX_ITEMS) {
                err(p, t->loc, "too many items (the limit is %u)", PS_MAX_ITEMS);
                p->stop = true;
                return PS_NONE;
            }
            it = ps_model_field_item(m, u, (ps_field)f);
            if (it == PS_NONE)
                oom(p);
            return it;
        }
    }
    if (it != PS_NONE && (fields || m->items[it].kind != PS_ITEM_FIELD))
        return it;
    if (it != PS_NONE || (dotted && f >= 0)) {
        err(p, t->loc, "'%.*s' is a profile field, not a post or a photo", TOKF(*t));
        return PS_NONE;
    }
    if (is_failed_item(p, t))
        return PS_NONE;
    char b[PS_MAX_NAME * 2 + 32];
    const char *s = ps_model_suggest(m, PS_NS_ITEM, 0, t->p, t->len);
    if (!s && dotted && u != PS_NONE && fields) {
        const char *dot = t->p + t->len;
        while (*--dot != '.')
            ;
        const char *fs = field_suggestion(dot + 1, (size_t)(t->p + t->len - dot - 1));
        if (fs) {
            snprintf(b, sizeof b, "; did you mean '%.*s.%s'?", (int)(dot - t->p), t->p, fs);
            err(p, t->loc, "unknown item '%.*s'%s", TOKF(*t), b);
            return PS_NONE;
        }
    }
    err(p, t->loc, "unknown item '%.*s'%s", TOKF(*t), dym(b, sizeof b, s));
    return PS_NONE;
}

/* Reads an item name at the current token and moves past it. */
static uint32_t read_item(parser *p, bool fields, bool *ok)
{
    *ok = want(p, PS_TOK_IDENT, fields ? "an item (a post, a photo or USER.FIELD)"
                                       : "an item (a post or a photo)");
    if (!*ok)
        return PS_NONE;
    ps_token t = p->tok;
    next(p);
    return find_item(p, &t, fields);
}

/* ---------------------------------------------------------------------------------------
 * Values: choices, categories, audience terms
 * ------------------------------------------------------------------------------------- */

/* Reads one of `choices` (NULL-terminated); its index, or -1 (reported). */
static int read_choice(parser *p, const char *const *choices, const char *what)
{
    char b[256], c[PS_MAX_NAME + 32];
    if (!is(p, PS_TOK_IDENT)) {
        snprintf(b, sizeof b, "a value for %s", what);
        syntax(p, b);
        return -1;
    }
    size_t n = 0;
    while (choices[n])
        n++;
    for (size_t i = 0; i < n; i++)
        if (tok_eq(&p->tok, choices[i])) {
            next(p);
            return (int)i;
        }
    const char *s = suggest(choices, n, p->tok.p, p->tok.len);
    if (s)
        err(p, p->tok.loc, "invalid value '%.*s' for %s%s", TOKF(p->tok), what,
            dym(c, sizeof c, s));
    else
        err(p, p->tok.loc, "invalid value '%.*s' for %s; expected %s", TOKF(p->tok), what,
            join_or(b, sizeof b, choices));
    p->failed = true;
    return -1;
}

/* Reads CAT[,CAT]..., `all` or `none` into *mask (`fields_only`: profile fields, or
 * `none`).  False on a syntax error. */
static bool read_categories(parser *p, bool fields_only, uint32_t *mask)
{
    const char *what = fields_only ? "a profile field or none" : "a category, all or none";
    *mask = 0;
    if (!want(p, PS_TOK_IDENT, what))
        return false;
    if (tok_eq(&p->tok, "none") || (!fields_only && tok_eq(&p->tok, "all"))) {
        *mask = tok_eq(&p->tok, "all") ? PS_CATS_ALL : 0;
        next(p);
        return true;
    }
    for (;;) {
        if (!want(p, PS_TOK_IDENT, what))
            return false;
        ps_token t = p->tok;
        int c = fields_only ? find_field(t.p, t.len) : ps_category_find(t.p, t.len);
        if (c < 0) {
            const char *words[PS_NCATS];
            unsigned n = fields_only ? PS_NFIELDS : PS_NCATS;
            for (unsigned i = 0; i < n; i++)
                words[i] = ps_category_name(i);
            char b[PS_MAX_NAME + 32];
            bool is_cat = fields_only && ps_category_find(t.p, t.len) >= 0;
            if (is_cat)
                err(p, t.loc, "'%.*s' is not a profile field", TOKF(t));
            else
                err(p, t.loc, "unknown %s '%.*s'%s", fields_only ? "profile field" : "category",
                    TOKF(t), dym(b, sizeof b, suggest(words, n, t.p, t.len)));
        } else if (*mask & (1u << c)) {
            err(p, t.loc, "'%.*s' is named twice", TOKF(t));
        } else {
            *mask |= 1u << c;
        }
        next(p);
        if (!is(p, PS_TOK_COMMA))
            return true;
        next(p);
    }
}

static int find_term_kind(const char *name, size_t len)
{
    for (unsigned k = 0; k < PS_NTERMS; k++) {
        const char *w = ps_term_kind_name((ps_term_kind)k);
        if (strlen(w) == len && memcmp(w, name, len) == 0)
            return (int)k;
    }
    return -1;
}

/* Resolves the name of a list/network/group/user term; PS_NONE (reported) if unknown. */
static uint32_t resolve_term(parser *p, int kind, const ps_token *nm, uint32_t owner)
{
    switch (kind) {
    case PS_TERM_LIST: return find_owned(p, nm, PS_NS_LIST, owner);
    case PS_TERM_NETWORK: return find_named(p, nm, PS_NS_NETWORK, "network");
    case PS_TERM_GROUP: return find_named(p, nm, PS_NS_GROUP, "group");
    default: return find_user(p, nm);
    }
}

/* Reads TERM[,TERM]... .  With `out` NULL only the syntax is checked; else the names are
 * resolved relative to `owner` and the terms appended to *out.  `rule`: a platform default,
 * where only the owner-relative keywords may appear.  False on a syntax error. */
static bool read_terms(parser *p, uint32_t owner, ps_terms *out, bool rule)
{
    struct { uint8_t kind; const char *name; uint32_t len; } seen[PS_MAX_TERMS];
    uint32_t n = 0;
    for (;;) {
        if (!want(p, PS_TOK_IDENT, "an audience term"))
            return false;
        ps_token t = p->tok;
        int k = find_term_kind(t.p, t.len);
        if (k < 0) {
            const char *words[PS_NTERMS];
            for (unsigned i = 0; i < PS_NTERMS; i++)
                words[i] = ps_term_kind_name((ps_term_kind)i);
            char b[PS_MAX_NAME + 32];
            err(p, t.loc, "unknown audience term '%.*s'%s", TOKF(t),
                dym(b, sizeof b, suggest(words, PS_NTERMS, t.p, t.len)));
            p->failed = true;
            return false;
        }
        next(p);
        ps_token nm = {0};
        if (ps_term_named((unsigned)k)) {
            if (!is(p, PS_TOK_COLON)) {
                char b[64];
                snprintf(b, sizeof b, "':' after '%s' (%s:NAME)", ps_term_kind_name(k),
                         ps_term_kind_name(k));
                syntax(p, b);
                return false;
            }
            next(p);
            if (!want(p, PS_TOK_IDENT, "a name after ':'"))
                return false;
            nm = p->tok;
            next(p);
            if (rule)
                err(p, t.loc, "'%s:' cannot be used in a platform default; use public, "
                              "everyone, networks, fof, friends, only-me, circles or extended-circles",
                    ps_term_kind_name(k));
        } else if (is(p, PS_TOK_COLON)) {
            err(p, p->tok.loc, "'%s' takes no name", ps_term_kind_name(k));
            p->failed = true;
            return false;
        }
        for (uint32_t i = 0; i < n; i++)
            if (seen[i].kind == k && seen[i].len == nm.len &&
                (nm.len == 0 || memcmp(seen[i].name, nm.p, nm.len) == 0)) {
                err(p, t.loc, "duplicate audience term '%.*s'",
                    (int)(p->prev_end - t.off), t.p);
                break;
            }
        if (n == PS_MAX_TERMS) {
            err(p, t.loc, "too many terms in one audience (the limit is %d)", PS_MAX_TERMS);
            p->failed = true;
            return false;
        }
        seen[n].kind = (uint8_t)k;
        seen[n].name = nm.p;
        seen[n].len = nm.len;
        n++;
        if (out && !rule) {
            uint32_t ref = ps_term_named((unsigned)k) ? resolve_term(p, k, &nm, owner) : PS_NONE;
            if ((!ps_term_named((unsigned)k) || ref != PS_NONE) && ps_terms_push(out, (ps_term_kind)k, ref))
                oom(p);
        } else if (out && !ps_term_named((unsigned)k) && ps_terms_push(out, (ps_term_kind)k, PS_NONE)) {
            oom(p);
        }
        if (!is(p, PS_TOK_COMMA))
            return true;
        next(p);
    }
}

/* Reads `audience=` terms and an optional `hide=` (the current token is `audience`). */
static bool read_audience(parser *p, uint32_t owner, ps_audience *a, bool resolve)
{
    if (!want_key(p, "audience", "audience="))
        return false;
    if (!read_terms(p, owner, resolve ? &a->allow : NULL, false))
        return false;
    if (tok_eq(&p->tok, "hide")) {
        next(p);
        if (!want(p, PS_TOK_EQ, "'=' after 'hide'"))
            return false;
        next(p);
        if (!read_terms(p, owner, resolve ? &a->hide : NULL, false))
            return false;
    }
    return true;
}

/* ---------------------------------------------------------------------------------------
 * Rules
 * ------------------------------------------------------------------------------------- */

/* Reads a rule name: the rule and, for default-audience[.CATEGORY], its categories. */
static bool read_rule_name(parser *p, ps_rule_id *id, uint32_t *cats)
{
    if (!want(p, PS_TOK_IDENT, "a rule name"))
        return false;
    ps_token t = p->tok;
    static const char da[] = "default-audience";
    size_t dl = sizeof da - 1;
    *cats = 0;
    if (t.len > dl + 1 && memcmp(t.p, da, dl) == 0 && t.p[dl] == '.') {
        int c = ps_category_find(t.p + dl + 1, t.len - dl - 1);
        if (c < 0) {
            const char *words[PS_NCATS];
            for (unsigned i = 0; i < PS_NCATS; i++)
                words[i] = ps_category_name(i);
            char b[PS_MAX_NAME + 32];
            err(p, t.loc, "unknown category '%.*s'%s", (int)(t.len - dl - 1), t.p + dl + 1,
                dym(b, sizeof b, suggest(words, PS_NCATS, t.p + dl + 1, t.len - dl - 1)));
            p->failed = true;
            return false;
        }
        *id = PS_RULE_DEFAULT_AUDIENCE;
        *cats = 1u << c;
        next(p);
        return true;
    }
    const char *words[PS_NRULES];
    for (unsigned r = 0; r < PS_NRULES; r++) {
        words[r] = ps_rule_name((ps_rule_id)r);
        if (tok_eq(&t, words[r])) {
            *id = (ps_rule_id)r;
            *cats = r == PS_RULE_DEFAULT_AUDIENCE ? PS_CATS_ALL : 0;
            next(p);
            return true;
        }
    }
    char b[PS_MAX_NAME + 32];
    err(p, t.loc, "unknown rule '%.*s'%s", TOKF(t),
        dym(b, sizeof b, suggest(words, PS_NRULES, t.p, t.len)));
    p->failed = true;
    return false;
}

/* Reads the value of rule `id` into *val (every category of `cats` for default-audience).
 * False on an error. */
static bool read_rule_value(parser *p, ps_rule_id id, uint32_t cats, ps_rules *val)
{
    const char *const *choices = ps_rule_choices(id);
    uint32_t before = ps_diag_nerrors(p->d);
    if (choices) {
        int v = read_choice(p, choices, ps_rule_name(id));
        if (v < 0)
            return false;
        switch (id) {
        case PS_RULE_TAG_EXTENDS: val->tag_extends = (uint8_t)v; break;
        case PS_RULE_TAG_REVIEW_DEFAULT: val->tag_review_default = v; break;
        case PS_RULE_RESHARE: val->reshare = (uint8_t)v; break;
        case PS_RULE_APPS_THROUGH_FRIENDS: val->apps_through_friends = v; break;
        case PS_RULE_FRIENDSHIP_VISIBILITY: val->friendship_visibility = (uint8_t)v; break;
        case PS_RULE_SEARCH_LISTING: val->search_listing = v; break;
        case PS_RULE_INSTANT_PERSONALIZATION: val->instant_personalization = v; break;
        case PS_RULE_REGIONAL_NETWORKS: val->regional_networks = v; break;
        default: val->interaction_extends = (uint8_t)v; break;
        }
        return true;
    }
    if (id == PS_RULE_APPS_THROUGH_FRIENDS_DEFAULT || ps_rule_is_fields(id)) {
        uint32_t mask;
        if (!read_categories(p, ps_rule_is_fields(id), &mask))
            return false;
        if (ps_rule_is_fields(id))
            *ps_rule_fields(val, id) = mask;
        else
            val->apps_default_cats = mask;
        return ps_diag_nerrors(p->d) == before;
    }
    ps_terms t = {0};
    if (!read_terms(p, PS_NONE, &t, true) || ps_diag_nerrors(p->d) != before) {
        ps_terms_free(&t);
        return false;
    }
    for (unsigned c = 0; c < PS_NCATS; c++)
        if ((cats & (1u << c)) && ps_terms_copy(&val->default_audience[c], &t))
            oom(p);
    ps_terms_free(&t);
    return !p->stop;
}

/* `rule link-mutual-friends = K` and `rule contact-suggestions = FIELDS|none` (person.h). */
static void st_link_rule(parser *p)
{
    ps_token name = p->tok;
    bool mutual = tok_eq(&name, "link-mutual-friends");
    next(p);
    if (!want(p, PS_TOK_EQ, "'=' after the rule name"))
        return;
    next(p);
    uint32_t value = 0;
    ps_token v = p->tok;
    if (mutual) {
        if (!want(p, PS_TOK_IDENT, "off or at-least-N"))
            return;
        static const char pre[] = "at-least-";
        size_t pl = sizeof pre - 1;
        bool off = tok_eq(&v, "off");
        bool digits = !off && v.len > pl && v.len <= pl + 6 && memcmp(v.p, pre, pl) == 0;
        for (uint32_t i = (uint32_t)pl; i < v.len && digits; i++)
            digits = v.p[i] >= '0' && v.p[i] <= '9';
        if (!off && !digits) {
            err(p, v.loc, "invalid value '%.*s' for link-mutual-friends; expected off or "
                          "at-least-N (N from 1 to 999999)", TOKF(v));
            p->failed = true;
            return;
        }
        for (uint32_t i = (uint32_t)pl; !off && i < v.len; i++)
            value = value * 10 + (uint32_t)(v.p[i] - '0');
        if (!off && value == 0) {
            err(p, v.loc, "at-least-0 would link every pair of accounts; write off to turn "
                          "friends in common off");
            p->failed = true;
            return;
        }
        next(p);
    } else {
        if (!read_categories(p, true, &value))
            return;
        if (value & ~(uint32_t)PS_CONTACT_FIELDS) {
            err(p, v.loc, "contact-suggestions takes phone, email or none");
            p->failed = true;
            return;
        }
    }
    finish(p);
    if (p->failed)
        return;
    ps_persons *ps = ps_persons_get(p->m);
    if (!ps) {
        oom(p);
        return;
    }
    ps_loc *at = mutual ? &ps->mutual_loc : &ps->contacts_loc;
    if (at->line) {
        err(p, name.loc, "rule '%.*s' is already set at line %u", TOKF(name),
            (unsigned)at->line);
        return;
    }
    *at = name.loc;
    if (mutual) {
        ps->rules.mutual_friends = value;
        ps->mutual_set = true;
    } else {
        ps->rules.contacts = value;
        ps->contacts_set = true;
    }
}

/* `rule NAME = VALUE` */
static void st_rule(parser *p, stmt *s, bool declare)
{
    ps_model *m = p->m;
    ps_rule_id id;
    uint32_t cats;
    ps_token name = p->tok;
    if (is(p, PS_TOK_IDENT) && (tok_eq(&name, "link-mutual-friends") ||
                                tok_eq(&name, "contact-suggestions"))) {
        st_link_rule(p);
        return;
    }
    if (!read_rule_name(p, &id, &cats) || !want(p, PS_TOK_EQ, "'=' after the rule name"))
        return;
    next(p);
    ps_rules val;
    memset(&val, 0, sizeof val);
    bool ok = read_rule_value(p, id, cats, &val);
    finish(p);
    if (ok && !p->failed) {
        ps_loc first = {0, 0};
        if (id != PS_RULE_DEFAULT_AUDIENCE)
            first = m->rule_locs[id];
        else if (cats == PS_CATS_ALL)
            first = p->da_all_loc;
        else
            first = p->da_loc[__builtin_ctz(cats)];
        if (first.line) {
            err(p, name.loc, "rule '%.*s' is already set at line %u", TOKF(name),
                (unsigned)first.line);
        } else if (id == PS_RULE_DEFAULT_AUDIENCE && cats == PS_CATS_ALL) {
            p->da_all_loc = name.loc;
            ps_terms_free(&p->da_all);
            p->da_all = val.default_audience[0];
            memset(&val.default_audience[0], 0, sizeof val.default_audience[0]);
        } else {
            if (ps_rules_set_one(&m->overrides, &val, id, cats))
                oom(p);
            m->rules_set |= 1u << id;
            if (id == PS_RULE_DEFAULT_AUDIENCE) {
                p->da_loc[__builtin_ctz(cats)] = name.loc;
                m->default_audience_set |= cats;
            }
            if (!m->rule_locs[id].line)
                m->rule_locs[id] = name.loc;
        }
    }
    ps_rules_free(&val);
}

/* Applies `rule default-audience = ...` to every category without a line of its own. */
static void apply_default_audience(parser *p)
{
    ps_model *m = p->m;
    if (!p->da_all_loc.line)
        return;
    for (unsigned c = 0; c < PS_NCATS; c++) {
        if (m->default_audience_set & (1u << c))
            continue;
        ps_terms_free(&m->overrides.default_audience[c]);
        if (ps_terms_copy(&m->overrides.default_audience[c], &p->da_all))
            oom(p);
    }
    m->default_audience_set = PS_CATS_ALL;
    m->rules_set |= 1u << PS_RULE_DEFAULT_AUDIENCE;
    if (!m->rule_locs[PS_RULE_DEFAULT_AUDIENCE].line)
        m->rule_locs[PS_RULE_DEFAULT_AUDIENCE] = p->da_all_loc;
}

/* `platform NAME` */
static void st_platform(parser *p, stmt *s, bool declare)
{
    if (!want(p, PS_TOK_IDENT, "a platform name"))
        return;
    ps_token t = p->tok;
    next(p);
    finish(p);
    if (p->failed)
        return;
    const char *const *names = ps_platform_names();
    size_t n = 0;
    bool known = false;
    while (names[n])
        known |= tok_eq(&t, names[n++]);
    if (!known) {
        char b[512];
        const char *sg = suggest(names, n, t.p, t.len);
        if (sg)
            err(p, t.loc, "unknown platform '%.*s'%s", TOKF(t), dym(b, sizeof b, sg));
        else
            err(p, t.loc, "unknown platform '%.*s'; the platforms are %s", TOKF(t),
                join_or(b, sizeof b, names));
    } else if (p->platform.len) {
        err(p, t.loc, "the platform is already given at line %u", (unsigned)p->platform.loc.line);
    } else {
        p->platform = t;
    }
}

/* Sets the model's platform and applies the rule lines. */
static void apply_platform(parser *p)
{
    ps_model *m = p->m;
    char name[PS_MAX_NAME + 1];
    if (p->platform.len) {
        memcpy(name, p->platform.p, p->platform.len);
        name[p->platform.len] = 0;
        m->platform_loc = p->platform.loc;
    } else {
        snprintf(name, sizeof name, "%s", m->platform ? m->platform : PS_DEFAULT_PLATFORM);
    }
    if (ps_model_set_platform(m, name))
        oom(p); /* the name was checked: only memory can fail */
}

/* ---------------------------------------------------------------------------------------
 * Declarations: users, friendships, networks, groups, apps, lists
 * ------------------------------------------------------------------------------------- */

static bool over_limit(parser *p, const ps_token *t, uint32_t n, uint32_t limit, const char *what)
{
    if (n < limit)
        return false;
    err(p, t->loc, "too many %s (the limit is %u)", what, (unsigned)limit);
    p->stop = true;
    return true;
}

/* `user NAME ["Display name"] NAME ...` */
static void st_user(parser *p, stmt *s, bool declare)
{
    ps_model *m = p->m;
    if (at_end(p)) {
        syntax(p, "a user name");
        return;
    }
    while (!at_end(p) && !p->failed && !p->stop) {
        if (!want(p, PS_TOK_IDENT, "a user name"))
            return;
        ps_token name = p->tok;
        next(p);
        const char *display = NULL;
        if (is(p, PS_TOK_STRING)) {
            if (p->tok.len == 0)
                err(p, p->tok.loc, "empty display name");
            display = decode(p);
            next(p);
        }
        uint32_t old = lookup_user(p, name.p, name.len);
        if (tok_eq(&name, "internet")) {
            err(p, name.loc, "'internet' is reserved for the viewers outside the platform");
        } else if (old != PS_NONE) {
            err(p, name.loc, "duplicate user '%.*s' (first declared at line %u)", TOKF(name),
                (unsigned)m->users[old].loc.line);
        } else if (!over_limit(p, &name, m->nusers, PS_MAX_USERS, "users")) {
            uint32_t u = ps_model_add_user(m, name.p, name.len, display);
            if (u == PS_NONE || !index_user(p, u))
                oom(p);
            else
                m->users[u].loc = name.loc;
        }
    }
}

/* Open-addressing set of friendships, to warn about the ones given twice. */
static uint32_t friendship_seen(parser *p, uint32_t a, uint32_t b, uint32_t line)
{
    if (p->fcount * 2 >= p->fcap) {
        size_t ncap = p->fcap ? p->fcap * 2 : 1024;
        uint64_t *keys = calloc(ncap, sizeof *keys);
        uint32_t *lines = malloc(ncap * sizeof *lines);
        if (!keys || !lines) {
            free(keys);
            free(lines);
            oom(p);
            return 0;
        }
        for (size_t i = 0; i < p->fcap; i++) {
            if (!p->fkeys[i])
                continue;
            size_t h = (size_t)((p->fkeys[i] * 0x9e3779b97f4a7c15ull) >> 20) & (ncap - 1);
            while (keys[h])
                h = (h + 1) & (ncap - 1);
            keys[h] = p->fkeys[i];
            lines[h] = p->flines[i];
        }
        free(p->fkeys);
        free(p->flines);
        p->fkeys = keys;
        p->flines = lines;
        p->fcap = ncap;
    }
    if (a > b) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    uint64_t key = (((uint64_t)a << 32) | b) + 1;
    size_t h = (size_t)((key * 0x9e3779b97f4a7c15ull) >> 20) & (p->fcap - 1);
    while (p->fkeys[h]) {
        if (p->fkeys[h] == key)
            return p->flines[h];
        h = (h + 1) & (p->fcap - 1);
    }
    p->fkeys[h] = key;
    p->flines[h] = line;
    p->fcount++;
    return 0;
}

/* `friends USER FRIEND...`.  With `repeats`, the friendships are not added again: the
 * pass only says which ones were given twice (it runs when the model shows that some
 * were). */
static void st_friends(parser *p, stmt *s, bool repeats)
{
    ps_model *m = p->m;
    bool ok;
    ps_token at = p->tok;
    uint32_t a = read_user(p, "a user name", &ok);
    if (!ok)
        return;
    if (at_end(p)) {
        syntax(p, "the name of a friend");
        return;
    }
    /* names are read a batch at a time and their table slots fetched together, so that the
     * cache misses of a long line overlap instead of following one another */
    enum { BATCH = 32 };
    ps_token batch[BATCH];
    uint64_t hash[BATCH];
    uint32_t nb = 0, bi = 0;
    while (!p->stop) {
        if (bi == nb) {
            nb = bi = 0;
            while (nb < BATCH && p->tok.kind == PS_TOK_IDENT) {
                batch[nb] = p->tok;
                hash[nb] = name_hash(p->tok.p, p->tok.len);
                prefetch_user(p, hash[nb]);
                nb++;
                next(p);
            }
            for (uint32_t k = 0; k < nb; k++)
                prefetch_user_entry(p, hash[k]);
            if (!nb) {
                if (at_end(p))
                    return;
                want(p, PS_TOK_IDENT, "the name of a friend");
                return;
            }
        }
        ps_token t = batch[bi];
        uint32_t b = lookup_user_hashed(p, t.p, t.len, hash[bi]);
        bi++;
        if (b == PS_NONE)
            unknown(p, &t, PS_NS_USER, "user");
        if (b == PS_NONE || a == PS_NONE)
            continue;
        if (a == b) {
            err(p, t.loc, "'%.*s' cannot be friends with themselves", TOKF(t));
            continue;
        }
        if (!repeats) {
            if (ps_model_add_friendship(m, a, b))
                oom(p);
            p->nfriends++;
            continue;
        }
        uint32_t first = friendship_seen(p, a, b, t.loc.line);
        if (first)
            warn(p, t.loc, "duplicate friendship of '%.*s' and '%.*s' (first at line %u)",
                 TOKF(at), TOKF(t), (unsigned)first);
    }
}

/* True when u is in the sorted array v[0..n). */
static bool sorted_has(const uint32_t *v, uint32_t n, uint32_t u)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (v[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo] == u;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Reads member names to the end of the statement into *v (sorted by index); a name given
 * twice is a warning.  `what` describes the set in messages ("network 'acme'"). */
static void read_members(parser *p, uint32_t **v, uint32_t *n, const char *what)
{
    uint32_t mark = new_stamp(p);
    while (!at_end(p) && !p->failed && !p->stop) {
        if (!want(p, PS_TOK_IDENT, "a member's name"))
            return;
        ps_token t = p->tok;
        next(p);
        uint32_t u = find_user(p, &t);
        if (u == PS_NONE)
            continue;
        if (!first_mention(p, u, mark))
            warn(p, t.loc, "'%.*s' is named twice in %s", TOKF(t), what);
        else if (ps_u32_push(v, n, u))
            oom(p);
    }
    if (*n > 1)
        qsort(*v, *n, sizeof **v, cmp_u32);
}

/* `network NAME MEMBER...` */
/* Whether the current token is followed by '=' (blanks between), as in `kind=`. */
static bool followed_by_eq(const parser *p)
{
    size_t i = p->tok.off + p->tok.len;
    while (i < p->len && (p->buf[i] == ' ' || p->buf[i] == '\t'))
        i++;
    return i < p->len && p->buf[i] == '=';
}

static void st_network(parser *p, stmt *s, bool declare)
{
    ps_model *m = p->m;
    if (!want(p, PS_TOK_IDENT, "a network name"))
        return;
    ps_token name = p->tok;
    next(p);
    uint32_t old = ps_model_find(m, PS_NS_NETWORK, 0, name.p, name.len);
    uint32_t idx = PS_NONE;
    if (old != PS_NONE)
        err(p, name.loc, "duplicate network '%.*s' (first declared at line %u)", TOKF(name),
            (unsigned)m->networks[old].loc.line);
    else if (!over_limit(p, &name, m->nnetworks, PS_MAX_OBJECTS, "networks")) {
        idx = ps_model_add_network(m, name.p, name.len);
        if (idx == PS_NONE)
            oom(p);
        else
            m->networks[idx].loc = name.loc;
    }
    bool regional = false;
    if (tok_eq(&p->tok, "kind") && followed_by_eq(p)) {
        static const char *const kinds[] = {"regional", "other", NULL};
        next(p);
        next(p);
        int k = read_choice(p, kinds, "the network's kind");
        if (k < 0)
            return;
        regional = k == 0;
    }
    char what[PS_MAX_NAME + 16];
    snprintf(what, sizeof what, "network '%.*s'", TOKF(name));
    uint32_t *v = NULL, nv = 0;
    read_members(p, &v, &nv, what);
    if (idx != PS_NONE) {
        m->networks[idx].regional = regional;
        m->networks[idx].members = v;
        m->networks[idx].nmembers = nv;
    } else {
        free(v);
    }
}

/* `group NAME open|closed|secret MEMBER...` */
static void st_group(parser *p, stmt *s, bool declare)
{
    ps_model *m = p->m;
    static const char *const kinds[] = {"open", "closed", "secret", NULL};
    if (!want(p, PS_TOK_IDENT, "a group name"))
        return;
    ps_token name = p->tok;
    next(p);
    if (at_end(p)) {
        syntax(p, "the group's kind (open, closed or secret)");
        return;
    }
    int kind = read_choice(p, kinds, "the group's kind");
    if (kind < 0)
        return;
    uint32_t old = ps_model_find(m, PS_NS_GROUP, 0, name.p, name.len);
    uint32_t idx = PS_NONE;
    if (old != PS_NONE)
        err(p, name.loc, "duplicate group '%.*s' (first declared at line %u)", TOKF(name),
            (unsigned)m->groups[old].loc.line);
    else if (!over_limit(p, &name, m->ngroups, PS_MAX_OBJECTS, "groups")) {
        idx = ps_model_add_group(m, name.p, name.len, (ps_group_kind)kind);
        if (idx == PS_NONE)
            oom(p);
        else
            m->groups[idx].loc = name.loc;
    }
    char what[PS_MAX_NAME + 16];
    snprintf(what, sizeof what, "group '%.*s'", TOKF(name));
    uint32_t *v = NULL, nv = 0;
    read_members(p, &v, &nv, what);
    if (idx != PS_NONE) {
        m->groups[idx].members = v;
        m->groups[idx].nmembers = nv;
    } else {
        free(v);
    }
}

/* Reads USER[,USER]... into *v (in order); a name given twice is reported as `twice`;
 * more than `limit` names as too many `what`. */
static bool read_user_list(parser *p, uint32_t **v, uint32_t *n, uint32_t limit,
                           const char *twice, const char *what)
{
    uint32_t mark = new_stamp(p);
    for (;;) {
        if (!want(p, PS_TOK_IDENT, "a user name"))
            return false;
        ps_token t = p->tok;
        next(p);
        uint32_t u = find_user(p, &t);
        if (u != PS_NONE) {
            if (!first_mention(p, u, mark)) {
                err(p, t.loc, "'%.*s' %s", TOKF(t), twice);
            } else if (*n >= limit) {
                err(p, t.loc, "too many %s (the limit is %u)", what, (unsigned)limit);
                p->failed = true;
                return false;
            } else if (ps_u32_push(v, n, u)) {
                oom(p);
            }
        }
        if (!is(p, PS_TOK_COMMA))
            return true;
        next(p);
    }
}

/* `app NAME [installed-by=USER[,USER]]` */
static void st_app(parser *p, stmt *s, bool declare)
{
    ps_model *m = p->m;
    if (!want(p, PS_TOK_IDENT, "an app name"))
        return;
    ps_token name = p->tok;
    next(p);
    uint32_t *v = NULL, nv = 0;
    bool partner = false;
    if (tok_eq(&p->tok, "partner") && !followed_by_eq(p)) {
        partner = true;
        next(p);
    }
    if (!at_end(p)) {
        if (is(p, PS_TOK_IDENT) && !tok_eq(&p->tok, "installed-by")) {
            err(p, p->tok.loc, "unknown option '%.*s' for app; expected partner or installed-by=",
                TOKF(p->tok));
            p->failed = true;
        } else if (want_key(p, "installed-by", "installed-by=")) {
            read_user_list(p, &v, &nv, PS_MAX_USERS, "is named twice", "installers");
        }
    }
    finish(p);
    uint32_t old = ps_model_find(m, PS_NS_APP, 0, name.p, name.len);
    uint32_t idx = PS_NONE;
    if (old != PS_NONE)
        err(p, name.loc, "duplicate app '%.*s' (first declared at line %u)", TOKF(name),
            (unsigned)m->apps[old].loc.line);
    else if (!over_limit(p, &name, m->napps, PS_MAX_OBJECTS, "apps")) {
        idx = ps_model_add_app(m, name.p, name.len);
        if (idx == PS_NONE)
            oom(p);
    }
    if (idx != PS_NONE) {
        m->apps[idx].loc = name.loc;
        m->apps[idx].partner = partner;
        m->apps[idx].installers = v;
        m->apps[idx].ninstallers = nv;
    } else {
        free(v);
    }
}

/* `list OWNER NAME MEMBER...` */
static void st_list(parser *p, stmt *s, bool declare)
{
    ps_model *m = p->m;
    bool ok;
    uint32_t owner = read_user(p, "the list owner's name", &ok);
    if (!ok || !want(p, PS_TOK_IDENT, "a list name"))
        return;
    ps_token name = p->tok;
    next(p);
    uint32_t idx = PS_NONE;
    if (owner != PS_NONE) {
        /* added first: the model's table says whether the name is taken (one lookup) */
        errno = 0;
        if (m->nlists < PS_MAX_OBJECTS)
            idx = ps_model_add_list(m, owner, name.p, name.len);
        bool taken = idx == PS_NONE && (m->nlists >= PS_MAX_OBJECTS || errno == EEXIST);
        uint32_t old = taken ? ps_model_find(m, PS_NS_LIST, owner, name.p, name.len) : PS_NONE;
        if (old != PS_NONE)
            err(p, name.loc, "duplicate list '%.*s' of %s (first declared at line %u)",
                TOKF(name), m->users[owner].name, (unsigned)m->lists[old].loc.line);
        else if (!over_limit(p, &name, m->nlists, PS_MAX_OBJECTS, "lists")) {
            if (idx == PS_NONE)
                oom(p);
            else
                m->lists[idx].loc = name.loc;
        }
    }
    /* members: each should be the owner's friend, except in a circle (`circle`, or any list
     * on a gplus platform), which is one-way by design */
    bool circle = memcmp(p->buf + s->off, "circle", 6) == 0;
    bool one_way = circle || (m->platform && strncmp(m->platform, "gplus", 5) == 0);
    if (idx != PS_NONE)
        m->lists[idx].circle = circle;
    uint32_t mark = new_stamp(p);
    uint32_t *v = NULL, nv = 0;
    const char *oname = owner != PS_NONE ? m->users[owner].name : "";
    while (!at_end(p) && !p->stop) {
        if (!want(p, PS_TOK_IDENT, "a member's name"))
            break;
        ps_token t = p->tok;
        next(p);
        uint32_t u = find_user(p, &t);
        if (u == PS_NONE || owner == PS_NONE)
            continue;
        if (!first_mention(p, u, mark))
            warn(p, t.loc, "'%.*s' is named twice in %s's list '%.*s'", TOKF(t), oname,
                 TOKF(name));
        else if (u == owner)
            warn(p, t.loc, "'%.*s' owns the list '%.*s' and need not be a member", TOKF(t),
                 TOKF(name));
        else if (!one_way && (!m->npairs || !ps_model_are_friends(m, owner, u)))
            warn(p, t.loc, "'%.*s' is in %s's list '%.*s' but is not %s's friend", TOKF(t),
                 oname, TOKF(name), oname);
        if (u != owner && ps_u32_push(&v, &nv, u))
            oom(p);
    }
    /* a member named twice was pushed twice: keep one */
    if (nv > 1) {
        qsort(v, nv, sizeof *v, cmp_u32);
        uint32_t w = 1;
        for (uint32_t i = 1; i < nv; i++)
            if (v[i] != v[w - 1])
                v[w++] = v[i];
        nv = w;
    }
    if (idx != PS_NONE) {
        m->lists[idx].members = v;
        m->lists[idx].nmembers = nv;
    } else {
        free(v);
    }
}

/* ---------------------------------------------------------------------------------------
 * Personas, posts, photos, fields
 * ------------------------------------------------------------------------------------- */

/* `persona OWNER NAME audience=TERMS [forbid=TERMS]` */
static void st_persona(parser *p, stmt *s, bool declare)
{
    ps_model *m = p->m;
    bool ok = true;
    uint32_t owner;
    if (declare) {
        owner = read_user(p, "the persona owner's name", &ok);
        if (!ok)
            return;
    } else {
        owner = m->personas[s->obj].owner;
        next(p);
    }
    if (!want(p, PS_TOK_IDENT, "a persona name"))
        return;
    ps_token name = p->tok;
    next(p);
    ps_persona *pe = declare ? NULL : &m->personas[s->obj];
    ps_token aud_key = {0}, forbid_key = {0};
    while (!at_end(p) && !p->failed && !p->stop) {
        if (!want(p, PS_TOK_IDENT, "audience= or forbid="))
            return;
        ps_token key = p->tok;
        bool is_aud = tok_eq(&key, "audience"), is_forbid = tok_eq(&key, "forbid");
        if (!is_aud && !is_forbid) {
            err(p, key.loc, "unknown option '%.*s' for persona; expected audience= or forbid=",
                TOKF(key));
            p->failed = true;
            return;
        }
        ps_token *seen = is_aud ? &aud_key : &forbid_key;
        if (seen->len) {
            err(p, key.loc, "'%.*s=' is given twice", TOKF(key));
            p->failed = true;
            return;
        }
        *seen = key;
        next(p);
        if (!want(p, PS_TOK_EQ, "'='"))
            return;
        next(p);
        ps_terms *out = pe ? (is_aud ? &pe->audience : &pe->forbid) : NULL;
        if (!read_terms(p, owner, out, false))
            return;
    }
    finish(p);
    if (!declare || p->failed)
        return;
    if (!aud_key.len)
        err(p, name.loc, "persona '%.*s' needs audience=", TOKF(name));
    if (owner == PS_NONE)
        return;
    /* added first: the model's table says whether the name is taken (one lookup) */
    errno = 0;
    uint32_t idx = m->npersonas < PS_MAX_OBJECTS ? ps_model_add_persona(m, owner, name.p, name.len)
                                                 : PS_NONE;
    bool taken = idx == PS_NONE && (m->npersonas >= PS_MAX_OBJECTS || errno == EEXIST);
    uint32_t old = taken ? ps_model_find(m, PS_NS_PERSONA, owner, name.p, name.len) : PS_NONE;
    if (old != PS_NONE) {
        err(p, name.loc, "duplicate persona '%.*s' of %s (first declared at line %u)",
            TOKF(name), m->users[owner].name, (unsigned)m->personas[old].loc.line);
    } else if (!over_limit(p, &name, m->npersonas, PS_MAX_OBJECTS, "personas")) {
        if (idx == PS_NONE) {
            oom(p);
            return;
        }
        m->personas[idx].loc = name.loc;
        s->obj = idx;
    }
}

/* Resolves persona=USER.PERSONA: the first split at a dot whose left part is a user. */
static uint32_t find_persona(parser *p, const ps_token *t, uint32_t *owner)
{
    ps_model *m = p->m;
    bool any_user = false;
    for (uint32_t i = 1; i + 1 < t->len; i++) {
        if (t->p[i] != '.')
            continue;
        uint32_t u = lookup_user(p, t->p, i);
        if (u == PS_NONE)
            continue;
        uint32_t pe = ps_model_find(m, PS_NS_PERSONA, u, t->p + i + 1, t->len - i - 1);
        if (pe != PS_NONE) {
            *owner = u;
            return pe;
        }
        if (!any_user) {
            ps_token nt = *t;
            nt.p += i + 1;
            nt.len -= i + 1;
            nt.loc.col += i + 1;
            any_user = true;
            find_owned(p, &nt, PS_NS_PERSONA, u);
            return PS_NONE;
        }
    }
    if (!memchr(t->p, '.', t->len)) {
        err(p, t->loc, "expected USER.PERSONA, found '%.*s'", TOKF(*t));
        return PS_NONE;
    }
    ps_token ut = *t;
    ut.len = (uint32_t)((const char *)memchr(t->p, '.', t->len) - t->p);
    unknown(p, &ut, PS_NS_USER, "user");
    return PS_NONE;
}

typedef struct {
    ps_token by, audience, hide, group, tags, persona, caption; /* keys (len 0: absent) */
    ps_token tag_friends, link;
} item_opts;

/* Sets the persona of item `it` from token v (USER.PERSONA); warns when the persona's
 * user neither owns nor is tagged in the item. */
static void item_persona(parser *p, uint32_t it, const ps_token *v, const ps_token *name)
{
    ps_model *m = p->m;
    uint32_t pu = PS_NONE;
    uint32_t pe = find_persona(p, v, &pu);
    m->items[it].persona = pe;
    if (pe == PS_NONE || pu == m->items[it].owner)
        return;
    for (uint32_t i = 0; i < m->items[it].ntags; i++)
        if (m->items[it].tags[i].user == pu)
            return;
    warn(p, v->loc, "persona '%.*s' belongs to %s, who neither owns nor is tagged in '%.*s'",
         TOKF(*v), m->users[pu].name, TOKF(*name));
}

/* `post NAME by=USER [audience=..] [hide=..] [group=G] [tags=U,..] [persona=U.P] ["caption"]`
 * and the same for `photo`. */
static void st_item(parser *p, stmt *s, bool declare)
{
    ps_model *m = p->m;
    const char *kw = s->kind == ST_POST ? "post" : "photo";
    if (!want(p, PS_TOK_IDENT, s->kind == ST_POST ? "a post name" : "a photo name"))
        return;
    ps_token name = p->tok;
    next(p);
    uint32_t it = declare ? PS_NONE : s->obj;
    uint32_t owner = declare ? PS_NONE : m->items[it].owner;
    item_opts o;
    memset(&o, 0, sizeof o);
    uint32_t before = ps_diag_nerrors(p->d);
    bool have_caption = false;
    ps_token persona_val = {0};
    while (!at_end(p) && !p->failed && !p->stop) {
        if (is(p, PS_TOK_STRING)) {
            if (have_caption && declare) {
                err(p, p->tok.loc, "second caption for '%.*s'", TOKF(name));
                p->failed = true;
                return;
            }
            have_caption = true;
            o.caption = p->tok;
            if (!declare) {
                free(m->items[it].caption);
                if (!(m->items[it].caption = strdup(decode(p))))
                    oom(p);
            }
            next(p);
            continue;
        }
        if (!want(p, PS_TOK_IDENT, "an option such as by=USER, or a caption"))
            return;
        ps_token key = p->tok;
        ps_token *slot = tok_eq(&key, "by") ? &o.by : tok_eq(&key, "audience") ? &o.audience
                       : tok_eq(&key, "hide") ? &o.hide : tok_eq(&key, "group") ? &o.group
                       : tok_eq(&key, "tags") ? &o.tags : tok_eq(&key, "persona") ? &o.persona
                       : tok_eq(&key, "tag-friends") ? &o.tag_friends
                       : tok_eq(&key, "link") && s->kind == ST_POST ? &o.link
                       : NULL;
        if (!slot) {
            static const char *const opts[] = {"by", "audience", "hide", "group", "tags",
                                               "persona", "tag-friends", "link"};
            char b[PS_MAX_NAME + 32];
            const char *sg = suggest(opts, s->kind == ST_POST ? 8 : 7, key.p, key.len);
            if (sg)
                snprintf(b, sizeof b, "; did you mean '%s='?", sg);
            err(p, key.loc, "unknown option '%.*s' for %s%s", TOKF(key), kw,
                sg ? b : "; expected by=, audience=, hide=, group=, tags=, persona=, "
                         "tag-friends= or a caption");
            p->failed = true;
            return;
        }
        if (slot->len) {
            err(p, key.loc, "'%.*s=' is given twice", TOKF(key));
            p->failed = true;
            return;
        }
        *slot = key;
        next(p);
        if (!want(p, PS_TOK_EQ, "'='"))
            return;
        next(p);
        if (slot == &o.audience || slot == &o.hide) {
            ps_terms *out = declare ? NULL : slot == &o.audience ? &m->items[it].audience.allow
                                                                  : &m->items[it].audience.hide;
            if (!read_terms(p, owner, out, false))
                return;
            continue;
        }
        if (slot == &o.tag_friends || slot == &o.link) {
            static const char *const onoff[] = {"off", "on", NULL};
            int v = read_choice(p, onoff, slot == &o.link ? "link" : "tag-friends");
            if (v < 0)
                return;
            if (!declare && slot == &o.link)
                m->items[it].link = v == 1;
            else if (!declare)
                m->items[it].tag_friends = v == 1 ? PS_ON : PS_OFF;
            continue;
        }
        if (slot == &o.tags) {
            uint32_t *v = NULL, nv = 0;
            bool r = read_user_list(p, &v, &nv, PS_MAX_TAGS, "is tagged twice",
                                    "tags on one item");
            for (uint32_t i = 0; !declare && i < nv; i++)
                if (ps_item_add_tag(&m->items[it], v[i]))
                    oom(p);
            free(v);
            if (!r)
                return;
            continue;
        }
        if (!want(p, PS_TOK_IDENT, slot == &o.by ? "a user name"
                                   : slot == &o.group ? "a group name" : "USER.PERSONA"))
            return;
        ps_token v = p->tok;
        next(p);
        if (slot == &o.by && declare) {
            o.by = v;
            owner = find_user(p, &v);
        } else if (slot == &o.group && !declare) {
            uint32_t g = find_named(p, &v, PS_NS_GROUP, "group");
            m->items[it].group = g;
            if (g != PS_NONE && !sorted_has(m->groups[g].members, m->groups[g].nmembers, owner))
                err(p, v.loc, "'%s' is not a member of group '%.*s'", m->users[owner].name,
                    TOKF(v));
        } else if (slot == &o.persona) {
            persona_val = v;
        }
    }
    finish(p);
    if (p->failed)
        return;
    if (!declare) {
        ps_item *item = &m->items[it];
        /* an audience with an unknown name is not set, so that nothing else is checked
         * against it */
        item->has_audience = o.audience.len != 0 && ps_diag_nerrors(p->d) == before;
        if (item->has_audience)
            p->aud_line[it] = o.audience.loc.line;
        if (persona_val.len)
            item_persona(p, it, &persona_val, &name);
        return;
    }
    /* declaration */
    if (o.group.len && (o.audience.len || o.hide.len)) {
        ps_token *k = o.audience.len ? &o.audience : &o.hide;
        err(p, k->loc, "a %s in a group takes no %.*s= (the group decides)", kw, TOKF(*k));
    }
    if (!o.by.len) {
        err(p, name.loc, "%s '%.*s' needs by=USER", kw, TOKF(name));
        remember_failed_item(p, &name);
        return;
    }
    uint32_t fu;
    int ff;
    if (split_field(p, &name, &fu, &ff) && fu != PS_NONE && ff >= 0) {
        err(p, name.loc, "'%.*s' names a profile field; choose another name for the %s",
            TOKF(name), kw);
        return;
    }
    if (owner == PS_NONE) {
        remember_failed_item(p, &name);
        return;
    }
    /* added first: the model's table says whether the name is taken (one lookup) */
    errno = 0;
    uint32_t idx = m->nitems < PS_MAX_ITEMS
                       ? ps_model_add_item(m, s->kind == ST_POST ? PS_ITEM_POST : PS_ITEM_PHOTO,
                                           name.p, name.len, owner)
                       : PS_NONE;
    bool taken = idx == PS_NONE && (m->nitems >= PS_MAX_ITEMS || errno == EEXIST);
    uint32_t old = taken ? ps_model_find(m, PS_NS_ITEM, 0, name.p, name.len) : PS_NONE;
    if (old != PS_NONE) {
        err(p, name.loc, "duplicate item '%.*s' (first declared at line %u)", TOKF(name),
            (unsigned)m->items[old].loc.line);
        return;
    }
    if (over_limit(p, &name, m->nitems, PS_MAX_ITEMS, "items"))
        return;
    if (idx == PS_NONE) {
        oom(p);
        return;
    }
    m->items[idx].loc = name.loc;
    s->obj = idx;
}

/* `field USER.FIELD [audience=TERMS [hide=TERMS]]` */
/* Reads `value="..."` if it stands here (*key receives the `value` token) and stores it
 * into field item `it` (PS_NONE: only read).  False on a syntax error. */
static bool read_field_value(parser *p, uint32_t it, ps_token *key, bool *empty)
{
    if (at_end(p) || !is(p, PS_TOK_IDENT) || !tok_eq(&p->tok, "value"))
        return true;
    *key = p->tok;
    next(p);
    if (!want(p, PS_TOK_EQ, "'=' after 'value'"))
        return false;
    next(p);
    if (!want(p, PS_TOK_STRING, "a quoted value"))
        return false;
    *empty = !*decode(p);
    if (it != PS_NONE && ps_field_value_set(p->m, it, p->str))
        oom(p);
    next(p);
    return true;
}

/* True (after reporting it) when `value=` stands here again after one was read. */
static bool value_twice(parser *p, const ps_token *vkey)
{
    if (!vkey->len || at_end(p) || !is(p, PS_TOK_IDENT) || !tok_eq(&p->tok, "value"))
        return false;
    err(p, p->tok.loc, "'value=' is given twice");
    p->failed = true;
    return true;
}

static void st_field(parser *p, stmt *s, bool declare)
{
    ps_model *m = p->m;
    if (!want(p, PS_TOK_IDENT, "USER.FIELD"))
        return;
    ps_token name = p->tok;
    next(p);
    uint32_t it = declare ? PS_NONE : s->obj;
    uint32_t owner = declare ? PS_NONE : m->items[it].owner;
    ps_token vkey = {0};
    bool empty_value = false;
    if (!read_field_value(p, declare ? PS_NONE : it, &vkey, &empty_value) ||
        value_twice(p, &vkey))
        return;
    bool has = !at_end(p) && !(vkey.len == 0 && is(p, PS_TOK_IDENT) && tok_eq(&p->tok, "value"));
    if (has) {
        if (is(p, PS_TOK_IDENT) && tok_eq(&p->tok, "hide")) {
            err(p, p->tok.loc, "hide= needs audience= before it");
            p->failed = true;
            return;
        }
        if (!tok_eq(&p->tok, "audience") && is(p, PS_TOK_IDENT)) {
            err(p, p->tok.loc, "unknown option '%.*s' for field; expected audience= or hide=",
                TOKF(p->tok));
            p->failed = true;
            return;
        }
        if (!read_audience(p, owner, declare ? NULL : &m->items[it].audience, !declare))
            return;
    }
    if (!vkey.len && !read_field_value(p, declare ? PS_NONE : it, &vkey, &empty_value))
        return;
    if (value_twice(p, &vkey))
        return;
    finish(p);
    if (p->failed)
        return;
    if (!declare) {
        m->items[it].has_audience = has;
        if (has)
            p->aud_line[it] = name.loc.line;
        return;
    }
    uint32_t u;
    int f;
    if (!split_field(p, &name, &u, &f)) {
        err(p, name.loc, "expected USER.FIELD, found '%.*s'", TOKF(name));
        return;
    }
    const char *dot = name.p + name.len;
    while (*--dot != '.')
        ;
    ps_token ft = name, ut = name;
    ut.len = (uint32_t)(dot - name.p);
    ft.p = dot + 1;
    ft.len = name.len - ut.len - 1;
    ft.loc.col += ut.len + 1;
    if (u == PS_NONE) {
        unknown(p, &ut, PS_NS_USER, "user");
        return;
    }
    if (f < 0) {
        char b[PS_MAX_NAME + 32];
        if (ps_category_find(ft.p, ft.len) >= 0)
            err(p, ft.loc, "'%.*s' is not a profile field", TOKF(ft));
        else
            err(p, ft.loc, "unknown profile field '%.*s'%s", TOKF(ft),
                dym(b, sizeof b, field_suggestion(ft.p, ft.len)));
        return;
    }
    if (vkey.len && !(PS_ID_FIELDS & (1u << f))) {
        err(p, vkey.loc, "value= is only for the identifying fields phone, email, birthday "
                         "and hometown");
        return;
    }
    if (vkey.len && empty_value) {
        err(p, vkey.loc, "empty value");
        return;
    }
    uint32_t old = ps_model_find(m, PS_NS_ITEM, 0, name.p, name.len);
    if (old != PS_NONE) {
        err(p, name.loc, "duplicate field '%.*s' (first declared at line %u)", TOKF(name),
            (unsigned)m->items[old].loc.line);
        return;
    }
    if (over_limit(p, &name, m->nitems, PS_MAX_ITEMS, "items"))
        return;
    uint32_t idx = ps_model_field_item(m, u, (ps_field)f);
    if (idx == PS_NONE) {
        oom(p);
        return;
    }
    m->items[idx].loc = name.loc;
    s->obj = idx;
}

/* ---------------------------------------------------------------------------------------
 * Settings, steps, expectations
 * ------------------------------------------------------------------------------------- */

/* The settings of one `set` line: at most one of each key, or one item audience. */
typedef struct {
    ps_setting v[3];
    ps_loc loc[3];         /* where each one's key stands */
    uint32_t n;
} setting_list;

static void settings_free(setting_list *l)
{
    for (uint32_t i = 0; i < l->n; i++)
        ps_setting_free(&l->v[i]);
    l->n = 0;
}

/* Reads a setting's value for `key` (tag-review or apps-through-friends) into *st. */
static bool read_setting_value(parser *p, ps_setting_kind kind, ps_setting *st)
{
    static const char *const onoff[] = {"off", "on", NULL};
    st->kind = (uint8_t)kind;
    if (kind == PS_SET_TAG_REVIEW || kind == PS_SET_SEARCH_LISTING) {
        int v = read_choice(p, onoff, kind == PS_SET_TAG_REVIEW ? "tag-review" : "search-listing");
        st->value = v == 1 ? PS_ON : PS_OFF;
        return v >= 0;
    }
    uint32_t before = ps_diag_nerrors(p->d);
    bool ok = read_categories(p, false, &st->value);
    return ok && ps_diag_nerrors(p->d) == before;
}

/* The setting that `key` names, or -1 (reported). */
static int setting_key(parser *p, const ps_token *key)
{
    if (tok_eq(key, "tag-review"))
        return PS_SET_TAG_REVIEW;
    if (tok_eq(key, "apps-through-friends"))
        return PS_SET_APPS_CATS;
    if (tok_eq(key, "search-listing"))
        return PS_SET_SEARCH_LISTING;
    static const char *const keys[] = {"tag-review", "apps-through-friends", "search-listing"};
    char b[PS_MAX_NAME + 32];
    const char *sg = suggest(keys, 3, key->p, key->len);
    if (sg)
        err(p, key->loc, "unknown setting '%.*s'%s", TOKF(*key), dym(b, sizeof b, sg));
    else
        err(p, key->loc, "unknown setting '%.*s'; expected tag-review=, apps-through-friends=, "
                         "search-listing= or ITEM audience=", TOKF(*key));
    p->failed = true;
    return -1;
}

/* Reads what follows `set USER`: KEY=VALUE... or ITEM audience=TERMS [hide=TERMS]. */
static bool read_settings(parser *p, uint32_t user, setting_list *l)
{
    ps_model *m = p->m;
    memset(l, 0, sizeof *l);
    if (at_end(p)) {
        syntax(p, "a setting (tag-review=, apps-through-friends= or ITEM audience=)");
        return false;
    }
    uint32_t before = ps_diag_nerrors(p->d);
    while (!at_end(p) && !p->failed && !p->stop) {
        if (!want(p, PS_TOK_IDENT, "a setting"))
            return false;
        ps_token key = p->tok;
        next(p);
        if (!is(p, PS_TOK_EQ)) {
            /* `set USER ITEM audience=...` */
            if (l->n) {
                syntax(p, "'='");
                return false;
            }
            uint32_t it = find_item(p, &key, true);
            if (it != PS_NONE && user != PS_NONE && m->items[it].owner != user)
                err(p, key.loc, "'%.*s' belongs to %s, not to %s", TOKF(key),
                    m->users[m->items[it].owner].name, m->users[user].name);
            else if (it != PS_NONE && m->items[it].group != PS_NONE)
                err(p, key.loc, "'%.*s' was posted in a group; the group decides its audience",
                    TOKF(key));
            ps_setting *st = &l->v[l->n];
            l->loc[l->n] = key.loc;
            l->n++;
            st->kind = PS_SET_AUDIENCE;
            st->item = it;
            bool ok = read_audience(p, user, &st->audience, it != PS_NONE && user != PS_NONE);
            if (ok)
                finish(p);
            /* an item whose declaration failed is PS_NONE without a new error */
            return ok && it != PS_NONE && !p->failed && ps_diag_nerrors(p->d) == before;
        }
        next(p);
        int k = setting_key(p, &key);
        if (k < 0)
            return false;
        for (uint32_t i = 0; i < l->n; i++)
            if (l->v[i].kind == k) {
                err(p, key.loc, "'%.*s=' is given twice", TOKF(key));
                p->failed = true;
                return false;
            }
        ps_setting *st = &l->v[l->n];
        l->loc[l->n] = key.loc;
        l->n++;
        if (!read_setting_value(p, (ps_setting_kind)k, st))
            return false;
    }
    finish(p);
    return !p->failed && ps_diag_nerrors(p->d) == before;
}

/* Copies a setting list into a step (the list's audiences move to the step). */
static void settings_to_step(parser *p, setting_list *l, ps_step *st)
{
    if (!l->n)
        return;
    st->settings = calloc(l->n, sizeof *st->settings);
    if (!st->settings) {
        oom(p);
        return;
    }
    memcpy(st->settings, l->v, l->n * sizeof *l->v);
    st->nsettings = l->n;
    l->n = 0;
}

static int find_step_kind(const ps_token *t)
{
    for (unsigned k = 0; k < PS_NSTEPKINDS; k++)
        if (tok_eq(t, ps_step_kind_name((ps_step_kind)k)))
            return (int)k;
    return -1;
}

/* Reads `ACTOR VERB ...` (what follows `do`) into *st. */
static bool read_step(parser *p, ps_step *st)
{
    uint32_t before = ps_diag_nerrors(p->d);
    bool ok;
    ps_token at = p->tok;
    st->actor = read_user(p, "the name of the user who acts", &ok);
    if (!ok)
        return false;
    if (!want(p, PS_TOK_IDENT, "a step (share, unshare, tag, untag, approve-tag, comment, "
                               "like, befriend, unfriend, install or set)"))
        return false;
    ps_token verb = p->tok;
    int k = find_step_kind(&verb);
    if (k < 0) {
        const char *words[PS_NSTEPKINDS];
        for (unsigned i = 0; i < PS_NSTEPKINDS; i++)
            words[i] = ps_step_kind_name((ps_step_kind)i);
        char b[PS_MAX_NAME + 32];
        err(p, verb.loc, "unknown step '%.*s'%s", TOKF(verb),
            dym(b, sizeof b, suggest(words, PS_NSTEPKINDS, verb.p, verb.len)));
        p->failed = true;
        return false;
    }
    next(p);
    st->kind = (uint8_t)k;
    switch (k) {
    case PS_STEP_SHARE:
        st->item = read_item(p, false, &ok);
        if (!ok)
            return false;
        if (tok_eq(&p->tok, "audience")) {
            st->has_audience = true;
            if (!read_audience(p, st->actor, &st->audience, st->actor != PS_NONE))
                return false;
        } else if (tok_eq(&p->tok, "hide")) {
            next(p);
            if (!want(p, PS_TOK_EQ, "'=' after 'hide'"))
                return false;
            next(p);
            if (!read_terms(p, st->actor, st->actor != PS_NONE ? &st->audience.hide : NULL,
                            false))
                return false;
        }
        break;
    case PS_STEP_UNSHARE: case PS_STEP_APPROVE_TAG: case PS_STEP_COMMENT: case PS_STEP_LIKE:
        st->item = read_item(p, false, &ok);
        if (!ok)
            return false;
        break;
    case PS_STEP_TAG: case PS_STEP_UNTAG:
        st->item = read_item(p, false, &ok);
        if (!ok || !read_user_list(p, &st->users, &st->nusers, PS_MAX_TAGS, "is named twice",
                                    "users in one step"))
            return false;
        break;
    case PS_STEP_BEFRIEND: case PS_STEP_UNFRIEND: {
        ps_token t = p->tok;
        st->other = read_user(p, "the other user's name", &ok);
        if (!ok)
            return false;
        if (st->other != PS_NONE && st->other == st->actor)
            err(p, t.loc, "'%.*s' cannot %s themselves", TOKF(at), ps_step_kind_name(k));
        break;
    }
    case PS_STEP_INSTALL: {
        if (!want(p, PS_TOK_IDENT, "an app name"))
            return false;
        ps_token t = p->tok;
        next(p);
        st->other = find_named(p, &t, PS_NS_APP, "app");
        break;
    }
    default: { /* PS_STEP_SET */
        setting_list l;
        bool r = read_settings(p, st->actor, &l);
        settings_to_step(p, &l, st);
        settings_free(&l);
        return r && !p->stop;
    }
    }
    finish(p);
    return !p->failed && ps_diag_nerrors(p->d) == before;
}

/* A token standing for the current statement's keyword, for messages about the statement
 * as a whole. */
static ps_token statement_token(const parser *p)
{
    ps_token t = p->tok;
    t.loc.line = p->cur->line;
    t.loc.col = p->cur->col;
    return t;
}

static bool over_step_limit(parser *p)
{
    ps_token t = statement_token(p);
    return over_limit(p, &t, p->m->nsteps, PS_MAX_STEPS, "steps");
}

/* `do ACTOR VERB ...` */
static void st_do(parser *p, stmt *s, bool declare)
{
    if (over_step_limit(p))
        return;
    ps_step *st = ps_model_add_step(p->m);
    if (!st) {
        oom(p);
        return;
    }
    st->loc.line = s->line;
    st->loc.col = s->col;
    read_step(p, st);
}

/* Grows the per-item and per-user bookkeeping of initial settings to the model's size. */
static bool grow_lines(parser *p)
{
    ps_model *m = p->m;
    if (m->nitems > p->aud_cap) {
        uint32_t ncap = m->nitems + m->nitems / 2 + 16;
        uint32_t *v = realloc(p->aud_line, (size_t)ncap * sizeof *v);
        if (!v) {
            oom(p);
            return false;
        }
        memset(v + p->aud_cap, 0, (size_t)(ncap - p->aud_cap) * sizeof *v);
        p->aud_line = v;
        p->aud_cap = ncap;
    }
    if (!p->tr_line) {
        p->tr_line = calloc((size_t)m->nusers + 1, sizeof *p->tr_line);
        p->apps_line = calloc((size_t)m->nusers + 1, sizeof *p->apps_line);
        p->sl_line = calloc((size_t)m->nusers + 1, sizeof *p->sl_line);
        if (!p->tr_line || !p->apps_line || !p->sl_line) {
            oom(p);
            return false;
        }
    }
    return true;
}

/* Applies one initial setting of `user` (from a `set` line at `line`, key at `loc`). */
static void apply_setting(parser *p, uint32_t user, ps_setting *st, ps_loc loc)
{
    ps_model *m = p->m;
    if (!grow_lines(p))
        return;
    if (st->kind == PS_SET_AUDIENCE) {
        ps_item *it = &m->items[st->item];
        uint32_t given = p->aud_line[st->item];
        if (it->has_audience && given) {
            err(p, loc, "the audience of '%s' is already given at line %u", it->name,
                (unsigned)given);
            return;
        }
        ps_audience_free(&it->audience);
        it->audience = st->audience;
        memset(&st->audience, 0, sizeof st->audience);
        it->has_audience = true;
        p->aud_line[st->item] = loc.line;
        return;
    }
    uint32_t *lines = st->kind == PS_SET_TAG_REVIEW ? p->tr_line
                      : st->kind == PS_SET_SEARCH_LISTING ? p->sl_line : p->apps_line;
    if (lines[user]) {
        err(p, loc, "%s of %s is already set at line %u",
            st->kind == PS_SET_TAG_REVIEW ? "tag-review"
            : st->kind == PS_SET_SEARCH_LISTING ? "search-listing" : "apps-through-friends",
            m->users[user].name, (unsigned)lines[user]);
        return;
    }
    lines[user] = loc.line;
    if (st->kind == PS_SET_TAG_REVIEW) {
        m->users[user].tag_review = (int8_t)st->value;
        m->users[user].tag_review_loc = loc;
    } else if (st->kind == PS_SET_SEARCH_LISTING) {
        m->users[user].search_listing = (int8_t)st->value;
    } else {
        m->users[user].has_apps_cats = true;
        m->users[user].apps_cats = st->value;
        m->users[user].apps_loc = loc;
    }
}

/* `set USER ...`: an initial setting before the first `do` (pass 5), a step after it
 * (pass 4). */
static void st_set(parser *p, stmt *s, bool initial)
{
    bool ok;
    if (!initial) {
        if (over_step_limit(p))
            return;
        ps_step *st = ps_model_add_step(p->m);
        if (!st) {
            oom(p);
            return;
        }
        st->kind = PS_STEP_SET;
        st->loc.line = s->line;
        st->loc.col = s->col;
        st->actor = read_user(p, "a user name", &ok);
        if (!ok)
            return;
        setting_list l;
        read_settings(p, st->actor, &l);
        settings_to_step(p, &l, st);
        settings_free(&l);
        return;
    }
    uint32_t user = read_user(p, "a user name", &ok);
    if (!ok)
        return;
    setting_list l;
    if (read_settings(p, user, &l) && user != PS_NONE)
        for (uint32_t i = 0; i < l.n && !p->stop; i++)
            apply_setting(p, user, &l.v[i], l.loc[i]);
    settings_free(&l);
}

/* A viewer: a user, `internet` or `app:NAME`.  False after a syntax error. */
static bool read_viewer(parser *p, uint8_t *vkind, uint32_t *viewer)
{
    if (!want(p, PS_TOK_IDENT, "a viewer (a user, internet or app:NAME)"))
        return false;
    ps_token v = p->tok;
    next(p);
    *vkind = PS_VIEWER_USER;
    *viewer = PS_NONE;
    if (tok_eq(&v, "internet")) {
        *vkind = PS_VIEWER_INTERNET;
    } else if (tok_eq(&v, "app") && is(p, PS_TOK_COLON)) {
        next(p);
        if (!want(p, PS_TOK_IDENT, "an app name after 'app:'"))
            return false;
        ps_token a = p->tok;
        next(p);
        *vkind = PS_VIEWER_APP;
        *viewer = find_named(p, &a, PS_NS_APP, "app");
    } else {
        *viewer = find_user(p, &v);
    }
    return true;
}

/* `accept VIEWER ITEM "reason"` */
static void st_accept(parser *p, stmt *s, bool declare)
{
    uint8_t vkind;
    uint32_t viewer;
    if (!read_viewer(p, &vkind, &viewer))
        return;
    bool ok;
    uint32_t item = read_item(p, true, &ok);
    if (!ok)
        return;
    if (!want(p, PS_TOK_STRING, "the reason, a quoted string"))
        return;
    char *reason = malloc((size_t)p->tok.len + 1);
    if (!reason) {
        oom(p);
        return;
    }
    ps_scan_unescape(&p->tok, reason);
    next(p);
    finish(p);
    ps_token st = statement_token(p);
    if (over_limit(p, &st, p->m->naccepts, PS_MAX_EXPECTS, "accept lines")) {
        free(reason);
        return;
    }
    ps_accept *a = ps_model_add_accept(p->m);
    if (!a) {
        free(reason);
        oom(p);
        return;
    }
    a->viewer_kind = vkind;
    a->viewer = viewer;
    a->item = item;
    a->reason = reason;
    a->loc.line = s->line;
    a->loc.col = s->col;
}

/* `expect VIEWER can-see|cannot-see ITEM` */
static void st_expect(parser *p, stmt *s, bool declare)
{
    ps_model *m = p->m;
    static const char *const verbs[] = {"cannot-see", "can-see", NULL};
    uint8_t vkind;
    uint32_t viewer;
    if (!read_viewer(p, &vkind, &viewer))
        return;
    if (!want(p, PS_TOK_IDENT, "can-see or cannot-see"))
        return;
    int verb = tok_eq(&p->tok, verbs[1]) ? 1 : tok_eq(&p->tok, verbs[0]) ? 0 : -1;
    if (verb < 0) {
        char b[PS_MAX_NAME + 32];
        err(p, p->tok.loc, "expected can-see or cannot-see, found '%.*s'%s", TOKF(p->tok),
            dym(b, sizeof b, suggest(verbs, 2, p->tok.p, p->tok.len)));
        p->failed = true;
        return;
    }
    next(p);
    bool ok;
    uint32_t item = read_item(p, true, &ok);
    if (!ok)
        return;
    finish(p);
    ps_token st = statement_token(p);
    if (over_limit(p, &st, m->nexpects, PS_MAX_EXPECTS, "expect lines"))
        return;
    ps_expect *e = ps_model_add_expect(m);
    if (!e) {
        oom(p);
        return;
    }
    e->viewer_kind = vkind;
    e->viewer = viewer;
    e->can_see = verb == 1;
    e->item = item;
    e->loc.line = s->line;
    e->loc.col = s->col;
}

/* ---------------------------------------------------------------------------------------
 * Vary lines
 * ------------------------------------------------------------------------------------- */

/* A new vary line of `kind` at statement s, or NULL. */
static ps_vary *new_vary(parser *p, stmt *s, ps_vary_kind kind)
{
    ps_token t = statement_token(p);
    if (over_limit(p, &t, p->m->nvaries, PS_MAX_VARIES, "vary lines"))
        return NULL;
    ps_vary *v = ps_model_add_vary(p->m);
    if (!v) {
        oom(p);
        return NULL;
    }
    v->kind = (uint8_t)kind;
    v->loc.line = s->line;
    v->loc.col = s->col;
    return v;
}

/* Appends an empty alternative to v (at the current token); NULL when there are too many. */
static ps_alt *new_alt(parser *p, ps_vary *v)
{
    if (v->nalts == PS_MAX_ALTS) {
        err(p, p->tok.loc, "too many alternatives (the limit is %d)", PS_MAX_ALTS);
        p->failed = true;
        return NULL;
    }
    ps_alt *a = realloc(v->alts, (v->nalts + 1) * sizeof *a);
    if (!a) {
        oom(p);
        return NULL;
    }
    v->alts = a;
    memset(&a[v->nalts], 0, sizeof *a);
    return &a[v->nalts++];
}

/* After an alternative: its text, and false at the end of the line. */
static bool alt_done(parser *p, ps_alt *a, size_t from)
{
    if (!(a->text = slice_text(p, from, p->prev_end)))
        oom(p);
    if (!is(p, PS_TOK_BAR))
        return false;
    next(p);
    return true;
}

/* The checks common to every vary line once its alternatives are read. */
static bool alts_ok(parser *p, ps_vary *v, const ps_loc *alt_locs)
{
    if (p->failed)
        return false;
    finish(p);
    if (p->failed)
        return false;
    if (v->nalts < 2) {
        err(p, p->tok.loc, "a vary line needs at least two alternatives separated by '|'");
        return false;
    }
    for (uint32_t i = 1; i < v->nalts; i++)
        for (uint32_t j = 0; j < i; j++) {
            bool same;
            const ps_alt *a = &v->alts[i], *b = &v->alts[j];
            switch (v->kind) {
            case PS_VARY_AUDIENCE:
                same = ps_terms_equal(&a->audience.allow, &b->audience.allow) &&
                       ps_terms_equal(&a->audience.hide, &b->audience.hide);
                break;
            case PS_VARY_SET: same = a->setting.value == b->setting.value; break;
            default: same = ps_rule_equal(&a->rule, &b->rule, v->rule, v->cats); break;
            }
            if (same) {
                err(p, alt_locs[i], "alternative %u repeats alternative %u", (unsigned)i + 1,
                    (unsigned)j + 1);
                return false;
            }
        }
    return true;
}

/* Reports a first alternative that differs from the scenario's own value `own` (printed by
 * the caller into a memory stream). */
static void first_alt_differs(parser *p, ps_loc loc, char *own)
{
    err(p, loc, "the first alternative must be what the scenario says: %s", own ? own : "?");
    free(own);
}

/* `vary ITEM audience=A [hide=H] | B ...` */
static void st_vary_item(parser *p, stmt *s, bool declare)
{
    ps_model *m = p->m;
    ps_token itok = p->tok;
    bool ok;
    uint32_t it = read_item(p, true, &ok);
    if (!ok)
        return;
    uint32_t owner = it != PS_NONE ? m->items[it].owner : PS_NONE;
    if (!tok_eq(&p->tok, "audience")) {
        syntax(p, "audience= (vary ITEM audience=A | B ...)");
        return;
    }
    ps_vary *v = new_vary(p, s, PS_VARY_AUDIENCE);
    if (!v)
        return;
    v->target = it;
    ps_loc locs[PS_MAX_ALTS];
    next(p);
    if (!want(p, PS_TOK_EQ, "'=' after 'audience'"))
        return;
    next(p);
    for (;;) {
        size_t from = p->tok.off;
        ps_loc at = p->tok.loc;
        ps_alt *a = new_alt(p, v);
        if (!a)
            return;
        locs[v->nalts - 1] = at;
        if (!read_terms(p, owner, it != PS_NONE ? &a->audience.allow : NULL, false))
            return;
        if (tok_eq(&p->tok, "hide")) {
            next(p);
            if (!want(p, PS_TOK_EQ, "'=' after 'hide'"))
                return;
            next(p);
            if (!read_terms(p, owner, it != PS_NONE ? &a->audience.hide : NULL, false))
                return;
        }
        if (!alt_done(p, a, from))
            break;
    }
    if (!alts_ok(p, v, locs) || it == PS_NONE)
        return;
    ps_item *item = &m->items[it];
    if (item->group != PS_NONE) {
        err(p, itok.loc, "'%.*s' was posted in a group; its audience cannot vary", TOKF(itok));
        return;
    }
    for (uint32_t i = 0; i + 1 < m->nvaries; i++)
        if (m->varies[i].kind == PS_VARY_AUDIENCE && m->varies[i].target == it) {
            err(p, itok.loc, "the audience of '%.*s' already varies at line %u", TOKF(itok),
                (unsigned)m->varies[i].loc.line);
            return;
        }
    if (!grow_lines(p))
        return;
    const ps_audience *first = &v->alts[0].audience;
    if (item->has_audience) {
        if (!ps_terms_equal(&item->audience.allow, &first->allow) ||
            !ps_terms_equal(&item->audience.hide, &first->hide)) {
            char *own = NULL;
            size_t n;
            FILE *f = open_memstream(&own, &n);
            if (f) {
                ps_print_audience(f, m, &item->audience);
                fclose(f);
            }
            first_alt_differs(p, locs[0], own);
        }
        return;
    }
    if (ps_audience_copy(&item->audience, first))
        oom(p);
    item->has_audience = true;
    p->aud_line[it] = s->line;
}

/* `vary set USER KEY=A | B ...` */
static void st_vary_set(parser *p, stmt *s, bool declare)
{
    ps_model *m = p->m;
    bool ok;
    uint32_t user = read_user(p, "a user name", &ok);
    if (!ok || !want(p, PS_TOK_IDENT, "a setting (tag-review= or apps-through-friends=)"))
        return;
    ps_token key = p->tok;
    next(p);
    if (!is(p, PS_TOK_EQ)) {
        syntax(p, "'=' (vary set USER KEY=A | B ...; an item's audience varies with "
                  "vary ITEM audience=...)");
        return;
    }
    next(p);
    int k = setting_key(p, &key);
    if (k == PS_SET_SEARCH_LISTING) {
        err(p, key.loc, "search-listing cannot vary (the fuzzer varies tag-review= and "
                        "apps-through-friends=)");
        p->failed = true;
        return;
    }
    if (k < 0)
        return;
    ps_vary *v = new_vary(p, s, PS_VARY_SET);
    if (!v)
        return;
    v->target = user;
    ps_loc locs[PS_MAX_ALTS];
    for (;;) {
        size_t from = p->tok.off;
        ps_loc at = p->tok.loc;
        ps_alt *a = new_alt(p, v);
        if (!a)
            return;
        locs[v->nalts - 1] = at;
        if (!read_setting_value(p, (ps_setting_kind)k, &a->setting))
            return;
        if (!alt_done(p, a, from))
            break;
    }
    if (!alts_ok(p, v, locs) || user == PS_NONE)
        return;
    for (uint32_t i = 0; i + 1 < m->nvaries; i++)
        if (m->varies[i].kind == PS_VARY_SET && m->varies[i].target == user &&
            m->varies[i].nalts && m->varies[i].alts[0].setting.kind == k) {
            err(p, key.loc, "%.*s of %s already varies at line %u", TOKF(key),
                m->users[user].name, (unsigned)m->varies[i].loc.line);
            return;
        }
    if (!grow_lines(p))
        return;
    uint32_t *lines = k == PS_SET_TAG_REVIEW ? p->tr_line : p->apps_line;
    ps_user *u = &m->users[user];
    uint32_t first = v->alts[0].setting.value;
    if (lines[user]) {
        uint32_t own = k == PS_SET_TAG_REVIEW ? (uint32_t)u->tag_review : u->apps_cats;
        if (own != first) {
            char *txt = NULL;
            size_t n;
            FILE *f = open_memstream(&txt, &n);
            if (f) {
                ps_setting cur = {0};
                cur.kind = (uint8_t)k;
                cur.value = own;
                ps_print_setting(f, m, &cur);
                fclose(f);
            }
            first_alt_differs(p, locs[0], txt);
        }
        return;
    }
    lines[user] = s->line;
    if (k == PS_SET_TAG_REVIEW) {
        u->tag_review = (int8_t)first;
    } else {
        u->has_apps_cats = true;
        u->apps_cats = first;
    }
}

/* `vary rule NAME = A | B ...` (pass 1, before the platform is applied) */
static void st_vary_rule(parser *p, stmt *s, bool declare)
{
    ps_model *m = p->m;
    ps_rule_id id;
    uint32_t cats;
    ps_token name = p->tok;
    if (!read_rule_name(p, &id, &cats) || !want(p, PS_TOK_EQ, "'=' after the rule name"))
        return;
    next(p);
    ps_vary *v = new_vary(p, s, PS_VARY_RULE);
    if (!v)
        return;
    v->rule = (uint8_t)id;
    v->cats = cats;
    ps_loc locs[PS_MAX_ALTS];
    for (;;) {
        size_t from = p->tok.off;
        ps_loc at = p->tok.loc;
        ps_alt *a = new_alt(p, v);
        if (!a)
            return;
        locs[v->nalts - 1] = at;
        if (!read_rule_value(p, id, cats, &a->rule))
            return;
        if (!alt_done(p, a, from))
            break;
    }
    if (!alts_ok(p, v, locs))
        return;
    for (uint32_t i = 0; i + 1 < m->nvaries; i++)
        if (m->varies[i].kind == PS_VARY_RULE && m->varies[i].rule == id &&
            (id != PS_RULE_DEFAULT_AUDIENCE || (m->varies[i].cats & cats))) {
            err(p, name.loc, "rule '%.*s' already varies at line %u", TOKF(name),
                (unsigned)m->varies[i].loc.line);
            return;
        }
    const ps_rules *first = &v->alts[0].rule;
    bool given = id == PS_RULE_DEFAULT_AUDIENCE ? (m->default_audience_set & cats) != 0
                                                : (m->rules_set & (1u << id)) != 0;
    uint32_t given_cats = id == PS_RULE_DEFAULT_AUDIENCE ? m->default_audience_set & cats : 0;
    if (given && !ps_rule_equal(&m->overrides, first, id, given_cats)) {
        char *txt = NULL;
        size_t n;
        FILE *f = open_memstream(&txt, &n);
        if (f) {
            unsigned c = given_cats ? (unsigned)__builtin_ctz(given_cats) : 0;
            ps_print_rule_value(f, &m->overrides, id, c);
            fclose(f);
        }
        first_alt_differs(p, locs[0], txt);
        return;
    }
    uint32_t rest = id == PS_RULE_DEFAULT_AUDIENCE ? cats & ~m->default_audience_set : 0;
    if (!given || rest) {
        if (ps_rules_set_one(&m->overrides, first, id, rest))
            oom(p);
        m->rules_set |= 1u << id;
        m->default_audience_set |= rest;
        if (!m->rule_locs[id].line)
            m->rule_locs[id] = v->loc;
    }
}

/* `vary do ACTOR VERB ...` */
static void st_vary_do(parser *p, stmt *s, bool declare)
{
    ps_vary *v = new_vary(p, s, PS_VARY_STEP);
    if (!v)
        return;
    v->step.loc = v->loc;
    read_step(p, &v->step);
}

/* ---------------------------------------------------------------------------------------
 * Passes
 * ------------------------------------------------------------------------------------- */

/* ---------------------------------------------------------------------------------------
 * Persons with several accounts
 * ------------------------------------------------------------------------------------- */

/* `person NAME accounts=U,U[,U...] [forbid-link=TERMS] [same=FIELDS]` (read in pass 4, when
 * lists and every other name exist). */
static void st_person(parser *p, stmt *s, bool declare)
{
    ps_model *m = p->m;
    if (!want(p, PS_TOK_IDENT, "a person's name"))
        return;
    ps_token name = p->tok;
    next(p);
    uint32_t acc[PS_MAX_ACCOUNTS];
    uint32_t nacc = 0;
    bool acc_ok = true;
    ps_token keys[3] = {{0}};    /* accounts, forbid-link, same */
    ps_token forbid_at = {0};
    uint32_t same = 0;
    while (!at_end(p) && !p->failed && !p->stop) {
        if (!want(p, PS_TOK_IDENT, "accounts=, forbid-link= or same="))
            return;
        ps_token key = p->tok;
        int k = tok_eq(&key, "accounts") ? 0 : tok_eq(&key, "forbid-link") ? 1
              : tok_eq(&key, "same") ? 2 : -1;
        if (k < 0) {
            err(p, key.loc, "unknown option '%.*s' for person; expected accounts=, "
                            "forbid-link= or same=", TOKF(key));
            p->failed = true;
            return;
        }
        if (keys[k].len) {
            err(p, key.loc, "'%.*s=' is given twice", TOKF(key));
            p->failed = true;
            return;
        }
        keys[k] = key;
        next(p);
        if (!want(p, PS_TOK_EQ, "'='"))
            return;
        next(p);
        if (k == 0) {
            for (;;) {
                if (!want(p, PS_TOK_IDENT, "an account (a user's name)"))
                    return;
                ps_token t = p->tok;
                next(p);
                uint32_t u = find_user(p, &t);
                if (u == PS_NONE) {
                    acc_ok = false;
                } else {
                    bool twice = false;
                    for (uint32_t i = 0; i < nacc; i++)
                        twice |= acc[i] == u;
                    uint32_t other = ps_person_of(m, u);
                    if (twice) {
                        err(p, t.loc, "'%.*s' is named twice", TOKF(t));
                        acc_ok = false;
                    } else if (other != PS_NONE) {
                        err(p, t.loc, "'%.*s' is already an account of person '%s' (line %u)",
                            TOKF(t), m->persons->v[other].name,
                            (unsigned)m->persons->v[other].loc.line);
                        acc_ok = false;
                    } else if (nacc == PS_MAX_ACCOUNTS) {
                        err(p, t.loc, "too many accounts (the limit is %d)", PS_MAX_ACCOUNTS);
                        p->failed = true;
                        return;
                    } else {
                        acc[nacc++] = u;
                    }
                }
                if (!is(p, PS_TOK_COMMA))
                    break;
                next(p);
            }
        } else if (k == 1) {
            forbid_at = p->tok;
            if (!read_terms(p, PS_NONE, NULL, false))
                return;
        } else {
            ps_token at = p->tok;
            if (!read_categories(p, true, &same))
                return;
            if (same & ~(uint32_t)PS_ID_FIELDS) {
                err(p, at.loc, "same= takes only the identifying fields phone, email, "
                               "birthday and hometown");
                p->failed = true;
                return;
            }
        }
    }
    finish(p);
    if (p->failed)
        return;
    if (!keys[0].len) {
        err(p, name.loc, "person '%.*s' needs accounts=", TOKF(name));
        return;
    }
    if (acc_ok && nacc < 2) {
        err(p, keys[0].loc, "a person needs at least two accounts");
        return;
    }
    uint32_t old = ps_person_find(m, name.p, name.len);
    if (old != PS_NONE) {
        err(p, name.loc, "duplicate person '%.*s' (first declared at line %u)", TOKF(name),
            (unsigned)m->persons->v[old].loc.line);
        return;
    }
    if (!acc_ok)
        return;
    if (m->persons && m->persons->n >= PS_MAX_PERSONS) {
        err(p, name.loc, "too many persons (the limit is %d)", PS_MAX_PERSONS);
        return;
    }
    /* the forbid-link terms, relative to the first account: read again, now resolving */
    ps_terms forbid = {0};
    if (forbid_at.len) {
        ps_scan_seek(&p->sc, forbid_at.off, forbid_at.loc.line, forbid_at.loc.col);
        next(p);
        uint32_t before = ps_diag_nerrors(p->d);
        bool ok = read_terms(p, acc[0], &forbid, false);
        if (!ok || ps_diag_nerrors(p->d) != before) {
            ps_terms_free(&forbid);
            return;
        }
    }
    uint32_t idx = ps_person_add(m, name.p, name.len, acc, nacc);
    if (idx == PS_NONE) {
        ps_terms_free(&forbid);
        oom(p);
        return;
    }
    ps_person *x = &m->persons->v[idx];
    x->forbid = forbid;
    x->same = same;
    x->loc = name.loc;
}

typedef void (*handler)(parser *p, stmt *s, bool mode);

static const handler handlers[ST_NKINDS] = {
    [ST_PLATFORM] = st_platform, [ST_RULE] = st_rule, [ST_USER] = st_user,
    [ST_FRIENDS] = st_friends, [ST_NETWORK] = st_network, [ST_GROUP] = st_group,
    [ST_LIST] = st_list, [ST_PERSONA] = st_persona, [ST_POST] = st_item,
    [ST_PHOTO] = st_item, [ST_FIELD] = st_field, [ST_SET] = st_set, [ST_APP] = st_app,
    [ST_DO] = st_do, [ST_EXPECT] = st_expect, [ST_PERSON] = st_person, [ST_ACCEPT] = st_accept,
    [ST_VARY_ITEM] = st_vary_item,
    [ST_VARY_SET] = st_vary_set, [ST_VARY_RULE] = st_vary_rule, [ST_VARY_DO] = st_vary_do,
};

/* The passes that statement number i takes part in (a mask of 1 << pass_id). */
static uint32_t passes_of(const parser *p, uint32_t i)
{
    const stmt *s = &p->st[i];
    switch (s->kind) {
    case ST_PLATFORM: case ST_RULE: return 1u << P_RULES;
    case ST_VARY_RULE: return 1u << P_VARY_RULES;
    case ST_FRIENDS:
    case ST_NETWORK: case ST_GROUP: case ST_APP: return 1u << P_SOCIAL;
    case ST_LIST: return 1u << P_DECLARE;
    case ST_PERSONA: case ST_POST: case ST_PHOTO: case ST_FIELD:
        return 1u << P_DECLARE | 1u << P_CONTENTS;
    case ST_SET: return i < p->first_do ? 1u << P_INITIAL : 1u << P_CONTENTS;
    case ST_DO: case ST_EXPECT: case ST_PERSON: case ST_ACCEPT: return 1u << P_CONTENTS;
    default: return 1u << P_VARY;
    }
}

/* Sorts the recorded statements into the passes' lists (a counting sort: each list keeps
 * the file order), so that a pass reads only its own statements. */
static bool build_pass_lists(parser *p)
{
    uint32_t count[NPASSES] = {0};
    for (uint32_t i = 0; i < p->nst; i++)
        for (uint32_t m = passes_of(p, i), k = 0; k < NPASSES; k++)
            count[k] += (m >> k) & 1;
    p->pstart[0] = 0;
    for (uint32_t k = 0; k < NPASSES; k++)
        p->pstart[k + 1] = p->pstart[k] + count[k];
    p->plist = malloc(((size_t)p->pstart[NPASSES] + 1) * sizeof *p->plist);
    if (!p->plist) {
        oom(p);
        return false;
    }
    uint32_t at[NPASSES];
    memcpy(at, p->pstart, sizeof at);
    for (uint32_t i = 0; i < p->nst; i++)
        for (uint32_t m = passes_of(p, i), k = 0; k < NPASSES; k++)
            if ((m >> k) & 1)
                p->plist[at[k]++] = i;
    return true;
}

/* A tag (item, user) that the timeline has touched, and whether it is live after the steps so
 * far. */
typedef struct {
    uint64_t key;          /* item << 32 | user */
    bool live;
    UT_hash_handle hh;
} tag_state;

static bool tag_live(tag_state **tab, const ps_model *m, uint32_t item, uint32_t user)
{
    uint64_t key = (uint64_t)item << 32 | user;
    tag_state *t;
    HASH_FIND(hh, *tab, &key, sizeof key, t);
    if (t)
        return t->live;
    const ps_item *it = &m->items[item];
    for (uint32_t i = 0; i < it->ntags; i++)
        if (it->tags[i].user == user && !it->tags[i].removed)
            return true;
    return false;
}

static bool set_tag(tag_state **tab, uint64_t key, bool live)
{
    tag_state *t;
    HASH_FIND(hh, *tab, &key, sizeof key, t);
    if (!t) {
        if (!(t = calloc(1, sizeof *t)))
            return false;
        t->key = key;
        HASH_ADD(hh, *tab, key, sizeof t->key, t);
    }
    t->live = live;
    return true;
}

/* Warns about each `do T approve-tag ITEM` at a step where T is not tagged in ITEM: the
 * approval applies to a tag that exists then, and is not kept for a later tag. */
static void check_approvals(parser *p)
{
    ps_model *m = p->m;
    tag_state *tab = NULL, *t, *tmp;
    for (uint32_t k = 0; k < m->nsteps && !p->stop; k++) {
        const ps_step *s = &m->steps[k];
        if (s->item >= m->nitems)
            continue;
        if (s->kind == PS_STEP_TAG || s->kind == PS_STEP_UNTAG) {
            for (uint32_t i = 0; i < s->nusers; i++)
                if (!set_tag(&tab, (uint64_t)s->item << 32 | s->users[i],
                             s->kind == PS_STEP_TAG)) {
                    oom(p);
                    break;
                }
        } else if (s->kind == PS_STEP_APPROVE_TAG && s->actor < m->nusers &&
                   !tag_live(&tab, m, s->item, s->actor)) {
            warn(p, s->loc, "%s is not tagged in '%s' at this step, so the approval does "
                            "nothing (it is not kept for a later tag)",
                 m->users[s->actor].name, m->items[s->item].name);
        }
    }
    HASH_ITER(hh, tab, t, tmp) {
        HASH_DEL(tab, t);
        free(t);
    }
}

/* Reads again every good statement of pass `pass`, in file order. */
static void run_pass(parser *p, pass_id pass)
{
    for (uint32_t k = p->pstart[pass]; k < p->pstart[pass + 1] && !p->stop; k++) {
        stmt *s = &p->st[p->plist[k]];
        if (s->bad)
            continue;
        p->cur = s;
        p->failed = false;
        uint32_t before = ps_diag_nerrors(p->d);
        ps_scan_seek(&p->sc, s->off, s->line, s->col);
        ps_scan_next(&p->sc, &p->tok);   /* the keyword */
        next(p);
        if (s->kind >= ST_VARY_SET)     /* `vary rule|set|do` */
            next(p);
        handlers[s->kind](p, s, pass_mode[pass]);
        if (ps_diag_nerrors(p->d) != before)
            s->bad = 1;
    }
}

/* Pass 0, on a `friends` line: when every name on it is a user declared already (the
 * usual layout, users first), adds the friendships now and returns true, so that the line
 * is scanned once.  Otherwise adds nothing: pass 2 reads the line and reports what is
 * wrong with it. */
static bool friends_now(parser *p)
{
    p->nfbuf = 0;
    while (is(p, PS_TOK_IDENT)) {
        uint32_t u = lookup_user(p, p->tok.p, p->tok.len);
        if (u == PS_NONE || (p->nfbuf && u == p->fbuf[0]))
            return false;
        if (p->nfbuf == p->capfbuf) {
            uint32_t ncap = p->capfbuf ? p->capfbuf * 2 : 64;
            uint32_t *v = realloc(p->fbuf, (size_t)ncap * sizeof *v);
            if (!v) {
                oom(p);
                return false;
            }
            p->fbuf = v;
            p->capfbuf = ncap;
        }
        p->fbuf[p->nfbuf++] = u;
        next(p);
    }
    if (!at_end(p) || p->nfbuf < 2)
        return false;
    for (uint32_t i = 1; i < p->nfbuf; i++)
        if (ps_model_add_friendship(p->m, p->fbuf[0], p->fbuf[i]))
            oom(p);
    p->nfriends += p->nfbuf - 1;
    return true;
}

static int find_keyword(const ps_token *t)
{
    for (unsigned k = 0; k < NKEYWORDS; k++)
        if (tok_eq(t, keywords[k]))
            return (int)k;
    if (tok_eq(t, "circle"))   /* a Google+ circle is a list */
        return ST_LIST;
    return -1;
}

static bool record(parser *p, st_kind kind, const ps_token *head)
{
    if (p->nst == p->capst) {
        uint32_t ncap = p->capst ? p->capst * 2 : 256;
        stmt *v = ncap > p->capst ? realloc(p->st, (size_t)ncap * sizeof *v) : NULL;
        if (!v) {
            oom(p);
            return false;
        }
        p->st = v;
        p->capst = ncap;
    }
    stmt *s = &p->st[p->nst];
    s->off = (uint32_t)head->off;
    s->line = head->loc.line;
    s->col = (uint16_t)head->loc.col;
    s->kind = (uint8_t)kind;
    s->bad = 0;
    s->obj = PS_NONE;
    if (kind == ST_DO && p->first_do == UINT32_MAX)
        p->first_do = p->nst;
    p->nst++;
    return true;
}

/* Pass 0: every statement is scanned once; `user` lines are read, the others recorded. */
static void scan_pass(parser *p)
{
    ps_scan_init(&p->sc, p->buf, p->len, p->d);
    ps_scan_next(&p->sc, &p->tok);
    while (!p->stop && p->tok.kind != PS_TOK_EOF) {
        if (p->tok.kind == PS_TOK_END) {
            next(p);
            continue;
        }
        ps_token head = p->tok;
        int kind = head.kind == PS_TOK_IDENT ? find_keyword(&head) : -1;
        bool bad = true, done = false;
        char b[PS_MAX_NAME + 32];
        if (head.kind == PS_TOK_ERROR) {
            /* reported by the scanner */
        } else if (head.kind != PS_TOK_IDENT) {
            err(p, head.loc, "expected a statement, found %s", describe(&head, b, sizeof b));
        } else if (kind < 0) {
            err(p, head.loc, "unknown statement '%.*s'%s", TOKF(head),
                dym(b, sizeof b, suggest(keywords, NKEYWORDS, head.p, head.len)));
        } else {
            bad = false;
        }
        next(p);
        ps_token second = p->tok; /* the name a post or photo declares */
        if (kind == ST_USER && !bad) {
            p->failed = false;
            st_user(p, NULL, false);
            kind = -1; /* read: nothing to record */
            bad = true;
        } else if (kind == ST_FRIENDS && !bad) {
            done = friends_now(p);
        } else if (kind == ST_VARY_ITEM && p->tok.kind == PS_TOK_IDENT) {
            if (tok_eq(&p->tok, "set"))
                kind = ST_VARY_SET;
            else if (tok_eq(&p->tok, "rule"))
                kind = ST_VARY_RULE;
            else if (tok_eq(&p->tok, "do"))
                kind = ST_VARY_DO;
        }
        /* the rest of the statement: lexical errors only, one per statement */
        while (!at_end(p)) {
            if (p->tok.kind == PS_TOK_ERROR && !bad) {
                bad = true;
            }
            if (bad)
                p->sc.d = NULL;
            next(p);
        }
        p->sc.d = p->d;
        if (bad && (kind == ST_POST || kind == ST_PHOTO) && second.kind == PS_TOK_IDENT)
            remember_failed_item(p, &second); /* later references: not reported again */
        if (!bad && !done && !record(p, (st_kind)kind, &head))
            break;
    }
}

static void parser_free(parser *p)
{
    free(p->st);
    free(p->plist);
    free(p->fbuf);
    free(p->stamp);
    free(p->fkeys);
    free(p->flines);
    free(p->utab);
    free(p->uarena);
    free(p->tr_line);
    free(p->apps_line);
    free(p->sl_line);
    free(p->aud_line);
    ps_terms_free(&p->da_all);
    failed_name *f, *tmp;
    HASH_ITER(hh, p->failed_items, f, tmp) {
        HASH_DEL(p->failed_items, f);
        free(f);
    }
}

/* Reports the first byte that is not UTF-8; false if there is one. */
static bool check_utf8(parser *p)
{
    size_t bad = ps_utf8_invalid(p->buf, p->len);
    if (bad == p->len)
        return true;
    size_t ls = bad;
    while (ls > 0 && p->buf[ls - 1] != '\n')
        ls--;
    uint32_t line = 1;
    for (const char *q = p->buf; (q = memchr(q, '\n', (size_t)(p->buf + ls - q))); q++)
        line++;
    ps_loc loc = {line, ps_utf8_column(p->buf + ls, bad - ls)};
    ps_diag_line_hint(p->d, line, ls);
    err(p, loc, "file is not valid UTF-8 (byte 0x%02x)", (unsigned)(unsigned char)p->buf[bad]);
    return false;
}

/* Reads every `friends` line again, adding nothing, to warn where a friendship is given a
 * second time.  Runs only when the model found repeats and the file has no error (a line
 * with an error would be reported again), so a clean file is not read twice. */
static void locate_repeated_friendships(parser *p)
{
    ps_scan_init(&p->sc, p->buf, p->len, p->d);
    ps_scan_next(&p->sc, &p->tok);
    while (!p->stop && p->tok.kind != PS_TOK_EOF) {
        bool friends = tok_eq(&p->tok, "friends");
        next(p);
        if (friends) {
            p->failed = false;
            st_friends(p, NULL, true);
        }
        while (!at_end(p))
            next(p);
        next(p);
    }
}

static int cmp_vary(const void *a, const void *b)
{
    const ps_vary *x = a, *y = b;
    if (x->loc.line != y->loc.line)
        return x->loc.line < y->loc.line ? -1 : 1;
    return x->loc.col < y->loc.col ? -1 : x->loc.col > y->loc.col;
}

static void parse(parser *p)
{
    if (p->len > PS_MAX_FILE) {
        ps_loc none = {0, 0};
        err(p, none, "file is larger than %zu bytes (1 GiB)", PS_MAX_FILE);
        return;
    }
    if (!check_utf8(p))
        return;
    /* about one name a line: the name table made once, as large as the file's lines */
    size_t lines = 1;
    for (const char *c = p->buf; c && (c = memchr(c, '\n', p->len - (size_t)(c - p->buf))); c++)
        lines++;
    ps_model_expect_names(p->m, lines > UINT32_MAX / 2 ? UINT32_MAX / 2 : (uint32_t)lines);
    scan_pass(p);
    if (p->stop)
        return;
    p->stamp = calloc((size_t)p->m->nusers + 1, sizeof *p->stamp);
    if (!p->stamp) {
        oom(p);
        return;
    }
    if (!build_pass_lists(p))
        return;
    run_pass(p, P_RULES);
    apply_default_audience(p);
    run_pass(p, P_VARY_RULES);
    if (!p->stop)
        apply_platform(p);
    run_pass(p, P_SOCIAL);
    /* the model sorts the friendships and drops repeats: only when it dropped some are the
     * friends lines read again to say where */
    if (!p->stop && p->nfriends && ps_diag_nerrors(p->d) == p->errors_before &&
        ps_model_nfriendships(p->m) < p->nfriends)
        locate_repeated_friendships(p);
    run_pass(p, P_DECLARE);
    if (!p->stop && !grow_lines(p))
        return;
    run_pass(p, P_CONTENTS);
    run_pass(p, P_INITIAL);
    run_pass(p, P_VARY);
    check_approvals(p);
    /* `vary rule` lines were read in pass 1: put every vary line back in file order */
    if (p->m->nvaries > 1)
        qsort(p->m->varies, p->m->nvaries, sizeof *p->m->varies, cmp_vary);
}

int ps_parse_buffer(const char *path, const char *buf, size_t len, ps_model **out, ps_diag *d)
{
    *out = NULL;
    uint32_t before = ps_diag_nerrors(d);
    parser *p = calloc(1, sizeof *p);
    ps_model *m = ps_model_new();
    if (!p || !m || ps_diag_set_source(d, path, buf, len) ||
        (path && !(m->path = strdup(path)))) {
        ps_loc none = {0, 0};
        ps_diag_error(d, none, "out of memory");
        d->oom = true;
        free(p);
        ps_model_free(m);
        return -1;
    }
    p->m = m;
    p->d = d;
    p->buf = buf;
    p->len = len;
    p->first_do = UINT32_MAX;
    p->errors_before = before;
    parse(p);
    parser_free(p);
    free(p);
    ps_diag_set_source(d, path, NULL, 0);
    if (ps_diag_nerrors(d) != before) {
        ps_model_free(m);
        return -1;
    }
    *out = m;
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * Files
 * ------------------------------------------------------------------------------------- */

const char *ps_display_path(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

int ps_read_file(const char *path, char **out, size_t *outlen, ps_diag *d)
{
    ps_loc none = {0, 0};
    *out = NULL;
    *outlen = 0;
    ps_diag_set_source(d, ps_display_path(path), NULL, 0);
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        ps_diag_error(d, none, "cannot open file: %s", strerror(errno));
        return -1;
    }
    size_t cap = 1 << 16, n = 0;
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0) {
        if (S_ISDIR(sb.st_mode)) {
            ps_diag_error(d, none, "cannot read file: %s", strerror(EISDIR));
            if (!is_stdin)
                fclose(f);
            return -1;
        }
        if (S_ISREG(sb.st_mode) && sb.st_size >= 0)
            cap = (size_t)sb.st_size < PS_MAX_FILE ? (size_t)sb.st_size + 1 : PS_MAX_FILE + 1;
    }
    char *buf = malloc(cap);
    int rc = 0;
    for (;;) {
        if (!buf) {
            ps_diag_error(d, none, "out of memory");
            d->oom = true;
            rc = -1;
            break;
        }
        n += fread(buf + n, 1, cap - n, f);
        if (n > PS_MAX_FILE) {
            ps_diag_error(d, none, "file is larger than %zu bytes (1 GiB)", PS_MAX_FILE);
            rc = -1;
            break;
        }
        if (n < cap) {
            if (ferror(f)) {
                ps_diag_error(d, none, "cannot read file: %s", strerror(errno));
                rc = -1;
            }
            break;
        }
        size_t ncap = cap * 2 > PS_MAX_FILE + 1 ? PS_MAX_FILE + 1 : cap * 2;
        char *nb = realloc(buf, ncap);
        if (!nb)
            free(buf);
        buf = nb;
        cap = ncap;
    }
    if (!is_stdin)
        fclose(f);
    if (rc) {
        free(buf);
        return -1;
    }
    /* a UTF-8 byte order mark is not part of the text, and a carriage return alone (the old
     * Mac line end) ends a line as a line feed does */
    if (n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
        memmove(buf, buf + 3, n - 3);
        n -= 3;
    }
    for (char *cr = memchr(buf, '\r', n); cr; cr = memchr(cr + 1, '\r', n - (size_t)(cr + 1 - buf)))
        if (cr + 1 == buf + n || cr[1] != '\n')
            *cr = '\n';
    buf[n] = 0;
    *out = buf;
    *outlen = n;
    return 0;
}

int ps_parse_file(const char *path, ps_model **out, ps_diag *d)
{
    char *buf;
    size_t len;
    *out = NULL;
    if (ps_read_file(path, &buf, &len, d))
        return -1;
    int rc = ps_parse_buffer(ps_display_path(path), buf, len, out, d);
    free(buf);
    return rc;
}
