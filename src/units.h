/* units.h -- numbers for people: counts with thousands separators, sizes
   in SI units, durations as a clock shows them.  Used by the progress line
   and the -v summary, so both speak the same units.

   Each function writes into a caller's buffer of at least UNITS_BUF bytes
   and returns it, so calls can sit in one printf. */
#ifndef PGZ_UNITS_H
#define PGZ_UNITS_H

#include <stdint.h>

#define UNITS_BUF 32

/* 8012 -> "8,012". */
char *format_count(char *buf, uint64_t n);

/* Bytes in SI units, as the sample and most tools show them:
   999 -> "999 B", 115800000 -> "115.8 MB"; one decimal above bytes. */
char *format_bytes(char *buf, uint64_t bytes);

/* A duration for an ETA: 65.2 -> "1:05", 3723 -> "1:02:03"; negative or
   absurd values (over 99 hours) -> "--:--". */
char *format_clock(char *buf, double seconds);

#endif
