/* pardec.c -- see pardec.h. */
#include "pardec.h"
#include "members.h"
#include "names.h"
#include "ordered.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* A stream's window holds a whole group and the member after it. */
#define WINDOW_SIZE (PARDEC_GROUP_IN + MEMBERS_MAX_LEN)
#define READ_AHEAD ((size_t)1 << 20)    /* read at least this much at once */
/* A file's window holds only a member's trailer and the next header (a
   longer header goes the sequential way): the members themselves are
   read by pread(2) straight into their group's buffer. */
#define PROBE ((size_t)1024)    /* BGZF's headers are 18 bytes: a larger
                                   read reads more of the next member twice
                                   (4 KiB: BGZF -d -j2 1.5 % slower) */
#define PROBE_WINDOW ((size_t)64 * 1024 + PROBE)
#define SPARE_MAX 16                /* buffers kept for reuse, per file */
#define SPARE_UNIT ((size_t)256 * 1024)
#define HUGE_PAGE ((size_t)2 << 20)     /* x86-64's transparent huge page */

/* Buffers given back, for the next group to reuse: a 1 MiB malloc is an
   mmap of its own, and faulting in fresh pages for every group cost more
   system time than the decoding saved. */
struct spares {
    pthread_mutex_t lock;
    size_t count;
    struct spare {
        unsigned char *buf;
        size_t cap;
    } item[SPARE_MAX];
};

struct pardec {
    struct task task;
    bool stream;                /* read(2) on a pipe (standard input), not
                                   pread(2): what the planner read is gone
                                   from the descriptor */
    chan_t *tokens;
    chan_t *open_files;
    struct ordered order;
    struct spares spares;
    /* Set by any worker: a group failed or the output did; the planner
       stops walking (what follows is decoded sequentially or dropped).
       No plain flag shares its word: a compiler may test adjacent bools
       with one wider load, which ThreadSanitizer reports as a race with
       this store. */
    atomic_bool stop;
    /* Touched only by the worker that is writing: */
    int read_err, write_err;
    uint64_t bytes_in, bytes_out, overhead;
    uint32_t crc;               /* the last good member's (-l -v) */
    bool resumed;               /* the sequential reader did the rest */
    bool failed;                /* an error was reported: no output */
    /* A stream's input from the member where the walk or a group stopped
       on, gathered from the groups that follow until the last one, for
       the sequential reader to read before the descriptor (bounded: the
       groups in flight, and one window). */
    bool replaying;
    unsigned char *replay;
    size_t replay_len, replay_cap;
};

struct member_group {
    struct pardec *file;
    struct ordered_item turn;
    bool whole;                 /* the first member does not walk: the task
                                   is decoded by decompress_task() */
    bool last;
    bool resume;                /* after the members, decode sequentially */
    int read_err;               /* the last group: the planner's */
    uint64_t offset;            /* where in the file `in` starts */
    unsigned char *in;          /* whole members */
    size_t in_len, in_cap;
    unsigned char *rest;        /* a stream's last group: the bytes the
                                   planner read after the members */
    size_t rest_len;
    size_t members;
    size_t out_len;             /* the sum of their ISIZEs */
    unsigned char *out;
    size_t out_cap;
    /* Set by the worker that decodes it: */
    size_t good;                /* members decoded and checked */
    uint32_t last_crc;          /* the last of them's CRC-32 */
    size_t good_in, good_out, good_overhead;
};

size_t pardec_group_length(const struct member_group *g)
{
    return g->in_len;
}

bool pardec_wanted(const struct options *o, const char *path,
                   const struct stat *st)
{
    if (o->mode == MODE_LIST)   /* -lN shows the stored name: sequential */
        return !o->restore_name &&
               (path == NULL ||
                (S_ISREG(st->st_mode) && st->st_size >= PARDEC_MIN_SIZE));
    if (o->mode != MODE_DECOMPRESS && o->mode != MODE_TEST)
        return false;
    if (path == NULL)
        return true;
    if (!S_ISREG(st->st_mode) || st->st_size < PARDEC_MIN_SIZE)
        return false;
    bool names_output = o->mode == MODE_DECOMPRESS && !o->to_stdout;
    return !names_output ||
           (!o->restore_name && compressed_suffix(path, o->suffix) != NULL);
}

/* ---- buffers ------------------------------------------------------------------ */

/* A new buffer of *cap bytes (rounded up).  One of a megabyte or more (a
   group's data, mostly) is made of transparent huge pages where the
   system lets a program ask (THP "madvise"): the workers write each byte
   of it once, and faulting it in 4 KiB pages cost about a tenth of the
   decoding time at -j2 (measured on big.tar: 180 -> 158 ms). */
static unsigned char *new_buffer(size_t *cap)
{
    if (*cap < HUGE_PAGE / 2)
        return xmalloc(*cap);
    *cap = (*cap + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    void *p = NULL;
    if (posix_memalign(&p, HUGE_PAGE, *cap) != 0)
        xalloc_die();
    (void)madvise(p, *cap, MADV_HUGEPAGE);  /* only a hint: may fail */
    return p;
}

/* A buffer of at least `len` bytes (none for 0), its capacity in *cap:
   the smallest spare that is large enough, so that a group's input (a
   few hundred KiB) does not take a data buffer (a megabyte or more) that
   the next group's data would then have to allocate again: taking the
   first large enough one grew peak memory at -j2 from 20 to 32 MiB. */
static unsigned char *spare_take(struct pardec *pd, size_t len, size_t *cap)
{
    *cap = 0;
    if (len == 0)
        return NULL;
    struct spares *s = &pd->spares;
    unsigned char *buf = NULL;
    mutex_lock(&s->lock);
    size_t best = s->count;
    for (size_t i = 0; i < s->count; i++)
        if (s->item[i].cap >= len &&
            (best == s->count || s->item[i].cap < s->item[best].cap))
            best = i;
    if (best < s->count) {
        buf = s->item[best].buf;
        *cap = s->item[best].cap;
        s->item[best] = s->item[--s->count];
    }
    mutex_unlock(&s->lock);
    if (buf == NULL) {
        *cap = (len + SPARE_UNIT - 1) / SPARE_UNIT * SPARE_UNIT;
        buf = new_buffer(cap);
    }
    return buf;
}

static void spare_give(struct pardec *pd, unsigned char *buf, size_t cap)
{
    if (buf == NULL)
        return;
    struct spares *s = &pd->spares;
    mutex_lock(&s->lock);
    if (s->count < SPARE_MAX) {
        s->item[s->count++] = (struct spare){ buf, cap };
        buf = NULL;
    }
    mutex_unlock(&s->lock);
    free(buf);
}

static void spares_init(struct spares *s)
{
    s->count = 0;
    mutex_init(&s->lock);
}

static void spares_free(struct spares *s)
{
    for (size_t i = 0; i < s->count; i++)
        free(s->item[i].buf);
    pthread_mutex_destroy(&s->lock);
}

/* ---- the planner's side: walking ----------------------------------------- */

/* The planner's window on the input: bytes [base, base + have) of the
   file; the next member starts at `pos` (offsets in the window).  On a
   stream the window holds the group being built, from `start`; a file's
   keeps nothing before the next member (start = pos): copying each group
   out of a window that then moved its tail to the front cost the planner
   about a megabyte of memmove per group (big.tar: 13 of its 28 ms). */
struct walk {
    struct pardec *pd;
    unsigned char *win;
    size_t size;                /* of win: WINDOW_SIZE or PROBE_WINDOW */
    size_t chunk;               /* the least read: READ_AHEAD or PROBE */
    uint64_t base;
    size_t have, start, pos;
    bool eof;
    int read_err;
    size_t groups;              /* sent so far */
};

/* Make at least `n` bytes available from pos, if the file has them:
   drop what is before `start`, then read.  Returns the bytes there. */
static size_t need(struct walk *w, size_t n)
{
    if (w->have - w->pos >= n || w->eof)
        return w->have - w->pos;
    if (w->start > 0) {
        memmove(w->win, w->win + w->start, w->have - w->start);
        w->base += w->start;
        w->have -= w->start;
        w->pos -= w->start;
        w->start = 0;
    }
    while (w->have - w->pos < n && w->have < w->size && !w->eof) {
        size_t want = n - (w->have - w->pos);
        want = want < w->chunk ? w->chunk : want;
        if (want > w->size - w->have)
            want = w->size - w->have;
        ssize_t got =
            w->pd->stream
                ? read(w->pd->task.in, w->win + w->have, want)
                : pread(w->pd->task.in, w->win + w->have, want,
                        (off_t)(w->base + w->have));
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            w->read_err = errno;
        if (got <= 0)
            w->eof = true;
        else
            w->have += (size_t)got;
    }
    return w->have - w->pos;
}

static struct member_group *new_group(struct walk *w)
{
    chan_send(w->pd->tokens, NULL);
    struct member_group *g = xcalloc(1, sizeof *g);
    g->file = w->pd;
    g->offset = w->base + w->pos;
    g->turn.index = w->groups++;
    w->start = w->pos;
    return g;
}

enum group_end {
    GROUP_FULL,         /* more members follow */
    GROUP_RESUME,       /* bytes that do not walk follow: a member, or
                           what the sequential reader is to judge */
    GROUP_END,          /* the input ends */
    GROUP_STOPPED       /* a failure stopped the walk (pardec.stop) */
};

/* Parse the member header at pos, reading no more than it takes: on a
   pipe, the planner does not wait for bytes it does not need yet. */
static enum member_kind parse_next(struct walk *w, struct member_info *m)
{
    size_t avail = need(w, 2);
    enum member_kind k = members_parse(w->win + w->pos, avail, w->eof, m);
    while (k == MEMBER_MORE) {
        size_t more = need(w, avail + 1);
        bool full = more <= avail;      /* at the end, or the window full */
        avail = more;
        k = members_parse(w->win + w->pos, avail, w->eof || full, m);
    }
    return k;
}

/* A file's window moves past the member of `len` bytes at pos to its
   trailer, reading that with what follows unless the window has it.
   Returns false if the file ends before the trailer does. */
static bool skip_to_trailer(struct walk *w, uint32_t len)
{
    if (w->have - w->pos >= len) {
        w->pos += len - MEMBERS_TRAILER_LEN;
    } else {
        w->base += w->pos + len - MEMBERS_TRAILER_LEN;
        w->have = w->pos = 0;
        w->eof = false;         /* this part of the file is not read yet */
    }
    w->start = w->pos;
    return need(w, MEMBERS_TRAILER_LEN) >= MEMBERS_TRAILER_LEN;
}

/* Whether the member at pos (`m`) is whole in the input with an ISIZE
   (its last 4 bytes) decoded whole; if so, pos moves past it.  (If not,
   a stream's window is as it was, for the sequential reader to replay.) */
static bool step_over(struct walk *w, const struct member_info *m,
                      uint32_t *isize)
{
    size_t trailer;             /* where it is in the window */
    if (w->pd->stream) {
        if (need(w, m->len) < m->len)
            return false;
        trailer = w->pos + m->len - MEMBERS_TRAILER_LEN;
    } else {
        if (!skip_to_trailer(w, m->len))
            return false;
        trailer = w->pos;
    }
    *isize = members_isize(w->win + trailer, MEMBERS_TRAILER_LEN);
    if (*isize > MEMBERS_MAX_DATA)
        return false;
    w->pos = trailer + MEMBERS_TRAILER_LEN;
    if (!w->pd->stream)
        w->start = w->pos;
    return true;
}

/* Add members to `g` while they walk and the group is not full. */
static enum group_end fill_group(struct walk *w, struct member_group *g)
{
    while (g->in_len < PARDEC_GROUP_IN && g->out_len < PARDEC_GROUP_OUT) {
        struct member_info m;
        enum member_kind k = parse_next(w, &m);
        if (k == MEMBER_NONE)   /* zeros, garbage, another format... */
            return need(w, 1) > 0 ? GROUP_RESUME : GROUP_END;
        uint32_t isize;
        if (k != MEMBER_SIZED || !step_over(w, &m, &isize))
            return GROUP_RESUME;        /* the sequential reader's */
        g->members++;
        g->in_len += m.len;
        g->out_len += isize;
    }
    return GROUP_FULL;
}

/* Read a file's group of members into g->in.  If the file no longer has
   them all (it shrank, or a read failed), g keeps what was read: its
   worker finds the members cut short and the sequential reader, resuming
   there, reads the file again and says what is wrong. */
static void read_group(const struct walk *w, struct member_group *g)
{
    size_t got = 0;
    while (got < g->in_len) {
        ssize_t n = pread(w->pd->task.in, g->in + got, g->in_len - got,
                          (off_t)(g->offset + got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    g->in_len = got;
}

/* Fill g with its members (a stream's: from the window) and send it.  The
   last group of a stream also takes what the window holds after them. */
static void send_group(chan_t *jobs, struct walk *w, struct member_group *g,
                       enum group_end end)
{
    g->in = spare_take(w->pd, g->in_len, &g->in_cap);
    if (!w->pd->stream)
        read_group(w, g);
    else if (g->in_len > 0)
        memcpy(g->in, w->win + w->start, g->in_len);
    g->resume = end == GROUP_RESUME;
    g->last = end != GROUP_FULL;
    w->start = w->pos;
    if (g->last && w->pd->stream && w->have > w->pos) {
        g->rest_len = w->have - w->pos;
        g->rest = xmalloc(g->rest_len);
        memcpy(g->rest, w->win + w->pos, g->rest_len);
    }
    if (g->last)
        g->read_err = w->read_err;
    chan_send(jobs, job_new_members(w->pd->task.res->index, g));
}

/* Make a pipe hold READ_AHEAD bytes if it holds less: with Linux's
   default 64 KiB the planner wakes up 16 times as often, and -d -j2 from
   a pipe took 10 % longer (big.tar: 204 -> 185 ms).  Only a wish: nothing
   else than a pipe, or a pipe the system will not widen, is left as it
   is. */
static void widen_pipe(int fd)
{
    int size = fcntl(fd, F_GETPIPE_SZ);
    if (size > 0 && (size_t)size < READ_AHEAD)
        (void)fcntl(fd, F_SETPIPE_SZ, (int)READ_AHEAD);
}

/* Whether the first member walks. */
static bool first_walks(struct walk *w)
{
    struct member_info m;
    return parse_next(w, &m) == MEMBER_SIZED;
}

void pardec_plan(struct task *t, chan_t *jobs, chan_t *tokens,
                 chan_t *open_files)
{
    struct pardec *pd = xcalloc(1, sizeof *pd);
    pd->task = *t;
    memset(t, 0, sizeof *t);
    pd->tokens = tokens;
    pd->open_files = open_files;
    ordered_init(&pd->order);
    spares_init(&pd->spares);
    pd->stream = pd->task.is_stdin;
    if (pd->stream)
        widen_pipe(pd->task.in);
    struct walk w = { .pd = pd };
    w.size = pd->stream ? WINDOW_SIZE : PROBE_WINDOW;
    w.chunk = pd->stream ? READ_AHEAD : PROBE;
    w.win = xmalloc(w.size);
    if (!first_walks(&w)) {
        struct member_group *g = xcalloc(1, sizeof *g);
        g->file = pd;
        g->whole = true;
        if (pd->stream) {       /* what was read goes first */
            g->in = w.win;
            g->in_len = w.have;
        } else {
            free(w.win);
        }
        chan_send(jobs, job_new_members(pd->task.res->index, g));
        return;
    }
    struct task *pt = &pd->task;
    if (pt->opts->mode == MODE_DECOMPRESS && !pt->opts->to_stdout &&
        !pt->is_stdin && !task_create_output(pt, strip_compressed_suffix(pt->path,
                                                        pt->opts->suffix))) {
        free(w.win);
        chan_send(jobs, job_new_done(task_close(pt)));
        chan_recv(open_files, &(void *){NULL});
        ordered_destroy(&pd->order);
        spares_free(&pd->spares);
        free(pd);
        return;
    }
    enum group_end end = GROUP_FULL;
    while (end == GROUP_FULL) {
        struct member_group *g = new_group(&w);
        /* after a failure, one empty last group ends the file */
        end = atomic_load(&pd->stop) ? GROUP_STOPPED : fill_group(&w, g);
        send_group(jobs, &w, g, end);
    }
    free(w.win);
}

/* ---- the workers' side: decoding and writing ------------------------------ */

/* Decode and check g's members, up to the first that fails. */
static void decode_members(struct decoding *d, struct member_group *g)
{
    g->out = spare_take(g->file, g->out_len, &g->out_cap);
    size_t at = 0, out = 0;
    for (; g->good < g->members; g->good++) {
        /* what the planner walked, unless a file changed under it */
        struct member_info m;
        if (members_parse(g->in + at, g->in_len - at, true, &m) !=
                MEMBER_SIZED ||
            m.len > g->in_len - at)
            break;
        const unsigned char *p = g->in + at;
        uint32_t isize = members_isize(p, m.len), crc;
        if (isize > g->out_len - out ||
            !gzr_inflate_whole(d->gzr, p + m.header_len,
                               m.len - m.header_len - MEMBERS_TRAILER_LEN,
                               g->out + out, isize,
                               &crc) ||
            crc != members_crc(p, m.len))
            break;
        at += m.len;
        out += isize;
        g->last_crc = crc;
        g->good_overhead += m.header_len + 8;
    }
    g->good_in = at;
    g->good_out = out;
    if (g->good < g->members)
        atomic_store(&g->file->stop, true);
}

/* From `offset` (a stream: from the replayed bytes, then the descriptor)
   to the end, the sequential reader, as decompress.h would decode what
   follows a member; what it finds is reported. */
static void resume(struct decoding *d, struct pardec *pd, uint64_t offset)
{
    struct task *t = &pd->task;
    pd->resumed = true;
    if (!pd->stream && lseek(t->in, (off_t)offset, SEEK_SET) < 0) {
        pd->failed = true;
        result_errno(t->res, t->path, errno);
        return;
    }
    void *ctx = NULL;
    gz_sink_fn sink = d->opts->mode == MODE_DECOMPRESS ? task_sink(t, &ctx)
                                                       : NULL;
    struct gz_result g;
    decompress_setup_reader(d, t);
    if (pd->stream)
        gzr_preread(d->gzr, pd->replay, pd->replay_len);
    if (gzr_open_after(d->gzr, t->in, &g))
        gzr_run(d->gzr, sink, ctx);
    pd->bytes_in += g.bytes_in;
    pd->bytes_out += g.bytes_out;
    pd->overhead += g.overhead;
    if (g.members > 0)
        pd->crc = g.crc;
    if (g.status == GZ_READ_ERROR)
        pd->read_err = g.err;
    else if (g.status == GZ_WRITE_ERROR)
        pd->write_err = g.err;
    else if (g.status != GZ_OK)
        pd->failed = true;
    decompress_report(t, &g);
    gzr_result_free(&g);
}

static void replay_add(struct pardec *pd, const unsigned char *buf,
                       size_t len)
{
    if (len == 0)
        return;
    if (pd->replay_cap - pd->replay_len < len) {
        pd->replay_cap = (pd->replay_len + len) * 2;
        pd->replay = xrealloc(pd->replay, pd->replay_cap);
    }
    memcpy(pd->replay + pd->replay_len, buf, len);
    pd->replay_len += len;
}

/* Go the sequential way from g's first member that did not check out, or
   from what follows its members: at once on a file; on a stream, once
   the bytes after them have come in with the groups that follow. */
static void resume_from(struct decoding *d, struct pardec *pd,
                        const struct member_group *g)
{
    if (!pd->stream) {
        resume(d, pd, g->offset + g->good_in);
        return;
    }
    pd->replaying = true;
    if (g->in_len > g->good_in)
        replay_add(pd, g->in + g->good_in, g->in_len - g->good_in);
    replay_add(pd, g->rest, g->rest_len);
    if (g->last)
        resume(d, pd, 0);
}

static void write_group(struct decoding *d, struct pardec *pd,
                        const struct member_group *g)
{
    if (pd->replaying && !pd->resumed) {
        replay_add(pd, g->in, g->in_len);
        replay_add(pd, g->rest, g->rest_len);
        if (g->last)
            resume(d, pd, 0);
        return;
    }
    if (pd->resumed || pd->failed)
        return;
    if (g->good_out > 0 && pd->write_err == 0 &&
        d->opts->mode == MODE_DECOMPRESS) {
        void *ctx;
        gz_sink_fn sink = task_sink(&pd->task, &ctx);
        pd->write_err = sink(ctx, g->out, g->good_out);
        if (pd->write_err != 0)
            atomic_store(&pd->stop, true);
    }
    pd->bytes_in += g->good_in;
    pd->bytes_out += g->good_out;
    pd->overhead += g->good_overhead;
    if (g->good > 0)
        pd->crc = g->last_crc;
    if (pd->write_err != 0)
        return;
    if (g->good < g->members || g->resume)
        resume_from(d, pd, g);
}

static void free_group(struct member_group *g)
{
    spare_give(g->file, g->in, g->in_cap);
    spare_give(g->file, g->out, g->out_cap);
    free(g->rest);
    free(g);
}

/* The last group is out: finish the file and free it. */
static struct result *finish(struct pardec *pd)
{
    if (!pd->failed && pd->task.opts->mode == MODE_LIST &&
        pd->read_err == 0) {
        struct gz_result r = {
            .status = GZ_OK,
            .crc = pd->crc,
            .bytes_in = pd->bytes_in,
            .bytes_out = pd->bytes_out,
            .overhead = pd->overhead,
            .format = GZ_FORMAT_GZIP,
        };
        decompress_record_listing(&pd->task, &r);
    }
    if (!pd->failed) {
        struct member_summary m = {
            .read_err = pd->read_err,
            .write_err = pd->write_err,
            .bytes_in = pd->bytes_in,
            .deflate_bytes = pd->bytes_in - pd->overhead,
            .bytes_out = pd->bytes_out,
        };
        task_finish(&pd->task, &m);
    }
    struct result *res = task_close(&pd->task);
    chan_recv(pd->open_files, &(void *){NULL});
    ordered_destroy(&pd->order);
    spares_free(&pd->spares);
    free(pd->replay);
    free(pd);
    return res;
}

struct result *pardec_decode_group(struct decoding *d, struct member_group *g)
{
    struct pardec *pd = g->file;
    if (g->whole) {
        struct result *res = decompress_task(d, &pd->task, g->in, g->in_len);
        chan_recv(pd->open_files, &(void *){NULL});
        ordered_destroy(&pd->order);
        spares_free(&pd->spares);
        free(pd);
        free(g->in);
        free(g);
        return res;
    }
    if (!atomic_load(&pd->stop))
        decode_members(d, g);
    if (!pd->stream) {          /* a stream's may be replayed */
        spare_give(pd, g->in, g->in_cap);
        g->in = NULL;
    }
    struct ordered_item *it = &g->turn;
    /* groups are numbered by the planner in order: see new_group() */
    if (!ordered_put(&pd->order, it))
        return NULL;
    bool done = false;
    while ((it = ordered_next(&pd->order)) != NULL) {
        struct member_group *ready =
            (struct member_group *)((char *)it -
                                    offsetof(struct member_group, turn));
        if (ready->last && ready->read_err != 0 && pd->read_err == 0)
            pd->read_err = ready->read_err;
        write_group(d, pd, ready);
        done = done || ready->last;
        free_group(ready);
        chan_recv(pd->tokens, &(void *){NULL});
    }
    return done ? finish(pd) : NULL;
}
