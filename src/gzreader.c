/* gzreader.c -- see gzreader.h. */
#include "gzreader_impl.h"
#include "engine_impl.h"
#include "util.h"
#include "formats.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

gz_reader_t *gzr_new(enum engine_id engine)
{
    struct gz_reader *r = calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    r->in = malloc(GZR_IN_SIZE);
    r->out = malloc(GZR_OUT_SIZE);
    bool whole = engine == ENGINE_LIBDEFLATE && engine_built_in(engine);
    if (whole)
        r->whole = engine_inflater_new();
    if (r->in == NULL || r->out == NULL || (whole && r->whole == NULL) ||
        inflateInit2(&r->zs, RAW_WINDOW) != Z_OK) {
        engine_inflater_free(r->whole);
        free(r->in);
        free(r->out);
        free(r);
        return NULL;
    }
    return r;
}

void gzr_free(struct gz_reader *r)
{
    if (r == NULL)
        return;
    inflateEnd(&r->zs);
    engine_inflater_free(r->whole);
    free(r->in);
    free(r->out);
    free(r->member);
    free(r->data);
    free(r);
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

void gzr_force(struct gz_reader *r, bool try_magic, bool copy)
{
    r->try_magic = try_magic;
    r->copy = copy;
}

void gzr_watch_input(struct gz_reader *r, void (*fn)(void *ctx, size_t len),
                     void *ctx)
{
    r->on_input = fn;
    r->on_input_ctx = ctx;
}

/* ---- input ------------------------------------------------------------------ */

size_t gzr_input_read(struct gz_reader *r, unsigned char *buf, size_t len)
{
    if (r->pre_len > 0) {
        size_t n = len < r->pre_len ? len : r->pre_len;
        memcpy(buf, r->pre, n);
        r->pre += n;
        r->pre_len -= n;
        r->res->bytes_in += n;
        if (r->on_input != NULL)
            r->on_input(r->on_input_ctx, n);
        return n;
    }
    if (r->eof)
        return 0;
    for (;;) {
        ssize_t n = read(r->fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            r->res->status = GZ_READ_ERROR;
            r->res->err = errno;
        }
        if (n <= 0) {
            r->eof = true;
            return 0;
        }
        r->res->bytes_in += (uint64_t)n;
        if (r->on_input != NULL)
            r->on_input(r->on_input_ctx, (size_t)n);
        return (size_t)n;
    }
}

bool gzr_refill(struct gz_reader *r)
{
    if (r->zs.avail_in > 0)
        return true;
    size_t n = gzr_input_read(r, r->in, GZR_IN_SIZE);
    r->zs.next_in = r->in;
    r->zs.avail_in = (uInt)n;
    return n > 0;
}

/* Make `n` (small) bytes of input available without taking them, unless
   the input ends first.  Returns whether they are there. */
static bool peek(struct gz_reader *r, size_t n)
{
    while (r->zs.avail_in < n && !r->eof) {
        memmove(r->in, r->zs.next_in, r->zs.avail_in);
        r->zs.next_in = r->in;
        r->zs.avail_in += (uInt)gzr_input_read(r, r->in + r->zs.avail_in,
                                           GZR_IN_SIZE - r->zs.avail_in);
    }
    return r->zs.avail_in >= n;
}

/* The next input byte, or -1 at the end (or on a read error). */
static int next_byte(struct gz_reader *r)
{
    if (!gzr_refill(r))
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

bool gzr_need_le(struct gz_reader *r, int n, uint32_t *value, uLong *hcrc)
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
    if (!gzr_need_le(r, 4, &mtime, &hcrc) || !need_byte(r, &b, &hcrc) ||
        !need_byte(r, &b, &hcrc))        /* XFL, OS */
        return false;
    r->member_len = 0;
    if (flags & FLG_FEXTRA) {
        unsigned char extra[ENGINE_PG_XLEN];
        if (!gzr_need_le(r, 2, &value, &hcrc))
            return false;
        for (uint32_t i = 0; i < value; i++) {
            if (!need_byte(r, &b, &hcrc))
                return false;
            if (i < sizeof extra)
                extra[i] = (unsigned char)b;
        }
        if (value == ENGINE_PG_XLEN && extra[0] == ENGINE_PG_SI1 &&
            extra[1] == ENGINE_PG_SI2 && extra[2] == 4 && extra[3] == 0)
            r->member_len = frame_get_le32(extra + 4);
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
        if (!gzr_need_le(r, 2, &stored, NULL)) {
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

/* What follows a member is not one (gzip's get_method, member 2 on):
   zero bytes up to the end are ignored, anything else is garbage. */
static void trailing(struct gz_reader *r, int b0, int b1)
{
    int c = b1;
    if (b0 == 0)
        while (c == 0)
            c = next_byte(r);
    if (r->res->status == GZ_OK)
        r->res->trailing = (b0 == 0 && c < 0) ? GZ_TRAILING_ZEROS
                                              : GZ_TRAILING_GARBAGE;
}

/* A member's magic bytes, as gzip reads them: with -f and -c (or -t), or
   after a zero byte, the second may be missing (try_byte); otherwise the
   input must not end there (get_byte: "unexpected end of file").  Returns
   false, with res->status set, in that case or on a read error. */
static bool read_magic(struct gz_reader *r, int b0, int *b1)
{
    *b1 = next_byte(r);
    r->magic[0] = (unsigned char)b0;
    r->magic[1] = (unsigned char)*b1;
    r->magic_len = *b1 < 0 ? 1 : 2;
    if (r->res->status != GZ_OK)
        return false;
    if (*b1 < 0 && b0 != 0 && !r->try_magic) {
        r->res->status = GZ_TRUNCATED;
        return false;
    }
    return true;
}

/* The format of a member that starts with b0, b1 (the rest of the input
   is in r->zs). */
static enum gz_format member_format(struct gz_reader *r, bool first,
                                    int b0, int b1)
{
    unsigned char magic[4] = { (unsigned char)b0, (unsigned char)b1, 0, 0 };
    size_t len = r->magic_len;
    if (first && b0 == 'P' && b1 == 'K' && peek(r, 2)) {
        memcpy(magic + 2, r->zs.next_in, 2);
        len = 4;
    }
    enum gz_format f = formats_detect(magic, len, first);
    if (f == GZ_FORMAT_ZIP && peek(r, 7))
        r->res->zip_method = r->zs.next_in[6];  /* for -lv */
    return f;
}

/* Read the start of the next member: a gzip member's whole header, the
   magic bytes of another format's, or, under gzr_force's copy, of input
   that is copied through.  At the end of the input, or before bytes that
   are no member, returns false with status GZ_OK (after the first member)
   or an error (for the first). */
static bool member_header(struct gz_reader *r, bool first)
{
    struct gz_result *res = r->res;
    uint64_t before = res->bytes_in - r->zs.avail_in;
    int b0 = next_byte(r), b1 = -1;
    r->magic_len = 0;
    if (b0 < 0) {
        /* The end: after a member, fine; an empty input is gzip's
           "unexpected end of file", or copied (nothing) with -cf. */
        r->copying = first && r->copy && res->status == GZ_OK;
        if (first && res->status == GZ_OK && !r->copying)
            res->status = r->try_magic ? GZ_NOT_GZIP : GZ_TRUNCATED;
        return r->copying;
    }
    if (!read_magic(r, b0, &b1))
        return false;
    r->format = member_format(r, first, b0, b1);
    if (first)
        res->format = r->format;
    if (r->format == GZ_FORMAT_GZIP) {
        uLong hcrc = crc32(crc32(0L, Z_NULL, 0), r->magic, 2);
        bool ok = header_rest(r, first, hcrc);
        r->header_len = res->bytes_in - r->zs.avail_in - before;
        res->overhead += r->header_len;
        return ok;
    }
    if (r->format != GZ_FORMAT_NONE || r->copy) {
        r->copying = r->format == GZ_FORMAT_NONE;
        return res->status == GZ_OK;
    }
    if (first)
        res->status = GZ_NOT_GZIP;
    else
        trailing(r, b0, b1);
    return false;
}

void gzr_preread(struct gz_reader *r, const unsigned char *buf, size_t len)
{
    r->pre = buf;
    r->pre_len = len;
    r->pre_set = true;
}

static void start(struct gz_reader *r, int fd, struct gz_result *res)
{
    memset(res, 0, sizeof *res);
    r->res = res;
    r->fd = fd;
    r->eof = false;
    r->copying = false;
    r->zs.next_in = r->in;
    r->zs.avail_in = 0;
    if (!r->pre_set)
        r->pre_len = 0;
    r->pre_set = false;
}

bool gzr_open(struct gz_reader *r, int fd, struct gz_result *res)
{
    start(r, fd, res);
    r->after = false;
    return member_header(r, true);
}

bool gzr_open_after(struct gz_reader *r, int fd, struct gz_result *res)
{
    start(r, fd, res);
    r->after = true;
    return member_header(r, false);
}

void gzr_run(struct gz_reader *r, gz_sink_fn sink, void *ctx)
{
    for (;;) {
        if (r->copying) {
            gzr_copy_rest(r, sink, ctx);
            return;
        }
        bool ok = r->format == GZ_FORMAT_GZIP ? gzr_member_data(r, sink, ctx)
                                              : gzr_legacy_member(r, sink, ctx);
        if (!ok || formats_is_last(r->format) || !member_header(r, false))
            return;
    }
}

const char *gzr_message(const struct gz_result *res, char *buf, size_t size)
{
    switch (res->status) {
    case GZ_OK:             return "OK";
    case GZ_NOT_GZIP:       return "not in gzip format";
    case GZ_TRUNCATED:      return "unexpected end of file";
    case GZ_CORRUPT:        return "invalid compressed data--format violated";
    case GZ_BAD_CRC:
    case GZ_BAD_CRC_AND_LENGTH:  /* the first of its two lines */
                            return "invalid compressed data--crc error";
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
    case GZ_DECODER_ERROR:  return res->text;
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
