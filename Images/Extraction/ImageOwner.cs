namespace Mocker.Extraction;

/// <summary>The owner and mode an image gives an entry (of a user's unpack, where the user could not give them).</summary>
public readonly record struct ImageOwner(int Uid, int Gid, UnixFileMode Mode, bool IsSymlink);
