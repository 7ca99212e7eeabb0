/* test_blocks.c -- a file assembled from blocks compressed one by one
   (engine_block, engine_join), as bigfile.c assembles it, with every engine
   built in: zlib's one member (blocks primed with the 32 KiB before them,
   the CRC combined), libdeflate's sized members. */
#include "engine.h"
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

/* Compress data[0..len) in blocks of `block` bytes into *out as a file
   in blocks, as bigfile.c does (blocks compressed one by one, each
   followed by what engine_join() says); `cut_at`, when not 0, is the
   index of a last block cut short by a read error. */
static void file_in_blocks(enum engine_id id, const unsigned char *data,
                           size_t len, size_t block, int level,
                           bool independent, size_t cut_at, struct membuf *out)
{
    struct engine_config cfg = {
        .id = id, .level = level, .block_size = block,
        .independent = independent,
    };
    engine_t *e = engine_new(&cfg);
    ck_assert_ptr_nonnull(e);
    bool primed = engine_wants_dict(&cfg);
    struct engine_join join = {0};
    size_t off = 0, index = 0;
    do {
        size_t n = len - off < block ? len - off : block;
        size_t dict = !primed ? 0 : off < ENGINE_DICT_SIZE ? off : ENGINE_DICT_SIZE;
        bool cut = cut_at != 0 && index == cut_at;
        struct engine_block b = {
            .index = index, .last = off + n == len || cut, .truncated = cut,
            .name = "dir/name", .mtime = 1234,
            .dict = data + off - dict, .dict_len = dict,
            .data = data + off, .len = cut ? 0 : n,
        };
        struct engine_block_out o;
        ck_assert_int_eq(engine_block(e, &b, to_membuf, out, &o), 0);
        ck_assert_uint_eq(o.crc, (uint32_t)crc32(0, data + off, (uInt)b.len));
        unsigned char tail[ENGINE_TAIL_MAX];
        membuf_append(out, tail, engine_join(e, &join, &b, o.crc, tail));
        if (b.last)
            break;
        off += n;
        index++;
    } while (off < len);
    engine_free(e);
}

/* The PG subfield's member length, or 0 if the member has none. */
static uint32_t pg_length(const unsigned char *m)
{
    if (!(m[3] & 0x04) || m[10] != 8 || m[11] != 0 || m[12] != 'P' ||
        m[13] != 'G' || m[14] != 4 || m[15] != 0)
        return 0;
    return (uint32_t)m[16] | (uint32_t)m[17] << 8 | (uint32_t)m[18] << 16 |
           (uint32_t)m[19] << 24;
}

/* Decode every member of gz into *plain; returns the number of members.
   Checks the framing: zlib writes one member; libdeflate one per block,
   each sized (unless it is the only one), the name in the first only. */
static size_t check_members(enum engine_id id, const struct membuf *gz,
                            size_t blocks, struct membuf *plain)
{
    size_t off = 0, members = 0;
    while (off < gz->len) {
        gz_header hdr;
        char name[32];
        memset(&hdr, 0, sizeof hdr);
        memset(name, 0, sizeof name);
        hdr.name = (Bytef *)name;
        hdr.name_max = sizeof name;
        size_t used = gunzip_member(gz->data + off, gz->len - off, plain, &hdr);
        ck_assert_uint_ne(used, 0);
        if (members == 0) {
            ck_assert_str_eq(name, "name");
            ck_assert_uint_eq(hdr.time, 1234);
        } else {
            ck_assert_ptr_null(hdr.name);
            ck_assert_uint_eq(hdr.time, 0);
        }
        bool sized = id == ENGINE_LIBDEFLATE && blocks > 1;
        ck_assert_uint_eq(pg_length(gz->data + off), sized ? used : 0);
        off += used;
        members++;
    }
    ck_assert_uint_eq(members, id == ENGINE_ZLIB ? 1 : blocks);
    return members;
}

static void check_round_trip(enum engine_id id, size_t len, size_t block,
                             int level, bool independent)
{
    unsigned char *data = sample(len, (uint32_t)len);
    struct membuf gz = {0}, plain = {0};
    file_in_blocks(id, data, len, block, level, independent, 0, &gz);
    size_t blocks = len == 0 ? 1 : (len + block - 1) / block;
    check_members(id, &gz, blocks, &plain);
    ck_assert_uint_eq(plain.len, len);
    ck_assert(len == 0 || memcmp(plain.data, data, len) == 0);
    membuf_free(&gz);
    membuf_free(&plain);
    free(data);
}

/* Sizes around one and many blocks, every engine built in, a few levels. */
START_TEST(test_block_counts)
{
    const size_t B = 32768;
    const size_t sizes[] = { 0, 1, B - 1, B, B + 1, 2 * B, 10 * B + 7 };
    const int levels[] = { 1, 6, 9, 12 };
    for (int id = 0; id < ENGINE_COUNT; id++) {
        if (!engine_built_in((enum engine_id)id))
            continue;
        for (size_t l = 0; l < sizeof levels / sizeof *levels; l++) {
            if (levels[l] > engine_max_level((enum engine_id)id))
                continue;
            for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
                check_round_trip((enum engine_id)id, sizes[i], B, levels[l], false);
                check_round_trip((enum engine_id)id, sizes[i], B, levels[l], true);
            }
        }
    }
}
END_TEST

/* A file written as one stream (a small file, read by one worker) gives
   the same bytes as the same data in blocks: one block with zlib; with
   libdeflate, also many (a file that grew past one block while read). */
static void check_stream_is_blocks(enum engine_id id, size_t len, size_t block)
{
    unsigned char *data = sample(len, 7);
    struct membuf blocks = {0}, stream = {0};
    file_in_blocks(id, data, len, block, 9, false, 0, &blocks);

    struct engine_config cfg = { .id = id, .level = 9, .block_size = block };
    engine_t *e = engine_new(&cfg);
    ck_assert_ptr_nonnull(e);
    engine_begin(e, "dir/name", 1234);
    size_t first = len < 1000 ? len : 1000;
    ck_assert_int_eq(engine_write(e, data, first, to_membuf, &stream), 0);
    ck_assert_int_eq(engine_write(e, data + first, len - first, to_membuf,
                                  &stream), 0);
    ck_assert_int_eq(engine_finish(e, to_membuf, &stream), 0);
    struct engine_counts c = engine_counts(e);
    ck_assert_uint_eq(c.bytes_in, len);
    ck_assert_uint_eq(c.bytes_out, stream.len);
    engine_free(e);

    ck_assert_uint_eq(blocks.len, stream.len);
    ck_assert_mem_eq(blocks.data, stream.data, stream.len);
    membuf_free(&blocks);
    membuf_free(&stream);
    free(data);
}

START_TEST(test_one_block_is_the_single_stream)
{
    for (int id = 0; id < ENGINE_COUNT; id++) {
        if (!engine_built_in((enum engine_id)id))
            continue;
        check_stream_is_blocks((enum engine_id)id, 50000, 50000);
        check_stream_is_blocks((enum engine_id)id, 0, 50000);
    }
    if (engine_built_in(ENGINE_LIBDEFLATE)) {
        check_stream_is_blocks(ENGINE_LIBDEFLATE, 5 * 32768, 32768);
        check_stream_is_blocks(ENGINE_LIBDEFLATE, 5 * 32768 + 1, 32768);
    }
}
END_TEST

/* A read error: the last block is cut short, and the output must not
   pass for a complete file (no trailer, no sized member). */
START_TEST(test_truncated_is_incomplete)
{
    size_t len = 4 * 32768;
    unsigned char *data = sample(len, 9);
    for (int id = 0; id < ENGINE_COUNT; id++) {
        if (!engine_built_in((enum engine_id)id))
            continue;
        struct membuf gz = {0}, plain = {0};
        file_in_blocks((enum engine_id)id, data, len, 32768, 6, false, 2, &gz);
        size_t off = 0, used;
        while (off < gz.len &&
               (used = gunzip_member(gz.data + off, gz.len - off, &plain, NULL)) != 0)
            off += used;
        ck_assert_uint_lt(off, gz.len);     /* the last member is incomplete */
        membuf_free(&gz);
        membuf_free(&plain);
    }
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
    file_in_blocks(ENGINE_ZLIB, data, len, 32768, 6, false, 0, &primed);
    file_in_blocks(ENGINE_ZLIB, data, len, 32768, 6, true, 0, &independent);
    ck_assert_uint_lt(2 * primed.len, independent.len);
    membuf_free(&primed);
    membuf_free(&independent);
    free(data);
}
END_TEST

Suite *blocks_suite(void)
{
    Suite *s = suite_create("blocks");
    TCase *tc = tcase_create("blocks");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_block_counts);
    tcase_add_test(tc, test_one_block_is_the_single_stream);
    tcase_add_test(tc, test_dictionary_helps);
    tcase_add_test(tc, test_truncated_is_incomplete);
    suite_add_tcase(s, tc);
    return s;
}
