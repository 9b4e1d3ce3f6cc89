using System.Text.Json;

namespace Containode;

/// <summary>
/// The Docker/OCI seccomp profile as JSON carries it (moby's profiles/seccomp types; the OCI runtime spec's
/// linux.seccomp is the same with "architectures" only). Members this launcher does not use
/// ("comment", "flags", "listenerPath", podman's "errno" strings) are ignored, as Go's decoder ignores them.
/// </summary>
internal sealed class SeccompProfileJson
{
    public string? DefaultAction { get; set; }
    public uint? DefaultErrnoRet { get; set; }
    public List<string?>? Architectures { get; set; }
    public List<SeccompArchMapJson?>? ArchMap { get; set; }
    public List<SeccompSyscallJson?>? Syscalls { get; set; }
}

internal sealed class SeccompArchMapJson
{
    public string? Architecture { get; set; }
    public List<string?>? SubArchitectures { get; set; }
}

internal sealed class SeccompSyscallJson
{
    /// <summary>The single-name form older profiles use.</summary>
    public string? Name { get; set; }
    public List<string?>? Names { get; set; }
    public string? Action { get; set; }
    public uint? ErrnoRet { get; set; }
    public List<SeccompArgJson?>? Args { get; set; }
    public SeccompConditionJson? Includes { get; set; }
    public SeccompConditionJson? Excludes { get; set; }
}

internal sealed class SeccompArgJson
{
    public uint Index { get; set; }
    public ulong Value { get; set; }
    public ulong ValueTwo { get; set; }
    public string? Op { get; set; }
}

/// <summary>When a rule applies: capabilities the container holds, the native architecture, a kernel version.</summary>
internal sealed class SeccompConditionJson
{
    public List<string?>? Caps { get; set; }
    public List<string?>? Arches { get; set; }
    public string? MinKernel { get; set; }
}

/// <summary>
/// Fills the types above from a parsed document. Read by hand over <see cref="JsonDocument"/>, which containode
/// loads anyway for the switch's replies: the serializer would add its own machinery to a program that starts
/// once per container. Like Go's encoding/json, member names match in any case and unknown members are ignored;
/// a member of the wrong kind is a <see cref="FormatException"/> that names it.
/// </summary>
internal static class SeccompProfileReader
{
    public static SeccompProfileJson Read(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Null) throw new FormatException("null");
        Expect(root, JsonValueKind.Object, "the profile");
        return new SeccompProfileJson
        {
            DefaultAction = String(root, "defaultAction"),
            DefaultErrnoRet = UInt(root, "defaultErrnoRet"),
            Architectures = List(root, "architectures", e => Text(e, "architectures")),
            ArchMap = List(root, "archMap", e => e.ValueKind == JsonValueKind.Null ? null : new SeccompArchMapJson
            {
                Architecture = String(Object(e, "archMap"), "architecture"),
                SubArchitectures = List(e, "subArchitectures", s => Text(s, "subArchitectures")),
            }),
            Syscalls = List(root, "syscalls", Syscall),
        };
    }

    private static SeccompSyscallJson? Syscall(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : new SeccompSyscallJson
    {
        Name = String(Object(e, "syscalls"), "name"),
        Names = List(e, "names", n => Text(n, "names")),
        Action = String(e, "action"),
        ErrnoRet = UInt(e, "errnoRet"),
        Args = List(e, "args", a => a.ValueKind == JsonValueKind.Null ? null : new SeccompArgJson
        {
            Index = UInt(Object(a, "args"), "index") ?? 0,
            Value = ULong(a, "value") ?? 0,
            ValueTwo = ULong(a, "valueTwo") ?? 0,
            Op = String(a, "op"),
        }),
        Includes = Condition(e, "includes"),
        Excludes = Condition(e, "excludes"),
    };

    private static SeccompConditionJson? Condition(JsonElement parent, string name) =>
        Member(parent, name) is not { } e || e.ValueKind == JsonValueKind.Null ? null : new SeccompConditionJson
        {
            Caps = List(Object(e, name), "caps", c => Text(c, name + ".caps")),
            Arches = List(e, "arches", c => Text(c, name + ".arches")),
            MinKernel = String(e, "minKernel"),
        };

    private static JsonElement? Member(JsonElement parent, string name)
    {
        foreach (var p in parent.EnumerateObject())
            if (p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) return p.Value;
        return null;
    }

    private static string? String(JsonElement parent, string name) =>
        Member(parent, name) is { } e ? Text(e, name) : null;

    private static string? Text(JsonElement e, string name) => e.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => e.GetString(),
        _ => throw new FormatException($"{name} must be a string"),
    };

    private static uint? UInt(JsonElement parent, string name) =>
        Member(parent, name) is not { } e || e.ValueKind == JsonValueKind.Null ? null
        : e.ValueKind == JsonValueKind.Number && e.TryGetUInt32(out var v) ? v
        : throw new FormatException($"{name} must be a number from 0 to {uint.MaxValue}");

    private static ulong? ULong(JsonElement parent, string name) =>
        Member(parent, name) is not { } e || e.ValueKind == JsonValueKind.Null ? null
        : e.ValueKind == JsonValueKind.Number && e.TryGetUInt64(out var v) ? v
        : throw new FormatException($"{name} must be a number from 0 to {ulong.MaxValue}");

    private static List<T>? List<T>(JsonElement parent, string name, Func<JsonElement, T> item)
    {
        if (Member(parent, name) is not { } e || e.ValueKind == JsonValueKind.Null) return null;
        Expect(e, JsonValueKind.Array, name);
        var list = new List<T>(e.GetArrayLength());
        foreach (var x in e.EnumerateArray()) list.Add(item(x));
        return list;
    }

    private static JsonElement Object(JsonElement e, string name)
    {
        Expect(e, JsonValueKind.Object, "an entry of " + name);
        return e;
    }

    private static void Expect(JsonElement e, JsonValueKind kind, string what)
    {
        if (e.ValueKind != kind) throw new FormatException($"{what} must be a JSON {kind.ToString().ToLowerInvariant()}");
    }
}
