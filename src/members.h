/* members.h -- the member walker: read a gzip member's header from bytes in
   memory and say whether the member carries its whole length, so that
   members can be found without decoding (pardec.h hands them to workers).

   Two ways a member says its length, both in FEXTRA subfields (RFC 1952
   2.3.1.1):
     "PG", LEN 4: the member's whole length, 4 bytes little-endian (pgz's
                  libdeflate engine, engine.h);
     "BC", LEN 2: BSIZE, the member's whole length minus 1 (BGZF, as
                  bgzip and samtools write it: SAM/BAM specification 4.1).
   A member "walks" only if its header is complete in the bytes given and
   is one of the plainest kinds: method 8, no reserved or encryption flag,
   no FHCRC (gzip checks it; the sequential reader does that), and a length
   that leaves room for at least an empty deflate block and the trailer,
   and no more than MEMBERS_MAX_LEN.  Anything else (including a length
   that lies) is not rejected here: it is left to the sequential reader,
   which gives gzip's own verdict, so a file is never refused for a field
   gzip ignores.

   Pure functions, safe from any thread; the fuzz target
   (tests/fuzz/fuzz_gzreader.c) feeds them arbitrary bytes.

   Room for later (not built):
     - a random-access index (BGZF's .gzi: pairs of compressed and
       uncompressed offsets of members) would be written from the offsets
       this walker finds and the ISIZEs it reads (members_isize), and read
       to seek without walking;
     - rapidgzip-style two-stage decoding of members that do not walk (any
       gzip file): cut the deflate stream at guessed block starts, decode
       each chunk with the 32 KiB window unknown (markers for the unknown
       bytes), then resolve the markers once the previous chunk is done.
       It would take over where members_parse() answers MEMBER_PLAIN. */
#ifndef PGZ_MEMBERS_H
#define PGZ_MEMBERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest member (whole length) and data (ISIZE) decoded whole; larger
   ones go the sequential way.  pgz's blocks up to -b 4096 (4 MiB) fit. */
#define MEMBERS_MAX_DATA ((uint32_t)4 << 20)
#define MEMBERS_MAX_LEN (MEMBERS_MAX_DATA + (MEMBERS_MAX_DATA >> 6) + 65536)
/* A member's trailer: CRC-32 and ISIZE, 4 bytes each. */
#define MEMBERS_TRAILER_LEN 8

enum member_kind {
    MEMBER_SIZED,     /* a member that says its length: see member_info */
    MEMBER_PLAIN,     /* a member (or what starts like one) that does not
                         walk: decode from here sequentially */
    MEMBER_MORE,      /* the header does not end within the bytes given */
    MEMBER_NONE       /* no gzip magic here (end of the members) */
};

struct member_info {
    size_t header_len;    /* bytes of header */
    uint32_t len;         /* the whole member's length (MEMBER_SIZED) */
};

/* Parse the member header at buf[0..len).  `at_eof`: no bytes follow
   these (a header cut short is then MEMBER_PLAIN, for the sequential
   reader to call truncated).  MEMBER_NONE when fewer than two bytes or not
   the gzip magic. */
enum member_kind members_parse(const unsigned char *buf, size_t len,
                               bool at_eof, struct member_info *m);

/* The trailer of a member of `len` bytes starting at `member`: its CRC-32
   and ISIZE. */
uint32_t members_crc(const unsigned char *member, uint32_t len);
uint32_t members_isize(const unsigned char *member, uint32_t len);

#endif
