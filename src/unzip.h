/* unzip.h -- the decoder of a zip file's first entry, stored or deflated
   (magic "PK\003\004"), behind the decoder seam (decoder.h).  Its
   deflate data goes through zlib's inflate: the only zlib calls of the
   legacy decoders live in unzip.c (the engine seam will own them).

   As gzip's unzip does, only the first entry's local header is read: the
   name and extra fields are skipped, the central directory is never
   looked at.  With the data-descriptor flag (bit 3: a "streamed" zip,
   written to a pipe) the CRC and length come from the 16 bytes after the
   data (signature, CRC, sizes); otherwise from the local header.  Errors
   in gzip 1.14's words:
     - the input ending inside the local header, its name or its extra
       field: "not a valid zip file";
     - a method (its low byte, as gzip reads it) other than 0 and 8:
       "first entry not deflated or stored -- use unzip";
     - the encryption flag: "encrypted file -- use unzip";
     - invalid deflate data: "invalid compressed data--format violated";
     - a stored entry whose two sizes differ: "invalid compressed
       data--length mismatch" (note: gzip first prints "len N, siz M");
       gzip copies a stored entry's length from the local header, so a
       stored entry with a data descriptor (sizes 0 there) fails its CRC
       and length checks unless it is empty, as with gzip;
     - the input ending in the data or the descriptor: "unexpected end of
       file";
     - "invalid compressed data--crc error" and/or "invalid compressed
       data--length error" (error, then error2, when both).
   When the five bytes after the entry start with another local header,
   the decoder warns (DEC_WARN_MORE_ENTRIES; see decoder.h for what gzip
   then does).  The decoder takes all its input (gzip reads nothing after
   a zip entry): it ends with dec_finish(). */
#ifndef PGZ_UNZIP_H
#define PGZ_UNZIP_H

#include "decoder.h"

#define ZIP_MAGIC "PK\003\004"

/* A decoder for a zip file's first entry: feed it from the magic on. */
struct decoder *unzip_decoder_new(gz_sink_fn sink, void *ctx);

#endif
