/* job.c -- see job.h. */
#include "job.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static struct job *job_new(enum job_kind kind, size_t index)
{
    struct job *job = xcalloc(1, sizeof *job);
    job->kind = kind;
    job->index = index;
    return job;
}

struct job *job_new_file(size_t index, const struct file_loc *loc)
{
    struct job *job = job_new(JOB_FILE, index);
    job->loc = *loc;
    job->loc.path = xstrdup(loc->path);
    job->loc.dir = dirref_get(loc->dir);
    return job;
}

struct job *job_new_stdin(size_t index)
{
    struct file_loc loc = { .path = "-", .name_offset = 0 };
    struct job *job = job_new_file(index, &loc);
    job->is_stdin = true;
    return job;
}

struct job *job_new_block(size_t index, struct block *block)
{
    struct job *job = job_new(JOB_BLOCK, index);
    job->block = block;
    return job;
}

struct job *job_new_members(size_t index, struct member_group *group)
{
    struct job *job = job_new(JOB_MEMBERS, index);
    job->group = group;
    return job;
}

struct job *job_new_done(struct result *result)
{
    struct job *job = job_new(JOB_DONE, result->index);
    job->result = result;
    return job;
}

void job_free(struct job *job)
{
    if (job == NULL)
        return;
    inflight_release(job->index, job->loc.dir, &job->held);
    free((char *)job->loc.path);
    dirref_put(job->loc.dir);
    free(job);
}
