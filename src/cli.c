/* cli.c -- see cli.h.  Parsing only: nothing here touches a file. */
#include "cli.h"
#include "chunker.h"
#include "util.h"
#include "version.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* gzip rejects suffixes longer than this; so do we. */
#define MAX_SUFFIX 30

enum {                              /* long options without a short one */
    OPT_SYNCHRONOUS = 256,
    OPT_PROGRESS,
    OPT_NO_PROGRESS,
    OPT_FILES_FROM,
    OPT_FILES0_FROM,
    OPT_REPORT,
    OPT_ENGINE,
    OPT_RSYNCABLE,
    OPT_LEVEL               /* -10, -11, -12, rewritten (see two_digit_levels) */
};

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
    {"progress",   no_argument,       NULL, OPT_PROGRESS},
    {"no-progress", no_argument,      NULL, OPT_NO_PROGRESS},
    {"files-from", required_argument, NULL, OPT_FILES_FROM},
    {"files0-from", required_argument, NULL, OPT_FILES0_FROM},
    {"report",     required_argument, NULL, OPT_REPORT},
    {"engine",     required_argument, NULL, OPT_ENGINE},
    {"rsyncable",  no_argument,       NULL, OPT_RSYNCABLE},
    {"level",      required_argument, NULL, OPT_LEVEL},
    {"verbose",    no_argument,       NULL, 'v'},
    {"version",    no_argument,       NULL, 'V'},
    {"fast",       no_argument,       NULL, '1'},
    {"best",       no_argument,       NULL, '9'},
    {NULL, 0, NULL, 0}
};

/* gzip's options first, in gzip's order and words, so that a gzip user
   finds them where they expect; then what pgz adds, grouped. */
static void print_help(FILE *out)
{
    fprintf(out,
"Usage: %s [OPTION]... [FILE]...\n"
"Compress or uncompress FILEs in parallel (by default, compress FILES\n"
"in-place), in gzip format.\n"
"\n"
"Mandatory arguments to long options are mandatory for short options too.\n"
"\n"
"  -c, --stdout      write on standard output, keep original files unchanged\n"
"  -d, --decompress  decompress\n"
"  -f, --force       force overwrite of output file and compress links\n"
"  -h, --help        give this help\n"
"  -k, --keep        keep (don't delete) input files\n"
"  -l, --list        list compressed file contents\n"
"  -L, --license     display software license\n"
"  -n, --no-name     do not save or restore the original name and timestamp\n"
"  -N, --name        save or restore the original name and timestamp\n"
"  -q, --quiet       suppress all warnings (and the progress line)\n"
"  -r, --recursive   operate recursively on directories\n"
"      --rsyncable   make rsync-friendly archive (cut where the content says,\n"
"                    so a small change in the input is a small change in the\n"
"                    output; not the bytes gzip or pigz write)\n"
"  -S, --suffix=SUF  use suffix SUF on compressed files (default .gz)\n"
"      --synchronous synchronous output (safer if system crashes, but slower)\n"
"  -t, --test        test compressed file integrity\n"
"  -v, --verbose     verbose mode (and, for several files, a summary line)\n"
"  -V, --version     display version number\n"
"  -1, --fast        compress faster\n"
"  -9, --best        compress better\n"
"\n"
"Parallelism:\n"
"  -j, --jobs=N         use N worker threads (default: the CPUs available)\n"
"  -p, --processes=N    same as --jobs=N\n"
"  -b, --blocksize=K    cut files larger than K KiB into blocks of K KiB that\n"
"                       all workers compress at once (%d..%d; default\n"
"                       %d with zlib, %d with libdeflate; with\n"
"                       --rsyncable, the largest block, default %d)\n"
"  -i, --independent    compress blocks independently (for damage recovery)\n"
"\n"
"Engine:\n"
"      --engine=NAME    compress with zlib (one gzip member per file) or\n"
"                       libdeflate (faster; a big file's blocks become\n"
"                       members that carry their length); default: %s\n"
"  -10, -11, -12        libdeflate only: slower, smaller than -9\n"
"\n"
"File lists (for more names than a command line holds):\n"
"      --files-from=LIST   also do the files named in LIST, one per line\n"
"      --files0-from=LIST  also do the files named in LIST, each ended by a\n"
"                          NUL byte, as find -print0 writes them\n"
"                          (LIST - is standard input)\n"
"\n"
"Progress and reports:\n"
"      --progress       show the progress line even when standard error is\n"
"                       not a terminal (then one plain line a second)\n"
"      --no-progress    never show the progress line (shown by default on a\n"
"                       terminal, for runs longer than a second)\n"
"      --report=FILE    write one JSON object per file and a summary, one a\n"
"                       line, to FILE (- for standard output); FILE is\n"
"                       replaced at the end, never if the run read it\n"
"\n"
"With no FILE, or when FILE is -, read standard input.\n"
"Files are compressed at the same time, and big ones in blocks by every\n"
"worker; messages come in the order of the arguments whatever order the\n"
"files finish in.  The GZIP environment variable may hold -1 to -9, --fast,\n"
"--best, --rsyncable and --synchronous; anything else in it is ignored.\n"
"\n"
"Exit status: 0 if all went well, 1 if an error occurred, 2 if there were\n"
"warnings only.\n", program_name, PGZ_MIN_BLOCK_KIB, PGZ_MAX_BLOCK_KIB,
            PGZ_DEFAULT_BLOCK_KIB, ENGINE_LIBDEFLATE_BLOCK / 1024,
            (int)(CHUNKER_RSYNC_MAX / 1024), engine_name(engine_default()));
}

static void print_version(FILE *out)
{
    fprintf(out, "%s (pgz) %s\nEngines:", program_name, PGZ_VERSION);
    for (int i = 0; i < ENGINE_COUNT; i++)
        if (engine_built_in((enum engine_id)i))
            fprintf(out, " %s%s", engine_name((enum engine_id)i),
                    i == (int)engine_default() ? " (default)" : "");
    fprintf(out, "\n"
"Copyright (C) 2026 the pgz authors.\n"
"License MIT: <https://opensource.org/licenses/MIT>.\n"
"This is free software: you are free to change and redistribute it.\n"
"There is NO WARRANTY, to the extent permitted by law.\n");
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
    opts->engine = engine_default();
    opts->block_size = 0;       /* the engine's, once it is known */
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
    case 'q':
        opts->quiet = true;
        opts->verbose = 0;
        opts->progress = PROGRESS_NEVER;
        break;
    case 'r': opts->recursive = true; break;
    case 'S': opts->suffix = optarg; break;
    case 'v': opts->verbose++; opts->quiet = false; break;
    case 'i': opts->independent = true; break;
    case OPT_RSYNCABLE: opts->rsyncable = true; break;
    case OPT_SYNCHRONOUS: opts->synchronous = true; break;
    case OPT_PROGRESS: opts->progress = PROGRESS_ALWAYS; break;
    case OPT_NO_PROGRESS: opts->progress = PROGRESS_NEVER; break;
    case OPT_REPORT: opts->report = optarg; break;
    case OPT_LEVEL: opts->level = atoi(optarg); break;
    case OPT_ENGINE:
        if (!engine_by_name(optarg, &opts->engine)) {
            fprintf(stderr, "%s: invalid engine '%s' (zlib or libdeflate)\n",
                    program_name, optarg);
            usage_hint();
            return CLI_EXIT_ERROR;
        }
        if (!engine_built_in(opts->engine)) {
            fprintf(stderr, "%s: this pgz is built without the %s engine\n",
                    program_name, optarg);
            return CLI_EXIT_ERROR;
        }
        break;
    case OPT_FILES_FROM: case OPT_FILES0_FROM:
        opts->lists = xrealloc(opts->lists, ((size_t)opts->nlists + 1) *
                                            sizeof *opts->lists);
        opts->lists[opts->nlists].path = optarg;
        opts->lists[opts->nlists].delimiter = c == OPT_FILES_FROM ? '\n' : '\0';
        opts->nlists++;
        break;
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

/* Whether the long option written `text` (without "--", up to any '=')
   takes its argument from the next word. */
static bool long_takes_next(const char *text)
{
    size_t len = strcspn(text, "=");
    if (text[len] == '=')
        return false;
    for (const struct option *o = long_options; o->name != NULL; o++)
        if (o->has_arg == required_argument && strncmp(o->name, text, len) == 0)
            return true;
    return false;
}

/* getopt reads -11 as -1 -1.  Before it runs, a word -10, -11 or -12 (as
   pigz has them) becomes --level=N; words that are option arguments
   (-S -11) are left alone. */
static void two_digit_levels(int argc, char **argv)
{
    static char *const levels[] = { "--level=10", "--level=11", "--level=12" };
    for (int i = 1; i < argc; i++) {
        const char *w = argv[i];
        if (w[0] != '-' || w[1] == '\0')
            continue;
        if (strcmp(w, "--") == 0)
            return;
        if (w[1] == '-') {
            if (long_takes_next(w + 2))
                i++;
            continue;
        }
        if (w[1] == '1' && w[2] >= '0' && w[2] <= '2' && w[3] == '\0') {
            argv[i] = levels[w[2] - '0'];
            continue;
        }
        size_t k = strcspn(w + 1, "bjpS");      /* options with an argument */
        if (w[1 + k] != '\0' && w[2 + k] == '\0')
            i++;
    }
}

/* The engine's defaults and limits, once every option is known. */
static bool engine_settings_valid(struct options *opts)
{
    if (opts->block_size == 0)
        opts->block_size = opts->rsyncable
                               ? CHUNKER_RSYNC_MAX
                               : engine_default_block_size(opts->engine);
    if (opts->mode == MODE_COMPRESS &&
        opts->level > engine_max_level(opts->engine)) {
        fprintf(stderr, "%s: compression level %d needs the libdeflate "
                "engine (--engine=libdeflate)\n", program_name, opts->level);
        return false;
    }
    return true;
}

/* The GZIP environment variable, as gzip 1.14 reads it: only options
   that cannot surprise a script (a level, --rsyncable, --synchronous) are
   taken; any
   other option or operand in it is ignored without a word.  Options on
   the command line, parsed afterwards, override it. */
static void apply_environment(struct options *opts)
{
    const char *env = getenv("GZIP");
    if (env == NULL)
        return;
    char *copy = xstrdup(env), *save = NULL;
    for (char *w = strtok_r(copy, " \t\n", &save); w != NULL;
         w = strtok_r(NULL, " \t\n", &save)) {
        if (w[0] == '-' && w[1] >= '1' && w[1] <= '9' && w[2] == '\0')
            opts->level = w[1] - '0';
        else if (strcmp(w, "--fast") == 0)
            opts->level = 1;
        else if (strcmp(w, "--best") == 0)
            opts->level = 9;
        else if (strcmp(w, "--synchronous") == 0)
            opts->synchronous = true;
        else if (strcmp(w, "--rsyncable") == 0)
            opts->rsyncable = true;
    }
    free(copy);
}

bool options_reads_stdin(const struct options *opts)
{
    if (opts->nfiles == 0 && opts->nlists == 0)
        return true;
    for (int i = 0; i < opts->nfiles; i++)
        if (strcmp(opts->files[i], "-") == 0)
            return true;
    return false;
}

bool options_writes_data(const struct options *opts)
{
    if (opts->mode == MODE_TEST || opts->mode == MODE_LIST)
        return false;
    return opts->to_stdout || options_reads_stdin(opts);
}

/* Standard input and output can each serve one purpose only. */
static bool streams_are_consistent(const struct options *opts)
{
    int stdin_uses = options_reads_stdin(opts) ? 1 : 0;
    for (int i = 0; i < opts->nlists; i++)
        if (strcmp(opts->lists[i].path, "-") == 0)
            stdin_uses++;
    if (stdin_uses > 1) {
        fprintf(stderr, "%s: standard input cannot be read both as data and "
                "as a file list, nor as two lists\n", program_name);
        return false;
    }
    if (opts->report != NULL && strcmp(opts->report, "-") == 0 &&
        (opts->mode == MODE_LIST || options_writes_data(opts))) {
        fprintf(stderr, "%s: --report=- cannot share standard output with "
                "%s\n", program_name,
                opts->mode == MODE_LIST ? "the listing" : "the data");
        return false;
    }
    return true;
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
    apply_environment(opts);

    /* getopt prefixes its messages with argv[0]; gzip uses the base name.
       Lend getopt the base name for the duration of the parse. */
    char *argv0 = argv[0];
    argv[0] = (char *)program_name;
    optind = 0;             /* GNU: full re-initialisation, for tests */
    opterr = 1;
    two_digit_levels(argc, argv);

    enum cli_outcome outcome = CLI_RUN;
    int c;
    while (outcome == CLI_RUN &&
           (c = getopt_long(argc, argv, short_options, long_options, NULL)) != -1)
        outcome = apply_option(c, opts, out);
    argv[0] = argv0;
    if (outcome != CLI_RUN) {
        cli_free(opts);
        return outcome;
    }

    if (!engine_settings_valid(opts)) {
        usage_hint();
        cli_free(opts);
        return CLI_EXIT_ERROR;
    }
    if (!suffix_is_valid(opts->suffix)) {
        fprintf(stderr, "%s: invalid suffix '%s'\n", program_name, opts->suffix);
        cli_free(opts);
        return CLI_EXIT_ERROR;
    }
    opts->files = argv + optind;
    opts->nfiles = argc - optind;
    if (!streams_are_consistent(opts)) {
        usage_hint();
        cli_free(opts);
        return CLI_EXIT_ERROR;
    }
    return CLI_RUN;
}

void cli_free(struct options *opts)
{
    free(opts->lists);
    opts->lists = NULL;
    opts->nlists = 0;
}
