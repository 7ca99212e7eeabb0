/* test_seqout.c -- the ordered writer (seqout.h). */
#include "engine.h"
#include "helpers.h"
#include "seqout.h"
#include "suites.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* An anonymous temporary file to write to, and reading it back. */
static int temp_fd(void)
{
    char *dir = make_tmpdir();
    char *path = path_join(dir, "out");
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    ck_assert_int_ge(fd, 0);
    remove_tmpdir(dir);
    free(path);
    return fd;
}

static void contents(int fd, struct membuf *b)
{
    ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
    b->len = 0;
    read_fd_all(fd, b);
}

static void put(seqout_stream_t *st, const char *text)
{
    ck_assert_int_eq(seqout_write(st, text, strlen(text)), 0);
}

static void check_text(int fd, const char *want)
{
    struct membuf b = {0};
    contents(fd, &b);
    membuf_append(&b, "", 1);
    ck_assert_str_eq((const char *)b.data, want);
    membuf_free(&b);
}

START_TEST(test_in_order)
{
    int fd = temp_fd();
    seqout_t *so = seqout_new(fd, 1 << 20);
    seqout_stream_t *a = seqout_open(so, 0);
    put(a, "hello, ");
    put(a, "world");
    seqout_close(a);
    seqout_stream_t *b = seqout_open(so, 1);
    put(b, "!\n");
    seqout_close(b);
    ck_assert_int_eq(seqout_wait(so, 0), 0);
    ck_assert_int_eq(seqout_wait(so, 1), 0);
    check_text(fd, "hello, world!\n");
    seqout_free(so);
    close(fd);
}
END_TEST

START_TEST(test_out_of_order_one_thread)
{
    int fd = temp_fd();
    seqout_t *so = seqout_new(fd, 1 << 20);
    seqout_stream_t *st[5];
    for (size_t t = 0; t < 5; t++)
        st[t] = seqout_open(so, t);
    put(st[3], "D1");
    put(st[2], "C1");
    put(st[3], "D2");
    seqout_close(st[2]);                /* 2 and 3 wait for 0 and 1 */
    seqout_close(st[3]);
    put(st[1], "B1");
    check_text(fd, "");                 /* nothing may come out yet */
    put(st[0], "A1");
    check_text(fd, "A1");               /* the next stream goes straight out */
    seqout_close(st[0]);
    put(st[1], "B2");                   /* now next: B1 goes out first */
    check_text(fd, "A1B1B2");
    seqout_close(st[1]);                /* flushes 2 and 3 too */
    check_text(fd, "A1B1B2C1D1D2");
    seqout_close(st[4]);                /* empty */
    ck_assert_int_eq(seqout_wait(so, 4), 0);
    check_text(fd, "A1B1B2C1D1D2");
    seqout_free(so);
    close(fd);
}
END_TEST

/* Many producers, one ticket each, writing their stream in random pieces
   with random pauses. */
#define NSTREAMS 10

struct producer {
    seqout_stream_t *st;
    const unsigned char *data;
    size_t len;
    uint32_t seed;
    int err;
    pthread_t tid;
};

static void *produce(void *arg)
{
    struct producer *p = arg;
    uint32_t r = p->seed;
    size_t off = 0;
    while (off < p->len && p->err == 0) {
        size_t n = 1 + rand_next(&r) % 900;
        if (n > p->len - off)
            n = p->len - off;
        p->err = seqout_write(p->st, p->data + off, n);
        off += n;
        uint32_t pause = rand_next(&r) % 16;
        if (pause == 0)
            sleep_ms(1);
        else if (pause < 6)
            sched_yield();
    }
    seqout_close(p->st);
    return NULL;
}

static size_t stream_len(int t)
{
    return t == 3 || t == 6 ? 0 : 2000 + (size_t)t * 1337;   /* 3, 6 empty */
}

static void run_producers(size_t max_buffered)
{
    int fd = temp_fd();
    seqout_t *so = seqout_new(fd, max_buffered);
    struct producer p[NSTREAMS];
    struct membuf want = {0};
    for (int t = 0; t < NSTREAMS; t++) {
        size_t len = stream_len(t);
        unsigned char *data = malloc(len + 1);
        fill_random(data, len, (uint32_t)t + 100);
        membuf_append(&want, data, len);
        p[t] = (struct producer){ .st = seqout_open(so, (size_t)t), .data = data,
                                  .len = len, .seed = (uint32_t)t * 7919 + 1 };
    }
    /* Start the later tickets first, so they must buffer or wait. */
    for (int t = NSTREAMS - 1; t >= 0; t--)
        ck_assert_int_eq(pthread_create(&p[t].tid, NULL, produce, &p[t]), 0);
    /* Once the last ticket is out, everything is, whatever the threads
       are still doing. */
    ck_assert_int_eq(seqout_wait(so, NSTREAMS - 1), 0);
    struct membuf got = {0};
    contents(fd, &got);
    for (int t = 0; t < NSTREAMS; t++) {
        ck_assert_int_eq(pthread_join(p[t].tid, NULL), 0);
        ck_assert_int_eq(p[t].err, 0);
        ck_assert_int_eq(seqout_wait(so, (size_t)t), 0);
        free((void *)p[t].data);
    }
    ck_assert_uint_eq(got.len, want.len);
    size_t off = 0;
    for (int t = 0; t < NSTREAMS; t++) {
        size_t len = stream_len(t);
        ck_assert_msg(memcmp(got.data + off, want.data + off, len) == 0,
                      "stream %d is not whole and in its place", t);
        off += len;
    }
    membuf_free(&got);
    membuf_free(&want);
    seqout_free(so);
    close(fd);
}

START_TEST(test_threads_large_buffer)
{
    run_producers(1 << 20);
}
END_TEST

START_TEST(test_threads_small_buffer)
{
    run_producers(100);     /* far less than the data: producers must wait */
}
END_TEST

struct blocked_writer {
    seqout_stream_t *st;
    int err;
    atomic_int done;
    pthread_t tid;
};

static void *write_fifty(void *arg)
{
    struct blocked_writer *b = arg;
    for (int i = 0; i < 5 && b->err == 0; i++)
        b->err = seqout_write(b->st, "0123456789", 10);
    atomic_store(&b->done, 1);
    seqout_close(b->st);
    return NULL;
}

START_TEST(test_waits_for_turn_when_buffer_full)
{
    int fd = temp_fd();
    seqout_t *so = seqout_new(fd, 10);
    seqout_stream_t *first = seqout_open(so, 0);
    struct blocked_writer b = { .st = seqout_open(so, 1) };
    ck_assert_int_eq(pthread_create(&b.tid, NULL, write_fifty, &b), 0);
    sleep_ms(100);
    ck_assert_msg(atomic_load(&b.done) == 0,
                  "a producer buffered 50 bytes past a 10-byte limit");
    put(first, "A");
    seqout_close(first);            /* ticket 1's turn: it goes on */
    ck_assert_int_eq(pthread_join(b.tid, NULL), 0);
    ck_assert_int_eq(b.err, 0);
    ck_assert_int_eq(seqout_wait(so, 1), 0);
    check_text(fd, "A01234567890123456789012345678901234567890123456789");
    seqout_free(so);
    close(fd);
}
END_TEST

struct waiter {
    seqout_t *so;
    size_t ticket;
    int err;
    atomic_int done;
    pthread_t tid;
};

static void *wait_ticket(void *arg)
{
    struct waiter *w = arg;
    w->err = seqout_wait(w->so, w->ticket);
    atomic_store(&w->done, 1);
    return NULL;
}

START_TEST(test_wait_blocks_until_written)
{
    int fd = temp_fd();
    seqout_t *so = seqout_new(fd, 1 << 20);
    seqout_stream_t *st0 = seqout_open(so, 0), *st1 = seqout_open(so, 1);
    struct waiter w = { .so = so, .ticket = 1 };
    ck_assert_int_eq(pthread_create(&w.tid, NULL, wait_ticket, &w), 0);
    put(st1, "later");
    seqout_close(st1);
    sleep_ms(50);
    ck_assert_msg(atomic_load(&w.done) == 0, "waited for ticket 1 before 0 was written");
    put(st0, "first ");
    sleep_ms(50);
    ck_assert_msg(atomic_load(&w.done) == 0, "waited for ticket 1 while 0 was open");
    seqout_close(st0);
    ck_assert_int_eq(pthread_join(w.tid, NULL), 0);
    ck_assert_int_eq(w.err, 0);
    check_text(fd, "first later");
    seqout_free(so);
    close(fd);
}
END_TEST

START_TEST(test_gzip_members_through_sink)
{
    int fd = temp_fd();
    seqout_t *so = seqout_new(fd, 1 << 20);
    seqout_stream_t *st0 = seqout_open(so, 0), *st1 = seqout_open(so, 1);
    engine_t *w0 = new_engine(ENGINE_ZLIB, 6), *w1 = new_engine(ENGINE_ZLIB, 6);
    engine_begin(w1, "one", 0);         /* the later member is done first */
    ck_assert_int_eq(engine_write(w1, "second\n", 7, seqout_sink, st1), 0);
    ck_assert_int_eq(engine_finish(w1, seqout_sink, st1), 0);
    seqout_close(st1);
    engine_begin(w0, "zero", 0);
    ck_assert_int_eq(engine_write(w0, "first\n", 6, seqout_sink, st0), 0);
    ck_assert_int_eq(engine_finish(w0, seqout_sink, st0), 0);
    seqout_close(st0);
    ck_assert_int_eq(seqout_wait(so, 1), 0);

    struct membuf file = {0}, out = {0};
    contents(fd, &file);
    size_t used = gunzip_member(file.data, file.len, &out, NULL);
    ck_assert_uint_eq(used, engine_counts(w0).bytes_out);
    ck_assert_uint_eq(gunzip_member(file.data + used, file.len - used, &out, NULL),
                      engine_counts(w1).bytes_out);
    ck_assert_uint_eq(out.len, 13);
    ck_assert_mem_eq(out.data, "first\nsecond\n", 13);
    membuf_free(&file);
    membuf_free(&out);
    engine_free(w0);
    engine_free(w1);
    seqout_free(so);
    close(fd);
}
END_TEST

START_TEST(test_broken_pipe)
{
    signal(SIGPIPE, SIG_IGN);
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    seqout_t *so = seqout_new(fds[1], 1 << 20);
    seqout_stream_t *st[4];
    for (size_t t = 0; t < 4; t++)
        st[t] = seqout_open(so, t);
    put(st[2], "buffered");             /* buffered before the failure */
    put(st[0], "fits in the pipe");
    seqout_close(st[0]);
    close(fds[0]);                      /* nobody reads any more */
    ck_assert_int_eq(seqout_write(st[1], "lost", 4), EPIPE);
    ck_assert_int_eq(seqout_write(st[2], "more", 4), EPIPE);   /* at once */
    seqout_close(st[1]);
    seqout_close(st[2]);
    seqout_close(st[3]);                /* empty, but after the error */
    ck_assert_int_eq(seqout_wait(so, 0), 0);
    ck_assert_int_eq(seqout_wait(so, 1), EPIPE);
    ck_assert_int_eq(seqout_wait(so, 2), EPIPE);
    ck_assert_int_eq(seqout_wait(so, 3), EPIPE);
    ck_assert_uint_eq(seqout_error_ticket(so), 1);
    seqout_free(so);
    close(fds[1]);
    signal(SIGPIPE, SIG_DFL);
}
END_TEST

START_TEST(test_dev_full)
{
    int fd = open("/dev/full", O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return;             /* no /dev/full here: nothing to test */
    seqout_t *so = seqout_new(fd, 1 << 20);
    seqout_stream_t *st0 = seqout_open(so, 0), *st1 = seqout_open(so, 1),
                    *st2 = seqout_open(so, 2);
    seqout_close(st0);                  /* empty: arrives whole */
    ck_assert_int_eq(seqout_write(st1, "x", 1), ENOSPC);
    seqout_close(st1);
    seqout_close(st2);
    ck_assert_int_eq(seqout_wait(so, 0), 0);
    ck_assert_int_eq(seqout_wait(so, 1), ENOSPC);
    ck_assert_int_eq(seqout_wait(so, 2), ENOSPC);
    ck_assert_uint_eq(seqout_error_ticket(so), 1);
    seqout_free(so);
    close(fd);
}
END_TEST

START_TEST(test_error_while_flushing_buffered_stream)
{
    int fd = open("/dev/full", O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    seqout_t *so = seqout_new(fd, 1 << 20);
    seqout_stream_t *st0 = seqout_open(so, 0), *st1 = seqout_open(so, 1),
                    *st2 = seqout_open(so, 2);
    put(st2, "two");                    /* buffered: no error yet */
    put(st1, "one");
    seqout_close(st2);
    seqout_close(st1);
    seqout_close(st0);                  /* empty; flushes 1 (fails) and 2 */
    ck_assert_int_eq(seqout_wait(so, 0), 0);
    ck_assert_int_eq(seqout_wait(so, 1), ENOSPC);
    ck_assert_int_eq(seqout_wait(so, 2), ENOSPC);
    ck_assert_uint_eq(seqout_error_ticket(so), 1);
    seqout_free(so);
    close(fd);
}
END_TEST

Suite *seqout_suite(void)
{
    Suite *s = suite_create("seqout");
    TCase *tc = tcase_create("order");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_in_order);
    tcase_add_test(tc, test_out_of_order_one_thread);
    tcase_add_test(tc, test_threads_large_buffer);
    tcase_add_test(tc, test_threads_small_buffer);
    tcase_add_test(tc, test_waits_for_turn_when_buffer_full);
    tcase_add_test(tc, test_wait_blocks_until_written);
    tcase_add_test(tc, test_gzip_members_through_sink);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_set_timeout(tc, 10);
    tcase_add_test(tc, test_broken_pipe);
    tcase_add_test(tc, test_dev_full);
    tcase_add_test(tc, test_error_while_flushing_buffered_stream);
    suite_add_tcase(s, tc);
    return s;
}
