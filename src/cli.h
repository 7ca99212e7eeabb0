/* cli.h -- the command line: parse argv into struct options, and the texts
   of --help, --version and --license.

   The CLI only parses; pgz.c acts.  Parsing prints its own diagnostics in
   gzip's words ("PROG: invalid option -- 'x'" followed by
   "Try `PROG --help' for more information.") on stderr. */
#ifndef PGZ_CLI_H
#define PGZ_CLI_H

#include "options.h"

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
   Help, version and license texts go to `out`. */
enum cli_outcome cli_parse(int argc, char **argv, long default_jobs,
                           struct options *opts, FILE *out);

#endif
