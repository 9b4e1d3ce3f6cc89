namespace Containode;

/// <summary>
/// A bind mount: -v SRC:DST[:ro], or a config file's mount= (<see cref="Optional"/>: a mount that cannot be made is
/// warned about and the container starts without it) and mount_ro=.
/// </summary>
public readonly record struct Volume(string Source, string Target, bool ReadOnly, bool Optional = false)
{
    public static Volume Parse(string text, bool optional = false)
    {
        var parts = text.Split(':');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0 || parts[1].Length == 0)
            throw new UsageException($"bad volume '{text}': expected SRC:DST or SRC:DST:ro");
        var ro = parts.Length == 3 && parts[2] switch
        {
            "ro" => true,
            "rw" => false,
            _ => throw new UsageException($"bad volume '{text}': the mode is ro or rw"),
        };
        if (!parts[1].StartsWith('/'))
            throw new UsageException($"bad volume '{text}': the target must be an absolute path");
        // The kernel keeps the target inside the root whatever its ".." say; "/" itself would hide the whole root.
        if (Path.GetFullPath(parts[1]) == "/")
            throw new UsageException($"bad volume '{text}': the target cannot be the container's root");
        return new Volume(Path.GetFullPath(parts[0]), parts[1], ro, optional);
    }

    public override string ToString() => Source + ":" + Target + (ReadOnly ? ":ro" : "");
}
