/* test_gzreader.c -- the decoder (gzreader.h): with libdeflate, sized
   members are decoded whole; whatever is wrong with them must give exactly
   what zlib's streaming gives.  Differential: the same damaged inputs
   through a reader of each engine, compared field by field. */
#include "engine.h"
#include "gzreader.h"
#include "helpers.h"
#include "suites.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int to_membuf(void *ctx, const unsigned char *buf, size_t len)
{
    membuf_append(ctx, buf, len);
    return 0;
}

/* What a reader made of `in`: its result and its output. */
struct decoded {
    struct gz_result res;
    bool opened;
    struct membuf out;
};

static void decode(gz_reader_t *r, const unsigned char *in, size_t len,
                   struct decoded *d)
{
    int fd = memfd_create("gzreader-test", MFD_CLOEXEC);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, in, len), (ssize_t)len);
    ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
    memset(d, 0, sizeof *d);
    gzr_keep_name(r, true, 1023);       /* as -N does */
    d->opened = gzr_open(r, fd, &d->res);
    if (d->opened)
        gzr_run(r, to_membuf, &d->out);
    close(fd);
}

static void same(const struct decoded *a, const struct decoded *b, size_t at)
{
    ck_assert_msg(a->opened == b->opened, "opened differs (byte %zu)", at);
    ck_assert_msg(a->res.status == b->res.status,
                  "status %d vs %d (byte %zu)", a->res.status, b->res.status, at);
    ck_assert_uint_eq(a->res.trailing, b->res.trailing);
    ck_assert_uint_eq(a->res.members, b->res.members);
    ck_assert_uint_eq(a->res.bytes_in, b->res.bytes_in);
    ck_assert_uint_eq(a->res.crc, b->res.crc);
    ck_assert_uint_eq(a->res.detail, b->res.detail);
    if (a->res.status == GZ_OK) {
        ck_assert_uint_eq(a->res.bytes_out, b->res.bytes_out);
        ck_assert_uint_eq(a->res.overhead, b->res.overhead);
        ck_assert_uint_eq(a->out.len, b->out.len);
        ck_assert(a->out.len == 0 ||
                  memcmp(a->out.data, b->out.data, a->out.len) == 0);
    }
}

static void done(struct decoded *d)
{
    gzr_result_free(&d->res);
    membuf_free(&d->out);
}

/* Sized members of `len` bytes of sample data cut into 32 KiB blocks. */
static void sized_members(size_t len, struct membuf *gz, unsigned char **data)
{
    *data = malloc(len);
    uint32_t state = 5;
    for (size_t i = 0; i < len; i++)
        (*data)[i] = rand_next(&state) % 8 == 0 ? (unsigned char)rand_next(&state)
                                                 : (unsigned char)"members "[i % 8];
    struct engine_config cfg = {
        .id = ENGINE_LIBDEFLATE, .level = 6, .block_size = 32768,
    };
    engine_t *e = engine_new(&cfg);
    ck_assert_ptr_nonnull(e);
    engine_begin(e, "name", 7);
    ck_assert_int_eq(engine_write(e, *data, len, to_membuf, gz), 0);
    ck_assert_int_eq(engine_finish(e, to_membuf, gz), 0);
    engine_free(e);
}

START_TEST(test_whole_members_decode)
{
    if (!engine_built_in(ENGINE_LIBDEFLATE))
        return;
    struct membuf gz = {0};
    unsigned char *data;
    size_t len = 5 * 32768 + 77;
    sized_members(len, &gz, &data);
    /* Twice, then garbage: members, trailing data and buffer edges. */
    struct membuf two = {0};
    membuf_append(&two, gz.data, gz.len);
    membuf_append(&two, gz.data, gz.len);
    gz_reader_t *z = gzr_new(ENGINE_ZLIB), *l = gzr_new(ENGINE_LIBDEFLATE);
    ck_assert_ptr_nonnull(z);
    ck_assert_ptr_nonnull(l);
    struct decoded a, b;
    decode(l, two.data, two.len, &b);
    ck_assert_int_eq(b.res.status, GZ_OK);
    ck_assert_uint_eq(b.res.members, 12);
    ck_assert_uint_eq(b.out.len, 2 * len);
    ck_assert_mem_eq(b.out.data, data, len);
    ck_assert_mem_eq(b.out.data + len, data, len);
    ck_assert_str_eq(b.res.name, "name");
    decode(z, two.data, two.len, &a);
    same(&a, &b, 0);
    done(&a);
    done(&b);
    membuf_append(&two, "garbage", 7);
    decode(z, two.data, two.len, &a);
    decode(l, two.data, two.len, &b);
    ck_assert_int_eq(b.res.trailing, GZ_TRAILING_GARBAGE);
    same(&a, &b, 0);
    done(&a);
    done(&b);
    gzr_free(z);
    gzr_free(l);
    membuf_free(&two);
    membuf_free(&gz);
    free(data);
}
END_TEST

/* Every byte of the first two members' headers and trailers, and bytes
   spread over the data, inverted; and every truncation length near the
   member boundaries: libdeflate's reader says exactly what zlib's says. */
START_TEST(test_damage_is_reported_as_by_zlib)
{
    if (!engine_built_in(ENGINE_LIBDEFLATE))
        return;
    struct membuf gz = {0};
    unsigned char *data;
    sized_members(3 * 32768 + 5, &gz, &data);
    gz_reader_t *z = gzr_new(ENGINE_ZLIB), *l = gzr_new(ENGINE_LIBDEFLATE);
    unsigned char *bad = malloc(gz.len);
    uint32_t second = (uint32_t)gz.data[16] | (uint32_t)gz.data[17] << 8 |
                      (uint32_t)gz.data[18] << 16 | (uint32_t)gz.data[19] << 24;
    ck_assert_uint_lt(second, gz.len);
    for (size_t at = 0; at < gz.len; at++) {
        bool edge = at < 40 || (at + 16 > second && at < second + 30) ||
                    at + 16 > gz.len;
        if (!edge && at % 97 != 0)
            continue;
        memcpy(bad, gz.data, gz.len);
        bad[at] ^= 0xff;
        struct decoded a, b;
        decode(z, bad, gz.len, &a);
        decode(l, bad, gz.len, &b);
        same(&a, &b, at);
        done(&a);
        done(&b);
        if (edge) {             /* cut short at `at` */
            decode(z, gz.data, at, &a);
            decode(l, gz.data, at, &b);
            same(&a, &b, at);
            done(&a);
            done(&b);
        }
    }
    free(bad);
    gzr_free(z);
    gzr_free(l);
    membuf_free(&gz);
    free(data);
}
END_TEST

Suite *gzreader_suite(void)
{
    Suite *s = suite_create("gzreader");
    TCase *tc = tcase_create("whole members");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_whole_members_decode);
    tcase_add_test(tc, test_damage_is_reported_as_by_zlib);
    suite_add_tcase(s, tc);
    return s;
}
