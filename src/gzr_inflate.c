/* gzr_inflate.c -- a gzip member's data and trailer: decoded whole by
   libdeflate when the header said the member's length, else streamed
   through zlib's inflate (see gzreader_impl.h). */
#include "gzreader_impl.h"
#include "engine_impl.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* ---- whole members ------------------------------------------------------------- */

/* Make the next `need` bytes of input contiguous: in place when the input
   buffer holds them, else gathered into r->member (with what the buffer
   still holds, then read straight from the file).  Afterwards zs.next_in
   and avail_in describe the pending input, wherever it now is, so that
   streaming can take over from the same point.  Returns whether all
   `need` bytes are there. */
static bool gather(struct gz_reader *r, size_t need)
{
    size_t have = r->zs.avail_in;
    if (have >= need)
        return true;
    const unsigned char *src = r->zs.next_in;
    if (need > r->member_cap) {
        unsigned char *grown = xmalloc(need);
        if (have > 0)
            memcpy(grown, src, have);
        free(r->member);
        r->member = grown;
        r->member_cap = need;
    } else if (have > 0) {
        memmove(r->member, src, have);  /* src may be a previous rest */
    }
    while (have < need && !r->eof)
        have += gzr_input_read(r, r->member + have, need - have);
    r->zs.next_in = r->member;
    r->zs.avail_in = (uInt)have;
    return have == need;
}

/* Decode a member whose header said its length, whole.  Returns true if
   it was decoded and checked (and its data given to the sink); false, with
   nothing given to the sink, to stream it instead (anything unusual: too
   big, cut short, invalid, a wrong CRC or length). */
static bool whole_member(struct gz_reader *r, gz_sink_fn sink, void *ctx)
{
    if (r->whole == NULL || r->member_len <= r->header_len + GZ_TRAILER_LEN ||
        r->member_len - r->header_len > WHOLE_MAX_MEMBER)
        return false;
    size_t need = (size_t)(r->member_len - r->header_len);
    if (!gather(r, need))
        return false;
    const unsigned char *m = r->zs.next_in;
    uint32_t stored_crc = frame_get_le32(m + need - 8);
    uint32_t stored_len = frame_get_le32(m + need - 4);
    if (stored_len > WHOLE_MAX_DATA)
        return false;
    if (stored_len > r->data_cap) {
        free(r->data);
        r->data = xmalloc(stored_len);
        r->data_cap = stored_len;
    }
    uint32_t crc;
    if (!engine_inflate_exact(r->whole, m, need - GZ_TRAILER_LEN, r->data,
                              stored_len, &crc) || crc != stored_crc)
        return false;
    struct gz_result *res = r->res;
    if (stored_len > 0 && sink != NULL) {
        int err = sink(ctx, r->data, stored_len);
        if (err != 0) {
            res->status = GZ_WRITE_ERROR;
            res->err = err;
            return true;
        }
    }
    r->zs.next_in += need;
    r->zs.avail_in -= (uInt)need;
    res->bytes_out += stored_len;
    res->overhead += GZ_TRAILER_LEN;
    res->crc = stored_crc;
    res->members++;
    return true;
}

bool gzr_member_data(struct gz_reader *r, gz_sink_fn sink, void *ctx)
{
    struct gz_result *res = r->res;
    if (whole_member(r, sink, ctx))
        return res->status == GZ_OK;
    /* gzip's inflate does not check that a distance stays within the
       member's data: it copies from its window whatever is there (zeros,
       in a new process).  A window of zeros makes zlib do the same, so
       that such damage is found as gzip finds it: as a CRC or length
       error, or an unexpected end, not as a format violation. */
    static const unsigned char zeros[32768];
    if (inflateReset(&r->zs) != Z_OK ||
        inflateSetDictionary(&r->zs, zeros, sizeof zeros) != Z_OK)
        panic("inflateReset failed");
    uLong crc = crc32(0L, Z_NULL, 0);
    uint64_t length = 0;
    int rc;
    do {
        if (!gzr_refill(r)) {
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
    if (!gzr_need_le(r, 4, &stored_crc, NULL) || !gzr_need_le(r, 4, &stored_len, NULL))
        return false;
    res->overhead += res->bytes_in - r->zs.avail_in - before;
    res->crc = stored_crc;
    /* gzip checks both, and reports both when both are wrong. */
    bool bad_crc = stored_crc != (uint32_t)crc;
    bool bad_len = stored_len != (uint32_t)length;
    if (bad_crc || bad_len) {
        res->status = !bad_len ? GZ_BAD_CRC
                    : !bad_crc ? GZ_BAD_LENGTH : GZ_BAD_CRC_AND_LENGTH;
        return false;
    }
    res->members++;
    return true;
}

bool gzr_inflate_whole(struct gz_reader *r, const unsigned char *in,
                       size_t in_len, unsigned char *out, size_t out_len,
                       uint32_t *crc)
{
    if (r->whole != NULL)
        return engine_inflate_exact(r->whole, in, in_len, out, out_len, crc);
    if (in_len > UINT32_MAX || out_len > UINT32_MAX)
        return false;               /* members.h keeps them far smaller */
    if (inflateReset(&r->zs) != Z_OK)
        panic("inflateReset failed");
    unsigned char spare;            /* out may be NULL when out_len is 0 */
    r->zs.next_in = (unsigned char *)in;
    r->zs.avail_in = (uInt)in_len;
    r->zs.next_out = out_len > 0 ? out : &spare;
    r->zs.avail_out = (uInt)out_len;
    int rc = inflate(&r->zs, Z_FINISH);
    if (rc == Z_MEM_ERROR)
        xalloc_die();
    bool ok = rc == Z_STREAM_END && r->zs.avail_in == 0 &&
              r->zs.total_out == out_len;
    r->zs.next_in = r->in;
    r->zs.avail_in = 0;
    if (!ok)
        return false;
    *crc = (uint32_t)crc32_z(crc32(0L, Z_NULL, 0), out, out_len);
    return true;
}
