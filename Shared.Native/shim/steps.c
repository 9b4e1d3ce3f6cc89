/*
 * The clean-up steps of a container: one description, built by the C# side (ExitSteps), run either by
 * containet-wait when the container's first process has ended or in the launcher itself when a launch fails
 * half-way (ctn_run_steps). The steps are given as containet-wait takes them on its command line:
 *
 *   --send FD TEXT   write TEXT to the socket FD and wait (up to 2 s) for its one-message reply
 *   --say TEXT       write TEXT and a newline to stderr
 *   --empty DIR      remove everything inside DIR, keep DIR
 *   --remove DIR     remove DIR and everything inside it
 *   --rmdir DIR      remove the empty directory DIR (a cgroup), retrying on EBUSY for up to 2 s
 *   --unlink FILE    remove FILE (a name's symlink)
 *   --close FD       close FD (a lock: released at this point of the clean-up, not at exit)
 *   --oom FILE TEXT  write TEXT and a newline to stderr if the container's first process was killed by SIGKILL and
 *                    FILE (a cgroup's memory.events or memory.oom_control) has a line "oom_kill N" with N above 0
 *   --oom-mark FILE MARK  the same test; makes the empty file MARK instead (a detached container's stderr is nobody's)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "spawn.h"

static void send_and_wait(int fd, const char *text)
{
    if (write(fd, text, strlen(text)) < 0) return;
    struct pollfd p = { .fd = fd, .events = POLLIN };
    char reply[512];
    if (poll(&p, 1, 2000) > 0) {
        ssize_t ignored = read(fd, reply, sizeof reply);
        (void)ignored;
    }
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    if (ftw->level == 0) return 0;
    /* A directory its owner cannot read (overlayfs leaves work/work mode 0 when a user mounted it) is removed
       as the empty directory it is. */
    if ((type == FTW_DP || type == FTW_DNR ? rmdir(path) : unlink(path)) < 0 && errno != ENOENT)
        fprintf(stderr, "containode: could not remove %s: %s\n", path, strerror(errno));
    return 0;
}

static void empty(const char *dir, int keep)
{
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
    if (!keep && rmdir(dir) < 0 && errno != ENOENT)
        fprintf(stderr, "containode: could not remove %s: %s\n", dir, strerror(errno));
}

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* A cgroup stays busy until the kernel has finished with the processes that were in it, which can be a
 * moment after the last of them was reaped: the container's other processes die with its PID 1. */
static void remove_cgroup(const char *dir)
{
    long long deadline = now_ms() + 2000;
    struct timespec pause = { .tv_nsec = 10 * 1000000 };
    while (rmdir(dir) < 0) {
        if (errno == ENOENT) return;
        if (errno != EBUSY || now_ms() >= deadline) {
            fprintf(stderr, "containode: could not remove %s: %s\n", dir, strerror(errno));
            return;
        }
        nanosleep(&pause, NULL);
    }
}

/* Whether a cgroup's memory events file counts an OOM kill: a line "oom_kill N" with N above 0. */
static int oom_killed(const char *file)
{
    FILE *f = fopen(file, "re");
    if (!f) return 0;
    char line[128];
    long long kills = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "oom_kill %lld", &kills) == 1) break;
    fclose(f);
    return kills > 0;
}

int ctn_run_steps(int status, int argc, char *const *argv)
{
    int unknown = 0;
    for (int i = 0; i < argc; i++) {
        const char *step = argv[i];
        if (strcmp(step, "--send") == 0 && i + 2 < argc) {
            send_and_wait(atoi(argv[i + 1]), argv[i + 2]);
            i += 2;
        } else if (strcmp(step, "--say") == 0 && i + 1 < argc) {
            fprintf(stderr, "%s\n", argv[++i]);
        } else if (strcmp(step, "--empty") == 0 && i + 1 < argc) {
            empty(argv[++i], 1);
        } else if (strcmp(step, "--remove") == 0 && i + 1 < argc) {
            empty(argv[++i], 0);
        } else if (strcmp(step, "--rmdir") == 0 && i + 1 < argc) {
            remove_cgroup(argv[++i]);
        } else if (strcmp(step, "--oom") == 0 && i + 2 < argc) {
            if (status == 128 + SIGKILL && oom_killed(argv[i + 1])) fprintf(stderr, "%s\n", argv[i + 2]);
            i += 2;
        } else if (strcmp(step, "--oom-mark") == 0 && i + 2 < argc) {
            int fd = status == 128 + SIGKILL && oom_killed(argv[i + 1]) ? open(argv[i + 2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) : -1;
            if (fd >= 0) close(fd);
            i += 2;
        } else if (strcmp(step, "--close") == 0 && i + 1 < argc) {
            close(atoi(argv[++i]));
        } else if (strcmp(step, "--unlink") == 0 && i + 1 < argc) {
            if (unlink(argv[++i]) < 0 && errno != ENOENT)
                fprintf(stderr, "containode: could not remove %s: %s\n", argv[i], strerror(errno));
        } else {
            fprintf(stderr, "containet-wait: unknown step %s\n", step);
            unknown++;
        }
    }
    return unknown;
}
