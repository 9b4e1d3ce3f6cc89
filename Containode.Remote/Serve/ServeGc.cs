namespace Containode.Remote.Serve;

/// <summary>
/// The server's gen0 budget, 4 MiB rather than one sized from the CPU's cache: with workstation GC the server's peak
/// RSS with 100 followers was 181-198 MiB with it, 227-238 without (bench/remote.sh). A native program reads it only
/// from its environment at start (a runtimeconfig knob was ignored), so the server execs itself once with
/// DOTNET_GCgen0size set, unless the environment already says.
/// </summary>
public static class ServeGc
{
    private const string Variable = "DOTNET_GCgen0size", Gen0Bytes = "0x400000";

    public static void Apply(IReadOnlyList<string> args)
    {
        if (Environment.GetEnvironmentVariable(Variable) is not null || Environment.ProcessPath is not { } self) return;
        NativeEnvironment.Set(Variable, Gen0Bytes);
        try { Containet.Native.Posix.Exec(self, [self, "serve", .. args]); }
        catch (Containet.Native.NativeException) { } // serves on with the default budget
    }
}
