/* swapper.c -- a helper of tree_race.bats (compiled by the test with cc):
   changes names under a running pgz at chosen moments.

   swapper at WATCH OP A B -- CMD ARG...
       Run CMD.  As soon as it has the file WATCH open to read (an O_PATH
       descriptor does not count), stop it (SIGSTOP), check that it is
       still in the middle of WATCH (the descriptor's offset is below
       WATCH's size: CMD reads with read(2), so nothing after reading it
       -- the output's commit, the removal of the input, the next file --
       has happened yet), rename A to B (OP "mv") or exchange them (OP "xchg",
       renameat2's RENAME_EXCHANGE), and let it go on (SIGCONT).  CMD is
       killed by SIGALRM after a minute.  Exits
       with CMD's status (128+N if killed by signal N), or:
         200  CMD was caught too late (past the end of WATCH): nothing done
         201  CMD never opened WATCH
         202  the rename failed, or this helper could not do its part

   swapper loop A B
       Exchange A and B over and over until killed (the attacker's side of
       the unprivileged race test). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

static int swap(const char *a, const char *b, unsigned flags)
{
    return renameat2(AT_FDCWD, a, AT_FDCWD, b, flags);
}

/* The descriptor of `pid` open on `target`, or -1. */
static int find_fd(pid_t pid, const char *target)
{
    char dir[64];
    snprintf(dir, sizeof dir, "/proc/%d/fd", (int)pid);
    DIR *d = opendir(dir);
    if (d == NULL)
        return -1;
    int found = -1;
    struct dirent *de;
    while (found < 0 && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char link[PATH_MAX + 64], path[PATH_MAX];
        snprintf(link, sizeof link, "%s/%s", dir, de->d_name);
        ssize_t n = readlink(link, path, sizeof path - 1);
        if (n < 0)
            continue;
        path[n] = '\0';
        if (strcmp(path, target) == 0)
            found = atoi(de->d_name);
    }
    closedir(d);
    return found;
}

/* The offset of descriptor `fd` of `pid`, or -1 if it is no descriptor
   open to read from (an O_PATH one is not). */
static long long fd_pos(pid_t pid, int fd)
{
    char name[64];
    snprintf(name, sizeof name, "/proc/%d/fdinfo/%d", (int)pid, fd);
    FILE *f = fopen(name, "r");
    if (f == NULL)
        return -1;
    long long pos = -1;
    unsigned long flags = 0;
    if (fscanf(f, "pos: %lld flags: %lo", &pos, &flags) != 2 ||
        (flags & O_PATH))
        pos = -1;
    fclose(f);
    return pos;
}

static int exit_code(int st)
{
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    if (WIFSIGNALED(st))
        return 128 + WTERMSIG(st);
    return 202;
}

static int finish(pid_t pid, int code)
{
    int st;
    kill(pid, SIGCONT);
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return 202;
    return code >= 0 ? code : exit_code(st);
}

static int at(char **argv)
{
    const char *watch = argv[0], *op = argv[1], *a = argv[2], *b = argv[3];
    unsigned flags = strcmp(op, "xchg") == 0 ? RENAME_EXCHANGE : 0;
    char target[PATH_MAX];
    struct stat st;
    if (realpath(watch, target) == NULL || stat(target, &st) != 0) {
        perror(watch);
        return 202;
    }
    pid_t pid = fork();
    if (pid < 0)
        return 202;
    if (pid == 0) {
        alarm(60);      /* a hung CMD ends (SIGALRM) instead of the suite */
        execvp(argv[5], argv + 5);
        perror(argv[5]);
        _exit(127);
    }
    for (;;) {
        int ws;
        pid_t w = waitpid(pid, &ws, WNOHANG);
        if (w == pid) {
            fprintf(stderr, "swapper: %s ended before opening %s\n", argv[5],
                    watch);
            return 201;
        }
        int fd = find_fd(pid, target);
        if (fd < 0 || fd_pos(pid, fd) < 0)
            continue;
        kill(pid, SIGSTOP);
        while (waitpid(pid, &ws, WUNTRACED) < 0)
            if (errno != EINTR)
                return 202;
        long long pos = fd_pos(pid, fd);
        if (find_fd(pid, target) != fd || pos < 0 || pos >= st.st_size) {
            fprintf(stderr, "swapper: caught too late (offset %lld of %lld)\n",
                    pos, (long long)st.st_size);
            return finish(pid, 200);
        }
        if (swap(a, b, flags) != 0) {
            perror("swapper: renameat2");
            return finish(pid, 202);
        }
        return finish(pid, -1);
    }
}

int main(int argc, char **argv)
{
    if (argc >= 7 && strcmp(argv[1], "at") == 0 &&
        strcmp(argv[6], "--") == 0)
        return at(argv + 2);
    if (argc == 4 && strcmp(argv[1], "loop") == 0) {
        for (;;)
            (void)!swap(argv[2], argv[3], RENAME_EXCHANGE);
    }
    fprintf(stderr, "usage: swapper at WATCH mv|xchg A B -- CMD ARG...\n"
                    "       swapper loop A B\n");
    return 2;
}
