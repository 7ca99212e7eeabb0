/* engine_libdeflate.c -- the libdeflate engine (engine.h): every block an
   independent gzip member that carries its own length ("PG" subfield), a
   file of one block one plain member; and the whole-member decoder that
   gzreader.c uses for members whose length is known. */
#include "engine_impl.h"
#include "util.h"

#include <libdeflate.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct lengine {
    struct engine base;
    struct libdeflate_compressor *c;
    unsigned char *out;         /* one member */
    size_t out_cap;
    /* A file read as one stream: its pending block and where it is. */
    unsigned char *buf;
    size_t buf_len, buf_cap;
    size_t index;
    bool has_name;
    char name[GZ_NAME_MAX + 1];
    uint32_t mtime;
};

/* libdeflate picks its CRC-32 and decoder for the CPU on first use and
   stores the choice in a plain static pointer: harmless, but a data race
   when two workers make the first call at once.  Every engine and decoder
   is made through here first, so the choice is made once, before any
   worker can use them. */
static void choose_implementations(void)
{
    static const unsigned char empty_deflate[] = { 0x03, 0x00 };
    unsigned char byte = 0, out;
    size_t made;
    (void)libdeflate_crc32(0, &byte, 1);
    struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    if (d != NULL) {
        (void)libdeflate_deflate_decompress(d, empty_deflate,
                                            sizeof empty_deflate, &out, 0,
                                            &made);
        libdeflate_free_decompressor(d);
    }
}

static void choose_once(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    int err = pthread_once(&once, choose_implementations);
    if (err != 0)
        panic("pthread_once: %d", err);
}

static struct lengine *L(engine_t *e)
{
    return (struct lengine *)e;
}

static void ld_destroy(engine_t *e)
{
    struct lengine *l = L(e);
    libdeflate_free_compressor(l->c);
    free(l->out);
    free(l->buf);
    free(l);
}

/* Grow *p to hold at least `need` bytes. */
static void reserve(unsigned char **p, size_t *cap, size_t need)
{
    if (*cap >= need)
        return;
    *p = xrealloc(*p, need);
    *cap = need;
}

/* One member for block `b`: plain when it is the file's only block; sized
   otherwise; cut short (no size, no trailer) after a read error. */
static int ld_block(engine_t *e, const struct engine_block *b,
                    gz_sink_fn sink, void *ctx, struct engine_block_out *out)
{
    struct lengine *l = L(e);
    bool first = b->index == 0;
    bool sized = !(first && b->last) && !b->truncated;
    size_t bound = libdeflate_deflate_compress_bound(l->c, b->len);
    reserve(&l->out, &l->out_cap, GZ_HEADER_MAX + bound + GZ_TRAILER_LEN);
    size_t hlen = frame_header(l->out, first ? b->name : NULL,
                            first ? b->mtime : 0, l->base.cfg.level, sized);
    size_t dlen = libdeflate_deflate_compress(l->c, b->data, b->len,
                                              l->out + hlen, bound);
    if (dlen == 0)
        panic("libdeflate_deflate_compress: output over its bound");
    out->crc = (uint32_t)libdeflate_crc32(0, b->data, b->len);
    out->deflate_bytes = dlen;
    size_t total = hlen + dlen;
    if (!b->truncated) {
        frame_trailer(l->out + total, out->crc, b->len);
        total += GZ_TRAILER_LEN;
    }
    if (sized)
        frame_set_size(l->out, (uint32_t)total);
    out->bytes = total;
    return sink(ctx, l->out, total);
}

/* Members need nothing between them. */
static size_t ld_join(const engine_t *e, struct engine_join *j,
                      const struct engine_block *b, uint32_t crc,
                      unsigned char *tail)
{
    (void)e;
    (void)crc;
    (void)tail;
    j->len += b->len;
    return 0;
}

/* ---- a file as one stream: the same members as in blocks --------------- */

static void ld_begin(engine_t *e, const char *name, uint32_t mtime)
{
    struct lengine *l = L(e);
    l->has_name = name != NULL;
    if (name != NULL) {
        const char *base = strrchr(name, '/');
        base = base ? base + 1 : name;
        size_t n = strnlen(base, GZ_NAME_MAX);
        memcpy(l->name, base, n);
        l->name[n] = '\0';
    }
    l->mtime = mtime;
    l->index = 0;
    l->buf_len = 0;
}

/* Compress the pending block as member l->index. */
static int emit(struct lengine *l, bool last, gz_sink_fn sink, void *ctx)
{
    struct engine_block b = {
        .index = l->index, .last = last,
        .name = l->has_name ? l->name : NULL, .mtime = l->mtime,
        .data = l->buf, .len = l->buf_len,
    };
    struct engine_block_out out;
    struct engine_counts *c = &l->base.counts;
    int err = ld_block(&l->base, &b, sink, ctx, &out);
    c->bytes_in += l->buf_len;
    c->deflate_bytes += out.deflate_bytes;
    c->bytes_out += out.bytes;
    l->index++;
    l->buf_len = 0;
    return err;
}

static int ld_write(engine_t *e, const unsigned char *p, size_t len,
                    gz_sink_fn sink, void *ctx)
{
    struct lengine *l = L(e);
    size_t block = l->base.cfg.block_size;
    while (len > 0) {
        if (l->buf_len == block) {      /* more follows: not the last */
            int err = emit(l, false, sink, ctx);
            if (err != 0)
                return err;
        }
        size_t n = block - l->buf_len < len ? block - l->buf_len : len;
        size_t want = l->buf_len + n;
        if (want > l->buf_cap)      /* small files take little memory */
            reserve(&l->buf, &l->buf_cap,
                    want * 2 < block ? want * 2 : block);
        memcpy(l->buf + l->buf_len, p, n);
        l->buf_len += n;
        p += n;
        len -= n;
    }
    return 0;
}

static int ld_finish(engine_t *e, gz_sink_fn sink, void *ctx)
{
    return emit(L(e), true, sink, ctx);
}

static const struct engine_ops libdeflate_ops = {
    .destroy = ld_destroy,
    .begin = ld_begin,
    .write = ld_write,
    .finish = ld_finish,
    .block = ld_block,
    .join = ld_join,
};

engine_t *engine_libdeflate_new(const struct engine_config *cfg)
{
    choose_once();
    struct lengine *l = calloc(1, sizeof *l);
    if (l == NULL)
        return NULL;
    l->c = libdeflate_alloc_compressor(engine_deflate_level(cfg));
    if (l->c == NULL) {
        free(l);
        return NULL;
    }
    l->base.ops = &libdeflate_ops;
    l->base.cfg = *cfg;
    return &l->base;
}

/* ---- whole members ------------------------------------------------------ */

struct engine_inflater *engine_inflater_new(void)
{
    choose_once();
    return (struct engine_inflater *)libdeflate_alloc_decompressor();
}

void engine_inflater_free(struct engine_inflater *d)
{
    libdeflate_free_decompressor((struct libdeflate_decompressor *)d);
}

bool engine_inflate_exact(struct engine_inflater *d, const unsigned char *in,
                          size_t in_len, unsigned char *out, size_t out_len,
                          uint32_t *crc)
{
    size_t used, made;
    if (libdeflate_deflate_decompress_ex((struct libdeflate_decompressor *)d,
                                         in, in_len, out, out_len, &used,
                                         &made) != LIBDEFLATE_SUCCESS ||
        used != in_len || made != out_len)
        return false;
    *crc = (uint32_t)libdeflate_crc32(0, out, out_len);
    return true;
}
