/* test_dirs.c -- the pieces that let pgz work through directory
   descriptors: splitting operands (dirref.h), the key set (keyset.h) and
   the in-flight names (inflight.h). */
#include "dirref.h"
#include "helpers.h"
#include "inflight.h"
#include "keyset.h"
#include "suites.h"

#include <pthread.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void check_split(const char *path, const char *dir, const char *name)
{
    const char *got_name;
    size_t offset;
    char *got_dir = dirref_split(path, &got_name, &offset);
    ck_assert_msg(strcmp(got_dir, dir) == 0, "%s: directory %s, expected %s",
                  path, got_dir, dir);
    ck_assert_msg(strcmp(got_name, name) == 0, "%s: name %s, expected %s",
                  path, got_name, name);
    ck_assert_ptr_eq(got_name, path + offset);
    free(got_dir);
}

START_TEST(test_split)
{
    check_split("f", ".", "f");
    check_split("a/b", "a", "b");
    check_split("a/b/c.gz", "a/b", "c.gz");
    check_split("/f", "/", "f");
    check_split("/", "/", "/");
    check_split("//", "/", "//");
    check_split("a//b", "a", "b");
    check_split("a/b/", "a", "b/");
    check_split("d/", ".", "d/");
    check_split("../x", "..", "x");
    check_split("", ".", "");
}
END_TEST

START_TEST(test_open_refuses_symlink)
{
    char *dir = make_tmpdir();
    char *sub = path_join(dir, "sub"), *link = path_join(dir, "link");
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    ck_assert_int_eq(symlink("sub", link), 0);
    dirref_t *top = dirref_open(dir);
    ck_assert_ptr_nonnull(top);
    dirref_t *d = dirref_openat(top, "sub", false);
    ck_assert_ptr_nonnull(d);
    struct stat st;
    ck_assert_int_eq(stat(sub, &st), 0);
    ck_assert(dirref_dev(d) == st.st_dev && dirref_ino(d) == st.st_ino);
    ck_assert_ptr_null(dirref_openat(top, "link", false));
    dirref_t *followed = dirref_openat(top, "link", true);
    ck_assert_ptr_nonnull(followed);
    ck_assert(dirref_ino(followed) == st.st_ino);
    /* References: the last put closes. */
    ck_assert_ptr_eq(dirref_get(d), d);
    dirref_put(d);
    dirref_put(d);
    dirref_put(followed);
    dirref_put(top);
    dirref_put(NULL);
    remove_tmpdir(dir);
    free(sub);
    free(link);
}
END_TEST

START_TEST(test_keyset)
{
    keyset_t *s = keyset_new();
    struct file_key a = { 1, 2, "a" }, a_other_dir = { 1, 3, "a" };
    struct file_key b = { 1, 2, "b" };
    keyset_add(s, &a, 5);
    keyset_add(s, &a, 9);           /* held twice */
    ck_assert(keyset_held_before(s, &a, 6));
    ck_assert(!keyset_held_before(s, &a, 5));
    ck_assert(!keyset_held_before(s, &a_other_dir, SIZE_MAX));
    ck_assert(!keyset_held_before(s, &b, SIZE_MAX));
    ck_assert(keyset_remove(s, &a, 5));
    ck_assert(!keyset_remove(s, &a, 5));
    ck_assert(!keyset_held_before(s, &a, 9));
    ck_assert(keyset_held_before(s, &a, 10));
    /* Enough to grow the table several times. */
    char name[32];
    for (size_t i = 0; i < 5000; i++) {
        snprintf(name, sizeof name, "f%zu", i);
        struct file_key k = { 7, 7, name };
        keyset_add(s, &k, i);
    }
    ck_assert_uint_eq(keyset_count(s), 5001);
    for (size_t i = 0; i < 5000; i++) {
        snprintf(name, sizeof name, "f%zu", i);
        struct file_key k = { 7, 7, name };
        ck_assert(keyset_held_before(s, &k, i + 1));
        ck_assert(keyset_remove(s, &k, i));
    }
    ck_assert_uint_eq(keyset_count(s), 1);
    keyset_free(s);
}
END_TEST

/* A later job waits for an earlier one holding the same name, and only
   for it. */
static dirref_t *shared_dir;
static atomic_int released_first;

static void *later_job(void *arg)
{
    (void)arg;
    inflight_wait_turn(2, shared_dir, "x");
    ck_assert_int_eq(atomic_load(&released_first), 1);
    return NULL;
}

START_TEST(test_inflight_order)
{
    char *dir = make_tmpdir();
    shared_dir = dirref_open(dir);
    ck_assert_ptr_nonnull(shared_dir);
    struct inflight_names first, second, other;
    inflight_hold(1, shared_dir, "x", "x.gz", &first);
    inflight_hold(2, shared_dir, "x", "x.gz", &second);
    inflight_hold(3, shared_dir, "y", NULL, &other);
    inflight_wait_turn(1, shared_dir, "x");     /* nobody before 1 */
    inflight_wait_turn(3, shared_dir, "y");
    inflight_wait_turn(0, shared_dir, "x.gz");
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, later_job, NULL), 0);
    usleep(20000);
    atomic_store(&released_first, 1);
    inflight_release(1, shared_dir, &first);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    inflight_release(2, shared_dir, &second);
    inflight_release(3, shared_dir, &other);
    inflight_release(3, shared_dir, &other);    /* released: a no-op */
    inflight_wait_turn(99, shared_dir, "x");
    dirref_put(shared_dir);
    remove_tmpdir(dir);
}
END_TEST

Suite *dirs_suite(void)
{
    Suite *s = suite_create("dirs");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_split);
    tcase_add_test(tc, test_open_refuses_symlink);
    tcase_add_test(tc, test_keyset);
    tcase_add_test(tc, test_inflight_order);
    suite_add_tcase(s, tc);
    return s;
}
