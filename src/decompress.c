/* decompress.c -- see decompress.h. */
#include "decompress.h"
#include "gzreader.h"
#include "lzw.h"
#include "names.h"
#include "task.h"
#include "util.h"

#include <fcntl.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* gzip -d FILE, where there is no FILE but a FILE.gz (or another
   suffix): the name to open (sharing FILE's directory prefix), malloc'd,
   or NULL to open FILE as given.  Looked up in FILE's directory. */
static char *find_compressed(const struct file_loc *loc, const char *suffix)
{
    /* gzip's list (open_input_file): not -gz nor _z, but .Z, which a
       file system that tells case apart does not find as .z. */
    static const char *const known[] = { ".gz", ".z", "-z", ".Z", NULL };
    const char *path = loc->path;
    struct stat st;
    /* A name with a suffix (the usual case) costs no lookup here. */
    if (compressed_suffix(path, suffix) != NULL)
        return NULL;
    int dir_fd = loc->dir != NULL ? dirref_fd(loc->dir) : -1;
    const char *name = path + loc->name_offset;
    if (dir_fd >= 0 &&
        (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 || errno != ENOENT))
        return NULL;
    for (int i = -1; dir_fd >= 0 && (i < 0 || known[i] != NULL); i++) {
        char *found = xconcat(path, i < 0 ? suffix : known[i]);
        if (fstatat(dir_fd, found + loc->name_offset, &st,
                    AT_SYMLINK_NOFOLLOW) == 0)
            return found;
        free(found);
    }
    return xconcat(path, suffix);    /* so the error names what was missing */
}

/* With -N, the stored name (its last component only: a header must not
   send the output elsewhere) in FILE's directory, unless that is FILE
   itself (removing the input would then remove the output); else FILE
   without its suffix. */
static char *output_name(const struct task *t, const struct gz_result *g)
{
    const char *stored = g->name;
    if (t->opts->restore_name && stored != NULL) {
        const char *base = strrchr(stored, '/');
        base = base ? base + 1 : stored;
        if (*base != '\0' && strcmp(base, ".") != 0 && strcmp(base, "..") != 0) {
            size_t dir = t->name_offset;
            char *name = xmalloc(dir + strlen(base) + 1);
            memcpy(name, t->path, dir);
            strcpy(name + dir, base);
            if (strcmp(name, t->path) != 0)
                return name;
            free(name);
        }
    }
    return strip_compressed_suffix(t->path, t->opts->suffix);
}

/* gzip's to_stdout, which -t and -l set too, as does standard input. */
static bool gzip_to_stdout(const struct task *t)
{
    const struct options *o = t->opts;
    return o->to_stdout || t->is_stdin || o->mode == MODE_TEST ||
           o->mode == MODE_LIST;
}

/* A zip file with more entries than its first: gzip decodes the first
   and warns, except when that would replace the zip file (-d without
   -c), which it keeps, as an error. */
static bool more_entries_refused(const struct task *t,
                                 const struct gz_result *g)
{
    return (g->warnings & DEC_WARN_MORE_ENTRIES) && !gzip_to_stdout(t);
}

/* A legacy decoder's error, in gzip's words and lines. */
static void report_decoder_error(struct task *t, const struct gz_result *g)
{
    if (g->note[0] != '\0')
        result_info(t->res, "%s\n", g->note);
    /* gzip's hint is left out where zcat would do no better. */
    bool hint = g->format == GZ_FORMAT_COMPRESS && !gzip_to_stdout(t) &&
                strcmp(g->text, LZW_CORRUPT) == 0;
    result_error(t->res, "%s: %s%s", t->path, g->text,
                 hint ? " Use zcat to recover some data." : "");
    if (g->text2[0] != '\0')
        result_error(t->res, "%s: %s", t->path, g->text2);
}

/* The legacy decoders' warnings, before anything else gzip says. */
static void report_warnings(struct task *t, const struct gz_result *g)
{
    bool quiet = t->opts->quiet;
    if (g->warnings & DEC_WARN_FLAGS)
        result_warning(t->res, quiet, "%s: %s", t->path, g->warning);
    if (more_entries_refused(t, g))
        result_error(t->res, "%s has more than one entry -- unchanged",
                     t->path);
    else if (g->warnings & DEC_WARN_MORE_ENTRIES)
        result_warning(t->res, quiet,
                       "%s has more than one entry--rest ignored", t->path);
}

void decompress_report(struct task *t, const struct gz_result *g)
{
    char buf[64];
    const struct options *o = t->opts;
    report_warnings(t, g);
    if (g->status == GZ_DECODER_ERROR) {
        report_decoder_error(t, g);
    } else if (g->status != GZ_OK && g->status != GZ_READ_ERROR &&
               g->status != GZ_WRITE_ERROR) {
        result_error(t->res, "%s%s%s", t->path,
                     gzr_message_joins_name(g) ? " " : ": ",
                     gzr_message(g, buf, sizeof buf));
        if (g->status == GZ_BAD_CRC_AND_LENGTH)
            result_error(t->res, "%s: invalid compressed data--length error",
                         t->path);
    } else if (g->trailing == GZ_TRAILING_GARBAGE) {
        result_warning(t->res, o->quiet,
                       "%s: decompression OK, trailing garbage ignored", t->path);
    } else if (g->trailing == GZ_TRAILING_ZEROS && o->verbose) {
        result_warning(t->res, o->quiet,
                       "%s: decompression OK, trailing zero bytes ignored",
                       t->path);
    }
}

/* gzip's -l time: the stored MTIME with -N, unless it is 0 ("none");
   otherwise the time of the file itself (of a regular file). */
static int64_t listing_time(const struct task *t, const struct gz_result *g)
{
    if (t->opts->restore_name && g->mtime != 0)
        return g->mtime;
    return S_ISREG(t->st.st_mode) ? (int64_t)t->st.st_mtim.tv_sec : 0;
}

void decompress_record_listing(struct task *t, const struct gz_result *g)
{
    struct listing *l = xcalloc(1, sizeof *l);
    l->compressed = g->bytes_in;
    l->uncompressed = g->bytes_out;
    l->overhead = g->overhead;
    l->crc = g->crc;
    l->crc_known = g->format == GZ_FORMAT_GZIP;   /* gzip: ~0 otherwise */
    l->method = formats_method_name(g->format, g->zip_method);
    l->mtime = listing_time(t, g);
    /* -lN names standard input's data after its stored name too. */
    char *name = output_name(t, g);
    l->name = name ? name : xstrdup(t->is_stdin ? "stdout" : t->path);
    t->res->listing = l;
}

/* Where the data goes: a new file, stdout, or nowhere (-t, -l). */
static bool prepare_output(struct task *t, const struct gz_result *g,
                           gz_sink_fn *sink, void **ctx)
{
    const struct options *o = t->opts;
    *sink = NULL;
    *ctx = NULL;
    if (o->mode == MODE_TEST || o->mode == MODE_LIST)
        return true;
    if (!o->to_stdout && !t->is_stdin) {
        if (o->restore_name && g->mtime != 0)
            t->restore_mtime = g->mtime;
        if (!task_create_output(t, output_name(t, g)))
            return false;
    }
    *sink = task_sink(t, ctx);
    return true;
}

void decompress_setup_reader(struct decoding *c, const struct task *t)
{
    const struct options *o = t->opts;
    /* gzip reads the stored name only where it uses it (-N, but not to
       stdout nor with -t), into a buffer holding the output's directory
       prefix. */
    bool name_used = o->restore_name &&
                     (o->mode == MODE_LIST ||
                      (o->mode == MODE_DECOMPRESS && !o->to_stdout && !t->is_stdin));
    gzr_keep_name(c->gzr, name_used,
                  names_stored_max(t->is_stdin ? 0 : t->name_offset));
    bool force = o->force && gzip_to_stdout(t);
    gzr_force(c->gzr, force, force && o->mode != MODE_LIST);
}

static void decode(struct decoding *c, struct task *t,
                   const unsigned char *preread, size_t preread_len)
{
    struct gz_result g;
    struct member_summary m = {0};
    decompress_setup_reader(c, t);
    gzr_preread(c->gzr, preread, preread_len);
    if (!gzr_open(c->gzr, t->in, &g)) {
        if (g.status == GZ_READ_ERROR) {
            result_errno(t->res, t->path, g.err);
        } else {
            decompress_report(t, &g);
        }
        gzr_result_free(&g);
        return;
    }
    gz_sink_fn sink;
    void *ctx;
    if (prepare_output(t, &g, &sink, &ctx)) {
        gzr_run(c->gzr, sink, ctx);
        decompress_report(t, &g);
        if ((g.status == GZ_OK && !more_entries_refused(t, &g)) ||
            g.status == GZ_READ_ERROR || g.status == GZ_WRITE_ERROR) {
            m.read_err = g.status == GZ_READ_ERROR ? g.err : 0;
            m.write_err = g.status == GZ_WRITE_ERROR ? g.err : 0;
            m.bytes_in = g.bytes_in;
            m.bytes_out = g.bytes_out;
            m.deflate_bytes = g.bytes_in - g.overhead;
            if (t->opts->mode == MODE_LIST && g.status == GZ_OK)
                decompress_record_listing(t, &g);
            task_finish(t, &m);
        }
    }
    gzr_result_free(&g);
}

/* gzip -d needs a compressed suffix to name the output; without one, the
   file is skipped (quietly under -r unless -v). */
static bool has_output_name(struct task *t)
{
    const struct options *o = t->opts;
    if (o->mode != MODE_DECOMPRESS || o->to_stdout || t->is_stdin ||
        compressed_suffix(t->path, o->suffix) != NULL)
        return true;
    if (o->verbose || (!o->recursive && !o->quiet))
        result_warning(t->res, false, "%s: unknown suffix -- ignored", t->path);
    else    /* silent, as gzip -r is; the report still says why */
        result_note(t->res, "%s: unknown suffix -- ignored", t->path);
    return false;
}

struct result *decompress_file(struct decoding *c, struct job *job)
{
    const struct options *o = c->opts;
    struct task t;
    bool opened;
    if (job->is_stdin) {
        opened = task_open_stdin(&t, o, c->stdout_order, job->index);
    } else {
        char *found = find_compressed(&job->loc, o->suffix);
        opened = task_open_file(&t, o, c->stdout_order, job, found);
        free(found);
    }
    if (opened && has_output_name(&t))
        decode(c, &t, NULL, 0);
    return task_close(&t);
}

struct result *decompress_task(struct decoding *c, struct task *t,
                               const unsigned char *preread, size_t len)
{
    if (has_output_name(t))
        decode(c, t, preread, len);
    return task_close(t);
}
