using System.CommandLine;
using Containet.Cli;
using Mocker.Cli;
using Mocker.Extraction;
using Mocker.Registry;

// Inside a user namespace of the user's subordinate ids, where a rootless pull gives files their owners.
if (SubordinateOwners.RunInside(args) is { } inside) return inside;
Warmup.Start();
var root = new RootCommand("mocker: pull images from Docker Registry v2 registries into root filesystems for containode -r.")
{
    MockerOptions.Store, MockerOptions.Insecure, MockerOptions.Mirror, MockerOptions.LowSpeedTime, MockerOptions.RetryBudget,
};
root.Subcommands.Add(PullCommands.Pull());
root.Subcommands.Add(PullCommands.Rootfs());
root.Subcommands.Add(StoreCommands.Images());
root.Subcommands.Add(StoreCommands.Remove());
root.Subcommands.Add(StoreCommands.Prune());
root.Subcommands.Add(LoginCommands.Login());
root.Subcommands.Add(LoginCommands.Logout());
CommandDocs.AddTo(root, "mocker", "pull container images into root filesystems",
    "Pulls images from Docker Registry v2 registries into a content-addressed store, and unpacks them into root filesystems for containode -r.");

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors) Console.Error.WriteLine("mocker: " + error.Message);
    Console.Error.WriteLine("Try 'mocker --help'.");
    return 2;
}
try
{
    return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (UsageException e)
{
    Console.Error.WriteLine("mocker: " + e.Message);
    return 2;
}
catch (Exception e) when (e is UserException or FormatException or RegistryException or LayerException or InvalidOperationException or IOException or UnauthorizedAccessException or Containet.Native.NativeException)
{
    Console.Error.WriteLine("mocker: " + e.Message);
    return 1;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("mocker: interrupted; completed blobs are kept for the next pull");
    return Containet.Native.ExitStatus.Of(Containet.Native.Signal.Int); // 130, as a shell reports a command ended by ^C
}
