/* gzreader_impl.h -- the gzip reader's insides, shared by its three files
   (not a contract for anyone else; gzreader.h is):
     gzreader.c   the reader's life, its input, members' headers, gzr_run;
     gzr_inflate.c  a gzip member's data: whole (libdeflate) or streamed
                  (zlib), and its trailer;
     gzr_other.c  members of the other formats gzip reads (formats.h), and
                  input copied through (gzr_force). */
#ifndef PGZ_GZREADER_IMPL_H
#define PGZ_GZREADER_IMPL_H

#include "gzreader.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

#define FLG_FHCRC    GZ_FLG_FHCRC
#define FLG_FEXTRA   GZ_FLG_FEXTRA
#define FLG_FNAME    GZ_FLG_FNAME
#define FLG_FCOMMENT GZ_FLG_FCOMMENT
#define FLG_ENCRYPTED 0x20
#define FLG_RESERVED 0xc0
#define RAW_WINDOW (-15)
#define GZR_IN_SIZE (128 * 1024)
#define GZR_OUT_SIZE (256 * 1024)
/* Members decoded whole are at most this big (pgz writes blocks of at most
   64 MiB); bigger ones stream. */
#define WHOLE_MAX_DATA (64u << 20)
#define WHOLE_MAX_MEMBER (WHOLE_MAX_DATA + (WHOLE_MAX_DATA >> 6) + 65536)

struct gz_reader {
    z_stream zs;              /* raw inflate; next_in/avail_in: the input
                                 not yet used (in `in` or in `member`) */
    unsigned char *in, *out;
    int fd;
    bool eof;
    const unsigned char *pre;   /* see gzr_preread(): read before fd */
    size_t pre_len;
    bool pre_set;             /* gzr_preread() since the last open */
    bool after;               /* gzr_open_after(): no first member */
    enum gz_format format;    /* the current member's */
    unsigned char magic[2];   /* the current member's first bytes, read */
    size_t magic_len;
    bool copying;             /* the rest is copied through (gzr_force) */
    struct gz_result *res;
    bool keep_name;           /* see gzr_keep_name() */
    size_t name_max;
    bool try_magic, copy;     /* see gzr_force() */
    void (*on_input)(void *ctx, size_t len);  /* see gzr_watch_input() */
    void *on_input_ctx;
    /* Whole members (libdeflate): */
    struct engine_inflater *whole;  /* NULL: everything streams */
    uint32_t member_len;      /* the current member's PG length, or 0 */
    uint64_t header_len;      /* the current member's header length */
    unsigned char *member;    /* the member's data and trailer, gathered */
    size_t member_cap;
    unsigned char *data;      /* its decoded data */
    size_t data_cap;
};

/* Read up to `len` bytes into `buf` (gzr_preread's bytes first), counting
   them.  Returns how many (0 at the end of the input, or after a read
   error: res->status then says so). */
size_t gzr_input_read(struct gz_reader *r, unsigned char *buf, size_t len);

/* Refill the input buffer when it is empty.  Returns false at the end of
   the input or on a read error (res->status then says which). */
bool gzr_refill(struct gz_reader *r);

/* A little-endian number of `n` bytes that must be there (at the end, the
   member is truncated), added to the header CRC `hcrc` unless NULL. */
bool gzr_need_le(struct gz_reader *r, int n, uint32_t *value, uLong *hcrc);

/* The data and trailer of the gzip member whose header was just read
   (gzr_inflate.c).  Returns whether it decoded and checked out. */
bool gzr_member_data(struct gz_reader *r, gz_sink_fn sink, void *ctx);

/* A member of another format, from its magic bytes on (gzr_other.c).
   Returns whether it ended well. */
bool gzr_legacy_member(struct gz_reader *r, gz_sink_fn sink, void *ctx);

/* gzip -cdf: the input from the current member's first byte on, which is
   no member, goes to the sink as it is (gzr_other.c). */
void gzr_copy_rest(struct gz_reader *r, gz_sink_fn sink, void *ctx);

#endif
