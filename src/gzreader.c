/* gzreader.c -- see gzreader.h. */
#include "gzreader.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FLG_FHCRC    0x02
#define FLG_FEXTRA   0x04
#define FLG_FNAME    0x08
#define FLG_FCOMMENT 0x10
#define FLG_ENCRYPTED 0x20
#define FLG_RESERVED 0xc0
#define RAW_WINDOW (-15)

int gzr_init(struct gz_reader *r)
{
    memset(r, 0, sizeof *r);
    r->in = malloc(GZR_IN_SIZE);
    r->out = malloc(GZR_OUT_SIZE);
    if (r->in == NULL || r->out == NULL ||
        inflateInit2(&r->zs, RAW_WINDOW) != Z_OK) {
        free(r->in);
        free(r->out);
        memset(r, 0, sizeof *r);
        return ENOMEM;
    }
    return 0;
}

void gzr_destroy(struct gz_reader *r)
{
    if (r->in == NULL)
        return;
    inflateEnd(&r->zs);
    free(r->in);
    free(r->out);
    memset(r, 0, sizeof *r);
}

void gzr_result_free(struct gz_result *res)
{
    free(res->name);
    res->name = NULL;
}

void gzr_keep_name(struct gz_reader *r, bool keep, size_t max)
{
    r->keep_name = keep;
    r->name_max = max;
}

void gzr_watch_input(struct gz_reader *r, void (*fn)(void *ctx, size_t len),
                     void *ctx)
{
    r->on_input = fn;
    r->on_input_ctx = ctx;
}

/* ---- input ------------------------------------------------------------------ */

/* Refill the input buffer when it is empty.  Returns false at the end of
   the input or on a read error (res->status then says which). */
static bool refill(struct gz_reader *r)
{
    if (r->zs.avail_in > 0)
        return true;
    if (r->eof)
        return false;
    for (;;) {
        ssize_t n = read(r->fd, r->in, GZR_IN_SIZE);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            r->res->status = GZ_READ_ERROR;
            r->res->err = errno;
            r->eof = true;
            return false;
        }
        if (n == 0) {
            r->eof = true;
            return false;
        }
        r->zs.next_in = r->in;
        r->zs.avail_in = (uInt)n;
        r->res->bytes_in += (uint64_t)n;
        if (r->on_input != NULL)
            r->on_input(r->on_input_ctx, (size_t)n);
        return true;
    }
}

/* The next input byte, or -1 at the end (or on a read error). */
static int next_byte(struct gz_reader *r)
{
    if (!refill(r))
        return -1;
    r->zs.avail_in--;
    return *r->zs.next_in++;
}

/* A byte that must be there: at the end, the member is truncated. */
static bool need_byte(struct gz_reader *r, int *byte, uLong *hcrc)
{
    *byte = next_byte(r);
    if (*byte < 0) {
        if (r->res->status == GZ_OK)
            r->res->status = GZ_TRUNCATED;
        return false;
    }
    if (hcrc != NULL) {
        unsigned char b = (unsigned char)*byte;
        *hcrc = crc32(*hcrc, &b, 1);
    }
    return true;
}

/* A little-endian number of `n` bytes. */
static bool need_le(struct gz_reader *r, int n, uint32_t *value, uLong *hcrc)
{
    uint32_t v = 0;
    for (int i = 0; i < n; i++) {
        int b;
        if (!need_byte(r, &b, hcrc))
            return false;
        v |= (uint32_t)b << (8 * i);
    }
    *value = v;
    return true;
}

/* ---- headers ------------------------------------------------------------------ */

/* Skip (or, for the first member's FNAME, keep) a NUL-terminated field.
   A kept one longer than r->name_max fails at once (GZ_NAME_TOO_LARGE). */
static bool zero_terminated(struct gz_reader *r, uLong *hcrc, char **keep)
{
    size_t len = 0;
    char *s = keep ? xmalloc(r->name_max + 1) : NULL;
    for (;;) {
        int b;
        if (!need_byte(r, &b, hcrc)) {
            free(s);
            return false;
        }
        if (b == 0)
            break;
        if (s != NULL && len == r->name_max) {
            r->res->status = GZ_NAME_TOO_LARGE;
            free(s);
            return false;
        }
        if (s != NULL)
            s[len++] = (char)b;
    }
    if (s != NULL) {
        s[len] = '\0';
        *keep = s;
    }
    return true;
}

/* Read a member's header after its two magic bytes. */
static bool header_rest(struct gz_reader *r, bool first, uLong hcrc)
{
    struct gz_result *res = r->res;
    int method, flags, b;
    uint32_t mtime, value;
    if (!need_byte(r, &method, &hcrc))
        return false;
    if (method != Z_DEFLATED) {
        res->status = GZ_BAD_METHOD;
        res->detail = (unsigned)method;
        return false;
    }
    if (!need_byte(r, &flags, &hcrc))
        return false;
    if (flags & FLG_ENCRYPTED) {
        res->status = GZ_ENCRYPTED;
        return false;
    }
    if (flags & FLG_RESERVED) {
        res->status = GZ_BAD_FLAGS;
        res->detail = (unsigned)flags;
        return false;
    }
    if (!need_le(r, 4, &mtime, &hcrc) || !need_byte(r, &b, &hcrc) ||
        !need_byte(r, &b, &hcrc))        /* XFL, OS */
        return false;
    if (flags & FLG_FEXTRA) {
        if (!need_le(r, 2, &value, &hcrc))
            return false;
        for (uint32_t i = 0; i < value; i++)
            if (!need_byte(r, &b, &hcrc))
                return false;
    }
    char *name = NULL;
    if ((flags & FLG_FNAME) &&
        !zero_terminated(r, &hcrc, first && r->keep_name ? &name : NULL))
        return false;
    if ((flags & FLG_FCOMMENT) && !zero_terminated(r, &hcrc, NULL)) {
        free(name);
        return false;
    }
    if (flags & FLG_FHCRC) {
        uint32_t stored;
        uLong computed = hcrc & 0xffff;
        if (!need_le(r, 2, &stored, NULL)) {
            free(name);
            return false;
        }
        if (stored != computed) {
            res->status = GZ_BAD_HEADER_CRC;
            res->detail = (unsigned)(stored << 16 | computed);
            free(name);
            return false;
        }
    }
    if (first) {
        res->name = name;
        res->mtime = mtime;
    }
    return true;
}

/* Read the header of the next member.  At the end of the input, or before
   bytes that are no member, returns false with status GZ_OK (after the
   first member) or an error (for the first). */
static bool member_header(struct gz_reader *r, bool first)
{
    struct gz_result *res = r->res;
    uint64_t before = res->bytes_in - r->zs.avail_in;
    uLong hcrc = crc32(0L, Z_NULL, 0);
    int b0 = next_byte(r);
    if (b0 < 0) {
        if (first && res->status == GZ_OK)
            res->status = GZ_TRUNCATED;     /* gzip: an empty file */
        return false;
    }
    int b1 = next_byte(r);
    if (first) {
        r->magic[0] = (unsigned char)b0;
        r->magic[1] = (unsigned char)b1;
        r->magic_len = b1 < 0 ? 1 : 2;
    }
    if (b0 == 0x1f && b1 == 0x8b) {
        unsigned char magic[2] = { 0x1f, 0x8b };
        hcrc = crc32(hcrc, magic, 2);
        bool ok = header_rest(r, first, hcrc);
        res->overhead += res->bytes_in - r->zs.avail_in - before;
        return ok;
    }
    if (first) {
        if (res->status == GZ_OK)
            res->status = b1 < 0 ? GZ_TRUNCATED : GZ_NOT_GZIP;
        return false;
    }
    /* After a member: zero bytes up to the end are ignored, as gzip does;
       anything else is garbage. */
    int c = b1;
    if (b0 == 0)
        while (c == 0)
            c = next_byte(r);
    res->trailing = (b0 == 0 && c < 0) ? GZ_TRAILING_ZEROS : GZ_TRAILING_GARBAGE;
    return false;
}

bool gzr_open(struct gz_reader *r, int fd, struct gz_result *res)
{
    memset(res, 0, sizeof *res);
    r->res = res;
    r->fd = fd;
    r->eof = false;
    r->zs.next_in = r->in;
    r->zs.avail_in = 0;
    r->magic_len = 0;
    return member_header(r, true);
}

void gzr_pending(const struct gz_reader *r, const unsigned char **magic,
                 size_t *magic_len, const unsigned char **rest,
                 size_t *rest_len)
{
    *magic = r->magic;
    *magic_len = r->magic_len;
    *rest = r->zs.next_in;
    *rest_len = r->zs.avail_in;
}

/* ---- data --------------------------------------------------------------------- */

/* Inflate one member's deflate data; then check its trailer. */
static bool member_data(struct gz_reader *r, gz_sink_fn sink, void *ctx)
{
    struct gz_result *res = r->res;
    if (inflateReset(&r->zs) != Z_OK)
        panic("inflateReset failed");
    uLong crc = crc32(0L, Z_NULL, 0);
    uint64_t length = 0;
    int rc;
    do {
        if (!refill(r)) {
            if (res->status == GZ_OK)
                res->status = GZ_TRUNCATED;
            return false;
        }
        r->zs.next_out = r->out;
        r->zs.avail_out = GZR_OUT_SIZE;
        rc = inflate(&r->zs, Z_NO_FLUSH);
        if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT) {
            res->status = GZ_CORRUPT;
            return false;
        }
        if (rc == Z_MEM_ERROR)
            xalloc_die();
        size_t have = GZR_OUT_SIZE - r->zs.avail_out;
        crc = crc32_z(crc, r->out, have);
        length += have;
        res->bytes_out += have;
        if (have > 0 && sink != NULL) {
            int err = sink(ctx, r->out, have);
            if (err != 0) {
                res->status = GZ_WRITE_ERROR;
                res->err = err;
                return false;
            }
        }
    } while (rc != Z_STREAM_END);

    uint32_t stored_crc, stored_len;
    uint64_t before = res->bytes_in - r->zs.avail_in;
    if (!need_le(r, 4, &stored_crc, NULL) || !need_le(r, 4, &stored_len, NULL))
        return false;
    res->overhead += res->bytes_in - r->zs.avail_in - before;
    res->crc = stored_crc;
    if (stored_crc != (uint32_t)crc) {
        res->status = GZ_BAD_CRC;
        return false;
    }
    if (stored_len != (uint32_t)length) {
        res->status = GZ_BAD_LENGTH;
        return false;
    }
    res->members++;
    return true;
}

void gzr_run(struct gz_reader *r, gz_sink_fn sink, void *ctx)
{
    while (member_data(r, sink, ctx) && member_header(r, false))
        ;
}

const char *gzr_message(const struct gz_result *res, char *buf, size_t size)
{
    switch (res->status) {
    case GZ_OK:             return "OK";
    case GZ_NOT_GZIP:       return "not in gzip format";
    case GZ_TRUNCATED:      return "unexpected end of file";
    case GZ_CORRUPT:        return "invalid compressed data--format violated";
    case GZ_BAD_CRC:        return "invalid compressed data--crc error";
    case GZ_BAD_LENGTH:     return "invalid compressed data--length error";
    case GZ_BAD_HEADER_CRC:
        snprintf(buf, size, "header checksum 0x%04x != computed checksum 0x%04x",
                 res->detail >> 16, res->detail & 0xffff);
        return buf;
    case GZ_NAME_TOO_LARGE: return "corrupted input -- file name too large";
    case GZ_ENCRYPTED:      return "is encrypted -- not supported";
    case GZ_BAD_METHOD:
        snprintf(buf, size, "unknown method %u -- not supported", res->detail);
        return buf;
    case GZ_BAD_FLAGS:
        snprintf(buf, size, "has flags 0x%02x -- not supported", res->detail);
        return buf;
    case GZ_READ_ERROR:
    case GZ_WRITE_ERROR:
        return strerror(res->err);
    }
    return "unknown error";
}

bool gzr_message_joins_name(const struct gz_result *res)
{
    return res->status == GZ_BAD_FLAGS || res->status == GZ_ENCRYPTED;
}
