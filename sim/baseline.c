/* baseline.c - exposure fingerprints and baseline files (see baseline.h). */
#include "baseline.h"
#include "diag.h"
#include "json_read.h"
#include "parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *ps_exposure_fingerprint(const ps_model *m, const ps_exposure *x, char *buf, size_t cap)
{
    char viewer[512], shape[512];
    snprintf(buf, cap, "%s|%s|%s|%s", m->items[x->item].name,
             ps_viewer_name(m, x->viewer, viewer, sizeof viewer),
             ps_severity_name((ps_severity)x->severity),
             ps_path_shape_text(&x->path, shape, sizeof shape));
    return buf;
}

const char *ps_baseline_file_name(const char *path)
{
    while (path[0] == '.' && path[1] == '/') {
        path += 2;
        while (*path == '/')
            path++;
    }
    return path;
}

static int cmp_entry(const void *a, const void *b)
{
    const ps_baseline_entry *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    return c ? c : strcmp(x->fingerprint, y->fingerprint);
}

static void load_error(const char *path, uint32_t line, uint32_t col, const char *msg)
{
    ps_write_escaped(stderr, path, strlen(path), false);
    if (line)
        fprintf(stderr, ":%u:%u", (unsigned)line, (unsigned)col);
    fprintf(stderr, ": error: %s\n", msg);
}

int ps_baseline_load(const char *path, ps_baseline *out)
{
    memset(out, 0, sizeof *out);
    ps_diag d;
    ps_diag_init(&d);
    char *text = NULL;
    size_t len = 0;
    if (ps_read_file(path, &text, &len, &d)) {
        ps_diag_print(&d, stderr, ps_diag_want_color(stderr));
        bool oom = d.oom;
        ps_diag_free(&d);
        return oom ? -2 : -1;
    }
    ps_diag_free(&d);
    ps_jv doc;
    char err[128];
    uint32_t line = 0, col = 0;
    int rc = ps_jv_parse(text, len, &doc, err, sizeof err, &line, &col);
    if (rc) {
        if (rc == -1)
            load_error(path, line, col, err);
        free(text);
        return rc;
    }
    const char *schema = ps_jv_str(&doc, "schema");
    const ps_jv *list = ps_jv_get(&doc, "exposures");
    char want[64];
    snprintf(want, sizeof want, "privsim.%s/%d", PS_JSON_BASELINE_KIND, PS_JSON_BASELINE_VERSION);
    rc = 0;
    if (!schema || strcmp(schema, want) != 0) {
        load_error(path, 1, 1, "not a privsim baseline (its \"schema\" is not privsim.baseline/1)");
        rc = -1;
    } else if (!list || list->type != PS_JV_ARRAY) {
        load_error(path, 1, 1, "a baseline needs an \"exposures\" array");
        rc = -1;
    }
    if (!rc && list->n && !(out->v = calloc(list->n, sizeof *out->v)))
        rc = -2;
    /* the line of each entry, for messages: the n-th "fingerprint" key of the text */
    const char *scan = text;
    for (uint32_t i = 0; !rc && i < list->n; i++) {
        const char *file = ps_jv_str(&list->v[i], "file");
        const char *fp = ps_jv_str(&list->v[i], "fingerprint");
        if (!file || !fp) {
            snprintf(err, sizeof err, "exposure %u of the baseline lacks \"file\" or "
                                      "\"fingerprint\"", (unsigned)i + 1);
            load_error(path, 0, 0, err);
            rc = -1;
            break;
        }
        const char *at = strstr(scan, "\"fingerprint\"");
        uint32_t l = 0;
        if (at) {
            l = 1;
            for (const char *c = text; c < at; c++)
                l += *c == '\n';
            scan = at + 1;
        }
        ps_baseline_entry *e = &out->v[out->n];
        e->file = strdup(ps_baseline_file_name(file));
        e->fingerprint = strdup(fp);
        e->line = l;
        out->n++;
        if (!e->file || !e->fingerprint)
            rc = -2;
    }
    if (!rc && out->n)
        qsort(out->v, out->n, sizeof *out->v, cmp_entry);
    ps_jv_free(&doc);
    free(text);
    if (rc) {
        if (rc == -2)
            fprintf(stderr, "privsim: out of memory\n");
        ps_baseline_free(out);
    }
    return rc;
}

void ps_baseline_free(ps_baseline *b)
{
    for (size_t i = 0; i < b->n; i++) {
        free(b->v[i].file);
        free(b->v[i].fingerprint);
    }
    free(b->v);
    memset(b, 0, sizeof *b);
}

uint32_t ps_baseline_match(ps_baseline *b, const char *file, const ps_model *m,
                           const ps_report *r, bool *known)
{
    char fp[2048];
    uint32_t n = 0;
    ps_baseline_entry key = { (char *)ps_baseline_file_name(file), fp, 0, false };
    for (uint32_t i = 0; i < r->nexposures; i++) {
        ps_exposure_fingerprint(m, &r->exposures[i], fp, sizeof fp);
        ps_baseline_entry *e = b->n ? bsearch(&key, b->v, b->n, sizeof *b->v, cmp_entry) : NULL;
        known[i] = e != NULL;
        if (e) {
            e->matched = true;
            n++;
        }
    }
    return n;
}

void ps_baseline_gone(const ps_baseline *b, const char *file,
                      void (*fn)(const ps_baseline_entry *e, void *payload), void *payload)
{
    const char *name = ps_baseline_file_name(file);
    for (size_t i = 0; i < b->n; i++)
        if (!b->v[i].matched && strcmp(b->v[i].file, name) == 0)
            fn(&b->v[i], payload);
}

void ps_baseline_json_begin(ps_json *j, FILE *out)
{
    ps_json_init(j, out, 1);
    ps_json_object(j);
    ps_json_schema(j, PS_JSON_BASELINE_KIND, PS_JSON_BASELINE_VERSION);
    ps_json_karray(j, "exposures");
}

void ps_baseline_json_add(ps_json *j, const char *file, const ps_model *m, const ps_report *r)
{
    char buf[2048];
    for (uint32_t i = 0; i < r->nexposures; i++) {
        const ps_exposure *x = &r->exposures[i];
        ps_json_object(j);
        ps_json_kstr(j, "file", ps_baseline_file_name(file));
        ps_json_kstr(j, "fingerprint", ps_exposure_fingerprint(m, x, buf, sizeof buf));
        ps_json_kstr(j, "item", m->items[x->item].name);
        ps_json_kstr(j, "viewer", ps_viewer_name(m, x->viewer, buf, sizeof buf));
        ps_json_kstr(j, "severity", ps_severity_name((ps_severity)x->severity));
        ps_json_kstr(j, "shape", ps_path_shape_text(&x->path, buf, sizeof buf));
        ps_json_object_end(j);
    }
}

void ps_baseline_json_end(ps_json *j)
{
    ps_json_array_end(j);
    ps_json_object_end(j);
    ps_json_finish(j);
}
