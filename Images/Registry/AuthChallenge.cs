namespace Mocker.Registry;

/// <summary>A parsed WWW-Authenticate header: scheme and its parameters (realm, service, scope, error).</summary>
public sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public string? this[string name] => Parameters.TryGetValue(name, out var v) ? v : null;

    public static AuthChallenge? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return null;
        var space = header.IndexOf(' ');
        var scheme = space < 0 ? header : header[..space];
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var rest = space < 0 ? "" : header[(space + 1)..];
        var i = 0;
        while (i < rest.Length)
        {
            while (i < rest.Length && (rest[i] == ',' || rest[i] == ' ')) i++;
            var eq = rest.IndexOf('=', i);
            if (eq < 0) break;
            var key = rest[i..eq].Trim();
            i = eq + 1;
            string value;
            if (i < rest.Length && rest[i] == '"')
            {
                var end = rest.IndexOf('"', i + 1);
                if (end < 0) end = rest.Length;
                value = rest[(i + 1)..end];
                i = end + 1;
            }
            else
            {
                var end = rest.IndexOf(',', i);
                if (end < 0) end = rest.Length;
                value = rest[i..end].Trim();
                i = end;
            }
            parameters[key] = value;
        }
        return new AuthChallenge(scheme, parameters);
    }
}
