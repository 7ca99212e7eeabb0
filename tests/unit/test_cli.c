/* test_cli.c -- command-line parsing (cli.h, options.h). */
#include "chunker.h"
#include "cli.h"
#include "helpers.h"
#include "suites.h"
#include "util.h"
#include "version.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_JOBS 7

/* Parse a NULL-terminated argv, quietly (getopt complains on stderr). */
static enum cli_outcome parse_argv(char **argv, struct options *o, FILE *out)
{
    int argc = 0;
    while (argv[argc] != NULL)
        argc++;
    char *argv0 = argv[0];
    int saved = silence_stderr();
    enum cli_outcome rc = cli_parse(argc, argv, DEFAULT_JOBS, o, out);
    restore_stderr(saved);
    ck_assert_ptr_eq(argv[0], argv0);       /* argv[0] given back */
    return rc;
}

/* PARSE(&opts, "-k", "file") parses "pgz -k file".  Its argv is a compound
   literal that lives only as long as the enclosing block: inside a
   ck_assert, that is the assertion itself, so tests that look at
   opts.files (pointers into argv) name their argv with ARGV instead. */
#define ARGV(name, ...) char *name[] = { "pgz", __VA_ARGS__, NULL }
#define PARSE(o, ...) parse_argv((char *[]){ "pgz", __VA_ARGS__, NULL }, (o), stdout)
#define PARSE_OUT(o, out, ...) \
    parse_argv((char *[]){ "pgz", __VA_ARGS__, NULL }, (o), (out))

START_TEST(test_defaults)
{
    struct options o;
    memset(&o, 0xA5, sizeof o);     /* every field must be set */
    ck_assert_int_eq(parse_argv((char *[]){ "pgz", NULL }, &o, stdout), CLI_RUN);
    ck_assert_int_eq(o.level, 6);
    ck_assert_str_eq(o.suffix, ".gz");
    ck_assert(o.save_name);
    ck_assert_int_eq(o.jobs, DEFAULT_JOBS);
    ck_assert(!o.to_stdout);
    ck_assert(!o.keep);
    ck_assert(!o.force);
    ck_assert(!o.recursive);
    ck_assert(!o.quiet);
    ck_assert_int_eq(o.verbose, 0);
    ck_assert_int_eq(o.nfiles, 0);
}
END_TEST

START_TEST(test_levels)
{
    struct options o;
    char opt[3] = "-0";
    for (int level = 1; level <= 9; level++) {
        opt[1] = (char)('0' + level);
        ck_assert_int_eq(PARSE(&o, opt), CLI_RUN);
        ck_assert_int_eq(o.level, level);
        ck_assert_int_eq(o.nfiles, 0);
    }
    ck_assert_int_eq(PARSE(&o, "--fast"), CLI_RUN);
    ck_assert_int_eq(o.level, 1);
    ck_assert_int_eq(PARSE(&o, "--best"), CLI_RUN);
    ck_assert_int_eq(o.level, 9);
    ck_assert_int_eq(PARSE(&o, "-1", "-9"), CLI_RUN);
    ck_assert_int_eq(o.level, 9);
    ck_assert_int_eq(PARSE(&o, "--best", "-3"), CLI_RUN);
    ck_assert_int_eq(o.level, 3);
}
END_TEST

/* -10 .. -12 (libdeflate), --engine, and the engine's block size. */
START_TEST(test_engine_levels)
{
    struct options o;
    ck_assert_int_eq(PARSE(&o, "--engine=zlib"), CLI_RUN);
    ck_assert_int_eq(o.engine, ENGINE_ZLIB);
    ck_assert_uint_eq(o.block_size, 128 * 1024);
    ck_assert_int_eq(PARSE(&o, "--engine=zlib", "-b", "64"), CLI_RUN);
    ck_assert_uint_eq(o.block_size, 64 * 1024);
    ck_assert_int_eq(PARSE(&o, "--engine=zlib", "-11"), CLI_EXIT_ERROR);
    ck_assert_int_eq(PARSE(&o, "--engine=zstd"), CLI_EXIT_ERROR);
    /* An option's argument is not a level. */
    ARGV(suffix, "--engine=zlib", "-S", "-11", "f");
    ck_assert_int_eq(parse_argv(suffix, &o, stdout), CLI_RUN);
    ck_assert_str_eq(o.suffix, "-11");
    ck_assert_int_eq(o.level, 6);
    if (!engine_built_in(ENGINE_LIBDEFLATE)) {
        ck_assert_int_eq(PARSE(&o, "--engine=libdeflate"), CLI_EXIT_ERROR);
        return;
    }
    ck_assert_int_eq(parse_argv((char *[]){ "pgz", NULL }, &o, stdout), CLI_RUN);
    ck_assert_int_eq(o.engine, ENGINE_LIBDEFLATE);
    ck_assert_uint_eq(o.block_size, ENGINE_LIBDEFLATE_BLOCK);
    for (int level = 10; level <= 12; level++) {
        char opt[4] = { '-', '1', (char)('0' + level - 10), '\0' };
        ck_assert_int_eq(PARSE(&o, opt), CLI_RUN);
        ck_assert_int_eq(o.level, level);
        ck_assert_int_eq(o.nfiles, 0);
    }
    ck_assert_int_eq(PARSE(&o, "-12", "--best"), CLI_RUN);
    ck_assert_int_eq(o.level, 9);
    ck_assert_int_eq(PARSE(&o, "-d", "-12"), CLI_RUN);    /* not compressing */
}
END_TEST

START_TEST(test_combined_short_options)
{
    struct options o;
    ck_assert_int_eq(PARSE(&o, "-kv9"), CLI_RUN);
    ck_assert(o.keep);
    ck_assert_int_eq(o.verbose, 1);
    ck_assert_int_eq(o.level, 9);
    ck_assert_int_eq(o.nfiles, 0);
    ck_assert_int_eq(PARSE(&o, "-cfrj3"), CLI_RUN);
    ck_assert(o.to_stdout && o.force && o.recursive);
    ck_assert_int_eq(o.jobs, 3);
}
END_TEST

START_TEST(test_flags)
{
    struct options o;
    ck_assert_int_eq(PARSE(&o, "-c"), CLI_RUN);
    ck_assert(o.to_stdout);
    ck_assert_int_eq(PARSE(&o, "-k"), CLI_RUN);
    ck_assert(o.keep);
    ck_assert(!o.to_stdout);                /* reset between calls */
    ck_assert_int_eq(PARSE(&o, "-f"), CLI_RUN);
    ck_assert(o.force);
    ck_assert_int_eq(PARSE(&o, "-r"), CLI_RUN);
    ck_assert(o.recursive);
    ck_assert_int_eq(PARSE(&o, "-n"), CLI_RUN);
    ck_assert(!o.save_name);
    ck_assert_int_eq(PARSE(&o, "-n", "-N"), CLI_RUN);
    ck_assert(o.save_name);
    ck_assert_int_eq(PARSE(&o, "-N", "-n"), CLI_RUN);
    ck_assert(!o.save_name);
    ck_assert_int_eq(PARSE(&o, "-vv"), CLI_RUN);
    ck_assert_int_eq(o.verbose, 2);
    ck_assert_int_eq(PARSE(&o, "--stdout", "--keep", "--force", "--recursive",
                           "--no-name", "--verbose"), CLI_RUN);
    ck_assert(o.to_stdout && o.keep && o.force && o.recursive && !o.save_name);
    ck_assert_int_eq(o.verbose, 1);
}
END_TEST

START_TEST(test_quiet_verbose_last_wins)
{
    struct options o;
    ck_assert_int_eq(PARSE(&o, "-q"), CLI_RUN);
    ck_assert(o.quiet);
    ck_assert_int_eq(o.verbose, 0);
    ck_assert_int_eq(PARSE(&o, "-v", "-q"), CLI_RUN);
    ck_assert(o.quiet);
    ck_assert_int_eq(o.verbose, 0);
    ck_assert_int_eq(PARSE(&o, "-q", "-v"), CLI_RUN);
    ck_assert(!o.quiet);
    ck_assert_int_eq(o.verbose, 1);
    ck_assert_int_eq(PARSE(&o, "-vqv"), CLI_RUN);
    ck_assert(!o.quiet);
    ck_assert_int_eq(o.verbose, 1);         /* -q reset the count */
}
END_TEST

START_TEST(test_suffix)
{
    struct options o;
    ck_assert_int_eq(PARSE(&o, "-S", ".z"), CLI_RUN);
    ck_assert_str_eq(o.suffix, ".z");
    ck_assert_int_eq(o.nfiles, 0);
    ck_assert_int_eq(PARSE(&o, "--suffix=.pgz"), CLI_RUN);
    ck_assert_str_eq(o.suffix, ".pgz");
    ck_assert_int_eq(PARSE(&o, "--suffix", "_x", "f"), CLI_RUN);
    ck_assert_str_eq(o.suffix, "_x");
    ck_assert_int_eq(o.nfiles, 1);
    ck_assert_int_eq(PARSE(&o, "-S.y"), CLI_RUN);
    ck_assert_str_eq(o.suffix, ".y");
}
END_TEST

START_TEST(test_bad_suffix)
{
    struct options o;
    ck_assert_int_eq(PARSE(&o, "-S", ""), CLI_EXIT_ERROR);
    ck_assert_int_eq(PARSE(&o, "--suffix="), CLI_EXIT_ERROR);
    ck_assert_int_eq(PARSE(&o, "-S", "a/b"), CLI_EXIT_ERROR);
    ck_assert_int_eq(PARSE(&o, "-S", "/"), CLI_EXIT_ERROR);
    ck_assert_int_eq(PARSE(&o, "file", "-S"), CLI_EXIT_ERROR);  /* no argument */
}
END_TEST

START_TEST(test_jobs)
{
    struct options o;
    ck_assert_int_eq(PARSE(&o, "-j", "4"), CLI_RUN);
    ck_assert_int_eq(o.jobs, 4);
    ck_assert_int_eq(o.nfiles, 0);
    ck_assert_int_eq(PARSE(&o, "--jobs=4"), CLI_RUN);
    ck_assert_int_eq(o.jobs, 4);
    ck_assert_int_eq(PARSE(&o, "-p", "3"), CLI_RUN);
    ck_assert_int_eq(o.jobs, 3);
    ck_assert_int_eq(PARSE(&o, "--processes", "3"), CLI_RUN);
    ck_assert_int_eq(o.jobs, 3);
    ck_assert_int_eq(PARSE(&o, "-j2"), CLI_RUN);
    ck_assert_int_eq(o.jobs, 2);
    ck_assert_int_eq(PARSE(&o, "-j", "1"), CLI_RUN);
    ck_assert_int_eq(o.jobs, 1);
    ck_assert_int_eq(PARSE(&o, "-j", "1024"), CLI_RUN);    /* PGZ_MAX_JOBS */
    ck_assert_int_eq(o.jobs, PGZ_MAX_JOBS);
}
END_TEST

START_TEST(test_bad_jobs)
{
    struct options o;
    ck_assert_int_eq(PARSE(&o, "-j", "0"), CLI_EXIT_ERROR);
    ck_assert_int_eq(PARSE(&o, "-j", "abc"), CLI_EXIT_ERROR);
    ck_assert_int_eq(PARSE(&o, "-j", "99999"), CLI_EXIT_ERROR);
    ck_assert_int_eq(PARSE(&o, "-j", "1025"), CLI_EXIT_ERROR);
    ck_assert_int_eq(PARSE(&o, "-j", "-2"), CLI_EXIT_ERROR);
    ck_assert_int_eq(PARSE(&o, "-j", "4x"), CLI_EXIT_ERROR);
    ck_assert_int_eq(PARSE(&o, "-j", ""), CLI_EXIT_ERROR);
    ck_assert_int_eq(PARSE(&o, "--jobs=99999999999999999999999"), CLI_EXIT_ERROR);
    ck_assert_int_eq(PARSE(&o, "-p", "0"), CLI_EXIT_ERROR);
    ck_assert_int_eq(PARSE(&o, "-j"), CLI_EXIT_ERROR);      /* no argument */
}
END_TEST

START_TEST(test_unknown_option)
{
    struct options o;
    ck_assert_int_eq(PARSE(&o, "-x"), CLI_EXIT_ERROR);
    ck_assert_int_eq(PARSE(&o, "-kx9"), CLI_EXIT_ERROR);
    ck_assert_int_eq(PARSE(&o, "--bogus"), CLI_EXIT_ERROR);
    ck_assert_int_eq(PARSE(&o, "file", "-Z"), CLI_EXIT_ERROR);
}
END_TEST

/* Parse one option writing to a memory stream; return what was written. */
static char *output_of(const char *option, enum cli_outcome *rc)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    ck_assert_ptr_nonnull(out);
    struct options o;
    char opt[32];
    snprintf(opt, sizeof opt, "%s", option);
    *rc = PARSE_OUT(&o, out, opt);
    ck_assert_int_eq(fclose(out), 0);
    return text;
}

START_TEST(test_help_version_license)
{
    enum cli_outcome rc;
    char *text = output_of("--help", &rc);
    ck_assert_int_eq(rc, CLI_EXIT_OK);
    ck_assert_ptr_nonnull(strstr(text, "Usage:"));
    free(text);

    text = output_of("-h", &rc);
    ck_assert_int_eq(rc, CLI_EXIT_OK);
    ck_assert_ptr_nonnull(strstr(text, "Usage:"));
    free(text);

    text = output_of("--version", &rc);
    ck_assert_int_eq(rc, CLI_EXIT_OK);
    ck_assert_ptr_nonnull(strstr(text, PGZ_VERSION));
    free(text);

    text = output_of("-V", &rc);
    ck_assert_int_eq(rc, CLI_EXIT_OK);
    ck_assert_ptr_nonnull(strstr(text, PGZ_VERSION));
    free(text);

    text = output_of("--license", &rc);
    ck_assert_int_eq(rc, CLI_EXIT_OK);
    ck_assert_ptr_nonnull(strstr(text, PGZ_VERSION));
    ck_assert_uint_gt(strlen(text), 100);
    free(text);

    text = output_of("-k", &rc);             /* an ordinary run prints nothing */
    ck_assert_int_eq(rc, CLI_RUN);
    ck_assert_str_eq(text, "");
    free(text);
}
END_TEST

START_TEST(test_operands_in_order)
{
    struct options o;
    ARGV(argv, "a", "-k", "b", "-9", "c", "-", "d");
    ck_assert_int_eq(parse_argv(argv, &o, stdout), CLI_RUN);
    ck_assert(o.keep);
    ck_assert_int_eq(o.level, 9);
    ck_assert_int_eq(o.nfiles, 5);
    ck_assert_str_eq(o.files[0], "a");
    ck_assert_str_eq(o.files[1], "b");
    ck_assert_str_eq(o.files[2], "c");
    ck_assert_str_eq(o.files[3], "-");
    ck_assert_str_eq(o.files[4], "d");
}
END_TEST

START_TEST(test_double_dash_ends_options)
{
    struct options o;
    ARGV(argv, "-k", "a", "--", "-x", "--best", "b");
    ck_assert_int_eq(parse_argv(argv, &o, stdout), CLI_RUN);
    ck_assert(o.keep);
    ck_assert_int_eq(o.level, 6);
    ck_assert_int_eq(o.nfiles, 4);
    ck_assert_str_eq(o.files[0], "a");
    ck_assert_str_eq(o.files[1], "-x");
    ck_assert_str_eq(o.files[2], "--best");
    ck_assert_str_eq(o.files[3], "b");
}
END_TEST

START_TEST(test_modes)
{
    struct options o;
    ck_assert_int_eq(PARSE(&o, "f"), CLI_RUN);
    ck_assert_int_eq(o.mode, MODE_COMPRESS);
    ck_assert(!o.restore_name);             /* decompression default: -n */
    ck_assert_int_eq(PARSE(&o, "-d", "f"), CLI_RUN);
    ck_assert_int_eq(o.mode, MODE_DECOMPRESS);
    ck_assert_int_eq(PARSE(&o, "--uncompress", "f"), CLI_RUN);
    ck_assert_int_eq(o.mode, MODE_DECOMPRESS);
    ck_assert_int_eq(PARSE(&o, "-t", "-d", "f"), CLI_RUN);
    ck_assert_int_eq(o.mode, MODE_TEST);    /* -t outranks -d */
    ck_assert_int_eq(PARSE(&o, "-l", "-t", "f"), CLI_RUN);
    ck_assert_int_eq(o.mode, MODE_LIST);    /* -l outranks both */
    ck_assert_int_eq(PARSE(&o, "--list", "f"), CLI_RUN);
    ck_assert_int_eq(o.mode, MODE_LIST);
    ck_assert_int_eq(PARSE(&o, "-dN", "f"), CLI_RUN);
    ck_assert(o.restore_name && o.save_name);
    ck_assert_int_eq(PARSE(&o, "-dNn", "f"), CLI_RUN);
    ck_assert(!o.restore_name && !o.save_name);
}
END_TEST

/* pgunzip and pgzcat are pgz -d and pgz -dc, by the name invoked. */
START_TEST(test_program_names)
{
    struct options o;
    const char *saved = program_name;
    program_name = "pgunzip";
    ck_assert_int_eq(PARSE(&o, "f"), CLI_RUN);
    ck_assert_int_eq(o.mode, MODE_DECOMPRESS);
    ck_assert(!o.to_stdout);
    program_name = "pgzcat";
    ck_assert_int_eq(PARSE(&o, "f"), CLI_RUN);
    ck_assert_int_eq(o.mode, MODE_DECOMPRESS);
    ck_assert(o.to_stdout);
    program_name = saved;
}
END_TEST

START_TEST(test_repeated_calls)
{
    struct options o;
    /* A parse that stops in the middle of "-kx9" must not leak into the
       next one. */
    ck_assert_int_eq(PARSE(&o, "-kx9", "f"), CLI_EXIT_ERROR);
    ARGV(argv1, "-9", "g");
    ck_assert_int_eq(parse_argv(argv1, &o, stdout), CLI_RUN);
    ck_assert_int_eq(o.level, 9);
    ck_assert(!o.keep);
    ck_assert_int_eq(o.nfiles, 1);
    ck_assert_str_eq(o.files[0], "g");
    ck_assert_int_eq(PARSE(&o, "-kv"), CLI_RUN);
    ck_assert(o.keep);
    ck_assert_int_eq(o.verbose, 1);
    for (int i = 0; i < 3; i++) {
        ARGV(argv2, "x", "-c", "y");
        ck_assert_int_eq(parse_argv(argv2, &o, stdout), CLI_RUN);
        ck_assert(o.to_stdout);
        ck_assert_int_eq(o.nfiles, 2);
        ck_assert_str_eq(o.files[0], "x");
        ck_assert_str_eq(o.files[1], "y");
    }
}
END_TEST

START_TEST(test_progress_modes)
{
    struct options o;
    ck_assert_int_eq(PARSE(&o, "x"), CLI_RUN);
    ck_assert_int_eq(o.progress, PROGRESS_AUTO);
    ck_assert_int_eq(PARSE(&o, "--progress", "x"), CLI_RUN);
    ck_assert_int_eq(o.progress, PROGRESS_ALWAYS);
    ck_assert_int_eq(PARSE(&o, "--progress", "--no-progress", "x"), CLI_RUN);
    ck_assert_int_eq(o.progress, PROGRESS_NEVER);
    ck_assert_int_eq(PARSE(&o, "--progress", "-q", "x"), CLI_RUN);
    ck_assert_int_eq(o.progress, PROGRESS_NEVER);
    ck_assert_int_eq(PARSE(&o, "-q", "--progress", "x"), CLI_RUN);
    ck_assert_int_eq(o.progress, PROGRESS_ALWAYS);
    ck_assert(o.quiet);
}
END_TEST

START_TEST(test_file_lists)
{
    struct options o;
    ARGV(argv, "--files-from=a", "op", "--files0-from", "b", "--files-from=-");
    ck_assert_int_eq(parse_argv(argv, &o, stdout), CLI_RUN);
    ck_assert_int_eq(o.nfiles, 1);
    ck_assert_str_eq(o.files[0], "op");
    ck_assert_int_eq(o.nlists, 3);
    ck_assert_str_eq(o.lists[0].path, "a");
    ck_assert_int_eq(o.lists[0].delimiter, '\n');
    ck_assert_str_eq(o.lists[1].path, "b");
    ck_assert_int_eq(o.lists[1].delimiter, '\0');
    ck_assert_str_eq(o.lists[2].path, "-");
    /* A list and no operand: standard input is not data. */
    ck_assert(!options_reads_stdin(&o));
    cli_free(&o);
    ck_assert_ptr_null(o.lists);
    ck_assert_int_eq(PARSE(&o, "--files-from=a"), CLI_RUN);
    ck_assert(!options_reads_stdin(&o));
    ck_assert(!options_writes_data(&o));
    cli_free(&o);
}
END_TEST

START_TEST(test_stdin_used_once)
{
    struct options o;
    ck_assert_int_eq(PARSE(&o, "--files-from=-", "-"), CLI_EXIT_ERROR);
    ck_assert_int_eq(PARSE(&o, "--files-from=-", "--files0-from=-"), CLI_EXIT_ERROR);
    ck_assert_int_eq(PARSE(&o, "--files-from=-", "x"), CLI_RUN);
    cli_free(&o);
}
END_TEST

START_TEST(test_report_option)
{
    struct options o;
    ck_assert_int_eq(PARSE(&o, "--report=r.json", "x"), CLI_RUN);
    ck_assert_str_eq(o.report, "r.json");
    ck_assert_int_eq(PARSE(&o, "--report=-", "x"), CLI_RUN);
    /* Standard output carries one thing only. */
    ck_assert_int_eq(PARSE(&o, "--report=-", "-c", "x"), CLI_EXIT_ERROR);
    ck_assert_int_eq(PARSE(&o, "--report=-", "-l", "x"), CLI_EXIT_ERROR);
    ck_assert_int_eq(PARSE(&o, "--report=-"), CLI_EXIT_ERROR);
    ck_assert_int_eq(PARSE(&o, "--report=-", "-t"), CLI_RUN);
    ck_assert_int_eq(PARSE(&o, "--report=-", "-c", "-t", "x"), CLI_RUN);
}
END_TEST

START_TEST(test_gzip_environment)
{
    struct options o;
    setenv("GZIP", "-1 --synchronous", 1);
    ck_assert_int_eq(PARSE(&o, "x"), CLI_RUN);
    ck_assert_int_eq(o.level, 1);
    ck_assert(o.synchronous);
    ck_assert_int_eq(PARSE(&o, "-7", "x"), CLI_RUN);
    ck_assert_int_eq(o.level, 7);         /* the command line wins */
    setenv("GZIP", " --best\t-c -d -r -k --bogus -S.x -v -12 -0 op ", 1);
    ck_assert_int_eq(PARSE(&o, "x"), CLI_RUN);
    ck_assert_int_eq(o.level, 9);         /* only the level was taken */
    ck_assert(!o.to_stdout && o.mode == MODE_COMPRESS && !o.recursive);
    ck_assert(!o.keep && o.verbose == 0 && !o.synchronous);
    ck_assert_str_eq(o.suffix, ".gz");
    ck_assert_int_eq(o.nfiles, 1);
    setenv("GZIP", "--fast", 1);
    ck_assert_int_eq(PARSE(&o, "x"), CLI_RUN);
    ck_assert_int_eq(o.level, 1);
    unsetenv("GZIP");
    ck_assert_int_eq(PARSE(&o, "x"), CLI_RUN);
    ck_assert_int_eq(o.level, 6);
}
END_TEST

/* --rsyncable: content-defined cuts, whose largest block is 512 KiB
   unless -b says otherwise; taken from GZIP too. */
START_TEST(test_rsyncable)
{
    struct options o;
    ck_assert_int_eq(PARSE(&o, "x"), CLI_RUN);
    ck_assert(!o.rsyncable);
    ck_assert_uint_eq(o.block_size, engine_default_block_size(o.engine));
    ck_assert_int_eq(PARSE(&o, "--rsyncable", "x"), CLI_RUN);
    ck_assert(o.rsyncable);
    ck_assert_uint_eq(o.block_size, CHUNKER_RSYNC_MAX);
    ck_assert_int_eq(PARSE(&o, "--rsyncable", "-b", "64", "x"), CLI_RUN);
    ck_assert(o.rsyncable);
    ck_assert_uint_eq(o.block_size, 64 * 1024);
    ck_assert_int_eq(PARSE(&o, "--rsync", "x"), CLI_RUN);    /* getopt */
    ck_assert(o.rsyncable);
    setenv("GZIP", "-3 --rsyncable", 1);
    ck_assert_int_eq(PARSE(&o, "x"), CLI_RUN);
    ck_assert(o.rsyncable);
    ck_assert_int_eq(o.level, 3);
    ck_assert_uint_eq(o.block_size, CHUNKER_RSYNC_MAX);
    unsetenv("GZIP");
}
END_TEST

Suite *cli_suite(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, test_defaults);
    tcase_add_test(tc, test_levels);
    tcase_add_test(tc, test_engine_levels);
    tcase_add_test(tc, test_combined_short_options);
    tcase_add_test(tc, test_flags);
    tcase_add_test(tc, test_quiet_verbose_last_wins);
    tcase_add_test(tc, test_suffix);
    tcase_add_test(tc, test_bad_suffix);
    tcase_add_test(tc, test_jobs);
    tcase_add_test(tc, test_bad_jobs);
    tcase_add_test(tc, test_unknown_option);
    tcase_add_test(tc, test_help_version_license);
    tcase_add_test(tc, test_operands_in_order);
    tcase_add_test(tc, test_double_dash_ends_options);
    tcase_add_test(tc, test_repeated_calls);
    tcase_add_test(tc, test_modes);
    tcase_add_test(tc, test_program_names);
    tcase_add_test(tc, test_progress_modes);
    tcase_add_test(tc, test_file_lists);
    tcase_add_test(tc, test_stdin_used_once);
    tcase_add_test(tc, test_report_option);
    tcase_add_test(tc, test_gzip_environment);
    tcase_add_test(tc, test_rsyncable);
    suite_add_tcase(s, tc);
    return s;
}
