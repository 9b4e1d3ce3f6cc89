namespace Containet.Switching;

/// <summary>The switch's forwarding rule, in one place.</summary>
public static class Forwarding
{
    public enum Action { Drop, Unicast, Flood }

    /// <summary>
    /// Unicast to a learned port; flood broadcast, multicast and unknown unicast; never back out the ingress
    /// port (a destination learned on the ingress port is already where it needs to be).
    /// </summary>
    public static Action Decide<TPort>(ulong destination, TPort ingress, TPort? learned) where TPort : class
    {
        if (Mac.IsGroup(destination) || learned is null) return Action.Flood;
        return ReferenceEquals(learned, ingress) ? Action.Drop : Action.Unicast;
    }
}
