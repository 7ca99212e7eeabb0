/* legacy.h -- helpers of the legacy-format decoder tests (test_lzw.c,
   test_unpack.c, test_unzip.c): running a decoder over a buffer in
   pieces, a sink that checks the decoder's promises, and data made by
   other programs (compress, python3) through a pipe. */
#ifndef PGZ_TEST_LEGACY_H
#define PGZ_TEST_LEGACY_H

#include "decoder.h"
#include "helpers.h"

/* What a decoder handed to its sink. */
struct dec_out {
    struct membuf buf;
    size_t bad_len;       /* calls with 0 or more than DEC_OUT_SIZE bytes */
    int ok_calls;         /* with fail_err: calls accepted before failing */
    int fail_err;         /* 0: never fail */
    int calls;
};

int dec_collect(void *ctx, const unsigned char *buf, size_t len);

/* Feed in[0..len) to d in pieces of `piece` bytes (0: odd sizes, cycling
   from 1 byte up), then dec_finish() if it has not ended.  Returns the
   final state; *taken (if not NULL) gets the bytes the decoder took. */
enum dec_state decode_all(struct decoder *d, const unsigned char *in,
                          size_t len, size_t piece, size_t *taken);

/* Run `cmd` (sh -c) with in[0..len) as its standard input; its standard
   output is appended to *out.  Returns its exit status (-1: it did not
   exit). */
int pipe_through(const char *cmd, const void *in, size_t len,
                 struct membuf *out);

/* Text-like data with runs and a stretch of random bytes: it fills the
   LZW table and makes compress clear it. */
void make_mixed(struct membuf *b, size_t len, uint32_t seed);

#endif
