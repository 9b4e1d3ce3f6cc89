namespace Containet.Native;

/// <summary>The switch answered a request with <c>{"error":"..."}</c>.</summary>
public sealed class SwitchException(string message) : Exception(message);
