/* waitgroup.h -- Go's sync.WaitGroup on POSIX threads.

   A wait group counts outstanding tasks.  The thread that starts a task
   calls waitgroup_add(wg, 1) before starting it; the task calls
   waitgroup_done(wg) when it finishes; any thread may waitgroup_wait(wg)
   until the count is back to zero.

   As in Go, a counter that would go below zero is a programming error:
   the call prints a message and aborts.  A wait group may be reused once
   its waiters have returned.
*/
#ifndef PGZ_WAITGROUP_H
#define PGZ_WAITGROUP_H

#include <pthread.h>

typedef struct waitgroup {
    pthread_mutex_t lock;
    pthread_cond_t zero;   /* signalled when count reaches 0 */
    long count;
} waitgroup_t;

/* Initialise a wait group with a count of zero.  Returns 0, or a pthread
   error number. */
int waitgroup_init(waitgroup_t *wg);

/* Release a wait group's resources.  No thread may be waiting on it. */
void waitgroup_destroy(waitgroup_t *wg);

/* Add `delta` (which may be negative) to the counter.  When the counter
   reaches zero every waiter is woken; below zero, abort. */
void waitgroup_add(waitgroup_t *wg, long delta);

/* Same as waitgroup_add(wg, -1). */
void waitgroup_done(waitgroup_t *wg);

/* Block until the counter is zero.  Returns at once if it already is. */
void waitgroup_wait(waitgroup_t *wg);

#endif
