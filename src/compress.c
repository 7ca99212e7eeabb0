/* compress.c -- see compress.h. */
#include "compress.h"
#include "outfile.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* The largest MTIME a gzip header can hold. */
#define GZIP_MAX_MTIME 0xffffffffL

void compressor_init(struct compressor *c, const struct options *opts,
                     seqout_t *stdout_order)
{
    memset(c, 0, sizeof *c);
    c->opts = opts;
    c->stdout_order = stdout_order;
}

void compressor_destroy(struct compressor *c)
{
    if (c->gz_ready)
        gzw_destroy(&c->gz);
    free(c->inbuf);
    memset(c, 0, sizeof *c);
}

/* Allocate the deflate state and the input buffer on first use. */
static int compressor_ready(struct compressor *c)
{
    if (!c->gz_ready) {
        int err = gzw_init(&c->gz, c->opts->level);
        if (err != 0)
            return err;
        c->gz_ready = true;
    }
    if (c->inbuf == NULL)
        c->inbuf = xmalloc(COMPRESS_INBUF_SIZE);
    return 0;
}

const char *compressed_suffix(const char *name, const char *suffix)
{
    static const char *const known[] = {
        ".gz", ".z", ".taz", ".tgz", "-gz", "-z", "_z", NULL
    };
    size_t nlen = strlen(name);
    for (int i = -1; i < 0 || known[i] != NULL; i++) {
        const char *s = i < 0 ? suffix : known[i];
        size_t slen = strlen(s);
        if (nlen > slen && name[nlen - slen - 1] != '/' &&
            strcasecmp(name + nlen - slen, s) == 0)
            return name + nlen - slen;
    }
    return NULL;
}

/* ---- sinks -------------------------------------------------------------- */

static int fd_sink(void *ctx, const unsigned char *buf, size_t len)
{
    int fd = *(int *)ctx;
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* ---- the stream --------------------------------------------------------- */

/* Where a failed stream went wrong: reading the input or writing the
   output.  The message names the file on that side. */
enum stream_failure { STREAM_OK, STREAM_READ_FAILED, STREAM_WRITE_FAILED };

/* Compress everything readable from `in` into one member.  Returns which
   side failed, with the errno in *err. */
static enum stream_failure stream(struct compressor *c, int in,
                                  const char *name, uint32_t mtime,
                                  gz_sink_fn sink, void *ctx, int *err)
{
    gzw_begin(&c->gz, name, mtime);
    for (;;) {
        ssize_t n = read(in, c->inbuf, COMPRESS_INBUF_SIZE);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            *err = errno;
            return STREAM_READ_FAILED;
        }
        if (n == 0)
            break;
        *err = gzw_write(&c->gz, c->inbuf, (size_t)n, sink, ctx);
        if (*err != 0)
            return STREAM_WRITE_FAILED;
    }
    *err = gzw_finish(&c->gz, sink, ctx);
    return *err ? STREAM_WRITE_FAILED : STREAM_OK;
}

/* gzip's ratio: the share of the input saved by the deflate data. */
static double ratio(const struct gz_writer *gz)
{
    if (gz->bytes_in == 0)
        return 0.0;
    double saved = (double)gz->bytes_in - (double)gzw_deflate_bytes(gz);
    return 100.0 * saved / (double)gz->bytes_in;
}

/* The MTIME to store for an input with status `st`, warning as gzip does
   when it cannot be stored (gzip reserves 0 for "no time stamp", so a time
   of exactly the Epoch warns too). */
static uint32_t header_mtime(const struct compressor *c, const struct stat *st,
                             const char *path, struct result *res)
{
    if (!c->opts->save_name)
        return 0;
    time_t t = st->st_mtim.tv_sec;
    if (t > 0 && t <= GZIP_MAX_MTIME)
        return (uint32_t)t;
    result_warning(res, c->opts->quiet,
                   "%s: warning: file timestamp out of range for gzip format",
                   path);
    return 0;
}

/* ---- checks before compressing a file ------------------------------------ */

/* Open `path` for reading as gzip does: without following a final symlink
   unless -f or -c, and without blocking on a FIFO. */
static int open_input(const struct options *o, const char *path)
{
    int flags = O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC;
    if (!o->force && !o->to_stdout)
        flags |= O_NOFOLLOW;
    return open(path, flags);
}

/* gzip's refusals, in gzip's order.  Returns true if `path` may be
   compressed; otherwise the result says why not. */
static bool acceptable_input(const struct compressor *c, const struct job *job,
                             const struct stat *st, struct result *res)
{
    const struct options *o = c->opts;
    const char *path = job->path;
    if (S_ISDIR(st->st_mode)) {
        result_warning(res, o->quiet, "%s is a directory -- ignored", path);
        return false;
    }
    if (!S_ISREG(st->st_mode) && !(o->to_stdout && o->force)) {
        result_warning(res, o->quiet,
                       "%s is not a directory or a regular file - ignored",
                       path);
        return false;
    }
    if (o->to_stdout)
        return true;
    if (st->st_nlink > 1 && !o->force) {
        unsigned long others = (unsigned long)st->st_nlink - 1;
        result_warning(res, o->quiet, "%s has %lu other link%s -- file ignored",
                       path, others, others == 1 ? "" : "s");
        return false;
    }
    const char *suffix = o->force ? NULL : compressed_suffix(path, o->suffix);
    if (suffix != NULL) {
        /* Not a warning: gzip leaves the exit status alone here, and is
           silent about it under -r (so as not to list every .gz of a
           tree) unless -v. */
        if (o->verbose || (!o->recursive && !o->quiet))
            result_info(res, "%s: %s already has %s suffix -- unchanged\n",
                        program_name, path, suffix);
        return false;
    }
    return true;
}

/* ---- the two destinations ------------------------------------------------- */

static void verbose_line(const struct compressor *c, const char *path,
                         const char *dest, struct result *res)
{
    if (c->opts->verbose)
        result_info(res, "%s:\t%5.1f%% -- %s %s\n", path, ratio(&c->gz),
                    c->opts->keep ? "created" : "replaced with", dest);
}

static void record_sizes(const struct compressor *c, struct result *res)
{
    res->bytes_in = c->gz.bytes_in;
    res->bytes_out = c->gz.bytes_out;
}

/* Report a stream failure: read errors name the input, write errors the
   output. */
static void stream_error(enum stream_failure f, int err, const char *in_name,
                         const char *out_name, struct result *res)
{
    result_errno(res, f == STREAM_READ_FAILED ? in_name : out_name, err);
}

/* gzip warns when a regular file's size changed while it was read; the
   output then holds what was read, and the input is kept. */
static bool size_changed(const struct compressor *c, const struct stat *st,
                         const char *path, struct result *res)
{
    if (!S_ISREG(st->st_mode) || (uint64_t)st->st_size == c->gz.bytes_in)
        return false;
    result_warning(res, c->opts->quiet, "%s: file size changed while zipping",
                   path);
    return true;
}

static void compress_to_stdout(struct compressor *c, const struct job *job,
                               int in, const struct stat *st,
                               seqout_stream_t *out, struct result *res)
{
    uint32_t mtime = header_mtime(c, st, job->path, res);
    const char *name = c->opts->save_name ? job->path : NULL;
    int err;
    enum stream_failure f = stream(c, in, name, mtime, seqout_sink, out, &err);
    record_sizes(c, res);
    if (f == STREAM_READ_FAILED)
        stream_error(f, err, job->path, "stdout", res);
    /* Write errors on stdout are reported once, by main, in order. */
    if (f != STREAM_OK)
        return;
    size_changed(c, st, job->path, res);
    verbose_line(c, job->path, "stdout", res);
}

/* Remove the input once its output is in place, unless -k. */
static void remove_input(const struct compressor *c, const char *path,
                         struct result *res)
{
    if (c->opts->keep)
        return;
    if (unlink(path) != 0)
        result_warning(res, c->opts->quiet, "%s: %s", path, strerror(errno));
}

static void compress_to_file(struct compressor *c, const struct job *job,
                             int in, const struct stat *st,
                             struct result *res)
{
    const struct options *o = c->opts;
    size_t len = strlen(job->path) + strlen(o->suffix) + 1;
    char *out_name = xmalloc(len);
    snprintf(out_name, len, "%s%s", job->path, o->suffix);

    struct stat existing;
    if (!o->force && lstat(out_name, &existing) == 0) {
        result_warning(res, o->quiet, "%s already exists;\tnot overwritten",
                       out_name);
        goto done;
    }
    uint32_t mtime = header_mtime(c, st, job->path, res);
    struct outfile of;
    int err = outfile_create(&of, out_name);
    if (err != 0) {
        result_errno(res, out_name, err);
        goto done;
    }
    enum stream_failure f = stream(c, in, o->save_name ? job->path : NULL,
                                   mtime, fd_sink, &of.fd, &err);
    record_sizes(c, res);
    if (f != STREAM_OK) {
        stream_error(f, err, job->path, out_name, res);
        outfile_abort(&of);
        goto done;
    }
    bool changed = size_changed(c, st, job->path, res);
    err = outfile_copy_metadata(&of, st);
    if (err != 0)
        result_warning(res, o->quiet, "%s: %s", out_name, strerror(err));
    err = outfile_commit(&of, o->force);
    if (err == EEXIST) {    /* it appeared while we compressed */
        result_warning(res, o->quiet, "%s already exists;\tnot overwritten",
                       out_name);
        goto done;
    }
    if (err != 0) {
        result_errno(res, out_name, err);
        goto done;
    }
    if (!changed)
        remove_input(c, job->path, res);
    verbose_line(c, job->path, out_name, res);
done:
    free(out_name);
}

/* ---- jobs ---------------------------------------------------------------- */

static void compress_stdin(struct compressor *c, seqout_stream_t *out,
                           struct result *res)
{
    struct stat st;
    if (fstat(STDIN_FILENO, &st) != 0) {
        result_errno(res, "stdin", errno);
        return;
    }
    /* gzip stores no name for stdin, and a time only for a regular file. */
    uint32_t mtime = 0;
    if (S_ISREG(st.st_mode))
        mtime = header_mtime(c, &st, "stdin", res);
    int err;
    enum stream_failure f = stream(c, STDIN_FILENO, NULL, mtime, seqout_sink,
                                   out, &err);
    record_sizes(c, res);
    if (f == STREAM_READ_FAILED)
        result_errno(res, "stdin", err);
    if (f == STREAM_OK && c->opts->verbose)
        result_info(res, "%5.1f%%\n", ratio(&c->gz));
}

static void compress_file(struct compressor *c, const struct job *job,
                          seqout_stream_t *out, struct result *res)
{
    int in = open_input(c->opts, job->path);
    if (in < 0) {
        result_errno(res, job->path, errno);
        return;
    }
    struct stat st;
    if (fstat(in, &st) != 0) {
        result_errno(res, job->path, errno);
    } else if (acceptable_input(c, job, &st, res)) {
        /* O_NONBLOCK was only there to open FIFOs safely (-cf); it means
           nothing to a regular file, so spare the syscall there. */
        if (!S_ISREG(st.st_mode) && fcntl(in, F_SETFL, 0) != 0)
            result_errno(res, job->path, errno);
        else if (c->opts->to_stdout)
            compress_to_stdout(c, job, in, &st, out, res);
        else
            compress_to_file(c, job, in, &st, res);
    }
    close(in);
}

struct result *compress_job(struct compressor *c, const struct job *job)
{
    struct result *res = result_new(job->index);
    seqout_stream_t *out = NULL;
    if (c->stdout_order != NULL)
        out = seqout_open(c->stdout_order, job->index);
    if (job->kind == JOB_NOTE) {
        result_errno(res, job->path, job->note_errno);
    } else {
        int err = compressor_ready(c);
        if (err != 0)
            result_errno(res, job->path, err);
        else if (job->kind == JOB_STDIN)
            compress_stdin(c, out, res);
        else
            compress_file(c, job, out, res);
    }
    if (out != NULL)
        seqout_close(out);
    return res;
}
