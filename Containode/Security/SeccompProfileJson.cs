using System.Text.Json.Serialization;

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

// Go's encoding/json matches member names in any case; so does this.
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(SeccompProfileJson))]
internal sealed partial class SeccompProfileJsonContext : JsonSerializerContext;
