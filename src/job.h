/* job.h -- the unit of work that flows from the planner to the workers
   (what flows back to main is a result, result.h).

   Every job carries the index of the file it belongs to (files found
   under -r get consecutive indices in traversal order); main prints results
   in index order, which is argument order.  Every file yields exactly one
   result (a file in blocks: from the job that completes it), so the log of
   a run does not depend on which worker finishes first. */
#ifndef PGZ_JOB_H
#define PGZ_JOB_H

#include "dirref.h"
#include "inflight.h"
#include "result.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct block;   /* bigfile.h */
struct member_group;    /* pardec.h */

enum job_kind {
    JOB_FILE,   /* compress the file `loc` whole: one worker, one stream */
    JOB_BLOCK,  /* compress one block of a big file or of stdin */
    JOB_MEMBERS,/* decode a group of members of a .gz file (pardec.h) */
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
    struct member_group *group; /* JOB_MEMBERS */
    struct result *result;  /* JOB_DONE */
};

/* New jobs of each kind.  job_new_file() copies loc->path and takes a
   reference to loc->dir. */
struct job *job_new_file(size_t index, const struct file_loc *loc);
struct job *job_new_stdin(size_t index);      /* a JOB_FILE of stdin */
struct job *job_new_block(size_t index, struct block *block);
struct job *job_new_members(size_t index, struct member_group *group);
struct job *job_new_done(struct result *result);

/* Free the job itself (not its block or result, which move on), with its
   reference to its directory. */
void job_free(struct job *job);

#endif
