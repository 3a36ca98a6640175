/* test_lint.c - `privsim lint` and `privsim fmt` as a user runs them: the summary of every
 * example against its golden file (UPDATE_GOLDEN=1 rewrites them), the JSON output, and the
 * commands' options and exit codes. */
#include "cli.h"
#include "cmd_lang.h"
#include "lang_test.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

/* Runs ps_lint_file on `path` with both streams into one text, as a terminal shows them. */
static char *lint_output(const char *path, int *rc)
{
    char *out = NULL;
    size_t n;
    FILE *f = open_memstream(&out, &n);
    *rc = ps_lint_file(path, f, f, false);
    fclose(f);
    return out;
}

Test(lint, every_example_matches_its_golden_file)
{
    DIR *dir = opendir("corpus/examples");
    cr_assert(dir != NULL, "run the tests from the repository root");
    bool update = getenv("UPDATE_GOLDEN") && strcmp(getenv("UPDATE_GOLDEN"), "1") == 0;
    int checked = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".psim") != 0)
            continue;
        char path[512], golden[512];
        snprintf(path, sizeof path, "corpus/examples/%s", e->d_name);
        snprintf(golden, sizeof golden, "tests/golden/lint/%.*s.out", (int)(len - 5), e->d_name);
        int rc;
        char *out = lint_output(path, &rc);
        cr_expect(eq(int, rc, PS_EXIT_OK), "%s lints clean", path);
        if (update) {
            FILE *g = fopen(golden, "w");
            cr_assert(g != NULL, "cannot write %s", golden);
            fputs(out, g);
            fclose(g);
        } else {
            char *want = slurp(golden, NULL);
            cr_expect(want != NULL, "%s is missing (UPDATE_GOLDEN=1 writes it)", golden);
            if (want)
                cr_expect(eq(str, out, want), "%s", golden);
            free(want);
        }
        free(out);
        checked++;
    }
    closedir(dir);
    cr_assert(ge(int, checked, 7));
}

Test(lint, summary_counts_what_the_scenario_declares)
{
    int rc;
    char *out = lint_output("corpus/examples/al-the-accountant.psim", &rc);
    cr_assert(eq(str, out,
                 "corpus/examples/al-the-accountant.psim: ok: 6 users, 6 friendships, "
                 "1 network, 1 group, 2 lists, 2 personas, 3 items, 2 fields, 1 app, 2 steps, "
                 "5 expects, 0 varies, platform facebook-2010\n"));
    free(out);
}

/* Writes `text` to a temporary file; returns its name (static). */
static const char *temp_scenario(const char *text)
{
    static char name[64];
    snprintf(name, sizeof name, "/tmp/psim-test-XXXXXX");
    int fd = mkstemp(name);
    cr_assert(fd >= 0);
    cr_assert(eq(sz, (size_t)write(fd, text, strlen(text)), strlen(text)));
    close(fd);
    return name;
}

Test(lint, a_file_with_errors_and_one_with_warnings)
{
    const char *bad = temp_scenario("user al\nfriends al bob\n");
    int rc;
    char *out = lint_output(bad, &rc);
    cr_assert(eq(int, rc, PS_EXIT_USAGE));
    char want[512];
    snprintf(want, sizeof want,
             "%s:2:12: error: unknown user 'bob'\n"
             "    2 | friends al bob\n"
             "      |            ^\n", bad);
    cr_assert(eq(str, out, want), "no summary for a file with errors");
    free(out);
    unlink(bad);

    const char *warned = temp_scenario("user al bo\nlist al l bo\n");
    out = lint_output(warned, &rc);
    cr_assert(eq(int, rc, PS_EXIT_OK));
    cr_assert(strstr(out, ": ok (1 warning): 2 users, 0 friendships,") != NULL, "%s", out);
    free(out);
    unlink(warned);
}

/* Lints `path` into a JSON string through a writer (the caller frees); *rc gets the result. */
static char *lint_json(const char *path, int *rc)
{
    char *out = NULL;
    size_t n;
    FILE *f = open_memstream(&out, &n);
    ps_json j;
    ps_json_init(&j, f, 0);
    *rc = ps_lint_file_json(path, &j);
    fclose(f);
    return out;
}

Test(lint, json_output)
{
    const char *bad = temp_scenario("user al\nfriends al \"x\\\"y\"\n");
    int rc;
    char *out = lint_json(bad, &rc);
    cr_assert(eq(int, rc, PS_EXIT_USAGE));
    char want[1024];
    snprintf(want, sizeof want,
             "{\"file\":\"%s\",\"ok\":false,\"errors\":1,\"warnings\":0,"
             "\"platform\":null,\"counts\":null,\"diagnostics\":["
             "{\"level\":\"error\",\"line\":2,\"column\":12,\"message\":"
             "\"expected the name of a friend, found a string\"}]}", bad);
    cr_assert(eq(str, out, want));
    free(out);
    unlink(bad);

    out = lint_json("corpus/examples/apps-quiz.psim", &rc);
    cr_assert(eq(int, rc, PS_EXIT_OK));
    cr_assert(eq(str, out,
                 "{\"file\":\"corpus/examples/apps-quiz.psim\",\"ok\":true,\"errors\":0,"
                 "\"warnings\":0,\"platform\":\"facebook-2009\",\"counts\":{\"users\":5,"
                 "\"friendships\":4,\"networks\":0,\"groups\":0,\"lists\":0,"
                 "\"personas\":0,\"items\":1,\"fields\":3,\"apps\":2,\"steps\":1,"
                 "\"expects\":6,\"varies\":0},\"diagnostics\":[]}"));
    free(out);
}

/* Runs a command entry point with stdout and stderr sent to files; returns its exit code
 * and what it wrote (the caller frees). */
static int run_cmd(int (*cmd)(int, char **), int argc, char **argv, char **out, char **err)
{
    char on[] = "/tmp/psim-out-XXXXXX", en[] = "/tmp/psim-err-XXXXXX";
    int ofd = mkstemp(on), efd = mkstemp(en);
    fflush(stdout);
    fflush(stderr);
    int so = dup(1), se = dup(2);
    dup2(ofd, 1);
    dup2(efd, 2);
    int rc = cmd(argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(so, 1);
    dup2(se, 2);
    close(so);
    close(se);
    close(ofd);
    close(efd);
    *out = slurp(on, NULL);
    *err = slurp(en, NULL);
    unlink(on);
    unlink(en);
    return rc;
}

Test(lint, command_line)
{
    char *out, *err;
    char *help[] = {"lint", "--help", NULL};
    cr_assert(eq(int, run_cmd(ps_cmd_lint, 2, help, &out, &err), PS_EXIT_OK));
    cr_assert(strncmp(out, "usage: privsim lint", 19) == 0);
    free(out);
    free(err);

    char *none[] = {"lint", NULL};
    cr_assert(eq(int, run_cmd(ps_cmd_lint, 1, none, &out, &err), PS_EXIT_USAGE));
    cr_assert(eq(str, err, "privsim lint: no scenario file given\n"
                           "Try 'privsim lint --help'.\n"));
    free(out);
    free(err);

    char *two[] = {"lint", "--format", "json", "corpus/examples/apps-quiz.psim",
                   "no-such.psim", NULL};
    cr_assert(eq(int, run_cmd(ps_cmd_lint, 5, two, &out, &err), PS_EXIT_USAGE));
    cr_assert(strncmp(out, "{\"schema\":\"privsim.lint/1\",", 27) == 0, "%s", out);
    cr_assert(strstr(out, "\"files\":[\n{\"file\":\"corpus/examples/apps-quiz.psim\"") != NULL);
    cr_assert(strstr(out, "},\n{\"file\":\"no-such.psim\",\"ok\":false") != NULL);
    cr_assert(strstr(out, "\"message\":\"cannot open file: No such file or directory\"}]}],"
                          "\"summary\":{\"files\":2,\"ok\":1,\"failed\":1}}\n") != NULL,
              "%s", out);
    cr_assert(eq(str, err, ""), "JSON mode writes nothing to stderr");
    free(out);
    free(err);

    char *bad[] = {"lint", "--format", "sarif", "x", NULL};
    cr_assert(eq(int, run_cmd(ps_cmd_lint, 4, bad, &out, &err), PS_EXIT_USAGE));
    free(out);
    free(err);
}

Test(fmt_command, writes_canonical_form_and_checks)
{
    char *out, *err;
    const char *messy = temp_scenario("# kept\nuser b a\nfriends b a\n");
    char *args[] = {"fmt", (char *)messy, NULL};
    cr_assert(eq(int, run_cmd(ps_cmd_fmt, 2, args, &out, &err), PS_EXIT_OK));
    cr_assert(eq(str, out, "# kept\n\nplatform " PS_DEFAULT_PLATFORM "\n\nuser a b\n\n"
                           "friends a b\n"));
    free(err);

    char *check[] = {"fmt", "--check", (char *)messy, NULL};
    char *o2;
    cr_assert(eq(int, run_cmd(ps_cmd_fmt, 3, check, &o2, &err), PS_EXIT_FINDINGS));
    cr_assert(strstr(err, "is not in canonical form") != NULL);
    free(o2);
    free(err);

    /* -o writes the file in place; then it is canonical */
    char *inplace[] = {"fmt", "-o", (char *)messy, (char *)messy, NULL};
    cr_assert(eq(int, run_cmd(ps_cmd_fmt, 4, inplace, &o2, &err), PS_EXIT_OK));
    cr_assert(eq(str, o2, ""));
    free(o2);
    free(err);
    char *written = slurp(messy, NULL);
    cr_assert(eq(str, written, out));
    free(written);
    cr_assert(eq(int, run_cmd(ps_cmd_fmt, 3, check, &o2, &err), PS_EXIT_OK));
    free(o2);
    free(err);
    free(out);
    unlink(messy);

    const char *broken = temp_scenario("user a\nfriends a b\n");
    char *args2[] = {"fmt", (char *)broken, NULL};
    cr_assert(eq(int, run_cmd(ps_cmd_fmt, 2, args2, &out, &err), PS_EXIT_USAGE));
    cr_assert(eq(str, out, ""), "nothing is printed from a file with errors");
    cr_assert(strstr(err, ":2:11: error: unknown user 'b'") != NULL);
    free(out);
    free(err);
    unlink(broken);
}
