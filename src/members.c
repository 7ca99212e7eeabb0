/* members.c -- see members.h. */
#include "members.h"

#define FLG_FHCRC 0x02
#define FLG_FEXTRA 0x04
#define FLG_FNAME 0x08
#define FLG_FCOMMENT 0x10
#define FLG_OTHER 0xe0          /* encryption and reserved bits */
#define FIXED_LEN 10
#define EMPTY_DEFLATE 2         /* the shortest deflate stream: 03 00 */

static uint32_t le(const unsigned char *p, int n)
{
    uint32_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* The length an FEXTRA field of `xlen` bytes at `x` states, or 0. */
static uint32_t stated_length(const unsigned char *x, size_t xlen)
{
    size_t at = 0;
    while (at + 4 <= xlen) {
        size_t sub = le(x + at + 2, 2);
        if (at + 4 + sub > xlen)
            return 0;
        const unsigned char *d = x + at + 4;
        if (x[at] == 'P' && x[at + 1] == 'G' && sub == 4)
            return le(d, 4);
        if (x[at] == 'B' && x[at + 1] == 'C' && sub == 2)
            return le(d, 2) + 1;
        at += 4 + sub;
    }
    return 0;
}

/* Skip a NUL-terminated field; false if it does not end within len. */
static bool skip_string(const unsigned char *buf, size_t len, size_t *at)
{
    while (*at < len)
        if (buf[(*at)++] == 0)
            return true;
    return false;
}

enum member_kind members_parse(const unsigned char *buf, size_t len,
                               bool at_eof, struct member_info *m)
{
    m->header_len = 0;
    m->len = 0;
    if (len < 2 || buf[0] != 0x1f || buf[1] != 0x8b)
        return MEMBER_NONE;
    enum member_kind cut = at_eof ? MEMBER_PLAIN : MEMBER_MORE;
    if (len < FIXED_LEN)
        return cut;
    int flags = buf[3];
    if (buf[2] != 8 || (flags & (FLG_OTHER | FLG_FHCRC)) ||
        !(flags & FLG_FEXTRA))
        return MEMBER_PLAIN;
    size_t at = FIXED_LEN;
    if (at + 2 > len)
        return cut;
    size_t xlen = le(buf + at, 2);
    at += 2;
    if (at + xlen > len)
        return cut;
    uint32_t stated = stated_length(buf + at, xlen);
    at += xlen;
    if ((flags & FLG_FNAME) && !skip_string(buf, len, &at))
        return cut;
    if ((flags & FLG_FCOMMENT) && !skip_string(buf, len, &at))
        return cut;
    m->header_len = at;
    if (stated < at + EMPTY_DEFLATE + MEMBERS_TRAILER_LEN || stated > MEMBERS_MAX_LEN)
        return MEMBER_PLAIN;
    m->len = stated;
    return MEMBER_SIZED;
}

uint32_t members_crc(const unsigned char *member, uint32_t len)
{
    return le(member + len - MEMBERS_TRAILER_LEN, 4);
}

uint32_t members_isize(const unsigned char *member, uint32_t len)
{
    return le(member + len - 4, 4);
}
