using System.Runtime.InteropServices;

namespace Containode;

/// <summary>The architecture containode runs on, by libseccomp's name and by Go's (which profiles' "arches" use).</summary>
internal sealed record NativeArch(string Seccomp, string Go)
{
    public static NativeArch Current { get; } = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => new("x86_64", "amd64"),
        Architecture.Arm64 => new("aarch64", "arm64"),
        Architecture.X86 => new("x86", "386"),
        Architecture.Arm => new("arm", "arm"),
        Architecture.S390x => new("s390x", "s390x"),
        Architecture.Ppc64le => new("ppc64le", "ppc64le"),
        Architecture.RiscV64 => new("riscv64", "riscv64"),
        Architecture.LoongArch64 => new("loongarch64", "loong64"),
        var other => new(other.ToString().ToLowerInvariant(), other.ToString().ToLowerInvariant()),
    };

    public bool IsNamed(string name) =>
        string.Equals(name, Seccomp, StringComparison.OrdinalIgnoreCase) || string.Equals(name, Go, StringComparison.OrdinalIgnoreCase);
}
