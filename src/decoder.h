/* decoder.h -- the streaming decoder seam for the formats gzip -d reads
   besides gzip itself: compress (.Z, lzw.h), pack (.z, unpack.h) and a
   zip file's first entry (unzip.h).

   A decoder is created for one compressed stream, with the sink its data
   goes to (gz_sink_fn, sink.h), then fed the
   input in chunks of any size, starting with the format's magic bytes,
   and told when the input ends.  It holds bounded memory (the LZW tables,
   at most 320 KiB, are the largest), whatever the input.

       struct decoder *d = lzw_decoder_new(sink, ctx);
       while (read a chunk)
           if (dec_feed(d, buf, n, &used) != DEC_MORE) break;
       if the loop ran out of input: dec_finish(d);
       d->state, d->error, d->warnings ...
       dec_free(d);

   Errors are worded as gzip 1.14 words them (without its "gzip: FILE: "
   prefix and the newline it prints before some of them), so that the
   caller prints "PROG: NAME: " followed by d->error.  As gzip does, a
   decoder hands the data decoded before an error to the sink before it
   reports the error (zcat of a damaged file prints what it could read).

   How they plug into the decompression path (formats.h picks the
   decoder by the magic bytes; gzreader.c feeds it), as gzip's
   get_method() does it:
     - "\037\235": compress (lzw_decoder_new).  It takes the rest of the
       input: gzip looks for no member after it.
     - "\037\036": pack (unpack_decoder_new).  It ends after its end-of-
       block code; what follows is read like anything after a gzip member
       (another member, zeros, or trailing garbage).
     - "PK\003\004" at the very start of the input only (not after a
       member): a zip file (unzip_decoder_new).  Only the first entry is
       decoded; like compress it is the last member.  When another entry
       follows (DEC_WARN_MORE_ENTRIES) gzip warns with -c / zcat / -t
       ("NAME has more than one entry--rest ignored", status 2) and
       otherwise refuses, keeping the input ("NAME has more than one
       entry -- unchanged", status 1).
     - The suffixes gzip strips for them: .Z, .z, -z, _z (and -Z, _Z;
       case-insensitively), and .taz -> .tar (as .tgz).
     - -t decodes and checks as for -d, writing nothing.
     - -l decodes the whole stream (gzip 1.12 and later count the bytes)
       and prints the compressed and uncompressed sizes; with -v the
       method column says "compr", "pack " or "defla"/"store" (zip) and
       the CRC column shows ffffffff..., since gzip knows no CRC for them
       (it prints the unsigned long ~0: sixteen f's on 64-bit systems).
       A zip's uncompressed name is its file name minus a known suffix,
       so a ".zip" keeps its whole name.
     - gzip keeps no stored name nor time stamp for them: the output is
       named after the input and gets the input's time.

   A decoder belongs to one thread. */
#ifndef PGZ_DECODER_H
#define PGZ_DECODER_H

#include "sink.h"

#include <stddef.h>
#include <stdint.h>

#define DEC_OUT_SIZE (64 * 1024)   /* output is handed on in such chunks */

enum dec_state {
    DEC_MORE,       /* everything fed so far is taken: feed more, or finish */
    DEC_END,        /* the stream ended: input after *used is not its own */
    DEC_FAILED      /* an error (error) or the sink failed (sink_err) */
};

/* Warnings: the data is decoded, but gzip says something (status 2). */
#define DEC_WARN_FLAGS        1u  /* compress: reserved flag bits set;
                                     gzip's text is in `warning` */
#define DEC_WARN_MORE_ENTRIES 2u  /* zip: another entry follows the first */

struct decoder_ops;

/* The part of every decoder that its users read.  Each module's decoder
   embeds it first. */
struct decoder {
    const struct decoder_ops *ops;
    enum dec_state state;
    const char *error;      /* gzip's words for the failure, or NULL (the
                               sink failed, or no failure) */
    const char *error2;     /* a second error gzip reports after it
                               (zip: a length error after a CRC error) */
    const char *note;       /* a bare line gzip prints before the error,
                               without its prefix (zip: "len N, siz M"
                               before a stored entry's length mismatch) */
    int sink_err;           /* the sink's errno, when it failed */
    unsigned warnings;      /* DEC_WARN_* */
    char warning[64];       /* gzip's words for DEC_WARN_FLAGS */
    uint64_t bytes_in;      /* input taken, magic bytes included */
    uint64_t bytes_out;     /* data handed to the sink */

    /* private to decoder.c and the modules */
    gz_sink_fn sink;
    void *sink_ctx;
    unsigned char *out;     /* DEC_OUT_SIZE bytes of pending output */
    size_t out_len;
    char msg[80];           /* formatted error text */
};

/* Feed len bytes.  Returns the decoder's state: DEC_MORE when every byte
   was taken (*used == len) and the stream has not ended; DEC_END when it
   ended, having taken *used bytes (the rest follows the stream); or
   DEC_FAILED.  Once ended or failed, a decoder takes nothing more and
   keeps returning that state.  The sink may be called any number of
   times, with at most DEC_OUT_SIZE bytes each. */
enum dec_state dec_feed(struct decoder *d, const unsigned char *in,
                        size_t len, size_t *used);

/* The input has ended: hand on the pending output and return DEC_END, or
   DEC_FAILED when the stream is incomplete (gzip's "unexpected end of
   file" in most formats: see each module). */
enum dec_state dec_finish(struct decoder *d);

/* Release a decoder (NULL is fine). */
void dec_free(struct decoder *d);

/* ---- for the decoder modules only ---- */

struct decoder_ops {
    /* Take bytes from in (at most len); set *used; return the state. */
    enum dec_state (*feed)(struct decoder *d, const unsigned char *in,
                           size_t len, size_t *used);
    /* The input ended. */
    enum dec_state (*finish)(struct decoder *d);
    /* Free the module's own state and d itself. */
    void (*destroy)(struct decoder *d);
};

/* Set up the common part (the output buffer is allocated here). */
void dec_init(struct decoder *d, const struct decoder_ops *ops,
              gz_sink_fn sink, void *ctx);
/* Release the common part (not d itself). */
void dec_release(struct decoder *d);

/* Append output; hands full buffers to the sink.  Returns 0, or -1 when
   the sink failed (the decoder has then failed). */
int dec_put(struct decoder *d, const unsigned char *p, size_t n);
/* Hand the pending output to the sink: 0, or -1 as dec_put. */
int dec_flush(struct decoder *d);

/* Fail with gzip's words `error` (a string that lives forever, or d->msg),
   after handing on the output decoded so far.  Returns DEC_FAILED. */
enum dec_state dec_fail(struct decoder *d, const char *error);

#endif
