using System.Runtime.InteropServices;
using Containet.Native.Interop;
using Containet.TestSupport;
using Xunit;

namespace Shared.Native.Tests;

/// <summary>Compares the bindings' numbers with what gcc reads from the C headers: a wrong ioctl is otherwise silent.</summary>
public sealed unsafe class HeaderConstantsTests
{
    private static readonly Lazy<Dictionary<string, long>> FromC = new(Compile);

    public static TheoryData<string, long> Expected() => new()
    {
        { "TUNSETIFF", (long)Libc.TUNSETIFF },
        { "TUNGETIFF", (long)Libc.TUNGETIFF },
        { "TUNSETOFFLOAD", (long)Libc.TUNSETOFFLOAD },
        { "TUNSETVNETHDRSZ", (long)Libc.TUNSETVNETHDRSZ },
        { "TUNGETVNETHDRSZ", (long)Libc.TUNGETVNETHDRSZ },
        { "TUNSETPERSIST", (long)Libc.TUNSETPERSIST },
        { "TUNATTACHFILTER", (long)Libc.TUNATTACHFILTER },
        { "TUNDETACHFILTER", (long)Libc.TUNDETACHFILTER },
        { "NS_GET_USERNS", (long)Libc.NS_GET_USERNS },
        { "NS_GET_NSTYPE", (long)Libc.NS_GET_NSTYPE },
        { "NS_GET_OWNER_UID", (long)Libc.NS_GET_OWNER_UID },
        { "IFF_TAP", Libc.IFF_TAP },
        { "IFF_NO_PI", Libc.IFF_NO_PI },
        { "IFF_VNET_HDR", Libc.IFF_VNET_HDR },
        { "TUN_F_CSUM", Libc.TUN_F_CSUM },
        { "TUN_F_TSO4", Libc.TUN_F_TSO4 },
        { "TUN_F_TSO6", Libc.TUN_F_TSO6 },
        { "TUN_F_TSO_ECN", Libc.TUN_F_TSO_ECN },
        { "sizeof_ifreq", sizeof(Libc.IfReq) },
        { "sizeof_sock_fprog", sizeof(Libc.SockFprog) },
        { "sizeof_sock_filter", sizeof(Libc.SockFilter) },
        { "sizeof_sockaddr_un", sizeof(Libc.SockaddrUn) },
        { "sizeof_msghdr", sizeof(Libc.MsgHdr) },
        { "sizeof_cmsghdr", sizeof(Libc.CmsgHdr) },
        { "sizeof_ucred", sizeof(Libc.UCred) },
        { "sizeof_iovec", sizeof(Libc.IoVec) },
        { "sizeof_epoll_event", sizeof(Libc.EpollEvent) },
        { "sizeof_pollfd", sizeof(Libc.PollFd) },
        { "sizeof_stat", Libc.StatSize },
        { "offsetof_stat_mode", Libc.StatModeOffset },
        { "offsetof_stat_dev", Libc.StatDevOffset },
        { "offsetof_stat_ino", Libc.StatInoOffset },
        { "offsetof_stat_rdev", Libc.StatRdevOffset },
        { "offsetof_stat_uid", Libc.StatUidOffset },
        { "S_IFSOCK", Libc.S_IFSOCK },
        { "S_IFREG", Libc.S_IFREG },
        { "S_IFDIR", Libc.S_IFDIR },
        { "S_IFLNK", Libc.S_IFLNK },
        { "SCM_RIGHTS", Libc.SCM_RIGHTS },
        { "SO_PEERCRED", Libc.SO_PEERCRED },
        { "SO_ACCEPTCONN", Libc.SO_ACCEPTCONN },
        { "MSG_CMSG_CLOEXEC", Libc.MSG_CMSG_CLOEXEC },
        { "MSG_NOSIGNAL", Libc.MSG_NOSIGNAL },
        { "MSG_DONTWAIT", Libc.MSG_DONTWAIT },
        { "SOCK_CLOEXEC", Libc.SOCK_CLOEXEC },
        { "SOCK_NONBLOCK", Libc.SOCK_NONBLOCK },
        { "O_CLOEXEC", Libc.O_CLOEXEC },
        { "O_NONBLOCK", Libc.O_NONBLOCK },
        { "EFD_NONBLOCK", Libc.EFD_NONBLOCK },
        { "EPOLLIN", Libc.EPOLLIN },
        { "EPOLLONESHOT", Libc.EPOLLONESHOT },
        { "EPOLL_CTL_ADD", Libc.EPOLL_CTL_ADD },
        { "CLONE_NEWNET", Libc.CLONE_NEWNET },
        { "MNT_DETACH", Libc.MNT_DETACH },
        { "MS_BIND", (long)Libc.MS_BIND },
        { "RTM_NEWLINK", Libc.RTM_NEWLINK },
        { "RTM_NEWADDR", Libc.RTM_NEWADDR },
        { "RTM_NEWROUTE", Libc.RTM_NEWROUTE },
        { "NLM_F_CREATE", Libc.NLM_F_CREATE },
        { "NLM_F_EXCL", Libc.NLM_F_EXCL },
        { "IFLA_MTU", Libc.IFLA_MTU },
        { "IFLA_IFNAME", Libc.IFLA_IFNAME },
        { "IFLA_ADDRESS", Libc.IFLA_ADDRESS },
        { "IFLA_NET_NS_FD", Libc.IFLA_NET_NS_FD },
        { "IFA_LOCAL", Libc.IFA_LOCAL },
        { "RTA_GATEWAY", Libc.RTA_GATEWAY },
        { "sizeof_nlmsghdr", Libc.NlMsgHdrSize },
        { "sizeof_sockaddr_nl", sizeof(Libc.SockaddrNl) },
        { "sizeof_ifinfomsg", Libc.IfInfoMsgSize },
        { "sizeof_ifaddrmsg", Libc.IfAddrMsgSize },
        { "sizeof_rtmsg", Libc.RtMsgSize },
        { "sizeof_virtio_net_hdr_mrg_rxbuf", Containet.Native.TapDevice.VnetHeaderSize },
        { "S_IFCHR", Libc.S_IFCHR },
        { "S_IFBLK", Libc.S_IFBLK },
        { "__NR_bpf", Libc.SYS_bpf },
        { "BPF_PROG_LOAD", Libc.BPF_PROG_LOAD },
        { "BPF_PROG_ATTACH", Libc.BPF_PROG_ATTACH },
        { "BPF_PROG_TYPE_CGROUP_DEVICE", Libc.BPF_PROG_TYPE_CGROUP_DEVICE },
        { "BPF_CGROUP_DEVICE", Libc.BPF_CGROUP_DEVICE },
        { "BPF_F_ALLOW_MULTI", Libc.BPF_F_ALLOW_MULTI },
        { "BPF_OBJ_NAME_LEN", Libc.BPF_OBJ_NAME_LEN },
        { "BPF_LDX", Libc.BPF_LDX },
        { "BPF_ALU", Libc.BPF_ALU },
        { "BPF_JMP", Libc.BPF_JMP },
        { "BPF_W", Libc.BPF_W },
        { "BPF_MEM", Libc.BPF_MEM },
        { "BPF_K", Libc.BPF_K },
        { "BPF_X", Libc.BPF_X },
        { "BPF_AND", Libc.BPF_AND },
        { "BPF_RSH", Libc.BPF_RSH },
        { "BPF_MOV", Libc.BPF_MOV },
        { "BPF_JEQ", Libc.BPF_JEQ },
        { "BPF_JNE", Libc.BPF_JNE },
        { "BPF_EXIT", Libc.BPF_EXIT },
        { "BPF_DEVCG_ACC_MKNOD", Libc.BPF_DEVCG_ACC_MKNOD },
        { "BPF_DEVCG_ACC_READ", Libc.BPF_DEVCG_ACC_READ },
        { "BPF_DEVCG_ACC_WRITE", Libc.BPF_DEVCG_ACC_WRITE },
        { "BPF_DEVCG_DEV_BLOCK", Libc.BPF_DEVCG_DEV_BLOCK },
        { "BPF_DEVCG_DEV_CHAR", Libc.BPF_DEVCG_DEV_CHAR },
        { "sizeof_bpf_insn", sizeof(Containet.Native.BpfInstruction) },
        { "offsetof(struct bpf_cgroup_dev_ctx, access_type)", Libc.DevCgAccessTypeOffset },
        { "offsetof(struct bpf_cgroup_dev_ctx, major)", Libc.DevCgMajorOffset },
        { "offsetof(struct bpf_cgroup_dev_ctx, minor)", Libc.DevCgMinorOffset },
        { "offsetof(union bpf_attr, prog_type)", Offset<Libc.BpfProgLoadAttr>("ProgType") },
        { "offsetof(union bpf_attr, insn_cnt)", Offset<Libc.BpfProgLoadAttr>("InsnCount") },
        { "offsetof(union bpf_attr, insns)", Offset<Libc.BpfProgLoadAttr>("Insns") },
        { "offsetof(union bpf_attr, license)", Offset<Libc.BpfProgLoadAttr>("License") },
        { "offsetof(union bpf_attr, log_level)", Offset<Libc.BpfProgLoadAttr>("LogLevel") },
        { "offsetof(union bpf_attr, log_size)", Offset<Libc.BpfProgLoadAttr>("LogSize") },
        { "offsetof(union bpf_attr, log_buf)", Offset<Libc.BpfProgLoadAttr>("LogBuf") },
        { "offsetof(union bpf_attr, kern_version)", Offset<Libc.BpfProgLoadAttr>("KernVersion") },
        { "offsetof(union bpf_attr, prog_flags)", Offset<Libc.BpfProgLoadAttr>("ProgFlags") },
        { "offsetof(union bpf_attr, prog_name)", Offset<Libc.BpfProgLoadAttr>("ProgName") },
        { "offsetof(union bpf_attr, prog_ifindex)", Offset<Libc.BpfProgLoadAttr>("ProgIfindex") },
        { "offsetof(union bpf_attr, expected_attach_type)", Offset<Libc.BpfProgLoadAttr>("ExpectedAttachType") },
        { "offsetof(union bpf_attr, target_fd)", Offset<Libc.BpfProgAttachAttr>("TargetFd") },
        { "offsetof(union bpf_attr, attach_bpf_fd)", Offset<Libc.BpfProgAttachAttr>("AttachBpfFd") },
        { "offsetof(union bpf_attr, attach_type)", Offset<Libc.BpfProgAttachAttr>("AttachType") },
        { "offsetof(union bpf_attr, attach_flags)", Offset<Libc.BpfProgAttachAttr>("AttachFlags") },
        // The clone step's plan, mirrored by hand in Interop/Shim.cs.
        { "CTN_OP_MOUNT", Shim.OpMount },
        { "CTN_OP_MKDIR", Shim.OpMkdir },
        { "CTN_OP_MKNOD", Shim.OpMknod },
        { "CTN_OP_SYMLINK", Shim.OpSymlink },
        { "CTN_OP_WRITE", Shim.OpWrite },
        { "CTN_OP_PIVOT", Shim.OpPivot },
        { "CTN_OP_HOSTNAME", Shim.OpHostname },
        { "CTN_OP_CHDIR", Shim.OpChdir },
        { "CTN_OP_LISTEN", Shim.OpListen },
        { "CTN_OP_WAIT", Shim.OpWait },
        { "CTN_OP_TOUCH", Shim.OpTouch },
        { "CTN_OP_LINK_UP", Shim.OpLinkUp },
        { "CTN_OP_ROOT", Shim.OpRoot },
        { "CTN_OP_UNSHARE", Shim.OpUnshare },
        { "CTN_OP_READONLY", Shim.OpReadOnly },
        { "CTN_OP_CAPS", Shim.OpCaps },
        { "CTN_OP_NO_NEW_PRIVS", Shim.OpNoNewPrivs },
        { "CTN_OP_SECCOMP", Shim.OpSeccomp },
        { "CTN_OP_SETID", Shim.OpSetId },
        { "CTN_OP_MOUNT_FD", Shim.OpMountFd },
        { "CTN_OP_TIMENS", Shim.OpTimens },
        { "CTN_OP_SETNS", Shim.OpSetns },
        { "CTN_OP_CONSOLE", Shim.OpConsole },
        { "CTN_OPTIONAL", Shim.Optional },
        { "CTN_IF_EXISTS", Shim.IfExists },
        { "sizeof_ctn_plan", sizeof(Shim.Plan) },
        { "offsetof_ctn_plan_cgroup_fd", (long)Marshal.OffsetOf<Shim.Plan>(nameof(Shim.Plan.CgroupFd)) },
        { "offsetof_ctn_plan_sync_fd", (long)Marshal.OffsetOf<Shim.Plan>(nameof(Shim.Plan.SyncFd)) },
        { "offsetof_ctn_plan_init", (long)Marshal.OffsetOf<Shim.Plan>(nameof(Shim.Plan.Init)) },
        { "offsetof_ctn_plan_net_fd", (long)Marshal.OffsetOf<Shim.Plan>(nameof(Shim.Plan.NetFd)) },
        { "offsetof_ctn_plan_ops", (long)Marshal.OffsetOf<Shim.Plan>(nameof(Shim.Plan.Ops)) },
        { "offsetof_ctn_plan_envp", (long)Marshal.OffsetOf<Shim.Plan>(nameof(Shim.Plan.Envp)) },
        { "LOOP_CTL_GET_FREE", (long)Libc.LOOP_CTL_GET_FREE },
        { "LOOP_CONFIGURE", (long)Libc.LOOP_CONFIGURE },
        { "LO_FLAGS_AUTOCLEAR", Libc.LO_FLAGS_AUTOCLEAR },
        { "O_TMPFILE", Libc.O_TMPFILE },
        { "sizeof_loop_info64", sizeof(Libc.LoopInfo64) },
        { "sizeof_loop_config", sizeof(Libc.LoopConfig) },
        { "offsetof(struct loop_config, info.lo_flags)", Offset<Libc.LoopConfig>("Info") + Offset<Libc.LoopInfo64>("Flags") },
        { "CLONE_NEWNS", Libc.CLONE_NEWNS },
        { "CLONE_NEWCGROUP", Libc.CLONE_NEWCGROUP },
        { "CLONE_NEWPID", Libc.CLONE_NEWPID },
        { "CLONE_NEWUSER", Libc.CLONE_NEWUSER },
        { "OPEN_TREE_CLONE", Libc.OPEN_TREE_CLONE },
        { "MOUNT_ATTR_IDMAP", (long)Libc.MOUNT_ATTR_IDMAP },
        { "sizeof_mount_attr", sizeof(Libc.MountAttr) },
        { "SYS_open_tree", Libc.SYS_open_tree },
        { "SYS_mount_setattr", Libc.SYS_mount_setattr },
        { "SYS_fsopen", Libc.SYS_fsopen },
        { "SYS_fsconfig", Libc.SYS_fsconfig },
        { "SYS_fsmount", Libc.SYS_fsmount },
        { "FSOPEN_CLOEXEC", Libc.FSOPEN_CLOEXEC },
        { "FSMOUNT_CLOEXEC", Libc.FSMOUNT_CLOEXEC },
        { "FSCONFIG_CMD_CREATE", Libc.FSCONFIG_CMD_CREATE },
        { "FSCONFIG_SET_FLAG", Libc.FSCONFIG_SET_FLAG },
        { "FSCONFIG_SET_STRING", Libc.FSCONFIG_SET_STRING },
        { "MOUNT_ATTR_RDONLY", Libc.MOUNT_ATTR_RDONLY },
        { "MOUNT_ATTR_NOSUID", Libc.MOUNT_ATTR_NOSUID },
        { "MOUNT_ATTR_NODEV", Libc.MOUNT_ATTR_NODEV },
        { "MOUNT_ATTR_NOEXEC", Libc.MOUNT_ATTR_NOEXEC },
        { "AT_EMPTY_PATH", Libc.AT_EMPTY_PATH },
        { "SCMP_ACT_ALLOW", Libseccomp.SCMP_ACT_ALLOW },
        { "SCMP_ACT_KILL_THREAD", Libseccomp.SCMP_ACT_KILL_THREAD },
        { "SCMP_ACT_KILL_PROCESS", Libseccomp.SCMP_ACT_KILL_PROCESS },
        { "SCMP_ACT_TRAP", Libseccomp.SCMP_ACT_TRAP },
        { "SCMP_ACT_LOG", Libseccomp.SCMP_ACT_LOG },
        { "SCMP_ACT_ERRNO(0)", Libseccomp.SCMP_ACT_ERRNO },
        { "SCMP_ACT_TRACE(0)", Libseccomp.SCMP_ACT_TRACE },
        { "SCMP_CMP_NE", (long)Containet.Native.SeccompCompare.NotEqual },
        { "SCMP_CMP_LT", (long)Containet.Native.SeccompCompare.LessThan },
        { "SCMP_CMP_LE", (long)Containet.Native.SeccompCompare.LessOrEqual },
        { "SCMP_CMP_EQ", (long)Containet.Native.SeccompCompare.Equal },
        { "SCMP_CMP_GE", (long)Containet.Native.SeccompCompare.GreaterOrEqual },
        { "SCMP_CMP_GT", (long)Containet.Native.SeccompCompare.GreaterThan },
        { "SCMP_CMP_MASKED_EQ", (long)Containet.Native.SeccompCompare.MaskedEqual },
        { "__NR_SCMP_ERROR", Libseccomp.__NR_SCMP_ERROR },
        { "sizeof_scmp_arg_cmp", sizeof(Libseccomp.ScmpArgCmp) },
        { "sizeof_scmp_version", sizeof(Libseccomp.ScmpVersion) },
        { "MFD_CLOEXEC", Libc.MFD_CLOEXEC },
        { "SEEK_END", Libc.SEEK_END },
    };

    private static long Offset<T>(string field) => Marshal.OffsetOf<T>(field).ToInt64();

    [Theory]
    [MemberData(nameof(Expected))]
    public void Matches_the_C_headers(string name, long value)
    {
        Assert.True(FromC.Value.TryGetValue(name, out var c), $"{name} missing from the C probe");
        Assert.Equal(c, value);
    }

    private static Dictionary<string, long> Compile()
    {
        using var dir = new TempDir("containet-headers");
        var names = new List<string>();
        foreach (var row in Expected()) names.Add((string)row[0]);
        var lines = new List<string>
        {
            "#define _GNU_SOURCE",
            "#include <stdio.h>", "#include <stddef.h>", "#include <fcntl.h>", "#include <poll.h>", "#include <sched.h>",
            "#include <sys/socket.h>", "#include <sys/un.h>", "#include <sys/uio.h>", "#include <sys/epoll.h>",
            "#include <sys/eventfd.h>", "#include <sys/stat.h>", "#include <sys/mount.h>", "#include <sys/ioctl.h>", "#include <net/if.h>", "#include <linux/if_tun.h>", "#include <linux/nsfs.h>",
            "#include <linux/filter.h>", "#include <linux/netlink.h>", "#include <linux/rtnetlink.h>",
            "#include <linux/if_link.h>", "#include <linux/if_addr.h>", "#include <linux/virtio_net.h>",
            "#include <linux/bpf.h>", "#include <linux/loop.h>", "#include <sys/syscall.h>", "#include \"spawn.h\"",
            "#include <sys/mman.h>", "#include <unistd.h>", "#include <seccomp.h>",
            "int main(void) {",
        };
        foreach (var n in names)
        {
            // A row named by a C expression (it has parentheses) is printed as it stands.
            var expr = n.Contains('(') ? n
                : n.StartsWith("sizeof_", StringComparison.Ordinal) ? $"sizeof(struct {n[7..]})"
                : n.StartsWith("offsetof_stat_", StringComparison.Ordinal) ? $"offsetof(struct stat, st_{n[14..]})"
                : n.StartsWith("offsetof_ctn_plan_", StringComparison.Ordinal) ? $"offsetof(struct ctn_plan, {n[18..]})"
                : n;
            lines.Add($"  printf(\"%s %lld\\n\", \"{n}\", (long long)({expr}));");
        }
        lines.Add("  return 0; }");
        File.WriteAllLines(dir.Combine("probe.c"), lines);
        var shim = Path.Combine(Repo.Root, "Shared.Native", "shim");
        Run.Command("gcc", "-I", shim, "-o", dir.Combine("probe"), dir.Combine("probe.c")).EnsureSuccess();
        var values = new Dictionary<string, long>();
        foreach (var line in Run.Command(dir.Combine("probe")).EnsureSuccess().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var space = line.LastIndexOf(' ');
            values[line[..space]] = long.Parse(line[(space + 1)..]);
        }
        return values;
    }
}
