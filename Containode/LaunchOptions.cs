using Containode.Cgroups;

namespace Containode;

/// <summary>Everything the command line decided, before anything touched the system.</summary>
public sealed record LaunchOptions
{
    public string? Root { get; init; }
    public string? Top { get; init; }
    public string? Identity { get; init; }
    public string? Socket { get; init; }
    public string? Address { get; init; }
    public string? Token { get; init; }
    public string? CtrlSocketPath { get; init; }
    public bool ShareNetwork { get; init; }
    public bool ShareIpc { get; init; }
    public bool NoOverlay { get; init; }
    public bool Init { get; init; }
    public string? Mac { get; init; }
    public int? Mtu { get; init; }
    public string? Gateway { get; init; }
    public IReadOnlyList<Containet.Protocol.PortMapping> Publish { get; init; } = [];
    public string WorkingDirectory { get; init; } = "/";
    public IReadOnlyList<string> Environment { get; init; } = [];
    public IReadOnlyList<string> Volumes { get; init; } = [];
    public IReadOnlyList<string> Command { get; init; } = [];
    public IReadOnlyList<string> CapAdd { get; init; } = [];
    public IReadOnlyList<string> CapDrop { get; init; } = [];
    public IReadOnlyList<string> SecurityOptions { get; init; } = [];
    public IReadOnlyList<string> Devices { get; init; } = [];
    public bool Privileged { get; init; }
    public bool ReadOnlyRoot { get; init; }
    public bool ReadWriteHostRoot { get; init; }
    public NamespaceOptions Namespaces { get; init; } = new();
    public ResourceLimits Resources { get; init; } = ResourceLimits.None;
}
