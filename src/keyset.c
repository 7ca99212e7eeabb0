/* keyset.c -- see keyset.h.  Chained hashing; the table doubles when it
   holds more than two entries a bucket on average. */
#include "keyset.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    dev_t dev;
    ino_t ino;
    size_t index;
    uint64_t hash;
    struct entry *next;
    char name[];
};

struct keyset {
    struct entry **buckets;
    size_t nbuckets;        /* a power of two */
    size_t count;
};

static uint64_t hash_key(const struct file_key *k)
{
    uint64_t h = 14695981039346656037u;     /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)k->name; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    h ^= (uint64_t)k->dev * 0x9e3779b97f4a7c15u;
    h ^= (uint64_t)k->ino * 0xbf58476d1ce4e5b9u;
    return h ^ (h >> 29);
}

static bool matches(const struct entry *e, const struct file_key *k,
                    uint64_t h)
{
    return e->hash == h && e->dev == k->dev && e->ino == k->ino &&
           strcmp(e->name, k->name) == 0;
}

keyset_t *keyset_new(void)
{
    keyset_t *s = xmalloc(sizeof *s);
    s->nbuckets = 64;
    s->buckets = xcalloc(s->nbuckets, sizeof *s->buckets);
    s->count = 0;
    return s;
}

void keyset_free(keyset_t *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->nbuckets; i++) {
        struct entry *e = s->buckets[i];
        while (e != NULL) {
            struct entry *next = e->next;
            free(e);
            e = next;
        }
    }
    free(s->buckets);
    free(s);
}

static void grow(keyset_t *s)
{
    size_t n = s->nbuckets * 2;
    struct entry **b = xcalloc(n, sizeof *b);
    for (size_t i = 0; i < s->nbuckets; i++) {
        struct entry *e = s->buckets[i];
        while (e != NULL) {
            struct entry *next = e->next;
            e->next = b[e->hash & (n - 1)];
            b[e->hash & (n - 1)] = e;
            e = next;
        }
    }
    free(s->buckets);
    s->buckets = b;
    s->nbuckets = n;
}

void keyset_add(keyset_t *s, const struct file_key *key, size_t index)
{
    if (s->count >= 2 * s->nbuckets)
        grow(s);
    size_t len = strlen(key->name);
    struct entry *e = xmalloc(sizeof *e + len + 1);
    e->dev = key->dev;
    e->ino = key->ino;
    e->index = index;
    e->hash = hash_key(key);
    memcpy(e->name, key->name, len + 1);
    struct entry **b = &s->buckets[e->hash & (s->nbuckets - 1)];
    e->next = *b;
    *b = e;
    s->count++;
}

bool keyset_remove(keyset_t *s, const struct file_key *key, size_t index)
{
    uint64_t h = hash_key(key);
    for (struct entry **p = &s->buckets[h & (s->nbuckets - 1)]; *p != NULL;
         p = &(*p)->next) {
        if ((*p)->index == index && matches(*p, key, h)) {
            struct entry *e = *p;
            *p = e->next;
            free(e);
            s->count--;
            return true;
        }
    }
    return false;
}

bool keyset_held_before(const keyset_t *s, const struct file_key *key,
                        size_t index)
{
    uint64_t h = hash_key(key);
    for (const struct entry *e = s->buckets[h & (s->nbuckets - 1)]; e != NULL;
         e = e->next)
        if (e->index < index && matches(e, key, h))
            return true;
    return false;
}

size_t keyset_count(const keyset_t *s)
{
    return s->count;
}
