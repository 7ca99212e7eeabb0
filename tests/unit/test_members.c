/* test_members.c -- the member walker (members.h) and the ordered-completion
   primitive (ordered.h). */
#include "helpers.h"
#include "members.h"
#include "ordered.h"
#include "suites.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

/* A sized member's header: fixed part, FEXTRA with one subfield, then an
   optional name.  Returns its length. */
static size_t header(unsigned char *h, const char *si, uint32_t value,
                     const char *name)
{
    static const unsigned char fixed[10] = { 0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 3 };
    memcpy(h, fixed, 10);
    bool bc = si[0] == 'B';
    size_t sub = bc ? 2 : 4, at = 10;
    h[at++] = (unsigned char)(4 + sub);
    h[at++] = 0;
    h[at++] = (unsigned char)si[0];
    h[at++] = (unsigned char)si[1];
    h[at++] = (unsigned char)sub;
    h[at++] = 0;
    for (size_t i = 0; i < sub; i++)
        h[at++] = (unsigned char)(value >> (8 * i));
    if (name != NULL) {
        h[3] |= 8;
        strcpy((char *)h + at, name);
        at += strlen(name) + 1;
    }
    return at;
}

START_TEST(test_pg_and_bc)
{
    unsigned char h[64];
    struct member_info m;
    size_t n = header(h, "PG", 1000, NULL);
    ck_assert_int_eq(members_parse(h, n, false, &m), MEMBER_SIZED);
    ck_assert_uint_eq(m.header_len, 20);
    ck_assert_uint_eq(m.len, 1000);
    n = header(h, "BC", 27, NULL);      /* BGZF's EOF member: BSIZE 27 */
    ck_assert_int_eq(members_parse(h, n, false, &m), MEMBER_SIZED);
    ck_assert_uint_eq(m.header_len, 18);
    ck_assert_uint_eq(m.len, 28);
    n = header(h, "PG", 5000, "name.txt");
    ck_assert_int_eq(members_parse(h, n, false, &m), MEMBER_SIZED);
    ck_assert_uint_eq(m.header_len, 29);
}
END_TEST

START_TEST(test_cut_short)
{
    unsigned char h[64];
    struct member_info m;
    size_t n = header(h, "PG", 5000, "name.txt");
    for (size_t len = 2; len < n; len++) {
        ck_assert_int_eq(members_parse(h, len, false, &m), MEMBER_MORE);
        ck_assert_int_eq(members_parse(h, len, true, &m), MEMBER_PLAIN);
    }
    ck_assert_int_eq(members_parse(h, 1, false, &m), MEMBER_NONE);
    ck_assert_int_eq(members_parse(h, 0, true, &m), MEMBER_NONE);
}
END_TEST

START_TEST(test_lengths_that_cannot_be)
{
    unsigned char h[64];
    struct member_info m;
    /* 0, shorter than header + empty deflate + trailer, over the limit */
    uint32_t bad[] = { 0, 20, 29, MEMBERS_MAX_LEN + 1, UINT32_MAX };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t n = header(h, "PG", bad[i], NULL);
        ck_assert_int_eq(members_parse(h, n, false, &m), MEMBER_PLAIN);
    }
    size_t n = header(h, "PG", 30, NULL);
    ck_assert_int_eq(members_parse(h, n, false, &m), MEMBER_SIZED);
    n = header(h, "BC", 0, NULL);      /* BSIZE 0: a member of 1 byte */
    ck_assert_int_eq(members_parse(h, n, false, &m), MEMBER_PLAIN);
}
END_TEST

START_TEST(test_not_walked)
{
    unsigned char h[64];
    struct member_info m;
    size_t n = header(h, "PG", 1000, NULL);
    h[3] |= 2;                          /* FHCRC: the sequential reader checks it */
    ck_assert_int_eq(members_parse(h, n, false, &m), MEMBER_PLAIN);
    n = header(h, "PG", 1000, NULL);
    h[3] = 0;                           /* no FEXTRA: plain gzip */
    ck_assert_int_eq(members_parse(h, n, false, &m), MEMBER_PLAIN);
    n = header(h, "XY", 1000, NULL);    /* someone else's subfield */
    ck_assert_int_eq(members_parse(h, n, false, &m), MEMBER_PLAIN);
    n = header(h, "PG", 1000, NULL);
    h[2] = 7;                           /* not deflate */
    ck_assert_int_eq(members_parse(h, n, false, &m), MEMBER_PLAIN);
    n = header(h, "PG", 1000, NULL);
    h[3] |= 0x20;                       /* encrypted */
    ck_assert_int_eq(members_parse(h, n, false, &m), MEMBER_PLAIN);
    n = header(h, "PG", 1000, NULL);
    h[14] = 200;                        /* a subfield longer than XLEN */
    ck_assert_int_eq(members_parse(h, n, false, &m), MEMBER_PLAIN);
    h[0] = 0;
    ck_assert_int_eq(members_parse(h, n, false, &m), MEMBER_NONE);
}
END_TEST

START_TEST(test_trailer)
{
    unsigned char m[16] = {0};
    memcpy(m + 8, "\x78\x56\x34\x12\x04\x03\x02\x01", 8);
    ck_assert_uint_eq(members_crc(m, 16), 0x12345678u);
    ck_assert_uint_eq(members_isize(m, 16), 0x01020304u);
}
END_TEST

/* ---- ordered ------------------------------------------------------------- */

#define PIECES 2000
#define THREADS 4

struct piece {
    struct ordered_item turn;
};

struct run {
    struct ordered o;
    struct piece piece[PIECES];
    size_t written[PIECES];
    size_t nwritten;            /* only the writer touches it */
    size_t next_piece;          /* pieces handed to threads */
    pthread_mutex_t lock;
};

static void *finisher(void *arg)
{
    struct run *r = arg;
    for (;;) {
        pthread_mutex_lock(&r->lock);
        size_t k = r->next_piece++;
        pthread_mutex_unlock(&r->lock);
        if (k >= PIECES)
            return NULL;
        k = k / 16 * 16 + 15 - k % 16;  /* finished in an order of its own */
        r->piece[k].turn.index = k;
        if (!ordered_put(&r->o, &r->piece[k].turn))
            continue;
        struct ordered_item *it;
        while ((it = ordered_next(&r->o)) != NULL)
            r->written[r->nwritten++] = it->index;
    }
}

START_TEST(test_ordered_by_many_threads)
{
    static struct run r;
    memset(&r, 0, sizeof r);
    ordered_init(&r.o);
    pthread_mutex_init(&r.lock, NULL);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, finisher, &r), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    ck_assert_uint_eq(r.nwritten, PIECES);
    for (size_t i = 0; i < PIECES; i++)
        ck_assert_uint_eq(r.written[i], i);
    ordered_destroy(&r.o);
    pthread_mutex_destroy(&r.lock);
}
END_TEST

START_TEST(test_ordered_out_of_order)
{
    struct ordered o;
    struct ordered_item it[3] = { { .index = 0 }, { .index = 1 }, { .index = 2 } };
    ordered_init(&o);
    ck_assert(ordered_put(&o, &it[2]));         /* writer, but not its turn */
    ck_assert_ptr_null(ordered_next(&o));       /* ... and no longer writer */
    ck_assert(ordered_put(&o, &it[1]));
    ck_assert_ptr_null(ordered_next(&o));
    ck_assert(ordered_put(&o, &it[0]));
    ck_assert_ptr_eq(ordered_next(&o), &it[0]);
    ck_assert_ptr_eq(ordered_next(&o), &it[1]);
    ck_assert_ptr_eq(ordered_next(&o), &it[2]);
    ck_assert_ptr_null(ordered_next(&o));
    ordered_destroy(&o);
}
END_TEST

START_TEST(test_ordered_one_writer)
{
    struct ordered o;
    struct ordered_item it[2] = { { .index = 0 }, { .index = 1 } };
    ordered_init(&o);
    ck_assert(ordered_put(&o, &it[0]));
    ck_assert(!ordered_put(&o, &it[1]));        /* the writer will find it */
    ck_assert_ptr_eq(ordered_next(&o), &it[0]);
    ck_assert_ptr_eq(ordered_next(&o), &it[1]);
    ck_assert_ptr_null(ordered_next(&o));
    ordered_destroy(&o);
}
END_TEST

Suite *members_suite(void)
{
    Suite *s = suite_create("members");
    TCase *tc = tcase_create("walker");
    tcase_add_test(tc, test_pg_and_bc);
    tcase_add_test(tc, test_cut_short);
    tcase_add_test(tc, test_lengths_that_cannot_be);
    tcase_add_test(tc, test_not_walked);
    tcase_add_test(tc, test_trailer);
    suite_add_tcase(s, tc);
    tc = tcase_create("ordered");
    tcase_add_test(tc, test_ordered_by_many_threads);
    tcase_add_test(tc, test_ordered_out_of_order);
    tcase_add_test(tc, test_ordered_one_writer);
    suite_add_tcase(s, tc);
    return s;
}
