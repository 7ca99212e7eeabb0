/* inflight.h -- names that jobs in flight read or will write, so that two
   jobs touching the same name act in argument order, as gzip's one file
   after another would.

   The pool runs many files at once and the planner runs ahead, so without
   this the outcome of `pgz a a`, `pgz -k a a`, `pgz a a.gz` or
   `pgz -df a.gz a.gz.gz` would depend on which job got there first.  The
   planner holds, for each file in argument order, its input's name and
   the output name it expects (inflight_hold); a job waits for every
   earlier job holding its input's name before it opens it, and for every
   earlier job holding its output's name before it looks whether that
   exists (inflight_wait_turn); the task releases both when it is done
   (inflight_release).

   Why waiting cannot deadlock: a job only ever waits for jobs with lower
   numbers, which the planner sent before it and which workers took
   before it (the jobs channel is first in, first out); see pgz.c.

   Names are (directory identity, one component).  Thread-safe. */
#ifndef PGZ_INFLIGHT_H
#define PGZ_INFLIGHT_H

#include "dirref.h"

#include <stdbool.h>
#include <stddef.h>

/* The names the file `index` holds: its input, and the output it expects
   (NULL when it writes none, or when the name depends on its header). */
struct inflight_names {
    char *input;
    char *output;
};

/* Hold `names` (copied into *held) in `dir` for job `index`.  Called by
   the planner, in index order. */
void inflight_hold(size_t index, dirref_t *dir, const char *input,
                   const char *output, struct inflight_names *held);

/* Release what inflight_hold() held (and free *held's strings); wakes the
   jobs waiting for it.  Safe on a zeroed *held. */
void inflight_release(size_t index, dirref_t *dir,
                      struct inflight_names *held);

/* Wait until no job numbered below `index` holds `name` of `dir`. */
void inflight_wait_turn(size_t index, dirref_t *dir, const char *name);

#endif
