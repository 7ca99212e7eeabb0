/* gzreader.h -- the gzip stream reader: decode every member of a gzip
   file (RFC 1952) from a file descriptor, checking everything that can be
   checked, and hand the data to a sink.  As gzip -d does, it also reads
   the other formats gzip reads (formats.h: compress, pack, a zip file's
   first entry), each member by its magic bytes, through their decoders
   (decoder.h), and with gzip's -f and -c it copies input that is no
   member through (gzr_force).

   Checked: the magic number and method of every member, reserved flag
   bits, the header CRC (FHCRC) when present, the deflate data, and each
   member's CRC-32 and length (modulo 2^32) against its trailer.  Members
   follow one another until the end of the input; what follows the last
   member is classified as gzip 1.14's get_method() classifies it:
     - nothing;
     - another member: gzip, pack or compress (a zip file is only
       recognised at the start of the input);
     - a first byte that is not zero and no second byte: "unexpected end
       of file" (an error), unless gzr_force's try_magic;
     - zero bytes up to the end: ignored silently (GZ_TRAILING_ZEROS);
     - with gzr_force's copy: anything else, zeros included, is copied to
       the sink as it is (GZ_TRAILING_COPIED), as zcat -f does;
     - otherwise garbage (GZ_TRAILING_GARBAGE: gzip's warning).
   A compress or zip member takes the rest of the input.

   Use: gzr_open() reads the first member's header, so that the caller can
   name its output after the stored name (-N) before any data flows; then
   gzr_run() decodes everything.  A reader belongs to one thread and is
   reused from file to file, like an engine_t.  This decoder is part of the
   engine (engine.h): it alone calls inflate. */
#ifndef PGZ_GZREADER_H
#define PGZ_GZREADER_H

#include "engine.h"
#include "formats.h"
#include "sink.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum gz_status {
    GZ_OK = 0,
    GZ_NOT_GZIP,        /* the input does not start with a gzip header */
    GZ_BAD_METHOD,      /* compression method other than deflate (detail) */
    GZ_BAD_FLAGS,       /* reserved header flags set (detail) */
    GZ_ENCRYPTED,       /* the encryption flag (0x20) is set */
    GZ_BAD_HEADER_CRC,  /* FHCRC does not match the header */
    GZ_NAME_TOO_LARGE,  /* a kept FNAME is longer than allowed (see
                           gzr_keep_name) */
    GZ_TRUNCATED,       /* the input ends inside a member */
    GZ_CORRUPT,         /* invalid deflate data */
    GZ_BAD_CRC,         /* trailer CRC-32 does not match the data */
    GZ_BAD_LENGTH,      /* trailer length does not match the data */
    GZ_BAD_CRC_AND_LENGTH,  /* both: gzip reports the two */
    GZ_DECODER_ERROR,   /* another format's decoder failed: gzip's words
                           in text (and text2, note) */
    GZ_READ_ERROR,      /* read(2) failed: errno in err */
    GZ_WRITE_ERROR      /* the sink failed: its errno in err */
};

enum gz_trailing {
    GZ_TRAILING_NONE,
    GZ_TRAILING_ZEROS,     /* only zero bytes after the last member */
    GZ_TRAILING_GARBAGE,   /* anything else after the last member */
    GZ_TRAILING_COPIED     /* copied through to the sink (gzr_force) */
};

/* What a decoding found out. */
struct gz_result {
    enum gz_status status;
    int err;                  /* errno, for READ and WRITE errors */
    unsigned detail;          /* the method or flags, for BAD_METHOD/FLAGS */
    enum gz_trailing trailing;
    char *name;               /* FNAME of the first member (malloc'd), if
                                 asked for (gzr_keep_name), or NULL */
    uint32_t mtime;           /* MTIME of the first member */
    uint32_t crc;             /* CRC-32 in the last member's trailer */
    uint64_t members;         /* complete members */
    uint64_t bytes_in;        /* bytes read from the input */
    uint64_t bytes_out;       /* bytes of data decoded */
    uint64_t overhead;        /* bytes of headers and trailers */
    enum gz_format format;    /* the first member's; GZ_FORMAT_NONE when
                                 the input is copied through */
    int zip_method;           /* a zip entry's method byte (0: stored) */
    char text[80];            /* GZ_DECODER_ERROR: gzip's words; */
    char text2[80];           /* a second error it reports, or ""; */
    char note[80];            /* a bare line it prints first, or "" */
    unsigned warnings;        /* DEC_WARN_*: the decoders' warnings */
    char warning[64];         /* the words of DEC_WARN_FLAGS */
};

typedef struct gz_reader gz_reader_t;

/* A new reader, or NULL when memory is short.  With ENGINE_LIBDEFLATE
   (when built in), a member whose header carries its length (the "PG"
   subfield, engine.h) is read whole and decoded by libdeflate; any other
   member, or one whose whole decoding finds anything wrong, streams
   through zlib's inflate, which then reports exactly what is wrong.
   Results, messages and checks are the same either way. */
gz_reader_t *gzr_new(enum engine_id engine);
void gzr_free(gz_reader_t *r);

/* Call fn(ctx, len) after each read of `len` bytes of input, from then on
   (the progress line); fn NULL stops it. */
void gzr_watch_input(struct gz_reader *r, void (*fn)(void *ctx, size_t len),
                     void *ctx);

/* Whether the next gzr_open() keeps the first member's FNAME in
   res->name (by default, and with `keep` false, it is skipped: gzip reads
   it only when it will use it).  A kept name longer than `max` bytes
   fails the header with GZ_NAME_TOO_LARGE as soon as it is seen, as gzip
   fails ("corrupted input -- file name too large"): at most `max` + 1
   bytes are held, whatever the input. */
void gzr_keep_name(struct gz_reader *r, bool keep, size_t max);

/* gzip's -f with -c or -t (its `force && to_stdout`), from the next
   gzr_open() on: a member's second magic byte may be missing (read as
   gzip's try_byte, not as an error), and, when `copy` (not under -l),
   input that is no member, at the start or after members, is copied to
   the sink as it is.  Both false by default. */
void gzr_force(struct gz_reader *r, bool try_magic, bool copy);

/* Start decoding `fd` into *res (which it resets; free res->name with
   gzr_result_free): read the first member's header (of another format:
   its magic bytes).  Returns false, with res->status set, if the input is
   not a readable stream in a format gzip reads (and is not copied). */
bool gzr_open(struct gz_reader *r, int fd, struct gz_result *res);

/* Bytes of the input that were read from it before (pardec.h's walker,
   on a pipe): the next gzr_open() or gzr_open_after() reads these `len`
   bytes first, then the descriptor.  `buf` must stay valid until gzr_run()
   ends; an open without a gzr_preread() before it reads none. */
void gzr_preread(struct gz_reader *r, const unsigned char *buf, size_t len);

/* As gzr_open(), for input that continues a stream after whole members
   (pardec.h, resuming sequentially where its walk stopped): the bytes
   there are read as what follows a member (another member, zeros,
   garbage, or the end: see above), never as the first one.  Returns
   false, with res->status GZ_OK and res->trailing set, when no member
   follows; false with an error status as gzr_open() does. */
bool gzr_open_after(struct gz_reader *r, int fd, struct gz_result *res);

/* After a successful gzr_open(): decode every member, giving the data to
   `sink` (NULL: only count and check it).  Sets res->status. */
void gzr_run(struct gz_reader *r, gz_sink_fn sink, void *ctx);

/* gzip's wording of a failed status, e.g. "unexpected end of file";
   `buf` (at least 64 bytes) is used for the messages with numbers.  The
   file's name goes before it with ": ", except for the two that gzip
   words as "FILE is encrypted ..." and "FILE has flags ..." (see
   gzr_message_joins_name). */
const char *gzr_message(const struct gz_result *res, char *buf, size_t size);

/* Whether gzip joins the file's name to this status's message with a
   space ("FILE has flags 0x40 -- not supported") instead of ": ". */
bool gzr_message_joins_name(const struct gz_result *res);

void gzr_result_free(struct gz_result *res);

/* Decode one member's raw deflate data in[0..in_len) into out[0..out_len)
   whole (pardec.h's workers): true, with its CRC-32 in *crc, only if the
   data is valid, ends exactly at in_len and gives exactly out_len bytes.
   libdeflate when the reader has it, else zlib's inflate (the reader's
   own stream: not between gzr_open() and the end of gzr_run()). */
bool gzr_inflate_whole(struct gz_reader *r, const unsigned char *in,
                       size_t in_len, unsigned char *out, size_t out_len,
                       uint32_t *crc);

#endif
