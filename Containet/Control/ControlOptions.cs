namespace Containet.Control;

/// <summary>The control plane's limits, as the command line sets them.</summary>
public sealed record ControlOptions
{
    /// <summary>Connections open at once, on the switch's socket and the handed-in ones together.</summary>
    public int MaxConnections { get; init; } = 1024;

    /// <summary>Connections one peer (<see cref="ControlPeer.Key"/>) may hold open; a launcher's connection holding a port does not count.</summary>
    public int MaxConnectionsPerPeer { get; init; } = 64;

    /// <summary>How long a connection that holds no port may stay without a request.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a handed-in control socket waits for its node's first port.</summary>
    public TimeSpan CtrlSockGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Control sockets one node may hand in.</summary>
    public int MaxCtrlSocksPerNode { get; init; } = 4;
}
