/* report.h -- --report=FILE: the results of a run as JSON Lines, for CI and
   scripts.

   One object per file, in argument order (the order main reports them),
   then one summary object:

     {"type":"file","input":"a.txt","output":"a.txt.gz","status":"ok",
      "message":null,"bytes_in":1200,"bytes_out":311,"seconds":0.0012}
     {"type":"summary","mode":"compress","files":1,"ok":1,"warnings":0,
      "errors":0,"bytes_in":1200,"bytes_out":311,"seconds":0.0105,
      "exit_status":0}

   (each on one line).  "input" is "-" for standard input; "output" is the
   output's name, "-" for standard output, or null when nothing was
   written; "status" is "ok", "warning" or "error"; "message" is the first
   problem, as on stderr without the "PROG: " prefix (also under -q), or
   null.  Names are bytes on Unix: valid UTF-8 is written as it is, and
   each byte that is not is written as \udcXX (XX its value), the
   "surrogateescape" convention, so Python's
   `name.encode("utf-8", "surrogateescape")` gives back the exact bytes.

   Each line is flushed as soon as it is written, so a report can be
   followed while the run goes on. */
#ifndef PGZ_REPORT_H
#define PGZ_REPORT_H

#include "job.h"
#include "options.h"
#include "tally.h"

#include <sys/stat.h>

typedef struct report report_t;

/* Open the report at `path` ("-": standard output), truncating it.
   Returns NULL with errno set on failure. */
report_t *report_open(const char *path);

/* The report's file status (fstat), or -1 with errno. */
int report_stat(report_t *r, struct stat *st);

/* Append one file's object. */
void report_file(report_t *r, const struct result *res);

/* Append the summary object: the totals `t`, the `mode` and the exit
   status the run ends with. */
void report_summary(report_t *r, const struct tally *t, enum mode mode,
                    int exit_status);

/* Close the report.  Returns 0, or the errno of the first failed write
   (the report is then incomplete, which the caller must say). */
int report_close(report_t *r);

#endif
