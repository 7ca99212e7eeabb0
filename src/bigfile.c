/* bigfile.c -- see bigfile.h. */
#include "bigfile.h"
#include "chunker.h"
#include "ordered.h"
#include "util.h"

#include <errno.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct bigfile {
    struct task task;
    chan_t *tokens;
    chan_t *open_files;
    /* The planner's: where blocks are cut, and the read's state. */
    struct chunker chunker;
    size_t read_step;           /* bytes asked of one read_full() */
    /* Set by the planner before it sends the last block: */
    int read_err;
    /* Set by the writer when the output failed: stop reading and
       compressing, the rest would be thrown away. */
    atomic_bool failed;
    struct ordered order;       /* compressed blocks, written in turn */
    /* Touched only by the worker that is writing: */
    struct engine_join join;
    uint64_t bytes_in, deflate_bytes, bytes_out;
    int write_err;
};

struct block {
    struct bigfile *file;
    size_t index;               /* 0, 1, 2, ... within the file */
    bool last;
    unsigned char *dict;        /* the input before it, or NULL */
    size_t dict_len;
    unsigned char *data;        /* its input */
    size_t len;
    size_t spare;               /* bytes read after it, the next block's */
    unsigned char *out;         /* its bytes, once compressed */
    size_t out_len, out_cap;
    uint32_t crc;               /* CRC-32 of data */
    uint64_t deflate_bytes;     /* out's deflate data */
    struct ordered_item turn;   /* its place in the file's order */
};

size_t bigfile_block_length(const struct block *block)
{
    return block->len;
}

/* ---- the planner's side: reading ---------------------------------------- */

/* Read up to `len` bytes, as many as the input has: a pipe may deliver a
   block in many pieces.  Returns the count, or -1 with errno. */
static ssize_t read_full(int fd, unsigned char *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

/* Read into b->data until the chunker cuts, the buffer is full or the
   input ends (for now: the next block reads again, as a file may grow);
   b->data holds `have` bytes already (left over from the block before),
   none of them scanned yet. */
static void fill_block(struct bigfile *bf, struct block *b, size_t have,
                       size_t cap)
{
    bool cut = false, eof = false;
    for (;;) {
        b->len += chunker_scan(&bf->chunker, b->data + b->len,
                               have - b->len, &cut);
        if (cut || eof || have == cap)
            break;
        size_t want = cap - have < bf->read_step ? cap - have : bf->read_step;
        ssize_t n = read_full(bf->task.in, b->data + have, want);
        if (n < 0) {
            bf->read_err = errno;
            break;
        }
        eof = (size_t)n < want;     /* read_full stops short at the end */
        have += (size_t)n;
    }
    b->spare = have - b->len;
}

/* Take a token, then read the next block (empty at the end of input),
   starting with the bytes read after `prev` (NULL for the first). */
static struct block *read_block(struct bigfile *bf, struct block *prev,
                                size_t block_size)
{
    chan_send(bf->tokens, NULL);
    struct block *b = xcalloc(1, sizeof *b);
    b->file = bf;
    b->index = prev != NULL ? prev->index + 1 : 0;
    b->data = xmalloc(block_size);
    size_t have = 0;
    if (prev != NULL && prev->spare > 0) {
        memcpy(b->data, prev->data + prev->len, prev->spare);
        have = prev->spare;
        prev->spare = 0;
    }
    fill_block(bf, b, have, block_size);
    return b;
}

/* Prime `b` with the last ENGINE_DICT_SIZE bytes of `prev`. */
static void prime(struct block *b, const struct block *prev)
{
    size_t n = prev->len < ENGINE_DICT_SIZE ? prev->len : ENGINE_DICT_SIZE;
    b->dict = xmalloc(n);
    memcpy(b->dict, prev->data + prev->len - n, n);
    b->dict_len = n;
}

static void send_block(chan_t *jobs, struct block *b, bool last)
{
    b->last = last;
    chan_send(jobs, job_new_block(b->file->task.res->index, b));
}

/* With --rsyncable, what one read asks for: the bytes read after a cut
   are copied to the next block, so reads are kept small. */
#define RSYNC_READ_STEP ((size_t)64 * 1024)

void bigfile_plan(struct task *t, const struct plan_config *pc,
                  chan_t *jobs, chan_t *tokens, chan_t *open_files)
{
    size_t block_size = pc->block_size;
    struct bigfile *bf = xcalloc(1, sizeof *bf);
    bf->task = *t;
    memset(t, 0, sizeof *t);
    bf->tokens = tokens;
    bf->open_files = open_files;
    ordered_init(&bf->order);
    struct engine_config cfg = { .id = bf->task.opts->engine,
                                 .independent = pc->independent };
    bool primed = engine_wants_dict(&cfg);
    chunker_init(&bf->chunker, pc->rsyncable, block_size);
    bf->read_step = pc->rsyncable && block_size > RSYNC_READ_STEP
                        ? RSYNC_READ_STEP : block_size;

    /* One block of look-ahead: a block is the last one when the read after
       it finds the end of the input (or fails). */
    struct block *cur = read_block(bf, NULL, block_size);
    while (cur->len > 0 && bf->read_err == 0 && !atomic_load(&bf->failed)) {
        struct block *next = read_block(bf, cur, block_size);
        if (next->len == 0) {
            bigfile_drop_block(next);
            break;
        }
        if (primed)
            prime(next, cur);
        send_block(jobs, cur, false);
        cur = next;
    }
    send_block(jobs, cur, true);
}

/* ---- the workers' side: compressing and writing ----------------------------- */

/* Engine sink that collects a block's bytes in memory.  The first call
   reserves more than the engine makes of the block (stored blocks add 5
   bytes per 16 KiB at worst, a member's framing a few dozen): one
   allocation, of which only the pages written are touched, instead of
   doublings whose copies would stay in malloc's arenas (64 MiB blocks
   took 5 blocks' memory, not 4). */
static int collect(void *ctx, const unsigned char *buf, size_t len)
{
    struct block *b = ctx;
    if (b->out_len + len > b->out_cap) {
        size_t need = b->out_len + len;
        size_t bound = b->len + (b->len >> 10) + 1024;
        b->out_cap = b->out_cap == 0 && bound >= need ? bound : need * 2;
        b->out = xrealloc(b->out, b->out_cap);
    }
    memcpy(b->out + b->out_len, buf, len);
    b->out_len += len;
    return 0;
}

/* Release a block's memory. */
static void free_block(struct block *b)
{
    free(b->dict);
    free(b->data);
    free(b->out);
    free(b);
}

void bigfile_drop_block(struct block *b)
{
    chan_recv(b->file->tokens, &(void *){NULL});
    free_block(b);
}

static void write_bytes(struct bigfile *bf, const unsigned char *buf,
                        size_t len)
{
    if (bf->write_err != 0 || len == 0)
        return;
    void *ctx;
    gz_sink_fn sink = task_sink(&bf->task, &ctx);
    bf->write_err = sink(ctx, buf, len);
    bf->bytes_out += len;
    if (bf->write_err != 0)
        atomic_store(&bf->failed, true);
}

/* The engine's view of a block (its input may be gone already). */
static struct engine_block describe(const struct bigfile *bf,
                                    const struct block *b)
{
    return (struct engine_block){
        .index = b->index, .last = b->last,
        .truncated = b->last && bf->read_err != 0,
        .name = bf->task.stored_name, .mtime = bf->task.mtime,
        .dict = b->dict, .dict_len = b->dict_len,
        .data = b->data, .len = b->len,
    };
}

/* Write one block in its turn, and what the engine says follows it (the
   trailer after the last one, with zlib). */
static void write_block(struct bigfile *bf, const engine_t *e,
                        const struct block *b)
{
    write_bytes(bf, b->out, b->out_len);
    struct engine_block eb = describe(bf, b);
    unsigned char tail[ENGINE_TAIL_MAX];
    size_t n = engine_join(e, &bf->join, &eb, b->crc, tail);
    write_bytes(bf, tail, n);
    bf->bytes_in += b->len;
    bf->deflate_bytes += b->deflate_bytes;
}

/* The last block is out: finish the file and free it. */
static struct result *finish(struct bigfile *bf)
{
    struct member_summary m = {
        .read_err = bf->read_err,
        .write_err = bf->write_err,
        .bytes_in = bf->bytes_in,
        .deflate_bytes = bf->deflate_bytes,
        .bytes_out = bf->bytes_out,
    };
    task_finish(&bf->task, &m);
    struct result *res = task_close(&bf->task);
    chan_recv(bf->open_files, &(void *){NULL});     /* its descriptors are closed */
    ordered_destroy(&bf->order);
    free(bf);
    return res;
}

struct result *bigfile_compress_block(engine_t *e, struct block *b)
{
    struct bigfile *bf = b->file;
    if (!atomic_load(&bf->failed)) {
        struct engine_block eb = describe(bf, b);
        struct engine_block_out out;
        if (engine_block(e, &eb, collect, b, &out) != 0)
            panic("engine_block: the memory sink failed");
        b->crc = out.crc;
        b->deflate_bytes = out.deflate_bytes;
    }
    free(b->data);          /* only the compressed data waits for its turn */
    b->data = NULL;
    free(b->dict);
    b->dict = NULL;

    b->turn.index = b->index;
    if (!ordered_put(&bf->order, &b->turn))
        return NULL;        /* the writer will find it */
    bool done = false;
    struct ordered_item *it;
    while ((it = ordered_next(&bf->order)) != NULL) {
        struct block *ready = (struct block *)((char *)it -
                                               offsetof(struct block, turn));
        write_block(bf, e, ready);
        done = done || ready->last;
        bigfile_drop_block(ready);
    }
    return done ? finish(bf) : NULL;
}
