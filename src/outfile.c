/* outfile.c -- see outfile.h. */
#include "outfile.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TMP_PREFIX ".pgz."

/* An O_TMPFILE is linked in through /proc/self/fd (linkat's AT_EMPTY_PATH
   would need CAP_DAC_READ_SEARCH), so it is only usable with /proc. */
static pthread_once_t proc_once = PTHREAD_ONCE_INIT;
static bool proc_available;

/* Name changes in progress (a link, a rename, an input moved aside) hold
   this for reading; outfile_cleanup_on_signal() takes it for writing and
   never gives it back, so a signal never ends pgz in the middle of one. */
static pthread_rwlock_t steps = PTHREAD_RWLOCK_INITIALIZER;
/* Whether this thread holds `steps`: a thread that dies (util.h's die)
   in the middle of a step lets go of it before the cleanup waits for
   every step to end.  Steps allocate only where nothing is half done. */
static _Thread_local bool in_step;

/* The named temporaries that exist right now (O_TMPFILE ones have no name
   and vanish by themselves), for the signal handler to remove.  Each is
   known by its directory's descriptor and its name in it, so that it is
   found even if the directory was renamed meanwhile. */
struct temp_name {
    int dir_fd;
    char *name;
    struct temp_name *next;
};
static pthread_mutex_t temps_lock = PTHREAD_MUTEX_INITIALIZER;
static struct temp_name *temps;

/* A registration made ready before the temporary exists: a failed
   allocation (fatal) must never come between its creation and its
   registration, which are one step. */
static struct temp_name *temp_prepare(void)
{
    struct temp_name *t = xmalloc(sizeof *t);
    t->name = xstrdup(TMP_PREFIX "XXXXXX");
    return t;
}

static void temp_register(struct temp_name *t, int dir_fd, const char *name)
{
    t->dir_fd = dir_fd;
    strcpy(t->name, name);      /* the same length: see temp_prepare */
    mutex_lock(&temps_lock);
    t->next = temps;
    temps = t;
    mutex_unlock(&temps_lock);
}

static void temp_forget(int dir_fd, const char *name)
{
    mutex_lock(&temps_lock);
    for (struct temp_name **p = &temps; *p != NULL; p = &(*p)->next) {
        if ((*p)->dir_fd == dir_fd && strcmp((*p)->name, name) == 0) {
            struct temp_name *t = *p;
            *p = t->next;
            free(t->name);
            free(t);
            break;
        }
    }
    mutex_unlock(&temps_lock);
}

static void steps_begin(void)
{
    if (pthread_rwlock_rdlock(&steps) != 0)
        panic("pthread_rwlock_rdlock failed");
    in_step = true;
}

static void steps_end(void)
{
    in_step = false;
    if (pthread_rwlock_unlock(&steps) != 0)
        panic("pthread_rwlock_unlock failed");
}

void outfile_cleanup_on_signal(void)
{
    if (in_step)
        steps_end();
    if (pthread_rwlock_wrlock(&steps) != 0)
        panic("pthread_rwlock_wrlock failed");
    mutex_lock(&temps_lock);
    for (struct temp_name *t = temps; t != NULL; t = t->next)
        unlinkat(t->dir_fd, t->name, 0);
    mutex_unlock(&temps_lock);
}
static atomic_bool tmpfile_used;
static atomic_ulong tmp_counter;

/* PGZ_NO_O_TMPFILE (any value) makes pgz use named temporaries even where
   O_TMPFILE works, so that the tests can reach that path on any machine. */
static void check_proc(void)
{
    proc_available = access("/proc/self/fd", X_OK) == 0 &&
                     getenv("PGZ_NO_O_TMPFILE") == NULL;
}

bool outfile_uses_tmpfile(void)
{
    return atomic_load(&tmpfile_used);
}

bool outfile_is_temporary_name(const char *name)
{
    size_t plen = strlen(TMP_PREFIX);
    if (strncmp(name, TMP_PREFIX, plen) != 0)
        return false;
    const char *rest = name + plen;
    /* mkostemp's XXXXXX: six letters and digits. */
    if (strlen(rest) == 6 && strspn(rest, "abcdefghijklmnopqrstuvwxyz"
                                          "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "0123456789") == 6)
        return true;
    /* name_beside's PID.N */
    size_t pid = strspn(rest, "0123456789");
    return pid > 0 && rest[pid] == '.' && rest[pid + 1] != '\0' &&
           strspn(rest + pid + 1, "0123456789") == strlen(rest + pid + 1);
}

/* Errors with which open(O_TMPFILE) says "not on this filesystem". */
static bool tmpfile_unsupported(int err)
{
    return err == EOPNOTSUPP || err == EISDIR || err == EINVAL;
}

/* Six characters for a temporary's name, different at each call (a
   counter), and from process to process (the pid and the clock), mixed
   as splitmix64 does. */
static void random_suffix(char out[6])
{
    static const char chars[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    static atomic_uint_fast64_t counter;
    struct timespec now;
    if (clock_gettime(CLOCK_REALTIME, &now) != 0)
        now = (struct timespec){0};     /* the counter alone still differs */
    uint64_t z = atomic_fetch_add(&counter, 1) * 0x9e3779b97f4a7c15u ^
                 (uint64_t)getpid() << 32 ^ (uint64_t)now.tv_nsec ^
                 (uint64_t)now.tv_sec << 40;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    z ^= z >> 31;
    for (int i = 0; i < 6; i++, z /= 62)
        out[i] = chars[z % 62];
}

/* Create the named temporary ".pgz.XXXXXX" in of->dir_fd (mkostemp(3)
   cannot work relative to a descriptor), registered for the signal
   handler in the same step. */
static int create_named_temp(struct outfile *of)
{
    of->tmp_name = xstrdup(TMP_PREFIX "XXXXXX");
    char *suffix = of->tmp_name + strlen(TMP_PREFIX);
    int err = EEXIST;
    struct temp_name *reg = temp_prepare();
    /* Created and registered as one step: a signal in between would
       leave a temporary the handler does not know of. */
    steps_begin();
    for (int attempt = 0; attempt < 100 && err == EEXIST; attempt++) {
        random_suffix(suffix);
        of->fd = openat(of->dir_fd, of->tmp_name,
                        O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                        0600);
        err = of->fd >= 0 ? 0 : errno;
    }
    if (err == 0)
        temp_register(reg, of->dir_fd, of->tmp_name);
    steps_end();
    if (err != 0) {
        free(reg->name);
        free(reg);
        free(of->tmp_name);
        of->tmp_name = NULL;
    }
    return err;
}

/* Remove the named temporary.  When that is refused (its directory was
   made read-only meanwhile), at least give its space back: empty it,
   through `fd` if it is still open. */
static void remove_named_temp(struct outfile *of, int fd)
{
    if (unlinkat(of->dir_fd, of->tmp_name, 0) == 0 || errno == ENOENT)
        return;
    if (fd >= 0) {
        (void)!ftruncate(fd, 0);
        return;
    }
    fd = openat(of->dir_fd, of->tmp_name,
                O_WRONLY | O_TRUNC | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0)
        close(fd);
}

int outfile_create(struct outfile *of, int dir_fd, const char *name)
{
    pthread_once(&proc_once, check_proc);
    of->fd = -1;
    of->dir_fd = dir_fd;
    of->name = NULL;
    of->tmp_name = NULL;
    int err = 0;
    if (proc_available) {
        of->fd = openat(dir_fd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
        if (of->fd >= 0)
            atomic_store(&tmpfile_used, true);
        else if (!tmpfile_unsupported(errno))
            err = errno;
    }
    if (of->fd < 0 && err == 0)
        err = create_named_temp(of);
    if (err != 0)
        return err;
    of->name = xstrdup(name);
    return 0;
}

int outfile_copy_metadata(struct outfile *of, const struct stat *st)
{
    /* Owner first, then the permission bits (gzip copies these only, not
       the set-ID and sticky bits).  Only root may give a file away; a group
       change may still be permitted, so try it alone. */
    if (fchown(of->fd, st->st_uid, st->st_gid) != 0)
        (void)!fchown(of->fd, (uid_t)-1, st->st_gid);
    if (fchmod(of->fd, st->st_mode & 0777) != 0)
        return errno;
    struct timespec times[2] = { st->st_atim, st->st_mtim };
    if (futimens(of->fd, times) != 0)
        return errno;
    return 0;
}

static void release(struct outfile *of)
{
    free(of->name);
    free(of->tmp_name);
    of->name = NULL;
    of->tmp_name = NULL;
    of->fd = -1;
}

/* Link the O_TMPFILE `fd` at `name` in `dir_fd`; EEXIST if the name is
   taken. */
static int link_fd(int fd, int dir_fd, const char *name)
{
    char proc_path[64];
    snprintf(proc_path, sizeof proc_path, "/proc/self/fd/%d", fd);
    if (linkat(AT_FDCWD, proc_path, dir_fd, name, AT_SYMLINK_FOLLOW) != 0)
        return errno;
    return 0;
}

/* A fresh hidden name ".pgz.PID.N", for a file on its way in or out. */
static char *name_beside(void)
{
    char *name = xmalloc(64);
    snprintf(name, 64, TMP_PREFIX "%ld.%lu", (long)getpid(),
             atomic_fetch_add(&tmp_counter, 1));
    return name;
}

/* Link the O_TMPFILE over `name`, replacing what is there atomically: link
   it at a fresh hidden name beside it, then rename. */
static int link_fd_replacing(int fd, int dir_fd, const char *name)
{
    char *tmp;
    int err;
    for (;;) {
        tmp = name_beside();
        err = link_fd(fd, dir_fd, tmp);
        if (err != EEXIST)
            break;
        free(tmp);
    }
    if (err == 0 && renameat(dir_fd, tmp, dir_fd, name) != 0) {
        err = errno;
        unlinkat(dir_fd, tmp, 0);
    }
    free(tmp);
    return err;
}

/* Whether the file `name` of `dir_fd` is the one `st` describes (through
   a symlink, as -f may have opened it). */
static bool same_file(int dir_fd, const char *name, const struct stat *st)
{
    struct stat now;
    return fstatat(dir_fd, name, &now, 0) == 0 && now.st_dev == st->st_dev &&
           now.st_ino == st->st_ino;
}

int outfile_remove_input(int dir_fd, const char *name, const struct stat *st)
{
    /* Take the file out of everyone's reach under a private name; only
       then look at what it is.  A check by name followed by unlinkat()
       would leave a moment in which another file (another job's output
       under -f, or anyone's rename) could take the name and be deleted
       unread. */
    char *aside = name_beside();
    int err = 0;
    steps_begin();
    if (renameat2(dir_fd, name, dir_fd, aside, RENAME_NOREPLACE) != 0) {
        err = errno;
        if (err == EINVAL || err == ENOSYS) {
            /* No RENAME_NOREPLACE on this filesystem: check, then
               remove (a narrow window, as gzip has). */
            err = !same_file(dir_fd, name, st) ? ESTALE
                  : unlinkat(dir_fd, name, 0) == 0 ? 0 : errno;
        }
    } else if (same_file(dir_fd, aside, st)) {
        err = unlinkat(dir_fd, aside, 0) == 0 ? 0 : errno;
    } else {
        /* Someone else's file: give it its name back. */
        if (renameat2(dir_fd, aside, dir_fd, name, RENAME_NOREPLACE) != 0)
            (void)!linkat(dir_fd, aside, dir_fd, name, 0),
                (void)!unlinkat(dir_fd, aside, 0);
        err = ESTALE;
    }
    steps_end();
    free(aside);
    return err;
}

/* Rename the named temporary into place; without `replace`, never over
   an existing file. */
static int rename_into_place(struct outfile *of, bool replace)
{
    int d = of->dir_fd;
    if (replace)
        return renameat(d, of->tmp_name, d, of->name) == 0 ? 0 : errno;
    if (renameat2(d, of->tmp_name, d, of->name, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return errno;
    /* No RENAME_NOREPLACE here: link() refuses an existing name too. */
    if (linkat(d, of->tmp_name, d, of->name, 0) != 0)
        return errno;
    unlinkat(d, of->tmp_name, 0);
    return 0;
}

/* fsync the directory, so that a new name in it is on disk. */
static int sync_dir(int dir_fd)
{
    int fd = openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int err = fd < 0 ? errno : fsync(fd) == 0 ? 0 : errno;
    if (fd >= 0)
        close(fd);
    return err == EINVAL ? 0 : err;     /* some filesystems cannot */
}

int outfile_commit(struct outfile *of, bool replace, bool synchronous)
{
    int err;
    if (synchronous && fdatasync(of->fd) != 0) {
        err = errno;
        outfile_abort(of);
        return err;
    }
    steps_begin();
    if (of->tmp_name == NULL) {
        /* O_TMPFILE: it must be linked while still open.  close() on the
           local filesystems that support O_TMPFILE reports nothing that
           write() did not, but if it ever fails the name is taken back. */
        err = replace ? link_fd_replacing(of->fd, of->dir_fd, of->name)
                      : link_fd(of->fd, of->dir_fd, of->name);
        if (close(of->fd) != 0 && err == 0) {
            err = errno;
            unlinkat(of->dir_fd, of->name, 0);
        }
    } else {
        /* Named temporary: close first, so that a failing close (NFS
           reports delayed write errors there) never reaches the name. */
        err = close(of->fd) == 0 ? 0 : errno;
        if (err == 0)
            err = rename_into_place(of, replace);
        if (err != 0)
            remove_named_temp(of, -1);
        temp_forget(of->dir_fd, of->tmp_name);
    }
    steps_end();
    if (err == 0 && synchronous)
        err = sync_dir(of->dir_fd);
    release(of);
    return err;
}

void outfile_abort(struct outfile *of)
{
    if (of->tmp_name != NULL) {
        remove_named_temp(of, of->fd);
        temp_forget(of->dir_fd, of->tmp_name);
    }
    if (of->fd >= 0)
        close(of->fd);
    release(of);
}
