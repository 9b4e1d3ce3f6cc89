using System.Net;
using Containode.Cgroups;

namespace Containode;

/// <summary>
/// What a container is, parsed once from a command line (<see cref="SpecOptions"/>) or a KEY=VALUE file
/// (<see cref="ConfigFile"/>), before anything touched the system; <see cref="SpecValidator"/> checks it as a
/// whole. The same keys describe it on disk: a container's saved spec is a config file.
/// </summary>
public sealed class ContainerSpec
{
    /// <summary>The identity: hostname, switch node id and the name `ps` shows.</summary>
    public string? Name { get; set; }
    public string? Root { get; set; }
    public string? Image { get; set; }
    public string? Top { get; set; }

    /// <summary>The command; empty means the image's (Entrypoint and Cmd).</summary>
    public List<string> Command { get; } = [];

    /// <summary>The command is a host file, bound into the container to run (a config file's init=@PATH).</summary>
    public bool CommandFromHost { get; set; }

    public string? WorkingDirectory { get; set; }
    public List<string> Environment { get; } = [];
    public List<Volume> Volumes { get; } = [];
    public string? User { get; set; }

    public string? Socket { get; set; }
    public (IPAddress Address, int Prefix)? Address { get; set; }
    public byte[]? Mac { get; set; }
    public int? Mtu { get; set; }
    public IPAddress? Gateway { get; set; }
    public string? Token { get; set; }
    public string? CtrlSocketPath { get; set; }
    public List<Containet.Protocol.PortMapping> Publish { get; } = [];
    public bool ShareNetwork { get; set; }
    public bool ShareIpc { get; set; }

    public bool NoOverlay { get; set; }
    public bool Init { get; set; }
    public bool Privileged { get; set; }
    public bool ReadOnlyRoot { get; set; }
    public bool ReadWriteHostRoot { get; set; }
    public List<string> CapAdd { get; } = [];
    public List<string> CapDrop { get; } = [];
    public List<string> SecurityOptions { get; } = [];
    public List<string> Devices { get; } = [];

    /// <summary>The namespaces beyond the defaults and those shared with the host (--userns, --timens, --pid host...).</summary>
    public NamespaceOptions Namespaces { get; set; } = new();

    public ResourceLimits Resources { get; set; } = ResourceLimits.None;

    /// <summary>Settings kept as given, for those whose typed form does not read back (resources, namespaces): key and value.</summary>
    public List<(string Key, string Value)> Given { get; } = [];

    public bool Tty { get; set; }
    public bool Interactive { get; set; }
    public bool AutoRemove { get; set; }
    public RestartPolicy Restart { get; set; } = RestartPolicy.No;
}
