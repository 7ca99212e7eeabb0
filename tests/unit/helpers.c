/* helpers.c -- see helpers.h. */
#include "helpers.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void membuf_append(struct membuf *b, const void *data, size_t len)
{
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + len)
            cap *= 2;
        b->data = realloc(b->data, cap);
        ck_assert_ptr_nonnull(b->data);
        b->cap = cap;
    }
    if (len > 0)
        memcpy(b->data + b->len, data, len);
    b->len += len;
}

void membuf_free(struct membuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void read_fd_all(int fd, struct membuf *b)
{
    unsigned char buf[65536];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        ck_assert_msg(n >= 0, "read: %s", strerror(errno));
        if (n == 0)
            return;
        membuf_append(b, buf, (size_t)n);
    }
}

void read_file_all(const char *path, struct membuf *b)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ck_assert_msg(fd >= 0, "open %s: %s", path, strerror(errno));
    b->len = 0;
    read_fd_all(fd, b);
    close(fd);
}

void write_file(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    ck_assert_msg(fd >= 0, "open %s: %s", path, strerror(errno));
    ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
    ck_assert_int_eq(close(fd), 0);
}

uint32_t rand_next(uint32_t *state)
{
    /* xorshift32; a zero state would stay zero. */
    uint32_t x = *state ? *state : 0x9e3779b9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

void fill_random(void *p, size_t n, uint32_t seed)
{
    unsigned char *q = p;
    uint32_t state = seed * 2654435761u + 1;
    for (size_t i = 0; i < n; i++)
        q[i] = (unsigned char)(rand_next(&state) >> 24);
}

size_t gunzip_member(const unsigned char *in, size_t len, struct membuf *out,
                     gz_header *hdr)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    ck_assert_int_eq(inflateInit2(&zs, 15 + 16), Z_OK);
    if (hdr != NULL)
        ck_assert_int_eq(inflateGetHeader(&zs, hdr), Z_OK);
    zs.next_in = (Bytef *)in;
    zs.avail_in = (uInt)len;
    unsigned char buf[65536];
    int rc;
    do {
        zs.next_out = buf;
        zs.avail_out = sizeof buf;
        rc = inflate(&zs, Z_NO_FLUSH);
        membuf_append(out, buf, sizeof buf - zs.avail_out);
    } while (rc == Z_OK);
    size_t used = rc == Z_STREAM_END ? (size_t)zs.total_in : 0;
    inflateEnd(&zs);
    return used;
}

char *make_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    if (base == NULL || *base == '\0')
        base = "/tmp";
    char *dir = path_join(base, "pgz-unit.XXXXXX");
    ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp: %s", strerror(errno));
    return dir;
}

void remove_tmpdir(char *dir)
{
    DIR *d = opendir(dir);
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char *p = path_join(dir, e->d_name);
            unlink(p);
            free(p);
        }
        closedir(d);
    }
    rmdir(dir);
    free(dir);
}

char *path_join(const char *dir, const char *name)
{
    size_t len = strlen(dir) + 1 + strlen(name) + 1;
    char *p = malloc(len);
    ck_assert_ptr_nonnull(p);
    snprintf(p, len, "%s/%s", dir, name);
    return p;
}

int count_entries(const char *dir, char *first, size_t size)
{
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "opendir %s: %s", dir, strerror(errno));
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (n++ == 0 && first != NULL && size > 0)
            snprintf(first, size, "%s", e->d_name);
    }
    closedir(d);
    return n;
}

int silence_stderr(void)
{
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    ck_assert_int_ge(saved, 0);
    ck_assert_int_ge(null, 0);
    dup2(null, STDERR_FILENO);
    close(null);
    return saved;
}

void restore_stderr(int saved)
{
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
}

void sleep_ms(unsigned ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        continue;
}

engine_t *new_engine(enum engine_id id, int level)
{
    struct engine_config cfg = {
        .id = id, .level = level, .block_size = 128 * 1024,
    };
    engine_t *e = engine_new(&cfg);
    ck_assert_ptr_nonnull(e);
    return e;
}
