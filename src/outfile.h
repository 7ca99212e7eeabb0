/* outfile.h -- safe output files: written under no name (or a temporary
   one), given their final name only when complete.

   The promise: at no moment does a file with the final name exist holding
   partial data, and an existing file is never replaced unless asked.

   Where the filesystem supports it (ext4, xfs, btrfs, tmpfs, ...), the
   output is an O_TMPFILE: it has no name at all until outfile_commit()
   links it in, so a crash or SIGKILL leaves nothing behind.  Elsewhere it
   is a hidden temporary ".pgz.XXXXXX" in the destination directory, which
   outfile_commit() renames and outfile_abort() removes.

   Everything happens through the descriptor of the output's directory
   and a single name component (dirref.h): the output lands in the
   directory the input was found in even if that directory is moved or
   replaced by a symlink meanwhile, and a temporary is removed wherever
   its directory went.  In a directory made read-only meanwhile a
   temporary cannot be removed, and is emptied instead.

   All functions return 0 or a positive errno value. */
#ifndef PGZ_OUTFILE_H
#define PGZ_OUTFILE_H

#include <stdbool.h>
#include <sys/stat.h>

struct outfile {
    int fd;             /* write the data here */
    int dir_fd;         /* its directory (the caller's) */
    char *name;         /* the final name in dir_fd */
    char *tmp_name;     /* named temporary in dir_fd, or NULL (O_TMPFILE) */
};

/* Create an empty, private (mode 0600) output whose final name will be
   `name` (one component) in the directory `dir_fd`.  The caller keeps
   `dir_fd` open until outfile_commit() or outfile_abort().  On failure
   nothing is left and *of needs no cleanup. */
int outfile_create(struct outfile *of, int dir_fd, const char *name);

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

/* Remove the input `name` of `dir_fd` once its output is safe, if it is
   still the file `st` describes: the file is moved aside under a private
   name before it is checked, so that a file renamed over the input while
   it was read (anyone's, or another job's output under -f) is never
   deleted.  Returns 0, ESTALE when the name had been given to another
   file (which is left as it is), or the errno of the failure. */
int outfile_remove_input(int dir_fd, const char *name, const struct stat *st);

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
