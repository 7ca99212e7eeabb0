/* worker.c -- see worker.h. */
#include "worker.h"
#include "bigfile.h"
#include "decompress.h"
#include "pardec.h"
#include "task.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void worker_init(struct worker *c, const struct options *opts,
                 seqout_t *stdout_order, progress_t *progress)
{
    memset(c, 0, sizeof *c);
    c->opts = opts;
    c->stdout_order = stdout_order;
    c->progress = progress;
}

static void count_input(void *progress, size_t len)
{
    progress_advance(progress, len);
}

void worker_destroy(struct worker *c)
{
    engine_free(c->engine);
    gzr_free(c->gzr);
    free(c->inbuf);
    memset(c, 0, sizeof *c);
}

/* Allocate the engine (or the reader) on first use.  Its allocation
   failing is gzip's "memory exhausted": fatal. */
static void compressor_ready(struct worker *c)
{
    const struct options *o = c->opts;
    bool compressing = o->mode == MODE_COMPRESS;
    if (compressing && c->engine == NULL) {
        struct engine_config cfg = {
            .id = o->engine, .level = o->level,
            .block_size = o->block_size, .independent = o->independent,
            .rsyncable = o->rsyncable,
        };
        c->engine = engine_new(&cfg);
        if (c->engine == NULL)
            xalloc_die();
    }
    if (!compressing && c->gzr == NULL) {
        c->gzr = gzr_new(o->engine);
        if (c->gzr == NULL)
            xalloc_die();
        /* A big .gz is read by one worker: count as it goes. */
        if (c->progress != NULL)
            gzr_watch_input(c->gzr, count_input, c->progress);
    }
}

/* The read buffer, for jobs that read their own input. */
static void inbuf_ready(struct worker *c)
{
    if (c->inbuf == NULL)
        c->inbuf = xmalloc(WORKER_INBUF_SIZE);
}

/* Compress everything readable from the task's input into one member. */
static void stream(struct worker *c, struct task *t,
                   struct member_summary *m)
{
    void *ctx;
    gz_sink_fn sink = task_sink(t, &ctx);
    engine_begin(c->engine, t->stored_name, t->mtime);
    for (;;) {
        ssize_t n = read(t->in, c->inbuf, WORKER_INBUF_SIZE);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            m->read_err = errno;
            break;
        }
        if (n == 0) {
            m->write_err = engine_finish(c->engine, sink, ctx);
            break;
        }
        m->write_err = engine_write(c->engine, c->inbuf, (size_t)n, sink, ctx);
        if (m->write_err != 0)
            break;
    }
    struct engine_counts counts = engine_counts(c->engine);
    m->bytes_in = counts.bytes_in;
    m->deflate_bytes = counts.deflate_bytes;
    m->bytes_out = counts.bytes_out;
}

static struct result *compress_whole_file(struct worker *c,
                                          struct job *job)
{
    struct task t;
    if (task_open_file(&t, c->opts, c->stdout_order, job, NULL)) {
        struct member_summary m = {0};
        stream(c, &t, &m);
        task_finish(&t, &m);
    }
    return task_close(&t);
}

/* What decoding uses of the worker's state. */
static struct decoding decoding(struct worker *c)
{
    return (struct decoding){
        .opts = c->opts, .stdout_order = c->stdout_order,
        .gzr = c->gzr,
    };
}

struct result *worker_do(struct worker *c, struct job *job)
{
    struct result *res = NULL;
    switch (job->kind) {
    case JOB_FILE:
        compressor_ready(c);
        if (c->opts->mode == MODE_COMPRESS) {
            inbuf_ready(c);
            res = compress_whole_file(c, job);
            progress_advance(c->progress, res->bytes_in);
        } else {
            struct decoding d = decoding(c);
            res = decompress_file(&d, job);
        }
        break;
    case JOB_MEMBERS: {
        compressor_ready(c);
        inbuf_ready(c);
        progress_advance(c->progress, pardec_group_length(job->group));
        struct decoding d = decoding(c);
        res = pardec_decode_group(&d, job->group);
        break;
    }
    case JOB_BLOCK:
        compressor_ready(c);
        progress_advance(c->progress, bigfile_block_length(job->block));
        res = bigfile_compress_block(c->engine, job->block);
        break;
    case JOB_DONE:
        res = job->result;
        break;
    }
    job_free(job);
    return res;
}
