/* cpus.c -- see cpus.h. */
#include "cpus.h"

#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CGROUP_ROOT "/sys/fs/cgroup"

long cpus_from_cpu_max(const char *text)
{
    long long quota, period;
    if (sscanf(text, "%lld %lld", &quota, &period) != 2 || quota <= 0 ||
        period <= 0)
        return 0;   /* "max 100000" fails the first conversion: no limit */
    long long n = quota / period + (quota % period != 0);  /* no overflow */
    return n > LONG_MAX ? LONG_MAX : (long)n;
}

static long affinity_cpus(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n > 0)
            return n;
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? n : 1;
}

/* This process's cgroup v2 path ("/user.slice/..."), or NULL. */
static char *own_cgroup(void)
{
    FILE *f = fopen("/proc/self/cgroup", "re");
    if (f == NULL)
        return NULL;
    char line[PATH_MAX + 16];
    char *path = NULL;
    while (path == NULL && fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "0::", 3) == 0) {
            line[strcspn(line, "\n")] = '\0';
            path = strdup(line + 3);
        }
    }
    fclose(f);
    return path;
}

/* The tightest cpu.max limit from the process's cgroup up to the root;
   0 when none is set. */
static long cgroup_cpus(void)
{
    char *cg = own_cgroup();
    if (cg == NULL)
        return 0;
    long best = 0;
    for (;;) {
        char file[PATH_MAX + 64], text[64];
        snprintf(file, sizeof file, CGROUP_ROOT "%s/cpu.max",
                 strcmp(cg, "/") == 0 ? "" : cg);
        FILE *f = fopen(file, "re");
        if (f != NULL) {
            if (fgets(text, sizeof text, f) != NULL) {
                long n = cpus_from_cpu_max(text);
                if (n > 0 && (best == 0 || n < best))
                    best = n;
            }
            fclose(f);
        }
        char *slash = strrchr(cg, '/');
        if (slash == NULL || strcmp(cg, "/") == 0)
            break;
        if (slash == cg)
            slash[1] = '\0';    /* up to the root, "/" */
        else
            *slash = '\0';
    }
    free(cg);
    return best;
}

long cpus_available(void)
{
    long n = affinity_cpus();
    long quota = cgroup_cpus();
    if (quota > 0 && quota < n)
        n = quota;
    return n > 0 ? n : 1;
}
