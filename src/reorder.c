/* reorder.c -- see reorder.h.  A ring of slots indexed by seq - base,
   doubled when an item lands beyond its end. */
#include "reorder.h"
#include "util.h"

#include <stdlib.h>

struct reorder {
    void **slot;
    size_t cap;     /* a power of two */
    size_t base;    /* the sequence number handed out next */
};

reorder_t *reorder_new(void)
{
    reorder_t *r = xcalloc(1, sizeof *r);
    r->cap = 16;
    r->slot = xcalloc(r->cap, sizeof *r->slot);
    return r;
}

void reorder_free(reorder_t *r)
{
    if (r == NULL)
        return;
    free(r->slot);
    free(r);
}

static void grow(reorder_t *r, size_t need)
{
    size_t cap = r->cap;
    while (cap <= need)
        cap *= 2;
    void **slot = xcalloc(cap, sizeof *slot);
    for (size_t i = 0; i < r->cap; i++) {
        size_t seq = r->base + i;
        slot[seq & (cap - 1)] = r->slot[seq & (r->cap - 1)];
    }
    free(r->slot);
    r->slot = slot;
    r->cap = cap;
}

void reorder_put(reorder_t *r, size_t seq, void *item)
{
    if (item == NULL || seq < r->base)
        panic("reorder_put: bad item %zu (next is %zu)", seq, r->base);
    if (seq - r->base >= r->cap)
        grow(r, seq - r->base);
    void **s = &r->slot[seq & (r->cap - 1)];
    if (*s != NULL)
        panic("reorder_put: item %zu given twice", seq);
    *s = item;
}

void *reorder_next(reorder_t *r)
{
    void **s = &r->slot[r->base & (r->cap - 1)];
    void *item = *s;
    if (item != NULL) {
        *s = NULL;
        r->base++;
    }
    return item;
}
