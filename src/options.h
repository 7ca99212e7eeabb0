/* options.h -- what the command line asked for.

   cli.c fills one `struct options` from argv; every other module only reads
   it.  Meanings follow GNU gzip wherever gzip has the option. */
#ifndef PGZ_OPTIONS_H
#define PGZ_OPTIONS_H

#include "engine.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define PGZ_MAX_JOBS 1024   /* upper bound for -j, a sanity limit */
#define PGZ_DEFAULT_BLOCK_KIB 128   /* zlib's; see engine_default_block_size() */
#define PGZ_MIN_BLOCK_KIB 32        /* a block must hold a whole dictionary */
#define PGZ_MAX_BLOCK_KIB 65536     /* a few such blocks are in memory
                                       (budget.h) */

enum mode {
    MODE_COMPRESS,
    MODE_DECOMPRESS,      /* -d, or invoked as pgunzip/pgzcat */
    MODE_TEST,            /* -t: decompress, check, write nothing */
    MODE_LIST             /* -l: print sizes and names */
};

enum progress_mode {
    PROGRESS_AUTO,      /* on a terminal only (the default) */
    PROGRESS_ALWAYS,    /* --progress */
    PROGRESS_NEVER      /* --no-progress, -q */
};

/* --files-from=FILE (names end at a newline) and --files0-from=FILE (at a
   NUL, as `find -print0` writes them); "-" is standard input. */
struct file_list {
    const char *path;
    char delimiter;
};

struct report;      /* report.h */

struct options {
    enum mode mode;
    int level;            /* 1..9 (-1 .. -9, --fast, --best), 10..12 with
                             libdeflate; default 6 */
    enum engine_id engine;    /* --engine; default engine_default() */
    bool to_stdout;       /* -c: write to stdout, keep inputs */
    bool keep;            /* -k: keep (do not delete) inputs */
    bool force;           /* -f: overwrite outputs, follow links, tty output */
    bool recursive;       /* -r: descend into directories */
    bool save_name;       /* -N (default) / -n: store name and mtime */
    bool restore_name;    /* -N (not the default) / -n: when decompressing,
                             name the output and set its mtime from the
                             header */
    int verbose;          /* -v count; 0 normally */
    bool quiet;           /* -q: suppress warnings */
    const char *suffix;   /* -S: output suffix, default ".gz" */
    long jobs;            /* -j/-p: worker threads (>= 1) */
    size_t block_size;    /* -b (given in KiB): bytes per block of a big
                             file; default engine_default_block_size() */
    bool independent;     /* -i: blocks not primed with the data before them */
    bool rsyncable;       /* --rsyncable: blocks cut where the content says
                             (chunker.h); block_size is then the largest */
    bool synchronous;     /* --synchronous: outputs on disk before inputs go */
    enum progress_mode progress;  /* --progress, --no-progress, -q */
    const char *report;   /* --report=FILE: JSON Lines, "-" stdout; or NULL */
    struct report *report_out;  /* main sets it once the report is open:
                             jobs show it every input they read */
    char **files;         /* operands; "-" means stdin */
    int nfiles;           /* with no list either, 0 means stdin */
    struct file_list *lists;  /* more operands, read after `files` */
    int nlists;
};

#endif
