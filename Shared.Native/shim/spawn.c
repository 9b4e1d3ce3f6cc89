/*
 * containet's clone step: the only code that runs between clone() and exec(). It holds no policy.
 * The C# side (Shared.Native/Container) decides everything and hands over a plan: a flat list of
 * operations with their arguments. The child executes them in order and reports the first failure
 * as (operation index, errno) on the error channel; a successful exec closes that channel (O_CLOEXEC).
 * The child is a copy of a multithreaded process: it may only make system calls and touch its own stack
 * and the plan, never take a libc lock (no malloc, no stdio, no fork()).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn.h"

struct cursor { const uint8_t *at, *end; };

static const char *next_string(struct cursor *c)
{
    const char *s = (const char *)c->at;
    size_t n = strnlen(s, (size_t)(c->end - c->at));
    c->at += n + 1;
    return s;
}

static uint64_t next_u64(struct cursor *c)
{
    uint64_t v;
    memcpy(&v, c->at, sizeof v);
    c->at += sizeof v;
    return v;
}

static void report(int fd, uint32_t index, int err)
{
    uint32_t msg[2] = { index, (uint32_t)err };
    ssize_t ignored = write(fd, msg, sizeof msg);
    (void)ignored;
}

static int send_fd(int channel, int fd)
{
    char byte = 'F';
    struct iovec iov = { &byte, 1 };
    union { struct cmsghdr h; char space[CMSG_SPACE(sizeof(int))]; } control;
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.space, .msg_controllen = sizeof control.space };
    struct cmsghdr *h = CMSG_FIRSTHDR(&msg);
    h->cmsg_level = SOL_SOCKET;
    h->cmsg_type = SCM_RIGHTS;
    h->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(h), &fd, sizeof fd);
    return sendmsg(channel, &msg, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

static int listen_at(const char *path, int channel)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof addr.sun_path) { errno = ENAMETOOLONG; return -1; }
    strcpy(addr.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    unlink(path);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(fd, 16) < 0 || send_fd(channel, fd) < 0) {
        int e = errno; close(fd); errno = e; return -1;
    }
    close(fd);
    return 0;
}

/* mkdir -p: a volume's target may sit below directories the image does not have. */
static int make_dirs(const char *path, mode_t mode)
{
    char buf[4096];
    size_t n = strlen(path);
    if (n >= sizeof buf) { errno = ENAMETOOLONG; return -1; }
    memcpy(buf, path, n + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(buf, 0755) < 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    return mkdir(buf, mode) < 0 && errno != EEXIST ? -1 : 0;
}

static int link_up(const char *name)
{
    struct ifreq req;
    memset(&req, 0, sizeof req);
    if (strlen(name) >= IFNAMSIZ) { errno = ENAMETOOLONG; return -1; }
    strcpy(req.ifr_name, name);
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int rc = ioctl(fd, SIOCGIFFLAGS, &req);
    if (rc == 0) { req.ifr_flags |= IFF_UP; rc = ioctl(fd, SIOCSIFFLAGS, &req); }
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

static int write_file(const char *path, const char *content)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) return -1;
    size_t n = strlen(content);
    ssize_t w = write(fd, content, n);
    int e = errno;
    close(fd);
    if (w != (ssize_t)n) { errno = w < 0 ? e : EIO; return -1; }
    return 0;
}

/* A minimal PID 1: runs the command as its child, forwards signals, reaps every zombie, exits as the command did. */
static volatile sig_atomic_t forwarded_to;
static void forward(int sig) { if (forwarded_to > 0) kill(forwarded_to, sig); }

static void run_init(const struct ctn_exec *x, int error_fd)
{
    static const int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH };
    sigset_t none;
    sigemptyset(&none);
    /* Every signal is still blocked (see ctn_spawn): none is lost before the handlers below exist.
       A raw clone, not fork(): this process is a copy of a multithreaded one, and glibc's fork takes locks
       (malloc's, stdio's) that another thread may have held at the moment of the copy, forever. */
    pid_t child = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    if (child < 0) { report(error_fd, x->index, errno); _exit(127); }
    if (child == 0) {
        sigprocmask(SIG_SETMASK, &none, NULL);
        setsid();
        execvpe(x->argv[0], x->argv, x->envp);
        int e = errno;
        report(error_fd, x->index, e);
        _exit(e == ENOENT ? 127 : 126);
    }
    close(error_fd);
    forwarded_to = child;
    struct sigaction sa = { .sa_handler = forward };
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) sigaction(signals[i], &sa, NULL);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (;;) {
        int status;
        pid_t p = waitpid(-1, &status, 0);
        if (p < 0 && errno == EINTR) continue;
        if (p < 0) _exit(127);
        if (p == child) _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    }
}

static int child_main(void *arg)
{
    const struct ctn_plan *plan = arg;
    struct cursor c = { plan->ops, plan->ops + plan->ops_length };
    uint32_t index = 0;

    close(plan->parent_end);
    /* The container dies with the thread that launched it. Had the parent died before this line, the
       plan's WAIT finds its channel closed and the child gives up there. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) { report(plan->error_fd, 0, errno); _exit(127); }

    while (c.at < c.end) {
        uint8_t op = *c.at++;
        uint8_t optional = *c.at++;
        int rc = 0;
        switch (op) {
        case CTN_OP_MOUNT: {
            const char *src = next_string(&c), *target = next_string(&c), *type = next_string(&c);
            uint64_t flags = next_u64(&c);
            const char *data = next_string(&c);
            rc = mount(*src ? src : NULL, target, *type ? type : NULL, (unsigned long)flags, *data ? data : NULL);
            break;
        }
        case CTN_OP_MKDIR: {
            const char *path = next_string(&c);
            uint64_t mode = next_u64(&c);
            rc = make_dirs(path, (mode_t)mode);
            break;
        }
        case CTN_OP_MKNOD: {
            const char *path = next_string(&c);
            uint64_t mode = next_u64(&c), major = next_u64(&c), minor = next_u64(&c);
            rc = mknod(path, (mode_t)mode, makedev(major, minor));
            if (rc == 0) rc = chmod(path, (mode_t)mode & 07777);
            break;
        }
        case CTN_OP_TOUCH: {
            const char *path = next_string(&c);
            char parent[4096];
            size_t n = strlen(path);
            if (n < sizeof parent) {
                memcpy(parent, path, n + 1);
                char *slash = strrchr(parent, '/');
                if (slash && slash != parent) { *slash = 0; make_dirs(parent, 0755); }
            }
            rc = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
            if (rc >= 0) { close(rc); rc = 0; }
            break;
        }
        case CTN_OP_SYMLINK: {
            const char *target = next_string(&c), *link = next_string(&c);
            rc = symlink(target, link);
            if (rc < 0 && errno == EEXIST) { unlink(link); rc = symlink(target, link); }
            break;
        }
        case CTN_OP_WRITE: {
            const char *path = next_string(&c), *content = next_string(&c);
            rc = write_file(path, content);
            break;
        }
        case CTN_OP_PIVOT: {
            const char *root = next_string(&c);
            /* pivot_root(".", ".") stacks the old root under the new one; detaching it leaves only the new. */
            rc = chdir(root);
            if (rc == 0) rc = (int)syscall(SYS_pivot_root, ".", ".");
            if (rc == 0) rc = umount2(".", MNT_DETACH);
            if (rc == 0) rc = chdir("/");
            break;
        }
        case CTN_OP_HOSTNAME: {
            const char *name = next_string(&c);
            rc = sethostname(name, strlen(name));
            break;
        }
        case CTN_OP_SETNS: {
            uint64_t fd = next_u64(&c), type = next_u64(&c);
            rc = setns((int)fd, (int)type);
            break;
        }
        case CTN_OP_LINK_UP:
            rc = link_up(next_string(&c));
            break;
        case CTN_OP_CHDIR:
            rc = chdir(next_string(&c));
            break;
        case CTN_OP_LISTEN:
            rc = listen_at(next_string(&c), plan->sync_fd);
            break;
        case CTN_OP_WAIT: {
            /* The parent plugs in the network, then says go. */
            char go;
            ssize_t n;
            do n = read(plan->sync_fd, &go, 1); while (n < 0 && errno == EINTR);
            if (n != 1) { errno = n == 0 ? ECONNRESET : errno; rc = -1; }
            break;
        }
        default:
            errno = EINVAL;
            rc = -1;
        }
        if (rc < 0 && !optional) { report(plan->error_fd, index, errno); _exit(127); }
        index++;
    }

    close(plan->sync_fd);
    /* The parent's handlers must not leak into the container: defaults first, and only then unblock. */
    for (int s = 1; s < NSIG; s++) signal(s, SIG_DFL);

    struct ctn_exec x = { plan->argv, plan->envp, index };
    if (plan->init) run_init(&x, plan->error_fd);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execvpe(plan->argv[0], plan->argv, plan->envp);
    int e = errno;
    report(plan->error_fd, index, e);
    _exit(e == ENOENT ? 127 : 126);
}

int ctn_spawn(const struct ctn_plan *plan)
{
    const size_t stack_size = 256 * 1024;
    char *stack = malloc(stack_size);
    if (!stack) return -ENOMEM;
    /* A PID 1 drops signals it has no handler for, unless they are blocked: the child starts with every
       signal blocked, so one sent before --init's handlers exist waits instead of vanishing. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    pid_t pid = clone(child_main, stack + stack_size, plan->clone_flags | SIGCHLD, (void *)plan);
    int e = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    free(stack);
    return pid < 0 ? -e : pid;
}

int ctn_wait(int pid, int *status)
{
    int s;
    pid_t r;
    do r = waitpid(pid, &s, 0); while (r < 0 && errno == EINTR);
    if (r < 0) return -errno;
    *status = s;
    return 0;
}
