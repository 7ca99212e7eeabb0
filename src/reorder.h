/* reorder.h -- put items that arrive out of order back in order.

   Items are numbered 0, 1, 2, ... with no gaps; reorder_put() accepts them
   in any order and reorder_next() hands them out strictly in sequence.
   Memory grows with the distance between the next item expected and the
   furthest one received, which the caller bounds (pgz bounds it with the
   planner's window; see pgz.c). */
#ifndef PGZ_REORDER_H
#define PGZ_REORDER_H

#include <stddef.h>

typedef struct reorder reorder_t;

reorder_t *reorder_new(void);

/* Free the buffer; any items still held are not freed (they are the
   caller's). */
void reorder_free(reorder_t *r);

/* Hold item number `seq` (not NULL; each number at most once, not one
   already handed out: a broken promise panics). */
void reorder_put(reorder_t *r, size_t seq, void *item);

/* The next item in sequence if it has arrived (and advance), else NULL. */
void *reorder_next(reorder_t *r);

#endif
