/* dirref.c -- see dirref.h. */
#include "dirref.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct dirref {
    int fd;
    atomic_long refs;
    dev_t dev;
    ino_t ino;
};

static dirref_t *wrap(int fd)
{
    if (fd < 0)
        return NULL;
    struct stat st = {0};
    int err = fstat(fd, &st) != 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
    if (err != 0) {
        close(fd);
        errno = err;
        return NULL;
    }
    dirref_t *d = xmalloc(sizeof *d);
    d->fd = fd;
    atomic_init(&d->refs, 1);
    d->dev = st.st_dev;
    d->ino = st.st_ino;
    return d;
}

dirref_t *dirref_open(const char *path)
{
    return wrap(open(path, O_PATH | O_DIRECTORY | O_CLOEXEC));
}

dirref_t *dirref_openat(dirref_t *parent, const char *name, bool follow)
{
    int flags = O_PATH | O_DIRECTORY | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW);
    int fd = openat(parent->fd, name, flags);
    /* O_PATH|O_NOFOLLOW opens a symlink itself rather than failing; it is
       then no directory. */
    return wrap(fd);
}

dirref_t *dirref_get(dirref_t *d)
{
    if (d != NULL)
        atomic_fetch_add(&d->refs, 1);
    return d;
}

void dirref_put(dirref_t *d)
{
    if (d == NULL || atomic_fetch_sub(&d->refs, 1) != 1)
        return;
    close(d->fd);
    free(d);
}

int dirref_fd(const dirref_t *d)
{
    return d->fd;
}

dev_t dirref_dev(const dirref_t *d)
{
    return d->dev;
}

ino_t dirref_ino(const dirref_t *d)
{
    return d->ino;
}

char *dirref_split(const char *path, const char **name, size_t *name_offset)
{
    size_t end = strlen(path);
    while (end > 1 && path[end - 1] == '/')
        end--;
    size_t start = end;
    while (start > 0 && path[start - 1] != '/')
        start--;
    if (start == end && end > 0) {   /* "/", "//": only slashes; names itself */
        *name = path;
        *name_offset = 0;
        return xstrdup("/");
    }
    *name_offset = start;
    *name = path + start;
    if (start == 0)
        return xstrdup(".");
    size_t dir_len = start - 1;
    while (dir_len > 1 && path[dir_len - 1] == '/')
        dir_len--;          /* "a//b": the directory is "a" */
    if (dir_len == 0)
        dir_len = 1;        /* "/b": the directory is "/" */
    char *dir = xmalloc(dir_len + 1);
    memcpy(dir, path, dir_len);
    dir[dir_len] = '\0';
    return dir;
}
