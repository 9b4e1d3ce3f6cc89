/* syscall-probe NAME...: makes each named call with arguments the kernel refuses (a bad fd, a missing
 * path, invalid flags) or that change nothing, and prints "NAME ERRNO" (0 on success). Without a
 * seccomp filter no call here returns EPERM for root; under one, EPERM (or ENOSYS) is the filter's
 * answer. Nothing here changes the host: a call that got through still fails or is a no-op. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MISSING "/nonexistent-containet-probe"

static long call(const char *name)
{
    struct timespec zero = { 0, 0 };
    if (!strcmp(name, "keyctl")) return syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -1 /* thread keyring */, 0);
    if (!strcmp(name, "add_key")) return syscall(SYS_add_key, "user", "containet-probe", "x", 1, 0x7ffffff0);
    if (!strcmp(name, "request_key")) return syscall(SYS_request_key, "user", "containet-probe", NULL, 0x7ffffff0);
    if (!strcmp(name, "bpf")) return syscall(SYS_bpf, -1, NULL, 0);
    if (!strcmp(name, "perf_event_open")) return syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0);
    if (!strcmp(name, "ptrace")) return syscall(SYS_ptrace, 2 /* PTRACE_PEEKDATA */, 1, NULL, NULL);
    if (!strcmp(name, "kexec_file_load")) return syscall(SYS_kexec_file_load, -1, -1, 0, NULL, ~0UL);
    if (!strcmp(name, "init_module")) return syscall(SYS_init_module, NULL, 0, "");
    if (!strcmp(name, "finit_module")) return syscall(SYS_finit_module, -1, "", 0);
    if (!strcmp(name, "delete_module")) return syscall(SYS_delete_module, "containet_probe", O_NONBLOCK);
    if (!strcmp(name, "reboot")) return syscall(SYS_reboot, 0, 0, 0, NULL);
    if (!strcmp(name, "swapon")) return syscall(SYS_swapon, MISSING, 0);
    if (!strcmp(name, "swapoff")) return syscall(SYS_swapoff, MISSING);
    if (!strcmp(name, "settimeofday")) return syscall(SYS_settimeofday, NULL, NULL);
    if (!strcmp(name, "clock_settime")) return syscall(SYS_clock_settime, CLOCK_MONOTONIC, &zero);
    if (!strcmp(name, "clock_adjtime")) return syscall(SYS_clock_adjtime, CLOCK_REALTIME, NULL);
    if (!strcmp(name, "adjtimex")) return syscall(SYS_adjtimex, NULL);
    if (!strcmp(name, "acct")) return syscall(SYS_acct, MISSING);
    if (!strcmp(name, "pivot_root")) return syscall(SYS_pivot_root, MISSING, MISSING);
    if (!strcmp(name, "open_by_handle_at")) return syscall(SYS_open_by_handle_at, -1, NULL, 0);
    if (!strcmp(name, "name_to_handle_at")) return syscall(SYS_name_to_handle_at, AT_FDCWD, MISSING, NULL, NULL, 0);
    if (!strcmp(name, "userfaultfd")) return syscall(SYS_userfaultfd, ~0U);
    if (!strcmp(name, "syslog")) return syscall(SYS_syslog, 10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
    if (!strcmp(name, "lookup_dcookie")) return syscall(SYS_lookup_dcookie, 0, NULL, 0);
    if (!strcmp(name, "quotactl")) return syscall(SYS_quotactl, 0, NULL, 0, NULL);
    if (!strcmp(name, "mount")) return syscall(SYS_mount, NULL, MISSING, "tmpfs", 0, NULL);
    if (!strcmp(name, "umount2")) return syscall(SYS_umount2, MISSING, 0);
    if (!strcmp(name, "unshare_net")) return syscall(SYS_unshare, CLONE_NEWNET | 1 /* an invalid flag */);
    if (!strcmp(name, "unshare_user")) return syscall(SYS_unshare, CLONE_NEWUSER | 1);
    if (!strcmp(name, "unshare_fs")) return syscall(SYS_unshare, CLONE_FS);
    if (!strcmp(name, "setns")) return syscall(SYS_setns, -1, CLONE_NEWNET);
    if (!strcmp(name, "clone_newuser")) return syscall(SYS_clone, CLONE_NEWUSER | CLONE_THREAD /* without CLONE_SIGHAND: invalid */, NULL, NULL, NULL, 0);
    if (!strcmp(name, "clone3")) return syscall(SYS_clone3, NULL, 0);
    if (!strcmp(name, "fsopen")) return syscall(SYS_fsopen, NULL, 0);
    if (!strcmp(name, "fsmount")) return syscall(SYS_fsmount, -1, 0, 0);
    if (!strcmp(name, "fsconfig")) return syscall(SYS_fsconfig, -1, 0, NULL, NULL, 0);
    if (!strcmp(name, "fspick")) return syscall(SYS_fspick, -1, MISSING, 0);
    if (!strcmp(name, "move_mount")) return syscall(SYS_move_mount, -1, MISSING, -1, MISSING, 0);
    if (!strcmp(name, "open_tree")) return syscall(SYS_open_tree, -1, MISSING, 0);
    if (!strcmp(name, "mount_setattr")) return syscall(SYS_mount_setattr, -1, MISSING, 0, NULL, 0);
    if (!strcmp(name, "io_uring_setup")) return syscall(SYS_io_uring_setup, 0, NULL);
    if (!strcmp(name, "personality_noaslr")) return syscall(SYS_personality, 0x0040000 /* ADDR_NO_RANDOMIZE */);
    if (!strcmp(name, "personality_query")) return syscall(SYS_personality, 0xffffffffUL);
    if (!strcmp(name, "kcmp")) return syscall(SYS_kcmp, getpid(), getpid(), 99, 0, 0);
    if (!strcmp(name, "process_vm_readv")) return syscall(SYS_process_vm_readv, getpid(), NULL, 0, NULL, 0, 0);
    if (!strcmp(name, "iopl")) return syscall(SYS_iopl, 99);
    if (!strcmp(name, "sethostname")) return syscall(SYS_sethostname, NULL, 100000);
    if (!strcmp(name, "getpid")) return syscall(SYS_getpid);
    fprintf(stderr, "syscall-probe: no probe for %s\n", name);
    errno = 0;
    return -2;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        errno = 0;
        long r = call(argv[i]);
        if (r == -2 && errno == 0) return 2;
        printf("%s %d\n", argv[i], r == -1 ? errno : 0);
    }
    return 0;
}
