/* ordered.h -- ordered completion: pieces of one output, finished in any
   order by any thread, written strictly in order by whichever thread
   finishes the piece the output is waiting for.

   Pieces are numbered 0, 1, 2, ... with no gaps.  A thread that finished
   piece k calls ordered_put(); if no thread is writing, it becomes the
   writer and takes pieces with ordered_next() for as long as the next one
   in order is there; ordered_next() returning NULL ends its turn (a piece
   put after that makes its own thread the writer).  So no thread ever
   waits for another to write, and at most one writes at a time.

   Used by big-file compression (bigfile.c: blocks), parallel
   decompression (pardec.c: groups of members) and the ordered standard
   output (seqout.c: whole streams, one per file of `-c`).

   Thread-safety: any thread may put; only the writer calls ordered_next. */
#ifndef PGZ_ORDERED_H
#define PGZ_ORDERED_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

/* Embedded in each piece. */
struct ordered_item {
    size_t index;
    struct ordered_item *next;      /* the parked list (private) */
};

struct ordered {
    pthread_mutex_t lock;
    struct ordered_item *parked;    /* sorted by index */
    size_t next;                    /* the piece to write next */
    bool writing;
};

void ordered_init(struct ordered *o);
void ordered_destroy(struct ordered *o);

/* Park the finished piece `item` (its index set).  Returns true if the
   caller is now the writer: it must then call ordered_next() until that
   returns NULL. */
bool ordered_put(struct ordered *o, struct ordered_item *item);

/* The writer's next piece, if its turn has come; else NULL, and the
   caller is no longer the writer. */
struct ordered_item *ordered_next(struct ordered *o);

#endif
