/* outfile.h -- safe output files: written under no name (or a temporary
   one), given their final name only when complete.

   The promise: at no moment does a file with the final name exist holding
   partial data, and an existing file is never replaced unless asked.

   Where the filesystem supports it (ext4, xfs, btrfs, tmpfs, ...), the
   output is an O_TMPFILE: it has no name at all until outfile_commit()
   links it in, so a crash or SIGKILL leaves nothing behind.  Elsewhere it
   is a hidden temporary ".pgz.XXXXXX" in the destination directory, which
   outfile_commit() renames and outfile_abort() removes.  It is reached
   through a descriptor of its directory, so that it is removed even if
   the directory is moved meanwhile; in a directory made read-only
   meanwhile it cannot be removed, and is emptied instead.

   All functions return 0 or a positive errno value. */
#ifndef PGZ_OUTFILE_H
#define PGZ_OUTFILE_H

#include <stdbool.h>
#include <sys/stat.h>

struct outfile {
    int fd;             /* write the data here */
    char *path;         /* the final name */
    char *tmp_path;     /* named temporary, or NULL for an O_TMPFILE */
    int dir_fd;         /* the named temporary's directory (O_PATH), or -1 */
};

/* Create an empty, private (mode 0600) output whose final name will be
   `path`, in the directory of `path`.  On failure nothing is left and
   *of needs no cleanup. */
int outfile_create(struct outfile *of, const char *path);

/* Give the output the metadata of `st` as gzip does: owner and group
   where permitted (silently kept otherwise), the permission bits (0777:
   not the set-ID and sticky bits), then the access and modification times
   to the nanosecond.  Returns 0, or the
   errno of fchmod/futimens (a warning for the caller: the data is fine). */
int outfile_copy_metadata(struct outfile *of, const struct stat *st);

/* Make the output visible under its final name: close it and link or
   rename it into place.  Without `replace`, an existing file of that name
   is never touched and the call fails with EEXIST.  With `synchronous`
   (--synchronous), the data is flushed to the device first (fdatasync)
   and the directory after (fsync), so that the name survives a crash
   before the input is removed.  On success *of is released; on failure
   the output is removed and *of is released too. */
int outfile_commit(struct outfile *of, bool replace, bool synchronous);

/* Discard the output: remove it and release *of.  Safe after a failed
   outfile_create (does nothing). */
void outfile_abort(struct outfile *of);

/* Remove the input `path` once its output is safe, if it is still the file
   `st` describes.  `careful` (needed with -f, where another job may
   replace the file at `path` with its own output at any moment) moves the
   file aside under a private name before checking it, so that no other
   job's file is ever deleted.  Returns 0, ESTALE when `path` had been
   replaced (and is left as it is), or the errno of the failure. */
int outfile_remove_input(const char *path, const struct stat *st, bool careful);

/* For the signal handler and fatal errors (signals.h): wait until no name
   change is half done, block every later one, and remove the named
   temporaries.  pgz must end right after: outputs can no longer be
   committed.  A thread that calls it in the middle of a name change (an
   allocation failing there) abandons its own first; a second call blocks
   for good. */
void outfile_cleanup_on_signal(void);

/* Whether outputs use O_TMPFILE (after the first outfile_create): for
   tests and documentation. */
bool outfile_uses_tmpfile(void);

/* Whether `name` (a last component) has the shape of pgz's own hidden
   names: ".pgz.XXXXXX" (a named temporary) or ".pgz.PID.N" (an output
   linked in before its rename, an input moved aside to be removed).  A
   walk under -r must not take them for inputs: they come and go while
   other jobs work in the same directory. */
bool outfile_is_temporary_name(const char *name);

#endif
