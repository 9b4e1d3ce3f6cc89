using Mocker.Cli;
using Mocker.Extraction;
using Mocker.Registry;

Warmup.Start();
var commandLine = new CommandLine("mocker", "mocker: pull images from Docker Registry v2 registries into root filesystems for containode -r.",
    MockerOptions.Globals,
    [PullCommands.Pull(), PullCommands.Rootfs(), StoreCommands.Images(), StoreCommands.Remove(), StoreCommands.Prune(),
        LoginCommands.Login(), LoginCommands.Logout()]);
try
{
    return commandLine.Run(args);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"mocker: {e.Message}\nTry 'mocker --help'.");
    return 2;
}
catch (Exception e) when (e is FormatException or ArgumentException)
{
    Console.Error.WriteLine("mocker: " + e.Message);
    return 2;
}
catch (Exception e) when (e is RegistryException or LayerException or InvalidOperationException or IOException or UnauthorizedAccessException or Containet.Native.NativeException)
{
    Console.Error.WriteLine("mocker: " + e.Message);
    return 1;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("mocker: interrupted; completed blobs are kept for the next pull");
    return 130;
}
