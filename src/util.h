/* util.h -- small helpers shared by every module: fatal errors, memory
   allocation that cannot fail silently, and checked pthread calls.

   pgz treats two kinds of failure as fatal for the whole process:
     - programming errors (a broken invariant, a misused primitive), which
       abort() so that a core dump or sanitizer report shows where;
     - memory exhaustion, which GNU gzip also treats as fatal: the message is
       gzip's "PROG: memory_exhausted" (sic) and the exit status 1.
   Everything else is a per-file error, reported and survived.

   Every fatal end, from any thread, goes one way (die(), panic()): first
   the cleanup that the signals run too (set_fatal_cleanup: the progress
   line erased, the named temporaries removed), then the message, then the
   end of the process at once, with _exit: other threads may still be
   running, so nothing that exit() would run (atexit handlers, stdio's
   buffers but standard output's) may touch their state. */
#ifndef PGZ_UTIL_H
#define PGZ_UTIL_H

#include <pthread.h>
#include <stddef.h>
#include <time.h>

/* Print "PROG: internal error: MESSAGE" on stderr and abort(), after the
   fatal cleanup. */
_Noreturn void panic(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* End pgz from any thread: run the fatal cleanup (once: a second thread
   that dies meanwhile waits in it until the first has ended the process),
   flush standard output's complete lines if no other thread is writing
   them, print "PROG: MESSAGE" on stderr (no stdio lock, no allocation) and
   _exit(status).  Called again by the same thread (the cleanup itself
   failing), it skips the cleanup. */
_Noreturn void die(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* die(1) with gzip's "memory_exhausted". */
_Noreturn void xalloc_die(void);

/* The cleanup die() and panic() run first (none until set).  It must be
   callable from any thread, even one holding pgz's locks, and by several
   threads at once (all but the first may block in it forever: the first
   ends the process).  signals.h sets it; unit tests and the fuzzer do
   not. */
void set_fatal_cleanup(void (*cleanup)(void));

/* malloc/calloc/realloc/strdup that xalloc_die() instead of returning
   NULL. */
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
/* a followed by b, as a new string. */
char *xconcat(const char *a, const char *b);

/* pthread calls that cannot fail in a correct program: a non-zero return
   means a broken invariant, so they panic with the function's name. */
void mutex_init(pthread_mutex_t *m);
void mutex_lock(pthread_mutex_t *m);
void mutex_unlock(pthread_mutex_t *m);
void cond_init(pthread_cond_t *c);
void cond_wait(pthread_cond_t *c, pthread_mutex_t *m);
void cond_signal(pthread_cond_t *c);
void cond_broadcast(pthread_cond_t *c);

/* The monotonic clock (which cannot fail on Linux; a failure panics), and
   the seconds from `from` to `to`: for durations, never dates. */
struct timespec monotonic_now(void);
double seconds_between(struct timespec from, struct timespec to);

/* write(2) all of buf, retrying after EINTR and short writes.  Returns 0
   or the errno of the failed write. */
int write_all(int fd, const void *buf, size_t len);

/* Make sure descriptors 0, 1 and 2 are open: a closed one is opened on
   /dev/null the wrong way round (0 for writing, 1 and 2 for reading), so
   that using it still fails with EBADF, but no file that pgz opens can
   take its number and receive messages or data meant for it. */
void reserve_std_fds(void);

/* The name pgz was invoked as (basename of argv[0]); "pgz" until set. */
extern const char *program_name;
void set_program_name(const char *argv0);

#endif
