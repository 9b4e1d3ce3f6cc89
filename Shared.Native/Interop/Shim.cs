using System.Runtime.InteropServices;

namespace Containet.Native.Interop;

/// <summary>The clone step in shim/spawn.c; the struct mirrors struct ctn_plan in shim/spawn.h.</summary>
internal static unsafe partial class Shim
{
    public const byte OpMount = 1, OpMkdir = 2, OpMknod = 3, OpSymlink = 4, OpWrite = 5, OpPivot = 6,
        OpHostname = 7, OpChdir = 8, OpListen = 9, OpWait = 10, OpTouch = 11, OpSetns = 12, OpLinkUp = 13,
        OpRoot = 14, OpUnshare = 15, OpReadOnly = 16, OpCaps = 17, OpNoNewPrivs = 18, OpSeccomp = 19, OpSetId = 20,
        OpMountFd = 21, OpTimens = 22, OpConsole = 23;

    /// <summary>The flags byte of an operation.</summary>
    public const byte Optional = 1, IfExists = 2;

    [StructLayout(LayoutKind.Sequential)]
    public struct Plan
    {
        public ulong CloneFlags;
        public int CgroupFd;
        public int SyncFd;
        public int ParentEnd;
        public int ErrorFd;
        public int Init;
        public int NetFd;
        public byte* Ops;
        public long OpsLength;
        public byte** Argv;
        public byte** Envp;
    }

    [LibraryImport("containet-shim", EntryPoint = "ctn_spawn")]
    public static partial int Spawn(Plan* plan);

    [LibraryImport("containet-shim", EntryPoint = "ctn_wait")]
    public static partial int Wait(int pid);

    [LibraryImport("containet-shim", EntryPoint = "ctn_forward_signals")]
    public static partial int ForwardSignals();

    [LibraryImport("containet-shim", EntryPoint = "ctn_forward_to")]
    public static partial void ForwardTo(int pid);

    [LibraryImport("containet-shim", EntryPoint = "ctn_handoff", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int HandOff(string path, byte** argv, int* keep, int count);

    [LibraryImport("containet-shim", EntryPoint = "ctn_spawn_session", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SpawnSession(string path, byte** argv, int readyFd);

    [LibraryImport("containet-shim", EntryPoint = "ctn_run_program", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int RunProgram(string file, byte** argv, int stdoutToStderr);

    [LibraryImport("containet-shim", EntryPoint = "ctn_run_steps")]
    public static partial int RunSteps(int status, int argc, byte** argv);
}
