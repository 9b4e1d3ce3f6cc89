namespace Containet.Native;

/// <summary>
/// Runs a program as root of a new user namespace with a user's own mapping (<see cref="SubordinateIds"/>), and
/// nothing else new, as `podman unshare` does: there a user may give files the image's owners within their
/// subordinate ids, and remove files those ids own. The clone step and the maps are the containers' own.
/// </summary>
public static class UserNamespaceProgram
{
    /// <summary>Runs <paramref name="argv"/> (an absolute path first) with this process's stdio and waits; its status as a shell reports it.</summary>
    public static int Run(IdMapping mapping, IReadOnlyList<string> argv)
    {
        var plan = new ContainerPlan();
        plan.EnterUserNamespace(mapping);
        using var process = ContainerProcess.Start(plan, argv, ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"]);
        process.WaitForExec();
        return process.WaitForExit();
    }
}
