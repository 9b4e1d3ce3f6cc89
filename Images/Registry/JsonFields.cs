using System.Text.Json;

namespace Mocker.Registry;

/// <summary>Fields of a registry's document read strictly: a field that is missing or of the wrong kind is a FormatException naming it.</summary>
internal static class JsonFields
{
    public static JsonElement Required(JsonElement e, string name, JsonValueKind kind) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == kind ? v : throw new FormatException($"\"{name}\" is missing or not {Kind(kind)}");

    public static string? OptionalString(JsonElement e, string name) =>
        !e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString() : throw new FormatException($"\"{name}\" is not a string");

    /// <summary>The objects of the array <paramref name="name"/>.</summary>
    public static IEnumerable<JsonElement> Objects(JsonElement e, string name)
    {
        foreach (var item in Required(e, name, JsonValueKind.Array).EnumerateArray())
            yield return item.ValueKind == JsonValueKind.Object ? item : throw new FormatException($"an entry of \"{name}\" is not an object");
    }

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        _ => "a number",
    };
}
