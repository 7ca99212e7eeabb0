/* helpers.h -- helpers shared by the unit tests: growable byte buffers,
   deterministic pseudo-random data, gunzip, temporary directories, and
   quieting stderr.  They fail the current test (ck_assert) when the
   system itself lets them down. */
#ifndef PGZ_TEST_HELPERS_H
#define PGZ_TEST_HELPERS_H

#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

/* A growable byte buffer; zero-initialise it ({0}) before use. */
struct membuf {
    unsigned char *data;
    size_t len, cap;
};

void membuf_append(struct membuf *b, const void *data, size_t len);
void membuf_free(struct membuf *b);

/* Append everything readable from `fd`, from its current offset, to *b. */
void read_fd_all(int fd, struct membuf *b);

/* Replace *b with the contents of the file at `path`. */
void read_file_all(const char *path, struct membuf *b);

/* Write `len` bytes to a new file at `path` (mode 0644). */
void write_file(const char *path, const void *data, size_t len);

/* Fill p[0..n) with pseudo-random bytes determined by `seed`. */
void fill_random(void *p, size_t n, uint32_t seed);

/* A small pseudo-random number generator with state *state. */
uint32_t rand_next(uint32_t *state);

/* Inflate the one gzip member at the start of in[0..len), appending the
   data to *out.  When `hdr` is not NULL it receives the header (its name
   buffer, if any, is the caller's).  Returns the number of input bytes the
   member took, or 0 if it is not a complete, valid member (CRC and length
   included). */
size_t gunzip_member(const unsigned char *in, size_t len, struct membuf *out,
                     gz_header *hdr);

/* A new engine `id` at `level` (block size 128 KiB, not independent);
   fails the test if it cannot be made. */
#include "engine.h"
engine_t *new_engine(enum engine_id id, int level);

/* A fresh, empty temporary directory (malloc'd path), and its removal
   with whatever it holds (one level: the tests create no subdirectories). */
char *make_tmpdir(void);
void remove_tmpdir(char *dir);

/* `dir` + "/" + `name`, malloc'd. */
char *path_join(const char *dir, const char *name);

/* Entries of `dir` other than "." and ".."; the first one's name is copied
   to first[0..size) when `first` is not NULL and there is one. */
int count_entries(const char *dir, char *first, size_t size);

/* Send stderr to /dev/null; returns what restore_stderr() needs. */
int silence_stderr(void);
void restore_stderr(int saved);

void sleep_ms(unsigned ms);

#endif
