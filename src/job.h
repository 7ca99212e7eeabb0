/* job.h -- the unit of work that flows from the planner to the workers,
   and the result that flows from the workers back to main.

   Every job carries the index of the file it belongs to (files found
   under -r get consecutive indices in traversal order); main prints results
   in index order, which is argument order.  Every file yields exactly one
   result (a file in blocks: from the job that completes it), so the log of
   a run does not depend on which worker finishes first. */
#ifndef PGZ_JOB_H
#define PGZ_JOB_H

#include "dirref.h"
#include "inflight.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct block;   /* bigfile.h */

enum job_kind {
    JOB_FILE,   /* compress the file `loc` whole: one worker, one stream */
    JOB_BLOCK,  /* compress one block of a big file or of stdin */
    JOB_DONE    /* nothing to compress: pass `result` on (a file the planner
                   refused, or a directory it could not read) */
};

struct job {
    enum job_kind kind;
    size_t index;           /* the file's number, in argument order */
    struct file_loc loc;    /* JOB_FILE: the job owns loc.path and holds a
                               reference to loc.dir */
    struct inflight_names held;  /* JOB_FILE: names held for it (the task
                               that does it takes them over) */
    bool is_stdin;          /* JOB_FILE: read standard input, not `loc`
                               (a file list's "-" is a file called "-") */
    struct block *block;    /* JOB_BLOCK */
    struct result *result;  /* JOB_DONE */
};

/* Exit statuses as GNU gzip: 0, 1 for any error, 2 for warnings only. */
enum status {
    STATUS_OK = 0,
    STATUS_ERROR = 1,
    STATUS_WARNING = 2
};

/* -l: what one line of gzip's listing shows. */
struct listing {
    uint64_t compressed;      /* bytes of the file */
    uint64_t uncompressed;    /* bytes of data, all members decoded */
    uint64_t overhead;        /* bytes of gzip headers and trailers */
    uint32_t crc;             /* the last member's CRC-32 */
    int64_t mtime;            /* the time to show (gzip's rule: see
                                 decompress.c) */
    char *name;               /* the uncompressed name */
};

struct result {
    size_t index;         /* the job's index */
    enum status status;
    char *log;            /* lines for stderr, already worded; or NULL */
    size_t log_len;
    char *input;          /* the input's name ("-" for stdin), or NULL */
    char *output;         /* the output's final name, "-" for stdout, or
                             NULL when nothing was written (errors, -t, -l) */
    char *message;        /* the first error or warning (even under -q) or
                             note, without the "PROG: " prefix; or NULL */
    double seconds;       /* from opening the input to the result */
    uint64_t bytes_in;    /* bytes read (uncompressed when compressing) */
    uint64_t bytes_out;   /* bytes written (or decoded, for -t and -l) */
    struct listing *listing;  /* -l only, or NULL */
    bool gone;            /* nothing to say: a file a -r walk found again
                             after an operand named it, and the earlier
                             visit removed (file_loc.seen_before) */
};

/* New jobs of each kind.  job_new_file() copies loc->path and takes a
   reference to loc->dir. */
struct job *job_new_file(size_t index, const struct file_loc *loc);
struct job *job_new_stdin(size_t index);      /* a JOB_FILE of stdin */
struct job *job_new_block(size_t index, struct block *block);
struct job *job_new_done(struct result *result);

/* Free the job itself (not its block or result, which move on), with its
   reference to its directory. */
void job_free(struct job *job);

/* A new, empty (STATUS_OK, no log) result for job `index`. */
struct result *result_new(size_t index);
void result_free(struct result *res);

/* The worse of two statuses: an error outranks a warning. */
enum status status_worse(enum status a, enum status b);

/* Append a line "PROG: " + printf(fmt) + "\n" and raise the status to
   STATUS_ERROR. */
void result_error(struct result *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The common error line "PROG: PATH: strerror(err)". */
void result_errno(struct result *res, const char *path, int err);

/* Raise the status to STATUS_WARNING and, unless `quiet`, append
   "PROG: " + printf(fmt) + "\n" (gzip's -q hides warnings but they still
   set the exit status). */
void result_warning(struct result *res, bool quiet, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Record why a file was left alone without a warning (gzip's "already has
   .gz suffix -- unchanged"), for --report: sets the message if none is set
   yet, prints nothing, leaves the status. */
void result_note(struct result *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Set `*field` (input or output) to a copy of `name`, replacing any. */
void result_set_name(char **field, const char *name);

/* Append printf(fmt) as it is: -v lines and other information that does
   not change the status. */
void result_info(struct result *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
