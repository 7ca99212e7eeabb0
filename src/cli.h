/* cli.h -- the command line: parse argv into struct options, and the texts
   of --help, --version and --license.

   The CLI only parses; pgz.c acts.  Parsing prints its own diagnostics in
   gzip's words ("PROG: invalid option -- 'x'" followed by
   "Try `PROG --help' for more information.") on stderr. */
#ifndef PGZ_CLI_H
#define PGZ_CLI_H

#include "options.h"

#include <stdbool.h>
#include <stdio.h>

enum cli_outcome {
    CLI_RUN,        /* options parsed: go and compress */
    CLI_EXIT_OK,    /* --help, --version or --license was printed: exit 0 */
    CLI_EXIT_ERROR  /* a usage error was reported: exit 1 */
};

/* Parse `argc`/`argv` (argv[0] is the program name) into *opts, after
   setting every field to its default.  The default number of jobs is
   `default_jobs` (see cpus.h).  Options and operands may be mixed, as with
   GNU getopt; "--" ends the options.  opts->files points into argv.
   Help, version and license texts go to `out`.  The GZIP environment
   variable is read first (levels and --synchronous only, as gzip 1.14).
   After CLI_RUN, release opts with cli_free(); the other outcomes have
   released it already. */
enum cli_outcome cli_parse(int argc, char **argv, long default_jobs,
                           struct options *opts, FILE *out);

/* Free what cli_parse() allocated in opts (the list of file lists). */
void cli_free(struct options *opts);

/* Whether standard input is read as data: "-" among the operands, or no
   operand and no file list at all. */
bool options_reads_stdin(const struct options *opts);

/* Whether data goes to standard output: -c, or standard input as an
   operand (but not -t, which writes nothing, nor -l's listing). */
bool options_writes_data(const struct options *opts);

#endif
