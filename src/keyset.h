/* keyset.h -- a set of file names, each known by its directory's identity
   (device and inode) and its name in it, with the number of the job that
   holds it.

   Two uses: the walk remembers each directory it has walked (by its own
   identity, with an empty name) and each file an operand named, so that a
   file reached twice is known as such; and the pool remembers the names that jobs in flight read,
   so that a later job touching the same name waits for the earlier one
   (inflight.h).  A key may be held several times, by different jobs.

   Not thread-safe: callers lock. */
#ifndef PGZ_KEYSET_H
#define PGZ_KEYSET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct file_key {
    dev_t dev;          /* the directory's */
    ino_t ino;
    const char *name;   /* one component ("" for the directory itself) */
};

typedef struct keyset keyset_t;

/* A new, empty set; exits on memory exhaustion as xmalloc does. */
keyset_t *keyset_new(void);
void keyset_free(keyset_t *s);

/* Add `key` (the name is copied), held by job `index`. */
void keyset_add(keyset_t *s, const struct file_key *key, size_t index);

/* Remove one holding of `key` by job `index`; returns whether there was
   one. */
bool keyset_remove(keyset_t *s, const struct file_key *key, size_t index);

/* Whether `key` is held by a job numbered below `index` (any job: pass
   SIZE_MAX). */
bool keyset_held_before(const keyset_t *s, const struct file_key *key,
                        size_t index);

/* How many holdings the set has. */
size_t keyset_count(const keyset_t *s);

#endif
