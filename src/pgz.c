/* pgz.c -- main: parallel gzip as a Go worker pool.

   The shape is the Go program

       jobs := make(chan *Job, 8*c)          // c = min(n, CPUs) compressors;
                                             // the planner wakes at c left
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

   written with chan.h and waitgroup.h.  Three details keep it bounded and
   deterministic: results are printed in file order (reorder.h); the
   planner may run at most WINDOW files ahead of the printing, so the
   results held back while a slow file finishes never exceed WINDOW; and
   memory follows budget.h, whatever n: a worker takes one of the
   min(n, CPUs) compressors (a channel of them) before it takes a job and
   gives it back after, and the blocks in memory are counted by tokens.

   Why nothing waits forever: jobs leave the channel in file order, and a
   worker holds one job at a time.  A worker waits for a compressor only
   while it holds no job (and nothing else), and whoever holds a
   compressor holds at most one job, so a job is never held up by the
   compressors.  The only places a worker waits with a job are the
   results channel (main always drains it) and seqout_write() (for its
   turn on stdout); whenever one waits there, every job of the file whose
   turn it is has already been taken by a worker that cannot wait, so that
   file completes, and the next, and so on.  Hence the workers holding the
   compressors always come back to the jobs channel, which is what its
   batched wake-up needs (it is sized by the compressors, as only their
   holders take jobs).  The
   planner also waits while too many big files are open (each holds a few
   descriptors until it is finished); every one of them has had all its
   blocks sent already, so they finish without the planner.  Last, a job
   (or the planner, opening a big file) may wait for an earlier file that
   touches the same name (inflight.h): only ever for a lower-numbered file,
   all of whose jobs were sent, and taken by workers, before its own. */
#include "bigfile.h"
#include "chunker.h"
#include "budget.h"
#include "chan.h"
#include "cli.h"
#include "cpus.h"
#include "inflight.h"
#include "job.h"
#include "listing.h"
#include "options.h"
#include "pardec.h"
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
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define WINDOW 4096                        /* files planned but not reported */
#define JOBS_PER_WORKER 8                  /* jobs queued, woken at 1/8 */
#define RESULTS_PER_WORKER 8               /* results queued, main woken ... */
#define RESULTS_DELAY_US 1000              /* ... at half full, or each 1 ms */
#define FDS_PER_FILE 3      /* input, output, the directory they are in */
#define FDS_OTHER 16        /* std ones, the walk's open directories (one
                               per level: a deeper tree shares the files'
                               budget), a file list, the report, libc's */

struct pool {
    const struct options *opts;
    chan_t *jobs;          /* planner -> workers */
    chan_t *results;       /* workers -> main */
    chan_t *window;        /* a semaphore: one token per unreported file */
    chan_t *block_tokens;  /* a semaphore: one token per block in memory */
    chan_t *compressors;   /* the free ones: a worker holds one per job */
    struct worker *compressor;  /* all of them (nslots) */
    size_t nslots;
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

/* Take a compressor, then a job; give the compressor back before sending
   the result, so that a worker waiting for one holds nothing (see the top
   of this file). */
static void *worker(void *arg)
{
    struct pool *p = arg;
    for (;;) {
        void *c, *job;
        chan_recv(p->compressors, &c);      /* never closed */
        bool more = chan_recv(p->jobs, &job);
        struct result *res = more ? worker_do(c, job) : NULL;
        chan_send(p->compressors, c);       /* never full */
        if (!more)
            break;
        if (res != NULL)
            chan_send(p->results, res);
    }
    waitgroup_done(&p->workers);
    return NULL;
}

/* ---- the planner ------------------------------------------------------------ */

/* The status of the file `loc` (following a symlink only where opening it
   will), in *st; false when it is not there or cannot be looked at. */
static bool file_status(const struct options *opts, const struct file_loc *loc,
                        struct stat *st)
{
    bool follow = opts->force || opts->to_stdout;
    return loc->dir != NULL &&
           fstatat(dirref_fd(loc->dir), loc->path + loc->name_offset, st,
                   follow ? 0 : AT_SYMLINK_NOFOLLOW) == 0;
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
        struct plan_config pc = { .block_size = p->opts->block_size,
                                  .independent = p->opts->independent,
                                  .rsyncable = p->opts->rsyncable };
        bigfile_plan(t, &pc, p->jobs, p->block_tokens, p->open_files);
    } else {
        chan_send(p->jobs, job_new_done(task_close(t)));
        chan_recv(p->open_files, &(void *){NULL});
    }
}

/* A big .gz file, or standard input: opened here and walked
   (pardec.h). */
static void plan_members(struct pool *p, struct job *job)
{
    struct task t;
    chan_send(p->open_files, NULL);     /* blocks while too many are */
    bool opened = job->is_stdin
                      ? task_open_stdin(&t, p->opts, p->stdout_order, job->index)
                      : task_open_file(&t, p->opts, p->stdout_order, job, NULL);
    job_free(job);
    if (opened) {
        pardec_plan(&t, p->jobs, p->block_tokens, p->open_files);
    } else {
        chan_send(p->jobs, job_new_done(task_close(&t)));
        chan_recv(p->open_files, &(void *){NULL});
    }
}

/* A new job for the file `loc`, holding its names (inflight.h). */
static struct job *file_job(struct pool *p, size_t index,
                            const struct file_loc *loc)
{
    struct job *job = job_new_file(index, loc);
    if (loc->dir != NULL) {
        const char *name = loc->path + loc->name_offset;
        char *output = task_expected_output(p->opts, name);
        inflight_hold(index, loc->dir, name, output, &job->held);
        free(output);
    }
    return job;
}

/* Whether a file is compressed in blocks read by the planner: stdin, a
   regular file larger than a block (with --rsyncable, than the smallest
   chunk, so that a file is cut where its bytes on stdin would be), and
   (with -c) a FIFO or a device, which are read as streams, as stdin is. */
static bool in_blocks(const struct options *o, enum walk_item item,
                      bool found, const struct stat *st)
{
    if (item == WALK_STDIN)
        return true;
    if (!found)
        return false;
    if (S_ISREG(st->st_mode))
        return (uint64_t)st->st_size > chunker_min(o->rsyncable,
                                                    o->block_size);
    return o->to_stdout && (S_ISFIFO(st->st_mode) || S_ISCHR(st->st_mode) ||
                            S_ISBLK(st->st_mode) || S_ISSOCK(st->st_mode));
}

/* Turn one item of the walk into jobs: a small file is one job that a
   worker does whole; stdin and big files are opened here and read in
   blocks, one job per block. */
static void plan_item(void *ctx, const struct walk_entry *e)
{
    struct pool *p = ctx;
    const struct options *o = p->opts;
    size_t index = p->planned++;
    chan_send(p->window, NULL);     /* blocks while WINDOW are unreported */
    if (e->item == WALK_UNREADABLE) {
        chan_send(p->jobs, job_new_done(task_fail(o, p->stdout_order, index,
                                                  e->loc.path, e->err)));
        return;
    }
    /* Sizes are needed to cut big files, and for the progress line. */
    struct stat st;
    bool found = e->item == WALK_FILE && file_status(o, &e->loc, &st);
    off_t size = found && S_ISREG(st.st_mode) ? st.st_size : -1;
    count_planned(p, e->item, e->loc.path, size);
    struct job *job = e->item == WALK_STDIN ? job_new_stdin(index)
                                            : file_job(p, index, &e->loc);
    if (e->item == WALK_STDIN ? pardec_wanted(o, NULL, NULL)
                              : found && pardec_wanted(o, e->loc.path, &st)) {
        plan_members(p, job);
        return;
    }
    if (o->mode != MODE_COMPRESS || !in_blocks(o, e->item, found, &st)) {
        chan_send(p->jobs, job);    /* a worker does it whole */
        return;
    }
    struct task t;
    chan_send(p->open_files, NULL);     /* blocks while too many are */
    bool opened = e->item == WALK_STDIN
                      ? task_open_stdin(&t, o, p->stdout_order, index)
                      : task_open_file(&t, o, p->stdout_order, job, NULL);
    job_free(job);
    plan_task(p, &t, opened);
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
    if (res->gone && err == 0) {    /* not a file any more: no line, no count */
        progress_file_done(p->progress);
        return STATUS_OK;
    }
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
    if (rc != 0)    /* other threads may run already: a fatal end */
        die(STATUS_ERROR, "cannot start a thread: %s", strerror(rc));
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

/* `n` workers share `slots` compressors (budget.h). */
static void open_channels(struct pool *p, size_t n, size_t slots,
                          size_t files_max)
{
    p->jobs = checked(chan_new_batched(JOBS_PER_WORKER * slots, slots));
    p->results = checked(chan_new(RESULTS_PER_WORKER * n));
    chan_batch_receivers(p->results, RESULTS_PER_WORKER * n / 2,
                         RESULTS_DELAY_US);
    p->window = checked(chan_new(WINDOW));
    p->block_tokens = checked(chan_new(budget_block_tokens(
        p->opts->block_size, slots)));
    p->open_files = checked(chan_new(files_max - n));
    p->compressors = checked(chan_new(slots));
    if (options_writes_data(p->opts))
        p->stdout_order = seqout_new(STDOUT_FILENO, BUDGET_STDOUT_BYTES);
}

/* Fill the compressors channel: after the progress line is started, as
   compressors report to it.  Each allocates its buffers on first use. */
static void start_compressors(struct pool *p, size_t slots)
{
    p->compressor = xcalloc(slots, sizeof *p->compressor);
    p->nslots = slots;
    for (size_t i = 0; i < slots; i++) {
        worker_init(&p->compressor[i], p->opts, p->stdout_order,
                        p->progress);
        chan_send(p->compressors, &p->compressor[i]);
    }
}

static void close_channels(struct pool *p)
{
    for (size_t i = 0; i < p->nslots; i++)
        worker_destroy(&p->compressor[i]);
    free(p->compressor);
    chan_free(p->compressors);
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
        const char *why = report_close(p->report);
        if (why != NULL) {
            fprintf(stderr, "%s: %s: %s\n", program_name, o->report, why);
            status = STATUS_ERROR;
        }
    }
    return status;
}

static enum status compress_all(const struct options *opts, long cpus,
                                report_t *report)
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
    size_t slots = budget_slots((long)n, cpus);
    budget_arenas(slots);
    open_channels(&p, n, slots, files_max);
    if (waitgroup_init(&p.workers) != 0)
        panic("waitgroup_init failed");
    p.progress = start_progress(opts);
    start_compressors(&p, slots);

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

/* Show the report the file lists, which the run reads too (report.h). */
static void show_lists_to_report(const struct options *opts, report_t *report)
{
    struct stat st;
    for (int i = 0; i < opts->nlists; i++) {
        const char *path = opts->lists[i].path;
        int rc = strcmp(path, "-") == 0 ? fstat(STDIN_FILENO, &st)
                                        : stat(path, &st);
        if (rc == 0)
            report_saw_input(report, &st);
    }
}

/* Open --report's file and hand it to the jobs in opts, so that they
   show it every input they read: it never replaces one (report.h).
   Standard output under another name (/dev/stdout) is refused when it
   carries data or a listing, as "-" is. */
static bool open_report(struct options *opts, report_t **report)
{
    struct stat st, out;
    *report = report_open(opts->report);
    if (*report == NULL) {
        fprintf(stderr, "%s: %s: %s\n", program_name, opts->report,
                strerror(errno));
        return false;
    }
    if (strcmp(opts->report, "-") != 0 &&
        (opts->mode == MODE_LIST || options_writes_data(opts)) &&
        report_stat(*report, &st) == 0 && S_ISREG(st.st_mode) &&
        fstat(STDOUT_FILENO, &out) == 0 &&
        out.st_dev == st.st_dev && out.st_ino == st.st_ino) {
        fprintf(stderr, "%s: %s: the report cannot share standard output "
                "with the %s\n", program_name, opts->report,
                opts->mode == MODE_LIST ? "listing" : "data");
        report_discard(*report);
        return false;
    }
    show_lists_to_report(opts, *report);
    opts->report_out = *report;
    return true;
}

int main(int argc, char **argv)
{
    set_program_name(argv[0]);
    reserve_std_fds();
    struct options opts;
    long cpus = cpus_available();
    switch (cli_parse(argc, argv, cpus, &opts, stdout)) {
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
    signals_start();    /* before the report's temporary exists */
    if (opts.report != NULL && !open_report(&opts, &report)) {
        cli_free(&opts);
        return STATUS_ERROR;
    }
    enum status status = compress_all(&opts, cpus, report);
    cli_free(&opts);
    return close_stdout(status);
}
