using System.Text;
using System.Text.Json;
using Containet.Native;

namespace Containode;

/// <summary>
/// Docker/OCI seccomp profiles (JSON) compiled with libseccomp into the BPF program the clone step loads
/// with seccomp(SECCOMP_SET_MODE_FILTER), with runc's and moby's semantics: rules apply by the container's
/// capabilities, the native architecture and the kernel version; unknown syscall names are skipped.
/// A profile is untrusted input: size, counts and every value are checked, and any fault is one
/// <see cref="LaunchException"/> that names the profile.
/// </summary>
public static class SeccompProfile
{
    public const int MaxBytes = 1 << 20;
    /// <summary>Rules in a profile: a syscall name in an entry is one (or one per condition, when they split).</summary>
    public const int MaxRules = 2048;
    public const int MaxRulesPerSyscall = 64;
    /// <summary>Argument conditions in a profile, counted once for each syscall name of their entry.</summary>
    public const int MaxConditions = 256;
    /// <summary>The kernel's BPF_MAXINSNS: a longer program is refused by seccomp(2).</summary>
    public const int MaxInstructions = 4096;

    /// <summary>How messages name the built-in profile.</summary>
    public const string DefaultSource = "containode's default seccomp profile";

    /// <summary>The built-in profile: Security/default-seccomp.json, installed beside the program.</summary>
    public static string DefaultJson => defaultJson.Value;

    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "default-seccomp.json");

    private static readonly Lazy<string> defaultJson = new(ReadDefault);

    /// <summary>
    /// Compiles a profile for a container holding <paramref name="capabilities"/> into struct sock_filter[]
    /// bytes (8 an instruction). <paramref name="source"/> names the profile in errors (its path).
    /// </summary>
    public static byte[] Compile(string profileJson, string source, ulong capabilities) =>
        Compile(Parse(profileJson, source), source, capabilities, NativeArch.Current, Environment.OSVersion.Version);

    /// <summary>Reads a profile file, refusing one over <see cref="MaxBytes"/> before reading it all.</summary>
    public static string ReadFile(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            var buffer = new byte[MaxBytes + 1];
            var length = file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (length > MaxBytes) throw Fault(path, $"is over {MaxBytes / 1024 / 1024} MiB");
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            throw Fault(path, e is DecoderFallbackException ? "is not UTF-8" : "cannot be read: " + e.Message);
        }
    }

    internal static SeccompRules Parse(string profileJson, string source)
    {
        if (Encoding.UTF8.GetByteCount(profileJson) > MaxBytes) throw Fault(source, $"is over {MaxBytes / 1024 / 1024} MiB");
        try
        {
            SeccompProfileJson json;
            try
            {
                using var document = JsonDocument.Parse(profileJson, new JsonDocumentOptions { MaxDepth = 16 });
                json = SeccompProfileReader.Read(document.RootElement);
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                throw Fault(source, "is not valid profile JSON: " + e.Message);
            }
            return SeccompRules.From(json);
        }
        catch (FormatException e)
        {
            throw Fault(source, e.Message);
        }
    }

    internal static byte[] Compile(SeccompRules rules, string source, ulong capabilities, NativeArch arch, Version kernel,
        int maxInstructions = MaxInstructions)
    {
        string? where = null;
        try
        {
            using var filter = new SeccompFilter(rules.DefaultAction);
            foreach (var name in rules.ArchitecturesFor(arch))
                if (!filter.AddArchitecture(name)) throw Fault(source, $"names architecture {name}, which libseccomp {SeccompFilter.LibraryVersion} does not know");
            foreach (var rule in rules.Rules)
            {
                if (!rule.AppliesTo(capabilities, arch, kernel)) continue;
                foreach (var syscall in rule.Names)
                {
                    where = $"{rule.Where} ({syscall})";
                    foreach (var conditions in rule.ConditionSets())
                        filter.AddRule(syscall, rule.Action, conditions);
                }
            }
            where = null;
            var program = filter.Export();
            if (program.Length / 8 > maxInstructions)
                throw Fault(source, $"compiles to {program.Length / 8} BPF instructions; the kernel takes at most {maxInstructions}");
            return program;
        }
        catch (NativeException e)
        {
            throw Fault(source, where is null ? e.Message : $"{where}: {e.Message}");
        }
    }

    private static LaunchException Fault(string source, string reason) => new($"seccomp profile {source}: {reason}");

    private static string ReadDefault()
    {
        var path = DefaultPath;
        try { return SmallFile.Read(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LaunchException($"containode's default seccomp profile {path} cannot be read ({e.Message}): reinstall containode");
        }
    }
}
