/* gzwriter.h -- the gzip stream writer: deflate data into one RFC 1952
   gzip member and hand the compressed bytes to a caller-supplied sink.

   Two ways to make a member:
     - as one stream (gzw_begin, gzw_write..., gzw_finish): header, deflate
       data and trailer, all through the writer; for files up to one block;
     - in blocks (gzw_block), for a big file cut into blocks that several
       workers compress at once: each block is raw deflate data primed with
       the 32 KiB of input before it and ending on a byte boundary, so the
       blocks can simply be concatenated between a header (gzip_header) and a
       trailer (gzip_trailer) whose CRC is combined from the blocks' CRCs.
   Both produce the same bytes for the same input when it fits in one
   block: the header comes from gzip_header() in both cases, and deflate's
   output does not depend on how its input was sliced.

   One writer belongs to one thread and is reused from file to file: zlib's
   deflate state (about 256 KiB at level 6) is allocated once by
   gzw_init() and only reset by gzw_begin(), which matters when thousands
   of small files go through the same worker.

   Typical use:
       struct gz_writer w;
       gzw_init(&w, 6);
       for each file:
           gzw_begin(&w, "name", mtime);
           while (read a buffer) gzw_write(&w, buf, n, sink, ctx);
           gzw_finish(&w, sink, ctx);
       gzw_destroy(&w);

   Every function that can fail returns 0 on success or a positive errno
   value: the sink's own error (ENOSPC, EIO, ...) passed through unchanged,
   or ENOMEM when zlib cannot allocate. */
#ifndef PGZ_GZWRITER_H
#define PGZ_GZWRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

/* Where compressed bytes go.  Called with one or more bytes at a time (at
   most GZW_OUT_SIZE from a gz_writer; bigfile.c also passes whole
   blocks); must consume them all and return 0, or return a positive errno
   value, which aborts the stream and is returned by the gzw_* call. */
typedef int (*gz_sink_fn)(void *ctx, const unsigned char *buf, size_t len);

#define GZW_OUT_SIZE (128 * 1024)   /* size of the compressed-output buffer */

#define GZ_HEADER_MAX (10 + 4096)    /* a header with the longest name */
#define GZ_TRAILER_LEN 8             /* CRC-32 and ISIZE */
#define GZ_DICT_SIZE 32768           /* deflate's window: a block's priming */

struct gz_writer {
    z_stream zs;              /* raw deflate: the gzip framing is ours */
    unsigned char *out;       /* GZW_OUT_SIZE bytes */
    int level;
    uint32_t crc;             /* CRC-32 of the input so far */
    uint64_t bytes_in;        /* uncompressed bytes of the current member
                                 (or block) */
    uint64_t bytes_out;       /* compressed bytes, header and trailer included
                                 for a stream; the deflate data of a block */
    unsigned header_len;      /* length of the gzip header just written */
};

/* Write the gzip header for a member whose FNAME is the last path
   component of `name` (none when NULL) and whose MTIME is `mtime` (0: no
   time stamp), compressed at `level`, into buf (GZ_HEADER_MAX bytes).
   XFL and OS are set as GNU gzip sets them (XFL 2 for -9, 4 for -1; OS 3,
   Unix).  Returns the header's length. */
size_t gzip_header(unsigned char *buf, const char *name, uint32_t mtime,
                 int level);

/* Write the 8-byte gzip trailer: CRC-32 and length modulo 2^32, both
   little-endian. */
void gzip_trailer(unsigned char *buf, uint32_t crc, uint64_t length);

/* Prepare a writer for compression level `level` (1..9).  Returns 0, or
   ENOMEM.  On failure nothing needs to be destroyed. */
int gzw_init(struct gz_writer *w, int level);

/* Release the writer's memory. */
void gzw_destroy(struct gz_writer *w);

/* Start a new gzip member with the header gzip_header(name, mtime, level)
   describes.  Nothing is emitted yet.  Returns 0; `name` need not outlive
   the call. */
int gzw_begin(struct gz_writer *w, const char *name, uint32_t mtime);

/* Compress `len` bytes of `buf`, emitting output through `sink` as the
   output buffer fills.  Returns 0 or the sink's errno. */
int gzw_write(struct gz_writer *w, const void *buf, size_t len,
              gz_sink_fn sink, void *ctx);

/* Finish the member: flush the deflate data and write the CRC-32 and
   length trailer through `sink`.  Returns 0 or the sink's errno.  After
   it, bytes_in and bytes_out hold the member's totals. */
int gzw_finish(struct gz_writer *w, gz_sink_fn sink, void *ctx);

/* The deflate data's share of bytes_out: what gzip's -v ratio compares
   with bytes_in (header and trailer excluded). */
uint64_t gzw_deflate_bytes(const struct gz_writer *w);

/* Compress one block of a member cut into blocks: raw deflate data for the
   `len` bytes at `data`, primed with the `dict_len` (at most GZ_DICT_SIZE)
   bytes of input that precede it (0 for the first block, and for every
   block with --independent), and ended on a byte boundary with an empty
   stored block (Z_SYNC_FLUSH) -- or, for the `last` block, with the end of
   the deflate stream.  Afterwards w->crc and w->bytes_in describe the
   block's input and w->bytes_out its output.  Returns 0 or the sink's
   errno. */
int gzw_block(struct gz_writer *w, const unsigned char *dict, size_t dict_len,
              const unsigned char *data, size_t len, bool last,
              gz_sink_fn sink, void *ctx);

#endif
