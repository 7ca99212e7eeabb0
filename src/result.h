/* result.h -- what the workers send back to main for each file: its
   status, its messages (already worded as gzip words them), its names,
   sizes and times for the report, and the -l listing line.  Built with
   the result_* functions, which word the lines; thread-safety: a result
   belongs to one thread at a time (the one that holds it). */
#ifndef PGZ_RESULT_H
#define PGZ_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit statuses as GNU gzip: 0, 1 for any error, 2 for warnings only. */
enum status {
    STATUS_OK = 0,
    STATUS_ERROR = 1,
    STATUS_WARNING = 2
};

/* -l: what one line of gzip's listing shows. */
struct listing {
    uint64_t compressed;      /* bytes of the file */
    uint64_t uncompressed;    /* bytes of data, all members decoded */
    uint64_t overhead;        /* bytes of gzip headers and trailers */
    uint32_t crc;             /* the last member's CRC-32 */
    bool crc_known;           /* false for the formats without one */
    const char *method;       /* gzip -lv's method column ("defla") */
    int64_t mtime;            /* the time to show (gzip's rule: see
                                 decompress.c) */
    char *name;               /* the uncompressed name */
};

struct result {
    size_t index;         /* the job's index */
    enum status status;
    char *log;            /* lines for stderr, already worded; or NULL */
    size_t log_len;
    char *input;          /* the input's name ("-" for stdin), or NULL */
    char *output;         /* the output's final name, "-" for stdout, or
                             NULL when nothing was written (errors, -t, -l) */
    char *message;        /* the first error or warning (even under -q) or
                             note, without the "PROG: " prefix; or NULL */
    double seconds;       /* from opening the input to the result */
    uint64_t bytes_in;    /* bytes read (uncompressed when compressing) */
    uint64_t bytes_out;   /* bytes written (or decoded, for -t and -l) */
    struct listing *listing;  /* -l only, or NULL */
    bool gone;            /* nothing to say: a file a -r walk found again
                             after an operand named it, and the earlier
                             visit removed (file_loc.seen_before) */
};

/* A new, empty (STATUS_OK, no log) result for job `index`. */
struct result *result_new(size_t index);
void result_free(struct result *res);

/* The worse of two statuses: an error outranks a warning. */
enum status status_worse(enum status a, enum status b);

/* Append a line "PROG: " + printf(fmt) + "\n" and raise the status to
   STATUS_ERROR. */
void result_error(struct result *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The common error line "PROG: PATH: strerror(err)". */
void result_errno(struct result *res, const char *path, int err);

/* Raise the status to STATUS_WARNING and, unless `quiet`, append
   "PROG: " + printf(fmt) + "\n" (gzip's -q hides warnings but they still
   set the exit status). */
void result_warning(struct result *res, bool quiet, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Record why a file was left alone without a warning (gzip's "already has
   .gz suffix -- unchanged"), for --report: sets the message if none is set
   yet, prints nothing, leaves the status. */
void result_note(struct result *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Set `*field` (input or output) to a copy of `name`, replacing any. */
void result_set_name(char **field, const char *name);

/* Append printf(fmt) as it is: -v lines and other information that does
   not change the status. */
void result_info(struct result *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
