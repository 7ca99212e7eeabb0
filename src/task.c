/* task.c -- see task.h. */
#include "task.h"
#include "names.h"
#include "report.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* The largest MTIME a gzip header can hold. */
#define GZIP_MAX_MTIME 0xffffffffL

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

char *strip_compressed_suffix(const char *path, const char *suffix)
{
    const char *s = compressed_suffix(path, suffix);
    if (s == NULL)
        return NULL;
    size_t stem = (size_t)(s - path);
    bool tar = strcasecmp(s, ".tgz") == 0 || strcasecmp(s, ".taz") == 0;
    char *name = xmalloc(stem + sizeof ".tar");
    memcpy(name, path, stem);
    strcpy(name + stem, tar ? ".tar" : "");
    return name;
}

/* Whether no output file is made: -c, -t and -l (gzip treats the last two
   as writing to stdout, and so refuses the same inputs). */
static bool no_output_file(const struct options *o)
{
    return o->to_stdout || o->mode == MODE_TEST || o->mode == MODE_LIST;
}

char *task_expected_output(const struct options *o, const char *name)
{
    if (no_output_file(o))
        return NULL;
    if (o->mode == MODE_COMPRESS)
        return xconcat(name, o->suffix);
    char *out = strip_compressed_suffix(name, o->suffix);
    return out != NULL ? out : xstrdup(name);
}

/* The input's name in its directory. */
static const char *input_name(const struct task *t)
{
    return t->path + t->name_offset;
}

static void task_init(struct task *t, const struct options *opts,
                      seqout_t *stdout_order, size_t index, const char *path)
{
    memset(t, 0, sizeof *t);
    t->opts = opts;
    t->res = result_new(index);
    t->path = xstrdup(path);
    t->started = monotonic_now();
    result_set_name(&t->res->input, path);
    t->in = -1;
    if (stdout_order != NULL)
        t->stdout_stream = seqout_open(stdout_order, index);
}

/* The MTIME to store for the input, warning as gzip does when it cannot be
   stored (gzip reserves 0 for "no time stamp", so a time of exactly the
   Epoch warns too). */
static uint32_t header_mtime(struct task *t)
{
    if (!t->opts->save_name || !S_ISREG(t->st.st_mode))
        return 0;       /* gzip stores no time for a pipe or a device */
    time_t sec = t->st.st_mtim.tv_sec;
    if (sec > 0 && sec <= GZIP_MAX_MTIME)
        return (uint32_t)sec;
    result_warning(t->res, t->opts->quiet,
                   "%s: warning: file timestamp out of range for gzip format",
                   t->path);
    return 0;
}

/* ---- opening a file ------------------------------------------------------- */

/* Open the input as gzip does: without following a final symlink unless -f
   or -c, and without blocking on a FIFO. */
static int open_input(const struct task *t)
{
    const struct options *o = t->opts;
    int flags = O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC;
    if (!o->force && !no_output_file(o))
        flags |= O_NOFOLLOW;
    return openat(dirref_fd(t->dir), input_name(t), flags);
}

/* Show --report the input about to be read: it never replaces one
   (report.h). */
static void show_to_report(const struct task *t)
{
    if (t->opts->report_out != NULL)
        report_saw_input(t->opts->report_out, &t->st);
}

/* gzip's refusals, in gzip's order.  Returns true if the input may be
   compressed; otherwise the result says why not. */
static bool acceptable_input(struct task *t)
{
    const struct options *o = t->opts;
    const struct stat *st = &t->st;
    if (S_ISDIR(st->st_mode)) {
        result_warning(t->res, o->quiet, "%s is a directory -- ignored",
                       t->path);
        return false;
    }
    /* Like gzip, a special file is read (as a stream) where nothing
       would replace it: -c, -t, -l. */
    if (!S_ISREG(st->st_mode) && !no_output_file(o)) {
        result_warning(t->res, o->quiet,
                       "%s is not a directory or a regular file - ignored",
                       t->path);
        return false;
    }
    if (no_output_file(o))
        return true;
    /* gzip will not make a copy that loses these bits' meaning quietly
       (FILE.gz gets the permission bits only), so it leaves such files
       alone: set-ID even with -f, sticky unless -f. */
    if (st->st_mode & (S_ISUID | S_ISGID)) {
        result_warning(t->res, o->quiet, "%s is set-%s-ID on execution - ignored",
                       t->path, st->st_mode & S_ISUID ? "user" : "group");
        return false;
    }
    if ((st->st_mode & S_ISVTX) && !o->force) {
        result_warning(t->res, o->quiet, "%s has the sticky bit set - file ignored",
                       t->path);
        return false;
    }
    if (st->st_nlink > 1 && !o->force) {
        unsigned long others = (unsigned long)st->st_nlink - 1;
        result_warning(t->res, o->quiet,
                       "%s has %lu other link%s -- file ignored", t->path,
                       others, others == 1 ? "" : "s");
        return false;
    }
    const char *suffix = o->force || o->mode != MODE_COMPRESS
                             ? NULL : compressed_suffix(t->path, o->suffix);
    if (suffix != NULL) {
        /* Not a warning: gzip leaves the exit status alone here, and is
           silent about it under -r (so as not to list every .gz of a
           tree) unless -v. */
        if (o->verbose || (!o->recursive && !o->quiet))
            result_info(t->res, "%s: %s already has %s suffix -- unchanged\n",
                        program_name, t->path, suffix);
        result_note(t->res, "%s already has %s suffix -- unchanged", t->path,
                    suffix);
        return false;
    }
    return true;
}

/* Make t->out_name's last component fit its directory as gzip does
   (names.h): a compressed output is shortened (and then stores the
   input's name whatever -n says), a decompressed one cut.  Sets
   *shortened.  Returns false if gzip would give up (the result says
   why). */
static bool fit_output_name(struct task *t, bool *shortened)
{
    const struct options *o = t->opts;
    char *last = t->out_name + t->name_offset;
    size_t len = strlen(last);
    *shortened = false;
    if (names_fits_anywhere(len))
        return true;
    size_t max = names_max_length(dirref_fd(t->dir));
    if (len <= max)
        return true;
    if (o->mode != MODE_COMPRESS) {
        if (names_truncate(last, max, shortened))
            return true;
        result_error(t->res, "%s: name too short", t->path);
        return false;
    }
    const char *why;
    last[len - strlen(o->suffix)] = '\0';     /* the stem */
    char *fit = names_compressed(last, o->suffix, max, shortened, &why);
    if (fit == NULL) {
        result_error(t->res, "%s: %s", t->path, why);
        return false;
    }
    strcpy(last, fit);          /* shorter */
    free(fit);
    t->stored_name = t->path;
    return true;
}

bool task_create_output(struct task *t, char *out_name)
{
    const struct options *o = t->opts;
    t->out_name = out_name;
    bool shortened;
    if (!fit_output_name(t, &shortened))
        return false;
    const char *name = out_name + t->name_offset;
    /* An earlier file whose input or output this is comes first. */
    inflight_wait_turn(t->res->index, t->dir, name);
    struct stat existing;
    if (!o->force && fstatat(dirref_fd(t->dir), name, &existing,
                             AT_SYMLINK_NOFOLLOW) == 0) {
        result_warning(t->res, o->quiet, "%s already exists;\tnot overwritten",
                       t->out_name);
        return false;
    }
    int err = outfile_create(&t->out, dirref_fd(t->dir), name);
    if (err != 0) {
        result_errno(t->res, t->out_name, err);
        return false;
    }
    t->out_open = true;
    if (shortened && o->mode != MODE_COMPRESS)
        result_warning(t->res, o->quiet, "%s: warning, name truncated",
                       t->out_name);
    else if (shortened && !o->verbose && !o->quiet)
        result_info(t->res, "%s: %s compressed to %s\n", program_name,
                    t->path, t->out_name);
    return true;
}

bool task_open_file(struct task *t, const struct options *opts,
                    seqout_t *stdout_order, struct job *job, const char *path)
{
    if (path == NULL)
        path = job->loc.path;
    task_init(t, opts, stdout_order, job->index, path);
    t->dir = dirref_get(job->loc.dir);
    t->name_offset = job->loc.name_offset;
    t->held = job->held;
    job->held = (struct inflight_names){0};
    if (t->dir == NULL) {
        result_errno(t->res, path, job->loc.dir_err);
        return false;
    }
    /* An earlier file of the same name (`pgz a a`) comes first. */
    inflight_wait_turn(job->index, t->dir, input_name(t));
    t->in = open_input(t);
    if (t->in < 0 && errno == ENOENT && job->loc.seen_before) {
        t->res->gone = true;
        return false;
    }
    if (t->in < 0) {
        result_errno(t->res, path, errno);
        return false;
    }
    if (fstat(t->in, &t->st) != 0) {
        result_errno(t->res, path, errno);
        return false;
    }
    if (!acceptable_input(t))
        return false;
    show_to_report(t);
    /* O_NONBLOCK was only there to open FIFOs safely (-cf); it means
       nothing to a regular file, so spare the syscall there. */
    if (!S_ISREG(t->st.st_mode) && fcntl(t->in, F_SETFL, 0) != 0) {
        result_errno(t->res, path, errno);
        return false;
    }
    if (opts->mode != MODE_COMPRESS)
        return true;        /* the output is named after the header */
    char *out_name = task_expected_output(opts, path);
    if (out_name != NULL && !task_create_output(t, out_name))
        return false;
    t->mtime = header_mtime(t);
    if (opts->save_name)        /* (a shortened name stores it anyway) */
        t->stored_name = t->path;
    return true;
}

bool task_open_stdin(struct task *t, const struct options *opts,
                     seqout_t *stdout_order, size_t index)
{
    task_init(t, opts, stdout_order, index, "stdin");
    t->is_stdin = true;
    result_set_name(&t->res->input, "-");
    if (fstat(STDIN_FILENO, &t->st) != 0) {
        result_errno(t->res, t->path, errno);
        return false;
    }
    t->in = STDIN_FILENO;
    show_to_report(t);
    /* gzip stores no name for stdin, and a time only for a regular file. */
    if (opts->mode == MODE_COMPRESS && S_ISREG(t->st.st_mode))
        t->mtime = header_mtime(t);
    return true;
}

struct result *task_fail(const struct options *opts, seqout_t *stdout_order,
                         size_t index, const char *path, int err)
{
    struct task t;
    task_init(&t, opts, stdout_order, index, path);
    result_errno(t.res, path, err);
    return task_close(&t);
}

/* ---- the output ------------------------------------------------------------ */

static int fd_sink(void *ctx, const unsigned char *buf, size_t len)
{
    return write_all(*(int *)ctx, buf, len);
}

gz_sink_fn task_sink(struct task *t, void **ctx)
{
    if (t->out_open) {
        *ctx = &t->out.fd;
        return fd_sink;
    }
    *ctx = t->stdout_stream;
    return seqout_sink;
}

/* ---- finishing ------------------------------------------------------------ */

/* gzip's ratio: the share of the uncompressed data saved by the deflate
   data (headers and trailers aside). */
static double ratio(const struct member_summary *m, bool compressing)
{
    double plain = (double)(compressing ? m->bytes_in : m->bytes_out);
    if (plain == 0)
        return 0.0;
    return 100.0 * (plain - (double)m->deflate_bytes) / plain;
}

static void verbose_line(struct task *t, const struct member_summary *m)
{
    const struct options *o = t->opts;
    if (!o->verbose || o->mode == MODE_LIST)
        return;
    if (o->mode == MODE_TEST)
        result_info(t->res, "%s:\t OK\n", t->path);
    else if (t->is_stdin)
        result_info(t->res, "%5.1f%%\n", ratio(m, o->mode == MODE_COMPRESS));
    else
        result_info(t->res, "%s:\t%5.1f%% -- %s %s\n", t->path,
                    ratio(m, o->mode == MODE_COMPRESS),
                    o->keep ? "created" : "replaced with",
                    t->out_name ? t->out_name : "stdout");
}

/* A regular file whose size changed while it was read gets gzip's message;
   the output holds what was read.  Unlike gzip (which exits 0 and removes
   the input), pgz keeps the input, and says so with a warning status. */
static bool size_changed(struct task *t, const struct member_summary *m)
{
    if (t->opts->mode != MODE_COMPRESS || !S_ISREG(t->st.st_mode) ||
        (uint64_t)t->st.st_size == m->bytes_in)
        return false;
    result_warning(t->res, t->opts->quiet,
                   "%s: file size changed while zipping", t->path);
    return true;
}

/* Remove the input, but only if its name still means the file that was
   read: anyone may rename another file over it while it is read, and
   that file must not be deleted. */
static void remove_input(struct task *t)
{
    const struct options *o = t->opts;
    int err = outfile_remove_input(dirref_fd(t->dir), input_name(t), &t->st);
    if (err == ESTALE)
        result_warning(t->res, o->quiet,
                       "%s: replaced while it was read -- not removed", t->path);
    else if (err != 0)
        result_warning(t->res, o->quiet, "%s: %s", t->path, strerror(err));
}

/* Give the finished output its metadata and final name, then remove the
   input (unless -k, or the input changed under us).  Returns whether the
   output got its name. */
static bool commit_output(struct task *t, bool input_changed)
{
    const struct options *o = t->opts;
    struct stat meta = t->st;
    if (t->restore_mtime != 0)      /* -N when decompressing */
        meta.st_mtim = (struct timespec){ .tv_sec = t->restore_mtime };
    int err = outfile_copy_metadata(&t->out, &meta);
    if (err != 0)
        result_warning(t->res, o->quiet, "%s: %s", t->out_name, strerror(err));
    t->out_open = false;
    err = outfile_commit(&t->out, o->force, o->synchronous);
    if (err == EEXIST) {    /* it appeared while we compressed */
        result_warning(t->res, o->quiet, "%s already exists;\tnot overwritten",
                       t->out_name);
        return false;
    }
    if (err != 0) {
        result_errno(t->res, t->out_name, err);
        return false;
    }
    result_set_name(&t->res->output, t->out_name);
    if (!o->keep && !input_changed)
        remove_input(t);
    return true;
}

void task_finish(struct task *t, const struct member_summary *m)
{
    t->res->bytes_in = m->bytes_in;
    t->res->bytes_out = m->bytes_out;
    if (m->read_err != 0) {
        result_errno(t->res, t->path, m->read_err);
        if (!t->out_open && t->stdout_stream != NULL)
            seqout_abandon(t->stdout_stream);
        return;
    }
    /* Write errors on stdout are reported once, by main, in order. */
    if (m->write_err != 0) {
        if (t->out_open)
            result_errno(t->res, t->out_name, m->write_err);
        return;
    }
    bool changed = size_changed(t, m);
    if (!t->out_open && t->stdout_stream != NULL)
        result_set_name(&t->res->output, "-");
    if (!t->out_open || commit_output(t, changed))
        verbose_line(t, m);
}

struct result *task_close(struct task *t)
{
    if (t->in >= 0 && !t->is_stdin)
        close(t->in);
    if (t->out_open)
        outfile_abort(&t->out);
    if (t->stdout_stream != NULL)
        seqout_close(t->stdout_stream);
    inflight_release(t->res->index, t->dir, &t->held);
    dirref_put(t->dir);
    struct result *res = t->res;
    res->seconds = seconds_between(t->started, monotonic_now());
    free(t->path);
    free(t->out_name);
    memset(t, 0, sizeof *t);
    return res;
}
