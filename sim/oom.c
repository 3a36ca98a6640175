/* oom.c - the process-wide answer to an allocation that cannot be recovered (see oom.h). */
#include "oom.h"
#include "runlimits.h"

#include <string.h>
#include <unistd.h>

_Noreturn void ps_oom_exit(void)
{
    char buf[512];
    const char *msg = ps_limits_describe(buf, sizeof buf); /* names --max-memory if given */
    if (write(STDERR_FILENO, msg, strlen(msg)) < 0) {
        /* nothing more can be said */
    }
    _exit(3);
}
