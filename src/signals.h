/* signals.h -- the signals that end pgz early, handled in one place.

   SIGINT, SIGTERM, SIGHUP and SIGQUIT are blocked in every thread and
   received by one thread of their own (sigwait), which waits until no
   output is half linked and no input half moved, removes the named
   temporaries (outfile_cleanup_on_signal), and then lets the signal kill
   pgz as it would have, so the exit status is 128 + the signal's number,
   as for GNU gzip.  Worker threads never run a handler.

   SIGPIPE is caught the same way (unless it was ignored when pgz
   started), so `kill -PIPE` cleans up too.  Being blocked, it no longer
   ends pgz when standard output's reader goes away: the write fails with
   EPIPE instead, and whoever sees that calls signals_broken_pipe(), which
   ends pgz by SIGPIPE after the same cleanup, quietly, as the signal ends
   gzip.

   A fatal error (util.h's die(): memory exhausted, an internal error), in
   any thread, runs the same cleanup before pgz ends: signals_start()
   registers it.

   SIGXFSZ (a file size limit, ulimit -f) is ignored, so that an output
   over the limit fails with EFBIG: an error for that file, not the end of
   the run. */
#ifndef PGZ_SIGNALS_H
#define PGZ_SIGNALS_H

/* Call from main before starting any other thread (they inherit the
   blocked set) and before creating any output.  Exits with status 1 if
   the handler thread cannot start. */
void signals_start(void);

/* Standard output's reader has gone (a write failed with EPIPE): end pgz
   by SIGPIPE through the signal thread, never returning.  Returns at once
   if SIGPIPE was ignored when pgz started (or signals_start() was not
   called): the caller then reports the error as usual. */
void signals_broken_pipe(void);

#endif
