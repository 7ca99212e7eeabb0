/* budget.h -- the memory pgz may hold at once, whatever -j and -b.

   Everything in flight is bounded by a budget that does not grow with the
   number of workers (-j) and that a large block size (-b) spends on fewer
   blocks:

     compressors  A worker needs a compressor (deflate state and buffers,
                  about 0.6 MiB at level 6; or, with -d, -t and -l, the
                  inflate state and buffers, about as much) for a job.
                  Only budget_slots() = min(-j, CPUs) of them exist, each
                  allocated on its first use; a worker takes one before it
                  takes a job and gives it back after (pgz.c), so workers
                  beyond the CPUs cost a thread and no buffer.
     blocks       At most budget_block_tokens() blocks of big files and
                  standard input are in memory at once, read but not yet
                  written (bigfile.h; when decoding, groups of members of
                  a big .gz, each up to about 1 MiB in and 1 MiB out,
                  take the same tokens: pardec.h): BUDGET_BLOCK_BYTES of
                  them, at least one per compressor plus the one the
                  planner reads ahead,
                  and at most 4 per compressor.  A block holds its input,
                  then its compressed output; only the blocks being
                  compressed hold both at once.
     stdout       With -c (and for stdin), members waiting for their turn
                  on standard output: BUDGET_STDOUT_BYTES, or a single
                  write larger than that (one block's output) (seqout.h).

   Peak memory is therefore about
       slots x 0.6 MiB + (tokens + slots) x block size + 8 MiB
   plus small things (thread stacks, names, up to 4096 results waiting
   for their turn): with the default 128 KiB blocks, about 12 MiB on 2
   CPUs and 50 MiB on 32, whatever -j; with -b 65536 (64 MiB blocks),
   (2 x slots + 1) blocks at most, 5 on 2 CPUs, and 3 to 4 in practice
   since compressed output is smaller than its input. */
#ifndef PGZ_BUDGET_H
#define PGZ_BUDGET_H

#include <stddef.h>

#define BUDGET_BLOCK_BYTES ((size_t)32 * 1024 * 1024)
#define BUDGET_BLOCKS_PER_SLOT 4
#define BUDGET_STDOUT_BYTES ((size_t)8 * 1024 * 1024)

/* The number of compressors for `jobs` workers on `cpus` CPUs: the
   smaller, at least 1. */
size_t budget_slots(long jobs, long cpus);

/* The number of blocks of `block_size` bytes that may be in memory at
   once with `slots` compressors: BUDGET_BLOCK_BYTES / block_size, but at
   least slots + 1 and at most BUDGET_BLOCKS_PER_SLOT x slots. */
size_t budget_block_tokens(size_t block_size, size_t slots);

/* Let malloc keep at most about one arena per compressor, plus one for
   the planner and main (glibc; elsewhere nothing): each thread that
   allocates otherwise gets an arena of its own, up to 8 per CPU, and every
   arena keeps memory freed in it, so -j 1000 would keep 16 arenas' worth
   on 2 CPUs.  Call before starting threads. */
void budget_arenas(size_t slots);

#endif
