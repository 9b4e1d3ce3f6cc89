#ifndef CONTAINET_SPAWN_H
#define CONTAINET_SPAWN_H
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>

/* Operation codes; Shared.Native/Interop/Shim.cs mirrors them, and a test compiles this header to compare.
   Each op is: code byte, flags byte (CTN_OPTIONAL...), arguments. A string is NUL-terminated, a u64 little-endian,
   a blob a u64 length and that many bytes. Once CTN_OP_ROOT has run, every path an op creates or mounts on is
   resolved inside that root by the kernel (openat2 RESOLVE_IN_ROOT), until CTN_OP_PIVOT. */
enum {
    CTN_OP_MOUNT = 1,    /* source\0 target\0 fstype\0 flags:u64 data\0 (source is a host path) */
    CTN_OP_MKDIR = 2,    /* path\0 mode:u64 (mkdir -p) */
    CTN_OP_MKNOD = 3,    /* path\0 mode:u64 major:u64 minor:u64 */
    CTN_OP_SYMLINK = 4,  /* target\0 linkpath\0 */
    CTN_OP_WRITE = 5,    /* path\0 content\0 (a host path: cgroup files; refused inside a root) */
    CTN_OP_PIVOT = 6,    /* new root\0 */
    CTN_OP_HOSTNAME = 7, /* name\0 */
    CTN_OP_CHDIR = 8,    /* dir\0 */
    CTN_OP_LISTEN = 9,   /* path\0: a listening unix socket, sent to the parent over sync_fd */
    CTN_OP_WAIT = 10,    /* read one byte from sync_fd */
    CTN_OP_TOUCH = 11,   /* path\0: create an empty file to bind-mount onto */
    CTN_OP_SETNS = 12,   /* fd:u64 nstype:u64: join a namespace of another process (exec) */
    CTN_OP_LINK_UP = 13, /* ifname\0: set an interface up (the container's lo) */
    CTN_OP_ROOT = 14,    /* path\0: the container's root; later paths resolve inside it */
    CTN_OP_UNSHARE = 15, /* flags:u64 */
    CTN_OP_READONLY = 16,/* path\0 recursive:u64: make the mount at path (and with recursive, every mount below) read-only */
    CTN_OP_CAPS = 17,    /* bounding:u64 effective:u64 permitted:u64 inheritable:u64; ambient cleared */
    CTN_OP_NO_NEW_PRIVS = 18,
    CTN_OP_SECCOMP = 19, /* blob: struct sock_filter[], loaded at once */
    CTN_OP_SETID = 20,   /* uid:u64 gid:u64 clear_groups:u64: become that user in the (mapped) user namespace */
    CTN_OP_MOUNT_FD = 21,/* target\0: receive a detached mount (open_tree) over sync_fd and attach it at target */
    CTN_OP_TIMENS = 22,  /* a new time namespace for what is exec'd, its monotonic and boot clocks starting at zero */
    CTN_OP_CONSOLE = 23, /* console\0: a pty of the container's /dev/pts, master sent over sync_fd, slave bound on console ("": not bound), made stdio before exec */
};

enum {
    CTN_OPTIONAL = 1,     /* a failure is ignored */
    CTN_IF_EXISTS = 2,    /* skipped when its path does not exist (masks of paths a kernel may lack) */
};

struct ctn_plan {
    uint64_t clone_flags; /* clone3 flags; CLONE_INTO_CGROUP with cgroup_fd */
    int32_t cgroup_fd;    /* a cgroup2 directory the child starts in, or -1 */
    int32_t sync_fd;      /* child's end of a socketpair */
    int32_t parent_end;   /* parent's end, closed in the child */
    int32_t error_fd;     /* write end of an O_CLOEXEC pipe */
    int32_t init;         /* run a minimal PID 1 that forks the command */
    int32_t net_fd;       /* a network namespace the child starts in (joined before the clone), or -1 */
    const uint8_t *ops;
    int64_t ops_length;
    char *const *argv;
    char *const *envp;
};

struct ctn_exec { char *const *argv; char *const *envp; uint32_t index; };

/* The signals a launcher, containet-wait and --init's PID 1 pass on to the container: one list for all three. */
#define CTN_FORWARDED_SIGNALS { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH }

/* A wait status as a shell reports it: the exit code, or 128+N for signal N. The only decoder. */
static inline int ctn_exit_code(int status)
{
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

int ctn_spawn(const struct ctn_plan *plan);
/* Waits for pid; returns its ctn_exit_code, or -errno. */
int ctn_wait(int pid);
/* Forwards CTN_FORWARDED_SIGNALS to the pid set by ctn_forward_to, holding the last one until then (shim/handoff.c). */
int ctn_forward_signals(void);
void ctn_forward_to(int pid);
/* Replaces the calling process with containet-wait (shim/wait.c), keeping the given fds open across the exec.
   Returns -errno only when the exec failed, with the fds and the signal mask as they were. */
int ctn_handoff(const char *path, char *const *argv, const int *keep, int nkeep);
/* Starts path in a session of its own, stdio on /dev/null and ready_fd as its fd 3, and reaps it: the program forks
   and leaves at once, and what runs on is not the caller's child. Returns 0 or -errno. */
int ctn_spawn_session(const char *path, char *const *argv, int ready_fd);
/* Runs a program (PATH searched) with this process's stdio and waits for it: its ctn_exit_code, or -errno. */
int ctn_run_program(const char *file, char *const *argv, int stdout_to_stderr);
/* Runs clean-up steps (shim/steps.c) in this process: the steps containet-wait runs at exit, given as its arguments
   are (--send FD TEXT, --say TEXT, --empty DIR, --remove DIR, --rmdir DIR, --unlink FILE, --close FD, --oom FILE TEXT, --oom-mark FILE MARK),
   after the container's first process ended with status (-1: unknown). Returns the number of steps not understood. */
int ctn_run_steps(int status, int argc, char *const *argv);
#endif
