/* walk.c -- see walk.h. */
#include "walk.h"
#include "outfile.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct entry {
    char *name;
    bool is_dir;
};

struct walker {
    walk_visit_fn visit;
    void *ctx;
    bool follow_links;      /* -f: a symlink to a directory is walked */
};

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->name,
                  ((const struct entry *)b)->name);
}

/* "dir/name", without doubling a trailing slash of `dir`. */
static char *join(const char *dir, const char *name)
{
    size_t dlen = strlen(dir), nlen = strlen(name);
    bool slash = dlen > 0 && dir[dlen - 1] != '/';
    char *path = xmalloc(dlen + slash + nlen + 1);
    memcpy(path, dir, dlen);
    if (slash)
        path[dlen] = '/';
    memcpy(path + dlen + slash, name, nlen + 1);
    return path;
}

static bool is_directory(const char *path, bool follow_links)
{
    struct stat st;
    int rc = follow_links ? stat(path, &st) : lstat(path, &st);
    return rc == 0 && S_ISDIR(st.st_mode);
}

/* Read the names in `path`, closing it before returning.  Returns the
   number of entries, or -1 with errno set. */
static long read_entries(const char *path, bool follow_links,
                         struct entry **out)
{
    DIR *dir = opendir(path);
    if (dir == NULL)
        return -1;
    struct entry *list = NULL;
    size_t count = 0, cap = 0;
    struct dirent *de;
    errno = 0;
    while ((de = readdir(dir)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        /* Another job's output or input may be passing through a hidden
           name here right now; compressing it would leave a stray
           ".pgz.*.gz", or fail once it has been renamed. */
        if (outfile_is_temporary_name(de->d_name))
            continue;
        if (count == cap) {
            cap = cap ? 2 * cap : 64;
            list = xrealloc(list, cap * sizeof *list);
        }
        list[count].name = xstrdup(de->d_name);
        if (de->d_type == DT_DIR)
            list[count].is_dir = true;
        else if (de->d_type == DT_UNKNOWN ||
                 (de->d_type == DT_LNK && follow_links)) {
            char *child = join(path, de->d_name);
            list[count].is_dir = is_directory(child, follow_links);
            free(child);
        } else
            list[count].is_dir = false;
        count++;
        errno = 0;
    }
    int err = errno;
    closedir(dir);
    if (err != 0) {
        for (size_t i = 0; i < count; i++)
            free(list[i].name);
        free(list);
        errno = err;
        return -1;
    }
    if (count > 1)
        qsort(list, count, sizeof *list, by_name);
    *out = list;
    return (long)count;
}

/* The directories from the operand down to the current one, so that a
   symlink back up the tree (followed under -f) is not walked forever. */
struct ancestor {
    dev_t dev;
    ino_t ino;
    const struct ancestor *up;
};

static bool on_path(const struct ancestor *a, const struct stat *st)
{
    for (; a != NULL; a = a->up)
        if (a->dev == st->st_dev && a->ino == st->st_ino)
            return true;
    return false;
}

static void walk_dir(struct walker *w, const char *path,
                     const struct ancestor *up)
{
    struct stat st = {0};
    if (stat(path, &st) == 0 && on_path(up, &st))
        return;     /* a loop: this directory is being walked already */
    struct ancestor here = { st.st_dev, st.st_ino, up };
    struct entry *list = NULL;
    long count = read_entries(path, w->follow_links, &list);
    if (count < 0) {
        w->visit(w->ctx, WALK_UNREADABLE, path, errno);
        return;
    }
    for (long i = 0; i < count; i++) {
        char *child = join(path, list[i].name);
        if (list[i].is_dir)
            walk_dir(w, child, &here);
        else
            w->visit(w->ctx, WALK_FILE, child, 0);
        free(child);
        free(list[i].name);
    }
    free(list);
}

/* A file or, under -r, a directory to walk. */
static void walk_name(struct walker *w, const struct options *opts,
                      const char *name)
{
    if (opts->recursive && is_directory(name, w->follow_links))
        walk_dir(w, name, NULL);
    else
        w->visit(w->ctx, WALK_FILE, name, 0);
}

static void walk_operand(struct walker *w, const struct options *opts,
                         const char *arg)
{
    if (strcmp(arg, "-") == 0)
        w->visit(w->ctx, WALK_STDIN, arg, 0);
    else
        walk_name(w, opts, arg);
}

/* The names in a file list, one at a time, so that a list of any length
   costs one name's memory.  Names are taken as they are: "-" in a list is
   a file called "-", never standard input.  Empty names (a blank line, say)
   are skipped.  A list that cannot be opened or read is an item of its
   own, reported where it stands in the order. */
static void walk_list(struct walker *w, const struct options *opts,
                      const struct file_list *list)
{
    bool is_stdin = strcmp(list->path, "-") == 0;
    FILE *in = is_stdin ? stdin : fopen(list->path, "re");
    if (in == NULL) {
        w->visit(w->ctx, WALK_UNREADABLE, list->path, errno);
        return;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getdelim(&line, &cap, list->delimiter, in)) >= 0) {
        if (len > 0 && line[len - 1] == list->delimiter)
            line[--len] = '\0';
        if (len > 0)
            walk_name(w, opts, line);
    }
    if (ferror(in))
        w->visit(w->ctx, WALK_UNREADABLE, is_stdin ? "stdin" : list->path,
                 errno != 0 ? errno : EIO);
    free(line);
    if (!is_stdin)
        fclose(in);
}

void walk_operands(const struct options *opts, walk_visit_fn visit, void *ctx)
{
    struct walker w = { visit, ctx, opts->force };
    if (opts->nfiles == 0 && opts->nlists == 0) {
        walk_operand(&w, opts, "-");
        return;
    }
    for (int i = 0; i < opts->nfiles; i++)
        walk_operand(&w, opts, opts->files[i]);
    for (int i = 0; i < opts->nlists; i++)
        walk_list(&w, opts, &opts->lists[i]);
}
