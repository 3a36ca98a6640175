/* failalloc.c - an allocator that fails on request, for the out-of-memory tests only.
 *
 * Linked into build/privsim-failalloc with `-Wl,--wrap=malloc,--wrap=calloc,...`, so that
 * every allocation privsim's own code makes goes through here (allocations inside the C
 * library and Graphviz do not).  Environment:
 *   PRIVSIM_FAIL_ALLOC_AT=K        the K-th allocation (counting from 1) fails
 *   PRIVSIM_FAIL_ALLOC_PERSIST=1   ... and every one after it
 *   PRIVSIM_ALLOC_COUNT=1          print "privsim-allocations: N" on stderr at exit
 * Without them the wrappers only count.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

static atomic_ullong calls;
static unsigned long long fail_at;   /* 0: never */
static int persist;
static atomic_int ready;

static void setup(void)
{
    if (atomic_load(&ready))
        return;
    const char *k = getenv("PRIVSIM_FAIL_ALLOC_AT");
    const char *p = getenv("PRIVSIM_FAIL_ALLOC_PERSIST");
    fail_at = k ? strtoull(k, NULL, 10) : 0;
    persist = p && *p == '1';
    atomic_store(&ready, 1);
}

/* Whether this allocation fails. */
static int fails(void)
{
    setup();
    unsigned long long c = atomic_fetch_add(&calls, 1) + 1;
    return fail_at && (c == fail_at || (persist && c > fail_at));
}

__attribute__((destructor)) static void report(void)
{
    const char *r = getenv("PRIVSIM_ALLOC_COUNT");
    if (r && *r == '1') {
        char buf[64];
        int n = snprintf(buf, sizeof buf, "privsim-allocations: %llu\n",
                         (unsigned long long)atomic_load(&calls));
        if (n > 0 && write(2, buf, (size_t)n) < 0)
            return;
    }
}

void *__wrap_malloc(size_t n) { return fails() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t size) { return fails() ? NULL : __real_calloc(n, size); }
void *__wrap_realloc(void *p, size_t n) { return fails() ? NULL : __real_realloc(p, n); }
char *__wrap_strdup(const char *s) { return fails() ? NULL : __real_strdup(s); }
char *__wrap_strndup(const char *s, size_t n) { return fails() ? NULL : __real_strndup(s, n); }
