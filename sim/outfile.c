/* outfile.c - output files written atomically (see outfile.h). */
#include "outfile.h"
#include "atomic.h"
#include "term.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int ps_output_open(ps_output *o, const char *path)
{
    memset(o, 0, sizeof *o);
    if (!path || strcmp(path, "-") == 0) {
        o->f = stdout;
        return 0;
    }
    ps_atomic_file a;
    if (ps_atomic_open(&a, path) != 0) {
        if (errno == EEXIST) {
            fputs("privsim: refusing to write the output over the input file '", stderr);
            ps_term_str(stderr, path);
            fputs("'; choose another output file\n", stderr);
            return PS_OUTPUT_REFUSED;
        }
        fputs("privsim: cannot write '", stderr);
        ps_term_str(stderr, path);
        fprintf(stderr, "': %s\n", errno == ENOMEM ? "out of memory" : strerror(errno));
        return -1;
    }
    o->f = a.f;
    o->path = a.path;
    o->tmp = a.tmp;
    return 0;
}

int ps_output_close(ps_output *o, bool ok)
{
    if (o->f == stdout || !o->f)
        return 0;
    ps_atomic_file a = { o->f, o->path, o->tmp };
    char *path = strdup(o->path);
    memset(o, 0, sizeof *o);
    if (!ok) {
        ps_atomic_abort(&a);
        free(path);
        return 0;
    }
    int rc = 0;
    if (ps_atomic_commit(&a) != 0) {
        fputs("privsim: cannot write '", stderr);
        ps_term_str(stderr, path ? path : "?");
        fprintf(stderr, "': %s\n", strerror(errno));
        rc = -1;
    }
    free(path);
    return rc;
}
