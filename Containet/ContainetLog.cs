using Microsoft.Extensions.Logging;

namespace Containet;

/// <summary>Every message the switch logs, with stable event ids.</summary>
internal static partial class ContainetLog
{
    [LoggerMessage(1, LogLevel.Information, "listening on {Path}")]
    public static partial void Listening(ILogger logger, string path);

    [LoggerMessage(2, LogLevel.Information, "port {Port} attached: {Device}, {Framing}, offloads {Offloads}")]
    private static partial void PortAttachedText(ILogger logger, string port, string device, string framing, string offloads);

    public static void PortAttached(ILogger logger, string port, string device, string framing, bool offloads) =>
        PortAttachedText(logger, port, device, framing, offloads ? "on" : "off");

    [LoggerMessage(34, LogLevel.Information, "port {Port} moved from receive loop {From} to {To}, beside {Peer}, which it talks to most")]
    public static partial void PortMoved(ILogger logger, string port, int from, int to, string peer);

    [LoggerMessage(3, LogLevel.Information, "port {Port} detached: {Reason}; {Macs} MAC entries flushed")]
    public static partial void PortDetached(ILogger logger, string port, string reason, int macs);

    [LoggerMessage(4, LogLevel.Debug, "MAC {Mac} moved to port {Port}")]
    public static partial void MacMoved(ILogger logger, string mac, string port);

    [LoggerMessage(5, LogLevel.Warning, "request from {Peer} rejected: {Reason}")]
    public static partial void RequestRejected(ILogger logger, string peer, string reason);

    [LoggerMessage(6, LogLevel.Debug, "frame from {Port} dropped: {Reason}")]
    public static partial void FrameDropped(ILogger logger, string port, string reason);

    [LoggerMessage(7, LogLevel.Information, "shutting down: {Reason}")]
    public static partial void ShuttingDown(ILogger logger, string reason);

    [LoggerMessage(8, LogLevel.Debug, "aged out {Count} MAC entries")]
    public static partial void Aged(ILogger logger, int count);

    [LoggerMessage(9, LogLevel.Information, "control socket added for node {Node}")]
    public static partial void CtrlSockAdded(ILogger logger, string node);

    [LoggerMessage(10, LogLevel.Warning, "cannot enable offloads on {Port}: {Reason}")]
    public static partial void OffloadFailed(ILogger logger, string port, string reason);

    [LoggerMessage(11, LogLevel.Information, "capturing forwarded frames to {Path}")]
    public static partial void Capturing(ILogger logger, string path);

    [LoggerMessage(12, LogLevel.Debug, "connection from {Peer} (pid {Pid}) closed: {Reason}")]
    public static partial void ConnectionClosed(ILogger logger, string peer, int pid, string reason);

    [LoggerMessage(13, LogLevel.Warning, "refused a connection from {Peer}: {Reason}")]
    public static partial void ConnectionRefused(ILogger logger, string peer, string reason);

    [LoggerMessage(14, LogLevel.Warning, "suppressed {Count} more warnings about {Subject}")]
    public static partial void Suppressed(ILogger logger, int count, string subject);

    [LoggerMessage(15, LogLevel.Information, "control socket of node {Node} closed: {Reason}")]
    public static partial void CtrlSockClosed(ILogger logger, string node, string reason);

    [LoggerMessage(16, LogLevel.Error, "control request from {Peer} failed: {Error}")]
    public static partial void RequestFailed(ILogger logger, string peer, string error);

    [LoggerMessage(17, LogLevel.Information, "port {Port} restored (launcher pid {Pid})")]
    public static partial void PortRestored(ILogger logger, string port, int pid);

    [LoggerMessage(18, LogLevel.Warning, "port {Port} cannot come back: {Reason}")]
    public static partial void PortLost(ILogger logger, string port, string reason);

    [LoggerMessage(19, LogLevel.Information, "removed the stale pin of node {Node}")]
    public static partial void PinRemoved(ILogger logger, string node);

    [LoggerMessage(20, LogLevel.Warning, "cannot pin the namespace of node {Node}, so its port will not survive a restart: {Reason}")]
    public static partial void PinFailed(ILogger logger, string node, string reason);

    [LoggerMessage(21, LogLevel.Warning, "state file unreadable, nothing restored: {Reason}")]
    public static partial void StateUnreadable(ILogger logger, string reason);

    [LoggerMessage(22, LogLevel.Warning, "cannot write the {What} file {Path}: {Reason}")]
    public static partial void FileUnwritable(ILogger logger, string what, string path, string reason);

    [LoggerMessage(23, LogLevel.Error, "control loop: {Error}")]
    public static partial void LoopFailed(ILogger logger, string error);

    [LoggerMessage(24, LogLevel.Warning, "cannot remove the pin {Path}: {Reason}")]
    public static partial void UnpinFailed(ILogger logger, string path, string reason);

    [LoggerMessage(25, LogLevel.Information, "network {Subnet}: gateway {Gateway} on host port {HostPort}, NAT {Nat}")]
    private static partial void NetworkUpText(ILogger logger, string subnet, string gateway, string hostPort, string nat);

    public static void NetworkUp(ILogger logger, string subnet, string gateway, string hostPort, bool nat) =>
        NetworkUpText(logger, subnet, gateway, hostPort, nat ? "on" : "off");

    [LoggerMessage(26, LogLevel.Information, "lease of node {Node} ({Address}) restored")]
    public static partial void LeaseRestored(ILogger logger, string node, string address);

    [LoggerMessage(27, LogLevel.Information, "lease of node {Node} ({Address}) released: {Reason}")]
    public static partial void LeaseReleased(ILogger logger, string node, string address, string reason);

    [LoggerMessage(28, LogLevel.Warning, "lease file unreadable, no lease restored: {Reason}")]
    public static partial void LeasesUnreadable(ILogger logger, string reason);

    [LoggerMessage(30, LogLevel.Warning, "published ports of node {Node} not restored: {Reason}")]
    public static partial void PublishLost(ILogger logger, string node, string reason);

    [LoggerMessage(31, LogLevel.Information, "node {Node} publishes {Ports}")]
    public static partial void Published(ILogger logger, string node, string ports);

    [LoggerMessage(32, LogLevel.Warning, "cannot update or remove the switch's nftables table: {Reason}")]
    public static partial void NatNotRemoved(ILogger logger, string reason);

    [LoggerMessage(33, LogLevel.Debug, "DNS message to {To} not sent: {Reason}")]
    public static partial void DnsSendFailed(ILogger logger, string to, string reason);
}
