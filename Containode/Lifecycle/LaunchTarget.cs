namespace Containode;

/// <summary>
/// What a launch works from: the container's record, its spec with the image resolved (root, command,
/// environment, working directory, user) and its TOP decided.
/// </summary>
public sealed record LaunchTarget(ContainerRecord Record, string? Root, string? Top, IReadOnlyList<string> Command,
    IReadOnlyList<string> Environment, string WorkingDirectory, string? User)
{
    public ContainerSpec Spec => Record.Spec;
    public string Name => Record.Name;

    /// <summary>The spec as given: a root or the host's, the command and environment as written.</summary>
    public static LaunchTarget Of(ContainerRecord record)
    {
        var spec = record.Spec;
        if (spec.Image is not null) return ImageLaunch.Resolve(record);
        return new LaunchTarget(record, spec.Root, TopOf(record, spec.Root), spec.Command,
            ContainerEnvironment.Build(record.Name, [], spec.Environment), spec.WorkingDirectory ?? "/", spec.User);
    }

    /// <summary>The TOP given, or the container's state directory for an overlay; none without one, or with a layer of its own (--storage-opt).</summary>
    public static string? TopOf(ContainerRecord record, string? root) =>
        record.Spec.Top ?? (root is not null && !record.Spec.NoOverlay && record.Spec.Resources.StorageSize is null ? record.DefaultTop : null);
}
