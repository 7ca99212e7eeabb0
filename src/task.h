/* task.h -- one file (or stdin) on its way to becoming a gzip member: the
   steps every file goes through, whoever performs them.

   A small file is one job: a worker opens it, compresses it and finishes
   it.  A big file is cut into blocks: the planner opens it and reads it,
   workers compress its blocks, and whichever worker writes the last block
   finishes it.  Both go through the same steps, in this module:

     task_open_file()/task_open_stdin()
         open the input as gzip does and apply gzip's refusals (directories,
         special files, symlinks, hard links, compressed suffixes, existing
         outputs), then create the output: a file with no final name yet
         (outfile.h), or this task's turn on standard output (seqout.h);
     task_sink()
         where the compressed bytes go;
     task_finish()
         for a complete member: give the output the input's metadata and
         its final name, remove the input unless -k, print gzip's -v line;
         after a failure: discard the output and keep the input.
     task_close()
         release everything and hand back the result for main to print.

   Every problem becomes a line in the task's result, worded as GNU gzip
   words it; nothing here stops the program. */
#ifndef PGZ_TASK_H
#define PGZ_TASK_H

#include "dirref.h"
#include "inflight.h"
#include "sink.h"
#include "job.h"
#include "options.h"
#include "outfile.h"
#include "seqout.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

struct task {
    const struct options *opts;
    struct result *res;          /* what main will print */
    char *path;                  /* the input's name ("stdin" for stdin) */
    bool is_stdin;
    dirref_t *dir;               /* the input's directory (and the output's) */
    size_t name_offset;          /* the input's name in dir: path + this;
                                    the output's: out_name + this */
    struct inflight_names held;  /* the names the planner held for it */
    int in;                      /* input descriptor, or -1 */
    struct stat st;              /* the input's status when opened */
    const char *stored_name;     /* FNAME to store, or NULL */
    uint32_t mtime;              /* MTIME to store */
    uint32_t restore_mtime;      /* -d -N: the output's mtime, or 0 */
    seqout_stream_t *stdout_stream;  /* the output with -c and for stdin */
    char *out_name;              /* FILE.gz, without -c */
    struct outfile out;          /* its file, while it has no name */
    bool out_open;
    struct timespec started;     /* when the task began, for the report */
};

/* Open the file of `job` (a JOB_FILE), as `opts` says, and prepare its
   output.  `path` is the name to open instead of job->loc.path, or NULL;
   it must share job->loc.path's directory prefix (gzip -d FILE opening
   FILE.gz).  The task takes over the names the planner held for the job,
   and waits for its turn on them (inflight.h).  `stdout_order` is the
   ordered writer on stdout, or NULL when nothing goes there; the task's
   ticket on it is opened here whatever happens.  Returns true if there is
   something to compress; false if the file was refused or could not be
   opened or its output created (the result says why).  Either way, end
   with task_close(). */
bool task_open_file(struct task *t, const struct options *opts,
                    seqout_t *stdout_order, struct job *job, const char *path);

/* The same for standard input, which always goes to standard output. */
bool task_open_stdin(struct task *t, const struct options *opts,
                     seqout_t *stdout_order, size_t index);

/* Create the output `out_name` (taking the string; it shares the input's
   directory prefix, so its name in the directory is out_name +
   t->name_offset) with no final name yet,
   unless it exists and -f was not given (gzip's warning).  A last
   component longer than its directory allows is first made to fit as
   gzip does (names.h): shortened when compressing (`out_name` is then
   FILE followed by the suffix; the input's name is stored even under -n,
   and gzip's "FILE compressed to SHORTER" is printed), cut with gzip's
   "name truncated" warning when decompressing.  Compression does it in
   task_open_file(); decompression once the header gave the stored name.
   Returns false if there is no output (the result says why). */
bool task_create_output(struct task *t, char *out_name);

/* The result for an item that is not even a task: a directory the planner
   could not read (`err`).  Takes and releases the item's stdout ticket. */
struct result *task_fail(const struct options *opts, seqout_t *stdout_order,
                         size_t index, const char *path, int err);

/* Where the task's compressed bytes go: a sink and its context. */
gz_sink_fn task_sink(struct task *t, void **ctx);

/* What happened to the task's member. */
struct member_summary {
    int read_err;            /* errno of a failed read of the input, or 0 */
    int write_err;           /* errno of a failed write of the output, or 0 */
    uint64_t bytes_in;       /* bytes read (uncompressed when compressing) */
    uint64_t deflate_bytes;  /* deflate data, without headers and trailers */
    uint64_t bytes_out;      /* bytes written (the whole member when
                                compressing) */
};

/* Complete the task after its member was written (or failed): see the top
   of this file.  A regular file whose size changed while it was read gets
   gzip's warning and is kept. */
void task_finish(struct task *t, const struct member_summary *m);

/* Release the task: close the input, discard an output that was not
   finished, close the stdout ticket.  Returns the result (the caller's to
   free, normally by sending it to main). */
struct result *task_close(struct task *t);

/* The output a file `name` gets (its name plus the suffix when
   compressing, without its compressed suffix when decompressing, itself
   when it has none), as a new string; NULL when no output file is made
   (-c, -t, -l). */
char *task_expected_output(const struct options *opts, const char *name);

/* `path` without its compressed suffix (".tgz" and ".taz" give ".tar"),
   as a new string, or NULL if it has none. */
char *strip_compressed_suffix(const char *path, const char *suffix);

/* Whether `name` ends in a suffix gzip considers compressed (".gz", ".z",
   "-gz", "-z", "_z", ".tgz", ".taz", or `suffix`), compared without regard
   to case as gzip does.  Returns the suffix found as it appears in `name`,
   or NULL.  A name that is only a suffix (".gz") does not count. */
const char *compressed_suffix(const char *name, const char *suffix);

#endif
