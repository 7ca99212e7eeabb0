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

   Each line is flushed as soon as it is written, so a report on standard
   output or a pipe can be followed while the run goes on.

   A report to a file never truncates or replaces a file the run reads:
   it is written to a temporary in the file's directory (outfile.h: an
   O_TMPFILE or a named temporary, removed on signals and fatal errors),
   which report_close() gives the name at the end, replacing the file
   that was there, unless
     - an input the run opened was that file (report_saw_input), or
     - the name no longer refers to the file it referred to when the
       report was opened (an output of the run took it, or anyone else):
   then the report is discarded and report_close() says why.  A symbolic
   link is followed: the report replaces the file it leads to.  A name
   that is not a regular file (a device, a pipe: /dev/stderr, >(jq)) is
   written in place, as before.  Standard output ("-") is written as it
   goes. */
#ifndef PGZ_REPORT_H
#define PGZ_REPORT_H

#include "job.h"
#include "options.h"
#include "tally.h"

#include <sys/stat.h>

typedef struct report report_t;

/* Open the report for `path` ("-": standard output), as above.  Returns
   NULL with errno set on failure (nothing is left behind). */
report_t *report_open(const char *path);

/* The status (stat) of the file at the report's path when it was opened,
   or -1 with errno (ENOENT: there was none). */
int report_stat(report_t *r, struct stat *st);

/* The run opened an input whose status is `st` (to read it): if it is the
   file the report would replace, the report will not replace it.  Any
   thread may call it at any time. */
void report_saw_input(report_t *r, const struct stat *st);

/* Append one file's object. */
void report_file(report_t *r, const struct result *res);

/* Append the summary object: the totals `t`, the `mode` and the exit
   status the run ends with. */
void report_summary(report_t *r, const struct tally *t, enum mode mode,
                    int exit_status);

/* Close the report and put it in place.  Returns NULL, or why it is
   incomplete or was not put in place, for "PROG: PATH: REASON" (the
   caller must say it): a write error (the errno's text), or, the file
   discarded, "an input of this run -- not replaced by the report" or
   "changed during the run -- not replaced by the report". */
const char *report_close(report_t *r);

/* Close the report and discard it (it was refused): nothing is left. */
void report_discard(report_t *r);

#endif
