/* lzw.h -- the decoder of compress's format (.Z files, magic "\037\235"),
   behind the decoder seam (decoder.h).

   The format: after the magic, a byte of flags: the largest code size
   (its low 5 bits: 9 to 16; gzip takes any value up to 16), block mode
   (0x80: code 256 clears the table) and two reserved bits (0x60: gzip
   warns "warning, unknown flags 0x60" and decodes).  Then LZW codes, low
   bit first, 9 bits wide to begin with; each time the table outgrows the
   code size, and after each clear code, the codes written so far at that
   size are padded to a multiple of eight (compress writes codes in groups
   of eight), and the size changes.

   Decoded exactly as gzip's unlzw does, errors in its words:
     - more than 16 bits: "compressed with N bits, can only handle 16 bits";
     - a first code (or the first after a clear) that is not a byte, or a
       code beyond the next free entry of the table: "corrupt input." (gzip
       adds " Use zcat to recover some data." unless it writes to standard
       output, as with -c and -t: the caller's part); a code equal to the
       next free entry is the KwKwK case, and fine;
     - the input ending before the flags byte: "unexpected end of file".
   The format has no end marker, no length and no check value: a
   truncated file decodes, without complaint, to a prefix of its data
   (the bits of an incomplete last code are ignored), as with gzip.

   Memory: 320 KiB (tables for 2^16 codes, a string stack, the output
   buffer), whatever the input. */
#ifndef PGZ_LZW_H
#define PGZ_LZW_H

#include "decoder.h"

#define LZW_MAGIC "\037\235"
#define LZW_CORRUPT "corrupt input."   /* the error gzip adds a hint to */

/* A decoder for one compress stream: feed it from the magic bytes on.
   The stream takes all of its input: it only ends with dec_finish(). */
struct decoder *lzw_decoder_new(gz_sink_fn sink, void *ctx);

#endif
