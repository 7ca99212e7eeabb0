/* util.h -- small helpers shared by every module: fatal errors, memory
   allocation that cannot fail silently, and checked pthread calls.

   pgz treats two kinds of failure as fatal for the whole process:
     - programming errors (a broken invariant, a misused primitive), which
       abort() so that a core dump or sanitizer report shows where;
     - memory exhaustion, which GNU gzip also treats as fatal: the message is
       "PROG: memory exhausted" and the exit status 1.
   Everything else is a per-file error, reported and survived. */
#ifndef PGZ_UTIL_H
#define PGZ_UTIL_H

#include <pthread.h>
#include <stddef.h>
#include <time.h>

/* Print "PROG: internal error: MESSAGE" on stderr and abort(). */
_Noreturn void panic(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Print gzip's "PROG: memory exhausted" and exit with status 1. */
_Noreturn void xalloc_die(void);

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
