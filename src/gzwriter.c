/* gzwriter.c -- see gzwriter.h. */
#include "gzwriter.h"
#include "util.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define OS_UNIX 3           /* RFC 1952 OS field */
#define GZIP_WINDOW (15 + 16)   /* 32 KiB window, gzip wrapper */
#define MEM_LEVEL 8         /* zlib's default, as gzip and pigz use */
#define TRAILER_LEN 8       /* CRC-32 and ISIZE */

int gzw_init(struct gz_writer *w, int level)
{
    memset(w, 0, sizeof *w);
    w->out = malloc(GZW_OUT_SIZE);
    if (w->out == NULL)
        return ENOMEM;
    int rc = deflateInit2(&w->zs, level, Z_DEFLATED, GZIP_WINDOW, MEM_LEVEL,
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
    free(w->name);
    memset(w, 0, sizeof *w);
}

/* GNU gzip's XFL: 2 for maximum compression, 4 for the fastest. */
static int extra_flags(int level)
{
    return level == 9 ? 2 : level == 1 ? 4 : 0;
}

int gzw_begin(struct gz_writer *w, const char *name, uint32_t mtime)
{
    if (deflateReset(&w->zs) != Z_OK)
        panic("deflateReset failed");
    free(w->name);
    w->name = NULL;
    memset(&w->header, 0, sizeof w->header);
    w->header.time = mtime;
    w->header.xflags = extra_flags(w->level);
    w->header.os = OS_UNIX;
    w->header_len = 10;
    if (name != NULL) {
        const char *base = strrchr(name, '/');
        w->name = xstrdup(base ? base + 1 : name);
        w->header.name = (Bytef *)w->name;
        w->header_len += (unsigned)strlen(w->name) + 1;
    }
    if (deflateSetHeader(&w->zs, &w->header) != Z_OK)
        panic("deflateSetHeader failed");
    w->bytes_in = 0;
    w->bytes_out = 0;
    w->zs.next_out = w->out;
    w->zs.avail_out = GZW_OUT_SIZE;
    return 0;
}

/* Hand the filled part of the output buffer to the sink and reset it. */
static int drain(struct gz_writer *w, gz_sink_fn sink, void *ctx)
{
    size_t have = GZW_OUT_SIZE - w->zs.avail_out;
    if (have == 0)
        return 0;
    int err = sink(ctx, w->out, have);
    w->bytes_out += have;
    w->zs.next_out = w->out;
    w->zs.avail_out = GZW_OUT_SIZE;
    return err;
}

/* Run deflate with `flush` until it has consumed all input (Z_NO_FLUSH) or
   finished the stream (Z_FINISH), draining the output buffer whenever it
   fills. */
static int pump(struct gz_writer *w, int flush, gz_sink_fn sink, void *ctx)
{
    for (;;) {
        int rc = deflate(&w->zs, flush);
        if (rc == Z_STREAM_ERROR)
            panic("deflate: stream error");
        bool full = w->zs.avail_out == 0;
        if (full || rc == Z_STREAM_END) {
            int err = drain(w, sink, ctx);
            if (err != 0)
                return err;
        }
        if (rc == Z_STREAM_END)
            return 0;
        /* Not full after a call means deflate needs more input (or, with
           Z_FINISH, cannot happen: Z_FINISH only stops on a full buffer). */
        if (!full && flush == Z_NO_FLUSH && w->zs.avail_in == 0)
            return 0;
    }
}

int gzw_write(struct gz_writer *w, const void *buf, size_t len,
              gz_sink_fn sink, void *ctx)
{
    const unsigned char *p = buf;
    while (len > 0) {
        /* avail_in is a uInt: feed huge buffers in slices. */
        uInt chunk = len > (1u << 30) ? (1u << 30) : (uInt)len;
        w->zs.next_in = (Bytef *)p;
        w->zs.avail_in = chunk;
        int err = pump(w, Z_NO_FLUSH, sink, ctx);
        if (err != 0)
            return err;
        w->bytes_in += chunk;
        p += chunk;
        len -= chunk;
    }
    return 0;
}

int gzw_finish(struct gz_writer *w, gz_sink_fn sink, void *ctx)
{
    w->zs.next_in = NULL;
    w->zs.avail_in = 0;
    return pump(w, Z_FINISH, sink, ctx);
}

uint64_t gzw_deflate_bytes(const struct gz_writer *w)
{
    uint64_t overhead = (uint64_t)w->header_len + TRAILER_LEN;
    return w->bytes_out > overhead ? w->bytes_out - overhead : 0;
}
