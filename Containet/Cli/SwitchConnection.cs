using Containet.Native;
using Containet.Protocol;

namespace Containet.Cli;

/// <summary>Connects to a switch, turning the usual failures into advice.</summary>
internal static class SwitchConnection
{
    public static SwitchClient Open(string path)
    {
        try
        {
            return SwitchClient.Connect(path);
        }
        catch (NativeException e) when (SwitchUnreachable.Advice(e, path) is { } advice)
        {
            throw new InvalidOperationException(advice);
        }
    }
}
