using System.CommandLine;
using Containet.Protocol;

namespace Containet.Cli;

/// <summary>`containet detach NODE`: ends a node's ports, its lease and its published ports, as remove-etherfd does.</summary>
internal static class DetachCommand
{
    public static Command Create(Option<string> socket, Option<string?> tokenFile)
    {
        var node = new Argument<string>("NODE") { Description = "the node id (a container's name)" };
        var token = new Option<string?>("--token", "-a") { Description = "the token the node's ports were added with (default: none, which only the switch's administrators may do)", HelpName = "TOKEN" };
        var command = new Command("detach", "end every port of a node, its lease and its published ports") { node, token };
        command.SetAction(r =>
        {
            var id = r.GetValue(node)!;
            if (!Names.IsNodeId(id)) throw new UsageException($"bad node id '{Printable.Escape(id)}': 1 to {Names.MaxNodeId} ASCII letters, digits and . _ - : @ +");
            using var client = SwitchConnection.Open(r.GetValue(socket)!);
            client.RemoveEtherFd(r.GetValue(token) ?? CommonOptions.ReadToken(r.GetValue(tokenFile)), id);
            Console.Error.WriteLine($"containet: node {id} detached");
            return 0;
        });
        return command;
    }
}
