/* pgz.c -- main: parallel gzip as a Go worker pool.

   The shape is the Go program

       jobs := make(chan *Job, 8*n)          // the planner wakes at n left
       results := make(chan *Result, 8*n)    // main wakes at 4n, or each ms
       var wg sync.WaitGroup
       for i := 0; i < n; i++ {
           wg.Add(1)
           go worker(jobs, results, &wg)     // compress, one job at a time
       }
       go plan(operands, jobs)               // send every job, close(jobs)
       go func() { wg.Wait(); close(results) }()
       for r := range results {              // report, in argument order
           ...
       }

   written with chan.h and waitgroup.h.  Two details keep it bounded and
   deterministic: results are printed in file order (reorder.h), and the
   planner may run at most WINDOW files ahead of the printing, so the
   results held back while a slow file finishes never exceed WINDOW.

   Why nothing waits forever: jobs leave the channel in file order, and a
   worker holds one job at a time.  The only places a worker waits are the
   results channel (main always drains it) and seqout_write() (for its
   turn on stdout); whenever one waits there, every job of the file whose
   turn it is has already been taken by a worker that cannot wait, so that
   file completes, and the next, and so on.  Hence the workers always come
   back to the jobs channel, which is what its batched wake-up needs.  The
   planner also waits while too many big files are open (each holds a few
   descriptors until it is finished); every one of them has had all its
   blocks sent already, so they finish without the planner. */
#include "bigfile.h"
#include "chan.h"
#include "cli.h"
#include "cpus.h"
#include "job.h"
#include "listing.h"
#include "options.h"
#include "progress.h"
#include "reorder.h"
#include "report.h"
#include "seqout.h"
#include "signals.h"
#include "tally.h"
#include "task.h"
#include "util.h"
#include "waitgroup.h"
#include "walk.h"
#include "worker.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define WINDOW 4096                        /* files planned but not reported */
#define BLOCKS_PER_WORKER 4                /* blocks read but not written */
#define JOBS_PER_WORKER 8                  /* jobs queued, woken at 1/8 */
#define RESULTS_PER_WORKER 8               /* results queued, main woken ... */
#define RESULTS_DELAY_US 1000              /* ... at half full, or each 1 ms */
#define STDOUT_BUFFER (8u * 1024 * 1024)   /* -c: bytes held for order */
#define FDS_PER_FILE 3      /* input, output, a named temporary's directory */
#define FDS_OTHER 10        /* std ones, a directory being listed, a file
                               list, the report, libc's */

struct pool {
    const struct options *opts;
    chan_t *jobs;          /* planner -> workers */
    chan_t *results;       /* workers -> main */
    chan_t *window;        /* a semaphore: one token per unreported file */
    chan_t *block_tokens;  /* a semaphore: one token per block in memory */
    chan_t *open_files;    /* a semaphore: one token per big file open */
    waitgroup_t workers;
    seqout_t *stdout_order;
    size_t planned;        /* files planned so far (the planner's counter) */
    progress_t *progress;  /* the progress line, or NULL */
    /* main's own: */
    struct list_totals listed;  /* -l: running totals */
    struct tally tally;         /* every file's result, for -v and --report */
    report_t *report;           /* --report, or NULL */
};

/* ---- the workers ----------------------------------------------------------- */

static void *worker(void *arg)
{
    struct pool *p = arg;
    struct worker c;
    worker_init(&c, p->opts, p->stdout_order, p->progress);
    void *job;
    while (chan_recv(p->jobs, &job)) {
        struct result *res = worker_do(&c, job);
        if (res != NULL)
            chan_send(p->results, res);
    }
    worker_destroy(&c);
    waitgroup_done(&p->workers);
    return NULL;
}

/* ---- the planner ------------------------------------------------------------ */

/* The size of the regular file `path` (following a symlink only where
   opening it will), or -1: a file that is not one, or not there. */
static off_t file_size(const struct options *opts, const char *path)
{
    struct stat st;
    bool follow = opts->force || opts->to_stdout;
    int rc = follow ? stat(path, &st) : lstat(path, &st);
    return rc == 0 && S_ISREG(st.st_mode) ? st.st_size : -1;
}

/* Count one more file, and its size, for the progress line. */
static void count_planned(struct pool *p, enum walk_item item,
                          const char *path, off_t size)
{
    if (p->progress == NULL)
        return;
    if (item == WALK_STDIN) {                   /* a regular file? */
        struct stat st;
        if (fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode))
            size = st.st_size;
        progress_planned(p->progress, "stdin", size < 0 ? 0 : (uint64_t)size,
                         size >= 0);
        return;
    }
    progress_planned(p->progress, path, size < 0 ? 0 : (uint64_t)size, true);
}

/* Send the blocks of an opened task, or its result if it was refused.
   The caller took a token of open_files before opening it. */
static void plan_task(struct pool *p, struct task *t, bool opened)
{
    if (opened) {
        bigfile_plan(t, p->opts->block_size, p->opts->independent, p->jobs,
                     p->block_tokens, p->open_files);
    } else {
        chan_send(p->jobs, job_new_done(task_close(t)));
        chan_recv(p->open_files, &(void *){NULL});
    }
}

/* Turn one item of the walk into jobs: a small file is one job that a
   worker does whole; stdin and big files are opened here and read in
   blocks, one job per block. */
static void plan_item(void *ctx, enum walk_item item, const char *path,
                      int err)
{
    struct pool *p = ctx;
    const struct options *o = p->opts;
    size_t index = p->planned++;
    struct task t;
    chan_send(p->window, NULL);     /* blocks while WINDOW are unreported */
    /* Sizes are needed to cut big files, and for the progress line. */
    off_t size = item == WALK_FILE &&
                 (o->mode == MODE_COMPRESS || p->progress != NULL)
                     ? file_size(o, path) : -1;
    count_planned(p, item, path, size);
    switch (item) {
    case WALK_STDIN:
    case WALK_FILE:
        if (o->mode != MODE_COMPRESS) {     /* reading back: a worker each */
            chan_send(p->jobs, item == WALK_STDIN ? job_new_stdin(index)
                                                  : job_new_file(index, path));
            break;
        }
        if (item == WALK_FILE && (size < 0 || (uint64_t)size <= o->block_size)) {
            chan_send(p->jobs, job_new_file(index, path));
            break;
        }
        chan_send(p->open_files, NULL);     /* blocks while too many are */
        if (item == WALK_STDIN)
            plan_task(p, &t, task_open_stdin(&t, o, p->stdout_order, index));
        else
            plan_task(p, &t, task_open_file(&t, o, p->stdout_order, index,
                                            path));
        break;
    case WALK_UNREADABLE:
        chan_send(p->jobs, job_new_done(task_fail(o, p->stdout_order, index,
                                                  path, err)));
        break;
    }
}

static void *planner(void *arg)
{
    struct pool *p = arg;
    walk_operands(p->opts, plan_item, p);
    progress_planning_done(p->progress);
    chan_close(p->jobs);
    return NULL;
}

/* Close the results channel once every worker is done, so that main's
   loop over it ends: Go's `go func() { wg.Wait(); close(results) }()`. */
static void *closer(void *arg)
{
    struct pool *p = arg;
    waitgroup_wait(&p->workers);
    chan_close(p->results);
    return NULL;
}

/* ---- main's side: results, in order ------------------------------------------ */

/* Print one result's lines, plus the stdout write error if its member was
   the first to lose bytes (later ones fail silently: one line per
   problem). */
static enum status report(struct pool *p, struct result *res)
{
    enum status status = res->status;
    int err = 0;
    if (p->stdout_order != NULL)
        err = seqout_wait(p->stdout_order, res->index);
    if (res->log != NULL)
        progress_print(p->progress, res->log);
    if (res->listing != NULL) {
        listing_print(stdout, res->listing, p->opts->verbose, p->opts->quiet,
                      &p->listed);
        /* A reader that went away ends pgz now, not after every file. */
        if (fflush(stdout) != 0 && errno == EPIPE)
            signals_broken_pipe();
    }
    if (err == EPIPE)
        signals_broken_pipe();      /* returns only if SIGPIPE is ignored */
    if (err != 0) {
        /* ECANCELED: an input failed mid-member; its own line says so. */
        if (err != ECANCELED &&
            seqout_error_ticket(p->stdout_order) == res->index) {
            char line[256];
            snprintf(line, sizeof line, "%s: stdout: %s\n", program_name,
                     strerror(err));
            progress_print(p->progress, line);
        }
        status = STATUS_ERROR;
        res->status = STATUS_ERROR;
        result_set_name(&res->output, NULL);
        if (res->message == NULL)
            result_note(res, "stdout: %s", strerror(err));
    }
    progress_file_done(p->progress);
    tally_add(&p->tally, res);
    if (p->report != NULL)
        report_file(p->report, res);
    return status;
}

static enum status collect_results(struct pool *p)
{
    enum status status = STATUS_OK;
    reorder_t *pending = reorder_new();
    void *item;
    while (chan_recv(p->results, &item)) {
        struct result *res = item;
        reorder_put(pending, res->index, res);
        while ((res = reorder_next(pending)) != NULL) {
            status = status_worse(status, report(p, res));
            result_free(res);
            chan_recv(p->window, &item);    /* let the planner go on */
        }
    }
    reorder_free(pending);
    return status;
}

/* ---- putting it together ----------------------------------------------------- */

static pthread_t start_thread(void *(*fn)(void *), void *arg)
{
    pthread_t t;
    int rc = pthread_create(&t, NULL, fn, arg);
    if (rc != 0) {
        fprintf(stderr, "%s: cannot start a thread: %s\n", program_name,
                strerror(rc));
        exit(STATUS_ERROR);
    }
    return t;
}

/* Channels that cannot fail: the sizes are ours, so only memory can. */
static chan_t *checked(chan_t *ch)
{
    if (ch == NULL)
        xalloc_die();
    return ch;
}

/* gzip will not write compressed data to a terminal, nor read it from
   one, unless forced. */
static bool terminal_refused(const struct options *opts)
{
    if (opts->force)
        return false;
    if (opts->mode == MODE_COMPRESS && options_writes_data(opts) &&
        isatty(STDOUT_FILENO)) {
        fprintf(stderr, "%s: compressed data not written to a terminal. "
                "Use -f to force compression.\n", program_name);
    } else if ((opts->mode == MODE_DECOMPRESS || opts->mode == MODE_TEST) &&
               options_reads_stdin(opts) &&
               isatty(STDIN_FILENO)) {
        fprintf(stderr, "%s: compressed data not read from a terminal. "
                "Use -f to force decompression.\n", program_name);
    } else {
        return false;
    }
    fprintf(stderr, "For help, type: %s -h\n", program_name);
    return true;
}

/* How many files may be in progress at once (each worker's, and the big
   files the planner has open) before pgz would run out of descriptors
   (ulimit -n): at least 2. */
static size_t files_at_once_max(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return (size_t)PGZ_MAX_JOBS * 2;
    if (rl.rlim_cur < FDS_OTHER + 2 * FDS_PER_FILE)
        return 2;
    rlim_t n = (rl.rlim_cur - FDS_OTHER) / FDS_PER_FILE;
    return n > (rlim_t)PGZ_MAX_JOBS * 2 ? (size_t)PGZ_MAX_JOBS * 2 : (size_t)n;
}

/* The progress line goes on a terminal standard error, unless standard
   output (data or a listing) is on a terminal too and the two would mix. */
static progress_t *start_progress(const struct options *opts)
{
    enum progress_mode mode = opts->progress;
    bool stdout_used = opts->mode == MODE_LIST || options_writes_data(opts) ||
                       (opts->report != NULL && strcmp(opts->report, "-") == 0);
    if (mode == PROGRESS_AUTO && stdout_used && isatty(STDOUT_FILENO))
        mode = PROGRESS_NEVER;
    uint64_t expected = 0;      /* -r and lists find files as they go */
    if (!opts->recursive && opts->nlists == 0)
        expected = opts->nfiles > 0 ? (uint64_t)opts->nfiles : 1;
    return progress_start(mode, stderr, isatty(STDERR_FILENO), expected);
}

static void open_channels(struct pool *p, size_t n, size_t files_max)
{
    p->jobs = checked(chan_new_batched(JOBS_PER_WORKER * n, n));
    p->results = checked(chan_new(RESULTS_PER_WORKER * n));
    chan_batch_receivers(p->results, RESULTS_PER_WORKER * n / 2,
                         RESULTS_DELAY_US);
    p->window = checked(chan_new(WINDOW));
    p->block_tokens = checked(chan_new(BLOCKS_PER_WORKER * n));
    p->open_files = checked(chan_new(files_max - n));
    if (options_writes_data(p->opts))
        p->stdout_order = seqout_new(STDOUT_FILENO, STDOUT_BUFFER);
}

static void close_channels(struct pool *p)
{
    seqout_free(p->stdout_order);
    chan_free(p->open_files);
    chan_free(p->block_tokens);
    chan_free(p->window);
    chan_free(p->results);
    chan_free(p->jobs);
}

/* What comes after the last file: -l's totals, -v's summary line and the
   report's summary object.  Returns the final status (a report that could
   not be written completely is an error). */
static enum status finish_run(struct pool *p, enum status status)
{
    const struct options *o = p->opts;
    if (o->mode == MODE_LIST)
        listing_totals(stdout, o->verbose, o->quiet, &p->listed);
    else if (o->verbose && p->tally.files > 1) {
        char line[256];
        tally_summary(&p->tally, line, sizeof line);
        fputs(line, stderr);
    }
    if (p->report != NULL) {
        report_summary(p->report, &p->tally, o->mode, (int)status);
        int err = report_close(p->report);
        if (err != 0) {
            fprintf(stderr, "%s: %s: %s\n", program_name, o->report,
                    strerror(err));
            status = STATUS_ERROR;
        }
    }
    return status;
}

static enum status compress_all(const struct options *opts, report_t *report)
{
    /* -j is an upper bound: fewer workers when descriptors are short (the
       output is the same whatever their number), and the rest of what the
       descriptors allow for the planner's big files. */
    size_t files_max = files_at_once_max();
    size_t n = (size_t)opts->jobs;
    if (n > files_max - 1)
        n = files_max - 1;
    struct pool p = { .opts = opts, .report = report };
    tally_start(&p.tally);
    open_channels(&p, n, files_max);
    if (waitgroup_init(&p.workers) != 0)
        panic("waitgroup_init failed");
    p.progress = start_progress(opts);

    pthread_t *threads = xcalloc(n, sizeof *threads);
    for (size_t i = 0; i < n; i++) {
        waitgroup_add(&p.workers, 1);
        threads[i] = start_thread(worker, &p);
    }
    pthread_t plan = start_thread(planner, &p);
    pthread_t close_results = start_thread(closer, &p);

    enum status status = collect_results(&p);

    pthread_join(plan, NULL);
    pthread_join(close_results, NULL);
    for (size_t i = 0; i < n; i++)
        pthread_join(threads[i], NULL);
    free(threads);
    progress_stop(p.progress);
    waitgroup_destroy(&p.workers);
    status = finish_run(&p, status);
    close_channels(&p);
    return status;
}

/* Text printed with stdio (--help, --version) must reach its reader.  A
   stdout that was closed all along (EBADF) only matters if something was
   printed there; compressed data bypasses stdio and reports its own
   errors. */
static int close_stdout(int status)
{
    bool pending = __fpending(stdout) > 0 || ferror(stdout);
    if (fclose(stdout) != 0 && (pending || errno != EBADF)) {
        if (errno == EPIPE)
            signals_broken_pipe();  /* a listing or report cut short */
        fprintf(stderr, "%s: write error: %s\n", program_name, strerror(errno));
        return STATUS_ERROR;
    }
    return status;
}

/* Open --report's file and note its identity in opts, so that no job
   reads it or replaces it.  Standard output under another name
   (/dev/stdout) is refused when it carries data or a listing, as "-" is. */
static bool open_report(struct options *opts, report_t **report)
{
    struct stat st, out;
    /* Opening truncates: an operand named as the report would be lost
       before it is read. */
    if (strcmp(opts->report, "-") != 0 && stat(opts->report, &st) == 0) {
        for (int i = 0; i < opts->nfiles; i++) {
            if (stat(opts->files[i], &out) == 0 && out.st_dev == st.st_dev &&
                out.st_ino == st.st_ino) {
                fprintf(stderr, "%s: %s: the report would overwrite an "
                        "input\n", program_name, opts->report);
                return false;
            }
        }
    }
    *report = report_open(opts->report);
    if (*report == NULL || report_stat(*report, &st) != 0) {
        fprintf(stderr, "%s: %s: %s\n", program_name, opts->report,
                strerror(errno));
        if (*report != NULL)
            report_close(*report);
        return false;
    }
    if (strcmp(opts->report, "-") != 0 &&
        (opts->mode == MODE_LIST || options_writes_data(opts)) &&
        fstat(STDOUT_FILENO, &out) == 0 && S_ISREG(st.st_mode) &&
        out.st_dev == st.st_dev && out.st_ino == st.st_ino) {
        fprintf(stderr, "%s: %s: the report cannot share standard output "
                "with the %s\n", program_name, opts->report,
                opts->mode == MODE_LIST ? "listing" : "data");
        report_close(*report);
        return false;
    }
    opts->report_known = true;
    opts->report_dev = st.st_dev;
    opts->report_ino = st.st_ino;
    return true;
}

int main(int argc, char **argv)
{
    set_program_name(argv[0]);
    reserve_std_fds();
    struct options opts;
    switch (cli_parse(argc, argv, cpus_available(), &opts, stdout)) {
    case CLI_EXIT_OK:
        return close_stdout(STATUS_OK);
    case CLI_EXIT_ERROR:
        return STATUS_ERROR;
    case CLI_RUN:
        break;
    }
    report_t *report = NULL;
    if (terminal_refused(&opts)) {
        cli_free(&opts);
        return STATUS_ERROR;
    }
    if (opts.report != NULL && !open_report(&opts, &report)) {
        cli_free(&opts);
        return STATUS_ERROR;
    }
    signals_start();
    enum status status = compress_all(&opts, report);
    cli_free(&opts);
    return close_stdout(status);
}
