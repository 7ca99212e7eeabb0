/* test_unpack.c -- the pack (.z) decoder (unpack.h): byte strings checked
   with gzip, round trips through a small pack encoder written here (no
   packer ships any more), and every error. */
#include "unpack.h"
#include "legacy.h"
#include "suites.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define EOB 256                     /* the end code's symbol */

/* Huffman code lengths for the bytes of in[0..len) and the end code
   (which gets a longest code, as pack gives it).  len[s] = 0: unused. */
static unsigned huffman_lengths(const unsigned char *in, size_t n,
                                unsigned len[257])
{
    uint64_t weight[2 * 257];
    int parent[2 * 257], alive[2 * 257];
    int nodes = 257;
    memset(weight, 0, sizeof weight);
    for (size_t i = 0; i < n; i++)
        weight[in[i]]++;
    weight[EOB] = 1;
    for (int s = 0; s < 2 * 257; s++) {
        parent[s] = -1;
        alive[s] = s < 257 && weight[s] > 0;
    }
    for (;;) {
        int a = -1, b = -1;
        for (int s = 0; s < nodes; s++) {
            if (!alive[s])
                continue;
            if (a < 0 || weight[s] < weight[a])
                b = a, a = s;
            else if (b < 0 || weight[s] < weight[b])
                b = s;
        }
        if (b < 0)
            break;
        weight[nodes] = weight[a] + weight[b];
        parent[a] = parent[b] = nodes;
        alive[a] = alive[b] = 0;
        alive[nodes++] = 1;
    }
    unsigned max = 0;
    for (int s = 0; s < 257; s++) {
        len[s] = 0;
        if (weight[s] == 0 && s != EOB)
            continue;
        for (int p = parent[s]; p >= 0; p = parent[p])
            len[s]++;
        if (len[s] > max)
            max = len[s];
    }
    /* The end code must be the longest: swap it with a longest leaf. */
    for (int s = 0; s < 256 && len[EOB] < max; s++) {
        if (len[s] == max) {
            len[s] = len[EOB];
            len[EOB] = max;
        }
    }
    return max;
}

/* pack's format for in[0..n) (at least one byte), appended to *out. */
static void pack_encode(const unsigned char *in, size_t n, struct membuf *out)
{
    unsigned len[257], max = huffman_lengths(in, n, len);
    ck_assert_uint_le(max, 24);
    unsigned count[26] = {0}, parents[26] = {0}, next[26] = {0};
    for (int s = 0; s < 257; s++)
        if (len[s] > 0)
            count[len[s]]++;
    unsigned char hdr[7] = {0x1f, 0x1e, (unsigned char)(n >> 24),
                            (unsigned char)(n >> 16), (unsigned char)(n >> 8),
                            (unsigned char)n, (unsigned char)max};
    membuf_append(out, hdr, sizeof hdr);
    for (unsigned l = 1; l <= max; l++) {
        unsigned char c = (unsigned char)(count[l] - (l == max ? 2 : 0));
        membuf_append(out, &c, 1);
    }
    /* Leaves in byte order at each length, the end code last. */
    for (unsigned l = 1; l <= max; l++)
        for (int s = 0; s < 256; s++)
            if (len[s] == l) {
                unsigned char c = (unsigned char)s;
                membuf_append(out, &c, 1);
            }
    unsigned nodes = 0;
    for (unsigned l = max; l >= 1; l--) {
        nodes >>= 1;
        parents[l] = nodes;
        nodes += count[l];
    }
    uint32_t code[257];
    for (unsigned l = 1; l <= max; l++)
        next[l] = parents[l];
    for (unsigned l = 1; l <= max; l++)
        for (int s = 0; s < 257; s++)
            if (len[s] == l)
                code[s] = next[l]++;
    uint64_t acc = 0;
    unsigned bits = 0;
    for (size_t i = 0; i <= n; i++) {
        int s = i < n ? in[i] : EOB;
        acc = acc << len[s] | code[s];
        bits += len[s];
        while (bits >= 8) {
            unsigned char c = (unsigned char)(acc >> (bits - 8));
            membuf_append(out, &c, 1);
            bits -= 8;
        }
    }
    if (bits > 0) {
        unsigned char c = (unsigned char)(acc << (8 - bits));
        membuf_append(out, &c, 1);
    }
}

static enum dec_state unpack_run(const unsigned char *z, size_t n, size_t piece,
                                 struct dec_out *o, struct decoder **dp,
                                 size_t *taken)
{
    struct decoder *d = unpack_decoder_new(dec_collect, o);
    enum dec_state st = decode_all(d, z, n, piece, taken);
    ck_assert_uint_eq(o->bad_len, 0);
    *dp = d;
    return st;
}

static void assert_unpacks(const unsigned char *z, size_t zlen,
                           const void *want, size_t wlen, size_t piece)
{
    struct dec_out o = {0};
    struct decoder *d;
    size_t taken;
    ck_assert_int_eq(unpack_run(z, zlen, piece, &o, &d, &taken), DEC_END);
    ck_assert_ptr_null(d->error);
    ck_assert_uint_eq(taken, zlen);
    ck_assert_uint_eq(o.buf.len, wlen);
    ck_assert(wlen == 0 || memcmp(o.buf.data, want, wlen) == 0);
    dec_free(d);
    membuf_free(&o.buf);
}

static void assert_unpack_fails(const unsigned char *z, size_t zlen,
                                const char *error, size_t out_len)
{
    struct dec_out o = {0};
    struct decoder *d;
    ck_assert_int_eq(unpack_run(z, zlen, 0, &o, &d, NULL), DEC_FAILED);
    ck_assert_ptr_nonnull(d->error);
    ck_assert_str_eq(d->error, error);
    if (out_len != (size_t)-1)
        ck_assert_uint_eq(o.buf.len, out_len);
    dec_free(d);
    membuf_free(&o.buf);
}

/* Written by hand from the format, and decoded by gzip 1.12 to the same
   text. */
static const unsigned char PACK_AB[] = {
    0x1f, 0x1e, 0, 0, 0, 2, 2, 1, 0, 'a', 'b', 0x88};
static const unsigned char PACK_ABRA[] = {
    0x1f, 0x1e, 0, 0, 0, 12, 4, 1, 0, 2, 2, 'a', 'b', 'r', '\n', 'c', 'd',
    0xa7, 0x19, 0x53, 0x81, 0x80};

START_TEST(test_known_good)
{
    assert_unpacks(PACK_AB, sizeof PACK_AB, "ab", 2, 0);
    assert_unpacks(PACK_ABRA, sizeof PACK_ABRA, "abracadabra\n", 12, 0);
    assert_unpacks(PACK_ABRA, sizeof PACK_ABRA, "abracadabra\n", 12, 1);
}
END_TEST

START_TEST(test_round_trips)
{
    struct membuf in = {0};
    make_mixed(&in, 200000, 21);
    unsigned char all[4096];
    for (size_t i = 0; i < sizeof all; i++)
        all[i] = (unsigned char)(i * 7 + i / 256);   /* every byte value */
    unsigned char one[1000];
    memset(one, 'z', sizeof one);                    /* one byte, repeated */
    struct { const unsigned char *p; size_t n; } cases[] = {
        {in.data, in.len}, {all, sizeof all}, {one, sizeof one}, {one, 1},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        struct membuf z = {0};
        pack_encode(cases[c].p, cases[c].n, &z);
        assert_unpacks(z.data, z.len, cases[c].p, cases[c].n, 0);
        assert_unpacks(z.data, z.len, cases[c].p, cases[c].n, 1);
        membuf_free(&z);
    }
    membuf_free(&in);
}
END_TEST

START_TEST(test_what_follows_is_not_taken)
{
    /* The stream ends with its end code's byte: the next member follows. */
    struct membuf z = {0};
    membuf_append(&z, PACK_ABRA, sizeof PACK_ABRA);
    membuf_append(&z, "\037\213next", 7);
    struct dec_out o = {0};
    struct decoder *d;
    size_t taken;
    ck_assert_int_eq(unpack_run(z.data, z.len, 5, &o, &d, &taken), DEC_END);
    ck_assert_uint_eq(taken, sizeof PACK_ABRA);
    ck_assert_uint_eq(o.buf.len, 12);
    dec_free(d);
    membuf_free(&o.buf);
    membuf_free(&z);
}
END_TEST

START_TEST(test_tree_errors)
{
    const char *range = "invalid compressed data -- Huffman code bit length "
                        "out of range";
    unsigned char z0[] = {0x1f, 0x1e, 0, 0, 0, 1, 0, 0};
    assert_unpack_fails(z0, sizeof z0, range, 0);
    unsigned char z26[] = {0x1f, 0x1e, 0, 0, 0, 1, 26, 0};
    assert_unpack_fails(z26, sizeof z26, range, 0);
    /* Two leaves of length 1 and longer codes too. */
    unsigned char many[] = {0x1f, 0x1e, 0, 0, 0, 1, 2, 2, 0, 'a', 'b', 'c'};
    assert_unpack_fails(many, sizeof many, "too many leaves in Huffman tree", 0);
    /* 256 leaves counted before the end code's. */
    unsigned char many256[] = {0x1f, 0x1e, 0, 0, 0, 1, 9, 0, 0, 0, 0, 0, 0, 0,
                               1, 255};
    assert_unpack_fails(many256, sizeof many256,
                        "too many leaves in Huffman tree", 0);
    /* Two leaves of length 2 only: the tree does not close. */
    unsigned char few[] = {0x1f, 0x1e, 0, 0, 0, 1, 2, 0, 0, 'a', 0};
    assert_unpack_fails(few, sizeof few, "too few leaves in Huffman tree", 0);
    unsigned char magic[] = {0x1f, 0x1f, 0, 0, 0, 1, 2, 0, 0, 'a', 0};
    assert_unpack_fails(magic, sizeof magic, "not in gzip format", 0);
}
END_TEST

START_TEST(test_length_error)
{
    unsigned char z[sizeof PACK_ABRA];
    memcpy(z, PACK_ABRA, sizeof z);
    z[5] = 13;                      /* says 13 bytes, has 12 */
    assert_unpack_fails(z, sizeof z, "invalid compressed data--length error", 12);
}
END_TEST

START_TEST(test_truncation)
{
    /* Cut anywhere: end of file, after a prefix of the data. */
    const char *eof = "invalid compressed data -- unexpected end of file";
    struct membuf in = {0}, z = {0};
    make_mixed(&in, 5000, 9);
    pack_encode(in.data, in.len, &z);
    for (size_t cut = 0; cut < z.len; cut++) {
        struct dec_out o = {0};
        struct decoder *d;
        ck_assert_int_eq(unpack_run(z.data, cut, 0, &o, &d, NULL), DEC_FAILED);
        ck_assert_str_eq(d->error, eof);
        ck_assert(o.buf.len <= in.len &&
                  (o.buf.len == 0 || memcmp(o.buf.data, in.data, o.buf.len) == 0));
        dec_free(d);
        membuf_free(&o.buf);
    }
    /* Exactly the bytes gzip 1.12 writes: "b" is the code 1, and gzip
       looks 3 bits ahead (the longest code) before each code, so of the
       eight codes in the last byte it writes six. */
    unsigned char cut8[] = {0x1f, 0x1e, 0, 0, 0, 0x42, 3, 1, 1, 0, 'b', 'a',
                            'c', 0xff};
    assert_unpack_fails(cut8, sizeof cut8, eof, 6);
    membuf_free(&in);
    membuf_free(&z);
}
END_TEST

START_TEST(test_sink_failure)
{
    struct membuf in = {0}, z = {0};
    make_mixed(&in, 200000, 4);
    pack_encode(in.data, in.len, &z);
    struct dec_out o = {.ok_calls = 1, .fail_err = EIO};
    struct decoder *d;
    ck_assert_int_eq(unpack_run(z.data, z.len, 0, &o, &d, NULL), DEC_FAILED);
    ck_assert_ptr_null(d->error);
    ck_assert_int_eq(d->sink_err, EIO);
    ck_assert_uint_eq(o.buf.len, DEC_OUT_SIZE);
    dec_free(d);
    membuf_free(&o.buf);
    membuf_free(&in);
    membuf_free(&z);
}
END_TEST

Suite *unpack_suite(void)
{
    Suite *s = suite_create("unpack");
    TCase *tc = tcase_create("decode");
    tcase_add_test(tc, test_known_good);
    tcase_add_test(tc, test_round_trips);
    tcase_add_test(tc, test_what_follows_is_not_taken);
    tcase_add_test(tc, test_tree_errors);
    tcase_add_test(tc, test_length_error);
    tcase_add_test(tc, test_truncation);
    tcase_add_test(tc, test_sink_failure);
    suite_add_tcase(s, tc);
    return s;
}
