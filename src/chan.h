/* chan.h -- a Go-style channel of pointers, on POSIX threads.

   A channel is a bounded FIFO queue that threads use to hand work to one
   another.  It mirrors Go's buffered `chan`:

     - chan_send() blocks while the channel is full;
     - chan_recv() blocks while it is empty, and reports "closed" once the
       channel has been closed *and* drained (items sent before the close
       are still delivered, in order);
     - chan_close() wakes every blocked receiver and sender;
     - sending on a closed channel, or closing one twice, is a programming
       error: like a Go panic, it prints a message and aborts.

   Items are opaque pointers; the channel never dereferences or frees them.
   Any number of threads may send and receive concurrently.

   Unlike Go, a capacity of zero (an unbuffered, rendezvous channel) is not
   supported: pgz only needs buffered channels, and a capacity of 1 gives the
   same back-pressure for its uses.
*/
#ifndef PGZ_CHAN_H
#define PGZ_CHAN_H

#include <stdbool.h>
#include <stddef.h>

typedef struct chan chan_t;

/* Create a channel holding at most `capacity` items (capacity >= 1).
   Returns NULL with errno set (ENOMEM, or EINVAL for a capacity of 0) on
   failure. */
chan_t *chan_new(size_t capacity);

/* A channel whose blocked senders are woken in a batch, once it has
   drained to `low_water` items (< capacity), instead of one by one as each
   item is taken.  For a producer that is always ahead (pgz's planner), this
   turns one wake-up per item into one per capacity - low_water items.
   Unlike Go, a blocked sender may then wait while the channel has room:
   use it only where receivers always come back for more (pgz.c says why
   its workers do).
   chan_new(c) is chan_new_batched(c, c - 1). */
chan_t *chan_new_batched(size_t capacity, size_t low_water);

/* Batch the wake-ups of blocked receivers too: a sender wakes one only
   once `wake_at` items (1..capacity) are waiting, and a blocked receiver
   also wakes by itself every `max_delay_us` microseconds to take what is
   there -- until two such wake-ups in a row found nothing: it then sleeps
   until the next item comes.  For a receiver that does little per item
   (pgz's main, printing results), this turns one wake-up per item into
   one per batch while items come, none while they do not, and no item
   waits much more than max_delay_us.  Call before the channel is used. */
void chan_batch_receivers(chan_t *ch, size_t wake_at, long max_delay_us);

/* Free a channel.  No thread may be using it any more.  Items still queued
   are not freed (they are the caller's). NULL is ignored. */
void chan_free(chan_t *ch);

/* Append `item` to the channel, blocking while it is full.  Aborts if the
   channel is closed, before or while the sender waits (as Go panics). */
void chan_send(chan_t *ch, void *item);

/* Take the oldest item, blocking while the channel is empty and open.
   Returns true and stores the item in *item; returns false (and leaves
   *item alone) once the channel is closed and empty: the Go idiom
   `for item := range ch` is `while (chan_recv(ch, &item))`. */
bool chan_recv(chan_t *ch, void **item);

/* Close the channel: no more sends.  Wakes every waiting receiver (they
   drain what is left, then see "closed") and every waiting sender (which
   aborts).  Closing a closed channel aborts. */
void chan_close(chan_t *ch);

/* Number of items queued right now: a snapshot, for tests and statistics. */
size_t chan_len(chan_t *ch);

#endif
