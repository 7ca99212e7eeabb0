/* listing.c -- see listing.h. */
#include "listing.h"

#include <inttypes.h>
#include <time.h>

#define WIDTH 19    /* gzip's column width for sizes (a 64-bit off_t) */

/* gzip's ratio for the listing: the share of the data saved. */
static double ratio(uint64_t compressed, uint64_t uncompressed,
                    uint64_t overhead)
{
    if (uncompressed == 0)
        return 0.0;
    double deflate = (double)compressed - (double)overhead;
    return 100.0 * ((double)uncompressed - deflate) / (double)uncompressed;
}

static void header(FILE *out, int verbose, bool quiet, struct list_totals *t)
{
    if (t->header_done)
        return;
    t->header_done = true;
    if (verbose)
        fputs("method  crc     date  time  ", out);
    if (!quiet)
        fprintf(out, "%*s %*s  ratio uncompressed_name\n", WIDTH, "compressed",
                WIDTH, "uncompressed");
}

void listing_print(FILE *out, const struct listing *l, int verbose, bool quiet,
                   struct list_totals *t)
{
    static const char month[][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    header(out, verbose, quiet, t);
    if (verbose) {
        time_t when = (time_t)l->mtime;
        struct tm tm;
        /* gzip prints its unsigned long ~0 for a format without CRC. */
        if (l->crc_known)
            fprintf(out, "%s %08" PRIx32 " ", l->method, l->crc);
        else
            fprintf(out, "%s %lx ", l->method, ~0ul);
        if (localtime_r(&when, &tm) != NULL)
            fprintf(out, "%s%3d %02d:%02d ", month[tm.tm_mon], tm.tm_mday,
                    tm.tm_hour, tm.tm_min);
        else
            fputs("??? ?? ??:?? ", out);
    }
    fprintf(out, "%*" PRIu64 " %*" PRIu64 " %5.1f%% %s\n", WIDTH, l->compressed,
            WIDTH, l->uncompressed,
            ratio(l->compressed, l->uncompressed, l->overhead), l->name);
    t->files++;
    t->compressed += l->compressed;
    t->uncompressed += l->uncompressed;
    t->overhead += l->overhead;
}

void listing_totals(FILE *out, int verbose, bool quiet,
                    const struct list_totals *t)
{
    if (t->files < 2 || (quiet && !verbose))
        return;
    if (verbose)
        fputs("                            ", out);
    fprintf(out, "%*" PRIu64 " %*" PRIu64 " %5.1f%% (totals)\n", WIDTH,
            t->compressed, WIDTH, t->uncompressed,
            ratio(t->compressed, t->uncompressed, t->overhead));
}
