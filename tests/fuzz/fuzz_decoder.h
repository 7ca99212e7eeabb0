/* fuzz_decoder.h -- the libFuzzer body shared by the legacy decoders'
   targets (fuzz_lzw.c, fuzz_unpack.c, fuzz_unzip.c): each defines
   NEW_DECODER (its constructor) and includes this.

   Any byte string is decoded twice: in one piece, and in pieces whose
   sizes come from the input itself.  The decoder must never crash, hang,
   leak or invoke undefined behaviour, must keep its promises (sink calls
   of 1 to DEC_OUT_SIZE bytes, bytes_in and bytes_out right), and must
   come to the same end both ways: same state, same error and warnings,
   same data, and once ended, the same bytes taken (where a failure is
   found may depend on the pieces: zlib reads ahead). */
#ifndef FUZZ_DECODER_H
#define FUZZ_DECODER_H

#include "decoder.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fuzz_out {
    unsigned char *data;
    size_t len, cap;
};

static int fuzz_collect(void *ctx, const unsigned char *buf, size_t len)
{
    struct fuzz_out *o = ctx;
    if (len == 0 || len > DEC_OUT_SIZE)
        abort();
    if (o->len + len > o->cap) {
        o->cap = (o->len + len) * 2;
        o->data = realloc(o->data, o->cap);
        if (o->data == NULL)
            abort();
    }
    memcpy(o->data + o->len, buf, len);
    o->len += len;
    return 0;
}

struct fuzz_run {
    enum dec_state state;
    char error[96], error2[96];     /* copies: d->msg goes with d */
    unsigned warnings;
    size_t taken;
    struct fuzz_out out;
};

/* Decode data, in pieces of the sizes `sizes` cycles through (none: in
   one piece). */
static void fuzz_decode(const uint8_t *data, size_t size,
                        const uint8_t *sizes, size_t nsizes,
                        struct fuzz_run *r)
{
    memset(r, 0, sizeof *r);
    struct decoder *d = NEW_DECODER(fuzz_collect, &r->out);
    size_t off = 0;
    enum dec_state st = DEC_MORE;
    for (size_t k = 0; off < size && st == DEC_MORE; k++) {
        size_t n = nsizes ? (size_t)sizes[k % nsizes] % 64 + 1 : size;
        if (n > size - off)
            n = size - off;
        size_t used;
        st = dec_feed(d, data + off, n, &used);
        if (used > n || (st == DEC_MORE && used != n))
            abort();
        r->taken += used;
        off += n;
    }
    if (st == DEC_MORE)
        st = dec_finish(d);
    if (d->bytes_in != r->taken || d->bytes_out != r->out.len)
        abort();
    if (st == DEC_FAILED && d->error == NULL)
        abort();                    /* the sink never fails here */
    r->state = st;
    if (d->error != NULL)
        snprintf(r->error, sizeof r->error, "%s", d->error);
    if (d->error2 != NULL)
        snprintf(r->error2, sizeof r->error2, "%s", d->error2);
    r->warnings = d->warnings;
    dec_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_run whole, pieces;
    fuzz_decode(data, size, NULL, 0, &whole);
    /* The piece sizes: the input's own last bytes. */
    size_t nsizes = size < 8 ? size : 8;
    fuzz_decode(data, size, data + size - nsizes, nsizes, &pieces);
    if (whole.state != pieces.state ||
        (whole.state == DEC_END && whole.taken != pieces.taken) ||
        strcmp(whole.error, pieces.error) != 0 ||
        strcmp(whole.error2, pieces.error2) != 0 ||
        whole.warnings != pieces.warnings || whole.out.len != pieces.out.len ||
        (whole.out.len > 0 &&
         memcmp(whole.out.data, pieces.out.data, whole.out.len) != 0))
        abort();
    free(whole.out.data);
    free(pieces.out.data);
    return 0;
}

#endif
