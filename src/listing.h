/* listing.h -- gzip's -l table, printed by main in argument order.

       compressed        uncompressed  ratio uncompressed_name
              28                   6 -33.3% a

   With -v, the method, CRC-32 and time stamp come first.  After several
   files, a totals line.  Sizes come from decoding every member (see
   decompress.h), so unlike gzip and pigz, which trust the last trailer,
   the uncompressed size is right for multi-member files and files of
   4 GiB and more. */
#ifndef PGZ_LISTING_H
#define PGZ_LISTING_H

#include "job.h"

#include <stdbool.h>
#include <stdio.h>

struct list_totals {
    bool header_done;
    unsigned files;
    uint64_t compressed, uncompressed, overhead;
};

/* Print one file's line (and the column titles before the first one,
   unless `quiet`), and add it to the totals. */
void listing_print(FILE *out, const struct listing *l, int verbose, bool quiet,
                   struct list_totals *totals);

/* Print the totals line if more than one file was listed. */
void listing_totals(FILE *out, int verbose, bool quiet,
                    const struct list_totals *totals);

#endif
