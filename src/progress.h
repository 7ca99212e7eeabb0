/* progress.h -- the progress line on standard error.

   A run that lasts longer than about a second shows, on a terminal, one
   line that rewrites itself four times a second:

       pgz progress: 1,234/8,012 files  15.2 MB/115.8 MB  13%  50.1 MB/s  ETA 0:02

   and for a single file, a bar:

       pgz progress: [=========>          ]  45%  150.0 MB/343.0 MB  90.1 MB/s  ETA 0:02  big.tar

   Totals grow while the planner is still finding files (shown with a
   "+", and no ETA until they are known).  Forced onto something that is
   not a terminal (--progress), it prints the same text as plain lines, one
   a second, with no control codes: a log stays readable.  The line never
   starts with "pgz: ", so it cannot be mistaken for a "pgz: PATH: reason"
   problem line.

   Everything pgz prints on standard error while the line may be up goes
   through progress_print(), which erases the line, prints, and draws the
   line again below, so problem lines are never mixed with it; the line is
   erased when the run ends.

   Counters come from every thread: the planner (progress_planned), the
   workers (progress_advance) and main (progress_file_done); one mutex
   guards them and the stream.  Every function accepts NULL, meaning "no
   progress line", so callers need not care whether it is on. */
#ifndef PGZ_PROGRESS_H
#define PGZ_PROGRESS_H

#include "options.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct progress progress_t;

/* Start the progress line on `stream` (standard error) as `mode` says.
   `stream_is_terminal` says whether `stream` is a terminal that may be
   drawn on (the caller decides: standard output on the same terminal
   rules it out).  `expected_files` is the number of files the run will
   have if it is known from the start (operands without -r or file
   lists), else 0: with it, the totals are final as soon as that many
   files are planned, so a single big file gets its bar while the planner
   is still reading it.  Returns NULL when there is to be no line. */
progress_t *progress_start(enum progress_mode mode, FILE *stream,
                           bool stream_is_terminal, uint64_t expected_files);

/* The planner found one more file to do, of `bytes` bytes (`known` false
   when its size is not known, as for a pipe).  `name` is kept for the bar
   if this turns out to be the only file. */
void progress_planned(progress_t *p, const char *name, uint64_t bytes,
                      bool known);

/* The planner has found every file: the totals are final. */
void progress_planning_done(progress_t *p);

/* A worker has done `bytes` more of the planned bytes. */
void progress_advance(progress_t *p, uint64_t bytes);

/* Main has reported one more file. */
void progress_file_done(progress_t *p);

/* Write `text` (whole lines) on the stream, after erasing the line if it
   is drawn, and draw it again after.  With p NULL, write `text` on
   standard error. */
void progress_print(progress_t *p, const char *text);

/* Stop the ticker, erase the line, and free p. */
void progress_stop(progress_t *p);

/* Erase the line, if one is drawn and it can be done without waiting:
   for the thread that handles a fatal signal, so the shell's prompt does
   not land after a stale line.  The line is never drawn again: call it
   only when pgz is about to die. */
void progress_erase_on_signal(void);

#endif
