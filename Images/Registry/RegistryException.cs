using System.Net;
using System.Text.Json;

namespace Mocker.Registry;

/// <summary>A registry said no: its error code (MANIFEST_UNKNOWN, UNAUTHORIZED, ...) made into a sentence.</summary>
public sealed class RegistryException(string message, string? code = null, HttpStatusCode? status = null) : Exception(message)
{
    public string? Code { get; } = code;
    public HttpStatusCode? Status { get; } = status;

    /// <summary>Reads a body of the form {"errors":[{"code","message","detail"}]} into one clear message.</summary>
    public static RegistryException FromResponse(HttpStatusCode status, string body, string what)
    {
        string? code = null, message = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("errors", out var errors) && errors.GetArrayLength() > 0)
            {
                var first = errors[0];
                code = first.TryGetProperty("code", out var c) ? c.GetString() : null;
                message = first.TryGetProperty("message", out var m) ? m.GetString() : null;
            }
        }
        catch (JsonException)
        {
        }
        var text = code switch
        {
            "MANIFEST_UNKNOWN" or "NAME_UNKNOWN" or "BLOB_UNKNOWN" => $"image not found: {what}",
            "UNAUTHORIZED" or "DENIED" => $"access denied to {what}: log in with `mocker login` or check the name",
            "TOOMANYREQUESTS" => $"the registry is rate limiting pulls of {what}; try again later",
            _ when status == HttpStatusCode.NotFound => $"image not found: {what}",
            _ when status == HttpStatusCode.Unauthorized => $"access denied to {what}: log in with `mocker login` or check the name",
            _ => $"registry error for {what}: {(int)status} {code ?? status.ToString()}{(message is null ? "" : ": " + message)}",
        };
        return new RegistryException(text, code, status);
    }
}
