namespace Containet.Protocol;

/// <summary>The switch answered a request with <c>{"error":"..."}</c>; <see cref="Code"/> is its <c>code</c> member, if any.</summary>
public sealed class SwitchException(string message, string? code = null) : Exception(message)
{
    public string? Code { get; } = code;
}

/// <summary>A request the switch refuses; the message is what the client gets as <c>{"error":..}</c>, with <see cref="Code"/> if set.</summary>
public sealed class ControlProtocolException(string message, string? code = null) : Exception(message)
{
    public string? Code { get; } = code;
}
