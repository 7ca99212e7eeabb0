/* waitgroup.c -- see waitgroup.h. */
#include "waitgroup.h"
#include "util.h"

int waitgroup_init(waitgroup_t *wg)
{
    int rc = pthread_mutex_init(&wg->lock, NULL);
    if (rc != 0)
        return rc;
    rc = pthread_cond_init(&wg->zero, NULL);
    if (rc != 0) {
        pthread_mutex_destroy(&wg->lock);
        return rc;
    }
    wg->count = 0;
    return 0;
}

void waitgroup_destroy(waitgroup_t *wg)
{
    pthread_cond_destroy(&wg->zero);
    pthread_mutex_destroy(&wg->lock);
}

void waitgroup_add(waitgroup_t *wg, long delta)
{
    mutex_lock(&wg->lock);
    if (delta < 0 ? wg->count < -delta : wg->count > __LONG_MAX__ - delta)
        panic("sync: negative WaitGroup counter");
    wg->count += delta;
    if (wg->count == 0)
        cond_broadcast(&wg->zero);
    mutex_unlock(&wg->lock);
}

void waitgroup_done(waitgroup_t *wg)
{
    waitgroup_add(wg, -1);
}

void waitgroup_wait(waitgroup_t *wg)
{
    mutex_lock(&wg->lock);
    while (wg->count != 0)
        cond_wait(&wg->zero, &wg->lock);
    mutex_unlock(&wg->lock);
}
