/* cpus.h -- how many CPUs this process may really use: the default number
   of worker threads. */
#ifndef PGZ_CPUS_H
#define PGZ_CPUS_H

/* The CPUs in this process's affinity mask (sched_getaffinity), capped by
   the cgroup v2 CPU quota (cpu.max, rounded up) of its cgroup and every
   ancestor, where one is set.  Always at least 1. */
long cpus_available(void);

/* Parse the text of a cgroup v2 cpu.max file ("QUOTA PERIOD" or
   "max PERIOD") into a CPU count, rounded up.  Returns 0 when there is no
   limit or the text cannot be parsed. */
long cpus_from_cpu_max(const char *text);

#endif
