namespace Containet.Native;

/// <summary>The clone step failed at one operation of its plan, or exec failed.</summary>
public sealed class ContainerStartException(string step, int errno)
    : Exception($"{step}: {Native.Errno.Name(errno)} ({System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)})")
{
    public string Step { get; } = step;
    public int Errno { get; } = errno;

    /// <summary>As shells report it: 127 when the command does not exist, 126 when it cannot run.</summary>
    public bool IsExec { get; init; }
}
