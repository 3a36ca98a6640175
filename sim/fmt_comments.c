/* fmt_comments.c - canonical form with comments kept (see fmt_comments.h).
 *
 * How: the scenario is printed in canonical form (print.h) and that text is read again, so
 * that both models know the line of every step, expectation and vary line; those keep their
 * order, and a comment of one goes to the same one in the canonical text.  Any other
 * statement goes to the canonical line that shares the most leading words with it
 * (`list al coworkers ...` finds `list al coworkers ...`; `user carol` finds the user line
 * that now holds carol's name only when it starts with it, else the first `user` line).
 */
#include "fmt_comments.h"
#include "parse.h"
#include "print.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* One physical line of the source. */
typedef struct {
    const char *p;         /* its text, without the line break */
    size_t len;
    size_t stmt_len;       /* the statement part (before any comment), trailing blanks cut */
    const char *comment;   /* the comment from its '#', trailing blanks cut; NULL if none */
    size_t comment_len;
    bool statement;        /* starts a statement (not a continuation, not blank) */
    bool continues;        /* the statement goes on on the next line (a '\' at its end) */
} src_line;

/* Splits text into lines; the array is the caller's to free. */
static src_line *split_lines(const char *buf, size_t len, size_t *n)
{
    size_t cap = 64, k = 0;
    src_line *v = malloc(cap * sizeof *v);
    bool in_cont = false;
    for (size_t at = 0; v && at < len;) {
        const char *nl = memchr(buf + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - buf) : len;
        if (k == cap) {
            src_line *nv = realloc(v, (cap *= 2) * sizeof *v);
            if (!nv) {
                free(v);
                return NULL;
            }
            v = nv;
        }
        src_line *l = &v[k++];
        memset(l, 0, sizeof *l);
        l->p = buf + at;
        l->len = end - at;
        if (l->len && l->p[l->len - 1] == '\r')
            l->len--;
        /* the comment: the first '#' outside a string */
        bool in_str = false;
        size_t cut = l->len;
        for (size_t i = 0; i < l->len; i++) {
            char c = l->p[i];
            if (in_str && c == '\\' && i + 1 < l->len)
                i++;
            else if (c == '"')
                in_str = !in_str;
            else if (c == '#' && !in_str) {
                cut = i;
                break;
            }
        }
        if (cut < l->len) {
            size_t e = l->len;
            while (e > cut && (l->p[e - 1] == ' ' || l->p[e - 1] == '\t'))
                e--;
            l->comment = l->p + cut;
            l->comment_len = e - cut;
        }
        size_t s = cut;
        while (s > 0 && (l->p[s - 1] == ' ' || l->p[s - 1] == '\t'))
            s--;
        l->stmt_len = s;
        size_t first = 0;
        while (first < s && (l->p[first] == ' ' || l->p[first] == '\t'))
            first++;
        l->statement = first < s && !in_cont;
        l->continues = s > 0 && l->p[s - 1] == '\\' && !l->comment;
        in_cont = first < s ? l->continues : in_cont && l->continues;
        at = nl ? end + 1 : len;
    }
    *n = k;
    return v;
}

/* How many leading whitespace-separated words a and b share. */
static size_t common_words(const char *a, size_t na, const char *b, size_t nb)
{
    size_t i = 0, j = 0, words = 0;
    for (;;) {
        while (i < na && (a[i] == ' ' || a[i] == '\t'))
            i++;
        while (j < nb && (b[j] == ' ' || b[j] == '\t'))
            j++;
        if (i >= na || j >= nb)
            return words;
        size_t si = i, sj = j;
        while (i < na && a[i] != ' ' && a[i] != '\t')
            i++;
        while (j < nb && b[j] != ' ' && b[j] != '\t')
            j++;
        if (i - si != j - sj || memcmp(a + si, b + sj, i - si) != 0)
            return words;
        words++;
    }
}

/* The canonical line (0-based) where the statement at source line `line` (1-based) goes. */
static size_t target_line(const ps_model *m, const ps_model *cm, uint32_t line,
                          const src_line *s, const src_line *c, size_t nc)
{
    for (uint32_t i = 0; i < m->nsteps && i < cm->nsteps; i++)
        if (m->steps[i].loc.line == line)
            return cm->steps[i].loc.line - 1;
    for (uint32_t i = 0; i < m->nexpects && i < cm->nexpects; i++)
        if (m->expects[i].loc.line == line)
            return cm->expects[i].loc.line - 1;
    for (uint32_t i = 0; i < m->nvaries && i < cm->nvaries; i++)
        if (m->varies[i].loc.line == line)
            return cm->varies[i].loc.line - 1;
    size_t best = nc, best_words = 0;
    for (size_t k = 0; k < nc; k++) {
        if (!c[k].statement)
            continue;
        if (best == nc)
            best = k; /* the first statement, when nothing matches */
        size_t w = common_words(s->p, s->stmt_len, c[k].p, c[k].stmt_len);
        if (w > best_words) {
            best_words = w;
            best = k;
        }
    }
    return best;
}

typedef struct {
    const char **above;    /* comments that go above the line */
    size_t *above_len;
    size_t nabove;
    const char *beside;
    size_t beside_len;
} slot;

static int push_above(slot *sl, const char *c, size_t n)
{
    const char **a = realloc(sl->above, (sl->nabove + 1) * sizeof *a);
    if (!a)
        return -1;
    sl->above = a;
    size_t *al = realloc(sl->above_len, (sl->nabove + 1) * sizeof *al);
    if (!al)
        return -1;
    sl->above_len = al;
    sl->above[sl->nabove] = c;
    sl->above_len[sl->nabove++] = n;
    return 0;
}

int ps_fmt_with_comments(const char *path, const char *buf, size_t len, FILE *out, ps_diag *d)
{
    ps_model *m = NULL, *cm = NULL;
    if (ps_parse_buffer(path, buf, len, &m, d))
        return -1;
    char *ctext = NULL;
    size_t clen = 0;
    FILE *f = open_memstream(&ctext, &clen);
    int rc = -2;
    src_line *s = NULL, *c = NULL;
    slot *slots = NULL;
    size_t ns = 0, nc = 0;
    if (!f)
        goto done;
    if (ps_print_scenario(f, m) != 0 || fclose(f) != 0)
        goto done;
    ps_diag cd;
    ps_diag_init(&cd);
    int pr = ps_parse_buffer(path, ctext, clen, &cm, &cd);
    ps_diag_free(&cd);
    if (pr)
        goto done;
    s = split_lines(buf, len, &ns);
    c = split_lines(ctext, clen, &nc);
    slots = calloc(nc + 1, sizeof *slots); /* slots[nc]: after the last statement */
    if (!s || !c || !slots)
        goto done;

    /* the header: the comment lines before the first statement, as written, up to the last
     * blank line among them (the comment lines after it stand above the first statement);
     * all of them when no blank line separates them from it */
    size_t first = 0, header_end = 0, last_comment = 0;
    while (first < ns && !s[first].statement) {
        if (s[first].comment)
            last_comment = first + 1;
        else if (last_comment)
            header_end = last_comment;
        first++;
    }
    if (!header_end)
        header_end = last_comment;
    size_t pending_from = header_end, target = 0;
    for (size_t i = header_end; i < ns; i++) {
        if (s[i].statement) {
            target = target_line(m, cm, (uint32_t)i + 1, &s[i], c, nc);
            for (size_t k = pending_from; k < i; k++)
                if (s[k].comment && !s[k].statement && push_above(&slots[target], s[k].comment,
                                                                   s[k].comment_len))
                    goto done;
            pending_from = i + 1;
        }
        if (s[i].statement || (i > 0 && s[i - 1].continues)) {
            if (s[i].comment) {
                slot *sl = &slots[target];
                if (!sl->beside) {
                    sl->beside = s[i].comment;
                    sl->beside_len = s[i].comment_len;
                } else if (push_above(sl, s[i].comment, s[i].comment_len)) {
                    goto done;
                }
            }
            pending_from = i + 1;
        }
    }
    for (size_t k = pending_from; k < ns; k++)
        if (s[k].comment && push_above(&slots[nc], s[k].comment, s[k].comment_len))
            goto done;

    if (header_end) {
        size_t h = (size_t)(s[header_end - 1].p + s[header_end - 1].len - buf);
        fwrite(buf, 1, h, out);
        fputs("\n\n", out);
    }
    size_t col = 0; /* where the beside comments of the current run of lines start */
    for (size_t k = 0; k < nc; k++) {
        const slot *sl = &slots[k];
        if (sl->beside && (k == 0 || !slots[k - 1].beside)) {
            col = 0; /* a new run: align its comments after its longest line */
            for (size_t r = k; r < nc && slots[r].beside; r++)
                if (c[r].len > col)
                    col = c[r].len;
        }
        for (size_t a = 0; a < sl->nabove; a++) {
            fwrite(sl->above[a], 1, sl->above_len[a], out);
            fputc('\n', out);
        }
        fwrite(c[k].p, 1, c[k].len, out);
        if (sl->beside) {
            fprintf(out, "%*s", (int)(col - c[k].len + 2), "");
            fwrite(sl->beside, 1, sl->beside_len, out);
        }
        if (k + 1 < nc || (c[k].p + c[k].len < ctext + clen))
            fputc('\n', out);
    }
    if (slots[nc].nabove) {
        fputc('\n', out);
        for (size_t a = 0; a < slots[nc].nabove; a++) {
            fwrite(slots[nc].above[a], 1, slots[nc].above_len[a], out);
            fputc('\n', out);
        }
    }
    rc = ferror(out) ? -2 : 0;
done:
    if (slots)
        for (size_t k = 0; k <= nc; k++) {
            free(slots[k].above);
            free(slots[k].above_len);
        }
    free(slots);
    free(s);
    free(c);
    free(ctext);
    ps_model_free(m);
    ps_model_free(cm);
    return rc;
}
