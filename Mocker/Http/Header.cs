namespace Mocker.Http;

/// <summary>One header line.</summary>
internal readonly record struct Header(string Name, string Value)
{
    /// <summary>The first value of <paramref name="name"/> (case-insensitive), or null.</summary>
    public static string? Find(Header[] headers, string name)
    {
        foreach (var h in headers)
            if (h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) return h.Value;
        return null;
    }
}
