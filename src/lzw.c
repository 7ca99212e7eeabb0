/* lzw.c -- compress (.Z) decoding: see lzw.h. */
#include "lzw.h"

#include "util.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#define LZW_MAX_BITS 16
#define LZW_INIT_BITS 9
#define LZW_CLEAR 256          /* in block mode */
#define LZW_TABLE (1u << LZW_MAX_BITS)
#define FLAG_BLOCK 0x80
#define FLAG_RESERVED 0x60
#define FLAG_BITS 0x1f

struct lzw {
    struct decoder base;
    unsigned header;           /* header bytes taken: 0 to 3 */
    bool block_mode;
    unsigned max_bits;
    uint32_t table_end;        /* 1 << max_bits: entries stop there */
    unsigned n_bits;           /* the current code size */
    uint32_t max_code;         /* past it, the code size grows */
    uint32_t free_ent;         /* the next entry of the table */
    int32_t old_code;          /* the previous code; -1 before the first */
    unsigned char fin_char;    /* the first byte of old_code's string */
    uint32_t acc;              /* input bits not used yet, low first */
    unsigned acc_bits;
    unsigned skip;             /* padding bits still to drop */
    unsigned group;            /* codes read at this size, modulo 8 */
    uint16_t *prefix;          /* entry -> the code it extends */
    unsigned char *suffix;     /* entry -> its last byte */
    unsigned char *stack;      /* a string, built backwards */
};

#define STACK_SIZE LZW_TABLE

/* Start a new code size: the rest of the current group of eight codes is
   padding, at the old size. */
static void new_size(struct lzw *z, unsigned n_bits)
{
    z->skip = z->group ? (8 - z->group) * z->n_bits : 0;
    z->group = 0;
    z->n_bits = n_bits;
    z->max_code = n_bits == z->max_bits ? z->table_end : (1u << n_bits) - 1;
}

/* Decode one code.  Returns DEC_MORE, or DEC_FAILED. */
static enum dec_state take_code(struct lzw *z, uint32_t code)
{
    struct decoder *d = &z->base;
    if (z->old_code < 0) {
        if (code >= 256)
            return dec_fail(d, LZW_CORRUPT);
        z->old_code = (int32_t)code;
        z->fin_char = (unsigned char)code;
        return dec_put(d, &z->fin_char, 1) == 0 ? DEC_MORE : DEC_FAILED;
    }
    if (code == LZW_CLEAR && z->block_mode) {
        /* The table starts again; the entry made after the next code
           (256, never looked up) only keeps the count right. */
        new_size(z, LZW_INIT_BITS);
        z->max_code = (1u << LZW_INIT_BITS) - 1;
        z->free_ent = 256;
        return DEC_MORE;
    }
    uint32_t in_code = code;
    unsigned char *sp = z->stack + STACK_SIZE;
    if (code >= z->free_ent) {
        if (code > z->free_ent)
            return dec_fail(d, LZW_CORRUPT);
        /* KwKwK: the string of the previous code and its first byte. */
        *--sp = z->fin_char;
        code = (uint32_t)z->old_code;
    }
    while (code >= 256) {
        if (sp == z->stack)     /* cannot happen with a sane table */
            return dec_fail(d, LZW_CORRUPT);
        *--sp = z->suffix[code];
        code = z->prefix[code];
    }
    if (sp == z->stack)
        return dec_fail(d, LZW_CORRUPT);
    *--sp = z->fin_char = (unsigned char)code;
    if (dec_put(d, sp, (size_t)(z->stack + STACK_SIZE - sp)) != 0)
        return DEC_FAILED;
    if (z->free_ent < z->table_end) {
        z->prefix[z->free_ent] = (uint16_t)z->old_code;
        z->suffix[z->free_ent] = z->fin_char;
        z->free_ent++;
    }
    z->old_code = (int32_t)in_code;
    return DEC_MORE;
}

/* Decode every complete code in the bit accumulator. */
static enum dec_state drain(struct lzw *z)
{
    for (;;) {
        if (z->skip > 0) {
            unsigned k = z->skip < z->acc_bits ? z->skip : z->acc_bits;
            z->acc = k < 32 ? z->acc >> k : 0;
            z->acc_bits -= k;
            z->skip -= k;
            if (z->skip > 0)
                return DEC_MORE;
        }
        if (z->free_ent > z->max_code) {
            new_size(z, z->n_bits + 1);
            continue;
        }
        if (z->acc_bits < z->n_bits)
            return DEC_MORE;
        uint32_t code = z->acc & ((1u << z->n_bits) - 1);
        z->acc >>= z->n_bits;
        z->acc_bits -= z->n_bits;
        z->group = (z->group + 1) & 7;
        if (take_code(z, code) != DEC_MORE)
            return DEC_FAILED;
    }
}

/* One of the three header bytes. */
static enum dec_state take_header(struct lzw *z, unsigned char c)
{
    struct decoder *d = &z->base;
    if (z->header < 2) {
        if (c != (unsigned char)LZW_MAGIC[z->header])
            return dec_fail(d, "not in gzip format");
        z->header++;
        return DEC_MORE;
    }
    z->header++;
    z->block_mode = (c & FLAG_BLOCK) != 0;
    if ((c & FLAG_RESERVED) != 0) {
        d->warnings |= DEC_WARN_FLAGS;
        snprintf(d->warning, sizeof d->warning,
                 "warning, unknown flags 0x%x", c & FLAG_RESERVED);
    }
    z->max_bits = c & FLAG_BITS;
    if (z->max_bits > LZW_MAX_BITS) {
        snprintf(d->msg, sizeof d->msg,
                 "compressed with %u bits, can only handle %d bits",
                 z->max_bits, LZW_MAX_BITS);
        return dec_fail(d, d->msg);
    }
    z->table_end = 1u << z->max_bits;
    z->n_bits = LZW_INIT_BITS;
    z->max_code = (1u << LZW_INIT_BITS) - 1;
    z->free_ent = z->block_mode ? 257 : 256;
    return DEC_MORE;
}

static enum dec_state lzw_feed(struct decoder *d, const unsigned char *in,
                               size_t len, size_t *used)
{
    struct lzw *z = (struct lzw *)d;
    size_t i = 0;
    while (i < len) {
        enum dec_state st;
        if (z->header < 3) {
            st = take_header(z, in[i++]);
        } else {
            z->acc |= (uint32_t)in[i++] << z->acc_bits;
            z->acc_bits += 8;
            st = drain(z);
        }
        if (st != DEC_MORE) {
            *used = i;
            return st;
        }
    }
    *used = len;
    return DEC_MORE;
}

static enum dec_state lzw_finish(struct decoder *d)
{
    struct lzw *z = (struct lzw *)d;
    if (z->header < 3)
        return dec_fail(d, "unexpected end of file");
    return DEC_END;
}

static void lzw_destroy(struct decoder *d)
{
    struct lzw *z = (struct lzw *)d;
    free(z->prefix);
    free(z->suffix);
    free(z->stack);
    dec_release(d);
    free(z);
}

static const struct decoder_ops lzw_ops = {lzw_feed, lzw_finish, lzw_destroy};

struct decoder *lzw_decoder_new(gz_sink_fn sink, void *ctx)
{
    struct lzw *z = xcalloc(1, sizeof *z);
    dec_init(&z->base, &lzw_ops, sink, ctx);
    z->old_code = -1;
    z->prefix = xcalloc(LZW_TABLE, sizeof *z->prefix);
    /* Zeroed: with fewer than 9 bits (an odd header gzip takes too), the
       KwKwK case can look up entries the table never made. */
    z->suffix = xcalloc(LZW_TABLE, 1);
    z->stack = xmalloc(STACK_SIZE);
    for (unsigned c = 0; c < 256; c++)
        z->suffix[c] = (unsigned char)c;
    return &z->base;
}
