/* seqout.c -- see seqout.h.

   Invariant: only the producer of ticket `next`, or the writer of the
   ordered-completion primitive (ordered.h: the thread that closed the
   stream the output waited on, writing every complete stream in turn),
   writes to the descriptor, and it does so without holding the lock;
   everything else is guarded by it.  The two never overlap: the ordered
   writer advances `next` only after writing a stream, and takes the
   stream of `next` only once its producer has closed it. */
#include "seqout.h"
#include "ordered.h"
#include "util.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct chunk {
    struct chunk *next;
    size_t len;
    unsigned char data[];
};

struct seqout_stream {
    seqout_t *so;
    size_t ticket;
    struct chunk *head, *tail;  /* bytes buffered while not next */
    size_t bytes;
    struct ordered_item turn;   /* closed: waiting for its turn */
    bool abandoned;             /* nothing may follow it */
};

struct seqout {
    pthread_mutex_t lock;
    pthread_cond_t changed;     /* next advanced, or buffer space freed */
    int fd;
    size_t next;                /* the ticket whose bytes go out now */
    size_t buffered, max_buffered;
    int err;                    /* first write error, or 0 */
    size_t err_ticket;
    struct ordered complete;    /* closed streams, written in ticket order */
};

seqout_t *seqout_new(int fd, size_t max_buffered)
{
    seqout_t *so = xcalloc(1, sizeof *so);
    mutex_init(&so->lock);
    cond_init(&so->changed);
    so->fd = fd;
    so->max_buffered = max_buffered;
    ordered_init(&so->complete);
    return so;
}

void seqout_free(seqout_t *so)
{
    if (so == NULL)
        return;
    if (so->complete.parked != NULL)
        panic("seqout_free: streams still waiting");
    ordered_destroy(&so->complete);
    pthread_mutex_destroy(&so->lock);
    pthread_cond_destroy(&so->changed);
    free(so);
}

seqout_stream_t *seqout_open(seqout_t *so, size_t ticket)
{
    seqout_stream_t *st = xcalloc(1, sizeof *st);
    st->so = so;
    st->ticket = ticket;
    st->turn.index = ticket;
    return st;
}

/* Remember the first error and wake every producer so they stop early. */
static void record_error(seqout_t *so, int err, size_t ticket)
{
    if (err == 0)
        return;
    mutex_lock(&so->lock);
    if (so->err == 0) {
        so->err = err;
        so->err_ticket = ticket;
    }
    cond_broadcast(&so->changed);
    mutex_unlock(&so->lock);
}

/* Detach a stream's buffered chunks (lock held) so they can be written
   without it. */
static struct chunk *take_chunks(seqout_stream_t *st)
{
    struct chunk *c = st->head;
    st->so->buffered -= st->bytes;
    st->head = st->tail = NULL;
    st->bytes = 0;
    cond_broadcast(&st->so->changed);
    return c;
}

/* Write (or, after an error, discard) a list of chunks; lock not held.
   `err` is the descriptor's error when the chunks were taken. */
static int write_chunks(seqout_t *so, struct chunk *c, int err)
{
    while (c != NULL) {
        struct chunk *next = c->next;
        if (err == 0)
            err = write_all(so->fd, c->data, c->len);
        free(c);
        c = next;
    }
    return err;
}

static void append_chunk(seqout_stream_t *st, const void *buf, size_t len)
{
    struct chunk *c = xmalloc(sizeof *c + len);
    c->next = NULL;
    c->len = len;
    memcpy(c->data, buf, len);
    if (st->tail)
        st->tail->next = c;
    else
        st->head = c;
    st->tail = c;
    st->bytes += len;
    st->so->buffered += len;
}

int seqout_write(seqout_stream_t *st, const void *buf, size_t len)
{
    seqout_t *so = st->so;
    mutex_lock(&so->lock);
    for (;;) {
        if (so->err != 0) {
            int err = so->err;
            mutex_unlock(&so->lock);
            return err;
        }
        if (so->next == st->ticket) {
            struct chunk *pending = take_chunks(st);
            mutex_unlock(&so->lock);
            int err = write_chunks(so, pending, 0);
            if (err == 0)
                err = write_all(so->fd, buf, len);
            record_error(so, err, st->ticket);
            return err;
        }
        /* An empty buffer takes any one write, so a stream can always make
           progress towards its turn. */
        if (so->buffered + len <= so->max_buffered || so->buffered == 0) {
            append_chunk(st, buf, len);
            mutex_unlock(&so->lock);
            return 0;
        }
        cond_wait(&so->changed, &so->lock);
    }
}

int seqout_sink(void *ctx, const unsigned char *buf, size_t len)
{
    return seqout_write(ctx, buf, len);
}

void seqout_abandon(seqout_stream_t *st)
{
    st->abandoned = true;   /* read only by the thread that closes it */
}

/* Write out a closed stream whose turn has come, and pass the turn on. */
static void write_stream(seqout_t *so, seqout_stream_t *st)
{
    mutex_lock(&so->lock);
    struct chunk *pending = take_chunks(st);
    int err_before = so->err;
    mutex_unlock(&so->lock);
    int err = write_chunks(so, pending, err_before);
    if (err == 0 && st->abandoned)
        err = ECANCELED;
    if (err != err_before)
        record_error(so, err, st->ticket);
    free(st);
    mutex_lock(&so->lock);
    so->next++;
    cond_broadcast(&so->changed);
    mutex_unlock(&so->lock);
}

void seqout_close(seqout_stream_t *st)
{
    seqout_t *so = st->so;
    if (!ordered_put(&so->complete, &st->turn))
        return;
    struct ordered_item *it;
    while ((it = ordered_next(&so->complete)) != NULL)
        write_stream(so, (seqout_stream_t *)((char *)it -
                                             offsetof(seqout_stream_t, turn)));
}

int seqout_wait(seqout_t *so, size_t ticket)
{
    mutex_lock(&so->lock);
    while (so->next <= ticket)
        cond_wait(&so->changed, &so->lock);
    int err = so->err != 0 && ticket >= so->err_ticket ? so->err : 0;
    mutex_unlock(&so->lock);
    return err;
}

size_t seqout_error_ticket(seqout_t *so)
{
    mutex_lock(&so->lock);
    size_t t = so->err_ticket;
    mutex_unlock(&so->lock);
    return t;
}
