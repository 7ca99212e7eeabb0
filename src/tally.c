/* tally.c -- see tally.h. */
#include "tally.h"
#include "units.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

void tally_start(struct tally *t)
{
    memset(t, 0, sizeof *t);
    t->started = monotonic_now();
}

void tally_add(struct tally *t, const struct result *res)
{
    t->files++;
    if (res->status == STATUS_ERROR)
        t->errors++;
    else if (res->status == STATUS_WARNING)
        t->warnings++;
    t->bytes_in += res->bytes_in;
    t->bytes_out += res->bytes_out;
}

double tally_seconds(const struct tally *t)
{
    return seconds_between(t->started, monotonic_now());
}

/* " (2 errors, 1 warning)", or "" when all went well. */
static void problems(const struct tally *t, char *buf, size_t size)
{
    char e[UNITS_BUF], w[UNITS_BUF];
    if (t->errors && t->warnings)
        snprintf(buf, size, " (%s error%s, %s warning%s)",
                 format_count(e, t->errors), t->errors == 1 ? "" : "s",
                 format_count(w, t->warnings), t->warnings == 1 ? "" : "s");
    else if (t->errors)
        snprintf(buf, size, " (%s error%s)", format_count(e, t->errors),
                 t->errors == 1 ? "" : "s");
    else if (t->warnings)
        snprintf(buf, size, " (%s warning%s)", format_count(w, t->warnings),
                 t->warnings == 1 ? "" : "s");
    else
        buf[0] = '\0';
}

void tally_summary(const struct tally *t, char *buf, size_t size)
{
    char files[UNITS_BUF], in[UNITS_BUF], out[UNITS_BUF], speed[UNITS_BUF];
    char trouble[4 * UNITS_BUF];
    double seconds = tally_seconds(t);
    double share = t->bytes_in ? 100.0 * (double)t->bytes_out /
                                 (double)t->bytes_in : 0.0;
    double rate = seconds > 0 ? (double)t->bytes_in / seconds : 0.0;
    problems(t, trouble, sizeof trouble);
    snprintf(buf, size, "%s: %s file%s%s, %s -> %s (%.1f%%), %.2f s, %s/s\n",
             program_name, format_count(files, t->files),
             t->files == 1 ? "" : "s", trouble, format_bytes(in, t->bytes_in),
             format_bytes(out, t->bytes_out), share, seconds,
             format_bytes(speed, (uint64_t)rate));
}
