using System.Globalization;
using System.Text;
using Containet.Native;

namespace Mocker.Extraction;

/// <summary>
/// Gives a tree a user unpacked as themselves the image's owners, mapped into the user's subordinate ids as rootless
/// podman stores them: an owner N above 0 becomes subuid_start+N-1 on the host, which a container started with the
/// same mapping (<see cref="SubordinateIds"/>) sees as N again; root's files stay the user's own. A user can only do
/// that as root of a user namespace with that mapping, so the pulling program runs itself there
/// (<see cref="UserNamespaceProgram"/>, the clone step and newuidmap/newgidmap that containode's rootless containers
/// use) with <see cref="OwnersVerb"/>, and removes such trees the same way (<see cref="RemoveVerb"/>). Without
/// subordinate ranges there is nothing to map into: every file stays the user's, as before.
/// </summary>
public sealed class SubordinateOwners
{
    /// <summary>The hidden verbs the pulling program answers inside the namespace (<see cref="RunInside"/>).</summary>
    public const string OwnersVerb = "__owners", RemoveVerb = "__remove";

    private readonly IdMapping mapping;
    private readonly string program;

    private SubordinateOwners(IdMapping mapping, string program)
    {
        this.mapping = mapping;
        this.program = program;
    }

    /// <summary>For a user with subordinate ranges; null for root (who gives owners as it unpacks) and for a user without.</summary>
    public static SubordinateOwners? ForCurrentUser()
    {
        if (Posix.IsRoot || Environment.ProcessPath is not { } program) return null;
        var mapping = SubordinateIds.ForCurrentUser();
        return mapping.Uids.Count > 1 && mapping.Gids.Count > 1 ? new SubordinateOwners(mapping, program) : null;
    }

    /// <summary>Gives <paramref name="tree"/>'s entries their owners and modes (chown clears setuid and setgid).</summary>
    public void Give(string tree, IReadOnlyDictionary<string, ImageOwner> owners)
    {
        if (owners.Count == 0) return;
        var list = tree + ".owners";
        var text = new StringBuilder();
        foreach (var (path, o) in owners)
            text.Append(CultureInfo.InvariantCulture, $"{o.Uid}\0{o.Gid}\0{(int)o.Mode}\0{(o.IsSymlink ? 1 : 0)}\0{path}\0");
        SmallFile.Write(list, text.ToString());
        try
        {
            Run(OwnersVerb, tree, list, "give the image's files their owners");
        }
        finally
        {
            File.Delete(list);
        }
    }

    /// <summary>Removes a tree, some of whose files only root of the user's namespace may remove.</summary>
    public static void Delete(string tree)
    {
        if (!Directory.Exists(tree)) return;
        try
        {
            Directory.Delete(tree, recursive: true);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException && ForCurrentUser() is { } owners)
        {
            owners.Run(RemoveVerb, tree, null, "remove " + tree);
        }
    }

    private void Run(string verb, string tree, string? list, string what)
    {
        int status;
        try
        {
            status = UserNamespaceProgram.Run(mapping, list is null ? [program, verb, tree] : [program, verb, tree, list]);
        }
        catch (Exception e) when (e is ContainerStartException or NativeException or IdMappingException)
        {
            throw new IOException($"cannot {what} in a user namespace of your subordinate ids: {e.Message}");
        }
        if (status != 0) throw new IOException($"cannot {what} in a user namespace of your subordinate ids (status {status})");
    }

    /// <summary>
    /// The hidden verbs, run as root of the user's namespace: <c>__owners TREE LIST</c> and <c>__remove TREE</c>.
    /// Returns the exit status; null when <paramref name="args"/> is not one of them.
    /// </summary>
    public static int? RunInside(string[] args)
    {
        switch (args)
        {
            case [OwnersVerb, var tree, var list]:
                var beyond = GiveInside(tree, SmallFile.Read(list));
                if (beyond > 0)
                    Posix.WriteError($"mocker: {beyond} files have owners beyond your subordinate ids (/etc/subuid, /etc/subgid): they stay yours, root's inside");
                return 0;
            case [RemoveVerb, var tree]:
                Directory.Delete(tree, recursive: true);
                return 0;
            default:
                return null;
        }
    }

    /// <summary>Applies the list; an entry whose parent is not inside the tree (a symlink put there) is refused. Returns how many owners had no id.</summary>
    private static int GiveInside(string tree, string list)
    {
        var fields = list.Split('\0');
        var beyond = 0;
        for (var i = 0; i + 4 < fields.Length; i += 5)
        {
            var path = fields[i + 4];
            if (!path.StartsWith(tree + "/", StringComparison.Ordinal) || !Ancestry.IsWithin(Path.GetDirectoryName(path)!, tree))
                throw new IOException($"{path} is not inside {tree}");
            if (Posix.TypeOf(path) == Posix.FileType.Missing) continue;
            try
            {
                FileNodes.Lchown(path, int.Parse(fields[i], CultureInfo.InvariantCulture), int.Parse(fields[i + 1], CultureInfo.InvariantCulture));
            }
            catch (NativeException e) when (e.Errno == Errno.EINVAL)
            {
                beyond++; // no id of the namespace is that owner
                continue;
            }
            if (fields[i + 3] == "0") File.SetUnixFileMode(path, (UnixFileMode)int.Parse(fields[i + 2], CultureInfo.InvariantCulture));
        }
        return beyond;
    }
}
