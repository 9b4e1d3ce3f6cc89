namespace Containet.Protocol;

/// <summary>The sizes the protocol allows, on both sides.</summary>
public static class Limits
{
    /// <summary>The largest request this switch takes.</summary>
    public const int MaxRequest = 4096;

    /// <summary>
    /// The largest request the original C switch takes: it reads a request into 256 bytes with one kept for its
    /// terminating zero, and overruns its buffer on more. A client that does not yet know it talks to this switch
    /// sends nothing longer.
    /// </summary>
    public const int MaxOriginalRequest = 254;

    /// <summary>The largest reply a client reads (a listing of many ports).</summary>
    public const int MaxReply = 16 << 20;

    /// <summary>Ports one node may publish.</summary>
    public const int MaxPublished = 64;
}

/// <summary>The <c>code</c> of an error reply that a client acts on.</summary>
public static class ErrorCodes
{
    /// <summary>The switch does not do this (take-netns with --netns-pool 0): the client does it its own way.</summary>
    public const string Unsupported = "unsupported";
}
