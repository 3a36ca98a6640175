/* outfile.c - output files written atomically (see outfile.h). */
#include "outfile.h"

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
    /* a device, a FIFO or /dev/stdout is written directly: renaming over it would replace it */
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        o->f = fopen(path, "w");
        if (!o->f) {
            fprintf(stderr, "privsim: cannot write '%s': %s\n", path, strerror(errno));
            return -1;
        }
        o->path = strdup(path);
        return 0;
    }
    size_t n = strlen(path) + 16;
    o->path = strdup(path);
    o->tmp = malloc(n);
    if (!o->path || !o->tmp) {
        free(o->path);
        free(o->tmp);
        fprintf(stderr, "privsim: out of memory\n");
        return -1;
    }
    snprintf(o->tmp, n, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd >= 0) {
        mode_t um = umask(0);
        umask(um);
        fchmod(fd, 0666 & ~um);
    }
    if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
        fprintf(stderr, "privsim: cannot write '%s': %s\n", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(o->tmp);
        }
        free(o->path);
        free(o->tmp);
        return -1;
    }
    return 0;
}

int ps_output_close(ps_output *o, bool ok)
{
    if (o->f == stdout || !o->f)
        return 0;
    int rc = 0;
    if (fflush(o->f) != 0 || ferror(o->f)) {
        fprintf(stderr, "privsim: cannot write '%s': %s\n", o->path, strerror(errno));
        ok = false;
        rc = -1;
    }
    fclose(o->f);
    if (!o->tmp) {
        /* written in place (a device or a FIFO) */
        free(o->path);
        memset(o, 0, sizeof *o);
        return rc;
    }
    if (ok && rename(o->tmp, o->path) != 0) {
        fprintf(stderr, "privsim: cannot write '%s': %s\n", o->path, strerror(errno));
        rc = -1;
        ok = false;
    }
    if (!ok)
        unlink(o->tmp);
    free(o->path);
    free(o->tmp);
    memset(o, 0, sizeof *o);
    return rc;
}
