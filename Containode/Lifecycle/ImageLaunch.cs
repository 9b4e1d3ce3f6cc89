using Containet.Native;
using Mocker.Extraction;
using Mocker.References;
using Mocker.Registry;
using Mocker.Store;

namespace Containode;

/// <summary>
/// Containers of images from mocker's store. When a container is made, its image is looked up by reference (pulled
/// first with mocker, whose progress the user sees, when the store lacks it), and its tree and config are fixed for
/// the container (<see cref="ContainerImage"/>) and its use is noted in the store, so that mocker neither removes
/// the image nor prunes its tree while the container exists. At each start the command, environment, working
/// directory and user come from the image as docker has it: COMMAND replaces Cmd, Entrypoint stays.
/// </summary>
public static class ImageLaunch
{
    public static BlobStore OpenStore() => new(StoreLocation.FromEnvironment);

    /// <summary>The image for a container being made: pulled if missing, with its run config.</summary>
    public static ContainerImage Prepare(string image)
    {
        ImageReference reference;
        try { reference = ImageReference.Parse(image); }
        catch (FormatException e) { throw new UsageException($"bad image reference '{image}': {e.Message}"); }
        var name = reference.ToString();
        var store = OpenStore();
        var record = new ImageIndex(store).Find(name);
        if (record is null)
        {
            Pull(name);
            record = new ImageIndex(store).Find(name) ?? throw new LaunchException($"mocker pulled {name}, but the store at {store.Root} does not have it");
        }
        var root = new Unpacker(store).PathFor(record.Manifest);
        if (!Directory.Exists(root)) throw new LaunchException($"image {name} has no unpacked tree in {store.Root}: pull it again (mocker pull {name})");
        var config = ImageConfig.Read(File.ReadAllBytes(store.PathOf(record.Config)));
        return new ContainerImage(name, record.Manifest, root)
        {
            Entrypoint = config.Entrypoint,
            Cmd = config.Cmd,
            Env = config.Env,
            WorkingDir = config.WorkingDir,
            User = config.User is { } user ? ImageUsers.Numeric(root, user) : null,
        };
    }

    /// <summary>Notes (or forgets) that a container uses the image's tree.</summary>
    public static void NoteUse(ContainerImage image, ContainerRecord record) => new ImageUses(OpenStore()).Add(image.Manifest, record.Id, record.Name, record.Lib);

    public static void ForgetUse(ContainerImage image, ContainerRecord record) => new ImageUses(OpenStore()).Remove(image.Manifest, record.Id);

    /// <summary>The note of the container's use, for a clean-up that removes the container (--rm).</summary>
    public static string UseFile(ContainerImage image, ContainerRecord record) => new ImageUses(OpenStore()).FileOf(image.Manifest, record.Id);

    /// <summary>The launch of a container made of an image: its fixed tree and config, with the spec's overrides.</summary>
    public static LaunchTarget Resolve(ContainerRecord record)
    {
        var spec = record.Spec;
        var image = ContainerImage.Load(record.Lib) ?? throw new LaunchException($"container {record.Name} has lost the record of its image: remove it and run the image again");
        if (!Directory.Exists(image.Root)) throw new LaunchException($"the tree of image {image.Reference} is gone from {image.Root}: remove the container and pull the image again");
        var command = image.Entrypoint.Concat(spec.Command.Count > 0 ? spec.Command : image.Cmd).ToList();
        if (command.Count == 0) throw new LaunchException($"image {image.Reference} has no command (no Entrypoint, no Cmd): give one");
        return new LaunchTarget(record, image.Root, LaunchTarget.TopOf(record, image.Root), command,
            ContainerEnvironment.Build(record.Name, image.Env, spec.Environment), spec.WorkingDirectory ?? image.WorkingDir ?? "/", spec.User ?? image.User);
    }

    /// <summary>
    /// Pulls with mocker, beside this program when installed together (out/mocker, lib/containet/mocker), else on
    /// PATH: its progress goes to the terminal, its digest to stderr, so containode's stdout stays the ID.
    /// </summary>
    private static void Pull(string reference)
    {
        var beside = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "mocker", "mocker"));
        var mocker = File.Exists(beside) ? beside : "mocker";
        var status = ChildProgram.RunProgram([mocker, "pull", reference], stdoutToStderr: true);
        if (status != 0) throw new LaunchException($"could not pull {reference} (mocker exited with {status})");
    }
}
