/* formats.h -- which format the magic bytes of a member name, among those
   gzip -d reads, and the decoder (decoder.h) of the ones that are not
   gzip: the one place that knows them all, as gzip's get_method() does.

   The decoders themselves are lzw.h, unpack.h and unzip.h; the gzip
   reader (gzreader.h) calls formats_detect() for each member and feeds a
   legacy member to formats_decoder_new()'s decoder.  Thread-safe (no
   state). */
#ifndef PGZ_FORMATS_H
#define PGZ_FORMATS_H

#include "decoder.h"

#include <stdbool.h>

enum gz_format {
    GZ_FORMAT_NONE,        /* no member: not a format gzip -d reads */
    GZ_FORMAT_GZIP,        /* "\037\213", or gzip 0.5's "\037\236" */
    GZ_FORMAT_COMPRESS,    /* "\037\235" (.Z): takes the rest of the input */
    GZ_FORMAT_PACK,        /* "\037\036" (.z): members may follow */
    GZ_FORMAT_ZIP          /* "PK\003\004", at the start of the input only:
                              its first entry; takes the rest */
};

/* The format named by a member's first bytes: `magic` holds `len` of them
   (up to 4; fewer when the input ends first).  `first` says whether this
   is the start of the input: only there is a zip file recognised (gzip
   looks for it at the start of its input buffer only).  gzip's LZH
   ("\037\240") is not read: GZ_FORMAT_NONE. */
enum gz_format formats_detect(const unsigned char *magic, size_t len,
                              bool first);

/* Whether a member of this format takes the rest of the input (gzip's
   last_member): nothing after it is read. */
bool formats_is_last(enum gz_format f);

/* A decoder for a legacy format (COMPRESS, PACK, ZIP), to be fed from its
   magic bytes on; NULL for the others. */
struct decoder *formats_decoder_new(enum gz_format f, gz_sink_fn sink,
                                    void *ctx);

/* gzip -lv's method column for a format ("defla", "compr", "pack "; a zip
   entry: "defla" or "store", after its method byte `zip_method`). */
const char *formats_method_name(enum gz_format f, int zip_method);

#endif
