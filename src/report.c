/* report.c -- see report.h. */
#include "report.h"
#include "signals.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct report {
    FILE *out;
    bool is_stdout;
    int err;            /* the first write error, or 0 */
};

report_t *report_open(const char *path)
{
    bool is_stdout = strcmp(path, "-") == 0;
    FILE *out = is_stdout ? stdout : fopen(path, "we");
    if (out == NULL)
        return NULL;
    report_t *r = xcalloc(1, sizeof *r);
    r->out = out;
    r->is_stdout = is_stdout;
    return r;
}

int report_stat(report_t *r, struct stat *st)
{
    return fstat(fileno(r->out), st);
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

int report_close(report_t *r)
{
    int err = r->err;
    /* stdout is closed with everything else at exit (main's close_stdout). */
    if (!r->is_stdout && fclose(r->out) != 0 && err == 0)
        err = errno;
    free(r);
    return err;
}
