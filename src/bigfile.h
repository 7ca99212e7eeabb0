/* bigfile.h -- one input compressed in blocks by every worker at once.

   A file larger than one block, and standard input, are cut into blocks of
   --blocksize bytes, or, with --rsyncable, at content-defined points
   (chunker.h: the bytes read after a cut start the next block).  The planner reads the input, one block after the
   other, and sends each block down the same jobs channel as whole small
   files; any worker compresses it (engine.h's engine_block: the engine
   decides the framing); the compressed blocks are then written in order,
   each as soon as all the blocks before it are out, by whichever worker
   finished the block that was holding them up.  That worker joins the
   blocks (engine_join: with zlib, the combined CRC-32 and the trailer
   after the last block) and finishes the file (task_finish): no thread
   waits to write, and no worker idles while a block is ready to
   compress.

   Reading happens in one thread, in order, so each block's priming
   dictionary is exactly the input before it, even if the file changes
   while it is read: the member is always valid for what was read.

   Memory is bounded by `tokens`, a channel used as a counting semaphore:
   the planner puts a token in before it reads a block and the writer takes
   one out after writing a block, so at most capacity(tokens) blocks exist
   at once, read or compressed but not yet written (budget.h says how
   many: a number of bytes, not of workers).  Open descriptors are
   bounded the same way: the planner puts a token in `open_files` before
   it opens a big file, and the file gives it back once it is finished and
   closed. */
#ifndef PGZ_BIGFILE_H
#define PGZ_BIGFILE_H

#include "chan.h"
#include "engine.h"
#include "job.h"
#include "task.h"

#include <stdbool.h>
#include <stddef.h>

struct block;

/* How a big file is cut (chunker.h). */
struct plan_config {
    size_t block_size;    /* -b: the block size, the largest with rsyncable */
    bool independent;     /* -i: blocks are not primed */
    bool rsyncable;       /* --rsyncable: content-defined cuts */
};

/* Read the opened task `t` (moved into the big file: the caller must not
   touch it again) in blocks cut as `pc` says (fixed blocks of
   pc->block_size bytes, or rsyncable chunks) and send one JOB_BLOCK
   job per block on `jobs`, each after putting a token in `tokens`.  Blocks
   carry the input before them when the engine wants it (zlib without
   `independent`, -i).
   Returns when the whole input was read and sent, or reading failed (the
   last block sent then ends the file, which reports the error), or the
   output failed (no point reading on).  The caller put a token in
   `open_files` before opening the task; the file takes it out once it is
   closed. */
void bigfile_plan(struct task *t, const struct plan_config *pc,
                  chan_t *jobs, chan_t *tokens, chan_t *open_files);

/* Compress `block` with `engine` (the worker's), then write every block
   whose turn has come.  Returns the file's result if this completed the
   file, else NULL.  Frees the block. */
struct result *bigfile_compress_block(engine_t *engine,
                                      struct block *block);

/* The number of input bytes in `block` (for the progress line). */
size_t bigfile_block_length(const struct block *block);

/* Free a block and give its token back: after it was written, or when it
   turns out to be empty (the end of the input). */
void bigfile_drop_block(struct block *block);

#endif
