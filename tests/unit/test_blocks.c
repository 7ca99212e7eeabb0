/* test_blocks.c -- a gzip member assembled from blocks compressed one by
   one (gzw_block), as bigfile.c assembles it: header, blocks primed with
   the 32 KiB before them, trailer with the CRC combined by crc32_combine. */
#include "gzwriter.h"
#include "helpers.h"
#include "suites.h"

#include <stdlib.h>
#include <string.h>

static int to_membuf(void *ctx, const unsigned char *buf, size_t len)
{
    membuf_append(ctx, buf, len);
    return 0;
}

/* Mostly compressible data with some noise, so that blocks reference the
   data before them. */
static unsigned char *sample(size_t len, uint32_t seed)
{
    unsigned char *p = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(p);
    uint32_t state = seed;
    for (size_t i = 0; i < len; i++)
        p[i] = (rand_next(&state) % 16 == 0) ? (unsigned char)rand_next(&state)
                                              : (unsigned char)"pgz blocks "[i % 11];
    return p;
}

/* Compress data[0..len) in blocks of `block` bytes into *out as one
   member; returns the combined CRC. */
static uint32_t member_in_blocks(const unsigned char *data, size_t len,
                                 size_t block, int level, bool independent,
                                 struct membuf *out)
{
    struct gz_writer w;
    ck_assert_int_eq(gzw_init(&w, level), 0);
    unsigned char header[GZ_HEADER_MAX];
    membuf_append(out, header, gzip_header(header, "name", 1234, level));
    uint32_t crc = (uint32_t)crc32(0L, Z_NULL, 0);
    size_t off = 0;
    do {
        size_t n = len - off < block ? len - off : block;
        size_t dict = independent ? 0 : (off < GZ_DICT_SIZE ? off : GZ_DICT_SIZE);
        bool last = off + n == len;
        ck_assert_int_eq(gzw_block(&w, data + off - dict, dict, data + off, n,
                                   last, to_membuf, out), 0);
        ck_assert_uint_eq(w.bytes_in, n);
        crc = (uint32_t)crc32_combine(crc, w.crc, (z_off_t)n);
        off += n;
    } while (off < len);
    unsigned char trailer[GZ_TRAILER_LEN];
    gzip_trailer(trailer, crc, len);
    membuf_append(out, trailer, sizeof trailer);
    gzw_destroy(&w);
    return crc;
}

static void check_round_trip(size_t len, size_t block, bool independent)
{
    unsigned char *data = sample(len, (uint32_t)len);
    struct membuf gz = {0}, plain = {0};
    uint32_t crc = member_in_blocks(data, len, block, 6, independent, &gz);
    ck_assert_uint_eq(crc, (uint32_t)crc32(crc32(0L, Z_NULL, 0), data, (uInt)len));
    ck_assert_uint_eq(gunzip_member(gz.data, gz.len, &plain, NULL), gz.len);
    ck_assert_uint_eq(plain.len, len);
    ck_assert(len == 0 || memcmp(plain.data, data, len) == 0);
    membuf_free(&gz);
    membuf_free(&plain);
    free(data);
}

START_TEST(test_block_counts)
{
    const size_t B = 32768;
    const size_t sizes[] = { 0, 1, B - 1, B, B + 1, 2 * B, 10 * B + 7 };
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        check_round_trip(sizes[i], B, false);
        check_round_trip(sizes[i], B, true);
    }
}
END_TEST

START_TEST(test_one_block_is_the_single_stream)
{
    size_t len = 50000;
    unsigned char *data = sample(len, 7);
    struct membuf blocks = {0}, stream = {0};
    member_in_blocks(data, len, len, 9, false, &blocks);

    struct gz_writer w;
    ck_assert_int_eq(gzw_init(&w, 9), 0);
    gzw_begin(&w, "name", 1234);
    ck_assert_int_eq(gzw_write(&w, data, 1000, to_membuf, &stream), 0);
    ck_assert_int_eq(gzw_write(&w, data + 1000, len - 1000, to_membuf, &stream), 0);
    ck_assert_int_eq(gzw_finish(&w, to_membuf, &stream), 0);
    gzw_destroy(&w);

    ck_assert_uint_eq(blocks.len, stream.len);
    ck_assert_mem_eq(blocks.data, stream.data, stream.len);
    membuf_free(&blocks);
    membuf_free(&stream);
    free(data);
}
END_TEST

START_TEST(test_dictionary_helps)
{
    /* Random bytes repeating every 30000: only a primed block can refer
       to the copy that ended in the block before it. */
    size_t len = 8 * 32768, period = 30000;
    unsigned char *data = malloc(len);
    ck_assert_ptr_nonnull(data);
    fill_random(data, period, 3);
    for (size_t i = period; i < len; i++)
        data[i] = data[i - period];
    struct membuf primed = {0}, independent = {0};
    member_in_blocks(data, len, 32768, 6, false, &primed);
    member_in_blocks(data, len, 32768, 6, true, &independent);
    ck_assert_uint_lt(2 * primed.len, independent.len);
    membuf_free(&primed);
    membuf_free(&independent);
    free(data);
}
END_TEST

START_TEST(test_trailer_length_is_modulo_2_32)
{
    unsigned char t[GZ_TRAILER_LEN];
    gzip_trailer(t, 0x01020304u, (1ull << 32) + 5);
    const unsigned char want[] = { 4, 3, 2, 1, 5, 0, 0, 0 };
    ck_assert_mem_eq(t, want, sizeof want);
}
END_TEST

Suite *blocks_suite(void)
{
    Suite *s = suite_create("blocks");
    TCase *tc = tcase_create("blocks");
    tcase_add_test(tc, test_block_counts);
    tcase_add_test(tc, test_one_block_is_the_single_stream);
    tcase_add_test(tc, test_dictionary_helps);
    tcase_add_test(tc, test_trailer_length_is_modulo_2_32);
    suite_add_tcase(s, tc);
    return s;
}
