/* snap.c - the SNAP ego-Facebook importer (see snap.h).
 *
 * Reading happens in two phases.  First every file is read and checked, and what it says
 * is collected in terms of the data set's own person ids: the ids seen, friendships as id
 * pairs, network memberships as (network, id) pairs.  Then the people are sorted by id and
 * created as users, so that user index order is id order whatever the files' order, the
 * friendships are added, and the circles (which need to know who is the ego's friend) and
 * the networks are created.  Nothing depends on hash-table order: the same files always
 * give the same model.
 */
#include "snap.h"
#include "parse.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "oom.h"

/* Largest feature index accepted in a .featnames file. */
#define MAX_FEATURES 1000000u
/* Longest anonymized value kept in a network name. */
#define MAX_VALUE 64

/* ---------------------------------------------------------------------------------------
 * Growable vectors
 * ------------------------------------------------------------------------------------- */

typedef struct { uint32_t *v; size_t n, cap; } u32vec;
typedef struct { uint64_t *v; size_t n, cap; } u64vec;

static int u32vec_push(u32vec *a, uint32_t x)
{
    if (a->n == a->cap) {
        size_t ncap = a->cap ? a->cap * 2 : 256;
        uint32_t *p = realloc(a->v, ncap * sizeof *p);
        if (!p)
            return -1;
        a->v = p;
        a->cap = ncap;
    }
    a->v[a->n++] = x;
    return 0;
}

static int u64vec_push(u64vec *a, uint64_t x)
{
    if (a->n == a->cap) {
        size_t ncap = a->cap ? a->cap * 2 : 256;
        uint64_t *p = realloc(a->v, ncap * sizeof *p);
        if (!p)
            return -1;
        a->v = p;
        a->cap = ncap;
    }
    a->v[a->n++] = x;
    return 0;
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

/* ---------------------------------------------------------------------------------------
 * Reading a file line by line, token by token
 * ------------------------------------------------------------------------------------- */

typedef struct {
    ps_diag *d;
    char *buf;             /* the whole file (owned) */
    size_t len, pos;       /* pos: start of the next line */
    uint32_t line;         /* current line, 1-based */
    const char *ls, *le;   /* current line, without its newline and a CR before it */
    const char *p;         /* next byte of the current line */
} reader;

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Opens `path` (already named to the diag) for reading.  0, or -1 after an error. */
static int rd_open(reader *r, ps_diag *d, const char *path)
{
    memset(r, 0, sizeof *r);
    r->d = d;
    if (ps_read_file(path, &r->buf, &r->len, d))
        return -1;
    ps_diag_set_source(d, path, r->buf, r->len);
    return 0;
}

static void rd_close(reader *r)
{
    ps_diag_set_source(r->d, NULL, NULL, 0);
    free(r->buf);
    r->buf = NULL;
}

/* Moves to the next line; false at the end of the file. */
static bool rd_line(reader *r)
{
    if (r->pos >= r->len)
        return false;
    const char *s = r->buf + r->pos;
    const char *nl = memchr(s, '\n', r->len - r->pos);
    const char *e = nl ? nl : r->buf + r->len;
    r->pos = (size_t)(e - r->buf) + (nl ? 1 : 0);
    if (e > s && e[-1] == '\r')
        e--;
    r->ls = r->p = s;
    r->le = e;
    r->line++;
    return true;
}

/* The next token of the current line; false (and *len = 0) at its end. */
static bool rd_token(reader *r, const char **tok, size_t *len)
{
    while (r->p < r->le && is_space(*r->p))
        r->p++;
    *tok = r->p;
    while (r->p < r->le && !is_space(*r->p))
        r->p++;
    *len = (size_t)(r->p - *tok);
    return *len > 0;
}

/* The rest of the current line without the spaces around it. */
static void rd_rest(reader *r, const char **s, size_t *len)
{
    const char *b = r->p, *e = r->le;
    while (b < e && is_space(*b))
        b++;
    while (e > b && is_space(e[-1]))
        e--;
    *s = b;
    *len = (size_t)(e - b);
    r->p = r->le;
}

static ps_loc rd_loc(const reader *r, const char *at)
{
    ps_loc l = { r->line, (uint32_t)(at - r->ls) + 1 };
    return l;
}

/* Parses a person id: decimal digits, at most 4294967294.  -1 after an error. */
static int rd_id(reader *r, const char *tok, size_t len, uint32_t *out)
{
    uint64_t v = 0;
    bool ok = len > 0 && len <= 10;
    for (size_t i = 0; ok && i < len; i++) {
        if (tok[i] < '0' || tok[i] > '9')
            ok = false;
        else
            v = v * 10 + (uint64_t)(tok[i] - '0');
    }
    if (!ok || v >= UINT32_MAX) {
        ps_diag_error(r->d, rd_loc(r, tok), "expected a person id (a whole number), found '%.*s'",
                      (int)(len > 40 ? 40 : len), tok);
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * Network names
 * ------------------------------------------------------------------------------------- */

/* Feature kinds that become networks, in the order networks are created. */
static const struct { const char *prefix, *name; } feature_kinds[] = {
    { "work;employer;id", "employer" },
    { "education;school;id", "school" },
    { "location;id", "location" },
    { "hometown;id", "hometown" },
};
#define NKINDS (sizeof feature_kinds / sizeof feature_kinds[0])

typedef struct netname {
    char *name;            /* "employer-144" (owned) */
    uint32_t id;           /* index in importer.nets */
    uint8_t kind;          /* index in feature_kinds */
    bool numeric;          /* the value is a number: sort by `num` */
    uint64_t num;
    const char *value;     /* the value part of `name` */
    UT_hash_handle hh;
} netname;

/* ---------------------------------------------------------------------------------------
 * The importer
 * ------------------------------------------------------------------------------------- */

typedef struct {
    const ps_snap_opts *o;
    ps_diag *d;
    bool oom;
    char path[4096];       /* the file being read, DIR/NAME */

    u32vec ids;            /* person ids seen (phase 1), then sorted and unique (phase 2) */
    u64vec edges;          /* friendships as (id << 32 | id) */
    u64vec memb;           /* memberships as (network id << 32 | person id) */
    netname *names;        /* network names (uthash) */
    netname **nets;        /* by id */
    uint32_t nnets, cap_nets;

    uint32_t *cols;        /* feature column -> network id or PS_NONE, for the current ego */
    uint32_t ncols;        /* columns named by the current .featnames (0: none read) */
    bool have_featnames;

    ps_model *m;
    ps_snap_stats st;
} importer;

static void set_path(importer *im, const char *file)
{
    const char *dir = im->o->dir;
    size_t n = strlen(dir);
    snprintf(im->path, sizeof im->path, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", file);
}

static void nomem(importer *im)
{
    im->oom = true;
}

/* Whether DIR/file exists (a missing optional file is skipped silently). */
static bool exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* The id of network (kind, value), interning it.  PS_NONE out of memory. */
static uint32_t intern_net(importer *im, unsigned kind, const char *value, size_t vlen)
{
    char name[PS_MAX_NAME];
    int n = snprintf(name, sizeof name, "%s-%.*s", feature_kinds[kind].name, (int)vlen, value);
    if (n < 0 || (size_t)n >= sizeof name)
        return PS_NONE;
    netname *e;
    HASH_FIND(hh, im->names, name, (size_t)n, e);
    if (e)
        return e->id;
    if (im->nnets == im->cap_nets) {
        uint32_t ncap = im->cap_nets ? im->cap_nets * 2 : 64;
        netname **p = realloc(im->nets, (size_t)ncap * sizeof *p);
        if (!p)
            return PS_NONE;
        im->nets = p;
        im->cap_nets = ncap;
    }
    e = calloc(1, sizeof *e);
    if (!e || !(e->name = strdup(name))) {
        free(e);
        return PS_NONE;
    }
    e->id = im->nnets;
    e->kind = (uint8_t)kind;
    e->value = e->name + strlen(feature_kinds[kind].name) + 1;
    e->numeric = vlen > 0 && vlen <= 18;
    for (size_t i = 0; i < vlen && e->numeric; i++) {
        if (value[i] < '0' || value[i] > '9')
            e->numeric = false;
        else
            e->num = e->num * 10 + (uint64_t)(value[i] - '0');
    }
    HASH_ADD_KEYPTR(hh, im->names, e->name, strlen(e->name), e);
    im->nets[im->nnets++] = e;
    return e->id;
}

/* Networks sort by kind, then numeric values before others, by number, then by name. */
static int cmp_net(const void *pa, const void *pb)
{
    const netname *a = *(const netname *const *)pa, *b = *(const netname *const *)pb;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->numeric != b->numeric)
        return a->numeric ? -1 : 1;
    if (a->numeric && a->num != b->num)
        return a->num < b->num ? -1 : 1;
    return strcmp(a->name, b->name);
}

/* Reads `path` as an N.featnames file: which columns are networks. */
static void read_featnames(importer *im)
{
    reader r;
    free(im->cols);
    im->cols = NULL;
    im->ncols = 0;
    im->have_featnames = false;
    if (rd_open(&r, im->d, im->path))
        return;
    uint32_t cap = 0;
    while (!im->oom && !ps_diag_full(im->d) && rd_line(&r)) {
        const char *tok, *rest;
        size_t len, rlen;
        if (!rd_token(&r, &tok, &len))
            continue;
        uint32_t idx = 0;
        bool ok = len <= 7;
        for (size_t i = 0; ok && i < len; i++) {
            ok = tok[i] >= '0' && tok[i] <= '9';
            idx = idx * 10 + (uint32_t)(tok[i] - '0');
        }
        if (!ok || idx >= MAX_FEATURES) {
            ps_diag_error(im->d, rd_loc(&r, tok),
                          "expected a feature number (0 to %u), found '%.*s'",
                          MAX_FEATURES - 1, (int)(len > 40 ? 40 : len), tok);
            continue;
        }
        rd_rest(&r, &rest, &rlen);
        if (idx >= cap) {
            uint32_t ncap = cap ? cap : 256;
            while (ncap <= idx)
                ncap *= 2;
            uint32_t *p = realloc(im->cols, (size_t)ncap * sizeof *p);
            if (!p) {
                nomem(im);
                break;
            }
            for (uint32_t i = cap; i < ncap; i++)
                p[i] = UINT32_MAX - 1; /* not named (yet) */
            im->cols = p;
            cap = ncap;
        }
        if (im->cols[idx] != UINT32_MAX - 1) {
            ps_diag_error(im->d, rd_loc(&r, tok), "feature %u is named twice", (unsigned)idx);
            continue;
        }
        if (rlen == 0) {
            ps_diag_error(im->d, rd_loc(&r, r.le), "feature %u has no name", (unsigned)idx);
            continue;
        }
        im->cols[idx] = PS_NONE;
        if (idx + 1 > im->ncols)
            im->ncols = idx + 1;
        for (unsigned k = 0; k < NKINDS; k++) {
            size_t pl = strlen(feature_kinds[k].prefix);
            if (rlen <= pl + 1 || memcmp(rest, feature_kinds[k].prefix, pl) != 0 ||
                rest[pl] != ';')
                continue;
            const char *v = rest + pl + 1;
            size_t vlen = rlen - pl - 1;
            static const char anon[] = "anonymized feature ";
            char clean[MAX_VALUE + 1];
            if (vlen > sizeof anon - 1 && memcmp(v, anon, sizeof anon - 1) == 0) {
                v += sizeof anon - 1;
                vlen -= sizeof anon - 1;
                while (vlen && is_space(*v)) {
                    v++;
                    vlen--;
                }
            }
            /* keep what a name may hold; anything else becomes '_' */
            size_t n = 0;
            for (size_t i = 0; i < vlen && n < MAX_VALUE; i++) {
                char c = v[i];
                bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
                clean[n++] = keep ? c : '_';
            }
            if (n == 0)
                break;
            uint32_t id = intern_net(im, k, clean, n);
            if (id == PS_NONE)
                nomem(im);
            im->cols[idx] = id;
            break;
        }
    }
    /* columns never named stay "not a network" */
    for (uint32_t i = 0; i < im->ncols; i++)
        if (im->cols[i] == UINT32_MAX - 1)
            im->cols[i] = PS_NONE;
    im->have_featnames = true;
    rd_close(&r);
}

/* Reads the 0/1 values of the current line after its id; records memberships of `person`.
 * `expect` is the number of values a line must have (0: any, set from the first line). */
static void read_values(importer *im, reader *r, uint32_t person, uint32_t *expect,
                        const char *what)
{
    const char *tok, *first = NULL;
    size_t len;
    uint32_t col = 0;
    while (rd_token(r, &tok, &len)) {
        if (!first)
            first = tok;
        if (len != 1 || (tok[0] != '0' && tok[0] != '1')) {
            ps_diag_error(im->d, rd_loc(r, tok), "expected a feature value 0 or 1, found '%.*s'",
                          (int)(len > 40 ? 40 : len), tok);
            return;
        }
        if (tok[0] == '1' && col < im->ncols && im->cols && im->cols[col] != PS_NONE &&
            u64vec_push(&im->memb, ((uint64_t)im->cols[col] << 32) | person)) {
            nomem(im);
            return;
        }
        col++;
    }
    if (*expect == 0) {
        *expect = col;
        if (im->have_featnames && col != im->ncols)
            *expect = im->ncols;
    }
    if (col != *expect)
        ps_diag_error(im->d, rd_loc(r, first ? first : r->le),
                      "%u feature value%s, but %s %u", (unsigned)col, col == 1 ? "" : "s",
                      what, (unsigned)*expect);
}

/* Reads N.feat: the ego's friends and their features.  The ids go to im->ids when
 * `add_people`. */
static void read_feat(importer *im, bool add_people)
{
    reader r;
    if (rd_open(&r, im->d, im->path))
        return;
    uint32_t expect = 0;
    char what[64];
    if (im->have_featnames)
        snprintf(what, sizeof what, "the .featnames file names");
    else
        snprintf(what, sizeof what, "the first line has");
    while (!im->oom && !ps_diag_full(im->d) && rd_line(&r)) {
        const char *tok;
        size_t len;
        if (!rd_token(&r, &tok, &len))
            continue;
        uint32_t id;
        if (rd_id(&r, tok, len, &id))
            continue;
        if (add_people && u32vec_push(&im->ids, id))
            nomem(im);
        read_values(im, &r, id, &expect, what);
    }
    rd_close(&r);
}

/* Reads N.egofeat: the ego's own features (one line of values). */
static void read_egofeat(importer *im, uint32_t ego)
{
    reader r;
    if (rd_open(&r, im->d, im->path))
        return;
    uint32_t expect = im->have_featnames ? im->ncols : 0;
    bool seen = false;
    while (!im->oom && !ps_diag_full(im->d) && rd_line(&r)) {
        const char *tok;
        size_t len;
        const char *save = r.p;
        if (!rd_token(&r, &tok, &len))
            continue;
        if (seen) {
            ps_diag_error(im->d, rd_loc(&r, tok), "an .egofeat file holds one line of values");
            break;
        }
        seen = true;
        r.p = save;
        read_values(im, &r, ego, &expect, "the .featnames file names");
    }
    rd_close(&r);
}

/* Reads a friendship file (N.edges or facebook_combined.txt): two ids a line. */
static void read_edges(importer *im)
{
    reader r;
    if (rd_open(&r, im->d, im->path))
        return;
    while (!im->oom && !ps_diag_full(im->d) && rd_line(&r)) {
        const char *tok;
        size_t len;
        uint32_t ab[2];
        int n = 0;
        bool bad = false;
        while (!bad && rd_token(&r, &tok, &len)) {
            if (n == 2) {
                ps_diag_error(im->d, rd_loc(&r, tok),
                              "expected two person ids on a line, found a third: '%.*s'",
                              (int)(len > 40 ? 40 : len), tok);
                bad = true;
            } else if (rd_id(&r, tok, len, &ab[n])) {
                bad = true;
            } else {
                n++;
            }
        }
        if (bad || n == 0)
            continue;
        if (n == 1) {
            ps_diag_error(im->d, rd_loc(&r, r.le), "expected two person ids on a line, found one");
            continue;
        }
        if (ab[0] == ab[1]) {
            ps_diag_warning(im->d, rd_loc(&r, r.ls),
                            "a friendship of %u with itself is left out", (unsigned)ab[0]);
            continue;
        }
        if (u32vec_push(&im->ids, ab[0]) || u32vec_push(&im->ids, ab[1]) ||
            u64vec_push(&im->edges, ((uint64_t)ab[0] << 32) | ab[1]))
            nomem(im);
    }
    rd_close(&r);
}

/* The user of person `id`, or PS_NONE (ids are sorted and unique by then). */
static uint32_t user_of(const importer *im, uint32_t id)
{
    size_t lo = 0, hi = im->ids.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (im->ids.v[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < im->ids.n && im->ids.v[lo] == id ? (uint32_t)lo : PS_NONE;
}

/* Phase 2: sorts the ids and creates the users and the friendships.  `ego` (PS_NONE when
 * combined) is made a friend of everyone else. */
static void create_people(importer *im, uint32_t ego)
{
    if (ego != PS_NONE && u32vec_push(&im->ids, ego)) {
        nomem(im);
        return;
    }
    if (im->ids.n > 1)
        qsort(im->ids.v, im->ids.n, sizeof *im->ids.v, cmp_u32);
    size_t w = 0;
    for (size_t i = 0; i < im->ids.n; i++)
        if (w == 0 || im->ids.v[w - 1] != im->ids.v[i])
            im->ids.v[w++] = im->ids.v[i];
    im->ids.n = w;
    if (w > PS_MAX_USERS) {
        ps_loc none = {0, 0};
        ps_diag_error(im->d, none, "%zu people, more than a scenario may hold (%u)", w,
                      (unsigned)PS_MAX_USERS);
        return;
    }
    ps_model *m = im->m;
    char name[16];
    for (size_t i = 0; i < w; i++) {
        int n = snprintf(name, sizeof name, "u%u", (unsigned)im->ids.v[i]);
        if (ps_model_add_user(m, name, (size_t)n, NULL) == PS_NONE) {
            nomem(im);
            return;
        }
    }
    for (size_t i = 0; i < im->edges.n; i++) {
        uint32_t a = user_of(im, (uint32_t)(im->edges.v[i] >> 32));
        uint32_t b = user_of(im, (uint32_t)im->edges.v[i]);
        if (ps_model_add_friendship(m, a, b)) {
            nomem(im);
            return;
        }
    }
    if (ego != PS_NONE) {
        uint32_t e = user_of(im, ego);
        for (uint32_t u = 0; u < m->nusers; u++)
            if (u != e && ps_model_add_friendship(m, e, u)) {
                nomem(im);
                return;
            }
    }
}

/* Makes a circle name a valid scenario name: characters a name cannot hold become '_', and
 * a name that does not start with a letter or '_' gets a 'c' in front. */
static size_t clean_name(const char *s, size_t len, char *out, size_t cap)
{
    size_t n = 0;
    if (len && !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_'))
        out[n++] = 'c';
    for (size_t i = 0; i < len && n + 1 < cap; i++) {
        char c = s[i];
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.';
        out[n++] = keep ? c : '_';
    }
    out[n] = 0;
    return n;
}

/* Reads N.circles into friend lists of the ego (user `owner`). */
static void read_circles(importer *im, uint32_t owner)
{
    reader r;
    if (rd_open(&r, im->d, im->path))
        return;
    ps_model *m = im->m;
    while (!im->oom && !ps_diag_full(im->d) && rd_line(&r)) {
        const char *tok;
        size_t len;
        if (!rd_token(&r, &tok, &len))
            continue;
        char name[PS_MAX_NAME];
        size_t nlen = clean_name(tok, len, name, sizeof name);
        ps_loc at = rd_loc(&r, tok);
        uint32_t li = PS_NONE;
        if (ps_model_find(m, PS_NS_LIST, owner, name, nlen) != PS_NONE) {
            ps_diag_error(im->d, at, "circle '%s' is named twice", name);
            continue;
        }
        li = ps_model_add_list(m, owner, name, nlen);
        if (li == PS_NONE) {
            nomem(im);
            break;
        }
        uint32_t dropped = 0;
        const char *first_dropped = NULL;
        size_t first_len = 0;
        bool bad = false;
        while (rd_token(&r, &tok, &len)) {
            uint32_t id;
            if (rd_id(&r, tok, len, &id)) {
                bad = true;
                break;
            }
            uint32_t u = user_of(im, id);
            if (u == PS_NONE || u == owner || !ps_model_are_friends(m, owner, u)) {
                if (!dropped++) {
                    first_dropped = tok;
                    first_len = len;
                }
                continue;
            }
            if (ps_u32_push(&m->lists[li].members, &m->lists[li].nmembers, u)) {
                nomem(im);
                break;
            }
        }
        if (bad)
            continue;
        /* sorted, and a member named twice kept once */
        ps_list *l = &m->lists[li];
        if (l->nmembers > 1)
            qsort(l->members, l->nmembers, sizeof *l->members, cmp_u32);
        uint32_t w = 0;
        for (uint32_t k = 0; k < l->nmembers; k++)
            if (w == 0 || l->members[w - 1] != l->members[k])
                l->members[w++] = l->members[k];
        l->nmembers = w;
        if (dropped) {
            im->st.dropped += dropped;
            ps_diag_warning(im->d, rd_loc(&r, first_dropped),
                            "%u member%s of circle '%s' %s of %s and left out "
                            "(the first: %.*s)",
                            (unsigned)dropped, dropped == 1 ? "" : "s", name,
                            dropped == 1 ? "is not a friend" : "are not friends",
                            m->users[owner].name,
                            (int)(first_len > 20 ? 20 : first_len), first_dropped);
        }
        im->st.lists++;
    }
    rd_close(&r);
}

/* Phase 2: the networks, from the memberships of people who are users. */
static void create_networks(importer *im)
{
    if (!im->nnets)
        return;
    netname **order = malloc((size_t)im->nnets * sizeof *order);
    uint32_t *rank = malloc((size_t)im->nnets * sizeof *rank);
    if (!order || !rank) {
        free(order);
        free(rank);
        nomem(im);
        return;
    }
    memcpy(order, im->nets, (size_t)im->nnets * sizeof *order);
    qsort(order, im->nnets, sizeof *order, cmp_net);
    for (uint32_t i = 0; i < im->nnets; i++)
        rank[order[i]->id] = i;
    /* (rank << 32 | user), sorted: each network's members together, in user order */
    size_t w = 0;
    for (size_t i = 0; i < im->memb.n; i++) {
        uint32_t u = user_of(im, (uint32_t)im->memb.v[i]);
        if (u != PS_NONE)
            im->memb.v[w++] = ((uint64_t)rank[im->memb.v[i] >> 32] << 32) | u;
    }
    im->memb.n = w;
    if (w > 1)
        qsort(im->memb.v, w, sizeof *im->memb.v, cmp_u64);
    ps_model *m = im->m;
    for (size_t i = 0; i < w && !im->oom;) {
        uint32_t r = (uint32_t)(im->memb.v[i] >> 32);
        size_t j = i;
        uint32_t distinct = 0;
        for (; j < w && (uint32_t)(im->memb.v[j] >> 32) == r; j++)
            distinct += j == i || im->memb.v[j] != im->memb.v[j - 1];
        if (distinct >= 2) {
            const char *name = order[r]->name;
            uint32_t ni = ps_model_add_network(m, name, strlen(name));
            if (ni == PS_NONE) {
                nomem(im);
                break;
            }
            ps_network *net = &m->networks[ni];
            net->members = malloc((size_t)distinct * sizeof *net->members);
            if (!net->members) {
                nomem(im);
                break;
            }
            for (size_t k = i; k < j; k++)
                if (k == i || im->memb.v[k] != im->memb.v[k - 1])
                    net->members[net->nmembers++] = (uint32_t)im->memb.v[k];
            im->st.networks++;
            im->st.memberships += distinct;
        }
        i = j;
    }
    free(order);
    free(rank);
}

/* The egos that have a .circles, .feat, .featnames or .egofeat file in the directory,
 * sorted.  -1 after an error. */
static int find_egos(importer *im, u32vec *out)
{
    DIR *dir = opendir(im->o->dir);
    if (!dir) {
        ps_loc none = {0, 0};
        ps_diag_set_source(im->d, im->o->dir, NULL, 0);
        ps_diag_error(im->d, none, "cannot read the directory: %s", strerror(errno));
        return -1;
    }
    static const char *const exts[] = { ".circles", ".feat", ".featnames", ".egofeat" };
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        const char *s = de->d_name;
        size_t digits = 0;
        uint64_t v = 0;
        while (s[digits] >= '0' && s[digits] <= '9' && digits < 11)
            v = v * 10 + (uint64_t)(s[digits++] - '0');
        if (!digits || v >= UINT32_MAX)
            continue;
        for (size_t k = 0; k < sizeof exts / sizeof exts[0]; k++)
            if (strcmp(s + digits, exts[k]) == 0) {
                if (u32vec_push(out, (uint32_t)v))
                    nomem(im);
                break;
            }
    }
    closedir(dir);
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, cmp_u32);
    size_t w = 0;
    for (size_t i = 0; i < out->n; i++)
        if (w == 0 || out->v[w - 1] != out->v[i])
            out->v[w++] = out->v[i];
    out->n = w;
    return 0;
}

/* Reads the optional feature files of `ego` (featnames, then feat and egofeat); `feat_people`
 * says whether N.feat also lists the ego's friends (one ego's network). */
static void read_features(importer *im, uint32_t ego, bool feat_people, bool feat_required)
{
    char file[64];
    snprintf(file, sizeof file, "%u.featnames", (unsigned)ego);
    set_path(im, file);
    im->have_featnames = false;
    im->ncols = 0;
    if (exists(im->path))
        read_featnames(im);
    snprintf(file, sizeof file, "%u.feat", (unsigned)ego);
    set_path(im, file);
    if (feat_required || (im->have_featnames && exists(im->path)))
        read_feat(im, feat_people);
    snprintf(file, sizeof file, "%u.egofeat", (unsigned)ego);
    set_path(im, file);
    if (im->have_featnames && exists(im->path))
        read_egofeat(im, ego);
}

static void import_ego(importer *im)
{
    uint32_t ego = im->o->ego;
    char file[64];
    read_features(im, ego, true, true);
    snprintf(file, sizeof file, "%u.edges", (unsigned)ego);
    set_path(im, file);
    read_edges(im);
    if (ps_diag_nerrors(im->d) || im->oom)
        return;
    create_people(im, ego);
    if (ps_diag_nerrors(im->d) || im->oom)
        return;
    im->st.egos = 1;
    snprintf(file, sizeof file, "%u.circles", (unsigned)ego);
    set_path(im, file);
    if (exists(im->path))
        read_circles(im, user_of(im, ego));
    create_networks(im);
}

static void import_combined(importer *im)
{
    set_path(im, "facebook_combined.txt");
    read_edges(im);
    if (ps_diag_nerrors(im->d) || im->oom)
        return;
    create_people(im, PS_NONE);
    if (ps_diag_nerrors(im->d) || im->oom)
        return;
    u32vec egos = {0};
    if (find_egos(im, &egos) == 0) {
        for (size_t i = 0; i < egos.n && !im->oom && !ps_diag_full(im->d); i++) {
            uint32_t ego = egos.v[i];
            uint32_t owner = user_of(im, ego);
            char file[64];
            snprintf(file, sizeof file, "%u.circles", (unsigned)ego);
            set_path(im, file);
            if (owner == PS_NONE) {
                ps_loc none = {0, 0};
                ps_diag_set_source(im->d, im->o->dir, NULL, 0);
                ps_diag_warning(im->d, none,
                                "ego %u is not in facebook_combined.txt; its circles and "
                                "features are left out", (unsigned)ego);
                continue;
            }
            im->st.egos++;
            if (exists(im->path))
                read_circles(im, owner);
            read_features(im, ego, false, false);
        }
    }
    free(egos.v);
    create_networks(im);
}

int ps_snap_import(const ps_snap_opts *o, ps_model **out, ps_snap_stats *stats, ps_diag *d)
{
    importer im = { .o = o, .d = d };
    *out = NULL;
    if (stats)
        memset(stats, 0, sizeof *stats);
    struct stat sb;
    if (stat(o->dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        ps_loc none = {0, 0};
        ps_diag_set_source(d, o->dir, NULL, 0);
        ps_diag_error(d, none, "%s", stat(o->dir, &sb) != 0 ? strerror(errno)
                                                            : "not a directory");
        ps_diag_set_source(d, NULL, NULL, 0);
        return PS_SNAP_EINPUT;
    }
    uint32_t errors_before = ps_diag_nerrors(d);
    im.m = ps_model_new();
    if (!im.m)
        return PS_SNAP_ENOMEM;
    if (o->combined)
        import_combined(&im);
    else
        import_ego(&im);
    ps_diag_set_source(d, NULL, NULL, 0);

    int rc = 0;
    if (im.oom || d->oom)
        rc = PS_SNAP_ENOMEM;
    else if (ps_diag_nerrors(d) != errors_before)
        rc = PS_SNAP_EINPUT;
    if (rc == 0) {
        im.st.people = im.m->nusers;
        im.st.friendships = ps_model_nfriendships(im.m);
        if (im.m->adj_stale)
            rc = PS_SNAP_ENOMEM;
    }
    netname *e, *tmp;
    HASH_ITER(hh, im.names, e, tmp) {
        HASH_DEL(im.names, e);
        free(e->name);
        free(e);
    }
    free(im.nets);
    free(im.cols);
    free(im.ids.v);
    free(im.edges.v);
    free(im.memb.v);
    if (rc) {
        ps_model_free(im.m);
        return rc;
    }
    if (stats)
        *stats = im.st;
    *out = im.m;
    return 0;
}
