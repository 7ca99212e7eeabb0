/* units.c -- see units.h. */
#include "units.h"

#include <stdio.h>
#include <string.h>

char *format_count(char *buf, uint64_t n)
{
    char digits[UNITS_BUF];
    int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
    char *out = buf;
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            *out++ = ',';
        *out++ = digits[i];
    }
    *out = '\0';
    return buf;
}

char *format_bytes(char *buf, uint64_t bytes)
{
    static const char *const units[] = { "kB", "MB", "GB", "TB", "PB", "EB" };
    if (bytes < 1000) {
        snprintf(buf, UNITS_BUF, "%llu B", (unsigned long long)bytes);
        return buf;
    }
    double value = (double)bytes / 1000.0;
    size_t unit = 0;
    /* 999.95 would print as "1000.0": move up a unit before rounding does. */
    while (value >= 999.95 && unit + 1 < sizeof units / sizeof units[0]) {
        value /= 1000.0;
        unit++;
    }
    snprintf(buf, UNITS_BUF, "%.1f %s", value, units[unit]);
    return buf;
}

char *format_clock(char *buf, double seconds)
{
    if (!(seconds >= 0) || seconds > 99 * 3600.0) {
        strcpy(buf, "--:--");
        return buf;
    }
    unsigned long s = (unsigned long)(seconds + 0.5);
    if (s >= 3600)
        snprintf(buf, UNITS_BUF, "%lu:%02lu:%02lu", s / 3600, s / 60 % 60,
                 s % 60);
    else
        snprintf(buf, UNITS_BUF, "%lu:%02lu", s / 60, s % 60);
    return buf;
}
