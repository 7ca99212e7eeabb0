/* gzwriter.c -- see gzwriter.h. */
#include "gzwriter.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define OS_UNIX 3               /* RFC 1952 OS field */
#define RAW_WINDOW (-15)        /* 32 KiB window, no zlib or gzip wrapper */
#define MEM_LEVEL 8             /* zlib's default, as gzip and pigz use */
#define FLG_FNAME 0x08

int gzw_init(struct gz_writer *w, int level)
{
    memset(w, 0, sizeof *w);
    w->out = malloc(GZW_OUT_SIZE);
    if (w->out == NULL)
        return ENOMEM;
    int rc = deflateInit2(&w->zs, level, Z_DEFLATED, RAW_WINDOW, MEM_LEVEL,
                          Z_DEFAULT_STRATEGY);
    if (rc != Z_OK) {
        free(w->out);
        w->out = NULL;
        if (rc == Z_MEM_ERROR)
            return ENOMEM;
        panic("deflateInit2: %d", rc);
    }
    w->level = level;
    return 0;
}

void gzw_destroy(struct gz_writer *w)
{
    if (w->out == NULL)
        return;
    deflateEnd(&w->zs);
    free(w->out);
    memset(w, 0, sizeof *w);
}

static void put_le32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

size_t gzip_header(unsigned char *buf, const char *name, uint32_t mtime,
                 int level)
{
    buf[0] = 0x1f;
    buf[1] = 0x8b;
    buf[2] = Z_DEFLATED;
    buf[3] = name ? FLG_FNAME : 0;
    put_le32(buf + 4, mtime);
    buf[8] = level == 9 ? 2 : level == 1 ? 4 : 0;   /* GNU gzip's XFL */
    buf[9] = OS_UNIX;
    size_t len = 10;
    if (name != NULL) {
        const char *base = strrchr(name, '/');
        base = base ? base + 1 : name;
        size_t n = strnlen(base, GZ_HEADER_MAX - 11);
        memcpy(buf + len, base, n);
        len += n;
        buf[len++] = '\0';
    }
    return len;
}

void gzip_trailer(unsigned char *buf, uint32_t crc, uint64_t length)
{
    put_le32(buf, crc);
    put_le32(buf + 4, (uint32_t)length);    /* ISIZE is modulo 2^32 */
}

static void reset_output(struct gz_writer *w)
{
    w->zs.next_out = w->out;
    w->zs.avail_out = GZW_OUT_SIZE;
}

/* Hand the filled part of the output buffer to the sink and reset it. */
static int drain(struct gz_writer *w, gz_sink_fn sink, void *ctx)
{
    size_t have = GZW_OUT_SIZE - w->zs.avail_out;
    if (have == 0)
        return 0;
    int err = sink(ctx, w->out, have);
    w->bytes_out += have;
    reset_output(w);
    return err;
}

/* Run deflate with `flush` until it has consumed all its input and, for
   Z_SYNC_FLUSH, flushed it all; for Z_FINISH, until the stream ends.
   Drains the output buffer whenever it fills, not at the end. */
static int pump(struct gz_writer *w, int flush, gz_sink_fn sink, void *ctx)
{
    for (;;) {
        int rc = deflate(&w->zs, flush);
        if (rc == Z_STREAM_ERROR)
            panic("deflate: stream error");
        if (rc == Z_STREAM_END)
            return 0;
        if (w->zs.avail_out != 0 && flush != Z_FINISH && w->zs.avail_in == 0)
            return 0;   /* all input taken, all output out (zlib.h) */
        if (w->zs.avail_out == 0) {
            int err = drain(w, sink, ctx);
            if (err != 0)
                return err;
        }
    }
}

/* Feed `len` bytes to deflate with Z_NO_FLUSH, keeping the CRC. */
static int feed(struct gz_writer *w, const unsigned char *p, size_t len,
                gz_sink_fn sink, void *ctx)
{
    while (len > 0) {
        /* avail_in is a uInt: feed huge buffers in slices. */
        uInt chunk = len > (1u << 30) ? (1u << 30) : (uInt)len;
        w->zs.next_in = (Bytef *)p;
        w->zs.avail_in = chunk;
        int err = pump(w, Z_NO_FLUSH, sink, ctx);
        if (err != 0)
            return err;
        w->crc = (uint32_t)crc32(w->crc, p, chunk);
        w->bytes_in += chunk;
        p += chunk;
        len -= chunk;
    }
    return 0;
}

static void start(struct gz_writer *w)
{
    if (deflateReset(&w->zs) != Z_OK)
        panic("deflateReset failed");
    w->crc = (uint32_t)crc32(0L, Z_NULL, 0);
    w->bytes_in = 0;
    w->bytes_out = 0;
    reset_output(w);
}

int gzw_begin(struct gz_writer *w, const char *name, uint32_t mtime)
{
    start(w);
    /* The header waits at the front of the output buffer. */
    w->header_len = (unsigned)gzip_header(w->out, name, mtime, w->level);
    w->zs.next_out += w->header_len;
    w->zs.avail_out -= w->header_len;
    return 0;
}

int gzw_write(struct gz_writer *w, const void *buf, size_t len,
              gz_sink_fn sink, void *ctx)
{
    return feed(w, buf, len, sink, ctx);
}

int gzw_finish(struct gz_writer *w, gz_sink_fn sink, void *ctx)
{
    w->zs.next_in = NULL;
    w->zs.avail_in = 0;
    int err = pump(w, Z_FINISH, sink, ctx);
    if (err == 0 && w->zs.avail_out < GZ_TRAILER_LEN)
        err = drain(w, sink, ctx);
    if (err != 0)
        return err;
    gzip_trailer(w->zs.next_out, w->crc, w->bytes_in);
    w->zs.next_out += GZ_TRAILER_LEN;
    w->zs.avail_out -= GZ_TRAILER_LEN;
    return drain(w, sink, ctx);
}

uint64_t gzw_deflate_bytes(const struct gz_writer *w)
{
    uint64_t overhead = (uint64_t)w->header_len + GZ_TRAILER_LEN;
    return w->bytes_out > overhead ? w->bytes_out - overhead : 0;
}

int gzw_block(struct gz_writer *w, const unsigned char *dict, size_t dict_len,
              const unsigned char *data, size_t len, bool last,
              gz_sink_fn sink, void *ctx)
{
    start(w);
    w->header_len = 0;
    if (dict_len > 0 &&
        deflateSetDictionary(&w->zs, dict, (uInt)dict_len) != Z_OK)
        panic("deflateSetDictionary failed");
    int err = feed(w, data, len, sink, ctx);
    if (err == 0)
        err = pump(w, last ? Z_FINISH : Z_SYNC_FLUSH, sink, ctx);
    if (err == 0)
        err = drain(w, sink, ctx);
    return err;
}
