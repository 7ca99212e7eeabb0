/* test_chunker.c -- where blocks are cut (chunker.h): fixed blocks of the
   block size; rsyncable chunks within their bounds, cut at the same places
   however the bytes arrive, and found again after an insertion. */
#include "chunker.h"
#include "suites.h"

#include <stdlib.h>
#include <string.h>

#define KIB ((size_t)1024)
#define DATA_LEN (4 * 1024 * KIB)
#define MAX_CUTS 4096

/* Deterministic pseudo-random bytes (xorshift), or text-like ones. */
static unsigned char *make_data(size_t len, unsigned seed, bool text)
{
    unsigned char *d = malloc(len);
    ck_assert_ptr_nonnull(d);
    uint32_t x = 2463534242u ^ seed;
    static const char words[] = "the quick brown fox jumps over a lazy dog\n";
    for (size_t i = 0; i < len; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        d[i] = text ? (unsigned char)words[x % (sizeof words - 1)]
                    : (unsigned char)x;
    }
    return d;
}

/* The ends of the chunks of d[0..len), scanned in pieces of `piece` bytes
   (0: pieces of varying sizes).  Returns the number of cuts. */
static size_t cuts(bool rsyncable, size_t max, const unsigned char *d,
                   size_t len, size_t piece, size_t *at)
{
    struct chunker c;
    chunker_init(&c, rsyncable, max);
    size_t n = 0, pos = 0, k = 1;
    while (pos < len) {
        size_t want = piece != 0 ? piece : (k++ * 7919) % 70001 + 1;
        if (want > len - pos)
            want = len - pos;
        bool cut;
        pos += chunker_scan(&c, d + pos, want, &cut);
        if (cut) {
            ck_assert_uint_lt(n, MAX_CUTS);
            at[n++] = pos;
        }
    }
    return n;
}

START_TEST(test_fixed_cuts_every_block)
{
    unsigned char *d = make_data(DATA_LEN, 1, false);
    size_t *at = malloc(MAX_CUTS * sizeof *at);
    size_t n = cuts(false, 128 * KIB, d, DATA_LEN, 0, at);
    ck_assert_uint_eq(n, DATA_LEN / (128 * KIB));
    for (size_t i = 0; i < n; i++)
        ck_assert_uint_eq(at[i], (i + 1) * 128 * KIB);
    ck_assert_uint_eq(chunker_min(false, 128 * KIB), 128 * KIB);
    free(at);
    free(d);
}
END_TEST

/* Chunks are within their bounds and cut at the same places whatever
   the pieces the bytes come in. */
static void check_rsyncable(bool text)
{
    unsigned char *d = make_data(DATA_LEN, 2, text);
    size_t *a = malloc(MAX_CUTS * sizeof *a), *b = malloc(MAX_CUTS * sizeof *b);
    size_t n = cuts(true, CHUNKER_RSYNC_MAX, d, DATA_LEN, DATA_LEN, a);
    ck_assert_uint_gt(n, 8);            /* not just at the maximum */
    size_t prev = 0, at_max = 0;
    for (size_t i = 0; i < n; i++) {
        ck_assert_uint_ge(a[i] - prev, CHUNKER_RSYNC_MIN);
        ck_assert_uint_le(a[i] - prev, CHUNKER_RSYNC_MAX);
        at_max += a[i] - prev == CHUNKER_RSYNC_MAX;
        prev = a[i];
    }
    ck_assert_uint_lt(at_max, n / 4);
    static const size_t pieces[] = { 63, 64, 4096, 65536, 0, 1 };
    for (size_t p = 0; p < sizeof pieces / sizeof *pieces; p++) {
        size_t m = cuts(true, CHUNKER_RSYNC_MAX, d,
                        pieces[p] == 1 ? DATA_LEN / 8 : DATA_LEN, pieces[p], b);
        if (pieces[p] == 1) {           /* a shorter input: its cuts only */
            while (n > 0 && a[n - 1] > DATA_LEN / 8)
                n--;
        }
        ck_assert_uint_eq(m, n);
        for (size_t i = 0; i < n; i++)
            ck_assert_uint_eq(b[i], a[i]);
    }
    free(a);
    free(b);
    free(d);
}

START_TEST(test_rsyncable_random)
{
    check_rsyncable(false);
}
END_TEST

START_TEST(test_rsyncable_text)
{
    check_rsyncable(true);
}
END_TEST

/* After 100 bytes inserted in the middle, the cuts after the insertion
   come back (shifted by 100) within a chunk or two. */
START_TEST(test_rsyncable_resynchronises)
{
    unsigned char *d = make_data(DATA_LEN, 3, false);
    unsigned char *e = malloc(DATA_LEN + 100);
    size_t mid = DATA_LEN / 2;
    memcpy(e, d, mid);
    memset(e + mid, 'X', 100);
    memcpy(e + mid + 100, d + mid, DATA_LEN - mid);
    size_t *a = malloc(MAX_CUTS * sizeof *a), *b = malloc(MAX_CUTS * sizeof *b);
    size_t n = cuts(true, CHUNKER_RSYNC_MAX, d, DATA_LEN, 0, a);
    size_t m = cuts(true, CHUNKER_RSYNC_MAX, e, DATA_LEN + 100, 0, b);
    size_t i = 0, j = 0, differ = 0;
    while (i < n && a[i] < mid) {       /* the same before */
        ck_assert_uint_eq(b[i], a[i]);
        i++;
    }
    j = i;
    while (i < n && j < m && b[j] != a[i] + 100) {
        differ++;
        if (b[j] < a[i] + 100)
            j++;
        else
            i++;
    }
    ck_assert_uint_le(differ, 2);
    for (; i < n && j < m; i++, j++)    /* and the same after */
        ck_assert_uint_eq(b[j], a[i] + 100);
    ck_assert_uint_eq(n - i, m - j);
    free(a);
    free(b);
    free(e);
    free(d);
}
END_TEST

/* A maximum below the usual minimum lowers the minimum. */
START_TEST(test_small_maximum)
{
    ck_assert_uint_eq(chunker_min(true, 32 * KIB), 16 * KIB);
    ck_assert_uint_eq(chunker_min(true, CHUNKER_RSYNC_MAX), CHUNKER_RSYNC_MIN);
    unsigned char *d = make_data(DATA_LEN, 4, false);
    size_t *a = malloc(MAX_CUTS * sizeof *a);
    size_t n = cuts(true, 32 * KIB, d, DATA_LEN, 0, a);
    size_t prev = 0;
    for (size_t i = 0; i < n; i++) {
        ck_assert_uint_ge(a[i] - prev, 16 * KIB);
        ck_assert_uint_le(a[i] - prev, 32 * KIB);
        prev = a[i];
    }
    free(a);
    free(d);
}
END_TEST

Suite *chunker_suite(void)
{
    Suite *s = suite_create("chunker");
    TCase *tc = tcase_create("cuts");
    tcase_add_test(tc, test_fixed_cuts_every_block);
    tcase_add_test(tc, test_rsyncable_random);
    tcase_add_test(tc, test_rsyncable_text);
    tcase_add_test(tc, test_rsyncable_resynchronises);
    tcase_add_test(tc, test_small_maximum);
    suite_add_tcase(s, tc);
    return s;
}
