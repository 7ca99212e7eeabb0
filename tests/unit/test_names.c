/* test_names.c -- gzip's rules for names that do not fit (names.h). */
#include "names.h"
#include "suites.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* names_compressed(stem, suffix, max) must give `want` (NULL: gives up
   with `why`), shortened or not. */
static void check_compressed(const char *stem, const char *suffix, size_t max,
                             const char *want, bool want_shortened)
{
    bool shortened = !want_shortened;
    const char *why = "unset";
    char *got = names_compressed(stem, suffix, max, &shortened, &why);
    if (want == NULL) {
        ck_assert_ptr_null(got);
        ck_assert_ptr_nonnull(why);
        return;
    }
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, want);
    ck_assert(shortened == want_shortened);
    ck_assert_ptr_null(why);
    free(got);
}

START_TEST(test_compressed_fits)
{
    check_compressed("file", ".gz", 255, "file.gz", false);
    check_compressed("file", ".gz", 7, "file.gz", false);
}
END_TEST

START_TEST(test_compressed_long_part)
{
    char stem[256], want[256];
    memset(stem, 'a', 255);
    stem[255] = '\0';
    memset(want, 'a', 252);
    strcpy(want + 252, ".gz");
    check_compressed(stem, ".gz", 255, want, true);
    /* The last part longer than 3 loses its last byte; short ones stay. */
    check_compressed("1234.678.012", ".gz", 14, "123.678.012.gz", true);
    check_compressed("1234.678.012", ".gz", 13, "123.678.01.gz", true);
    check_compressed("abcde.fghij.xy", ".gz", 16, "abcde.fghi.xy.gz", true);
}
END_TEST

START_TEST(test_compressed_short_parts)
{
    /* No part longer than 3: then 2, then 1. */
    check_compressed("ab.cd.e", ".gz", 9, "ab.c.e.gz", true);
    /* All parts of one byte: the last part goes. */
    check_compressed("a.b.c", ".gz", 6, "a.b.gz", true);
    check_compressed("a.b.", ".gz", 6, "a..gz", true);
    /* Nothing left to cut. */
    check_compressed("a", ".gz", 3, NULL, true);
}
END_TEST

START_TEST(test_compressed_tar)
{
    check_compressed("x.tar", ".gz", 7, "x.tgz", true);
    /* .tgz first; then the stem is cut and the suffix comes back. */
    check_compressed("abcd.tar", ".gz", 7, "abc.gz", true);
}
END_TEST

START_TEST(test_compressed_suffix_of_builtin)
{
    /* -S z is the tail of ".z": gzip finds ".z" first and cuts there. */
    check_compressed("ab.", "z", 3, "az", true);
    check_compressed("abcd", ".pgz", 7, "abc.pgz", true);
}
END_TEST

START_TEST(test_truncate)
{
    char name[16];
    bool shortened;
    strcpy(name, "abcdef");
    ck_assert(names_truncate(name, 3, &shortened));
    ck_assert_str_eq(name, "abc");
    ck_assert(shortened);
    strcpy(name, "abc");
    ck_assert(names_truncate(name, 5, &shortened));
    ck_assert_str_eq(name, "abc");
    ck_assert(!shortened);
    strcpy(name, "ab");
    ck_assert(!names_truncate(name, 0, &shortened));  /* name too short */
    strcpy(name, "a");
    ck_assert(names_truncate(name, 1, &shortened));
    ck_assert(!names_truncate(name, 0, &shortened));
}
END_TEST

START_TEST(test_stored_max)
{
    ck_assert_uint_eq(names_stored_max(0), 1023);
    ck_assert_uint_eq(names_stored_max(4), 1019);
    ck_assert_uint_eq(names_stored_max(1022), 1);
    ck_assert_uint_eq(names_stored_max(1023), 0);
    ck_assert_uint_eq(names_stored_max(5000), 0);
}
END_TEST

START_TEST(test_name_limit)
{
    ck_assert(names_fits_anywhere(14));
    ck_assert(!names_fits_anywhere(15));
    int fd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    ck_assert_int_ge(fd, 0);
    ck_assert_uint_ge(names_max_length(fd), 14);
    close(fd);
    ck_assert_uint_eq(names_max_length(-1), 255);   /* EBADF: NAME_MAX */
}
END_TEST

Suite *names_suite(void)
{
    Suite *s = suite_create("names");
    TCase *tc = tcase_create("names");
    tcase_add_test(tc, test_compressed_fits);
    tcase_add_test(tc, test_compressed_long_part);
    tcase_add_test(tc, test_compressed_short_parts);
    tcase_add_test(tc, test_compressed_tar);
    tcase_add_test(tc, test_compressed_suffix_of_builtin);
    tcase_add_test(tc, test_truncate);
    tcase_add_test(tc, test_stored_max);
    tcase_add_test(tc, test_name_limit);
    suite_add_tcase(s, tc);
    return s;
}
