/* atomic.h - outputs written whole or not at all.
 *
 * A file is written to a temporary file beside it (NAME.tmp.PID.XXXXXX), flushed to disk
 * and renamed over NAME; a directory of results is built beside the old one
 * (DIR.tmp.PID.XXXXXX) and exchanged with it in one rename.  A run that is killed leaves
 * either the old output or the new one, never a mix; the temporary file or directory it
 * leaves is removed by the next run that writes the same output (once its process is gone).
 *
 * Outputs never replace the files a command reads: ps_input_note() records each input
 * (device and inode), and the functions here refuse an output that is one of them.
 */
#ifndef PS_ATOMIC_H
#define PS_ATOMIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Records `path` as an input of this run (a file privsim reads).  Paths that do not exist
 * are ignored. */
void ps_input_note(const char *path);
/* Whether `path` names a recorded input (same device and inode). */
bool ps_input_is(const char *path);
/* Forgets every recorded input. */
void ps_input_forget(void);

/* A file being written.  `f` is the stream to write; `tmp` is NULL when `path` is not a
 * regular file (a device or a FIFO is written in place). */
typedef struct {
    FILE *f;
    char *path;  /* owned */
    char *tmp;   /* owned */
} ps_atomic_file;

/* Opens a temporary file for `path` after removing stale temporary files of `path` left
 * by runs that were killed.  0, or -1 with errno set (EEXIST: `path` is an input). */
int ps_atomic_open(ps_atomic_file *a, const char *path);
/* Flushes, syncs and renames the file into place.  0, or -1 with errno set (the temporary
 * file is then removed).  Frees `a` either way. */
int ps_atomic_commit(ps_atomic_file *a);
/* Removes the temporary file and frees `a`. */
void ps_atomic_abort(ps_atomic_file *a);
/* Removes the temporary file of the output being written, if any (for a run stopped before
 * it could commit or abort it). */
void ps_atomic_discard_pending(void);
/* The whole of `data` as `path`, through ps_atomic_open/commit.  0, or -1 with errno. */
int ps_atomic_write(const char *path, const void *data, size_t len);

/* mkdir -p: creates `dir` and its missing parents.  0, or -1 with errno set (ENOTDIR when
 * `dir` exists and is not a directory). */
int ps_make_dirs(const char *dir);

/* A directory being rebuilt.  Entries of the old directory for which `replaced(name)` is
 * false are carried over (hard links); the others are left out of the new set. */
typedef struct {
    char *dir;    /* owned: the directory as named */
    char *stage;  /* owned: the new set, beside it */
    bool existed; /* `dir` existed when the stage was made */
} ps_atomic_dir;

/* Makes the stage (after removing stale stages of runs that were killed).  0, or -1 with
 * errno set: EEXIST when an entry to be replaced is an input, EISDIR when the old
 * directory holds a subdirectory (it would not survive the exchange), ENOTDIR when `dir`
 * is not a directory. */
int ps_atomic_dir_open(ps_atomic_dir *d, const char *dir, bool (*replaced)(const char *name));
/* Opens stage/NAME for writing; close it with ps_atomic_dir_close_file().  NULL with errno. */
FILE *ps_atomic_dir_create(ps_atomic_dir *d, const char *name);
/* Flushes, syncs and closes a file of the stage.  0, or -1 with errno. */
int ps_atomic_dir_close_file(FILE *f);
/* Swaps the stage in for the directory and removes the old set.  0, or -1 with errno (the
 * old directory is then untouched).  Frees `d` either way. */
int ps_atomic_dir_commit(ps_atomic_dir *d);
/* Removes the stage and frees `d`. */
void ps_atomic_dir_abort(ps_atomic_dir *d);

#endif
