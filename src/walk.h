/* walk.h -- the planner's view of the operands: expand them, in order,
   into the files to compress.

   Operands are visited in argument order.  Under -r a directory is
   replaced by its entries, sorted by name (byte order, so the order and
   hence the log are the same on every run and every filesystem), depth
   first.  The walk is lazy and its footprint small: it holds no directory
   open while it hands out files (at most one while it lists a directory),
   only the entry names of the directories on the current path. */
#ifndef PGZ_WALK_H
#define PGZ_WALK_H

#include "options.h"

enum walk_item {
    WALK_FILE,          /* a file to compress (or refuse) */
    WALK_STDIN,         /* "-" */
    WALK_UNREADABLE     /* a directory that could not be read */
};

/* Called once per item found, in order.  `err` is the errno of a
   WALK_UNREADABLE directory.  `path` is only valid during the call. */
typedef void (*walk_visit_fn)(void *ctx, enum walk_item item, const char *path,
                              int err);

/* Visit every operand of `opts`, then every name in its file lists
   (--files-from, --files0-from), in order; stdin alone when there are
   neither.  A list that cannot be opened or read is a WALK_UNREADABLE
   item named after the list. */
void walk_operands(const struct options *opts, walk_visit_fn visit, void *ctx);

#endif
