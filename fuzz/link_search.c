/* link_search.c - linkages of a person's accounts across the fuzzer's space (see
 * link_search.h). */
#include "link_search.h"

#include "outfile.h"
#include "term.h"
#include "linkage_out.h"
#include "print.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_MAX_POINTS 20000

void ps_link_search_free(ps_link_search *r)
{
    if (!r)
        return;
    for (uint32_t i = 0; i < r->n; i++) {
        free(r->v[i].point);
        free(r->v[i].changes);
    }
    free(r->v);
    free(r);
}

/* A linkage of the baseline: a point's linkage is new unless the baseline has the same
 * viewer linking the same pair with every one of its evidence kinds, at a severity as high. */
typedef struct {
    uint32_t person, a, b, viewer, kinds;
    uint8_t severity;
} lkey;

/* The linkages of one point.  *out (caller frees) holds one entry per linkage; kinds and
 * severities in parallel arrays.  0, or -1 out of memory. */
static int point_linkages(const ps_space *s, const uint8_t *point, ps_linkage_report **out)
{
    ps_model *pm = ps_space_point_model(s, point);
    if (!pm)
        return -1;
    ps_linkage_opts o = { .fixes = false };
    int rc = ps_linkage_check(pm, &o, out);
    ps_model_free(pm);
    return rc;
}

static uint32_t kinds_of(const ps_linkage_report *r, const ps_linkage *l)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < l->nev; i++)
        k |= 1u << r->ev[l->ev_first + i].kind;
    return k;
}

typedef struct {
    const ps_space *s;
    ps_link_search *res;
    lkey *origin; uint32_t norigin;
    uint64_t max_points;
    uint8_t *point;
    bool stop;
    int err;
} search;

/* The baseline's linkage of the same viewer and pair as l, or NULL. */
static const lkey *in_origin(const search *x, const ps_linkage *l)
{
    for (uint32_t i = 0; i < x->norigin; i++)
        if (x->origin[i].person == l->person && x->origin[i].a == l->a &&
            x->origin[i].b == l->b && x->origin[i].viewer == l->viewer)
            return &x->origin[i];
    return NULL;
}

/* Simulates the current point and records new findings. */
static void visit(search *x)
{
    if (x->res->points >= x->max_points) {
        x->stop = true;
        return;
    }
    ps_linkage_report *r;
    if (point_linkages(x->s, x->point, &r)) {
        x->err = -1;
        x->stop = true;
        return;
    }
    x->res->points++;
    for (uint32_t i = 0; i < r->n; i++) {
        const ps_linkage *l = &r->v[i];
        uint32_t kinds = kinds_of(r, l), fresh = kinds;
        const lkey *base = in_origin(x, l);
        if (base) {
            if ((kinds & ~base->kinds) == 0 && base->severity >= l->severity)
                continue;   /* nothing the baseline does not show already */
            if (kinds & ~base->kinds)
                fresh = kinds & ~base->kinds;
        }
        ps_link_finding *f = NULL;
        for (uint32_t j = 0; j < x->res->n && !f; j++) {
            ps_link_finding *g = &x->res->v[j];
            if (g->person == l->person && g->a == l->a && g->b == l->b &&
                g->new_kinds == fresh && g->severity == l->severity)
                f = g;
        }
        if (f) {
            /* the same finding at its own point: count its viewers there */
            if (memcmp(f->point, x->point, x->s->ndims) == 0)
                f->nviewers++;
            continue;
        }
        ps_link_finding *nv = realloc(x->res->v, (x->res->n + 1) * sizeof *nv);
        if (!nv) {
            x->err = -1;
            x->stop = true;
            break;
        }
        x->res->v = nv;
        f = &nv[x->res->n];
        memset(f, 0, sizeof *f);
        f->person = l->person;
        f->a = l->a;
        f->b = l->b;
        f->viewer = l->viewer;
        f->severity = l->severity;
        f->kinds = kinds;
        f->new_kinds = fresh;
        f->nviewers = 1;
        f->point = malloc(x->s->ndims + 1);
        f->changes = malloc(((size_t)x->s->ndims + 1) * sizeof *f->changes);
        x->res->n++;
        if (!f->point || !f->changes) {
            x->err = -1;
            x->stop = true;
            break;
        }
        memcpy(f->point, x->point, x->s->ndims);
        uint8_t *o = malloc(x->s->ndims + 1);
        if (!o) {
            x->err = -1;
            x->stop = true;
            break;
        }
        ps_space_origin(x->s, o);
        for (uint32_t d = 0; d < x->s->ndims; d++)
            if (x->point[d] != o[d])
                f->changes[f->nchanges++] = d;
        free(o);
    }
    ps_linkage_report_free(r);
}

/* Every point at distance `left` more from the current one, changing dimensions >= `from`. */
static void walk(search *x, uint32_t from, uint32_t left)
{
    if (x->stop)
        return;
    if (!left) {
        visit(x);
        return;
    }
    const ps_space *s = x->s;
    for (uint32_t d = from; d < s->ndims && !x->stop; d++) {
        uint8_t keep = x->point[d];
        for (uint32_t alt = 0; alt < s->dims[d].nalts && !x->stop; alt++) {
            if (alt == s->dims[d].origin)
                continue;
            x->point[d] = (uint8_t)alt;
            walk(x, d + 1, left - 1);
        }
        x->point[d] = keep;
    }
}

int ps_link_search_run(const ps_model *m, const ps_space *s, uint64_t max_points,
                       ps_link_search **out)
{
    (void)m;
    *out = NULL;
    ps_link_search *res = calloc(1, sizeof *res);
    search x = { .s = s, .res = res, .max_points = max_points ? max_points : DEFAULT_MAX_POINTS };
    x.point = malloc(s->ndims + 1);
    if (!res || !x.point)
        goto fail;
    ps_space_origin(s, x.point);
    ps_linkage_report *r;
    if (point_linkages(s, x.point, &r))
        goto fail;
    x.origin = malloc(((size_t)r->n + 1) * sizeof *x.origin);
    if (!x.origin) {
        ps_linkage_report_free(r);
        goto fail;
    }
    for (uint32_t i = 0; i < r->n; i++)
        x.origin[x.norigin++] = (lkey){ r->v[i].person, r->v[i].a, r->v[i].b, r->v[i].viewer,
                                        kinds_of(r, &r->v[i]), r->v[i].severity };
    res->norigin = x.norigin;
    ps_linkage_report_free(r);
    res->points = 1;
    for (uint32_t dist = 1; dist <= s->ndims && !x.stop; dist++) {
        walk(&x, 0, dist);
        if (!x.stop)
            res->max_distance = dist;
    }
    if (x.err)
        goto fail;
    res->complete = !x.stop;
    free(x.point);
    free(x.origin);
    *out = res;
    return 0;
fail:
    free(x.point);
    free(x.origin);
    ps_link_search_free(res);
    return -1;
}

/* ---------------------------------------------------------------------------------------
 * Output
 * ------------------------------------------------------------------------------------- */

static void kinds_text(uint32_t kinds, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = 0;
    for (unsigned k = 0; k < PS_NEV && len < cap; k++)
        if (kinds & (1u << k))
            len += (size_t)snprintf(buf + len, cap - len, "%s%s", len ? "," : "",
                                    ps_ev_kind_name((ps_ev_kind)k));
}

void ps_link_search_print_text(FILE *out, const ps_model *m, const ps_space *s,
                               const ps_link_search *r)
{
    char vn[512], kb[256];
    fprintf(out, "\nLinkages of persons' accounts: %u found in %llu points (%u at the "
                 "origin)\n", (unsigned)r->n, (unsigned long long)r->points,
            (unsigned)r->norigin);
    if (!r->complete)
        fprintf(out, "  the search stopped after %llu points: points that change more than %u "
                     "dimensions were not all tried\n", (unsigned long long)r->points,
                (unsigned)r->max_distance);
    for (uint32_t i = 0; i < r->n; i++) {
        const ps_link_finding *f = &r->v[i];
        kinds_text(f->kinds, kb, sizeof kb);
        fprintf(out, "  linkage-%03u  %s  ", (unsigned)i + 1,
                ps_severity_name((ps_severity)f->severity));
        ps_term_str(out, ps_viewer_name(m, f->viewer, vn, sizeof vn));
        fputs(" links ", out);
        ps_term_str(out, m->users[f->a].name);
        fputs(" and ", out);
        ps_term_str(out, m->users[f->b].name);
        fprintf(out, " (%s; %u viewer%s)\n", kb, (unsigned)f->nviewers,
                f->nviewers == 1 ? "" : "s");
        fprintf(out, "    needs %u change%s:\n", (unsigned)f->nchanges,
                f->nchanges == 1 ? "" : "s");
        for (uint32_t k = 0; k < f->nchanges; k++) {
            fputs("      ", out);
            ps_term_str(out, ps_space_alt_text(s, f->changes[k], f->point[f->changes[k]]));
            fputc('\n', out);
        }
    }
}

/* One finding as the object of linkage-findings[] (and of its SARIF result's properties). */
static void json_finding(ps_json *j, const ps_model *m, const ps_space *s,
                         const ps_link_finding *f)
{
    char vn[512];
    ps_json_object(j);
    ps_json_kstr(j, "person", m->persons->v[f->person].name);
    ps_json_karray(j, "accounts");
    ps_json_string(j, m->users[f->a].name);
    ps_json_string(j, m->users[f->b].name);
    ps_json_array_end(j);
    ps_json_kstr(j, "viewer", ps_viewer_name(m, f->viewer, vn, sizeof vn));
    ps_json_kstr(j, "severity", ps_severity_name((ps_severity)f->severity));
    ps_json_kuint(j, "viewers", f->nviewers);
    ps_json_karray(j, "evidence");
    for (unsigned k = 0; k < PS_NEV; k++)
        if (f->kinds & (1u << k))
            ps_json_string(j, ps_ev_kind_name((ps_ev_kind)k));
    ps_json_array_end(j);
    ps_json_karray(j, "changes");
    for (uint32_t k = 0; k < f->nchanges; k++)
        ps_json_string(j, ps_space_alt_text(s, f->changes[k], f->point[f->changes[k]]));
    ps_json_array_end(j);
    ps_json_object_end(j);
}

void ps_link_search_print_json_members(FILE *out, const ps_model *m, const ps_space *s,
                                       const ps_link_search *r)
{
    fprintf(out, "\"linkage-search\":{\"points\":%llu,\"complete\":%s,\"max-distance\":%u,"
                 "\"origin-linkages\":%u},\"linkage-findings\":[",
            (unsigned long long)r->points, r->complete ? "true" : "false",
            (unsigned)r->max_distance, (unsigned)r->norigin);
    for (uint32_t i = 0; i < r->n; i++) {
        ps_json j;
        if (i)
            fputc(',', out);
        ps_json_init(&j, out, 0);
        json_finding(&j, m, s, &r->v[i]);
        ps_json_finish_value(&j);
    }
    fputc(']', out);
}

int ps_link_search_write(const char *dir, const ps_model *m, const ps_space *s,
                         const ps_link_search *r)
{
    DIR *d = opendir(dir);
    if (d) {
        for (struct dirent *e; (e = readdir(d));) {
            size_t len = strlen(e->d_name);
            if (strncmp(e->d_name, "linkage-", 8) == 0 && len > 5 &&
                strcmp(e->d_name + len - 5, ".psim") == 0) {
                char p[4096];
                snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
                unlink(p);
            }
        }
        closedir(d);
    }
    char vn[512], kb[256];
    for (uint32_t i = 0; i < r->n; i++) {
        const ps_link_finding *f = &r->v[i];
        char path[4096];
        snprintf(path, sizeof path, "%s/linkage-%03u.psim", dir, (unsigned)i + 1);
        ps_model *pm = ps_space_point_model(s, f->point);
        if (!pm) {
            fprintf(stderr, "privsim fuzz: out of memory\n");
            return -1;
        }
        ps_output o;
        if (ps_output_open(&o, path)) {
            ps_model_free(pm);
            return -1;
        }
        kinds_text(f->kinds, kb, sizeof kb);
        fprintf(o.f, "# privsim fuzz: %s links %s and %s, accounts of person %s (%s: %s)\n",
                ps_viewer_name(m, f->viewer, vn, sizeof vn), m->users[f->a].name,
                m->users[f->b].name, m->persons->v[f->person].name,
                ps_severity_name((ps_severity)f->severity), kb);
        fprintf(o.f, "# changes from the search's origin:\n");
        for (uint32_t k = 0; k < f->nchanges; k++)
            fprintf(o.f, "#   %s\n", ps_space_alt_text(s, f->changes[k], f->point[f->changes[k]]));
        bool ok = ps_print_scenario(o.f, pm) == 0;
        ps_model_free(pm);
        if (ps_output_close(&o, ok) || !ok)
            return -1;
    }
    return 0;
}

void ps_link_search_sarif(ps_sarif *sw, const ps_model *m, const ps_space *s,
                          const ps_link_search *r, size_t first_rule)
{
    char vn[512], kb[256], txt[4096], fp[1024];
    for (uint32_t i = 0; i < r->n; i++) {
        const ps_link_finding *f = &r->v[i];
        const ps_person *p = &m->persons->v[f->person];
        kinds_text(f->kinds, kb, sizeof kb);
        ps_viewer_name(m, f->viewer, vn, sizeof vn);
        size_t len = (size_t)snprintf(txt, sizeof txt, "%s links accounts %s and %s of person "
                                                       "%s (%s: %s) after %u change%s:",
                                      vn, m->users[f->a].name, m->users[f->b].name, p->name,
                                      ps_severity_name((ps_severity)f->severity), kb,
                                      (unsigned)f->nchanges, f->nchanges == 1 ? "" : "s");
        for (uint32_t k = 0; k < f->nchanges && len < sizeof txt; k++)
            len += (size_t)snprintf(txt + len, sizeof txt - len, "%s %s", k ? ";" : "",
                                    ps_space_alt_text(s, f->changes[k], f->point[f->changes[k]]));
        snprintf(fp, sizeof fp, "%s|%s|%s|%s", p->name, m->users[f->a].name,
                 m->users[f->b].name, kb);
        ps_sarif_loc at = { m->path ? m->path : "", p->loc.line, p->loc.col, NULL };
        size_t rule = first_rule + (size_t)(PS_SEV_FORBIDDEN - f->severity);
        ps_sarif_result_begin(sw, rule, txt, &at, NULL, 0, "privsimLinkage/v1", fp);
        ps_json *j = ps_sarif_json(sw);
        ps_json_key(j, "properties");
        json_finding(j, m, s, f);
        ps_sarif_result_end(sw);
    }
}
