/* util.c -- see util.h. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
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

void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: internal error: ", program_name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

void xalloc_die(void)
{
    fprintf(stderr, "%s: memory exhausted\n", program_name);
    exit(1);
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
