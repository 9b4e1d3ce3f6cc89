using System.CommandLine;
using Containet.Cli;
using Containet.Native;

var root = ServeCommand.Create();
root.Subcommands.Add(ListCommands.Ports());
root.Subcommands.Add(ListCommands.Macs());
root.Subcommands.Add(AttachCommand.Create());

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
catch (Exception e) when (e is NativeException or SwitchException or InvalidOperationException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine("containet: " + e.Message);
    return 1;
}
