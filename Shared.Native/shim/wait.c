/*
 * containet-wait: what a launcher becomes once its container runs. The launcher execs it in place of
 * itself (same PID, so the container's first process stays its child and still dies with it through
 * PR_SET_PDEATHSIG), which drops the .NET runtime while the container runs: a waiting launcher then
 * costs a few hundred kilobytes instead of megabytes. Like the clone step it holds no policy; the launcher
 * hands it the clean-up to do as arguments:
 *
 *   containet-wait PID [STEP ARG]...
 *     --send FD TEXT   write TEXT to the socket FD and wait (up to 2 s) for its one-message reply
 *     --say TEXT       write TEXT and a newline to stderr
 *     --empty DIR      remove everything inside DIR, keep DIR
 *     --remove DIR     remove DIR and everything inside it
 *     --rmdir DIR      remove the empty directory DIR (a cgroup), retrying on EBUSY for up to 2 s
 *     --oom FILE TEXT  write TEXT and a newline to stderr if PID was killed by SIGKILL and FILE (a cgroup's
 *                      memory.events or memory.oom_control) has a line "oom_kill N" with N above 0
 *
 * It forwards SIGINT, SIGTERM and SIGHUP to PID, waits for it, runs the steps in order and exits with
 * PID's status as a shell reports it (128+N for signal N). The launcher blocks those signals before the
 * exec, so one that arrives in between stays pending until the forwarding is in place.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile pid_t child;

static void forward(int sig)
{
    kill(child, sig);
}

static int wait_status(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return 255;
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

static void send_and_wait(int fd, const char *text)
{
    if (write(fd, text, strlen(text)) < 0) return;
    struct pollfd p = { .fd = fd, .events = POLLIN };
    char reply[4096];
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

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: containet-wait PID [--send FD TEXT | --say TEXT | --empty DIR | --remove DIR | --rmdir DIR | --oom FILE TEXT]...\n");
        return 2;
    }
    child = (pid_t)atoi(argv[1]);

    struct sigaction sa = { .sa_handler = forward };
    sigemptyset(&sa.sa_mask);
    int forwarded[] = { SIGINT, SIGTERM, SIGHUP };
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++) {
        sigaction(forwarded[i], &sa, NULL);
        sigaddset(&set, forwarded[i]);
    }
    signal(SIGCHLD, SIG_DFL); /* an inherited SIG_IGN would make the kernel reap the child for us */
    sigprocmask(SIG_UNBLOCK, &set, NULL);

    int code = wait_status(child);
    sigprocmask(SIG_BLOCK, &set, NULL);

    for (int i = 2; i < argc; i++) {
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
        } else if (strcmp(step, "--oom") == 0 && i + 2 < argc) {
            if (code == 128 + SIGKILL && oom_killed(argv[i + 1])) fprintf(stderr, "%s\n", argv[i + 2]);
            i += 2;
        } else if (strcmp(step, "--rmdir") == 0 && i + 1 < argc) {
            remove_cgroup(argv[++i]);
        } else {
            fprintf(stderr, "containet-wait: unknown step %s\n", step);
        }
    }
    return code;
}
