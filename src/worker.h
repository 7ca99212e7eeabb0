/* worker.h -- a worker's side of the pool: do one job, compressing or
   reading back.

   A struct worker is the state one job needs, used by one worker thread
   at a time (pgz.c keeps min(-j, CPUs) of them in a channel and a thread
   takes one per job: budget.h): the engine's state (about 256 KiB at
   level 6) and the read buffer are allocated on its first job and reused
   for every later one, which matters when thousands of small files go
   through it.

   worker_do() takes any job from the jobs channel:
     JOB_FILE   a file no larger than a block: open it, refuse it or compress
                it whole as one stream, finish it (task.h); or, with -d, -t
                or -l, any file, to read back (decompress.h);
     JOB_BLOCK  one block of a big file or of stdin (bigfile.h);
     JOB_MEMBERS  a group of members of a big .gz file (pardec.h);
     JOB_DONE   a result the planner already has: pass it on.
   It returns the file's result when the job completed a file, and NULL for
   a block that did not.  Nothing here stops the program: every problem is
   a line in a result. */
#ifndef PGZ_WORKER_H
#define PGZ_WORKER_H

#include "engine.h"
#include "gzreader.h"
#include "job.h"
#include "options.h"
#include "progress.h"
#include "seqout.h"

#include <stdbool.h>

struct worker {
    const struct options *opts;
    seqout_t *stdout_order;      /* ordered writer on standard output, or
                                    NULL when no job writes there */
    progress_t *progress;        /* told of the input bytes each job gets
                                    through; or NULL */
    engine_t *engine;            /* for compressing (made on first use) */
    struct gz_reader *gzr;       /* for -d, -t and -l (made on first use) */
    unsigned char *inbuf;        /* WORKER_INBUF_SIZE bytes, or NULL */
};

#define WORKER_INBUF_SIZE (128 * 1024)

/* Prepare a worker's state; it allocates its buffers on first use, so an
   unused one (two CPUs for one small file) costs almost nothing.  Not
   thread-safe: one thread at a time uses it (passing it on through a
   channel orders the uses). */
void worker_init(struct worker *w, const struct options *opts,
                 seqout_t *stdout_order, progress_t *progress);
void worker_destroy(struct worker *w);

/* Do `job` (and free it).  Returns a result for main, or NULL. */
struct result *worker_do(struct worker *w, struct job *job);

#endif
