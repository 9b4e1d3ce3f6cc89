using Containet.TestSupport;

namespace Containode.Tests;

/// <summary>A unique container name for a test, whose container is removed (rm -f) when the test ends, also when it fails.</summary>
internal sealed class Named : IDisposable
{
    public string Name { get; } = "c" + Unique.Name();

    public string? Id => ContainodeState.IdOf(Name);

    public string Lib => Path.Combine(ContainodeState.Lib, Id!);

    public static implicit operator string(Named n) => n.Name;

    public void Dispose()
    {
        if (Id is not null) Containers.Run("rm", "-f", Name);
    }
}
