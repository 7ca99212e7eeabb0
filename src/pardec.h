/* pardec.h -- one .gz file decoded by every worker at once, when its
   members say how long they are (members.h: pgz's "PG", BGZF's "BC").

   The planner opens the file and walks the members' headers.  In a
   regular file it reads, with pread(2) (which leaves the offset alone),
   only each member's trailer and the header after it (1 KiB at a time,
   a header of up to 64 KiB), then a group's members with one pread
   straight into the group's buffer.  Standard input, of any kind, is read
   as a stream: read(2) into a window that holds a group and the member
   after it (MEMBERS_MAX_LEN plus a group: about 5 MiB, whatever the
   fields say), the group then copied out.  The planner sends the groups
   down the same jobs channel as everything else, in groups
   of about a block's worth (PARDEC_GROUP_OUT bytes of data, or
   PARDEC_GROUP_IN bytes of input: a 64 KiB BGZF member is too small to be
   a job).  Each group takes a block token first (budget.h), so at most
   capacity(tokens) groups, each of at most PARDEC_GROUP_IN +
   MEMBERS_MAX_LEN input bytes and PARDEC_GROUP_OUT + MEMBERS_MAX_DATA
   data bytes, exist at once.  A worker decodes a group's members whole
   (gzr_inflate_whole: libdeflate, or zlib) and checks each one's CRC-32
   and ISIZE; then the groups are written in order (ordered.h) by
   whichever worker completes the one the file waits on.

   Nothing is trusted: whatever does not walk or does not check out --
   a member without a length, a length that is too small, too large,
   beyond the end or pointing into garbage, a CRC or ISIZE that does not
   match, invalid data -- ends the parallel part there.  The writer, in
   its turn, then decodes the rest of the file from that member on with
   the sequential reader (gzreader.h: gzr_open_after), exactly as a
   sequential run would, so results and messages are gzip's (a mixed file,
   e.g. pgz's members followed by gzip's, is decoded that way: the plain
   part sequentially; so are zeros, garbage or another format after the
   members, and -cdf's copying of them).  On a stream, the bytes from that
   member on that the planner already read (in the groups after it, and in
   its window) are replayed to the sequential reader before the rest of
   the descriptor (gzr_preread).

   The guarantees of decompress.h hold: the output (created by the
   planner, named after the suffix) gets its final name only after the last
   group, when every member checked out; otherwise gzip's message, status
   1, no output, the input kept.  -c writes through the file's turn on
   standard output (seqout.h), -t decodes and checks without writing, and
   -l too, then lists the sizes found by decoding (exact: not the ISIZEs
   the trailers claim) and the last member's CRC-32.
   Not done here (decompress.h does them sequentially): -N (the stored
   name must be read before the output exists, and -lN shows it), pipes
   named as operands,
   and a file whose first member does not walk (handed to a worker whole,
   with what the planner read of a stream).

   Room for later: a BGZF .gzi index and rapidgzip-style two-stage
   decoding would feed the same groups (members.h says how). */
#ifndef PGZ_PARDEC_H
#define PGZ_PARDEC_H

#include "chan.h"
#include "decompress.h"
#include "task.h"

#include <stdbool.h>
#include <stddef.h>

#define PARDEC_GROUP_OUT ((size_t)1 << 20)
#define PARDEC_GROUP_IN ((size_t)1 << 20)
/* Smaller files are decoded by one worker, as before. */
#define PARDEC_MIN_SIZE ((off_t)64 * 1024)

struct member_group;

/* Whether a file (stat in `st`) is worth walking for options `o`: -d, -t
   or -l, a regular file of at least PARDEC_MIN_SIZE bytes, not -N
   while naming an output, and named with a compressed suffix when it
   names one (-l: without -N).  With `path` NULL, standard input (of any
   kind, read as a stream). */
bool pardec_wanted(const struct options *o, const char *path,
                   const struct stat *st);

/* Walk the opened task `t` (moved in: the caller must not touch it again)
   and send its jobs on `jobs`: groups of members, each after putting a
   token in `tokens`; or, when its first member does not walk, the whole
   task in one job.  The caller put a token in `open_files` before opening
   the task; the file takes it out once closed. */
void pardec_plan(struct task *t, chan_t *jobs, chan_t *tokens,
                 chan_t *open_files);

/* Do `g` with the worker's decoding state: decode its members, then write
   every group whose turn has come.  Returns the file's result if this
   completed the file, else NULL.  Frees the group. */
struct result *pardec_decode_group(struct decoding *d, struct member_group *g);

/* The input bytes in `g` (for the progress line). */
size_t pardec_group_length(const struct member_group *g);

#endif
