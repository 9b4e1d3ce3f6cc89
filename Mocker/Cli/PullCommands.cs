using Containet.Cli;
using System.CommandLine;
using Mocker.Extraction;
using Mocker.References;
using Mocker.Store;

namespace Mocker.Cli;

/// <summary>`mocker pull` and `mocker rootfs`.</summary>
internal static class PullCommands
{
    private static readonly Argument<string> Ref = new("REF") { Description = "NAME[:TAG][@DIGEST], e.g. alpine or registry.example:5000/team/app:1.2" };

    private static readonly Option<string?> MaxUnpackedSize = new("--max-unpacked-size")
    {
        Description = "the most one layer may unpack to (default: 100 times its compressed size, at least 1G)",
        HelpName = "SIZE",
    };

    private static UnpackLimit Limit(ParseResult r) => new(r.GetValue(MaxUnpackedSize) is { } size ? UsageException.Check(() => ByteSize.Require(size), "--max-unpacked-size") : null);

    public static Command Pull()
    {
        var platform = new Option<string>("--platform")
        {
            Description = "the platform to pull from a multi-platform image",
            HelpName = "os/arch[/variant]",
            DefaultValueFactory = _ => Platform.Host.ToString(),
        };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "print only the digest" };
        var command = new Command("pull", "pull an image and unpack its root filesystem") { Ref, platform, quiet, MaxUnpackedSize };
        command.SetAction(r =>
        {
            var reference = UsageException.Check(() => ImageReference.Parse(r.GetValue(Ref)!));
            var request = UsageException.Check(() => Platform.Parse(r.GetValue(platform)!), "--platform");
            var limit = Limit(r);
            var store = MockerOptions.OpenStore(r);
            using var registry = MockerOptions.Registry(r);
            var q = r.GetValue(quiet);
            if (!q) Console.Error.WriteLine($"pulling {reference}");
            // Asked for by name, the platform must be the image's; by default (this machine's) a warning will do.
            var strict = r.GetResult(platform) is { Implicit: false };
            ImageRecord Pull(IPullProgress progress) => new Puller(registry, store, progress, limit).Pull(reference, request, strict, Interruption.Token);
            // Quiet, nothing touches Console: its first use is a few milliseconds of a small pull.
            ImageRecord record;
            if (q) record = Pull(new LineProgress(null));
            else if (BarProgress.Terminal() is { } terminal)
            {
                var bars = new BarProgress(terminal);
                record = bars.Show(() => Pull(bars));
            }
            else record = Pull(new LineProgress(Console.Error));
            if (q) Containet.Native.Posix.WriteOutput(record.Digest);
            else
            {
                Console.Error.WriteLine($"Digest: {record.Digest}");
                Console.Out.WriteLine($"Pulled {record.Reference}");
            }
            return 0;
        });
        return command;
    }

    public static Command Rootfs()
    {
        var command = new Command("rootfs", "print the path of an image's unpacked root filesystem (unpacking it if needed)") { Ref, MaxUnpackedSize };
        command.SetAction(r =>
        {
            var reference = UsageException.Check(() => ImageReference.Parse(r.GetValue(Ref)!));
            var limit = Limit(r);
            var store = MockerOptions.OpenStore(r);
            var record = new ImageIndex(store).Find(reference.ToString())
                ?? throw new InvalidOperationException($"{reference} is not in the store: run `mocker pull {r.GetValue(Ref)}` first");
            var manifest = Registry.Manifest.Parse(File.ReadAllBytes(store.PathOf(record.Manifest)), null, record.Manifest, reference.ToString());
            if (manifest.Layers.FirstOrDefault(l => !store.Has(l.Digest)) is { } missing)
                throw new InvalidOperationException($"layer {missing.Digest} of {reference} is missing from the store: pull it again");
            Console.Out.WriteLine(new Unpacker(store, limit).Build(record.Manifest, manifest.Layers, ct: Interruption.Token));
            return 0;
        });
        return command;
    }
}
