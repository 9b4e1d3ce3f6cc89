namespace Containode;

/// <summary>A container of an image from mocker's store: its tree is the root, its config gives the command's defaults.</summary>
public static class ImageLaunch
{
    public static LaunchTarget Resolve(ContainerRecord record) =>
        throw new LaunchException($"image {record.Spec.Image}: images by name are not supported yet; give a root with -r");
}
