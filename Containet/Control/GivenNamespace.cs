using Containet.Native;
using Containet.Protocol;

namespace Containet.Control;

/// <summary>
/// What add-netns accepts, asked of the kernel about the fd itself: a network namespace whose owning user
/// namespace the peer made (NS_GET_USERNS, NS_GET_OWNER_UID). Never the switch's own user namespace's (the host's,
/// such as a user's /proc/self/ns/net): there the switch's TAP and addresses would be the host's, made for anyone
/// in --group. Never another user's either.
/// </summary>
public static class GivenNamespace
{
    public static void Check(SafeFd fd, uint peerUid)
    {
        Namespaces type;
        try
        {
            type = NamespaceFile.TypeOf(fd);
        }
        catch (NativeException e)
        {
            throw new ControlProtocolException("add-netns needs a network namespace fd, and this is no namespace: " + e.Message);
        }
        if (type != Namespaces.Network)
            throw new ControlProtocolException($"add-netns needs a network namespace fd, and this is a {type.ToString().ToLowerInvariant()} namespace");
        (bool Callers, uint CreatorUid) owner;
        try
        {
            owner = NamespaceFile.OwnerOf(fd);
        }
        catch (NativeException e)
        {
            throw new ControlProtocolException("cannot tell whose the namespace is: " + e.Message);
        }
        if (owner.Callers)
            throw new ControlProtocolException("the namespace belongs to the host's user namespace: add-netns takes one that a user namespace of yours owns");
        if (owner.CreatorUid != peerUid)
            throw new ControlProtocolException($"the namespace's user namespace is uid {owner.CreatorUid}'s, not yours (uid {peerUid})");
    }
}
