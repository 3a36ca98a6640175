/* atomic.c - outputs written whole or not at all (see atomic.h). */
#include "atomic.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

/* ---------------------------------------------------------------------------------------
 * Inputs
 * ------------------------------------------------------------------------------------- */

#define MAX_INPUTS 64

static struct { dev_t dev; ino_t ino; } inputs[MAX_INPUTS];
static unsigned ninputs;

void ps_input_note(const char *path)
{
    struct stat st;
    if (!path || ninputs == MAX_INPUTS || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return;
    inputs[ninputs].dev = st.st_dev;
    inputs[ninputs].ino = st.st_ino;
    ninputs++;
}

bool ps_input_is(const char *path)
{
    struct stat st;
    if (!path || stat(path, &st) != 0)
        return false;
    for (unsigned i = 0; i < ninputs; i++)
        if (inputs[i].dev == st.st_dev && inputs[i].ino == st.st_ino)
            return true;
    return false;
}

void ps_input_forget(void)
{
    ninputs = 0;
}

/* ---------------------------------------------------------------------------------------
 * Names: PATH.tmp.PID.XXXXXX beside PATH, and stale ones
 * ------------------------------------------------------------------------------------- */

/* Splits `path` (trailing slashes ignored) into a directory to open and a base name.
 * Both are new strings.  0, or -1 with errno. */
static int split(const char *path, char **dir, char **base)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    size_t b = n;
    while (b > 0 && path[b - 1] != '/')
        b--;
    *dir = b == 0 ? strdup(".") : b == 1 ? strdup("/") : strndup(path, b - 1);
    *base = strndup(path + b, n - b);
    if (!*dir || !*base) {
        free(*dir);
        free(*base);
        errno = ENOMEM;
        return -1;
    }
    return 0;
}

/* "DIR/BASE.tmp.PID.XXXXXX" for mkstemp/mkdtemp.  NULL with errno. */
static char *temp_name(const char *dir, const char *base)
{
    size_t need = strlen(dir) + strlen(base) + 48;
    char *t = malloc(need);
    if (!t) {
        errno = ENOMEM;
        return NULL;
    }
    snprintf(t, need, "%s/%s.tmp.%ld.XXXXXX", dir, base, (long)getpid());
    return t;
}

/* The process id of a temporary name "BASE.tmp.PID.XXXXXX", or 0 when `name` is not one. */
static long temp_pid(const char *name, const char *base)
{
    size_t bl = strlen(base);
    if (strncmp(name, base, bl) != 0 || strncmp(name + bl, ".tmp.", 5) != 0)
        return 0;
    const char *p = name + bl + 5;
    char *end;
    errno = 0;
    long pid = strtol(p, &end, 10);
    if (end == p || *end != '.' || strlen(end + 1) != 6 || pid <= 0 || errno)
        return 0;
    return pid;
}

/* Removes a directory of files (a stage): its entries, then itself.  Best effort. */
static void remove_files_dir(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        int fd = dirfd(d);
        struct dirent *e;
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
                unlinkat(fd, e->d_name, 0);
        closedir(d);
    }
    rmdir(path);
}

/* Removes the temporary files and stages of `base` in `dir` whose process is gone. */
static void clean_stale(const char *dir, const char *base)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    int fd = dirfd(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        long pid = temp_pid(e->d_name, base);
        if (!pid || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        struct stat st;
        if (fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            size_t need = strlen(dir) + strlen(e->d_name) + 2;
            char *p = malloc(need);
            if (p) {
                snprintf(p, need, "%s/%s", dir, e->d_name);
                remove_files_dir(p);
                free(p);
            }
        } else if (S_ISREG(st.st_mode)) {
            unlinkat(fd, e->d_name, 0);
        }
    }
    closedir(d);
}

static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* Syncs the directory that holds `path`, so that a rename in it is on disk. */
static void sync_parent(const char *path)
{
    char *dir, *base;
    if (split(path, &dir, &base) == 0) {
        sync_dir(dir);
        free(dir);
        free(base);
    }
}

/* Flushes, syncs (when `sync`) and closes `f`.  0, or an errno value. */
static int close_synced(FILE *f, bool sync)
{
    int err = 0;
    if (fflush(f) != 0 || ferror(f))
        err = errno ? errno : EIO;
    if (!err && sync && fsync(fileno(f)) != 0 && errno != EINVAL)
        err = errno;
    if (fclose(f) != 0 && !err)
        err = errno;
    return err;
}

static mode_t new_file_mode(mode_t bits)
{
    mode_t um = umask(0);
    umask(um);
    return bits & ~um;
}

/* ---------------------------------------------------------------------------------------
 * Files
 * ------------------------------------------------------------------------------------- */

/* The temporary file of the output being written, so that a run stopped from another thread
 * (runlimits.h) can remove it: privsim's commands write one at a time. */
static char pending[4096];
static pthread_mutex_t pending_lock = PTHREAD_MUTEX_INITIALIZER;

static void pending_set(const char *tmp)
{
    pthread_mutex_lock(&pending_lock);
    snprintf(pending, sizeof pending, "%s", tmp ? tmp : "");
    pthread_mutex_unlock(&pending_lock);
}

void ps_atomic_discard_pending(void)
{
    pthread_mutex_lock(&pending_lock);
    if (pending[0])
        unlink(pending);
    pending[0] = 0;
    pthread_mutex_unlock(&pending_lock);
}

int ps_atomic_open(ps_atomic_file *a, const char *path)
{
    memset(a, 0, sizeof *a);
    if (ps_input_is(path)) {
        errno = EEXIST;
        return -1;
    }
    a->path = strdup(path);
    if (!a->path) {
        errno = ENOMEM;
        return -1;
    }
    /* a device, a FIFO or /dev/stdout is written directly: renaming over it would replace it */
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        if (S_ISDIR(sb.st_mode) || !(a->f = fopen(path, "w"))) {
            int err = S_ISDIR(sb.st_mode) ? EISDIR : errno;
            free(a->path);
            a->path = NULL;
            errno = err;
            return -1;
        }
        return 0;
    }
    char *dir, *base;
    if (split(path, &dir, &base)) {
        free(a->path);
        a->path = NULL;
        return -1;
    }
    clean_stale(dir, base);
    a->tmp = temp_name(dir, base);
    free(dir);
    free(base);
    int fd = a->tmp ? mkstemp(a->tmp) : -1;
    if (fd >= 0)
        fchmod(fd, new_file_mode(0666)); /* mkstemp makes 0600 */
    if (fd < 0 || !(a->f = fdopen(fd, "w"))) {
        int err = errno;
        if (fd >= 0) {
            close(fd);
            unlink(a->tmp);
        }
        free(a->path);
        free(a->tmp);
        memset(a, 0, sizeof *a);
        errno = err;
        return -1;
    }
    pending_set(a->tmp);
    return 0;
}

static void file_free(ps_atomic_file *a)
{
    pending_set(NULL);
    free(a->path);
    free(a->tmp);
    memset(a, 0, sizeof *a);
}

int ps_atomic_commit(ps_atomic_file *a)
{
    if (!a->f) {
        file_free(a);
        return 0;
    }
    int err = close_synced(a->f, a->tmp != NULL);
    a->f = NULL;
    if (a->tmp) {
        if (!err && rename(a->tmp, a->path) != 0)
            err = errno;
        if (err)
            unlink(a->tmp);
        else
            sync_parent(a->path);
    }
    file_free(a);
    errno = err;
    return err ? -1 : 0;
}

void ps_atomic_abort(ps_atomic_file *a)
{
    if (a->f)
        fclose(a->f);
    if (a->tmp)
        unlink(a->tmp);
    file_free(a);
}

int ps_atomic_write(const char *path, const void *data, size_t len)
{
    ps_atomic_file a;
    if (ps_atomic_open(&a, path))
        return -1;
    if (len && fwrite(data, 1, len, a.f) != len) {
        int err = errno ? errno : EIO;
        ps_atomic_abort(&a);
        errno = err;
        return -1;
    }
    return ps_atomic_commit(&a);
}

/* ---------------------------------------------------------------------------------------
 * Directories
 * ------------------------------------------------------------------------------------- */

static char *join(const char *dir, const char *name)
{
    size_t need = strlen(dir) + strlen(name) + 2;
    char *p = malloc(need);
    if (p)
        snprintf(p, need, "%s/%s", dir, name);
    else
        errno = ENOMEM;
    return p;
}

/* Links the entries of `from` that are kept into `to`; checks that no replaced entry is
 * an input.  0, or -1 with errno. */
static int carry_over(const char *from, const char *to, bool (*replaced)(const char *name))
{
    DIR *d = opendir(from);
    if (!d)
        return -1;
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *src = join(from, e->d_name), *dst = src ? join(to, e->d_name) : NULL;
        struct stat st;
        if (!src || !dst) {
            rc = -1;
        } else if (lstat(src, &st) != 0) {
            rc = errno == ENOENT ? 0 : -1; /* removed meanwhile */
        } else if (replaced && replaced(e->d_name)) {
            if (ps_input_is(src)) {
                errno = EEXIST;
                rc = -1;
            }
        } else if (S_ISDIR(st.st_mode)) {
            errno = EISDIR;
            rc = -1;
        } else if (link(src, dst) != 0) {
            rc = -1;
        }
        free(src);
        free(dst);
    }
    int err = errno;
    closedir(d);
    errno = err;
    return rc;
}

static void dir_free(ps_atomic_dir *d)
{
    free(d->dir);
    free(d->stage);
    memset(d, 0, sizeof *d);
}

int ps_make_dirs(const char *dir)
{
    char *p = strdup(dir);
    if (!p) {
        errno = ENOMEM;
        return -1;
    }
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/')
        p[--n] = 0;
    for (char *s = p + 1; ; s++) {
        bool end = *s == 0;
        if (*s == '/' || end) {
            char c = *s;
            *s = 0;
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                int err = errno;
                free(p);
                errno = err;
                return -1;
            }
            *s = c;
        }
        if (end)
            break;
    }
    struct stat st;
    int rc = stat(p, &st);
    if (rc == 0 && !S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        rc = -1;
    }
    free(p);
    return rc;
}

int ps_atomic_dir_open(ps_atomic_dir *d, const char *dir, bool (*replaced)(const char *name))
{
    memset(d, 0, sizeof *d);
    char *parent = NULL, *base = NULL;
    if (split(dir, &parent, &base))
        return -1;
    int err = 0;
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            err = ENOTDIR;
        d->existed = true;
    } else if (errno != ENOENT) {
        err = errno;
    } else if (ps_make_dirs(parent) != 0) {
        err = errno;
    }
    if (!err) {
        clean_stale(parent, base);
        d->dir = strdup(dir);
        d->stage = temp_name(parent, base);
        if (!d->dir || !d->stage)
            err = ENOMEM;
        else if (!mkdtemp(d->stage)) {
            err = errno;
            free(d->stage);
            d->stage = NULL;
        }
    }
    if (!err) {
        chmod(d->stage, d->existed ? (st.st_mode & 07777) : new_file_mode(0777));
        if (d->existed && carry_over(dir, d->stage, replaced) != 0)
            err = errno;
    }
    free(parent);
    free(base);
    if (err) {
        if (d->stage)
            remove_files_dir(d->stage);
        dir_free(d);
        errno = err;
        return -1;
    }
    return 0;
}

FILE *ps_atomic_dir_create(ps_atomic_dir *d, const char *name)
{
    char *p = join(d->stage, name);
    if (!p)
        return NULL;
    FILE *f = fopen(p, "wx");
    int err = errno;
    free(p);
    errno = err;
    return f;
}

int ps_atomic_dir_close_file(FILE *f)
{
    int err = close_synced(f, true);
    errno = err;
    return err ? -1 : 0;
}

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

/* Exchanges two paths atomically (Linux renameat2).  0, or -1 with errno. */
static int exchange(const char *a, const char *b)
{
#ifdef SYS_renameat2
    return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#else
    errno = ENOSYS;
    return -1;
#endif
}

int ps_atomic_dir_commit(ps_atomic_dir *d)
{
    int err = 0;
    sync_dir(d->stage);
    if (!d->existed && rename(d->stage, d->dir) == 0) {
        /* done: there was nothing to keep */
    } else if (exchange(d->stage, d->dir) == 0) {
        /* the stage's name now holds the old set */
        remove_files_dir(d->stage);
    } else if (errno == EINVAL || errno == ENOSYS) {
        /* no atomic exchange on this file system: move the old set aside first, so that it
         * survives under its temporary name if the run stops between the two renames */
        char *old = NULL, *parent = NULL, *base = NULL;
        if (split(d->dir, &parent, &base) == 0 && (old = temp_name(parent, base)) &&
            mkdtemp(old) && rmdir(old) == 0 && rename(d->dir, old) == 0) {
            if (rename(d->stage, d->dir) != 0) {
                err = errno;
                rename(old, d->dir);
            } else {
                remove_files_dir(old);
            }
        } else {
            err = errno ? errno : EIO;
        }
        free(old);
        free(parent);
        free(base);
    } else {
        err = errno;
    }
    if (err)
        remove_files_dir(d->stage);
    else
        sync_parent(d->dir);
    dir_free(d);
    errno = err;
    return err ? -1 : 0;
}

void ps_atomic_dir_abort(ps_atomic_dir *d)
{
    if (d->stage)
        remove_files_dir(d->stage);
    dir_free(d);
}
