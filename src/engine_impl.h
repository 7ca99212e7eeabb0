/* engine_impl.h -- private to the engine's files (engine*.c, gzreader.c):
   what an engine implements, and the gzip framing they share.  Nothing
   outside the engine includes it. */
#ifndef PGZ_ENGINE_IMPL_H
#define PGZ_ENGINE_IMPL_H

#include "engine.h"

#define GZ_NAME_MAX 4095             /* longer stored names are cut */
#define GZ_HEADER_MAX (10 + 2 + ENGINE_PG_XLEN + GZ_NAME_MAX + 1)
#define GZ_TRAILER_LEN 8             /* CRC-32 and ISIZE */
#define GZ_METHOD_DEFLATE 8
#define GZ_FLG_FHCRC    0x02
#define GZ_FLG_FEXTRA   0x04
#define GZ_FLG_FNAME    0x08
#define GZ_FLG_FCOMMENT 0x10

/* One engine's functions; see engine.h for each one's contract. */
struct engine_ops {
    void (*destroy)(engine_t *e);
    void (*begin)(engine_t *e, const char *name, uint32_t mtime);
    int (*write)(engine_t *e, const unsigned char *buf, size_t len,
                 gz_sink_fn sink, void *ctx);
    int (*finish)(engine_t *e, gz_sink_fn sink, void *ctx);
    int (*block)(engine_t *e, const struct engine_block *b,
                 gz_sink_fn sink, void *ctx, struct engine_block_out *out);
    size_t (*join)(const engine_t *e, struct engine_join *j,
                   const struct engine_block *b, uint32_t crc,
                   unsigned char *tail);
};

/* The part every engine starts with. */
struct engine {
    const struct engine_ops *ops;
    struct engine_config cfg;
    struct engine_counts counts;    /* of the stream begun last */
};

/* Each engine's constructor: fills the common part; NULL when memory is
   short. */
engine_t *engine_zlib_new(const struct engine_config *cfg);
#ifdef HAVE_LIBDEFLATE
engine_t *engine_libdeflate_new(const struct engine_config *cfg);
#endif

/* Write a gzip header into buf (GZ_HEADER_MAX bytes): FNAME the last
   component of `name` (none when NULL), MTIME `mtime`, XFL and OS as GNU
   gzip sets them for `level` (XFL 2 for -9 and above, 4 for -1; OS 3,
   Unix), and, when `sized`, a "PG" FEXTRA subfield (its length 0 until
   frame_set_size()).
   Returns the header's length. */
size_t frame_header(unsigned char *buf, const char *name, uint32_t mtime,
                 int level, bool sized);

/* Fill in the PG subfield of a sized header written by frame_header(). */
void frame_set_size(unsigned char *header, uint32_t member_len);

/* The 8-byte trailer: CRC-32 and length modulo 2^32, little-endian. */
void frame_trailer(unsigned char *buf, uint32_t crc, uint64_t length);

/* Whole-member decoding, for gzreader.c (libdeflate; without it,
   engine_inflater_new() returns NULL and nothing is decoded whole). */
struct engine_inflater;
struct engine_inflater *engine_inflater_new(void);
void engine_inflater_free(struct engine_inflater *d);

/* Decode the raw deflate data in[0..in_len) into out[0..out_len): true,
   with the data's CRC-32 in *crc, only if it is valid, ends exactly at
   in_len and gives exactly out_len bytes. */
bool engine_inflate_exact(struct engine_inflater *d, const unsigned char *in,
                          size_t in_len, unsigned char *out, size_t out_len,
                          uint32_t *crc);

void frame_put_le32(unsigned char *p, uint32_t v);
uint32_t frame_get_le32(const unsigned char *p);

#endif
