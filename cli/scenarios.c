/* scenarios.c - expanding files and directories into scenario files (see scenarios.h). */
#include "scenarios.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int add(ps_scenarios *s, const char *path)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        char **p = realloc(s->paths, cap * sizeof *p);
        if (!p)
            return -2;
        s->paths = p;
        s->cap = cap;
    }
    if (!(s->paths[s->n] = strdup(path)))
        return -2;
    s->n++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_psim(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && strcmp(name + n - 5, ".psim") == 0;
}

/* Adds the .psim files under `dir`, depth-first, sorted; `depth` bounds symlink loops. */
static int walk(ps_scenarios *s, const char *dir, int depth)
{
    if (depth > 32)
        return 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    ps_scenarios names = {0};
    int rc = 0;
    for (struct dirent *e; rc == 0 && (e = readdir(d));)
        if (e->d_name[0] != '.')
            rc = add(&names, e->d_name);
    closedir(d);
    if (names.n)
        qsort(names.paths, names.n, sizeof *names.paths, cmp_str);
    size_t dl = strlen(dir);
    bool slash = dl && dir[dl - 1] == '/';
    for (size_t i = 0; rc == 0 && i < names.n; i++) {
        size_t len = dl + 1 + strlen(names.paths[i]) + 1;
        char *p = malloc(len);
        if (!p) {
            rc = -2;
            break;
        }
        snprintf(p, len, "%s%s%s", dir, slash ? "" : "/", names.paths[i]);
        struct stat sb;
        if (stat(p, &sb) == 0) {
            if (S_ISDIR(sb.st_mode))
                rc = walk(s, p, depth + 1);
            else if (S_ISREG(sb.st_mode) && is_psim(names.paths[i]))
                rc = add(s, p);
        }
        free(p);
    }
    ps_scenarios_free(&names);
    return rc;
}

int ps_scenarios_expand(ps_scenarios *s, const char *cmd, int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        struct stat sb;
        int rc;
        if (strcmp(argv[i], "-") != 0 && stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
            size_t before = s->n;
            rc = walk(s, argv[i], 0);
            if (rc == 0 && s->n == before) {
                fprintf(stderr, "privsim %s: no .psim file under '%s'\n", cmd, argv[i]);
                return -1;
            }
        } else {
            rc = add(s, argv[i]);
        }
        if (rc == -2)
            fprintf(stderr, "privsim %s: out of memory\n", cmd);
        if (rc)
            return rc;
    }
    return 0;
}

void ps_scenarios_free(ps_scenarios *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->paths[i]);
    free(s->paths);
    s->paths = NULL;
    s->n = s->cap = 0;
}

/* The file name of `path` without a directory and without .psim: its start and length. */
static const char *base_name(const char *path, size_t *n)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    *n = strlen(base);
    if (*n > 5 && strcmp(base + *n - 5, ".psim") == 0)
        *n -= 5;
    return base;
}

const char *ps_scenarios_stem(const ps_scenarios *s, size_t i, char *buf, size_t cap)
{
    size_t n, m;
    const char *base = base_name(s->paths[i], &n);
    bool clash = false;
    for (size_t k = 0; k < i && !clash; k++) {
        const char *other = base_name(s->paths[k], &m);
        clash = m == n && memcmp(other, base, n) == 0;
    }
    if (clash)
        snprintf(buf, cap, "%.*s-%zu", (int)n, base, i + 1);
    else
        snprintf(buf, cap, "%.*s", (int)n, base);
    return buf;
}
