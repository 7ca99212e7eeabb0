/* chan.c -- see chan.h.  A ring buffer guarded by one mutex, with one
   condition variable per direction so that a send wakes only receivers
   and a receive wakes only senders. */
#include "chan.h"
#include "util.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

/* Ticks of a batching receiver's clock that find nothing before it sleeps
   without one. */
#define IDLE_TICKS 2

struct chan {
    pthread_mutex_t lock;
    pthread_cond_t not_empty;   /* receivers wait here */
    pthread_cond_t not_full;    /* senders wait here */
    void **ring;
    size_t capacity;
    size_t head;                /* index of the oldest item */
    size_t count;
    size_t low_water;           /* wake blocked senders at this count */
    size_t senders_waiting;
    size_t wake_receivers_at;   /* wake a blocked receiver at this count */
    long max_delay_ns;          /* ... or after this long (0: no limit) */
    size_t receivers_waiting;
    size_t receivers_asleep;    /* of those, waiting without a clock */
    bool closed;
};

chan_t *chan_new(size_t capacity)
{
    return chan_new_batched(capacity, capacity ? capacity - 1 : 0);
}

chan_t *chan_new_batched(size_t capacity, size_t low_water)
{
    if (capacity == 0 || low_water >= capacity) {
        errno = EINVAL;
        return NULL;
    }
    chan_t *ch = calloc(1, sizeof *ch);
    void **ring = calloc(capacity, sizeof *ring);
    if (ch == NULL || ring == NULL) {
        free(ch);
        free(ring);
        errno = ENOMEM;
        return NULL;
    }
    mutex_init(&ch->lock);
    cond_init(&ch->not_empty);
    cond_init(&ch->not_full);
    ch->ring = ring;
    ch->capacity = capacity;
    ch->low_water = low_water;
    ch->wake_receivers_at = 1;
    return ch;
}

void chan_free(chan_t *ch)
{
    if (ch == NULL)
        return;
    pthread_mutex_destroy(&ch->lock);
    pthread_cond_destroy(&ch->not_empty);
    pthread_cond_destroy(&ch->not_full);
    free(ch->ring);
    free(ch);
}

void chan_send(chan_t *ch, void *item)
{
    mutex_lock(&ch->lock);
    while (!ch->closed && ch->count == ch->capacity) {
        ch->senders_waiting++;
        cond_wait(&ch->not_full, &ch->lock);
        ch->senders_waiting--;
    }
    if (ch->closed)
        panic("send on closed channel");
    ch->ring[(ch->head + ch->count) % ch->capacity] = item;
    ch->count++;
    if (ch->receivers_asleep > 0 && ch->count == 1)
        cond_broadcast(&ch->not_empty);     /* see wait_for_batch */
    else if (ch->receivers_waiting > 0 &&
             ch->count >= ch->wake_receivers_at)
        cond_signal(&ch->not_empty);
    mutex_unlock(&ch->lock);
}

/* Wait, the lock held, while the channel is empty and open. */
static void wait_for_item(chan_t *ch)
{
    while (!ch->closed && ch->count == 0) {
        ch->receivers_waiting++;
        cond_wait(&ch->not_empty, &ch->lock);
        ch->receivers_waiting--;
    }
}

/* A batching receiver's wait: woken by a batch, or by the clock every
   max_delay_ns, so that no item waits much longer than that for it.  But
   after IDLE_TICKS ticks in a row that found nothing it sleeps until an
   item comes: a receiver that kept waking every millisecond while nothing
   came (pgz's main, while one big file is compressed) took a CPU from a
   worker a thousand times a second. */
static void wait_for_batch(chan_t *ch)
{
    for (int idle = 0; !ch->closed && ch->count == 0; idle++) {
        if (idle >= IDLE_TICKS) {
            ch->receivers_asleep++;
            wait_for_item(ch);
            ch->receivers_asleep--;
            return;
        }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += ch->max_delay_ns;
        until.tv_sec += until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
        ch->receivers_waiting++;
        int rc = pthread_cond_timedwait(&ch->not_empty, &ch->lock, &until);
        ch->receivers_waiting--;
        if (rc != 0 && rc != ETIMEDOUT)
            panic("pthread_cond_timedwait: %d", rc);
    }
}

bool chan_recv(chan_t *ch, void **item)
{
    mutex_lock(&ch->lock);
    if (ch->max_delay_ns == 0)
        wait_for_item(ch);
    else
        wait_for_batch(ch);
    if (ch->count == 0) {           /* closed and drained */
        mutex_unlock(&ch->lock);
        return false;
    }
    *item = ch->ring[ch->head];
    ch->head = (ch->head + 1) % ch->capacity;
    ch->count--;
    if (ch->senders_waiting > 0 && ch->count <= ch->low_water) {
        if (ch->low_water == ch->capacity - 1)
            cond_signal(&ch->not_full);     /* Go: one slot, one sender */
        else
            cond_broadcast(&ch->not_full);
    }
    mutex_unlock(&ch->lock);
    return true;
}

void chan_close(chan_t *ch)
{
    mutex_lock(&ch->lock);
    if (ch->closed)
        panic("close of closed channel");
    ch->closed = true;
    cond_broadcast(&ch->not_empty);
    cond_broadcast(&ch->not_full);
    mutex_unlock(&ch->lock);
}

void chan_batch_receivers(chan_t *ch, size_t wake_at, long max_delay_us)
{
    if (wake_at == 0 || wake_at > ch->capacity || max_delay_us <= 0)
        panic("chan_batch_receivers: bad arguments");
    mutex_lock(&ch->lock);
    ch->wake_receivers_at = wake_at;
    ch->max_delay_ns = max_delay_us * 1000;
    mutex_unlock(&ch->lock);
}

size_t chan_len(chan_t *ch)
{
    mutex_lock(&ch->lock);
    size_t n = ch->count;
    mutex_unlock(&ch->lock);
    return n;
}
