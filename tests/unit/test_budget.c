/* test_budget.c -- the memory budget (budget.h): compressors and blocks in
   flight do not grow with -j, and a large block size means fewer blocks. */
#include "budget.h"
#include "options.h"
#include "suites.h"

#define KIB ((size_t)1024)

START_TEST(test_slots_are_the_cpus)
{
    ck_assert_uint_eq(budget_slots(1, 2), 1);
    ck_assert_uint_eq(budget_slots(2, 2), 2);
    ck_assert_uint_eq(budget_slots(64, 2), 2);
    ck_assert_uint_eq(budget_slots(PGZ_MAX_JOBS, 2), 2);
    ck_assert_uint_eq(budget_slots(8, 64), 8);
    ck_assert_uint_eq(budget_slots(1, 0), 1);      /* never none */
}
END_TEST

START_TEST(test_default_blocks)
{
    size_t b = PGZ_DEFAULT_BLOCK_KIB * KIB;
    ck_assert_uint_eq(budget_block_tokens(b, 1), 4);
    ck_assert_uint_eq(budget_block_tokens(b, 2), 8);
    /* 32 MiB of 128 KiB blocks: 256, so 4 per compressor up to 64. */
    ck_assert_uint_eq(budget_block_tokens(b, 64), 256);
    ck_assert_uint_eq(budget_block_tokens(b, 128), 256);
}
END_TEST

START_TEST(test_big_blocks_are_fewer)
{
    size_t max = PGZ_MAX_BLOCK_KIB * KIB;
    /* Bytes first, then one per compressor plus the one read ahead. */
    ck_assert_uint_eq(budget_block_tokens(4096 * KIB, 2), 8);
    ck_assert_uint_eq(budget_block_tokens(8192 * KIB, 2), 4);
    ck_assert_uint_eq(budget_block_tokens(16384 * KIB, 2), 3);
    ck_assert_uint_eq(budget_block_tokens(max, 1), 2);
    ck_assert_uint_eq(budget_block_tokens(max, 2), 3);
    ck_assert_uint_eq(budget_block_tokens(max, 8), 9);
    /* Whatever the size, bytes stay within the budget or the floor. */
    for (size_t kib = PGZ_MIN_BLOCK_KIB; kib <= PGZ_MAX_BLOCK_KIB; kib *= 2) {
        size_t n = budget_block_tokens(kib * KIB, 2);
        ck_assert(n >= 3);
        ck_assert(n == 3 || n * kib * KIB <= BUDGET_BLOCK_BYTES);
    }
}
END_TEST

Suite *budget_suite(void)
{
    Suite *s = suite_create("budget");
    TCase *tc = tcase_create("budget");
    tcase_add_test(tc, test_slots_are_the_cpus);
    tcase_add_test(tc, test_default_blocks);
    tcase_add_test(tc, test_big_blocks_are_fewer);
    suite_add_tcase(s, tc);
    return s;
}
