/* sarif.c - the SARIF 2.1.0 writer (see sarif.h). */
#include "sarif.h"
#include "version.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Appends `s` percent-encoded (RFC 3986: unreserved characters and '/' stay). */
static size_t put_encoded(char *buf, size_t cap, size_t len, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned c = *p;
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
        if (keep) {
            if (len + 1 < cap)
                buf[len] = (char)c;
            len++;
        } else {
            if (len + 3 < cap) {
                buf[len] = '%';
                buf[len + 1] = hex[c >> 4];
                buf[len + 2] = hex[c & 15];
            }
            len += 3;
        }
    }
    if (cap)
        buf[len < cap ? len : cap - 1] = 0;
    return len;
}

/* The absolute, lexically normalized form of `path` (".", ".." and "//" resolved against
 * the current directory) into buf; NULL if it does not fit. */
static char *absolute(const char *path, char *buf, size_t cap)
{
    char tmp[PATH_MAX * 2];
    if (path[0] == '/') {
        snprintf(tmp, sizeof tmp, "%s", path);
    } else {
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof cwd))
            return NULL;
        snprintf(tmp, sizeof tmp, "%s/%s", cwd, path);
    }
    size_t len = 0;
    buf[0] = 0;
    for (char *save = NULL, *seg = strtok_r(tmp, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
        if (strcmp(seg, ".") == 0)
            continue;
        if (strcmp(seg, "..") == 0) {
            while (len > 0 && buf[len - 1] != '/')
                len--;
            if (len > 0)
                len--;
            buf[len] = 0;
            continue;
        }
        size_t n = strlen(seg);
        if (len + 1 + n + 1 > cap)
            return NULL;
        buf[len++] = '/';
        memcpy(buf + len, seg, n + 1);
        len += n;
    }
    if (len == 0)
        snprintf(buf, cap, "/");
    return buf;
}

const char *ps_uri_encode(const char *s, char *buf, size_t cap)
{
    put_encoded(buf, cap, 0, s);
    return buf;
}

const char *ps_sarif_relpath(const char *base, const char *path, char *buf, size_t cap,
                             bool *relative)
{
    char abs[PATH_MAX * 2];
    size_t blen = strlen(base);
    *relative = false;
    if (!absolute(path, abs, sizeof abs)) {
        snprintf(buf, cap, "%s", path);
        *relative = path[0] != '/';
    } else if (strcmp(base, "/") == 0) {
        snprintf(buf, cap, "%s", abs + 1);
        *relative = true;
    } else if (strncmp(abs, base, blen) == 0 && abs[blen] == '/') {
        snprintf(buf, cap, "%s", abs + blen + 1);
        *relative = true;
    } else {
        snprintf(buf, cap, "%s", abs);
    }
    return buf;
}

const char *ps_sarif_uri(const char *base, const char *path, char *buf, size_t cap,
                         bool *relative)
{
    char rel[PATH_MAX * 2];
    ps_sarif_relpath(base, path, rel, sizeof rel, relative);
    size_t len = *relative ? 0 : (size_t)snprintf(buf, cap, "file://");
    put_encoded(buf, cap, len < cap ? len : cap, rel);
    return buf;
}

char *ps_sarif_base(const char *base_dir)
{
    char abs[PATH_MAX * 2];
    if (!absolute(base_dir ? base_dir : ".", abs, sizeof abs))
        snprintf(abs, sizeof abs, "/");
    return strdup(abs);
}

static void write_rule(ps_json *j, const ps_sarif_rule *r)
{
    ps_json_object(j);
    ps_json_kstr(j, "id", r->id);
    ps_json_kstr(j, "name", r->name);
    static const char *const keys[][2] = {
        { "shortDescription", "text" }, { "fullDescription", "text" }, { "help", "text" },
        { "defaultConfiguration", "level" },
    };
    const char *values[] = { r->text, r->text, r->help, r->level };
    for (size_t i = 0; i < 4; i++) {
        ps_json_kobject(j, keys[i][0]);
        ps_json_kstr(j, keys[i][1], values[i]);
        ps_json_object_end(j);
    }
    ps_json_object_end(j);
}

int ps_sarif_begin(ps_sarif *s, FILE *out, const ps_sarif_rule *rules, size_t nrules,
                   const char *base_dir)
{
    memset(s, 0, sizeof *s);
    s->base = ps_sarif_base(base_dir);
    if (!s->base)
        return -1;
    s->rules = rules;
    s->nrules = nrules;
    ps_json *j = &s->j;
    ps_json_init(j, out, 3);
    ps_json_object(j);
    ps_json_kstr(j, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    ps_json_kstr(j, "version", "2.1.0");
    ps_json_karray(j, "runs");
    ps_json_object(j);
    ps_json_kobject(j, "tool");
    ps_json_kobject(j, "driver");
    ps_json_kstr(j, "name", "privsim");
    ps_json_kstr(j, "version", PS_VERSION);
    ps_json_karray(j, "rules");
    for (size_t i = 0; i < nrules; i++)
        write_rule(j, &rules[i]);
    ps_json_array_end(j);
    ps_json_object_end(j);
    ps_json_object_end(j);
    /* where relative URIs start from: the base directory, as a file:// URI ending in / */
    char uri[PATH_MAX * 4];
    size_t len = (size_t)snprintf(uri, sizeof uri, "file://");
    len = put_encoded(uri, sizeof uri, len, s->base);
    if (len + 1 < sizeof uri && (len == 0 || uri[len - 1] != '/')) {
        uri[len] = '/';
        uri[len + 1] = 0;
    }
    ps_json_kobject(j, "originalUriBaseIds");
    ps_json_kobject(j, "SRCROOT");
    ps_json_kstr(j, "uri", uri);
    ps_json_object_end(j);
    ps_json_object_end(j);
    ps_json_karray(j, "results");
    return 0;
}

static void write_physical(ps_sarif *s, const ps_sarif_loc *l)
{
    ps_json *j = &s->j;
    char uri[PATH_MAX * 4];
    bool rel;
    ps_sarif_uri(s->base, l->path ? l->path : "scenario.psim", uri, sizeof uri, &rel);
    ps_json_kobject(j, "physicalLocation");
    ps_json_kobject(j, "artifactLocation");
    ps_json_kstr(j, "uri", uri);
    if (rel)
        ps_json_kstr(j, "uriBaseId", "SRCROOT");
    ps_json_object_end(j);
    ps_json_kobject(j, "region");
    ps_json_kuint(j, "startLine", l->line ? l->line : 1);
    ps_json_kuint(j, "startColumn", l->col ? l->col : 1);
    ps_json_object_end(j);
    ps_json_object_end(j);
}

static void write_location(ps_sarif *s, const ps_sarif_loc *l, int id)
{
    ps_json *j = &s->j;
    ps_json_object(j);
    if (id >= 0)
        ps_json_kuint(j, "id", (uint64_t)id);
    write_physical(s, l);
    if (l->message) {
        ps_json_kobject(j, "message");
        ps_json_kstr(j, "text", l->message);
        ps_json_object_end(j);
    }
    ps_json_object_end(j);
}

void ps_sarif_result_begin(ps_sarif *s, size_t rule, const char *message, const ps_sarif_loc *at,
                           const ps_sarif_loc *related, size_t nrelated, const char *fp_key,
                           const char *fp)
{
    ps_json *j = &s->j;
    const ps_sarif_rule *r = &s->rules[rule < s->nrules ? rule : 0];
    ps_json_object(j);
    ps_json_kstr(j, "ruleId", r->id);
    ps_json_kuint(j, "ruleIndex", rule);
    ps_json_kstr(j, "level", r->level);
    ps_json_kobject(j, "message");
    ps_json_kstr(j, "text", message);
    ps_json_object_end(j);
    ps_json_karray(j, "locations");
    write_location(s, at, -1);
    ps_json_array_end(j);
    if (nrelated) {
        ps_json_karray(j, "relatedLocations");
        for (size_t i = 0; i < nrelated; i++)
            write_location(s, &related[i], (int)i + 1);
        ps_json_array_end(j);
    }
    if (fp_key && fp) {
        ps_json_kobject(j, "partialFingerprints");
        ps_json_kstr(j, fp_key, fp);
        ps_json_object_end(j);
    }
    s->nresults++;
}

void ps_sarif_result_end(ps_sarif *s)
{
    ps_json_object_end(&s->j);
}

void ps_sarif_end(ps_sarif *s, bool ok, const ps_diag *ds, size_t nd)
{
    ps_json *j = &s->j;
    ps_json_array_end(j); /* results */
    ps_json_karray(j, "invocations");
    ps_json_object(j);
    ps_json_kbool(j, "executionSuccessful", ok);
    size_t total = 0;
    for (size_t k = 0; k < nd; k++)
        total += ds[k].n;
    if (total)
        ps_json_karray(j, "toolExecutionNotifications");
    for (size_t k = 0; k < nd; k++) {
        const ps_diag *d = &ds[k];
        for (uint32_t i = 0; i < d->n; i++) {
            const ps_diag_entry *e = &d->v[i];
            ps_json_object(j);
            ps_json_kstr(j, "level", e->level == PS_DIAG_ERROR ? "error" : "warning");
            ps_json_kobject(j, "message");
            ps_json_kstr(j, "text", e->msg);
            ps_json_object_end(j);
            ps_json_karray(j, "locations");
            ps_sarif_loc l = { e->path, e->loc.line, e->loc.col, NULL };
            write_location(s, &l, -1);
            ps_json_array_end(j);
            ps_json_object_end(j);
        }
    }
    if (total)
        ps_json_array_end(j);
    ps_json_object_end(j);
    ps_json_array_end(j); /* invocations */
    ps_json_object_end(j); /* run */
    ps_json_array_end(j);  /* runs */
    ps_json_object_end(j);
    ps_json_finish(j);
    free(s->base);
    s->base = NULL;
}
