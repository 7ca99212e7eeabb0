/* formats.c -- see formats.h. */
#include "formats.h"

#include "lzw.h"
#include "unpack.h"
#include "unzip.h"

#include <string.h>

enum gz_format formats_detect(const unsigned char *magic, size_t len,
                              bool first)
{
    if (len < 2)
        return GZ_FORMAT_NONE;
    if (magic[0] == 0x1f) {
        switch (magic[1]) {
        case 0x8b: case 0x9e: return GZ_FORMAT_GZIP;
        case 0x9d:            return GZ_FORMAT_COMPRESS;
        case 0x1e:            return GZ_FORMAT_PACK;
        default:              return GZ_FORMAT_NONE;
        }
    }
    if (first && len >= 4 && memcmp(magic, ZIP_MAGIC, 4) == 0)
        return GZ_FORMAT_ZIP;
    return GZ_FORMAT_NONE;
}

bool formats_is_last(enum gz_format f)
{
    return f == GZ_FORMAT_COMPRESS || f == GZ_FORMAT_ZIP;
}

struct decoder *formats_decoder_new(enum gz_format f, gz_sink_fn sink,
                                    void *ctx)
{
    switch (f) {
    case GZ_FORMAT_COMPRESS: return lzw_decoder_new(sink, ctx);
    case GZ_FORMAT_PACK:     return unpack_decoder_new(sink, ctx);
    case GZ_FORMAT_ZIP:      return unzip_decoder_new(sink, ctx);
    default:                 return NULL;
    }
}

const char *formats_method_name(enum gz_format f, int zip_method)
{
    switch (f) {
    case GZ_FORMAT_COMPRESS: return "compr";
    case GZ_FORMAT_PACK:     return "pack ";
    case GZ_FORMAT_ZIP:      return zip_method == 0 ? "store" : "defla";
    default:                 return "defla";
    }
}
