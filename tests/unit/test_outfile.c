/* test_outfile.c -- safe output files (outfile.h), each test in a fresh
   temporary directory. */
#include "helpers.h"
#include "outfile.h"
#include "suites.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *dir;       /* this test's directory */
static char *final;     /* dir/out.gz */
static int dfd;         /* dir, opened as pgz opens directories */

static void setup(void)
{
    umask(022);
    dir = make_tmpdir();
    final = path_join(dir, "out.gz");
    dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    ck_assert_int_ge(dfd, 0);
}

static void teardown(void)
{
    close(dfd);
    remove_tmpdir(dir);
    free(final);
    dir = final = NULL;
}

static void write_all(int fd, const char *text)
{
    ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
}

static void check_content(const char *path, const char *want)
{
    struct membuf b = {0};
    read_file_all(path, &b);
    membuf_append(&b, "", 1);
    ck_assert_str_eq((const char *)b.data, want);
    membuf_free(&b);
}

/* Before commit: no final name, and only the hidden temporary (if any). */
static void check_unpublished(void)
{
    struct stat st;
    errno = 0;
    ck_assert_int_ne(stat(final, &st), 0);
    ck_assert_int_eq(errno, ENOENT);
    char first[256];
    int n = count_entries(dir, first, sizeof first);
    if (outfile_uses_tmpfile()) {
        ck_assert_msg(n == 0, "O_TMPFILE output, yet %d entries (%s)", n, first);
    } else {
        ck_assert_int_eq(n, 1);
        ck_assert_msg(strncmp(first, ".pgz.", 5) == 0, "temporary named %s", first);
    }
}

START_TEST(test_create_write_commit)
{
    struct outfile of;
    ck_assert_int_eq(outfile_create(&of, dfd, "out.gz"), 0);
    ck_assert_int_ge(of.fd, 0);
    struct stat st;
    ck_assert_int_eq(fstat(of.fd, &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, 0600);      /* private */
    ck_assert_uint_eq(st.st_size, 0);
    write_all(of.fd, "compressed data");
    check_unpublished();
    ck_assert_int_eq(outfile_commit(&of, false, false), 0);
    check_content(final, "compressed data");
    ck_assert_int_eq(count_entries(dir, NULL, 0), 1);
}
END_TEST

START_TEST(test_tmpfile_or_named_temporary)
{
    /* Either an unnamed O_TMPFILE, or a named temporary that exists. */
    struct outfile of;
    ck_assert_int_eq(outfile_create(&of, dfd, "out.gz"), 0);
    if (of.tmp_name == NULL)
        ck_assert(outfile_uses_tmpfile());
    else
        ck_assert_int_eq(faccessat(dfd, of.tmp_name, F_OK, 0), 0);
    outfile_abort(&of);
    ck_assert_int_eq(count_entries(dir, NULL, 0), 0);
}
END_TEST

START_TEST(test_commit_refuses_existing)
{
    write_file(final, "old", 3);
    struct outfile of;
    ck_assert_int_eq(outfile_create(&of, dfd, "out.gz"), 0);
    write_all(of.fd, "new");
    ck_assert_int_eq(outfile_commit(&of, false, false), EEXIST);
    check_content(final, "old");
    char first[256];
    ck_assert_int_eq(count_entries(dir, first, sizeof first), 1);
    ck_assert_str_eq(first, "out.gz");
}
END_TEST

START_TEST(test_commit_replaces)
{
    write_file(final, "old contents", 12);
    struct outfile of;
    ck_assert_int_eq(outfile_create(&of, dfd, "out.gz"), 0);
    write_all(of.fd, "new");
    ck_assert_int_eq(outfile_commit(&of, true, true), 0);
    check_content(final, "new");
    char first[256];
    ck_assert_int_eq(count_entries(dir, first, sizeof first), 1);
    ck_assert_str_eq(first, "out.gz");
}
END_TEST

START_TEST(test_commit_replace_without_existing)
{
    struct outfile of;
    ck_assert_int_eq(outfile_create(&of, dfd, "out.gz"), 0);
    write_all(of.fd, "fresh");
    ck_assert_int_eq(outfile_commit(&of, true, false), 0);
    check_content(final, "fresh");
    ck_assert_int_eq(count_entries(dir, NULL, 0), 1);
}
END_TEST

START_TEST(test_abort_leaves_nothing)
{
    struct outfile of;
    ck_assert_int_eq(outfile_create(&of, dfd, "out.gz"), 0);
    write_all(of.fd, "partial");
    outfile_abort(&of);
    ck_assert_int_eq(count_entries(dir, NULL, 0), 0);
}
END_TEST

START_TEST(test_create_in_removed_directory)
{
    char *gone = path_join(dir, "gone");
    ck_assert_int_eq(mkdir(gone, 0700), 0);
    int gfd = open(gone, O_PATH | O_DIRECTORY | O_CLOEXEC);
    ck_assert_int_ge(gfd, 0);
    ck_assert_int_eq(rmdir(gone), 0);
    struct outfile of;
    ck_assert_int_ne(outfile_create(&of, gfd, "out.gz"), 0);
    outfile_abort(&of);                 /* safe after a failed create */
    ck_assert_int_eq(count_entries(dir, NULL, 0), 0);
    close(gfd);
    free(gone);
}
END_TEST

/* The output lands in the directory it was created for, even when that
   directory is moved and a symlink to another one takes its name. */
START_TEST(test_commit_follows_the_directory_not_its_name)
{
    char *sub = path_join(dir, "sub"), *moved = path_join(dir, "moved");
    char *victim = path_join(dir, "victim");
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    ck_assert_int_eq(mkdir(victim, 0700), 0);
    int sfd = open(sub, O_PATH | O_DIRECTORY | O_CLOEXEC);
    ck_assert_int_ge(sfd, 0);
    struct outfile of;
    ck_assert_int_eq(outfile_create(&of, sfd, "out.gz"), 0);
    write_all(of.fd, "data");
    ck_assert_int_eq(rename(sub, moved), 0);
    ck_assert_int_eq(symlink("victim", sub), 0);
    ck_assert_int_eq(outfile_commit(&of, true, false), 0);
    ck_assert_int_eq(count_entries(victim, NULL, 0), 0);
    char *landed = path_join(moved, "out.gz");
    check_content(landed, "data");
    close(sfd);
    free(landed);
    free(sub);
    free(moved);
    free(victim);
}
END_TEST

START_TEST(test_remove_input)
{
    write_file(final, "in", 2);
    struct stat st;
    ck_assert_int_eq(stat(final, &st), 0);
    ck_assert_int_eq(outfile_remove_input(dfd, "out.gz", &st), 0);
    ck_assert_int_eq(count_entries(dir, NULL, 0), 0);
}
END_TEST

/* A file renamed over the input while it was read is not deleted. */
START_TEST(test_remove_input_replaced)
{
    write_file(final, "in", 2);
    struct stat st;
    ck_assert_int_eq(stat(final, &st), 0);
    char *other = path_join(dir, "other");
    write_file(other, "new", 3);
    ck_assert_int_eq(rename(other, final), 0);
    ck_assert_int_eq(outfile_remove_input(dfd, "out.gz", &st), ESTALE);
    check_content(final, "new");
    ck_assert_int_eq(count_entries(dir, NULL, 0), 1);
    free(other);
}
END_TEST

START_TEST(test_two_outputs_at_once)
{
    char *other = path_join(dir, "other.gz");
    struct outfile a, b;
    ck_assert_int_eq(outfile_create(&a, dfd, "out.gz"), 0);
    ck_assert_int_eq(outfile_create(&b, dfd, "other.gz"), 0);
    write_all(a.fd, "A");
    write_all(b.fd, "B");
    ck_assert_int_eq(outfile_commit(&b, false, false), 0);
    ck_assert_int_eq(outfile_commit(&a, false, false), 0);
    check_content(final, "A");
    check_content(other, "B");
    ck_assert_int_eq(count_entries(dir, NULL, 0), 2);
    free(other);
}
END_TEST

START_TEST(test_temporary_names)
{
    ck_assert(outfile_is_temporary_name(".pgz.aB3xY9"));        /* mkostemp */
    ck_assert(outfile_is_temporary_name(".pgz.12345.0"));       /* PID.N */
    ck_assert(outfile_is_temporary_name(".pgz.1.987654"));
    ck_assert(!outfile_is_temporary_name(".pgz."));
    ck_assert(!outfile_is_temporary_name(".pgz.notes"));        /* 5 letters */
    ck_assert(!outfile_is_temporary_name(".pgz.aB3xY9.gz"));
    ck_assert(!outfile_is_temporary_name(".pgz.12345."));
    ck_assert(!outfile_is_temporary_name(".pgz.12a45.6"));
    ck_assert(!outfile_is_temporary_name("pgz.aB3xY9"));
    ck_assert(!outfile_is_temporary_name("x.pgz.aB3xY9"));
    /* And the name of a named temporary in use has that shape. */
    struct outfile of;
    ck_assert_int_eq(outfile_create(&of, dfd, "out.gz"), 0);
    char first[256];
    if (count_entries(dir, first, sizeof first) == 1)
        ck_assert_msg(outfile_is_temporary_name(first), "temporary named %s", first);
    outfile_abort(&of);
}
END_TEST

static void check_metadata(mode_t mode, bool replace)
{
    if (replace)
        write_file(final, "old", 3);
    struct stat src;
    memset(&src, 0, sizeof src);
    src.st_mode = S_IFREG | mode;
    src.st_uid = getuid();
    src.st_gid = getgid();
    src.st_atim = (struct timespec){ 1000000000, 123456789 };
    src.st_mtim = (struct timespec){ 1500000000, 987654321 };
    struct outfile of;
    ck_assert_int_eq(outfile_create(&of, dfd, "out.gz"), 0);
    write_all(of.fd, "data");
    ck_assert_int_eq(outfile_copy_metadata(&of, &src), 0);
    ck_assert_int_eq(outfile_commit(&of, replace, false), 0);

    struct stat st;
    ck_assert_int_eq(stat(final, &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, mode & 0777);
    ck_assert_int_eq(st.st_mtim.tv_sec, 1500000000);
    ck_assert_int_eq(st.st_mtim.tv_nsec, 987654321);
    ck_assert_int_eq(st.st_atim.tv_sec, 1000000000);
    ck_assert_int_eq(st.st_atim.tv_nsec, 123456789);
    ck_assert_uint_eq(st.st_uid, getuid());
    ck_assert_int_eq(st.st_size, 4);
}

START_TEST(test_copy_metadata)
{
    check_metadata(0640, false);
}
END_TEST

START_TEST(test_copy_metadata_read_only_replacing)
{
    check_metadata(0444, true);
}
END_TEST

START_TEST(test_copy_metadata_setuid)
{
    check_metadata(04755, false);   /* as gzip: 0777 only, set-ID bits dropped */
}
END_TEST

START_TEST(test_copy_metadata_fstat_before_commit)
{
    struct stat src;
    memset(&src, 0, sizeof src);
    src.st_mode = S_IFREG | 0751;
    src.st_uid = getuid();
    src.st_gid = getgid();
    src.st_atim = (struct timespec){ 42, 1 };
    src.st_mtim = (struct timespec){ 1234567890, 5 };
    struct outfile of;
    ck_assert_int_eq(outfile_create(&of, dfd, "out.gz"), 0);
    ck_assert_int_eq(outfile_copy_metadata(&of, &src), 0);
    struct stat st;
    ck_assert_int_eq(fstat(of.fd, &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, 0751);
    ck_assert_int_eq(st.st_mtim.tv_sec, 1234567890);
    ck_assert_int_eq(st.st_mtim.tv_nsec, 5);
    outfile_abort(&of);
    ck_assert_int_eq(count_entries(dir, NULL, 0), 0);
}
END_TEST

Suite *outfile_suite(void)
{
    Suite *s = suite_create("outfile");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_create_write_commit);
    tcase_add_test(tc, test_tmpfile_or_named_temporary);
    tcase_add_test(tc, test_commit_refuses_existing);
    tcase_add_test(tc, test_commit_replaces);
    tcase_add_test(tc, test_commit_replace_without_existing);
    tcase_add_test(tc, test_abort_leaves_nothing);
    tcase_add_test(tc, test_create_in_removed_directory);
    tcase_add_test(tc, test_commit_follows_the_directory_not_its_name);
    tcase_add_test(tc, test_remove_input);
    tcase_add_test(tc, test_remove_input_replaced);
    tcase_add_test(tc, test_two_outputs_at_once);
    tcase_add_test(tc, test_temporary_names);
    tcase_add_test(tc, test_copy_metadata);
    tcase_add_test(tc, test_copy_metadata_read_only_replacing);
    tcase_add_test(tc, test_copy_metadata_setuid);
    tcase_add_test(tc, test_copy_metadata_fstat_before_commit);
    suite_add_tcase(s, tc);
    return s;
}
