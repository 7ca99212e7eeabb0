/* chunker.h -- where the input of a big file (or of standard input) is cut
   into blocks.

   Two kinds of cut:
     fixed      every `block_size` bytes (-b): what pgz does by default.
     rsyncable  --rsyncable: content-defined.  A rolling hash ("gear" hash:
                h = 2h + G[byte], so h depends on the last 64 bytes only)
                runs over each chunk; the chunk ends after a byte where the
                top CHUNKER_RSYNC_BITS bits of h are all zero, but never
                before CHUNKER_RSYNC_MIN bytes and always at the maximum.
                A cut depends only on the bytes since the previous cut, so
                after an insertion, deletion or change the cuts fall where
                they fell before as soon as one cut after the change is
                found again: the blocks (and their compressed bytes) after
                it are the same.

   Cuts depend only on the bytes, never on how they were read (one byte at
   a time or megabytes), on -j, or on the input being a file or a pipe.

   Thread-safety: a chunker belongs to one thread (the planner's). */
#ifndef PGZ_CHUNKER_H
#define PGZ_CHUNKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The rsyncable chunks: no cut before CHUNKER_RSYNC_MIN bytes, then one
   chance in 2^CHUNKER_RSYNC_BITS per byte; the maximum is the block size
   given to chunker_init() (CHUNKER_RSYNC_MAX unless -b says otherwise).
   Measured on the first 64 MiB of big.tar (bench/), libdeflate -6: see
   the man page and README for the trade-off between the size and how far
   a change spreads. */
#define CHUNKER_RSYNC_MIN ((size_t)32 * 1024)
#define CHUNKER_RSYNC_BITS 16
#define CHUNKER_RSYNC_MAX ((size_t)512 * 1024)

struct chunker {
    bool rsyncable;
    size_t min, max;         /* the chunk's bounds (min = max when fixed) */
    size_t seen;             /* bytes of the current chunk so far */
    uint64_t hash;
    uint64_t mask;
    uint64_t gear[256];
};

/* Start cutting a new input: fixed chunks of `max` bytes, or rsyncable
   ones of at most `max` bytes (max >= 1; a max below 2 x
   CHUNKER_RSYNC_MIN lowers the minimum to max / 2). */
void chunker_init(struct chunker *c, bool rsyncable, size_t max);

/* Scan the next `len` bytes of input, which follow every byte scanned
   before.  Returns how many of them belong to the current chunk: all of
   them (*cut false: the chunk goes on), or the first n (*cut true: the
   chunk ends after them; the next call starts a new chunk, and the bytes
   after the first n must be passed to it again). */
size_t chunker_scan(struct chunker *c, const unsigned char *p, size_t len,
                    bool *cut);

/* The smallest chunk that may be cut before the end of the input: a file
   no larger than this is one chunk whatever it holds. */
size_t chunker_min(bool rsyncable, size_t max);

#endif
