/* engine.c -- see engine.h: what is built in, the dispatch to the chosen
   engine, and the gzip framing the engines share (engine_impl.h). */
#include "engine_impl.h"

#include <string.h>

#define OS_UNIX 3               /* RFC 1952 OS field */

static const char *const names[ENGINE_COUNT] = { "zlib", "libdeflate" };

bool engine_built_in(enum engine_id id)
{
#ifdef HAVE_LIBDEFLATE
    return id == ENGINE_ZLIB || id == ENGINE_LIBDEFLATE;
#else
    return id == ENGINE_ZLIB;
#endif
}

enum engine_id engine_default(void)
{
    return engine_built_in(ENGINE_LIBDEFLATE) ? ENGINE_LIBDEFLATE : ENGINE_ZLIB;
}

const char *engine_name(enum engine_id id)
{
    return (unsigned)id < ENGINE_COUNT ? names[id] : "?";
}

bool engine_by_name(const char *name, enum engine_id *id)
{
    for (int i = 0; i < ENGINE_COUNT; i++)
        if (strcmp(name, names[i]) == 0) {
            *id = (enum engine_id)i;
            return true;
        }
    return false;
}

int engine_max_level(enum engine_id id)
{
    return id == ENGINE_LIBDEFLATE ? 12 : 9;
}

size_t engine_default_block_size(enum engine_id id)
{
    return id == ENGINE_LIBDEFLATE ? ENGINE_LIBDEFLATE_BLOCK : 128 * 1024;
}

bool engine_wants_dict(const struct engine_config *cfg)
{
    return cfg->id == ENGINE_ZLIB && !cfg->independent;
}

int engine_deflate_level(const struct engine_config *cfg)
{
    bool one_up = cfg->id == ENGINE_LIBDEFLATE && cfg->rsyncable &&
                  cfg->level < engine_max_level(cfg->id);
    return cfg->level + (one_up ? 1 : 0);
}

engine_t *engine_new(const struct engine_config *cfg)
{
#ifdef HAVE_LIBDEFLATE
    if (cfg->id == ENGINE_LIBDEFLATE)
        return engine_libdeflate_new(cfg);
#endif
    return engine_zlib_new(cfg);
}

void engine_free(engine_t *e)
{
    if (e != NULL)
        e->ops->destroy(e);
}

void engine_begin(engine_t *e, const char *name, uint32_t mtime)
{
    memset(&e->counts, 0, sizeof e->counts);
    e->ops->begin(e, name, mtime);
}

int engine_write(engine_t *e, const void *buf, size_t len,
                 gz_sink_fn sink, void *ctx)
{
    return e->ops->write(e, buf, len, sink, ctx);
}

int engine_finish(engine_t *e, gz_sink_fn sink, void *ctx)
{
    return e->ops->finish(e, sink, ctx);
}

struct engine_counts engine_counts(const engine_t *e)
{
    return e->counts;
}

int engine_block(engine_t *e, const struct engine_block *b,
                 gz_sink_fn sink, void *ctx, struct engine_block_out *out)
{
    return e->ops->block(e, b, sink, ctx, out);
}

size_t engine_join(const engine_t *e, struct engine_join *j,
                   const struct engine_block *b, uint32_t crc,
                   unsigned char *tail)
{
    return e->ops->join(e, j, b, crc, tail);
}

#ifndef HAVE_LIBDEFLATE
struct engine_inflater *engine_inflater_new(void)
{
    return NULL;
}

void engine_inflater_free(struct engine_inflater *d)
{
    (void)d;
}

bool engine_inflate_exact(struct engine_inflater *d, const unsigned char *in,
                          size_t in_len, unsigned char *out, size_t out_len,
                          uint32_t *crc)
{
    (void)d, (void)in, (void)in_len, (void)out, (void)out_len, (void)crc;
    return false;
}
#endif

/* ---- framing ----------------------------------------------------------- */

void frame_put_le32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

uint32_t frame_get_le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

size_t frame_header(unsigned char *buf, const char *name, uint32_t mtime,
                 int level, bool sized)
{
    buf[0] = 0x1f;
    buf[1] = 0x8b;
    buf[2] = GZ_METHOD_DEFLATE;
    buf[3] = (name ? GZ_FLG_FNAME : 0) | (sized ? GZ_FLG_FEXTRA : 0);
    frame_put_le32(buf + 4, mtime);
    buf[8] = level >= 9 ? 2 : level == 1 ? 4 : 0;   /* GNU gzip's XFL */
    buf[9] = OS_UNIX;
    size_t len = 10;
    if (sized) {
        unsigned char extra[2 + ENGINE_PG_XLEN] = {
            ENGINE_PG_XLEN, 0, ENGINE_PG_SI1, ENGINE_PG_SI2, 4, 0, 0, 0, 0, 0
        };
        memcpy(buf + len, extra, sizeof extra);
        len += sizeof extra;
    }
    if (name != NULL) {
        const char *base = strrchr(name, '/');
        base = base ? base + 1 : name;
        size_t n = strnlen(base, GZ_NAME_MAX);
        memcpy(buf + len, base, n);
        len += n;
        buf[len++] = '\0';
    }
    return len;
}

void frame_set_size(unsigned char *header, uint32_t member_len)
{
    frame_put_le32(header + 16, member_len);   /* after XLEN, SI1 SI2, LEN */
}

void frame_trailer(unsigned char *buf, uint32_t crc, uint64_t length)
{
    frame_put_le32(buf, crc);
    frame_put_le32(buf + 4, (uint32_t)length);    /* ISIZE is modulo 2^32 */
}
