/* dirref.h -- a directory held open, shared by the files found in it.

   Every file pgz touches is reached as (directory descriptor, last name
   component): the input is opened, the output created and linked, the
   metadata copied and the input removed through the descriptor of the
   directory it was found in, which was itself opened once, relative to
   its parent's descriptor and without following a symlink (see walk.h).
   So a directory that is renamed or replaced by a symlink while pgz works
   cannot steer an output or a removal elsewhere: no path is resolved
   twice.

   A dirref is reference-counted, so that many jobs in one directory share
   one descriptor, and the descriptor is closed when the last job and the
   walk are done with it.  The descriptor is an O_PATH one: good for the
   *at() calls; open "." through it to list or sync the directory.

   Thread-safety: dirref_get() and dirref_put() may be called from any
   thread; the rest of a dirref is read-only after it is made. */
#ifndef PGZ_DIRREF_H
#define PGZ_DIRREF_H

#include <stdbool.h>
#include <sys/types.h>

typedef struct dirref dirref_t;

/* Open the directory `path` (the directory part of an operand, which the
   user named: symlinks in it are followed) and return it with one
   reference, or NULL with errno set. */
dirref_t *dirref_open(const char *path);

/* Open the directory `name` (one component, or one with trailing
   slashes) of `parent`, without following a final symlink unless
   `follow`.  Returns it with one reference, or NULL with errno set
   (ENOTDIR or ELOOP when it is not a directory, or a symlink not
   followed). */
dirref_t *dirref_openat(dirref_t *parent, const char *name, bool follow);

/* Take one more reference; returns `d`.  NULL is passed through. */
dirref_t *dirref_get(dirref_t *d);

/* Drop one reference; the last one closes the descriptor.  NULL is
   ignored. */
void dirref_put(dirref_t *d);

/* The descriptor, for the *at() calls (valid while a reference is held). */
int dirref_fd(const dirref_t *d);

/* The directory's identity, from fstat() at opening. */
dev_t dirref_dev(const dirref_t *d);
ino_t dirref_ino(const dirref_t *d);

/* Split `path` (an operand) into its directory part, returned as a new
   string ("." when there is none), and its last component, pointed to in
   *name (trailing slashes stay with it: "a/b/" gives "a" and "b/"; a path
   of slashes only, "/", gives "/" and itself).  *name_offset is where the
   last component starts in `path` ("a/b" gives 2): *name is always
   path + *name_offset, so that names derived from it (an output "a/b.gz")
   share the prefix. */
char *dirref_split(const char *path, const char **name, size_t *name_offset);

/* A file as the walk found it: its directory, held open, and its name in
   it.  Names derived from it (its output) share its directory and the
   prefix of `path`. */
struct file_loc {
    dirref_t *dir;      /* NULL when the directory could not be opened */
    const char *path;   /* for messages; its name in `dir` is
                           path + name_offset */
    size_t name_offset;
    int dir_err;        /* why `dir` is NULL */
    bool seen_before;   /* an operand named this file before a -r walk
                           found it again (`pgz -r d/a d`): if it is gone
                           by then, the first visit removed it, and the
                           walk would not have found it had it come
                           after */
};

#endif
