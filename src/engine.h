/* engine.h -- the compression engine: the one seam behind which every
   deflate, inflate and CRC-32 call and the gzip framing (RFC 1952 header,
   trailer, members) live.  <zlib.h> and <libdeflate.h> are included by the
   engine's files only (engine*.c and gzreader.c, the streaming decoder);
   the pool, the planner, the outputs, the CLI and the reports see this
   header and gzreader.h, nothing else.

   Two engines:
     ENGINE_ZLIB        always built.  A file is ONE gzip member: a small
                        file as one deflate stream; a big file's blocks as
                        raw deflate primed with the 32 KiB before them (not
                        with -i) and ended on a byte boundary (Z_SYNC_FLUSH),
                        concatenated between one header and one trailer
                        whose CRC-32 is combined from the blocks'.
     ENGINE_LIBDEFLATE  built when libdeflate is found (HAVE_LIBDEFLATE).
                        libdeflate compresses whole buffers and cannot be
                        primed, so each block of a big file (or of stdin)
                        becomes its own, independent gzip member carrying
                        its length in the FEXTRA subfield "PG" (see
                        ENGINE_PG_*): a reader can hop from member to member
                        without decoding.  Only the first member carries
                        the name and the time.  A file of one block is one
                        plain member (no FEXTRA), byte for byte what
                        libdeflate's framing of that block gives.
   Either way the output depends only on the engine, the level, the block
   size, -i and where blocks are cut (chunker.h; --rsyncable): never on the number of threads, nor on whether the bytes
   came from a file or a pipe.

   Errors: every function that can fail returns 0 or a positive errno
   value: the sink's own (ENOSPC, EIO, ...) passed through unchanged.
   engine_new() returns NULL when memory is short (gzip's "memory
   exhausted": the caller dies).  Misuse (a level the engine lacks) is a
   programming error: the CLI checks levels with engine_max_level() first.

   Thread-safety: an engine_t belongs to one thread at a time and is reused
   from file to file and block to block (its state is allocated once: about
   256 KiB for zlib at level 6, up to a few MiB for libdeflate at -12).  The
   functions that take no engine_t are pure and safe from any thread. */
#ifndef PGZ_ENGINE_H
#define PGZ_ENGINE_H

#include "sink.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum engine_id {
    ENGINE_ZLIB,
    ENGINE_LIBDEFLATE,
    ENGINE_COUNT
};

/* ---- what is built in ---------------------------------------------------- */

/* Whether engine `id` was compiled in (zlib: always). */
bool engine_built_in(enum engine_id id);

/* The engine used without --engine: libdeflate when built in, else zlib. */
enum engine_id engine_default(void);

/* "zlib", "libdeflate". */
const char *engine_name(enum engine_id id);

/* The engine called `name` (built in or not); false if there is none. */
bool engine_by_name(const char *name, enum engine_id *id);

/* The highest level `id` has: 9 for zlib, 12 for libdeflate (1 is the
   lowest for both). */
int engine_max_level(enum engine_id id);

/* The block size (bytes) a big file is cut into when -b is not given:
   128 KiB for zlib (as pigz), ENGINE_LIBDEFLATE_BLOCK for libdeflate. */
size_t engine_default_block_size(enum engine_id id);

/* libdeflate's default block, measured on big.tar (bench/, 163 MB, -6,
   -j2): output 48.16 MB with 128 KiB blocks, 47.83 with 256 KiB, 47.66
   with 512 KiB, 47.57 with 1 MiB, 47.52 with 2 MiB, 47.51 with 4 MiB
   (pigz -6: 47.98); peak RSS 4.8, 6.8, 9.3, 17.2, 29.9, 51.4 MiB.  1 MiB
   is the largest block that keeps -j2 under 24 MiB. */
#define ENGINE_LIBDEFLATE_BLOCK (1024 * 1024)

/* ---- the libdeflate member format -------------------------------------- */

/* A sized member's FEXTRA field: XLEN = 8, then one subfield with
   SI1 SI2 = 'P' 'G' (pgz), LEN = 4, and the member's whole length in
   bytes (header, deflate data and trailer: the distance from this
   member's first byte to the next member's), 4 bytes little-endian. */
#define ENGINE_PG_SI1 'P'
#define ENGINE_PG_SI2 'G'
#define ENGINE_PG_XLEN 8

/* ---- an engine ----------------------------------------------------------- */

struct engine_config {
    enum engine_id id;
    int level;            /* 1 .. engine_max_level(id) */
    size_t block_size;    /* where a file read as one stream is cut, for
                             engines whose blocks are members */
    bool independent;     /* -i: blocks are not primed (zlib) */
    bool rsyncable;       /* --rsyncable: libdeflate compresses one level
                             higher (engine_deflate_level()) */
};

typedef struct engine engine_t;

/* The level the deflate compressor of `cfg` runs at: cfg->level, except
   for libdeflate with --rsyncable, where it is one higher (at most 12).
   Why: libdeflate cannot be primed, so each rsyncable block (96 KiB on
   average, against 1 MiB blocks without --rsyncable) is compressed
   without the 32 KiB before it, which costs about 1.9 % in size; one
   level more buys it back.  Measured on 64 MiB of big.tar from stdin,
   -j2, output size / pigz -N -R -p2's at the same N, without -> with the
   extra level: -5 1.003 -> 0.996, -6 1.006 -> 1.002, -7 1.005 -> 1.000,
   -8 1.005 -> 1.004, -9 1.006 -> 0.978, each still in 0.5 x or less of
   pigz -N -R's time (-1 .. -4 were already smaller; they too go one
   up, for one rule).  The header's XFL still says the level asked. */
int engine_deflate_level(const struct engine_config *cfg);

/* A new engine for `cfg` (copied), or NULL when memory is short. */
engine_t *engine_new(const struct engine_config *cfg);
void engine_free(engine_t *e);

/* ---- a file as one stream (a small file, read by one worker) ---------- */

/* Start a new output for a file whose stored name is the last component
   of `name` (none when NULL) and MTIME is `mtime` (0: none).  Nothing is
   emitted yet.  `name` need not outlive the call. */
void engine_begin(engine_t *e, const char *name, uint32_t mtime);

/* Compress `len` bytes, emitting output through `sink` as it comes (zlib:
   in pieces of at most ENGINE_ZLIB_OUT_SIZE bytes; libdeflate: a member
   whenever a block's worth of input is complete).  Returns 0 or the sink's
   errno. */
int engine_write(engine_t *e, const void *buf, size_t len,
                 gz_sink_fn sink, void *ctx);

/* Finish: emit what is left and the trailer.  Returns 0 or the sink's
   errno.  The output is what engine_block() would give for the same bytes
   cut into blocks of cfg.block_size (libdeflate), or the bytes of a
   one-block file (zlib). */
int engine_finish(engine_t *e, gz_sink_fn sink, void *ctx);

#define ENGINE_ZLIB_OUT_SIZE (128 * 1024)

/* The totals of the stream begun last. */
struct engine_counts {
    uint64_t bytes_in;        /* uncompressed bytes */
    uint64_t deflate_bytes;   /* deflate data (what gzip's -v ratio uses) */
    uint64_t bytes_out;       /* everything emitted */
};
struct engine_counts engine_counts(const engine_t *e);

/* ---- a big file in blocks (any worker compresses any block) ----------- */

/* Whether blocks want the input before them (`dict`, up to
   ENGINE_DICT_SIZE bytes): zlib without -i.  Otherwise pass none. */
bool engine_wants_dict(const struct engine_config *cfg);
#define ENGINE_DICT_SIZE 32768

struct engine_block {
    size_t index;                 /* 0, 1, 2, ... within the file */
    bool last;                    /* no block follows */
    bool truncated;               /* the last block, after a read error:
                                     the output must not pass for complete */
    const char *name;             /* the file's name and time (used by */
    uint32_t mtime;               /* block 0) */
    const unsigned char *dict;    /* see engine_wants_dict() */
    size_t dict_len;
    const unsigned char *data;    /* the block's input */
    size_t len;
};

struct engine_block_out {
    uint32_t crc;                 /* CRC-32 of the block's input */
    uint64_t deflate_bytes;       /* its deflate data (without framing) */
    uint64_t bytes;               /* everything it emitted */
};

/* Compress one block, emitting its bytes through `sink`: these are to be
   written in block order, each followed by what engine_join() says.  zlib:
   the header (block 0), then raw deflate data; libdeflate: a whole member.
   Returns 0 or the sink's errno. */
int engine_block(engine_t *e, const struct engine_block *b,
                 gz_sink_fn sink, void *ctx, struct engine_block_out *out);

/* Joining blocks, in order, by the thread that writes them: zero it for a
   new file, then call engine_join() after writing each block.  Writes into
   `tail` (ENGINE_TAIL_MAX bytes) what must follow the block (zlib: the
   trailer after the last complete block) and returns its length. */
struct engine_join {
    uint32_t crc;
    uint64_t len;
};
#define ENGINE_TAIL_MAX 8
size_t engine_join(const engine_t *e, struct engine_join *j,
                   const struct engine_block *b, uint32_t crc,
                   unsigned char *tail);

#endif
