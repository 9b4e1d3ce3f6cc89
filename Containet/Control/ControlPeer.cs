namespace Containet.Control;

/// <summary>
/// Who is on the other end of a control connection (SO_PEERCRED) and what it speaks for: the whole switch on the
/// switch's own socket, where the policy lets in only root, the switch's user and --group (the administrators),
/// or one node on a socket that node handed in with add-ctrlsock.
/// </summary>
public sealed record ControlPeer(int Pid, uint Uid, string? Node)
{
    public bool IsAdmin => Node is null;

    /// <summary>What connection caps and warning limits count by: the user on the switch's socket, else the node.</summary>
    public string Key => Node is null ? $"uid {Uid}" : $"node {Node}";

    public bool MaySpeakFor(string node) => Node is null || Node == node;
}
