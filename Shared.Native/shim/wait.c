/*
 * containet-wait: the monitor a container's launcher becomes once the container runs. The launcher execs it in
 * place of itself (same PID, so the container's first process stays its child and still dies with it through
 * PR_SET_PDEATHSIG), which drops the .NET runtime while the container runs: a waiting launcher then costs a few
 * hundred kilobytes instead of megabytes. Like the clone step it holds no policy; the launcher says what to do:
 *
 *   containet-wait [--status FILE] [--log FILE MAXBYTES OUTFD ERRFD] [--pty FD INPUT] [--then COUNT PROGRAM ARG...]
 *                  PID [STEP ARG]...
 *
 *   --status FILE   record PID's status in FILE (written beside and renamed in) before the steps run
 *   --log ...       copy what the container writes on the pipes OUTFD and ERRFD into FILE, one line per entry in
 *                   the CRI log format (TIME STREAM F|P TEXT); past MAXBYTES the file becomes FILE.1 and a new one
 *                   starts, so a chatty container keeps at most twice MAXBYTES (ERRFD -1: none, a terminal's)
 *   --pty FD INPUT  relay the container's terminal (the pty master FD) to stdout, and stdin to it when INPUT is 1,
 *                   with this terminal in raw mode meanwhile and its window size following
 *   --then ...      once the steps ran, exec PROGRAM with its COUNT-1 arguments and PID's status appended
 *                   (the launcher deciding whether the container starts again)
 *   STEP ARG...     the clean-up, as shim/steps.c runs it
 *
 * It forwards CTN_FORWARDED_SIGNALS to PID and exits with PID's status as a shell reports it (128+N for signal N).
 * The launcher blocks those signals before the exec, so one that arrives in between stays pending until the
 * forwarding is in place.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "spawn.h"

#define LINE_MAX_BYTES 16384

struct stream {
    int fd;
    const char *name;
    char buf[LINE_MAX_BYTES];
    size_t used;
};

static struct log {
    const char *path;
    long long max, size;
    int fd;
} out_log = { .fd = -1 };

static void log_open(void)
{
    out_log.fd = open(out_log.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    struct stat st;
    out_log.size = out_log.fd >= 0 && fstat(out_log.fd, &st) == 0 ? st.st_size : 0;
}

static void log_entry(const char *stream, char tag, const char *text, size_t length)
{
    char head[64];
    struct timespec now;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &tm);
    size_t n = strftime(head, sizeof head, "%Y-%m-%dT%H:%M:%S", &tm);
    n += (size_t)snprintf(head + n, sizeof head - n, ".%09ldZ %s %c ", now.tv_nsec, stream, tag);
    if (out_log.size + (long long)(n + length + 1) > out_log.max && out_log.size > 0) {
        char old[4096];
        snprintf(old, sizeof old, "%s.1", out_log.path);
        if (out_log.fd >= 0) close(out_log.fd);
        rename(out_log.path, old);
        log_open();
    }
    if (out_log.fd < 0) return;
    struct iovec parts[3] = { { head, n }, { (void *)text, length }, { "\n", 1 } };
    ssize_t w = writev(out_log.fd, parts, 3);
    if (w > 0) out_log.size += w;
}

/* Reads what is there; writes every whole line, and a line too long for the buffer in parts. Returns 0 at EOF. */
static int pump(struct stream *s)
{
    ssize_t r = read(s->fd, s->buf + s->used, sizeof s->buf - s->used);
    if (r < 0) return errno == EINTR || errno == EAGAIN;
    if (r == 0) {
        /* A last line without its newline stays without one: a reader adds the newline of F entries only. */
        if (s->used) log_entry(s->name, 'P', s->buf, s->used);
        s->used = 0;
        return 0;
    }
    s->used += (size_t)r;
    char *start = s->buf, *nl;
    while ((nl = memchr(start, '\n', s->used - (size_t)(start - s->buf))) != NULL) {
        log_entry(s->name, 'F', start, (size_t)(nl - start));
        start = nl + 1;
    }
    s->used -= (size_t)(start - s->buf);
    memmove(s->buf, start, s->used);
    if (s->used == sizeof s->buf) {
        log_entry(s->name, 'P', s->buf, s->used);
        s->used = 0;
    }
    return 1;
}

static void write_status(const char *path, int code)
{
    char temp[4096], text[16];
    snprintf(temp, sizeof temp, "%s.tmp", path);
    int fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return;
    int n = snprintf(text, sizeof text, "%d\n", code);
    ssize_t ignored = write(fd, text, (size_t)n);
    (void)ignored;
    close(fd);
    rename(temp, path);
}

static struct stream streams[2] = { { .fd = -1 }, { .fd = -1 } };
static int pty_fd = -1, pty_input;

static void copy_window_size(void)
{
    struct winsize ws;
    if (ioctl(0, TIOCGWINSZ, &ws) == 0 || ioctl(1, TIOCGWINSZ, &ws) == 0) ioctl(pty_fd, TIOCSWINSZ, &ws);
}

static int write_all(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Moves what is there from one fd to another; 0 once the source has ended (a pty's master reads EIO then). */
static int relay(int from, int to)
{
    char buf[4096];
    ssize_t r = read(from, buf, sizeof buf);
    if (r < 0) return errno == EINTR || errno == EAGAIN;
    return r > 0 && write_all(to, buf, (size_t)r) == 0;
}

int main(int argc, char **argv)
{
    const char *status_file = NULL;
    char **then = NULL;
    int then_count = 0, nstreams = 0, i = 1;
    while (i < argc && strncmp(argv[i], "--", 2) == 0) {
        if (strcmp(argv[i], "--status") == 0 && i + 1 < argc) {
            status_file = argv[i + 1];
            i += 2;
        } else if (strcmp(argv[i], "--log") == 0 && i + 4 < argc) {
            out_log.path = argv[i + 1];
            out_log.max = atoll(argv[i + 2]);
            streams[0] = (struct stream){ .fd = atoi(argv[i + 3]), .name = "stdout" };
            streams[1] = (struct stream){ .fd = atoi(argv[i + 4]), .name = "stderr" };
            nstreams = 2;
            i += 5;
        } else if (strcmp(argv[i], "--pty") == 0 && i + 2 < argc) {
            pty_fd = atoi(argv[i + 1]);
            pty_input = atoi(argv[i + 2]);
            i += 3;
        } else if (strcmp(argv[i], "--then") == 0 && i + 1 < argc && atoi(argv[i + 1]) > 0 && i + 1 + atoi(argv[i + 1]) < argc) {
            then_count = atoi(argv[i + 1]);
            then = argv + i + 2;
            i += 2 + then_count;
        } else {
            break;
        }
    }
    if (i >= argc) {
        fprintf(stderr, "usage: containet-wait [--status FILE] [--log FILE MAXBYTES OUTFD ERRFD] [--then COUNT PROGRAM ARG...] PID [STEP ARG]...\n");
        return 2;
    }
    pid_t child = (pid_t)atoi(argv[i]);
    if (nstreams) log_open();
    for (int k = 0; k < nstreams; k++)
        if (streams[k].fd < 0) nstreams--;
    struct termios saved;
    /* Raw whenever a terminal is relayed: its own line discipline would otherwise add a second CR to each line. */
    int raw = pty_fd >= 0 && tcgetattr(0, &saved) == 0;
    if (raw) {
        struct termios t = saved;
        cfmakeraw(&t);
        tcsetattr(0, TCSANOW, &t);
    }
    if (pty_fd >= 0) {
        copy_window_size();
        nstreams++;
    }

    /* Every forwarded signal and SIGCHLD arrive on one fd, beside the log pipes: a single-threaded poll loop. */
    int forwarded[] = CTN_FORWARDED_SIGNALS;
    sigset_t set;
    sigemptyset(&set);
    for (size_t k = 0; k < sizeof forwarded / sizeof forwarded[0]; k++) sigaddset(&set, forwarded[k]);
    sigaddset(&set, SIGCHLD);
    signal(SIGCHLD, SIG_DFL); /* an inherited SIG_IGN would make the kernel reap the child for us */
    sigprocmask(SIG_BLOCK, &set, NULL);
    int sfd = signalfd(-1, &set, SFD_CLOEXEC);

    int code = -1, status;
    while (code < 0 || nstreams > 0) {
        if (code < 0) {
            pid_t r = waitpid(child, &status, WNOHANG);
            if (r == child) code = ctn_exit_code(status);
            else if (r < 0 && errno == ECHILD) code = 255;
            if (code >= 0 && nstreams == 0) break;
        }
        struct pollfd p[5] = { { .fd = code < 0 ? sfd : -1, .events = POLLIN } };
        for (int k = 0; k < 2; k++) p[k + 1] = (struct pollfd){ .fd = streams[k].fd, .events = POLLIN };
        p[3] = (struct pollfd){ .fd = pty_fd, .events = POLLIN };
        p[4] = (struct pollfd){ .fd = pty_fd >= 0 && pty_input && code < 0 ? 0 : -1, .events = POLLIN };
        /* Once PID ended its pipes close with the last process of its namespace; wait for that a while only. */
        if (poll(p, 5, code < 0 ? -1 : 1000) == 0) break;
        if (p[0].revents & POLLIN) {
            struct signalfd_siginfo si;
            if (read(sfd, &si, sizeof si) == sizeof si && si.ssi_signo != SIGCHLD) {
                /* A terminal's size change goes to its pty; the kernel tells the container's foreground jobs. */
                if (si.ssi_signo == SIGWINCH && pty_fd >= 0) copy_window_size();
                else kill(child, (int)si.ssi_signo);
            }
        }
        if (p[3].revents & (POLLIN | POLLHUP | POLLERR) && !relay(pty_fd, 1)) {
            close(pty_fd);
            pty_fd = -1;
            nstreams--;
        }
        if (p[4].revents & (POLLIN | POLLHUP | POLLERR) && !relay(0, pty_fd)) pty_input = 0;
        for (int k = 0; k < 2; k++)
            if (streams[k].fd >= 0 && (p[k + 1].revents & (POLLIN | POLLHUP | POLLERR)) && !pump(&streams[k])) {
                close(streams[k].fd);
                streams[k].fd = -1;
                nstreams--;
            }
    }

    if (raw) tcsetattr(0, TCSANOW, &saved);
    if (status_file) write_status(status_file, code);
    ctn_run_steps(code, argc - i - 1, argv + i + 1);
    if (then) {
        char *args[64];
        int n = then_count < 62 ? then_count : 62;
        char text[16];
        snprintf(text, sizeof text, "%d", code);
        memcpy(args, then, (size_t)n * sizeof *args);
        args[n] = text;
        args[n + 1] = NULL;
        sigprocmask(SIG_UNBLOCK, &set, NULL);
        /* Nothing of this container's (locks, pipes, sockets) goes on into the next launch. */
        close_range(3, ~0U, 0);
        execv(args[0], args);
        fprintf(stderr, "containet-wait: exec %s: %s\n", args[0], strerror(errno));
    }
    return code;
}
