/* test_lzw.c -- the compress (.Z) decoder (lzw.h): data made by ncompress
   (10 to 16 bits), data made here by an encoder that follows gzip's
   reading of the format (9 bits, block mode or not, clear codes), codes
   written by hand for the corner cases, and every error. */
#include "lzw.h"
#include "legacy.h"
#include "suites.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- an encoder, for data compress cannot make ---------------------- */

/* Codes out, low bit first, with compress's grouping: when the code size
   changes, the group of eight codes in progress is padded. */
struct bits {
    struct membuf *out;
    uint32_t acc;
    unsigned n, group;
};

static void put_code(struct bits *b, uint32_t code, unsigned n_bits)
{
    b->acc |= code << b->n;
    b->n += n_bits;
    while (b->n >= 8) {
        unsigned char c = (unsigned char)b->acc;
        membuf_append(b->out, &c, 1);
        b->acc >>= 8;
        b->n -= 8;
    }
    b->group = (b->group + 1) & 7;
}

static void pad_group(struct bits *b, unsigned n_bits)
{
    while (b->group != 0)
        put_code(b, 0, n_bits);
}

static void flush_bits(struct bits *b)
{
    if (b->n > 0) {
        unsigned char c = (unsigned char)b->acc;
        membuf_append(b->out, &c, 1);
    }
    b->acc = b->n = 0;
}

/* The encoder's side mirrors what the decoder will do: its table grows
   one code behind the encoder's, and the code size grows when the
   decoder's next entry passes the largest code of the current size. */
struct enc {
    struct bits bits;
    unsigned max_bits, n_bits;
    bool block, clear_when_full;
    uint32_t table_end, enc_free, dec_free, max_code;
    bool first;                     /* no code sent yet */
    int32_t *dict;                  /* (prefix << 8 | byte) -> code, or -1:
                                       table_end << 8 of them */
};

static void enc_emit(struct enc *e, uint32_t code)
{
    if (e->dec_free > e->max_code) {
        pad_group(&e->bits, e->n_bits);
        e->n_bits++;
        e->max_code = e->n_bits == e->max_bits ? e->table_end
                                                : (1u << e->n_bits) - 1;
    }
    put_code(&e->bits, code, e->n_bits);
    if (!e->first && e->dec_free < e->table_end)
        e->dec_free++;
    e->first = false;
}

static void enc_clear(struct enc *e)
{
    enc_emit(e, 256);
    e->dec_free--;                  /* a clear adds no entry */
    pad_group(&e->bits, e->n_bits);
    e->n_bits = 9;
    e->max_code = 511;
    e->dec_free = 256;
    e->enc_free = 257;
    memset(e->dict, 0xff, sizeof *e->dict * ((size_t)e->table_end << 8));
}

static void lzw_encode(const unsigned char *in, size_t len, unsigned max_bits,
                       bool block, bool clear_when_full, struct membuf *out)
{
    struct enc e = {
        .bits = {.out = out}, .max_bits = max_bits, .n_bits = 9,
        .block = block, .clear_when_full = clear_when_full,
        .table_end = 1u << max_bits, .enc_free = block ? 257 : 256,
        .dec_free = block ? 257 : 256, .max_code = 511, .first = true,
    };
    size_t dict_len = (size_t)e.table_end << 8;
    e.dict = malloc(sizeof *e.dict * dict_len);
    ck_assert_ptr_nonnull(e.dict);
    memset(e.dict, 0xff, sizeof *e.dict * dict_len);
    unsigned char hdr[3] = {0x1f, 0x9d,
                            (unsigned char)(max_bits | (block ? 0x80 : 0))};
    membuf_append(out, hdr, 3);
    if (len > 0) {
        uint32_t w = in[0];
        for (size_t i = 1; i < len; i++) {
            uint32_t key = w << 8 | in[i];
            if (e.dict[key] >= 0) {
                w = (uint32_t)e.dict[key];
                continue;
            }
            enc_emit(&e, w);
            if (e.enc_free < e.table_end)
                e.dict[key] = (int32_t)e.enc_free++;
            else if (block && clear_when_full)
                enc_clear(&e);
            w = in[i];
        }
        enc_emit(&e, w);
    }
    flush_bits(&e.bits);
    free(e.dict);
}

/* ---- running the decoder ---------------------------------------------- */

static enum dec_state lzw_run(const struct membuf *in, size_t piece,
                              struct dec_out *o, struct decoder **dp)
{
    struct decoder *d = lzw_decoder_new(dec_collect, o);
    enum dec_state st = decode_all(d, in->data, in->len, piece, NULL);
    ck_assert_uint_eq(o->bad_len, 0);
    if (dp != NULL)
        *dp = d;
    else
        dec_free(d);
    return st;
}

static void assert_decodes_to(const struct membuf *z, const struct membuf *want,
                              size_t piece)
{
    struct dec_out o = {0};
    struct decoder *d;
    ck_assert_int_eq(lzw_run(z, piece, &o, &d), DEC_END);
    ck_assert_ptr_null(d->error);
    ck_assert_uint_eq(d->warnings, 0);
    ck_assert_uint_eq(o.buf.len, want->len);
    ck_assert(want->len == 0 || memcmp(o.buf.data, want->data, want->len) == 0);
    ck_assert_uint_eq(d->bytes_out, want->len);
    dec_free(d);
    membuf_free(&o.buf);
}

/* Fails with exactly `error`, having written a prefix of `want` (when
   not NULL). */
static void assert_fails(const struct membuf *z, const char *error,
                         const struct membuf *want)
{
    struct dec_out o = {0};
    struct decoder *d;
    ck_assert_int_eq(lzw_run(z, 0, &o, &d), DEC_FAILED);
    ck_assert_ptr_nonnull(d->error);
    ck_assert_str_eq(d->error, error);
    if (want != NULL) {
        ck_assert_uint_le(o.buf.len, want->len);
        ck_assert(o.buf.len == 0 || memcmp(o.buf.data, want->data, o.buf.len) == 0);
    }
    dec_free(d);
    membuf_free(&o.buf);
}

/* A stream of hand-written codes of n_bits each (no size change). */
static void hand_codes(struct membuf *z, unsigned char flags,
                       const uint32_t *codes, size_t n, unsigned n_bits)
{
    unsigned char hdr[3] = {0x1f, 0x9d, flags};
    membuf_append(z, hdr, 3);
    struct bits b = {.out = z};
    for (size_t i = 0; i < n; i++)
        put_code(&b, codes[i], n_bits);
    flush_bits(&b);
}

/* ---- tests ------------------------------------------------------------ */

START_TEST(test_ncompress_round_trips)
{
    /* compress -b10 .. -b16 (its -b9 output is broken: see issue 14). */
    struct membuf in = {0};
    make_mixed(&in, 400000, 7);
    for (int bits = 10; bits <= 16; bits++) {
        char cmd[64];
        snprintf(cmd, sizeof cmd, "compress -c -b%d", bits);
        struct membuf z = {0};
        ck_assert_msg(pipe_through(cmd, in.data, in.len, &z) == 0,
                      "%s failed (is ncompress installed?)", cmd);
        ck_assert_uint_eq(z.data[2], 0x80 | bits);
        assert_decodes_to(&z, &in, 0);
        if (bits == 12 || bits == 16)
            assert_decodes_to(&z, &in, 1);      /* a byte at a time */
        membuf_free(&z);
    }
    membuf_free(&in);
}
END_TEST

START_TEST(test_ncompress_small_inputs)
{
    /* Empty, one byte, and the KwKwK case (a run: each code is the one
       being defined). */
    static const char *const inputs[] = {"", "x", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                                         "abababababababababababab"};
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        struct membuf in = {0}, z = {0};
        membuf_append(&in, inputs[i], strlen(inputs[i]));
        ck_assert_int_eq(pipe_through("compress -c -f -b16", in.data, in.len, &z), 0);
        assert_decodes_to(&z, &in, 0);
        membuf_free(&z);
        membuf_free(&in);
    }
}
END_TEST

START_TEST(test_own_encoder_9_to_16_bits)
{
    /* Block mode with a clear each time the table fills (9 bits then
       never needs 10), block mode without clears, and the old mode
       without block (no clear code: 256 is an ordinary code). */
    struct membuf in = {0};
    make_mixed(&in, 150000, 11);
    for (unsigned bits = 9; bits <= 16; bits++) {
        for (int mode = 0; mode < 3; mode++) {
            struct membuf z = {0};
            lzw_encode(in.data, in.len, bits, mode != 2, mode == 0, &z);
            assert_decodes_to(&z, &in, 0);
            membuf_free(&z);
        }
    }
    membuf_free(&in);
}
END_TEST

START_TEST(test_kwkwk_by_hand)
{
    /* 'a', then 257: the entry being defined ("a" + its first byte). */
    struct membuf z = {0}, want = {0};
    hand_codes(&z, 0x90, (const uint32_t[]){'a', 257, 258}, 3, 9);
    membuf_append(&want, "aaaaaa", 6);
    assert_decodes_to(&z, &want, 0);
    membuf_free(&z);
    membuf_free(&want);
}
END_TEST

START_TEST(test_clear_code_by_hand)
{
    /* 'a' 'b' CLEAR: the rest of the group of eight is padding; then 'c'
       at 9 bits again (it makes entry 256, never used) and 257, the
       entry being defined: "cc". */
    struct membuf z = {0}, want = {0};
    hand_codes(&z, 0x90, (const uint32_t[]){'a', 'b', 256, 0, 0, 0, 0, 0,
                                            'c', 257}, 10, 9);
    membuf_append(&want, "abccc", 5);
    assert_decodes_to(&z, &want, 0);
    membuf_free(&z);
    membuf_free(&want);
    /* Not in block mode, 256 is an ordinary entry: the first, "ab". */
    struct membuf z2 = {0}, want2 = {0};
    hand_codes(&z2, 0x10, (const uint32_t[]){'a', 'b', 256}, 3, 9);
    membuf_append(&want2, "abab", 4);
    assert_decodes_to(&z2, &want2, 0);
    membuf_free(&z2);
    membuf_free(&want2);
}
END_TEST

START_TEST(test_max_bits_byte)
{
    struct membuf z = {0};
    hand_codes(&z, 0x91, (const uint32_t[]){'a'}, 1, 9);
    assert_fails(&z, "compressed with 17 bits, can only handle 16 bits", NULL);
    membuf_free(&z);
    struct membuf z31 = {0};
    hand_codes(&z31, 0x9f, (const uint32_t[]){'a'}, 1, 9);
    assert_fails(&z31, "compressed with 31 bits, can only handle 16 bits", NULL);
    membuf_free(&z31);

    /* The reserved bits: a warning, and the data. */
    struct membuf w = {0}, want = {0};
    hand_codes(&w, 0x90 | 0x60, (const uint32_t[]){'h', 'i'}, 2, 9);
    membuf_append(&want, "hi", 2);
    struct dec_out o = {0};
    struct decoder *d;
    ck_assert_int_eq(lzw_run(&w, 0, &o, &d), DEC_END);
    ck_assert_uint_eq(d->warnings, DEC_WARN_FLAGS);
    ck_assert_str_eq(d->warning, "warning, unknown flags 0x60");
    ck_assert_uint_eq(o.buf.len, 2);
    ck_assert_mem_eq(o.buf.data, "hi", 2);
    dec_free(d);
    membuf_free(&o.buf);
    membuf_free(&w);
    membuf_free(&want);
}
END_TEST

START_TEST(test_corrupt_codes)
{
    struct membuf want = {0};
    membuf_append(&want, "abab", 4);
    /* A first code that is not a byte. */
    struct membuf z1 = {0};
    hand_codes(&z1, 0x90, (const uint32_t[]){300}, 1, 9);
    assert_fails(&z1, "corrupt input.", NULL);
    struct membuf z1b = {0};     /* 256 first, even in block mode */
    hand_codes(&z1b, 0x90, (const uint32_t[]){256}, 1, 9);
    assert_fails(&z1b, "corrupt input.", NULL);
    /* A code past the next free entry (after 'a' 'b' 257, entries 257
       and 258 exist: 259 would be KwKwK, 260 is beyond): what came
       before is written first, as gzip does. */
    struct membuf z2 = {0};
    hand_codes(&z2, 0x90, (const uint32_t[]){'a', 'b', 257, 260}, 4, 9);
    struct dec_out o = {0};
    struct decoder *d;
    ck_assert_int_eq(lzw_run(&z2, 0, &o, &d), DEC_FAILED);
    ck_assert_str_eq(d->error, "corrupt input.");
    ck_assert_uint_eq(o.buf.len, 4);
    ck_assert_mem_eq(o.buf.data, "abab", 4);
    dec_free(d);
    /* After a clear, the next code must be a byte again. */
    struct membuf z3 = {0};
    hand_codes(&z3, 0x90, (const uint32_t[]){'a', 'b', 256, 0, 0, 0, 0, 0, 257},
               9, 9);
    assert_fails(&z3, "corrupt input.", &want);
    membuf_free(&o.buf);
    membuf_free(&z1);
    membuf_free(&z1b);
    membuf_free(&z2);
    membuf_free(&z3);
    membuf_free(&want);
}
END_TEST

START_TEST(test_truncation)
{
    /* Cut anywhere after the header: no error, a prefix of the data (the
       format has no end marker); cut in the header: end of file. */
    struct membuf in = {0}, z = {0};
    make_mixed(&in, 30000, 3);
    ck_assert_int_eq(pipe_through("compress -c -b12", in.data, in.len, &z), 0);
    size_t last = 0;
    for (size_t cut = 0; cut <= z.len; cut += cut < 40 ? 1 : 97) {
        struct membuf part = {0};
        membuf_append(&part, z.data, cut);
        if (cut < 3) {
            assert_fails(&part, "unexpected end of file", NULL);
        } else {
            struct dec_out o = {0};
            ck_assert_int_eq(lzw_run(&part, 0, &o, NULL), DEC_END);
            ck_assert_uint_ge(o.buf.len, last);
            ck_assert(o.buf.len <= in.len &&
                      (o.buf.len == 0 || memcmp(o.buf.data, in.data, o.buf.len) == 0));
            last = o.buf.len;
            membuf_free(&o.buf);
        }
        membuf_free(&part);
    }
    membuf_free(&in);
    membuf_free(&z);
}
END_TEST

START_TEST(test_not_compress)
{
    struct membuf z = {0};
    membuf_append(&z, "\037\213\010", 3);
    assert_fails(&z, "not in gzip format", NULL);
    membuf_free(&z);
}
END_TEST

START_TEST(test_sink_failure)
{
    struct membuf in = {0}, z = {0};
    make_mixed(&in, 300000, 5);
    lzw_encode(in.data, in.len, 16, true, false, &z);
    struct dec_out o = {.ok_calls = 1, .fail_err = ENOSPC};
    struct decoder *d;
    ck_assert_int_eq(lzw_run(&z, 0, &o, &d), DEC_FAILED);
    ck_assert_ptr_null(d->error);
    ck_assert_int_eq(d->sink_err, ENOSPC);
    ck_assert_uint_eq(o.buf.len, DEC_OUT_SIZE);
    /* Failed, it stays failed and takes nothing. */
    size_t used = 1;
    ck_assert_int_eq(dec_feed(d, z.data, z.len, &used), DEC_FAILED);
    ck_assert_uint_eq(used, 0);
    ck_assert_int_eq(dec_finish(d), DEC_FAILED);
    dec_free(d);
    membuf_free(&o.buf);
    membuf_free(&in);
    membuf_free(&z);
}
END_TEST

Suite *lzw_suite(void)
{
    Suite *s = suite_create("lzw");
    TCase *tc = tcase_create("decode");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_ncompress_round_trips);
    tcase_add_test(tc, test_ncompress_small_inputs);
    tcase_add_test(tc, test_own_encoder_9_to_16_bits);
    tcase_add_test(tc, test_kwkwk_by_hand);
    tcase_add_test(tc, test_clear_code_by_hand);
    tcase_add_test(tc, test_max_bits_byte);
    tcase_add_test(tc, test_corrupt_codes);
    tcase_add_test(tc, test_truncation);
    tcase_add_test(tc, test_not_compress);
    tcase_add_test(tc, test_sink_failure);
    suite_add_tcase(s, tc);
    return s;
}
