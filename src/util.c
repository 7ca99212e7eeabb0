/* util.c -- see util.h. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *program_name = "pgz";

void set_program_name(const char *argv0)
{
    if (argv0 == NULL || *argv0 == '\0')
        return;
    const char *slash = strrchr(argv0, '/');
    program_name = slash ? slash + 1 : argv0;
    if (*program_name == '\0')
        program_name = "pgz";
}

static _Atomic(void (*)(void)) fatal_cleanup;
static _Thread_local bool dying;    /* this thread is in a fatal end */

void set_fatal_cleanup(void (*cleanup)(void))
{
    atomic_store(&fatal_cleanup, cleanup);
}

/* What every fatal end does before its message: the cleanup (not again
   if it is the cleanup that failed), then standard output's stdio buffer
   (a listing, --report=-), which _exit would lose, unless another thread
   is in the middle of writing it. */
static void fatal_begin(void)
{
    if (dying)
        return;
    dying = true;
    void (*cleanup)(void) = atomic_load(&fatal_cleanup);
    if (cleanup != NULL)
        cleanup();
    if (ftrylockfile(stdout) == 0) {
        fflush_unlocked(stdout);
        funlockfile(stdout);
    }
}

/* "PROG: PREFIXMESSAGE\n" on stderr in one write(2): no stdio lock, which
   a dying thread may hold, and no allocation, which may be what failed.
   A message too long for the buffer is cut. */
static void fatal_message(const char *prefix, const char *fmt, va_list ap)
{
    char line[1024];
    size_t room = sizeof line - 1;      /* for the newline */
    int n = snprintf(line, room, "%s: %s", program_name, prefix);
    size_t len = n < 0 ? 0 : (size_t)n < room ? (size_t)n : room - 1;
    n = vsnprintf(line + len, room - len, fmt, ap);
    if (n > 0)
        len += (size_t)n < room - len ? (size_t)n : room - len - 1;
    line[len++] = '\n';
    (void)write_all(STDERR_FILENO, line, len);
}

void die(int status, const char *fmt, ...)
{
    fatal_begin();
    va_list ap;
    va_start(ap, fmt);
    fatal_message("", fmt, ap);
    va_end(ap);
    _exit(status);
}

void panic(const char *fmt, ...)
{
    fatal_begin();
    va_list ap;
    va_start(ap, fmt);
    fatal_message("internal error: ", fmt, ap);
    va_end(ap);
    abort();
}

/* gzip's wording, underscore included (gzip 1.12 to 1.14 and later print
   "\nPROG: memory_exhausted"; pgz's lines are never left half written, so
   the leading newline has nothing to end). */
void xalloc_die(void)
{
    die(1, "memory_exhausted");
}

void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (p == NULL)
        xalloc_die();
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (p == NULL)
        xalloc_die();
    return p;
}

void *xrealloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);
    if (p == NULL)
        xalloc_die();
    return p;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

char *xconcat(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = xmalloc(la + lb + 1);
    memcpy(s, a, la);
    memcpy(s + la, b, lb + 1);
    return s;
}

/* Each checked call names itself so that a panic says what failed. */
#define CHECKED(call, name)                                   \
    do {                                                      \
        int rc_ = (call);                                     \
        if (rc_ != 0)                                         \
            panic("%s: %s", name, strerror(rc_));             \
    } while (0)

void mutex_init(pthread_mutex_t *m) { CHECKED(pthread_mutex_init(m, NULL), "pthread_mutex_init"); }
void mutex_lock(pthread_mutex_t *m) { CHECKED(pthread_mutex_lock(m), "pthread_mutex_lock"); }
void mutex_unlock(pthread_mutex_t *m) { CHECKED(pthread_mutex_unlock(m), "pthread_mutex_unlock"); }
void cond_init(pthread_cond_t *c) { CHECKED(pthread_cond_init(c, NULL), "pthread_cond_init"); }
void cond_wait(pthread_cond_t *c, pthread_mutex_t *m) { CHECKED(pthread_cond_wait(c, m), "pthread_cond_wait"); }
void cond_signal(pthread_cond_t *c) { CHECKED(pthread_cond_signal(c), "pthread_cond_signal"); }
void cond_broadcast(pthread_cond_t *c) { CHECKED(pthread_cond_broadcast(c), "pthread_cond_broadcast"); }

int write_all(int fd, const void *buf, size_t len)
{
    const unsigned char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

void reserve_std_fds(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
            continue;
        int got = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
        if (got != fd) {        /* the lowest free number, so fd itself */
            fprintf(stderr, "%s: cannot reserve descriptor %d\n", program_name, fd);
            exit(1);
        }
    }
}

struct timespec monotonic_now(void)
{
    struct timespec now;
    if (clock_gettime(CLOCK_MONOTONIC, &now) != 0)
        panic("clock_gettime(CLOCK_MONOTONIC) failed");
    return now;
}

double seconds_between(struct timespec from, struct timespec to)
{
    return (double)(to.tv_sec - from.tv_sec) +
           (double)(to.tv_nsec - from.tv_nsec) / 1e9;
}
