/* seqout.h -- an ordered writer: many threads produce byte streams at the
   same time, and the streams reach one file descriptor whole and in the
   order of their tickets.

   This is how `pgz -c a b c` compresses a, b and c in parallel yet writes
   one valid multi-member gzip stream with a's member first.  Each producer
   opens the stream of its ticket (0, 1, 2, ... with no gaps: every ticket
   must be opened and closed exactly once, empty if it has nothing to say).
   The producer whose ticket is next writes straight to the descriptor;
   the others buffer their bytes in memory.  Memory is bounded: once the
   buffered bytes reach the limit given to seqout_new(), a producer that is
   not next waits for its turn, which always comes, because the next
   ticket's producer never waits.  Producers must take their tickets in
   order (as they do when receiving jobs from one FIFO channel).

   seqout_write() returns 0 or a positive errno value.  After a write error
   on the descriptor (a full disk, a closed pipe with SIGPIPE ignored) the
   rest is discarded and every later write returns that error at once, so
   producers stop early; seqout_wait() tells which tickets lost bytes. */
#ifndef PGZ_SEQOUT_H
#define PGZ_SEQOUT_H

#include <stddef.h>

typedef struct seqout seqout_t;
typedef struct seqout_stream seqout_stream_t;

/* An ordered writer to `fd` buffering at most about `max_buffered` bytes
   of streams that are not yet next. */
seqout_t *seqout_new(int fd, size_t max_buffered);

/* Free the writer; every stream must have been closed. */
void seqout_free(seqout_t *so);

/* Open the stream of `ticket`. */
seqout_stream_t *seqout_open(seqout_t *so, size_t ticket);

/* Append bytes to the stream: written at once if it is next, else
   buffered (waiting while the buffer is full). */
int seqout_write(seqout_stream_t *st, const void *buf, size_t len);

/* Adapter with the sink signature (sink.h; ctx is the stream). */
int seqout_sink(void *ctx, const unsigned char *buf, size_t len);

/* Mark the stream's member as broken (its input could not be read): its
   bytes still go out in their turn, so that a reader sees a truncated
   member rather than a valid short one, but nothing after them does, as
   gzip stops at a read error.  seqout_wait() then reports ECANCELED for
   this ticket and every later one. */
void seqout_abandon(seqout_stream_t *st);

/* Close the stream: it is complete.  Once it is next, its bytes and those
   of every complete stream after it are written, by whichever producer
   closes the stream before them.  Never waits for a turn. */
void seqout_close(seqout_stream_t *st);

/* Wait until the stream of `ticket` has been written out (or discarded
   after an earlier error), and return the write error that lost some of its
   bytes: the error that first broke the descriptor, for its ticket and
   every later one; 0 if the stream arrived whole. */
int seqout_wait(seqout_t *so, size_t ticket);

/* The ticket whose bytes met the first write error; meaningful only once
   seqout_wait() has returned an error. */
size_t seqout_error_ticket(seqout_t *so);

#endif
