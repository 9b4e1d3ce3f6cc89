using System.Runtime.InteropServices;

namespace Containode.Remote;

/// <summary>
/// The process's own environment, as native code (OpenSSL, the runtime's GC at the next exec) reads it:
/// Environment.SetEnvironmentVariable keeps a managed copy that they never see.
/// </summary>
public static partial class NativeEnvironment
{
    public static void Set(string name, string value)
    {
        if (setenv(name, value, 1) != 0) throw new IOException($"setenv {name}: " + Marshal.GetLastPInvokeErrorMessage());
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);
}
