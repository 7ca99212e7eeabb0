/* ordered.c -- see ordered.h. */
#include "ordered.h"
#include "util.h"

void ordered_init(struct ordered *o)
{
    o->parked = NULL;
    o->next = 0;
    o->writing = false;
    mutex_init(&o->lock);
}

void ordered_destroy(struct ordered *o)
{
    pthread_mutex_destroy(&o->lock);
}

bool ordered_put(struct ordered *o, struct ordered_item *item)
{
    mutex_lock(&o->lock);
    struct ordered_item **p = &o->parked;
    while (*p != NULL && (*p)->index < item->index)
        p = &(*p)->next;
    item->next = *p;
    *p = item;
    bool writer = !o->writing;
    o->writing = true;
    mutex_unlock(&o->lock);
    return writer;
}

struct ordered_item *ordered_next(struct ordered *o)
{
    mutex_lock(&o->lock);
    struct ordered_item *item = o->parked;
    if (item != NULL && item->index == o->next) {
        o->parked = item->next;
        o->next++;
    } else {
        item = NULL;
        o->writing = false;
    }
    mutex_unlock(&o->lock);
    return item;
}
