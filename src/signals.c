/* signals.c -- see signals.h. */
#include "signals.h"
#include "outfile.h"
#include "progress.h"
#include "util.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static sigset_t caught;
static bool started;
static bool pipe_caught;    /* SIGPIPE was not ignored when pgz started */

/* What ends pgz early, a signal or a fatal error (util.h's die), does
   first.  A second caller (a signal during a fatal error, or the other way
   round) blocks in outfile_cleanup_on_signal() for good, and pgz ends as
   the first caller ends it. */
static void cleanup(void)
{
    outfile_cleanup_on_signal();
    progress_erase_on_signal();
}

static void *handler(void *arg)
{
    (void)arg;
    int sig;
    while (sigwait(&caught, &sig) != 0)
        ;
    cleanup();
    /* Die of the signal itself: the default action, unblocked in this
       thread, so that it is delivered here. */
    signal(sig, SIG_DFL);
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, sig);
    pthread_sigmask(SIG_UNBLOCK, &one, NULL);
    raise(sig);
    abort();    /* not reached */
}

void signals_start(void)
{
    set_fatal_cleanup(cleanup);
    signal(SIGXFSZ, SIG_IGN);
    sigemptyset(&caught);
    sigaddset(&caught, SIGINT);
    sigaddset(&caught, SIGTERM);
    sigaddset(&caught, SIGHUP);
    sigaddset(&caught, SIGQUIT);
    /* An ignored SIGPIPE stays ignored: writes then fail with EPIPE and are
       reported as errors, as gzip does. */
    struct sigaction old;
    pipe_caught = sigaction(SIGPIPE, NULL, &old) == 0 &&
                  old.sa_handler != SIG_IGN;
    if (pipe_caught)
        sigaddset(&caught, SIGPIPE);
    int rc = pthread_sigmask(SIG_BLOCK, &caught, NULL);
    pthread_t t;
    if (rc == 0)
        rc = pthread_create(&t, NULL, handler, NULL);
    if (rc == 0)
        rc = pthread_detach(t);
    if (rc != 0)
        die(1, "cannot handle signals: %s", strerror(rc));
    started = true;
}

void signals_broken_pipe(void)
{
    if (!started || !pipe_caught)
        return;
    kill(getpid(), SIGPIPE);    /* to the process: the signal thread takes it */
    for (;;)
        pause();
}
