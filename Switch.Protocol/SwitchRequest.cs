using Containet.Native;

namespace Containet.Protocol;

/// <summary>
/// The requests of the control protocol. Each is one JSON object, <c>{"authtoken":T,"NAME":{BODY}}</c>, the token
/// optional; add-etherfd, add-ctrlsock and add-netns carry an fd. The first three are the original C containet's; the rest
/// are this switch's extensions, which the original answers with a bare <c>{}</c>.
/// </summary>
public abstract partial record SwitchRequest(string? Token)
{
    public sealed record AddEtherFd(string? Token, string IfName, string NodeId) : SwitchRequest(Token);
    public sealed record RemoveEtherFd(string? Token, string NodeId) : SwitchRequest(Token);
    public sealed record AddCtrlSock(string? Token, string NodeId) : SwitchRequest(Token);

    /// <summary>The switch answers with a network namespace fd whose eth0 is already a port, set up as <see cref="Config"/> says
    /// and given a leased address when it asks for none; the reply is a <see cref="NetnsGrant"/>.</summary>
    public sealed record TakeNetns(string? Token, string IfName, string NodeId, InterfaceConfig Config) : SwitchRequest(Token);

    /// <summary>
    /// Carries a network namespace fd of the client's own (one its user namespace owns, as a rootless launcher's
    /// container has): the switch makes eth0 inside it, a port of node ID set up as <see cref="Config"/> says, and
    /// answers with a <see cref="NetnsGrant"/>. For clients that cannot open a TAP themselves.
    /// </summary>
    public sealed record AddNetns(string? Token, string IfName, string NodeId, InterfaceConfig Config) : SwitchRequest(Token);

    /// <summary>Publishes ports of the node's container on the host; they end with the node's port.</summary>
    public sealed record Publish(string? Token, string NodeId, IReadOnlyList<PortMapping> Ports) : SwitchRequest(Token);

    public sealed record ListPorts(string? Token) : SwitchRequest(Token);
    public sealed record ListMacs(string? Token) : SwitchRequest(Token);
    public sealed record ListLeases(string? Token) : SwitchRequest(Token);
    public sealed record ShowNetwork(string? Token) : SwitchRequest(Token);

    /// <summary>Asks which switch this is: <c>{"version":V}</c> from this one, <c>{}</c> from the original.</summary>
    public sealed record Version(string? Token) : SwitchRequest(Token);

    /// <summary>The node the request acts on; null for the listings.</summary>
    public string? Node => this switch
    {
        AddEtherFd a => a.NodeId,
        RemoveEtherFd r => r.NodeId,
        AddCtrlSock c => c.NodeId,
        TakeNetns t => t.NodeId,
        AddNetns n => n.NodeId,
        Publish p => p.NodeId,
        _ => null,
    };

    /// <summary>Whether the request must carry a file descriptor.</summary>
    public bool NeedsFd => this is AddEtherFd or AddCtrlSock or AddNetns;

    /// <summary>The request's name on the wire.</summary>
    public string Name => this switch
    {
        AddEtherFd => "add-etherfd",
        RemoveEtherFd => "remove-etherfd",
        AddCtrlSock => "add-ctrlsock",
        TakeNetns => "take-netns",
        AddNetns => "add-netns",
        Publish => "publish",
        ListPorts => "list-ports",
        ListMacs => "list-macs",
        ListLeases => "list-leases",
        ShowNetwork => "show-network",
        Version => "version",
        _ => throw new InvalidOperationException("unknown request type"),
    };
}
