/* cli.c -- see cli.h.  Parsing only: nothing here touches a file. */
#include "cli.h"
#include "util.h"
#include "version.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* gzip rejects suffixes longer than this; so do we. */
#define MAX_SUFFIX 30

enum { OPT_SYNCHRONOUS = 256 };    /* long options without a short one */

static const char short_options[] = "123456789b:cdfhij:klLnNp:qrS:tvV";

static const struct option long_options[] = {
    {"blocksize",  required_argument, NULL, 'b'},
    {"independent", no_argument,      NULL, 'i'},
    {"decompress", no_argument,       NULL, 'd'},
    {"uncompress", no_argument,       NULL, 'd'},
    {"list",       no_argument,       NULL, 'l'},
    {"test",       no_argument,       NULL, 't'},
    {"stdout",     no_argument,       NULL, 'c'},
    {"to-stdout",  no_argument,       NULL, 'c'},
    {"force",      no_argument,       NULL, 'f'},
    {"help",       no_argument,       NULL, 'h'},
    {"jobs",       required_argument, NULL, 'j'},
    {"keep",       no_argument,       NULL, 'k'},
    {"license",    no_argument,       NULL, 'L'},
    {"no-name",    no_argument,       NULL, 'n'},
    {"name",       no_argument,       NULL, 'N'},
    {"processes",  required_argument, NULL, 'p'},
    {"quiet",      no_argument,       NULL, 'q'},
    {"silent",     no_argument,       NULL, 'q'},
    {"recursive",  no_argument,       NULL, 'r'},
    {"suffix",     required_argument, NULL, 'S'},
    {"synchronous", no_argument,      NULL, OPT_SYNCHRONOUS},
    {"verbose",    no_argument,       NULL, 'v'},
    {"version",    no_argument,       NULL, 'V'},
    {"fast",       no_argument,       NULL, '1'},
    {"best",       no_argument,       NULL, '9'},
    {NULL, 0, NULL, 0}
};

static void print_help(FILE *out)
{
    fprintf(out,
"Usage: %s [OPTION]... [FILE]...\n"
"Compress or uncompress FILEs in parallel (by default, in-place), in gzip\n"
"format.\n"
"\n"
"Mandatory arguments to long options are mandatory for short options too.\n"
"\n"
"  -b, --blocksize=K cut files larger than K KiB into blocks of K KiB that\n"
"                    all workers compress at once (default %d, %d..%d)\n"
"  -c, --stdout      write on standard output, keep original files unchanged\n"
"  -d, --decompress  decompress\n"
"  -f, --force       force overwrite of output file and compress links\n"
"  -h, --help        give this help\n"
"  -i, --independent compress blocks independently (for damage recovery)\n"
"  -j, --jobs=N      use N worker threads (default: the CPUs available)\n"
"  -k, --keep        keep (don't delete) input files\n"
"  -l, --list        list compressed file contents\n"
"  -L, --license     display software license\n"
"  -n, --no-name     do not save or restore the original name and timestamp\n"
"  -N, --name        save or restore the original name and timestamp\n"
"                    (saving is the default when compressing)\n"
"  -p, --processes=N same as --jobs=N\n"
"  -q, --quiet       suppress all warnings\n"
"  -r, --recursive   operate recursively on directories\n"
"  -S, --suffix=SUF  use suffix SUF on compressed files (default .gz)\n"
"      --synchronous synchronous output (safer if system crashes, but slower)\n"
"  -t, --test        test compressed file integrity\n"
"  -v, --verbose     verbose mode\n"
"  -V, --version     display version number\n"
"  -1, --fast        compress faster\n"
"  -9, --best        compress better\n"
"\n"
"With no FILE, or when FILE is -, read standard input.\n"
"Files are compressed at the same time, one per worker thread; messages\n"
"come in the order of the arguments whatever order the files finish in.\n"
"\n"
"Exit status: 0 if all went well, 1 if an error occurred, 2 if there were\n"
"warnings only.\n", program_name, PGZ_DEFAULT_BLOCK_KIB, PGZ_MIN_BLOCK_KIB,
            PGZ_MAX_BLOCK_KIB);
}

static void print_version(FILE *out)
{
    fprintf(out,
"%s (pgz) %s\n"
"Copyright (C) 2026 the pgz authors.\n"
"License MIT: <https://opensource.org/licenses/MIT>.\n"
"This is free software: you are free to change and redistribute it.\n"
"There is NO WARRANTY, to the extent permitted by law.\n",
            program_name, PGZ_VERSION);
}

static void print_license(FILE *out)
{
    fprintf(out,
"%s (pgz) %s\n"
"Copyright (C) 2026 the pgz authors.\n"
"\n"
"Permission is hereby granted, free of charge, to any person obtaining a copy\n"
"of this software and associated documentation files (the \"Software\"), to\n"
"deal in the Software without restriction, including without limitation the\n"
"rights to use, copy, modify, merge, publish, distribute, sublicense, and/or\n"
"sell copies of the Software, and to permit persons to whom the Software is\n"
"furnished to do so, subject to the conditions in the file COPYING.\n"
"\n"
"THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND.\n",
            program_name, PGZ_VERSION);
}

static void usage_hint(void)
{
    fprintf(stderr, "Try `%s --help' for more information.\n", program_name);
}

/* Parse a whole decimal number in min..max (the -j and -b arguments). */
static bool parse_number(const char *text, long min, long max, long *value)
{
    char *end;
    errno = 0;
    long n = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || n < min || n > max)
        return false;
    *value = n;
    return true;
}

/* Invoked as pgunzip or pgzcat, pgz decompresses (to stdout, for
   pgzcat), as gunzip and zcat are gzip. */
static void set_defaults(struct options *opts, long default_jobs)
{
    memset(opts, 0, sizeof *opts);
    if (strcmp(program_name, "pgunzip") == 0)
        opts->mode = MODE_DECOMPRESS;
    if (strcmp(program_name, "pgzcat") == 0) {
        opts->mode = MODE_DECOMPRESS;
        opts->to_stdout = true;
    }
    opts->level = 6;
    opts->save_name = true;
    opts->suffix = ".gz";
    opts->jobs = default_jobs > 0 ? default_jobs : 1;
    opts->block_size = (size_t)PGZ_DEFAULT_BLOCK_KIB * 1024;
}

/* Apply one parsed option.  Returns CLI_RUN to go on. */
static enum cli_outcome apply_option(int c, struct options *opts, FILE *out)
{
    switch (c) {
    case '1': case '2': case '3': case '4': case '5':
    case '6': case '7': case '8': case '9':
        opts->level = c - '0';
        break;
    case 'c': opts->to_stdout = true; break;
    case 'f': opts->force = true; break;
    case 'k': opts->keep = true; break;
    case 'd': if (opts->mode == MODE_COMPRESS) opts->mode = MODE_DECOMPRESS; break;
    case 't': if (opts->mode != MODE_LIST) opts->mode = MODE_TEST; break;
    case 'l': opts->mode = MODE_LIST; break;
    case 'n': opts->save_name = opts->restore_name = false; break;
    case 'N': opts->save_name = opts->restore_name = true; break;
    case 'q': opts->quiet = true; opts->verbose = 0; break;
    case 'r': opts->recursive = true; break;
    case 'S': opts->suffix = optarg; break;
    case 'v': opts->verbose++; opts->quiet = false; break;
    case 'i': opts->independent = true; break;
    case OPT_SYNCHRONOUS: opts->synchronous = true; break;
    case 'j': case 'p':
        if (!parse_number(optarg, 1, PGZ_MAX_JOBS, &opts->jobs)) {
            fprintf(stderr, "%s: invalid number of jobs: '%s' (1 to %d)\n",
                    program_name, optarg, PGZ_MAX_JOBS);
            usage_hint();
            return CLI_EXIT_ERROR;
        }
        break;
    case 'b': {
        long kib;
        if (!parse_number(optarg, PGZ_MIN_BLOCK_KIB, PGZ_MAX_BLOCK_KIB, &kib)) {
            fprintf(stderr, "%s: invalid block size: '%s' (%d to %d KiB)\n",
                    program_name, optarg, PGZ_MIN_BLOCK_KIB, PGZ_MAX_BLOCK_KIB);
            usage_hint();
            return CLI_EXIT_ERROR;
        }
        opts->block_size = (size_t)kib * 1024;
        break;
    }
    case 'h': print_help(out); return CLI_EXIT_OK;
    case 'V': print_version(out); return CLI_EXIT_OK;
    case 'L': print_license(out); return CLI_EXIT_OK;
    default:  /* '?': getopt has printed what was wrong */
        usage_hint();
        return CLI_EXIT_ERROR;
    }
    return CLI_RUN;
}

/* gzip refuses an empty or over-long suffix; a '/' would make the output
   land in another directory, so it is refused too. */
static bool suffix_is_valid(const char *suffix)
{
    size_t len = strlen(suffix);
    return len > 0 && len <= MAX_SUFFIX && strchr(suffix, '/') == NULL;
}

enum cli_outcome cli_parse(int argc, char **argv, long default_jobs,
                           struct options *opts, FILE *out)
{
    set_defaults(opts, default_jobs);

    /* getopt prefixes its messages with argv[0]; gzip uses the base name.
       Lend getopt the base name for the duration of the parse. */
    char *argv0 = argv[0];
    argv[0] = (char *)program_name;
    optind = 0;             /* GNU: full re-initialisation, for tests */
    opterr = 1;

    enum cli_outcome outcome = CLI_RUN;
    int c;
    while (outcome == CLI_RUN &&
           (c = getopt_long(argc, argv, short_options, long_options, NULL)) != -1)
        outcome = apply_option(c, opts, out);
    argv[0] = argv0;
    if (outcome != CLI_RUN)
        return outcome;

    if (!suffix_is_valid(opts->suffix)) {
        fprintf(stderr, "%s: invalid suffix '%s'\n", program_name, opts->suffix);
        return CLI_EXIT_ERROR;
    }
    opts->files = argv + optind;
    opts->nfiles = argc - optind;
    return CLI_RUN;
}
