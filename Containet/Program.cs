using System.CommandLine;
using Containet.Cli;
using Containet.Native;
using Containet.Protocol;

var socket = CommonOptions.Socket();
var tokenFile = CommonOptions.TokenFile();
var root = ServeCommand.Create(socket, tokenFile);
root.Subcommands.Add(ListCommands.Ports(socket, tokenFile));
root.Subcommands.Add(ListCommands.Macs(socket, tokenFile));
root.Subcommands.Add(ListCommands.Leases(socket, tokenFile));
root.Subcommands.Add(ListCommands.Network(socket, tokenFile));
root.Subcommands.Add(AttachCommand.Create(socket));
root.Subcommands.Add(DetachCommand.Create(socket, tokenFile));
CommandDocs.AddTo(root, "containet", "a userspace Ethernet switch for containers",
    "Serves a control socket that takes TAP fds (SCM_RIGHTS) and switches frames between them; the commands ask a running switch.");

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
        Console.Error.WriteLine("containet: " + error.Message);
    Console.Error.WriteLine("Try 'containet --help'.");
    return 2;
}
try
{
    return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
}
catch (UsageException e)
{
    Console.Error.WriteLine("containet: " + e.Message);
    return 2;
}
catch (Exception e) when (e is UserException or NativeException or SwitchException or InvalidOperationException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine("containet: " + e.Message);
    return 1;
}
