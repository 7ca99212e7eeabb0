/* report.c -- see report.h. */
#include "report.h"
#include "dirref.h"
#include "outfile.h"
#include "signals.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct report {
    FILE *out;
    bool is_stdout;
    int err;            /* the first write error, or 0 */
    int start_err;      /* 0, or stat's errno: */
    struct stat start;  /* the file at the path when the report was opened */
    /* A report written to a temporary (see report.h): */
    char *path;         /* the name it gets at the end, or NULL (in place) */
    dirref_t *dir;      /* its directory, opened once ... */
    const char *name;   /* ... and its name there (in path) */
    struct outfile tmp; /* it, until then */
    atomic_bool input_read;     /* the run read the file at `path` */
};

/* ---- the temporary (outfile.h) ------------------------------------------- */

/* Create the temporary that will be `path`, with the permission bits
   `mode`, and a stream on it. */
static int temp_create(report_t *r, const char *path, mode_t mode)
{
    size_t offset;
    char *dir = dirref_split(path, &r->name, &offset);
    r->dir = dirref_open(dir);
    free(dir);
    if (r->dir == NULL)
        return errno;
    int err = outfile_create(&r->tmp, dirref_fd(r->dir), r->name);
    if (err != 0)
        return err;
    int fd = fchmod(r->tmp.fd, mode) == 0 ? dup(r->tmp.fd) : -1;
    r->out = fd < 0 ? NULL : fdopen(fd, "w");
    if (r->out == NULL) {
        err = errno;
        if (fd >= 0)
            close(fd);
        outfile_abort(&r->tmp);
    }
    return err;
}

/* Give the temporary its name: over the file there when `replace` (the
   one that was there at the start), else only if the name is free. */
static int temp_commit(report_t *r, bool replace)
{
    return outfile_commit(&r->tmp, replace, false);
}

static void temp_discard(report_t *r)
{
    outfile_abort(&r->tmp);
}

/* ---- opening and closing ------------------------------------------------- */

/* The permission bits of a new report: those of the one it replaces, or
   what creating it would give (pgz has no other thread yet that creates
   files while the umask is read). */
static mode_t report_mode(const report_t *r)
{
    if (r->start_err == 0)
        return r->start.st_mode & 0777;
    mode_t mask = umask(0);
    umask(mask);
    return 0666 & ~mask;
}

/* Where a report that replaces the file at `path` goes: `path`, or the
   file a symbolic link there leads to (a link to nothing is ENOENT). */
static char *final_name(const char *path, const report_t *r)
{
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
        return xstrdup(path);
    if (r->start_err != 0) {
        errno = ENOENT;
        return NULL;
    }
    return realpath(path, NULL);
}

report_t *report_open(const char *path)
{
    report_t *r = xcalloc(1, sizeof *r);
    atomic_init(&r->input_read, false);
    r->is_stdout = strcmp(path, "-") == 0;
    if (r->is_stdout) {
        r->out = stdout;
        r->start_err = fstat(STDOUT_FILENO, &r->start) == 0 ? 0 : errno;
        return r;
    }
    r->start_err = stat(path, &r->start) == 0 ? 0 : errno;
    int err = r->start_err == ENOENT ? 0 : r->start_err;
    if (err == 0 && r->start_err == 0 && !S_ISREG(r->start.st_mode)) {
        r->out = fopen(path, "we");         /* a device, a pipe */
        err = r->out != NULL ? 0 : errno;
    } else if (err == 0) {
        r->path = final_name(path, r);
        err = r->path == NULL ? errno : temp_create(r, r->path, report_mode(r));
    }
    if (err != 0) {
        dirref_put(r->dir);
        free(r->path);
        free(r);
        errno = err;
        return NULL;
    }
    return r;
}

int report_stat(report_t *r, struct stat *st)
{
    if (r->start_err != 0) {
        errno = r->start_err;
        return -1;
    }
    *st = r->start;
    return 0;
}

void report_saw_input(report_t *r, const struct stat *st)
{
    if (r->path != NULL && r->start_err == 0 &&
        st->st_dev == r->start.st_dev && st->st_ino == r->start.st_ino)
        atomic_store(&r->input_read, true);
}

/* What the report's name means now, in its directory. */
enum name_now { NAME_FREE, NAME_SAME, NAME_OTHER };

static enum name_now name_now(const report_t *r)
{
    struct stat now;
    if (fstatat(dirref_fd(r->dir), r->name, &now, AT_SYMLINK_NOFOLLOW) != 0)
        return errno == ENOENT ? NAME_FREE : NAME_OTHER;
    return r->start_err == 0 && now.st_dev == r->start.st_dev &&
           now.st_ino == r->start.st_ino ? NAME_SAME : NAME_OTHER;
}

/* Put the written report in place, or say why not.  A free name is taken
   (nothing is replaced: an old report the run compressed and removed
   lives on in its .gz); the file that was there at the start is replaced
   unless the run read it; anything else is left alone. */
static const char *put_in_place(report_t *r)
{
    int err = r->err;
    const char *why = NULL;
    enum name_now now = err == 0 ? name_now(r) : NAME_OTHER;
    if (err == 0 && now == NAME_SAME && atomic_load(&r->input_read))
        why = "an input of this run -- not replaced by the report";
    else if (err == 0 && now == NAME_OTHER)
        why = "changed during the run -- not replaced by the report";
    if (err != 0 || why != NULL)
        temp_discard(r);
    else
        err = temp_commit(r, now == NAME_SAME);
    return why != NULL ? why : err != 0 ? strerror(err) : NULL;
}

const char *report_close(report_t *r)
{
    /* stdout is closed with everything else at exit (main's close_stdout). */
    if (!r->is_stdout && fclose(r->out) != 0 && r->err == 0)
        r->err = errno;
    const char *why = r->path != NULL ? put_in_place(r)
                      : r->err != 0 ? strerror(r->err) : NULL;
    dirref_put(r->dir);
    free(r->path);
    free(r);
    return why;
}

void report_discard(report_t *r)
{
    if (!r->is_stdout)
        fclose(r->out);
    if (r->path != NULL)
        temp_discard(r);
    dirref_put(r->dir);
    free(r->path);
    free(r);
}

/* The length of the valid UTF-8 sequence at s (of n bytes), or 0 if it is
   not one: no overlong forms, no surrogates, nothing above U+10FFFF. */
static size_t utf8_length(const unsigned char *s, size_t n)
{
    if (s[0] < 0x80)
        return 1;
    size_t len;
    unsigned long cp, min;
    if ((s[0] & 0xe0) == 0xc0) { len = 2; cp = s[0] & 0x1f; min = 0x80; }
    else if ((s[0] & 0xf0) == 0xe0) { len = 3; cp = s[0] & 0x0f; min = 0x800; }
    else if ((s[0] & 0xf8) == 0xf0) { len = 4; cp = s[0] & 0x07; min = 0x10000; }
    else return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

/* A JSON string (or null), as report.h describes. */
static void put_string(FILE *out, const char *text)
{
    if (text == NULL) {
        fputs("null", out);
        return;
    }
    const unsigned char *s = (const unsigned char *)text;
    size_t n = strlen(text);
    putc('"', out);
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        size_t len = utf8_length(s + i, n - i);
        if (c == '"' || c == '\\') {
            fprintf(out, "\\%c", c);
        } else if (c == '\n') {
            fputs("\\n", out);
        } else if (c == '\t') {
            fputs("\\t", out);
        } else if (c < 0x20 || c == 0x7f) {
            fprintf(out, "\\u%04x", c);
        } else if (len == 0) {
            fprintf(out, "\\udc%02x", c);   /* a byte that is not UTF-8 */
            len = 1;
        } else {
            fwrite(s + i, 1, len, out);
        }
        i += len ? len : 1;
    }
    putc('"', out);
}

static const char *status_name(enum status s)
{
    switch (s) {
    case STATUS_OK:      return "ok";
    case STATUS_WARNING: return "warning";
    case STATUS_ERROR:   return "error";
    }
    return "error";
}

static const char *mode_name(enum mode m)
{
    switch (m) {
    case MODE_COMPRESS:   return "compress";
    case MODE_DECOMPRESS: return "decompress";
    case MODE_TEST:       return "test";
    case MODE_LIST:       return "list";
    }
    return "compress";
}

/* End a line: flush it out, remembering the first error. */
static void end_line(report_t *r)
{
    putc('\n', r->out);
    if ((fflush(r->out) != 0 || ferror(r->out)) && r->err == 0) {
        r->err = errno != 0 ? errno : EIO;
        if (r->is_stdout && r->err == EPIPE)
            signals_broken_pipe();  /* its reader went away: as for data */
    }
}

void report_file(report_t *r, const struct result *res)
{
    FILE *out = r->out;
    fputs("{\"type\":\"file\",\"input\":", out);
    put_string(out, res->input);
    fputs(",\"output\":", out);
    put_string(out, res->output);
    fprintf(out, ",\"status\":\"%s\",\"message\":", status_name(res->status));
    put_string(out, res->message);
    fprintf(out, ",\"bytes_in\":%llu,\"bytes_out\":%llu,\"seconds\":%.6f}",
            (unsigned long long)res->bytes_in,
            (unsigned long long)res->bytes_out, res->seconds);
    end_line(r);
}

void report_summary(report_t *r, const struct tally *t, enum mode mode,
                    int exit_status)
{
    fprintf(r->out,
            "{\"type\":\"summary\",\"mode\":\"%s\",\"files\":%llu,\"ok\":%llu,"
            "\"warnings\":%llu,\"errors\":%llu,\"bytes_in\":%llu,"
            "\"bytes_out\":%llu,\"seconds\":%.6f,\"exit_status\":%d}",
            mode_name(mode), (unsigned long long)t->files,
            (unsigned long long)(t->files - t->warnings - t->errors),
            (unsigned long long)t->warnings, (unsigned long long)t->errors,
            (unsigned long long)t->bytes_in, (unsigned long long)t->bytes_out,
            tally_seconds(t), exit_status);
    end_line(r);
}

