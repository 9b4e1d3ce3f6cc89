using System.Net;
using System.Text.Json;
using Containet.Native;

namespace Containet.Protocol;

/// <summary>The replies every request may get: <c>{}</c>, or <c>{"error":WHY}</c> with an optional <c>"code"</c>.</summary>
public static class Reply
{
    public static readonly byte[] Ok = "{}"u8.ToArray();

    public static byte[] Error(string message, string? code = null) => Json.Object(w =>
    {
        w.WriteString("error", message);
        if (code is not null) w.WriteString("code", code);
    });

    /// <summary>Any reply object written member by member.</summary>
    public static byte[] Object(Action<Utf8JsonWriter> body) => Json.Object(body);

    /// <summary>Throws the reply's error as a <see cref="SwitchException"/>, if it is one.</summary>
    public static void ThrowIfError(JsonElement reply)
    {
        if (reply.ValueKind == JsonValueKind.Object && reply.TryGetProperty("error", out var error))
            throw new SwitchException(error.GetString() ?? "unknown error",
                reply.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString() : null);
    }
}

/// <summary>
/// What take-netns hands out with the namespace (and add-netns set up in the one it got): eth0's address (leased, or the one asked for), the default
/// route and the nameserver the container should use, each when the switch has one.
/// </summary>
public sealed record NetnsGrant((IPAddress Address, int Prefix)? Address, IPAddress? Gateway, IPAddress? Dns)
{
    public byte[] Encode() => Json.Object(w =>
    {
        if (Address is { } a) w.WriteString("ipv4", $"{a.Address}/{a.Prefix}");
        if (Gateway is not null) w.WriteString("gateway", Gateway.ToString());
        if (Dns is not null) w.WriteString("dns", Dns.ToString());
    });

    public static NetnsGrant Decode(JsonElement reply)
    {
        try
        {
            return new NetnsGrant(
                Json.Text(reply, "ipv4") is { } a ? Addressing.ParseCidr(a) : null,
                Json.Text(reply, "gateway") is { } g ? Addressing.ParseAddress(g) : null,
                Json.Text(reply, "dns") is { } d ? Addressing.ParseAddress(d) : null);
        }
        catch (Exception e) when (e is FormatException or ControlProtocolException)
        {
            throw new SwitchException("the switch's namespace reply is malformed: " + e.Message);
        }
    }
}
