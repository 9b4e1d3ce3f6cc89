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
#include <time.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <linux/seccomp.h>

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

static const uint8_t *next_blob(struct cursor *c, uint64_t *length)
{
    *length = next_u64(c);
    const uint8_t *b = c->at;
    c->at += *length;
    return b;
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

/*
 * Paths inside the container. Once the plan names the container's root (CTN_OP_ROOT), every path an op creates
 * or mounts on is resolved inside it by the kernel: openat2 with RESOLVE_IN_ROOT treats an absolute symlink or
 * ".." in the image as if the root were "/", so no image can lead a mount or a file outside it. Mounts land on
 * the resolved O_PATH fd through /proc/self/fd/N, never on a re-walked string (as runc since CVE-2021-30465).
 * Before a root is named, paths are the host's own (the overlay's mount point, cgroup files).
 */
static int root_fd = -1;

static int open_at(const char *path, int flags, mode_t mode)
{
    if (root_fd < 0) return open(path, flags | O_CLOEXEC, mode);
    struct open_how how = { .flags = (uint64_t)(flags | O_CLOEXEC), .mode = (flags & O_CREAT) ? mode : 0,
                            .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
    long fd;
    do fd = syscall(SYS_openat2, root_fd, path, &how, sizeof how); while (fd < 0 && errno == EAGAIN);
    return (int)fd;
}

static void close_keeping_errno(int fd)
{
    int e = errno;
    close(fd);
    errno = e;
}

static const char *fd_path(int fd, char buf[32])
{
    char digits[12];
    int n = 0;
    do digits[n++] = (char)('0' + fd % 10); while ((fd /= 10) > 0);
    memcpy(buf, "/proc/self/fd/", 14);
    for (int i = 0; i < n; i++) buf[14 + i] = digits[n - 1 - i];
    buf[14 + n] = 0;
    return buf;
}

/* Splits an absolute path into its parent directory (in parent) and its last name (in name). */
static int split(const char *path, char parent[4096], char name[256])
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/') n--;
    if (n >= 4096) { errno = ENAMETOOLONG; return -1; }
    size_t slash = n;
    while (slash > 0 && path[slash - 1] != '/') slash--;
    if (n - slash >= 256 || slash == 0) { errno = slash == 0 ? EINVAL : ENAMETOOLONG; return -1; }
    memcpy(name, path + slash, n - slash);
    name[n - slash] = 0;
    size_t p = slash > 1 ? slash - 1 : 1;
    memcpy(parent, path, p);
    parent[p] = 0;
    return 0;
}

/* mkdir -p inside the root: a volume's target may sit below directories the image does not have. Each
   directory is made in its parent resolved in the root, so a symlink met on the way stays inside too; a
   dangling one is followed by making its target (inside the root), as runc does, at most 8 links deep. */
static int make_dirs_depth(const char *path, mode_t mode, int links)
{
    /* Most paths exist already (an image's /dev, /etc): one lookup then, not one per component. */
    int whole = open_at(path, O_PATH | O_DIRECTORY, 0);
    if (whole >= 0) { close(whole); return 0; }
    char buf[4096];
    size_t n = strlen(path);
    if (n >= sizeof buf) { errno = ENAMETOOLONG; return -1; }
    memcpy(buf, path, n + 1);
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p != 0) continue;
        char end = *p;
        *p = 0;
        int fd = open_at(buf, O_PATH | O_DIRECTORY, 0);
        if (fd < 0 && errno == ENOENT) {
            char parent[4096], name[256];
            int dir = split(buf, parent, name) == 0 ? open_at(parent, O_PATH | O_DIRECTORY, 0) : -1;
            if (dir < 0) return -1;
            int rc = mkdirat(dir, name, end ? 0755 : mode);
            if (rc < 0 && errno == EEXIST && links > 0) {
                char target[4096];
                ssize_t t = readlinkat(dir, name, target, sizeof target - 1);
                if (t > 0) {
                    target[t] = 0;
                    char next[4096];
                    size_t pn = target[0] == '/' ? 0 : strlen(parent);
                    if (pn + 1 + (size_t)t < sizeof next) {
                        memcpy(next, parent, pn);
                        next[pn] = '/';
                        memcpy(next + pn + 1, target, (size_t)t + 1);
                        rc = make_dirs_depth(next, 0755, links - 1);
                    } else {
                        errno = ENAMETOOLONG;
                    }
                }
            }
            close_keeping_errno(dir);
            if (rc < 0 && errno != EEXIST) return -1;
            fd = open_at(buf, O_PATH | O_DIRECTORY, 0);
        }
        if (fd < 0) return -1;
        close(fd);
        if (!end) return 0;
        *p = '/';
    }
}

static int make_dirs(const char *path, mode_t mode) { return make_dirs_depth(path, mode, 8); }

/* Opens the directory that holds path (resolved in the root, made when missing) and gives its last name. */
static int open_parent(const char *path, char name[256])
{
    char parent[4096];
    if (split(path, parent, name) < 0) return -1;
    int dir = open_at(parent, O_PATH | O_DIRECTORY, 0);
    if (dir >= 0 || errno != ENOENT) return dir;
    if (make_dirs(parent, 0755) < 0) return -1;
    return open_at(parent, O_PATH | O_DIRECTORY, 0);
}

static int mount_on(const char *src, const char *target, const char *type, unsigned long flags, const char *data)
{
    int fd = open_at(target, O_PATH, 0);
    if (fd < 0) return -1;
    char proc[32];
    int rc = mount(src, fd_path(fd, proc), type, flags, data);
    close_keeping_errno(fd);
    return rc;
}

static int make_readonly(const char *path, int recursive)
{
    int fd = open_at(path, O_PATH, 0);
    if (fd < 0) return -1;
    struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
    int rc = (int)syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr, sizeof attr);
    close_keeping_errno(fd);
    return rc;
}

static int make_node(const char *path, mode_t mode, uint64_t major, uint64_t minor)
{
    char name[256];
    int dir = open_parent(path, name);
    if (dir < 0) return -1;
    int rc = mknodat(dir, name, mode, makedev(major, minor));
    if (rc == 0) rc = fchmodat(dir, name, mode & 07777, 0);
    close_keeping_errno(dir);
    return rc;
}

static int make_symlink(const char *target, const char *path)
{
    char name[256];
    int dir = open_parent(path, name);
    if (dir < 0) return -1;
    int rc = symlinkat(target, dir, name);
    if (rc < 0 && errno == EEXIST && unlinkat(dir, name, 0) == 0) rc = symlinkat(target, dir, name);
    close_keeping_errno(dir);
    return rc;
}

static int touch(const char *path)
{
    int fd = open_at(path, O_PATH, 0);
    if (fd >= 0 || errno != ENOENT) { if (fd >= 0) close(fd); return fd < 0 ? -1 : 0; }
    char name[256];
    int dir = open_parent(path, name);
    if (dir < 0) return -1;
    close(dir);
    /* Opened for writing only when missing: opening an image's file so would copy it up into TOP. */
    fd = open_at(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) return -1;
    close(fd);
    return 0;
}

/*
 * A terminal of the container's own: a pty from its /dev/pts instance (so inside it is /dev/pts/0), its master
 * sent to the parent, its slave bound onto /dev/console when asked and kept to become the command's stdio and
 * controlling terminal just before exec.
 */
static int console_fd = -1;

static int open_console(const char *console, int channel)
{
    int master = open_at("/dev/pts/ptmx", O_RDWR | O_NOCTTY, 0);
    if (master < 0) return -1;
    int unlock = 0, slave = -1, rc = ioctl(master, TIOCSPTLCK, &unlock);
    if (rc == 0) rc = slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
    if (rc >= 0 && *console) {
        char proc[32];
        rc = touch(console);
        if (rc == 0) rc = mount_on(fd_path(slave, proc), console, NULL, MS_BIND, NULL);
    }
    if (rc >= 0) rc = send_fd(channel, master);
    close_keeping_errno(master);
    if (rc < 0) {
        if (slave >= 0) close_keeping_errno(slave);
        return -1;
    }
    console_fd = slave;
    return 0;
}

/* The console becomes stdio and the controlling terminal of a new session (steal: the init's child takes it over). */
static void take_console(int steal)
{
    if (console_fd < 0) return;
    setsid();
    ioctl(console_fd, TIOCSCTTY, steal);
    for (int fd = 0; fd < 3; fd++) dup2(console_fd, fd);
    if (console_fd > 2) close(console_fd);
}

/* The capability sets the command starts with. Bounding first (dropping needs CAP_SETPCAP, still held). */
static int set_capabilities(uint64_t bounding, uint64_t effective, uint64_t permitted, uint64_t inheritable)
{
    for (int cap = 0; cap < 64; cap++)
        if (!(bounding & (1ULL << cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL) return -1;
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) return -1;
    struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3 };
    struct __user_cap_data_struct data[2] = {
        { (uint32_t)effective, (uint32_t)permitted, (uint32_t)inheritable },
        { (uint32_t)(effective >> 32), (uint32_t)(permitted >> 32), (uint32_t)(inheritable >> 32) },
    };
    return (int)syscall(SYS_capset, &header, data);
}

static int load_seccomp(const uint8_t *program, uint64_t length)
{
    if (length == 0 || length % sizeof(struct sock_filter) || length / sizeof(struct sock_filter) > 0xffff) {
        errno = EINVAL;
        return -1;
    }
    struct sock_fprog prog = { .len = (unsigned short)(length / sizeof(struct sock_filter)), .filter = (struct sock_filter *)program };
    return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
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
    if (root_fd >= 0) { errno = EPERM; return -1; }
    int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return -1;
    size_t n = strlen(content);
    ssize_t w = write(fd, content, n);
    int e = errno;
    close(fd);
    if (w != (ssize_t)n) { errno = w < 0 ? e : EIO; return -1; }
    return 0;
}

/* Becomes uid/gid in the user namespace the parent has mapped by now. Raw system calls: glibc's wrappers would
   signal every thread of the process this one was copied from. A change of credentials clears the parent-death
   signal, so it is set again, and makes the process undumpable, which gives its /proc/self files to host root:
   dumpable again, as it will be after exec, its root can write its own (timens_offsets). Nothing outside its
   pid namespace but host root can name it meanwhile. */
static int set_ids(uint64_t uid, uint64_t gid, int clear_groups)
{
    if (syscall(SYS_setresgid, (gid_t)gid, (gid_t)gid, (gid_t)gid) < 0) return -1;
    if (clear_groups && syscall(SYS_setgroups, 0, NULL) < 0) return -1;
    if (syscall(SYS_setresuid, (uid_t)uid, (uid_t)uid, (uid_t)uid) < 0) return -1;
    if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0) return -1;
    return prctl(PR_SET_PDEATHSIG, SIGKILL);
}

static int receive_fd(int channel)
{
    char byte;
    struct iovec iov = { &byte, 1 };
    union { struct cmsghdr h; char space[CMSG_SPACE(sizeof(int))]; } control;
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.space, .msg_controllen = sizeof control.space };
    ssize_t n;
    do n = recvmsg(channel, &msg, MSG_CMSG_CLOEXEC); while (n < 0 && errno == EINTR);
    if (n != 1) { errno = n == 0 ? ECONNRESET : errno; return -1; }
    struct cmsghdr *h = CMSG_FIRSTHDR(&msg);
    if (!h || h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS) { errno = EBADMSG; return -1; }
    int fd;
    memcpy(&fd, CMSG_DATA(h), sizeof fd);
    return fd;
}

/* A mount the parent made (an idmapped view of the image, say), attached at target in this mount namespace. */
static int attach_mount(const char *target, int channel)
{
    int tree = receive_fd(channel);
    if (tree < 0) return -1;
    int fd = open_at(target, O_PATH, 0);
    int rc = fd < 0 ? -1 : (int)syscall(SYS_move_mount, tree, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
    if (fd >= 0) close_keeping_errno(fd);
    close_keeping_errno(tree);
    return rc;
}

static char *append_u64(char *p, uint64_t v)
{
    char digits[24];
    int n = 0;
    do digits[n++] = (char)('0' + v % 10); while ((v /= 10) > 0);
    while (n > 0) *p++ = digits[--n];
    return p;
}

/* "monotonic -S N\n": the offset that takes a clock reading now back to zero (nanoseconds are 0..999999999). */
static char *append_offset(char *p, const char *name, size_t length, const struct timespec *now)
{
    uint64_t sec = (uint64_t)now->tv_sec + (now->tv_nsec > 0);
    uint64_t nsec = now->tv_nsec > 0 ? 1000000000u - (uint64_t)now->tv_nsec : 0;
    memcpy(p, name, length); p += length;
    *p++ = ' '; *p++ = '-';
    p = append_u64(p, sec);
    *p++ = ' ';
    p = append_u64(p, nsec);
    *p++ = '\n';
    return p;
}

/* Offsets can only be set before any process is in the namespace, so it is unshared (taking effect for what this
   process execs or forks) and the clocks are set back by what they show now: they start at zero. */
static int new_time_namespace(void)
{
    if (unshare(CLONE_NEWTIME) < 0) return -1;
    struct timespec monotonic, boot;
    if (clock_gettime(CLOCK_MONOTONIC, &monotonic) < 0 || clock_gettime(CLOCK_BOOTTIME, &boot) < 0) return -1;
    char text[128], *p = text;
    p = append_offset(p, "monotonic", 9, &monotonic);
    p = append_offset(p, "boottime", 8, &boot);
    int fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t w = write(fd, text, (size_t)(p - text));
    close_keeping_errno(fd);
    if (w != p - text) { if (w >= 0) errno = EIO; return -1; }
    return 0;
}

/* A minimal PID 1: runs the command as its child, forwards signals, reaps every zombie, exits as the command did. */
static volatile sig_atomic_t forwarded_to;
static void forward(int sig) { if (forwarded_to > 0) kill(forwarded_to, sig); }

static void run_init(const struct ctn_exec *x, int error_fd)
{
    static const int signals[] = CTN_FORWARDED_SIGNALS;
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
        if (console_fd >= 0) ioctl(0, TIOCSCTTY, 1);
        execvpe(x->argv[0], x->argv, x->envp);
        int e = errno;
        report(error_fd, x->index, e);
        _exit(e == ENOENT ? 127 : 126);
    }
    /* The init never execs, so nothing close-on-exec closes by itself: a launcher's report pipe, locks or
       sockets must not live as long as the container. */
    close_range(3, ~0U, 0);
    forwarded_to = child;
    struct sigaction sa = { .sa_handler = forward };
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) sigaction(signals[i], &sa, NULL);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (;;) {
        int status;
        pid_t p = waitpid(-1, &status, 0);
        if (p < 0 && errno == EINTR) continue;
        if (p < 0) _exit(127);
        if (p == child) _exit(ctn_exit_code(status));
    }
}

static int child_main(const struct ctn_plan *plan)
{
    struct cursor c = { plan->ops, plan->ops + plan->ops_length };
    uint32_t index = 0;

    close(plan->parent_end);
    /* The parent's handlers must not leak into the container: defaults now, while every signal is still blocked
       (ctn_spawn), and unblocked only just before exec. Done here, it overlaps the parent's work before the go. */
    for (int s = 1; s < NSIG; s++) signal(s, SIG_DFL);
    /* The container dies with the thread that launched it. Had the parent died before this line, the
       plan's WAIT finds its channel closed and the child gives up there. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) { report(plan->error_fd, 0, errno); _exit(127); }

    while (c.at < c.end) {
        uint8_t op = *c.at++;
        uint8_t flags = *c.at++;
        int rc = 0;
        switch (op) {
        case CTN_OP_MOUNT: {
            const char *src = next_string(&c), *target = next_string(&c), *type = next_string(&c);
            uint64_t mflags = next_u64(&c);
            const char *data = next_string(&c);
            rc = mount_on(*src ? src : NULL, target, *type ? type : NULL, (unsigned long)mflags, *data ? data : NULL);
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
            rc = make_node(path, (mode_t)mode, major, minor);
            break;
        }
        case CTN_OP_TOUCH:
            rc = touch(next_string(&c));
            break;
        case CTN_OP_SYMLINK: {
            const char *target = next_string(&c), *link = next_string(&c);
            rc = make_symlink(target, link);
            break;
        }
        case CTN_OP_WRITE: {
            const char *path = next_string(&c), *content = next_string(&c);
            rc = write_file(path, content);
            break;
        }
        case CTN_OP_ROOT: {
            const char *root = next_string(&c);
            if (root_fd >= 0) close(root_fd);
            root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
            rc = root_fd < 0 ? -1 : 0;
            break;
        }
        case CTN_OP_PIVOT: {
            const char *root = next_string(&c);
            if (root_fd >= 0) { close(root_fd); root_fd = -1; }
            /* pivot_root(".", ".") stacks the old root under the new one; detaching it leaves only the new. */
            rc = chdir(root);
            if (rc == 0) rc = (int)syscall(SYS_pivot_root, ".", ".");
            if (rc == 0) rc = umount2(".", MNT_DETACH);
            if (rc == 0) rc = chdir("/");
            break;
        }
        case CTN_OP_READONLY: {
            const char *path = next_string(&c);
            rc = make_readonly(path, next_u64(&c) != 0);
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
        case CTN_OP_UNSHARE:
            rc = unshare((int)next_u64(&c));
            break;
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
        case CTN_OP_CAPS: {
            uint64_t bounding = next_u64(&c), effective = next_u64(&c), permitted = next_u64(&c), inheritable = next_u64(&c);
            rc = set_capabilities(bounding, effective, permitted, inheritable);
            break;
        }
        case CTN_OP_CONSOLE:
            rc = open_console(next_string(&c), plan->sync_fd);
            break;
        case CTN_OP_NO_NEW_PRIVS:
            rc = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
            break;
        case CTN_OP_SECCOMP: {
            uint64_t length;
            const uint8_t *program = next_blob(&c, &length);
            rc = load_seccomp(program, length);
            break;
        }
        case CTN_OP_SETID: {
            uint64_t uid = next_u64(&c), gid = next_u64(&c), clear_groups = next_u64(&c);
            rc = set_ids(uid, gid, clear_groups != 0);
            break;
        }
        case CTN_OP_MOUNT_FD:
            rc = attach_mount(next_string(&c), plan->sync_fd);
            break;
        case CTN_OP_TIMENS:
            rc = new_time_namespace();
            break;
        default:
            errno = EINVAL;
            rc = -1;
        }
        if (rc < 0 && !(flags & CTN_OPTIONAL) && !((flags & CTN_IF_EXISTS) && errno == ENOENT)) {
            report(plan->error_fd, index, errno);
            _exit(127);
        }
        index++;
    }

    close(plan->sync_fd);

    struct ctn_exec x = { plan->argv, plan->envp, index };
    take_console(0);
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
    /* A PID 1 drops signals it has no handler for, unless they are blocked: the child starts with every
       signal blocked, so one sent before --init's handlers exist waits instead of vanishing. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    /* clone3 without a new stack is a fork: the child gets a copy of this thread's stack and returns here.
       It takes CLONE_INTO_CGROUP (the child starts in its cgroup) and CLONE_NEWTIME, which clone() cannot. */
    struct clone_args args = {
        .flags = plan->clone_flags,
        .exit_signal = SIGCHLD,
        .cgroup = plan->cgroup_fd >= 0 ? (uint64_t)plan->cgroup_fd : 0,
    };
    if (plan->cgroup_fd >= 0) args.flags |= CLONE_INTO_CGROUP;
    /* The child starts in a network namespace the parent made by cloning from inside it: this thread joins it for
       the clone only. A setns in the child could not, once it is in a user namespace of its own. */
    int home = -1;
    if (plan->net_fd >= 0) {
        home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
        if (home < 0 || setns(plan->net_fd, CLONE_NEWNET) < 0) {
            int e = errno;
            if (home >= 0) close(home);
            pthread_sigmask(SIG_SETMASK, &old, NULL);
            return -e;
        }
    }
    pid_t pid = (pid_t)syscall(SYS_clone3, &args, sizeof args);
    if (pid == 0) _exit(child_main(plan));
    int e = errno;
    if (home >= 0) {
        /* Failing to come back would leave this thread in the container's network: nothing sane goes on from there. */
        if (setns(home, CLONE_NEWNET) < 0) abort();
        close(home);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return pid < 0 ? -e : pid;
}

int ctn_wait(int pid)
{
    int s;
    pid_t r;
    do r = waitpid(pid, &s, 0); while (r < 0 && errno == EINTR);
    return r < 0 ? -errno : ctn_exit_code(s);
}
