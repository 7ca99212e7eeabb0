/* budget.c -- see budget.h. */
#include "budget.h"

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
