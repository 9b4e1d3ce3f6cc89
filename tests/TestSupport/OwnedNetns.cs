using Containet.Native;

namespace Containet.TestSupport;

/// <summary>
/// A network namespace owned by a new user namespace, as a rootless launcher's container has: a sleeping process
/// made by `unshare --user --net`, run as <paramref name="uid"/> (setpriv), so the user namespace is that uid's.
/// The process is ended on Dispose (ChildProcess), and the namespaces go with it.
/// </summary>
public sealed class OwnedNetns : IDisposable
{
    private readonly ChildProcess process;

    public OwnedNetns(uint uid = 0)
    {
        var id = uid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        process = ChildProcess.Start("setpriv", ["--reuid", id, "--regid", id, "--clear-groups", "unshare", "--user", "--net", "sleep", "120"], collect: true);
        var own = Link("self");
        Eventually.True(() => process.HasExited || Link(process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)) != own, "unshare to make its namespaces");
        if (process.HasExited)
        {
            process.WaitForExit(TimeSpan.FromSeconds(10));
            var why = process.Stderr;
            process.Dispose();
            throw new InvalidOperationException("unshare failed: " + why);
        }
    }

    public int Pid => process.Id;

    /// <summary>An fd of the namespace, for the test to send.</summary>
    public SafeFd Open() => NetNamespace.Open($"/proc/{process.Id}/ns/net");

    /// <summary>Runs a command inside the namespace (nsenter, as the host's root).</summary>
    public RunResult Exec(params string[] args) => Run.Command("nsenter", [$"--net=/proc/{process.Id}/ns/net", .. args]);

    private static string? Link(string pid)
    {
        try { return new FileInfo($"/proc/{pid}/ns/net").LinkTarget; }
        catch (IOException) { return null; }
    }

    public void Dispose() => process.Dispose();
}
