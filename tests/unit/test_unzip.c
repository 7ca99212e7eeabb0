/* test_unzip.c -- the zip decoder (unzip.h), on zip files written by
   Python's zipfile (tests/unit/mkzip.py: stored or deflated, to a file or
   streamed with a data descriptor, one entry or two), and damaged. */
#include "unzip.h"
#include "legacy.h"
#include "suites.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MKZIP "tests/unit/mkzip.py"
#define NAME_LEN 69                  /* mkzip.py's entry name */
#define E_EOF "unexpected end of file"

/* A zip of `data` in mkzip.py's `variant`. */
static void make_zip(const char *variant, const struct membuf *data,
                     struct membuf *zip)
{
    ck_assert_msg(access(MKZIP, R_OK) == 0,
                  "%s not found: run the unit tests from the source tree", MKZIP);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "python3 %s %s", MKZIP, variant);
    ck_assert_msg(pipe_through(cmd, data->data, data->len, zip) == 0,
                  "%s failed", cmd);
    ck_assert_uint_ge(zip->len, 30 + NAME_LEN);
}

static enum dec_state unzip_run(const struct membuf *z, size_t piece,
                                struct dec_out *o, struct decoder **dp)
{
    struct decoder *d = unzip_decoder_new(dec_collect, o);
    size_t taken;
    enum dec_state st = decode_all(d, z->data, z->len, piece, &taken);
    ck_assert_uint_eq(o->bad_len, 0);
    if (st == DEC_END)
        ck_assert_uint_eq(taken, z->len);   /* a zip takes all its input */
    *dp = d;
    return st;
}

static void assert_unzips(const struct membuf *z, const struct membuf *want,
                          size_t piece, unsigned warnings)
{
    struct dec_out o = {0};
    struct decoder *d;
    ck_assert_int_eq(unzip_run(z, piece, &o, &d), DEC_END);
    ck_assert_ptr_null(d->error);
    ck_assert_uint_eq(d->warnings, warnings);
    ck_assert_uint_eq(o.buf.len, want->len);
    ck_assert(want->len == 0 || memcmp(o.buf.data, want->data, want->len) == 0);
    dec_free(d);
    membuf_free(&o.buf);
}

static struct decoder *assert_unzip_fails(const struct membuf *z,
                                          const char *error)
{
    struct dec_out o = {0};
    struct decoder *d;
    ck_assert_int_eq(unzip_run(z, 0, &o, &d), DEC_FAILED);
    ck_assert_ptr_nonnull(d->error);
    ck_assert_str_eq(d->error, error);
    membuf_free(&o.buf);
    return d;
}

START_TEST(test_one_entry)
{
    static const char *const variants[] = {"stored", "deflated",
                                           "deflated-stream"};
    struct membuf in = {0};
    make_mixed(&in, 300000, 31);
    for (size_t v = 0; v < sizeof variants / sizeof *variants; v++) {
        struct membuf z = {0};
        make_zip(variants[v], &in, &z);
        assert_unzips(&z, &in, 0, 0);
        assert_unzips(&z, &in, 1, 0);
        membuf_free(&z);
    }
    membuf_free(&in);
}
END_TEST

START_TEST(test_empty_entry)
{
    static const char *const variants[] = {"stored", "deflated",
                                           "deflated-stream", "stored-stream"};
    struct membuf empty = {0};
    for (size_t v = 0; v < sizeof variants / sizeof *variants; v++) {
        struct membuf z = {0};
        make_zip(variants[v], &empty, &z);
        assert_unzips(&z, &empty, 0, 0);
        membuf_free(&z);
    }
}
END_TEST

START_TEST(test_stored_stream)
{
    /* gzip takes a stored entry's length from the local header, 0 in a
       streamed zip: nothing comes out, and the data is then read as the
       descriptor, so both checks fail (gzip 1.12 says the same). */
    struct membuf in = {0}, z = {0};
    membuf_append(&in, "hello, world\n", 13);
    make_zip("stored-stream", &in, &z);
    struct decoder *d = assert_unzip_fails(&z, "invalid compressed data--crc error");
    ck_assert_str_eq(d->error2, "invalid compressed data--length error");
    ck_assert_uint_eq(d->bytes_out, 0);
    dec_free(d);
    membuf_free(&in);
    membuf_free(&z);
}
END_TEST

START_TEST(test_two_entries)
{
    static const char *const variants[] = {"two-stored", "two-deflated"};
    struct membuf in = {0};
    make_mixed(&in, 20000, 32);
    for (size_t v = 0; v < 2; v++) {
        struct membuf z = {0};
        make_zip(variants[v], &in, &z);
        assert_unzips(&z, &in, 0, DEC_WARN_MORE_ENTRIES);
        assert_unzips(&z, &in, 1, DEC_WARN_MORE_ENTRIES);
        membuf_free(&z);
    }
    membuf_free(&in);
}
END_TEST

START_TEST(test_unsupported)
{
    struct membuf in = {0}, z = {0};
    membuf_append(&in, "some text, some text, some text\n", 32);
    make_zip("bzip2", &in, &z);
    dec_free(assert_unzip_fails(&z, "first entry not deflated or stored -- use unzip"));
    membuf_free(&z);
    make_zip("deflated", &in, &z);
    z.data[6] |= 1;                 /* the encryption flag */
    dec_free(assert_unzip_fails(&z, "encrypted file -- use unzip"));
    membuf_free(&z);
    membuf_free(&in);
}
END_TEST

START_TEST(test_truncation)
{
    struct membuf in = {0};
    make_mixed(&in, 5000, 33);
    static const char *const variants[] = {"stored", "deflated",
                                           "deflated-stream"};
    for (size_t v = 0; v < 3; v++) {
        struct membuf z = {0};
        make_zip(variants[v], &in, &z);
        /* The entry ends where the central directory starts. */
        size_t end = 0;
        for (size_t i = 30; i + 4 <= z.len; i++)
            if (memcmp(z.data + i, "PK\001\002", 4) == 0) {
                end = i;
                break;
            }
        ck_assert_uint_gt(end, 0);
        for (size_t cut = 0; cut < end; cut += cut < 120 ? 1 : 53) {
            struct membuf part = {0};
            membuf_append(&part, z.data, cut);
            const char *want = cut < 30 + NAME_LEN ? "not a valid zip file"
                                                   : E_EOF;
            dec_free(assert_unzip_fails(&part, want));
            membuf_free(&part);
        }
        /* Without the central directory, it is complete. */
        struct membuf entry = {0};
        membuf_append(&entry, z.data, end);
        assert_unzips(&entry, &in, 0, 0);
        membuf_free(&entry);
        membuf_free(&z);
    }
    membuf_free(&in);
}
END_TEST

START_TEST(test_damage)
{
    struct membuf in = {0}, z = {0};
    make_mixed(&in, 5000, 34);
    make_zip("deflated", &in, &z);
    size_t data = 30 + NAME_LEN;

    z.data[14] ^= 1;                /* the CRC */
    dec_free(assert_unzip_fails(&z, "invalid compressed data--crc error"));
    z.data[14] ^= 1;
    z.data[22] ^= 1;                /* the uncompressed length */
    struct decoder *d = assert_unzip_fails(&z, "invalid compressed data--length error");
    ck_assert_ptr_null(d->error2);
    dec_free(d);
    z.data[22] ^= 1;
    z.data[data] = 0xff;            /* block type 3: invalid */
    dec_free(assert_unzip_fails(&z, "invalid compressed data--format violated"));
    membuf_free(&z);

    make_zip("stored", &in, &z);
    z.data[18] ^= 1;                /* compressed size != length */
    d = assert_unzip_fails(&z, "invalid compressed data--length mismatch");
    char note[64];
    snprintf(note, sizeof note, "len %zu, siz %zu", in.len, in.len ^ 1);
    ck_assert_str_eq(d->note, note);
    dec_free(d);
    membuf_free(&z);

    make_zip("deflated-stream", &in, &z);
    size_t desc = 0;
    for (size_t i = data; i + 4 <= z.len; i++)
        if (memcmp(z.data + i, "PK\007\010", 4) == 0)
            desc = i;
    ck_assert_uint_gt(desc, 0);
    z.data[desc + 4] ^= 1;          /* the descriptor's CRC */
    dec_free(assert_unzip_fails(&z, "invalid compressed data--crc error"));
    z.data[desc + 4] ^= 1;
    z.data[desc + 12] ^= 1;         /* its length */
    dec_free(assert_unzip_fails(&z, "invalid compressed data--length error"));
    membuf_free(&z);
    membuf_free(&in);
}
END_TEST

START_TEST(test_sink_failure)
{
    struct membuf in = {0}, z = {0};
    make_mixed(&in, 300000, 35);
    make_zip("deflated", &in, &z);
    struct dec_out o = {.ok_calls = 2, .fail_err = ENOSPC};
    struct decoder *d;
    ck_assert_int_eq(unzip_run(&z, 0, &o, &d), DEC_FAILED);
    ck_assert_ptr_null(d->error);
    ck_assert_int_eq(d->sink_err, ENOSPC);
    ck_assert_uint_eq(o.buf.len, 2 * DEC_OUT_SIZE);
    dec_free(d);
    membuf_free(&o.buf);
    membuf_free(&in);
    membuf_free(&z);
}
END_TEST

Suite *unzip_suite(void)
{
    Suite *s = suite_create("unzip");
    TCase *tc = tcase_create("decode");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_one_entry);
    tcase_add_test(tc, test_empty_entry);
    tcase_add_test(tc, test_stored_stream);
    tcase_add_test(tc, test_two_entries);
    tcase_add_test(tc, test_unsupported);
    tcase_add_test(tc, test_truncation);
    tcase_add_test(tc, test_damage);
    tcase_add_test(tc, test_sink_failure);
    suite_add_tcase(s, tc);
    return s;
}
