using Mocker.Extraction;
using Mocker.References;
using Mocker.Store;

namespace Mocker.Cli;

/// <summary>`mocker pull` and `mocker rootfs`.</summary>
internal static class PullCommands
{
    private static readonly string[] Ref = ["REF", "NAME[:TAG][@DIGEST], e.g. alpine or registry.example:5000/team/app:1.2"];
    private static readonly OptionSpec PlatformOption = new("--platform", null, "os/arch[/variant]", "the platform to pull from a multi-platform image (default: this host's)");
    private static readonly OptionSpec Quiet = new("--quiet", "-q", null, "print only the digest");

    public static CommandSpec Pull() => new("pull", "pull an image and unpack its root filesystem", [Ref], [PlatformOption, Quiet], r =>
        {
            var reference = ImageReference.Parse(r.Arguments[0]);
            var store = MockerOptions.OpenStore(r);
            using var registry = MockerOptions.Registry(r);
            var q = r.Has(Quiet.Name);
            if (!q) Console.Error.WriteLine($"pulling {reference}");
            // Quiet, nothing touches Console: its first use is milliseconds of a small pull. Bars, drawn on
            // stderr, only when both stdout and stderr are a terminal, as docker pull draws them.
            IPullProgress progress = q ? new LineProgress(TextWriter.Null)
                : !Console.IsOutputRedirected && !Console.IsErrorRedirected ? new BarProgress(Console.Error) : new LineProgress(Console.Error);
            var platform = r.Value(PlatformOption.Name) is { } p ? Platform.Parse(p) : Platform.Host;
            var record = new Puller(registry, store, progress).Pull(reference, platform, Interruption.Token);
            (progress as IDisposable)?.Dispose();
            if (q) Containet.Native.Posix.WriteOutput(record.Digest);
            else
            {
                Console.Error.WriteLine($"Digest: {record.Digest}");
                Console.Out.WriteLine($"Pulled {record.Reference}");
            }
            return 0;
        });

    public static CommandSpec Rootfs() => new("rootfs", "print the path of an image's unpacked root filesystem (unpacking it if needed)", [Ref], [], r =>
        {
            var reference = ImageReference.Parse(r.Arguments[0]);
            var store = MockerOptions.OpenStore(r);
            var record = new ImageIndex(store).Find(reference.ToString())
                ?? throw new InvalidOperationException($"{reference} is not in the store: run `mocker pull {r.Arguments[0]}` first");
            var manifest = Registry.Manifest.Parse(File.ReadAllBytes(store.PathOf(record.Manifest)), null, record.Manifest);
            if (manifest.Layers.FirstOrDefault(l => !store.Has(l.Digest)) is { } missing)
                throw new InvalidOperationException($"layer {missing.Digest} of {reference} is missing from the store: pull it again");
            Console.Out.WriteLine(new Unpacker(store).Build(record.Manifest, manifest.Layers, ct: Interruption.Token));
            return 0;
        });
}
