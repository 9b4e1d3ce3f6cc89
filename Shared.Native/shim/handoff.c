/*
 * What a launcher does around its container's life: forward signals (CTN_FORWARDED_SIGNALS) to the container, and
 * become containet-wait (shim/wait.c) once the container runs. The forwarding is a plain C handler, process-
 * wide, with no managed code on the path: a signal is held until the container exists and cannot be lost in
 * the runtime's dispatch while the launcher execs. Which signals, and when, is the C# side's decision.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn.h"

extern char **environ;

static volatile sig_atomic_t forward_pid, held_signal;
static sigset_t forwarded;

static void forward_or_hold(int sig)
{
    pid_t pid = forward_pid;
    if (pid > 0) kill(pid, sig);
    else held_signal = sig;
}

int ctn_forward_signals(void)
{
    static const int signals[] = CTN_FORWARDED_SIGNALS;
    struct sigaction sa = { .sa_handler = forward_or_hold, .sa_flags = SA_RESTART };
    sigemptyset(&sa.sa_mask);
    sigemptyset(&forwarded);
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        if (sigaction(signals[i], &sa, NULL) < 0) return -errno;
        sigaddset(&forwarded, signals[i]);
    }
    return 0;
}

void ctn_forward_to(int pid)
{
    forward_pid = pid;
    int held = held_signal;
    held_signal = 0;
    if (held && pid > 0) kill(pid, held);
}

int ctn_handoff(const char *path, char *const *argv, const int *keep, int nkeep)
{
    /* Blocked across the exec, the forwarded signals stay pending until containet-wait forwards them. */
    sigset_t old;
    pthread_sigmask(SIG_BLOCK, &forwarded, &old);
    for (int i = 0; i < nkeep; i++) fcntl(keep[i], F_SETFD, 0);
    /* The environment goes on: a restart's launcher reads its state directories from it. */
    execve(path, argv, environ);
    int err = errno;
    for (int i = 0; i < nkeep; i++) fcntl(keep[i], F_SETFD, FD_CLOEXEC);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return -err;
}

int ctn_spawn_session(const char *path, char *const *argv, int ready_fd)
{
    /* A monitor of its own: a new session with no terminal, stdio on /dev/null, the launcher's report pipe as fd 3,
       default signal dispositions and nothing blocked, whatever the caller had. */
    posix_spawn_file_actions_t files;
    posix_spawnattr_t attr;
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawn_file_actions_init(&files);
    for (int fd = 0; fd < 3; fd++) posix_spawn_file_actions_addopen(&files, fd, "/dev/null", O_RDWR, 0);
    posix_spawn_file_actions_adddup2(&files, ready_fd, 3);
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    pid_t pid;
    int rc = posix_spawn(&pid, path, &files, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&files);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) return -rc;
    /* The program forks and leaves at once (containode's main.c): what runs on is nobody's child here. */
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
    return 0;
}

int ctn_run_program(const char *file, char *const *argv, int stdout_to_stderr)
{
    /* A helper program in the foreground (mocker pulling an image): this process's stdio and environment, found
       through PATH, optionally with its stdout on stderr so that the caller's own output stays clean. */
    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    if (stdout_to_stderr) posix_spawn_file_actions_adddup2(&files, 2, 1);
    pid_t pid;
    int rc = posix_spawnp(&pid, file, &files, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&files);
    return rc != 0 ? -rc : ctn_wait(pid);
}
