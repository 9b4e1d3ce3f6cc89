using Containet.Native;

namespace Containode;

/// <summary>
/// The containers of a machine: made with a new ID and a name of their own (LIB/names/NAME is a symlink to the
/// container's directory, made atomically, so two containers never get one name), found by name or by a unique
/// prefix of the ID, listed and removed.
/// </summary>
public sealed class ContainerStore(StateDirs dirs)
{
    public StateDirs Dirs => dirs;

    /// <summary>
    /// Makes a container of <paramref name="spec"/> (and of <paramref name="image"/>, fixed now), named spec.Name or a
    /// random name; its files are written.
    /// </summary>
    public ContainerRecord Create(ContainerSpec spec, ContainerImage? image = null)
    {
        Directory.CreateDirectory(dirs.Lib);
        Directory.CreateDirectory(dirs.Names);
        var id = NewId();
        var name = spec.Name ?? Identity.Random();
        var lib = dirs.LibOf(id);
        Directory.CreateDirectory(lib);
        try
        {
            File.CreateSymbolicLink(dirs.NameLink(name), Path.Combine("..", Path.GetFileName(dirs.Lib), id));
        }
        catch (IOException) when (Posix.TypeOf(dirs.NameLink(name)) != Posix.FileType.Missing)
        {
            Directory.Delete(lib);
            var holder = Find(name);
            throw new LaunchException($"the name {name} is in use by container {holder?.ShortId ?? "?"}: remove it (containode rm {name}) or choose another name");
        }
        spec.Name = name;
        var record = new ContainerRecord { Id = id, Name = name, Dirs = dirs, Spec = spec, Created = DateTime.UtcNow };
        record.Save();
        if (image is not null)
        {
            image.Save(lib);
            ImageLaunch.NoteUse(image, record);
        }
        return record;
    }

    /// <summary>The container named <paramref name="name"/>, if there is one.</summary>
    public ContainerRecord? Find(string name)
    {
        if (!Identity.IsValid(name)) return null;
        try
        {
            var target = new FileInfo(dirs.NameLink(name)).LinkTarget;
            return target is null ? null : Load(Path.GetFileName(target));
        }
        catch (IOException) { return null; }
    }

    /// <summary>A container by its name or a unique prefix of its ID, as docker takes them.</summary>
    public ContainerRecord Resolve(string nameOrId)
    {
        if (Find(nameOrId) is { } named) return named;
        if (nameOrId.Length > 0 && nameOrId.All(char.IsAsciiHexDigitLower))
        {
            var matches = Ids().Where(id => id.StartsWith(nameOrId, StringComparison.Ordinal)).Take(2).ToList();
            if (matches.Count == 1 && Load(matches[0]) is { } byId) return byId;
            if (matches.Count > 1) throw new LaunchException($"{nameOrId} is the start of more than one container's ID: give more of it");
        }
        throw new LaunchException($"no such container: {nameOrId}");
    }

    public IEnumerable<ContainerRecord> List()
    {
        foreach (var id in Ids())
            if (Load(id) is { } record) yield return record;
    }

    /// <summary>Removes the container's files (its default TOP with them) and its name. The caller made sure it is not running.</summary>
    public void Remove(ContainerRecord record)
    {
        var link = dirs.NameLink(record.Name);
        if (new FileInfo(link).LinkTarget is { } target && Path.GetFileName(target) == record.Id) File.Delete(link);
        if (ContainerImage.Load(record.Lib) is { } image) ImageLaunch.ForgetUse(image, record);
        var steps = new ExitSteps();
        steps.Remove(record.Lib);
        steps.Run();
    }

    private IEnumerable<string> Ids()
    {
        if (!Directory.Exists(dirs.Lib)) yield break;
        foreach (var dir in Directory.EnumerateDirectories(dirs.Lib))
        {
            var id = Path.GetFileName(dir);
            if (id.Length == 32 && id.All(char.IsAsciiHexDigitLower)) yield return id;
        }
    }

    private ContainerRecord? Load(string id)
    {
        try { return ContainerRecord.Load(dirs, id); }
        catch (Exception e) when (e is IOException or ConfigException) { return null; }
    }

    private static string NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        Posix.FillRandom(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
