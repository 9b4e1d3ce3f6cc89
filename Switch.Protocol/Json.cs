using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Containet.Protocol;

/// <summary>How every message is written: compact, one object, only the escapes JSON needs (as the original wrote them).</summary>
internal static class Json
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Object(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A member as a string: the original clients send node ids as strings, numbers are taken as written.</summary>
    public static string? Text(JsonElement body, string name) =>
        !body.TryGetProperty(name, out var value) ? null
        : value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => throw new ControlProtocolException($"'{name}' must be a string"),
        };
}
