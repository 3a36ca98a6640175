/* test_regressions.c - every crash the fuzzers ever found, and every seed of their corpora,
 * replayed through the same code the libFuzzer targets run (fuzz/targets.h).
 *
 * corpus/regressions/<target>-<what>   inputs that once crashed, hung or leaked (kept forever)
 * corpus/fuzz_<target>/                the seed inputs of each target
 *
 * A target aborts on a broken invariant, which fails the test; under `make SAN=1 check` the
 * sanitizers catch memory errors and leaks as well.
 */
#include <criterion/criterion.h>

#include "targets.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (*target_fn)(const uint8_t *data, size_t size);

static void replay_file(const char *path, target_fn fn)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot open %s", path);
    uint8_t *buf = malloc(PS_FUZZ_MAX_INPUT + 1);
    cr_assert(buf);
    size_t n = fread(buf, 1, PS_FUZZ_MAX_INPUT + 1, f);
    fclose(f);
    cr_assert(fn(buf, n) == 0, "%s", path);
    free(buf);
}

/* Replays every file of `dir` whose name starts with `prefix`; returns how many. */
static unsigned replay_dir(const char *dir, const char *prefix, target_fn fn)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *e;
    unsigned n = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || strncmp(e->d_name, prefix, strlen(prefix)))
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        replay_file(path, fn);
        n++;
    }
    closedir(d);
    return n;
}

static void replay(const char *target, target_fn fn)
{
    char dir[256], prefix[64];
    snprintf(dir, sizeof dir, "corpus/fuzz_%s", target);
    snprintf(prefix, sizeof prefix, "%s-", target);
    unsigned seeds = replay_dir(dir, "", fn);
    cr_expect(seeds > 0, "%s holds no seed inputs", dir);
    replay_dir("corpus/regressions", prefix, fn);
}

Test(regressions, fuzz_scenario, .timeout = 300) { replay("scenario", ps_fuzz_scenario_one); }
Test(regressions, fuzz_engine, .timeout = 300) { replay("engine", ps_fuzz_engine_one); }
Test(regressions, fuzz_settings, .timeout = 300) { replay("settings", ps_fuzz_settings_one); }

/* The targets ignore what they cannot read, whatever the bytes. */
Test(regressions, odd_inputs)
{
    static const uint8_t empty[1] = {0};
    static const uint8_t junk[] = { 0xff, 0x00, 0xfe, '\n', '"', '\\', 0x00, 0x01 };
    target_fn fns[] = { ps_fuzz_scenario_one, ps_fuzz_engine_one, ps_fuzz_settings_one };
    for (int i = 0; i < 3; i++) {
        cr_expect(fns[i](empty, 0) == 0);
        cr_expect(fns[i](junk, sizeof junk) == 0);
    }
}
