using Containet.Native;
using Containet.Protocol;
using Containode;

if (args.Length > 0 && args[0] is "--help" or "-h" or "-?" or "--version")
    return CommandLine.Build().Parse(args).Invoke();
try
{
    return args.Length > 0 && args[0] == StatsCommand.Name ? StatsCommand.Run(args[1..]) : Launcher.Run(CommandLine.Parse(args));
}
catch (UsageException e)
{
    Posix.WriteError("containode: " + e.Message + ". Try 'containode --help'.");
    return 2;
}
catch (Exception e) when (e is LaunchException or NativeException or IOException or UnauthorizedAccessException or SwitchException or IdMappingException)
{
    Posix.WriteError("containode: " + e.Message);
    return 1;
}
