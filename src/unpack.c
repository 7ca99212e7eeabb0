/* unpack.c -- pack (.z) decoding: see unpack.h. */
#include "unpack.h"

#include "util.h"

#include <stdbool.h>
#include <stdlib.h>

#define MAX_BITLEN 25
#define LITERALS 256
#define MAX_PEEK 12
#define PENDING 32               /* > MAX_PEEK + 8: see struct unpack */
#define E_EOF "invalid compressed data -- unexpected end of file"

enum part { MAGIC, LENGTH, MAX_LEN, LEAVES, LITS, CODES };

struct unpack {
    struct decoder base;
    enum part part;
    unsigned pos;                 /* bytes taken of the current part */
    uint32_t orig_len;
    unsigned max_len;
    unsigned leaves[MAX_BITLEN + 1];
    unsigned parents[MAX_BITLEN + 1];
    unsigned base_of[MAX_BITLEN + 1];  /* first leaf of each length */
    long max_leaves;              /* room left for leaves (gzip's count) */
    unsigned n_lits;              /* leaves with a byte: all but the end */
    unsigned char lit[LITERALS];
    uint32_t value;               /* the code read so far ... */
    unsigned len;                 /* ... and its length */
    uint32_t produced;            /* bytes decoded, modulo 2^32 */
    /* gzip looks min(L, 12) bits ahead at the start of each code, and
       fails at the end of the input before it writes a byte whose code
       is followed by fewer bits: so a byte waits here until the input
       reaches `safe`, the bit its look-ahead needs.  Codes have a bit at
       least, and a waiting byte's code started less than 12 bits before
       the input's end: fewer than 21 wait at once. */
    unsigned peek_bits;
    uint64_t bits;                /* code bits taken */
    uint64_t avail;               /* code bits fed so far */
    uint64_t start;               /* where the current code started */
    struct { uint64_t safe; unsigned char c; } wait[PENDING];
    unsigned wait_head, wait_len;
};

/* Count the inner nodes at each length from the leaves, bottom up, and
   check that the tree closes at the root (gzip's test). */
static enum dec_state build_tree(struct unpack *u)
{
    unsigned nodes = 0;
    for (unsigned len = u->max_len; len >= 1; len--) {
        nodes >>= 1;
        u->parents[len] = nodes;
        nodes += u->leaves[len];
    }
    if ((nodes >> 1) != 1)
        return dec_fail(&u->base, "too few leaves in Huffman tree");
    u->peek_bits = u->max_len < MAX_PEEK ? u->max_len : MAX_PEEK;
    return DEC_MORE;
}

/* One byte of the tree description. */
static enum dec_state take_tree_byte(struct unpack *u, unsigned char c)
{
    struct decoder *d = &u->base;
    switch (u->part) {
    case MAGIC:
        if (c != (unsigned char)PACK_MAGIC[u->pos])
            return dec_fail(d, "not in gzip format");
        if (++u->pos == 2)
            u->part = LENGTH, u->pos = 0;
        return DEC_MORE;
    case LENGTH:
        u->orig_len = u->orig_len << 8 | c;
        if (++u->pos == 4)
            u->part = MAX_LEN, u->pos = 0;
        return DEC_MORE;
    case MAX_LEN:
        if (c == 0 || c > MAX_BITLEN)
            return dec_fail(d, "invalid compressed data -- Huffman code bit "
                               "length out of range");
        u->max_len = c;
        u->max_leaves = 1;
        u->part = LEAVES;
        u->pos = 1;               /* the length whose count comes next */
        return DEC_MORE;
    case LEAVES: {
        unsigned len = u->pos;
        if (u->max_leaves - (len == u->max_len) < (long)c)
            return dec_fail(d, "too many leaves in Huffman tree");
        u->max_leaves = (u->max_leaves - c + 1) * 2 - 1;
        u->leaves[len] = c;
        u->n_lits += c;
        if (len < u->max_len) {
            u->pos++;
            return DEC_MORE;
        }
        /* At the longest length the count is less 2: one more leaf has a
           byte, and the end code none. */
        if (u->n_lits >= LITERALS)
            return dec_fail(d, "too many leaves in Huffman tree");
        u->n_lits++;
        u->leaves[len] += 2;
        unsigned base = 0;
        for (unsigned l = 1; l <= u->max_len; l++) {
            u->base_of[l] = base;
            base += u->leaves[l];
        }
        u->part = LITS;
        u->pos = 0;
        return DEC_MORE;
    }
    case LITS:
        u->lit[u->pos++] = c;
        if (u->pos < u->n_lits)
            return DEC_MORE;
        u->part = CODES;
        return build_tree(u);
    case CODES:
        break;
    }
    return dec_fail(d, "internal error: unpack state");
}

/* Hand on the waiting bytes whose look-ahead the input now covers (all
   of them when `all`). */
static enum dec_state release(struct unpack *u, bool all)
{
    while (u->wait_len > 0 &&
           (all || u->wait[u->wait_head].safe <= u->avail)) {
        if (dec_put(&u->base, &u->wait[u->wait_head].c, 1) != 0)
            return DEC_FAILED;
        u->wait_head = (u->wait_head + 1) % PENDING;
        u->wait_len--;
    }
    return DEC_MORE;
}

/* A byte decoded from the code that started at u->start. */
static enum dec_state emit(struct unpack *u, unsigned char c)
{
    if (u->wait_len == PENDING)   /* cannot happen: see struct unpack */
        return dec_fail(&u->base, "internal error: unpack look-ahead");
    unsigned slot = (u->wait_head + u->wait_len) % PENDING;
    u->wait[slot].safe = u->start + u->peek_bits;
    u->wait[slot].c = c;
    u->wait_len++;
    u->produced++;
    return release(u, false);
}

/* One bit of a code: DEC_MORE, DEC_END after the end code, DEC_FAILED. */
static enum dec_state take_bit(struct unpack *u, unsigned bit)
{
    u->value = u->value << 1 | bit;
    u->len++;
    u->bits++;
    if (u->value < u->parents[u->len])
        return DEC_MORE;          /* an inner node: the code goes on */
    uint32_t leaf = u->value - u->parents[u->len];
    if (leaf >= u->leaves[u->len])
        return dec_fail(&u->base, "invalid compressed data--format violated");
    if (u->len == u->max_len && leaf == u->leaves[u->len] - 1) {
        if (release(u, true) != DEC_MORE)
            return DEC_FAILED;
        if (u->orig_len != u->produced)
            return dec_fail(&u->base, "invalid compressed data--length error");
        return DEC_END;
    }
    unsigned char c = u->lit[u->base_of[u->len] + leaf];
    u->value = 0;
    u->len = 0;
    enum dec_state st = emit(u, c);
    u->start = u->bits;           /* the next code starts here */
    return st;
}

static enum dec_state unpack_feed(struct decoder *d, const unsigned char *in,
                                  size_t len, size_t *used)
{
    struct unpack *u = (struct unpack *)d;
    for (size_t i = 0; i < len; i++) {
        enum dec_state st = DEC_MORE;
        if (u->part != CODES) {
            st = take_tree_byte(u, in[i]);
        } else {
            u->avail += 8;
            st = release(u, false);
            for (int b = 7; b >= 0 && st == DEC_MORE; b--)
                st = take_bit(u, (in[i] >> b) & 1u);
        }
        if (st != DEC_MORE) {
            *used = i + 1;
            return st;
        }
    }
    *used = len;
    return DEC_MORE;
}

static enum dec_state unpack_finish(struct decoder *d)
{
    return dec_fail(d, E_EOF);   /* the end code never came */
}

static void unpack_destroy(struct decoder *d)
{
    dec_release(d);
    free(d);
}

static const struct decoder_ops unpack_ops = {
    unpack_feed, unpack_finish, unpack_destroy
};

struct decoder *unpack_decoder_new(gz_sink_fn sink, void *ctx)
{
    struct unpack *u = xcalloc(1, sizeof *u);
    dec_init(&u->base, &unpack_ops, sink, ctx);
    u->part = MAGIC;
    return &u->base;
}
