/* inflight.c -- see inflight.h. */
#include "inflight.h"
#include "keyset.h"
#include "util.h"

#include <pthread.h>
#include <stdlib.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t released = PTHREAD_COND_INITIALIZER;
static keyset_t *held_names;    /* guarded by lock; made on first use */

static struct file_key key_of(dirref_t *dir, const char *name)
{
    return (struct file_key){ dirref_dev(dir), dirref_ino(dir), name };
}

static void hold_one(size_t index, dirref_t *dir, const char *name)
{
    struct file_key key = key_of(dir, name);
    keyset_add(held_names, &key, index);
}

void inflight_hold(size_t index, dirref_t *dir, const char *input,
                   const char *output, struct inflight_names *held)
{
    held->input = xstrdup(input);
    held->output = output != NULL ? xstrdup(output) : NULL;
    mutex_lock(&lock);
    if (held_names == NULL)
        held_names = keyset_new();
    hold_one(index, dir, held->input);
    if (held->output != NULL)
        hold_one(index, dir, held->output);
    mutex_unlock(&lock);
}

void inflight_release(size_t index, dirref_t *dir, struct inflight_names *held)
{
    if (held->input == NULL)
        return;
    mutex_lock(&lock);
    struct file_key key = key_of(dir, held->input);
    keyset_remove(held_names, &key, index);
    if (held->output != NULL) {
        key = key_of(dir, held->output);
        keyset_remove(held_names, &key, index);
    }
    if (pthread_cond_broadcast(&released) != 0)
        panic("pthread_cond_broadcast failed");
    mutex_unlock(&lock);
    free(held->input);
    free(held->output);
    held->input = held->output = NULL;
}

void inflight_wait_turn(size_t index, dirref_t *dir, const char *name)
{
    struct file_key key = key_of(dir, name);
    mutex_lock(&lock);
    while (held_names != NULL && keyset_held_before(held_names, &key, index))
        if (pthread_cond_wait(&released, &lock) != 0)
            panic("pthread_cond_wait failed");
    mutex_unlock(&lock);
}
