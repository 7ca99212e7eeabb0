/* tally.h -- the totals of a run, for the -v summary line and the report's
   summary object.  Main adds each result as it reports it (one thread, so
   no lock). */
#ifndef PGZ_TALLY_H
#define PGZ_TALLY_H

#include "job.h"

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct tally {
    uint64_t files;         /* results seen: every file, failed or not */
    uint64_t warnings;      /* files whose status is a warning */
    uint64_t errors;        /* files whose status is an error */
    uint64_t bytes_in;      /* sum of the results' bytes_in */
    uint64_t bytes_out;     /* sum of the results' bytes_out */
    struct timespec started;
};

/* Zero the totals and start the clock. */
void tally_start(struct tally *t);

/* Count one file's result. */
void tally_add(struct tally *t, const struct result *res);

/* Seconds since tally_start(). */
double tally_seconds(const struct tally *t);

/* The -v summary line, with its newline, into buf (of `size` bytes):
     "PROG: 8,012 files, 115.8 MB -> 21.4 MB (18.5%), 2.31 s, 50.1 MB/s"
   with "(2 errors, 1 warning)" after the count when there were any.  The
   percentage is the output's size as a share of the input's; the speed is
   input bytes per second of the whole run. */
void tally_summary(const struct tally *t, char *buf, size_t size);

#endif
