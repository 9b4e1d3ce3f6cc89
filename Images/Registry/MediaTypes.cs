namespace Mocker.Registry;

/// <summary>The manifest and layer media types of Docker's v2 schema 2 and OCI.</summary>
public static class MediaTypes
{
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";

    /// <summary>All four: without them distribution answers schema1, or 404 for OCI content.</summary>
    public static readonly string[] Manifests = [OciIndex, DockerList, OciManifest, DockerManifest];

    public static bool IsIndex(string type) => type is DockerList or OciIndex;

    public enum Compression { None, Gzip, Zstd, Unknown }

    public static Compression LayerCompression(string type) => type switch
    {
        "application/vnd.docker.image.rootfs.diff.tar.gzip" or "application/vnd.oci.image.layer.v1.tar+gzip"
            or "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip" or "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip" => Compression.Gzip,
        "application/vnd.oci.image.layer.v1.tar" or "application/vnd.docker.image.rootfs.diff.tar" => Compression.None,
        "application/vnd.oci.image.layer.v1.tar+zstd" => Compression.Zstd,
        _ => Compression.Unknown,
    };
}
