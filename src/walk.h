/* walk.h -- the planner's view of the operands: expand them, in order,
   into the files to compress.

   Operands are visited in argument order.  Under -r a directory is
   replaced by its entries, sorted by name (byte order, so the order and
   hence the log are the same on every run and every filesystem), depth
   first.

   Every file is handed out as (directory, name): the directory held open
   (dirref.h) and one name component in it.  An operand's directory part
   is opened once (consecutive operands in the same directory share it);
   under -r each directory is opened once, relative to its parent's
   descriptor and without following a symlink (unless -f), and listed
   through that descriptor.  So nothing the walk hands out depends on a
   path being resolved again later.  A file reached again (`-r d d`,
   `-r d d/sub`, `-r d/a d`) is handed out again, marked
   file_loc.seen_before; a symlink back up the tree (under -f) is not
   followed.

   The walk is lazy: it holds open the directories on the current path
   (one descriptor each) and the entry names of those being walked, not
   the tree. */
#ifndef PGZ_WALK_H
#define PGZ_WALK_H

#include "dirref.h"
#include "options.h"

#include <stdbool.h>
#include <stddef.h>

enum walk_item {
    WALK_FILE,          /* a file to compress (or refuse) */
    WALK_STDIN,         /* "-" */
    WALK_UNREADABLE     /* a directory or file list that could not be read */
};

struct walk_entry {
    enum walk_item item;
    struct file_loc loc;    /* WALK_FILE: where it is (its dirref is
                               borrowed for the call: take a reference to
                               keep it); loc.path names every item */
    int err;                /* WALK_UNREADABLE: the errno */
};

/* Called once per item found, in order.  The entry is only valid during
   the call. */
typedef void (*walk_visit_fn)(void *ctx, const struct walk_entry *e);

/* Visit every operand of `opts`, then every name in its file lists
   (--files-from, --files0-from), in order; stdin alone when there are
   neither.  A list that cannot be opened or read is a WALK_UNREADABLE
   item named after the list. */
void walk_operands(const struct options *opts, walk_visit_fn visit, void *ctx);

#endif
