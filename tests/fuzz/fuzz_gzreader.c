/* fuzz_gzreader.c -- libFuzzer target for the gzip reader (gzreader.c),
   with the other formats it reads (formats.h) and zcat -f's copying.

   Any byte string is fed to gzr_open()/gzr_run() through a memfd, as a
   file would be: the reader must classify it (a status, never a crash, a
   hang, a leak or undefined behaviour), and whenever it reports success
   the data it produced must match what zlib's own gzip decoder produces
   for the members it accepted.

   The same bytes then go through the member walker (members.h) as
   pardec.c walks them: the members it finds and that decode whole and
   check out must give a prefix of what the sequential reader gave
   whenever that one succeeded (parallel decoding stops at the first member
   that does not walk or check, and the sequential reader takes over).
   Then that takeover, as pardec.c does it on a pipe: the bytes from where
   the walk stopped, replayed (gzr_preread) and read as what follows a
   member (gzr_open_after), must give the rest of the sequential run's
   data, and its verdict on what follows the members. */
#include "gzreader.h"
#include "members.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

struct collected {
    unsigned char *data;
    size_t len, cap;
};

static int collect(void *ctx, const unsigned char *buf, size_t len)
{
    struct collected *c = ctx;
    if (c->len + len > c->cap) {
        c->cap = (c->len + len) * 2;
        c->data = realloc(c->data, c->cap);
        if (c->data == NULL)
            abort();
    }
    memcpy(c->data + c->len, buf, len);
    c->len += len;
    return 0;
}

/* zlib's decoding of the first member, for comparison: returns its
   length, or (size_t)-1 if zlib rejects it. */
static size_t zlib_first_member(const uint8_t *in, size_t len,
                                unsigned char *out, size_t cap)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 15 + 16) != Z_OK)
        abort();
    zs.next_in = (Bytef *)in;
    zs.avail_in = (uInt)len;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    int rc = inflate(&zs, Z_FINISH);
    size_t got = cap - zs.avail_out;
    inflateEnd(&zs);
    return rc == Z_STREAM_END ? got : (size_t)-1;
}

/* Walk and decode whole as pardec.c does; compare with the sequential
   reader's output `seq` when `seq_ok`.  Returns where the walk stopped,
   and in *out_len the data before it. */
static size_t walk(gz_reader_t *r, const uint8_t *data, size_t size,
                   const struct collected *seq, bool seq_ok, size_t *out_len)
{
    size_t at = 0, out_at = 0;
    for (;;) {
        *out_len = out_at;
        struct member_info m;
        if (members_parse(data + at, size - at, true, &m) != MEMBER_SIZED ||
            m.len > size - at)
            return at;
        uint32_t isize = members_isize(data + at, m.len), crc;
        if (isize > MEMBERS_MAX_DATA)
            return at;
        unsigned char *buf = malloc(isize + 1);
        if (buf == NULL)
            abort();
        bool ok = gzr_inflate_whole(r, data + at + m.header_len,
                                    m.len - m.header_len - 8, buf, isize,
                                    &crc) &&
                  crc == members_crc(data + at, m.len);
        if (ok && seq_ok &&
            (out_at + isize > seq->len ||
             (isize > 0 && memcmp(seq->data + out_at, buf, isize) != 0)))
            abort();
        free(buf);
        if (!ok)
            return at;
        at += m.len;
        out_at += isize;
    }
}

/* The sequential reader from `at` on, after `out_len` bytes of walked
   data: with the sequential run `seq` a success (status OK, what followed
   `trailing`), the two together must be that run. */
static void resume(gz_reader_t *r, int fd_at_end, const uint8_t *data,
                   size_t size, size_t at, size_t out_len,
                   const struct collected *seq, enum gz_trailing trailing)
{
    struct gz_result res;
    struct collected rest = {0};
    gzr_preread(r, data + at, size - at);
    if (gzr_open_after(r, fd_at_end, &res))
        gzr_run(r, collect, &rest);
    if (res.status != GZ_OK || res.trailing != trailing ||
        out_len + rest.len != seq->len ||
        (rest.len > 0 && memcmp(seq->data + out_len, rest.data, rest.len) != 0))
        abort();
    gzr_result_free(&res);
    free(rest.data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The default engine's reader: with libdeflate, members carrying
       their length are decoded whole, the others streamed. */
    static gz_reader_t *r;
    if (r == NULL && (r = gzr_new(engine_default())) == NULL)
        abort();
    int fd = memfd_create("fuzz", MFD_CLOEXEC);
    if (fd < 0 || write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0)
        abort();
    struct gz_result res;
    struct collected out = {0};
    /* Half the inputs keep the stored name, under a bound small enough
       to be crossed often (GZ_NAME_TOO_LARGE). */
    gzr_keep_name(r, size % 2 == 0, size % 64);
    /* A third of them as zcat -f reads (a member's magic may be cut
       short; what is no member is copied), a third as -lf. */
    gzr_force(r, size % 3 != 0, size % 3 == 1);
    if (gzr_open(r, fd, &res))
        gzr_run(r, collect, &out);
    if (res.status == GZ_OK && res.members == 1 && out.len < (1u << 20) &&
        res.format == GZ_FORMAT_GZIP && res.trailing != GZ_TRAILING_COPIED) {
        unsigned char *check = malloc(out.len + 1);
        size_t n = zlib_first_member(data, size, check, out.len + 1);
        /* zlib accepts what we accept, with the same data (zlib does not
           check FHCRC, so only compare when it agrees). */
        if (n != (size_t)-1 &&
            (n != out.len || (n > 0 && memcmp(check, out.data, n) != 0)))
            abort();
        free(check);
    }
    size_t out_len, at = walk(r, data, size, &out, res.status == GZ_OK,
                              &out_len);
    /* (pardec.c walks only files whose first member walks) */
    if (res.status == GZ_OK && at > 0 && lseek(fd, 0, SEEK_END) >= 0)
        resume(r, fd, data, size, at, out_len, &out, res.trailing);
    gzr_result_free(&res);
    free(out.data);
    close(fd);
    return 0;
}
