/* gzwriter.h -- the gzip stream writer: deflate data into one RFC 1952
   gzip member and hand the compressed bytes to a caller-supplied sink.

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

#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

/* Where compressed bytes go.  Called with 1..GZW_OUT_SIZE bytes at a time;
   must consume them all and return 0, or return a positive errno value,
   which aborts the stream and is returned by the gzw_* call. */
typedef int (*gz_sink_fn)(void *ctx, const unsigned char *buf, size_t len);

#define GZW_OUT_SIZE (128 * 1024)   /* size of the compressed-output buffer */

struct gz_writer {
    z_stream zs;
    gz_header header;
    unsigned char *out;       /* GZW_OUT_SIZE bytes */
    int level;
    uint64_t bytes_in;        /* uncompressed bytes of the current member */
    uint64_t bytes_out;       /* compressed bytes, header and trailer included */
    unsigned header_len;      /* length of the gzip header just written */
    char *name;               /* our copy of the FNAME field, or NULL */
};

/* Prepare a writer for compression level `level` (1..9).  Returns 0, or
   ENOMEM.  On failure nothing needs to be destroyed. */
int gzw_init(struct gz_writer *w, int level);

/* Release the writer's memory. */
void gzw_destroy(struct gz_writer *w);

/* Start a new gzip member.  `name` is stored as the FNAME field (only its
   last path component, as gzip does), or omitted when NULL; `mtime` is the
   MTIME field (0: no time stamp).  The XFL and OS fields are set as GNU
   gzip sets them (2 for -9, 4 for -1; OS 3, Unix).  Nothing is emitted yet.
   Returns 0; the header fields are copied, so `name` need not outlive the
   call. */
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

#endif
