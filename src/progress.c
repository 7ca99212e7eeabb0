/* progress.c -- see progress.h. */
#include "progress.h"
#include "units.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define FIRST_DRAW_S 1.0        /* "a run that lasts longer than a second" */
#define TERMINAL_TICK_S 0.25    /* redraws on a terminal */
#define LOG_TICK_S 1.0          /* lines when forced onto a non-terminal */
#define BAR_WIDTH 20
#define LINE_MAX_BYTES 512

#define ERASE "\r\033[K"        /* to the start of the line, clear to its end */

struct progress {
    FILE *stream;
    bool terminal;              /* redraw in place; else one line per tick */
    pthread_mutex_t lock;       /* everything below, and writes to stream */
    pthread_cond_t wake;        /* progress_stop() -> the ticker */
    pthread_t ticker;
    bool stopping;
    bool drawn;                 /* the line is on the terminal now */
    struct timespec started;
    uint64_t files_planned, bytes_planned;
    uint64_t files_done, bytes_done;
    bool planning_done;
    uint64_t expected_files;    /* known from the start, or 0 */
    bool size_unknown;          /* some input (a pipe) has no known size */
    char *first_name;           /* the first file, for a single file's bar */
};

/* The line on the screen now, for progress_erase_on_signal(); guarded by
   active_lock, which progress_stop() takes before it frees the line. */
static pthread_mutex_t active_lock = PTHREAD_MUTEX_INITIALIZER;
static struct progress *active;

/* ---- the text ----------------------------------------------------------------- */

/* Columns of the terminal, so the line never wraps (a wrapped line could
   not be erased with one carriage return). */
static size_t terminal_width(FILE *stream)
{
    struct winsize ws;
    if (ioctl(fileno(stream), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 80;
}

/* Append printf(fmt) to line (of LINE_MAX_BYTES), at *len. */
__attribute__((format(printf, 3, 4)))
static void add(char *line, size_t *len, const char *fmt, ...)
{
    if (*len >= LINE_MAX_BYTES - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line + *len, LINE_MAX_BYTES - *len, fmt, ap);
    va_end(ap);
    if (n > 0)
        *len += (size_t)n < LINE_MAX_BYTES - *len ? (size_t)n
                                                  : LINE_MAX_BYTES - 1 - *len;
}

/* The line for the current counters (the lock held). */
static size_t compose(const struct progress *p, char *line)
{
    char a[UNITS_BUF], b[UNITS_BUF];
    size_t len = 0;
    double elapsed = seconds_between(p->started, monotonic_now());
    double rate = elapsed > 0 ? (double)p->bytes_done / elapsed : 0;
    bool all_planned = p->planning_done ||
                       (p->expected_files > 0 &&
                        p->files_planned >= p->expected_files);
    bool totals_known = all_planned && !p->size_unknown;
    const char *more = all_planned ? "" : "+";
    double share = p->bytes_planned > 0
                       ? (double)p->bytes_done / (double)p->bytes_planned : 0;
    if (share > 1)
        share = 1;      /* a file that grew while it was read */

    add(line, &len, "%s progress: ", program_name);
    bool single = all_planned && p->files_planned == 1;
    if (single && totals_known) {
        int filled = (int)(share * BAR_WIDTH);
        add(line, &len, "[");
        for (int i = 0; i < BAR_WIDTH; i++)
            add(line, &len, "%c", i < filled ? '=' : i == filled ? '>' : ' ');
        add(line, &len, "] ");
    } else if (!single) {
        /* Operands without -r: the count is known before they are planned. */
        bool count_known = p->planning_done || p->expected_files > 0;
        uint64_t files = p->expected_files > p->files_planned
                             ? p->expected_files : p->files_planned;
        add(line, &len, "%s/", format_count(a, p->files_done));
        add(line, &len, "%s%s files  ", format_count(b, files),
            count_known ? "" : "+");
    }
    if (totals_known)
        add(line, &len, "%3d%%  ", (int)(share * 100));
    add(line, &len, "%s", format_bytes(a, p->bytes_done));
    if (!p->size_unknown)
        add(line, &len, "/%s%s", format_bytes(b, p->bytes_planned), more);
    add(line, &len, "  %s/s", format_bytes(a, (uint64_t)rate));
    if (totals_known && rate > 0)
        add(line, &len, "  ETA %s",
            format_clock(a, (double)(p->bytes_planned - (p->bytes_done <
                         p->bytes_planned ? p->bytes_done : p->bytes_planned)) /
                         rate));
    if (single && p->first_name != NULL)
        add(line, &len, "  %s", p->first_name);
    return len;
}

/* Draw or print the line (the lock held).  Write errors on stderr are
   ignored here as everywhere: there is nowhere left to report them. */
static void show(struct progress *p)
{
    char line[LINE_MAX_BYTES];
    size_t len = compose(p, line);
    if (p->terminal) {
        size_t width = terminal_width(p->stream);
        if (width < 2)
            return;             /* no room for a line that does not wrap */
        if (len > width - 1)
            len = width - 1;    /* the cursor needs the last column */
        fputs("\r", p->stream);
        fwrite(line, 1, len, p->stream);
        fputs("\033[K", p->stream);
        p->drawn = true;
    } else {
        fwrite(line, 1, len, p->stream);
        fputs("\n", p->stream);
    }
    fflush(p->stream);
}

static void erase(struct progress *p)
{
    if (!p->drawn)
        return;
    fputs(ERASE, p->stream);
    fflush(p->stream);
    p->drawn = false;
}

/* ---- the ticker --------------------------------------------------------------- */

static struct timespec after(struct timespec t, double seconds)
{
    long ns = (long)(seconds * 1e9);
    t.tv_sec += ns / 1000000000L;
    t.tv_nsec += ns % 1000000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

static void *tick(void *arg)
{
    struct progress *p = arg;
    double interval = p->terminal ? TERMINAL_TICK_S : LOG_TICK_S;
    struct timespec next = after(p->started, FIRST_DRAW_S);
    mutex_lock(&p->lock);
    while (!p->stopping) {
        int rc = pthread_cond_timedwait(&p->wake, &p->lock, &next);
        if (rc != 0 && rc != ETIMEDOUT)
            panic("pthread_cond_timedwait: %s", strerror(rc));
        if (p->stopping)
            break;
        struct timespec now = monotonic_now();
        if (seconds_between(next, now) < 0)
            continue;       /* woken early: not time yet */
        show(p);
        next = after(now, interval);
    }
    mutex_unlock(&p->lock);
    return NULL;
}

/* ---- the interface ------------------------------------------------------------- */

progress_t *progress_start(enum progress_mode mode, FILE *stream,
                           bool stream_is_terminal, uint64_t expected_files)
{
    if (mode == PROGRESS_NEVER || (mode == PROGRESS_AUTO && !stream_is_terminal))
        return NULL;
    struct progress *p = xcalloc(1, sizeof *p);
    p->stream = stream;
    p->terminal = stream_is_terminal;
    p->expected_files = expected_files;
    p->started = monotonic_now();
    mutex_init(&p->lock);
    pthread_condattr_t attr;
    if (pthread_condattr_init(&attr) != 0 ||
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) != 0 ||
        pthread_cond_init(&p->wake, &attr) != 0)
        panic("cannot make a monotonic condition variable");
    pthread_condattr_destroy(&attr);
    int rc = pthread_create(&p->ticker, NULL, tick, p);
    if (rc != 0)
        panic("pthread_create: %s", strerror(rc));
    mutex_lock(&active_lock);
    active = p;
    mutex_unlock(&active_lock);
    return p;
}

void progress_planned(progress_t *p, const char *name, uint64_t bytes,
                      bool known)
{
    if (p == NULL)
        return;
    mutex_lock(&p->lock);
    if (p->files_planned++ == 0) {
        /* Shown on a terminal: no control character may reach it. */
        p->first_name = xstrdup(name);
        for (char *c = p->first_name; *c != '\0'; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f)
                *c = '?';
    }
    p->bytes_planned += bytes;
    if (!known)
        p->size_unknown = true;
    mutex_unlock(&p->lock);
}

void progress_planning_done(progress_t *p)
{
    if (p == NULL)
        return;
    mutex_lock(&p->lock);
    p->planning_done = true;
    mutex_unlock(&p->lock);
}

void progress_advance(progress_t *p, uint64_t bytes)
{
    if (p == NULL)
        return;
    mutex_lock(&p->lock);
    p->bytes_done += bytes;
    mutex_unlock(&p->lock);
}

void progress_file_done(progress_t *p)
{
    if (p == NULL)
        return;
    mutex_lock(&p->lock);
    p->files_done++;
    mutex_unlock(&p->lock);
}

void progress_print(progress_t *p, const char *text)
{
    if (p == NULL) {
        fputs(text, stderr);
        return;
    }
    mutex_lock(&p->lock);
    bool was_drawn = p->drawn;
    erase(p);
    fputs(text, p->stream);
    fflush(p->stream);
    if (was_drawn)
        show(p);        /* at once: with -v, lines may come faster than ticks */
    mutex_unlock(&p->lock);
}

void progress_stop(progress_t *p)
{
    if (p == NULL)
        return;
    mutex_lock(&active_lock);
    active = NULL;
    mutex_unlock(&active_lock);
    mutex_lock(&p->lock);
    p->stopping = true;
    cond_signal(&p->wake);
    mutex_unlock(&p->lock);
    int rc = pthread_join(p->ticker, NULL);
    if (rc != 0)
        panic("pthread_join: %s", strerror(rc));
    erase(p);
    pthread_cond_destroy(&p->wake);
    pthread_mutex_destroy(&p->lock);
    free(p->first_name);
    free(p);
}

void progress_erase_on_signal(void)
{
    /* Only try: the lock holder may be stuck writing to a stderr nobody
       reads, and a signal must still end pgz. */
    if (pthread_mutex_trylock(&active_lock) != 0)
        return;
    struct progress *p = active;
    if (p == NULL) {
        mutex_unlock(&active_lock);
        return;
    }
    if (pthread_mutex_trylock(&p->lock) == 0)
        erase(p);
    /* The locks stay held: pgz is about to die of the signal, and the
       ticker must not draw the line again meanwhile. */
}
