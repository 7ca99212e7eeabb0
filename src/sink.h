/* sink.h -- where bytes go: the callback type every producer of output
   (the compression engines, the decoder, copy-through) hands its bytes to. */
#ifndef PGZ_SINK_H
#define PGZ_SINK_H

#include <stddef.h>

/* Called with one or more bytes at a time; must consume them all and
   return 0, or return a positive errno value, which aborts the stream and
   is returned by the producer's call. */
typedef int (*gz_sink_fn)(void *ctx, const unsigned char *buf, size_t len);

#endif
