/* test_reorder.c -- the reorder buffer (reorder.h). */
#include "helpers.h"
#include "reorder.h"
#include "suites.h"

#include <signal.h>
#include <stdint.h>

#define ITEM(n) ((void *)(uintptr_t)((n) + 1))     /* never NULL */

static void expect_next(reorder_t *r, size_t seq)
{
    void *item = reorder_next(r);
    ck_assert_msg(item != NULL, "item %zu not handed out", seq);
    ck_assert_ptr_eq(item, ITEM(seq));
}

START_TEST(test_out_of_order)
{
    reorder_t *r = reorder_new();
    ck_assert_ptr_null(reorder_next(r));
    reorder_put(r, 2, ITEM(2));
    reorder_put(r, 1, ITEM(1));
    ck_assert_ptr_null(reorder_next(r));        /* 0 has not arrived */
    reorder_put(r, 0, ITEM(0));
    expect_next(r, 0);
    expect_next(r, 1);
    expect_next(r, 2);
    ck_assert_ptr_null(reorder_next(r));
    reorder_put(r, 4, ITEM(4));
    ck_assert_ptr_null(reorder_next(r));
    reorder_put(r, 3, ITEM(3));
    expect_next(r, 3);
    expect_next(r, 4);
    ck_assert_ptr_null(reorder_next(r));
    reorder_free(r);
}
END_TEST

START_TEST(test_in_order_long_run)
{
    /* Many times around the initial ring without growing it. */
    reorder_t *r = reorder_new();
    for (size_t i = 0; i < 10000; i++) {
        reorder_put(r, i, ITEM(i));
        expect_next(r, i);
        ck_assert_ptr_null(reorder_next(r));
    }
    reorder_free(r);
}
END_TEST

START_TEST(test_grows_reversed)
{
    reorder_t *r = reorder_new();
    for (size_t i = 1000; i >= 1; i--) {
        reorder_put(r, i, ITEM(i));
        ck_assert_ptr_null(reorder_next(r));
    }
    reorder_put(r, 0, ITEM(0));
    for (size_t i = 0; i <= 1000; i++)
        expect_next(r, i);
    ck_assert_ptr_null(reorder_next(r));
    reorder_free(r);
}
END_TEST

START_TEST(test_grows_at_powers_of_two)
{
    /* The first item exactly one ring length (or a multiple) ahead. */
    for (size_t far = 16; far <= 256; far *= 2) {
        reorder_t *r = reorder_new();
        reorder_put(r, far, ITEM(far));
        for (size_t i = 0; i < far; i++)
            reorder_put(r, i, ITEM(i));
        for (size_t i = 0; i <= far; i++)
            expect_next(r, i);
        ck_assert_ptr_null(reorder_next(r));
        reorder_free(r);
    }
}
END_TEST

START_TEST(test_grows_after_wrapping)
{
    /* Growth while the window has wrapped around the ring's end. */
    reorder_t *r = reorder_new();
    for (size_t i = 0; i < 13; i++) {
        reorder_put(r, i, ITEM(i));
        expect_next(r, i);
    }
    /* Next expected: 13.  Hold some, then reach far beyond. */
    reorder_put(r, 20, ITEM(20));
    reorder_put(r, 14, ITEM(14));
    reorder_put(r, 27, ITEM(27));
    reorder_put(r, 100, ITEM(100));
    reorder_put(r, 300, ITEM(300));
    for (size_t i = 13; i <= 300; i++)
        if (i != 20 && i != 14 && i != 27 && i != 100 && i != 300 && i % 2 == 0)
            reorder_put(r, i, ITEM(i));
    for (size_t i = 299; i >= 13; i -= 2)
        if (i != 27)
            reorder_put(r, i, ITEM(i));
    for (size_t i = 13; i <= 300; i++)
        expect_next(r, i);
    ck_assert_ptr_null(reorder_next(r));
    reorder_free(r);
}
END_TEST

START_TEST(test_interleaved_windows)
{
    /* A sliding window of 50 filled in a scrambled order. */
    reorder_t *r = reorder_new();
    size_t next = 0;
    for (size_t base = 0; base < 5000; base += 50) {
        for (size_t k = 0; k < 50; k++) {
            size_t seq = base + (k * 37) % 50;
            reorder_put(r, seq, ITEM(seq));
            void *item;
            while ((item = reorder_next(r)) != NULL) {
                ck_assert_ptr_eq(item, ITEM(next));
                next++;
            }
        }
        ck_assert_uint_eq(next, base + 50);
    }
    reorder_free(r);
}
END_TEST

START_TEST(test_same_seq_twice_aborts)
{
    reorder_t *r = reorder_new();
    reorder_put(r, 5, ITEM(5));
    silence_stderr();
    reorder_put(r, 5, ITEM(55));
}
END_TEST

START_TEST(test_same_seq_twice_after_growth_aborts)
{
    reorder_t *r = reorder_new();
    reorder_put(r, 3, ITEM(3));
    reorder_put(r, 500, ITEM(500));
    silence_stderr();
    reorder_put(r, 3, ITEM(33));
}
END_TEST

START_TEST(test_seq_handed_out_aborts)
{
    reorder_t *r = reorder_new();
    reorder_put(r, 0, ITEM(0));
    expect_next(r, 0);
    silence_stderr();
    reorder_put(r, 0, ITEM(0));
}
END_TEST

START_TEST(test_null_item_aborts)
{
    reorder_t *r = reorder_new();
    silence_stderr();
    reorder_put(r, 0, NULL);
}
END_TEST

Suite *reorder_suite(void)
{
    Suite *s = suite_create("reorder");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_out_of_order);
    tcase_add_test(tc, test_in_order_long_run);
    tcase_add_test(tc, test_grows_reversed);
    tcase_add_test(tc, test_grows_at_powers_of_two);
    tcase_add_test(tc, test_grows_after_wrapping);
    tcase_add_test(tc, test_interleaved_windows);
    tcase_add_test_raise_signal(tc, test_same_seq_twice_aborts, SIGABRT);
    tcase_add_test_raise_signal(tc, test_same_seq_twice_after_growth_aborts, SIGABRT);
    tcase_add_test_raise_signal(tc, test_seq_handed_out_aborts, SIGABRT);
    tcase_add_test_raise_signal(tc, test_null_item_aborts, SIGABRT);
    suite_add_tcase(s, tc);
    return s;
}
