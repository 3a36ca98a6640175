/* print.c - the canonical .psim form of a model (see print.h).
 *
 * Every line goes through a small writer that knows its column: when the next piece of a
 * statement would pass PRINT_WIDTH, it ends the line with " \" and goes on, indented, on the
 * next one (the scanner joins such lines), so no printed line comes near the scanner's line
 * limit however many members, tags or terms a statement has.  Pieces are whole tokens or
 * `key=term,` runs, so a break only ever falls where the language allows blanks.
 */
#include "print.h"

#include "person.h"

#include "scan.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PRINT_WIDTH  100   /* where long statements are broken */
#define PRINT_INDENT 4     /* indentation of continuation lines */
#define ALIGN_MAX    24    /* columns wider than this are not padded to */

/* ---------------------------------------------------------------------------------------
 * Value names
 * ------------------------------------------------------------------------------------- */

static const char *const tag_extends_names[] = {"none", "tagged", "tagged-friends",
                                                "owner-choice", NULL};
static const char *const onoff_names[] = {"off", "on", NULL};
static const char *const reshare_names[] = {"none", "public-only", "visible", "capped", NULL};
static const char *const fv_names[] = {"both-ends", "own-setting", NULL};
static const char *const ix_names[] = {"none", "commenter-friends", NULL};
static const char *const group_kind_names[] = {"open", "closed", "secret"};

const char *const *ps_rule_choices(ps_rule_id id)
{
    switch (id) {
    case PS_RULE_TAG_EXTENDS: return tag_extends_names;
    case PS_RULE_TAG_REVIEW_DEFAULT: return onoff_names;
    case PS_RULE_RESHARE: return reshare_names;
    case PS_RULE_APPS_THROUGH_FRIENDS: return onoff_names;
    case PS_RULE_FRIENDSHIP_VISIBILITY: return fv_names;
    case PS_RULE_INTERACTION_EXTENDS: return ix_names;
    case PS_RULE_SEARCH_LISTING:
    case PS_RULE_INSTANT_PERSONALIZATION: case PS_RULE_REGIONAL_NETWORKS: return onoff_names;
    default: return NULL;
    }
}

const char *ps_group_kind_name(unsigned kind)
{
    return kind < 3 ? group_kind_names[kind] : "?";
}

/* The index of a rule's value in ps_rule_choices(id). */
static unsigned rule_choice(const ps_rules *r, ps_rule_id id)
{
    switch (id) {
    case PS_RULE_TAG_EXTENDS: return r->tag_extends;
    case PS_RULE_TAG_REVIEW_DEFAULT: return r->tag_review_default;
    case PS_RULE_RESHARE: return r->reshare;
    case PS_RULE_APPS_THROUGH_FRIENDS: return r->apps_through_friends;
    case PS_RULE_FRIENDSHIP_VISIBILITY: return r->friendship_visibility;
    case PS_RULE_SEARCH_LISTING: return r->search_listing;
    case PS_RULE_INSTANT_PERSONALIZATION: return r->instant_personalization;
    case PS_RULE_REGIONAL_NETWORKS: return r->regional_networks;
    default: return r->interaction_extends;
    }
}

bool ps_rule_equal(const ps_rules *a, const ps_rules *b, ps_rule_id id, uint32_t cats)
{
    switch (id) {
    case PS_RULE_APPS_THROUGH_FRIENDS_DEFAULT: return a->apps_default_cats == b->apps_default_cats;
    case PS_RULE_FORCED_PUBLIC: return a->forced_public == b->forced_public;
    case PS_RULE_FORCED_EVERYONE: return a->forced_everyone == b->forced_everyone;
    case PS_RULE_FORCED_EXTERNAL: return a->forced_external == b->forced_external;
    case PS_RULE_DEFAULT_AUDIENCE:
        for (unsigned c = 0; c < PS_NCATS; c++)
            if ((cats & (1u << c)) &&
                !ps_terms_equal(&a->default_audience[c], &b->default_audience[c]))
                return false;
        return true;
    default: return rule_choice(a, id) == rule_choice(b, id);
    }
}

/* ---------------------------------------------------------------------------------------
 * The line writer
 * ------------------------------------------------------------------------------------- */

typedef struct {
    FILE *out;
    size_t col;            /* columns written on the current physical line */
    size_t width;          /* break before passing this; SIZE_MAX: never */
    bool fresh;            /* nothing written on this statement yet */
} pw;

static pw pw_open(FILE *out, size_t width)
{
    pw w = {out, 0, width, true};
    return w;
}

/* Writes n bytes of s as one piece, after a space if `space`. */
static void put(pw *w, const char *s, size_t n, bool space)
{
    size_t need = (space ? 1 : 0) + n;
    /* break at the width; and never let a line pass the reader's limit (PS_MAX_LINE): a
     * long string goes on a continuation line of its own, indented less if it must be */
    if (!w->fresh && ((w->col > PRINT_INDENT && w->col + need > w->width) ||
                      (w->col > 0 && w->width != SIZE_MAX && w->col + need > PS_MAX_LINE))) {
        size_t indent = n + PRINT_INDENT <= PS_MAX_LINE ? PRINT_INDENT
                        : n < PS_MAX_LINE ? PS_MAX_LINE - n : 0;
        fprintf(w->out, " \\\n%*s", (int)indent, "");
        w->col = indent;
        space = false;
    }
    if (space && !w->fresh) {
        fputc(' ', w->out);
        w->col++;
    }
    fwrite(s, 1, n, w->out);
    w->col += n;
    w->fresh = false;
}

static void puts_(pw *w, const char *s, bool space)
{
    put(w, s, strlen(s), space);
}

/* Pads the current line with blanks to column `col` (at most ALIGN_MAX past the start). */
static void pad(pw *w, size_t col)
{
    while (w->col < col) {
        fputc(' ', w->out);
        w->col++;
    }
}

static void end_line(pw *w)
{
    fputc('\n', w->out);
    w->col = 0;
    w->fresh = true;
}

/* ---------------------------------------------------------------------------------------
 * Pieces
 * ------------------------------------------------------------------------------------- */

static const char *user_name(const ps_model *m, uint32_t u)
{
    return m && u < m->nusers ? m->users[u].name : "?";
}

/* The name of term t's reference. */
static const char *term_ref_name(const ps_model *m, const ps_term *t)
{
    if (!m)
        return "?";
    switch (t->kind) {
    case PS_TERM_LIST: return t->ref < m->nlists ? m->lists[t->ref].name : "?";
    case PS_TERM_NETWORK: return t->ref < m->nnetworks ? m->networks[t->ref].name : "?";
    case PS_TERM_GROUP: return t->ref < m->ngroups ? m->groups[t->ref].name : "?";
    default: return user_name(m, t->ref);
    }
}

/* Writes `key=` (if key) and the terms, breakable after each comma. */
static void put_terms(pw *w, const ps_model *m, const char *key, const ps_terms *t, bool space)
{
    char buf[PS_MAX_NAME * 2 + 32];
    if (t->n == 0) { /* cannot be written; `only-me` is the closest reading of "nobody" */
        snprintf(buf, sizeof buf, "%s%sonly-me", key ? key : "", key ? "=" : "");
        puts_(w, buf, space);
        return;
    }
    for (uint32_t i = 0; i < t->n; i++) {
        const ps_term *x = &t->v[i];
        const char *comma = i + 1 < t->n ? "," : "";
        const char *k = i == 0 && key ? key : "";
        const char *eq = i == 0 && key ? "=" : "";
        if (ps_term_named(x->kind))
            snprintf(buf, sizeof buf, "%s%s%s:%s%s", k, eq, ps_term_kind_name(x->kind),
                     term_ref_name(m, x), comma);
        else
            snprintf(buf, sizeof buf, "%s%s%s%s", k, eq, ps_term_kind_name(x->kind), comma);
        puts_(w, buf, i == 0 && space);
    }
}

static void put_audience(pw *w, const ps_model *m, const ps_audience *a, bool space)
{
    put_terms(w, m, "audience", &a->allow, space);
    if (a->hide.n)
        put_terms(w, m, "hide", &a->hide, true);
}

/* Writes a comma-separated list of user names, breakable after each comma. */
static void put_users(pw *w, const ps_model *m, const char *key, const uint32_t *v, uint32_t n,
                      bool space)
{
    char buf[PS_MAX_NAME * 2 + 8];
    for (uint32_t i = 0; i < n; i++) {
        snprintf(buf, sizeof buf, "%s%s%s%s", i == 0 && key ? key : "", i == 0 && key ? "=" : "",
                 user_name(m, v[i]), i + 1 < n ? "," : "");
        puts_(w, buf, i == 0 && space);
    }
}

static void categories(char *buf, size_t cap, uint32_t mask, bool fields_only)
{
    unsigned n = fields_only ? PS_NFIELDS : PS_NCATS;
    uint32_t all = fields_only ? (1u << PS_NFIELDS) - 1 : PS_CATS_ALL;
    mask &= all;
    if (mask == 0) {
        snprintf(buf, cap, "none");
        return;
    }
    if (!fields_only && mask == all) {
        snprintf(buf, cap, "all");
        return;
    }
    size_t at = 0;
    buf[0] = 0;
    for (unsigned c = 0; c < n; c++)
        if (mask & (1u << c)) {
            int k = snprintf(buf + at, cap - at, "%s%s", at ? "," : "", ps_category_name(c));
            if (k < 0 || (size_t)k >= cap - at)
                break;
            at += (size_t)k;
        }
}

void ps_print_categories(FILE *out, uint32_t mask, bool fields_only)
{
    char buf[512];
    categories(buf, sizeof buf, mask, fields_only);
    fputs(buf, out);
}

/* The text of one setting (not ITEM audience=). */
static void setting_text(char *buf, size_t cap, const ps_setting *s)
{
    if (s->kind == PS_SET_TAG_REVIEW) {
        snprintf(buf, cap, "tag-review=%s", s->value == PS_ON ? "on" : "off");
    } else if (s->kind == PS_SET_SEARCH_LISTING) {
        snprintf(buf, cap, "search-listing=%s", s->value == PS_ON ? "on" : "off");
    } else {
        char c[512];
        categories(c, sizeof c, s->value, false);
        snprintf(buf, cap, "apps-through-friends=%s", c);
    }
}

static const char *item_name(const ps_model *m, uint32_t it)
{
    return it < m->nitems ? m->items[it].name : "?";
}

static void put_setting(pw *w, const ps_model *m, const ps_setting *s, bool space)
{
    if (s->kind == PS_SET_AUDIENCE) {
        puts_(w, item_name(m, s->item), space);
        put_audience(w, m, &s->audience, true);
        return;
    }
    char buf[600];
    setting_text(buf, sizeof buf, s);
    puts_(w, buf, space);
}

static void put_step(pw *w, const ps_model *m, const ps_step *s)
{
    char buf[PS_MAX_NAME + 16];
    puts_(w, user_name(m, s->actor), true);
    puts_(w, ps_step_kind_name(s->kind), true);
    switch (s->kind) {
    case PS_STEP_SHARE:
        puts_(w, item_name(m, s->item), true);
        if (s->has_audience)
            put_terms(w, m, "audience", &s->audience.allow, true);
        if (s->audience.hide.n)
            put_terms(w, m, "hide", &s->audience.hide, true);
        break;
    case PS_STEP_TAG: case PS_STEP_UNTAG:
        puts_(w, item_name(m, s->item), true);
        put_users(w, m, NULL, s->users, s->nusers, true);
        break;
    case PS_STEP_BEFRIEND: case PS_STEP_UNFRIEND:
        puts_(w, user_name(m, s->other), true);
        break;
    case PS_STEP_INSTALL:
        snprintf(buf, sizeof buf, "%s", s->other < m->napps ? m->apps[s->other].name : "?");
        puts_(w, buf, true);
        break;
    case PS_STEP_SET:
        for (uint32_t i = 0; i < s->nsettings; i++)
            put_setting(w, m, &s->settings[i], true);
        break;
    default:
        puts_(w, item_name(m, s->item), true);
        break;
    }
}

/* Writes the value of one rule. */
static void put_rule_value(pw *w, const ps_rules *r, ps_rule_id id, unsigned cat, bool space)
{
    char buf[600];
    const char *const *choices = ps_rule_choices(id);
    if (choices) {
        puts_(w, choices[rule_choice(r, id)], space);
    } else if (id == PS_RULE_APPS_THROUGH_FRIENDS_DEFAULT || ps_rule_is_fields(id)) {
        bool fields = ps_rule_is_fields(id);
        categories(buf, sizeof buf, fields ? *ps_rule_fields((ps_rules *)r, id)
                                           : r->apps_default_cats, fields);
        puts_(w, buf, space);
    } else {
        put_terms(w, NULL, NULL, &r->default_audience[cat < PS_NCATS ? cat : 0], space);
    }
}

/* A string in quotes, escaped; unrepresentable characters become U+FFFD. */
static void put_string(pw *w, const char *s, bool space)
{
    size_t n = strlen(s);
    bool utf8 = ps_utf8_invalid(s, n) == n;
    char *buf = malloc(n * 3 + 3);
    if (!buf)
        return;
    size_t k = 0;
    buf[k++] = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            buf[k++] = '\\';
            buf[k++] = (char)c;
        } else if ((c < 0x20 && c != '\t') || c == 0x7f || (c >= 0x80 && !utf8)) {
            memcpy(buf + k, "\xef\xbf\xbd", 3);
            k += 3;
        } else {
            buf[k++] = (char)c;
        }
    }
    buf[k++] = '"';
    put(w, buf, k, space);
    free(buf);
}

void ps_print_string(FILE *out, const char *s)
{
    pw w = pw_open(out, SIZE_MAX);
    put_string(&w, s, false);
}

void ps_print_terms(FILE *out, const ps_model *m, const ps_terms *t)
{
    pw w = pw_open(out, SIZE_MAX);
    put_terms(&w, m, NULL, t, false);
}

void ps_print_audience(FILE *out, const ps_model *m, const ps_audience *a)
{
    pw w = pw_open(out, SIZE_MAX);
    put_audience(&w, m, a, false);
}

void ps_print_setting(FILE *out, const ps_model *m, const ps_setting *s)
{
    pw w = pw_open(out, SIZE_MAX);
    put_setting(&w, m, s, false);
}

void ps_print_step(FILE *out, const ps_model *m, const ps_step *s)
{
    pw w = pw_open(out, SIZE_MAX);
    put_step(&w, m, s);
}

void ps_print_rule_value(FILE *out, const ps_rules *r, ps_rule_id id, unsigned cat)
{
    pw w = pw_open(out, SIZE_MAX);
    put_rule_value(&w, r, id, cat, false);
}

/* ---------------------------------------------------------------------------------------
 * Sorting
 * ------------------------------------------------------------------------------------- */

/* Natural order: runs of digits compare as numbers ("p2" < "p10"); ties by bytes. */
static int natcmp(const char *a, const char *b)
{
    const char *a0 = a, *b0 = b;
    while (*a && *b) {
        if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
            while (*a == '0')
                a++;
            while (*b == '0')
                b++;
            size_t na = 0, nb = 0;
            while (a[na] >= '0' && a[na] <= '9')
                na++;
            while (b[nb] >= '0' && b[nb] <= '9')
                nb++;
            if (na != nb)
                return na < nb ? -1 : 1;
            int c = memcmp(a, b, na);
            if (c)
                return c;
            a += na;
            b += nb;
            continue;
        }
        if (*a != *b)
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        a++;
        b++;
    }
    if (*a || *b)
        return *a ? 1 : -1;
    return strcmp(a0, b0);
}

/* qsort has no context argument: the names being sorted are reached through this. */
typedef struct {
    const char *name;      /* primary key */
    uint32_t key2;         /* secondary key (a rank) */
    uint32_t idx;
} sortrec;

static int cmp_rec(const void *pa, const void *pb)
{
    const sortrec *a = pa, *b = pb;
    if (a->key2 != b->key2)
        return a->key2 < b->key2 ? -1 : 1;
    return natcmp(a->name, b->name);
}

/* Sorts `n` records and returns the indices in order (caller frees), NULL out of memory. */
static uint32_t *sorted_order(sortrec *r, uint32_t n)
{
    qsort(r, n, sizeof *r, cmp_rec);
    uint32_t *o = malloc(((size_t)n + 1) * sizeof *o);
    if (o)
        for (uint32_t i = 0; i < n; i++)
            o[i] = r[i].idx;
    return o;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The printing context: users in name order and each user's rank in it. */
typedef struct {
    const ps_model *m;
    pw w;
    uint32_t *order;       /* users by name */
    uint32_t *rank;        /* rank of each user */
    bool any;              /* a section was written: the next one starts with a blank line */
    bool oom;
} printer;

static void section(printer *pr)
{
    if (pr->any)
        end_line(&pr->w);
    pr->any = true;
}

/* Writes users v[0..n) in name order, separated by blanks. */
static void put_user_set(printer *pr, const uint32_t *v, uint32_t n)
{
    uint32_t *r = malloc(((size_t)n + 1) * sizeof *r);
    if (!r) {
        pr->oom = true;
        return;
    }
    for (uint32_t i = 0; i < n; i++)
        r[i] = v[i] < pr->m->nusers ? pr->rank[v[i]] : 0;
    qsort(r, n, sizeof *r, cmp_u32);
    for (uint32_t i = 0; i < n; i++)
        if (i == 0 || r[i] != r[i - 1])
            puts_(&pr->w, pr->m->users[pr->order[r[i]]].name, true);
    free(r);
}

/* Same, as a comma-separated list. */
static void put_user_list_sorted(printer *pr, const char *key, const uint32_t *v, uint32_t n)
{
    uint32_t *r = malloc(((size_t)n + 1) * sizeof *r);
    if (!r) {
        pr->oom = true;
        return;
    }
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++)
        if (v[i] < pr->m->nusers)
            r[k++] = pr->rank[v[i]];
    qsort(r, k, sizeof *r, cmp_u32);
    uint32_t w = 0;
    for (uint32_t i = 0; i < k; i++)
        if (w == 0 || r[i] != r[w - 1])
            r[w++] = r[i];
    for (uint32_t i = 0; i < w; i++)
        r[i] = pr->order[r[i]];
    put_users(&pr->w, pr->m, key, r, w, true);
    free(r);
}

/* ---------------------------------------------------------------------------------------
 * Sections
 * ------------------------------------------------------------------------------------- */

static void print_platform(printer *pr)
{
    if (!pr->m->platform)
        return;
    section(pr);
    puts_(&pr->w, "platform", false);
    puts_(&pr->w, pr->m->platform, true);
    end_line(&pr->w);
}

static void rule_line(printer *pr, const char *name, size_t align, ps_rule_id id, unsigned cat)
{
    puts_(&pr->w, "rule", false);
    puts_(&pr->w, name, true);
    pad(&pr->w, 5 + align);
    puts_(&pr->w, "=", true);
    put_rule_value(&pr->w, &pr->m->overrides, id, cat, true);
    end_line(&pr->w);
}

/* The category whose default audience most others share (ties: the first). */
static unsigned common_default(const ps_rules *r)
{
    unsigned best = 0, best_n = 0;
    for (unsigned c = 0; c < PS_NCATS; c++) {
        unsigned n = 0;
        for (unsigned k = 0; k < PS_NCATS; k++)
            n += ps_terms_equal(&r->default_audience[c], &r->default_audience[k]);
        if (n > best_n) {
            best = c;
            best_n = n;
        }
    }
    return best;
}

static void print_rules(printer *pr)
{
    const ps_model *m = pr->m;
    struct { char name[64]; ps_rule_id id; unsigned cat; } line[PS_NRULES + PS_NCATS];
    size_t n = 0, align = 0;
    for (unsigned id = 0; id < PS_NRULES; id++) {
        if (!(m->rules_set & (1u << id)))
            continue;
        if (id != PS_RULE_DEFAULT_AUDIENCE) {
            snprintf(line[n].name, sizeof line[n].name, "%s", ps_rule_name((ps_rule_id)id));
            line[n].id = (ps_rule_id)id;
            line[n++].cat = 0;
            continue;
        }
        /* default-audience: one line for the value most categories share when every
         * category is set, then a line for each category that differs */
        uint32_t set = m->default_audience_set & PS_CATS_ALL;
        unsigned common = PS_NCATS;
        if (set == PS_CATS_ALL) {
            common = common_default(&m->overrides);
            snprintf(line[n].name, sizeof line[n].name, "default-audience");
            line[n].id = PS_RULE_DEFAULT_AUDIENCE;
            line[n++].cat = common;
        }
        for (unsigned c = 0; c < PS_NCATS; c++) {
            if (!(set & (1u << c)))
                continue;
            if (common < PS_NCATS && ps_terms_equal(&m->overrides.default_audience[c],
                                                    &m->overrides.default_audience[common]))
                continue;
            snprintf(line[n].name, sizeof line[n].name, "default-audience.%s",
                     ps_category_name(c));
            line[n].id = PS_RULE_DEFAULT_AUDIENCE;
            line[n++].cat = c;
        }
    }
    if (!n)
        return;
    section(pr);
    for (size_t i = 0; i < n; i++)
        if (strlen(line[i].name) > align)
            align = strlen(line[i].name);
    for (size_t i = 0; i < n; i++)
        rule_line(pr, line[i].name, align, line[i].id, line[i].cat);
}

const char *ps_link_rule_text(char *buf, size_t cap, bool mutual, uint32_t value)
{
    char cats[256];
    if (mutual && value)
        snprintf(buf, cap, "rule link-mutual-friends = at-least-%u", (unsigned)value);
    else if (mutual)
        snprintf(buf, cap, "rule link-mutual-friends = off");
    else
        snprintf(buf, cap, "rule contact-suggestions = %s",
                 (categories(cats, sizeof cats, value, true), cats));
    return buf;
}

/* `rule link-mutual-friends` and `rule contact-suggestions` lines (person.h). */
static void print_link_rules(printer *pr)
{
    const ps_persons *ps = pr->m->persons;
    if (!ps || (!ps->mutual_set && !ps->contacts_set))
        return;
    section(pr);
    char buf[320];
    if (ps->mutual_set) {
        puts_(&pr->w, ps_link_rule_text(buf, sizeof buf, true, ps->rules.mutual_friends), false);
        end_line(&pr->w);
    }
    if (ps->contacts_set) {
        puts_(&pr->w, ps_link_rule_text(buf, sizeof buf, false, ps->rules.contacts), false);
        end_line(&pr->w);
    }
}

static void print_users(printer *pr)
{
    const ps_model *m = pr->m;
    if (!m->nusers)
        return;
    section(pr);
    bool open = false;
    for (uint32_t i = 0; i < m->nusers; i++) {
        const ps_user *u = &m->users[pr->order[i]];
        if (u->display) {
            if (open)
                end_line(&pr->w);
            open = false;
            puts_(&pr->w, "user", false);
            puts_(&pr->w, u->name, true);
            put_string(&pr->w, u->display, true);
            end_line(&pr->w);
            continue;
        }
        size_t n = strlen(u->name);
        if (open && pr->w.col + 1 + n > PRINT_WIDTH) {
            end_line(&pr->w);
            open = false;
        }
        if (!open)
            puts_(&pr->w, "user", false);
        open = true;
        puts_(&pr->w, u->name, true);
    }
    if (open)
        end_line(&pr->w);
}

static void print_friends(printer *pr)
{
    const ps_model *m = pr->m;
    if (!m->npairs)
        return;
    uint64_t *k = malloc((size_t)m->npairs * sizeof *k);
    if (!k) {
        pr->oom = true;
        return;
    }
    uint32_t n = 0;
    for (uint32_t i = 0; i < m->npairs; i++) {
        uint32_t a = (uint32_t)(m->pairs[i] >> 32), b = (uint32_t)m->pairs[i];
        if (a >= m->nusers || b >= m->nusers || a == b)
            continue;
        uint32_t ra = pr->rank[a], rb = pr->rank[b];
        k[n++] = ra < rb ? ((uint64_t)ra << 32) | rb : ((uint64_t)rb << 32) | ra;
    }
    qsort(k, n, sizeof *k, cmp_u64);
    section(pr);
    uint32_t cur = UINT32_MAX;
    for (uint32_t i = 0; i < n; i++) {
        if (i && k[i] == k[i - 1])
            continue;
        uint32_t ra = (uint32_t)(k[i] >> 32), rb = (uint32_t)k[i];
        if (ra != cur) {
            if (cur != UINT32_MAX)
                end_line(&pr->w);
            puts_(&pr->w, "friends", false);
            puts_(&pr->w, m->users[pr->order[ra]].name, true);
            cur = ra;
        }
        puts_(&pr->w, m->users[pr->order[rb]].name, true);
    }
    if (cur != UINT32_MAX)
        end_line(&pr->w);
    free(k);
}

/* Sorts objects of an array by name: `names` points at the first name field, `stride` is
 * the size of one object. */
static uint32_t *order_by_name(printer *pr, const void *arr, uint32_t n, size_t stride,
                               size_t name_off, size_t owner_off)
{
    sortrec *r = malloc(((size_t)n + 1) * sizeof *r);
    if (!r) {
        pr->oom = true;
        return NULL;
    }
    for (uint32_t i = 0; i < n; i++) {
        const char *obj = (const char *)arr + (size_t)i * stride;
        memcpy(&r[i].name, obj + name_off, sizeof r[i].name);
        r[i].key2 = 0;
        if (owner_off != SIZE_MAX) {
            uint32_t owner;
            memcpy(&owner, obj + owner_off, sizeof owner);
            r[i].key2 = owner < pr->m->nusers ? pr->rank[owner] : UINT32_MAX;
        }
        r[i].idx = i;
    }
    uint32_t *o = sorted_order(r, n);
    free(r);
    if (!o)
        pr->oom = true;
    return o;
}

#define ORDER(pr, arr, n, type, owner_field)                                               \
    order_by_name(pr, arr, n, sizeof(type), offsetof(type, name), owner_field)

static void print_networks(printer *pr)
{
    const ps_model *m = pr->m;
    if (!m->nnetworks)
        return;
    uint32_t *o = ORDER(pr, m->networks, m->nnetworks, ps_network, SIZE_MAX);
    if (!o)
        return;
    section(pr);
    for (uint32_t i = 0; i < m->nnetworks; i++) {
        const ps_network *x = &m->networks[o[i]];
        puts_(&pr->w, "network", false);
        puts_(&pr->w, x->name, true);
        if (x->regional)
            puts_(&pr->w, "kind=regional", true);
        put_user_set(pr, x->members, x->nmembers);
        end_line(&pr->w);
    }
    free(o);
}

static void print_groups(printer *pr)
{
    const ps_model *m = pr->m;
    if (!m->ngroups)
        return;
    uint32_t *o = ORDER(pr, m->groups, m->ngroups, ps_group, SIZE_MAX);
    if (!o)
        return;
    section(pr);
    for (uint32_t i = 0; i < m->ngroups; i++) {
        const ps_group *x = &m->groups[o[i]];
        puts_(&pr->w, "group", false);
        puts_(&pr->w, x->name, true);
        puts_(&pr->w, ps_group_kind_name(x->kind), true);
        put_user_set(pr, x->members, x->nmembers);
        end_line(&pr->w);
    }
    free(o);
}

/* Width of "OWNER NAME" for the alignment of owned objects, capped. */
static size_t owned_width(const ps_model *m, uint32_t owner, const char *name)
{
    return strlen(user_name(m, owner)) + 1 + strlen(name);
}

static void print_lists(printer *pr)
{
    const ps_model *m = pr->m;
    if (!m->nlists)
        return;
    uint32_t *o = ORDER(pr, m->lists, m->nlists, ps_list, offsetof(ps_list, owner));
    if (!o)
        return;
    section(pr);
    size_t align = 0;
    for (uint32_t i = 0; i < m->nlists; i++) {
        size_t n = owned_width(m, m->lists[i].owner, m->lists[i].name);
        if (n > align && n <= ALIGN_MAX)
            align = n;
    }
    for (uint32_t i = 0; i < m->nlists; i++) {
        const ps_list *x = &m->lists[o[i]];
        puts_(&pr->w, m->lists[o[i]].circle ? "circle" : "list", false);
        puts_(&pr->w, user_name(m, x->owner), true);
        puts_(&pr->w, x->name, true);
        pad(&pr->w, 5 + align);
        put_user_set(pr, x->members, x->nmembers);
        end_line(&pr->w);
    }
    free(o);
}

static void print_personas(printer *pr)
{
    const ps_model *m = pr->m;
    if (!m->npersonas)
        return;
    uint32_t *o = ORDER(pr, m->personas, m->npersonas, ps_persona, offsetof(ps_persona, owner));
    if (!o)
        return;
    section(pr);
    size_t align = 0;
    for (uint32_t i = 0; i < m->npersonas; i++) {
        size_t n = owned_width(m, m->personas[i].owner, m->personas[i].name);
        if (n > align && n <= ALIGN_MAX)
            align = n;
    }
    for (uint32_t i = 0; i < m->npersonas; i++) {
        const ps_persona *x = &m->personas[o[i]];
        puts_(&pr->w, "persona", false);
        puts_(&pr->w, user_name(m, x->owner), true);
        puts_(&pr->w, x->name, true);
        pad(&pr->w, 8 + align);
        put_terms(&pr->w, m, "audience", &x->audience, true);
        if (x->forbid.n)
            put_terms(&pr->w, m, "forbid", &x->forbid, true);
        end_line(&pr->w);
    }
    free(o);
}

/* `person NAME accounts=... [forbid-link=...] [same=...]`, by name. */
static void print_persons(printer *pr)
{
    const ps_persons *ps = pr->m->persons;
    if (!ps || !ps->n)
        return;
    uint32_t *o = ORDER(pr, ps->v, ps->n, ps_person, SIZE_MAX);
    if (!o)
        return;
    section(pr);
    for (uint32_t i = 0; i < ps->n; i++) {
        const ps_person *x = &ps->v[o[i]];
        puts_(&pr->w, "person", false);
        puts_(&pr->w, x->name, true);
        put_users(&pr->w, pr->m, "accounts", x->accounts, x->naccounts, true);
        if (x->forbid.n)
            put_terms(&pr->w, pr->m, "forbid-link", &x->forbid, true);
        if (x->same) {
            char buf[256];
            categories(buf, sizeof buf, x->same, true);
            puts_(&pr->w, "same=", true);
            puts_(&pr->w, buf, false);
        }
        end_line(&pr->w);
    }
    free(o);
}

static void print_apps(printer *pr)
{
    const ps_model *m = pr->m;
    if (!m->napps)
        return;
    uint32_t *o = ORDER(pr, m->apps, m->napps, ps_app, SIZE_MAX);
    if (!o)
        return;
    section(pr);
    for (uint32_t i = 0; i < m->napps; i++) {
        const ps_app *x = &m->apps[o[i]];
        puts_(&pr->w, "app", false);
        puts_(&pr->w, x->name, true);
        if (x->partner)
            puts_(&pr->w, "partner", true);
        if (x->ninstallers)
            put_user_list_sorted(pr, "installed-by", x->installers, x->ninstallers);
        end_line(&pr->w);
    }
    free(o);
}

/* True for the field items that a `field` line declares. */
static bool field_declared(const ps_item *it)
{
    return it->kind == PS_ITEM_FIELD && (it->has_audience || it->loc.line != 0);
}

static void print_items(printer *pr)
{
    const ps_model *m = pr->m;
    sortrec *r = malloc(((size_t)m->nitems + 1) * sizeof *r);
    if (!r) {
        pr->oom = true;
        return;
    }
    uint32_t n = 0;
    size_t wname = 0, wby = 0;
    for (uint32_t i = 0; i < m->nitems; i++) {
        const ps_item *it = &m->items[i];
        if (it->kind == PS_ITEM_FIELD)
            continue;
        r[n].name = it->name;
        r[n].key2 = 0;
        r[n].idx = i;
        n++;
        size_t a = strlen(it->name), b = 3 + strlen(user_name(m, it->owner));
        if (a > wname && a <= ALIGN_MAX)
            wname = a;
        if (b > wby && b <= ALIGN_MAX)
            wby = b;
    }
    qsort(r, n, sizeof *r, cmp_rec);
    if (n)
        section(pr);
    for (uint32_t k = 0; k < n; k++) {
        const ps_item *it = &m->items[r[k].idx];
        char buf[PS_MAX_NAME * 2 + 16];
        puts_(&pr->w, it->kind == PS_ITEM_POST ? "post" : "photo", false);
        pad(&pr->w, 5);
        puts_(&pr->w, it->name, true);
        pad(&pr->w, 6 + wname);
        snprintf(buf, sizeof buf, "by=%s", user_name(m, it->owner));
        puts_(&pr->w, buf, true);
        if (it->group != PS_NONE && it->group < m->ngroups) {
            snprintf(buf, sizeof buf, "group=%s", m->groups[it->group].name);
            puts_(&pr->w, buf, true);
        } else if (it->has_audience) {
            pad(&pr->w, 7 + wname + wby);
            put_audience(&pr->w, m, &it->audience, true);
        } else if (it->audience.hide.n) {
            pad(&pr->w, 7 + wname + wby);
            put_terms(&pr->w, m, "hide", &it->audience.hide, true);
        }
        uint32_t *tags = malloc(((size_t)it->ntags + 1) * sizeof *tags);
        uint32_t nt = 0;
        for (uint32_t t = 0; tags && t < it->ntags; t++)
            if (!it->tags[t].removed)
                tags[nt++] = it->tags[t].user;
        if (nt)
            put_user_list_sorted(pr, "tags", tags, nt);
        free(tags);
        if (it->persona != PS_NONE && it->persona < m->npersonas) {
            const ps_persona *pe = &m->personas[it->persona];
            snprintf(buf, sizeof buf, "persona=%s.%s", user_name(m, pe->owner), pe->name);
            puts_(&pr->w, buf, true);
        }
        if (it->tag_friends != PS_UNSET)
            puts_(&pr->w, it->tag_friends == PS_ON ? "tag-friends=on" : "tag-friends=off", true);
        if (it->link)
            puts_(&pr->w, "link=on", true);
        if (it->caption)
            put_string(&pr->w, it->caption, true);
        end_line(&pr->w);
    }
    /* fields: by owner, then in the order of the field list (rank * PS_NFIELDS fits in
     * 32 bits for up to 2^24 users) */
    n = 0;
    wname = 0;
    for (uint32_t i = 0; i < m->nitems; i++) {
        const ps_item *it = &m->items[i];
        if (!field_declared(it))
            continue;
        r[n].name = "";
        r[n].key2 = (it->owner < m->nusers ? pr->rank[it->owner] : 0) * PS_NFIELDS + it->field;
        r[n].idx = i;
        n++;
        size_t a = strlen(it->name);
        if (a > wname && a <= ALIGN_MAX)
            wname = a;
    }
    qsort(r, n, sizeof *r, cmp_rec); /* by owner's rank, then field */
    if (n)
        section(pr);
    for (uint32_t k = 0; k < n; k++) {
        const ps_item *it = &m->items[r[k].idx];
        puts_(&pr->w, "field", false);
        puts_(&pr->w, it->name, true);
        if (it->has_audience) {
            pad(&pr->w, 6 + wname);
            put_audience(&pr->w, m, &it->audience, true);
        }
        const char *value = ps_field_value(m, r[k].idx);
        if (value) {
            puts_(&pr->w, "value=", true);
            put_string(&pr->w, value, false);
        }
        end_line(&pr->w);
    }
    free(r);
}

static void print_settings(printer *pr)
{
    const ps_model *m = pr->m;
    bool any = false;
    for (uint32_t i = 0; i < m->nusers; i++) {
        const ps_user *u = &m->users[pr->order[i]];
        if (u->tag_review == PS_UNSET && !u->has_apps_cats && u->search_listing == PS_UNSET)
            continue;
        if (!any)
            section(pr);
        any = true;
        puts_(&pr->w, "set", false);
        puts_(&pr->w, u->name, true);
        ps_setting s = {0};
        if (u->tag_review != PS_UNSET) {
            s.kind = PS_SET_TAG_REVIEW;
            s.value = (uint32_t)u->tag_review;
            put_setting(&pr->w, m, &s, true);
        }
        if (u->has_apps_cats) {
            s.kind = PS_SET_APPS_CATS;
            s.value = u->apps_cats;
            put_setting(&pr->w, m, &s, true);
        }
        if (u->search_listing != PS_UNSET) {
            s.kind = PS_SET_SEARCH_LISTING;
            s.value = (uint32_t)u->search_listing;
            put_setting(&pr->w, m, &s, true);
        }
        end_line(&pr->w);
    }
}

static void print_steps(printer *pr)
{
    const ps_model *m = pr->m;
    if (!m->nsteps)
        return;
    section(pr);
    for (uint32_t i = 0; i < m->nsteps; i++) {
        puts_(&pr->w, "do", false);
        put_step(&pr->w, m, &m->steps[i]);
        end_line(&pr->w);
    }
}

/* The name of an expectation's viewer. */
static const char *viewer_name(const ps_model *m, const ps_expect *e, char *buf, size_t cap)
{
    if (e->viewer_kind == PS_VIEWER_INTERNET)
        return "internet";
    if (e->viewer_kind == PS_VIEWER_APP) {
        snprintf(buf, cap, "app:%s", e->viewer < m->napps ? m->apps[e->viewer].name : "?");
        return buf;
    }
    return user_name(m, e->viewer);
}

static void print_expects(printer *pr)
{
    const ps_model *m = pr->m;
    if (!m->nexpects)
        return;
    section(pr);
    char buf[PS_MAX_NAME + 8];
    size_t align = 0;
    for (uint32_t i = 0; i < m->nexpects; i++) {
        size_t n = strlen(viewer_name(m, &m->expects[i], buf, sizeof buf));
        if (n > align && n <= ALIGN_MAX)
            align = n;
    }
    for (uint32_t i = 0; i < m->nexpects; i++) {
        const ps_expect *e = &m->expects[i];
        puts_(&pr->w, "expect", false);
        puts_(&pr->w, viewer_name(m, e, buf, sizeof buf), true);
        pad(&pr->w, 7 + align);
        puts_(&pr->w, e->can_see ? "can-see" : "cannot-see", true);
        pad(&pr->w, 8 + align + 10);
        puts_(&pr->w, item_name(m, e->item), true);
        end_line(&pr->w);
    }
}

static void print_accepts(printer *pr)
{
    const ps_model *m = pr->m;
    if (!m->naccepts)
        return;
    section(pr);
    char buf[PS_MAX_NAME + 8];
    for (uint32_t i = 0; i < m->naccepts; i++) {
        const ps_accept *a = &m->accepts[i];
        ps_expect e = { .viewer_kind = a->viewer_kind, .viewer = a->viewer };
        puts_(&pr->w, "accept", false);
        puts_(&pr->w, viewer_name(m, &e, buf, sizeof buf), true);
        puts_(&pr->w, item_name(m, a->item), true);
        put_string(&pr->w, a->reason ? a->reason : "", true);
        end_line(&pr->w);
    }
}

static void print_vary(printer *pr, const ps_vary *v)
{
    const ps_model *m = pr->m;
    pw *w = &pr->w;
    puts_(w, "vary", false);
    if (v->kind == PS_VARY_STEP) {
        puts_(w, "do", true);
        put_step(w, m, &v->step);
        end_line(w);
        return;
    }
    char buf[640];
    if (v->kind == PS_VARY_AUDIENCE) {
        puts_(w, item_name(m, v->target), true);
    } else if (v->kind == PS_VARY_SET) {
        puts_(w, "set", true);
        puts_(w, user_name(m, v->target), true);
        bool tr = v->nalts && v->alts[0].setting.kind == PS_SET_TAG_REVIEW;
        puts_(w, tr ? "tag-review=" : "apps-through-friends=", true);
    } else {
        puts_(w, "rule", true);
        uint32_t cats = v->cats & PS_CATS_ALL;
        if (v->rule == PS_RULE_DEFAULT_AUDIENCE && cats != PS_CATS_ALL && cats)
            snprintf(buf, sizeof buf, "default-audience.%s",
                     ps_category_name((unsigned)__builtin_ctz(cats)));
        else
            snprintf(buf, sizeof buf, "%s", ps_rule_name((ps_rule_id)v->rule));
        puts_(w, buf, true);
        puts_(w, "=", true);
    }
    unsigned cat = v->cats ? (unsigned)__builtin_ctz(v->cats) : 0;
    for (uint32_t i = 0; i < v->nalts; i++) {
        const ps_alt *a = &v->alts[i];
        if (i)
            puts_(w, "|", true);
        switch (v->kind) {
        case PS_VARY_AUDIENCE:
            put_terms(w, m, i == 0 ? "audience" : NULL, &a->audience.allow, true);
            if (a->audience.hide.n)
                put_terms(w, m, "hide", &a->audience.hide, true);
            break;
        case PS_VARY_SET:
            setting_text(buf, sizeof buf, &a->setting);
            puts_(w, strchr(buf, '=') + 1, i != 0);
            break;
        default:
            put_rule_value(w, &a->rule, (ps_rule_id)v->rule, cat, true);
            break;
        }
    }
    end_line(w);
}

static void print_varies(printer *pr)
{
    if (!pr->m->nvaries)
        return;
    section(pr);
    for (uint32_t i = 0; i < pr->m->nvaries; i++)
        print_vary(pr, &pr->m->varies[i]);
}

int ps_print_scenario(FILE *out, const ps_model *m)
{
    printer pr;
    memset(&pr, 0, sizeof pr);
    pr.m = m;
    pr.w = pw_open(out, PRINT_WIDTH);
    sortrec *r = malloc(((size_t)m->nusers + 1) * sizeof *r);
    pr.rank = malloc(((size_t)m->nusers + 1) * sizeof *pr.rank);
    if (!r || !pr.rank) {
        free(r);
        free(pr.rank);
        return -1;
    }
    for (uint32_t i = 0; i < m->nusers; i++) {
        r[i].name = m->users[i].name;
        r[i].key2 = 0;
        r[i].idx = i;
    }
    pr.order = sorted_order(r, m->nusers);
    free(r);
    if (!pr.order) {
        free(pr.rank);
        return -1;
    }
    for (uint32_t i = 0; i < m->nusers; i++)
        pr.rank[pr.order[i]] = i;

    print_platform(&pr);
    print_rules(&pr);
    print_link_rules(&pr);
    print_users(&pr);
    print_friends(&pr);
    print_networks(&pr);
    print_groups(&pr);
    print_lists(&pr);
    print_personas(&pr);
    print_persons(&pr);
    print_apps(&pr);
    print_items(&pr);
    print_settings(&pr);
    print_steps(&pr);
    print_expects(&pr);
    print_accepts(&pr);
    print_varies(&pr);

    free(pr.order);
    free(pr.rank);
    return pr.oom || ferror(out) ? -1 : 0;
}
