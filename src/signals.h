/* signals.h -- the signals that end pgz early, handled in one place.

   SIGINT, SIGTERM, SIGHUP and SIGQUIT are blocked in every thread and
   received by one thread of their own (sigwait), which waits until no
   output is half linked and no input half moved, removes the named
   temporaries (outfile_cleanup_on_signal), and then lets the signal kill
   pgz as it would have, so the exit status is 128 + the signal's number,
   as for GNU gzip.  Worker threads never run a handler.

   SIGXFSZ (a file size limit, ulimit -f) is ignored, so that an output
   over the limit fails with EFBIG: an error for that file, not the end of
   the run.  SIGPIPE keeps its default: writing to a closed pipe ends pgz
   quietly, as it ends gzip. */
#ifndef PGZ_SIGNALS_H
#define PGZ_SIGNALS_H

/* Call from main before starting any other thread (they inherit the
   blocked set).  Exits with status 1 if the handler thread cannot start. */
void signals_start(void);

#endif
