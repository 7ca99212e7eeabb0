/* walk.c -- see walk.h. */
#include "walk.h"
#include "keyset.h"
#include "outfile.h"
#include "util.h"

#include <dirent.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct entry {
    char *name;
    bool is_dir;
};

/* A directory being walked, and the one it is in, so that a symlink back
   up the tree (followed under -f) is not walked forever. */
struct ancestor {
    dev_t dev;
    ino_t ino;
    const struct ancestor *up;
};

struct walker {
    walk_visit_fn visit;
    void *ctx;
    bool recursive;
    bool follow_links;      /* -f: a symlink to a directory is walked */
    keyset_t *walked;       /* the directories walked so far */
    const struct ancestor *path_up;  /* the directories being walked */
    keyset_t *named;        /* -r: the files operands named so far */
    char *operand_dir;      /* the last operand's directory part ... */
    dirref_t *operand_ref;  /* ... opened, or NULL */
    int operand_err;        /* ... or why it could not be */
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

static bool is_directory_at(dirref_t *dir, const char *name, bool follow)
{
    struct stat st;
    return fstatat(dirref_fd(dir), name, &st,
                   follow ? 0 : AT_SYMLINK_NOFOLLOW) == 0 &&
           S_ISDIR(st.st_mode);
}

static void free_entries(struct entry *list, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(list[i].name);
    free(list);
}

/* Read the names in `dir`, through its descriptor.  Returns the number of
   entries, or -1 with errno set. */
static long read_entries(dirref_t *dir, bool follow_links, struct entry **out)
{
    int fd = openat(dirref_fd(dir), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *stream = fd < 0 ? NULL : fdopendir(fd);
    if (stream == NULL) {
        int err = errno;
        if (fd >= 0)
            close(fd);
        errno = err;
        return -1;
    }
    struct entry *list = NULL;
    size_t count = 0, cap = 0;
    struct dirent *de;
    errno = 0;
    while ((de = readdir(stream)) != NULL) {
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
                 (de->d_type == DT_LNK && follow_links))
            list[count].is_dir = is_directory_at(dir, de->d_name, follow_links);
        else
            list[count].is_dir = false;
        count++;
        errno = 0;
    }
    int err = errno;
    closedir(stream);
    if (err != 0) {
        free_entries(list, count);
        errno = err;
        return -1;
    }
    if (count > 1)
        qsort(list, count, sizeof *list, by_name);
    *out = list;
    return (long)count;
}

/* Whether `dir` was walked already in this run (`-r d d`, `-r d d/sub`);
   remembers it if not. */
static bool walked_before(struct walker *w, dirref_t *dir)
{
    struct file_key key = { dirref_dev(dir), dirref_ino(dir), "" };
    if (keyset_held_before(w->walked, &key, SIZE_MAX))
        return true;
    keyset_add(w->walked, &key, 0);
    return false;
}

static void visit_file(struct walker *w, dirref_t *dir, const char *path,
                       size_t name_offset, int err, bool seen_before)
{
    struct walk_entry e = {
        .item = WALK_FILE,
        .loc = { .dir = dir, .path = path, .name_offset = name_offset,
                 .dir_err = err, .seen_before = seen_before },
    };
    w->visit(w->ctx, &e);
}

static void visit_unreadable(struct walker *w, const char *path, int err)
{
    struct walk_entry e = { .item = WALK_UNREADABLE, .loc.path = path,
                            .err = err };
    w->visit(w->ctx, &e);
}

static void walk_dir(struct walker *w, dirref_t *dir, const char *path);

/* The entry `name` of `parent` (`path` for messages): a directory to walk
   under -r, or a file. */
static void walk_entry(struct walker *w, dirref_t *parent, const char *name,
                       const char *path, size_t name_offset, bool seen_before,
                       bool looks_like_dir)
{
    if (!looks_like_dir) {
        visit_file(w, parent, path, name_offset, 0, seen_before);
        return;
    }
    dirref_t *sub = dirref_openat(parent, name, w->follow_links);
    if (sub != NULL) {
        walk_dir(w, sub, path);
        dirref_put(sub);
    } else if (errno == ENOTDIR || errno == ELOOP) {
        /* No longer a directory: a file after all (opening it decides). */
        visit_file(w, parent, path, name_offset, 0, seen_before);
    } else {
        visit_unreadable(w, path, errno);
    }
}

static bool on_path(const struct ancestor *a, dirref_t *dir)
{
    for (; a != NULL; a = a->up)
        if (a->dev == dirref_dev(dir) && a->ino == dirref_ino(dir))
            return true;
    return false;
}

/* Walk `dir`.  A directory walked before is walked again, as gzip's run
   would (with -k or -c its files are done again), but its files are
   marked seen_before: those the first walk's jobs removed meanwhile are
   gone quietly, as they would be from a later listing. */
static void walk_dir(struct walker *w, dirref_t *dir, const char *path)
{
    if (on_path(w->path_up, dir))
        return;     /* a loop of symlinks under -f */
    bool again = walked_before(w, dir);
    struct ancestor here = { dirref_dev(dir), dirref_ino(dir), w->path_up };
    w->path_up = &here;
    struct entry *list = NULL;
    long count = read_entries(dir, w->follow_links, &list);
    if (count < 0) {
        visit_unreadable(w, path, errno);
        w->path_up = here.up;
        return;
    }
    for (long i = 0; i < count; i++) {
        struct file_key key = { dirref_dev(dir), dirref_ino(dir), list[i].name };
        bool seen = !list[i].is_dir &&
                    (again || keyset_held_before(w->named, &key, SIZE_MAX));
        char *child = join(path, list[i].name);
        walk_entry(w, dir, list[i].name, child,
                   strlen(child) - strlen(list[i].name), seen, list[i].is_dir);
        free(child);
        free(list[i].name);
    }
    free(list);
    w->path_up = here.up;
}

/* The directory that the operand `dir_path` names, opened once for a run
   of operands in the same directory. */
static dirref_t *operand_dir(struct walker *w, char *dir_path)
{
    if (w->operand_dir != NULL && strcmp(w->operand_dir, dir_path) == 0) {
        free(dir_path);
        errno = w->operand_err;
        return w->operand_ref;
    }
    free(w->operand_dir);
    dirref_put(w->operand_ref);
    w->operand_dir = dir_path;
    w->operand_ref = dirref_open(dir_path);
    w->operand_err = w->operand_ref == NULL ? errno : 0;
    errno = w->operand_err;
    return w->operand_ref;
}

/* A file or, under -r, a directory to walk, named by an operand or a
   list. */
static void walk_name(struct walker *w, const char *path)
{
    const char *name;
    size_t offset;
    dirref_t *dir = operand_dir(w, dirref_split(path, &name, &offset));
    if (dir == NULL) {
        visit_file(w, NULL, path, offset, errno, false);
        return;
    }
    bool is_dir = w->recursive && is_directory_at(dir, name, w->follow_links);
    if (w->recursive && !is_dir) {
        struct file_key key = { dirref_dev(dir), dirref_ino(dir), name };
        keyset_add(w->named, &key, 0);
    }
    walk_entry(w, dir, name, path, offset, false, is_dir);
}

static void walk_operand(struct walker *w, const char *arg)
{
    if (strcmp(arg, "-") == 0) {
        struct walk_entry e = { .item = WALK_STDIN, .loc.path = arg };
        w->visit(w->ctx, &e);
    } else {
        walk_name(w, arg);
    }
}

/* The names in a file list, one at a time, so that a list of any length
   costs one name's memory.  Names are taken as they are: "-" in a list is
   a file called "-", never standard input.  Empty names (a blank line, say)
   are skipped.  A list that cannot be opened or read is an item of its
   own, reported where it stands in the order. */
static void walk_list(struct walker *w, const struct file_list *list)
{
    bool is_stdin = strcmp(list->path, "-") == 0;
    FILE *in = is_stdin ? stdin : fopen(list->path, "re");
    if (in == NULL) {
        visit_unreadable(w, list->path, errno);
        return;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getdelim(&line, &cap, list->delimiter, in)) >= 0) {
        if (len > 0 && line[len - 1] == list->delimiter)
            line[--len] = '\0';
        if (len > 0)
            walk_name(w, line);
    }
    if (ferror(in))
        visit_unreadable(w, is_stdin ? "stdin" : list->path,
                         errno != 0 ? errno : EIO);
    free(line);
    if (!is_stdin)
        fclose(in);
}

void walk_operands(const struct options *opts, walk_visit_fn visit, void *ctx)
{
    struct walker w = {
        .visit = visit, .ctx = ctx, .recursive = opts->recursive,
        .follow_links = opts->force, .walked = keyset_new(),
        .named = keyset_new(),
    };
    if (opts->nfiles == 0 && opts->nlists == 0)
        walk_operand(&w, "-");
    for (int i = 0; i < opts->nfiles; i++)
        walk_operand(&w, opts->files[i]);
    for (int i = 0; i < opts->nlists; i++)
        walk_list(&w, &opts->lists[i]);
    free(w.operand_dir);
    dirref_put(w.operand_ref);
    keyset_free(w.walked);
    keyset_free(w.named);
}
