/* test_waitgroup.c -- Go's sync.WaitGroup (waitgroup.h). */
#include "helpers.h"
#include "suites.h"
#include "waitgroup.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>

/* A thread blocked in waitgroup_wait(), and whether it has returned. */
struct waiter {
    waitgroup_t *wg;
    atomic_int done;
    pthread_t tid;
};

static void *do_wait(void *arg)
{
    struct waiter *w = arg;
    waitgroup_wait(w->wg);
    atomic_store(&w->done, 1);
    return NULL;
}

static int returned(struct waiter *w)
{
    return atomic_load(&w->done);
}

static void start_waiter(struct waiter *w, waitgroup_t *wg)
{
    w->wg = wg;
    atomic_store(&w->done, 0);
    ck_assert_int_eq(pthread_create(&w->tid, NULL, do_wait, w), 0);
}

/* A task: do some "work" (count it), then report done. */
struct task {
    waitgroup_t *wg;
    atomic_int *finished;
    unsigned delay_ms;
};

static void *run_task(void *arg)
{
    struct task *t = arg;
    sleep_ms(t->delay_ms);
    atomic_fetch_add(t->finished, 1);
    waitgroup_done(t->wg);
    return NULL;
}

#define NTASKS 6

/* Start NTASKS tasks the Go way (add before start), wait, check that every
   one had finished by then. */
static void run_round(waitgroup_t *wg, int round)
{
    atomic_int finished = 0;
    struct task tasks[NTASKS];
    pthread_t tid[NTASKS];
    for (int i = 0; i < NTASKS; i++) {
        tasks[i] = (struct task){ wg, &finished, (unsigned)(10 + 7 * ((i + round) % 4)) };
        waitgroup_add(wg, 1);
        ck_assert_int_eq(pthread_create(&tid[i], NULL, run_task, &tasks[i]), 0);
    }
    waitgroup_wait(wg);
    int n = atomic_load(&finished);
    ck_assert_msg(n == NTASKS, "wait returned after %d of %d tasks", n, NTASKS);
    for (int i = 0; i < NTASKS; i++)
        ck_assert_int_eq(pthread_join(tid[i], NULL), 0);
}

START_TEST(test_wait_at_zero_returns)
{
    waitgroup_t wg;
    ck_assert_int_eq(waitgroup_init(&wg), 0);
    waitgroup_wait(&wg);        /* the test timeout catches a hang */
    waitgroup_add(&wg, 2);
    waitgroup_add(&wg, -2);
    waitgroup_wait(&wg);
    waitgroup_destroy(&wg);
}
END_TEST

START_TEST(test_wait_blocks_until_all_done)
{
    waitgroup_t wg;
    ck_assert_int_eq(waitgroup_init(&wg), 0);
    waitgroup_add(&wg, 3);
    struct waiter w;
    start_waiter(&w, &wg);
    sleep_ms(50);
    ck_assert_int_eq(returned(&w), 0);
    waitgroup_done(&wg);
    waitgroup_done(&wg);
    sleep_ms(50);
    ck_assert_msg(returned(&w) == 0, "wait returned with the counter at 1");
    waitgroup_done(&wg);
    ck_assert_int_eq(pthread_join(w.tid, NULL), 0);
    ck_assert_int_eq(returned(&w), 1);
    waitgroup_destroy(&wg);
}
END_TEST

START_TEST(test_wait_for_threads)
{
    waitgroup_t wg;
    ck_assert_int_eq(waitgroup_init(&wg), 0);
    run_round(&wg, 0);
    waitgroup_destroy(&wg);
}
END_TEST

START_TEST(test_several_waiters)
{
    waitgroup_t wg;
    ck_assert_int_eq(waitgroup_init(&wg), 0);
    waitgroup_add(&wg, 1);
    struct waiter w[3];
    for (int i = 0; i < 3; i++)
        start_waiter(&w[i], &wg);
    sleep_ms(50);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(returned(&w[i]), 0);
    waitgroup_done(&wg);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(pthread_join(w[i].tid, NULL), 0);
    waitgroup_destroy(&wg);
}
END_TEST

START_TEST(test_add_negative_delta)
{
    waitgroup_t wg;
    ck_assert_int_eq(waitgroup_init(&wg), 0);
    waitgroup_add(&wg, 5);
    struct waiter w;
    start_waiter(&w, &wg);
    waitgroup_add(&wg, -3);
    sleep_ms(50);
    ck_assert_msg(returned(&w) == 0, "wait returned with the counter at 2");
    waitgroup_add(&wg, -2);
    ck_assert_int_eq(pthread_join(w.tid, NULL), 0);
    ck_assert_int_eq(returned(&w), 1);
    waitgroup_destroy(&wg);
}
END_TEST

START_TEST(test_reuse_after_wait)
{
    waitgroup_t wg;
    ck_assert_int_eq(waitgroup_init(&wg), 0);
    for (int round = 0; round < 3; round++)
        run_round(&wg, round);
    /* And a blocking wait still blocks after reuse. */
    waitgroup_add(&wg, 1);
    struct waiter w;
    start_waiter(&w, &wg);
    sleep_ms(50);
    ck_assert_int_eq(returned(&w), 0);
    waitgroup_done(&wg);
    ck_assert_int_eq(pthread_join(w.tid, NULL), 0);
    waitgroup_destroy(&wg);
}
END_TEST

START_TEST(test_done_at_zero_aborts)
{
    waitgroup_t wg;
    ck_assert_int_eq(waitgroup_init(&wg), 0);
    silence_stderr();
    waitgroup_done(&wg);
}
END_TEST

START_TEST(test_add_below_zero_aborts)
{
    waitgroup_t wg;
    ck_assert_int_eq(waitgroup_init(&wg), 0);
    waitgroup_add(&wg, 2);
    silence_stderr();
    waitgroup_add(&wg, -3);
}
END_TEST

Suite *waitgroup_suite(void)
{
    Suite *s = suite_create("waitgroup");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 10);
    tcase_add_test(tc, test_wait_at_zero_returns);
    tcase_add_test(tc, test_wait_blocks_until_all_done);
    tcase_add_test(tc, test_wait_for_threads);
    tcase_add_test(tc, test_several_waiters);
    tcase_add_test(tc, test_add_negative_delta);
    tcase_add_test(tc, test_reuse_after_wait);
    suite_add_tcase(s, tc);

    /* Tagged, so that a run without fork (under valgrind) can leave the
       aborts out: CK_FORK=no CK_EXCLUDE_TAGS=panics. */
    tc = tcase_create("panics");
    tcase_set_tags(tc, "panics");
    tcase_set_timeout(tc, 10);
    tcase_add_test_raise_signal(tc, test_done_at_zero_aborts, SIGABRT);
    tcase_add_test_raise_signal(tc, test_add_below_zero_aborts, SIGABRT);
    suite_add_tcase(s, tc);
    return s;
}
