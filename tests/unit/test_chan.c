/* test_chan.c -- the Go-style channel (chan.h). */
#include "chan.h"
#include "helpers.h"
#include "suites.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define ITEM(n) ((void *)(uintptr_t)(n))
#define NUM(p) ((uintptr_t)(p))
#define SENTINEL ITEM(0xdead)

static void expect_recv(chan_t *ch, uintptr_t want)
{
    void *item = SENTINEL;
    ck_assert_msg(chan_recv(ch, &item), "recv of %ju reported closed",
                  (uintmax_t)want);
    ck_assert_uint_eq(NUM(item), want);
}

/* A thread doing one send, or one receive, and saying when it returned. */
struct one_op {
    chan_t *ch;
    void *item;
    bool ok;
    atomic_int done;
    pthread_t tid;
};

static void *send_one(void *arg)
{
    struct one_op *op = arg;
    chan_send(op->ch, op->item);
    atomic_store(&op->done, 1);
    return NULL;
}

static void *recv_one(void *arg)
{
    struct one_op *op = arg;
    op->ok = chan_recv(op->ch, &op->item);
    atomic_store(&op->done, 1);
    return NULL;
}

static int returned(struct one_op *op)
{
    return atomic_load(&op->done);
}

static void start(struct one_op *op, chan_t *ch, void *item,
                  void *(*fn)(void *))
{
    op->ch = ch;
    op->item = item;
    op->ok = false;
    atomic_store(&op->done, 0);
    ck_assert_int_eq(pthread_create(&op->tid, NULL, fn, op), 0);
}

START_TEST(test_fifo_order)
{
    chan_t *ch = chan_new(8);
    ck_assert_ptr_nonnull(ch);
    for (uintptr_t i = 1; i <= 8; i++)
        chan_send(ch, ITEM(i));
    for (uintptr_t i = 1; i <= 8; i++)
        expect_recv(ch, i);
    /* Around the end of the ring, more than once (never more than 8). */
    uintptr_t sent = 100, received = 100;
    for (int k = 0; k < 3; k++)
        chan_send(ch, ITEM(sent++));
    for (int round = 0; round < 20; round++) {
        for (int k = 0; k < 5; k++)
            chan_send(ch, ITEM(sent++));
        ck_assert_uint_eq(chan_len(ch), 8);
        for (int k = 0; k < 5; k++)
            expect_recv(ch, received++);
    }
    while (received < sent)
        expect_recv(ch, received++);
    ck_assert_uint_eq(chan_len(ch), 0);
    chan_free(ch);
}
END_TEST

START_TEST(test_len)
{
    chan_t *ch = chan_new(3);
    ck_assert_uint_eq(chan_len(ch), 0);
    chan_send(ch, ITEM(1));
    chan_send(ch, ITEM(2));
    ck_assert_uint_eq(chan_len(ch), 2);
    chan_send(ch, ITEM(3));
    ck_assert_uint_eq(chan_len(ch), 3);
    expect_recv(ch, 1);
    ck_assert_uint_eq(chan_len(ch), 2);
    chan_close(ch);
    ck_assert_uint_eq(chan_len(ch), 2);
    expect_recv(ch, 2);
    expect_recv(ch, 3);
    ck_assert_uint_eq(chan_len(ch), 0);
    chan_free(ch);
}
END_TEST

START_TEST(test_new_zero_capacity)
{
    errno = 0;
    ck_assert_ptr_null(chan_new(0));
    ck_assert_int_eq(errno, EINVAL);
    chan_free(NULL);
}
END_TEST

START_TEST(test_send_blocks_while_full)
{
    chan_t *ch = chan_new(2);
    chan_send(ch, ITEM(1));
    chan_send(ch, ITEM(2));
    struct one_op op;
    start(&op, ch, ITEM(3), send_one);
    sleep_ms(100);
    ck_assert_msg(returned(&op) == 0, "send on a full channel returned");
    ck_assert_uint_eq(chan_len(ch), 2);
    expect_recv(ch, 1);           /* makes room: the sender goes on */
    ck_assert_int_eq(pthread_join(op.tid, NULL), 0);
    ck_assert_int_eq(returned(&op), 1);
    expect_recv(ch, 2);
    expect_recv(ch, 3);
    chan_free(ch);
}
END_TEST

START_TEST(test_batched_wakes_sender_at_low_water)
{
    chan_t *ch = chan_new_batched(4, 1);
    for (uintptr_t i = 1; i <= 4; i++)
        chan_send(ch, ITEM(i));
    struct one_op op;
    start(&op, ch, ITEM(5), send_one);
    sleep_ms(100);                /* the sender is blocked by now */
    expect_recv(ch, 1);           /* 3 left: above the low-water mark */
    expect_recv(ch, 2);           /* 2 left */
    sleep_ms(100);
    ck_assert_msg(returned(&op) == 0, "sender woken above the low-water mark");
    expect_recv(ch, 3);           /* 1 left: the sender goes on */
    ck_assert_int_eq(pthread_join(op.tid, NULL), 0);
    expect_recv(ch, 4);
    expect_recv(ch, 5);
    ck_assert_ptr_null(chan_new_batched(2, 2));
    ck_assert_int_eq(errno, EINVAL);
    chan_free(ch);
}
END_TEST

START_TEST(test_batched_receivers)
{
    chan_t *ch = chan_new(8);
    chan_batch_receivers(ch, 3, 10 * 1000 * 1000);   /* 3 items, or 10 s */
    struct one_op op;
    start(&op, ch, NULL, recv_one);
    sleep_ms(50);
    chan_send(ch, ITEM(1));
    chan_send(ch, ITEM(2));
    sleep_ms(100);
    ck_assert_msg(returned(&op) == 0, "receiver woken before its batch");
    chan_send(ch, ITEM(3));         /* the batch: woken at once */
    ck_assert_int_eq(pthread_join(op.tid, NULL), 0);
    ck_assert(op.ok);
    ck_assert_uint_eq(NUM(op.item), 1);
    chan_free(ch);
}
END_TEST

START_TEST(test_batched_receivers_wake_by_the_clock)
{
    chan_t *ch = chan_new(8);
    chan_batch_receivers(ch, 8, 200 * 1000);         /* 8 items, or 0.2 s */
    struct one_op op;
    start(&op, ch, NULL, recv_one);
    sleep_ms(50);
    chan_send(ch, ITEM(7));         /* far from a batch */
    ck_assert_int_eq(pthread_join(op.tid, NULL), 0);  /* yet it comes */
    ck_assert(op.ok);
    ck_assert_uint_eq(NUM(op.item), 7);
    chan_free(ch);
}
END_TEST

/* A receiver thread that says which it is, for /proc to tell how often it
   woke. */
struct counted_recv {
    struct one_op op;
    _Atomic pid_t tid;
};

static void *recv_counted(void *arg)
{
    struct counted_recv *c = arg;
    atomic_store(&c->tid, gettid());
    return recv_one(&c->op);
}

/* How many times thread `tid` of this process gave up its CPU. */
static long voluntary_switches(pid_t tid)
{
    char path[64], line[128];
    snprintf(path, sizeof path, "/proc/self/task/%d/status", (int)tid);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    long n = -1;
    while (fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "voluntary_ctxt_switches: %ld", &n) == 1)
            break;
    fclose(f);
    ck_assert_int_ge(n, 0);
    return n;
}

START_TEST(test_batched_receivers_sleep_while_idle)
{
    chan_t *ch = chan_new(8);
    chan_batch_receivers(ch, 8, 1000);              /* 8 items, or 1 ms */
    struct counted_recv c = { 0 };
    c.op.ch = ch;
    ck_assert_int_eq(pthread_create(&c.op.tid, NULL, recv_counted, &c), 0);
    while (atomic_load(&c.tid) == 0)
        sleep_ms(1);
    sleep_ms(20);                   /* asleep in chan_recv by now */
    long before = voluntary_switches(atomic_load(&c.tid));
    sleep_ms(300);                  /* a clock of 1 ms: 300 wake-ups */
    long woken = voluntary_switches(atomic_load(&c.tid)) - before;
    ck_assert_msg(woken <= 3, "an idle receiver woke %ld times", woken);
    chan_send(ch, ITEM(5));         /* the first item wakes it */
    ck_assert_int_eq(pthread_join(c.op.tid, NULL), 0);
    ck_assert(c.op.ok);
    ck_assert_uint_eq(NUM(c.op.item), 5);
    chan_free(ch);
}
END_TEST

START_TEST(test_recv_blocks_while_empty)
{
    chan_t *ch = chan_new(2);
    struct one_op op;
    start(&op, ch, SENTINEL, recv_one);
    sleep_ms(100);
    ck_assert_msg(returned(&op) == 0, "recv on an empty channel returned");
    chan_send(ch, ITEM(42));
    ck_assert_int_eq(pthread_join(op.tid, NULL), 0);
    ck_assert(op.ok);
    ck_assert_uint_eq(NUM(op.item), 42);
    ck_assert_uint_eq(chan_len(ch), 0);
    chan_free(ch);
}
END_TEST

START_TEST(test_close_drains_then_reports_closed)
{
    chan_t *ch = chan_new(4);
    chan_send(ch, ITEM(1));
    chan_send(ch, ITEM(2));
    chan_send(ch, ITEM(3));
    chan_close(ch);
    expect_recv(ch, 1);
    expect_recv(ch, 2);
    expect_recv(ch, 3);
    void *item = SENTINEL;
    ck_assert(!chan_recv(ch, &item));
    ck_assert_ptr_eq(item, SENTINEL);   /* left alone */
    ck_assert(!chan_recv(ch, &item));   /* and stays closed */
    ck_assert_ptr_eq(item, SENTINEL);
    chan_free(ch);
}
END_TEST

#define NRECV 3

START_TEST(test_close_wakes_blocked_receivers)
{
    chan_t *ch = chan_new(2);
    struct one_op op[NRECV];
    for (int i = 0; i < NRECV; i++)
        start(&op[i], ch, SENTINEL, recv_one);
    sleep_ms(100);
    for (int i = 0; i < NRECV; i++)
        ck_assert_int_eq(returned(&op[i]), 0);
    chan_close(ch);
    for (int i = 0; i < NRECV; i++) {
        ck_assert_int_eq(pthread_join(op[i].tid, NULL), 0);
        ck_assert(!op[i].ok);
        ck_assert_ptr_eq(op[i].item, SENTINEL);
    }
    chan_free(ch);
}
END_TEST

/* Receivers ranging over a channel: `for item := range ch`. */
struct ranger {
    chan_t *ch;
    uintptr_t got[8];
    int n;
    pthread_t tid;
};

static void *range_recv(void *arg)
{
    struct ranger *r = arg;
    void *item;
    while (chan_recv(r->ch, &item))
        if (r->n < 8)
            r->got[r->n++] = NUM(item);
    return NULL;
}

START_TEST(test_close_after_sends_loses_nothing)
{
    chan_t *ch = chan_new(4);
    struct ranger r[NRECV] = {{0}};
    for (int i = 0; i < NRECV; i++) {
        r[i].ch = ch;
        ck_assert_int_eq(pthread_create(&r[i].tid, NULL, range_recv, &r[i]), 0);
    }
    sleep_ms(50);       /* let them block on the empty channel */
    for (uintptr_t v = 1; v <= 4; v++)
        chan_send(ch, ITEM(v));
    chan_close(ch);     /* at once: queued items must still be delivered */
    int seen[5] = {0}, total = 0;
    for (int i = 0; i < NRECV; i++) {
        ck_assert_int_eq(pthread_join(r[i].tid, NULL), 0);
        for (int k = 0; k < r[i].n; k++) {
            ck_assert_uint_ge(r[i].got[k], 1);
            ck_assert_uint_le(r[i].got[k], 4);
            if (k > 0)      /* each receiver sees them in FIFO order */
                ck_assert_uint_lt(r[i].got[k - 1], r[i].got[k]);
            seen[r[i].got[k]]++;
            total++;
        }
    }
    ck_assert_int_eq(total, 4);
    for (int v = 1; v <= 4; v++)
        ck_assert_int_eq(seen[v], 1);
    chan_free(ch);
}
END_TEST

START_TEST(test_send_on_closed_aborts)
{
    chan_t *ch = chan_new(1);
    chan_close(ch);
    silence_stderr();
    chan_send(ch, ITEM(1));
}
END_TEST

START_TEST(test_double_close_aborts)
{
    chan_t *ch = chan_new(1);
    chan_close(ch);
    silence_stderr();
    chan_close(ch);
}
END_TEST

START_TEST(test_close_aborts_blocked_sender)
{
    chan_t *ch = chan_new(1);
    chan_send(ch, ITEM(1));
    struct one_op op;
    start(&op, ch, ITEM(2), send_one);
    sleep_ms(50);
    silence_stderr();
    chan_close(ch);     /* the blocked sender wakes up and panics */
    pthread_join(op.tid, NULL);
}
END_TEST

/* Stress: producers and consumers through a tiny channel. */
#define NPROD 4
#define NCONS 4
/* Items per producer: 25000, or CHAN_STRESS_ITEMS (valgrind's tools run
   the test with fewer: they are some 50 times slower). */
static uintptr_t per_producer = 25000;
#define PER_PRODUCER per_producer
#define TOTAL (NPROD * PER_PRODUCER)

struct producer {
    chan_t *ch;
    int id;
};

struct consumer {
    chan_t *ch;
    unsigned char *seen;        /* TOTAL counters */
    long last[NPROD];           /* last sequence number seen per producer */
    bool order_ok;
    pthread_t tid;
};

static void *produce(void *arg)
{
    struct producer *p = arg;
    for (uintptr_t i = 0; i < PER_PRODUCER; i++)
        chan_send(p->ch, ITEM((uintptr_t)p->id * PER_PRODUCER + i + 1));
    return NULL;
}

static void *consume(void *arg)
{
    struct consumer *c = arg;
    void *item;
    while (chan_recv(c->ch, &item)) {
        uintptr_t v = NUM(item) - 1;
        if (v >= TOTAL) {
            c->order_ok = false;
            continue;
        }
        size_t prod = v / PER_PRODUCER;
        long seq = (long)(v % PER_PRODUCER);
        if (seq <= c->last[prod])
            c->order_ok = false;
        c->last[prod] = seq;
        if (c->seen[v] < 255)
            c->seen[v]++;
    }
    return NULL;
}

START_TEST(test_stress_many_to_many)
{
    const char *items = getenv("CHAN_STRESS_ITEMS");
    if (items != NULL && atol(items) > 0)
        per_producer = (uintptr_t)atol(items);
    chan_t *ch = chan_new(3);
    struct consumer cons[NCONS];
    struct producer prods[NPROD];
    pthread_t ptid[NPROD];
    for (int i = 0; i < NCONS; i++) {
        cons[i].ch = ch;
        cons[i].seen = calloc(TOTAL, 1);
        ck_assert_ptr_nonnull(cons[i].seen);
        for (int p = 0; p < NPROD; p++)
            cons[i].last[p] = -1;
        cons[i].order_ok = true;
        ck_assert_int_eq(pthread_create(&cons[i].tid, NULL, consume, &cons[i]), 0);
    }
    for (int p = 0; p < NPROD; p++) {
        prods[p] = (struct producer){ ch, p };
        ck_assert_int_eq(pthread_create(&ptid[p], NULL, produce, &prods[p]), 0);
    }
    for (int p = 0; p < NPROD; p++)
        ck_assert_int_eq(pthread_join(ptid[p], NULL), 0);
    chan_close(ch);
    for (int i = 0; i < NCONS; i++) {
        ck_assert_int_eq(pthread_join(cons[i].tid, NULL), 0);
        ck_assert_msg(cons[i].order_ok, "consumer %d saw a producer's items out of order", i);
    }
    for (size_t v = 0; v < TOTAL; v++) {
        int count = 0;
        for (int i = 0; i < NCONS; i++)
            count += cons[i].seen[v];
        ck_assert_msg(count == 1, "item %zu received %d times", v, count);
    }
    for (int i = 0; i < NCONS; i++)
        free(cons[i].seen);
    ck_assert_uint_eq(chan_len(ch), 0);
    chan_free(ch);
}
END_TEST

Suite *chan_suite(void)
{
    Suite *s = suite_create("chan");
    TCase *tc = tcase_create("basics");
    tcase_add_test(tc, test_fifo_order);
    tcase_add_test(tc, test_len);
    tcase_add_test(tc, test_new_zero_capacity);
    tcase_add_test(tc, test_close_drains_then_reports_closed);
    suite_add_tcase(s, tc);

    tc = tcase_create("blocking");
    tcase_set_timeout(tc, 10);
    tcase_add_test(tc, test_send_blocks_while_full);
    tcase_add_test(tc, test_batched_wakes_sender_at_low_water);
    tcase_add_test(tc, test_batched_receivers);
    tcase_add_test(tc, test_batched_receivers_wake_by_the_clock);
    tcase_add_test(tc, test_batched_receivers_sleep_while_idle);
    tcase_add_test(tc, test_recv_blocks_while_empty);
    tcase_add_test(tc, test_close_wakes_blocked_receivers);
    tcase_add_test(tc, test_close_after_sends_loses_nothing);
    suite_add_tcase(s, tc);

    /* Tagged, so that a run without fork (under valgrind) can leave the
       aborts out: CK_FORK=no CK_EXCLUDE_TAGS=panics. */
    tc = tcase_create("panics");
    tcase_set_tags(tc, "panics");
    tcase_set_timeout(tc, 10);
    tcase_add_test_raise_signal(tc, test_send_on_closed_aborts, SIGABRT);
    tcase_add_test_raise_signal(tc, test_double_close_aborts, SIGABRT);
    tcase_add_test_raise_signal(tc, test_close_aborts_blocked_sender, SIGABRT);
    suite_add_tcase(s, tc);

    tc = tcase_create("stress");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_stress_many_to_many);
    suite_add_tcase(s, tc);
    return s;
}
