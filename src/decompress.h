/* decompress.h -- a worker's side of -d, -t and -l: read one gzip file back
   (or a file in another format gzip -d reads: compress, pack, zip; see
   formats.h).

   For a file FILE.gz, decompress_file():
     - finds the input as gzip does (FILE given without its suffix is looked
       for as FILE.gz, FILE.z, FILE-z, FILE.Z), opens it and applies the
       same refusals as compression (task.h);
     - checks that FILE.gz has a compressed suffix (".gz", "-gz", ".z",
       "-z", "_z", any case, ".tgz" and ".taz" giving ".tar", or -S),
       else gzip's warning;
     - decodes every member (gzreader.h) into an output with no final name,
       named after the suffix (or the stored name, with -N), and gives it
       its final name only when every CRC and length checked out; then
       removes FILE.gz unless -k;
     - with -t decodes and checks only; with -l also measures, for main to
       print gzip's listing in order;
     - with -c -f (and -t -f), copies input that is no member through
       unchanged, whole or after members, as gzip does;
     - words the other formats' errors and warnings as gzip does (a zip
       of several entries: a warning, or with -d an error that keeps it).
   Standard input ("-") decodes to standard output.  Every problem becomes
   a line in the result, in gzip's words. */
#ifndef PGZ_DECOMPRESS_H
#define PGZ_DECOMPRESS_H

#include "gzreader.h"
#include "job.h"
#include "options.h"
#include "seqout.h"

/* What decoding uses of the worker's (worker.h). */
struct decoding {
    const struct options *opts;
    seqout_t *stdout_order;      /* or NULL when nothing goes there */
    gz_reader_t *gzr;
};

/* Do the JOB_FILE `job` in a decompressing mode; returns its result. */
struct result *decompress_file(struct decoding *c, struct job *job);

/* The same for a task already opened (pardec.h: the planner opened it and
   found members that do not walk); closes it.  The input starts with the
   `len` bytes at `preread` (which the planner read from a pipe), then
   goes on with t->in (see gzr_preread). */
struct task;
struct result *decompress_task(struct decoding *c, struct task *t,
                               const unsigned char *preread, size_t len);

/* -l: put what a decoding of t that went well found (sizes, the last
   member's CRC-32, the format) into t's result, as gzip's listing line. */
void decompress_record_listing(struct task *t, const struct gz_result *g);

/* Set the worker's reader up for t's options and input, as decoding t
   would (stored name, -f); pardec.h's sequential resumption uses it. */
void decompress_setup_reader(struct decoding *c, const struct task *t);

/* Put what a decoding found into t's result, in gzip's words: an error
   (then the output must not be finished), or trailing zeros or garbage
   (warnings). */
void decompress_report(struct task *t, const struct gz_result *g);

#endif
