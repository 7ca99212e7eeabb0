/* unzip.c -- a zip file's first entry: see unzip.h. */
#include "unzip.h"

#include "util.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define LOC_HDR 30                /* local header, signature included */
#define LOC_FLG 6
#define LOC_HOW 8
#define LOC_CRC 14
#define LOC_SIZ 18
#define LOC_LEN 22
#define LOC_FIL 26
#define LOC_EXT 28
#define EXT_HDR 16                /* data descriptor, signature included */
#define FLG_ENCRYPTED 1
#define FLG_DESCRIPTOR 8
#define STORED 0
#define DEFLATED 8
#define INFLATE_CHUNK (32 * 1024)
#define E_EOF "unexpected end of file"

enum part { HEADER, NAMES, DATA, DESCRIPTOR, AFTER };

struct unzip {
    struct decoder base;
    enum part part;
    unsigned char hdr[LOC_HDR];
    unsigned char desc[EXT_HDR];
    unsigned char after[5];       /* the bytes after the entry */
    size_t got;                   /* bytes of the current part so far */
    size_t names;                 /* length of the name and extra fields */
    unsigned method;
    bool descriptor;
    uint32_t stored_left;         /* bytes of a stored entry still to copy */
    uint32_t crc, length;         /* of the data decoded */
    z_stream zs;
    bool zs_ready;
    unsigned char *chunk;         /* inflate's output */
};

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static unsigned get16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

/* Take up to `want - *got` bytes into buf; true when it is complete. */
static bool gather(unsigned char *buf, size_t want, size_t *got,
                   const unsigned char *in, size_t len, size_t *i)
{
    size_t k = want - *got;
    if (k > len - *i)
        k = len - *i;
    memcpy(buf + *got, in + *i, k);
    *got += k;
    *i += k;
    return *got == want;
}

static int produce(struct unzip *z, const unsigned char *p, size_t n)
{
    z->crc = (uint32_t)crc32(z->crc, p, (uInt)n);
    z->length += (uint32_t)n;
    return dec_put(&z->base, p, n);
}

static enum dec_state data_done(struct unzip *z);

/* The local header, name and extra fields are in: check them as gzip's
   check_zipfile does, in its order. */
static enum dec_state start_entry(struct unzip *z)
{
    struct decoder *d = &z->base;
    if (get32(z->hdr) != get32((const unsigned char *)ZIP_MAGIC))
        return dec_fail(d, "not a valid zip file");
    z->method = z->hdr[LOC_HOW];
    if (z->method != STORED && z->method != DEFLATED)
        return dec_fail(d, "first entry not deflated or stored -- use unzip");
    if (z->hdr[LOC_FLG] & FLG_ENCRYPTED)
        return dec_fail(d, "encrypted file -- use unzip");
    z->descriptor = (z->hdr[LOC_FLG] & FLG_DESCRIPTOR) != 0;
    if (z->method == STORED) {
        z->stored_left = get32(z->hdr + LOC_LEN);
        if (z->stored_left != get32(z->hdr + LOC_SIZ)) {
            snprintf(d->msg, sizeof d->msg, "len %lu, siz %lu",
                     (unsigned long)z->stored_left,
                     (unsigned long)get32(z->hdr + LOC_SIZ));
            d->note = d->msg;
            return dec_fail(d, "invalid compressed data--length mismatch");
        }
    } else {
        memset(&z->zs, 0, sizeof z->zs);
        int rc = inflateInit2(&z->zs, -MAX_WBITS);
        if (rc == Z_MEM_ERROR)
            xalloc_die();
        if (rc != Z_OK)
            panic("inflateInit2: %d", rc);
        z->zs_ready = true;
    }
    z->part = DATA;
    return z->method == STORED && z->stored_left == 0 ? data_done(z)
                                                      : DEC_MORE;
}

/* The data is decoded: compare its CRC and length with the recorded ones. */
static enum dec_state end_entry(struct unzip *z)
{
    const unsigned char *rec = z->descriptor ? z->desc + 4 : z->hdr + LOC_CRC;
    uint32_t crc = get32(rec), length = get32(rec + 8);
    const char *e_crc = "invalid compressed data--crc error";
    const char *e_len = "invalid compressed data--length error";
    if (crc != z->crc) {
        z->base.error2 = length != z->length ? e_len : NULL;
        return dec_fail(&z->base, e_crc);
    }
    if (length != z->length)
        return dec_fail(&z->base, e_len);
    z->part = AFTER;
    z->got = 0;
    return DEC_MORE;
}

/* The data is all in: the descriptor comes next, or the checks. */
static enum dec_state data_done(struct unzip *z)
{
    z->got = 0;
    if (z->descriptor) {
        z->part = DESCRIPTOR;
        return DEC_MORE;
    }
    return end_entry(z);
}

/* Deflate data from in[*i]. */
/* NOTE: this calls zlib's inflate directly, outside the engine seam
   (engine.h), which should own every inflate; moving it there (so that a
   zip's deflate data may go through libdeflate too) is a later step. */
static enum dec_state inflate_some(struct unzip *z, const unsigned char *in,
                                   size_t len, size_t *i)
{
    z->zs.next_in = (Bytef *)(in + *i);
    z->zs.avail_in = (uInt)(len - *i);
    int rc;
    do {
        z->zs.next_out = z->chunk;
        z->zs.avail_out = INFLATE_CHUNK;
        rc = inflate(&z->zs, Z_NO_FLUSH);
        if (rc == Z_MEM_ERROR)
            xalloc_die();
        *i = len - z->zs.avail_in;
        if (produce(z, z->chunk, INFLATE_CHUNK - z->zs.avail_out) != 0)
            return DEC_FAILED;
        if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT)
            return dec_fail(&z->base, "invalid compressed data--format violated");
    } while (rc == Z_OK && (z->zs.avail_in > 0 || z->zs.avail_out == 0));
    if (rc != Z_STREAM_END)
        return DEC_MORE;          /* Z_OK or Z_BUF_ERROR: wants more */
    return data_done(z);
}

static enum dec_state copy_stored(struct unzip *z, const unsigned char *in,
                                  size_t len, size_t *i)
{
    size_t k = len - *i;
    if (k > z->stored_left)
        k = z->stored_left;
    if (produce(z, in + *i, k) != 0)
        return DEC_FAILED;
    *i += k;
    z->stored_left -= (uint32_t)k;
    return z->stored_left > 0 ? DEC_MORE : data_done(z);
}

static enum dec_state step(struct unzip *z, const unsigned char *in,
                           size_t len, size_t *i)
{
    switch (z->part) {
    case HEADER:
        if (gather(z->hdr, LOC_HDR, &z->got, in, len, i)) {
            z->names = get16(z->hdr + LOC_FIL) + get16(z->hdr + LOC_EXT);
            z->part = NAMES;
            z->got = 0;
        }
        return DEC_MORE;
    case NAMES: {
        size_t k = z->names - z->got;
        if (k > len - *i)
            k = len - *i;
        z->got += k;
        *i += k;
        return z->got == z->names ? start_entry(z) : DEC_MORE;
    }
    case DATA:
        return z->method == STORED ? copy_stored(z, in, len, i)
                                   : inflate_some(z, in, len, i);
    case DESCRIPTOR:
        if (gather(z->desc, EXT_HDR, &z->got, in, len, i))
            return end_entry(z);
        return DEC_MORE;
    case AFTER:
        if (z->got < sizeof z->after) {
            if (gather(z->after, sizeof z->after, &z->got, in, len, i) &&
                memcmp(z->after, ZIP_MAGIC, 4) == 0)
                z->base.warnings |= DEC_WARN_MORE_ENTRIES;
        } else {
            *i = len;             /* the rest is not read, as by gzip */
        }
        return DEC_MORE;
    }
    return dec_fail(&z->base, "internal error: unzip state");
}

static enum dec_state unzip_feed(struct decoder *d, const unsigned char *in,
                                 size_t len, size_t *used)
{
    struct unzip *z = (struct unzip *)d;
    size_t i = 0;
    while (i < len) {
        enum dec_state st = step(z, in, len, &i);
        if (st != DEC_MORE) {
            *used = i;
            return st;
        }
    }
    *used = len;
    return DEC_MORE;
}

static enum dec_state unzip_finish(struct decoder *d)
{
    struct unzip *z = (struct unzip *)d;
    switch (z->part) {
    case HEADER:
    case NAMES:
        return dec_fail(d, "not a valid zip file");
    case DATA:
    case DESCRIPTOR:
        return dec_fail(d, E_EOF);
    case AFTER:
        return DEC_END;
    }
    return dec_fail(d, E_EOF);
}

static void unzip_destroy(struct decoder *d)
{
    struct unzip *z = (struct unzip *)d;
    if (z->zs_ready)
        inflateEnd(&z->zs);
    free(z->chunk);
    dec_release(d);
    free(z);
}

static const struct decoder_ops unzip_ops = {
    unzip_feed, unzip_finish, unzip_destroy
};

struct decoder *unzip_decoder_new(gz_sink_fn sink, void *ctx)
{
    struct unzip *z = xcalloc(1, sizeof *z);
    dec_init(&z->base, &unzip_ops, sink, ctx);
    z->chunk = xmalloc(INFLATE_CHUNK);
    z->crc = (uint32_t)crc32(0L, Z_NULL, 0);
    return &z->base;
}
