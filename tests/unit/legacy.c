/* legacy.c -- see legacy.h. */
#include "legacy.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

int dec_collect(void *ctx, const unsigned char *buf, size_t len)
{
    struct dec_out *o = ctx;
    if (len == 0 || len > DEC_OUT_SIZE)
        o->bad_len++;
    if (o->fail_err != 0 && o->calls >= o->ok_calls)
        return o->fail_err;
    o->calls++;
    membuf_append(&o->buf, buf, len);
    return 0;
}

enum dec_state decode_all(struct decoder *d, const unsigned char *in,
                          size_t len, size_t piece, size_t *taken)
{
    size_t off = 0, total = 0;
    enum dec_state st = DEC_MORE;
    for (size_t k = 1; off < len && st == DEC_MORE; k++) {
        size_t n = piece ? piece : k % 17 * (k % 3 ? 1 : 613);
        if (n == 0)
            n = 1;
        if (n > len - off)
            n = len - off;
        size_t used = 0;
        st = dec_feed(d, in + off, n, &used);
        ck_assert_uint_le(used, n);
        ck_assert(st != DEC_MORE || used == n);
        total += used;
        off += n;
    }
    if (st == DEC_MORE)
        st = dec_finish(d);
    if (taken != NULL)
        *taken = total;
    ck_assert_uint_eq(d->bytes_in, total);
    return st;
}

int pipe_through(const char *cmd, const void *in, size_t len,
                 struct membuf *out)
{
    char *dir = make_tmpdir();
    char *path = path_join(dir, "in");
    write_file(path, in, len);
    size_t need = strlen(cmd) + strlen(path) + 16;
    char *full = malloc(need);
    ck_assert_ptr_nonnull(full);
    snprintf(full, need, "%s < '%s'", cmd, path);
    FILE *p = popen(full, "r");
    ck_assert_msg(p != NULL, "popen %s", full);
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        membuf_append(out, buf, n);
    int rc = pclose(p);
    free(full);
    free(path);
    remove_tmpdir(dir);
    return rc != -1 && WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

void make_mixed(struct membuf *b, size_t len, uint32_t seed)
{
    static const char *const words[] = {
        "gzip ", "compress ", "the ", "table ", "of ", "codes ", "clear ",
        "lzw\n", "pack ", "huffman ", "zip ", "entry ", "a ", "stream\n",
    };
    uint32_t st = seed;
    while (b->len < len) {
        uint32_t r = rand_next(&st);
        if (r % 97 == 0) {                 /* a run of one byte */
            unsigned char run[300];
            memset(run, (int)(r >> 8), sizeof run);
            membuf_append(b, run, r % 300);
        } else if (b->len > len / 3 && b->len < len / 2) {
            unsigned char noise[64];       /* random: the ratio drops */
            fill_random(noise, sizeof noise, r);
            membuf_append(b, noise, sizeof noise);
        } else {
            const char *w = words[r % (sizeof words / sizeof *words)];
            membuf_append(b, w, strlen(w));
        }
    }
    b->len = len;
}
