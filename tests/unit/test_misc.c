/* test_misc.c -- small pure functions: the cgroup cpu.max parser (cpus.h)
   and the compressed-suffix check (task.h); and util.h's fatal end. */
#include "task.h"
#include "cpus.h"
#include "suites.h"
#include "util.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

START_TEST(test_cpu_max)
{
    ck_assert_int_eq(cpus_from_cpu_max("max 100000\n"), 0);
    ck_assert_int_eq(cpus_from_cpu_max("max 100000"), 0);
    ck_assert_int_eq(cpus_from_cpu_max("200000 100000"), 2);
    ck_assert_int_eq(cpus_from_cpu_max("200000 100000\n"), 2);
    ck_assert_int_eq(cpus_from_cpu_max("150000 100000"), 2);   /* rounded up */
    ck_assert_int_eq(cpus_from_cpu_max("50000 100000"), 1);
    ck_assert_int_eq(cpus_from_cpu_max("1000 100000"), 1);
    ck_assert_int_eq(cpus_from_cpu_max("800000 100000\n"), 8);
    ck_assert_int_eq(cpus_from_cpu_max("400000 50000"), 8);
}
END_TEST

START_TEST(test_cpu_max_garbage)
{
    ck_assert_int_eq(cpus_from_cpu_max(""), 0);
    ck_assert_int_eq(cpus_from_cpu_max("\n"), 0);
    ck_assert_int_eq(cpus_from_cpu_max("garbage"), 0);
    ck_assert_int_eq(cpus_from_cpu_max("100000"), 0);          /* no period */
    ck_assert_int_eq(cpus_from_cpu_max("100000 0"), 0);
    ck_assert_int_eq(cpus_from_cpu_max("-1 100000"), 0);       /* v1 "no limit" */
    ck_assert_int_eq(cpus_from_cpu_max("0 100000"), 0);
    ck_assert_int_eq(cpus_from_cpu_max("100000 -5"), 0);
}
END_TEST

START_TEST(test_cpu_max_huge_quota)
{
    /* A count, never negative, however large the quota. */
    long n = cpus_from_cpu_max("9223372036854775807 100000");
    ck_assert_int_eq(n, 92233720368548L);
}
END_TEST

START_TEST(test_cpus_available)
{
    ck_assert_int_ge(cpus_available(), 1);
}
END_TEST

/* A private copy of `name` preceded by a byte that is not '/', so that a
   look before the start of the name cannot pass by luck (the compiler may
   store ".gz" as the tail of "dir/.gz"). */
static const char *copy_of(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "X%s", name);
    ck_assert_uint_lt(strlen(name) + 1, size);
    return buf + 1;
}

/* compressed_suffix(name, suffix) must return `name + offset`. */
static void expect_suffix(const char *orig, const char *suffix, ptrdiff_t offset)
{
    char buf[64];
    const char *name = copy_of(buf, sizeof buf, orig);
    const char *found = compressed_suffix(name, suffix);
    ck_assert_msg(found == name + offset, "compressed_suffix(\"%s\", \"%s\") = %s, "
                  "want \"%s\"", name, suffix, found ? found : "NULL", name + offset);
}

static void expect_none(const char *orig, const char *suffix)
{
    char buf[64];
    const char *name = copy_of(buf, sizeof buf, orig);
    const char *found = compressed_suffix(name, suffix);
    ck_assert_msg(found == NULL, "compressed_suffix(\"%s\", \"%s\") = \"%s\", "
                  "want NULL", name, suffix, found);
}

START_TEST(test_known_suffixes)
{
    expect_suffix("a.gz", ".gz", 1);
    expect_suffix("A.GZ", ".gz", 1);
    expect_suffix("x.tgz", ".gz", 1);
    expect_suffix("X.TgZ", ".gz", 1);
    expect_suffix("y-gz", ".gz", 1);
    expect_suffix("z_z", ".gz", 1);
    expect_suffix("w.z", ".gz", 1);
    expect_suffix("w.Z", ".gz", 1);
    expect_suffix("v-z", ".gz", 1);
    expect_suffix("u.taz", ".gz", 1);
    expect_suffix("dir/file.gz", ".gz", 8);
    expect_suffix("a.gz", ".other", 1);     /* known ones whatever -S says */
}
END_TEST

START_TEST(test_custom_suffix)
{
    expect_suffix("x.foo", ".foo", 1);
    expect_suffix("x.FOO", ".foo", 1);
    expect_suffix("dir/x.foo", ".foo", 5);
    expect_none("x.foo", ".gz");
    expect_none(".foo", ".foo");
    expect_none("dir/.foo", ".foo");
}
END_TEST

START_TEST(test_not_compressed)
{
    expect_none("gz", ".gz");
    expect_none(".gz", ".gz");              /* only the suffix */
    expect_none("dir/.gz", ".gz");
    expect_none("a/b/.tgz", ".gz");
    expect_none("a.gzip", ".gz");
    expect_none("plain", ".gz");
    expect_none("", ".gz");
    expect_none("a.gz.txt", ".gz");
    expect_none("agz", ".gz");
}
END_TEST

/* ---- die() ---------------------------------------------------------------- */

static void cleanup_says_so(void)
{
    (void)!write(STDERR_FILENO, "cleanup\n", 8);
}

/* Run die(status, "%s", message) in a child whose stderr is a pipe; returns
   its exit status and what it wrote (in buf, NUL-terminated). */
static int die_in_child(int status, const char *message, char *buf,
                        size_t size)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(fds[1], STDERR_FILENO);
        set_fatal_cleanup(cleanup_says_so);
        die(status, "%s", message);
    }
    close(fds[1]);
    size_t len = 0;
    ssize_t n;
    while (len < size - 1 && (n = read(fds[0], buf + len, size - 1 - len)) > 0)
        len += (size_t)n;
    buf[len] = '\0';
    close(fds[0]);
    int wstatus;
    ck_assert_int_eq(waitpid(pid, &wstatus, 0), pid);
    ck_assert(WIFEXITED(wstatus));
    return WEXITSTATUS(wstatus);
}

START_TEST(test_die_cleans_up_then_says_why)
{
    char buf[4096];
    ck_assert_int_eq(die_in_child(3, "memory_exhausted", buf, sizeof buf), 3);
    ck_assert_str_eq(buf, "cleanup\npgz: memory_exhausted\n");
}
END_TEST

START_TEST(test_die_cuts_a_long_message)
{
    char message[3000], buf[4096];
    memset(message, 'x', sizeof message - 1);
    message[sizeof message - 1] = '\0';
    ck_assert_int_eq(die_in_child(1, message, buf, sizeof buf), 1);
    size_t len = strlen(buf);
    ck_assert_uint_eq(len, strlen("cleanup\n") + 1023);
    ck_assert(strncmp(buf, "cleanup\npgz: xxx", 16) == 0);
    ck_assert_int_eq(buf[len - 1], '\n');
    ck_assert_int_eq(buf[len - 2], 'x');
}
END_TEST

Suite *misc_suite(void)
{
    Suite *s = suite_create("misc");
    TCase *tc = tcase_create("cpus");
    tcase_add_test(tc, test_cpu_max);
    tcase_add_test(tc, test_cpu_max_garbage);
    tcase_add_test(tc, test_cpu_max_huge_quota);
    tcase_add_test(tc, test_cpus_available);
    suite_add_tcase(s, tc);

    tc = tcase_create("compressed_suffix");
    tcase_add_test(tc, test_known_suffixes);
    tcase_add_test(tc, test_custom_suffix);
    tcase_add_test(tc, test_not_compressed);
    suite_add_tcase(s, tc);

    /* Forks of its own; tagged as the aborts are, for runs without fork. */
    tc = tcase_create("die");
    tcase_set_tags(tc, "panics");
    tcase_add_test(tc, test_die_cleans_up_then_says_why);
    tcase_add_test(tc, test_die_cuts_a_long_message);
    suite_add_tcase(s, tc);
    return s;
}
