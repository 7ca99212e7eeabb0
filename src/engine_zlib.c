/* engine_zlib.c -- the zlib engine (engine.h): one member per file; a big
   file's blocks are raw deflate primed with the 32 KiB before them and
   ended on a byte boundary, joined under one header and one trailer. */
#include "engine_impl.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define RAW_WINDOW (-15)        /* 32 KiB window, no zlib or gzip wrapper */
#define MEM_LEVEL 8             /* zlib's default, as gzip and pigz use */
#define OUT_SIZE ENGINE_ZLIB_OUT_SIZE

struct zengine {
    struct engine base;
    z_stream zs;              /* raw deflate: the gzip framing is ours */
    unsigned char *out;       /* OUT_SIZE bytes */
    uint32_t crc;             /* CRC-32 of the input so far */
    uint64_t bytes_in;        /* of the current stream or block */
    uint64_t bytes_out;       /* everything emitted for it */
    unsigned header_len;      /* the header's share of bytes_out */
};

static struct zengine *Z(engine_t *e)
{
    return (struct zengine *)e;
}

static void zl_destroy(engine_t *e)
{
    struct zengine *z = Z(e);
    deflateEnd(&z->zs);
    free(z->out);
    free(z);
}

static void reset_output(struct zengine *z)
{
    z->zs.next_out = z->out;
    z->zs.avail_out = OUT_SIZE;
}

/* Hand the filled part of the output buffer to the sink and reset it. */
static int drain(struct zengine *z, gz_sink_fn sink, void *ctx)
{
    size_t have = OUT_SIZE - z->zs.avail_out;
    if (have == 0)
        return 0;
    int err = sink(ctx, z->out, have);
    z->bytes_out += have;
    reset_output(z);
    return err;
}

/* Run deflate with `flush` until it has consumed all its input and, for
   Z_SYNC_FLUSH, flushed it all; for Z_FINISH, until the stream ends.
   Drains the output buffer whenever it fills, not at the end. */
static int pump(struct zengine *z, int flush, gz_sink_fn sink, void *ctx)
{
    for (;;) {
        int rc = deflate(&z->zs, flush);
        if (rc == Z_STREAM_ERROR)
            panic("deflate: stream error");
        if (rc == Z_STREAM_END)
            return 0;
        if (z->zs.avail_out != 0 && flush != Z_FINISH && z->zs.avail_in == 0)
            return 0;   /* all input taken, all output out (zlib.h) */
        if (z->zs.avail_out == 0) {
            int err = drain(z, sink, ctx);
            if (err != 0)
                return err;
        }
    }
}

/* Feed `len` bytes to deflate with Z_NO_FLUSH, keeping the CRC. */
static int feed(struct zengine *z, const unsigned char *p, size_t len,
                gz_sink_fn sink, void *ctx)
{
    while (len > 0) {
        /* avail_in is a uInt: feed huge buffers in slices. */
        uInt chunk = len > (1u << 30) ? (1u << 30) : (uInt)len;
        z->zs.next_in = (Bytef *)p;
        z->zs.avail_in = chunk;
        int err = pump(z, Z_NO_FLUSH, sink, ctx);
        if (err != 0)
            return err;
        z->crc = (uint32_t)crc32(z->crc, p, chunk);
        z->bytes_in += chunk;
        p += chunk;
        len -= chunk;
    }
    return 0;
}

static void start(struct zengine *z)
{
    if (deflateReset(&z->zs) != Z_OK)
        panic("deflateReset failed");
    z->crc = (uint32_t)crc32(0L, Z_NULL, 0);
    z->bytes_in = 0;
    z->bytes_out = 0;
    z->header_len = 0;
    reset_output(z);
}

static void update_counts(struct zengine *z)
{
    uint64_t overhead = (uint64_t)z->header_len + GZ_TRAILER_LEN;
    z->base.counts.bytes_in = z->bytes_in;
    z->base.counts.bytes_out = z->bytes_out;
    z->base.counts.deflate_bytes =
        z->bytes_out > overhead ? z->bytes_out - overhead : 0;
}

/* The header waits at the front of the output buffer. */
static void put_header(struct zengine *z, const char *name, uint32_t mtime)
{
    z->header_len = (unsigned)frame_header(z->out, name, mtime,
                                        z->base.cfg.level, false);
    z->zs.next_out += z->header_len;
    z->zs.avail_out -= z->header_len;
}

static void zl_begin(engine_t *e, const char *name, uint32_t mtime)
{
    struct zengine *z = Z(e);
    start(z);
    put_header(z, name, mtime);
}

static int zl_write(engine_t *e, const unsigned char *buf, size_t len,
                    gz_sink_fn sink, void *ctx)
{
    struct zengine *z = Z(e);
    int err = feed(z, buf, len, sink, ctx);
    update_counts(z);
    return err;
}

static int zl_finish(engine_t *e, gz_sink_fn sink, void *ctx)
{
    struct zengine *z = Z(e);
    z->zs.next_in = NULL;
    z->zs.avail_in = 0;
    int err = pump(z, Z_FINISH, sink, ctx);
    if (err == 0 && z->zs.avail_out < GZ_TRAILER_LEN)
        err = drain(z, sink, ctx);
    if (err == 0) {
        frame_trailer(z->zs.next_out, z->crc, z->bytes_in);
        z->zs.next_out += GZ_TRAILER_LEN;
        z->zs.avail_out -= GZ_TRAILER_LEN;
        err = drain(z, sink, ctx);
    }
    update_counts(z);
    return err;
}

static int zl_block(engine_t *e, const struct engine_block *b,
                    gz_sink_fn sink, void *ctx, struct engine_block_out *out)
{
    struct zengine *z = Z(e);
    start(z);
    if (b->index == 0)
        put_header(z, b->name, b->mtime);
    if (b->dict_len > 0 &&
        deflateSetDictionary(&z->zs, b->dict, (uInt)b->dict_len) != Z_OK)
        panic("deflateSetDictionary failed");
    int err = feed(z, b->data, b->len, sink, ctx);
    if (err == 0)
        err = pump(z, b->last ? Z_FINISH : Z_SYNC_FLUSH, sink, ctx);
    if (err == 0)
        err = drain(z, sink, ctx);
    out->crc = z->crc;
    out->deflate_bytes = z->bytes_out - z->header_len;
    out->bytes = z->bytes_out;
    return err;
}

/* The trailer after the last block, unless the input was cut short: the
   member must not pass for a complete one. */
static size_t zl_join(const engine_t *e, struct engine_join *j,
                      const struct engine_block *b, uint32_t crc,
                      unsigned char *tail)
{
    (void)e;
    if (b->index == 0)
        j->crc = (uint32_t)crc32(0L, Z_NULL, 0);
    j->crc = (uint32_t)crc32_combine(j->crc, crc, (z_off_t)b->len);
    j->len += b->len;
    if (!b->last || b->truncated)
        return 0;
    frame_trailer(tail, j->crc, j->len);
    return GZ_TRAILER_LEN;
}

static const struct engine_ops zlib_ops = {
    .destroy = zl_destroy,
    .begin = zl_begin,
    .write = zl_write,
    .finish = zl_finish,
    .block = zl_block,
    .join = zl_join,
};

engine_t *engine_zlib_new(const struct engine_config *cfg)
{
    struct zengine *z = calloc(1, sizeof *z);
    if (z == NULL)
        return NULL;
    z->out = malloc(OUT_SIZE);
    if (z->out == NULL) {
        free(z);
        return NULL;
    }
    int rc = deflateInit2(&z->zs, engine_deflate_level(cfg), Z_DEFLATED, RAW_WINDOW,
                          MEM_LEVEL, Z_DEFAULT_STRATEGY);
    if (rc != Z_OK) {
        free(z->out);
        free(z);
        if (rc == Z_MEM_ERROR)
            return NULL;
        panic("deflateInit2: %d", rc);
    }
    z->base.ops = &zlib_ops;
    z->base.cfg = *cfg;
    return &z->base;
}
