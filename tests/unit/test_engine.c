/* test_engine.c -- the engines (engine.h) writing a file as one stream,
   checked against zlib's own inflate; the zlib engine's member byte by
   byte, libdeflate's through the same round trips. */
#include "engine.h"
#include "helpers.h"
#include "suites.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A sink collecting the bytes and checking the promised call sizes. */
struct sink {
    struct membuf buf;
    size_t calls;
    size_t bad_len;      /* calls with 0 or more than ENGINE_ZLIB_OUT_SIZE bytes */
};

static int collect(void *ctx, const unsigned char *buf, size_t len)
{
    struct sink *s = ctx;
    s->calls++;
    if (len == 0 || len > ENGINE_ZLIB_OUT_SIZE)
        s->bad_len++;
    membuf_append(&s->buf, buf, len);
    return 0;
}

/* A sink that accepts `ok_calls` calls, then fails with `err`. */
struct failing_sink {
    int ok_calls;
    int err;
    int calls;
};

static int fail_after(void *ctx, const unsigned char *buf, size_t len)
{
    (void)buf;
    (void)len;
    struct failing_sink *f = ctx;
    return f->calls++ < f->ok_calls ? 0 : f->err;
}

/* Write data[0..len) through w into s in pieces of `piece` bytes
   (cycling through odd sizes when piece is 0), then finish. */
static void write_member(engine_t *w, struct sink *s,
                         const unsigned char *data, size_t len, size_t piece)
{
    static const size_t odd[] = { 1, 7, 4099, 65537, 131071, 3 };
    size_t off = 0;
    for (int k = 0; off < len; k++) {
        size_t n = piece ? piece : odd[k % 6];
        if (n > len - off)
            n = len - off;
        ck_assert_int_eq(engine_write(w, data + off, n, collect, s), 0);
        off += n;
    }
    ck_assert_int_eq(engine_finish(w, collect, s), 0);
    ck_assert_uint_eq(engine_counts(w).bytes_in, len);
}

/* The accounting every finished member must satisfy: `member` is its
   bytes, as the sink received them. */
static void check_accounting(const engine_t *w,
                             const unsigned char *member, size_t len)
{
    ck_assert_uint_eq(engine_counts(w).bytes_out, len);
    /* The header's length, from the bytes: 10, plus FNAME if flagged. */
    ck_assert_uint_ge(len, 18);
    size_t hlen = 10;
    if (member[3] & 0x08)
        hlen += strlen((const char *)member + 10) + 1;
    ck_assert_uint_eq(engine_counts(w).deflate_bytes,
                      engine_counts(w).bytes_out - hlen - 8);
}

/* Compress data at `level` in pieces, inflate it back, compare. */
static void round_trip(int level, const unsigned char *data, size_t len,
                       size_t piece)
{
    engine_t *w;
    struct sink s = {0};
    w = new_engine(ENGINE_ZLIB, level);
    engine_begin(w, "file.txt", 1234567890);
    write_member(w, &s, data, len, piece);
    ck_assert_uint_eq(s.bad_len, 0);
    check_accounting(w, s.buf.data, s.buf.len);

    struct membuf out = {0};
    size_t used = gunzip_member(s.buf.data, s.buf.len, &out, NULL);
    ck_assert_msg(used != 0, "not a valid gzip member");
    ck_assert_uint_eq(used, s.buf.len);     /* nothing after the trailer */
    ck_assert_uint_eq(out.len, len);
    if (len > 0)
        ck_assert_mem_eq(out.data, data, len);
    membuf_free(&out);
    membuf_free(&s.buf);
    engine_free(w);
}

START_TEST(test_empty)
{
    round_trip(6, (const unsigned char *)"", 0, 0);
}
END_TEST

START_TEST(test_one_byte)
{
    round_trip(6, (const unsigned char *)"x", 1, 0);
    round_trip(1, (const unsigned char *)"\0", 1, 0);
}
END_TEST

START_TEST(test_random)
{
    size_t len = 100000;
    unsigned char *data = malloc(len);
    fill_random(data, len, 1);
    round_trip(6, data, len, len);
    round_trip(9, data, len, 1000);
    free(data);
}
END_TEST

START_TEST(test_compressible)
{
    size_t len = 1 << 20;
    unsigned char *data = malloc(len);
    for (size_t i = 0; i < len; i++)
        data[i] = "abcabcabd"[i % 9];
    round_trip(6, data, len, 0);
    round_trip(1, data, len, len);
    free(data);
}
END_TEST

START_TEST(test_larger_than_out_buffer)
{
    /* Incompressible, so the output buffer fills several times. */
    size_t len = 3 * ENGINE_ZLIB_OUT_SIZE + 12345;
    unsigned char *data = malloc(len);
    fill_random(data, len, 2);
    round_trip(6, data, len, 0);            /* odd-sized pieces */
    round_trip(6, data, len, len);          /* one piece */
    free(data);
}
END_TEST

START_TEST(test_multiple_sink_calls)
{
    size_t len = 2 * ENGINE_ZLIB_OUT_SIZE + 1;
    unsigned char *data = malloc(len);
    fill_random(data, len, 3);
    engine_t *w;
    struct sink s = {0};
    w = new_engine(ENGINE_ZLIB, 6);
    engine_begin(w, NULL, 0);
    write_member(w, &s, data, len, 0);
    ck_assert_uint_ge(s.calls, 3);
    ck_assert_uint_eq(s.bad_len, 0);
    check_accounting(w, s.buf.data, s.buf.len);
    membuf_free(&s.buf);
    engine_free(w);
    free(data);
}
END_TEST

/* Compress `data` into a member and return its header as inflate sees it
   (name into namebuf) and the raw bytes in *s. */
static void header_of(int level, const char *name, uint32_t mtime,
                      gz_header *hdr, char *namebuf, size_t namemax,
                      struct sink *s)
{
    engine_t *w;
    w = new_engine(ENGINE_ZLIB, level);
    engine_begin(w, name, mtime);
    write_member(w, s, (const unsigned char *)"hello, hello\n", 13, 0);
    check_accounting(w, s->buf.data, s->buf.len);
    engine_free(w);

    memset(hdr, 0, sizeof *hdr);
    hdr->name = (Bytef *)namebuf;
    hdr->name_max = (uInt)namemax;
    memset(namebuf, 0, namemax);
    struct membuf out = {0};
    ck_assert_uint_eq(gunzip_member(s->buf.data, s->buf.len, &out, hdr), s->buf.len);
    ck_assert_int_eq(hdr->done, 1);
    ck_assert_uint_eq(out.len, 13);
    membuf_free(&out);
}

START_TEST(test_header_name_is_basename)
{
    gz_header hdr;
    char name[64];
    struct sink s = {0};
    char path[] = "dir/sub/name.txt";
    header_of(6, path, 0, &hdr, name, sizeof name, &s);
    ck_assert_ptr_nonnull(hdr.name);
    ck_assert_str_eq(name, "name.txt");
    ck_assert_int_eq(s.buf.data[3] & 0x08, 0x08);
    ck_assert_str_eq((const char *)s.buf.data + 10, "name.txt");
    membuf_free(&s.buf);

    header_of(6, "plain", 0, &hdr, name, sizeof name, &s);
    ck_assert_str_eq(name, "plain");
    membuf_free(&s.buf);
}
END_TEST

START_TEST(test_header_name_copied)
{
    /* The writer keeps its own copy: clobber ours before writing. */
    engine_t *w;
    struct sink s = {0};
    char name[] = "a/copied.bin";
    w = new_engine(ENGINE_ZLIB, 6);
    engine_begin(w, name, 0);
    memset(name, 'X', sizeof name - 1);
    write_member(w, &s, (const unsigned char *)"data", 4, 0);
    ck_assert_str_eq((const char *)s.buf.data + 10, "copied.bin");
    membuf_free(&s.buf);
    engine_free(w);
}
END_TEST

START_TEST(test_header_no_name)
{
    gz_header hdr;
    char name[64];
    struct sink s = {0};
    header_of(6, NULL, 0, &hdr, name, sizeof name, &s);
    ck_assert_ptr_null(hdr.name);           /* inflate found no FNAME */
    ck_assert_int_eq(s.buf.data[3] & 0x08, 0);
    membuf_free(&s.buf);
}
END_TEST

START_TEST(test_header_mtime_and_os)
{
    gz_header hdr;
    char name[64];
    struct sink s = {0};
    uint32_t mtime = 0x5F5E1234u;
    header_of(6, "t", mtime, &hdr, name, sizeof name, &s);
    ck_assert_uint_eq(hdr.time, mtime);
    ck_assert_uint_eq(s.buf.data[4] | s.buf.data[5] << 8 | s.buf.data[6] << 16 |
                      (uint32_t)s.buf.data[7] << 24, mtime);
    ck_assert_int_eq(hdr.os, 3);
    ck_assert_int_eq(s.buf.data[9], 3);
    membuf_free(&s.buf);

    header_of(6, "t", 0, &hdr, name, sizeof name, &s);
    ck_assert_uint_eq(hdr.time, 0);
    membuf_free(&s.buf);
}
END_TEST

START_TEST(test_header_xfl)
{
    static const struct { int level, xfl; } cases[] = {
        { 9, 2 }, { 1, 4 }, { 6, 0 }, { 5, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gz_header hdr;
        char name[16];
        struct sink s = {0};
        header_of(cases[i].level, "x", 0, &hdr, name, sizeof name, &s);
        ck_assert_msg(s.buf.data[8] == cases[i].xfl, "level %d: XFL %d, want %d",
                      cases[i].level, s.buf.data[8], cases[i].xfl);
        ck_assert_int_eq(hdr.xflags, cases[i].xfl);
        membuf_free(&s.buf);
    }
}
END_TEST

START_TEST(test_reuse_for_second_member)
{
    size_t len1 = 50000, len2 = ENGINE_ZLIB_OUT_SIZE + 999;
    unsigned char *d1 = malloc(len1), *d2 = malloc(len2);
    fill_random(d1, len1, 4);
    for (size_t i = 0; i < len2; i++)
        d2[i] = (unsigned char)(i % 251);
    engine_t *w;
    struct sink s = {0};
    w = new_engine(ENGINE_ZLIB, 6);
    engine_begin(w, "first", 111);
    write_member(w, &s, d1, len1, 0);
    size_t first_len = s.buf.len;
    ck_assert_uint_eq(engine_counts(w).bytes_out, first_len);

    engine_begin(w, "dir/second", 222);
    ck_assert_uint_eq(engine_counts(w).bytes_in, 0);
    write_member(w, &s, d2, len2, 0);
    check_accounting(w, s.buf.data + first_len, s.buf.len - first_len);

    /* Two concatenated members, each valid on its own. */
    gz_header hdr;
    char name[32];
    struct membuf out = {0};
    memset(&hdr, 0, sizeof hdr);
    hdr.name = (Bytef *)name;
    hdr.name_max = sizeof name;
    ck_assert_uint_eq(gunzip_member(s.buf.data, s.buf.len, &out, &hdr), first_len);
    ck_assert_str_eq(name, "first");
    ck_assert_uint_eq(hdr.time, 111);
    ck_assert_uint_eq(out.len, len1);
    ck_assert_mem_eq(out.data, d1, len1);
    out.len = 0;
    ck_assert_uint_eq(gunzip_member(s.buf.data + first_len, s.buf.len - first_len,
                                    &out, &hdr), s.buf.len - first_len);
    ck_assert_str_eq(name, "second");
    ck_assert_uint_eq(hdr.time, 222);
    ck_assert_uint_eq(out.len, len2);
    ck_assert_mem_eq(out.data, d2, len2);

    membuf_free(&out);
    membuf_free(&s.buf);
    engine_free(w);
    free(d1);
    free(d2);
}
END_TEST

START_TEST(test_sink_error_passed_through)
{
    size_t len = 3 * ENGINE_ZLIB_OUT_SIZE;
    unsigned char *data = malloc(len);
    fill_random(data, len, 5);
    engine_t *w;
    w = new_engine(ENGINE_ZLIB, 6);

    /* The first output buffer that fills meets the error, in engine_write. */
    struct failing_sink f = { 0, ENOSPC, 0 };
    engine_begin(w, "full", 0);
    ck_assert_int_eq(engine_write(w, data, len, fail_after, &f), ENOSPC);
    ck_assert_int_ge(f.calls, 1);

    /* A small member only reaches the sink in engine_finish. */
    f = (struct failing_sink){ 0, ENOSPC, 0 };
    engine_begin(w, "small", 0);
    ck_assert_int_eq(engine_write(w, "abc", 3, fail_after, &f), 0);
    ck_assert_int_eq(engine_finish(w, fail_after, &f), ENOSPC);

    /* Any errno, after some successful calls. */
    f = (struct failing_sink){ 1, EIO, 0 };
    engine_begin(w, NULL, 0);
    int rc = engine_write(w, data, len, fail_after, &f);
    if (rc == 0)
        rc = engine_finish(w, fail_after, &f);
    ck_assert_int_eq(rc, EIO);
    ck_assert_int_eq(f.calls, 2);

    /* The writer still works for the next member after a failure. */
    struct sink s = {0};
    engine_begin(w, "again", 0);
    write_member(w, &s, data, 1000, 0);
    struct membuf out = {0};
    ck_assert_uint_eq(gunzip_member(s.buf.data, s.buf.len, &out, NULL), s.buf.len);
    ck_assert_uint_eq(out.len, 1000);
    ck_assert_mem_eq(out.data, data, 1000);
    membuf_free(&out);
    membuf_free(&s.buf);
    engine_free(w);
    free(data);
}
END_TEST

/* Every engine built in, as one stream: sizes around the block size (a
   small 32 KiB block, so that libdeflate cuts several members), several
   levels; every member decodes and the header fields are right. */
START_TEST(test_every_engine_round_trip)
{
    const size_t B = 32768;
    const size_t sizes[] = { 0, 1, B - 1, B, B + 1, 3 * B + 5 };
    const int levels[] = { 1, 6, 9, 10, 12 };
    unsigned char *data = malloc(3 * B + 5);
    for (size_t i = 0; i < 3 * B + 5; i++)
        data[i] = (unsigned char)("engine seam "[i % 12] ^ (i % 97 == 0));
    for (int id = 0; id < ENGINE_COUNT; id++) {
        if (!engine_built_in((enum engine_id)id))
            continue;
        for (size_t l = 0; l < sizeof levels / sizeof *levels; l++) {
            if (levels[l] > engine_max_level((enum engine_id)id))
                continue;
            for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
                struct engine_config cfg = {
                    .id = (enum engine_id)id, .level = levels[l], .block_size = B,
                };
                engine_t *e = engine_new(&cfg);
                ck_assert_ptr_nonnull(e);
                struct sink s = {0};
                engine_begin(e, "dir/seam", 42);
                write_member(e, &s, data, sizes[k], 0);
                ck_assert_uint_eq(engine_counts(e).bytes_out, s.buf.len);
                ck_assert_uint_le(engine_counts(e).deflate_bytes, s.buf.len);
                /* The first member's header. */
                ck_assert_int_eq(s.buf.data[8],
                                 levels[l] >= 9 ? 2 : levels[l] == 1 ? 4 : 0);
                ck_assert_int_eq(s.buf.data[9], 3);
                ck_assert_uint_eq(s.buf.data[4] | s.buf.data[5] << 8, 42);
                /* Every member decodes; together, the data. */
                struct membuf out = {0};
                size_t off = 0, members = 0;
                while (off < s.buf.len) {
                    size_t used = gunzip_member(s.buf.data + off,
                                                s.buf.len - off, &out, NULL);
                    ck_assert_uint_ne(used, 0);
                    off += used;
                    members++;
                }
                size_t blocks = sizes[k] == 0 ? 1 : (sizes[k] + B - 1) / B;
                ck_assert_uint_eq(members, id == ENGINE_ZLIB ? 1 : blocks);
                ck_assert_uint_eq(out.len, sizes[k]);
                ck_assert(sizes[k] == 0 || memcmp(out.data, data, sizes[k]) == 0);
                membuf_free(&out);
                membuf_free(&s.buf);
                engine_free(e);
            }
        }
    }
    free(data);
}
END_TEST

/* One stream of `len` bytes of `data` through a new engine for `cfg`. */
static void compress_with(const struct engine_config *cfg,
                          const unsigned char *data, size_t len,
                          struct sink *s)
{
    engine_t *e = engine_new(cfg);
    ck_assert_ptr_nonnull(e);
    engine_begin(e, "r", 7);
    write_member(e, s, data, len, 0);
    engine_free(e);
}

/* --rsyncable: libdeflate compresses one level up (its blocks cannot be
   primed), so its deflate data is the next level's, byte for byte, while
   the header's XFL keeps the level asked; zlib is unchanged; the top
   level stays the top level. */
START_TEST(test_rsyncable_level)
{
    struct engine_config cfg = { .id = ENGINE_LIBDEFLATE, .level = 6,
                                 .rsyncable = true };
    ck_assert_int_eq(engine_deflate_level(&cfg), 7);
    cfg.level = 12;
    ck_assert_int_eq(engine_deflate_level(&cfg), 12);
    cfg.rsyncable = false;
    ck_assert_int_eq(engine_deflate_level(&cfg), 12);
    cfg = (struct engine_config){ .id = ENGINE_ZLIB, .level = 6,
                                  .rsyncable = true };
    ck_assert_int_eq(engine_deflate_level(&cfg), 6);
    if (!engine_built_in(ENGINE_LIBDEFLATE))
        return;

    const size_t len = 3 * 32768 + 11;
    unsigned char *data = malloc(len);
    /* Words in a random order: matches of every length, which each level
       parses its own way. */
    static const char *const words[] = { "gear ", "hash ", "rolling ",
        "chunk ", "member ", "deflate ", "level ", "rsync\n", "a ", "the " };
    uint32_t x = 1;
    for (size_t i = 0; i < len;) {
        x = x * 1103515245u + 12345u;
        const char *w = words[(x >> 16) % 10];
        for (; *w != '\0' && i < len; w++)
            data[i++] = (unsigned char)*w;
    }
    /* Levels whose next one has the same XFL (every member has one). */
    int levels[] = { 2, 6, 10 };
    for (size_t l = 0; l < sizeof levels / sizeof *levels; l++) {
        struct sink asked = {0}, one_up = {0}, plain = {0};
        struct engine_config c = { .id = ENGINE_LIBDEFLATE,
                                   .level = levels[l], .block_size = 32768,
                                   .rsyncable = true };
        compress_with(&c, data, len, &asked);
        c.rsyncable = false;
        compress_with(&c, data, len, &plain);
        c.level++;
        compress_with(&c, data, len, &one_up);
        ck_assert_uint_eq(asked.buf.len, one_up.buf.len);
        ck_assert_mem_eq(asked.buf.data, one_up.buf.data, asked.buf.len);
        ck_assert(plain.buf.len != asked.buf.len ||
                  memcmp(plain.buf.data, asked.buf.data, plain.buf.len) != 0);
        membuf_free(&asked.buf);
        membuf_free(&one_up.buf);
        membuf_free(&plain.buf);
    }
    free(data);
}
END_TEST

/* What is built in, by name, and the levels. */
START_TEST(test_engines_built_in)
{
    enum engine_id id;
    ck_assert(engine_built_in(ENGINE_ZLIB));
    ck_assert(engine_by_name("zlib", &id) && id == ENGINE_ZLIB);
    ck_assert(engine_by_name("libdeflate", &id) && id == ENGINE_LIBDEFLATE);
    ck_assert(!engine_by_name("zstd", &id));
    ck_assert_str_eq(engine_name(ENGINE_ZLIB), "zlib");
    ck_assert_int_eq(engine_max_level(ENGINE_ZLIB), 9);
    ck_assert_int_eq(engine_max_level(ENGINE_LIBDEFLATE), 12);
    ck_assert_int_eq(engine_default(), engine_built_in(ENGINE_LIBDEFLATE)
                                       ? ENGINE_LIBDEFLATE : ENGINE_ZLIB);
}
END_TEST

Suite *engine_suite(void)
{
    Suite *s = suite_create("engine");
    TCase *tc = tcase_create("round trip");
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, test_empty);
    tcase_add_test(tc, test_one_byte);
    tcase_add_test(tc, test_random);
    tcase_add_test(tc, test_compressible);
    tcase_add_test(tc, test_larger_than_out_buffer);
    tcase_add_test(tc, test_multiple_sink_calls);
    tcase_add_test(tc, test_reuse_for_second_member);
    tcase_add_test(tc, test_every_engine_round_trip);
    tcase_add_test(tc, test_engines_built_in);
    tcase_add_test(tc, test_rsyncable_level);
    suite_add_tcase(s, tc);

    tc = tcase_create("header");
    tcase_add_test(tc, test_header_name_is_basename);
    tcase_add_test(tc, test_header_name_copied);
    tcase_add_test(tc, test_header_no_name);
    tcase_add_test(tc, test_header_mtime_and_os);
    tcase_add_test(tc, test_header_xfl);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, test_sink_error_passed_through);
    suite_add_tcase(s, tc);
    return s;
}
