/*
 * The reference for a userspace hop: two TAPs with the virtio-net header and offloads, one thread, epoll,
 * each frame read from one and written to the other as it is. No learning, no queues: the floor that any
 * userspace switch on this machine pays. Built and run by bench/switch.sh.
 *   tapfwd TAP_A TAP_B   creates both TAPs, prints "ready", forwards until killed
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int open_tap(const char *name)
{
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR };
    strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    int hdr = 12;
    if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) < 0 || ioctl(fd, TUNSETVNETHDRSZ, &hdr) < 0
        || ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6) < 0) {
        perror(name);
        return -1;
    }
    return fd;
}

int main(int argc, char **argv)
{
    if (argc != 3) { fprintf(stderr, "usage: tapfwd TAP_A TAP_B\n"); return 2; }
    int fds[2] = { open_tap(argv[1]), open_tap(argv[2]) };
    if (fds[0] < 0 || fds[1] < 0) return 1;
    int ep = epoll_create1(EPOLL_CLOEXEC);
    for (int i = 0; i < 2; i++) {
        struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)i };
        epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev);
    }
    printf("ready\n");
    fflush(stdout);
    static char buf[65536 + 64];
    for (;;) {
        struct epoll_event evs[2];
        int n = epoll_wait(ep, evs, 2, -1);
        for (int e = 0; e < n; e++) {
            int from = (int)evs[e].data.u32;
            for (int burst = 0; burst < 64; burst++) {
                ssize_t r = read(fds[from], buf, sizeof buf);
                if (r <= 0) break;
                ssize_t w = write(fds[1 - from], buf, (size_t)r);
                (void)w; /* a full queue drops the frame, as a switch would */
            }
        }
    }
}
