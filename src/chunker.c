/* chunker.c -- see chunker.h. */
#include "chunker.h"

/* The hash's window: h = 2h + G[b] forgets a byte after 64 shifts. */
#define WINDOW 64

/* splitmix64: a fixed, well-mixed table, the same on every machine (the
   cuts, hence the output, must never change). */
static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

size_t chunker_min(bool rsyncable, size_t max)
{
    if (!rsyncable)
        return max;
    return max < 2 * CHUNKER_RSYNC_MIN ? max / 2 : CHUNKER_RSYNC_MIN;
}

void chunker_init(struct chunker *c, bool rsyncable, size_t max)
{
    c->rsyncable = rsyncable;
    c->max = max;
    c->min = chunker_min(rsyncable, max);
    c->seen = 0;
    c->hash = 0;
    /* The top bits: the low ones only see the last few bytes. */
    c->mask = ~(uint64_t)0 << (64 - CHUNKER_RSYNC_BITS);
    uint64_t state = 0;
    for (int i = 0; i < 256; i++)
        c->gear[i] = splitmix64(&state);
}

static size_t end_chunk(struct chunker *c, size_t n, bool *cut)
{
    c->seen = 0;
    c->hash = 0;
    *cut = true;
    return n;
}

size_t chunker_scan(struct chunker *c, const unsigned char *p, size_t len,
                    bool *cut)
{
    *cut = false;
    size_t room = c->max - c->seen;     /* bytes before the forced cut */
    size_t n = len < room ? len : room;
    if (!c->rsyncable || c->min <= WINDOW) {
        c->seen += n;
        return n == room ? end_chunk(c, n, cut) : n;
    }
    /* Bytes too early to matter to the hash are skipped: the hash at the
       minimum depends on the WINDOW bytes before it only. */
    size_t i = 0;
    if (c->seen < c->min - WINDOW) {
        size_t skip = c->min - WINDOW - c->seen;
        i = skip < n ? skip : n;
    }
    uint64_t h = c->hash;
    for (; i < n; i++) {
        h = (h << 1) + c->gear[p[i]];
        if (c->seen + i + 1 >= c->min && (h & c->mask) == 0)
            return end_chunk(c, i + 1, cut);
    }
    c->hash = h;
    c->seen += n;
    return n == room ? end_chunk(c, n, cut) : n;
}
