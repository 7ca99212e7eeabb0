/* names.h -- gzip's rules for output names that do not fit.

   An output is named by one last component in its directory (the rest of
   the path is the directory's business).  A directory limits the length
   of that component (NAME_MAX, or less on some filesystems); gzip 1.14
   does not fail when the name it wants is longer:

     compressing    it shortens FILE.gz (shorten_name() in gzip.c): .tar
                    becomes .tgz, else the last dot-separated part longer
                    than 3 bytes (then 2, then 1) loses its last byte, else
                    the last part goes; the suffix stays.  The original
                    name is then stored whatever -n says, and gzip says
                    "FILE compressed to SHORTER.gz" (no change of status);
     decompressing  it cuts bytes off the end of the name (a stored name,
                    with -N) and warns "NAME: warning, name truncated"
                    (status 2); a name of one byte is "name too short".

   gzip tries to create the output and shortens on ENAMETOOLONG, one step
   at a time; pgz creates outputs with no name (outfile.h) and names them
   at the end, so it asks the directory's limit first and applies the same
   steps until the name fits: the result is the same name.  The steps work
   on the last component only (gzip's work on the whole path, which only
   differs when a directory's limit is below 4 bytes).

   gzip also reads a stored name (FNAME) into a buffer of 1024 bytes that
   already holds the output's directory prefix; a longer name is
   "corrupted input -- file name too large" (status 1).

   Every function here is pure but names_max_length(), and thread-safe. */
#ifndef PGZ_NAMES_H
#define PGZ_NAMES_H

#include <stdbool.h>
#include <stddef.h>

/* gzip's MAX_PATH_LEN: the buffer an output's name (directory prefix and
   stored name, with the final NUL) must fit in. */
#define NAMES_GZIP_PATH_MAX 1024

/* The longest last component the directory `dir_fd` accepts
   (fpathconf(_PC_NAME_MAX)); NAME_MAX if the system does not say. */
size_t names_max_length(int dir_fd);

/* Whether a component of `len` bytes fits in every directory, so that
   nobody need ask (POSIX's _POSIX_NAME_MAX, 14). */
bool names_fits_anywhere(size_t len);

/* The compressed output's last component: `stem` (the input's last
   component) followed by `suffix`, shortened as gzip's shorten_name()
   does until it is at most `max` bytes.  Sets *shortened to whether it
   had to be.  Returns a malloc'd string, or NULL when gzip gives up, with
   *why set to gzip's message ("internal error in shorten_name": nothing
   is left to shorten). */
char *names_compressed(const char *stem, const char *suffix, size_t max,
                       bool *shortened, const char **why);

/* Cut the decompressed output's last component `name` (in place) to at
   most `max` bytes, as gzip does.  Sets *shortened to whether it had to.
   Returns false when gzip gives up ("name too short": it would have to
   cut a name of one byte). */
bool names_truncate(char *name, size_t max, bool *shortened);

/* The longest stored name gzip reads when the output's name starts with
   a directory prefix of `prefix_len` bytes ("dir/"): longer is "corrupted
   input -- file name too large". */
size_t names_stored_max(size_t prefix_len);

#endif
