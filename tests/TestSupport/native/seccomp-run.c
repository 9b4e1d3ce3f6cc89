/* seccomp-run BPF PROGRAM [ARGS...]: loads the BPF program (struct sock_filter[] in a file) as this
 * process's seccomp filter, as a container's clone step does last, and execs PROGRAM under it. The
 * filter restricts this process and its children only. Exit 125 when the filter cannot be loaded. */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static struct sock_filter program[BPF_MAXINSNS + 1];

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: seccomp-run BPF PROGRAM [ARGS...]\n");
        return 125;
    }
    int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "seccomp-run: open %s: %s\n", argv[1], strerror(errno));
        return 125;
    }
    size_t length = 0;
    ssize_t n;
    while ((n = read(fd, (char *)program + length, sizeof program - length)) > 0)
        length += (size_t)n;
    close(fd);
    if (n < 0 || length == 0 || length % sizeof program[0] != 0 || length > BPF_MAXINSNS * sizeof program[0]) {
        fprintf(stderr, "seccomp-run: %s is not a BPF program (%zu bytes)\n", argv[1], length);
        return 125;
    }
    struct sock_fprog prog = { .len = (unsigned short)(length / sizeof program[0]), .filter = program };
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) {
        fprintf(stderr, "seccomp-run: loading the filter: %s\n", strerror(errno));
        return 125;
    }
    execv(argv[2], argv + 2);
    fprintf(stderr, "seccomp-run: exec %s: %s\n", argv[2], strerror(errno));
    return 127;
}
