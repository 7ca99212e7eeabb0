/* unpack.h -- the decoder of pack's format (.z files, magic "\037\036"),
   behind the decoder seam (decoder.h).

   The format: after the magic, the data's length (4 bytes, most
   significant first), the longest code length L (1 to 25), the number of
   leaves at each length 1..L (at L, less 2), then the leaves' bytes in
   that order (the last leaf of length L, the end code, has none), then
   the Huffman codes, first bit the most significant.  At each length the
   inner nodes take the smallest code values and the leaves follow in
   order; the end code is the largest code of length L.

   Decoded as gzip 1.14's unpack does, errors in its words:
     - a longest length of 0 or over 25: "invalid compressed data --
       Huffman code bit length out of range";
     - more leaves than the tree can hold: "too many leaves in Huffman
       tree"; a tree that does not close: "too few leaves in Huffman tree";
     - the input ending before the end code: "invalid compressed data --
       unexpected end of file" (gzip 1.12 said "unexpected end of file");
     - a length that differs from the data's (modulo 2^32): "invalid
       compressed data--length error".
   A tree that passes these checks is complete (every code leads to a
   leaf: checked exhaustively for small trees); a code without a leaf is
   still refused, as "invalid compressed data--format violated", in case.
   Before failing at the end of the input, the bytes gzip 1.12 writes are
   written: those whose code is followed by the look-ahead gzip reads
   (min(L, 12) bits from the code's start).  (gzip 1.14 fails there
   without writing its last, partial 32 KiB window: an accident of its
   buffering, not followed.)
   The stream ends after the byte holding the end code; what follows is
   not its own (gzip reads it as the next member). */
#ifndef PGZ_UNPACK_H
#define PGZ_UNPACK_H

#include "decoder.h"

#define PACK_MAGIC "\037\036"

/* A decoder for one pack stream: feed it from the magic bytes on. */
struct decoder *unpack_decoder_new(gz_sink_fn sink, void *ctx);

#endif
