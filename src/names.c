/* names.c -- see names.h. */
#include "names.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MIN_PART 3          /* gzip: parts longer than this are cut first */
#define PART_SEP "."

size_t names_max_length(int dir_fd)
{
    errno = 0;
    long max = fpathconf(dir_fd, _PC_NAME_MAX);
    return max > 0 ? (size_t)max : NAME_MAX;
}

bool names_fits_anywhere(size_t len)
{
    return len <= _POSIX_NAME_MAX;
}

size_t names_stored_max(size_t prefix_len)
{
    size_t room = NAMES_GZIP_PATH_MAX - 1;  /* the NUL needs its byte */
    return prefix_len < room ? room - prefix_len : 0;
}

/* ---- compressing ------------------------------------------------------------ */

/* gzip's get_suffix(): where the compressed suffix of `name` starts, or
   NULL.  Unlike compressed_suffix() (task.h) it tries -S after the
   built-in suffixes when -S is the tail of one of them ("z", "gz"), as
   gzip does; that decides where a shortened name is cut. */
static char *gzip_suffix(char *name, const char *zsuffix)
{
    static const char *const known[] = {
        ".gz", ".z", ".taz", ".tgz", "-gz", "-z", "_z"
    };
    enum { KNOWN = sizeof known / sizeof *known };
    size_t zlen = strlen(zsuffix);
    bool builtin_tail = false;
    for (size_t i = 0; i < KNOWN; i++) {
        size_t klen = strlen(known[i]);
        if (zlen < klen && strcmp(zsuffix, known[i] + klen - zlen) == 0)
            builtin_tail = true;
    }
    const char *order[KNOWN + 1];
    size_t n = 0;
    if (!builtin_tail)
        order[n++] = zsuffix;
    for (size_t i = 0; i < KNOWN; i++)
        order[n++] = known[i];
    if (builtin_tail)
        order[n++] = zsuffix;
    size_t nlen = strlen(name);
    for (size_t i = 0; i < n; i++) {
        size_t slen = strlen(order[i]);
        if (nlen > slen && name[nlen - slen - 1] != '/' &&
            strcasecmp(name + nlen - slen, order[i]) == 0)
            return name + nlen - slen;
    }
    return NULL;
}

/* The last byte of the last part (between dots) of `name` longer than
   MIN_PART bytes, else of one longer than 2, then 1; or NULL. */
static char *part_to_cut(char *name)
{
    for (size_t min_part = MIN_PART; min_part > 0; min_part--) {
        char *cut = NULL;
        for (char *p = name; *p != '\0';) {
            size_t plen = strcspn(p, PART_SEP);
            p += plen;
            if (plen > min_part)
                cut = p - 1;
            if (*p != '\0')
                p++;
        }
        if (cut != NULL)
            return cut;
    }
    return NULL;
}

/* One step of gzip's shorten_name() on `name`, which ends in a compressed
   suffix.  Returns NULL or gzip's message when it gives up. */
static const char *shorten_once(char *name, const char *zsuffix)
{
    size_t len = strlen(name);
    char *p = gzip_suffix(name, zsuffix);
    if (p == NULL)
        return "can't recover suffix";
    *p = '\0';
    /* 1234567890.tar.gz -> 1234567890.tgz */
    if (len > 4 && p - name >= 4 && strcmp(p - 4, ".tar") == 0) {
        strcpy(p - 4, ".tgz");
        return NULL;
    }
    char *cut = part_to_cut(name);
    if (cut != NULL) {              /* 1234.678.012.gz -> 123.678.012.gz */
        memmove(cut, cut + 1, strlen(cut + 1) + 1);
        cut = name + strlen(name);
    } else {                        /* a.b.c.gz -> a.b.gz */
        cut = strrchr(name, PART_SEP[0]);
        if (cut != NULL && cut[1] == '\0')
            cut = cut > name ? cut - 1 : NULL;
        if (cut == NULL)
            return "internal error in shorten_name";
    }
    strcpy(cut, zsuffix);
    return NULL;
}

char *names_compressed(const char *stem, const char *suffix, size_t max,
                       bool *shortened, const char **why)
{
    size_t slen = strlen(stem), zlen = strlen(suffix);
    char *name = xmalloc(slen + zlen + 1);
    memcpy(name, stem, slen);
    memcpy(name + slen, suffix, zlen + 1);
    *shortened = false;
    *why = NULL;
    /* Every step but the .tgz one cuts a byte of the stem, and that one
       takes a ".tar" off it: this ends. */
    while (strlen(name) > max) {
        *shortened = true;
        *why = shorten_once(name, suffix);
        if (*why != NULL) {
            free(name);
            return NULL;
        }
    }
    return name;
}

/* ---- decompressing ------------------------------------------------------- */

bool names_truncate(char *name, size_t max, bool *shortened)
{
    size_t len = strlen(name);
    *shortened = false;
    while (len > max) {
        if (len <= 1)
            return false;       /* gzip: "name too short" */
        name[--len] = '\0';
        *shortened = true;
    }
    return true;
}
