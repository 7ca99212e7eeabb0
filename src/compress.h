/* compress.h -- what a worker does with one job: compress one file (or
   stdin) into a gzip member, safely, in gzip's manner.

   For a file FILE (and no -c), compress_job():
     - opens FILE (not through a symlink unless -f), and refuses, with
       gzip's warnings, directories, special files, files with several hard
       links, files that already have a compressed suffix, and an existing
       FILE.gz (unless -f);
     - compresses into a new output with no final name (outfile.h), copies
       FILE's owner, mode and times to it, and links it in as FILE.gz only
       when complete;
     - removes FILE only after that, unless -k.
   With -c, or for stdin, the member goes to standard output through the
   ordered writer, so members appear in argument order.

   compress_job() never stops the program: every problem becomes a line in
   the result's log and a status. */
#ifndef PGZ_COMPRESS_H
#define PGZ_COMPRESS_H

#include "gzwriter.h"
#include "job.h"
#include "options.h"
#include "seqout.h"

#include <stdbool.h>

/* Per-worker state, reused from job to job. */
struct compressor {
    const struct options *opts;
    seqout_t *stdout_order;      /* ordered writer on standard output, or
                                    NULL when no job writes there */
    struct gz_writer gz;
    bool gz_ready;               /* gz is initialised (lazily, on first use) */
    unsigned char *inbuf;        /* COMPRESS_INBUF_SIZE bytes, or NULL */
};

#define COMPRESS_INBUF_SIZE (128 * 1024)

/* Prepare a compressor; it allocates its buffers on first use, so idle
   workers (say -j64 for two files) cost almost nothing. */
void compressor_init(struct compressor *c, const struct options *opts,
                     seqout_t *stdout_order);
void compressor_destroy(struct compressor *c);

/* Do `job` and return its result.  Opens and closes the job's ticket on
   c->stdout_order, if there is one, whatever happens (see seqout.h). */
struct result *compress_job(struct compressor *c, const struct job *job);

/* Whether `name` ends in a suffix gzip considers compressed (".gz", ".z",
   "-gz", "-z", "_z", ".tgz", ".taz", or `suffix`), compared without regard
   to case as gzip does.  Returns the suffix found as it appears in `name`,
   or NULL.  A name that is only a suffix (".gz") does not count. */
const char *compressed_suffix(const char *name, const char *suffix);

#endif
