using Containet.Native;

namespace Containode;

/// <summary>
/// How a container is launched: in the foreground, with the launcher's own stdio (the original form says where
/// its changes were saved; `run` without -i gives the command no stdin), or detached, its output going to its log
/// and the outcome of the start to <see cref="Report"/>.
/// </summary>
public sealed record LaunchMode(bool Detached, bool SayTop = false, SafeFd? Report = null)
{
    public static readonly LaunchMode Foreground = new(false);
}
