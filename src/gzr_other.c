/* gzr_other.c -- what the gzip reader reads besides gzip members: the
   other formats gzip reads (formats.h), through their decoders, and input
   copied through under gzr_force (see gzreader_impl.h). */
#include "gzreader_impl.h"
#include "decoder.h"

#include <stdio.h>

static int no_sink(void *ctx, const unsigned char *buf, size_t len)
{
    (void)ctx;
    (void)buf;
    (void)len;
    return 0;
}

/* What a legacy decoder found, into the result. */
static void legacy_result(struct gz_reader *r, const struct decoder *d)
{
    struct gz_result *res = r->res;
    res->bytes_out += d->bytes_out;
    res->warnings |= d->warnings;
    if (d->warnings & DEC_WARN_FLAGS)
        snprintf(res->warning, sizeof res->warning, "%s", d->warning);
    if (d->state == DEC_END) {
        res->members++;
        return;
    }
    if (res->status != GZ_OK)      /* a read error stopped it */
        return;
    if (d->error == NULL) {
        res->status = GZ_WRITE_ERROR;
        res->err = d->sink_err;
        return;
    }
    res->status = GZ_DECODER_ERROR;
    snprintf(res->text, sizeof res->text, "%s", d->error);
    snprintf(res->text2, sizeof res->text2, "%s", d->error2 ? d->error2 : "");
    snprintf(res->note, sizeof res->note, "%s", d->note ? d->note : "");
}

/* Decode a member of another format (formats.h) through its decoder,
   from its magic bytes on.  Returns whether it ended well. */
bool gzr_legacy_member(struct gz_reader *r, gz_sink_fn sink, void *ctx)
{
    struct decoder *d = formats_decoder_new(r->format,
                                            sink != NULL ? sink : no_sink, ctx);
    size_t used;
    enum dec_state st = dec_feed(d, r->magic, r->magic_len, &used);
    while (st == DEC_MORE) {
        if (!gzr_refill(r)) {
            if (r->res->status == GZ_OK)
                dec_finish(d);
            break;
        }
        st = dec_feed(d, r->zs.next_in, r->zs.avail_in, &used);
        r->zs.next_in += used;
        r->zs.avail_in -= (uInt)used;
    }
    legacy_result(r, d);
    dec_free(d);
    return r->res->status == GZ_OK;
}

/* gzip -cdf: the input from the current member's first byte on, which is
   no member, goes to the sink as it is. */
void gzr_copy_rest(struct gz_reader *r, gz_sink_fn sink, void *ctx)
{
    struct gz_result *res = r->res;
    const unsigned char *p = r->magic;
    size_t n = r->magic_len;
    if (res->members > 0 || r->after)
        res->trailing = GZ_TRAILING_COPIED;
    for (;;) {
        int err = sink != NULL && n > 0 ? sink(ctx, p, n) : 0;
        if (err != 0) {
            res->status = GZ_WRITE_ERROR;
            res->err = err;
            return;
        }
        res->bytes_out += n;
        if (!gzr_refill(r))
            return;
        p = r->zs.next_in;
        n = r->zs.avail_in;
        r->zs.avail_in = 0;
    }
}
