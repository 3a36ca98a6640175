/* oom.h - running out of memory is an answer: `privsim: out of memory` and exit status 3.
 *
 * Include this instead of <uthash.h>: it makes uthash's fatal error (a HASH_ADD that cannot
 * allocate its table) call ps_oom_exit() rather than uthash's default exit(-1), which left
 * the process with status 255 and no message. */
#ifndef PS_OOM_H
#define PS_OOM_H

/* Writes "privsim: out of memory" to stderr and ends the process with status 3 at once
 * (from any thread: nothing else runs, no output is committed). */
_Noreturn void ps_oom_exit(void);

#define uthash_fatal(msg) ps_oom_exit()
#include <uthash.h>

#endif
