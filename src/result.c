/* result.c -- see result.h. */
#include "result.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct result *result_new(size_t index)
{
    struct result *res = xcalloc(1, sizeof *res);
    res->index = index;
    return res;
}

void result_free(struct result *res)
{
    if (res == NULL)
        return;
    free(res->log);
    free(res->input);
    free(res->output);
    free(res->message);
    if (res->listing != NULL)
        free(res->listing->name);
    free(res->listing);
    free(res);
}

enum status status_worse(enum status a, enum status b)
{
    if (a == STATUS_ERROR || b == STATUS_ERROR)
        return STATUS_ERROR;
    if (a == STATUS_WARNING || b == STATUS_WARNING)
        return STATUS_WARNING;
    return STATUS_OK;
}

/* Append `prefix` (may be NULL) and the formatted text to the log. */
__attribute__((format(printf, 3, 0)))
static void append(struct result *res, const char *prefix, const char *fmt,
                   va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int body = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (body < 0)
        panic("vsnprintf failed for \"%s\"", fmt);
    size_t plen = prefix ? strlen(prefix) : 0;
    size_t need = res->log_len + plen + (size_t)body + 1;
    res->log = xrealloc(res->log, need);
    memcpy(res->log + res->log_len, prefix ? prefix : "", plen);
    vsnprintf(res->log + res->log_len + plen, (size_t)body + 1, fmt, ap);
    res->log_len = need - 1;
}

/* Keep the first message of a result, for --report. */
__attribute__((format(printf, 2, 0)))
static void keep_message(struct result *res, const char *fmt, va_list ap)
{
    if (res->message != NULL)
        return;
    if (vasprintf(&res->message, fmt, ap) < 0)
        xalloc_die();
}

/* Append one message line: "PROG: " + the formatted text + "\n". */
__attribute__((format(printf, 2, 0)))
static void append_line(struct result *res, const char *fmt, va_list ap)
{
    char prefix[256];
    snprintf(prefix, sizeof prefix, "%s: ", program_name);
    append(res, prefix, fmt, ap);
    result_info(res, "\n");
}

/* The message and the log line of an error or a warning. */
__attribute__((format(printf, 3, 0)))
static void record(struct result *res, bool print, const char *fmt,
                   va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    keep_message(res, fmt, copy);
    va_end(copy);
    if (print)
        append_line(res, fmt, ap);
}

void result_error(struct result *res, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    record(res, true, fmt, ap);
    va_end(ap);
    res->status = STATUS_ERROR;
}

void result_errno(struct result *res, const char *path, int err)
{
    result_error(res, "%s: %s", path, strerror(err));
}

void result_warning(struct result *res, bool quiet, const char *fmt, ...)
{
    res->status = status_worse(res->status, STATUS_WARNING);
    va_list ap;
    va_start(ap, fmt);
    record(res, !quiet, fmt, ap);
    va_end(ap);
}

void result_note(struct result *res, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    keep_message(res, fmt, ap);
    va_end(ap);
}

void result_set_name(char **field, const char *name)
{
    free(*field);
    *field = name != NULL ? xstrdup(name) : NULL;
}

void result_info(struct result *res, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    append(res, NULL, fmt, ap);
    va_end(ap);
}
