/* decoder.c -- what every legacy-format decoder shares: the feed/finish
   protocol around the module's own functions, and the output buffer. */
#include "decoder.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

void dec_init(struct decoder *d, const struct decoder_ops *ops,
              gz_sink_fn sink, void *ctx)
{
    d->ops = ops;
    d->state = DEC_MORE;
    d->error = d->error2 = d->note = NULL;
    d->sink_err = 0;
    d->warnings = 0;
    d->warning[0] = '\0';
    d->bytes_in = d->bytes_out = 0;
    d->sink = sink;
    d->sink_ctx = ctx;
    d->out = xmalloc(DEC_OUT_SIZE);
    d->out_len = 0;
    d->msg[0] = '\0';
}

void dec_release(struct decoder *d)
{
    free(d->out);
    d->out = NULL;
}

int dec_flush(struct decoder *d)
{
    if (d->out_len == 0)
        return 0;
    int err = d->sink(d->sink_ctx, d->out, d->out_len);
    if (err != 0) {
        d->sink_err = err;
        d->state = DEC_FAILED;
        return -1;
    }
    d->bytes_out += d->out_len;
    d->out_len = 0;
    return 0;
}

int dec_put(struct decoder *d, const unsigned char *p, size_t n)
{
    while (n > 0) {
        size_t room = DEC_OUT_SIZE - d->out_len;
        size_t k = n < room ? n : room;
        memcpy(d->out + d->out_len, p, k);
        d->out_len += k;
        p += k;
        n -= k;
        if (d->out_len == DEC_OUT_SIZE && dec_flush(d) != 0)
            return -1;
    }
    return 0;
}

enum dec_state dec_fail(struct decoder *d, const char *error)
{
    /* The data before the damage goes out first, as gzip writes it; if
       the sink fails meanwhile, that is the error to report. */
    if (dec_flush(d) == 0)
        d->error = error;
    d->state = DEC_FAILED;
    return DEC_FAILED;
}

enum dec_state dec_feed(struct decoder *d, const unsigned char *in,
                        size_t len, size_t *used)
{
    *used = 0;
    if (d->state != DEC_MORE)
        return d->state;
    enum dec_state st = d->ops->feed(d, in, len, used);
    d->bytes_in += *used;
    if (st == DEC_END && dec_flush(d) != 0)
        st = DEC_FAILED;
    d->state = st;
    return st;
}

enum dec_state dec_finish(struct decoder *d)
{
    if (d->state != DEC_MORE)
        return d->state;
    enum dec_state st = d->ops->finish(d);
    if (st == DEC_END && dec_flush(d) != 0)
        st = DEC_FAILED;
    d->state = st;
    return st;
}

void dec_free(struct decoder *d)
{
    if (d != NULL)
        d->ops->destroy(d);
}
