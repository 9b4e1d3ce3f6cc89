/*
 * The escape checklist of a default container, run as its PID 1 (never on the host). Each line is
 * "NAME blocked ERRNO" when the attempt failed as it must, or "NAME ESCAPED ..." when it did not. An attempt
 * that could change the host only opens what it would write (drop_caches, sysrq-trigger, /sys), or sets the
 * clock to the time it already reads.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>
#include <linux/keyctl.h>
#include <linux/reboot.h>

static void result(const char *name, int rc, const char *detail)
{
    if (rc < 0) printf("%s blocked %s\n", name, strerrorname_np(errno));
    else printf("%s ESCAPED %s\n", name, detail);
}

static int open_close(const char *path, int flags)
{
    int fd = open(path, flags | O_CLOEXEC);
    if (fd >= 0) close(fd);
    return fd;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    result("proc-sys-write", open_close("/proc/sys/vm/drop_caches", O_WRONLY), "opened /proc/sys/vm/drop_caches for writing");
    result("sysrq-trigger", open_close("/proc/sysrq-trigger", O_WRONLY), "opened /proc/sysrq-trigger for writing");
    result("sys-write", open_close("/sys/kernel/mm/transparent_hugepage/enabled", O_WRONLY), "opened a /sys file for writing");

    int rc = mknod("/dev/kmsg", S_IFCHR | 0600, makedev(1, 11));
    if (rc == 0 || errno == EEXIST) rc = open_close("/dev/kmsg", O_RDONLY);
    result("kmsg", rc, "opened /dev/kmsg");

    mkdir("/tmp/m", 0700);
    rc = mount("none", "/tmp/m", "tmpfs", 0, NULL);
    if (rc == 0) umount2("/tmp/m", MNT_DETACH);
    result("mount-tmpfs", rc, "mounted a tmpfs");
    rc = mount("cgroup", "/tmp/m", "cgroup", 0, "none,name=systemd");
    if (rc == 0) umount2("/tmp/m", MNT_DETACH);
    result("mount-cgroup", rc, "mounted a cgroup hierarchy");

    result("unshare-user", unshare(CLONE_NEWUSER), "made a user namespace");
    result("unshare-net", unshare(CLONE_NEWNET), "made a network namespace");

    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    result("settime", clock_settime(CLOCK_REALTIME, &now), "set the clock");
    result("reboot", reboot(LINUX_REBOOT_CMD_CAD_OFF), "changed ctrl-alt-del");
    result("keyctl", (int)syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING, 0), "reached a keyring");

    /* shocker: a handle for inode 2 (an ext4 root) opened through the mount /etc/hostname sits on */
    struct { struct file_handle h; unsigned char bytes[8]; } handle = { .h = { .handle_bytes = 8, .handle_type = 1 } };
    unsigned int ino = 2;
    memcpy(handle.h.f_handle, &ino, sizeof ino);
    int mount_fd = open("/etc/hostname", O_RDONLY | O_CLOEXEC);
    rc = mount_fd < 0 ? -1 : open_by_handle_at(mount_fd, &handle.h, O_RDONLY);
    result("open-by-handle", rc, "opened an inode by handle");
    int mount_id;
    struct { struct file_handle h; unsigned char bytes[128]; } named = { .h = { .handle_bytes = 128 } };
    result("name-to-handle", name_to_handle_at(AT_FDCWD, "/etc/hostname", &named.h, &mount_id, 0), "made a file handle");

    char buf[64];
    int fd = open("/proc/kcore", O_RDONLY | O_CLOEXEC);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf);
    if (fd >= 0) close(fd);
    if (n == 0) { errno = ENODATA; n = -1; }
    result("kcore", (int)n, "read /proc/kcore");

    FILE *ks = fopen("/proc/kallsyms", "r");
    rc = -1;
    errno = ENOENT;
    if (ks && fgets(buf, sizeof buf, ks)) {
        rc = strspn(buf, "0") >= 16 ? -1 : 0;
        errno = EPERM;
    }
    if (ks) fclose(ks);
    result("kallsyms", rc, "real kernel addresses");
    return 0;
}
