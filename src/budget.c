/* budget.c -- see budget.h. */
#include "budget.h"

#include <malloc.h>

size_t budget_slots(long jobs, long cpus)
{
    long n = jobs < cpus ? jobs : cpus;
    return n < 1 ? 1 : (size_t)n;
}

size_t budget_block_tokens(size_t block_size, size_t slots)
{
    size_t n = block_size > 0 ? BUDGET_BLOCK_BYTES / block_size : 0;
    /* Every compressor busy while the planner reads one block ahead (it
       holds the next block before it sends the current one). */
    size_t floor = slots + 1;
    size_t ceiling = BUDGET_BLOCKS_PER_SLOT * slots;
    if (n > ceiling)
        n = ceiling;
    return n < floor ? floor : n;
}

void budget_arenas(size_t slots)
{
#ifdef M_ARENA_MAX
    int n = slots < 64 ? (int)slots + 1 : 65;
    (void)mallopt(M_ARENA_MAX, n);  /* only a hint: 0 leaves the default */
#else
    (void)slots;
#endif
}
